# fc /b a.txt b.txt. Wine 8.0's fc.exe is a stub: it names itself on stderr (a "fixme" of Wine's debug
# channel, written with ntdll!_vsnprintf and the CRT's stderr), prints nothing and exits 0 on
# Windows too. Windows' own fc.exe would do the job; this task checks that the binary runs.
put a.txt 'hello x\r\nHELLO\r\nworld\r\n'
put b.txt 'hello x\r\nHELLO\r\nmoon\r\n'
run fc /b a.txt b.txt
expect_stdout ''
expect_exit 0
expect_stderr 'fixme:fc:wmain stub'
