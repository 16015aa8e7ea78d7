/* SPDX-License-Identifier: MIT */
/* kernel32: DeviceIoControl. A file system control code (device type FILE_DEVICE_FILE_SYSTEM,
 * FILE_DEVICE_NAMED_PIPE) goes to NtFsControlFile, any other to NtDeviceIoControlFile, as
 * Windows' kernelbase does. With an OVERLAPPED the request may pend (ERROR_IO_PENDING); its
 * hEvent's low bit keeps it from a completion port, as for ReadFile. */
#include "thunks/kernel32/kernel32_private.h"

#define K32_FILE_DEVICE_FILE_SYSTEM 0x09
#define K32_FILE_DEVICE_NAMED_PIPE 0x11
#define K32_ERROR_IO_PENDING 997u

BOOL WINAPI DeviceIoControl(HANDLE h, DWORD code, void *in, DWORD in_len, void *out,
                            DWORD out_len, DWORD *returned, OVERLAPPED *ov)
{
    DWORD type = code >> 16;
    bool fs = type == K32_FILE_DEVICE_FILE_SYSTEM || type == K32_FILE_DEVICE_NAMED_PIPE;
    IO_STATUS_BLOCK io = {0}, *iosb = ov ? (IO_STATUS_BLOCK *)ov : &io;
    HANDLE ev = ov ? (HANDLE)((ULONG_PTR)ov->hEvent & ~(ULONG_PTR)1) : NULL;
    void *ctx = ov && !((ULONG_PTR)ov->hEvent & 1) ? ov : NULL;
    if (ov) {
        ov->Internal = (ULONG_PTR)(uint32_t)STATUS_PENDING;
        ov->InternalHigh = 0;
    }
    NTSTATUS st = fs ? NtFsControlFile(h, ev, NULL, ctx, iosb, code, in, in_len, out, out_len)
                     : NtDeviceIoControlFile(h, ev, NULL, ctx, iosb, code, in, in_len, out,
                                             out_len);
    if (st == STATUS_PENDING && ov) {
        thk_set_last_error(K32_ERROR_IO_PENDING);
        return FALSE;
    }
    if (st == STATUS_PENDING) {
        st = nt_async_wait_iosb(h, &io, INT64_MAX);
        if (st == STATUS_SUCCESS)
            st = io.Status;
    }
    if (returned)
        *returned = (DWORD)iosb->Information;
    if (!NT_SUCCESS(st) || st == STATUS_BUFFER_OVERFLOW) { /* ERROR_MORE_DATA */
        thk_set_last_status(st);
        return FALSE;
    }
    return TRUE;
}
THK_EXPORT(kernel32, DeviceIoControl, 8);
