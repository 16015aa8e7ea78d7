/* SPDX-License-Identifier: MIT */
/* Syscall User Dispatch: probing the kernel, finding the runtime's own text (the bypass range),
 * arming and disarming it per thread, and telling foreign from native code addresses. */
#include <dlfcn.h>
#include <stdlib.h>
#include <errno.h>
#include <link.h>
#include <string.h>
#include <sys/prctl.h>
#include "runtime/runtime_private.h"
#include "runtime/zydis.h"

#ifndef PR_SET_SYSCALL_USER_DISPATCH
#define PR_SET_SYSCALL_USER_DISPATCH 59
#endif
#ifndef PR_SYS_DISPATCH_OFF
#define PR_SYS_DISPATCH_OFF 0
#endif
#ifndef PR_SYS_DISPATCH_ON
#define PR_SYS_DISPATCH_ON 1
#endif
/* Linux >= 6.17: the range lists the addresses whose system calls are dispatched; older
 * headers lack the constant, so it is probed at run time. */
#define RT_PR_SYS_DISPATCH_INCLUSIVE_ON 2

/* Executable segments of every ELF object mapped at start-up (the runtime, libc, ld.so, the
 * vDSO, ...): anything else that executes a `syscall` is foreign code. */
#define RT_MAX_NATIVE_RANGES 64
static struct { uintptr_t start, end; } rt_native[RT_MAX_NATIVE_RANGES];
static int rt_native_count;

static int rt_collect_phdr(struct dl_phdr_info *info, size_t size, void *data)
{
    uintptr_t self = (uintptr_t)data;
    for (int i = 0; i < info->dlpi_phnum; i++) {
        const ElfW(Phdr) *ph = &info->dlpi_phdr[i];
        if (ph->p_type != PT_LOAD || !(ph->p_flags & PF_X))
            continue;
        uintptr_t start = info->dlpi_addr + ph->p_vaddr;
        uintptr_t end = start + ph->p_memsz;
        if (self >= start && self < end) {
            rt_proc.bypass_start = start & ~(uintptr_t)0xfff;
            rt_proc.bypass_end = (end + 0xfff) & ~(uintptr_t)0xfff;
        }
        if (rt_native_count < RT_MAX_NATIVE_RANGES) {
            rt_native[rt_native_count].start = start;
            rt_native[rt_native_count].end = end;
            rt_native_count++;
        }
    }
    return 0;
}

/* Async-signal-safe: reads a table written once before any foreign code runs. */
bool rt_addr_is_foreign(uintptr_t addr)
{
    for (int i = 0; i < rt_native_count; i++)
        if (addr >= rt_native[i].start && addr < rt_native[i].end)
            return false;
    return true;
}

int rt_native_range_count(void) { return rt_native_count; }

void rt_native_range(int i, uintptr_t *start, uintptr_t *end)
{
    *start = rt_native[i].start;
    *end = rt_native[i].end;
}

/* NTRUN_TEST_SUD_EINVAL=1 (tests only): behave as a kernel that refuses SUD. */
static bool rt_sud_refused_for_tests;

static int rt_sud_prctl(unsigned long mode, uintptr_t start, uintptr_t len, volatile uint8_t *sel)
{
    if (rt_sud_refused_for_tests && mode != PR_SYS_DISPATCH_OFF) {
        errno = EINVAL;
        return -1;
    }
    return prctl(PR_SET_SYSCALL_USER_DISPATCH, mode, start, len, sel);
}

void rt_sud_probe(void)
{
    const char *refuse = getenv("NTRUN_TEST_SUD_EINVAL");
    rt_sud_refused_for_tests = refuse && *refuse && strcmp(refuse, "0") != 0;
    rt_native_count = 0;
    rt_proc.trap = RT_TRAP_NONE;
    dl_iterate_phdr(rt_collect_phdr, (void *)(uintptr_t)rt_sud_probe);
    /* The signal-return trampoline must be inside the range (see rt_asm.S). */
    uintptr_t tramp = (uintptr_t)rt_sigreturn_trampoline;
    if (tramp < rt_proc.bypass_start || tramp + 16 > rt_proc.bypass_end) {
        rt_proc.sud_available = false;
        return;
    }
    static volatile uint8_t probe_sel = RT_SEL_ALLOW;
    uintptr_t len = rt_proc.bypass_end - rt_proc.bypass_start;
    if (rt_sud_prctl(PR_SYS_DISPATCH_ON, rt_proc.bypass_start, len, &probe_sel) == 0) {
        rt_proc.sud_available = true;
        rt_sud_prctl(PR_SYS_DISPATCH_OFF, 0, 0, NULL);
    }
    if (rt_proc.sud_available)
        rt_proc.trap = RT_TRAP_SUD;
    if (RT_TRACING(RT_TRACE_SUD))
        rt_trace("sud", "bypass range %#lx-%#lx, available %d, inclusive mode %d",
                 (unsigned long)rt_proc.bypass_start, (unsigned long)rt_proc.bypass_end,
                 rt_proc.sud_available, rt_sud_inclusive_available());
}

bool rt_sud_inclusive_available(void)
{
    static int known; /* 0: not probed, 1: no, 2: yes */
    int k = __atomic_load_n(&known, __ATOMIC_ACQUIRE);
    if (k)
        return k == 2;
    static volatile uint8_t probe_sel = RT_SEL_ALLOW;
    uintptr_t len = rt_proc.bypass_end - rt_proc.bypass_start;
    /* probed on a thread that is not armed (it would disarm it): the caller's business */
    k = rt_proc.sud_available && len &&
        rt_sud_prctl(RT_PR_SYS_DISPATCH_INCLUSIVE_ON, rt_proc.bypass_start, len, &probe_sel) == 0
            ? 2 : 1;
    if (k == 2)
        rt_sud_prctl(PR_SYS_DISPATCH_OFF, 0, 0, NULL);
    __atomic_store_n(&known, k, __ATOMIC_RELEASE);
    return k == 2;
}

int rt_trap_select(rt_trap_want want)
{
    if (want != RT_TRAP_WANT_SECCOMP && rt_proc.sud_available) {
        rt_proc.trap = RT_TRAP_SUD;
        return 0;
    }
    if (want == RT_TRAP_WANT_SUD)
        return -ENOSYS;
    /* The filter lets system calls through by address, from the code mapped now: Zydis (and,
     * in a statically linked ntrun, the libc.so it brings) is opened first, so that decoding a
     * site later does not run code the filter takes for foreign. */
    rt_zydis();
    rt_native_count = 0;
    dl_iterate_phdr(rt_collect_phdr, (void *)(uintptr_t)rt_sud_probe);
    int r = rt_seccomp_install();
    if (r < 0)
        return r;
    rt_proc.trap = RT_TRAP_SECCOMP;
    /* The calling thread may already be armed (an earlier in-process run): with the filter in
     * place SUD is no longer wanted. */
    rt_sud_disarm_current();
    if (RT_TRACING(RT_TRACE_SUD))
        rt_trace("sud", "system calls of foreign code trapped by a seccomp filter (%d ranges)",
                 rt_native_count);
    return 0;
}

bool rt_sud_arm_current(void)
{
    TEB *teb = rt_tls_teb;
    if (!teb || rt_proc.trap != RT_TRAP_SUD)
        return false;
    rt_thread *t = rt_thread_of(teb);
    t->selector = RT_SEL_ALLOW;
    if (rt_sud_prctl(PR_SYS_DISPATCH_ON, rt_proc.bypass_start,
                     rt_proc.bypass_end - rt_proc.bypass_start, &t->selector) != 0)
        return false;
    t->sud_armed = 1;
    return true;
}

void rt_sud_disarm_current(void)
{
    TEB *teb = rt_tls_teb;
    if (!teb)
        return;
    rt_thread *t = rt_thread_of(teb);
    if (t->sud_armed)
        rt_sud_prctl(PR_SYS_DISPATCH_OFF, 0, 0, NULL);
    t->sud_armed = 0;
    t->selector = RT_SEL_ALLOW;
}
