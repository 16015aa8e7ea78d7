/* SPDX-License-Identifier: MIT */
/* Job objects (CreateJobObjectW/A, AssignProcessToJobObject, SetInformationJobObject with
 * JOB_OBJECT_LIMIT_KILL_ON_JOB_CLOSE, JOB_OBJECT_LIMIT_ACTIVE_PROCESS, the process and job
 * memory limits (JobObjectExtendedLimitInformation, with the peaks read back), a completion port and
 * what the job time limit does (JobObjectEndOfJobTimeInformation),
 * TerminateJobObject, QueryInformationJobObject's basic accounting and limits, IsProcessInJob)
 * on ntemu/job.c. Names and other limits are accepted and not enforced. */
#include <string.h>
#include "thunks/kernel32/kernel32_private.h"

#define K32_JobObjectBasicAccountingInformation 1
#define K32_JobObjectBasicLimitInformation 2
#define K32_JobObjectBasicProcessIdList 3
#define K32_ERROR_MORE_DATA 234
#define K32_JobObjectExtendedLimitInformation 9
#define K32_JobObjectAssociateCompletionPortInformation 7
#define K32_JobObjectEndOfJobTimeInformation 6
#define K32_ERROR_BAD_LENGTH 24
#define K32_JOB_LIMIT_PROCESS_MEMORY 0x100
#define K32_JOB_LIMIT_JOB_MEMORY 0x200

typedef struct {
    LARGE_INTEGER TotalUserTime;             /* 0x00 */
    LARGE_INTEGER TotalKernelTime;           /* 0x08 */
    LARGE_INTEGER ThisPeriodTotalUserTime;   /* 0x10 */
    LARGE_INTEGER ThisPeriodTotalKernelTime; /* 0x18 */
    DWORD TotalPageFaultCount;               /* 0x20 */
    DWORD TotalProcesses;                    /* 0x24 */
    DWORD ActiveProcesses;                   /* 0x28 */
    DWORD TotalTerminatedProcesses;          /* 0x2c */
} K32_JOBOBJECT_BASIC_ACCOUNTING_INFORMATION;
_Static_assert(sizeof(K32_JOBOBJECT_BASIC_ACCOUNTING_INFORMATION) == 0x30, "JOBOBJECT_BASIC_ACCOUNTING_INFORMATION");

typedef struct {
    LARGE_INTEGER PerProcessUserTimeLimit; /* 0x00 */
    LARGE_INTEGER PerJobUserTimeLimit;     /* 0x08 */
    DWORD LimitFlags;                      /* 0x10 */
    SIZE_T MinimumWorkingSetSize;          /* 0x18 */
    SIZE_T MaximumWorkingSetSize;          /* 0x20 */
    DWORD ActiveProcessLimit;              /* 0x28 */
    ULONG_PTR Affinity;                    /* 0x30 */
    DWORD PriorityClass;                   /* 0x38 */
    DWORD SchedulingClass;                 /* 0x3c */
} K32_JOBOBJECT_BASIC_LIMIT_INFORMATION;
_Static_assert(offsetof(K32_JOBOBJECT_BASIC_LIMIT_INFORMATION, LimitFlags) == 0x10, "LimitFlags");
_Static_assert(sizeof(K32_JOBOBJECT_BASIC_LIMIT_INFORMATION) == 0x40, "JOBOBJECT_BASIC_LIMIT_INFORMATION");

typedef struct {
    K32_JOBOBJECT_BASIC_LIMIT_INFORMATION BasicLimitInformation; /* 0x00 */
    uint64_t IoInfo[6];                                          /* 0x40: IO_COUNTERS */
    SIZE_T ProcessMemoryLimit;                                   /* 0x70 */
    SIZE_T JobMemoryLimit;                                       /* 0x78 */
    SIZE_T PeakProcessMemoryUsed;                                /* 0x80 */
    SIZE_T PeakJobMemoryUsed;                                    /* 0x88 */
} K32_JOBOBJECT_EXTENDED_LIMIT_INFORMATION;
_Static_assert(sizeof(K32_JOBOBJECT_EXTENDED_LIMIT_INFORMATION) == 0x90, "JOBOBJECT_EXTENDED_LIMIT_INFORMATION");

typedef struct {
    void *CompletionKey;   /* 0x00 */
    HANDLE CompletionPort; /* 0x08 */
} K32_JOBOBJECT_ASSOCIATE_COMPLETION_PORT;
_Static_assert(sizeof(K32_JOBOBJECT_ASSOCIATE_COMPLETION_PORT) == 0x10, "JOBOBJECT_ASSOCIATE_COMPLETION_PORT");

typedef struct {
    DWORD nLength;               /* 0x00 */
    void *lpSecurityDescriptor;  /* 0x08 */
    BOOL bInheritHandle;         /* 0x10 */
} K32_JOB_SA;

static BOOL k32_job_status(NTSTATUS st)
{
    if (!NT_SUCCESS(st)) {
        thk_set_last_status(st);
        return FALSE;
    }
    return TRUE;
}

HANDLE WINAPI CreateJobObjectW(K32_JOB_SA *sa, const WCHAR *name)
{
    HANDLE h = NULL;
    if (!k32_job_status(nt_job_create(sa && sa->bInheritHandle, &h)))
        return NULL;
    thk_set_last_error(ERROR_SUCCESS);
    return h;
}
THK_EXPORT(kernel32, CreateJobObjectW, 2);

HANDLE WINAPI CreateJobObjectA(K32_JOB_SA *sa, const char *name)
{
    return CreateJobObjectW(sa, NULL);
}
THK_EXPORT(kernel32, CreateJobObjectA, 2);

BOOL WINAPI AssignProcessToJobObject(HANDLE job, HANDLE process)
{
    return k32_job_status(nt_job_assign(job, process));
}
THK_EXPORT(kernel32, AssignProcessToJobObject, 2);

BOOL WINAPI TerminateJobObject(HANDLE job, UINT code)
{
    return k32_job_status(nt_job_terminate(job, code));
}
THK_EXPORT(kernel32, TerminateJobObject, 2);

BOOL WINAPI SetInformationJobObject(HANDLE job, int klass, void *info, DWORD len)
{
    nt_job_accounting acc;
    if (!k32_job_status(nt_job_query(job, &acc)))
        return FALSE;
    if (klass == K32_JobObjectAssociateCompletionPortInformation) {
        if (!info || len != sizeof(K32_JOBOBJECT_ASSOCIATE_COMPLETION_PORT)) {
            thk_set_last_error(K32_ERROR_BAD_LENGTH);
            return FALSE;
        }
        K32_JOBOBJECT_ASSOCIATE_COMPLETION_PORT a;
        memcpy(&a, info, sizeof a);
        return k32_job_status(nt_job_set_port(job, a.CompletionPort, (ULONG_PTR)a.CompletionKey));
    }
    if (klass == K32_JobObjectEndOfJobTimeInformation) { /* JOBOBJECT_END_OF_JOB_TIME_INFORMATION */
        DWORD action;
        if (!info || len != sizeof action) {
            thk_set_last_error(K32_ERROR_BAD_LENGTH);
            return FALSE;
        }
        memcpy(&action, info, sizeof action);
        return k32_job_status(nt_job_set_end_of_job(job, action));
    }
    size_t need = klass == K32_JobObjectBasicLimitInformation ? sizeof(K32_JOBOBJECT_BASIC_LIMIT_INFORMATION)
                  : klass == K32_JobObjectExtendedLimitInformation
                      ? sizeof(K32_JOBOBJECT_EXTENDED_LIMIT_INFORMATION)
                      : 0;
    if (!need) /* other classes: accepted, not enforced */
        return TRUE;
    if (!info || len != need) {
        thk_set_last_error(K32_ERROR_BAD_LENGTH);
        return FALSE;
    }
    K32_JOBOBJECT_EXTENDED_LIMIT_INFORMATION e;
    memset(&e, 0, sizeof e);
    memcpy(&e, info, need);
    if (klass == K32_JobObjectBasicLimitInformation) /* no memory limits in the basic class */
        e.BasicLimitInformation.LimitFlags &= ~(DWORD)(K32_JOB_LIMIT_PROCESS_MEMORY |
                                                       K32_JOB_LIMIT_JOB_MEMORY);
    if (!k32_job_status(nt_job_set_time_limits(job,
                                               e.BasicLimitInformation.PerProcessUserTimeLimit.QuadPart,
                                               e.BasicLimitInformation.PerJobUserTimeLimit.QuadPart)))
        return FALSE;
    return k32_job_status(nt_job_set_limits(job, e.BasicLimitInformation.LimitFlags,
                                            e.BasicLimitInformation.ActiveProcessLimit,
                                            e.ProcessMemoryLimit, e.JobMemoryLimit));
}
THK_EXPORT(kernel32, SetInformationJobObject, 4);

/* JOBOBJECT_BASIC_PROCESS_ID_LIST: NumberOfAssignedProcesses, NumberOfProcessIdsInList, then
 * a ULONG_PTR per process that fits (ERROR_MORE_DATA when not all do). */
static BOOL k32_job_pid_list(HANDLE job, void *info, DWORD len, DWORD *ret)
{
    if (!info || len < 16) {
        thk_set_last_error(K32_ERROR_BAD_LENGTH);
        return FALSE;
    }
    size_t room = (len - 8) / sizeof(ULONG_PTR), count = 0;
    uint32_t pids[256];
    if (!k32_job_status(nt_job_pids(job, pids, 256, &count)))
        return FALSE;
    size_t listed = count < room ? count : room;
    if (listed > 256)
        listed = 256;
    DWORD head[2] = {(DWORD)count, (DWORD)listed};
    memcpy(info, head, sizeof head);
    for (size_t i = 0; i < listed; i++) {
        ULONG_PTR v = pids[i];
        memcpy((char *)info + 8 + i * sizeof v, &v, sizeof v);
    }
    if (ret)
        *ret = (DWORD)(8 + listed * sizeof(ULONG_PTR));
    if (listed < count) {
        thk_set_last_error(K32_ERROR_MORE_DATA);
        return FALSE;
    }
    return TRUE;
}

BOOL WINAPI QueryInformationJobObject(HANDLE job, int klass, void *info, DWORD len, DWORD *ret)
{
    nt_job_accounting acc;
    if (ret)
        *ret = 0;
    if (!job) { /* the caller's job */
        thk_set_last_error(ERROR_INVALID_HANDLE);
        return FALSE;
    }
    if (!k32_job_status(nt_job_query(job, &acc)))
        return FALSE;
    if (klass == K32_JobObjectBasicProcessIdList)
        return k32_job_pid_list(job, info, len, ret);
    union {
        K32_JOBOBJECT_BASIC_ACCOUNTING_INFORMATION acct;
        K32_JOBOBJECT_EXTENDED_LIMIT_INFORMATION ext;
        DWORD end_of_job_action;
    } u;
    memset(&u, 0, sizeof u);
    size_t need;
    switch (klass) {
    case K32_JobObjectBasicAccountingInformation:
        u.acct.TotalProcesses = acc.total_processes;
        u.acct.ActiveProcesses = acc.active_processes;
        u.acct.TotalTerminatedProcesses = acc.terminated_processes;
        u.acct.TotalUserTime.QuadPart = acc.total_user_time;
        u.acct.ThisPeriodTotalUserTime.QuadPart = acc.total_user_time;
        need = sizeof u.acct;
        break;
    case K32_JobObjectBasicLimitInformation:
    case K32_JobObjectExtendedLimitInformation:
        u.ext.BasicLimitInformation.LimitFlags = acc.limit_flags;
        u.ext.BasicLimitInformation.ActiveProcessLimit = acc.active_limit;
        u.ext.BasicLimitInformation.PerProcessUserTimeLimit.QuadPart = acc.process_time_limit;
        u.ext.BasicLimitInformation.PerJobUserTimeLimit.QuadPart = acc.job_time_limit;
        u.ext.ProcessMemoryLimit = acc.process_memory_limit;
        u.ext.JobMemoryLimit = acc.job_memory_limit;
        u.ext.PeakProcessMemoryUsed = acc.peak_process_memory;
        u.ext.PeakJobMemoryUsed = acc.peak_job_memory;
        need = klass == K32_JobObjectBasicLimitInformation ? sizeof u.ext.BasicLimitInformation
                                                           : sizeof u.ext;
        break;
    case K32_JobObjectEndOfJobTimeInformation:
        u.end_of_job_action = acc.end_of_job_action;
        need = sizeof u.end_of_job_action;
        break;
    default:
        thk_set_last_error(ERROR_INVALID_PARAMETER);
        return FALSE;
    }
    if (!info || len < need) {
        thk_set_last_error(K32_ERROR_BAD_LENGTH);
        return FALSE;
    }
    memcpy(info, &u, need);
    if (ret)
        *ret = (DWORD)need;
    return TRUE;
}
THK_EXPORT(kernel32, QueryInformationJobObject, 5);

BOOL WINAPI IsProcessInJob(HANDLE process, HANDLE job, BOOL *result)
{
    bool in = false;
    if (!k32_job_status(nt_job_contains(job, process, &in)))
        return FALSE;
    if (result)
        *result = in;
    return TRUE;
}
THK_EXPORT(kernel32, IsProcessInJob, 3);
