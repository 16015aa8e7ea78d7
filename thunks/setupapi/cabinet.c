/* SPDX-License-Identifier: MIT */
/* setupapi: SetupGetFileCompressionInfoExA/W and SetupIterateCabinetA/W, the cabinet (.cab)
 * functions expand.exe and installers use. A cabinet is a CFHEADER, its CFFOLDER entries (one
 * compressed stream each, stored as CFDATA blocks), and CFFILE entries (a name and a range of
 * one folder's uncompressed stream). Stored and MSZIP folders are extracted; Quantum and LZX
 * folders are not (the file fails with ERROR_NOT_SUPPORTED). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "ntemu/ntemu.h"
#include "thunks/thunks_private.h"
#include "thunks/setupapi/setupapi_private.h"

#define SP_FILE_COMPRESSION_NONE 0
#define SP_FILE_COMPRESSION_WINLZA 1
#define SP_FILE_COMPRESSION_MSZIP 2
#define SP_SPFILENOTIFY_CABINETINFO 0x10
#define SP_SPFILENOTIFY_FILEINCABINET 0x11
#define SP_SPFILENOTIFY_FILEEXTRACTED 0x13
#define SP_FILEOP_ABORT 0
#define SP_FILEOP_DOIT 1
#define SP_ERROR_INVALID_DATA 13
#define SP_ERROR_NOT_SUPPORTED 50
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
static uint32_t sp_u32(const uint8_t *p) { return sp_u16(p) | (uint32_t)sp_u16(p + 2) << 16; }

typedef struct {
    uint32_t data_off;  /* first CFDATA */
    uint16_t ndata, type;
    uint8_t *stream;    /* uncompressed, on first use */
    size_t stream_len;
    bool failed;
} sp_folder;

/* The folder's uncompressed stream; false (with *err) when it cannot be had. Stored folders
 * are the concatenated CFDATA payloads; an MSZIP block is "CK" and a raw DEFLATE stream whose
 * window is everything decoded before it in the folder. */
static bool sp_folder_stream(const uint8_t *cab, size_t size, sp_folder *f, uint8_t data_reserve,
                             uint32_t *err)
{
    if (f->stream || f->failed)
        return !f->failed;
    unsigned type = f->type & 0xf;
    if (type > 1) {
        f->failed = true;
        *err = SP_ERROR_NOT_SUPPORTED;
        return false;
    }
    sp_buf out = {0};
    size_t off = f->data_off;
    for (uint16_t i = 0; i < f->ndata; i++) {
        if (off + 8 + data_reserve > size)
            goto bad;
        uint16_t cb = sp_u16(cab + off + 4);
        const uint8_t *d = cab + off + 8 + data_reserve;
        if (off + 8 + data_reserve + cb > size)
            goto bad;
        if (type == 1) {
            if (cb < 2 || d[0] != 'C' || d[1] != 'K' || !sp_inflate(d + 2, cb - 2u, &out))
                goto bad;
        } else {
            uint8_t *p = realloc(out.data, out.len + cb + 1);
            if (!p)
                goto bad;
            out.data = p;
            memcpy(p + out.len, d, cb);
            out.len += cb;
        }
        off += 8 + data_reserve + cb;
    }
    if (!out.data)
        out.data = malloc(1);
    f->stream = out.data;
    f->stream_len = out.len;
    return f->stream != NULL;
bad:
    free(out.data);
    f->failed = true;
    *err = SP_ERROR_INVALID_DATA;
    return false;
}

BOOL WINAPI SetupIterateCabinetA(const char *cabinet, DWORD reserved, void *callback,
                                 void *context)
{
    size_t size;
    uint8_t *cab = cabinet && callback ? sp_read_file(cabinet, &size) : NULL;
    if (!cab) {
        if (!cabinet || !callback)
            thk_set_last_error(ERROR_INVALID_PARAMETER);
        return SP_FALSE;
    }
    BOOL ok = SP_FALSE;
    sp_folder *folders = NULL;
    uint16_t nfolders = 0;
    if (size < 36 || memcmp(cab, "MSCF", 4) != 0) {
        thk_set_last_error(SP_ERROR_INVALID_DATA);
        goto out;
    }
    uint32_t files_off = sp_u32(cab + 16);
    nfolders = sp_u16(cab + 26);
    uint16_t nfiles = sp_u16(cab + 28), flags = sp_u16(cab + 30);
    size_t off = 36;
    uint8_t folder_reserve = 0, data_reserve = 0;
    if (flags & 4) { /* cfhdrRESERVE_PRESENT */
        if (size < 40) {
            thk_set_last_error(SP_ERROR_INVALID_DATA);
            goto out;
        }
        off = 40 + sp_u16(cab + 36);
        folder_reserve = cab[38];
        data_reserve = cab[39];
    }
    for (int k = 0; k < ((flags & 1) ? 2 : 0) + ((flags & 2) ? 2 : 0); k++) /* prev/next names */
        off += strnlen((const char *)cab + off, size > off ? size - off : 0) + 1;
    folders = calloc(nfolders ? nfolders : 1, sizeof *folders);
    if (!folders) {
        thk_set_last_error(ERROR_NOT_ENOUGH_MEMORY);
        goto out;
    }
    for (uint16_t i = 0; i < nfolders; i++, off += 8 + folder_reserve) {
        if (off + 8 > size) {
            thk_set_last_error(SP_ERROR_INVALID_DATA);
            goto out;
        }
        folders[i].data_off = sp_u32(cab + off);
        folders[i].ndata = sp_u16(cab + off + 4);
        folders[i].type = sp_u16(cab + off + 6);
    }
    /* The path and file name parts of the cabinet, as the notifications give them. */
    char path[SP_MAX_PATH] = "", *file;
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
    file = name_only;
    sp_cabinet_info_a ci = {path, file, "", sp_u16(cab + 32), sp_u16(cab + 34)};
    if (thk_call_foreign4(callback, (uint64_t)(uintptr_t)context, SP_SPFILENOTIFY_CABINETINFO,
                          (uint64_t)(uintptr_t)&ci, 0) != 0)
        goto out;
    off = files_off;
    for (uint16_t i = 0; i < nfiles; i++) {
        if (off + 16 >= size) {
            thk_set_last_error(SP_ERROR_INVALID_DATA);
            goto out;
        }
        uint32_t cb = sp_u32(cab + off), start = sp_u32(cab + off + 4);
        uint16_t ifolder = sp_u16(cab + off + 8);
        const char *fname = (const char *)cab + off + 16;
        size_t fnlen = strnlen(fname, size - off - 16);
        if (off + 16 + fnlen >= size) {
            thk_set_last_error(SP_ERROR_INVALID_DATA);
            goto out;
        }
        sp_file_in_cabinet_info_a fi = {.NameInCabinet = fname, .FileSize = cb,
                                        .DosDate = sp_u16(cab + off + 10),
                                        .DosTime = sp_u16(cab + off + 12),
                                        .DosAttribs = sp_u16(cab + off + 14)};
        off += 16 + fnlen + 1;
        uint32_t op = (uint32_t)thk_call_foreign4(callback, (uint64_t)(uintptr_t)context,
                                                  SP_SPFILENOTIFY_FILEINCABINET,
                                                  (uint64_t)(uintptr_t)&fi,
                                                  (uint64_t)(uintptr_t)cabinet);
        if (op == SP_FILEOP_ABORT) {
            thk_set_last_error(fi.Win32Error);
            goto out;
        }
        if (op != SP_FILEOP_DOIT)
            continue;
        fi.FullTargetName[SP_MAX_PATH - 1] = 0;
        uint32_t err = 0;
        if (ifolder >= nfolders) {
            err = SP_ERROR_INVALID_DATA;
        } else if (sp_folder_stream(cab, size, &folders[ifolder], data_reserve, &err)) {
            sp_folder *f = &folders[ifolder];
            if ((size_t)start + cb > f->stream_len)
                err = SP_ERROR_INVALID_DATA;
            else if (!sp_write_file(fi.FullTargetName, f->stream + start, cb))
                err = thk_get_last_error();
        }
        sp_filepaths_a fp = {fi.FullTargetName, fname, err, 0};
        if (thk_call_foreign4(callback, (uint64_t)(uintptr_t)context,
                              SP_SPFILENOTIFY_FILEEXTRACTED, (uint64_t)(uintptr_t)&fp, 0) != 0)
            goto out;
    }
    ok = SP_TRUE;
out:
    for (uint16_t i = 0; folders && i < nfolders; i++)
        free(folders[i].stream);
    free(folders);
    free(cab);
    return ok;
}
THK_EXPORT(setupapi, SetupIterateCabinetA, 4);
