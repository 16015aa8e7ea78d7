/* The line editor's pop-ups on a terminal (tests/cli/console-popup-pty.sh types the keys): a
 * cooked ReadConsoleW with echo reads lines; F2 copies the last command up to a character, F4
 * deletes up to one, F7's list puts the command selected on the line and Enter enters it, F9
 * recalls a command by number; each pop-up is drawn over the window's centre and what it
 * covered comes back when it closes (a marker written with WriteConsoleOutputCharacterA under
 * the pop-ups, read back after them). The lines read are printed, with the marker.
 *
 * With "tty"; with no console (the PE test) it says so. */
#include <windows.h>
#include <stdio.h>
#include <string.h>
#include "console_say.h"

static HANDLE in, out;

static void read_line(const char *prompt)
{
    WCHAR buf[64];
    DWORD n = 0;
    say(prompt);
    BOOL ok = ReadConsoleW(in, buf, 64, &n, NULL);
    printf("%s %d [", prompt, ok);
    for (DWORD i = 0; i < n; i++) {
        if (buf[i] == '\r')
            printf("\\r");
        else if (buf[i] == '\n')
            printf("\\n");
        else
            printf("%c", buf[i] < 0x80 ? (char)buf[i] : '?');
    }
    printf("]\n");
}

static void marker(const char *what)
{
    char m[8] = {0};
    DWORD n = 0;
    COORD at = {30, 11};
    ReadConsoleOutputCharacterA(out, m, 6, at, &n);
    printf("%s: %lu [%s]\n", what, n, m);
}

int main(int argc, char **argv)
{
    in = CreateFileA("CONIN$", GENERIC_READ | GENERIC_WRITE, FILE_SHARE_READ | FILE_SHARE_WRITE,
                     NULL, OPEN_EXISTING, 0, NULL);
    out = CreateFileA("CONOUT$", GENERIC_READ | GENERIC_WRITE, FILE_SHARE_READ | FILE_SHARE_WRITE,
                      NULL, OPEN_EXISTING, 0, NULL);
    DWORD mode;
    if (argc < 2 || strcmp(argv[1], "tty") || !GetConsoleMode(in, &mode)) {
        printf("no console\n");
        return 0;
    }
    SetConsoleMode(in, ENABLE_PROCESSED_INPUT | ENABLE_LINE_INPUT | ENABLE_ECHO_INPUT |
                           ENABLE_INSERT_MODE | ENABLE_EXTENDED_FLAGS);
    COORD home = {0, 0}, at = {30, 11};
    SetConsoleCursorPosition(out, home); /* the cursor known: the echo is followed */
    DWORD n;
    WriteConsoleOutputCharacterA(out, "MARKER", 6, at, &n);
    read_line("first");  /* alpha */
    read_line("second"); /* beta */
    read_line("F2");     /* F2 'a': "bet" copied from "beta" */
    marker("after F2");
    read_line("F4");     /* "one two", Home, F4 't': "two" */
    read_line("F7");     /* F7 (the current command, "two"), Up twice, Enter: "beta" */
    marker("after F7");
    read_line("F9");     /* F9 0 Enter: "alpha" on the line, then "!" and Enter */
    marker("after F9");
    return 0;
}
