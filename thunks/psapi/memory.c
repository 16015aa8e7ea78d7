/* SPDX-License-Identifier: MIT */
/* psapi's GetProcessMemoryInfo and GetMappedFileNameW/A, also kernel32's K32 names (Windows 7
 * moved psapi into kernel32). GetProcessMemoryInfo: PROCESS_MEMORY_COUNTERS, _EX or _EX2 from NtQueryInformationProcess
 * (ProcessVmCounters, ntemu/info.c), whose figures come from /proc (working set = resident
 * pages, pagefile usage = private committed memory). A buffer smaller than
 * PROCESS_MEMORY_COUNTERS is ERROR_INSUFFICIENT_BUFFER; a bad one an access violation in the
 * caller, as Windows' copy faults. */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/sysinfo.h>
#include "thunks/kernel32/kernel32_private.h"
#include "thunks/psapi/psapi_private.h"

#define PSAPI_ProcessVmCounters 3
#define PSAPI_ERROR_BAD_LENGTH 24u

typedef struct {
    uint32_t cb;                        /* 0x00 */
    uint32_t PageFaultCount;            /* 0x04 */
    SIZE_T PeakWorkingSetSize;          /* 0x08 */
    SIZE_T WorkingSetSize;              /* 0x10 */
    SIZE_T QuotaPeakPagedPoolUsage;     /* 0x18 */
    SIZE_T QuotaPagedPoolUsage;         /* 0x20 */
    SIZE_T QuotaPeakNonPagedPoolUsage;  /* 0x28 */
    SIZE_T QuotaNonPagedPoolUsage;      /* 0x30 */
    SIZE_T PagefileUsage;               /* 0x38 */
    SIZE_T PeakPagefileUsage;           /* 0x40 */
    SIZE_T PrivateUsage;                /* 0x48: PROCESS_MEMORY_COUNTERS_EX */
    SIZE_T PrivateWorkingSetSize;       /* 0x50: PROCESS_MEMORY_COUNTERS_EX2 */
    SIZE_T SharedCommitUsage;           /* 0x58 */
} psapi_memory_counters;
_Static_assert(offsetof(psapi_memory_counters, PeakPagefileUsage) == 0x40, "PMC");
_Static_assert(sizeof(psapi_memory_counters) == 0x60, "PROCESS_MEMORY_COUNTERS_EX2");
#define PSAPI_PMC_SIZE 0x48

typedef struct { /* VM_COUNTERS_EX2 */
    SIZE_T PeakVirtualSize, VirtualSize;
    uint32_t PageFaultCount, pad;
    SIZE_T PeakWorkingSetSize, WorkingSetSize, QuotaPeakPagedPoolUsage, QuotaPagedPoolUsage,
        QuotaPeakNonPagedPoolUsage, QuotaNonPagedPoolUsage, PagefileUsage, PeakPagefileUsage,
        PrivateUsage, PrivateWorkingSetSize, SharedCommitUsage;
} psapi_vm_counters;
_Static_assert(sizeof(psapi_vm_counters) == 0x70, "VM_COUNTERS_EX2");

static BOOL WINAPI psapi_GetProcessMemoryInfo(HANDLE process, psapi_memory_counters *pmc,
                                              uint32_t cb)
{
    if (cb < PSAPI_PMC_SIZE) {
        thk_set_last_error(ERROR_INSUFFICIENT_BUFFER);
        return FALSE;
    }
    psapi_vm_counters v;
    NTSTATUS st = NtQueryInformationProcess(process, PSAPI_ProcessVmCounters, &v, sizeof v, NULL);
    if (!NT_SUCCESS(st)) {
        thk_set_last_status(st);
        return FALSE;
    }
    psapi_memory_counters c = {
        .cb = cb < sizeof c ? cb : (uint32_t)sizeof c,
        .PageFaultCount = v.PageFaultCount,
        .PeakWorkingSetSize = v.PeakWorkingSetSize,
        .WorkingSetSize = v.WorkingSetSize,
        .QuotaPeakPagedPoolUsage = v.QuotaPeakPagedPoolUsage,
        .QuotaPagedPoolUsage = v.QuotaPagedPoolUsage,
        .QuotaPeakNonPagedPoolUsage = v.QuotaPeakNonPagedPoolUsage,
        .QuotaNonPagedPoolUsage = v.QuotaNonPagedPoolUsage,
        .PagefileUsage = v.PagefileUsage,
        .PeakPagefileUsage = v.PeakPagefileUsage,
        .PrivateUsage = v.PrivateUsage,
        .PrivateWorkingSetSize = v.PrivateWorkingSetSize,
        .SharedCommitUsage = v.SharedCommitUsage,
    };
    memcpy(pmc, &c, c.cb);
    return TRUE;
}
THK_EXPORT_AS(psapi, GetProcessMemoryInfo, psapi_GetProcessMemoryInfo, 3);
THK_EXPORT_AS(kernel32, K32GetProcessMemoryInfo, psapi_GetProcessMemoryInfo, 3);

/* GetMappedFileNameW/A: the device-form name of the file mapped at `addr` (an image or a view
 * of a file; NtQueryVirtualMemory's MemoryMappedFilenameInformation), cut to `size` characters
 * with its terminator; the length copied without it. */
static DWORD WINAPI psapi_GetMappedFileNameW(HANDLE process, void *addr, WCHAR *buf, DWORD size)
{
    if (!size) {
        thk_set_last_error(ERROR_INSUFFICIENT_BUFFER);
        return 0;
    }
    static const SIZE_T cap = sizeof(UNICODE_STRING) + 0x10000;
    uint8_t *tmp = malloc(cap);
    if (!tmp) {
        thk_set_last_error(ERROR_NOT_ENOUGH_MEMORY);
        return 0;
    }
    NTSTATUS st = NtQueryVirtualMemory(process, addr, 2 /* MemoryMappedFilenameInformation */,
                                       tmp, cap, NULL);
    if (!NT_SUCCESS(st)) {
        free(tmp);
        thk_set_last_status(st);
        return 0;
    }
    UNICODE_STRING us;
    memcpy(&us, tmp, sizeof us);
    DWORD n = us.Length / sizeof(WCHAR);
    if (n >= size)
        n = size - 1;
    if (rt_safe_copy(buf, tmp + sizeof us, n * sizeof(WCHAR)) != 0 ||
        rt_safe_copy(buf + n, u"", sizeof(WCHAR)) != 0) {
        free(tmp);
        thk_set_last_error(ERROR_NOACCESS);
        return 0;
    }
    free(tmp);
    return n;
}
THK_EXPORT_AS(psapi, GetMappedFileNameW, psapi_GetMappedFileNameW, 4);
THK_EXPORT_AS(kernel32, K32GetMappedFileNameW, psapi_GetMappedFileNameW, 4);

static DWORD WINAPI psapi_GetMappedFileNameA(HANDLE process, void *addr, char *buf, DWORD size)
{
    return psapi_name_a(process, addr, buf, size, psapi_GetMappedFileNameW);
}
THK_EXPORT_AS(psapi, GetMappedFileNameA, psapi_GetMappedFileNameA, 4);
THK_EXPORT_AS(kernel32, K32GetMappedFileNameA, psapi_GetMappedFileNameA, 4);

/* PERFORMANCE_INFORMATION (0x68 bytes); the sizes are counts of pages. */
typedef struct {
    uint32_t cb;                /* 0x00 */
    SIZE_T CommitTotal;         /* 0x08 */
    SIZE_T CommitLimit;         /* 0x10 */
    SIZE_T CommitPeak;          /* 0x18 */
    SIZE_T PhysicalTotal;       /* 0x20 */
    SIZE_T PhysicalAvailable;   /* 0x28 */
    SIZE_T SystemCache;         /* 0x30 */
    SIZE_T KernelTotal;         /* 0x38 */
    SIZE_T KernelPaged;         /* 0x40 */
    SIZE_T KernelNonpaged;      /* 0x48 */
    SIZE_T PageSize;            /* 0x50 */
    uint32_t HandleCount;       /* 0x58 */
    uint32_t ProcessCount;      /* 0x5c */
    uint32_t ThreadCount;       /* 0x60 */
} psapi_performance_info;
_Static_assert(offsetof(psapi_performance_info, HandleCount) == 0x58, "PERFORMANCE_INFORMATION");
_Static_assert(sizeof(psapi_performance_info) == 0x68, "PERFORMANCE_INFORMATION");

/* A /proc/meminfo line's value in kB, 0 when absent. */
static uint64_t psapi_meminfo_kb(const char *text, const char *key)
{
    const char *p = text;
    size_t n = strlen(key);
    while (p && *p) {
        if (!strncmp(p, key, n) && p[n] == ':')
            return strtoull(p + n + 1, NULL, 10);
        p = strchr(p, '\n');
        if (p)
            p++;
    }
    return 0;
}

static uint32_t psapi_count_processes(void)
{
    DIR *d = opendir("/proc");
    uint32_t n = 0;
    if (!d)
        return 1;
    struct dirent *e;
    while ((e = readdir(d)))
        if (e->d_name[0] >= '1' && e->d_name[0] <= '9')
            n++;
    closedir(d);
    return n ? n : 1;
}

/* GetPerformanceInfo (K32GetPerformanceInfo): the system's memory in pages, from the host's
 * /proc/meminfo, and its process, thread and handle counts (the system's pids, its tasks and
 * /proc/sys/fs/file-nr's open files). Commit is Committed_AS against RAM + swap (Windows'
 * commit limit is RAM + page file; a Linux total that overcommits past it raises the limit to
 * the total, since Windows never reports a total above its limit); no peak is kept, so the
 * peak is the total. Deno asks it for its system memory figures. A size smaller than the
 * record is ERROR_BAD_LENGTH (as Wine's psapi tests find on Windows). */
static BOOL WINAPI psapi_GetPerformanceInfo(psapi_performance_info *info, uint32_t cb)
{
    if (cb < sizeof *info) {
        thk_set_last_error(PSAPI_ERROR_BAD_LENGTH);
        return FALSE;
    }
    char text[8192];
    size_t got = 0;
    FILE *f = fopen("/proc/meminfo", "re");
    if (f) {
        got = fread(text, 1, sizeof text - 1, f);
        fclose(f);
    }
    text[got] = 0;
    struct sysinfo si;
    if (sysinfo(&si) != 0)
        memset(&si, 0, sizeof si);
    uint64_t unit = si.mem_unit ? si.mem_unit : 1, page = 4096;
    uint64_t total = (uint64_t)si.totalram * unit / page;
    uint64_t avail = psapi_meminfo_kb(text, "MemAvailable") * 1024 / page;
    uint64_t commit = psapi_meminfo_kb(text, "Committed_AS") * 1024 / page;
    uint64_t limit = total + (uint64_t)si.totalswap * unit / page;
    uint64_t paged = psapi_meminfo_kb(text, "SReclaimable") * 1024 / page;
    uint64_t nonpaged = psapi_meminfo_kb(text, "SUnreclaim") * 1024 / page;
    unsigned long handles = 0;
    f = fopen("/proc/sys/fs/file-nr", "re");
    if (f) {
        if (fscanf(f, "%lu", &handles) != 1)
            handles = 0;
        fclose(f);
    }
    psapi_performance_info p = {
        .cb = sizeof p,
        .CommitTotal = commit,
        .CommitLimit = commit > limit ? commit : limit,
        .CommitPeak = commit,
        .PhysicalTotal = total,
        .PhysicalAvailable = avail < total ? avail : total,
        .SystemCache = psapi_meminfo_kb(text, "Cached") * 1024 / page,
        .KernelTotal = paged + nonpaged,
        .KernelPaged = paged,
        .KernelNonpaged = nonpaged,
        .PageSize = page,
        .HandleCount = (uint32_t)(handles ? handles : 1),
        .ProcessCount = psapi_count_processes(),
        .ThreadCount = si.procs ? si.procs : 1,
    };
    if (p.ThreadCount < p.ProcessCount)
        p.ThreadCount = p.ProcessCount;
    if (rt_safe_copy(info, &p, sizeof p) != 0) {
        thk_set_last_error(ERROR_NOACCESS);
        return FALSE;
    }
    return TRUE;
}
THK_EXPORT_AS(psapi, GetPerformanceInfo, psapi_GetPerformanceInfo, 2);
THK_EXPORT_AS(kernel32, K32GetPerformanceInfo, psapi_GetPerformanceInfo, 2);
