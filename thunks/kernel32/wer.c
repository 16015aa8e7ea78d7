/* SPDX-License-Identifier: MIT */
/* Windows Error Reporting's per-process flags: WerSetFlags / WerGetFlags. Go's runtime sets
 * WER_FAULT_REPORTING_NO_UI at start-up (read, or, write back). ntrun has no error reporting
 * to configure, so the flags are only kept, for the current process, and read back. */
#include <stdatomic.h>
#include "thunks/kernel32/kernel32_private.h"

#define K32_S_OK 0
#define K32_E_INVALIDARG ((int32_t)0x80070057)
#define K32_E_POINTER ((int32_t)0x80004003)
/* WER_FAULT_REPORTING_FLAG_NOHEAP | _FLAG_QUEUE | _FLAG_DISABLE_THREAD_SUSPENSION |
 * _FLAG_QUEUE_UPLOAD | _ALWAYS_SHOW_UI | _NO_UI | _DURABLE... the bits Windows accepts */
#define K32_WER_FLAGS_VALID 0xffu

static _Atomic DWORD k32_wer_flags;

int32_t WINAPI WerSetFlags(DWORD flags)
{
    if (flags & ~K32_WER_FLAGS_VALID)
        return K32_E_INVALIDARG;
    atomic_store(&k32_wer_flags, flags);
    return K32_S_OK;
}
THK_EXPORT(kernel32, WerSetFlags, 1);

/* process: the current process (any handle to it); flags: out. */
int32_t WINAPI WerGetFlags(HANDLE process, DWORD *flags)
{
    (void)process;
    DWORD v = atomic_load(&k32_wer_flags);
    if (!flags)
        return K32_E_POINTER;
    if (rt_safe_copy(flags, &v, sizeof v))
        return K32_E_POINTER;
    return K32_S_OK;
}
THK_EXPORT(kernel32, WerGetFlags, 2);
