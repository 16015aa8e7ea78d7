/* Overlapped receives on a socket bound to a completion port, watched by polling
 * GetOverlappedResult and WSAGetOverlappedResult without a wait (bWait FALSE: ERROR_IO_INCOMPLETE
 * / WSA_IO_INCOMPLETE while pending), right after the thread took a packet from the port in a
 * wait; then each packet taken with GetQueuedCompletionStatus(0) in a loop. Each completes with
 * the peer's byte; no wait on the port, an event or anything else while polling. The polls give
 * up after 10 s in all (a hang guard, not a timing: on Windows each ends at once).
 * pe.iocp_poll_result_lease (tests/CMakeLists.txt) runs it with a port lease of 100 s
 * (NTRUN_TEST_ASYNC_LEASE_US, tests only): ntrun keeps the epoll thread off the port's sockets
 * for a lease after a wait in the port; since 2026-12-07 pm a poll without a wait does the I/O
 * itself under a lease (nt_async_poll_soon), before it each poll waited for the lease's end
 * (nothing done in the 10 s). Output as on Windows. */
#include <winsock2.h>
#include <windows.h>
#include <stdio.h>
#include <string.h>
#include "ws_loopback.h"

#define ROUNDS 10

static ULONGLONG give_up;

/* Takes ov's packet without a wait; 1 when it is there (within the guard) and right. */
static int take(HANDLE port, OVERLAPPED *ov)
{
    DWORD bytes = 0;
    ULONG_PTR key = 0;
    OVERLAPPED *got = NULL;
    BOOL ok;
    while (!(ok = GetQueuedCompletionStatus(port, &bytes, &key, &got, 0)) && !got &&
           GetLastError() == WAIT_TIMEOUT && GetTickCount64() <= give_up)
        YieldProcessor();
    return ok && got == ov && key == 5 && bytes == 1;
}

int main(void)
{
    WSADATA wsa;
    WSAStartup(MAKEWORD(2, 2), &wsa);
    SOCKET l = ws_listener(), c, s;
    ws_pair(l, &c, &s);
    HANDLE port = CreateIoCompletionPort((HANDLE)s, NULL, 5, 0);
    give_up = GetTickCount64() + 10000;
    for (int api = 0; api < 2; api++) {
        int waited = 0, incomplete = 0, done = 0;
        for (int i = 0; i < ROUNDS; i++) {
            char buf1[1], buf[1], m1 = (char)('A' + i), m2 = (char)('a' + i);
            OVERLAPPED ov1, ov;
            ws_recv_pending(s, buf1, 1, &ov1);
            send(c, &m1, 1, 0);
            DWORD bytes = 0;
            ULONG_PTR key = 0;
            OVERLAPPED *got = NULL;
            BOOL ok = GetQueuedCompletionStatus(port, &bytes, &key, &got, 5000);
            waited += ok && got == &ov1 && bytes == 1 && buf1[0] == m1;
            /* the poll before the peer's byte: pending */
            int pending = ws_recv_pending(s, buf, 1, &ov) == WSA_IO_PENDING;
            DWORD n = 0, fl = 0;
            BOOL r = api ? WSAGetOverlappedResult(s, &ov, &n, FALSE, &fl)
                         : GetOverlappedResult((HANDLE)s, &ov, &n, FALSE);
            DWORD err = api ? (DWORD)WSAGetLastError() : GetLastError();
            incomplete += pending && !r && err == (api ? WSA_IO_INCOMPLETE : ERROR_IO_INCOMPLETE);
            send(c, &m2, 1, 0);
            for (;;) {
                r = api ? WSAGetOverlappedResult(s, &ov, &n, FALSE, &fl)
                        : GetOverlappedResult((HANDLE)s, &ov, &n, FALSE);
                if (r || GetTickCount64() > give_up)
                    break;
                YieldProcessor();
            }
            done += r && n == 1 && buf[0] == m2 && take(port, &ov);
        }
        printf("%s: waited %d, incomplete before data %d, completed while polling %d of %d\n",
               api ? "WSAGetOverlappedResult" : "GetOverlappedResult", waited, incomplete, done,
               ROUNDS);
    }
    closesocket(c);
    closesocket(s);
    closesocket(l);
    CloseHandle(port);
    WSACleanup();
    return 0;
}
