# buildifier 0.29.0 (see buildifier_version): a rule from standard input formatted to standard
# output (kept on one line: the input's type is unknown); -mode=check of an unformatted file
# (exit 4, its name and the fixes it needs on stderr); the lint warnings as JSON (-format=json:
# positions, categories, the rewrites formatting would make; exit 0); then
# -lint=fix -mode=fix rewrites it in place (the unused load gone, the cc_library load added,
# lists sorted, duplicates dropped) and a second check is clean.
put p/BUILD 'load(\042:defs.bzl\042, \042unused\042)\ncc_library(name=\042c\042, srcs=[\042y.cc\042,\042x.cc\042], deps=[\042//foo:bar\042, \042//foo:bar\042])\n'
stdin 'cc_library(name="b", srcs=["b.cc","a.cc"])\n'
run buildifier
expect_stdout 'cc_library(name = "b", srcs = ["b.cc", "a.cc"])\n'
expect_exit 0
run buildifier -mode=check p/BUILD
expect_stdout ''
expect_exit 4
run buildifier -mode=check -lint=warn -format=json p/BUILD
expect_stdout '{"success":false,"files":[{"filename":"p/BUILD","formatted":false,"valid":true,"warnings":[{"start":{"line":1,"column":20},"end":{"line":1,"column":26},"category":"load","actionable":true,"message":"Loaded symbol \\"unused\\" is unused. Please remove it.\\nTo disable the warning, add \047@unused\047 in a comment.","url":"https://github.com/bazelbuild/buildtools/blob/master/WARNINGS.md#load"},{"start":{"line":2,"column":1},"end":{"line":2,"column":11},"category":"native-cc","actionable":true,"message":"Function \\"cc_library\\" is not global anymore and needs to be loaded from \\"@rules_cc//cc:defs.bzl\\".","url":"https://github.com/bazelbuild/buildtools/blob/master/WARNINGS.md#native-cc"}],"rewrites":{"listsort":2,"unsafesort":2}}]}\n'
expect_exit 0
run buildifier -lint=fix -mode=fix p/BUILD
expect_stdout ''
expect_exit 0
expect_file p/BUILD 'load("@rules_cc//cc:defs.bzl", "cc_library")\n\ncc_library(\n    name = "c",\n    srcs = [\n        "x.cc",\n        "y.cc",\n    ],\n    deps = ["//foo:bar"],\n)\n'
run buildifier -mode=check -lint=warn p/BUILD
expect_exit 0
