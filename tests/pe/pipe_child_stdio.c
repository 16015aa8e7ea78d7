/* A child's standard output on a named pipe, made the way libuv makes a child's stdio pipes
 * (Node.js's child_process): an overlapped server end that the parent reads, an inheritable
 * client end given as STARTUPINFO's hStdOutput. In the child, GetStdHandle(STD_OUTPUT_HANDLE)
 * is that very handle value, as on Windows, and it is a named pipe's client end: GetFileType
 * says FILE_TYPE_PIPE, GetNamedPipeInfo PIPE_CLIENT_END in byte mode, and
 * SetNamedPipeHandleState(PIPE_READMODE_BYTE | PIPE_WAIT) succeeds on it and on a duplicate
 * (libuv's uv_pipe_open does both and gives up with ENOTSOCK when the call fails).
 *   pipe_child_stdio                  the parent: prints what the child wrote, its exit code
 *   pipe_child_stdio child HANDLE     the child: HANDLE is the parent's hStdOutput */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <windows.h>

static int child(const char *value)
{
    char line[512];
    int len = 0;
    HANDLE h = GetStdHandle(STD_OUTPUT_HANDLE);
    HANDLE given = (HANDLE)(uintptr_t)strtoull(value, NULL, 16);
    len += snprintf(line + len, sizeof line - len, "stdout is hStdOutput: %d\n", h == given);
    len += snprintf(line + len, sizeof line - len, "GetFileType: %lu\n", GetFileType(h));
    DWORD flags = 0xcc, out_size, in_size, max;
    BOOL ok = GetNamedPipeInfo(h, &flags, &out_size, &in_size, &max);
    len += snprintf(line + len, sizeof line - len, "GetNamedPipeInfo: %d, flags %lu\n", ok, flags);
    DWORD mode = PIPE_READMODE_BYTE | PIPE_WAIT;
    ok = SetNamedPipeHandleState(h, &mode, NULL, NULL);
    len += snprintf(line + len, sizeof line - len, "SetNamedPipeHandleState: %d (%lu)\n", ok,
                    ok ? 0 : GetLastError());
    HANDLE dup;
    DuplicateHandle(GetCurrentProcess(), h, GetCurrentProcess(), &dup, 0, FALSE,
                    DUPLICATE_SAME_ACCESS);
    ok = SetNamedPipeHandleState(dup, &mode, NULL, NULL);
    len += snprintf(line + len, sizeof line - len, "on a duplicate: %d (%lu)\n", ok,
                    ok ? 0 : GetLastError());
    DWORD state = 0xcc;
    ok = GetNamedPipeHandleStateA(dup, &state, NULL, NULL, NULL, NULL, 0);
    len += snprintf(line + len, sizeof line - len, "GetNamedPipeHandleState: %d, state %lu\n", ok,
                    state);
    DWORD written;
    WriteFile(dup, line, (DWORD)len, &written, NULL);
    CloseHandle(dup);
    return 7;
}

int main(int argc, char **argv)
{
    if (argc == 3 && !strcmp(argv[1], "child"))
        return child(argv[2]);

    char name[64];
    snprintf(name, sizeof name, "\\\\.\\pipe\\ntrun-child-stdio-%lu", GetCurrentProcessId());
    HANDLE server = CreateNamedPipeA(name,
                                     PIPE_ACCESS_INBOUND | FILE_FLAG_OVERLAPPED |
                                         FILE_FLAG_FIRST_PIPE_INSTANCE,
                                     PIPE_TYPE_BYTE | PIPE_READMODE_BYTE | PIPE_WAIT, 1, 65536,
                                     65536, 0, NULL);
    SECURITY_ATTRIBUTES sa = {sizeof sa, NULL, TRUE};
    HANDLE client = CreateFileA(name, GENERIC_WRITE | FILE_READ_ATTRIBUTES | FILE_WRITE_ATTRIBUTES,
                                0, &sa, OPEN_EXISTING, 0, NULL);
    if (server == INVALID_HANDLE_VALUE || client == INVALID_HANDLE_VALUE) {
        printf("pipe: error %lu\n", GetLastError());
        return 1;
    }
    OVERLAPPED ov = {0};
    ov.hEvent = CreateEventA(NULL, TRUE, FALSE, NULL);
    if (!ConnectNamedPipe(server, &ov) && GetLastError() != ERROR_PIPE_CONNECTED)
        printf("ConnectNamedPipe: error %lu\n", GetLastError());

    char self[MAX_PATH], cmd[MAX_PATH + 64];
    GetModuleFileNameA(NULL, self, MAX_PATH);
    snprintf(cmd, sizeof cmd, "\"%s\" child %llx", self, (unsigned long long)(uintptr_t)client);
    STARTUPINFOA si = {sizeof si};
    si.dwFlags = STARTF_USESTDHANDLES;
    si.hStdInput = GetStdHandle(STD_INPUT_HANDLE);
    si.hStdOutput = client;
    si.hStdError = GetStdHandle(STD_ERROR_HANDLE);
    PROCESS_INFORMATION pi;
    if (!CreateProcessA(NULL, cmd, NULL, NULL, TRUE, 0, NULL, NULL, &si, &pi)) {
        printf("CreateProcess: error %lu\n", GetLastError());
        return 1;
    }
    CloseHandle(client);

    char buf[1024];
    size_t got = 0;
    for (;;) {
        DWORD n = 0;
        ResetEvent(ov.hEvent);
        if (!ReadFile(server, buf + got, (DWORD)(sizeof buf - 1 - got), NULL, &ov) &&
            GetLastError() != ERROR_IO_PENDING)
            break;
        if (!GetOverlappedResult(server, &ov, &n, TRUE) || n == 0)
            break;
        got += n;
    }
    printf("read ends with: %lu\n", GetLastError());
    buf[got] = 0;
    fputs(buf, stdout);
    WaitForSingleObject(pi.hProcess, INFINITE);
    DWORD code = 0;
    GetExitCodeProcess(pi.hProcess, &code);
    printf("child exit code: %lu\n", code);
    return 0;
}
