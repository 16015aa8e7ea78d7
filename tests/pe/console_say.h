/* Shared by the console PE tests that run on a terminal (console_input.c, console_wait.c): a
 * line written to the console itself (CONOUT$, whatever standard output is redirected to), so
 * that the pseudo-terminal driver (tests/tools/pty-drive.py) sees it and knows where the
 * program is. say_ending ends it with `end` (a line end, or a sequence before it). */
#ifndef NTRUN_TESTS_PE_CONSOLE_SAY_H
#define NTRUN_TESTS_PE_CONSOLE_SAY_H
#include <string.h>
#include <windows.h>

static void say_ending(const char *s, const char *end)
{
    HANDLE out = CreateFileA("CONOUT$", GENERIC_READ | GENERIC_WRITE,
                             FILE_SHARE_READ | FILE_SHARE_WRITE, NULL, OPEN_EXISTING, 0, NULL);
    DWORD n;
    WriteConsoleA(out, s, (DWORD)strlen(s), &n, NULL);
    WriteConsoleA(out, end, (DWORD)strlen(end), &n, NULL);
    CloseHandle(out);
}

static void say(const char *s) { say_ending(s, "\r\n"); }

#endif
