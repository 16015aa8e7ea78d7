/* Wait completion packets (NtCreateWaitCompletionPacket, NtAssociateWaitCompletionPacket,
 * NtCancelWaitCompletionPacket), found with GetProcAddress as Go's runtime finds them: a packet
 * posts to its port when its object is signalled (acquiring it), at once when the object already
 * is; cancelling before the signal, while queued (with and without RemoveSignaledPacket), after
 * a waiter took it and before any association; bad handles. */
#include <windows.h>
#include <stdio.h>

typedef LONG(NTAPI *create_fn)(HANDLE *, ACCESS_MASK, void *);
typedef LONG(NTAPI *assoc_fn)(HANDLE, HANDLE, HANDLE, void *, void *, LONG, ULONG_PTR, BOOLEAN *);
typedef LONG(NTAPI *cancel_fn)(HANDLE, BOOLEAN);
typedef struct {
    LONG Status;
    ULONG_PTR Information;
} iosb_t;
typedef LONG(NTAPI *remove_fn)(HANDLE, ULONG_PTR *, ULONG_PTR *, iosb_t *, LARGE_INTEGER *);

static remove_fn nt_remove;

static void take(HANDLE port, const char *what)
{
    ULONG_PTR key = 0, ctx = 0;
    iosb_t io = {0, 0};
    LARGE_INTEGER zero = {{0, 0}};
    LONG st = nt_remove(port, &key, &ctx, &io, &zero);
    if (st == 0)
        printf("%s: key %lu ctx %lu status 0x%lx info %lu\n", what, (unsigned long)key,
               (unsigned long)ctx, io.Status, (unsigned long)io.Information);
    else
        printf("%s: 0x%lx\n", what, st);
}

int main(void)
{
    HMODULE ntdll = GetModuleHandleA("ntdll.dll");
    create_fn create = (create_fn)GetProcAddress(ntdll, "NtCreateWaitCompletionPacket");
    assoc_fn assoc = (assoc_fn)GetProcAddress(ntdll, "NtAssociateWaitCompletionPacket");
    cancel_fn cancel = (cancel_fn)GetProcAddress(ntdll, "NtCancelWaitCompletionPacket");
    nt_remove = (remove_fn)GetProcAddress(ntdll, "NtRemoveIoCompletion");
    if (!create || !assoc || !cancel || !nt_remove) {
        printf("missing exports\n");
        return 1;
    }
    HANDLE port = CreateIoCompletionPort(INVALID_HANDLE_VALUE, NULL, 0, 1);
    HANDLE ev = CreateEventW(NULL, FALSE, FALSE, NULL);
    HANDLE pk = NULL;
    LONG st = create(&pk, GENERIC_ALL, NULL);
    printf("create: 0x%lx %d\n", st, pk != NULL);
    printf("cancel, never associated: 0x%lx\n", cancel(pk, FALSE));

    BOOLEAN already = 2;
    st = assoc(pk, port, ev, (void *)1, (void *)2, 0x123, 4, &already);
    printf("associate: 0x%lx already %d\n", st, already);
    take(port, "before the signal");
    SetEvent(ev);
    take(port, "signalled");
    printf("event consumed: %lu\n", WaitForSingleObject(ev, 0));
    printf("cancel, taken: 0x%lx\n", cancel(pk, TRUE));

    SetEvent(ev);
    already = 2;
    st = assoc(pk, port, ev, (void *)5, (void *)6, 0, 7, &already);
    printf("associate, signalled: 0x%lx already %d\n", st, already);
    printf("cancel, queued: 0x%lx\n", cancel(pk, FALSE));
    printf("cancel, queued, remove: 0x%lx\n", cancel(pk, TRUE));
    take(port, "removed");

    printf("associate again: 0x%lx\n", assoc(pk, port, ev, (void *)8, NULL, 0, 0, NULL));
    printf("cancel, waiting: 0x%lx\n", cancel(pk, FALSE));
    SetEvent(ev);
    take(port, "after cancel");
    printf("event left signalled: %lu\n", WaitForSingleObject(ev, 0));

    HANDLE sem = CreateSemaphoreW(NULL, 2, 5, NULL);
    assoc(pk, port, sem, (void *)9, NULL, 0, 0, &already);
    LONG prev = -1;
    ReleaseSemaphore(sem, 1, &prev);
    printf("semaphore: already %d, count was %ld\n", already, prev);
    take(port, "semaphore");

    /* a packet waited for by a thread in GetQueuedCompletionStatus */
    assoc(pk, port, ev, (void *)10, (void *)11, 0, 12, NULL);
    SetEvent(ev);
    DWORD bytes = 0;
    ULONG_PTR key = 0;
    OVERLAPPED *ov = NULL;
    BOOL ok = GetQueuedCompletionStatus(port, &bytes, &key, &ov, 5000);
    printf("GetQueuedCompletionStatus: %d key %lu ov %lu bytes %lu\n", ok, (unsigned long)key,
           (unsigned long)(ULONG_PTR)ov, bytes);

    printf("bad packet handle: 0x%lx\n", assoc((HANDLE)(ULONG_PTR)0x4321, port, ev, NULL, NULL, 0,
                                              0, NULL));
    printf("event as packet: 0x%lx\n", assoc(ev, port, ev, NULL, NULL, 0, 0, NULL));
    printf("event as port: 0x%lx\n", assoc(pk, ev, ev, NULL, NULL, 0, 0, NULL));
    printf("close: %d\n", CloseHandle(pk));
    return 0;
}
