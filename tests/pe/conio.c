/* conio.h's console I/O (msvcrt): _cputs, _cputws, _putch, _putwch and the _cprintf family
 * (_cprintf, _cprintf_l with ',' from a German locale, _cprintf_p "%2$s", _cprintf_s,
 * _cwprintf, _vcprintf) write to the console (CONOUT$), never to stdout.
 *
 * Run as a plain test (no argument, stdout redirected to a file, perhaps no console at all):
 * stdout holds only printf's lines; each console call returned its count (0 for _cputs) when
 * a console exists, or -1 without one, as Windows' do in a process without a console.
 *
 * "tty" (tests/cli/conio-pty.sh: a pseudo-terminal as the console, stdout a file): the text
 * reaches the terminal and the counts are exact; then the keyboard, read from the console
 * input buffer as Windows' CRT reads it (ReadConsoleInput with the console mode 0):
 * keys typed ahead before the program read anything (still in the terminal's line buffer:
 * 'a', 'b', Up, F1), _kbhit with no key (0), _getch without echo ('Q'), _getche with echo
 * ('Z'), _ungetch (a second one before the read fails: EOF), the Up arrow as 0xE0 0x48, Enter
 * as 13, ^C as 3 (no signal: _getch sets the console mode 0), 'é' as 0xE9 from _getwch and
 * 0x82 (code page 437, the console's default) from _getch, _cgets of an edited line (its
 * length in buf[1], no CR LF), _cscanf("%d %d") with echo (the CR that ended it put back: the
 * next _getch gives 13), _kbhit then _getch of a key typed while the program polls; keys the
 * console input buffer had already queued (decoded by GetNumberOfConsoleInputEvents) with
 * modifiers (Ctrl+Up, F12, Shift+F1, Delete, Alt+PgUp); records written by WriteConsoleInputW
 * (Shift alone and key releases: _kbhit 0; F5, keys with no character under Alt, Shift and
 * Ctrl, the keypad's Home and Ctrl+PgUp with NumLock off, F11, Alt+F12, a surrogate pair for
 * _getwch, an arrow for _getwch, and _ungetch refused while a key's second code waits).
 * "redir" (stdin a file): _getch reads the console, not the redirected stdin. "nocon" (no
 * controlling terminal: no console): _getch, _getche EOF, _getwch WEOF, _kbhit 0.
 * Windows' values: Microsoft's documentation of _getch ("When reading a function key or an
 * arrow key, each function must be called twice; the first call returns 0 or 0xE0, and the
 * second call returns the actual key code"), the CRT's table of extended codes (the IBM PC
 * BIOS codes: F1 0x3b, Shift+F1 0x54, Ctrl+Up 0x8d, Alt+PgUp 0x99, F11 0xE0 0x85), _cgets'
 * buffer layout, and code page 437 (0x82 = U+00E9). */
#include <conio.h>
#include <locale.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <windows.h>

static int vc(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int r = _vcprintf(fmt, ap);
    va_end(ap);
    return r;
}

/* count, or -1 without a console */
static const char *either(int r, int count)
{
    static char buf[4][32];
    static int i;
    i = (i + 1) % 4;
    if (r == count || r == -1)
        snprintf(buf[i], sizeof buf[i], "count-or-none");
    else
        snprintf(buf[i], sizeof buf[i], "WRONG %d", r);
    return buf[i];
}

static void codes(const char *what, int n)
{
    printf("%s:", what);
    for (int i = 0; i < n; i++)
        printf(" %02x", _getch());
    printf("\n");
}

/* One key event (pressed, or released) into the console input buffer. */
static void inject(HANDLE in, BOOL down, WORD vk, WORD scan, WCHAR ch, DWORD state)
{
    INPUT_RECORD r = {.EventType = KEY_EVENT};
    r.Event.KeyEvent.bKeyDown = down;
    r.Event.KeyEvent.wRepeatCount = 1;
    r.Event.KeyEvent.wVirtualKeyCode = vk;
    r.Event.KeyEvent.wVirtualScanCode = scan;
    r.Event.KeyEvent.uChar.UnicodeChar = ch;
    r.Event.KeyEvent.dwControlKeyState = state;
    DWORD n = 0;
    if (!WriteConsoleInputW(in, &r, 1, &n) || n != 1)
        printf("WriteConsoleInputW failed: %lu\n", (unsigned long)GetLastError());
}

static int other_modes(const char *mode)
{
    if (!strcmp(mode, "nocon")) {
        int a = _getch(), b = _getche(), c = _getwch(), k = _kbhit();
        printf("no console: _getch %d _getche %d _getwch %04x _kbhit %d\n", a, b, c, k);
        return 0;
    }
    /* redir: stdin is a file, the keys come from the console */
    char line[64] = "";
    if (!fgets(line, sizeof line, stdin))
        strcpy(line, "(nothing)\n");
    printf("stdin: %s", line);
    _cputs("press r\n");
    int r = _getch();
    printf("_getch %c, _kbhit %d\n", r, _kbhit());
    _cputs("done\n");
    return 0;
}

int main(int argc, char **argv)
{
    if (argc > 1 && (!strcmp(argv[1], "nocon") || !strcmp(argv[1], "redir")))
        return other_modes(argv[1]);
    int tty = argc > 1 && !strcmp(argv[1], "tty");
    _locale_t de = _create_locale(LC_ALL, "German_Germany.1252");
    int r[12];
    r[0] = _cputs("[cputs]\n");
    r[1] = _cprintf("[cprintf %d %s %.2f]", 42, "abc", 1.5);
    r[2] = _cprintf_l("[cprintf_l %.2f]", de, 1.5);
    r[3] = _cprintf_p("[%2$s %1$d]", 7, "p");
    r[4] = _cprintf_s("[s %d]\n", 5);
    r[5] = _cwprintf(L"[cwprintf %ls \x00e9]", L"w");
    r[6] = _cputws(L"[cputws \x20ac]\n");
    r[7] = _putch('!');
    r[8] = _putwch(L'\x00e9');
    r[9] = vc("[vcprintf %x]\n", 255);
    fflush(stdout);
    if (!tty) {
        printf("_cputs %s\n", either(r[0], 0));
        printf("_cprintf %s\n", either(r[1], 21));
        printf("_cprintf_l %s\n", either(r[2], 16));
        printf("_cprintf_p %s\n", either(r[3], 5));
        printf("_cprintf_s %s\n", either(r[4], 6));
        printf("_cwprintf %s\n", either(r[5], 14));
        printf("_cputws %s\n", either(r[6], 0));
        printf("_putch %s\n", either(r[7], '!'));
        printf("_putwch %s\n", r[8] == 0xe9 || r[8] == 0xffff ? "char-or-WEOF" : "WRONG");
        printf("_vcprintf %s\n", either(r[9], 14));
        printf("stdout has only these lines\n");
        return 0;
    }
    printf("_cputs %d _cprintf %d _cprintf_l %d _cprintf_p %d _cprintf_s %d\n", r[0], r[1], r[2],
           r[3], r[4]);
    printf("_cwprintf %d _cputws %d _putch %d _putwch %x _vcprintf %d\n", r[5], r[6], r[7], r[8],
           r[9]);
    /* typed before any console input call: the keys wait in the terminal's line buffer */
    HANDLE out = CreateFileA("CONOUT$", GENERIC_READ | GENERIC_WRITE,
                             FILE_SHARE_READ | FILE_SHARE_WRITE, NULL, OPEN_EXISTING, 0, NULL);
    _cputs("type ahead\n");
    while (GetLargestConsoleWindowSize(out).X != 100) /* the driver resizes once it typed */
        Sleep(5);
    codes("typed ahead", 6);
    printf("_kbhit before any key: %d\n", _kbhit());
    _cputs("press Q\n");
    printf("_getch: %c\n", _getch());
    _cputs("press Z\n");
    printf("_getche: %c\n", _getche());
    _cputs("\n");
    int u1 = _ungetch('m'), u2 = _ungetch('n');
    int g = _getch();
    printf("_ungetch %c, again %d, _getch %c, _kbhit %d\n", u1, u2, g, _kbhit());
    _cputs("press up\n");
    int a = _getch(), b = _getch();
    printf("up: %02x %02x\n", a, b);
    _cputs("press enter\n");
    printf("enter: %d\n", _getch());
    _cputs("press ctrl-c\n");
    printf("ctrl-c: %d\n", _getch());
    _cputs("press e-acute twice\n");
    int w = _getwch();
    int n = _getch();
    printf("e-acute: _getwch %04x _getch %02x\n", w, n);
    _cputs("type a line\n");
    char line[42] = {40};
    char *p = _cgets(line);
    printf("_cgets: [%s] length %d at +2 %d\n", p, line[1], p == line + 2);
    _cputs("type numbers\n");
    int x = 0, y = 0;
    int got = _cscanf("%d %d", &x, &y);
    int look = _getch(); /* the key _cscanf looked at last, put back with _ungetch */
    printf("_cscanf: %d %d %d, then _getch %d\n", got, x, y, look);
    _cputs("\nwaiting for a key\n");
    int polls = 0;
    while (!_kbhit())
        Sleep(10), polls++;
    printf("_kbhit: 1, _getch %c\n", _getch());

    /* keys the console input buffer decoded and queued before _getch */
    HANDLE in = CreateFileA("CONIN$", GENERIC_READ | GENERIC_WRITE,
                            FILE_SHARE_READ | FILE_SHARE_WRITE, NULL, OPEN_EXISTING, 0, NULL);
    _cputs("queue keys\n");
    DWORD events = 0;
    /* 6 keys, down and up, after the release of the key _getch took last */
    while (GetNumberOfConsoleInputEvents(in, &events) && events < 13)
        Sleep(5);
    printf("queued %lu, _kbhit %d\n", (unsigned long)events, _kbhit());
    codes("x ctrl-up f12 shift-f1 delete alt-pgup", 11);

    /* records written into the buffer */
    inject(in, TRUE, VK_SHIFT, 0x2a, 0, SHIFT_PRESSED);
    inject(in, FALSE, 'A', 0x1e, 'a', 0);
    inject(in, FALSE, VK_SHIFT, 0x2a, 0, 0);
    printf("Shift alone and releases: _kbhit %d, events left %d\n", _kbhit(),
           GetNumberOfConsoleInputEvents(in, &events) ? (int)events : -1);
    inject(in, TRUE, VK_F5, 0x3f, 0, 0);
    printf("F5 written: _kbhit %d\n", _kbhit());
    inject(in, TRUE, 'A', 0x1e, 0, LEFT_ALT_PRESSED);
    inject(in, TRUE, '1', 0x02, 0, RIGHT_ALT_PRESSED);
    inject(in, TRUE, VK_TAB, 0x0f, 0, SHIFT_PRESSED);
    inject(in, TRUE, VK_TAB, 0x0f, 0, LEFT_CTRL_PRESSED);
    inject(in, TRUE, VK_HOME, 0x47, 0, 0);                    /* the keypad's, NumLock off */
    inject(in, TRUE, VK_PRIOR, 0x49, 0, RIGHT_CTRL_PRESSED);  /* the keypad's */
    inject(in, TRUE, VK_F11, 0x57, 0, 0);
    inject(in, TRUE, VK_F12, 0x58, 0, LEFT_ALT_PRESSED);
    codes("f5 alt-a alt-1 shift-tab ctrl-tab home ctrl-pgup f11 alt-f12", 18);
    inject(in, TRUE, 0, 0, 0xd83d, 0);
    inject(in, TRUE, 0, 0, 0xde00, 0);
    inject(in, TRUE, VK_UP, 0x48, 0, ENHANCED_KEY);
    int w1 = _getwch(), w2 = _getwch(), w3 = _getwch(), w4 = _getwch();
    printf("_getwch: %04x %04x, up %04x %04x\n", w1, w2, w3, w4);
    inject(in, TRUE, VK_DOWN, 0x50, 0, ENHANCED_KEY);
    int d1 = _getch(), ub = _ungetch('z'), d2 = _getch();
    printf("down %02x, _ungetch meanwhile %d, then %02x\n", d1, ub, d2);
    _cputs("done\n");
    _free_locale(de);
    return 0;
}
