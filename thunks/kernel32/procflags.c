/* SPDX-License-Identifier: MIT */
/* kernel32 process and thread settings that runtimes set at start-up: SetErrorMode /
 * GetErrorMode / Set/GetThreadErrorMode, Get/SetProcessAffinityMask, Set/GetProcessPriorityBoost,
 * SetThreadStackGuarantee, Set/GetHandleInformation, Get/SetPriorityClass (over nice values:
 * ntemu/info.c), and GetProcessIoCounters (libuv's
 * uv_getrusage: Node.js's process.cpuUsage and resourceUsage). Each is the Win32 face of an NT call
 * (NtSet/QueryInformationProcess, NtSet/QueryInformationObject) or of a TEB field, as on
 * Windows. None changes how Linux runs the process: the error mode has no dialogs to suppress,
 * priority boosts and affinity stay the scheduler's. */
#include "thunks/kernel32/kernel32_private.h"

#define K32_SEM_FAILCRITICALERRORS 0x0001u
#define K32_SEM_NOGPFAULTERRORBOX 0x0002u
#define K32_SEM_NOALIGNMENTFAULTEXCEPT 0x0004u
#define K32_SEM_NOOPENFILEERRORBOX 0x8000u
#define K32_SEM_VALID (K32_SEM_FAILCRITICALERRORS | K32_SEM_NOGPFAULTERRORBOX | \
                       K32_SEM_NOALIGNMENTFAULTEXCEPT | K32_SEM_NOOPENFILEERRORBOX)
#define K32_ProcessDefaultHardErrorMode 12
#define K32_ProcessBasicInformation 0
#define K32_ProcessIoCounters 2
#define K32_ProcessAffinityMask 21
#define K32_ProcessPriorityBoost 22
#define K32_ProcessPriorityClass 18
#define K32_SystemBasicInformation 0
#define K32_ObjectHandleFlagInformation 4

/* The kernel keeps the hard error mode with SEM_FAILCRITICALERRORS inverted (its default 1
 * reads as GetErrorMode() == 0), as Windows' kernel32 does. */
static UINT k32_error_mode_from_nt(uint32_t v) { return (v ^ K32_SEM_FAILCRITICALERRORS); }

UINT WINAPI GetErrorMode(void)
{
    uint32_t v = 0;
    NtQueryInformationProcess(NtCurrentProcess(), K32_ProcessDefaultHardErrorMode, &v, sizeof v,
                              NULL);
    return k32_error_mode_from_nt(v);
}
THK_EXPORT(kernel32, GetErrorMode, 0);

UINT WINAPI SetErrorMode(UINT mode)
{
    UINT old = GetErrorMode();
    uint32_t v = (mode ^ K32_SEM_FAILCRITICALERRORS);
    NtSetInformationProcess(NtCurrentProcess(), K32_ProcessDefaultHardErrorMode, &v, sizeof v);
    return old;
}
THK_EXPORT(kernel32, SetErrorMode, 1);

/* The per-thread mode (Windows 7+) lives in the TEB's HardErrorMode on Windows; ntrun keeps it
 * per thread here, since nothing reads it but GetThreadErrorMode. */
static __thread DWORD k32_thread_error_mode;

DWORD WINAPI GetThreadErrorMode(void) { return k32_thread_error_mode; }
THK_EXPORT(kernel32, GetThreadErrorMode, 0);

BOOL WINAPI SetThreadErrorMode(DWORD mode, DWORD *old)
{
    if (mode & ~(K32_SEM_FAILCRITICALERRORS | K32_SEM_NOGPFAULTERRORBOX |
                 K32_SEM_NOOPENFILEERRORBOX)) {
        thk_set_last_error(ERROR_INVALID_PARAMETER);
        return FALSE;
    }
    if (old)
        *old = k32_thread_error_mode;
    k32_thread_error_mode = mode;
    return TRUE;
}
THK_EXPORT(kernel32, SetThreadErrorMode, 2);

typedef struct {
    NTSTATUS ExitStatus;         /* 0x00 */
    void *PebBaseAddress;        /* 0x08 */
    ULONG_PTR AffinityMask;      /* 0x10 */
    int32_t BasePriority;        /* 0x18 */
    ULONG_PTR UniqueProcessId;   /* 0x20 */
    ULONG_PTR InheritedFromUniqueProcessId; /* 0x28 */
} k32_process_basic_info;
_Static_assert(sizeof(k32_process_basic_info) == 0x30, "PROCESS_BASIC_INFORMATION");

typedef struct {
    uint32_t Reserved;                       /* 0x00 */
    uint32_t TimerResolution;                /* 0x04 */
    uint32_t PageSize;                       /* 0x08 */
    uint32_t NumberOfPhysicalPages;          /* 0x0c */
    uint32_t LowestPhysicalPageNumber;       /* 0x10 */
    uint32_t HighestPhysicalPageNumber;      /* 0x14 */
    uint32_t AllocationGranularity;          /* 0x18 */
    ULONG_PTR MinimumUserModeAddress;        /* 0x20 */
    ULONG_PTR MaximumUserModeAddress;        /* 0x28 */
    ULONG_PTR ActiveProcessorsAffinityMask;  /* 0x30 */
    uint8_t NumberOfProcessors;              /* 0x38 */
} k32_system_basic_info;
_Static_assert(sizeof(k32_system_basic_info) == 0x40, "SYSTEM_BASIC_INFORMATION");

BOOL WINAPI GetProcessAffinityMask(HANDLE process, ULONG_PTR *proc_mask, ULONG_PTR *sys_mask)
{
    k32_process_basic_info pbi;
    k32_system_basic_info sbi;
    NTSTATUS st = NtQueryInformationProcess(process, K32_ProcessBasicInformation, &pbi,
                                            sizeof pbi, NULL);
    if (NT_SUCCESS(st))
        st = NtQuerySystemInformation(K32_SystemBasicInformation, &sbi, sizeof sbi, NULL);
    if (!NT_SUCCESS(st)) {
        thk_set_last_status(st);
        return FALSE;
    }
    if (proc_mask)
        *proc_mask = pbi.AffinityMask;
    if (sys_mask)
        *sys_mask = sbi.ActiveProcessorsAffinityMask;
    return TRUE;
}
THK_EXPORT(kernel32, GetProcessAffinityMask, 3);

BOOL WINAPI SetProcessAffinityMask(HANDLE process, ULONG_PTR mask)
{
    NTSTATUS st = NtSetInformationProcess(process, K32_ProcessAffinityMask, &mask, sizeof mask);
    if (!NT_SUCCESS(st)) {
        thk_set_last_status(st);
        return FALSE;
    }
    return TRUE;
}
THK_EXPORT(kernel32, SetProcessAffinityMask, 2);

BOOL WINAPI SetProcessPriorityBoost(HANDLE process, BOOL disable)
{
    uint32_t v = disable != 0;
    NTSTATUS st = NtSetInformationProcess(process, K32_ProcessPriorityBoost, &v, sizeof v);
    if (!NT_SUCCESS(st)) {
        thk_set_last_status(st);
        return FALSE;
    }
    return TRUE;
}
THK_EXPORT(kernel32, SetProcessPriorityBoost, 2);

BOOL WINAPI GetProcessPriorityBoost(HANDLE process, BOOL *disabled)
{
    uint32_t v = 0;
    NTSTATUS st = NtQueryInformationProcess(process, K32_ProcessPriorityBoost, &v, sizeof v,
                                            NULL);
    if (!NT_SUCCESS(st)) {
        thk_set_last_status(st);
        return FALSE;
    }
    if (disabled)
        *disabled = v != 0;
    return TRUE;
}
THK_EXPORT(kernel32, GetProcessPriorityBoost, 2);

/* Priority classes: the Win32 constants and PROCESS_PRIORITY_CLASS.PriorityClass (the kernel's
 * numbering), in the same order. */
static const DWORD k32_priority_classes[] = {
    0,      /* 0: none */
    0x40,   /* 1: IDLE_PRIORITY_CLASS */
    0x20,   /* 2: NORMAL_PRIORITY_CLASS */
    0x80,   /* 3: HIGH_PRIORITY_CLASS */
    0x100,  /* 4: REALTIME_PRIORITY_CLASS */
    0x4000, /* 5: BELOW_NORMAL_PRIORITY_CLASS */
    0x8000, /* 6: ABOVE_NORMAL_PRIORITY_CLASS */
};

typedef struct {
    BOOLEAN Foreground;    /* 0x00 */
    uint8_t PriorityClass; /* 0x01 */
} k32_process_priority_class;
_Static_assert(sizeof(k32_process_priority_class) == 2, "PROCESS_PRIORITY_CLASS");

/* DWORD GetPriorityClass(HANDLE): NtQueryInformationProcess(ProcessPriorityClass); 0 and the
 * last error on failure (a bad handle: ERROR_INVALID_HANDLE). */
DWORD WINAPI GetPriorityClass(HANDLE process)
{
    k32_process_priority_class pc = {0, 0};
    NTSTATUS st = NtQueryInformationProcess(process, K32_ProcessPriorityClass, &pc, sizeof pc,
                                            NULL);
    if (!NT_SUCCESS(st)) {
        thk_set_last_status(st);
        return 0;
    }
    return pc.PriorityClass < sizeof k32_priority_classes / sizeof k32_priority_classes[0]
               ? k32_priority_classes[pc.PriorityClass]
               : 0x20;
}
THK_EXPORT(kernel32, GetPriorityClass, 1);

/* BOOL SetPriorityClass(HANDLE, DWORD): one of the six classes, else ERROR_INVALID_PARAMETER
 * (so are PROCESS_MODE_BACKGROUND_BEGIN/END, not done); NtSetInformationProcess(
 * ProcessPriorityClass) does the rest. */
BOOL WINAPI SetPriorityClass(HANDLE process, DWORD klass)
{
    k32_process_priority_class pc = {0, 0};
    for (uint8_t i = 1; i < sizeof k32_priority_classes / sizeof k32_priority_classes[0]; i++)
        if (k32_priority_classes[i] == klass)
            pc.PriorityClass = i;
    if (!pc.PriorityClass) {
        thk_set_last_error(ERROR_INVALID_PARAMETER);
        return FALSE;
    }
    NTSTATUS st = NtSetInformationProcess(process, K32_ProcessPriorityClass, &pc, sizeof pc);
    if (!NT_SUCCESS(st)) {
        thk_set_last_status(st);
        return FALSE;
    }
    return TRUE;
}
THK_EXPORT(kernel32, SetPriorityClass, 2);

/* IO_COUNTERS of the process (NtQueryInformationProcess(ProcessIoCounters): the current one or
 * a child), written into the caller's 0x30 bytes. */
BOOL WINAPI GetProcessIoCounters(HANDLE process, void *counters)
{
    NTSTATUS st = NtQueryInformationProcess(process, K32_ProcessIoCounters, counters, 0x30, NULL);
    if (!NT_SUCCESS(st)) {
        thk_set_last_status(st);
        return FALSE;
    }
    return TRUE;
}
THK_EXPORT(kernel32, GetProcessIoCounters, 2);

/* The stack kept for the stack-overflow handler: Windows records it in the TEB and reports the
 * previous value; a request smaller than the current guarantee leaves it alone. Returning
 * FALSE here is fatal to older Rust programs, so only a NULL pointer fails. */
BOOL WINAPI SetThreadStackGuarantee(ULONG *size)
{
    TEB *teb = rt_current_teb();
    if (!size || !teb) {
        thk_set_last_error(ERROR_INVALID_PARAMETER);
        return FALSE;
    }
    ULONG prev = teb->GuaranteedStackBytes;
    ULONG want = *size;
    if (want > prev)
        teb->GuaranteedStackBytes = (want + 0xfff) & ~0xfffu;
    *size = prev;
    return TRUE;
}
THK_EXPORT(kernel32, SetThreadStackGuarantee, 1);

/* HANDLE_FLAG_INHERIT and HANDLE_FLAG_PROTECT_FROM_CLOSE, over the object handle flags. */
typedef struct {
    BOOLEAN Inherit;          /* 0x00 */
    BOOLEAN ProtectFromClose; /* 0x01 */
} k32_handle_flags;

BOOL WINAPI GetHandleInformation(HANDLE h, DWORD *flags)
{
    k32_handle_flags f;
    NTSTATUS st = NtQueryObject(h, K32_ObjectHandleFlagInformation, &f, sizeof f,
                                           NULL);
    if (!NT_SUCCESS(st)) {
        thk_set_last_status(st);
        return FALSE;
    }
    if (flags)
        *flags = (f.Inherit ? 1u : 0u) | (f.ProtectFromClose ? 2u : 0u);
    return TRUE;
}
THK_EXPORT(kernel32, GetHandleInformation, 2);

BOOL WINAPI SetHandleInformation(HANDLE h, DWORD mask, DWORD flags)
{
    k32_handle_flags f;
    NTSTATUS st = NtQueryObject(h, K32_ObjectHandleFlagInformation, &f, sizeof f,
                                           NULL);
    if (NT_SUCCESS(st)) {
        if (mask & 1)
            f.Inherit = (flags & 1) != 0;
        if (mask & 2)
            f.ProtectFromClose = (flags & 2) != 0;
        st = NtSetInformationObject(h, K32_ObjectHandleFlagInformation, &f, sizeof f);
    }
    if (!NT_SUCCESS(st)) {
        thk_set_last_status(st);
        return FALSE;
    }
    return TRUE;
}
THK_EXPORT(kernel32, SetHandleInformation, 3);
