/* Win32 services of issue 11 that no other test called directly:
 *  - WriteFileEx with its completion routine (run by an alertable SleepEx), GetOverlappedResultEx;
 *  - SetWaitableTimerEx with an APC (run by an alertable wait); NtCreateTimer / NtSetTimer /
 *    NtQueryTimer called as ntdll exports;
 *  - InitOnceBeginInitialize / InitOnceComplete (the first caller initialises, the next finds
 *    it done with the context) and InitOnceExecuteOnce (runs once);
 *  - SetThreadStackGuarantee (gives the previous size, then the one set), SetErrorMode (gives the
 *    previous mode), GetActiveProcessorGroupCount, GetProcessAffinityMask (the system mask
 *    covers the process's);
 *  - SystemFunction036 (RtlGenRandom) and ProcessPrng fill their buffers (not all zero);
 *  - GetAddrInfoExW of "localhost" gives a loopback address. */
#include <stdio.h>
#include <string.h>
#include <winsock2.h>
#include <ws2tcpip.h>
#include <windows.h>

static int io_done;
static DWORD io_err, io_bytes;

static void CALLBACK on_write(DWORD err, DWORD bytes, OVERLAPPED *ov)
{
    (void)ov;
    io_err = err;
    io_bytes = bytes;
    io_done++;
}

static int timer_apcs;
static void CALLBACK on_timer(void *ctx, DWORD lo, DWORD hi)
{
    (void)lo;
    (void)hi;
    timer_apcs += (int)(ULONG_PTR)ctx;
}

static int once_runs;
static BOOL CALLBACK once_fn(INIT_ONCE *once, void *param, void **ctx)
{
    (void)once;
    (void)param;
    once_runs++;
    *ctx = (void *)0x40; /* (low bits free, as InitOnce keeps flags there) */
    return TRUE;
}

static BOOL nonzero(const unsigned char *b, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (b[i])
            return TRUE;
    return FALSE;
}

static void files(void)
{
    char path[MAX_PATH], dir[MAX_PATH];
    GetTempPathA(sizeof dir, dir);
    GetTempFileNameA(dir, "sg", 0, path);
    HANDLE f = CreateFileA(path, GENERIC_READ | GENERIC_WRITE, 0, NULL, CREATE_ALWAYS,
                           FILE_FLAG_OVERLAPPED | FILE_FLAG_DELETE_ON_CLOSE, NULL);
    OVERLAPPED ov;
    memset(&ov, 0, sizeof ov);
    static const char text[] = "twelve bytes";
    BOOL ok = WriteFileEx(f, text, 12, &ov, on_write);
    DWORD before = io_done, slept = SleepEx(5000, TRUE);
    printf("WriteFileEx %d, before the alertable wait %lu, SleepEx %lu, routine %d err %lu bytes %lu\n",
           ok, before, slept, io_done, io_err, io_bytes);
    char buf[16] = {0};
    OVERLAPPED ro;
    memset(&ro, 0, sizeof ro);
    ro.hEvent = CreateEventW(NULL, TRUE, FALSE, NULL);
    DWORD got = 0;
    BOOL r = ReadFile(f, buf, 12, NULL, &ro);
    DWORD err = r ? 0 : GetLastError();
    BOOL res = GetOverlappedResultEx(f, &ro, &got, 5000, FALSE);
    printf("ReadFile done or pending %d, GetOverlappedResultEx %d bytes %lu \"%s\"\n",
           r || err == ERROR_IO_PENDING, res, got, buf);
    CloseHandle(ro.hEvent);
    CloseHandle(f);
}

typedef LONG(NTAPI *create_timer_fn)(HANDLE *, ACCESS_MASK, void *, int);
typedef LONG(NTAPI *set_timer_fn)(HANDLE, LARGE_INTEGER *, void *, void *, BOOLEAN, LONG, BOOLEAN *);
typedef LONG(NTAPI *query_timer_fn)(HANDLE, int, void *, ULONG, ULONG *);

static void timers(void)
{
    HANDLE t = CreateWaitableTimerExW(NULL, NULL, CREATE_WAITABLE_TIMER_MANUAL_RESET,
                                      TIMER_ALL_ACCESS);
    LARGE_INTEGER due;
    due.QuadPart = -20 * 10000;
    BOOL ok = SetWaitableTimerEx(t, &due, 0, on_timer, (void *)5, NULL, 0);
    DWORD w = WaitForSingleObjectEx(t, 5000, TRUE);
    if (w == WAIT_IO_COMPLETION || !timer_apcs)
        SleepEx(1000, TRUE); /* the APC, if the signal came first */
    printf("SetWaitableTimerEx %d, APC ran: %d\n", ok, timer_apcs);
    CloseHandle(t);

    HMODULE ntdll = GetModuleHandleA("ntdll.dll");
    create_timer_fn create = (create_timer_fn)GetProcAddress(ntdll, "NtCreateTimer");
    set_timer_fn set = (set_timer_fn)GetProcAddress(ntdll, "NtSetTimer");
    query_timer_fn query = (query_timer_fn)GetProcAddress(ntdll, "NtQueryTimer");
    HANDLE nt = NULL;
    LONG st = create(&nt, TIMER_ALL_ACCESS, NULL, 1 /* SynchronizationTimer */);
    BOOLEAN prev = 2;
    due.QuadPart = -500 * 10000;
    LONG st2 = set(nt, &due, NULL, NULL, FALSE, 0, &prev);
    struct {
        LARGE_INTEGER remaining;
        BOOLEAN state;
    } info;
    ULONG len = 0;
    LONG st3 = query(nt, 0, &info, sizeof info, &len);
    DWORD w1 = WaitForSingleObject(nt, 5000), w2 = WaitForSingleObject(nt, 0);
    printf("NtCreateTimer 0x%lx, NtSetTimer 0x%lx prev %d, NtQueryTimer 0x%lx len %lu state %d "
           "remaining > 0 %d, waits %lu %lu\n", st, st2, prev, st3, len, info.state,
           info.remaining.QuadPart > 0, w1, w2);
    CloseHandle(nt);
}

static void init_once(void)
{
    INIT_ONCE once = INIT_ONCE_STATIC_INIT;
    BOOL pending = 2;
    void *ctx = NULL;
    BOOL ok = InitOnceBeginInitialize(&once, 0, &pending, &ctx);
    BOOL done = InitOnceComplete(&once, 0, (void *)0x80);
    BOOL pending2 = 2;
    void *ctx2 = NULL;
    BOOL ok2 = InitOnceBeginInitialize(&once, 0, &pending2, &ctx2);
    printf("InitOnceBeginInitialize %d pending %d, InitOnceComplete %d, again %d pending %d ctx %p\n",
           ok, pending, done, ok2, pending2, ctx2);
    INIT_ONCE once2 = INIT_ONCE_STATIC_INIT;
    void *c1 = NULL, *c2 = NULL;
    BOOL e1 = InitOnceExecuteOnce(&once2, once_fn, NULL, &c1);
    BOOL e2 = InitOnceExecuteOnce(&once2, once_fn, NULL, &c2);
    printf("InitOnceExecuteOnce %d %d, runs %d, ctx %p %p\n", e1, e2, once_runs, c1, c2);
}

typedef BOOLEAN(WINAPI *rtl_gen_random_fn)(void *, ULONG);
typedef BOOL(WINAPI *process_prng_fn)(unsigned char *, SIZE_T);

static void process_and_random(void)
{
    ULONG size = 0x4000;
    BOOL g1 = SetThreadStackGuarantee(&size);
    ULONG size2 = 0;
    BOOL g2 = SetThreadStackGuarantee(&size2);
    printf("SetThreadStackGuarantee %d previous %lu, then %d previous %lu\n", g1, size, g2, size2);
    UINT old = SetErrorMode(SEM_FAILCRITICALERRORS | SEM_NOGPFAULTERRORBOX);
    UINT now = SetErrorMode(old);
    printf("SetErrorMode: set, then gives back 0x%x\n", now);
    DWORD_PTR pm = 0, sm = 0;
    BOOL a = GetProcessAffinityMask(GetCurrentProcess(), &pm, &sm);
    printf("GetActiveProcessorGroupCount %u, GetProcessAffinityMask %d, process mask within the "
           "system's %d, not empty %d\n", GetActiveProcessorGroupCount(), a, (pm & ~sm) == 0,
           pm != 0);
    unsigned char b1[32] = {0}, b2[32] = {0};
    HMODULE adv = LoadLibraryA("advapi32.dll"), prim = LoadLibraryA("bcryptprimitives.dll");
    rtl_gen_random_fn gen = (rtl_gen_random_fn)GetProcAddress(adv, "SystemFunction036");
    process_prng_fn prng = (process_prng_fn)GetProcAddress(prim, "ProcessPrng");
    BOOL r1 = gen && gen(b1, sizeof b1), r2 = prng && prng(b2, sizeof b2);
    printf("SystemFunction036 %d filled %d, ProcessPrng %d filled %d, differ %d\n", r1,
           nonzero(b1, sizeof b1), r2, nonzero(b2, sizeof b2), memcmp(b1, b2, sizeof b1) != 0);
}

static void names(void)
{
    WSADATA wsa;
    WSAStartup(MAKEWORD(2, 2), &wsa);
    ADDRINFOEXW hints, *res = NULL;
    memset(&hints, 0, sizeof hints);
    hints.ai_family = AF_INET;
    hints.ai_socktype = SOCK_STREAM;
    INT st = GetAddrInfoExW(L"localhost", L"80", NS_ALL, NULL, &hints, &res, NULL, NULL, NULL,
                            NULL);
    int loop = 0, port = 0;
    if (st == 0 && res && res->ai_family == AF_INET) {
        struct sockaddr_in *in = (struct sockaddr_in *)res->ai_addr;
        loop = in->sin_addr.s_addr == htonl(INADDR_LOOPBACK);
        port = ntohs(in->sin_port);
    }
    printf("GetAddrInfoExW %d, 127.0.0.1 %d, port %d\n", st, loop, port);
    if (res)
        FreeAddrInfoExW(res);
    WSACleanup();
}

int main(void)
{
    files();
    timers();
    init_once();
    process_and_random();
    names();
    return 0;
}
