/* SPDX-License-Identifier: MIT */
/* rt_populate_startup (runtime/runtime.h): the pages every start of the ntrun command writes,
 * made present by one system call each instead of a page fault each. On the project's hosts
 * (virtual machines) a first write to a page costs 12-16 us of CPU, nearly all of it the
 * trap itself; MADV_POPULATE_WRITE makes a page present for ~1.1 us (docs/performance.md,
 * issue 12, fourteenth pass). Best effort: a kernel before 5.14 refuses the advice and the
 * pages fault in as before; nothing here changes what a program sees. */
#include <stdint.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>
#include "runtime/runtime.h"


/* Defined by the start-up order's linker script (cmake/startup-order.cmake): start-up's
 * variables, .data.ntrun_startup at the end of .data and .bss.ntrun_startup at the start of
 * .bss. Weak: absent in a build without the order (NTRUN_STARTUP_ORDER=OFF) and in
 * libntrun, where a host's start is its own. */
extern char ntrun_startup_wdata_start[] __attribute__((weak, visibility("hidden")));
extern char ntrun_startup_wbss_end[] __attribute__((weak, visibility("hidden")));
/* start-up's code (.text.ntrun_startup) and the tables every start reads (the middle of
 * .rodata.ntrun_startup: not the export names' pool before them, of which a start reads the
 * DLL names at its end, nor the templates' blobs after them, most of which no start reads) */
extern const char ntrun_startup_text_start[] __attribute__((weak, visibility("hidden")));
extern const char ntrun_startup_text_end[] __attribute__((weak, visibility("hidden")));
extern const char ntrun_startup_rodata_start[] __attribute__((weak, visibility("hidden")));
extern const char ntrun_startup_rodata_end[] __attribute__((weak, visibility("hidden")));

/* What a start takes of glibc's heap (the configuration, the loader's and the process
 * parameters' records, the environment block, the standard handles, stdout's buffer): ~40 KB
 * of it for hello.exe. */
#define RT_POPULATE_HEAP (48 * 1024)

static void rt_populate_range(uintptr_t lo, uintptr_t hi, int advice)
{
    lo &= ~(uintptr_t)0xfff;
    hi = (hi + 0xfff) & ~(uintptr_t)0xfff;
    if (lo && hi > lo)
        madvise((void *)lo, hi - lo, advice);
}

void rt_populate_startup(void)
{
    /* Read faults of the binary's own pages cost as much (the kernel maps the page-cache pages
     * around each one, 64 KB at a time): start-up's code and tables, mapped in one call. */
    rt_populate_range((uintptr_t)ntrun_startup_text_start, (uintptr_t)ntrun_startup_text_end,
                      MADV_POPULATE_READ);
    rt_populate_range((uintptr_t)ntrun_startup_rodata_start, (uintptr_t)ntrun_startup_rodata_end,
                      MADV_POPULATE_READ);
    rt_populate_range((uintptr_t)ntrun_startup_wdata_start, (uintptr_t)ntrun_startup_wbss_end,
                      MADV_POPULATE_WRITE);
    /* The heap's first pages, when the main arena grows by brk (the break is at least 132 KB
     * past the first block: glibc's top pad). */
    void *first = malloc(1);
    uintptr_t brk_end = (uintptr_t)sbrk(0);
    if (first && (uintptr_t)first < brk_end) {
        uintptr_t lo = (uintptr_t)first, hi = lo + RT_POPULATE_HEAP;
        rt_populate_range(lo, hi < brk_end ? hi : brk_end, MADV_POPULATE_WRITE);
    }
    free(first);
}
