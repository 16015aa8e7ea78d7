/* SPDX-License-Identifier: MIT */
/* kernel32 GetThreadContext / SetThreadContext over NtGetContextThread / NtSetContextThread:
 * the registers of a thread stopped with SuspendThread (the Go runtime's asynchronous
 * preemption reads them, pushes a return address and redirects Rip).
 *
 * SetThreadContext on the calling thread resumes it at the new context, as Windows does
 * (NtSetContextThread on oneself works like NtContinue): the export is a capturing entry
 * (context_entry.S, thunks/ntdll/exc_capture.inc) so the call site's registers are known; the
 * parts ContextFlags names (CONTEXT_CONTROL, _INTEGER, _FLOATING_POINT) replace them and the
 * thread goes on there. Any other thread goes through NtSetContextThread, and the entry
 * returns to its caller with the result in Rax. */
#include <stdlib.h>
#include "thunks/kernel32/kernel32_private.h"
#include "runtime/exception.h"
#include "runtime/winexc.h"
#include "thunks/ntdll/thk_exception.h"

BOOL WINAPI GetThreadContext(HANDLE thread, CONTEXT *ctx)
{
    NTSTATUS st = NtGetContextThread(thread, ctx);
    if (!NT_SUCCESS(st)) {
        thk_set_last_status(st);
        return FALSE;
    }
    return TRUE;
}
THK_EXPORT(kernel32, GetThreadContext, 2);

/* SetThreadContext(thread, ctx), reached from k32_entry_SetThreadContext with the call site's
 * context `here` (Rip the return address). Never returns: resumes foreign code. */
__attribute__((noreturn, used)) void k32_set_thread_context(CONTEXT *here, uint64_t thread,
                                                            uint64_t ctxp, uint64_t a2,
                                                            uint64_t a3, const uint64_t *stack)
{
    (void)a2, (void)a3, (void)stack;
    const CONTEXT *user = (const CONTEXT *)(uintptr_t)ctxp;
    NTSTATUS st = NtSetContextThread((HANDLE)(uintptr_t)thread, user);
    if (st == STATUS_NOT_SUPPORTED) { /* the calling thread: go on at the new context */
        CONTEXT *c = malloc(sizeof *c);
        if (!c) {
            st = STATUS_NO_MEMORY;
        } else if (rt_safe_copy(c, user, sizeof *c) != 0) {
            free(c);
            st = STATUS_ACCESS_VIOLATION;
        } else {
            CONTEXT next = *here;
            rt_context_merge(&next, c, c->ContextFlags);
            M128A ymmh[16];
            bool with_ymmh = thk_context_user_ymmh(ctxp, c->ContextFlags, ymmh);
            free(c);
            thk_resume_context_ymmh(&next, with_ymmh ? ymmh : NULL);
        }
    }
    if (NT_SUCCESS(st)) {
        here->Rax = TRUE;
    } else {
        thk_set_last_status(st);
        here->Rax = FALSE;
    }
    thk_resume_context(here);
}
void k32_entry_SetThreadContext(void);
THK_EXPORT_AS(kernel32, SetThreadContext, k32_entry_SetThreadContext, THK_RAW);
