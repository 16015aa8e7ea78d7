/* The program's heap allocator (thunks/ntdll/heap.c) and the CRT on top of it: alignment and
 * exact sizes, splitting and coalescing (checked through HeapWalk's view), realloc in place and
 * HEAP_REALLOC_IN_PLACE_ONLY, zeroing, large blocks, fixed-size heaps, a seeded random workload
 * with the whole heap validated, small blocks freed beside decommitted memory kept committed,
 * four threads on one heap, one thread's unlocked calls (the single-thread fast path) handing over
 * to the lock when a second thread starts, HeapLock while single-threaded, overflow detection by HeapValidate, and the end of a libntrun run (hp_reset_all) unmapping everything. */
#include <criterion/criterion.h>
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include "thunks/msvcrt/crt.h"
#include "runtime/runtime.h"
#include "thunks/ntdll/heap.h"

static unsigned walk_count(hp_heap *h, unsigned *busy, unsigned *free_blocks)
{
    hp_walk_entry e = {0};
    bool bad;
    unsigned n = 0;
    *busy = *free_blocks = 0;
    while (hp_walk(h, &e, &bad)) {
        n++;
        if (e.wFlags & HP_ENTRY_BUSY)
            (*busy)++;
        else if (!(e.wFlags & HP_ENTRY_REGION))
            (*free_blocks)++;
    }
    cr_assert_not(bad, "walk ended on a bad entry");
    return n;
}

Test(heap, blocks_are_aligned_and_sized_exactly)
{
    hp_heap *h = hp_create(0, 0, 0);
    cr_assert_not_null(h);
    void *p[300];
    for (size_t i = 0; i < 300; i++) {
        p[i] = hp_alloc(h, 0, i * 7);
        cr_assert_not_null(p[i]);
        cr_assert_eq((uintptr_t)p[i] % 16, 0, "block %zu at %p", i, p[i]);
        cr_assert_eq(hp_size(h, 0, p[i]), i * 7, "size of block %zu: %zu", i, hp_size(h, 0, p[i]));
        memset(p[i], (int)i, i * 7);
    }
    for (size_t i = 0; i < 300; i++) {
        for (size_t j = 0; j < i * 7; j++)
            cr_assert_eq(((uint8_t *)p[i])[j], (uint8_t)i, "block %zu byte %zu", i, j);
        cr_assert_eq(hp_free(h, 0, p[i]), 0);
    }
    cr_assert(hp_validate(h, 0, NULL));
    cr_assert(hp_destroy(h));
}

Test(heap, freed_neighbours_coalesce)
{
    hp_heap *h = hp_create(0, 0, 0);
    unsigned busy, free_blocks;
    void *a = hp_alloc(h, 0, 100), *b = hp_alloc(h, 0, 200), *c = hp_alloc(h, 0, 300);
    walk_count(h, &busy, &free_blocks);
    cr_expect_eq(busy, 3, "busy %u", busy);
    cr_expect_eq(free_blocks, 1, "free %u (the rest of the segment)", free_blocks);
    hp_free(h, 0, a);
    hp_free(h, 0, c); /* merges with the rest of the segment */
    walk_count(h, &busy, &free_blocks);
    cr_expect_eq(busy, 1, "busy %u", busy);
    cr_expect_eq(free_blocks, 2, "free %u", free_blocks);
    hp_free(h, 0, b); /* merges with both */
    walk_count(h, &busy, &free_blocks);
    cr_expect_eq(busy, 0, "busy %u", busy);
    cr_expect_eq(free_blocks, 1, "free %u", free_blocks);
    cr_expect(hp_validate(h, 0, NULL));
    hp_destroy(h);
}

Test(heap, realloc_grows_in_place_into_a_free_neighbour)
{
    hp_heap *h = hp_create(0, 0, 0);
    bool bad;
    uint8_t *a = hp_alloc(h, 0, 64), *b = hp_alloc(h, 0, 64), *c = hp_alloc(h, 0, 64);
    memset(a, 0x5a, 64);
    cr_expect_null(hp_realloc(h, HP_REALLOC_IN_PLACE_ONLY, a, 200, &bad), "b is in the way");
    cr_expect_not(bad);
    hp_free(h, 0, b);
    uint8_t *a2 = hp_realloc(h, HP_REALLOC_IN_PLACE_ONLY | HP_ZERO_MEMORY, a, 100, &bad);
    cr_expect_eq(a2, a, "in place: %p, was %p", a2, a);
    cr_expect_eq(hp_size(h, 0, a), 100);
    cr_expect_eq(a[63], 0x5a);
    cr_expect_eq(a[64], 0, "zeroed");
    cr_expect_eq(a[99], 0, "zeroed");
    uint8_t *a3 = hp_realloc(h, 0, a, 10, &bad);
    cr_expect_eq(a3, a, "shrinking stays");
    cr_expect_eq(hp_size(h, 0, a), 10);
    uint8_t *a4 = hp_realloc(h, 0, a, 5000, &bad);
    cr_assert_not_null(a4);
    cr_expect_neq(a4, a, "moved past c");
    cr_expect_eq(a4[9], 0x5a, "contents kept");
    cr_expect_not(hp_owns(h, a), "the old block is free");
    hp_free(h, 0, a4);
    hp_free(h, 0, c);
    cr_expect(hp_validate(h, 0, NULL));
    hp_destroy(h);
}

/* The walk entry after the one for block p (a free chunk's data), or false. */
static bool walk_after_block(hp_heap *h, const void *p, hp_walk_entry *out)
{
    hp_walk_entry e = {0};
    bool bad, seen = false;
    while (hp_walk(h, &e, &bad)) {
        if (seen) {
            *out = e;
            return true;
        }
        seen = e.lpData == p && !(e.wFlags & (HP_ENTRY_BUSY | HP_ENTRY_REGION));
    }
    return false;
}

/* The decommitted ranges HeapWalk lists: their count, and their bytes in *bytes. */
static unsigned uncommitted_ranges(hp_heap *h, size_t *bytes)
{
    hp_walk_entry e = {0};
    bool bad;
    unsigned n = 0;
    *bytes = 0;
    while (hp_walk(h, &e, &bad))
        if (e.wFlags & HP_ENTRY_UNCOMMITTED) {
            n++;
            *bytes += e.cbData;
        }
    return n;
}

/* A small block carved from decommitted memory and freed again stays a committed free chunk
 * of its own (no decommit now, no recommit for the next block: Lua's strings made a system
 * call each); freed blocks adding up to 64 KiB or more beside it are merged and decommitted. */
Test(heap, small_block_freed_beside_decommitted_memory_stays_committed)
{
    hp_heap *h = hp_create(0, 1 << 20, 0); /* one segment: big, guard, the rest (700 KiB) */
    cr_assert_not_null(h);
    uint8_t *big = hp_alloc(h, 0, 300 << 10), *guard = hp_alloc(h, 0, 16);
    cr_assert_not_null(big);
    cr_assert_not_null(guard);
    memset(big, 1, 300 << 10);
    cr_assert_eq(hp_free(h, 0, big), 0);
    size_t gone;
    cr_assert_geq(uncommitted_ranges(h, &gone), 1, "300 KiB freed: decommitted");
    uint8_t *x = NULL;
    for (int i = 0; i < 1000; i++) {
        x = hp_alloc(h, 0, 100 + i % 7);
        cr_assert_not_null(x);
        memset(x, 0x5a, 100);
        cr_assert_eq(hp_free(h, 0, x), 0);
    }
    hp_walk_entry e;
    cr_assert(walk_after_block(h, x, &e), "the freed block %p is a free entry of its own", x);
    cr_expect_not(e.wFlags & HP_ENTRY_UNCOMMITTED,
                  "the entry after it is the decommitted chunk's head, not its range (flags %#x)",
                  e.wFlags);
    cr_expect_eq(x[99], 0x5a, "its page is still committed");
    cr_expect(hp_validate(h, 0, NULL));
    /* 100 KiB of 1 KiB blocks carved from the decommitted chunk, then freed: given back but
     * for less than 64 KiB (a committed run that small stays beside decommitted memory) */
    size_t before, after;
    uncommitted_ranges(h, &before);
    uint8_t *k[100];
    for (int i = 0; i < 100; i++) {
        k[i] = hp_alloc(h, 0, 1000);
        cr_assert_not_null(k[i]);
        memset(k[i], i, 1000);
    }
    uncommitted_ranges(h, &after);
    cr_expect_geq(before, after + (96 << 10), "carving committed them: %zu, then %zu", before, after);
    cr_expect(hp_validate(h, 0, NULL));
    for (int i = 0; i < 100; i++)
        cr_assert_eq(hp_free(h, 0, k[i]), 0);
    cr_expect(hp_validate(h, 0, NULL));
    uncommitted_ranges(h, &after);
    cr_expect_gt(after + (64 << 10), before, "decommitted %zu bytes again, %zu before", after, before);
    unsigned busy, free_blocks;
    walk_count(h, &busy, &free_blocks);
    cr_expect_eq(busy, 1, "busy %u (the guard)", busy);
    cr_expect_eq(hp_free(h, 0, guard), 0);
    cr_expect(hp_validate(h, 0, NULL));
    hp_destroy(h);
}

Test(heap, large_blocks_have_their_own_mapping)
{
    hp_heap *h = hp_create(0, 0, 0);
    size_t before = hp_mapped_bytes(h);
    bool bad;
    uint8_t *p = hp_alloc(h, HP_ZERO_MEMORY, 3 << 20);
    cr_assert_not_null(p);
    cr_expect_eq((uintptr_t)p % 16, 0);
    cr_expect_eq(hp_size(h, 0, p), 3u << 20);
    cr_expect_geq(hp_mapped_bytes(h), before + (3u << 20));
    p[0] = 1;
    p[(3 << 20) - 1] = 2;
    p = hp_realloc(h, 0, p, 8 << 20, &bad);
    cr_assert_not_null(p);
    cr_expect_eq(p[0], 1);
    cr_expect_eq(p[(3 << 20) - 1], 2);
    cr_expect_eq(hp_size(h, 0, p), 8u << 20);
    p = hp_realloc(h, 0, p, 100, &bad); /* much smaller: back into a segment */
    cr_assert_not_null(p);
    cr_expect_eq(p[0], 1);
    cr_expect_eq(hp_size(h, 0, p), 100);
    cr_expect_eq(hp_free(h, 0, p), 0);
    cr_expect_eq(hp_mapped_bytes(h), before, "mapped %zu, before %zu", hp_mapped_bytes(h), before);
    hp_destroy(h);
}

Test(heap, fixed_heap_has_limits)
{
    hp_heap *h = hp_create(0, 0, 256 << 10);
    cr_assert_not_null(h);
    cr_expect_null(hp_alloc(h, 0, 1 << 20), "beyond a fixed heap's largest block");
    unsigned n = 0;
    while (hp_alloc(h, 0, 1000))
        n++;
    cr_expect(n > 200 && n < 263, "blocks of 1000 bytes in 256 KiB: %u", n);
    cr_expect(hp_validate(h, 0, NULL));
    hp_destroy(h);
}

Test(heap, overflow_into_the_next_header_is_found)
{
    hp_heap *h = hp_create(0, 0, 0);
    uint8_t *a = hp_alloc(h, 0, 40), *b = hp_alloc(h, 0, 40);
    cr_assert(a && b);
    cr_expect(hp_validate(h, 0, NULL));
    memset(a, 'x', 48 + 8); /* the slack and half of b's header */
    cr_expect_not(hp_validate(h, 0, NULL), "the damaged header");
    cr_expect_not(hp_validate(h, 0, b), "b's header");
    cr_expect_eq(hp_size(h, 0, b), (size_t)-1);
    cr_expect_not(hp_owns(h, b + 16), "not a block start");
    hp_destroy(h);
}

Test(heap, random_workload_keeps_the_heap_consistent)
{
    hp_heap *h = hp_create(0, 0, 0);
    enum { N = 512 };
    uint8_t *blk[N] = {0};
    size_t len[N] = {0};
    unsigned seed = 12345;
    for (int step = 0; step < 40000; step++) {
        unsigned r = (unsigned)rand_r(&seed);
        unsigned i = r % N;
        size_t want = (r >> 9) % 4 == 0 ? (size_t)(r >> 12) % 20000 : (size_t)(r >> 12) % 300;
        if (blk[i]) {
            for (size_t j = 0; j < len[i]; j++)
                cr_assert_eq(blk[i][j], (uint8_t)(i + j), "step %d block %u byte %zu", step, i, j);
            if (r & 0x100) {
                bool bad;
                uint8_t *q = hp_realloc(h, 0, blk[i], want, &bad);
                cr_assert_not_null(q, "realloc to %zu", want);
                size_t keep = len[i] < want ? len[i] : want;
                for (size_t j = 0; j < keep; j++)
                    cr_assert_eq(q[j], (uint8_t)(i + j), "realloc kept byte %zu", j);
                blk[i] = q;
                len[i] = want;
            } else {
                cr_assert_eq(hp_free(h, 0, blk[i]), 0);
                blk[i] = NULL;
                continue;
            }
        } else {
            blk[i] = hp_alloc(h, 0, want);
            cr_assert_not_null(blk[i]);
            len[i] = want;
        }
        cr_assert_eq(hp_size(h, 0, blk[i]), len[i]);
        for (size_t j = 0; j < len[i]; j++)
            blk[i][j] = (uint8_t)(i + j);
        if (step % 4000 == 0)
            cr_assert(hp_validate(h, 0, NULL), "step %d", step);
    }
    cr_assert(hp_validate(h, 0, NULL));
    hp_destroy(h);
}

static void *churn(void *arg)
{
    hp_heap *h = arg;
    void *mine[64] = {0};
    for (unsigned i = 0; i < 20000; i++) {
        unsigned k = (i * 2654435761u) % 64;
        if (mine[k]) {
            if (hp_free(h, 0, mine[k]) != 0)
                return (void *)1;
            mine[k] = NULL;
        } else {
            mine[k] = hp_alloc(h, 0, 16 + (i % 500));
            if (!mine[k])
                return (void *)2;
        }
    }
    for (unsigned k = 0; k < 64; k++)
        if (mine[k])
            hp_free(h, 0, mine[k]);
    return NULL;
}

Test(heap, four_threads_share_one_heap)
{
    hp_heap *h = hp_create(0, 0, 0);
    rt_single_go_multi(); /* as CreateThread does before a second thread runs */
    pthread_t t[4];
    for (int i = 0; i < 4; i++)
        pthread_create(&t[i], NULL, churn, h);
    for (int i = 0; i < 4; i++) {
        void *ret;
        pthread_join(t[i], &ret);
        cr_expect_null(ret, "thread %d: %p", i, ret);
    }
    unsigned busy, free_blocks;
    walk_count(h, &busy, &free_blocks);
    cr_expect_eq(busy, 0, "busy %u", busy);
    cr_expect(hp_validate(h, 0, NULL));
    hp_destroy(h);
}

/* The single-thread fast path: this thread allocates and frees without the lock while it is
 * alone; another thread switches the process to multi-threaded (rt_single_go_multi, as
 * CreateThread does) at a different moment each round, then churns the same heap under the
 * lock. Nothing may be lost or doubly used across the switch: every block keeps its fill, the
 * heap validates and holds no busy block at the end. */
static int switch_round;
static void *switch_then_churn(void *arg)
{
    hp_heap *h = arg;
    static volatile long spin;
    for (long i = 0; i < switch_round % 8 * 4000L; i++)
        spin++;
    rt_single_go_multi();
    return churn(h);
}

Test(heap, single_thread_calls_hand_over_to_the_lock_when_a_second_thread_starts)
{
    for (int round = 0; round < 40; round++) {
        rt_single.multi = 0; /* a test-only reset: a process never goes back */
        rt_single.busy = 0;
        hp_heap *h = hp_create(0, 0, 0);
        switch_round = round;
        pthread_t t;
        cr_assert_eq(pthread_create(&t, NULL, switch_then_churn, h), 0);
        unsigned char *mine[32] = {0};
        int bad_fill = -1;
        for (unsigned i = 0; i < 30000; i++) {
            unsigned k = (i * 2654435761u) % 32;
            if (mine[k]) {
                if (mine[k][0] != k || mine[k][23] != k)
                    bad_fill = (int)k;
                cr_assert_eq(hp_free(h, 0, mine[k]), 0, "round %d: free %u", round, i);
                mine[k] = NULL;
            } else {
                mine[k] = hp_alloc(h, 0, 24 + i % 200);
                cr_assert_not_null(mine[k], "round %d: alloc %u", round, i);
                memset(mine[k], (int)k, 24);
            }
        }
        void *ret;
        pthread_join(t, &ret);
        cr_assert_null(ret, "round %d: the other thread failed with %p", round, ret);
        cr_assert_eq(bad_fill, -1, "round %d: block %d lost its fill", round, bad_fill);
        for (unsigned k = 0; k < 32; k++)
            if (mine[k])
                hp_free(h, 0, mine[k]);
        unsigned busy, free_blocks;
        walk_count(h, &busy, &free_blocks);
        cr_assert_eq(busy, 0, "round %d: busy %u", round, busy);
        cr_assert(hp_validate(h, 0, NULL), "round %d: heap does not validate", round);
        cr_assert(rt_single.multi, "round %d: still single-threaded", round);
        cr_assert_eq(rt_single.busy, 0, "round %d: busy flag %d", round, rt_single.busy);
        hp_destroy(h);
    }
}

/* HeapLock while single-threaded: the heap calls of its holder neither take the lock again
 * nor leave the single-thread region open. */
Test(heap, heap_lock_while_single_threaded_lets_its_holder_allocate)
{
    rt_single.multi = 0;
    rt_single.busy = 0;
    hp_heap *h = hp_create(0, 0, 0);
    hp_lock(h);
    void *p = hp_alloc(h, 0, 100);
    cr_assert_not_null(p);
    cr_assert_eq(rt_single.busy, 0, "busy %d after a call under HeapLock", rt_single.busy);
    cr_assert_eq(hp_free(h, 0, p), 0);
    hp_unlock(h);
    p = hp_alloc(h, 0, 100);
    cr_assert_eq(rt_single.busy, 0, "busy %d after a single-thread call", rt_single.busy);
    cr_assert_eq(hp_free(h, 0, p), 0);
    hp_destroy(h);
}

Test(heap, reset_unmaps_every_heap_and_the_crt_starts_again)
{
    hp_reset_all();
    hp_heap *p = hp_process_heap();
    size_t first = hp_mapped_bytes(p);
    for (int i = 0; i < 100; i++)
        cr_assert_not_null(crt_malloc(10000));
    cr_assert_not_null(crt_malloc(5 << 20));
    cr_expect_gt(hp_mapped_bytes(p), first + (5u << 20));
    hp_heap *other = hp_create(0, 0, 0);
    void *handles[4];
    cr_expect_eq(hp_heaps(handles, 4), 2);
    (void)other;
    hp_reset_all();
    cr_expect_eq(hp_heaps(handles, 4), 1, "a new process heap only");
    p = hp_process_heap();
    cr_expect_eq(hp_mapped_bytes(p), first);
    char *d = crt_malloc(32);
    cr_assert_not_null(d);
    strcpy(d, "after reset");
    d = crt_realloc(d, 64);
    cr_assert_str_eq(d, "after reset");
    crt_free(d);
}

/* The C runtime's lookaside (heap.c): a small block freed by crt_free stays a busy chunk until
 * malloc takes it back or a flush frees it for real; none of that may show. */
Test(heap, crt_freed_small_block_is_refused_by_heap_calls_and_taken_back_by_malloc)
{
    hp_reset_all();
    rt_single.multi = 0;
    rt_single.busy = 0;
    hp_heap *p = hp_process_heap();
    char *a = crt_malloc(40);
    cr_assert_not_null(a);
    crt_free(a);
    cr_expect_eq(hp_size(p, 0, a), (size_t)-1, "HeapSize of a freed block: %zu", hp_size(p, 0, a));
    cr_expect_eq(hp_free(p, 0, a), -EINVAL, "HeapFree of a block free already");
    cr_expect_not(hp_validate(p, 0, a), "HeapValidate of a freed block");
    char *b = crt_malloc(33); /* the same size in 16-byte units */
    cr_expect_eq(b, a, "malloc took back %p, not the freed %p", b, a);
    cr_expect_eq(hp_size(p, 0, b), 33, "its size %zu", hp_size(p, 0, b));
    cr_expect_eq(rt_single.busy, 0, "busy %d after the fast path", rt_single.busy);
    crt_free(b);
}

Test(heap, crt_freed_blocks_are_free_for_walks_realloc_and_growth)
{
    hp_reset_all();
    rt_single.multi = 0;
    rt_single.busy = 0;
    hp_heap *p = hp_process_heap();
    unsigned busy, free_blocks;
    /* a walk sees them free */
    void *blocks[50];
    for (int i = 0; i < 50; i++)
        blocks[i] = crt_malloc(100);
    for (int i = 0; i < 50; i++)
        crt_free(blocks[i]);
    walk_count(p, &busy, &free_blocks);
    cr_expect_eq(busy, 0, "busy %u after every block was freed", busy);
    /* realloc grows in place into a neighbour that free put on the lookaside */
    char *a = crt_malloc(100), *b = crt_malloc(100);
    cr_assert_eq(b, a + 128, "neighbours %p %p (a header and 112 bytes apart)", a, b);
    strcpy(a, "grown in place");
    crt_free(b);
    char *g = crt_realloc(a, 200);
    cr_expect_eq(g, a, "realloc moved %p to %p", a, g);
    cr_expect_str_eq(g, "grown in place");
    crt_free(g);
    /* the heap grows only when the lookaside's blocks do not do */
    size_t mapped = hp_mapped_bytes(p);
    static void *small[10000];
    for (int i = 0; i < 10000; i++)
        cr_assert_not_null(small[i] = crt_malloc(64));
    for (int i = 0; i < 10000; i++)
        crt_free(small[i]);
    for (int i = 0; i < 1800; i++)
        cr_assert_not_null(small[i] = crt_malloc(500), "block %d", i);
    cr_expect_eq(hp_mapped_bytes(p), mapped, "the heap grew from %zu to %zu", mapped,
                 hp_mapped_bytes(p));
    for (int i = 0; i < 1800; i++)
        crt_free(small[i]);
    cr_expect(hp_validate(p, 0, NULL));
}

static void *crt_churn(void *arg)
{
    unsigned char *mine[32] = {0};
    unsigned char fill = (unsigned char)(uintptr_t)arg;
    for (unsigned i = 0; i < 40000; i++) {
        unsigned k = (i * 2654435761u) % 32;
        if (mine[k]) {
            if (mine[k][0] != fill || mine[k][15] != fill)
                return (void *)(uintptr_t)(i + 1);
            crt_free(mine[k]);
            mine[k] = NULL;
        } else if (!(mine[k] = crt_malloc(16 + (i * 7) % 300))) {
            return (void *)(uintptr_t)(i + 1);
        } else {
            memset(mine[k], fill, 16);
        }
    }
    for (unsigned k = 0; k < 32; k++)
        crt_free(mine[k]);
    return NULL;
}

Test(heap, crt_lookaside_is_shared_safely_by_four_threads)
{
    hp_reset_all();
    rt_single.multi = 0;
    rt_single.busy = 0;
    cr_assert_null(crt_churn((void *)1)); /* one thread: the unlocked path */
    rt_single_go_multi();
    pthread_t t[4];
    for (int i = 0; i < 4; i++)
        pthread_create(&t[i], NULL, crt_churn, (void *)(uintptr_t)(i + 2));
    for (int i = 0; i < 4; i++) {
        void *ret;
        pthread_join(t[i], &ret);
        cr_expect_null(ret, "thread %d failed at step %p", i, ret);
    }
    unsigned busy, free_blocks;
    walk_count(hp_process_heap(), &busy, &free_blocks);
    cr_expect_eq(busy, 0, "busy %u", busy);
    cr_expect(hp_validate(hp_process_heap(), 0, NULL));
}
