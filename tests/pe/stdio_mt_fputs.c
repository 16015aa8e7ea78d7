/* fputs' fast path (code in msvcrt's image, no lock while the process has one thread) across
 * the start of the first second thread: the main thread writes numbered lines with fputs; at
 * its 1000th it raises Ctrl-C, and the console control thread, started by ntrun's native
 * dispatcher while the main thread goes on writing, writes its own lines to the same stream
 * with fputs. Read back: every line of both lands whole, once, each thread's in order. */
#include <stdio.h>
#include <string.h>
#include <windows.h>
#include "stdio_mt.h"

#define HANDLER_LINES 20000

static BOOL WINAPI handler(DWORD ev)
{
    char line[64];
    InterlockedExchange(&started, 1);
    for (int i = 0; i < HANDLER_LINES; i++) {
        sprintf(line, "h%07d\n", i);
        fputs(line, f);
    }
    InterlockedExchange(&done, 1);
    return ev == CTRL_C_EVENT;
}

int main(void)
{
    if (mt_open(handler))
        return 1;
    /* the loop does little besides fputs (the line's number counted up in place) and the
     * buffer is 1 MB (few flushes), so that the control thread's start finds the main thread
     * inside fputs' code often (ntrun --trace=sud says "restarted in a fast path") */
    static char buf[1 << 20];
    setvbuf(f, buf, _IOFBF, sizeof buf);
    char line[64] = "m0000000\n";
    long mine = 0;
    for (;;) {
        if (fputs(line, f) == EOF)
            return 2;
        for (int d = 7; d > 0 && ++line[d] > '9'; d--)
            line[d] = '0';
        int step = mt_step(++mine, 1000, 0xfff, 3);
        if (step == MT_DONE)
            break;
        if (step)
            return step;
        mt_let_handler_run(mine, 1023, 4000000); /* ~10 MB before the handler starts */
    }
    rewind(f);
    long m = 0, h = 0, bad = 0;
    while (fgets(line, sizeof line, f)) {
        long v;
        char who;
        if (sscanf(line, "%c%7ld", &who, &v) != 2)
            bad++;
        else if (who == 'm' && v == m && !strcmp(line + 8, "\n"))
            m++;
        else if (who == 'h' && v == h && !strcmp(line + 8, "\n"))
            h++;
        else
            bad++;
    }
    fclose(f);
    printf("main: %s, handler: %ld, bad: %ld\n", m == mine ? "all" : "lost some", h, bad);
    return 0;
}
