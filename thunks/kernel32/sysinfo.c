/* SPDX-License-Identifier: MIT */
/* Processor counts and times: GetActiveProcessorCount / GetMaximumProcessorCount (one processor
 * group, as GetSystemInfo reports it) and GetSystemTimes (idle, kernel and user time summed
 * over all processors, from Linux's /proc/stat, in 100 ns units; kernel time includes idle
 * time as on Windows). */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include "thunks/kernel32/kernel32_private.h"

#define K32_ALL_PROCESSOR_GROUPS 0xffff
#define K32_ERROR_INVALID_PARAMETER 87

static DWORD k32_cpu_count(void)
{
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n < 1 ? 1 : n > 64 ? 64 : (DWORD)n;
}

DWORD WINAPI GetActiveProcessorCount(WORD group)
{
    if (group != 0 && group != K32_ALL_PROCESSOR_GROUPS) {
        SetLastError(K32_ERROR_INVALID_PARAMETER);
        return 0;
    }
    return k32_cpu_count();
}
THK_EXPORT(kernel32, GetActiveProcessorCount, 1);
THK_EXPORT_AS(kernel32, GetMaximumProcessorCount, GetActiveProcessorCount, 1);

WORD WINAPI GetActiveProcessorGroupCount(void)
{
    return 1;
}
THK_EXPORT(kernel32, GetActiveProcessorGroupCount, 0);
THK_EXPORT_AS(kernel32, GetMaximumProcessorGroupCount, GetActiveProcessorGroupCount, 0);

static void k32_put_filetime(void *dst, uint64_t v)
{
    if (dst) {
        uint32_t lo = (uint32_t)v, hi = (uint32_t)(v >> 32);
        memcpy(dst, &lo, 4);
        memcpy((char *)dst + 4, &hi, 4);
    }
}

BOOL WINAPI GetSystemTimes(void *idle, void *kernel, void *user)
{
    unsigned long long v[8] = {0};
    char buf[512];
    int fd = open("/proc/stat", O_RDONLY | O_CLOEXEC);
    ssize_t got = fd >= 0 ? read(fd, buf, sizeof buf - 1) : -1;
    if (fd >= 0)
        close(fd);
    if (got <= 0 || (buf[got] = 0, sscanf(buf, "cpu %llu %llu %llu %llu %llu %llu %llu %llu",
                                          &v[0], &v[1], &v[2], &v[3], &v[4], &v[5], &v[6],
                                          &v[7]) < 4)) {
        memset(v, 0, sizeof v);
    }
    long hz = sysconf(_SC_CLK_TCK);
    uint64_t unit = 10000000ull / (uint64_t)(hz > 0 ? hz : 100);
    /* user nice system idle iowait irq softirq steal */
    uint64_t t_idle = (v[3] + v[4]) * unit;
    uint64_t t_user = (v[0] + v[1]) * unit;
    uint64_t t_kernel = (v[2] + v[5] + v[6] + v[7]) * unit + t_idle;
    k32_put_filetime(idle, t_idle);
    k32_put_filetime(kernel, t_kernel);
    k32_put_filetime(user, t_user);
    return TRUE;
}
THK_EXPORT(kernel32, GetSystemTimes, 3);
