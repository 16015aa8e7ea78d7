/* crt_memmove_sizes: msvcrt's memcpy and memmove for every length from 0 to 200 and source
 * and destination offsets -17..17 apart in one buffer (overlapping both ways, and apart):
 * the destination holds the source's old bytes, the bytes around it are untouched, and the
 * result is the destination. msvcrt's memcpy tolerates overlap as memmove does. Behaves the
 * same on Windows. */
#include <stdio.h>
#include <string.h>

static void *(*volatile copy_fn[2])(void *, const void *, size_t) = {memcpy, memmove};

int main(void)
{
    static unsigned char buf[512], want[512];
    unsigned bad = 0, checked = 0;
    for (int f = 0; f < 2; f++)
        for (size_t n = 0; n <= 200; n++)
            for (int delta = -17; delta <= 17; delta++) {
                for (int i = 0; i < 512; i++)
                    buf[i] = (unsigned char)(i * 7 + n + delta);
                size_t src = 100 + (n % 13), dst = (size_t)((int)src + delta);
                memcpy(want, buf, sizeof want);
                for (size_t i = 0; i < n; i++) /* the reference: through a copy */
                    want[dst + i] = buf[src + i];
                void *r = copy_fn[f](buf + dst, buf + src, n);
                checked++;
                if (r != buf + dst || memcmp(buf, want, sizeof buf) != 0) {
                    if (bad++ < 5)
                        printf("%s n=%u delta=%d: wrong\n", f ? "memmove" : "memcpy", (unsigned)n,
                               delta);
                }
            }
    printf("%u copies checked, %u wrong\n", checked, bad);
    return bad != 0;
}
