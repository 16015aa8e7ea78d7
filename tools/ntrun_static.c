/* SPDX-License-Identifier: MIT */
/* Linked into the static-pie ntrun command only (CMakeLists.txt, NTRUN_STATIC_PIE).
 *
 * glibc's start of a static program (_dl_non_dynamic_init) asks _dl_get_origin for the
 * directory of the executable: a readlink("/proc/self/exe") at every start, ~2.7% of the
 * samples of `ntrun hello.exe` (docs/performance.md, twenty-second pass, second round). The
 * answer is only used to expand $ORIGIN in a path given to dlopen or in the main program's
 * RPATH: ntrun has no RPATH and dlopens its optional libraries (Zydis, Nettle, libmspack) by
 * soname. This definition comes first, so libc.a's member (dl-origin.o, which defines nothing
 * else) is not linked; (char *)-1 is glibc's own "origin unknown". A glibc whose start no
 * longer asks, or whose member defines more, fails the link (a duplicate definition), not a run. */
char *_dl_get_origin(void);
char *_dl_get_origin(void) { return (char *)-1; }

/* The break, in the command's own .bss (issue 12, twenty-fifth pass: docs/performance.md,
 * "address-space layout").
 *
 * For a static-pie program the kernel puts the break at ELF_ET_DYN_BASE (0x5555...), 512 GB
 * away from the binary, so the TLS block glibc's start puts there and malloc's main arena cost
 * a page-table page at each of three levels of their own, a VMA and five brk calls at every
 * start. Here the break is a region of .bss, whose page tables the start has made anyway:
 * _dl_early_allocate (glibc's start, the static TLS block and the TCB; before TLS exists, so
 * nothing here touches errno or a stack canary) and __sbrk (malloc's MORECORE) carve it from
 * its start. These definitions come first, so libc.a's members (dl-early_allocate.o and
 * sbrk.o, which define nothing else) are not linked; a glibc whose members define more fails
 * the link, not a run.
 *
 * What glibc relies on stays true: memory past the highest break so far is zero (calloc skips
 * clearing it); and as with the kernel's brk, what a negative increment gives back is released
 * (MADV_DONTNEED: zero when handed out again, no longer resident); past the region's end __sbrk fails with ENOMEM and malloc's main arena goes on in
 * mmap'd chunks (glibc's own fallback when brk cannot grow, as under a seccomp policy). The
 * kernel's break is left unused. */
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>

#include "runtime/runtime_private.h"

#define NTRUN_BRK_SIZE (4u << 20)

/* After the rest of .bss (the default linker script puts .lbss last): the objects before it
 * keep their places and pages. First the runtime's pages (rt_cmd_pages: the PEB's, the first
 * of the loader entries' pool), then the break: a start writes them all, and one populate
 * makes them present (rt_populate_startup). */
static unsigned char ntrun_lbss[RT_CMD_PAGES * 4096 + NTRUN_BRK_SIZE]
    __attribute__((aligned(4096), section(".lbss.ntrun_brk")));
extern unsigned char rt_cmd_pages[sizeof ntrun_lbss]
    __attribute__((alias("ntrun_lbss"), visibility("hidden")));
#define ntrun_brk_area (ntrun_lbss + RT_CMD_PAGES * 4096)
static size_t ntrun_brk_used;
extern void *__curbrk; /* glibc's (brk.o): malloc reads it for its huge-page tunable */

void *_dl_early_allocate(size_t size);
void *__sbrk(intptr_t increment);
void *sbrk(intptr_t increment) __attribute__((alias("__sbrk")));

__attribute__((no_stack_protector)) void *_dl_early_allocate(size_t size)
{
    size = (size + 63) & ~(size_t)63;
    if (size > NTRUN_BRK_SIZE - ntrun_brk_used)
        return NULL; /* glibc's start says it cannot allocate the TLS block */
    void *p = ntrun_brk_area + ntrun_brk_used;
    ntrun_brk_used += size;
    __curbrk = ntrun_brk_area + ntrun_brk_used;
    return p;
}

void *__sbrk(intptr_t increment)
{
    size_t used = ntrun_brk_used;
    if (increment > 0 && (size_t)increment > NTRUN_BRK_SIZE - used) {
        errno = ENOMEM;
        return (void *)-1;
    }
    if (increment < 0 && (size_t)-(uintptr_t)increment > used) {
        errno = EINVAL;
        return (void *)-1;
    }
    size_t next = used + (size_t)increment;
    if (increment < 0) { /* released, as the kernel's brk unmaps it */
        uintptr_t lo = (uintptr_t)ntrun_brk_area + next, hi = (uintptr_t)ntrun_brk_area + used;
        uintptr_t page = (lo + 0xfff) & ~(uintptr_t)0xfff;
        if (page > hi)
            page = hi;
        memset((void *)lo, 0, page - lo);
        if (hi > page && madvise((void *)page, hi - page, MADV_DONTNEED) != 0)
            memset((void *)page, 0, hi - page);
    }
    ntrun_brk_used = next;
    __curbrk = ntrun_brk_area + next;
    return ntrun_brk_area + used;
}
