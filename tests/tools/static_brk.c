/* SPDX-License-Identifier: MIT */
/* cli.static_brk: the static-pie ntrun command's break (tools/ntrun_static.c: _dl_early_allocate
 * and __sbrk carve a region of the command's .bss; issue 12, twenty-fifth pass). Linked the same
 * way as the command (-static-pie, the same file), this program checks what glibc relies on:
 * the static TLS block works, the break lies in the program's own image and the kernel's break
 * is never used (no [heap] mapping), memory given back by a trim is released (its pages no
 * longer resident, as the kernel's brk unmaps them) and zero when handed out again, malloc goes on past the region's end (the main arena's
 * mmap fallback), and sbrk's own answers (ENOMEM past the end, EINVAL below the start).
 * Prints "ok ..." lines; exit status 0 when every check holds. */
#include <errno.h>
#include <malloc.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

extern char __executable_start[], _end[];
static __thread int tls_value = 42;
static __thread char tls_zero[256];
static int failed;

static void check(const char *what, int ok)
{
    printf("%s %s\n", ok ? "ok" : "FAIL:", what);
    if (!ok)
        failed = 1;
}

static int has_heap_mapping(void)
{
    FILE *f = fopen("/proc/self/maps", "r");
    char line[512];
    int found = 0;
    while (f && fgets(line, sizeof line, f))
        if (strstr(line, "[heap]"))
            found = 1;
    if (f)
        fclose(f);
    return found;
}

int main(void)
{
    check("static TLS: an initialised variable", tls_value == 42);
    int zero = 1;
    for (size_t i = 0; i < sizeof tls_zero; i++)
        zero &= tls_zero[i] == 0;
    check("static TLS: a zero variable", zero);

    char *brk0 = sbrk(0);
    check("the break lies in the program's image", brk0 > __executable_start && brk0 <= _end);
    void *small = malloc(100);
    check("malloc's first block lies in the program's image",
          small && (char *)small > __executable_start && (char *)small < _end);

    /* a block from the top of the main arena, filled, freed and trimmed, then the same size
       again from calloc: glibc clears only what was not fresh from MORECORE */
    mallopt(M_MMAP_THRESHOLD, 64 << 20);
    mallopt(M_TRIM_THRESHOLD, 0);
    mallopt(M_TOP_PAD, 0);
    size_t n = 1 << 20;
    char *big = malloc(n);
    check("a 1 MB block from the arena", big && (char *)big < _end);
    char *before = sbrk(0);
    memset(big, 0xab, n);
    __asm__ volatile("" : : "r"(big) : "memory"); /* the stores are kept before the free */
    free(big);
    char *after = sbrk(0);
    check("free of the top block gave memory back (the break moved down)", after < before);
    /* released as the kernel's brk would (its pages unmapped): none of them resident */
    size_t whole = (size_t)(before - after) & ~(size_t)0xfff;
    char *pg = (char *)(((uintptr_t)after + 0xfff) & ~(uintptr_t)0xfff);
    static unsigned char vec[(1 << 20) / 4096 + 2];
    int resident = 0;
    if (whole && pg + whole <= before && mincore(pg, whole - 0x1000, vec) == 0)
        for (size_t i = 0; i < (whole - 0x1000) / 4096; i++)
            resident += vec[i] & 1;
    else
        resident = -1;
    check("the pages given back are released (none resident)", resident == 0);
    unsigned char *again = calloc(1, n);
    int clean = again != NULL;
    for (size_t i = 0; clean && i < n; i++)
        clean = again[i] == 0;
    check("calloc after the trim gives zeros", clean);
    free(again);

    /* past the region (4 MB): the arena goes on in mmap'd chunks */
    enum { COUNT = 160, SIZE = 64 << 10 };
    static char *blocks[COUNT];
    int all = 1, outside = 0;
    for (int i = 0; i < COUNT; i++) {
        blocks[i] = malloc(SIZE);
        if (!blocks[i]) {
            all = 0;
            break;
        }
        memset(blocks[i], i, SIZE);
        outside += (char *)blocks[i] >= _end || (char *)blocks[i] < __executable_start;
    }
    check("10 MB in 64 KB blocks", all);
    check("some of them past the region", outside > 0);
    int intact = all;
    for (int i = 0; intact && i < COUNT; i++)
        intact = blocks[i][0] == (char)i && blocks[i][SIZE - 1] == (char)i;
    check("each block keeps its contents", intact);
    for (int i = 0; i < COUNT; i++)
        free(blocks[i]);

    errno = 0;
    check("sbrk past the region: ENOMEM", sbrk(64 << 20) == (void *)-1 && errno == ENOMEM);
    errno = 0;
    check("sbrk below the region's start: EINVAL",
          sbrk(-(intptr_t)(64 << 20)) == (void *)-1 && errno == EINVAL);
    char *now = sbrk(0);
    errno = 0;
    check("the failed calls left the break where it was", sbrk(-1) == now && sbrk(1) == now - 1);
    check("no [heap] mapping (the kernel's break unused)", !has_heap_mapping());
    return failed;
}
