/* The screen buffer after VT output that moves cells about, read back with
 * ReadConsoleOutputCharacterW and ReadConsoleOutputW, as the console host keeps it with
 * ENABLE_VIRTUAL_TERMINAL_PROCESSING: DECSTBM's scrolling region (a line feed on its last row
 * scrolls only the region; RI on its first row; IL inside it; the cursor home when set), the
 * alternate screen (?1049h clears it and keeps the main screen, ?1049l gives the main screen
 * and the cursor back; the cursor stays where it was on entering), DECCRA (a rectangle copied,
 * the source kept); the cursor from GetConsoleScreenBufferInfo.
 *
 * With "tty" (tests/cli/console-vt-pty.sh runs it on an 80x24 pseudo-terminal, stdout a file);
 * with no console (the PE test) it says so. Wine 8.0's console processes none of these
 * sequences (it keeps ESC as text), so it is no second opinion here; the expected screens are
 * xterm's and conhost's alike (tmux, as a terminal, shows the same rows: docs/testing.md). */
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

/* Row y from column 0: `len` characters as text ('.' for a space), then the cursor. */
static void show(const char *what, int y, int len)
{
    WCHAR ch[100];
    DWORD n = 0;
    COORD c = {0, (SHORT)y};
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
    put("\x1b[?1049l");
    show("?1049l: the main screen", 0, 4);
    show("?1049l: the main screen", 2, 8);

    /* DECCRA: rows 0-1, columns 0-3 copied to row 10, column 6 */
    numbered();
    at(0, 20);
    put("\x1b[1;1;2;4;1;11;7;1$v");
    show("DECCRA: the source", 0, 4);
    show("DECCRA: the copy", 10, 10);
    show("DECCRA: the copy", 11, 10);
    return 0;
}
