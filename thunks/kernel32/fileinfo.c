/* SPDX-License-Identifier: MIT */
/* kernel32's information-class file calls over NtQueryInformationFile / NtSetInformationFile /
 * NtQueryDirectoryFile, as Windows maps them: GetFileInformationByHandleEx (basic, standard,
 * name, attribute tag, stream, compression, alignment, id, and the directory classes with and
 * without restart), SetFileInformationByHandle (basic, rename, disposition (Ex), allocation,
 * end of file, I/O priority hint), and GetFinalPathNameByHandleW from the file object's path. */
#include <stdlib.h>
#include <string.h>
#include "thunks/kernel32/kernel32_private.h"

#define K32_ERROR_NOT_SUPPORTED 50u

/* FILE_INFO_BY_HANDLE_CLASS -> FILE_INFORMATION_CLASS; dir: a directory class (restart: 1). */
static const struct {
    uint32_t nt;
    int8_t dir; /* 0: file query/set, 1: directory, 2: directory with restart */
    int8_t get, set;
} k32_info_classes[] = {
    [0] = {4, 0, 1, 1},   /* FileBasicInfo -> FileBasicInformation */
    [1] = {5, 0, 1, 0},   /* FileStandardInfo */
    [2] = {9, 0, 1, 0},   /* FileNameInfo */
    [3] = {10, 0, 0, 1},  /* FileRenameInfo */
    [4] = {13, 0, 0, 1},  /* FileDispositionInfo */
    [5] = {19, 0, 0, 1},  /* FileAllocationInfo */
    [6] = {20, 0, 0, 1},  /* FileEndOfFileInfo */
    [7] = {22, 0, 1, 0},  /* FileStreamInfo */
    [8] = {28, 0, 1, 0},  /* FileCompressionInfo */
    [9] = {35, 0, 1, 0},  /* FileAttributeTagInfo */
    [10] = {37, 1, 1, 0}, /* FileIdBothDirectoryInfo */
    [11] = {37, 2, 1, 0}, /* FileIdBothDirectoryRestartInfo */
    [12] = {43, 0, 0, 1}, /* FileIoPriorityHintInfo */
    [13] = {55, 0, 1, 0}, /* FileRemoteProtocolInfo */
    [14] = {2, 1, 1, 0},  /* FileFullDirectoryInfo */
    [15] = {2, 2, 1, 0},  /* FileFullDirectoryRestartInfo */
    [17] = {17, 0, 1, 0}, /* FileAlignmentInfo */
    [18] = {59, 0, 1, 0}, /* FileIdInfo */
    [19] = {60, 1, 1, 0}, /* FileIdExtdDirectoryInfo */
    [20] = {60, 2, 1, 0}, /* FileIdExtdDirectoryRestartInfo */
    [21] = {64, 0, 0, 1}, /* FileDispositionInfoEx */
    [22] = {65, 0, 0, 1}, /* FileRenameInfoEx */
};
#define K32_INFO_CLASSES (sizeof k32_info_classes / sizeof k32_info_classes[0])

BOOL WINAPI GetFileInformationByHandleEx(HANDLE h, DWORD klass, void *buf, DWORD size)
{
    IO_STATUS_BLOCK io;
    NTSTATUS st;
    if (klass >= K32_INFO_CLASSES || !k32_info_classes[klass].get) {
        thk_set_last_error(ERROR_INVALID_PARAMETER);
        return FALSE;
    }
    uint32_t nt = k32_info_classes[klass].nt;
    if (k32_info_classes[klass].dir)
        st = NtQueryDirectoryFile(h, NULL, NULL, NULL, &io, buf, size, nt, FALSE, NULL,
                                  k32_info_classes[klass].dir == 2);
    else
        st = NtQueryInformationFile(h, &io, buf, size, nt);
    if (!NT_SUCCESS(st) || st == STATUS_BUFFER_OVERFLOW) {
        thk_set_last_status(st);
        return FALSE;
    }
    return TRUE;
}
THK_EXPORT(kernel32, GetFileInformationByHandleEx, 4);

BOOL WINAPI SetFileInformationByHandle(HANDLE h, DWORD klass, void *buf, DWORD size)
{
    IO_STATUS_BLOCK io;
    if (klass >= K32_INFO_CLASSES || !k32_info_classes[klass].set) {
        thk_set_last_error(ERROR_INVALID_PARAMETER);
        return FALSE;
    }
    if (klass == 12) /* FileIoPriorityHintInfo: accepted; Linux I/O priorities stay as they are */
        return TRUE;
    NTSTATUS st = NtSetInformationFile(h, &io, buf, size, k32_info_classes[klass].nt);
    if (!NT_SUCCESS(st)) {
        thk_set_last_status(st);
        return FALSE;
    }
    return TRUE;
}
THK_EXPORT(kernel32, SetFileInformationByHandle, 4);

#define K32_VOLUME_NAME_DOS 0x0u
#define K32_VOLUME_NAME_GUID 0x1u
#define K32_VOLUME_NAME_NT 0x2u
#define K32_VOLUME_NAME_NONE 0x4u
#define K32_FILE_NAME_OPENED 0x8u

/* The final path of a handle that no volume holds (NUL, the console, a socket, a pipe), as
 * Windows' kernelbase builds it: FileNameInformation first, whose failure is the call's (NUL:
 * ERROR_INVALID_PARAMETER, as ReactOS's apitest of this call finds on Windows; the console and
 * sockets: ERROR_INVALID_FUNCTION, not confirmed); VOLUME_NAME_NONE is that name ("\name" for a
 * pipe); VOLUME_NAME_NT the object's name (\Device\NamedPipe\name); the DOS and GUID forms
 * fail with ERROR_PATH_NOT_FOUND, the code Microsoft's page on this call gives when no drive
 * letter or volume GUID path names the volume (for the pipe file system: not confirmed). Wine
 * 8.0 fails every form for pipes with ERROR_GEN_FAILURE and for sockets with
 * ERROR_INVALID_HANDLE. */
static DWORD k32_final_path_no_volume(HANDLE h, WCHAR *buf, DWORD size, DWORD flags)
{
    union {
        struct {
            uint32_t bytes;
            WCHAR name[1];
        } file;
        UNICODE_STRING object;
        uint8_t raw[4 + 2 * 1040];
    } u;
    IO_STATUS_BLOCK io;
    NTSTATUS st = NtQueryInformationFile(h, &io, &u, sizeof u, FileNameInformation);
    if (!NT_SUCCESS(st)) {
        thk_set_last_status(st);
        return 0;
    }
    const WCHAR *name = u.file.name;
    size_t n = u.file.bytes / sizeof(WCHAR);
    if (flags & K32_VOLUME_NAME_NT) {
        uint32_t got = 0;
        st = NtQueryObject(h, 1 /* ObjectNameInformation */, &u, sizeof u - sizeof(WCHAR), &got);
        if (!NT_SUCCESS(st)) {
            thk_set_last_status(st);
            return 0;
        }
        name = u.object.Buffer;
        n = u.object.Length / sizeof(WCHAR);
    } else if (!(flags & K32_VOLUME_NAME_NONE)) {
        thk_set_last_error(ERROR_PATH_NOT_FOUND);
        return 0;
    }
    if (size <= n) {
        thk_set_last_error(ERROR_NOT_ENOUGH_MEMORY);
        return (DWORD)(n + 1);
    }
    memcpy(buf, name, n * sizeof(WCHAR));
    buf[n] = 0;
    return (DWORD)n;
}

/* The file's DOS path ("C:\dir\f" or "Z:\..." for the Linux root) from the object's Linux path,
 * resolved through symbolic links (the final path). VOLUME_NAME_DOS gives "\\?\C:\dir\f",
 * VOLUME_NAME_NONE "\dir\f", VOLUME_NAME_NT "\Device\HarddiskVolume<letter index + 1>\dir\f";
 * VOLUME_NAME_GUID is not supported. Returns the length without the terminator, or the size
 * needed with it when `size` is too small. */
DWORD WINAPI GetFinalPathNameByHandleW(HANDLE h, WCHAR *buf, DWORD size, DWORD flags)
{
    /* One volume form at most; other bits are ignored (ReactOS's apitest
     * kernel32/GetFinalPathNameByHandle.c, written against Windows: 7 fails with
     * ERROR_INVALID_PARAMETER, 0x1000 gives the VOLUME_NAME_DOS path). */
    DWORD volume = flags & (K32_VOLUME_NAME_GUID | K32_VOLUME_NAME_NT | K32_VOLUME_NAME_NONE);
    if (volume & (volume - 1)) {
        thk_set_last_error(ERROR_INVALID_PARAMETER);
        return 0;
    }
    nt_file *f;
    NTSTATUS st = nt_file_get(h, &f);
    if (!NT_SUCCESS(st)) {
        thk_set_last_status(st);
        return 0;
    }
    /* Devices without a file system and pipes: through the NT queries, in Windows' order
     * (ReactOS's GetFinalPathNameByHandle.c, written and checked against Windows: the file
     * name first, then the object name). */
    if (nt_file_device_name(f) || nt_file_is_pipe_end(f)) {
        nt_object_release(&f->hdr);
        return k32_final_path_no_volume(h, buf, size, flags);
    }
    if (flags & K32_VOLUME_NAME_GUID) {
        nt_object_release(&f->hdr);
        thk_set_last_error(K32_ERROR_NOT_SUPPORTED);
        return 0;
    }
    char *real = f->unix_path ? realpath(f->unix_path, NULL) : NULL;
    WCHAR *dos = NULL;
    if (real || f->unix_path)
        dos = nt_path_from_unix(real ? real : f->unix_path);
    free(real);
    nt_object_release(&f->hdr);
    if (!dos) {
        thk_set_last_error(f->unix_path ? ERROR_NOT_ENOUGH_MEMORY : ERROR_INVALID_HANDLE);
        return 0;
    }
    size_t n = nt_wcslen(dos);
    WCHAR prefix[32];
    size_t plen = 0;
    const WCHAR *rest = dos;
    if (flags & K32_VOLUME_NAME_NONE) {
        rest = n >= 2 && dos[1] == ':' ? dos + 2 : dos;
    } else if (flags & K32_VOLUME_NAME_NT) {
        static const char dev[] = "\\Device\\HarddiskVolume";
        for (size_t i = 0; dev[i]; i++)
            prefix[plen++] = (WCHAR)dev[i];
        int vol = (k32_towupper(dos[0]) - 'A') + 1;
        if (vol >= 10)
            prefix[plen++] = (WCHAR)('0' + vol / 10);
        prefix[plen++] = (WCHAR)('0' + vol % 10);
        rest = dos + 2;
    } else {
        static const char lp[] = "\\\\?\\";
        for (size_t i = 0; lp[i]; i++)
            prefix[plen++] = (WCHAR)lp[i];
    }
    size_t rlen = n - (size_t)(rest - dos);
    size_t total = plen + rlen;
    if (size <= total) { /* the size needed, the buffer untouched (the same apitest) */
        free(dos);
        thk_set_last_error(ERROR_NOT_ENOUGH_MEMORY);
        return (DWORD)(total + 1);
    }
    memcpy(buf, prefix, plen * sizeof(WCHAR));
    memcpy(buf + plen, rest, rlen * sizeof(WCHAR));
    buf[total] = 0;
    free(dos);
    if (!(flags & (K32_VOLUME_NAME_NT | K32_VOLUME_NAME_NONE)))
        thk_set_last_error(0); /* Windows clears it for the DOS form only (the same apitest) */
    return (DWORD)total;
}
THK_EXPORT(kernel32, GetFinalPathNameByHandleW, 4);

DWORD WINAPI GetFinalPathNameByHandleA(HANDLE h, char *buf, DWORD size, DWORD flags)
{
    WCHAR tmp[1024];
    DWORD n = GetFinalPathNameByHandleW(h, tmp, sizeof tmp / sizeof tmp[0], flags);
    if (n == 0 || n >= sizeof tmp / sizeof tmp[0]) {
        if (n)
            thk_set_last_error(ERROR_NOT_ENOUGH_MEMORY);
        return 0;
    }
    return k32_return_a(tmp, n, buf, size);
}
THK_EXPORT(kernel32, GetFinalPathNameByHandleA, 4);
