/* LoadLibraryA(argv[1]) then GetProcAddress(argv[2]) (lib.dll_search_uses_the_runs_directory):
 * exit 0 when both succeed, else 100 + the last error of the step that failed (capped at 155). */
#include <windows.h>

static int fail(void)
{
    DWORD e = GetLastError();
    return 100 + (int)(e > 55 ? 55 : e);
}

int main(int argc, char **argv)
{
    if (argc < 3)
        return 2;
    HMODULE m = LoadLibraryA(argv[1]);
    if (!m)
        return fail();
    if (!GetProcAddress(m, argv[2]))
        return fail();
    return 0;
}
