/* Signal handling: the SIGSYS handler that turns a foreign `syscall` into an NT call, and the
 * fault handlers (fix-ups for rt_safe_copy, crash reports for foreign faults, loud failure for
 * faults in ntrun itself).
 *
 * Every handler is installed with raw rt_sigaction and ntrun's own sa_restorer, which lies in
 * the SUD bypass range, and every handler sets the selector to ALLOW on entry and restores the
 * interrupted value on exit, so the handler's own system calls and the final rt_sigreturn are
 * never trapped. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <ucontext.h>
#include <unistd.h>
#include "runtime/zydis.h"
#include "runtime/runtime_private.h"
#include "runtime/exception.h"

#ifndef SYS_USER_DISPATCH
#define SYS_USER_DISPATCH 2
#endif

rt_nt_dispatch_fn rt_nt_dispatcher;

void rt_set_nt_dispatcher(rt_nt_dispatch_fn fn) { rt_nt_dispatcher = fn; }

struct rt_kernel_sigaction {
    void *handler;
    unsigned long flags;
    void *restorer;
    uint64_t mask;
};
#define RT_SA_RESTORER 0x04000000

/* The host's dispositions (an embedding program's, or the defaults): rt_old_actions[sig] is
 * the action sig had before ntrun first installed a handler for it since the last
 * rt_signals_restore (rt_host_saved[sig] says it is set). rt_ours[] is what ntrun installed,
 * so rt_signals_activate can install it again for the next run. */
static struct rt_kernel_sigaction rt_old_actions[65];
static volatile bool rt_host_saved[65];
static struct {
    void (*handler)(int, siginfo_t *, void *);
    int flags;
} rt_ours[65];

int rt_sigaction_raw(int sig, void (*handler)(int, siginfo_t *, void *), int flags,
                     struct sigaction *old_out)
{
    struct rt_kernel_sigaction act = {
        .handler = (void *)handler,
        .flags = (unsigned long)flags | SA_SIGINFO | RT_SA_RESTORER,
        .restorer = (void *)rt_sigreturn_trampoline,
        .mask = 0,
    };
    struct rt_kernel_sigaction old;
    long r = rt_raw_syscall6(SYS_rt_sigaction, sig, (long)&act, (long)&old, 8, 0, 0);
    if (r < 0)
        return (int)r;
    if (sig > 0 && sig < 65) {
        if (!rt_host_saved[sig]) {
            rt_old_actions[sig] = old;
            rt_host_saved[sig] = true;
        }
        if ((void *)handler != (void *)SIG_DFL) {
            rt_ours[sig].handler = handler;
            rt_ours[sig].flags = flags;
        }
    }
    (void)old_out;
    return 0;
}

void rt_signals_restore(void)
{
    for (int sig = 1; sig < 65; sig++) {
        if (!rt_host_saved[sig])
            continue;
        rt_raw_syscall6(SYS_rt_sigaction, sig, (long)&rt_old_actions[sig], 0, 8, 0, 0);
        rt_host_saved[sig] = false;
    }
}

int rt_signals_activate(void)
{
    for (int sig = 1; sig < 65; sig++) {
        if (!rt_ours[sig].handler)
            continue;
        int r = rt_sigaction_raw(sig, rt_ours[sig].handler, rt_ours[sig].flags, NULL);
        if (r < 0)
            return r;
    }
    return 0;
}

/* A signal on a thread ntrun does not run (no TEB: a host thread of an embedding program) goes
 * to the handler the host had installed before ntrun's, as if ntrun were not there. Default or
 * ignored: the default action is put back and the faulting instruction runs again, so the
 * process ends as it would have. Async-signal-safe: reads the saved action, at most one raw
 * rt_sigaction. */
static void rt_chain_to_host(int sig, siginfo_t *si, void *uctx)
{
    const struct rt_kernel_sigaction *old = rt_host_saved[sig] ? &rt_old_actions[sig] : NULL;
    void *h = old ? old->handler : (void *)SIG_DFL;
    if (h != (void *)SIG_DFL && h != (void *)SIG_IGN) {
        if (old->flags & SA_SIGINFO)
            ((void (*)(int, siginfo_t *, void *))h)(sig, si, uctx);
        else
            ((void (*)(int))h)(sig);
        return;
    }
    struct rt_kernel_sigaction dfl = {.handler = (void *)SIG_DFL};
    rt_raw_syscall6(SYS_rt_sigaction, sig, (long)&dfl, 0, 8, 0, 0);
}

/* ---- SIGSYS ----
 * Async-signal-safety: SIGSYS with SYS_USER_DISPATCH is raised synchronously by a `syscall`
 * instruction. From foreign code it interrupts no native code at all (foreign code is never in
 * the middle of libc), so the NT handlers may use libc freely. From native code it can only come
 * from a selector left at BLOCK by mistake; then the handler only forwards the raw system call. */
static void rt_sigsys_handler(int sig, siginfo_t *si, void *uctx)
{
    TEB *teb = rt_tls_teb;
    ucontext_t *uc = uctx;
    greg_t *g = uc->uc_mcontext.gregs;
    if (!teb) {
        rt_chain_to_host(sig, si, uctx);
        return;
    }
    if (si->si_code != SYS_USER_DISPATCH) {
        /* Not ours (a host program's seccomp?): report and die the default way. */
        rt_message("unexpected SIGSYS (code %d) at %p", si->si_code, si->si_call_addr);
        rt_sigaction_raw(SIGSYS, (void *)SIG_DFL, 0, NULL);
        return;
    }
    rt_thread *t = rt_thread_of(teb);
    uint8_t saved = t->selector;
    t->selector = RT_SEL_ALLOW;

    uintptr_t site = (uintptr_t)si->si_call_addr; /* the address after the syscall */
    if (!rt_addr_is_foreign(site)) {
        /* Native code with the selector left at BLOCK: perform the Linux call as asked. */
        g[REG_RAX] = rt_raw_syscall6(si->si_syscall, g[REG_RDI], g[REG_RSI], g[REG_RDX],
                                     g[REG_R10], g[REG_R8], g[REG_R9]);
        if (RT_TRACING(RT_TRACE_SUD))
            rt_trace("sud", "native syscall %d at %p with selector BLOCK forwarded",
                     si->si_syscall, si->si_call_addr);
    } else {
        t->nt_calls_trap++;
        const uint64_t *stack_args = (const uint64_t *)(g[REG_RSP] + 0x28);
        uint64_t r = STATUS_INVALID_SYSTEM_SERVICE;
        if (rt_nt_dispatcher)
            r = rt_nt_dispatcher((uint32_t)si->si_syscall, stack_args, g[REG_R10], g[REG_RDX],
                                 g[REG_R8], g[REG_R9]);
        g[REG_RAX] = (greg_t)(uint32_t)r;
        /* The syscall instruction clobbers rcx (return address) and r11 (rflags) on Windows. */
        g[REG_RCX] = g[REG_RIP];
        g[REG_R11] = g[REG_EFL];
    }
    t->selector = saved;
}

/* ---- faults ---- */
static const char *rt_signame(int sig)
{
    switch (sig) {
    case SIGSEGV: return "SIGSEGV";
    case SIGBUS: return "SIGBUS";
    case SIGILL: return "SIGILL";
    case SIGFPE: return "SIGFPE";
    case SIGTRAP: return "SIGTRAP";
    default: return "signal";
    }
}

/* Formats the instruction at `ip` with Zydis into buf ("?" when it cannot be read). */
void rt_describe_insn(uintptr_t ip, char *buf, size_t size)
{
    uint8_t bytes[ZYDIS_MAX_INSTRUCTION_LENGTH];
    size_t n = sizeof bytes;
    /* The instruction may sit at the end of a mapping: shrink until the copy succeeds. */
    while (n > 0 && rt_safe_copy(bytes, (const void *)ip, n) != 0)
        n--;
    ZydisDisassembledInstruction insn;
    const rt_zydis_api *z = n ? rt_zydis() : NULL;
    if (!z || !ZYAN_SUCCESS(z->DisassembleIntel(ZYDIS_MACHINE_MODE_LONG_64, ip, bytes, n,
                                                &insn))) {
        snprintf(buf, size, "?");
        return;
    }
    snprintf(buf, size, "%s", insn.text);
}

typedef bool (*rt_describe_fn)(uintptr_t addr, const char **name, uintptr_t *offset);
static rt_describe_fn rt_describe_address_hook;
void rt_set_address_describer(rt_describe_fn fn) { rt_describe_address_hook = fn; }
bool rt_describe_address(uintptr_t addr, const char **name, uintptr_t *offset)
{
    return rt_describe_address_hook && rt_describe_address_hook(addr, name, offset);
}

/* Async-signal-safety: faults are synchronous. A fault in foreign code interrupted no libc call;
 * a fault in native code ends the process without touching libc state beyond snprintf/write. */
static void rt_fault_handler(int sig, siginfo_t *si, void *uctx)
{
    ucontext_t *uc = uctx;
    greg_t *g = uc->uc_mcontext.gregs;
    uintptr_t ip = (uintptr_t)g[REG_RIP];
    TEB *teb = rt_tls_teb;

    /* First: a page the loader left to be filled on first access (lazy.c), touched by anyone,
     * rt_safe_copy included. Filling makes system calls: selector ALLOW meanwhile. */
    if (sig == SIGSEGV && si->si_code == SEGV_ACCERR) {
        rt_thread *lt = teb ? rt_thread_of(teb) : NULL;
        uint8_t lsaved = lt ? lt->selector : RT_SEL_ALLOW;
        if (lt)
            lt->selector = RT_SEL_ALLOW;
        bool filled = rt_lazy_fault((uintptr_t)si->si_addr);
        if (lt)
            lt->selector = lsaved;
        if (filled)
            return;
    }
    if (ip >= (uintptr_t)rt_safe_copy_insn && ip < (uintptr_t)rt_safe_copy_insn_end) {
        g[REG_RIP] = (greg_t)(uintptr_t)rt_safe_copy_fixup;
        return;
    }
    if (!teb) {
        rt_chain_to_host(sig, si, uctx);
        return;
    }
    rt_thread *t = teb ? rt_thread_of(teb) : NULL;
    uint8_t saved = t ? t->selector : RT_SEL_ALLOW;
    if (t)
        t->selector = RT_SEL_ALLOW;

    /* A bad pointer given by foreign code to a leaf export that works in the caller's frame
     * (RtlCaptureContext, _setjmp): an exception at the call, not a runtime bug. */
    if (rt_fault_in_foreign_leaf(uc) && rt_fault_to_exception(sig, si, uc))
        return;
    char insn[96]; /* decoded only for a report: a fault that becomes an exception needs none */
    if (!teb || !rt_addr_is_foreign(ip)) {
        rt_describe_insn(ip, insn, sizeof insn);
        rt_message("internal error: %s (code %d) at %p, address %p, in ntrun's own code "
                   "[%s]: this is a bug in the runtime, not in the program",
                   rt_signame(sig), si->si_code, (void *)ip, si->si_addr, insn);
        rt_sigaction_raw(sig, (void *)SIG_DFL, 0, NULL);
        if (t)
            t->selector = saved;
        return; /* re-executes the faulting instruction and dies of the default action */
    }
    /* `int 2e` in foreign code: Windows' other system-call entry (ntdll's stubs take it when
     * KUSER_SHARED_DATA.SystemCall is set; some code uses it to avoid `syscall`). Linux raises
     * a general-protection SIGSEGV (SI_KERNEL) for it: emulate it as the same NT call. */
    if (sig == SIGSEGV && si->si_code == SI_KERNEL && rt_nt_dispatcher) {
        uint8_t op[2];
        if (rt_safe_copy(op, (const void *)ip, 2) == 0 && op[0] == 0xcd && op[1] == 0x2e) {
            t->nt_calls_trap++;
            uint64_t r = rt_nt_dispatcher((uint32_t)g[REG_RAX],
                                          (const uint64_t *)(g[REG_RSP] + 0x28), g[REG_R10],
                                          g[REG_RDX], g[REG_R8], g[REG_R9]);
            g[REG_RAX] = (greg_t)(uint32_t)r;
            g[REG_RIP] = (greg_t)(ip + 2);
            t->selector = saved;
            return;
        }
    }
    /* Foreign fault: dispatched as a Windows exception on this thread (vectored handlers,
     * frame handlers, the unhandled-exception filter) once this handler returns; the selector
     * stays ALLOW for the native dispatcher. */
    if (rt_fault_to_exception(sig, si, uc))
        return;
    rt_describe_insn(ip, insn, sizeof insn);
    uint32_t code = rt_fault_exception_code(sig, si, uc);
    const char *mod = NULL;
    uintptr_t off = 0;
    char where[160];
    if (rt_describe_address_hook && rt_describe_address_hook(ip, &mod, &off))
        snprintf(where, sizeof where, "%s+%#lx", mod, (unsigned long)off);
    else
        snprintf(where, sizeof where, "%p", (void *)ip);
    if (code == (uint32_t)STATUS_STACK_OVERFLOW) {
        rt_message("%s: unhandled exception 0x%08X (EXCEPTION_STACK_OVERFLOW) at %s: %s",
                   rt_proc.exe_name ? rt_proc.exe_name : "program", code, where, insn);
    } else if (sig == SIGSEGV || sig == SIGBUS) {
        bool write = (g[REG_ERR] & 2) != 0;
        rt_message("%s: unhandled exception 0x%08X (access violation %s %p) at %s: %s",
                   rt_proc.exe_name ? rt_proc.exe_name : "program", code,
                   write ? "writing" : "reading", si->si_addr, where, insn);
    } else {
        rt_message("%s: unhandled exception 0x%08X (%s) at %s: %s",
                   rt_proc.exe_name ? rt_proc.exe_name : "program", code, rt_signame(sig), where,
                   insn);
    }
    rt_exit_process(code);
}

int rt_signals_install(void)
{
    int r = rt_sigaction_raw(SIGSYS, rt_sigsys_handler, 0, NULL);
    if (r < 0)
        return r;
    static const int faults[] = {SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGTRAP};
    for (size_t i = 0; i < sizeof faults / sizeof faults[0]; i++) {
        r = rt_sigaction_raw(faults[i], rt_fault_handler, SA_NODEFER | SA_ONSTACK, NULL);
        if (r < 0)
            return r;
    }
    rt_lazy_enable();
    return 0;
}

int rt_install_signal_handler(int sig, void (*handler)(int, siginfo_t *, void *), int flags)
{
    return rt_sigaction_raw(sig, handler, flags, NULL);
}

int rt_signals_reinstall(void) { return rt_signals_install(); }
