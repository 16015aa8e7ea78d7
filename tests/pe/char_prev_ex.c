/* user32 CharPrevExA and CharNextExA on a given code page: Shift-JIS (932) steps over a lead
 * byte and its trail byte, also where the trail byte is itself a lead-byte value (only a walk
 * from the start tells them apart), a pointer inside a character goes back to its start, a
 * lead byte before the NUL is one character; a single-byte page (437) steps one byte; the
 * start gives the start; a NUL between start and the pointer stops the walk there. The last
 * lines use the ANSI code page, UTF-8 under ntrun (Wine 8.0 and an English Windows have 1252
 * there, and step one byte). 7-Zip 26 reading a zip archive's names stopped at CharPrevExA. */
#include <windows.h>
#include <stdio.h>

static void prev(const char *what, WORD cp, const char *s, int at)
{
    const char *r = CharPrevExA(cp, s, s + at, 0);
    printf("prev %s at %d: %d\n", what, at, (int)(r - s));
}

static void next(const char *what, WORD cp, const char *s, int at)
{
    const char *r = CharNextExA(cp, s + at, 0);
    printf("next %s at %d: %d\n", what, at, (int)(r - s));
}

int main(void)
{
    static const char sjis[] = "\x82\xa0\x82\xa2x";    /* two kana and an x */
    static const char sjis_trail[] = "\x82\x82\x82\x82"; /* two characters 0x82 0x82 */
    static const char lone_lead[] = "a\x82";
    static const char cp437[] = "\x82\xa0x";
    static const char with_nul[] = "ab\0cd";
    static const char utf8[] = "a\xc3\xa9\xe2\x82\xac" "b";

    for (int at = 5; at >= 0; at--)
        prev("932 kana", 932, sjis, at);
    prev("932 trail like lead", 932, sjis_trail, 4);
    prev("932 trail like lead", 932, sjis_trail, 3);
    prev("932 trail like lead", 932, sjis_trail, 2);
    prev("932 lone lead", 932, lone_lead, 2);
    for (int at = 3; at >= 0; at--)
        prev("437", 437, cp437, at);
    prev("NUL between", 437, with_nul, 4);
    prev("NUL between", 437, with_nul, 2);

    next("932 kana", 932, sjis, 0);
    next("932 kana", 932, sjis, 2);
    next("932 kana", 932, sjis, 4);
    next("932 kana", 932, sjis, 5);
    next("932 lone lead", 932, lone_lead, 1);
    next("437", 437, cp437, 0);

    if (GetACP() == CP_UTF8) {
        for (int at = 7; at >= 0; at--)
            prev("ANSI (UTF-8)", CP_ACP, utf8, at);
        next("ANSI (UTF-8)", CP_ACP, utf8, 1);
        next("ANSI (UTF-8)", CP_ACP, utf8, 3);
    } else {
        printf("the ANSI code page is %u, not UTF-8\n", GetACP());
    }
    return 0;
}
