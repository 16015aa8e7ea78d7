/* pe_poke: writes a broken copy of a good PE32+ program for the containment tests.
 *   pe_poke IN OUT tls VALUE   the first TLS callback pointer becomes VALUE (hex)
 *   pe_poke IN OUT crt VALUE   the first non-null pointer of .CRT (an _initterm initializer)
 * The headers are parsed only as far as these two need; a file without the part fails. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static unsigned char *img;
static long size;

static uint32_t rd32(long off) { uint32_t v; memcpy(&v, img + off, 4); return v; }
static uint64_t rd64(long off) { uint64_t v; memcpy(&v, img + off, 8); return v; }

static long nsec, sec_tab;

/* File offset of an RVA, or -1. */
static long rva_to_off(uint32_t rva)
{
    for (long i = 0; i < nsec; i++) {
        long s = sec_tab + 40 * i;
        uint32_t vsize = rd32(s + 8), va = rd32(s + 12), rsize = rd32(s + 16), raw = rd32(s + 20);
        uint32_t span = vsize > rsize ? vsize : rsize;
        if (rva >= va && rva - va < span && rva - va < rsize)
            return (long)raw + (rva - va);
    }
    return -1;
}

int main(int argc, char **argv)
{
    if (argc != 5) {
        fprintf(stderr, "usage: pe_poke IN OUT tls|crt HEXVALUE\n");
        return 2;
    }
    FILE *f = fopen(argv[1], "rb");
    if (!f || fseek(f, 0, SEEK_END) != 0 || (size = ftell(f)) < 0x200)
        return fprintf(stderr, "pe_poke: cannot read %s\n", argv[1]), 1;
    rewind(f);
    img = malloc((size_t)size);
    if (!img || fread(img, 1, (size_t)size, f) != (size_t)size)
        return fprintf(stderr, "pe_poke: cannot read %s\n", argv[1]), 1;
    fclose(f);
    uint64_t value = strtoull(argv[4], NULL, 16);

    long pe = rd32(0x3c), opt = pe + 24;
    nsec = img[pe + 6] | img[pe + 7] << 8;
    sec_tab = opt + (img[pe + 20] | img[pe + 21] << 8);
    uint64_t image_base = rd64(opt + 24);
    long at = -1;
    if (strcmp(argv[3], "tls") == 0) {
        long tls = rva_to_off(rd32(opt + 112 + 9 * 8));
        uint64_t callbacks = tls >= 0 ? rd64(tls + 24) : 0;
        if (callbacks)
            at = rva_to_off((uint32_t)(callbacks - image_base));
    } else if (strcmp(argv[3], "crt") == 0) {
        for (long i = 0; i < nsec; i++) {
            long s = sec_tab + 40 * i;
            if (memcmp(img + s, ".CRT\0", 5) != 0)
                continue;
            for (long p = rd32(s + 20); p + 8 <= (long)rd32(s + 20) + (long)rd32(s + 16); p += 8)
                if (rd64(p)) {
                    at = p;
                    break;
                }
        }
    }
    if (at < 0 || at + 8 > size)
        return fprintf(stderr, "pe_poke: %s has no %s pointer\n", argv[1], argv[3]), 1;
    memcpy(img + at, &value, 8);
    f = fopen(argv[2], "wb");
    if (!f || fwrite(img, 1, (size_t)size, f) != (size_t)size || fclose(f) != 0)
        return fprintf(stderr, "pe_poke: cannot write %s\n", argv[2]), 1;
    return 0;
}
