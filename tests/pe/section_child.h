/* Shared by the section tests that look at a section from a second process: runs this program
 * again with `args` after its own quoted path, waits for it and gives its exit code (1000 +
 * the last error when CreateProcess fails). stdout is flushed first, so the child's lines come
 * after the parent's. */
#include <stdio.h>
#include <windows.h>

static DWORD section_run_self(const char *args)
{
    char self[MAX_PATH], cmd[MAX_PATH + 128];
    STARTUPINFOA si = {sizeof si};
    PROCESS_INFORMATION pi;
    DWORD code = 999;
    GetModuleFileNameA(NULL, self, sizeof self);
    snprintf(cmd, sizeof cmd, "\"%s\" %s", self, args);
    fflush(stdout);
    if (!CreateProcessA(self, cmd, NULL, NULL, FALSE, 0, NULL, NULL, &si, &pi))
        return 1000 + GetLastError();
    WaitForSingleObject(pi.hProcess, INFINITE);
    GetExitCodeProcess(pi.hProcess, &code);
    CloseHandle(pi.hProcess);
    CloseHandle(pi.hThread);
    return code;
}
