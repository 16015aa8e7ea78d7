/* kuser_first_read: KUSER_SHARED_DATA's clock fields as a program sees them when it first reads
 * the page long after its start, then waits for them to move without making any call.
 *  - after Sleep(1500) without a look at the page, a built-in is handed a pointer into it
 *    (WriteFile of its NtBuildNumber to a pipe) and reads it as any readable memory;
 *  - the program's first reads of SystemTime and TickCount agree with
 *    GetSystemTimeAsFileTime and GetTickCount64 within 0.5 s (a page left as it was at the
 *    start would be 1.5 s behind);
 *  - TickCount, InterruptTime and SystemTime then move while the program spins reading the
 *    page and calls nothing (only an independent writer can move them);
 *  - the same from a second thread.
 * Windows writes these fields at every clock tick (15.6 ms), whoever reads them. */
#include <stdio.h>
#include <windows.h>

#define KUSER ((const volatile unsigned char *)0x7ffe0000)

static ULONGLONG ksystem_time(unsigned off)
{
    for (;;) { /* KSYSTEM_TIME: High1Time, LowPart, High2Time */
        LONG high1 = *(const volatile LONG *)(KUSER + off + 4);
        ULONG low = *(const volatile ULONG *)(KUSER + off);
        LONG high2 = *(const volatile LONG *)(KUSER + off + 8);
        if (high1 == high2)
            return ((ULONGLONG)(ULONG)high1 << 32) | low;
    }
}

static ULONGLONG diff(ULONGLONG a, ULONGLONG b) { return a > b ? a - b : b - a; }

/* Spins on the page alone; 1 when all three fields moved. The bound is a count of reads
 * (~1e10: seconds even on a fast host), not a clock: the program makes no call meanwhile. */
static int spin_until_moved(void)
{
    ULONGLONG tick0 = *(const volatile ULONGLONG *)(KUSER + 0x320);
    ULONGLONG it0 = ksystem_time(0x8), st0 = ksystem_time(0x14);
    for (ULONGLONG i = 0; i < 10000000000ull; i++)
        if (*(const volatile ULONGLONG *)(KUSER + 0x320) != tick0)
            break;
    return *(const volatile ULONGLONG *)(KUSER + 0x320) != tick0 && ksystem_time(0x8) != it0 &&
           ksystem_time(0x14) != st0;
}

static DWORD WINAPI second_thread(void *arg)
{
    (void)arg;
    return spin_until_moved();
}

int main(void)
{
    Sleep(1500);
    HANDLE r, w;
    DWORD n = 0, build = 0;
    if (!CreatePipe(&r, &w, NULL, 0))
        return 1;
    BOOL ok = WriteFile(w, (const void *)(KUSER + 0x260), 4, &n, NULL) &&
              ReadFile(r, &build, 4, &n, NULL);
    printf("WriteFile from the page: %s, build %s\n", ok ? "ok" : "failed",
           build == *(const volatile ULONG *)(KUSER + 0x260) && build >= 7600 ? "as read" : "wrong");
    ULONGLONG st = ksystem_time(0x14);
    ULONGLONG tick_ms = *(const volatile ULONGLONG *)(KUSER + 0x320) * 15625 / 1000;
    FILETIME ft;
    GetSystemTimeAsFileTime(&ft);
    ULONGLONG now = ((ULONGLONG)ft.dwHighDateTime << 32) | ft.dwLowDateTime;
    printf("first read: system time %s, tick count %s\n",
           diff(st, now) < 5000000 ? "current" : "stale",
           diff(tick_ms, GetTickCount64()) < 500 ? "current" : "stale");
    printf("spinning: the fields %s\n", spin_until_moved() ? "move" : "stay still");

    HANDLE t = CreateThread(NULL, 0, second_thread, NULL, 0, NULL);
    DWORD code = 0;
    WaitForSingleObject(t, INFINITE);
    GetExitCodeThread(t, &code);
    CloseHandle(t);
    printf("second thread: the fields %s\n", code ? "move" : "stay still");

    return 0;
}
