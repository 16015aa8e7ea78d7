/* SPDX-License-Identifier: MIT */
/* _CxxThrowException's entry: captures the throwing function's context (THK_RAW export) and
 * calls vcrt_cxx_throw (throw.c), which raises the C++ exception from there. */
    .text

#include "thunks/ntdll/exc_capture.inc"

EXC_ENTRY vcrt_entry_CxxThrowException, vcrt_cxx_throw

    .section .note.GNU-stack, "", @progbits
