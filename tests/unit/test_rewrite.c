/* Rewriting of trapped `syscall` sites (runtime/rewrite.c): foreign code is machine code in an
 * anonymous executable mapping (foreign to the runtime), called through thk_call_foreign.
 * Covers: a stub `mov r10, rcx; mov eax, N; syscall; ret` is rewritten after its first trap
 * (its mov becomes a jmp, later calls are counted as rewritten and give the same results), a
 * site whose preceding instruction is too short stays on the trap path (counted as kept), a
 * disabled rewriter leaves sites alone, and a reset forgets every site. Windows 10/11's stub
 * (`... test byte [0x7ffe0308], 1; jne +3; syscall; ret; int 2e; ret`) takes its `int 2e`
 * route (the runtime sets KUSER_SHARED_DATA.SystemCall) and is rewritten after that trap; a
 * near miss (`jne +4` over a `nop` to the int 2e) and a lone `int 2e` are kept. */
#include <criterion/criterion.h>
#include <string.h>
#include <sys/mman.h>
#include "ntemu/ntemu.h"
#include "runtime/kuser.h"
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

Test(rewrite, stub_is_rewritten_after_first_trap_and_keeps_results)
{
    if (!rt_proc.sud_available)
        cr_skip_test("Syscall User Dispatch is not available on this kernel");
    uint8_t *stub = emit_nt_stub((uint32_t)nt_syscall_number("NtQuerySystemTime"));
    uint64_t traps0 = rt_current_thread()->nt_calls_trap;
    for (int i = 0; i < 5; i++) {
        int64_t t = 0;
        uint32_t st = (uint32_t)thk_call_foreign1(stub, (uint64_t)(uintptr_t)&t);
        cr_assert_eq(st, 0, "call %d: status %#x", i, st);
        cr_assert_gt(t, 0, "call %d: time %lld", i, (long long)t);
    }
    cr_assert_eq(rt_current_thread()->nt_calls_trap, traps0 + 1, "one trap, then no signal");
    cr_assert_eq(stub[3], 0xe9, "the mov became a jmp: %#x", stub[3]);
    cr_assert_eq(stub[8], 0x0f, "the syscall itself stays");
    uint64_t rw, kept;
    rt_rewrite_stats(&rw, &kept);
    cr_assert_eq(rw, 1, "sites rewritten: %lu", (unsigned long)rw);
    cr_assert_eq(kept, 0, "sites kept: %lu", (unsigned long)kept);
    cr_assert_eq(nt_stats_rewritten_calls(), 4, "rewritten calls: %lu",
                 (unsigned long)nt_stats_rewritten_calls());
    /* A bad pointer through the rewritten site: the NT call's own answer, no crash. */
    uint32_t st = (uint32_t)thk_call_foreign1(stub, 16);
    cr_assert_eq(st, (uint32_t)STATUS_ACCESS_VIOLATION, "status %#x", st);
}

Test(rewrite, unprovable_boundary_keeps_trapping)
{
    if (!rt_proc.sud_available)
        cr_skip_test("Syscall User Dispatch is not available on this kernel");
    uint8_t *stub = emit_unprovable((uint32_t)nt_syscall_number("NtQuerySystemTime"));
    uint64_t traps0 = rt_current_thread()->nt_calls_trap;
    for (int i = 0; i < 3; i++) {
        int64_t t = 0;
        cr_assert_eq((uint32_t)thk_call_foreign1(stub, (uint64_t)(uintptr_t)&t), 0);
        cr_assert_gt(t, 0);
    }
    cr_assert_eq(rt_current_thread()->nt_calls_trap, traps0 + 3, "every call traps");
    cr_assert_eq(stub[5], 0x05, "the add is left as it was");
    uint64_t rw, kept;
    rt_rewrite_stats(&rw, &kept);
    cr_assert_eq(rw, 0);
    cr_assert_eq(kept, 1, "kept once, not once per trap: %lu", (unsigned long)kept);
}

Test(rewrite, disabled_rewriter_leaves_the_site_alone)
{
    if (!rt_proc.sud_available)
        cr_skip_test("Syscall User Dispatch is not available on this kernel");
    rt_rewrite_enable(false);
    uint8_t *stub = emit_nt_stub((uint32_t)nt_syscall_number("NtQuerySystemTime"));
    uint64_t traps0 = rt_current_thread()->nt_calls_trap;
    int64_t t;
    for (int i = 0; i < 3; i++)
        cr_assert_eq((uint32_t)thk_call_foreign1(stub, (uint64_t)(uintptr_t)&t), 0);
    cr_assert_eq(rt_current_thread()->nt_calls_trap, traps0 + 3);
    cr_assert_eq(stub[3], 0xb8, "mov eax untouched: %#x", stub[3]);
    rt_rewrite_enable(true);
}

Test(rewrite, reset_forgets_sites)
{
    if (!rt_proc.sud_available)
        cr_skip_test("Syscall User Dispatch is not available on this kernel");
    uint8_t *stub = emit_nt_stub((uint32_t)nt_syscall_number("NtQuerySystemTime"));
    int64_t t;
    thk_call_foreign1(stub, (uint64_t)(uintptr_t)&t);
    uint64_t rw, kept;
    rt_rewrite_stats(&rw, &kept);
    cr_assert_eq(rw, 1);
    rt_rewrite_reset();
    rt_rewrite_stats(&rw, &kept);
    cr_assert_eq(rw + kept, 0, "after a reset: %lu + %lu", (unsigned long)rw, (unsigned long)kept);
}

Test(rewrite, windows_stub_int2e_route_is_rewritten_after_first_trap)
{
    kuser_system_call_set();
    uint8_t *stub = emit_win_stub((uint32_t)nt_syscall_number("NtQuerySystemTime"), 3);
    cr_assert_eq(stub[21], 0xcd, "the int 2e at offset 21: %#x", stub[21]);
    uint64_t traps0 = rt_current_thread()->nt_calls_trap;
    for (int i = 0; i < 5; i++) {
        int64_t t = 0;
        uint32_t st = (uint32_t)thk_call_foreign1(stub, (uint64_t)(uintptr_t)&t);
        cr_assert_eq(st, 0, "call %d: status %#x", i, st);
        cr_assert_gt(t, 0, "call %d: time %lld", i, (long long)t);
    }
    cr_assert_eq(rt_current_thread()->nt_calls_trap, traps0 + 1,
                 "one int 2e trap, then no signal: %lu traps",
                 (unsigned long)(rt_current_thread()->nt_calls_trap - traps0));
    cr_assert_eq(stub[3], 0xe9, "the mov became a jmp: %#x", stub[3]);
    cr_assert_eq(stub[21], 0xcd, "the int 2e itself stays: %#x", stub[21]);
    uint64_t rw, kept;
    rt_rewrite_stats(&rw, &kept);
    cr_assert_eq(rw, 1, "sites rewritten: %lu", (unsigned long)rw);
    cr_assert_eq(kept, 0, "sites kept: %lu", (unsigned long)kept);
    cr_assert_eq(nt_stats_rewritten_calls(), 4, "rewritten calls: %lu",
                 (unsigned long)nt_stats_rewritten_calls());
    uint32_t st = (uint32_t)thk_call_foreign1(stub, 16);
    cr_assert_eq(st, (uint32_t)STATUS_ACCESS_VIOLATION, "status %#x", st);
}

Test(rewrite, int2e_near_miss_and_lone_int2e_keep_trapping)
{
    kuser_system_call_set();
    uint32_t n = (uint32_t)nt_syscall_number("NtQuerySystemTime");
    uint8_t *near = emit_win_stub(n, 4);
    uint8_t lone_b[] = {0x4c, 0x8b, 0xd1, 0xb8, 0, 0, 0, 0, 0xcd, 0x2e, 0xc3};
    memcpy(lone_b + 4, &n, 4);
    uint8_t *lone = emit(lone_b, sizeof lone_b);
    uint64_t traps0 = rt_current_thread()->nt_calls_trap;
    for (int i = 0; i < 3; i++) {
        int64_t t = 0;
        cr_assert_eq((uint32_t)thk_call_foreign1(near, (uint64_t)(uintptr_t)&t), 0);
        cr_assert_gt(t, 0);
        t = 0;
        cr_assert_eq((uint32_t)thk_call_foreign1(lone, (uint64_t)(uintptr_t)&t), 0);
        cr_assert_gt(t, 0);
    }
    cr_assert_eq(rt_current_thread()->nt_calls_trap, traps0 + 6, "every call traps: %lu",
                 (unsigned long)(rt_current_thread()->nt_calls_trap - traps0));
    cr_assert_eq(near[3], 0xb8, "near miss: mov eax untouched: %#x", near[3]);
    cr_assert_eq(lone[3], 0xb8, "lone int 2e: mov eax untouched: %#x", lone[3]);
    uint64_t rw, kept;
    rt_rewrite_stats(&rw, &kept);
    cr_assert_eq(rw, 0, "sites rewritten: %lu", (unsigned long)rw);
    cr_assert_eq(kept, 2, "kept once each: %lu", (unsigned long)kept);
}
