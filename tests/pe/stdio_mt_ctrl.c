/* The first second thread of the process is the console control thread, started by ntrun's
 * native dispatcher while the main thread is in the middle of its putc loop (no stream lock
 * needed until then): the handler's fputc calls and the main thread's, running at the same
 * time, all land. */
#include <stdio.h>
#include <windows.h>

#define HANDLER_CHARS 300000

static FILE *f;
static volatile LONG done;

static BOOL WINAPI handler(DWORD ev)
{
    for (int i = 0; i < HANDLER_CHARS; i++)
        fputc('h', f);
    InterlockedExchange(&done, 1);
    return ev == CTRL_C_EVENT;
}

int main(void)
{
    f = tmpfile();
    if (!f)
        return 1;
    SetConsoleCtrlHandler(handler, TRUE);
    long mine = 0;
    DWORD t0 = GetTickCount();
    for (;;) {
        fputc('m', f);
        if (++mine == 1000 && !GenerateConsoleCtrlEvent(CTRL_C_EVENT, 0))
            return 2;
        if (done && mine > 1000)
            break;
        if ((mine & 0xffff) == 0 && GetTickCount() - t0 > 60000)
            return 3;
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
