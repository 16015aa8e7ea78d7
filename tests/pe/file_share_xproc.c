/* file_share_xproc: share modes hold across processes, as Windows enforces them. The parent
 * opens a file for reading and writing, sharing reading only; children started with
 * CreateProcess (this program again) then fail to open it for writing, or for reading without
 * sharing writing, or to delete it (ERROR_SHARING_VIOLATION), but open it for reading while
 * sharing writing, or for attributes only. Once the parent closes its handle a child writes.
 * The other way round: a child that holds the file open without sharing anything keeps the
 * parent and another child out until it is killed with TerminateProcess, or until it ends with
 * ExitProcess while the handle is still open.
 *
 * Wine 8.0: identical. */
#include <stdio.h>
#include <string.h>
#include <windows.h>

static const char *file = "file_share_xproc.tmp";

static DWORD try_open(DWORD access, DWORD sharing)
{
    HANDLE h = CreateFileA(file, access, sharing, NULL, OPEN_EXISTING, 0, NULL);
    if (h == INVALID_HANDLE_VALUE)
        return GetLastError();
    CloseHandle(h);
    return 0;
}

static int child(const char *what)
{
    if (!strcmp(what, "write"))
        return (int)try_open(GENERIC_WRITE, FILE_SHARE_READ | FILE_SHARE_WRITE);
    if (!strcmp(what, "read"))
        return (int)try_open(GENERIC_READ, FILE_SHARE_READ | FILE_SHARE_WRITE);
    if (!strcmp(what, "read-share-read"))
        return (int)try_open(GENERIC_READ, FILE_SHARE_READ);
    if (!strcmp(what, "attributes"))
        return (int)try_open(FILE_READ_ATTRIBUTES, 0);
    if (!strcmp(what, "delete"))
        return DeleteFileA(file) ? 0 : (int)GetLastError();
    if (!strcmp(what, "hold") || !strcmp(what, "hold-exit")) {
        HANDLE h = CreateFileA(file, GENERIC_READ | GENERIC_WRITE, 0, NULL, OPEN_EXISTING, 0, NULL);
        if (h == INVALID_HANDLE_VALUE)
            return (int)GetLastError();
        DWORD n;
        WriteFile(GetStdHandle(STD_OUTPUT_HANDLE), "held", 4, &n, NULL);
        if (!strcmp(what, "hold-exit"))
            ExitProcess(0); /* the handle is still open */
        Sleep(INFINITE);
    }
    return 999;
}

/* Starts a child; with `out` its standard output is a pipe whose read end goes there. */
static BOOL start_child(const char *what, PROCESS_INFORMATION *pi, HANDLE *out)
{
    char self[MAX_PATH], cmd[MAX_PATH + 64];
    STARTUPINFOA si = {sizeof si};
    HANDLE rd = NULL, wr = NULL;
    GetModuleFileNameA(NULL, self, sizeof self);
    snprintf(cmd, sizeof cmd, "\"%s\" %s", self, what);
    fflush(stdout);
    if (out) {
        SECURITY_ATTRIBUTES sa = {sizeof sa, NULL, TRUE};
        if (!CreatePipe(&rd, &wr, &sa, 0))
            return FALSE;
        SetHandleInformation(rd, HANDLE_FLAG_INHERIT, 0);
        si.dwFlags = STARTF_USESTDHANDLES;
        si.hStdInput = GetStdHandle(STD_INPUT_HANDLE);
        si.hStdOutput = wr;
        si.hStdError = GetStdHandle(STD_ERROR_HANDLE);
    }
    BOOL ok = CreateProcessA(self, cmd, NULL, NULL, out != NULL, 0, NULL, NULL, &si, pi);
    if (out) {
        CloseHandle(wr);
        *out = rd;
    }
    return ok;
}

static DWORD run_child(const char *what)
{
    PROCESS_INFORMATION pi;
    DWORD code = 998;
    if (!start_child(what, &pi, NULL))
        return 1000 + GetLastError();
    WaitForSingleObject(pi.hProcess, INFINITE);
    GetExitCodeProcess(pi.hProcess, &code);
    CloseHandle(pi.hProcess);
    CloseHandle(pi.hThread);
    return code;
}

static const char *result(DWORD code)
{
    static char buf[4][32];
    static int i;
    i = (i + 1) % 4;
    if (code == 0)
        return "opened";
    snprintf(buf[i], sizeof buf[i], "error %lu", code);
    return buf[i];
}

/* Starts a child that holds the file open sharing nothing; waits until it has. */
static BOOL start_holder(const char *what, PROCESS_INFORMATION *pi)
{
    HANDLE out;
    char got[8] = "";
    DWORD n = 0;
    if (!start_child(what, pi, &out))
        return FALSE;
    ReadFile(out, got, 4, &n, NULL);
    CloseHandle(out);
    printf("%s child: %s\n", what, n == 4 && !memcmp(got, "held", 4) ? "holds the file" : "failed");
    return TRUE;
}

int main(int argc, char **argv)
{
    if (argc > 1)
        return child(argv[1]);

    HANDLE a = CreateFileA(file, GENERIC_WRITE, 0, NULL, CREATE_ALWAYS, 0, NULL);
    DWORD n;
    WriteFile(a, "contents", 8, &n, NULL);
    CloseHandle(a);

    a = CreateFileA(file, GENERIC_READ | GENERIC_WRITE, FILE_SHARE_READ, NULL, OPEN_EXISTING, 0,
                    NULL);
    printf("parent reads and writes, sharing read\n");
    printf("  child writer: %s\n", result(run_child("write")));
    printf("  child reader sharing read and write: %s\n", result(run_child("read")));
    printf("  child reader sharing read only: %s\n", result(run_child("read-share-read")));
    printf("  child attributes only, sharing nothing: %s\n", result(run_child("attributes")));
    printf("  child DeleteFile: %s\n", result(run_child("delete")));
    CloseHandle(a);
    printf("parent closed\n");
    printf("  child writer: %s\n", result(run_child("write")));

    PROCESS_INFORMATION pi;
    if (!start_holder("hold", &pi))
        return 1;
    printf("  parent reader: %s\n",
           result(try_open(GENERIC_READ, FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE)));
    printf("  second child reader: %s\n", result(run_child("read")));
    TerminateProcess(pi.hProcess, 9);
    WaitForSingleObject(pi.hProcess, INFINITE);
    CloseHandle(pi.hProcess);
    CloseHandle(pi.hThread);
    printf("holder killed\n");
    printf("  parent reader: %s\n",
           result(try_open(GENERIC_READ, FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE)));
    printf("  second child reader: %s\n", result(run_child("read")));

    if (!start_holder("hold-exit", &pi))
        return 1;
    WaitForSingleObject(pi.hProcess, INFINITE);
    CloseHandle(pi.hProcess);
    CloseHandle(pi.hThread);
    printf("holder exited with the handle open\n");
    printf("  parent writer: %s\n", result(try_open(GENERIC_WRITE, 0)));
    printf("  child DeleteFile: %s\n", result(run_child("delete")));
    return 0;
}
