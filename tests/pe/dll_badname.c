/* LoadLibrary with names that carry a path shorter than the DLL name they mean ("../x" means
 * "../x.dll"), a trailing separator or dot: each fails with ERROR_MOD_NOT_FOUND (126) as on
 * Windows, and the loader reads nothing outside the name (an ASan build checks that). */
#include <stdio.h>
#include <windows.h>

int main(void)
{
    static const char *const names[] = {"../x", "..\\x", "./y.", "a/", "C:z", "..\\ab.dll"};
    for (int i = 0; i < (int)(sizeof names / sizeof names[0]); i++) {
        SetLastError(0);
        HMODULE h = LoadLibraryA(names[i]);
        printf("%s: %s, error %lu\n", names[i], h ? "loaded" : "NULL", GetLastError());
    }
    return 0;
}
