/* A job's members' own children are in the job: a process started by a member joins its job
 * (unless the job lets it break away: JOB_OBJECT_LIMIT_BREAKAWAY_OK with
 * CREATE_BREAKAWAY_FROM_JOB, or JOB_OBJECT_LIMIT_SILENT_BREAKAWAY_OK; CREATE_BREAKAWAY_FROM_JOB
 * without BREAKAWAY_OK fails with ERROR_ACCESS_DENIED), so JobObjectBasicAccountingInformation
 * and JobObjectBasicProcessIdList count it, and TerminateJobObject and kill on close end it.
 * The member ("child") starts a grandchild ("grand") that waits for the end of its standard
 * input, tells its pid on its standard output (a pipe this process reads) and waits for it.
 * That pipe's end (ERROR_BROKEN_PIPE) says every process that held it has gone. */
#include "job_grand.h"

static int grand(void)
{
    char c;
    DWORD n;
    while (ReadFile(GetStdHandle(STD_INPUT_HANDLE), &c, 1, &n, NULL) && n)
        ;
    return 3;
}

/* Starts a grandchild with `flags`, prints its pid (0: CreateProcess failed, and the error),
 * then waits for it. */
static int child(DWORD flags)
{
    PROCESS_INFORMATION pi;
    if (!start_grand_inherit(NULL, flags, &pi)) {
        grand(); /* until this process's input ends: the job still has it */
        return 1;
    }
    printf("%lu\n", pi.dwProcessId);
    fflush(stdout);
    WaitForSingleObject(pi.hProcess, INFINITE);
    DWORD code = 0;
    GetExitCodeProcess(pi.hProcess, &code);
    return (int)code;
}

typedef struct {
    HANDLE job, process, out_r, in_w;
    DWORD pid, grand_pid;
} trio; /* the job, its member and the member's grandchild */

static void limits(HANDLE job, DWORD flags)
{
    JOBOBJECT_EXTENDED_LIMIT_INFORMATION e = {0};
    e.BasicLimitInformation.LimitFlags = flags;
    if (!SetInformationJobObject(job, JobObjectExtendedLimitInformation, &e, sizeof e))
        printf("SetInformationJobObject failed %lu\n", GetLastError());
}

/* A member of a new job with `limit_flags`, which starts a grandchild with `flags`. */
static BOOL start(trio *m, DWORD limit_flags, DWORD flags)
{
    memset(m, 0, sizeof *m);
    m->job = CreateJobObjectA(NULL, NULL);
    limits(m->job, limit_flags);
    HANDLE out_w, in_r;
    child_pipe(&m->out_r, &out_w, FALSE);
    child_pipe(&in_r, &m->in_w, TRUE);
    char args[32];
    snprintf(args, sizeof args, "child %lu", flags);
    PROCESS_INFORMATION pi;
    int assigned = start_member(m->job, args, in_r, out_w, &pi);
    CloseHandle(out_w);
    CloseHandle(in_r);
    if (assigned < 0)
        return FALSE;
    if (!assigned)
        printf("AssignProcessToJobObject failed %lu\n", GetLastError());
    m->process = pi.hProcess;
    m->pid = pi.dwProcessId;
    char line[64];
    m->grand_pid = read_line(m->out_r, line);
    if (!m->grand_pid)
        printf("the grandchild did not start: error %lu\n",
               strtoul(strchr(line, ' ') ? strchr(line, ' ') : "0", NULL, 10));
    return TRUE;
}

/* The job's accounting and process list, the member and the grandchild named by role. */
static void show(const char *what, trio *m)
{
    JOBOBJECT_BASIC_ACCOUNTING_INFORMATION acc = {0};
    QueryInformationJobObject(m->job, JobObjectBasicAccountingInformation, &acc, sizeof acc,
                              NULL);
    printf("%s: total %lu active %lu\n", what, acc.TotalProcesses, acc.ActiveProcesses);
    union {
        JOBOBJECT_BASIC_PROCESS_ID_LIST l;
        char b[sizeof(JOBOBJECT_BASIC_PROCESS_ID_LIST) + 16 * sizeof(ULONG_PTR)];
    } u;
    memset(&u, 0xcc, sizeof u);
    DWORD len = 0;
    BOOL ok = QueryInformationJobObject(m->job, JobObjectBasicProcessIdList, &u, sizeof u, &len);
    printf("%s: id list %d assigned %lu listed %lu length %lu:", what, ok,
           u.l.NumberOfAssignedProcesses, u.l.NumberOfProcessIdsInList, len);
    for (DWORD i = 0; ok && i < u.l.NumberOfProcessIdsInList && i < 16; i++) {
        ULONG_PTR id = u.l.ProcessIdList[i];
        printf(" %s", id == m->pid ? "member" : id == m->grand_pid && id ? "grandchild" : "other");
    }
    printf("\n");
    BOOL small = QueryInformationJobObject(m->job, JobObjectBasicProcessIdList, &u, 8, &len);
    printf("%s: id list in 8 bytes %d error %lu\n", what, small, small ? 0 : GetLastError());
}

/* Reads the member's output to its end: every process that could write it has gone. */
static void wait_gone(const char *what, trio *m)
{
    char buf[64];
    DWORD n;
    while (ReadFile(m->out_r, buf, sizeof buf, &n, NULL) && n)
        ;
    printf("%s: output closed, error %lu\n", what, GetLastError());
}

static void finish(trio *m)
{
    CloseHandle(m->in_w);
    CloseHandle(m->out_r);
    if (m->process)
        CloseHandle(m->process);
    if (m->job)
        CloseHandle(m->job);
}

int main(int argc, char **argv)
{
    GetModuleFileNameA(NULL, self, MAX_PATH);
    if (argc > 1 && !strcmp(argv[1], "grand"))
        return grand();
    if (argc > 2 && !strcmp(argv[1], "child"))
        return child(strtoul(argv[2], NULL, 10));
    trio m;
    DWORD code = 0;

    /* in the job: counted, listed, ended by TerminateJobObject */
    if (start(&m, 0, 0)) {
        show("grandchild", &m);
        TerminateJobObject(m.job, 7);
        WaitForSingleObject(m.process, INFINITE);
        GetExitCodeProcess(m.process, &code);
        printf("terminated: member exit code %lu\n", code);
        wait_gone("terminated", &m);
        show("terminated", &m);
        finish(&m);
    }

    /* kill on close */
    if (start(&m, JOB_OBJECT_LIMIT_KILL_ON_JOB_CLOSE, 0)) {
        CloseHandle(m.job);
        m.job = NULL;
        wait_gone("job closed", &m);
        finish(&m);
    }

    /* breaking away: the grandchild is not in the job; ended by closing its input */
    static const struct {
        const char *what;
        DWORD limit, flags;
    } away[] = {
        {"breakaway ok, asked", JOB_OBJECT_LIMIT_BREAKAWAY_OK, CREATE_BREAKAWAY_FROM_JOB},
        {"breakaway ok, not asked", JOB_OBJECT_LIMIT_BREAKAWAY_OK, 0},
        {"silent breakaway", JOB_OBJECT_LIMIT_SILENT_BREAKAWAY_OK, 0},
        {"asked, not allowed", 0, CREATE_BREAKAWAY_FROM_JOB},
    };
    for (size_t i = 0; i < sizeof away / sizeof away[0]; i++) {
        if (!start(&m, away[i].limit, away[i].flags))
            continue;
        show(away[i].what, &m);
        CloseHandle(m.in_w);
        m.in_w = NULL;
        WaitForSingleObject(m.process, INFINITE);
        GetExitCodeProcess(m.process, &code);
        printf("%s: member exit code %lu\n", away[i].what, code);
        wait_gone(away[i].what, &m);
        finish(&m);
    }
    return 0;
}
