#!/bin/sh
# SPDX-License-Identifier: MIT
# Gets Lua 5.4.7's source tree ready: Debian's pristine upstream tarball, pinned by SHA-256,
# taken from CACHE when it is there, else downloaded once from the Debian archive and kept
# in CACHE; unpacked under DIR (once). Prints the tree's path.
# usage: fetch.sh CACHE DIR
# Exit status: 0 ready; 77 not available (no cache and no network or downloader: a skip, the
# reason on stdout); 1 the tarball is not the pinned one.
cache=$1 dir=$2
url=http://deb.debian.org/debian/pool/main/l/lua5.4/lua5.4_5.4.7.orig.tar.gz
sum=9fbf5e28ef86c69858f6d3d34eccc32e911c1a28b4120ff3e84aaa70cfbf1e30
tgz=lua5.4_5.4.7.orig.tar.gz
tree=$dir/lua-5.4.7

mkdir -p "$cache" "$dir" || exit 1
exec 9> "$cache/.lock"
flock 9 || exit 1
if [ ! -f "$cache/$tgz" ]; then
    if [ -n "${NTRUN_LUA_OFFLINE:-}" ]; then
        echo "fetch: $tgz is not in $cache and NTRUN_LUA_OFFLINE is set"
        exit 77
    fi
    tmp=$(mktemp "$cache/.fetch.XXXXXX") || exit 1
    if command -v curl > /dev/null 2>&1; then
        timeout 300 curl -fsS -o "$tmp" "$url"
    elif command -v wget > /dev/null 2>&1; then
        timeout 300 wget -q -O "$tmp" "$url"
    else
        echo "fetch: $tgz is not in $cache and there is neither curl nor wget"
        rm -f "$tmp"
        exit 77
    fi || {
        echo "fetch: $tgz is not in $cache and $url could not be fetched (no network?)"
        rm -f "$tmp"
        exit 77
    }
    got=$(sha256sum "$tmp" | cut -d' ' -f1)
    if [ "$got" != "$sum" ]; then
        echo "fetch: $url has SHA-256 $got, not the pinned $sum"
        rm -f "$tmp"
        exit 1
    fi
    mv "$tmp" "$cache/$tgz"
fi
if [ "$(cat "$tree.sha256" 2>/dev/null)" != "$sum" ]; then
    got=$(sha256sum "$cache/$tgz" | cut -d' ' -f1)
    if [ "$got" != "$sum" ]; then
        echo "fetch: $cache/$tgz has SHA-256 $got, not the pinned $sum (remove it to fetch it again)"
        exit 1
    fi
    rm -rf "$tree" "$tree.sha256"
    tar -xzf "$cache/$tgz" -C "$dir" || exit 1
    echo "$sum" > "$tree.sha256"
fi
echo "$tree"
