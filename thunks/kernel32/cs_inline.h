/* SPDX-License-Identifier: MIT */
/* The uncontended paths of EnterCriticalSection/LeaveCriticalSection (thunks/kernel32/sync.c),
 * inline, for built-ins that take a lock per call on a hot path (msvcrt's stream locks: one
 * getc or putc is one enter and one leave). Same protocol as sync.c on the section's own fields
 * (LockCount -1 when free; OwningThread, RecursionCount), so a section may be taken here and
 * released by LeaveCriticalSection or the other way round. Anything but the free-or-mine case
 * (a waiter, a host thread without a TEB, a spin count) goes to the exported functions.
 *
 * Only ms_abi code should include this: the fast paths read the TEB pointer from native TLS
 * (initial-exec, an %fs load) and call nothing but the ms_abi exports, so an ms_abi caller
 * saves no xmm6-15/rsi/rdi for them. */
#ifndef NTRUN_THUNKS_KERNEL32_CS_INLINE_H
#define NTRUN_THUNKS_KERNEL32_CS_INLINE_H

#include "runtime/teb.h"
#include "runtime/win.h"
#include "thunks/held_locks.h"

extern __thread TEB *rt_tls_teb __attribute__((tls_model("initial-exec")));
void WINAPI EnterCriticalSection(CRITICAL_SECTION *cs);
void WINAPI LeaveCriticalSection(CRITICAL_SECTION *cs);

/* Enter: re-entry by the owner (plain increments: only the owner writes RecursionCount, and
 * LockCount by an atomic add as sync.c does), or a free section taken with one compare-and-swap. */
static inline __attribute__((always_inline)) void k32_cs_enter_fast(CRITICAL_SECTION *cs)
{
    TEB *teb = rt_tls_teb;
    if (__builtin_expect(teb != NULL, 1)) {
        HANDLE me = teb->ClientId.UniqueThread;
        if (__atomic_load_n(&cs->OwningThread, __ATOMIC_RELAXED) == me) {
            __atomic_add_fetch(&cs->LockCount, 1, __ATOMIC_RELAXED);
            cs->RecursionCount++;
            return;
        }
        int32_t expected = -1;
        if (__atomic_compare_exchange_n(&cs->LockCount, &expected, 0, false, __ATOMIC_ACQUIRE,
                                        __ATOMIC_RELAXED)) {
            __atomic_store_n(&cs->OwningThread, me, __ATOMIC_RELAXED);
            cs->RecursionCount = 1;
            return;
        }
    }
    EnterCriticalSection(cs);
}

/* Leave: a nested leave, or the last one with nobody waiting (LockCount 0 -> -1 by one
 * compare-and-swap). A waiter that arrives in between makes the swap fail while we still own
 * the section; LeaveCriticalSection then hands it over. */
static inline __attribute__((always_inline)) void k32_cs_leave_fast(CRITICAL_SECTION *cs)
{
    int32_t depth = cs->RecursionCount;
    if (depth > 1) {
        cs->RecursionCount = depth - 1;
        __atomic_sub_fetch(&cs->LockCount, 1, __ATOMIC_RELAXED);
        return;
    }
    if (depth == 1) {
        HANDLE owner = cs->OwningThread;
        cs->RecursionCount = 0;
        __atomic_store_n(&cs->OwningThread, NULL, __ATOMIC_RELAXED);
        int32_t expected = 0;
        if (__builtin_expect(__atomic_compare_exchange_n(&cs->LockCount, &expected, -1, false,
                                                         __ATOMIC_RELEASE, __ATOMIC_RELAXED),
                             1))
            return;
        cs->OwningThread = owner; /* still ours: let the export hand it to a waiter */
        cs->RecursionCount = 1;
    }
    LeaveCriticalSection(cs);
}

/* What built-ins call: the section is also noted as held by the calling built-in's frame
 * (thunks/held_locks.h), so an exception that unwinds past that frame releases it. A built-in
 * that returns holding it for the program calls thk_held_drop. */
static inline __attribute__((always_inline)) void k32_cs_enter_inline(CRITICAL_SECTION *cs)
{
    k32_cs_enter_fast(cs);
    thk_held_push(thk_held_leave_cs, cs);
}

static inline __attribute__((always_inline)) void k32_cs_leave_inline(CRITICAL_SECTION *cs)
{
    thk_held_drop(cs);
    k32_cs_leave_fast(cs);
}

#endif
