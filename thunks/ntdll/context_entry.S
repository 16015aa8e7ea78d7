/* SPDX-License-Identifier: MIT */
/* ntdll!NtContinue and ntdll!NtSetContextThread (and their Zw names): capturing entries
 * (exc_capture.inc) calling the bodies in context.c, which resume foreign code themselves. */

    .text

#include "thunks/ntdll/exc_capture.inc"

EXC_ENTRY ntdll_entry_NtContinue, ntdll_nt_continue
EXC_ENTRY ntdll_entry_NtSetContextThread, ntdll_nt_set_context_thread

    .section .note.GNU-stack, "", @progbits
