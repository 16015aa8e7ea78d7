/* SPDX-License-Identifier: MIT */
/* The trivial TEB queries as foreign code calls them (THK_RAW exports): GetLastError,
 * SetLastError, GetCurrentProcessId and GetCurrentThreadId read or write one field of the
 * calling thread's TEB through %gs, as Windows' own kernel32/ntdll code does. Every thread that
 * runs foreign code has its TEB as the %gs base (the selector's crossing relies on it too), so
 * these need no crossing: no selector flip, no call into SysV code (which would make the
 * ms_abi side spill xmm6-15). They cannot fault and touch no stack. Native callers use the C
 * functions (thunks/lasterror.c, thunks/kernel32/process.c), which also work without a TEB. */

#define TEB_CLIENT_ID_PROCESS 0x40 /* TEB.ClientId.UniqueProcess (runtime/teb.h) */
#define TEB_CLIENT_ID_THREAD 0x48  /* TEB.ClientId.UniqueThread */
#define TEB_LAST_ERROR 0x68        /* TEB.LastErrorValue */

    .text

.macro TEB_ENTRY name
    .p2align 4
    .globl \name
    .hidden \name
    .type \name, @function
\name:
.endm

TEB_ENTRY thk_entry_GetLastError
    .cfi_startproc
    mov %gs:TEB_LAST_ERROR, %eax
    ret
    .cfi_endproc
    .size thk_entry_GetLastError, .-thk_entry_GetLastError

TEB_ENTRY thk_entry_SetLastError
    .cfi_startproc
    mov %ecx, %gs:TEB_LAST_ERROR
    ret
    .cfi_endproc
    .size thk_entry_SetLastError, .-thk_entry_SetLastError

TEB_ENTRY thk_entry_GetCurrentProcessId
    .cfi_startproc
    mov %gs:TEB_CLIENT_ID_PROCESS, %eax
    ret
    .cfi_endproc
    .size thk_entry_GetCurrentProcessId, .-thk_entry_GetCurrentProcessId

TEB_ENTRY thk_entry_GetCurrentThreadId
    .cfi_startproc
    mov %gs:TEB_CLIENT_ID_THREAD, %eax
    ret
    .cfi_endproc
    .size thk_entry_GetCurrentThreadId, .-thk_entry_GetCurrentThreadId

    .section .note.GNU-stack, "", @progbits
