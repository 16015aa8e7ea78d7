/* ntdll!RtlWaitOnAddress, RtlWakeAddressSingle and RtlWakeAddressAll, the NT forms of
 * WaitOnAddress that Zig's standard library (Bun) calls directly: an NTSTATUS, and the NT
 * timeout (NULL: none; negative: relative, in 100 ns; positive: an absolute system time):
 *  - a value that already differs: STATUS_SUCCESS at once;
 *  - an equal value and a relative timeout of 20 ms, or an absolute time already past:
 *    STATUS_TIMEOUT (0x102); a size of 3: STATUS_INVALID_PARAMETER;
 *  - a thread that waits with no timeout, woken by RtlWakeAddressSingle after the value
 *    changed; four threads woken by RtlWakeAddressAll (each sees the new value).
 * Wine 8.0 prints the same lines. */
#include <stdio.h>
#include <windows.h>

typedef LONG(WINAPI *wait_fn)(const volatile void *, const void *, SIZE_T, const LARGE_INTEGER *);
typedef void(WINAPI *wake_fn)(const void *);
static wait_fn pWait;
static wake_fn pWakeSingle, pWakeAll;
static volatile LONG value;
static volatile LONG seen[4];

static DWORD WINAPI waiter(void *arg)
{
    LONG old = 0;
    int i = (int)(INT_PTR)arg;
    while (value == old) {
        LONG st = pWait(&value, &old, sizeof old, NULL);
        if (st != 0)
            printf("waiter %d: status 0x%lx\n", i, (unsigned long)st);
    }
    seen[i] = value;
    return 0;
}

int main(void)
{
    HMODULE ntdll = GetModuleHandleA("ntdll.dll");
    pWait = (wait_fn)(void *)GetProcAddress(ntdll, "RtlWaitOnAddress");
    pWakeSingle = (wake_fn)(void *)GetProcAddress(ntdll, "RtlWakeAddressSingle");
    pWakeAll = (wake_fn)(void *)GetProcAddress(ntdll, "RtlWakeAddressAll");
    printf("found: %d %d %d\n", pWait != NULL, pWakeSingle != NULL, pWakeAll != NULL);
    if (!pWait || !pWakeSingle || !pWakeAll)
        return 1;

    LONG cmp = 5;
    LARGE_INTEGER t;
    printf("a different value: 0x%lx\n", (unsigned long)pWait(&value, &cmp, sizeof cmp, NULL));
    cmp = 0;
    t.QuadPart = -200000; /* 20 ms */
    printf("equal, 20 ms: 0x%lx\n", (unsigned long)pWait(&value, &cmp, sizeof cmp, &t));
    t.QuadPart = 1; /* 1601 */
    printf("equal, an absolute time past: 0x%lx\n",
           (unsigned long)pWait(&value, &cmp, sizeof cmp, &t));
    printf("size 3: 0x%lx\n", (unsigned long)pWait(&value, &cmp, 3, NULL));

    HANDLE h = CreateThread(NULL, 0, waiter, (void *)0, 0, NULL);
    Sleep(50);
    value = 1;
    pWakeSingle((const void *)&value);
    int joined = WaitForSingleObject(h, 5000) == WAIT_OBJECT_0;
    printf("single: joined %d, saw %ld\n", joined, (long)seen[0]);
    CloseHandle(h);

    value = 0;
    HANDLE hs[4];
    for (int i = 0; i < 4; i++)
        hs[i] = CreateThread(NULL, 0, waiter, (void *)(INT_PTR)i, 0, NULL);
    Sleep(50);
    value = 2;
    pWakeAll((const void *)&value);
    joined = WaitForMultipleObjects(4, hs, TRUE, 5000) == WAIT_OBJECT_0;
    printf("all: joined %d, saw %ld %ld %ld %ld\n", joined, (long)seen[0], (long)seen[1],
           (long)seen[2], (long)seen[3]);
    for (int i = 0; i < 4; i++)
        CloseHandle(hs[i]);
    return 0;
}
