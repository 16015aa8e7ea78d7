# buildozer 8.2.1 (Bazel's BUILD file rewriter, Go 1.20.3): a package's BUILD file edited by
# commands on targets found from the workspace root (MODULE.bazel): a dependency added and the
# visibility set in one run, a new rule placed after another, its sources and deps added, a
# dependency removed (each writes the file in place; "fixed PATH" on stderr); the rules printed
# by a wildcard target; exit 3 for a command that changes nothing and 2 for a target that is
# not there.
put MODULE.bazel ''
put pkg/BUILD 'cc_library(\n    name = "lib",\n    srcs = ["a.cc"],\n)\n\ncc_binary(\n    name = "app",\n    srcs = ["main.cc"],\n    deps = [":lib"],\n)\n'
run buildozer 'add deps //base:util' 'set visibility //visibility:public' //pkg:lib
expect_stdout ''
expect_exit 0
run buildozer 'new cc_test lib_test after lib' //pkg:__pkg__
expect_exit 0
run buildozer 'add srcs lib_test.cc' 'add deps :lib' //pkg:lib_test
expect_exit 0
run buildozer 'remove deps :lib' //pkg:app
expect_exit 0
expect_file pkg/BUILD 'cc_library(\n    name = "lib",\n    srcs = ["a.cc"],\n    visibility = ["//visibility:public"],\n    deps = ["//base:util"],\n)\n\ncc_test(\n    name = "lib_test",\n    srcs = ["lib_test.cc"],\n    deps = [":lib"],\n)\n\ncc_binary(\n    name = "app",\n    srcs = ["main.cc"],\n)\n'
run buildozer 'print name kind srcs deps' '//pkg:*'
expect_stdout 'lib cc_library [a.cc] [//base:util]\nlib_test cc_test [lib_test.cc] [:lib]\napp cc_binary [main.cc] (missing)\n'
expect_exit 0
run buildozer 'add deps //base:util' //pkg:lib
expect_stdout ''
expect_exit 3
run buildozer 'print name' //pkg:nope
expect_stdout ''
expect_exit 2
