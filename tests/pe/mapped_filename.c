/* mapped_filename: GetMappedFileNameW/A (psapi, kernel32's K32 names) and
 * NtQueryVirtualMemory(MemoryMappedFilenameInformation): an address inside the program's image
 * or a loaded DLL gives the module's file in the device form (\Device\HarddiskVolumeN\...,
 * as GetFinalPathNameByHandle's VOLUME_NAME_NT names the same file); a view of a file mapping
 * gives the file's name; private memory is ERROR_FILE_INVALID; an output too small for the
 * name is STATUS_BUFFER_OVERFLOW with the size needed. */
#include <stdio.h>
#include <string.h>
#include <wchar.h>
#include <windows.h>
#include <psapi.h>
#include <winternl.h>
#include "check.h"

/* The NT name of the file behind handle h. */
static const wchar_t *nt_name(HANDLE h)
{
    static wchar_t out[MAX_PATH];
    if (!GetFinalPathNameByHandleW(h, out, MAX_PATH, VOLUME_NAME_NT))
        return L"?";
    return out;
}

int main(void)
{
    wchar_t got[MAX_PATH], exe[MAX_PATH];
    GetModuleFileNameW(NULL, exe, MAX_PATH);
    HANDLE fexe = CreateFileW(exe, GENERIC_READ, FILE_SHARE_READ | FILE_SHARE_DELETE, NULL,
                              OPEN_EXISTING, 0, NULL);
    HMODULE self = GetModuleHandleW(NULL);
    DWORD n = GetMappedFileNameW(GetCurrentProcess(), (char *)self + 0x1000, got, MAX_PATH);
    CHECK(n > 0 && n == wcslen(got));
    CHECK(_wcsicmp(got, nt_name(fexe)) == 0);
    CHECK(wcsncmp(got, L"\\Device\\HarddiskVolume", 22) == 0);
    char gota[MAX_PATH];
    CHECK(GetMappedFileNameA(GetCurrentProcess(), self, gota, MAX_PATH) == n);

    /* a view of a file mapping */
    HANDLE f = CreateFileW(L"mapped_filename.tmp", GENERIC_READ | GENERIC_WRITE, 0, NULL,
                           CREATE_ALWAYS, 0, NULL);
    DWORD done;
    char page[4096] = "mapped";
    WriteFile(f, page, sizeof page, &done, NULL);
    HANDLE map = CreateFileMappingW(f, NULL, PAGE_READONLY, 0, 0, NULL);
    char *view = MapViewOfFile(map, FILE_MAP_READ, 0, 0, 0);
    CHECK(view && GetMappedFileNameW(GetCurrentProcess(), view + 10, got, MAX_PATH) > 0);
    CHECK(_wcsicmp(got, nt_name(f)) == 0);

    /* private memory, a small output */
    void *priv = VirtualAlloc(NULL, 4096, MEM_COMMIT | MEM_RESERVE, PAGE_READWRITE);
    SetLastError(0);
    CHECK(GetMappedFileNameW(GetCurrentProcess(), priv, got, MAX_PATH) == 0 &&
          GetLastError() == ERROR_FILE_INVALID);
    NTSTATUS(NTAPI * qvm)(HANDLE, void *, ULONG, void *, SIZE_T, SIZE_T *) =
        (void *)GetProcAddress(GetModuleHandleA("ntdll.dll"), "NtQueryVirtualMemory");
    unsigned char small[20];
    SIZE_T need = 0;
    CHECK(qvm(GetCurrentProcess(), self, 2, small, sizeof small, &need) ==
              (NTSTATUS)0x80000005 &&
          need == sizeof(UNICODE_STRING) + (n + 1) * sizeof(wchar_t));

    UnmapViewOfFile(view);
    CloseHandle(map);
    CloseHandle(f);
    CloseHandle(fexe);
    DeleteFileW(L"mapped_filename.tmp");
    return check_report();
}
