/* SPDX-License-Identifier: MIT */
/* The AVX extended state (see xstate.h). The Linux signal frame's floating-point image is the
 * kernel's xsave image in standard format: struct _fpx_sw_bytes at 464 of the fxsave area says
 * so (magic FP_XSTATE_MAGIC1) and which features it holds; the header's XSTATE_BV (at 512)
 * tells which ones are in a non-initial state; the AVX upper halves sit at 576. */
#include <string.h>
#include <sys/platform/x86.h>
#include "runtime/xstate.h"

#define RT_FPX_MAGIC1 0x46505853u
#define RT_XSAVE_AVX_OFFSET 576

static XSTATE_CONFIGURATION rt_xstate_cfg;
static int rt_xstate_ready; /* 0 not computed, 1 computed */

/* Features x87 (0: the fxsave area up to the xmm registers), SSE (1: xmm0-15), AVX (2: the
 * upper halves at 576), as Wine 8.0 publishes them; compaction as the CPU offers it (XSAVEC),
 * which Windows uses when it can. */
static void rt_xstate_compute(XSTATE_CONFIGURATION *x)
{
    memset(x, 0, sizeof *x);
    if (!CPU_FEATURE_ACTIVE(AVX))
        return;
    x->EnabledFeatures = x->EnabledVolatileFeatures = RT_XSTATE_MASK_LEGACY | RT_XSTATE_MASK_AVX;
    x->Size = RT_XSAVE_AVX_OFFSET + RT_YMMH_SIZE;
    x->ControlFlags = (CPU_FEATURE_ACTIVE(XSAVEOPT) ? 1u : 0u) |
                      (CPU_FEATURE_ACTIVE(XSAVEC) ? RT_XSTATE_COMPACTION : 0u);
    x->Features[0].Offset = 0, x->Features[0].Size = 160;
    x->Features[1].Offset = 160, x->Features[1].Size = 256;
    x->Features[2].Offset = RT_XSAVE_AVX_OFFSET, x->Features[2].Size = RT_YMMH_SIZE;
    x->AllFeatureSize = x->Size;
    x->AllFeatures[0] = 160, x->AllFeatures[1] = 256, x->AllFeatures[2] = RT_YMMH_SIZE;
    x->AllNonLargeFeatureSize = x->Size;
}

const XSTATE_CONFIGURATION *rt_xstate_config(void)
{
    if (!__atomic_load_n(&rt_xstate_ready, __ATOMIC_ACQUIRE)) {
        XSTATE_CONFIGURATION x;
        rt_xstate_compute(&x); /* the same result in every thread: a race only repeats it */
        rt_xstate_cfg = x;
        __atomic_store_n(&rt_xstate_ready, 1, __ATOMIC_RELEASE);
    }
    return &rt_xstate_cfg;
}

bool rt_xstate_avx(void)
{
    return (rt_xstate_config()->EnabledFeatures & RT_XSTATE_MASK_AVX) != 0;
}

/* The xsave image of a signal frame when it has an AVX part, else NULL. Async-signal-safe. */
static uint8_t *rt_frame_xsave(const ucontext_t *uc)
{
    uint8_t *fp = (uint8_t *)uc->uc_mcontext.fpregs;
    uint32_t sw[2];
    uint64_t features;
    if (!fp)
        return NULL;
    memcpy(sw, fp + 464, sizeof sw);
    memcpy(&features, fp + 472, sizeof features);
    if (sw[0] != RT_FPX_MAGIC1 || !(features & RT_XSTATE_MASK_AVX) ||
        sw[1] < RT_XSAVE_AVX_OFFSET + RT_YMMH_SIZE)
        return NULL;
    return fp;
}

bool rt_ymmh_from_ucontext(const ucontext_t *uc, M128A ymmh[16])
{
    const uint8_t *fp = rt_frame_xsave(uc);
    if (!fp)
        return false;
    uint64_t bv;
    memcpy(&bv, fp + 512, sizeof bv);
    if (bv & RT_XSTATE_MASK_AVX)
        memcpy(ymmh, fp + RT_XSAVE_AVX_OFFSET, RT_YMMH_SIZE);
    else
        memset(ymmh, 0, RT_YMMH_SIZE);
    return true;
}

bool rt_ymmh_to_ucontext(ucontext_t *uc, const M128A ymmh[16])
{
    uint8_t *fp = rt_frame_xsave(uc);
    if (!fp)
        return false;
    uint64_t bv;
    memcpy(&bv, fp + 512, sizeof bv);
    bv |= RT_XSTATE_MASK_AVX;
    memcpy(fp + 512, &bv, sizeof bv);
    memcpy(fp + RT_XSAVE_AVX_OFFSET, ymmh, RT_YMMH_SIZE);
    return true;
}
