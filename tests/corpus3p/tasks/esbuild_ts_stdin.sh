# esbuild 0.28.2 (@esbuild/win32-x64, Go): strip TypeScript types from standard input.
stdin 'let x: number = 1;\nconsole.log(x)\n'
run esbuild --loader=ts
expect_stdout 'let x = 1;\nconsole.log(x);\n'
expect_exit 0
