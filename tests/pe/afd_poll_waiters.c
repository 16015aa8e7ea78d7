/* IOCTL_AFD_POLL requests for 4 sockets issued through one \Device\Afd helper bound to a
 * completion port (as mio does), taken by 2 threads waiting in the port (ntrun: the polled
 * sockets, bound to no port, are armed in the port's poll set, so a waiter does the polls in
 * its own thread): 30 rounds, in each a poll for RECEIVE pending on every socket, then one byte
 * sent to each; every poll's packet comes once, with its OVERLAPPED, STATUS_SUCCESS, one
 * socket listed (its own) with RECEIVE; the byte is then read. Then a socket closed while its
 * poll waits (LOCAL_CLOSE through the port) and the helper's poll of a listener (ACCEPT).
 * Output as on Windows. */
#include <winsock2.h>
#include <ws2tcpip.h>
#include <windows.h>
#include <winternl.h>
#include <stdio.h>
#include <stdint.h>
#include <string.h>
#include "ws_loopback.h"

#define IOCTL_AFD_POLL 0x00012024
#define POLL_RECEIVE 0x001
#define POLL_LOCAL_CLOSE 0x020
#define POLL_ACCEPT 0x080
#define NSOCK 4
#define NWAIT 2
#define ROUNDS 30

typedef struct {
    LARGE_INTEGER timeout;
    ULONG count, exclusive;
    HANDLE socket;
    ULONG events;
    NTSTATUS status;
} poll_info;

typedef struct {
    IO_STATUS_BLOCK io; /* the ApcContext: the packet's OVERLAPPED */
    poll_info in, out;
    SOCKET c, s;
} conn;

static conn conns[NSOCK];
static HANDLE afd, port, done;
static LONG seen[ROUNDS][NSOCK], bad;
static volatile LONG round_now;

static NTSTATUS poll_one(conn *k, SOCKET s, ULONG events)
{
    memset(&k->in, 0, sizeof k->in);
    k->in.timeout.QuadPart = INT64_MAX;
    k->in.count = 1;
    k->in.socket = (HANDLE)s;
    k->in.events = events;
    memset(&k->out, 0xcc, sizeof k->out);
    return NtDeviceIoControlFile(afd, NULL, NULL, &k->io, &k->io, IOCTL_AFD_POLL, &k->in,
                                 sizeof k->in, &k->out, sizeof k->out);
}

static DWORD WINAPI waiter(void *arg)
{
    (void)arg;
    for (;;) {
        DWORD bytes;
        ULONG_PTR key;
        OVERLAPPED *ov;
        if (!GetQueuedCompletionStatus(port, &bytes, &key, &ov, INFINITE)) {
            InterlockedIncrement(&bad);
            continue;
        }
        if (key == 99)
            return 0;
        int i = -1;
        for (int j = 0; j < NSOCK; j++)
            if (ov == (OVERLAPPED *)&conns[j].io)
                i = j;
        if (i < 0 || key != 7 || conns[i].io.Status != 0 || conns[i].out.count != 1 ||
            conns[i].out.socket != (HANDLE)conns[i].s || conns[i].out.events != POLL_RECEIVE ||
            bytes != sizeof(poll_info)) {
            InterlockedIncrement(&bad);
        } else {
            char c;
            if (recv(conns[i].s, &c, 1, 0) != 1 || c != (char)(round_now * NSOCK + i))
                InterlockedIncrement(&bad);
            InterlockedIncrement(&seen[round_now][i]);
        }
        ReleaseSemaphore(done, 1, NULL);
    }
}

int main(void)
{
    WSADATA wsa;
    WSAStartup(MAKEWORD(2, 2), &wsa);
    UNICODE_STRING name;
    RtlInitUnicodeString(&name, L"\\Device\\Afd\\NtrunWaiters");
    OBJECT_ATTRIBUTES attr = {.Length = sizeof attr, .ObjectName = &name};
    IO_STATUS_BLOCK cio;
    NTSTATUS st = NtCreateFile(&afd, SYNCHRONIZE, &attr, &cio, NULL, 0,
                               FILE_SHARE_READ | FILE_SHARE_WRITE, FILE_OPEN, 0, NULL, 0);
    printf("open \\Device\\Afd\\NtrunWaiters: %08lx\n", (unsigned long)st);
    port = CreateIoCompletionPort(afd, NULL, 7, 0);
    done = CreateSemaphoreW(NULL, 0, NSOCK, NULL);
    SOCKET l = ws_listener();
    u_short p = ws_port_of(l);
    for (int i = 0; i < NSOCK; i++) {
        conns[i].c = ws_connect_to(p);
        conns[i].s = accept(l, NULL, NULL);
        u_long nb = 1;
        ioctlsocket(conns[i].s, FIONBIO, &nb);
        BOOL one = TRUE;
        setsockopt(conns[i].c, IPPROTO_TCP, TCP_NODELAY, (const char *)&one, sizeof one);
    }
    HANDLE th[NWAIT];
    for (int w = 0; w < NWAIT; w++)
        th[w] = CreateThread(NULL, 0, waiter, NULL, 0, NULL);
    int pending = 1;
    for (int r = 0; r < ROUNDS; r++) {
        round_now = r;
        for (int i = 0; i < NSOCK; i++)
            pending &= poll_one(&conns[i], conns[i].s, POLL_RECEIVE) == STATUS_PENDING;
        for (int i = 0; i < NSOCK; i++) {
            char c = (char)(r * NSOCK + i);
            send(conns[i].c, &c, 1, 0);
        }
        for (int i = 0; i < NSOCK; i++)
            WaitForSingleObject(done, INFINITE);
    }
    for (int w = 0; w < NWAIT; w++)
        PostQueuedCompletionStatus(port, 0, 99, NULL);
    WaitForMultipleObjects(NWAIT, th, TRUE, INFINITE);
    int once = 1;
    for (int r = 0; r < ROUNDS; r++)
        for (int i = 0; i < NSOCK; i++)
            once &= seen[r][i] == 1;
    printf("%d rounds of %d polls, %d waiters: pending when issued: %s, each packet once: %s, "
           "bad packets: %ld\n", ROUNDS, NSOCK, NWAIT, pending ? "yes" : "no",
           once ? "yes" : "no", bad);

    /* a socket closed while its poll waits: LOCAL_CLOSE through the port */
    st = poll_one(&conns[0], conns[0].s, POLL_RECEIVE);
    closesocket(conns[0].s);
    DWORD bytes = 0;
    ULONG_PTR key = 0;
    OVERLAPPED *ov = NULL;
    BOOL ok = GetQueuedCompletionStatus(port, &bytes, &key, &ov, 5000);
    printf("closed while polled: ret %08lx, packet %d key %lu ov %s status %08lx count %lu "
           "events %03lx\n", (unsigned long)st, ok, (unsigned long)key,
           ov == (OVERLAPPED *)&conns[0].io ? "its own" : "other",
           (unsigned long)conns[0].io.Status, conns[0].out.count, conns[0].out.events);

    /* a listener's ACCEPT */
    st = poll_one(&conns[1], l, POLL_ACCEPT);
    SOCKET extra = ws_connect_to(p);
    ok = GetQueuedCompletionStatus(port, &bytes, &key, &ov, 5000);
    printf("listener: ret %08lx, packet %d ov %s status %08lx count %lu events %03lx\n",
           (unsigned long)st, ok, ov == (OVERLAPPED *)&conns[1].io ? "its own" : "other",
           (unsigned long)conns[1].io.Status, conns[1].out.count, conns[1].out.events);

    closesocket(extra);
    for (int i = 0; i < NSOCK; i++) {
        closesocket(conns[i].c);
        if (i)
            closesocket(conns[i].s);
    }
    closesocket(l);
    CloseHandle(afd);
    CloseHandle(port);
    WSACleanup();
    return 0;
}
