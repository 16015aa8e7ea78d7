/* SPDX-License-Identifier: MIT */
/* The program's heaps (thunks/ntdll/heap.c): the allocator behind RtlAllocateHeap, kernel32's
 * Heap* and Local and Global functions and msvcrt/ucrtbase malloc. Blocks live in memory mapped
 * for the program (VirtualQuery: MEM_PRIVATE, committed), never in the runtime's glibc heap;
 * the bookkeeping a block overflow could reach is checked before use, so a corrupted heap ends
 * the program with STATUS_HEAP_CORRUPTION instead of corrupting ntrun. Large free chunks are
 * decommitted (MEM_RESERVE) until they are used again. Native (SysV) calls. */
#ifndef NTRUN_THUNKS_NTDLL_HEAP_H
#define NTRUN_THUNKS_NTDLL_HEAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define HP_NO_SERIALIZE 0x00000001u
#define HP_GROWABLE 0x00000002u
#define HP_GENERATE_EXCEPTIONS 0x00000004u
#define HP_ZERO_MEMORY 0x00000008u
#define HP_REALLOC_IN_PLACE_ONLY 0x00000010u
#define HP_CREATE_ENABLE_EXECUTE 0x00040000u

#define HP_STATUS_HEAP_CORRUPTION 0xC0000374u

typedef struct hp_heap hp_heap;

/* The process heap (created at first use, recorded in PEB->ProcessHeap). */
hp_heap *hp_process_heap(void);
/* The live heap a handle names, or NULL. */
hp_heap *hp_from_handle(const void *handle);
/* A new heap: max 0 is growable, else a fixed reservation of max bytes (blocks < ~1 MiB). */
hp_heap *hp_create(uint32_t flags, size_t initial, size_t max);
/* Frees the heap and all its blocks; false for the process heap. */
bool hp_destroy(hp_heap *h);

void *hp_alloc(hp_heap *h, uint32_t flags, size_t size);
/* 0; -EINVAL when p is not a live block of h (the caller decides: fail-fast or FALSE). */
int hp_free(hp_heap *h, uint32_t flags, void *p);
/* The moved or resized block, or NULL: *bad is set when p is not a live block of h. */
void *hp_realloc(hp_heap *h, uint32_t flags, void *p, size_t size, bool *bad);
/* The size asked for, or (size_t)-1 for a pointer that is not a live block of h. */
size_t hp_size(hp_heap *h, uint32_t flags, const void *p);
/* One block (p) or, with p NULL, every block and free list of the heap. */
bool hp_validate(hp_heap *h, uint32_t flags, const void *p);
/* Is p a live block of h? (No side effect, no message.) */
bool hp_owns(hp_heap *h, const void *p);

/* The flags the heap was created with (HEAP_NO_SERIALIZE, HEAP_GENERATE_EXCEPTIONS, ...). */
uint32_t hp_flags(const hp_heap *h);

void hp_lock(hp_heap *h);
void hp_unlock(hp_heap *h);

/* HeapWalk's PROCESS_HEAP_ENTRY (x64 layout). */
typedef struct hp_walk_entry {
    void *lpData;       /* 0x00 */
    uint32_t cbData;    /* 0x08 */
    uint8_t cbOverhead; /* 0x0c */
    uint8_t iRegionIndex; /* 0x0d */
    uint16_t wFlags;    /* 0x0e */
    union {
        struct {
            void *hMem;
            uint32_t dwReserved[3];
        } Block;
        struct {
            uint32_t dwCommittedSize;
            uint32_t dwUnCommittedSize;
            void *lpFirstBlock;
            void *lpLastBlock;
        } Region; /* 0x10 */
    };
} hp_walk_entry;
_Static_assert(sizeof(hp_walk_entry) == 0x28, "PROCESS_HEAP_ENTRY");
#define HP_ENTRY_REGION 0x0001
#define HP_ENTRY_UNCOMMITTED 0x0002 /* PROCESS_HEAP_UNCOMMITTED_RANGE */
#define HP_ENTRY_BUSY 0x0004
/* The entry after *e (e->lpData NULL: the first). false at the end or for an entry that is
 * not one of the heap's (*bad set then). */
bool hp_walk(hp_heap *h, hp_walk_entry *e, bool *bad);

/* HeapCompact: the largest committed free size of a chunk in h's segments (free chunks are
 * always coalesced, and large free ones decommitted, as they are freed). */
size_t hp_compact(hp_heap *h, uint32_t flags);
/* HeapSummary: the bytes of live blocks (as asked for), committed and reserved (mapped);
 * false when a header was found overwritten. */
bool hp_summary(hp_heap *h, uint32_t flags, size_t *allocated, size_t *committed,
                size_t *reserved);

/* Up to n live heaps into out (the process heap first); returns how many there are. */
size_t hp_heaps(void **out, size_t n);
/* Bytes the heap has mapped (segments and large blocks), for tests and statistics. */
size_t hp_mapped_bytes(hp_heap *h);

/* malloc and free of the C runtimes (msvcrt, ucrtbase) on the process heap, in their ABI: a
 * freed small block goes on a lookaside of its size and the next malloc of that size takes it
 * back (heap.c, "the C runtime's lookaside"). hp_crt_alloc: NULL when out of memory (the
 * caller sets errno). hp_crt_free: 0, or -EINVAL for a pointer that is not a live block. */
__attribute__((ms_abi)) void *hp_crt_alloc(size_t size);
__attribute__((ms_abi)) int hp_crt_free(void *p);

/* The program's heap is corrupt (a bad pointer given to free, a damaged header): the process
 * ends as Windows ends it, with STATUS_HEAP_CORRUPTION and no exit hooks. */
__attribute__((noreturn)) void hp_corruption(const void *p, const char *what);

/* libntrun teardown: every heap, the process heap included, is unmapped. */
void hp_reset_all(void);

#endif
