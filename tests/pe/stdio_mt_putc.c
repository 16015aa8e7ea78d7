/* putc's fast path (code in msvcrt's image, no lock while the process has one thread) across
 * the start of the first second thread: the main thread writes letters with putc (an LF every
 * 64); at its 100 000th byte it raises Ctrl-C, and the console control thread, started by
 * ntrun's native dispatcher while the main thread goes on, writes numbered records
 * ("H1234567\n") to the same stream with fwrite. Read back: the records whole, once, in
 * order, and between them every byte of the main thread's, once, in order. */
#include <stdio.h>
#include <string.h>
#include <windows.h>
#include "stdio_mt.h"

#define HANDLER_RECORDS 20000
#define REC 9

static BOOL WINAPI handler(DWORD ev)
{
    char rec[REC + 1];
    InterlockedExchange(&started, 1);
    for (int i = 0; i < HANDLER_RECORDS; i++) {
        sprintf(rec, "H%07d\n", i);
        fwrite(rec, 1, REC, f);
    }
    InterlockedExchange(&done, 1);
    return ev == CTRL_C_EVENT;
}

static int main_byte(long i) { return (i & 63) == 63 ? '\n' : 'a' + (int)(i % 26); }

int main(void)
{
    if (mt_open(handler))
        return 1;
    static char buf[1 << 20]; /* few flushes: the control thread finds the main thread in putc */
    setvbuf(f, buf, _IOFBF, sizeof buf);
    long mine = 0;
    for (;;) {
        if (putc(main_byte(mine), f) == EOF)
            return 2;
        int step = mt_step(++mine, 100000, 0xffff, 3);
        if (step == MT_DONE)
            break;
        if (step)
            return step;
        mt_let_handler_run(mine, 0xffff, 40000000);
    }
    rewind(f);
    long m = 0, h = 0, bad = 0;
    int c;
    while ((c = getc(f)) != EOF) {
        if (c == 'H') {
            char rec[REC + 1] = "H";
            long v;
            if (fread(rec + 1, 1, REC - 1, f) != REC - 1 || sscanf(rec, "H%7ld", &v) != 1 ||
                rec[REC - 1] != '\n' || v != h)
                bad++;
            h++;
        } else if (m < mine && c == main_byte(m)) {
            m++;
        } else {
            bad++;
        }
    }
    fclose(f);
    printf("main: %s, handler: %ld, bad: %ld\n", m == mine ? "all" : "lost some", h, bad);
    return 0;
}
