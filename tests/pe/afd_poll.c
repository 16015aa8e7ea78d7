/* IOCTL_AFD_POLL, the socket driver's poll that Rust's mio (tokio) and polling (async-io), wepoll
 * and libuv's uv_poll are built on, issued on a \Device\Afd\Name helper handle bound to a
 * completion port (as mio does) and on socket handles with an event: the argument checks (no
 * socket, a buffer too short for the count, an output shorter than the input), a timeout of 0
 * (answered at once, no socket), an absolute time already past (STATUS_PENDING, then
 * STATUS_TIMEOUT), a relative one; a listener's ACCEPT through the port (key, OVERLAPPED,
 * Information); a connected socket's SEND|CONNECT, RECEIVE once data came, the mask; the peer's
 * shutdown (DISCONNECT); a poll cancelled with CancelIoEx (STATUS_CANCELLED through the port);
 * a socket closed while polled (LOCAL_CLOSE, reported though not asked for); a refused
 * connection (CONNECT_FAIL with STATUS_CONNECTION_REFUSED, and SO_ERROR still
 * WSAECONNREFUSED afterwards); two sockets in one poll (only the ready one listed), the second
 * of them closed while polled (LOCAL_CLOSE for it alone); exclusive polls (a later exclusive
 * poll ends the socket's main poll when that is exclusive too, never a non-exclusive one, not
 * a poll queued while another was main, on another socket no, on an overlapping set yes, from
 * another thread yes); the handle a poll was issued on closed while it waits (the poll runs
 * on: to its timeout, or to the socket's data with its packet on the closed handle's port,
 * CancelIoEx of the socket polled finding nothing). Windows' answers as Wine's tests of the device
 * (dlls/ws2_32/tests/afd.c) check them on Windows; Wine 8.0 prints the same lines but for the
 * refused connection, where it adds RECEIVE (101), and the closed issuing handles, whose polls
 * it ends at the close (STATUS_HANDLES_CLOSED; its tests mark that todo_wine).
 * postgrestools (async-io's reactor) stopped with "failed to initialize \Device\Afd" before. */
#include <winsock2.h>
#include <ws2tcpip.h>
#include <windows.h>
#include <winternl.h>
#include <stdio.h>
#include <stddef.h>
#include <stdint.h>

#define IOCTL_AFD_POLL 0x00012024
#define POLL_RECEIVE 0x001
#define POLL_SEND 0x004
#define POLL_DISCONNECT 0x008
#define POLL_LOCAL_CLOSE 0x020
#define POLL_CONNECT 0x040
#define POLL_ACCEPT 0x080
#define POLL_CONNECT_FAIL 0x100
#define ALL_EVENTS 0x1ff

typedef struct {
    HANDLE socket;
    ULONG events;
    NTSTATUS status;
} poll_socket;
typedef struct {
    LARGE_INTEGER timeout;
    ULONG count;
    ULONG exclusive;
    poll_socket sockets[2];
} poll_info;

NTSTATUS NTAPI NtCancelIoFileEx(HANDLE, IO_STATUS_BLOCK *, IO_STATUS_BLOCK *);
NTSTATUS NTAPI NtQuerySystemTime(LARGE_INTEGER *);

static HANDLE afd, port, event;
static HANDLE ev[4];
static IO_STATUS_BLOCK xio[4];
static poll_info xout[4];
static struct sockaddr_in listen_addr;

static NTSTATUS poll_on(HANDLE h, HANDLE ev, void *ctx, IO_STATUS_BLOCK *io, poll_info *in,
                        ULONG count, poll_info *out)
{
    ULONG size = offsetof(poll_info, sockets) + count * sizeof(poll_socket);
    in->count = count;
    memset(out, 0xcc, sizeof *out);
    io->Status = 0x12345678;
    io->Information = 0xdead;
    return NtDeviceIoControlFile(h, ev, NULL, ctx, io, IOCTL_AFD_POLL, in, size, out, size);
}

static void show(const char *what, NTSTATUS ret, IO_STATUS_BLOCK *io, poll_info *out,
                 SOCKET s0, SOCKET s1)
{
    printf("%s: ret %08lx status %08lx info %lu", what, (unsigned long)ret,
           (unsigned long)io->Status, (unsigned long)io->Information);
    if (io->Status < 0) { /* a failure writes no output */
        printf(" output %s\n", out->count == 0xccccccccu ? "untouched" : "written");
        return;
    }
    printf(" count %lu", (unsigned long)out->count);
    for (ULONG i = 0; i < out->count && i < 2; i++)
        printf(" [%s %03lx %08lx]",
               out->sockets[i].socket == (HANDLE)s0   ? "s0"
               : out->sockets[i].socket == (HANDLE)s1 ? "s1"
                                                      : "?",
               out->sockets[i].events, (unsigned long)out->sockets[i].status);
    printf("\n");
}

/* a connected pair through the listener */
static void make_pair(SOCKET listener, SOCKET *client, SOCKET *server)
{
    *client = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    if (connect(*client, (struct sockaddr *)&listen_addr, sizeof listen_addr))
        printf("connect failed %d\n", WSAGetLastError());
    *server = accept(listener, NULL, NULL);
}

static void wait_port(const char *what, poll_info *out, SOCKET s0, SOCKET s1, void *want_ctx)
{
    DWORD bytes = 0;
    ULONG_PTR key = 0;
    OVERLAPPED *ov = NULL;
    BOOL ok = GetQueuedCompletionStatus(port, &bytes, &key, &ov, 5000);
    DWORD err = ok ? 0 : GetLastError();
    IO_STATUS_BLOCK *io = (IO_STATUS_BLOCK *)ov;
    printf("%s: port %s err %lu key %lu bytes %lu overlapped %s", what, ok ? "TRUE" : "FALSE", err,
           (unsigned long)key, bytes, ov == want_ctx ? "ours" : "other");
    if (ov)
        show("", 0, io, out, s0, s1);
    else
        printf("\n");
}

/* exclusive polls: poll number i on socket(s), issued on handle h with event ev[i] */
static NTSTATUS xpoll(int i, HANDLE h, BOOL exclusive, SOCKET s0, SOCKET s1)
{
    poll_info in;
    memset(&in, 0, sizeof in);
    in.timeout.QuadPart = INT64_MAX;
    in.exclusive = exclusive;
    in.sockets[0].socket = (HANDLE)s0;
    in.sockets[0].events = ALL_EVENTS;
    in.sockets[1].socket = (HANDLE)s1;
    in.sockets[1].events = ALL_EVENTS;
    return poll_on(h, ev[i], NULL, &xio[i], &in, s1 ? 2 : 1, &xout[i]);
}

/* which of polls 0..n-1 have ended (an ended one shows its answer) */
static void xshow(const char *what, int n)
{
    printf("%s:", what);
    for (int i = 0; i < n; i++) {
        DWORD w = WaitForSingleObject(ev[i], 100);
        if (w == WAIT_TIMEOUT)
            printf(" %d pending", i);
        else if (xio[i].Status == (NTSTATUS)0xC0000120)
            printf(" %d cancelled", i);
        else
            printf(" %d ended (status %08lx info %lu count %lu)", i, (unsigned long)xio[i].Status,
                   (unsigned long)xio[i].Information, (unsigned long)xout[i].count);
    }
    printf("\n");
}

typedef struct {
    int i;
    SOCKET on, s0, s1;
    BOOL exclusive;
} thread_arg;

static DWORD WINAPI xthread(void *p)
{
    thread_arg *a = p;
    NTSTATUS st = xpoll(a->i, (HANDLE)a->on, a->exclusive, a->s0, a->s1);
    DWORD w = WaitForSingleObject(ev[a->i], 100);
    printf("  the other thread's exclusive poll: %08lx, %s\n", (unsigned long)st,
           w == WAIT_TIMEOUT ? "pending" : "ended");
    return 0;
}

/* The exclusive-poll cases as steps: a poll (numbered in its case from 0) issued on a handle,
 * the same from another thread, CancelIo of a handle, a look at the first n polls; each case
 * ends with CancelIo of the control socket. The sockets: the control socket and two others. */
enum { CTL, S0, S1, NO_SOCKET };
typedef struct {
    char op;           /* 'p' poll, 't' poll from another thread, 'c' CancelIo, 's' show, 'e' end */
    int on;            /* p, t, c: the handle; s: how many polls to show */
    BOOL exclusive;    /* p, t */
    int s0, s1;        /* p, t: the sockets polled (s1 NO_SOCKET: one) */
    const char *label; /* s */
} xstep;
#define POLL(on, x, s0, s1) {'p', on, x, s0, s1, NULL}
#define POLL_THREAD(on, x, s0) {'t', on, x, s0, NO_SOCKET, NULL}
#define CANCEL(on) {'c', on, FALSE, 0, 0, NULL}
#define SHOW(label, n) {'s', n, FALSE, 0, 0, label}
#define END {'e', 0, FALSE, 0, 0, NULL}
static const xstep xsteps[] = {
    POLL(CTL, TRUE, S0, NO_SOCKET), SHOW("exclusive alone", 1), CANCEL(CTL),
    SHOW("  cancelled", 1), END,
    POLL(CTL, FALSE, S0, NO_SOCKET), POLL(CTL, FALSE, S0, NO_SOCKET),
    SHOW("two non-exclusive", 2), END,
    POLL(CTL, TRUE, S0, NO_SOCKET), POLL(CTL, TRUE, S0, NO_SOCKET),
    SHOW("exclusive then exclusive", 2), END,
    POLL(CTL, FALSE, S0, NO_SOCKET), POLL(CTL, TRUE, S0, NO_SOCKET),
    POLL(CTL, TRUE, S0, NO_SOCKET), SHOW("non-exclusive then two exclusive", 3), END,
    /* poll 0 is main until cancelled; poll 1 queued meanwhile stays pending, poll 2 then
     * becomes main, and poll 3 ends it */
    POLL(S0, FALSE, S0, NO_SOCKET), POLL(CTL, TRUE, S0, NO_SOCKET), CANCEL(S0),
    POLL(CTL, TRUE, S0, NO_SOCKET), POLL(CTL, TRUE, S0, NO_SOCKET),
    SHOW("main cancelled, then three exclusive", 4), END,
    POLL(CTL, TRUE, S0, NO_SOCKET), POLL(CTL, TRUE, S1, NO_SOCKET),
    SHOW("exclusive on different sockets", 2), END,
    POLL(CTL, TRUE, CTL, S0), POLL(CTL, TRUE, CTL, S1),
    SHOW("exclusive on overlapping sets", 2), END,
    POLL(CTL, TRUE, CTL, NO_SOCKET), POLL_THREAD(CTL, TRUE, CTL),
    SHOW("exclusive, then one from another thread", 1), END,
};

static void exclusive_polls(void)
{
    SOCKET socks[NO_SOCKET + 1] = {0};
    for (int i = 0; i < NO_SOCKET; i++)
        socks[i] = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    for (int i = 0; i < 4; i++)
        ev[i] = CreateEventW(NULL, TRUE, FALSE, NULL);
    int n = 0; /* the next poll's number in its case */
    for (size_t k = 0; k < sizeof xsteps / sizeof *xsteps; k++) {
        const xstep *x = &xsteps[k];
        HANDLE h = (HANDLE)socks[x->on];
        if (x->op == 'p') {
            xpoll(n++, h, x->exclusive, socks[x->s0], socks[x->s1]);
        } else if (x->op == 't') {
            thread_arg a = {n++, socks[x->on], socks[x->s0], socks[x->s1], x->exclusive};
            HANDLE t = CreateThread(NULL, 0, xthread, &a, 0, NULL);
            WaitForSingleObject(t, INFINITE);
            CloseHandle(t);
        } else if (x->op == 'c') {
            CancelIo(h);
        } else if (x->op == 's') {
            xshow(x->label, x->on);
        } else {
            CancelIo((HANDLE)socks[CTL]);
            n = 0;
        }
    }
    for (int i = 0; i < NO_SOCKET; i++)
        closesocket(socks[i]);
    for (int i = 0; i < 4; i++)
        CloseHandle(ev[i]);
}

int main(void)
{
    WSADATA wsa;
    WSAStartup(MAKEWORD(2, 2), &wsa);
    event = CreateEventW(NULL, TRUE, FALSE, NULL);

    UNICODE_STRING name;
    RtlInitUnicodeString(&name, L"\\Device\\Afd\\NtrunTest");
    OBJECT_ATTRIBUTES attr = {.Length = sizeof attr, .ObjectName = &name};
    IO_STATUS_BLOCK cio;
    NTSTATUS st = NtCreateFile(&afd, SYNCHRONIZE, &attr, &cio, NULL, 0,
                               FILE_SHARE_READ | FILE_SHARE_WRITE, FILE_OPEN, 0, NULL, 0);
    printf("open \\Device\\Afd\\NtrunTest: %08lx\n", (unsigned long)st);
    port = CreateIoCompletionPort(afd, NULL, 7, 0);
    printf("bound to a port: %s\n", port ? "yes" : "no");

    SOCKET listener = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    listen_addr.sin_family = AF_INET;
    listen_addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    bind(listener, (struct sockaddr *)&listen_addr, sizeof listen_addr);
    listen(listener, 4);
    int len = sizeof listen_addr;
    getsockname(listener, (struct sockaddr *)&listen_addr, &len);

    poll_info in, out;
    IO_STATUS_BLOCK io;
    memset(&in, 0, sizeof in);
    in.sockets[0].socket = (HANDLE)listener;
    in.sockets[0].events = ALL_EVENTS;

    /* argument checks */
    st = poll_on(afd, event, NULL, &io, &in, 0, &out);
    printf("no socket: %08lx\n", (unsigned long)st);
    st = NtDeviceIoControlFile(afd, event, NULL, NULL, &io, IOCTL_AFD_POLL, &in, 0x18, &out,
                               0x20);
    printf("input short of its socket: %08lx\n", (unsigned long)st);
    in.count = 1;
    st = NtDeviceIoControlFile(afd, event, NULL, NULL, &io, IOCTL_AFD_POLL, &in, 0x20, &out,
                               0x1f);
    printf("output shorter than the input: %08lx\n", (unsigned long)st);
    st = NtDeviceIoControlFile(afd, event, NULL, NULL, &io, IOCTL_AFD_POLL, &in, 0x20, NULL, 0);
    printf("no output: %08lx\n", (unsigned long)st);

    /* timeouts */
    in.timeout.QuadPart = 0;
    st = poll_on(afd, event, NULL, &io, &in, 1, &out);
    show("timeout 0, nothing ready", st, &io, &out, listener, 0);
    NtQuerySystemTime(&in.timeout);
    st = poll_on(afd, event, NULL, &io, &in, 1, &out);
    DWORD w = WaitForSingleObject(event, 5000);
    printf("absolute time past: ret %08lx, wait %lu\n", (unsigned long)st, w);
    show("  then", 0, &io, &out, listener, 0);
    printf("  timeout echoed: %s\n", out.timeout.QuadPart == in.timeout.QuadPart ? "yes" : "no");
    in.timeout.QuadPart = -300 * 10000; /* 300 ms */
    DWORD t0 = GetTickCount();
    st = poll_on(afd, event, NULL, &io, &in, 1, &out);
    w = WaitForSingleObject(event, 5000);
    DWORD took = GetTickCount() - t0;
    printf("relative 300 ms: ret %08lx, wait %lu, %s\n", (unsigned long)st, w,
           took >= 250 && took < 3000 ? "took about that long" : "took another time");
    show("  then", 0, &io, &out, listener, 0);

    /* a listener's ACCEPT through the completion port */
    in.timeout.QuadPart = INT64_MAX;
    IO_STATUS_BLOCK pio;
    st = poll_on(afd, NULL, &pio, &pio, &in, 1, &out);
    printf("listener polled: %08lx\n", (unsigned long)st);
    SOCKET client = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    connect(client, (struct sockaddr *)&listen_addr, sizeof listen_addr);
    wait_port("accept", &out, listener, 0, &pio);
    SOCKET server = accept(listener, NULL, NULL);

    /* a connected socket */
    in.timeout.QuadPart = 0;
    in.sockets[0].socket = (HANDLE)client;
    st = poll_on(afd, event, NULL, &io, &in, 1, &out);
    show("client connected", st, &io, &out, client, 0);
    send(server, "data", 5, 0);
    in.timeout.QuadPart = INT64_MAX;
    in.sockets[0].events = POLL_RECEIVE;
    st = poll_on((HANDLE)client, event, NULL, &io, &in, 1, &out);
    if (st == STATUS_PENDING) /* data may be there already or not: either way the same end */
        WaitForSingleObject(event, 5000);
    show("client RECEIVE only", st == STATUS_PENDING ? 0 : st, &io, &out, client, 0);
    in.sockets[0].events = ALL_EVENTS;
    in.timeout.QuadPart = 0;
    st = poll_on(afd, event, NULL, &io, &in, 1, &out);
    show("client all", st, &io, &out, client, 0);
    shutdown(client, SD_SEND);
    in.sockets[0].socket = (HANDLE)server;
    in.sockets[0].events = POLL_DISCONNECT;
    in.timeout.QuadPart = -5000 * 10000;
    st = poll_on(afd, event, NULL, &io, &in, 1, &out);
    if (st == STATUS_PENDING)
        WaitForSingleObject(event, 5000);
    show("server after the client's shutdown", st == STATUS_PENDING ? 0 : st, &io, &out, server,
         0);
    closesocket(client);
    closesocket(server);

    /* cancelled */
    make_pair(listener, &client, &server);
    in.timeout.QuadPart = INT64_MAX;
    in.sockets[0].socket = (HANDLE)server;
    in.sockets[0].events = POLL_RECEIVE;
    st = poll_on(afd, NULL, &pio, &pio, &in, 1, &out);
    IO_STATUS_BLOCK cancel;
    NTSTATUS cst = NtCancelIoFileEx(afd, &pio, &cancel);
    printf("poll to cancel: %08lx, NtCancelIoFileEx %08lx\n", (unsigned long)st,
           (unsigned long)cst);
    wait_port("cancelled", &out, server, 0, &pio);
    cst = NtCancelIoFileEx(afd, &pio, &cancel);
    printf("cancel again: %08lx\n", (unsigned long)cst);

    /* closed while polled */
    in.sockets[0].socket = (HANDLE)client;
    in.sockets[0].events = 0;
    st = poll_on((HANDLE)client, event, NULL, &io, &in, 1, &out);
    printf("poll of nothing: %08lx\n", (unsigned long)st);
    closesocket(client);
    w = WaitForSingleObject(event, 5000);
    printf("closed: wait %lu\n", w);
    show("  then", 0, &io, &out, client, 0);
    closesocket(server);

    /* a refused connection */
    SOCKET gone = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    struct sockaddr_in gone_addr = {AF_INET};
    gone_addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    bind(gone, (struct sockaddr *)&gone_addr, sizeof gone_addr);
    len = sizeof gone_addr;
    getsockname(gone, (struct sockaddr *)&gone_addr, &len);
    closesocket(gone);
    client = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    u_long nb = 1;
    ioctlsocket(client, FIONBIO, &nb);
    in.sockets[0].socket = (HANDLE)client;
    in.sockets[0].events = ALL_EVENTS;
    in.timeout.QuadPart = -5000 * 10000;
    int rc = connect(client, (struct sockaddr *)&gone_addr, sizeof gone_addr);
    printf("connect to a closed port: %d %s\n", rc,
           rc && WSAGetLastError() == WSAEWOULDBLOCK ? "WSAEWOULDBLOCK" : "other");
    st = poll_on(afd, event, NULL, &io, &in, 1, &out);
    if (st == STATUS_PENDING)
        WaitForSingleObject(event, 5000);
    show("refused", st == STATUS_PENDING ? 0 : st, &io, &out, client, 0);
    int soerr = -1, sl = sizeof soerr;
    getsockopt(client, SOL_SOCKET, SO_ERROR, (char *)&soerr, &sl);
    printf("SO_ERROR afterwards: %d\n", soerr);
    closesocket(client);

    /* two sockets */
    make_pair(listener, &client, &server);
    in.sockets[0].socket = (HANDLE)client;
    in.sockets[0].events = POLL_RECEIVE;
    in.sockets[1].socket = (HANDLE)server;
    in.sockets[1].events = POLL_RECEIVE;
    in.count = 2;
    st = NtDeviceIoControlFile(afd, event, NULL, NULL, &io, IOCTL_AFD_POLL, &in, 0x20, &out,
                               0x20);
    printf("two sockets, room for one: %08lx\n", (unsigned long)st);
    in.timeout.QuadPart = -5000 * 10000;
    st = poll_on(afd, event, NULL, &io, &in, 2, &out);
    send(client, "x", 1, 0);
    if (st == STATUS_PENDING)
        WaitForSingleObject(event, 5000);
    show("two sockets", st == STATUS_PENDING ? 0 : st, &io, &out, client, server);
    closesocket(client);
    closesocket(server);

    /* the second of two sockets closed while polled */
    make_pair(listener, &client, &server);
    in.sockets[0].socket = (HANDLE)client;
    in.sockets[0].events = POLL_RECEIVE;
    in.sockets[1].socket = (HANDLE)server;
    in.sockets[1].events = POLL_RECEIVE;
    st = poll_on(afd, event, NULL, &io, &in, 2, &out);
    printf("two sockets, nothing ready: %08lx\n", (unsigned long)st);
    closesocket(server);
    w = WaitForSingleObject(event, 5000);
    printf("second closed: wait %lu\n", w);
    show("  then", 0, &io, &out, client, server);
    closesocket(client);

    /* the handle a poll was issued on closed while it waits: the poll runs on to its end, its
     * packet going to the port that handle was bound to (Wine's test_poll and
     * test_poll_completion_port: STATUS_TIMEOUT at the timeout on Windows; Wine cancels) */
    make_pair(listener, &client, &server);
    SOCKET issuer = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    in.sockets[0].socket = (HANDLE)client;
    in.sockets[0].events = POLL_RECEIVE;
    in.timeout.QuadPart = -100 * 10000;
    st = poll_on((HANDLE)issuer, event, NULL, &io, &in, 1, &out);
    closesocket(issuer);
    w = WaitForSingleObject(event, 5000);
    printf("issuing socket closed: ret %08lx, wait %lu\n", (unsigned long)st, w);
    show("  then", 0, &io, &out, client, 0);
    HANDLE afd2;
    NtCreateFile(&afd2, SYNCHRONIZE, &attr, &cio, NULL, 0, FILE_SHARE_READ | FILE_SHARE_WRITE,
                 FILE_OPEN, 0, NULL, 0);
    CreateIoCompletionPort(afd2, port, 9, 0);
    in.timeout.QuadPart = INT64_MAX;
    st = poll_on(afd2, NULL, &pio, &pio, &in, 1, &out);
    CloseHandle(afd2);
    BOOL cancelled = CancelIoEx((HANDLE)client, NULL);
    DWORD cerr = GetLastError();
    DWORD bytes = 0;
    ULONG_PTR key = 0;
    OVERLAPPED *ov = NULL;
    BOOL got = GetQueuedCompletionStatus(port, &bytes, &key, &ov, 200);
    printf("helper closed, no timeout: ret %08lx, CancelIoEx of the socket %s %lu, port %s\n",
           (unsigned long)st, cancelled ? "TRUE" : "FALSE", cerr, got || ov ? "had a packet" : "quiet");
    send(server, "x", 1, 0);
    wait_port("  data", &out, client, 0, &pio);
    closesocket(client);
    closesocket(server);

    exclusive_polls();
    closesocket(listener);
    CloseHandle(afd);
    CloseHandle(port);
    return 0;
}
