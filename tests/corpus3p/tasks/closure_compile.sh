# Closure Compiler v20261109 (see closure_version), with a two-line externs file instead of the
# browser's (--env CUSTOM: parsing the default externs takes seconds): ADVANCED optimization of
# a small program to ES5 (functions and properties renamed, the class inlined), SIMPLE with
# pretty printing of standard input, and a type error made fatal (--jscomp_error checkTypes:
# exit 1, the message on stderr).
differs wine "Wine 8.0 has no ntdll!RtlAddressInSectionTable: the native image exits 127 before main"
put ext.js '/** @externs */\n/** @const */ var console = {};\n/** @param {...*} var_args */\nconsole.log = function(var_args) {};\n'
put m.js '/** @param {number} n @return {number} */\nfunction fib(n) { return n < 2 ? n : fib(n - 1) + fib(n - 2); }\nclass Tally {\n  constructor() { this.count = 0; }\n  /** @return {number} */\n  inc() { return ++this.count; }\n}\nconst c = new Tally();\nc.inc(); c.inc();\nconsole.log(`fib(10)=${fib(10)} count=${c.count}`);\n'
put bad.js '/** @param {string} s */ function f(s) { return s.length; }\nconsole.log(f(1));\n'
run closure --env CUSTOM --externs ext.js --js m.js --compilation_level ADVANCED --language_out ECMASCRIPT5 --js_output_file out.js
expect_stdout ''
expect_exit 0
expect_file out.js 'function b(a){return a<2?a:b(a-1)+b(a-2)}var c=new function(){this.a=0};++c.a;++c.a;console.log("fib(10)="+b(10)+" count="+c.a);\n'
stdin 'var   total = 1 +  2;\nfunction show(v) { console.log( v ); }\nshow(total);\n'
run closure --env CUSTOM --externs ext.js --compilation_level SIMPLE --formatting PRETTY_PRINT
expect_stdout 'var total = 3;\nfunction show(a) {\n  console.log(a);\n}\nshow(total);\n\n'
expect_exit 0
run closure --env CUSTOM --externs ext.js --js bad.js --compilation_level ADVANCED --jscomp_error checkTypes
expect_stdout ''
expect_exit 1
