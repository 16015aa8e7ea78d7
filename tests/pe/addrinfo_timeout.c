/* GetAddrInfoExW's timeout argument (a struct timeval).
 *  - a lookup that answers within it ("localhost", a 5 s timeout): 0 and the loopback address,
 *    synchronous and asynchronous (the event set, GetAddrInfoExOverlappedResult 0);
 *  - a negative field: WSAEINVAL at once (ntrun's choice: Microsoft's page says nothing);
 *  - a lookup that does not answer in time: the synchronous call gives WSAETIMEDOUT and
 *    *ppResult NULL; the asynchronous one returns WSA_IO_PENDING and completes with WSAETIMEDOUT
 *    (the event set, or the completion routine called once with it), *ppResult left NULL, and
 *    GetAddrInfoExCancel of it then gives WSA_INVALID_HANDLE (it has completed). Nothing lands
 *    later, when the lookup's answer comes (checked after it has come).
 * The late answers come from a child run with NTRUN_TEST_GAI_DELAY_MS=1500 in its environment,
 * which makes ntrun's lookups wait 1.5 s (thunks/ws2_32/addr.c): the system resolver cannot be
 * pointed at a server that does not answer, per process. On Windows the variable means
 * nothing: that part of the output would read as the quick lookups'. The timeouts' lengths are
 * not checked (no timed tests): the timed-out calls are the ones that return before the
 * lookup's answer, whatever the load.
 *
 * Expected output: Microsoft's GetAddrInfoExW page ("the time ... to wait for a response from
 * the namespace provider before aborting the call"), with WSAETIMEDOUT for the abort, as no page
 * names the code. Wine 8.0 ignores the timeout (a FIXME). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <winsock2.h>
#include <ws2tcpip.h>
#include <windows.h>

WINSOCK_API_LINKAGE int WSAAPI GetAddrInfoExCancel(LPHANDLE lpHandle);
WINSOCK_API_LINKAGE int WSAAPI GetAddrInfoExOverlappedResult(LPOVERLAPPED lpOverlapped);

static ADDRINFOEXW hints4(void)
{
    ADDRINFOEXW h;
    memset(&h, 0, sizeof h);
    h.ai_family = AF_INET;
    h.ai_socktype = SOCK_STREAM;
    return h;
}

static const char *addr_of(const ADDRINFOEXW *ai)
{
    static char buf[64];
    if (!ai)
        return "(none)";
    if (ai->ai_family != AF_INET)
        return "(not IPv4)";
    const struct sockaddr_in *in = (const struct sockaddr_in *)ai->ai_addr;
    unsigned char *b = (unsigned char *)&in->sin_addr;
    snprintf(buf, sizeof buf, "%u.%u.%u.%u:%u", b[0], b[1], b[2], b[3], ntohs(in->sin_port));
    return buf;
}

static void sync_form(const char *what, long sec, long usec)
{
    ADDRINFOEXW h = hints4();
    PADDRINFOEXW res = NULL;
    struct timeval tv = {sec, usec};
    int st = GetAddrInfoExW(L"localhost", L"80", NS_ALL, NULL, &h, &res, &tv, NULL, NULL, NULL);
    int le = WSAGetLastError();
    printf("%s, synchronous: %d", what, st);
    if (st)
        printf(", last error %d", le);
    printf(", result %s\n", addr_of(res));
    if (!st && res)
        FreeAddrInfoExW(res);
}

static LONG calls;
static DWORD called_err;
static HANDLE called;
static void CALLBACK on_done(DWORD err, DWORD bytes, LPWSAOVERLAPPED ov)
{
    (void)bytes, (void)ov;
    InterlockedIncrement(&calls);
    called_err = err;
    SetEvent(called);
}

/* routine: with a completion routine instead of the event. Returns once it has completed. */
static void async_form(const char *what, long sec, long usec, int routine, int wait_more)
{
    ADDRINFOEXW h = hints4();
    PADDRINFOEXW res = NULL;
    struct timeval tv = {sec, usec};
    OVERLAPPED ov;
    memset(&ov, 0, sizeof ov);
    HANDLE ev = CreateEventW(NULL, TRUE, FALSE, NULL);
    if (routine) {
        calls = 0;
        called = ev;
    } else {
        ov.hEvent = ev;
    }
    HANDLE hc = NULL;
    int st = GetAddrInfoExW(L"localhost", L"80", NS_DNS, NULL, &h, &res, &tv, &ov,
                            routine ? on_done : NULL, &hc);
    DWORD w = WaitForSingleObject(ev, 20000);
    int r = GetAddrInfoExOverlappedResult(&ov);
    const char *got = addr_of(res);
    printf("%s, %s: %d, completed %d, overlapped result %d, result %s\n", what,
           routine ? "routine" : "event", st, w == WAIT_OBJECT_0, r, got);
    if (routine)
        printf("%s, routine: called %ld time(s) with %lu\n", what, calls, called_err);
    if (r != 0)
        printf("%s: cancel after it completed %d\n", what, GetAddrInfoExCancel(&hc));
    if (wait_more) { /* the lookup's answer has come by now: nothing must land */
        Sleep(wait_more);
        printf("%s: after the answer: result %s, overlapped result %d, routine calls %ld\n",
               what, addr_of(res), GetAddrInfoExOverlappedResult(&ov), routine ? calls : 0);
    }
    if (r == 0 && res)
        FreeAddrInfoExW(res);
    CloseHandle(ev);
}

int main(int argc, char **argv)
{
    WSADATA wd;
    if (WSAStartup(MAKEWORD(2, 2), &wd) != 0) {
        printf("WSAStartup failed\n");
        return 1;
    }
    if (argc > 1 && !strcmp(argv[1], "late")) { /* the child: every lookup answers in 1.5 s */
        sync_form("late answer, 100 ms", 0, 100000);
        async_form("late answer, 100 ms", 0, 100000, 0, 0);
        async_form("late answer, 100 ms", 0, 100000, 1, 2500);
        WSACleanup();
        return 0;
    }
    sync_form("5 s", 5, 0);
    async_form("5 s", 5, 0, 0, 0);
    async_form("5 s", 5, 0, 1, 0);
    sync_form("negative seconds", -1, 0);
    sync_form("negative microseconds", 0, -5);
    fflush(stdout);

    /* the child, with the variable in its environment */
    char self[MAX_PATH], cmd[MAX_PATH + 16];
    GetModuleFileNameA(NULL, self, MAX_PATH);
    snprintf(cmd, sizeof cmd, "\"%s\" late", self);
    char *env = GetEnvironmentStringsA();
    size_t len = 0;
    while (env[len] || env[len + 1])
        len++;
    const char var[] = "NTRUN_TEST_GAI_DELAY_MS=1500";
    char *block = calloc(len + 2 + sizeof var + 1, 1);
    memcpy(block, env, len + 1);
    memcpy(block + len + 1, var, sizeof var); /* then the block's final NUL (calloc) */
    FreeEnvironmentStringsA(env);
    STARTUPINFOA si = {sizeof si};
    PROCESS_INFORMATION pi;
    if (!CreateProcessA(NULL, cmd, NULL, NULL, FALSE, 0, block, NULL, &si, &pi)) {
        printf("CreateProcess: error %lu\n", GetLastError());
        return 1;
    }
    WaitForSingleObject(pi.hProcess, 30000);
    DWORD code = 1;
    GetExitCodeProcess(pi.hProcess, &code);
    printf("child ended with %lu\n", code);
    free(block);
    WSACleanup();
    return 0;
}
