/* SPDX-License-Identifier: MIT */
/* runtime/ assembly: the pieces that must run inside the SUD bypass range or need exact control
 * of registers and the stack. This file's text is part of the runtime's own text, which is the
 * Syscall User Dispatch bypass range: the `syscall` instructions here are never trapped. */

    .text

/* The signal-return trampoline (sa_restorer of every handler ntrun installs). It must be inside
 * the bypass range: when a handler returns to foreign code the selector is already back at BLOCK,
 * and rt_sigreturn from outside the range would trap and kill the process. The ud2 keeps at
 * least one byte of the range after the syscall (the kernel checks the address after it). */
    .globl rt_sigreturn_trampoline
    .type rt_sigreturn_trampoline, @function
rt_sigreturn_trampoline:
    mov $15, %eax            /* __NR_rt_sigreturn */
    syscall
    ud2
    .size rt_sigreturn_trampoline, .-rt_sigreturn_trampoline

/* long rt_raw_syscall6(long nr, long a0, long a1, long a2, long a3, long a4, long a5) */
    .globl rt_raw_syscall6
    .type rt_raw_syscall6, @function
rt_raw_syscall6:
    mov %rdi, %rax
    mov %rsi, %rdi
    mov %rdx, %rsi
    mov %rcx, %rdx
    mov %r8, %r10
    mov %r9, %r8
    mov 8(%rsp), %r9
    syscall
    ret
    .size rt_raw_syscall6, .-rt_raw_syscall6

/* uint64_t rt_call_on_stack(void *stack_top, uint64_t (*fn)(void *), void *arg)
 * Runs fn(arg) with %rsp = stack_top (16-byte aligned) and returns on the original stack. */
    .globl rt_call_on_stack
    .type rt_call_on_stack, @function
rt_call_on_stack:
    .cfi_startproc
    push %rbp
    .cfi_def_cfa_offset 16
    .cfi_offset %rbp, -16
    mov %rsp, %rbp
    .cfi_def_cfa_register %rbp
    and $-16, %rdi
    mov %rdi, %rsp
    mov %rdx, %rdi
    call *%rsi
    mov %rbp, %rsp
    pop %rbp
    .cfi_def_cfa %rsp, 8
    ret
    .cfi_endproc
    .size rt_call_on_stack, .-rt_call_on_stack

/* int rt_safe_copy(void *dst, const void *src, size_t n)
 * 0, or -EFAULT: a fault at any instruction in [rt_safe_copy_insn, rt_safe_copy_insn_end) is
 * redirected by the SIGSEGV/SIGBUS handler to rt_safe_copy_fixup (see signal.c).
 * 8 and 4 bytes (most NT outputs: LARGE_INTEGER, ULONG, handles) take one load and one store:
 * `rep movsb`'s start-up cost was ~4 ns of an imported NtQuerySystemTime's ~31 ns. */
    .globl rt_safe_copy
    .globl rt_safe_copy_insn
    .globl rt_safe_copy_insn_end
    .globl rt_safe_copy_fixup
    .type rt_safe_copy, @function
rt_safe_copy:
rt_safe_copy_insn:
    cmp $8, %rdx
    jne 1f
    mov (%rsi), %rax
    mov %rax, (%rdi)
    xor %eax, %eax
    ret
1:  cmp $4, %rdx
    jne 2f
    mov (%rsi), %eax
    mov %eax, (%rdi)
    xor %eax, %eax
    ret
2:  mov %rdx, %rcx
    rep movsb
rt_safe_copy_insn_end:
    xor %eax, %eax
    ret
rt_safe_copy_fixup:
    mov $-14, %eax           /* -EFAULT */
    ret
    .size rt_safe_copy, .-rt_safe_copy

    .section .note.GNU-stack, "", @progbits
