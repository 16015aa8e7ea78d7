/* CREATE_SUSPENDED: the program starts itself suspended with its standard output redirected
 * to a pipe. While suspended the child cannot end (a wait on the process times out) and its
 * primary thread is STILL_ACTIVE; the marker file the parent writes before ResumeThread is
 * there when the child's main runs. ResumeThread returns the previous count (1, then 0); the
 * thread handle is waitable and GetExitCodeThread gives the process's exit code afterwards;
 * GetThreadId matches dwThreadId. */
#include <stdio.h>
#include <string.h>
#include <windows.h>

int main(int argc, char **argv)
{
    if (argc > 2 && !strcmp(argv[1], "child")) {
        DWORD attr = GetFileAttributesA(argv[2]);
        printf("child: marker %s\n", attr != INVALID_FILE_ATTRIBUTES ? "present" : "missing");
        return attr != INVALID_FILE_ATTRIBUTES ? 0x4242 : 1;
    }
    char self[MAX_PATH], cmd[MAX_PATH * 2 + 32], marker[MAX_PATH];
    GetModuleFileNameA(NULL, self, MAX_PATH);
    snprintf(marker, sizeof marker, "suspended-marker-%lu.tmp", GetCurrentProcessId());
    DeleteFileA(marker);
    snprintf(cmd, sizeof cmd, "\"%s\" child %s", self, marker);

    SECURITY_ATTRIBUTES sa = {sizeof sa, NULL, TRUE};
    HANDLE out_r, out_w;
    CreatePipe(&out_r, &out_w, &sa, 0);
    SetHandleInformation(out_r, HANDLE_FLAG_INHERIT, 0);
    STARTUPINFOA si = {sizeof si};
    si.dwFlags = STARTF_USESTDHANDLES;
    si.hStdInput = GetStdHandle(STD_INPUT_HANDLE);
    si.hStdOutput = out_w;
    si.hStdError = GetStdHandle(STD_ERROR_HANDLE);
    PROCESS_INFORMATION pi;
    BOOL ok = CreateProcessA(NULL, cmd, NULL, NULL, TRUE, CREATE_SUSPENDED, NULL, NULL, &si, &pi);
    printf("CreateProcess suspended: %d\n", ok);
    if (!ok)
        return 1;
    CloseHandle(out_w);
    printf("thread handle differs from process handle: %s\n",
           pi.hThread && pi.hThread != pi.hProcess ? "yes" : "no");
    printf("GetThreadId matches dwThreadId: %s\n",
           GetThreadId(pi.hThread) == pi.dwThreadId ? "yes" : "no");
    printf("GetProcessId matches dwProcessId: %s\n",
           GetProcessId(pi.hProcess) == pi.dwProcessId ? "yes" : "no");
    DWORD code = 0;
    GetExitCodeThread(pi.hThread, &code);
    printf("thread exit code while suspended: %lu\n", code);
    printf("wait on the suspended process: %s\n",
           WaitForSingleObject(pi.hProcess, 200) == WAIT_TIMEOUT ? "timeout" : "ended");

    HANDLE m = CreateFileA(marker, GENERIC_WRITE, 0, NULL, CREATE_ALWAYS, 0, NULL);
    CloseHandle(m);
    printf("SuspendThread: %ld\n", (long)SuspendThread(pi.hThread));
    printf("ResumeThread: %ld\n", (long)ResumeThread(pi.hThread));
    printf("ResumeThread: %ld\n", (long)ResumeThread(pi.hThread));
    printf("ResumeThread again: %ld\n", (long)ResumeThread(pi.hThread));

    char buf[256];
    DWORD n, len = 0;
    while (len < sizeof buf - 1 && ReadFile(out_r, buf + len, sizeof buf - 1 - len, &n, NULL) && n)
        len += n;
    buf[len] = 0;
    printf("child said: %s", buf);
    printf("wait on the thread: %s\n",
           WaitForSingleObject(pi.hThread, INFINITE) == WAIT_OBJECT_0 ? "signalled" : "?");
    GetExitCodeThread(pi.hThread, &code);
    printf("thread exit code: %#lx\n", code);
    GetExitCodeProcess(pi.hProcess, &code);
    printf("process exit code: %#lx\n", code);
    CloseHandle(pi.hThread);
    CloseHandle(pi.hProcess);
    CloseHandle(out_r);
    DeleteFileA(marker);
    return 0;
}
