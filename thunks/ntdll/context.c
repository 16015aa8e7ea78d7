/* SPDX-License-Identifier: MIT */
/* ntdll's NtContinue and NtSetContextThread exports. Both may resume the calling thread at
 * another context, so they are capturing entries (context_entry.S) that know the call site's
 * registers: the parts of the new context its ContextFlags names replace them and the thread
 * goes on there, as on Windows. NtSetContextThread on another thread is the system call's
 * (ntemu/thread.c); its status returns to the caller in Rax. A direct `syscall` of either is
 * served by ntemu/thread.c and the SIGSYS handler instead. */
#include <stdlib.h>
#include "thunks/thunks_private.h"
#include "runtime/exception.h"
#include "runtime/winexc.h"
#include "thunks/ntdll/thk_exception.h"

/* Goes on at `here` with the ContextFlags parts of the foreign CONTEXT at ctxp (with
 * CONTEXT_XSTATE, the AVX upper halves of its CONTEXT_EX too), after the
 * thread's queued user APCs when `alertable`; returns a status only when that CONTEXT cannot
 * be read. */
static NTSTATUS ntdll_resume_merged(const CONTEXT *here, uint64_t ctxp, bool alertable)
{
    CONTEXT *c = malloc(sizeof *c);
    if (!c)
        return STATUS_NO_MEMORY;
    if (rt_safe_copy(c, (const void *)(uintptr_t)ctxp, sizeof *c) != 0) {
        free(c);
        return STATUS_ACCESS_VIOLATION;
    }
    CONTEXT next = *here;
    rt_context_merge(&next, c, c->ContextFlags);
    M128A ymmh[16];
    bool with_ymmh = thk_context_user_ymmh(ctxp, c->ContextFlags, ymmh);
    free(c);
    if (alertable)
        NtTestAlert();
    thk_resume_context_ymmh(&next, with_ymmh ? ymmh : NULL);
}

/* NtContinue(context, alertable), from ntdll_entry_NtContinue. Never returns. */
__attribute__((noreturn, used)) void ntdll_nt_continue(CONTEXT *here, uint64_t ctxp,
                                                       uint64_t alertable, uint64_t a2,
                                                       uint64_t a3, const uint64_t *stack)
{
    (void)a2, (void)a3, (void)stack;
    here->Rax = (uint32_t)ntdll_resume_merged(here, ctxp, (uint8_t)alertable != 0);
    thk_resume_context(here);
}
void ntdll_entry_NtContinue(void);
THK_EXPORT_AS(ntdll, NtContinue, ntdll_entry_NtContinue, THK_RAW);
THK_EXPORT_AS(ntdll, ZwContinue, ntdll_entry_NtContinue, THK_RAW);

/* NtSetContextThread(thread, context), from ntdll_entry_NtSetContextThread. Never returns. */
__attribute__((noreturn, used)) void ntdll_nt_set_context_thread(CONTEXT *here, uint64_t thread,
                                                                 uint64_t ctxp, uint64_t a2,
                                                                 uint64_t a3,
                                                                 const uint64_t *stack)
{
    (void)a2, (void)a3, (void)stack;
    NTSTATUS st = NtSetContextThread((HANDLE)(uintptr_t)thread,
                                     (const CONTEXT *)(uintptr_t)ctxp);
    if (st == STATUS_NOT_SUPPORTED) /* the calling thread */
        st = ntdll_resume_merged(here, ctxp, false);
    here->Rax = (uint32_t)st;
    thk_resume_context(here);
}
void ntdll_entry_NtSetContextThread(void);
THK_EXPORT_AS(ntdll, NtSetContextThread, ntdll_entry_NtSetContextThread, THK_RAW);
THK_EXPORT_AS(ntdll, ZwSetContextThread, ntdll_entry_NtSetContextThread, THK_RAW);
