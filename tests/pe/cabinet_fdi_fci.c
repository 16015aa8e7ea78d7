/* cabinet.dll's FCI and FDI through their callbacks, with files kept in memory by this
 * program: a cabinet of two folders (MSZIP with a stored, a compressible and an empty file;
 * then an uncompressed one with an "execute" file) written by FCI, read back by FDIIsCabinet
 * and FDICopy (every notification printed, every file compared), a file skipped inside an MSZIP
 * folder, an abort, a missing file, a file that is not a cabinet, another version, and the
 * small cabinet cut at every length and with every byte flipped (FDICopy fails or succeeds,
 * never crashes). FCI's errors for a missing source file and a failed read (the next file
 * whole). Wine 8.0 prints the same but for FCIFlushCabinet, which it reports failed
 * (ERROR_GEN_FAILURE) after writing the cabinet when its temporary files are these in memory,
 * and the failed read, whose first 65528 bytes it keeps in the cabinet as fail.bin. */
#include <windows.h>
#include <fcntl.h>
#include <fci.h>
#include <fdi.h>
#include <stdio.h>
#include <string.h>

/* ---- a tiny file system in memory ---- */
#define MAXF 16
static struct mfile {
    char name[64];
    unsigned char *data;
    size_t len, cap;
} files[MAXF];
static struct mhandle {
    int file; /* -1: free */
    size_t pos;
} handles[MAXF];
static int nfiles;

static struct mfile *mfind(const char *name)
{
    for (int i = 0; i < nfiles; i++)
        if (!strcmp(files[i].name, name))
            return &files[i];
    return NULL;
}
static struct mfile *mput(const char *name, const void *data, size_t len)
{
    struct mfile *f = mfind(name);
    if (!f) {
        if (nfiles == MAXF)
            abort();
        f = &files[nfiles++];
        snprintf(f->name, sizeof f->name, "%s", name);
    }
    free(f->data);
    f->data = malloc(len ? len : 1);
    memcpy(f->data, data, len);
    f->len = f->cap = len;
    return f;
}
static INT_PTR mopen(const char *name, int oflag)
{
    struct mfile *f = mfind(name);
    if (!f && (oflag & _O_CREAT))
        f = mput(name, "", 0);
    if (!f)
        return -1;
    if (oflag & _O_TRUNC)
        f->len = 0;
    for (int h = 0; h < MAXF; h++)
        if (handles[h].file < 0) {
            handles[h].file = (int)(f - files);
            handles[h].pos = 0;
            return h + 100;
        }
    return -1;
}
static struct mhandle *mh(INT_PTR hf)
{
    return hf >= 100 && hf < 100 + MAXF && handles[hf - 100].file >= 0 ? &handles[hf - 100]
                                                                       : NULL;
}
static UINT mread(INT_PTR hf, void *pv, UINT cb)
{
    struct mhandle *h = mh(hf);
    if (!h)
        return (UINT)-1;
    struct mfile *f = &files[h->file];
    size_t n = h->pos < f->len ? f->len - h->pos : 0;
    if (n > cb)
        n = cb;
    memcpy(pv, f->data + h->pos, n);
    h->pos += n;
    return (UINT)n;
}
static UINT mwrite(INT_PTR hf, const void *pv, UINT cb)
{
    struct mhandle *h = mh(hf);
    if (!h)
        return (UINT)-1;
    struct mfile *f = &files[h->file];
    if (h->pos + cb > f->cap) {
        f->cap = (h->pos + cb) * 2;
        f->data = realloc(f->data, f->cap);
    }
    memcpy(f->data + h->pos, pv, cb);
    h->pos += cb;
    if (h->pos > f->len)
        f->len = h->pos;
    return cb;
}
static int mclose(INT_PTR hf)
{
    struct mhandle *h = mh(hf);
    if (!h)
        return -1;
    h->file = -1;
    return 0;
}
static LONG mseek(INT_PTR hf, LONG dist, int whence)
{
    struct mhandle *h = mh(hf);
    if (!h)
        return -1;
    long base = whence == SEEK_SET   ? 0
                : whence == SEEK_CUR ? (long)h->pos
                                     : (long)files[h->file].len;
    if (base + dist < 0)
        return -1;
    h->pos = (size_t)(base + dist);
    return (LONG)h->pos;
}

/* FDI's callbacks */
static void *__cdecl f_alloc(ULONG cb) { return malloc(cb); }
static void __cdecl f_free(void *p) { free(p); }
static INT_PTR __cdecl fdi_open(char *name, int oflag, int pmode) { return mopen(name, oflag); }
static UINT __cdecl fdi_read(INT_PTR hf, void *pv, UINT cb) { return mread(hf, pv, cb); }
static UINT __cdecl fdi_write(INT_PTR hf, void *pv, UINT cb) { return mwrite(hf, pv, cb); }
static int __cdecl fdi_close(INT_PTR hf) { return mclose(hf); }
static LONG __cdecl fdi_seek(INT_PTR hf, LONG dist, int whence) { return mseek(hf, dist, whence); }

/* FCI's */
static int placed_quiet;
static int __cdecl fci_placed(PCCAB cab, char *name, LONG cb, BOOL cont, void *pv)
{
    if (!placed_quiet)
        printf("placed %s %ld in %s (pv %s)\n", name, (long)cb, cab->szCab, (char *)pv);
    return 0;
}
static INT_PTR __cdecl fci_open(char *name, int oflag, int pmode, int *err, void *pv)
{
    INT_PTR h = mopen(name, oflag);
    if (h == -1)
        *err = ERROR_FILE_NOT_FOUND;
    return h;
}
static UINT __cdecl fci_read(INT_PTR hf, void *pv, UINT cb, int *err, void *p)
{
    struct mhandle *h = mh(hf);
    if (h && !strcmp(files[h->file].name, "fail.bin") && h->pos >= 40000) {
        *err = ERROR_READ_FAULT;
        return (UINT)-1;
    }
    return mread(hf, pv, cb);
}
static UINT __cdecl fci_write(INT_PTR hf, void *pv, UINT cb, int *err, void *p)
{
    return mwrite(hf, pv, cb);
}
static int __cdecl fci_close(INT_PTR hf, int *err, void *pv) { return mclose(hf); }
static LONG __cdecl fci_seek(INT_PTR hf, LONG dist, int whence, int *err, void *pv)
{
    return mseek(hf, dist, whence);
}
static int __cdecl fci_delete(char *name, int *err, void *pv)
{
    struct mfile *f = mfind(name);
    if (f)
        f->name[0] = 0; /* its slot stays: handles may name it */
    return f ? 0 : -1;
}
static BOOL __cdecl fci_temp(char *name, int cb, void *pv)
{
    static int n;
    snprintf(name, cb, "temp%d", n++);
    return TRUE;
}
static BOOL __cdecl fci_next(PCCAB cab, ULONG size, void *pv) { return TRUE; }
static ULONG status_bytes, status_files;
static LONG __cdecl fci_status(UINT type, ULONG cb1, ULONG cb2, void *pv)
{
    if (type == statusFile) {
        status_files++;
        status_bytes += cb2;
    }
    return 0;
}
static INT_PTR __cdecl fci_openinfo(char *name, USHORT *date, USHORT *time, USHORT *attribs,
                                    int *err, void *pv)
{
    *date = 0x5021; /* 2020-01-01 */
    *time = 0x1823; /* 03:01:06 */
    *attribs = _A_ARCH | (name[0] == 'b' ? _A_RDONLY : 0);
    INT_PTR h = mopen(name, _O_RDONLY);
    if (h == -1)
        *err = ERROR_FILE_NOT_FOUND;
    return h;
}

static HFCI new_fci(ERF *erf, const char *cabname, CCAB *cab)
{
    memset(cab, 0, sizeof *cab);
    cab->cb = 0x7fffffff;
    cab->cbFolderThresh = 0x7fffffff;
    cab->setID = 1234;
    strcpy(cab->szCabPath, "mem\\");
    strcpy(cab->szCab, cabname);
    return FCICreate(erf, fci_placed, f_alloc, f_free, fci_open, fci_read, fci_write, fci_close,
                     fci_seek, fci_delete, fci_temp, cab, "user");
}

/* ---- FDI notifications ---- */
static int verbose = 1, skip_big, abort_at;
static int extracted, mismatched;
static INT_PTR __cdecl notify(FDINOTIFICATIONTYPE type, PFDINOTIFICATION n)
{
    switch (type) {
    case fdintCABINET_INFO:
        if (verbose)
            printf("CABINET_INFO next '%s' disk '%s' path '%s' set %u cabinet %u pv %s\n", n->psz1,
                   n->psz2, n->psz3, n->setID, n->iCabinet, (char *)n->pv);
        return 0;
    case fdintCOPY_FILE:
        if (verbose)
            printf("COPY_FILE %s size %ld date %04x time %04x attribs %02x folder %u\n", n->psz1,
                   (long)n->cb, n->date, n->time, n->attribs, n->iFolder);
        if (abort_at && --abort_at == 0)
            return -1;
        if (skip_big && !strcmp(n->psz1, "big.bin"))
            return 0;
        /* one output file for all: a damaged name must not make new files */
        return mopen("out", _O_CREAT | _O_TRUNC | _O_WRONLY);
    case fdintCLOSE_FILE_INFO: {
        struct mfile *src = mfind(n->psz1), *got = &files[mh(n->hf)->file];
        int same = src && src->len == got->len && !memcmp(src->data, got->data, got->len);
        extracted++;
        mismatched += !same;
        if (verbose)
            printf("CLOSE_FILE_INFO %s run %ld attribs %02x: %s\n", n->psz1, (long)n->cb,
                   n->attribs, same ? "same bytes" : "DIFFERENT");
        mclose(n->hf);
        return TRUE;
    }
    default:
        printf("notification %d\n", type);
        return 0;
    }
}

static void close_all(void)
{
    for (int h = 0; h < MAXF; h++)
        handles[h].file = -1;
}

int main(void)
{
    static unsigned char big[100000], text[70000];
    unsigned x = 12345;
    for (size_t i = 0; i < sizeof big; i++) {
        x = x * 1103515245u + 12345u;
        big[i] = (unsigned char)(x >> 16);
    }
    for (size_t i = 0; i < sizeof text; i++)
        text[i] = "the quick brown fox jumps over the lazy dog\r\n"[i % 45];
    setvbuf(stdout, NULL, _IONBF, 0);
    close_all();
    mput("a.txt", "hello cab\r\n", 11);
    mput("big.bin", big, sizeof big);
    mput("text.txt", text, sizeof text);
    mput("empty.txt", "", 0);
    mput("b.txt", "stored\r\n", 8);
    mput("fail.bin", big, 70000);
    mput("c.txt", "after the failed one\r\n", 22);

    /* FCI: folder 0 (MSZIP), folder 1 (none) */
    ERF erf;
    CCAB cab;
    HFCI fci = new_fci(&erf, "t.cab", &cab);
    printf("FCICreate %s\n", fci ? "ok" : "failed");
    const char *mszip[] = {"a.txt", "big.bin", "text.txt", "empty.txt"};
    for (int i = 0; i < 4; i++)
        if (!FCIAddFile(fci, (char *)mszip[i], (char *)mszip[i], FALSE, fci_next, fci_status,
                        fci_openinfo, tcompTYPE_MSZIP))
            printf("FCIAddFile %s failed %d\n", mszip[i], erf.erfOper);
    printf("FCIFlushFolder %d\n", FCIFlushFolder(fci, fci_next, fci_status));
    printf("FCIAddFile b.txt %d\n", FCIAddFile(fci, "b.txt", "b.txt", TRUE, fci_next, fci_status,
                                                 fci_openinfo, tcompTYPE_NONE));
    BOOL ok = FCIAddFile(fci, "nosuch.txt", "nosuch.txt", FALSE, fci_next, fci_status,
                         fci_openinfo, tcompTYPE_NONE);
    printf("FCIAddFile nosuch.txt %d erfOper %d erfType %d fError %d\n", ok, erf.erfOper,
           erf.erfType, erf.fError);
    /* a read that fails after 40000 bytes: the file is left out, the next one is whole */
    ok = FCIAddFile(fci, "fail.bin", "fail.bin", FALSE, fci_next, fci_status, fci_openinfo,
                    tcompTYPE_NONE);
    printf("FCIAddFile fail.bin %d erfOper %d erfType %d\n", ok, erf.erfOper, erf.erfType);
    printf("FCIAddFile c.txt %d\n", FCIAddFile(fci, "c.txt", "c.txt", FALSE, fci_next,
                                                fci_status, fci_openinfo, tcompTYPE_NONE));
    printf("FCIFlushCabinet %d\n", FCIFlushCabinet(fci, FALSE, fci_next, fci_status));
    printf("FCIDestroy %d\n", FCIDestroy(fci));
    printf("status: %lu bytes in %lu blocks\n", status_bytes, status_files);
    struct mfile *t = mfind("mem\\t.cab");
    printf("cabinet %s, starts %.4s\n", t ? "written" : "missing", t ? (char *)t->data : "");

    /* FDIIsCabinet */
    HFDI fdi = FDICreate(f_alloc, f_free, fdi_open, fdi_read, fdi_write, fdi_close, fdi_seek,
                         cpuUNKNOWN, &erf);
    FDICABINETINFO info;
    INT_PTR hf = mopen("mem\\t.cab", _O_RDONLY);
    ok = FDIIsCabinet(fdi, hf, &info);
    mclose(hf);
    printf("FDIIsCabinet %d: size ok %d folders %u files %u set %u cabinet %u reserve %d prev %d "
           "next %d\n", ok, info.cbCabinet == (LONG)t->len, info.cFolders, info.cFiles,
           info.setID, info.iCabinet, info.fReserve, info.hasprev, info.hasnext);

    /* FDICopy: everything, then skipping big.bin, then an abort at the third file */
    ok = FDICopy(fdi, "t.cab", "mem\\", 0, notify, NULL, "user");
    printf("FDICopy %d: %d extracted, %d different\n", ok, extracted, mismatched);
    verbose = 0, skip_big = 1, extracted = mismatched = 0;
    ok = FDICopy(fdi, "t.cab", "mem\\", 0, notify, NULL, "user");
    printf("FDICopy skipping big.bin %d: %d extracted, %d different\n", ok, extracted,
           mismatched);
    skip_big = 0, abort_at = 3;
    ok = FDICopy(fdi, "t.cab", "mem\\", 0, notify, NULL, "user");
    printf("FDICopy aborted %d erfOper %d\n", ok, erf.erfOper);
    abort_at = 0;
    close_all();

    /* errors */
    SetLastError(0);
    ok = FDICopy(fdi, "none.cab", "mem\\", 0, notify, NULL, NULL);
    printf("FDICopy missing %d erfOper %d error %lu\n", ok, erf.erfOper, GetLastError());
    mput("mem\\text.cab", "this is not a cabinet at all, only some words in a file", 56);
    ok = FDICopy(fdi, "text.cab", "mem\\", 0, notify, NULL, NULL);
    printf("FDICopy not a cabinet %d erfOper %d\n", ok, erf.erfOper);
    struct mfile *v = mput("mem\\v.cab", t->data, t->len);
    v->data[25] = 2;
    ok = FDICopy(fdi, "v.cab", "mem\\", 0, notify, NULL, NULL);
    printf("FDICopy version 2.3 %d erfOper %d\n", ok, erf.erfOper);
    hf = mopen("mem\\v.cab", _O_RDONLY);
    ok = FDIIsCabinet(fdi, hf, &info);
    mclose(hf);
    printf("FDIIsCabinet version 2.3 %d erfOper %d\n", ok, erf.erfOper);
    close_all();

    /* a small cabinet, cut and damaged */
    fci = new_fci(&erf, "s.cab", &cab);
    placed_quiet = 1;
    FCIAddFile(fci, "a.txt", "a.txt", FALSE, fci_next, fci_status, fci_openinfo, tcompTYPE_MSZIP);
    mput("t3.txt", text, 3000);
    FCIAddFile(fci, "t3.txt", "t3.txt", FALSE, fci_next, fci_status, fci_openinfo,
               tcompTYPE_MSZIP);
    FCIFlushCabinet(fci, FALSE, fci_next, fci_status);
    FCIDestroy(fci);
    struct mfile *s = mfind("mem\\s.cab");
    size_t slen = s->len;
    unsigned char *orig = malloc(slen);
    memcpy(orig, s->data, slen);
    int whole = 0, cut_ok = 0, oper2 = 0, oper4 = 0, other = 0;
    for (size_t len = 0; len <= slen; len++) {
        extracted = mismatched = 0;
        mput("mem\\s.cab", orig, len);
        ok = FDICopy(fdi, "s.cab", "mem\\", 0, notify, NULL, NULL);
        close_all();
        if (len == slen)
            whole = ok && extracted == 2 && !mismatched;
        else if (ok)
            cut_ok++;
        else if (erf.erfOper == FDIERROR_NOT_A_CABINET)
            oper2 += len < 36;
        else if (erf.erfOper == FDIERROR_CORRUPT_CABINET)
            oper4 += len >= 36;
        else
            other++;
    }
    printf("cut: whole %d, %s, NOT_A_CABINET below 36 bytes %s, CORRUPT_CABINET from 36 %s, "
           "other %d\n", whole, cut_ok ? "some cut cabinets read" : "no cut cabinet read",
           oper2 == 36 ? "always" : "not always",
           oper4 == (int)slen - 36 ? "always" : "not always", other);
    int flips = 0, flips_ok = 0, wrong = 0;
    size_t data_off = orig[36] | orig[37] << 8; /* the first folder's CFDATA */
    for (size_t i = 0; i < slen; i++) {
        mput("mem\\s.cab", orig, slen);
        s = mfind("mem\\s.cab");
        s->data[i] ^= 0xff;
        extracted = mismatched = 0;
        ok = FDICopy(fdi, "s.cab", "mem\\", 0, notify, NULL, NULL);
        close_all();
        flips++;
        flips_ok += ok;
        /* a flipped data byte never yields other file contents silently: the checksums */
        wrong += ok && mismatched && i >= data_off;
    }
    printf("flipped every byte: %s; changed data read silently: %d\n",
           flips == (int)slen ? "all returned" : "missing", wrong);
    printf("FDIDestroy %d\n", FDIDestroy(fdi));
    return 0;
}
