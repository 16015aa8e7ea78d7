/* SPDX-License-Identifier: MIT */
/* Named pipes (CreateNamedPipe, ConnectNamedPipe, DisconnectNamedPipe, WaitNamedPipe,
 * CallNamedPipe, TransactNamedPipe) and the pipe queries that also work on anonymous pipes
 * (PeekNamedPipe, GetNamedPipeInfo, Get/SetNamedPipeHandleState), on ntemu/pipe.c. A client
 * opens a pipe with CreateFile("\\\\.\\pipe\\NAME"), which NtCreateFile hands to ntemu/pipe.c.
 *
 * On a pipe opened with FILE_FLAG_OVERLAPPED, ConnectNamedPipe with an OVERLAPPED returns
 * ERROR_IO_PENDING until a client comes, then completes through the event or the completion
 * port; ReadFile/WriteFile with an OVERLAPPED pend the same way (ntemu/async.c). */
#include <stdlib.h>
#include <string.h>
#include "thunks/kernel32/kernel32_private.h"

#define K32_PIPE_ACCESS_INBOUND 0x1
#define K32_PIPE_ACCESS_OUTBOUND 0x2
#define K32_PIPE_ACCESS_DUPLEX 0x3
#define K32_FILE_FLAG_FIRST_PIPE_INSTANCE 0x00080000
#define K32_FILE_FLAG_OVERLAPPED 0x40000000
#define K32_PIPE_TYPE_MESSAGE 0x4
#define K32_PIPE_READMODE_MESSAGE 0x2
#define K32_PIPE_NOWAIT 0x1
#define K32_PIPE_CLIENT_END 0x0
#define K32_PIPE_SERVER_END 0x1
#define K32_PIPE_UNLIMITED_INSTANCES 255
#define K32_NMPWAIT_USE_DEFAULT_WAIT 0
#define K32_NMPWAIT_WAIT_FOREVER 0xffffffffu
#define K32_ERROR_PIPE_BUSY 231
#define K32_ERROR_PIPE_CONNECTED 535
#define K32_ERROR_BAD_PIPE 230
#define K32_ERROR_INVALID_FUNCTION 1
#define K32_ERROR_SEM_TIMEOUT 121
#define K32_ERROR_IO_PENDING 997
#define K32_FSCTL_PIPE_DISCONNECT 0x110004
#define K32_FSCTL_PIPE_TRANSCEIVE 0x11c017
#define K32_DEFAULT_PIPE_WAIT_MS 50 /* CreateNamedPipe's nDefaultTimeOut of 0 */

typedef struct {
    DWORD nLength;               /* 0x00 */
    void *lpSecurityDescriptor;  /* 0x08 */
    BOOL bInheritHandle;         /* 0x10 */
} K32_SECURITY_ATTRIBUTES;
_Static_assert(offsetof(K32_SECURITY_ATTRIBUTES, bInheritHandle) == 0x10, "SA.bInheritHandle");

BOOL WINAPI SetEvent(HANDLE h); /* sync.c */
BOOL WINAPI CloseHandle(HANDLE h);
HANDLE WINAPI CreateFileW(const WCHAR *name, DWORD access, DWORD share, void *sa, DWORD disp,
                          DWORD flags, HANDLE tmpl);
BOOL WINAPI ReadFile(HANDLE h, void *buf, DWORD n, DWORD *nread, OVERLAPPED *ov);
BOOL WINAPI WriteFile(HANDLE h, const void *buf, DWORD n, DWORD *written, OVERLAPPED *ov);

/* ERROR_FILE_NOT_FOUND for a name no instance has, as Windows reports it. */
static void k32_pipe_fail(NTSTATUS st)
{
    if (st == STATUS_OBJECT_NAME_NOT_FOUND)
        thk_set_last_error(ERROR_FILE_NOT_FOUND);
    else if (st == STATUS_INSTANCE_NOT_AVAILABLE || st == STATUS_PIPE_BUSY ||
             st == STATUS_PIPE_NOT_AVAILABLE)
        thk_set_last_error(K32_ERROR_PIPE_BUSY);
    else
        thk_set_last_status(st);
}

static bool k32_pipe_name(const WCHAR *path, const WCHAR **name, size_t *len)
{
    return path && nt_pipe_name_of(path, nt_wcslen(path), name, len) && *len;
}

HANDLE WINAPI CreateNamedPipeW(const WCHAR *path, DWORD open_mode, DWORD pipe_mode,
                               DWORD max_instances, DWORD out_size, DWORD in_size,
                               DWORD timeout, K32_SECURITY_ATTRIBUTES *sa)
{
    const WCHAR *name;
    size_t len;
    if (!k32_pipe_name(path, &name, &len)) {
        thk_set_last_error(ERROR_INVALID_NAME);
        return INVALID_HANDLE_VALUE;
    }
    DWORD dir = open_mode & K32_PIPE_ACCESS_DUPLEX;
    if (!dir || (pipe_mode & ~0xfu) || max_instances == 0 ||
        max_instances > K32_PIPE_UNLIMITED_INSTANCES ||
        ((pipe_mode & K32_PIPE_READMODE_MESSAGE) && !(pipe_mode & K32_PIPE_TYPE_MESSAGE))) {
        thk_set_last_error(ERROR_INVALID_PARAMETER);
        return INVALID_HANDLE_VALUE;
    }
    nt_pipe_params pp = {
        .access = SYNCHRONIZE | FILE_READ_ATTRIBUTES | FILE_WRITE_ATTRIBUTES |
                  ((dir & K32_PIPE_ACCESS_INBOUND) ? FILE_GENERIC_READ : 0) |
                  ((dir & K32_PIPE_ACCESS_OUTBOUND) ? FILE_GENERIC_WRITE : 0),
        .message_type = (pipe_mode & K32_PIPE_TYPE_MESSAGE) != 0,
        .read_message = (pipe_mode & K32_PIPE_READMODE_MESSAGE) != 0,
        .nowait = (pipe_mode & K32_PIPE_NOWAIT) != 0,
        .first_instance = (open_mode & K32_FILE_FLAG_FIRST_PIPE_INSTANCE) != 0,
        .inherit = sa && sa->bInheritHandle,
        .max_instances = max_instances,
        .out_size = out_size,
        .in_size = in_size,
        .overlapped = (open_mode & K32_FILE_FLAG_OVERLAPPED) != 0,
        .default_wait_ms = timeout ? timeout : K32_DEFAULT_PIPE_WAIT_MS,
    };
    HANDLE h = NULL;
    NTSTATUS st = nt_pipe_create_server(name, len, &pp, &h);
    if (!NT_SUCCESS(st)) {
        k32_pipe_fail(st);
        return INVALID_HANDLE_VALUE;
    }
    thk_set_last_error(ERROR_SUCCESS);
    return h;
}
THK_EXPORT(kernel32, CreateNamedPipeW, 8);

HANDLE WINAPI CreateNamedPipeA(const char *path, DWORD open_mode, DWORD pipe_mode,
                               DWORD max_instances, DWORD out_size, DWORD in_size,
                               DWORD timeout, K32_SECURITY_ATTRIBUTES *sa)
{
    WCHAR *w;
    HANDLE h = k32_arg_w(path, &w) ? CreateNamedPipeW(w, open_mode, pipe_mode, max_instances,
                                                      out_size, in_size, timeout, sa)
                                   : INVALID_HANDLE_VALUE;
    free(w);
    return h;
}
THK_EXPORT(kernel32, CreateNamedPipeA, 8);

BOOL WINAPI ConnectNamedPipe(HANDLE h, OVERLAPPED *ov)
{
    NTSTATUS st;
    if (ov) {
        ov->Internal = (ULONG_PTR)(uint32_t)STATUS_PENDING;
        ov->InternalHigh = 0;
        nt_async_notify n = {
            .iosb = (IO_STATUS_BLOCK *)ov,
            .event = (HANDLE)((ULONG_PTR)ov->hEvent & ~(ULONG_PTR)1),
            .apc_ctx = ((ULONG_PTR)ov->hEvent & 1) ? NULL : ov, /* the port's packet */
        };
        st = nt_pipe_listen(h, &n);
        if (st == STATUS_PENDING) {
            thk_set_last_error(K32_ERROR_IO_PENDING);
            return FALSE;
        }
        if (st == STATUS_PIPE_CONNECTED || st == STATUS_PIPE_CLOSING)
            ov->Internal = (ULONG_PTR)(uint32_t)st;
    } else {
        st = nt_pipe_listen(h, NULL);
    }
    if (st == STATUS_PIPE_CONNECTED) {
        thk_set_last_error(K32_ERROR_PIPE_CONNECTED);
        return FALSE;
    }
    if (!NT_SUCCESS(st)) {
        thk_set_last_status(st);
        return FALSE;
    }
    return TRUE;
}
THK_EXPORT(kernel32, ConnectNamedPipe, 2);

BOOL WINAPI DisconnectNamedPipe(HANDLE h)
{
    IO_STATUS_BLOCK io;
    NTSTATUS st = NtFsControlFile(h, NULL, NULL, NULL, &io, K32_FSCTL_PIPE_DISCONNECT, NULL, 0,
                                  NULL, 0);
    if (!NT_SUCCESS(st)) {
        thk_set_last_status(st);
        return FALSE;
    }
    return TRUE;
}
THK_EXPORT(kernel32, DisconnectNamedPipe, 1);

BOOL WINAPI WaitNamedPipeW(const WCHAR *path, DWORD timeout)
{
    const WCHAR *name;
    size_t len;
    if (!k32_pipe_name(path, &name, &len)) {
        thk_set_last_error(ERROR_FILE_NOT_FOUND); /* Windows: ERROR_BAD_PATHNAME for others */
        return FALSE;
    }
    int64_t ms = timeout == K32_NMPWAIT_WAIT_FOREVER     ? -1
                 : timeout == K32_NMPWAIT_USE_DEFAULT_WAIT ? NT_PIPE_WAIT_DEFAULT
                                                           : (int64_t)timeout;
    NTSTATUS st = nt_pipe_wait(name, len, ms);
    if (!NT_SUCCESS(st)) {
        k32_pipe_fail(st);
        return FALSE;
    }
    return TRUE;
}
THK_EXPORT(kernel32, WaitNamedPipeW, 2);

BOOL WINAPI WaitNamedPipeA(const char *path, DWORD timeout)
{
    WCHAR *w;
    BOOL r = k32_arg_w(path, &w) ? WaitNamedPipeW(w, timeout) : FALSE;
    free(w);
    return r;
}
THK_EXPORT(kernel32, WaitNamedPipeA, 2);

/* FSCTL_PIPE_TRANSCEIVE: ERROR_BAD_PIPE unless the end reads messages, ERROR_PIPE_BUSY while a
 * message waits to be read, ERROR_MORE_DATA when the answer is longer than `out`. */
BOOL WINAPI TransactNamedPipe(HANDLE h, void *in, DWORD in_size, void *out, DWORD out_size,
                              DWORD *read, OVERLAPPED *ov)
{
    IO_STATUS_BLOCK io = {0}, *iosb = ov ? (IO_STATUS_BLOCK *)ov : &io;
    HANDLE event = NULL;
    void *port_ctx = NULL;
    if (read)
        *read = 0;
    if (ov) {
        ov->Internal = (ULONG_PTR)(uint32_t)STATUS_PENDING;
        ov->InternalHigh = 0;
        event = (HANDLE)((ULONG_PTR)ov->hEvent & ~(ULONG_PTR)1);
        port_ctx = ((ULONG_PTR)ov->hEvent & 1) ? NULL : ov;
    }
    NTSTATUS st = NtFsControlFile(h, event, NULL, port_ctx, iosb, K32_FSCTL_PIPE_TRANSCEIVE, in,
                                  in_size, out, out_size);
    if (st == STATUS_PENDING) {
        thk_set_last_error(K32_ERROR_IO_PENDING);
        return FALSE;
    }
    if (read && (NT_SUCCESS(st) || st == STATUS_BUFFER_OVERFLOW))
        *read = (DWORD)iosb->Information;
    if (st != STATUS_SUCCESS) {
        thk_set_last_status(st);
        return FALSE;
    }
    return TRUE;
}
THK_EXPORT(kernel32, TransactNamedPipe, 7);

BOOL WINAPI CallNamedPipeW(const WCHAR *path, void *in, DWORD in_size, void *out,
                           DWORD out_size, DWORD *read, DWORD timeout)
{
    if (read)
        *read = 0;
    HANDLE h = CreateFileW(path, GENERIC_READ | GENERIC_WRITE, 0, NULL, OPEN_EXISTING, 0, NULL);
    if (h == INVALID_HANDLE_VALUE) {
        if (thk_get_last_error() != K32_ERROR_PIPE_BUSY || !WaitNamedPipeW(path, timeout))
            return FALSE;
        h = CreateFileW(path, GENERIC_READ | GENERIC_WRITE, 0, NULL, OPEN_EXISTING, 0, NULL);
        if (h == INVALID_HANDLE_VALUE)
            return FALSE;
    }
    BOOL ok = FALSE;
    if (NT_SUCCESS(nt_pipe_set_mode(h, true, false)))
        ok = TransactNamedPipe(h, in, in_size, out, out_size, read, NULL);
    else
        thk_set_last_error(K32_ERROR_BAD_PIPE);
    uint32_t err = thk_get_last_error();
    CloseHandle(h);
    thk_set_last_error(err);
    return ok;
}
THK_EXPORT(kernel32, CallNamedPipeW, 7);

BOOL WINAPI CallNamedPipeA(const char *path, void *in, DWORD in_size, void *out,
                           DWORD out_size, DWORD *read, DWORD timeout)
{
    WCHAR *w;
    BOOL r =
        k32_arg_w(path, &w) ? CallNamedPipeW(w, in, in_size, out, out_size, read, timeout) : FALSE;
    free(w);
    return r;
}
THK_EXPORT(kernel32, CallNamedPipeA, 7);

BOOL WINAPI PeekNamedPipe(HANDLE h, void *buf, DWORD size, DWORD *read, DWORD *avail,
                          DWORD *left)
{
    uint32_t r = 0, a = 0, l = 0;
    NTSTATUS st = nt_pipe_peek(h, buf, buf ? size : 0, &r, &a, &l);
    if (!NT_SUCCESS(st)) {
        if (st == STATUS_INVALID_PARAMETER)
            thk_set_last_error(K32_ERROR_INVALID_FUNCTION);
        else
            thk_set_last_status(st);
        return FALSE;
    }
    if (read)
        *read = r;
    if (avail)
        *avail = a;
    if (left)
        *left = l;
    return TRUE;
}
THK_EXPORT(kernel32, PeekNamedPipe, 6);

BOOL WINAPI GetNamedPipeInfo(HANDLE h, DWORD *flags, DWORD *out_size, DWORD *in_size,
                             DWORD *max_instances)
{
    nt_pipe_information info;
    NTSTATUS st = nt_pipe_info(h, &info);
    if (!NT_SUCCESS(st)) {
        thk_set_last_status(st == STATUS_INVALID_PARAMETER ? STATUS_INVALID_HANDLE : st);
        return FALSE;
    }
    if (flags)
        *flags = (info.server ? K32_PIPE_SERVER_END : K32_PIPE_CLIENT_END) |
                 (info.message_type ? K32_PIPE_TYPE_MESSAGE : 0);
    if (out_size)
        *out_size = info.out_size;
    if (in_size)
        *in_size = info.in_size;
    if (max_instances)
        *max_instances = info.max_instances;
    return TRUE;
}
THK_EXPORT(kernel32, GetNamedPipeInfo, 5);

BOOL WINAPI SetNamedPipeHandleState(HANDLE h, DWORD *mode, DWORD *max_collection,
                                    DWORD *timeout)
{
    nt_pipe_information info;
    NTSTATUS st = nt_pipe_info(h, &info);
    if (NT_SUCCESS(st) && mode) {
        if (*mode & ~(DWORD)(K32_PIPE_READMODE_MESSAGE | K32_PIPE_NOWAIT))
            st = STATUS_INVALID_PARAMETER;
        else
            st = nt_pipe_set_mode(h, (*mode & K32_PIPE_READMODE_MESSAGE) != 0,
                                  (*mode & K32_PIPE_NOWAIT) != 0);
    }
    if (!NT_SUCCESS(st)) {
        thk_set_last_status(st);
        return FALSE;
    }
    return TRUE;
}
THK_EXPORT(kernel32, SetNamedPipeHandleState, 4);

BOOL WINAPI GetNamedPipeHandleStateW(HANDLE h, DWORD *state, DWORD *instances,
                                     DWORD *max_collection, DWORD *timeout, WCHAR *user,
                                     DWORD user_size)
{
    nt_pipe_information info;
    NTSTATUS st = nt_pipe_info(h, &info);
    if (!NT_SUCCESS(st)) {
        thk_set_last_status(st == STATUS_INVALID_PARAMETER ? STATUS_INVALID_HANDLE : st);
        return FALSE;
    }
    if (state)
        *state = (info.read_message ? K32_PIPE_READMODE_MESSAGE : 0) |
                 (info.nowait ? K32_PIPE_NOWAIT : 0);
    if (instances)
        *instances = info.instances;
    if (max_collection)
        *max_collection = 0;
    if (timeout)
        *timeout = 0;
    if (user && user_size)
        user[0] = 0;
    return TRUE;
}
THK_EXPORT(kernel32, GetNamedPipeHandleStateW, 7);

BOOL WINAPI GetNamedPipeHandleStateA(HANDLE h, DWORD *state, DWORD *instances,
                                     DWORD *max_collection, DWORD *timeout, char *user,
                                     DWORD user_size)
{
    BOOL r = GetNamedPipeHandleStateW(h, state, instances, max_collection, timeout, NULL, 0);
    if (r && user && user_size)
        user[0] = 0;
    return r;
}
THK_EXPORT(kernel32, GetNamedPipeHandleStateA, 7);
