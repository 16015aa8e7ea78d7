/* SPDX-License-Identifier: MIT */
/* The Windows Runtime's error reporting (combase; api-ms-win-core-winrt-error-l1-1-0/1):
 * C++/WinRT calls these whenever it throws or catches an hresult_error, so a program that merely
 * handles an error needs them (the reporting stub would end it). The restricted error object is
 * the thread's error object, the one SetErrorInfo/GetErrorInfo keep (thunks/oleaut32/
 * errorinfo.c): SetRestrictedErrorInfo sets it, RoClearError clears it. GetRestrictedErrorInfo
 * takes it off the thread and gives it only when it is a system IRestrictedErrorInfo (Microsoft's
 * page: "If IRestrictedErrorInfo is not a system implementation, the call fails"; "If the most
 * recently set error object doesn't support the IRestrictedErrorInfo interface, the error state
 * for the thread is cleared, but no interface is returned"): ntrun makes none, so it answers
 * S_FALSE and NULL, the thread's object released (NULL output: E_POINTER). RoOriginateError(W),
 * RoOriginateLanguageException and RoTransformError originate nothing and return FALSE (as Wine
 * 8.0's do; the caller's HRESULT stands either way), RoCaptureErrorContext returns S_OK. */
#include "thunks/thunks.h"

#define RE_S_OK 0
#define RE_S_FALSE 1
#define RE_E_POINTER ((int32_t)0x80004003)

/* oleaut32 (thunks/oleaut32/errorinfo.c): the thread's error object */
int32_t WINAPI SetErrorInfo(uint32_t reserved, void *info);
int32_t WINAPI GetErrorInfo(uint32_t reserved, void **info);

int32_t WINAPI SetRestrictedErrorInfo(void *info)
{
    return SetErrorInfo(0, info);
}
THK_EXPORT(combase, SetRestrictedErrorInfo, 1);

int32_t WINAPI GetRestrictedErrorInfo(void **info)
{
    if (!info)
        return RE_E_POINTER;
    *info = NULL;
    void *obj = NULL;
    if (GetErrorInfo(0, &obj) == RE_S_OK && obj) /* no system IRestrictedErrorInfo here */
        thk_call_foreign1((*(void ***)obj)[2], (uint64_t)(uintptr_t)obj); /* Release */
    return RE_S_FALSE;
}
THK_EXPORT(combase, GetRestrictedErrorInfo, 1);

void WINAPI RoClearError(void)
{
    SetErrorInfo(0, NULL);
}
THK_EXPORT(combase, RoClearError, 0);

int32_t WINAPI RoOriginateError(int32_t error, void *message)
{
    (void)error, (void)message;
    return 0;
}
THK_EXPORT(combase, RoOriginateError, 2);

int32_t WINAPI RoOriginateErrorW(int32_t error, uint32_t length, const WCHAR *message)
{
    (void)error, (void)length, (void)message;
    return 0;
}
THK_EXPORT(combase, RoOriginateErrorW, 3);

int32_t WINAPI RoOriginateLanguageException(int32_t error, void *message, void *exception)
{
    (void)error, (void)message, (void)exception;
    return 0;
}
THK_EXPORT(combase, RoOriginateLanguageException, 3);

int32_t WINAPI RoTransformError(int32_t old_error, int32_t new_error, void *message)
{
    (void)old_error, (void)new_error, (void)message;
    return 0;
}
THK_EXPORT(combase, RoTransformError, 3);

int32_t WINAPI RoCaptureErrorContext(int32_t error)
{
    (void)error;
    return RE_S_OK;
}
THK_EXPORT(combase, RoCaptureErrorContext, 1);
