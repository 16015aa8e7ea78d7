#!/bin/sh
# The start-up order (issue 12; cmake/startup-order.cmake): the functions of
# tools/startup-order/ntrun.order that the binary has lie in .text.ntrun_startup, and the tables
# every start reads (the templates' records and blobs, thk_gen_dlls) in .rodata.ntrun_startup,
# and the variables of tools/startup-order/ntrun-wdata.order in .data/.bss.ntrun_startup (one run
# of pages: a start writes a few pages there instead of ~40 all over .data and .bss).
# A list that no longer matches the code (functions renamed or moved to other files) fails
# here instead of silently spreading start-up over the binary again. Also capped: the pages
# the dynamic linker writes to relocate ntrun and the static TLS block. Skipped in a build
# without the order (-DNTRUN_STARTUP_ORDER=OFF) and without binutils.
# usage: startup-order.sh NTRUN ORDER_LIST WDATA_LIST
ntrun=$1 list=$2 wlist=$3
command -v readelf >/dev/null 2>&1 && command -v nm >/dev/null 2>&1 || { echo "skip: no binutils"; exit 77; }
sections=$(readelf -SW "$ntrun")
echo "$sections" | grep -q ' \.text\.ntrun_startup ' || { echo "skip: built without the start-up order"; exit 77; }
range() { # section -> "start end" (hex, no 0x)
    echo "$sections" | awk -v s="$1" '{for (i = 1; i < NF; i++) if ($i == s) {print $(i+2), $(i+4); exit}}'
}
nm --defined-only "$ntrun" | awk -v t="$(range .text.ntrun_startup)" -v r="$(range .rodata.ntrun_startup)" -v list="$list" '
function hex(s,   i, c, v) { v = 0; s = tolower(s)
    for (i = 1; i <= length(s); i++) { c = index("0123456789abcdef", substr(s, i, 1)); v = v * 16 + c - 1 }
    return v }
BEGIN {
    split(t, p, " "); tlo = hex(p[1]); thi = tlo + hex(p[2])
    split(r, p, " "); rlo = hex(p[1]); rhi = rlo + hex(p[2])
    while ((getline line < list) > 0) if (line !~ /^#/ && line != "") want[line] = 1
}
$2 ~ /^[tTwW]$/ && ($3 in want) && !($3 in seen) {
    seen[$3] = 1; a = hex($1)
    if (a >= tlo && a < thi) inside++; else { outside++; if (outside <= 10) print "outside: " $3 }
}
$2 ~ /^[rR]$/ && ($3 == "thk_tmpls" || $3 == "thk_images_base" || $3 == "thk_gen_dlls") {
    a = hex($1)
    if (a >= rlo && a < rhi) print "ok " $3 " in .rodata.ntrun_startup"; else { print "FAIL: " $3 " outside .rodata.ntrun_startup"; bad = 1 }
}
END {
    printf "%d of the listed functions in .text.ntrun_startup, %d outside\n", inside, outside
    # outside: the C start files and libc_nonshared (placed by file, not by name) and any the
    # compiler inlined away in this build; at most a tenth
    if (inside < 100 || outside * 10 > inside + outside) { print "FAIL: the order list no longer matches the binary (tools/startup-order/gen-order.sh)"; bad = 1 }
    exit bad
}'
st=$?
# the writable objects: all that the binary still has inside the two sections, which must touch
nm --defined-only "$ntrun" | awk -v d="$(range .data.ntrun_startup)" -v b="$(range .bss.ntrun_startup)" -v list="$wlist" '
function hex(s,   i, c, v) { v = 0; s = tolower(s)
    for (i = 1; i <= length(s); i++) { c = index("0123456789abcdef", substr(s, i, 1)); v = v * 16 + c - 1 }
    return v }
BEGIN {
    split(d, p, " "); dlo = hex(p[1]); dhi = dlo + hex(p[2])
    split(b, p, " "); blo = hex(p[1]); bhi = blo + hex(p[2])
    if (bhi <= blo || dhi <= dlo || blo - dhi >= 4096) { print "FAIL: .data.ntrun_startup and .bss.ntrun_startup missing or apart"; bad = 1 }
    while ((getline line < list) > 0) if (line !~ /^#/ && line != "") want[line] = 1
}
$2 ~ /^[dDbB]$/ && ($3 in want) && !($3 in seen) {
    seen[$3] = 1; a = hex($1)
    if ((a >= dlo && a < dhi) || (a >= blo && a < bhi)) inside++; else { outside++; if (outside <= 10) print "outside: " $3 }
}
END {
    printf "%d of the listed variables in .data/.bss.ntrun_startup, %d outside\n", inside, outside
    if (inside < 100 || outside * 10 > inside + outside) { print "FAIL: the writable order list no longer matches the binary (tools/startup-order/gen-order.sh)"; bad = 1 }
    exit bad
}' || st=1
# What the dynamic linker writes at every start (docs/performance.md, fifteenth pass): the
# pages holding a dynamic relocation (.data.rel.ro's pointer tables, the GOT, the relocated
# objects of the start-up block) and the static TLS block glibc zeroes for every thread. Tables
# of pointers belong in read-only data as offsets or arrays (crypt32's oid_table.h, the code
# pages), large per-thread state off TLS (thunks/native_unwind.c): at most 7 pages and 10 KB.
# A static-pie command (no INTERP) holds libc's relocated tables as well (stdio's jump tables,
# the C locale's, libc's GOT and IRELATIVE slots: 5 pages that libc.so's own relocation and
# RELRO wrote before, docs/performance.md, twenty-second pass): at most 12 there.
cap=7
readelf -lW "$ntrun" | grep -q INTERP || cap=12
pages=$(readelf -rW "$ntrun" | awk '$1 ~ /^[0-9a-f]+$/ && length($1) == 16 {print substr($1, 1, 13)}' | sort -u | grep -c .)
tbss=$(printf '%d' "0x$(echo "$sections" | awk '{for (i = 1; i < NF; i++) if ($i == ".tbss") {print $(i+4); exit}}')")
echo "pages with dynamic relocations: $pages (at most $cap); static TLS .tbss: $tbss bytes (at most 10240)"
[ "$pages" -le "$cap" ] || { echo "FAIL: more pages written by relocation at every start"; st=1; }
[ "$tbss" -le 10240 ] || { echo "FAIL: a larger static TLS block, zeroed at every thread's start"; st=1; }
exit $st
