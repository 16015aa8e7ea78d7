/* fwrite's fast path (code in msvcrt's image, no lock while the process has one thread) across
 * the start of the first second thread: the console control thread, started by ntrun's native
 * dispatcher while the main thread is in the middle of its fwrite loop, writes records to the
 * same stream at the same time. Every record of both lands whole, once, each thread's in its
 * order. Then fwrite's sizes: every length from 0 to 40 and around the 4096-byte buffer,
 * size 2 elements, none, read back byte for byte; nothing written to a read-only stream. */
#include <stdio.h>
#include <string.h>
#include <windows.h>
#include "stdio_mt.h"

#define HANDLER_RECORDS 20000
#define REC 9 /* "m0000000\n" */

static BOOL WINAPI handler(DWORD ev)
{
    char rec[REC + 1];
    for (int i = 0; i < HANDLER_RECORDS; i++) {
        sprintf(rec, "h%07d\n", i);
        fwrite(rec, 1, REC, f);
    }
    InterlockedExchange(&done, 1);
    return ev == CTRL_C_EVENT;
}

static int threads(void)
{
    if (mt_open(handler))
        return 1;
    long mine = 0;
    char rec[REC + 1];
    for (;;) {
        sprintf(rec, "m%07ld\n", mine);
        if (fwrite(rec, 1, REC, f) != REC)
            return 2;
        int step = mt_step(++mine, 1000, 0xfff, 3);
        if (step == MT_DONE)
            break;
        if (step)
            return step;
    }
    rewind(f);
    long m = 0, h = 0, bad = 0;
    while (fgets(rec, sizeof rec, f)) {
        long v;
        char who;
        if (strlen(rec) != REC || sscanf(rec, "%c%7ld", &who, &v) != 2)
            bad++;
        else if (who == 'm' && v == m)
            m++;
        else if (who == 'h' && v == h)
            h++;
        else
            bad++;
    }
    fclose(f);
    printf("main: %s, handler: %ld, bad: %ld\n", m == mine ? "all" : "lost some", h, bad);
    return 0;
}

static char expect[80000];

static void sizes(void)
{
    FILE *g = tmpfile();
    long n = 0;
    static const int around[] = {4094, 4095, 4096, 4097, 8191, 1, 15, 16, 17, 31, 32, 33};
    for (int len = 0; len <= 40; len++) {
        for (int i = 0; i < len; i++)
            expect[n + i] = (char)('a' + (n + i) % 26);
        if (fwrite(expect + n, 1, len, g) != (size_t)len)
            printf("fwrite of %d: short\n", len);
        n += len;
    }
    for (size_t k = 0; k < sizeof around / sizeof *around; k++) {
        int len = around[k];
        for (int i = 0; i < len; i++)
            expect[n + i] = (char)('A' + (n + i) % 26);
        if (fwrite(expect + n, 1, len, g) != (size_t)len)
            printf("fwrite of %d: short\n", len);
        n += len;
    }
    memcpy(expect + n, "wxyz", 4);
    printf("size 2, count 2: %u\n", (unsigned)fwrite(expect + n, 2, 2, g));
    n += 4;
    printf("size 1, count 0: %u; size 0: %u\n", (unsigned)fwrite(expect, 1, 0, g),
           (unsigned)fwrite(expect, 0, 5, g));
    rewind(g);
    static char back[80000];
    size_t got = fread(back, 1, sizeof back, g);
    printf("read back: %s (%ld bytes)\n", got == (size_t)n && !memcmp(back, expect, n) ? "same" : "differs", n);
    fclose(g);
    FILE *r = fopen("stdio_mt_fwrite.tmp", "w");
    fputs("x", r);
    fclose(r);
    r = fopen("stdio_mt_fwrite.tmp", "r");
    printf("read-only stream: %u\n", (unsigned)fwrite("abc", 1, 3, r));
    fclose(r);
    remove("stdio_mt_fwrite.tmp");
}

int main(void)
{
    sizes();
    return threads();
}
