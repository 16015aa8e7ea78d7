/* CreateProcess of a batch file runs it as Windows does: "%COMSPEC% /c "<command line>"". The
 * interpreter is Wine 8.0's cmd.exe from the corpus (tests/corpus, copied to the build tree; the
 * test is skipped without it). Covers a .bat found on the command line with its arguments (one
 * quoted), a .cmd named by lpApplicationName, the batch's exit code through `exit /b`, its
 * output through a redirected stdout, "t" not finding t.bat (only .exe is appended), and a
 * COMSPEC that names no file: ERROR_FILE_NOT_FOUND. */
#include <stdio.h>
#include <string.h>
#include <windows.h>

static void put(const char *name, const char *text)
{
    FILE *f = fopen(name, "wb");
    fputs(text, f);
    fclose(f);
}

static void run(const char *app, const char *line)
{
    char cmd[512];
    snprintf(cmd, sizeof cmd, "%s", line ? line : "");
    SECURITY_ATTRIBUTES sa = {sizeof sa, NULL, TRUE};
    HANDLE r, w;
    CreatePipe(&r, &w, &sa, 0);
    SetHandleInformation(r, HANDLE_FLAG_INHERIT, 0);
    STARTUPINFOA si = {sizeof si};
    si.dwFlags = STARTF_USESTDHANDLES;
    si.hStdInput = GetStdHandle(STD_INPUT_HANDLE);
    si.hStdOutput = w;
    si.hStdError = w;
    PROCESS_INFORMATION pi;
    SetLastError(0xdead);
    BOOL ok = CreateProcessA(app, line ? cmd : NULL, NULL, NULL, TRUE, 0, NULL, NULL, &si, &pi);
    CloseHandle(w);
    printf("[%s] [%s]: CreateProcess %d", app ? app : "(null)", line ? line : "(null)", ok);
    if (!ok) {
        printf(", error %lu\n", GetLastError());
        CloseHandle(r);
        return;
    }
    char buf[512];
    DWORD n, len = 0;
    while (len < sizeof buf - 1 && ReadFile(r, buf + len, sizeof buf - 1 - len, &n, NULL) && n)
        len += n;
    buf[len] = 0;
    for (char *s = buf, *d = buf;; s++) /* cmd's CRLF; printf's text mode adds the CR again */
        if (*s != '\r' && !(*d++ = *s))
            break;
    DWORD code;
    WaitForSingleObject(pi.hProcess, INFINITE);
    GetExitCodeProcess(pi.hProcess, &code);
    printf(", exit code %lu, output:\n%s", code, buf);
    CloseHandle(pi.hProcess);
    CloseHandle(pi.hThread);
    CloseHandle(r);
}

int main(void)
{
    /* Wine's cmd.exe: <build>\tests\corpus\bin\cmd.exe, beside <build>\tests\pe\this.exe */
    char cmd_exe[MAX_PATH];
    DWORD n = GetModuleFileNameA(NULL, cmd_exe, MAX_PATH);
    while (n && cmd_exe[n - 1] != '\\')
        n--;
    snprintf(cmd_exe + n, MAX_PATH - n, "..\\corpus\\bin\\cmd.exe");
    if (GetFileAttributesA(cmd_exe) == INVALID_FILE_ATTRIBUTES) {
        printf("no cmd.exe at %s\n", cmd_exe);
        return 77;
    }
    SetEnvironmentVariableA("COMSPEC", cmd_exe);
    put("t.bat", "@echo off\r\necho batch: [%1] [%~2]\r\nexit /b 7\r\n");
    put("u.cmd", "@echo off\r\necho cmd file: %0\r\n");
    run(NULL, "t.bat one \"two words\"");
    run("u.cmd", NULL);
    run(NULL, "t");
    SetEnvironmentVariableA("COMSPEC", "Z:\\no\\such\\cmd.exe");
    run(NULL, "t.bat");
    return 0;
}
