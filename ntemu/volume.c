/* SPDX-License-Identifier: MIT */
/* NtQueryVolumeInformationFile: what a file handle's volume looks like to Windows code.
 * Classes: FileFsVolumeInformation (serial from the Linux file system id, empty label),
 * FileFsSizeInformation and FileFsFullSizeInformation (statfs), FileFsDeviceInformation (disk,
 * console or named pipe by the kind of fd), FileFsAttributeInformation ("NTFS", the flags of
 * a case-preserving Unicode file system; the names ntrun sees are case-insensitive through
 * its lookup, so FILE_CASE_SENSITIVE_SEARCH is set as NTFS does). Fixed-size classes need at
 * least their size (STATUS_INFO_LENGTH_MISMATCH); a name that does not fit is cut and the call
 * returns STATUS_BUFFER_OVERFLOW with what fitted, as Windows does. */
#include <errno.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <unistd.h>
#include "ntemu/ntemu_private.h"

enum {
    NT_FileFsVolumeInformation = 1,
    NT_FileFsSizeInformation = 3,
    NT_FileFsDeviceInformation = 4,
    NT_FileFsAttributeInformation = 5,
    NT_FileFsFullSizeInformation = 7,
};
#define NT_FILE_DEVICE_DISK 0x07
#define NT_FILE_DEVICE_NAMED_PIPE 0x11
#define NT_FILE_DEVICE_CONSOLE 0x50
#define NT_FILE_DEVICE_IS_MOUNTED 0x20

static NTSTATUS vol_put_io(IO_STATUS_BLOCK *io, NTSTATUS st, ULONG_PTR info)
{
    IO_STATUS_BLOCK v = {.Status = st, .Information = info};
    if (nt_copy_to_user(io, &v, sizeof v) != 0)
        return STATUS_ACCESS_VIOLATION;
    return st;
}

NTSTATUS NTAPI NtQueryVolumeInformationFile(HANDLE h, IO_STATUS_BLOCK *io, void *info,
                                            uint32_t len, uint32_t klass)
{
    static const size_t min_size[] = {
        [NT_FileFsVolumeInformation] = 0x18, [NT_FileFsSizeInformation] = 24,
        [NT_FileFsDeviceInformation] = 8, [NT_FileFsAttributeInformation] = 0x10,
        [NT_FileFsFullSizeInformation] = 32,
    };
    if (klass >= sizeof min_size / sizeof min_size[0] || !min_size[klass])
        return STATUS_INVALID_INFO_CLASS;
    if (len < min_size[klass])
        return STATUS_INFO_LENGTH_MISMATCH;
    if (!nt_probe_write(io, sizeof *io) || !nt_probe_write(info, len))
        return STATUS_ACCESS_VIOLATION; /* nothing written, as Windows probes first */
    nt_file *f;
    NTSTATUS st = nt_file_get(h, &f);
    if (st != STATUS_SUCCESS)
        return st;
    uint8_t buf[0x40] = {0};
    size_t used = min_size[klass];
    struct stat sb;
    struct statfs fs;
    bool have_stat = fstat(f->fd, &sb) == 0;
    bool have_fs = fstatfs(f->fd, &fs) == 0;
    bool is_disk = have_stat && (S_ISREG(sb.st_mode) || S_ISDIR(sb.st_mode));
    switch (klass) {
    case NT_FileFsVolumeInformation: {
        if (!is_disk || !have_fs) {
            st = STATUS_INVALID_DEVICE_REQUEST;
            goto release;
        }
        uint32_t serial;
        int fsid[2];
        memcpy(fsid, &fs.f_fsid, sizeof fsid);
        serial = (uint32_t)(fsid[0] ^ fsid[1]);
        if (!serial)
            serial = (uint32_t)sb.st_dev;
        memcpy(buf + 8, &serial, 4); /* VolumeSerialNumber; creation time 0, no label */
        used = 0x12;                 /* up to VolumeLabel[0] */
        break;
    }
    case NT_FileFsSizeInformation:
    case NT_FileFsFullSizeInformation: {
        if (!is_disk || !have_fs) {
            st = STATUS_INVALID_DEVICE_REQUEST;
            goto release;
        }
        uint32_t bytes_per_sector = 512;
        uint64_t unit = fs.f_frsize ? (uint64_t)fs.f_frsize : (uint64_t)fs.f_bsize;
        uint32_t sectors_per_unit = unit >= 512 ? (uint32_t)(unit / 512) : 1;
        int64_t total = (int64_t)fs.f_blocks, avail = (int64_t)fs.f_bavail,
                actual = (int64_t)fs.f_bfree;
        memcpy(buf, &total, 8);
        memcpy(buf + 8, &avail, 8);
        if (klass == NT_FileFsSizeInformation) {
            memcpy(buf + 16, &sectors_per_unit, 4);
            memcpy(buf + 20, &bytes_per_sector, 4);
        } else {
            memcpy(buf + 16, &actual, 8);
            memcpy(buf + 24, &sectors_per_unit, 4);
            memcpy(buf + 28, &bytes_per_sector, 4);
        }
        break;
    }
    case NT_FileFsDeviceInformation: {
        uint32_t type = NT_FILE_DEVICE_DISK, chars = NT_FILE_DEVICE_IS_MOUNTED;
        if (isatty(f->fd)) {
            type = NT_FILE_DEVICE_CONSOLE;
            chars = 0;
        } else if (have_stat && (S_ISFIFO(sb.st_mode) || S_ISSOCK(sb.st_mode))) {
            type = NT_FILE_DEVICE_NAMED_PIPE;
            chars = 0;
        }
        memcpy(buf, &type, 4);
        memcpy(buf + 4, &chars, 4);
        break;
    }
    case NT_FileFsAttributeInformation: {
        if (!is_disk) {
            st = STATUS_INVALID_DEVICE_REQUEST;
            goto release;
        }
        /* FILE_CASE_SENSITIVE_SEARCH | FILE_CASE_PRESERVED_NAMES | FILE_UNICODE_ON_DISK |
         * FILE_PERSISTENT_ACLS | FILE_SUPPORTS_SPARSE_FILES | FILE_SUPPORTS_REPARSE_POINTS */
        uint32_t attrs = 0x1 | 0x2 | 0x4 | 0x8 | 0x40 | 0x80;
        int32_t max_component = 255;
        static const WCHAR name[] = u"NTFS";
        uint32_t name_bytes = 8;
        size_t room = len - 0xc;
        if (room > name_bytes)
            room = name_bytes;
        memcpy(buf, &attrs, 4);
        memcpy(buf + 4, &max_component, 4);
        memcpy(buf + 8, &name_bytes, 4);
        memcpy(buf + 0xc, name, room);
        used = 0xc + room;
        if (room < name_bytes)
            st = STATUS_BUFFER_OVERFLOW;
        break;
    }
    }
    if (nt_copy_to_user(info, buf, used) != 0) {
        st = STATUS_ACCESS_VIOLATION;
        goto release;
    }
    st = vol_put_io(io, st, used);
release:
    nt_object_release(&f->hdr);
    return st;
}
