/* SPDX-License-Identifier: MIT */
/* kernel32!SetThreadContext's entry: captures the caller's CONTEXT (thunks/ntdll/exc_capture.inc)
 * and calls k32_set_thread_context (context.c), which resumes foreign code itself. */

    .text

#include "thunks/ntdll/exc_capture.inc"

EXC_ENTRY k32_entry_SetThreadContext, k32_set_thread_context

    .section .note.GNU-stack, "", @progbits
