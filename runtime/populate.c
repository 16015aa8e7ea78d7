/* SPDX-License-Identifier: MIT */
/* rt_populate_startup (runtime/runtime.h): the pages every start of the ntrun command writes,
 * made present by one system call each instead of a page fault each. On the project's hosts
 * (virtual machines) a first write to a page costs 12-16 us of CPU, nearly all of it the
 * trap itself; MADV_POPULATE_WRITE makes a page present for ~1.1 us (docs/performance.md,
 * issue 12, fourteenth pass). Best effort: a kernel before 5.14 refuses the advice and the
 * pages fault in as before; nothing here changes what a program sees. */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>
#include <pthread.h>
#include <stdbool.h>
#include "runtime/runtime_private.h"


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

/* What a start takes of glibc's heap after its first block (the configuration, the loader's
 * and the process parameters' records, the handle table, stdout's buffer): ~25 KB for
 * hello.exe, about the same for any environment since the environment block is built in the
 * process heap (docs/performance.md, issue 12, twenty-fourth pass: 48 KB before, 13 pages
 * written of which the last ones only by zeroing calls). */
#define RT_POPULATE_HEAP (24 * 1024)
#define RT_POPULATE_STACK (12 * 1024)

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
        /* From the static TLS block on, which glibc's static start puts at the break before
         * the heap: a start reads rt_tls_teb's page before main (the zero page is mapped) and
         * writes it later, a second fault (docs/performance.md, twenty-fourth pass, second
         * round); the block's other pages are present already. */
        uintptr_t tls = (uintptr_t)&rt_tls_teb;
        if (tls < lo && lo - tls < 0x10000)
            lo = tls;
        /* and the ntrun command's pages for the PEB and the pool, just before its break (the
         * pool's page is present already: a constructor wrote it) */
        uintptr_t cmd = (uintptr_t)rt_cmd_pages;
        if (cmd && cmd < lo && lo - cmd < 0x10000)
            lo = cmd;
        rt_populate_range(lo, hi < brk_end ? hi : brk_end, MADV_POPULATE_WRITE);
    }
    free(first);
    /* The main stack's three pages below this frame's: a start's calls go ~9 KB deeper
     * (ntrun_load, nt_cwd_set, thk_image_from_tmpl_direct), a fault each (docs/performance.md,
     * twenty-fourth pass, second round). Inside the stack's VMA (exec leaves 128 KB and more
     * below the arguments), so the advice needs no growth. */
    uintptr_t sp = (uintptr_t)__builtin_frame_address(0) & ~(uintptr_t)0xfff;
    rt_populate_range(sp - RT_POPULATE_STACK, sp, MADV_POPULATE_WRITE);
}

/* rt_mem_write: why. On the project's hosts (PVM guests) taking write access away from a page
 * that is present costs a TLB flush of that page, ~19 us each, for every mprotect (or unmap)
 * touching fewer than 34 pages (the kernel's single-page flush ceiling; above it, one full
 * flush of ~40 us): a start of hello.exe made ~27 such flushes, mapping the built-in images
 * and hello.exe read-write, writing them, and then making them read-only or executable
 * (docs/performance.md, nineteenth pass). A page written through /proc/self/mem after it got
 * its final protection becomes present already read-only: no flush, no mprotect.
 *
 * The descriptor is kept, but only in the process that opened it: after fork() it still
 * names the parent's memory, so a new fork generation (rt_fork_generation) opens it again;
 * before rt_tid_fork_init has run, it is opened and closed per call. -1 once the kernel has
 * refused a write (the caller falls back to a writable mapping, every time after that). */
static int rt_memfd = -1;
static uint32_t rt_memfd_gen;
static bool rt_memfd_refused;
static pthread_mutex_t rt_memfd_lock = PTHREAD_MUTEX_INITIALIZER;

int rt_mem_write(void *dst, const void *src, size_t n)
{
    if (__atomic_load_n(&rt_memfd_refused, __ATOMIC_RELAXED))
        return -EPERM;
    pthread_mutex_lock(&rt_memfd_lock);
    uint32_t gen = rt_fork_generation();
    if (rt_memfd >= 0 && (!gen || gen != rt_memfd_gen)) {
        close(rt_memfd);
        rt_memfd = -1;
    }
    int ret = 0;
    if (rt_memfd < 0) {
        rt_memfd = open("/proc/self/mem", O_RDWR | O_CLOEXEC);
        rt_memfd_gen = gen;
        if (rt_memfd < 0) {
            ret = -errno;
            __atomic_store_n(&rt_memfd_refused, true, __ATOMIC_RELAXED);
        }
    }
    for (size_t done = 0; !ret && done < n;) {
        ssize_t w = pwrite(rt_memfd, (const uint8_t *)src + done, n - done,
                           (off_t)((uintptr_t)dst + done));
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0) {
            ret = w < 0 ? -errno : -EIO;
            __atomic_store_n(&rt_memfd_refused, true, __ATOMIC_RELAXED);
            break;
        }
        done += (size_t)w;
    }
    if (rt_memfd >= 0 && (ret || !gen)) {
        close(rt_memfd);
        rt_memfd = -1;
    }
    pthread_mutex_unlock(&rt_memfd_lock);
    return ret;
}
