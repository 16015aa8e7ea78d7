/* SPDX-License-Identifier: MIT */
/* NtQueryObject and the object types as Windows names them.
 *
 * Classes: ObjectBasicInformation (0: handle attributes, granted access, handle and pointer
 * counts), ObjectNameInformation (1: files as \Device\HarddiskVolume<letter index + 1>\..., the
 * form GetFinalPathNameByHandle's VOLUME_NAME_NT gives; named pipe ends, server and client, as
 * \Device\NamedPipe\name; keys as \REGISTRY\...; named events,
 * mutants, semaphores, timers, completion ports and sections under \BaseNamedObjects or the
 * session's \Sessions\1\BaseNamedObjects), ObjectTypeInformation (2), ObjectTypesInformation
 * (3, the handle is not looked at) and ObjectHandleFlagInformation (4).
 *
 * Output rules as Windows': the basic class wants exactly its 56 bytes; the others want the
 * whole record, STATUS_INFO_LENGTH_MISMATCH with the size needed in ReturnLength, except a
 * file's name, which gives STATUS_BUFFER_OVERFLOW once the UNICODE_STRING fits (the I/O
 * manager's name query). Outputs are probed whole before anything is written. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>
#include "ntemu/ntemu_private.h"

#define NT_OB_MAXIMUM_ALLOWED 0x02000000u

enum {
    NT_ObjectBasicInformation,
    NT_ObjectNameInformation,
    NT_ObjectTypeInformation,
    NT_ObjectTypesInformation,
    NT_ObjectHandleFlagInformation,
};

#define NT_OBJ_PROTECT_CLOSE 0x1u
#define NT_OBJ_INHERIT 0x2u
#define NT_STANDARD_READ 0x00020000u   /* READ_CONTROL */
#define NT_STANDARD_EXECUTE 0x00020000u
#define NT_STANDARD_WRITE 0x00020000u
#define NT_SYNC 0x00100000u

/* OBJECT_BASIC_INFORMATION (56 bytes). */
typedef struct {
    uint32_t Attributes;              /* 0x00 */
    uint32_t GrantedAccess;           /* 0x04 */
    uint32_t HandleCount;             /* 0x08 */
    uint32_t PointerCount;            /* 0x0c */
    uint32_t PagedPoolCharge;         /* 0x10 */
    uint32_t NonPagedPoolCharge;      /* 0x14 */
    uint32_t Reserved[3];             /* 0x18 */
    uint32_t NameInfoSize;            /* 0x24 */
    uint32_t TypeInfoSize;            /* 0x28 */
    uint32_t SecurityDescriptorSize;  /* 0x2c */
    int64_t CreationTime;             /* 0x30 */
} nt_obj_basic_info;
_Static_assert(sizeof(nt_obj_basic_info) == 56, "OBJECT_BASIC_INFORMATION");

/* OBJECT_TYPE_INFORMATION (104 bytes), the type's name after it. */
typedef struct {
    UNICODE_STRING TypeName;          /* 0x00 */
    uint32_t TotalNumberOfObjects;    /* 0x10 */
    uint32_t TotalNumberOfHandles;    /* 0x14 */
    uint32_t TotalPagedPoolUsage;     /* 0x18 */
    uint32_t TotalNonPagedPoolUsage;  /* 0x1c */
    uint32_t TotalNamePoolUsage;      /* 0x20 */
    uint32_t TotalHandleTableUsage;   /* 0x24 */
    uint32_t HighWaterNumberOfObjects;   /* 0x28 */
    uint32_t HighWaterNumberOfHandles;   /* 0x2c */
    uint32_t HighWaterPagedPoolUsage;    /* 0x30 */
    uint32_t HighWaterNonPagedPoolUsage; /* 0x34 */
    uint32_t HighWaterNamePoolUsage;     /* 0x38 */
    uint32_t HighWaterHandleTableUsage;  /* 0x3c */
    uint32_t InvalidAttributes;       /* 0x40 */
    uint32_t GenericMapping[4];       /* 0x44 GENERIC_MAPPING: read, write, execute, all */
    uint32_t ValidAccessMask;         /* 0x54 */
    uint8_t SecurityRequired;         /* 0x58 */
    uint8_t MaintainHandleCount;      /* 0x59 */
    uint8_t TypeIndex;                /* 0x5a */
    uint8_t ReservedByte;             /* 0x5b */
    uint32_t PoolType;                /* 0x5c */
    uint32_t DefaultPagedPoolCharge;  /* 0x60 */
    uint32_t DefaultNonPagedPoolCharge; /* 0x64 */
} nt_obj_type_info;
_Static_assert(sizeof(nt_obj_type_info) == 0x68, "OBJECT_TYPE_INFORMATION");

/* The object types Windows lists (a subset, in its order), with their generic mappings. */
typedef struct {
    char name[24];     /* an array, not a pointer: read-only data ld.so never writes at start */
    nt_obj_type ours;  /* NT_OBJ_ANY: a type ntrun makes no objects of */
    uint32_t map[4];   /* GENERIC_READ, _WRITE, _EXECUTE, _ALL */
} nt_type_row;

static const nt_type_row nt_types[] = {
    {"Type", NT_OBJ_ANY, {0x20000, 0x20000, 0x20000, 0xf0001}},
    {"Directory", NT_OBJ_ANY, {0x20003, 0x2000c, 0x20003, 0xf000f}},
    {"SymbolicLink", NT_OBJ_ANY, {0x20001, 0x20000, 0x20001, 0xf0001}},
    {"Token", NT_OBJ_TOKEN, {0x20008, 0x200e0, 0x20000, 0xf01ff}},
    {"Job", NT_OBJ_JOB, {0x20004, 0x2000b, 0x120000, 0x1f003f}},
    {"Process", NT_OBJ_PROCESS, {0x20410, 0x20bea, 0x121000, 0x1fffff}},
    {"Thread", NT_OBJ_THREAD, {0x20048, 0x20437, 0x121800, 0x1fffff}},
    {"DebugObject", NT_OBJ_ANY, {0x20001, 0x20002, 0x120000, 0x1f000f}},
    {"Event", NT_OBJ_EVENT, {0x20001, 0x20002, 0x120000, 0x1f0003}},
    {"Mutant", NT_OBJ_MUTANT, {0x20001, 0x20000, 0x120000, 0x1f0001}},
    {"Semaphore", NT_OBJ_SEMAPHORE, {0x20001, 0x20002, 0x120000, 0x1f0003}},
    {"Timer", NT_OBJ_TIMER, {0x20001, 0x20002, 0x120000, 0x1f0003}},
    {"KeyedEvent", NT_OBJ_ANY, {0x20001, 0x20002, 0x20000, 0xf0003}},
    {"IoCompletion", NT_OBJ_IO_COMPLETION, {0x20001, 0x20002, 0x120000, 0x1f0003}},
    {"WaitCompletionPacket", NT_OBJ_WAIT_PACKET, {0x20001, 0x20002, 0x120000, 0x1f0001}},
    {"File", NT_OBJ_FILE, {0x120089, 0x120116, 0x1200a0, 0x1f01ff}},
    {"Section", NT_OBJ_SECTION, {0x20005, 0x20002, 0x20008, 0xf001f}},
    {"Key", NT_OBJ_KEY, {0x20019, 0x20006, 0x20019, 0xf003f}},
};
#define NT_TYPE_COUNT (sizeof nt_types / sizeof nt_types[0])
#define NT_TYPE_INDEX_BASE 2 /* Windows' first type ("Type") has index 2 */

static const nt_type_row *nt_type_of(nt_obj_type type)
{
    if (type == NT_OBJ_FIND) /* FindFirstFile's search: a directory File on Windows */
        type = NT_OBJ_FILE;
    for (size_t i = 0; i < NT_TYPE_COUNT; i++)
        if (nt_types[i].ours == type && type != NT_OBJ_ANY)
            return &nt_types[i];
    return NULL;
}

uint32_t nt_access_map(nt_obj_type type, uint32_t access)
{
    const nt_type_row *t = nt_type_of(type);
    if (!t)
        return access & 0x01ffffffu;
    uint32_t out = access & 0x00ffffffu;
    if (access & GENERIC_READ)
        out |= t->map[0];
    if (access & 0x40000000u) /* GENERIC_WRITE */
        out |= t->map[1];
    if (access & 0x20000000u) /* GENERIC_EXECUTE */
        out |= t->map[2];
    if (access & (0x10000000u | NT_OB_MAXIMUM_ALLOWED)) /* GENERIC_ALL */
        out |= t->map[3];
    return out & (t->map[3] | 0x01000000u); /* ACCESS_SYSTEM_SECURITY stays */
}

/* Probes the whole output, then copies `size` bytes of `data` and the length. */
static NTSTATUS nt_obj_out(void *info, uint32_t len, uint32_t *ret_len, const void *data,
                           uint32_t size, uint32_t reported, NTSTATUS st)
{
    if (!nt_probe_write(info, len) || (ret_len && !nt_probe_write(ret_len, sizeof *ret_len)))
        return STATUS_ACCESS_VIOLATION;
    if (size && nt_copy_to_user(info, data, size) != 0)
        return STATUS_ACCESS_VIOLATION;
    if (ret_len && nt_copy_to_user(ret_len, &reported, sizeof reported) != 0)
        return STATUS_ACCESS_VIOLATION;
    return st;
}

static NTSTATUS nt_obj_needed(uint32_t *ret_len, uint32_t need)
{
    if (ret_len && nt_copy_to_user(ret_len, &need, sizeof need) != 0)
        return STATUS_ACCESS_VIOLATION;
    return STATUS_INFO_LENGTH_MISMATCH;
}

/* ---- names ---- */
static WCHAR *nt_wcat(const char *prefix, const WCHAR *rest, size_t rest_len, size_t *out_len)
{
    size_t plen = strlen(prefix);
    WCHAR *w = malloc((plen + rest_len + 1) * sizeof *w);
    if (!w)
        return NULL;
    for (size_t i = 0; i < plen; i++)
        w[i] = (WCHAR)(unsigned char)prefix[i];
    memcpy(w + plen, rest, rest_len * sizeof *w);
    w[plen + rest_len] = 0;
    *out_len = plen + rest_len;
    return w;
}

static bool nt_name_has_prefix(const WCHAR *name, size_t len, const char *prefix)
{
    size_t n = strlen(prefix);
    if (len < n)
        return false;
    for (size_t i = 0; i < n; i++)
        if (nt_towupper(name[i]) != (WCHAR)nt_towupper((WCHAR)prefix[i]))
            return false;
    return true;
}

/* A DOS path in the device form (\Device\HarddiskVolume3\dir\f for C:\dir\f, the volume
 * number the drive letter's index + 1); other forms are kept. malloc'd. */
WCHAR *nt_device_path_of_dos(const WCHAR *dos, size_t n, size_t *len)
{
    if (n >= 2 && dos[1] == u':') {
        char dev[40];
        unsigned vol = (unsigned)(nt_towupper(dos[0]) - u'A') + 1;
        snprintf(dev, sizeof dev, "\\Device\\HarddiskVolume%u", vol);
        return nt_wcat(dev, dos + 2, n - 2, len);
    }
    return nt_wcat("", dos, n, len);
}

/* The devices whose handles Windows names by the device alone (the driver gives no file name):
 * the console (ConDrv: every console handle, std handles and CONIN$/CONOUT$, since Windows 8),
 * sockets (AFD) and NUL. As seen on Windows: Cygwin's handle_to_fn (winsup/cygwin/dtable.cc)
 * takes a handle whose ObjectNameInformation is exactly \Device\Afd for a socket and
 * \Device\Null for /dev/null; System Informer's maintainer (winsiderss/systeminformer#739):
 * ObQueryNameString of a console handle is \Device\ConDrv (Process Explorer's longer names
 * are its own concatenation). NULL: none of them. */
const char *nt_file_device_name(nt_file *f)
{
    if (f->is_socket || nt_file_ext_of(f)->afd)
        return "\\Device\\Afd";
    struct stat sb;
    if (f->fd < 0 || fstat(f->fd, &sb) != 0 || !S_ISCHR(sb.st_mode))
        return NULL;
    if (major(sb.st_rdev) == 1 && minor(sb.st_rdev) == 3) /* /dev/null */
        return "\\Device\\Null";
    return isatty(f->fd) ? "\\Device\\ConDrv" : NULL;
}

/* Is the file an end of a pipe no file system holds: a named pipe's (ntemu/pipe.c) or an
 * anonymous one (CreatePipe's, or a Linux pipe the process was given as a standard handle)? */
bool nt_file_is_pipe_end(nt_file *f)
{
    if (f->unix_path)
        return false;
    if (nt_file_is_pipe(f))
        return true;
    struct stat sb;
    return f->fd >= 0 && fstat(f->fd, &sb) == 0 && S_ISFIFO(sb.st_mode);
}

/* A file's name in the device form; a named pipe's end \Device\NamedPipe\name, a pipe made
 * without a name (CreatePipe) the pipe file system's root, \Device\NamedPipe\ (the device's
 * name and the "\" FileNameInformation gives it: inferred, not confirmed; Wine 8.0 names its
 * anonymous pipes \Device\NamedPipe\Win32.Pipes.<pid>.<serial>). */
static WCHAR *nt_file_object_name(nt_file *f, size_t *len)
{
    *len = 0;
    static const WCHAR none[1] = {0}, root[2] = {u'\\', 0};
    const char *dev = nt_file_device_name(f);
    if (dev)
        return nt_wcat(dev, none, 0, len);
    if (nt_file_is_pipe_end(f))
        return f->nt_name ? nt_wcat("\\Device\\NamedPipe", f->nt_name, nt_wcslen(f->nt_name), len)
                          : nt_wcat("\\Device\\NamedPipe", root, 1, len);
    if (!f->unix_path)
        return NULL;
    WCHAR *dos = nt_path_from_unix(f->unix_path);
    if (!dos)
        return NULL;
    WCHAR *out = nt_device_path_of_dos(dos, nt_wcslen(dos), len);
    free(dos);
    return out;
}

/* A named object's full name: names that start at the root are kept, "Global\x" is
 * \BaseNamedObjects\x, any other (kernel32 drops "Local\") the session's \Sessions\1\...\x. */
static WCHAR *nt_sync_object_name(nt_sync *s, size_t *len)
{
    *len = 0;
    if (!s->name)
        return NULL;
    if (s->name_len && s->name[0] == u'\\')
        return nt_wcat("", s->name, s->name_len, len);
    if (nt_name_has_prefix(s->name, s->name_len, "Global\\"))
        return nt_wcat("\\BaseNamedObjects\\", s->name + 7, s->name_len - 7, len);
    if (nt_name_has_prefix(s->name, s->name_len, "Local\\"))
        return nt_wcat("\\Sessions\\1\\BaseNamedObjects\\", s->name + 6, s->name_len - 6, len);
    return nt_wcat("\\Sessions\\1\\BaseNamedObjects\\", s->name, s->name_len, len);
}

/* A key's name as KeyNameInformation gives it (\REGISTRY\MACHINE\...). */
static WCHAR *nt_key_object_name(HANDLE h, size_t *len)
{
    *len = 0;
    uint32_t size = 512, got = 0;
    for (int tries = 0; tries < 4; tries++) {
        uint8_t *buf = malloc(size);
        if (!buf)
            return NULL;
        NTSTATUS st = NtQueryKey(h, 3 /* KeyNameInformation */, buf, size, &got);
        if (st == STATUS_SUCCESS) {
            uint32_t bytes;
            memcpy(&bytes, buf, 4);
            WCHAR *w = malloc(bytes + sizeof(WCHAR));
            if (w) {
                memcpy(w, buf + 4, bytes);
                w[bytes / 2] = 0;
                *len = bytes / 2;
            }
            free(buf);
            return w;
        }
        free(buf);
        if (st != STATUS_BUFFER_OVERFLOW && st != STATUS_BUFFER_TOO_SMALL)
            return NULL;
        size = got > size ? got : size * 2;
    }
    return NULL;
}

static NTSTATUS nt_query_name(HANDLE h, nt_object *obj, void *info, uint32_t len,
                              uint32_t *ret_len)
{
    size_t n = 0;
    WCHAR *name = NULL;
    switch (obj->type) {
    case NT_OBJ_FILE: name = nt_file_object_name((nt_file *)obj, &n); break;
    case NT_OBJ_KEY: name = nt_key_object_name(h, &n); break;
    case NT_OBJ_EVENT:
    case NT_OBJ_MUTANT:
    case NT_OBJ_SEMAPHORE:
    case NT_OBJ_TIMER:
    case NT_OBJ_IO_COMPLETION:
    case NT_OBJ_SECTION: name = nt_sync_object_name((nt_sync *)obj, &n); break;
    default: break;
    }
    if (n > 0x7ffe / sizeof(WCHAR))
        n = 0x7ffe / sizeof(WCHAR);
    uint32_t need = (uint32_t)(sizeof(UNICODE_STRING) + (name ? (n + 1) * sizeof(WCHAR) : 0));
    NTSTATUS st = STATUS_SUCCESS;
    uint32_t fit = need;
    if (len < need) {
        if (obj->type != NT_OBJ_FILE || len < sizeof(UNICODE_STRING)) {
            free(name);
            return nt_obj_needed(ret_len, need);
        }
        st = STATUS_BUFFER_OVERFLOW; /* a file: as much of the name as fits */
        fit = len;
    }
    uint8_t *buf = calloc(1, fit);
    if (!buf) {
        free(name);
        return STATUS_NO_MEMORY;
    }
    UNICODE_STRING us = {0};
    if (name) {
        size_t chars = (fit - sizeof us) / sizeof(WCHAR);
        if (chars > n + 1)
            chars = n + 1;
        memcpy(buf + sizeof us, name, chars * sizeof(WCHAR));
        us.Length = (uint16_t)((chars > n ? n : chars) * sizeof(WCHAR));
        us.MaximumLength = (uint16_t)(chars * sizeof(WCHAR));
        us.Buffer = (WCHAR *)((uint8_t *)info + sizeof us);
    }
    memcpy(buf, &us, sizeof us);
    free(name);
    st = nt_obj_out(info, len, ret_len, buf, fit, need, st);
    free(buf);
    return st;
}

/* ---- types ---- */
static uint32_t nt_type_record_size(const nt_type_row *t)
{
    return (uint32_t)(sizeof(nt_obj_type_info) + (strlen(t->name) + 1) * sizeof(WCHAR));
}

/* Writes one OBJECT_TYPE_INFORMATION and its name at buf (the foreign address `at`). */
static void nt_type_record(const nt_type_row *t, uint8_t *buf, uintptr_t at)
{
    nt_obj_type_info ti = {0};
    size_t n = strlen(t->name);
    ti.TypeName.Length = (uint16_t)(n * sizeof(WCHAR));
    ti.TypeName.MaximumLength = (uint16_t)((n + 1) * sizeof(WCHAR));
    ti.TypeName.Buffer = (WCHAR *)(at + sizeof ti);
    if (t->ours != NT_OBJ_ANY) {
        ti.TotalNumberOfObjects = ti.HighWaterNumberOfObjects = 1;
        ti.TotalNumberOfHandles = ti.HighWaterNumberOfHandles = 1;
    }
    ti.InvalidAttributes = t->ours == NT_OBJ_FILE ? 0x1f0u : 0x100u;
    memcpy(ti.GenericMapping, t->map, sizeof ti.GenericMapping);
    ti.ValidAccessMask = t->map[3] | 0x01000000u;
    ti.SecurityRequired = t->ours == NT_OBJ_PROCESS || t->ours == NT_OBJ_THREAD ||
                          t->ours == NT_OBJ_TOKEN || t->ours == NT_OBJ_JOB;
    ti.MaintainHandleCount = t->ours == NT_OBJ_FILE;
    ti.TypeIndex = (uint8_t)(NT_TYPE_INDEX_BASE + (t - nt_types));
    ti.PoolType = t->ours == NT_OBJ_KEY || t->ours == NT_OBJ_SECTION ? 1u : 512u;
    memcpy(buf, &ti, sizeof ti);
    WCHAR *w = (WCHAR *)(buf + sizeof ti);
    for (size_t i = 0; i <= n; i++)
        w[i] = (WCHAR)(unsigned char)t->name[i];
}

static NTSTATUS nt_query_type(nt_object *obj, void *info, uint32_t len, uint32_t *ret_len)
{
    const nt_type_row *t = nt_type_of(obj->type);
    if (!t)
        return STATUS_NOT_IMPLEMENTED;
    uint32_t need = nt_type_record_size(t);
    if (len < need)
        return nt_obj_needed(ret_len, need);
    uint8_t buf[sizeof(nt_obj_type_info) + 64 * sizeof(WCHAR)];
    nt_type_record(t, buf, (uintptr_t)info);
    return nt_obj_out(info, len, ret_len, buf, need, need, STATUS_SUCCESS);
}

/* OBJECT_TYPES_INFORMATION: ULONG NumberOfTypes, then each type's record at 8-byte steps. */
static NTSTATUS nt_query_types(void *info, uint32_t len, uint32_t *ret_len)
{
    uint32_t need = 8;
    for (size_t i = 0; i < NT_TYPE_COUNT; i++)
        need += (nt_type_record_size(&nt_types[i]) + 7) & ~7u;
    if (len < need)
        return nt_obj_needed(ret_len, need);
    uint8_t *buf = calloc(1, need);
    if (!buf)
        return STATUS_NO_MEMORY;
    uint32_t count = NT_TYPE_COUNT, off = 8;
    memcpy(buf, &count, 4);
    for (size_t i = 0; i < NT_TYPE_COUNT; i++) {
        nt_type_record(&nt_types[i], buf + off, (uintptr_t)info + off);
        off += (nt_type_record_size(&nt_types[i]) + 7) & ~7u;
    }
    NTSTATUS st = nt_obj_out(info, len, ret_len, buf, need, need, STATUS_SUCCESS);
    free(buf);
    return st;
}

/* ---- NtQueryObject ---- */
NTSTATUS NTAPI NtQueryObject(HANDLE h, uint32_t klass, void *info, uint32_t len,
                             uint32_t *ret_len)
{
    if (klass > NT_ObjectHandleFlagInformation)
        return STATUS_INVALID_INFO_CLASS;
    /* the whole output first, as the system service probes it before looking at anything */
    if (!nt_probe_write(info, len) || (ret_len && !nt_probe_write(ret_len, sizeof *ret_len)))
        return STATUS_ACCESS_VIOLATION;
    if (klass == NT_ObjectTypesInformation)
        return nt_query_types(info, len, ret_len);
    if (klass == NT_ObjectBasicInformation && len != sizeof(nt_obj_basic_info))
        return nt_obj_needed(ret_len, sizeof(nt_obj_basic_info));
    if (klass == NT_ObjectHandleFlagInformation && len < 2)
        return STATUS_INFO_LENGTH_MISMATCH;
    nt_handle_desc d;
    NTSTATUS st = nt_handle_describe(h, &d);
    if (st != STATUS_SUCCESS)
        return st;
    switch (klass) {
    case NT_ObjectBasicInformation: {
        nt_obj_basic_info b = {0};
        b.Attributes = (d.inherit ? NT_OBJ_INHERIT : 0) | (d.protect ? NT_OBJ_PROTECT_CLOSE : 0);
        b.GrantedAccess = d.granted;
        b.HandleCount = d.handles;
        /* references other than ours (describe took one) and at least one per handle */
        uint32_t refs = (uint32_t)__atomic_load_n(&d.obj->refcount, __ATOMIC_RELAXED) - 1;
        b.PointerCount = refs > d.handles ? refs : d.handles;
        b.TypeInfoSize = 0; /* Windows reports 0 for these two as well */
        st = nt_obj_out(info, len, ret_len, &b, sizeof b, sizeof b, STATUS_SUCCESS);
        break;
    }
    case NT_ObjectNameInformation: st = nt_query_name(h, d.obj, info, len, ret_len); break;
    case NT_ObjectTypeInformation: st = nt_query_type(d.obj, info, len, ret_len); break;
    case NT_ObjectHandleFlagInformation: {
        BOOLEAN f[2] = {d.inherit, d.protect};
        st = nt_obj_out(info, len, ret_len, f, sizeof f, sizeof f, STATUS_SUCCESS);
        break;
    }
    }
    nt_object_release(d.obj);
    return st;
}
