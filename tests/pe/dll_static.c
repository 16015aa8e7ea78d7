/* dll_static: a program that imports from DLLs of its own (tests/pe/dlls): mydll.dll, which
 * imports from mydll2.dll. mydll2's DllMain runs before mydll's (dependencies first), both with
 * a non-NULL lpReserved (static load), and after main returns they are detached in reverse
 * order. Calls through the import table: a plain export, one that calls into mydll2, exports
 * forwarded by ordinal to mydll itself and to mydll2, one forwarded to kernel32 (its IAT slot
 * holds kernel32's GetTickCount), a data export. mydll's static TLS block on the main thread
 * (template value, then this thread's changes). The modules in PEB->Ldr: both DLLs in the
 * load-order list with their bases and names, mydll2 before mydll in the initialization-order
 * list, the program not in it. GetModuleHandle / GetModuleFileName of the DLLs. mydll2 wants
 * the program's base address, so it is relocated: pointers in its data still work. */
#include <stdio.h>
#include <string.h>
#include <windows.h>
#include <winternl.h>

__declspec(dllimport) int MyAdd(int a, int b);
__declspec(dllimport) int MyTimesTwo(int a);
__declspec(dllimport) int MyAddAgain(int a, int b);
__declspec(dllimport) int MySquare(int a);
__declspec(dllimport) DWORD WINAPI MyGetTickCount(void);
__declspec(dllimport) int MyTlsBump(int add);
__declspec(dllimport) int MyTlsCallbackCalls(void);
__declspec(dllimport) extern int my_data_export;
__declspec(dllimport) int Mul2(int a, int b);
__declspec(dllimport) const char *Mydll2Name(int i);
__declspec(dllimport) int Mydll2SquareViaPointer(int a);

/* LDR_DATA_TABLE_ENTRY as winternl.h lacks it: the fields up to BaseDllName. */
typedef struct {
    LIST_ENTRY InLoadOrderLinks;
    LIST_ENTRY InMemoryOrderLinks;
    LIST_ENTRY InInitializationOrderLinks;
    void *DllBase;
    void *EntryPoint;
    ULONG SizeOfImage;
    UNICODE_STRING FullDllName;
    UNICODE_STRING BaseDllName;
} ENTRY;

static int index_in_list(LIST_ENTRY *head, size_t link_offset, const WCHAR *name)
{
    int i = 0;
    for (LIST_ENTRY *e = head->Flink; e != head; e = e->Flink, i++) {
        ENTRY *m = (ENTRY *)((char *)e - link_offset);
        if (m->BaseDllName.Buffer && _wcsicmp(m->BaseDllName.Buffer, name) == 0)
            return i;
    }
    return -1;
}

static ENTRY *find_entry(LIST_ENTRY *head, const WCHAR *name)
{
    for (LIST_ENTRY *e = head->Flink; e != head; e = e->Flink) {
        ENTRY *m = (ENTRY *)e;
        if (m->BaseDllName.Buffer && _wcsicmp(m->BaseDllName.Buffer, name) == 0)
            return m;
    }
    return NULL;
}

int main(void)
{
    printf("main: start\n");
    printf("MyAdd(2, 3) = %d\n", MyAdd(2, 3));
    printf("MyTimesTwo(21) = %d (through mydll2's Mul2: %d)\n", MyTimesTwo(21), Mul2(6, 7));
    printf("MyAddAgain(40, 2) = %d (forwarded to mydll.#1)\n", MyAddAgain(40, 2));
    printf("MySquare(12) = %d (forwarded to mydll2.#5)\n", MySquare(12));
    HMODULE k32 = GetModuleHandleA("kernel32.dll");
    printf("MyGetTickCount is kernel32's GetTickCount: %s\n",
           (void *)MyGetTickCount == (void *)GetProcAddress(k32, "GetTickCount") ? "yes" : "no");
    printf("my_data_export = %d\n", my_data_export);
    printf("TLS: %d", MyTlsBump(5));
    printf(", then %d\n", MyTlsBump(0));
    printf("mydll's TLS callback ran: %s\n", MyTlsCallbackCalls() > 0 ? "yes" : "no");
    HMODULE m2 = GetModuleHandleA("mydll2.dll");
    printf("mydll2 relocated away from 0x140000000: %s; Mydll2Name(2) = %s, "
           "Mydll2SquareViaPointer(5) = %d\n",
           m2 && m2 != (HMODULE)0x140000000 ? "yes" : "no", Mydll2Name(2),
           Mydll2SquareViaPointer(5));

    HMODULE h = GetModuleHandleA("MYDLL.DLL"), h2 = GetModuleHandleA("mydll2");
    printf("GetModuleHandle: mydll %s, mydll2 %s, same: %s\n", h ? "found" : "missing",
           h2 ? "found" : "missing", h == h2 ? "yes" : "no");
    char path[MAX_PATH];
    DWORD n = GetModuleFileNameA(h, path, sizeof path);
    const char *base = strrchr(path, '\\');
    printf("GetModuleFileName: %s (length matches: %s)\n", base ? base + 1 : path,
           n == strlen(path) ? "yes" : "no");
    HMODULE from_addr = NULL;
    GetModuleHandleExA(GET_MODULE_HANDLE_EX_FLAG_FROM_ADDRESS |
                           GET_MODULE_HANDLE_EX_FLAG_UNCHANGED_REFCOUNT,
                       (LPCSTR)(void *)MyAdd, &from_addr);
    printf("GetModuleHandleEx(FROM_ADDRESS, MyAdd) is mydll: %s\n", from_addr == h ? "yes" : "no");

    PEB *peb;
    __asm__("mov %%gs:0x60, %0" : "=r"(peb)); /* TEB.ProcessEnvironmentBlock */
    LIST_ENTRY *load = (LIST_ENTRY *)((char *)peb->Ldr + 0x10);
    LIST_ENTRY *init = (LIST_ENTRY *)((char *)peb->Ldr + 0x30);
    ENTRY *e = find_entry(load, L"mydll.dll");
    printf("PEB->Ldr: mydll.dll %s", e ? "listed" : "missing");
    if (e)
        printf(", DllBase is its handle: %s, SizeOfImage > 0: %s", e->DllBase == h ? "yes" : "no",
               e->SizeOfImage ? "yes" : "no");
    printf("\n");
    int i2 = index_in_list(init, 0x20, L"mydll2.dll"), i1 = index_in_list(init, 0x20, L"mydll.dll");
    printf("initialization order: mydll2 before mydll: %s\n",
           i2 >= 0 && i1 >= 0 && i2 < i1 ? "yes" : "no");
    printf("the program is in the initialization-order list: %s\n",
           index_in_list(init, 0x20, L"dll_static.exe") >= 0 ? "yes" : "no");
    printf("main: end\n");
    return 0;
}
