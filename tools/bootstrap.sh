#!/bin/sh
# SPDX-License-Identifier: MIT
# Sets up a Debian 12 machine for ntrun and builds it, then either runs the bundled example
# program through ntrun (`example`) or runs the whole test suite (`test`).
#   usage: tools/bootstrap.sh example|test
# Run as root (or with sudo available) so the Debian packages can be installed.
set -eu
mode=${1:-example}
here=$(cd "$(dirname "$0")/.." && pwd)
build=${NTRUN_BUILD_DIR:-$here/build}
packages="build-essential cmake ninja-build pkg-config linux-libc-dev libzydis-dev libxxhash-dev
          libcriterion-dev gcc-mingw-w64-x86-64 g++-mingw-w64-x86-64 libz-mingw-w64-dev python3
          clang libclang-rt-14-dev lld llvm wine64 golang-go npm nettle-dev openssl locales
          postgresql-client libmspack-dev zlib1g-dev cabextract gcab golang-github-itchyny-gojq-dev
          golang-github-alecthomas-chroma-dev golang-github-pelletier-go-toml-dev
          golang-github-ulikunitz-xz-dev golang-github-yuin-gopher-lua-dev"

missing=""
for p in $packages; do
    # npm: any npm will do (Debian's, or the one NodeSource's nodejs bundles, which conflicts
    # with Debian's npm package).
    [ "$p" = npm ] && command -v npm >/dev/null 2>&1 && continue
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
if [ -n "$missing" ]; then
    sudo=""
    [ "$(id -u)" = 0 ] || sudo="sudo"
    echo "bootstrap: installing$missing"
    $sudo apt-get update -qq
    # The .deb files fetched are not kept (~1.5 GB in /var/cache/apt/archives for a fresh
    # machine; a small CI disk ran full: docs/testing.md, "Disk").
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends \
        -o APT::Keep-Downloaded-Packages=false $missing
fi

# The test run's native-parity tests (corpus3p_native.*) compare the Go, Rust and Dart programs
# with their native Linux builds: the tarballs of those go into the corpus cache meanwhile
# (network-bound, beside the build; nothing to do when the cache has them, about 8 min for 243 MB
# when it has none). Without npm or the network those tests skip.
fetch_native=""
if [ "$mode" = test ]; then
    mkdir -p "$build"
    "$here/tests/corpus3p/fetch-native.sh" > "$build/fetch-native.log" 2>&1 &
    fetch_native=$!
fi

werror=OFF
[ "${CI:-}" = true ] && werror=ON
cmake -S "$here" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DNTRUN_WERROR=$werror
cmake --build "$build" -j "$(nproc)"

case "$mode" in
example)
    x86_64-w64-mingw32-gcc -O2 -o "$build/hello.exe" "$here/examples/hello.c"
    echo "bootstrap: running examples/hello.c through ntrun"
    "$build/ntrun" "$build/hello.exe" from ntrun
    ;;
test)
    cd "$build"
    wait "$fetch_native" || echo "bootstrap: some native Linux builds were not fetched (their corpus3p_native tests skip): $(tail -1 fetch-native.log)"
    # The fuzz step's clang build at the lowest priority meanwhile: the test phase leaves a
    # core idle most of the time (docs/testing.md, CI time). In a session of its own, so that
    # what is left of it when the tests end can be stopped as one group: at nice 19 on a busy
    # host it would crawl; the full step below goes on with it at normal priority (ninja keeps
    # what was built and removes what an interrupted command left).
    setsid nice -n 19 "$here/tests/fuzz/run-fuzz.sh" --build-only "$here" "$build" \
        > "$build/fuzz-prebuild.log" 2>&1 &
    prebuild=$!
    # One test a core: at two a core the registry tests' cross-process race (a hive unloaded
    # by one process found mounted again, docs/testing.md) failed a clean-clone run.
    status=0
    ctest --output-on-failure -j "$(nproc)" --timeout 300 || status=$?
    kill -TERM -"$prebuild" 2>/dev/null || true
    wait "$prebuild" || true # run-fuzz.sh below builds again and reports a failed build itself
    [ "$status" = 0 ] || exit "$status"
    # The libFuzzer harnesses for 50 s in all, when clang's libFuzzer is installed (a clang
    # build of its own in $build-fuzz; tests/fuzz/run-fuzz.sh says when it is skipped).
    "$here/tests/fuzz/run-fuzz.sh" "$here" "$build" 50
    ;;
*)
    echo "usage: $0 example|test" >&2
    exit 2
    ;;
esac
