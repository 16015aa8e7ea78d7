/* msvcrt's _pgmptr and _wpgmptr: the program's full path, the same name GetModuleFileName
 * gives for the exe (a drive letter, a colon, a backslash), whatever name it was started by. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>
#include <windows.h>

int main(void)
{
    char a[MAX_PATH];
    WCHAR w[MAX_PATH];
    DWORD na = GetModuleFileNameA(NULL, a, MAX_PATH);
    DWORD nw = GetModuleFileNameW(NULL, w, MAX_PATH);
    printf("GetModuleFileName: %s\n", na && nw ? "ok" : "failed");
    printf("_pgmptr absolute: %s\n",
           _pgmptr && _pgmptr[1] == ':' && _pgmptr[2] == '\\' ? "yes" : "no");
    printf("_pgmptr == GetModuleFileNameA: %s\n", _pgmptr && !strcmp(_pgmptr, a) ? "yes" : "no");
    printf("_wpgmptr == GetModuleFileNameW: %s\n", _wpgmptr && !wcscmp(_wpgmptr, w) ? "yes" : "no");
    if (_pgmptr && strcmp(_pgmptr, a))
        printf("  _pgmptr %s\n  module  %s\n", _pgmptr, a);
    return 0;
}
