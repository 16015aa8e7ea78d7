/* dll_notify_raise: an exception a DLL's DllMain or TLS callback leaves unhandled, as Windows'
 * loader treats it (its __except around each call of LdrpCallInitRoutine). notifyraise.dll
 * raises EXCEPTION_DATATYPE_MISALIGNMENT (noncontinuable) where NOTIFYRAISE says, or reads
 * address 0:
 *  - DllMain at DLL_PROCESS_ATTACH: LoadLibrary fails with ERROR_DLL_INIT_FAILED (1114) on
 *    Windows 8 and later (Windows 7 and before, and Wine 8.0, give the exception's status as the
 *    error: ERROR_NOACCESS, 998, for both exceptions); the DLL is unloaded without a
 *    DLL_PROCESS_DETACH call (DllMain and the TLS callback ran once);
 *  - DllMain at DLL_PROCESS_DETACH: FreeLibrary succeeds and the DLL is gone;
 *  - the TLS callback at DLL_PROCESS_ATTACH or DETACH: the exception is taken, DllMain still
 *    runs, LoadLibrary/FreeLibrary succeed;
 * and the program's own exceptions are still dispatched afterwards. The figures are those the
 * ReactOS API test ntdll:load_notifications records per Windows version (the same scenarios:
 * modules/rostests/apitests/ntdll/load_notifications.c, written against Windows). A vectored
 * handler of the program sees each exception first (vectored handlers run before any frame's)
 * and passes it on; the loader's frame handler then takes it. Wine 8.0 differs in the two
 * attach lines: error 998, and it sends DLL_PROCESS_DETACH after the exception (DllMain 2,
 * TLS 2), which Windows does not. */
#include <stdio.h>
#include <stdlib.h>
#include <windows.h>

static int counter(const char *var)
{
    char buf[16] = "0";
    GetEnvironmentVariableA(var, buf, sizeof buf);
    return atoi(buf);
}

#define EXC_AFTER 0xE0000D01u

static int caller_saw, continued;

static LONG WINAPI caller_filter(EXCEPTION_POINTERS *ep)
{
    if (ep->ExceptionRecord->ExceptionCode == EXC_AFTER) {
        continued++;
        return EXCEPTION_CONTINUE_EXECUTION;
    }
    caller_saw++;
    return EXCEPTION_CONTINUE_SEARCH;
}

static void scenario(const char *mode, const char *what)
{
    SetEnvironmentVariableA("NOTIFYRAISE", mode);
    SetEnvironmentVariableA("NOTIFYRAISE_MAIN", "0");
    SetEnvironmentVariableA("NOTIFYRAISE_TLS", "0");
    caller_saw = 0;
    SetLastError(0xdeadbeef);
    HMODULE m = LoadLibraryA("notifyraise.dll");
    DWORD err = GetLastError();
    printf("%s: LoadLibrary %s", what, m ? "succeeded" : "failed");
    if (!m)
        printf(", error %lu", (unsigned long)err);
    printf(", loaded %s, DllMain %d, TLS %d\n", GetModuleHandleA("notifyraise.dll") ? "yes" : "no",
           counter("NOTIFYRAISE_MAIN"), counter("NOTIFYRAISE_TLS"));
    if (m) {
        BOOL ok = FreeLibrary(m);
        printf("%s: FreeLibrary %s, loaded %s, DllMain %d, TLS %d\n", what, ok ? "TRUE" : "FALSE",
               GetModuleHandleA("notifyraise.dll") ? "yes" : "no", counter("NOTIFYRAISE_MAIN"),
               counter("NOTIFYRAISE_TLS"));
    }
    printf("%s: the caller's vectored handler saw %d exception(s)\n", what, caller_saw > 0 ? 1 : 0);
}

int main(void)
{
    void *veh = AddVectoredExceptionHandler(1, caller_filter);
    scenario("", "no exception");
    scenario("main:1", "DllMain raises at attach");
    scenario("av:1", "DllMain faults at attach");
    scenario("main:0", "DllMain raises at detach");
    scenario("tls:1", "TLS callback raises at attach");
    scenario("tls:0", "TLS callback raises at detach");
    RaiseException(EXC_AFTER, 0, 0, NULL);
    printf("an exception of the program's own after them: continued %d\n", continued);
    RemoveVectoredExceptionHandler(veh);
    return 0;
}
