/* SPDX-License-Identifier: MIT */
/* kernel32 waitable timers over ntemu's NtCreateTimer/NtSetTimer/NtCancelTimer:
 * CreateWaitableTimer(Ex)A/W (CREATE_WAITABLE_TIMER_MANUAL_RESET, and
 * CREATE_WAITABLE_TIMER_HIGH_RESOLUTION, which every ntrun timer already is), OpenWaitableTimer,
 * SetWaitableTimer(Ex) with an optional completion routine (an APC run in the setting thread's
 * next alertable wait), CancelWaitableTimer. */
#include <stdlib.h>
#include "thunks/kernel32/kernel32_private.h"

#define K32_CREATE_WAITABLE_TIMER_MANUAL_RESET 0x1u
#define K32_CREATE_WAITABLE_TIMER_HIGH_RESOLUTION 0x2u
#define K32_TIMER_ALL_ACCESS 0x1f0003u
#define K32_ERROR_NOT_SUPPORTED 50

HANDLE WINAPI CreateWaitableTimerExW(void *sa, const WCHAR *name, DWORD flags, DWORD access)
{
    k32_name n;
    HANDLE h = NULL;
    if (flags & ~(K32_CREATE_WAITABLE_TIMER_MANUAL_RESET |
                  K32_CREATE_WAITABLE_TIMER_HIGH_RESOLUTION)) {
        thk_set_last_error(ERROR_INVALID_PARAMETER);
        return NULL;
    }
    /* Windows refuses a named high-resolution timer. */
    if ((flags & K32_CREATE_WAITABLE_TIMER_HIGH_RESOLUTION) && name) {
        thk_set_last_error(ERROR_INVALID_PARAMETER);
        return NULL;
    }
    k32_name_w(&n, name);
    if (k32_sa_inherits(sa))
        n.attr.Attributes |= 0x2u; /* OBJ_INHERIT */
    NTSTATUS st = NtCreateTimer(&h, access, &n.attr,
                                (flags & K32_CREATE_WAITABLE_TIMER_MANUAL_RESET) ? 0 : 1);
    return k32_created(st, h, &n);
}
THK_EXPORT(kernel32, CreateWaitableTimerExW, 4);

HANDLE WINAPI CreateWaitableTimerExA(void *sa, const char *name, DWORD flags, DWORD access)
{
    WCHAR *w;
    HANDLE h = k32_arg_w(name, &w) ? CreateWaitableTimerExW(sa, w, flags, access) : NULL;
    free(w);
    return h;
}
THK_EXPORT(kernel32, CreateWaitableTimerExA, 4);

HANDLE WINAPI CreateWaitableTimerW(void *sa, BOOL manual, const WCHAR *name)
{
    return CreateWaitableTimerExW(sa, name, manual ? K32_CREATE_WAITABLE_TIMER_MANUAL_RESET : 0,
                                  K32_TIMER_ALL_ACCESS);
}
THK_EXPORT(kernel32, CreateWaitableTimerW, 3);

HANDLE WINAPI CreateWaitableTimerA(void *sa, BOOL manual, const char *name)
{
    return CreateWaitableTimerExA(sa, name, manual ? K32_CREATE_WAITABLE_TIMER_MANUAL_RESET : 0,
                                  K32_TIMER_ALL_ACCESS);
}
THK_EXPORT(kernel32, CreateWaitableTimerA, 3);

HANDLE WINAPI OpenWaitableTimerW(DWORD access, BOOL inherit, const WCHAR *name)
{
    if (!name) {
        thk_set_last_error(ERROR_INVALID_PARAMETER);
        return NULL;
    }
    return k32_open_w(NtOpenTimer, access, inherit, name);
}
THK_EXPORT(kernel32, OpenWaitableTimerW, 3);

HANDLE WINAPI OpenWaitableTimerA(DWORD access, BOOL inherit, const char *name)
{
    if (!name) {
        thk_set_last_error(ERROR_INVALID_PARAMETER);
        return NULL;
    }
    return k32_open_a(NtOpenTimer, access, inherit, name);
}
THK_EXPORT(kernel32, OpenWaitableTimerA, 3);

BOOL WINAPI SetWaitableTimer(HANDLE h, const LARGE_INTEGER *due, LONG period, void *routine,
                             void *arg, BOOL resume)
{
    NTSTATUS st = NtSetTimer(h, due, routine, arg, resume != 0, period, NULL);
    if (!NT_SUCCESS(st)) {
        thk_set_last_status(st);
        return FALSE;
    }
    return TRUE;
}
THK_EXPORT(kernel32, SetWaitableTimer, 6);

/* The wake context (power requests) has nothing to act on: it is accepted and ignored. */
BOOL WINAPI SetWaitableTimerEx(HANDLE h, const LARGE_INTEGER *due, LONG period, void *routine,
                               void *arg, void *wake_context, ULONG tolerable_delay)
{
    return SetWaitableTimer(h, due, period, routine, arg, FALSE);
}
THK_EXPORT(kernel32, SetWaitableTimerEx, 7);

BOOL WINAPI CancelWaitableTimer(HANDLE h)
{
    NTSTATUS st = NtCancelTimer(h, NULL);
    if (!NT_SUCCESS(st)) {
        thk_set_last_status(st);
        return FALSE;
    }
    return TRUE;
}
THK_EXPORT(kernel32, CancelWaitableTimer, 1);
