/* Job memory limits (JobObjectExtendedLimitInformation): JOB_OBJECT_LIMIT_PROCESS_MEMORY and
 * JOB_OBJECT_LIMIT_JOB_MEMORY. A child in a job with a process memory limit of 8 MiB commits
 * 1 MiB blocks with VirtualAlloc until one fails: it fails with ERROR_COMMITMENT_LIMIT before
 * the ninth (the process's own earlier commits count too, so "4 to 8" blocks), a reservation
 * of 64 MiB (MEM_RESERVE, nothing committed) still succeeds, and once a block is freed another
 * fits again. The job's port gets JOB_OBJECT_MSG_PROCESS_MEMORY_LIMIT with the child's id;
 * PeakProcessMemoryUsed is at least the blocks it got and at most the limit. With a job memory
 * limit of 12 MiB, a first child holding 6 MiB leaves a second child at most 6 blocks; the
 * port gets JOB_OBJECT_MSG_JOB_MEMORY_LIMIT with the second child's id, and PeakJobMemoryUsed
 * lies between what both got and the limit. The limits read back as set.
 *
 * Expected output: Windows' behaviour as the JOBOBJECT_EXTENDED_LIMIT_INFORMATION and
 * JOBOBJECT_ASSOCIATE_COMPLETION_PORT pages describe it (the failing commit's error,
 * ERROR_COMMITMENT_LIMIT, is STATUS_COMMITMENT_LIMIT's). Wine 8.0 keeps neither limit: they
 * read back as flags 0 and 0 MiB, its children commit all 64 blocks, no limit message comes,
 * and the peaks read 0. */
#include <stdio.h>
#include <string.h>
#include <windows.h>

#define MiB (1024 * 1024)

static char self[MAX_PATH];

/* Commits 1 MiB blocks until one fails (at most 64): the count, the error. */
static int commit_blocks(void **blocks, DWORD *err)
{
    int n = 0;
    *err = 0;
    while (n < 64) {
        blocks[n] = VirtualAlloc(NULL, MiB, MEM_COMMIT | MEM_RESERVE, PAGE_READWRITE);
        if (!blocks[n]) {
            *err = GetLastError();
            break;
        }
        memset(blocks[n], 1, MiB);
        n++;
    }
    return n;
}

/* The child: an exit code made of flags, printed by the parent. */
static int child_alloc(void)
{
    static void *blocks[64];
    DWORD err;
    int n = commit_blocks(blocks, &err);
    int code = n;
    if (err == ERROR_COMMITMENT_LIMIT)
        code |= 0x100;
    void *r = VirtualAlloc(NULL, 64 * MiB, MEM_RESERVE, PAGE_READWRITE);
    if (r) {
        code |= 0x200;
        VirtualFree(r, 0, MEM_RELEASE);
    }
    if (n > 0 && VirtualFree(blocks[n - 1], 0, MEM_RELEASE)) {
        void *again = VirtualAlloc(NULL, MiB, MEM_COMMIT | MEM_RESERVE, PAGE_READWRITE);
        if (again)
            code |= 0x400;
    }
    return code;
}

/* The holder: commits 6 MiB, says so on its standard output, waits to be ended. */
static int child_hold(void)
{
    for (int i = 0; i < 6; i++) {
        void *p = VirtualAlloc(NULL, MiB, MEM_COMMIT | MEM_RESERVE, PAGE_READWRITE);
        if (!p)
            return 1;
        memset(p, 1, MiB);
    }
    DWORD done;
    WriteFile(GetStdHandle(STD_OUTPUT_HANDLE), "held", 4, &done, NULL);
    Sleep(60000);
    return 2;
}

static PROCESS_INFORMATION start(const char *mode, HANDLE out)
{
    char cmd[MAX_PATH + 32];
    snprintf(cmd, sizeof cmd, "\"%s\" %s", self, mode);
    STARTUPINFOA si = {sizeof si};
    if (out) {
        si.dwFlags = STARTF_USESTDHANDLES;
        si.hStdInput = GetStdHandle(STD_INPUT_HANDLE);
        si.hStdOutput = out;
        si.hStdError = GetStdHandle(STD_ERROR_HANDLE);
    }
    PROCESS_INFORMATION pi = {0};
    if (!CreateProcessA(NULL, cmd, NULL, NULL, out != NULL, CREATE_SUSPENDED, NULL, NULL, &si,
                        &pi))
        printf("CreateProcess %s: error %lu\n", mode, GetLastError());
    return pi;
}

static HANDLE job_with(HANDLE port, ULONG_PTR key, DWORD flags, SIZE_T process_limit,
                       SIZE_T job_limit)
{
    HANDLE job = CreateJobObjectA(NULL, NULL);
    JOBOBJECT_ASSOCIATE_COMPLETION_PORT a = {(void *)key, port};
    SetInformationJobObject(job, JobObjectAssociateCompletionPortInformation, &a, sizeof a);
    JOBOBJECT_EXTENDED_LIMIT_INFORMATION lim;
    memset(&lim, 0, sizeof lim);
    lim.BasicLimitInformation.LimitFlags = flags;
    lim.ProcessMemoryLimit = process_limit;
    lim.JobMemoryLimit = job_limit;
    BOOL ok = SetInformationJobObject(job, JobObjectExtendedLimitInformation, &lim, sizeof lim);
    printf("set the limits: %d\n", ok);
    memset(&lim, 0xcc, sizeof lim);
    ok = QueryInformationJobObject(job, JobObjectExtendedLimitInformation, &lim, sizeof lim, NULL);
    printf("read back: %d flags %#lx process %lu MiB job %lu MiB\n", ok,
           lim.BasicLimitInformation.LimitFlags, (unsigned long)(lim.ProcessMemoryLimit / MiB),
           (unsigned long)(lim.JobMemoryLimit / MiB));
    return job;
}

static void show_child(const char *what, int code, int most)
{
    int n = code & 0xff;
    printf("%s: blocks within the limit: %d, ERROR_COMMITMENT_LIMIT: %d, reservation: %d, "
           "a block again after a free: %d\n",
           what, n >= 1 && n <= most, (code & 0x100) != 0, (code & 0x200) != 0,
           (code & 0x400) != 0);
}

/* The port's messages up to the child's exit: which kinds came, for which process. */
static void messages(HANDLE port, DWORD pid, DWORD limit_msg)
{
    int news = 0, limits = 0, exits = 0, others = 0;
    while (!exits) {
        DWORD msg = 0;
        ULONG_PTR key = 0;
        OVERLAPPED *ov = NULL;
        if (!GetQueuedCompletionStatus(port, &msg, &key, &ov, 30000))
            break;
        DWORD p = (DWORD)(ULONG_PTR)ov;
        if (msg == JOB_OBJECT_MSG_NEW_PROCESS && p == pid)
            news++;
        else if (msg == limit_msg && p == pid)
            limits++;
        else if (msg == JOB_OBJECT_MSG_EXIT_PROCESS && p == pid)
            exits++;
        else if (msg != JOB_OBJECT_MSG_ACTIVE_PROCESS_ZERO && msg != JOB_OBJECT_MSG_NEW_PROCESS &&
                 msg != JOB_OBJECT_MSG_EXIT_PROCESS)
            others++;
    }
    printf("messages for it: new %d, limit %d, exit %d; others %d\n", news, limits > 0, exits,
           others);
}

static int run(PROCESS_INFORMATION pi)
{
    ResumeThread(pi.hThread);
    WaitForSingleObject(pi.hProcess, 30000);
    DWORD code = 0;
    GetExitCodeProcess(pi.hProcess, &code);
    CloseHandle(pi.hThread);
    CloseHandle(pi.hProcess);
    return (int)code;
}

int main(int argc, char **argv)
{
    if (argc > 1 && !strcmp(argv[1], "alloc"))
        return child_alloc();
    if (argc > 1 && !strcmp(argv[1], "hold"))
        return child_hold();
    GetModuleFileNameA(NULL, self, MAX_PATH);
    HANDLE port = CreateIoCompletionPort(INVALID_HANDLE_VALUE, NULL, 0, 1);
    JOBOBJECT_EXTENDED_LIMIT_INFORMATION lim;

    /* the process memory limit */
    HANDLE job = job_with(port, 1, JOB_OBJECT_LIMIT_PROCESS_MEMORY, 8 * MiB, 0);
    PROCESS_INFORMATION pi = start("alloc", NULL);
    BOOL ok = AssignProcessToJobObject(job, pi.hProcess);
    printf("assigned: %d\n", ok);
    DWORD pid = pi.dwProcessId;
    int code = run(pi);
    show_child("process limit", code, 8);
    messages(port, pid, JOB_OBJECT_MSG_PROCESS_MEMORY_LIMIT);
    memset(&lim, 0, sizeof lim);
    QueryInformationJobObject(job, JobObjectExtendedLimitInformation, &lim, sizeof lim, NULL);
    printf("peak process memory: at least its blocks %d, at most the limit %d\n",
           lim.PeakProcessMemoryUsed >= (SIZE_T)(code & 0xff) * MiB,
           lim.PeakProcessMemoryUsed <= 8 * MiB);
    CloseHandle(job);

    /* the job memory limit */
    job = job_with(port, 2, JOB_OBJECT_LIMIT_JOB_MEMORY, 0, 12 * MiB);
    HANDLE rd, wr;
    SECURITY_ATTRIBUTES sa = {sizeof sa, NULL, TRUE};
    CreatePipe(&rd, &wr, &sa, 0);
    PROCESS_INFORMATION holder = start("hold", wr);
    CloseHandle(wr);
    ok = AssignProcessToJobObject(job, holder.hProcess);
    ResumeThread(holder.hThread);
    char buf[8] = {0};
    DWORD got = 0;
    ReadFile(rd, buf, 4, &got, NULL);
    printf("holder assigned: %d, says \"%.*s\"\n", ok, (int)got, buf);
    CloseHandle(rd);
    pi = start("alloc", NULL);
    ok = AssignProcessToJobObject(job, pi.hProcess);
    pid = pi.dwProcessId;
    code = run(pi);
    show_child("job limit", code, 6);
    messages(port, pid, JOB_OBJECT_MSG_JOB_MEMORY_LIMIT);
    memset(&lim, 0, sizeof lim);
    QueryInformationJobObject(job, JobObjectExtendedLimitInformation, &lim, sizeof lim, NULL);
    printf("peak job memory: at least both %d, at most the limit %d\n",
           lim.PeakJobMemoryUsed >= (SIZE_T)(6 + (code & 0xff)) * MiB,
           lim.PeakJobMemoryUsed <= 12 * MiB);
    TerminateJobObject(job, 0);
    WaitForSingleObject(holder.hProcess, 30000);
    CloseHandle(holder.hProcess);
    CloseHandle(holder.hThread);
    CloseHandle(job);
    CloseHandle(port);
    return 0;
}
