/* SPDX-License-Identifier: MIT */
/* ntbench's foreign side: a Windows program (compiled by mingw-w64 during the build) that times
 * boundary crossings from inside foreign code with QueryPerformanceCounter and prints one line
 * per case: "CASE ITERATIONS MEDIAN_NS BEST_NS [CPU_NS]" (CPU_NS: issue 11's service cases, the
 * process's CPU time per operation). The same binary runs under Wine for comparison
 * (cases that execute raw system calls are skipped there with --no-trap).
 *   usage: ntbench-pe.exe [--no-trap] [--quick] [--iters=N] CASE...   (CASE "all" runs every
 *   case; --iters=N runs each case once, N operations, no calibration: a fixed amount of work
 *   for `perf stat` or `strace -c`, "CASE N NS_PER_OP") */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <winsock2.h>
#include <ws2tcpip.h>
#include <windows.h>
#include <winternl.h>
#include "kernel.h"

typedef LONG NTSTATUS;
typedef NTSTATUS(WINAPI *qpc_fn)(LARGE_INTEGER *, LARGE_INTEGER *);
typedef NTSTATUS(WINAPI *systime_fn)(LARGE_INTEGER *);

/* Real imports from ntdll.dll (linked with mingw-w64's libntdll.a): the route a program that
 * declares and links these functions takes. */
__declspec(dllimport) NTSTATUS WINAPI NtQueryPerformanceCounter(LARGE_INTEGER *c, LARGE_INTEGER *f);
__declspec(dllimport) NTSTATUS WINAPI NtQuerySystemTime(LARGE_INTEGER *t);

/* Raw system calls with Windows 10 22H2 numbers, executed from this program's own code. */
NTSTATUS WINAPI trap_NtQueryPerformanceCounter(LARGE_INTEGER *c, LARGE_INTEGER *f);
NTSTATUS WINAPI trap_NtQuerySystemTime(LARGE_INTEGER *t);
__asm__(".text\n"
        ".globl trap_NtQueryPerformanceCounter\n"
        "trap_NtQueryPerformanceCounter:\n"
        "  mov %rcx, %r10\n  mov $0x31, %eax\n  syscall\n  ret\n"
        ".globl trap_NtQuerySystemTime\n"
        "trap_NtQuerySystemTime:\n"
        "  mov %rcx, %r10\n  mov $0x5a, %eax\n  syscall\n  ret\n"
        ".globl stub_NtQuerySystemTime\n"
        "stub_NtQuerySystemTime:\n"
        "  mov %rcx, %r10\n  mov $0x5a, %eax\n  syscall\n  ret\n"
        ".globl stub_NtQueryPerformanceCounter\n"
        "stub_NtQueryPerformanceCounter:\n"
        "  mov %rcx, %r10\n  mov $0x31, %eax\n  syscall\n  ret\n"
        /* Windows 10/11's ntdll stub byte for byte: under ntrun (KUSER_SHARED_DATA.SystemCall
         * set) it takes `int 2e`, rewritten after its first trap (pe.nt.systime.stub1011) or
         * trapping every time under --no-rewrite (pe.nt.systime.stub1011.trap). */
        ".globl win_NtQuerySystemTime\n"
        "win_NtQuerySystemTime:\n"
        "  .byte 0x4c, 0x8b, 0xd1\n  mov $0x5a, %eax\n  testb $1, 0x7ffe0308\n  jne 1f\n"
        "  syscall\n  ret\n"
        "1: int $0x2e\n  ret\n");
NTSTATUS WINAPI win_NtQuerySystemTime(LARGE_INTEGER *t);
/* The same stubs, called by the *.rewritten cases: under ntrun each site is rewritten after its
 * first trap (runtime/rewrite.c); the *.trap cases run under --no-rewrite. */
NTSTATUS WINAPI stub_NtQueryPerformanceCounter(LARGE_INTEGER *c, LARGE_INTEGER *f);
NTSTATUS WINAPI stub_NtQuerySystemTime(LARGE_INTEGER *t);

static volatile LONG sink;
static __attribute__((noinline)) LONG plain_function(LONG x) { return x + 1; }
static LONG (*volatile plain_ptr)(LONG) = plain_function;
static void __cdecl empty_callback(void) {}

static qpc_fn getproc_qpc;
static systime_fn getproc_systime;
static void(__cdecl *initterm)(void (**)(void), void (**)(void));
#define CALLBACKS 256
static void (*callback_table[CALLBACKS])(void);

static void run_call_indirect(long long n) { for (long long i = 0; i < n; i++) sink = plain_ptr((LONG)i); }
static void run_import_trivial(long long n) { for (long long i = 0; i < n; i++) sink = (LONG)GetLastError(); }
static void run_import_pid(long long n) { for (long long i = 0; i < n; i++) sink = (LONG)GetCurrentProcessId(); }
static void run_callback(long long n)
{
    for (long long i = 0; i < n; i += CALLBACKS)
        initterm(callback_table, callback_table + CALLBACKS);
}
static void run_qpc_import(long long n)
{
    LARGE_INTEGER c;
    for (long long i = 0; i < n; i++) NtQueryPerformanceCounter(&c, NULL);
    sink = (LONG)c.QuadPart;
}
static void run_qpc_getproc(long long n)
{
    LARGE_INTEGER c;
    for (long long i = 0; i < n; i++) getproc_qpc(&c, NULL);
    sink = (LONG)c.QuadPart;
}
static void run_qpc_trap(long long n)
{
    LARGE_INTEGER c;
    for (long long i = 0; i < n; i++) trap_NtQueryPerformanceCounter(&c, NULL);
    sink = (LONG)c.QuadPart;
}
static void run_systime_import(long long n)
{
    LARGE_INTEGER t;
    for (long long i = 0; i < n; i++) NtQuerySystemTime(&t);
    sink = (LONG)t.QuadPart;
}
static void run_systime_getproc(long long n)
{
    LARGE_INTEGER t;
    for (long long i = 0; i < n; i++) getproc_systime(&t);
    sink = (LONG)t.QuadPart;
}
static void run_qpc_rewritten(long long n)
{
    LARGE_INTEGER c;
    for (long long i = 0; i < n; i++) stub_NtQueryPerformanceCounter(&c, NULL);
    sink = (LONG)c.QuadPart;
}
static void run_systime_rewritten(long long n)
{
    LARGE_INTEGER t;
    for (long long i = 0; i < n; i++) stub_NtQuerySystemTime(&t);
    sink = (LONG)t.QuadPart;
}
/* An inline site: `mov eax, N; syscall` inside the loop's own function. */
static __attribute__((noinline)) void run_systime_inline(long long n)
{
    LARGE_INTEGER t;
    for (long long i = 0; i < n; i++) {
        register void *r10 __asm__("r10") = &t;
        long status;
        __asm__ volatile("mov $0x5a, %%eax\n\tsyscall"
                         : "=a"(status), "+r"(r10)
                         :
                         : "rcx", "r11", "rdx", "r8", "r9", "memory");
        (void)status;
    }
    sink = (LONG)t.QuadPart;
}
static void run_systime_stub1011(long long n)
{
    LARGE_INTEGER t;
    for (long long i = 0; i < n; i++) win_NtQuerySystemTime(&t);
    sink = (LONG)t.QuadPart;
}
static void run_systime_trap(long long n)
{
    LARGE_INTEGER t;
    for (long long i = 0; i < n; i++) trap_NtQuerySystemTime(&t);
    sink = (LONG)t.QuadPart;
}
/* Two threads at once: a second thread (started once, woken by an event per repetition) makes
 * n imported NtQuerySystemTime calls while this one makes n; the figure is wall time per call
 * of one thread (equal to pe.nt.systime.import when nothing is shared between the threads and
 * both have a CPU). */
static long long worker_n;
static HANDLE worker_go, worker_done;
static DWORD WINAPI systime_worker(void *arg)
{
    (void)arg;
    for (;;) {
        WaitForSingleObject(worker_go, INFINITE);
        run_systime_import(worker_n);
        SetEvent(worker_done);
    }
    return 0;
}
static void run_systime_import2t(long long n)
{
    if (!worker_go) {
        worker_go = CreateEventA(NULL, FALSE, FALSE, NULL);
        worker_done = CreateEventA(NULL, FALSE, FALSE, NULL);
        CloseHandle(CreateThread(NULL, 0, systime_worker, NULL, 0, NULL));
    }
    worker_n = n;
    SetEvent(worker_go);
    run_systime_import(n);
    WaitForSingleObject(worker_done, INFINITE);
}
/* N threads at once, measured in CPU time: N workers (started once, woken per repetition)
 * each make n imported NtQuerySystemTime calls; the figure is the CPU time of the workers
 * (GetThreadTimes, summed) per call of one thread. Unlike wall time it does not depend on how
 * many CPUs the threads get: it stays at the 1-thread figure unless the threads slow each
 * other down (a shared cache line or lock on the path, such as the per-call statistics). */
#define CPU_MAX_THREADS 8
static long long cpu_n;
static int cpu_threads;
static double cpu_ns[CPU_MAX_THREADS];
static HANDLE cpu_go[CPU_MAX_THREADS], cpu_done[CPU_MAX_THREADS];
static double case_cpu_ns; /* set by a CPU-timed case: CPU ns of one thread's n calls */
static double thread_cpu_ns(void)
{
    FILETIME c, e, k, u;
    GetThreadTimes(GetCurrentThread(), &c, &e, &k, &u);
    ULARGE_INTEGER kk = {.LowPart = k.dwLowDateTime, .HighPart = k.dwHighDateTime};
    ULARGE_INTEGER uu = {.LowPart = u.dwLowDateTime, .HighPart = u.dwHighDateTime};
    return (double)(kk.QuadPart + uu.QuadPart) * 100.0;
}
static DWORD WINAPI cpu_worker(void *arg)
{
    int i = (int)(INT_PTR)arg;
    for (;;) {
        WaitForSingleObject(cpu_go[i], INFINITE);
        double t0 = thread_cpu_ns();
        run_systime_import(cpu_n);
        cpu_ns[i] = thread_cpu_ns() - t0;
        SetEvent(cpu_done[i]);
    }
    return 0;
}
static void run_systime_import_cpu(long long n, int threads)
{
    for (int i = cpu_threads; i < threads; i++) {
        cpu_go[i] = CreateEventA(NULL, FALSE, FALSE, NULL);
        cpu_done[i] = CreateEventA(NULL, FALSE, FALSE, NULL);
        CloseHandle(CreateThread(NULL, 0, cpu_worker, (void *)(INT_PTR)i, 0, NULL));
        cpu_threads = i + 1;
    }
    cpu_n = n;
    for (int i = 0; i < threads; i++)
        SetEvent(cpu_go[i]);
    WaitForMultipleObjects((DWORD)threads, cpu_done, TRUE, INFINITE);
    double sum = 0;
    for (int i = 0; i < threads; i++)
        sum += cpu_ns[i];
    case_cpu_ns = sum / threads;
}
static void run_systime_import_cpu1t(long long n) { run_systime_import_cpu(n, 1); }
static void run_systime_import_cpu2t(long long n) { run_systime_import_cpu(n, 2); }
static void run_systime_import_cpu4t(long long n) { run_systime_import_cpu(n, 4); }
static void run_systime_import_cpu8t(long long n) { run_systime_import_cpu(n, 8); }
static CRITICAL_SECTION bench_cs;
static void run_cs_enter_leave(long long n)
{
    for (long long i = 0; i < n; i++) {
        EnterCriticalSection(&bench_cs);
        LeaveCriticalSection(&bench_cs);
    }
}
static void run_cpu(long long n) { sink = (LONG)ntbench_cpu_kernel((uint64_t)n); }
static void run_malloc32(long long n)
{
    for (long long i = 0; i < n; i++) {
        void *p = malloc(32);
        sink = (LONG)(INT_PTR)p;
        free(p);
    }
}
static void run_heapalloc48(long long n)
{
    HANDLE heap = GetProcessHeap();
    for (long long i = 0; i < n; i++) {
        void *p = HeapAlloc(heap, 0, 48);
        sink = (LONG)(INT_PTR)p;
        HeapFree(heap, 0, p);
    }
}

/* Process creation to exit: CreateProcessW of ntbench-hello.exe (beside this program), its
 * stdout to NUL, WaitForSingleObject, GetExitCodeProcess, per process. */
static WCHAR hello_cmd[MAX_PATH + 2];
static HANDLE nul_out;
static void run_process_create(long long n)
{
    for (long long i = 0; i < n; i++) {
        STARTUPINFOW si = {sizeof si};
        PROCESS_INFORMATION pi;
        WCHAR cmd[MAX_PATH + 2];
        DWORD code = 1;
        si.dwFlags = STARTF_USESTDHANDLES;
        si.hStdInput = GetStdHandle(STD_INPUT_HANDLE);
        si.hStdOutput = si.hStdError = nul_out;
        lstrcpyW(cmd, hello_cmd);
        if (!CreateProcessW(NULL, cmd, NULL, NULL, TRUE, 0, NULL, NULL, &si, &pi)) {
            fprintf(stderr, "ntbench-pe: CreateProcessW %ls: error %lu\n", hello_cmd,
                    GetLastError());
            exit(4);
        }
        WaitForSingleObject(pi.hProcess, INFINITE);
        GetExitCodeProcess(pi.hProcess, &code);
        CloseHandle(pi.hThread);
        CloseHandle(pi.hProcess);
        if (code != 0) {
            fprintf(stderr, "ntbench-pe: %ls exited with %lu\n", hello_cmd, code);
            exit(4);
        }
    }
}
static int process_setup(void)
{
    WCHAR self[MAX_PATH];
    DWORD len = GetModuleFileNameW(NULL, self, MAX_PATH);
    WCHAR *slash = self + len;
    while (slash > self && slash[-1] != L'\\' && slash[-1] != L'/')
        slash--;
    *slash = 0;
    if (len == 0 || len >= MAX_PATH - 20)
        return -1;
    hello_cmd[0] = L'"';
    lstrcpyW(hello_cmd + 1, self);
    lstrcatW(hello_cmd, L"ntbench-hello.exe\"");
    SECURITY_ATTRIBUTES sa = {sizeof sa, NULL, TRUE};
    nul_out = CreateFileW(L"NUL", GENERIC_WRITE, FILE_SHARE_READ | FILE_SHARE_WRITE, &sa,
                          OPEN_EXISTING, 0, NULL);
    return nul_out == INVALID_HANDLE_VALUE ? -1 : 0;
}

/* ---- issue 11's services: an overlapped read through a port, a timer wait, a TCP round trip.
 * Each sets itself up on its first call (calibration's), outside no timing that matters: the
 * first repetition is calibration's and is never reported. A failure is fatal (exit 4) with
 * the call named, so a broken service is never timed as a fast one. */
static void die(const char *what)
{
    fprintf(stderr, "ntbench-pe: %s: error %lu\n", what, GetLastError());
    exit(4);
}

/* pe.iocp.read: ReadFile of 4 KiB at offset 0 of a file opened FILE_FLAG_OVERLAPPED and
 * associated with a completion port, then GetQueuedCompletionStatus for its packet (a regular
 * file's read completes at once, as a cached read does on Windows; the packet is still queued). */
#define IOCP_READ_SIZE 4096
static HANDLE iocp_file, iocp_port;
static char iocp_buf[IOCP_READ_SIZE];
static void iocp_setup(void)
{
    WCHAR dir[MAX_PATH], path[MAX_PATH];
    if (!GetTempPathW(MAX_PATH, dir) || !GetTempFileNameW(dir, L"ntb", 0, path))
        die("iocp: GetTempFileNameW");
    iocp_file = CreateFileW(path, GENERIC_READ | GENERIC_WRITE, 0, NULL, CREATE_ALWAYS,
                            FILE_FLAG_OVERLAPPED | FILE_FLAG_DELETE_ON_CLOSE, NULL);
    if (iocp_file == INVALID_HANDLE_VALUE)
        die("iocp: CreateFileW(FILE_FLAG_OVERLAPPED)");
    OVERLAPPED ov = {0};
    DWORD n = 0;
    memset(iocp_buf, 'x', sizeof iocp_buf);
    if (!WriteFile(iocp_file, iocp_buf, sizeof iocp_buf, NULL, &ov) &&
        GetLastError() != ERROR_IO_PENDING)
        die("iocp: WriteFile");
    if (!GetOverlappedResult(iocp_file, &ov, &n, TRUE) || n != sizeof iocp_buf)
        die("iocp: GetOverlappedResult(WriteFile)");
    iocp_port = CreateIoCompletionPort(iocp_file, NULL, 0x1b, 1);
    if (!iocp_port)
        die("iocp: CreateIoCompletionPort");
}
static void run_iocp_read(long long n)
{
    if (!iocp_port)
        iocp_setup();
    for (long long i = 0; i < n; i++) {
        OVERLAPPED ov = {0}, *got = NULL;
        DWORD bytes = 0;
        ULONG_PTR key = 0;
        if (!ReadFile(iocp_file, iocp_buf, sizeof iocp_buf, NULL, &ov) &&
            GetLastError() != ERROR_IO_PENDING)
            die("pe.iocp.read: ReadFile");
        if (!GetQueuedCompletionStatus(iocp_port, &bytes, &key, &got, INFINITE) || got != &ov ||
            key != 0x1b || bytes != sizeof iocp_buf)
            die("pe.iocp.read: GetQueuedCompletionStatus");
    }
    sink = iocp_buf[0];
}

/* pe.iocp.pipe: an overlapped ReadFile of 1 byte on the server end of a named pipe, pending
 * when issued, completed by a 1-byte WriteFile on the client end and taken from the port with
 * GetQueuedCompletionStatus (under ntrun: the epoll thread sees the pipe readable, reads and
 * queues the packet). */
static HANDLE pipe_srv, pipe_cli, pipe_port;
static void pipe_setup(void)
{
    WCHAR name[64];
    wsprintfW(name, L"\\\\.\\pipe\\ntbench-%lu", GetCurrentProcessId());
    pipe_srv = CreateNamedPipeW(name, PIPE_ACCESS_INBOUND | FILE_FLAG_OVERLAPPED,
                                PIPE_TYPE_BYTE | PIPE_WAIT, 1, 4096, 4096, 0, NULL);
    if (pipe_srv == INVALID_HANDLE_VALUE)
        die("iocp: CreateNamedPipeW");
    pipe_cli = CreateFileW(name, GENERIC_WRITE, 0, NULL, OPEN_EXISTING, 0, NULL);
    if (pipe_cli == INVALID_HANDLE_VALUE)
        die("iocp: CreateFileW(pipe client)");
    pipe_port = CreateIoCompletionPort(pipe_srv, NULL, 0x2b, 1);
    if (!pipe_port)
        die("iocp: CreateIoCompletionPort(pipe)");
}
static void run_iocp_pipe(long long n)
{
    if (!pipe_port)
        pipe_setup();
    for (long long i = 0; i < n; i++) {
        OVERLAPPED ov = {0}, *got = NULL;
        DWORD bytes = 0, wrote = 0;
        ULONG_PTR key = 0;
        char in = 0, out = (char)i;
        if (ReadFile(pipe_srv, &in, 1, NULL, &ov) || GetLastError() != ERROR_IO_PENDING)
            die("pe.iocp.pipe: ReadFile did not pend");
        if (!WriteFile(pipe_cli, &out, 1, &wrote, NULL) || wrote != 1)
            die("pe.iocp.pipe: WriteFile");
        if (!GetQueuedCompletionStatus(pipe_port, &bytes, &key, &got, INFINITE) || got != &ov ||
            key != 0x2b || bytes != 1 || in != out)
            die("pe.iocp.pipe: GetQueuedCompletionStatus");
    }
}

/* pe.timer.wait: a high-resolution waitable timer set 100 us ahead (relative due time), then
 * WaitForSingleObject on it; the figure is the time beyond the 100 us asked for. */
#define TIMER_DUE_NS 100000
static HANDLE bench_timer;
static void run_timer_wait(long long n)
{
#ifndef CREATE_WAITABLE_TIMER_HIGH_RESOLUTION
#define CREATE_WAITABLE_TIMER_HIGH_RESOLUTION 0x2
#endif
    if (!bench_timer) {
        bench_timer = CreateWaitableTimerExW(NULL, NULL, CREATE_WAITABLE_TIMER_HIGH_RESOLUTION,
                                             TIMER_ALL_ACCESS);
        if (!bench_timer) /* older Windows: no high resolution */
            bench_timer = CreateWaitableTimerExW(NULL, NULL, 0, TIMER_ALL_ACCESS);
        if (!bench_timer)
            die("pe.timer.wait: CreateWaitableTimerExW");
    }
    LARGE_INTEGER due = {.QuadPart = -(TIMER_DUE_NS / 100)};
    for (long long i = 0; i < n; i++) {
        if (!SetWaitableTimer(bench_timer, &due, 0, NULL, NULL, FALSE))
            die("pe.timer.wait: SetWaitableTimer");
        if (WaitForSingleObject(bench_timer, INFINITE) != WAIT_OBJECT_0)
            die("pe.timer.wait: WaitForSingleObject");
    }
}

/* pe.tcp.rtt: a loopback TCP round trip: send 1 byte, recv the 1 byte an echo thread (blocking
 * recv, send) returns; TCP_NODELAY on both ends. pe.tcp.rtt1t: one thread, both ends of the
 * connection, the data always there when recv is called (the calls without the wake-ups). */
static SOCKET tcp_a = INVALID_SOCKET, tcp_b = INVALID_SOCKET;
static SOCKET tcp_c = INVALID_SOCKET, tcp_d = INVALID_SOCKET; /* the one-thread pair */
static void tcp_pair(SOCKET *client, SOCKET *server)
{
    WSADATA wd;
    static int started;
    if (!started && WSAStartup(MAKEWORD(2, 2), &wd) != 0)
        die("tcp: WSAStartup");
    started = 1;
    SOCKET l = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    struct sockaddr_in sa = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    int len = sizeof sa, one = 1;
    if (l == INVALID_SOCKET || bind(l, (struct sockaddr *)&sa, sizeof sa) != 0 ||
        listen(l, 1) != 0 || getsockname(l, (struct sockaddr *)&sa, &len) != 0)
        die("tcp: listen socket");
    *client = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    if (*client == INVALID_SOCKET || connect(*client, (struct sockaddr *)&sa, sizeof sa) != 0)
        die("tcp: connect");
    *server = accept(l, NULL, NULL);
    if (*server == INVALID_SOCKET)
        die("tcp: accept");
    closesocket(l);
    setsockopt(*client, IPPROTO_TCP, TCP_NODELAY, (const char *)&one, sizeof one);
    setsockopt(*server, IPPROTO_TCP, TCP_NODELAY, (const char *)&one, sizeof one);
}
static DWORD WINAPI tcp_echo(void *arg)
{
    SOCKET s = (SOCKET)(INT_PTR)arg;
    char c;
    while (recv(s, &c, 1, 0) == 1)
        if (send(s, &c, 1, 0) != 1)
            break;
    return 0;
}
static void run_tcp_rtt(long long n)
{
    if (tcp_a == INVALID_SOCKET) {
        tcp_pair(&tcp_a, &tcp_b);
        HANDLE t = CreateThread(NULL, 0, tcp_echo, (void *)(INT_PTR)tcp_b, 0, NULL);
        if (!t)
            die("pe.tcp.rtt: CreateThread");
        CloseHandle(t);
    }
    for (long long i = 0; i < n; i++) {
        char out = (char)i, in = 0;
        if (send(tcp_a, &out, 1, 0) != 1 || recv(tcp_a, &in, 1, 0) != 1 || in != out)
            die("pe.tcp.rtt: send/recv");
    }
}
/* One socket pair with an echo thread and a completion port, per case. */
struct tcp_port_case {
    const char *name;
    ULONG_PTR key;
    SOCKET a, b;
    HANDLE port;
};
/* The round trip of pe.tcp.rtt.port and pe.tcp.rtt.poll: WSARecv of 1 byte, overlapped on a
 * socket associated with a completion port (pending when issued), send of 1 byte, then (`poll`)
 * a spin on HasOverlappedIoCompleted, and GetQueuedCompletionStatus for the echo's byte. */
static void tcp_rtt_via_port(struct tcp_port_case *c, int poll, long long n)
{
    if (!c->port) {
        tcp_pair(&c->a, &c->b);
        HANDLE t = CreateThread(NULL, 0, tcp_echo, (void *)(INT_PTR)c->b, 0, NULL);
        if (!t)
            die(c->name);
        CloseHandle(t);
        c->port = CreateIoCompletionPort((HANDLE)c->a, NULL, c->key, 1);
        if (!c->port)
            die(c->name);
    }
    for (long long i = 0; i < n; i++) {
        char out = (char)i, in = 0;
        WSABUF wb = {1, &in};
        DWORD flags = 0, bytes = 0;
        ULONG_PTR key = 0;
        OVERLAPPED ov = {0}, *got = NULL;
        if (WSARecv(c->a, &wb, 1, NULL, &flags, &ov, NULL) != 0 &&
            WSAGetLastError() != WSA_IO_PENDING)
            die(c->name);
        if (send(c->a, &out, 1, 0) != 1)
            die(c->name);
        if (poll)
            while (!HasOverlappedIoCompleted(&ov))
                YieldProcessor();
        if (!GetQueuedCompletionStatus(c->port, &bytes, &key, &got, INFINITE) || got != &ov ||
            key != c->key || bytes != 1 || in != out)
            die(c->name);
    }
}
/* pe.tcp.rtt.port: the same round trip as the Go netpoller makes it. */
static void run_tcp_rtt_port(long long n)
{
    static struct tcp_port_case c = {"pe.tcp.rtt.port", 0x3b, INVALID_SOCKET, INVALID_SOCKET, NULL};
    tcp_rtt_via_port(&c, 0, n);
}
/* pe.tcp.rtt.poll: the round trip of pe.tcp.rtt.port whose end the program watches by polling
 * HasOverlappedIoCompleted (no wait on the port or an event), then takes the packet with
 * GetQueuedCompletionStatus (queued by then, or a moment later: the status block is written
 * first, on Windows too). Under ntrun nobody waits in the port: the epoll
 * thread completes the receive (before 2026-12-07 pm each one waited for the end of the port's
 * lease, 2 ms, which the previous call's packet had renewed). */
static void run_tcp_rtt_poll(long long n)
{
    static struct tcp_port_case c = {"pe.tcp.rtt.poll", 0x3d, INVALID_SOCKET, INVALID_SOCKET, NULL};
    tcp_rtt_via_port(&c, 1, n);
}
/* pe.tcp.rtt.afd: the same round trip as Rust's mio (tokio) makes it: send of 1 byte, an
 * IOCTL_AFD_POLL for RECEIVE on the socket issued through a \Device\Afd helper handle bound to
 * a completion port (pending when issued), GetQueuedCompletionStatus for the poll's packet,
 * then the recv of the echo's byte (there already). */
#define BENCH_IOCTL_AFD_POLL 0x00012024
typedef struct {
    LARGE_INTEGER timeout;
    ULONG count, exclusive;
    HANDLE socket;
    ULONG events;
    NTSTATUS status;
} bench_afd_poll;
static SOCKET tcp_g = INVALID_SOCKET, tcp_h = INVALID_SOCKET;
static HANDLE afd_helper, afd_port;
static void run_tcp_rtt_afd(long long n)
{
    if (tcp_g == INVALID_SOCKET) {
        tcp_pair(&tcp_g, &tcp_h);
        HANDLE t = CreateThread(NULL, 0, tcp_echo, (void *)(INT_PTR)tcp_h, 0, NULL);
        if (!t)
            die("pe.tcp.rtt.afd: CreateThread");
        CloseHandle(t);
        UNICODE_STRING name;
        RtlInitUnicodeString(&name, L"\\Device\\Afd\\Bench");
        OBJECT_ATTRIBUTES attr = {.Length = sizeof attr, .ObjectName = &name};
        IO_STATUS_BLOCK cio;
        if (NtCreateFile(&afd_helper, SYNCHRONIZE, &attr, &cio, NULL, 0,
                         FILE_SHARE_READ | FILE_SHARE_WRITE, FILE_OPEN, 0, NULL, 0) != 0)
            die("pe.tcp.rtt.afd: NtCreateFile \\Device\\Afd\\Bench");
        afd_port = CreateIoCompletionPort(afd_helper, NULL, 0x3c, 1);
        u_long nb = 1;
        if (!afd_port || ioctlsocket(tcp_g, FIONBIO, &nb) != 0)
            die("pe.tcp.rtt.afd: CreateIoCompletionPort/FIONBIO");
    }
    for (long long i = 0; i < n; i++) {
        char out = (char)i, in = 0;
        bench_afd_poll poll = {.timeout.QuadPart = INT64_MAX, .count = 1,
                               .socket = (HANDLE)tcp_g, .events = 0x1 /* RECEIVE */}, res;
        IO_STATUS_BLOCK io;
        DWORD bytes = 0;
        ULONG_PTR key = 0;
        OVERLAPPED *got = NULL;
        if (send(tcp_g, &out, 1, 0) != 1)
            die("pe.tcp.rtt.afd: send");
        NTSTATUS st = NtDeviceIoControlFile(afd_helper, NULL, NULL, &io, &io, BENCH_IOCTL_AFD_POLL,
                                            &poll, sizeof poll, &res, sizeof res);
        if (st != 0 && st != 0x103 /* STATUS_PENDING */)
            die("pe.tcp.rtt.afd: IOCTL_AFD_POLL");
        if (!GetQueuedCompletionStatus(afd_port, &bytes, &key, &got, INFINITE) ||
            got != (OVERLAPPED *)&io || key != 0x3c || io.Status != 0 || res.count != 1 ||
            !(res.events & 0x1))
            die("pe.tcp.rtt.afd: GetQueuedCompletionStatus");
        if (recv(tcp_g, &in, 1, 0) != 1 || in != out)
            die("pe.tcp.rtt.afd: recv");
    }
}
static void run_tcp_rtt1t(long long n)
{
    if (tcp_c == INVALID_SOCKET)
        tcp_pair(&tcp_c, &tcp_d);
    for (long long i = 0; i < n; i++) {
        char out = (char)i, in = 0, back = 0;
        if (send(tcp_c, &out, 1, 0) != 1 || recv(tcp_d, &in, 1, 0) != 1 ||
            send(tcp_d, &in, 1, 0) != 1 || recv(tcp_c, &back, 1, 0) != 1 || back != out)
            die("pe.tcp.rtt1t: send/recv");
    }
}

static const struct {
    const char *name;
    void (*run)(long long n);
    int traps;
    int cpu; /* timed in CPU time (case_cpu_ns), not wall time */
    int slow; /* milliseconds per operation: calibrated from 1, not 256 */
    double minus_ns; /* reported beyond this much per operation (a timer's due time) */
    int proc_cpu; /* also prints the process's CPU time per operation (all its threads) */
} cases[] = {
    {"pe.call.indirect", run_call_indirect, 0},
    {"pe.import.trivial", run_import_trivial, 0},
    {"pe.import.pid", run_import_pid, 0},
    {"pe.callback", run_callback, 0},
    {"pe.nt.qpc.import", run_qpc_import, 0},
    {"pe.nt.qpc.getproc", run_qpc_getproc, 0},
    {"pe.nt.qpc.trap", run_qpc_trap, 1},
    {"pe.nt.qpc.rewritten", run_qpc_rewritten, 1},
    {"pe.nt.systime.import", run_systime_import, 0},
    {"pe.nt.systime.getproc", run_systime_getproc, 0},
    {"pe.nt.systime.trap", run_systime_trap, 1},
    {"pe.nt.systime.rewritten", run_systime_rewritten, 1},
    {"pe.nt.systime.inline", run_systime_inline, 1},
    {"pe.nt.systime.stub1011", run_systime_stub1011, 1},
    {"pe.nt.systime.stub1011.trap", run_systime_stub1011, 1},
    {"pe.nt.systime.import2t", run_systime_import2t, 0},
    {"pe.nt.systime.import.cpu1t", run_systime_import_cpu1t, 0, 1},
    {"pe.nt.systime.import.cpu2t", run_systime_import_cpu2t, 0, 1},
    {"pe.nt.systime.import.cpu4t", run_systime_import_cpu4t, 0, 1},
    {"pe.nt.systime.import.cpu8t", run_systime_import_cpu8t, 0, 1},
    {"pe.cs.enter_leave", run_cs_enter_leave, 0},
    {"pe.cpu", run_cpu, 0},
    {"pe.heap.malloc32", run_malloc32, 0},
    {"pe.heap.heapalloc48", run_heapalloc48, 0},
    {"pe.process.create", run_process_create, 0, 0, 1},
    {"pe.iocp.read", run_iocp_read, 0, 0, 0, 0, 1},
    {"pe.iocp.pipe", run_iocp_pipe, 0, 0, 0, 0, 1},
    {"pe.timer.wait", run_timer_wait, 0, 0, 0, TIMER_DUE_NS, 1},
    {"pe.tcp.rtt", run_tcp_rtt, 0, 0, 0, 0, 1},
    {"pe.tcp.rtt1t", run_tcp_rtt1t, 0, 0, 0, 0, 1},
    {"pe.tcp.rtt.port", run_tcp_rtt_port, 0, 0, 0, 0, 1},
    {"pe.tcp.rtt.afd", run_tcp_rtt_afd, 0, 0, 0, 0, 1},
    {"pe.tcp.rtt.poll", run_tcp_rtt_poll, 0, 0, 0, 0, 1},
};

static double now_ns(void)
{
    static LARGE_INTEGER freq;
    LARGE_INTEGER c;
    if (!freq.QuadPart)
        QueryPerformanceFrequency(&freq);
    QueryPerformanceCounter(&c);
    return (double)c.QuadPart * 1e9 / (double)freq.QuadPart;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

#define MAX_REPS 16
static long long calibrate(int idx, int quick)
{
    const double target_ns = quick ? 2e6 : 20e6;
    long long n = cases[idx].slow ? 1 : 256;
    for (;;) { /* one repetition takes at least target_ns */
        double t0 = now_ns();
        cases[idx].run(n);
        double dt = cases[idx].cpu ? case_cpu_ns : now_ns() - t0; /* CPU cases: CPU time */
        if (dt >= target_ns || n > (1LL << 40))
            return n;
        n = dt < target_ns / 16 ? n * 16 : n * 2;
    }
}

/* CPU time of the whole process (every thread: the runtime's service threads too), in ns. */
static double process_cpu_ns(void)
{
    FILETIME c, e, k, u;
    GetProcessTimes(GetCurrentProcess(), &c, &e, &k, &u);
    ULARGE_INTEGER kk = {.LowPart = k.dwLowDateTime, .HighPart = k.dwHighDateTime};
    ULARGE_INTEGER uu = {.LowPart = u.dwLowDateTime, .HighPart = u.dwHighDateTime};
    return (double)(kk.QuadPart + uu.QuadPart) * 100.0;
}

/* Calibrates the chosen cases, then runs their repetitions in rounds (one of each case per
 * round: a change of load hits a case and its baseline alike) and prints each case's line;
 * a proc_cpu case adds a fifth field, the median process CPU time per operation (less
 * sensitive than wall time to other load on the machine). */
static void measure_all(const int *idx, int count, int quick)
{
    const int reps = quick ? 3 : 7;
    static long long iters[64];
    static double per[64][MAX_REPS], cpu[64][MAX_REPS];
    for (int i = 0; i < count; i++)
        iters[i] = calibrate(idx[i], quick);
    for (int r = 0; r < reps; r++)
        for (int i = 0; i < count; i++) {
            double c0 = cases[idx[i]].proc_cpu ? process_cpu_ns() : 0;
            double t0 = now_ns();
            cases[idx[i]].run(iters[i]);
            double dt = cases[idx[i]].cpu ? case_cpu_ns : now_ns() - t0;
            per[i][r] = dt / (double)iters[i] - cases[idx[i]].minus_ns;
            if (cases[idx[i]].proc_cpu)
                cpu[i][r] = (process_cpu_ns() - c0) / (double)iters[i];
        }
    for (int i = 0; i < count; i++) {
        qsort(per[i], (size_t)reps, sizeof per[i][0], cmp_double);
        printf("%s %lld %.3f %.3f", cases[idx[i]].name, iters[i], per[i][reps / 2], per[i][0]);
        if (cases[idx[i]].proc_cpu) {
            qsort(cpu[i], (size_t)reps, sizeof cpu[i][0], cmp_double);
            printf(" %.3f", cpu[i][reps / 2]);
        }
        printf("\n");
    }
    fflush(stdout);
}

int main(int argc, char **argv)
{
    int no_trap = 0, quick = 0, ran = 0;
    long long fixed_iters = 0;
    HMODULE ntdll = GetModuleHandleA("ntdll.dll");
    HMODULE msvcrt = GetModuleHandleA("msvcrt.dll");
    getproc_qpc = (qpc_fn)(void *)GetProcAddress(ntdll, "NtQueryPerformanceCounter");
    getproc_systime = (systime_fn)(void *)GetProcAddress(ntdll, "NtQuerySystemTime");
    initterm = (void(__cdecl *)(void (**)(void), void (**)(void)))(void *)GetProcAddress(msvcrt, "_initterm");
    if (!getproc_qpc || !getproc_systime || !initterm) {
        fprintf(stderr, "ntbench-pe: missing ntdll/msvcrt exports\n");
        return 3;
    }
    InitializeCriticalSection(&bench_cs);
    if (process_setup() != 0) {
        fprintf(stderr, "ntbench-pe: cannot find ntbench-hello.exe or open NUL\n");
        return 3;
    }
    for (int i = 0; i < CALLBACKS; i++)
        callback_table[i] = empty_callback;
    int chosen[64], nchosen = 0;
    for (int a = 1; a < argc; a++) {
        if (strcmp(argv[a], "--no-trap") == 0) { no_trap = 1; continue; }
        if (strcmp(argv[a], "--quick") == 0) { quick = 1; continue; }
        if (strncmp(argv[a], "--iters=", 8) == 0) { fixed_iters = atoll(argv[a] + 8); continue; }
    }
    for (int a = 1; a < argc; a++) {
        if (argv[a][0] == '-')
            continue;
        int found = 0;
        for (int i = 0; i < (int)(sizeof cases / sizeof cases[0]); i++) {
            if (strcmp(argv[a], "all") != 0 && strcmp(argv[a], cases[i].name) != 0)
                continue;
            found = 1;
            if ((cases[i].traps && no_trap) || nchosen == 64)
                continue;
            chosen[nchosen++] = i;
            ran++;
        }
        if (!found) {
            fprintf(stderr, "ntbench-pe: unknown case %s\n", argv[a]);
            return 2;
        }
    }
    if (fixed_iters > 0) {
        for (int i = 0; i < nchosen; i++) {
            double t0 = now_ns();
            cases[chosen[i]].run(fixed_iters);
            printf("%s %lld %.3f\n", cases[chosen[i]].name, fixed_iters,
                   (now_ns() - t0) / (double)fixed_iters);
            fflush(stdout);
        }
        return ran ? 0 : 1;
    }
    measure_all(chosen, nchosen, quick);
    return ran ? 0 : 1;
}
