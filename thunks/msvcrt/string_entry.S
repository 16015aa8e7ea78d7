/* SPDX-License-Identifier: MIT */
/* memcpy/memmove as code in msvcrt's (and vcruntime140's) image (THK_INLINE, thunks/thunks.h):
 * the program's import slot points at these bytes, which copy in the ms_abi with no call —
 * the C export called glibc's memmove, and an ms_abi function that calls SysV code saves and
 * restores xmm6-15 on every call (Lua copies every string it makes through memcpy).
 *
 * Up to 64 bytes: every load before the first store, so an overlap either way is harmless.
 * Longer: 16 bytes a step, forward unless the destination starts inside the source (then
 * backward); the last (first) 16 bytes are loaded before the loop and stored after it. msvcrt's
 * memcpy tolerates overlap as memmove does: both are this code. Only volatile registers (rax,
 * rcx, rdx, r8-r11, xmm0-3), no stack: a fault is the program's access violation at the
 * faulting instruction in the DLL, and continuing retries it with every register as the
 * context holds it (msvc.seh_builtin_continue). No targets, no system call; native callers
 * call string.c's msvcrt_memmove. */
#include "../thk_inline_asm.h"

    THK_INLINE_CODE msvcrt_memmove_inline
    mov %rcx, %rax
    cmp $16, %r8
    ja 4f
    cmp $8, %r8
    jb 2f
    mov (%rdx), %r9              /* 8..16 */
    mov -8(%rdx,%r8), %r10
    mov %r9, (%rcx)
    mov %r10, -8(%rcx,%r8)
    ret
2:  cmp $4, %r8
    jb 3f
    mov (%rdx), %r9d             /* 4..7 */
    mov -4(%rdx,%r8), %r10d
    mov %r9d, (%rcx)
    mov %r10d, -4(%rcx,%r8)
    ret
3:  test %r8, %r8
    je 1f
    movzbl (%rdx), %r9d          /* 1..3: the first, the middle and the last byte */
    mov %r8, %r11
    shr $1, %r11
    movzbl (%rdx,%r11), %r10d
    movzbl -1(%rdx,%r8), %edx
    mov %r9b, (%rcx)
    mov %r10b, (%rcx,%r11)
    mov %dl, -1(%rcx,%r8)
1:  ret
4:  cmp $32, %r8
    ja 5f
    movdqu (%rdx), %xmm0         /* 17..32 */
    movdqu -16(%rdx,%r8), %xmm1
    movdqu %xmm0, (%rcx)
    movdqu %xmm1, -16(%rcx,%r8)
    ret
5:  cmp $64, %r8
    ja 6f
    movdqu (%rdx), %xmm0         /* 33..64 */
    movdqu 16(%rdx), %xmm1
    movdqu -32(%rdx,%r8), %xmm2
    movdqu -16(%rdx,%r8), %xmm3
    movdqu %xmm0, (%rcx)
    movdqu %xmm1, 16(%rcx)
    movdqu %xmm2, -32(%rcx,%r8)
    movdqu %xmm3, -16(%rcx,%r8)
    ret
6:  mov %rcx, %r9
    sub %rdx, %r9                /* d - s, unsigned: below n only when d starts inside s */
    cmp %r8, %r9
    jb 8f
    movdqu -16(%rdx,%r8), %xmm3  /* forward: the last 16 bytes first */
    mov %rcx, %r9
    mov %rdx, %r10
    lea -16(%rcx,%r8), %r11
7:  movdqu (%r10), %xmm0
    movdqu %xmm0, (%r9)
    add $16, %r10
    add $16, %r9
    cmp %r11, %r9
    jb 7b
    movdqu %xmm3, (%r11)
    ret
8:  movdqu (%rdx), %xmm3         /* backward: the first 16 bytes first */
    lea -16(%rdx,%r8), %r10
    lea -16(%rcx,%r8), %r9
9:  movdqu (%r10), %xmm0
    movdqu %xmm0, (%r9)
    sub $16, %r10
    sub $16, %r9
    cmp %rcx, %r9
    ja 9b
    movdqu %xmm3, (%rcx)
    ret
    THK_INLINE_REFS msvcrt_memmove_inline
    THK_INLINE_DESC msvcrt_memmove_inline, msvcrt_memmove, 0, 0

    /* strcmp (msvcrt's: -1, 0 or 1), a byte a step: the strings a program compares are mostly
     * short (Lua compares a name with its string cache's entry at every io call: 2% of its
     * 50 MB lines run was the crossing, the ms_abi -> SysV spill and glibc's strcmp). A fault
     * is the program's access violation here, as in Windows' own strcmp. No targets; native
     * callers call string.c's msvcrt_strcmp. */
    .section .rodata.msvcrt_strcmp_inline, "a"
    .globl msvcrt_strcmp_inline_code
    .hidden msvcrt_strcmp_inline_code
msvcrt_strcmp_inline_code:
1:  movzbl (%rcx), %eax
    movzbl (%rdx), %r8d
    cmp %r8d, %eax
    jne 2f
    inc %rcx
    inc %rdx
    test %eax, %eax
    jne 1b
    ret                          /* equal: 0 */
2:  sbb %eax, %eax               /* the first byte that differs, unsigned: -1 below, 0 above */
    or $1, %eax
    ret
    .globl msvcrt_strcmp_inline_end
    .hidden msvcrt_strcmp_inline_end
msvcrt_strcmp_inline_end:
msvcrt_strcmp_inline_refs:
    THK_INLINE_DESC msvcrt_strcmp_inline, msvcrt_strcmp, 0, 0

    .section .note.GNU-stack, "", @progbits
