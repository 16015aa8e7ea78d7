/* SPDX-License-Identifier: MIT */
/* setupapi: SetupGetFileCompressionInfoExA and SetupIterateCabinetA/W, the cabinet (.cab)
 * functions expand.exe and installers use. The cabinet is read whole and handed to cabinet.dll's
 * reader (thunks/cabinet/cabinet.h: libmspack, so stored, MSZIP, Quantum and LZX folders); a
 * cabinet whose headers are damaged or cut fails with ERROR_INVALID_DATA before any
 * notification, a file whose data is damaged reaches SPFILENOTIFY_FILEEXTRACTED with
 * ERROR_INVALID_DATA and the files after it are still offered. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "ntemu/ntemu.h"
#include "thunks/thunks_private.h"
#include "thunks/cabinet/cabinet.h"
#include "thunks/kernel32/kernel32_private.h"

#define SP_FILE_COMPRESSION_NONE 0
#define SP_FILE_COMPRESSION_WINLZA 1
#define SP_FILE_COMPRESSION_MSZIP 2
#define SP_SPFILENOTIFY_CABINETINFO 0x10
#define SP_SPFILENOTIFY_FILEINCABINET 0x11
#define SP_SPFILENOTIFY_FILEEXTRACTED 0x13
#define SP_FILEOP_ABORT 0
#define SP_FILEOP_DOIT 1
#define SP_ERROR_INVALID_DATA 13
#define SP_MAX_PATH 260
#define SP_TRUE 1
#define SP_FALSE 0

typedef struct {
    const char *CabinetPath; /* 0x00 */
    const char *CabinetFile; /* 0x08 */
    const char *DiskName;    /* 0x10 */
    uint16_t SetId;          /* 0x18 */
    uint16_t CabinetNumber;  /* 0x1a */
} sp_cabinet_info_a;
_Static_assert(sizeof(sp_cabinet_info_a) == 0x20, "CABINET_INFO_A");

typedef struct {
    const char *NameInCabinet;          /* 0x00 */
    uint32_t FileSize;                  /* 0x08 */
    uint32_t Win32Error;                /* 0x0c */
    uint16_t DosDate;                   /* 0x10 */
    uint16_t DosTime;                   /* 0x12 */
    uint16_t DosAttribs;                /* 0x14 */
    char FullTargetName[SP_MAX_PATH];   /* 0x16 */
} sp_file_in_cabinet_info_a;
_Static_assert(offsetof(sp_file_in_cabinet_info_a, FullTargetName) == 0x16, "FILE_IN_CABINET_INFO_A");

/* FILE_IN_CABINET_INFO_W: the same layout with UTF-16 strings. */
typedef struct {
    const WCHAR *NameInCabinet;         /* 0x00 */
    uint32_t FileSize;                  /* 0x08 */
    uint32_t Win32Error;                /* 0x0c */
    uint16_t DosDate;                   /* 0x10 */
    uint16_t DosTime;                   /* 0x12 */
    uint16_t DosAttribs;                /* 0x14 */
    WCHAR FullTargetName[SP_MAX_PATH];  /* 0x16 */
} sp_file_in_cabinet_info_w;
_Static_assert(offsetof(sp_file_in_cabinet_info_w, FullTargetName) == 0x16,
               "FILE_IN_CABINET_INFO_W");

typedef struct {
    const char *Target;  /* 0x00 */
    const char *Source;  /* 0x08 */
    uint32_t Win32Error; /* 0x10 */
    uint32_t Flags;      /* 0x14 */
} sp_filepaths_a;
_Static_assert(sizeof(sp_filepaths_a) == 0x18, "FILEPATHS_A");

/* The whole file named by a Windows path (UTF-8), malloc'd; NULL with the last error set. */
static uint8_t *sp_read_file(const char *win_path, size_t *size)
{
    char *unix_path = NULL;
    NTSTATUS st = nt_path_to_unix_a(win_path, &unix_path);
    if (!NT_SUCCESS(st)) {
        thk_set_last_status(st);
        return NULL;
    }
    FILE *f = fopen(unix_path, "rb");
    free(unix_path);
    if (!f) {
        thk_set_last_error(ERROR_FILE_NOT_FOUND);
        return NULL;
    }
    uint8_t *buf = NULL;
    size_t n = 0, cap = 0;
    for (;;) {
        if (n == cap) {
            cap = cap ? cap * 2 : 65536;
            uint8_t *b = realloc(buf, cap);
            if (!b) {
                free(buf);
                fclose(f);
                thk_set_last_error(ERROR_NOT_ENOUGH_MEMORY);
                return NULL;
            }
            buf = b;
        }
        size_t r = fread(buf + n, 1, cap - n, f);
        n += r;
        if (r == 0)
            break;
    }
    fclose(f);
    *size = n;
    return buf;
}

static bool sp_write_file(const char *win_path, const uint8_t *data, size_t n)
{
    char *unix_path = NULL;
    NTSTATUS st = nt_path_to_unix_a(win_path, &unix_path);
    if (!NT_SUCCESS(st)) {
        thk_set_last_status(st);
        return false;
    }
    FILE *f = fopen(unix_path, "wb");
    free(unix_path);
    if (!f) {
        thk_set_last_error(5 /* ERROR_ACCESS_DENIED */);
        return false;
    }
    bool ok = fwrite(data, 1, n, f) == n;
    ok = fclose(f) == 0 && ok;
    if (!ok)
        thk_set_last_error(112 /* ERROR_DISK_FULL */);
    return ok;
}

BOOL WINAPI SetupGetFileCompressionInfoExA(const char *source, char *name, DWORD len,
                                           DWORD *required, DWORD *source_size,
                                           DWORD *target_size, UINT *type)
{
    size_t size;
    uint8_t *data = source ? sp_read_file(source, &size) : NULL;
    if (!data) {
        if (!source)
            thk_set_last_error(ERROR_INVALID_PARAMETER);
        return SP_FALSE;
    }
    UINT t = SP_FILE_COMPRESSION_NONE;
    uint32_t target = (uint32_t)size;
    if (size >= 4 && memcmp(data, "MSCF", 4) == 0) {
        t = SP_FILE_COMPRESSION_MSZIP;
    } else if (size >= 14 && memcmp(data, "SZDD\x88\xf0\x27\x33", 8) == 0) {
        t = SP_FILE_COMPRESSION_WINLZA;
        memcpy(&target, data + 10, 4);
    }
    free(data);
    size_t nlen = strlen(source) + 1;
    if (required)
        *required = (DWORD)nlen;
    if (name && len) {
        if (len < nlen) {
            thk_set_last_error(122 /* ERROR_INSUFFICIENT_BUFFER */);
            return SP_FALSE;
        }
        memcpy(name, source, nlen);
    }
    if (source_size)
        *source_size = (DWORD)size;
    if (target_size)
        *target_size = target;
    if (type)
        *type = t;
    return SP_TRUE;
}
THK_EXPORT(setupapi, SetupGetFileCompressionInfoExA, 7);

static uint16_t sp_u16(const uint8_t *p) { return (uint16_t)(p[0] | p[1] << 8); }

/* The names of one notification, for the A or the W callback (CABINET_INFO, FILEPATHS and the
 * strings of FILE_IN_CABINET_INFO have one layout, pointers to either kind of string). */
typedef struct sp_names {
    const void *path, *file, *disk; /* CABINET_INFO's */
} sp_names;

static size_t sp_wlen(const WCHAR *s)
{
    size_t n = 0;
    while (s[n])
        n++;
    return n;
}

static void *sp_str(const char *utf8, bool wide, bool *ok)
{
    if (!wide)
        return (void *)utf8;
    WCHAR *w = k32_a_to_w(utf8, ok);
    return w;
}

/* SetupIterateCabinetA/W: `cabinet` as a UTF-8 path (the ANSI code page is UTF-8), `param` the
 * caller's own string (FILEINCABINET's second parameter), `wide` the W callback's structures. */
static BOOL sp_iterate(const char *cabinet, const void *param, bool wide, void *callback,
                       void *context)
{
    size_t size;
    uint8_t *cab = sp_read_file(cabinet, &size);
    if (!cab)
        return SP_FALSE;
    BOOL ok = SP_FALSE;
    bool mem = true;
    cab_mem *cm = NULL;
    void *path_s = NULL, *file_s = NULL, *disk_s = NULL;
    uint32_t err = SP_ERROR_INVALID_DATA;
    if (size < 36 || memcmp(cab, "MSCF", 4) != 0 || !(cm = cab_mem_open(cab, size, &err))) {
        thk_set_last_error(err);
        goto out;
    }
    /* The path and file name parts of the cabinet, as the notifications give them. */
    char path[SP_MAX_PATH] = "";
    snprintf(path, sizeof path, "%s", cabinet);
    char *slash = strrchr(path, '\\');
    if (!slash)
        slash = strrchr(path, '/');
    char name_only[SP_MAX_PATH];
    snprintf(name_only, sizeof name_only, "%s", slash ? slash + 1 : path);
    if (slash)
        slash[1] = 0;
    else
        path[0] = 0;
    path_s = sp_str(path, wide, &mem);
    file_s = sp_str(name_only, wide, &mem);
    disk_s = sp_str("", wide, &mem);
    if (!mem) {
        thk_set_last_error(ERROR_NOT_ENOUGH_MEMORY);
        goto out;
    }
    sp_cabinet_info_a ci = {path_s, file_s, disk_s, sp_u16(cab + 32), sp_u16(cab + 34)};
    if (thk_call_foreign4(callback, (uint64_t)(uintptr_t)context, SP_SPFILENOTIFY_CABINETINFO,
                          (uint64_t)(uintptr_t)&ci, 0) != 0)
        goto out;
    cab_mem_entry e;
    for (size_t i = 0; cab_mem_entry_at(cm, i, &e); i++) {
        /* One FILE_IN_CABINET_INFO, A or W: the fields before the target name are alike. */
        union {
            sp_file_in_cabinet_info_a a;
            sp_file_in_cabinet_info_w w;
        } fi;
        memset(&fi, 0, sizeof fi);
        void *name_s = sp_str(e.name, wide, &mem);
        if (!mem) {
            thk_set_last_error(ERROR_NOT_ENOUGH_MEMORY);
            goto out;
        }
        fi.a = (sp_file_in_cabinet_info_a){.NameInCabinet = name_s, .FileSize = e.size,
                                           .DosDate = e.date, .DosTime = e.time,
                                           .DosAttribs = e.attribs};
        uint32_t op = (uint32_t)thk_call_foreign4(callback, (uint64_t)(uintptr_t)context,
                                                  SP_SPFILENOTIFY_FILEINCABINET,
                                                  (uint64_t)(uintptr_t)&fi,
                                                  (uint64_t)(uintptr_t)param);
        if (op == SP_FILEOP_ABORT) {
            thk_set_last_error(fi.a.Win32Error);
            if (wide)
                free(name_s);
            goto out;
        }
        if (op != SP_FILEOP_DOIT) {
            if (wide)
                free(name_s);
            continue;
        }
        char *target;
        if (wide) {
            fi.w.FullTargetName[SP_MAX_PATH - 1] = 0;
            target = k32_w_to_a(fi.w.FullTargetName, sp_wlen(fi.w.FullTargetName));
        } else {
            fi.a.FullTargetName[SP_MAX_PATH - 1] = 0;
            target = fi.a.FullTargetName;
        }
        uint8_t *data = NULL;
        size_t len = 0;
        err = target ? cab_mem_extract(cm, i, &data, &len) : ERROR_NOT_ENOUGH_MEMORY;
        if (!err && !sp_write_file(target, data, len))
            err = thk_get_last_error();
        free(data);
        sp_filepaths_a fp = {wide ? (const char *)fi.w.FullTargetName : fi.a.FullTargetName,
                             name_s, err, 0};
        uint64_t r = thk_call_foreign4(callback, (uint64_t)(uintptr_t)context,
                                       SP_SPFILENOTIFY_FILEEXTRACTED, (uint64_t)(uintptr_t)&fp, 0);
        if (wide) {
            free(target);
            free(name_s);
        }
        if (r != 0)
            goto out;
    }
    ok = SP_TRUE;
out:
    if (wide) {
        free(path_s);
        free(file_s);
        free(disk_s);
    }
    cab_mem_close(cm);
    free(cab);
    return ok;
}

BOOL WINAPI SetupIterateCabinetA(const char *cabinet, DWORD reserved, void *callback,
                                 void *context)
{
    if (!cabinet || !callback) {
        thk_set_last_error(ERROR_INVALID_PARAMETER);
        return SP_FALSE;
    }
    return sp_iterate(cabinet, cabinet, false, callback, context);
}
THK_EXPORT(setupapi, SetupIterateCabinetA, 4);

BOOL WINAPI SetupIterateCabinetW(const WCHAR *cabinet, DWORD reserved, void *callback,
                                 void *context)
{
    if (!cabinet || !callback) {
        thk_set_last_error(ERROR_INVALID_PARAMETER);
        return SP_FALSE;
    }
    char *path = k32_w_to_a(cabinet, sp_wlen(cabinet));
    if (!path) {
        thk_set_last_error(ERROR_NOT_ENOUGH_MEMORY);
        return SP_FALSE;
    }
    BOOL ok = sp_iterate(path, cabinet, true, callback, context);
    free(path);
    return ok;
}
THK_EXPORT(setupapi, SetupIterateCabinetW, 4);
