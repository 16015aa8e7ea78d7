/* A job whose last handle is closed while processes are in it lives on until they have ended,
 * as Windows documents ("destroyed when its last handle has been closed and all associated
 * processes have been terminated"; without JOB_OBJECT_LIMIT_KILL_ON_JOB_CLOSE) and Wine 8.0
 * does (its processes hold a reference on their job): its completion port still gets the
 * exits of its member and of the member's own child, then JOB_OBJECT_MSG_ACTIVE_PROCESS_ZERO;
 * a job made after the close gets none of them (ntrun gave it the closed job's place, and the
 * grandchild's exit message, told by the grandchild, reached the new job's port instead: the
 * `late` run, tests/pe/process_job_closed_late.args, with the grandchild slowed between the
 * message it composes and its write, NTRUN_TEST_JOBMEM_EXIT_LATE_US, and the job closed in that
 * window) and only its own member's messages.
 * Each run: a member that starts a grandchild reading its input to the end and then waits for
 * it; once the port has told both NEW_PROCESS, the job is closed and a second job with a port
 * of its own (key 0x88) is made, then the grandchild's input closed (`late`: closed first, the
 * job closed 100 ms later while the grandchild ends; the pause only opens the window the hook
 * widens, the output does not depend on it). The 20 s wait for a message only keeps a missing
 * one from hanging the test. Last (not in the `late` runs), the caller assigns itself to a job
 * and closes it: it stays in the job, and a child it starts then joins it.
 * The `stamp` runs (tests/pe/process_job_closed_stamp.args) are the `late` runs without the
 * first port's messages: ntrun runs them with its jobs' lingering off (NTRUN_TEST_JOB_NO_LINGER,
 * the closed job gone at once and its slot given to the second job), so that only the stamp of
 * the grandchild's late exit message (ntemu/job_memory.c "events") keeps it from the second
 * job's port; on Windows they print the same. */
#include "job_grand.h"

static int grand(void)
{
    char c;
    DWORD n;
    while (ReadFile(GetStdHandle(STD_INPUT_HANDLE), &c, 1, &n, NULL) && n)
        ;
    ExitProcess(5);
}

static void run(BOOL late, BOOL first_port_read)
{
    printf("-- %s\n", late ? "closed while the grandchild ends" : "closed with its processes");
    HANDLE port, job = job_with_port(&port);
    HANDLE out_r, in_w;
    PROCESS_INFORMATION pi;
    char line[64];
    DWORD grand_pid;
    if (!start_port_member(job, "child", &pi, &out_r, &in_w, line, &grand_pid))
        return;
    DWORD msg;
    DWORD_PTR pid;
    for (int i = 0; i < 2 && next_message(port, pi.dwProcessId, grand_pid, &msg, &pid); i++)
        ;
    if (late) {
        CloseHandle(in_w); /* the grandchild ends */
        Sleep(100);
    }
    printf("close: %d\n", CloseHandle(job));
    HANDLE port2, job2 = CreateJobObjectA(NULL, NULL);
    port2 = CreateIoCompletionPort(INVALID_HANDLE_VALUE, NULL, 0, 1);
    JOBOBJECT_ASSOCIATE_COMPLETION_PORT acp = {(void *)0x88, port2};
    if (!SetInformationJobObject(job2, JobObjectAssociateCompletionPortInformation, &acp,
                                 sizeof acp))
        printf("port: error %lu\n", GetLastError());
    if (!late)
        CloseHandle(in_w);
    if (first_port_read) {
        printf("first job's port:\n");
        print_messages(port, pi.dwProcessId, grand_pid);
    }
    /* (the member ends after the grandchild, whose exit message its parent, the member, waited
     * for: the host reads it before it tells the member's end) */
    WaitForSingleObject(pi.hProcess, INFINITE);
    DWORD code = 0;
    GetExitCodeProcess(pi.hProcess, &code);
    printf("member exit code %lu\n", code);
    CloseHandle(pi.hProcess);
    CloseHandle(out_r);
    /* every exit of the first job has been told: nothing of them may wait in the second port */
    printf("second job's port:\n");
    ULONG_PTR key;
    OVERLAPPED *ov;
    if (GetQueuedCompletionStatus(port2, &msg, &key, &ov, 0))
        printf("%s pid %s key %#lx\n", msg_name(msg),
               (DWORD_PTR)ov == grand_pid       ? "grandchild"
               : (DWORD_PTR)ov == pi.dwProcessId ? "member"
                                                 : "other",
               (unsigned long)key);
    else
        printf("nothing yet (error %lu)\n", GetLastError());
    /* its own member's messages, and only those */
    HANDLE nul = CreateFileA("NUL", GENERIC_READ | GENERIC_WRITE, 0, NULL, OPEN_EXISTING, 0, NULL);
    PROCESS_INFORMATION pi2;
    if (start_member(job2, "quick", nul, nul, &pi2) > 0) {
        print_messages(port2, pi2.dwProcessId, 0);
        WaitForSingleObject(pi2.hProcess, INFINITE);
        CloseHandle(pi2.hProcess);
    }
    CloseHandle(nul);
    print_accounting(job2);
    CloseHandle(job2);
    CloseHandle(port2);
    CloseHandle(port);
}

/* The caller assigned to a job whose handle it then closes stays in it, and so do the children
 * it starts afterwards (before 2026-12-07 ntrun took the caller out of the job at the close). */
static void self_in_job(void)
{
    printf("-- the caller in a job it closed\n");
    HANDLE job = CreateJobObjectA(NULL, NULL);
    printf("assign: %d\n", AssignProcessToJobObject(job, GetCurrentProcess()));
    printf("close: %d\n", CloseHandle(job));
    BOOL in = FALSE;
    IsProcessInJob(GetCurrentProcess(), NULL, &in);
    printf("caller in a job: %d\n", in);
    char cmd[MAX_PATH + 16];
    snprintf(cmd, sizeof cmd, "\"%s\" quick", self);
    STARTUPINFOA si = {sizeof si};
    PROCESS_INFORMATION pi;
    if (!CreateProcessA(NULL, cmd, NULL, NULL, FALSE, 0, NULL, NULL, &si, &pi)) {
        printf("CreateProcess failed %lu\n", GetLastError());
        return;
    }
    in = FALSE;
    IsProcessInJob(pi.hProcess, NULL, &in);
    printf("child in a job: %d\n", in);
    WaitForSingleObject(pi.hProcess, INFINITE);
    CloseHandle(pi.hProcess);
    CloseHandle(pi.hThread);
}

int main(int argc, char **argv)
{
    GetModuleFileNameA(NULL, self, sizeof self);
    if (argc >= 2 && !strcmp(argv[1], "child"))
        return member_inherit(NULL, TRUE);
    if (argc >= 2 && !strcmp(argv[1], "grand"))
        return grand();
    if (argc >= 2 && !strcmp(argv[1], "quick"))
        return 3;
    if (argc >= 2 && !strcmp(argv[1], "late")) {
        run(TRUE, TRUE);
        run(TRUE, TRUE);
        return 0;
    }
    if (argc >= 2 && !strcmp(argv[1], "stamp")) {
        run(TRUE, FALSE);
        run(TRUE, FALSE);
        return 0;
    }
    run(FALSE, TRUE);
    run(FALSE, TRUE);
    self_in_job(); /* last: the process stays in that job */
    return 0;
}
