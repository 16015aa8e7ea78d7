/* attach_count.dll (msvc.dll_attach_raise): counts its DllMain's DLL_THREAD_ATTACH calls. */
static volatile long thread_attaches;

__declspec(dllexport) long attach_count_threads(void) { return thread_attaches; }

int __stdcall DllMain(void *instance, unsigned long reason, void *reserved)
{
    (void)instance;
    (void)reserved;
    if (reason == 2 /* DLL_THREAD_ATTACH */)
        thread_attaches++;
    return 1;
}
