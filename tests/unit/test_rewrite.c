/* Rewriting of trapped `syscall` sites (runtime/rewrite.c): foreign code is machine code in an
 * anonymous executable mapping (foreign to the runtime), called through thk_call_foreign.
 * Covers: a stub `mov r10, rcx; mov eax, N; syscall; ret` is rewritten after its first trap
 * (its mov becomes a jmp, later calls are counted as rewritten and give the same results), a
 * site whose preceding instruction is too short stays on the trap path (counted as kept), a
 * disabled rewriter leaves sites alone, and a reset forgets every site. Windows 10/11's stub
 * (`... test byte [0x7ffe0308], 1; jne +3; syscall; ret; int 2e; ret`) takes its `int 2e`
 * route (the runtime sets KUSER_SHARED_DATA.SystemCall) and is rewritten after that trap; a
 * near miss (`jne +4` over a `nop` to the int 2e) and a lone `int 2e` are kept. A stub (a `ret`
 * right after its `syscall`) is rewritten into a jump to what the stub finder names (the code an
 * import of ntdll's export reaches), a site with anything between its `syscall` and `ret` is
 * not (it keeps the generic route, which keeps the registers a `syscall` keeps). */
#include <criterion/criterion.h>
#include <string.h>
#include <sys/mman.h>
#include "ntemu/ntemu.h"
#include "runtime/kuser.h"
#include "runtime/rewrite.h"
#include "thunks/thunks.h"
#include "foreign_code.h"

/* mov r10, rcx; mov eax, ecx... no: xor eax, eax; add eax, number (5 bytes, but after a 2-byte
 * xor with no mov r10, rcx right before it and no unwind data: the boundary is unknown) */
static uint8_t *emit_unprovable(uint32_t number)
{
    uint8_t b[] = {0x4c, 0x8b, 0xd1, 0x31, 0xc0, 0x05, 0, 0, 0, 0, 0x0f, 0x05, 0xc3};
    memcpy(b + 6, &number, 4);
    return emit(b, sizeof b);
}

/* Windows 10/11's ntdll stub, byte for byte (jne_disp 3). With jne_disp 4 and a nop before the
 * int 2e: a near miss of that shape, which must stay on the trap path. */
static uint8_t *emit_win_stub(uint32_t number, uint8_t jne_disp)
{
    uint8_t b[] = {0x4c, 0x8b, 0xd1, 0xb8, 0, 0, 0, 0, 0xf6, 0x04, 0x25, 0x08, 0x03, 0xfe,
                   0x7f, 0x01, 0x75, jne_disp, 0x0f, 0x05, 0xc3, 0x90, 0xcd, 0x2e, 0xc3};
    memcpy(b + 4, &number, 4);
    if (jne_disp == 3) /* no nop: the int 2e right after syscall; ret */
        memmove(b + 21, b + 22, 3);
    return emit(b, jne_disp == 3 ? sizeof b - 1 : sizeof b);
}

/* KUSER_SHARED_DATA.SystemCall = 1, as building ntrun's ntdll sets it: the Windows stub's jne
 * to its `int 2e` is taken. */
static void kuser_system_call_set(void)
{
    KUSER_SHARED_DATA *ku = rt_kuser_rw();
    if (!ku)
        cr_skip_test("KUSER_SHARED_DATA is not mapped");
    ku->SystemCall = 1;
}

static void setup(void)
{
    cr_assert_eq(rt_process_init(), 0);
    cr_assert_eq(nt_syscalls_init(10), 0);
    cr_assert_eq(thk_init(), 0);
    cr_assert_eq(rt_thread_init_current(), 0);
    foreign_code_open();
    rt_rewrite_reset();
    rt_rewrite_enable(true);
    nt_stats_reset();
}

static void teardown(void)
{
    rt_rewrite_reset();
    foreign_code_close();
    rt_thread_fini_current();
}

TestSuite(rewrite, .init = setup, .fini = teardown);

/* One case: the sites called in turn, `rounds` times (NtQuerySystemTime: each call gives status
 * 0 and a time), then the traps all those calls took and, unless stats is false, the sites the
 * rewriter counted as rewritten and as kept. */
typedef struct {
    uint8_t *sites[2]; /* the second may be NULL */
    int rounds;
    uint64_t traps;
    bool stats;
    uint64_t rewritten, kept;
} site_case;

static void run_sites(const site_case *c)
{
    uint64_t traps0 = rt_current_thread()->nt_calls_trap;
    for (int i = 0; i < c->rounds; i++)
        for (int k = 0; k < 2 && c->sites[k]; k++) {
            int64_t t = 0;
            uint32_t st = (uint32_t)thk_call_foreign1(c->sites[k], (uint64_t)(uintptr_t)&t);
            cr_assert_eq(st, 0, "site %d, call %d: status %#x", k, i, st);
            cr_assert_gt(t, 0, "site %d, call %d: time %lld", k, i, (long long)t);
        }
    uint64_t traps = rt_current_thread()->nt_calls_trap - traps0;
    cr_assert_eq(traps, c->traps, "traps: %lu, expected %lu", (unsigned long)traps,
                 (unsigned long)c->traps);
    if (!c->stats)
        return;
    uint64_t rw, kept;
    rt_rewrite_stats(&rw, &kept);
    cr_assert_eq(rw, c->rewritten, "sites rewritten: %lu", (unsigned long)rw);
    cr_assert_eq(kept, c->kept, "sites kept: %lu", (unsigned long)kept);
}

/* A site rewritten after its first trap (run_sites: 5 calls, 1 trap, 1 site rewritten): its
 * `mov eax, N` at 3 became a jmp, the trapping instruction at trap_at (its first byte trap_op)
 * stays, the 4 calls after the trap were counted as rewritten, and a bad pointer through the
 * rewritten site gets the NT call's own answer, no crash. */
static void expect_rewritten(uint8_t *stub, int trap_at, uint8_t trap_op)
{
    cr_assert_eq(stub[3], 0xe9, "the mov became a jmp: %#x", stub[3]);
    cr_assert_eq(stub[trap_at], trap_op, "the trapping instruction at %d stays: %#x", trap_at,
                 stub[trap_at]);
    cr_assert_eq(nt_stats_rewritten_calls(), 4, "rewritten calls: %lu",
                 (unsigned long)nt_stats_rewritten_calls());
    uint32_t st = (uint32_t)thk_call_foreign1(stub, 16);
    cr_assert_eq(st, (uint32_t)STATUS_ACCESS_VIOLATION, "status %#x", st);
}

static uint32_t systime_number(void)
{
    return (uint32_t)nt_syscall_number("NtQuerySystemTime");
}

Test(rewrite, stub_is_rewritten_after_first_trap_and_keeps_results)
{
    if (!rt_proc.sud_available)
        cr_skip_test("Syscall User Dispatch is not available on this kernel");
    uint8_t *stub = emit_nt_stub(systime_number());
    run_sites(&(site_case){{stub}, 5, 1, true, 1, 0});
    expect_rewritten(stub, 8, 0x0f);
}

Test(rewrite, unprovable_boundary_keeps_trapping)
{
    if (!rt_proc.sud_available)
        cr_skip_test("Syscall User Dispatch is not available on this kernel");
    uint8_t *stub = emit_unprovable(systime_number());
    /* every call traps; the site is kept once, not once per trap */
    run_sites(&(site_case){{stub}, 3, 3, true, 0, 1});
    cr_assert_eq(stub[5], 0x05, "the add is left as it was");
}

Test(rewrite, disabled_rewriter_leaves_the_site_alone)
{
    if (!rt_proc.sud_available)
        cr_skip_test("Syscall User Dispatch is not available on this kernel");
    rt_rewrite_enable(false);
    uint8_t *stub = emit_nt_stub(systime_number());
    run_sites(&(site_case){{stub}, 3, 3, false});
    cr_assert_eq(stub[3], 0xb8, "mov eax untouched: %#x", stub[3]);
    rt_rewrite_enable(true);
}

Test(rewrite, reset_forgets_sites)
{
    if (!rt_proc.sud_available)
        cr_skip_test("Syscall User Dispatch is not available on this kernel");
    uint8_t *stub = emit_nt_stub(systime_number());
    run_sites(&(site_case){{stub}, 1, 1, true, 1, 0});
    rt_rewrite_reset();
    uint64_t rw, kept;
    rt_rewrite_stats(&rw, &kept);
    cr_assert_eq(rw + kept, 0, "after a reset: %lu + %lu", (unsigned long)rw, (unsigned long)kept);
}

Test(rewrite, windows_stub_int2e_route_is_rewritten_after_first_trap)
{
    kuser_system_call_set();
    uint8_t *stub = emit_win_stub(systime_number(), 3);
    cr_assert_eq(stub[21], 0xcd, "the int 2e at offset 21: %#x", stub[21]);
    /* one int 2e trap, then no signal */
    run_sites(&(site_case){{stub}, 5, 1, true, 1, 0});
    expect_rewritten(stub, 21, 0xcd);
}

Test(rewrite, int2e_near_miss_and_lone_int2e_keep_trapping)
{
    kuser_system_call_set();
    uint32_t n = systime_number();
    uint8_t *near = emit_win_stub(n, 4);
    uint8_t lone_b[] = {0x4c, 0x8b, 0xd1, 0xb8, 0, 0, 0, 0, 0xcd, 0x2e, 0xc3};
    memcpy(lone_b + 4, &n, 4);
    uint8_t *lone = emit(lone_b, sizeof lone_b);
    /* every call traps; each site is kept once */
    run_sites(&(site_case){{near, lone}, 3, 6, true, 0, 2});
    cr_assert_eq(near[3], 0xb8, "near miss: mov eax untouched: %#x", near[3]);
    cr_assert_eq(lone[3], 0xb8, "lone int 2e: mov eax untouched: %#x", lone[3]);
}

/* The stub finder of the test: foreign code `mov eax, 0x600d; ret` stands for the import's. */
static uint8_t *fake_import;
static uint32_t fake_asked = 0xffffffffu;
static const void *fake_finder(uint32_t number)
{
    fake_asked = number;
    return fake_import;
}

Test(rewrite, stub_goes_to_the_import_code_a_site_not_followed_by_ret_does_not)
{
    if (!rt_proc.sud_available)
        cr_skip_test("Syscall User Dispatch is not available on this kernel");
    static const uint8_t import_code[] = {0xb8, 0x0d, 0x60, 0, 0, 0xc3};
    fake_import = emit(import_code, sizeof import_code);
    rt_rewrite_set_stub_finder(fake_finder);
    uint32_t n = systime_number();
    uint8_t *stub = emit_nt_stub(n);
    /* mov r10, rcx; mov eax, N; syscall; nop; ret: something after the syscall */
    uint8_t b[] = {0x4c, 0x8b, 0xd1, 0xb8, 0, 0, 0, 0, 0x0f, 0x05, 0x90, 0xc3};
    memcpy(b + 4, &n, 4);
    uint8_t *near = emit(b, sizeof b);
    for (int i = 0; i < 3; i++) {
        int64_t t = 0;
        uint32_t st = (uint32_t)thk_call_foreign1(stub, (uint64_t)(uintptr_t)&t);
        /* the first call traps (the NT call itself), the later ones go to the "import" */
        cr_assert_eq(st, i ? 0x600du : 0u, "stub, call %d: status %#x", i, st);
        t = 0;
        st = (uint32_t)thk_call_foreign1(near, (uint64_t)(uintptr_t)&t);
        cr_assert_eq(st, 0, "near miss, call %d: status %#x", i, st);
        cr_assert_gt(t, 0, "near miss, call %d: time %lld", i, (long long)t);
    }
    rt_rewrite_set_stub_finder(NULL);
    cr_assert_eq(fake_asked, n, "the finder was asked for %#x", fake_asked);
    cr_assert_eq(stub[3], 0xe9, "the stub's mov became a jmp: %#x", stub[3]);
    cr_assert_eq(near[3], 0xe9, "the near miss's mov became a jmp: %#x", near[3]);
    uint64_t rw, kept;
    rt_rewrite_stats(&rw, &kept);
    cr_assert_eq(rw, 2, "sites rewritten: %lu", (unsigned long)rw);
    cr_assert_eq(kept, 0, "sites kept: %lu", (unsigned long)kept);
    /* the near miss's two later calls took the generic route, counted as rewritten calls */
    cr_assert_eq(nt_stats_rewritten_calls(), 2, "rewritten calls: %lu",
                 (unsigned long)nt_stats_rewritten_calls());
}
