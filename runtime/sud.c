/* SPDX-License-Identifier: MIT */
/* Syscall User Dispatch: probing the kernel, finding the runtime's own text (the bypass range),
 * arming and disarming it per thread, and telling foreign from native code addresses. */
#include <dlfcn.h>
#include <stdlib.h>
#include <errno.h>
#include <link.h>
#include <stdio.h>
#include <sys/mman.h>
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

/* NTRUN_TEST_SUD_EINVAL=1 (tests only): behave as a kernel that refuses SUD; =inclusive: as a
 * kernel older than 6.17, which refuses only the inclusive mode. */
static bool rt_sud_refused_for_tests, rt_sud_inclusive_refused_for_tests;

static int rt_sud_prctl(unsigned long mode, uintptr_t start, uintptr_t len, volatile uint8_t *sel)
{
    if ((rt_sud_refused_for_tests && mode != PR_SYS_DISPATCH_OFF) ||
        (rt_sud_inclusive_refused_for_tests && mode == RT_PR_SYS_DISPATCH_INCLUSIVE_ON)) {
        errno = EINVAL;
        return -1;
    }
    return prctl(PR_SET_SYSCALL_USER_DISPATCH, mode, start, len, sel);
}

/* The ntrun command (rt_sud_presume): SUD is taken to be there until the first arm, whose prctl
 * is the probe; the probe's ON and OFF were two system calls of every start. A kernel that
 * refuses it gets the seccomp filter then (rt_sud_presumption_failed), as it would have at load. */
static bool rt_sud_presume_wanted, rt_sud_presumed;

void rt_sud_presume(void) { rt_sud_presume_wanted = true; }

static void rt_sud_probe_kernel(void)
{
    static volatile uint8_t probe_sel = RT_SEL_ALLOW;
    uintptr_t len = rt_proc.bypass_end - rt_proc.bypass_start;
    rt_sud_presumed = false;
    rt_proc.sud_available = false;
    if (rt_sud_prctl(PR_SYS_DISPATCH_ON, rt_proc.bypass_start, len, &probe_sel) == 0) {
        rt_proc.sud_available = true;
        rt_sud_prctl(PR_SYS_DISPATCH_OFF, 0, 0, NULL);
    }
    if (rt_proc.trap == RT_TRAP_SUD && !rt_proc.sud_available)
        rt_proc.trap = RT_TRAP_NONE;
}

/* A presumption becomes a probe before anything needs the answer for sure (an explicit mode). */
static void rt_sud_confirm(void)
{
    if (rt_sud_presumed)
        rt_sud_probe_kernel();
}

int rt_sud_presumption_failed(void)
{
    if (!rt_sud_presumed)
        return -EPERM;
    rt_sud_presumed = false;
    rt_proc.sud_available = false;
    rt_proc.trap = RT_TRAP_NONE;
    if (RT_TRACING(RT_TRACE_SUD))
        rt_trace("sud", "Syscall User Dispatch refused at the first thread's arming");
    return rt_trap_select(RT_TRAP_WANT_AUTO);
}

void rt_sud_probe(void)
{
    const char *refuse = getenv("NTRUN_TEST_SUD_EINVAL");
    rt_sud_inclusive_refused_for_tests = refuse && strcmp(refuse, "inclusive") == 0;
    rt_sud_refused_for_tests = refuse && *refuse && strcmp(refuse, "0") != 0 &&
                               !rt_sud_inclusive_refused_for_tests;
    rt_native_count = 0;
    rt_proc.trap = RT_TRAP_NONE;
    dl_iterate_phdr(rt_collect_phdr, (void *)(uintptr_t)rt_sud_probe);
    /* The signal-return trampoline must be inside the range (see rt_asm.S). */
    uintptr_t tramp = (uintptr_t)rt_sigreturn_trampoline;
    if (tramp < rt_proc.bypass_start || tramp + 16 > rt_proc.bypass_end) {
        rt_proc.sud_available = false;
        return;
    }
    if (rt_sud_presume_wanted && !RT_TRACING(RT_TRACE_SUD)) { /* the trace says what is true */
        rt_proc.sud_available = rt_sud_presumed = true;
    } else {
        rt_sud_probe_kernel();
    }
    if (rt_proc.sud_available)
        rt_proc.trap = RT_TRAP_SUD;
    if (RT_TRACING(RT_TRACE_SUD))
        rt_trace("sud", "bypass range %#lx-%#lx, available %d, inclusive mode %d",
                 (unsigned long)rt_proc.bypass_start, (unsigned long)rt_proc.bypass_end,
                 rt_proc.sud_available, rt_sud_inclusive_available());
}

/* ---- --sud=inclusive: one range for all foreign code ----
 * In inclusive mode (Linux >= 6.17) the range given to the prctl lists the addresses whose
 * system calls are dispatched: every foreign image, every executable allocation of the program
 * and the built-in DLL images (ntdll's Windows-shaped stubs hold `syscall`s) are placed inside
 * [RT_FOREIGN_START, RT_FOREIGN_END), and native code, wherever it is mapped, makes its system
 * calls without a look at the selector. The range is an address window, not a mapping: native
 * ELF objects are mapped high (PIE at 0x55..., libraries and the vDSO at 0x7f...), and the
 * selection refuses the mode when one of them is found inside it. Foreign memory placed "anywhere"
 * is carved from RT_FOREIGN_PLACE upwards (the low part stays for the images' preferred bases
 * and the program's chosen addresses, as on Windows). */
static uintptr_t rt_foreign_cursor = RT_FOREIGN_PLACE;

bool rt_foreign_confined(void) { return rt_proc.trap == RT_TRAP_SUD && rt_proc.sud_inclusive; }

bool rt_foreign_range_has(uintptr_t start, uintptr_t end)
{
    return !rt_foreign_confined() || (start >= RT_FOREIGN_START && end >= start && end <= RT_FOREIGN_END);
}

/* The kernel's choice (outside inclusive mode, when the range cannot be used). */
static void *rt_foreign_mmap_anywhere(size_t len, int prot, int flags, size_t align, int fd,
                                      off_t off)
{
    if (align <= 0x1000 || fd >= 0)
        return mmap(NULL, len, prot, flags, fd, off);
    size_t span = len + align;
    uint8_t *p = mmap(NULL, span, prot, flags, -1, 0);
    if (p == MAP_FAILED)
        return MAP_FAILED;
    uintptr_t a = ((uintptr_t)p + align - 1) & ~(uintptr_t)(align - 1);
    if (a > (uintptr_t)p)
        munmap(p, a - (uintptr_t)p);
    if ((uintptr_t)p + span > a + len)
        munmap((void *)(a + len), (uintptr_t)p + span - (a + len));
    return (void *)a;
}

/* Foreign memory "anywhere" is carved from RT_FOREIGN_PLACE upwards in every mode, not only
 * when confined: the kernel puts native mappings (libraries, thread stacks, malloc's arenas)
 * top-down from a random base near 0x7f..., so a process's foreign memory there would sit where
 * another process has its native mappings. Placed bottom-up in a range native mappings do not
 * reach, an address one process got (PostgreSQL's shared memory, a view at no address) is free
 * in a new child, whose own foreign memory so far (the built-in DLLs, what the loader placed
 * before the program ran) is the same start's and lies below it: the postmaster's VirtualAllocEx
 * MEM_RESERVE at its own view's address in a suspended child then succeeds, as on Windows, where
 * VirtualAlloc without an address goes bottom-up too (it once gave ERROR_INVALID_ADDRESS when
 * the child's libraries happened to lie there). */
static void *rt_foreign_map(size_t len, int prot, int flags, size_t align, int fd, off_t off)
{
    bool confined = rt_foreign_confined();
    /* 64 KiB steps at least (Windows' allocation granularity); a taken spot moves the cursor
     * on; once past the end it starts again at RT_FOREIGN_PLACE (freed space is reused then). */
    const uintptr_t gran = align > 0x10000 ? align : 0x10000;
    size_t step = (len + gran - 1) & ~(gran - 1);
    if (!step || step > RT_FOREIGN_END - RT_FOREIGN_PLACE) {
        if (!confined)
            return rt_foreign_mmap_anywhere(len, prot, flags, align, fd, off);
        errno = ENOMEM;
        return MAP_FAILED;
    }
    for (long tries = 0; tries < 1 << 16; tries++) {
        uintptr_t raw = __atomic_fetch_add(&rt_foreign_cursor, step, __ATOMIC_RELAXED);
        uintptr_t at = (raw + gran - 1) & ~(gran - 1);
        if (at < RT_FOREIGN_PLACE || at + step > RT_FOREIGN_END) {
            uintptr_t seen = raw + step; /* back to the start, unless another thread did */
            __atomic_compare_exchange_n(&rt_foreign_cursor, &seen, (uintptr_t)RT_FOREIGN_PLACE,
                                        false, __ATOMIC_RELAXED, __ATOMIC_RELAXED);
            continue;
        }
        void *p = mmap((void *)at, len, prot, flags | MAP_FIXED_NOREPLACE, fd, off);
        if (p == (void *)at)
            return p;
        if (p != MAP_FAILED) { /* a kernel without MAP_FIXED_NOREPLACE took it as a hint
                                  (not one that has inclusive mode) */
            munmap(p, len);
            if (!confined)
                break;
            continue;
        }
        if (errno != EEXIST)
            break;
    }
    if (!confined) /* the range is full or cannot be used: where the kernel likes */
        return rt_foreign_mmap_anywhere(len, prot, flags, align, fd, off);
    if (errno != EEXIST)
        return MAP_FAILED;
    errno = ENOMEM;
    return MAP_FAILED;
}

void *rt_foreign_mmap(size_t len, int prot, int flags, size_t align)
{
    return rt_foreign_map(len, prot, flags | MAP_PRIVATE | MAP_ANONYMOUS, align, -1, 0);
}

void *rt_foreign_mmap_file(size_t len, int prot, int flags, int fd, off_t off)
{
    return rt_foreign_map(len, prot, flags | MAP_PRIVATE, 0, fd, off);
}

/* The built-in DLLs' zone: [RT_BUILTIN_PLACE, RT_BUILTIN_END), inside the foreign range.
 * Placed at 0x200000000000 with the rest of the foreign memory, a start's three images (~400 KB)
 * cost a page-table page at three levels of their own; here they share the PUD and PMD pages
 * of a program at 0x140000000 (mingw-w64's and MSVC's executable base) and the PUD page of one
 * below 4 GiB. Not reused when freed (FreeLibrary of a built-in DLL is rare): once the zone is
 * full, or a slot is found taken (a program's own mapping, ASan's shadow gap), this and later
 * images go where other foreign memory goes. */
static uintptr_t rt_builtin_cursor = RT_BUILTIN_PLACE;

void *rt_builtin_mmap(size_t len, int prot, int flags, int fd, off_t off)
{
    flags |= MAP_PRIVATE | (fd < 0 ? MAP_ANONYMOUS : 0);
    size_t step = (len + 0xffff) & ~(size_t)0xffff;
    if (step && step <= RT_BUILTIN_END - RT_BUILTIN_PLACE) {
        uintptr_t at = __atomic_fetch_add(&rt_builtin_cursor, step, __ATOMIC_RELAXED);
        if (at <= RT_BUILTIN_END - step) { /* else full */
            void *p = mmap((void *)at, len, prot, flags | MAP_FIXED_NOREPLACE, fd, off);
            if (p == (void *)at)
                return p;
            if (p != MAP_FAILED) /* a kernel without MAP_FIXED_NOREPLACE took it as a hint */
                munmap(p, len);
            /* taken (a program's mapping; ASan's shadow gap holds the whole zone) or refused:
             * the zone is given up at once rather than tried slot by slot */
            __atomic_store_n(&rt_builtin_cursor, RT_BUILTIN_END, __ATOMIC_RELAXED);
        }
    }
    return rt_foreign_map(len, prot, flags, 0, fd, off);
}

bool rt_sud_inclusive_available(void)
{
    static int known; /* 0: not probed, 1: no, 2: yes */
    int k = __atomic_load_n(&known, __ATOMIC_ACQUIRE);
    if (k)
        return k == 2;
    rt_sud_confirm();
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

/* Why the foreign range cannot be used on this machine, or NULL. The probe leaves the calling
 * thread disarmed: it must not be armed (rt_trap_select disarms it first). */
static const char *rt_inclusive_refusal(char *buf, size_t size)
{
    if (!rt_sud_inclusive_available())
        return "this kernel has no inclusive mode of Syscall User Dispatch "
               "(PR_SYS_DISPATCH_INCLUSIVE_ON, Linux 6.17 or later)";
    for (int i = 0; i < rt_native_count; i++)
        if (rt_native[i].start < RT_FOREIGN_END && rt_native[i].end > RT_FOREIGN_START) {
            snprintf(buf, size, "native code at %#lx-%#lx lies inside the foreign range "
                     "%#lx-%#lx", (unsigned long)rt_native[i].start,
                     (unsigned long)rt_native[i].end, (unsigned long)RT_FOREIGN_START,
                     (unsigned long)RT_FOREIGN_END);
            return buf;
        }
    return NULL;
}

int rt_trap_select(rt_trap_want want)
{
    if (want != RT_TRAP_WANT_AUTO)
        rt_sud_confirm(); /* --sud=require/inclusive/seccomp: the answer now, as asked */
    rt_proc.sud_inclusive = false;
    if (want == RT_TRAP_WANT_INCLUSIVE && rt_proc.sud_available) {
        char buf[160];
        bool armed = rt_tls_teb && rt_thread_of(rt_tls_teb)->sud_armed;
        rt_sud_disarm_current(); /* re-armed below in the mode chosen */
        const char *why = rt_inclusive_refusal(buf, sizeof buf);
        if (why)
            rt_message("--sud=inclusive: %s; using the default mode (the runtime's text as "
                       "the bypass range)", why);
        rt_proc.sud_inclusive = !why;
        rt_proc.trap = RT_TRAP_SUD;
        if (armed)
            rt_sud_arm_current();
        if (RT_TRACING(RT_TRACE_SUD) && !why)
            rt_trace("sud", "inclusive mode: system calls from %#lx-%#lx are dispatched",
                     (unsigned long)RT_FOREIGN_START, (unsigned long)RT_FOREIGN_END);
        return 0;
    }
    if (want != RT_TRAP_WANT_SECCOMP && rt_proc.sud_available) {
        rt_proc.trap = RT_TRAP_SUD;
        if (rt_tls_teb && rt_thread_of(rt_tls_teb)->sud_armed)
            rt_sud_arm_current(); /* an earlier in-process run may have armed it inclusive */
        return 0;
    }
    if (want == RT_TRAP_WANT_INCLUSIVE)
        rt_message("--sud=inclusive: Syscall User Dispatch is not available; using the "
                   "default mode");
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
    /* Inclusive: the same selector, still flipped at every crossing (the runtime reads it to
     * tell which side a thread is on), but the kernel looks at it only for calls from the
     * foreign range, which are foreign code's and find it at BLOCK. */
    int r = rt_proc.sud_inclusive
                ? rt_sud_prctl(RT_PR_SYS_DISPATCH_INCLUSIVE_ON, RT_FOREIGN_START,
                               RT_FOREIGN_END - RT_FOREIGN_START, &t->selector)
                : rt_sud_prctl(PR_SYS_DISPATCH_ON, rt_proc.bypass_start,
                               rt_proc.bypass_end - rt_proc.bypass_start, &t->selector);
    if (r != 0)
        return false;
    rt_sud_presumed = false; /* confirmed */
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
