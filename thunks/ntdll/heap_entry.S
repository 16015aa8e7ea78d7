/* SPDX-License-Identifier: MIT */
/* HeapAlloc/RtlAllocateHeap and HeapReAlloc/RtlReAllocateHeap (THK_RAW exports: entered from
 * foreign code, selector BLOCK, nothing saved). Each calls its C body (kernel32/memory.c)
 * through the generic thunk like any export; a body that returns 1 asks for
 * HEAP_GENERATE_EXCEPTIONS' STATUS_NO_MEMORY, raised by a tail jump into RaiseException's
 * capturing entry, so the exception's context is the program's call site with the registers
 * the call preserved. No system call here. */

    .text

.macro HEAP_ENTRY name, body
    .globl \name
    .type \name, @function
\name:
    .cfi_startproc
    sub $8, %rsp                 /* entry %rsp = 8 mod 16; thk_f2n_regs wants the same */
    .cfi_adjust_cfa_offset 8
    lea \body(%rip), %rax
    call thk_f2n_regs
    add $8, %rsp
    .cfi_adjust_cfa_offset -8
    cmp $1, %rax
    je 1f
    ret
1:  xor %eax, %eax               /* a handler that continues sees NULL returned */
    mov $0xC0000017, %ecx        /* STATUS_NO_MEMORY, continuable, no parameters */
    xor %edx, %edx
    xor %r8d, %r8d
    xor %r9d, %r9d
    jmp exc_entry_RaiseException
    .cfi_endproc
    .size \name, .-\name
.endm

HEAP_ENTRY heap_entry_alloc, heap_export_alloc
HEAP_ENTRY heap_entry_realloc, heap_export_realloc

    .section .note.GNU-stack,"",@progbits
