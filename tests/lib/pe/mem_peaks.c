/* libntrun test program: prints its memory peaks (NtQueryInformationProcess ProcessVmCounters:
 * PeakWorkingSetSize, PeakPagefileUsage, PeakVirtualSize, in MiB), commits and touches 96 MiB,
 * frees it and prints them again. A later run in the same host must not start with the
 * earlier run's peaks. */
#include <stdio.h>
#include <windows.h>

typedef NTSTATUS(NTAPI *fn_qip)(HANDLE, ULONG, void *, ULONG, ULONG *);

static void peaks(fn_qip qip)
{
    SIZE_T vm[11] = {0}; /* VM_COUNTERS: PeakVirtualSize, VirtualSize, PageFaultCount (ULONG,
                            padded), PeakWorkingSetSize, WorkingSetSize, 4 pool figures,
                            PagefileUsage, PeakPagefileUsage */
    ULONG got = 0;
    qip(GetCurrentProcess(), 3, vm, 0x58, &got);
    printf("ws=%llu commit=%llu virt=%llu\n", (unsigned long long)(vm[3] >> 20),
           (unsigned long long)(vm[10] >> 20), (unsigned long long)(vm[0] >> 20));
}

int main(void)
{
    fn_qip qip = (fn_qip)GetProcAddress(GetModuleHandleA("ntdll.dll"), "NtQueryInformationProcess");
    peaks(qip);
    SIZE_T size = 96u << 20;
    char *m = VirtualAlloc(NULL, size, MEM_RESERVE | MEM_COMMIT, PAGE_READWRITE);
    for (SIZE_T i = 0; m && i < size; i += 4096)
        m[i] = 1;
    peaks(qip);
    VirtualFree(m, 0, MEM_RELEASE);
    return 0;
}
