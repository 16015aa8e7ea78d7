/* The exit code another process reads of a job member the job ended: a watcher (started
 * outside the job, holding an inherited handle to the member) and the job's creator both read
 * the code of TerminateJobObject (77), and, when the last handle of a kill-on-close job is
 * closed, the code Windows gives its members then (0). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <windows.h>

static char self[MAX_PATH];

static HANDLE start(const char *args, BOOL inherit, DWORD flags)
{
    char cmd[MAX_PATH + 64];
    snprintf(cmd, sizeof cmd, "\"%s\" %s", self, args);
    STARTUPINFOA si = {sizeof si};
    PROCESS_INFORMATION pi;
    fflush(stdout);
    if (!CreateProcessA(self, cmd, NULL, NULL, inherit, flags, NULL, NULL, &si, &pi))
        return NULL;
    if (flags & CREATE_SUSPENDED) {
        CloseHandle(pi.hProcess);
        return pi.hThread; /* the caller resumes it; its process handle comes later */
    }
    CloseHandle(pi.hThread);
    return pi.hProcess;
}

/* A member started suspended in `job`, resumed: its process handle. */
static HANDLE member(HANDLE job)
{
    char cmd[MAX_PATH + 64];
    snprintf(cmd, sizeof cmd, "\"%s\" sleep", self);
    STARTUPINFOA si = {sizeof si};
    PROCESS_INFORMATION pi;
    if (!CreateProcessA(self, cmd, NULL, NULL, FALSE, CREATE_SUSPENDED, NULL, NULL, &si, &pi))
        return NULL;
    BOOL ok = AssignProcessToJobObject(job, pi.hProcess);
    ResumeThread(pi.hThread);
    CloseHandle(pi.hThread);
    printf("parent: member assigned %d\n", ok);
    fflush(stdout);
    return pi.hProcess;
}

static int watcher(const char *handle)
{
    HANDLE h = (HANDLE)(ULONG_PTR)_strtoui64(handle, NULL, 16);
    HANDLE ready = OpenEventA(EVENT_MODIFY_STATE, FALSE, "ntrun-job-sibling-ready");
    DWORD code = 0xdeadbeef;
    BOOL got = GetExitCodeProcess(h, &code);
    printf("watcher: before: %d %lu\n", got, code);
    fflush(stdout);
    SetEvent(ready);
    DWORD w = WaitForSingleObject(h, 30000);
    code = 0xdeadbeef;
    got = GetExitCodeProcess(h, &code);
    printf("watcher: wait %lu, exit code %d %lu\n", w, got, code);
    return 0;
}

static void round_trip(BOOL terminate)
{
    HANDLE job = CreateJobObjectW(NULL, NULL);
    JOBOBJECT_EXTENDED_LIMIT_INFORMATION lim;
    memset(&lim, 0, sizeof lim);
    lim.BasicLimitInformation.LimitFlags = JOB_OBJECT_LIMIT_KILL_ON_JOB_CLOSE;
    BOOL ok = SetInformationJobObject(job, JobObjectExtendedLimitInformation, &lim, sizeof lim);
    HANDLE m = member(job);
    HANDLE mi = NULL; /* an inheritable handle of the member, for the watcher */
    DuplicateHandle(GetCurrentProcess(), m, GetCurrentProcess(), &mi, 0, TRUE,
                    DUPLICATE_SAME_ACCESS);
    char args[64];
    snprintf(args, sizeof args, "watch %llx", (unsigned long long)(ULONG_PTR)mi);
    HANDLE w = start(args, TRUE, 0);
    DWORD r = WaitForSingleObject(OpenEventA(SYNCHRONIZE, FALSE, "ntrun-job-sibling-ready"), 30000);
    printf("parent: kill on close %d, watcher ready %lu\n", ok, r);
    fflush(stdout);
    BOOL ended = terminate ? TerminateJobObject(job, 77) : CloseHandle(job);
    DWORD code = 0xdeadbeef;
    DWORD mw = WaitForSingleObject(m, 30000);
    GetExitCodeProcess(m, &code);
    WaitForSingleObject(w, 30000); /* (its lines come first) */
    printf("parent: %s %d, member wait %lu, exit code %lu\n",
           terminate ? "TerminateJobObject" : "CloseHandle of the job", ended, mw, code);
    fflush(stdout);
    CloseHandle(mi);
    if (terminate)
        CloseHandle(job);
}

int main(int argc, char **argv)
{
    GetModuleFileNameA(NULL, self, sizeof self);
    if (argc == 2 && !strcmp(argv[1], "sleep")) {
        Sleep(60000);
        return 5;
    }
    if (argc == 3 && !strcmp(argv[1], "watch"))
        return watcher(argv[2]);
    HANDLE ready = CreateEventA(NULL, FALSE, FALSE, "ntrun-job-sibling-ready");
    if (!ready)
        return 1;
    round_trip(TRUE);
    round_trip(FALSE);
    return 0;
}
