/* Blocking socket calls that have to wait, each in a thread of its own, and what ends the wait:
 * data (recv), room in the peer's buffers (a 16 MB send), a connection (accept), closesocket of
 * the socket's last handle in another thread (recv and accept fail with WSAEINTR, as Windows
 * reports it: .NET's "A blocking operation was interrupted by a call to WSACancelBlockingCall"),
 * CancelIoEx(socket, NULL) from another thread (WSA_OPERATION_ABORTED), CancelIo from another
 * thread (cancels only that thread's I/O: the recv goes on), SO_RCVTIMEO (WSAETIMEDOUT), two
 * threads in recv on one socket (each gets one byte), and a thread left waiting in recv when
 * the program returns from main (the process still ends). Output as on Windows. */
#include <winsock2.h>
#include <windows.h>
#include <stdio.h>
#include <string.h>
#include "ws_loopback.h"

typedef struct {
    SOCKET s;
    int len;       /* recv: bytes asked; send: bytes to send */
    int result;
    int error;
    char data[8];
} job;

static DWORD WINAPI do_recv(void *p)
{
    job *j = p;
    j->result = recv(j->s, j->data, j->len, 0);
    j->error = j->result < 0 ? WSAGetLastError() : 0;
    return 0;
}

static char big[16 << 20];

static DWORD WINAPI do_send(void *p)
{
    job *j = p;
    j->result = send(j->s, big, j->len, 0);
    j->error = j->result < 0 ? WSAGetLastError() : 0;
    return 0;
}

static DWORD WINAPI do_accept(void *p)
{
    job *j = p;
    SOCKET a = accept(j->s, NULL, NULL);
    j->result = a == INVALID_SOCKET ? -1 : 1;
    j->error = a == INVALID_SOCKET ? WSAGetLastError() : 0;
    if (a != INVALID_SOCKET)
        closesocket(a);
    return 0;
}

/* Starts fn(j) and gives it time to block. */
static HANDLE start(LPTHREAD_START_ROUTINE fn, job *j)
{
    HANDLE t = CreateThread(NULL, 0, fn, j, 0, NULL);
    Sleep(150);
    return t;
}

static void finish(const char *label, HANDLE t, job *j)
{
    DWORD w = WaitForSingleObject(t, 5000);
    CloseHandle(t);
    printf("%s: wait %lu result %d error %d\n", label, w, j->result, j->error);
}

int main(void)
{
    WSADATA wsa;
    WSAStartup(MAKEWORD(2, 2), &wsa);
    SOCKET l = ws_listener(), c, s;
    ws_pair(l, &c, &s);

    job j = {s, 8};
    HANDLE t = start(do_recv, &j);
    send(c, "data", 4, 0);
    finish("recv woken by data", t, &j);
    printf("got: %.4s\n", j.data);

    memset(big, 'x', sizeof big);
    j = (job){c, sizeof big};
    t = start(do_send, &j);
    static char sink[1 << 16];
    long long total = 0;
    while (total < (long long)sizeof big) {
        int n = recv(s, sink, sizeof sink, 0);
        if (n <= 0)
            break;
        total += n;
    }
    finish("16 MB send", t, &j);
    printf("peer read: %lld\n", total);

    j = (job){s, 8};
    t = start(do_recv, &j);
    printf("CancelIo from another thread: %d\n", CancelIo((HANDLE)s));
    Sleep(50);
    send(c, "more", 4, 0);
    finish("recv after CancelIo elsewhere", t, &j);

    j = (job){s, 8};
    t = start(do_recv, &j);
    printf("CancelIoEx: %d\n", CancelIoEx((HANDLE)s, NULL));
    finish("recv cancelled by CancelIoEx", t, &j);

    job j1 = {s, 1}, j2 = {s, 1};
    HANDLE t1 = start(do_recv, &j1), t2 = start(do_recv, &j2);
    send(c, "a", 1, 0);
    Sleep(100);
    send(c, "b", 1, 0);
    WaitForSingleObject(t1, 5000);
    WaitForSingleObject(t2, 5000);
    CloseHandle(t1);
    CloseHandle(t2);
    printf("two receivers: %d %d, bytes %c%c\n", j1.result, j2.result,
           j1.data[0] < j2.data[0] ? j1.data[0] : j2.data[0],
           j1.data[0] < j2.data[0] ? j2.data[0] : j1.data[0]);

    DWORD ms = 200;
    setsockopt(s, SOL_SOCKET, SO_RCVTIMEO, (const char *)&ms, sizeof ms);
    DWORD t0 = GetTickCount();
    char b[4];
    int r = recv(s, b, sizeof b, 0);
    int e = WSAGetLastError();
    printf("recv with SO_RCVTIMEO: %d error %d, waited %s\n", r, e,
           GetTickCount() - t0 >= 150 ? "200 ms" : "too little");
    ms = 0;
    setsockopt(s, SOL_SOCKET, SO_RCVTIMEO, (const char *)&ms, sizeof ms);

    j = (job){s, 8};
    t = start(do_recv, &j);
    printf("closesocket: %d\n", closesocket(s));
    finish("recv woken by closesocket", t, &j);

    SOCKET l2 = ws_listener();
    j = (job){l2, 0};
    t = start(do_accept, &j);
    printf("closesocket of the listener: %d\n", closesocket(l2));
    finish("accept woken by closesocket", t, &j);

    /* left waiting: returning from main ends the process all the same */
    SOCKET c3, s3;
    ws_pair(l, &c3, &s3);
    static job left;
    left = (job){s3, 8};
    CloseHandle(start(do_recv, &left));
    printf("returning with a thread in recv\n");
    fflush(stdout);
    return 0;
}
