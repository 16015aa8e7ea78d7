/* SPDX-License-Identifier: MIT */
/* Zydis, opened when first needed. ntrun decodes foreign instructions only to report a crash,
 * to name a faulting instruction in a trace, and to tell a zero divisor from an overflow on #DE;
 * linking libZydis made every start map and bind it (~0.12 ms, docs/performance.md). The
 * header still gives every type and constant; the five entry points come from dlopen. */
#include <dlfcn.h>
#include <pthread.h>
#include <stdatomic.h>
#include "runtime/runtime_private.h"
#include "runtime/zydis.h"

#ifndef NTRUN_ZYDIS_SONAME
#define NTRUN_ZYDIS_SONAME "libZydis.so.4.0"
#endif

static rt_zydis_api rt_zydis_fns;
static _Atomic int rt_zydis_state; /* 0 not tried, 1 loaded, -1 unavailable */
static pthread_mutex_t rt_zydis_lock = PTHREAD_MUTEX_INITIALIZER;

static int rt_zydis_load(void)
{
    void *h = dlopen(NTRUN_ZYDIS_SONAME, RTLD_NOW | RTLD_LOCAL);
    if (!h) {
        rt_message("cannot load %s (%s): instructions are not decoded", NTRUN_ZYDIS_SONAME,
                   dlerror());
        return -1;
    }
    struct {
        const char *name;
        void **slot;
    } syms[] = {
        {"ZydisDisassembleIntel", (void **)&rt_zydis_fns.DisassembleIntel},
        {"ZydisDecoderInit", (void **)&rt_zydis_fns.DecoderInit},
        {"ZydisDecoderDecodeFull", (void **)&rt_zydis_fns.DecoderDecodeFull},
        {"ZydisRegisterGetLargestEnclosing", (void **)&rt_zydis_fns.RegisterGetLargestEnclosing},
        {"ZydisCalcAbsoluteAddressEx", (void **)&rt_zydis_fns.CalcAbsoluteAddressEx},
    };
    for (size_t i = 0; i < sizeof syms / sizeof syms[0]; i++) {
        *syms[i].slot = dlsym(h, syms[i].name);
        if (!*syms[i].slot) {
            rt_message("%s has no %s: instructions are not decoded", NTRUN_ZYDIS_SONAME,
                       syms[i].name);
            dlclose(h);
            return -1;
        }
    }
    return 1;
}

const rt_zydis_api *rt_zydis(void)
{
    int s = atomic_load_explicit(&rt_zydis_state, memory_order_acquire);
    if (!s) {
        pthread_mutex_lock(&rt_zydis_lock);
        s = atomic_load_explicit(&rt_zydis_state, memory_order_relaxed);
        if (!s) {
            s = rt_zydis_load();
            atomic_store_explicit(&rt_zydis_state, s, memory_order_release);
        }
        pthread_mutex_unlock(&rt_zydis_lock);
    }
    return s > 0 ? &rt_zydis_fns : NULL;
}
