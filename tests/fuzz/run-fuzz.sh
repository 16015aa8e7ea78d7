#!/bin/sh
# The CI step of the libFuzzer harnesses: when clang and its libFuzzer are installed (Debian:
# clang-14 with libclang-rt-14-dev), makes a clang build with -DNTRUN_FUZZ=ON -DNTRUN_SANITIZE=ON
# in BUILD-fuzz, builds fuzz_load, fuzz_ntcalls, ntrun and mutation_check only, runs each
# harness for SECONDS/2 (default 50 in all) from a seed corpus of BUILD's good programs and
# DLLs, then the mutation test (fuzz.mutation's cases, BUILD's programs) for MUTANTS mutants
# (default 100) through the ASan+UBSan ntrun, CLI and in-process: a sanitizer report aborts the
# run, which counts as a runtime crash (the report is kept in BUILD-fuzz/sanitizer.PID). Without
# libFuzzer it says so and succeeds. A crash leaves the input in BUILD-fuzz/crashes (the
# mutant's number in the log) and fails the step.
# With --build-only it makes the build and stops (tools/bootstrap.sh runs that at low priority
# beside the test phase, which leaves a core idle most of the time; the later full run then
# finds the build done).
#   usage: run-fuzz.sh [--build-only] SOURCE_DIR BUILD_DIR [SECONDS] [MUTANTS]
set -u
build_only=""
[ "${1:-}" = --build-only ] && { build_only=1; shift; }
src=$1 build=$2 total=${3:-50} mutants=${4:-100}
fuzz=$build-fuzz
cc=$(command -v clang-14 || command -v clang || true)
if [ -z "$cc" ]; then
    echo "run-fuzz: skipped: no clang"; exit 0
fi
probe=$(mktemp -d "${TMPDIR:-/tmp}/ntrun-fuzzprobe.XXXXXX")
trap 'rm -rf "$probe"' EXIT
printf 'int LLVMFuzzerTestOneInput(const unsigned char *d, unsigned long n) { return 0; }\n' > "$probe/p.c"
if ! "$cc" -fsanitize=fuzzer -o "$probe/p" "$probe/p.c" 2>/dev/null; then
    echo "run-fuzz: skipped: $cc has no libFuzzer (Debian: libclang-rt-14-dev)"; exit 0
fi
mkdir -p "$fuzz"
cmake -S "$src" -B "$fuzz" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_C_COMPILER="$cc" \
      -DNTRUN_FUZZ=ON -DNTRUN_SANITIZE=ON > "$fuzz/build.log" 2>&1 &&
    cmake --build "$fuzz" -j "$(nproc)" --target fuzz_load fuzz_ntcalls ntrun mutation_check >> "$fuzz/build.log" 2>&1 || {
    echo "run-fuzz: the fuzz build failed:"; tail -30 "$fuzz/build.log"; exit 1; }
[ -n "$build_only" ] && { echo "run-fuzz: built in $fuzz"; exit 0; }

seeds=$fuzz/seeds
mkdir -p "$seeds" "$fuzz/corpus-load" "$fuzz/corpus-ntcalls" "$fuzz/crashes"
for f in "$build"/tests/hello.exe "$build"/tests/pe/*.exe "$build"/tests/pe/*.dll; do
    [ -f "$f" ] && cp "$f" "$seeds/"
done
half=$((total / 2))
status=0
export ASAN_OPTIONS=allocator_may_return_null=1:detect_leaks=0
for h in fuzz_load fuzz_ntcalls; do
    corpus=$fuzz/corpus-${h#fuzz_}
    extra=""
    [ $h = fuzz_load ] && extra=$seeds
    echo "run-fuzz: $h for ${half} s"
    "$fuzz/tests/fuzz/$h" -max_total_time=$half -timeout=10 -rss_limit_mb=4096 \
        -artifact_prefix="$fuzz/crashes/$h-" -print_final_stats=1 "$corpus" $extra \
        > "$fuzz/$h.log" 2>&1 || {
        status=1; echo "run-fuzz: $h found a problem:"; tail -60 "$fuzz/$h.log"; }
    grep -E "^stat::number_of_executed_units|^stat::new_units_added" "$fuzz/$h.log"
done

# The mutation test under the sanitizers: a report aborts ntrun (SIGABRT: a runtime crash).
pe=$build/tests/pe
# Reports go to files (the in-process worker's stderr is /dev/null), unsymbolized: symbolizing
# from a fault on a program's stack can hang.
rm -f "$fuzz"/sanitizer.*
export ASAN_OPTIONS=abort_on_error=1:detect_leaks=0:allocator_may_return_null=1:symbolize=0:log_path=$fuzz/sanitizer
export UBSAN_OPTIONS=abort_on_error=1:print_stacktrace=1:symbolize=0:log_path=$fuzz/sanitizer
echo "run-fuzz: mutation_check, $mutants mutants, sanitizer build"
"$fuzz/tests/fuzz/mutation_check" --seed=1 --count="$mutants" --timeout=10000 \
    --work="$fuzz/mutation" "$fuzz/ntrun" "$build/tests/hello.exe" "$pe/tls_callbacks.exe" \
    "$pe/seh_frames.exe" "$pe/dll_static.exe:$pe/mydll.dll:$pe/mydll2.dll" \
    "$pe/dll_static.exe:$pe/mydll2.dll:$pe/mydll.dll" > "$fuzz/mutation.log" 2>&1 || {
    status=1; echo "run-fuzz: mutation_check found a problem:"; tail -60 "$fuzz/mutation.log"; }
grep -E "^(route|cli|in-process|mutation_check: [0-9])" "$fuzz/mutation.log"
# Keep only real reports (every process that ran a program also logs ASan's warning that it
# ignores __asan_handle_no_return on a foreign stack).
for r in "$fuzz"/sanitizer.*; do
    [ -f "$r" ] || continue
    if grep -qE "ERROR|runtime error" "$r"; then echo "run-fuzz: sanitizer report $r"; else rm -f "$r"; fi
done
exit $status
