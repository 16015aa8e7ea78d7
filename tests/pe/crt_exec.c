/* msvcrt's _exec functions (_execl, _execv, _execve, _execlp): the calling process starts the
 * new program and ends (exit code 0, as msvcrt's _exec does after its CreateProcess: a waiter
 * sees 0, not the new program's code) while the new program runs on with the arguments and,
 * for the e forms, the environment given (the arguments joined with spaces, unquoted, as
 * msvcrt joins them: plain words here). The test spawns itself with _P_WAIT as "middle N",
 * which _execs itself as "leaf N ..."; the leaf sets a named event with what it saw, which the
 * top waits for. A missing program: -1 with ENOENT, and the caller goes on. Wine 8.0 prints
 * the same. */
#include <errno.h>
#include <stdbool.h>
#include <process.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <windows.h>

static char self[MAX_PATH];

/* The leaf: signals event "crt_exec_<n>" when its arguments and environment are as sent. */
static int leaf(int argc, char **argv)
{
    char name[64];
    snprintf(name, sizeof name, "crt_exec_%s", argv[2]);
    const char *v = getenv("CRT_EXEC_VALUE");
    bool ok = argc == 5 && !strcmp(argv[3], "alpha") && !strcmp(argv[4], "beta");
    if (!strcmp(argv[2], "3"))
        ok = ok && v && !strcmp(v, "42");
    HANDLE e = OpenEventA(EVENT_MODIFY_STATE, FALSE, name);
    if (e && ok)
        SetEvent(e);
    return 5; /* not what the top sees: the middle's 0 */
}

/* The middle: _execs the leaf the n-th way; reached again only when that failed. */
static int middle(const char *n)
{
    const char *args[] = {self, "leaf", n, "alpha", "beta", NULL};
    const char *env[] = {"CRT_EXEC_VALUE=42", NULL};
    if (!strcmp(n, "1"))
        _execl(self, self, "leaf", n, "alpha", "beta", NULL);
    else if (!strcmp(n, "2"))
        _execv(self, args);
    else if (!strcmp(n, "3"))
        _execve(self, args, env);
    else
        _execlp(self, self, "leaf", n, "alpha", "beta", NULL);
    return 99; /* _exec failed */
}

int main(int argc, char **argv)
{
    GetModuleFileNameA(NULL, self, MAX_PATH);
    if (argc > 2 && !strcmp(argv[1], "leaf"))
        return leaf(argc, argv);
    if (argc > 2 && !strcmp(argv[1], "middle"))
        return middle(argv[2]);
    static const char *const ways[] = {"_execl", "_execv", "_execve", "_execlp"};
    for (int i = 0; i < 4; i++) {
        char n[4], name[64];
        snprintf(n, sizeof n, "%d", i + 1);
        snprintf(name, sizeof name, "crt_exec_%s", n);
        HANDLE e = CreateEventA(NULL, TRUE, FALSE, name);
        int code = (int)_spawnl(_P_WAIT, self, self, "middle", n, NULL);
        DWORD w = WaitForSingleObject(e, 20000);
        printf("%s: the caller's exit code %d, the new program %s\n", ways[i], code,
               w == WAIT_OBJECT_0 ? "ran with the arguments given" : "did not run as asked");
        CloseHandle(e);
    }
    errno = 0;
    int r = (int)_execl("no_such_prog_xyz", "no_such_prog_xyz", NULL);
    printf("missing: %d, errno ENOENT: %s\n", r, errno == ENOENT ? "yes" : "no");
    return 0;
}
