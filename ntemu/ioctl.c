/* SPDX-License-Identifier: MIT */
/* NtDeviceIoControlFile: device I/O controls on a file handle. ntrun's files are Linux files,
 * sockets, pipes and consoles, none of them a Windows device driver, so every control code is
 * refused the way a driver refuses one it does not know, STATUS_INVALID_DEVICE_REQUEST (after
 * the handle is checked: a bad one gives STATUS_INVALID_HANDLE / STATUS_OBJECT_TYPE_MISMATCH).
 * The call exists because runtimes look it up at start-up and stop without it (libuv, in CMake,
 * Node). A socket's controls go to the socket driver ws2_32 registered (nt_set_socket_ioctl:
 * AFD's receive requests, which libuv makes for UDP sockets). AFD polls (IOCTL_AFD_POLL), on
 * a socket or on the driver's helper device (\Device\Afd\...), are ntemu/afd.c's. */
#include "ntemu/ntemu_private.h"

#define NT_IOCTL_AFD_POLL 0x12024u

static nt_socket_ioctl_fn nt_socket_ioctl;

void nt_set_socket_ioctl(nt_socket_ioctl_fn fn)
{
    __atomic_store_n(&nt_socket_ioctl, fn, __ATOMIC_RELEASE);
}

NTSTATUS NTAPI NtDeviceIoControlFile(HANDLE h, HANDLE event, void *apc, void *apc_ctx,
                                     IO_STATUS_BLOCK *io, uint32_t code, void *in,
                                     uint32_t in_len, void *out, uint32_t out_len)
{
    /* The I/O manager's probes come first: a bad buffer is an access violation whatever the
     * driver would have said. */
    if (!nt_probe_write(io, sizeof *io) || !nt_probe_ioctl(code, in, in_len, out, out_len))
        return STATUS_ACCESS_VIOLATION;
    nt_file *f;
    NTSTATUS st = nt_file_get(h, &f);
    if (st != STATUS_SUCCESS)
        return st;
    if (code == NT_IOCTL_AFD_POLL && (f->is_socket || nt_file_ext_of(f)->afd)) {
        st = nt_afd_poll(f, event, apc, apc_ctx, io, in, in_len, out, out_len);
        nt_object_release(&f->hdr);
        return st;
    }
    nt_socket_ioctl_fn sock = __atomic_load_n(&nt_socket_ioctl, __ATOMIC_ACQUIRE);
    if (f->is_socket && sock) {
        st = sock(f, event, apc, apc_ctx, io, code, in, in_len, out, out_len);
        nt_object_release(&f->hdr);
        return st;
    }
    nt_object_release(&f->hdr);
    (void)io; /* a failure before the driver runs leaves the I/O status block untouched */
    return STATUS_INVALID_DEVICE_REQUEST;
}
