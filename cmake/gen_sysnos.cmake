# SPDX-License-Identifier: MIT
# Turns ntemu/nt-syscalls-x64.csv (name,win10_22h2,win11_24h2) into an X-macro header:
#   NT_SYSNO(name, win10_number, win11_number)   with -1 where a build lacks the call,
# in name order.
cmake_minimum_required(VERSION 3.20)  # script mode: CMP0007 NEW keeps empty CSV fields
file(STRINGS ${CSV} lines)
# Name order (',' sorts below every identifier character, so this is strcmp order of the names):
# ntdll's export directory is built from the list without sorting it at run time.
list(SORT lines)
set(body "/* Generated from nt-syscalls-x64.csv by cmake/gen_sysnos.cmake. Do not edit. */\n")
string(APPEND body "#define NT_SYSNO_LIST(X) \\\n")
foreach(line IN LISTS lines)
  if(line MATCHES "^#" OR line MATCHES "^name,")
    continue()
  endif()
  string(REPLACE "," ";" f "${line}")
  list(LENGTH f n)
  if(n LESS 2)
    continue()
  endif()
  list(GET f 0 name)
  list(GET f 1 w10)
  set(w11 "")
  if(n GREATER 2)
    list(GET f 2 w11)
  endif()
  if(w10 STREQUAL "")
    set(w10 "-1")
  endif()
  if(w11 STREQUAL "")
    set(w11 "-1")
  endif()
  string(APPEND body "  X(${name}, ${w10}, ${w11}) \\\n")
endforeach()
string(APPEND body "\n")
file(WRITE ${OUT}.tmp "${body}")
file(COPY_FILE ${OUT}.tmp ${OUT} ONLY_IF_DIFFERENT)
