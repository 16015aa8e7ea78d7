/* threads_tls: a second thread and its thread-local state. CreateThread/WaitForSingleObject/
 * GetExitCodeThread; the image's TLS callback runs on the new thread with DLL_THREAD_ATTACH
 * before the thread function and with DLL_THREAD_DETACH after it returns; the new thread gets
 * a fresh copy of the TLS template (not main's modified copy) through
 * TEB.ThreadLocalStoragePointer, fresh gcc __thread values, a NULL TlsGetValue for a slot main
 * has set, a last error of 0, its own thread id; two threads incrementing shared counters under
 * a critical section and with InterlockedIncrement; an event signalled by the thread.
 *
 * Expected output checked with Wine 8. Output comes from the main thread only (the worker
 * records what it saw), so the order is fixed. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <windows.h>
#define FAIL_SHOWS_LAST_ERROR
#include "fail_check.h"

extern const IMAGE_TLS_DIRECTORY _tls_used;
extern ULONG _tls_index;
__attribute__((section(".tls$BBB"))) int pe_tls_value = 0x1234567;

/* This thread's copy of a variable of the TLS template. */
static int *tls_copy(int *template_var)
{
    void **tls_array;
    __asm__("mov %%gs:0x58, %0" : "=r"(tls_array)); /* TEB.ThreadLocalStoragePointer */
    if (!tls_array || !tls_array[_tls_index])
        return NULL;
    return (int *)((char *)tls_array[_tls_index] +
                   ((char *)template_var - (char *)_tls_used.StartAddressOfRawData));
}

static __thread int gcc_tls = 55;

/* ---- TLS callback log: reason and thread id of each call ---- */
static volatile LONG log_count;
static DWORD log_reason[32], log_thread[32];
static int attach_saw_pe_tls[4];
static volatile LONG attach_count;

static void NTAPI tls_callback(PVOID image, DWORD reason, PVOID reserved)
{
    (void)image;
    (void)reserved;
    LONG i = InterlockedIncrement(&log_count) - 1;
    if (i < 32) {
        log_reason[i] = reason;
        log_thread[i] = GetCurrentThreadId();
    }
    if (reason == DLL_THREAD_ATTACH) {
        LONG k = InterlockedIncrement(&attach_count) - 1;
        int *copy = tls_copy(&pe_tls_value);
        if (k < 4)
            attach_saw_pe_tls[k] = copy ? *copy : -1;
    }
}
__attribute__((section(".CRT$XLB"), used)) PIMAGE_TLS_CALLBACK p_tls_callback = tls_callback;

/* ---- what the worker saw ---- */
struct worker_report {
    DWORD tid;
    int pe_tls_initial, pe_tls_after;
    int gcc_tls_initial;
    void *slot_value;
    DWORD last_error_initial;
    LONG callbacks_before; /* THREAD_ATTACH entries already logged when the function started */
};
static struct worker_report report;
static DWORD slot;
static HANDLE ready_event;

static DWORD WINAPI worker(void *arg)
{
    report.last_error_initial = GetLastError(); /* a new thread starts with 0 */
    report.tid = GetCurrentThreadId();
    report.callbacks_before = 0;
    for (LONG i = 0; i < log_count && i < 32; i++)
        if (log_reason[i] == DLL_THREAD_ATTACH && log_thread[i] == report.tid)
            report.callbacks_before++;
    int *copy = tls_copy(&pe_tls_value);
    report.pe_tls_initial = copy ? *copy : -1;
    if (copy)
        *copy = 0x2222;
    copy = tls_copy(&pe_tls_value);
    report.pe_tls_after = copy ? *copy : -1;
    report.gcc_tls_initial = gcc_tls;
    gcc_tls = 66;
    report.slot_value = TlsGetValue(slot);
    SetEvent(ready_event);
    return (DWORD)(ULONG_PTR)arg + 1;
}

/* ---- counters ---- */
static CRITICAL_SECTION cs;
static long locked_counter;
static volatile LONG atomic_counter;

static DWORD WINAPI counter_thread(void *arg)
{
    (void)arg;
    for (int i = 0; i < 100000; i++) {
        EnterCriticalSection(&cs);
        locked_counter++;
        LeaveCriticalSection(&cs);
        InterlockedIncrement(&atomic_counter);
    }
    return 0;
}

int main(void)
{
    DWORD main_tid = GetCurrentThreadId();
    /* main changes its own copies first: the new thread must not see these. */
    int *mine = tls_copy(&pe_tls_value);
    CHECK(10, mine != NULL);
    *mine = 0x1111;
    gcc_tls = 99;
    slot = TlsAlloc();
    CHECK(11, slot != TLS_OUT_OF_INDEXES);
    CHECK(12, TlsSetValue(slot, (void *)0xabc));
    ready_event = CreateEventA(NULL, TRUE, FALSE, NULL);
    CHECK(13, ready_event != NULL);

    LONG log_before = log_count;
    DWORD tid = 0;
    HANDLE th = CreateThread(NULL, 0, worker, (void *)41, 0, &tid);
    CHECK(14, th != NULL);
    printf("CreateThread: ok, thread id differs from main's: %s\n", tid != main_tid ? "yes" : "no");
    DWORD w = WaitForSingleObject(ready_event, 10000);
    printf("event signalled by the thread: %s\n", w == WAIT_OBJECT_0 ? "yes" : "no");
    w = WaitForSingleObject(th, 10000);
    printf("WaitForSingleObject(thread): %s\n", w == WAIT_OBJECT_0 ? "WAIT_OBJECT_0" : "other");
    DWORD code = 0;
    CHECK(15, GetExitCodeThread(th, &code));
    printf("GetExitCodeThread: %lu\n", code);
    CHECK(16, CloseHandle(th));

    printf("worker's GetCurrentThreadId matches CreateThread's id: %s\n",
           report.tid == tid ? "yes" : "no");
    printf("DLL_THREAD_ATTACH callbacks on the worker before its function: %ld\n",
           report.callbacks_before);
    printf("callback on the new thread saw the PE TLS template value 0x%x\n", attach_saw_pe_tls[0]);
    printf("worker's PE TLS copy: initial 0x%x, after writing 0x%x\n", report.pe_tls_initial,
           report.pe_tls_after);
    printf("main's PE TLS copy unchanged by the worker: 0x%x\n", *tls_copy(&pe_tls_value));
    printf("worker's __thread initial value: %d; main's: %d\n", report.gcc_tls_initial, gcc_tls);
    printf("worker's TlsGetValue of main's slot: %p\n", report.slot_value);
    printf("main's TlsGetValue: %p\n", TlsGetValue(slot));
    printf("worker's last error at its start: %lu\n", report.last_error_initial);

    /* The callback log for the worker, in order. */
    printf("callbacks for the worker thread:");
    for (LONG i = log_before; i < log_count && i < 32; i++) {
        if (log_thread[i] != tid)
            continue;
        printf(" %s", log_reason[i] == DLL_THREAD_ATTACH   ? "THREAD_ATTACH"
                      : log_reason[i] == DLL_THREAD_DETACH ? "THREAD_DETACH"
                                                           : "other");
    }
    printf("\n");

    /* ---- two threads contending ---- */
    InitializeCriticalSection(&cs);
    HANDLE t[2];
    for (int i = 0; i < 2; i++) {
        t[i] = CreateThread(NULL, 0, counter_thread, NULL, 0, NULL);
        CHECK(20, t[i] != NULL);
    }
    w = WaitForMultipleObjects(2, t, TRUE, 60000);
    printf("WaitForMultipleObjects(all): %s\n", w < WAIT_OBJECT_0 + 2 ? "signalled" : "other");
    printf("counters: locked %ld, interlocked %ld\n", locked_counter, (long)atomic_counter);
    for (int i = 0; i < 2; i++)
        CloseHandle(t[i]);
    DeleteCriticalSection(&cs);
    printf("TLS callbacks with DLL_THREAD_ATTACH so far: %ld\n", attach_count);
    TlsFree(slot);
    CloseHandle(ready_event);
    return 0;
}
