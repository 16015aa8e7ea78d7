/* mydll2.dll: a dependency of mydll.dll (imported by it, and the target of one of its
 * forwarders by ordinal). Its DllMain logs each reason, so the tests see that it is
 * initialized before mydll.dll and detached after it; it counts its DLL_THREAD_* calls. Its
 * preferred base (mydll2.flags) is the programs' own, 0x140000000, so it is always relocated: a
 * table of string pointers and a function pointer check that the relocations were applied. */
#include <stdio.h>
#include <windows.h>

__declspec(dllexport) int Mul2(int a, int b) { return a * b; }
__declspec(dllexport) int Square(int a) { return a * a; }

static const char *const names[] = {"zero", "one", "two", "three"};
static int (*const square_ptr)(int) = Square;
/* names[i] through the relocated pointer table, and Square through a relocated pointer. */
__declspec(dllexport) const char *Mydll2Name(int i) { return names[i & 3]; }
__declspec(dllexport) int Mydll2SquareViaPointer(int a) { return square_ptr(a); }

static int thread_calls;
/* DLL_THREAD_ATTACH + DLL_THREAD_DETACH calls so far. */
__declspec(dllexport) int Mydll2ThreadCalls(void) { return thread_calls; }
/* This DLL has no static TLS, so DisableThreadLibraryCalls works on it. */
__declspec(dllexport) int Mydll2DisableThreadCalls(void)
{
    return DisableThreadLibraryCalls(GetModuleHandleA("mydll2.dll"));
}

BOOL WINAPI DllMain(HINSTANCE inst, DWORD reason, LPVOID reserved)
{
    if (reason == DLL_THREAD_ATTACH || reason == DLL_THREAD_DETACH)
        thread_calls++;
    if (reason == DLL_PROCESS_ATTACH || reason == DLL_PROCESS_DETACH) {
        printf("mydll2: %s\n", reason == DLL_PROCESS_ATTACH ? "DLL_PROCESS_ATTACH"
                                                           : "DLL_PROCESS_DETACH");
        fflush(stdout);
    }
    return TRUE;
}
