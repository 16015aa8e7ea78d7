/* Instances of one pipe name in two server processes, as Windows allows: the parent's only
 * instance is connected (a second client gets ERROR_PIPE_BUSY); WaitNamedPipe waits until a
 * child process creates another instance of the name; the next client reaches the child's
 * instance and talks to it. The child reports on its standard output, a pipe the parent reads. */
#include <stdio.h>
#include <string.h>
#include <windows.h>

#define NAME "\\\\.\\pipe\\ntrun_pipe_servers_test"

static int child(void)
{
    HANDLE s = CreateNamedPipeA(NAME, PIPE_ACCESS_DUPLEX, PIPE_TYPE_MESSAGE | PIPE_READMODE_MESSAGE,
                                4, 512, 512, 0, NULL);
    if (s == INVALID_HANDLE_VALUE) {
        printf("child: CreateNamedPipe error %lu\n", GetLastError());
        return 1;
    }
    BOOL ok = ConnectNamedPipe(s, NULL);
    char buf[64];
    DWORD n = 0;
    if (ok || GetLastError() == ERROR_PIPE_CONNECTED)
        ok = ReadFile(s, buf, sizeof buf, &n, NULL);
    char reply[100];
    int len = snprintf(reply, sizeof reply, "child got [%.*s]", (int)n, buf);
    WriteFile(s, reply, len, &n, NULL);
    FlushFileBuffers(s);
    ReadFile(s, buf, sizeof buf, &n, NULL); /* until the client closes */
    CloseHandle(s);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc > 1)
        return child();
    HANDLE s = CreateNamedPipeA(NAME, PIPE_ACCESS_DUPLEX, PIPE_TYPE_MESSAGE | PIPE_READMODE_MESSAGE,
                                4, 512, 512, 0, NULL);
    HANDLE c1 = CreateFileA(NAME, GENERIC_READ | GENERIC_WRITE, 0, NULL, OPEN_EXISTING, 0, NULL);
    printf("client 1: %s\n", c1 != INVALID_HANDLE_VALUE ? "ok" : "failed");
    HANDLE c2 = CreateFileA(NAME, GENERIC_READ | GENERIC_WRITE, 0, NULL, OPEN_EXISTING, 0, NULL);
    printf("client 2: %s error %lu\n", c2 != INVALID_HANDLE_VALUE ? "ok" : "failed",
           GetLastError());

    char self[MAX_PATH], cmd[MAX_PATH + 16];
    GetModuleFileNameA(NULL, self, MAX_PATH);
    snprintf(cmd, sizeof cmd, "\"%s\" child", self);
    STARTUPINFOA si = {sizeof si};
    PROCESS_INFORMATION pi;
    if (!CreateProcessA(NULL, cmd, NULL, NULL, FALSE, 0, NULL, NULL, &si, &pi))
        return 1;
    BOOL ok = WaitNamedPipeA(NAME, NMPWAIT_WAIT_FOREVER);
    printf("wait for the child's instance: %d\n", ok);
    c2 = CreateFileA(NAME, GENERIC_READ | GENERIC_WRITE, 0, NULL, OPEN_EXISTING, 0, NULL);
    printf("client 2 again: %s\n", c2 != INVALID_HANDLE_VALUE ? "ok" : "failed");
    DWORD mode = PIPE_READMODE_MESSAGE, n;
    SetNamedPipeHandleState(c2, &mode, NULL, NULL);
    char buf[100];
    ok = TransactNamedPipe(c2, "hi", 2, buf, sizeof buf, &n, NULL);
    printf("transact: %d [%.*s]\n", ok, (int)n, buf);
    CloseHandle(c2);
    WaitForSingleObject(pi.hProcess, INFINITE);
    DWORD code = 99;
    GetExitCodeProcess(pi.hProcess, &code);
    printf("child exit code %lu\n", code);
    CloseHandle(c1);
    CloseHandle(s);
    return 0;
}
