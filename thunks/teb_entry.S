/* SPDX-License-Identifier: MIT */
/* The trivial TEB queries as foreign code calls them: GetLastError, SetLastError,
 * GetCurrentProcessId and GetCurrentThreadId read or write one field of the calling thread's
 * TEB through %gs, as Windows' own kernel32/ntdll code does. Every thread that runs foreign code
 * has its TEB as the %gs base (the selector's crossing relies on it too), so these need no
 * crossing: no selector flip, no call into SysV code (which would make the ms_abi side spill
 * xmm6-15). They cannot fault and touch no stack.
 *
 * THK_INLINE exports (thunks/thunks.h): the bytes below are copied into the DLL's image, so the
 * program's import slot points at the `mov` itself. As THK_RAW entries (the code in ntrun's
 * text) an import was `call [IAT]`, the stub's `mov rax, [table]; jmp rax`, then the `mov; ret`:
 * the stub's load and indirect jump were most of what a trivial import cost over a plain call
 * (ntbench pe.import.trivial 1.81x pe.call.indirect; issue 12). No rel32 fields, no targets.
 * Native callers use the C functions (thunks/lasterror.c, thunks/kernel32/process.c), which
 * also work without a TEB. */
#include "thk_inline_asm.h"

#define TEB_CLIENT_ID_PROCESS 0x40 /* TEB.ClientId.UniqueProcess (runtime/teb.h) */
#define TEB_CLIENT_ID_THREAD 0x48  /* TEB.ClientId.UniqueThread */
#define TEB_LAST_ERROR 0x68        /* TEB.LastErrorValue */

/* TEB_INLINE name, native: `name`'s code (one instruction and `ret`, given by the lines up to
 * TEB_INLINE_END), its descriptor, and the C function native callers call. */
.macro TEB_INLINE name, native
    .hidden \native
    THK_INLINE_CODE \name
.endm
.macro TEB_INLINE_END name, native
    THK_INLINE_REFS \name
    THK_INLINE_DESC \name, \native, 0, 0
.endm

    TEB_INLINE thk_inline_GetLastError, GetLastError
    mov %gs:TEB_LAST_ERROR, %eax
    ret
    TEB_INLINE_END thk_inline_GetLastError, GetLastError

    TEB_INLINE thk_inline_SetLastError, SetLastError
    mov %ecx, %gs:TEB_LAST_ERROR
    ret
    TEB_INLINE_END thk_inline_SetLastError, SetLastError

    TEB_INLINE thk_inline_GetCurrentProcessId, GetCurrentProcessId
    mov %gs:TEB_CLIENT_ID_PROCESS, %eax
    ret
    TEB_INLINE_END thk_inline_GetCurrentProcessId, GetCurrentProcessId

    TEB_INLINE thk_inline_GetCurrentThreadId, GetCurrentThreadId
    mov %gs:TEB_CLIENT_ID_THREAD, %eax
    ret
    TEB_INLINE_END thk_inline_GetCurrentThreadId, GetCurrentThreadId

    .section .note.GNU-stack, "", @progbits
