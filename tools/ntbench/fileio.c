/* SPDX-License-Identifier: MIT */
/* Raw file I/O through NtReadFile/NtWriteFile (docs/performance.md "File reads and writes with
 * mandatory byte-range locks"): 40000 WriteFile calls of 4 KiB to a file, then 40000 ReadFile
 * calls back; prints the bytes read (163840000). Not built by CMake:
 *   x86_64-w64-mingw32-gcc -O2 -o fileio.exe tools/ntbench/fileio.c */
#include <windows.h>
#include <stdio.h>
int main(void)
{
    static char buf[4096];
    HANDLE h = CreateFileA("fileio.tmp", GENERIC_READ | GENERIC_WRITE, 0, NULL, CREATE_ALWAYS, 0, NULL);
    DWORD n;
    for (int i = 0; i < 40000; i++) WriteFile(h, buf, sizeof buf, &n, NULL);
    SetFilePointer(h, 0, NULL, FILE_BEGIN);
    unsigned long long t = 0;
    for (int i = 0; i < 40000; i++) { ReadFile(h, buf, sizeof buf, &n, NULL); t += n; }
    CloseHandle(h);
    DeleteFileA("fileio.tmp");
    printf("%llu\n", t);
    return 0;
}
