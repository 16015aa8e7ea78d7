/* attach_tls.dll (msvc.dll_attach_raise): two TLS callbacks; the first raises 0xE0000002 for
 * DLL_PROCESS_ATTACH, the second and DllMain note that they ran (environment variables the
 * program reads). The TLS directory is made by hand, as MSVC's tlssup does: _tls_used. */
__declspec(dllimport) void __stdcall RaiseException(unsigned long code, unsigned long flags,
                                                    unsigned long nargs,
                                                    const unsigned long long *args);
__declspec(dllimport) int __stdcall SetEnvironmentVariableA(const char *name,
                                                            const char *value);

typedef void(__stdcall *tls_callback)(void *instance, unsigned long reason, void *reserved);

static void __stdcall tls_raise(void *instance, unsigned long reason, void *reserved)
{
    (void)instance;
    (void)reserved;
    if (reason == 1)
        RaiseException(0xE0000002, 0, 0, 0);
}

static void __stdcall tls_note(void *instance, unsigned long reason, void *reserved)
{
    (void)instance;
    (void)reserved;
    if (reason == 1)
        SetEnvironmentVariableA("ATTACH_TLS_SECOND", "ran");
}

static unsigned long tls_index;
static tls_callback tls_callbacks[] = {tls_raise, tls_note, 0};

struct tls_directory {
    const void *start, *end;
    unsigned long *index;
    tls_callback *callbacks;
    unsigned long zero_fill, characteristics;
};
const struct tls_directory _tls_used = {0, 0, &tls_index, tls_callbacks, 0, 0};

__declspec(dllexport) int attach_tls_marker;

int __stdcall DllMain(void *instance, unsigned long reason, void *reserved)
{
    (void)instance;
    (void)reserved;
    if (reason == 1)
        SetEnvironmentVariableA("ATTACH_TLS_DLLMAIN", "ran");
    return 1;
}
