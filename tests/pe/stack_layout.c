/* A thread's stack as VirtualQuery shows it, Windows' layout: walking up from the allocation
 * base (GetCurrentThreadStackLimits' low end) there is a reserved region, then committed
 * PAGE_GUARD page(s), then the committed read-write region that holds the stack pointer and ends
 * at StackBase; the TEB's StackLimit is that region's start. Programs size their stack from this
 * walk (hermesc takes the second region for the guard), for the main thread and others alike.
 * Wine 8.0 differs in one line per thread: its first page is committed PAGE_NOACCESS, not reserved.
 * The TEB is an allocation of its own, not right above StackBase: a write past the stack's top
 * must not land in it (SEH chain, TLS pointer, last error). */
#include <stdio.h>
#include <windows.h>

typedef void(WINAPI *limits_fn)(PULONG_PTR, PULONG_PTR);

static void check(const char *who)
{
    volatile char here = 0;
    ULONG_PTR low = 0, high = 0;
    limits_fn limits =
        (limits_fn)(void *)GetProcAddress(GetModuleHandleA("kernel32.dll"),
                                          "GetCurrentThreadStackLimits");
    limits(&low, &high);
    NT_TIB *tib = (NT_TIB *)NtCurrentTeb();
    MEMORY_BASIC_INFORMATION r[3], mine;

    VirtualQuery((void *)&here, &mine, sizeof mine);
    printf("%s: allocation base is the low limit: %d\n", who,
           (ULONG_PTR)mine.AllocationBase == low);
    printf("%s: StackBase is the high limit: %d\n", who, (ULONG_PTR)tib->StackBase == high);

    VirtualQuery((void *)low, &r[0], sizeof r[0]);
    VirtualQuery((char *)r[0].BaseAddress + r[0].RegionSize, &r[1], sizeof r[1]);
    VirtualQuery((char *)r[1].BaseAddress + r[1].RegionSize, &r[2], sizeof r[2]);
    printf("%s: 1st region reserved: %d\n", who, r[0].State == MEM_RESERVE);
    printf("%s: 2nd region committed guard: %d, read-write: %d, under 64 KiB: %d\n", who,
           r[1].State == MEM_COMMIT && (r[1].Protect & PAGE_GUARD) != 0,
           (r[1].Protect & 0xff) == PAGE_READWRITE, r[1].RegionSize < 0x10000);
    printf("%s: 3rd region committed read-write: %d\n", who,
           r[2].State == MEM_COMMIT && r[2].Protect == PAGE_READWRITE);
    printf("%s: StackLimit starts the 3rd region: %d\n", who,
           tib->StackLimit == r[2].BaseAddress);
    printf("%s: 3rd region ends at StackBase: %d\n", who,
           (char *)r[2].BaseAddress + r[2].RegionSize == (char *)tib->StackBase);
    printf("%s: the stack pointer is in it: %d\n", who,
           (ULONG_PTR)&here >= (ULONG_PTR)r[2].BaseAddress &&
               (ULONG_PTR)&here < high);
    int same = 1;
    for (int i = 0; i < 3; i++)
        same &= r[i].AllocationBase == (void *)low && r[i].Type == MEM_PRIVATE;
    printf("%s: one private allocation: %d\n", who, same);

    /* Above the stack: not the TEB, neither at StackBase nor in the 16 pages above it. */
    char *teb = (char *)NtCurrentTeb(), *top = (char *)tib->StackBase;
    printf("%s: TEB not at StackBase: %d, not in the 16 pages above it: %d\n", who, teb != top,
           !(teb >= top && teb < top + 16 * 4096));
    MEMORY_BASIC_INFORMATION above;
    SIZE_T n = VirtualQuery(top, &above, sizeof above);
    printf("%s: the region at StackBase is not the TEB's: %d\n", who,
           n == 0 || ((char *)above.BaseAddress != teb && (char *)above.AllocationBase != teb));
}

static DWORD WINAPI thread(void *arg)
{
    (void)arg;
    check("thread");
    return 0;
}

int main(void)
{
    check("main");
    HANDLE h = CreateThread(NULL, 256 * 1024, thread, NULL, STACK_SIZE_PARAM_IS_A_RESERVATION,
                            NULL);
    WaitForSingleObject(h, INFINITE);
    CloseHandle(h);
    return 0;
}
