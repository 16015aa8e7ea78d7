# syncpack 15.3.3 (syncpack-windows-x64, Rust): in an npm workspace whose packages ask for two
# versions of lodash and for the local package a as "*", lint finds them (exit 1; its report
# goes to stderr), fix sets the highest version and a's own, format sorts b's dependencies, and
# lint then passes.
put package.json '{\n  "name": "root",\n  "private": true,\n  "workspaces": ["packages/*"]\n}\n'
put packages/a/package.json '{\n  "name": "a",\n  "version": "1.0.0",\n  "dependencies": {"lodash": "4.17.20"}\n}\n'
put packages/b/package.json '{\n  "name": "b",\n  "version": "1.0.0",\n  "dependencies": {"lodash": "4.17.21", "a": "*"}\n}\n'
run syncpack lint
expect_exit 1
run syncpack fix
expect_exit 0
expect_file packages/a/package.json '{\n  "name": "a",\n  "version": "1.0.0",\n  "dependencies": {\n    "lodash": "4.17.21"\n  }\n}\n'
expect_file packages/b/package.json '{\n  "name": "b",\n  "version": "1.0.0",\n  "dependencies": {\n    "lodash": "4.17.21",\n    "a": "1.0.0"\n  }\n}\n'
run syncpack format
expect_exit 0
expect_file packages/b/package.json '{\n  "name": "b",\n  "version": "1.0.0",\n  "dependencies": {\n    "a": "1.0.0",\n    "lodash": "4.17.21"\n  }\n}\n'
expect_file package.json '{\n  "name": "root",\n  "private": true,\n  "workspaces": ["packages/*"]\n}\n'
run syncpack lint
expect_exit 0
