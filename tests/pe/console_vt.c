/* The screen buffer after VT output that moves cells about, read back with
 * ReadConsoleOutputCharacterW and ReadConsoleOutputW, as the console host keeps it with
 * ENABLE_VIRTUAL_TERMINAL_PROCESSING: DECSTBM's scrolling region (a line feed on its last row
 * scrolls only the region; RI on its first row; IL inside it; the cursor home when set), the
 * alternate screen (?1049h clears it and keeps the main screen, ?1049l gives the main screen
 * and the cursor back; the cursor stays where it was on entering; GetConsoleScreenBufferInfo(Ex)
 * reports the alternate buffer, the window's size, and then the main buffer again; the buffer
 * calls' range is the alternate buffer's while it is shown), DECCRA (a rectangle copied,
 * the source kept); the cursor from GetConsoleScreenBufferInfo. WriteConsoleOutputW's
 * COMMON_LVB_LEADING_BYTE and TRAILING_BYTE as conhost writes them (its ROW::WriteCells), read
 * back with ReadConsoleOutputW; C1 control characters with VT processing off (characters in
 * the buffer, '?' on the terminal) and on (dropped, as conhost's VT parser ignores them, also
 * when one's UTF-8 is split between two writes); 256-colour and RGB SGR as conhost's legacy attributes.
 *
 * With "tty" (tests/cli/console-vt-pty.sh runs it on an 80x24 pseudo-terminal, stdout a file);
 * with no console (the PE test) it says so. Wine 8.0's console processes none of these
 * sequences (it keeps ESC as text), so it is no second opinion here; the expected screens are
 * xterm's and conhost's alike (tmux, as a terminal, shows the same rows: docs/testing.md). */
#include <windows.h>
#include <stdio.h>
#include <string.h>
#include <wchar.h>
#include "console_row.h"

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

/* Row y from column 0: `len` characters as text ('.' for a space), then the cursor. */
static void show(const char *what, int y, int len)
{
    console_show_row(out, what, 0, y, len);
}

/* GetConsoleScreenBufferInfo and GetConsoleScreenBufferInfoEx: the buffer's size, the window,
 * the largest window, the cursor. */
static void info(const char *what)
{
    CONSOLE_SCREEN_BUFFER_INFO b;
    CONSOLE_SCREEN_BUFFER_INFOEX x = {sizeof x};
    BOOL ok = GetConsoleScreenBufferInfo(out, &b), okx = GetConsoleScreenBufferInfoEx(out, &x);
    printf("%s %d: buffer %dx%d window %d,%d-%d,%d largest %dx%d cursor %d,%d\n", what, ok,
           b.dwSize.X, b.dwSize.Y, b.srWindow.Left, b.srWindow.Top, b.srWindow.Right,
           b.srWindow.Bottom, b.dwMaximumWindowSize.X, b.dwMaximumWindowSize.Y,
           b.dwCursorPosition.X, b.dwCursorPosition.Y);
    printf("%s Ex %d: buffer %dx%d window %d,%d-%d,%d cursor %d,%d\n", what, okx, x.dwSize.X,
           x.dwSize.Y, x.srWindow.Left, x.srWindow.Top, x.srWindow.Right, x.srWindow.Bottom,
           x.dwCursorPosition.X, x.dwCursorPosition.Y);
}

/* The buffer calls' range (conhost's alternate buffer is the window's size, 80x24 here, the
 * main one 80x9001): a fill of 200 cells from the last row's start, a write of 4 characters
 * from its next-to-last column, a read of 200 characters from there, ReadConsoleOutputW of
 * rows 22-30, a scroll of rows 24-25 to row 20, SetConsoleCursorPosition to row 24. */
static void ranges(const char *what)
{
    DWORD n = 0;
    COORD c = {0, 23};
    BOOL ok = FillConsoleOutputCharacterW(out, L'z', 200, c, &n);
    printf("%s: fill 200 from 0,23 %d %lu\n", what, ok, n);
    c.X = 78;
    n = 0;
    ok = WriteConsoleOutputCharacterW(out, L"wxyz", 4, c, &n);
    printf("%s: write 4 at 78,23 %d %lu\n", what, ok, n);
    WCHAR buf[200];
    c.X = 0;
    n = 0;
    ok = ReadConsoleOutputCharacterW(out, buf, 200, c, &n);
    printf("%s: read 200 from 0,23 %d %lu [%lc%lc]\n", what, ok, n, (wint_t)buf[78], (wint_t)buf[79]);
    CHAR_INFO ci[2 * 9];
    SMALL_RECT r = {0, 22, 1, 30};
    COORD size = {2, 9}, from = {0, 0};
    ok = ReadConsoleOutputW(out, ci, size, from, &r);
    printf("%s: ReadConsoleOutputW 0,22-1,30 %d: %d,%d-%d,%d\n", what, ok, r.Left, r.Top, r.Right,
           r.Bottom);
    SMALL_RECT sr = {0, 24, 79, 25};
    COORD dest = {0, 20};
    CHAR_INFO fill = {{' '}, 7};
    SetLastError(0);
    ok = ScrollConsoleScreenBufferW(out, &sr, NULL, dest, &fill);
    printf("%s: scroll rows 24-25 %d %lu\n", what, ok, ok ? 0 : GetLastError());
    COORD p = {0, 24};
    SetLastError(0);
    ok = SetConsoleCursorPosition(out, p);
    printf("%s: SetConsoleCursorPosition 0,24 %d %lu\n", what, ok, ok ? 0 : GetLastError());
}

/* rows 0-7 "row0".."row7", the rest of the window blank */
static void numbered(void)
{
    at(0, 0);
    put("\x1b[2J");
    for (int y = 0; y < 8; y++) {
        char line[16];
        snprintf(line, sizeof line, "\x1b[%d;1Hrow%d", y + 1, y);
        put(line);
    }
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
    SetConsoleMode(out, mode | ENABLE_VIRTUAL_TERMINAL_PROCESSING);
    SetConsoleTextAttribute(out, 7);

    /* the scrolling region rows 3-6 (1-based 3;6) */
    numbered();
    put("\x1b[3;6r");
    show("DECSTBM: the cursor home", 0, 4);
    put("\x1b[6;1H\nnew");
    for (int y = 1; y < 8; y++)
        show("LF on the region's last row", y, 4);
    put("\x1b[3;1H\x1bMtop");
    for (int y = 2; y < 7; y++)
        show("RI on its first row", y, 4);
    put("\x1b[4;1H\x1b[Lins");
    for (int y = 3; y < 7; y++)
        show("IL inside it", y, 4);
    put("\x1b[r");

    /* the alternate screen */
    numbered();
    at(5, 2);
    put("\x1b[?1049h");
    show("?1049h: blank", 0, 4);
    show("?1049h: blank", 2, 4);
    put("alt");
    show("text on the alternate screen", 2, 8);
    at(3, 23);
    info("?1049h: the alternate buffer");
    ranges("the alternate buffer");
    at(8, 2);
    put("\x1b[?1049l");
    show("?1049l: the main screen", 0, 4);
    show("?1049l: the main screen", 2, 8);
    info("?1049l: the main buffer");
    ranges("the main buffer");

    /* DECCRA: rows 0-1, columns 0-3 copied to row 10, column 6 */
    numbered();
    at(0, 20);
    put("\x1b[1;1;2;4;1;11;7;1$v");
    show("DECCRA: the source", 0, 4);
    show("DECCRA: the copy", 10, 10);
    show("DECCRA: the copy", 11, 10);

    /* WriteConsoleOutputW with COMMON_LVB_LEADING_BYTE / TRAILING_BYTE, as conhost writes
     * them: a leading and a trailing cell one wide character; a trailing cell first in the
     * rectangle the character over the column before it; a leading cell in the rectangle's
     * last column the character past it; without the flags a wide character in one cell; a
     * leading cell in the buffer's last column a space there, the character at the next row's
     * start; a trailing cell in the first column a space. */
    static const struct {
        int x, y, w;
        CHAR_INFO ci[4];
        const char *what;
    } writes[] = {
        {0, 12, 4, {{{'a'}, 7}, {{0x4e2d}, 0x107}, {{0x4e2d}, 0x207}, {{'b'}, 7}}, "pair"},
        {6, 12, 2, {{{0x6587}, 0x207}, {{'c'}, 7}}, "trailing first"},
        {10, 12, 2, {{{'d'}, 7}, {{0x5b57}, 0x107}}, "leading last"},
        {20, 12, 2, {{{0x4e2d}, 7}, {{'e'}, 7}}, "no flags"},
        {79, 13, 1, {{{0x6587}, 0x107}}, "leading in the last column"},
        {0, 15, 1, {{{0x5b57}, 0x207}}, "trailing in the first column"},
    };
    at(0, 20);
    for (size_t i = 0; i < sizeof writes / sizeof *writes; i++) {
        COORD size = {(SHORT)writes[i].w, 1}, from = {0, 0};
        SMALL_RECT r = {(SHORT)writes[i].x, (SHORT)writes[i].y,
                        (SHORT)(writes[i].x + writes[i].w - 1), (SHORT)writes[i].y};
        BOOL ok = WriteConsoleOutputW(out, writes[i].ci, size, from, &r);
        printf("WriteConsoleOutputW %s %d: %d,%d-%d,%d\n", writes[i].what, ok, r.Left, r.Top,
               r.Right, r.Bottom);
    }
    static const SMALL_RECT reads[] = {{0, 12, 13, 12}, {20, 12, 21, 12}, {78, 13, 79, 13},
                                       {0, 14, 2, 14}, {0, 15, 1, 15}};
    for (size_t i = 0; i < sizeof reads / sizeof *reads; i++) {
        CHAR_INFO ci[14];
        SMALL_RECT r = reads[i];
        COORD size = {(SHORT)(r.Right - r.Left + 1), 1}, from = {0, 0};
        BOOL ok = ReadConsoleOutputW(out, ci, size, from, &r);
        printf("ReadConsoleOutputW %d,%d %d:", reads[i].Left, reads[i].Top, ok);
        for (int x = 0; x < size.X; x++)
            printf(" %04x/%04x", ci[x].Char.UnicodeChar, ci[x].Attributes);
        printf("\n");
    }

    /* C1 control characters with VT processing off: characters in the buffer, '?' on the
     * terminal (tests/cli/console-vt-pty.sh), U+009B not a CSI */
    DWORD vt = 0, n = 0;
    GetConsoleMode(out, &vt);
    SetConsoleMode(out, vt & ~ENABLE_VIRTUAL_TERMINAL_PROCESSING);
    at(0, 16);
    WriteConsoleW(out, L"x\x0085y\x009b" L"31mz", 8, &n, NULL);
    SetConsoleMode(out, vt);
    show("C1 with VT processing off", 16, 9);
    /* with VT processing on: dropped, as conhost's VT parser ignores them (U+009B no CSI:
     * "31m" is text), also when the UTF-8 of one is split between two WriteFile calls */
    at(0, 17);
    WriteConsoleW(out, L"x\x0085y\x009b" L"31mz", 8, &n, NULL);
    show("C1 with VT processing on", 17, 8);
    UINT cp = GetConsoleOutputCP();
    SetConsoleOutputCP(65001);
    at(0, 18);
    WriteFile(out, "a\xc2", 2, &n, NULL);
    WriteFile(out, "\x85" "b\xc2", 3, &n, NULL);
    WriteFile(out, "\x9b" "c", 2, &n, NULL);
    SetConsoleOutputCP(cp);
    show("C1 split between writes", 18, 4);

    /* 256-colour and RGB SGR: the legacy attribute conhost gives them */
    static const char *const colours[] = {"\x1b[38;5;196m", "\x1b[38;5;21m", "\x1b[38;2;255;128;0m",
                                          "\x1b[48;2;0;0;140m", "\x1b[1;38;5;1m"};
    CONSOLE_SCREEN_BUFFER_INFO b;
    printf("SGR colours:");
    for (size_t i = 0; i < sizeof colours / sizeof *colours; i++) {
        put("\x1b[0m");
        put(colours[i]);
        GetConsoleScreenBufferInfo(out, &b);
        printf(" %04x", b.wAttributes);
    }
    printf("\n");
    put("\x1b[0m");
    return 0;
}
