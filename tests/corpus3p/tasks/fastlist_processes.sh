# fastlist 0.3.0 (ps-list 8.1.1's process lister: MSVC C++ link 14.26, static CRT, kernel32's
# Toolhelp snapshot): the process list as "PID<TAB>PPID<TAB>NAME" lines (CR LF). Another program of the
# corpus (the Pact stub server) runs in the background: fastlist lists it with its process id and
# its parent (this task's shell), and itself; once the server is killed it is gone from the list.
# Other ntrun processes of the same C: drive (other tests) may be listed too: only these lines
# are checked.
# There is no Linux build of fastlist.
if [ "$runner" = native ]; then
    echo "skip corpus3p.$name: fastlist has no Linux build"
    exit 77
fi
differs wine 'Wine lists its own processes (services.exe, winedevice.exe, ...) with its own ids'
export PACT_DO_NOT_TRACK=true
put pact.json '{"consumer": {"name": "a"}, "provider": {"name": "b"}, "interactions": [], "metadata": {"pactSpecification": {"version": "2.0.0"}}}\n'
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
run_bg pact stub -f pact.json -p "$port" -l info
i=0
while ! grep -q "Server started on port $port" "$bg_out" 2>/dev/null && [ $i -lt 600 ]; do
    sleep 0.1
    i=$((i + 1))
done
run fastlist
expect_exit 0
tr -d '\r' < "$out" > "$tmp/list1"
expect_stdout_head 2 '0\t0\t[System Process]\r\n4\t0\tSystem\r\n'
# the lines this task's processes give, the server's with its real ids, fastlist's own with its
# name (its ids are those of a subshell of run's)
{
    grep -c "^$bg_pid	$$	pact\.exe\$" "$tmp/list1"
    awk -F '\t' '$3 == "fastlist-0.3.0-x64.exe" && $1 > 4 && $2 > 4 { n++ } END { print n + 0 }' "$tmp/list1"
} > "$out"
expect_stdout '1\n1\n'
kill "$bg_pid"
wait "$bg_pid" 2> /dev/null
run fastlist
expect_exit 0
grep -c "^$bg_pid	" "$out" > "$tmp/count"
cp "$tmp/count" "$out"
expect_stdout '0\n'
