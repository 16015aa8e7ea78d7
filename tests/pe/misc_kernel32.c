/* misc_kernel32: assorted kernel32 services. QueryPerformanceFrequency (10 MHz on Windows 10
 * and later) and a monotonic QueryPerformanceCounter, GetTickCount64 and the counter across
 * Sleep(20) (loose bounds: the tick count has a 15.6 ms granularity on Windows),
 * GetSystemTimeAsFileTime -> FileTimeToSystemTime with a sane date, MultiByteToWideChar and
 * WideCharToMultiByte with CP_UTF8 (sizes, round trip, invalid input), GetModuleHandleA(NULL)
 * equal to the PEB's ImageBaseAddress, GetModuleHandleA/GetProcAddress of kernel32 exports
 * called through the pointer, SetLastError/GetLastError also seen in TEB.LastErrorValue,
 * critical sections entered recursively, GetCurrentProcessId/ThreadId agreeing with the TEB,
 * GetStdHandle/GetFileType/WriteFile, the Windows version in the PEB.
 *
 * Expected output checked with Wine 8 set to Windows 10 (`winecfg -v win10`: a new Wine prefix
 * reports Windows 7, 6.1.7601). Windows 10 22H2 reports 10.0.19045 and Windows 11 24H2
 * 10.0.26100. Times and addresses are never printed, only checks. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <windows.h>
#define FAIL_SHOWS_LAST_ERROR
#include "fail_check.h"

/* Raw TEB/PEB fields (x64 offsets), read through gs like Windows code does. */
static uint64_t teb_qword(unsigned offset)
{
    uint64_t v;
    __asm__ volatile("mov %%gs:(%1), %0" : "=r"(v) : "r"((uint64_t)offset));
    return v;
}
static uint32_t teb_dword(unsigned offset)
{
    uint32_t v;
    __asm__ volatile("movl %%gs:(%1), %0" : "=r"(v) : "r"((uint64_t)offset));
    return v;
}
#define TEB_SELF 0x30
#define TEB_CLIENT_PROCESS 0x40
#define TEB_CLIENT_THREAD 0x48
#define TEB_PEB 0x60
#define TEB_LAST_ERROR 0x68
#define PEB_IMAGE_BASE 0x10
#define PEB_OS_MAJOR 0x118
#define PEB_OS_MINOR 0x11c
#define PEB_OS_BUILD 0x120

static CRITICAL_SECTION cs;

int main(void)
{
    /* ---- performance counter ---- */
    LARGE_INTEGER freq, c1, c2;
    CHECK(10, QueryPerformanceFrequency(&freq));
    printf("QueryPerformanceFrequency: %lld\n", freq.QuadPart);
    CHECK(11, QueryPerformanceCounter(&c1));
    int monotonic = 1;
    for (int i = 0; i < 1000; i++) {
        CHECK(12, QueryPerformanceCounter(&c2));
        if (c2.QuadPart < c1.QuadPart)
            monotonic = 0;
        c1 = c2;
    }
    printf("QueryPerformanceCounter monotonic: %s\n", monotonic ? "yes" : "no");

    /* ---- ticks across a sleep ---- */
    ULONGLONG t1 = GetTickCount64();
    CHECK(13, QueryPerformanceCounter(&c1));
    Sleep(20);
    ULONGLONG t2 = GetTickCount64();
    CHECK(14, QueryPerformanceCounter(&c2));
    /* The tick count moves in steps of about 15.6 ms on Windows: ask for at least 10. */
    printf("GetTickCount64 after Sleep(20) advanced by at least 10: %s\n",
           t2 - t1 >= 10 ? "yes" : "no");
    printf("GetTickCount64 advanced by less than 2000: %s\n", t2 - t1 < 2000 ? "yes" : "no");
    double ms = (double)(c2.QuadPart - c1.QuadPart) * 1000.0 / (double)freq.QuadPart;
    printf("QueryPerformanceCounter measured at least 15 ms: %s\n", ms >= 15.0 ? "yes" : "no");
    printf("GetTickCount agrees with GetTickCount64 (low 32 bits, within 1000): %s\n",
           (DWORD)(GetTickCount() - (DWORD)GetTickCount64()) < 1000 ? "yes" : "no");

    /* ---- wall clock ---- */
    FILETIME ft;
    SYSTEMTIME st;
    GetSystemTimeAsFileTime(&ft);
    CHECK(15, FileTimeToSystemTime(&ft, &st));
    printf("system time year between 2024 and 2100: %s\n",
           st.wYear >= 2024 && st.wYear < 2100 ? "yes" : "no");
    printf("month 1-12, day 1-31, hour < 24: %s\n",
           st.wMonth >= 1 && st.wMonth <= 12 && st.wDay >= 1 && st.wDay <= 31 && st.wHour < 24
               ? "yes"
               : "no");
    SYSTEMTIME epoch = {.wYear = 1970, .wMonth = 1, .wDay = 1};
    FILETIME eft;
    CHECK(16, SystemTimeToFileTime(&epoch, &eft));
    printf("1970-01-01 as FILETIME: %llu\n",
           ((ULONGLONG)eft.dwHighDateTime << 32) | eft.dwLowDateTime);
    ULARGE_INTEGER u = {.LowPart = 0, .HighPart = 0};
    u.QuadPart = 130000000000000000ULL;
    ft.dwLowDateTime = u.LowPart;
    ft.dwHighDateTime = u.HighPart;
    CHECK(17, FileTimeToSystemTime(&ft, &st));
    printf("FILETIME 130000000000000000 = %04u-%02u-%02u %02u:%02u:%02u.%03u, weekday %u\n",
           st.wYear, st.wMonth, st.wDay, st.wHour, st.wMinute, st.wSecond, st.wMilliseconds,
           st.wDayOfWeek);

    /* ---- UTF-8 conversions ---- */
    const char *utf8 = "A\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80"; /* A é € U+1F600 */
    int wlen = MultiByteToWideChar(CP_UTF8, 0, utf8, -1, NULL, 0);
    printf("MultiByteToWideChar size with NUL: %d\n", wlen);
    WCHAR w[16];
    CHECK(18, MultiByteToWideChar(CP_UTF8, 0, utf8, -1, w, 16) == wlen);
    printf("UTF-16 units:");
    for (int i = 0; i < wlen; i++)
        printf(" %04X", w[i]);
    printf("\n");
    int blen = WideCharToMultiByte(CP_UTF8, 0, w, -1, NULL, 0, NULL, NULL);
    printf("WideCharToMultiByte size with NUL: %d\n", blen);
    char back[32];
    CHECK(19, WideCharToMultiByte(CP_UTF8, 0, w, -1, back, sizeof back, NULL, NULL) == blen);
    printf("round trip equal: %s\n", strcmp(back, utf8) == 0 ? "yes" : "no");
    /* Explicit length: no NUL counted or written. */
    printf("MultiByteToWideChar of 3 bytes: %d\n", MultiByteToWideChar(CP_UTF8, 0, utf8, 3, w, 16));
    /* Too small a buffer. */
    SetLastError(0xdeadbeef);
    int r = MultiByteToWideChar(CP_UTF8, 0, utf8, -1, w, 2);
    printf("MultiByteToWideChar into 2 units: %d, last error %lu\n", r, GetLastError());
    /* Invalid UTF-8 with MB_ERR_INVALID_CHARS fails; without it becomes U+FFFD. */
    SetLastError(0xdeadbeef);
    r = MultiByteToWideChar(CP_UTF8, MB_ERR_INVALID_CHARS, "a\xff" "b", 3, w, 16);
    printf("invalid UTF-8 with MB_ERR_INVALID_CHARS: %d, last error %lu\n", r, GetLastError());
    r = MultiByteToWideChar(CP_UTF8, 0, "a\xff" "b", 3, w, 16);
    printf("invalid UTF-8 without the flag: %d units: %04X %04X %04X\n", r, w[0], w[1], w[2]);
    /* A lone surrogate becomes U+FFFD (EF BF BD) in UTF-8. */
    WCHAR lone[] = {0x41, 0xD800, 0x42, 0};
    r = WideCharToMultiByte(CP_UTF8, 0, lone, -1, back, sizeof back, NULL, NULL);
    printf("lone surrogate to UTF-8: %d bytes:", r);
    for (int i = 0; i < r; i++)
        printf(" %02X", (unsigned char)back[i]);
    printf("\n");

    /* ---- modules, PEB, TEB ---- */
    HMODULE self = GetModuleHandleA(NULL);
    uint64_t peb = teb_qword(TEB_PEB);
    CHECK(20, peb != 0);
    uint64_t image_base = *(uint64_t *)(peb + PEB_IMAGE_BASE);
    printf("GetModuleHandleA(NULL) == PEB.ImageBaseAddress: %s\n",
           (uint64_t)(uintptr_t)self == image_base ? "yes" : "no");
    printf("image starts with MZ: %s\n", memcmp(self, "MZ", 2) == 0 ? "yes" : "no");
    uint64_t self_teb = teb_qword(TEB_SELF);
    printf("TEB.Self points at the TEB gs addresses: %s\n",
           self_teb && *(uint64_t *)(self_teb + TEB_SELF) == self_teb &&
                   *(uint64_t *)(self_teb + TEB_PEB) == peb
               ? "yes"
               : "no");
    printf("TEB client id matches GetCurrentProcessId/GetCurrentThreadId: %s\n",
           teb_qword(TEB_CLIENT_PROCESS) == GetCurrentProcessId() &&
                   teb_qword(TEB_CLIENT_THREAD) == GetCurrentThreadId()
               ? "yes"
               : "no");
    uint32_t major = *(uint32_t *)(peb + PEB_OS_MAJOR), minor = *(uint32_t *)(peb + PEB_OS_MINOR);
    uint16_t build = *(uint16_t *)(peb + PEB_OS_BUILD);
    printf("PEB OS version 10.0 with build >= 10240: %s\n",
           major == 10 && minor == 0 && build >= 10240 ? "yes" : "no");

    HMODULE k32 = GetModuleHandleA("kernel32.dll");
    printf("GetModuleHandleA(kernel32.dll): %s\n", k32 ? "found" : "NULL");
    CHECK(21, k32 != NULL);
    printf("GetModuleHandleA is case-insensitive (KERNEL32): %s\n",
           GetModuleHandleA("KERNEL32") == k32 ? "yes" : "no");
    typedef DWORD(WINAPI * tick_fn)(void);
    tick_fn tick = (tick_fn)(void *)GetProcAddress(k32, "GetTickCount");
    CHECK(22, tick != NULL);
    DWORD via_ptr = tick();
    printf("GetTickCount through GetProcAddress is callable and agrees: %s\n",
           via_ptr - GetTickCount() < 1000 || GetTickCount() - via_ptr < 1000 ? "yes" : "no");
    typedef DWORD(WINAPI * last_error_fn)(void);
    last_error_fn gle = (last_error_fn)(void *)GetProcAddress(k32, "GetLastError");
    CHECK(23, gle != NULL);
    SetLastError(0xdeadbeef);
    FARPROC missing = GetProcAddress(k32, "NoSuchFunctionAnywhere");
    printf("GetProcAddress of a missing name: %s, last error %lu\n", missing ? "found" : "NULL",
           gle());
    SetLastError(0xdeadbeef);
    HMODULE none = GetModuleHandleA("no_such_module.dll");
    printf("GetModuleHandleA of a module not loaded: %s, last error %lu\n",
           none ? "found" : "NULL", GetLastError());
    char path[MAX_PATH];
    DWORD plen = GetModuleFileNameA(NULL, path, sizeof path);
    printf("GetModuleFileNameA(NULL) ends with misc_kernel32.exe: %s\n",
           plen > 17 && _stricmp(path + plen - 17, "misc_kernel32.exe") == 0 ? "yes" : "no");

    /* ---- last error ---- */
    SetLastError(12345);
    printf("SetLastError(12345): GetLastError %lu, TEB.LastErrorValue %u\n", GetLastError(),
           teb_dword(TEB_LAST_ERROR));
    SetLastError(0);
    printf("SetLastError(0): GetLastError %lu\n", GetLastError());

    /* ---- critical section ---- */
    InitializeCriticalSection(&cs);
    EnterCriticalSection(&cs);
    EnterCriticalSection(&cs);
    printf("entered twice: RecursionCount %ld, owner is this thread: %s\n", cs.RecursionCount,
           (DWORD)(uintptr_t)cs.OwningThread == GetCurrentThreadId() ? "yes" : "no");
    printf("TryEnterCriticalSection by the owner: %s\n",
           TryEnterCriticalSection(&cs) ? "TRUE" : "FALSE");
    printf("RecursionCount %ld\n", cs.RecursionCount);
    LeaveCriticalSection(&cs);
    LeaveCriticalSection(&cs);
    LeaveCriticalSection(&cs);
    printf("left three times: RecursionCount %ld, owner cleared: %s\n", cs.RecursionCount,
           cs.OwningThread == NULL ? "yes" : "no");
    DeleteCriticalSection(&cs);

    /* ---- standard handles ---- */
    HANDLE out = GetStdHandle(STD_OUTPUT_HANDLE);
    printf("GetStdHandle(STD_OUTPUT_HANDLE) valid: %s\n",
           out && out != INVALID_HANDLE_VALUE ? "yes" : "no");
    printf("GetFileType(stdout) is a disk file (run-pe-test.sh redirects it): %s\n",
           GetFileType(out) == FILE_TYPE_DISK ? "yes" : "no");
    fflush(stdout);
    DWORD done;
    CHECK(30, WriteFile(out, "WriteFile to stdout\r\n", 21, &done, NULL) && done == 21);
    printf("done\n");
    return 0;
}
