/* The test program started again as another process (pe.xproc_open, pe.xproc_named): with
 * `args` after its own path, inheriting the inheritable handles or not; and the exit code of
 * such a process once it has ended (0xdeadbeef: it did not end within 30 s). */
#include <stdio.h>
#include <windows.h>

static char xproc_self[MAX_PATH];

static HANDLE xproc_start(const char *args, BOOL inherit)
{
    char cmd[MAX_PATH + 256];
    if (!xproc_self[0])
        GetModuleFileNameA(NULL, xproc_self, sizeof xproc_self);
    snprintf(cmd, sizeof cmd, "\"%s\" %s", xproc_self, args);
    STARTUPINFOA si = {sizeof si};
    PROCESS_INFORMATION pi;
    fflush(stdout);
    if (!CreateProcessA(xproc_self, cmd, NULL, NULL, inherit, 0, NULL, NULL, &si, &pi))
        return NULL;
    CloseHandle(pi.hThread);
    return pi.hProcess;
}

static DWORD xproc_end_code(HANDLE h)
{
    DWORD code = 0xdeadbeef;
    if (WaitForSingleObject(h, 30000) == WAIT_OBJECT_0)
        GetExitCodeProcess(h, &code);
    return code;
}
