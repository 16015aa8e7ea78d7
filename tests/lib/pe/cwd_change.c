/* libntrun test program for a run's own current directory. Started in directory A (the host's
 * ntrun_config_set_cwd) with argv[1] = directory B in Windows form, it prints:
 *   start <GetCurrentDirectoryA>            (A)
 *   getcwd <_getcwd> wgetcwd <_wgetcwd>     (A twice)
 *   read <first line of input.txt>          (relative fopen of a file the host put in A)
 * then SetCurrentDirectory(B), creates files by relative names (CreateFile, fopen; _mkdir and
 * _chdir into "sub", fopen there), starts itself as a child ("child" as argv[1]) without a
 * current directory, which writes its own GetCurrentDirectory to "child_cwd.txt" by a relative
 * name, and prints
 *   cwd <GetCurrentDirectoryA>              (B\sub)
 *   child <what the child wrote>            (B\sub)
 * and waits for a line on stdin before it ends (the host looks at its own working directory
 * meanwhile). Exit codes 2-15 name the step that failed. */
#include <direct.h>
#include <stdio.h>
#include <string.h>
#include <wchar.h>
#include <windows.h>
#include "self_child.h"

static int child(void)
{
    char buf[MAX_PATH];
    if (!GetCurrentDirectoryA(sizeof buf, buf))
        return 20;
    FILE *f = fopen("child_cwd.txt", "w");
    if (!f)
        return 21;
    fputs(buf, f);
    fclose(f);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc < 2)
        return 2;
    if (!strcmp(argv[1], "child"))
        return child();
    char buf[MAX_PATH], crt[MAX_PATH], line[256];
    wchar_t wcrt[MAX_PATH];
    if (!GetCurrentDirectoryA(sizeof buf, buf))
        return 9;
    printf("start %s\n", buf);
    if (!_getcwd(crt, sizeof crt) || !_wgetcwd(wcrt, MAX_PATH))
        return 10;
    printf("getcwd %s wgetcwd %ls\n", crt, wcrt);
    FILE *f = fopen("input.txt", "r");
    if (!f)
        return 11;
    if (!fgets(line, sizeof line, f))
        return 12;
    fclose(f);
    printf("read %s", line);

    if (!SetCurrentDirectoryA(argv[1]))
        return 3;
    HANDLE h = CreateFileA("by_createfile.txt", GENERIC_WRITE, 0, NULL, CREATE_ALWAYS, 0, NULL);
    if (h == INVALID_HANDLE_VALUE)
        return 4;
    CloseHandle(h);
    f = fopen("by_fopen.txt", "w");
    if (!f)
        return 5;
    fclose(f);
    if (_mkdir("sub") != 0)
        return 6;
    if (_chdir("sub") != 0)
        return 7;
    f = fopen("in_sub.txt", "w");
    if (!f)
        return 8;
    fclose(f);
    GetCurrentDirectoryA(sizeof buf, buf);
    printf("cwd %s\n", buf);

    DWORD code;
    if (!run_self_child(FALSE, &code))
        return 13;
    if (code != 0)
        return 14;
    f = fopen("child_cwd.txt", "r");
    if (!f || !fgets(line, sizeof line, f))
        return 15;
    fclose(f);
    printf("child %s\n", line);
    fflush(stdout);
    fgets(line, sizeof line, stdin);
    return 0;
}
