/* ntdll!NtFlushBuffersFileEx, NtFlushBuffersFile with flags (Windows 8 and later). PostgreSQL
 * 18's programs look it up at start (src/port/win32ntdll.c; their fdatasync passes
 * FLUSH_FLAGS_FILE_DATA_SYNC_ONLY) and stop ("invalid binary ...") without it:
 *  - a file open for writing: flags 0, FLUSH_FLAGS_FILE_DATA_ONLY, FLUSH_FLAGS_NO_SYNC and
 *    FLUSH_FLAGS_FILE_DATA_SYNC_ONLY succeed (the IO_STATUS_BLOCK: STATUS_SUCCESS, 0);
 *  - an unknown flag, or parameters (reserved: NULL and 0): STATUS_INVALID_PARAMETER;
 *  - a handle open for reading only: STATUS_ACCESS_DENIED (FlushFileBuffers' documented
 *    ERROR_ACCESS_DENIED); a closed handle: STATUS_INVALID_HANDLE.
 * Wine 8.0 has no NtFlushBuffersFileEx (the program prints "found: 0" and stops there), so
 * the expected lines are those of Microsoft's documentation of the call and its flags. */
#include <stdio.h>
#include <windows.h>
#include <winternl.h>

typedef NTSTATUS(NTAPI *flush_fn)(HANDLE, ULONG, void *, ULONG, IO_STATUS_BLOCK *);

int main(void)
{
    flush_fn pFlush = (flush_fn)(void *)GetProcAddress(GetModuleHandleA("ntdll.dll"),
                                                       "NtFlushBuffersFileEx");
    printf("found: %d\n", pFlush != NULL);
    if (!pFlush)
        return 1;
    HANDLE h = CreateFileA("flush_buffers_ex.txt", GENERIC_WRITE, 0, NULL, CREATE_ALWAYS, 0, NULL);
    DWORD n;
    WriteFile(h, "data", 4, &n, NULL);
    static const ULONG flags[] = {0, 1, 2, 4};
    for (int i = 0; i < 4; i++) {
        IO_STATUS_BLOCK io;
        memset(&io, 0xcc, sizeof io);
        NTSTATUS st = pFlush(h, flags[i], NULL, 0, &io);
        printf("flags %lu: 0x%08lx, io 0x%08lx %llu\n", flags[i], (unsigned long)st,
               (unsigned long)io.Status, (unsigned long long)io.Information);
    }
    IO_STATUS_BLOCK io;
    char param[8] = {0};
    printf("flags 8: 0x%08lx\n", (unsigned long)pFlush(h, 8, NULL, 0, &io));
    printf("parameters: 0x%08lx\n", (unsigned long)pFlush(h, 0, param, sizeof param, &io));
    CloseHandle(h);
    printf("closed handle: 0x%08lx\n", (unsigned long)pFlush(h, 0, NULL, 0, &io));
    h = CreateFileA("flush_buffers_ex.txt", GENERIC_READ, 0, NULL, OPEN_EXISTING, 0, NULL);
    printf("read-only handle: 0x%08lx\n", (unsigned long)pFlush(h, 4, NULL, 0, &io));
    CloseHandle(h);
    DeleteFileA("flush_buffers_ex.txt");
    return 0;
}
