/* SPDX-License-Identifier: MIT */
/* Zydis, opened when first needed (runtime/zydis.c). Private to runtime/. */
#ifndef NTRUN_RUNTIME_ZYDIS_H
#define NTRUN_RUNTIME_ZYDIS_H

#include <Zydis/Zydis.h>

/* The entry points ntrun uses, typed from the header so they cannot drift from it. */
typedef struct rt_zydis_api {
    __typeof__(&ZydisDisassembleIntel) DisassembleIntel;
    __typeof__(&ZydisDecoderInit) DecoderInit;
    __typeof__(&ZydisDecoderDecodeFull) DecoderDecodeFull;
    __typeof__(&ZydisRegisterGetLargestEnclosing) RegisterGetLargestEnclosing;
    __typeof__(&ZydisCalcAbsoluteAddressEx) CalcAbsoluteAddressEx;
} rt_zydis_api;

/* The library, loaded on the first call (crash reports, traces, the #DE divisor decode): not
 * mapped at every start. NULL when it cannot be loaded (said once on stderr). Thread-safe; from
 * a signal handler safe unless the fault is inside the dynamic loader itself. */
const rt_zydis_api *rt_zydis(void);

#endif
