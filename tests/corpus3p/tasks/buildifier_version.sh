# buildifier 0.29.0 (@bazel/buildifier-win32_x64, Bazel's formatter and linter for BUILD and
# .bzl files; Go 1.12.5, the oldest Go runtime of the corpus): --version.
run buildifier --version
expect_stdout 'buildifier version: 0.29.0 \nbuildifier scm revision: 5bcc31df55ec1de770cb52887f2e989e7068301f \n'
expect_exit 0
