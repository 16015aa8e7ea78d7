/* Overlapped socket receives completed through one completion port while threads wait in it
 * (ntrun: a waiter that finds the port empty polls the sockets itself and completes what is
 * ready in its own thread, the epoll thread serves the port while nobody waits): 16 sockets,
 * 64 rounds of one byte each, two waiter threads (GetQueuedCompletionStatus and
 * GetQueuedCompletionStatusEx) that re-issue each receive: every byte is delivered once and in
 * order; a CancelIoEx racing the byte that completes the same receive (200 times, a waiter
 * in the port): exactly one packet per receive, either the byte or WSA_OPERATION_ABORTED with
 * the byte left for the next receive; closesocket of a socket with a receive pending while a
 * thread waits in the port (the packet says WSA_OPERATION_ABORTED); a pending receive with an
 * event and nobody in the port (the event is set, the packet waits in the port); a packet
 * posted by another thread wakes a waiter; 64 sockets closed one after the other while data
 * comes on half of them and a thread waits in the port (each receive gets one packet, data or
 * WSA_OPERATION_ABORTED: ntrun's waiter may be completing a socket's receive as it closes);
 * GetQueuedCompletionStatusEx's OVERLAPPED_ENTRY.Internal is the packet's NTSTATUS in all its
 * eight bytes (0 for a success: the two waiters' test reads it so; 0xC0000120 for a cancelled
 * receive: ntrun once left garbage in the high half, pe.iocp_socket_waiters_perturb).
 * Output as on Windows. */
#include <winsock2.h>
#include <windows.h>
#include <stdio.h>
#include <string.h>

#define NSOCK 16
#define ROUNDS 64

static SOCKET listener(void)
{
    SOCKET s = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    struct sockaddr_in a = {0};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (bind(s, (struct sockaddr *)&a, sizeof a) != 0 || listen(s, 64) != 0)
        printf("listen failed: %d\n", WSAGetLastError());
    return s;
}

/* A connected pair: *c the client (blocking), *s the accepted end. */
static void pair(SOCKET l, SOCKET *c, SOCKET *s)
{
    struct sockaddr_in a;
    int len = sizeof a;
    getsockname(l, (struct sockaddr *)&a, &len);
    *c = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    if (connect(*c, (struct sockaddr *)&a, sizeof a) != 0)
        printf("connect failed: %d\n", WSAGetLastError());
    *s = accept(l, NULL, NULL);
    if (*s == INVALID_SOCKET)
        printf("accept failed: %d\n", WSAGetLastError());
    BOOL one = TRUE;
    setsockopt(*c, IPPROTO_TCP, TCP_NODELAY, (const char *)&one, sizeof one);
}

typedef struct {
    OVERLAPPED ov;
    SOCKET s;
    char byte;
    int next;          /* the value the next byte must have */
    LONG delivered;    /* packets for this socket */
    LONG bad;          /* a byte out of order or twice */
    LONG failed;       /* a packet that says the receive failed, or not one byte */
} conn;

static conn conns[NSOCK];
static HANDLE port;
static LONG total;
static HANDLE all_done;

static BOOL post_recv(conn *c)
{
    WSABUF b = {1, &c->byte};
    DWORD flags = 0;
    memset(&c->ov, 0, sizeof c->ov);
    if (WSARecv(c->s, &b, 1, NULL, &flags, &c->ov, NULL) != 0 &&
        WSAGetLastError() != WSA_IO_PENDING) {
        printf("WSARecv failed: %d\n", WSAGetLastError());
        return FALSE;
    }
    return TRUE;
}

/* One packet taken by a waiter: checks it, re-issues the receive. */
static void on_packet(OVERLAPPED *ov, DWORD bytes, BOOL ok)
{
    conn *c = CONTAINING_RECORD(ov, conn, ov);
    InterlockedIncrement(&c->delivered);
    if (!ok || bytes != 1)
        InterlockedIncrement(&c->failed);
    else if ((unsigned char)c->byte != (unsigned char)c->next)
        InterlockedIncrement(&c->bad);
    c->next++;
    if (c->next < ROUNDS)
        post_recv(c);
    if (InterlockedIncrement(&total) == NSOCK * ROUNDS)
        SetEvent(all_done);
}

static DWORD WINAPI waiter_gqcs(void *arg)
{
    (void)arg;
    for (;;) {
        DWORD bytes;
        ULONG_PTR key;
        OVERLAPPED *ov;
        BOOL ok = GetQueuedCompletionStatus(port, &bytes, &key, &ov, 30000);
        if (!ov || key == 0)
            return 0; /* a quit packet (or nothing in 30 s) */
        on_packet(ov, bytes, ok);
    }
}

static DWORD WINAPI waiter_gqcs_ex(void *arg)
{
    (void)arg;
    for (;;) {
        OVERLAPPED_ENTRY e[4];
        ULONG n = 0;
        if (!GetQueuedCompletionStatusEx(port, e, 4, &n, 30000, FALSE))
            return 0;
        for (ULONG i = 0; i < n; i++) {
            if (e[i].lpCompletionKey == 0)
                return 0;
            on_packet(e[i].lpOverlapped, e[i].dwNumberOfBytesTransferred,
                      e[i].Internal == 0);
        }
    }
}

static void many_requests_two_waiters(SOCKET l)
{
    SOCKET cl[NSOCK];
    port = CreateIoCompletionPort(INVALID_HANDLE_VALUE, NULL, 0, 0);
    all_done = CreateEventW(NULL, TRUE, FALSE, NULL);
    for (int i = 0; i < NSOCK; i++) {
        pair(l, &cl[i], &conns[i].s);
        if (!CreateIoCompletionPort((HANDLE)conns[i].s, port, 1 + i, 0))
            printf("associate failed: %lu\n", GetLastError());
        post_recv(&conns[i]);
    }
    HANDLE t[2] = {CreateThread(NULL, 0, waiter_gqcs, NULL, 0, NULL),
                   CreateThread(NULL, 0, waiter_gqcs_ex, NULL, 0, NULL)};
    for (int r = 0; r < ROUNDS; r++) {
        for (int i = 0; i < NSOCK; i++) {
            char v = (char)r;
            if (send(cl[i], &v, 1, 0) != 1)
                printf("send failed: %d\n", WSAGetLastError());
        }
        if (r % 8 == 7)
            Sleep(1); /* now and then the waiters find the port empty */
    }
    DWORD w = WaitForSingleObject(all_done, 60000);
    /* one quit packet at a time (GetQueuedCompletionStatusEx could take two at once) */
    PostQueuedCompletionStatus(port, 0, 0, NULL);
    WaitForMultipleObjects(2, t, FALSE, 30000);
    PostQueuedCompletionStatus(port, 0, 0, NULL);
    WaitForMultipleObjects(2, t, TRUE, 30000);
    LONG delivered = 0, bad = 0, failed = 0;
    for (int i = 0; i < NSOCK; i++) {
        delivered += conns[i].delivered;
        bad += conns[i].bad + (conns[i].delivered != ROUNDS);
        failed += conns[i].failed;
    }
    printf("two waiters: all delivered %s, %ld packets, failed packets %ld, lost, doubled or "
           "misordered bytes: %ld\n", w == WAIT_OBJECT_0 ? "yes" : "no", delivered, failed, bad);
    DWORD depth_bytes;
    ULONG_PTR key;
    OVERLAPPED *ov;
    BOOL extra = GetQueuedCompletionStatus(port, &depth_bytes, &key, &ov, 0) || ov != NULL;
    printf("two waiters: packet left over: %s\n", extra ? "yes" : "no");
    for (int i = 0; i < NSOCK; i++) {
        closesocket(cl[i]);
        closesocket(conns[i].s);
    }
    CloseHandle(t[0]);
    CloseHandle(t[1]);
    CloseHandle(port);
    CloseHandle(all_done);
}

/* ---- a cancel racing the completion ---- */
typedef struct {
    HANDLE port;
    HANDLE got;        /* auto-reset: a packet was taken */
    volatile LONG quit;
    OVERLAPPED *ov;
    DWORD bytes, error;
    LONG packets;
} race_state;

static DWORD WINAPI race_waiter(void *p)
{
    race_state *st = p;
    for (;;) {
        DWORD bytes;
        ULONG_PTR key;
        OVERLAPPED *ov;
        BOOL ok = GetQueuedCompletionStatus(st->port, &bytes, &key, &ov, 30000);
        if (!ov || key == 0)
            return 0;
        st->ov = ov;
        st->bytes = bytes;
        st->error = ok ? 0 : GetLastError();
        InterlockedIncrement(&st->packets);
        SetEvent(st->got);
    }
}

static void cancel_races_completion(SOCKET l)
{
    SOCKET c, s;
    pair(l, &c, &s);
    race_state st = {0};
    st.port = CreateIoCompletionPort(INVALID_HANDLE_VALUE, NULL, 0, 0);
    st.got = CreateEventW(NULL, FALSE, FALSE, NULL);
    CreateIoCompletionPort((HANDLE)s, st.port, 1, 0);
    HANDLE t = CreateThread(NULL, 0, race_waiter, &st, 0, NULL);
    int iters = 200, sent = 0, received = 0, aborted = 0, wrong = 0, cancel_found = 0;
    char buf[256];
    for (int i = 0; i < iters; i++) {
        OVERLAPPED ov = {0};
        WSABUF b = {1, buf};
        DWORD flags = 0, n = 0;
        int r = WSARecv(s, &b, 1, &n, &flags, &ov, NULL);
        if (r != 0 && WSAGetLastError() != WSA_IO_PENDING) {
            printf("race: WSARecv failed: %d\n", WSAGetLastError());
            break;
        }
        char v = 'x';
        send(c, &v, 1, 0);
        sent++;
        if (CancelIoEx((HANDLE)s, &ov))
            cancel_found++;
        else if (GetLastError() != ERROR_NOT_FOUND)
            wrong++;
        if (WaitForSingleObject(st.got, 30000) != WAIT_OBJECT_0) {
            printf("race: no packet for receive %d\n", i);
            break;
        }
        if (st.ov != &ov)
            wrong++;
        else if (st.error == 0 && st.bytes == 1)
            received++;
        else if (st.error == ERROR_OPERATION_ABORTED && st.bytes == 0)
            aborted++;
        else
            wrong++;
    }
    /* the bytes of the cancelled receives are still in the socket */
    while (received < sent) {
        fd_set rd;
        FD_ZERO(&rd);
        FD_SET(s, &rd);
        struct timeval tv = {10, 0};
        if (select(0, &rd, NULL, NULL, &tv) != 1)
            break;
        int r = recv(s, buf, sizeof buf, 0);
        if (r <= 0)
            break;
        received += r;
    }
    PostQueuedCompletionStatus(st.port, 0, 0, NULL);
    WaitForSingleObject(t, 30000);
    printf("cancel race: %d receives, one packet each: %s, bytes sent %d, received %d, "
           "unexpected outcomes %d\n",
           iters, st.packets == iters ? "yes" : "no", sent, received, wrong);
    (void)aborted;
    (void)cancel_found;
    CloseHandle(t);
    CloseHandle(st.got);
    CloseHandle(st.port);
    closesocket(c);
    closesocket(s);
}

/* ---- closesocket while a thread waits in the port ---- */
static DWORD WINAPI one_packet(void *p)
{
    race_state *st = p;
    DWORD bytes;
    ULONG_PTR key;
    OVERLAPPED *ov;
    BOOL ok = GetQueuedCompletionStatus(st->port, &bytes, &key, &ov, 30000);
    st->ov = ov;
    st->bytes = bytes;
    st->error = ok ? 0 : GetLastError();
    return 0;
}

static void closesocket_while_waiting(SOCKET l)
{
    SOCKET c, s;
    pair(l, &c, &s);
    race_state st = {0};
    st.port = CreateIoCompletionPort(INVALID_HANDLE_VALUE, NULL, 0, 0);
    CreateIoCompletionPort((HANDLE)s, st.port, 5, 0);
    OVERLAPPED ov = {0};
    char buf[4];
    WSABUF b = {sizeof buf, buf};
    DWORD flags = 0;
    if (WSARecv(s, &b, 1, NULL, &flags, &ov, NULL) == 0 || WSAGetLastError() != WSA_IO_PENDING)
        printf("closesocket: WSARecv did not pend: %d\n", WSAGetLastError());
    HANDLE t = CreateThread(NULL, 0, one_packet, &st, 0, NULL);
    Sleep(50); /* the waiter is in the port (the test's outcome does not depend on it) */
    closesocket(s);
    WaitForSingleObject(t, 30000);
    printf("closesocket: packet for the receive %s, error %lu, bytes %lu\n",
           st.ov == &ov ? "yes" : "no", st.error, st.bytes);
    CloseHandle(t);
    CloseHandle(st.port);
    closesocket(c);
}

/* ---- nobody in the port: the event still tells, the packet waits ---- */
static void no_waiter(SOCKET l)
{
    SOCKET c, s;
    pair(l, &c, &s);
    HANDLE p = CreateIoCompletionPort(INVALID_HANDLE_VALUE, NULL, 0, 0);
    CreateIoCompletionPort((HANDLE)s, p, 9, 0);
    OVERLAPPED ov = {0};
    ov.hEvent = CreateEventW(NULL, TRUE, FALSE, NULL);
    char buf[4];
    WSABUF b = {sizeof buf, buf};
    DWORD flags = 0;
    if (WSARecv(s, &b, 1, NULL, &flags, &ov, NULL) == 0 || WSAGetLastError() != WSA_IO_PENDING)
        printf("no waiter: WSARecv did not pend: %d\n", WSAGetLastError());
    send(c, "ab", 2, 0);
    DWORD w = WaitForSingleObject(ov.hEvent, 30000);
    DWORD bytes = 0, fl = 0;
    BOOL ok = WSAGetOverlappedResult(s, &ov, &bytes, FALSE, &fl);
    printf("no waiter: event %s, result %d, bytes %lu\n", w == WAIT_OBJECT_0 ? "set" : "not set",
           ok, bytes);
    ULONG_PTR key = 0;
    OVERLAPPED *got = NULL;
    /* not 0: the event may be seen a moment before the packet is queued (ntrun sets the event,
     * then queues the packet, the order ntemu/async.c takes for the I/O manager's; no document
     * promises the packet is there once the event is) */
    ok = GetQueuedCompletionStatus(p, &bytes, &key, &got, 10000);
    printf("no waiter: packet %s, key %lu, bytes %lu\n", ok && got == &ov ? "yes" : "no",
           (unsigned long)key, bytes);
    /* and again with a thread in the port: a post from another thread wakes it */
    race_state st = {0};
    st.port = p;
    HANDLE t = CreateThread(NULL, 0, one_packet, &st, 0, NULL);
    Sleep(50);
    PostQueuedCompletionStatus(p, 77, 3, (OVERLAPPED *)&st);
    WaitForSingleObject(t, 30000);
    printf("posted: woke the waiter %s, bytes %lu\n", st.ov == (OVERLAPPED *)&st ? "yes" : "no",
           st.bytes);
    CloseHandle(t);
    CloseHandle(ov.hEvent);
    CloseHandle(p);
    closesocket(c);
    closesocket(s);
}

/* ---- OVERLAPPED_ENTRY.Internal: the packet's NTSTATUS, all eight bytes ---- */
static void entry_internal(SOCKET l)
{
    SOCKET c, s;
    pair(l, &c, &s);
    HANDLE p = CreateIoCompletionPort(INVALID_HANDLE_VALUE, NULL, 0, 0);
    CreateIoCompletionPort((HANDLE)s, p, 4, 0);
    OVERLAPPED ov = {0};
    char buf[4];
    WSABUF b = {sizeof buf, buf};
    DWORD flags = 0;
    if (WSARecv(s, &b, 1, NULL, &flags, &ov, NULL) == 0 || WSAGetLastError() != WSA_IO_PENDING)
        printf("entry: WSARecv did not pend: %d\n", WSAGetLastError());
    CancelIoEx((HANDLE)s, &ov);
    PostQueuedCompletionStatus(p, 5, 6, (OVERLAPPED *)&b);
    OVERLAPPED_ENTRY e[4];
    memset(e, 0xcc, sizeof e);
    ULONG n = 0, got = 0;
    for (int tries = 0; got < 2 && tries < 2; tries++) {
        if (!GetQueuedCompletionStatusEx(p, e + got, 4 - got, &n, 10000, FALSE))
            break;
        got += n;
    }
    for (int kind = 0; kind < 2; kind++) /* (whichever came first) */
        for (ULONG i = 0; i < got; i++)
            if ((e[i].lpOverlapped == &ov) == (kind == 0))
                printf("entry: %s, Internal %08lx%08lx, bytes %lu\n",
                       kind == 0 ? "cancelled receive" : "posted",
                       (unsigned long)((unsigned long long)e[i].Internal >> 32),
                       (unsigned long)(e[i].Internal & 0xffffffffu),
                       e[i].dwNumberOfBytesTransferred);
    CloseHandle(p);
    closesocket(c);
    closesocket(s);
}

/* ---- sockets closed while the port's waiter completes their neighbours ---- */
#define NCLOSE 64
static LONG close_packets, close_bad;
static DWORD WINAPI close_waiter(void *p)
{
    HANDLE port_ = p;
    for (;;) {
        DWORD bytes;
        ULONG_PTR key;
        OVERLAPPED *ov;
        BOOL ok = GetQueuedCompletionStatus(port_, &bytes, &key, &ov, 30000);
        if (!ov || key == 0)
            return 0;
        DWORD err = ok ? 0 : GetLastError();
        if (!((ok && bytes == 1) || (!ok && err == ERROR_OPERATION_ABORTED)))
            InterlockedIncrement(&close_bad);
        InterlockedIncrement(&close_packets);
    }
}

static void close_while_completing(SOCKET l)
{
    static SOCKET cl[NCLOSE], sv[NCLOSE];
    static OVERLAPPED ov[NCLOSE];
    static char buf[NCLOSE];
    HANDLE p = CreateIoCompletionPort(INVALID_HANDLE_VALUE, NULL, 0, 0);
    for (int i = 0; i < NCLOSE; i++) {
        pair(l, &cl[i], &sv[i]);
        CreateIoCompletionPort((HANDLE)sv[i], p, 1, 0);
        WSABUF b = {1, &buf[i]};
        DWORD flags = 0;
        if (WSARecv(sv[i], &b, 1, NULL, &flags, &ov[i], NULL) == 0 ||
            WSAGetLastError() != WSA_IO_PENDING)
            printf("close: WSARecv did not pend: %d\n", WSAGetLastError());
    }
    HANDLE t = CreateThread(NULL, 0, close_waiter, p, 0, NULL);
    for (int i = 0; i < NCLOSE; i++) {
        if (i % 2 == 0)
            send(cl[i], "d", 1, 0);
        closesocket(sv[i]);
    }
    while (InterlockedCompareExchange(&close_packets, 0, 0) < NCLOSE &&
           WaitForSingleObject(t, 10) == WAIT_TIMEOUT) {
    }
    PostQueuedCompletionStatus(p, 0, 0, NULL);
    WaitForSingleObject(t, 30000);
    printf("close while completing: %ld packets for %d receives, unexpected %ld\n",
           close_packets, NCLOSE, close_bad);
    for (int i = 0; i < NCLOSE; i++)
        closesocket(cl[i]);
    CloseHandle(t);
    CloseHandle(p);
}

int main(void)
{
    WSADATA wd;
    WSAStartup(MAKEWORD(2, 2), &wd);
    SOCKET l = listener();
    many_requests_two_waiters(l);
    cancel_races_completion(l);
    closesocket_while_waiting(l);
    no_waiter(l);
    entry_internal(l);
    close_while_completing(l);
    closesocket(l);
    WSACleanup();
    return 0;
}
