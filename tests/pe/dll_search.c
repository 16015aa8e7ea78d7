/* dll_search: imports from ghost.dll and ghost2.dll, which live in a subdirectory the default
 * DLL search (the program's directory, the current directory) does not cover: run as is, ntrun
 * refuses to start it (exit 126, "cannot find ghost.dll (searched: ...)" on stderr);
 * tests/cli/dll-search.sh runs it again with NTRUN_DLL_PATH and with --dll-path. */
#include <stdio.h>

__declspec(dllimport) const char *GhostGreeting(void);
__declspec(dllimport) int GhostNumber(void);

int main(void)
{
    printf("%s, number %d\n", GhostGreeting(), GhostNumber());
    return 0;
}
