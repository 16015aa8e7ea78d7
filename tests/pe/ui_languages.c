/* ui_languages: GetUserPreferredUILanguages, GetSystemPreferredUILanguages and
 * GetThreadPreferredUILanguages (.NET reads them for CultureInfo.CurrentUICulture): the size
 * asked with a NULL buffer, the double-NUL-ended list of names and of ids, a short buffer
 * (ERROR_INSUFFICIENT_BUFFER with the size needed), both forms asked at once and a size
 * without a buffer (ERROR_INVALID_PARAMETER; Wine 8.0 prints the same). ntrun's UI language is en-US, as
 * GetUserDefaultUILanguage's 0x0409. */
#include <stdio.h>
#include <windows.h>

typedef BOOL(WINAPI *langs_fn)(DWORD, PULONG, PZZWSTR, PULONG);

static void show(const char *name, langs_fn fn, DWORD flags)
{
    ULONG count = 99, size = 0;
    WCHAR buf[32];
    BOOL ok = fn(flags, &count, NULL, &size);
    printf("%s 0x%lx: size query %d, count %lu, size %lu\n", name, flags, ok, count, size);
    count = 99;
    ULONG short_size = size - 1;
    ok = fn(flags, &count, buf, &short_size);
    printf("  short: %d error %lu size %lu\n", ok, GetLastError(), short_size);
    size = 32;
    ok = fn(flags, &count, buf, &size);
    printf("  list: %d count %lu size %lu: ", ok, count, size);
    for (ULONG i = 0; i < size; i++)
        printf(buf[i] ? "%c" : "|", (char)buf[i]);
    printf("\n");
}

int main(void)
{
    HMODULE k32 = GetModuleHandleA("kernel32.dll");
    const char *names[] = {"GetUserPreferredUILanguages", "GetSystemPreferredUILanguages",
                           "GetThreadPreferredUILanguages"};
    for (int i = 0; i < 3; i++) {
        langs_fn fn = (langs_fn)GetProcAddress(k32, names[i]);
        if (!fn) {
            printf("%s: missing\n", names[i]);
            return 1;
        }
        show(names[i], fn, MUI_LANGUAGE_NAME);
        show(names[i], fn, MUI_LANGUAGE_ID);
        if (i == 2) /* the thread's: Windows' answers to these two not known here (Wine's
                       differ from its user and system ones) */
            continue;
        ULONG count, size = 0;
        WCHAR buf[8];
        SetLastError(0);
        BOOL ok = fn(MUI_LANGUAGE_ID | MUI_LANGUAGE_NAME, &count, buf, &size);
        printf("  both: %d error %lu\n", ok, GetLastError());
        size = 8;
        SetLastError(0);
        ok = fn(MUI_LANGUAGE_NAME, &count, NULL, &size);
        printf("  size without buffer: %d error %lu\n", ok, GetLastError());
    }
    printf("GetUserDefaultUILanguage 0x%04x\n", GetUserDefaultUILanguage());
    return 0;
}
