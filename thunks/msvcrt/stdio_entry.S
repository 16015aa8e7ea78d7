/* SPDX-License-Identifier: MIT */
/* getc/fgetc (THK_RAW: entered from foreign code with the selector still BLOCK, the caller's
 * registers and stack untouched): a byte the stream's buffer holds is taken here, without the
 * crossing, while the process has one thread that can run foreign code — Lua reads a file one
 * getc per character, and the crossing (selector flips, a call through the generic thunk) cost
 * about as much as the work. Everything else — a stream that is not one of ours, an empty
 * buffer, a second thread — goes the ordinary way: the crossing into msvcrt_fgetc (stdio.c),
 * exactly what the export's stub does for other exports.
 *
 * The fast path is stdio.c's crt_check + crt_fast_getc in a different order: the stream's
 * _ptr/_cnt are read and the byte loaded before the single-thread region (runtime/runtime.h,
 * rt_single_enter) is entered, so that a fault on a _ptr the program damaged happens outside
 * it; once inside, `multi` still 0 means no second foreign thread has ever existed, so what was
 * read is still what the stream holds, and the region covers only the two stores. The code
 * pushes nothing: at every instruction (%rsp) is the foreign return address, and the range is
 * registered as a leaf (rt_exc_register_leaf), so a fault becomes the program's access
 * violation at its call, as for RtlCaptureContext. No system call, no call.
 *
 * The layout constants below are checked against stdio.c's types there (_Static_assert). */

#define CRT_FILE_SIZE 48        /* sizeof(crt_FILE): crt_iob[0..2] are the standard streams */
#define CRT_FILEX_SIZE 128      /* sizeof(crt_filex): the pool's entries */
#define CRT_FILEX_SHIFT 7
#define CRT_POOL_BYTES 0x40000  /* sizeof crt_pool (2048 entries) */
#define CRT_PTR 0x00            /* crt_FILE._ptr */
#define CRT_CNT 0x08            /* crt_FILE._cnt */
#define RT_SINGLE_MULTI 0       /* rt_single_state.multi */
#define RT_SINGLE_BUSY 1        /* rt_single_state.busy */

    .hidden crt_iob
    .hidden crt_pool
    .hidden crt_pool_ready
    .hidden rt_single
    .hidden msvcrt_fgetc
    .hidden thk_f2n_regs
    .hidden crt_getc_known

    .text
    .p2align 4
    .globl msvcrt_getc_raw
    .hidden msvcrt_getc_raw
    .type msvcrt_getc_raw, @function
msvcrt_getc_raw:
    .cfi_startproc
    /* the stream the last call found to be one of ours (its offset from crt_iob; 0, stdin, at
     * start): a stream once found ours stays ours until crt_stdio_reset, which sets 0 again */
    lea crt_iob(%rip), %rax
    mov %rcx, %rdx
    sub %rax, %rdx
    cmp crt_getc_known(%rip), %rdx
    jne 5f
2:  cmpb $0, rt_single+RT_SINGLE_MULTI(%rip)
    jne 9f
    mov CRT_CNT(%rcx), %edx
    test %edx, %edx
    jle 9f
    mov CRT_PTR(%rcx), %rax
    movzbl (%rax), %r8d          /* may fault: the program's _ptr; nothing is held yet */
    movb $1, rt_single+RT_SINGLE_BUSY(%rip)
    cmpb $0, rt_single+RT_SINGLE_MULTI(%rip)  /* after the store: the asymmetric Dekker */
    jne 8f
    inc %rax
    mov %rax, CRT_PTR(%rcx)
    dec %edx
    mov %edx, CRT_CNT(%rcx)
    movb $0, rt_single+RT_SINGLE_BUSY(%rip)
    mov %r8d, %eax
    ret
    /* one of ours: a pool entry handed out at least once (fopen's streams, checked first), or
     * a standard stream; remembered for the next call */
5:  lea crt_pool(%rip), %rax
    mov %rcx, %r8
    sub %rax, %r8
    cmp $CRT_POOL_BYTES, %r8
    jae 3f                       /* below the pool too: the subtraction wrapped */
    test $CRT_FILEX_SIZE - 1, %r8b
    jnz 9f
    shr $CRT_FILEX_SHIFT, %r8
    lea crt_pool_ready(%rip), %rax
    cmpb $0, (%rax,%r8)
    je 9f
4:  mov %rdx, crt_getc_known(%rip)
    jmp 2b
3:  test %rdx, %rdx              /* rdx: the offset from crt_iob */
    je 4b
    cmp $CRT_FILE_SIZE, %rdx
    je 4b
    cmp $2 * CRT_FILE_SIZE, %rdx
    je 4b
    jmp 9f
8:  movb $0, rt_single+RT_SINGLE_BUSY(%rip)
9:  lea msvcrt_fgetc(%rip), %rax /* the export's ordinary crossing (rcx is still the FILE*) */
    jmp thk_f2n_regs
    .cfi_endproc
    .globl msvcrt_getc_raw_end
    .hidden msvcrt_getc_raw_end
msvcrt_getc_raw_end:
    .size msvcrt_getc_raw, .-msvcrt_getc_raw

    .section .note.GNU-stack, "", @progbits
