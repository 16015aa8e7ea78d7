/* A named pagefile-backed file mapping is shared between processes, as on Windows: the parent
 * creates "ntrun-pe-shared" and writes into it; a child process opens it by name
 * (OpenFileMapping) and sees the text, another creates it again (ERROR_ALREADY_EXISTS, the
 * existing 64 KiB section, not the size asked) and writes an answer the parent reads in its own
 * view. A view keeps its memory after the last handle closes, but the name goes with the last
 * handle (Windows removes a temporary object's name then; Wine 8.0 agrees): a child's
 * OpenFileMapping fails with ERROR_FILE_NOT_FOUND and a new creation starts zeroed. An unnamed
 * section is not shared. */
#include <stdio.h>
#include <string.h>
#include <windows.h>
#include "xproc_start.h"

#define NAME "ntrun-pe-shared"

static DWORD run_child(const char *arg) { return xproc_run(arg); }

static int child(const char *what)
{
    if (!strcmp(what, "open")) {
        HANDLE m = OpenFileMappingA(FILE_MAP_ALL_ACCESS, FALSE, NAME);
        if (!m) {
            printf("child open: error %lu\n", GetLastError());
            return 0;
        }
        char *p = MapViewOfFile(m, FILE_MAP_ALL_ACCESS, 0, 0, 0);
        MEMORY_BASIC_INFORMATION mbi;
        VirtualQuery(p, &mbi, sizeof mbi);
        printf("child open: reads \"%s\", region %lu KiB\n", p,
               (unsigned long)(mbi.RegionSize / 1024));
        UnmapViewOfFile(p);
        CloseHandle(m);
        return 0;
    }
    /* create again: the existing section */
    HANDLE m = CreateFileMappingA(INVALID_HANDLE_VALUE, NULL, PAGE_READWRITE, 0, 4096, NAME);
    printf("child create: %s, error %lu\n", m ? "handle" : "NULL", GetLastError());
    char *p = MapViewOfFile(m, FILE_MAP_WRITE, 0, 0, 0);
    MEMORY_BASIC_INFORMATION mbi;
    VirtualQuery(p, &mbi, sizeof mbi);
    printf("child create: region %lu KiB\n", (unsigned long)(mbi.RegionSize / 1024));
    strcpy(p + 1024, "answer from the child");
    UnmapViewOfFile(p);
    CloseHandle(m);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc > 1)
        return child(argv[1]);
    HANDLE m = CreateFileMappingA(INVALID_HANDLE_VALUE, NULL, PAGE_READWRITE, 0, 65536, NAME);
    printf("create: %s, error %lu\n", m ? "handle" : "NULL", GetLastError());
    char *p = MapViewOfFile(m, FILE_MAP_ALL_ACCESS, 0, 0, 0);
    strcpy(p, "hello from the parent");
    printf("child exit %lu\n", run_child("open"));
    printf("child exit %lu\n", run_child("create"));
    printf("parent reads: \"%s\"\n", p + 1024);
    CloseHandle(m);
    printf("view after close: \"%s\"\n", p);
    printf("child exit %lu\n", run_child("open")); /* the name went with the handle */
    UnmapViewOfFile(p);
    m = CreateFileMappingA(INVALID_HANDLE_VALUE, NULL, PAGE_READWRITE, 0, 4096, NAME);
    printf("create again: error %lu\n", GetLastError());
    p = MapViewOfFile(m, FILE_MAP_READ, 0, 0, 0);
    printf("new section starts zeroed: %d\n", p[0] == 0 && p[1024] == 0);
    UnmapViewOfFile(p);
    CloseHandle(m);
    HANDLE u = CreateFileMappingA(INVALID_HANDLE_VALUE, NULL, PAGE_READWRITE, 0, 4096, NULL);
    printf("unnamed: %s\n", u ? "handle" : "NULL");
    CloseHandle(u);
    return 0;
}
