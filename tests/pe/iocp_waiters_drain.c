/* N threads waiting in one completion port drain N completions that come at once (ntrun: one
 * waiter polls the port's sockets, the others sleep on the port's queue; the I/O done by the
 * poller, or by the epoll thread while nobody polls, must reach every sleeper): 6 waiter
 * threads, each taking one packet per round, 40 rounds; per round 4 sockets each get 1 byte
 * for a pending overlapped receive and 2 packets are posted with PostQueuedCompletionStatus.
 * Every packet is delivered exactly once, with its socket's byte of that round, and every
 * waiter ends each round with one packet. Then the same with GetQueuedCompletionStatusEx,
 * alertable, while user APCs are queued to the waiters (a waiter back with WAIT_IO_COMPLETION
 * waits again; the packets its I/O posted meanwhile must still reach the others): all APCs run,
 * every packet delivered once. A lost wake-up shows as a hang (ctest's time-out). Output as on
 * Windows. */
#include <winsock2.h>
#include <windows.h>
#include <stdio.h>
#include <string.h>
#include "ws_loopback.h"

#define NSOCK 4
#define NPOST 2
#define NWAIT (NSOCK + NPOST)
#define ROUNDS 40

typedef struct {
    OVERLAPPED ov;
    SOCKET c, s;
    char byte;
} conn;

static conn conns[NSOCK];
static HANDLE port, go[NWAIT], done;
static volatile LONG apcs_run;
static int alertable;
/* per round: what each key's packet said, and how often it came */
static LONG seen[ROUNDS][NWAIT];
static int value[ROUNDS][NWAIT];
static LONG bad;

static void CALLBACK count_apc(ULONG_PTR arg)
{
    (void)arg;
    InterlockedIncrement(&apcs_run);
}

/* One packet: its key, bytes and OVERLAPPED. */
static BOOL take(DWORD *bytes, ULONG_PTR *key, OVERLAPPED **ov)
{
    if (!alertable)
        return GetQueuedCompletionStatus(port, bytes, key, ov, INFINITE);
    for (;;) {
        OVERLAPPED_ENTRY e;
        ULONG n = 0;
        if (GetQueuedCompletionStatusEx(port, &e, 1, &n, INFINITE, TRUE)) {
            *bytes = e.dwNumberOfBytesTransferred;
            *key = e.lpCompletionKey;
            *ov = e.lpOverlapped;
            return TRUE;
        }
        if (GetLastError() != WAIT_IO_COMPLETION)
            return FALSE;
    }
}

static DWORD WINAPI waiter(void *arg)
{
    int me = (int)(INT_PTR)arg;
    for (int r = 0; r < ROUNDS; r++) {
        WaitForSingleObjectEx(go[me], INFINITE, FALSE);
        DWORD bytes = 0;
        ULONG_PTR key = 0;
        OVERLAPPED *ov = NULL;
        if (!take(&bytes, &key, &ov) || key >= NWAIT) {
            InterlockedIncrement(&bad);
        } else if (key < NSOCK) {
            if (ov != &conns[key].ov || bytes != 1)
                InterlockedIncrement(&bad);
            value[r][key] = (unsigned char)conns[key].byte;
            InterlockedIncrement(&seen[r][key]);
        } else {
            if (ov != (OVERLAPPED *)(ULONG_PTR)(0x1000 + r) || bytes != (DWORD)(r + 7))
                InterlockedIncrement(&bad);
            value[r][key] = r;
            InterlockedIncrement(&seen[r][key]);
        }
        ReleaseSemaphore(done, 1, NULL);
    }
    return 0;
}

static void receive(int i)
{
    WSABUF b = {1, &conns[i].byte};
    DWORD flags = 0;
    memset(&conns[i].ov, 0, sizeof conns[i].ov);
    conns[i].byte = 0;
    if (WSARecv(conns[i].s, &b, 1, NULL, &flags, &conns[i].ov, NULL) != 0 &&
        WSAGetLastError() != WSA_IO_PENDING)
        printf("WSARecv failed: %d\n", WSAGetLastError());
}

static void run(const char *what)
{
    HANDLE th[NWAIT];
    memset(seen, 0, sizeof seen);
    bad = 0;
    apcs_run = 0;
    int apcs_queued = 0;
    for (int w = 0; w < NWAIT; w++) {
        go[w] = CreateEventW(NULL, FALSE, FALSE, NULL);
        th[w] = CreateThread(NULL, 0, waiter, (void *)(INT_PTR)w, 0, NULL);
    }
    for (int r = 0; r < ROUNDS; r++) {
        for (int i = 0; i < NSOCK; i++)
            receive(i);
        for (int w = 0; w < NWAIT; w++)
            SetEvent(go[w]);
        for (int i = 0; i < NSOCK; i++) {
            char c = (char)(r * NSOCK + i);
            if (send(conns[i].c, &c, 1, 0) != 1)
                printf("send failed: %d\n", WSAGetLastError());
        }
        for (int j = 0; j < NPOST; j++)
            PostQueuedCompletionStatus(port, (DWORD)(r + 7), NSOCK + j,
                                       (OVERLAPPED *)(ULONG_PTR)(0x1000 + r));
        if (alertable) {
            QueueUserAPC(count_apc, th[r % NWAIT], 0);
            apcs_queued++;
        }
        for (int w = 0; w < NWAIT; w++)
            WaitForSingleObject(done, INFINITE);
    }
    WaitForMultipleObjects(NWAIT, th, TRUE, INFINITE);
    /* APCs queued to a thread that ended before it waited alertably again never run */
    int once = 1, right = 1;
    for (int r = 0; r < ROUNDS; r++) {
        for (int k = 0; k < NWAIT; k++) {
            once &= seen[r][k] == 1;
            right &= value[r][k] == (k < NSOCK ? (r * NSOCK + k) & 0xff : r);
        }
    }
    printf("%s: %d rounds of %d packets for %d waiters: each delivered once: %s, "
           "its data right: %s, bad packets: %ld\n",
           what, ROUNDS, NWAIT, NWAIT, once ? "yes" : "no", right ? "yes" : "no", bad);
    if (alertable)
        printf("%s: APCs queued %d, run at most that many: %s, some run: %s\n", what,
               apcs_queued, apcs_run <= apcs_queued ? "yes" : "no", apcs_run > 0 ? "yes" : "no");
    for (int w = 0; w < NWAIT; w++) {
        CloseHandle(th[w]);
        CloseHandle(go[w]);
    }
}

int main(void)
{
    WSADATA wsa;
    WSAStartup(MAKEWORD(2, 2), &wsa);
    SOCKET l = ws_listener();
    u_short p = ws_port_of(l);
    port = CreateIoCompletionPort(INVALID_HANDLE_VALUE, NULL, 0, 0);
    done = CreateSemaphoreW(NULL, 0, NWAIT, NULL);
    for (int i = 0; i < NSOCK; i++) {
        conns[i].c = ws_connect_to(p);
        conns[i].s = accept(l, NULL, NULL);
        if (conns[i].s == INVALID_SOCKET)
            printf("accept failed: %d\n", WSAGetLastError());
        BOOL one = TRUE;
        setsockopt(conns[i].c, IPPROTO_TCP, TCP_NODELAY, (const char *)&one, sizeof one);
        if (CreateIoCompletionPort((HANDLE)conns[i].s, port, i, 0) != port)
            printf("CreateIoCompletionPort failed: %lu\n", GetLastError());
    }
    run("GetQueuedCompletionStatus");
    alertable = 1;
    run("GetQueuedCompletionStatusEx alertable, APCs");
    for (int i = 0; i < NSOCK; i++) {
        closesocket(conns[i].c);
        closesocket(conns[i].s);
    }
    closesocket(l);
    CloseHandle(port);
    CloseHandle(done);
    WSACleanup();
    return 0;
}
