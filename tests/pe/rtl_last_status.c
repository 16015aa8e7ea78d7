/* ntdll!RtlGetLastNtStatus and RtlSetLastWin32ErrorAndNtStatusFromNtStatus: the NTSTATUS of the
 * last failure that came from one (TEB->LastStatusValue), beside the Win32 error. PostgreSQL's
 * pg_ctl, initdb and postgres look RtlGetLastNtStatus up at start (src/port/win32ntdll.c) and stop
 * ("invalid binary ...") when GetProcAddress does not find it; its stat() tells
 * STATUS_DELETE_PENDING from other ERROR_ACCESS_DENIED failures with it.
 *  - CreateFile of a missing file: ERROR_FILE_NOT_FOUND and STATUS_OBJECT_NAME_NOT_FOUND; of a
 *    file in a missing directory: ERROR_PATH_NOT_FOUND and STATUS_OBJECT_PATH_NOT_FOUND;
 *  - SetLastError changes the Win32 error and leaves the status;
 *  - RtlSetLastWin32ErrorAndNtStatusFromNtStatus (VOID, as phnt declares it) of
 *    STATUS_ACCESS_DENIED sets ERROR_ACCESS_DENIED and the status; of STATUS_SUCCESS 0 and 0.
 * Wine 8.0 prints the same lines. */
#include <stdio.h>
#include <windows.h>

typedef LONG(WINAPI *get_status_fn)(void);
typedef void(WINAPI *set_both_fn)(LONG);

int main(void)
{
    HMODULE ntdll = GetModuleHandleA("ntdll.dll");
    get_status_fn get = (get_status_fn)(void *)GetProcAddress(ntdll, "RtlGetLastNtStatus");
    set_both_fn set = (set_both_fn)(void *)GetProcAddress(ntdll,
                                                          "RtlSetLastWin32ErrorAndNtStatusFromNtStatus");
    printf("RtlGetLastNtStatus found: %d, RtlSetLastWin32ErrorAndNtStatusFromNtStatus found: %d\n",
           get != NULL, set != NULL);
    if (!get || !set)
        return 1;

    HANDLE h = CreateFileA("rtl_last_status_missing.txt", GENERIC_READ, 0, NULL, OPEN_EXISTING, 0,
                           NULL);
    printf("missing file: handle valid %d, error %lu, status 0x%08lx\n", h != INVALID_HANDLE_VALUE,
           GetLastError(), (unsigned long)get());
    h = CreateFileA("rtl_last_status_no_dir\\x.txt", GENERIC_READ, 0, NULL, OPEN_EXISTING, 0, NULL);
    printf("missing directory: handle valid %d, error %lu, status 0x%08lx\n",
           h != INVALID_HANDLE_VALUE, GetLastError(), (unsigned long)get());
    SetLastError(1234);
    printf("after SetLastError(1234): error %lu, status 0x%08lx\n", GetLastError(),
           (unsigned long)get());
    set((LONG)0xc0000022);
    printf("from STATUS_ACCESS_DENIED: error %lu, status 0x%08lx\n", GetLastError(),
           (unsigned long)get());
    set(0);
    printf("from STATUS_SUCCESS: error %lu, status 0x%08lx\n", GetLastError(),
           (unsigned long)get());
    return 0;
}
