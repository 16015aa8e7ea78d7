#!/bin/sh
# SPDX-License-Identifier: MIT
# A Go net/http server under ntrun answering requests from a client in another process
# (issue 11's "Done when": 10,000 requests from a native client, none lost).
# usage: run-go-http.sh NTRUN SERVER_EXE SERVER_LINUX CLIENT_EXE CLIENT_LINUX [REQUESTS [WORKERS]]
# Three passes, each a server (tests/go/httpserve.go) and a client (tests/go/http/httpclient.go)
# built from the same sources for Windows and for Linux:
#   native   both Linux builds, natively (the client's own check)
#   ntrun    the Windows server under ntrun, the native Linux client (the "Done when")
#   both     the Windows server and the Windows client, each under ntrun
# The client sends the requests, checks every answer, and ends the server with /quit, whose exit
# status says whether it counted the requests the client did. Fails on any lost or wrong answer,
# a server that does not exit 0 or does not end 20 s after the client (it is stopped then), or
# a program still running after 100 s. Rates and the server's CPU time are printed as
# information only. Exit 77 (skip) without golang-go; $NTRUN_TEST_SUD as run-go-test.sh.
ntrun=$1 server_exe=$2 server_linux=$3 client_exe=$4 client_linux=$5
requests=${6:-10000} workers=${7:-12}
if [ "$server_exe" = "-" ]; then
    echo "skip httpserve: golang-go is not installed (tools/bootstrap.sh installs it)"
    exit 77
fi
work=$(mktemp -d "${TMPDIR:-/tmp}/ntrun-go-http.XXXXXX") || exit 2
trap 'rm -rf "$work"' EXIT
sud=
[ -n "$NTRUN_TEST_SUD" ] && sud="--sud=$NTRUN_TEST_SUD"
export NTRUN_TEST=1
# the server's CPU time (user, system), printed when GNU time is there
cpu=
[ -x /usr/bin/time ] && cpu=/usr/bin/time
fail=0
for pass in native ntrun both; do
    dir=$work/$pass
    mkdir "$dir"
    if [ $pass = native ]; then
        (cd "$dir" && exec timeout -k 5 100 ${cpu:+$cpu -f %U,%S -o cpu} \
            "$server_linux" "$dir/port" < /dev/null > server.stdout 2> server.stderr) &
    else
        (cd "$dir" && exec timeout -k 5 100 ${cpu:+$cpu -f %U,%S -o cpu} \
            "$ntrun" $sud "$server_exe" "$dir/port" < /dev/null > server.stdout \
            2> server.stderr) &
    fi
    server=$!
    if [ $pass = both ]; then
        set -- "$ntrun" $sud "$client_exe"
    else
        set -- "$client_linux"
    fi
    (cd "$dir" && exec timeout -k 5 100 "$@" -portfile "$dir/port" -pid $server \
        -n "$requests" -c "$workers" < /dev/null > client.stdout 2> client.stderr)
    cstatus=$?
    # the server ends at /quit; one the client could not end is stopped after 20 s
    t=0
    while kill -0 $server 2> /dev/null && [ $t -lt 200 ]; do
        sleep 0.1
        t=$((t + 1))
    done
    kill -0 $server 2> /dev/null && echo "$pass: the server did not end; stopping it" &&
        kill $server
    wait $server
    sstatus=$?
    if [ $pass = ntrun ] && [ -n "$sud" ] &&
        grep -q -- "$sud: .*using the default mode" "$dir/server.stderr"; then
        echo "skip httpserve: $(grep -- "$sud: " "$dir/server.stderr" | head -1)"
        exit 77
    fi
    used=
    [ -s "$dir/cpu" ] && used="; server CPU $(tail -1 "$dir/cpu" | awk -F, '{print $1 + $2}') s"
    echo "$pass: $(head -1 "$dir/client.stdout"); $(grep '^rate' "$dir/client.stderr")$used;" \
        "server: $(tr '\n' ' ' < "$dir/server.stdout")exit $sstatus"
    if [ $cstatus != 0 ] || [ $sstatus != 0 ]; then
        echo "FAIL httpserve ($pass): client exit $cstatus, server exit $sstatus"
        echo "--- client stdout:"; head -30 "$dir/client.stdout"
        echo "--- client stderr:"; head -20 "$dir/client.stderr"
        echo "--- server stdout:"; head -10 "$dir/server.stdout"
        echo "--- server stderr:"; head -30 "$dir/server.stderr"
        fail=1
    fi
done
[ $fail = 0 ] &&
    echo "ok httpserve ($requests requests, $workers workers: native, under ntrun, both under ntrun)"
exit $fail
