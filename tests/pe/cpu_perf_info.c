/* What libuv's uv_cpu_info (Node.js's os.cpus()) reads of the processors.
 * NtQuerySystemInformation(SystemProcessorPerformanceInformation): a buffer smaller than one
 * entry is STATUS_INFO_LENGTH_MISMATCH; one entry's buffer gets one entry; a buffer for every
 * processor GetSystemInfo counts gets them all, ReturnLength exactly their size, and one entry
 * more changes nothing (Wine's ntdll tests record these answers of Windows). Kernel time
 * includes idle time; the times add up to something. HKLM\HARDWARE\DESCRIPTION\System\
 * CentralProcessor\N exists for each processor and not past them, with ~MHz (REG_DWORD, not
 * 0), ProcessorNameString (REG_SZ, not empty), Identifier ("Intel64 Family F Model M Stepping
 * S" or "AMD64 ...", F being GetSystemInfo's wProcessorLevel) and VendorIdentifier. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <windows.h>
#include <winternl.h>

typedef struct {
    LARGE_INTEGER IdleTime, KernelTime, UserTime, DpcTime, InterruptTime;
    ULONG InterruptCount;
} perf;

int main(void)
{
    SYSTEM_INFO si;
    GetSystemInfo(&si);
    DWORD n = si.dwNumberOfProcessors;
    printf("sizeof entry: %u\n", (unsigned)sizeof(perf));
    perf *p = calloc(n + 1, sizeof *p);
    ULONG len = 0xcccc;
    NTSTATUS st = NtQuerySystemInformation(8, p, sizeof *p - 1, &len);
    printf("one byte short of one: %#lx\n", (unsigned long)st);
    len = 0xcccc;
    st = NtQuerySystemInformation(8, p, sizeof *p, &len);
    printf("one entry: %#lx, length one entry's %d\n", (unsigned long)st, len == sizeof *p);
    len = 0xcccc;
    st = NtQuerySystemInformation(8, p, n * sizeof *p, &len);
    printf("every processor: %#lx, length theirs %d\n", (unsigned long)st, len == n * sizeof *p);
    len = 0xcccc;
    st = NtQuerySystemInformation(8, p, (n + 1) * sizeof *p, &len);
    printf("one more: %#lx, length the processors' %d\n", (unsigned long)st,
           len == n * sizeof *p);
    int kernel_has_idle = 1, sane = 1;
    long long total = 0;
    for (DWORD i = 0; i < n; i++) {
        kernel_has_idle &= p[i].KernelTime.QuadPart >= p[i].IdleTime.QuadPart;
        sane &= p[i].IdleTime.QuadPart >= 0 && p[i].UserTime.QuadPart >= 0 &&
                p[i].DpcTime.QuadPart >= 0 && p[i].InterruptTime.QuadPart >= 0;
        total += p[i].KernelTime.QuadPart + p[i].UserTime.QuadPart;
    }
    printf("kernel time includes idle %d, none negative %d, some time %d\n", kernel_has_idle,
           sane, total > 0);

    int keys = 1, mhz = 1, names = 1, idents = 1, vendors = 1;
    for (DWORD i = 0; i <= n; i++) {
        char key[96];
        snprintf(key, sizeof key, "HARDWARE\\DESCRIPTION\\System\\CentralProcessor\\%lu", i);
        HKEY k;
        LONG r = RegOpenKeyExA(HKEY_LOCAL_MACHINE, key, 0, KEY_QUERY_VALUE, &k);
        if (i == n) {
            printf("past the last processor: %ld\n", r);
            break;
        }
        if (r) {
            keys = 0;
            continue;
        }
        DWORD type = 0, v = 0, size = sizeof v;
        mhz &= RegQueryValueExA(k, "~MHz", NULL, &type, (BYTE *)&v, &size) == 0 &&
               type == REG_DWORD && v > 0;
        char s[256];
        size = sizeof s;
        names &= RegQueryValueExA(k, "ProcessorNameString", NULL, &type, (BYTE *)s, &size) == 0 &&
                 type == REG_SZ && s[0];
        size = sizeof s;
        unsigned family = 0;
        idents &= RegQueryValueExA(k, "Identifier", NULL, &type, (BYTE *)s, &size) == 0 &&
                  type == REG_SZ &&
                  (sscanf(s, "Intel64 Family %u Model", &family) == 1 ||
                   sscanf(s, "AMD64 Family %u Model", &family) == 1) &&
                  family == si.wProcessorLevel;
        size = sizeof s;
        vendors &= RegQueryValueExA(k, "VendorIdentifier", NULL, &type, (BYTE *)s, &size) == 0 &&
                   type == REG_SZ && (!strcmp(s, "GenuineIntel") || !strcmp(s, "AuthenticAMD"));
        RegCloseKey(k);
    }
    printf("CentralProcessor\\N for each: %d; ~MHz %d, ProcessorNameString %d, Identifier %d, "
           "VendorIdentifier %d\n", keys, mhz, names, idents, vendors);
    free(p);
    return 0;
}
