/* SPDX-License-Identifier: MIT */
/* cabinet.dll's reader for the other built-in DLLs (setupapi's SetupIterateCabinet): a cabinet
 * held in memory, its files listed and extracted by libmspack (thunks/cabinet/memcab.c), so
 * stored, MSZIP, Quantum and LZX folders are read by one library for the whole runtime. */
#ifndef NTRUN_THUNKS_CABINET_H
#define NTRUN_THUNKS_CABINET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct cab_mem cab_mem;
typedef struct cab_mem_entry {
    const char *name; /* as stored (code page or UTF-8: attribs & 0x80) */
    uint32_t size;
    uint16_t date, time, attribs; /* DOS date and time, FILE_ATTRIBUTE-like bits as stored */
} cab_mem_entry;

/* Opens the cabinet `data` (the caller keeps it until cab_mem_close): NULL with *err, a Win32
 * error (ERROR_INVALID_DATA for a damaged or cut cabinet, ERROR_NOT_ENOUGH_MEMORY, or
 * ERROR_MOD_NOT_FOUND when libmspack cannot be loaded). */
cab_mem *cab_mem_open(const uint8_t *data, size_t size, uint32_t *err);
/* The i-th file, in the cabinet's order; false past the last. */
bool cab_mem_entry_at(cab_mem *c, size_t i, cab_mem_entry *e);
/* The i-th file's bytes, malloc'd (*len of them): 0, or a Win32 error (ERROR_INVALID_DATA for
 * damaged data, ERROR_NOT_ENOUGH_MEMORY). Files in order decode each folder once. */
uint32_t cab_mem_extract(cab_mem *c, size_t i, uint8_t **out, size_t *len);
void cab_mem_close(cab_mem *c);

#endif
