/* SPDX-License-Identifier: MIT */
/* kernel32 threads and kernel synchronisation objects on top of ntemu/sync.c and thread.c:
 * events, mutexes, semaphores (named ones too), WaitForSingleObject(Ex) and
 * WaitForMultipleObjects(Ex), DuplicateHandle, CreateThread, ExitThread, TerminateThread,
 * GetExitCodeThread, GetThreadId, Resume/SuspendThread, OpenThread, QueueUserAPC (run in
 * alertable waits), thread priorities (accepted, not applied); and the user-mode primitives that need no kernel object: SRW locks, condition
 * variables, WaitOnAddress. (Critical sections, TLS, Sleep and InitOnce: thunks/kernel32/sync.c.)
 *
 * Last errors follow Windows' kernel32: a successful Create* sets 0, or ERROR_ALREADY_EXISTS
 * when a named object existed; failures set RtlNtStatusToDosError of the NTSTATUS
 * (ERROR_INVALID_HANDLE 6 for a bad handle or a wrong object type, ERROR_TOO_MANY_POSTS 298,
 * ERROR_NOT_OWNER 288). A wait that times out returns WAIT_TIMEOUT (258) and leaves the last
 * error alone.
 *
 * Names: "Local\" is dropped (ntrun has one session, where Local\x and x are the same object);
 * every other name, "Global\x" included, is used as given.
 *
 * TerminateThread is limited: the target ends at once when it is running the program's own
 * code, but when it is inside a built-in it ends at that built-in's next wait (a sleep, a wait
 * on an object, a critical section); a built-in that never waits finishes first. As on Windows,
 * it gets no DLL_THREAD_DETACH and critical sections it held stay held. */
#include <errno.h>
#include <linux/futex.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>
#include "thunks/kernel32/kernel32_private.h"

void WINAPI EnterCriticalSection(CRITICAL_SECTION *cs); /* thunks/kernel32/sync.c */
void WINAPI LeaveCriticalSection(CRITICAL_SECTION *cs);

#define K32_WAIT_FAILED 0xffffffffu
#define K32_WAIT_TIMEOUT 258u
#define K32_WAIT_IO_COMPLETION 0xc0u
#define K32_ERROR_ALREADY_EXISTS 183
#define K32_CREATE_EVENT_MANUAL_RESET 0x1
#define K32_CREATE_EVENT_INITIAL_SET 0x2
#define K32_CREATE_MUTEX_INITIAL_OWNER 0x1
#define K32_CREATE_SUSPENDED 0x4
#define K32_STACK_SIZE_PARAM_IS_A_RESERVATION 0x10000
#define K32_THREAD_PRIORITY_ERROR_RETURN 0x7fffffff
#define K32_ERROR_TIMEOUT 1460

static long k32_futex(void *word, int op, uint32_t val, const struct timespec *ts)
{
    return syscall(SYS_futex, word, op | FUTEX_PRIVATE_FLAG, val, ts, NULL, 0);
}

/* ---- names (kernel32_private.h) ---- */
bool k32_name_w(k32_name *n, const WCHAR *name)
{
    memset(n, 0, sizeof *n);
    n->attr.Length = sizeof n->attr;
    if (!name)
        return true;
    static const WCHAR local[] = u"Local\\";
    if (k32_wcsnicmp(name, local, 6) == 0)
        name += 6;
    size_t len = nt_wcslen(name);
    n->us.Buffer = (WCHAR *)name;
    n->us.Length = (uint16_t)(len > 0x7fff ? 0xfffe : len * 2);
    n->us.MaximumLength = n->us.Length;
    n->attr.ObjectName = &n->us;
    return true;
}

bool k32_name_a(k32_name *n, const char *name)
{
    WCHAR *w;
    if (!k32_arg_w(name, &w))
        return false;
    k32_name_w(n, w);
    n->buf = w;
    return true;
}

HANDLE k32_created(NTSTATUS st, HANDLE h, k32_name *n)
{
    free(n->buf);
    if (st == STATUS_OBJECT_NAME_EXISTS) {
        thk_set_last_error(K32_ERROR_ALREADY_EXISTS);
        return h;
    }
    thk_set_last_status(st);
    return st == STATUS_SUCCESS ? h : NULL;
}

HANDLE k32_opened(NTSTATUS st, HANDLE h, k32_name *n)
{
    free(n->buf);
    if (st != STATUS_SUCCESS) {
        thk_set_last_status(st);
        return NULL;
    }
    return h;
}

HANDLE k32_open_w(k32_open_fn open, DWORD access, BOOL inherit, const WCHAR *name)
{
    k32_name n;
    HANDLE h = NULL;
    k32_name_w(&n, name);
    if (inherit)
        n.attr.Attributes |= 0x2u; /* OBJ_INHERIT */
    NTSTATUS st = open(&h, access, &n.attr); /* before h is read */
    return k32_opened(st, h, &n);
}

HANDLE k32_open_a(k32_open_fn open, DWORD access, BOOL inherit, const char *name)
{
    k32_name n;
    HANDLE h = NULL;
    if (!k32_name_a(&n, name))
        return NULL;
    if (inherit)
        n.attr.Attributes |= 0x2u; /* OBJ_INHERIT */
    NTSTATUS st = open(&h, access, &n.attr); /* before h is read */
    return k32_opened(st, h, &n);
}

/* ---- events ---- */
HANDLE WINAPI CreateEventExW(void *sa, const WCHAR *name, DWORD flags, DWORD access)
{
    k32_name n;
    HANDLE h = NULL;
    k32_name_w(&n, name);
    if (k32_sa_inherits(sa))
        n.attr.Attributes |= 0x2u; /* OBJ_INHERIT */
    NTSTATUS st = NtCreateEvent(&h, access, &n.attr,
                                (flags & K32_CREATE_EVENT_MANUAL_RESET) ? NT_NOTIFICATION_EVENT
                                                                        : NT_SYNCHRONIZATION_EVENT,
                                (flags & K32_CREATE_EVENT_INITIAL_SET) != 0);
    return k32_created(st, h, &n);
}
THK_EXPORT(kernel32, CreateEventExW, 4);

HANDLE WINAPI CreateEventExA(void *sa, const char *name, DWORD flags, DWORD access)
{
    k32_name n;
    HANDLE h = NULL;
    if (!k32_name_a(&n, name))
        return NULL;
    if (k32_sa_inherits(sa))
        n.attr.Attributes |= 0x2u; /* OBJ_INHERIT */
    NTSTATUS st = NtCreateEvent(&h, access, &n.attr,
                                (flags & K32_CREATE_EVENT_MANUAL_RESET) ? NT_NOTIFICATION_EVENT
                                                                        : NT_SYNCHRONIZATION_EVENT,
                                (flags & K32_CREATE_EVENT_INITIAL_SET) != 0);
    return k32_created(st, h, &n);
}
THK_EXPORT(kernel32, CreateEventExA, 4);

HANDLE WINAPI CreateEventW(void *sa, BOOL manual, BOOL initial, const WCHAR *name)
{
    return CreateEventExW(sa, name, (manual ? K32_CREATE_EVENT_MANUAL_RESET : 0) |
                                        (initial ? K32_CREATE_EVENT_INITIAL_SET : 0), 0x1f0003);
}
THK_EXPORT(kernel32, CreateEventW, 4);

HANDLE WINAPI CreateEventA(void *sa, BOOL manual, BOOL initial, const char *name)
{
    return CreateEventExA(sa, name, (manual ? K32_CREATE_EVENT_MANUAL_RESET : 0) |
                                        (initial ? K32_CREATE_EVENT_INITIAL_SET : 0), 0x1f0003);
}
THK_EXPORT(kernel32, CreateEventA, 4);

HANDLE WINAPI OpenEventW(DWORD access, BOOL inherit, const WCHAR *name)
{
    return k32_open_w(NtOpenEvent, access, inherit, name);
}
THK_EXPORT(kernel32, OpenEventW, 3);

HANDLE WINAPI OpenEventA(DWORD access, BOOL inherit, const char *name)
{
    return k32_open_a(NtOpenEvent, access, inherit, name);
}
THK_EXPORT(kernel32, OpenEventA, 3);

static BOOL k32_bool(NTSTATUS st)
{
    if (st == STATUS_SUCCESS)
        return TRUE;
    thk_set_last_status(st);
    return FALSE;
}

BOOL WINAPI SetEvent(HANDLE h) { return k32_bool(NtSetEvent(h, NULL)); }
THK_EXPORT(kernel32, SetEvent, 1);
BOOL WINAPI ResetEvent(HANDLE h) { return k32_bool(NtResetEvent(h, NULL)); }
THK_EXPORT(kernel32, ResetEvent, 1);
BOOL WINAPI PulseEvent(HANDLE h) { return k32_bool(NtPulseEvent(h, NULL)); }
THK_EXPORT(kernel32, PulseEvent, 1);

/* ---- mutexes ---- */
HANDLE WINAPI CreateMutexExW(void *sa, const WCHAR *name, DWORD flags, DWORD access)
{
    k32_name n;
    HANDLE h = NULL;
    k32_name_w(&n, name);
    if (k32_sa_inherits(sa))
        n.attr.Attributes |= 0x2u; /* OBJ_INHERIT */
    NTSTATUS st = NtCreateMutant(&h, access, &n.attr, (flags & K32_CREATE_MUTEX_INITIAL_OWNER) != 0);
    return k32_created(st, h, &n);
}
THK_EXPORT(kernel32, CreateMutexExW, 4);

HANDLE WINAPI CreateMutexExA(void *sa, const char *name, DWORD flags, DWORD access)
{
    k32_name n;
    HANDLE h = NULL;
    if (!k32_name_a(&n, name))
        return NULL;
    if (k32_sa_inherits(sa))
        n.attr.Attributes |= 0x2u; /* OBJ_INHERIT */
    NTSTATUS st = NtCreateMutant(&h, access, &n.attr, (flags & K32_CREATE_MUTEX_INITIAL_OWNER) != 0);
    return k32_created(st, h, &n);
}
THK_EXPORT(kernel32, CreateMutexExA, 4);

HANDLE WINAPI CreateMutexW(void *sa, BOOL owner, const WCHAR *name)
{
    return CreateMutexExW(sa, name, owner ? K32_CREATE_MUTEX_INITIAL_OWNER : 0, 0x1f0001);
}
THK_EXPORT(kernel32, CreateMutexW, 3);

HANDLE WINAPI CreateMutexA(void *sa, BOOL owner, const char *name)
{
    return CreateMutexExA(sa, name, owner ? K32_CREATE_MUTEX_INITIAL_OWNER : 0, 0x1f0001);
}
THK_EXPORT(kernel32, CreateMutexA, 3);

HANDLE WINAPI OpenMutexW(DWORD access, BOOL inherit, const WCHAR *name)
{
    return k32_open_w(NtOpenMutant, access, inherit, name);
}
THK_EXPORT(kernel32, OpenMutexW, 3);

HANDLE WINAPI OpenMutexA(DWORD access, BOOL inherit, const char *name)
{
    return k32_open_a(NtOpenMutant, access, inherit, name);
}
THK_EXPORT(kernel32, OpenMutexA, 3);

BOOL WINAPI ReleaseMutex(HANDLE h) { return k32_bool(NtReleaseMutant(h, NULL)); }
THK_EXPORT(kernel32, ReleaseMutex, 1);

/* ---- semaphores ---- */
HANDLE WINAPI CreateSemaphoreExW(void *sa, LONG initial, LONG max, const WCHAR *name,
                                 DWORD flags, DWORD access)
{
    k32_name n;
    HANDLE h = NULL;
    k32_name_w(&n, name);
    if (k32_sa_inherits(sa))
        n.attr.Attributes |= 0x2u; /* OBJ_INHERIT */
    NTSTATUS st = NtCreateSemaphore(&h, access, &n.attr, initial, max);
    return k32_created(st, h, &n);
}
THK_EXPORT(kernel32, CreateSemaphoreExW, 6);

HANDLE WINAPI CreateSemaphoreExA(void *sa, LONG initial, LONG max, const char *name,
                                 DWORD flags, DWORD access)
{
    k32_name n;
    HANDLE h = NULL;
    if (!k32_name_a(&n, name))
        return NULL;
    if (k32_sa_inherits(sa))
        n.attr.Attributes |= 0x2u; /* OBJ_INHERIT */
    NTSTATUS st = NtCreateSemaphore(&h, access, &n.attr, initial, max);
    return k32_created(st, h, &n);
}
THK_EXPORT(kernel32, CreateSemaphoreExA, 6);

HANDLE WINAPI CreateSemaphoreW(void *sa, LONG initial, LONG max, const WCHAR *name)
{
    return CreateSemaphoreExW(sa, initial, max, name, 0, 0x1f0003);
}
THK_EXPORT(kernel32, CreateSemaphoreW, 4);

HANDLE WINAPI CreateSemaphoreA(void *sa, LONG initial, LONG max, const char *name)
{
    return CreateSemaphoreExA(sa, initial, max, name, 0, 0x1f0003);
}
THK_EXPORT(kernel32, CreateSemaphoreA, 4);

HANDLE WINAPI OpenSemaphoreW(DWORD access, BOOL inherit, const WCHAR *name)
{
    return k32_open_w(NtOpenSemaphore, access, inherit, name);
}
THK_EXPORT(kernel32, OpenSemaphoreW, 3);

HANDLE WINAPI OpenSemaphoreA(DWORD access, BOOL inherit, const char *name)
{
    return k32_open_a(NtOpenSemaphore, access, inherit, name);
}
THK_EXPORT(kernel32, OpenSemaphoreA, 3);

BOOL WINAPI ReleaseSemaphore(HANDLE h, LONG count, LONG *prev)
{
    int32_t before = 0;
    NTSTATUS st = NtReleaseSemaphore(h, count, &before);
    if (st != STATUS_SUCCESS)
        return k32_bool(st);
    if (prev)
        *prev = before;
    return TRUE;
}
THK_EXPORT(kernel32, ReleaseSemaphore, 3);

/* ---- waits ---- */
static LARGE_INTEGER *k32_timeout(DWORD ms, LARGE_INTEGER *t)
{
    if (ms == INFINITE)
        return NULL;
    t->QuadPart = -(int64_t)ms * 10000;
    return t;
}

static DWORD k32_wait_result(NTSTATUS st)
{
    if (st == STATUS_TIMEOUT)
        return K32_WAIT_TIMEOUT;
    if (st == STATUS_USER_APC)
        return K32_WAIT_IO_COMPLETION;
    if ((uint32_t)st <= 0x3f || ((uint32_t)st >= 0x80 && (uint32_t)st <= 0xbf))
        return (DWORD)st;
    thk_set_last_status(st);
    return K32_WAIT_FAILED;
}

DWORD WINAPI WaitForSingleObjectEx(HANDLE h, DWORD ms, BOOL alertable)
{
    LARGE_INTEGER t;
    /* The standard-handle pseudo values stand for the real handles. */
    if ((uintptr_t)h >= (uintptr_t)(DWORD)-12 && (uintptr_t)h <= (uintptr_t)(DWORD)-10)
        h = GetStdHandle((DWORD)(uintptr_t)h);
    return k32_wait_result(NtWaitForSingleObject(h, alertable != 0, k32_timeout(ms, &t)));
}
THK_EXPORT(kernel32, WaitForSingleObjectEx, 3);

DWORD WINAPI WaitForSingleObject(HANDLE h, DWORD ms)
{
    return WaitForSingleObjectEx(h, ms, FALSE);
}
THK_EXPORT(kernel32, WaitForSingleObject, 2);

DWORD WINAPI WaitForMultipleObjectsEx(DWORD count, const HANDLE *handles, BOOL all, DWORD ms,
                                      BOOL alertable)
{
    LARGE_INTEGER t;
    return k32_wait_result(NtWaitForMultipleObjects(count, handles, all ? NT_WAIT_ALL : NT_WAIT_ANY,
                                                    alertable != 0, k32_timeout(ms, &t)));
}
THK_EXPORT(kernel32, WaitForMultipleObjectsEx, 5);

DWORD WINAPI WaitForMultipleObjects(DWORD count, const HANDLE *handles, BOOL all, DWORD ms)
{
    return WaitForMultipleObjectsEx(count, handles, all, ms, FALSE);
}
THK_EXPORT(kernel32, WaitForMultipleObjects, 4);

DWORD WINAPI SignalObjectAndWait(HANDLE signal, HANDLE wait, DWORD ms, BOOL alertable)
{
    LARGE_INTEGER t;
    return k32_wait_result(NtSignalAndWaitForSingleObject(signal, wait, alertable != 0,
                                                          k32_timeout(ms, &t)));
}
THK_EXPORT(kernel32, SignalObjectAndWait, 4);

BOOL WINAPI DuplicateHandle(HANDLE src_process, HANDLE src, HANDLE dst_process, HANDLE *dst,
                            DWORD access, BOOL inherit, DWORD options)
{
    if ((uintptr_t)src >= (uintptr_t)(DWORD)-12 && (uintptr_t)src <= (uintptr_t)(DWORD)-10)
        src = GetStdHandle((DWORD)(uintptr_t)src);
    return k32_bool(NtDuplicateObject(src_process, src, dst_process, dst, access,
                                      inherit ? 2 /* OBJ_INHERIT */ : 0, options));
}
THK_EXPORT(kernel32, DuplicateHandle, 7);

/* ---- threads ---- */
typedef struct {
    SIZE_T TotalLength;
    struct {
        ULONG_PTR Attribute;
        SIZE_T Size;
        void *ValuePtr;
        SIZE_T *ReturnLength;
    } Attributes[1];
} k32_ps_attribute_list;

HANDLE WINAPI CreateRemoteThreadEx(HANDLE process, void *sa, SIZE_T stack, void *start,
                                   void *param, DWORD flags, void *attr_list, DWORD *tid)
{
    CLIENT_ID id = {0};
    k32_ps_attribute_list list = {sizeof list, {{0x10003, sizeof id, &id, NULL}}};
    HANDLE h = NULL;
    SIZE_T commit = (flags & K32_STACK_SIZE_PARAM_IS_A_RESERVATION) ? 0 : stack;
    SIZE_T reserve = (flags & K32_STACK_SIZE_PARAM_IS_A_RESERVATION) ? stack : 0;
    NTSTATUS st = NtCreateThreadEx(&h, 0x1fffff, NULL, process, start, param,
                                   (flags & K32_CREATE_SUSPENDED) ? NT_THREAD_CREATE_SUSPENDED : 0,
                                   0, commit, reserve, &list);
    if (st != STATUS_SUCCESS) {
        thk_set_last_status(st);
        return NULL;
    }
    if (tid)
        *tid = (DWORD)(uintptr_t)id.UniqueThread;
    return h;
}
THK_EXPORT(kernel32, CreateRemoteThreadEx, 8);

HANDLE WINAPI CreateRemoteThread(HANDLE process, void *sa, SIZE_T stack, void *start, void *param,
                                 DWORD flags, DWORD *tid)
{
    return CreateRemoteThreadEx(process, sa, stack, start, param, flags, NULL, tid);
}
THK_EXPORT(kernel32, CreateRemoteThread, 7);

HANDLE WINAPI CreateThread(void *sa, SIZE_T stack, void *start, void *param, DWORD flags,
                           DWORD *tid)
{
    return CreateRemoteThreadEx(NtCurrentProcess(), sa, stack, start, param, flags, NULL, tid);
}
THK_EXPORT(kernel32, CreateThread, 6);

void WINAPI ExitThread(DWORD code)
{
    NtTerminateThread(NtCurrentThread(), (NTSTATUS)code);
    __builtin_unreachable();
}
THK_EXPORT(kernel32, ExitThread, 1);

static void WINAPI k32_RtlExitUserThread(DWORD code)
{
    ExitThread(code);
}
THK_EXPORT_AS(ntdll, RtlExitUserThread, k32_RtlExitUserThread, 1);

/* The APC routine gets `data`; it runs when the thread next waits alertably. */
DWORD WINAPI QueueUserAPC(void *routine, HANDLE thread, ULONG_PTR data)
{
    NTSTATUS st = NtQueueApcThread(thread, routine, (void *)data, NULL, NULL);
    if (st != STATUS_SUCCESS) {
        thk_set_last_status(st);
        return 0;
    }
    return 1;
}
THK_EXPORT(kernel32, QueueUserAPC, 3);

HANDLE WINAPI OpenThread(DWORD access, BOOL inherit, DWORD tid)
{
    CLIENT_ID cid = {NULL, (HANDLE)(uintptr_t)tid};
    HANDLE h = NULL;
    NTSTATUS st = NtOpenThread(&h, access, NULL, &cid);
    if (st != STATUS_SUCCESS) {
        thk_set_last_status(st);
        return NULL;
    }
    return h;
}
THK_EXPORT(kernel32, OpenThread, 3);

BOOL WINAPI TerminateThread(HANDLE h, DWORD code)
{
    return k32_bool(NtTerminateThread(h ? h : (HANDLE)(intptr_t)-3 /* NULL is not "self" here */,
                                      (NTSTATUS)code));
}
THK_EXPORT(kernel32, TerminateThread, 2);

BOOL WINAPI GetExitCodeThread(HANDLE h, DWORD *code)
{
    nt_thread_info info;
    NTSTATUS st = nt_thread_query(h, &info);
    if (st != STATUS_SUCCESS)
        return k32_bool(st);
    *code = info.exit_code;
    return TRUE;
}
THK_EXPORT(kernel32, GetExitCodeThread, 2);

/* HRESULT SetThreadDescription(HANDLE hThread, PCWSTR lpThreadDescription): the name through
 * NtSetInformationThread(ThreadNameInformation); NULL clears it. The result is the NTSTATUS as
 * an HRESULT (HRESULT_FROM_NT): 0x10000000 on success (not S_OK, as on Windows), 0xD0000008 for
 * a bad handle. */
int32_t WINAPI SetThreadDescription(HANDLE thread, const WCHAR *desc)
{
    bool bad = false;
    size_t n = 0;
    if (desc) {
        uint16_t c;
        while (!(bad = rt_safe_copy(&c, desc + n, sizeof c) != 0) && c)
            n++;
    }
    if (bad)
        return (int32_t)(STATUS_ACCESS_VIOLATION | 0x10000000u);
    if (n * sizeof(WCHAR) > 0xffff)
        return (int32_t)(STATUS_INVALID_PARAMETER | 0x10000000u);
    UNICODE_STRING us = {.Length = (uint16_t)(n * 2), .MaximumLength = (uint16_t)(n * 2),
                         .Buffer = (WCHAR *)desc};
    NTSTATUS st = NtSetInformationThread(thread, 38 /* ThreadNameInformation */, &us, sizeof us);
    return (int32_t)(st | 0x10000000u);
}
THK_EXPORT(kernel32, SetThreadDescription, 2);

/* HRESULT GetThreadDescription(HANDLE hThread, PWSTR *ppszThreadDescription): the name in a
 * LocalAlloc'd string ("" when it has none); *ppsz is NULL on failure. */
int32_t WINAPI GetThreadDescription(HANDLE thread, WCHAR **out)
{
    WCHAR *none = NULL;
    if (rt_safe_copy(out, &none, sizeof none) != 0)
        return (int32_t)(STATUS_ACCESS_VIOLATION | 0x10000000u);
    uint32_t len = 0;
    NTSTATUS st = NtQueryInformationThread(thread, 38 /* ThreadNameInformation */, NULL, 0, &len);
    UNICODE_STRING *info = NULL;
    while (st == STATUS_BUFFER_TOO_SMALL) { /* again if the name grew meanwhile */
        free(info);
        if (!(info = malloc(len))) {
            st = STATUS_NO_MEMORY;
            break;
        }
        st = NtQueryInformationThread(thread, 38, info, len, &len);
    }
    if (st == STATUS_SUCCESS) {
        WCHAR *desc = LocalAlloc(0, info->Length + sizeof(WCHAR));
        if (!desc) {
            st = STATUS_NO_MEMORY;
        } else {
            memcpy(desc, info->Buffer, info->Length);
            desc[info->Length / sizeof(WCHAR)] = 0;
            rt_safe_copy(out, &desc, sizeof desc);
        }
    }
    free(info);
    return (int32_t)(st | 0x10000000u);
}
THK_EXPORT(kernel32, GetThreadDescription, 2);

/* BOOL GetThreadIOPendingFlag(HANDLE hThread, PBOOL lpIOIsPending): whether the thread has
 * I/O requests pending (NtQueryInformationThread's ThreadIsIoPending); .NET's thread pool asks
 * it before a worker retires. */
BOOL WINAPI GetThreadIOPendingFlag(HANDLE thread, BOOL *pending)
{
    ULONG is_pending = 0;
    NTSTATUS st = NtQueryInformationThread(thread, 16 /* ThreadIsIoPending */, &is_pending,
                                           sizeof is_pending, NULL);
    if (st != STATUS_SUCCESS) {
        thk_set_last_status(st);
        return FALSE;
    }
    BOOL b = is_pending != 0;
    if (rt_safe_copy(pending, &b, sizeof b) != 0) {
        thk_set_last_status(STATUS_ACCESS_VIOLATION);
        return FALSE;
    }
    return TRUE;
}
THK_EXPORT(kernel32, GetThreadIOPendingFlag, 2);

DWORD WINAPI GetThreadId(HANDLE h)
{
    nt_thread_info info;
    NTSTATUS st = nt_thread_query(h, &info);
    if (st != STATUS_SUCCESS) {
        thk_set_last_status(st);
        return 0;
    }
    return (DWORD)info.tid;
}
THK_EXPORT(kernel32, GetThreadId, 1);

DWORD WINAPI ResumeThread(HANDLE h)
{
    uint32_t prev = 0;
    NTSTATUS st = NtResumeThread(h, &prev);
    if (st != STATUS_SUCCESS) {
        thk_set_last_status(st);
        return (DWORD)-1;
    }
    return prev;
}
THK_EXPORT(kernel32, ResumeThread, 1);

DWORD WINAPI SuspendThread(HANDLE h)
{
    uint32_t prev = 0;
    NTSTATUS st = NtSuspendThread(h, &prev);
    if (st != STATUS_SUCCESS) {
        thk_set_last_status(st);
        return (DWORD)-1;
    }
    return prev;
}
THK_EXPORT(kernel32, SuspendThread, 1);

/* Priorities are accepted and remembered nowhere: every thread runs at the normal priority. */
BOOL WINAPI SetThreadPriority(HANDLE h, int priority)
{
    nt_thread_info info;
    return k32_bool(nt_thread_query(h, &info));
}
THK_EXPORT(kernel32, SetThreadPriority, 2);

int WINAPI GetThreadPriority(HANDLE h)
{
    nt_thread_info info;
    NTSTATUS st = nt_thread_query(h, &info);
    if (st != STATUS_SUCCESS) {
        thk_set_last_status(st);
        return K32_THREAD_PRIORITY_ERROR_RETURN;
    }
    return 0; /* THREAD_PRIORITY_NORMAL */
}
THK_EXPORT(kernel32, GetThreadPriority, 1);

BOOL WINAPI SetThreadPriorityBoost(HANDLE h, BOOL disable)
{
    nt_thread_info info;
    return k32_bool(nt_thread_query(h, &info));
}
THK_EXPORT(kernel32, SetThreadPriorityBoost, 2);

/* ---- SRW locks ----
 * The lock is the low 32 bits of the pointer-sized SRWLOCK: bit 31 an exclusive owner, bit 30
 * "someone sleeps", bits 0-29 the number of shared owners. A thread that cannot take the lock
 * sets bit 30 and sleeps on the word; a release that sees bit 30 clears it and wakes every
 * sleeper, which then competes again (simple and free of lost wake-ups: a sleeper only sleeps
 * while the word still has the value that made it wait). */
#define K32_SRW_EXCL 0x80000000u
#define K32_SRW_WAIT 0x40000000u
#define K32_SRW_SHARED_MASK 0x3fffffffu

static uint32_t *k32_srw_word(void *lock) { return (uint32_t *)lock; }

static void k32_srw_sleep(uint32_t *w, uint32_t v)
{
    if (!(v & K32_SRW_WAIT)) {
        if (!__atomic_compare_exchange_n(w, &v, v | K32_SRW_WAIT, false, __ATOMIC_RELAXED,
                                         __ATOMIC_RELAXED))
            return; /* changed: try again */
        v |= K32_SRW_WAIT;
    }
    if (k32_futex(w, FUTEX_WAIT, v, NULL) < 0 && errno == EINTR)
        rt_thread_check_pending(); /* holds nothing yet */
}

void WINAPI InitializeSRWLock(void *lock) { *(void **)lock = NULL; }
THK_EXPORT(kernel32, InitializeSRWLock, 1);

BOOLEAN WINAPI TryAcquireSRWLockExclusive(void *lock)
{
    uint32_t *w = k32_srw_word(lock), v = __atomic_load_n(w, __ATOMIC_RELAXED);
    while (!(v & (K32_SRW_EXCL | K32_SRW_SHARED_MASK)))
        if (__atomic_compare_exchange_n(w, &v, v | K32_SRW_EXCL, false, __ATOMIC_ACQUIRE,
                                        __ATOMIC_RELAXED))
            return 1;
    return 0;
}
THK_EXPORT(kernel32, TryAcquireSRWLockExclusive, 1);

BOOLEAN WINAPI TryAcquireSRWLockShared(void *lock)
{
    uint32_t *w = k32_srw_word(lock), v = __atomic_load_n(w, __ATOMIC_RELAXED);
    while (!(v & K32_SRW_EXCL))
        if (__atomic_compare_exchange_n(w, &v, v + 1, false, __ATOMIC_ACQUIRE, __ATOMIC_RELAXED))
            return 1;
    return 0;
}
THK_EXPORT(kernel32, TryAcquireSRWLockShared, 1);

void WINAPI AcquireSRWLockExclusive(void *lock)
{
    uint32_t *w = k32_srw_word(lock);
    while (!TryAcquireSRWLockExclusive(lock)) {
        uint32_t v = __atomic_load_n(w, __ATOMIC_RELAXED);
        if (v & (K32_SRW_EXCL | K32_SRW_SHARED_MASK))
            k32_srw_sleep(w, v);
    }
}
THK_EXPORT(kernel32, AcquireSRWLockExclusive, 1);

void WINAPI AcquireSRWLockShared(void *lock)
{
    uint32_t *w = k32_srw_word(lock);
    while (!TryAcquireSRWLockShared(lock)) {
        uint32_t v = __atomic_load_n(w, __ATOMIC_RELAXED);
        if (v & K32_SRW_EXCL)
            k32_srw_sleep(w, v);
    }
}
THK_EXPORT(kernel32, AcquireSRWLockShared, 1);

static void k32_srw_wake(uint32_t *w)
{
    uint32_t v = __atomic_load_n(w, __ATOMIC_RELAXED);
    /* Nobody holds it any more and sleepers exist: clear the flag and wake them all. */
    while (v == K32_SRW_WAIT) {
        if (__atomic_compare_exchange_n(w, &v, 0, false, __ATOMIC_RELEASE, __ATOMIC_RELAXED)) {
            k32_futex(w, FUTEX_WAKE, INT32_MAX, NULL);
            return;
        }
    }
}

void WINAPI ReleaseSRWLockExclusive(void *lock)
{
    uint32_t *w = k32_srw_word(lock);
    if (__atomic_and_fetch(w, ~K32_SRW_EXCL, __ATOMIC_RELEASE) == K32_SRW_WAIT)
        k32_srw_wake(w);
}
THK_EXPORT(kernel32, ReleaseSRWLockExclusive, 1);

void WINAPI ReleaseSRWLockShared(void *lock)
{
    uint32_t *w = k32_srw_word(lock);
    if (__atomic_sub_fetch(w, 1, __ATOMIC_RELEASE) == K32_SRW_WAIT)
        k32_srw_wake(w);
}
THK_EXPORT(kernel32, ReleaseSRWLockShared, 1);

THK_EXPORT_AS(ntdll, RtlInitializeSRWLock, InitializeSRWLock, 1);
THK_EXPORT_AS(ntdll, RtlAcquireSRWLockExclusive, AcquireSRWLockExclusive, 1);
THK_EXPORT_AS(ntdll, RtlAcquireSRWLockShared, AcquireSRWLockShared, 1);
THK_EXPORT_AS(ntdll, RtlReleaseSRWLockExclusive, ReleaseSRWLockExclusive, 1);
THK_EXPORT_AS(ntdll, RtlReleaseSRWLockShared, ReleaseSRWLockShared, 1);
THK_EXPORT_AS(ntdll, RtlTryAcquireSRWLockExclusive, TryAcquireSRWLockExclusive, 1);
THK_EXPORT_AS(ntdll, RtlTryAcquireSRWLockShared, TryAcquireSRWLockShared, 1);

/* ---- condition variables ----
 * The low 32 bits of CONDITION_VARIABLE count wake-ups: a sleeper reads the count, releases its
 * lock and sleeps while the count is unchanged, so a wake between the two is never lost. */
static struct timespec *k32_rel_timeout(DWORD ms, struct timespec *ts)
{
    if (ms == INFINITE)
        return NULL;
    ts->tv_sec = ms / 1000;
    ts->tv_nsec = (long)(ms % 1000) * 1000000;
    return ts;
}

void WINAPI InitializeConditionVariable(void *cv) { *(void **)cv = NULL; }
THK_EXPORT(kernel32, InitializeConditionVariable, 1);

static bool k32_cv_sleep(void *cv, DWORD ms, uint32_t seq)
{
    struct timespec ts;
    long r = k32_futex(cv, FUTEX_WAIT, seq, k32_rel_timeout(ms, &ts));
    if (r < 0 && errno == EINTR)
        rt_thread_check_pending(); /* the lock is released while sleeping */
    return !(r < 0 && errno == ETIMEDOUT);
}

BOOL WINAPI SleepConditionVariableCS(void *cv, CRITICAL_SECTION *cs, DWORD ms)
{
    uint32_t seq = __atomic_load_n((uint32_t *)cv, __ATOMIC_ACQUIRE);
    LeaveCriticalSection(cs);
    bool woken = k32_cv_sleep(cv, ms, seq);
    EnterCriticalSection(cs);
    if (!woken) {
        thk_set_last_error(K32_ERROR_TIMEOUT);
        return FALSE;
    }
    return TRUE;
}
THK_EXPORT(kernel32, SleepConditionVariableCS, 3);

BOOL WINAPI SleepConditionVariableSRW(void *cv, void *lock, DWORD ms, ULONG flags)
{
    uint32_t seq = __atomic_load_n((uint32_t *)cv, __ATOMIC_ACQUIRE);
    bool shared = flags & 1; /* CONDITION_VARIABLE_LOCKMODE_SHARED */
    if (shared)
        ReleaseSRWLockShared(lock);
    else
        ReleaseSRWLockExclusive(lock);
    bool woken = k32_cv_sleep(cv, ms, seq);
    if (shared)
        AcquireSRWLockShared(lock);
    else
        AcquireSRWLockExclusive(lock);
    if (!woken) {
        thk_set_last_error(K32_ERROR_TIMEOUT);
        return FALSE;
    }
    return TRUE;
}
THK_EXPORT(kernel32, SleepConditionVariableSRW, 4);

void WINAPI WakeConditionVariable(void *cv)
{
    __atomic_add_fetch((uint32_t *)cv, 1, __ATOMIC_RELEASE);
    k32_futex(cv, FUTEX_WAKE, 1, NULL);
}
THK_EXPORT(kernel32, WakeConditionVariable, 1);

void WINAPI WakeAllConditionVariable(void *cv)
{
    __atomic_add_fetch((uint32_t *)cv, 1, __ATOMIC_RELEASE);
    k32_futex(cv, FUTEX_WAKE, INT32_MAX, NULL);
}
THK_EXPORT(kernel32, WakeAllConditionVariable, 1);

THK_EXPORT_AS(ntdll, RtlInitializeConditionVariable, InitializeConditionVariable, 1);
THK_EXPORT_AS(ntdll, RtlWakeConditionVariable, WakeConditionVariable, 1);
THK_EXPORT_AS(ntdll, RtlWakeAllConditionVariable, WakeAllConditionVariable, 1);

/* ---- WaitOnAddress ----
 * One process-wide wake counter: WakeByAddress* bumps it and wakes every sleeper, each of which
 * compares its own address again. Correct for any size (1, 2, 4, 8), with spurious wake-ups
 * under heavy use of unrelated addresses. */
static uint32_t k32_address_seq;

/* Waits until *addr differs from *compare (size bytes) or a wake-up comes; deadline: on
 * CLOCK_MONOTONIC, NULL for none. 0, or ETIMEDOUT. The caller checked size. */
static int k32_wait_on_address(volatile void *addr, const void *compare, SIZE_T size,
                               const struct timespec *deadline)
{
    struct timespec now;
    for (;;) {
        uint32_t seq = __atomic_load_n(&k32_address_seq, __ATOMIC_ACQUIRE);
        if (memcmp((const void *)addr, compare, size) != 0)
            return 0;
        struct timespec rel, *tsp = NULL;
        if (deadline) {
            clock_gettime(CLOCK_MONOTONIC, &now);
            int64_t ns = (int64_t)(deadline->tv_sec - now.tv_sec) * 1000000000 +
                         (deadline->tv_nsec - now.tv_nsec);
            if (ns <= 0)
                return ETIMEDOUT;
            rel.tv_sec = ns / 1000000000;
            rel.tv_nsec = ns % 1000000000;
            tsp = &rel;
        }
        long r = k32_futex(&k32_address_seq, FUTEX_WAIT, seq, tsp);
        if (r == 0)
            return 0; /* woken: the caller re-checks its value, as on Windows */
        if (errno == EINTR)
            rt_thread_check_pending(); /* TerminateThread / ExitProcess: holds nothing */
    }
}

/* now + ns on CLOCK_MONOTONIC */
static void k32_deadline_in(struct timespec *d, int64_t ns)
{
    clock_gettime(CLOCK_MONOTONIC, d);
    d->tv_sec += ns / 1000000000;
    d->tv_nsec += ns % 1000000000;
    if (d->tv_nsec >= 1000000000L) {
        d->tv_sec++;
        d->tv_nsec -= 1000000000L;
    }
}

BOOL WINAPI WaitOnAddress(volatile void *addr, void *compare, SIZE_T size, DWORD ms)
{
    if (size != 1 && size != 2 && size != 4 && size != 8) {
        thk_set_last_error(ERROR_INVALID_PARAMETER);
        return FALSE;
    }
    struct timespec deadline;
    if (ms != INFINITE)
        k32_deadline_in(&deadline, (int64_t)ms * 1000000);
    if (k32_wait_on_address(addr, compare, size, ms != INFINITE ? &deadline : NULL) != 0) {
        thk_set_last_error(K32_ERROR_TIMEOUT);
        return FALSE;
    }
    return TRUE;
}
THK_EXPORT(kernel32, WaitOnAddress, 4);

/* ntdll's form (Zig's standard library, Bun, calls it directly): the NT timeout (NULL: none;
 * negative: relative, in 100 ns; positive: an absolute system time) and an NTSTATUS:
 * STATUS_SUCCESS, STATUS_TIMEOUT, STATUS_INVALID_PARAMETER for a size other than 1, 2, 4, 8. */
NTSTATUS WINAPI RtlWaitOnAddress(const volatile void *addr, const void *compare, SIZE_T size,
                                 const LARGE_INTEGER *timeout)
{
    if (size != 1 && size != 2 && size != 4 && size != 8)
        return STATUS_INVALID_PARAMETER;
    struct timespec deadline;
    if (timeout) {
        int64_t t;
        if (nt_copy_from_user(&t, timeout, sizeof t) != 0)
            return STATUS_ACCESS_VIOLATION;
        if (t >= 0) { /* absolute: the system time, 100 ns since 1601 */
            struct timespec rt;
            clock_gettime(CLOCK_REALTIME, &rt);
            int64_t now = ((int64_t)rt.tv_sec + 11644473600LL) * 10000000 + rt.tv_nsec / 100;
            t = now - t; /* negative while in the future */
            if (t > 0)
                t = 0;
        }
        k32_deadline_in(&deadline, -t * 100);
    }
    return k32_wait_on_address((volatile void *)addr, compare, size, timeout ? &deadline : NULL)
               ? STATUS_TIMEOUT
               : STATUS_SUCCESS;
}
THK_EXPORT(ntdll, RtlWaitOnAddress, 4);

void WINAPI WakeByAddressAll(void *addr)
{
    __atomic_add_fetch(&k32_address_seq, 1, __ATOMIC_RELEASE);
    k32_futex(&k32_address_seq, FUTEX_WAKE, INT32_MAX, NULL);
}
THK_EXPORT(kernel32, WakeByAddressAll, 1);
THK_EXPORT_AS(ntdll, RtlWakeAddressAll, WakeByAddressAll, 1);

void WINAPI WakeByAddressSingle(void *addr)
{
    WakeByAddressAll(addr); /* every sleeper re-checks: waking all is always correct */
}
THK_EXPORT(kernel32, WakeByAddressSingle, 1);
THK_EXPORT_AS(ntdll, RtlWakeAddressSingle, WakeByAddressSingle, 1);

/* ---- interlocked singly linked lists (SLIST_HEADER, x64 layout) ----
 * 16 bytes, 16-byte aligned: the first quadword holds Depth (bits 0-15) and Sequence (16-63),
 * the second the first entry's address (its low 4 bits are zero: entries are 16-byte aligned).
 * Every change is one lock cmpxchg16b that also bumps Sequence (no ABA). A pop reads the first
 * entry's Next with a fault-safe copy: another thread may have popped and freed it meanwhile,
 * in which case the compare-exchange fails anyway and the pop retries. */
typedef struct k32_slist_entry { struct k32_slist_entry *Next; } k32_slist_entry;

static bool k32_cas16(void *p, uint64_t *lo, uint64_t *hi, uint64_t new_lo, uint64_t new_hi)
{
    bool ok;
    __asm__ volatile("lock cmpxchg16b %1"
                     : "=@ccz"(ok), "+m"(*(volatile __int128 *)p), "+a"(*lo), "+d"(*hi)
                     : "b"(new_lo), "c"(new_hi)
                     : "memory");
    return ok;
}

static void k32_slist_read(void *head, uint64_t *lo, uint64_t *hi)
{
    *lo = 0;
    *hi = 0;
    k32_cas16(head, lo, hi, 0, 0); /* an atomic 16-byte read: fails (or rewrites 0 with 0) */
}

void WINAPI InitializeSListHead(void *head)
{
    memset(head, 0, 16);
}
THK_EXPORT(kernel32, InitializeSListHead, 1);
THK_EXPORT_AS(ntdll, RtlInitializeSListHead, InitializeSListHead, 1);

void *WINAPI InterlockedPushListSListEx(void *head, void *first, void *last, ULONG count)
{
    uint64_t lo, hi;
    k32_slist_read(head, &lo, &hi);
    for (;;) {
        ((k32_slist_entry *)last)->Next = (k32_slist_entry *)(uintptr_t)(hi & ~(uint64_t)0xf);
        uint64_t depth = ((lo & 0xffff) + count) & 0xffff;
        uint64_t new_lo = (((lo >> 16) + 1) << 16) | depth;
        if (k32_cas16(head, &lo, &hi, new_lo, (uint64_t)(uintptr_t)first))
            return (void *)(uintptr_t)(hi & ~(uint64_t)0xf);
    }
}
THK_EXPORT(kernel32, InterlockedPushListSListEx, 4);
THK_EXPORT_AS(ntdll, RtlInterlockedPushListSListEx, InterlockedPushListSListEx, 4);

void *WINAPI InterlockedPushEntrySList(void *head, void *entry)
{
    return InterlockedPushListSListEx(head, entry, entry, 1);
}
THK_EXPORT(kernel32, InterlockedPushEntrySList, 2);
THK_EXPORT_AS(ntdll, RtlInterlockedPushEntrySList, InterlockedPushEntrySList, 2);

void *WINAPI InterlockedPopEntrySList(void *head)
{
    uint64_t lo, hi;
    k32_slist_read(head, &lo, &hi);
    for (;;) {
        k32_slist_entry *first = (k32_slist_entry *)(uintptr_t)(hi & ~(uint64_t)0xf);
        if (!first)
            return NULL;
        k32_slist_entry *next = NULL;
        if (rt_safe_copy(&next, &first->Next, sizeof next) != 0) {
            k32_slist_read(head, &lo, &hi); /* freed under us: the head has moved on */
            continue;
        }
        uint64_t new_lo = (((lo >> 16) + 1) << 16) | (((lo & 0xffff) - 1) & 0xffff);
        if (k32_cas16(head, &lo, &hi, new_lo, (uint64_t)(uintptr_t)next))
            return first;
    }
}
THK_EXPORT(kernel32, InterlockedPopEntrySList, 1);
THK_EXPORT_AS(ntdll, RtlInterlockedPopEntrySList, InterlockedPopEntrySList, 1);

void *WINAPI InterlockedFlushSList(void *head)
{
    uint64_t lo, hi;
    k32_slist_read(head, &lo, &hi);
    for (;;) {
        if (!(hi & ~(uint64_t)0xf))
            return NULL;
        uint64_t new_lo = ((lo >> 16) + 1) << 16;
        if (k32_cas16(head, &lo, &hi, new_lo, 0))
            return (void *)(uintptr_t)(hi & ~(uint64_t)0xf);
    }
}
THK_EXPORT(kernel32, InterlockedFlushSList, 1);
THK_EXPORT_AS(ntdll, RtlInterlockedFlushSList, InterlockedFlushSList, 1);

uint16_t WINAPI QueryDepthSList(void *head)
{
    uint64_t lo, hi;
    k32_slist_read(head, &lo, &hi);
    return (uint16_t)(lo & 0xffff);
}
THK_EXPORT(kernel32, QueryDepthSList, 1);
THK_EXPORT_AS(ntdll, RtlQueryDepthSList, QueryDepthSList, 1);

/* The calling thread's stack: from the start of its reservation (guard page included, as
 * Windows' DeallocationStack) to its base. */
static void WINAPI k32_GetCurrentThreadStackLimits(ULONG_PTR *low, ULONG_PTR *high)
{
    rt_thread *t = rt_current_thread();
    TEB *teb = t ? t->teb : NULL;
    ULONG_PTR lo = 0, hi = 0;
    if (k32_fiber_stack(&lo, &hi)) {
        /* a fiber's own stack (thunks/kernel32/fiber.c) */
    } else if (teb) {
        hi = (ULONG_PTR)teb->NtTib.StackBase;
        lo = t->stack_alloc ? (ULONG_PTR)t->stack_alloc : (ULONG_PTR)teb->NtTib.StackLimit;
    }
    if (low)
        *low = lo;
    if (high)
        *high = hi;
}
THK_EXPORT_AS(kernel32, GetCurrentThreadStackLimits, k32_GetCurrentThreadStackLimits, 2);

BOOL WINAPI FreeLibrary(HMODULE mod);

/* A thread that lives in a DLL unloads it and ends (the Dart VM's thread pool). */
static void WINAPI k32_FreeLibraryAndExitThread(HMODULE mod, DWORD code)
{
    FreeLibrary(mod);
    ExitThread(code);
}
THK_EXPORT_AS(kernel32, FreeLibraryAndExitThread, k32_FreeLibraryAndExitThread, 2);
