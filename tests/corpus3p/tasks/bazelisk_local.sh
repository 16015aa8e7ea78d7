# bazelisk 1.28.1 (@bazel/bazelisk, Go 1.24): with USE_BAZEL_VERSION naming a program on disk,
# bazelisk copies it into its cache (BAZELISK_HOME/local/<the path, mangled>/bin/bazel.exe) and
# runs it with the arguments, passing its exit status on (so no Bazel is downloaded). The
# "Bazel" here is lefthook's program, another Go program of the corpus: `version` prints
# bazelisk's version line, then lefthook's; an unknown command exits 3 from lefthook through
# bazelisk. Go's os/exec asks GetProcessTimes of the child after waiting for it.
differs wine 'Wine 8.0 does not start the copied program: "fork/exec bzh\\local\\...\\bin\\bazel.exe: File not found" (exit 1)'
program lefthook
export USE_BAZEL_VERSION="$program" BAZELISK_HOME=bzh
run bazelisk version
expect_stdout 'Bazelisk version: v1.28.1\n2.2.2\n'
expect_exit 0
run bazelisk version --full
expect_stdout 'Bazelisk version: v1.28.1\n2.2.2 eb4e504b7c1d1ea6cb1fd29542431cb6d1a93a03\n'
expect_exit 0
run bazelisk nosuch
expect_stdout ''
expect_exit 3
