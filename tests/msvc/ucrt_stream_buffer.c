/* _get_stream_buffer_pointers, as msvcp140's basic_filebuf uses it: the pointers to a stream's
 * buffer start, next byte and count. Writing through them (after fputc gave the stream its
 * buffer) goes out with the stream's next flush, text mode turning LF into CR LF then; reading a
 * file through them after fgetc filled the buffer sees the rest of the data, and fgetc continues
 * after what was consumed that way. A NULL stream is EINVAL (with the invalid parameter handler
 * set to return). */
#include "ucrt.h"

__declspec(dllimport) int __cdecl _get_stream_buffer_pointers(FILE *f, char ***base, char ***ptr,
                                                              int **count);
__declspec(dllimport) int __cdecl fopen_s(FILE **f, const char *name, const char *mode);
__declspec(dllimport) int __cdecl fclose(FILE *f);
__declspec(dllimport) size_t __cdecl fread(void *p, size_t s, size_t n, FILE *f);
__declspec(dllimport) int __cdecl fgetc(FILE *f);
__declspec(dllimport) int __cdecl fputc(int c, FILE *f);
__declspec(dllimport) int __cdecl fputs(const char *s, FILE *f);
__declspec(dllimport) int __cdecl remove(const char *name);
typedef void(__cdecl *iph_t)(const wchar16 *, const wchar16 *, const wchar16 *, unsigned,
                             unsigned long long);
__declspec(dllimport) iph_t __cdecl _set_invalid_parameter_handler(iph_t h);

static void __cdecl ignore(const wchar16 *e, const wchar16 *f, const wchar16 *file, unsigned line,
                           unsigned long long r)
{
    (void)e, (void)f, (void)file, (void)line, (void)r;
}

static void put_direct(char **ptr, int *count, const char *s)
{
    for (; *s && *count > 0; s++) {
        *(*ptr)++ = *s;
        --*count;
    }
}

int main(void)
{
    char **base, **ptr;
    int *count;
    FILE *f;

    /* write: the first byte by fputc, the rest straight into the buffer */
    if (fopen_s(&f, "sbp.txt", "w") != 0)
        return 1;
    printf("pointers: %d\n", _get_stream_buffer_pointers(f, &base, &ptr, &count));
    fputc('a', f);
    printf("after fputc: used %d, room %s\n", (int)(*ptr - *base), *count > 0 ? "yes" : "no");
    put_direct(ptr, count, "bc\nde\n");
    printf("after direct writes: used %d\n", (int)(*ptr - *base));
    fputs("f\n", f);
    fclose(f);

    unsigned char raw[32];
    if (fopen_s(&f, "sbp.txt", "rb") != 0)
        return 1;
    size_t n = fread(raw, 1, sizeof raw, f);
    fclose(f);
    printf("file:");
    for (size_t i = 0; i < n; i++)
        printf(" %02x%s", raw[i], i + 1 == n ? "\n" : "");

    /* read: fgetc fills the buffer, the rest is read through the pointers */
    if (fopen_s(&f, "sbp.txt", "r") != 0)
        return 1;
    _get_stream_buffer_pointers(f, 0, &ptr, &count);
    printf("first: %c\n", fgetc(f));
    printf("left in buffer: %d\n", *count);
    printf("direct: %c%c\n", (*ptr)[0], (*ptr)[1]);
    *ptr += 2;
    *count -= 2;
    int c1 = fgetc(f), c2 = fgetc(f);
    printf("then fgetc: %02x %02x\n", c1, c2);
    fclose(f);
    remove("sbp.txt");

    _set_invalid_parameter_handler(ignore);
    printf("NULL stream: %d\n", _get_stream_buffer_pointers(0, &base, &ptr, &count));
    return 0;
}
