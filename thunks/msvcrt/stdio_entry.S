/* SPDX-License-Identifier: MIT */
/* getc/fgetc, and the inline code of fwrite, putc, fputs, fgets, ferror and clearerr (below).
 * getc's two entries:
 *
 * msvcrt_getc_inline_code: the exports themselves (THK_INLINE, thunks/thunks.h): bytes copied
 * into msvcrt's image, so the program's import slot points straight at them — no stub between
 * (its load and indirect jump were a tenth of the chain of a Lua read loop). They take a byte
 * the buffer holds when the stream is crt_fast_stream, the one stream the sole foreign thread may
 * read or write without the lock (handed over by getc's raw entry and by fwrite's C function);
 * for anything else they jump, with every register the caller passed as
 * it was, to msvcrt_getc_raw through the image's address table. The targets (the order of
 * msvcrt_getc_inline's below): 0 msvcrt_getc_raw, 1 &crt_fast_stream.
 *
 * The inline code is a restartable region (Lua's twentieth pass; docs/design.md "One thread:
 * the stream fast paths without the lock"): one compare with crt_fast_stream stands for "one
 * thread, and this stream is ours", and it stores nothing but the stream's _ptr and _cnt. The
 * permission is withdrawn by rt_single_go_multi before a second foreign thread exists
 * (crt_single_revoke in stdio.c points crt_fast_stream at crt_fast_none); a thread that does so
 * while the sole foreign thread may be inside the code interrupts it (rt_single_probe in
 * runtime/thread.c): interrupted in [rs_start, rs_tail) it resumes at rs_abort, the jump to
 * msvcrt_getc_raw with the caller's rcx (the region changes no argument register before its
 * stores); at rs_tail (the second store) it is let finish and asked again. The offsets are in
 * msvcrt_getc_inline_rs.
 *
 * msvcrt_getc_raw (a THK_RAW entry in ntrun's text, entered with the selector still BLOCK, the
 * caller's registers and stack untouched): the stream check in full — a stream found ours is
 * remembered in crt_getc_stream (ferror's and clearerr's inline code use it) — and the fast
 * path inside the single-thread region of two stores (runtime/runtime.h, rt_single_enter),
 * where it also hands the stream to the inline code (crt_fast_stream); an empty buffer, a stream
 * not ours, a second thread go the ordinary way: the crossing into msvcrt_fgetc (stdio.c),
 * exactly what an export's stub does. The byte is loaded before the region is entered, so that
 * a fault on a _ptr the program damaged happens outside it. Neither entry pushes anything: at
 * every instruction (%rsp) is the foreign return address; the inline code is foreign code (a
 * fault there is the program's access violation in msvcrt's image), msvcrt_getc_raw is
 * registered as a leaf (rt_exc_register_leaf), so a fault there becomes the program's access
 * violation at its call, as for RtlCaptureContext. No system call, no call.
 *
 * The layout constants below are checked against stdio.c's types there (_Static_assert). */
#include "../thk_inline_asm.h"

#define CRT_FILE_SIZE 48        /* sizeof(crt_FILE): crt_iob[0..2] are the standard streams */
#define CRT_FILEX_SIZE 128      /* sizeof(crt_filex): the pool's entries */
#define CRT_FILEX_SHIFT 7
#define CRT_POOL_BYTES 0x40000  /* sizeof crt_pool (2048 entries) */
#define CRT_PTR 0x00            /* crt_FILE._ptr */
#define CRT_CNT 0x08            /* crt_FILE._cnt */
#define CRT_FLAG 0x18           /* crt_FILE._flag */
#define CRT_IOWRT 0x0002
#define CRT_IOEOF 0x10
#define CRT_IOERR 0x20
#define CRT_IOMYBUF 0x0008
#define CRT_IOYOURBUF 0x0100
#define CRT_IORW 0x0080
#define RT_SINGLE_MULTI 0       /* rt_single_state.multi */
#define RT_SINGLE_BUSY 1        /* rt_single_state.busy */

    .hidden crt_iob
    .hidden crt_pool
    .hidden crt_pool_ready
    .hidden rt_single

/* CRT_RS_END name, p, native: the end of a write or read restartable region (fwrite, putc,
 * fputs, fgets) whose labels are .L<p>_start, .L<p>_tail, .L<p>_end and .Lref_<p>_stream (after
 * its load of &crt_fast_stream): the abort .L<p>_abort, the export's ordinary crossing with every
 * argument register as it came (rax = native, jump to thk_f2n_regs); the references (targets:
 * 0 &crt_fast_stream, 1 native, 2 thk_f2n_regs); name_rs, the region's offsets in the code
 * (stdio.c, crt_single_revoke): start, tail, end, abort; and the descriptor. */
.macro CRT_RS_END name, p, native
.L\p\()_abort:
    mov 0(%rip), %rax            /* native */
.Lref_\p\()_impl:
    jmp *0(%rip)                 /* thk_f2n_regs */
.Lref_\p\()_f2n:
    THK_INLINE_REFS \name
    THK_INLINE_REF \name, .Lref_\p\()_stream, 0
    THK_INLINE_REF \name, .Lref_\p\()_impl, 1
    THK_INLINE_REF \name, .Lref_\p\()_f2n, 2
    .globl \name\()_rs
    .hidden \name\()_rs
\name\()_rs:
    .short .L\p\()_start - \name\()_code, .L\p\()_tail - \name\()_code
    .short .L\p\()_end - \name\()_code, .L\p\()_abort - \name\()_code
    THK_INLINE_DESC \name, \native, 3, 3, crt_fast_stream, \native, thk_f2n_regs
.endm
    .hidden msvcrt_fgetc
    .hidden msvcrt_fwrite
    .hidden msvcrt_fputs
    .hidden msvcrt_fputc
    .hidden msvcrt_fgets
    .hidden thk_f2n_regs
    .hidden crt_getc_stream
    .hidden crt_fast_stream

    .text
    .p2align 4
    .globl msvcrt_getc_raw
    .hidden msvcrt_getc_raw
    .type msvcrt_getc_raw, @function
msvcrt_getc_raw:
    .cfi_startproc
    /* the stream the last call found to be one of ours (stdin at start): a stream once found
     * ours stays ours until crt_stdio_reset, which sets stdin again */
    cmp crt_getc_stream(%rip), %rcx
    jne 5f
2:  cmpb $0, rt_single+RT_SINGLE_MULTI(%rip)
    jne 9f                       /* a second thread: the locked path */
    mov CRT_CNT(%rcx), %edx
    test %edx, %edx
    jle 9f
    mov CRT_PTR(%rcx), %rax
    movzbl (%rax), %r8d          /* may fault: the program's _ptr; nothing is held yet */
    movb $1, rt_single+RT_SINGLE_BUSY(%rip)
    cmpb $0, rt_single+RT_SINGLE_MULTI(%rip)  /* after the store: the asymmetric Dekker */
    jne 8f
    mov %rcx, crt_fast_stream(%rip) /* the inline code's from now on (rt_single_go_multi takes it
                                   * back only after this region ended: busy) */
    inc %rax
    mov %rax, CRT_PTR(%rcx)
    dec %edx
    mov %edx, CRT_CNT(%rcx)
    movb $0, rt_single+RT_SINGLE_BUSY(%rip)
    mov %r8d, %eax
    ret
    /* one of ours: a pool entry handed out at least once (fopen's streams, checked first), or
     * a standard stream; remembered for the next call */
5:  lea crt_iob(%rip), %rax
    mov %rcx, %rdx
    sub %rax, %rdx               /* rdx: the offset from crt_iob */
    lea crt_pool(%rip), %rax
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
4:  mov %rcx, crt_getc_stream(%rip)
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

    /* Bytes for msvcrt's image, never run here. Every rel32 field that names a table entry ends
     * its instruction (the refs below give its offset and the entry). */
    .section .rodata.msvcrt_getc_inline, "a"
    .globl msvcrt_getc_inline_code
    .hidden msvcrt_getc_inline_code
msvcrt_getc_inline_code:
    mov 0(%rip), %rax            /* &crt_fast_stream */
.Lref_fast:
.Lrs_start:                      /* the restartable region: abort from here ... */
    cmp (%rax), %rcx
    jne .Lrs_abort
    mov CRT_CNT(%rcx), %edx
    sub $1, %edx
    jl .Lrs_abort                /* empty (or a _cnt the program made negative) */
    mov CRT_PTR(%rcx), %r8
    movzbl (%r8), %eax           /* may fault: the program's _ptr; nothing stored yet */
    inc %r8
    mov %r8, CRT_PTR(%rcx)
.Lrs_tail:                       /* ... to here; at the second store: let it finish */
    mov %edx, CRT_CNT(%rcx)
.Lrs_end:
    ret
.Lrs_abort:
    jmp *0(%rip)                 /* msvcrt_getc_raw: every argument register as it came */
.Lref_raw:
    .globl msvcrt_getc_inline_end
    .hidden msvcrt_getc_inline_end
msvcrt_getc_inline_end:
    .p2align 1
    .globl msvcrt_getc_inline_refs
    .hidden msvcrt_getc_inline_refs
msvcrt_getc_inline_refs:
    .short .Lref_fast - 4 - msvcrt_getc_inline_code, 1
    .short .Lref_raw - 4 - msvcrt_getc_inline_code, 0
    /* the restartable region's offsets in the code (stdio.c, crt_single_revoke): start, tail,
     * end, abort */
    .globl msvcrt_getc_inline_rs
    .hidden msvcrt_getc_inline_rs
msvcrt_getc_inline_rs:
    .short .Lrs_start - msvcrt_getc_inline_code, .Lrs_tail - msvcrt_getc_inline_code
    .short .Lrs_end - msvcrt_getc_inline_code, .Lrs_abort - msvcrt_getc_inline_code
    THK_INLINE_DESC msvcrt_getc_inline, msvcrt_fgetc, 2, 2, msvcrt_getc_raw, crt_fast_stream

    /* fwrite (THK_INLINE too, a restartable region like getc's): on crt_fast_stream open for
     * writing (not a read-only stream getc handed over), one byte
     * elements (size 1, as Lua's f:write writes strings) that fit the buffer's room are copied
     * there — 16 bytes a step through xmm0, or a byte a step below 16 — and only then _ptr and
     * _cnt stored; anything else takes the export's ordinary crossing, as its stub would (the
     * region changes none of rcx, rdx, r8, r9: its abort is that crossing). Interrupted before
     * the stores, the copy was into the buffer's unused room: nothing to undo. Targets:
     * 0 &crt_fast_stream, 1 msvcrt_fwrite, 2 thk_f2n_regs. */
    .section .rodata.msvcrt_fwrite_inline, "a"
    .globl msvcrt_fwrite_inline_code
    .hidden msvcrt_fwrite_inline_code
msvcrt_fwrite_inline_code:
    mov 0(%rip), %rax            /* &crt_fast_stream */
.Lref_fw_stream:
.Lfw_start:
    cmp (%rax), %r9              /* r9: the FILE* */
    jne .Lfw_abort
    cmp $1, %rdx                 /* size */
    jne .Lfw_abort
    test %rcx, %rcx              /* buf */
    je .Lfw_abort
    testl $CRT_IOMYBUF | CRT_IOYOURBUF, CRT_FLAG(%r9)
    je .Lfw_abort
    testl $CRT_IOWRT | CRT_IORW, CRT_FLAG(%r9) /* a read-only stream (getc's): crt_write_slow */
    je .Lfw_abort
    movslq CRT_CNT(%r9), %r11
    test %r11, %r11
    jle .Lfw_abort
    lea -1(%r8), %rax
    cmp %r11, %rax               /* count - 1 < _cnt, unsigned: 0 < count <= _cnt */
    jae .Lfw_abort
    mov CRT_PTR(%r9), %r10
    xor %eax, %eax
    cmp $16, %r8
    jb 2f
1:  movdqu (%rcx,%rax), %xmm0    /* may fault: the program's buffer */
    movdqu %xmm0, (%r10,%rax)
    add $16, %rax
    lea 16(%rax), %r11
    cmp %r8, %r11
    jbe 1b
    movdqu -16(%rcx,%r8), %xmm0  /* the last 16 bytes, over what the loop copied */
    movdqu %xmm0, -16(%r10,%r8)
    jmp 3f
2:  movzbl (%rcx,%rax), %r11d
    mov %r11b, (%r10,%rax)
    inc %rax
    cmp %r8, %rax
    jb 2b
3:  movslq CRT_CNT(%r9), %r11
    sub %r8, %r11
    add %r8, %r10
    mov %r10, CRT_PTR(%r9)
.Lfw_tail:
    mov %r11d, CRT_CNT(%r9)
.Lfw_end:
    mov %r8, %rax                /* count */
    ret
    CRT_RS_END msvcrt_fwrite_inline, fw, msvcrt_fwrite

    /* putc/fputc (THK_INLINE, a restartable region like fwrite's): on crt_fast_stream open for
     * writing with a buffer (which putc's and fwrite's C functions hand over), a byte the
     * buffer has room for is stored in that room and only then _ptr and _cnt; the byte
     * returned. Anything else takes the export's ordinary crossing with rcx and rdx as they came
     * (the region changes neither). Targets: 0 &crt_fast_stream, 1 msvcrt_fputc,
     * 2 thk_f2n_regs. */
    THK_INLINE_CODE msvcrt_putc_inline
    mov 0(%rip), %rax            /* &crt_fast_stream */
.Lref_pc_stream:
.Lpc_start:
    cmp (%rax), %rdx             /* rdx: the FILE*, ecx: the byte */
    jne .Lpc_abort
    testl $CRT_IOMYBUF | CRT_IOYOURBUF, CRT_FLAG(%rdx)
    je .Lpc_abort
    testl $CRT_IOWRT | CRT_IORW, CRT_FLAG(%rdx) /* a read-only stream (getc's): _flsbuf's error */
    je .Lpc_abort
    mov CRT_CNT(%rdx), %r8d
    sub $1, %r8d
    jl .Lpc_abort                /* no room (or a _cnt the program made negative) */
    mov CRT_PTR(%rdx), %r9
    mov %cl, (%r9)               /* may fault: the program's _ptr; the buffer's unused room */
    inc %r9
    mov %r9, CRT_PTR(%rdx)
.Lpc_tail:
    mov %r8d, CRT_CNT(%rdx)
.Lpc_end:
    movzbl %cl, %eax
    ret
    CRT_RS_END msvcrt_putc_inline, pc, msvcrt_fputc

    /* fputs (THK_INLINE, a restartable region like fwrite's; stdio.lines and any line-by-line
     * writer: a call per line): on crt_fast_stream open for writing with a buffer (which
     * msvcrt_fputs and msvcrt_fwrite hand over), the string's length is found 16 bytes a step
     * (the first 16 loaded as they lie unless that would cross a page, the rest aligned: no load
     * reaches a page past the string's end) and, when the buffer's room holds it, it is copied
     * there as fwrite's code copies and only then _ptr and _cnt stored; 0 returned. Anything
     * else (a string that starts in a page's last 15 bytes among them) takes the export's
     * ordinary crossing with rcx and rdx as they came (the region changes neither). Targets:
     * 0 &crt_fast_stream, 1 msvcrt_fputs, 2 thk_f2n_regs. */
    THK_INLINE_CODE msvcrt_fputs_inline
    mov 0(%rip), %rax            /* &crt_fast_stream */
.Lref_fp_stream:
.Lfp_start:
    cmp (%rax), %rdx             /* rdx: the FILE*, rcx: the string */
    jne .Lfp_abort
    test %rcx, %rcx
    je .Lfp_abort
    testl $CRT_IOMYBUF | CRT_IOYOURBUF, CRT_FLAG(%rdx)
    je .Lfp_abort
    testl $CRT_IOWRT | CRT_IORW, CRT_FLAG(%rdx)
    je .Lfp_abort
    mov %ecx, %eax
    and $4095, %eax
    cmp $4096 - 16, %eax
    ja .Lfp_abort                /* the first 16 bytes would cross a page */
    pxor %xmm0, %xmm0
    movdqu (%rcx), %xmm1         /* may fault: the program's string */
    pcmpeqb %xmm0, %xmm1
    pmovmskb %xmm1, %r9d
    test %r9d, %r9d
    jnz 2f
    lea 16(%rcx), %r8
    and $-16, %r8
1:  movdqa (%r8), %xmm1
    pcmpeqb %xmm0, %xmm1
    pmovmskb %xmm1, %r9d
    test %r9d, %r9d
    jnz 3f
    add $16, %r8
    jmp 1b
2:  mov %rcx, %r8
3:  bsf %r9d, %r9d
    add %r9, %r8
    sub %rcx, %r8                /* r8: the length */
    je .Lfp_none
    movslq CRT_CNT(%rdx), %r11
    cmp %r11, %r8                /* signed: a _cnt of 0 or less never holds it */
    jg .Lfp_abort
    mov CRT_PTR(%rdx), %r10
    xor %eax, %eax
    cmp $16, %r8
    jb 5f
4:  movdqu (%rcx,%rax), %xmm0
    movdqu %xmm0, (%r10,%rax)
    add $16, %rax
    lea 16(%rax), %r9
    cmp %r8, %r9
    jbe 4b
    movdqu -16(%rcx,%r8), %xmm0  /* the last 16 bytes, over what the loop copied */
    movdqu %xmm0, -16(%r10,%r8)
    jmp 6f
5:  movzbl (%rcx,%rax), %r9d
    mov %r9b, (%r10,%rax)
    inc %rax
    cmp %r8, %rax
    jb 5b
6:  sub %r8, %r11
    add %r8, %r10
    mov %r10, CRT_PTR(%rdx)
.Lfp_tail:
    mov %r11d, CRT_CNT(%rdx)
.Lfp_end:
.Lfp_none:
    xor %eax, %eax
    ret
    CRT_RS_END msvcrt_fputs_inline, fp, msvcrt_fputs

    /* fgets (THK_INLINE, a restartable region): on crt_fast_stream (handed over by fgets' C
     * function, getc's raw entry, fputs and fwrite), n of 2 or more, a whole line that the
     * buffer holds already, or n - 1 bytes of one: the LF is looked for 16 bytes a step within
     * min(_cnt, n - 1) bytes (the first 16 loaded as they lie unless that would cross a page,
     * the rest aligned: no load reaches a page the range does not touch), the line copied to s
     * and its NUL stored, then _ptr and _cnt; s returned. What it writes to s before the stores
     * is the caller's, rewritten by the C function when the region is restarted. Anything else
     * (a line across a refill, n of 1, a _ptr in a page's last 15 bytes) takes the export's
     * ordinary crossing with rcx, rdx, r8 as they came (the region changes none of them).
     * Targets: 0 &crt_fast_stream, 1 msvcrt_fgets, 2 thk_f2n_regs. */
    THK_INLINE_CODE msvcrt_fgets_inline
    mov 0(%rip), %rax            /* &crt_fast_stream */
.Lref_fg_stream:
.Lfg_start:
    cmp (%rax), %r8              /* r8: the FILE*, rcx: s, edx: n */
    jne .Lfg_abort
    test %rcx, %rcx
    je .Lfg_abort
    cmp $2, %edx
    jl .Lfg_abort
    movslq CRT_CNT(%r8), %r11
    test %r11, %r11
    jle .Lfg_abort
    lea -1(%rdx), %eax           /* n - 1, zero-extended */
    cmp %r11, %rax
    cmova %r11, %rax             /* rax: lim = min(_cnt, n - 1) */
    mov CRT_PTR(%r8), %r10       /* r10: the buffer's next byte */
    add %r10, %rax               /* rax: the scan's end */
    mov %r10d, %r9d
    and $4095, %r9d
    cmp $4096 - 16, %r9d
    ja .Lfg_abort                /* the first 16 bytes would cross a page */
    mov $0x0a0a0a0a, %r9d
    movd %r9d, %xmm0
    pshufd $0, %xmm0, %xmm0      /* LF in every byte */
    movdqu (%r10), %xmm1         /* may fault: the program's _ptr */
    pcmpeqb %xmm0, %xmm1
    pmovmskb %xmm1, %r9d
    mov %r10, %r11
    test %r9d, %r9d
    jnz 2f
    lea 16(%r10), %r11
    and $-16, %r11               /* r11: the aligned block */
1:  cmp %rax, %r11
    jae 3f                       /* no LF before the end */
    movdqa (%r11), %xmm1
    pcmpeqb %xmm0, %xmm1
    pmovmskb %xmm1, %r9d
    test %r9d, %r9d
    jnz 2f
    add $16, %r11
    jmp 1b
2:  bsf %r9d, %r9d
    add %r9, %r11                /* r11: the LF */
    cmp %rax, %r11
    jae 3f                       /* past the end: not in the line's bytes */
    lea 1(%r11), %rax
    sub %r10, %rax               /* rax: the length, the LF included */
    jmp 4f
3:  sub %r10, %rax               /* no LF: only n - 1 bytes that the buffer holds will do */
    lea -1(%rdx), %r9d
    cmp %r9, %rax
    jne .Lfg_abort
4:  xor %r9d, %r9d
    cmp $16, %rax
    jb 6f
5:  movdqu (%r10,%r9), %xmm0
    movdqu %xmm0, (%rcx,%r9)     /* may fault: the program's s */
    add $16, %r9
    lea 16(%r9), %r11
    cmp %rax, %r11
    jbe 5b
    movdqu -16(%r10,%rax), %xmm0 /* the last 16 bytes, over what the loop copied */
    movdqu %xmm0, -16(%rcx,%rax)
    jmp 7f
6:  movzbl (%r10,%r9), %r11d
    mov %r11b, (%rcx,%r9)
    inc %r9
    cmp %rax, %r9
    jb 6b
7:  movb $0, (%rcx,%rax)
    movslq CRT_CNT(%r8), %r11
    sub %rax, %r11
    add %rax, %r10
    mov %r10, CRT_PTR(%r8)
.Lfg_tail:
    mov %r11d, CRT_CNT(%r8)
.Lfg_end:
    mov %rcx, %rax
    ret
    CRT_RS_END msvcrt_fgets_inline, fg, msvcrt_fgets

    /* ferror and clearerr (THK_INLINE too): on the stream getc last found ours, the flag read
     * (ferror) or cleared inside the single-thread region (clearerr) here; anything else takes
     * the export's ordinary crossing, as its stub would: rax = the C function, jump to the
     * generic thunk. Lua calls both once per read. Targets: 0 &crt_getc_stream, 1 the C
     * function, 2 thk_f2n_regs (and clearerr's 3 &rt_single). */
    THK_INLINE_CODE msvcrt_ferror_inline
    mov 0(%rip), %rax            /* &crt_getc_stream */
.Lref_ferr_stream:
    cmp (%rax), %rcx
    jne 9f
    mov CRT_FLAG(%rcx), %eax
    and $CRT_IOERR, %eax
    ret
9:  mov 0(%rip), %rax            /* msvcrt_ferror */
.Lref_ferr_impl:
    jmp *0(%rip)                 /* thk_f2n_regs */
.Lref_ferr_f2n:
    THK_INLINE_REFS msvcrt_ferror_inline
    THK_INLINE_REF msvcrt_ferror_inline, .Lref_ferr_stream, 0
    THK_INLINE_REF msvcrt_ferror_inline, .Lref_ferr_impl, 1
    THK_INLINE_REF msvcrt_ferror_inline, .Lref_ferr_f2n, 2
    THK_INLINE_DESC msvcrt_ferror_inline, msvcrt_ferror, 3, 3, crt_getc_stream, msvcrt_ferror, thk_f2n_regs

    THK_INLINE_CODE msvcrt_clearerr_inline
    mov 0(%rip), %rax            /* &crt_getc_stream */
.Lref_clr_stream:
    cmp (%rax), %rcx
    jne 9f
    mov 0(%rip), %r9             /* &rt_single */
.Lref_clr_single:
    cmpb $0, RT_SINGLE_MULTI(%r9)
    jne 9f
    movb $1, RT_SINGLE_BUSY(%r9)
    cmpb $0, RT_SINGLE_MULTI(%r9) /* after the store: the asymmetric Dekker */
    jne 8f
    andl $~(CRT_IOERR | CRT_IOEOF), CRT_FLAG(%rcx)
    movb $0, RT_SINGLE_BUSY(%r9)
    ret
8:  movb $0, RT_SINGLE_BUSY(%r9)
9:  mov 0(%rip), %rax            /* msvcrt_clearerr */
.Lref_clr_impl:
    jmp *0(%rip)                 /* thk_f2n_regs */
.Lref_clr_f2n:
    THK_INLINE_REFS msvcrt_clearerr_inline
    THK_INLINE_REF msvcrt_clearerr_inline, .Lref_clr_stream, 0
    THK_INLINE_REF msvcrt_clearerr_inline, .Lref_clr_single, 3
    THK_INLINE_REF msvcrt_clearerr_inline, .Lref_clr_impl, 1
    THK_INLINE_REF msvcrt_clearerr_inline, .Lref_clr_f2n, 2
    THK_INLINE_DESC msvcrt_clearerr_inline, msvcrt_clearerr, 4, 4, crt_getc_stream, msvcrt_clearerr, thk_f2n_regs, rt_single

    .section .note.GNU-stack, "", @progbits
