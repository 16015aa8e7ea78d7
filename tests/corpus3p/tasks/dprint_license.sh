# dprint 0.54.0 (@dprint/win32-x64, Rust/MSVC): the start of its licence text.
run dprint license
expect_stdout_head 3 '==== DPRINT CLI LICENSE ====\nThe MIT License (MIT)\n\n'
expect_exit 0
