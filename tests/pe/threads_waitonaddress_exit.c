/* threads_waitonaddress_exit: a thread waits in WaitOnAddress for a value that never changes
 * while the main thread returns from main. Windows ends the process at once (ExitProcess ends
 * every other thread wherever it waits); the waiting thread must not hold the exit up. The
 * main thread waits until the worker has announced itself, then sleeps briefly so the worker
 * is inside WaitOnAddress when the process exits. */
#include <stdio.h>
#include <windows.h>

static volatile LONG never = 0;
static volatile LONG started = 0;

static DWORD WINAPI worker(void *arg)
{
    (void)arg;
    LONG compare = 0;
    InterlockedExchange(&started, 1);
    WakeByAddressAll((void *)&started);
    for (;;)
        WaitOnAddress(&never, &compare, sizeof never, INFINITE);
    return 0;
}

int main(void)
{
    LONG zero = 0;
    HANDLE t = CreateThread(NULL, 0, worker, NULL, 0, NULL);
    if (!t)
        return 1;
    while (started == 0)
        WaitOnAddress(&started, &zero, sizeof started, 1000);
    Sleep(50);
    printf("main: returning while the worker waits\n");
    fflush(stdout);
    return 0;
}
