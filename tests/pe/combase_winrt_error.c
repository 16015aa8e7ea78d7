/* combase_winrt_error: the Windows Runtime's error reporting that C++/WinRT calls whenever it
 * throws or catches an hresult_error, found by name in api-ms-win-core-winrt-error-l1-1-0. What
 * Microsoft's pages say: GetRestrictedErrorInfo with no error object is S_FALSE and NULL; an
 * error object on the thread that is no system IRestrictedErrorInfo (here oleaut32's
 * CreateErrorInfo object, set by SetErrorInfo) is taken off the thread by GetRestrictedErrorInfo,
 * which returns S_FALSE and NULL; RoClearError clears the thread's error state. RoOriginateError(W),
 * RoOriginateLanguageException, RoTransformError and RoCaptureErrorContext return (their values
 * are not printed: Windows originates an error object where ntrun and Wine 8.0 do not).
 * Not compared with Wine 8.0: its GetRestrictedErrorInfo is E_NOTIMPL and RoOriginateErrorW
 * is missing. */
#include <stdio.h>
#include <string.h>
#include <windows.h>
#include <oleauto.h>

typedef struct HSTRING__ *HSTRING;

#define GET(var, mod, name)                                                                \
    do {                                                                                   \
        FARPROC fp_ = GetProcAddress(mod, name);                                           \
        if (!fp_) {                                                                        \
            printf("FAIL: %s not found\n", name);                                          \
            return 1;                                                                      \
        }                                                                                  \
        memcpy(&var, &fp_, sizeof fp_);                                                    \
    } while (0)

int main(void)
{
    HMODULE m = LoadLibraryA("api-ms-win-core-winrt-error-l1-1-0.dll");
    if (!m) {
        printf("FAIL: no api-ms-win-core-winrt-error-l1-1-0 (error %lu)\n", GetLastError());
        return 1;
    }
    HRESULT(WINAPI * get)(void **);
    void(WINAPI * clear)(void);
    BOOL(WINAPI * orig)(HRESULT, HSTRING);
    BOOL(WINAPI * origw)(HRESULT, UINT, const WCHAR *);
    BOOL(WINAPI * lang)(HRESULT, HSTRING, IUnknown *);
    BOOL(WINAPI * xform)(HRESULT, HRESULT, HSTRING);
    HRESULT(WINAPI * capture)(HRESULT);
    GET(get, m, "GetRestrictedErrorInfo");
    FARPROC set = GetProcAddress(m, "SetRestrictedErrorInfo"); /* exported; not called here */
    printf("SetRestrictedErrorInfo %s\n", set ? "exported" : "missing");
    GET(clear, m, "RoClearError");
    GET(orig, m, "RoOriginateError");
    GET(origw, m, "RoOriginateErrorW");
    GET(lang, m, "RoOriginateLanguageException");
    GET(xform, m, "RoTransformError");
    GET(capture, m, "RoCaptureErrorContext");

    void *p = (void *)0x1;
    HRESULT hr = get(&p);
    printf("GetRestrictedErrorInfo, none: 0x%08lx, %s\n", (unsigned long)hr, p ? "set" : "NULL");

    ICreateErrorInfo *cei;
    IErrorInfo *ei;
    CreateErrorInfo(&cei);
    cei->lpVtbl->QueryInterface(cei, &IID_IErrorInfo, (void **)&ei);
    cei->lpVtbl->Release(cei);
    IErrorInfo *got;
    SetErrorInfo(0, ei);
    p = (void *)0x1;
    hr = get(&p);
    printf("GetRestrictedErrorInfo, an IErrorInfo set: 0x%08lx, %s\n", (unsigned long)hr,
           p ? "set" : "NULL");
    got = (IErrorInfo *)0x1;
    hr = GetErrorInfo(0, &got);
    printf("then GetErrorInfo: 0x%08lx, %s\n", (unsigned long)hr, got ? "set" : "NULL");

    SetErrorInfo(0, ei);
    clear();
    got = (IErrorInfo *)0x1;
    hr = GetErrorInfo(0, &got);
    printf("RoClearError, then GetErrorInfo: 0x%08lx, %s\n", (unsigned long)hr, got ? "set" : "NULL");
    printf("last Release of the object: %lu\n", ei->lpVtbl->Release(ei));

    orig(E_FAIL, NULL);
    origw(E_FAIL, 5, L"oops!");
    lang(E_FAIL, NULL, NULL);
    xform(E_FAIL, E_OUTOFMEMORY, NULL);
    capture(E_FAIL);
    printf("RoOriginateError, RoOriginateErrorW, RoOriginateLanguageException, RoTransformError, "
           "RoCaptureErrorContext: returned\n");
    clear();
    return 0;
}
