/* SPDX-License-Identifier: MIT */
/* Pointer encoding, as the static MSVC CRT uses it for its function-pointer tables:
 * EncodePointer/DecodePointer (ntdll's RtlEncodePointer/RtlDecodePointer) and the System
 * variants. As on Windows the value is XORed with a per-process cookie and rotated right by the
 * cookie's low 6 bits; the cookie is random, made on first use. Decoding inverts it exactly. */
#include <sys/random.h>
#include "thunks/kernel32/kernel32_private.h"

static uint64_t k32_pointer_cookie(void)
{
    static uint64_t cookie;
    uint64_t c = __atomic_load_n(&cookie, __ATOMIC_ACQUIRE);
    if (c)
        return c;
    uint64_t fresh = 0;
    if (getrandom(&fresh, sizeof fresh, 0) != (ssize_t)sizeof fresh || !fresh)
        fresh = 0x5deece66dull ^ (uint64_t)(uintptr_t)&cookie;
    uint64_t expected = 0;
    if (__atomic_compare_exchange_n(&cookie, &expected, fresh, false, __ATOMIC_ACQ_REL,
                                    __ATOMIC_ACQUIRE))
        return fresh;
    return expected;
}

static inline uint64_t k32_rotr(uint64_t v, unsigned n)
{
    n &= 63;
    return n ? (v >> n) | (v << (64 - n)) : v;
}

void *WINAPI RtlEncodePointer(void *p)
{
    uint64_t c = k32_pointer_cookie();
    return (void *)(uintptr_t)k32_rotr((uint64_t)(uintptr_t)p ^ c, (unsigned)(c & 63));
}
THK_EXPORT(ntdll, RtlEncodePointer, 1);
THK_EXPORT_AS(kernel32, EncodePointer, RtlEncodePointer, 1);
THK_EXPORT_AS(ntdll, RtlEncodeSystemPointer, RtlEncodePointer, 1);
THK_EXPORT_AS(kernel32, EncodeSystemPointer, RtlEncodePointer, 1);

void *WINAPI RtlDecodePointer(void *p)
{
    uint64_t c = k32_pointer_cookie();
    unsigned n = (unsigned)(c & 63);
    return (void *)(uintptr_t)(k32_rotr((uint64_t)(uintptr_t)p, (64 - n) & 63) ^ c);
}
THK_EXPORT(ntdll, RtlDecodePointer, 1);
THK_EXPORT_AS(kernel32, DecodePointer, RtlDecodePointer, 1);
THK_EXPORT_AS(ntdll, RtlDecodeSystemPointer, RtlDecodePointer, 1);
THK_EXPORT_AS(kernel32, DecodeSystemPointer, RtlDecodePointer, 1);
