/* User APCs queued to a thread blocked in a Winsock call run while it waits: Winsock's blocking
 * calls wait alertably ("Winsock performs an alertable wait in this situation, which can be
 * interrupted by an asynchronous procedure call (APC) scheduled on the same thread", the notes
 * of accept, recv, send, connect, WSARecv...), and the call then goes on waiting and completes
 * as it would have: recv (two APCs, then the data), WSARecv without an OVERLAPPED, accept, a
 * send that waits for room in the peer's buffers. The APC runs in the blocked thread, before the
 * call returns. Output as on Windows. */
#include <winsock2.h>
#include <windows.h>
#include <stdio.h>
#include <string.h>

static SOCKET listener(void)
{
    SOCKET s = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    struct sockaddr_in a = {0};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (bind(s, (struct sockaddr *)&a, sizeof a) != 0 || listen(s, 8) != 0)
        printf("listen failed: %d\n", WSAGetLastError());
    return s;
}

static SOCKET connect_to(SOCKET l)
{
    struct sockaddr_in a;
    int len = sizeof a;
    getsockname(l, (struct sockaddr *)&a, &len);
    SOCKET c = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    if (connect(c, (struct sockaddr *)&a, sizeof a) != 0)
        printf("connect failed: %d\n", WSAGetLastError());
    return c;
}

typedef struct {
    SOCKET s;
    int op;            /* 0 recv, 1 WSARecv, 2 accept, 3 send (big) */
    volatile LONG in_call;
    volatile LONG returned;
    int result, error;
    DWORD apc_thread;  /* the thread the last APC ran in */
    LONG apcs;         /* APCs run */
    LONG apcs_before_return;
    HANDLE apc_ran;    /* auto-reset: one APC ran */
    char data[4];
} job;

static char big[16 << 20];

static VOID CALLBACK apc(ULONG_PTR p)
{
    job *j = (job *)p;
    j->apc_thread = GetCurrentThreadId();
    InterlockedIncrement(&j->apcs);
    if (!j->returned)
        InterlockedIncrement(&j->apcs_before_return);
    SetEvent(j->apc_ran);
}

static DWORD WINAPI worker(void *p)
{
    job *j = p;
    j->in_call = 1;
    if (j->op == 0) {
        j->result = recv(j->s, j->data, 1, 0);
    } else if (j->op == 1) {
        WSABUF b = {1, j->data};
        DWORD got = 0, flags = 0;
        j->result = WSARecv(j->s, &b, 1, &got, &flags, NULL, NULL) == 0 ? (int)got : -1;
    } else if (j->op == 2) {
        SOCKET a = accept(j->s, NULL, NULL);
        j->result = a == INVALID_SOCKET ? -1 : 1;
        if (a != INVALID_SOCKET)
            closesocket(a);
    } else {
        j->result = send(j->s, big, sizeof big, 0);
    }
    j->error = j->result < 0 ? WSAGetLastError() : 0;
    j->returned = 1;
    return 0;
}

/* Starts the call in a thread, queues `napc` APCs to it one after the other (each waited for),
 * then `release` ends the wait; prints what happened. */
static void run(const char *name, job *j, int napc, void (*release)(void *), void *ctx)
{
    j->apc_ran = CreateEventW(NULL, FALSE, FALSE, NULL);
    DWORD tid;
    HANDLE t = CreateThread(NULL, 0, worker, j, 0, &tid);
    while (!j->in_call)
        Sleep(1);
    Sleep(100); /* in its wait by now (the outcome does not depend on it) */
    int ran = 0;
    for (int i = 0; i < napc; i++) {
        QueueUserAPC(apc, t, (ULONG_PTR)j);
        ran += WaitForSingleObject(j->apc_ran, 10000) == WAIT_OBJECT_0;
    }
    int still_waiting = !j->returned;
    release(ctx);
    WaitForSingleObject(t, 30000);
    printf("%s: %d of %d APCs ran while it waited, in its thread %s, call still waiting after "
           "them %s; then result %d error %d\n",
           name, ran, napc, j->apc_thread == tid ? "yes" : "no", still_waiting ? "yes" : "no",
           j->result, j->error);
    CloseHandle(t);
    CloseHandle(j->apc_ran);
}

static void send_one(void *p) { send(*(SOCKET *)p, "z", 1, 0); }

static void connect_one(void *p)
{
    SOCKET c = connect_to(*(SOCKET *)p);
    *(SOCKET *)p = c;
}

static void drain(void *p)
{
    static char buf[65536];
    SOCKET s = *(SOCKET *)p;
    int total = 0;
    while (total < (int)sizeof big) {
        int r = recv(s, buf, sizeof buf, 0);
        if (r <= 0)
            break;
        total += r;
    }
}

int main(void)
{
    WSADATA wd;
    WSAStartup(MAKEWORD(2, 2), &wd);
    SOCKET l = listener();

    SOCKET c = connect_to(l), s = accept(l, NULL, NULL);
    job j = {.s = s, .op = 0};
    run("recv", &j, 2, send_one, &c);
    printf("recv: byte %c\n", j.data[0]);

    job w = {.s = s, .op = 1};
    run("WSARecv", &w, 1, send_one, &c);

    job a = {.s = l, .op = 2};
    SOCKET c2 = l;
    run("accept", &a, 1, connect_one, &c2);
    closesocket(c2);

    job snd = {.s = c, .op = 3};
    run("send", &snd, 1, drain, &s);

    closesocket(c);
    closesocket(s);
    closesocket(l);
    WSACleanup();
    return 0;
}
