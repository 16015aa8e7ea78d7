/* fgets' fast path (code in msvcrt's image, no lock while the process has one thread) across
 * the start of the first second thread: the main thread reads a file of 200 000 numbered lines
 * with fgets; at its 1000th line it raises Ctrl-C, and the console control thread, started by
 * ntrun's native dispatcher while the main thread goes on reading, reads the same stream with
 * fgets too. Every line is read whole and exactly once by one of the two, each thread's in
 * increasing order. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <windows.h>
#include "stdio_mt.h"

#define LINES 200000

static unsigned char seen[LINES];
static volatile LONG bad, handler_lines;

static int check(const char *line, long *last)
{
    long v;
    if (strlen(line) != 16 || sscanf(line, "line %07ld ok", &v) != 1 || line[15] != '\n' ||
        v < 0 || v >= LINES || v <= *last)
        return 0;
    *last = v;
    seen[v]++;
    return 1;
}

static BOOL WINAPI handler(DWORD ev)
{
    char line[64];
    long last = -1;
    while (fgets(line, sizeof line, f)) {
        if (!check(line, &last))
            InterlockedIncrement(&bad);
        InterlockedIncrement(&handler_lines);
    }
    InterlockedExchange(&done, 1);
    return ev == CTRL_C_EVENT;
}

int main(void)
{
    if (mt_open(handler))
        return 1;
    for (long i = 0; i < LINES; i++)
        fprintf(f, "line %07ld ok\n", i); /* 16 bytes with the LF */
    rewind(f);
    /* the loop does little besides fgets (the lines are checked after), so that the control
     * thread's start finds the main thread inside fgets' code often (ntrun --trace=sud says
     * "restarted in a fast path") */
    static char got[LINES][20];
    long mine = 0, last = -1, mine_bad = 0;
    while (mine < LINES && fgets(got[mine], sizeof got[mine], f)) {
        int step = mt_step(++mine, 1000, 0xfff, 3);
        if (step > 0) /* not MT_DONE: main reads on to the end of the file */
            return step;
    }
    while (!done && GetTickCount() - mt_t0 < 60000)
        Sleep(1);
    for (long i = 0; i < mine; i++)
        if (!check(got[i], &last))
            mine_bad++;
    long once = 0;
    for (long i = 0; i < LINES; i++)
        once += seen[i] == 1;
    printf("lines read once: %ld of %d, torn or out of order: %ld, the handler read %s\n", once,
           LINES, mine_bad + bad, done ? "until EOF" : "(still reading)");
    fclose(f);
    return 0;
}
