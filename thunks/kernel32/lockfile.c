/* SPDX-License-Identifier: MIT */
/* Byte-range locks: LockFile, LockFileEx, UnlockFile, UnlockFileEx (moon's workspace lock, Cargo,
 * SQLite-style lock files) over NtLockFile/NtUnlockFile (ntemu/filelock.c, which says how the
 * locks are held and how ReadFile/WriteFile of other handles are refused the locked ranges).
 * Errors as Windows gives them: ERROR_LOCK_VIOLATION for a range someone else holds,
 * ERROR_NOT_LOCKED for an unlock of a range not locked exactly so (Wine 8.0 says
 * ERROR_LOCK_VIOLATION), ERROR_INVALID_PARAMETER for LockFileEx's reserved word or an unknown
 * flag. On a handle opened for overlapped I/O a lock that must wait is ERROR_IO_PENDING: the
 * OVERLAPPED's event is set, its status filled and the handle's completion port told when it
 * is granted (ntemu/filelock.c). */
#include "thunks/kernel32/kernel32_private.h"

#define K32L_ERROR_INVALID_PARAMETER 87
#define K32L_LOCKFILE_FAIL_IMMEDIATELY 1u
#define K32L_LOCKFILE_EXCLUSIVE_LOCK 2u

static LARGE_INTEGER k32l_li(DWORD lo, DWORD hi)
{
    LARGE_INTEGER v;
    v.QuadPart = (int64_t)((uint64_t)hi << 32 | lo);
    return v;
}

static BOOL k32l_result(NTSTATUS st)
{
    if (NT_SUCCESS(st))
        return TRUE;
    thk_set_last_status(st);
    return FALSE;
}

BOOL WINAPI LockFile(HANDLE h, DWORD off_lo, DWORD off_hi, DWORD len_lo, DWORD len_hi)
{
    IO_STATUS_BLOCK io;
    LARGE_INTEGER off = k32l_li(off_lo, off_hi), len = k32l_li(len_lo, len_hi);
    return k32l_result(NtLockFile(h, NULL, NULL, NULL, &io, &off, &len, 0, 1, 1));
}
THK_EXPORT(kernel32, LockFile, 5);

BOOL WINAPI LockFileEx(HANDLE h, DWORD flags, DWORD reserved, DWORD len_lo, DWORD len_hi,
                       OVERLAPPED *ov)
{
    if (reserved || !ov || (flags & ~(K32L_LOCKFILE_FAIL_IMMEDIATELY |
                                       K32L_LOCKFILE_EXCLUSIVE_LOCK))) {
        SetLastError(K32L_ERROR_INVALID_PARAMETER);
        return FALSE;
    }
    LARGE_INTEGER off = k32l_li(ov->Offset, ov->OffsetHigh), len = k32l_li(len_lo, len_hi);
    /* as ReadFile: the OVERLAPPED is the status block and the port packet's context (none when
     * hEvent's low bit is set), hEvent without that bit the event */
    HANDLE ev = (HANDLE)((ULONG_PTR)ov->hEvent & ~(ULONG_PTR)1);
    void *ctx = ((ULONG_PTR)ov->hEvent & 1) ? NULL : ov;
    ov->Internal = (ULONG_PTR)(uint32_t)STATUS_PENDING;
    ov->InternalHigh = 0;
    NTSTATUS st = NtLockFile(h, ev, NULL, ctx, (IO_STATUS_BLOCK *)ov, &off, &len, 0,
                             (flags & K32L_LOCKFILE_FAIL_IMMEDIATELY) != 0,
                             (flags & K32L_LOCKFILE_EXCLUSIVE_LOCK) != 0);
    if (st == STATUS_PENDING) { /* ERROR_IO_PENDING: an overlapped handle's lock to come */
        thk_set_last_status(st);
        return FALSE;
    }
    return k32l_result(st);
}
THK_EXPORT(kernel32, LockFileEx, 6);

BOOL WINAPI UnlockFile(HANDLE h, DWORD off_lo, DWORD off_hi, DWORD len_lo, DWORD len_hi)
{
    IO_STATUS_BLOCK io;
    LARGE_INTEGER off = k32l_li(off_lo, off_hi), len = k32l_li(len_lo, len_hi);
    return k32l_result(NtUnlockFile(h, &io, &off, &len, 0));
}
THK_EXPORT(kernel32, UnlockFile, 5);

BOOL WINAPI UnlockFileEx(HANDLE h, DWORD reserved, DWORD len_lo, DWORD len_hi, OVERLAPPED *ov)
{
    if (reserved || !ov) {
        SetLastError(K32L_ERROR_INVALID_PARAMETER);
        return FALSE;
    }
    IO_STATUS_BLOCK io;
    LARGE_INTEGER off = k32l_li(ov->Offset, ov->OffsetHigh), len = k32l_li(len_lo, len_hi);
    return k32l_result(NtUnlockFile(h, &io, &off, &len, 0));
}
THK_EXPORT(kernel32, UnlockFileEx, 5);
