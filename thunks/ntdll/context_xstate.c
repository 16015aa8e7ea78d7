/* SPDX-License-Identifier: MIT */
/* Extended contexts (CONTEXT_XSTATE): ntdll's Rtl*ExtendedContext / Rtl*ExtendedFeature* and
 * RtlCopyContext, and kernel32's InitializeContext(2), CopyContext, LocateXStateFeature,
 * Set/GetXStateFeaturesMask and GetEnabledXStateFeatures over them. A CONTEXT asked for with
 * CONTEXT_XSTATE is followed by a CONTEXT_EX whose XState chunk (64-byte aligned) holds an
 * XSAVE_AREA_HEADER and the feature areas (runtime/xstate.h); the features are those ntrun
 * publishes in KUSER_SHARED_DATA (x87, SSE, AVX). Layouts and lengths as Windows gives them
 * (InitializeContext(CONTEXT_ALL) asks 0x4f7 bytes); only the AMD64 CONTEXT is handled. Like
 * ntdll's own, these functions trust the program's pointers (a bad one faults in the caller). */
#include <string.h>
#include "thunks/kernel32/kernel32_private.h"
#include "runtime/exception.h"
#include "runtime/xstate.h"
#include "thunks/ntdll/thk_exception.h"

#define CX_EX_SIZE 0x20u                 /* sizeof(CONTEXT_EX) with its alignment */
#define CX_SUPPORTED (0xd8000000u | CONTEXT_ALL | CONTEXT_XSTATE)
#define CX_XSTATE_BIT 0x40u

static bool cx_flags_valid(DWORD flags)
{
    return (flags & CONTEXT_AMD64) && !(flags & ~CX_SUPPORTED);
}

static bool cx_compaction(void)
{
    return (rt_xstate_config()->ControlFlags & RT_XSTATE_COMPACTION) != 0;
}

static XSAVE_AREA_HEADER *cx_xstate(CONTEXT_EX *ex)
{
    return (XSAVE_AREA_HEADER *)((BYTE *)ex + ex->XState.Offset);
}

/* The length of the XState chunk for the features of `mask` beyond x87/SSE (AVX is the only
 * one: at 64 after the header in both the standard and the compacted format). */
static DWORD cx_xstate_length(uint64_t mask)
{
    mask &= rt_xstate_config()->EnabledFeatures & ~RT_XSTATE_MASK_LEGACY;
    return sizeof(XSAVE_AREA_HEADER) + ((mask & RT_XSTATE_MASK_AVX) ? RT_YMMH_SIZE : 0);
}

DWORD64 WINAPI RtlGetEnabledExtendedFeatures(DWORD64 mask)
{
    return rt_xstate_config()->EnabledFeatures & mask;
}
THK_EXPORT(ntdll, RtlGetEnabledExtendedFeatures, 1);

NTSTATUS WINAPI RtlGetExtendedContextLength2(DWORD flags, DWORD *length, DWORD64 mask)
{
    if (!cx_flags_valid(flags))
        return STATUS_INVALID_PARAMETER;
    if (!(flags & CX_XSTATE_BIT)) {
        *length = sizeof(CONTEXT) + CX_EX_SIZE + 7;
        return STATUS_SUCCESS;
    }
    if (!rt_xstate_config()->EnabledFeatures)
        return STATUS_NOT_SUPPORTED;
    *length = sizeof(CONTEXT) + CX_EX_SIZE + 63 + cx_xstate_length(mask);
    return STATUS_SUCCESS;
}
THK_EXPORT(ntdll, RtlGetExtendedContextLength2, 3);

NTSTATUS WINAPI RtlGetExtendedContextLength(DWORD flags, DWORD *length)
{
    return RtlGetExtendedContextLength2(flags, length, ~0ull);
}
THK_EXPORT(ntdll, RtlGetExtendedContextLength, 2);

NTSTATUS WINAPI RtlInitializeExtendedContext2(void *buffer, DWORD flags, CONTEXT_EX **out,
                                              DWORD64 mask)
{
    if (!cx_flags_valid(flags))
        return STATUS_INVALID_PARAMETER;
    const XSTATE_CONFIGURATION *cfg = rt_xstate_config();
    if ((flags & CX_XSTATE_BIT) && !cfg->EnabledFeatures)
        return STATUS_NOT_SUPPORTED;
    CONTEXT *c = (CONTEXT *)(((uintptr_t)buffer + 15) & ~(uintptr_t)15);
    c->ContextFlags = flags;
    CONTEXT_EX *ex = (CONTEXT_EX *)(c + 1);
    *out = ex;
    ex->All.Offset = ex->Legacy.Offset = -(LONG)sizeof(CONTEXT);
    ex->Legacy.Length = sizeof(CONTEXT);
    if (!(flags & CX_XSTATE_BIT)) {
        ex->XState.Offset = 25; /* Windows' value without an XSTATE part */
        ex->XState.Length = 0;
        ex->All.Length = sizeof(CONTEXT) + 24;
        return STATUS_SUCCESS;
    }
    mask &= cfg->EnabledFeatures;
    uintptr_t xs = ((uintptr_t)ex + CX_EX_SIZE + 63) & ~(uintptr_t)63;
    ex->XState.Offset = (LONG)(xs - (uintptr_t)ex);
    ex->XState.Length = cx_xstate_length(mask);
    memset((void *)xs, 0, ex->XState.Length);
    if (cx_compaction())
        ((XSAVE_AREA_HEADER *)xs)->CompactionMask = (1ull << 63) | mask;
    ex->All.Length = sizeof(CONTEXT) + (DWORD)ex->XState.Offset + ex->XState.Length;
    return STATUS_SUCCESS;
}
THK_EXPORT(ntdll, RtlInitializeExtendedContext2, 4);

NTSTATUS WINAPI RtlInitializeExtendedContext(void *buffer, DWORD flags, CONTEXT_EX **out)
{
    return RtlInitializeExtendedContext2(buffer, flags, out, ~0ull);
}
THK_EXPORT(ntdll, RtlInitializeExtendedContext, 3);

void *WINAPI RtlLocateExtendedFeature2(CONTEXT_EX *ex, DWORD id,
                                       const XSTATE_CONFIGURATION *cfg, DWORD *length)
{
    if (!cfg || id < 2 || id >= 64)
        return NULL;
    uint64_t bit = 1ull << id;
    XSAVE_AREA_HEADER *xs = cx_xstate(ex);
    if (length)
        *length = cfg->Features[id].Size;
    DWORD offset;
    if (cfg->ControlFlags & RT_XSTATE_COMPACTION) {
        if (!(xs->CompactionMask & bit))
            return NULL;
        offset = sizeof *xs;
        for (DWORD i = 2; i < id; i++) /* the features before it that the area holds */
            if (xs->CompactionMask & (1ull << i))
                offset += cfg->Features[i].Size;
    } else {
        if (!(cfg->EnabledFeatures & bit))
            return NULL;
        offset = cfg->Features[id].Offset - sizeof(XMM_SAVE_AREA32);
    }
    if (ex->XState.Length < offset + cfg->Features[id].Size)
        return NULL;
    return (BYTE *)xs + offset;
}
THK_EXPORT(ntdll, RtlLocateExtendedFeature2, 4);

void *WINAPI RtlLocateExtendedFeature(CONTEXT_EX *ex, DWORD id, DWORD *length)
{
    return RtlLocateExtendedFeature2(ex, id, rt_xstate_config(), length);
}
THK_EXPORT(ntdll, RtlLocateExtendedFeature, 3);

void *WINAPI RtlLocateLegacyContext(CONTEXT_EX *ex, DWORD *length)
{
    if (length)
        *length = ex->Legacy.Length;
    return (BYTE *)ex + ex->Legacy.Offset;
}
THK_EXPORT(ntdll, RtlLocateLegacyContext, 2);

void WINAPI RtlSetExtendedFeaturesMask(CONTEXT_EX *ex, DWORD64 mask)
{
    cx_xstate(ex)->Mask = rt_xstate_config()->EnabledFeatures & mask & ~RT_XSTATE_MASK_LEGACY;
}
THK_EXPORT(ntdll, RtlSetExtendedFeaturesMask, 2);

DWORD64 WINAPI RtlGetExtendedFeaturesMask(CONTEXT_EX *ex)
{
    return cx_xstate(ex)->Mask & ~RT_XSTATE_MASK_LEGACY;
}
THK_EXPORT(ntdll, RtlGetExtendedFeaturesMask, 1);

/* The parts of a CONTEXT each ContextFlags bit names, as [start, next start) ranges: SegCs,
 * the data segments, SegSs+EFlags, Dr0-7, Rax-Rbx, Rsp, Rbp-R15, Rip, the legacy FP area up to
 * xmm15, the vector registers (never copied), the last-branch records. */
static const struct { uint16_t start; uint8_t flag; } cx_ranges[] = {
    {0x38, 0x01}, {0x3a, 0x04}, {0x42, 0x01}, {0x48, 0x10}, {0x78, 0x02}, {0x98, 0x01},
    {0xa0, 0x02}, {0xf8, 0x01}, {0x100, 0x08}, {0x2a0, 0}, {0x4b0, 0x10}, {0x4d0, 0},
};

static void cx_copy_ranges(BYTE *d, DWORD flags, const BYTE *s)
{
    ((CONTEXT *)(void *)d)->ContextFlags |= flags;
    for (size_t i = 0; i + 1 < sizeof cx_ranges / sizeof cx_ranges[0]; i++)
        if (cx_ranges[i].flag & flags)
            memcpy(d + cx_ranges[i].start, s + cx_ranges[i].start,
                   cx_ranges[i + 1].start - cx_ranges[i].start);
}

NTSTATUS WINAPI RtlCopyExtendedContext(CONTEXT_EX *dst, DWORD flags, CONTEXT_EX *src)
{
    if (!cx_flags_valid(flags))
        return STATUS_INVALID_PARAMETER;
    uint64_t enabled = rt_xstate_config()->EnabledFeatures;
    if ((flags & CX_XSTATE_BIT) && !enabled)
        return STATUS_NOT_SUPPORTED;
    cx_copy_ranges(RtlLocateLegacyContext(dst, NULL), flags, RtlLocateLegacyContext(src, NULL));
    if (!(flags & CX_XSTATE_BIT))
        return STATUS_SUCCESS;
    if (dst->XState.Length < sizeof(XSAVE_AREA_HEADER))
        return STATUS_BUFFER_OVERFLOW;
    XSAVE_AREA_HEADER *d = cx_xstate(dst), *s = cx_xstate(src);
    uint64_t smask = s->Mask, scompact = s->CompactionMask;
    memset(d, 0, sizeof *d);
    d->Mask = smask & ~RT_XSTATE_MASK_LEGACY & enabled;
    d->CompactionMask = cx_compaction() ? (1ull << 63) | (scompact & enabled) : 0;
    if ((d->Mask & RT_XSTATE_MASK_AVX) && src->XState.Length >= sizeof *d + RT_YMMH_SIZE &&
        dst->XState.Length >= sizeof *d + RT_YMMH_SIZE)
        memcpy(d + 1, s + 1, RT_YMMH_SIZE);
    return STATUS_SUCCESS;
}
THK_EXPORT(ntdll, RtlCopyExtendedContext, 3);

NTSTATUS WINAPI RtlCopyContext(CONTEXT *dst, DWORD flags, CONTEXT *src)
{
    if ((flags & CX_XSTATE_BIT) && !rt_xstate_config()->EnabledFeatures)
        return STATUS_NOT_SUPPORTED;
    if (!(flags & CONTEXT_AMD64) || !(dst->ContextFlags & CONTEXT_AMD64) ||
        !(src->ContextFlags & CONTEXT_AMD64))
        return STATUS_INVALID_PARAMETER;
    flags &= src->ContextFlags;
    if (flags & ~dst->ContextFlags & CX_XSTATE_BIT)
        return STATUS_BUFFER_OVERFLOW;
    if (flags & CX_XSTATE_BIT)
        return RtlCopyExtendedContext((CONTEXT_EX *)(dst + 1), flags, (CONTEXT_EX *)(src + 1));
    if (!cx_flags_valid(flags))
        return STATUS_INVALID_PARAMETER;
    cx_copy_ranges((BYTE *)dst, flags, (const BYTE *)src);
    return STATUS_SUCCESS;
}
THK_EXPORT(ntdll, RtlCopyContext, 3);

/* ---- kernel32 ---- */

BOOL WINAPI InitializeContext2(void *buffer, DWORD flags, CONTEXT **context, DWORD *length,
                               DWORD64 mask)
{
    DWORD need;
    NTSTATUS st = RtlGetExtendedContextLength2(flags, &need, mask);
    if (st != STATUS_SUCCESS) {
        thk_set_last_status(st);
        return FALSE;
    }
    if (!buffer || *length < need) {
        *length = need;
        thk_set_last_error(ERROR_INSUFFICIENT_BUFFER);
        return FALSE;
    }
    CONTEXT_EX *ex;
    RtlInitializeExtendedContext2(buffer, flags, &ex, mask);
    *context = RtlLocateLegacyContext(ex, NULL);
    return TRUE;
}
THK_EXPORT(kernel32, InitializeContext2, 5);

BOOL WINAPI InitializeContext(void *buffer, DWORD flags, CONTEXT **context, DWORD *length)
{
    return InitializeContext2(buffer, flags, context, length, ~0ull);
}
THK_EXPORT(kernel32, InitializeContext, 4);

BOOL WINAPI CopyContext(CONTEXT *dst, DWORD flags, CONTEXT *src)
{
    NTSTATUS st = RtlCopyContext(dst, flags, src);
    if (st != STATUS_SUCCESS) {
        thk_set_last_status(st);
        return FALSE;
    }
    return TRUE;
}
THK_EXPORT(kernel32, CopyContext, 3);

DWORD64 WINAPI GetEnabledXStateFeatures(void)
{
    return RtlGetEnabledExtendedFeatures(~0ull);
}
THK_EXPORT(kernel32, GetEnabledXStateFeatures, 0);

static bool cx_has_xstate(const CONTEXT *c)
{
    return (c->ContextFlags & CONTEXT_XSTATE) == CONTEXT_XSTATE;
}

void *WINAPI LocateXStateFeature(CONTEXT *c, DWORD id, DWORD *length)
{
    if (!(c->ContextFlags & CONTEXT_AMD64))
        return NULL;
    if (id == 0) { /* x87: the FltSave area up to the xmm registers */
        if (length)
            *length = offsetof(XMM_SAVE_AREA32, XmmRegisters);
        return &c->FltSave;
    }
    if (id == 1) {
        if (length)
            *length = sizeof c->FltSave.XmmRegisters;
        return c->FltSave.XmmRegisters;
    }
    if (!cx_has_xstate(c))
        return NULL;
    return RtlLocateExtendedFeature((CONTEXT_EX *)(c + 1), id, length);
}
THK_EXPORT(kernel32, LocateXStateFeature, 3);

BOOL WINAPI SetXStateFeaturesMask(CONTEXT *c, DWORD64 mask)
{
    if (!(c->ContextFlags & CONTEXT_AMD64))
        return FALSE;
    if (mask & RT_XSTATE_MASK_LEGACY)
        c->ContextFlags |= CONTEXT_FLOATING_POINT;
    if (!cx_has_xstate(c))
        return !(mask & ~RT_XSTATE_MASK_LEGACY);
    RtlSetExtendedFeaturesMask((CONTEXT_EX *)(c + 1), mask);
    return TRUE;
}
THK_EXPORT(kernel32, SetXStateFeaturesMask, 2);

BOOL WINAPI GetXStateFeaturesMask(CONTEXT *c, DWORD64 *mask)
{
    if (!(c->ContextFlags & CONTEXT_AMD64))
        return FALSE;
    *mask = (c->ContextFlags & CONTEXT_FLOATING_POINT) == CONTEXT_FLOATING_POINT
                ? RT_XSTATE_MASK_LEGACY
                : 0;
    if (cx_has_xstate(c))
        *mask |= RtlGetExtendedFeaturesMask((CONTEXT_EX *)(c + 1));
    return TRUE;
}
THK_EXPORT(kernel32, GetXStateFeaturesMask, 2);

/* ---- for NtContinue / NtSetContextThread on the calling thread ---- */

bool thk_context_user_ymmh(uint64_t ctxp, uint32_t flags, M128A ymmh[16])
{
    if ((flags & CONTEXT_XSTATE) != CONTEXT_XSTATE || !rt_xstate_avx())
        return false;
    CONTEXT_EX ex;
    XSAVE_AREA_HEADER hdr;
    uintptr_t exp = (uintptr_t)ctxp + sizeof(CONTEXT);
    if (rt_safe_copy(&ex, (const void *)exp, sizeof ex) != 0 ||
        ex.XState.Length < sizeof hdr + RT_YMMH_SIZE)
        return false;
    uintptr_t at = exp + (uintptr_t)(intptr_t)ex.XState.Offset;
    return rt_safe_copy(&hdr, (const void *)at, sizeof hdr) == 0 &&
           (hdr.Mask & RT_XSTATE_MASK_AVX) &&
           rt_safe_copy(ymmh, (const void *)(at + sizeof hdr), RT_YMMH_SIZE) == 0;
}
