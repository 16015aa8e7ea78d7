/* SPDX-License-Identifier: MIT */
/* kernel32's overlapped I/O over ntemu/async.c: GetOverlappedResult(Ex), ReadFileEx/WriteFileEx
 * (the completion routine is an APC run in the issuing thread's next alertable wait), CancelIo,
 * CancelIoEx. ReadFile/WriteFile themselves are in file.c, the completion port calls in iocp.c.
 * The OVERLAPPED is the request's IO_STATUS_BLOCK: Internal the NTSTATUS (STATUS_PENDING while
 * the request runs), InternalHigh the bytes transferred. */
#include <time.h>
#include "thunks/kernel32/kernel32_private.h"

#define K32_ERROR_IO_INCOMPLETE 996u
#define K32_WAIT_TIMEOUT 258u
#define K32_WAIT_IO_COMPLETION 0xc0u

static HANDLE k32_ov_event(const OVERLAPPED *ov)
{
    return (HANDLE)((ULONG_PTR)ov->hEvent & ~(ULONG_PTR)1);
}

BOOL WINAPI GetOverlappedResultEx(HANDLE h, OVERLAPPED *ov, DWORD *transferred, DWORD ms,
                                  BOOL alertable)
{
    NTSTATUS st = (NTSTATUS)(uint32_t)__atomic_load_n(&ov->Internal, __ATOMIC_ACQUIRE);
    if (st == STATUS_PENDING && ms == 0) {
        /* a poll: under a port's lease it does the I/O ready for it (nt_async_poll_soon) */
        nt_async_poll_soon(h);
        st = (NTSTATUS)(uint32_t)__atomic_load_n(&ov->Internal, __ATOMIC_ACQUIRE);
        if (st == STATUS_PENDING) {
            thk_set_last_error(K32_ERROR_IO_INCOMPLETE);
            return FALSE;
        }
    } else if (st == STATUS_PENDING) {
        LARGE_INTEGER li, *timeout = NULL;
        int64_t deadline = INT64_MAX;
        if (ms != INFINITE) {
            li.QuadPart = -(int64_t)ms * 10000;
            timeout = &li;
            struct timespec ts;
            clock_gettime(CLOCK_MONOTONIC, &ts);
            deadline = ts.tv_sec * 1000000000LL + ts.tv_nsec + (int64_t)ms * 1000000;
        }
        NTSTATUS w = STATUS_SUCCESS;
        if (k32_ov_event(ov)) {
            nt_async_wait_soon(h); /* the epoll thread serves a port's set under a lease */
            w = NtWaitForSingleObject(k32_ov_event(ov), alertable != 0, timeout);
        }
        if (w == STATUS_SUCCESS) /* the event may be signalled by another request: the block */
            w = nt_async_wait_iosb(h, (IO_STATUS_BLOCK *)ov, deadline);
        if (w == STATUS_TIMEOUT) {
            thk_set_last_error(K32_WAIT_TIMEOUT);
            return FALSE;
        }
        if (w == STATUS_USER_APC) {
            thk_set_last_error(K32_WAIT_IO_COMPLETION);
            return FALSE;
        }
        if (!NT_SUCCESS(w)) {
            thk_set_last_status(w);
            return FALSE;
        }
        st = (NTSTATUS)(uint32_t)__atomic_load_n(&ov->Internal, __ATOMIC_ACQUIRE);
    }
    if (transferred)
        *transferred = (DWORD)ov->InternalHigh;
    if (st == STATUS_PENDING) {
        thk_set_last_error(K32_ERROR_IO_INCOMPLETE);
        return FALSE;
    }
    if (!NT_SUCCESS(st)) {
        thk_set_last_status(st);
        return FALSE;
    }
    return TRUE;
}
THK_EXPORT(kernel32, GetOverlappedResultEx, 5);

BOOL WINAPI GetOverlappedResult(HANDLE h, OVERLAPPED *ov, DWORD *transferred, BOOL wait)
{
    return GetOverlappedResultEx(h, ov, transferred, wait ? INFINITE : 0, FALSE);
}
THK_EXPORT(kernel32, GetOverlappedResult, 4);

static BOOL k32_rw_ex(HANDLE h, void *buf, DWORD n, OVERLAPPED *ov, void *routine, bool write)
{
    nt_file *f;
    NTSTATUS st = nt_file_get(h, &f);
    if (st != STATUS_SUCCESS) {
        thk_set_last_status(st);
        return FALSE;
    }
    ov->Internal = (ULONG_PTR)(uint32_t)STATUS_PENDING;
    ov->InternalHigh = 0;
    int64_t off = (int64_t)(((uint64_t)ov->OffsetHigh << 32) | ov->Offset);
    nt_async_notify an = {.iosb = (IO_STATUS_BLOCK *)ov, .apc = routine, .apc_win32 = true};
    st = nt_file_rw_async(f, write, &an, buf, n, off);
    nt_object_release(&f->hdr);
    if (NT_ERROR(st)) {
        thk_set_last_status(st);
        return FALSE;
    }
    thk_set_last_error(ERROR_SUCCESS);
    return TRUE;
}

BOOL WINAPI ReadFileEx(HANDLE h, void *buf, DWORD n, OVERLAPPED *ov, void *routine)
{
    return k32_rw_ex(h, buf, n, ov, routine, false);
}
THK_EXPORT(kernel32, ReadFileEx, 5);

BOOL WINAPI WriteFileEx(HANDLE h, const void *buf, DWORD n, OVERLAPPED *ov, void *routine)
{
    return k32_rw_ex(h, (void *)buf, n, ov, routine, true);
}
THK_EXPORT(kernel32, WriteFileEx, 5);

BOOL WINAPI CancelIo(HANDLE h)
{
    IO_STATUS_BLOCK io;
    NTSTATUS st = NtCancelIoFile(h, &io);
    if (!NT_SUCCESS(st)) {
        thk_set_last_status(st);
        return FALSE;
    }
    return TRUE;
}
THK_EXPORT(kernel32, CancelIo, 1);

BOOL WINAPI CancelIoEx(HANDLE h, OVERLAPPED *ov)
{
    IO_STATUS_BLOCK io;
    NTSTATUS st = NtCancelIoFileEx(h, (IO_STATUS_BLOCK *)ov, &io);
    if (!NT_SUCCESS(st)) {
        thk_set_last_status(st);
        return FALSE;
    }
    return TRUE;
}
THK_EXPORT(kernel32, CancelIoEx, 2);
