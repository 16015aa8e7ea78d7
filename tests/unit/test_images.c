/* The built-in DLLs' images laid out at build time (thunks/images.h, tools/thk_mkimages.c):
 * every built-in module's image made from its template is the image the run-time builder
 * makes from the tables, byte for byte but for the image's own address, with the same export
 * slots (names, ordinals, implementations, kinds); ntdll's for both Windows numberings, with
 * its system-call stubs and fast routes; the template is what is in use, and a lookup by name
 * finds each named slot and no other name. */
#include <criterion/criterion.h>
#include <string.h>
#include "ntemu/ntemu.h"
#include "runtime/runtime.h"
#include "thunks/dlldata.h"
#include "thunks/images.h"
#include "thunks/thunks.h"

Test(images, every_module_from_its_template_equals_the_built_image)
{
    cr_assert_eq(rt_process_init(), 0);
    int checked = 0;
    for (int i = 0; i < THK_GEN_NDLLS; i++) {
        if (thk_gen_dlls[i].kind != THK_GEN_MODULE)
            continue;
        const char *name = thk_gen_strings + thk_gen_dlls[i].name;
        if (strcmp(name, "ntdll.dll") == 0 && rt_proc.trap == RT_TRAP_NONE)
            continue; /* no template without its system-call stubs */
        char why[200];
        int r = thk_image_verify(name, why, sizeof why);
        cr_expect_eq(r, 0, "%s: %d (%s)", name, r, why);
        checked++;
    }
    cr_assert_gt(checked, 60, "%d modules", checked);
}

static void check_ntdll(int build)
{
    cr_assert_eq(rt_process_init(), 0);
    if (!rt_proc.sud_available)
        cr_skip_test("needs Syscall User Dispatch: without it ntdll has no system-call stubs");
    cr_assert_eq(nt_syscalls_init(build), 0);
    cr_assert_eq(thk_init(), 0);
    char why[200];
    int r = thk_image_verify("ntdll.dll", why, sizeof why);
    cr_assert_eq(r, 0, "ntdll for Windows %d: %d (%s)", build, r, why);
}

Test(images, ntdll_windows10_from_its_template_equals_the_built_image) { check_ntdll(10); }
Test(images, ntdll_windows11_from_its_template_equals_the_built_image) { check_ntdll(11); }
