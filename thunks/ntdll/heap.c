/* SPDX-License-Identifier: MIT */
/* The program's heaps: a segregated-fit allocator over memory mapped for the program.
 *
 * Why not a library: Debian's mimalloc (the one embeddable allocator it packages) ships only as
 * a shared library that replaces malloc for the whole process, the runtime included, and its
 * heaps belong to the thread that made them, while a Windows heap is used by every thread and
 * freed whole by HeapDestroy. glibc stays the runtime's allocator; this file is the program's.
 *
 * Layout. A heap is a few segments (anonymous mappings of 64 KiB (1 MiB for the process heap)
 * doubling up to 64 MiB, registered with ntemu as committed MEM_PRIVATE memory) cut into
 * chunks, plus one mapping per block of HP_LARGE_THRESHOLD bytes or more (Windows'
 * VirtualMemoryThreshold). Every chunk starts with a 16-byte header (its size and its previous
 * neighbour's size in 16-byte units, the unused tail of the block, flags, the heap's tag and a
 * check byte over all of these and the address), so user pointers are 16-byte aligned, the
 * size asked for is known exactly (HeapSize, _msize), and free chunks coalesce with both
 * neighbours. Free chunks sit in 64 exact bins (up to 1 KiB) and 104 ranged bins (four per
 * power of two) with a bitmap of the non-empty ones; a small request pops its bin, a larger
 * one takes the first fit of its bin or the head of the next non-empty one and splits it.
 *
 * Containment. What ntrun relies on lives outside the program's memory: the heap record, the
 * bins' heads, the segment table and the large blocks' records are glibc allocations. What
 * lives in the program's memory (headers, free-list links) is checked before it is trusted:
 * a pointer must lie in one of the heap's segments and carry a header whose tag and check
 * byte match; a free-list link must point at a bin head or into a segment and be linked both
 * ways. A block overflow, a double free or a foreign pointer is found there and ends the
 * program with STATUS_HEAP_CORRUPTION (Windows' fail-fast on heap corruption); the allocator
 * never writes through a pointer it has not checked.
 *
 * Locking: one lock per heap (a futex word; HeapLock nests and lets its holder call the heap
 * functions), skipped for HEAP_NO_SERIALIZE as on Windows.
 *
 * Returning memory. A large block's mapping goes when it is freed. Inside segments, a free
 * chunk whose whole pages past its header and links (its "interior") come to HP_DECOMMIT_MIN
 * or more is decommitted, as Windows' heap decommits free blocks: the interior is mapped over
 * with fresh PROT_NONE pages (the memory goes back to the system, and VirtualQuery reports the
 * pages MEM_RESERVE) and the chunk carries HP_DECOMMITTED. Its header, links and the next
 * chunk's header stay committed, so the allocator never touches a decommitted page. A chunk
 * taken for a block gets back (mprotect) only the pages the block and the remainder's header
 * need; the remainder keeps the rest decommitted. A freed run of less than HP_DECOMMIT_MIN
 * beside a decommitted free chunk stays a committed free chunk of its own (the next block
 * carved there then costs no system call); a larger one is merged and the whole merged
 * interior decommitted (free_run). HeapCompact reports the largest committed free size. */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/futex.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>
#include "ntemu/ntemu.h"
#include "thunks/held_locks.h"
#include "thunks/ntdll/heap.h"
#include "thunks/thunks_private.h"

#define HP_UNIT 16u
#define HP_MIN_UNITS 2u         /* header + the two free-list links */
#define HP_SMALL_BINS 64u       /* exact bins for 2..63 units (up to 1008-byte chunks) */
#define HP_NBINS 192u
#define HP_LARGE_THRESHOLD 0x7F000u /* blocks this large get their own mapping */
#define HP_SEG_FIRST ((size_t)64 << 10)
#define HP_SEG_FIRST_PROCESS ((size_t)1 << 20)
#define HP_SEG_MAX ((size_t)64 << 20)
#define HP_FIXED_MAX_BLOCK 0xFFF00u  /* a non-growable heap's largest block (< 1 MiB on x64) */
#define HP_FIXED_MAX_HEAP ((size_t)32 << 30)
#define HP_MAX_REQUEST ((size_t)1 << 46)
#define HP_PAGE 4096u

#define HP_DECOMMIT_MIN ((size_t)64 << 10) /* a free chunk's interior decommitted from here */
#define HP_RECOMMIT_POPULATE_MAX ((size_t)4 * HP_PAGE) /* recommit_below populates up to */

enum { HP_BUSY = 1, HP_END = 2, HP_LARGE = 4, HP_DECOMMITTED = 8, HP_CACHED = 16 };

/* The C runtime's lookaside (hp_crt_alloc/hp_crt_free): freed small blocks of the process heap
 * kept busy, one LIFO per size, up to this many bytes in all. */
#define HP_CACHE_MAX_BYTES ((size_t)256 << 10)

typedef struct hp_chunk {
    uint32_t size;  /* 0x0: chunk size in 16-byte units, header included */
    uint32_t prev;  /* 0x4: the previous chunk's size in units; 0 for a segment's first */
    uint32_t slack; /* 0x8: payload bytes beyond the size asked for (busy chunks) */
    uint8_t flags;  /* 0xc: HP_BUSY, HP_END (a segment's closing sentinel), HP_LARGE,
                     * HP_DECOMMITTED (a free chunk whose interior pages are decommitted),
                     * HP_CACHED with HP_BUSY (freed by the C runtime, on its lookaside) */
    uint8_t check;  /* 0xd: hash of the header and its address */
    uint16_t tag;   /* 0xe: the heap's tag */
} hp_chunk;
_Static_assert(sizeof(hp_chunk) == HP_UNIT, "one unit: chunk arithmetic is in headers");

typedef struct hp_node { /* a free chunk's payload */
    struct hp_node *fd, *bk;
} hp_node;

typedef struct hp_seg {
    uintptr_t base, end; /* end: after the closing sentinel */
} hp_seg;

typedef struct hp_large {
    struct hp_large *next, *prev;
    uintptr_t map;   /* the block is map + HP_UNIT */
    size_t map_size; /* bytes mapped */
    size_t req;      /* bytes asked for */
} hp_large;

/* The heap lock: 0 free, 1 held, 2 held with waiters (a futex word); HeapLock records its
 * owner so the heap functions it calls while holding it do not wait for themselves. */
typedef struct hp_mutex {
    uint32_t word;
    uint32_t depth;  /* HeapLock nesting */
    uintptr_t owner; /* the HeapLock holder (hp_self), 0 when none */
} hp_mutex;

struct hp_heap {
    hp_mutex lock;
    uint32_t flags;    /* HEAP_NO_SERIALIZE, HEAP_GENERATE_EXCEPTIONS, HEAP_CREATE_ENABLE_EXECUTE */
    uint16_t tag;
    int prot;
    size_t max_size;   /* 0: growable */
    size_t next_seg;   /* size of the next segment to map */
    hp_seg *segs;      /* in creation order */
    size_t nsegs, segs_cap;
    hp_large large;    /* list head of the large blocks */
    uint64_t bitmap[HP_NBINS / 64];
    hp_node bins[HP_NBINS];
    /* The C runtime's lookaside: freed blocks of i units (2..63) that stay busy chunks flagged
     * HP_CACHED, linked through their first payload word (program memory: checked when taken),
     * until malloc takes one of the same size back or a flush frees them all. */
    struct hp_chunk *cache[HP_SMALL_BINS];
    size_t cache_bytes;
    /* Pages committed although a decommitted free chunk's interior covers them: the head of a
     * new segment (seg_add_split), committed at once, which recommit_below then leaves as
     * they are; forgotten when any of them is decommitted. */
    uintptr_t warm_lo, warm_hi;
    struct hp_heap *next_heap;
};

static pthread_mutex_t hp_heaps_lock = PTHREAD_MUTEX_INITIALIZER;
static hp_heap *hp_heap_list; /* every live heap but the process heap */
static hp_heap *hp_proc;      /* the process heap, created at first use */

/* ---- headers ---- */
/* The header's fields (the check byte aside) and its address folded into one word, and one
 * multiply: the product's top byte depends on every bit of that word, so a header changed in any
 * field, or copied to another address, fails the check but for 1 in 256. The C runtime's
 * malloc/free compute it two or three times a call (the lookaside's take and put: the link's
 * chunk, the freed block, its neighbour, the seals): one multiply instead of four on their
 * critical path. Each field is read as itself: a seal follows stores of single fields, and one
 * wider load of them would wait for the stores to reach the cache (no store forwarding); the
 * empty asm keeps the compiler from merging the slack's load with its neighbours'. */
static inline uint8_t hdr_check(const hp_chunk *c)
{
    uint32_t size = c->size, prev = c->prev, slack = c->slack;
    __asm__("" : "+r"(slack));
    uint32_t flags_tag = c->flags | (uint32_t)c->tag << 16;
    uint64_t x = ((uint64_t)prev << 32 | size) ^ ((uint64_t)slack << 32 | flags_tag) ^
                 ((uintptr_t)c >> 4);
    return (uint8_t)((x * 0x9E3779B97F4A7C15ull) >> 56);
}
static inline void hdr_seal(hp_chunk *c) { c->check = hdr_check(c); }
static inline bool hdr_ok(const hp_heap *h, const hp_chunk *c)
{
    return c->tag == h->tag && c->check == hdr_check(c);
}
static inline size_t payload(const hp_chunk *c) { return (size_t)c->size * HP_UNIT - HP_UNIT; }

static inline size_t units_for(size_t size)
{
    size_t u = (size + HP_UNIT - 1) / HP_UNIT + 1;
    return u < HP_MIN_UNITS ? HP_MIN_UNITS : u;
}

/* ---- locking: one atomic exchange each way when uncontended, inline ---- */
static __thread char hp_self_tag;
static inline uintptr_t hp_self(void) { return (uintptr_t)&hp_self_tag; }

static void mutex_wait(hp_mutex *m)
{
    for (int spin = 0; spin < 100; spin++) {
        uint32_t free_word = 0;
        if (__atomic_load_n(&m->word, __ATOMIC_RELAXED) == 0 &&
            __atomic_compare_exchange_n(&m->word, &free_word, 1, false, __ATOMIC_ACQUIRE,
                                        __ATOMIC_RELAXED))
            return;
        __builtin_ia32_pause();
    }
    while (__atomic_exchange_n(&m->word, 2, __ATOMIC_ACQUIRE) != 0)
        syscall(SYS_futex, &m->word, FUTEX_WAIT_PRIVATE, 2, NULL, NULL, 0);
}

/* Taking the lock as 1 only ever replaces 0 (compare-exchange): an exchange would turn a 2 (a
 * thread asleep on the word) into 1, so the holder's unlock would wake nobody and the sleeper
 * would wait until a spurious wake-up (seen as Node.js hanging on its heap until gdb attached). */
static inline void mutex_lock(hp_mutex *m)
{
    uint32_t free_word = 0;
    if (__builtin_expect(!__atomic_compare_exchange_n(&m->word, &free_word, 1, false,
                                                      __ATOMIC_ACQUIRE, __ATOMIC_RELAXED), 0))
        mutex_wait(m);
}

static inline void mutex_unlock(hp_mutex *m)
{
    if (__builtin_expect(__atomic_exchange_n(&m->word, 0, __ATOMIC_RELEASE) == 2, 0))
        syscall(SYS_futex, &m->word, FUTEX_WAKE_PRIVATE, 1, NULL, NULL, 0);
}

static void hp_held_release(void *m) { mutex_unlock(m); }

/* How a heap call holds its heap: not at all (HEAP_NO_SERIALIZE, or this thread holds it
 * through HeapLock), by its lock, or as the sole foreign thread (runtime/runtime.h,
 * rt_single_enter: no locked instruction). */
typedef uint8_t hp_hold;
enum { HP_HOLD_NONE, HP_HOLD_LOCK, HP_HOLD_SINGLE };

/* Takes the heap unless HEAP_NO_SERIALIZE or this thread holds it through HeapLock.
 *
 * While the process has one thread that can run foreign code, the call runs as a single-thread
 * unlocked region instead of taking the lock (glibc's malloc likewise skips its arena lock in a
 * single-threaded process): a second such thread is made only once the region has ended
 * (rt_single_go_multi waits for it), and the lock word must be free (a lock some other thread
 * took through HeapLock is waited for as before). A heap call is short and waits for nothing
 * another thread holds while it makes one (map, protect, the VM bookkeeping's mutex); threads
 * of the runtime's own that never run foreign code do not use the program's heaps. A fault in
 * the region that the program catches abandons it (runtime/signal.c clears `busy`): nothing is
 * left held, as a lock would have been released.
 *
 * Otherwise the lock is noted as held by the calling frame (thunks/held_locks.h): a fault
 * while it is held (a block header on a page the program made inaccessible) that the program
 * catches releases it, as Windows' heap functions release theirs when an exception leaves
 * them. */
static inline __attribute__((always_inline)) hp_hold hp_enter(hp_heap *h, uint32_t flags)
{
    if ((flags | h->flags) & HP_NO_SERIALIZE)
        return HP_HOLD_NONE;
    if (__builtin_expect(__atomic_load_n(&h->lock.owner, __ATOMIC_RELAXED) == hp_self(), 0))
        return HP_HOLD_NONE;
    if (rt_single_enter()) {
        if (__builtin_expect(__atomic_load_n(&h->lock.word, __ATOMIC_RELAXED) == 0, 1))
            return HP_HOLD_SINGLE;
        rt_single_leave();
    }
    mutex_lock(&h->lock);
    thk_held_push(hp_held_release, &h->lock);
    return HP_HOLD_LOCK;
}
static inline __attribute__((always_inline)) void hp_leave(hp_heap *h, hp_hold locked)
{
    if (locked == HP_HOLD_LOCK) {
        thk_held_drop(&h->lock);
        mutex_unlock(&h->lock);
    } else if (locked == HP_HOLD_SINGLE) {
        rt_single_leave();
    }
}

uint32_t hp_flags(const hp_heap *h) { return h->flags; }

void hp_lock(hp_heap *h)
{
    if (__atomic_load_n(&h->lock.owner, __ATOMIC_RELAXED) != hp_self()) {
        mutex_lock(&h->lock);
        __atomic_store_n(&h->lock.owner, hp_self(), __ATOMIC_RELAXED);
    }
    h->lock.depth++;
}

void hp_unlock(hp_heap *h)
{
    if (__atomic_load_n(&h->lock.owner, __ATOMIC_RELAXED) != hp_self() || !h->lock.depth)
        return;
    if (--h->lock.depth == 0) {
        __atomic_store_n(&h->lock.owner, 0, __ATOMIC_RELAXED);
        mutex_unlock(&h->lock);
    }
}

void hp_corruption(const void *p, const char *what)
{
    rt_message("heap corruption: %s (block %p): the program ends with STATUS_HEAP_CORRUPTION",
               what, p);
    rt_note_exception(HP_STATUS_HEAP_CORRUPTION, (uintptr_t)p, NULL, NULL);
    rt_exit_process_crashed(HP_STATUS_HEAP_CORRUPTION);
}

/* Corruption found with the heap locked: unlock first (other threads of the program may be
 * waiting for the lock, and the exit ends them). */
__attribute__((noreturn)) static void hp_corrupt(hp_heap *h, hp_hold locked, const void *p,
                                                 const char *what)
{
    hp_leave(h, locked);
    if (__atomic_load_n(&h->lock.owner, __ATOMIC_RELAXED) == hp_self()) { /* HeapLock's */
        h->lock.owner = 0;
        h->lock.depth = 0;
        mutex_unlock(&h->lock);
    }
    hp_corruption(p, what);
}

/* ---- where an address lies ---- */
static inline ssize_t seg_of(const hp_heap *h, uintptr_t a)
{
    for (size_t i = h->nsegs; i-- > 0;)
        if (a >= h->segs[i].base && a < h->segs[i].end)
            return (ssize_t)i;
    return -1;
}

/* A free-list link we may follow: a bin head of h, or a chunk's payload inside a segment. */
static inline bool node_ok(const hp_heap *h, const hp_node *n)
{
    uintptr_t a = (uintptr_t)n;
    if (a >= (uintptr_t)h->bins && a < (uintptr_t)(h->bins + HP_NBINS))
        return (a - (uintptr_t)h->bins) % sizeof(hp_node) == 0;
    if (a & (HP_UNIT - 1))
        return false;
    ssize_t s = seg_of(h, a - HP_UNIT);
    return s >= 0 && a + HP_UNIT < h->segs[s].end;
}

/* The header of a live block of h in a segment, or NULL. */
static inline __attribute__((always_inline)) hp_chunk *chunk_of(const hp_heap *h, const void *p)
{
    uintptr_t a = (uintptr_t)p;
    if (a & (HP_UNIT - 1))
        return NULL;
    ssize_t s = seg_of(h, a - HP_UNIT);
    if (s < 0 || a >= h->segs[s].end)
        return NULL;
    hp_chunk *c = (hp_chunk *)p - 1;
    if (!hdr_ok(h, c) || c->flags != HP_BUSY ||
        (uintptr_t)(c + c->size) >= h->segs[s].end)
        return NULL;
    return c;
}

static hp_large *large_of(hp_heap *h, const void *p)
{
    if (((uintptr_t)p & (HP_PAGE - 1)) != HP_UNIT)
        return NULL;
    for (hp_large *l = h->large.next; l != &h->large; l = l->next)
        if (l->map + HP_UNIT == (uintptr_t)p)
            return l;
    return NULL;
}

/* The chunk after c, checked (c itself is). */
static hp_chunk *next_of(hp_heap *h, hp_hold locked, hp_chunk *c)
{
    hp_chunk *n = c + c->size;
    if (!hdr_ok(h, n) || n->prev != c->size)
        hp_corrupt(h, locked, c + 1, "the header after a block was overwritten");
    return n;
}

/* ---- decommitted free chunks ---- */
static inline uintptr_t hp_page_up(uintptr_t a) { return (a + HP_PAGE - 1) & ~(uintptr_t)(HP_PAGE - 1); }
static inline uintptr_t hp_page_down(uintptr_t a) { return a & ~(uintptr_t)(HP_PAGE - 1); }
/* A free chunk's interior: its whole pages after the header and the free-list links, before
 * the next chunk's header. Only these pages are ever decommitted. */
static inline uintptr_t interior_start(const hp_chunk *c) { return hp_page_up((uintptr_t)(c + 2)); }
static inline uintptr_t interior_end(const hp_chunk *c) { return hp_page_down((uintptr_t)(c + c->size)); }

/* Tells ntemu's bookkeeping (VirtualQuery) the new state of [s, e) in c's segment. */
static void pages_note(hp_heap *h, uintptr_t s, uintptr_t e, bool commit)
{
    ssize_t k = seg_of(h, s);
    uint32_t prot = (h->prot & PROT_EXEC) ? PAGE_EXECUTE_READWRITE : PAGE_READWRITE;
    if (k >= 0)
        nt_vm_register_region((void *)s, e - s, commit ? MEM_COMMIT : MEM_RESERVE, prot,
                              MEM_PRIVATE, (void *)h->segs[k].base, prot);
}

/* Free chunk c (its final size set, not in a bin, sealed by the caller) gets HP_DECOMMITTED
 * right. `some`: parts of it are decommitted already, all of its interior but [lo, hi), which
 * is decommitted now; otherwise its whole interior is, when large enough. */
static void settle_free(hp_heap *h, hp_chunk *c, bool some, uintptr_t lo, uintptr_t hi)
{
    uintptr_t s = interior_start(c), e = interior_end(c);
    c->flags &= (uint8_t)~HP_DECOMMITTED;
    if (!some) {
        if (e <= s || e - s < HP_DECOMMIT_MIN)
            return;
        lo = s;
        hi = e;
    }
    lo = lo < s ? s : lo;
    hi = hi > e ? e : hi;
    if (hi > lo) {
        if (lo < h->warm_hi && hi > h->warm_lo)
            h->warm_lo = h->warm_hi = 0;
        if (mmap((void *)lo, hi - lo, PROT_NONE,
                 MAP_FIXED | MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0) == MAP_FAILED) {
            /* Refused (out of mappings): the pages stay committed. A chunk holding decommitted
             * parts must be decommitted whole, so only a fully committed one may say so. */
            if (some)
                hp_corruption(c + 1, "the system refused to decommit free heap pages");
            return;
        }
        pages_note(h, lo, hi, false);
    }
    if (e > s)
        c->flags |= HP_DECOMMITTED;
}

/* Commits again the pages of decommitted free chunk c's interior below `upto` (all of them
 * when upto lies past it), before c or its start becomes a block. false: the system refused. */
static bool recommit_below(hp_heap *h, const hp_chunk *c, uintptr_t upto)
{
    uintptr_t s = interior_start(c), e = interior_end(c), u = hp_page_up(upto);
    if (u < e)
        e = u;
    if (e <= s)
        return true;
    /* a new segment's head, committed already (seg_add_split) */
    uintptr_t from = s >= h->warm_lo && s < h->warm_hi ? (e < h->warm_hi ? e : h->warm_hi) : s;
    if (e > from && mprotect((void *)from, e - from, h->prot) != 0)
        return false;
    /* A few pages (the block's and the remainder's header, written next): present in one call
     * instead of a fault each (~14 us against ~1 here; best effort, Linux >= 5.14). A large
     * block's pages are left to fault in as the program touches them. */
    if (e > from && e - from <= HP_RECOMMIT_POPULATE_MAX)
        madvise((void *)from, e - from, MADV_POPULATE_WRITE);
    pages_note(h, s, e, true);
    return true;
}

/* Where a block of `units` carved from a free run [c, c + total) needs committed memory: up to
 * the remainder's header and links, or the whole run when no remainder is cut. */
static inline uintptr_t carve_upto(const hp_chunk *c, uint32_t units, uint32_t total)
{
    return total - units >= HP_MIN_UNITS ? (uintptr_t)(c + units + 2) : (uintptr_t)(c + total);
}

/* ---- bins ---- */
static inline unsigned bin_of(uint32_t units)
{
    if (units < HP_SMALL_BINS)
        return units;
    unsigned b = 31u - (unsigned)__builtin_clz(units); /* >= 6 */
    unsigned i = HP_SMALL_BINS + (b - 6u) * 4u + ((units >> (b - 2u)) & 3u);
    return i < HP_NBINS ? i : HP_NBINS - 1;
}

static void bin_insert(hp_heap *h, hp_chunk *c)
{
    unsigned i = bin_of(c->size);
    hp_node *n = (hp_node *)(c + 1), *head = &h->bins[i];
    n->fd = head->fd;
    n->bk = head;
    head->fd->bk = n;
    head->fd = n;
    h->bitmap[i / 64] |= 1ull << (i % 64);
}

static void bin_unlink(hp_heap *h, hp_hold locked, hp_chunk *c)
{
    hp_node *n = (hp_node *)(c + 1), *fd = n->fd, *bk = n->bk;
    if (!node_ok(h, fd) || !node_ok(h, bk) || fd->bk != n || bk->fd != n)
        hp_corrupt(h, locked, n, "a free block's links were overwritten");
    fd->bk = bk;
    bk->fd = fd;
    if (fd == bk) {
        unsigned i = bin_of(c->size);
        if (fd == &h->bins[i])
            h->bitmap[i / 64] &= ~(1ull << (i % 64));
    }
}

/* A free chunk of the bin whose head is n, checked. */
static hp_chunk *free_chunk(hp_heap *h, hp_hold locked, hp_node *n)
{
    if (!node_ok(h, n))
        hp_corrupt(h, locked, n, "a free list was overwritten");
    hp_chunk *c = (hp_chunk *)n - 1;
    if (!hdr_ok(h, c) || (c->flags & HP_BUSY))
        hp_corrupt(h, locked, n, "a free block was overwritten");
    return c;
}

/* A free chunk of at least `units`, taken out of its bin, or NULL. */
static hp_chunk *take_fit(hp_heap *h, hp_hold locked, uint32_t units)
{
    unsigned i = bin_of(units);
    if (i < HP_SMALL_BINS) {
        if (h->bins[i].fd != &h->bins[i]) {
            hp_chunk *c = free_chunk(h, locked, h->bins[i].fd);
            bin_unlink(h, locked, c);
            return c;
        }
    } else {
        unsigned scanned = 0;
        for (hp_node *n = h->bins[i].fd; n != &h->bins[i] && scanned < 64; scanned++) {
            hp_chunk *c = free_chunk(h, locked, n);
            if (c->size >= units) {
                bin_unlink(h, locked, c);
                return c;
            }
            n = n->fd;
        }
    }
    for (unsigned j = i + 1; j < HP_NBINS;) {
        uint64_t m = h->bitmap[j / 64] & (~0ull << (j % 64));
        if (!m) {
            j = (j / 64 + 1) * 64;
            continue;
        }
        j = (j / 64) * 64 + (unsigned)__builtin_ctzll(m);
        hp_chunk *c = free_chunk(h, locked, h->bins[j].fd);
        if (c->size < units) /* only a ranged bin past the last holds smaller ones: none */
            hp_corrupt(h, locked, c + 1, "a free block's size was overwritten");
        bin_unlink(h, locked, c);
        return c;
    }
    return NULL;
}

/* Free chunk c (committed: no page of it decommitted; not in a bin, its size final, header not
 * sealed) and the chunk after it, `next` (checked): merges c with its free neighbours, settles
 * it and bins it. `look_back`: c's previous chunk may be free (it is busy, or being made busy,
 * for a remainder cut by split).
 * Committed free neighbours are always merged. A decommitted one only when the committed run
 * comes to HP_DECOMMIT_MIN, its pages then decommitted with the neighbour's: a small block
 * freed beside decommitted memory stays a committed free chunk of its own, ready for the next
 * allocation, instead of costing a decommit now and a recommit (and a page fault) for the next
 * block carved there. So a committed free chunk smaller than HP_DECOMMIT_MIN may sit beside a
 * decommitted one; two committed or two decommitted free chunks are never neighbours. */
static void free_run(hp_heap *h, hp_hold locked, hp_chunk *c, hp_chunk *next, bool look_back)
{
    hp_chunk *pv = NULL;
    while (look_back && c->prev) {
        pv = c - c->prev;
        if (!hdr_ok(h, pv) || pv->size != c->prev)
            hp_corrupt(h, locked, c + 1, "the header before a block was overwritten");
        if ((pv->flags & HP_BUSY) || (pv->flags & HP_DECOMMITTED))
            break;
        bin_unlink(h, locked, pv);
        pv->size += c->size;
        c = pv;
        pv = NULL;
    }
    if (pv && (pv->flags & HP_BUSY))
        pv = NULL;
    while (!(next->flags & HP_BUSY) && !(next->flags & HP_DECOMMITTED)) {
        bin_unlink(h, locked, next);
        c->size += next->size;
        next = c + c->size;
        if (!hdr_ok(h, next))
            hp_corrupt(h, locked, next + 1, "the header after a free block was overwritten");
    }
    /* Decommitted neighbours: [lo, hi) of the merged interior is what is still committed. */
    bool some = false;
    uintptr_t lo = 0, hi = UINTPTR_MAX;
    bool nx = !(next->flags & HP_BUSY); /* decommitted, by the loop above */
    if ((pv || nx) && (size_t)c->size * HP_UNIT >= HP_DECOMMIT_MIN) {
        some = true;
        if (pv) {
            lo = interior_end(pv);
            bin_unlink(h, locked, pv);
            pv->size += c->size;
            c = pv;
        }
        if (nx) {
            hi = interior_start(next);
            bin_unlink(h, locked, next);
            c->size += next->size;
            next = c + c->size;
            if (!hdr_ok(h, next))
                hp_corrupt(h, locked, next + 1, "the header after a free block was overwritten");
        }
    }
    settle_free(h, c, some, lo, hi);
    hdr_seal(c);
    next->prev = c->size;
    hdr_seal(next);
    bin_insert(h, c);
}

/* Cuts c (busy or just taken, not in a bin) down to `units`; the rest becomes a free chunk
 * (free_run). c's header is sealed by the caller. tail_decommitted: c was a decommitted free
 * run whose pages below the rest's interior were just committed (recommit_below with
 * carve_upto), so the rest's interior is exactly the decommitted part; the chunk after it is
 * busy or a committed free chunk, left as it is. */
static void split(hp_heap *h, hp_hold locked, hp_chunk *c, uint32_t units, bool tail_decommitted)
{
    if (c->size - units < HP_MIN_UNITS)
        return;
    hp_chunk *next = next_of(h, locked, c);
    hp_chunk *r = c + units;
    r->size = c->size - units;
    r->prev = units;
    r->slack = 0;
    r->flags = 0;
    r->tag = h->tag;
    c->size = units;
    if (tail_decommitted && interior_end(r) > interior_start(r)) {
        r->flags = HP_DECOMMITTED;
        hdr_seal(r);
        next->prev = r->size;
        hdr_seal(next);
        bin_insert(h, r);
        return;
    }
    free_run(h, locked, r, next, false);
}

/* ---- memory from the system ---- */
static void *map_program(size_t size, int prot)
{
    /* HEAP_CREATE_ENABLE_EXECUTE: in the foreign range under --sud=inclusive */
    void *m = (prot & PROT_EXEC) ? rt_foreign_mmap(size, prot, MAP_NORESERVE, 0)
                                 : mmap(NULL, size, prot, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (m == MAP_FAILED)
        return NULL;
    nt_vm_register_heap(m, size, (prot & PROT_EXEC) ? PAGE_EXECUTE_READWRITE : PAGE_READWRITE);
    return m;
}

static void unmap_program(void *m, size_t size)
{
    nt_vm_unregister_image(m, size); /* forgets the record, whatever its type */
    munmap(m, size);
}

/* A large segment is made as its first blocks will use it: one free chunk whose interior is
 * decommitted but for its first pages, and the closing sentinel on the last page. Two calls:
 * the segment mapped read-write and its interior between the head and the last page made
 * PROT_NONE (the kernel splits the mapping in three); the head's pages are the heap's warm
 * range, which recommit_below leaves as they are, and fault in when first written. That was
 * a PROT_NONE reservation and its two ends mapped over it present (MAP_FIXED|MAP_POPULATE):
 * three calls, the same three VMAs, 3-4 page faults fewer in hello.exe's start, ~1% more of a
 * start's CPU (docs/performance.md, twenty-fourth pass, third round). Before that, a segment
 * made whole and cut by its first block took four calls and then a recommit (mprotect) and a
 * populate for each of the next pages the first blocks reached: 8 calls in hello.exe's start
 * (twenty-third pass). */
#define HP_SEG_HEAD ((size_t)4 * HP_PAGE)
static bool seg_add_split(hp_heap *h, size_t bytes)
{
    int flags = MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE;
    uint8_t *m = mmap(NULL, bytes, h->prot, flags, -1, 0);
    if (m == MAP_FAILED)
        return false;
    if (mprotect(m + HP_SEG_HEAD, bytes - HP_SEG_HEAD - HP_PAGE, PROT_NONE) != 0) {
        munmap(m, bytes);
        return false;
    }
    nt_vm_register_heap(m, bytes, PAGE_READWRITE);
    hp_chunk *c = (hp_chunk *)m, *end = (hp_chunk *)(m + bytes) - 1;
    *c = (hp_chunk){.size = (uint32_t)(end - c), .flags = HP_DECOMMITTED, .tag = h->tag};
    *end = (hp_chunk){.size = 1, .prev = c->size, .flags = HP_BUSY | HP_END, .tag = h->tag};
    hdr_seal(c);
    hdr_seal(end);
    h->segs[h->nsegs++] = (hp_seg){(uintptr_t)m, (uintptr_t)m + bytes};
    /* the heap's view (HeapWalk, VirtualQuery): the interior is uncommitted until carved */
    pages_note(h, interior_start(c), interior_end(c), false);
    h->warm_lo = interior_start(c);
    h->warm_hi = (uintptr_t)m + HP_SEG_HEAD;
    bin_insert(h, c);
    return true;
}

static bool seg_add(hp_heap *h, size_t bytes)
{
    if (h->nsegs == h->segs_cap) {
        size_t cap = h->segs_cap ? h->segs_cap * 2 : 4;
        hp_seg *s = realloc(h->segs, cap * sizeof *s);
        if (!s)
            return false;
        h->segs = s;
        h->segs_cap = cap;
    }
    bytes = (bytes + 0xFFFF) & ~(size_t)0xFFFF;
    if (!(h->prot & PROT_EXEC) && bytes >= HP_SEG_HEAD + HP_PAGE + 2 * HP_DECOMMIT_MIN)
        return seg_add_split(h, bytes);
    uint8_t *m = map_program(bytes, h->prot);
    if (!m)
        return false;
    /* Its first and last page are written next (the free chunk's header, the end marker):
     * present in a call each instead of a fault each (~14 us against ~1-2 here; best effort,
     * Linux >= 5.14; docs/performance.md, twenty-second pass). */
    madvise(m, HP_PAGE, MADV_POPULATE_WRITE);
    madvise(m + bytes - HP_PAGE, HP_PAGE, MADV_POPULATE_WRITE);
    hp_chunk *c = (hp_chunk *)m, *end = (hp_chunk *)(m + bytes) - 1;
    *c = (hp_chunk){.size = (uint32_t)(end - c), .tag = h->tag};
    *end = (hp_chunk){.size = 1, .prev = c->size, .flags = HP_BUSY | HP_END, .tag = h->tag};
    hdr_seal(c);
    hdr_seal(end);
    h->segs[h->nsegs++] = (hp_seg){(uintptr_t)m, (uintptr_t)m + bytes};
    bin_insert(h, c);
    return true;
}

/* ---- heaps ---- */
static hp_heap *heap_new(uint32_t flags, size_t first, size_t max)
{
    hp_heap *h = calloc(1, sizeof *h);
    if (!h)
        return NULL;
    h->flags = flags & (HP_NO_SERIALIZE | HP_GENERATE_EXCEPTIONS | HP_CREATE_ENABLE_EXECUTE);
    h->prot = PROT_READ | PROT_WRITE | ((flags & HP_CREATE_ENABLE_EXECUTE) ? PROT_EXEC : 0);
    uintptr_t t = (uintptr_t)h;
    h->tag = (uint16_t)((t >> 4) ^ (t >> 20) ^ (t >> 36) ^ 0xA55Au);
    h->max_size = max;
    h->large.next = h->large.prev = &h->large;
    for (unsigned i = 0; i < HP_NBINS; i++)
        h->bins[i].fd = h->bins[i].bk = &h->bins[i];
    h->next_seg = first;
    if (!seg_add(h, max ? max : first)) {
        free(h);
        return NULL;
    }
    h->next_seg = first * 2 < HP_SEG_MAX ? first * 2 : HP_SEG_MAX;
    return h;
}

static void heap_free_memory(hp_heap *h)
{
    for (size_t i = 0; i < h->nsegs; i++)
        unmap_program((void *)h->segs[i].base, h->segs[i].end - h->segs[i].base);
    for (hp_large *l = h->large.next, *next; l != &h->large; l = next) {
        next = l->next;
        unmap_program((void *)l->map, l->map_size);
        free(l);
    }
    free(h->segs);
    free(h);
}

hp_heap *hp_process_heap(void)
{
    hp_heap *h = __atomic_load_n(&hp_proc, __ATOMIC_ACQUIRE);
    if (h)
        return h;
    pthread_mutex_lock(&hp_heaps_lock);
    h = hp_proc;
    if (!h) {
        h = heap_new(0, HP_SEG_FIRST_PROCESS, 0);
        __atomic_store_n(&hp_proc, h, __ATOMIC_RELEASE);
        if (h && rt_proc.peb)
            rt_proc.peb->ProcessHeap = h;
    }
    pthread_mutex_unlock(&hp_heaps_lock);
    return h;
}

hp_heap *hp_from_handle(const void *handle)
{
    if (!handle)
        return NULL;
    if (handle == __atomic_load_n(&hp_proc, __ATOMIC_ACQUIRE))
        return (hp_heap *)handle;
    hp_heap *found = NULL;
    pthread_mutex_lock(&hp_heaps_lock);
    for (hp_heap *h = hp_heap_list; h; h = h->next_heap)
        if (h == handle) {
            found = h;
            break;
        }
    pthread_mutex_unlock(&hp_heaps_lock);
    return found;
}

hp_heap *hp_create(uint32_t flags, size_t initial, size_t max)
{
    if (max > HP_FIXED_MAX_HEAP)
        max = HP_FIXED_MAX_HEAP;
    if (max && max < HP_SEG_FIRST)
        max = HP_SEG_FIRST;
    size_t first = initial > HP_SEG_FIRST ? initial : HP_SEG_FIRST;
    if (first > HP_SEG_MAX)
        first = HP_SEG_MAX;
    hp_heap *h = heap_new(flags, first, max);
    if (!h)
        return NULL;
    pthread_mutex_lock(&hp_heaps_lock);
    h->next_heap = hp_heap_list;
    hp_heap_list = h;
    pthread_mutex_unlock(&hp_heaps_lock);
    return h;
}

bool hp_destroy(hp_heap *h)
{
    if (!h || h == hp_proc)
        return false;
    bool found = false;
    pthread_mutex_lock(&hp_heaps_lock);
    for (hp_heap **pp = &hp_heap_list; *pp; pp = &(*pp)->next_heap)
        if (*pp == h) {
            *pp = h->next_heap;
            found = true;
            break;
        }
    pthread_mutex_unlock(&hp_heaps_lock);
    if (found)
        heap_free_memory(h);
    return found;
}

size_t hp_heaps(void **out, size_t n)
{
    size_t count = 0;
    hp_heap *p = hp_process_heap();
    pthread_mutex_lock(&hp_heaps_lock);
    if (p) {
        if (count < n)
            out[count] = p;
        count++;
    }
    for (hp_heap *h = hp_heap_list; h; h = h->next_heap) {
        if (count < n)
            out[count] = h;
        count++;
    }
    pthread_mutex_unlock(&hp_heaps_lock);
    return count;
}

size_t hp_mapped_bytes(hp_heap *h)
{
    hp_hold locked = hp_enter(h, 0);
    size_t n = 0;
    for (size_t i = 0; i < h->nsegs; i++)
        n += h->segs[i].end - h->segs[i].base;
    for (hp_large *l = h->large.next; l != &h->large; l = l->next)
        n += l->map_size;
    hp_leave(h, locked);
    return n;
}

void hp_reset_all(void)
{
    for (hp_heap *h = hp_heap_list, *next; h; h = next) {
        next = h->next_heap;
        heap_free_memory(h);
    }
    hp_heap_list = NULL;
    if (hp_proc)
        heap_free_memory(hp_proc);
    hp_proc = NULL;
    if (rt_proc.peb)
        rt_proc.peb->ProcessHeap = NULL;
    pthread_mutex_t unlocked = PTHREAD_MUTEX_INITIALIZER;
    hp_heaps_lock = unlocked; /* a thread that died holding it is gone */
}

/* ---- blocks ---- */
static void *large_alloc(hp_heap *h, uint32_t flags, size_t size)
{
    size_t map_size = (size + HP_UNIT + HP_PAGE - 1) & ~(size_t)(HP_PAGE - 1);
    hp_large *l = malloc(sizeof *l);
    if (!l)
        return NULL;
    uint8_t *m = map_program(map_size, h->prot);
    if (!m) {
        free(l);
        return NULL;
    }
    hp_chunk *c = (hp_chunk *)m;
    *c = (hp_chunk){.flags = HP_BUSY | HP_LARGE, .tag = h->tag};
    hdr_seal(c);
    l->map = (uintptr_t)m;
    l->map_size = map_size;
    l->req = size;
    hp_hold locked = hp_enter(h, flags);
    l->next = h->large.next;
    l->prev = &h->large;
    h->large.next->prev = l;
    h->large.next = l;
    hp_leave(h, locked);
    return c + 1; /* fresh pages: already zero */
}

static void cache_flush(hp_heap *h, hp_hold locked);

void *hp_alloc(hp_heap *h, uint32_t flags, size_t size)
{
    flags |= h->flags;
    if (size > HP_MAX_REQUEST || (h->max_size && size > HP_FIXED_MAX_BLOCK))
        return NULL;
    if (!h->max_size && size >= HP_LARGE_THRESHOLD)
        return large_alloc(h, flags, size);
    uint32_t units = (uint32_t)units_for(size);
    hp_hold locked = hp_enter(h, flags);
    hp_chunk *c = take_fit(h, locked, units);
    if (!c && h->cache_bytes) { /* the lookaside's blocks first, before the heap grows */
        cache_flush(h, locked);
        c = take_fit(h, locked, units);
    }
    if (!c) {
        if (h->max_size || !seg_add(h, h->next_seg > (size_t)units * HP_UNIT * 2
                                           ? h->next_seg
                                           : (size_t)units * HP_UNIT * 2)) {
            hp_leave(h, locked);
            return NULL;
        }
        if (h->next_seg < HP_SEG_MAX)
            h->next_seg *= 2;
        c = take_fit(h, locked, units);
        if (!c) {
            hp_leave(h, locked);
            return NULL;
        }
    }
    bool decommitted = (c->flags & HP_DECOMMITTED) != 0;
    if (decommitted && !recommit_below(h, c, carve_upto(c, units, c->size))) {
        bin_insert(h, c);
        hp_leave(h, locked);
        return NULL;
    }
    split(h, locked, c, units, decommitted);
    c->flags = HP_BUSY;
    c->slack = (uint32_t)(payload(c) - size);
    hdr_seal(c);
    hp_leave(h, locked);
    if (flags & HP_ZERO_MEMORY)
        memset(c + 1, 0, size);
    return c + 1;
}

/* Frees chunk c (checked, busy) with h locked as `locked` says. */
static void chunk_free(hp_heap *h, hp_hold locked, hp_chunk *c)
{
    hp_chunk *next = next_of(h, locked, c);
    c->flags = 0;
    c->slack = 0;
    free_run(h, locked, c, next, true);
}

int hp_free(hp_heap *h, uint32_t flags, void *p)
{
    hp_hold locked = hp_enter(h, flags);
    hp_chunk *c = chunk_of(h, p);
    if (c) {
        chunk_free(h, locked, c);
        hp_leave(h, locked);
        return 0;
    }
    hp_large *l = large_of(h, p);
    if (!l) {
        hp_leave(h, locked);
        return -EINVAL;
    }
    l->prev->next = l->next;
    l->next->prev = l->prev;
    hp_leave(h, locked);
    unmap_program((void *)l->map, l->map_size);
    free(l);
    return 0;
}

/* ---- the C runtime's lookaside ----
 * malloc/free of small blocks (up to 63 units, 992 bytes asked for) on the process heap: a
 * freed block stays a busy chunk flagged HP_CACHED on a LIFO of its size, and the next malloc
 * of that size takes it back, without the bins, the merge with its neighbours and the split of
 * the free chunk it came from (Windows' heap front end, the lookaside lists of its older
 * versions and the LFH of newer ones, likewise keeps freed small blocks busy in the back end).
 * HeapFree, HeapSize and realloc refuse a cached block as they refuse any freed one (chunk_of
 * wants HP_BUSY alone); a flush frees them all for real (cache_flush) before the heap would
 * grow, before HeapWalk, HeapValidate, HeapCompact and HeapSummary look, and when a realloc
 * could grow into one. The links live in the program's memory and are checked when followed:
 * a block in a segment, sealed, HP_BUSY | HP_CACHED, of the list's size.
 *
 * The exports' fast paths (hp_crt_alloc, hp_crt_free) are ms_abi functions that call nothing
 * while the process has one foreign thread (runtime/runtime.h, rt_single_enter) and the heap's
 * lock is free, so msvcrt's malloc and free pay no ms_abi -> SysV register spill; everything
 * else goes to their slow halves, which take the heap as hp_enter does. */

/* Is c a cached chunk of list `units` (a link taken from the program's memory)? */
static inline __attribute__((always_inline)) bool cache_ok(const hp_heap *h, const hp_chunk *c,
                                                            uint32_t units)
{
    uintptr_t a = (uintptr_t)c;
    if (a & (HP_UNIT - 1))
        return false;
    ssize_t s = seg_of(h, a);
    return s >= 0 && a + (size_t)units * HP_UNIT < h->segs[s].end && hdr_ok(h, c) &&
           c->flags == (HP_BUSY | HP_CACHED) && c->size == units;
}

/* Frees every cached block for real. */
static void cache_flush(hp_heap *h, hp_hold locked)
{
    if (!h->cache_bytes)
        return;
    for (uint32_t u = HP_MIN_UNITS; u < HP_SMALL_BINS; u++) {
        hp_chunk *c = h->cache[u];
        h->cache[u] = NULL;
        while (c) {
            if (!cache_ok(h, c, u))
                hp_corrupt(h, locked, c + 1, "a freed block was overwritten");
            hp_chunk *link = *(hp_chunk **)(c + 1);
            chunk_free(h, locked, c);
            c = link;
        }
    }
    h->cache_bytes = 0;
}

/* A cached block of `units` made live for `size` bytes, or NULL when its list is empty. */
static inline __attribute__((always_inline)) hp_chunk *cache_take(hp_heap *h, uint32_t units,
                                                                  size_t size, bool *bad)
{
    hp_chunk *c = h->cache[units];
    if (!c)
        return NULL;
    if (!cache_ok(h, c, units)) {
        *bad = true;
        return c;
    }
    h->cache[units] = *(hp_chunk **)(c + 1);
    h->cache_bytes -= (size_t)units * HP_UNIT;
    c->flags = HP_BUSY;
    c->slack = (uint32_t)(payload(c) - size);
    hdr_seal(c);
    return c;
}

/* Puts live block c on its list: false when it is not small or the lookaside is full. *bad: the
 * next chunk's header was overwritten (a block overflow, found as free finds it). */
static inline __attribute__((always_inline)) bool cache_put(hp_heap *h, hp_chunk *c, bool *bad)
{
    uint32_t u = c->size;
    if (u >= HP_SMALL_BINS || h->cache_bytes + (size_t)u * HP_UNIT > HP_CACHE_MAX_BYTES)
        return false;
    const hp_chunk *n = c + u;
    if (!hdr_ok(h, n) || n->prev != u) {
        *bad = true;
        return false;
    }
    *(hp_chunk **)(c + 1) = h->cache[u];
    c->flags = HP_BUSY | HP_CACHED;
    c->slack = 0;
    hdr_seal(c);
    h->cache[u] = c;
    h->cache_bytes += (size_t)u * HP_UNIT;
    return true;
}

#define HP_CRT_SMALL ((size_t)(HP_SMALL_BINS - 2) * HP_UNIT) /* units_for(size) < HP_SMALL_BINS */

__attribute__((ms_abi, noinline)) static void *hp_crt_alloc_slow(size_t size)
{
    hp_heap *h = hp_process_heap();
    if (!h)
        return NULL;
    if (size <= HP_CRT_SMALL) {
        hp_hold locked = hp_enter(h, 0);
        bool bad = false;
        hp_chunk *c = cache_take(h, (uint32_t)units_for(size), size, &bad);
        if (bad)
            hp_corrupt(h, locked, c + 1, "a freed block was overwritten");
        hp_leave(h, locked);
        if (c)
            return c + 1;
    }
    return hp_alloc(h, 0, size);
}

__attribute__((ms_abi)) void *hp_crt_alloc(size_t size)
{
    hp_heap *h = __atomic_load_n(&hp_proc, __ATOMIC_ACQUIRE);
    if (__builtin_expect(h && size <= HP_CRT_SMALL && !(h->flags & HP_NO_SERIALIZE), 1) &&
        rt_single_enter()) {
        /* the lock free: no other holder, HeapLock's included (whose owner we may be) */
        if (__builtin_expect(__atomic_load_n(&h->lock.word, __ATOMIC_RELAXED) == 0, 1)) {
            bool bad = false;
            hp_chunk *c = cache_take(h, (uint32_t)units_for(size), size, &bad);
            if (c && __builtin_expect(!bad, 1)) {
                rt_single_leave();
                return c + 1;
            }
        }
        rt_single_leave();
    }
    /* also a damaged link: the slow half finds it again under the lock and reports it */
    return hp_crt_alloc_slow(size);
}

__attribute__((ms_abi, noinline)) static int hp_crt_free_slow(void *p)
{
    hp_heap *h = hp_process_heap();
    if (!h)
        return -EINVAL;
    hp_hold locked = hp_enter(h, 0);
    hp_chunk *c = chunk_of(h, p);
    bool bad = false;
    if (c && cache_put(h, c, &bad)) {
        hp_leave(h, locked);
        return 0;
    }
    if (bad)
        hp_corrupt(h, locked, p, "the header after a block was overwritten");
    hp_leave(h, locked);
    return hp_free(h, 0, p);
}

__attribute__((ms_abi)) int hp_crt_free(void *p)
{
    hp_heap *h = __atomic_load_n(&hp_proc, __ATOMIC_ACQUIRE);
    if (__builtin_expect(h && !(h->flags & HP_NO_SERIALIZE), 1) && rt_single_enter()) {
        if (__builtin_expect(__atomic_load_n(&h->lock.word, __ATOMIC_RELAXED) == 0, 1)) {
            hp_chunk *c = chunk_of(h, p);
            bool bad = false;
            if (c && cache_put(h, c, &bad)) {
                rt_single_leave();
                return 0;
            }
        }
        rt_single_leave();
    }
    /* also a damaged next header (bad): the slow half finds it again and reports it */
    return hp_crt_free_slow(p);
}

size_t hp_size(hp_heap *h, uint32_t flags, const void *p)
{
    hp_hold locked = hp_enter(h, flags);
    size_t n = (size_t)-1;
    hp_chunk *c = chunk_of(h, p);
    if (c) {
        n = payload(c) - c->slack;
    } else {
        hp_large *l = large_of(h, p);
        if (l)
            n = l->req;
    }
    hp_leave(h, locked);
    return n;
}

bool hp_owns(hp_heap *h, const void *p)
{
    hp_hold locked = hp_enter(h, 0);
    bool ok = chunk_of(h, p) || large_of(h, p);
    hp_leave(h, locked);
    return ok;
}

/* Resizes a large block in place, or moves it when allowed: the block or NULL. */
static void *large_realloc(hp_heap *h, hp_hold locked, hp_large *l, uint32_t flags, size_t size)
{
    size_t old = l->req;
    size_t map_size = (size + HP_UNIT + HP_PAGE - 1) & ~(size_t)(HP_PAGE - 1);
    if (map_size <= l->map_size) {
        l->req = size;
        if ((flags & HP_ZERO_MEMORY) && size > old)
            memset((uint8_t *)l->map + HP_UNIT + old, 0, size - old);
        return (uint8_t *)l->map + HP_UNIT;
    }
    int mflags = (flags & HP_REALLOC_IN_PLACE_ONLY) ? 0 : MREMAP_MAYMOVE;
    void *m = mremap((void *)l->map, l->map_size, map_size, mflags);
    if (m == MAP_FAILED)
        return NULL;
    nt_vm_unregister_image((void *)l->map, l->map_size);
    nt_vm_register_heap(m, map_size,
                        (h->prot & PROT_EXEC) ? PAGE_EXECUTE_READWRITE : PAGE_READWRITE);
    l->map = (uintptr_t)m;
    l->map_size = map_size;
    l->req = size;
    /* the grown part is fresh zero pages; the old mapping's tail beyond `old` may not be */
    if ((flags & HP_ZERO_MEMORY) && size > old)
        memset((uint8_t *)m + HP_UNIT + old, 0, size - old);
    (void)locked;
    return (uint8_t *)m + HP_UNIT;
}

void *hp_realloc(hp_heap *h, uint32_t flags, void *p, size_t size, bool *bad)
{
    flags |= h->flags;
    *bad = false;
    if (size > HP_MAX_REQUEST || (h->max_size && size > HP_FIXED_MAX_BLOCK))
        return NULL;
    hp_hold locked = hp_enter(h, flags);
    size_t old;
    hp_chunk *c = chunk_of(h, p);
    if (!c) {
        hp_large *l = large_of(h, p);
        void *r = NULL;
        if (!l)
            *bad = true;
        else if (size >= HP_LARGE_THRESHOLD || (flags & HP_REALLOC_IN_PLACE_ONLY) ||
                 size + HP_UNIT > l->map_size / 2)
            r = large_realloc(h, locked, l, flags, size);
        else
            goto move; /* much smaller: into a segment, the mapping goes */
        hp_leave(h, locked);
        return r;
    }
    old = payload(c) - c->slack;
    if (size < HP_LARGE_THRESHOLD || h->max_size || (flags & HP_REALLOC_IN_PLACE_ONLY)) {
        uint32_t units = (uint32_t)units_for(size);
        bool fits = units <= c->size, tail_decommitted = false;
        if (!fits) {
            hp_chunk *next = next_of(h, locked, c);
            if (next->flags & HP_CACHED) { /* a block the lookaside holds: freed for real now */
                cache_flush(h, locked);
                next = next_of(h, locked, c);
            }
            if (!(next->flags & HP_BUSY) && (size_t)c->size + next->size >= units &&
                (!(next->flags & HP_DECOMMITTED) ||
                 recommit_below(h, next, carve_upto(c, units, c->size + next->size)))) {
                tail_decommitted = (next->flags & HP_DECOMMITTED) != 0;
                bin_unlink(h, locked, next);
                c->size += next->size;
                hp_chunk *after = c + c->size;
                if (!hdr_ok(h, after))
                    hp_corrupt(h, locked, after + 1, "the header after a free block was overwritten");
                after->prev = c->size;
                hdr_seal(after);
                fits = true;
            }
        }
        if (fits) {
            hdr_seal(c); /* size may have grown: split checks the next header */
            split(h, locked, c, units, tail_decommitted);
            c->slack = (uint32_t)(payload(c) - size);
            hdr_seal(c);
            hp_leave(h, locked);
            if ((flags & HP_ZERO_MEMORY) && size > old)
                memset((uint8_t *)p + old, 0, size - old);
            return p;
        }
    }
    if (flags & HP_REALLOC_IN_PLACE_ONLY) {
        hp_leave(h, locked);
        return NULL;
    }
move:
    if (!c)
        old = large_of(h, p)->req;
    hp_leave(h, locked);
    void *q = hp_alloc(h, flags & ~HP_ZERO_MEMORY, size);
    if (!q)
        return NULL;
    memcpy(q, p, old < size ? old : size);
    if ((flags & HP_ZERO_MEMORY) && size > old)
        memset((uint8_t *)q + old, 0, size - old);
    if (hp_free(h, flags, p) != 0)
        *bad = true; /* freed by another thread meanwhile */
    return q;
}

/* ---- validation and walking ---- */
static bool seg_valid(hp_heap *h, const hp_seg *s)
{
    hp_chunk *c = (hp_chunk *)s->base, *end = (hp_chunk *)s->end - 1;
    uint32_t prev = 0;
    bool prev_free = false, prev_decommitted = false;
    while (c < end) {
        if (!hdr_ok(h, c) || c->prev != prev || c->size < HP_MIN_UNITS || c + c->size > end ||
            (c->flags & ~(HP_BUSY | HP_DECOMMITTED)) || c->flags == (HP_BUSY | HP_DECOMMITTED))
            return false;
        bool is_free = !(c->flags & HP_BUSY);
        if (is_free) {
            hp_node *n = (hp_node *)(c + 1);
            /* free neighbours: only a committed one beside a decommitted one (free_run) */
            bool decommitted = (c->flags & HP_DECOMMITTED) != 0;
            if ((prev_free && prev_decommitted == decommitted) || !node_ok(h, n->fd) || !node_ok(h, n->bk) || n->fd->bk != n ||
                n->bk->fd != n)
                return false;
        } else if (c->slack > payload(c)) {
            return false;
        }
        prev_free = is_free;
        prev_decommitted = (c->flags & HP_DECOMMITTED) != 0;
        prev = c->size;
        c += c->size;
    }
    return c == end && hdr_ok(h, end) && end->flags == (HP_BUSY | HP_END) && end->prev == prev;
}

bool hp_validate(hp_heap *h, uint32_t flags, const void *p)
{
    hp_hold locked = hp_enter(h, flags);
    bool ok;
    if (p) {
        ok = chunk_of(h, p) || large_of(h, p);
    } else {
        cache_flush(h, locked);
        ok = true;
        for (size_t i = 0; ok && i < h->nsegs; i++)
            ok = seg_valid(h, &h->segs[i]);
        for (hp_large *l = h->large.next; ok && l != &h->large; l = l->next)
            ok = l->next->prev == l;
    }
    hp_leave(h, locked);
    return ok;
}

/* What segment k has in use (sizes asked for), free, and decommitted, in bytes; false when a
 * header does not check (the walk stops there). */
typedef struct hp_tally {
    size_t busy, decommitted, largest_free; /* largest_free: committed bytes of one free chunk */
} hp_tally;

static bool seg_tally(const hp_heap *h, size_t k, hp_tally *t)
{
    const hp_chunk *c = (const hp_chunk *)h->segs[k].base;
    const hp_chunk *end = (const hp_chunk *)h->segs[k].end - 1;
    while (c < end) {
        if (!hdr_ok(h, c) || c->size < HP_MIN_UNITS || c + c->size > end)
            return false;
        if (c->flags & HP_BUSY) {
            t->busy += payload(c) - c->slack;
        } else {
            size_t n = payload(c);
            if (c->flags & HP_DECOMMITTED) {
                size_t head = interior_start(c) - (uintptr_t)(c + 1);
                size_t tail = (uintptr_t)(c + c->size) - interior_end(c);
                t->decommitted += interior_end(c) - interior_start(c);
                n = head > tail ? head : tail;
            }
            if (n > t->largest_free)
                t->largest_free = n;
        }
        c += c->size;
    }
    return true;
}

size_t hp_compact(hp_heap *h, uint32_t flags)
{
    hp_hold locked = hp_enter(h, flags);
    cache_flush(h, locked);
    hp_tally t = {0};
    for (size_t k = 0; k < h->nsegs; k++)
        if (!seg_tally(h, k, &t))
            hp_corrupt(h, locked, (void *)h->segs[k].base, "a block header was overwritten");
    hp_leave(h, locked);
    return t.largest_free;
}

bool hp_summary(hp_heap *h, uint32_t flags, size_t *allocated, size_t *committed,
                size_t *reserved)
{
    hp_hold locked = hp_enter(h, flags);
    cache_flush(h, locked);
    bool ok = true;
    hp_tally t = {0};
    size_t mapped = 0;
    for (size_t k = 0; ok && k < h->nsegs; k++) {
        ok = seg_tally(h, k, &t);
        mapped += h->segs[k].end - h->segs[k].base;
    }
    for (hp_large *l = h->large.next; l != &h->large; l = l->next) {
        t.busy += l->req;
        mapped += l->map_size;
    }
    hp_leave(h, locked);
    *allocated = t.busy;
    *committed = mapped - t.decommitted;
    *reserved = mapped;
    return ok;
}

static void walk_region(const hp_heap *h, size_t k, hp_walk_entry *e)
{
    hp_tally t = {0};
    seg_tally(h, k, &t);
    memset(e, 0, sizeof *e);
    e->lpData = (void *)h->segs[k].base;
    e->cbData = (uint32_t)(h->segs[k].end - h->segs[k].base);
    e->iRegionIndex = (uint8_t)k;
    e->wFlags = HP_ENTRY_REGION;
    e->Region.dwCommittedSize = e->cbData - (uint32_t)t.decommitted;
    e->Region.dwUnCommittedSize = (uint32_t)t.decommitted;
    e->Region.lpFirstBlock = (void *)(h->segs[k].base + HP_UNIT);
    e->Region.lpLastBlock = (void *)h->segs[k].end;
}

static void walk_chunk(size_t k, const hp_chunk *c, hp_walk_entry *e)
{
    memset(e, 0, sizeof *e);
    e->lpData = (void *)(c + 1);
    e->iRegionIndex = (uint8_t)k;
    if (c->flags & HP_BUSY) {
        e->cbData = (uint32_t)(payload(c) - c->slack);
        e->cbOverhead = (uint8_t)(HP_UNIT + (c->slack < 0xEF ? c->slack : 0xEF));
        e->wFlags = HP_ENTRY_BUSY;
    } else if (c->flags & HP_DECOMMITTED) {
        /* the committed head; the interior follows as an uncommitted range */
        e->cbData = (uint32_t)(interior_start(c) - (uintptr_t)(c + 1));
        e->cbOverhead = HP_UNIT;
    } else {
        e->cbData = (uint32_t)payload(c);
        e->cbOverhead = HP_UNIT;
    }
}

/* A decommitted free chunk's interior, as Windows lists a heap's uncommitted range. */
static void walk_uncommitted(size_t k, const hp_chunk *c, hp_walk_entry *e)
{
    memset(e, 0, sizeof *e);
    e->lpData = (void *)interior_start(c);
    e->cbData = (uint32_t)(interior_end(c) - interior_start(c));
    e->iRegionIndex = (uint8_t)k;
    e->wFlags = HP_ENTRY_UNCOMMITTED;
}

static bool walk_large(const hp_heap *h, const hp_large *l, hp_walk_entry *e)
{
    if (l == &h->large)
        return false;
    memset(e, 0, sizeof *e);
    e->lpData = (void *)(l->map + HP_UNIT);
    e->cbData = (uint32_t)(l->req > UINT32_MAX ? UINT32_MAX : l->req);
    e->cbOverhead = HP_UNIT;
    e->wFlags = HP_ENTRY_BUSY;
    return true;
}

/* The entry after chunk c of segment k (its header checked): its uncommitted interior
 * unless that was the entry just given, the next chunk, the next region or the large blocks. */
static bool walk_after(const hp_heap *h, size_t k, const hp_chunk *c, bool after_ucr,
                       hp_walk_entry *e, bool *bad)
{
    if ((c->flags & HP_DECOMMITTED) && !after_ucr) {
        walk_uncommitted(k, c, e);
        return true;
    }
    const hp_chunk *n = c + c->size;
    if (!hdr_ok(h, n)) {
        *bad = true;
        return false;
    }
    if (!(n->flags & HP_END)) {
        walk_chunk(k, n, e);
        return true;
    }
    if (k + 1 < h->nsegs) {
        walk_region(h, k + 1, e);
        return true;
    }
    return walk_large(h, h->large.next, e);
}

/* The decommitted free chunk of segment k whose interior starts at a, or NULL. */
static const hp_chunk *ucr_owner(const hp_heap *h, size_t k, uintptr_t a)
{
    const hp_chunk *c = (const hp_chunk *)h->segs[k].base;
    const hp_chunk *end = (const hp_chunk *)h->segs[k].end - 1;
    while (c < end && (uintptr_t)c < a) {
        if (!hdr_ok(h, c) || c->size < HP_MIN_UNITS)
            return NULL;
        if ((c->flags & HP_DECOMMITTED) && interior_start(c) == a)
            return c;
        c += c->size;
    }
    return NULL;
}

bool hp_walk(hp_heap *h, hp_walk_entry *e, bool *bad)
{
    hp_hold locked = hp_enter(h, 0);
    cache_flush(h, locked); /* the walk shows the lookaside's blocks free, as they are */
    bool more = false;
    uintptr_t a = (uintptr_t)e->lpData;
    *bad = false;
    if (!a) {
        walk_region(h, 0, e);
        more = true;
    } else if (e->wFlags & HP_ENTRY_REGION) {
        ssize_t k = seg_of(h, a);
        if (k < 0 || h->segs[k].base != a) {
            *bad = true;
        } else {
            walk_chunk((size_t)k, (hp_chunk *)a, e);
            more = true;
        }
    } else if (e->wFlags & HP_ENTRY_UNCOMMITTED) {
        ssize_t k = seg_of(h, a);
        const hp_chunk *c = k >= 0 ? ucr_owner(h, (size_t)k, a) : NULL;
        if (!c)
            *bad = true;
        else
            more = walk_after(h, (size_t)k, c, true, e, bad);
    } else {
        ssize_t k = seg_of(h, a - HP_UNIT);
        hp_chunk *c = (hp_chunk *)a - 1;
        if (k >= 0) {
            if ((a & (HP_UNIT - 1)) || !hdr_ok(h, c) || (c->flags & ~(HP_BUSY | HP_DECOMMITTED)))
                *bad = true;
            else
                more = walk_after(h, (size_t)k, c, false, e, bad);
        } else {
            hp_large *l = large_of(h, (void *)a);
            if (!l)
                *bad = true;
            else
                more = walk_large(h, l->next, e);
        }
    }
    hp_leave(h, locked);
    return more;
}
