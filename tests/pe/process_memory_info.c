/* process_memory_info: GetProcessMemoryInfo (psapi and kernel32's K32 name) and
 * NtQueryInformationProcess(ProcessVmCounters) report the process's real memory: a working set
 * and a commit charge (PagefileUsage, equal to PROCESS_MEMORY_COUNTERS_EX's PrivateUsage) that
 * are not zero; committing 64 MiB raises the commit charge by about that much, touching it the
 * working set; releasing it lowers the commit charge again while the peaks stay. A buffer below
 * sizeof(PROCESS_MEMORY_COUNTERS) is ERROR_INSUFFICIENT_BUFFER; ProcessVmCounters takes
 * VM_COUNTERS (0x58) or VM_COUNTERS_EX (0x60) and nothing in between.
 *
 * Wine 8.0: 6 wrong (no page-fault count, no peaks, PrivateUsage apart from PagefileUsage,
 * a commit charged only when touched): its limits, not Windows'. */
#include <stdio.h>
#include <string.h>
#include <windows.h>
#include <psapi.h>
#include <winternl.h>
#include "check.h"

#define MIB (1024 * 1024)

static PROCESS_MEMORY_COUNTERS_EX get(void)
{
    PROCESS_MEMORY_COUNTERS_EX c;
    memset(&c, 0xcc, sizeof c);
    if (!GetProcessMemoryInfo(GetCurrentProcess(), (PROCESS_MEMORY_COUNTERS *)&c, sizeof c))
        printf("GetProcessMemoryInfo failed: %lu\n", GetLastError());
    return c;
}

int main(void)
{
    PROCESS_MEMORY_COUNTERS_EX a = get();
    CHECK(a.WorkingSetSize > 256 * 1024);
    CHECK(a.PeakWorkingSetSize >= a.WorkingSetSize);
    CHECK(a.PagefileUsage > 256 * 1024);
    CHECK(a.PeakPagefileUsage >= a.PagefileUsage);
    CHECK(a.PrivateUsage == a.PagefileUsage);
    CHECK(a.PageFaultCount > 0);

    char *m = VirtualAlloc(NULL, 64 * MIB, MEM_RESERVE | MEM_COMMIT, PAGE_READWRITE);
    PROCESS_MEMORY_COUNTERS_EX b = get();
    CHECK(b.PagefileUsage >= a.PagefileUsage + 60 * MIB);
    for (size_t i = 0; i < 64 * MIB; i += 4096)
        m[i] = 1;
    PROCESS_MEMORY_COUNTERS_EX c = get();
    CHECK(c.WorkingSetSize >= a.WorkingSetSize + 60 * MIB);
    CHECK(c.PageFaultCount >= a.PageFaultCount + 16384);
    VirtualFree(m, 0, MEM_RELEASE);
    PROCESS_MEMORY_COUNTERS_EX d = get();
    CHECK(d.PagefileUsage + 60 * MIB <= c.PagefileUsage);
    CHECK(d.PeakPagefileUsage >= c.PagefileUsage);
    CHECK(d.PeakWorkingSetSize >= c.WorkingSetSize);

    /* kernel32's name, the short structure */
    BOOL(WINAPI * k32)(HANDLE, PROCESS_MEMORY_COUNTERS *, DWORD) =
        (void *)GetProcAddress(GetModuleHandleA("kernel32.dll"), "K32GetProcessMemoryInfo");
    PROCESS_MEMORY_COUNTERS s;
    memset(&s, 0, sizeof s);
    CHECK(k32 && k32(GetCurrentProcess(), &s, sizeof s) && s.WorkingSetSize > 0);
    SetLastError(0);
    CHECK(!GetProcessMemoryInfo(GetCurrentProcess(), &s, sizeof s - 1) &&
          GetLastError() == ERROR_INSUFFICIENT_BUFFER);

    /* the NT call's lengths */
    NTSTATUS(NTAPI * qip)(HANDLE, ULONG, void *, ULONG, ULONG *) =
        (void *)GetProcAddress(GetModuleHandleA("ntdll.dll"), "NtQueryInformationProcess");
    unsigned char vm[0x70];
    ULONG got = 0;
    CHECK(qip(GetCurrentProcess(), 3, vm, 0x58, &got) == 0 && got == 0x58);
    CHECK(qip(GetCurrentProcess(), 3, vm, 0x60, &got) == 0 && got == 0x60);
    CHECK(qip(GetCurrentProcess(), 3, vm, 0x5c, &got) == (NTSTATUS)0xC0000004);
    return check_report();
}
