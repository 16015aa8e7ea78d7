/* What the console screen-buffer tests (console_text.c, console_vt.c) print of the buffer:
 * console_show_row(out, what, x, y, len) reads `len` characters of row y from column x
 * (ReadConsoleOutputCharacterW) and prints "what OK [text] cursor X,Y": OK ReadConsole's result,
 * the text with '.' for a space and <hhhh> for what is not printable ASCII, then where the
 * cursor is (GetConsoleScreenBufferInfo). */
#ifndef NTRUN_TESTS_PE_CONSOLE_ROW_H
#define NTRUN_TESTS_PE_CONSOLE_ROW_H
#include <stdio.h>
#include <windows.h>

static inline void console_show_row(HANDLE out, const char *what, int x, int y, int len)
{
    WCHAR ch[100];
    DWORD n = 0;
    COORD c = {(SHORT)x, (SHORT)y};
    BOOL ok = ReadConsoleOutputCharacterW(out, ch, (DWORD)len, c, &n);
    CONSOLE_SCREEN_BUFFER_INFO b;
    GetConsoleScreenBufferInfo(out, &b);
    printf("%s %d [", what, ok);
    for (DWORD i = 0; i < n; i++) {
        if (ch[i] == ' ')
            printf(".");
        else if (ch[i] >= 0x20 && ch[i] < 0x80)
            printf("%c", (char)ch[i]);
        else
            printf("<%04x>", ch[i]);
    }
    printf("] cursor %d,%d\n", b.dwCursorPosition.X, b.dwCursorPosition.Y);
}
#endif
