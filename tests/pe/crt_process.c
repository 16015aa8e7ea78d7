/* msvcrt's process functions: _spawnv/_spawnl with _P_WAIT (the child's exit code), _P_NOWAIT
 * and _cwait, _spawnle/_spawnlpe (the child sees the environment given), a missing program
 * (ENOENT), system(NULL), system and _popen/_pclose with commands
 * that cmd.exe and a POSIX shell run alike ("exit 3", "echo"), and tmpnam (a name that fits
 * L_tmpnam and can be created). */
#include <errno.h>
#include <process.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <windows.h>

int main(int argc, char **argv)
{
    if (argc > 1 && !strcmp(argv[1], "env")) {
        const char *v = getenv("CRT_PROCESS_VALUE");
        return v ? atoi(v) : -1;
    }
    if (argc > 1)
        return atoi(argv[1]);
    char self[MAX_PATH];
    GetModuleFileNameA(NULL, self, MAX_PATH);
    const char *args[] = {"child", "7", NULL};
    printf("_spawnv _P_WAIT: %d\n", (int)_spawnv(_P_WAIT, self, args));
    printf("_spawnl _P_WAIT: %d\n", (int)_spawnl(_P_WAIT, self, "child", "300", NULL));
    const char *env[] = {"CRT_PROCESS_VALUE=42", NULL};
    printf("_spawnle _P_WAIT: %d\n", (int)_spawnle(_P_WAIT, self, "child", "env", NULL, env));
    printf("_spawnlpe _P_WAIT: %d\n", (int)_spawnlpe(_P_WAIT, self, "child", "env", NULL, env));
    intptr_t h = _spawnl(_P_NOWAIT, self, "child", "9", NULL);
    int status = -1;
    intptr_t w = _cwait(&status, h, 0);
    printf("_cwait: %s, status %d\n", w == h ? "ok" : "failed", status);
    errno = 0;
    int r = (int)_spawnl(_P_WAIT, "no_such_prog_xyz", "x", NULL);
    printf("missing: %d, errno ENOENT: %s\n", r, errno == ENOENT ? "yes" : "no");
    printf("system(NULL): %s\n", system(NULL) ? "nonzero" : "0");
    fflush(stdout);
    printf("system(\"exit 3\"): %d\n", system("exit 3"));
    FILE *p = _popen("echo popen says hi", "r");
    char line[64] = "";
    if (p && fgets(line, sizeof line, p))
        printf("_popen read: %s", line);
    printf("_pclose: %d\n", p ? _pclose(p) : -2);
    char name[L_tmpnam];
    char *t = tmpnam(name);
    printf("tmpnam: %s, fits: %s\n", t == name ? "ok" : "failed", strlen(name) < L_tmpnam ? "yes" : "no");
    FILE *f = fopen(name, "w");
    printf("created: %s\n", f ? "yes" : "no");
    if (f) {
        fclose(f);
        remove(name);
    }
    return 0;
}
