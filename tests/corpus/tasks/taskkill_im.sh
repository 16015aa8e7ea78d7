# taskkill /F /IM NAME ends every process whose program is NAME (compared without case): it
# walks EnumProcesses' ids (the SystemProcessInformation list: this process and the other ntrun
# processes of the user) and reads each one's name with EnumProcessModules and GetModuleBaseNameW,
# which read the process's loader list from its memory (NtReadVirtualMemory over its control
# channel; its PEB address asked there). Two copies of Wine's find.exe under a name of this run's
# own (other ntrun processes of the machine must not match), each started by a cmd /c and
# waiting on a FIFO, are ended in the order of the list (by id); each cmd /c then exits with
# TerminateProcess's code, 0 in Wine 8.0's taskkill (a victim left alone would end with find's
# 1 once the FIFO closes). A name no process has: exit 128.
victim=victim-$$
cp "$corpus/bin/find.exe" "$victim.exe"
mkfifo in.fifo
NTRUN_TEST=1 "$ntrun" "$corpus/bin/cmd.exe" /c "$victim.exe one" < in.fifo > cmd1.out 2>&1 &
shell1=$!
NTRUN_TEST=1 "$ntrun" "$corpus/bin/cmd.exe" /c "$victim.exe two" < in.fifo > cmd2.out 2>&1 &
shell2=$!
exec 3> in.fifo
pid_of() { # the victim cmd $1 started, once it runs
    i=0 p=
    while [ -z "$p" ] && [ $i -lt 200 ]; do
        p=$(pgrep -P "$1" | head -1)
        [ -n "$p" ] && grep -q "$victim" "/proc/$p/cmdline" 2> /dev/null || p=
        [ -n "$p" ] || sleep 0.05
        i=$((i + 1))
    done
    echo "$p"
}
p1=$(pid_of $shell1)
p2=$(pid_of $shell2)
lo=$p1 hi=$p2
[ "$p2" -lt "$p1" ] && lo=$p2 hi=$p1
upper=$(printf '%s' "$victim.EXE" | tr '[:lower:]' '[:upper:]')
run taskkill /F /IM "$upper"
expect_stdout "Process \"$upper\" with PID $lo was forcibly terminated.\r\nProcess \"$upper\" with PID $hi was forcibly terminated.\r\n"
expect_exit 0
exec 3>&-
wait $shell1
c1=$?
wait $shell2
c2=$?
if [ "$c1" != 0 ] || [ "$c2" != 0 ]; then
    echo "FAIL corpus.$name: the cmd /c of the victims exited with $c1 and $c2, not 0 and 0"
    fail=1
fi
run taskkill /F /IM "$victim.exe"
expect_stdout "Error: Could not find process \"$victim.exe\".\r\n"
expect_exit 128
