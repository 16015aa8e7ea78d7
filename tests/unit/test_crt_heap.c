/* The CRT heap's bookkeeping of live blocks: crt_heap_reset (end of a libntrun run) gives back
 * every block the program left, blocks freed or moved by realloc before it are not freed twice,
 * and the heap works normally afterwards. Memory in use is read from glibc (mallinfo2). */
#include <criterion/criterion.h>
#include <malloc.h>
#include <string.h>
#include "thunks/msvcrt/crt.h"

static size_t in_use(void) { return mallinfo2().uordblks; }

/* Under AddressSanitizer glibc's mallinfo2 does not see the allocations (LeakSanitizer checks
 * the same thing there). */
#if defined(__SANITIZE_ADDRESS__)
#define SKIP_WITHOUT_GLIBC_MALLOC() cr_skip_test("mallinfo2 is not ASan's allocator")
#else
#define SKIP_WITHOUT_GLIBC_MALLOC() ((void)0)
#endif

Test(crt_heap, reset_with_leaked_blocks_frees_them)
{
    SKIP_WITHOUT_GLIBC_MALLOC();
    crt_heap_reset();
    size_t before = in_use();
    for (int i = 0; i < 100; i++) {
        char *p = crt_malloc(10000);
        cr_assert_not_null(p);
        memset(p, i, 10000);
    }
    size_t leaked = in_use();
    cr_assert_geq(leaked - before, 100 * 10000, "allocated %zu bytes", leaked - before);
    crt_heap_reset();
    size_t after = in_use();
    cr_assert_lt(after, before + 10000, "still in use after reset: %zu (before %zu)", after,
                 before);
}

Test(crt_heap, freed_and_reallocated_blocks_survive_reset_bookkeeping)
{
    SKIP_WITHOUT_GLIBC_MALLOC();
    crt_heap_reset();
    size_t before = in_use();
    char *a = crt_malloc(64), *b = crt_malloc(64), *c = crt_calloc(8, 8);
    cr_assert(a && b && c);
    crt_free(b);
    a = crt_realloc(a, 200000); /* moves: the list must follow the new address */
    cr_assert_not_null(a);
    c = crt_realloc(c, 0);      /* frees */
    cr_assert_null(c);
    crt_heap_reset();           /* frees a only; b and c are gone already */
    cr_assert_lt(in_use(), before + 10000, "in use %zu, before %zu", in_use(), before);
    char *d = crt_malloc(32);   /* the heap still works after a reset */
    cr_assert_not_null(d);
    strcpy(d, "after reset");
    d = crt_realloc(d, 64);
    cr_assert_str_eq(d, "after reset");
    crt_free(d);
}
