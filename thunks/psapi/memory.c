/* SPDX-License-Identifier: MIT */
/* psapi's GetProcessMemoryInfo and GetMappedFileNameW/A, also kernel32's K32 names (Windows 7
 * moved psapi into kernel32). GetProcessMemoryInfo: PROCESS_MEMORY_COUNTERS, _EX or _EX2 from NtQueryInformationProcess
 * (ProcessVmCounters, ntemu/info.c), whose figures come from /proc (working set = resident
 * pages, pagefile usage = private committed memory). A buffer smaller than
 * PROCESS_MEMORY_COUNTERS is ERROR_INSUFFICIENT_BUFFER; a bad one an access violation in the
 * caller, as Windows' copy faults. */
#include <stdlib.h>
#include <string.h>
#include "thunks/kernel32/kernel32_private.h"

#define PSAPI_ProcessVmCounters 3

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
    WCHAR *w = malloc(0x8000 * sizeof(WCHAR));
    if (!w) {
        thk_set_last_error(ERROR_NOT_ENOUGH_MEMORY);
        return 0;
    }
    DWORD n = psapi_GetMappedFileNameW(process, addr, w, 0x8000);
    if (!n || !size) {
        free(w);
        if (n && !size)
            thk_set_last_error(ERROR_INSUFFICIENT_BUFFER);
        return 0;
    }
    char *a = k32_w_to_a(w, n);
    free(w);
    if (!a) {
        thk_set_last_error(ERROR_NOT_ENOUGH_MEMORY);
        return 0;
    }
    DWORD len = (DWORD)strlen(a);
    if (len >= size)
        len = size - 1;
    int bad = rt_safe_copy(buf, a, len) != 0 || rt_safe_copy(buf + len, "", 1) != 0;
    free(a);
    if (bad) {
        thk_set_last_error(ERROR_NOACCESS);
        return 0;
    }
    return len;
}
THK_EXPORT_AS(psapi, GetMappedFileNameA, psapi_GetMappedFileNameA, 4);
THK_EXPORT_AS(kernel32, K32GetMappedFileNameA, psapi_GetMappedFileNameA, 4);
