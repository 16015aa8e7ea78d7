/* SPDX-License-Identifier: MIT */
/* runtime/ assembly for exceptions: the entry of the exception dispatcher after a fault, and the
 * restore of a CONTEXT into foreign code. Part of the runtime's text (the SUD bypass range). */
#include "runtime/rt_layout.h"

    .text

/* Reached by rt_sigreturn from the fault handler (rt_fault_to_exception): %rsp = %rdi = the
 * CONTEXT (64-byte aligned), its CONTEXT_EX, then its EXCEPTION_RECORD, selector ALLOW. */
    .globl rt_exception_entry
    .type rt_exception_entry, @function
rt_exception_entry:
    mov %rsp, %rsi           /* CONTEXT */
    lea 0x4f0(%rsp), %rdi    /* EXCEPTION_RECORD, after the CONTEXT_EX */
    call rt_exception_call_dispatcher
    ud2
    .size rt_exception_entry, .-rt_exception_entry

/* void rt_exc_sigreturn(const ucontext_t *uc): rt_sigreturn of the signal frame whose
 * ucontext is at uc (as after a handler's return popped the frame's return address: the
 * kernel reads the frame at %rsp - 8). The ucontext's fpregs must point at a 64-byte aligned
 * xsave image (rt_native_fault_resume). */
    .globl rt_exc_sigreturn
    .type rt_exc_sigreturn, @function
rt_exc_sigreturn:
    mov %rdi, %rsp
    mov $15, %eax            /* __NR_rt_sigreturn */
    syscall
    ud2
    .size rt_exc_sigreturn, .-rt_exc_sigreturn

/* void rt_exc_restore_context(const CONTEXT *ctx): see exception.h. An iretq frame on the
 * current stack loads rip, cs, rflags, rsp and ss at once, so nothing is written below the
 * target's stack pointer. */
    .globl rt_exc_restore_context
    .type rt_exc_restore_context, @function
rt_exc_restore_context:
    fxrstor 0x100(%rdi)
    ldmxcsr 0x34(%rdi)
    and $-16, %rsp
    xor %eax, %eax
    mov %ss, %ax
    push %rax                /* SS */
    push 0x98(%rdi)          /* RSP */
    mov 0x44(%rdi), %eax
    push %rax                /* RFLAGS */
    xor %eax, %eax
    mov %cs, %ax
    push %rax                /* CS */
    push 0xf8(%rdi)          /* RIP */
    mov 0x78(%rdi), %rax
    mov 0x80(%rdi), %rcx
    mov 0x88(%rdi), %rdx
    mov 0x90(%rdi), %rbx
    mov 0xa0(%rdi), %rbp
    mov 0xa8(%rdi), %rsi
    mov 0xb8(%rdi), %r8
    mov 0xc0(%rdi), %r9
    mov 0xc8(%rdi), %r10
    mov 0xd0(%rdi), %r11
    mov 0xd8(%rdi), %r12
    mov 0xe0(%rdi), %r13
    mov 0xe8(%rdi), %r14
    mov 0xf0(%rdi), %r15
    mov 0xb0(%rdi), %rdi
    movb $RT_SEL_BLOCK, %gs:RT_SEL_OFFSET
    iretq
    .size rt_exc_restore_context, .-rt_exc_restore_context

    .section .note.GNU-stack, "", @progbits
