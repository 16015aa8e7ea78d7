# findstr hello a.txt. Wine 8.0's findstr.exe is a stub: it names itself on stderr (a "fixme" of Wine's debug
# channel, written with ntdll!_vsnprintf and the CRT's stderr), prints nothing and exits 0 on
# Windows too. Windows' own findstr.exe would do the job; this task checks that the binary runs.
put a.txt 'hello x\r\nHELLO\r\nworld\r\n'
put b.txt 'hello x\r\nHELLO\r\nmoon\r\n'
run findstr hello a.txt
expect_stdout ''
expect_exit 0
expect_stderr 'fixme:findstr:wmain stub'
