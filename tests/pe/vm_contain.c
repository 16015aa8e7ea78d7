/* vm_contain: the virtual-memory calls aimed at memory the program was not given. Under ntrun
 * the process also holds the runtime: its code (reached through a built-in export's stub,
 * `movabs $impl, %rax`), its data right after it, and the trampolines it writes for a
 * rewritten `syscall` site. To the program these are not its memory, as address space it never
 * allocated is not on Windows: NtProtectVirtualMemory answers STATUS_CONFLICTING_ADDRESSES,
 * NtFreeVirtualMemory STATUS_MEMORY_NOT_ALLOCATED, NtUnmapViewOfSection STATUS_NOT_MAPPED_VIEW,
 * a commit or a view placed there STATUS_CONFLICTING_ADDRESSES, NtReadVirtualMemory/
 * NtWriteVirtualMemory STATUS_PARTIAL_COPY, and VirtualQuery shows it as a reservation someone
 * else made (MEM_RESERVE, PAGE_NOACCESS, MEM_PRIVATE, not committed: the program cannot read
 * it through any NT call, and a scanner walking committed memory skips it). The same holds for
 * the runtime's heap, where the buffer of msvcrt's stdout still lives (on Windows it is in the
 * process heap: a known difference; the command line strings and msvcrt's _acmdln & co. are in
 * the process heap now, pe.crt_globals_contain). The TEB and the PEB are secured regions as on
 * Windows (read-write is the only protection they take, STATUS_INVALID_PAGE_PROTECTION
 * otherwise, and they cannot be freed); the program's own stack and the built-in DLLs' images
 * (hooking libraries re-protect a DLL's code) can be re-protected; an image cannot be freed
 * (STATUS_UNABLE_TO_DELETE_SECTION). Afterwards the program and the runtime keep working: a
 * thread, a heap block, a file, output. */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <windows.h>

typedef LONG NTSTATUS_;
typedef NTSTATUS_(NTAPI *protect_fn)(HANDLE, void **, SIZE_T *, ULONG, ULONG *);
typedef NTSTATUS_(NTAPI *free_fn)(HANDLE, void **, SIZE_T *, ULONG);
typedef NTSTATUS_(NTAPI *alloc_fn)(HANDLE, void **, ULONG_PTR, SIZE_T *, ULONG, ULONG);
typedef NTSTATUS_(NTAPI *unmap_fn)(HANDLE, void *);
typedef NTSTATUS_(NTAPI *map_fn)(HANDLE, HANDLE, void **, ULONG_PTR, SIZE_T, LARGE_INTEGER *,
                                 SIZE_T *, ULONG, ULONG, ULONG);
typedef NTSTATUS_(NTAPI *rw_fn)(HANDLE, void *, void *, SIZE_T, SIZE_T *);

static protect_fn pNtProtectVirtualMemory;
static free_fn pNtFreeVirtualMemory;
static alloc_fn pNtAllocateVirtualMemory;
static unmap_fn pNtUnmapViewOfSection;
static map_fn pNtMapViewOfSection;
static rw_fn pNtReadVirtualMemory, pNtWriteVirtualMemory;

static int failures;

static void expect(const char *what, NTSTATUS_ got, NTSTATUS_ want)
{
    if (got == want) {
        printf("%s: 0x%08lX\n", what, (unsigned long)got);
    } else {
        printf("%s: 0x%08lX, expected 0x%08lX\n", what, (unsigned long)got, (unsigned long)want);
        failures++;
    }
}

static NTSTATUS_ protect(void *addr, SIZE_T size, ULONG prot, ULONG *old)
{
    ULONG dummy;
    return pNtProtectVirtualMemory(GetCurrentProcess(), &addr, &size, prot, old ? old : &dummy);
}

static NTSTATUS_ nt_free(void *addr, SIZE_T size, ULONG type)
{
    return pNtFreeVirtualMemory(GetCurrentProcess(), &addr, &size, type);
}

static NTSTATUS_ commit_at(void *addr, ULONG type)
{
    SIZE_T size = 0x1000;
    return pNtAllocateVirtualMemory(GetCurrentProcess(), &addr, 0, &size, type, PAGE_READWRITE);
}

/* Every way of touching memory that is not the program's, at `addr`. */
static void probe_foreign(const char *name, void *addr)
{
    char what[96], buf[16];
    SIZE_T done = 1;
    DWORD old;
    void *page = (void *)((uintptr_t)addr & ~(uintptr_t)0xfff);

    MEMORY_BASIC_INFORMATION mbi;
    SIZE_T got = VirtualQuery(addr, &mbi, sizeof mbi);
    if (got == sizeof mbi && mbi.State == MEM_RESERVE && mbi.Protect == 0 &&
        mbi.Type == MEM_PRIVATE && mbi.AllocationProtect == PAGE_NOACCESS &&
        mbi.BaseAddress == page && (char *)mbi.AllocationBase <= (char *)page &&
        (char *)page + mbi.RegionSize > (char *)addr) {
        printf("%s: VirtualQuery: reserved by someone else\n", name);
    } else {
        printf("%s: VirtualQuery %lu: base %p alloc %p/%#lx size %#llx state %#lx protect %#lx "
               "type %#lx\n", name, (unsigned long)got, mbi.BaseAddress, mbi.AllocationBase,
               mbi.AllocationProtect, (unsigned long long)mbi.RegionSize, mbi.State, mbi.Protect,
               mbi.Type);
        failures++;
    }

    snprintf(what, sizeof what, "%s: NtProtectVirtualMemory RWX", name);
    expect(what, protect(page, 0x1000, PAGE_EXECUTE_READWRITE, NULL), (LONG)0xC0000018);
    snprintf(what, sizeof what, "%s: NtProtectVirtualMemory NOACCESS", name);
    expect(what, protect(page, 0x1000, PAGE_NOACCESS, NULL), (LONG)0xC0000018);
    SetLastError(0xdeadbeef);
    BOOL ok = VirtualProtect(page, 0x1000, PAGE_READWRITE, &old);
    printf("%s: VirtualProtect %d, error %lu\n", name, ok, GetLastError());
    failures += ok || GetLastError() != ERROR_INVALID_ADDRESS;

    snprintf(what, sizeof what, "%s: NtFreeVirtualMemory release", name);
    expect(what, nt_free(page, 0, MEM_RELEASE), (LONG)0xC00000A0);
    snprintf(what, sizeof what, "%s: NtFreeVirtualMemory decommit", name);
    expect(what, nt_free(page, 0x1000, MEM_DECOMMIT), (LONG)0xC00000A0);
    SetLastError(0xdeadbeef);
    ok = VirtualFree(page, 0, MEM_RELEASE);
    printf("%s: VirtualFree %d, error %lu\n", name, ok, GetLastError());
    failures += ok || GetLastError() != ERROR_INVALID_ADDRESS;

    snprintf(what, sizeof what, "%s: NtUnmapViewOfSection", name);
    expect(what, pNtUnmapViewOfSection(GetCurrentProcess(), page), (LONG)0xC0000019);
    SetLastError(0xdeadbeef);
    ok = UnmapViewOfFile(page);
    printf("%s: UnmapViewOfFile %d, error %lu\n", name, ok, GetLastError());
    failures += ok || GetLastError() != ERROR_INVALID_ADDRESS;

    snprintf(what, sizeof what, "%s: commit at", name);
    expect(what, commit_at(page, MEM_COMMIT), (LONG)0xC0000018);
    snprintf(what, sizeof what, "%s: reserve and commit at", name);
    expect(what, commit_at(page, MEM_RESERVE | MEM_COMMIT), (LONG)0xC0000018);

    HANDLE sec = CreateFileMappingA(INVALID_HANDLE_VALUE, NULL, PAGE_READWRITE, 0, 0x10000, NULL);
    void *at = (void *)((uintptr_t)addr & ~(uintptr_t)0xffff);
    SIZE_T vsize = 0x10000;
    snprintf(what, sizeof what, "%s: NtMapViewOfSection over it", name);
    expect(what,
           pNtMapViewOfSection(sec, GetCurrentProcess(), &at, 0, 0, NULL, &vsize, 2 /* ViewUnmap */,
                               0, PAGE_READWRITE),
           (LONG)0xC0000018);
    CloseHandle(sec);

    memset(buf, 0x5a, sizeof buf);
    snprintf(what, sizeof what, "%s: NtWriteVirtualMemory", name);
    expect(what, pNtWriteVirtualMemory(GetCurrentProcess(), addr, buf, sizeof buf, &done),
           (LONG)0x8000000D);
    printf("%s: %lu bytes written\n", name, (unsigned long)done);
    failures += done != 0;
    done = 1;
    snprintf(what, sizeof what, "%s: NtReadVirtualMemory", name);
    expect(what, pNtReadVirtualMemory(GetCurrentProcess(), addr, buf, sizeof buf, &done),
           (LONG)0x8000000D);
    failures += done != 0;
    SetLastError(0xdeadbeef);
    ok = WriteProcessMemory(GetCurrentProcess(), addr, buf, sizeof buf, NULL);
    printf("%s: WriteProcessMemory %d, error %lu\n", name, ok, GetLastError());
    failures += ok || GetLastError() != ERROR_INVALID_ADDRESS;
    SetLastError(0xdeadbeef);
    done = 1;
    ok = ReadProcessMemory(GetCurrentProcess(), addr, buf, sizeof buf, &done);
    printf("%s: ReadProcessMemory %d, %lu bytes, error %lu\n", name, ok, (unsigned long)done,
           GetLastError());
    failures += ok || done != 0 || GetLastError() != ERROR_PARTIAL_COPY;
}

/* A syscall site of the program's own: rewritten after its first trap, its `mov eax` becomes
 * a jmp to a trampoline in the runtime's memory. */
volatile DWORD site_number;
__asm__(".text\n"
        ".p2align 4\n"
        ".globl site_stub\n"
        "site_stub:\n"
        "    mov %rcx, %r10\n"
        "    mov site_number(%rip), %eax\n"
        "    syscall\n"
        "    ret\n");
extern unsigned char site_stub[];

static DWORD WINAPI thread_body(void *arg)
{
    return (DWORD)(uintptr_t)arg + 1;
}

int main(void)
{
    HMODULE ntdll = GetModuleHandleA("ntdll.dll"), k32 = GetModuleHandleA("kernel32.dll");
    pNtProtectVirtualMemory = (protect_fn)(void *)GetProcAddress(ntdll, "NtProtectVirtualMemory");
    pNtFreeVirtualMemory = (free_fn)(void *)GetProcAddress(ntdll, "NtFreeVirtualMemory");
    pNtAllocateVirtualMemory = (alloc_fn)(void *)GetProcAddress(ntdll, "NtAllocateVirtualMemory");
    pNtUnmapViewOfSection = (unmap_fn)(void *)GetProcAddress(ntdll, "NtUnmapViewOfSection");
    pNtMapViewOfSection = (map_fn)(void *)GetProcAddress(ntdll, "NtMapViewOfSection");
    pNtReadVirtualMemory = (rw_fn)(void *)GetProcAddress(ntdll, "NtReadVirtualMemory");
    pNtWriteVirtualMemory = (rw_fn)(void *)GetProcAddress(ntdll, "NtWriteVirtualMemory");
    ULONG old;

    /* The runtime's code, behind a built-in export's stub. */
    const unsigned char *stub = (const unsigned char *)GetProcAddress(k32, "GetTickCount");
    void *code = NULL;
    if (stub[0] == 0x48 && stub[1] == 0xb8) { /* movabs $impl, %rax */
        memcpy(&code, stub + 2, 8);
    } else if (stub[0] == 0x48 && stub[1] == 0x8b && stub[2] == 0x05) { /* mov rel(%rip), %rax */
        int32_t rel;
        memcpy(&rel, stub + 3, 4);
        memcpy(&code, stub + 7 + rel, 8);
    } else if (stub[0] == 0xb8) { /* mov $export, %eax; [mov $n, %r11d;] jmp *%gs:disp32 */
        const unsigned char *j = stub + 5;
        if (j[0] == 0x41 && j[1] == 0xbb)
            j += 6;
        if (j[0] == 0x65 && j[1] == 0xff && j[2] == 0x24 && j[3] == 0x25) { /* the TEB's entry */
            int32_t disp;
            memcpy(&disp, j + 4, 4);
            memcpy(&code, (const char *)NtCurrentTeb() + disp, 8);
        }
    }
    if (!code) {
        printf("no runtime code behind kernel32!GetTickCount\n");
        return 2;
    }
    probe_foreign("runtime code", code);

    /* Its data: msvcrt's FILE objects (stdout is &_iob[1], a built-in's variable), and its
     * heap: the buffer of stdout (a pipe or a file here: buffered, and written to above). */
    probe_foreign("runtime data", (void *)stdout);
    probe_foreign("runtime heap", stdout->_base);

    /* A trampoline of a rewritten syscall site. */
    const unsigned char *k = (const unsigned char *)GetProcAddress(ntdll, "NtYieldExecution");
    memcpy((void *)&site_number, k + 4, 4);
    ((LONG(NTAPI *)(void))(void *)site_stub)();
    ((LONG(NTAPI *)(void))(void *)site_stub)();
    if (site_stub[3] != 0xe9) {
        printf("the syscall site was not rewritten\n");
        return 2;
    }
    int32_t rel;
    memcpy(&rel, site_stub + 4, 4);
    probe_foreign("trampoline", site_stub + 8 + rel);
    ((LONG(NTAPI *)(void))(void *)site_stub)(); /* it still works */

    /* The TEB and the PEB: secured. */
    void *teb = NtCurrentTeb(), *peb = ((void **)teb)[12];
    expect("TEB: protect READONLY", protect(teb, 0x1000, PAGE_READONLY, NULL), (LONG)0xC0000045);
    expect("TEB: protect NOACCESS", protect(teb, 0x1000, PAGE_NOACCESS, NULL), (LONG)0xC0000045);
    expect("TEB: protect READWRITE", protect(teb, 0x1000, PAGE_READWRITE, &old), 0);
    expect("TEB: old protection", (LONG)old, PAGE_READWRITE);
    expect("TEB: release", nt_free(teb, 0, MEM_RELEASE), (LONG)0xC0000045);
    expect("PEB: protect READONLY", protect(peb, 0x1000, PAGE_READONLY, NULL), (LONG)0xC0000045);
    expect("PEB: release", nt_free(peb, 0, MEM_RELEASE), (LONG)0xC0000045);
    /* Queried: committed read-write private memory from its page on, as on Windows (under the
     * ntrun command the PEB's and the loader entries' pages lie in the runtime's own .bss,
     * next to its heap: still the program's, and only them). The loader data and an entry. */
    void *ldr = ((void **)peb)[3], *entry = *(void **)((char *)ldr + 0x10);
    void *const rw_mem[] = {peb, ldr, entry};
    static const char *const rw_names[] = {"PEB", "PEB->Ldr", "ntdll's LDR entry"};
    for (int i = 0; i < 3; i++) {
        MEMORY_BASIC_INFORMATION mbi;
        uintptr_t page = (uintptr_t)rw_mem[i] & ~(uintptr_t)0xfff;
        bool ok = VirtualQuery(rw_mem[i], &mbi, sizeof mbi) == sizeof mbi &&
                  mbi.State == MEM_COMMIT && mbi.Protect == PAGE_READWRITE &&
                  mbi.Type == MEM_PRIVATE && (uintptr_t)mbi.BaseAddress == page &&
                  mbi.RegionSize >= 0x1000 && (uintptr_t)mbi.AllocationBase <= page;
        char what[64];
        snprintf(what, sizeof what, "%s: query committed read-write", rw_names[i]);
        expect(what, ok ? 0 : (LONG)mbi.State, 0);
    }

    /* The program's stack: its own. */
    char *stack_page = (char *)(((uintptr_t)&old - 0x8000) & ~(uintptr_t)0xfff);
    expect("stack: protect READWRITE", protect(stack_page, 0x1000, PAGE_READWRITE, &old), 0);
    expect("stack: old protection", (LONG)old, PAGE_READWRITE);

    /* A built-in DLL's image: re-protectable, as hooking libraries do, but not freed. */
    void *stub_page = (void *)((uintptr_t)stub & ~(uintptr_t)0xfff);
    expect("kernel32 code: protect RWX", protect(stub_page, 0x1000, PAGE_EXECUTE_READWRITE, &old),
           0);
    expect("kernel32 code: old protection", (LONG)old, PAGE_EXECUTE_READ);
    expect("kernel32 code: protect back", protect(stub_page, 0x1000, old, &old), 0);
    expect("kernel32 code: release", nt_free(stub_page, 0, MEM_RELEASE), (LONG)0xC000001B);

    /* Everything still works. */
    DWORD t0 = GetTickCount();
    HANDLE th = CreateThread(NULL, 0, thread_body, (void *)41, 0, NULL);
    DWORD code_out = 0;
    WaitForSingleObject(th, INFINITE);
    GetExitCodeThread(th, &code_out);
    CloseHandle(th);
    char *block = HeapAlloc(GetProcessHeap(), 0, 100);
    strcpy(block, "heap ok");
    HANDLE f = CreateFileA("vm_contain.tmp", GENERIC_WRITE, 0, NULL, CREATE_ALWAYS,
                           FILE_FLAG_DELETE_ON_CLOSE, NULL);
    DWORD written = 0;
    WriteFile(f, block, 7, &written, NULL);
    CloseHandle(f);
    HeapFree(GetProcessHeap(), 0, block);
    printf("afterwards: tick %s, thread %lu, file %lu bytes\n", GetTickCount() >= t0 ? "ok" : "bad",
           code_out, written);
    printf("%d failures\n", failures);
    return failures != 0;
}
