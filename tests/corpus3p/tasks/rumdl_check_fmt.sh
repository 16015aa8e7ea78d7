# rumdl 0.2.22 (@rumdl/cli-win32-x64, a Markdown linter in Rust): check a file (four findings,
# exit 1; the summary line after them gives the time taken, so only the findings are compared),
# fmt of standard input (the fixed text on stdout), then fmt fixes the file in place (exit 0).
put a.md '# Title\n\nSome text\n## Next\n* item\n+ other\n\n\n'
run rumdl check --no-cache --output-format concise a.md
expect_stdout_head 4 "a.md:4:1: [MD022] Expected 1 blank line above heading\na.md:5:1: [MD032] List should be preceded by blank line\na.md:6:1: [MD004] List marker '+' does not match expected style '*'\na.md:8:1: [MD012] Multiple consecutive blank lines at end of file\n"
expect_exit 1
stdin '# T\n\n* a\n+ b\n'
run rumdl fmt --no-cache --stdin
expect_stdout '# T\n\n* a\n* b\n'
expect_exit 0
run rumdl fmt --no-cache a.md
expect_stdout_head 4 "a.md:4:1: [MD022] Expected 1 blank line above heading [fixed]\na.md:5:1: [MD032] List should be preceded by blank line [fixed]\na.md:6:1: [MD004] List marker '+' does not match expected style '*' [fixed]\na.md:8:1: [MD012] Multiple consecutive blank lines at end of file [fixed]\n"
expect_exit 0
expect_file a.md '# Title\n\nSome text\n\n## Next\n\n* item\n* other\n'
