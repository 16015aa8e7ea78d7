/* The NT completion-port calls under CreateIoCompletionPort and friends, called through ntdll
 * as a program that skips kernel32 does: NtCreateIoCompletion, NtSetIoCompletion (key, APC
 * context, status and information come back as given), NtRemoveIoCompletion (a zero timeout on
 * an empty port: STATUS_TIMEOUT), NtRemoveIoCompletionEx (several packets at once, in the order
 * they were queued, at most the count asked for); packets cross between the two layers
 * (PostQueuedCompletionStatus read by NtRemoveIoCompletion, NtSetIoCompletion read by
 * GetQueuedCompletionStatus). */
#include <stdio.h>
#include <windows.h>
#include <winternl.h>

typedef struct {
    ULONG_PTR KeyContext;
    PVOID ApcContext;
    IO_STATUS_BLOCK IoStatusBlock;
} FILE_IO_COMPLETION_INFORMATION_T;

static NTSTATUS (NTAPI *pNtCreateIoCompletion)(HANDLE *, ACCESS_MASK, OBJECT_ATTRIBUTES *, ULONG);
static NTSTATUS (NTAPI *pNtSetIoCompletion)(HANDLE, ULONG_PTR, PVOID, NTSTATUS, ULONG_PTR);
static NTSTATUS (NTAPI *pNtRemoveIoCompletion)(HANDLE, ULONG_PTR *, PVOID *, IO_STATUS_BLOCK *,
                                              LARGE_INTEGER *);
static NTSTATUS (NTAPI *pNtRemoveIoCompletionEx)(HANDLE, FILE_IO_COMPLETION_INFORMATION_T *, ULONG,
                                                ULONG *, LARGE_INTEGER *, BOOLEAN);

int main(void)
{
    HMODULE nt = GetModuleHandleA("ntdll.dll");
    pNtCreateIoCompletion = (void *)GetProcAddress(nt, "NtCreateIoCompletion");
    pNtSetIoCompletion = (void *)GetProcAddress(nt, "NtSetIoCompletion");
    pNtRemoveIoCompletion = (void *)GetProcAddress(nt, "NtRemoveIoCompletion");
    pNtRemoveIoCompletionEx = (void *)GetProcAddress(nt, "NtRemoveIoCompletionEx");
    if (!pNtCreateIoCompletion || !pNtSetIoCompletion || !pNtRemoveIoCompletion ||
        !pNtRemoveIoCompletionEx) {
        printf("missing an export\n");
        return 1;
    }
    HANDLE port = NULL;
    NTSTATUS st = pNtCreateIoCompletion(&port, 0x1f0003 /* IO_COMPLETION_ALL_ACCESS */, NULL, 0);
    printf("NtCreateIoCompletion: 0x%lx, handle %d\n", (unsigned long)st, port != NULL);

    LARGE_INTEGER zero = {{0}};
    ULONG_PTR key = 0xdead;
    PVOID ctx = (PVOID)0xdead;
    IO_STATUS_BLOCK iosb;
    st = pNtRemoveIoCompletion(port, &key, &ctx, &iosb, &zero);
    printf("empty port, zero timeout: 0x%lx\n", (unsigned long)st);

    st = pNtSetIoCompletion(port, 5, (PVOID)6, 0xC0000120 /* STATUS_CANCELLED */, 7);
    printf("NtSetIoCompletion: 0x%lx\n", (unsigned long)st);
    st = pNtRemoveIoCompletion(port, &key, &ctx, &iosb, &zero);
    printf("NtRemoveIoCompletion: 0x%lx key %lu ctx %lu status 0x%lx info %lu\n",
           (unsigned long)st, (unsigned long)key, (unsigned long)(ULONG_PTR)ctx,
           (unsigned long)iosb.Status, (unsigned long)iosb.Information);

    for (int i = 1; i <= 3; i++)
        pNtSetIoCompletion(port, 10 + i, (PVOID)(ULONG_PTR)(20 + i), 0, 30 + i);
    FILE_IO_COMPLETION_INFORMATION_T e[2];
    ULONG removed = 99;
    st = pNtRemoveIoCompletionEx(port, e, 2, &removed, &zero, FALSE);
    printf("NtRemoveIoCompletionEx(2 of 3): 0x%lx removed %lu:", (unsigned long)st, removed);
    for (ULONG i = 0; i < removed && i < 2; i++)
        printf(" (%lu %lu %lu)", (unsigned long)e[i].KeyContext,
               (unsigned long)(ULONG_PTR)e[i].ApcContext, (unsigned long)e[i].IoStatusBlock.Information);
    printf("\n");
    removed = 99;
    st = pNtRemoveIoCompletionEx(port, e, 2, &removed, &zero, FALSE);
    printf("NtRemoveIoCompletionEx(the last): 0x%lx removed %lu: (%lu %lu %lu)\n",
           (unsigned long)st, removed, (unsigned long)e[0].KeyContext,
           (unsigned long)(ULONG_PTR)e[0].ApcContext, (unsigned long)e[0].IoStatusBlock.Information);
    removed = 99;
    st = pNtRemoveIoCompletionEx(port, e, 2, &removed, &zero, FALSE);
    printf("NtRemoveIoCompletionEx(empty): 0x%lx\n", (unsigned long)st);

    OVERLAPPED ov;
    BOOL ok = PostQueuedCompletionStatus(port, 40, 41, &ov);
    st = pNtRemoveIoCompletion(port, &key, &ctx, &iosb, &zero);
    printf("PostQueuedCompletionStatus %d, read by NtRemoveIoCompletion: 0x%lx key %lu ctx is "
           "the OVERLAPPED %d info %lu\n", ok, (unsigned long)st, (unsigned long)key,
           ctx == (PVOID)&ov, (unsigned long)iosb.Information);
    pNtSetIoCompletion(port, 50, (PVOID)&ov, 0, 51);
    DWORD bytes = 0;
    ULONG_PTR k = 0;
    OVERLAPPED *got = NULL;
    ok = GetQueuedCompletionStatus(port, &bytes, &k, &got, 0);
    printf("NtSetIoCompletion read by GetQueuedCompletionStatus: %d bytes %lu key %lu "
           "overlapped %d\n", ok, bytes, (unsigned long)k, got == &ov);
    CloseHandle(port);
    return 0;
}
