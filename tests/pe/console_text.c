/* The screen buffer follows text written to the console (WriteConsoleA/W, WriteFile), as the
 * console host writes it in processed output mode: read back with ReadConsoleOutputCharacterW
 * and ReadConsoleOutputAttribute, the cursor from GetConsoleScreenBufferInfo. Checked: text from
 * the cursor on, in SetConsoleTextAttribute's attribute; CR; LF (to the next line's start); TAB
 * (spaces to the next multiple of 8); BS (one left, never past the line's start, the cell
 * kept); a character in the last column (the cursor stays there until the next character
 * wraps); a line feed on the window's last row (the rows move up); UTF-8 through WriteFile with
 * the console output code page 65001, a character split between two writes; SGR sequences
 * change no cell; other escape sequences make the cursor unknown (the terminal is asked again).
 *
 * The last column is Windows' with ENABLE_VIRTUAL_TERMINAL_PROCESSING (a terminal always wraps
 * late); Wine 8.0's console (the legacy mode) wraps at once (cursor 0,6 after "01234"), moves a
 * TAB in the last column to the next line, and shows a UTF-8 character split between two writes
 * as two U+FFFD; everything else here it gives the same.
 *
 * With "tty" (tests/cli/console-text-pty.sh runs it on an 80x24 pseudo-terminal, stdout a
 * file); with no console (the PE test) it says so. */
#include <windows.h>
#include <stdio.h>
#include <string.h>

static HANDLE out;

static void at(int x, int y)
{
    COORD c = {(SHORT)x, (SHORT)y};
    SetConsoleCursorPosition(out, c);
}

static void put(const char *s)
{
    DWORD n;
    WriteConsoleA(out, s, (DWORD)strlen(s), &n, NULL);
}

static void put_wide(const WCHAR *s)
{
    DWORD n;
    WriteConsoleW(out, s, (DWORD)wcslen(s), &n, NULL);
}

static void putf(const char *s, DWORD len)
{
    DWORD n;
    WriteFile(out, s, len, &n, NULL);
}

/* Row y from column x: `len` characters as text ('.' for a space), then the cursor. */
static void show(const char *what, int x, int y, int len)
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
        else if (ch[i] < 0x80)
            printf("%c", (char)ch[i]);
        else
            printf("<%04x>", ch[i]);
    }
    printf("] cursor %d,%d\n", b.dwCursorPosition.X, b.dwCursorPosition.Y);
}

int main(int argc, char **argv)
{
    out = CreateFileA("CONOUT$", GENERIC_READ | GENERIC_WRITE, FILE_SHARE_READ | FILE_SHARE_WRITE,
                      NULL, OPEN_EXISTING, 0, NULL);
    DWORD mode;
    if (argc < 2 || strcmp(argv[1], "tty") || !GetConsoleMode(out, &mode)) {
        printf("no console\n");
        return 0;
    }
    SetConsoleTextAttribute(out, 7);
    at(0, 2); /* the cursor is known from here on */
    put("hello");
    show("text", 0, 2, 8);
    SetConsoleTextAttribute(out, FOREGROUND_RED | FOREGROUND_GREEN | BACKGROUND_BLUE);
    put_wide(L" w\x00f6rld");
    SetConsoleTextAttribute(out, 7);
    show("wide text", 0, 2, 12);
    WORD attr[8];
    DWORD n = 0;
    COORD c4 = {4, 2};
    ReadConsoleOutputAttribute(out, attr, 4, c4, &n);
    printf("attributes %lu: %04x %04x %04x %04x\n", n, attr[0], attr[1], attr[2], attr[3]);
    put("\rHE");
    show("CR", 0, 2, 12);
    put("\na\tb");
    show("LF and TAB", 0, 3, 10);
    put("\nxy\b\bZ");
    show("BS", 0, 4, 3);
    put("\r\b\bq");
    show("BS at the start", 0, 4, 3);

    at(75, 5);
    put("01234");
    show("to the last column", 75, 5, 5);
    put("56789");
    show("wrapped", 0, 6, 6);
    at(76, 7);
    put("abc\tX");
    show("TAB near the end", 76, 7, 4);
    put("\r\n");
    show("CR LF after the last column", 0, 8, 1);

    /* UTF-8 through WriteFile, one character split between two writes */
    UINT cp = GetConsoleOutputCP();
    SetConsoleOutputCP(CP_UTF8);
    at(0, 9);
    putf("\xc3\xa9t\xc3", 4);
    putf("\xa9!", 2);
    SetConsoleOutputCP(cp);
    show("UTF-8 by WriteFile", 0, 9, 5);
    put("\x1b[31mred\x1b[0m");
    show("SGR", 0, 9, 7);

    /* the window's last row: a line feed moves the rows up */
    at(0, 22);
    put("second last");
    at(0, 23);
    put("last\n");
    show("scrolled: the last row", 0, 22, 4);
    show("scrolled: the one before", 0, 21, 11);
    show("scrolled: the new row", 0, 23, 4);
    show("scrolled: row 1 (was 2)", 0, 1, 5);
    put("end");
    show("after the scroll", 0, 23, 3);

    /* not followed: the cursor comes from the terminal (answered 5,5), the cells are gone */
    put("\x1b[5;5H");
    show("after a cursor sequence", 0, 23, 3);
    return 0;
}
