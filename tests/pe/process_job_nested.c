/* Nested jobs (Windows 8 and later). A process already in a job that is assigned to a second,
 * empty job makes that job nested in its immediate job; assigning it again to a job of its
 * chain succeeds; a job that holds other processes (or a process into a job outside its chain)
 * cannot be joined: ERROR_ACCESS_DENIED. A process assigned to a nested job joins the whole
 * chain (IsProcessInJob says so for the outer job, whose accounting counts it). Each job of the
 * chain gets JOB_OBJECT_MSG_NEW_PROCESS on its own port; TerminateJobObject of the inner job
 * ends its processes with its exit code. The outer job's limits apply to the inner one: with
 * an active-process limit of 1 on the outer job, a second process assigned to the inner job
 * fails with ERROR_NOT_ENOUGH_QUOTA (it ends with 1816) and the outer job's port gets
 * JOB_OBJECT_MSG_ACTIVE_PROCESS_LIMIT (the inner one's nothing); closing the outer job with
 * JOB_OBJECT_LIMIT_KILL_ON_JOB_CLOSE ends the process of the inner one.
 *
 * Expected output: Windows' behaviour as Microsoft's "Nested Jobs", AssignProcessToJobObject
 * and JOBOBJECT_ASSOCIATE_COMPLETION_PORT pages describe it. Wine 8.0 gives the same output up
 * to the active-process limit, which it does not enforce (E joins: "1 error 0", runs on, and
 * port 3 gets a second JOB_OBJECT_MSG_NEW_PROCESS instead of the limit message). */
#include <stdio.h>
#include <string.h>
#include <windows.h>
#include "start_suspended.h"

static char self[MAX_PATH];

static PROCESS_INFORMATION start(void) { return start_suspended(self, "sleep"); }

static HANDLE job_with_port(ULONG_PTR key, HANDLE *port)
{
    HANDLE job = CreateJobObjectA(NULL, NULL);
    *port = CreateIoCompletionPort(INVALID_HANDLE_VALUE, NULL, 0, 1);
    JOBOBJECT_ASSOCIATE_COMPLETION_PORT a = {(void *)key, *port};
    SetInformationJobObject(job, JobObjectAssociateCompletionPortInformation, &a, sizeof a);
    return job;
}

static void assign(const char *what, HANDLE job, HANDLE process)
{
    SetLastError(0);
    BOOL ok = AssignProcessToJobObject(job, process);
    printf("%s: %d error %lu\n", what, ok, ok ? 0 : GetLastError());
}

static void in_job(const char *what, HANDLE process, HANDLE job)
{
    BOOL in = -1;
    BOOL ok = IsProcessInJob(process, job, &in);
    printf("%s: %d %d\n", what, ok, in);
}

static void accounting(const char *what, HANDLE job)
{
    JOBOBJECT_BASIC_ACCOUNTING_INFORMATION a;
    memset(&a, 0xcc, sizeof a);
    BOOL ok = QueryInformationJobObject(job, JobObjectBasicAccountingInformation, &a, sizeof a,
                                        NULL);
    printf("%s: %d total %lu active %lu\n", what, ok, a.TotalProcesses, a.ActiveProcesses);
}

/* The next message of a port: which, for which of the two processes. */
static void next(const char *port_name, HANDLE port, DWORD pid1, DWORD pid2)
{
    DWORD msg = 0;
    ULONG_PTR key = 0;
    OVERLAPPED *ov = NULL;
    BOOL ok = GetQueuedCompletionStatus(port, &msg, &key, &ov, 20000);
    DWORD pid = (DWORD)(ULONG_PTR)ov;
    printf("%s: %d message %lu key %lu %s\n", port_name, ok, msg, (unsigned long)key,
           !ov ? "no process" : pid == pid1 ? "process 1" : pid == pid2 ? "process 2" : "another");
}

static void no_more(const char *port_name, HANDLE port)
{
    DWORD msg = 0;
    ULONG_PTR key = 0;
    OVERLAPPED *ov = NULL;
    BOOL ok = GetQueuedCompletionStatus(port, &msg, &key, &ov, 0);
    printf("%s: no more messages: %d\n", port_name, !ok);
}

static void ended(const char *what, HANDLE process)
{
    DWORD code = 0;
    WaitForSingleObject(process, 20000);
    GetExitCodeProcess(process, &code);
    printf("%s ended with %lu\n", what, code);
}

int main(int argc, char **argv)
{
    if (argc > 1 && !strcmp(argv[1], "sleep")) {
        Sleep(60000);
        return 5;
    }
    GetModuleFileNameA(NULL, self, MAX_PATH);

    HANDLE port1, port2;
    HANDLE outer = job_with_port(1, &port1), inner = job_with_port(2, &port2);
    PROCESS_INFORMATION a = start(), b = start(), c = start();
    assign("A into the outer job", outer, a.hProcess);
    assign("A into an empty job: nested", inner, a.hProcess);
    in_job("A in the outer job", a.hProcess, outer);
    in_job("A in the inner job", a.hProcess, inner);
    HANDLE other = CreateJobObjectA(NULL, NULL);
    assign("B into a third job", other, b.hProcess);
    assign("A into the third job (holds B)", other, a.hProcess);
    assign("B into the outer job (holds A)", outer, b.hProcess);
    assign("C into the inner job", inner, c.hProcess);
    in_job("C in the outer job", c.hProcess, outer);
    in_job("B in the outer job", b.hProcess, outer);
    accounting("outer", outer);
    accounting("inner", inner);
    accounting("third", other);
    next("port 1", port1, a.dwProcessId, c.dwProcessId);
    next("port 1", port1, a.dwProcessId, c.dwProcessId);
    next("port 2", port2, a.dwProcessId, c.dwProcessId);
    next("port 2", port2, a.dwProcessId, c.dwProcessId);
    ResumeThread(a.hThread);
    ResumeThread(c.hThread);
    BOOL ok = TerminateJobObject(inner, 7);
    printf("terminate the inner job: %d\n", ok);
    ended("A", a.hProcess);
    ended("C", c.hProcess);
    accounting("outer", outer);
    accounting("inner", inner);
    TerminateJobObject(other, 3);
    ended("B", b.hProcess);
    CloseHandle(other);
    CloseHandle(inner);
    CloseHandle(outer);

    /* the outer job's limits */
    HANDLE port3, port4;
    outer = job_with_port(3, &port3);
    inner = job_with_port(4, &port4);
    JOBOBJECT_EXTENDED_LIMIT_INFORMATION lim;
    memset(&lim, 0, sizeof lim);
    lim.BasicLimitInformation.LimitFlags =
        JOB_OBJECT_LIMIT_ACTIVE_PROCESS | JOB_OBJECT_LIMIT_KILL_ON_JOB_CLOSE;
    lim.BasicLimitInformation.ActiveProcessLimit = 1;
    ok = SetInformationJobObject(outer, JobObjectExtendedLimitInformation, &lim, sizeof lim);
    printf("outer limits: %d\n", ok);
    PROCESS_INFORMATION d = start(), e = start();
    assign("D into the outer job", outer, d.hProcess);
    assign("D into the inner job", inner, d.hProcess);
    assign("E into the inner job, over the outer limit", inner, e.hProcess);
    ended("E", e.hProcess);
    next("port 3", port3, d.dwProcessId, e.dwProcessId);
    next("port 3", port3, d.dwProcessId, e.dwProcessId);
    next("port 4", port4, d.dwProcessId, e.dwProcessId);
    no_more("port 4", port4);
    ResumeThread(d.hThread);
    CloseHandle(outer);
    ended("D, the outer job closed", d.hProcess);
    accounting("inner", inner);
    CloseHandle(inner);
    return 0;
}
