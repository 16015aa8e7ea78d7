/* The NT system-call table. One list (NT_CALLS below) names each implemented call and its
 * argument count; the numbers of every known call for each Windows build come from the
 * generated NT_SYSNO_LIST (ntemu/nt-syscalls-x64.csv). Together they give the dispatch table
 * (by number, for the selected build), the name table for tracing, and ntdll's exports.
 * Tracing happens here, in the dispatchers, never in the handlers. */
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include "ntemu/ntemu.h"
#include "thunks/thunks.h"
#include "nt_sysnos.h"

/* X(name without the Nt/Zw prefix, number of arguments): the calls ntrun implements, one list
 * per subsystem (declared in ntemu.h, implemented in the file named). */
#define NT_CALLS_FILE(X) /* ntemu/file.c, ntemu/dir.c */ \
    X(CreateFile, 11)             \
    X(OpenFile, 6)                \
    X(ReadFile, 9)                \
    X(WriteFile, 9)               \
    X(QueryInformationFile, 5)    \
    X(SetInformationFile, 5)      \
    X(QueryDirectoryFile, 11)     \
    X(FlushBuffersFile, 2)        \
    X(DeleteFile, 1)              \
    X(QueryAttributesFile, 2)

#define NT_CALLS_VM(X) /* ntemu/virtual.c */ \
    X(AllocateVirtualMemory, 6)   \
    X(FreeVirtualMemory, 4)       \
    X(ProtectVirtualMemory, 5)    \
    X(QueryVirtualMemory, 6)

#define NT_CALLS_TIME(X) /* ntemu/time.c */ \
    X(QueryPerformanceCounter, 2) \
    X(QuerySystemTime, 1)         \
    X(DelayExecution, 2)          \
    X(YieldExecution, 0)

#define NT_CALLS_OBJECT(X) /* ntemu/handle.c */ \
    X(Close, 1)

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
    X(OpenThread, 4)              \
    X(QueryEvent, 5)              \
    X(QueryMutant, 5)             \
    X(QuerySemaphore, 5)          \
    X(SignalAndWaitForSingleObject, 4) \
    X(QueueApcThread, 5)          \
    X(TestAlert, 0)

#define NT_CALLS_INFO(X) /* ntemu/process.c: process and system information */ \
    X(TerminateProcess, 2)

#define NT_CALLS(X) \
    NT_CALLS_OBJECT(X) NT_CALLS_FILE(X) NT_CALLS_VM(X) NT_CALLS_TIME(X) NT_CALLS_SYNC(X) \
    NT_CALLS_INFO(X)

#define NT_MAX_ARGS 16
#define NT_TABLE_SIZE 0x400

typedef uint64_t(WINAPI *nt_generic_fn)(uint64_t, uint64_t, uint64_t, uint64_t, uint64_t,
                                        uint64_t, uint64_t, uint64_t, uint64_t, uint64_t,
                                        uint64_t, uint64_t, uint64_t, uint64_t, uint64_t,
                                        uint64_t);

/* Every call known for either build, in CSV order. */
enum {
#define X(name, w10, w11) NT_ID_##name,
    NT_SYSNO_LIST(X)
#undef X
    NT_ID_COUNT
};
static const char *const nt_names[NT_ID_COUNT] = {
#define X(name, w10, w11) #name,
    NT_SYSNO_LIST(X)
#undef X
};
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
    atomic_bool warned;
} nt_slot;

static nt_slot nt_table[NT_TABLE_SIZE];
static int nt_build_index; /* 0: Windows 10 22H2, 1: Windows 11 24H2 */

static const struct { int id; nt_generic_fn fn; uint8_t nargs; } nt_impl[] = {
#define X(name, n) {NT_ID_Nt##name, (nt_generic_fn)(void (*)(void))Nt##name, n},
    NT_CALLS(X)
#undef X
};

static uint64_t nt_dispatch_trap(uint32_t number, const uint64_t *stack_args, uint64_t a0,
                                 uint64_t a1, uint64_t a2, uint64_t a3);

int nt_syscalls_init(int windows_build)
{
    if (windows_build != 10 && windows_build != 11)
        return -1;
    nt_build_index = windows_build == 11 ? 1 : 0;
    memset(nt_table, 0, sizeof nt_table);
    for (int id = 0; id < NT_ID_COUNT; id++) {
        int num = nt_numbers[nt_build_index][id];
        if (num >= 0 && num < NT_TABLE_SIZE)
            nt_table[num].name = nt_names[id];
    }
    for (size_t i = 0; i < sizeof nt_impl / sizeof nt_impl[0]; i++) {
        int num = nt_numbers[nt_build_index][nt_impl[i].id];
        if (num < 0 || num >= NT_TABLE_SIZE)
            continue;
        nt_table[num].fn = nt_impl[i].fn;
        nt_table[num].nargs = nt_impl[i].nargs;
    }
    rt_set_nt_dispatcher(nt_dispatch_trap);
    return 0;
}

int nt_syscall_number(const char *name)
{
    for (int id = 0; id < NT_ID_COUNT; id++)
        if (strcmp(nt_names[id], name) == 0)
            return nt_numbers[nt_build_index][id];
    return -1;
}

const char *nt_syscall_name(uint32_t number)
{
    return number < NT_TABLE_SIZE ? nt_table[number].name : NULL;
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
    const nt_slot *slot = number < NT_TABLE_SIZE ? &nt_table[number] : NULL;
    uint64_t status;
    int nargs = 4;
    if (!slot || !slot->name) {
        status = (uint32_t)STATUS_INVALID_SYSTEM_SERVICE;
        if (RT_TRACING(RT_TRACE_NT))
            rt_trace("nt", "unknown system call number %#x = STATUS_INVALID_SYSTEM_SERVICE",
                     number);
        return status;
    }
    if (!slot->fn) {
        if (!atomic_exchange(&nt_table[number].warned, true))
            rt_message("%s: %s (system call %#x) is not implemented",
                       rt_proc.exe_name ? rt_proc.exe_name : "program", slot->name, number);
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

/* ---- ntdll's Nt and Zw exports: the import route, no trap ----
 * Each wrapper counts the call, traces it when asked, and calls the handler directly. */
#define X(name, n)                                                                            \
    static uint64_t WINAPI nt_thunk_##name(uint64_t a0, uint64_t a1, uint64_t a2, uint64_t a3, \
                                           uint64_t a4, uint64_t a5, uint64_t a6, uint64_t a7, \
                                           uint64_t a8, uint64_t a9, uint64_t a10,            \
                                           uint64_t a11)                                      \
    {                                                                                         \
        rt_thread *t = rt_current_thread();                                                   \
        if (t)                                                                                \
            t->nt_calls_thunk++;                                                              \
        nt_generic_fn fn = (nt_generic_fn)(void (*)(void))Nt##name;                           \
        __asm__("" : "+r"(fn)); /* a generic call: extra arguments are ignored by the callee */ \
        uint64_t r = (uint32_t)fn(a0, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, 0, 0, 0, 0); \
        if (RT_TRACING(RT_TRACE_NT)) {                                                        \
            uint64_t args[12] = {a0, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11};           \
            nt_trace_call("thunk", "Nt" #name, (uint32_t)nt_syscall_number("Nt" #name), n,    \
                          args, r);                                                           \
        }                                                                                     \
        return r;                                                                             \
    }                                                                                         \
    THK_EXPORT_ENTRY_(ntdll, Nt##name, nt_thunk_##name, n, Nt##name);                         \
    THK_EXPORT_ENTRY_(ntdll, Zw##name, nt_thunk_##name, n, Zw##name);
NT_CALLS(X)
#undef X
