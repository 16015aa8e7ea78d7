/* The console API on a terminal and off it. Without arguments (the PE test, stdout a file and
 * stdin /dev/null): GetConsoleMode, WriteConsoleW and ReadConsoleW on redirected handles fail
 * with ERROR_INVALID_HANDLE, as on Windows, and WriteFile still works.
 * With "tty" (tests/cli/console-pty.sh runs it on a pseudo-terminal): GetConsoleMode on the
 * terminal's handles, ENABLE_VIRTUAL_TERMINAL_PROCESSING set and read back, WriteConsoleW of
 * non-ASCII and non-BMP text (UTF-8 on the terminal, the count in UTF-16 units), an escape
 * sequence passed through, ReadConsoleW of a line typed into the terminal (ending in CR LF),
 * and Ctrl-C typed as ^C reaching the SetConsoleCtrlHandler handler; and what the console's
 * handles are called: NtQueryObject gives \Device\ConDrv for the standard output and for a
 * CONOUT$ handle (as Windows 8 and later name every console handle: System Informer's
 * maintainer, winsiderss/systeminformer#739; Windows' handles as listed by handle tools), type
 * "File"; GetFileType FILE_TYPE_CHAR (documented: "typically an LPT device or a console");
 * GetFinalPathNameByHandle fails (no volume holds a console; the error code is not printed:
 * not confirmed). */
#include <stdio.h>
#include <string.h>
#include <windows.h>
#include <winternl.h>

static HANDLE done;
static volatile DWORD got_event = 99;

static BOOL WINAPI handler(DWORD ev)
{
    got_event = ev;
    SetEvent(done);
    return TRUE;
}

static void say(HANDLE out, const char *s)
{
    DWORD n;
    WriteFile(out, s, (DWORD)strlen(s), &n, NULL);
}

/* ObjectNameInformation (1) or ObjectTypeInformation (2) of h, as UTF-8 into out. */
static void object_string(HANDLE h, ULONG cls, char *out, size_t size)
{
    static NTSTATUS(NTAPI * qo)(HANDLE, ULONG, void *, ULONG, ULONG *);
    if (!qo)
        qo = (void *)GetProcAddress(GetModuleHandleA("ntdll.dll"), "NtQueryObject");
    union {
        UNICODE_STRING us;
        WCHAR w[512];
    } u;
    ULONG got = 0;
    NTSTATUS st = qo ? qo(h, cls, &u, sizeof u, &got) : -1;
    if (st != 0) {
        snprintf(out, size, "(status %#lx)", (unsigned long)st);
        return;
    }
    int n = WideCharToMultiByte(CP_UTF8, 0, u.us.Buffer, u.us.Length / 2, out, (int)size - 1,
                                NULL, NULL);
    out[n > 0 ? n : 0] = 0;
}

static void console_names(HANDLE out)
{
    char line[400], name[100], type[100], con_name[100], con_type[100];
    HANDLE con = CreateFileA("CONOUT$", GENERIC_READ | GENERIC_WRITE, FILE_SHARE_WRITE, NULL,
                             OPEN_EXISTING, 0, NULL);
    object_string(out, 1, name, sizeof name);
    object_string(out, 2, type, sizeof type);
    object_string(con, 1, con_name, sizeof con_name);
    object_string(con, 2, con_type, sizeof con_type);
    WCHAR path[MAX_PATH];
    DWORD fin = GetFinalPathNameByHandleW(out, path, MAX_PATH, 0);
    snprintf(line, sizeof line,
             "console names: stdout [%s] type [%s], CONOUT$ [%s] type [%s], GetFileType %lu %lu, "
             "GetFinalPathNameByHandle fails: %s\n",
             name, type, con_name, con_type, GetFileType(out), GetFileType(con),
             fin == 0 ? "yes" : "no");
    say(out, line);
    CloseHandle(con);
}

static int tty(void)
{
    HANDLE in = GetStdHandle(STD_INPUT_HANDLE), out = GetStdHandle(STD_OUTPUT_HANDLE);
    char line[200];
    DWORD mode = 0;
    BOOL ok = GetConsoleMode(out, &mode);
    snprintf(line, sizeof line, "out mode: %d processed %d\n", ok, !!(mode & ENABLE_PROCESSED_OUTPUT));
    say(out, line);
    ok = SetConsoleMode(out, mode | ENABLE_VIRTUAL_TERMINAL_PROCESSING);
    DWORD again = 0;
    GetConsoleMode(out, &again);
    snprintf(line, sizeof line, "set VT: %d, now %d\n", ok,
             !!(again & ENABLE_VIRTUAL_TERMINAL_PROCESSING));
    say(out, line);
    ok = GetConsoleMode(in, &mode);
    snprintf(line, sizeof line, "in mode: %d line %d echo %d\n", ok, !!(mode & ENABLE_LINE_INPUT),
             !!(mode & ENABLE_ECHO_INPUT));
    say(out, line);
    console_names(out);
    static const WCHAR text[] = L"h\u00e9llo \u20ac \U0001F600\n";
    DWORD n = 0;
    ok = WriteConsoleW(out, text, (DWORD)wcslen(text), &n, NULL);
    snprintf(line, sizeof line, "WriteConsoleW: %d, %lu units\n", ok, n);
    say(out, line);
    WriteConsoleW(out, L"\x1b[1mbold\x1b[0m\n", 13, &n, NULL);
    say(out, "type a line\n");
    WCHAR buf[100];
    ok = ReadConsoleW(in, buf, 100, &n, NULL);
    char utf8[300];
    int len = WideCharToMultiByte(CP_UTF8, 0, buf, (int)n, utf8, sizeof utf8, NULL, NULL);
    snprintf(line, sizeof line, "ReadConsoleW: %d, %lu units, ends in CR LF %s: [%.*s]\n", ok, n,
             n >= 2 && buf[n - 2] == '\r' && buf[n - 1] == '\n' ? "yes" : "no",
             len > 2 ? len - 2 : 0, utf8);
    say(out, line);
    done = CreateEventA(NULL, FALSE, FALSE, NULL);
    SetConsoleCtrlHandler(handler, TRUE);
    say(out, "press ctrl-c\n");
    DWORD w = WaitForSingleObject(done, 20000);
    snprintf(line, sizeof line, "ctrl-c: wait %lu, event %lu\n", w, got_event);
    say(out, line);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc > 1 && !strcmp(argv[1], "tty"))
        return tty();
    HANDLE in = GetStdHandle(STD_INPUT_HANDLE), out = GetStdHandle(STD_OUTPUT_HANDLE);
    DWORD mode = 0xcc, n = 0xcc;
    SetLastError(0);
    BOOL ok = GetConsoleMode(out, &mode);
    printf("redirected stdout: GetConsoleMode %d error %lu\n", ok, GetLastError());
    ok = GetConsoleMode(in, &mode);
    printf("redirected stdin: GetConsoleMode %d error %lu\n", ok, GetLastError());
    fflush(stdout);
    ok = WriteConsoleW(out, L"x\n", 2, &n, NULL);
    printf("WriteConsoleW: %d error %lu\n", ok, GetLastError());
    WCHAR buf[8];
    ok = ReadConsoleW(in, buf, 8, &n, NULL);
    printf("ReadConsoleW: %d error %lu\n", ok, GetLastError());
    fflush(stdout);
    ok = WriteFile(out, "WriteFile works\r\n", 17, &n, NULL);
    printf("WriteFile: %d %lu\n", ok, n);
    return 0;
}
