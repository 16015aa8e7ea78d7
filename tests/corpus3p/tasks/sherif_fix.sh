# sherif 1.13.0 (sherif-windows-x64, a monorepo linter in Rust): --fix of an npm workspace
# whose two packages ask for two versions of lodash (the highest is chosen, --no-install runs
# no package manager) and one of which has its dependencies out of order; both package.json
# files are rewritten, then a second run finds nothing.
put package.json '{\n  "name": "root",\n  "private": true,\n  "packageManager": "npm@10.9.0",\n  "workspaces": ["packages/*"]\n}\n'
put packages/a/package.json '{\n  "name": "a",\n  "version": "1.0.0",\n  "dependencies": {"lodash": "4.17.20"}\n}\n'
put packages/b/package.json '{\n  "name": "b",\n  "version": "1.0.0",\n  "dependencies": {"lodash": "4.17.21", "a": "*"}\n}\n'
run sherif --fix --no-install --select highest
expect_exit 0
expect_file packages/a/package.json '{\n  "name": "a",\n  "version": "1.0.0",\n  "dependencies": {\n    "lodash": "4.17.21"\n  }\n}\n'
expect_file packages/b/package.json '{\n  "name": "b",\n  "version": "1.0.0",\n  "dependencies": {\n    "a": "*",\n    "lodash": "4.17.21"\n  }\n}\n'
run sherif
expect_stdout '\n\342\234\223 No issues found\n'
expect_exit 0
