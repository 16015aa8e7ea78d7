#!/bin/sh
# The cache of laid-out program images (NTRUN_IMAGE_CACHE=1, loader/image_cache.c): off by
# default (no entry written); the first start writes the entry, the second maps it and behaves
# the same; an entry cut short, or of the right size but another file's, is ignored (today's
# path, same output); an .exe rewritten in place gets an entry of its own; a cache directory
# that cannot be made, and an image moved away from its base (NTRUN_RELOCATE=always), take
# today's path; a damaged relocation block is refused with the cache too. Then each further
# program (DWARF, TLS callbacks, sections mapped from the file) run twice with the cache gives
# what it gives without. The cache lives in a temporary
# directory removed at the end, never the user's.
# usage: image-cache.sh NTRUN HELLO.EXE [PROGRAM.EXE...]
ntrun=$1 hello=$2
shift 2
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
unset NTRUN_IMAGE_CACHE_DIR NTRUN_RELOCATE
export XDG_CACHE_HOME="$tmp/cache"
dir=$tmp/cache/ntrun/images
fail=0
cp "$hello" "$tmp/hello.exe" || exit 1
# run CACHE PROGRAM -> $tmp/out (stdout, then the exit code), $tmp/err (the loader's trace)
run() {
    NTRUN_IMAGE_CACHE=$1 "$ntrun" --trace=loader "$2" >"$tmp/out" 2>"$tmp/err"
    echo "exit $?" >>"$tmp/out"
}
check() { # what, condition...
    what=$1
    shift
    if "$@"; then echo "ok $what"; else echo "FAIL: $what"; fail=1; fi
}
same_out() { cmp -s "$tmp/out" "$tmp/ref"; }
traced() { grep -q "$1" "$tmp/err"; }
entries() { ls "$dir" 2>/dev/null | grep -c '\.img$'; }

run 0 "$tmp/hello.exe"
cp "$tmp/out" "$tmp/ref"
check "off by default: no cache directory" test ! -e "$tmp/cache"
run "" "$tmp/hello.exe"
check "NTRUN_IMAGE_CACHE unset: no cache directory" test ! -e "$tmp/cache"

run 1 "$tmp/hello.exe"
check "first start writes the entry" traced "image cache entry .* written"
check "first start: one entry" test "$(entries)" = 1
check "first start: same output" same_out
check "no temporary file left" test -z "$(ls "$dir" | grep -v '\.img$')"
run 1 "$tmp/hello.exe"
check "second start maps the entry" traced "(the image cache's entry)"
check "second start: same output" same_out

entry=$dir/$(ls "$dir" | grep '\.img$')
size=$(stat -c %s "$entry")
head -c $((size - 100)) "$entry" >"$tmp/cut" && cat "$tmp/cut" >"$entry"
run 1 "$tmp/hello.exe"
check "an entry cut short is ignored" traced "ignored: not the image's size"
check "an entry cut short: today's path" sh -c "! grep -q \"(the image cache's entry)\" '$tmp/err'"
check "an entry cut short: same output" same_out

head -c "$size" /dev/zero >"$entry"
run 1 "$tmp/hello.exe"
check "another file's entry (the size right, the headers not) is ignored" \
    traced "headers are not the program's"
check "another file's entry: same output" same_out

sleep 0.01
cp "$hello" "$tmp/hello.exe.new" && cat "$tmp/hello.exe.new" >"$tmp/hello.exe"
run 1 "$tmp/hello.exe"
check "an .exe rewritten in place gets an entry of its own" traced "image cache entry .* written"
check "rewritten: two entries" test "$(entries)" = 2
run 1 "$tmp/hello.exe"
check "rewritten: its entry mapped" traced "(the image cache's entry)"
check "rewritten: same output" same_out

(export NTRUN_RELOCATE=always; run 1 "$tmp/hello.exe")
check "a moved image does not read the cache" sh -c "! grep -q \"(the image cache's entry)\" '$tmp/err'"
check "a moved image: relocated" traced "relocating by"
check "a moved image: same output" same_out

: >"$tmp/afile"
(export XDG_CACHE_HOME="$tmp/afile"; run 1 "$tmp/hello.exe")
check "a cache directory that cannot be made: today's path, same output" same_out

# A damaged relocation block is refused with the cache as without it: at the preferred base
# the blocks are validated all the same, read from the .exe's mapping where a section's raw
# data holds them (map.c, reloc_dir_in_file), not from the entry's page.
cp "$hello" "$tmp/badreloc.exe" && python3 - "$tmp/badreloc.exe" <<'PY' || fail=1
import struct, sys
b = bytearray(open(sys.argv[1], 'rb').read())
pe = struct.unpack_from('<I', b, 0x3c)[0]
nsec, osz = struct.unpack_from('<H', b, pe + 6)[0], struct.unpack_from('<H', b, pe + 20)[0]
rva = struct.unpack_from('<I', b, pe + 24 + 112 + 5 * 8)[0]  # the base relocation directory
for i in range(nsec):
    vs, va, rs, ro = struct.unpack_from('<IIII', b, pe + 24 + osz + 40 * i + 8)
    if rva and va <= rva < va + rs:
        struct.pack_into('<I', b, ro + rva - va, 0x7fff0000)  # the first block's page
        open(sys.argv[1], 'wb').write(b)
        sys.exit(0)
sys.exit('no relocation directory in ' + sys.argv[1])
PY
run 0 "$tmp/badreloc.exe"
check "a damaged relocation block: refused without the cache" \
    traced "base relocation block at RVA .* is for page 0x7fff0000"
cp "$tmp/out" "$tmp/ref"
run 1 "$tmp/badreloc.exe"
run 1 "$tmp/badreloc.exe"
check "a damaged relocation block, the entry mapped" traced "(the image cache's entry)"
check "a damaged relocation block: refused with the cache" \
    traced "base relocation block at RVA .* is for page 0x7fff0000"
check "a damaged relocation block: same output and exit code with the cache" same_out

for exe in "$@"; do
    name=$(basename "$exe")
    run 0 "$exe"
    cp "$tmp/out" "$tmp/ref"
    run 1 "$exe"
    run 1 "$exe"
    check "$name: second start maps the entry" traced "(the image cache's entry)"
    check "$name: same output and exit code with the cache" same_out
done
exit $fail
