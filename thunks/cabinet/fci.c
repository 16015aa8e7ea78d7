/* SPDX-License-Identifier: MIT */
/* cabinet.dll's FCI (File Compression Interface): FCICreate, FCIAddFile, FCIFlushFolder,
 * FCIFlushCabinet, FCIDestroy.
 *
 * Source files are read, and the cabinet written, through the program's callbacks (Windows ABI,
 * thk_call_foreign): FCIAddFile opens a file with its get-open-info callback (which also gives
 * the DOS date, time and attributes stored), reads it whole and closes it; FCIFlushCabinet opens
 * szCabPath + szCab from the CCAB given to FCICreate and writes the cabinet. Between the two the
 * folders are kept in memory as their finished CFDATA blocks (so no temporary files are made;
 * the get-temp-file and delete callbacks are not called). The file-placed callback is called for
 * the files of a folder when the folder is closed (as Wine's FCI does).
 *
 * A folder is a run of files with one compression: tcompTYPE_NONE (blocks stored) or
 * tcompTYPE_MSZIP ("CK" and a raw DEFLATE stream per 32 KiB block, by zlib at its default
 * level; each block on its own, without the previous one as a dictionary: as Wine's FCI, whose
 * cabinets these are then byte for byte, and smaller on mixed data than with the dictionary,
 * measured on 200 KB of random bytes and 169 KB of text). A change of compression,
 * FCIFlushFolder, or a folder's data reaching cbFolderThresh starts a new folder. Every block
 * has its checksum. The CCAB's reserve sizes are honoured (zero-filled reserve areas).
 * Errors as FCIERR_* in the ERF given to FCICreate (erfType: the callback's *err or a Win32
 * error): FCIERR_OPEN_SRC, FCIERR_READ_SRC, FCIERR_BAD_COMPR_TYPE (Quantum, LZX: not written),
 * FCIERR_CAB_FILE (the cabinet could not be written), FCIERR_USER_ABORT (a callback returned -1),
 * FCIERR_CAB_FORMAT_LIMIT (more than 65535 files, folders or blocks of a folder).
 * Not done: cabinet sets (a cabinet larger than the CCAB's cb is written whole, never split
 * across cabinets: FCIFlushCabinet's fGetNextCab only asks for the next cabinet's name). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <pthread.h>
#include "thunks/cabinet/cabinet_private.h"
#include "thunks/kernel32/kernel32_private.h"

enum {
    FCIERR_NONE,
    FCIERR_OPEN_SRC,
    FCIERR_READ_SRC,
    FCIERR_ALLOC_FAIL,
    FCIERR_TEMP_FILE,
    FCIERR_BAD_COMPR_TYPE,
    FCIERR_CAB_FILE,
    FCIERR_USER_ABORT,
    FCIERR_MCI_FAIL,
    FCIERR_CAB_FORMAT_LIMIT,
};
enum { FCI_STATUS_FILE, FCI_STATUS_FOLDER, FCI_STATUS_CABINET };
#define FCI_TCOMP_NONE 0
#define FCI_TCOMP_MSZIP 1
#define FCI_ERROR_BAD_ARGUMENTS 160
#define FCI_ERROR_NOT_ENOUGH_MEMORY 8
/* _O_RDWR | _O_CREAT | _O_TRUNC | _O_BINARY, and _S_IREAD | _S_IWRITE */
#define FCI_O_CREATE 0x8302
#define FCI_S_IREAD_IWRITE 0x0180
#define FCI_MAX_NAME 256
#define FCI_MAX_SOURCE 1024
#define FCI_WRITE_CHUNK (1u << 20)
/* Room for one compressed block: DEFLATE's stored blocks add 5 bytes per 64 KiB at worst. */
#define FCI_OUT_MAX (CAB_BLOCK_MAX + 64)

/* CCAB */
typedef struct fci_ccab {
    uint32_t cb;                    /* 0x000 */
    uint32_t cbFolderThresh;        /* 0x004 */
    uint32_t cbReserveCFHeader;     /* 0x008 */
    uint32_t cbReserveCFFolder;     /* 0x00c */
    uint32_t cbReserveCFData;       /* 0x010 */
    int32_t iCab;                   /* 0x014 */
    int32_t iDisk;                  /* 0x018 */
    int32_t fFailOnIncompressible;  /* 0x01c */
    uint16_t setID;                 /* 0x020 */
    char szDisk[256];               /* 0x022 */
    char szCab[256];                /* 0x122 */
    char szCabPath[256];            /* 0x222 */
} fci_ccab;
_Static_assert(offsetof(fci_ccab, szCabPath) == 0x222, "CCAB.szCabPath");
_Static_assert(sizeof(fci_ccab) == 804, "CCAB");

typedef struct fci_buf {
    uint8_t *p;
    size_t len, cap;
} fci_buf;

typedef struct fci_folder {
    uint16_t comp;
    uint32_t nblocks;
    fci_buf data; /* its CFDATA blocks as written */
} fci_folder;

typedef struct fci_file {
    char *name;
    uint32_t size, offset;
    uint16_t folder, date, time, attribs;
} fci_file;

/* An HFCI. */
typedef struct fci_ctx {
    void *placed, *alloc, *free, *open, *read, *write, *close, *seek, *del, *gettemp;
    void *perf, *pv;
    fci_ccab ccab; /* the program's CCAB as given, then as its next-cabinet callback sets it */
    fci_folder *folders;
    size_t nfolders;
    fci_file *files;
    size_t nfiles;
    bool folder_open; /* folders[nfolders - 1] takes the next files */
    uint32_t folder_size; /* uncompressed bytes in the open folder */
    uint32_t npending;
    z_stream z;
    bool z_ready;
    uint8_t pending[CAB_BLOCK_MAX]; /* the open folder's next block, uncompressed */
    uint8_t out[FCI_OUT_MAX];
    struct fci_ctx *next;
} fci_ctx;

static pthread_mutex_t fci_lock = PTHREAD_MUTEX_INITIALIZER;
static fci_ctx *fci_list;

static fci_ctx *fci_lookup(void *h)
{
    pthread_mutex_lock(&fci_lock);
    fci_ctx *c = fci_list;
    while (c && c != h)
        c = c->next;
    pthread_mutex_unlock(&fci_lock);
    return c;
}

static bool fci_fail(fci_ctx *c, int oper, int type)
{
    cab_set_erf(c->perf, oper, type);
    if (type)
        SetLastError((DWORD)type);
    return false;
}

static bool fci_buf_add(fci_buf *b, const void *p, size_t n)
{
    if (b->len + n > b->cap) {
        size_t cap = b->cap ? b->cap : 4096;
        while (cap < b->len + n)
            cap *= 2;
        uint8_t *q = realloc(b->p, cap);
        if (!q)
            return false;
        b->p = q;
        b->cap = cap;
    }
    memcpy(b->p + b->len, p, n);
    b->len += n;
    return true;
}

static void fci_put16(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
}
static void fci_put32(uint8_t *p, uint32_t v)
{
    fci_put16(p, v);
    fci_put16(p + 2, v >> 16);
}

/* A status callback: false when it returned -1 (the program aborts). */
static bool fci_status(fci_ctx *c, void *status, uint32_t type, uint32_t cb1, uint32_t cb2)
{
    if (!status)
        return true;
    uint64_t a[4] = {type, cb1, cb2, (uintptr_t)c->pv};
    return (int32_t)thk_call_foreign(status, 4, a) != -1;
}

/* ---- folders and their blocks ---- */

/* Compresses and appends the pending block to the open folder. */
static bool fci_emit_block(fci_ctx *c, void *status)
{
    fci_folder *fo = &c->folders[c->nfolders - 1];
    uint32_t n = c->npending, clen;
    if (fo->nblocks == UINT16_MAX)
        return fci_fail(c, FCIERR_CAB_FORMAT_LIMIT, 0);
    if (fo->comp == FCI_TCOMP_MSZIP) {
        const cab_zlib_api *z = cab_zlib();
        c->out[0] = 'C';
        c->out[1] = 'K';
        c->z.next_in = c->pending;
        c->z.avail_in = n;
        c->z.next_out = c->out + 2;
        c->z.avail_out = sizeof c->out - 2;
        if (z->deflateReset(&c->z) != Z_OK || z->deflate(&c->z, Z_FINISH) != Z_STREAM_END)
            return fci_fail(c, FCIERR_MCI_FAIL, 0);
        clen = 2 + (uint32_t)(sizeof c->out - 2 - c->z.avail_out);
    } else {
        memcpy(c->out, c->pending, n);
        clen = n;
    }
    uint8_t hdr[CAB_DATA_SIZE];
    fci_put16(hdr + 4, clen);
    fci_put16(hdr + 6, n);
    fci_put32(hdr, cab_checksum(hdr + 4, 4, cab_checksum(c->out, clen, 0)));
    static const uint8_t zeros[256];
    if (!fci_buf_add(&fo->data, hdr, sizeof hdr) ||
        !fci_buf_add(&fo->data, zeros, c->ccab.cbReserveCFData) ||
        !fci_buf_add(&fo->data, c->out, clen))
        return fci_fail(c, FCIERR_ALLOC_FAIL, FCI_ERROR_NOT_ENOUGH_MEMORY);
    fo->nblocks++;
    c->npending = 0;
    if (!fci_status(c, status, FCI_STATUS_FILE, clen, n))
        return fci_fail(c, FCIERR_USER_ABORT, 0);
    return true;
}

static bool fci_open_folder(fci_ctx *c, uint16_t comp)
{
    if (c->nfolders == UINT16_MAX - 3) /* 0xfffd.. are the continuation markers */
        return fci_fail(c, FCIERR_CAB_FORMAT_LIMIT, 0);
    fci_folder *f = realloc(c->folders, (c->nfolders + 1) * sizeof *f);
    if (!f)
        return fci_fail(c, FCIERR_ALLOC_FAIL, FCI_ERROR_NOT_ENOUGH_MEMORY);
    c->folders = f;
    c->folders[c->nfolders++] = (fci_folder){.comp = comp};
    c->folder_open = true;
    c->folder_size = 0;
    c->npending = 0;
    return true;
}

static bool fci_close_folder(fci_ctx *c, void *status)
{
    if (!c->folder_open)
        return true;
    if (c->npending && !fci_emit_block(c, status))
        return false;
    c->folder_open = false;
    /* The file-placed callback of each file of the folder, now that its data is in it. */
    uint16_t folder = (uint16_t)(c->nfolders - 1);
    for (size_t i = 0; i < c->nfiles; i++) {
        if (c->files[i].folder != folder)
            continue;
        uint64_t pa[5] = {(uintptr_t)&c->ccab, (uintptr_t)c->files[i].name, c->files[i].size, 0,
                          (uintptr_t)c->pv};
        if ((int32_t)thk_call_foreign(c->placed, 5, pa) == -1)
            return fci_fail(c, FCIERR_USER_ABORT, 0);
    }
    fci_folder *fo = &c->folders[folder];
    uint32_t len = fo->data.len > UINT32_MAX ? UINT32_MAX : (uint32_t)fo->data.len;
    if (!fci_status(c, status, FCI_STATUS_FOLDER, len, len))
        return fci_fail(c, FCIERR_USER_ABORT, 0);
    return true;
}

static void fci_reset_cabinet(fci_ctx *c)
{
    for (size_t i = 0; i < c->nfolders; i++)
        free(c->folders[i].data.p);
    for (size_t i = 0; i < c->nfiles; i++)
        free(c->files[i].name);
    free(c->folders);
    free(c->files);
    c->folders = NULL;
    c->files = NULL;
    c->nfolders = c->nfiles = 0;
    c->folder_open = false;
}

/* ---- exports ---- */

/* HFCI FCICreate(PERF, PFNFCIFILEPLACED, PFNFCIALLOC, PFNFCIFREE, PFNFCIOPEN, PFNFCIREAD,
 *                PFNFCIWRITE, PFNFCICLOSE, PFNFCISEEK, PFNFCIDELETE, PFNFCIGETTEMPFILE,
 *                PCCAB, void *pv) */
static void *WINAPI cab_FCICreate(void *perf, void *placed, void *alloc, void *free_fn,
                                  void *open, void *read, void *write, void *close, void *seek,
                                  void *del, void *gettemp, void *pccab, void *pv)
{
    if (!perf) {
        SetLastError(FCI_ERROR_BAD_ARGUMENTS);
        return NULL;
    }
    if (!placed || !alloc || !free_fn || !open || !read || !write || !close || !seek || !del ||
        !gettemp || !pccab) {
        cab_set_erf(perf, FCIERR_NONE, FCI_ERROR_BAD_ARGUMENTS);
        SetLastError(FCI_ERROR_BAD_ARGUMENTS);
        return NULL;
    }
    const cab_zlib_api *z = cab_zlib();
    fci_ctx *c = z ? calloc(1, sizeof *c) : NULL;
    if (!c) {
        cab_set_erf(perf, FCIERR_ALLOC_FAIL, FCI_ERROR_NOT_ENOUGH_MEMORY);
        SetLastError(FCI_ERROR_NOT_ENOUGH_MEMORY);
        return NULL;
    }
    if (nt_copy_from_user(&c->ccab, pccab, sizeof c->ccab) != 0) {
        free(c);
        cab_set_erf(perf, FCIERR_NONE, FCI_ERROR_BAD_ARGUMENTS);
        SetLastError(FCI_ERROR_BAD_ARGUMENTS);
        return NULL;
    }
    if (c->ccab.cbReserveCFHeader > 60000 || c->ccab.cbReserveCFFolder > 255 ||
        c->ccab.cbReserveCFData > 255) {
        free(c);
        cab_set_erf(perf, FCIERR_NONE, FCI_ERROR_BAD_ARGUMENTS);
        SetLastError(FCI_ERROR_BAD_ARGUMENTS);
        return NULL;
    }
    c->ccab.szDisk[255] = c->ccab.szCab[255] = c->ccab.szCabPath[255] = 0;
    if (z->deflateInit2_(&c->z, Z_DEFAULT_COMPRESSION, Z_DEFLATED, -15, 8, Z_DEFAULT_STRATEGY,
                         ZLIB_VERSION, (int)sizeof(z_stream)) != Z_OK) {
        free(c);
        cab_set_erf(perf, FCIERR_ALLOC_FAIL, FCI_ERROR_NOT_ENOUGH_MEMORY);
        return NULL;
    }
    c->z_ready = true;
    c->placed = placed, c->alloc = alloc, c->free = free_fn, c->open = open, c->read = read;
    c->write = write, c->close = close, c->seek = seek, c->del = del, c->gettemp = gettemp;
    c->perf = perf;
    c->pv = pv;
    cab_set_erf(perf, FCIERR_NONE, 0);
    pthread_mutex_lock(&fci_lock);
    c->next = fci_list;
    fci_list = c;
    pthread_mutex_unlock(&fci_lock);
    return c;
}
THK_EXPORT_AS(cabinet, FCICreate, cab_FCICreate, 13);

/* Reads the open source file hf into the open folder, counting its bytes in *size (also those
 * read before a failure: they stay in the folder's data, unused); false with the error set. */
static bool fci_read_source(fci_ctx *c, intptr_t hf, void *status, uint64_t *size)
{
    *size = 0;
    for (;;) {
        int32_t err = 0;
        uint64_t a[5] = {(uint64_t)hf, (uintptr_t)(c->pending + c->npending),
                         CAB_BLOCK_MAX - c->npending, (uintptr_t)&err, (uintptr_t)c->pv};
        uint32_t r = (uint32_t)thk_call_foreign(c->read, 5, a);
        if (r == UINT32_MAX || r > CAB_BLOCK_MAX - c->npending)
            return fci_fail(c, FCIERR_READ_SRC, err);
        if (!r)
            return true;
        if ((uint64_t)c->folder_size + *size + r > UINT32_MAX)
            return fci_fail(c, FCIERR_CAB_FORMAT_LIMIT, 0);
        *size += r;
        c->npending += r;
        if (c->npending == CAB_BLOCK_MAX && !fci_emit_block(c, status))
            return false;
    }
}

/* BOOL FCIAddFile(HFCI, char *source, char *name, BOOL fExecute, PFNFCIGETNEXTCABINET,
 *                 PFNFCISTATUS, PFNFCIGETOPENINFO, TCOMP) */
static BOOL WINAPI cab_FCIAddFile(void *h, const char *source, const char *name, BOOL exec,
                                  void *nextcab, void *status, void *openinfo, uint16_t tcomp)
{
    (void)nextcab;
    fci_ctx *c = fci_lookup(h);
    if (!c) {
        SetLastError(6 /* ERROR_INVALID_HANDLE */);
        return FALSE;
    }
    char src[FCI_MAX_SOURCE], stored[FCI_MAX_NAME];
    if (!openinfo || !cab_string_from_user(src, sizeof src, source) ||
        !cab_string_from_user(stored, sizeof stored, name))
        return fci_fail(c, FCIERR_NONE, FCI_ERROR_BAD_ARGUMENTS);
    uint16_t comp = tcomp & 0x000f;
    if (comp != FCI_TCOMP_NONE && comp != FCI_TCOMP_MSZIP)
        return fci_fail(c, FCIERR_BAD_COMPR_TYPE, FCI_ERROR_BAD_ARGUMENTS);
    if (c->nfiles == UINT16_MAX)
        return fci_fail(c, FCIERR_CAB_FORMAT_LIMIT, 0);
    if (c->folder_open && c->folders[c->nfolders - 1].comp != comp &&
        !fci_close_folder(c, status))
        return FALSE;

    uint16_t date = 0, time = 0, attribs = 0;
    int32_t err = 0;
    uint64_t a[6] = {(uintptr_t)src, (uintptr_t)&date, (uintptr_t)&time, (uintptr_t)&attribs,
                     (uintptr_t)&err, (uintptr_t)c->pv};
    intptr_t hf = (intptr_t)thk_call_foreign(openinfo, 6, a);
    if (hf == -1)
        return fci_fail(c, FCIERR_OPEN_SRC, err);
    if (!c->folder_open && !fci_open_folder(c, comp))
        goto close_source;
    uint64_t size;
    bool read_ok = fci_read_source(c, hf, status, &size);
    c->folder_size += (uint32_t)size; /* the next file's data starts after these bytes */
    if (!read_ok)
        goto close_source;
    uint64_t ca[3] = {(uint64_t)hf, (uintptr_t)&err, (uintptr_t)c->pv};
    (void)thk_call_foreign(c->close, 3, ca);

    fci_file *files = realloc(c->files, (c->nfiles + 1) * sizeof *files);
    char *copy = strdup(stored);
    if (!files || !copy) {
        free(copy);
        if (files)
            c->files = files;
        return fci_fail(c, FCIERR_ALLOC_FAIL, FCI_ERROR_NOT_ENOUGH_MEMORY);
    }
    c->files = files;
    c->files[c->nfiles++] = (fci_file){
        .name = copy,
        .size = (uint32_t)size,
        .offset = c->folder_size - (uint32_t)size,
        .folder = (uint16_t)(c->nfolders - 1),
        .date = date,
        .time = time,
        .attribs = (uint16_t)(attribs | (exec ? CAB_A_EXEC : 0)),
    };
    if (c->ccab.cbFolderThresh && c->folders[c->nfolders - 1].data.len >= c->ccab.cbFolderThresh)
        return fci_close_folder(c, status);
    return TRUE;

close_source:;
    uint64_t cl[3] = {(uint64_t)hf, (uintptr_t)&err, (uintptr_t)c->pv};
    (void)thk_call_foreign(c->close, 3, cl);
    return FALSE;
}
THK_EXPORT_AS(cabinet, FCIAddFile, cab_FCIAddFile, 8);

/* BOOL FCIFlushFolder(HFCI, PFNFCIGETNEXTCABINET, PFNFCISTATUS) */
static BOOL WINAPI cab_FCIFlushFolder(void *h, void *nextcab, void *status)
{
    (void)nextcab;
    fci_ctx *c = fci_lookup(h);
    if (!c) {
        SetLastError(6 /* ERROR_INVALID_HANDLE */);
        return FALSE;
    }
    return fci_close_folder(c, status);
}
THK_EXPORT_AS(cabinet, FCIFlushFolder, cab_FCIFlushFolder, 3);

/* The cabinet's bytes: CFHEADER (with its reserve), CFFOLDERs, CFFILEs, then the data. */
static bool fci_layout(fci_ctx *c, fci_buf *out)
{
    const fci_ccab *cc = &c->ccab;
    bool reserve = cc->cbReserveCFHeader || cc->cbReserveCFFolder || cc->cbReserveCFData;
    size_t head = CAB_HDR_SIZE + (reserve ? 4 + cc->cbReserveCFHeader : 0);
    size_t folders = c->nfolders * (CAB_FOLDER_SIZE + (size_t)cc->cbReserveCFFolder);
    size_t files = 0, data = 0;
    for (size_t i = 0; i < c->nfiles; i++)
        files += CAB_FILE_SIZE + strlen(c->files[i].name) + 1;
    for (size_t i = 0; i < c->nfolders; i++)
        data += c->folders[i].data.len;
    size_t total = head + folders + files + data;
    if (total > UINT32_MAX)
        return fci_fail(c, FCIERR_CAB_FORMAT_LIMIT, 0);
    out->p = calloc(1, total);
    if (!out->p)
        return fci_fail(c, FCIERR_ALLOC_FAIL, FCI_ERROR_NOT_ENOUGH_MEMORY);
    out->len = out->cap = total;
    uint8_t *p = out->p;
    memcpy(p, "MSCF", 4);
    fci_put32(p + 8, (uint32_t)total);
    fci_put32(p + 16, (uint32_t)(head + folders));
    p[24] = 3; /* version 1.3 */
    p[25] = 1;
    fci_put16(p + 26, (uint32_t)c->nfolders);
    fci_put16(p + 28, (uint32_t)c->nfiles);
    fci_put16(p + 30, reserve ? CAB_HDR_RESERVE : 0);
    fci_put16(p + 32, cc->setID);
    fci_put16(p + 34, (uint32_t)cc->iCab);
    if (reserve) {
        fci_put16(p + 36, cc->cbReserveCFHeader);
        p[38] = (uint8_t)cc->cbReserveCFFolder;
        p[39] = (uint8_t)cc->cbReserveCFData;
    }
    p += head;
    size_t data_off = head + folders + files;
    for (size_t i = 0; i < c->nfolders; i++) {
        fci_put32(p, (uint32_t)data_off);
        fci_put16(p + 4, c->folders[i].nblocks);
        fci_put16(p + 6, c->folders[i].comp);
        memcpy(out->p + data_off, c->folders[i].data.p, c->folders[i].data.len);
        data_off += c->folders[i].data.len;
        p += CAB_FOLDER_SIZE + cc->cbReserveCFFolder;
    }
    for (size_t i = 0; i < c->nfiles; i++) {
        const fci_file *f = &c->files[i];
        fci_put32(p, f->size);
        fci_put32(p + 4, f->offset);
        fci_put16(p + 8, f->folder);
        fci_put16(p + 10, f->date);
        fci_put16(p + 12, f->time);
        fci_put16(p + 14, f->attribs);
        size_t n = strlen(f->name) + 1;
        memcpy(p + CAB_FILE_SIZE, f->name, n);
        p += CAB_FILE_SIZE + n;
    }
    return true;
}

/* Writes the cabinet through the program's open/write/close. */
static bool fci_write_cabinet(fci_ctx *c, const fci_buf *cab)
{
    char path[sizeof c->ccab.szCabPath + sizeof c->ccab.szCab];
    snprintf(path, sizeof path, "%s%s", c->ccab.szCabPath, c->ccab.szCab);
    int32_t err = 0;
    uint64_t oa[5] = {(uintptr_t)path, FCI_O_CREATE, FCI_S_IREAD_IWRITE, (uintptr_t)&err,
                      (uintptr_t)c->pv};
    intptr_t hf = (intptr_t)thk_call_foreign(c->open, 5, oa);
    if (hf == -1)
        return fci_fail(c, FCIERR_CAB_FILE, err);
    bool ok = true;
    for (size_t off = 0; off < cab->len && ok;) {
        uint32_t n = cab->len - off > FCI_WRITE_CHUNK ? FCI_WRITE_CHUNK
                                                     : (uint32_t)(cab->len - off);
        uint64_t wa[5] = {(uint64_t)hf, (uintptr_t)(cab->p + off), n, (uintptr_t)&err,
                          (uintptr_t)c->pv};
        ok = (uint32_t)thk_call_foreign(c->write, 5, wa) == n;
        off += n;
    }
    int32_t cerr = 0;
    uint64_t ca[3] = {(uint64_t)hf, (uintptr_t)&cerr, (uintptr_t)c->pv};
    if ((int32_t)thk_call_foreign(c->close, 3, ca) == -1 && ok) {
        ok = false;
        err = cerr;
    }
    return ok || fci_fail(c, FCIERR_CAB_FILE, err);
}

/* BOOL FCIFlushCabinet(HFCI, BOOL fGetNextCab, PFNFCIGETNEXTCABINET, PFNFCISTATUS) */
static BOOL WINAPI cab_FCIFlushCabinet(void *h, BOOL next, void *nextcab, void *status)
{
    fci_ctx *c = fci_lookup(h);
    if (!c) {
        SetLastError(6 /* ERROR_INVALID_HANDLE */);
        return FALSE;
    }
    if (!fci_close_folder(c, status))
        return FALSE;
    if (c->nfiles) {
        fci_buf cab = {0};
        if (!fci_layout(c, &cab))
            return FALSE;
        bool ok = fci_status(c, status, FCI_STATUS_CABINET, (uint32_t)cab.len,
                             (uint32_t)cab.len) ||
                  fci_fail(c, FCIERR_USER_ABORT, 0);
        ok = ok && fci_write_cabinet(c, &cab);
        free(cab.p);
        if (!ok)
            return FALSE;
    }
    fci_reset_cabinet(c);
    if (next && nextcab) {
        c->ccab.iCab++;
        uint64_t a[3] = {(uintptr_t)&c->ccab, 0, (uintptr_t)c->pv};
        if (!(int32_t)thk_call_foreign(nextcab, 3, a))
            return fci_fail(c, FCIERR_USER_ABORT, 0);
        c->ccab.szCab[255] = c->ccab.szCabPath[255] = c->ccab.szDisk[255] = 0;
    }
    return TRUE;
}
THK_EXPORT_AS(cabinet, FCIFlushCabinet, cab_FCIFlushCabinet, 4);

/* BOOL FCIDestroy(HFCI) */
static BOOL WINAPI cab_FCIDestroy(void *h)
{
    pthread_mutex_lock(&fci_lock);
    fci_ctx **pp = &fci_list;
    while (*pp && *pp != h)
        pp = &(*pp)->next;
    fci_ctx *c = *pp;
    if (c)
        *pp = c->next;
    pthread_mutex_unlock(&fci_lock);
    if (!c)
        return FALSE;
    fci_reset_cabinet(c);
    if (c->z_ready)
        cab_zlib()->deflateEnd(&c->z);
    free(c);
    return TRUE;
}
THK_EXPORT_AS(cabinet, FCIDestroy, cab_FCIDestroy, 1);
