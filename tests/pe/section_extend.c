/* NtExtendSection of pagefile-backed sections, and SEC_RESERVE commits seen across processes
 * without asking VirtualQuery first:
 *  - a SEC_RESERVE section of 64 KiB grows to 192 KiB (the new size comes back and
 *    NtQuerySection reports it); a view mapped after that is 192 KiB, a page past the
 *    old end commits and holds data; a smaller size leaves it as it is;
 *  - a SEC_COMMIT pagefile section cannot grow: STATUS_SECTION_NOT_EXTENDED;
 *  - a named SEC_RESERVE section: a child process (this program again) commits a page and
 *    writes there and grows the section; the parent reads the child's text at once through
 *    its own view (the page is committed for it too, no VirtualQuery needed) and sees the new
 *    size. */
#include <stdio.h>
#include <string.h>
#include <windows.h>
#include "xproc_start.h"
#include <winternl.h>
#include "section_info.h"

typedef NTSTATUS(NTAPI *extend_section_fn)(HANDLE, LARGE_INTEGER *);

static query_section_fn query;
static extend_section_fn extend;
static char name[64];

static long long section_size(HANDLE m)
{
    basic_info bi = {0};
    NTSTATUS st = query(m, 0, &bi, sizeof bi, NULL);
    return st ? -(long long)st : bi.MaximumSize.QuadPart;
}

static SIZE_T region_size(void *p)
{
    MEMORY_BASIC_INFORMATION mbi;
    SIZE_T total = 0;
    for (char *at = p; VirtualQuery(at, &mbi, sizeof mbi) && mbi.AllocationBase == p;
         at += mbi.RegionSize)
        total += mbi.RegionSize;
    return total;
}

static int child(void)
{
    HANDLE m = OpenFileMappingA(FILE_MAP_WRITE | SECTION_EXTEND_SIZE, FALSE, name);
    char *v = m ? MapViewOfFile(m, FILE_MAP_WRITE, 0, 0, 0) : NULL;
    if (!v || VirtualAlloc(v + 0x8000, 0x1000, MEM_COMMIT, PAGE_READWRITE) != v + 0x8000)
        return 2;
    strcpy(v + 0x8000, "written by the child");
    LARGE_INTEGER size = {.QuadPart = 0x40000};
    NTSTATUS st = extend(m, &size);
    UnmapViewOfFile(v);
    CloseHandle(m);
    return st ? 3 : 0;
}

int main(int argc, char **argv)
{
    HMODULE ntdll = GetModuleHandleA("ntdll.dll");
    query = (query_section_fn)(void *)GetProcAddress(ntdll, "NtQuerySection");
    extend = (extend_section_fn)(void *)GetProcAddress(ntdll, "NtExtendSection");
    if (argc == 3 && !strcmp(argv[1], "child")) {
        snprintf(name, sizeof name, "%s", argv[2]);
        return child();
    }

    HANDLE m = CreateFileMappingA(INVALID_HANDLE_VALUE, NULL, PAGE_READWRITE | SEC_RESERVE, 0,
                                  0x10000, NULL);
    LARGE_INTEGER size = {.QuadPart = 0x30000};
    NTSTATUS st = extend(m, &size);
    printf("SEC_RESERVE 64 KiB -> 0x30000: 0x%08lx, new size 0x%llx, NtQuerySection 0x%llx\n",
           (unsigned long)st, (unsigned long long)size.QuadPart, section_size(m));
    char *v = MapViewOfFile(m, FILE_MAP_WRITE, 0, 0, 0);
    printf("view after: 0x%lx bytes\n", v ? (unsigned long)region_size(v) : 0ul);
    char *c = v ? VirtualAlloc(v + 0x28000, 0x1000, MEM_COMMIT, PAGE_READWRITE) : NULL;
    if (c)
        strcpy(c, "past the old end");
    printf("commit past the old end: %d \"%s\"\n", c == v + 0x28000, c ? c : "");
    size.QuadPart = 0x8000;
    st = extend(m, &size);
    printf("smaller: 0x%08lx, size 0x%llx\n", (unsigned long)st, (unsigned long long)size.QuadPart);
    UnmapViewOfFile(v);
    CloseHandle(m);

    m = CreateFileMappingA(INVALID_HANDLE_VALUE, NULL, PAGE_READWRITE | SEC_COMMIT, 0, 0x10000,
                           NULL);
    size.QuadPart = 0x20000;
    st = extend(m, &size);
    printf("SEC_COMMIT: 0x%08lx, NtQuerySection 0x%llx\n", (unsigned long)st, section_size(m));
    CloseHandle(m);

    snprintf(name, sizeof name, "Local\\ntrun-sec-extend-%lu", GetCurrentProcessId());
    m = CreateFileMappingA(INVALID_HANDLE_VALUE, NULL, PAGE_READWRITE | SEC_RESERVE, 0, 0x10000,
                           name);
    v = MapViewOfFile(m, FILE_MAP_WRITE, 0, 0, 0);
    char args[96];
    snprintf(args, sizeof args, "child %s", name);
    DWORD code = xproc_run(args);
    printf("child exit %lu\n", code);
    printf("parent reads \"%s\" at once\n", v + 0x8000);
    printf("size after the child grew it: 0x%llx, old view 0x%lx\n", section_size(m),
           (unsigned long)region_size(v));
    char *w = MapViewOfFile(m, FILE_MAP_WRITE, 0, 0, 0);
    printf("new view: 0x%lx\n", w ? (unsigned long)region_size(w) : 0ul);
    UnmapViewOfFile(w);
    UnmapViewOfFile(v);
    CloseHandle(m);
    return 0;
}
