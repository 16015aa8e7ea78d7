/* SPDX-License-Identifier: MIT */
/* THK_INLINE_CODE, THK_INLINE_REFS, THK_INLINE_REF (below): the labels and the list around a
 * THK_INLINE export's code, the same for every such export:
 *         THK_INLINE_CODE msvcrt_foo_inline
 *         ...code, each rel32 field followed by a label...
 *         THK_INLINE_REFS msvcrt_foo_inline
 *         THK_INLINE_REF msvcrt_foo_inline, .Lref_x, 0
 *         THK_INLINE_DESC msvcrt_foo_inline, msvcrt_foo, 1, 1, target0
 *
 * THK_INLINE_DESC: a THK_INLINE export's description (thunks/thunks.h, struct thk_inline), laid
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

/* THK_INLINE_CODE name: opens a THK_INLINE export's code, at name_code in the section of its own
 * (.rodata.name, where THK_INLINE_DESC puts the descriptor too): bytes copied into the DLL's
 * image, never run where they are assembled. */
.macro THK_INLINE_CODE name
    .section .rodata.\name, "a"
    .globl \name\()_code
    .hidden \name\()_code
\name\()_code:
.endm

/* THK_INLINE_REFS name: ends the code (name_end: what is copied stops here) and opens its list
 * of rel32 fields (name_refs), one THK_INLINE_REF each. */
.macro THK_INLINE_REFS name
    .globl \name\()_end
    .hidden \name\()_end
\name\()_end:
    .p2align 1
    .globl \name\()_refs
    .hidden \name\()_refs
\name\()_refs:
.endm

/* THK_INLINE_REF name, label, target: the rel32 field that ends at `label` (the label right after
 * its instruction) names target number `target` of the descriptor. */
.macro THK_INLINE_REF name, label, target
    .short \label - 4 - \name\()_code, \target
.endm
/* clang-format on */
#endif
