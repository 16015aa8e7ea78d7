# supa-mdx-lint 0.3.2 (@supabase/supa-mdx-lint-win32-x64: Rust, Supabase's MDX style linter): its
# version; a document whose two headings are not in sentence case (exit 65, the errors as
# file:line:column lines; the summary's timing is not compared), --fix rewriting them in place,
# then a clean run (exit 0). The rules come from supa-mdx-lint.config.toml in the folder.
run mdxlint --version
expect_stdout 'supa-mdx-lint 0.3.2\n'
expect_exit 0
put supa-mdx-lint.config.toml 'Rule001HeadingCase = {}\nRule002AdmonitionTypes = {}\nRule003Spelling = {}\n'
put doc.mdx '# a Heading In Title Case\n\nSome text that is fine.\n\n## another heading\n\nUse the Dashboard to click it.\n'
run mdxlint doc.mdx
expect_stdout_head 2 'doc.mdx:1:1: [ERROR] Heading should be sentence case\ndoc.mdx:5:1: [ERROR] Heading should be sentence case\n'
expect_exit 65
run mdxlint --silent --fix doc.mdx
expect_exit 0
expect_file doc.mdx '# A heading in title case\n\nSome text that is fine.\n\n## Another heading\n\nUse the Dashboard to click it.\n'
run mdxlint --silent doc.mdx
expect_exit 0
