/* conio.h's console I/O (msvcrt): _cputs, _cputws, _putch, _putwch and the _cprintf family
 * (_cprintf, _cprintf_l with ',' from a German locale, _cprintf_p "%2$s", _cprintf_s,
 * _cwprintf, _vcprintf) write to the console (CONOUT$), never to stdout.
 *
 * Run as a plain test (no argument, stdout redirected to a file, perhaps no console at all):
 * stdout holds only printf's lines; each console call returned its count (0 for _cputs) when
 * a console exists, or -1 without one, as Windows' do in a process without a console.
 *
 * "tty" (tests/cli/conio-pty.sh: a pseudo-terminal as the console, stdout a file): the text
 * reaches the terminal and the counts are exact; then the keyboard: _kbhit with no key (0),
 * _getch without echo ('Q'), _getche with echo ('Z'), _ungetch (a second one before the read
 * fails: EOF), the Up arrow as 0xE0 0x48, Enter as 13, ^C as 3 (no signal: _getch sets the
 * console mode 0), 'é' as 0xE9 from _getwch and 0x82 (code page 437, the console's default)
 * from _getch, _cgets of an edited line (its length in buf[1], no CR LF), _cscanf("%d %d")
 * with echo (the CR that ended it put back: the next _getch gives 13), _kbhit then _getch of a key typed while the program polls. Windows' values:
 * Microsoft's documentation of _getch ("When reading a function key or an arrow key, each
 * function must be called twice; the first call returns 0 or 0xE0, and the second call
 * returns the actual key code"), the scan code table (Up 0x48), _cgets' buffer layout, and
 * code page 437 (0x82 = U+00E9). */
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

int main(int argc, char **argv)
{
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
    _cputs("done\n");
    _free_locale(de);
    return 0;
}
