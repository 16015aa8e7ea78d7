/* The UCRT start-up and exit sequence as an MSVC-built program sees it: a global "constructed"
 * by _initterm from .CRT$XCU before main, registering its "destructor" with atexit as a C++
 * compiler's dynamic initializer does (kept in C: a C++ object would import vcruntime140's
 * frame handler), a C initializer in .CRT$XIU run by
 * _initterm_e, argc/argv/envp, getenv and _putenv_s, the WinMain command line, a module's own
 * onexit table, and exit() running atexit functions last-in first-out (the global's destructor,
 * registered first, last) with the exit code of exit(). */
#include "ucrt.h"

__declspec(dllimport) char *__cdecl getenv(const char *name);
__declspec(dllimport) int __cdecl _putenv_s(const char *name, const char *value);
__declspec(dllimport) char *__cdecl _get_narrow_winmain_command_line(void);
__declspec(dllimport) int *__cdecl __p___argc(void);
__declspec(dllimport) int __cdecl strcmp(const char *a, const char *b);
__declspec(dllimport) int __cdecl strncmp(const char *a, const char *b, size_t n);
typedef void(__cdecl *_PVFV)(void);
typedef int(__cdecl *_PIFV)(void);
typedef struct _onexit_table_t {
    _PVFV *_first, *_last, *_end;
} _onexit_table_t;
__declspec(dllimport) int __cdecl _initialize_onexit_table(_onexit_table_t *table);
__declspec(dllimport) int __cdecl _register_onexit_function(_onexit_table_t *table, _PIFV fn);
__declspec(dllimport) int __cdecl _execute_onexit_table(_onexit_table_t *table);
int __cdecl atexit(_PVFV fn);

static int xiu_ran;
static int __cdecl xiu_init(void)
{
    xiu_ran = 1;
    return 0;
}
#pragma section(".CRT$XIU", long, read)
__declspec(allocate(".CRT$XIU")) _PIFV xiu_entry = xiu_init;

static int global_argc_seen;
static void __cdecl global_destroy(void) { printf("global destroyed last\n"); }
static void __cdecl global_construct(void)
{
    global_argc_seen = *__p___argc();
    printf("global constructed before main (xiu ran: %d)\n", xiu_ran);
    atexit(global_destroy);
}
#pragma section(".CRT$XCU", long, read)
__declspec(allocate(".CRT$XCU")) _PVFV xcu_entry = global_construct;

static void __cdecl first(void) { printf("atexit: registered first, runs second\n"); }
static void __cdecl second(void) { printf("atexit: registered second, runs first\n"); }
static int __cdecl table_a(void) { printf("own table: a\n"); return 0; }
static int __cdecl table_b(void) { printf("own table: b\n"); return 0; }

int main(int argc, char **argv, char **envp)
{
    printf("main: argc=%d (the constructor saw %d)\n", argc, global_argc_seen);
    for (int i = 1; i < argc; i++)
        printf("argv[%d]=[%s]\n", i, argv[i]);
    printf("argv[argc] is NULL: %d\n", argv[argc] == 0);
    printf("WinMain command line: [%s]\n", _get_narrow_winmain_command_line());

    int found = 0;
    for (char **e = envp; *e; e++)
        if (strncmp(*e, "NTRUN_TEST=", 11) == 0)
            found = 1;
    printf("envp has NTRUN_TEST: %d, getenv: %s\n", found, getenv("NTRUN_TEST"));
    printf("getenv of an unset variable is NULL: %d\n", getenv("UCRT_STARTUP_UNSET") == 0);
    printf("_putenv_s: %d, ", _putenv_s("UCRT_STARTUP_VAR", "set by _putenv_s"));
    printf("getenv: %s\n", getenv("UCRT_STARTUP_VAR"));

    static _onexit_table_t table; /* zero-filled, as a module's table is */
    printf("_initialize_onexit_table: %d\n", _initialize_onexit_table(&table));
    _register_onexit_function(&table, table_a);
    _register_onexit_function(&table, table_b);
    printf("_execute_onexit_table: %d\n", _execute_onexit_table(&table));
    printf("executed again (empty): %d\n", _execute_onexit_table(&table));

    atexit(first);
    atexit(second);
    exit(17);
}
