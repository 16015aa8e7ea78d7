/* msvcrt's strcmp (code in msvcrt's image under ntrun): -1, 0 or 1 as msvcrt returns, bytes
 * compared unsigned (0x80 above 0x7f), a prefix below the longer string, empty strings, long
 * equal strings that differ only at their end. Called through a pointer from GetProcAddress so
 * that the compiler folds nothing. */
#include <stdio.h>
#include <string.h>
#include <windows.h>

typedef int(__cdecl *strcmp_fn)(const char *, const char *);

int main(void)
{
    strcmp_fn cmp = (strcmp_fn)GetProcAddress(GetModuleHandleA("msvcrt.dll"), "strcmp");
    if (!cmp)
        return 1;
    static const char *const pairs[][2] = {
        {"", ""}, {"a", ""}, {"", "a"}, {"abc", "abc"}, {"abc", "abd"}, {"abd", "abc"},
        {"ab", "abc"}, {"abc", "ab"}, {"\x80", "\x7f"}, {"\x7f", "\x80"}, {"\xff", "\x01"},
        {"FILE*", "FILE*"}, {"FILE*", "FILE+"},
    };
    for (size_t i = 0; i < sizeof pairs / sizeof *pairs; i++)
        printf("%d ", cmp(pairs[i][0], pairs[i][1]));
    printf("\n");
    static char a[5000], b[5000];
    memset(a, 'x', sizeof a - 1);
    memset(b, 'x', sizeof b - 1);
    printf("long equal: %d, ", cmp(a, b));
    b[sizeof b - 2] = 'y';
    printf("last byte differs: %d\n", cmp(a, b));
    return 0;
}
