/* A named file-backed file mapping is shared between processes, as on Windows: the parent maps
 * a 128 KiB section over a file under a name (with its pid in it); a child started with
 * CreateProcess opens it by name (OpenFileMapping), sees the parent's text in a view at a 64 KiB
 * offset and writes an answer that the parent reads in its own view and, after
 * FlushViewOfFile, with ReadFile from the file. NtExtendSection grows the section and the file
 * to 192 KiB: a child that opens the section then sees the new size (NtQuerySection) and maps
 * the added part. CreateFileMapping of the same name over the pagefile in a child gives the
 * existing file-backed section (ERROR_ALREADY_EXISTS) and its size. After the parent's last
 * handle the name is gone (ERROR_FILE_NOT_FOUND), though its views still work.
 *
 * Wine 8.0: identical up to NtExtendSection, which its ntdll does not export (the test stops
 * there with exit status 1). */
#include <stdio.h>
#include <string.h>
#include <windows.h>
#include "xproc_start.h"
#include <winternl.h>
#include "section_info.h"

typedef NTSTATUS(NTAPI *extend_section_fn)(HANDLE, LARGE_INTEGER *);

static char name[64];

static DWORD run_child(const char *arg)
{
    char args[160];
    snprintf(args, sizeof args, "%s %s", arg, name);
    return xproc_run(args);
}

static long long section_size(HANDLE m)
{
    query_section_fn query = (query_section_fn)(void *)GetProcAddress(
        GetModuleHandleA("ntdll.dll"), "NtQuerySection");
    basic_info bi;
    SIZE_T got = 0;
    NTSTATUS st = query(m, 0 /* SectionBasicInformation */, &bi, sizeof bi, &got);
    if (st)
        return -(long long)(ULONG)st;
    return (bi.AllocationAttributes & SEC_FILE) ? bi.MaximumSize.QuadPart : -1;
}

static int child(const char *what)
{
    if (!strcmp(what, "create")) { /* over the pagefile: the existing file-backed section */
        HANDLE m = CreateFileMappingA(INVALID_HANDLE_VALUE, NULL, PAGE_READWRITE, 0, 4096, name);
        printf("child create: %s, error %lu, SEC_FILE size %lld KiB\n", m ? "handle" : "NULL",
               GetLastError(), section_size(m) / 1024);
        char *p = MapViewOfFile(m, FILE_MAP_READ, 0, 0, 0);
        MEMORY_BASIC_INFORMATION mbi;
        VirtualQuery(p, &mbi, sizeof mbi);
        printf("child create: view %lu KiB, reads \"%s\"\n",
               (unsigned long)(mbi.RegionSize / 1024), p);
        UnmapViewOfFile(p);
        CloseHandle(m);
        return 0;
    }
    HANDLE m = OpenFileMappingA(FILE_MAP_ALL_ACCESS, FALSE, name);
    if (!m) {
        printf("child %s: error %lu\n", what, GetLastError());
        return 0;
    }
    printf("child %s: SEC_FILE size %lld KiB\n", what, section_size(m) / 1024);
    if (!strcmp(what, "open")) {
        char *p = MapViewOfFile(m, FILE_MAP_ALL_ACCESS, 0, 65536, 4096);
        printf("child open: view at 64 KiB reads \"%s\"\n", p);
        strcpy(p + 100, "answer from the child");
        UnmapViewOfFile(p);
    } else { /* extended */
        char *p = MapViewOfFile(m, FILE_MAP_WRITE, 0, 131072, 0);
        printf("child extended: view at 128 KiB %s\n", p ? "mapped" : "failed");
        if (p) {
            strcpy(p, "written past the old end");
            UnmapViewOfFile(p);
        }
    }
    CloseHandle(m);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc > 2) {
        snprintf(name, sizeof name, "%s", argv[2]);
        return child(argv[1]);
    }
    snprintf(name, sizeof name, "ntrun-pe-filemap-%lu", GetCurrentProcessId());
    HANDLE f = CreateFileA("mapped.bin", GENERIC_READ | GENERIC_WRITE,
                           FILE_SHARE_READ | FILE_SHARE_WRITE, NULL, CREATE_ALWAYS, 0, NULL);
    HANDLE m = CreateFileMappingA(f, NULL, PAGE_READWRITE, 0, 131072, name);
    printf("create: %s, error %lu\n", m ? "handle" : "NULL", GetLastError());
    LARGE_INTEGER fsize;
    GetFileSizeEx(f, &fsize);
    printf("file grew to %lld KiB\n", fsize.QuadPart / 1024);
    char *p = MapViewOfFile(m, FILE_MAP_ALL_ACCESS, 0, 0, 0);
    strcpy(p, "parent at 0");
    strcpy(p + 65536, "parent at 64 KiB");
    char *q = MapViewOfFile(m, FILE_MAP_READ, 0, 65536, 4096);
    printf("view at 64 KiB reads \"%s\"\n", q);
    char *bad = MapViewOfFile(m, FILE_MAP_READ, 0, 4096, 4096);
    printf("view at 4 KiB: %s, error %lu\n", bad ? "mapped" : "NULL", GetLastError());

    printf("child exit %lu\n", run_child("open"));
    printf("parent reads: \"%s\" (second view \"%s\")\n", p + 65536 + 100, q + 100);
    printf("FlushViewOfFile: %d\n", FlushViewOfFile(p + 65536, 4096));
    char buf[32] = {0};
    DWORD got = 0;
    SetFilePointer(f, 65536 + 100, NULL, FILE_BEGIN);
    ReadFile(f, buf, 21, &got, NULL);
    printf("ReadFile: \"%s\"\n", buf);

    extend_section_fn extend = (extend_section_fn)(void *)GetProcAddress(
        GetModuleHandleA("ntdll.dll"), "NtExtendSection");
    LARGE_INTEGER want = {.QuadPart = 196608};
    if (!extend) {
        printf("NtExtendSection: not exported\n");
        return 1;
    }
    NTSTATUS st = extend(m, &want);
    GetFileSizeEx(f, &fsize);
    printf("NtExtendSection: 0x%08lx, size %lld KiB, file %lld KiB, section %lld KiB\n",
           (unsigned long)st, want.QuadPart / 1024, fsize.QuadPart / 1024, section_size(m) / 1024);
    printf("child exit %lu\n", run_child("extended"));
    char *r = MapViewOfFile(m, FILE_MAP_READ, 0, 131072, 0);
    printf("view at 128 KiB reads \"%s\"\n", r ? r : "(failed)");
    if (r)
        UnmapViewOfFile(r);
    printf("child exit %lu\n", run_child("create"));

    CloseHandle(m);
    printf("child exit %lu\n", run_child("open")); /* the name went with the last handle */
    printf("view after close: \"%s\"\n", p);
    UnmapViewOfFile(q);
    UnmapViewOfFile(p);
    CloseHandle(f);
    printf("DeleteFile: %d\n", DeleteFileA("mapped.bin"));
    return 0;
}
