/* The screen buffer follows text written to the console (WriteConsoleA/W, WriteFile), as the
 * console host writes it in processed output mode with ENABLE_VIRTUAL_TERMINAL_PROCESSING: read
 * back with ReadConsoleOutputCharacterW and ReadConsoleOutputAttribute, the cursor from
 * GetConsoleScreenBufferInfo. Checked: text from the cursor on, in SetConsoleTextAttribute's
 * attribute; CR; LF (to the next line's start); TAB (spaces to the next multiple of 8); BS (one
 * left, never past the line's start, the cell kept); a character in the last column (the
 * cursor stays there until the next character wraps); a line feed on the window's last row
 * (the rows move up); UTF-8 through WriteFile with the console output code page 65001, a
 * character split between two writes; escape sequences: CUP, CUB/CUU/CUD/CUF, CHA/VPA, EL
 * (both ways), ECH, ICH, DCH, DECSC/DECRC, CSI s/u, ED; SGR sequences change the current
 * attribute (wAttributes) as conhost maps them to legacy attributes, and the cells written
 * after them; the line editor's echo of a cooked ReadConsoleW (keys queued with
 * WriteConsoleInputW, an edit in the middle of the line); wide (CJK) characters take two cells
 * (read back as one character, COMMON_LVB_LEADING_BYTE/TRAILING_BYTE on the halves, a half cut
 * off by the read's ends a space, a half overwritten losing the other, one that does not fit
 * in the last column wrapping); ENABLE_WRAP_AT_EOL_OUTPUT off (the last column overwritten;
 * DECAWM sets the mode); insert mode (IRM), tab stops (HTS, TBC, CHT), REP, an erasure of
 * half a wide character; WriteConsoleOutputCharacterW's wide characters (two cells, the
 * count in characters, the last column skipped); ENABLE_VIRTUAL_TERMINAL_PROCESSING off (ESC a
 * character, no SGR) and ENABLE_PROCESSED_OUTPUT off (TAB, CR, LF characters too), as the
 * console host keeps them (the terminal shown their glyphs); origin mode (CUP/VPA from the top
 * margin and inside the region, DECSC/DECRC, SetConsoleCursorPosition and the cursor position
 * report counted from the margin, the buffer calls' drawing with it off).
 *
 * The last column is Windows' with ENABLE_VIRTUAL_TERMINAL_PROCESSING (a terminal always wraps
 * late); Wine 8.0's console (the legacy mode) wraps at once (cursor 0,6 after "01234"), moves a
 * TAB in the last column to the next line, and shows a UTF-8 character split between two writes
 * as two U+FFFD; everything else before the escape sequences it gives the same. Wine 8.0's
 * console does not process VT sequences even with ENABLE_VIRTUAL_TERMINAL_PROCESSING: it keeps
 * ESC and the rest as text, its wAttributes stay 0007, so it is no second opinion there (the
 * echo it gives the same). Nor for wide characters (one cell each, no halves) and the last
 * column without ENABLE_WRAP_AT_EOL_OUTPUT (where it overwrote the first of three characters).
 * The SGR mapping is conhost's (its TextAttribute's legacy
 * attributes), the movements and erasures xterm's and conhost's alike.
 *
 * With "tty" (tests/cli/console-text-pty.sh runs it on an 80x24 pseudo-terminal, stdout a
 * file); with no console (the PE test) it says so. */
#include <windows.h>
#include <stdio.h>
#include <string.h>
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
    console_show_row(out, what, x, y, len);
}

/* One step: the cursor put at (ax, ay) unless ax < 0, text written (if any), then row y from
 * column x shown as `what` (if any). */
struct step {
    int ax, ay;
    const char *text, *what;
    int x, y, len;
};

static void run(const struct step *s, size_t n)
{
    for (; n--; s++) {
        if (s->ax >= 0)
            at(s->ax, s->ay);
        if (s->text)
            put(s->text);
        if (s->what)
            show(s->what, s->x, s->y, s->len);
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
    /* escape sequences are sequences, not text (as the runtime's terminal always takes them) */
    SetConsoleMode(out, mode | ENABLE_VIRTUAL_TERMINAL_PROCESSING);
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

    /* the window's last row: a line feed moves the rows up; an absolute move (the cursor
     * known without asking, the cells kept); cursor movement, erasure, insertion and deletion,
     * saved cursors */
    static const struct step steps[] = {
        {0, 22, "second last", NULL},
        {0, 23, "last\n", "scrolled: the last row", 0, 22, 4},
        {-1, 0, NULL, "scrolled: the one before", 0, 21, 11},
        {-1, 0, NULL, "scrolled: the new row", 0, 23, 4},
        {-1, 0, NULL, "scrolled: row 1 (was 2)", 0, 1, 5},
        {-1, 0, "end", "after the scroll", 0, 23, 3},
        {-1, 0, "\x1b[5;5H", "after CUP", 0, 23, 3},
        {0, 10, "abcdef\x1b[3DX", "CUB", 0, 10, 6},
        {-1, 0, "\x1b[2A", "CUU", 0, 10, 0},
        {-1, 0, "\x1b[3B\x1b[5C", "CUD CUF", 0, 10, 0},
        {-1, 0, "\x1b[20G\x1b[13d", "CHA VPA", 0, 10, 0},
        {-1, 0, "\x1b[11;3H\x1b[K", "EL", 0, 10, 6},
        {0, 11, "0123456789\x1b[11;5H\x1b[1K", "EL to the start", 0, 10, 3},
        {2, 11, "\x1b[3X", "ECH", 0, 11, 10},
        {-1, 0, "\x1b[2@", "ICH", 0, 11, 10},
        {-1, 0, "\x1b[4P", "DCH", 0, 11, 10},
        {-1, 0, "\x1b" "7\x1b[1;1Hsaved\x1b" "8", "DECSC DECRC", 0, 0, 5},
        {-1, 0, "\x1b[s\x1b[2;1Hsco\x1b[u!", "SCOSC SCORC", 0, 11, 6},
        {0, 12, "keep\nerase", NULL},
        {2, 12, "\x1b[J", "ED below: row 12", 0, 12, 4},
        {-1, 0, NULL, "ED below: row 13", 0, 13, 5},
    };
    run(steps, sizeof steps / sizeof *steps);

    /* SGR: the current attribute as the console host maps it, and the cells written in it */
    CONSOLE_SCREEN_BUFFER_INFO b;
    static const char *const sgr[] = {"\x1b[31m", "\x1b[1;44m", "\x1b[22m", "\x1b[7m",
                                      "\x1b[27;4m", "\x1b[0m", "\x1b[92;101m",
                                      "\x1b[38;5;9m", "\x1b[39;49m", "\x1b[m"};
    printf("SGR attributes:");
    for (int i = 0; i < (int)(sizeof sgr / sizeof *sgr); i++) {
        put(sgr[i]);
        GetConsoleScreenBufferInfo(out, &b);
        printf(" %04x", b.wAttributes);
    }
    printf("\n");
    SetConsoleTextAttribute(out, 0x4017);
    GetConsoleScreenBufferInfo(out, &b);
    printf("SetConsoleTextAttribute 4017: %04x", b.wAttributes);
    put("\x1b[1m");
    GetConsoleScreenBufferInfo(out, &b);
    printf(", then bold: %04x\n", b.wAttributes);
    SetConsoleTextAttribute(out, 7);
    at(0, 14);
    put("\x1b[32mG\x1b[0;45mM\x1b[0m\x1b[2X");
    COORD c14 = {0, 14};
    ReadConsoleOutputAttribute(out, attr, 3, c14, &n);
    printf("cells in SGR colours %lu: %04x %04x %04x\n", n, attr[0], attr[1], attr[2]);

    /* the line editor's echo: keys queued with WriteConsoleInput, read by a cooked ReadConsole */
    HANDLE in = CreateFileA("CONIN$", GENERIC_READ | GENERIC_WRITE,
                            FILE_SHARE_READ | FILE_SHARE_WRITE, NULL, OPEN_EXISTING, 0, NULL);
    static const WORD keys[][2] = {{'A', 'a'},    {'B', 'b'}, {'C', 'c'}, {VK_LEFT, 0},
                                   {VK_LEFT, 0}, {'X', 'X'}, {VK_RETURN, '\r'}};
    INPUT_RECORD rec[7];
    memset(rec, 0, sizeof rec);
    for (int i = 0; i < 7; i++) {
        rec[i].EventType = KEY_EVENT;
        rec[i].Event.KeyEvent.bKeyDown = TRUE;
        rec[i].Event.KeyEvent.wRepeatCount = 1;
        rec[i].Event.KeyEvent.wVirtualKeyCode = keys[i][0];
        rec[i].Event.KeyEvent.uChar.UnicodeChar = keys[i][1];
        rec[i].Event.KeyEvent.dwControlKeyState = keys[i][0] == VK_LEFT ? ENHANCED_KEY : 0;
    }
    DWORD wrote = 0;
    SetConsoleMode(in, ENABLE_PROCESSED_INPUT | ENABLE_LINE_INPUT | ENABLE_ECHO_INPUT |
                           ENABLE_INSERT_MODE | ENABLE_EXTENDED_FLAGS);
    WriteConsoleInputW(in, rec, 7, &wrote);
    at(3, 15);
    WCHAR line[16];
    DWORD got = 0;
    ReadConsoleW(in, line, 16, &got, NULL);
    printf("read %lu:", got);
    for (DWORD i = 0; i < got; i++)
        printf(" %02x", line[i]);
    printf("\n");
    show("the echo", 0, 15, 8);

    /* wide characters: two cells each, read back as one character, the halves marked */
    at(0, 17);
    put_wide(L"a\x4e2d\x6587" L"b");
    show("wide", 0, 17, 6);
    COORD c17 = {0, 17};
    WORD wattr[6];
    ReadConsoleOutputAttribute(out, wattr, 6, c17, &n);
    printf("wide attributes %lu:", n);
    for (int i = 0; i < 6; i++)
        printf(" %04x", wattr[i]);
    printf("\n");
    show("from a right half", 2, 17, 2);
    CHAR_INFO ci[6];
    COORD ci_size = {6, 1}, ci_at = {0, 0};
    SMALL_RECT ci_rect = {0, 17, 5, 17};
    BOOL ok = ReadConsoleOutputW(out, ci, ci_size, ci_at, &ci_rect);
    printf("ReadConsoleOutputW %d:", ok);
    for (int i = 0; i < 6; i++)
        printf(" %04x/%04x", ci[i].Char.UnicodeChar, ci[i].Attributes);
    printf("\n");
    at(2, 17);
    put("x");
    show("half overwritten", 0, 17, 6);
    at(79, 18);
    put_wide(L"\x4e2d");
    show("wide in the last column: the column", 79, 18, 1);
    show("wide in the last column: wrapped", 0, 19, 2);

    /* ENABLE_WRAP_AT_EOL_OUTPUT off: the last column is overwritten (DECAWM off on the
     * terminal); DECAWM written by the program sets and clears the mode, as in conhost */
    DWORD m0 = 0, m1 = 0, m2 = 0;
    GetConsoleMode(out, &m0);
    SetConsoleMode(out, m0 & ~ENABLE_WRAP_AT_EOL_OUTPUT);
    at(77, 20);
    put("abcdef");
    show("no wrap", 77, 20, 3);
    put_wide(L"\x4e2d");
    show("no wrap, wide", 76, 20, 4);
    SetConsoleMode(out, m0);
    put("\x1b[?7l");
    GetConsoleMode(out, &m1);
    put("\x1b[?7h");
    GetConsoleMode(out, &m2);
    printf("output mode %lx, after DECAWM off %lx, on %lx\n", m0, m1, m2);

    /* insert mode, tab stops set and cleared (TAB and CHT go to them, the last column when
     * there is none left), REP, an erasure of a wide character's right half (the left half
     * goes too) */
    static const struct step modes[] = {
        {0, 2, "abcdef\x1b[2D\x1b[4hXY\x1b[4l", "IRM", 0, 2, 10},
        {-1, 0, "Z", "IRM reset", 0, 2, 10},
        {0, 3, "\x1b[3g\x1b[6G\x1bH\x1b[13G\x1bH\r\tA\tB\tC", "tab stops", 0, 3, 14},
        {-1, 0, NULL, "tab stops: the last column", 79, 3, 1},
        {-1, 0, "\x1b[13G\x1b[g\r\x1b[2I", "TBC at the cursor, CHT", 0, 3, 0},
        {0, 4, "ab\x1b[3b", "REP", 0, 4, 6},
        {2, 5, "\x1b[1X", NULL},
    };
    at(0, 5);
    put_wide(L"a\x4e2d" L"b");
    run(modes, 6);
    run(modes + 6, 1);
    show("ECH on a right half", 0, 5, 4);

    /* WriteConsoleOutputCharacterW: a wide character takes two cells (the count is of
     * characters), one that would start in the last column goes to the next row */
    DWORD wn = 0;
    COORD w6 = {0, 6}, w79 = {79, 6};
    BOOL wok = WriteConsoleOutputCharacterW(out, L"x\x4e2dy", 3, w6, &wn);
    printf("WriteConsoleOutputCharacterW wide %d %lu\n", wok, wn);
    show("wide cells", 0, 6, 4);
    WORD wa[4];
    ReadConsoleOutputAttribute(out, wa, 4, w6, &n);
    printf("their halves %04x %04x %04x %04x\n", wa[0] & 0x300, wa[1] & 0x300, wa[2] & 0x300,
           wa[3] & 0x300);
    wok = WriteConsoleOutputCharacterW(out, L"\x6587", 1, w79, &wn);
    printf("in the last column %d %lu\n", wok, wn);
    show("in the last column: the column", 79, 6, 1);
    show("in the last column: the next row", 0, 7, 2);

    /* ENABLE_VIRTUAL_TERMINAL_PROCESSING off: ESC is a character (the terminal shows its glyph),
     * no SGR happens; ENABLE_PROCESSED_OUTPUT off too: TAB, CR and LF are characters */
    DWORD vt = 0;
    GetConsoleMode(out, &vt);
    SetConsoleMode(out, vt & ~ENABLE_VIRTUAL_TERMINAL_PROCESSING);
    at(0, 8);
    put("\x1b[31mR");
    show("VT processing off", 0, 8, 7);
    GetConsoleScreenBufferInfo(out, &b);
    printf("its attribute %04x\n", b.wAttributes);
    SetConsoleMode(out, vt & ~(ENABLE_VIRTUAL_TERMINAL_PROCESSING | ENABLE_PROCESSED_OUTPUT));
    at(0, 9);
    put("a\tb\r\n\x1b");
    show("processed output off", 0, 9, 7);
    SetConsoleMode(out, vt);

    /* origin mode with the margins rows 3-10 (1-based): the cursor home at the top margin;
     * CUP and VPA rows from it, kept inside the region; DECSC saves the mode, ?6l resets it
     * (the cursor home), DECRC sets it back; SetConsoleCursorPosition inside the region (the
     * terminal sent ESC [4;8H: tests/cli/console-text-pty.sh) and outside it (the nearest
     * margin: a terminal in origin mode cannot go further); WriteConsoleOutputCharacterW draws
     * with origin mode off inside its ESC 7 ... ESC 8 */
    put("\x1b[3;10r\x1b[?6h");
    show("origin mode: the cursor home", 0, 2, 1);
    put("\x1b[2;5Hab");
    show("CUP from the top margin", 4, 3, 2);
    put("\x1b[20;1Hc");
    show("CUP below the region", 0, 9, 1);
    put("\x1b[4dd");
    show("VPA from the top margin", 1, 5, 1);
    put("\x1b" "7" "\x1b[?6l");
    show("DECSC, origin mode reset: home", 0, 0, 1);
    put("\x1b" "8" "\x1b[1;1He");
    show("DECRC: origin mode back", 0, 2, 1);
    at(7, 5);
    put("f");
    show("SetConsoleCursorPosition in origin mode", 7, 5, 1);
    at(3, 15);
    show("SetConsoleCursorPosition below the region", 3, 9, 1);
    COORD wo = {0, 0};
    WriteConsoleOutputCharacterW(out, L"WO", 2, wo, &wn);
    show("WriteConsoleOutputCharacterW in origin mode", 0, 0, 2);
    /* not followed: CSI W; the cursor comes from the terminal (answered 5,5: from the top
     * margin), the cells are gone */
    put("\x1b[0W");
    show("asked in origin mode", 0, 11, 3);
    put("\x1b[?6l\x1b[r\x1b[H");
    show("origin mode reset", 0, 11, 3);
    return 0;
}
