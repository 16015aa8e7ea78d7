/* SPDX-License-Identifier: MIT */
/* kernel32 I/O completion ports over ntemu/iocp.c: CreateIoCompletionPort (a new port, and/or a
 * file or socket bound to one: FileCompletionInformation, whose overlapped requests then
 * complete there, see ntemu/async.c), SetFileCompletionNotificationModes,
 * GetQueuedCompletionStatus(Ex), PostQueuedCompletionStatus. */
#include "thunks/kernel32/kernel32_private.h"

#define K32_WAIT_TIMEOUT 258u
#define K32_WAIT_IO_COMPLETION 0xc0u
#define K32_IO_COMPLETION_ALL_ACCESS 0x1f0003u

typedef struct {
    ULONG_PTR lpCompletionKey;        /* 0x00 */
    OVERLAPPED *lpOverlapped;         /* 0x08 */
    ULONG_PTR Internal;               /* 0x10 */
    DWORD dwNumberOfBytesTransferred; /* 0x18 */
} OVERLAPPED_ENTRY;
_Static_assert(sizeof(OVERLAPPED_ENTRY) == 0x20, "OVERLAPPED_ENTRY");

/* A millisecond timeout as an NT one: NULL for INFINITE. */
static LARGE_INTEGER *k32_nt_timeout(DWORD ms, LARGE_INTEGER *li)
{
    if (ms == INFINITE)
        return NULL;
    li->QuadPart = -(int64_t)ms * 10000;
    return li;
}

HANDLE WINAPI CreateIoCompletionPort(HANDLE file, HANDLE existing, ULONG_PTR key, DWORD threads)
{
    if (file == INVALID_HANDLE_VALUE && existing) {
        thk_set_last_error(ERROR_INVALID_PARAMETER);
        return NULL;
    }
    HANDLE port = existing;
    NTSTATUS st;
    if (!port) {
        st = NtCreateIoCompletion(&port, K32_IO_COMPLETION_ALL_ACCESS, NULL, threads);
        if (!NT_SUCCESS(st)) {
            thk_set_last_status(st);
            return NULL;
        }
    }
    if (file != INVALID_HANDLE_VALUE) {
        struct {
            HANDLE port;   /* 0x00 */
            ULONG_PTR key; /* 0x08 */
        } info = {port, key};
        IO_STATUS_BLOCK io;
        st = NtSetInformationFile(file, &io, &info, sizeof info, 30 /* FileCompletionInformation */);
        if (!NT_SUCCESS(st)) {
            if (!existing)
                NtClose(port);
            thk_set_last_status(st);
            return NULL;
        }
    }
    return port;
}
THK_EXPORT(kernel32, CreateIoCompletionPort, 4);

BOOL WINAPI SetFileCompletionNotificationModes(HANDLE file, uint8_t flags)
{
    uint32_t info = flags;
    IO_STATUS_BLOCK io;
    NTSTATUS st = NtSetInformationFile(file, &io, &info, sizeof info,
                                       41 /* FileIoCompletionNotificationInformation */);
    if (!NT_SUCCESS(st)) {
        thk_set_last_status(st);
        return FALSE;
    }
    return TRUE;
}
THK_EXPORT(kernel32, SetFileCompletionNotificationModes, 2);

BOOL WINAPI GetQueuedCompletionStatus(HANDLE port, DWORD *bytes, ULONG_PTR *key,
                                      OVERLAPPED **ov, DWORD ms)
{
    LARGE_INTEGER li;
    IO_STATUS_BLOCK io = {0};
    ULONG_PTR k = 0, ctx = 0;
    if (!ov) {
        thk_set_last_error(ERROR_INVALID_PARAMETER);
        return FALSE;
    }
    NTSTATUS st = NtRemoveIoCompletion(port, &k, &ctx, &io, k32_nt_timeout(ms, &li));
    if (st == STATUS_TIMEOUT) {
        *ov = NULL;
        thk_set_last_error(K32_WAIT_TIMEOUT);
        return FALSE;
    }
    if (st != STATUS_SUCCESS) {
        *ov = NULL;
        thk_set_last_status(st);
        return FALSE;
    }
    if (key)
        *key = k;
    *ov = (OVERLAPPED *)ctx;
    if (bytes)
        *bytes = (DWORD)io.Information;
    if (!NT_SUCCESS(io.Status)) { /* a failed I/O: its packet, with the error */
        thk_set_last_status(io.Status);
        return FALSE;
    }
    return TRUE;
}
THK_EXPORT(kernel32, GetQueuedCompletionStatus, 5);

BOOL WINAPI GetQueuedCompletionStatusEx(HANDLE port, OVERLAPPED_ENTRY *entries, ULONG count,
                                        ULONG *removed, DWORD ms, BOOL alertable)
{
    LARGE_INTEGER li;
    uint32_t got = 0;
    if (!entries || !count || !removed) {
        thk_set_last_error(ERROR_INVALID_PARAMETER);
        return FALSE;
    }
    NTSTATUS st = NtRemoveIoCompletionEx(port, entries, count, &got, k32_nt_timeout(ms, &li),
                                         alertable != 0);
    *removed = got;
    if (st == STATUS_SUCCESS)
        return TRUE;
    *removed = 0;
    if (st == STATUS_TIMEOUT)
        thk_set_last_error(K32_WAIT_TIMEOUT);
    else if (st == STATUS_USER_APC)
        thk_set_last_error(K32_WAIT_IO_COMPLETION);
    else
        thk_set_last_status(st);
    return FALSE;
}
THK_EXPORT(kernel32, GetQueuedCompletionStatusEx, 6);

BOOL WINAPI PostQueuedCompletionStatus(HANDLE port, DWORD bytes, ULONG_PTR key, OVERLAPPED *ov)
{
    NTSTATUS st = NtSetIoCompletion(port, key, (ULONG_PTR)ov, STATUS_SUCCESS, bytes);
    if (!NT_SUCCESS(st)) {
        thk_set_last_status(st);
        return FALSE;
    }
    return TRUE;
}
THK_EXPORT(kernel32, PostQueuedCompletionStatus, 4);
