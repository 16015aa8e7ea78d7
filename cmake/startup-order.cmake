# SPDX-License-Identifier: MIT
# The start-up order (issue 12): a linker script that puts the functions a start enters
# (tools/startup-order/ntrun.order, made by tools/startup-order/gen-order.sh) first and
# together, ahead of the rest of the text. With -ffunction-sections every function is its own
# input section ".text.NAME" (GCC's clones ".text.NAME.part.0", main ".text.startup.main", a
# function marked cold and the cold parts GCC splits off ".text.unlikely.NAME"), so the list
# becomes input-section patterns; a name the build no longer has matches nothing.
# The kernel maps a file's pages 64 KB at a time around each fault (fault-around): packed,
# start-up's code takes a few such windows instead of touching most of the binary's text.
# GNU ld and lld both take it (INSERT keeps the default script in charge).
# Read-only data the same way (DATA_ORDER: the small objects start-up's functions address,
# tools/startup-order/data-order.py), followed by the built-in DLL tables every start reads: the
# tail of thk_gen_strings (the DLL names, cmake/gen_exports.py puts them last), thk_gen_dlls,
# the template records and the templates' blobs (thunks/builtin.c puts those of ntdll, kernel32
# and msvcrt first), so the parts a start reads lie in one run of pages.
# Writable data too (WDATA_ORDER, `data-order.py --writable`): start-up's variables, locks and
# once-flags of .data in .data.ntrun_startup at the end of .data, those of .bss in
# .bss.ntrun_startup at the start of .bss, so the two are adjacent: a start writes a few pages
# there instead of one or two faults in each of ~40 pages of .data and .bss. The two symbols
# around them let rt_populate_startup (runtime/populate.c) make those pages present in one call,
# and those around start-up's code and its tables (not the string pool, of which a start reads
# the tail, nor the templates' blobs) likewise.
# The writable block starts a 64 KB window of its own, followed by .dynamic and .got.plt: the
# kernel maps 16 pages around a read fault of a file page ("fault-around"), read-only, and each
# of them written after that is copied with a TLB flush of its own (~19 us here). ld.so reads
# .dynamic and the lazy GOT's second entry before it relocates anything; where they sat, beside
# .data.rel.ro, .got and .data, every page relocated afterwards took such a flush (4-5 a start).
# Last in the file, they share its last page, which the kernel wrote at exec (the start of
# .bss): present already, read without a fault. .data.rel.ro, .got and .data are then first
# touched by ld.so's writes: fresh copies, no flush. (With -z norelro only: GNU ld keeps
# .dynamic inside the RELRO segment otherwise.)
#   cmake -DORDER=tools/startup-order/ntrun.order -DDATA_ORDER=tools/startup-order/ntrun-data.order
#         -DWDATA_ORDER=tools/startup-order/ntrun-wdata.order
#         [-DLIBC_ORDER=tools/startup-order/ntrun-libc.order]   (a static-pie command)
#         -DOUT=build/generated/ntrun_order.ld -P cmake/startup-order.cmake
cmake_minimum_required(VERSION 3.20)
if(NOT ORDER OR NOT DATA_ORDER OR NOT WDATA_ORDER OR NOT OUT)
  message(FATAL_ERROR "usage: cmake -DORDER=list -DDATA_ORDER=list -DWDATA_ORDER=list -DOUT=script.ld -P startup-order.cmake")
endif()
set(_dynamic_last "")
if(NORELRO)
  set(_dynamic_last "SECTIONS
{
  .dynamic : { *(.dynamic) }
  .got.plt : { *(.got.plt) *(.igot.plt) }
}
INSERT AFTER .data.ntrun_startup;
")
endif()
file(STRINGS ${ORDER} _names REGEX "^[A-Za-z_][A-Za-z0-9_.]*$")
set(_seen "")
set(_body "")
foreach(_n IN LISTS _names)
  string(REGEX REPLACE "\\..*" "" _n "${_n}") # a clone: its function and all its clones
  if(NOT _n IN_LIST _seen)
    list(APPEND _seen ${_n})
    string(APPEND _body "    *(.text.${_n} .text.${_n}.* .text.startup.${_n} .text.unlikely.${_n})\n")
  endif()
endforeach()
# A static-pie command (LIBC_ORDER, tools/startup-order/ntrun-libc.order): the members of libc.a
# that a start enters, placed by member (glibc's archive has no section per function), first:
# _start and libc's own start run before any of the runtime's functions.
set(_libc "")
if(LIBC_ORDER)
  file(STRINGS ${LIBC_ORDER} _members REGEX "^[A-Za-z0-9_][A-Za-z0-9_.+-]*\\.o$")
  foreach(_m IN LISTS _members)
    string(APPEND _libc "    *libc.a:${_m}(.text .text.*)\n")
  endforeach()
endif()
file(STRINGS ${DATA_ORDER} _names REGEX "^[A-Za-z_][A-Za-z0-9_.]*$")
set(_data "")
foreach(_n IN LISTS _names)
  string(APPEND _data "    *(.rodata.${_n})\n")
endforeach()
# RODATA_ORDER (tools/startup-order/ntrun-rodata.order, rodata-order.sh): the input sections of
# .rodata a start reads, "FILE SECTION" a line (string literals, switch tables, function-scope
# statics, msvcrt's inline code and libc members' tables, which have no name data-order.py can
# follow), placed with the objects of DATA_ORDER in the populated range of .rodata.ntrun_startup
# (~8 KB: a start read them from ~10 windows of .rodata before).
set(_ro "")
if(RODATA_ORDER)
  file(STRINGS ${RODATA_ORDER} _lines REGEX "^[A-Za-z0-9_./+:-]+ [A-Za-z0-9_.]+$")
  foreach(_l IN LISTS _lines)
    string(REPLACE " " ";" _l "${_l}")
    list(GET _l 0 _f)
    list(GET _l 1 _s)
    string(APPEND _ro "    *${_f}(${_s})\n")
  endforeach()
endif()
file(STRINGS ${WDATA_ORDER} _names REGEX "^[A-Za-z_][A-Za-z0-9_.]*$")
set(_wdata "")
set(_wbss "")
foreach(_n IN LISTS _names)
  # initialised data with pointers is .data.rel[.local].NAME in position-independent code
  string(APPEND _wdata "    *(.data.${_n} .data.rel.${_n} .data.rel.local.${_n})\n")
  string(APPEND _wbss "    *(.bss.${_n})\n")
endforeach()
file(WRITE ${OUT}.tmp "/* Generated from ${ORDER}, ${DATA_ORDER} and ${WDATA_ORDER}
 * by cmake/startup-order.cmake. Do not edit. */
SECTIONS
{
  .text.ntrun_startup :
  {
    PROVIDE_HIDDEN(ntrun_startup_text_start = .);
    /* the C start files' code first (_start), and the exit's _fini beside it (crti.o's
       prologue and crtn.o's epilogue, in link order as in the default .fini) */
    *crt1.o(.text) *crti.o(.text) *crtbeginS.o(.text) *crtendS.o(.text) *crtn.o(.text)
    KEEP (*(SORT_NONE(.fini)))
${_libc}${_body}    /* the assembly (one .text each) */
    *.S.o(.text)
    *libc_nonshared.a:*(.text .text.*)
    PROVIDE_HIDDEN(ntrun_startup_text_end = .);
  }
}
INSERT BEFORE .text;
SECTIONS
{
  .rodata.ntrun_startup :
  {
    PROVIDE_HIDDEN(ntrun_startup_ro_base = .);
    . = ALIGN(0x10000);
    *(.rodata.thk_gen_pool_pad)
    *(.rodata.thk_gen_strings)
    PROVIDE_HIDDEN(ntrun_startup_rodata_start = .);
${_data}    /* THK_EXPORT's DLL names (thunks/thunks.h), merged: a start compares a few */
    *(.rodata.thk_export_dll)
${_ro}    *(.rodata.thk_gen_dlls)
    *(.rodata.thk_gen_apiset_rules)
    *(.rodata.thk_tmpls)
    PROVIDE_HIDDEN(ntrun_startup_rodata_end = .);
    *(.rodata.thk_images)
    /* as many bytes again as the padding before the pool took, modulo 64 KB: what follows
       keeps the alignment it would have had without it */
    . = . + ((ntrun_startup_ro_base - thk_gen_strings) & 0xffff);
  }
}
INSERT BEFORE .rodata;
SECTIONS
{
  .data.ntrun_startup ALIGN(0x10000) :
  {
    PROVIDE_HIDDEN(ntrun_startup_wdata_start = .);
${_wdata}  }
}
INSERT AFTER .data;
${_dynamic_last}SECTIONS
{
  .bss.ntrun_startup :
  {
    /* crtbeginS.o's flag (completed.0), read and written by the exit: in the file's last
       page, which the kernel wrote at exec, instead of a read fault and a copy in .bss */
    *crtbeginS.o(.bss .bss.*)
${_wbss}    PROVIDE_HIDDEN(ntrun_startup_wbss_end = .);
    /* msvcrt's fd table (112 KB, thunks/msvcrt/io.c) right after: a start writes its first
       three entries (fds 0-2), which then lie in the block's last page, made present with
       the block, instead of a page of their own (docs/performance.md, issue 12, twenty-fifth
       pass, second round) */
    *(.bss.crt_fds)
  }
}
INSERT BEFORE .bss;
")
file(COPY_FILE ${OUT}.tmp ${OUT} ONLY_IF_DIFFERENT)
file(REMOVE ${OUT}.tmp)
