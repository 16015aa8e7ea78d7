/* SPDX-License-Identifier: MIT */
/* Private to the built-in setupapi (thunks/setupapi/).
 *   thunks/setupapi/cabinet.c  SetupGetFileCompressionInfoEx, SetupIterateCabinet
 *   thunks/setupapi/inflate.c  raw DEFLATE for MSZIP folders */
#ifndef NTRUN_THUNKS_SETUPAPI_PRIVATE_H
#define NTRUN_THUNKS_SETUPAPI_PRIVATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct {
    uint8_t *data;
    size_t len, cap;
} sp_buf;

/* Decodes one raw DEFLATE stream (up to its final block), appending to out; earlier contents of
 * out are the window back-references may reach. false on damaged data or no memory. */
bool sp_inflate(const uint8_t *in, size_t inlen, sp_buf *out);

#endif
