/* A UCRT program's fputs across the start of its first second thread: ucrtbase's exports fall
 * back to msvcrt's, so its fputs, fgets and fputc are msvcrt's code copied into ucrtbase's
 * image (restartable regions, thunks/msvcrt/stdio_entry.S). The main thread writes
 * numbered lines with fputs into a 1 MB buffer; at its 1000th it raises Ctrl-C, and the
 * console control thread, started by ntrun's native dispatcher while the main thread goes on,
 * writes its own lines to the same stream. Read back with fgets: every line of both whole,
 * once, each thread's in order. */
#include "ucrt.h"

__declspec(dllimport) FILE *__cdecl fopen(const char *name, const char *mode);
__declspec(dllimport) int __cdecl fclose(FILE *f);
__declspec(dllimport) int __cdecl fputs(const char *s, FILE *f);
__declspec(dllimport) char *__cdecl fgets(char *s, int n, FILE *f);
__declspec(dllimport) int __cdecl setvbuf(FILE *f, char *buf, int mode, size_t size);
__declspec(dllimport) void __cdecl rewind(FILE *f);
__declspec(dllimport) int __cdecl remove(const char *name);
__declspec(dllimport) int __stdcall SetConsoleCtrlHandler(int(__stdcall *fn)(unsigned long),
                                                          int add);
__declspec(dllimport) int __stdcall GenerateConsoleCtrlEvent(unsigned long ev, unsigned long group);
__declspec(dllimport) void __stdcall Sleep(unsigned long ms);
__declspec(dllimport) unsigned long __stdcall GetTickCount(void);

#define HANDLER_LINES 20000

static FILE *f;
static volatile long done, started;

static int __stdcall handler(unsigned long ev)
{
    char line[32];
    started = 1;
    for (int i = 0; i < HANDLER_LINES; i++) {
        sprintf(line, "h%07d\n", i);
        fputs(line, f);
    }
    done = 1;
    return ev == 0;
}

int main(void)
{
    f = fopen("ucrt_mt_fputs.tmp", "w+");
    if (!f)
        return 1;
    static char buf[1 << 20];
    setvbuf(f, buf, 0 /* _IOFBF */, sizeof buf);
    SetConsoleCtrlHandler(handler, 1);
    char line[32] = "m0000000\n";
    long mine = 0;
    unsigned long t0 = GetTickCount();
    for (;;) {
        if (fputs(line, f) < 0)
            return 2;
        for (int d = 7; d > 0 && ++line[d] > '9'; d--)
            line[d] = '0';
        if (++mine == 1000 && !GenerateConsoleCtrlEvent(0, 0))
            return 3;
        if (done && mine > 1000)
            break;
        if ((mine & 1023) == 0 && (started || mine > 4000000))
            Sleep(started ? 1 : 10); /* keep the file small */
        if ((mine & 0xfff) == 0 && GetTickCount() - t0 > 60000)
            return 4;
    }
    rewind(f);
    long m = 0, h = 0, bad = 0;
    while (fgets(line, sizeof line, f)) {
        long v;
        char who;
        if (sscanf(line, "%c%7ld", &who, &v) != 2 || line[8] != '\n' || line[9])
            bad++;
        else if (who == 'm' && v == m)
            m++;
        else if (who == 'h' && v == h)
            h++;
        else
            bad++;
    }
    fclose(f);
    remove("ucrt_mt_fputs.tmp");
    printf("main: %s, handler: %ld, bad: %ld\n", m == mine ? "all" : "lost some", h, bad);
    return 0;
}
