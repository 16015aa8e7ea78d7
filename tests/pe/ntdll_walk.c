/* ntdll_walk: what hand-written loaders, DRM and "direct syscall" code do on Windows.
 *  - find ntdll through gs:[0x60] -> PEB -> Ldr -> InLoadOrderModuleList (BaseDllName),
 *    without calling any API;
 *  - parse its export directory by hand and read each system-call number out of the stub
 *    (`mov r10, rcx; mov eax, N; test byte [0x7FFE0308], 1; jnz; syscall; ret`), checking the
 *    stub bytes up to the `syscall` are Windows' own;
 *  - check the "sort the Zw exports by address" method gives the same numbers;
 *  - issue the system calls with its own `syscall` instruction (one shared stub that loads the
 *    number from a variable): NtWriteFile to the standard output, NtQueryPerformanceCounter,
 *    NtAllocateVirtualMemory + NtQueryVirtualMemory + NtFreeVirtualMemory, NtClose of a bad
 *    handle, an unknown number, and a bad pointer (STATUS_ACCESS_VIOLATION, no crash);
 *    every NTSTATUS is checked;
 *  - two calls through `int 2e`, Windows' other system-call entry;
 *  - calls of an export's stub and of a copy of it in the program's own memory.
 * The output does not depend on the Windows build (numbers are not printed). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <windows.h>
#include "fail_check.h"

typedef struct W_UNICODE_STRING { USHORT Length, MaximumLength; WCHAR *Buffer; } W_UNICODE_STRING;
typedef struct W_LDR_ENTRY {
    LIST_ENTRY InLoadOrderLinks;            /* 0x00 */
    LIST_ENTRY InMemoryOrderLinks;          /* 0x10 */
    LIST_ENTRY InInitializationOrderLinks;  /* 0x20 */
    void *DllBase;                          /* 0x30 */
    void *EntryPoint;                       /* 0x38 */
    ULONG SizeOfImage;                      /* 0x40 */
    W_UNICODE_STRING FullDllName;           /* 0x48 */
    W_UNICODE_STRING BaseDllName;           /* 0x58 */
} W_LDR_ENTRY;
typedef struct W_IO_STATUS_BLOCK { LONG_PTR Status; ULONG_PTR Information; } W_IO_STATUS_BLOCK;

/* One `syscall` site in this program's own .text; the number comes from g_ssn. */
static volatile DWORD g_ssn;
__asm__(".text\n"
        ".p2align 4\n"
        ".globl own_syscall\n"
        "own_syscall:\n"
        "    mov %rcx, %r10\n"
        "    mov g_ssn(%rip), %eax\n"
        "    syscall\n"
        "    ret\n");
/* The same through Windows' other entry, `int 2e` (what ntdll's stub does when
 * KUSER_SHARED_DATA.SystemCall is set). */
__asm__(".text\n"
        ".p2align 4\n"
        ".globl own_int2e\n"
        "own_int2e:\n"
        "    mov %rcx, %r10\n"
        "    mov g_ssn(%rip), %eax\n"
        "    int $0x2e\n"
        "    ret\n");
extern char own_syscall[], own_int2e[];
typedef LONG (*sys4)(ULONG_PTR, ULONG_PTR, ULONG_PTR, ULONG_PTR);
typedef LONG (*sys6)(ULONG_PTR, ULONG_PTR, ULONG_PTR, ULONG_PTR, ULONG_PTR, ULONG_PTR);
typedef LONG (*sys9)(ULONG_PTR, ULONG_PTR, ULONG_PTR, ULONG_PTR, ULONG_PTR, ULONG_PTR,
                     ULONG_PTR, ULONG_PTR, ULONG_PTR);

static int wide_ieq(const W_UNICODE_STRING *s, const char *a)
{
    size_t n = s->Length / 2;
    if (strlen(a) != n)
        return 0;
    for (size_t i = 0; i < n; i++) {
        WCHAR c = s->Buffer[i];
        if (c >= 'A' && c <= 'Z')
            c += 32;
        if (c != (WCHAR)a[i])
            return 0;
    }
    return 1;
}

static unsigned char *ntdll_base;
static IMAGE_EXPORT_DIRECTORY *ntdll_exports;

static unsigned char *export_by_name(const char *name)
{
    DWORD *names = (DWORD *)(ntdll_base + ntdll_exports->AddressOfNames);
    WORD *ords = (WORD *)(ntdll_base + ntdll_exports->AddressOfNameOrdinals);
    DWORD *funcs = (DWORD *)(ntdll_base + ntdll_exports->AddressOfFunctions);
    for (DWORD i = 0; i < ntdll_exports->NumberOfNames; i++)
        if (strcmp((const char *)ntdll_base + names[i], name) == 0)
            return ntdll_base + funcs[ords[i]];
    return NULL;
}

static DWORD ssn_of(const char *name)
{
    static const unsigned char head[] = {0x4c, 0x8b, 0xd1, 0xb8};
    static const unsigned char tail[] = {0xf6, 0x04, 0x25, 0x08, 0x03, 0xfe, 0x7f, 0x01,
                                         0x75, 0x03, 0x0f, 0x05, 0xc3};
    unsigned char *p = export_by_name(name);
    if (!p) {
        printf("FAIL: ntdll exports no %s\n", name);
        exit(30);
    }
    if (memcmp(p, head, sizeof head) != 0 || memcmp(p + 8, tail, sizeof tail) != 0) {
        printf("FAIL: %s is not a Windows x64 system-call stub\n", name);
        exit(31);
    }
    DWORD n;
    memcpy(&n, p + 4, 4);
    /* The Zw twin is the same stub. */
    char zw[64];
    snprintf(zw, sizeof zw, "Zw%s", name + 2);
    if (export_by_name(zw) != p) {
        printf("FAIL: %s and %s differ\n", name, zw);
        exit(32);
    }
    return n;
}

/* FreshyCalls: the index of a Zw export among all Zw exports sorted by address. */
static DWORD *zw_sorted;
static DWORD zw_count;
static int cmp_dword(const void *a, const void *b)
{
    DWORD x = *(const DWORD *)a, y = *(const DWORD *)b;
    return x < y ? -1 : x > y;
}
static DWORD ssn_by_sorting(const char *zw_name)
{
    DWORD rva = (DWORD)(export_by_name(zw_name) - ntdll_base);
    for (DWORD i = 0; i < zw_count; i++)
        if (zw_sorted[i] == rva)
            return i;
    return 0xffffffff;
}

int main(void)
{
    /* gs:[0x60] is the PEB; PEB+0x18 is Ldr; Ldr+0x10 is InLoadOrderModuleList. */
    unsigned char *peb;
    __asm__ volatile("mov %%gs:0x60, %0" : "=r"(peb));
    CHECK(10, peb != NULL);
    unsigned char *ldr = *(unsigned char **)(peb + 0x18);
    CHECK(11, ldr != NULL);
    LIST_ENTRY *head = (LIST_ENTRY *)(ldr + 0x10);
    int index = 0, ntdll_index = -1;
    for (LIST_ENTRY *l = head->Flink; l != head && index < 64; l = l->Flink, index++) {
        W_LDR_ENTRY *e = (W_LDR_ENTRY *)l;
        if (wide_ieq(&e->BaseDllName, "ntdll.dll")) {
            ntdll_base = e->DllBase;
            ntdll_index = index;
        }
    }
    CHECK(12, ntdll_base != NULL);
    printf("ntdll found through PEB->Ldr, entry %d of the load-order list\n", ntdll_index);
    CHECK(13, ntdll_base[0] == 'M' && ntdll_base[1] == 'Z');
    IMAGE_NT_HEADERS64 *nt = (IMAGE_NT_HEADERS64 *)(ntdll_base + ((IMAGE_DOS_HEADER *)ntdll_base)->e_lfanew);
    CHECK(14, nt->Signature == IMAGE_NT_SIGNATURE);
    DWORD dir_rva = nt->OptionalHeader.DataDirectory[IMAGE_DIRECTORY_ENTRY_EXPORT].VirtualAddress;
    CHECK(15, dir_rva != 0);
    ntdll_exports = (IMAGE_EXPORT_DIRECTORY *)(ntdll_base + dir_rva);
    CHECK(16, _stricmp((const char *)ntdll_base + ntdll_exports->Name, "ntdll.dll") == 0);
    CHECK(17, GetModuleHandleA("ntdll.dll") == (HMODULE)ntdll_base);

    DWORD n_write = ssn_of("NtWriteFile");
    DWORD n_qpc = ssn_of("NtQueryPerformanceCounter");
    DWORD n_alloc = ssn_of("NtAllocateVirtualMemory");
    DWORD n_free = ssn_of("NtFreeVirtualMemory");
    DWORD n_query = ssn_of("NtQueryVirtualMemory");
    DWORD n_close = ssn_of("NtClose");
    ssn_of("NtCreateKey"); /* not implemented by every emulator: still a real stub */
    printf("stubs: Windows x64 shape, Nt and Zw the same\n");

    /* GetProcAddress gives the same address as the export directory. */
    CHECK(18, (unsigned char *)GetProcAddress((HMODULE)ntdll_base, "NtClose") ==
                  export_by_name("NtClose"));

    DWORD *names = (DWORD *)(ntdll_base + ntdll_exports->AddressOfNames);
    WORD *ords = (WORD *)(ntdll_base + ntdll_exports->AddressOfNameOrdinals);
    DWORD *funcs = (DWORD *)(ntdll_base + ntdll_exports->AddressOfFunctions);
    zw_sorted = malloc(ntdll_exports->NumberOfNames * sizeof *zw_sorted);
    for (DWORD i = 0; i < ntdll_exports->NumberOfNames; i++)
        if (strncmp((const char *)ntdll_base + names[i], "Zw", 2) == 0)
            zw_sorted[zw_count++] = funcs[ords[i]];
    qsort(zw_sorted, zw_count, sizeof *zw_sorted, cmp_dword);
    CHECK(19, ssn_by_sorting("ZwClose") == n_close);
    CHECK(20, ssn_by_sorting("ZwWriteFile") == n_write);
    CHECK(21, ssn_by_sorting("ZwQueryVirtualMemory") == n_query);
    printf("Zw exports sorted by address give the same numbers\n");
    fflush(stdout);

    /* 1. NtWriteFile to the standard output (from PEB->ProcessParameters->StandardOutput). */
    unsigned char *params = *(unsigned char **)(peb + 0x20);
    HANDLE out = *(HANDLE *)(params + 0x28);
    static const char msg[] = "written by an own syscall\r\n";
    W_IO_STATUS_BLOCK iosb;
    memset(&iosb, 0xcc, sizeof iosb);
    g_ssn = n_write;
    LONG st = ((sys9)(void *)own_syscall)((ULONG_PTR)out, 0, 0, 0, (ULONG_PTR)&iosb,
                                           (ULONG_PTR)msg, sizeof msg - 1, 0, 0);
    CHECK(22, st == 0);
    CHECK(23, iosb.Status == 0 && iosb.Information == sizeof msg - 1);

    /* 2. NtQueryPerformanceCounter */
    LARGE_INTEGER c1, c2, freq;
    g_ssn = n_qpc;
    st = ((sys4)(void *)own_syscall)((ULONG_PTR)&c1, (ULONG_PTR)&freq, 0, 0);
    CHECK(24, st == 0);
    st = ((sys4)(void *)own_syscall)((ULONG_PTR)&c2, 0, 0, 0);
    CHECK(25, st == 0 && freq.QuadPart > 0 && c2.QuadPart >= c1.QuadPart);
    printf("NtQueryPerformanceCounter: 0x%08lx\n", (unsigned long)st);

    /* 3. NtAllocateVirtualMemory: reserve and commit 64 KiB */
    void *base = NULL;
    SIZE_T size = 0x10000;
    g_ssn = n_alloc;
    st = ((sys6)(void *)own_syscall)((ULONG_PTR)-1, (ULONG_PTR)&base, 0, (ULONG_PTR)&size,
                                     MEM_RESERVE | MEM_COMMIT, PAGE_READWRITE);
    printf("NtAllocateVirtualMemory: 0x%08lx, size 0x%lx\n", (unsigned long)st,
           (unsigned long)size);
    CHECK(26, st == 0 && base != NULL && size == 0x10000);
    memset(base, 0x5a, size);

    /* 4. NtQueryVirtualMemory: MemoryBasicInformation */
    MEMORY_BASIC_INFORMATION mbi;
    SIZE_T ret_len = 0;
    memset(&mbi, 0xcc, sizeof mbi);
    g_ssn = n_query;
    st = ((sys6)(void *)own_syscall)((ULONG_PTR)-1, (ULONG_PTR)base + 0x1000, 0,
                                     (ULONG_PTR)&mbi, sizeof mbi, (ULONG_PTR)&ret_len);
    printf("NtQueryVirtualMemory: 0x%08lx, state 0x%lx, protect 0x%lx, type 0x%lx\n",
           (unsigned long)st, (unsigned long)mbi.State, (unsigned long)mbi.Protect,
           (unsigned long)mbi.Type);
    CHECK(27, st == 0 && ret_len == sizeof mbi);
    CHECK(28, mbi.BaseAddress == (char *)base + 0x1000 && mbi.AllocationBase == base);
    CHECK(29, mbi.RegionSize == 0xf000 && mbi.AllocationProtect == PAGE_READWRITE);

    /* 5. NtFreeVirtualMemory, then the range is free */
    SIZE_T zero = 0;
    g_ssn = n_free;
    st = ((sys4)(void *)own_syscall)((ULONG_PTR)-1, (ULONG_PTR)&base, (ULONG_PTR)&zero,
                                     MEM_RELEASE);
    printf("NtFreeVirtualMemory: 0x%08lx\n", (unsigned long)st);
    CHECK(40, st == 0 && zero == 0x10000);
    g_ssn = n_query;
    st = ((sys6)(void *)own_syscall)((ULONG_PTR)-1, (ULONG_PTR)base, 0, (ULONG_PTR)&mbi,
                                     sizeof mbi, 0);
    printf("after release: 0x%08lx, state 0x%lx\n", (unsigned long)st, (unsigned long)mbi.State);
    CHECK(41, st == 0 && mbi.State == MEM_FREE);

    /* 6. NtClose of a handle that was never opened */
    g_ssn = n_close;
    st = ((sys4)(void *)own_syscall)(0xbad0, 0, 0, 0);
    printf("NtClose(0xbad0): 0x%08lx\n", (unsigned long)st);
    CHECK(42, (ULONG)st == 0xC0000008);

    /* 7. A number no Windows build has */
    g_ssn = 0x0fff;
    st = ((sys4)(void *)own_syscall)(1, 2, 3, 4);
    printf("number 0x0fff: 0x%08lx\n", (unsigned long)st);
    CHECK(43, (ULONG)st == 0xC000001C);

    /* 8. A bad pointer: the kernel's probe fails, the caller gets STATUS_ACCESS_VIOLATION */
    g_ssn = n_qpc;
    st = ((sys4)(void *)own_syscall)(0x10, 0, 0, 0);
    printf("NtQueryPerformanceCounter(0x10): 0x%08lx\n", (unsigned long)st);
    CHECK(44, (ULONG)st == 0xC0000005);
    g_ssn = n_query;
    st = ((sys6)(void *)own_syscall)((ULONG_PTR)-1, (ULONG_PTR)&mbi, 0, 0x20, sizeof mbi, 0);
    printf("NtQueryVirtualMemory(info 0x20): 0x%08lx\n", (unsigned long)st);
    CHECK(45, (ULONG)st == 0xC0000005);

    /* int 2e: NtClose of a bad handle, then NtQueryPerformanceCounter */
    g_ssn = n_close;
    st = ((sys4)(void *)own_int2e)(0xbad8, 0, 0, 0);
    printf("NtClose(0xbad8) by int 2e: 0x%08lx\n", (unsigned long)st);
    CHECK(47, (ULONG)st == 0xC0000008);
    g_ssn = n_qpc;
    c1.QuadPart = 0;
    st = ((sys4)(void *)own_int2e)((ULONG_PTR)&c1, 0, 0, 0);
    printf("NtQueryPerformanceCounter by int 2e: 0x%08lx\n", (unsigned long)st);
    CHECK(48, st == 0 && c1.QuadPart >= c2.QuadPart);

    /* Calling the export itself traps the same way. */
    typedef LONG (WINAPI *close_fn)(HANDLE);
    st = ((close_fn)(void *)export_by_name("ZwClose"))((HANDLE)(ULONG_PTR)0xbad4);
    printf("ZwClose stub called directly: 0x%08lx\n", (unsigned long)st);
    CHECK(46, (ULONG)st == 0xC0000008);

    /* A copy of the whole 32-byte stub, executed from the program's own memory. */
    unsigned char *copy = VirtualAlloc(NULL, 0x1000, MEM_RESERVE | MEM_COMMIT,
                                       PAGE_EXECUTE_READWRITE);
    CHECK(49, copy != NULL);
    memcpy(copy, export_by_name("NtClose"), 32);
    st = ((close_fn)(void *)copy)((HANDLE)(ULONG_PTR)0xbadc);
    printf("copy of the NtClose stub: 0x%08lx\n", (unsigned long)st);
    CHECK(50, (ULONG)st == 0xC0000008);
    VirtualFree(copy, 0, MEM_RELEASE);

    printf("done\n");
    return 0;
}
