/* psapi!GetPerformanceInfo and kernel32!K32GetPerformanceInfo (Deno asks it for the system's
 * memory): a size one byte short of PERFORMANCE_INFORMATION fails with ERROR_BAD_LENGTH and
 * leaves the record alone (Wine's dlls/psapi/tests, which run on Windows); then cb is the
 * record's size (0x68), the page size 4096, the physical total the pages of
 * GlobalMemoryStatusEx's ullTotalPhys, the available pages no more than the total, commit no
 * more than its limit and its peak no less than it, the kernel's total its paged and nonpaged
 * pools, and at least one handle, process and thread, threads no fewer than processes. */
#include <stdio.h>
#include <string.h>
#include <windows.h>
#include <psapi.h>

typedef BOOL(WINAPI *perf_fn)(PERFORMANCE_INFORMATION *, DWORD);

static void check(const char *name, perf_fn fn)
{
    PERFORMANCE_INFORMATION pi;
    memset(&pi, 0xcc, sizeof pi);
    SetLastError(0xdeadbeef);
    BOOL ok = fn(&pi, sizeof pi - 1);
    printf("%s, size - 1: %d, error %lu, record %s\n", name, ok, GetLastError(),
           pi.cb == 0xcccccccc ? "untouched" : "written");
    ok = fn(&pi, sizeof pi);
    MEMORYSTATUSEX ms = {sizeof ms};
    GlobalMemoryStatusEx(&ms);
    printf("%s: %d, cb %#lx, page size %llu\n", name, ok, pi.cb, (unsigned long long)pi.PageSize);
    printf("  physical total = GlobalMemoryStatusEx's: %s\n",
           pi.PhysicalTotal == ms.ullTotalPhys / pi.PageSize ? "yes" : "no");
    printf("  available <= total: %s\n", pi.PhysicalAvailable <= pi.PhysicalTotal ? "yes" : "no");
    printf("  commit <= limit, peak >= commit: %s %s\n",
           pi.CommitTotal <= pi.CommitLimit ? "yes" : "no",
           pi.CommitPeak >= pi.CommitTotal ? "yes" : "no");
    printf("  kernel total = paged + nonpaged: %s\n",
           pi.KernelTotal == pi.KernelPaged + pi.KernelNonpaged ? "yes" : "no");
    printf("  handles, processes, threads >= 1: %s, threads >= processes: %s\n",
           pi.HandleCount >= 1 && pi.ProcessCount >= 1 && pi.ThreadCount >= 1 ? "yes" : "no",
           pi.ThreadCount >= pi.ProcessCount ? "yes" : "no");
}

int main(void)
{
    HMODULE psapi = LoadLibraryA("psapi.dll");
    check("GetPerformanceInfo", (perf_fn)GetProcAddress(psapi, "GetPerformanceInfo"));
    check("K32GetPerformanceInfo",
          (perf_fn)GetProcAddress(GetModuleHandleA("kernel32.dll"), "K32GetPerformanceInfo"));
    return 0;
}
