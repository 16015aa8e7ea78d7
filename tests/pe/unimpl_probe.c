/* GetProcAddress of a real Windows export ntrun does not implement returns NULL with
 * ERROR_PROC_NOT_FOUND, so programs that probe optional functions fall back (on Windows the
 * names resolve; the fallback line is then "found"). The probe is traced under --trace=loader. */
#include <windows.h>
#include <stdio.h>

int main(void)
{
    HMODULE user32 = LoadLibraryA("user32.dll");
    SetLastError(0);
    FARPROC p = GetProcAddress(user32, "DrawIcon");
    printf("user32!DrawIcon: %s, error %lu\n", p ? "found" : "NULL, falling back",
           p ? 0 : GetLastError());
    return 0;
}
