/* Threads start while the main thread is writing and reading streams: every byte and every
 * line written by any thread is there exactly once, lines whole. The main thread starts each
 * thread in the middle of its putc/fputs work (the first one while the process still had a
 * single thread, so msvcrt's stream locks were not yet needed), then keeps writing at the same
 * time as the threads. */
#include <stdio.h>
#include <string.h>
#include <windows.h>

#define THREADS 4
#define PER_THREAD 200000
#define LINES 20000

static FILE *chars, *lines;

static DWORD WINAPI worker(void *arg)
{
    int id = (int)(INT_PTR)arg;
    char line[64];
    for (int i = 0; i < PER_THREAD; i++) {
        putc('0' + id, chars);
        if (i < LINES) {
            snprintf(line, sizeof line, "thread %d line %06d end\n", id, i);
            fputs(line, lines);
        }
    }
    return 0;
}

int main(void)
{
    chars = tmpfile();
    lines = tmpfile();
    if (!chars || !lines)
        return 1;
    HANDLE th[THREADS];
    int started = 0;
    long main_chars = 0, main_lines = 0;
    for (long i = 0; started < THREADS || i < 4 * PER_THREAD; i++) {
        putc('m', chars);
        main_chars++;
        if (i % 8 == 0) {
            fputs("main line ---------- end\n", lines);
            main_lines++;
        }
        if (i % 50000 == 25000 && started < THREADS) {
            th[started] = CreateThread(NULL, 0, worker, (void *)(INT_PTR)started, 0, NULL);
            started++;
        }
    }
    WaitForMultipleObjects(THREADS, th, TRUE, INFINITE);
    rewind(chars);
    long count[THREADS + 1] = {0}, other = 0;
    int c;
    while ((c = getc(chars)) != EOF) {
        if (c == 'm')
            count[THREADS]++;
        else if (c >= '0' && c < '0' + THREADS)
            count[c - '0']++;
        else
            other++;
    }
    printf("main chars: %s\n", count[THREADS] == main_chars ? "all" : "lost some");
    for (int t = 0; t < THREADS; t++)
        printf("thread %d chars: %ld\n", t, count[t]);
    printf("other bytes: %ld\n", other);
    rewind(lines);
    char buf[128];
    long per[THREADS] = {0}, mains = 0, broken = 0;
    int next[THREADS] = {0};
    while (fgets(buf, sizeof buf, lines)) {
        int id, n;
        char end[8];
        if (strcmp(buf, "main line ---------- end\n") == 0)
            mains++;
        else if (sscanf(buf, "thread %d line %d %7s", &id, &n, end) == 3 && id >= 0 &&
                 id < THREADS && n == next[id] && strcmp(end, "end") == 0 &&
                 strlen(buf) == 25)
            per[id]++, next[id]++;
        else
            broken++;
    }
    printf("main lines: %s\n", mains == main_lines ? "all" : "lost some");
    for (int t = 0; t < THREADS; t++)
        printf("thread %d lines: %ld\n", t, per[t]);
    printf("broken lines: %ld\n", broken);
    return 0;
}
