/* Text-mode reads of a long file (msvcrt): 200 000 bytes of letters with CR LF pairs, lone CRs
 * and lone LFs at every distance from each other (runs from 0 to 80 bytes, so across the
 * 16-byte steps of ntrun's translation and the 4096-byte buffer's ends), then a Ctrl-Z after a
 * long run: fread and fgetc in text mode give what the file holds with each CR LF as LF, a lone
 * CR kept, and nothing from the Ctrl-Z on; the binary read gives the file as it is. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SIZE 200000

static unsigned char raw[SIZE + 64], expect[SIZE + 64], got[SIZE + 64];

int main(void)
{
    unsigned seed = 12345;
    size_t n = 0;
    while (n < SIZE) {
        seed = seed * 1103515245u + 12345u;
        unsigned run = (seed >> 16) % 81, kind = (seed >> 8) % 4;
        for (unsigned i = 0; i < run && n < SIZE; i++, n++)
            raw[n] = (unsigned char)('a' + (n * 7 + i) % 26);
        if (kind == 0 || kind == 1) {
            raw[n++] = '\r';
            raw[n++] = '\n';
        } else if (kind == 2) {
            raw[n++] = '\r';
        } else {
            raw[n++] = '\n';
        }
    }
    for (int i = 0; i < 40; i++)
        raw[n++] = 'z';
    raw[n++] = 0x1a;
    memcpy(raw + n, "after", 5);
    n += 5;
    size_t e = 0;
    for (size_t i = 0; i < n && raw[i] != 0x1a; i++) {
        if (raw[i] == '\r' && i + 1 < n && raw[i + 1] == '\n')
            continue; /* the CR of a CR LF */
        expect[e++] = raw[i];
    }
    FILE *f = fopen("crt_text_read_long.tmp", "wb");
    if (!f || fwrite(raw, 1, n, f) != n)
        return 1;
    fclose(f);

    f = fopen("crt_text_read_long.tmp", "r");
    size_t g = fread(got, 1, sizeof got, f);
    printf("fread, text: %s\n", g == e && !memcmp(got, expect, e) ? "as translated" : "differs");
    fclose(f);

    f = fopen("crt_text_read_long.tmp", "r");
    size_t k = 0;
    int c;
    while ((c = fgetc(f)) != EOF && k < sizeof got)
        got[k++] = (unsigned char)c;
    printf("fgetc, text: %s\n", k == e && !memcmp(got, expect, e) ? "as translated" : "differs");
    fclose(f);

    f = fopen("crt_text_read_long.tmp", "rb");
    g = fread(got, 1, sizeof got, f);
    printf("fread, binary: %s\n", g == n && !memcmp(got, raw, n) ? "as written" : "differs");
    fclose(f);
    remove("crt_text_read_long.tmp");
    return 0;
}
