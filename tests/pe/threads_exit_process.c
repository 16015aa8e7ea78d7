/* threads_exit_process: ExitProcess(3) called by a secondary thread while the main thread waits
 * forever in WaitForSingleObject, one thread spins in the program's own code and one waits on an
 * event nobody sets. The process ends with exit status 3; the other threads die with it (none of
 * them prints), and the DLL_THREAD_DETACH of no killed thread runs. A TLS callback logs every
 * DLL_THREAD_ATTACH / DLL_THREAD_DETACH / DLL_PROCESS_DETACH with WriteFile.
 *
 * Expected output follows Windows: NtTerminateProcess ends the other threads before the loader
 * sends DLL_PROCESS_DETACH; the calling thread gets no DLL_THREAD_DETACH either. */
#include <stdio.h>
#include <string.h>
#include <windows.h>

static HANDLE never;
static volatile LONG spinning, waiting;

static void write_raw(const char *s)
{
    DWORD done;
    WriteFile(GetStdHandle(STD_OUTPUT_HANDLE), s, (DWORD)strlen(s), &done, NULL);
}

static void NTAPI tls_callback(PVOID image, DWORD reason, PVOID reserved)
{
    if (reason == DLL_THREAD_DETACH)
        write_raw("tls callback: DLL_THREAD_DETACH\r\n");
    else if (reason == DLL_PROCESS_DETACH)
        write_raw("tls callback: DLL_PROCESS_DETACH\r\n");
}
extern const IMAGE_TLS_DIRECTORY _tls_used;
__attribute__((section(".CRT$XLB"), used)) PIMAGE_TLS_CALLBACK p_tls_callback = tls_callback;

static DWORD WINAPI spin(void *arg)
{
    InterlockedExchange(&spinning, 1);
    for (volatile unsigned long i = 0;; i++)
        ;
    write_raw("FAIL: spinner ended\r\n");
    return 0;
}

static DWORD WINAPI wait_never(void *arg)
{
    InterlockedExchange(&waiting, 1);
    WaitForSingleObject(never, INFINITE);
    write_raw("FAIL: waiter woke\r\n");
    return 0;
}

static DWORD WINAPI exiter(void *arg)
{
    while (!spinning || !waiting)
        Sleep(1);
    write_raw("exiter: calling ExitProcess(3)\r\n");
    ExitProcess(3);
    write_raw("FAIL: ExitProcess returned\r\n");
    return 0;
}

int main(void)
{
    (void)_tls_used;
    never = CreateEventA(NULL, TRUE, FALSE, NULL);
    HANDLE main_wait = CreateEventA(NULL, TRUE, FALSE, NULL);
    CloseHandle(CreateThread(NULL, 0, spin, NULL, 0, NULL));
    CloseHandle(CreateThread(NULL, 0, wait_never, NULL, 0, NULL));
    write_raw("main: threads started, waiting forever\r\n");
    CloseHandle(CreateThread(NULL, 0, exiter, NULL, 0, NULL));
    WaitForSingleObject(main_wait, INFINITE);
    write_raw("FAIL: main woke\r\n");
    return 1;
}
