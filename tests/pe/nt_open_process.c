/* NtOpenProcess through the program's own `syscall` instruction (number 0x26 on Windows 10 22H2
 * and 11 24H2), with the checks of Windows' PsOpenProcess (the Windows Research Kernel's and
 * ReactOS's NtOpenProcess, in that order):
 *  - the handle's pointer, the CLIENT_ID and the OBJECT_ATTRIBUTES are probed: a bad pointer is
 *    STATUS_ACCESS_VIOLATION (no attributes too: they are required), a CLIENT_ID or attributes
 *    not aligned to 4 STATUS_DATATYPE_MISALIGNMENT;
 *  - a name and a CLIENT_ID, or neither, STATUS_INVALID_PARAMETER_MIX;
 *  - by process id: the process (its id from ProcessBasicInformation); an id no process has,
 *    or 0, STATUS_INVALID_PARAMETER (PsLookupProcessByProcessId);
 *  - with a thread id: the thread's process, STATUS_INVALID_CID unless the thread exists and
 *    UniqueProcess is its process (0 is not: PsLookupProcessThreadByCid);
 *  - a child by its id and by its primary thread's; the access asked is the handle's
 *    (NtTerminateProcess without PROCESS_TERMINATE: STATUS_ACCESS_DENIED; with it the child
 *    ends with the code given); OBJ_INHERIT makes the handle inheritable.
 * Built with -DVIA_NTDLL it calls ntdll's export instead (to compare with Wine 8.0, which does
 * not check the arguments: it crashes on a NULL CLIENT_ID). */
#include <stdio.h>
#include <string.h>
#include <windows.h>
#include <winternl.h>

#ifdef VIA_NTDLL
#define sc_open_process (LONG)NtOpenProcess
#define sc_close NtClose
#define sc_query_process NtQueryInformationProcess
#define sc_terminate NtTerminateProcess
NTSTATUS NTAPI NtOpenProcess(HANDLE *, ACCESS_MASK, OBJECT_ATTRIBUTES *, CLIENT_ID *);
NTSTATUS NTAPI NtTerminateProcess(HANDLE, LONG);
#else
#define SYSCALL_STUB(name, number)                                                            \
    __asm__(".text\n.p2align 4\n.globl " #name "\n" #name ":\n"                              \
            "    mov %rcx, %r10\n"                                                           \
            "    mov $" #number ", %eax\n"                                                   \
            "    syscall\n"                                                                  \
            "    ret\n")
SYSCALL_STUB(sc_open_process, 0x26);
SYSCALL_STUB(sc_close, 0x0f);
SYSCALL_STUB(sc_query_process, 0x19);
SYSCALL_STUB(sc_terminate, 0x2c);
LONG sc_open_process(HANDLE *, ACCESS_MASK, OBJECT_ATTRIBUTES *, CLIENT_ID *);
LONG sc_close(HANDLE);
LONG sc_query_process(HANDLE, ULONG, void *, ULONG, ULONG *);
LONG sc_terminate(HANDLE, LONG);
#endif

static OBJECT_ATTRIBUTES oa = {.Length = sizeof oa};

/* Opens {pid, tid} and prints the status and, on success, the process id the handle names. */
static void open_cid(const char *what, DWORD pid, DWORD tid)
{
    CLIENT_ID cid = {(HANDLE)(ULONG_PTR)pid, (HANDLE)(ULONG_PTR)tid};
    HANDLE h = (HANDLE)0x1234;
    LONG st = sc_open_process(&h, PROCESS_QUERY_LIMITED_INFORMATION, &oa, &cid);
    printf("%s: %#lx", what, st);
    if (st == 0) {
        PROCESS_BASIC_INFORMATION pbi;
        ULONG len = 0;
        LONG q = sc_query_process(h, ProcessBasicInformation, &pbi, sizeof pbi, &len);
        printf(", the process's id %s", q == 0 && pbi.UniqueProcessId == (ULONG_PTR)pid ? "right"
                                                                                        : "wrong");
        sc_close(h);
    } else {
        printf(", handle %s", h == (HANDLE)0x1234 ? "untouched" : "written");
    }
    printf("\n");
}

int main(int argc, char **argv)
{
    if (argc == 2 && !strcmp(argv[1], "sleep")) {
        Sleep(30000);
        return 1;
    }
    DWORD self = GetCurrentProcessId(), tid = GetCurrentThreadId();
    open_cid("this process", self, 0);
    open_cid("this process and its thread", self, tid);
    open_cid("its thread, no process id", 0, tid);
    open_cid("this process, a thread no process has", self, 0x7ffffff0);
    open_cid("id 0", 0, 0);
    open_cid("an id no process has", 0x7ffffff0, 0);

    CLIENT_ID cid = {(HANDLE)(ULONG_PTR)self, NULL};
    HANDLE h = NULL;
    printf("no attributes: %#lx\n", sc_open_process(&h, SYNCHRONIZE, NULL, &cid));
    printf("a bad CLIENT_ID: %#lx\n", sc_open_process(&h, SYNCHRONIZE, &oa, (CLIENT_ID *)16));
    printf("a bad handle pointer: %#lx\n", sc_open_process((HANDLE *)16, SYNCHRONIZE, &oa, &cid));
    printf("bad attributes: %#lx\n",
           sc_open_process(&h, SYNCHRONIZE, (OBJECT_ATTRIBUTES *)16, &cid));
    static __attribute__((aligned(8))) char buf[64];
    memcpy(buf + 2, &cid, sizeof cid);
    printf("a CLIENT_ID not aligned: %#lx\n",
           sc_open_process(&h, SYNCHRONIZE, &oa, (CLIENT_ID *)(buf + 2)));
    UNICODE_STRING name = {8, 10, L"\\abc"};
    OBJECT_ATTRIBUTES named = {.Length = sizeof named, .ObjectName = &name};
    printf("a name and a CLIENT_ID: %#lx\n", sc_open_process(&h, SYNCHRONIZE, &named, &cid));
    printf("neither: %#lx\n", sc_open_process(&h, SYNCHRONIZE, &oa, NULL));

    char self_path[MAX_PATH], cmd[MAX_PATH + 16];
    GetModuleFileNameA(NULL, self_path, sizeof self_path);
    snprintf(cmd, sizeof cmd, "\"%s\" sleep", self_path);
    STARTUPINFOA si = {sizeof si};
    PROCESS_INFORMATION pi;
    if (!CreateProcessA(self_path, cmd, NULL, NULL, FALSE, 0, NULL, NULL, &si, &pi))
        return 2;
    open_cid("the child", pi.dwProcessId, 0);
    open_cid("the child by its primary thread", pi.dwProcessId, pi.dwThreadId);
    open_cid("the child's primary thread, no process id", 0, pi.dwThreadId);
    cid.UniqueProcess = (HANDLE)(ULONG_PTR)pi.dwProcessId;
    LONG st = sc_open_process(&h, SYNCHRONIZE, &oa, &cid);
    printf("the child with SYNCHRONIZE: %#lx, terminated: %#lx\n", st, sc_terminate(h, 5));
    sc_close(h);
    OBJECT_ATTRIBUTES inherit = {.Length = sizeof inherit, .Attributes = OBJ_INHERIT};
    st = sc_open_process(&h, PROCESS_TERMINATE | SYNCHRONIZE | PROCESS_QUERY_LIMITED_INFORMATION,
                         &inherit, &cid);
    DWORD flags = 0, code = 0;
    GetHandleInformation(h, &flags);
    printf("the child with PROCESS_TERMINATE, inheritable: %#lx, flags %lu, terminated: %#lx\n",
           st, flags, sc_terminate(h, 5));
    DWORD r = WaitForSingleObject(h, 30000);
    GetExitCodeProcess(h, &code);
    printf("it ended: %lu, exit code %lu\n", r, code);
    sc_close(h);
    CloseHandle(pi.hProcess);
    CloseHandle(pi.hThread);
    return 0;
}
