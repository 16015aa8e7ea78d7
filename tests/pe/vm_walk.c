/* vm_walk: VirtualQuery over the whole user address space, as GC scanners, minidump writers and
 * hooking libraries walk it, tells the truth a program relies on:
 *   - the regions follow each other without a gap or an overlap from 0 to the user limit, each
 *     inside its allocation;
 *   - a committed region the program may read is readable: ReadProcessMemory of its first and
 *     last bytes succeeds (nothing reported committed belongs to someone else);
 *   - a free region is free: a reservation at a 64 KiB boundary inside it succeeds (looking for
 *     room near an image this way is what hooking libraries and JITs do);
 *   - the program's own allocations, its stack and its images are where it expects them, and
 *     every page of the main image is MEM_IMAGE with the image as AllocationBase.
 * Wine 8.0 differs in one line: it reports its host's own mappings (the Linux stack near the
 * top of the address space) as MEM_FREE, and a reservation there fails. ntrun reports its own
 * as a reservation someone else made (ntemu/virtual.c, query_other). */
#include <stdint.h>
#include <stdio.h>
#include <windows.h>

static int failures;

static void check(const char *what, int ok)
{
    printf("%s: %s\n", what, ok ? "yes" : "NO");
    failures += !ok;
}

static int readable(DWORD protect)
{
    if (protect & (PAGE_GUARD | PAGE_NOACCESS))
        return 0;
    return (protect & 0xff) != 0;
}

int main(void)
{
    SYSTEM_INFO si;
    GetSystemInfo(&si);
    uintptr_t top = (uintptr_t)si.lpMaximumApplicationAddress + 1;
    void *mine = VirtualAlloc(NULL, 0x30000, MEM_RESERVE, PAGE_NOACCESS);
    VirtualAlloc((char *)mine + 0x10000, 0x1000, MEM_COMMIT, PAGE_READWRITE);
    HMODULE exe = GetModuleHandleA(NULL);
    int local = 0;

    MEMORY_BASIC_INFORMATION mbi;
    uintptr_t at = 0, prev_alloc_base = 0;
    unsigned regions = 0, committed = 0, unreadable = 0, free_tried = 0, not_free = 0;
    int contiguous = 1, inside = 1, saw_mine = 0, saw_stack = 0, saw_exe = 0, exe_ok = 1;
    while (at < top && VirtualQuery((void *)at, &mbi, sizeof mbi) == sizeof mbi) {
        uintptr_t base = (uintptr_t)mbi.BaseAddress, end = base + mbi.RegionSize;
        regions++;
        if (base != at || mbi.RegionSize == 0 || (mbi.RegionSize & 0xfff)) {
            printf("region at %p: base %p size %#llx\n", (void *)at, mbi.BaseAddress,
                   (unsigned long long)mbi.RegionSize);
            contiguous = 0;
            break;
        }
        if (mbi.State != MEM_FREE && (uintptr_t)mbi.AllocationBase > base) {
            printf("region %p: allocation base %p above it\n", mbi.BaseAddress,
                   mbi.AllocationBase);
            inside = 0;
        }
        if (mbi.State == MEM_COMMIT && readable(mbi.Protect)) {
            unsigned char b[2];
            SIZE_T n = 0;
            committed++;
            if (!ReadProcessMemory(GetCurrentProcess(), (void *)base, &b[0], 1, &n) ||
                !ReadProcessMemory(GetCurrentProcess(), (void *)(end - 1), &b[1], 1, &n)) {
                printf("committed region %p+%#llx (protect %#lx, type %#lx) is not readable\n",
                       mbi.BaseAddress, (unsigned long long)mbi.RegionSize, mbi.Protect,
                       mbi.Type);
                unreadable++;
            }
        }
        if (mbi.State == MEM_FREE && free_tried < 64) {
            uintptr_t cand = (base + 0xffff) & ~(uintptr_t)0xffff;
            if (cand >= 0x10000 && cand + 0x10000 <= end) {
                free_tried++;
                void *p = VirtualAlloc((void *)cand, 0x10000, MEM_RESERVE, PAGE_NOACCESS);
                if (p != (void *)cand) {
                    printf("free region %p+%#llx: reserving %p failed (%lu)\n", mbi.BaseAddress,
                           (unsigned long long)mbi.RegionSize, (void *)cand, GetLastError());
                    not_free++;
                }
                if (p)
                    VirtualFree(p, 0, MEM_RELEASE);
            }
        }
        if (mbi.AllocationBase == mine && mbi.State == MEM_COMMIT)
            saw_mine = base == (uintptr_t)mine + 0x10000 && mbi.RegionSize == 0x1000 &&
                       mbi.Protect == PAGE_READWRITE && mbi.Type == MEM_PRIVATE;
        if ((uintptr_t)&local >= base && (uintptr_t)&local < end)
            saw_stack = mbi.State == MEM_COMMIT && mbi.Type == MEM_PRIVATE &&
                        (mbi.Protect & 0xff) == PAGE_READWRITE;
        if (mbi.AllocationBase == exe) {
            saw_exe = 1;
            exe_ok &= mbi.Type == MEM_IMAGE && mbi.State == MEM_COMMIT;
        }
        prev_alloc_base = (uintptr_t)mbi.AllocationBase;
        at = end;
    }
    (void)prev_alloc_base;
    check("the walk reaches the user limit", contiguous && at >= top);
    check("regions follow each other", contiguous);
    check("every region lies inside its allocation", inside);
    check("a few hundred regions at most", regions > 3 && regions < 4000);
    check("committed regions found", committed > 3);
    check("every committed readable region reads", unreadable == 0);
    check("free regions tried", free_tried > 2);
    check("every free region takes a reservation", not_free == 0);
    check("the committed page of our reservation", saw_mine);
    check("the stack, committed read-write", saw_stack);
    check("the main image, all MEM_IMAGE", saw_exe && exe_ok);
    VirtualFree(mine, 0, MEM_RELEASE);
    printf("%d failures\n", failures);
    return failures != 0;
}
