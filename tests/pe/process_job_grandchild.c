/* The exit code another process reads of a job member's own child (in the job through its
 * parent, not started by the job's creator), when the job ends it: the job's creator opens the
 * grandchild by the id the job lists (JobObjectBasicProcessIdList) and reads TerminateJobObject's
 * code (77), and, when the last handle of a kill-on-close job is closed, 0 — as for the member
 * itself (pe.process_job_sibling). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <windows.h>

static char self[MAX_PATH];

static BOOL spawn(const char *args, DWORD flags, PROCESS_INFORMATION *pi)
{
    char cmd[MAX_PATH + 64];
    snprintf(cmd, sizeof cmd, "\"%s\" %s", self, args);
    STARTUPINFOA si = {sizeof si};
    fflush(stdout);
    return CreateProcessA(self, cmd, NULL, NULL, FALSE, flags, NULL, NULL, &si, pi);
}

/* The member: starts the grandchild, says so, waits to be ended. */
static int member(void)
{
    PROCESS_INFORMATION pi;
    if (!spawn("sleep", 0, &pi))
        return 3;
    HANDLE ready = OpenEventA(EVENT_MODIFY_STATE, FALSE, "ntrun-job-grand-ready");
    SetEvent(ready);
    Sleep(60000);
    return 5;
}

static void round_trip(BOOL terminate)
{
    HANDLE ready = CreateEventA(NULL, FALSE, FALSE, "ntrun-job-grand-ready");
    HANDLE job = CreateJobObjectW(NULL, NULL);
    JOBOBJECT_EXTENDED_LIMIT_INFORMATION lim;
    memset(&lim, 0, sizeof lim);
    lim.BasicLimitInformation.LimitFlags = JOB_OBJECT_LIMIT_KILL_ON_JOB_CLOSE;
    BOOL ok = SetInformationJobObject(job, JobObjectExtendedLimitInformation, &lim, sizeof lim);
    PROCESS_INFORMATION pi;
    if (!spawn("member", CREATE_SUSPENDED, &pi)) {
        printf("CreateProcess failed %lu\n", GetLastError());
        return;
    }
    BOOL assigned = AssignProcessToJobObject(job, pi.hProcess);
    ResumeThread(pi.hThread);
    CloseHandle(pi.hThread);
    DWORD r = WaitForSingleObject(ready, 30000);
    /* the list in a plain array (ProcessIdList is declared with 1 element): two counts, then
     * the ids */
    ULONG_PTR ids[9];
    memset(ids, 0, sizeof ids);
    JOBOBJECT_BASIC_PROCESS_ID_LIST *l = (JOBOBJECT_BASIC_PROCESS_ID_LIST *)ids;
    l->NumberOfAssignedProcesses = 8;
    BOOL listed = QueryInformationJobObject(job, JobObjectBasicProcessIdList, ids, sizeof ids, NULL);
    DWORD n = l->NumberOfProcessIdsInList, gpid = 0;
    for (DWORD i = 0; i < n && i < 8; i++)
        if (ids[1 + i] != pi.dwProcessId)
            gpid = (DWORD)ids[1 + i];
    HANDLE g = gpid ? OpenProcess(SYNCHRONIZE | PROCESS_QUERY_LIMITED_INFORMATION, FALSE, gpid) : NULL;
    DWORD code = 0xdeadbeef;
    BOOL got = g && GetExitCodeProcess(g, &code);
    printf("kill on close %d, member assigned %d, grandchild ready %lu, listed %d: %lu ids, "
           "grandchild opened %d, exit code before %d %lu\n", ok, assigned, r, listed,
           n, g != NULL, got, code);
    BOOL ended = terminate ? TerminateJobObject(job, 77) : CloseHandle(job);
    DWORD gw = g ? WaitForSingleObject(g, 30000) : WAIT_FAILED;
    code = 0xdeadbeef;
    got = g && GetExitCodeProcess(g, &code);
    DWORD mcode = 0xdeadbeef;
    DWORD mw = WaitForSingleObject(pi.hProcess, 30000);
    GetExitCodeProcess(pi.hProcess, &mcode);
    printf("%s %d: grandchild wait %lu, exit code %d %lu; member wait %lu, exit code %lu\n",
           terminate ? "TerminateJobObject" : "CloseHandle of the job", ended, gw, got, code, mw,
           mcode);
    fflush(stdout);
    if (g)
        CloseHandle(g);
    CloseHandle(pi.hProcess);
    if (terminate)
        CloseHandle(job);
    CloseHandle(ready);
}

int main(int argc, char **argv)
{
    GetModuleFileNameA(NULL, self, sizeof self);
    if (argc == 2 && !strcmp(argv[1], "sleep")) {
        Sleep(60000);
        return 5;
    }
    if (argc == 2 && !strcmp(argv[1], "member"))
        return member();
    round_trip(TRUE);
    round_trip(FALSE);
    return 0;
}
