/* Virtual memory, time and process exit. Virtual memory: reserve/commit/query/protect/decommit/
 * release sequences and the MEMORY_BASIC_INFORMATION they produce, 64 KiB alignment, fixed
 * bases that collide, commit without a reservation, zero_bits, parameter and pointer errors,
 * registered images (MEM_IMAGE, per-page protection from the real mapping) including the
 * query / make-writable / restore sequence of mingw's pseudo-relocation code, registered
 * regions, free space, the runtime's own mappings (a reservation someone else made, ending at
 * the program's allocations) and what it maps for the program (as mapped). Time: the
 * performance counter and its frequency, the system time, NtDelayExecution relative and
 * absolute. Process: NtTerminateProcess on the current process and on bad handles. */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include "ntemu/ntemu.h"

#define STATUS_NOT_COMMITTED ((NTSTATUS)0xC000002D)
#define STATUS_INVALID_PAGE_PROTECTION ((NTSTATUS)0xC0000045)
#define STATUS_FREE_VM_NOT_AT_BASE ((NTSTATUS)0xC000009F)

static void setup(void)
{
    cr_assert_eq(rt_process_init(), 0);
}

TestSuite(virtual, .init = setup);
TestSuite(ntime, .init = setup);
TestSuite(ntprocess, .init = setup);

static NTSTATUS vm_alloc(void **base, SIZE_T size, uint32_t type, uint32_t protect)
{
    SIZE_T sz = size;
    return NtAllocateVirtualMemory(NtCurrentProcess(), base, 0, &sz, type, protect);
}

static MEMORY_BASIC_INFORMATION query(const void *addr)
{
    MEMORY_BASIC_INFORMATION mbi;
    SIZE_T ret = 0;
    memset(&mbi, 0xcc, sizeof mbi);
    NTSTATUS st = NtQueryVirtualMemory(NtCurrentProcess(), addr, 0, &mbi, sizeof mbi, &ret);
    cr_assert_eq(st, STATUS_SUCCESS, "query %p: %#x", addr, (uint32_t)st);
    cr_assert_eq(ret, sizeof mbi, "ret_len %lu", (unsigned long)ret);
    return mbi;
}

static void release(void *base)
{
    SIZE_T sz = 0;
    NTSTATUS st = NtFreeVirtualMemory(NtCurrentProcess(), &base, &sz, MEM_RELEASE);
    cr_assert_eq(st, STATUS_SUCCESS, "release %p: %#x", base, (uint32_t)st);
}

Test(virtual, reserve_commit_query_sequence)
{
    void *base = NULL;
    SIZE_T size = 0x100000;
    NTSTATUS st = NtAllocateVirtualMemory(NtCurrentProcess(), &base, 0, &size, MEM_RESERVE,
                                          PAGE_NOACCESS);
    cr_assert_eq(st, STATUS_SUCCESS, "reserve: %#x", (uint32_t)st);
    cr_expect_eq((uintptr_t)base % 0x10000, 0, "base %p not 64K-aligned", base);
    cr_expect_eq(size, 0x100000, "size %#lx", (unsigned long)size);
    uint8_t *b = base;

    MEMORY_BASIC_INFORMATION m = query(b + 0x123);
    cr_expect_eq(m.BaseAddress, b, "BaseAddress %p", m.BaseAddress);
    cr_expect_eq(m.AllocationBase, b, "AllocationBase %p", m.AllocationBase);
    cr_expect_eq(m.AllocationProtect, PAGE_NOACCESS, "AllocationProtect %#x", m.AllocationProtect);
    cr_expect_eq(m.RegionSize, 0x100000, "RegionSize %#lx", (unsigned long)m.RegionSize);
    cr_expect_eq(m.State, MEM_RESERVE, "State %#x", m.State);
    cr_expect_eq(m.Protect, 0, "Protect %#x", m.Protect);
    cr_expect_eq(m.Type, MEM_PRIVATE, "Type %#x", m.Type);

    void *cbase = b + 0x3100;
    SIZE_T csize = 0x1000;
    st = NtAllocateVirtualMemory(NtCurrentProcess(), &cbase, 0, &csize, MEM_COMMIT,
                                 PAGE_READWRITE);
    cr_assert_eq(st, STATUS_SUCCESS, "commit: %#x", (uint32_t)st);
    cr_expect_eq(cbase, b + 0x3000, "commit base %p", cbase);
    cr_expect_eq(csize, 0x2000, "commit size %#lx", (unsigned long)csize);
    memset(b + 0x3000, 0x5a, 0x2000);

    m = query(b);
    cr_expect_eq(m.State, MEM_RESERVE);
    cr_expect_eq(m.RegionSize, 0x3000, "RegionSize %#lx", (unsigned long)m.RegionSize);
    m = query(b + 0x4fff);
    cr_expect_eq(m.BaseAddress, b + 0x4000, "BaseAddress %p", m.BaseAddress);
    cr_expect_eq(m.State, MEM_COMMIT, "State %#x", m.State);
    cr_expect_eq(m.Protect, PAGE_READWRITE, "Protect %#x", m.Protect);
    cr_expect_eq(m.RegionSize, 0x1000, "RegionSize %#lx", (unsigned long)m.RegionSize);
    cr_expect_eq(m.AllocationBase, b);
    m = query(b + 0x5000);
    cr_expect_eq(m.State, MEM_RESERVE);
    cr_expect_eq(m.RegionSize, 0x100000 - 0x5000, "RegionSize %#lx", (unsigned long)m.RegionSize);
    release(base);
}

Test(virtual, commit_at_null_reserves_and_zeroes)
{
    void *base = NULL;
    cr_assert_eq(vm_alloc(&base, 10000, MEM_COMMIT, PAGE_READWRITE), STATUS_SUCCESS);
    uint8_t *p = base;
    for (int i = 0; i < 10000; i++)
        cr_assert_eq(p[i], 0, "byte %d is %u", i, p[i]);
    MEMORY_BASIC_INFORMATION m = query(p);
    cr_expect_eq(m.State, MEM_COMMIT);
    cr_expect_eq(m.RegionSize, 0x3000, "RegionSize %#lx", (unsigned long)m.RegionSize);
    cr_expect_eq(m.AllocationProtect, PAGE_READWRITE);
    release(base);
}

Test(virtual, fixed_base_collision_and_reuse)
{
    void *a = NULL;
    cr_assert_eq(vm_alloc(&a, 0x40000, MEM_RESERVE, PAGE_READWRITE), STATUS_SUCCESS);
    void *b = (uint8_t *)a + 0x10000;
    NTSTATUS st = vm_alloc(&b, 0x1000, MEM_RESERVE, PAGE_READWRITE);
    cr_expect_eq(st, STATUS_CONFLICTING_ADDRESSES, "inside a reservation: %#x", (uint32_t)st);
    release(a);
    void *c = (uint8_t *)a + 0x1234; /* rounded down to 64 KiB */
    st = vm_alloc(&c, 0x1000, MEM_RESERVE | MEM_COMMIT, PAGE_READWRITE);
    cr_assert_eq(st, STATUS_SUCCESS, "free again: %#x", (uint32_t)st);
    cr_expect_eq(c, a, "base %p, want %p", c, a);
    *(volatile int *)a = 1;
    release(c);
}

Test(virtual, commit_without_reservation_conflicts)
{
    void *a = NULL;
    cr_assert_eq(vm_alloc(&a, 0x10000, MEM_RESERVE, PAGE_READWRITE), STATUS_SUCCESS);
    release(a);
    NTSTATUS st = vm_alloc(&a, 0x1000, MEM_COMMIT, PAGE_READWRITE);
    cr_expect_eq(st, STATUS_CONFLICTING_ADDRESSES, "got %#x", (uint32_t)st);
}

Test(virtual, protect_returns_old_protection)
{
    void *a = NULL;
    cr_assert_eq(vm_alloc(&a, 0x4000, MEM_RESERVE, PAGE_READWRITE), STATUS_SUCCESS);
    void *c = a;
    cr_assert_eq(vm_alloc(&c, 0x2000, MEM_COMMIT, PAGE_READWRITE), STATUS_SUCCESS);
    void *p = (uint8_t *)a + 0x10;
    SIZE_T sz = 0x10;
    uint32_t old = 0;
    NTSTATUS st = NtProtectVirtualMemory(NtCurrentProcess(), &p, &sz, PAGE_READONLY, &old);
    cr_assert_eq(st, STATUS_SUCCESS, "protect: %#x", (uint32_t)st);
    cr_expect_eq(old, PAGE_READWRITE, "old %#x", old);
    cr_expect_eq(p, a, "rounded base %p", p);
    cr_expect_eq(sz, 0x1000, "rounded size %#lx", (unsigned long)sz);
    MEMORY_BASIC_INFORMATION m = query(a);
    cr_expect_eq(m.Protect, PAGE_READONLY, "Protect %#x", m.Protect);
    cr_expect_eq(m.RegionSize, 0x1000);
    m = query((uint8_t *)a + 0x1000);
    cr_expect_eq(m.Protect, PAGE_READWRITE, "second page %#x", m.Protect);

    p = a, sz = 0x2000;
    cr_assert_eq(NtProtectVirtualMemory(NtCurrentProcess(), &p, &sz, PAGE_EXECUTE_READWRITE, &old),
                 STATUS_SUCCESS);
    cr_expect_eq(old, PAGE_READONLY, "old of the first page %#x", old);

    p = (uint8_t *)a + 0x2000, sz = 0x1000;
    st = NtProtectVirtualMemory(NtCurrentProcess(), &p, &sz, PAGE_READWRITE, &old);
    cr_expect_eq(st, STATUS_NOT_COMMITTED, "reserved page: %#x", (uint32_t)st);
    p = a, sz = 0x1000;
    st = NtProtectVirtualMemory(NtCurrentProcess(), &p, &sz, 0x3, &old);
    cr_expect_eq(st, STATUS_INVALID_PAGE_PROTECTION, "bad protection: %#x", (uint32_t)st);
    st = NtProtectVirtualMemory(NtCurrentProcess(), &p, &sz, PAGE_READWRITE, NULL);
    cr_expect_eq(st, STATUS_ACCESS_VIOLATION, "NULL old protection: %#x", (uint32_t)st);
    release(a);
}

Test(virtual, decommit_discards_contents)
{
    void *a = NULL;
    cr_assert_eq(vm_alloc(&a, 0x3000, MEM_COMMIT, PAGE_READWRITE), STATUS_SUCCESS);
    memset(a, 0x77, 0x3000);
    void *d = (uint8_t *)a + 0x1000;
    SIZE_T sz = 0x1000;
    cr_assert_eq(NtFreeVirtualMemory(NtCurrentProcess(), &d, &sz, MEM_DECOMMIT), STATUS_SUCCESS);
    MEMORY_BASIC_INFORMATION m = query(d);
    cr_expect_eq(m.State, MEM_RESERVE, "State %#x", m.State);
    cr_expect_eq(m.Protect, 0);
    m = query(a);
    cr_expect_eq(m.State, MEM_COMMIT);
    cr_expect_eq(m.RegionSize, 0x1000, "RegionSize %#lx", (unsigned long)m.RegionSize);
    cr_assert_eq(vm_alloc(&d, 0x1000, MEM_COMMIT, PAGE_READWRITE), STATUS_SUCCESS);
    cr_expect_eq(((uint8_t *)d)[0], 0, "recommitted page not zero: %u", ((uint8_t *)d)[0]);
    cr_expect_eq(((uint8_t *)a)[0], 0x77, "other page lost its contents");
    release(a);
}

Test(virtual, release_errors_and_free_state)
{
    void *a = NULL;
    cr_assert_eq(vm_alloc(&a, 0x20000, MEM_RESERVE, PAGE_READWRITE), STATUS_SUCCESS);
    void *p = (uint8_t *)a + 0x1000;
    SIZE_T sz = 0;
    NTSTATUS st = NtFreeVirtualMemory(NtCurrentProcess(), &p, &sz, MEM_RELEASE);
    cr_expect_eq(st, STATUS_FREE_VM_NOT_AT_BASE, "not at base: %#x", (uint32_t)st);
    st = NtFreeVirtualMemory(NtCurrentProcess(), &p, &sz, MEM_RELEASE | MEM_DECOMMIT);
    cr_expect_eq(st, (NTSTATUS)0xC00000F2 /* STATUS_INVALID_PARAMETER_4, as Windows */,
                 "both types: %#x", (uint32_t)st);
    p = a, sz = 0;
    cr_assert_eq(NtFreeVirtualMemory(NtCurrentProcess(), &p, &sz, MEM_RELEASE), STATUS_SUCCESS);
    cr_expect_eq(sz, 0x20000, "released size %#lx", (unsigned long)sz);
    MEMORY_BASIC_INFORMATION m = query(a);
    cr_expect_eq(m.State, MEM_FREE, "State %#x", m.State);
    cr_expect_eq(m.Protect, PAGE_NOACCESS, "Protect %#x", m.Protect);
    cr_expect_null(m.AllocationBase);
    cr_expect_eq(m.Type, 0);
    cr_expect_geq(m.RegionSize, 0x20000, "RegionSize %#lx", (unsigned long)m.RegionSize);
    p = a, sz = 0;
    st = NtFreeVirtualMemory(NtCurrentProcess(), &p, &sz, MEM_RELEASE);
    cr_expect_eq(st, STATUS_MEMORY_NOT_ALLOCATED, "twice: %#x", (uint32_t)st);
}

Test(virtual, zero_bits_gives_low_address)
{
    void *a = NULL;
    SIZE_T sz = 0x10000;
    NTSTATUS st = NtAllocateVirtualMemory(NtCurrentProcess(), &a, 1, &sz, MEM_COMMIT | MEM_RESERVE,
                                          PAGE_READWRITE);
    cr_assert_eq(st, STATUS_SUCCESS, "got %#x", (uint32_t)st);
    cr_expect_lt((uintptr_t)a + sz, 0x80000000ull, "address %p", a);
    *(volatile int *)a = 5;
    release(a);
    a = NULL;
    st = NtAllocateVirtualMemory(NtCurrentProcess(), &a, 25, &sz, MEM_COMMIT, PAGE_READWRITE);
    cr_expect_eq(st, STATUS_INVALID_PARAMETER, "zero_bits 25: %#x", (uint32_t)st);
}

Test(virtual, parameter_and_pointer_errors)
{
    void *a = NULL;
    SIZE_T sz = 0x1000;
    NTSTATUS st = NtAllocateVirtualMemory((HANDLE)(uintptr_t)0x44, &a, 0, &sz, MEM_COMMIT,
                                          PAGE_READWRITE);
    cr_expect_eq(st, STATUS_INVALID_HANDLE, "other process: %#x", (uint32_t)st);
    st = NtAllocateVirtualMemory(NtCurrentProcess(), &a, 0, &sz, MEM_COMMIT, 0x3);
    cr_expect_eq(st, STATUS_INVALID_PAGE_PROTECTION, "bad protection: %#x", (uint32_t)st);
    st = NtAllocateVirtualMemory(NtCurrentProcess(), &a, 0, &sz, MEM_COMMIT, PAGE_WRITECOPY);
    cr_expect_eq(st, STATUS_INVALID_PAGE_PROTECTION, "write-copy: %#x", (uint32_t)st);
    st = NtAllocateVirtualMemory(NtCurrentProcess(), &a, 0, &sz, MEM_DECOMMIT, PAGE_READWRITE);
    cr_expect_eq(st, (NTSTATUS)0xC00000F3 /* STATUS_INVALID_PARAMETER_5, as Windows */,
                 "bad type: %#x", (uint32_t)st);
    sz = 0;
    st = NtAllocateVirtualMemory(NtCurrentProcess(), &a, 0, &sz, MEM_COMMIT, PAGE_READWRITE);
    cr_expect_eq(st, STATUS_INVALID_PARAMETER, "size 0: %#x", (uint32_t)st);
    sz = 0x1000;
    st = NtAllocateVirtualMemory(NtCurrentProcess(), (void **)(uintptr_t)8, 0, &sz, MEM_COMMIT,
                                 PAGE_READWRITE);
    cr_expect_eq(st, STATUS_ACCESS_VIOLATION, "bad base pointer: %#x", (uint32_t)st);

    MEMORY_BASIC_INFORMATION m;
    SIZE_T ret;
    st = NtQueryVirtualMemory(NtCurrentProcess(), &m, 0, &m, sizeof m - 1, &ret);
    cr_expect_eq(st, STATUS_INFO_LENGTH_MISMATCH, "short: %#x", (uint32_t)st);
    st = NtQueryVirtualMemory(NtCurrentProcess(), (void *)0xffff800000000000ull, 0, &m, sizeof m,
                              &ret);
    cr_expect_eq(st, STATUS_INVALID_PARAMETER, "kernel address: %#x", (uint32_t)st);
    st = NtQueryVirtualMemory(NtCurrentProcess(), &m, 0, (void *)(uintptr_t)16, sizeof m, &ret);
    cr_expect_eq(st, STATUS_ACCESS_VIOLATION, "bad buffer: %#x", (uint32_t)st);
    st = NtQueryVirtualMemory(NtCurrentProcess(), &m, 7, &m, sizeof m, &ret);
    cr_expect_eq(st, STATUS_INVALID_INFO_CLASS, "class 7: %#x", (uint32_t)st);
}

Test(virtual, image_pages_and_pseudo_relocation_sequence)
{
    uint8_t *img = mmap(NULL, 0x4000, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    cr_assert_neq(img, MAP_FAILED);
    cr_assert_eq(mprotect(img + 0x1000, 0x1000, PROT_READ | PROT_EXEC), 0);
    cr_assert_eq(mprotect(img + 0x2000, 0x2000, PROT_READ | PROT_WRITE), 0);
    nt_vm_register_image(img, 0x4000, "test.exe");

    MEMORY_BASIC_INFORMATION m = query(img + 0x1800);
    cr_expect_eq(m.Type, MEM_IMAGE, "Type %#x", m.Type);
    cr_expect_eq(m.State, MEM_COMMIT);
    cr_expect_eq(m.AllocationBase, img);
    cr_expect_eq(m.AllocationProtect, PAGE_EXECUTE_WRITECOPY, "AllocationProtect %#x",
                 m.AllocationProtect);
    cr_expect_eq(m.BaseAddress, img + 0x1000);
    cr_expect_eq(m.Protect, PAGE_EXECUTE_READ, "Protect %#x", m.Protect);
    cr_expect_eq(m.RegionSize, 0x1000, "RegionSize %#lx", (unsigned long)m.RegionSize);
    m = query(img + 0x2000);
    cr_expect_eq(m.Protect, PAGE_READWRITE, "data Protect %#x", m.Protect);
    cr_expect_eq(m.RegionSize, 0x2000, "data RegionSize %#lx", (unsigned long)m.RegionSize);
    m = query(img);
    cr_expect_eq(m.Protect, PAGE_READONLY, "header Protect %#x", m.Protect);

    /* mingw's pseudo-relocation: query the page, make the region writable, write, restore */
    m = query(img + 0x1010);
    void *p = m.BaseAddress;
    SIZE_T sz = m.RegionSize;
    uint32_t old = 0, old2 = 0;
    NTSTATUS st = NtProtectVirtualMemory(NtCurrentProcess(), &p, &sz, PAGE_EXECUTE_READWRITE, &old);
    cr_assert_eq(st, STATUS_SUCCESS, "make writable: %#x", (uint32_t)st);
    cr_expect_eq(old, PAGE_EXECUTE_READ, "old %#x", old);
    img[0x1010] = 0xc3;
    p = m.BaseAddress, sz = m.RegionSize;
    st = NtProtectVirtualMemory(NtCurrentProcess(), &p, &sz, old, &old2);
    cr_assert_eq(st, STATUS_SUCCESS, "restore: %#x", (uint32_t)st);
    cr_expect_eq(old2, PAGE_EXECUTE_READWRITE, "old2 %#x", old2);
    m = query(img + 0x1010);
    cr_expect_eq(m.Protect, PAGE_EXECUTE_READ, "restored Protect %#x", m.Protect);
    cr_expect_eq(img[0x1010], 0xc3);

    void *b = img;
    sz = 0;
    st = NtFreeVirtualMemory(NtCurrentProcess(), &b, &sz, MEM_RELEASE);
    cr_expect_neq(st, STATUS_SUCCESS, "an image cannot be released with NtFreeVirtualMemory");
    munmap(img, 0x4000);
}

Test(virtual, registered_region)
{
    uint8_t *r = mmap(NULL, 0x4000, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    cr_assert_neq(r, MAP_FAILED);
    cr_assert_eq(mprotect(r + 0x1000, 0x3000, PROT_READ | PROT_WRITE), 0);
    nt_vm_register_region(r + 0x1000, 0x3000, MEM_COMMIT, PAGE_READWRITE, MEM_PRIVATE, r,
                          PAGE_READWRITE);
    MEMORY_BASIC_INFORMATION m = query(r);
    cr_expect_eq(m.State, MEM_RESERVE, "guard State %#x", m.State);
    cr_expect_eq(m.AllocationBase, r);
    m = query(r + 0x2000);
    cr_expect_eq(m.State, MEM_COMMIT);
    cr_expect_eq(m.Protect, PAGE_READWRITE);
    cr_expect_eq(m.AllocationBase, r);
    cr_expect_eq(m.RegionSize, 0x2000, "RegionSize %#lx", (unsigned long)m.RegionSize);
    munmap(r, 0x4000);
}

/* Memory the runtime did not map for the program: a reservation someone else made. */
static void expect_not_the_programs(const void *addr, const char *what)
{
    MEMORY_BASIC_INFORMATION m = query(addr);
    cr_expect_eq(m.State, MEM_RESERVE, "%s: State %#x", what, m.State);
    cr_expect_eq(m.Protect, 0, "%s: Protect %#x", what, m.Protect);
    cr_expect_eq(m.Type, MEM_PRIVATE, "%s: Type %#x", what, m.Type);
    cr_expect_eq(m.AllocationProtect, PAGE_NOACCESS, "%s: AllocationProtect %#x", what,
                 m.AllocationProtect);
    cr_expect_leq((uintptr_t)m.AllocationBase, (uintptr_t)m.BaseAddress, "%s: AllocationBase %p",
                  what, m.AllocationBase);
    cr_expect_gt((uintptr_t)m.BaseAddress + m.RegionSize, (uintptr_t)addr, "%s: RegionSize %#lx",
                 what, (unsigned long)m.RegionSize);
}

Test(virtual, runtime_mappings_look_reserved_by_someone_else)
{
    int local = 0;
    void *block = malloc(100);
    expect_not_the_programs(&local, "native stack");
    expect_not_the_programs((void *)(uintptr_t)&memcpy, "libc text");
    expect_not_the_programs((void *)(uintptr_t)&NtQueryVirtualMemory, "ntrun text");
    expect_not_the_programs(block, "malloc block");
    free(block);
}

/* A runtime mapping that runs into a program allocation ends where the allocation starts, and
 * the part after it is an allocation of its own. */
Test(virtual, runtime_region_stops_at_program_allocations)
{
    uint8_t *r = mmap(NULL, 0x30000, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    cr_assert_neq(r, MAP_FAILED);
    nt_vm_register_region(r + 0x10000, 0x10000, MEM_COMMIT, PAGE_READWRITE, MEM_PRIVATE,
                          r + 0x10000, PAGE_READWRITE);
    MEMORY_BASIC_INFORMATION m = query(r);
    cr_expect_eq(m.State, MEM_RESERVE, "below: State %#x", m.State);
    cr_expect_eq((uintptr_t)m.BaseAddress + m.RegionSize, (uintptr_t)r + 0x10000,
                 "below: ends at %#lx", (unsigned long)((uintptr_t)m.BaseAddress + m.RegionSize));
    m = query(r + 0x10000);
    cr_expect_eq(m.State, MEM_COMMIT, "the program's: State %#x", m.State);
    cr_expect_eq(m.AllocationBase, r + 0x10000);
    m = query(r + 0x28000);
    cr_expect_eq(m.State, MEM_RESERVE, "above: State %#x", m.State);
    cr_expect_eq(m.AllocationBase, r + 0x20000, "above: AllocationBase %p", m.AllocationBase);
    cr_expect_geq(m.RegionSize, 0x8000, "above: RegionSize %#lx", (unsigned long)m.RegionSize);
    nt_vm_unregister_image(r + 0x10000, 0x10000);
    munmap(r, 0x30000);
}

/* What the runtime maps for the program (runtime/progmem.c) is reported as mapped. */
Test(virtual, program_memory_of_the_runtime_is_committed)
{
    uint8_t *r = mmap(NULL, 0x3000, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    cr_assert_neq(r, MAP_FAILED);
    rt_progmem_add(r, 0x3000, RT_MEM_PEB);
    MEMORY_BASIC_INFORMATION m = query(r + 0x1000);
    cr_expect_eq(m.State, MEM_COMMIT, "State %#x", m.State);
    cr_expect_eq(m.Protect, PAGE_READWRITE, "Protect %#x", m.Protect);
    cr_expect_eq(m.Type, MEM_PRIVATE, "Type %#x", m.Type);
    cr_expect_eq(m.AllocationBase, r, "AllocationBase %p", m.AllocationBase);
    cr_expect_eq((uintptr_t)m.BaseAddress + m.RegionSize, (uintptr_t)r + 0x3000,
                 "ends at %#lx", (unsigned long)((uintptr_t)m.BaseAddress + m.RegionSize));
    rt_progmem_remove(r);
    munmap(r, 0x3000);
}

Test(virtual, prot_to_unix_values)
{
    cr_expect_eq(nt_vm_prot_to_unix(PAGE_NOACCESS), PROT_NONE);
    cr_expect_eq(nt_vm_prot_to_unix(PAGE_READONLY), PROT_READ);
    cr_expect_eq(nt_vm_prot_to_unix(PAGE_READWRITE), PROT_READ | PROT_WRITE);
    cr_expect_eq(nt_vm_prot_to_unix(PAGE_EXECUTE_READ), PROT_READ | PROT_EXEC);
    cr_expect_eq(nt_vm_prot_to_unix(PAGE_EXECUTE_READWRITE), PROT_READ | PROT_WRITE | PROT_EXEC);
    cr_expect_eq(nt_vm_prot_to_unix(PAGE_READWRITE | PAGE_GUARD), PROT_READ | PROT_WRITE);
    cr_expect_eq(nt_vm_prot_to_unix(0), -1);
    cr_expect_eq(nt_vm_prot_to_unix(PAGE_READONLY | PAGE_READWRITE), -1);
    cr_expect_eq(nt_vm_prot_to_unix(0x12345678), -1);
}

/* ---- time ---- */
Test(ntime, performance_counter_and_frequency)
{
    LARGE_INTEGER a, b, f;
    cr_assert_eq(NtQueryPerformanceCounter(&a, &f), STATUS_SUCCESS);
    cr_expect_eq(f.QuadPart, 10000000LL, "frequency %lld", (long long)f.QuadPart);
    cr_assert_eq(NtQueryPerformanceCounter(&b, NULL), STATUS_SUCCESS);
    cr_expect_geq(b.QuadPart, a.QuadPart);
    cr_expect_eq(NtQueryPerformanceCounter(NULL, &f), STATUS_ACCESS_VIOLATION);
}

Test(ntime, system_time_matches_unix_time)
{
    LARGE_INTEGER t;
    cr_assert_eq(NtQuerySystemTime(&t), STATUS_SUCCESS);
    int64_t unix_secs = (t.QuadPart - WIN_EPOCH_DIFF_100NS) / 10000000LL;
    int64_t now = time(NULL);
    cr_expect(unix_secs >= now - 2 && unix_secs <= now + 2, "%lld vs %lld",
              (long long)unix_secs, (long long)now);
}

static int64_t mono_100ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 10000000LL + ts.tv_nsec / 100;
}

/* ntrun's own code (this test binary's text, libc's) is not the program's to re-protect; its
 * protection stays. Freeing it is refused as memory never allocated. */
Test(virtual, protect_and_free_refuse_the_runtime_code)
{
    void *p = (void *)(uintptr_t)NtProtectVirtualMemory, *lp = (void *)(uintptr_t)memcpy;
    SIZE_T sz = 0x10;
    uint32_t old = 0;
    NTSTATUS st = NtProtectVirtualMemory(NtCurrentProcess(), &p, &sz, PAGE_READWRITE, &old);
    cr_expect_eq(st, STATUS_CONFLICTING_ADDRESSES, "ntrun's text: %#x", (uint32_t)st);
    sz = 0x10;
    st = NtProtectVirtualMemory(NtCurrentProcess(), &lp, &sz, PAGE_NOACCESS, &old);
    cr_expect_eq(st, STATUS_CONFLICTING_ADDRESSES, "libc's text: %#x", (uint32_t)st);
    p = (void *)(uintptr_t)NtProtectVirtualMemory;
    sz = 0;
    st = NtFreeVirtualMemory(NtCurrentProcess(), &p, &sz, MEM_RELEASE);
    cr_expect_eq(st, STATUS_MEMORY_NOT_ALLOCATED, "free: %#x", (uint32_t)st);
}

Test(ntime, delay_relative_and_absolute)
{
    LARGE_INTEGER d = {.QuadPart = -200000}; /* 20 ms */
    int64_t t0 = mono_100ns();
    cr_assert_eq(NtDelayExecution(0, &d), STATUS_SUCCESS);
    cr_expect_geq(mono_100ns() - t0, 200000, "slept only %lld",
                  (long long)(mono_100ns() - t0));

    LARGE_INTEGER abs;
    cr_assert_eq(NtQuerySystemTime(&abs), STATUS_SUCCESS);
    abs.QuadPart += 200000;
    t0 = mono_100ns();
    cr_assert_eq(NtDelayExecution(0, &abs), STATUS_SUCCESS);
    cr_expect_geq(mono_100ns() - t0, 150000, "absolute: slept only %lld",
                  (long long)(mono_100ns() - t0));

    abs.QuadPart = WIN_EPOCH_DIFF_100NS; /* 1970: long past, returns at once */
    cr_expect_eq(NtDelayExecution(0, &abs), STATUS_SUCCESS);
    d.QuadPart = 0;
    cr_expect_eq(NtDelayExecution(0, &d), STATUS_SUCCESS);
    cr_expect_eq(NtDelayExecution(0, NULL), STATUS_ACCESS_VIOLATION);
    cr_expect_eq(NtYieldExecution(), STATUS_SUCCESS);
}

/* ---- process ---- */
static uint32_t terminate_self(void *arg)
{
    NtTerminateProcess(NtCurrentProcess(), 42);
    return 7; /* not reached */
}

Test(ntprocess, terminate_current_process_gives_exit_code)
{
    uint32_t code = rt_run_process(terminate_self, NULL);
    cr_expect_eq(code, 42, "exit code %u", code);
}

static void ev_destroy(nt_object *o) { free(o); }

Test(ntprocess, terminate_bad_handles)
{
    NTSTATUS st = NtTerminateProcess((HANDLE)(uintptr_t)0x5550, 1);
    cr_expect_eq(st, STATUS_INVALID_HANDLE, "got %#x", (uint32_t)st);
    nt_object *o = malloc(sizeof *o);
    HANDLE h;
    nt_object_init(o, NT_OBJ_EVENT, ev_destroy);
    cr_assert_eq(nt_handle_alloc(o, &h), STATUS_SUCCESS);
    nt_object_release(o);
    st = NtTerminateProcess(h, 1);
    cr_expect_eq(st, STATUS_OBJECT_TYPE_MISMATCH, "event handle: %#x", (uint32_t)st);
    NtClose(h);
}
