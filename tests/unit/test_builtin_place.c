/* rt_builtin_mmap (runtime/sud.c): where the built-in DLLs' images go. Bottom-up from
 * RT_BUILTIN_PLACE in 64 KiB steps (every start, and the templates' generator, places the same
 * DLLs at the same addresses), inside --sud=inclusive's foreign range; a slot found taken gives
 * the zone up, and this image and the later ones go where other foreign memory goes. Each test
 * runs in a process of its own (Criterion's default), so the zone's cursor starts fresh. */
#include <criterion/criterion.h>
#include <stdint.h>
#include <sys/mman.h>
#include "runtime/runtime.h"

static bool in_zone(const void *p, size_t len)
{
    return (uintptr_t)p >= RT_BUILTIN_PLACE && (uintptr_t)p + len <= RT_BUILTIN_END;
}

Test(builtin_place, zone_lies_in_the_foreign_range_below_msvc_dll_base)
{
    cr_assert(RT_FOREIGN_START <= RT_BUILTIN_PLACE && RT_BUILTIN_END <= RT_FOREIGN_END,
              "zone %#lx-%#lx", RT_BUILTIN_PLACE, RT_BUILTIN_END);
    cr_assert(RT_BUILTIN_END <= 0x180000000ul, "end %#lx", RT_BUILTIN_END);
    cr_assert_eq(RT_BUILTIN_PLACE >> 30, 0x140000000ul >> 30, "not in 0x140000000's GiB");
}

Test(builtin_place, images_are_placed_bottom_up_in_64k_steps)
{
    uint8_t *a = rt_builtin_mmap(0x18000, PROT_READ, 0, -1, 0);
    uint8_t *b = rt_builtin_mmap(0x20000, PROT_READ | PROT_WRITE, 0, -1, 0);
    uint8_t *c = rt_builtin_mmap(0x1000, PROT_READ, 0, -1, 0);
    cr_assert_eq((uintptr_t)a, RT_BUILTIN_PLACE, "first at %p", (void *)a);
    cr_assert_eq(b, a + 0x20000, "second at %p", (void *)b);
    cr_assert_eq(c, b + 0x20000, "third at %p", (void *)c);
    b[0x1ffff] = 1; /* read-write as asked, and zero */
    cr_assert_eq(b[0], 0);
    munmap(a, 0x18000);
    munmap(b, 0x20000);
    munmap(c, 0x1000);
}

Test(builtin_place, a_taken_slot_gives_the_zone_up)
{
    void *block = mmap((void *)RT_BUILTIN_PLACE, 0x10000, PROT_NONE,
                       MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
    cr_assert_eq((uintptr_t)block, RT_BUILTIN_PLACE, "the test's own mapping at %p", block);
    uint8_t *a = rt_builtin_mmap(0x20000, PROT_READ | PROT_WRITE, 0, -1, 0);
    uint8_t *b = rt_builtin_mmap(0x20000, PROT_READ | PROT_WRITE, 0, -1, 0);
    cr_assert(a != MAP_FAILED && b != MAP_FAILED, "a %p b %p", (void *)a, (void *)b);
    cr_assert(!in_zone(a, 0x20000) && !in_zone(b, 0x20000), "a %p b %p", (void *)a, (void *)b);
    a[0] = b[0] = 1; /* usable */
    munmap(a, 0x20000);
    munmap(b, 0x20000);
    munmap(block, 0x10000);
}
