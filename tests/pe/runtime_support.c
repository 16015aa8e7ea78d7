/* runtime_support: calls language runtimes (the Dart VM, Rust's std) make at start, as Windows
 * answers them: UrlIsW's URL/file/opaque questions, GetCurrentThreadStackLimits around a local
 * variable (main thread and a new one), a growable function table found by RtlLookupFunctionEntry
 * only for the entries it has grown to, and gone after its deletion, dbghelp's options. */
#include <stdio.h>
#include <string.h>
#include <windows.h>

BOOL WINAPI UrlIsW(const WCHAR *url, int what);
DWORD WINAPI SymSetOptions(DWORD options);
DWORD WINAPI SymGetOptions(void);
BOOL WINAPI SymInitialize(HANDLE process, const char *path, BOOL invade);
BOOL WINAPI SymCleanup(HANDLE process);
/* RtlAddGrowableFunctionTable, RtlGrowFunctionTable, RtlDeleteGrowableFunctionTable: winnt.h */
typedef void(WINAPI *limits_fn)(ULONG_PTR *, ULONG_PTR *);

static limits_fn limits;
static int stack_ok(void)
{
    volatile int local = 0;
    ULONG_PTR lo = 0, hi = 0;
    limits(&lo, &hi);
    return lo && lo < (ULONG_PTR)&local && (ULONG_PTR)&local < hi && hi - lo >= 0x10000;
}
static DWORD WINAPI thread_main(void *arg) { (void)arg; return (DWORD)stack_ok(); }

int main(void)
{
    printf("UrlIsW URL: %d %d %d\n", UrlIsW(L"https://x.org/a", 0), UrlIsW(L"file:///C:/a", 0),
           UrlIsW(L"C:\\dir\\file", 0));
    printf("UrlIsW FILEURL: %d %d\n", UrlIsW(L"FILE:///C:/a", 3), UrlIsW(L"http://a/", 3));
    printf("UrlIsW OPAQUE: %d %d\n", UrlIsW(L"mailto:a@b.c", 1), UrlIsW(L"http://a/", 1));

    limits = (limits_fn)(void *)GetProcAddress(GetModuleHandleA("kernel32.dll"),
                                               "GetCurrentThreadStackLimits");
    HANDLE th = CreateThread(NULL, 0, thread_main, NULL, 0, NULL);
    WaitForSingleObject(th, INFINITE);
    DWORD other = 0;
    GetExitCodeThread(th, &other);
    printf("stack limits hold a local: main %d, thread %lu\n", limits ? stack_ok() : -1,
           (unsigned long)other);

    /* A growable table over a range nothing else covers: two entries, one visible at first. */
    static RUNTIME_FUNCTION table[2];
    static BYTE unwind[4] = {1, 0, 0, 0}; /* version 1, no codes */
    BYTE *range = VirtualAlloc(NULL, 0x10000, MEM_COMMIT | MEM_RESERVE, PAGE_READWRITE);
    ULONG_PTR base = (ULONG_PTR)range;
    memcpy(range + 0x8000, unwind, sizeof unwind);
    table[0] = (RUNTIME_FUNCTION){0x100, 0x200, 0x8000};
    table[1] = (RUNTIME_FUNCTION){0x300, 0x400, 0x8000};
    void *dyn = NULL;
    NTSTATUS st = RtlAddGrowableFunctionTable(&dyn, table, 1, 2, base, base + 0x10000);
    DWORD64 b = 0, b1 = 0;
    RUNTIME_FUNCTION *f1 = RtlLookupFunctionEntry(base + 0x150, &b1, NULL);
    RUNTIME_FUNCTION *f2 = RtlLookupFunctionEntry(base + 0x350, &b, NULL);
    printf("growable: %08lx, first %d, second before growing %d\n", (unsigned long)st,
           f1 == &table[0] && b1 == base, f2 != NULL);
    RtlGrowFunctionTable(dyn, 2);
    f2 = RtlLookupFunctionEntry(base + 0x350, &b, NULL);
    printf("after growing: %d\n", f2 == &table[1]);
    RtlDeleteGrowableFunctionTable(dyn);
    printf("after deleting: %d\n", RtlLookupFunctionEntry(base + 0x150, &b, NULL) != NULL);

    DWORD old = SymSetOptions(0x12);
    DWORD now = SymGetOptions();
    /* in this order: SymCleanup before SymInitialize fails (ERROR_INVALID_HANDLE) */
    BOOL init = SymInitialize(GetCurrentProcess(), NULL, FALSE);
    BOOL cleanup = SymCleanup(GetCurrentProcess());
    printf("dbghelp: set %lx, get %lx, init %d, cleanup %d\n", (unsigned long)old,
           (unsigned long)now, init, cleanup);
    return 0;
}
