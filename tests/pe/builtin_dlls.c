/* The built-in DLL set (thunks/dlls.list): a program importing from many system DLLs loads even
 * though most of what it imports is not implemented, as long as it never calls that; API sets
 * (linked through mingw-w64's libmincore) resolve in their host; LoadLibrary + GetProcAddress
 * tell implemented, unimplemented (NULL, ERROR_PROC_NOT_FOUND: programs probe optional
 * functions this way and fall back) and absent names apart; ntdll!RtlGetCurrentPeb and
 * RtlGetNtVersionNumbers (which Go's runtime resolves) work. Behaves the same on Windows 10,
 * except that there the unimplemented names resolve. */
#include <winsock2.h>
#include <windows.h>
#include <shellapi.h>
#include <objbase.h>
#include <ole2.h>
#include <stdio.h>

/* Imports that must bind (and never be called): one from each of several system DLLs. */
static void *volatile never_called[] = {
    (void *)DrawIcon,      /* user32 */
    (void *)ExtractIconA,  /* shell32 */
    (void *)AbortSystemShutdownA, /* advapi32 */
    (void *)OleFlushClipboard, /* ole32 */
    (void *)WSAStartup,    /* ws2_32 */
    (void *)CreateSolidBrush, /* gdi32 */
};

static void probe(HMODULE h, const char *dll, const char *name)
{
    SetLastError(0xdeadbeef);
    FARPROC p = GetProcAddress(h, name);
    DWORD e = GetLastError();
    printf("%s!%s: %s, error %lu\n", dll, name, p ? "found" : "NULL", p ? 0 : e);
}

int main(void)
{
    int bound = 0;
    for (size_t i = 0; i < sizeof never_called / sizeof never_called[0]; i++)
        bound += never_called[i] != NULL;
    printf("imports from user32, shell32, advapi32, ole32, ws2_32, gdi32 bound: %d\n", bound);

    /* GetCurrentProcessId and GetTickCount come from api-ms-win-core-* sets (-lmincore). */
    printf("api-set GetCurrentProcessId: %s\n", GetCurrentProcessId() != 0 ? "ok" : "0");
    HMODULE set = GetModuleHandleA("api-ms-win-core-processthreads-l1-1-0.dll");
    HMODULE kb = GetModuleHandleA("kernelbase.dll");
    printf("API set module is kernelbase's: %s\n", set && set == kb ? "yes" : "no");

    HMODULE adv = LoadLibraryA("advapi32.dll");
    printf("LoadLibrary(advapi32): %s\n", adv ? "ok" : "NULL");
    probe(adv, "advapi32", "NoSuchFunctionAnywhere");
    HMODULE k32 = LoadLibraryA("KERNEL32.DLL");
    probe(k32, "kernel32", "GetCurrentProcessId");
    probe(k32, "kernel32", "NoSuchFunctionAnywhere");
    typedef DWORD(WINAPI * pid_fn)(void);
    pid_fn pid = (pid_fn)(void (*)(void))GetProcAddress(kb, "GetCurrentProcessId");
    printf("kernelbase!GetCurrentProcessId agrees: %s\n",
           pid && pid() == GetCurrentProcessId() ? "yes" : "no");
    HMODULE ws = LoadLibraryA("ws2_32");
    SetLastError(0xdeadbeef);
    FARPROC by_ord = GetProcAddress(ws, (LPCSTR)(ULONG_PTR)1000);
    printf("ws2_32 ordinal 1000: %s, error %lu\n", by_ord ? "found" : "NULL", GetLastError());

    HMODULE nt = GetModuleHandleA("ntdll.dll");
    typedef void *(WINAPI * peb_fn)(void);
    typedef void(WINAPI * ver_fn)(DWORD *, DWORD *, DWORD *);
    peb_fn get_peb = (peb_fn)(void (*)(void))GetProcAddress(nt, "RtlGetCurrentPeb");
    ver_fn get_ver = (ver_fn)(void (*)(void))GetProcAddress(nt, "RtlGetNtVersionNumbers");
    void *teb_peb = ((void **)NtCurrentTeb())[12]; /* TEB->ProcessEnvironmentBlock, 0x60 */
    printf("RtlGetCurrentPeb is the TEB's PEB: %s\n",
           get_peb && get_peb() == teb_peb ? "yes" : "no");
    DWORD major = 0, minor = 7, build = 0;
    if (get_ver)
        get_ver(&major, &minor, &build);
    printf("RtlGetNtVersionNumbers: %lu.%lu, build flags %#lx\n", major, minor,
           build & 0xf0000000);
    return 0;
}
