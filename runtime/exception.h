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
 * redirects the interrupted context to the dispatcher, on the program's stack or the thread's
 * dispatch stack (rt_dispatch_stack); false when no dispatcher is registered or Windows could
 * not deliver it either (rt_fault_undeliverable; the caller then reports the crash itself).
 * Async-signal-safe: only memcpy/memset and rt_safe_copy, no locks, no allocation. */
bool rt_fault_to_exception(int sig, siginfo_t *si, ucontext_t *uc);
/* What a fault inside a built-in's native code keeps for the dispatcher (thunks/ntdll), in
 * the exception frame on the foreign stack: the interrupted native state, complete (the
 * ucontext and the whole xsave image, ymm/zmm included), so that a handler's
 * EXCEPTION_CONTINUE_EXECUTION can retry the faulting instruction, as continuing a fault
 * inside a system DLL does on Windows. */
typedef struct rt_native_fault {
    uint64_t magic;       /* RT_NATIVE_FAULT_MAGIC */
    const void *frame;    /* the CONTEXT the dispatcher was given (a check) */
    uintptr_t ip;         /* the faulting native instruction */
    uintptr_t sp;         /* its stack pointer: everything below is free once it resumes */
    uintptr_t ret;        /* the foreign return address of the built-in's call */
    uintptr_t callee;     /* the native function that call reached (0: unknown) */
    ucontext_t *uc;       /* the interrupted context, uc_mcontext.fpregs -> its xsave copy */
    uint8_t single_busy;  /* rt_single.busy at the fault (the dispatch clears it) */
} rt_native_fault;
#define RT_NATIVE_FAULT_MAGIC 0x746c7561666e7472ull /* "rtnfault" */

/* The same with the CONTEXT `at` given to the dispatcher instead of the interrupted one (a
 * fault inside a built-in: `at` is the built-in's foreign caller, stepped over the native
 * frames, `callee` the native function it called, 0 if unknown); ExceptionAddress and the
 * access-violation parameters still describe the fault. The exception frame, and below it an
 * rt_native_fault with the interrupted state, go below both stack pointers, so the native
 * frames stay intact while the exception is dispatched. Async-signal-safe, as above. */
bool rt_fault_to_exception_at(int sig, siginfo_t *si, ucontext_t *uc, const CONTEXT *at,
                              uintptr_t callee);
/* After either refused: why, when the exception cannot be delivered as on Windows (the stack
 * pointer *sp not writable, a second stack overflow without a guard page, no room left on the
 * dispatch stack): the process then ends with the exception's code and no handler runs. NULL
 * when it refused for another reason (no dispatcher). *as_windows: false for a limit of
 * ntrun's own (too many dispatches nested on stacks of their own), where Windows delivers it. */
const char *rt_fault_undeliverable(uintptr_t *sp, bool *as_windows);

/* For the dispatcher, with the CONTEXT the runtime gave it (never another one): the saved
 * state of a fault inside a built-in, NULL for a fault in foreign code. */
const rt_native_fault *rt_exc_native_fault(const CONTEXT *dispatched);
/* The AVX upper halves (16 M128A) in the XSTATE area of the exception frame whose CONTEXT is
 * `dispatched`, when it has CONTEXT_XSTATE with the AVX bit; NULL for any other CONTEXT. */
const M128A *rt_exc_frame_ymmh(const CONTEXT *dispatched);

/* Retries the faulting instruction of `nf` with the interrupted native state (the selector
 * ALLOW, as the built-in ran): an rt_sigreturn of a copy of the signal frame the kernel gave
 * the fault handler. The stack below nf->sp must no longer be needed. Called by the
 * dispatcher (not in a signal handler) once a handler continued the exception. */
__attribute__((noreturn)) void rt_native_fault_resume(const rt_native_fault *nf);

/* A fault inside a built-in's native code called from foreign code is the program's structured
 * exception, as a fault inside a system DLL is on Windows: `fn` (thunks/: a DWARF walk) steps
 * a copy of the fault's CONTEXT to the built-in's foreign caller, below the stack base
 * `limit`, and gives the start of the native function that caller's call reached; false when
 * the fault is not under a foreign -> native crossing (the runtime's own machinery: then it is
 * reported as before). */
void rt_set_builtin_fault_unwinder(bool (*fn)(CONTEXT *ctx, uint64_t limit, uint64_t *callee));
/* The crash report of an unhandled fault inside a built-in (ip: the native instruction, ret:
 * the foreign return address of the built-in's call, 0 if unknown; what: "access violation
 * reading 0x0"), then the end of the process without exit hooks (the native code may hold
 * any lock). */
__attribute__((noreturn)) void rt_builtin_fault_report(uint32_t code, const char *what,
                                                       uintptr_t ip, uintptr_t ret);
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
/* The same for code that stands for a Windows function writing `frame` bytes below its
 * caller's stack pointer before it faults (thunks/ntdll/exc_capture.inc's raise with no room):
 * the exception is delivered, or not, as that frame's write would be (a second stack overflow
 * without a guard page ends the process). */
void rt_exc_register_leaf_frame(const void *start, const void *end, size_t frame);
/* The same, reported at at(uc) (a foreign address: the export the program called, whose
 * first instruction stands for the function; the return address stays on the stack) instead
 * of at the caller; at() returns 0 for the caller. Async-signal-safe as at() is. */
void rt_exc_register_leaf_at(const void *start, const void *end, size_t frame,
                             uintptr_t (*at)(const ucontext_t *uc));

/* For exc_capture.inc's EXC_ENTRY_ROOM (selector ALLOW, on the caller's stack just below the
 * CONTEXT it captured): the stack pointer on which the export's body (a dispatcher, an unwind)
 * runs: ctx itself when the caller's stack has room for the native dispatcher, else the top of
 * a zone of the thread's dispatch stack, as for a fault (the TEB's limits take it in until
 * foreign code resumes elsewhere). Ends the process when no room is left there either. */
uintptr_t rt_exc_body_stack(const CONTEXT *ctx);
/* Foreign code resumes at sp (rt_stack_frames_over), from code whose frame is at `here`: the
 * dispatches on the dispatch stack that this ends are over (those below sp on it; resuming
 * elsewhere from a zone of it, that zone's and those after it). */
void rt_exc_frames_over(uintptr_t sp, uintptr_t here);

/* thread.c: the calling thread's alternate signal stack for the fault handlers (stack
 * overflows), set up with its TEB and removed with it (the previous one is put back).
 * 0 or -errno. */
int rt_exc_thread_init(void);
/* The same in `region`, rt_exc_region_size() bytes the caller mapped read-write (a part of the
 * thread's one mapping, rt_thread_init_current_stack): its lowest page made no-access, the
 * alternate signal stack at its top. rt_exc_thread_fini unmaps the region as its own. Left
 * mapped on failure. */
size_t rt_exc_region_size(void);
int rt_exc_thread_init_in(void *region);
void rt_exc_thread_fini(void);

/* For reports (signal.c): "module" and offset of addr, false if in no known module; the
 * instruction at ip disassembled ("?" when unreadable). Async-signal-safe. */
bool rt_describe_address(uintptr_t addr, const char **name, uintptr_t *offset);
void rt_describe_insn(uintptr_t ip, char *buf, size_t size);

#endif
