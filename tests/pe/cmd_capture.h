/* Shared by the cmd tests (cmd_basic, cmd_batch, cmd_file, ...): runs the command line `line`
 * through CreateProcessA (with lpApplicationName `app`, or NULL) with stdout and stderr into one
 * pipe and stdin inherited, and gives back its output with CR LF as LF (printf's text mode puts
 * the CR back) and its exit code. FALSE, with the last error of CreateProcess, when it could
 * not start. */
#include <stdio.h>
#include <string.h>
#include <windows.h>

static BOOL cmd_capture_app(const char *app, const char *line, char *buf, size_t size,
                            DWORD *code)
{
    char cmd[2048];
    snprintf(cmd, sizeof cmd, "%s", line);
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
    BOOL ok = CreateProcessA(app, cmd, NULL, NULL, TRUE, 0, NULL, NULL, &si, &pi);
    DWORD err = GetLastError();
    CloseHandle(w);
    if (!ok) {
        CloseHandle(r);
        SetLastError(err);
        return FALSE;
    }
    DWORD n, len = 0;
    while (len < size - 1 && ReadFile(r, buf + len, (DWORD)(size - 1 - len), &n, NULL) && n)
        len += n;
    buf[len] = 0;
    for (char *s = buf, *d = buf;; s++)
        if (*s != '\r' && !(*d++ = *s))
            break;
    WaitForSingleObject(pi.hProcess, INFINITE);
    GetExitCodeProcess(pi.hProcess, code);
    CloseHandle(pi.hProcess);
    CloseHandle(pi.hThread);
    CloseHandle(r);
    return TRUE;
}

static inline BOOL cmd_capture(const char *line, char *buf, size_t size, DWORD *code)
{
    return cmd_capture_app(NULL, line, buf, size, code);
}

/* Runs `line` and prints "[label] exit N:" and its output on the lines after (ended with a
 * newline when the output does not end with one). */
static inline void cmd_show(const char *label, const char *line)
{
    static char out[8192];
    DWORD code;
    printf("[%s] ", label);
    if (!cmd_capture(line, out, sizeof out, &code)) {
        printf("CreateProcess failed, error %lu\n", GetLastError());
        return;
    }
    printf("exit %lu:\n%s%s", code, out, *out && out[strlen(out) - 1] != '\n' ? "\n" : "");
}
