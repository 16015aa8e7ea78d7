/* ExitThread on the main thread while another thread runs: the process lives on, and the main
 * thread has ended for the others at once: a wait on its handle returns WAIT_OBJECT_0, its exit
 * code is ExitThread's and a mutex it owned is abandoned (WAIT_ABANDONED). The process ends with
 * its last thread, whose exit code becomes the process's: exit status 3. Output as on Windows. */
#include <stdio.h>
#include <windows.h>

static HANDLE main_thread, mutex;
static DWORD main_tid;

static DWORD WINAPI worker(void *arg)
{
    DWORD w = WaitForSingleObject(main_thread, 10000);
    DWORD code = 0;
    GetExitCodeThread(main_thread, &code);
    printf("worker: main thread's handle: wait %lu exit code %lu\n", w, code);
    printf("worker: the mutex it owned: wait 0x%lx\n", WaitForSingleObject(mutex, 0));
    fflush(stdout);
    return 3;
}

int main(void)
{
    main_tid = GetCurrentThreadId();
    DuplicateHandle(GetCurrentProcess(), GetCurrentThread(), GetCurrentProcess(), &main_thread, 0,
                    FALSE, DUPLICATE_SAME_ACCESS);
    mutex = CreateMutexW(NULL, TRUE, NULL);
    CloseHandle(CreateThread(NULL, 0, worker, NULL, 0, NULL));
    printf("main: ExitThread(5)\n");
    fflush(stdout);
    ExitThread(5);
}
