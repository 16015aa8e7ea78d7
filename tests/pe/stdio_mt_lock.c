/* A stream locked with _lock_file while the process has one thread stays locked when a second
 * thread starts: the new thread's fputc waits until the main thread's _unlock_file, so its
 * output follows all of the main thread's (msvcrt skips no lock; ntrun's single-thread fast
 * path must not turn an explicit lock into a no-op). */
#include <stdio.h>
#include <windows.h>

static FILE *f;
static volatile LONG started;

static DWORD WINAPI writer(void *arg)
{
    (void)arg;
    InterlockedExchange(&started, 1);
    for (int i = 0; i < 1000; i++)
        fputc('B', f);
    return 0;
}

int main(void)
{
    f = tmpfile();
    if (!f)
        return 1;
    for (int i = 0; i < 1000; i++) /* one thread: the fast path */
        fputc('A', f);
    _lock_file(f);
    HANDLE h = CreateThread(NULL, 0, writer, NULL, 0, NULL);
    while (!started)
        Sleep(1);
    Sleep(50); /* the writer is now waiting for the lock */
    for (int i = 0; i < 1000; i++)
        fputc('A', f);
    fputs("|", f);
    _unlock_file(f);
    WaitForSingleObject(h, INFINITE);
    CloseHandle(h);
    rewind(f);
    int c, pos = 0, bad = -1, a = 0, b = 0, bar = -1;
    while ((c = fgetc(f)) != EOF) {
        if (c == 'A') {
            a++;
            if (bar >= 0 && bad < 0)
                bad = pos;
        } else if (c == '|') {
            bar = pos;
        } else if (c == 'B') {
            b++;
            if (bar < 0 && bad < 0)
                bad = pos;
        }
        pos++;
    }
    fclose(f);
    printf("A %d, B %d, bar at %d, first out of order: %d\n", a, b, bar, bad);
    return 0;
}
