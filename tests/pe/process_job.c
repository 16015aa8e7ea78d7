/* Job objects: children started suspended, assigned, then resumed (the usual pattern);
 * basic accounting; TerminateJobObject's exit code; kill on close (the child ends when the last
 * handle to its job is closed); IsProcessInJob; a process that has ended cannot be assigned.
 * Expected output: Wine 8.0's, except the limit flags read back (Wine 8.0 returns 0; Windows
 * returns what was set). */
#include <stdio.h>
#include <string.h>
#include <windows.h>

static HANDLE start_sleeper(const char *self, HANDLE *thread)
{
    char cmd[MAX_PATH + 32];
    snprintf(cmd, sizeof cmd, "\"%s\" sleep", self);
    STARTUPINFOA si = {sizeof si};
    PROCESS_INFORMATION pi;
    if (!CreateProcessA(NULL, cmd, NULL, NULL, FALSE, CREATE_SUSPENDED, NULL, NULL, &si, &pi))
        return NULL;
    *thread = pi.hThread;
    return pi.hProcess;
}

static void accounting(HANDLE job, const char *when)
{
    JOBOBJECT_BASIC_ACCOUNTING_INFORMATION a;
    memset(&a, 0xcc, sizeof a);
    DWORD ret = 0;
    BOOL ok = QueryInformationJobObject(job, JobObjectBasicAccountingInformation, &a, sizeof a, &ret);
    printf("%s: query %d size %lu total %lu active %lu terminated %lu\n", when, ok, ret,
           a.TotalProcesses, a.ActiveProcesses, a.TotalTerminatedProcesses);
}

int main(int argc, char **argv)
{
    if (argc > 1 && !strcmp(argv[1], "sleep")) {
        Sleep(60000);
        return 5;
    }
    char self[MAX_PATH];
    GetModuleFileNameA(NULL, self, MAX_PATH);
    HANDLE t, job = CreateJobObjectA(NULL, NULL);
    printf("CreateJobObject: %s\n", job ? "ok" : "failed");
    accounting(job, "empty");
    HANDLE a = start_sleeper(self, &t);
    BOOL in = TRUE;
    IsProcessInJob(a, NULL, &in);
    printf("before assignment, in a job: %d\n", in);
    printf("AssignProcessToJobObject: %d\n", AssignProcessToJobObject(job, a));
    IsProcessInJob(a, job, &in);
    printf("in the job: %d\n", in);
    ResumeThread(t);
    CloseHandle(t);
    accounting(job, "one running");
    printf("TerminateJobObject: %d\n", TerminateJobObject(job, 7));
    WaitForSingleObject(a, INFINITE);
    DWORD code = 0;
    GetExitCodeProcess(a, &code);
    printf("child exit code: %lu\n", code);
    accounting(job, "after terminate");
    printf("assign a process that has ended: %d\n", AssignProcessToJobObject(job, a));
    CloseHandle(a);
    CloseHandle(job);

    job = CreateJobObjectA(NULL, NULL);
    JOBOBJECT_EXTENDED_LIMIT_INFORMATION li;
    memset(&li, 0, sizeof li);
    li.BasicLimitInformation.LimitFlags = JOB_OBJECT_LIMIT_KILL_ON_JOB_CLOSE;
    printf("SetInformationJobObject: %d\n",
           SetInformationJobObject(job, JobObjectExtendedLimitInformation, &li, sizeof li));
    printf("SetInformationJobObject, wrong size: %d\n",
           SetInformationJobObject(job, JobObjectExtendedLimitInformation, &li, sizeof li - 8));
    memset(&li, 0xcc, sizeof li);
    QueryInformationJobObject(job, JobObjectExtendedLimitInformation, &li, sizeof li, NULL);
    printf("limit flags: %#lx\n", li.BasicLimitInformation.LimitFlags);
    HANDLE b = start_sleeper(self, &t);
    AssignProcessToJobObject(job, b);
    ResumeThread(t);
    CloseHandle(t);
    printf("child running: %s\n", WaitForSingleObject(b, 0) == WAIT_TIMEOUT ? "yes" : "no");
    CloseHandle(job);
    printf("after closing the job, the child ends: %s\n",
           WaitForSingleObject(b, INFINITE) == WAIT_OBJECT_0 ? "yes" : "no");
    CloseHandle(b);
    return 0;
}
