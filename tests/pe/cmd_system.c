/* msvcrt's system and _popen run their command with cmd.exe /c (COMSPEC, else the system
 * directory's cmd.exe; under ntrun the built-in cmd): cmd's syntax (&&, ||, IF, %VAR%,
 * EXIT /B), not a POSIX shell's. Expected output is Windows'. Wine 8.0 differs in two places:
 * its cmd runs "|| echo unreachable" after a successful ECHO, and its _pclose gives 1, not the
 * exit code 9009 of cmd /c for a program that is not found. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <windows.h>

int main(void)
{
    printf("system(NULL): %s\n", system(NULL) ? "nonzero" : "0");
    fflush(stdout);
    int r = system("echo via system&& exit /b 2");
    printf("system returned %d\n", r);
    fflush(stdout);
    r = system("if 1==1 (exit 7) else (exit 8)");
    printf("if: %d\n", r);
    SetEnvironmentVariableA("NTCMD_SYS", "value");
    _putenv("NTCMD_CRT=crt value");
    fflush(stdout);
    r = system("echo %NTCMD_CRT%|| echo unreachable");
    printf("%%VAR%%: %d\n", r);
    FILE *p = _popen("echo popen one& echo popen two& exit /b 5", "r");
    char line[256];
    while (p && fgets(line, sizeof line, p))
        printf("popen read: [%.*s]\n", (int)strcspn(line, "\r\n"), line);
    printf("_pclose: %d\n", p ? _pclose(p) : -1);
    p = _popen("more_than_nothing_xyz 2>nul", "r");
    while (p && fgets(line, sizeof line, p))
        printf("unexpected: %s", line);
    printf("_pclose of a missing program: %d\n", p ? _pclose(p) : -1);
    return 0;
}
