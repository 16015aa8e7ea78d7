/* SPDX-License-Identifier: MIT */
/* tests/fuzz/asan_gap.c: an LD_PRELOAD helper for comparing mutation_check listings
 * (docs/design.md, "Why the sanitizer build refuses 56 more mutants"). Reserves ASan's x86-64
 * shadow gap [0x8fff7000, 0x2008fff7000) as ASan does, so that a Release ntrun meets the address
 * space of the sanitizer build (every image relocated). Not built by CMake:
 *   cc -shared -fPIC -o gap.so tests/fuzz/asan_gap.c */
#include <sys/mman.h>

__attribute__((constructor)) static void reserve_asan_gap(void)
{
    mmap((void *)0x8fff7000, 0x2008fff7000 - 0x8fff7000, PROT_NONE,
         MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE | MAP_FIXED_NOREPLACE, -1, 0);
}
