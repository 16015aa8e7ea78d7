/* SPDX-License-Identifier: MIT */
/* cabinet.dll: FDI (fdi.c, reading cabinets through Debian's libmspack) and FCI (fci.c, writing
 * them, MSZIP through zlib's deflate). Both libraries are opened with dlopen on the first
 * FDICreate/FCICreate (libs.c): a program that never touches a cabinet maps neither. */
#ifndef NTRUN_THUNKS_CABINET_PRIVATE_H
#define NTRUN_THUNKS_CABINET_PRIVATE_H

#include <stddef.h>
#include <stdint.h>
#include <mspack.h>
#include <zlib.h>
#include "thunks/thunks_private.h"

/* ERF (fdi.h/fci.h): the error a FDI/FCI call reports. */
typedef struct cab_erf {
    int32_t erfOper; /* 0x00: FDIERROR_* / FCIERR_* */
    int32_t erfType; /* 0x04: the C run-time or Win32 error behind it, or 0 */
    int32_t fError;  /* 0x08: BOOL */
} cab_erf;
_Static_assert(sizeof(cab_erf) == 12, "ERF");

/* Sets *perf (a foreign pointer, may be NULL or bad: then nothing is written). */
void cab_set_erf(void *perf, int oper, int type);

/* CFHEADER as written to a file (little-endian, packed). */
#define CAB_HDR_SIZE 36
#define CAB_HDR_PREV 0x0001
#define CAB_HDR_NEXT 0x0002
#define CAB_HDR_RESERVE 0x0004
#define CAB_FOLDER_SIZE 8
#define CAB_FILE_SIZE 16
#define CAB_DATA_SIZE 8
#define CAB_BLOCK_MAX 32768u    /* uncompressed bytes in one CFDATA block */
#define CAB_A_EXEC 0x40
#define CAB_A_NAME_IS_UTF 0x80

/* The cabinet checksum of `len` bytes folded into `seed` (the CFDATA csum is that of the data,
 * then of its cbData/cbUncomp fields). */
uint32_t cab_checksum(const uint8_t *p, size_t len, uint32_t seed);

/* The two libraries, NULL when they cannot be loaded (a message says why, once). */
typedef struct cab_mspack_api {
    struct mscab_decompressor *(*create)(struct mspack_system *sys);
    void (*destroy)(struct mscab_decompressor *self);
} cab_mspack_api;
const cab_mspack_api *cab_mspack(void);

typedef struct cab_zlib_api {
    int (*deflateInit2_)(z_streamp s, int level, int method, int bits, int mem, int strategy,
                         const char *version, int size);
    int (*deflate)(z_streamp s, int flush);
    int (*deflateEnd)(z_streamp s);
    int (*deflateReset)(z_streamp s);
} cab_zlib_api;
const cab_zlib_api *cab_zlib(void);

/* A file's DOS date and time as the cabinet stores them (libmspack splits them up). */
void cab_dos_datetime(const struct mscabd_file *f, uint16_t *date, uint16_t *time);

/* Reads a NUL-terminated foreign string of at most max-1 bytes into buf; false when it is
 * longer, unreadable or NULL. */
bool cab_string_from_user(char *buf, size_t max, const char *user);

#endif
