/* attach_raise.dll (msvc.dll_attach_raise): its DllMain raises 0xE0000001 for
 * DLL_PROCESS_ATTACH, after a __finally of its own that the unwind runs; nothing else. */
__declspec(dllimport) void __stdcall RaiseException(unsigned long code, unsigned long flags,
                                                    unsigned long nargs,
                                                    const unsigned long long *args);
__declspec(dllimport) int __stdcall SetEnvironmentVariableA(const char *name,
                                                            const char *value);

__declspec(dllexport) int attach_raise_marker;

int __stdcall DllMain(void *instance, unsigned long reason, void *reserved)
{
    (void)instance;
    (void)reserved;
    if (reason == 1 /* DLL_PROCESS_ATTACH */) {
        __try {
            RaiseException(0xE0000001, 0, 0, 0);
        } __finally {
            SetEnvironmentVariableA("ATTACH_RAISE_FINALLY", "ran");
        }
    }
    if (reason == 0 /* DLL_PROCESS_DETACH */)
        SetEnvironmentVariableA("ATTACH_RAISE_DETACH", "ran");
    return 1;
}
