/* SPDX-License-Identifier: MIT */
/* THK_INLINE_DESC: a THK_INLINE export's description (thunks/thunks.h, struct thk_inline), laid
 * out beside its code in a .S file. `name` names the descriptor; the code is name_code..name_end
 * and its rel32 fields' list name_refs (nrefs pairs); `native` is the ms_abi C function native
 * callers call; the targets follow in the order the refs name them. Every field is an offset
 * from itself, resolved by the static link: no dynamic relocation (cli.startup_order caps the
 * pages the dynamic linker writes). */
#ifndef NTRUN_THK_INLINE_ASM_H
#define NTRUN_THK_INLINE_ASM_H
/* clang-format off */
.macro THK_INLINE_DESC name, native, nrefs, ntargets, targets:vararg
    .pushsection .rodata.\name, "a"
    .balign 4
    .globl \name
    .hidden \name
\name:
    .long \name\()_code - .
    .long \name\()_end - .
    .long \name\()_refs - .
    .long \native - .
    .long \nrefs, \ntargets
    .ifnb \targets
    .irp t, \targets
    .long \t - .
    .endr
    .endif
    .fill 4 - \ntargets, 4, 0   /* THK_INLINE_TARGETS */
    .popsection
.endm
/* clang-format on */
#endif
