/* The UCRT's scanf family through __stdio_common_vsscanf: the C99 sizes the UCRT adds (hh
 * stores a char, z, j and t 64 bits) beside ll, I64, h and the default; %ls into a wide
 * buffer; %[ sets and widths; %n and %hhn; %* suppression; sscanf_s with buffer sizes, where a
 * field that does not fit empties the buffer, ends the call and sets ENOMEM. Expected values:
 * the UCRT documentation (scanf type field and width specification, sscanf_s) and Windows'
 * results as recorded in Wine's ucrtbase scanf tests. */
#include "ucrt.h"

__declspec(dllimport) int *__cdecl _errno(void);
#define errno (*_errno())

int main(void)
{
    signed char c1 = 0x55, c2 = 0x55, guard[2] = {0x11, 0x22};
    unsigned char uc = 0;
    short h = 0;
    int i = 0, n1 = -1, n2 = -1;
    long long ll = 0, i64 = 0, z = 0, j = 0, t = 0;
    int r = sscanf("-5 200 -300 77", "%hhd %hhu %hd %d", &c1, &uc, &h, &i);
    printf("hh h d: %d -> %d %u %d %d\n", r, c1, uc, h, i);
    r = sscanf("300", "%hhd", &guard[0]);
    printf("hhd stores one byte: %d -> %d, next %d\n", r, guard[0], guard[1]);
    r = sscanf("-9000000000 9000000001 -42 7 12345678901", "%lld %I64d %zd %jd %td", &ll, &i64, &z,
               &j, &t);
    printf("64-bit sizes: %d -> %lld %lld %lld %lld %lld\n", r, ll, i64, z, j, t);

    wchar16 w[16] = {0};
    char word[16] = {0}, set[16] = {0};
    r = sscanf("wide abcXYZ", "%ls %[a-z]", w, set);
    printf("%%ls %%[a-z]: %d -> %c%c%c%c %s\n", r, (char)w[0], (char)w[1], (char)w[2],
           (char)w[3], set);
    r = sscanf("123456 abcdefgh", "%3d%n %4s%hhn", &i, &n1, word, &c2);
    printf("widths %%n: %d -> %d n=%d %s hhn=%d\n", r, i, n1, word, c2);
    r = sscanf("10 20 30", "%*d %d %*d%n", &i, &n2);
    printf("suppressed: %d -> %d n=%d\n", r, i, n2);
    r = sscanf("  ", "%d", &i);
    printf("empty input: %d\n", r);
    r = sscanf("x", "%d", &i);
    printf("no match: %d\n", r);

    char small[4] = "###";
    errno = 0;
    r = sscanf_s("ab toolong", "%s %s", word, 16, small, 4);
    printf("sscanf_s too small: %d, errno %d, first [%s], small[0] %d\n", r, errno, word,
           small[0]);
    errno = 0;
    r = sscanf_s("xyz q", "%3c %c", word, 16, set, 16);
    printf("sscanf_s %%3c: %d -> %c%c%c %c, errno %d\n", r, word[0], word[1], word[2], set[0],
           errno);
    return 0;
}
