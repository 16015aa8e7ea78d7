/* What the job tests with grandchildren (process_job_grand.c, process_job_grand_memory.c,
 * process_job_grand_time.c, process_job_grand_port.c) share: a member started suspended in a
 * job (start_member, over pipes from child_pipe; its report read by read_line), a job whose
 * completion port has the key 0x77, the member that starts a grandchild ("PROG grand") and
 * reports on it, and the port's messages printed with their process named by role. The 20 s
 * wait for a message only keeps a missing one from hanging a test. */
#ifndef NTRUN_TESTS_JOB_GRAND_H
#define NTRUN_TESTS_JOB_GRAND_H
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <windows.h>

static char self[MAX_PATH]; /* the program's path: main sets it */

/* The member (of the memory and time tests): starts the grandchild, prints its id and, after it
 * ends, its exit code, each on a line; exits with 7. */
static inline int member(void)
{
    char cmd[MAX_PATH + 16];
    snprintf(cmd, sizeof cmd, "\"%s\" grand", self);
    STARTUPINFOA si = {sizeof si};
    PROCESS_INFORMATION pi;
    if (!CreateProcessA(NULL, cmd, NULL, NULL, FALSE, 0, NULL, NULL, &si, &pi)) {
        printf("0 %lu\n", GetLastError());
        return 1;
    }
    printf("%lu\n", pi.dwProcessId);
    fflush(stdout);
    WaitForSingleObject(pi.hProcess, INFINITE);
    DWORD code = 0;
    GetExitCodeProcess(pi.hProcess, &code);
    printf("%lu\n", code);
    fflush(stdout);
    return 7;
}

/* Starts the grandchild ("PROG grand[ ARGS]") with our standard handles inherited and the
 * creation `flags`. FALSE (and prints "0 ERROR") when CreateProcess fails. */
static inline BOOL start_grand_inherit(const char *args, DWORD flags, PROCESS_INFORMATION *pi)
{
    char cmd[MAX_PATH + 32];
    snprintf(cmd, sizeof cmd, "\"%s\" grand%s%s", self, args ? " " : "", args ? args : "");
    STARTUPINFOA si = {sizeof si};
    si.dwFlags = STARTF_USESTDHANDLES;
    si.hStdInput = GetStdHandle(STD_INPUT_HANDLE);
    si.hStdOutput = GetStdHandle(STD_OUTPUT_HANDLE);
    si.hStdError = GetStdHandle(STD_ERROR_HANDLE);
    if (!CreateProcessA(NULL, cmd, NULL, NULL, TRUE, flags, NULL, NULL, &si, pi)) {
        printf("0 %lu\n", GetLastError());
        fflush(stdout);
        return FALSE;
    }
    return TRUE;
}

/* The member of the port tests: starts the grandchild ("PROG grand[ ARGS]") with our standard
 * handles inherited, prints its id, waits for it when `wait`; exits with 7. */
static inline int member_inherit(const char *args, BOOL wait)
{
    PROCESS_INFORMATION pi;
    if (!start_grand_inherit(args, 0, &pi))
        return 1;
    printf("%lu\n", pi.dwProcessId);
    fflush(stdout);
    if (wait)
        WaitForSingleObject(pi.hProcess, INFINITE);
    return 7;
}

static inline DWORD read_line(HANDLE h, char *line)
{
    DWORD n, got = 0;
    memset(line, 0, 64);
    while (got < 63 && ReadFile(h, line + got, 1, &n, NULL) && n && line[got] != '\n')
        got++;
    return strtoul(line, NULL, 10);
}

static inline DWORD read_number(HANDLE h)
{
    char line[64];
    return read_line(h, line);
}

static inline const char *msg_name(DWORD m)
{
    switch (m) {
    case JOB_OBJECT_MSG_NEW_PROCESS: return "NEW_PROCESS";
    case JOB_OBJECT_MSG_EXIT_PROCESS: return "EXIT_PROCESS";
    case JOB_OBJECT_MSG_ABNORMAL_EXIT_PROCESS: return "ABNORMAL_EXIT_PROCESS";
    case JOB_OBJECT_MSG_ACTIVE_PROCESS_ZERO: return "ACTIVE_PROCESS_ZERO";
    case JOB_OBJECT_MSG_ACTIVE_PROCESS_LIMIT: return "ACTIVE_PROCESS_LIMIT";
    case JOB_OBJECT_MSG_END_OF_PROCESS_TIME: return "END_OF_PROCESS_TIME";
    case JOB_OBJECT_MSG_PROCESS_MEMORY_LIMIT: return "PROCESS_MEMORY_LIMIT";
    case JOB_OBJECT_MSG_JOB_MEMORY_LIMIT: return "JOB_MEMORY_LIMIT";
    default: return "other";
    }
}

/* A new job whose messages go to a new completion port (*port) with the key 0x77. */
static inline HANDLE job_with_port(HANDLE *port)
{
    HANDLE job = CreateJobObjectA(NULL, NULL);
    *port = CreateIoCompletionPort(INVALID_HANDLE_VALUE, NULL, 0, 1);
    JOBOBJECT_ASSOCIATE_COMPLETION_PORT acp = {(void *)0x77, *port};
    if (!SetInformationJobObject(job, JobObjectAssociateCompletionPortInformation, &acp,
                                 sizeof acp))
        printf("port: error %lu\n", GetLastError());
    return job;
}

/* A pipe for a child: the end it gets (the read end when child_reads) is inheritable, the
 * other one is not. */
static inline void child_pipe(HANDLE *read_end, HANDLE *write_end, BOOL child_reads)
{
    SECURITY_ATTRIBUTES sa = {sizeof sa, NULL, TRUE};
    CreatePipe(read_end, write_end, &sa, 0);
    SetHandleInformation(child_reads ? *write_end : *read_end, HANDLE_FLAG_INHERIT, 0);
}

/* Starts "PROG args" suspended with stdin `in`, stdout `out` and our stderr, assigns it to
 * `job` and resumes it: -1 (after "CreateProcess failed N") when it did not start, else what
 * AssignProcessToJobObject returned (its last error kept). */
static inline int start_member(HANDLE job, const char *args, HANDLE in, HANDLE out,
                               PROCESS_INFORMATION *pi)
{
    char cmd[MAX_PATH + 32];
    snprintf(cmd, sizeof cmd, "\"%s\" %s", self, args);
    STARTUPINFOA si = {sizeof si};
    si.dwFlags = STARTF_USESTDHANDLES;
    si.hStdInput = in;
    si.hStdOutput = out;
    si.hStdError = GetStdHandle(STD_ERROR_HANDLE);
    if (!CreateProcessA(NULL, cmd, NULL, NULL, TRUE, CREATE_SUSPENDED, NULL, NULL, &si, pi)) {
        printf("CreateProcess failed %lu\n", GetLastError());
        return -1;
    }
    int assigned = AssignProcessToJobObject(job, pi->hProcess);
    DWORD err = GetLastError();
    ResumeThread(pi->hThread);
    CloseHandle(pi->hThread);
    SetLastError(err); /* AssignProcessToJobObject's, for the caller */
    return assigned;
}

/* The port tests' member: "PROG args" in `job`, its output to a pipe (*out_r) and its input from
 * one (*in_w: closing it ends a grandchild that waits for its input's end);
 * "AssignProcessToJobObject failed N" printed when it was not assigned. FALSE when it did not
 * start; else the grandchild's id as the member reported it (0: it did not start, `line`, 64
 * bytes, has the member's "0 ERROR"). */
static inline BOOL start_port_member(HANDLE job, const char *args, PROCESS_INFORMATION *pi,
                                     HANDLE *out_r, HANDLE *in_w, char *line, DWORD *grand_pid)
{
    HANDLE out_w, in_r;
    child_pipe(out_r, &out_w, FALSE);
    child_pipe(&in_r, in_w, TRUE);
    int assigned = start_member(job, args, in_r, out_w, pi);
    CloseHandle(out_w);
    CloseHandle(in_r);
    if (assigned < 0)
        return FALSE;
    if (!assigned)
        printf("AssignProcessToJobObject failed %lu\n", GetLastError());
    *grand_pid = read_line(*out_r, line);
    return TRUE;
}

/* The memory and time tests' member run in `job` ("assigned: N" printed): FALSE when it did
 * not start; else, once it has ended, *pi (its process handle open), and the grandchild's id
 * and exit code as the member reported them. A member that has not ended after 60 s is said
 * to be stuck and its job ended, so that a hang shows, also outside ctest (whose timeout
 * would end the test without a word of what it waited for). */
static inline BOOL run_member(HANDLE job, PROCESS_INFORMATION *pi, DWORD *grand_pid,
                              DWORD *grand_code)
{
    HANDLE out_r, out_w;
    child_pipe(&out_r, &out_w, FALSE);
    int assigned = start_member(job, "member", GetStdHandle(STD_INPUT_HANDLE), out_w, pi);
    CloseHandle(out_w);
    if (assigned < 0) {
        CloseHandle(out_r);
        return FALSE;
    }
    printf("assigned: %d\n", assigned);
    if (WaitForSingleObject(pi->hProcess, 60000) != WAIT_OBJECT_0) {
        printf("the member has not ended after 60 s: ending its job\n");
        fflush(stdout);
        TerminateJobObject(job, 1);
        WaitForSingleObject(pi->hProcess, INFINITE);
    }
    *grand_pid = read_number(out_r); /* what the member wrote, then the pipe's end */
    *grand_code = read_number(out_r);
    CloseHandle(out_r);
    return TRUE;
}

/* Waits for the port's next message and prints it ("NAME ROLE key 0x77", the role "member",
 * "grandchild", "other" or "-" for none): FALSE, after "no more messages (error N)", when none
 * comes within 20 s. */
static inline BOOL next_message(HANDLE port, DWORD member_pid, DWORD grand_pid, DWORD *msg,
                                DWORD_PTR *pid)
{
    ULONG_PTR key;
    OVERLAPPED *ov;
    if (!GetQueuedCompletionStatus(port, msg, &key, &ov, 20000)) {
        printf("no more messages (error %lu)\n", GetLastError());
        return FALSE;
    }
    *pid = (DWORD_PTR)ov;
    printf("%s %s key %#lx\n", msg_name(*msg),
           *pid == 0            ? "-"
           : *pid == member_pid ? "member"
           : *pid == grand_pid  ? "grandchild"
                                : "other",
           (unsigned long)key);
    return TRUE;
}

/* Prints the port's messages up to JOB_OBJECT_MSG_ACTIVE_PROCESS_ZERO. */
static inline void print_messages(HANDLE port, DWORD member_pid, DWORD grand_pid)
{
    DWORD msg;
    DWORD_PTR pid;
    while (next_message(port, member_pid, grand_pid, &msg, &pid) &&
           msg != JOB_OBJECT_MSG_ACTIVE_PROCESS_ZERO)
        ;
}

static inline void print_accounting(HANDLE job)
{
    JOBOBJECT_BASIC_ACCOUNTING_INFORMATION acc = {0};
    QueryInformationJobObject(job, JobObjectBasicAccountingInformation, &acc, sizeof acc, NULL);
    printf("total %lu active %lu terminated %lu\n", acc.TotalProcesses, acc.ActiveProcesses,
           acc.TotalTerminatedProcesses);
}
#endif
