/* A test whose cases each run in a process of their own, because a case may end its process
 * (seh_coroutine, seh_stack_room: stack overflows, fatal exceptions): a table of modes, and
 * main is child_modes_main(argc, argv, modes, count). With an argument it is a child and runs
 * the mode of that name; without, it starts itself once per mode in the table's order
 * (inheriting the handles: the child writes to the same standard output), waits for each and
 * prints "[mode: exit code 0xXXXXXXXX]", or "mode: CreateProcess failed N". Standard output is
 * unbuffered in both, so the lines of the parent and the children come in the order written. */
#ifndef NTRUN_TESTS_PE_CHILD_MODES_H
#define NTRUN_TESTS_PE_CHILD_MODES_H
#include <stdio.h>
#include <string.h>
#include <windows.h>

typedef struct {
    const char *name;
    void (*run)(void);
} child_mode;

static inline void child_modes_run(const char *exe, const char *mode)
{
    char cmd[MAX_PATH + 64];
    snprintf(cmd, sizeof cmd, "\"%s\" %s", exe, mode);
    STARTUPINFOA si = {.cb = sizeof si};
    PROCESS_INFORMATION pi;
    if (!CreateProcessA(NULL, cmd, NULL, NULL, TRUE, 0, NULL, NULL, &si, &pi)) {
        printf("%s: CreateProcess failed %lu\n", mode, GetLastError());
        return;
    }
    WaitForSingleObject(pi.hProcess, INFINITE);
    DWORD code = 0;
    GetExitCodeProcess(pi.hProcess, &code);
    CloseHandle(pi.hThread);
    CloseHandle(pi.hProcess);
    printf("[%s: exit code 0x%08lX]\n", mode, code);
}

static inline int child_modes_main(int argc, char **argv, const child_mode *modes, size_t count)
{
    setvbuf(stdout, NULL, _IONBF, 0);
    if (argc > 1) {
        for (size_t i = 0; i < count; i++)
            if (!strcmp(argv[1], modes[i].name))
                modes[i].run();
        return 0;
    }
    char exe[MAX_PATH];
    GetModuleFileNameA(NULL, exe, MAX_PATH);
    for (size_t i = 0; i < count; i++)
        child_modes_run(exe, modes[i].name);
    return 0;
}
#endif
