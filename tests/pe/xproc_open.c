/* Processes that are neither parent nor child of each other: OpenProcess by id finds any process
 * of the user (here ntrun processes: siblings, a grandparent), with the rights asked checked.
 *  - siblings: B opens its running sibling A (STILL_ACTIVE, a wait times out, the same id),
 *    lets it end (a byte into the pipe A reads), waits for it and reads its exit code 42; B
 *    opens sibling C and terminates it with 77 (the parent, C's creator, reads 77 too); the
 *    rights: no SYNCHRONIZE (the wait fails, 5), no query right (GetExitCodeProcess fails, 5),
 *    an id no process has (87), opening A again after its end (87: it is gone).
 *  - a grandchild opens its grandparent: same id, STILL_ACTIVE, reads its memory, takes an
 *    event out of it and puts one into it (DuplicateHandle both ways); its exit code (the value
 *    of the handle put in) reaches the grandparent through its parent's exit code.
 *  - an inherited process handle: F inherits the handle of its running sibling G, reads
 *    STILL_ACTIVE, lets G end, waits on the handle and reads G's code 42; F also inherits the
 *    handle of H, which ended before F started (its code 9).
 * The processes tell each other ids and handle values on their command lines; each prints only
 * while the others wait for it, so the output has one order. Wine 8.0 agrees but in two lines:
 * TerminateProcess of a process that has ended succeeds there (Windows: ERROR_ACCESS_DENIED),
 * and OpenProcess of an ended process whose every handle is closed still finds it there (on
 * Windows its id goes with the object: ERROR_INVALID_PARAMETER). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <windows.h>
#include "xproc_start.h"

static char marker[] = "the grandparent's memory";

static HANDLE arg_handle(const char *s) { return (HANDLE)(ULONG_PTR)_strtoui64(s, NULL, 16); }



/* A and G: end with 42 once a byte (or the end) comes on the pipe whose write end *wr is (an
 * inheritable handle); started with another, `other` (NULL: none). */
static HANDLE start_waiter(HANDLE *wr, const char *other, HANDLE *other_process)
{
    SECURITY_ATTRIBUTES inherit = {sizeof inherit, NULL, TRUE};
    char args[64];
    HANDLE rd;
    if (!CreatePipe(&rd, wr, &inherit, 0))
        return NULL;
    snprintf(args, sizeof args, "wait %llx", (unsigned long long)(ULONG_PTR)rd);
    HANDLE w = xproc_start(args, TRUE);
    *other_process = xproc_start(other, FALSE);
    CloseHandle(rd);
    return w && *other_process ? w : NULL;
}

static int waiter(HANDLE rd)
{
    char c;
    DWORD n;
    ReadFile(rd, &c, 1, &n, NULL);
    return 42;
}

static void report(const char *who, HANDLE h, DWORD pid)
{
    DWORD code = 0;
    BOOL ok = GetExitCodeProcess(h, &code);
    printf("%s: same id %d, exit code %d %s, wait %lu\n", who, GetProcessId(h) == pid, ok,
           code == STILL_ACTIVE ? "STILL_ACTIVE" : "?", WaitForSingleObject(h, 0));
}

/* B: argv a_pid a_pipe_write c_pid */
static int sibling(char **argv)
{
    DWORD a = strtoul(argv[2], NULL, 10), c = strtoul(argv[4], NULL, 10), n, code;
    HANDLE wr = arg_handle(argv[3]);
    HANDLE ha = OpenProcess(SYNCHRONIZE | PROCESS_QUERY_LIMITED_INFORMATION, FALSE, a);
    if (!ha)
        printf("B: OpenProcess of its sibling: %lu\n", GetLastError());
    report("B: sibling A", ha, a);

    HANDLE nosync = OpenProcess(PROCESS_QUERY_LIMITED_INFORMATION, FALSE, a);
    SetLastError(0xdeadbeef);
    DWORD r = WaitForSingleObject(nosync, 0);
    printf("B: without SYNCHRONIZE: wait %#lx, error %lu\n", r, GetLastError());
    HANDLE noquery = OpenProcess(SYNCHRONIZE, FALSE, a);
    SetLastError(0xdeadbeef);
    BOOL ok = GetExitCodeProcess(noquery, &code);
    printf("B: without a query right: %d, error %lu\n", ok, GetLastError());

    WriteFile(wr, "x", 1, &n, NULL); /* A ends */
    code = 0;
    printf("B: A ended: wait %lu", WaitForSingleObject(ha, 30000));
    ok = GetExitCodeProcess(ha, &code);
    printf(", exit code %d %lu, the handle without a query right %lu\n", ok, code,
           WaitForSingleObject(noquery, 0));
    CloseHandle(ha);
    CloseHandle(nosync);
    CloseHandle(noquery);
    /* (Windows may keep the id while a handle is open somewhere: the parent's is closed) */

    HANDLE hc = OpenProcess(PROCESS_TERMINATE | SYNCHRONIZE | PROCESS_QUERY_INFORMATION, FALSE, c);
    report("B: sibling C", hc, c);
    ok = TerminateProcess(hc, 77);
    printf("B: TerminateProcess(C, 77): %d, wait %lu", ok, WaitForSingleObject(hc, 30000));
    ok = GetExitCodeProcess(hc, &code);
    printf(", exit code %d %lu\n", ok, code);
    SetLastError(0xdeadbeef);
    ok = TerminateProcess(hc, 78);
    printf("B: TerminateProcess of C again: %d, error %lu\n", ok, GetLastError());

    SetLastError(0xdeadbeef);
    HANDLE none = OpenProcess(SYNCHRONIZE, FALSE, 0x7ffffff0);
    printf("B: OpenProcess of an id no process has: %d, error %lu\n", none != NULL,
           GetLastError());
    fflush(stdout);
    return 5;
}

/* D, the middle: argv gp_pid marker_addr gp_event */
static int middle(char **argv)
{
    char args[256];
    snprintf(args, sizeof args, "grand %s %s %s", argv[2], argv[3], argv[4]);
    HANDLE e = xproc_start(args, FALSE);
    return e ? (int)xproc_end_code(e) : 90;
}

/* E, the grandchild: opens its grandparent */
static int grandchild(char **argv)
{
    DWORD gp = strtoul(argv[2], NULL, 10);
    void *addr = (void *)(ULONG_PTR)_strtoui64(argv[3], NULL, 16);
    HANDLE gp_event = arg_handle(argv[4]);
    HANDLE h = OpenProcess(SYNCHRONIZE | PROCESS_QUERY_INFORMATION | PROCESS_VM_READ |
                           PROCESS_DUP_HANDLE, FALSE, gp);
    if (!h) {
        printf("E: OpenProcess of its grandparent: %lu\n", GetLastError());
        return 91;
    }
    report("E: grandparent", h, gp);
    char buf[64] = "";
    SIZE_T got = 0;
    BOOL ok = ReadProcessMemory(h, addr, buf, sizeof marker, &got);
    printf("E: ReadProcessMemory: %d, %lu bytes, \"%s\"\n", ok, (unsigned long)got, buf);
    HANDLE mine = NULL;
    ok = DuplicateHandle(h, gp_event, GetCurrentProcess(), &mine, 0, FALSE, DUPLICATE_SAME_ACCESS);
    printf("E: the grandparent's event out of it: %d, signalled %lu\n", ok,
           WaitForSingleObject(mine, 0));
    HANDLE ev = CreateEventA(NULL, TRUE, TRUE, NULL), theirs = NULL;
    ok = DuplicateHandle(GetCurrentProcess(), ev, h, &theirs, 0, FALSE, DUPLICATE_SAME_ACCESS);
    printf("E: an event into the grandparent: %d\n", ok);
    fflush(stdout);
    return ok ? (int)(ULONG_PTR)theirs : 92;
}

/* F: argv g_handle g_pid g_pipe_write h_handle */
static int inheritor(char **argv)
{
    HANDLE g = arg_handle(argv[2]), wr = arg_handle(argv[4]), hh = arg_handle(argv[5]);
    DWORD gpid = strtoul(argv[3], NULL, 10), n, code = 0;
    report("F: inherited handle of G", g, gpid);
    WriteFile(wr, "x", 1, &n, NULL);
    printf("F: G ended: wait %lu", WaitForSingleObject(g, 30000));
    BOOL ok = GetExitCodeProcess(g, &code);
    printf(", exit code %d %lu\n", ok, code);
    code = 0;
    ok = GetExitCodeProcess(hh, &code);
    printf("F: inherited handle of H, ended before: wait %lu, exit code %d %lu\n",
           WaitForSingleObject(hh, 0), ok, code);
    fflush(stdout);
    return 6;
}

int main(int argc, char **argv)
{
    if (argc == 3 && !strcmp(argv[1], "wait"))
        return waiter(arg_handle(argv[2]));
    if (argc == 2 && !strcmp(argv[1], "sleep")) {
        Sleep(60000);
        return 1;
    }
    if (argc == 2 && !strcmp(argv[1], "nine"))
        return 9;
    if (argc == 5 && !strcmp(argv[1], "sibling"))
        return sibling(argv);
    if (argc == 5 && !strcmp(argv[1], "middle"))
        return middle(argv);
    if (argc == 5 && !strcmp(argv[1], "grand"))
        return grandchild(argv);
    if (argc == 6 && !strcmp(argv[1], "inheritor"))
        return inheritor(argv);

    char args[256];
    DWORD code;

    /* siblings */
    HANDLE wr, c;
    HANDLE a = start_waiter(&wr, "sleep", &c);
    if (!a)
        return 2;
    snprintf(args, sizeof args, "sibling %lu %llx %lu", GetProcessId(a),
             (unsigned long long)(ULONG_PTR)wr, GetProcessId(c));
    HANDLE b = xproc_start(args, TRUE);
    CloseHandle(wr);
    printf("parent: B's exit code %lu\n", xproc_end_code(b));
    printf("parent: A's exit code %lu, C's %lu\n", xproc_end_code(a), xproc_end_code(c));
    DWORD a_pid = GetProcessId(a);
    CloseHandle(a);
    SetLastError(0xdeadbeef);
    HANDLE gone = OpenProcess(SYNCHRONIZE, FALSE, a_pid);
    printf("parent: OpenProcess of A after its end: %d, error %lu\n", gone != NULL,
           GetLastError());

    /* a grandchild */
    HANDLE gp_event = CreateEventA(NULL, TRUE, TRUE, NULL);
    snprintf(args, sizeof args, "middle %lu %llx %llx", GetCurrentProcessId(),
             (unsigned long long)(ULONG_PTR)marker, (unsigned long long)(ULONG_PTR)gp_event);
    HANDLE d = xproc_start(args, FALSE);
    code = d ? xproc_end_code(d) : 0;
    HANDLE put = (HANDLE)(ULONG_PTR)code;
    DWORD flags = 0;
    printf("parent: the grandchild's event: a handle %d, signalled %lu\n",
           GetHandleInformation(put, &flags), WaitForSingleObject(put, 0));

    /* inherited process handles */
    HANDLE h;
    HANDLE g = start_waiter(&wr, "nine", &h);
    if (!g)
        return 4;
    printf("parent: H's exit code %lu\n", xproc_end_code(h));
    SetHandleInformation(g, HANDLE_FLAG_INHERIT, HANDLE_FLAG_INHERIT);
    SetHandleInformation(h, HANDLE_FLAG_INHERIT, HANDLE_FLAG_INHERIT);
    snprintf(args, sizeof args, "inheritor %llx %lu %llx %llx", (unsigned long long)(ULONG_PTR)g,
             GetProcessId(g), (unsigned long long)(ULONG_PTR)wr, (unsigned long long)(ULONG_PTR)h);
    HANDLE f = xproc_start(args, TRUE);
    CloseHandle(wr);
    printf("parent: F's exit code %lu, G's %lu\n", xproc_end_code(f), xproc_end_code(g));
    return 0;
}
