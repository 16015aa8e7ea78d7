/* Image views at an address of the caller's choosing, and a named SEC_IMAGE section opened by
 * another process:
 *  - NtMapViewOfSection of a SEC_IMAGE section over this program with *BaseAddress set to free
 *    space: the view is there, STATUS_IMAGE_NOT_AT_BASE (the program holds its preferred base),
 *    MEM_IMAGE with the view as AllocationBase (whether its contents are relocated is not
 *    compared: Windows leaves that to the loader when the view is not at the section's base,
 *    ntrun relocates, Wine 8.0 does not);
 *  - the same address again, and the program's own base: STATUS_CONFLICTING_ADDRESSES; an
 *    address that is not 64 KiB-aligned: STATUS_MAPPED_ALIGNMENT;
 *  - the section is named: a child started with CreateProcess opens it by name
 *    (OpenFileMapping), finds SEC_IMAGE | SEC_FILE and the image's size with NtQuerySection,
 *    maps it (MapViewOfFile) and finds the headers of its own program there, as MEM_IMAGE.
 * Wine 8.0: identical, except that it maps the image elsewhere when the address asked is
 * occupied (STATUS_IMAGE_NOT_AT_BASE) where Windows answers STATUS_CONFLICTING_ADDRESSES. */
#include <stdio.h>
#include <string.h>
#include <windows.h>
#include "xproc_start.h"
#include <winternl.h>
#include "section_info.h"

typedef NTSTATUS(NTAPI *map_view_fn)(HANDLE, HANDLE, void **, ULONG_PTR, SIZE_T,
                                     LARGE_INTEGER *, SIZE_T *, DWORD, ULONG, ULONG);
typedef NTSTATUS(NTAPI *unmap_view_fn)(HANDLE, void *);

static char name[64];

static IMAGE_NT_HEADERS64 *nt_of(char *base)
{
    return (IMAGE_NT_HEADERS64 *)(base + ((IMAGE_DOS_HEADER *)base)->e_lfanew);
}

static DWORD image_size(char *base)
{
    return (nt_of(base)->OptionalHeader.SizeOfImage + 0xfff) & ~0xfffu;
}

static DWORD run_child(void)
{
    char args[160];
    snprintf(args, sizeof args, "child %s", name);
    return xproc_run(args);
}

static int child(void)
{
    query_section_fn query = (query_section_fn)(void *)GetProcAddress(
        GetModuleHandleA("ntdll.dll"), "NtQuerySection");
    char *me = (char *)GetModuleHandleA(NULL);
    HANDLE s = OpenFileMappingA(FILE_MAP_READ | SECTION_QUERY, FALSE, name);
    if (!s) {
        printf("child: OpenFileMapping failed %lu\n", GetLastError());
        return 2;
    }
    basic_info bi;
    NTSTATUS st = query(s, 0, &bi, sizeof bi, NULL);
    printf("child: NtQuerySection 0x%08lx, attributes 0x%08lx, size is SizeOfImage %d\n",
           (unsigned long)st, bi.AllocationAttributes,
           bi.MaximumSize.QuadPart == image_size(me));
    char *v = MapViewOfFile(s, FILE_MAP_READ, 0, 0, 0);
    if (!v) {
        printf("child: MapViewOfFile failed %lu\n", GetLastError());
        return 3;
    }
    MEMORY_BASIC_INFORMATION mbi;
    VirtualQuery(v, &mbi, sizeof mbi);
    IMAGE_NT_HEADERS64 *a = nt_of(me), *b = nt_of(v);
    printf("child: view elsewhere %d, MEM_IMAGE %d, same program %d\n", v != me,
           mbi.Type == MEM_IMAGE,
           a->FileHeader.TimeDateStamp == b->FileHeader.TimeDateStamp &&
               a->OptionalHeader.SizeOfImage == b->OptionalHeader.SizeOfImage &&
               a->OptionalHeader.AddressOfEntryPoint == b->OptionalHeader.AddressOfEntryPoint);
    UnmapViewOfFile(v);
    CloseHandle(s);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc == 3 && !strcmp(argv[1], "child")) {
        snprintf(name, sizeof name, "%s", argv[2]);
        return child();
    }
    snprintf(name, sizeof name, "Local\\ntrun-sec-image-%lu", GetCurrentProcessId());
    HMODULE ntdll = GetModuleHandleA("ntdll.dll");
    map_view_fn map = (map_view_fn)(void *)GetProcAddress(ntdll, "NtMapViewOfSection");
    unmap_view_fn unmap = (unmap_view_fn)(void *)GetProcAddress(ntdll, "NtUnmapViewOfSection");
    char self[MAX_PATH];
    GetModuleFileNameA(NULL, self, sizeof self);
    char *me = (char *)GetModuleHandleA(NULL);

    HANDLE f = CreateFileA(self, GENERIC_READ, FILE_SHARE_READ, NULL, OPEN_EXISTING, 0, NULL);
    HANDLE s = CreateFileMappingA(f, NULL, PAGE_READONLY | SEC_IMAGE, 0, 0, name);
    printf("named SEC_IMAGE section: %s\n", s ? "handle" : "NULL");
    CloseHandle(f);

    /* free space of the image's size, 64 KiB-aligned */
    char *at = VirtualAlloc(NULL, image_size(me), MEM_RESERVE, PAGE_NOACCESS);
    VirtualFree(at, 0, MEM_RELEASE);
    void *v = at;
    SIZE_T size = 0;
    NTSTATUS st = map(s, GetCurrentProcess(), &v, 0, 0, NULL, &size, 1, 0, PAGE_READONLY);
    printf("at a chosen address: 0x%08lx, there %d, size is SizeOfImage %d\n",
           (unsigned long)st, v == at, size == image_size(me));
    MEMORY_BASIC_INFORMATION mbi;
    VirtualQuery(at, &mbi, sizeof mbi);
    printf("  MEM_IMAGE %d, AllocationBase is the view %d\n", mbi.Type == MEM_IMAGE,
           mbi.AllocationBase == at);

    void *again = at;
    size = 0;
    st = map(s, GetCurrentProcess(), &again, 0, 0, NULL, &size, 1, 0, PAGE_READONLY);
    printf("the same address again: 0x%08lx\n", (unsigned long)st);
    void *own = me;
    size = 0;
    st = map(s, GetCurrentProcess(), &own, 0, 0, NULL, &size, 1, 0, PAGE_READONLY);
    printf("the program's own base: 0x%08lx\n", (unsigned long)st);
    printf("unmap: 0x%08lx\n", (unsigned long)unmap(GetCurrentProcess(), at));
    void *odd = at + 0x1000;
    size = 0;
    st = map(s, GetCurrentProcess(), &odd, 0, 0, NULL, &size, 1, 0, PAGE_READONLY);
    printf("an address not 64 KiB-aligned: 0x%08lx\n", (unsigned long)st);
    if (st >= 0)
        unmap(GetCurrentProcess(), odd);

    printf("child exit %lu\n", run_child());
    CloseHandle(s);
    return 0;
}
