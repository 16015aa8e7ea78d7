/* SPDX-License-Identifier: MIT */
/* The count of online CPUs, as glibc's get_nprocs gives it (sysconf(_SC_NPROCESSORS_ONLN)),
 * read from /sys/devices/system/cpu/online and parsed here. glibc parses the file with strtoul,
 * whose isspace reads libc's C-ctype class table: the only read of that 56 KB table in a
 * start, one page fault and a fault-around window of ~15 pages of ntrun's file
 * (docs/performance.md, twenty-fourth pass, second round). */
#include <errno.h>
#include <fcntl.h>
#include <unistd.h>
#include "runtime/runtime.h"

/* The kernel's cpulist format ("0-1,3,5-7", cpumap_print_list_to_buf, LF-ended): the number
 * of CPUs the ranges name, as glibc 2.36's get_nprocs_cpu_online counts them (an item is N or
 * N-M, items separated by one comma, the list ends at LF or at the end of the text; a trailing
 * comma is accepted as glibc does). 0 when the text is not such a list (empty, a character other
 * than a digit where a number starts, a range whose end is below its start, a number above
 * 2^31): the caller then asks glibc, whose fallbacks (/proc/stat, sched_getaffinity, 2) apply.
 * glibc's strtoul would also take leading blanks and signs, which the kernel never writes. */
uint32_t rt_cpu_list_count(const char *s, size_t n)
{
    const char *p = s, *end = s + n;
    uint64_t total = 0;
    do {
        uint64_t lo = 0, hi;
        const char *d = p;
        while (p < end && *p >= '0' && *p <= '9' && lo <= 0x7fffffff)
            lo = lo * 10 + (uint64_t)(*p++ - '0');
        if (p == d || lo > 0x7fffffff)
            return 0;
        hi = lo;
        if (p < end && *p == '-') {
            d = ++p;
            hi = 0;
            while (p < end && *p >= '0' && *p <= '9' && hi <= 0x7fffffff)
                hi = hi * 10 + (uint64_t)(*p++ - '0');
            if (p == d || hi > 0x7fffffff || hi < lo)
                return 0;
        }
        total += hi - lo + 1;
        if (total > 0x7fffffff)
            return 0;
        if (p < end && *p == ',')
            p++;
    } while (p < end && *p != '\n');
    return (uint32_t)total;
}

long rt_cpus_online(void)
{
    char buf[512];
    ssize_t r = -1;
    int fd = open("/sys/devices/system/cpu/online", O_RDONLY | O_CLOEXEC);
    if (fd >= 0) {
        do
            r = read(fd, buf, sizeof buf);
        while (r < 0 && errno == EINTR);
        close(fd);
    }
    /* A list longer than the buffer (a machine with thousands of CPUs and holes), or no LF
     * at its end: glibc reads it. */
    if (r > 0 && (size_t)r < sizeof buf && buf[r - 1] == '\n') {
        uint32_t n = rt_cpu_list_count(buf, (size_t)r);
        if (n)
            return n;
    }
    return sysconf(_SC_NPROCESSORS_ONLN);
}
