/* GetProcessTimes on a child's handle, as Go's os/exec calls it after waiting (to fill
 * ProcessState's user and system times; a failure there fails the whole command): it succeeds
 * while the child runs and after it has exited, its times are not negative and the exit time is
 * not before the creation time; the current-process pseudo handle works; NULL and a thread
 * handle fail with ERROR_INVALID_HANDLE. The child is this program run with "child". */
#include <windows.h>
#include <stdio.h>
#include <string.h>

static LONGLONG ft(FILETIME f)
{
    return (LONGLONG)(((ULONGLONG)f.dwHighDateTime << 32) | f.dwLowDateTime);
}

int main(int argc, char **argv)
{
    if (argc > 1 && !strcmp(argv[1], "child")) {
        volatile unsigned x = 0;
        for (unsigned i = 0; i < 20000000; i++)
            x += i;
        return 7;
    }
    char self[MAX_PATH], cmd[MAX_PATH + 16];
    GetModuleFileNameA(NULL, self, sizeof self);
    snprintf(cmd, sizeof cmd, "\"%s\" child", self);
    STARTUPINFOA si = {sizeof si};
    PROCESS_INFORMATION pi;
    if (!CreateProcessA(NULL, cmd, NULL, NULL, FALSE, 0, NULL, NULL, &si, &pi)) {
        printf("CreateProcess: %lu\n", GetLastError());
        return 1;
    }
    FILETIME c, e, k, u;
    BOOL ok = GetProcessTimes(pi.hProcess, &c, &e, &k, &u);
    printf("running child: %d\n", ok);
    WaitForSingleObject(pi.hProcess, INFINITE);
    DWORD code = 0;
    GetExitCodeProcess(pi.hProcess, &code);
    ok = GetProcessTimes(pi.hProcess, &c, &e, &k, &u);
    printf("exited child (%lu): %d, kernel and user >= 0 %d, exit >= creation %d\n", code, ok,
           ft(k) >= 0 && ft(u) >= 0, ft(e) >= ft(c));
    ok = GetProcessTimes(GetCurrentProcess(), &c, &e, &k, &u);
    printf("current process: %d, exit time 0 %d\n", ok, ft(e) == 0);
    SetLastError(0);
    ok = GetProcessTimes(NULL, &c, &e, &k, &u);
    printf("NULL: %d, error %lu\n", ok, GetLastError());
    SetLastError(0);
    ok = GetProcessTimes(pi.hThread, &c, &e, &k, &u);
    printf("thread handle: %d, error %lu\n", ok, GetLastError());
    CloseHandle(pi.hThread);
    CloseHandle(pi.hProcess);
    return 0;
}
