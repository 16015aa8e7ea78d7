/* The console-input and screen-buffer API. Without arguments (the PE test: stdout a file, stdin
 * /dev/null) on handles that are no console: a pipe's two ends, a disk file, NULL and
 * INVALID_HANDLE_VALUE get Windows' answers (ERROR_INVALID_HANDLE; a NULL count
 * ERROR_INVALID_ACCESS; the count zeroed when there is one, GetNumberOfConsoleInputEvents'
 * left alone: Wine's kernel32 console tests record these answers of Windows).
 * With "tty" (tests/cli/console-input-pty.sh runs it on a pseudo-terminal, stdout a file): the
 * records of keys typed in raw mode (characters, Shift, Ctrl, Alt, cursor and function keys
 * with their virtual-key and scan codes), the input handle as a waitable object (WaitFor-
 * Single/MultipleObjects), WriteConsoleInputW/PeekConsoleInputW/GetNumberOfConsoleInputEvents,
 * WINDOW_BUFFER_SIZE_EVENT on a resize, ReadConsoleW raw and in line mode (with
 * CONSOLE_READCONSOLE_CONTROL, and ended by a queued Enter as libuv cancels a read; a line
 * typed ahead of two reads; a line edited with Backspace and Escape; ReadFile's lines, ^Z, a
 * character split over 1-byte reads), the cursor position (the terminal asked, type-ahead kept,
 * SetConsoleCursorPosition's checks), the screen-buffer calls, whose VT sequences the driver
 * finds on the terminal, and the line editor of a line read as Windows' console host has it
 * (Left/Right, Home/End, insertion in the middle, Delete, Up/Down through the lines entered
 * before, a recalled line edited), whose echo the driver checks byte for byte; the cells the
 * buffer calls wrote read back (Read/WriteConsoleOutput, ...Character, ...Attribute, clipped
 * to the buffer and the caller's array), FillConsoleOutputAttribute redrawing them in the new
 * colours, and forgotten once other output may have overwritten them. */
#include <stdio.h>
#include <string.h>
#include <windows.h>
#include "console_say.h"

static void show_key(const INPUT_RECORD *r)
{
    const KEY_EVENT_RECORD *k = &r->Event.KeyEvent;
    printf("key vk=%02x scan=%02x ch=%04x state=%04lx\n", k->wVirtualKeyCode,
           k->wVirtualScanCode, k->uChar.UnicodeChar, (unsigned long)k->dwControlKeyState);
}

/* A line and an escape sequence the runtime does not follow (LNM reset: a line feed does not
 * return the carriage, the terminal's default, a mode the copy of the screen does not model):
 * where the cursor is afterwards, only the terminal knows. The sequence is one with
 * ENABLE_VIRTUAL_TERMINAL_PROCESSING (without it the console shows ESC as a character). */
static void say_moved(const char *s)
{
    HANDLE out = CreateFileA("CONOUT$", GENERIC_READ | GENERIC_WRITE,
                             FILE_SHARE_READ | FILE_SHARE_WRITE, NULL, OPEN_EXISTING, 0, NULL);
    DWORD mode = 0;
    GetConsoleMode(out, &mode);
    SetConsoleMode(out, mode | ENABLE_VIRTUAL_TERMINAL_PROCESSING);
    say_ending(s, "\x1b[20l\r\n");
    SetConsoleMode(out, mode);
    CloseHandle(out);
}

/* Key-down records until the character `last` (key-ups counted). */
static void keys_until(HANDLE in, WCHAR last)
{
    int ups = 0;
    for (;;) {
        INPUT_RECORD r;
        DWORD n = 0;
        if (!ReadConsoleInputW(in, &r, 1, &n) || n != 1) {
            printf("ReadConsoleInputW failed %lu\n", GetLastError());
            return;
        }
        if (r.EventType != KEY_EVENT) {
            printf("event type %u\n", r.EventType);
            continue;
        }
        if (!r.Event.KeyEvent.bKeyDown) {
            ups++;
            if (r.Event.KeyEvent.uChar.UnicodeChar == last)
                break;
            continue;
        }
        show_key(&r);
    }
    printf("key-ups: %d\n", ups);
}

static void redirected(void)
{
    HANDLE rd, wr;
    CreatePipe(&rd, &wr, NULL, 0);
    HANDLE file = CreateFileA("console_input.tmp", GENERIC_READ | GENERIC_WRITE, 0, NULL,
                              CREATE_ALWAYS, FILE_FLAG_DELETE_ON_CLOSE, NULL);
    struct {
        const char *name;
        HANDLE h;
    } hs[] = {{"pipe read end", rd}, {"pipe write end", wr}, {"disk file", file},
              {"NULL", NULL}, {"INVALID_HANDLE_VALUE", INVALID_HANDLE_VALUE}};
    for (int i = 0; i < 5; i++) {
        HANDLE h = hs[i].h;
        INPUT_RECORD r;
        DWORD n, e[12];
        COORD at = {0, 0};
        BOOL ok[12];
        CONSOLE_CURSOR_INFO ci;
        SMALL_RECT rect = {0, 0, 1, 1};
        CHAR_INFO fill = {{' '}, 7};
        memset(&r, 0, sizeof r);
        r.EventType = KEY_EVENT;
        n = 0xdeadbeef;
        SetLastError(0xdeadbeef);
        ok[0] = GetNumberOfConsoleInputEvents(h, &n), e[0] = GetLastError();
        printf("%s: GetNumberOfConsoleInputEvents %d %lu count %s\n", hs[i].name, ok[0], e[0],
               n == 0xdeadbeef ? "untouched" : "changed");
        n = 0xdeadbeef;
        ok[1] = PeekConsoleInputW(h, &r, 1, &n), e[1] = GetLastError();
        printf("  PeekConsoleInputW %d %lu\n", ok[1], e[1]);
        ok[2] = WriteConsoleInputW(h, &r, 1, &n), e[2] = GetLastError();
        printf("  WriteConsoleInputW %d %lu\n", ok[2], e[2]);
        ok[3] = FlushConsoleInputBuffer(h), e[3] = GetLastError();
        n = 0xdeadbeef;
        ok[4] = FillConsoleOutputCharacterW(h, L'x', 3, at, &n), e[4] = GetLastError();
        printf("  FlushConsoleInputBuffer %d %lu FillConsoleOutputCharacterW %d %lu count %lx\n",
               ok[3], e[3], ok[4], e[4], n);
        n = 0xdeadbeef;
        ok[5] = FillConsoleOutputAttribute(h, 7, 3, at, &n), e[5] = GetLastError();
        ok[6] = GetConsoleCursorInfo(h, &ci), e[6] = GetLastError();
        ok[7] = ScrollConsoleScreenBufferW(h, &rect, NULL, at, &fill), e[7] = GetLastError();
        printf("  FillConsoleOutputAttribute %d %lu count %lx GetConsoleCursorInfo %d %lu "
               "ScrollConsoleScreenBufferW %d %lu\n",
               ok[5], e[5], n, ok[6], e[6], ok[7], e[7]);
        ok[8] = SetConsoleWindowInfo(h, TRUE, &rect), e[8] = GetLastError();
        SetLastError(0xdeadbeef);
        COORD big = GetLargestConsoleWindowSize(h);
        e[9] = GetLastError();
        at.X = 200, at.Y = 200;
        ok[10] = SetConsoleScreenBufferSize(h, at), e[10] = GetLastError();
        ok[11] = SetConsoleCursorPosition(h, at), e[11] = GetLastError();
        printf("  SetConsoleWindowInfo %d %lu GetLargestConsoleWindowSize %dx%d %lu "
               "SetConsoleScreenBufferSize %d %lu SetConsoleCursorPosition %d %lu\n",
               ok[8], e[8], big.X, big.Y, e[9], ok[10], e[10], ok[11], e[11]);
        WCHAR wc[2] = {'a', 'b'};
        WORD wa[2] = {7, 7};
        CHAR_INFO ciw[2] = {{{'a'}, 7}, {{'b'}, 7}};
        SMALL_RECT reg = {0, 0, 1, 0};
        COORD two = {2, 1}, zero = {0, 0};
        at.X = 0, at.Y = 0;
        n = 0xdeadbeef;
        ok[0] = WriteConsoleOutputCharacterW(h, wc, 2, at, &n), e[0] = GetLastError();
        printf("  WriteConsoleOutputCharacterW %d %lu count %lx", ok[0], e[0], n);
        n = 0xdeadbeef;
        ok[1] = ReadConsoleOutputAttribute(h, wa, 2, at, &n), e[1] = GetLastError();
        printf(" ReadConsoleOutputAttribute %d %lu count %lx", ok[1], e[1], n);
        ok[2] = WriteConsoleOutputW(h, ciw, two, zero, &reg), e[2] = GetLastError();
        ok[3] = ReadConsoleOutputW(h, ciw, two, zero, &reg), e[3] = GetLastError();
        printf(" WriteConsoleOutputW %d %lu ReadConsoleOutputW %d %lu\n", ok[2], e[2], ok[3], e[3]);
    }
    /* A NULL count: ERROR_INVALID_ACCESS before the handle is looked at. */
    COORD at = {0, 0};
    SetLastError(0xdeadbeef);
    BOOL ok = FillConsoleOutputCharacterW(wr, L'x', 1, at, NULL);
    printf("FillConsoleOutputCharacterW without a count: %d %lu\n", ok, GetLastError());
    CloseHandle(rd);
    CloseHandle(wr);
    CloseHandle(file);
}

static HANDLE other_in;
static DWORD WINAPI inject_enter(void *arg)
{
    (void)arg;
    INPUT_RECORD r;
    DWORD n;
    memset(&r, 0, sizeof r);
    r.EventType = KEY_EVENT;
    r.Event.KeyEvent.bKeyDown = TRUE;
    r.Event.KeyEvent.wRepeatCount = 1;
    r.Event.KeyEvent.wVirtualKeyCode = VK_RETURN;
    r.Event.KeyEvent.wVirtualScanCode = 0x1c;
    r.Event.KeyEvent.uChar.UnicodeChar = L'\r';
    Sleep(100); /* usually after ReadConsoleW started waiting; either way it ends the line */
    WriteConsoleInputW(other_in, &r, 1, &n);
    return 0;
}

static void print_w(const char *what, const WCHAR *w, DWORD n)
{
    printf("%s %lu [", what, n);
    for (DWORD i = 0; i < n; i++) {
        if (w[i] == '\r')
            printf("\\r");
        else if (w[i] == '\n')
            printf("\\n");
        else if (w[i] == '\t')
            printf("\\t");
        else
            printf(w[i] < 0x80 ? "%c" : "\\u%04x", w[i]);
    }
    printf("]\n");
}

static void on_terminal(void)
{
    HANDLE in = GetStdHandle(STD_INPUT_HANDLE);
    HANDLE out = CreateFileA("CONOUT$", GENERIC_READ | GENERIC_WRITE,
                             FILE_SHARE_READ | FILE_SHARE_WRITE, NULL, OPEN_EXISTING, 0, NULL);
    DWORD mode = 0, n = 0;
    GetConsoleMode(in, &mode);
    printf("input mode %lx\n", mode);

    /* raw: keys as records; the handle signalled once a key is there */
    printf("raw: %d\n", SetConsoleMode(in, ENABLE_WINDOW_INPUT));
    GetConsoleMode(in, &mode);
    printf("input mode now %lx\n", mode);
    say("press keys");
    printf("wait: %lu\n", WaitForSingleObject(in, INFINITE));
    keys_until(in, L'.');
    printf("wait with nothing typed: %lu\n", WaitForSingleObject(in, 0));
    GetNumberOfConsoleInputEvents(in, &n);
    printf("events: %lu\n", n);

    /* WriteConsoleInputW, Peek, the count, on a duplicate of the handle */
    HANDLE dup;
    DuplicateHandle(GetCurrentProcess(), in, GetCurrentProcess(), &dup, 0, FALSE,
                    DUPLICATE_SAME_ACCESS);
    INPUT_RECORD w[2], got[4];
    memset(w, 0, sizeof w);
    w[0].EventType = KEY_EVENT;
    w[0].Event.KeyEvent.bKeyDown = TRUE;
    w[0].Event.KeyEvent.wRepeatCount = 1;
    w[0].Event.KeyEvent.wVirtualKeyCode = 'Z';
    w[0].Event.KeyEvent.uChar.UnicodeChar = L'z';
    w[1] = w[0];
    w[1].Event.KeyEvent.bKeyDown = FALSE;
    BOOL ok = WriteConsoleInputW(dup, w, 2, &n);
    printf("WriteConsoleInputW %d %lu\n", ok, n);
    GetNumberOfConsoleInputEvents(in, &n);
    printf("events: %lu, wait %lu\n", n, WaitForSingleObject(dup, 0));
    ok = PeekConsoleInputW(in, got, 4, &n);
    printf("peek %d %lu: ", ok, n);
    show_key(&got[0]);
    ok = ReadConsoleInputW(in, got, 4, &n);
    printf("read %d %lu, down %d up %d\n", ok, n, got[0].Event.KeyEvent.bKeyDown,
           got[1].Event.KeyEvent.bKeyDown);
    GetNumberOfConsoleInputEvents(in, &n);
    printf("events: %lu\n", n);

    /* WaitForMultipleObjects: an event never set and the input handle */
    HANDLE ev = CreateEventA(NULL, TRUE, FALSE, NULL);
    HANDLE two[2] = {ev, in};
    say("press b");
    printf("wait two: %lu\n", WaitForMultipleObjects(2, two, FALSE, INFINITE));
    INPUT_RECORD ra;
    ReadConsoleInputA(in, &ra, 1, &n);
    printf("ReadConsoleInputA: %c down %d\n", ra.Event.KeyEvent.uChar.AsciiChar,
           ra.Event.KeyEvent.bKeyDown);
    FlushConsoleInputBuffer(in);

    /* a resize: WINDOW_BUFFER_SIZE_EVENT (ENABLE_WINDOW_INPUT is set) */
    say("resize now");
    for (;;) {
        ReadConsoleInputW(in, &ra, 1, &n);
        if (ra.EventType == WINDOW_BUFFER_SIZE_EVENT) {
            printf("resized: %dx%d\n", ra.Event.WindowBufferSizeEvent.dwSize.X,
                   ra.Event.WindowBufferSizeEvent.dwSize.Y);
            break;
        }
    }

    /* ReadConsoleW without line input: characters as they come */
    WCHAR buf[64];
    say("type xy");
    DWORD total = 0;
    while (total < 2) {
        ReadConsoleW(in, buf + total, 10, &n, NULL);
        total += n;
    }
    print_w("raw ReadConsoleW", buf, total);

    /* line input: the terminal edits, ReadConsoleW gets the line with CR LF */
    SetConsoleMode(in, ENABLE_PROCESSED_INPUT | ENABLE_LINE_INPUT | ENABLE_ECHO_INPUT);
    say("type a line");
    ok = ReadConsoleW(in, buf, 64, &n, NULL);
    print_w("line ReadConsoleW", buf, n);

    /* CONSOLE_READCONSOLE_CONTROL: two characters kept, Tab wakes the read up */
    CONSOLE_READCONSOLE_CONTROL ctl = {sizeof ctl, 2, 1u << '\t', 0};
    buf[0] = 'a', buf[1] = 'b';
    say("type cd tab");
    ok = ReadConsoleW(in, buf, 64, &n, &ctl);
    print_w("control ReadConsoleW", buf, n);

    /* a queued Enter ends a line read (libuv's way to cancel one) */
    other_in = in;
    HANDLE t = CreateThread(NULL, 0, inject_enter, NULL, 0, NULL);
    ok = ReadConsoleW(in, buf, 64, &n, NULL);
    print_w("cancelled ReadConsoleW", buf, n);
    WaitForSingleObject(t, INFINITE);

    /* the line edited while the read runs: Backspace, Escape, the echo */
    say("edit a line");
    ok = ReadConsoleW(in, buf, 64, &n, NULL);
    print_w("edited ReadConsoleW", buf, n);

    /* ReadFile on the input handle: the same buffer and line editing, as ReadConsoleA; a
     * line that starts with ^Z is the end of input; a character is never cut short */
    say("type for ReadFile");
    char rb[64];
    DWORD rn = 0;
    ok = ReadFile(in, rb, sizeof rb, &rn, NULL);
    printf("ReadFile %d %lu [%.*s\\r\\n]\n", ok, rn, rn >= 2 ? (int)rn - 2 : 0, rb);
    ok = ReadFile(in, rb, sizeof rb, &rn, NULL);
    printf("ReadFile of ^Z %d %lu\n", ok, rn);
    ok = ReadFile(in, rb, 1, &rn, NULL);
    printf("ReadFile of 1 byte %d %lu %02x", ok, rn, (unsigned char)rb[0]);
    ok = ReadFile(in, rb, 1, &rn, NULL);
    printf(", %d %lu %02x", ok, rn, (unsigned char)rb[0]);
    ok = ReadFile(in, rb, sizeof rb, &rn, NULL);
    printf(", the rest %d %lu\n", ok, rn);

    /* records in line mode: the key comes as it is typed */
    say("press k");
    do /* the key-up of the Enter that ended the last line comes first, as on Windows */
        ReadConsoleInputW(in, &ra, 1, &n);
    while (ra.EventType != KEY_EVENT || !ra.Event.KeyEvent.bKeyDown);
    show_key(&ra);
    GetConsoleMode(in, &mode);
    printf("input mode %lx\n", mode);

    /* the screen buffer */
    COORD at = {2, 3};
    ok = FillConsoleOutputCharacterW(out, L'x', 5, at, &n);
    printf("FillConsoleOutputCharacterW %d %lu\n", ok, n);
    at.X = 0, at.Y = 0;
    ok = FillConsoleOutputCharacterW(out, L' ', 80 * 24, at, &n);
    printf("clear %d %lu", ok, n);
    ok = FillConsoleOutputAttribute(out, BACKGROUND_BLUE | FOREGROUND_RED, 80 * 24, at, &n);
    printf(", attributes %d %lu\n", ok, n);
    at.X = 79, at.Y = 9000;
    ok = FillConsoleOutputCharacterW(out, L'y', 10, at, &n);
    printf("at the buffer's end %d %lu\n", ok, n);
    CONSOLE_CURSOR_INFO ci = {0, TRUE};
    ok = SetConsoleCursorInfo(out, &ci);
    printf("cursor size 0: %d %lu\n", ok, GetLastError());
    ci.dwSize = 50, ci.bVisible = FALSE;
    ok = SetConsoleCursorInfo(out, &ci);
    memset(&ci, 0, sizeof ci);
    GetConsoleCursorInfo(out, &ci);
    printf("cursor %d: %lu %d\n", ok, ci.dwSize, ci.bVisible);
    ci.bVisible = TRUE;
    SetConsoleCursorInfo(out, &ci);
    SMALL_RECT lines = {0, 1, 79, 23};
    CHAR_INFO fill = {{L' '}, 7};
    COORD dest = {0, 0};
    ok = ScrollConsoleScreenBufferW(out, &lines, NULL, dest, &fill);
    printf("scroll up a line %d\n", ok);
    SMALL_RECT box = {10, 5, 19, 6};
    dest.X = 30, dest.Y = 5;
    fill.Char.UnicodeChar = L'.';
    ok = ScrollConsoleScreenBufferW(out, &box, NULL, dest, &fill);
    printf("move a box %d\n", ok);
    COORD big = GetLargestConsoleWindowSize(out);
    printf("largest window %dx%d\n", big.X, big.Y);
    SMALL_RECT same = {0, 0, 0, 0}, huge = {0, 0, 200, 100};
    printf("window relative 0: %d", SetConsoleWindowInfo(out, FALSE, &same));
    ok = SetConsoleWindowInfo(out, TRUE, &huge);
    printf(", too large %d %lu\n", ok, GetLastError());
    COORD small = {40, 10}, wide = {80, 500};
    ok = SetConsoleScreenBufferSize(out, small);
    printf("buffer smaller than the window %d %lu", ok, GetLastError());
    ok = SetConsoleScreenBufferSize(out, wide);
    CONSOLE_SCREEN_BUFFER_INFO info;
    GetConsoleScreenBufferInfo(out, &info);
    printf(", 80x500 %d: %dx%d\n", ok, info.dwSize.X, info.dwSize.Y);
    ok = FillConsoleOutputCharacterW(in, L'x', 1, at, &n);
    printf("fill on the input handle %d %lu\n", ok, GetLastError());
    ok = ReadConsoleInputW(out, &ra, 1, &n);
    printf("records from the output handle %d %lu\n", ok, GetLastError());

    /* the cursor: the terminal is asked (DSR 6) while output may have moved it; a key typed
     * before the answer stays in the input buffer */
    say_moved("where");
    GetConsoleScreenBufferInfo(out, &info);
    printf("cursor %d,%d", info.dwCursorPosition.X, info.dwCursorPosition.Y);
    GetConsoleScreenBufferInfo(out, &info); /* nothing written since: not asked again */
    printf(", again %d,%d\n", info.dwCursorPosition.X, info.dwCursorPosition.Y);
    COORD to = {3, 4};
    ok = SetConsoleCursorPosition(out, to);
    GetConsoleScreenBufferInfo(out, &info);
    printf("SetConsoleCursorPosition %d: %d,%d\n", ok, info.dwCursorPosition.X,
           info.dwCursorPosition.Y);
    at.X = 0, at.Y = 0;
    FillConsoleOutputCharacterW(out, L'-', 3, at, &n); /* draws, puts the cursor back */
    GetConsoleScreenBufferInfo(out, &info);
    printf("after a fill %d,%d\n", info.dwCursorPosition.X, info.dwCursorPosition.Y);
    WriteConsoleA(out, "abc", 3, &n, NULL); /* followed: not asked */
    GetConsoleScreenBufferInfo(out, &info);
    printf("after abc %d,%d\n", info.dwCursorPosition.X, info.dwCursorPosition.Y);
    do
        ReadConsoleInputW(in, &ra, 1, &n);
    while (ra.EventType != KEY_EVENT || !ra.Event.KeyEvent.bKeyDown);
    printf("typed during the query: ");
    show_key(&ra);
    COORD bad[3] = {{80, 0}, {0, 500}, {-1, 0}}; /* the buffer is 80x500 now */
    for (int i = 0; i < 3; i++) {
        ok = SetConsoleCursorPosition(out, bad[i]);
        printf("SetConsoleCursorPosition %d,%d: %d %lu\n", bad[i].X, bad[i].Y, ok, GetLastError());
    }
    ok = SetConsoleCursorPosition(in, to);
    printf("SetConsoleCursorPosition on the input handle: %d %lu\n", ok, GetLastError());
    say_moved("no answer");
    ok = GetConsoleScreenBufferInfo(out, &info); /* a bounded wait, then the last known */
    printf("unanswered %d: %d,%d\n", ok, info.dwCursorPosition.X, info.dwCursorPosition.Y);

    /* the line editor: the cursor keys, insertion in the middle, Home/End, Delete, the
     * history (the lines entered above are in it, "abc" last) */
    say("edit with arrows");
    ok = ReadConsoleW(in, buf, 64, &n, NULL);
    print_w("arrows ReadConsoleW", buf, n);
    say("delete in the middle");
    ok = ReadConsoleW(in, buf, 64, &n, NULL);
    print_w("delete ReadConsoleW", buf, n);
    say("recall");
    ok = ReadConsoleW(in, buf, 64, &n, NULL);
    print_w("recalled ReadConsoleW", buf, n);
    say("edit a recalled line");
    ok = ReadConsoleW(in, buf, 64, &n, NULL);
    print_w("edited recall ReadConsoleW", buf, n);
    CONSOLE_READCONSOLE_CONTROL init = {sizeof init, 2, 0, 0};
    buf[0] = 'x', buf[1] = 'y';
    say("xy");
    WriteConsoleW(out, L"xy", 2, &n, NULL); /* the initial characters, shown by the program */
    ok = ReadConsoleW(in, buf, 64, &n, &init);
    print_w("initial characters taken back ReadConsoleW", buf, n);

    /* the cells: written, read back, recoloured with their characters, a rectangle, the
     * buffer's edges; then other output makes the runtime forget them */
    COORD c10 = {0, 10};
    WORD two_attrs[2] = {FOREGROUND_RED, FOREGROUND_GREEN | BACKGROUND_BLUE};
    ok = WriteConsoleOutputCharacterW(out, L"hi\x00e9", 3, c10, &n);
    printf("WriteConsoleOutputCharacterW %d %lu", ok, n);
    ok = WriteConsoleOutputAttribute(out, two_attrs, 2, c10, &n);
    printf(", WriteConsoleOutputAttribute %d %lu\n", ok, n);
    WCHAR rc[4] = {0};
    WORD rattr[4] = {0};
    char rca[4] = {0};
    ok = ReadConsoleOutputCharacterW(out, rc, 4, c10, &n);
    printf("ReadConsoleOutputCharacterW %d %lu [%04x %04x %04x %04x]", ok, n, rc[0], rc[1], rc[2],
           rc[3]);
    ok = ReadConsoleOutputAttribute(out, rattr, 4, c10, &n);
    printf(", attributes %d %lu [%04x %04x %04x %04x]", ok, n, rattr[0], rattr[1], rattr[2],
           rattr[3]);
    ok = ReadConsoleOutputCharacterA(out, rca, 4, c10, &n);
    printf(", A %d %lu [%02x %02x %02x %02x]\n", ok, n, (unsigned char)rca[0],
           (unsigned char)rca[1], (unsigned char)rca[2], (unsigned char)rca[3]);
    ok = FillConsoleOutputAttribute(out, FOREGROUND_BLUE | FOREGROUND_INTENSITY, 2, c10, &n);
    ok = ok && ReadConsoleOutputAttribute(out, rattr, 3, c10, &n);
    printf("recoloured %d: %04x %04x %04x\n", ok, rattr[0], rattr[1], rattr[2]);
    CHAR_INFO cbox[2][3], back[2][3];
    for (int y = 0; y < 2; y++)
        for (int x = 0; x < 3; x++) {
            cbox[y][x].Char.UnicodeChar = (WCHAR)('A' + y * 3 + x);
            cbox[y][x].Attributes = (WORD)(0x10 * (y + 1) + x + 1);
        }
    COORD bsize = {3, 2}, corner = {0, 0};
    SMALL_RECT region = {5, 12, 7, 13};
    ok = WriteConsoleOutputW(out, &cbox[0][0], bsize, corner, &region);
    printf("WriteConsoleOutputW %d: %d,%d-%d,%d", ok, region.Left, region.Top, region.Right,
           region.Bottom);
    memset(back, 0, sizeof back);
    region = (SMALL_RECT){5, 12, 7, 13};
    ok = ReadConsoleOutputW(out, &back[0][0], bsize, corner, &region);
    printf(", ReadConsoleOutputW %d: %d,%d-%d,%d, %s\n", ok, region.Left, region.Top,
           region.Right, region.Bottom, memcmp(cbox, back, sizeof cbox) ? "differs" : "same cells");
    COORD from11 = {1, 1};
    region = (SMALL_RECT){78, 15, 82, 20}; /* 2 columns in the buffer, 1 row left in the array */
    ok = WriteConsoleOutputW(out, &cbox[0][0], bsize, from11, &region);
    printf("clipped WriteConsoleOutputW %d: %d,%d-%d,%d\n", ok, region.Left, region.Top,
           region.Right, region.Bottom);
    COORD last = {79, 499};
    ok = ReadConsoleOutputCharacterW(out, rc, 4, last, &n);
    printf("read at the buffer's end %d %lu\n", ok, n);
    say("cells forgotten");
    ok = ReadConsoleOutputCharacterW(out, rc, 2, c10, &n);
    printf("after other output %d %lu [%04x %04x]\n", ok, n, rc[0], rc[1]);
    say("done");
}

int main(int argc, char **argv)
{
    setvbuf(stdout, NULL, _IONBF, 0);
    if (argc > 1 && !strcmp(argv[1], "tty"))
        on_terminal();
    else
        redirected();
    return 0;
}
