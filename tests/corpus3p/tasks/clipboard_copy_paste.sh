# clipboardy 4.0.0's clipboard_x86_64.exe (Rust of 2018, windows-gnu, msvcrt; user32's clipboard
# through the clipboard-win crate): text from standard input copied (UTF-8 read, kept as
# CF_UNICODETEXT), then pasted by another run, in another process, to standard output; a second
# copy replaces it. Its first thread-local needed a TLS index other than 0 (pe.tls_alloc_index),
# then user32's clipboard (pe.clipboard_text). The clipboard belongs to the processes of one C:
# drive, which no other test of the build's C: drive copies to (pe.clipboard_text has its own).
# There is no Linux build (clipboardy runs xsel or wl-clipboard there).
if [ "$runner" = native ]; then
    echo "skip corpus3p.$name: clipboard_x86_64.exe has no Linux build"
    exit 77
fi
stdin 'caf\303\251 \342\206\222 line one\n\tline two\n'
run clipboard --copy
expect_stdout ''
expect_exit 0
run clipboard --paste
expect_stdout 'caf\303\251 \342\206\222 line one\n\tline two\n'
expect_exit 0
stdin 'second copy'
run clipboard --copy
expect_exit 0
run clipboard --paste
expect_stdout 'second copy'
expect_exit 0
