#!/bin/sh
# A second opinion on EndUpdateResource's output: pe.resource_update's program edits a copy of
# itself and leaves it (argument "keep DIR"); llvm-readobj and mingw-w64's objdump, which share
# no code with ntrun, must read the new resource directory and headers: every resource the
# program wrote with its type, name, language and size, the deleted one gone, the data directory
# naming the .rsrc section, SizeOfImage covering the last section; and the copy must still run.
# The same for the two layouts rewritten into a new last .rsrc section (edited_inside.exe,
# edited_pinned.exe).
# usage: resource-readobj.sh NTRUN RESOURCE_UPDATE_EXE
ntrun=$1 exe=$2
for tool in llvm-readobj x86_64-w64-mingw32-objdump; do
    if ! command -v $tool > /dev/null 2>&1; then
        echo "skip: $tool is missing"
        exit 77
    fi
done
work=$(mktemp -d "${TMPDIR:-/tmp}/ntrun-res.XXXXXX") || exit 2
trap 'rm -rf "$work"' EXIT
fail=0
"$ntrun" "$exe" keep "$work" > "$work/out" 2>&1 || { echo "FAIL: the program failed:"; cat "$work/out"; exit 1; }
edited=$work/edited.exe
llvm-readobj --coff-resources "$edited" > "$work/res" 2> "$work/res.err" ||
    { echo "FAIL: llvm-readobj cannot read the resources:"; cat "$work/res.err"; exit 1; }
# one line per resource of llvm-readobj's listing $1: type/name/language size
list_resources() {
    awk '/^  Type: /{t=$0; sub(/^  Type: /,"",t)} /^    Name: /{n=$0; sub(/^    Name: /,"",n)}
         /^      Language: /{l=$0; sub(/^      Language: /,"",l)} /DataSize:/{print t "/" n "/" l, $2}' \
        "$1" | sed 's/ \[$//; s/ \[\//\//g; s/ \[ / /' > "$work/list"
}
list_resources "$work/res"
cat "$work/list"
want() {
    if grep -qF -- "$1" "$work/list"; then echo "ok: $1"; else echo "FAIL: no \"$1\""; fail=1; fi
}
want "VERSIONINFO (ID 16)/(ID 1)/(ID 1033) "
want "STRINGTABLE (ID 6)/(ID 1)/(ID 1033) 70"
want "ICON (ID 3)/(ID 1)/(ID 1033) 1128"
want "GROUP_ICON (ID 14)/(ID 1)/(ID 1033) 20"
want "RCDATA (ID 10)/(ID 500)/(ID 1033) 8192"
want "NTRUNDATA/PAYLOAD/(ID 0) 8"
want "RCDATA (ID 10)/KEEPME/(ID 1033) 5"
if grep -q DROPME "$work/list"; then echo "FAIL: DROPME is still there"; fail=1; fi
# the headers: the resource directory is the .rsrc section's start; SizeOfImage ends the last section
x86_64-w64-mingw32-objdump -p -h "$edited" > "$work/hdr" 2>&1 || { echo "FAIL: objdump:"; cat "$work/hdr"; exit 1; }
rsrc=$(awk '$1 ~ /^[0-9]+$/ && $2 == ".rsrc" {print $3, $4}' "$work/hdr")
base=$(awk '/^ImageBase/ {print $2}' "$work/hdr")
soi=$(awk '/^SizeOfImage/ {print $2}' "$work/hdr")
salign=$(awk '/^SectionAlignment/ {print $2}' "$work/hdr")
dir=$(awk '/^Entry 2 / {print $3, $4}' "$work/hdr")
reloc=$(awk '$1 ~ /^[0-9]+$/ && $2 == ".reloc" {print $3, $4}' "$work/hdr")
reloc_dir=$(awk '/^Entry 5 / {print $3, $4}' "$work/hdr")
last=$(awk '/^ *[0-9]+ [^ ]+ +[0-9a-f]+ +[0-9a-f]+ / {size=$3; vma=$4} END {print size, vma}' "$work/hdr")
set -- $rsrc $dir $last $reloc $reloc_dir
rsrc_size=$1 rsrc_vma=$2 dir_rva=$3 dir_size=$4 last_size=$5 last_vma=$6
reloc_size=$7 reloc_vma=$8 reloc_rva=$9 reloc_dsize=${10}
rsrc_rva=$(( 0x$rsrc_vma - 0x$base ))
last_end=$(( (0x$last_vma - 0x$base + 0x$last_size + 0x$salign - 1) / 0x$salign * 0x$salign ))
echo ".rsrc: size 0x$rsrc_size at RVA $(printf %x $rsrc_rva); resource directory: RVA 0x$dir_rva size 0x$dir_size; SizeOfImage 0x$soi, the last section ends at $(printf %x $last_end)"
if [ $(( 0x$dir_rva )) -eq $rsrc_rva ] && [ $(( 0x$dir_size )) -le $(( 0x$rsrc_size )) ]; then
    echo "ok: the resource directory is the .rsrc section"
else
    echo "FAIL: the resource directory is not the .rsrc section"; fail=1
fi
if [ $(( 0x$reloc_vma - 0x$base )) -eq $(( 0x$reloc_rva )) ] && [ $(( 0x$reloc_dsize )) -le $(( 0x$reloc_size )) ]; then
    echo "ok: the base relocation directory is the .reloc section (RVA 0x$reloc_rva)"
else
    echo "FAIL: base relocations at RVA 0x$reloc_rva, .reloc at $reloc_vma"; fail=1
fi
if [ $(( 0x$soi )) -eq $last_end ]; then
    echo "ok: SizeOfImage ends with the last section"
else
    echo "FAIL: SizeOfImage 0x$soi, the sections end at $(printf %x $last_end)"; fail=1
fi
# the copy $1 runs and finds its new string ($2: what to call it)
runs() {
    "$ntrun" "$1" child > "$work/child" 2>&1
    status=$?
    if [ $status -eq 7 ] && grep -q 'child: string 1 "new first"' "$work/child"; then
        echo "ok: $2 runs"
    else
        echo "FAIL: $2 (exit $status):"; cat "$work/child"; fail=1
    fi
}
runs "$edited" "the edited copy"
# the layouts rewritten into a new last section (the directory inside the section before
# .rsrc; a section that may not move after .rsrc): llvm-readobj finds the resources there,
# objdump's resource directory entry is that section's start, and the copy runs
for layout in inside pinned; do
    f=$work/edited_$layout.exe
    llvm-readobj --coff-resources "$f" > "$work/res_$layout" 2> "$work/res.err" ||
        { echo "FAIL: $layout: llvm-readobj cannot read the resources:"; cat "$work/res.err"; fail=1; continue; }
    list_resources "$work/res_$layout"
    for w in "STRINGTABLE (ID 6)/(ID 1)/(ID 1033) 70" "RCDATA (ID 10)/(ID 500)/(ID 1033) 8192" \
             "RCDATA (ID 10)/KEEPME/(ID 1033) 5"; do
        want "$w"
    done
    x86_64-w64-mingw32-objdump -p -h "$f" > "$work/hdr" 2>&1 || { echo "FAIL: objdump:"; cat "$work/hdr"; exit 1; }
    base=$(awk '/^ImageBase/ {print $2}' "$work/hdr")
    dir=$(awk '/^Entry 2 / {print $3}' "$work/hdr")
    last=$(awk '/^ *[0-9]+ [^ ]+ +[0-9a-f]+ +[0-9a-f]+ / {name=$2; vma=$4} END {print name, vma}' "$work/hdr")
    set -- $last
    if [ "$1" = .rsrc ] && [ $(( 0x$2 - 0x$base )) -eq $(( 0x$dir )) ]; then
        echo "ok: $layout: the resource directory starts the last section, .rsrc"
    else
        echo "FAIL: $layout: resource directory at RVA 0x$dir, the last section $1 at $2"; fail=1
    fi
    runs "$f" "$layout: the edited copy"
done
exit $fail
