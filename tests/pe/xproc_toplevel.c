/* Processes reached by id that nobody prepared for it, and processes that end without running
 * any code of their own.
 *  - Run alone (pe.xproc_toplevel): a process in a job with JOB_OBJECT_LIMIT_KILL_ON_JOB_CLOSE
 *    owns two named mutexes when the job's last handle is closed. Its mutexes are abandoned as
 *    if it had ended itself: a thread of the parent that was waiting for one gets
 *    WAIT_ABANDONED, and so does a wait for the other one made after the process has gone; the
 *    next wait gets WAIT_OBJECT_0. (ntrun kills such a process with SIGKILL: no code of it runs,
 *    so the other processes must notice its end themselves.)
 *  - With arguments, for tests/cli/xproc-toplevel.sh, which starts two ntrun programs from the
 *    shell: "target CODE [MUTEX]" is a top-level process that has started no child; "open PID
 *    HOW [MUTEX]" opens it by its id (same id, STILL_ACTIVE, a wait that times out), then lets
 *    it end (HOW "end": its exit code CODE), terminates it (HOW "terminate": 77) or waits while
 *    the script kills it with SIGKILL (HOW "killed": exit code 1, its mutex abandoned); "none
 *    PID" opens a process that is no ntrun process (ERROR_INVALID_PARAMETER).
 * Wine 8.0 prints the same here, but for the killed process's exit code (0 there; Windows has
 * no signals: taskkill /F and Task Manager end a process with TerminateProcess(h, 1)). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <windows.h>

#define MUTEX_WAITED "Local\\ntrun_xproc_toplevel_waited"
#define MUTEX_LATER "Local\\ntrun_xproc_toplevel_later"

static HANDLE arg_handle(const char *s) { return (HANDLE)(ULONG_PTR)_strtoui64(s, NULL, 16); }

/* The job's member: owns both mutexes, says so on the pipe, sleeps until it is killed. */
static int owner(HANDLE wr)
{
    HANDLE a = CreateMutexA(NULL, TRUE, MUTEX_WAITED), b = CreateMutexA(NULL, TRUE, MUTEX_LATER);
    DWORD n;
    WriteFile(wr, a && b ? "y" : "n", 1, &n, NULL);
    Sleep(60000);
    return 3;
}

static DWORD waiter_result = 0xdeadbeef;

static DWORD WINAPI waiter(void *mutex)
{
    DWORD r = WaitForSingleObject(mutex, 30000);
    if (r == WAIT_ABANDONED || r == WAIT_OBJECT_0)
        ReleaseMutex(mutex);
    waiter_result = r;
    return 0;
}

static int job_killed(void)
{
    SECURITY_ATTRIBUTES inherit = {sizeof inherit, NULL, TRUE};
    HANDLE rd, wr;
    if (!CreatePipe(&rd, &wr, &inherit, 0))
        return 2;
    HANDLE job = CreateJobObjectA(NULL, NULL);
    JOBOBJECT_EXTENDED_LIMIT_INFORMATION li = {0};
    li.BasicLimitInformation.LimitFlags = JOB_OBJECT_LIMIT_KILL_ON_JOB_CLOSE;
    if (!job || !SetInformationJobObject(job, JobObjectExtendedLimitInformation, &li, sizeof li))
        return 3;
    char self[MAX_PATH], cmd[MAX_PATH + 64];
    GetModuleFileNameA(NULL, self, sizeof self);
    snprintf(cmd, sizeof cmd, "\"%s\" owner %llx", self, (unsigned long long)(ULONG_PTR)wr);
    STARTUPINFOA si = {sizeof si};
    PROCESS_INFORMATION pi;
    fflush(stdout);
    if (!CreateProcessA(self, cmd, NULL, NULL, TRUE, CREATE_SUSPENDED, NULL, NULL, &si, &pi))
        return 4;
    printf("member in the job: %d\n", AssignProcessToJobObject(job, pi.hProcess));
    ResumeThread(pi.hThread);
    CloseHandle(pi.hThread);
    CloseHandle(wr);
    char c = 0;
    DWORD n = 0;
    ReadFile(rd, &c, 1, &n, NULL);
    printf("the member owns both mutexes: %c\n", c);

    HANDLE waited = OpenMutexA(SYNCHRONIZE | MUTEX_MODIFY_STATE, FALSE, MUTEX_WAITED);
    HANDLE later = OpenMutexA(SYNCHRONIZE | MUTEX_MODIFY_STATE, FALSE, MUTEX_LATER);
    printf("opened: %d %d, owned elsewhere: %#lx %#lx\n", waited != NULL, later != NULL,
           WaitForSingleObject(waited, 0), WaitForSingleObject(later, 0));
    HANDLE t = CreateThread(NULL, 0, waiter, waited, 0, NULL);
    Sleep(200); /* the thread sleeps in its wait */
    fflush(stdout);
    CloseHandle(job); /* kill on close */
    printf("the member has ended: %#lx\n", WaitForSingleObject(pi.hProcess, 30000));
    WaitForSingleObject(t, 30000);
    printf("a thread that was waiting for the first mutex: %#lx\n", waiter_result);
    printf("the first mutex again: %#lx\n", WaitForSingleObject(waited, 0));
    ReleaseMutex(waited);
    DWORD r = WaitForSingleObject(later, 0);
    printf("the second mutex, after the member's end: %#lx", r);
    if (r == WAIT_ABANDONED || r == WAIT_OBJECT_0)
        ReleaseMutex(later);
    printf(", again: %#lx\n", WaitForSingleObject(later, 0));
    ReleaseMutex(later);
    return 0;
}

/* "target CODE [MUTEX]": prints its id, owns MUTEX, ends with CODE when its event is set. */
static int target(int argc, char **argv)
{
    char name[64];
    snprintf(name, sizeof name, "Local\\ntrun_xproc_toplevel_end_%lu", GetCurrentProcessId());
    HANDLE end = CreateEventA(NULL, TRUE, FALSE, name);
    HANDLE m = argc > 3 ? CreateMutexA(NULL, TRUE, argv[3]) : NULL;
    printf("pid %lu%s\n", GetCurrentProcessId(), argc > 3 && !m ? " (no mutex)" : "");
    fflush(stdout);
    WaitForSingleObject(end, 60000);
    return atoi(argv[2]);
}

/* "open PID HOW [MUTEX]" */
static int opener(int argc, char **argv)
{
    DWORD pid = strtoul(argv[2], NULL, 10), code = 0;
    const char *how = argv[3];
    HANDLE h = OpenProcess(SYNCHRONIZE | PROCESS_QUERY_LIMITED_INFORMATION | PROCESS_TERMINATE,
                           FALSE, pid);
    if (!h) {
        printf("OpenProcess: error %lu\n", GetLastError());
        return 1;
    }
    BOOL ok = GetExitCodeProcess(h, &code);
    printf("opened: same id %d, exit code %d %s, wait %lu\n", GetProcessId(h) == pid, ok,
           code == STILL_ACTIVE ? "STILL_ACTIVE" : "?", WaitForSingleObject(h, 0));
    HANDLE m = NULL;
    if (argc > 4) {
        m = OpenMutexA(SYNCHRONIZE | MUTEX_MODIFY_STATE, FALSE, argv[4]);
        printf("its mutex: %d, owned: %#lx\n", m != NULL, WaitForSingleObject(m, 0));
    }
    if (!strcmp(how, "end")) {
        char name[64];
        snprintf(name, sizeof name, "Local\\ntrun_xproc_toplevel_end_%lu", pid);
        HANDLE e = OpenEventA(EVENT_MODIFY_STATE, FALSE, name);
        printf("told to end: %d\n", e && SetEvent(e));
    } else if (!strcmp(how, "terminate")) {
        printf("TerminateProcess(77): %d\n", TerminateProcess(h, 77));
    } else {
        printf("ready to see it killed\n");
    }
    fflush(stdout);
    printf("ended: wait %lu", WaitForSingleObject(h, 30000));
    ok = GetExitCodeProcess(h, &code);
    printf(", exit code %d %lu\n", ok, code);
    if (m) {
        DWORD r = WaitForSingleObject(m, 30000);
        printf("its mutex: %#lx", r);
        if (r == WAIT_ABANDONED || r == WAIT_OBJECT_0)
            ReleaseMutex(m);
        printf(", again %#lx\n", WaitForSingleObject(m, 0));
        ReleaseMutex(m);
    }
    return 0;
}

int main(int argc, char **argv)
{
    if (argc == 3 && !strcmp(argv[1], "owner"))
        return owner(arg_handle(argv[2]));
    if (argc >= 3 && !strcmp(argv[1], "target"))
        return target(argc, argv);
    if (argc >= 4 && !strcmp(argv[1], "open"))
        return opener(argc, argv);
    if (argc == 3 && !strcmp(argv[1], "none")) {
        SetLastError(0xdeadbeef);
        HANDLE h = OpenProcess(SYNCHRONIZE, FALSE, strtoul(argv[2], NULL, 10));
        printf("OpenProcess of a process that is no ntrun process: %d, error %lu\n", h != NULL,
               GetLastError());
        return 0;
    }
    return job_killed();
}
