/* COM start-up as console programs (CMake) do it, where no class is registered: CoInitializeEx
 * counts per thread (S_OK, then S_FALSE, RPC_E_CHANGED_MODE for the other apartment kind),
 * CoCreateInstance of an unregistered class gives REGDB_E_CLASSNOTREG and a NULL pointer;
 * NeedCurrentDirectoryForExePathW and the NoDefaultCurrentDirectoryInExePath variable;
 * NtDeviceIoControlFile refusing a control code a file does not know. */
#include <windows.h>
#include <objbase.h>
#include <stdio.h>

static const GUID no_such_class = {0x6a1b2c3d, 0x1111, 0x2222,
                                   {0x33, 0x44, 0x55, 0x66, 0x77, 0x88, 0x99, 0xaa}};

typedef LONG(NTAPI *ioctl_fn)(HANDLE, HANDLE, void *, void *, void *, ULONG, void *, ULONG,
                              void *, ULONG);

int main(void)
{
    printf("CoInitializeEx STA: 0x%08lx\n", (unsigned long)CoInitializeEx(NULL, COINIT_APARTMENTTHREADED));
    printf("CoInitializeEx STA again: 0x%08lx\n", (unsigned long)CoInitializeEx(NULL, COINIT_APARTMENTTHREADED));
    printf("CoInitializeEx MTA: 0x%08lx\n", (unsigned long)CoInitializeEx(NULL, COINIT_MULTITHREADED));
    void *obj = (void *)1;
    HRESULT hr = CoCreateInstance(&no_such_class, NULL, CLSCTX_INPROC_SERVER, &IID_IUnknown, &obj);
    printf("CoCreateInstance of an unregistered class: 0x%08lx NULL %d\n", (unsigned long)hr,
           obj == NULL);
    CoUninitialize();
    CoUninitialize();

    printf("NeedCurrentDirectoryForExePathW(cmd): %d\n", NeedCurrentDirectoryForExePathW(L"cmd"));
    SetEnvironmentVariableW(L"NoDefaultCurrentDirectoryInExePath", L"1");
    printf("  with NoDefaultCurrentDirectoryInExePath: %d, a\\b: %d\n",
           NeedCurrentDirectoryForExePathW(L"cmd"), NeedCurrentDirectoryForExePathW(L"a\\b"));

    ioctl_fn ioctl = (ioctl_fn)GetProcAddress(GetModuleHandleA("ntdll.dll"), "NtDeviceIoControlFile");
    char iosb[16];
    HANDLE f = CreateFileA("com_init.tmp", GENERIC_READ | GENERIC_WRITE, 0, NULL, CREATE_ALWAYS,
                           FILE_FLAG_DELETE_ON_CLOSE, NULL);
    LONG st = ioctl ? ioctl(f, NULL, NULL, NULL, iosb, 0x12345, NULL, 0, NULL, 0) : 0;
    printf("NtDeviceIoControlFile found: %d, an unknown control on a file: 0x%08lx\n",
           ioctl != NULL, (unsigned long)st);
    CloseHandle(f);
    return 0;
}
