/* args_env_exit: the arguments survive the trip argv -> Windows command line -> msvcrt's
 * __getmainargs (spaces, quotes, backslashes, an empty argument), GetCommandLineA/W agree,
 * environment variables through kernel32 and through msvcrt's own copy (getenv/_putenv), and
 * the exit code returned from main (42).
 *
 * Expected output checked with Wine 8. The command line tail printed here is the minimal
 * quoting that Windows' own convention gives (quote an argument only when it is empty or holds a
 * space or tab; a '"' becomes \" and the backslashes before it are doubled; backslashes before
 * the closing quote are doubled): the same string CreateProcess callers such as Python's
 * subprocess.list2cmdline build. NTRUN_TEST=1 is set by run-pe-test.sh. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <windows.h>
#include "fail_check.h"

/* msvcrt's copy of the command line (data export; no public header declares it). */
__declspec(dllimport) extern char *_acmdln;

/* Any failed check prints what failed and exits with its own code (10 and up). */

static const char *base_name(const char *path)
{
    const char *b = path;
    for (const char *p = path; *p; p++)
        if (*p == '\\' || *p == '/')
            b = p + 1;
    return b;
}

/* The command line after the program name, as msvcrt skips it: a quoted name ends at the next
 * quote, an unquoted one at the first space or tab; then the blanks after it. */
static const char *command_line_tail(const char *cl)
{
    if (*cl == '"') {
        cl++;
        while (*cl && *cl != '"')
            cl++;
        if (*cl == '"')
            cl++;
    } else {
        while (*cl && *cl != ' ' && *cl != '\t')
            cl++;
    }
    while (*cl == ' ' || *cl == '\t')
        cl++;
    return cl;
}

int main(int argc, char **argv)
{
    char buf[256];
    DWORD n;

    /* ---- arguments ---- */
    printf("argc = %d\n", argc);
    /* mingw's start-up hands main a copy of msvcrt's __argv: same strings, own array. */
    CHECK(10, argc == __argc);
    for (int i = 0; i < argc; i++)
        CHECK(16, strcmp(argv[i], __argv[i]) == 0);
    CHECK(11, argv[argc] == NULL);
    printf("argv[0] base name = %s\n", base_name(argv[0]));
    for (int i = 1; i < argc; i++)
        printf("argv[%d] = [%s] (%u bytes)\n", i, argv[i], (unsigned)strlen(argv[i]));

    const char *cl = GetCommandLineA();
    printf("command line tail = [%s]\n", command_line_tail(cl));
    /* The wide command line is the same text (ASCII here). */
    const WCHAR *wcl = GetCommandLineW();
    CHECK(12, wcl != NULL);
    size_t len = strlen(cl);
    CHECK(13, wcslen(wcl) == len);
    for (size_t i = 0; i < len; i++)
        CHECK(14, wcl[i] == (WCHAR)(unsigned char)cl[i]);
    printf("GetCommandLineW matches GetCommandLineA: yes\n");
    /* msvcrt keeps the command line it parsed in _acmdln. */
    CHECK(15, strcmp(_acmdln, cl) == 0);
    printf("_acmdln matches: yes\n");

    /* ---- kernel32 environment ---- */
    n = GetEnvironmentVariableA("PATH", NULL, 0);
    printf("PATH set: %s\n", n > 1 ? "yes" : "no");
    n = GetEnvironmentVariableA("pAtH", NULL, 0);
    printf("names are case-insensitive: %s\n", n > 1 ? "yes" : "no");
    n = GetEnvironmentVariableA("NTRUN_TEST", buf, sizeof buf);
    printf("NTRUN_TEST = %s (%lu)\n", n ? buf : "(unset)", n);

    SetLastError(0xdeadbeef);
    n = GetEnvironmentVariableA("NTRUN_SURELY_NOT_SET_VAR", buf, sizeof buf);
    printf("missing variable: returns %lu, error %lu\n", n, GetLastError());

    CHECK(20, SetEnvironmentVariableA("NTRUN_K32_VAR", "k32 value"));
    n = GetEnvironmentVariableA("NTRUN_K32_VAR", buf, sizeof buf);
    printf("GetEnvironmentVariableA after SetEnvironmentVariableA: %lu [%s]\n", n, buf);
    /* Too small a buffer: the size needed, counting the terminating NUL. */
    memset(buf, 'x', sizeof buf);
    n = GetEnvironmentVariableA("NTRUN_K32_VAR", buf, 4);
    printf("with a 4-byte buffer: returns %lu\n", n);
    /* msvcrt copied the environment at start-up: getenv does not see kernel32 changes. */
    const char *g = getenv("NTRUN_K32_VAR");
    printf("getenv after SetEnvironmentVariableA: %s\n", g ? g : "(null)");
    /* The block from GetEnvironmentStringsA has the new variable. */
    char *block = GetEnvironmentStringsA();
    CHECK(21, block != NULL);
    int found = 0, entries = 0;
    for (char *e = block; *e; e += strlen(e) + 1) {
        entries++;
        if (strcmp(e, "NTRUN_K32_VAR=k32 value") == 0)
            found = 1;
    }
    CHECK(22, entries > 1);
    printf("GetEnvironmentStringsA has NTRUN_K32_VAR=k32 value: %s\n", found ? "yes" : "no");
    CHECK(23, FreeEnvironmentStringsA(block));
    /* Deleting: a NULL value removes the variable. */
    CHECK(24, SetEnvironmentVariableA("NTRUN_K32_VAR", NULL));
    SetLastError(0xdeadbeef);
    n = GetEnvironmentVariableA("NTRUN_K32_VAR", buf, sizeof buf);
    printf("after deleting: returns %lu, error %lu\n", n, GetLastError());

    /* ---- msvcrt environment ---- */
    g = getenv("path");
    printf("getenv(\"path\") set: %s\n", g && *g ? "yes" : "no");
    CHECK(30, _putenv("NTRUN_CRT_VAR=crt value") == 0);
    g = getenv("NTRUN_CRT_VAR");
    printf("getenv after _putenv: %s\n", g ? g : "(null)");
    /* _putenv also updates the process environment. */
    n = GetEnvironmentVariableA("NTRUN_CRT_VAR", buf, sizeof buf);
    printf("GetEnvironmentVariableA after _putenv: %lu [%s]\n", n, n ? buf : "");
    /* "NAME=" removes it from both. */
    CHECK(31, _putenv("NTRUN_CRT_VAR=") == 0);
    g = getenv("NTRUN_CRT_VAR");
    printf("getenv after _putenv(\"NTRUN_CRT_VAR=\"): %s\n", g ? g : "(null)");
    n = GetEnvironmentVariableA("NTRUN_CRT_VAR", buf, sizeof buf);
    printf("GetEnvironmentVariableA after removal: %lu\n", n);

    printf("returning 42\n");
    return 42;
}
