/* Breaking away from a job: a process in a job starts children in it, unless the job has
 * JOB_OBJECT_LIMIT_BREAKAWAY_OK and CreateProcess is given CREATE_BREAKAWAY_FROM_JOB (without
 * BREAKAWAY_OK that fails with ERROR_ACCESS_DENIED and starts nothing), or the job has
 * JOB_OBJECT_LIMIT_SILENT_BREAKAWAY_OK (no child joins). The children start suspended and are
 * terminated: only their membership is looked at (IsProcessInJob). */
#include <stdio.h>
#include <string.h>
#include <windows.h>

static char self[MAX_PATH];

static void limits(HANDLE job, DWORD flags)
{
    JOBOBJECT_EXTENDED_LIMIT_INFORMATION e = {0};
    e.BasicLimitInformation.LimitFlags = flags;
    if (!SetInformationJobObject(job, JobObjectExtendedLimitInformation, &e, sizeof e))
        printf("SetInformationJobObject failed %lu\n", GetLastError());
}

static void start(const char *what, HANDLE job, DWORD flags)
{
    char cmd[MAX_PATH + 16];
    snprintf(cmd, sizeof cmd, "\"%s\" child", self);
    STARTUPINFOA si = {sizeof si};
    PROCESS_INFORMATION pi;
    if (!CreateProcessA(NULL, cmd, NULL, NULL, FALSE, CREATE_SUSPENDED | flags, NULL, NULL, &si,
                        &pi)) {
        printf("%s: CreateProcess fails, error %lu\n", what, GetLastError());
        return;
    }
    BOOL in = FALSE, any = FALSE;
    IsProcessInJob(pi.hProcess, job, &in);
    IsProcessInJob(pi.hProcess, NULL, &any);
    printf("%s: in the job %d, in a job %d\n", what, in, any);
    TerminateProcess(pi.hProcess, 0);
    WaitForSingleObject(pi.hProcess, INFINITE);
    CloseHandle(pi.hThread);
    CloseHandle(pi.hProcess);
}

int main(int argc, char **argv)
{
    if (argc > 1 && !strcmp(argv[1], "child"))
        return 0;
    GetModuleFileNameA(NULL, self, MAX_PATH);
    HANDLE job = CreateJobObjectA(NULL, NULL);
    if (!AssignProcessToJobObject(job, GetCurrentProcess())) {
        printf("AssignProcessToJobObject failed %lu\n", GetLastError());
        return 1;
    }
    start("no limits", job, 0);
    start("no limits, breakaway asked", job, CREATE_BREAKAWAY_FROM_JOB);
    limits(job, JOB_OBJECT_LIMIT_BREAKAWAY_OK);
    start("breakaway ok", job, 0);
    start("breakaway ok, breakaway asked", job, CREATE_BREAKAWAY_FROM_JOB);
    limits(job, JOB_OBJECT_LIMIT_SILENT_BREAKAWAY_OK);
    start("silent breakaway", job, 0);
    limits(job, 0);
    start("limits cleared", job, 0);
    JOBOBJECT_BASIC_ACCOUNTING_INFORMATION acc;
    QueryInformationJobObject(job, JobObjectBasicAccountingInformation, &acc, sizeof acc, NULL);
    printf("processes the job had: %lu\n", acc.TotalProcesses);
    return 0;
}
