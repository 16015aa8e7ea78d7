/* shell32!CommandLineToArgvW on the cases Windows documents: the program name without backslash
 * processing, quotes grouping, 2n / 2n+1 backslashes before a quote, literal backslashes, tabs,
 * an empty quoted argument, the empty command line (the program's path) and a NULL count. */
#include <stdio.h>
#include <string.h>
#include <windows.h>
#include <shellapi.h>

static void show(const wchar_t *cmd)
{
    int n = -1;
    wchar_t **v = CommandLineToArgvW(cmd, &n);
    printf("%d:", n);
    for (int i = 0; i < n; i++) {
        printf(" [");
        for (const wchar_t *p = v[i]; *p; p++)
            putchar((char)*p);
        printf("]");
    }
    printf("%s\n", v[n] == NULL ? "" : " (no NULL terminator)");
    LocalFree(v);
}

int main(void)
{
    show(L"prog.exe a b");
    show(L"\"C:\\Program Files\\x.exe\" \"a b\" c");
    show(L"p a\\\\\\\"b c");
    show(L"p a\\\\\"b c\" d");
    show(L"p a\\b\\\\c");
    show(L"p\\\\x\\\"y z");
    show(L"p\ta\t\tb");
    show(L"p \"\" x");
    show(L"p  trailing   ");
    int n = -1;
    wchar_t **v = CommandLineToArgvW(L"", &n);
    size_t len = v ? wcslen(v[0]) : 0;
    printf("empty: %d, path ends with .exe: %d\n", n,
           len > 4 && _wcsicmp(v[0] + len - 4, L".exe") == 0);
    LocalFree(v);
    SetLastError(0);
    v = CommandLineToArgvW(L"p a", NULL);
    printf("NULL count: %p, error %lu\n", (void *)v, GetLastError());
    return 0;
}
