# ast-grep 0.51.1 (@ast-grep/cli-win32-x64-msvc, Rust/MSVC importing shell32, combase, userenv,
# bcryptprimitives): a structural search of a JavaScript file, printed as file:line: text, and
# the same match as compact JSON with its ranges and meta-variables.
put a.js 'function f(a) {\n  console.log(a, 1);\n  if (a == null) console.log("none");\n  return a;\n}\n'
run astgrep run -p 'console.log($$$A)' -l js a.js
expect_stdout 'a.js:2:  console.log(a, 1);\na.js:3:  if (a == null) console.log("none");\n'
expect_exit 0
run astgrep run -p '$X == null' --json=compact -l js a.js
expect_stdout '[{"text":"a == null","range":{"byteOffset":{"start":43,"end":52},"start":{"line":2,"column":6},"end":{"line":2,"column":15}},"file":"a.js","lines":"  if (a == null) console.log(\\"none\\");","charCount":{"leading":6,"trailing":22},"language":"JavaScript","metaVariables":{"single":{"X":{"text":"a","range":{"byteOffset":{"start":43,"end":44},"start":{"line":2,"column":6},"end":{"line":2,"column":7}}}},"multi":{},"transformed":{}}}]\n'
expect_exit 0
