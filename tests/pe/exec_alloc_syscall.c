/* exec_alloc_syscall: a Windows system-call stub (mov r10, rcx; mov eax, 0x5a; syscall; ret:
 * NtQuerySystemTime, the same number on Windows 10 22H2 and 11 24H2) copied into executable
 * memory the program obtains in each of the ways a JIT or a hand-written loader does, then
 * called twice: it must answer as the NT call (STATUS_SUCCESS and the current time), which only
 * holds if the `syscall` in that memory reaches the NT emulation.
 *  - VirtualAlloc(PAGE_EXECUTE_READWRITE) at no particular address;
 *  - VirtualAlloc(PAGE_READWRITE), then VirtualProtect to PAGE_EXECUTE_READ;
 *  - MEM_RESERVE, then MEM_COMMIT with PAGE_EXECUTE_READWRITE;
 *  - a pagefile section's view with FILE_MAP_WRITE | FILE_MAP_EXECUTE;
 *  - HeapCreate(HEAP_CREATE_ENABLE_EXECUTE) + HeapAlloc.
 * Under ntrun --sud=inclusive (ctest label sud_inclusive) it checks that every such allocation
 * lies in the range whose system calls are dispatched. Raw `syscall`s reach the Linux kernel
 * under Wine, so the expected output is Windows' documented behaviour.
 * With the argument "outside" (tests/cli/sud-inclusive.sh) it asks for executable memory at
 * 0x500000000000 (RWX; RW then VirtualProtect RX) and prints the outcomes; with "where", in
 * which 16 TiB slice of the address space its executable allocations landed. */
#include <stdio.h>
#include <string.h>
#include <windows.h>

typedef LONG (*stub_fn)(LARGE_INTEGER *time);

static const unsigned char stub[] = {
    0x4c, 0x8b, 0xd1,             /* mov r10, rcx */
    0xb8, 0x5a, 0x00, 0x00, 0x00, /* mov eax, 0x5a (NtQuerySystemTime) */
    0x0f, 0x05,                   /* syscall */
    0xc3,                         /* ret */
};

static void check(const char *how, void *mem)
{
    if (!mem) {
        printf("%s: allocation failed, error %lu\n", how, GetLastError());
        return;
    }
    FILETIME ft;
    GetSystemTimeAsFileTime(&ft);
    ULONGLONG before = ((ULONGLONG)ft.dwHighDateTime << 32) | ft.dwLowDateTime;
    for (int i = 0; i < 2; i++) {
        LARGE_INTEGER t = {.QuadPart = 0};
        LONG st = ((stub_fn)mem)(&t);
        /* within a minute of GetSystemTimeAsFileTime: the NT call wrote the time */
        int ok = st == 0 && (ULONGLONG)t.QuadPart + 10000000ull >= before &&
                 (ULONGLONG)t.QuadPart < before + 600000000ull;
        printf("%s, call %d: status 0x%08lx, time %s\n", how, i + 1, (unsigned long)st,
               ok ? "current" : "wrong");
    }
}

static void *copy_in(void *mem)
{
    if (mem)
        memcpy(mem, stub, sizeof stub);
    return mem;
}

static void outside(void)
{
    char *at = (char *)0x500000000000ull;
    void *p = VirtualAlloc(at, 65536, MEM_COMMIT | MEM_RESERVE, PAGE_EXECUTE_READWRITE);
    printf("RWX at %p: %s %lu\n", (void *)at, p ? "ok" : "error", p ? 0ul : GetLastError());
    if (p)
        VirtualFree(p, 0, MEM_RELEASE);
    p = VirtualAlloc(at, 65536, MEM_COMMIT | MEM_RESERVE, PAGE_READWRITE);
    DWORD old;
    BOOL ok = p && VirtualProtect(p, 4096, PAGE_EXECUTE_READ, &old);
    printf("RW at %p: %s, VirtualProtect RX: %s %lu\n", (void *)at, p ? "ok" : "error",
           ok ? "ok" : "error", ok ? 0ul : GetLastError());
}

static void where(void)
{
    void *v = VirtualAlloc(NULL, 4096, MEM_COMMIT | MEM_RESERVE, PAGE_EXECUTE_READWRITE);
    HANDLE sec = CreateFileMappingW(INVALID_HANDLE_VALUE, NULL, PAGE_EXECUTE_READWRITE, 0, 65536,
                                    NULL);
    void *view = sec ? MapViewOfFile(sec, FILE_MAP_WRITE | FILE_MAP_EXECUTE, 0, 0, 0) : NULL;
    HMODULE ntdll = GetModuleHandleW(L"ntdll.dll"), self = GetModuleHandleW(NULL);
    printf("slice (16 TiB): VirtualAlloc %llu, view %llu, ntdll %llu, exe %llu\n",
           (unsigned long long)(ULONG_PTR)v >> 44, (unsigned long long)(ULONG_PTR)view >> 44,
           (unsigned long long)(ULONG_PTR)ntdll >> 44, (unsigned long long)(ULONG_PTR)self >> 44);
}

int main(int argc, char **argv)
{
    if (argc > 1 && strcmp(argv[1], "outside") == 0) {
        outside();
        return 0;
    }
    if (argc > 1 && strcmp(argv[1], "where") == 0) {
        where();
        return 0;
    }
    check("VirtualAlloc RWX", copy_in(VirtualAlloc(NULL, 4096, MEM_COMMIT | MEM_RESERVE,
                                                   PAGE_EXECUTE_READWRITE)));

    void *rw = copy_in(VirtualAlloc(NULL, 65536, MEM_COMMIT | MEM_RESERVE, PAGE_READWRITE));
    DWORD old = 0;
    if (rw && !VirtualProtect(rw, 4096, PAGE_EXECUTE_READ, &old))
        printf("VirtualProtect: error %lu\n", GetLastError());
    check("VirtualAlloc RW then VirtualProtect RX", rw);

    char *res = VirtualAlloc(NULL, 1 << 20, MEM_RESERVE, PAGE_NOACCESS);
    void *commit = res ? VirtualAlloc(res + 65536, 4096, MEM_COMMIT, PAGE_EXECUTE_READWRITE) : NULL;
    check("MEM_RESERVE then MEM_COMMIT RWX", copy_in(commit));

    HANDLE sec = CreateFileMappingW(INVALID_HANDLE_VALUE, NULL, PAGE_EXECUTE_READWRITE, 0, 65536,
                                    NULL);
    void *view = sec ? MapViewOfFile(sec, FILE_MAP_WRITE | FILE_MAP_EXECUTE, 0, 0, 0) : NULL;
    check("section view RWX", copy_in(view));

    HANDLE heap = HeapCreate(HEAP_CREATE_ENABLE_EXECUTE, 0, 0);
    check("HeapCreate(HEAP_CREATE_ENABLE_EXECUTE)", copy_in(heap ? HeapAlloc(heap, 0, 64) : NULL));
    return 0;
}
