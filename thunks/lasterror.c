/* SPDX-License-Identifier: MIT */
/* The Win32 last error: TEB->LastErrorValue of the calling thread (and TEB->LastStatusValue for
 * errors that came from an NTSTATUS). Exports GetLastError/SetLastError (kernel32) and
 * RtlGetLastWin32Error/RtlSetLastWin32Error/RtlRestoreLastWin32Error, RtlGetLastNtStatus and
 * RtlSetLastWin32ErrorAndNtStatusFromNtStatus (ntdll). SetLastError leaves the status alone, as
 * on Windows: it is the status of the last failure that came from an NTSTATUS (PostgreSQL's
 * stat() asks it whether ERROR_ACCESS_DENIED was STATUS_DELETE_PENDING).
 * A thread without a TEB (a host thread calling a built-in directly) keeps its value in native
 * thread-local storage instead. */
#include "thunks/kernel32/kernel32_private.h"

static __thread uint32_t thk_last_error_no_teb __attribute__((tls_model("initial-exec")));
/* runtime/thread.c's TEB pointer, read here directly rather than through rt_current_teb()
 * (another object, so a call): GetLastError and SetLastError stay leaf functions, and a leaf
 * ms_abi function saves no xmm6-15/rsi/rdi. That keeps the trivial built-in behind ntbench's
 * pe.import.trivial at the cost of the crossing itself. */
extern __thread TEB *rt_tls_teb __attribute__((tls_model("initial-exec")));

static inline void last_error_set(uint32_t err)
{
    TEB *teb = rt_tls_teb;
    if (teb)
        teb->LastErrorValue = err;
    else
        thk_last_error_no_teb = err;
}

static inline uint32_t last_error_get(void)
{
    TEB *teb = rt_tls_teb;
    return teb ? teb->LastErrorValue : thk_last_error_no_teb;
}

void thk_set_last_error(uint32_t err) { last_error_set(err); }

uint32_t thk_get_last_error(void) { return last_error_get(); }

NTSTATUS thk_set_last_status(NTSTATUS st)
{
    TEB *teb = rt_current_teb();
    if (teb)
        teb->LastStatusValue = st;
    thk_set_last_error(nt_status_to_win32(st));
    return st;
}

DWORD WINAPI GetLastError(void)
{
    return last_error_get();
}
/* Foreign callers run teb_entry.S's code in the DLL's image (THK_INLINE: one field of the TEB
 * through %gs, no stub, no crossing); native callers these C functions. */
extern const thk_inline thk_inline_GetLastError, thk_inline_SetLastError;
THK_EXPORT_INLINE(kernel32, GetLastError, thk_inline_GetLastError);
THK_EXPORT_INLINE(ntdll, RtlGetLastWin32Error, thk_inline_GetLastError);

void WINAPI SetLastError(DWORD err)
{
    last_error_set(err);
}
THK_EXPORT_INLINE(kernel32, SetLastError, thk_inline_SetLastError);
THK_EXPORT_INLINE(ntdll, RtlSetLastWin32Error, thk_inline_SetLastError);
THK_EXPORT_INLINE(ntdll, RtlRestoreLastWin32Error, thk_inline_SetLastError);

NTSTATUS WINAPI RtlGetLastNtStatus(void)
{
    TEB *teb = rt_current_teb();
    return teb ? teb->LastStatusValue : 0;
}
THK_EXPORT(ntdll, RtlGetLastNtStatus, 0);

/* Both values from one status (VOID, as phnt declares it). */
void WINAPI RtlSetLastWin32ErrorAndNtStatusFromNtStatus(NTSTATUS st)
{
    thk_set_last_status(st);
}
THK_EXPORT(ntdll, RtlSetLastWin32ErrorAndNtStatusFromNtStatus, 1);
