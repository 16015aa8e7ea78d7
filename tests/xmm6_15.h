/* The instructions of a test that checks a call leaves xmm6-15 as they were (callee-saved in the
 * Windows x64 ABI; a SysV function may change them): tests/pe/nt_time_loop.c (the NT time calls
 * under ntrun) and tests/unit/test_vdso.c (the host vDSO's clock_gettime). For an extended asm
 * statement with the operands [b], the 160 bytes xmm6-15 are loaded from (XMM6_15_LOAD), and
 * [a], the 160 bytes they are stored to (XMM6_15_STORE); the call goes between the two, and the
 * statement names XMM0_15_CLOBBERS. */
#ifndef NTRUN_TESTS_XMM6_15_H
#define NTRUN_TESTS_XMM6_15_H

#define XMM6_15_LOAD                                                                           \
    "movdqu 0x00(%[b]), %%xmm6\n\t"                                                            \
    "movdqu 0x10(%[b]), %%xmm7\n\t"                                                            \
    "movdqu 0x20(%[b]), %%xmm8\n\t"                                                            \
    "movdqu 0x30(%[b]), %%xmm9\n\t"                                                            \
    "movdqu 0x40(%[b]), %%xmm10\n\t"                                                           \
    "movdqu 0x50(%[b]), %%xmm11\n\t"                                                           \
    "movdqu 0x60(%[b]), %%xmm12\n\t"                                                           \
    "movdqu 0x70(%[b]), %%xmm13\n\t"                                                           \
    "movdqu 0x80(%[b]), %%xmm14\n\t"                                                           \
    "movdqu 0x90(%[b]), %%xmm15\n\t"

#define XMM6_15_STORE                                                                          \
    "movdqu %%xmm6, 0x00(%[a])\n\t"                                                            \
    "movdqu %%xmm7, 0x10(%[a])\n\t"                                                            \
    "movdqu %%xmm8, 0x20(%[a])\n\t"                                                            \
    "movdqu %%xmm9, 0x30(%[a])\n\t"                                                            \
    "movdqu %%xmm10, 0x40(%[a])\n\t"                                                           \
    "movdqu %%xmm11, 0x50(%[a])\n\t"                                                           \
    "movdqu %%xmm12, 0x60(%[a])\n\t"                                                           \
    "movdqu %%xmm13, 0x70(%[a])\n\t"                                                           \
    "movdqu %%xmm14, 0x80(%[a])\n\t"                                                           \
    "movdqu %%xmm15, 0x90(%[a])\n\t"

#define XMM0_15_CLOBBERS                                                                       \
    "xmm0", "xmm1", "xmm2", "xmm3", "xmm4", "xmm5", "xmm6", "xmm7", "xmm8", "xmm9", "xmm10",   \
        "xmm11", "xmm12", "xmm13", "xmm14", "xmm15"
#endif
