/* SPDX-License-Identifier: MIT */
/* The upper halves of ymm0-15 (runtime/xstate.h). VEX instructions, executed only when the
 * OS enabled AVX (rt_xstate_avx). */

    .text

/* void rt_ymmh_save(M128A ymmh[16]) */
    .globl rt_ymmh_save
    .type rt_ymmh_save, @function
rt_ymmh_save:
    vextractf128 $1, %ymm0, 0x00(%rdi)
    vextractf128 $1, %ymm1, 0x10(%rdi)
    vextractf128 $1, %ymm2, 0x20(%rdi)
    vextractf128 $1, %ymm3, 0x30(%rdi)
    vextractf128 $1, %ymm4, 0x40(%rdi)
    vextractf128 $1, %ymm5, 0x50(%rdi)
    vextractf128 $1, %ymm6, 0x60(%rdi)
    vextractf128 $1, %ymm7, 0x70(%rdi)
    vextractf128 $1, %ymm8, 0x80(%rdi)
    vextractf128 $1, %ymm9, 0x90(%rdi)
    vextractf128 $1, %ymm10, 0xa0(%rdi)
    vextractf128 $1, %ymm11, 0xb0(%rdi)
    vextractf128 $1, %ymm12, 0xc0(%rdi)
    vextractf128 $1, %ymm13, 0xd0(%rdi)
    vextractf128 $1, %ymm14, 0xe0(%rdi)
    vextractf128 $1, %ymm15, 0xf0(%rdi)
    ret
    .size rt_ymmh_save, .-rt_ymmh_save

/* void rt_exc_restore_context_ymmh(const CONTEXT *ctx, const M128A ymmh[16]): the upper
 * halves, then rt_exc_restore_context, whose fxrstor and legacy moves leave them alone. */
    .globl rt_exc_restore_context_ymmh
    .type rt_exc_restore_context_ymmh, @function
rt_exc_restore_context_ymmh:
    vinsertf128 $1, 0x00(%rsi), %ymm0, %ymm0
    vinsertf128 $1, 0x10(%rsi), %ymm1, %ymm1
    vinsertf128 $1, 0x20(%rsi), %ymm2, %ymm2
    vinsertf128 $1, 0x30(%rsi), %ymm3, %ymm3
    vinsertf128 $1, 0x40(%rsi), %ymm4, %ymm4
    vinsertf128 $1, 0x50(%rsi), %ymm5, %ymm5
    vinsertf128 $1, 0x60(%rsi), %ymm6, %ymm6
    vinsertf128 $1, 0x70(%rsi), %ymm7, %ymm7
    vinsertf128 $1, 0x80(%rsi), %ymm8, %ymm8
    vinsertf128 $1, 0x90(%rsi), %ymm9, %ymm9
    vinsertf128 $1, 0xa0(%rsi), %ymm10, %ymm10
    vinsertf128 $1, 0xb0(%rsi), %ymm11, %ymm11
    vinsertf128 $1, 0xc0(%rsi), %ymm12, %ymm12
    vinsertf128 $1, 0xd0(%rsi), %ymm13, %ymm13
    vinsertf128 $1, 0xe0(%rsi), %ymm14, %ymm14
    vinsertf128 $1, 0xf0(%rsi), %ymm15, %ymm15
    jmp rt_exc_restore_context
    .size rt_exc_restore_context_ymmh, .-rt_exc_restore_context_ymmh

    .section .note.GNU-stack, "", @progbits
