/* nt_validate: NT calls check the caller's buffer before using it, as Windows probes it.
 * A length that runs past committed memory (one committed page, then a reserved one):
 * NtWriteFile/WriteFile fail with STATUS_ACCESS_VIOLATION / ERROR_NOACCESS and write nothing,
 * NtReadFile/ReadFile fail the same way and consume nothing (the next read gets the data);
 * the same calls with the right length work. lstrlenA/W of a bad pointer give 0 and
 * lstrcpyA/W, lstrcatA/W NULL (Windows guards them); RtlInitUnicodeString/RtlInitAnsiString of
 * NULL give the empty string. */
#include <stdio.h>
#include <string.h>
#include <windows.h>
#include <winternl.h>

typedef NTSTATUS(NTAPI *write_fn)(HANDLE, HANDLE, void *, void *, IO_STATUS_BLOCK *, const void *,
                                  ULONG, LARGE_INTEGER *, ULONG *);
typedef NTSTATUS(NTAPI *read_fn)(HANDLE, HANDLE, void *, void *, IO_STATUS_BLOCK *, void *, ULONG,
                                 LARGE_INTEGER *, ULONG *);
typedef void(NTAPI *init_fn)(void *, const void *);

int main(void)
{
    HMODULE nt = GetModuleHandleA("ntdll.dll");
    write_fn nt_write = (write_fn)GetProcAddress(nt, "NtWriteFile");
    read_fn nt_read = (read_fn)GetProcAddress(nt, "NtReadFile");
    char *buf = VirtualAlloc(NULL, 0x2000, MEM_RESERVE, PAGE_NOACCESS);
    VirtualAlloc(buf, 0x1000, MEM_COMMIT, PAGE_READWRITE);
    memset(buf, 'A', 0x1000);

    HANDLE f = CreateFileA("nt_validate.tmp", GENERIC_READ | GENERIC_WRITE, 0, NULL, CREATE_ALWAYS,
                           FILE_FLAG_DELETE_ON_CLOSE, NULL);
    IO_STATUS_BLOCK io;
    NTSTATUS st = nt_write(f, NULL, NULL, NULL, &io, buf + 0x800, 0x1000, NULL, NULL);
    printf("NtWriteFile past committed memory: 0x%08lX, file size %lu\n", (unsigned long)st,
           GetFileSize(f, NULL));
    DWORD n = 12345;
    BOOL ok = WriteFile(f, buf + 0x800, 0x1000, &n, NULL);
    printf("WriteFile past committed memory: %s, error %lu, file size %lu\n", ok ? "TRUE" : "FALSE",
           GetLastError(), GetFileSize(f, NULL));
    st = nt_write(f, NULL, NULL, NULL, &io, buf + 0x800, 0x800, NULL, NULL);
    printf("NtWriteFile of the committed part: 0x%08lX, %lu bytes, file size %lu\n",
           (unsigned long)st, (unsigned long)io.Information, GetFileSize(f, NULL));

    SetFilePointer(f, 0, NULL, FILE_BEGIN);
    st = nt_read(f, NULL, NULL, NULL, &io, buf + 0x800, 0x1000, NULL, NULL);
    printf("NtReadFile past committed memory: 0x%08lX, position %lu\n", (unsigned long)st,
           SetFilePointer(f, 0, NULL, FILE_CURRENT));
    ok = ReadFile(f, buf + 0x800, 0x1000, &n, NULL);
    printf("ReadFile past committed memory: %s, error %lu\n", ok ? "TRUE" : "FALSE", GetLastError());
    ok = ReadFile(f, buf, 0x1000, &n, NULL);
    printf("ReadFile into committed memory: %s, %lu bytes\n", ok ? "TRUE" : "FALSE", n);
    CloseHandle(f);

    const char *bad = (const char *)(ULONG_PTR)0x10;
    char dst[16] = "abc";
    printf("lstrlenA(bad) %d, lstrlenW(bad) %d\n", lstrlenA(bad), lstrlenW((const WCHAR *)bad));
    printf("lstrcpyA(dst, bad) %s, lstrcpyW(dst, bad) %s\n", lstrcpyA(dst, bad) ? "dst" : "NULL",
           lstrcpyW((WCHAR *)dst, (const WCHAR *)bad) ? "dst" : "NULL");
    printf("lstrcatA(bad, \"x\") %s, lstrcatA(dst, bad) %s\n",
           lstrcatA((char *)bad, "x") ? "dst" : "NULL", lstrcatA(dst, bad) ? "dst" : "NULL");
    printf("lstrcatW(bad, L\"x\") %s\n", lstrcatW((WCHAR *)bad, L"x") ? "dst" : "NULL");
    strcpy(dst, "ab");
    char *cat = lstrcatA(dst, "cd");
    printf("lstrcatA(\"ab\", \"cd\") %s, lstrlenA %d\n", cat, lstrlenA(dst));

    UNICODE_STRING us;
    memset(&us, 0xcc, sizeof us);
    ((init_fn)GetProcAddress(nt, "RtlInitUnicodeString"))(&us, NULL);
    printf("RtlInitUnicodeString(NULL): %u %u %s\n", us.Length, us.MaximumLength,
           us.Buffer ? "buffer" : "NULL");
    STRING as;
    memset(&as, 0xcc, sizeof as);
    ((init_fn)GetProcAddress(nt, "RtlInitAnsiString"))(&as, NULL);
    printf("RtlInitAnsiString(NULL): %u %u %s\n", as.Length, as.MaximumLength,
           as.Buffer ? "buffer" : "NULL");
    return 0;
}
