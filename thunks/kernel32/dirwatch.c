/* SPDX-License-Identifier: MIT */
/* Directory change notifications in kernel32: ReadDirectoryChangesW/ExW (synchronous, or
 * overlapped with an event, a completion routine or a completion port) and the change
 * notification handles (FindFirstChangeNotificationW/A, FindNextChangeNotification,
 * FindCloseChangeNotification), over NtNotifyChangeDirectoryFile (ntemu/dirnotify.c).
 *
 * As on Windows, a change notification handle is the directory's handle with a request
 * pending that asks for no records (a zero-length buffer): a wait on the handle waits on the
 * file object's event, which the request sets when it ends (a change was seen), and
 * FindNextChangeNotification issues the next request, which resets it (and ends at once when
 * changes came in between). */
#include <stdlib.h>
#include "thunks/kernel32/kernel32_private.h"

#define K32_FILE_SHARE_ALL 7u /* FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE */
#define K32_FILE_OPEN_FOR_BACKUP_INTENT 0x00004000u

/* The status block of every change notification handle's request: the caller never sees it
 * (Windows' kernelbase has one static block for them too). */
static IO_STATUS_BLOCK k32_change_iosb;

static BOOL k32_read_dir_changes(HANDLE h, void *buf, DWORD len, BOOL subtree, DWORD filter,
                                 DWORD *bytes, OVERLAPPED *ov, void *routine, uint32_t klass)
{
    NTSTATUS st;
    if (ov) {
        ov->Internal = (ULONG_PTR)(uint32_t)STATUS_PENDING;
        ov->InternalHigh = 0;
        nt_async_notify n = {.iosb = (IO_STATUS_BLOCK *)ov};
        if (routine) { /* routine(error, bytes, ov) in the thread's next alertable wait */
            n.apc = routine;
            n.apc_win32 = true;
        } else { /* the port packet's context: none when hEvent's low bit is set */
            n.event = (HANDLE)((ULONG_PTR)ov->hEvent & ~(ULONG_PTR)1);
            n.apc_ctx = ((ULONG_PTR)ov->hEvent & 1) ? NULL : ov;
        }
        st = nt_dir_notify(h, &n, buf, len, filter, subtree != 0, klass);
        if (!NT_SUCCESS(st)) {
            thk_set_last_status(st);
            return FALSE;
        }
        return TRUE; /* pending or done: the OVERLAPPED tells */
    }
    IO_STATUS_BLOCK io = {.Status = STATUS_PENDING};
    nt_async_notify n = {.iosb = &io};
    st = nt_dir_notify(h, &n, buf, len, filter, subtree != 0, klass);
    if (st == STATUS_PENDING) { /* a directory opened with FILE_FLAG_OVERLAPPED: wait here */
        st = nt_async_wait_iosb(h, &io, INT64_MAX);
        if (st == STATUS_SUCCESS)
            st = io.Status;
    }
    if (!NT_SUCCESS(st)) {
        thk_set_last_status(st);
        return FALSE;
    }
    /* STATUS_NOTIFY_ENUM_DIR (the changes did not fit) is a success with 0 bytes */
    if (bytes)
        *bytes = (DWORD)io.Information;
    return TRUE;
}

BOOL WINAPI ReadDirectoryChangesW(HANDLE h, void *buf, DWORD len, BOOL subtree, DWORD filter,
                                  DWORD *bytes, OVERLAPPED *ov, void *routine)
{
    return k32_read_dir_changes(h, buf, len, subtree, filter, bytes, ov, routine, 1);
}
THK_EXPORT(kernel32, ReadDirectoryChangesW, 8);

/* klass: ReadDirectoryNotifyInformation (1, FILE_NOTIFY_INFORMATION) or
 * ReadDirectoryNotifyExtendedInformation (2, FILE_NOTIFY_EXTENDED_INFORMATION). */
BOOL WINAPI ReadDirectoryChangesExW(HANDLE h, void *buf, DWORD len, BOOL subtree, DWORD filter,
                                    DWORD *bytes, OVERLAPPED *ov, void *routine, DWORD klass)
{
    return k32_read_dir_changes(h, buf, len, subtree, filter, bytes, ov, routine, klass);
}
THK_EXPORT(kernel32, ReadDirectoryChangesExW, 9);

HANDLE WINAPI FindFirstChangeNotificationW(const WCHAR *path, BOOL subtree, DWORD filter)
{
    UNICODE_STRING nt;
    OBJECT_ATTRIBUTES attr;
    IO_STATUS_BLOCK io = {0};
    HANDLE h = NULL;
    if (!k32_nt_path(path, &nt))
        return INVALID_HANDLE_VALUE;
    k32_init_attr(&attr, &nt);
    NTSTATUS st = NtOpenFile(&h, FILE_LIST_DIRECTORY | SYNCHRONIZE, &attr, &io,
                             K32_FILE_SHARE_ALL,
                             FILE_DIRECTORY_FILE | K32_FILE_OPEN_FOR_BACKUP_INTENT);
    k32_free_nt_path(&nt);
    if (!NT_SUCCESS(st)) {
        thk_set_last_status(st);
        return INVALID_HANDLE_VALUE;
    }
    nt_async_notify n = {.iosb = &k32_change_iosb};
    st = nt_dir_notify(h, &n, NULL, 0, filter, subtree != 0, 1);
    if (!NT_SUCCESS(st)) {
        NtClose(h);
        thk_set_last_status(st);
        return INVALID_HANDLE_VALUE;
    }
    return h;
}
THK_EXPORT(kernel32, FindFirstChangeNotificationW, 3);

HANDLE WINAPI FindFirstChangeNotificationA(const char *path, BOOL subtree, DWORD filter)
{
    WCHAR *w;
    HANDLE h = k32_arg_w(path, &w) ? FindFirstChangeNotificationW(w, subtree, filter)
                                   : INVALID_HANDLE_VALUE;
    free(w);
    return h;
}
THK_EXPORT(kernel32, FindFirstChangeNotificationA, 3);

BOOL WINAPI FindNextChangeNotification(HANDLE h)
{
    /* the filter and tree flag are the first request's: these are ignored */
    nt_async_notify n = {.iosb = &k32_change_iosb};
    NTSTATUS st = nt_dir_notify(h, &n, NULL, 0, 1 /* FILE_NOTIFY_CHANGE_FILE_NAME */, false, 1);
    if (!NT_SUCCESS(st)) {
        thk_set_last_status(st);
        return FALSE;
    }
    return TRUE;
}
THK_EXPORT(kernel32, FindNextChangeNotification, 1);

BOOL WINAPI FindCloseChangeNotification(HANDLE h)
{
    NTSTATUS st = NtClose(h);
    if (!NT_SUCCESS(st)) {
        thk_set_last_status(st);
        return FALSE;
    }
    return TRUE;
}
THK_EXPORT(kernel32, FindCloseChangeNotification, 1);
