/* What the tests/lib programs that start themselves share (cwd_change.c, drive_child.c): run
 * this program again with "child" as argv[1] (no lpCurrentDirectory: the child starts in ours)
 * and wait for it. */
#ifndef NTRUN_TESTS_LIB_SELF_CHILD_H
#define NTRUN_TESTS_LIB_SELF_CHILD_H
#include <stdio.h>
#include <windows.h>

/* FALSE (after "CreateProcess error N") when the child did not start, else TRUE and *code its
 * exit code. With `share_std`, the child gets this process's standard handles
 * (STARTF_USESTDHANDLES, inherited), else the default ones. */
static inline BOOL run_self_child(BOOL share_std, DWORD *code)
{
    char self[MAX_PATH], cmd[MAX_PATH + 16];
    GetModuleFileNameA(NULL, self, sizeof self);
    snprintf(cmd, sizeof cmd, "\"%s\" child", self);
    STARTUPINFOA si = {.cb = sizeof si};
    if (share_std) {
        si.dwFlags = STARTF_USESTDHANDLES;
        si.hStdInput = GetStdHandle(STD_INPUT_HANDLE);
        si.hStdOutput = GetStdHandle(STD_OUTPUT_HANDLE);
        si.hStdError = GetStdHandle(STD_ERROR_HANDLE);
    }
    PROCESS_INFORMATION pi;
    if (!CreateProcessA(self, cmd, NULL, NULL, share_std, 0, NULL, NULL, &si, &pi)) {
        printf("CreateProcess error %lu\n", GetLastError());
        return FALSE;
    }
    *code = 1;
    WaitForSingleObject(pi.hProcess, INFINITE);
    GetExitCodeProcess(pi.hProcess, code);
    CloseHandle(pi.hProcess);
    CloseHandle(pi.hThread);
    return TRUE;
}
#endif
