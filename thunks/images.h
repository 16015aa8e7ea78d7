/* SPDX-License-Identifier: MIT */
/* The built-in DLLs' images, laid out at build time (thunks/builtin.c, thk_images_emit, run by
 * tools/thk_mkimages.c into generated/thk_images.{c,S}): headers, export directory, reporting
 * stubs and the layout of every thunk stub, as read-only data in the binary. A first use then
 * maps the template from the binary and writes at most THK_INLINE exports' targets (msvcrt's)
 * and, for an image away from the template's ImageBase, its ImageBase and ntdll's fast-route
 * table, instead of collecting, sorting and laying out a few thousand exports. The stubs name
 * their THK_EXPORT entries by position (builtin.c, thk_export_off): a template whose runs are
 * elsewhere in this link's table is copied and its stubs rewritten.
 * A template is used only when the program's THK_EXPORT table matches the one it was made
 * from (the number of entries of each DLL the image takes implementations from), and for ntdll
 * only for the Windows build it was made for; otherwise the image is built as before.
 * Private to thunks/builtin.c. */
#ifndef NTRUN_THUNKS_IMAGES_H
#define NTRUN_THUNKS_IMAGES_H

#include <stddef.h>
#include <stdint.h>
#include "thunks/dlldata.h"

#define THK_TMPL_HEAD_SIZE 0x400 /* the headers: the rest of page 0 is zero */
#define THK_TMPL_NONE 0xffffffffu

/* One export slot (thk_slot in builtin.c) with its implementation as a position in a run of
 * THK_EXPORTs instead of a pointer. */
typedef struct thk_tmpl_slot {
    uint32_t name;       /* offset in thk_tmpl.names; THK_TMPL_NONE: by ordinal only */
    uint32_t import_rva;
    uint32_t export_rva;
    uint32_t impl;       /* index in run `src`; THK_TMPL_NONE: not implemented */
    uint16_t ordinal;
    uint8_t kind;
    uint8_t src;         /* 0: the DLL's own THK_EXPORTs, k: those of chain[k - 1] */
} thk_tmpl_slot;
_Static_assert(sizeof(thk_tmpl_slot) == 20, "thk_tmpl_slot: emitted as raw bytes");

/* A thunk stub to write: the implementation is entry `impl` of run `src`. */
typedef struct thk_tmpl_fix {
    uint32_t rva;
    uint32_t impl;
    uint32_t src;
} thk_tmpl_fix;
_Static_assert(sizeof(thk_tmpl_fix) == 12, "thk_tmpl_fix: emitted as raw bytes");

typedef struct thk_tmpl {
    uint32_t gen;            /* index in thk_gen_dlls */
    uint32_t windows_build;  /* ntdll: the numbering of its system-call stubs; else 0 */
    uint32_t run_count[1 + THK_GEN_CHAIN_MAX]; /* THK_EXPORTs of the DLL, then of its chain */
    /* Where those runs start in the THK_EXPORT table the template was made with: a start
       checks the runs there (thk_own_run_is) instead of searching the table for them. */
    uint32_t run_first[1 + THK_GEN_CHAIN_MAX];
    uint32_t image_size, code_rva;
    uint32_t body_size;      /* bytes at 0x1000: the rest of the image; page-aligned in the file */
    uint32_t nslots, nnamed;
    uint32_t missing_rva, tail_rva;
    uint32_t nsys, sys_rva;  /* ntdll: system-call stubs, 32 bytes each */
    uint32_t nfix;
    uint32_t ninline;        /* the first ninline fixes are THK_INLINE exports' (their table
                                entries are what a start writes), the rest stubs */
    /* ntdll: the fast-route table's address its system-call stubs hold in the template
       (THK_FAST_AT when the generator got that address), else 0: each start writes the
       stubs' operands then. */
    uint32_t fast_at;
    /* The blobs, as offsets from thk_images_base (THK_TMPL_AT): no pointers, so the table
     * needs no dynamic relocations. */
    uint32_t head;     /* THK_TMPL_HEAD_SIZE bytes at 0 */
    uint32_t body;
    uint32_t slots;    /* thk_tmpl_slot[nslots] */
    uint32_t sys_fast; /* uint32_t[nsys]: per system-call stub, the slot whose thunk its fast
                          route takes */
    uint32_t names;
    uint32_t fix;      /* thk_tmpl_fix[nfix]: the thunk stubs (the slots of kind THK_SLOT_THUNK) */
    /* ntdll: its fast-route table as the generator had it (the thunks' addresses in an image
       at the template's ImageBase), page-aligned and padded to whole pages: a start whose
       image and table land where the generator's did maps it from the binary (at fast_at)
       instead of writing it. 0: none. */
    uint32_t fast;
} thk_tmpl;
_Static_assert(sizeof(thk_tmpl) == (23 + 2 * THK_GEN_CHAIN_MAX) * 4, "thk_tmpl: emitted as .long");

/* Absent (NULL) in a link without generated/thk_images.{c,S} (the generator itself). The
 * table and the blobs are in thk_images.S; thk_images_base is where the blobs start. */
extern const thk_tmpl thk_tmpls[] __attribute__((weak));
extern const uint32_t thk_ntmpls __attribute__((weak));
extern const uint8_t thk_images_base[] __attribute__((weak));
#define THK_TMPL_AT(type, t, field) ((const type *)(const void *)(thk_images_base + (t)->field))

/* Tests: `dll`'s image from its template against the same image built from the tables (the
 * same bytes but for the image's own address, the same slots). 0; -ENOENT if no template is
 * in use for it; -EINVAL with `why` naming the first difference. */
int thk_image_verify(const char *dll, char *why, size_t why_len);

/* Build time: lays out every built-in DLL's image (ntdll for each Windows build) and writes
 * them to `dir` as thk_images.c, thk_images.S and the blobs they include. 0 or -errno. */
int thk_images_emit(const char *dir);

#endif
