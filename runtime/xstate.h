/* SPDX-License-Identifier: MIT */
/* The AVX part of a thread's extended state (CONTEXT_XSTATE): the XSTATE_CONFIGURATION that
 * KUSER_SHARED_DATA publishes, the CONTEXT_EX / XSAVE_AREA_HEADER layouts that follow a CONTEXT
 * asked for with CONTEXT_XSTATE, and the upper halves of ymm0-15 moved between Linux signal
 * frames, the running thread and those layouts. ntrun enables x87, SSE and AVX (as Wine 8.0),
 * whatever else the CPU has. */
#ifndef NTRUN_RUNTIME_XSTATE_H
#define NTRUN_RUNTIME_XSTATE_H

#include <stdbool.h>
#include <ucontext.h>
#include "runtime/winexc.h"

#define CONTEXT_XSTATE (CONTEXT_AMD64 | 0x40)
#define RT_XSTATE_AVX 2                   /* XSTATE_AVX, the feature number */
#define RT_XSTATE_MASK_AVX (1ull << 2)    /* XSTATE_MASK_AVX */
#define RT_XSTATE_MASK_LEGACY 3ull        /* x87 | SSE */
#define RT_YMMH_SIZE 256                  /* the upper halves of ymm0-15 */

typedef struct {
    LONG Offset;  /* 0x0 */
    DWORD Length; /* 0x4 */
} CONTEXT_CHUNK;

/* Right after a CONTEXT (at +0x4d0); the offsets are relative to the CONTEXT_EX itself. */
typedef struct {
    CONTEXT_CHUNK All;    /* 0x00 */
    CONTEXT_CHUNK Legacy; /* 0x08 */
    CONTEXT_CHUNK XState; /* 0x10 */
    DWORD64 Align;        /* 0x18 */
} CONTEXT_EX;
_Static_assert(sizeof(CONTEXT_EX) == 0x20, "CONTEXT_EX");

/* The XState chunk: the xsave header, then (AVX, non-compacted offset 576 - 512) ymm_h. */
typedef struct {
    DWORD64 Mask;           /* 0x00 */
    DWORD64 CompactionMask; /* 0x08 */
    DWORD64 Reserved[6];    /* 0x10 */
} XSAVE_AREA_HEADER;
_Static_assert(sizeof(XSAVE_AREA_HEADER) == 0x40, "XSAVE_AREA_HEADER");

typedef struct {
    DWORD Offset; /* 0x0 */
    DWORD Size;   /* 0x4 */
} XSTATE_FEATURE;

/* KUSER_SHARED_DATA+0x3d8 (Windows 10 22H2). */
typedef struct {
    DWORD64 EnabledFeatures;                      /* 0x000 */
    DWORD64 EnabledVolatileFeatures;              /* 0x008 */
    DWORD Size;                                   /* 0x010 */
    DWORD ControlFlags;                           /* 0x014: OptimizedSave 1, CompactionEnabled 2 */
    XSTATE_FEATURE Features[64];                  /* 0x018 */
    DWORD64 EnabledSupervisorFeatures;            /* 0x218 */
    DWORD64 AlignedFeatures;                      /* 0x220 */
    DWORD AllFeatureSize;                         /* 0x228 */
    DWORD AllFeatures[64];                        /* 0x22c */
    DWORD64 EnabledUserVisibleSupervisorFeatures; /* 0x330 */
    DWORD64 ExtendedFeatureDisableFeatures;       /* 0x338 */
    DWORD AllNonLargeFeatureSize;                 /* 0x340 */
    DWORD Spare;                                  /* 0x344 */
} XSTATE_CONFIGURATION;
_Static_assert(offsetof(XSTATE_CONFIGURATION, Features) == 0x18, "XSTATE.Features");
_Static_assert(offsetof(XSTATE_CONFIGURATION, AllFeatures) == 0x22c, "XSTATE.AllFeatures");
_Static_assert(sizeof(XSTATE_CONFIGURATION) == 0x348, "XSTATE_CONFIGURATION");
#define RT_XSTATE_COMPACTION 2u /* ControlFlags.CompactionEnabled */

/* The configuration ntrun publishes (computed once; EnabledFeatures 0 without AVX). */
const XSTATE_CONFIGURATION *rt_xstate_config(void);
/* Whether the thread state has an AVX part ntrun handles. */
bool rt_xstate_avx(void);

/* The upper halves of ymm0-15 of the interrupted context in a signal frame (zeros when the
 * frame holds the AVX state in its initial state); false when the frame has no AVX part.
 * Async-signal-safe. */
bool rt_ymmh_from_ucontext(const ucontext_t *uc, M128A ymmh[16]);
/* Replaces them (the signal return loads them); false when the frame has no AVX part. */
bool rt_ymmh_to_ucontext(ucontext_t *uc, const M128A ymmh[16]);

/* The calling thread's upper halves (rt_xstate_avx() must hold): a leaf in assembly. */
void rt_ymmh_save(M128A ymmh[16]);
/* rt_exc_restore_context after loading the upper halves from ymmh (rt_xstate_avx()). */
__attribute__((noreturn)) void rt_exc_restore_context_ymmh(const CONTEXT *ctx,
                                                           const M128A ymmh[16]);

/* A CONTEXT with the upper halves that go with it (has_ymmh), as NtContinue /
 * NtSetContextThread on the thread itself leave it in rt_thread.trap_resume. */
typedef struct {
    CONTEXT ctx;
    bool has_ymmh;
    M128A ymmh[16];
} rt_context_ymmh;

#endif
