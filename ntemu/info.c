/* SPDX-License-Identifier: MIT */
/* Information calls: NtQuerySystemInformation (basic, processor, time of day, processor
 * performance (times per processor), the process list,
 * kernel debugger and code integrity probes),
 * NtQueryInformationProcess (basic with the PEB address, image file name in NT and Win32 form,
 * the debugger probes, the working-set limits of ProcessQuotaLimits), NtQueryInformationThread (basic with the TEB address and client id),
 * NtGetCurrentProcessorNumber.
 *
 * Each follows Windows' shape: the output buffer and the return length are probed first, as
 * the kernel's ProbeForWrite does (a misaligned one, STATUS_DATATYPE_MISALIGNMENT: a ULONG's
 * alignment, a BOOLEAN's for the classes that return one; then one beyond the caller's memory,
 * STATUS_ACCESS_VIOLATION), then the information class (STATUS_INVALID_INFO_CLASS), the length
 * (STATUS_INFO_LENGTH_MISMATCH, with the needed size in *ret_len where Windows gives it), the
 * handle, and the buffer is written with a fault-safe copy, *ret_len last. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <stddef.h>
#include <stdio.h>
#include <time.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>
#include "ntemu/ntemu_private.h"
#include "runtime/kuser.h"
#include "runtime/winexc.h"

/* ---- layouts (x64) ---- */
typedef struct {
    uint32_t Reserved;                  /* 0x00 */
    uint32_t TimerResolution;           /* 0x04: 100 ns units */
    uint32_t PageSize;                  /* 0x08 */
    uint32_t NumberOfPhysicalPages;     /* 0x0c */
    uint32_t LowestPhysicalPageNumber;  /* 0x10 */
    uint32_t HighestPhysicalPageNumber; /* 0x14 */
    uint32_t AllocationGranularity;     /* 0x18 */
    uint32_t pad;
    ULONG_PTR MinimumUserModeAddress;   /* 0x20 */
    ULONG_PTR MaximumUserModeAddress;   /* 0x28 */
    ULONG_PTR ActiveProcessorsAffinityMask; /* 0x30 */
    int8_t NumberOfProcessors;          /* 0x38 */
} nt_system_basic_info;
_Static_assert(offsetof(nt_system_basic_info, MinimumUserModeAddress) == 0x20, "SBI.Minimum");
_Static_assert(offsetof(nt_system_basic_info, NumberOfProcessors) == 0x38, "SBI.NumberOfProcessors");
_Static_assert(sizeof(nt_system_basic_info) == 0x40, "SYSTEM_BASIC_INFORMATION");

typedef struct {
    uint16_t ProcessorArchitecture;     /* 0x0 */
    uint16_t ProcessorLevel;            /* 0x2 */
    uint16_t ProcessorRevision;         /* 0x4 */
    uint16_t MaximumProcessors;         /* 0x6 */
    uint32_t ProcessorFeatureBits;      /* 0x8 */
} nt_system_processor_info;
_Static_assert(sizeof(nt_system_processor_info) == 12, "SYSTEM_PROCESSOR_INFORMATION");

/* QUOTA_LIMITS (0x30 bytes) and QUOTA_LIMITS_EX (0x58): ProcessQuotaLimits, the working-set
 * limits of GetProcessWorkingSetSize(Ex)/SetProcessWorkingSetSize(Ex). */
typedef struct {
    SIZE_T PagedPoolLimit;              /* 0x00 */
    SIZE_T NonPagedPoolLimit;           /* 0x08 */
    SIZE_T MinimumWorkingSetSize;       /* 0x10 */
    SIZE_T MaximumWorkingSetSize;       /* 0x18 */
    SIZE_T PagefileLimit;               /* 0x20 */
    int64_t TimeLimit;                  /* 0x28 */
    SIZE_T WorkingSetLimit;             /* 0x30: _EX from here */
    SIZE_T Reserved2, Reserved3, Reserved4; /* 0x38 */
    uint32_t Flags;                     /* 0x50: QUOTA_LIMITS_HARDWS_* */
    uint32_t CpuRateLimit;              /* 0x54 */
} nt_quota_limits;
_Static_assert(offsetof(nt_quota_limits, WorkingSetLimit) == 0x30, "QUOTA_LIMITS size");
_Static_assert(offsetof(nt_quota_limits, Flags) == 0x50, "QUOTA_LIMITS_EX.Flags");
_Static_assert(sizeof(nt_quota_limits) == 0x58, "QUOTA_LIMITS_EX");
#define NT_QUOTA_LIMITS_SIZE 0x30

typedef struct {
    int64_t BootTime;                   /* 0x00 */
    int64_t CurrentTime;                /* 0x08 */
    int64_t TimeZoneBias;               /* 0x10 */
    uint32_t TimeZoneId;                /* 0x18 */
    uint32_t Reserved;                  /* 0x1c */
    uint64_t BootTimeBias;              /* 0x20 */
    uint64_t SleepTimeBias;             /* 0x28 */
} nt_system_timeofday_info;
_Static_assert(sizeof(nt_system_timeofday_info) == 0x30, "SYSTEM_TIMEOFDAY_INFORMATION");

typedef struct {
    NTSTATUS ExitStatus;                /* 0x00 */
    uint32_t pad;
    void *PebBaseAddress;               /* 0x08 */
    ULONG_PTR AffinityMask;             /* 0x10 */
    LONG_PTR BasePriority;              /* 0x18 */
    ULONG_PTR UniqueProcessId;          /* 0x20 */
    ULONG_PTR InheritedFromUniqueProcessId; /* 0x28 */
} nt_process_basic_info;
_Static_assert(offsetof(nt_process_basic_info, PebBaseAddress) == 0x08, "PBI.PebBaseAddress");
_Static_assert(offsetof(nt_process_basic_info, UniqueProcessId) == 0x20, "PBI.UniqueProcessId");
_Static_assert(sizeof(nt_process_basic_info) == 0x30, "PROCESS_BASIC_INFORMATION");

typedef struct {
    NTSTATUS ExitStatus;                /* 0x00 */
    uint32_t pad;
    void *TebBaseAddress;               /* 0x08 */
    CLIENT_ID ClientId;                 /* 0x10 */
    ULONG_PTR AffinityMask;             /* 0x20 */
    int32_t Priority;                   /* 0x28 */
    int32_t BasePriority;               /* 0x2c */
} nt_thread_basic_info;
_Static_assert(offsetof(nt_thread_basic_info, TebBaseAddress) == 0x08, "TBI.TebBaseAddress");
_Static_assert(offsetof(nt_thread_basic_info, ClientId) == 0x10, "TBI.ClientId");
_Static_assert(sizeof(nt_thread_basic_info) == 0x30, "THREAD_BASIC_INFORMATION");

/* SYSTEM_PROCESS_INFORMATION (x64), followed by NumberOfThreads SYSTEM_THREAD_INFORMATION. */
typedef struct {
    uint32_t NextEntryOffset;           /* 0x00 */
    uint32_t NumberOfThreads;           /* 0x04 */
    int64_t WorkingSetPrivateSize;      /* 0x08 */
    uint32_t HardFaultCount;            /* 0x10 */
    uint32_t NumberOfThreadsHighWatermark; /* 0x14 */
    uint64_t CycleTime;                 /* 0x18 */
    int64_t CreateTime;                 /* 0x20 */
    int64_t UserTime;                   /* 0x28 */
    int64_t KernelTime;                 /* 0x30 */
    UNICODE_STRING ImageName;           /* 0x38 */
    int32_t BasePriority;               /* 0x48 */
    uint32_t pad;
    ULONG_PTR UniqueProcessId;          /* 0x50 */
    ULONG_PTR InheritedFromUniqueProcessId; /* 0x58 */
    uint32_t HandleCount;               /* 0x60 */
    uint32_t SessionId;                 /* 0x64 */
    ULONG_PTR UniqueProcessKey;         /* 0x68 */
    SIZE_T sizes[12];                   /* 0x70: PeakVirtualSize .. PrivatePageCount */
    int64_t io[6];                      /* 0xd0: Read/Write/OtherOperationCount, ...TransferCount */
} nt_system_process_info;
_Static_assert(offsetof(nt_system_process_info, ImageName) == 0x38, "SPI.ImageName");
_Static_assert(offsetof(nt_system_process_info, UniqueProcessId) == 0x50, "SPI.UniqueProcessId");
_Static_assert(sizeof(nt_system_process_info) == 0x100, "SYSTEM_PROCESS_INFORMATION");

typedef struct {
    int64_t KernelTime;                 /* 0x00 */
    int64_t UserTime;                   /* 0x08 */
    int64_t CreateTime;                 /* 0x10 */
    uint32_t WaitTime;                  /* 0x18 */
    uint32_t pad;
    void *StartAddress;                 /* 0x20 */
    CLIENT_ID ClientId;                 /* 0x28 */
    int32_t Priority;                   /* 0x38 */
    int32_t BasePriority;               /* 0x3c */
    uint32_t ContextSwitches;           /* 0x40 */
    uint32_t ThreadState;               /* 0x44 */
    uint32_t WaitReason;                /* 0x48 */
    uint32_t pad2;
} nt_system_thread_info;
_Static_assert(offsetof(nt_system_thread_info, ClientId) == 0x28, "STI.ClientId");
_Static_assert(sizeof(nt_system_thread_info) == 0x50, "SYSTEM_THREAD_INFORMATION");

enum {
    NT_SystemProcessInformation = 5,
    NT_SystemKernelDebuggerInformation = 35,
    NT_SystemCodeIntegrityInformation = 103,
    NT_SystemBasicInformation = 0,
    NT_SystemProcessorInformation = 1,
    NT_SystemTimeOfDayInformation = 3,
    NT_SystemProcessorPerformanceInformation = 8,
    NT_ProcessBasicInformation = 0,
    NT_ProcessQuotaLimits = 1,
    NT_ProcessIoCounters = 2,
    NT_ProcessVmCounters = 3,
    NT_ProcessTimes = 4,
    NT_ProcessHandleCount = 20,
    NT_ProcessDebugPort = 7,
    NT_ProcessWow64Information = 26,
    NT_ProcessImageFileName = 27,
    NT_ProcessDebugObjectHandle = 30,
    NT_ProcessDebugFlags = 31,
    NT_ProcessImageFileNameWin32 = 43,
    NT_ProcessDefaultHardErrorMode = 12,
    NT_ProcessPriorityClass = 18,
    NT_ProcessAffinityMask = 21,
    NT_ProcessPriorityBoost = 22,
    NT_ThreadBasicInformation = 0,
    NT_ThreadTimes = 1,
    NT_ThreadPriority = 2,
    NT_ThreadBasePriority = 3,
    NT_ThreadAffinityMask = 4,
    NT_ThreadImpersonationToken = 5,
    NT_ThreadIsIoPending = 16,
    NT_ThreadHideFromDebugger = 17,
    NT_ThreadNameInformation = 38,
};
#define NT_STATUS_PORT_NOT_SET ((NTSTATUS)0xC0000353)

static uint32_t nt_cpu_count(void)
{
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n > 0 ? (uint32_t)n : 1;
}

static ULONG_PTR nt_affinity_mask(void)
{
    uint32_t n = nt_cpu_count();
    return n >= 64 ? ~(ULONG_PTR)0 : ((ULONG_PTR)1 << n) - 1;
}

/* ProbeForWrite of the buffer (`align`: 4 or 1) and ProbeForWriteUlong of the return length.
 * A zero-length buffer is not looked at. Probing the whole buffer keeps a length beyond the
 * caller's memory from becoming a write into whatever follows it. */
static NTSTATUS nt_info_probe(void *info, uint32_t len, uint32_t *ret_len, uintptr_t align)
{
    if (len && ((uintptr_t)info & (align - 1)))
        return STATUS_DATATYPE_MISALIGNMENT;
    if (!nt_probe_write(info, len))
        return STATUS_ACCESS_VIOLATION;
    if (ret_len && ((uintptr_t)ret_len & 3))
        return STATUS_DATATYPE_MISALIGNMENT;
    if (ret_len && !nt_probe_write(ret_len, sizeof *ret_len))
        return STATUS_ACCESS_VIOLATION;
    return STATUS_SUCCESS;
}

/* Copies `n` bytes of `src` to the caller's buffer and *ret_len; the status. */
static NTSTATUS nt_info_out(void *buf, const void *src, size_t n, uint32_t *ret_len)
{
    if (nt_copy_to_user(buf, src, n) != 0)
        return STATUS_ACCESS_VIOLATION;
    uint32_t len = (uint32_t)n;
    if (ret_len && nt_copy_to_user(ret_len, &len, sizeof len) != 0)
        return STATUS_ACCESS_VIOLATION;
    return STATUS_SUCCESS;
}

static NTSTATUS nt_info_needed(uint32_t *ret_len, size_t need)
{
    uint32_t len = (uint32_t)need;
    if (ret_len && nt_copy_to_user(ret_len, &len, sizeof len) != 0)
        return STATUS_ACCESS_VIOLATION;
    return STATUS_INFO_LENGTH_MISMATCH;
}

/* KERNEL_USER_TIMES and VM_COUNTERS(_EX/_EX2): filled from /proc (below). */
typedef struct {
    int64_t CreateTime, ExitTime, KernelTime, UserTime; /* 0x00, 0x08, 0x10, 0x18 */
} nt_kernel_user_times;
_Static_assert(sizeof(nt_kernel_user_times) == 0x20, "KERNEL_USER_TIMES");

typedef struct {
    SIZE_T PeakVirtualSize;             /* 0x00 */
    SIZE_T VirtualSize;                 /* 0x08 */
    uint32_t PageFaultCount;            /* 0x10 */
    uint32_t pad;
    SIZE_T PeakWorkingSetSize;          /* 0x18 */
    SIZE_T WorkingSetSize;              /* 0x20 */
    SIZE_T QuotaPeakPagedPoolUsage;     /* 0x28 */
    SIZE_T QuotaPagedPoolUsage;         /* 0x30 */
    SIZE_T QuotaPeakNonPagedPoolUsage;  /* 0x38 */
    SIZE_T QuotaNonPagedPoolUsage;      /* 0x40 */
    SIZE_T PagefileUsage;               /* 0x48 */
    SIZE_T PeakPagefileUsage;           /* 0x50 */
    SIZE_T PrivateUsage;                /* 0x58: VM_COUNTERS_EX */
    SIZE_T PrivateWorkingSetSize;       /* 0x60: VM_COUNTERS_EX2 */
    SIZE_T SharedCommitUsage;           /* 0x68 */
} nt_vm_counters;
_Static_assert(offsetof(nt_vm_counters, PagefileUsage) == 0x48, "VM_COUNTERS.PagefileUsage");
_Static_assert(offsetof(nt_vm_counters, PrivateUsage) == 0x58, "VM_COUNTERS_EX.PrivateUsage");
_Static_assert(sizeof(nt_vm_counters) == 0x70, "VM_COUNTERS_EX2");
#define NT_VM_COUNTERS_SIZE 0x58
#define NT_VM_COUNTERS_EX_SIZE 0x60

/* ---- system ---- */
/* SystemProcessInformation: the System Idle Process (id 0), System (id 4), this process with
 * its threads (the main thread and every foreign thread), then the other ntrun processes of
 * the user (ntemu/proclist.c) with their Linux threads, as a chain of entries linked by
 * NextEntryOffset; names follow each entry's threads. */
typedef struct {
    int32_t tids[256];
    int n;
} nt_tid_list;

static void nt_collect_tid(rt_thread *t, void *ctx)
{
    nt_tid_list *l = ctx;
    if (l->n < 256 && t->tid)
        l->tids[l->n++] = t->tid;
}

static void nt_vm_counters_of(pid_t pid, nt_vm_counters *v);
static void nt_times_from_stat(const char *path, nt_kernel_user_times *t);

/* One entry's fields before it is written: the process and its threads. */
typedef struct {
    ULONG_PTR pid, ppid;
    int64_t create;
    const char *name;
    const int32_t *tids;
    int ntids;
    size_t size;
} nt_spi_plan;

static size_t nt_spi_size(const nt_spi_plan *p)
{
    size_t name = p->name ? ((strlen(p->name) + 1) * 2 + 7) / 8 * 8 : 0;
    return sizeof(nt_system_process_info) + (size_t)p->ntids * sizeof(nt_system_thread_info) +
           name;
}

static NTSTATUS nt_process_list(void *info, uint32_t len, uint32_t *ret_len)
{
    nt_tid_list tl = {.n = 0};
    rt_thread *main_thread = rt_thread_main();
    int32_t self = nt_current_tid();
    if (main_thread && main_thread->tid)
        tl.tids[tl.n++] = main_thread->tid;
    rt_threads_for_each(nt_collect_tid, &tl);
    bool has_self = false;
    for (int i = 0; i < tl.n; i++)
        has_self |= tl.tids[i] == self;
    if (!has_self && tl.n < 256)
        tl.tids[tl.n++] = self;

    struct timespec now, boot;
    clock_gettime(CLOCK_REALTIME, &now);
    clock_gettime(CLOCK_BOOTTIME, &boot);
    int64_t now_t = nt_time_from_timespec(&now);
    int64_t boot_t = now_t - ((int64_t)boot.tv_sec * 10000000 + boot.tv_nsec / 100);
    nt_kernel_user_times self_times;
    nt_times_from_stat("/proc/self/stat", &self_times);

    nt_proc_entry *others = NULL;
    int nothers = nt_other_processes(&others);
    size_t nplans = 3 + (size_t)nothers;
    nt_spi_plan *plans = calloc(nplans, sizeof *plans);
    if (!plans) {
        nt_proc_entries_free(others, nothers);
        return STATUS_NO_MEMORY;
    }
    static const int32_t idle_tid[1] = {0}, system_tid[1] = {8};
    plans[0] = (nt_spi_plan){.pid = 0, .create = 0, .name = NULL, .tids = idle_tid, .ntids = 1};
    plans[1] = (nt_spi_plan){.pid = 4, .create = 0, .name = "System", .tids = system_tid,
                             .ntids = 1};
    plans[2] = (nt_spi_plan){.pid = (ULONG_PTR)getpid(), .ppid = (ULONG_PTR)getppid(),
                             .create = self_times.CreateTime ? self_times.CreateTime : now_t,
                             .name = rt_proc.exe_name ? rt_proc.exe_name : "ntrun.exe",
                             .tids = tl.tids, .ntids = tl.n};
    for (int i = 0; i < nothers; i++)
        plans[3 + i] = (nt_spi_plan){.pid = (ULONG_PTR)others[i].pid,
                                     .ppid = (ULONG_PTR)others[i].ppid,
                                     .create = others[i].create_time, .name = others[i].name,
                                     .tids = others[i].tids, .ntids = others[i].ntids};
    size_t need = 0;
    for (size_t p = 0; p < nplans; p++)
        need += plans[p].size = nt_spi_size(&plans[p]);
    NTSTATUS st;
    uint8_t *buf = NULL;
    if (len < need) {
        st = nt_info_needed(ret_len, need);
        goto free_plans;
    }
    if (!(buf = calloc(1, need))) {
        st = STATUS_NO_MEMORY;
        goto free_plans;
    }
    size_t off = 0;
    for (size_t p = 0; p < nplans; p++) {
        const nt_spi_plan *pl = &plans[p];
        bool user = p >= 2; /* an ntrun process, not one of the two of the system */
        nt_system_process_info *pi = (nt_system_process_info *)(buf + off);
        nt_system_thread_info *ti = (nt_system_thread_info *)(pi + 1);
        pi->NextEntryOffset = p + 1 == nplans ? 0 : (uint32_t)pl->size;
        pi->NumberOfThreads = (uint32_t)pl->ntids;
        pi->NumberOfThreadsHighWatermark = (uint32_t)pl->ntids;
        pi->CreateTime = pl->create;
        pi->BasePriority = p == 0 ? 0 : 8;
        pi->UniqueProcessId = pl->pid;
        pi->InheritedFromUniqueProcessId = pl->ppid;
        pi->SessionId = user ? 1 : 0;
        pi->UniqueProcessKey = pi->UniqueProcessId;
        if (user) { /* VM_COUNTERS' eleven figures, then PrivatePageCount */
            nt_vm_counters v;
            nt_vm_counters_of((pid_t)pl->pid, &v);
            _Static_assert(offsetof(nt_vm_counters, PrivateUsage) == 11 * sizeof(SIZE_T),
                           "VM_COUNTERS then PrivateUsage");
            memcpy(pi->sizes, &v, 11 * sizeof(SIZE_T));
            pi->sizes[11] = v.PrivateUsage;
        }
        if (pl->name) {
            WCHAR *w = (WCHAR *)(ti + pl->ntids);
            size_t n = strlen(pl->name);
            for (size_t i = 0; i < n; i++)
                w[i] = (WCHAR)(unsigned char)pl->name[i];
            pi->ImageName.Length = (uint16_t)(n * 2);
            pi->ImageName.MaximumLength = (uint16_t)(n * 2 + 2);
            /* the caller's address of the name */
            pi->ImageName.Buffer = (WCHAR *)((uintptr_t)info + (size_t)((uint8_t *)w - buf));
        }
        for (int t = 0; t < pl->ntids; t++) {
            ti[t].CreateTime = user ? pl->create : boot_t;
            ti[t].ClientId.UniqueProcess = (HANDLE)pi->UniqueProcessId;
            ti[t].ClientId.UniqueThread = (HANDLE)(uintptr_t)pl->tids[t];
            ti[t].Priority = p == 0 ? 0 : 8;
            ti[t].BasePriority = p == 0 ? 0 : 8;
            ti[t].ThreadState = p == 2 && pl->tids[t] == self ? 2 : 5; /* Running : Waiting */
        }
        off += pl->size;
    }
    st = nt_info_out(info, buf, need, ret_len);
    free(buf);
free_plans:
    free(plans);
    nt_proc_entries_free(others, nothers);
    return st;
}

/* SYSTEM_PROCESSOR_PERFORMANCE_INFORMATION, one per processor; times in 100 ns */
typedef struct {
    int64_t IdleTime;       /* 0x00 */
    int64_t KernelTime;     /* 0x08: idle time included, as on Windows */
    int64_t UserTime;       /* 0x10 */
    int64_t DpcTime;        /* 0x18 (Reserved1[0] in winternl.h) */
    int64_t InterruptTime;  /* 0x20 (Reserved1[1]) */
    uint32_t InterruptCount;/* 0x28 (Reserved2) */
    uint32_t pad;
} nt_processor_perf_info;
_Static_assert(offsetof(nt_processor_perf_info, InterruptTime) == 0x20, "SPPI.InterruptTime");
_Static_assert(sizeof(nt_processor_perf_info) == 0x30, "SYSTEM_PROCESSOR_PERFORMANCE_INFORMATION");

/* SystemProcessorPerformanceInformation from /proc/stat's cpuN lines (clock ticks): idle =
 * idle + iowait, user = user + nice, DPC = softirq, interrupt = irq, kernel = system + irq +
 * softirq + idle (Windows counts idle time as kernel time). As many processors as the buffer
 * holds, up to the processor count SystemBasicInformation gives (STATUS_INFO_LENGTH_MISMATCH
 * for less than one); *ret_len the size written. InterruptCount is 0 (/proc/stat has no count
 * per processor). */
static NTSTATUS nt_processor_perf(void *info, uint32_t len, uint32_t *ret_len)
{
    size_t n = nt_cpu_count(), fit = len / sizeof(nt_processor_perf_info);
    if (!fit)
        return nt_info_needed(ret_len, n * sizeof(nt_processor_perf_info));
    if (fit < n)
        n = fit;
    nt_processor_perf_info *p = calloc(n, sizeof *p);
    if (!p)
        return STATUS_NO_MEMORY;
    long hz = sysconf(_SC_CLK_TCK);
    int64_t unit = hz > 0 ? 10000000 / hz : 100000; /* 100 ns per tick */
    FILE *f = fopen("/proc/stat", "re");
    char line[512];
    size_t i = 0;
    while (f && i < n && fgets(line, sizeof line, f)) {
        unsigned long long user, nice, sys, idle, iowait, irq, softirq;
        unsigned cpu;
        if (sscanf(line, "cpu%u %llu %llu %llu %llu %llu %llu %llu", &cpu, &user, &nice, &sys,
                   &idle, &iowait, &irq, &softirq) != 8)
            continue; /* the "cpu " total and the other lines */
        p[i].IdleTime = (int64_t)(idle + iowait) * unit;
        p[i].UserTime = (int64_t)(user + nice) * unit;
        p[i].DpcTime = (int64_t)softirq * unit;
        p[i].InterruptTime = (int64_t)irq * unit;
        p[i].KernelTime = (int64_t)(sys + irq + softirq) * unit + p[i].IdleTime;
        i++;
    }
    if (f)
        fclose(f);
    NTSTATUS st = nt_info_out(info, p, n * sizeof *p, ret_len);
    free(p);
    return st;
}

static void nt_cpuid(uint32_t leaf, uint32_t r[4])
{
    __asm__ volatile("cpuid" : "=a"(r[0]), "=b"(r[1]), "=c"(r[2]), "=d"(r[3]) : "a"(leaf), "c"(0));
}

NTSTATUS NTAPI NtQuerySystemInformation(uint32_t klass, void *info, uint32_t len,
                                        uint32_t *ret_len)
{
    /* Windows probes the whole output buffer (and ReturnLength) before any class looks at
     * the length; SystemKernelDebuggerInformation's needs only a BOOLEAN's alignment. */
    NTSTATUS probe = nt_info_probe(info, len, ret_len,
                                   klass == NT_SystemKernelDebuggerInformation ? 1 : 4);
    if (probe != STATUS_SUCCESS)
        return probe;
    switch (klass) {
    case NT_SystemBasicInformation: {
        if (len != sizeof(nt_system_basic_info))
            return nt_info_needed(ret_len, sizeof(nt_system_basic_info));
        nt_system_basic_info b = {0};
        KUSER_SHARED_DATA *k = rt_kuser_rw();
        long pages = sysconf(_SC_PHYS_PAGES), psize = sysconf(_SC_PAGESIZE);
        uint64_t win_pages = pages > 0 && psize > 0 ? (uint64_t)pages * (uint64_t)psize / 0x1000 : 0;
        b.TimerResolution = RT_KUSER_TICK_100NS;
        b.PageSize = 0x1000;
        b.NumberOfPhysicalPages = k ? rt_kuser_phys_pages()
                                    : (win_pages > UINT32_MAX ? UINT32_MAX : (uint32_t)win_pages);
        b.LowestPhysicalPageNumber = 1;
        b.HighestPhysicalPageNumber = b.NumberOfPhysicalPages;
        b.AllocationGranularity = 0x10000;
        b.MinimumUserModeAddress = 0x10000;
        b.MaximumUserModeAddress = 0x7ffffffeffffull;
        b.ActiveProcessorsAffinityMask = nt_affinity_mask();
        b.NumberOfProcessors = (int8_t)(nt_cpu_count() > 127 ? 127 : nt_cpu_count());
        return nt_info_out(info, &b, sizeof b, ret_len);
    }
    case NT_SystemProcessorInformation: {
        if (len != sizeof(nt_system_processor_info))
            return nt_info_needed(ret_len, sizeof(nt_system_processor_info));
        nt_system_processor_info p = {0};
        uint32_t r[4];
        nt_cpuid(1, r);
        uint32_t family = (r[0] >> 8) & 0xf, model = (r[0] >> 4) & 0xf, stepping = r[0] & 0xf;
        if (family == 0xf)
            family += (r[0] >> 20) & 0xff;
        if (family == 0x6 || family >= 0xf)
            model |= ((r[0] >> 16) & 0xf) << 4;
        p.ProcessorArchitecture = 9; /* PROCESSOR_ARCHITECTURE_AMD64 */
        p.ProcessorLevel = (uint16_t)family;
        p.ProcessorRevision = (uint16_t)((model << 8) | stepping);
        p.MaximumProcessors = (uint16_t)nt_cpu_count();
        p.ProcessorFeatureBits = 0x00000000;
        return nt_info_out(info, &p, sizeof p, ret_len);
    }
    case NT_SystemTimeOfDayInformation: {
        if (len > sizeof(nt_system_timeofday_info))
            return nt_info_needed(ret_len, sizeof(nt_system_timeofday_info));
        nt_system_timeofday_info t = {0};
        struct timespec now, boot;
        clock_gettime(CLOCK_REALTIME, &now);
        clock_gettime(CLOCK_BOOTTIME, &boot);
        t.CurrentTime = nt_time_from_timespec(&now);
        t.BootTime = t.CurrentTime - ((int64_t)boot.tv_sec * 10000000 + boot.tv_nsec / 100);
        t.TimeZoneBias = 0; /* ntrun's local time is UTC */
        return nt_info_out(info, &t, len, ret_len);
    }
    case NT_SystemProcessInformation:
        return nt_process_list(info, len, ret_len);
    case NT_SystemProcessorPerformanceInformation:
        return nt_processor_perf(info, len, ret_len);
    case NT_SystemKernelDebuggerInformation: { /* no kernel debugger */
        if (len < 2)
            return nt_info_needed(ret_len, 2);
        uint8_t kd[2] = {0, 1}; /* KernelDebuggerEnabled FALSE, KernelDebuggerNotPresent TRUE */
        return nt_info_out(info, kd, sizeof kd, ret_len);
    }
    case NT_SystemCodeIntegrityInformation: { /* {Length, CodeIntegrityOptions} */
        uint32_t ci[2];
        if (len != sizeof ci)
            return nt_info_needed(ret_len, sizeof ci);
        if (nt_copy_from_user(ci, info, sizeof ci) != 0)
            return STATUS_ACCESS_VIOLATION;
        if (ci[0] != sizeof ci)
            return STATUS_INFO_LENGTH_MISMATCH;
        ci[1] = 1; /* CODEINTEGRITY_OPTION_ENABLED, no test signing, no debug mode */
        return nt_info_out(info, ci, sizeof ci, ret_len);
    }
    default:
        return STATUS_INVALID_INFO_CLASS;
    }
}

/* ---- process ---- */
static NTSTATUS nt_check_process(HANDLE h)
{
    if (h == NtCurrentProcess())
        return STATUS_SUCCESS;
    nt_object *o;
    NTSTATUS st = nt_handle_get(h, NT_OBJ_PROCESS, &o);
    if (st == STATUS_SUCCESS)
        nt_object_release(o);
    return st == STATUS_OBJECT_TYPE_MISMATCH ? st : (st ? STATUS_INVALID_HANDLE : st);
}

/* NtQueryInformationProcess's access check: the debugger classes want PROCESS_QUERY_INFORMATION,
 * the others PROCESS_QUERY_LIMITED_INFORMATION (which QUERY_INFORMATION implies). */
static NTSTATUS nt_check_process_query(HANDLE h, uint32_t klass)
{
    NTSTATUS st = nt_check_process(h);
    if (st != STATUS_SUCCESS || h == NtCurrentProcess())
        return st;
    nt_object *o;
    if ((st = nt_handle_get(h, NT_OBJ_PROCESS, &o)) != STATUS_SUCCESS)
        return st;
    if (klass == NT_ProcessDebugPort || klass == NT_ProcessDebugObjectHandle ||
        klass == NT_ProcessDebugFlags)
        st = nt_handle_access(h, o, 0x400);
    else
        st = nt_process_access_query(h, o);
    nt_object_release(o);
    return st;
}

/* The Linux path of the program another ntrun process runs, absolute (a relative one is taken
 * from the process's working directory; "prog" given without ".exe" is prog.exe when that is
 * the file there), malloc'd; NULL when the process has gone. */
static char *nt_other_image_path(pid_t pid)
{
    char *p = nt_proc_program_path(pid);
    if (!p || p[0] == '/')
        return p;
    char link[48], cwd[4096];
    snprintf(link, sizeof link, "/proc/%d/cwd", (int)pid);
    ssize_t n = readlink(link, cwd, sizeof cwd - 1);
    char *abs = NULL;
    if (n > 0) {
        cwd[n] = 0;
        if (asprintf(&abs, "%s/%s", cwd, p) < 0)
            abs = NULL;
    }
    free(p);
    const char *base = abs ? strrchr(abs, '/') + 1 : NULL;
    char *exe = NULL;
    if (base && !strchr(base, '.') && access(abs, F_OK) != 0 &&
        asprintf(&exe, "%s.exe", abs) >= 0) {
        free(abs);
        abs = exe;
    }
    return abs;
}

/* The program's name as a UNICODE_STRING followed by its characters, in NT device form
 * ("\Device\HarddiskVolume3\dir\prog.exe" for C:) or Win32 form ("C:\dir\prog.exe"). */
static NTSTATUS nt_image_file_name(HANDLE process, bool win32, void *info, uint32_t len,
                                   uint32_t *ret_len)
{
    uint32_t pid = (uint32_t)getpid(), code;
    if (process != NtCurrentProcess()) {
        NTSTATUS qs = nt_process_query(process, &pid, &code);
        if (qs != STATUS_SUCCESS)
            return qs;
    }
    WCHAR *dos = NULL;
    if (pid != (uint32_t)getpid()) { /* another ntrun process: the program its command line names */
        char *other = nt_other_image_path((pid_t)pid);
        if (!other)
            return STATUS_PROCESS_IS_TERMINATING;
        dos = nt_path_from_unix(other);
        free(other);
    } else if (rt_proc.exe_unix_path) {
        dos = nt_path_from_unix(rt_proc.exe_unix_path);
    }
    WCHAR prefix[32];
    size_t plen = 0, dlen = dos ? nt_wcslen(dos) : 0;
    const WCHAR *rest = dos;
    if (!win32 && dos && dlen >= 2 && dos[1] == u':') {
        static const char dev[] = "\\Device\\HarddiskVolume";
        for (const char *p = dev; *p; p++)
            prefix[plen++] = (WCHAR)*p;
        unsigned vol = (unsigned)(nt_towupper(dos[0]) - u'A') + 1;
        if (vol >= 10)
            prefix[plen++] = (WCHAR)(u'0' + vol / 10);
        prefix[plen++] = (WCHAR)(u'0' + vol % 10);
        rest = dos + 2;
        dlen -= 2;
    }
    size_t chars = plen + dlen;
    size_t need = sizeof(UNICODE_STRING) + (chars + 1) * sizeof(WCHAR);
    NTSTATUS st;
    if (len < need) {
        st = nt_info_needed(ret_len, need);
        goto free_dos;
    }
    uint8_t *buf = malloc(need);
    if (!buf) {
        st = STATUS_NO_MEMORY;
        goto free_dos;
    }
    UNICODE_STRING us = {.Length = (uint16_t)(chars * 2), .MaximumLength = (uint16_t)(chars * 2 + 2),
                         .Buffer = (WCHAR *)((uintptr_t)info + sizeof(UNICODE_STRING))};
    memcpy(buf, &us, sizeof us);
    WCHAR *w = (WCHAR *)(buf + sizeof us);
    memcpy(w, prefix, plen * sizeof(WCHAR));
    if (dlen)
        memcpy(w + plen, rest, dlen * sizeof(WCHAR));
    w[chars] = 0;
    st = nt_info_out(info, buf, need, ret_len);
    free(buf);
free_dos:
    free(dos);
    return st;
}

/* ---- figures from /proc ----
 * KERNEL_USER_TIMES and VM_COUNTERS(_EX/_EX2) of a process (the caller or a child, which is an
 * ntrun process of its own) and of a thread, read from /proc/<pid>[/task/<tid>]/stat and
 * status. A process or thread that has ended leaves zeros. */

/* The Linux pid behind a process handle: the caller's, or a child's. */
static NTSTATUS nt_process_pid(HANDLE h, pid_t *pid)
{
    if (h == NtCurrentProcess()) {
        *pid = getpid();
        return STATUS_SUCCESS;
    }
    nt_object *o;
    NTSTATUS st = nt_handle_get(h, NT_OBJ_PROCESS, &o);
    if (st != STATUS_SUCCESS)
        return st == STATUS_OBJECT_TYPE_MISMATCH ? st : STATUS_INVALID_HANDLE;
    struct nt_child *c = nt_child_from_object(o);
    *pid = c ? (pid_t)nt_child_pid(c) : getpid();
    nt_object_release(o);
    return STATUS_SUCCESS;
}

static bool nt_read_stat(const char *path, unsigned long long f[NT_STAT_FIELDS + 1])
{
    memset(f, 0, (NT_STAT_FIELDS + 1) * sizeof *f);
    char buf[1024];
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return false;
    ssize_t n = read(fd, buf, sizeof buf - 1);
    close(fd);
    if (n <= 0)
        return false;
    buf[n] = 0;
    char *p = strrchr(buf, ')'); /* the command may hold spaces and parentheses */
    if (!p || p[1] != ' ')
        return false;
    f[3] = (unsigned char)p[2]; /* the state, a letter */
    for (int field = 3; p && *p && field <= NT_STAT_FIELDS; field++) {
        p = strchr(p + 1, ' ');
        if (p && field > 3)
            f[field] = strtoull(p + 1, NULL, 10);
    }
    return true;
}

bool nt_proc_stat(unsigned pid, unsigned long long f[NT_STAT_FIELDS + 1])
{
    char path[48];
    snprintf(path, sizeof path, "/proc/%u/stat", pid);
    return nt_read_stat(path, f);
}

static int64_t nt_ticks_100ns(unsigned long long ticks)
{
    long hz = sysconf(_SC_CLK_TCK);
    return (int64_t)(ticks * 10000000ull / (unsigned long long)(hz > 0 ? hz : 100));
}

static void nt_times_from_stat(const char *path, nt_kernel_user_times *t)
{
    unsigned long long f[NT_STAT_FIELDS + 1];
    nt_read_stat(path, f);
    memset(t, 0, sizeof *t);
    if (!f[22])
        return;
    struct timespec now, boot;
    clock_gettime(CLOCK_REALTIME, &now);
    clock_gettime(CLOCK_BOOTTIME, &boot);
    int64_t boot_t = nt_time_from_timespec(&now) -
                     ((int64_t)boot.tv_sec * 10000000 + boot.tv_nsec / 100);
    t->CreateTime = boot_t + nt_ticks_100ns(f[22]);
    t->UserTime = nt_ticks_100ns(f[14]);
    t->KernelTime = nt_ticks_100ns(f[15]);
}

/* Raises *peak to v if lower; the peak. */
static SIZE_T nt_peak_update(SIZE_T *peak, SIZE_T v)
{
    SIZE_T seen = __atomic_load_n(peak, __ATOMIC_RELAXED);
    while (seen < v &&
           !__atomic_compare_exchange_n(peak, &seen, v, false, __ATOMIC_RELAXED, __ATOMIC_RELAXED))
        ;
    return seen > v ? seen : v;
}

/* The process's memory peaks as its queries saw them, per run: libntrun runs programs one after
 * another in one host process (nt_vm_counters_new_run at each run's end). */
static SIZE_T nt_vm_peak_commit, nt_vm_peak_ws, nt_vm_peak_virtual;
static bool nt_vm_later_run; /* a run has ended in this process before */

void nt_vm_counters_new_run(void)
{
    __atomic_store_n(&nt_vm_peak_commit, 0, __ATOMIC_RELAXED);
    __atomic_store_n(&nt_vm_peak_ws, 0, __ATOMIC_RELAXED);
    __atomic_store_n(&nt_vm_peak_virtual, 0, __ATOMIC_RELAXED);
    __atomic_store_n(&nt_vm_later_run, true, __ATOMIC_RELAXED);
}

/* IO_COUNTERS */
typedef struct nt_io_counters {
    uint64_t ReadOperationCount;  /* 0x00 */
    uint64_t WriteOperationCount; /* 0x08 */
    uint64_t OtherOperationCount; /* 0x10 */
    uint64_t ReadTransferCount;   /* 0x18 */
    uint64_t WriteTransferCount;  /* 0x20 */
    uint64_t OtherTransferCount;  /* 0x28 */
} nt_io_counters;
_Static_assert(sizeof(nt_io_counters) == 0x30, "IO_COUNTERS");

/* /proc/<pid>/io: the read and write calls and the bytes they moved (syscr, syscw, rchar,
 * wchar: what Windows counts, calls through the I/O manager and their bytes); nothing is
 * counted as "other". Zeros where the kernel does not give the file. */
static void nt_io_counters_of(pid_t pid, nt_io_counters *c)
{
    char path[64], line[128];
    memset(c, 0, sizeof *c);
    snprintf(path, sizeof path, "/proc/%d/io", (int)pid);
    FILE *fp = fopen(path, "re");
    if (!fp)
        return;
    unsigned long long v;
    while (fgets(line, sizeof line, fp)) {
        if (sscanf(line, "rchar: %llu", &v) == 1)
            c->ReadTransferCount = v;
        else if (sscanf(line, "wchar: %llu", &v) == 1)
            c->WriteTransferCount = v;
        else if (sscanf(line, "syscr: %llu", &v) == 1)
            c->ReadOperationCount = v;
        else if (sscanf(line, "syscw: %llu", &v) == 1)
            c->WriteOperationCount = v;
    }
    fclose(fp);
}

/* The "Name:  N kB" lines of /proc/<pid>/status that VM_COUNTERS takes, in bytes. */
static void nt_vm_counters_of(pid_t pid, nt_vm_counters *v)
{
    static const char *const keys[] = {"VmPeak:", "VmSize:", "VmHWM:", "VmRSS:", "VmData:",
                                       "VmStk:", "RssAnon:"};
    unsigned long long kb[7] = {0};
    char path[64], line[256];
    memset(v, 0, sizeof *v);
    snprintf(path, sizeof path, "/proc/%d/status", (int)pid);
    FILE *fp = fopen(path, "re");
    if (!fp)
        return;
    while (fgets(line, sizeof line, fp))
        for (int k = 0; k < 7; k++)
            if (strncmp(line, keys[k], strlen(keys[k])) == 0)
                kb[k] = strtoull(line + strlen(keys[k]), NULL, 10);
    fclose(fp);
    unsigned long long f[NT_STAT_FIELDS + 1];
    nt_proc_stat((unsigned)pid, f);
    v->PeakVirtualSize = kb[0] * 1024;
    v->VirtualSize = kb[1] * 1024;
    v->PageFaultCount = (uint32_t)(f[10] + f[12]); /* minor + major faults */
    v->PeakWorkingSetSize = kb[2] * 1024;
    v->WorkingSetSize = kb[3] * 1024;
    /* Private committed memory (the commit charge): Linux's private writable data and stack
     * (reservations, PROT_NONE, are not counted, as Windows does not charge them). The peak
     * is the highest seen by a query, at least the current figure. */
    v->PagefileUsage = (kb[4] + kb[5]) * 1024;
    v->PrivateUsage = v->PagefileUsage;
    v->PrivateWorkingSetSize = kb[6] * 1024;
    /* Linux's VmHWM lags behind VmRSS (per-thread counters are folded in later): the peaks
     * of the caller's own figures are also the highest any query saw. */
    v->PeakPagefileUsage = v->PagefileUsage;
    if (v->PeakWorkingSetSize < v->WorkingSetSize)
        v->PeakWorkingSetSize = v->WorkingSetSize;
    if (pid == getpid()) {
        if (__atomic_load_n(&nt_vm_later_run, __ATOMIC_RELAXED)) {
            /* /proc's peaks are the host's, an earlier run's included: this run's own are
             * the highest its queries saw */
            v->PeakVirtualSize = v->VirtualSize;
            v->PeakWorkingSetSize = v->WorkingSetSize;
        }
        v->PeakVirtualSize = nt_peak_update(&nt_vm_peak_virtual, v->PeakVirtualSize);
        v->PeakPagefileUsage = nt_peak_update(&nt_vm_peak_commit, v->PagefileUsage);
        v->PeakWorkingSetSize = nt_peak_update(&nt_vm_peak_ws, v->PeakWorkingSetSize);
    }
    /* The pool quotas: the kernel's memory for the process's objects; a nominal figure. */
    v->QuotaPagedPoolUsage = v->QuotaPeakPagedPoolUsage = 64 * 1024;
    v->QuotaNonPagedPoolUsage = v->QuotaPeakNonPagedPoolUsage = 8 * 1024;
}

/* Process settings that NtSetInformationProcess records and NtQueryInformationProcess reports
 * back (SetErrorMode, SetProcessPriorityBoost); they change nothing else. */
static uint32_t nt_hard_error_mode = 1; /* Windows' default: SEM_FAILCRITICALERRORS clear, i.e. 1 */
static uint32_t nt_priority_boost_off;

/* The working-set limits (ProcessQuotaLimits) as SetProcessWorkingSetSize(Ex) left them. Linux
 * has no per-process working-set limits: they are recorded and reported back, nothing else.
 * Windows' defaults: 50 pages minimum, 345 maximum (Microsoft's SetProcessWorkingSetSize page),
 * neither enforced (QUOTA_LIMITS_HARDWS_MIN_DISABLE | QUOTA_LIMITS_HARDWS_MAX_DISABLE). Another
 * ntrun process is reported with the defaults. */
#define NT_WS_MIN_DEFAULT (50 * 4096)
#define NT_WS_MAX_DEFAULT (345 * 4096)
#define NT_HARDWS_MIN_ENABLE 0x1
#define NT_HARDWS_MIN_DISABLE 0x2
#define NT_HARDWS_MAX_ENABLE 0x4
#define NT_HARDWS_MAX_DISABLE 0x8
#define NT_STATUS_BAD_WORKING_SET_LIMIT ((NTSTATUS)0xC000004C)
static pthread_mutex_t nt_ws_lock = PTHREAD_MUTEX_INITIALIZER;
static SIZE_T nt_ws_min = NT_WS_MIN_DEFAULT, nt_ws_max = NT_WS_MAX_DEFAULT;
static uint32_t nt_ws_flags = NT_HARDWS_MIN_DISABLE | NT_HARDWS_MAX_DISABLE;

static void nt_quota_limits_of(HANDLE process, nt_quota_limits *q)
{
    memset(q, 0, sizeof *q);
    /* the pool and page-file limits: none (Windows reports the system's, effectively unlimited) */
    q->PagedPoolLimit = q->NonPagedPoolLimit = q->PagefileLimit = ~(SIZE_T)0;
    q->TimeLimit = -1;
    q->MinimumWorkingSetSize = NT_WS_MIN_DEFAULT;
    q->MaximumWorkingSetSize = NT_WS_MAX_DEFAULT;
    q->Flags = NT_HARDWS_MIN_DISABLE | NT_HARDWS_MAX_DISABLE;
    if (process == NtCurrentProcess()) {
        pthread_mutex_lock(&nt_ws_lock);
        q->MinimumWorkingSetSize = nt_ws_min;
        q->MaximumWorkingSetSize = nt_ws_max;
        q->Flags = nt_ws_flags;
        pthread_mutex_unlock(&nt_ws_lock);
    }
}

/* NtSetInformationProcess(ProcessQuotaLimits) of the working-set limits: both (SIZE_T)-1 trims
 * the working set (nothing to do here) and keeps the limits; a minimum above the maximum is
 * refused; the HARDWS flags set a limit's enforcement (ENABLE and DISABLE together: invalid). */
static NTSTATUS nt_quota_limits_set(HANDLE process, const nt_quota_limits *q, bool ex)
{
    uint32_t flags = ex ? q->Flags : 0;
    if ((flags & ~0xfu) || (flags & 3) == 3 || (flags & 0xc) == 0xc)
        return STATUS_INVALID_PARAMETER;
    if (q->MinimumWorkingSetSize == ~(SIZE_T)0 && q->MaximumWorkingSetSize == ~(SIZE_T)0)
        return STATUS_SUCCESS;
    if (q->MinimumWorkingSetSize > q->MaximumWorkingSetSize)
        return NT_STATUS_BAD_WORKING_SET_LIMIT;
    if (process != NtCurrentProcess())
        return STATUS_SUCCESS; /* another process's limits are not kept (reported as defaults) */
    pthread_mutex_lock(&nt_ws_lock);
    nt_ws_min = q->MinimumWorkingSetSize;
    nt_ws_max = q->MaximumWorkingSetSize;
    if (flags & (NT_HARDWS_MIN_ENABLE | NT_HARDWS_MIN_DISABLE))
        nt_ws_flags = (nt_ws_flags & ~3u) | (flags & 3);
    if (flags & (NT_HARDWS_MAX_ENABLE | NT_HARDWS_MAX_DISABLE))
        nt_ws_flags = (nt_ws_flags & ~0xcu) | (flags & 0xc);
    pthread_mutex_unlock(&nt_ws_lock);
    return STATUS_SUCCESS;
}

/* ---- priority classes over nice values ---- */
/* Windows' priority classes (PROCESS_PRIORITY_CLASS.PriorityClass: 1 idle, 2 normal, 3 high,
 * 4 realtime, 5 below normal, 6 above normal) as the nice value of every thread of the Linux
 * process, with the mapping libuv uses for os.setPriority/getPriority (so Node.js reads back
 * what it set): realtime -20, high -14, above normal -7, normal 0, below normal 10, idle 19;
 * a nice value between two of them reads as the class whose range holds it (libuv's
 * thresholds). BasePriority follows (4, 6, 8, 10, 13, 24). */
static const struct {
    uint8_t klass;
    int nice;
    uint8_t base;
} nt_prio_map[] = {{4, -20, 24}, {3, -14, 13}, {6, -7, 10}, {2, 0, 8}, {5, 10, 6}, {1, 19, 4}};
#define NT_PRIO_COUNT (sizeof nt_prio_map / sizeof nt_prio_map[0])
#define NT_STATUS_PRIVILEGE_NOT_HELD ((NTSTATUS)0xC0000061)
#define NT_STATUS_PROCESS_IS_TERMINATING ((NTSTATUS)0xC000010A)

/* The map entry of the nice value of process pid (its main thread's); NORMAL if unknown. */
static size_t nt_prio_of(pid_t pid)
{
    errno = 0;
    int nice = getpriority(PRIO_PROCESS, (id_t)pid);
    if (nice == -1 && errno)
        return 3;
    size_t i = NT_PRIO_COUNT - 1;
    while (i > 0 && nice < nt_prio_map[i].nice)
        i--;
    return i;
}

/* Every thread of process pid to `nice` (a Linux nice value is per thread; threads made later
 * inherit their creator's). */
static NTSTATUS nt_prio_set(pid_t pid, int nice)
{
    char path[64];
    snprintf(path, sizeof path, "/proc/%d/task", (int)pid);
    DIR *d = opendir(path);
    int err = 0, done = 0;
    if (d) {
        struct dirent *e;
        while ((e = readdir(d))) {
            char *end;
            long tid = strtol(e->d_name, &end, 10);
            if (*end || tid <= 0)
                continue;
            if (setpriority(PRIO_PROCESS, (id_t)tid, nice) == 0)
                done++;
            else if (errno != ESRCH && !err) /* a thread that just ended: no matter */
                err = errno;
        }
        closedir(d);
    } else if (setpriority(PRIO_PROCESS, (id_t)pid, nice) == 0) {
        done++;
    } else {
        err = errno;
    }
    if (err == EACCES || err == EPERM) /* a higher priority without CAP_SYS_NICE */
        return NT_STATUS_PRIVILEGE_NOT_HELD;
    return done ? STATUS_SUCCESS : NT_STATUS_PROCESS_IS_TERMINATING;
}

NTSTATUS NTAPI NtQueryInformationProcess(HANDLE process, uint32_t klass, void *info,
                                         uint32_t len, uint32_t *ret_len)
{
    size_t want;
    NTSTATUS probe = nt_info_probe(info, len, ret_len, klass == NT_ProcessPriorityClass ? 1 : 4);
    if (probe != STATUS_SUCCESS)
        return probe;
    switch (klass) {
    case NT_ProcessBasicInformation: want = sizeof(nt_process_basic_info); break;
    case NT_ProcessQuotaLimits: /* QUOTA_LIMITS or QUOTA_LIMITS_EX */
        want = len == sizeof(nt_quota_limits) ? len : NT_QUOTA_LIMITS_SIZE;
        break;
    case NT_ProcessDebugPort:
    case NT_ProcessWow64Information:
    case NT_ProcessDebugObjectHandle: want = sizeof(ULONG_PTR); break;
    case NT_ProcessDebugFlags:
    case NT_ProcessDefaultHardErrorMode:
    case NT_ProcessPriorityBoost: want = sizeof(uint32_t); break;
    case NT_ProcessImageFileName:
    case NT_ProcessImageFileNameWin32: want = 0; break;
    case NT_ProcessTimes: want = sizeof(nt_kernel_user_times); break;
    case NT_ProcessIoCounters: want = sizeof(nt_io_counters); break;
    case NT_ProcessHandleCount: want = sizeof(uint32_t); break;
    case NT_ProcessPriorityClass: want = 2; break; /* PROCESS_PRIORITY_CLASS */
    case NT_ProcessVmCounters: /* VM_COUNTERS, _EX or _EX2 */
        want = len == NT_VM_COUNTERS_EX_SIZE || len == sizeof(nt_vm_counters)
                   ? len
                   : NT_VM_COUNTERS_SIZE;
        break;
    default: return STATUS_INVALID_INFO_CLASS;
    }
    if (want && len != want)
        return nt_info_needed(ret_len, want);
    NTSTATUS st = nt_check_process_query(process, klass);
    if (st != STATUS_SUCCESS)
        return st;
    switch (klass) {
    case NT_ProcessQuotaLimits: {
        nt_quota_limits q;
        nt_quota_limits_of(process, &q);
        return nt_info_out(info, &q, want, ret_len);
    }
    case NT_ProcessTimes: {
        pid_t pid;
        if ((st = nt_process_pid(process, &pid)) != STATUS_SUCCESS)
            return st;
        char path[64];
        snprintf(path, sizeof path, "/proc/%d/stat", (int)pid);
        nt_kernel_user_times t;
        nt_times_from_stat(path, &t);
        return nt_info_out(info, &t, sizeof t, ret_len);
    }
    case NT_ProcessIoCounters: {
        pid_t pid;
        if ((st = nt_process_pid(process, &pid)) != STATUS_SUCCESS)
            return st;
        nt_io_counters c;
        nt_io_counters_of(pid, &c);
        return nt_info_out(info, &c, sizeof c, ret_len);
    }
    case NT_ProcessVmCounters: {
        pid_t pid;
        if ((st = nt_process_pid(process, &pid)) != STATUS_SUCCESS)
            return st;
        nt_vm_counters v;
        nt_vm_counters_of(pid, &v);
        return nt_info_out(info, &v, want, ret_len);
    }
    case NT_ProcessPriorityClass: {
        pid_t pid;
        if ((st = nt_process_pid(process, &pid)) != STATUS_SUCCESS)
            return st;
        uint8_t pc[2] = {0, nt_prio_map[nt_prio_of(pid)].klass}; /* Foreground FALSE */
        return nt_info_out(info, pc, sizeof pc, ret_len);
    }
    case NT_ProcessHandleCount: {
        uint32_t n = nt_handle_count();
        return nt_info_out(info, &n, sizeof n, ret_len);
    }
    case NT_ProcessBasicInformation: {
        nt_process_basic_info b = {0};
        uint32_t pid = (uint32_t)getpid(), code = STATUS_PENDING; /* STILL_ACTIVE */
        if (process != NtCurrentProcess() &&
            (st = nt_process_query(process, &pid, &code)) != STATUS_SUCCESS)
            return st;
        b.ExitStatus = code;
        b.AffinityMask = nt_affinity_mask();
        b.BasePriority = nt_prio_map[nt_prio_of((pid_t)pid)].base;
        b.UniqueProcessId = pid;
        if (pid == (uint32_t)getpid()) {
            b.PebBaseAddress = rt_proc.peb;
            b.InheritedFromUniqueProcessId = (ULONG_PTR)getppid();
        } else { /* another process: its parent from /proc (its PEB is its own to know: NULL) */
            unsigned long long f[NT_STAT_FIELDS + 1];
            nt_proc_stat(pid, f);
            b.InheritedFromUniqueProcessId = (ULONG_PTR)f[4];
        }
        return nt_info_out(info, &b, sizeof b, ret_len);
    }
    case NT_ProcessDebugPort:       /* no debugger: 0 */
    case NT_ProcessWow64Information: { /* a native 64-bit process: 0 */
        ULONG_PTR v = 0;
        return nt_info_out(info, &v, sizeof v, ret_len);
    }
    case NT_ProcessDebugObjectHandle: {
        ULONG_PTR v = 0;
        st = nt_info_out(info, &v, sizeof v, ret_len);
        return st == STATUS_SUCCESS ? NT_STATUS_PORT_NOT_SET : st;
    }
    case NT_ProcessDebugFlags: {
        uint32_t v = 1; /* PROCESS_DEBUG_INHERIT: not being debugged */
        return nt_info_out(info, &v, sizeof v, ret_len);
    }
    case NT_ProcessDefaultHardErrorMode: {
        uint32_t v = __atomic_load_n(&nt_hard_error_mode, __ATOMIC_RELAXED);
        return nt_info_out(info, &v, sizeof v, ret_len);
    }
    case NT_ProcessPriorityBoost: {
        uint32_t v = __atomic_load_n(&nt_priority_boost_off, __ATOMIC_RELAXED);
        return nt_info_out(info, &v, sizeof v, ret_len);
    }
    default: /* the image file name classes */
        return nt_image_file_name(process, klass == NT_ProcessImageFileNameWin32, info, len,
                                  ret_len);
    }
}

/* ---- thread ---- */
/* Threads that asked to be hidden from the debugger: anti-debugging code sets the flag and
 * reads it back to detect a hooked NtSetInformationThread, so it is remembered (by tid). */
#define NT_HIDDEN_MAX 256
static int32_t nt_hidden_tids[NT_HIDDEN_MAX];
static pthread_mutex_t nt_hidden_lock = PTHREAD_MUTEX_INITIALIZER;

static bool nt_hidden_has(int32_t tid)
{
    bool found = false;
    pthread_mutex_lock(&nt_hidden_lock);
    for (int i = 0; i < NT_HIDDEN_MAX && !found; i++)
        found = nt_hidden_tids[i] == tid;
    pthread_mutex_unlock(&nt_hidden_lock);
    return found;
}

static void nt_hidden_add(int32_t tid)
{
    pthread_mutex_lock(&nt_hidden_lock);
    int free_slot = -1;
    for (int i = 0; i < NT_HIDDEN_MAX; i++) {
        if (nt_hidden_tids[i] == tid)
            goto unlock;
        if (free_slot < 0 && nt_hidden_tids[i] == 0)
            free_slot = i;
    }
    /* Full: reuse slot 0 (tids of ended threads linger; a wrong answer only affects them). */
    nt_hidden_tids[free_slot >= 0 ? free_slot : 0] = tid;
unlock:
    pthread_mutex_unlock(&nt_hidden_lock);
}

/* THREAD_NAME_INFORMATION (0x10): a UNICODE_STRING whose Buffer points just past it, where the
 * name follows (Length = MaximumLength, no terminator). A buffer too small for both:
 * STATUS_BUFFER_TOO_SMALL and the size needed (Windows' answers, recorded by Wine's tests). */
static NTSTATUS nt_thread_name_query(HANDLE thread, void *info, uint32_t len, uint32_t *ret_len)
{
    uint16_t *name;
    size_t bytes;
    NTSTATUS st = nt_thread_get_name(thread, &name, &bytes);
    if (st != STATUS_SUCCESS)
        return st;
    size_t need = sizeof(UNICODE_STRING) + bytes;
    if (len < need) {
        free(name);
        nt_info_needed(ret_len, need);
        return STATUS_BUFFER_TOO_SMALL;
    }
    UNICODE_STRING us = {.Length = (uint16_t)bytes, .MaximumLength = (uint16_t)bytes,
                         .Buffer = (WCHAR *)((uint8_t *)info + sizeof(UNICODE_STRING))};
    if ((bytes && nt_copy_to_user(us.Buffer, name, bytes) != 0)) {
        free(name);
        return STATUS_ACCESS_VIOLATION;
    }
    free(name);
    st = nt_info_out(info, &us, sizeof us, ret_len);
    if (st == STATUS_SUCCESS && ret_len) {
        uint32_t n = (uint32_t)need;
        if (nt_copy_to_user(ret_len, &n, sizeof n) != 0)
            return STATUS_ACCESS_VIOLATION;
    }
    return st;
}

/* Sets the name from a THREAD_NAME_INFORMATION: its length must be the structure's; a NULL
 * buffer with a length, or an unreadable one: STATUS_ACCESS_VIOLATION; an odd length:
 * STATUS_INVALID_PARAMETER; length 0 clears the name. */
static NTSTATUS nt_thread_name_set(HANDLE thread, const void *info, uint32_t len)
{
    UNICODE_STRING us;
    if (len != sizeof us)
        return STATUS_INFO_LENGTH_MISMATCH;
    if (nt_copy_from_user(&us, info, sizeof us) != 0)
        return STATUS_ACCESS_VIOLATION;
    if (us.Length & 1)
        return STATUS_INVALID_PARAMETER;
    uint16_t *name = NULL;
    if (us.Length) {
        if (!(name = malloc(us.Length)))
            return STATUS_NO_MEMORY;
        if (!us.Buffer || nt_copy_from_user(name, us.Buffer, us.Length) != 0) {
            free(name);
            return STATUS_ACCESS_VIOLATION;
        }
    }
    NTSTATUS st = nt_thread_set_name(thread, name, us.Length);
    free(name);
    return st;
}

NTSTATUS NTAPI NtQueryInformationThread(HANDLE thread, uint32_t klass, void *info, uint32_t len,
                                        uint32_t *ret_len)
{
    NTSTATUS probe = nt_info_probe(info, len, ret_len, klass == NT_ThreadHideFromDebugger ? 1 : 4);
    if (probe != STATUS_SUCCESS)
        return probe;
    if (klass == NT_ThreadHideFromDebugger) { /* Windows 8.1+: a BOOLEAN */
        if (len != 1)
            return nt_info_needed(ret_len, 1);
        nt_thread_info ti;
        NTSTATUS st = nt_thread_query(thread, &ti);
        if (st != STATUS_SUCCESS)
            return st;
        uint8_t hidden = nt_hidden_has(ti.tid);
        return nt_info_out(info, &hidden, 1, ret_len);
    }
    if (klass == NT_ThreadIsIoPending) { /* a ULONG: the thread has I/O requests pending */
        if (len != sizeof(ULONG))
            return nt_info_needed(ret_len, sizeof(ULONG));
        nt_thread_info ti;
        NTSTATUS st = nt_thread_query(thread, &ti);
        if (st != STATUS_SUCCESS)
            return st;
        ULONG pending = ti.tid && nt_async_thread_has_pending(ti.tid);
        return nt_info_out(info, &pending, sizeof pending, ret_len);
    }
    if (klass == NT_ThreadTimes) {
        if (len != sizeof(nt_kernel_user_times))
            return nt_info_needed(ret_len, sizeof(nt_kernel_user_times));
        nt_thread_info ti;
        NTSTATUS st = nt_thread_query(thread, &ti);
        if (st != STATUS_SUCCESS)
            return st;
        char path[96];
        snprintf(path, sizeof path, "/proc/%d/task/%d/stat", (int)getpid(), (int)ti.tid);
        nt_kernel_user_times t;
        nt_times_from_stat(path, &t);
        return nt_info_out(info, &t, sizeof t, ret_len);
    }
    if (klass == NT_ThreadNameInformation)
        return nt_thread_name_query(thread, info, len, ret_len);
    if (klass != NT_ThreadBasicInformation)
        return STATUS_INVALID_INFO_CLASS;
    if (len != sizeof(nt_thread_basic_info))
        return nt_info_needed(ret_len, sizeof(nt_thread_basic_info));
    nt_thread_info ti;
    NTSTATUS st = nt_thread_query(thread, &ti);
    if (st != STATUS_SUCCESS)
        return st;
    nt_thread_basic_info b = {0};
    b.ExitStatus = ti.exited ? (NTSTATUS)ti.exit_code : STATUS_PENDING;
    b.TebBaseAddress = ti.teb;
    b.ClientId.UniqueProcess = (HANDLE)(uintptr_t)getpid();
    b.ClientId.UniqueThread = (HANDLE)(uintptr_t)ti.tid;
    b.AffinityMask = nt_affinity_mask();
    b.Priority = 8;
    b.BasePriority = 0; /* THREAD_PRIORITY_NORMAL */
    return nt_info_out(info, &b, sizeof b, ret_len);
}

/* ThreadImpersonationToken sets or clears the thread's token (ntemu/token.c);
 * ThreadNameInformation the thread's name (SetThreadDescription).
 * ThreadHideFromDebugger (length 0, as anti-debugging code calls it) succeeds: ntrun has no
 * debugger to hide from. Priority, base priority and affinity are accepted and ignored
 * (the Linux scheduler decides). Other classes: STATUS_INVALID_INFO_CLASS. */
NTSTATUS NTAPI NtSetInformationThread(HANDLE thread, uint32_t klass, const void *info,
                                      uint32_t len)
{
    size_t want;
    if (klass == NT_ThreadImpersonationToken) { /* a token handle; NULL reverts */
        HANDLE token;
        if (len != sizeof token)
            return STATUS_INFO_LENGTH_MISMATCH;
        if (nt_copy_from_user(&token, info, sizeof token) != 0)
            return STATUS_ACCESS_VIOLATION;
        return nt_token_impersonate(thread, token);
    }
    if (klass == NT_ThreadNameInformation)
        return nt_thread_name_set(thread, info, len);
    switch (klass) {
    case NT_ThreadHideFromDebugger: want = 0; break;
    case NT_ThreadPriority:
    case NT_ThreadBasePriority: want = 4; break;
    case NT_ThreadAffinityMask: want = sizeof(ULONG_PTR); break;
    default: return STATUS_INVALID_INFO_CLASS;
    }
    if (len != want)
        return STATUS_INFO_LENGTH_MISMATCH;
    nt_thread_info ti;
    NTSTATUS st = nt_thread_query(thread, &ti);
    if (st != STATUS_SUCCESS)
        return st;
    uint8_t tmp[8];
    if (want && nt_copy_from_user(tmp, info, want) != 0)
        return STATUS_ACCESS_VIOLATION;
    if (klass == NT_ThreadHideFromDebugger && ti.tid)
        nt_hidden_add(ti.tid);
    return STATUS_SUCCESS;
}

/* Returns the processor number (not an NTSTATUS). */
NTSTATUS NTAPI NtGetCurrentProcessorNumber(void)
{
    int cpu = sched_getcpu();
    return cpu < 0 ? 0 : cpu;
}

/* ProcessDefaultHardErrorMode (SetErrorMode) and ProcessPriorityBoost are recorded;
 * ProcessAffinityMask accepts a mask within the processors that exist (the Linux scheduler
 * keeps deciding). Other classes: STATUS_INVALID_INFO_CLASS. */
NTSTATUS NTAPI NtSetInformationProcess(HANDLE process, uint32_t klass, const void *info,
                                       uint32_t len)
{
    size_t want;
    switch (klass) {
    case NT_ProcessDefaultHardErrorMode:
    case NT_ProcessPriorityBoost: want = sizeof(uint32_t); break;
    case NT_ProcessAffinityMask: want = sizeof(ULONG_PTR); break;
    case NT_ProcessPriorityClass: want = 2; break; /* PROCESS_PRIORITY_CLASS */
    case NT_ProcessQuotaLimits: /* QUOTA_LIMITS or QUOTA_LIMITS_EX */
        want = len == sizeof(nt_quota_limits) ? len : NT_QUOTA_LIMITS_SIZE;
        break;
    default: return STATUS_INVALID_INFO_CLASS;
    }
    if (len != want)
        return STATUS_INFO_LENGTH_MISMATCH;
    NTSTATUS st = nt_check_process(process);
    if (st != STATUS_SUCCESS)
        return st;
    if (klass == NT_ProcessPriorityClass) {
        if (process != NtCurrentProcess()) { /* PROCESS_SET_INFORMATION */
            nt_object *o;
            if ((st = nt_handle_get(process, NT_OBJ_PROCESS, &o)) != STATUS_SUCCESS)
                return st;
            st = nt_handle_access(process, o, 0x200);
            nt_object_release(o);
            if (st != STATUS_SUCCESS)
                return st;
        }
        uint8_t pc[2];
        if (nt_copy_from_user(pc, info, sizeof pc) != 0)
            return STATUS_ACCESS_VIOLATION;
        size_t i = 0;
        while (i < NT_PRIO_COUNT && nt_prio_map[i].klass != pc[1])
            i++;
        if (i == NT_PRIO_COUNT)
            return STATUS_INVALID_PARAMETER;
        pid_t pid;
        if ((st = nt_process_pid(process, &pid)) != STATUS_SUCCESS)
            return st;
        return nt_prio_set(pid, nt_prio_map[i].nice);
    }
    if (klass == NT_ProcessQuotaLimits) {
        if (process != NtCurrentProcess()) { /* PROCESS_SET_QUOTA */
            nt_object *o;
            if ((st = nt_handle_get(process, NT_OBJ_PROCESS, &o)) != STATUS_SUCCESS)
                return st;
            st = nt_handle_access(process, o, 0x100);
            nt_object_release(o);
            if (st != STATUS_SUCCESS)
                return st;
        }
        nt_quota_limits q = {0};
        if (nt_copy_from_user(&q, info, want) != 0)
            return STATUS_ACCESS_VIOLATION;
        return nt_quota_limits_set(process, &q, want == sizeof q);
    }
    ULONG_PTR v = 0;
    if (nt_copy_from_user(&v, info, want) != 0)
        return STATUS_ACCESS_VIOLATION;
    switch (klass) {
    case NT_ProcessDefaultHardErrorMode:
        __atomic_store_n(&nt_hard_error_mode, (uint32_t)v, __ATOMIC_RELAXED);
        break;
    case NT_ProcessPriorityBoost:
        __atomic_store_n(&nt_priority_boost_off, (uint32_t)v != 0, __ATOMIC_RELAXED);
        break;
    default:
        if (v == 0 || (v & ~nt_affinity_mask()))
            return STATUS_INVALID_PARAMETER;
        break;
    }
    return STATUS_SUCCESS;
}
