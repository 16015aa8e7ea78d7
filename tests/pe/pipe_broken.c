/* A write to a pipe whose reader has gone fails as on Windows, and the writer lives on: WriteFile
 * returns FALSE with ERROR_NO_DATA (232, "the pipe is being closed"), NtWriteFile returns
 * STATUS_PIPE_CLOSING. Covers an anonymous pipe whose read end is closed, a child that exits
 * (at once, or after reading a little) while the parent writes to its stdin, a reader that
 * closes early while a child writes to its stdout (WriteFile, then the CRT's fflush: EOF with
 * errno EINVAL, as msvcrt maps ERROR_NO_DATA), and a named pipe whose client has closed.
 * Under a runtime that lets SIGPIPE through, the process would die at the first write. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <windows.h>
#include <winternl.h>

typedef NTSTATUS(NTAPI *nt_write_fn)(HANDLE, HANDLE, PIO_APC_ROUTINE, PVOID, PIO_STATUS_BLOCK,
                                     PVOID, ULONG, PLARGE_INTEGER, PULONG);

static char self[MAX_PATH];

static int child(const char *mode)
{
    if (!strcmp(mode, "exit_now"))
        return 3;
    if (!strcmp(mode, "read_some")) {
        char buf[5];
        DWORD n;
        ReadFile(GetStdHandle(STD_INPUT_HANDLE), buf, sizeof buf, &n, NULL);
        return 7;
    }
    if (!strcmp(mode, "writer")) {
        HANDLE out = GetStdHandle(STD_OUTPUT_HANDLE);
        static char line[4096];
        memset(line, 'x', sizeof line);
        line[sizeof line - 1] = '\n';
        DWORD n;
        int writes = 0;
        while (WriteFile(out, line, sizeof line, &n, NULL))
            if (++writes > 100000)
                return 1; /* the reader never went away */
        DWORD err = GetLastError();
        fputs("crt line\n", stdout);
        int r = fflush(stdout);
        int crt_errno = errno;
        fprintf(stderr, "writer: fflush %d errno %d\n", r, crt_errno);
        return r == EOF && crt_errno == EINVAL ? (int)err : 1000 + crt_errno;
    }
    return 99;
}

static HANDLE spawn(const char *mode, HANDLE in, HANDLE out, PROCESS_INFORMATION *pi)
{
    char cmd[MAX_PATH + 32];
    snprintf(cmd, sizeof cmd, "\"%s\" %s", self, mode);
    STARTUPINFOA si = {sizeof si};
    si.dwFlags = STARTF_USESTDHANDLES;
    si.hStdInput = in;
    si.hStdOutput = out;
    si.hStdError = GetStdHandle(STD_ERROR_HANDLE);
    if (!CreateProcessA(NULL, cmd, NULL, NULL, TRUE, 0, NULL, NULL, &si, pi)) {
        printf("CreateProcess %s: error %lu\n", mode, GetLastError());
        exit(1);
    }
    CloseHandle(pi->hThread);
    return pi->hProcess;
}

static DWORD exit_code(HANDLE proc)
{
    DWORD code = 0;
    WaitForSingleObject(proc, INFINITE);
    GetExitCodeProcess(proc, &code);
    CloseHandle(proc);
    return code;
}

int main(int argc, char **argv)
{
    if (argc > 1)
        return child(argv[1]);
    GetModuleFileNameA(NULL, self, MAX_PATH);
    SECURITY_ATTRIBUTES sa = {sizeof sa, NULL, TRUE};
    HANDLE r, w;
    DWORD n = 0xcccc;

    /* the read end closed */
    CreatePipe(&r, &w, NULL, 0);
    CloseHandle(r);
    SetLastError(0);
    BOOL ok = WriteFile(w, "abc", 3, &n, NULL);
    printf("closed reader: WriteFile %d, written %lu, error %lu\n", ok, n, GetLastError());
    nt_write_fn nt_write =
        (nt_write_fn)(void (*)(void))GetProcAddress(GetModuleHandleA("ntdll.dll"), "NtWriteFile");
    IO_STATUS_BLOCK io;
    NTSTATUS st = nt_write(w, NULL, NULL, NULL, &io, "abc", 3, NULL, NULL);
    printf("closed reader: NtWriteFile 0x%08lx\n", (unsigned long)st);
    CloseHandle(w);

    /* a child that exits without reading its stdin */
    PROCESS_INFORMATION pi;
    CreatePipe(&r, &w, &sa, 0);
    SetHandleInformation(w, HANDLE_FLAG_INHERIT, 0);
    HANDLE proc = spawn("exit_now", r, GetStdHandle(STD_OUTPUT_HANDLE), &pi);
    CloseHandle(r);
    printf("exit_now child: exit code %lu\n", exit_code(proc));
    ok = WriteFile(w, "abc", 3, &n, NULL);
    printf("after the child exited: WriteFile %d, error %lu\n", ok, GetLastError());
    CloseHandle(w);

    /* a child that reads 5 bytes and exits while the parent writes 1 MiB */
    CreatePipe(&r, &w, &sa, 0);
    SetHandleInformation(w, HANDLE_FLAG_INHERIT, 0);
    proc = spawn("read_some", r, GetStdHandle(STD_OUTPUT_HANDLE), &pi);
    CloseHandle(r);
    static char chunk[4096];
    DWORD total = 0, err = 0;
    for (int i = 0; i < 256; i++) {
        if (!WriteFile(w, chunk, sizeof chunk, &n, NULL)) {
            err = GetLastError();
            break;
        }
        total += n;
    }
    printf("read_some child: exit code %lu, wrote at least 5 bytes: %s, then error %lu\n",
           exit_code(proc), total >= 5 ? "yes" : "no", err);
    CloseHandle(w);

    /* the parent reads a little of the child's stdout and closes its end */
    CreatePipe(&r, &w, &sa, 0);
    SetHandleInformation(r, HANDLE_FLAG_INHERIT, 0);
    proc = spawn("writer", GetStdHandle(STD_INPUT_HANDLE), w, &pi);
    CloseHandle(w);
    char buf[100];
    ok = ReadFile(r, buf, sizeof buf, &n, NULL);
    printf("read from the writer: %d, %lu bytes\n", ok, n);
    CloseHandle(r);
    printf("writer child: exit code %lu\n", exit_code(proc));

    /* a named pipe whose client has closed */
    HANDLE srv = CreateNamedPipeA("\\\\.\\pipe\\ntrun_pipe_broken_test", PIPE_ACCESS_DUPLEX,
                                  PIPE_TYPE_BYTE | PIPE_WAIT, 1, 4096, 4096, 0, NULL);
    HANDLE cli = CreateFileA("\\\\.\\pipe\\ntrun_pipe_broken_test", GENERIC_READ | GENERIC_WRITE,
                             0, NULL, OPEN_EXISTING, 0, NULL);
    ok = ConnectNamedPipe(srv, NULL);
    printf("named: connect %d error %lu\n", ok, ok ? 0 : GetLastError());
    CloseHandle(cli);
    ok = WriteFile(srv, "abc", 3, &n, NULL);
    printf("named, client closed: WriteFile %d, error %lu\n", ok, GetLastError());
    ok = ReadFile(srv, buf, sizeof buf, &n, NULL);
    printf("named, client closed: ReadFile %d, error %lu\n", ok, GetLastError());
    CloseHandle(srv);
    printf("still alive\n");
    return 0;
}
