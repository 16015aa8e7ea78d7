#!/bin/sh
# SPDX-License-Identifier: MIT
# A Go net/http server under ntrun answering requests from a native Linux client in another
# process (issue 11's "Done when": 10,000 requests, none lost).
# usage: run-go-http.sh NTRUN SERVER_EXE SERVER_LINUX CLIENT [REQUESTS [WORKERS]]
# tests/go/httpserve.go is run twice, first its Linux build natively (the client's own check),
# then its Windows build under ntrun; each time tests/go/native/httpclient.go (a Linux build)
# sends the requests, checks every answer, and ends the server with /quit, whose exit status
# says whether it counted the requests the client did. Fails on any lost or wrong answer, a
# server that does not exit 0 or does not end 20 s after the client (it is stopped then). The rates printed
# are information only. Exit 77 (skip) without golang-go; $NTRUN_TEST_SUD as run-go-test.sh.
ntrun=$1 exe=$2 native=$3 client=$4 requests=${5:-10000} workers=${6:-12}
if [ "$exe" = "-" ]; then
    echo "skip httpserve: golang-go is not installed (tools/bootstrap.sh installs it)"
    exit 77
fi
work=$(mktemp -d "${TMPDIR:-/tmp}/ntrun-go-http.XXXXXX") || exit 2
trap 'rm -rf "$work"' EXIT
sud=
[ -n "$NTRUN_TEST_SUD" ] && sud="--sud=$NTRUN_TEST_SUD"
fail=0
for pass in native ntrun; do
    dir=$work/$pass
    mkdir "$dir"
    if [ $pass = native ]; then
        (cd "$dir" && exec timeout -k 5 100 "$native" "$dir/port" < /dev/null \
            > "$dir/server.stdout" 2> "$dir/server.stderr") &
    else
        (cd "$dir" && export NTRUN_TEST=1 && exec timeout -k 5 100 "$ntrun" $sud "$exe" \
            "$dir/port" < /dev/null > "$dir/server.stdout" 2> "$dir/server.stderr") &
    fi
    server=$!
    "$client" -portfile "$dir/port" -pid $server -n "$requests" -c "$workers" > "$dir/client.stdout" \
        2> "$dir/client.stderr"
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
    echo "$pass: $(head -1 "$dir/client.stdout"); $(cat "$dir/client.stderr");" \
        "server: $(cat "$dir/server.stdout" | tr '\n' ' ')exit $sstatus"
    if [ $cstatus != 0 ] || [ $sstatus != 0 ]; then
        echo "FAIL httpserve ($pass): client exit $cstatus, server exit $sstatus"
        echo "--- client:"; head -30 "$dir/client.stdout"
        echo "--- server stdout:"; head -10 "$dir/server.stdout"
        echo "--- server stderr:"; head -30 "$dir/server.stderr"
        fail=1
    fi
done
[ $fail = 0 ] && echo "ok httpserve ($requests requests, $workers workers, native and under ntrun)"
exit $fail
