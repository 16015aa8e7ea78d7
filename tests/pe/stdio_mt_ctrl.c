/* The first second thread of the process is the console control thread, started by ntrun's
 * native dispatcher while the main thread is in the middle of its putc loop (no stream lock
 * needed until then): the handler's fputc calls and the main thread's, running at the same
 * time, all land. */
#include <stdio.h>
#include <windows.h>
#include "stdio_mt.h"

#define HANDLER_CHARS 300000

static BOOL WINAPI handler(DWORD ev)
{
    for (int i = 0; i < HANDLER_CHARS; i++)
        fputc('h', f);
    InterlockedExchange(&done, 1);
    return ev == CTRL_C_EVENT;
}

int main(void)
{
    if (mt_open(handler))
        return 1;
    long mine = 0;
    for (;;) {
        fputc('m', f);
        int step = mt_step(++mine, 1000, 0xffff, 2);
        if (step == MT_DONE)
            break;
        if (step)
            return step;
    }
    rewind(f);
    long m = 0, h = 0, other = 0;
    int c;
    while ((c = fgetc(f)) != EOF)
        if (c == 'm')
            m++;
        else if (c == 'h')
            h++;
        else
            other++;
    printf("main: %s, handler: %ld, other: %ld\n", m == mine ? "all" : "lost some", h, other);
    return 0;
}
