/* SPDX-License-Identifier: MIT */
/* cabinet.dll's FDI (File Decompression Interface): FDICreate, FDIIsCabinet, FDICopy,
 * FDIDestroy.
 *
 * Every byte of the cabinet and of the files extracted goes through the program's own callbacks
 * (its open/read/write/close/seek, Windows ABI, called through thk_call_foreign), as on
 * Windows. The cabinet's structure and its three compressions (MSZIP, Quantum, LZX) are read by
 * Debian's libmspack, given an mspack_system whose file functions are those callbacks: the
 * cabinet FDICopy opened is handed to libmspack by its name, and each file the program asks for
 * (the handle its fdintCOPY_FILE notification returns) by the file's name in the cabinet.
 *
 * The header check (FDIIsCabinet, and FDICopy before libmspack reads the rest) is done here,
 * with Windows' errors: a file that is not "MSCF" is FDIERROR_NOT_A_CABINET, a version other
 * than 1.3 FDIERROR_UNKNOWN_CABINET_VERSION. Damaged folders, files and data blocks are
 * FDIERROR_CORRUPT_CABINET (a write the program's callback refused: FDIERROR_TARGET_FILE).
 * As Wine's FDI, which the Wine tools using it are written against, the fdintCLOSE_FILE_INFO
 * notification follows every extraction (also a failed one) and its return value is not read.
 * Not done: cabinet sets (fdintPARTIAL_FILE, fdintNEXT_CABINET: a folder continued in another
 * cabinet fails as FDIERROR_CORRUPT_CABINET), the decryption callback, FDITruncateCabinet. */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include "thunks/cabinet/cabinet_private.h"
#include "thunks/kernel32/kernel32_private.h"

enum {
    FDIERROR_NONE,
    FDIERROR_CABINET_NOT_FOUND,
    FDIERROR_NOT_A_CABINET,
    FDIERROR_UNKNOWN_CABINET_VERSION,
    FDIERROR_CORRUPT_CABINET,
    FDIERROR_ALLOC_FAIL,
    FDIERROR_BAD_COMPR_TYPE,
    FDIERROR_MDI_FAIL,
    FDIERROR_TARGET_FILE,
    FDIERROR_RESERVE_MISMATCH,
    FDIERROR_WRONG_CABINET,
    FDIERROR_USER_ABORT,
};
enum { FDINT_CABINET_INFO, FDINT_PARTIAL_FILE, FDINT_COPY_FILE, FDINT_CLOSE_FILE_INFO };

#define FDI_O_RDONLY_BINARY 0x8000 /* _O_RDONLY | _O_BINARY */
#define FDI_S_IREAD_IWRITE 0x0180
#define FDI_ERROR_FILE_NOT_FOUND 2
#define FDI_ERROR_NOT_ENOUGH_MEMORY 8
#define FDI_ERROR_INVALID_HANDLE 6
#define FDI_MAX_PATH 260

/* FDINOTIFICATION */
typedef struct fdi_notification {
    int32_t cb;        /* 0x00 */
    char *psz1;        /* 0x08 */
    char *psz2;        /* 0x10 */
    char *psz3;        /* 0x18 */
    void *pv;          /* 0x20 */
    intptr_t hf;       /* 0x28 */
    uint16_t date;     /* 0x30 */
    uint16_t time;     /* 0x32 */
    uint16_t attribs;  /* 0x34 */
    uint16_t setID;    /* 0x36 */
    uint16_t iCabinet; /* 0x38 */
    uint16_t iFolder;  /* 0x3a */
    int32_t fdie;      /* 0x3c */
} fdi_notification;
_Static_assert(offsetof(fdi_notification, hf) == 0x28, "FDINOTIFICATION.hf");
_Static_assert(offsetof(fdi_notification, fdie) == 0x3c, "FDINOTIFICATION.fdie");
_Static_assert(sizeof(fdi_notification) == 0x40, "FDINOTIFICATION");

/* FDICABINETINFO */
typedef struct fdi_cabinet_info {
    int32_t cbCabinet; /* 0x00 */
    uint16_t cFolders; /* 0x04 */
    uint16_t cFiles;   /* 0x06 */
    uint16_t setID;    /* 0x08 */
    uint16_t iCabinet; /* 0x0a */
    int32_t fReserve;  /* 0x0c */
    int32_t hasprev;   /* 0x10 */
    int32_t hasnext;   /* 0x14 */
} fdi_cabinet_info;
_Static_assert(sizeof(fdi_cabinet_info) == 24, "FDICABINETINFO");

/* An HFDI: the program's callbacks (foreign function pointers) and its ERF. */
typedef struct fdi_ctx {
    void *alloc, *free, *open, *read, *write, *close, *seek;
    void *perf;
    struct fdi_ctx *next;
} fdi_ctx;

static pthread_mutex_t fdi_lock = PTHREAD_MUTEX_INITIALIZER;
static fdi_ctx *fdi_list;

/* The HFDI a program passes is checked against the live ones: never a dereference of a bad
 * pointer. FDI calls on one handle are not made from two threads at once (as on Windows). */
static fdi_ctx *fdi_lookup(void *h)
{
    pthread_mutex_lock(&fdi_lock);
    fdi_ctx *c = fdi_list;
    while (c && c != h)
        c = c->next;
    pthread_mutex_unlock(&fdi_lock);
    return c;
}

/* ---- the program's callbacks ---- */
static intptr_t fdi_open(fdi_ctx *f, const char *name, int oflag, int pmode)
{
    return (intptr_t)thk_call_foreign3(f->open, (uintptr_t)name, (uint64_t)oflag,
                                       (uint64_t)pmode);
}
static int64_t fdi_read(fdi_ctx *f, intptr_t hf, void *buf, uint32_t n)
{
    uint32_t r = (uint32_t)thk_call_foreign3(f->read, (uint64_t)hf, (uintptr_t)buf, n);
    return r == UINT32_MAX ? -1 : (int64_t)r;
}
static int64_t fdi_write(fdi_ctx *f, intptr_t hf, const void *buf, uint32_t n)
{
    uint32_t r = (uint32_t)thk_call_foreign3(f->write, (uint64_t)hf, (uintptr_t)buf, n);
    return r == UINT32_MAX ? -1 : (int64_t)r;
}
static void fdi_close(fdi_ctx *f, intptr_t hf)
{
    (void)thk_call_foreign1(f->close, (uint64_t)hf);
}
static int32_t fdi_seek(fdi_ctx *f, intptr_t hf, int32_t dist, int whence)
{
    return (int32_t)thk_call_foreign3(f->seek, (uint64_t)hf, (uint64_t)(int64_t)dist,
                                      (uint64_t)whence);
}
static intptr_t fdi_notify(void *fn, int type, fdi_notification *n)
{
    return (intptr_t)thk_call_foreign2(fn, (uint64_t)type, (uintptr_t)n);
}

/* ---- the mspack_system over them ----
 * libmspack opens two names: the cabinet's (FDICopy's full path: the handle FDICopy opened) and
 * the name of the file being extracted (the handle the program returned for it). Both are
 * recognised by pointer, as libmspack passes back the strings it was given; neither is opened
 * nor closed by libmspack's open/close. */
typedef struct fdi_sys {
    struct mspack_system sys; /* first: libmspack passes &sys */
    fdi_ctx *fdi;
    const char *cab_name;
    intptr_t cab_hf;
    const char *out_name;
    intptr_t out_hf;
    bool write_failed;
} fdi_sys;

typedef struct fdi_file {
    fdi_sys *s;
    intptr_t hf;
} fdi_file;

static struct mspack_file *fdi_sys_open(struct mspack_system *self, const char *name, int mode)
{
    fdi_sys *s = (fdi_sys *)self;
    intptr_t hf;
    if (name == s->cab_name && mode == MSPACK_SYS_OPEN_READ)
        hf = s->cab_hf;
    else if (name == s->out_name && mode == MSPACK_SYS_OPEN_WRITE)
        hf = s->out_hf;
    else
        return NULL; /* another cabinet of a set: not supported */
    fdi_file *fh = malloc(sizeof *fh);
    if (fh) {
        fh->s = s;
        fh->hf = hf;
    }
    return (struct mspack_file *)fh;
}
static void fdi_sys_close(struct mspack_file *file) { free(file); }
static int fdi_sys_read(struct mspack_file *file, void *buf, int bytes)
{
    fdi_file *fh = (fdi_file *)file;
    if (bytes < 0)
        return -1;
    return (int)fdi_read(fh->s->fdi, fh->hf, buf, (uint32_t)bytes);
}
static int fdi_sys_write(struct mspack_file *file, void *buf, int bytes)
{
    fdi_file *fh = (fdi_file *)file;
    int64_t r = bytes < 0 ? -1 : fdi_write(fh->s->fdi, fh->hf, buf, (uint32_t)bytes);
    if (r != bytes)
        fh->s->write_failed = true;
    return (int)r;
}
static int fdi_sys_seek(struct mspack_file *file, off_t offset, int mode)
{
    fdi_file *fh = (fdi_file *)file;
    if (offset < INT32_MIN || offset > INT32_MAX)
        return 1;
    return fdi_seek(fh->s->fdi, fh->hf, (int32_t)offset, mode) == -1;
}
static off_t fdi_sys_tell(struct mspack_file *file)
{
    fdi_file *fh = (fdi_file *)file;
    return fdi_seek(fh->s->fdi, fh->hf, 0, 1 /* SEEK_CUR */);
}
static void fdi_sys_message(struct mspack_file *file, const char *format, ...)
{
    (void)file;
    (void)format;
}
static void *fdi_sys_alloc(struct mspack_system *self, size_t bytes)
{
    (void)self;
    return malloc(bytes);
}
static void fdi_sys_free(void *p) { free(p); }
static void fdi_sys_copy(void *src, void *dst, size_t bytes) { memmove(dst, src, bytes); }

/* ---- the header ---- */
static uint16_t fdi_u16(const uint8_t *p) { return (uint16_t)(p[0] | p[1] << 8); }
static uint32_t fdi_u32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

/* Reads the CFHEADER at hf's position: FDIERROR_NONE and *info, or the error. */
static int fdi_read_header(fdi_ctx *f, intptr_t hf, fdi_cabinet_info *info)
{
    uint8_t h[CAB_HDR_SIZE];
    if (fdi_read(f, hf, h, sizeof h) != (int64_t)sizeof h || memcmp(h, "MSCF", 4) != 0)
        return FDIERROR_NOT_A_CABINET;
    if (fdi_u16(h + 24) != 0x0103)
        return FDIERROR_UNKNOWN_CABINET_VERSION;
    uint16_t flags = fdi_u16(h + 30);
    *info = (fdi_cabinet_info){
        .cbCabinet = (int32_t)fdi_u32(h + 8),
        .cFolders = fdi_u16(h + 26),
        .cFiles = fdi_u16(h + 28),
        .setID = fdi_u16(h + 32),
        .iCabinet = fdi_u16(h + 34),
        .fReserve = (flags & CAB_HDR_RESERVE) != 0,
        .hasprev = (flags & CAB_HDR_PREV) != 0,
        .hasnext = (flags & CAB_HDR_NEXT) != 0,
    };
    return FDIERROR_NONE;
}

/* ---- exports ---- */

/* HFDI FDICreate(PFNALLOC, PFNFREE, PFNOPEN, PFNREAD, PFNWRITE, PFNCLOSE, PFNSEEK, int cpu,
 *                PERF perf) */
static void *WINAPI cab_FDICreate(void *alloc, void *free_fn, void *open, void *read, void *write,
                                  void *close, void *seek, int cpu, void *perf)
{
    (void)cpu;
    if (!alloc || !free_fn || !open || !read || !write || !close || !seek) {
        cab_set_erf(perf, FDIERROR_ALLOC_FAIL, 0);
        return NULL;
    }
    if (!cab_mspack()) {
        cab_set_erf(perf, FDIERROR_ALLOC_FAIL, 126 /* ERROR_MOD_NOT_FOUND */);
        SetLastError(126);
        return NULL;
    }
    fdi_ctx *f = calloc(1, sizeof *f);
    if (!f) {
        cab_set_erf(perf, FDIERROR_ALLOC_FAIL, FDI_ERROR_NOT_ENOUGH_MEMORY);
        SetLastError(FDI_ERROR_NOT_ENOUGH_MEMORY);
        return NULL;
    }
    *f = (fdi_ctx){alloc, free_fn, open, read, write, close, seek, perf, NULL};
    cab_set_erf(perf, FDIERROR_NONE, 0);
    pthread_mutex_lock(&fdi_lock);
    f->next = fdi_list;
    fdi_list = f;
    pthread_mutex_unlock(&fdi_lock);
    return f;
}
THK_EXPORT_AS(cabinet, FDICreate, cab_FDICreate, 9);

/* BOOL FDIDestroy(HFDI) */
static BOOL WINAPI cab_FDIDestroy(void *h)
{
    pthread_mutex_lock(&fdi_lock);
    fdi_ctx **pp = &fdi_list;
    while (*pp && *pp != h)
        pp = &(*pp)->next;
    fdi_ctx *f = *pp;
    if (f)
        *pp = f->next;
    pthread_mutex_unlock(&fdi_lock);
    free(f);
    return f != NULL;
}
THK_EXPORT_AS(cabinet, FDIDestroy, cab_FDIDestroy, 1);

/* BOOL FDIIsCabinet(HFDI, INT_PTR hf, PFDICABINETINFO): reads the header at hf's position. */
static BOOL WINAPI cab_FDIIsCabinet(void *h, intptr_t hf, void *out)
{
    fdi_ctx *f = fdi_lookup(h);
    if (!f) {
        SetLastError(FDI_ERROR_INVALID_HANDLE);
        return FALSE;
    }
    fdi_cabinet_info info;
    int err = fdi_read_header(f, hf, &info);
    if (err != FDIERROR_NONE) {
        cab_set_erf(f->perf, err, 0);
        return FALSE;
    }
    if (!out || nt_copy_to_user(out, &info, sizeof info) != 0) {
        SetLastError(87 /* ERROR_INVALID_PARAMETER */);
        return FALSE;
    }
    return TRUE;
}
THK_EXPORT_AS(cabinet, FDIIsCabinet, cab_FDIIsCabinet, 3);

static int fdi_mspack_error(int e)
{
    switch (e) {
    case MSPACK_ERR_NOMEMORY: return FDIERROR_ALLOC_FAIL;
    case MSPACK_ERR_SIGNATURE: return FDIERROR_NOT_A_CABINET;
    case MSPACK_ERR_WRITE: return FDIERROR_TARGET_FILE;
    default: return FDIERROR_CORRUPT_CABINET;
    }
}

/* The notification for a file of the cabinet: its DOS date, time and attributes as stored. */
static void fdi_file_note(fdi_notification *n, const struct mscabd_cabinet *cab,
                          const struct mscabd_file *file, void *pv)
{
    uint16_t folder = 0;
    for (const struct mscabd_folder *fo = cab->folders; fo && fo != file->folder; fo = fo->next)
        folder++;
    *n = (fdi_notification){
        .psz1 = file->filename,
        .pv = pv,
        .attribs = (uint16_t)file->attribs,
        .iFolder = folder,
    };
    cab_dos_datetime(file, &n->date, &n->time);
}

/* Extracts the files of an open cabinet the program asks for: FDIERROR_NONE or the error. */
static int fdi_copy_files(fdi_sys *s, struct mscab_decompressor *d, struct mscabd_cabinet *cab,
                          void *notify, void *pv)
{
    for (struct mscabd_file *file = cab->files; file; file = file->next) {
        fdi_notification n;
        fdi_file_note(&n, cab, file, pv);
        n.cb = (int32_t)file->length;
        intptr_t hf = fdi_notify(notify, FDINT_COPY_FILE, &n);
        if (hf == -1)
            return FDIERROR_USER_ABORT;
        if (!hf)
            continue;
        s->out_name = file->filename;
        s->out_hf = hf;
        s->write_failed = false;
        int e = d->extract(d, file, file->filename);
        s->out_name = NULL;
        fdi_file_note(&n, cab, file, pv);
        n.hf = hf;
        n.cb = (file->attribs & CAB_A_EXEC) != 0;
        (void)fdi_notify(notify, FDINT_CLOSE_FILE_INFO, &n);
        if (e != MSPACK_ERR_OK)
            return s->write_failed ? FDIERROR_TARGET_FILE : fdi_mspack_error(e);
    }
    return FDIERROR_NONE;
}

/* BOOL FDICopy(HFDI, char *cabinet, char *cabpath, int flags, PFNFDINOTIFY, PFNFDIDECRYPT,
 *              void *pv) */
static BOOL WINAPI cab_FDICopy(void *h, const char *cabinet, const char *cabpath, int flags,
                               void *notify, void *decrypt, void *pv)
{
    (void)flags;
    (void)decrypt;
    fdi_ctx *f = fdi_lookup(h);
    if (!f) {
        SetLastError(FDI_ERROR_INVALID_HANDLE);
        return FALSE;
    }
    if (!notify) {
        cab_set_erf(f->perf, FDIERROR_USER_ABORT, 0);
        return FALSE;
    }
    char path[FDI_MAX_PATH] = "", name[FDI_MAX_PATH] = "", full[FDI_MAX_PATH];
    if ((cabpath && !cab_string_from_user(path, sizeof path, cabpath)) ||
        (cabinet && !cab_string_from_user(name, sizeof name, cabinet)) ||
        strlen(path) + strlen(name) + 1 > sizeof full) {
        cab_set_erf(f->perf, FDIERROR_CABINET_NOT_FOUND, FDI_ERROR_FILE_NOT_FOUND);
        SetLastError(FDI_ERROR_FILE_NOT_FOUND);
        return FALSE;
    }
    size_t plen = strlen(path);
    memcpy(full, path, plen);
    memcpy(full + plen, name, strlen(name) + 1);
    intptr_t cabhf = fdi_open(f, full, FDI_O_RDONLY_BINARY, FDI_S_IREAD_IWRITE);
    if (cabhf == -1) {
        cab_set_erf(f->perf, FDIERROR_CABINET_NOT_FOUND, 0);
        SetLastError(FDI_ERROR_FILE_NOT_FOUND);
        return FALSE;
    }

    int err;
    fdi_cabinet_info info;
    struct mscab_decompressor *d = NULL;
    struct mscabd_cabinet *cab = NULL;
    fdi_sys s = {
        .sys = {fdi_sys_open, fdi_sys_close, fdi_sys_read, fdi_sys_write, fdi_sys_seek,
                fdi_sys_tell, fdi_sys_message, fdi_sys_alloc, fdi_sys_free, fdi_sys_copy, NULL},
        .fdi = f,
        .cab_name = full,
        .cab_hf = cabhf,
    };
    if ((err = fdi_read_header(f, cabhf, &info)) != FDIERROR_NONE)
        goto close_cabinet;
    if (!(d = cab_mspack()->create(&s.sys))) {
        err = FDIERROR_ALLOC_FAIL;
        goto close_cabinet;
    }
    if (!(cab = d->open(d, full))) {
        err = fdi_mspack_error(d->last_error(d));
        goto destroy;
    }
    fdi_notification n = {
        .psz1 = cab->nextname ? cab->nextname : "",
        .psz2 = cab->nextinfo ? cab->nextinfo : "",
        .psz3 = (char *)cabpath,
        .pv = pv,
        .setID = info.setID,
        .iCabinet = info.iCabinet,
    };
    if (fdi_notify(notify, FDINT_CABINET_INFO, &n) == -1)
        err = FDIERROR_USER_ABORT;
    else
        err = fdi_copy_files(&s, d, cab, notify, pv);
    d->close(d, cab);
destroy:
    cab_mspack()->destroy(d);
close_cabinet:
    fdi_close(f, cabhf);
    if (err != FDIERROR_NONE) {
        cab_set_erf(f->perf, err, err == FDIERROR_ALLOC_FAIL ? FDI_ERROR_NOT_ENOUGH_MEMORY : 0);
        if (err == FDIERROR_ALLOC_FAIL)
            SetLastError(FDI_ERROR_NOT_ENOUGH_MEMORY);
        return FALSE;
    }
    return TRUE;
}
THK_EXPORT_AS(cabinet, FDICopy, cab_FDICopy, 7);
