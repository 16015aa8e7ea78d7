/* GetProcessIoCounters (libuv's uv_getrusage, behind Node.js's process.cpuUsage and
 * resourceUsage): the calling process's read and write calls and bytes grow by at least what it
 * then does through WriteFile and ReadFile; NtQueryInformationProcess(ProcessIoCounters) wants
 * exactly sizeof(IO_COUNTERS) (else STATUS_INFO_LENGTH_MISMATCH); a handle that is no process
 * is ERROR_INVALID_HANDLE. (Wine 8.0 answers zeros for any handle.) */
#include <windows.h>
#include <winternl.h>
#include <stdio.h>

typedef NTSTATUS(NTAPI *query_fn)(HANDLE, PROCESSINFOCLASS, PVOID, ULONG, PULONG);

int main(void)
{
    IO_COUNTERS a, b;
    BOOL ok = GetProcessIoCounters(GetCurrentProcess(), &a);
    printf("GetProcessIoCounters: %d\n", ok);
    HANDLE f = CreateFileA("io.bin", GENERIC_READ | GENERIC_WRITE, 0, NULL, CREATE_ALWAYS, 0, NULL);
    char buf[100] = {0};
    DWORD n;
    for (int i = 0; i < 10; i++)
        WriteFile(f, buf, sizeof buf, &n, NULL);
    SetFilePointer(f, 0, NULL, FILE_BEGIN);
    for (int i = 0; i < 5; i++)
        ReadFile(f, buf, sizeof buf, &n, NULL);
    CloseHandle(f);
    DeleteFileA("io.bin");
    GetProcessIoCounters(GetCurrentProcess(), &b);
    printf("writes +10: %d, bytes +1000: %d\n", b.WriteOperationCount - a.WriteOperationCount >= 10,
           b.WriteTransferCount - a.WriteTransferCount >= 1000);
    printf("reads +5: %d, bytes +500: %d\n", b.ReadOperationCount - a.ReadOperationCount >= 5,
           b.ReadTransferCount - a.ReadTransferCount >= 500);

    query_fn query = (query_fn)GetProcAddress(GetModuleHandleA("ntdll.dll"),
                                              "NtQueryInformationProcess");
    ULONG len = 0xcc;
    NTSTATUS st = query(GetCurrentProcess(), (PROCESSINFOCLASS)2 /* ProcessIoCounters */, &a,
                        sizeof a, &len);
    printf("NtQueryInformationProcess: %#lx, length %lu\n", (unsigned long)st, len);
    st = query(GetCurrentProcess(), (PROCESSINFOCLASS)2, &a, sizeof a - 8, &len);
    printf("short buffer: %#lx\n", (unsigned long)st);

    HANDLE ev = CreateEventA(NULL, TRUE, FALSE, NULL);
    SetLastError(0);
    ok = GetProcessIoCounters(ev, &a);
    printf("an event: %d, error %lu\n", ok, GetLastError());
    return 0;
}
