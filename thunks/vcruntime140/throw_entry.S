/* SPDX-License-Identifier: MIT */
/* _CxxThrowException's entry: captures the throwing function's context (THK_RAW export) and
 * calls vcrt_cxx_throw (throw.c), which raises the C++ exception from there.
 * __RTDynamicCast's and __RTtypeid's entries (rtti.c): THK_RAW too, they call their ms_abi
 * bodies as thk_f2n_regs calls an export; a result of -1 (-2) goes on to an entry that
 * captures the caller's context and throws std::bad_cast (std::bad_typeid) from there. And the
 * two leaf functions of the vftable of the exceptions the runtime throws. */
    .text

#include "thunks/ntdll/exc_capture.inc"

EXC_ENTRY_ROOM vcrt_entry_CxxThrowException, vcrt_cxx_throw
EXC_ENTRY_ROOM vcrt_entry_throw_bad_cast, vcrt_throw_bad_cast
EXC_ENTRY_ROOM vcrt_entry_throw_bad_typeid, vcrt_throw_bad_typeid

/* name: an ms_abi body with up to five arguments, as thk_f2n_regs runs it (the fifth is
 * copied from the caller's frame); -1 from it continues at throw_entry (the registers the
 * body preserved are the caller's again, the selector still ALLOW: the capture sets it). */
.macro RTTI_ENTRY name, body, sentinel, throw_entry
    .globl \name
    .type \name, @function
\name:
    .cfi_startproc
    movb $RT_SEL_ALLOW, %gs:RT_SEL_OFFSET
    incq %gs:RT_CROSS_OFFSET
    sub $0x28, %rsp
    .cfi_adjust_cfa_offset 0x28
    mov 0x50(%rsp), %rax         /* the caller's fifth argument (entry %rsp + 0x28) */
    mov %rax, 0x20(%rsp)
    call \body
    add $0x28, %rsp
    .cfi_adjust_cfa_offset -0x28
    cmp $\sentinel, %rax
    je \throw_entry
    movb $RT_SEL_BLOCK, %gs:RT_SEL_OFFSET
    ret
    .cfi_endproc
    .size \name, .-\name
.endm

RTTI_ENTRY vcrt_entry_RTDynamicCast, vcrt_dynamic_cast, -1, vcrt_entry_throw_bad_cast
RTTI_ENTRY vcrt_entry_RTtypeid, vcrt_rttypeid, -2, vcrt_entry_throw_bad_typeid

/* std::exception's what() and scalar deleting destructor for the objects of rtti.c, called by
 * foreign code: leaves that make no system call. The object is not freed (it is not heap
 * memory). */
    .globl vcrt_std_exception_what
    .type vcrt_std_exception_what, @function
vcrt_std_exception_what:
    mov 8(%rcx), %rax
    test %rax, %rax
    jnz 1f
    lea vcrt_unknown_exception(%rip), %rax
1:  ret
    .size vcrt_std_exception_what, .-vcrt_std_exception_what

    .globl vcrt_std_exception_sdtor
    .type vcrt_std_exception_sdtor, @function
vcrt_std_exception_sdtor:
    mov %rcx, %rax
    ret
    .size vcrt_std_exception_sdtor, .-vcrt_std_exception_sdtor

    .section .rodata
vcrt_unknown_exception:
    .asciz "Unknown exception"

    .section .note.GNU-stack, "", @progbits
