/* Boundary crossings and Syscall User Dispatch: foreign code is machine code copied into an
 * anonymous executable mapping (outside every ELF object, so the runtime treats it as foreign),
 * called through thk_call_foreign. Covers: the selector value on each side of a thunk, stack
 * argument copying for >4 and variadic arguments, nested native->foreign->native crossings,
 * a trapped `syscall` dispatched into the NT table (unknown number, NtClose of a bad handle,
 * the 5th+ arguments read from the foreign stack), a native syscall made with the selector
 * left at BLOCK being forwarded, and rt_safe_copy's fault fix-up. */
#include <criterion/criterion.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>
#include "ntemu/ntemu.h"
#include "thunks/thunks.h"
#include "foreign_code.h"

static uint8_t seen_selector;
static uint64_t seen_args[7];

static uint64_t WINAPI test_add7(uint64_t a, uint64_t b, uint64_t c, uint64_t d, uint64_t e,
                                 uint64_t f, uint64_t g)
{
    seen_selector = rt_current_thread()->selector;
    uint64_t v[7] = {a, b, c, d, e, f, g};
    memcpy(seen_args, v, sizeof v);
    return a + b + c + d + e + f + g;
}
THK_EXPORT_AS(ntruntest, Add7, test_add7, 7);

static int WINAPI test_sum_var(int n, ...)
{
    __builtin_ms_va_list ap;
    __builtin_ms_va_start(ap, n);
    int s = 0;
    for (int i = 0; i < n; i++)
        s += __builtin_va_arg(ap, int);
    __builtin_ms_va_end(ap);
    seen_selector = rt_current_thread()->selector;
    return s;
}
THK_EXPORT_AS(ntruntest, SumVar, test_sum_var, THK_VARIADIC);

static const void *callback_target;
static uint64_t WINAPI test_call_back(uint64_t x)
{
    /* native, called from foreign: call foreign again (nested) */
    uint8_t before = rt_current_thread()->selector;
    uint64_t r = thk_call_foreign1(callback_target, x);
    uint8_t after = rt_current_thread()->selector;
    return r * 10 + (before == RT_SEL_ALLOW) + (after == RT_SEL_ALLOW);
}
THK_EXPORT_AS(ntruntest, CallBack, test_call_back, 1);

/* Foreign code that reads the selector into eax and returns: movzx eax, byte gs:[0x1900]; ret */
static void *emit_read_selector(void)
{
    uint8_t b[] = {0x65, 0x0f, 0xb6, 0x04, 0x25, 0x00, 0x19, 0x00, 0x00, 0xc3};
    return emit(b, sizeof b);
}

/* Foreign code calling `target` with its own 4 register args and 3 stack args (5, 6, 7):
 *   sub rsp, 0x48; mov qword [rsp+0x20], 5; mov qword [rsp+0x28], 6; mov qword [rsp+0x30], 7;
 *   mov rax, imm64; call rax; add rsp, 0x48; ret */
static void *emit_call7(void *target)
{
    uint8_t b[64];
    size_t n = 0;
    const uint8_t pre[] = {0x48, 0x83, 0xec, 0x48,
                           0x48, 0xc7, 0x44, 0x24, 0x20, 5, 0, 0, 0,
                           0x48, 0xc7, 0x44, 0x24, 0x28, 6, 0, 0, 0,
                           0x48, 0xc7, 0x44, 0x24, 0x30, 7, 0, 0, 0,
                           0x48, 0xb8};
    memcpy(b, pre, sizeof pre);
    n = sizeof pre;
    memcpy(b + n, &target, 8);
    n += 8;
    const uint8_t post[] = {0xff, 0xd0, 0x48, 0x83, 0xc4, 0x48, 0xc3};
    memcpy(b + n, post, sizeof post);
    n += sizeof post;
    return emit(b, n);
}

/* Foreign: return rcx * 3  (lea rax, [rcx+rcx*2]; ret) */
static void *emit_times3(void)
{
    uint8_t b[] = {0x48, 0x8d, 0x04, 0x49, 0xc3};
    return emit(b, sizeof b);
}

/* Foreign: tail-call `target` with rcx unchanged: sub rsp,0x28; mov rax, imm64; call rax;
 * add rsp,0x28; ret */
static void *emit_call1(void *target)
{
    uint8_t b[32] = {0x48, 0x83, 0xec, 0x28, 0x48, 0xb8};
    memcpy(b + 6, &target, 8);
    const uint8_t post[] = {0xff, 0xd0, 0x48, 0x83, 0xc4, 0x28, 0xc3};
    memcpy(b + 14, post, sizeof post);
    return emit(b, 14 + sizeof post);
}

static void setup(void)
{
    cr_assert_eq(rt_process_init(), 0);
    cr_assert_eq(nt_syscalls_init(10), 0);
    cr_assert_eq(thk_init(), 0);
    cr_assert_eq(rt_thread_init_current(), 0);
    foreign_code_open();
}

static void teardown(void)
{
    foreign_code_close();
    rt_thread_fini_current();
}

TestSuite(crossing, .init = setup, .fini = teardown);

Test(crossing, foreign_code_runs_with_selector_block)
{
    void *f = emit_read_selector();
    uint64_t sel = thk_call_foreign0(f);
    cr_assert_eq(sel, RT_SEL_BLOCK, "selector in foreign code: %lu", (unsigned long)sel);
    cr_assert_eq(rt_current_thread()->selector, RT_SEL_ALLOW, "restored after the call");
}

Test(crossing, thunk_with_stack_args_copies_them_and_allows)
{
    void *thunk = thk_resolve("NTRUNTEST.DLL", "Add7");
    cr_assert_not_null(thunk);
    cr_assert_neq(thunk, (void *)test_add7, "imports must go through a thunk");
    void *f = emit_call7(thunk);
    uint64_t r = thk_call_foreign4(f, 1, 2, 3, 4);
    cr_assert_eq(r, 28, "sum %lu", (unsigned long)r);
    for (int i = 0; i < 7; i++)
        cr_assert_eq(seen_args[i], (uint64_t)i + 1, "arg %d = %lu", i, (unsigned long)seen_args[i]);
    cr_assert_eq(seen_selector, RT_SEL_ALLOW, "selector in native code: %d", seen_selector);
    cr_assert_eq(rt_current_thread()->selector, RT_SEL_ALLOW);
}

Test(crossing, variadic_thunk_passes_stack_varargs)
{
    void *thunk = thk_resolve("ntruntest", "SumVar");
    cr_assert_not_null(thunk);
    /* n = 6 in rcx; 1..3 in rdx/r8/r9; 4, 5, 6 (as 5,6,7 slots from emit_call7 -> use sums) */
    void *f = emit_call7(thunk);
    uint64_t r = thk_call_foreign4(f, 6, 10, 20, 30);
    cr_assert_eq((int)r, 10 + 20 + 30 + 5 + 6 + 7, "sum %d", (int)r);
    cr_assert_eq(seen_selector, RT_SEL_ALLOW);
}

Test(crossing, nested_native_foreign_native_restores_each_level)
{
    callback_target = emit_times3();
    void *thunk = thk_resolve("ntruntest.dll", "CallBack");
    void *f = emit_call1(thunk);
    uint64_t r = thk_call_foreign1(f, 7);
    /* 7*3 = 21, then *10 + 2 (ALLOW before and after the inner foreign call) */
    cr_assert_eq(r, 212, "got %lu", (unsigned long)r);
    cr_assert_eq(rt_current_thread()->selector, RT_SEL_ALLOW);
}

Test(crossing, trapped_unknown_number_returns_invalid_system_service)
{
    if (!rt_proc.sud_available)
        cr_skip_test("Syscall User Dispatch is not available on this kernel");
    void *stub = emit_nt_stub(0x0fff);
    uint64_t before = rt_current_thread()->nt_calls_trap;
    uint32_t st = (uint32_t)thk_call_foreign0(stub);
    cr_assert_eq(st, (uint32_t)STATUS_INVALID_SYSTEM_SERVICE, "status %#x", st);
    cr_assert_eq(rt_current_thread()->nt_calls_trap, before + 1);
}

Test(crossing, trapped_ntclose_of_bad_handle_returns_invalid_handle)
{
    if (!rt_proc.sud_available)
        cr_skip_test("Syscall User Dispatch is not available on this kernel");
    void *stub = emit_nt_stub((uint32_t)nt_syscall_number("NtClose"));
    uint32_t st = (uint32_t)thk_call_foreign1(stub, 0x12345678);
    cr_assert_eq(st, (uint32_t)STATUS_INVALID_HANDLE, "status %#x", st);
}

Test(crossing, trapped_call_reads_stack_arguments)
{
    if (!rt_proc.sud_available)
        cr_skip_test("Syscall User Dispatch is not available on this kernel");
    /* NtAllocateVirtualMemory(process, &base, 0, &size, MEM_COMMIT|MEM_RESERVE, PAGE_READWRITE):
     * arguments 5 and 6 come from the foreign stack. */
    void *stub = emit_nt_stub((uint32_t)nt_syscall_number("NtAllocateVirtualMemory"));
    void *base = NULL;
    SIZE_T size = 0x3000;
    uint64_t args[6] = {(uint64_t)(intptr_t)-1, (uint64_t)&base, 0, (uint64_t)&size,
                        MEM_COMMIT | MEM_RESERVE, PAGE_READWRITE};
    uint32_t st = (uint32_t)thk_call_foreign(stub, 6, args);
    cr_assert_eq(st, 0, "status %#x", st);
    cr_assert_not_null(base);
    cr_assert_geq(size, 0x3000, "size %#lx", (unsigned long)size);
    memset(base, 0xab, 0x3000); /* committed read-write */
    void *b2 = base;
    SIZE_T s2 = 0;
    cr_assert_eq(NtFreeVirtualMemory((HANDLE)(intptr_t)-1, &b2, &s2, MEM_RELEASE), 0);
}

Test(crossing, native_syscall_with_selector_block_is_forwarded)
{
    if (!rt_proc.sud_available)
        cr_skip_test("Syscall User Dispatch is not available on this kernel");
    pid_t expect = getpid();
    rt_current_thread()->selector = RT_SEL_BLOCK;
    pid_t got = (pid_t)syscall(SYS_getpid); /* libc's syscall: outside the bypass range */
    rt_current_thread()->selector = RT_SEL_ALLOW;
    cr_assert_eq(got, expect, "pid %d, expected %d", got, expect);
}

Test(crossing, safe_copy_reports_fault_instead_of_crashing)
{
    char buf[8];
    cr_assert_eq(rt_safe_copy(buf, (void *)8, sizeof buf), -14);
    cr_assert_eq(rt_safe_copy(buf, "abcdefg", 8), 0);
    cr_assert_str_eq(buf, "abcdefg");
}

Test(crossing, builtin_module_is_a_pe_image_with_exports)
{
    uint8_t *mod = thk_builtin_module("ntruntest.dll");
    cr_assert_not_null(mod);
    cr_assert(mod[0] == 'M' && mod[1] == 'Z');
    uint32_t lfanew;
    memcpy(&lfanew, mod + 0x3c, 4);
    cr_assert_eq(memcmp(mod + lfanew, "PE\0\0", 4), 0);
    cr_assert_eq(thk_builtin_proc(mod, "Add7"), thk_resolve("ntruntest.dll", "Add7"));
    cr_assert_null(thk_resolve("ntruntest.dll", "NoSuchExport"));
    cr_assert(!thk_is_builtin_dll("nosuch.dll"));
}
