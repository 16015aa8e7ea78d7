/* putc's fast path (code in msvcrt's image, no lock while the process has one thread) across
 * the start of the first second thread: the main thread writes letters with putc (an LF every
 * 64); at its 100 000th byte it raises Ctrl-C, and the console control thread, started by
 * ntrun's native dispatcher while the main thread goes on, writes numbered records
 * ("H1234567\n") to the same stream with fwrite. Read back: the records whole, once, in
 * order, and between them every byte of the main thread's, once, in order. */
#include <stdio.h>
#include <string.h>
#include <windows.h>

#define HANDLER_RECORDS 20000
#define REC 9

static FILE *f;
static volatile LONG done, started;

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
    f = tmpfile();
    if (!f)
        return 1;
    static char buf[1 << 20]; /* few flushes: the control thread finds the main thread in putc */
    setvbuf(f, buf, _IOFBF, sizeof buf);
    SetConsoleCtrlHandler(handler, TRUE);
    long mine = 0;
    DWORD t0 = GetTickCount();
    for (;;) {
        if (putc(main_byte(mine), f) == EOF)
            return 2;
        if (++mine == 100000 && !GenerateConsoleCtrlEvent(CTRL_C_EVENT, 0))
            return 3;
        if (done && mine > 100000)
            break;
        /* once the handler runs (or past 40 MB without it) main lets it run, so that the file
         * stays small */
        if ((mine & 0xffff) == 0 && (started || mine > 40000000))
            Sleep(started ? 1 : 10);
        if ((mine & 0xffff) == 0 && GetTickCount() - t0 > 60000)
            return 4;
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
