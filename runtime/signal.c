/* SPDX-License-Identifier: MIT */
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
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <ucontext.h>
#include <unistd.h>
#include "runtime/zydis.h"
#include "runtime/runtime_private.h"
#include "runtime/exception.h"
#include "runtime/kuser.h"
#include "runtime/xstate.h"

#ifndef SYS_USER_DISPATCH
#define SYS_USER_DISPATCH 2
#endif
#ifndef SYS_SECCOMP
#define SYS_SECCOMP 1
#endif

rt_nt_dispatch_fn rt_nt_dispatcher;

void rt_set_nt_dispatcher(rt_nt_dispatch_fn fn) { rt_nt_dispatcher = fn; }

/* Read by rt_asm.S's rt_sys_fast_entry. */
__attribute__((visibility("hidden"))) rt_nt_fast_fn rt_nt_fast_dispatcher;
void rt_set_nt_fast_dispatcher(rt_nt_fast_fn fn) { rt_nt_fast_dispatcher = fn; }

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
/* rt_old_actions[sig] is not all zeros (not SIG_DFL with no flags, no mask): a start saves the
 * defaults, so rt_old_actions (2 KB) is written only when a host had set something, and stays
 * out of the pages every start writes (tools/startup-order/wdata-not.list). */
static volatile bool rt_old_set[65];
static bool rt_kernel_sigaction_is_zero(const struct rt_kernel_sigaction *a)
{
    return !a->handler && !a->flags && !a->restorer && !a->mask;
}
static struct {
    void (*handler)(int, siginfo_t *, void *);
    int flags;
} rt_ours[65];
/* rt_ours[sig] is what the kernel has now (installed by rt_sigaction_raw, not put back since):
 * installing the same handler again makes no system call (start-up activates what the runtime's
 * initialization installed a moment before). */
static volatile bool rt_ours_installed[65];

int rt_sigaction_raw(int sig, void (*handler)(int, siginfo_t *, void *), int flags,
                     struct sigaction *old_out)
{
    if (sig > 0 && sig < 65 && rt_ours_installed[sig] && rt_host_saved[sig] &&
        rt_ours[sig].handler == handler && rt_ours[sig].flags == flags)
        return 0;
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
            /* all zeros when not rt_old_set (rt_signals_restore clears what it put back) */
            if (!rt_kernel_sigaction_is_zero(&old)) {
                rt_old_actions[sig] = old;
                rt_old_set[sig] = true;
            }
            rt_host_saved[sig] = true;
        }
        rt_ours_installed[sig] = (void *)handler != (void *)SIG_DFL;
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
        struct rt_kernel_sigaction dfl = {0};
        rt_raw_syscall6(SYS_rt_sigaction, sig, (long)(rt_old_set[sig] ? &rt_old_actions[sig] : &dfl),
                        0, 8, 0, 0);
        if (rt_old_set[sig]) {
            memset(&rt_old_actions[sig], 0, sizeof rt_old_actions[sig]);
            rt_old_set[sig] = false;
        }
        rt_host_saved[sig] = false;
        rt_ours_installed[sig] = false;
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
    const struct rt_kernel_sigaction *old =
        rt_host_saved[sig] && rt_old_set[sig] ? &rt_old_actions[sig] : NULL;
    void *h = old ? old->handler : (void *)SIG_DFL;
    if (h != (void *)SIG_DFL && h != (void *)SIG_IGN) {
        if (old->flags & SA_SIGINFO)
            ((void (*)(int, siginfo_t *, void *))h)(sig, si, uctx);
        else
            ((void (*)(int))h)(sig);
        return;
    }
    struct rt_kernel_sigaction dfl = {.handler = (void *)SIG_DFL};
    rt_ours_installed[sig] = false;
    rt_raw_syscall6(SYS_rt_sigaction, sig, (long)&dfl, 0, 8, 0, 0);
}

/* The context NtContinue / NtSetContextThread(self) left for the thread (its ContextFlags
 * parts, and the AVX upper halves with it: an rt_context_ymmh) replaces the interrupted one. Same safety as the SIGSYS handler below (free: the
 * handler interrupted foreign code only). */
static void rt_trap_resume(rt_thread *t, ucontext_t *uc)
{
    rt_context_ymmh *c = (rt_context_ymmh *)t->trap_resume;
    t->trap_resume = NULL;
    rt_context_to_ucontext(uc, &c->ctx, c->ctx.ContextFlags);
    if (c->has_ymmh)
        rt_ymmh_to_ucontext(uc, c->ymmh);
    free(c);
}

/* ---- SIGSYS ----
 * Raised by SUD (si_code SYS_USER_DISPATCH) or by ntrun's seccomp filter (SYS_SECCOMP, the
 * fallback: runtime/seccomp.c); both give the address after the `syscall` and its number.
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
    if (si->si_code != SYS_USER_DISPATCH &&
        !(si->si_code == SYS_SECCOMP && rt_proc.trap == RT_TRAP_SECCOMP)) {
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
        void *outer_uc = t->trap_uc; /* an APC's `syscall` inside an alertable call */
        uint64_t outer_crossings = t->trap_crossings;
        uint8_t outer_keep = t->trap_keep_site;
        t->trap_uc = uc;
        t->trap_crossings = t->crossings;
        t->trap_keep_site = 0;
        if (rt_nt_dispatcher)
            r = rt_nt_dispatcher((uint32_t)si->si_syscall, stack_args, g[REG_R10], g[REG_RDX],
                                 g[REG_R8], g[REG_R9]);
        t->trap_uc = outer_uc;
        t->trap_crossings = outer_crossings;
        g[REG_RAX] = (greg_t)(uint32_t)r;
        /* The syscall instruction clobbers rcx (return address) and r11 (rflags) on Windows. */
        g[REG_RCX] = g[REG_RIP];
        g[REG_R11] = g[REG_EFL];
        /* Later calls from this site may go without a signal (rewrite.c), except those of the
         * context calls (NtContinue, NtSetContextThread, NtGetContextThread): on the calling
         * thread they need this signal frame, whatever this call's thread was. */
        if (t->trap_resume)
            rt_trap_resume(t, uc);
        else if (rt_nt_fast_dispatcher && !t->trap_keep_site)
            rt_rewrite_site(site);
        t->trap_keep_site = outer_keep;
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

/* "module+0xoffset", or the bare address outside any module. */
static void rt_format_where(uintptr_t addr, char *buf, size_t size)
{
    const char *mod = NULL;
    uintptr_t off = 0;
    if (rt_describe_address_hook && rt_describe_address_hook(addr, &mod, &off))
        snprintf(buf, size, "%s+%#lx", mod, (unsigned long)off);
    else
        snprintf(buf, size, "%p", (void *)addr);
}

static bool (*rt_builtin_describer)(uintptr_t stub, const char **dll, const char **name);
static uintptr_t rt_f2n_regs_return, rt_f2n_stack_return;
void rt_set_builtin_describer(bool (*fn)(uintptr_t stub, const char **dll, const char **name),
                              uintptr_t f2n_regs_return, uintptr_t f2n_stack_return)
{
    rt_builtin_describer = fn;
    rt_f2n_regs_return = f2n_regs_return;
    rt_f2n_stack_return = f2n_stack_return;
}

/* For thread.c (suspension at the boundary): the same two return addresses, 0 if not set. */
void rt_f2n_returns(uintptr_t *regs_ret, uintptr_t *stack_ret)
{
    *regs_ret = rt_f2n_regs_return;
    *stack_ret = rt_f2n_stack_return;
}

/* The foreign return address of the foreign -> native call a fault in native code happened
 * under: follows the frame-pointer chain (ntrun is built with frame pointers) up to the frame
 * whose return address is inside a generic thunk, whose layout (thunk_asm.S) gives the foreign
 * one. 0 when the chain breaks first (a libc frame without a frame pointer). */
static uintptr_t rt_foreign_caller(const ucontext_t *uc)
{
    uintptr_t rbp = (uintptr_t)uc->uc_mcontext.gregs[REG_RBP];
    for (int depth = 0; depth < 64 && rbp; depth++) {
        uintptr_t frame[2], ret = 0;
        if (rt_safe_copy(frame, (const void *)rbp, sizeof frame) != 0)
            return 0;
        if (rt_f2n_regs_return && frame[1] == rt_f2n_regs_return) {
            /* thk_f2n_regs: 0x28 bytes of home space above the return into the thunk */
            return rt_safe_copy(&ret, (const void *)(rbp + 0x38), 8) == 0 ? ret : 0;
        }
        if (rt_f2n_stack_return && frame[1] == rt_f2n_stack_return) {
            /* thk_f2n_stack keeps a frame: the saved %rbp is the thunk's, the foreign return
             * address is next to it */
            return rt_safe_copy(&ret, (const void *)(frame[0] + 8), 8) == 0 ? ret : 0;
        }
        if (frame[0] <= rbp)
            return 0;
        rbp = frame[0];
    }
    return 0;
}

/* "dll!name" of the built-in a foreign call site (its return address) called: `call [rip+x]`
 * through the import slot, or `call rel32` to a `jmp [rip+x]` import stub. */
static bool rt_called_builtin(uintptr_t ret, const char **dll, const char **name)
{
    uint8_t b[6];
    int32_t d;
    uintptr_t slot = 0, target = 0;
    if (!rt_builtin_describer)
        return false;
    if (rt_safe_copy(b, (const void *)(ret - 6), 6) == 0 && b[0] == 0xff && b[1] == 0x15) {
        memcpy(&d, b + 2, 4);
        slot = ret + (intptr_t)d;
    } else if (rt_safe_copy(b, (const void *)(ret - 5), 5) == 0 && b[0] == 0xe8) {
        memcpy(&d, b + 1, 4);
        uintptr_t stub = ret + (intptr_t)d;
        if (rt_safe_copy(b, (const void *)stub, 6) != 0 || b[0] != 0xff || b[1] != 0x25)
            return false;
        memcpy(&d, b + 2, 4);
        slot = stub + 6 + (intptr_t)d;
    }
    if (!slot || rt_safe_copy(&target, (const void *)slot, 8) != 0)
        return false;
    return rt_builtin_describer(target, dll, name);
}

void rt_builtin_fault_report(uint32_t code, const char *what, uintptr_t ip, uintptr_t ret)
{
    char insn[96], caller[200];
    if (ret) {
        const char *dll = NULL, *fn = NULL;
        char where[120];
        rt_format_where(ret, where, sizeof where);
        if (rt_called_builtin(ret, &dll, &fn))
            snprintf(caller, sizeof caller, " in %s!%s, called from %s", dll, fn, where);
        else
            snprintf(caller, sizeof caller, " in a built-in function called from %s", where);
        rt_note_exception(code, ret, dll, fn); /* the program's call is where it went wrong */
    } else {
        snprintf(caller, sizeof caller, " inside ntrun's built-in code");
        rt_note_exception(code, ip, NULL, NULL);
    }
    rt_describe_insn(ip, insn, sizeof insn);
    rt_message("%s: unhandled exception 0x%08X (%s)%s: most likely a bad argument passed to "
               "it (else a bug in ntrun) [native instruction: %s]",
               rt_proc.exe_name ? rt_proc.exe_name : "program", code, what, caller, insn);
    rt_exit_process_crashed(code);
}

static bool (*rt_builtin_fault_unwinder)(CONTEXT *ctx, uint64_t limit, uint64_t *callee);
void rt_set_builtin_fault_unwinder(bool (*fn)(CONTEXT *ctx, uint64_t limit, uint64_t *callee))
{
    rt_builtin_fault_unwinder = fn;
}

/* A fault inside native code running for the program (a built-in called from foreign code):
 * most often a bad pointer the program passed. As Windows raises it inside the system DLL and
 * unwinds through the DLL's frames, the exception goes to the program's handlers with the
 * CONTEXT of the built-in's foreign caller (the native frames stepped over with their DWARF
 * call-frame information, and abandoned if a handler takes it; the dispatcher then shows it
 * at the export's stub, thunks/ntdll/exception.c) and the interrupted native state kept, so a
 * handler that removes the cause and continues retries the faulting instruction. When no
 * crossing from foreign code is found under the fault, or no dispatcher is there, the program
 * ends as with an unhandled exception — with its code, and the embedding host keeps running.
 * Async-signal-safety: see thk_unwind_native_fault and rt_fault_to_exception_at. */
static void rt_builtin_fault(int sig, siginfo_t *si, ucontext_t *uc)
{
    greg_t *g = uc->uc_mcontext.gregs;
    TEB *teb = rt_tls_teb;
    if (rt_builtin_fault_unwinder && teb) {
        _Alignas(16) CONTEXT c; /* 1.2 KiB: the alternate signal stack has 64 KiB */
        uint64_t callee = 0;
        rt_context_from_ucontext(&c, uc);
        if (rt_builtin_fault_unwinder(&c, (uint64_t)(uintptr_t)teb->NtTib.StackBase,
                                      &callee) &&
            rt_fault_to_exception_at(sig, si, uc, &c, (uintptr_t)callee)) {
            /* Unless a handler continues (the saved state has the value to put back), the
             * native frames are abandoned: so is any single-thread unlocked region
             * (rt_single_enter) the built-in was in, or a later rt_single_go_multi would wait
             * for it forever. Only the sole foreign thread can be inside one. */
            if (!rt_single.multi)
                rt_single.busy = 0;
            return;
        }
    }
    uint32_t code = rt_fault_exception_code(sig, si, uc);
    char what[96];
    if (sig == SIGSEGV || sig == SIGBUS)
        snprintf(what, sizeof what, "access violation %s 0x%lx",
                 (g[REG_ERR] & 2) ? "writing" : "reading", (unsigned long)si->si_addr);
    else
        snprintf(what, sizeof what, "%s", rt_signame(sig));
    rt_builtin_fault_report(code, what, (uintptr_t)g[REG_RIP], rt_foreign_caller(uc));
}

static uintptr_t rt_call_site, rt_call_site_end;
static int rt_call_site_reg = -1;

void rt_set_foreign_call_site(uintptr_t insn, uintptr_t insn_end, int target_reg)
{
    rt_call_site = insn;
    rt_call_site_end = insn_end;
    rt_call_site_reg = target_reg;
}

/* A fault in native code while the selector says BLOCK: a foreign call is in progress and
 * the program sent native code somewhere it cannot go — a TLS callback, `.CRT` initializer or
 * other callback pointer that is not an address (the native -> foreign call faults on itself),
 * a return or jump of foreign code into the runtime's text. That is the program's exception,
 * not a runtime bug. A fault on the crossing's own `call` is completed as the call: the return
 * address pushed and the exception raised at the target (execute access), as for a target that
 * is a canonical but unmapped address. Async-signal-safe: rt_safe_copy, register edits. */
static bool rt_blocked_native_fault(int sig, siginfo_t *si, ucontext_t *uc)
{
    greg_t *g = uc->uc_mcontext.gregs;
    uintptr_t ip = (uintptr_t)g[REG_RIP];
    if (sig == SIGSEGV && rt_call_site && ip == rt_call_site && rt_call_site_reg >= 0) {
        uint64_t ret = rt_call_site_end;
        uintptr_t sp = (uintptr_t)g[REG_RSP] - 8;
        if (rt_safe_copy((void *)sp, &ret, 8) == 0) {
            siginfo_t fetch = *si;
            uintptr_t target = (uintptr_t)g[rt_call_site_reg];
            fetch.si_code = SEGV_MAPERR;
            fetch.si_addr = (void *)target;
            g[REG_RSP] = (greg_t)sp;
            g[REG_RIP] = (greg_t)target;
            g[REG_ERR] = 0x14; /* user-mode instruction fetch */
            return rt_fault_to_exception(sig, &fetch, uc);
        }
    }
    return rt_fault_to_exception(sig, si, uc);
}

bool (*rt_access_fault_hook)(uintptr_t addr);

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
        bool filled = rt_lazy_fault((uintptr_t)si->si_addr) ||
                      rt_kuser_fault((uintptr_t)si->si_addr, uctx, lsaved);
        if (!filled && rt_access_fault_hook)
            filled = rt_access_fault_hook((uintptr_t)si->si_addr);
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

    /* The int3 of a syscall site being rewritten: on to its trampoline. */
    if (sig == SIGTRAP && t && rt_rewrite_trap_fixup(uc)) {
        t->selector = saved;
        return;
    }
    /* A bad pointer given by foreign code to a leaf export that works in the caller's frame
     * (RtlCaptureContext, _setjmp): an exception at the call, not a runtime bug. */
    char insn[96]; /* decoded only for a report: a fault that becomes an exception needs none */
    if (rt_fault_in_foreign_leaf(uc)) {
        if (rt_fault_to_exception(sig, si, uc))
            return;
        /* Not deliverable (the raise of exc_capture.inc found no room after a stack overflow
         * took the guard): the caller's unhandled exception, reported at the call. */
        ip = (uintptr_t)g[REG_RIP];
        goto unhandled;
    }
    if (t && saved == RT_SEL_BLOCK && !rt_addr_is_foreign(ip) &&
        rt_blocked_native_fault(sig, si, uc))
        return;
    if (t && saved == RT_SEL_ALLOW && !rt_addr_is_foreign(ip) &&
        (sig == SIGSEGV || sig == SIGBUS || sig == SIGFPE)) {
        rt_builtin_fault(sig, si, uc); /* returns only into the exception dispatcher */
        return;
    }
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
     * a general-protection SIGSEGV (SI_KERNEL) for it: emulate it as the same NT call, then
     * offer the site to the rewriter (rewrite.c takes only the `int 2e` of Windows 10/11's
     * stub). Signal-safety as for SIGSYS: raised synchronously by foreign code, which is never
     * inside libc, so the rewriter's lock and libc calls are safe. */
    if (sig == SIGSEGV && si->si_code == SI_KERNEL && rt_nt_dispatcher) {
        uint8_t op[2];
        if (rt_safe_copy(op, (const void *)ip, 2) == 0 && op[0] == 0xcd && op[1] == 0x2e) {
            t->nt_calls_trap++;
            void *outer_uc = t->trap_uc;
            uint64_t outer_crossings = t->trap_crossings;
            uint8_t outer_keep = t->trap_keep_site;
            t->trap_uc = uc;
            t->trap_crossings = t->crossings;
            t->trap_keep_site = 0;
            uint64_t r = rt_nt_dispatcher((uint32_t)g[REG_RAX],
                                          (const uint64_t *)(g[REG_RSP] + 0x28), g[REG_R10],
                                          g[REG_RDX], g[REG_R8], g[REG_R9]);
            t->trap_uc = outer_uc;
            t->trap_crossings = outer_crossings;
            g[REG_RAX] = (greg_t)(uint32_t)r;
            g[REG_RIP] = (greg_t)(ip + 2);
            /* As for a `syscall` (SIGSYS above): the site of Windows' stub may go without a
             * signal from now on (rewrite.c), except for the context calls. */
            if (t->trap_resume)
                rt_trap_resume(t, uc);
            else if (rt_nt_fast_dispatcher && !t->trap_keep_site)
                rt_rewrite_int2e_site(ip + 2);
            t->trap_keep_site = outer_keep;
            t->selector = saved;
            return;
        }
    }
    /* Foreign fault: dispatched as a Windows exception on this thread (vectored handlers,
     * frame handlers, the unhandled-exception filter) once this handler returns; the selector
     * stays ALLOW for the native dispatcher. */
    if (rt_fault_to_exception(sig, si, uc))
        return;
unhandled:
    rt_describe_insn(ip, insn, sizeof insn);
    uint32_t code = rt_fault_exception_code(sig, si, uc);
    char where[160];
    rt_format_where(ip, where, sizeof where);
    rt_note_exception(code, ip, NULL, NULL);
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
    uintptr_t why_sp = 0;
    bool as_windows;
    const char *why = rt_fault_undeliverable(&why_sp, &as_windows);
    if (why)
        rt_message("  no handler saw it: %s (stack pointer %p); %s", why, (void *)why_sp,
                   as_windows ? "Windows ends such a process the same way"
                              : "a limit of ntrun's: Windows would dispatch it");
    rt_exit_process(code);
}

static bool rt_fault_handler_ready;
bool rt_fault_handler_installed(void) { return rt_fault_handler_ready; }

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
    rt_fault_handler_ready = true;
    return 0;
}

int rt_install_signal_handler(int sig, void (*handler)(int, siginfo_t *, void *), int flags)
{
    return rt_sigaction_raw(sig, handler, flags, NULL);
}

bool rt_signal_host_ignored(int sig)
{
    return sig > 0 && sig < 65 && rt_host_saved[sig] && rt_old_set[sig] &&
           !(rt_old_actions[sig].flags & SA_SIGINFO) && rt_old_actions[sig].handler == (void *)SIG_IGN;
}

/* For a caller that replaced ntrun's handlers behind its back (ntbench's bare SIGSYS case). */
int rt_signals_reinstall(void)
{
    for (int sig = 1; sig < 65; sig++)
        rt_ours_installed[sig] = false;
    return rt_signals_install();
}
