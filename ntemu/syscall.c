/* SPDX-License-Identifier: MIT */
/* The NT system-call table. One list (NT_CALLS below) names each implemented call and its
 * argument count; the numbers of every known call for each Windows build come from the
 * generated NT_SYSNO_LIST (ntemu/nt-syscalls-x64.csv). Together they give the dispatch table
 * (by number, for the selected build), the name table for tracing, and ntdll's exports.
 * Tracing happens here, in the dispatchers, never in the handlers. */
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "ntemu/ntemu_private.h"
#include "runtime/kuser.h"
#include "thunks/thunks.h"
#include "nt_sysnos.h"

/* X(name without the Nt/Zw prefix, number of arguments): the calls ntrun implements, one list
 * per subsystem (declared in ntemu.h, implemented in the file named). */
#define NT_CALLS_FILE(X) /* ntemu/file.c, ntemu/dir.c, ntemu/pipe.c */ \
    X(CreateFile, 11)             \
    X(OpenFile, 6)                \
    X(ReadFile, 9)                \
    X(WriteFile, 9)               \
    X(QueryInformationFile, 5)    \
    X(SetInformationFile, 5)      \
    X(QueryDirectoryFile, 11)     \
    X(QueryDirectoryFileEx, 10)   \
    X(NotifyChangeDirectoryFile, 9) /* ntemu/dirnotify.c */ \
    X(NotifyChangeDirectoryFileEx, 10) \
    X(FlushBuffersFile, 2)        \
    X(FlushBuffersFileEx, 5)      \
    X(LockFile, 10) /* ntemu/filelock.c */ \
    X(UnlockFile, 5)              \
    X(DeleteFile, 1)              \
    X(QueryAttributesFile, 2)     \
    X(QueryFullAttributesFile, 2) \
    X(QueryVolumeInformationFile, 5) \
    X(DeviceIoControlFile, 10)    \
    X(CreateNamedPipeFile, 14) /* ntemu/pipe.c */ \
    X(FsControlFile, 10)

#define NT_CALLS_VM(X) /* ntemu/virtual.c, ntemu/section.c */ \
    X(AllocateVirtualMemory, 6)   \
    X(FreeVirtualMemory, 4)       \
    X(ProtectVirtualMemory, 5)    \
    X(QueryVirtualMemory, 6)      \
    X(ReadVirtualMemory, 5)       \
    X(WriteVirtualMemory, 5)      \
    X(CreateSection, 7)           \
    X(OpenSection, 3)             \
    X(MapViewOfSection, 10)       \
    X(UnmapViewOfSection, 2)      \
    X(UnmapViewOfSectionEx, 3)    \
    X(QuerySection, 5)            \
    X(ExtendSection, 2)           \
    X(FlushVirtualMemory, 4)

/* The clock (ntemu/time.c): exported as raw entries (nt_raw_*), not through the crossing. */
#define NT_CALLS_CLOCK(X)         \
    X(QueryPerformanceCounter, 2) \
    X(QuerySystemTime, 1)

#define NT_CALLS_TIME(X) /* ntemu/time.c */ \
    X(DelayExecution, 2)          \
    X(YieldExecution, 0)

#define NT_CALLS_OBJECT(X) /* ntemu/handle.c */ \
    X(Close, 1)                   \
    X(QueryObject, 5)             \
    X(SetInformationObject, 4)

#define NT_CALLS_SYNC(X) /* ntemu/sync.c, ntemu/thread.c: events, mutants, semaphores, waits, threads */ \
    X(CreateEvent, 5)             \
    X(OpenEvent, 3)               \
    X(SetEvent, 2)                \
    X(ResetEvent, 2)              \
    X(PulseEvent, 2)              \
    X(ClearEvent, 1)              \
    X(CreateMutant, 4)            \
    X(OpenMutant, 3)              \
    X(ReleaseMutant, 2)           \
    X(CreateSemaphore, 5)         \
    X(OpenSemaphore, 3)           \
    X(ReleaseSemaphore, 3)        \
    X(WaitForSingleObject, 3)     \
    X(WaitForMultipleObjects, 5)  \
    X(DuplicateObject, 7)         \
    X(CreateThreadEx, 11)         \
    X(TerminateThread, 2)         \
    X(ResumeThread, 2)            \
    X(SuspendThread, 2)           \
    X(GetContextThread, 2)        \
    X(OpenThread, 4)              \
    X(QueryEvent, 5)              \
    X(QueryMutant, 5)             \
    X(QuerySemaphore, 5)          \
    X(SignalAndWaitForSingleObject, 4) \
    X(QueueApcThread, 5)          \
    X(TestAlert, 0)

#define NT_CALLS_TIMER(X) /* ntemu/timer.c */ \
    X(CreateTimer, 4)             \
    X(OpenTimer, 3)               \
    X(SetTimer, 7)                \
    X(CancelTimer, 2)             \
    X(QueryTimer, 5)

#define NT_CALLS_IOCP(X) /* ntemu/iocp.c, ntemu/async.c */ \
    X(CreateIoCompletion, 4)      \
    X(OpenIoCompletion, 3)        \
    X(SetIoCompletion, 5)         \
    X(RemoveIoCompletion, 5)      \
    X(RemoveIoCompletionEx, 6)    \
    X(QueryIoCompletion, 5)       \
    X(CancelIoFile, 2)            \
    X(CancelIoFileEx, 3)          \
    X(CreateWaitCompletionPacket, 3)    /* ntemu/waitpacket.c */ \
    X(AssociateWaitCompletionPacket, 8) \
    X(CancelWaitCompletionPacket, 2)

#define NT_CALLS_INFO(X) /* ntemu/process.c, ntemu/info.c: process and system information */ \
    X(TerminateProcess, 2)        \
    X(OpenProcess, 4)             \
    X(CreateUserProcess, 11)      \
    X(QuerySystemInformation, 4)  \
    X(QueryInformationProcess, 5) \
    X(SetInformationProcess, 4)   \
    X(QueryInformationThread, 5)  \
    X(SetInformationThread, 4)    \
    X(GetCurrentProcessorNumber, 0)

#define NT_CALLS_REGISTRY(X) /* ntemu/registry.c */ \
    X(CreateKey, 7)               \
    X(OpenKey, 3)                 \
    X(OpenKeyEx, 4)               \
    X(DeleteKey, 1)               \
    X(RenameKey, 2)               \
    X(SetValueKey, 6)             \
    X(DeleteValueKey, 2)          \
    X(QueryValueKey, 6)           \
    X(QueryMultipleValueKey, 6)   \
    X(EnumerateValueKey, 6)       \
    X(EnumerateKey, 6)            \
    X(QueryKey, 5)                \
    X(FlushKey, 1)                \
    X(NotifyChangeKey, 10)        \
    X(SaveKey, 2)                 \
    X(SaveKeyEx, 3)               \
    X(LoadKey, 2)                 \
    X(LoadKey2, 3)                \
    X(UnloadKey, 1)               \
    X(UnloadKey2, 2)              \
    X(RestoreKey, 3)              \
    X(LoadKeyEx, 8)               \
    X(LoadKey3, 8)                \
    X(SaveMergedKeys, 3)          \
    X(ReplaceKey, 3)

#define NT_CALLS_TOKEN(X) /* ntemu/token.c */ \
    X(OpenProcessToken, 3)        \
    X(OpenProcessTokenEx, 4)      \
    X(OpenThreadToken, 4)         \
    X(OpenThreadTokenEx, 5)       \
    X(DuplicateToken, 6)          \
    X(QueryInformationToken, 5)   \
    X(AdjustPrivilegesToken, 6)   \
    X(PrivilegeCheck, 3)          \
    X(FilterToken, 6)             \
    X(SetInformationToken, 4)

/* Calls that resume the calling thread at another context (ntemu/thread.c): in the table for
 * the `syscall` route, but ntdll's exports of them are capturing entries of their own
 * (thunks/ntdll/context.c), which need the caller's registers. */
#define NT_CALLS_CONTEXT(X)       \
    X(SetContextThread, 2)        \
    X(Continue, 2)

#define NT_CALLS_EXPORTED(X) \
    NT_CALLS_OBJECT(X) NT_CALLS_FILE(X) NT_CALLS_VM(X) NT_CALLS_TIME(X) NT_CALLS_SYNC(X) \
    NT_CALLS_TIMER(X) NT_CALLS_IOCP(X) \
    NT_CALLS_INFO(X) NT_CALLS_REGISTRY(X) NT_CALLS_TOKEN(X)
#define NT_CALLS(X) NT_CALLS_EXPORTED(X) NT_CALLS_CLOCK(X) NT_CALLS_CONTEXT(X)

#define NT_MAX_ARGS 16
#define NT_TABLE_SIZE 0x400

typedef uint64_t(WINAPI *nt_generic_fn)(uint64_t, uint64_t, uint64_t, uint64_t, uint64_t,
                                        uint64_t, uint64_t, uint64_t, uint64_t, uint64_t,
                                        uint64_t, uint64_t, uint64_t, uint64_t, uint64_t,
                                        uint64_t);
/* A handler of at most four arguments, called with the registers only. */
typedef uint64_t(WINAPI *nt_regs_fn)(uint64_t, uint64_t, uint64_t, uint64_t);

/* Every call known for either build, in CSV order. */
enum {
#define X(name, w10, w11) NT_ID_##name,
    NT_SYSNO_LIST(X)
#undef X
    NT_ID_COUNT
};
/* The names as one pool of strings, each call's an offset into it (no pointers to relocate). */
static const struct nt_name_pool {
#define X(name, w10, w11) char n_##name[sizeof #name];
    NT_SYSNO_LIST(X)
#undef X
} nt_name_pool = {
#define X(name, w10, w11) #name,
    NT_SYSNO_LIST(X)
#undef X
};
static const uint16_t nt_name_off[NT_ID_COUNT] = {
#define X(name, w10, w11) offsetof(struct nt_name_pool, n_##name),
    NT_SYSNO_LIST(X)
#undef X
};
_Static_assert(sizeof nt_name_pool <= 0x10000, "nt_name_off is 16 bits");
#define nt_names(id) ((const char *)&nt_name_pool + nt_name_off[id])
static const int16_t nt_numbers[2][NT_ID_COUNT] = {
    {
#define X(name, w10, w11) w10,
        NT_SYSNO_LIST(X)
#undef X
    },
    {
#define X(name, w10, w11) w11,
        NT_SYSNO_LIST(X)
#undef X
    },
};

typedef struct nt_slot {
    nt_generic_fn fn;   /* NULL: known but not implemented */
    const char *name;   /* NULL: no such number in this build */
    uint8_t nargs;
    int16_t id;         /* NT_ID_* (index of the per-call counters) */
    int16_t tid;        /* NT_TID_* when implemented (the per-thread counters) */
} nt_slot;

/* Per-call counters for libntrun's statistics. The trap route (~2 us a call) counts with one
 * relaxed atomic add into a process-wide array. */
static uint64_t nt_count_trap[NT_ID_COUNT];
#define NT_COUNT(arr, id) __atomic_fetch_add(&(arr)[id], 1, __ATOMIC_RELAXED)
/* Set once something is counted into nt_count_trap or nt_tls_retired: nt_stats_reset leaves
 * the arrays alone while they are still the zero pages of a fresh process (clearing them was
 * 3 page faults of every start). */
static bool nt_stats_dirty;
static void nt_stats_mark_dirty(void)
{
    if (!__atomic_load_n(&nt_stats_dirty, __ATOMIC_RELAXED))
        __atomic_store_n(&nt_stats_dirty, true, __ATOMIC_RELAXED);
}

/* The import route counts per thread, into the calling thread's own initial-exec TLS block
 * with a plain load and store: a `lock add` cost ~7 ns of the 35 ns of an imported
 * NtQuerySystemTime, and a process-wide array (even without the lock) bounced one cache line
 * between CPUs when two threads made calls (ntbench pe.nt.systime.import2t: 40 -> 91-99 ns).
 * Only the implemented calls have a slot (NT_TID_*). A thread's block is linked into
 * nt_tls_list on its first counted call (a cold ms_abi helper, so the wrappers stay free of
 * SysV calls); readers sum the live blocks and nt_tls_retired (the counts of threads that
 * ended, folded in by a pthread key destructor) under nt_tls_lock. */
enum {
#define X(name, n) NT_TID_##name,
    NT_CALLS(X)
#undef X
    NT_TID_COUNT
};
static const int16_t nt_tid_to_id[NT_TID_COUNT] = {
#define X(name, n) NT_ID_Nt##name,
    NT_CALLS(X)
#undef X
};
typedef struct nt_tls_counts {
    uint64_t thunk[NT_TID_COUNT];
    uint64_t rewritten[NT_TID_COUNT]; /* through a rewritten `syscall` site (no signal) */
    uint64_t builtin[NT_TID_COUNT];   /* built-in DLL code's calls (NtXxx_builtin) */
    struct nt_tls_counts *next, *prev;
    bool listed;
} nt_tls_counts;
static __thread nt_tls_counts nt_tls __attribute__((tls_model("initial-exec")));
static pthread_mutex_t nt_tls_lock = PTHREAD_MUTEX_INITIALIZER;
static nt_tls_counts *nt_tls_list;
static uint64_t nt_tls_retired[NT_TID_COUNT];
static uint64_t nt_tls_retired_rw[NT_TID_COUNT];
static uint64_t nt_tls_retired_bi[NT_TID_COUNT];
static pthread_key_t nt_tls_key;
static rt_once_t nt_tls_key_once = RT_ONCE_INIT;

static void nt_tls_unlist(void *p)
{
    nt_tls_counts *c = p;
    pthread_mutex_lock(&nt_tls_lock);
    nt_stats_mark_dirty();
    for (int i = 0; i < NT_TID_COUNT; i++)
    {
        nt_tls_retired[i] += __atomic_load_n(&c->thunk[i], __ATOMIC_RELAXED);
        nt_tls_retired_rw[i] += __atomic_load_n(&c->rewritten[i], __ATOMIC_RELAXED);
        nt_tls_retired_bi[i] += __atomic_load_n(&c->builtin[i], __ATOMIC_RELAXED);
    }
    if (c->prev)
        c->prev->next = c->next;
    else
        nt_tls_list = c->next;
    if (c->next)
        c->next->prev = c->prev;
    c->listed = false;
    pthread_mutex_unlock(&nt_tls_lock);
}

static void nt_tls_make_key(void)
{
    if (pthread_key_create(&nt_tls_key, nt_tls_unlist) != 0)
        abort(); /* only fails at PTHREAD_KEYS_MAX keys: a broken host */
}

static __attribute__((ms_abi, noinline, cold)) void nt_tls_register(void)
{
    rt_once(&nt_tls_key_once, nt_tls_make_key);
    pthread_mutex_lock(&nt_tls_lock);
    nt_tls.prev = NULL;
    nt_tls.next = nt_tls_list;
    if (nt_tls_list)
        nt_tls_list->prev = &nt_tls;
    nt_tls_list = &nt_tls;
    nt_tls.listed = true;
    pthread_mutex_unlock(&nt_tls_lock);
    pthread_setspecific(nt_tls_key, &nt_tls); /* the destructor unlinks it at thread end */
}

/* Plain load and store: only the owning thread writes its block. */
#define NT_COUNT_IN(arr, tid)                                                                 \
    do {                                                                                      \
        if (__builtin_expect(!nt_tls.listed, 0))                                              \
            nt_tls_register();                                                                \
        __atomic_store_n(&nt_tls.arr[tid],                                                    \
                         __atomic_load_n(&nt_tls.arr[tid], __ATOMIC_RELAXED) + 1,             \
                         __ATOMIC_RELAXED);                                                   \
    } while (0)
#define NT_COUNT_THREAD(tid) NT_COUNT_IN(thunk, tid)

/* One table per numbering, filled on first use (a program that makes no `syscall` of its own
 * never touches its pages) and then kept for later runs of the process: it depends on nothing
 * but the build. nt_table_state: 0 empty, 1 being filled, 2 ready (release/acquire). */
static nt_slot nt_tables[2][NT_TABLE_SIZE];
static atomic_int nt_table_state[2];
static int nt_build_index; /* 0: Windows 10 22H2, 1: Windows 11 24H2 */
/* "not implemented" reported once per call and run: reset by nt_syscalls_init when set */
static atomic_bool nt_warned[NT_TABLE_SIZE];
static atomic_bool nt_any_warned;

static const struct { int16_t id; uint8_t nargs; } nt_impl[] = {
#define X(name, n) {NT_ID_Nt##name, n},
    NT_CALLS(X)
#undef X
};
/* The implementations, in the same order, as 32-bit offsets from the table itself (resolved by
 * the static linker: no pointers for the dynamic linker to relocate). The assertions make a
 * name without a declaration fail here rather than at link time. */
__asm__(".pushsection .rodata.nt_impl_rel,\"a\",@progbits\n\t.balign 4\n"
        "nt_impl_rel:\n"
#define X(name, n) "\t.long Nt" #name " - nt_impl_rel\n"
        NT_CALLS(X)
#undef X
        "\t.popsection");
extern const int32_t nt_impl_rel[] __asm__("nt_impl_rel") __attribute__((visibility("hidden")));
#define X(name, n) _Static_assert(sizeof(&Nt##name) == sizeof(void *), "Nt" #name);
NT_CALLS(X)
#undef X
static nt_generic_fn nt_impl_fn(size_t i)
{
    return (nt_generic_fn)(void (*)(void))((const char *)nt_impl_rel + nt_impl_rel[i]);
}

static uint64_t nt_dispatch_trap(uint32_t number, const uint64_t *stack_args, uint64_t a0,
                                 uint64_t a1, uint64_t a2, uint64_t a3);
static uint64_t WINAPI nt_dispatch_fast(uint64_t a0, uint64_t a1, uint64_t a2, uint64_t a3,
                                        const uint64_t *stack_args, uint64_t number);

/* Fills numbering b's table once per process. Async-signal-safe (called from the SIGSYS
 * handler on a first trap): no lock, no allocation; a thread that finds another filling waits
 * for it (the filler runs native code, which no trap interrupts). */
static __attribute__((noinline, cold)) void nt_table_fill(int b)
{
    int expect = 0;
    if (!atomic_compare_exchange_strong(&nt_table_state[b], &expect, 1)) {
        while (atomic_load_explicit(&nt_table_state[b], memory_order_acquire) != 2)
            __builtin_ia32_pause();
        return;
    }
    nt_slot *t = nt_tables[b];
    for (int id = 0; id < NT_ID_COUNT; id++) {
        int num = nt_numbers[b][id];
        if (num >= 0 && num < NT_TABLE_SIZE) {
            t[num].name = nt_names(id);
            t[num].id = (int16_t)id;
        }
    }
    for (size_t i = 0; i < sizeof nt_impl / sizeof nt_impl[0]; i++) {
        int num = nt_numbers[b][nt_impl[i].id];
        if (num < 0 || num >= NT_TABLE_SIZE)
            continue;
        t[num].fn = nt_impl_fn(i);
        t[num].nargs = nt_impl[i].nargs;
        t[num].tid = (int16_t)i; /* nt_impl is in NT_CALLS order, as NT_TID_* */
    }
    atomic_store_explicit(&nt_table_state[b], 2, memory_order_release);
}

/* The current numbering's table. Async-signal-safe (see nt_table_fill). */
static inline const nt_slot *nt_table(void)
{
    int b = nt_build_index;
    if (__builtin_expect(atomic_load_explicit(&nt_table_state[b], memory_order_acquire) != 2, 0))
        nt_table_fill(b);
    return nt_tables[b];
}

int nt_syscalls_init(int windows_build)
{
    if (windows_build != 10 && windows_build != 11)
        return -1;
    nt_build_index = windows_build == 11 ? 1 : 0;
    if (atomic_exchange(&nt_any_warned, false))
        memset(nt_warned, 0, sizeof nt_warned);
    rt_set_nt_dispatcher(nt_dispatch_trap);
    rt_set_nt_fast_dispatcher(nt_dispatch_fast);
    rt_kuser_init(windows_build); /* KUSER_SHARED_DATA's build number follows the numbering */
    if (rt_proc.peb)
        rt_proc.peb->OSBuildNumber = windows_build == 11 ? 26100 : 19045;
    return 0;
}

int nt_syscalls_build(void)
{
    return nt_build_index == 1 ? 11 : 10;
}

int nt_syscall_number(const char *name)
{
    /* Start-up looks every name up in list order (ntdll's image): start at the entry after the
     * previous hit, which makes that walk linear instead of quadratic (it was ~9% of
     * `ntrun hello.exe`). Any hint value is valid, so the unsynchronised update is harmless. */
    static _Atomic int hint;
    int start = atomic_load_explicit(&hint, memory_order_relaxed);
    for (int k = 0; k < NT_ID_COUNT; k++) {
        int id = (start + k) % NT_ID_COUNT;
        if (strcmp(nt_names(id), name) == 0) {
            atomic_store_explicit(&hint, (id + 1) % NT_ID_COUNT, memory_order_relaxed);
            return nt_numbers[nt_build_index][id];
        }
    }
    return -1;
}

size_t nt_syscall_count(void) { return NT_ID_COUNT; }
const char *nt_syscall_name_at(size_t i) { return i < NT_ID_COUNT ? nt_names(i) : NULL; }
int nt_syscall_number_at(size_t i) { return i < NT_ID_COUNT ? nt_numbers[nt_build_index][i] : -1; }

const char *nt_syscall_name(uint32_t number)
{
    return number < NT_TABLE_SIZE ? nt_table()[number].name : NULL;
}

static void nt_trace_call(const char *how, const char *name, uint32_t number, int nargs,
                          const uint64_t *args, uint64_t status)
{
    char buf[512];
    int n = snprintf(buf, sizeof buf, "tid %d %s(", rt_current_thread() ? rt_current_thread()->tid : 0,
                     name ? name : "?");
    for (int i = 0; i < nargs && n < (int)sizeof buf - 24; i++)
        n += snprintf(buf + n, sizeof buf - (size_t)n, "%s%#lx", i ? ", " : "",
                      (unsigned long)args[i]);
    rt_trace("nt", "%s) = 0x%08x [%s, number %#x]", buf, (uint32_t)status, how, number);
}

/* Called by the SIGSYS handler (runtime/signal.c) for a `syscall` in foreign code.
 * Async-signal-safety: see the handler; the only state touched here is the table (read-only
 * after init) and each slot's `warned` flag (atomic). */
static uint64_t nt_dispatch_trap(uint32_t number, const uint64_t *stack_args, uint64_t a0,
                                 uint64_t a1, uint64_t a2, uint64_t a3)
{
    uint64_t args[NT_MAX_ARGS] = {a0, a1, a2, a3};
    const nt_slot *slot = number < NT_TABLE_SIZE ? &nt_table()[number] : NULL;
    uint64_t status;
    int nargs = 4;
    if (!slot || !slot->name) {
        status = (uint32_t)STATUS_INVALID_SYSTEM_SERVICE;
        if (RT_TRACING(RT_TRACE_NT)) /* "<unknown>(args) = 0xc000001c [trap, number 0xfff]" */
            nt_trace_call("trap", "<unknown>", number, 4, args, status);
        return status;
    }
    NT_COUNT(nt_count_trap, slot->id);
    nt_stats_mark_dirty();
    if (!slot->fn) {
        if (!atomic_exchange(&nt_warned[number], true)) {
            atomic_store(&nt_any_warned, true);
            rt_message("%s: %s (system call %#x) is not implemented",
                       rt_proc.exe_name ? rt_proc.exe_name : "program", slot->name, number);
        }
        status = (uint32_t)STATUS_NOT_IMPLEMENTED;
        if (RT_TRACING(RT_TRACE_NT))
            nt_trace_call("trap", slot->name, number, 4, args, status);
        return status;
    }
    nargs = slot->nargs;
    if (nargs > 4 && rt_safe_copy(&args[4], stack_args, (size_t)(nargs - 4) * 8) != 0) {
        status = (uint32_t)STATUS_ACCESS_VIOLATION;
    } else {
        status = (uint32_t)slot->fn(args[0], args[1], args[2], args[3], args[4], args[5],
                                    args[6], args[7], args[8], args[9], args[10], args[11],
                                    args[12], args[13], args[14], args[15]);
    }
    if (RT_TRACING(RT_TRACE_NT))
        nt_trace_call("trap", slot->name, number, nargs, args, status);
    return status;
}

/* ---- rewritten `syscall` sites: the call without a signal (runtime/rewrite.c) ----
 * ms_abi from rt_sys_fast_entry, with no SysV call on the common path (see the import
 * wrappers below): the unusual cases go through cold ms_abi helpers. Counted per thread like
 * the import route, reported with the trap route (the program made the call with `syscall`). */
static __attribute__((ms_abi, noinline, cold)) uint64_t
nt_fast_unusual(uint64_t a0, uint64_t a1, uint64_t a2, uint64_t a3, const uint64_t *stack_args,
                uint64_t number)
{
    return nt_dispatch_trap((uint32_t)number, stack_args, a0, a1, a2, a3);
}

static __attribute__((ms_abi, noinline, cold)) int nt_fast_copy(uint64_t *dst,
                                                                 const uint64_t *src, size_t n)
{
    return rt_safe_copy(dst, src, n * 8);
}

static __attribute__((ms_abi, noinline, cold)) void nt_fast_trace(const nt_slot *slot,
                                                                  uint32_t number,
                                                                  const uint64_t *args,
                                                                  uint64_t status)
{
    nt_trace_call("rewritten", slot->name, number, slot->nargs, args, status);
}

static __attribute__((ms_abi, noinline, cold)) void nt_tls_register(void);

/* The rest of nt_dispatch_fast (same arguments, so that it is a tail call): a thread's first
 * counted call, a call of more than four arguments (the stack slots copied into an array:
 * zeroing it is a `rep stos`, ~40% of a whole rewritten call when it was on every call's path),
 * a traced one. ms_abi, not cold: NtWriteFile and friends come here on every call. */
static __attribute__((ms_abi, noinline)) uint64_t
nt_fast_full(uint64_t a0, uint64_t a1, uint64_t a2, uint64_t a3, const uint64_t *stack_args,
             uint64_t number)
{
    const nt_slot *slot = &nt_tables[nt_build_index][number]; /* checked by nt_dispatch_fast */
    if (__builtin_expect(!nt_tls.listed, 0))
        nt_tls_register();
    __atomic_store_n(&nt_tls.rewritten[slot->tid],
                     __atomic_load_n(&nt_tls.rewritten[slot->tid], __ATOMIC_RELAXED) + 1,
                     __ATOMIC_RELAXED);
    uint64_t args[NT_MAX_ARGS] = {a0, a1, a2, a3};
    uint64_t status;
    if (slot->nargs > 4 && nt_fast_copy(&args[4], stack_args, slot->nargs - 4u) != 0)
        status = (uint32_t)STATUS_ACCESS_VIOLATION;
    else
        status = (uint32_t)slot->fn(args[0], args[1], args[2], args[3], args[4], args[5],
                                    args[6], args[7], args[8], args[9], args[10], args[11],
                                    args[12], args[13], args[14], args[15]);
    if (RT_TRACING(RT_TRACE_NT))
        nt_fast_trace(slot, (uint32_t)number, args, status);
    return status;
}

/* The common case, with no frame of its own: the table read without nt_table()'s fill (a SysV
 * function: calling it, even on a cold branch, made this ms_abi function save and restore
 * xmm6-15 on every call; an unfilled table goes to nt_fast_unusual, which fills it), the
 * per-thread count, then a tail call of a handler of at most four arguments with the registers
 * as they came; anything else is a tail call of nt_fast_full or nt_fast_unusual. The status is
 * the low 32 bits of rax: rt_sys_fast_entry zero-extends it (a handler returns an NTSTATUS). */
static uint64_t WINAPI nt_dispatch_fast(uint64_t a0, uint64_t a1, uint64_t a2, uint64_t a3,
                                        const uint64_t *stack_args, uint64_t number)
{
    int b = nt_build_index;
    const nt_slot *slot = &nt_tables[b][number & (NT_TABLE_SIZE - 1)];
    if (__builtin_expect(number >= NT_TABLE_SIZE ||
                             atomic_load_explicit(&nt_table_state[b], memory_order_acquire) != 2 ||
                             !slot->fn,
                         0))
        return nt_fast_unusual(a0, a1, a2, a3, stack_args, number);
    if (__builtin_expect(slot->nargs > 4 || !nt_tls.listed || RT_TRACING(RT_TRACE_NT), 0))
        return nt_fast_full(a0, a1, a2, a3, stack_args, number);
    __atomic_store_n(&nt_tls.rewritten[slot->tid],
                     __atomic_load_n(&nt_tls.rewritten[slot->tid], __ATOMIC_RELAXED) + 1,
                     __ATOMIC_RELAXED);
    nt_regs_fn fn4 = (nt_regs_fn)(void (*)(void))slot->fn;
    return fn4(a0, a1, a2, a3);
}

uint64_t nt_stats_rewritten_calls(void)
{
    uint64_t n = 0;
    pthread_mutex_lock(&nt_tls_lock);
    for (int i = 0; i < NT_TID_COUNT; i++) {
        n += nt_tls_retired_rw[i];
        for (nt_tls_counts *c = nt_tls_list; c; c = c->next)
            n += __atomic_load_n(&c->rewritten[i], __ATOMIC_RELAXED);
    }
    pthread_mutex_unlock(&nt_tls_lock);
    return n;
}

void nt_stats_reset(void)
{
    pthread_mutex_lock(&nt_tls_lock);
    if (__atomic_load_n(&nt_stats_dirty, __ATOMIC_RELAXED)) {
        __atomic_store_n(&nt_stats_dirty, false, __ATOMIC_RELAXED);
        for (int id = 0; id < NT_ID_COUNT; id++)
            __atomic_store_n(&nt_count_trap[id], 0, __ATOMIC_RELAXED);
        memset(nt_tls_retired, 0, sizeof nt_tls_retired);
        memset(nt_tls_retired_rw, 0, sizeof nt_tls_retired_rw);
        memset(nt_tls_retired_bi, 0, sizeof nt_tls_retired_bi);
    }
    for (nt_tls_counts *c = nt_tls_list; c; c = c->next)
        for (int i = 0; i < NT_TID_COUNT; i++) {
            __atomic_store_n(&c->thunk[i], 0, __ATOMIC_RELAXED);
            __atomic_store_n(&c->rewritten[i], 0, __ATOMIC_RELAXED);
            __atomic_store_n(&c->builtin[i], 0, __ATOMIC_RELAXED);
        }
    pthread_mutex_unlock(&nt_tls_lock);
}

void nt_stats_for_each(void (*fn)(const char *name, const nt_call_counts *n, void *ctx),
                       void *ctx)
{
    uint64_t sum[NT_ID_COUNT] = {0}, rw[NT_ID_COUNT] = {0}, bi[NT_ID_COUNT] = {0};
    pthread_mutex_lock(&nt_tls_lock);
    for (int i = 0; i < NT_TID_COUNT; i++) {
        uint64_t n = nt_tls_retired[i], r = nt_tls_retired_rw[i], b = nt_tls_retired_bi[i];
        for (nt_tls_counts *c = nt_tls_list; c; c = c->next) {
            n += __atomic_load_n(&c->thunk[i], __ATOMIC_RELAXED);
            r += __atomic_load_n(&c->rewritten[i], __ATOMIC_RELAXED);
            b += __atomic_load_n(&c->builtin[i], __ATOMIC_RELAXED);
        }
        sum[nt_tid_to_id[i]] += n;
        rw[nt_tid_to_id[i]] += r;
        bi[nt_tid_to_id[i]] += b;
    }
    pthread_mutex_unlock(&nt_tls_lock);
    for (int id = 0; id < NT_ID_COUNT; id++) {
        /* A call through a rewritten site was made with `syscall`: the trap column. */
        nt_call_counts n = {
            .trap = __atomic_load_n(&nt_count_trap[id], __ATOMIC_RELAXED) + rw[id],
            .thunk = sum[id],
            .builtin = bi[id],
        };
        if (n.trap || n.thunk || n.builtin)
            fn(nt_names(id), &n, ctx);
    }
}

/* The wrappers below call only ms_abi functions on their fast path, so GCC saves none of
 * xmm6-15/rsi/rdi for them (a call to any SysV function, even on a cold branch, makes an ms_abi
 * function save all twelve): the TEB pointer is read inline and tracing goes through this
 * ms_abi helper. Imported NtQuerySystemTime: 48 -> see docs/performance.md. */
extern __thread TEB *rt_tls_teb __attribute__((tls_model("initial-exec")));
static __attribute__((ms_abi, noinline, cold)) void nt_trace_thunk(const char *name, int nargs,
                                                                    const uint64_t *args,
                                                                    uint64_t status)
{
    nt_trace_call("thunk", name, (uint32_t)nt_syscall_number(name), nargs, args, status);
}

/* ---- ntdll's Nt and Zw exports: the import route, no trap ----
 * Each wrapper counts the call, traces it when asked, and calls the handler directly, with
 * up to 14 arguments (NtCreateNamedPipeFile's). */
#define NT_THUNK_FN(name, n)                                                                  \
    static uint64_t WINAPI nt_thunk_##name(uint64_t a0, uint64_t a1, uint64_t a2, uint64_t a3, \
                                           uint64_t a4, uint64_t a5, uint64_t a6, uint64_t a7, \
                                           uint64_t a8, uint64_t a9, uint64_t a10,            \
                                           uint64_t a11, uint64_t a12, uint64_t a13)          \
    {                                                                                         \
        TEB *teb_ = rt_tls_teb; /* inline, not rt_current_thread(): see nt_trace_thunk */     \
        if (teb_)                                                                             \
            rt_thread_of(teb_)->nt_calls_thunk++;                                             \
        NT_COUNT_THREAD(NT_TID_##name);                                                       \
        uint64_t r;                                                                           \
        if ((n) <= 4) { /* the registers only: no stack slots copied */                       \
            nt_regs_fn fn4 = (nt_regs_fn)(void (*)(void))Nt##name;                            \
            __asm__("" : "+r"(fn4));                                                          \
            r = (uint32_t)fn4(a0, a1, a2, a3);                                                \
        } else {                                                                              \
            nt_generic_fn fn = (nt_generic_fn)(void (*)(void))Nt##name;                       \
            __asm__("" : "+r"(fn)); /* a generic call: the callee ignores extra arguments */  \
            r = (uint32_t)fn(a0, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12, a13, 0, 0); \
        }                                                                                     \
        if (RT_TRACING(RT_TRACE_NT)) {                                                        \
            uint64_t args[14] = {a0, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12, a13}; \
            nt_trace_thunk("Nt" #name, n, args, r);                                           \
        }                                                                                     \
        return r;                                                                             \
    }
#define X(name, n)                                                                            \
    NT_THUNK_FN(name, n)                                                                      \
    THK_EXPORT_ENTRY_(ntdll, Nt##name, nt_thunk_##name, n, Nt##name);                         \
    THK_EXPORT_ENTRY_(ntdll, Zw##name, nt_thunk_##name, n, Zw##name);
NT_CALLS_EXPORTED(X)
#undef X

/* ---- the clock's exports: raw entries ----
 * NtQuerySystemTime and NtQueryPerformanceCounter are what programs call in loops. Their
 * exports (Nt and Zw) are THK_RAW: the stub jumps to nt_raw_* with the foreign caller's
 * registers and stack and the selector still BLOCK, and this ms_abi function does, in one
 * frame, what the crossing (thunk_asm.S's thk_f2n_regs), the wrapper above and the handler
 * would: the selector ALLOW around the clock read (the vDSO may fall back to a real `syscall`,
 * which BLOCK would trap), the statistics' per-thread counts, the handler's body (inlined from
 * ntemu_private.h), the trace. Nothing here calls SysV code, so nothing saves xmm6-15. Nothing
 * can fault (the result is stored through rt_safe_store8), so no crossing frame is needed to
 * find the caller; like the other raw entries it is not counted as a crossing. A suspension
 * arriving meanwhile finds no crossing and retries (thread.c), as in a crossing's first
 * instructions. The trap and rewritten routes keep NtQuerySystemTime/NtQueryPerformanceCounter
 * (time.c), which inline the same bodies. */
_Static_assert(offsetof(rt_thread, nt_calls_thunk) == 0x30, "nt_raw_*: rt_thread.nt_calls_thunk");
#define NT_RAW_ENTER()                                                                        \
    __asm__ volatile("movb %0, %%gs:%c1\n\t"                                                  \
                     "incq %%gs:%c2"                                                          \
                     :                                                                        \
                     : "i"(RT_SEL_ALLOW), "i"(RT_SEL_OFFSET), "i"(RT_TEB_PRIV_OFFSET + 0x30)  \
                     : "memory", "cc")
#define NT_RAW_LEAVE() \
    __asm__ volatile("movb %0, %%gs:%c1" : : "i"(RT_SEL_BLOCK), "i"(RT_SEL_OFFSET) : "memory")

static uint64_t WINAPI nt_raw_QuerySystemTime(LARGE_INTEGER *time)
{
    NT_RAW_ENTER();
    NT_COUNT_THREAD(NT_TID_QuerySystemTime);
    uint64_t r = (uint32_t)nt_query_system_time(time);
    if (RT_TRACING(RT_TRACE_NT)) {
        uint64_t args[1] = {(uint64_t)time};
        nt_trace_thunk("NtQuerySystemTime", 1, args, r);
    }
    NT_RAW_LEAVE();
    return r;
}
THK_EXPORT_ENTRY_(ntdll, NtQuerySystemTime, nt_raw_QuerySystemTime, THK_RAW, NtQuerySystemTime);
THK_EXPORT_ENTRY_(ntdll, ZwQuerySystemTime, nt_raw_QuerySystemTime, THK_RAW, ZwQuerySystemTime);

static uint64_t WINAPI nt_raw_QueryPerformanceCounter(LARGE_INTEGER *counter,
                                                      LARGE_INTEGER *frequency)
{
    NT_RAW_ENTER();
    NT_COUNT_THREAD(NT_TID_QueryPerformanceCounter);
    uint64_t r = (uint32_t)nt_query_performance_counter(counter, frequency);
    if (RT_TRACING(RT_TRACE_NT)) {
        uint64_t args[2] = {(uint64_t)counter, (uint64_t)frequency};
        nt_trace_thunk("NtQueryPerformanceCounter", 2, args, r);
    }
    NT_RAW_LEAVE();
    return r;
}
THK_EXPORT_ENTRY_(ntdll, NtQueryPerformanceCounter, nt_raw_QueryPerformanceCounter, THK_RAW,
                  NtQueryPerformanceCounter);
THK_EXPORT_ENTRY_(ntdll, ZwQueryPerformanceCounter, nt_raw_QueryPerformanceCounter, THK_RAW,
                  ZwQueryPerformanceCounter);

/* ---- the built-in DLLs' route: NtXxx_builtin (ntemu/ntemu.h gives the Nt* declarations
 * outside ntemu/ these assembler names) ----
 * Counted per thread like the import route (no shared cache line), then a jump to the handler
 * with the caller's arguments as they are (a generic forward of the 12 argument slots: the
 * handler reads the ones it declares). Only ms_abi functions are called, as in the wrappers
 * above. */
typedef uint64_t(WINAPI *nt_forward_fn)(uint64_t, uint64_t, uint64_t, uint64_t, uint64_t,
                                        uint64_t, uint64_t, uint64_t, uint64_t, uint64_t,
                                        uint64_t, uint64_t);
#define X(name, n)                                                                            \
    uint64_t WINAPI Nt##name##_builtin(uint64_t a0, uint64_t a1, uint64_t a2, uint64_t a3,    \
                                       uint64_t a4, uint64_t a5, uint64_t a6, uint64_t a7,    \
                                       uint64_t a8, uint64_t a9, uint64_t a10, uint64_t a11); \
    uint64_t WINAPI Nt##name##_builtin(uint64_t a0, uint64_t a1, uint64_t a2, uint64_t a3,    \
                                       uint64_t a4, uint64_t a5, uint64_t a6, uint64_t a7,    \
                                       uint64_t a8, uint64_t a9, uint64_t a10, uint64_t a11)  \
    {                                                                                         \
        NT_COUNT_IN(builtin, NT_TID_##name);                                                  \
        nt_forward_fn fn = (nt_forward_fn)(void (*)(void))Nt##name;                           \
        __asm__("" : "+r"(fn));                                                               \
        return fn(a0, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11);                          \
    }
NT_CALLS(X)
#undef X
