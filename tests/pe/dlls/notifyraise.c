/* notifyraise.dll (pe.dll_notify_raise): a DllMain and a TLS callback that raise an exception
 * they leave unhandled, for the reason named by the environment variable NOTIFYRAISE
 * ("main:1" = DllMain at DLL_PROCESS_ATTACH, "main:0" = at DLL_PROCESS_DETACH, "tls:1",
 * "tls:0", "av:1" = DllMain reads address 0 at DLL_PROCESS_ATTACH). Each call adds one to the
 * environment variable NOTIFYRAISE_MAIN or NOTIFYRAISE_TLS, so the program can count the calls
 * of a DLL that is no longer loaded. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <windows.h>

static volatile ULONG_PTR bad_address; /* 0, read through a variable: a real load */

static void count(const char *var)
{
    char buf[16] = "0";
    GetEnvironmentVariableA(var, buf, sizeof buf);
    snprintf(buf, sizeof buf, "%d", atoi(buf) + 1);
    SetEnvironmentVariableA(var, buf);
}

static int raises(const char *who, DWORD reason)
{
    char mode[16] = "", want[16];
    GetEnvironmentVariableA("NOTIFYRAISE", mode, sizeof mode);
    snprintf(want, sizeof want, "%s:%lu", who, (unsigned long)reason);
    return strcmp(mode, want) == 0;
}

static void NTAPI tls_callback(PVOID inst, DWORD reason, PVOID reserved)
{
    (void)inst;
    (void)reserved;
    if (reason != DLL_PROCESS_ATTACH && reason != DLL_PROCESS_DETACH)
        return;
    count("NOTIFYRAISE_TLS");
    if (raises("tls", reason))
        RaiseException(EXCEPTION_DATATYPE_MISALIGNMENT, EXCEPTION_NONCONTINUABLE, 0, NULL);
}

extern const IMAGE_TLS_DIRECTORY _tls_used;
__attribute__((section(".CRT$XLB"), used)) PIMAGE_TLS_CALLBACK p_notifyraise_tls = tls_callback;

BOOL WINAPI DllMain(HINSTANCE inst, DWORD reason, LPVOID reserved)
{
    (void)inst;
    (void)reserved;
    if (reason != DLL_PROCESS_ATTACH && reason != DLL_PROCESS_DETACH)
        return TRUE;
    count("NOTIFYRAISE_MAIN");
    if (raises("main", reason))
        RaiseException(EXCEPTION_DATATYPE_MISALIGNMENT, EXCEPTION_NONCONTINUABLE, 0, NULL);
    if (raises("av", reason))
        return *(volatile int *)bad_address;
    return TRUE;
}

__declspec(dllexport) int notifyraise_tls_directory(void)
{
    return _tls_used.AddressOfCallBacks != 0;
}
