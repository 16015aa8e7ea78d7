/* ExitProcess called by a secondary thread while the main thread runs the program's own code
 * (a counting loop, with a Sleep(1) now and then): the main thread is ended before the DLLs get
 * DLL_PROCESS_DETACH, as Microsoft's ExitProcess page lists the steps: "1. All of the threads in
 * the process, except the calling thread, terminate their execution [...] 2. The states of all
 * of the threads terminated in step 1 become signaled. 3. The entry-point functions of all
 * loaded DLLs are called with DLL_PROCESS_DETACH." A TLS callback (called with the DLLs'
 * DLL_PROCESS_DETACH) reads the main thread's counter, sleeps 100 ms and reads it again: it has
 * not moved, and (step 2) the main thread's handle is signalled, its exit code the process's.
 * This is also how a console control handler's ExitProcess (the default handler after Ctrl-C)
 * ends a process whose main thread is busy. Exit status 4. */
#include <stdio.h>
#include <string.h>
#include <windows.h>

static volatile LONG64 main_count;
static HANDLE main_thread;

static void write_raw(const char *s)
{
    DWORD done;
    WriteFile(GetStdHandle(STD_OUTPUT_HANDLE), s, (DWORD)strlen(s), &done, NULL);
}

static void NTAPI tls_callback(PVOID image, DWORD reason, PVOID reserved)
{
    if (reason != DLL_PROCESS_DETACH)
        return;
    LONG64 before = main_count;
    Sleep(100);
    LONG64 after = main_count;
    char line[128];
    snprintf(line, sizeof line, "DLL_PROCESS_DETACH: main thread stopped: %s\r\n",
             before == after ? "yes" : "NO");
    write_raw(line);
    DWORD code = 0;
    DWORD w = WaitForSingleObject(main_thread, 0);
    GetExitCodeThread(main_thread, &code);
    snprintf(line, sizeof line, "main thread's handle: wait %lu exit code %lu\r\n", w, code);
    write_raw(line);
}
extern const IMAGE_TLS_DIRECTORY _tls_used;
__attribute__((section(".CRT$XLB"), used)) PIMAGE_TLS_CALLBACK p_tls_callback = tls_callback;

static DWORD WINAPI exiter(void *arg)
{
    while (main_count < 200000)
        Sleep(1);
    write_raw("exiter: calling ExitProcess(4)\r\n");
    ExitProcess(4);
    write_raw("FAIL: ExitProcess returned\r\n");
    return 0;
}

int main(void)
{
    (void)_tls_used;
    DuplicateHandle(GetCurrentProcess(), GetCurrentThread(), GetCurrentProcess(), &main_thread, 0,
                    FALSE, DUPLICATE_SAME_ACCESS);
    CloseHandle(CreateThread(NULL, 0, exiter, NULL, 0, NULL));
    write_raw("main: counting\r\n");
    for (;;)
        if ((++main_count & 0xffff) == 0)
            Sleep(1);
    return 1;
}
