# PostgreSQL 18.4's server (see pg_version): initdb makes a cluster, `pg_ctl start -w` starts the
# postmaster (pg_ctl runs it through cmd.exe /D /C with its output sent to a log file, from a
# restricted token) on a free TCP port of 127.0.0.1 and waits until postmaster.pid says it is
# ready; Debian's psql (postgresql-client, a native Linux program) connects over TCP and runs SQL
# in a backend (the postmaster gives it the accepted socket with WSADuplicateSocket, and its
# shared memory and semaphores by inheritance; a backend pins a shared-memory segment by putting
# its handle into the postmaster with DuplicateHandle); a backend killed while it runs a query
# makes the postmaster reinitialise (the restart path: new shared memory and semaphores for new
# children) and a new connection reads the table back; `pg_ctl stop -w` signals the postmaster
# through its \\.\pipe\pgsignal_PID pipe and waits until it has gone.
# Whatever happens, no PostgreSQL process outlives the task (the trap below stops the server, and
# kills what is left of its process tree).
differs native 'initdb and postgres refuse to run as root'
differs wine 'Wine 8.0 has no ntdll!NtFlushBuffersFileEx: initdb takes itself and postgres.exe for invalid binaries'
if ! command -v psql > /dev/null 2>&1; then
    echo "skip corpus3p.$name: no psql (Debian's postgresql-client)"
    exit 77
fi
program hermesc
export NTRUN_DLL_PATH="${exe%/*}"
run initdb -D data -U postgres -A trust --no-sync --no-instructions -E UTF8 --locale=C
expect_exit 0

# the processes of the server's tree: the postmaster (its pid is the first line of
# postmaster.pid, as GetCurrentProcessId gives the ntrun process's) and its descendants
pg_tree() {
    set -- "$1"
    all=""
    while [ $# -gt 0 ]; do
        all="$all $1"
        kids=$(ps -o pid= --ppid "$1" 2>/dev/null)
        shift
        set -- "$@" $kids
    done
    echo $all
}
pg_cleanup() {
    [ -f "$cwd/data/postmaster.pid" ] || return 0
    pm=$(head -1 "$cwd/data/postmaster.pid")
    case $runner in
    */*) (cd "$cwd" && timeout 120 "$runner" "$exe_pgctl" stop -m immediate -w -t 60 -D data \
              < /dev/null > /dev/null 2>&1) ;;
    esac
    if [ -n "$pm" ] && kill -0 "$pm" 2>/dev/null; then
        pids=$(pg_tree "$pm")
        kill -9 $pids 2>/dev/null
    fi
}
trap 'pg_cleanup; chmod -R u+w "$tmp" 2>/dev/null; rm -rf "$tmp"' EXIT
trap 'exit 1' HUP INT TERM
fetch_tool pgctl
exe_pgctl=$exe

# a free port, chosen now; should another program take it before the postmaster binds it, the
# start is tried again on another
for attempt in 1 2 3; do
    port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
    run pgctl start -w -t 240 -D data -l server.log \
        -o "-p $port -c listen_addresses=127.0.0.1 -c unix_socket_directories="
    grep -q 'could not bind' "$cwd/server.log" 2>/dev/null || break
    rm -f "$cwd/server.log"
done
expect_exit 0
if [ "$(tail -1 "$out")" != "$(printf 'server started\r')" ]; then
    echo "FAIL corpus3p.$name: pg_ctl start did not say \"server started\""
    fail=1
fi

# a query over TCP: a table made, filled and read back by the backend psql's connection gets
if [ "$fail" = 0 ]; then
    printf "run %s: psql -h 127.0.0.1 -p %s\n" "$((runs + 1))" "$port" >> "$tmp/stderr"
    runs=$((runs + 1))
    PGCONNECT_TIMEOUT=200 timeout 240 psql -X -q -At -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$port" \
        -U postgres -d postgres \
        -c "create table t (a int primary key, b text)" \
        -c "insert into t select i, md5(i::text) from generate_series(1, 1000) i" \
        -c "select count(*), sum(a), max(b) from t" \
        -c "select current_setting('server_version'), version() like '%x86_64-windows%'" \
        < /dev/null > "$out" 2>> "$tmp/stderr"
    last_status=$?
    expect_exit 0
    expect_stdout '1000|500500|ffeabd223de0d4eacb9a3e6e53e5448d\n18.4|t\n'
fi

# the restart after a crash: a backend killed while it runs a query (kill -9; its exit code is
# 1 as after taskkill /F, and it left its slot taken) makes the postmaster end its other
# children and reinitialise (new shared memory, semaphores and latch events, which new children
# inherit; the old ones stay open in the postmaster, as on Windows); a new connection then finds
# the table again after crash recovery
if [ "$fail" = 0 ]; then
    printf "run %s: psql (a backend killed while it sleeps, then a query)\n" "$((runs + 1))" >> "$tmp/stderr"
    runs=$((runs + 1))
    pg_psql() {
        PGCONNECT_TIMEOUT=200 timeout 240 psql -X -q -At -h 127.0.0.1 -p "$port" -U postgres \
            -d postgres "$@" < /dev/null
    }
    pg_psql -c "select pg_sleep(200)" > /dev/null 2>> "$tmp/stderr" &
    sleeper=$!
    victim=""
    for i in $(seq 120); do
        victim=$(pg_psql -c "select pid from pg_stat_activity where query = 'select pg_sleep(200)'" 2>> "$tmp/stderr")
        [ -n "$victim" ] && break
        sleep 0.5
    done
    if [ -z "$victim" ] || ! kill -9 "$victim" 2>/dev/null; then
        echo "FAIL corpus3p.$name: no backend to kill (pg_stat_activity gave \"$victim\")"
        fail=1
    fi
    wait "$sleeper"
    # until the postmaster says it is ready a second time
    for i in $(seq 240); do
        [ "$(grep -c 'database system is ready to accept connections' "$cwd/server.log")" -ge 2 ] && break
        sleep 0.5
    done
    if ! grep -q 'all server processes terminated; reinitializing' "$cwd/server.log"; then
        echo "FAIL corpus3p.$name: the postmaster did not reinitialise after its backend was killed"
        fail=1
    fi
    pg_psql -c "select count(*), sum(a) from t" > "$out" 2>> "$tmp/stderr"
    last_status=$?
    expect_exit 0
    expect_stdout '1000|500500\n'
    if grep -q 'error code 6\|unexpected postmaster exit' "$cwd/server.log"; then
        echo "FAIL corpus3p.$name: a child found an inherited handle invalid (the server's log)"
        fail=1
    fi
fi

run pgctl stop -w -t 240 -D data
expect_exit 0
if [ "$(tail -1 "$out")" != "$(printf 'server stopped\r')" ]; then
    echo "FAIL corpus3p.$name: pg_ctl stop did not say \"server stopped\""
    fail=1
fi
if [ -f "$cwd/data/postmaster.pid" ]; then
    echo "FAIL corpus3p.$name: data/postmaster.pid is still there after pg_ctl stop"
    fail=1
fi
if ! grep -q 'database system is shut down' "$cwd/server.log" 2>/dev/null; then
    echo "FAIL corpus3p.$name: the server's log does not end with its shutdown"
    fail=1
fi
cat "$cwd/server.log" >> "$tmp/stderr" 2>/dev/null
