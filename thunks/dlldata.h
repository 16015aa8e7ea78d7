/* SPDX-License-Identifier: MIT */
/* The built-in DLLs' export tables, generated at build time (cmake/gen_exports.py from
 * thunks/dlls.list, thunks/exports-extra.list and the mingw-w64 import libraries) into
 * generated/thk_dlldata.c: read-only data, no relocations, nothing done at start-up.
 * Private to thunks/ (builtin.c) and its unit tests. */
#ifndef NTRUN_THUNKS_DLLDATA_H
#define NTRUN_THUNKS_DLLDATA_H

#include <stdint.h>
#include "thk_dlldata.h" /* generated: THK_GEN_NDLLS, THK_GEN_NRULES, THK_GEN_NEXPORTS */

/* Every string (DLL names, export names, API-set prefixes), NUL-separated; offset 0 is "". */
extern const char thk_gen_strings[];

#define THK_GEN_EXP_DATA 1    /* a data export (DATA in the import library) */
#define THK_GEN_EXP_NONAME 2  /* exported by ordinal only */
typedef struct thk_gen_export {
    uint32_t name;    /* offset in thk_gen_strings; 0 for ordinal-only exports */
    uint16_t ordinal; /* Windows' where known (exports-extra.list), else assigned in name order */
    uint16_t flags;   /* THK_GEN_EXP_* */
} thk_gen_export;
extern const thk_gen_export thk_gen_exports[];

#define THK_GEN_MODULE 0 /* a DLL with its own module (image) */
#define THK_GEN_APISET 1 /* an API set: resolves in its hosts, its module handle is the host's */
#define THK_GEN_CHAIN_MAX 6
typedef struct thk_gen_dll {
    uint32_t name;          /* "kernel32.dll": lower case, offset in thk_gen_strings */
    uint32_t first;         /* its exports: thk_gen_exports[first .. first + count) named, in */
    uint32_t count;         /* strcmp order, then `nonames` ordinal-only ones */
    uint32_t nonames;
    uint32_t max_ordinal;
    uint8_t kind;           /* THK_GEN_MODULE or THK_GEN_APISET */
    uint8_t nchain;
    /* THK_GEN_MODULE: where implementations come from after the DLL's own THK_EXPORTs;
     * THK_GEN_APISET: the host DLLs. Indices in thk_gen_dlls. */
    uint16_t chain[THK_GEN_CHAIN_MAX];
} thk_gen_dll;
extern const thk_gen_dll thk_gen_dlls[THK_GEN_NDLLS]; /* sorted by name (strcmp) */

/* API sets the data does not list resolve by prefix, first match wins. */
typedef struct thk_gen_apiset_rule {
    uint32_t prefix; /* "api-ms-win-crt-" */
    uint8_t nhosts;
    uint16_t hosts[4];
} thk_gen_apiset_rule;
extern const thk_gen_apiset_rule thk_gen_apiset_rules[THK_GEN_NRULES];

#endif
