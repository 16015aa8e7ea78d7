/* SPDX-License-Identifier: MIT */
/* msvcrt threads: _beginthreadex / _endthreadex (a Win32 thread with a CRT-shaped interface:
 * the caller owns the handle) and _beginthread / _endthread (the thread closes its own handle
 * when it ends, so the returned handle may already be invalid when the caller gets it, as
 * documented for msvcrt). */
#include <stdlib.h>
#include "ntemu/ntemu.h"
#include "thunks/msvcrt/crt.h"

#define CRT_EINVAL 22
#define CRT_EAGAIN 11
#define CRT_CREATE_SUSPENDED 0x4

static void crt_thread_errno(NTSTATUS st)
{
    crt_set_errno(st == STATUS_INVALID_PARAMETER ? CRT_EINVAL : CRT_EAGAIN);
}

static uintptr_t WINAPI msvcrt__beginthreadex(void *security, unsigned stack, void *start,
                                              void *arg, unsigned flags, unsigned *tid)
{
    if (!start) {
        crt_set_errno(CRT_EINVAL);
        return 0;
    }
    uint64_t list[5] = {sizeof list, 0x10003 /* PS_ATTRIBUTE_CLIENT_ID */, sizeof(CLIENT_ID), 0, 0};
    CLIENT_ID id = {0};
    list[3] = (uint64_t)(uintptr_t)&id;
    HANDLE h = NULL;
    NTSTATUS st = NtCreateThreadEx(&h, 0x1fffff, NULL, NtCurrentProcess(), start, arg,
                                   (flags & CRT_CREATE_SUSPENDED) ? NT_THREAD_CREATE_SUSPENDED : 0,
                                   0, stack, 0, list);
    if (st != STATUS_SUCCESS) {
        thk_set_last_status(st);
        crt_thread_errno(st);
        return 0;
    }
    if (tid)
        *tid = (unsigned)(uintptr_t)id.UniqueThread;
    return (uintptr_t)h;
}
THK_EXPORT_AS(msvcrt, _beginthreadex, msvcrt__beginthreadex, 6);

static void WINAPI msvcrt__endthreadex(unsigned code)
{
    NtTerminateThread(NtCurrentThread(), (NTSTATUS)code);
}
THK_EXPORT_AS(msvcrt, _endthreadex, msvcrt__endthreadex, 1);

/* _beginthread's thread: calls the cdecl start(arg) and closes its own handle. */
struct crt_thread_start {
    void *start, *arg;
    HANDLE handle;
};
static __thread HANDLE crt_own_handle;

static uint32_t crt_thread_body(void *ctx)
{
    struct crt_thread_start s = *(struct crt_thread_start *)ctx;
    free(ctx);
    crt_own_handle = s.handle;
    thk_call_foreign1(s.start, (uint64_t)(uintptr_t)s.arg);
    crt_own_handle = NULL;
    NtClose(s.handle);
    return 0;
}

static uintptr_t WINAPI msvcrt__beginthread(void *start, unsigned stack, void *arg)
{
    if (!start) {
        crt_set_errno(CRT_EINVAL);
        return (uintptr_t)-1;
    }
    struct crt_thread_start *s = malloc(sizeof *s);
    if (!s) {
        crt_set_errno(CRT_EAGAIN);
        return (uintptr_t)-1;
    }
    s->start = start;
    s->arg = arg;
    HANDLE h = NULL;
    /* Suspended until the handle is known to the thread, which closes it. */
    NTSTATUS st = nt_thread_create_native(crt_thread_body, s, stack, true, &h, NULL);
    if (st != STATUS_SUCCESS) {
        free(s);
        thk_set_last_status(st);
        crt_thread_errno(st);
        return (uintptr_t)-1;
    }
    s->handle = h;
    NtResumeThread(h, NULL);
    return (uintptr_t)h;
}
THK_EXPORT_AS(msvcrt, _beginthread, msvcrt__beginthread, 3);

static void WINAPI msvcrt__endthread(void)
{
    HANDLE h = crt_own_handle;
    crt_own_handle = NULL;
    if (h)
        NtClose(h);
    NtTerminateThread(NtCurrentThread(), 0);
}
THK_EXPORT_AS(msvcrt, _endthread, msvcrt__endthread, 0);
