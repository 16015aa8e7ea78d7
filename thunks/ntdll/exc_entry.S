/* SPDX-License-Identifier: MIT */
/* Entry points of the exception exports that need the foreign caller's exact register state
 * (THK_RAW: the export stub jumps straight here, selector still BLOCK, nothing saved).
 * Capturing entries build a CONTEXT of the call site on the foreign stack (Rip = the return
 * address, Rsp = the caller's stack pointer after the return), set the selector to ALLOW and
 * call a native C body (exception.c) that never returns: it resumes foreign code through
 * rt_exc_restore_context. */

    .text

#include "thunks/ntdll/exc_capture.inc"

EXC_ENTRY_ROOM exc_entry_RaiseException, exc_raise_exception
EXC_ENTRY_ROOM exc_entry_RtlRaiseException, exc_rtl_raise_exception
EXC_ENTRY_ROOM exc_entry_RtlUnwindEx, exc_rtl_unwind_ex
EXC_ENTRY_ROOM exc_entry_RtlUnwind, exc_rtl_unwind
EXC_ENTRY exc_entry_RtlRestoreContext, exc_rtl_restore_context
EXC_ENTRY_ROOM exc_entry_longjmp, exc_longjmp
EXC_ENTRY exc_entry_RtlCaptureStackBackTrace, exc_capture_stack_back_trace
EXC_ENTRY exc_entry_RtlWalkFrameChain, exc_walk_frame_chain

/* EXC_ENTRY_ROOM's way out when the raise has no room (r11 = the thread's stack mapping, r10 =
 * the entry): a write to its no-access page, taken by the fault handler as a fault at the
 * export's first instruction (a leaf registered with RT_EXC_RAISE_FRAMES,
 * thunks/ntdll/exception.c). */
    .globl exc_entry_no_room
    .type exc_entry_no_room, @function
exc_entry_no_room:
    movb $0, (%r11)
    ud2
    .globl exc_entry_no_room_end
exc_entry_no_room_end:
    .size exc_entry_no_room, .-exc_entry_no_room

/* void RtlCaptureContext(CONTEXT *ctx): the caller's state (Rip = return address). Leaf, no
 * system call: stays at selector BLOCK. */
    .globl exc_entry_RtlCaptureContext
    .type exc_entry_RtlCaptureContext, @function
exc_entry_RtlCaptureContext:
    mov %rax, 0x78(%rcx)
    pushfq
    pop %rax
    mov %eax, 0x44(%rcx)
    mov %rcx, 0x80(%rcx)
    mov %rdx, 0x88(%rcx)
    mov %rbx, 0x90(%rcx)
    mov %rbp, 0xa0(%rcx)
    mov %rsi, 0xa8(%rcx)
    mov %rdi, 0xb0(%rcx)
    mov %r8, 0xb8(%rcx)
    mov %r9, 0xc0(%rcx)
    mov %r10, 0xc8(%rcx)
    mov %r11, 0xd0(%rcx)
    mov %r12, 0xd8(%rcx)
    mov %r13, 0xe0(%rcx)
    mov %r14, 0xe8(%rcx)
    mov %r15, 0xf0(%rcx)
    lea 8(%rsp), %rax
    mov %rax, 0x98(%rcx)
    mov (%rsp), %rax
    mov %rax, 0xf8(%rcx)
    stmxcsr 0x34(%rcx)
    fxsave 0x100(%rcx)
    movw %cs, 0x38(%rcx)
    movw %ds, 0x3a(%rcx)
    movw %es, 0x3c(%rcx)
    movw %fs, 0x3e(%rcx)
    movw %gs, 0x40(%rcx)
    movw %ss, 0x42(%rcx)
    movl $0x10000f, 0x30(%rcx)
    mov 0x78(%rcx), %rax
    ret
    .globl exc_entry_RtlCaptureContext_end
exc_entry_RtlCaptureContext_end:
    .size exc_entry_RtlCaptureContext, .-exc_entry_RtlCaptureContext

/* int _setjmp(jmp_buf buf, void *frame) / _setjmpex: msvcrt's x64 _JUMP_BUFFER (Frame, Rbx,
 * Rsp, Rbp, Rsi, Rdi, R12-R15, Rip, MxCsr, FpCsr, Xmm6-Xmm15). Leaf, selector stays BLOCK. */
    .globl exc_entry_setjmp
    .type exc_entry_setjmp, @function
exc_entry_setjmp:
    mov %rdx, 0x00(%rcx)
    mov %rbx, 0x08(%rcx)
    lea 8(%rsp), %rax
    mov %rax, 0x10(%rcx)
    mov %rbp, 0x18(%rcx)
    mov %rsi, 0x20(%rcx)
    mov %rdi, 0x28(%rcx)
    mov %r12, 0x30(%rcx)
    mov %r13, 0x38(%rcx)
    mov %r14, 0x40(%rcx)
    mov %r15, 0x48(%rcx)
    mov (%rsp), %rax
    mov %rax, 0x50(%rcx)
    stmxcsr 0x58(%rcx)
    fnstcw 0x5c(%rcx)
    movdqu %xmm6, 0x60(%rcx)
    movdqu %xmm7, 0x70(%rcx)
    movdqu %xmm8, 0x80(%rcx)
    movdqu %xmm9, 0x90(%rcx)
    movdqu %xmm10, 0xa0(%rcx)
    movdqu %xmm11, 0xb0(%rcx)
    movdqu %xmm12, 0xc0(%rcx)
    movdqu %xmm13, 0xd0(%rcx)
    movdqu %xmm14, 0xe0(%rcx)
    movdqu %xmm15, 0xf0(%rcx)
    xor %eax, %eax
    ret
    .globl exc_entry_setjmp_end
exc_entry_setjmp_end:
    .size exc_entry_setjmp, .-exc_entry_setjmp

    .section .note.GNU-stack, "", @progbits
