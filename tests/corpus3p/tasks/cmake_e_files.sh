# CMake 4.0.2: the -E file commands: echo, make_directory, copy, copy_directory, compare_files,
# cat, touch, rename, remove, rm -rf, and true/false's exit statuses.
put a.txt 'alpha\n'
put src/sub/b.txt 'beta\n'
run cmake -E echo hello world
expect_stdout 'hello world\n'
expect_exit 0
run cmake -E make_directory d/e d/f
expect_exit 0
run cmake -E copy a.txt d/e/copy.txt
expect_exit 0
expect_file d/e/copy.txt 'alpha\n'
run cmake -E copy_directory src d/tree
expect_exit 0
expect_file d/tree/sub/b.txt 'beta\n'
run cmake -E compare_files a.txt d/e/copy.txt
expect_exit 0
run cmake -E compare_files a.txt d/tree/sub/b.txt
expect_exit 1
run cmake -E cat a.txt d/tree/sub/b.txt
expect_stdout 'alpha\nbeta\n'
expect_exit 0
run cmake -E touch d/f/new.txt
expect_exit 0
expect_file d/f/new.txt ''
run cmake -E rename d/e/copy.txt d/f/moved.txt
expect_exit 0
expect_file d/f/moved.txt 'alpha\n'
if [ -e d/e/copy.txt ]; then echo "FAIL corpus3p.$name: rename left d/e/copy.txt"; fail=1; fi
run cmake -E remove a.txt
expect_exit 0
if [ -e a.txt ]; then echo "FAIL corpus3p.$name: -E remove left a.txt"; fail=1; fi
run cmake -E rm -rf d
expect_exit 0
if [ -e d ]; then echo "FAIL corpus3p.$name: -E rm -rf left d"; fail=1; fi
run cmake -E true
expect_exit 0
run cmake -E false
expect_exit 1
