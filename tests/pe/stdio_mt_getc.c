/* The first second thread of the process is the console control thread, started by ntrun's
 * native dispatcher while the main thread is in the middle of its getc loop over a 4 MB file
 * (getc then needs no stream lock): the handler reads the same stream with fgetc while the main
 * thread goes on. Every byte is read exactly once by one of them: the two histograms add up to
 * the file's, none lost, none read twice. */
#include <stdio.h>
#include <string.h>
#include <windows.h>

#define SIZE (4 << 20)
#define TRIGGER 1000

static FILE *f;
static long hist_handler[256];
static volatile LONG started, done;

static int pattern(long i) { return (int)((i * 7 + i / 251) & 0xff); }

static BOOL WINAPI handler(DWORD ev)
{
    InterlockedExchange(&started, 1);
    int c;
    while ((c = fgetc(f)) != EOF)
        hist_handler[c]++;
    InterlockedExchange(&done, 1);
    return ev == CTRL_C_EVENT;
}

int main(void)
{
    static char buf[65536];
    static long hist_main[256], hist_file[256];
    f = tmpfile();
    if (!f)
        return 1;
    for (long i = 0; i < SIZE; i += sizeof buf) {
        for (long j = 0; j < (long)sizeof buf; j++) {
            buf[j] = (char)pattern(i + j);
            hist_file[pattern(i + j)]++;
        }
        if (fwrite(buf, 1, sizeof buf, f) != sizeof buf)
            return 2;
    }
    rewind(f);
    SetConsoleCtrlHandler(handler, TRUE);
    long mine = 0;
    int c;
    while ((c = getc(f)) != EOF) {
        hist_main[c]++;
        if (++mine == TRIGGER && !GenerateConsoleCtrlEvent(CTRL_C_EVENT, 0))
            return 3;
    }
    DWORD t0 = GetTickCount();
    while (!done)
        if (GetTickCount() - t0 > 60000)
            return 4;
        else
            Sleep(1);
    long total = 0, twice = 0, lost = 0;
    for (int v = 0; v < 256; v++) {
        long got = hist_main[v] + hist_handler[v];
        total += got;
        if (got > hist_file[v])
            twice += got - hist_file[v];
        else
            lost += hist_file[v] - got;
    }
    fclose(f);
    printf("bytes: %ld of %d, read twice: %ld, lost: %ld, handler ran: %s\n", total, SIZE, twice,
           lost, started ? "yes" : "no");
    return 0;
}
