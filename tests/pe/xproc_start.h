/* The test program started again as another process (pe.xproc_open, pe.xproc_named): with
 * `args` after its own path, inheriting the inheritable handles or not; and the exit code of
 * such a process once it has ended (0xdeadbeef: it did not end within 30 s); xproc_run(args):
 * such a process (no handle inherited) waited for without a time limit, its exit code (0xbad:
 * it could not be started; pe.file_lock_*, pe.section_*); xproc_start_piped(args,
 * &wr, &pi): such a process inheriting the inheritable handles, its standard input the read end
 * of a new pipe (*wr the write end, not inherited), its standard output and error ours
 * (pe.ws_acceptex_data, pe.ws_duplicate_ansi hand it a socket's WSAPROTOCOL_INFO). */
#ifndef NTRUN_TESTS_PE_XPROC_START_H
#define NTRUN_TESTS_PE_XPROC_START_H
#include <stdio.h>
#include <windows.h>

static char xproc_self[MAX_PATH];

static inline HANDLE xproc_start(const char *args, BOOL inherit)
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

static inline DWORD xproc_end_code(HANDLE h)
{
    DWORD code = 0xdeadbeef;
    if (WaitForSingleObject(h, 30000) == WAIT_OBJECT_0)
        GetExitCodeProcess(h, &code);
    return code;
}

static inline DWORD xproc_run(const char *args)
{
    HANDLE h = xproc_start(args, FALSE);
    if (!h)
        return 0xbad;
    WaitForSingleObject(h, INFINITE);
    DWORD code = 0xbad;
    GetExitCodeProcess(h, &code);
    CloseHandle(h);
    return code;
}

/* Unlike xproc_start, stdout is not flushed first: the child writes to the same standard
 * output, and its callers' lines come in the order they always did. FALSE when CreateProcess
 * failed (GetLastError says why; the pipe is left open). */
static inline BOOL xproc_start_piped(const char *args, HANDLE *wr, PROCESS_INFORMATION *pi)
{
    char cmd[MAX_PATH + 256];
    if (!xproc_self[0])
        GetModuleFileNameA(NULL, xproc_self, sizeof xproc_self);
    snprintf(cmd, sizeof cmd, "\"%s\" %s", xproc_self, args);
    SECURITY_ATTRIBUTES sa = {sizeof sa, NULL, TRUE};
    HANDLE rd;
    CreatePipe(&rd, wr, &sa, 0);
    SetHandleInformation(*wr, HANDLE_FLAG_INHERIT, 0);
    STARTUPINFOA si = {sizeof si};
    si.dwFlags = STARTF_USESTDHANDLES;
    si.hStdInput = rd;
    si.hStdOutput = GetStdHandle(STD_OUTPUT_HANDLE);
    si.hStdError = GetStdHandle(STD_ERROR_HANDLE);
    if (!CreateProcessA(NULL, cmd, NULL, NULL, TRUE, 0, NULL, NULL, &si, pi))
        return FALSE;
    CloseHandle(rd);
    return TRUE;
}
#endif
