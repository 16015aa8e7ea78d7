/* What .NET's runtime (the NativeAOT azmcp.exe of tests/corpus3p) asks of Windows at start-up:
 * RoInitialize entering the MTA (S_OK, S_FALSE again, RPC_E_CHANGED_MODE for an STA) and
 * RoUninitialize; CoGetContextToken (CO_E_NOTINITIALIZED outside any apartment, E_POINTER for
 * NULL, one token for the MTA's threads, another for an STA, an object answering IUnknown);
 * WerRegisterRuntimeExceptionModule up to WER_MAX_REGISTERED_RUNTIME_EXCEPTION_MODULES (16), then
 * HRESULT_FROM_WIN32(ERROR_INSUFFICIENT_BUFFER), and WerUnregisterRuntimeExceptionModule;
 * RegisterEventSourceW, ReportEventW and DeregisterEventSource on the local machine;
 * GetTempPath2W, GetTempPathW's answer for a process that is not SYSTEM.
 * Wine 8.0 prints the same but for WER (its calls are stubs: 17 registered), GetTempPath2W
 * (missing) and the implicit MTA's token (Wine makes one per thread; Windows has one default
 * context per apartment, which the MTA's threads, implicit ones too, share). */
#include <windows.h>
#include <objbase.h>
#include <stdio.h>

typedef HRESULT(WINAPI *ro_init_fn)(int);
typedef void(WINAPI *ro_uninit_fn)(void);
typedef HRESULT(WINAPI *token_fn)(ULONG_PTR *);
typedef HRESULT(WINAPI *wer_fn)(PCWSTR, PVOID);
typedef DWORD(WINAPI *temp2_fn)(DWORD, WCHAR *);

static token_fn get_token;
static ULONG_PTR thread_token;
static HRESULT thread_hr;

static DWORD WINAPI in_implicit_mta(void *arg)
{
    thread_hr = get_token(&thread_token);
    return 0;
}

static DWORD WINAPI in_sta(void *arg)
{
    CoInitializeEx(NULL, COINIT_APARTMENTTHREADED);
    thread_hr = get_token(&thread_token);
    CoUninitialize();
    return 0;
}

static void run(LPTHREAD_START_ROUTINE fn)
{
    HANDLE t = CreateThread(NULL, 0, fn, NULL, 0, NULL);
    WaitForSingleObject(t, INFINITE);
    CloseHandle(t);
}

int main(void)
{
    HMODULE combase = LoadLibraryA("combase.dll");
    ro_init_fn ro_init = (ro_init_fn)GetProcAddress(combase, "RoInitialize");
    ro_uninit_fn ro_uninit = (ro_uninit_fn)GetProcAddress(combase, "RoUninitialize");
    get_token = (token_fn)GetProcAddress(combase, "CoGetContextToken");
    if (!ro_init || !ro_uninit || !get_token) {
        printf("combase lacks RoInitialize/RoUninitialize/CoGetContextToken\n");
        return 1;
    }
    ULONG_PTR token = 1;
    printf("CoGetContextToken outside an apartment: 0x%08lx\n", (unsigned long)get_token(&token));
    HRESULT first = ro_init(1), second = ro_init(1), sta = ro_init(0);
    printf("RoInitialize(MTA): 0x%08lx, again: 0x%08lx, STA: 0x%08lx\n", (unsigned long)first,
           (unsigned long)second, (unsigned long)sta);
    HRESULT hr = get_token(&token);
    ULONG_PTR again = 0;
    get_token(&again);
    HRESULT null_hr = get_token(NULL);
    printf("CoGetContextToken in the MTA: 0x%08lx, non-zero %d, the same twice %d, NULL: 0x%08lx\n",
           (unsigned long)hr, token != 0, token == again, (unsigned long)null_hr);
    IUnknown *ctx = (IUnknown *)token, *unk = NULL;
    hr = ctx->lpVtbl->QueryInterface(ctx, &IID_IUnknown, (void **)&unk);
    printf("the context's IUnknown: 0x%08lx\n", (unsigned long)hr);
    if (unk)
        unk->lpVtbl->Release(unk);
    run(in_implicit_mta);
    printf("a thread in the implicit MTA: 0x%08lx, the same token %d\n", (unsigned long)thread_hr,
           thread_token == token);
    run(in_sta);
    printf("a thread in an STA: 0x%08lx, another token %d\n", (unsigned long)thread_hr,
           thread_token != token && thread_token != 0);
    ro_uninit();
    ro_uninit();

    HMODULE k32 = GetModuleHandleA("kernel32.dll");
    wer_fn reg = (wer_fn)GetProcAddress(k32, "WerRegisterRuntimeExceptionModule");
    wer_fn unreg = (wer_fn)GetProcAddress(k32, "WerUnregisterRuntimeExceptionModule");
    int ok = 0;
    HRESULT last = 0;
    static int ctxs[17];
    for (int i = 0; i < 17; i++) {
        last = reg(L"C:\\dotnet\\mscordaccore.dll", &ctxs[i]);
        ok += last == S_OK;
    }
    printf("WerRegisterRuntimeExceptionModule: %d registered, the 17th: 0x%08lx\n", ok,
           (unsigned long)last);
    HRESULT un = unreg(L"C:\\dotnet\\mscordaccore.dll", &ctxs[3]);
    HRESULT re = reg(L"C:\\dotnet\\mscordaccore.dll", &ctxs[16]);
    printf("WerUnregisterRuntimeExceptionModule: 0x%08lx, then one more registered: 0x%08lx\n",
           (unsigned long)un, (unsigned long)re);

    HANDLE src = RegisterEventSourceW(NULL, L"ntrun-test");
    const WCHAR *strings[] = {L"started"};
    BOOL rep = src ? ReportEventW(src, EVENTLOG_INFORMATION_TYPE, 0, 1000, NULL, 1, 0, strings, NULL) : FALSE;
    BOOL dereg = src ? DeregisterEventSource(src) : FALSE;
    printf("RegisterEventSourceW: %d, ReportEventW: %d, DeregisterEventSource: %d\n", src != NULL,
           rep, dereg);

    temp2_fn temp2 = (temp2_fn)GetProcAddress(k32, "GetTempPath2W");
    WCHAR a[MAX_PATH], b[MAX_PATH];
    DWORD na = GetTempPathW(MAX_PATH, a), nb = temp2 ? temp2(MAX_PATH, b) : 0;
    printf("GetTempPath2W: GetTempPathW's %d\n", na && na == nb && !wcscmp(a, b));
    return 0;
}
