/* SPDX-License-Identifier: MIT */
/* kernel32 synchronisation and thread-local storage: critical sections (and ntdll's
 * RtlEnterCriticalSection family), TLS slots, FLS slots, Sleep/SleepEx/SwitchToThread,
 * InitOnceExecuteOnce, GetCurrentProcessorNumber.
 *
 * Critical sections live in foreign memory (the 40-byte RTL_CRITICAL_SECTION) and use the
 * classic NT protocol on its own fields: LockCount is -1 when free and counts the entries and
 * waiters beyond the first; the owner records its thread id in OwningThread and its depth in
 * RecursionCount. A thread that finds the section held waits on a semaphore whose count is the
 * low 32 bits of LockSemaphore (a futex word), and LeaveCriticalSection posts that semaphore
 * when LockCount shows waiters, handing the section to one of them. No side object exists, so
 * DeleteCriticalSection has nothing to free and a section may be used from any thread.
 *
 * TLS: indexes 0..63 are TEB->TlsSlots, 64..1087 TEB->TlsExpansionSlots (allocated on the
 * thread's first store, freed when a foreign thread ends). TlsAlloc/TlsFree clear the slot in
 * every thread (the main thread and runtime/'s registry of foreign threads), as Windows does.
 * Index 0 is never given out (K32_TLS_FIRST): Wine reserves it too, and programs count on a TLS
 * index never being 0 (Rust's std of 2018 keeps 0 for "not allocated yet" and asserts
 * `key != 0` on the first thread-local: clipboardy's clipboard_x86_64.exe stopped there).
 * FLS: 128 slots per thread; the destructor callbacks are recorded but not called yet. */
#include <errno.h>
#include <linux/futex.h>
#include <pthread.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>
#include "thunks/kernel32/kernel32_private.h"

#define K32_TLS_MINIMUM 64
#define K32_TLS_EXPANSION 1024
#define K32_TLS_SLOTS (K32_TLS_MINIMUM + K32_TLS_EXPANSION)
#define K32_TLS_FIRST 1 /* the lowest index TlsAlloc gives */

#define K32_ERROR_NO_MORE_ITEMS 259
#define K32_WAIT_IO_COMPLETION 0xc0
#define K32_STATUS_NO_YIELD_PERFORMED ((NTSTATUS)0x40000024)
#define K32_CS_SPIN_MASK 0x00ffffffu

_Static_assert(offsetof(CRITICAL_SECTION, LockCount) == 0x08, "CRITICAL_SECTION.LockCount");
_Static_assert(offsetof(CRITICAL_SECTION, RecursionCount) == 0x0c, "CS.RecursionCount");
_Static_assert(offsetof(CRITICAL_SECTION, OwningThread) == 0x10, "CS.OwningThread");
_Static_assert(offsetof(CRITICAL_SECTION, LockSemaphore) == 0x18, "CS.LockSemaphore");
_Static_assert(offsetof(CRITICAL_SECTION, SpinCount) == 0x20, "CS.SpinCount");

static long k32_futex(uint32_t *word, int op, uint32_t val)
{
    return syscall(SYS_futex, word, op | FUTEX_PRIVATE_FLAG, val, NULL, NULL, 0);
}

/* The critical-section entry points are ms_abi; a call to any SysV function anywhere in one,
 * even on a cold branch, makes GCC save xmm6-15, rsi and rdi in its prologue (~20 stores and
 * loads per call). So the uncontended path reads the TEB inline (rt_tls_teb, initial-exec) and
 * everything else (host threads, waiting, waking) is an ms_abi helper that pays those saves
 * itself: an uncontended EnterCriticalSection+LeaveCriticalSection is two atomics and no
 * register saves (ntbench pe.cs.enter_leave, docs/performance.md). */
extern __thread TEB *rt_tls_teb __attribute__((tls_model("initial-exec")));

static __attribute__((ms_abi, noinline, cold)) HANDLE k32_host_thread_id(void)
{
    static __thread HANDLE cached;
    if (!cached)
        cached = (HANDLE)(uintptr_t)syscall(SYS_gettid);
    return cached;
}

/* The calling thread's id as Windows code sees it (TEB ClientId), also on host threads. */
static inline HANDLE k32_thread_id(void)
{
    TEB *teb = rt_tls_teb;
    return __builtin_expect(teb != NULL, 1) ? teb->ClientId.UniqueThread : k32_host_thread_id();
}

/* ---- critical sections ---- */

static uint32_t *k32_cs_sem(CRITICAL_SECTION *cs)
{
    return (uint32_t *)&cs->LockSemaphore; /* low half on x86-64 (little endian) */
}

static __attribute__((ms_abi, noinline, cold)) void k32_cs_wait(CRITICAL_SECTION *cs)
{
    uint32_t *sem = k32_cs_sem(cs);
    for (;;) {
        uint32_t v = __atomic_load_n(sem, __ATOMIC_ACQUIRE);
        while (v > 0)
            if (__atomic_compare_exchange_n(sem, &v, v - 1, false, __ATOMIC_ACQUIRE,
                                            __ATOMIC_ACQUIRE))
                return;
        rt_thread_check_pending(); /* TerminateThread, ExitProcess on another thread */
        struct timespec slice = {0, RT_WAIT_SLICE_NS};
        syscall(SYS_futex, sem, FUTEX_WAIT | FUTEX_PRIVATE_FLAG, 0, &slice, NULL, 0);
    }
}

static __attribute__((ms_abi, noinline)) void k32_cs_post(CRITICAL_SECTION *cs)
{
    uint32_t *sem = k32_cs_sem(cs);
    __atomic_add_fetch(sem, 1, __ATOMIC_RELEASE);
    k32_futex(sem, FUTEX_WAKE, 1);
}

/* Processors online, as the PEB says (sysconf would read /sys on every critical section). */
static long k32_ncpu(void)
{
    return rt_proc.peb ? (long)rt_proc.peb->NumberOfProcessors : sysconf(_SC_NPROCESSORS_ONLN);
}

static void k32_cs_init(CRITICAL_SECTION *cs, DWORD spin)
{
    cs->DebugInfo = (void *)(intptr_t)-1; /* no debug info, as Windows 8+ */
    cs->LockCount = -1;
    cs->RecursionCount = 0;
    cs->OwningThread = NULL;
    cs->LockSemaphore = NULL;
    cs->SpinCount = k32_ncpu() > 1 ? (spin & K32_CS_SPIN_MASK) : 0;
}

void WINAPI InitializeCriticalSection(CRITICAL_SECTION *cs)
{
    k32_cs_init(cs, 0);
}
THK_EXPORT(kernel32, InitializeCriticalSection, 1);

BOOL WINAPI InitializeCriticalSectionAndSpinCount(CRITICAL_SECTION *cs, DWORD spin)
{
    k32_cs_init(cs, spin);
    return TRUE;
}
THK_EXPORT(kernel32, InitializeCriticalSectionAndSpinCount, 2);

BOOL WINAPI InitializeCriticalSectionEx(CRITICAL_SECTION *cs, DWORD spin, DWORD flags)
{
    k32_cs_init(cs, spin);
    return TRUE;
}
THK_EXPORT(kernel32, InitializeCriticalSectionEx, 3);

DWORD WINAPI SetCriticalSectionSpinCount(CRITICAL_SECTION *cs, DWORD spin)
{
    DWORD old = (DWORD)cs->SpinCount;
    cs->SpinCount = k32_ncpu() > 1 ? (spin & K32_CS_SPIN_MASK) : 0;
    return old;
}
THK_EXPORT(kernel32, SetCriticalSectionSpinCount, 2);

void WINAPI DeleteCriticalSection(CRITICAL_SECTION *cs)
{
    cs->DebugInfo = NULL;
    cs->LockCount = -1;
    cs->RecursionCount = 0;
    cs->OwningThread = NULL;
    cs->LockSemaphore = NULL;
    cs->SpinCount = 0;
}
THK_EXPORT(kernel32, DeleteCriticalSection, 1);

BOOL WINAPI TryEnterCriticalSection(CRITICAL_SECTION *cs)
{
    HANDLE me = k32_thread_id();
    if (__atomic_load_n(&cs->OwningThread, __ATOMIC_RELAXED) == me) {
        __atomic_add_fetch(&cs->LockCount, 1, __ATOMIC_RELAXED);
        cs->RecursionCount++;
        return TRUE;
    }
    int32_t expected = -1;
    if (__atomic_compare_exchange_n(&cs->LockCount, &expected, 0, false, __ATOMIC_ACQUIRE,
                                    __ATOMIC_RELAXED)) {
        __atomic_store_n(&cs->OwningThread, me, __ATOMIC_RELAXED);
        cs->RecursionCount = 1;
        return TRUE;
    }
    return FALSE;
}
THK_EXPORT(kernel32, TryEnterCriticalSection, 1);

void WINAPI EnterCriticalSection(CRITICAL_SECTION *cs)
{
    HANDLE me = k32_thread_id();
    if (__atomic_load_n(&cs->OwningThread, __ATOMIC_RELAXED) == me) {
        __atomic_add_fetch(&cs->LockCount, 1, __ATOMIC_RELAXED);
        cs->RecursionCount++;
        return;
    }
    for (ULONG_PTR spin = cs->SpinCount & K32_CS_SPIN_MASK; spin; spin--) {
        int32_t expected = -1;
        if (__atomic_load_n(&cs->LockCount, __ATOMIC_RELAXED) == -1 &&
            __atomic_compare_exchange_n(&cs->LockCount, &expected, 0, false, __ATOMIC_ACQUIRE,
                                        __ATOMIC_RELAXED))
            goto owned;
        __builtin_ia32_pause();
    }
    if (__atomic_add_fetch(&cs->LockCount, 1, __ATOMIC_ACQ_REL) != 0)
        k32_cs_wait(cs); /* handed over by the owner's LeaveCriticalSection */
owned:
    __atomic_store_n(&cs->OwningThread, me, __ATOMIC_RELAXED);
    cs->RecursionCount = 1;
}
THK_EXPORT(kernel32, EnterCriticalSection, 1);

void WINAPI LeaveCriticalSection(CRITICAL_SECTION *cs)
{
    if (cs->RecursionCount <= 0)
        return; /* not entered: Windows leaves the section corrupt; ignore instead */
    if (--cs->RecursionCount > 0) {
        __atomic_sub_fetch(&cs->LockCount, 1, __ATOMIC_RELAXED);
        return;
    }
    __atomic_store_n(&cs->OwningThread, NULL, __ATOMIC_RELAXED);
    if (__atomic_sub_fetch(&cs->LockCount, 1, __ATOMIC_ACQ_REL) >= 0)
        k32_cs_post(cs);
}
THK_EXPORT(kernel32, LeaveCriticalSection, 1);

/* ntdll's forms return NTSTATUS / BOOLEAN. */
static NTSTATUS WINAPI k32_RtlInitializeCriticalSection(CRITICAL_SECTION *cs)
{
    k32_cs_init(cs, 0);
    return STATUS_SUCCESS;
}
THK_EXPORT_AS(ntdll, RtlInitializeCriticalSection, k32_RtlInitializeCriticalSection, 1);

static NTSTATUS WINAPI k32_RtlInitializeCriticalSectionAndSpinCount(CRITICAL_SECTION *cs,
                                                                    DWORD spin)
{
    k32_cs_init(cs, spin);
    return STATUS_SUCCESS;
}
THK_EXPORT_AS(ntdll, RtlInitializeCriticalSectionAndSpinCount,
              k32_RtlInitializeCriticalSectionAndSpinCount, 2);

static NTSTATUS WINAPI k32_RtlInitializeCriticalSectionEx(CRITICAL_SECTION *cs, DWORD spin,
                                                          DWORD flags)
{
    k32_cs_init(cs, spin);
    return STATUS_SUCCESS;
}
THK_EXPORT_AS(ntdll, RtlInitializeCriticalSectionEx, k32_RtlInitializeCriticalSectionEx, 3);

static NTSTATUS WINAPI k32_RtlEnterCriticalSection(CRITICAL_SECTION *cs)
{
    EnterCriticalSection(cs);
    return STATUS_SUCCESS;
}
THK_EXPORT_AS(ntdll, RtlEnterCriticalSection, k32_RtlEnterCriticalSection, 1);

static NTSTATUS WINAPI k32_RtlLeaveCriticalSection(CRITICAL_SECTION *cs)
{
    LeaveCriticalSection(cs);
    return STATUS_SUCCESS;
}
THK_EXPORT_AS(ntdll, RtlLeaveCriticalSection, k32_RtlLeaveCriticalSection, 1);

static BOOLEAN WINAPI k32_RtlTryEnterCriticalSection(CRITICAL_SECTION *cs)
{
    return TryEnterCriticalSection(cs) ? 1 : 0;
}
THK_EXPORT_AS(ntdll, RtlTryEnterCriticalSection, k32_RtlTryEnterCriticalSection, 1);

static NTSTATUS WINAPI k32_RtlDeleteCriticalSection(CRITICAL_SECTION *cs)
{
    DeleteCriticalSection(cs);
    return STATUS_SUCCESS;
}
THK_EXPORT_AS(ntdll, RtlDeleteCriticalSection, k32_RtlDeleteCriticalSection, 1);

/* ---- TLS ---- */
static pthread_mutex_t k32_tls_lock = PTHREAD_MUTEX_INITIALIZER;
static uint8_t k32_tls_used[K32_TLS_SLOTS];
static __thread void **k32_tls_no_teb; /* K32_TLS_SLOTS values for a thread without a TEB */

static void k32_tls_thread_detach(void);

/* The address of slot `index` for the calling thread; NULL when `create` is false and the
 * expansion array does not exist yet, or when memory runs out. */
static void **k32_tls_slot(DWORD index, bool create)
{
    TEB *teb = rt_current_teb();
    if (!teb) {
        if (!k32_tls_no_teb && create)
            k32_tls_no_teb = calloc(K32_TLS_SLOTS, sizeof(void *));
        return k32_tls_no_teb ? &k32_tls_no_teb[index] : NULL;
    }
    if (index < K32_TLS_MINIMUM)
        return &teb->TlsSlots[index];
    if (!teb->TlsExpansionSlots) {
        if (!create)
            return NULL;
        teb->TlsExpansionSlots = calloc(K32_TLS_EXPANSION, sizeof(void *));
        if (!teb->TlsExpansionSlots)
            return NULL;
        rt_on_thread_detach(k32_tls_thread_detach);
    }
    return &teb->TlsExpansionSlots[index - K32_TLS_MINIMUM];
}

/* Clears slot `index` in one thread's TEB (TlsAlloc and TlsFree do it in every thread, as
 * Windows does). Under k32_tls_lock, which also guards freeing an expansion array. */
static void k32_tls_clear_teb(TEB *teb, DWORD index)
{
    if (!teb)
        return;
    if (index < K32_TLS_MINIMUM)
        teb->TlsSlots[index] = NULL;
    else if (teb->TlsExpansionSlots)
        teb->TlsExpansionSlots[index - K32_TLS_MINIMUM] = NULL;
}

static void k32_tls_clear_in(rt_thread *t, void *ctx)
{
    k32_tls_clear_teb(t->teb, (DWORD)(uintptr_t)ctx);
}

static void k32_tls_clear_everywhere(DWORD index)
{
    pthread_mutex_lock(&k32_tls_lock);
    rt_thread *main_thread = rt_thread_main();
    k32_tls_clear_teb(main_thread ? main_thread->teb : NULL, index);
    rt_threads_for_each(k32_tls_clear_in, (void *)(uintptr_t)index);
    pthread_mutex_unlock(&k32_tls_lock);
}

/* A foreign thread ends: its expansion slots go (rt_on_thread_detach, registered on the first
 * expansion array). */
static void k32_tls_thread_detach(void)
{
    TEB *teb = rt_current_teb();
    if (!teb || !teb->TlsExpansionSlots)
        return;
    pthread_mutex_lock(&k32_tls_lock);
    void **slots = teb->TlsExpansionSlots;
    teb->TlsExpansionSlots = NULL;
    pthread_mutex_unlock(&k32_tls_lock);
    free(slots);
}

DWORD WINAPI TlsAlloc(void)
{
    DWORD index = TLS_OUT_OF_INDEXES;
    pthread_mutex_lock(&k32_tls_lock);
    for (DWORD i = K32_TLS_FIRST; i < K32_TLS_SLOTS; i++) {
        if (!k32_tls_used[i]) {
            k32_tls_used[i] = 1;
            index = i;
            break;
        }
    }
    pthread_mutex_unlock(&k32_tls_lock);
    if (index == TLS_OUT_OF_INDEXES) {
        thk_set_last_error(K32_ERROR_NO_MORE_ITEMS);
        return index;
    }
    void **slot = k32_tls_slot(index, false);
    if (slot)
        *slot = NULL;
    k32_tls_clear_everywhere(index);
    return index;
}
THK_EXPORT(kernel32, TlsAlloc, 0);

BOOL WINAPI TlsFree(DWORD index)
{
    bool ok = false;
    pthread_mutex_lock(&k32_tls_lock);
    if (index < K32_TLS_SLOTS && k32_tls_used[index]) {
        k32_tls_used[index] = 0;
        ok = true;
    }
    pthread_mutex_unlock(&k32_tls_lock);
    if (!ok) {
        thk_set_last_error(ERROR_INVALID_PARAMETER);
        return FALSE;
    }
    void **slot = k32_tls_slot(index, false);
    if (slot)
        *slot = NULL;
    k32_tls_clear_everywhere(index);
    return TRUE;
}
THK_EXPORT(kernel32, TlsFree, 1);

static __attribute__((ms_abi, noinline, cold)) void *k32_tls_get_slow(DWORD index)
{
    if (index >= K32_TLS_SLOTS) {
        thk_set_last_error(ERROR_INVALID_PARAMETER);
        return NULL;
    }
    void **slot = k32_tls_slot(index, false);
    thk_set_last_error(ERROR_SUCCESS); /* lets callers tell a stored NULL from a failure */
    return slot ? *slot : NULL;
}

/* A foreign thread's slots are in its TEB: read inline (a leaf, no register saves); a host
 * thread (no TEB) and a bad index take the slow path. */
void *WINAPI TlsGetValue(DWORD index)
{
    TEB *teb = rt_tls_teb;
    if (__builtin_expect(teb == NULL || index >= K32_TLS_SLOTS, 0))
        return k32_tls_get_slow(index);
    teb->LastErrorValue = ERROR_SUCCESS; /* lets callers tell a stored NULL from a failure */
    if (index < K32_TLS_MINIMUM)
        return teb->TlsSlots[index];
    void **more = teb->TlsExpansionSlots;
    return more ? more[index - K32_TLS_MINIMUM] : NULL;
}
THK_EXPORT(kernel32, TlsGetValue, 1);

BOOL WINAPI TlsSetValue(DWORD index, void *value)
{
    if (index >= K32_TLS_SLOTS) {
        thk_set_last_error(ERROR_INVALID_PARAMETER);
        return FALSE;
    }
    void **slot = k32_tls_slot(index, true);
    if (!slot) {
        thk_set_last_error(ERROR_NOT_ENOUGH_MEMORY);
        return FALSE;
    }
    *slot = value;
    return TRUE;
}
THK_EXPORT(kernel32, TlsSetValue, 2);

/* ---- FLS: one array per fiber; a thread that is no fiber (or the fiber it was converted to)
 * uses its own. k32_fls_values is the running fiber's array (thunks/kernel32/fiber.c). ---- */
static uint8_t k32_fls_used[K32_FLS_SLOTS];
static void *k32_fls_callbacks[K32_FLS_SLOTS];
static __thread void *k32_fls_thread_values[K32_FLS_SLOTS];
static __thread void **k32_fls_cur;
#define k32_fls_values (k32_fls_cur ? k32_fls_cur : k32_fls_thread_values)

void k32_fls_switch(void **values) { k32_fls_cur = values; }

/* A fiber's end (DeleteFiber): each slot's callback, if any, gets its non-NULL value. */
void k32_fls_run_callbacks(void **values)
{
    for (DWORD i = 1; i < K32_FLS_SLOTS; i++) {
        pthread_mutex_lock(&k32_tls_lock);
        void *cb = k32_fls_used[i] ? k32_fls_callbacks[i] : NULL;
        pthread_mutex_unlock(&k32_tls_lock);
        void *v = values[i];
        values[i] = NULL;
        if (cb && v)
            thk_call_foreign1(cb, (uint64_t)(uintptr_t)v);
    }
}

DWORD WINAPI FlsAlloc(void *callback)
{
    DWORD index = TLS_OUT_OF_INDEXES;
    pthread_mutex_lock(&k32_tls_lock);
    for (DWORD i = 1; i < K32_FLS_SLOTS; i++) { /* Windows never hands out FLS index 0 */
        if (!k32_fls_used[i]) {
            k32_fls_used[i] = 1;
            k32_fls_callbacks[i] = callback;
            index = i;
            break;
        }
    }
    pthread_mutex_unlock(&k32_tls_lock);
    if (index == TLS_OUT_OF_INDEXES)
        thk_set_last_error(K32_ERROR_NO_MORE_ITEMS);
    else
        k32_fls_values[index] = NULL;
    return index;
}
THK_EXPORT(kernel32, FlsAlloc, 1);

static bool k32_fls_valid(DWORD index)
{
    if (index >= K32_FLS_SLOTS || !__atomic_load_n(&k32_fls_used[index], __ATOMIC_RELAXED)) {
        thk_set_last_error(ERROR_INVALID_PARAMETER);
        return false;
    }
    return true;
}

void *WINAPI FlsGetValue(DWORD index)
{
    if (!k32_fls_valid(index))
        return NULL;
    thk_set_last_error(ERROR_SUCCESS);
    return k32_fls_values[index];
}
THK_EXPORT(kernel32, FlsGetValue, 1);

BOOL WINAPI FlsSetValue(DWORD index, void *value)
{
    if (!k32_fls_valid(index))
        return FALSE;
    k32_fls_values[index] = value;
    return TRUE;
}
THK_EXPORT(kernel32, FlsSetValue, 2);

BOOL WINAPI FlsFree(DWORD index)
{
    if (!k32_fls_valid(index))
        return FALSE;
    pthread_mutex_lock(&k32_tls_lock);
    k32_fls_used[index] = 0;
    k32_fls_callbacks[index] = NULL;
    pthread_mutex_unlock(&k32_tls_lock);
    k32_fls_values[index] = NULL;
    return TRUE;
}
THK_EXPORT(kernel32, FlsFree, 1);

/* ---- waiting ---- */
static NTSTATUS k32_delay(DWORD ms, BOOL alertable)
{
    LARGE_INTEGER t;
    t.QuadPart = ms == INFINITE ? INT64_MIN + 1 : -(int64_t)ms * 10000;
    return NtDelayExecution(alertable ? 1 : 0, &t);
}

void WINAPI Sleep(DWORD ms)
{
    k32_delay(ms, FALSE);
}
THK_EXPORT(kernel32, Sleep, 1);

DWORD WINAPI SleepEx(DWORD ms, BOOL alertable)
{
    return k32_delay(ms, alertable) == STATUS_USER_APC ? K32_WAIT_IO_COMPLETION : 0;
}
THK_EXPORT(kernel32, SleepEx, 2);

BOOL WINAPI SwitchToThread(void)
{
    return NtYieldExecution() != K32_STATUS_NO_YIELD_PERFORMED;
}
THK_EXPORT(kernel32, SwitchToThread, 0);

DWORD WINAPI GetCurrentProcessorNumber(void)
{
    int cpu = sched_getcpu();
    return cpu < 0 ? 0 : (DWORD)cpu;
}
THK_EXPORT(kernel32, GetCurrentProcessorNumber, 0);

/* ---- one-time initialisation ----
 * INIT_ONCE is one pointer: low two bits 0 = not run, 1 = running, 2 = done (the rest is the
 * context the callback returned). Waiters sleep on the low 32 bits. */
#define K32_INIT_ONCE_RUNNING 1u
#define K32_INIT_ONCE_DONE 2u

void WINAPI InitOnceInitialize(void **once)
{
    *once = NULL;
}
THK_EXPORT(kernel32, InitOnceInitialize, 1);

BOOL WINAPI InitOnceExecuteOnce(void **once, void *fn, void *param, void **context)
{
    uintptr_t *state = (uintptr_t *)once;
    for (;;) {
        uintptr_t v = __atomic_load_n(state, __ATOMIC_ACQUIRE);
        if ((v & 3) == K32_INIT_ONCE_DONE) {
            if (context)
                *context = (void *)(v & ~(uintptr_t)3);
            return TRUE;
        }
        if ((v & 3) == 0) {
            if (__atomic_compare_exchange_n(state, &v, K32_INIT_ONCE_RUNNING, false,
                                            __ATOMIC_ACQUIRE, __ATOMIC_RELAXED))
                break;
            continue;
        }
        k32_futex((uint32_t *)state, FUTEX_WAIT, (uint32_t)v);
    }
    void *ctx = NULL;
    BOOL ok = (BOOL)thk_call_foreign3(fn, (uint64_t)(uintptr_t)once, (uint64_t)(uintptr_t)param,
                                      (uint64_t)(uintptr_t)&ctx);
    uintptr_t final = ok ? (((uintptr_t)ctx & ~(uintptr_t)3) | K32_INIT_ONCE_DONE) : 0;
    __atomic_store_n(state, final, __ATOMIC_RELEASE);
    k32_futex((uint32_t *)state, FUTEX_WAKE, INT32_MAX);
    if (!ok)
        return FALSE;
    if (context)
        *context = (void *)(final & ~(uintptr_t)3);
    return TRUE;
}
THK_EXPORT(kernel32, InitOnceExecuteOnce, 4);

/* The two-step form (Rust's std::sync::Once before 1.59, Dart, MSVC's magic statics):
 * BeginInitialize makes the caller the initializer (*pending TRUE) or waits until another one
 * has finished; Complete publishes the context (or, with INIT_ONCE_INIT_FAILED, lets the next
 * caller try again). INIT_ONCE_ASYNC is taken as synchronous: callers wait instead of racing,
 * which every asynchronous user tolerates. */
#define K32_INIT_ONCE_CHECK_ONLY 0x1u
#define K32_INIT_ONCE_ASYNC 0x2u
#define K32_INIT_ONCE_INIT_FAILED 0x4u
#define K32_ERROR_GEN_FAILURE 31

BOOL WINAPI InitOnceBeginInitialize(void **once, DWORD flags, BOOL *pending, void **context)
{
    uintptr_t *state = (uintptr_t *)once;
    if (flags & ~(K32_INIT_ONCE_CHECK_ONLY | K32_INIT_ONCE_ASYNC) || !pending ||
        ((flags & K32_INIT_ONCE_CHECK_ONLY) && (flags & K32_INIT_ONCE_ASYNC))) {
        thk_set_last_error(ERROR_INVALID_PARAMETER);
        return FALSE;
    }
    for (;;) {
        uintptr_t v = __atomic_load_n(state, __ATOMIC_ACQUIRE);
        if ((v & 3) == K32_INIT_ONCE_DONE) {
            *pending = FALSE;
            if (context)
                *context = (void *)(v & ~(uintptr_t)3);
            return TRUE;
        }
        if (flags & K32_INIT_ONCE_CHECK_ONLY) {
            thk_set_last_error(K32_ERROR_GEN_FAILURE);
            return FALSE;
        }
        if ((v & 3) == 0) {
            if (__atomic_compare_exchange_n(state, &v, K32_INIT_ONCE_RUNNING, false,
                                            __ATOMIC_ACQUIRE, __ATOMIC_RELAXED)) {
                *pending = TRUE;
                return TRUE;
            }
            continue;
        }
        k32_futex((uint32_t *)state, FUTEX_WAIT, (uint32_t)v);
    }
}
THK_EXPORT(kernel32, InitOnceBeginInitialize, 4);

BOOL WINAPI InitOnceComplete(void **once, DWORD flags, void *context)
{
    uintptr_t *state = (uintptr_t *)once;
    if (flags & ~(K32_INIT_ONCE_ASYNC | K32_INIT_ONCE_INIT_FAILED) ||
        ((uintptr_t)context & 3) || ((flags & K32_INIT_ONCE_INIT_FAILED) && context)) {
        thk_set_last_error(ERROR_INVALID_PARAMETER);
        return FALSE;
    }
    uintptr_t v = __atomic_load_n(state, __ATOMIC_ACQUIRE);
    if ((v & 3) != K32_INIT_ONCE_RUNNING) {
        thk_set_last_error(K32_ERROR_GEN_FAILURE);
        return FALSE;
    }
    uintptr_t final = (flags & K32_INIT_ONCE_INIT_FAILED)
                          ? 0
                          : ((uintptr_t)context | K32_INIT_ONCE_DONE);
    __atomic_store_n(state, final, __ATOMIC_RELEASE);
    k32_futex((uint32_t *)state, FUTEX_WAKE, INT32_MAX);
    return TRUE;
}
THK_EXPORT(kernel32, InitOnceComplete, 3);

/* libntrun teardown (thk_process_teardown): every TLS and FLS index free again. */
void k32_tls_reset(void)
{
    pthread_mutex_lock(&k32_tls_lock);
    memset(k32_tls_used, 0, sizeof k32_tls_used);
    memset(k32_fls_used, 0, sizeof k32_fls_used);
    memset(k32_fls_callbacks, 0, sizeof k32_fls_callbacks);
    pthread_mutex_unlock(&k32_tls_lock);
}
