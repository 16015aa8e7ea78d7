/* heap_overflow_nt: NtQuerySystemInformation(SystemProcessInformation) with a 64-byte heap
 * block and a length of 0x7fffffff fails with STATUS_ACCESS_VIOLATION (the kernel probes the
 * whole buffer before it writes, as Windows' ProbeForWrite does) and leaves the heap intact;
 * with the block's real length it is STATUS_INFO_LENGTH_MISMATCH and ReturnLength says how
 * much is needed; with that much (asked again while the process list grows) it succeeds. A heap overflow by the program itself (64 bytes
 * written past a block) damages only the program's heap: HeapValidate sees it. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <windows.h>

typedef LONG(NTAPI *query_fn)(ULONG, void *, ULONG, ULONG *);

int main(void)
{
    query_fn q = (query_fn)GetProcAddress(GetModuleHandleA("ntdll.dll"), "NtQuerySystemInformation");
    char *small = malloc(64), *after = malloc(64);
    strcpy(after, "neighbour");
    ULONG ret = 0xcccccccc;
    LONG st = q(5, small, 0x7fffffff, &ret);
    printf("length 0x7fffffff: 0x%08lX, neighbour intact %s, heap valid %s\n", (unsigned long)st,
           strcmp(after, "neighbour") == 0 ? "yes" : "no",
           HeapValidate(GetProcessHeap(), 0, NULL) ? "yes" : "no");
    st = q(5, small, 64, &ret);
    printf("length 64: 0x%08lX, ReturnLength > 64 %s\n", (unsigned long)st, ret > 64 ? "yes" : "no");
    /* The process list may grow between two queries (other processes start and end), so ask
     * again with the new ReturnLength while it says the length no longer fits, as Windows
     * programs do: a few rounds at most. */
    char *big = NULL;
    for (int round = 0; round < 8; round++) {
        free(big);
        big = malloc(ret);
        st = q(5, big, ret, &ret);
        if (st != (LONG)0xC0000004)
            break;
    }
    printf("length ReturnLength: 0x%08lX\n", (unsigned long)st);
    free(big);
    char *volatile target = small;
    memset(target, 'x', 64 + 64); /* the program's own overflow */
    printf("after the program's overflow: heap valid %s\n",
           HeapValidate(GetProcessHeap(), 0, NULL) ? "yes" : "no");
    return 0;
}
