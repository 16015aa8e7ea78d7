/* CreateProcess: the program starts itself as a child with its standard handles redirected to
 * pipes, reads the child's output, feeds its input, and checks the process handle: STILL_ACTIVE
 * while it runs, waitable, the full 32-bit exit code, GetProcessId/OpenProcess, an inherited
 * handle passed by value on the command line, the command line exactly as given, an explicit
 * environment block, TerminateProcess, and a program that does not exist. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <windows.h>

static int child(int argc, char **argv)
{
    const char *mode = argv[1];
    if (!strcmp(mode, "child")) {
        char line[64] = "";
        const char *cl = strstr(GetCommandLineA(), " child"), *q = strstr(cl, "s\" ");
        size_t len = strlen(cl);
        printf("child: command line [%.*s ...], ends in two spaces: %s\n", (int)(q + 2 - cl), cl,
               len > 2 && !strcmp(cl + len - 2, "  ") ? "yes" : "no");
        printf("child: argc %d, argv[2] [%s]\n", argc, argc > 2 ? argv[2] : "");
        fflush(stdout);
        if (!fgets(line, sizeof line, stdin))
            return 1;
        printf("child: read %s", line);
        /* the inherited pipe, by the value the parent wrote on the command line */
        HANDLE extra = (HANDLE)(uintptr_t)strtoull(argv[3], NULL, 16);
        DWORD n = 0;
        BOOL ok = WriteFile(extra, "via inherited handle\n", 21, &n, NULL);
        printf("child: WriteFile on the inherited handle: %d %lu\n", ok, n);
        return 0x12345;
    }
    if (!strcmp(mode, "env")) {
        const char *v = getenv("NTRUN_SPAWN_TEST");
        printf("env: NTRUN_SPAWN_TEST=%s PATH %s\n", v ? v : "(none)",
               getenv("PATH") ? "set" : "unset");
        return 3;
    }
    if (!strcmp(mode, "sleep")) {
        Sleep(60000);
        return 5;
    }
    return 99;
}

static void read_all(HANDLE h, const char *tag)
{
    char buf[512];
    DWORD n;
    size_t len = 0;
    while (ReadFile(h, buf + len, (DWORD)(sizeof buf - 1 - len), &n, NULL) && n)
        len += n;
    buf[len] = 0;
    printf("%s: read %u bytes after EOF, last error %lu\n", tag, (unsigned)len, GetLastError());
    printf("%s", buf);
}

int main(int argc, char **argv)
{
    if (argc > 1)
        return child(argc, argv);
    char self[MAX_PATH];
    GetModuleFileNameA(NULL, self, MAX_PATH);
    SECURITY_ATTRIBUTES sa = {sizeof sa, NULL, TRUE};

    HANDLE out_r, out_w, in_r, in_w, ex_r, ex_w;
    CreatePipe(&out_r, &out_w, &sa, 0);
    CreatePipe(&in_r, &in_w, &sa, 0);
    CreatePipe(&ex_r, &ex_w, &sa, 0);
    char cmd[MAX_PATH + 128];
    snprintf(cmd, sizeof cmd, "\"%s\" child  \"two words\" %llx  ", self,
             (unsigned long long)(uintptr_t)ex_w);
    STARTUPINFOA si = {sizeof si};
    si.dwFlags = STARTF_USESTDHANDLES;
    si.hStdInput = in_r;
    si.hStdOutput = out_w;
    si.hStdError = GetStdHandle(STD_ERROR_HANDLE);
    PROCESS_INFORMATION pi;
    BOOL ok = CreateProcessA(NULL, cmd, NULL, NULL, TRUE, 0, NULL, NULL, &si, &pi);
    printf("CreateProcess: %d\n", ok);
    if (!ok)
        return 1;
    CloseHandle(out_w);
    CloseHandle(in_r);
    CloseHandle(ex_w);
    DWORD code = 0;
    GetExitCodeProcess(pi.hProcess, &code);
    printf("running: exit code %lu (STILL_ACTIVE %s)\n", code, code == STILL_ACTIVE ? "yes" : "no");
    printf("wait with timeout 0: %lu\n", WaitForSingleObject(pi.hProcess, 0));
    printf("GetProcessId matches: %s\n", GetProcessId(pi.hProcess) == pi.dwProcessId ? "yes" : "no");
    HANDLE again = OpenProcess(PROCESS_QUERY_INFORMATION | SYNCHRONIZE, FALSE, pi.dwProcessId);
    printf("OpenProcess: %s\n", again ? "ok" : "failed");
    DWORD n;
    WriteFile(in_w, "hello child\n", 12, &n, NULL);
    CloseHandle(in_w);
    read_all(out_r, "stdout");
    read_all(ex_r, "extra");
    printf("wait: %lu\n", WaitForSingleObject(pi.hProcess, INFINITE));
    GetExitCodeProcess(pi.hProcess, &code);
    printf("exit code: 0x%lx\n", code);
    GetExitCodeProcess(again, &code);
    printf("exit code through OpenProcess's handle: 0x%lx\n", code);
    printf("wait on hThread: %lu\n", WaitForSingleObject(pi.hThread, INFINITE));
    CloseHandle(again);
    CloseHandle(pi.hThread);
    CloseHandle(pi.hProcess);
    CloseHandle(out_r);
    CloseHandle(ex_r);

    /* an explicit environment block, standard handles from the caller */
    fflush(stdout);
    snprintf(cmd, sizeof cmd, "\"%s\" env", self);
    static char env[] = "NTRUN_SPAWN_TEST=from the block\0OTHER=1\0";
    STARTUPINFOA si2 = {sizeof si2};
    ok = CreateProcessA(self, cmd, NULL, NULL, FALSE, 0, env, NULL, &si2, &pi);
    WaitForSingleObject(pi.hProcess, INFINITE);
    GetExitCodeProcess(pi.hProcess, &code);
    printf("env child: %d, exit code %lu\n", ok, code);
    CloseHandle(pi.hThread);
    CloseHandle(pi.hProcess);

    /* TerminateProcess */
    snprintf(cmd, sizeof cmd, "\"%s\" sleep", self);
    ok = CreateProcessA(NULL, cmd, NULL, NULL, FALSE, 0, NULL, NULL, &si2, &pi);
    printf("sleeper: %d, terminate: %d\n", ok, TerminateProcess(pi.hProcess, 42));
    printf("wait: %lu\n", WaitForSingleObject(pi.hProcess, INFINITE));
    GetExitCodeProcess(pi.hProcess, &code);
    printf("terminated: exit code %lu\n", code);
    CloseHandle(pi.hThread);
    CloseHandle(pi.hProcess);

    /* no such program */
    char missing[] = "no_such_program_ntrun_test arg";
    SetLastError(0);
    ok = CreateProcessA(NULL, missing, NULL, NULL, FALSE, 0, NULL, NULL, &si2, &pi);
    printf("missing program: %d, error %lu\n", ok, GetLastError());
    return 0;
}
