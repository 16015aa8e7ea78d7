/* setupapi!SetupIterateCabinetA on cabinets this program writes with cabinet.dll's FCI: the
 * notifications (CABINETINFO, FILEINCABINET with each file's size, date, time and attributes,
 * FILEEXTRACTED), files extracted (an MSZIP folder over several blocks and a stored one) and one
 * skipped; an abort with the callback's error (as documented: Wine 8.0 goes on after FILEOP_ABORT
 * and returns TRUE); a missing file (ERROR_FILE_NOT_FOUND), a file that is not a cabinet and one
 * cut inside its file entries (FALSE). Wine 8.0 prints the rest alike. */
#include <windows.h>
#include <fcntl.h>
#include <fci.h>
#include <io.h>
#include <setupapi.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

static void *__cdecl f_alloc(ULONG cb) { return malloc(cb); }
static void __cdecl f_free(void *p) { free(p); }
static int __cdecl placed(PCCAB cab, char *name, LONG cb, BOOL cont, void *pv) { return 0; }
static INT_PTR __cdecl c_open(char *name, int oflag, int pmode, int *err, void *pv)
{
    int fd = _open(name, oflag | _O_BINARY, _S_IREAD | _S_IWRITE);
    if (fd == -1)
        *err = errno;
    return fd;
}
static UINT __cdecl c_read(INT_PTR hf, void *pv, UINT cb, int *err, void *p)
{
    return _read((int)hf, pv, cb);
}
static UINT __cdecl c_write(INT_PTR hf, void *pv, UINT cb, int *err, void *p)
{
    return _write((int)hf, pv, cb);
}
static int __cdecl c_close(INT_PTR hf, int *err, void *pv) { return _close((int)hf); }
static LONG __cdecl c_seek(INT_PTR hf, LONG dist, int whence, int *err, void *pv)
{
    return _lseek((int)hf, dist, whence);
}
static int __cdecl c_delete(char *name, int *err, void *pv) { return remove(name); }
static BOOL __cdecl c_temp(char *name, int cb, void *pv)
{
    static int n;
    snprintf(name, cb, "cabtemp%d.tmp", n++);
    return TRUE;
}
static BOOL __cdecl c_next(PCCAB cab, ULONG size, void *pv) { return TRUE; }
static LONG __cdecl c_status(UINT type, ULONG cb1, ULONG cb2, void *pv) { return 0; }
static INT_PTR __cdecl c_openinfo(char *name, USHORT *date, USHORT *time, USHORT *attribs,
                                  int *err, void *pv)
{
    *date = 0x5021;
    *time = 0x1823;
    *attribs = _A_ARCH;
    return c_open(name, _O_RDONLY, 0, err, pv);
}

static void put(const char *name, const void *data, size_t len)
{
    FILE *f = fopen(name, "wb");
    fwrite(data, 1, len, f);
    fclose(f);
}
static int same_file(const char *a, const char *b)
{
    FILE *fa = fopen(a, "rb"), *fb = fopen(b, "rb");
    int same = fa && fb, ca = 0, cb = 0;
    while (same && (ca = fgetc(fa)) == (cb = fgetc(fb)) && ca != EOF)
        ;
    same = same && ca == cb;
    if (fa)
        fclose(fa);
    if (fb)
        fclose(fb);
    return same;
}

static const char *skip_name;
static UINT abort_error;
static UINT CALLBACK cb(void *context, UINT note, UINT_PTR p1, UINT_PTR p2)
{
    switch (note) {
    case SPFILENOTIFY_CABINETINFO: {
        CABINET_INFO_A *ci = (CABINET_INFO_A *)p1;
        printf("CABINETINFO disk '%s' set %u number %u\n", ci->DiskName, ci->SetId,
               ci->CabinetNumber);
        return NO_ERROR;
    }
    case SPFILENOTIFY_FILEINCABINET: {
        FILE_IN_CABINET_INFO_A *fi = (FILE_IN_CABINET_INFO_A *)p1;
        printf("FILEINCABINET %s size %lu date %04x time %04x attribs %02x (cabinet %s)\n",
               fi->NameInCabinet, fi->FileSize, fi->DosDate, fi->DosTime, fi->DosAttribs,
               (const char *)p2);
        if (abort_error) {
            fi->Win32Error = abort_error;
            return FILEOP_ABORT;
        }
        if (skip_name && !strcmp(fi->NameInCabinet, skip_name))
            return FILEOP_SKIP;
        snprintf(fi->FullTargetName, MAX_PATH, "%s\\%s", (const char *)context,
                 fi->NameInCabinet);
        return FILEOP_DOIT;
    }
    case SPFILENOTIFY_FILEEXTRACTED: {
        FILEPATHS_A *fp = (FILEPATHS_A *)p1;
        const char *name = strrchr(fp->Target, '\\') + 1;
        printf("FILEEXTRACTED %s error %u: %s\n", fp->Target, fp->Win32Error,
               same_file(fp->Target, name) ? "same bytes" : "different");
        return NO_ERROR;
    }
    default:
        printf("notification %#x\n", note);
        return NO_ERROR;
    }
}

int main(void)
{
    static char seq[120000];
    size_t n = 0;
    for (int i = 1; n < sizeof seq - 16; i++)
        n += sprintf(seq + n, "%d\r\n", i);
    put("seq.txt", seq, n);
    put("a.txt", "hello cab\r\n", 11);
    put("b.txt", "stored\r\n", 8);

    ERF erf;
    CCAB cab = {.cb = 0x7fffffff, .cbFolderThresh = 0x7fffffff, .setID = 42};
    strcpy(cab.szCab, "t.cab");
    HFCI fci = FCICreate(&erf, placed, f_alloc, f_free, c_open, c_read, c_write, c_close, c_seek,
                         c_delete, c_temp, &cab, NULL);
    FCIAddFile(fci, "a.txt", "a.txt", FALSE, c_next, c_status, c_openinfo, tcompTYPE_MSZIP);
    FCIAddFile(fci, "seq.txt", "seq.txt", FALSE, c_next, c_status, c_openinfo, tcompTYPE_MSZIP);
    FCIFlushFolder(fci, c_next, c_status);
    FCIAddFile(fci, "b.txt", "b.txt", FALSE, c_next, c_status, c_openinfo, tcompTYPE_NONE);
    printf("FCIFlushCabinet %d\n", FCIFlushCabinet(fci, FALSE, c_next, c_status));
    FCIDestroy(fci);

    CreateDirectoryA("out", NULL);
    BOOL ok = SetupIterateCabinetA("t.cab", 0, cb, "out");
    printf("SetupIterateCabinetA %d\n", ok);
    skip_name = "seq.txt";
    CreateDirectoryA("out2", NULL);
    ok = SetupIterateCabinetA("t.cab", 0, cb, "out2");
    printf("skipping seq.txt: %d, out2\\seq.txt %s\n", ok,
           GetFileAttributesA("out2\\seq.txt") == INVALID_FILE_ATTRIBUTES ? "absent" : "there");
    skip_name = NULL;
    abort_error = 1234;
    SetLastError(0);
    ok = SetupIterateCabinetA("t.cab", 0, cb, "out");
    printf("aborted: %d error %lu\n", ok, GetLastError());
    abort_error = 0;

    SetLastError(0);
    ok = SetupIterateCabinetA("missing.cab", 0, cb, "out");
    printf("missing: %d error %lu\n", ok, GetLastError());
    put("text.cab", "this is not a cabinet, only words", 33);
    SetLastError(0);
    ok = SetupIterateCabinetA("text.cab", 0, cb, "out");
    printf("not a cabinet: %d\n", ok);
    FILE *f = fopen("t.cab", "rb");
    static unsigned char buf[200000];
    size_t len = fread(buf, 1, sizeof buf, f);
    fclose(f);
    put("cut.cab", buf, 60); /* inside the second file's entry */
    SetLastError(0);
    ok = SetupIterateCabinetA("cut.cab", 0, cb, "out");
    printf("cut at 60 of %s bytes: %d\n", len > 60 ? "more" : "fewer", ok);
    return 0;
}
