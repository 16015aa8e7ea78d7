/* GetProcessWorkingSetSize(Ex) and SetProcessWorkingSetSize(Ex), as SQLCipher (Delta Chat's
 * database) uses them before VirtualLock of its key memory:
 * - a new process has Windows' defaults: 50 pages minimum (204800 bytes) and 345 pages
 *   maximum (1413120), neither a hard limit (Flags QUOTA_LIMITS_HARDWS_MIN_DISABLE |
 *   QUOTA_LIMITS_HARDWS_MAX_DISABLE = 0xa); the figures are those of Microsoft's
 *   SetProcessWorkingSetSize page ("the default minimum working set size ... 50 pages ... the
 *   default maximum ... 345 pages"). Wine 8.0's functions are stubs: 32 MB for both, whatever
 *   was set, and any handle succeeds.
 * - SetProcessWorkingSetSize of larger page-multiple limits succeeds and they are read back;
 *   (SIZE_T)-1 for both (empty the working set) succeeds;
 * - a thread handle is ERROR_INVALID_HANDLE (NtQueryInformationProcess on a handle of another
 *   type: STATUS_OBJECT_TYPE_MISMATCH, which GetLastError reports as ERROR_INVALID_HANDLE). */
#include <windows.h>
#include <stdio.h>

static void show(const char *what)
{
    SIZE_T mn = 0, mx = 0;
    DWORD flags = 0xcccccccc;
    BOOL ok = GetProcessWorkingSetSizeEx(GetCurrentProcess(), &mn, &mx, &flags);
    printf("%s: %d min %zu max %zu flags %#lx\n", what, ok, (size_t)mn, (size_t)mx,
           (unsigned long)flags);
}

int main(void)
{
    SIZE_T mn = 0, mx = 0;
    BOOL ok = GetProcessWorkingSetSize(GetCurrentProcess(), &mn, &mx);
    printf("GetProcessWorkingSetSize: %d min %zu max %zu\n", ok, (size_t)mn, (size_t)mx);
    show("defaults (Ex)");

    ok = SetProcessWorkingSetSize(GetCurrentProcess(), 1024 * 4096, 4096 * 4096);
    printf("SetProcessWorkingSetSize(4 MB, 16 MB): %d\n", ok);
    show("after");
    ok = SetProcessWorkingSetSize(GetCurrentProcess(), (SIZE_T)-1, (SIZE_T)-1);
    printf("SetProcessWorkingSetSize(-1, -1): %d\n", ok);

    SetLastError(0xdeadbeef);
    ok = GetProcessWorkingSetSize(GetCurrentThread(), &mn, &mx);
    printf("GetProcessWorkingSetSize(thread handle): %d, error %lu\n", ok, GetLastError());
    return 0;
}
