/* zlib_roundtrip: a program that uses zlib1.dll (Debian's libz-mingw-w64, copied next to it):
 * zlibVersion, compress2/uncompress of a repetitive buffer at two levels, the streaming
 * deflate/inflate API with a small output window (many calls), crc32 and adler32 of known data
 * (values any zlib gives), and uncompress of data with a corrupted header failing with
 * Z_DATA_ERROR. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

static unsigned char input[100000];

int main(void)
{
    printf("zlibVersion starts with 1.: %s\n", strncmp(zlibVersion(), "1.", 2) == 0 ? "yes" : "no");
    for (size_t i = 0; i < sizeof input; i++)
        input[i] = (unsigned char)("The quick brown fox jumps over the lazy dog. "[i % 45] ^ (i / 4500));

    for (int level = 1; level <= 9; level += 8) {
        uLongf clen = compressBound(sizeof input);
        unsigned char *cbuf = malloc(clen);
        int r = compress2(cbuf, &clen, input, sizeof input, level);
        unsigned char *out = malloc(sizeof input);
        uLongf olen = sizeof input;
        int r2 = uncompress(out, &olen, cbuf, clen);
        printf("level %d: compress2 %d, smaller than a tenth: %s, uncompress %d, %lu bytes, "
               "identical: %s\n", level, r, clen < sizeof input / 10 ? "yes" : "no", r2,
               (unsigned long)olen, olen == sizeof input && memcmp(out, input, olen) == 0 ? "yes" : "no");
        free(cbuf);
        free(out);
    }

    /* streaming, 1000-byte windows */
    z_stream zs;
    memset(&zs, 0, sizeof zs);
    int r = deflateInit(&zs, Z_DEFAULT_COMPRESSION);
    unsigned char *comp = malloc(sizeof input);
    size_t comp_len = 0;
    zs.next_in = input;
    zs.avail_in = sizeof input;
    int calls = 0;
    do {
        zs.next_out = comp + comp_len;
        zs.avail_out = 1000;
        r = deflate(&zs, Z_FINISH);
        comp_len += 1000 - zs.avail_out;
        calls++;
    } while (r == Z_OK);
    printf("deflate: %s after more than one call: %s\n", r == Z_STREAM_END ? "Z_STREAM_END" : "error",
           calls > 1 ? "yes" : "no");
    deflateEnd(&zs);

    memset(&zs, 0, sizeof zs);
    inflateInit(&zs);
    unsigned char *back = malloc(sizeof input);
    zs.next_in = comp;
    zs.avail_in = (uInt)comp_len;
    size_t back_len = 0;
    do {
        zs.next_out = back + back_len;
        zs.avail_out = 1000;
        r = inflate(&zs, Z_NO_FLUSH);
        back_len += 1000 - zs.avail_out;
    } while (r == Z_OK);
    printf("inflate: %s, %zu bytes, identical: %s\n", r == Z_STREAM_END ? "Z_STREAM_END" : "error",
           back_len, back_len == sizeof input && memcmp(back, input, back_len) == 0 ? "yes" : "no");
    inflateEnd(&zs);

    const char *text = "123456789";
    printf("crc32(\"123456789\") = %08lx\n", crc32(0, (const Bytef *)text, 9));
    printf("adler32(\"123456789\") = %08lx\n", adler32(1, (const Bytef *)text, 9));

    comp[0] ^= 0xff; /* the zlib header's compression method is no longer deflate */
    uLongf olen = sizeof input;
    r = uncompress(back, &olen, comp, comp_len);
    printf("uncompress of corrupted data: %s\n", r == Z_DATA_ERROR ? "Z_DATA_ERROR" : r == Z_BUF_ERROR ? "Z_BUF_ERROR" : "other");
    free(comp);
    free(back);
    return 0;
}
