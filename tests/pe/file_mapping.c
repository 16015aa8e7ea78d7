/* file_mapping: CreateFileMapping / MapViewOfFile with Windows semantics:
 *  - a pagefile-backed section (INVALID_HANDLE_VALUE): two views share their pages; the view
 *    is 64 KiB-aligned, VirtualQuery says MEM_MAPPED / MEM_COMMIT / PAGE_READWRITE with the view
 *    as AllocationBase, VirtualFree refuses it, and after UnmapViewOfFile the range is free;
 *  - named sections: a second CreateFileMapping of the name opens the same section with
 *    ERROR_ALREADY_EXISTS, OpenFileMapping finds it, an unknown name gives ERROR_FILE_NOT_FOUND,
 *    an event's name gives ERROR_INVALID_HANDLE;
 *  - a file-backed section: the view shows the file, writes through it reach the file
 *    (FlushViewOfFile, then ReadFile), a FILE_MAP_COPY view's writes reach neither the file nor
 *    other views; a section larger than its file grows the file; a read-only one cannot
 *    (ERROR_NOT_ENOUGH_MEMORY); an empty file gives ERROR_FILE_INVALID;
 *  - errors: an offset not a multiple of 64 KiB (ERROR_MAPPED_ALIGNMENT), a writable view of a
 *    read-only section, a view beyond the section's end, UnmapViewOfFile of something not
 *    mapped (ERROR_INVALID_ADDRESS);
 *  - MapViewOfFile3 with PAGE_READONLY, NtQuerySection's SectionBasicInformation. */
#include <stdio.h>
#include <string.h>
#include <windows.h>

static void fail(int line, const char *what)
{
    printf("FAIL line %d: %s (last error %lu)\n", line, what, GetLastError());
    fflush(stdout);
    ExitProcess(1);
}
#define CHECK(cond) do { if (!(cond)) fail(__LINE__, #cond); } while (0)

typedef PVOID(WINAPI *map3_fn)(HANDLE, HANDLE, PVOID, ULONG64, SIZE_T, ULONG, ULONG, PVOID, ULONG);
typedef LONG(NTAPI *query_section_fn)(HANDLE, int, PVOID, SIZE_T, SIZE_T *);

static void test_pagefile(void)
{
    HANDLE m = CreateFileMappingW(INVALID_HANDLE_VALUE, NULL, PAGE_READWRITE, 0, 0x20000, NULL);
    CHECK(m != NULL);
    CHECK(GetLastError() == 0);
    char *a = MapViewOfFile(m, FILE_MAP_ALL_ACCESS, 0, 0, 0);
    char *b = MapViewOfFile(m, FILE_MAP_WRITE, 0, 0x10000, 0x10000);
    CHECK(a && b && a != b);
    CHECK(((ULONG_PTR)a & 0xffff) == 0 && ((ULONG_PTR)b & 0xffff) == 0);
    CHECK(a[0] == 0 && a[0x1ffff] == 0);
    strcpy(a + 0x10000, "shared page");
    CHECK(strcmp(b, "shared page") == 0);
    b[100] = 'x';
    CHECK(a[0x10000 + 100] == 'x');
    MEMORY_BASIC_INFORMATION mbi;
    CHECK(VirtualQuery(a + 0x1234, &mbi, sizeof mbi) == sizeof mbi);
    CHECK(mbi.BaseAddress == a + 0x1000 && mbi.AllocationBase == a);
    CHECK(mbi.Type == MEM_MAPPED && mbi.State == MEM_COMMIT && mbi.Protect == PAGE_READWRITE);
    CHECK(mbi.AllocationProtect == PAGE_READWRITE);
    CHECK(mbi.RegionSize == 0x1f000);
    CHECK(!VirtualFree(a, 0, MEM_RELEASE));
    CHECK(UnmapViewOfFile(a));
    CHECK(VirtualQuery(a, &mbi, sizeof mbi) == sizeof mbi && mbi.State == MEM_FREE);
    SetLastError(0);
    CHECK(!UnmapViewOfFile(a));
    CHECK(GetLastError() == ERROR_INVALID_ADDRESS);
    /* The section lives on while a view does, without its handle. */
    CHECK(CloseHandle(m));
    CHECK(strcmp(b, "shared page") == 0 && b[100] == 'x');
    CHECK(UnmapViewOfFile(b));
    SetLastError(0);
    CHECK(CreateFileMappingW(INVALID_HANDLE_VALUE, NULL, PAGE_READWRITE, 0, 0, NULL) == NULL);
    CHECK(GetLastError() == ERROR_INVALID_PARAMETER);
    printf("pagefile section: shared views, MEM_MAPPED, unmapped\n");
}

static void test_named(void)
{
    HANDLE m = CreateFileMappingW(INVALID_HANDLE_VALUE, NULL, PAGE_READWRITE, 0, 4096,
                                  L"Local\\ntrun-file-mapping-test");
    CHECK(m != NULL && GetLastError() == 0);
    HANDLE m2 = CreateFileMappingW(INVALID_HANDLE_VALUE, NULL, PAGE_READWRITE, 0, 4096,
                                   L"Local\\ntrun-file-mapping-test");
    CHECK(m2 != NULL && m2 != m && GetLastError() == ERROR_ALREADY_EXISTS);
    HANDLE m3 = OpenFileMappingW(FILE_MAP_ALL_ACCESS, FALSE, L"Local\\ntrun-file-mapping-test");
    CHECK(m3 != NULL);
    char *a = MapViewOfFile(m, FILE_MAP_WRITE, 0, 0, 0);
    char *c = MapViewOfFile(m3, FILE_MAP_READ, 0, 0, 0);
    CHECK(a && c);
    strcpy(a, "by name");
    CHECK(strcmp(c, "by name") == 0);
    SetLastError(0);
    CHECK(OpenFileMappingW(FILE_MAP_READ, FALSE, L"Local\\ntrun-no-such-mapping") == NULL);
    CHECK(GetLastError() == ERROR_FILE_NOT_FOUND);
    HANDLE ev = CreateEventW(NULL, TRUE, FALSE, L"Local\\ntrun-mapping-event");
    SetLastError(0);
    CHECK(CreateFileMappingW(INVALID_HANDLE_VALUE, NULL, PAGE_READWRITE, 0, 4096,
                             L"Local\\ntrun-mapping-event") == NULL);
    CHECK(GetLastError() == ERROR_INVALID_HANDLE);
    CHECK(UnmapViewOfFile(a) && UnmapViewOfFile(c));
    CloseHandle(m);
    CloseHandle(m2);
    CloseHandle(m3);
    CloseHandle(ev);
    printf("named section: ERROR_ALREADY_EXISTS, OpenFileMapping, same pages\n");
}

static HANDLE make_file(const char *name, const char *content, DWORD len)
{
    HANDLE f = CreateFileA(name, GENERIC_READ | GENERIC_WRITE, 0, NULL, CREATE_ALWAYS,
                           FILE_ATTRIBUTE_NORMAL, NULL);
    CHECK(f != INVALID_HANDLE_VALUE);
    DWORD n = 0;
    if (len)
        CHECK(WriteFile(f, content, len, &n, NULL) && n == len);
    return f;
}

static void test_file(void)
{
    char text[5000];
    for (int i = 0; i < (int)sizeof text; i++)
        text[i] = (char)('a' + i % 26);
    HANDLE f = make_file("mapping_test.bin", text, sizeof text);
    HANDLE m = CreateFileMappingW(f, NULL, PAGE_READWRITE, 0, 0, NULL);
    CHECK(m != NULL);
    char *v = MapViewOfFile(m, FILE_MAP_WRITE, 0, 0, 0);
    char *cow = MapViewOfFile(m, FILE_MAP_COPY, 0, 0, 0);
    CHECK(v && cow);
    CHECK(memcmp(v, text, sizeof text) == 0);
    CHECK(v[sizeof text] == 0); /* the rest of the last page reads as zeros */
    MEMORY_BASIC_INFORMATION mbi;
    CHECK(VirtualQuery(cow, &mbi, sizeof mbi) && mbi.Type == MEM_MAPPED &&
          mbi.Protect == PAGE_WRITECOPY);
    memcpy(v + 10, "THROUGH THE VIEW", 16);
    CHECK(memcmp(cow + 10, "THROUGH THE VIEW", 16) == 0); /* not written yet: shared */
    memcpy(cow + 100, "private copy", 12);
    CHECK(memcmp(v + 100, "private copy", 12) != 0);
    CHECK(FlushViewOfFile(v, 0));
    char back[128] = {0};
    DWORD n = 0;
    CHECK(SetFilePointer(f, 0, NULL, FILE_BEGIN) == 0);
    CHECK(ReadFile(f, back, 120, &n, NULL) && n == 120);
    CHECK(memcmp(back + 10, "THROUGH THE VIEW", 16) == 0);
    CHECK(memcmp(back + 100, "private copy", 12) != 0);
    /* Writing the file shows in the shared view. */
    CHECK(SetFilePointer(f, 200, NULL, FILE_BEGIN) == 200);
    CHECK(WriteFile(f, "from WriteFile", 14, &n, NULL) && n == 14);
    CHECK(memcmp(v + 200, "from WriteFile", 14) == 0);
    CHECK(UnmapViewOfFile(v) && UnmapViewOfFile(cow));
    CloseHandle(m);

    /* Larger than the file: the file grows (writable), or the call fails (read-only). */
    SetLastError(0);
    CHECK(CreateFileMappingW(f, NULL, PAGE_READONLY, 0, 0x3000, NULL) == NULL);
    CHECK(GetLastError() == ERROR_NOT_ENOUGH_MEMORY);
    m = CreateFileMappingW(f, NULL, PAGE_READWRITE, 0, 0x3000, NULL);
    CHECK(m != NULL);
    CHECK(GetFileSize(f, NULL) == 0x3000);
    /* Views of a read-only section cannot be writable; views end at the section's end. */
    HANDLE ro = CreateFileMappingW(f, NULL, PAGE_READONLY, 0, 0, NULL);
    CHECK(ro != NULL);
    SetLastError(0);
    CHECK(MapViewOfFile(ro, FILE_MAP_WRITE, 0, 0, 0) == NULL);
    CHECK(GetLastError() == ERROR_INVALID_PARAMETER);
    const char *r = MapViewOfFile(ro, FILE_MAP_READ, 0, 0, 0);
    CHECK(r && memcmp(r + 10, "THROUGH THE VIEW", 16) == 0);
    CHECK(VirtualQuery(r, &mbi, sizeof mbi) && mbi.Protect == PAGE_READONLY);
    CHECK(UnmapViewOfFile(r));
    SetLastError(0);
    CHECK(MapViewOfFile(m, FILE_MAP_READ, 0, 0x1000, 0) == NULL);
    CHECK(GetLastError() == ERROR_MAPPED_ALIGNMENT);
    SetLastError(0);
    CHECK(MapViewOfFile(m, FILE_MAP_READ, 0, 0, 0x4000) == NULL);
    CHECK(GetLastError() == ERROR_ACCESS_DENIED);
    CloseHandle(ro);
    CloseHandle(m);
    CloseHandle(f);

    HANDLE empty = make_file("mapping_empty.bin", NULL, 0);
    SetLastError(0);
    CHECK(CreateFileMappingW(empty, NULL, PAGE_READONLY, 0, 0, NULL) == NULL);
    CHECK(GetLastError() == ERROR_FILE_INVALID);
    CloseHandle(empty);
    CHECK(DeleteFileA("mapping_test.bin") && DeleteFileA("mapping_empty.bin"));
    printf("file section: views show the file, writes reach it, copy-on-write stays private\n");
}

static void test_map3_query(void)
{
    HANDLE m = CreateFileMappingW(INVALID_HANDLE_VALUE, NULL, PAGE_READWRITE, 0, 0x5000, NULL);
    CHECK(m != NULL);
    map3_fn map3 = (map3_fn)(void *)GetProcAddress(GetModuleHandleA("kernelbase.dll"),
                                                   "MapViewOfFile3");
    CHECK(map3 != NULL);
    const char *p = map3(m, GetCurrentProcess(), NULL, 0, 0, 0, PAGE_READONLY, NULL, 0);
    CHECK(p != NULL);
    MEMORY_BASIC_INFORMATION mbi;
    CHECK(VirtualQuery(p, &mbi, sizeof mbi) && mbi.Protect == PAGE_READONLY &&
          mbi.RegionSize == 0x5000);
    CHECK(UnmapViewOfFile(p));
    query_section_fn query = (query_section_fn)(void *)GetProcAddress(
        GetModuleHandleA("ntdll.dll"), "NtQuerySection");
    CHECK(query != NULL);
    struct { PVOID base; ULONG attrs; LARGE_INTEGER size; } sbi;
    SIZE_T len = 0;
    CHECK(query(m, 0, &sbi, sizeof sbi, &len) == 0);
    CHECK(len == sizeof sbi && sbi.size.QuadPart == 0x5000);
    CHECK(sbi.attrs == SEC_COMMIT);
    CHECK(query(m, 0, &sbi, 8, &len) == (LONG)0xC0000004);
    CloseHandle(m);
    printf("MapViewOfFile3 and NtQuerySection\n");
}

int main(void)
{
    setvbuf(stdout, NULL, _IONBF, 0);
    test_pagefile();
    test_named();
    test_file();
    test_map3_query();
    printf("done\n");
    return 0;
}
