/* GenerateConsoleCtrlEvent to a process group: a child started with CREATE_NEW_PROCESS_GROUP
 * installs a handler and says so on its standard output (a pipe); the parent sends
 * CTRL_BREAK_EVENT to the child's group (its process id); the handler runs in the child and
 * ends it with its own exit code. (Wine 8.0 delivers no event to a redirected child.) */
#include <stdio.h>
#include <string.h>
#include <windows.h>

static BOOL WINAPI handler(DWORD event)
{
    printf("child: handler got event %lu\n", event);
    fflush(stdout);
    ExitProcess(0x42);
    return TRUE;
}

int main(int argc, char **argv)
{
    if (argc > 1 && !strcmp(argv[1], "child")) {
        SetConsoleCtrlHandler(handler, TRUE);
        printf("child: ready\n");
        fflush(stdout);
        Sleep(60000);
        return 1;
    }
    char self[MAX_PATH], cmd[MAX_PATH + 16], buf[256];
    GetModuleFileNameA(NULL, self, MAX_PATH);
    snprintf(cmd, sizeof cmd, "\"%s\" child", self);
    SECURITY_ATTRIBUTES sa = {sizeof sa, NULL, TRUE};
    HANDLE r, w;
    CreatePipe(&r, &w, &sa, 0);
    SetHandleInformation(r, HANDLE_FLAG_INHERIT, 0);
    STARTUPINFOA si = {sizeof si};
    si.dwFlags = STARTF_USESTDHANDLES;
    si.hStdInput = GetStdHandle(STD_INPUT_HANDLE);
    si.hStdOutput = w;
    si.hStdError = GetStdHandle(STD_ERROR_HANDLE);
    PROCESS_INFORMATION pi;
    if (!CreateProcessA(NULL, cmd, NULL, NULL, TRUE, CREATE_NEW_PROCESS_GROUP, NULL, NULL, &si,
                        &pi))
        return 1;
    CloseHandle(w);
    DWORD n, len = 0;
    while (!strstr(buf, "ready") && ReadFile(r, buf + len, sizeof buf - 1 - len, &n, NULL) && n) {
        len += n;
        buf[len] = 0;
    }
    printf("%s", buf);
    printf("GenerateConsoleCtrlEvent(CTRL_BREAK_EVENT, child): %d\n",
           GenerateConsoleCtrlEvent(CTRL_BREAK_EVENT, pi.dwProcessId));
    len = 0;
    while (ReadFile(r, buf + len, sizeof buf - 1 - len, &n, NULL) && n)
        len += n;
    buf[len] = 0;
    printf("%s", buf);
    WaitForSingleObject(pi.hProcess, INFINITE);
    DWORD code = 0;
    GetExitCodeProcess(pi.hProcess, &code);
    printf("child exit code %#lx\n", code);
    return 0;
}
