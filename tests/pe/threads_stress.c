/* threads_stress: 8 threads, each executing 3000 raw `syscall` instructions from the program's
 * own code (trapped by Syscall User Dispatch on every thread and emulated), while they
 * synchronise through kernel32: a manual-reset start event they all wait on, a critical section
 * around a shared counter, and a per-thread auto-reset "done" event each thread signals with a
 * direct NtSetEvent system call. Then main checks every thread's exit code and the totals.
 *
 * System-call numbers: read from ntdll's NtQueryPerformanceCounter / NtSetEvent /
 * NtYieldExecution stubs (`4C 8B D1 B8 <number:4>`, the Windows 10 x64 stub shape) when the
 * export has that shape, otherwise the Windows 10 22H2 numbers (the same on Windows 11 24H2).
 * The expected output is what Windows gives: every call returns STATUS_SUCCESS (NtYieldExecution
 * may also return STATUS_NO_YIELD_PERFORMED), each thread's performance counter never goes
 * backwards. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <windows.h>

#define THREADS 8
#define CALLS 3000
#define LOCKED_EVERY 10

/* ULONG_PTR direct_syscall(ULONG_PTR a1, ULONG_PTR a2, ULONG number): the ntdll stub's body
 * with the number passed in r8. */
__asm__(".text\n"
        ".p2align 4\n"
        ".globl direct_syscall\n"
        "direct_syscall:\n"
        "    mov %r8d, %eax\n"
        "    mov %rcx, %r10\n"
        "    syscall\n"
        "    ret\n");
extern LONG direct_syscall(ULONG_PTR a1, ULONG_PTR a2, ULONG number);

static ULONG nr_qpc = 0x31, nr_set_event = 0x0e, nr_yield = 0x46;

static void number_from_stub(const char *name, ULONG *nr)
{
    const unsigned char *p = (const unsigned char *)GetProcAddress(GetModuleHandleA("ntdll.dll"), name);
    if (p && p[0] == 0x4c && p[1] == 0x8b && p[2] == 0xd1 && p[3] == 0xb8)
        memcpy(nr, p + 4, 4);
}

static HANDLE start_event, done_event[THREADS];
static CRITICAL_SECTION cs;
static long shared_counter;

struct result {
    LONG bad_status;  /* first unexpected NTSTATUS, or 0 */
    int backwards;    /* performance counter went backwards */
    int calls;
};
static struct result results[THREADS];

static DWORD WINAPI worker(void *arg)
{
    int index = (int)(ULONG_PTR)arg;
    struct result *r = &results[index];
    if (WaitForSingleObject(start_event, INFINITE) != WAIT_OBJECT_0)
        return 1000;
    LARGE_INTEGER last = {{0}};
    for (int i = 0; i < CALLS; i++) {
        LARGE_INTEGER now;
        LONG st;
        if (i % 3 == 2) {
            st = direct_syscall(0, 0, nr_yield);
            if (st == 0x40000024) /* STATUS_NO_YIELD_PERFORMED */
                st = 0;
        } else {
            st = direct_syscall((ULONG_PTR)&now, 0, nr_qpc);
            if (st == 0 && now.QuadPart < last.QuadPart)
                r->backwards++;
            if (st == 0)
                last = now;
        }
        if (st != 0 && !r->bad_status)
            r->bad_status = st;
        r->calls++;
        if (i % LOCKED_EVERY == 0) {
            EnterCriticalSection(&cs);
            shared_counter++;
            LeaveCriticalSection(&cs);
        }
    }
    LONG prev = -1;
    LONG st = direct_syscall((ULONG_PTR)done_event[index], (ULONG_PTR)&prev, nr_set_event);
    if (st != 0 && !r->bad_status)
        r->bad_status = st;
    return 0x100 + index;
}

int main(void)
{
    number_from_stub("NtQueryPerformanceCounter", &nr_qpc);
    number_from_stub("NtSetEvent", &nr_set_event);
    number_from_stub("NtYieldExecution", &nr_yield);
    InitializeCriticalSection(&cs);
    start_event = CreateEventA(NULL, TRUE, FALSE, NULL);
    HANDLE threads[THREADS];
    for (int i = 0; i < THREADS; i++) {
        done_event[i] = CreateEventA(NULL, FALSE, FALSE, NULL);
        threads[i] = CreateThread(NULL, 0, worker, (void *)(ULONG_PTR)i, 0, NULL);
        if (!start_event || !done_event[i] || !threads[i]) {
            printf("FAIL: creating thread %d (last error %lu)\n", i, GetLastError());
            return 1;
        }
    }
    printf("%d threads created\n", THREADS);
    SetEvent(start_event);

    DWORD w = WaitForMultipleObjects(THREADS, done_event, TRUE, INFINITE);
    printf("every done event signalled by a direct NtSetEvent: %s\n",
           w == WAIT_OBJECT_0 ? "yes" : "no");
    w = WaitForMultipleObjects(THREADS, threads, TRUE, INFINITE);
    printf("every thread ended: %s\n", w == WAIT_OBJECT_0 ? "yes" : "no");

    int codes_ok = 0, calls = 0, backwards = 0;
    for (int i = 0; i < THREADS; i++) {
        DWORD code = 0;
        if (GetExitCodeThread(threads[i], &code) && code == (DWORD)(0x100 + i))
            codes_ok++;
        else
            printf("thread %d: exit code %#lx\n", i, code);
        if (results[i].bad_status)
            printf("thread %d: unexpected status 0x%08lX\n", i, (unsigned long)results[i].bad_status);
        calls += results[i].calls;
        backwards += results[i].backwards;
        CloseHandle(threads[i]);
        CloseHandle(done_event[i]);
    }
    printf("exit codes right: %d of %d\n", codes_ok, THREADS);
    printf("direct system calls made: %d\n", calls + THREADS);
    printf("performance counter went backwards: %d times\n", backwards);
    printf("shared counter under the critical section: %ld\n", shared_counter);
    CloseHandle(start_event);
    DeleteCriticalSection(&cs);
    return 0;
}
