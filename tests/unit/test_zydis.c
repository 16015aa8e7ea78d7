/* Zydis is opened when first needed (runtime/zydis.c): after the runtime has initialised,
 * libZydis is not mapped; describing an instruction (what crash reports do) loads it and decodes
 * correctly, and a second call uses the same library. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>
#include "runtime/runtime.h"
#include "runtime/exception.h"

static bool zydis_mapped(void)
{
    FILE *f = fopen("/proc/self/maps", "r");
    cr_assert(f);
    char line[512];
    bool found = false;
    while (!found && fgets(line, sizeof line, f))
        found = strstr(line, "libZydis") != NULL;
    fclose(f);
    return found;
}

Test(zydis, loaded_on_first_use_only)
{
    cr_assert_eq(rt_process_init(), 0);
    cr_assert_not(zydis_mapped(), "libZydis is mapped before anything needed it");
    static const uint8_t code[] = {0xb8, 0x01, 0x00, 0x00, 0x00, /* mov eax, 1 */
                                   0x48, 0xf7, 0xf9};            /* idiv rcx */
    char buf[96];
    rt_describe_insn((uintptr_t)code, buf, sizeof buf);
    cr_assert_str_eq(buf, "mov eax, 0x01");
    cr_assert(zydis_mapped());
    rt_describe_insn((uintptr_t)code + 5, buf, sizeof buf);
    cr_assert_str_eq(buf, "idiv rcx");
}
