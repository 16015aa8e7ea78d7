/* SPDX-License-Identifier: MIT */
/* Windows Error Reporting's per-process flags: WerSetFlags / WerGetFlags. Go's runtime sets
 * WER_FAULT_REPORTING_NO_UI at start-up (read, or, write back). ntrun has no error reporting
 * to configure, so the flags are only kept, for the current process, and read back.
 * Runtime exception modules (WerRegister/UnregisterRuntimeExceptionModule: .NET's runtime
 * registers its crash-report DLL at start-up) are recorded, by DLL name and context, up to
 * WER_MAX_REGISTERED_RUNTIME_EXCEPTION_MODULES (16) as Windows allows; no crash ever loads
 * them, since ntrun has no WER service. */
#include <pthread.h>
#include <stdatomic.h>
#include <string.h>
#include "thunks/kernel32/kernel32_private.h"

#define K32_S_OK 0
#define K32_E_INVALIDARG ((int32_t)0x80070057)
#define K32_E_POINTER ((int32_t)0x80004003)
#define K32_HR_INSUFFICIENT_BUFFER ((int32_t)0x8007007A) /* HRESULT_FROM_WIN32(122) */
#define K32_HR_NOT_FOUND ((int32_t)0x80070490)           /* HRESULT_FROM_WIN32(1168) */
#define K32_WER_MAX_MODULES 16
#define K32_WER_NAME_MAX 260
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

static struct {
    WCHAR name[K32_WER_NAME_MAX];
    void *context;
    bool used;
} k32_wer_modules[K32_WER_MAX_MODULES];
static pthread_mutex_t k32_wer_lock = PTHREAD_MUTEX_INITIALIZER;

/* The DLL's name copied in (fault-safe), NUL-terminated; false for a NULL, unreadable or
 * over-long name. */
static bool k32_wer_name(const WCHAR *dll, WCHAR *out)
{
    if (!dll)
        return false;
    for (size_t i = 0; i < K32_WER_NAME_MAX; i++) {
        if (rt_safe_copy(&out[i], &dll[i], sizeof(WCHAR)))
            return false;
        if (!out[i])
            return true;
    }
    return false;
}

static bool k32_wer_same(const WCHAR *a, const WCHAR *b)
{
    for (; *a && *a == *b; a++, b++)
        ;
    return *a == *b;
}

int32_t WINAPI WerRegisterRuntimeExceptionModule(const WCHAR *dll, void *context)
{
    WCHAR name[K32_WER_NAME_MAX];
    if (!k32_wer_name(dll, name))
        return K32_E_INVALIDARG;
    int32_t hr = K32_HR_INSUFFICIENT_BUFFER;
    pthread_mutex_lock(&k32_wer_lock);
    for (int i = 0; i < K32_WER_MAX_MODULES; i++) {
        if (k32_wer_modules[i].used)
            continue;
        memcpy(k32_wer_modules[i].name, name, sizeof name);
        k32_wer_modules[i].context = context;
        k32_wer_modules[i].used = true;
        hr = K32_S_OK;
        break;
    }
    pthread_mutex_unlock(&k32_wer_lock);
    return hr;
}
THK_EXPORT(kernel32, WerRegisterRuntimeExceptionModule, 2);

/* Removes the registration of that DLL with that context; HRESULT_FROM_WIN32(ERROR_NOT_FOUND)
 * when there is none. */
int32_t WINAPI WerUnregisterRuntimeExceptionModule(const WCHAR *dll, void *context)
{
    WCHAR name[K32_WER_NAME_MAX];
    if (!k32_wer_name(dll, name))
        return K32_E_INVALIDARG;
    int32_t hr = K32_HR_NOT_FOUND;
    pthread_mutex_lock(&k32_wer_lock);
    for (int i = 0; i < K32_WER_MAX_MODULES; i++) {
        if (k32_wer_modules[i].used && k32_wer_modules[i].context == context &&
            k32_wer_same(k32_wer_modules[i].name, name)) {
            k32_wer_modules[i].used = false;
            hr = K32_S_OK;
            break;
        }
    }
    pthread_mutex_unlock(&k32_wer_lock);
    return hr;
}
THK_EXPORT(kernel32, WerUnregisterRuntimeExceptionModule, 2);
