/* DuplicateHandle from a child into its parent, as PostgreSQL's backends pin a shared-memory
 * segment (dsm_impl_pin_segment): the child makes a section, an event and a file, puts each into
 * the parent through the parent's process handle it inherited (PostmasterHandle) and ends; the
 * parent then uses them: the section outlives the child that made it and holds what it wrote, the
 * event the child set is signalled and is the same event (a set from here is seen through the
 * child's duplicate), the file shares its position with the child's handle. Also: a handle the
 * child puts in and closes again with DUPLICATE_CLOSE_SOURCE and the parent as the source
 * (dsm_impl_unpin_segment), the child's own process handle put into the parent (its exit code
 * read there), OpenProcess of the parent by its id with and without PROCESS_DUP_HANDLE, and bad
 * handles on either side. The handle values travel back through a pipe.
 * Wine 8.0 agrees but for DUPLICATE_CLOSE_SOURCE with the parent as the source and no target:
 * it fails there and leaves the handle open, where Windows closes it and succeeds (PostgreSQL's
 * dsm_impl_unpin_segment reports an error when it fails). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <windows.h>

static HANDLE arg_handle(const char *s) { return (HANDLE)(ULONG_PTR)_strtoui64(s, NULL, 16); }

static int child(char **argv)
{
    HANDLE parent = arg_handle(argv[2]), out = arg_handle(argv[3]);
    DWORD parent_pid = (DWORD)strtoul(argv[4], NULL, 10);
    HANDLE self = GetCurrentProcess(), sec_p = NULL, ev_p = NULL, file_p = NULL, proc_p = NULL;
    HANDLE gone_p = NULL, x = NULL;
    char line[256];
    DWORD n;

    HANDLE sec = CreateFileMappingA(INVALID_HANDLE_VALUE, NULL, PAGE_READWRITE, 0, 65536, NULL);
    char *view = sec ? MapViewOfFile(sec, FILE_MAP_WRITE, 0, 0, 0) : NULL;
    if (!view)
        return 20;
    strcpy(view, "written by the child");
    printf("child: section into the parent: %d\n",
           DuplicateHandle(self, sec, parent, &sec_p, 0, FALSE, DUPLICATE_SAME_ACCESS));
    UnmapViewOfFile(view); /* from now on only the parent's handle keeps it */
    CloseHandle(sec);

    HANDLE ev = CreateEventA(NULL, TRUE, FALSE, NULL);
    printf("child: event into the parent: %d\n",
           DuplicateHandle(self, ev, parent, &ev_p, EVENT_MODIFY_STATE | SYNCHRONIZE, FALSE, 0));
    SetEvent(ev);

    HANDLE file = CreateFileA("xproc_dup_parent.tmp", GENERIC_READ | GENERIC_WRITE, 0, NULL,
                              CREATE_ALWAYS, FILE_ATTRIBUTE_NORMAL, NULL);
    if (file == INVALID_HANDLE_VALUE || !WriteFile(file, "file data", 9, &n, NULL))
        return 21;
    printf("child: file into the parent: %d\n",
           DuplicateHandle(self, file, parent, &file_p, 0, FALSE, DUPLICATE_SAME_ACCESS));
    CloseHandle(file);

    printf("child: its own process into the parent: %d\n",
           DuplicateHandle(self, self, parent, &proc_p, PROCESS_QUERY_LIMITED_INFORMATION |
                           SYNCHRONIZE, FALSE, 0));

    /* put in, then closed there with the parent as the source */
    HANDLE ev2 = CreateEventA(NULL, TRUE, FALSE, NULL);
    printf("child: second event into the parent: %d\n",
           DuplicateHandle(self, ev2, parent, &gone_p, 0, FALSE, DUPLICATE_SAME_ACCESS));
    printf("child: closed in the parent (DUPLICATE_CLOSE_SOURCE): %d\n",
           DuplicateHandle(parent, gone_p, NULL, NULL, 0, FALSE, DUPLICATE_CLOSE_SOURCE));

    /* the errors */
    SetLastError(0xdeadbeef);
    BOOL ok = DuplicateHandle(self, (HANDLE)(ULONG_PTR)0x7ff0, parent, &x, 0, FALSE,
                              DUPLICATE_SAME_ACCESS);
    printf("child: a bad handle of ours into the parent: %d %lu\n", ok, GetLastError());
    SetLastError(0xdeadbeef);
    ok = DuplicateHandle(parent, (HANDLE)(ULONG_PTR)0x7ff0, self, &x, 0, FALSE,
                         DUPLICATE_SAME_ACCESS);
    printf("child: a bad handle of the parent's out of it: %d %lu\n", ok, GetLastError());
    HANDLE limited = OpenProcess(PROCESS_QUERY_LIMITED_INFORMATION, FALSE, parent_pid);
    SetLastError(0xdeadbeef);
    ok = DuplicateHandle(self, ev, limited, &x, 0, FALSE, DUPLICATE_SAME_ACCESS);
    printf("child: without PROCESS_DUP_HANDLE: %d %lu\n", ok, GetLastError());
    HANDLE opened = OpenProcess(PROCESS_DUP_HANDLE, FALSE, parent_pid);
    HANDLE ev_q = NULL;
    ok = DuplicateHandle(self, ev, opened, &ev_q, 0, FALSE, DUPLICATE_SAME_ACCESS);
    printf("child: event into the parent opened by its id: %d\n", ok);
    /* the parent's handle, back here: the same event */
    HANDLE back = NULL;
    ok = DuplicateHandle(opened, ev_q, self, &back, 0, FALSE,
                         DUPLICATE_SAME_ACCESS | DUPLICATE_CLOSE_SOURCE);
    ResetEvent(back);
    DWORD w = WaitForSingleObject(ev, 0);
    printf("child: the event taken back out of the parent: %d, reset through it: %lu\n", ok, w);
    SetEvent(ev);

    snprintf(line, sizeof line, "%llx %llx %llx %llx %llx\n",
             (unsigned long long)(ULONG_PTR)sec_p, (unsigned long long)(ULONG_PTR)ev_p,
             (unsigned long long)(ULONG_PTR)file_p, (unsigned long long)(ULONG_PTR)proc_p,
             (unsigned long long)(ULONG_PTR)gone_p);
    WriteFile(out, line, (DWORD)strlen(line), &n, NULL);
    fflush(stdout);
    return 7;
}

int main(int argc, char **argv)
{
    if (argc == 5 && !strcmp(argv[1], "child"))
        return child(argv);
    SECURITY_ATTRIBUTES inherit = {sizeof inherit, NULL, TRUE};
    HANDLE me, rd, wr;
    /* what PostgreSQL's postmaster gives its children: an inheritable handle of itself */
    if (!DuplicateHandle(GetCurrentProcess(), GetCurrentProcess(), GetCurrentProcess(), &me, 0,
                         TRUE, DUPLICATE_SAME_ACCESS) ||
        !CreatePipe(&rd, &wr, &inherit, 0))
        return 1;
    SetHandleInformation(rd, HANDLE_FLAG_INHERIT, 0);
    char self[MAX_PATH], cmd[MAX_PATH + 128];
    GetModuleFileNameA(NULL, self, sizeof self);
    snprintf(cmd, sizeof cmd, "\"%s\" child %llx %llx %lu", self,
             (unsigned long long)(ULONG_PTR)me, (unsigned long long)(ULONG_PTR)wr,
             GetCurrentProcessId());
    STARTUPINFOA si = {sizeof si};
    PROCESS_INFORMATION pi;
    fflush(stdout);
    if (!CreateProcessA(self, cmd, NULL, NULL, TRUE, 0, NULL, NULL, &si, &pi))
        return 3;
    CloseHandle(wr);
    char line[256] = "";
    DWORD got = 0, n;
    while (got < sizeof line - 1 && ReadFile(rd, line + got, sizeof line - 1 - got, &n, NULL) &&
           n)
        got += n;
    line[got] = 0;
    if (WaitForSingleObject(pi.hProcess, 20000) != WAIT_OBJECT_0)
        return 4;
    HANDLE h[5];
    char *p = line;
    for (int i = 0; i < 5; i++)
        h[i] = (HANDLE)(ULONG_PTR)_strtoui64(p, &p, 16);
    printf("parent: the child has ended\n");

    char *view = MapViewOfFile(h[0], FILE_MAP_READ, 0, 0, 0);
    printf("parent: the child's section: \"%s\"\n", view ? view : "(no view)");
    MEMORY_BASIC_INFORMATION mbi;
    if (view && VirtualQuery(view, &mbi, sizeof mbi))
        printf("parent: its view: %lu KiB, type %#lx\n", (unsigned long)(mbi.RegionSize / 1024),
               mbi.Type);

    printf("parent: the child's event: %lu\n", WaitForSingleObject(h[1], 0));
    BOOL ok = ResetEvent(h[1]);
    printf("parent: reset: %d, then %lu\n", ok, WaitForSingleObject(h[1], 0));
    ok = SetEvent(h[1]);
    printf("parent: set: %d, then %lu\n", ok, WaitForSingleObject(h[1], 0));

    LARGE_INTEGER zero = {0}, pos;
    SetFilePointerEx(h[2], zero, &pos, FILE_CURRENT);
    printf("parent: the child's file at %lld\n", pos.QuadPart);
    char data[32] = "";
    SetFilePointerEx(h[2], zero, NULL, FILE_BEGIN);
    ReadFile(h[2], data, sizeof data - 1, &n, NULL);
    printf("parent: read from the start: %lu bytes, \"%.*s\"\n", n, (int)n, data);

    DWORD code = 0;
    ok = GetExitCodeProcess(h[3], &code);
    printf("parent: the child's process handle: same id %d, exit code %d %lu\n",
           GetProcessId(h[3]) == pi.dwProcessId, ok, code);

    DWORD flags;
    SetLastError(0xdeadbeef);
    ok = GetHandleInformation(h[4], &flags);
    printf("parent: the handle closed there: %d %lu\n", ok, GetLastError());

    UnmapViewOfFile(view);
    for (int i = 0; i < 4; i++)
        CloseHandle(h[i]);
    printf("parent: file deleted: %d\n", DeleteFileA("xproc_dup_parent.tmp"));
    GetExitCodeProcess(pi.hProcess, &code);
    printf("parent: the child's exit code %lu\n", code);
    return 0;
}
