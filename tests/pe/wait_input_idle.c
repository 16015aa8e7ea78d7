/* wait_input_idle: user32!WaitForInputIdle, which launchers call after CreateProcess. For a
 * console program (the test's own child, which sleeps and ends with 3), for the calling process,
 * and for a child that has ended: WAIT_FAILED at once, the last error left alone, as Microsoft's
 * page says ("If this process is a console application or does not have a message queue,
 * WaitForInputIdle returns immediately") and Wine 8.0 answers; for NULL and a handle that is no
 * object: WAIT_FAILED with ERROR_INVALID_HANDLE. Wine 8.0 prints the same lines. */
#include <stdio.h>
#include <windows.h>

static void show(const char *what, HANDLE h)
{
    SetLastError(0xdeadbeef);
    DWORD r = WaitForInputIdle(h, 5000);
    DWORD e = GetLastError();
    printf("%s: 0x%08lx, last error %s\n", what, r,
           e == 0xdeadbeef ? "unchanged" : e == ERROR_INVALID_HANDLE ? "ERROR_INVALID_HANDLE"
                                                                     : "another");
}

int main(int argc, char **argv)
{
    if (argc > 1) {
        Sleep(200);
        return 3;
    }
    char self[MAX_PATH], line[MAX_PATH + 8];
    GetModuleFileNameA(NULL, self, sizeof self);
    snprintf(line, sizeof line, "\"%s\" child", self);
    STARTUPINFOA si = {sizeof si};
    PROCESS_INFORMATION pi;
    if (!CreateProcessA(self, line, NULL, NULL, FALSE, 0, NULL, NULL, &si, &pi)) {
        printf("FAIL: CreateProcess (error %lu)\n", GetLastError());
        return 1;
    }
    show("console child", pi.hProcess);
    show("this process", GetCurrentProcess());
    show("NULL", NULL);
    show("no object", (HANDLE)(ULONG_PTR)0x1234);
    WaitForSingleObject(pi.hProcess, INFINITE);
    DWORD code = 0;
    GetExitCodeProcess(pi.hProcess, &code);
    show("ended child", pi.hProcess);
    printf("child's exit code %lu\n", code);
    CloseHandle(pi.hThread);
    CloseHandle(pi.hProcess);
    return 0;
}
