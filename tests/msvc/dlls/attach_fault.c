/* attach_fault.dll (msvc.dll_attach_raise): its DllMain writes through a null pointer for
 * DLL_PROCESS_ATTACH (an access violation); nothing else. */
__declspec(dllexport) int attach_fault_marker;
static int *volatile nowhere;

int __stdcall DllMain(void *instance, unsigned long reason, void *reserved)
{
    (void)instance;
    (void)reserved;
    if (reason == 1 /* DLL_PROCESS_ATTACH */)
        *nowhere = 1;
    return 1;
}
