/* SEC_RESERVE sections over the pagefile: a view maps reserved, VirtualAlloc(MEM_COMMIT)
 * inside it commits pages of the section, and the commit and the bytes are the section's:
 *  - CreateFileMapping(PAGE_READWRITE | SEC_RESERVE, 192 KiB): NtQuerySection reports
 *    SEC_RESERVE and the size; two views of it are MEM_MAPPED, MEM_RESERVE over their whole
 *    size, AllocationProtect PAGE_READWRITE, and a reserved page cannot be read (IsBadReadPtr);
 *  - VirtualAlloc(MEM_COMMIT) of 2 pages at 4 KiB into the first view returns that address;
 *    VirtualQuery then shows reserved / committed PAGE_READWRITE / reserved runs in that view and
 *    the same pages committed in the second view, which reads what the first wrote;
 *  - VirtualFree(MEM_DECOMMIT) of a view's page is refused (ERROR_INVALID_PARAMETER);
 *  - a named SEC_RESERVE section is shared with another process (CreateProcess of this program):
 *    the child opens it by name, sees the parent's committed page and text and its reserved
 *    pages, commits another page and writes there; the parent then sees that page committed in
 *    its own view and reads the child's text.
 * Wine 8.0: identical, except that it lets the program read reserved pages of a view, where
 * Windows raises an access violation (IsBadReadPtr TRUE). */
#include <stdio.h>
#include <string.h>
#include <windows.h>
#include "xproc_start.h"
#include <winternl.h>
#include "section_info.h"

static const char *state_name(DWORD s)
{
    return s == MEM_COMMIT ? "MEM_COMMIT" : s == MEM_RESERVE ? "MEM_RESERVE"
                                          : s == MEM_FREE    ? "MEM_FREE"
                                                             : "other";
}

/* The runs of a view: state, protection and size of each region up to its end. */
static void show_runs(const char *what, char *v, SIZE_T size)
{
    printf("%s:", what);
    for (SIZE_T at = 0; at < size;) {
        MEMORY_BASIC_INFORMATION mbi;
        if (!VirtualQuery(v + at, &mbi, sizeof mbi)) {
            printf(" VirtualQuery failed %lu\n", GetLastError());
            return;
        }
        if (mbi.AllocationBase != v || mbi.Type != MEM_MAPPED ||
            mbi.AllocationProtect != PAGE_READWRITE) {
            printf(" [base %d type 0x%lx allocprot 0x%lx]", mbi.AllocationBase == v,
                   mbi.Type, mbi.AllocationProtect);
        }
        printf(" +0x%05lx %s 0x%lx 0x%05lx;", (unsigned long)at, state_name(mbi.State),
               mbi.Protect, (unsigned long)mbi.RegionSize);
        at += mbi.RegionSize;
    }
    printf("\n");
}

static char name[64];

static DWORD run_child(void)
{
    char args[160];
    snprintf(args, sizeof args, "child %s", name);
    return xproc_run(args);
}

static int child(void)
{
    HANDLE m = OpenFileMappingA(FILE_MAP_WRITE, FALSE, name);
    if (!m) {
        printf("child: OpenFileMapping failed %lu\n", GetLastError());
        return 2;
    }
    char *v = MapViewOfFile(m, FILE_MAP_WRITE, 0, 0, 0);
    if (!v) {
        printf("child: MapViewOfFile failed %lu\n", GetLastError());
        return 3;
    }
    show_runs("child's view", v, 0x20000);
    printf("child reads \"%s\", page 0 readable %d\n", v + 0x10000, !IsBadReadPtr(v, 1));
    if (VirtualAlloc(v + 0x18000, 0x1000, MEM_COMMIT, PAGE_READWRITE) != v + 0x18000) {
        printf("child: commit failed %lu\n", GetLastError());
        return 4;
    }
    strcpy(v + 0x18000, "written by the child");
    UnmapViewOfFile(v);
    CloseHandle(m);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc == 3 && !strcmp(argv[1], "child")) {
        snprintf(name, sizeof name, "%s", argv[2]);
        return child();
    }
    snprintf(name, sizeof name, "Local\\ntrun-sec-reserve-%lu", GetCurrentProcessId());
    query_section_fn query = (query_section_fn)(void *)GetProcAddress(
        GetModuleHandleA("ntdll.dll"), "NtQuerySection");

    HANDLE m = CreateFileMappingA(INVALID_HANDLE_VALUE, NULL, PAGE_READWRITE | SEC_RESERVE, 0,
                                  0x30000, NULL);
    printf("CreateFileMapping(SEC_RESERVE): %s\n", m ? "handle" : "NULL");
    basic_info bi;
    NTSTATUS st = query(m, 0, &bi, sizeof bi, NULL);
    printf("NtQuerySection: 0x%08lx, attributes 0x%08lx, size 0x%llx\n", (unsigned long)st,
           bi.AllocationAttributes, (unsigned long long)bi.MaximumSize.QuadPart);
    char *v1 = MapViewOfFile(m, FILE_MAP_WRITE, 0, 0, 0);
    char *v2 = MapViewOfFile(m, FILE_MAP_WRITE, 0, 0, 0);
    printf("two views: %d\n", v1 && v2 && v1 != v2);
    show_runs("view 1", v1, 0x30000);
    printf("reserved page readable: %d\n", !IsBadReadPtr(v1 + 0x1000, 1));

    char *c = VirtualAlloc(v1 + 0x1000, 0x2000, MEM_COMMIT, PAGE_READWRITE);
    printf("VirtualAlloc(MEM_COMMIT) in view 1: %s\n",
           c == v1 + 0x1000 ? "at the address" : c ? "elsewhere" : "NULL");
    show_runs("view 1", v1, 0x30000);
    show_runs("view 2", v2, 0x30000);
    strcpy(v1 + 0x1000, "shared between views");
    printf("view 2 reads \"%s\"\n", v2 + 0x1000);
    printf("page 0 readable %d, page 1 readable %d\n", !IsBadReadPtr(v2, 1),
           !IsBadReadPtr(v2 + 0x1000, 1));
    SetLastError(0);
    BOOL ok = VirtualFree(v1 + 0x1000, 0x1000, MEM_DECOMMIT);
    printf("VirtualFree(MEM_DECOMMIT) in a view: %d, error %lu\n", ok, GetLastError());
    UnmapViewOfFile(v1);
    UnmapViewOfFile(v2);
    CloseHandle(m);

    /* named: another process */
    m = CreateFileMappingA(INVALID_HANDLE_VALUE, NULL, PAGE_READWRITE | SEC_RESERVE, 0, 0x20000,
                           name);
    char *v = MapViewOfFile(m, FILE_MAP_WRITE, 0, 0, 0);
    if (!v || VirtualAlloc(v + 0x10000, 0x1000, MEM_COMMIT, PAGE_READWRITE) != v + 0x10000) {
        printf("named: %lu\n", GetLastError());
        return 1;
    }
    strcpy(v + 0x10000, "written by the parent");
    DWORD code = run_child();
    printf("child exit %lu\n", code);
    show_runs("parent's view after the child", v, 0x20000);
    printf("parent reads \"%s\"\n", v + 0x18000);
    UnmapViewOfFile(v);
    CloseHandle(m);
    return 0;
}
