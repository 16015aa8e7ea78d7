/* SPDX-License-Identifier: MIT */
/* kernel32 files on top of the NT file calls: CreateFile, ReadFile/WriteFile, file pointer and
 * size, SetEndOfFile, FlushFileBuffers, CloseHandle, DeleteFile, MoveFile(Ex), CopyFile(Ex),
 * attributes, directories, FindFirstFile/FindNextFile/FindClose, temporary files, file times
 * and information, drives.
 *
 * Win32 paths become NT paths ("\??\C:\dir\f") with the Win32 normalization done here
 * (k32_nt_path); ntemu resolves them. The Win32 error of a failure is the NTSTATUS converted by
 * nt_status_to_win32, except where Windows' kernel32 itself substitutes another one:
 * CreateFile(CREATE_NEW) on an existing file gives ERROR_FILE_EXISTS, FindFirstFile gives
 * ERROR_FILE_NOT_FOUND for no match and ERROR_PATH_NOT_FOUND for a missing directory, and
 * GetTempFileName reports a missing directory as ERROR_DIRECTORY.
 *
 * A find handle is an ntemu handle of type NT_OBJ_FIND holding the open directory and the
 * current batch of FileBothDirectoryInformation entries. */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include "thunks/kernel32/kernel32_private.h"

#define K32_FILE_FLAG_WRITE_THROUGH 0x80000000u
#define K32_FILE_FLAG_OVERLAPPED 0x40000000u
#define K32_FILE_FLAG_NO_BUFFERING 0x20000000u
#define K32_FILE_FLAG_RANDOM_ACCESS 0x10000000u
#define K32_FILE_FLAG_SEQUENTIAL_SCAN 0x08000000u
#define K32_FILE_FLAG_OPEN_REPARSE_POINT 0x00200000u
#define K32_FILE_FLAG_OPEN_NO_RECALL 0x00100000u
#define K32_FILE_ATTRIBUTE_VALID_FLAGS 0x7fa7u
#define K32_FILE_NO_INTERMEDIATE_BUFFERING 0x00000008
#define K32_FILE_RANDOM_ACCESS 0x00000800
#define K32_FILE_OPEN_REPARSE_POINT 0x00200000
#define K32_FILE_OPEN_NO_RECALL 0x00400000
#define K32_MOVEFILE_REPLACE_EXISTING 0x1
#define K32_MOVEFILE_COPY_ALLOWED 0x2
#define K32_MOVEFILE_DELAY_UNTIL_REBOOT 0x4
#define K32_MOVEFILE_WRITE_THROUGH 0x8
#define K32_COPY_FILE_FAIL_IF_EXISTS 0x1
#define K32_INVALID_FILE_SIZE 0xffffffffu
#define K32_FILE_SHARE_ALL (FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE)
#define K32_STATUS_NOT_SAME_DEVICE ((NTSTATUS)0xC00000D4)
#define K32_FileInternalInformation 6
#ifndef ERROR_IO_PENDING
#define ERROR_IO_PENDING 997u
#endif

/* ---- Windows layouts ---- */
_Static_assert(offsetof(OVERLAPPED, hEvent) == 0x18, "OVERLAPPED.hEvent");
_Static_assert(sizeof(OVERLAPPED) == 0x20, "OVERLAPPED");

typedef struct {
    DWORD dwFileAttributes;     /* 0x00 */
    FILETIME ftCreationTime;    /* 0x04 */
    FILETIME ftLastAccessTime;  /* 0x0c */
    FILETIME ftLastWriteTime;   /* 0x14 */
    DWORD nFileSizeHigh;        /* 0x1c */
    DWORD nFileSizeLow;         /* 0x20 */
    DWORD dwReserved0;          /* 0x24 */
    DWORD dwReserved1;          /* 0x28 */
    WCHAR cFileName[MAX_PATH];  /* 0x2c */
    WCHAR cAlternateFileName[14]; /* 0x234 */
} WIN32_FIND_DATAW;
_Static_assert(offsetof(WIN32_FIND_DATAW, ftCreationTime) == 0x04, "WFD.ftCreationTime");
_Static_assert(offsetof(WIN32_FIND_DATAW, ftLastAccessTime) == 0x0c, "WFD.ftLastAccessTime");
_Static_assert(offsetof(WIN32_FIND_DATAW, ftLastWriteTime) == 0x14, "WFD.ftLastWriteTime");
_Static_assert(offsetof(WIN32_FIND_DATAW, nFileSizeHigh) == 0x1c, "WFD.nFileSizeHigh");
_Static_assert(offsetof(WIN32_FIND_DATAW, nFileSizeLow) == 0x20, "WFD.nFileSizeLow");
_Static_assert(offsetof(WIN32_FIND_DATAW, dwReserved0) == 0x24, "WFD.dwReserved0");
_Static_assert(offsetof(WIN32_FIND_DATAW, cFileName) == 0x2c, "WFD.cFileName");
_Static_assert(offsetof(WIN32_FIND_DATAW, cAlternateFileName) == 0x234, "WFD.cAlternateFileName");
_Static_assert(sizeof(WIN32_FIND_DATAW) == 0x250, "WIN32_FIND_DATAW");

typedef struct {
    DWORD dwFileAttributes;     /* 0x00 */
    FILETIME ftCreationTime;    /* 0x04 */
    FILETIME ftLastAccessTime;  /* 0x0c */
    FILETIME ftLastWriteTime;   /* 0x14 */
    DWORD nFileSizeHigh;        /* 0x1c */
    DWORD nFileSizeLow;         /* 0x20 */
    DWORD dwReserved0;          /* 0x24 */
    DWORD dwReserved1;          /* 0x28 */
    char cFileName[MAX_PATH];   /* 0x2c */
    char cAlternateFileName[14];/* 0x130 */
} WIN32_FIND_DATAA;
_Static_assert(offsetof(WIN32_FIND_DATAA, cFileName) == 0x2c, "WFDA.cFileName");
_Static_assert(offsetof(WIN32_FIND_DATAA, cAlternateFileName) == 0x130, "WFDA.cAlternateFileName");
_Static_assert(sizeof(WIN32_FIND_DATAA) == 0x140, "WIN32_FIND_DATAA");

typedef struct {
    DWORD dwFileAttributes;    /* 0x00 */
    FILETIME ftCreationTime;   /* 0x04 */
    FILETIME ftLastAccessTime; /* 0x0c */
    FILETIME ftLastWriteTime;  /* 0x14 */
    DWORD nFileSizeHigh;       /* 0x1c */
    DWORD nFileSizeLow;        /* 0x20 */
} WIN32_FILE_ATTRIBUTE_DATA;
_Static_assert(sizeof(WIN32_FILE_ATTRIBUTE_DATA) == 0x24, "WIN32_FILE_ATTRIBUTE_DATA");

typedef struct {
    DWORD dwFileAttributes;     /* 0x00 */
    FILETIME ftCreationTime;    /* 0x04 */
    FILETIME ftLastAccessTime;  /* 0x0c */
    FILETIME ftLastWriteTime;   /* 0x14 */
    DWORD dwVolumeSerialNumber; /* 0x1c */
    DWORD nFileSizeHigh;        /* 0x20 */
    DWORD nFileSizeLow;         /* 0x24 */
    DWORD nNumberOfLinks;       /* 0x28 */
    DWORD nFileIndexHigh;       /* 0x2c */
    DWORD nFileIndexLow;        /* 0x30 */
} BY_HANDLE_FILE_INFORMATION;
_Static_assert(offsetof(BY_HANDLE_FILE_INFORMATION, dwVolumeSerialNumber) == 0x1c, "BHFI.serial");
_Static_assert(offsetof(BY_HANDLE_FILE_INFORMATION, nFileIndexLow) == 0x30, "BHFI.index");
_Static_assert(sizeof(BY_HANDLE_FILE_INFORMATION) == 0x34, "BY_HANDLE_FILE_INFORMATION");

typedef struct {
    BOOLEAN ReplaceIfExists; /* 0x00 */
    uint8_t pad[7];
    HANDLE RootDirectory;    /* 0x08 */
    ULONG FileNameLength;    /* 0x10, bytes */
    WCHAR FileName[1];       /* 0x14 */
} FILE_RENAME_INFORMATION;
_Static_assert(offsetof(FILE_RENAME_INFORMATION, FileName) == 0x14, "FILE_RENAME_INFORMATION");

/* ---- small helpers ---- */

static void k32_ft_from_li(FILETIME *ft, LARGE_INTEGER li)
{
    ft->dwLowDateTime = (uint32_t)li.QuadPart;
    ft->dwHighDateTime = (uint32_t)((uint64_t)li.QuadPart >> 32);
}

static LARGE_INTEGER k32_li_from_ft(const FILETIME *ft)
{
    LARGE_INTEGER li;
    li.QuadPart = (int64_t)(((uint64_t)ft->dwHighDateTime << 32) | ft->dwLowDateTime);
    return li;
}

/* NtOpenFile on a Win32 path. */
static NTSTATUS k32_open(const WCHAR *path, uint32_t access, uint32_t sharing, uint32_t options,
                         HANDLE *h, bool *bad_path)
{
    UNICODE_STRING nt;
    OBJECT_ATTRIBUTES attr;
    IO_STATUS_BLOCK io;
    *h = NULL;
    *bad_path = false;
    if (!k32_nt_path(path, &nt)) {
        *bad_path = true;
        return STATUS_OBJECT_PATH_NOT_FOUND;
    }
    k32_init_attr(&attr, &nt);
    NTSTATUS st = NtOpenFile(h, access, &attr, &io, sharing, options);
    k32_free_nt_path(&nt);
    return st;
}

/* k32_open, setting the last error on failure (unless the path itself was bad: already set). */
static HANDLE k32_open_or_fail(const WCHAR *path, uint32_t access, uint32_t sharing,
                               uint32_t options)
{
    HANDLE h;
    bool bad_path;
    NTSTATUS st = k32_open(path, access, sharing, options, &h, &bad_path);
    if (!NT_SUCCESS(st)) {
        if (!bad_path)
            thk_set_last_status(st);
        return NULL;
    }
    return h;
}

/* ======================================================================================== */
/* CreateFile, ReadFile, WriteFile, CloseHandle                                             */
/* ======================================================================================== */

HANDLE WINAPI CreateFileW(const WCHAR *name, DWORD access, DWORD sharing, void *sa,
                          DWORD disposition, DWORD flags, HANDLE template_file)
{
    static const uint32_t nt_disposition[6] = {
        0, FILE_CREATE /* CREATE_NEW */, FILE_OVERWRITE_IF /* CREATE_ALWAYS */,
        FILE_OPEN /* OPEN_EXISTING */, FILE_OPEN_IF /* OPEN_ALWAYS */,
        FILE_OVERWRITE /* TRUNCATE_EXISTING */,
    };
    if (disposition < CREATE_NEW || disposition > TRUNCATE_EXISTING) {
        thk_set_last_error(ERROR_INVALID_PARAMETER);
        return INVALID_HANDLE_VALUE;
    }
    if (!name || !*name) {
        thk_set_last_error(ERROR_PATH_NOT_FOUND);
        return INVALID_HANDLE_VALUE;
    }
    uint32_t options = 0;
    if (!(flags & K32_FILE_FLAG_OVERLAPPED))
        options |= FILE_SYNCHRONOUS_IO_NONALERT;
    if (flags & FILE_FLAG_BACKUP_SEMANTICS)
        options |= FILE_OPEN_FOR_BACKUP_INTENT;
    else
        options |= FILE_NON_DIRECTORY_FILE;
    if (flags & FILE_FLAG_DELETE_ON_CLOSE) {
        options |= FILE_DELETE_ON_CLOSE;
        access |= DELETE;
    }
    if (flags & K32_FILE_FLAG_WRITE_THROUGH)
        options |= FILE_WRITE_THROUGH;
    if (flags & K32_FILE_FLAG_NO_BUFFERING)
        options |= K32_FILE_NO_INTERMEDIATE_BUFFERING;
    if (flags & K32_FILE_FLAG_RANDOM_ACCESS)
        options |= K32_FILE_RANDOM_ACCESS;
    if (flags & K32_FILE_FLAG_SEQUENTIAL_SCAN)
        options |= FILE_SEQUENTIAL_ONLY;
    if (flags & K32_FILE_FLAG_OPEN_REPARSE_POINT)
        options |= K32_FILE_OPEN_REPARSE_POINT;
    if (flags & K32_FILE_FLAG_OPEN_NO_RECALL)
        options |= K32_FILE_OPEN_NO_RECALL;
    access |= SYNCHRONIZE | FILE_READ_ATTRIBUTES;

    UNICODE_STRING nt;
    OBJECT_ATTRIBUTES attr;
    IO_STATUS_BLOCK io = {0};
    HANDLE h = NULL;
    if (!k32_nt_path(name, &nt))
        return INVALID_HANDLE_VALUE;
    k32_init_attr(&attr, &nt);
    const struct {
        DWORD nLength;              /* 0x00 */
        void *lpSecurityDescriptor; /* 0x08 */
        BOOL bInheritHandle;        /* 0x10 */
    } *sec = sa;
    if (sec && sec->bInheritHandle) /* a child started with bInheritHandles gets it */
        attr.Attributes |= 0x2; /* OBJ_INHERIT */
    NTSTATUS st = NtCreateFile(&h, access, &attr, &io, NULL, flags & K32_FILE_ATTRIBUTE_VALID_FLAGS,
                               sharing, nt_disposition[disposition], options, NULL, 0);
    k32_free_nt_path(&nt);
    if (!NT_SUCCESS(st)) {
        if (st == STATUS_OBJECT_NAME_COLLISION)
            thk_set_last_error(ERROR_FILE_EXISTS);
        else
            thk_set_last_status(st);
        return INVALID_HANDLE_VALUE;
    }
    if ((disposition == CREATE_ALWAYS && io.Information == FILE_OVERWRITTEN) ||
        (disposition == OPEN_ALWAYS && io.Information == FILE_OPENED))
        thk_set_last_error(ERROR_ALREADY_EXISTS);
    else
        thk_set_last_error(ERROR_SUCCESS);
    return h;
}
THK_EXPORT(kernel32, CreateFileW, 7);

HANDLE WINAPI CreateFileA(const char *name, DWORD access, DWORD sharing, void *sa,
                          DWORD disposition, DWORD flags, HANDLE template_file)
{
    WCHAR *w;
    HANDLE h = k32_arg_w(name, &w)
                   ? CreateFileW(w, access, sharing, sa, disposition, flags, template_file)
                   : INVALID_HANDLE_VALUE;
    free(w);
    return h;
}
THK_EXPORT(kernel32, CreateFileA, 7);

/* ReadFile and WriteFile as Windows' kernel32 issues them: with an OVERLAPPED, the OVERLAPPED is
 * the status block and the port packet's context (none when hEvent's low bit is set), hEvent
 * (low bit cleared) the event; STATUS_PENDING is ERROR_IO_PENDING. Without one, a request that
 * pends (a file opened with FILE_FLAG_OVERLAPPED) is waited for here. */
static BOOL k32_rw(HANDLE h, void *buf, DWORD n, DWORD *done, OVERLAPPED *ov, bool write)
{
    IO_STATUS_BLOCK io = {0};
    LARGE_INTEGER off;
    NTSTATUS st;
    if (done)
        *done = 0;
    if (ov) {
        off.QuadPart = (int64_t)(((uint64_t)ov->OffsetHigh << 32) | ov->Offset);
        ov->Internal = (ULONG_PTR)(uint32_t)STATUS_PENDING;
        ov->InternalHigh = 0;
        HANDLE ev = (HANDLE)((ULONG_PTR)ov->hEvent & ~(ULONG_PTR)1);
        void *ctx = ((ULONG_PTR)ov->hEvent & 1) ? NULL : ov;
        st = write ? NtWriteFile(h, ev, NULL, ctx, (IO_STATUS_BLOCK *)ov, buf, n, &off, NULL)
                   : NtReadFile(h, ev, NULL, ctx, (IO_STATUS_BLOCK *)ov, buf, n, &off, NULL);
        if (st == STATUS_PENDING) {
            thk_set_last_error(ERROR_IO_PENDING);
            return FALSE;
        }
        if (st == STATUS_BUFFER_OVERFLOW && done) /* ERROR_MORE_DATA: part of a message */
            *done = (DWORD)ov->InternalHigh;
        if (!NT_SUCCESS(st)) {
            thk_set_last_status(st);
            return FALSE;
        }
        if (done)
            *done = (DWORD)ov->InternalHigh;
        return TRUE;
    }
    st = write ? NtWriteFile(h, NULL, NULL, NULL, &io, buf, n, NULL, NULL)
               : NtReadFile(h, NULL, NULL, NULL, &io, buf, n, NULL, NULL);
    if (st == STATUS_PENDING) {
        st = nt_async_wait_iosb(h, &io, INT64_MAX);
        if (st == STATUS_SUCCESS)
            st = io.Status;
    }
    if (st == STATUS_END_OF_FILE && !write)
        return TRUE; /* end of file: success with 0 bytes */
    if (st == STATUS_BUFFER_OVERFLOW && done) /* ERROR_MORE_DATA: part of a message */
        *done = (DWORD)io.Information;
    if (!NT_SUCCESS(st)) {
        thk_set_last_status(st);
        return FALSE;
    }
    if (done)
        *done = (DWORD)io.Information;
    return TRUE;
}

BOOL WINAPI ReadFile(HANDLE h, void *buf, DWORD n, DWORD *nread, OVERLAPPED *ov)
{
    return k32_rw(h, buf, n, nread, ov, false);
}
THK_EXPORT(kernel32, ReadFile, 5);

BOOL WINAPI WriteFile(HANDLE h, const void *buf, DWORD n, DWORD *written, OVERLAPPED *ov)
{
    return k32_rw(h, (void *)buf, n, written, ov, true);
}
THK_EXPORT(kernel32, WriteFile, 5);

BOOL WINAPI CloseHandle(HANDLE h)
{
    if (h == NtCurrentProcess() || h == NtCurrentThread())
        return TRUE;
    /* The standard-handle pseudo values close the real handle and clear it, as on Windows. */
    DWORD which = (DWORD)(uintptr_t)h;
    if ((intptr_t)h >= -12 && (intptr_t)h <= -10) {
        HANDLE real = GetStdHandle(which);
        SetStdHandle(which, NULL);
        h = real;
    }
    NTSTATUS st = NtClose(h);
    if (!NT_SUCCESS(st)) {
        thk_set_last_status(st);
        return FALSE;
    }
    return TRUE;
}
THK_EXPORT(kernel32, CloseHandle, 1);

/* ======================================================================================== */
/* File pointer and size                                                                    */
/* ======================================================================================== */

/* Moves the pointer; the new position in *pos. Sets the last error on failure. */
static bool k32_seek(HANDLE h, int64_t dist, DWORD method, int64_t *pos)
{
    IO_STATUS_BLOCK io;
    int64_t base;
    NTSTATUS st;
    switch (method) {
    case WIN_FILE_BEGIN:
        base = 0;
        break;
    case WIN_FILE_CURRENT: {
        FILE_POSITION_INFORMATION fp;
        st = NtQueryInformationFile(h, &io, &fp, sizeof fp, FilePositionInformation);
        if (!NT_SUCCESS(st)) {
            thk_set_last_status(st);
            return false;
        }
        base = fp.CurrentByteOffset.QuadPart;
        break;
    }
    case WIN_FILE_END: {
        FILE_STANDARD_INFORMATION si;
        st = NtQueryInformationFile(h, &io, &si, sizeof si, FileStandardInformation);
        if (!NT_SUCCESS(st)) {
            thk_set_last_status(st);
            return false;
        }
        base = si.EndOfFile.QuadPart;
        break;
    }
    default:
        thk_set_last_error(ERROR_INVALID_PARAMETER);
        return false;
    }
    int64_t target;
    if (__builtin_add_overflow(base, dist, &target) || target < 0) {
        thk_set_last_error(ERROR_NEGATIVE_SEEK);
        return false;
    }
    FILE_POSITION_INFORMATION fp = {.CurrentByteOffset.QuadPart = target};
    st = NtSetInformationFile(h, &io, &fp, sizeof fp, FilePositionInformation);
    if (!NT_SUCCESS(st)) {
        thk_set_last_status(st);
        return false;
    }
    *pos = target;
    return true;
}

DWORD WINAPI SetFilePointer(HANDLE h, LONG dist, LONG *dist_high, DWORD method)
{
    int64_t d = dist_high ? (int64_t)(((uint64_t)(uint32_t)*dist_high << 32) | (uint32_t)dist)
                          : (int64_t)dist;
    int64_t pos;
    if (!k32_seek(h, d, method, &pos))
        return INVALID_SET_FILE_POINTER;
    if (dist_high)
        *dist_high = (LONG)(pos >> 32);
    if ((uint32_t)pos == INVALID_SET_FILE_POINTER)
        thk_set_last_error(ERROR_SUCCESS); /* tells a real position from a failure */
    return (DWORD)pos;
}
THK_EXPORT(kernel32, SetFilePointer, 4);

BOOL WINAPI SetFilePointerEx(HANDLE h, LARGE_INTEGER dist, LARGE_INTEGER *new_pos, DWORD method)
{
    int64_t pos;
    if (!k32_seek(h, dist.QuadPart, method, &pos))
        return FALSE;
    if (new_pos)
        new_pos->QuadPart = pos;
    return TRUE;
}
THK_EXPORT(kernel32, SetFilePointerEx, 4);

BOOL WINAPI GetFileSizeEx(HANDLE h, LARGE_INTEGER *size)
{
    IO_STATUS_BLOCK io;
    FILE_STANDARD_INFORMATION si;
    NTSTATUS st = NtQueryInformationFile(h, &io, &si, sizeof si, FileStandardInformation);
    if (!NT_SUCCESS(st)) {
        thk_set_last_status(st);
        return FALSE;
    }
    size->QuadPart = si.EndOfFile.QuadPart;
    return TRUE;
}
THK_EXPORT(kernel32, GetFileSizeEx, 2);

DWORD WINAPI GetFileSize(HANDLE h, DWORD *high)
{
    LARGE_INTEGER size;
    if (!GetFileSizeEx(h, &size))
        return K32_INVALID_FILE_SIZE;
    if (high)
        *high = (DWORD)(size.QuadPart >> 32);
    if ((uint32_t)size.QuadPart == K32_INVALID_FILE_SIZE)
        thk_set_last_error(ERROR_SUCCESS);
    return (DWORD)size.QuadPart;
}
THK_EXPORT(kernel32, GetFileSize, 2);

BOOL WINAPI SetEndOfFile(HANDLE h)
{
    IO_STATUS_BLOCK io;
    FILE_POSITION_INFORMATION fp;
    NTSTATUS st = NtQueryInformationFile(h, &io, &fp, sizeof fp, FilePositionInformation);
    if (NT_SUCCESS(st)) {
        FILE_END_OF_FILE_INFORMATION eof = {.EndOfFile = fp.CurrentByteOffset};
        st = NtSetInformationFile(h, &io, &eof, sizeof eof, FileEndOfFileInformation);
    }
    if (!NT_SUCCESS(st)) {
        thk_set_last_status(st);
        return FALSE;
    }
    return TRUE;
}
THK_EXPORT(kernel32, SetEndOfFile, 1);

BOOL WINAPI FlushFileBuffers(HANDLE h)
{
    IO_STATUS_BLOCK io;
    NTSTATUS st = NtFlushBuffersFile(h, &io);
    if (!NT_SUCCESS(st)) {
        thk_set_last_status(st);
        return FALSE;
    }
    return TRUE;
}
THK_EXPORT(kernel32, FlushFileBuffers, 1);

/* ======================================================================================== */
/* Delete, move, copy                                                                       */
/* ======================================================================================== */

/* Opens `path` for deletion (a file, or a directory with `dir`) and marks it deleted. */
static BOOL k32_delete(const WCHAR *path, bool dir)
{
    HANDLE h = k32_open_or_fail(path, DELETE | SYNCHRONIZE | FILE_READ_ATTRIBUTES,
                                K32_FILE_SHARE_ALL,
                                (dir ? FILE_DIRECTORY_FILE : FILE_NON_DIRECTORY_FILE) |
                                    FILE_SYNCHRONOUS_IO_NONALERT | FILE_OPEN_FOR_BACKUP_INTENT |
                                    K32_FILE_OPEN_REPARSE_POINT);
    if (!h)
        return FALSE;
    IO_STATUS_BLOCK io;
    FILE_DISPOSITION_INFORMATION di = {.DeleteFile = 1};
    NTSTATUS st = NtSetInformationFile(h, &io, &di, sizeof di, FileDispositionInformation);
    NtClose(h);
    if (!NT_SUCCESS(st)) {
        thk_set_last_status(st);
        return FALSE;
    }
    return TRUE;
}

BOOL WINAPI DeleteFileW(const WCHAR *path) { return k32_delete(path, false); }
THK_EXPORT(kernel32, DeleteFileW, 1);

BOOL WINAPI DeleteFileA(const char *path)
{
    WCHAR *w;
    BOOL r = k32_arg_w(path, &w) ? DeleteFileW(w) : FALSE;
    free(w);
    return r;
}
THK_EXPORT(kernel32, DeleteFileA, 1);

BOOL WINAPI RemoveDirectoryW(const WCHAR *path) { return k32_delete(path, true); }
THK_EXPORT(kernel32, RemoveDirectoryW, 1);

BOOL WINAPI RemoveDirectoryA(const char *path)
{
    WCHAR *w;
    BOOL r = k32_arg_w(path, &w) ? RemoveDirectoryW(w) : FALSE;
    free(w);
    return r;
}
THK_EXPORT(kernel32, RemoveDirectoryA, 1);

BOOL WINAPI CopyFileExW(const WCHAR *src, const WCHAR *dst, void *progress, void *data,
                        BOOL *cancel, DWORD flags);

BOOL WINAPI MoveFileExW(const WCHAR *src, const WCHAR *dst, DWORD flags)
{
    if (!src) {
        thk_set_last_error(ERROR_INVALID_PARAMETER);
        return FALSE;
    }
    if ((flags & K32_MOVEFILE_DELAY_UNTIL_REBOOT) || !dst) {
        thk_set_last_error(ERROR_ACCESS_DENIED); /* needs an administrator on Windows too */
        return FALSE;
    }
    HANDLE h = k32_open_or_fail(src, DELETE | SYNCHRONIZE, K32_FILE_SHARE_ALL,
                                FILE_SYNCHRONOUS_IO_NONALERT | FILE_OPEN_FOR_BACKUP_INTENT |
                                    K32_FILE_OPEN_REPARSE_POINT);
    if (!h)
        return FALSE;
    UNICODE_STRING nt;
    if (!k32_nt_path(dst, &nt)) {
        NtClose(h);
        return FALSE;
    }
    size_t size = offsetof(FILE_RENAME_INFORMATION, FileName) + nt.Length;
    FILE_RENAME_INFORMATION *ri = calloc(1, size + sizeof(WCHAR));
    if (!ri) {
        k32_free_nt_path(&nt);
        NtClose(h);
        thk_set_last_error(ERROR_NOT_ENOUGH_MEMORY);
        return FALSE;
    }
    ri->ReplaceIfExists = (flags & K32_MOVEFILE_REPLACE_EXISTING) ? 1 : 0;
    ri->FileNameLength = nt.Length;
    memcpy(ri->FileName, nt.Buffer, nt.Length);
    k32_free_nt_path(&nt);
    IO_STATUS_BLOCK io;
    NTSTATUS st = NtSetInformationFile(h, &io, ri, (uint32_t)size, FileRenameInformation);
    free(ri);
    NtClose(h);
    if (st == K32_STATUS_NOT_SAME_DEVICE && (flags & K32_MOVEFILE_COPY_ALLOWED)) {
        if (!CopyFileExW(src, dst, NULL, NULL, NULL,
                         (flags & K32_MOVEFILE_REPLACE_EXISTING) ? 0
                                                                 : K32_COPY_FILE_FAIL_IF_EXISTS))
            return FALSE;
        return DeleteFileW(src);
    }
    if (!NT_SUCCESS(st)) {
        thk_set_last_status(st);
        return FALSE;
    }
    return TRUE;
}
THK_EXPORT(kernel32, MoveFileExW, 3);

BOOL WINAPI MoveFileExA(const char *src, const char *dst, DWORD flags)
{
    WCHAR *ws, *wd;
    BOOL r = k32_args_w(src, &ws, dst, &wd, NULL, NULL) ? MoveFileExW(ws, wd, flags) : FALSE;
    free(ws);
    free(wd);
    return r;
}
THK_EXPORT(kernel32, MoveFileExA, 3);

BOOL WINAPI MoveFileW(const WCHAR *src, const WCHAR *dst)
{
    return MoveFileExW(src, dst, K32_MOVEFILE_COPY_ALLOWED);
}
THK_EXPORT(kernel32, MoveFileW, 2);

BOOL WINAPI MoveFileA(const char *src, const char *dst)
{
    return MoveFileExA(src, dst, K32_MOVEFILE_COPY_ALLOWED);
}
THK_EXPORT(kernel32, MoveFileA, 2);

BOOL WINAPI CopyFileExW(const WCHAR *src, const WCHAR *dst, void *progress, void *data,
                        BOOL *cancel, DWORD flags)
{
    if (!src || !dst) {
        thk_set_last_error(ERROR_INVALID_PARAMETER);
        return FALSE;
    }
    HANDLE hs = CreateFileW(src, GENERIC_READ, FILE_SHARE_READ | FILE_SHARE_DELETE, NULL,
                            OPEN_EXISTING, K32_FILE_FLAG_SEQUENTIAL_SCAN, NULL);
    if (hs == INVALID_HANDLE_VALUE)
        return FALSE;
    IO_STATUS_BLOCK io;
    FILE_BASIC_INFORMATION bi;
    NTSTATUS st = NtQueryInformationFile(hs, &io, &bi, sizeof bi, FileBasicInformation);
    if (!NT_SUCCESS(st)) {
        thk_set_last_status(st);
        NtClose(hs);
        return FALSE;
    }
    HANDLE hd = CreateFileW(dst, GENERIC_WRITE, 0, NULL,
                            (flags & K32_COPY_FILE_FAIL_IF_EXISTS) ? CREATE_NEW : CREATE_ALWAYS,
                            bi.FileAttributes & ~(uint32_t)FILE_ATTRIBUTE_READONLY, NULL);
    if (hd == INVALID_HANDLE_VALUE) {
        NtClose(hs);
        return FALSE;
    }
    BOOL ok = TRUE;
    size_t cap = 1 << 16;
    char *buf = malloc(cap);
    if (!buf) {
        thk_set_last_error(ERROR_NOT_ENOUGH_MEMORY);
        ok = FALSE;
    }
    while (ok) {
        st = NtReadFile(hs, NULL, NULL, NULL, &io, buf, (uint32_t)cap, NULL, NULL);
        if (st == STATUS_END_OF_FILE || (NT_SUCCESS(st) && io.Information == 0))
            break;
        if (!NT_SUCCESS(st)) {
            thk_set_last_status(st);
            ok = FALSE;
            break;
        }
        size_t got = io.Information, done = 0;
        while (done < got) {
            IO_STATUS_BLOCK wio;
            st = NtWriteFile(hd, NULL, NULL, NULL, &wio, buf + done, (uint32_t)(got - done),
                             NULL, NULL);
            if (!NT_SUCCESS(st) || !wio.Information) {
                thk_set_last_status(NT_SUCCESS(st) ? STATUS_DISK_FULL : st);
                ok = FALSE;
                break;
            }
            done += wio.Information;
        }
    }
    free(buf);
    if (ok) {
        /* the copy keeps the source's times and attributes */
        FILE_BASIC_INFORMATION set = bi;
        set.CreationTime.QuadPart = 0;
        set.ChangeTime.QuadPart = 0;
        NtSetInformationFile(hd, &io, &set, sizeof set, FileBasicInformation);
    }
    NtClose(hd);
    NtClose(hs);
    if (!ok) {
        uint32_t err = thk_get_last_error();
        DeleteFileW(dst);
        thk_set_last_error(err);
    }
    return ok;
}
THK_EXPORT(kernel32, CopyFileExW, 6);

BOOL WINAPI CopyFileW(const WCHAR *src, const WCHAR *dst, BOOL fail_if_exists)
{
    return CopyFileExW(src, dst, NULL, NULL, NULL,
                       fail_if_exists ? K32_COPY_FILE_FAIL_IF_EXISTS : 0);
}
THK_EXPORT(kernel32, CopyFileW, 3);

BOOL WINAPI CopyFileA(const char *src, const char *dst, BOOL fail_if_exists)
{
    WCHAR *ws, *wd;
    BOOL r = k32_args_w(src, &ws, dst, &wd, NULL, NULL) ? CopyFileW(ws, wd, fail_if_exists) : FALSE;
    free(ws);
    free(wd);
    return r;
}
THK_EXPORT(kernel32, CopyFileA, 3);

/* ======================================================================================== */
/* Attributes and directories                                                               */
/* ======================================================================================== */

DWORD WINAPI GetFileAttributesW(const WCHAR *path)
{
    UNICODE_STRING nt;
    OBJECT_ATTRIBUTES attr;
    FILE_BASIC_INFORMATION bi;
    if (!k32_nt_path(path, &nt))
        return INVALID_FILE_ATTRIBUTES;
    k32_init_attr(&attr, &nt);
    NTSTATUS st = NtQueryAttributesFile(&attr, &bi);
    k32_free_nt_path(&nt);
    if (!NT_SUCCESS(st)) {
        thk_set_last_status(st);
        return INVALID_FILE_ATTRIBUTES;
    }
    return bi.FileAttributes;
}
THK_EXPORT(kernel32, GetFileAttributesW, 1);

DWORD WINAPI GetFileAttributesA(const char *path)
{
    WCHAR *w;
    DWORD r = k32_arg_w(path, &w) ? GetFileAttributesW(w) : INVALID_FILE_ATTRIBUTES;
    free(w);
    return r;
}
THK_EXPORT(kernel32, GetFileAttributesA, 1);

/* Basic and standard information of an open handle. */
static bool k32_query_basic_standard(HANDLE h, FILE_BASIC_INFORMATION *bi,
                                     FILE_STANDARD_INFORMATION *si)
{
    IO_STATUS_BLOCK io;
    NTSTATUS st = NtQueryInformationFile(h, &io, bi, sizeof *bi, FileBasicInformation);
    if (NT_SUCCESS(st))
        st = NtQueryInformationFile(h, &io, si, sizeof *si, FileStandardInformation);
    if (!NT_SUCCESS(st)) {
        thk_set_last_status(st);
        return false;
    }
    return true;
}

BOOL WINAPI GetFileAttributesExW(const WCHAR *path, int level, WIN32_FILE_ATTRIBUTE_DATA *data)
{
    if (level != 0 /* GetFileExInfoStandard */ || !data) {
        thk_set_last_error(ERROR_INVALID_PARAMETER);
        return FALSE;
    }
    HANDLE h = k32_open_or_fail(path, FILE_READ_ATTRIBUTES | SYNCHRONIZE, K32_FILE_SHARE_ALL,
                                FILE_SYNCHRONOUS_IO_NONALERT | FILE_OPEN_FOR_BACKUP_INTENT);
    if (!h)
        return FALSE;
    FILE_BASIC_INFORMATION bi;
    FILE_STANDARD_INFORMATION si;
    bool ok = k32_query_basic_standard(h, &bi, &si);
    NtClose(h);
    if (!ok)
        return FALSE;
    data->dwFileAttributes = bi.FileAttributes;
    k32_ft_from_li(&data->ftCreationTime, bi.CreationTime);
    k32_ft_from_li(&data->ftLastAccessTime, bi.LastAccessTime);
    k32_ft_from_li(&data->ftLastWriteTime, bi.LastWriteTime);
    uint64_t size = si.Directory ? 0 : (uint64_t)si.EndOfFile.QuadPart;
    data->nFileSizeHigh = (DWORD)(size >> 32);
    data->nFileSizeLow = (DWORD)size;
    return TRUE;
}
THK_EXPORT(kernel32, GetFileAttributesExW, 3);

BOOL WINAPI GetFileAttributesExA(const char *path, int level, WIN32_FILE_ATTRIBUTE_DATA *data)
{
    WCHAR *w;
    BOOL r = k32_arg_w(path, &w) ? GetFileAttributesExW(w, level, data) : FALSE;
    free(w);
    return r;
}
THK_EXPORT(kernel32, GetFileAttributesExA, 3);

BOOL WINAPI SetFileAttributesW(const WCHAR *path, DWORD attrs)
{
    HANDLE h = k32_open_or_fail(path, FILE_WRITE_ATTRIBUTES | SYNCHRONIZE, K32_FILE_SHARE_ALL,
                                FILE_SYNCHRONOUS_IO_NONALERT | FILE_OPEN_FOR_BACKUP_INTENT);
    if (!h)
        return FALSE;
    FILE_BASIC_INFORMATION bi;
    memset(&bi, 0, sizeof bi); /* zero times: unchanged */
    bi.FileAttributes = attrs ? attrs : FILE_ATTRIBUTE_NORMAL;
    IO_STATUS_BLOCK io;
    NTSTATUS st = NtSetInformationFile(h, &io, &bi, sizeof bi, FileBasicInformation);
    NtClose(h);
    if (!NT_SUCCESS(st)) {
        thk_set_last_status(st);
        return FALSE;
    }
    return TRUE;
}
THK_EXPORT(kernel32, SetFileAttributesW, 2);

BOOL WINAPI SetFileAttributesA(const char *path, DWORD attrs)
{
    WCHAR *w;
    BOOL r = k32_arg_w(path, &w) ? SetFileAttributesW(w, attrs) : FALSE;
    free(w);
    return r;
}
THK_EXPORT(kernel32, SetFileAttributesA, 2);

BOOL WINAPI CreateDirectoryW(const WCHAR *path, void *sa)
{
    UNICODE_STRING nt;
    OBJECT_ATTRIBUTES attr;
    IO_STATUS_BLOCK io;
    HANDLE h;
    if (!k32_nt_path(path, &nt))
        return FALSE;
    k32_init_attr(&attr, &nt);
    NTSTATUS st = NtCreateFile(&h, FILE_LIST_DIRECTORY | SYNCHRONIZE, &attr, &io, NULL,
                               FILE_ATTRIBUTE_NORMAL, FILE_SHARE_READ | FILE_SHARE_WRITE,
                               FILE_CREATE,
                               FILE_DIRECTORY_FILE | FILE_SYNCHRONOUS_IO_NONALERT |
                                   FILE_OPEN_FOR_BACKUP_INTENT,
                               NULL, 0);
    k32_free_nt_path(&nt);
    if (!NT_SUCCESS(st)) {
        thk_set_last_status(st);
        return FALSE;
    }
    NtClose(h);
    return TRUE;
}
THK_EXPORT(kernel32, CreateDirectoryW, 2);

BOOL WINAPI CreateDirectoryA(const char *path, void *sa)
{
    WCHAR *w;
    BOOL r = k32_arg_w(path, &w) ? CreateDirectoryW(w, sa) : FALSE;
    free(w);
    return r;
}
THK_EXPORT(kernel32, CreateDirectoryA, 2);

BOOL WINAPI CreateDirectoryExW(const WCHAR *template_dir, const WCHAR *path, void *sa)
{
    return CreateDirectoryW(path, sa);
}
THK_EXPORT(kernel32, CreateDirectoryExW, 3);

/* ======================================================================================== */
/* FindFirstFile / FindNextFile                                                             */
/* ======================================================================================== */

#define K32_FIND_BUFFER 0x10000

typedef struct {
    nt_object hdr;
    pthread_mutex_t lock;
    HANDLE dir;
    UNICODE_STRING mask;
    uint8_t *buf;
    size_t len, pos; /* valid bytes in buf; offset of the next entry (len: none left) */
    bool end;        /* the directory has no more entries */
    bool basic;      /* FindExInfoBasic: no short names */
} k32_find;

static void k32_find_destroy(nt_object *obj)
{
    k32_find *f = (k32_find *)obj;
    if (f->dir)
        NtClose(f->dir);
    free(f->mask.Buffer);
    free(f->buf);
    pthread_mutex_destroy(&f->lock);
    free(f);
}

/* Fetches the next batch. STATUS_NO_MORE_FILES at the end. */
static NTSTATUS k32_find_fill(k32_find *f, bool restart)
{
    IO_STATUS_BLOCK io = {0};
    NTSTATUS st = NtQueryDirectoryFile(f->dir, NULL, NULL, NULL, &io, f->buf, K32_FIND_BUFFER,
                                       FileBothDirectoryInformation, 0, &f->mask,
                                       restart ? 1 : 0);
    if (!NT_SUCCESS(st)) {
        f->len = f->pos = 0;
        return st;
    }
    f->len = io.Information;
    f->pos = 0;
    if (!f->len)
        return STATUS_NO_MORE_FILES;
    return STATUS_SUCCESS;
}

/* Copies the next entry into data; STATUS_NO_MORE_FILES at the end. Caller holds f->lock. */
static NTSTATUS k32_find_next(k32_find *f, WIN32_FIND_DATAW *data)
{
    if (f->pos >= f->len) {
        if (f->end)
            return STATUS_NO_MORE_FILES;
        NTSTATUS st = k32_find_fill(f, false);
        if (!NT_SUCCESS(st) || st == STATUS_NO_MORE_FILES) {
            f->end = true;
            return st == STATUS_NO_SUCH_FILE || NT_SUCCESS(st) ? STATUS_NO_MORE_FILES : st;
        }
    }
    const FILE_BOTH_DIR_INFORMATION *e = (const FILE_BOTH_DIR_INFORMATION *)(f->buf + f->pos);
    f->pos = e->NextEntryOffset ? f->pos + e->NextEntryOffset : f->len;
    memset(data, 0, sizeof *data);
    data->dwFileAttributes = e->FileAttributes;
    k32_ft_from_li(&data->ftCreationTime, e->CreationTime);
    k32_ft_from_li(&data->ftLastAccessTime, e->LastAccessTime);
    k32_ft_from_li(&data->ftLastWriteTime, e->LastWriteTime);
    data->nFileSizeHigh = (DWORD)((uint64_t)e->EndOfFile.QuadPart >> 32);
    data->nFileSizeLow = (DWORD)e->EndOfFile.QuadPart;
    if (e->FileAttributes & 0x400 /* FILE_ATTRIBUTE_REPARSE_POINT */)
        data->dwReserved0 = e->EaSize; /* the reparse tag */
    size_t n = e->FileNameLength / sizeof(WCHAR);
    if (n > MAX_PATH - 1)
        n = MAX_PATH - 1;
    memcpy(data->cFileName, e->FileName, n * sizeof(WCHAR));
    if (!f->basic && e->ShortNameLength > 0) {
        size_t sn = (size_t)e->ShortNameLength / sizeof(WCHAR);
        if (sn > 12)
            sn = 12;
        memcpy(data->cAlternateFileName, e->ShortName, sn * sizeof(WCHAR));
    }
    return STATUS_SUCCESS;
}

HANDLE WINAPI FindFirstFileExW(const WCHAR *name, int level, WIN32_FIND_DATAW *data, int op,
                               void *filter, DWORD flags)
{
    if (!name || !data || filter || (level != 0 && level != 1) || op < 0 || op > 2) {
        thk_set_last_error(ERROR_INVALID_PARAMETER);
        return INVALID_HANDLE_VALUE;
    }
    size_t n = nt_wcslen(name), sep = n;
    while (sep > 0 && name[sep - 1] != '\\' && name[sep - 1] != '/' &&
           !(sep == 2 && name[1] == ':'))
        sep--;
    const WCHAR *mask = name + sep;
    size_t mask_len = n - sep;
    if (!n) {
        thk_set_last_error(ERROR_FILE_NOT_FOUND);
        return INVALID_HANDLE_VALUE;
    }
    /* the directory part: as written ("C:\dir\", "C:"), or the current directory */
    WCHAR *dir = malloc((sep + 2) * sizeof *dir);
    if (!dir) {
        thk_set_last_error(ERROR_NOT_ENOUGH_MEMORY);
        return INVALID_HANDLE_VALUE;
    }
    if (sep) {
        memcpy(dir, name, sep * sizeof *dir);
        dir[sep] = 0;
    } else {
        dir[0] = '.';
        dir[1] = 0;
    }
    k32_find *f = calloc(1, sizeof *f);
    if (f)
        f->buf = malloc(K32_FIND_BUFFER);
    if (!f || !f->buf) {
        free(dir);
        if (f)
            free(f);
        thk_set_last_error(ERROR_NOT_ENOUGH_MEMORY);
        return INVALID_HANDLE_VALUE;
    }
    nt_object_init(&f->hdr, NT_OBJ_FIND, k32_find_destroy);
    pthread_mutex_init(&f->lock, NULL);
    f->basic = level == 1;
    /* "*.*" matches every name, with or without a dot, as in DOS */
    if (mask_len == 3 && mask[0] == '*' && mask[1] == '.' && mask[2] == '*')
        mask_len = 1;
    f->mask.Buffer = malloc((mask_len + 1) * sizeof(WCHAR));
    HANDLE result = INVALID_HANDLE_VALUE;
    if (!f->mask.Buffer) {
        thk_set_last_error(ERROR_NOT_ENOUGH_MEMORY);
        goto out_release;
    }
    memcpy(f->mask.Buffer, mask, mask_len * sizeof(WCHAR));
    f->mask.Buffer[mask_len] = 0;
    f->mask.Length = (uint16_t)(mask_len * sizeof(WCHAR));
    f->mask.MaximumLength = (uint16_t)((mask_len + 1) * sizeof(WCHAR));

    bool bad_path;
    size_t dev_start, dev_len;
    ptrdiff_t unused;
    WCHAR *dir_full = k32_full_path(dir, &unused);
    bool dir_is_device = dir_full && dir_full[0] == '\\' && dir_full[1] == '\\' &&
                         dir_full[2] == '.' && dir_full[3] == '\\';
    free(dir_full);
    if (dir_is_device) { /* "C:\nul\*": a device is not a directory */
        thk_set_last_error(ERROR_PATH_NOT_FOUND);
        goto out_release;
    }
    NTSTATUS st = k32_open(dir, FILE_LIST_DIRECTORY | SYNCHRONIZE, K32_FILE_SHARE_ALL,
                           FILE_DIRECTORY_FILE | FILE_SYNCHRONOUS_IO_NONALERT |
                               FILE_OPEN_FOR_BACKUP_INTENT,
                           &f->dir, &bad_path);
    if (!NT_SUCCESS(st)) {
        f->dir = NULL;
        if (bad_path) {
            /* k32_nt_path set the error */
        } else if (st == STATUS_OBJECT_NAME_NOT_FOUND) {
            thk_set_last_error(ERROR_PATH_NOT_FOUND); /* the directory itself is missing */
        } else {
            thk_set_last_status(st);
        }
        goto out_release;
    }
    if (!mask_len) { /* "C:\dir\": an existing directory, but nothing to match */
        thk_set_last_error(ERROR_FILE_NOT_FOUND);
        goto out_release;
    }
    if (k32_dos_device(mask, mask_len, &dev_start, &dev_len)) {
        /* A device in an existing directory is found, as one archive entry of size 0. */
        bool wild = false;
        for (size_t i = 0; i < mask_len; i++)
            wild |= mask[i] == '*' || mask[i] == '?';
        if (!wild) {
            memset(data, 0, sizeof *data);
            data->dwFileAttributes = FILE_ATTRIBUTE_ARCHIVE;
            memcpy(data->cFileName, mask + dev_start, dev_len * sizeof(WCHAR));
            f->end = true;
            st = nt_handle_alloc(&f->hdr, &result);
            if (!NT_SUCCESS(st)) {
                thk_set_last_status(st);
                result = INVALID_HANDLE_VALUE;
            }
            goto out_release;
        }
    }
    st = k32_find_fill(f, true);
    if (st == STATUS_NO_MORE_FILES || st == STATUS_NO_SUCH_FILE) {
        thk_set_last_error(ERROR_FILE_NOT_FOUND);
        goto out_release;
    }
    if (!NT_SUCCESS(st)) {
        thk_set_last_status(st);
        goto out_release;
    }
    st = k32_find_next(f, data);
    if (st != STATUS_SUCCESS) {
        thk_set_last_error(ERROR_FILE_NOT_FOUND);
        goto out_release;
    }
    st = nt_handle_alloc(&f->hdr, &result);
    if (!NT_SUCCESS(st)) {
        thk_set_last_status(st);
        result = INVALID_HANDLE_VALUE;
    }
out_release:
    nt_object_release(&f->hdr); /* the handle keeps its own reference */
    free(dir);
    return result;
}
THK_EXPORT(kernel32, FindFirstFileExW, 6);

HANDLE WINAPI FindFirstFileW(const WCHAR *name, WIN32_FIND_DATAW *data)
{
    return FindFirstFileExW(name, 0, data, 0, NULL, 0);
}
THK_EXPORT(kernel32, FindFirstFileW, 2);

static void k32_find_data_to_a(const WIN32_FIND_DATAW *w, WIN32_FIND_DATAA *a)
{
    memcpy(a, w, offsetof(WIN32_FIND_DATAA, cFileName));
    memset(a->cFileName, 0, sizeof a->cFileName);
    memset(a->cAlternateFileName, 0, sizeof a->cAlternateFileName);
    WideCharToMultiByte(CP_UTF8, 0, w->cFileName, -1, a->cFileName, MAX_PATH, NULL, NULL);
    a->cFileName[MAX_PATH - 1] = 0;
    WideCharToMultiByte(CP_UTF8, 0, w->cAlternateFileName, -1, a->cAlternateFileName, 14, NULL,
                        NULL);
    a->cAlternateFileName[13] = 0;
}

HANDLE WINAPI FindFirstFileExA(const char *name, int level, WIN32_FIND_DATAA *data, int op,
                               void *filter, DWORD flags)
{
    WCHAR *w;
    WIN32_FIND_DATAW wd;
    if (!data) {
        thk_set_last_error(ERROR_INVALID_PARAMETER);
        return INVALID_HANDLE_VALUE;
    }
    HANDLE h = k32_arg_w(name, &w) ? FindFirstFileExW(w, level, &wd, op, filter, flags)
                                   : INVALID_HANDLE_VALUE;
    free(w);
    if (h != INVALID_HANDLE_VALUE)
        k32_find_data_to_a(&wd, data);
    return h;
}
THK_EXPORT(kernel32, FindFirstFileExA, 6);

HANDLE WINAPI FindFirstFileA(const char *name, WIN32_FIND_DATAA *data)
{
    return FindFirstFileExA(name, 0, data, 0, NULL, 0);
}
THK_EXPORT(kernel32, FindFirstFileA, 2);

BOOL WINAPI FindNextFileW(HANDLE h, WIN32_FIND_DATAW *data)
{
    nt_object *obj;
    if (!NT_SUCCESS(nt_handle_get(h, NT_OBJ_FIND, &obj))) {
        thk_set_last_error(ERROR_INVALID_HANDLE);
        return FALSE;
    }
    k32_find *f = (k32_find *)obj;
    pthread_mutex_lock(&f->lock);
    NTSTATUS st = k32_find_next(f, data);
    pthread_mutex_unlock(&f->lock);
    nt_object_release(obj);
    if (st == STATUS_NO_MORE_FILES) {
        thk_set_last_error(ERROR_NO_MORE_FILES);
        return FALSE;
    }
    if (!NT_SUCCESS(st)) {
        thk_set_last_status(st);
        return FALSE;
    }
    return TRUE;
}
THK_EXPORT(kernel32, FindNextFileW, 2);

BOOL WINAPI FindNextFileA(HANDLE h, WIN32_FIND_DATAA *data)
{
    WIN32_FIND_DATAW wd;
    if (!FindNextFileW(h, &wd))
        return FALSE;
    k32_find_data_to_a(&wd, data);
    return TRUE;
}
THK_EXPORT(kernel32, FindNextFileA, 2);

BOOL WINAPI FindClose(HANDLE h)
{
    nt_object *obj;
    if (!h || h == INVALID_HANDLE_VALUE || !NT_SUCCESS(nt_handle_get(h, NT_OBJ_FIND, &obj))) {
        thk_set_last_error(ERROR_INVALID_HANDLE);
        return FALSE;
    }
    nt_object_release(obj);
    if (!NT_SUCCESS(nt_handle_close(h))) {
        thk_set_last_error(ERROR_INVALID_HANDLE);
        return FALSE;
    }
    return TRUE;
}
THK_EXPORT(kernel32, FindClose, 1);

/* ======================================================================================== */
/* Temporary files                                                                          */
/* ======================================================================================== */

/* TMP, TEMP, USERPROFILE (in that order, as Windows), else the Linux temporary directory;
 * as a full path ending with a backslash. malloc'd. */
static WCHAR *k32_temp_path(void)
{
    static const WCHAR *const vars[] = {u"TMP", u"TEMP", u"USERPROFILE"};
    WCHAR *full = NULL;
    for (size_t i = 0; i < 3 && !full; i++) {
        DWORD n = GetEnvironmentVariableW(vars[i], NULL, 0);
        if (!n)
            continue;
        WCHAR *v = malloc(n * sizeof *v);
        if (v && GetEnvironmentVariableW(vars[i], v, n) == n - 1 && v[0])
            full = k32_full_path(v, NULL);
        free(v);
    }
    if (!full) {
        const char *tmp = getenv("TMPDIR");
        full = nt_path_from_unix(tmp && tmp[0] == '/' ? tmp : "/tmp");
    }
    if (!full)
        return NULL;
    size_t n = nt_wcslen(full);
    if (n && full[n - 1] != '\\') {
        WCHAR *w = realloc(full, (n + 2) * sizeof *w);
        if (!w) {
            free(full);
            return NULL;
        }
        full = w;
        full[n] = '\\';
        full[n + 1] = 0;
    }
    return full;
}

DWORD WINAPI GetTempPathW(DWORD size, WCHAR *buf)
{
    WCHAR *p = k32_temp_path();
    if (!p) {
        thk_set_last_error(ERROR_NOT_ENOUGH_MEMORY);
        return 0;
    }
    DWORD r = k32_return_w(p, nt_wcslen(p), buf, size);
    free(p);
    return r;
}
THK_EXPORT(kernel32, GetTempPathW, 2);

DWORD WINAPI GetTempPathA(DWORD size, char *buf)
{
    WCHAR *p = k32_temp_path();
    if (!p) {
        thk_set_last_error(ERROR_NOT_ENOUGH_MEMORY);
        return 0;
    }
    DWORD r = k32_return_a(p, nt_wcslen(p), buf, size);
    free(p);
    return r;
}
THK_EXPORT(kernel32, GetTempPathA, 2);

/* GetTempPath2W/A (Windows 11, and Windows 10 since 2022): a SYSTEM process gets
 * C:\Windows\SystemTemp, any other GetTempPath's answer. ntrun's processes never run as
 * SYSTEM. */
DWORD WINAPI GetTempPath2W(DWORD size, WCHAR *buf)
{
    return GetTempPathW(size, buf);
}
THK_EXPORT(kernel32, GetTempPath2W, 2);

DWORD WINAPI GetTempPath2A(DWORD size, char *buf)
{
    return GetTempPathA(size, buf);
}
THK_EXPORT(kernel32, GetTempPath2A, 2);

UINT WINAPI GetTempFileNameW(const WCHAR *path, const WCHAR *prefix, UINT unique, WCHAR *buf)
{
    if (!path || !buf) {
        thk_set_last_error(ERROR_INVALID_PARAMETER);
        return 0;
    }
    size_t n = nt_wcslen(path);
    WCHAR base[MAX_PATH + 16];
    if (n + 1 + 3 + 4 + 4 + 1 > MAX_PATH) {
        thk_set_last_error(K32_ERROR_BUFFER_OVERFLOW);
        return 0;
    }
    memcpy(base, path, n * sizeof *base);
    if (n && base[n - 1] != '\\' && base[n - 1] != '/')
        base[n++] = '\\';
    for (size_t i = 0; prefix && i < 3 && prefix[i]; i++)
        base[n++] = prefix[i];
    unique &= 0xffff;
    bool create = unique == 0;
    UINT num = create ? (GetTickCount() & 0xffff) : unique;
    for (UINT tries = 0; tries < 0x10000; tries++) {
        if (!num)
            num = 1;
        char hex[16];
        int k = snprintf(hex, sizeof hex, "%X.tmp", num);
        for (int i = 0; i <= k; i++)
            base[n + (size_t)i] = (WCHAR)(uint8_t)hex[i];
        if (!create) {
            memcpy(buf, base, (n + (size_t)k + 1) * sizeof *buf);
            return num;
        }
        HANDLE h = CreateFileW(base, GENERIC_WRITE, 0, NULL, CREATE_NEW, FILE_ATTRIBUTE_NORMAL,
                               NULL);
        if (h != INVALID_HANDLE_VALUE) {
            NtClose(h);
            memcpy(buf, base, (n + (size_t)k + 1) * sizeof *buf);
            thk_set_last_error(ERROR_SUCCESS);
            return num;
        }
        uint32_t err = thk_get_last_error();
        if (err != ERROR_FILE_EXISTS && err != ERROR_ACCESS_DENIED) {
            if (err == ERROR_PATH_NOT_FOUND)
                thk_set_last_error(ERROR_DIRECTORY);
            return 0;
        }
        num = (num + 1) & 0xffff;
    }
    thk_set_last_error(ERROR_FILE_EXISTS);
    return 0;
}
THK_EXPORT(kernel32, GetTempFileNameW, 4);

UINT WINAPI GetTempFileNameA(const char *path, const char *prefix, UINT unique, char *buf)
{
    WCHAR *wp, *wx, wbuf[MAX_PATH];
    if (!path || !buf) {
        thk_set_last_error(ERROR_INVALID_PARAMETER);
        return 0;
    }
    UINT r =
        k32_args_w(path, &wp, prefix, &wx, NULL, NULL) ? GetTempFileNameW(wp, wx, unique, wbuf) : 0;
    free(wp);
    free(wx);
    if (r && !WideCharToMultiByte(CP_UTF8, 0, wbuf, -1, buf, MAX_PATH, NULL, NULL)) {
        thk_set_last_error(K32_ERROR_BUFFER_OVERFLOW);
        return 0;
    }
    return r;
}
THK_EXPORT(kernel32, GetTempFileNameA, 4);

/* ======================================================================================== */
/* Information and times of an open file                                                   */
/* ======================================================================================== */

BOOL WINAPI GetFileInformationByHandle(HANDLE h, BY_HANDLE_FILE_INFORMATION *info)
{
    FILE_BASIC_INFORMATION bi;
    FILE_STANDARD_INFORMATION si;
    if (!k32_query_basic_standard(h, &bi, &si))
        return FALSE;
    memset(info, 0, sizeof *info);
    info->dwFileAttributes = bi.FileAttributes;
    k32_ft_from_li(&info->ftCreationTime, bi.CreationTime);
    k32_ft_from_li(&info->ftLastAccessTime, bi.LastAccessTime);
    k32_ft_from_li(&info->ftLastWriteTime, bi.LastWriteTime);
    info->nFileSizeHigh = (DWORD)((uint64_t)si.EndOfFile.QuadPart >> 32);
    info->nFileSizeLow = (DWORD)si.EndOfFile.QuadPart;
    info->nNumberOfLinks = si.NumberOfLinks;
    /* volume serial and file index: the device and inode of the Linux file */
    nt_file *f;
    if (NT_SUCCESS(nt_file_get(h, &f))) {
        struct stat sb;
        if (f->fd >= 0 && fstat(f->fd, &sb) == 0) {
            info->dwVolumeSerialNumber = (DWORD)(sb.st_dev ^ (sb.st_dev >> 32));
            info->nFileIndexHigh = (DWORD)((uint64_t)sb.st_ino >> 32);
            info->nFileIndexLow = (DWORD)sb.st_ino;
        }
        nt_object_release(&f->hdr);
    }
    return TRUE;
}
THK_EXPORT(kernel32, GetFileInformationByHandle, 2);

BOOL WINAPI GetFileTime(HANDLE h, FILETIME *creation, FILETIME *access, FILETIME *write)
{
    IO_STATUS_BLOCK io;
    FILE_BASIC_INFORMATION bi;
    NTSTATUS st = NtQueryInformationFile(h, &io, &bi, sizeof bi, FileBasicInformation);
    if (!NT_SUCCESS(st)) {
        thk_set_last_status(st);
        return FALSE;
    }
    if (creation)
        k32_ft_from_li(creation, bi.CreationTime);
    if (access)
        k32_ft_from_li(access, bi.LastAccessTime);
    if (write)
        k32_ft_from_li(write, bi.LastWriteTime);
    return TRUE;
}
THK_EXPORT(kernel32, GetFileTime, 4);

BOOL WINAPI SetFileTime(HANDLE h, const FILETIME *creation, const FILETIME *access,
                        const FILETIME *write)
{
    IO_STATUS_BLOCK io;
    FILE_BASIC_INFORMATION bi;
    memset(&bi, 0, sizeof bi); /* zero: leave unchanged */
    if (creation)
        bi.CreationTime = k32_li_from_ft(creation);
    if (access)
        bi.LastAccessTime = k32_li_from_ft(access);
    if (write)
        bi.LastWriteTime = k32_li_from_ft(write);
    NTSTATUS st = NtSetInformationFile(h, &io, &bi, sizeof bi, FileBasicInformation);
    if (!NT_SUCCESS(st)) {
        thk_set_last_status(st);
        return FALSE;
    }
    return TRUE;
}
THK_EXPORT(kernel32, SetFileTime, 4);

/* ======================================================================================== */
/* Drives                                                                                   */
/* ======================================================================================== */

#define K32_DRIVE_NO_ROOT_DIR 1
#define K32_DRIVE_FIXED 3

/* The drive letter a root names ("C:", "C:\"), the current drive for NULL; 0 if neither. */
static WCHAR k32_root_letter(const WCHAR *root)
{
    if (!root) {
        WCHAR *cwd = k32_current_dir();
        WCHAR l = cwd && cwd[0] && cwd[1] == ':' ? k32_towupper(cwd[0]) : 0;
        free(cwd);
        return l;
    }
    WCHAR l = k32_towupper(root[0]);
    if (l < 'A' || l > 'Z' || root[1] != ':')
        return 0;
    if (root[2] && !((root[2] == '\\' || root[2] == '/') && !root[3]))
        return 0;
    return l;
}

UINT WINAPI GetDriveTypeW(const WCHAR *root)
{
    WCHAR l = k32_root_letter(root);
    return l && nt_path_get_drive((char)l) ? K32_DRIVE_FIXED : K32_DRIVE_NO_ROOT_DIR;
}
THK_EXPORT(kernel32, GetDriveTypeW, 1);

UINT WINAPI GetDriveTypeA(const char *root)
{
    WCHAR w[4] = {0};
    if (!root)
        return GetDriveTypeW(NULL);
    for (size_t i = 0; i < 3 && root[i]; i++)
        w[i] = (WCHAR)(uint8_t)root[i];
    if (strlen(root) > 3)
        return K32_DRIVE_NO_ROOT_DIR;
    return GetDriveTypeW(w);
}
THK_EXPORT(kernel32, GetDriveTypeA, 1);

DWORD WINAPI GetLogicalDrives(void)
{
    DWORD mask = 0;
    for (int i = 0; i < 26; i++)
        if (nt_path_get_drive((char)('A' + i)))
            mask |= 1u << i;
    return mask;
}
THK_EXPORT(kernel32, GetLogicalDrives, 0);

DWORD WINAPI GetLogicalDriveStringsW(DWORD size, WCHAR *buf)
{
    DWORD mask = GetLogicalDrives(), need = 1;
    for (int i = 0; i < 26; i++)
        if (mask & (1u << i))
            need += 4;
    if (size < need || !buf)
        return need;
    WCHAR *p = buf;
    for (int i = 0; i < 26; i++) {
        if (mask & (1u << i)) {
            *p++ = (WCHAR)('A' + i);
            *p++ = ':';
            *p++ = '\\';
            *p++ = 0;
        }
    }
    *p = 0;
    return need - 1;
}
THK_EXPORT(kernel32, GetLogicalDriveStringsW, 2);

BOOL WINAPI GetDiskFreeSpaceExW(const WCHAR *root, uint64_t *avail, uint64_t *total,
                                uint64_t *free_bytes)
{
    UNICODE_STRING nt;
    char *unix_path = NULL;
    if (!k32_nt_path(root ? root : u".", &nt))
        return FALSE;
    NTSTATUS st = nt_path_to_unix(nt.Buffer, nt.Length / sizeof(WCHAR), &unix_path);
    k32_free_nt_path(&nt);
    if (!NT_SUCCESS(st)) {
        thk_set_last_status(st);
        return FALSE;
    }
    struct statvfs vfs;
    int r = statvfs(unix_path, &vfs);
    free(unix_path);
    if (r != 0) {
        thk_set_last_status(nt_status_from_errno(errno));
        return FALSE;
    }
    if (avail)
        *avail = (uint64_t)vfs.f_bavail * vfs.f_frsize;
    if (total)
        *total = (uint64_t)vfs.f_blocks * vfs.f_frsize;
    if (free_bytes)
        *free_bytes = (uint64_t)vfs.f_bfree * vfs.f_frsize;
    return TRUE;
}
THK_EXPORT(kernel32, GetDiskFreeSpaceExW, 4);
