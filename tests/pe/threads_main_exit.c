/* threads_main_exit: the main thread calls ExitThread(0) while a second thread still runs. The
 * process lives on until its last thread ends and takes that thread's exit code (9), as Windows
 * does ("if the thread is the last thread in the process, ExitThread also terminates the process
 * with the thread's exit code"). The worker waits on an event the main thread sets right before
 * it exits, then writes with WriteFile. */
#include <string.h>
#include <windows.h>

static HANDLE go;

static void write_raw(const char *s)
{
    DWORD done;
    WriteFile(GetStdHandle(STD_OUTPUT_HANDLE), s, (DWORD)strlen(s), &done, NULL);
}

static DWORD WINAPI worker(void *arg)
{
    WaitForSingleObject(go, INFINITE);
    Sleep(20);
    write_raw("worker: main has gone, returning 9\r\n");
    return 9;
}

int main(void)
{
    go = CreateEventA(NULL, TRUE, FALSE, NULL);
    CloseHandle(CreateThread(NULL, 0, worker, NULL, 0, NULL));
    write_raw("main: ExitThread(0)\r\n");
    SetEvent(go);
    ExitThread(0);
    write_raw("FAIL: ExitThread returned\r\n");
    return 1;
}
