/* crt_globals_contain: msvcrt's data exports (__argc, __argv, __wargv, _acmdln, _wcmdln,
 * __initenv, _environ, _wenviron, _pgmptr, _wpgmptr) and the strings and arrays they point to
 * lie in committed, writable memory of the program, as msvcrt.dll's data and heap do on
 * Windows (GetProcAddress gives their addresses), and ucrtbase's __p___argv & co. give committed
 * variables holding the same arguments. A program that then
 * rewrites them (the strings in place, the variables with its own or with garbage pointers)
 * changes nothing the system keeps (GetCommandLineA/W, the process environment) and the
 * process still ends normally: atexit handlers run, buffered output is flushed. lib.test_lib
 * runs this program twice in one host process (the second run sees fresh variables).
 *
 * Wine 8.0: identical. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <windows.h>

static int bad;

static const char *verdict(const void *p)
{
    MEMORY_BASIC_INFORMATION mbi;
    if (!p)
        return "NULL";
    if (!VirtualQuery(p, &mbi, sizeof mbi))
        return "VirtualQuery failed";
    if (mbi.State != MEM_COMMIT)
        return mbi.State == MEM_RESERVE ? "MEM_RESERVE" : "MEM_FREE";
    if (!(mbi.Protect & (PAGE_READWRITE | PAGE_WRITECOPY | PAGE_EXECUTE_READWRITE |
                         PAGE_EXECUTE_WRITECOPY)) ||
        (mbi.Protect & PAGE_GUARD))
        return "committed, not writable";
    return "committed, writable";
}

static void check(const char *what, const void *var, const void *value)
{
    const char *v1 = verdict(var), *v2 = verdict(value);
    bad += strcmp(v1, "committed, writable") != 0 || strcmp(v2, "committed, writable") != 0;
    printf("%-10s variable %s, value %s\n", what, v1, v2);
}

typedef void *(__cdecl *getter)(void);

#undef __argc
#undef __argv
#define __argc (*(int *)GetProcAddress(GetModuleHandleA("msvcrt.dll"), "__argc"))
#define __argv (*(char ***)GetProcAddress(GetModuleHandleA("msvcrt.dll"), "__argv"))

static void *get(HMODULE m, const char *name)
{
    getter g = (getter)GetProcAddress(m, name);
    return g ? g() : NULL;
}

static void __cdecl at_exit(void) { printf("atexit handler ran\n"); }

int main(void)
{
    HMODULE crt = GetModuleHandleA("msvcrt.dll");
    static const struct {
        const char *name;
        int strings; /* 0 int, 1 string, 2 array of strings */
    } vars[] = {
        {"__argc", 0},    {"__argv", 2},    {"__wargv", 2},   {"_acmdln", 1},
        {"_wcmdln", 1},   {"__initenv", 2}, {"_environ", 2},  {"_wenviron", 2},
        {"_pgmptr", 1},   {"_wpgmptr", 1},
    };
    _wgetenv(L"PATH"); /* _wenviron exists from the first wide call on */
    for (size_t i = 0; i < sizeof vars / sizeof vars[0]; i++) {
        void **var = (void **)GetProcAddress(crt, vars[i].name);
        if (!var) {
            printf("%-10s no variable\n", vars[i].name);
            bad++;
        } else if (vars[i].strings == 0) {
            check(vars[i].name, var, var);
        } else {
            check(vars[i].name, var, *var);
            if (vars[i].strings == 2 && *var) {
                void **a = *var;
                printf("%-10s [0] %s\n", vars[i].name, verdict(a[0]));
                bad += strcmp(verdict(a[0]), "committed, writable") != 0;
            }
        }
    }

    /* ucrtbase's own variables, once its start-up functions ran */
    HMODULE ucrt = LoadLibraryA("ucrtbase.dll");
    int(__cdecl *configure)(int) = (void *)GetProcAddress(ucrt, "_configure_narrow_argv");
    int(__cdecl *init_env)(void) = (void *)GetProcAddress(ucrt, "_initialize_narrow_environment");
    if (!configure || !init_env || configure(1) || init_env()) {
        printf("ucrtbase start-up functions failed\n");
        bad++;
    } else {
        char ***uargv = get(ucrt, "__p___argv");
        int *uargc = get(ucrt, "__p___argc");
        char ***uenv = get(ucrt, "__p__environ");
        char **ucmd = get(ucrt, "__p__acmdln");
        check("ucrt argv", uargv, uargv ? *uargv : NULL);
        check("ucrt argc", uargc, uargc);
        check("ucrt env", uenv, uenv ? *uenv : NULL);
        check("ucrt cmd", ucmd, ucmd ? *ucmd : NULL);
        if (uargv && uargc && *uargv && *uargc == __argc) {
            int same = 1;
            for (int i = 1; i < __argc; i++)
                same &= strcmp((*uargv)[i], __argv[i]) == 0;
            printf("ucrtbase arguments: %s\n", same ? "the same" : "DIFFERENT");
            bad += !same;
        } else {
            printf("ucrtbase arguments: missing\n");
            bad++;
        }
    }

    printf("argc %d:", __argc);
    for (int i = 1; i < __argc; i++)
        printf(" [%s]", __argv[i]);
    printf("\n");

    /* Now rewrite them all: the strings in place, then the variables. */
    char cmd_before[1024], env_before[64];
    lstrcpynA(cmd_before, GetCommandLineA(), sizeof cmd_before);
    DWORD env_len = GetEnvironmentVariableA("CRT_GLOBALS_VAR", env_before, sizeof env_before);
    SetEnvironmentVariableA("CRT_GLOBALS_VAR", "kept");
#define VAR(type, name) (*(type *)GetProcAddress(crt, name))
    memset(VAR(char *, "_acmdln"), 'x', strlen(VAR(char *, "_acmdln")));
    for (WCHAR *w = VAR(WCHAR *, "_wcmdln"); *w; w++)
        *w = L'y';
    for (int i = 0; i < __argc; i++)
        memset(__argv[i], 'z', strlen(__argv[i]));
    for (char **e = VAR(char **, "_environ"); *e; e++)
        memset(*e, 'e', strlen(*e));
    static char *mine[] = {"MINE=1", NULL};
    VAR(char *, "_acmdln") = "the program's own command line";
    VAR(WCHAR *, "_wcmdln") = (WCHAR *)(uintptr_t)0x10;
    VAR(char **, "__argv") = mine;
    VAR(WCHAR **, "__wargv") = (WCHAR **)(uintptr_t)0x20;
    VAR(char **, "_environ") = mine;
    VAR(WCHAR **, "_wenviron") = NULL;
    VAR(char **, "__initenv") = (char **)(uintptr_t)0x30;
    VAR(char *, "_pgmptr") = (char *)(uintptr_t)0x40;
    VAR(WCHAR *, "_wpgmptr") = NULL;
    VAR(int, "__argc") = -5;

    printf("GetCommandLineA %s\n", strcmp(GetCommandLineA(), cmd_before) ? "CHANGED" : "unchanged");
    bad += strcmp(GetCommandLineA(), cmd_before) != 0;
    char buf[64];
    DWORD n = GetEnvironmentVariableA("CRT_GLOBALS_VAR", buf, sizeof buf);
    printf("process environment: %s\n", n == 4 && !strcmp(buf, "kept") ? "intact" : "CHANGED");
    (void)env_len;
    atexit(at_exit);
    printf("%d problems\n", bad); /* buffered: exit flushes it */
    return bad != 0;
}
