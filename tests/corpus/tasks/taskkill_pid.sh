# taskkill /F /PID ends another ntrun process: OpenProcess(PROCESS_TERMINATE) finds it at its
# rendezvous and TerminateProcess gives it the exit code Wine 8.0's taskkill passes, 0 (under
# Wine 8.0 the parent reads 0 too; Windows' own taskkill gives 1), which the cmd.exe that
# started it reads (cmd /c exits with it) once the victim, which would wait for ever, is gone. The victim is Wine's find.exe (a copy under a name of its own, run by
# cmd) waiting on a FIFO that this script holds open. It needed
# kernel32!K32EnumProcesses (over the SystemProcessInformation list, which holds the other
# ntrun processes of the user since 7 December 2026) and, without /F, user32!EnumWindows.
# A process id that is no Windows process (this shell's, a Linux program) is not found
# (exit 128). Without /F Wine's taskkill only posts WM_CLOSE to the process's windows, and a
# console program has none: "Could not find process", 128 (Windows' own taskkill says that the
# process can only be ended with /F, exit 1: Wine's binary is what runs here). The usage errors
# exit 1 with the usage line (LF-ended in Wine's resources).
cp "$corpus/bin/find.exe" "victim-$$.exe"
mkfifo in.fifo
NTRUN_TEST=1 "$ntrun" "$corpus/bin/cmd.exe" /c "victim-$$.exe zzz" < in.fifo > cmd.out 2>&1 &
shell=$!
exec 3> in.fifo
i=0 victim=
while [ -z "$victim" ] && [ $i -lt 200 ]; do
    victim=$(pgrep -P "$shell" | head -1)
    [ -n "$victim" ] && grep -q "victim-$$" "/proc/$victim/cmdline" 2> /dev/null || victim=
    [ -n "$victim" ] || sleep 0.05
    i=$((i + 1))
done
run taskkill /PID "$victim"
expect_stdout "Error: Could not find process \"$victim\".\r\n"
expect_exit 128
run taskkill /F /PID "$victim"
expect_stdout "Process with PID $victim was forcibly terminated.\r\n"
expect_exit 0
wait "$shell"
code=$?
exec 3>&-
if [ "$code" != 0 ]; then
    echo "FAIL corpus.$name: cmd /c exited with $code, not its child's exit code 0"
    fail=1
fi
run taskkill /F /PID $$
expect_stdout "Error: Could not find process \"$$\".\r\n"
expect_exit 128
run taskkill
expect_stdout 'Error: One of options /im or /pid must be specified.\nUsage: taskkill [/?] [/f] [/im ProcessName | /pid ProcessID]\n'
expect_exit 1
run taskkill /PID 1 /IM x.exe
expect_stdout 'Error: Options /im and /pid are mutually exclusive.\nUsage: taskkill [/?] [/f] [/im ProcessName | /pid ProcessID]\n'
expect_exit 1
