#!/bin/sh
# SPDX-License-Identifier: MIT
# One test of tests/lua: runs SCRIPT with a native Lua 5.4.7 and with lua.exe (the same source
# built by mingw-w64) under ntrun, each in a directory of its own, and compares what they
# print (lua.exe's CR LF read as LF) and their exit statuses. The source comes from fetch.sh;
# both interpreters are built once per build tree (every src/*.c but luac.c, -O2, natively with
# -DLUA_USE_POSIX as Debian builds it).
# usage: run-lua.sh NTRUN MINGW_CC CC CACHE WORKDIR SCRIPT
#        run-lua.sh NTRUN MINGW_CC CC CACHE WORKDIR --build   (fetch and build only: lua.build,
#        the fixture every lua.NAME test requires, so that a test run alone finds them built)
# Exit status: 0 the same (or built); 1 different (the diff is printed) or the build failed;
# 77 no source (fetch.sh's reason).
ntrun=$1 mingw_cc=$2 cc=$3 cache=$4 work=$5 script=$6
here=$(cd "$(dirname "$0")" && pwd)

tree=$("$here/fetch.sh" "$cache" "$work") || { rc=$?; echo "$tree"; exit $rc; }
bin=$work/bin
mkdir -p "$bin" || exit 1
exec 8> "$work/.build.lock"
flock 8 || exit 1
if [ ! -x "$bin/lua.exe" ] || [ ! -x "$bin/lua-native" ]; then
    srcs=$(ls "$tree"/src/*.c | grep -v '/luac\.c$')
    "$mingw_cc" -O2 -w -DLUA_COMPAT_5_3 -o "$bin/lua.exe.tmp" $srcs || exit 1
    "$cc" -O2 -w -DLUA_COMPAT_5_3 -DLUA_USE_POSIX -o "$bin/lua-native.tmp" $srcs -lm || exit 1
    mv "$bin/lua.exe.tmp" "$bin/lua.exe" && mv "$bin/lua-native.tmp" "$bin/lua-native" || exit 1
fi
flock -u 8
if [ "$script" = --build ]; then
    echo "run-lua: lua.exe and lua-native built in $bin"
    exit 0
fi

name=$(basename "$script" .lua)
out=$work/run/$name
rm -rf "$out"
mkdir -p "$out/native" "$out/ntrun" || exit 1
(cd "$out/native" && "$bin/lua-native" "$script" > ../native.out 2>&1; echo "exit $?" >> ../native.out)
(cd "$out/ntrun" && "$ntrun" "$bin/lua.exe" "$script" > ../ntrun.raw 2>&1; echo "exit $?" >> ../ntrun.raw)
tr -d '\r' < "$out/ntrun.raw" > "$out/ntrun.out"
if ! diff -u "$out/native.out" "$out/ntrun.out"; then
    echo "run-lua: $name.lua prints something else under ntrun (- native, + ntrun)"
    exit 1
fi
echo "run-lua: $name.lua: the same under ntrun as natively ($(wc -l < "$out/native.out") lines)"
