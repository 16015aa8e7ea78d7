/* SPDX-License-Identifier: MIT */
/* The fiber switch (thunks/kernel32/fiber.c), native (SysV) code called from SwitchToFiber:
 *   void k32_fiber_switch(uint64_t *save_rsp, uint64_t new_rsp)
 * saves the SysV callee-saved registers, MXCSR and the x87 control word on the current stack,
 * stores the stack pointer in *save_rsp, takes new_rsp and restores the same from it. The
 * ms_abi SwitchToFiber around it keeps rdi, rsi and xmm6-15 on each fiber's own stack. A new
 * fiber's stack is prepared by fiber.c to "return" into k32_fiber_trampoline with the fiber in
 * r12. */
    .text
    .globl k32_fiber_switch
    .type k32_fiber_switch, @function
k32_fiber_switch:
    .cfi_startproc
    push %rbp
    push %rbx
    push %r12
    push %r13
    push %r14
    push %r15
    sub $16, %rsp
    stmxcsr (%rsp)
    fnstcw 4(%rsp)
    mov %rsp, (%rdi)
    mov %rsi, %rsp
    ldmxcsr (%rsp)
    fldcw 4(%rsp)
    add $16, %rsp
    pop %r15
    pop %r14
    pop %r13
    pop %r12
    pop %rbx
    pop %rbp
    ret
    .cfi_endproc
    .size k32_fiber_switch, .-k32_fiber_switch

    .globl k32_fiber_trampoline
    .type k32_fiber_trampoline, @function
k32_fiber_trampoline:
    .cfi_startproc
    .cfi_undefined %rip          /* the first frame of a fiber */
    mov %r12, %rdi
    and $-16, %rsp
    xor %ebp, %ebp
    call k32_fiber_main
    ud2
    .cfi_endproc
    .size k32_fiber_trampoline, .-k32_fiber_trampoline

    .section .note.GNU-stack, "", @progbits
