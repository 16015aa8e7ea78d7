# CMake 4.0.2 with Ninja 1.12.1: configure a project without languages for the Ninja generator,
# then `cmake --build`: cmake runs ninja, whose rules are CMake's Windows ones,
# `cmd.exe /C "cd /D <dir> && <cmake.exe> -E ..."` (under ntrun the built-in cmd: there is no
# C:\windows\system32\cmd.exe). Two custom commands (make_directory + copy, then touch + echo,
# chained with &&) and a custom target with WORKING_DIRECTORY; the produced files are checked,
# then a second build that has nothing to do.
differs native "the Linux build runs its rules with /bin/sh and writes LF"
ninja=$(sh "$here/fetch.sh" "$list" "$cache" "$pkgdir" "$os" ninja)
case $? in
0) ;;
77) echo "skip corpus3p.$name: $ninja"; exit 77 ;;
*) echo "FAIL corpus3p.$name: $ninja"; exit 1 ;;
esac
case $os in win) ninja="Z:$(printf '%s' "$ninja" | tr / '\\')" ;; esac
put src/CMakeLists.txt 'cmake_minimum_required(VERSION 3.20)\nproject(demo LANGUAGES NONE)\nadd_custom_command(OUTPUT out/copy.txt\n  COMMAND ${CMAKE_COMMAND} -E make_directory out\n  COMMAND ${CMAKE_COMMAND} -E copy ${CMAKE_CURRENT_SOURCE_DIR}/in.txt out/copy.txt\n  DEPENDS in.txt COMMENT "Copying in.txt")\nadd_custom_command(OUTPUT stamp.txt\n  COMMAND ${CMAKE_COMMAND} -E touch stamp.txt\n  COMMAND ${CMAKE_COMMAND} -E echo "built stamp"\n  DEPENDS out/copy.txt)\nadd_custom_target(files ALL DEPENDS stamp.txt)\nadd_custom_target(say COMMAND ${CMAKE_COMMAND} -E echo "hello from say" WORKING_DIRECTORY ${CMAKE_CURRENT_SOURCE_DIR})\n'
put src/in.txt 'copied text\n'
run cmake -S src -B b -G Ninja "-DCMAKE_MAKE_PROGRAM:FILEPATH=$ninja"
expect_exit 0
run cmake --build b
expect_exit 0
expect_stdout '[1/2] Copying in.txt\r\n[2/2] Generating stamp.txt\r\nbuilt stamp\r\n'
expect_file b/out/copy.txt 'copied text\n'
expect_file b/stamp.txt ''
run cmake --build b --target say
expect_exit 0
# the rule as ninja shows it: CMake's cmd.exe /C line (%COMSPEC%, under Wine
# C:\windows\system32\cmd.exe; ntrun sets no COMSPEC: cmd.exe), then the command's output
want="cmd.exe /C \"cd /D $wcwd\\src && "
case $(head -n 1 "$out") in
'[1/1] '*"$want"*' -E echo "hello from say""'*) ;;
*) printf 'FAIL corpus3p.%s: run %s printed, not %s... -E echo "hello from say"":\n' \
          "$name" "$runs" "$want"
   head -n 1 "$out"
   fail=1 ;;
esac
if [ "$(tail -n 1 "$out")" != "$(printf 'hello from say\r')" ]; then
    echo "FAIL corpus3p.$name: run $runs did not end with hello from say"
    fail=1
fi
run cmake --build b
expect_exit 0
expect_stdout 'ninja: no work to do.\r\n'
