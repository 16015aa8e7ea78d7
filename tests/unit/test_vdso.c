/* The proof behind the NT time calls' direct vDSO call (runtime/vdso.c): rt_code_is_plain follows
 * every path of a piece of code and accepts it only when no instruction touches a vector, MMX or
 * x87 register, no branch or call is indirect and no path leaves the range; the vDSO's
 * clock_gettime of this host, when proven, reads the clock as glibc's does and leaves xmm6-15
 * as they were. */
#include <criterion/criterion.h>
#include <stdint.h>
#include <string.h>
#include <sys/auxv.h>
#include <time.h>
#include "runtime/runtime.h"
#include "../xmm6_15.h"

static bool plain(const uint8_t *code, size_t n)
{
    return rt_code_is_plain(code, code, code + n);
}

Test(vdso, code_of_general_registers_only_is_plain)
{
    static const uint8_t code[] = {
        0x31, 0xc0,             /* xor eax, eax */
        0x48, 0x85, 0xff,       /* test rdi, rdi */
        0x74, 0x05,             /* je +5 (the ret) */
        0xe8, 0x01, 0x00, 0x00, 0x00, /* call +1 (the inc) */
        0xc3,                   /* ret */
        0x48, 0xff, 0xc0,       /* inc rax */
        0x75, 0xfb,             /* jne -5 (back to the inc) */
        0xc3,                   /* ret */
    };
    cr_assert(plain(code, sizeof code));
}

Test(vdso, vector_register_on_a_branch_path_is_not_plain)
{
    static const uint8_t code[] = {
        0x48, 0x85, 0xff,       /* test rdi, rdi */
        0x74, 0x01,             /* je +1 */
        0xc3,                   /* ret */
        0x66, 0x0f, 0xef, 0xf6, /* pxor xmm6, xmm6 */
        0xc3,                   /* ret */
    };
    cr_assert_not(plain(code, sizeof code));
    /* the same path's ret alone (the pxor never reached) is plain */
    cr_assert(plain(code + 5, 1));
}

Test(vdso, indirect_branch_or_way_out_is_not_plain)
{
    static const uint8_t jmp_rax[] = {0xff, 0xe0};                     /* jmp rax */
    static const uint8_t call_rax[] = {0xff, 0xd0, 0xc3};              /* call rax; ret */
    static const uint8_t out[] = {0xe9, 0x00, 0x01, 0x00, 0x00};       /* jmp +0x100 */
    static const uint8_t fall_off[] = {0x90, 0x90};                    /* nop; nop; (end) */
    static const uint8_t x87[] = {0xd9, 0xe8, 0xc3};                   /* fld1; ret */
    static const uint8_t xsave[] = {0x0f, 0xae, 0x2f, 0xc3};           /* xrstor [rdi]; ret */
    cr_assert_not(plain(jmp_rax, sizeof jmp_rax));
    cr_assert_not(plain(call_rax, sizeof call_rax));
    cr_assert_not(plain(out, sizeof out));
    cr_assert_not(plain(fall_off, sizeof fall_off));
    cr_assert_not(plain(x87, sizeof x87));
    cr_assert_not(plain(xsave, sizeof xsave));
}

/* Calls fn(clk, ts) with xmm6-15 holding a pattern; returns how many of them changed. */
static int call_and_count_changed(void *fn, clockid_t clk, struct timespec *ts)
{
    uint64_t before[20], after[20];
    for (int i = 0; i < 20; i++)
        before[i] = 0x0123456789abcdefull * (uint64_t)(i + 1);
    __asm__ volatile(XMM6_15_LOAD
                     "lea -128(%%rsp), %%rsp\n\t" /* a call from here: past the red zone */
                     "push %%rbp\n\t"
                     "mov %%rsp, %%rbp\n\t"
                     "and $-16, %%rsp\n\t"
                     "call *%[fn]\n\t"
                     "mov %%rbp, %%rsp\n\t"
                     "pop %%rbp\n\t"
                     "lea 128(%%rsp), %%rsp\n\t"
                     XMM6_15_STORE
                     : "+D"(clk), "+S"(ts)
                     : [b] "r"(before), [a] "r"(after), [fn] "r"(fn)
                     : "rax", "rcx", "rdx", "r8", "r9", "r10", "r11", "memory", "cc",
                       XMM0_15_CLOBBERS);
    int changed = 0;
    for (int i = 0; i < 10; i++)
        changed += memcmp(&before[2 * i], &after[2 * i], 16) != 0;
    return changed;
}

Test(vdso, host_clock_gettime_when_proven_reads_the_clock_and_keeps_xmm6_15)
{
    if (!getauxval(AT_SYSINFO_EHDR))
        cr_skip_test("this process has no vDSO (vdso=0?)");
    void *fn = rt_vdso_clock_gettime_plain();
    cr_assert_eq(fn, rt_vdso_clock_gettime_plain(), "the answer is made once");
    if (!fn)
        cr_skip_test("this host's vDSO clock_gettime is not proven plain: the glibc route is used");
    struct timespec a, b, c;
    clock_gettime(CLOCK_REALTIME, &a);
    cr_assert_eq(call_and_count_changed(fn, CLOCK_REALTIME, &b), 0);
    clock_gettime(CLOCK_REALTIME, &c);
    int64_t na = a.tv_sec * 1000000000LL + a.tv_nsec, nb = b.tv_sec * 1000000000LL + b.tv_nsec,
            nc = c.tv_sec * 1000000000LL + c.tv_nsec;
    cr_assert(na <= nb && nb <= nc, "realtime %lld not between %lld and %lld", (long long)nb,
              (long long)na, (long long)nc);
    clock_gettime(CLOCK_MONOTONIC, &a);
    cr_assert_eq(call_and_count_changed(fn, CLOCK_MONOTONIC, &b), 0);
    clock_gettime(CLOCK_MONOTONIC, &c);
    na = a.tv_sec * 1000000000LL + a.tv_nsec, nb = b.tv_sec * 1000000000LL + b.tv_nsec,
    nc = c.tv_sec * 1000000000LL + c.tv_nsec;
    cr_assert(na <= nb && nb <= nc, "monotonic %lld not between %lld and %lld", (long long)nb,
              (long long)na, (long long)nc);
}
