/* SPDX-License-Identifier: MIT */
/* runtime/ assembly: the pieces that must run inside the SUD bypass range or need exact control
 * of registers and the stack. This file's text is part of the runtime's own text, which is the
 * Syscall User Dispatch bypass range: the `syscall` instructions here are never trapped. */

#include "runtime/rt_layout.h"

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

/* The common entry of rewritten `syscall` sites (rewrite.c). A site's trampoline runs the
 * instruction the site had before its `syscall`, then `call *rt_sys_fast_entry`, then jumps
 * back after the `syscall`. Here, as the kernel would see it: the number in %eax, the
 * arguments in %r10, %rdx, %r8, %r9 and from the site's %rsp + 0x28 (our entry %rsp + 0x30).
 * Calls rt_nt_fast_dispatcher (ms_abi: a0, a1, a2, a3, stack_args, number) with the selector
 * at ALLOW. Every register is kept except %rax (the status), %rcx and %r11 (a `syscall`
 * clobbers them too): %rdx, %r8-%r10 and %xmm0-5, which the ms_abi callee may change, are
 * saved here. Reached from foreign code with the selector at BLOCK; leaves it BLOCK. */
    .globl rt_sys_fast_entry
    .hidden rt_sys_fast_entry
    .type rt_sys_fast_entry, @function
rt_sys_fast_entry:
    .cfi_startproc
    movb $RT_SEL_ALLOW, %gs:RT_SEL_OFFSET
    push %rbp
    .cfi_def_cfa_offset 16
    .cfi_offset %rbp, -16
    mov %rsp, %rbp
    .cfi_def_cfa_register %rbp
    push %rdx
    push %r8
    push %r9
    push %r10
    sub $0x90, %rsp
    and $-16, %rsp
    movaps %xmm0, 0x30(%rsp)
    movaps %xmm1, 0x40(%rsp)
    movaps %xmm2, 0x50(%rsp)
    movaps %xmm3, 0x60(%rsp)
    movaps %xmm4, 0x70(%rsp)
    movaps %xmm5, 0x80(%rsp)
    lea 0x38(%rbp), %r11         /* the site's %rsp + 0x28 = entry %rsp + 0x30 */
    mov %r11, 0x20(%rsp)
    mov %eax, %eax
    mov %rax, 0x28(%rsp)
    mov %r10, %rcx
    call *rt_nt_fast_dispatcher(%rip)
    mov %eax, %eax               /* the NTSTATUS, zero-extended (the dispatcher tail-calls) */
    movaps 0x30(%rsp), %xmm0
    movaps 0x40(%rsp), %xmm1
    movaps 0x50(%rsp), %xmm2
    movaps 0x60(%rsp), %xmm3
    movaps 0x70(%rsp), %xmm4
    movaps 0x80(%rsp), %xmm5
    mov -8(%rbp), %rdx
    mov -16(%rbp), %r8
    mov -24(%rbp), %r9
    mov -32(%rbp), %r10
    leave
    .cfi_def_cfa %rsp, 8
    movb $RT_SEL_BLOCK, %gs:RT_SEL_OFFSET
    ret
    .cfi_endproc
    .size rt_sys_fast_entry, .-rt_sys_fast_entry

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
/* int rt_safe_probe_write(void *p): 0 when the byte at p can be written, else -EFAULT. A
 * locked `or` of zero is a write access that changes nothing, atomically: a store another
 * thread makes meanwhile is not lost. Inside the fix-up range of rt_safe_copy. */
    .globl rt_safe_probe_write
rt_safe_probe_write:
    lock orb $0, (%rdi)
    xor %eax, %eax
    ret
/* int rt_safe_store8(void *dst, uint64_t v): 0, or -EFAULT. Changes only %rax and the flags,
 * so that C code can call it from inline assembly that says so (ntemu/time.c: an ms_abi
 * handler calling a SysV function would save xmm6-15). Inside the fix-up range. */
    .globl rt_safe_store8
    .hidden rt_safe_store8
    .type rt_safe_store8, @function
rt_safe_store8:
    mov %rsi, (%rdi)
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


/* The stops of a suspended thread at the boundary back to foreign code (thread.c,
 * rt_suspend_arm). A suspension that finds its thread inside a built-in replaces the return
 * address of the innermost foreign -> native crossing (thunks/thunk_asm.S) with one of these,
 * so the built-in finishes normally and the thread stops exactly where it would re-enter
 * foreign code. Entry: selector ALLOW, the built-in's result in %rax/%xmm0, the foreign
 * callee-saved registers restored.
 * thk_f2n_regs: %rsp is the thunk's (0x28 bytes of home space, then the foreign return
 * address); %rbp is the foreign one. */
    .globl rt_boundary_stop_regs
    .type rt_boundary_stop_regs, @function
rt_boundary_stop_regs:
    mov 0x28(%rsp), %r10         /* foreign Rip */
    lea 0x30(%rsp), %r11         /* foreign Rsp after the return */
    jmp rt_boundary_stop
    .size rt_boundary_stop_regs, .-rt_boundary_stop_regs

/* thk_f2n_stack: %rbp is the thunk's frame (foreign %rbp, then the foreign return address). */
    .globl rt_boundary_stop_stack
    .type rt_boundary_stop_stack, @function
rt_boundary_stop_stack:
    mov 8(%rbp), %r10
    lea 16(%rbp), %r11
    mov (%rbp), %rbp
    jmp rt_boundary_stop
    .size rt_boundary_stop_stack, .-rt_boundary_stop_stack

/* %r10 = foreign Rip, %r11 = foreign Rsp, every other register as foreign code will see it:
 * a CONTEXT (0x4d0 bytes, CONTEXT_ALL layout of runtime/winexc.h) below the current stack,
 * rt_suspend_boundary(ctx) waits for the resumption, rt_exc_restore_context continues with
 * the CONTEXT (selector BLOCK, iretq). r10 and r11 are volatile in the Windows ABI. */
rt_boundary_stop:
    sub $0x500, %rsp
    and $-16, %rsp
    mov %rax, 0x78(%rsp)
    mov %rcx, 0x80(%rsp)
    mov %rdx, 0x88(%rsp)
    mov %rbx, 0x90(%rsp)
    mov %r11, 0x98(%rsp)         /* Rsp */
    mov %rbp, 0xa0(%rsp)
    mov %rsi, 0xa8(%rsp)
    mov %rdi, 0xb0(%rsp)
    mov %r8, 0xb8(%rsp)
    mov %r9, 0xc0(%rsp)
    mov %r10, 0xc8(%rsp)
    mov %r11, 0xd0(%rsp)
    mov %r12, 0xd8(%rsp)
    mov %r13, 0xe0(%rsp)
    mov %r14, 0xe8(%rsp)
    mov %r15, 0xf0(%rsp)
    mov %r10, 0xf8(%rsp)         /* Rip */
    fxsave 0x100(%rsp)
    stmxcsr 0x34(%rsp)
    pushf
    pop %rax
    mov %eax, 0x44(%rsp)         /* EFlags */
    movl $0x10001f, 0x30(%rsp)   /* ContextFlags: CONTEXT_ALL */
    xor %eax, %eax
    mov %cs, %ax
    mov %ax, 0x38(%rsp)          /* SegCs */
    mov %ss, %ax
    mov %ax, 0x42(%rsp)          /* SegSs */
    mov %ax, 0x3a(%rsp)          /* SegDs */
    mov %ax, 0x3c(%rsp)          /* SegEs */
    mov %rsp, %rdi
    call rt_suspend_boundary
    mov %rsp, %rdi
    jmp rt_exc_restore_context
    .size rt_boundary_stop, .-rt_boundary_stop

    .section .note.GNU-stack, "", @progbits
