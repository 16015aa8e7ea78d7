/* Foreign threads without foreign code: runtime/'s rt_thread_create (own TEB and foreign stack,
 * on_start / attach hooks / body / detach hooks / on_exit in that order, rt_exit_thread from a
 * nested call, the registry, termination of a thread blocked in an NT wait) and ntemu's thread
 * objects on top (nt_thread_create_native: a waitable handle, the exit code, STILL_ACTIVE while
 * running, start suspended + NtResumeThread, NtTerminateThread of a waiting thread). */
#include <criterion/criterion.h>
#include <errno.h>
#include <sched.h>
#include <string.h>
#include "ntemu/ntemu.h"

static void setup(void) { cr_assert_eq(rt_process_init(), 0); }
TestSuite(threads, .init = setup);

/* ---- the runtime layer ---- */
static char order[64];
static __thread int hook_tls;
static void append(char c)
{
    size_t n = strlen(order);
    if (n + 1 < sizeof order)
        order[n] = c;
}
static void attach_hook(void) { append('A'); hook_tls = 1; }
static void detach_hook(void) { append('D'); }

struct rt_arg {
    int mode;            /* 0 return 5, 1 rt_exit_thread(6) from a nested call */
    TEB *teb;
    void *stack_base;
    bool saw_own_teb;
    uint32_t code;
    int exited;          /* futex-free flag, polled by sched_yield */
};

static void rt_on_start(void *p, rt_thread *t) { append('S'); ((struct rt_arg *)p)->teb = t->teb; }

__attribute__((noinline)) static void nested_exit(void) { rt_exit_thread(6); }

static uint32_t rt_body(void *p)
{
    struct rt_arg *a = p;
    append('B');
    a->saw_own_teb = rt_current_teb() == a->teb && hook_tls == 1;
    a->stack_base = a->teb->NtTib.StackBase;
    int local;
    a->saw_own_teb &= (void *)&local < a->stack_base && (void *)&local > a->teb->NtTib.StackLimit;
    if (a->mode == 1)
        nested_exit();
    return 5;
}

static void rt_on_exit_cb(void *p, uint32_t code)
{
    struct rt_arg *a = p;
    append('E');
    a->code = code;
    __atomic_store_n(&a->exited, 1, __ATOMIC_RELEASE);
}

static void wait_exited(struct rt_arg *a)
{
    while (!__atomic_load_n(&a->exited, __ATOMIC_ACQUIRE))
        sched_yield();
    while (rt_threads_live() > 0) /* the wrapper is still freeing the TEB */
        sched_yield();
}

Test(threads, create_runs_hooks_body_and_exit_in_order)
{
    memset(order, 0, sizeof order);
    rt_on_thread_attach(attach_hook);
    rt_on_thread_detach(detach_hook);
    struct rt_arg a = {0};
    rt_thread_params p = {.stack_reserve = 0x100000, .on_start = rt_on_start, .body = rt_body,
                          .on_exit = rt_on_exit_cb, .arg = &a};
    cr_assert_eq(rt_thread_create(&p), 0);
    wait_exited(&a);
    cr_assert_str_eq(order, "SABDE", "order %s", order);
    cr_assert(a.saw_own_teb, "the body ran with its own TEB, hooks and foreign stack");
    cr_assert_eq(a.code, 5);
}

Test(threads, exit_thread_from_nested_call_still_detaches)
{
    memset(order, 0, sizeof order);
    rt_on_thread_attach(attach_hook);
    rt_on_thread_detach(detach_hook);
    struct rt_arg a = {.mode = 1};
    rt_thread_params p = {.on_start = rt_on_start, .body = rt_body, .on_exit = rt_on_exit_cb,
                          .arg = &a};
    cr_assert_eq(rt_thread_create(&p), 0);
    wait_exited(&a);
    cr_assert_str_eq(order, "SABDE", "order %s", order);
    cr_assert_eq(a.code, 6, "exit code %u", a.code);
}

/* ---- termination of a thread blocked in an NT wait, and the registry ---- */
static HANDLE never;
static uint32_t block_body(void *p)
{
    NtWaitForSingleObject(never, 0, NULL);
    return 1; /* not reached */
}

static void count_thread(rt_thread *t, void *ctx) { (*(int *)ctx)++; }

Test(threads, terminate_blocked_thread_ends_with_code)
{
    cr_assert_eq(NtCreateEvent(&never, 0x1f0003 /* EVENT_ALL_ACCESS: waits want SYNCHRONIZE */, NULL, NT_NOTIFICATION_EVENT, 0), STATUS_SUCCESS);
    struct rt_arg a = {0};
    rt_thread_params p = {.on_start = rt_on_start, .body = block_body, .on_exit = rt_on_exit_cb,
                          .arg = &a};
    cr_assert_eq(rt_thread_create(&p), 0);
    int n = 0;
    rt_threads_for_each(count_thread, &n);
    cr_assert_eq(n, 1, "one live foreign thread, got %d", n);
    int32_t tid = rt_thread_of(a.teb)->tid;
    cr_assert_eq(rt_thread_terminate(tid, 44), 0);
    wait_exited(&a);
    cr_assert_eq(a.code, 44, "exit code %u", a.code);
    cr_assert_eq(rt_thread_terminate(tid, 1), -ESRCH, "no longer live");
    NtClose(never);
}

/* ---- ntemu thread objects ---- */
static HANDLE gate;
static uint32_t gated_body(void *ctx)
{
    NtWaitForSingleObject(gate, 0, NULL);
    return (uint32_t)(uintptr_t)ctx;
}

Test(threads, native_thread_handle_waitable_with_exit_code)
{
    cr_assert_eq(NtCreateEvent(&gate, 0x1f0003, NULL, NT_NOTIFICATION_EVENT, 0), STATUS_SUCCESS);
    HANDLE h = NULL;
    int32_t tid = 0;
    cr_assert_eq(nt_thread_create_native(gated_body, (void *)17, 0, false, &h, &tid),
                 STATUS_SUCCESS);
    nt_thread_info info;
    cr_assert_eq(nt_thread_query(h, &info), STATUS_SUCCESS);
    cr_assert_eq(info.tid, tid);
    cr_assert_eq(info.exit_code, NT_STILL_ACTIVE);
    cr_assert_not_null(info.teb);
    LARGE_INTEGER zero = {.QuadPart = 0};
    cr_assert_eq((uint32_t)NtWaitForSingleObject(h, 0, &zero), (uint32_t)STATUS_TIMEOUT);
    NtSetEvent(gate, NULL);
    cr_assert_eq(NtWaitForSingleObject(h, 0, NULL), STATUS_WAIT_0);
    cr_assert_eq(nt_thread_query(h, &info), STATUS_SUCCESS);
    cr_assert_eq(info.exit_code, 17);
    cr_assert(info.exited);
    cr_assert_null(info.teb);
    NtClose(h);
    NtClose(gate);
}

Test(threads, suspended_thread_runs_after_resume)
{
    cr_assert_eq(NtCreateEvent(&gate, 0x1f0003, NULL, NT_NOTIFICATION_EVENT, 1), STATUS_SUCCESS);
    HANDLE h = NULL;
    cr_assert_eq(nt_thread_create_native(gated_body, (void *)3, 0, true, &h, NULL),
                 STATUS_SUCCESS);
    LARGE_INTEGER ms10 = {.QuadPart = -100000};
    cr_assert_eq((uint32_t)NtWaitForSingleObject(h, 0, &ms10), (uint32_t)STATUS_TIMEOUT,
                 "held suspended");
    uint32_t prev = 0;
    cr_assert_eq(NtSuspendThread(h, &prev), STATUS_SUCCESS, "still before its start");
    cr_assert_eq(prev, 1);
    cr_assert_eq(NtResumeThread(h, &prev), STATUS_SUCCESS);
    cr_assert_eq(prev, 2);
    cr_assert_eq(NtResumeThread(h, &prev), STATUS_SUCCESS);
    cr_assert_eq(prev, 1);
    cr_assert_eq(NtWaitForSingleObject(h, 0, NULL), STATUS_WAIT_0);
    cr_assert_eq(NtResumeThread(h, &prev), STATUS_SUCCESS);
    cr_assert_eq(prev, 0, "not suspended any more");
    NtClose(h);
    NtClose(gate);
}

Test(threads, terminate_thread_handle_of_waiting_thread)
{
    cr_assert_eq(NtCreateEvent(&gate, 0x1f0003, NULL, NT_NOTIFICATION_EVENT, 0), STATUS_SUCCESS);
    HANDLE h = NULL;
    cr_assert_eq(nt_thread_create_native(gated_body, NULL, 0, false, &h, NULL), STATUS_SUCCESS);
    cr_assert_eq(NtTerminateThread(h, 0x1234), STATUS_SUCCESS);
    cr_assert_eq(NtWaitForSingleObject(h, 0, NULL), STATUS_WAIT_0);
    nt_thread_info info;
    nt_thread_query(h, &info);
    cr_assert_eq(info.exit_code, 0x1234, "exit code %#x", info.exit_code);
    cr_assert_eq((uint32_t)NtTerminateThread((HANDLE)0xbad0, 0), (uint32_t)STATUS_INVALID_HANDLE);
    cr_assert_eq((uint32_t)NtTerminateThread(gate, 0), (uint32_t)STATUS_OBJECT_TYPE_MISMATCH);
    NtClose(h);
    NtClose(gate);
}
