/* SPDX-License-Identifier: MIT */
/* Hardware faults in foreign code as Windows exceptions: the runtime turns the signal into an
 * EXCEPTION_RECORD + CONTEXT, leaves the signal handler and calls the dispatcher that thunks/
 * registers (ntdll's KiUserExceptionDispatcher equivalent), on the faulting thread's foreign
 * stack, with the selector at ALLOW. Public to thunks/. */
#ifndef NTRUN_RUNTIME_EXCEPTION_H
#define NTRUN_RUNTIME_EXCEPTION_H

#include <signal.h>
#include <stdbool.h>
#include <ucontext.h>
#include "runtime/winexc.h"

/* Never returns: continues the program (rt_exc_restore_context) or ends the process. */
typedef void (*rt_exception_dispatch_fn)(EXCEPTION_RECORD *rec, CONTEXT *ctx);
void rt_set_exception_dispatcher(rt_exception_dispatch_fn fn);

/* Loads every register of `ctx` (integer, rflags, rip, rsp, the fxsave image) and jumps to
 * ctx->Rip with the selector at BLOCK: the way back into foreign code after an exception,
 * RtlRestoreContext, RtlUnwindEx and longjmp. ctx must be 16-byte aligned and must not lie
 * above ctx->Rsp - 0 in a way the caller still needs (the registers are loaded before the jump;
 * only an iretq frame is written, at the current stack pointer). Runs in the runtime's text. */
__attribute__((noreturn)) void rt_exc_restore_context(const CONTEXT *ctx);

/* signal.c: a fault at ip in foreign code on a thread with a TEB. Builds the exception and
 * redirects the interrupted context to the dispatcher; false when no dispatcher is registered
 * or the foreign stack has no room (the caller then reports the crash itself). Async-signal-
 * safe: only memcpy/memset and rt_safe_copy, no locks, no allocation. */
bool rt_fault_to_exception(int sig, siginfo_t *si, ucontext_t *uc);
/* A Windows CONTEXT (CONTEXT_ALL) from an interrupted Linux context, and back: `flags`
 * (CONTEXT_CONTROL, _INTEGER, _FLOATING_POINT) selects what SetThreadContext writes.
 * rt_context_merge copies those parts of `c` into `dst` (EFlags: only RT_EFLAGS_USER bits).
 * Async-signal-safe (memcpy on the given memory). */
#define RT_EFLAGS_USER 0x0dd5u /* CF PF AF ZF SF TF DF OF */
void rt_context_from_ucontext(CONTEXT *c, const ucontext_t *uc);
void rt_context_to_ucontext(ucontext_t *uc, const CONTEXT *c, uint32_t flags);
void rt_context_merge(CONTEXT *dst, const CONTEXT *c, uint32_t flags);
/* The code and first two parameters Windows reports for this fault. */
uint32_t rt_fault_exception_code(int sig, const siginfo_t *si, const ucontext_t *uc);

/* Leaf exports in the runtime's text that foreign code calls with pointers of its own and that
 * neither move the stack nor call anything (RtlCaptureContext, _setjmp): a fault inside one is
 * the caller's, reported at the call (the ucontext is rewritten to the caller's return). */
void rt_exc_register_leaf(const void *start, const void *end);
bool rt_fault_in_foreign_leaf(ucontext_t *uc);

/* thread.c: the calling thread's alternate signal stack for the fault handlers (stack
 * overflows), set up with its TEB and removed with it (the previous one is put back).
 * 0 or -errno. */
int rt_exc_thread_init(void);
void rt_exc_thread_fini(void);

/* For reports (signal.c): "module" and offset of addr, false if in no known module; the
 * instruction at ip disassembled ("?" when unreadable). Async-signal-safe. */
bool rt_describe_address(uintptr_t addr, const char **name, uintptr_t *offset);
void rt_describe_insn(uintptr_t ip, char *buf, size_t size);

#endif
