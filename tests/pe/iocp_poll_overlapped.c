/* Overlapped receives on a socket bound to a completion port, whose end the program watches only
 * by polling HasOverlappedIoCompleted (OVERLAPPED.Internal) in a loop that never waits on the
 * port, an event or anything else; it then takes the packet from the port, again without a wait:
 * GetQueuedCompletionStatus with a zero time-out until it is there (on Windows too the status
 * block is written before the packet is queued).
 * Each receive completes while the program spins, with the peer's byte, its packet queued:
 * 1. "queued": the program's earlier packets were always there when it asked the port
 *    (PostQueuedCompletionStatus's first, then each receive's own);
 * 2. "after a wait" (without the argument `queued`): each round first waits in the port for
 *    another receive, then spins on the next.
 * The spins give up after 10 s in all (a hang guard, not a timing: on Windows each ends at once).
 * pe.iocp_poll_overlapped_lease (tests/CMakeLists.txt) runs the first part with a port lease of
 * 1 s (NTRUN_TEST_ASYNC_LEASE_US): ntrun keeps the epoll thread off a port's sockets for a lease
 * after each return from the port (for the thread's next wait to do the I/O itself), so each of
 * these receives waited for the lease's end until 2026-12-07 pm (about 10 of 20 done in the 10
 * s); now two leases that run out with I/O ready stop the port's leases for 50 leases' time
 * (ntemu/async.c, ASYNC_PP_LAPSES_MAX): 2 late, the others at once. Output as on Windows. */
#include <winsock2.h>
#include <windows.h>
#include <stdio.h>
#include <string.h>
#include "ws_loopback.h"

#define ROUNDS 20

static ULONGLONG give_up;

/* Spins until ov completes; 1 when it did (its packet then taken from the port and checked). */
static int spin_then_take(HANDLE port, OVERLAPPED *ov, const char *buf, char want)
{
    while (!HasOverlappedIoCompleted(ov)) {
        if (GetTickCount64() > give_up)
            return 0;
        YieldProcessor();
    }
    DWORD bytes = 0;
    ULONG_PTR key = 0;
    OVERLAPPED *got = NULL;
    BOOL ok;
    while (!(ok = GetQueuedCompletionStatus(port, &bytes, &key, &got, 0)) && !got &&
           GetLastError() == WAIT_TIMEOUT && GetTickCount64() <= give_up)
        YieldProcessor();
    return ok && got == ov && key == 9 && bytes == 1 && ov->InternalHigh == 1 && buf[0] == want;
}

int main(int argc, char **argv)
{
    int queued_only = argc > 1 && strcmp(argv[1], "queued") == 0;
    WSADATA wsa;
    WSAStartup(MAKEWORD(2, 2), &wsa);
    SOCKET l = ws_listener(), c, s;
    ws_pair(l, &c, &s);
    HANDLE port = CreateIoCompletionPort((HANDLE)s, NULL, 9, 0);
    give_up = GetTickCount64() + 10000;
    char buf[1];
    OVERLAPPED ov;

    /* 1. the port's packets always found queued */
    PostQueuedCompletionStatus(port, 0, 1, NULL);
    DWORD bytes;
    ULONG_PTR key = 0;
    OVERLAPPED *got;
    BOOL ok = GetQueuedCompletionStatus(port, &bytes, &key, &got, INFINITE);
    printf("posted packet: ok %d key %d\n", ok, (int)key);
    int pending = 0, done = 0;
    for (int i = 0; i < ROUNDS; i++) {
        char m = (char)('a' + i);
        pending += ws_recv_pending(s, buf, 1, &ov) == WSA_IO_PENDING;
        send(c, &m, 1, 0);
        done += spin_then_take(port, &ov, buf, m);
    }
    printf("queued: pending %d, completed while spinning %d of %d\n", pending, done, ROUNDS);

    /* 2. a wait in the port for one receive, then a spin on the next */
    if (!queued_only) {
        pending = done = 0;
        int waited = 0;
        OVERLAPPED ov1;
        char buf1[1];
        for (int i = 0; i < ROUNDS; i++) {
            char m1 = (char)('A' + i), m2 = (char)('a' + i);
            ws_recv_pending(s, buf1, 1, &ov1);
            send(c, &m1, 1, 0);
            got = NULL;
            ok = GetQueuedCompletionStatus(port, &bytes, &key, &got, 5000);
            waited += ok && got == &ov1 && bytes == 1 && buf1[0] == m1;
            pending += ws_recv_pending(s, buf, 1, &ov) == WSA_IO_PENDING;
            send(c, &m2, 1, 0);
            done += spin_then_take(port, &ov, buf, m2);
        }
        printf("after a wait: waited %d, pending %d, completed while spinning %d of %d\n",
               waited, pending, done, ROUNDS);
    }

    closesocket(c);
    closesocket(s);
    closesocket(l);
    CloseHandle(port);
    WSACleanup();
    return 0;
}
