/* Collation in the UCRT's locales: strcoll, _stricoll, _strncoll, wcscoll, _wcsicoll and their
 * _l forms, and strxfrm (whose keys compare as strcoll does), _stricmp in a code page's
 * letters. In "C" they compare bytes ("B" < "a", "e" < "é"); in de-DE, fr-FR and en-US
 * (CompareString's word sort) accents and case matter only after the letters themselves
 * ("a" < "B", "é" < "f", "ß" equals "ss", "æ" equals "ae"), lower case comes first, and
 * hyphens are ignored until the last level ("coop" < "co-op" < "cop"). Expected values:
 * Windows' sorting as Wine 8.0's ucrtbase gives it, which agrees on every sign printed except
 * _stricoll in the "C" locale, where Wine compares signed chars ("é" < "e"): the UCRT's
 * _stricmp folds unsigned bytes (__ascii_tolower of an unsigned char). */
#include "ucrt.h"

typedef void *_locale_t;
__declspec(dllimport) char *__cdecl setlocale(int cat, const char *name);
__declspec(dllimport) _locale_t __cdecl _create_locale(int cat, const char *name);
__declspec(dllimport) void __cdecl _free_locale(_locale_t l);
__declspec(dllimport) int __cdecl strcoll(const char *a, const char *b);
__declspec(dllimport) int __cdecl _stricoll(const char *a, const char *b);
__declspec(dllimport) int __cdecl _strcoll_l(const char *a, const char *b, _locale_t l);
__declspec(dllimport) int __cdecl _stricoll_l(const char *a, const char *b, _locale_t l);
__declspec(dllimport) int __cdecl _strncoll(const char *a, const char *b, size_t n);
__declspec(dllimport) int __cdecl wcscoll(const wchar16 *a, const wchar16 *b);
__declspec(dllimport) int __cdecl _wcsicoll(const wchar16 *a, const wchar16 *b);
__declspec(dllimport) size_t __cdecl strxfrm(char *d, const char *s, size_t n);
__declspec(dllimport) int __cdecl _stricmp(const char *a, const char *b);
__declspec(dllimport) int __cdecl strcmp(const char *a, const char *b);

#define LC_ALL 0
#define LC_COLLATE 1

static int sign(int v) { return (v > 0) - (v < 0); }

/* pairs in 1252 */
static const char *const pairs[][2] = {
    {"a", "B"},       {"B", "a"},       {"e", "\xe9"},      {"\xe9", "f"},   {"a", "A"},
    {"stra\xdf" "e", "strasse"},        {"stra\xdf" "e", "strasz"},          {"coop", "co-op"},
    {"co-op", "cop"}, {"10", "9"},      {"abc", "abc"},     {"", "a"},       {"\xc9t\xe9", "ete"},
    {"r\xe9sum\xe9", "resume"},         {"a b", "ab"},      {"!", "a"},      {"1", "a"},
    {"\xe6", "ae"},   {"zebra", "\xc4pfel"},
};

static void run(const char *name)
{
    printf("%s: %s\n", name, setlocale(LC_ALL, name) ? "ok" : "refused");
    char buf[256];
    int k = 0;
    for (int i = 0; i < (int)(sizeof pairs / sizeof *pairs); i++) {
        const char *a = pairs[i][0], *b = pairs[i][1];
        char ka[128], kb[128];
        size_t la = strxfrm(ka, a, sizeof ka), lb = strxfrm(kb, b, sizeof kb);
        int x = la < sizeof ka && lb < sizeof kb ? sign(strcmp(ka, kb)) : 9;
        k += sprintf(buf + k, " %d/%d/%d", sign(strcoll(a, b)), sign(_stricoll(a, b)),
                     x == sign(strcoll(a, b)));
    }
    buf[k] = 0;
    printf(" %s\n", buf);
}

int main(void)
{
    run("C");
    run("de-DE");
    run("fr-FR");
    run("English_United States.1252");
    setlocale(LC_ALL, "C");
    _locale_t de = _create_locale(LC_ALL, "de-DE");
    printf("_strcoll_l de a/B %d, C a/B %d; _stricoll_l de E9/C9 %d\n",
           sign(_strcoll_l("a", "B", de)), sign(strcoll("a", "B")),
           sign(_stricoll_l("\xe9", "\xc9", de)));
    printf("_stricmp C E9/C9 %d\n", sign(_stricmp("\xe9", "\xc9")));
    setlocale(LC_ALL, "de-DE");
    printf("_stricmp de-DE E9/C9 %d, _strncoll(\"abX\", \"abY\", 2) %d\n",
           sign(_stricmp("\xe9", "\xc9")), sign(_strncoll("abX", "abY", 2)));
    const wchar16 w1[] = {0xE9, 't', 0}, w2[] = {'f', 0}, w3[] = {0xC9, 'T', 0};
    printf("wcscoll de: %d %d, _wcsicoll %d\n", sign(wcscoll(w1, w2)), sign(wcscoll(w1, w3)),
           sign(_wcsicoll(w1, w3)));
    setlocale(LC_COLLATE, "C");
    printf("wcscoll LC_COLLATE C: %d\n", sign(wcscoll(w1, w2)));
    _free_locale(de);
    return 0;
}
