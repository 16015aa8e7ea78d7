/* kernel32 GetThreadContext / SetThreadContext over NtGetContextThread / NtSetContextThread:
 * the registers of a thread stopped with SuspendThread (the Go runtime's asynchronous
 * preemption reads them, pushes a return address and redirects Rip). */
#include "thunks/kernel32/kernel32_private.h"
#include "runtime/winexc.h"

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

BOOL WINAPI SetThreadContext(HANDLE thread, const CONTEXT *ctx)
{
    NTSTATUS st = NtSetContextThread(thread, ctx);
    if (!NT_SUCCESS(st)) {
        thk_set_last_status(st);
        return FALSE;
    }
    return TRUE;
}
THK_EXPORT(kernel32, SetThreadContext, 2);
