/* GetAddrInfoExW's asynchronous form (no network: "localhost" and numeric addresses only):
 *  - with OVERLAPPED.hEvent: WSA_IO_PENDING (also the last error), the event set when the
 *    lookup ends, GetAddrInfoExOverlappedResult 0, *ppResult the loopback address and
 *    OVERLAPPED.Pointer == ppResult;
 *  - with a completion routine: called once with (0, 0, lpOverlapped) on a thread other than
 *    the caller's (a thread-pool thread), the result in place when it runs;
 *  - a lookup that fails (a name with AI_NUMERICHOST) completes with WSAHOST_NOT_FOUND;
 *  - an event and a routine together: WSAEINVAL at once;
 *  - GetAddrInfoExCancel: a request that has completed, or a made-up handle, gives
 *    WSA_INVALID_HANDLE; a cancel racing the lookup either wins (0: the event set at once,
 *    the result WSA_E_CANCELLED, *ppResult NULL and left NULL) or finds it done (6: result 0
 *    and the address): each of 40 rounds is one of the two, whole;
 *  - GetAddrInfoExOverlappedResult(NULL): WSAEINVAL. */
#include <stdio.h>
#include <string.h>
#include <winsock2.h>
#include <ws2tcpip.h>
#include <windows.h>

/* not declared by mingw-w64's ws2tcpip.h */
WINSOCK_API_LINKAGE int WSAAPI GetAddrInfoExCancel(LPHANDLE lpHandle);
WINSOCK_API_LINKAGE int WSAAPI GetAddrInfoExOverlappedResult(LPOVERLAPPED lpOverlapped);
#ifndef WSA_E_CANCELLED
#define WSA_E_CANCELLED 10111
#endif

static ADDRINFOEXW hints4(int flags)
{
    ADDRINFOEXW h;
    memset(&h, 0, sizeof h);
    h.ai_family = AF_INET;
    h.ai_socktype = SOCK_STREAM;
    h.ai_flags = flags;
    return h;
}

static const char *addr_of(const ADDRINFOEXW *ai)
{
    static char buf[64];
    if (!ai || ai->ai_family != AF_INET)
        return "(none)";
    const struct sockaddr_in *in = (const struct sockaddr_in *)ai->ai_addr;
    unsigned char *b = (unsigned char *)&in->sin_addr;
    snprintf(buf, sizeof buf, "%u.%u.%u.%u:%u", b[0], b[1], b[2], b[3], ntohs(in->sin_port));
    return buf;
}

static void event_form(void)
{
    ADDRINFOEXW h = hints4(0);
    PADDRINFOEXW res = (PADDRINFOEXW)0x1;
    OVERLAPPED ov;
    memset(&ov, 0, sizeof ov);
    ov.hEvent = CreateEventW(NULL, TRUE, FALSE, NULL);
    HANDLE cancel = NULL;
    SetLastError(0);
    int st = GetAddrInfoExW(L"localhost", L"80", NS_DNS, NULL, &h, &res, NULL, &ov, NULL, &cancel);
    DWORD le = GetLastError();
    printf("event: GetAddrInfoExW %d, last error %lu, handle given %d\n", st, le, cancel != NULL);
    DWORD w = WaitForSingleObject(ov.hEvent, 10000);
    int r = GetAddrInfoExOverlappedResult(&ov);
    printf("event: wait %lu, overlapped result %d, Pointer is &res %d, result %s\n", w, r,
           ov.Pointer == (void *)&res, addr_of(res));
    printf("event: cancel after completion %d\n", GetAddrInfoExCancel(&cancel));
    if (r == 0 && res)
        FreeAddrInfoExW(res);
    CloseHandle(ov.hEvent);
}

static struct {
    LONG calls;
    DWORD err, bytes, tid;
    OVERLAPPED *ov;
    PADDRINFOEXW *resp;
    const char *addr_seen;
    HANDLE done;
} cb;

static void CALLBACK on_done(DWORD err, DWORD bytes, LPWSAOVERLAPPED ov)
{
    InterlockedIncrement(&cb.calls);
    cb.err = err;
    cb.bytes = bytes;
    cb.ov = (OVERLAPPED *)ov;
    cb.tid = GetCurrentThreadId();
    static char seen[64];
    strcpy(seen, addr_of(*cb.resp));
    cb.addr_seen = seen;
    SetEvent(cb.done);
}

static void routine_form(const WCHAR *name, int flags)
{
    ADDRINFOEXW h = hints4(flags);
    PADDRINFOEXW res = NULL;
    OVERLAPPED ov;
    memset(&ov, 0, sizeof ov);
    cb.calls = 0;
    cb.resp = &res;
    cb.done = CreateEventW(NULL, TRUE, FALSE, NULL);
    int st = GetAddrInfoExW(name, L"443", NS_ALL, NULL, &h, &res, NULL, &ov, on_done, NULL);
    DWORD w = WaitForSingleObject(cb.done, 10000);
    Sleep(50); /* a second call would come now */
    printf("routine %ls: GetAddrInfoExW %d, wait %lu, calls %ld, error %lu, bytes %lu, "
           "overlapped %d, other thread %d, result when called %s, overlapped result %d\n",
           name, st, w, cb.calls, cb.err, cb.bytes, cb.ov == &ov,
           cb.tid != GetCurrentThreadId(), cb.addr_seen, GetAddrInfoExOverlappedResult(&ov));
    if (res)
        FreeAddrInfoExW(res);
    CloseHandle(cb.done);
}

static void both_forms(void)
{
    ADDRINFOEXW h = hints4(0);
    PADDRINFOEXW res = NULL;
    OVERLAPPED ov;
    memset(&ov, 0, sizeof ov);
    ov.hEvent = CreateEventW(NULL, TRUE, FALSE, NULL);
    int st = GetAddrInfoExW(L"localhost", NULL, NS_DNS, NULL, &h, &res, NULL, &ov, on_done, NULL);
    printf("event and routine: %d, result %s\n", st, addr_of(res));
    CloseHandle(ov.hEvent);
}

static void cancels(void)
{
    HANDLE made_up = (HANDLE)(ULONG_PTR)0x5554;
    printf("cancel of a made-up handle: %d\n", GetAddrInfoExCancel(&made_up));
    int consistent = 0;
    for (int i = 0; i < 40; i++) {
        ADDRINFOEXW h = hints4(AI_NUMERICHOST);
        PADDRINFOEXW res = NULL;
        OVERLAPPED ov;
        memset(&ov, 0, sizeof ov);
        ov.hEvent = CreateEventW(NULL, TRUE, FALSE, NULL);
        HANDLE hc = NULL;
        int st = GetAddrInfoExW(L"127.0.0.1", L"8080", NS_DNS, NULL, &h, &res, NULL, &ov, NULL, &hc);
        int c = GetAddrInfoExCancel(&hc);
        BOOL set_now = WaitForSingleObject(ov.hEvent, c == 0 ? 0 : 10000) == WAIT_OBJECT_0;
        Sleep(c == 0 ? 20 : 0); /* a cancelled lookup's late answer must not land */
        int r = GetAddrInfoExOverlappedResult(&ov);
        if (st == WSA_IO_PENDING && set_now &&
            ((c == 0 && r == WSA_E_CANCELLED && res == NULL) ||
             (c == WSA_INVALID_HANDLE && r == 0 && !strcmp(addr_of(res), "127.0.0.1:8080"))))
            consistent++;
        else
            printf("round %d: GetAddrInfoExW %d, cancel %d, event %d, result %d, %s\n", i, st, c,
                   set_now, r, addr_of(res));
        if (r == 0 && res)
            FreeAddrInfoExW(res);
        CloseHandle(ov.hEvent);
    }
    printf("cancel racing the lookup: %d of 40 rounds whole\n", consistent);
    printf("GetAddrInfoExOverlappedResult(NULL): %d\n", GetAddrInfoExOverlappedResult(NULL));
}

int main(void)
{
    WSADATA wd;
    if (WSAStartup(MAKEWORD(2, 2), &wd) != 0) {
        printf("WSAStartup failed\n");
        return 1;
    }
    event_form();
    routine_form(L"192.0.2.7", AI_NUMERICHOST);
    routine_form(L"localhost", 0);
    routine_form(L"not-a-number", AI_NUMERICHOST);
    both_forms();
    cancels();
    WSACleanup();
    return 0;
}
