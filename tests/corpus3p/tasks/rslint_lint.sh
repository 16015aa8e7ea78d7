# rslint 0.3.4 (@rslint/win32-x64: Rstack's linter for TypeScript and JavaScript, ESLint's rules
# over typescript-go's parser and checker, Go 1.26): --init (the config file it writes, by
# digest), then with a JSON config of five rules and a tsconfig.json: a file's findings as JSON
# lines and as GitHub annotations (exit 1), --quiet (errors only), a clean file (exit 0), and
# --type-check adding the TypeScript checker's diagnostics of a second file.
run rslint --init
expect_stdout 'Created rslint.config.mjs with JavaScript recommended config.\n'
expect_exit 0
expect_sha256 rslint.config.mjs 5b2812bf51debcd2714fe5147eef4b43c6b6f2d424c8a3992f0732e60317e934
put rslint.json '[{"files":["**/*.ts"],"languageOptions":{"parserOptions":{"project":["./tsconfig.json"]}},"rules":{"no-debugger":"error","@typescript-eslint/no-unused-vars":"warn","no-const-assign":"error","eqeqeq":"error","@typescript-eslint/no-explicit-any":"error"}}]\n'
put tsconfig.json '{"compilerOptions":{"strict":true,"target":"es2020"},"include":["*.ts"]}\n'
put a.ts 'let a: any = 1;\ndebugger;\nif (a == 2) { var b = 3 }\nconst x = 5;\nexport {};\n'
put c.ts 'const c = 1;\nexport { c };\n'
run rslint --format jsonline a.ts
expect_stdout '\n{"ruleName":"prefer-const","message":"'"'a'"' is never reassigned. Use '"'const'"' instead.","filePath":"a.ts","range":{"start":{"line":1,"column":5},"end":{"line":1,"column":6}},"severity":"error"}\n{"ruleName":"@typescript-eslint/no-explicit-any","message":"Unexpected any. Specify a different type.","filePath":"a.ts","range":{"start":{"line":1,"column":8},"end":{"line":1,"column":11}},"severity":"error"}\n{"ruleName":"no-debugger","message":"Unexpected '"'debugger'"' statement.","filePath":"a.ts","range":{"start":{"line":2,"column":1},"end":{"line":2,"column":10}},"severity":"error"}\n{"ruleName":"@typescript-eslint/no-unused-vars","message":"'"'b'"' is assigned a value but never used.","filePath":"a.ts","range":{"start":{"line":3,"column":19},"end":{"line":3,"column":20}},"severity":"warn"}\n{"ruleName":"@typescript-eslint/no-unused-vars","message":"'"'x'"' is assigned a value but never used.","filePath":"a.ts","range":{"start":{"line":4,"column":7},"end":{"line":4,"column":8}},"severity":"warn"}\n'
expect_exit 1
run rslint --format github a.ts
expect_stdout '\n::error file=a.ts,line=1,endLine=1,col=5,endColumn=6,title=prefer-const::'"'a'"' is never reassigned. Use '"'const'"' instead.\n::error file=a.ts,line=1,endLine=1,col=8,endColumn=11,title=@typescript-eslint/no-explicit-any::Unexpected any. Specify a different type.\n::error file=a.ts,line=2,endLine=2,col=1,endColumn=10,title=no-debugger::Unexpected '"'debugger'"' statement.\n::warning file=a.ts,line=3,endLine=3,col=19,endColumn=20,title=@typescript-eslint/no-unused-vars::'"'b'"' is assigned a value but never used.\n::warning file=a.ts,line=4,endLine=4,col=7,endColumn=8,title=@typescript-eslint/no-unused-vars::'"'x'"' is assigned a value but never used.\n'
expect_exit 1
run rslint --quiet --format jsonline a.ts
expect_stdout '\n{"ruleName":"prefer-const","message":"'"'a'"' is never reassigned. Use '"'const'"' instead.","filePath":"a.ts","range":{"start":{"line":1,"column":5},"end":{"line":1,"column":6}},"severity":"error"}\n{"ruleName":"@typescript-eslint/no-explicit-any","message":"Unexpected any. Specify a different type.","filePath":"a.ts","range":{"start":{"line":1,"column":8},"end":{"line":1,"column":11}},"severity":"error"}\n{"ruleName":"no-debugger","message":"Unexpected '"'debugger'"' statement.","filePath":"a.ts","range":{"start":{"line":2,"column":1},"end":{"line":2,"column":10}},"severity":"error"}\n'
expect_exit 1
run rslint --format jsonline c.ts
expect_stdout ''
expect_exit 0
put b.ts 'const n: number = "s";\nexport { n };\n'
run rslint --type-check --format jsonline b.ts c.ts
expect_stdout '\n{"ruleName":"TypeScript(TS2322)","message":"Type '"'string'"' is not assignable to type '"'number'"'.","filePath":"b.ts","range":{"start":{"line":1,"column":7},"end":{"line":1,"column":8}},"severity":"error"}\n'
expect_exit 1
