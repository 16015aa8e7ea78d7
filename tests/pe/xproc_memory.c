/* Cross-process memory and handles, as PostgreSQL's postmaster starts a backend: the program
 * starts itself suspended with inherited handles (a pagefile-backed section, a file-backed one,
 * a handle of the parent process), reserves in the child the address where the parent mapped
 * the shared section (VirtualAllocEx MEM_RESERVE), allocates, writes, reads, queries and
 * protects child memory (VirtualAllocEx/WriteProcessMemory/ReadProcessMemory/VirtualQueryEx/
 * VirtualProtectEx), puts a section and a listening named pipe into the child
 * (DuplicateHandle with DUPLICATE_CLOSE_SOURCE), then resumes it. The child releases the
 * reservation (VirtualFree), maps the inherited section at the parent's address
 * (MapViewOfFileEx), and both see each other's writes. Also: the Windows errors for handles
 * that name no process or lack the access. Wine 8.0 agrees but for the read of reserved memory,
 * which it lets succeed (Windows: ERROR_PARTIAL_COPY, nothing read). */
#include <stdio.h>
#include <string.h>
#include <windows.h>

#define SEC_SIZE 0x100000
#define SHARED_AT ((void *)0x3f0000000ull) /* where the parent maps the section */

typedef struct {
    char parent_says[32];
    void *child_mem;          /* VirtualAllocEx'd in the child, written by the parent */
    HANDLE dup_section;       /* the child's handle of the file-backed section */
    HANDLE dup_pipe;          /* the child's listening instance of the pipe */
    char child_says[32];
} shared_area;

static int fail(const char *what)
{
    printf("FAIL %s: error %lu\n", what, GetLastError());
    fflush(stdout);
    return 1;
}

static int child(int argc, char **argv)
{
    HANDLE sec = (HANDLE)(ULONG_PTR)_strtoui64(argv[2], NULL, 16);
    HANDLE fsec = (HANDLE)(ULONG_PTR)_strtoui64(argv[3], NULL, 16);
    HANDLE parent = (HANDLE)(ULONG_PTR)_strtoui64(argv[4], NULL, 16);
    (void)argc;
    /* PGSharedMemoryReAttach: the reservation goes, the section takes its place */
    if (!VirtualFree(SHARED_AT, 0, MEM_RELEASE))
        return fail("child VirtualFree of the reservation");
    shared_area *a = MapViewOfFileEx(sec, FILE_MAP_READ | FILE_MAP_WRITE, 0, 0, 0, SHARED_AT);
    if (!a)
        return fail("child MapViewOfFileEx at the parent's address");
    printf("child: mapped at the parent's address: %s\n", (void *)a == SHARED_AT ? "yes" : "no");
    printf("child: parent says \"%s\"\n", a->parent_says);
    printf("child: memory the parent wrote: \"%s\"\n", (char *)a->child_mem);
    MEMORY_BASIC_INFORMATION mbi;
    VirtualQuery(a->child_mem, &mbi, sizeof mbi);
    printf("child: that memory is %s, protection %#lx\n",
           mbi.State == MEM_COMMIT ? "committed" : "not committed", mbi.Protect);
    char *f = MapViewOfFile(fsec, FILE_MAP_READ, 0, 0, 0);
    printf("child: inherited file section: \"%s\"\n", f ? f : "(not mapped)");
    char *g = MapViewOfFile(a->dup_section, FILE_MAP_READ, 0, 0, 0);
    printf("child: duplicated file section: \"%s\"\n", g ? g : "(not mapped)");
    printf("child: parent process handle: %s\n",
           WaitForSingleObject(parent, 0) == WAIT_TIMEOUT ? "running" : "not running");
    /* the pipe instance the parent made for us: a client connects to it here */
    BOOL connected = ConnectNamedPipe(a->dup_pipe, NULL) || GetLastError() == ERROR_PIPE_CONNECTED;
    char msg[32] = "";
    DWORD got = 0;
    if (connected && ReadFile(a->dup_pipe, msg, sizeof msg - 1, &got, NULL)) {
        msg[got] = 0;
        WriteFile(a->dup_pipe, "pong", 4, &got, NULL);
    }
    printf("child: pipe handed over: connected %d, read \"%s\"\n", connected, msg);
    strcpy(a->child_says, "hello from the child");
    fflush(stdout);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc == 5 && !strcmp(argv[1], "child"))
        return child(argc, argv);

    SECURITY_ATTRIBUTES inherit = {sizeof inherit, NULL, TRUE};
    HANDLE sec = CreateFileMappingA(INVALID_HANDLE_VALUE, &inherit, PAGE_READWRITE, 0, SEC_SIZE, NULL);
    if (!sec)
        return fail("CreateFileMapping");
    shared_area *a = MapViewOfFileEx(sec, FILE_MAP_READ | FILE_MAP_WRITE, 0, 0, 0, SHARED_AT);
    if (!a)
        return fail("MapViewOfFileEx at a chosen address");
    strcpy(a->parent_says, "hello from the parent");

    HANDLE file = CreateFileA("xproc.dat", GENERIC_READ | GENERIC_WRITE, 0, NULL, CREATE_ALWAYS,
                              FILE_ATTRIBUTE_NORMAL, NULL);
    DWORD n;
    WriteFile(file, "file contents", 14, &n, NULL);
    HANDLE fsec = CreateFileMappingA(file, &inherit, PAGE_READONLY, 0, 0, NULL);
    if (!fsec)
        return fail("CreateFileMapping of a file");
    HANDLE fsec2 = CreateFileMappingA(file, NULL, PAGE_READONLY, 0, 0, NULL);
    HANDLE me = NULL;
    if (!DuplicateHandle(GetCurrentProcess(), GetCurrentProcess(), GetCurrentProcess(), &me, 0,
                         TRUE, DUPLICATE_SAME_ACCESS))
        return fail("DuplicateHandle of the process");

    char self[MAX_PATH], cmd[MAX_PATH + 128];
    GetModuleFileNameA(NULL, self, sizeof self);
    snprintf(cmd, sizeof cmd, "\"%s\" child %llx %llx %llx", self, (unsigned long long)(ULONG_PTR)sec,
             (unsigned long long)(ULONG_PTR)fsec, (unsigned long long)(ULONG_PTR)me);
    STARTUPINFOA si = {sizeof si};
    PROCESS_INFORMATION pi;
    fflush(stdout);
    if (!CreateProcessA(self, cmd, NULL, NULL, TRUE, CREATE_SUSPENDED, NULL, NULL, &si, &pi))
        return fail("CreateProcess");

    /* pgwin32_ReserveSharedMemoryRegion */
    void *r = VirtualAllocEx(pi.hProcess, SHARED_AT, SEC_SIZE, MEM_RESERVE, PAGE_READWRITE);
    printf("reserve in the child at the parent's address: %s\n",
           r == SHARED_AT ? "ok" : r ? "elsewhere" : "failed");
    MEMORY_BASIC_INFORMATION mbi;
    if (VirtualQueryEx(pi.hProcess, SHARED_AT, &mbi, sizeof mbi) != sizeof mbi)
        return fail("VirtualQueryEx");
    printf("child's reservation: state %#lx, type %#lx, allocation protect %#lx, size %#llx\n",
           mbi.State, mbi.Type, mbi.AllocationProtect, (unsigned long long)mbi.RegionSize);
    r = VirtualAllocEx(pi.hProcess, SHARED_AT, 0x10000, MEM_RESERVE, PAGE_READWRITE);
    printf("reserve it again: %s (error %lu)\n", r ? "ok" : "failed", GetLastError());

    char *mem = VirtualAllocEx(pi.hProcess, NULL, 0x10000, MEM_COMMIT | MEM_RESERVE, PAGE_READWRITE);
    if (!mem)
        return fail("VirtualAllocEx commit");
    SIZE_T done = 0;
    BOOL ok = WriteProcessMemory(pi.hProcess, mem, "written by the parent", 22, &done);
    printf("WriteProcessMemory: %d, %llu bytes\n", ok, (unsigned long long)done);
    char back[32] = "";
    ok = ReadProcessMemory(pi.hProcess, mem, back, 22, &done);
    printf("ReadProcessMemory: %d, %llu bytes: \"%s\"\n", ok, (unsigned long long)done, back);
    DWORD old = 0;
    ok = VirtualProtectEx(pi.hProcess, mem + 0x1000, 0x1000, PAGE_READONLY, &old);
    printf("VirtualProtectEx: %d, old protection %#lx\n", ok, old);
    VirtualQueryEx(pi.hProcess, mem + 0x1000, &mbi, sizeof mbi);
    printf("the page now: protect %#lx, size %#llx, type %#lx\n", mbi.Protect,
           (unsigned long long)mbi.RegionSize, mbi.Type);
    char *spare = VirtualAllocEx(pi.hProcess, NULL, 0x10000, MEM_RESERVE, PAGE_NOACCESS);
    ok = ReadProcessMemory(pi.hProcess, spare, back, 16, &done);
    printf("read of reserved memory: %d, error %lu, %llu bytes\n", ok, GetLastError(),
           (unsigned long long)done);
    ok = VirtualFreeEx(pi.hProcess, spare, 0, MEM_RELEASE);
    printf("VirtualFreeEx of a reservation: %d\n", ok);
    ok = VirtualFreeEx(pi.hProcess, mem, 0x1000, MEM_RELEASE);
    printf("VirtualFreeEx with a size and MEM_RELEASE: %d, error %lu\n", ok, GetLastError());
    ok = VirtualFreeEx(pi.hProcess, mem + 0x1000, 0, MEM_RELEASE);
    printf("VirtualFreeEx not at the base: %d, error %lu\n", ok, GetLastError());
    a->child_mem = mem;

    /* handles put into the child */
    HANDLE h = NULL;
    ok = DuplicateHandle(GetCurrentProcess(), fsec2, pi.hProcess, &h, 0, FALSE,
                         DUPLICATE_SAME_ACCESS | DUPLICATE_CLOSE_SOURCE);
    printf("DuplicateHandle of a section into the child: %d\n", ok);
    a->dup_section = h;
    char pipename[64];
    snprintf(pipename, sizeof pipename, "\\\\.\\pipe\\xproc_memory_%lu", pi.dwProcessId);
    HANDLE pipe = CreateNamedPipeA(pipename, PIPE_ACCESS_DUPLEX,
                                   PIPE_TYPE_MESSAGE | PIPE_READMODE_MESSAGE | PIPE_WAIT,
                                   PIPE_UNLIMITED_INSTANCES, 16, 16, 1000, NULL);
    ok = DuplicateHandle(GetCurrentProcess(), pipe, pi.hProcess, &h, 0, FALSE,
                         DUPLICATE_SAME_ACCESS | DUPLICATE_CLOSE_SOURCE);
    printf("DuplicateHandle of a pipe instance into the child: %d\n", ok);
    a->dup_pipe = h;

    /* handles that name no process, or lack the access */
    HANDLE ev = CreateEventA(NULL, TRUE, FALSE, NULL);
    SetLastError(0);
    r = VirtualAllocEx(ev, NULL, 0x1000, MEM_COMMIT, PAGE_READWRITE);
    printf("VirtualAllocEx on an event: %s, error %lu\n", r ? "ok" : "failed", GetLastError());
    SetLastError(0);
    ok = ReadProcessMemory((HANDLE)(ULONG_PTR)0x7ff0, mem, back, 4, NULL);
    printf("ReadProcessMemory on a handle never opened: %d, error %lu\n", ok, GetLastError());
    HANDLE weak = OpenProcess(PROCESS_QUERY_LIMITED_INFORMATION, FALSE, pi.dwProcessId);
    SetLastError(0);
    r = VirtualAllocEx(weak, NULL, 0x1000, MEM_COMMIT, PAGE_READWRITE);
    printf("VirtualAllocEx without PROCESS_VM_OPERATION: %s, error %lu\n", r ? "ok" : "failed",
           GetLastError());
    SetLastError(0);
    ok = ReadProcessMemory(weak, mem, back, 4, NULL);
    printf("ReadProcessMemory without PROCESS_VM_READ: %d, error %lu\n", ok, GetLastError());
    SetLastError(0);
    SIZE_T q = VirtualQueryEx(weak, mem, &mbi, sizeof mbi);
    printf("VirtualQueryEx without PROCESS_QUERY_INFORMATION: %llu, error %lu\n",
           (unsigned long long)q, GetLastError());
    CloseHandle(weak);
    fflush(stdout);

    ResumeThread(pi.hThread);
    /* the child waits for a client on the pipe it was given */
    char reply[8];
    DWORD rn;
    ok = CallNamedPipeA(pipename, "ping", 4, reply, sizeof reply, &rn, 10000);
    WaitForSingleObject(pi.hProcess, INFINITE);
    printf("CallNamedPipe to the child: %d, reply \"%.*s\"\n", ok, ok ? (int)rn : 0, reply);
    DWORD code = 99;
    GetExitCodeProcess(pi.hProcess, &code);
    printf("child exit code %lu\n", code);
    printf("child says \"%s\"\n", a->child_says);
    r = VirtualAllocEx(pi.hProcess, NULL, 0x1000, MEM_COMMIT, PAGE_READWRITE);
    printf("VirtualAllocEx in the ended child: %s\n", r ? "ok" : "failed");
    CloseHandle(pi.hProcess);
    CloseHandle(pi.hThread);
    UnmapViewOfFile(a);
    CloseHandle(sec);
    CloseHandle(fsec);
    CloseHandle(file);
    DeleteFileA("xproc.dat");
    return 0;
}
