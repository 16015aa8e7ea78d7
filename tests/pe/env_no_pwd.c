/* The shell's PWD and OLDPWD (Linux paths) are not in a program's environment: Windows has no
 * such variables and programs like CMake would take PWD for their current directory. The rest
 * of the environment is there. run-pe-test.sh runs every program from a shell that sets PWD. */
#include <stdio.h>
#include <stdlib.h>
#include <windows.h>

int main(void)
{
    char buf[512];
    DWORD n = GetEnvironmentVariableA("PWD", buf, sizeof buf);
    DWORD err = GetLastError();
    printf("PWD: %lu, error %lu\n", n, err);
    printf("OLDPWD: %lu\n", GetEnvironmentVariableA("OLDPWD", buf, sizeof buf));
    printf("getenv PWD: %s\n", getenv("PWD") ? "set" : "unset");
    printf("PATH present: %d\n", GetEnvironmentVariableA("PATH", buf, sizeof buf) > 0);
    return 0;
}
