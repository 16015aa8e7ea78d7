# ast-grep 0.51.1 (see astgrep_search): rewrite every console.log call of a file in place
# (--update-all) and check the file; a second run finds nothing left (exit 1).
put b.js 'function f(a) {\n  console.log(a, 1);\n  if (a == null) console.log("none");\n  return a;\n}\n'
run astgrep run -p 'console.log($$$A)' -r 'logger.info($$$A)' -l js -U b.js
expect_exit 0
expect_file b.js 'function f(a) {\n  logger.info(a, 1);\n  if (a == null) logger.info("none");\n  return a;\n}\n'
run astgrep run -p 'console.log($$$A)' -l js b.js
expect_stdout ''
expect_exit 1
