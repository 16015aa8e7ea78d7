/* SPDX-License-Identifier: MIT */
/* dbghelp's internals: the process's modules as PEB->Ldr lists them. */
#ifndef NTRUN_THUNKS_DBGHELP_PRIVATE_H
#define NTRUN_THUNKS_DBGHELP_PRIVATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "thunks/kernel32/kernel32_private.h"

typedef struct dbg_module {
    uint64_t base;
    uint32_t size;
    UNICODE_STRING full; /* the Windows path */
    UNICODE_STRING name; /* its file name */
} dbg_module;

/* The module whose image holds addr (the program, a built-in DLL's image, a foreign DLL). */
bool dbg_module_at(uint64_t addr, dbg_module *out);

/* UTF-8 of one UTF-16 unit (a lone surrogate is written as its 3-byte form): its length. */
static inline int dbg_utf8_put(uint32_t c, char *out)
{
    if (c < 0x80) {
        out[0] = (char)c;
        return 1;
    }
    if (c < 0x800) {
        out[0] = (char)(0xc0 | c >> 6);
        out[1] = (char)(0x80 | (c & 0x3f));
        return 2;
    }
    out[0] = (char)(0xe0 | c >> 12);
    out[1] = (char)(0x80 | ((c >> 6) & 0x3f));
    out[2] = (char)(0x80 | (c & 0x3f));
    return 3;
}

#endif
