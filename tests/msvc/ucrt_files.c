/* FILE I/O in a UCRT program, in its own scratch directory: fopen_s (and its failure with
 * ENOENT), text-mode CR LF translation seen through binary reads, fgets/fputs/fread/fwrite,
 * ungetc, feof, _fseeki64/_ftelli64, the _stat64i32 and _stat64 structures stat and fstat fill
 * by default, _findfirst64, _wfopen_s, remove/rename with errno, _dupenv_s and _putenv_s, and
 * strerror. */
#include "ucrt.h"

__declspec(dllimport) int *__cdecl _errno(void);
#define errno (*_errno())
__declspec(dllimport) int __cdecl fopen_s(FILE **f, const char *name, const char *mode);
__declspec(dllimport) int __cdecl _wfopen_s(FILE **f, const wchar16 *name, const wchar16 *mode);
__declspec(dllimport) int __cdecl fclose(FILE *f);
__declspec(dllimport) size_t __cdecl fread(void *p, size_t s, size_t n, FILE *f);
__declspec(dllimport) size_t __cdecl fwrite(const void *p, size_t s, size_t n, FILE *f);
__declspec(dllimport) char *__cdecl fgets(char *s, int n, FILE *f);
__declspec(dllimport) int __cdecl fputs(const char *s, FILE *f);
__declspec(dllimport) int __cdecl fgetc(FILE *f);
__declspec(dllimport) int __cdecl ungetc(int c, FILE *f);
__declspec(dllimport) int __cdecl feof(FILE *f);
__declspec(dllimport) int __cdecl _fseeki64(FILE *f, long long off, int whence);
__declspec(dllimport) long long __cdecl _ftelli64(FILE *f);
__declspec(dllimport) int __cdecl _fileno(FILE *f);
__declspec(dllimport) int __cdecl remove(const char *name);
__declspec(dllimport) int __cdecl rename(const char *from, const char *to);
__declspec(dllimport) char *__cdecl strerror(int e);
__declspec(dllimport) int __cdecl _dupenv_s(char **out, size_t *len, const char *name);
__declspec(dllimport) int __cdecl _putenv_s(const char *name, const char *value);
__declspec(dllimport) int __cdecl strcmp(const char *a, const char *b);

struct _stat64i32 { /* sys/stat.h: `struct stat` of a default build */
    unsigned int st_dev;
    unsigned short st_ino, st_mode;
    short st_nlink, st_uid, st_gid;
    unsigned int st_rdev;
    long st_size;
    long long st_atime, st_mtime, st_ctime;
};
struct _stat64 {
    unsigned int st_dev;
    unsigned short st_ino, st_mode;
    short st_nlink, st_uid, st_gid;
    unsigned int st_rdev;
    long long st_size, st_atime, st_mtime, st_ctime;
};
__declspec(dllimport) int __cdecl _stat64i32(const char *path, struct _stat64i32 *st);
__declspec(dllimport) int __cdecl _fstat64i32(int fd, struct _stat64i32 *st);
__declspec(dllimport) int __cdecl _stat64(const char *path, struct _stat64 *st);
struct __finddata64_t {
    unsigned attrib;
    long long time_create, time_access, time_write, size;
    char name[260];
};
__declspec(dllimport) long long __cdecl _findfirst64(const char *spec, struct __finddata64_t *d);
__declspec(dllimport) int __cdecl _findclose(long long h);

int main(void)
{
    FILE *f = (FILE *)1;
    errno = 0;
    int r = fopen_s(&f, "missing.txt", "r");
    printf("fopen_s(missing): %d, FILE %s, errno %d (%s)\n", r, f ? "set" : "NULL", errno,
           strerror(errno));

    r = fopen_s(&f, "data.txt", "w");
    printf("fopen_s(w): %d\n", r);
    fputs("line one\n", f);
    fprintf(f, "line %s\n", "two");
    fwrite("end", 1, 3, f);
    fclose(f);

    struct _stat64i32 st;
    struct _stat64 st64;
    r = _stat64i32("data.txt", &st);
    printf("_stat64i32: %d, size %ld, regular %d\n", r, st.st_size, (st.st_mode & 0xF000) == 0x8000);
    r = _stat64("data.txt", &st64);
    printf("_stat64: %d, size %lld, mtime set %d\n", r, st64.st_size, st64.st_mtime > 1000000000);

    fopen_s(&f, "data.txt", "rb");
    char buf[64];
    size_t n = fread(buf, 1, sizeof buf, f);
    printf("binary read: %u bytes, CR LF: %d\n", (unsigned)n, buf[8] == '\r' && buf[9] == '\n');
    r = _fstat64i32(_fileno(f), &st);
    printf("_fstat64i32: %d, size %ld\n", r, st.st_size);
    fclose(f);

    fopen_s(&f, "data.txt", "r");
    fgets(buf, sizeof buf, f);
    printf("text fgets: [%s] ", buf);
    printf("tell %lld\n", _ftelli64(f));
    int c = fgetc(f);
    ungetc(c, f);
    fgets(buf, sizeof buf, f);
    printf("after ungetc: [%s]", buf);
    fgets(buf, sizeof buf, f);
    printf("last: [%s] eof %d\n", buf, feof(f) != 0);
    printf("fgets at end: %s, eof %d\n", fgets(buf, sizeof buf, f) ? "text" : "NULL", feof(f) != 0);
    _fseeki64(f, 5, 0);
    fgets(buf, sizeof buf, f);
    printf("after seek to 5: [%s]", buf);
    fclose(f);

    r = _wfopen_s(&f, L"wide.txt", L"w");
    fputs("wide-named\n", f);
    fclose(f);
    struct __finddata64_t fd;
    long long h = _findfirst64("wide.*", &fd);
    printf("_wfopen_s: %d, _findfirst64: %s size %lld\n", r, h == -1 ? "(none)" : fd.name,
           fd.size);
    if (h != -1)
        _findclose(h);

    printf("rename: %d, ", rename("wide.txt", "renamed.txt"));
    printf("remove: %d %d, ", remove("renamed.txt"), remove("data.txt"));
    errno = 0;
    r = remove("data.txt");
    printf("again: %d errno %d\n", r, errno);

    char *v = (char *)1;
    size_t len = 99;
    r = _dupenv_s(&v, &len, "UCRT_FILES_UNSET");
    printf("_dupenv_s(unset): %d %s %u\n", r, v ? "set" : "NULL", (unsigned)len);
    _putenv_s("UCRT_FILES_VAR", "hello");
    r = _dupenv_s(&v, &len, "UCRT_FILES_VAR");
    printf("_dupenv_s: %d [%s] %u\n", r, v, (unsigned)len);
    free(v);
    return 0;
}
