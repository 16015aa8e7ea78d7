/* NT synchronisation objects and waits (ntemu/sync.c), driven from plain pthreads: manual and
 * auto-reset events, PulseEvent with and without waiters, mutant recursion, ownership and
 * abandonment, semaphore limits and bad parameters, WaitAll / WaitAny (including WaitAll taking
 * nothing until everything is signalled), relative / absolute / zero timeouts, wrong object type
 * and bad handles, bad pointers, NtDuplicateObject (same access, close source, pseudo handles),
 * named objects, and contention: many threads using an auto-reset event as a lock and a
 * semaphore as a queue count, with exact totals (a lost wake-up hangs, a stolen one miscounts). */
#include <criterion/criterion.h>
#include <pthread.h>
#include <string.h>
#include <time.h>
#include "ntemu/ntemu_private.h"

#define ST(x) ((uint32_t)(x))

/* Fault-safe user copies need the runtime's SIGSEGV handler. */
static void setup(void) { cr_assert_eq(rt_process_init(), 0); }
TestSuite(sync, .init = setup);

static HANDLE make_event(bool manual, bool initial)
{
    HANDLE h = NULL;
    NTSTATUS st = NtCreateEvent(&h, 0x1f0003, NULL,
                                manual ? NT_NOTIFICATION_EVENT : NT_SYNCHRONIZATION_EVENT, initial);
    cr_assert_eq(st, STATUS_SUCCESS, "NtCreateEvent: %#x", ST(st));
    return h;
}

static HANDLE make_semaphore(int32_t initial, int32_t max)
{
    HANDLE h = NULL;
    NTSTATUS st = NtCreateSemaphore(&h, 0x1f0003, NULL, initial, max);
    cr_assert_eq(st, STATUS_SUCCESS, "NtCreateSemaphore: %#x", ST(st));
    return h;
}

static NTSTATUS poll(HANDLE h)
{
    LARGE_INTEGER zero = {.QuadPart = 0};
    return NtWaitForSingleObject(h, 0, &zero);
}

static NTSTATUS wait_inf(HANDLE h) { return NtWaitForSingleObject(h, 0, NULL); }

Test(sync, event_manual_set_stays_signalled)
{
    HANDLE e = make_event(true, false);
    cr_assert_eq(ST(poll(e)), ST(STATUS_TIMEOUT), "unsignalled poll: %#x", ST(poll(e)));
    int32_t prev = -1;
    cr_assert_eq(NtSetEvent(e, &prev), STATUS_SUCCESS);
    cr_assert_eq(prev, 0, "previous state %d", prev);
    cr_assert_eq(ST(poll(e)), ST(STATUS_WAIT_0));
    cr_assert_eq(ST(wait_inf(e)), ST(STATUS_WAIT_0), "a manual event stays signalled");
    cr_assert_eq(NtSetEvent(e, &prev), STATUS_SUCCESS);
    cr_assert_eq(prev, 1, "previous state %d", prev);
    cr_assert_eq(NtResetEvent(e, &prev), STATUS_SUCCESS);
    cr_assert_eq(prev, 1);
    cr_assert_eq(ST(poll(e)), ST(STATUS_TIMEOUT));
    cr_assert_eq(NtClose(e), STATUS_SUCCESS);
}

Test(sync, event_auto_wait_resets)
{
    HANDLE e = make_event(false, true);
    cr_assert_eq(ST(poll(e)), ST(STATUS_WAIT_0));
    cr_assert_eq(ST(poll(e)), ST(STATUS_TIMEOUT), "the first wait reset it");
    NtSetEvent(e, NULL);
    NtSetEvent(e, NULL); /* setting twice does not count */
    cr_assert_eq(ST(poll(e)), ST(STATUS_WAIT_0));
    cr_assert_eq(ST(poll(e)), ST(STATUS_TIMEOUT));
    NtClose(e);
}

Test(sync, event_pulse_without_waiters_leaves_unsignalled)
{
    HANDLE e = make_event(true, false);
    int32_t prev = -1;
    cr_assert_eq(NtPulseEvent(e, &prev), STATUS_SUCCESS);
    cr_assert_eq(prev, 0);
    cr_assert_eq(ST(poll(e)), ST(STATUS_TIMEOUT));
    NtClose(e);
}

struct waiter_arg {
    HANDLE h;
    volatile int done;
    NTSTATUS st;
};

static void *waiter_thread(void *p)
{
    struct waiter_arg *a = p;
    a->st = wait_inf(a->h);
    __atomic_store_n(&a->done, 1, __ATOMIC_RELEASE);
    return NULL;
}

Test(sync, event_pulse_releases_a_waiter_and_resets)
{
    HANDLE e = make_event(true, false);
    struct waiter_arg a = {.h = e};
    pthread_t th;
    pthread_create(&th, NULL, waiter_thread, &a);
    /* Each pulse either finds the thread waiting (and releases it) or has no effect. */
    while (!__atomic_load_n(&a.done, __ATOMIC_ACQUIRE)) {
        NtPulseEvent(e, NULL);
        sched_yield();
    }
    pthread_join(th, NULL);
    cr_assert_eq(ST(a.st), ST(STATUS_WAIT_0), "waiter got %#x", ST(a.st));
    cr_assert_eq(ST(poll(e)), ST(STATUS_TIMEOUT), "pulse leaves the event reset");
    NtClose(e);
}

Test(sync, mutant_recursion_counts_releases)
{
    HANDLE m = NULL;
    cr_assert_eq(NtCreateMutant(&m, 0x1f0001, NULL, 1), STATUS_SUCCESS);
    cr_assert_eq(ST(poll(m)), ST(STATUS_WAIT_0), "the owner may wait again");
    int32_t prev = 99;
    cr_assert_eq(NtReleaseMutant(m, &prev), STATUS_SUCCESS);
    cr_assert_eq(prev, -1, "owned twice: signal state -1, got %d", prev);
    cr_assert_eq(NtReleaseMutant(m, &prev), STATUS_SUCCESS);
    cr_assert_eq(prev, 0, "owned once: signal state 0, got %d", prev);
    NTSTATUS st = NtReleaseMutant(m, &prev);
    cr_assert_eq(ST(st), ST(STATUS_MUTANT_NOT_OWNED), "third release: %#x", ST(st));
    NtClose(m);
}

struct mutant_arg {
    HANDLE m;
    NTSTATUS release, wait;
};

static void *mutant_other(void *p)
{
    struct mutant_arg *a = p;
    a->release = NtReleaseMutant(a->m, NULL);
    a->wait = poll(a->m);
    return NULL;
}

Test(sync, mutant_owned_elsewhere_not_released_nor_acquired)
{
    struct mutant_arg a = {0};
    cr_assert_eq(NtCreateMutant(&a.m, 0x1f0001, NULL, 1), STATUS_SUCCESS);
    pthread_t th;
    pthread_create(&th, NULL, mutant_other, &a);
    pthread_join(th, NULL);
    cr_assert_eq(ST(a.release), ST(STATUS_MUTANT_NOT_OWNED), "%#x", ST(a.release));
    cr_assert_eq(ST(a.wait), ST(STATUS_TIMEOUT), "%#x", ST(a.wait));
    NtClose(a.m);
}

static void *mutant_take_and_end(void *p)
{
    struct mutant_arg *a = p;
    a->wait = wait_inf(a->m);
    pthread_mutex_lock(&nt_wait_lock);
    nt_sync_abandon_mutants(nt_current_tid()); /* what a thread's end does */
    pthread_mutex_unlock(&nt_wait_lock);
    return NULL;
}

Test(sync, mutant_abandoned_reported_once)
{
    struct mutant_arg a = {0};
    cr_assert_eq(NtCreateMutant(&a.m, 0x1f0001, NULL, 0), STATUS_SUCCESS);
    pthread_t th;
    pthread_create(&th, NULL, mutant_take_and_end, &a);
    pthread_join(th, NULL);
    cr_assert_eq(ST(a.wait), ST(STATUS_WAIT_0));
    NTSTATUS st = poll(a.m);
    cr_assert_eq(ST(st), ST(STATUS_ABANDONED_WAIT_0), "got %#x", ST(st));
    cr_assert_eq(NtReleaseMutant(a.m, NULL), STATUS_SUCCESS);
    cr_assert_eq(ST(poll(a.m)), ST(STATUS_WAIT_0), "abandonment is reported once");
    NtClose(a.m);
}

Test(sync, semaphore_limits_and_parameters)
{
    HANDLE h = NULL;
    cr_assert_eq(ST(NtCreateSemaphore(&h, 0, NULL, 4, 3)), ST(STATUS_INVALID_PARAMETER));
    cr_assert_eq(ST(NtCreateSemaphore(&h, 0, NULL, 0, 0)), ST(STATUS_INVALID_PARAMETER));
    cr_assert_eq(ST(NtCreateSemaphore(&h, 0, NULL, -1, 3)), ST(STATUS_INVALID_PARAMETER));
    HANDLE s = make_semaphore(2, 3);
    int32_t prev = 77;
    NTSTATUS st = NtReleaseSemaphore(s, 2, &prev);
    cr_assert_eq(ST(st), ST(STATUS_SEMAPHORE_LIMIT_EXCEEDED), "%#x", ST(st));
    cr_assert_eq(prev, 77, "no previous count on failure");
    cr_assert_eq(ST(NtReleaseSemaphore(s, 0, NULL)), ST(STATUS_INVALID_PARAMETER));
    cr_assert_eq(NtReleaseSemaphore(s, 1, &prev), STATUS_SUCCESS);
    cr_assert_eq(prev, 2);
    for (int i = 0; i < 3; i++)
        cr_assert_eq(ST(poll(s)), ST(STATUS_WAIT_0), "take %d", i);
    cr_assert_eq(ST(poll(s)), ST(STATUS_TIMEOUT));
    NtClose(s);
}

Test(sync, wait_any_gives_lowest_signalled_index)
{
    HANDLE h[3] = {make_event(true, false), make_semaphore(1, 1), make_event(true, true)};
    LARGE_INTEGER zero = {.QuadPart = 0};
    NTSTATUS st = NtWaitForMultipleObjects(3, h, NT_WAIT_ANY, 0, &zero);
    cr_assert_eq(ST(st), ST(STATUS_WAIT_0 + 1), "got %#x", ST(st));
    st = NtWaitForMultipleObjects(3, h, NT_WAIT_ANY, 0, &zero);
    cr_assert_eq(ST(st), ST(STATUS_WAIT_0 + 2), "the semaphore was taken: %#x", ST(st));
    for (int i = 0; i < 3; i++)
        NtClose(h[i]);
}

Test(sync, wait_all_takes_nothing_until_all_signalled)
{
    HANDLE h[2] = {make_event(false, false), make_semaphore(1, 5)};
    LARGE_INTEGER zero = {.QuadPart = 0};
    NTSTATUS st = NtWaitForMultipleObjects(2, h, NT_WAIT_ALL, 0, &zero);
    cr_assert_eq(ST(st), ST(STATUS_TIMEOUT), "%#x", ST(st));
    cr_assert_eq(ST(poll(h[1])), ST(STATUS_WAIT_0), "the semaphore was left alone");
    NtReleaseSemaphore(h[1], 1, NULL);
    NtSetEvent(h[0], NULL);
    st = NtWaitForMultipleObjects(2, h, NT_WAIT_ALL, 0, &zero);
    cr_assert_eq(ST(st), ST(STATUS_WAIT_0), "%#x", ST(st));
    cr_assert_eq(ST(poll(h[0])), ST(STATUS_TIMEOUT), "the auto event was reset");
    cr_assert_eq(ST(poll(h[1])), ST(STATUS_TIMEOUT), "the semaphore was taken");
    for (int i = 0; i < 2; i++)
        NtClose(h[i]);
}

struct all_arg {
    HANDLE h[2];
    NTSTATUS st;
};

static void *wait_all_thread(void *p)
{
    struct all_arg *a = p;
    a->st = NtWaitForMultipleObjects(2, a->h, NT_WAIT_ALL, 0, NULL);
    return NULL;
}

Test(sync, wait_all_blocking_wakes_when_last_is_set)
{
    struct all_arg a = {{make_event(false, false), make_event(false, false)}, -1};
    pthread_t th;
    pthread_create(&th, NULL, wait_all_thread, &a);
    NtSetEvent(a.h[0], NULL);
    NtSetEvent(a.h[1], NULL);
    pthread_join(th, NULL);
    cr_assert_eq(ST(a.st), ST(STATUS_WAIT_0), "%#x", ST(a.st));
    cr_assert_eq(ST(poll(a.h[0])), ST(STATUS_TIMEOUT));
    cr_assert_eq(ST(poll(a.h[1])), ST(STATUS_TIMEOUT));
    NtClose(a.h[0]);
    NtClose(a.h[1]);
}

Test(sync, wait_multiple_bad_parameters)
{
    HANDLE h[65];
    HANDLE e = make_event(true, true);
    for (int i = 0; i < 65; i++)
        h[i] = e;
    cr_assert_eq(ST(NtWaitForMultipleObjects(0, h, NT_WAIT_ANY, 0, NULL)),
                 ST(STATUS_INVALID_PARAMETER_1));
    cr_assert_eq(ST(NtWaitForMultipleObjects(65, h, NT_WAIT_ANY, 0, NULL)),
                 ST(STATUS_INVALID_PARAMETER_1));
    cr_assert_eq(ST(NtWaitForMultipleObjects(2, h, NT_WAIT_ALL, 0, NULL)),
                 ST(STATUS_INVALID_PARAMETER_MIX), "the same object twice in WaitAll");
    cr_assert_eq(ST(NtWaitForMultipleObjects(64, h, NT_WAIT_ANY, 0, NULL)), ST(STATUS_WAIT_0),
                 "64 is allowed, duplicates too for WaitAny");
    cr_assert_eq(ST(NtWaitForMultipleObjects(2, (HANDLE *)8, NT_WAIT_ANY, 0, NULL)),
                 ST(STATUS_ACCESS_VIOLATION));
    NtClose(e);
}

Test(sync, timeouts_relative_absolute_and_bad_pointer)
{
    HANDLE e = make_event(true, false);
    LARGE_INTEGER rel = {.QuadPart = -10 * 10000}; /* 10 ms */
    cr_assert_eq(ST(NtWaitForSingleObject(e, 0, &rel)), ST(STATUS_TIMEOUT));
    LARGE_INTEGER past = {.QuadPart = 1}; /* 1601: long gone */
    cr_assert_eq(ST(NtWaitForSingleObject(e, 0, &past)), ST(STATUS_TIMEOUT));
    struct timespec now;
    clock_gettime(CLOCK_REALTIME, &now);
    LARGE_INTEGER abs = {.QuadPart = nt_time_from_timespec(&now) + 10 * 10000};
    cr_assert_eq(ST(NtWaitForSingleObject(e, 0, &abs)), ST(STATUS_TIMEOUT));
    cr_assert_eq(ST(NtWaitForSingleObject(e, 0, (LARGE_INTEGER *)8)), ST(STATUS_ACCESS_VIOLATION));
    NtSetEvent(e, NULL);
    cr_assert_eq(ST(NtWaitForSingleObject(e, 0, &rel)), ST(STATUS_WAIT_0));
    NtClose(e);
}

Test(sync, wrong_type_and_bad_handle)
{
    HANDLE s = make_semaphore(0, 1);
    HANDLE e = make_event(true, false);
    cr_assert_eq(ST(NtSetEvent(s, NULL)), ST(STATUS_OBJECT_TYPE_MISMATCH));
    cr_assert_eq(ST(NtReleaseMutant(e, NULL)), ST(STATUS_OBJECT_TYPE_MISMATCH));
    cr_assert_eq(ST(NtReleaseSemaphore(e, 1, NULL)), ST(STATUS_OBJECT_TYPE_MISMATCH));
    cr_assert_eq(ST(NtSetEvent((HANDLE)0xbad0, NULL)), ST(STATUS_INVALID_HANDLE));
    cr_assert_eq(ST(NtSetEvent(NULL, NULL)), ST(STATUS_INVALID_HANDLE));
    cr_assert_eq(ST(poll((HANDLE)0xbad0)), ST(STATUS_INVALID_HANDLE));
    cr_assert_eq(ST(NtSetEvent(NtCurrentThread(), NULL)), ST(STATUS_OBJECT_TYPE_MISMATCH));
    cr_assert_eq(ST(poll(NtCurrentProcess())), ST(STATUS_TIMEOUT), "the process never ends here");
    HANDLE out;
    cr_assert_eq(ST(NtCreateEvent((HANDLE *)8, 0, NULL, 0, 0)), ST(STATUS_ACCESS_VIOLATION));
    cr_assert_eq(ST(NtCreateEvent(&out, 0, NULL, 7, 0)), ST(STATUS_INVALID_PARAMETER));
    NtClose(s);
    NtClose(e);
}

Test(sync, duplicate_same_object_and_close_source)
{
    HANDLE e = make_event(false, false), d = NULL, d2 = NULL;
    cr_assert_eq(NtDuplicateObject(NtCurrentProcess(), e, NtCurrentProcess(), &d, 0, 0, 2),
                 STATUS_SUCCESS);
    cr_assert_neq(d, e);
    NtSetEvent(d, NULL);
    cr_assert_eq(ST(poll(e)), ST(STATUS_WAIT_0), "one object behind both handles");
    cr_assert_eq(NtDuplicateObject(NtCurrentProcess(), d, NtCurrentProcess(), &d2, 0, 0, 1 | 2),
                 STATUS_SUCCESS);
    cr_assert_eq(ST(NtSetEvent(d, NULL)), ST(STATUS_INVALID_HANDLE), "source closed");
    cr_assert_eq(NtSetEvent(d2, NULL), STATUS_SUCCESS);
    cr_assert_eq(ST(NtDuplicateObject(NtCurrentProcess(), (HANDLE)0xbad0, NtCurrentProcess(), &d,
                                      0, 0, 2)), ST(STATUS_INVALID_HANDLE));
    cr_assert_eq(ST(NtDuplicateObject(e, e, NtCurrentProcess(), &d, 0, 0, 2)),
                 ST(STATUS_OBJECT_TYPE_MISMATCH), "an event is no process handle");
    HANDLE th = NULL;
    cr_assert_eq(NtDuplicateObject(NtCurrentProcess(), NtCurrentThread(), NtCurrentProcess(), &th,
                                   0, 0, 2), STATUS_SUCCESS);
    cr_assert_eq(ST(NtSetEvent(th, NULL)), ST(STATUS_OBJECT_TYPE_MISMATCH), "a thread handle");
    nt_thread_info info;
    cr_assert_eq(nt_thread_query(th, &info), STATUS_SUCCESS);
    cr_assert_eq(info.exit_code, NT_STILL_ACTIVE);
    cr_assert_eq(info.tid, nt_current_tid());
    NtClose(th);
    NtClose(e);
    NtClose(d2);
}

static void init_name(UNICODE_STRING *us, OBJECT_ATTRIBUTES *attr, const WCHAR *name)
{
    us->Buffer = (WCHAR *)name;
    us->Length = us->MaximumLength = (uint16_t)(nt_wcslen(name) * 2);
    memset(attr, 0, sizeof *attr);
    attr->Length = sizeof *attr;
    attr->ObjectName = us;
}

Test(sync, named_objects_open_existing_or_mismatch)
{
    UNICODE_STRING us;
    OBJECT_ATTRIBUTES attr;
    init_name(&us, &attr, u"ntrun-test-event");
    HANDLE a = NULL, b = NULL, c = NULL;
    cr_assert_eq(NtCreateEvent(&a, 0x1f0003 /* EVENT_ALL_ACCESS */, &attr, NT_NOTIFICATION_EVENT, 0), STATUS_SUCCESS);
    NTSTATUS st = NtCreateEvent(&b, 0x1f0003, &attr, NT_SYNCHRONIZATION_EVENT, 1);
    cr_assert_eq(ST(st), ST(STATUS_OBJECT_NAME_EXISTS), "%#x", ST(st));
    cr_assert_eq(ST(poll(a)), ST(STATUS_TIMEOUT), "the existing event, not a new one");
    NtSetEvent(b, NULL);
    cr_assert_eq(ST(poll(a)), ST(STATUS_WAIT_0));
    cr_assert_eq(ST(NtCreateMutant(&c, 0, &attr, 0)), ST(STATUS_OBJECT_TYPE_MISMATCH));
    cr_assert_eq(NtOpenEvent(&c, 0, &attr), STATUS_SUCCESS);
    NtClose(c);
    NtClose(a);
    NtClose(b);
    cr_assert_eq(ST(NtOpenEvent(&c, 0, &attr)), ST(STATUS_OBJECT_NAME_NOT_FOUND),
                 "the name went with its last handle");
}

/* ---- contention ---- */
static HANDLE lock_event, items, space;
static long shared_counter;
static long consumed;

static void *lock_worker(void *p)
{
    for (int i = 0; i < 5000; i++) {
        NTSTATUS st = wait_inf(lock_event);
        if (st != STATUS_WAIT_0)
            return (void *)1;
        shared_counter++;
        NtSetEvent(lock_event, NULL);
    }
    return NULL;
}

Test(sync, contention_auto_event_as_lock_counts_exactly)
{
    lock_event = make_event(false, true);
    shared_counter = 0;
    pthread_t th[4];
    for (int i = 0; i < 4; i++)
        pthread_create(&th[i], NULL, lock_worker, NULL);
    for (int i = 0; i < 4; i++) {
        void *r;
        pthread_join(th[i], &r);
        cr_assert_null(r);
    }
    cr_assert_eq(shared_counter, 20000, "counter %ld", shared_counter);
    NtClose(lock_event);
}

static void *producer(void *p)
{
    for (int i = 0; i < 5000; i++) {
        wait_inf(space);
        NtReleaseSemaphore(items, 1, NULL);
    }
    return NULL;
}

static void *consumer(void *p)
{
    for (int i = 0; i < 5000; i++) {
        wait_inf(items);
        __atomic_add_fetch(&consumed, 1, __ATOMIC_RELAXED);
        NtReleaseSemaphore(space, 1, NULL);
    }
    return NULL;
}

Test(sync, contention_semaphores_bounded_queue)
{
    items = make_semaphore(0, 4);
    space = make_semaphore(4, 4);
    consumed = 0;
    pthread_t th[4];
    pthread_create(&th[0], NULL, producer, NULL);
    pthread_create(&th[1], NULL, producer, NULL);
    pthread_create(&th[2], NULL, consumer, NULL);
    pthread_create(&th[3], NULL, consumer, NULL);
    for (int i = 0; i < 4; i++)
        pthread_join(th[i], NULL);
    cr_assert_eq(consumed, 10000);
    cr_assert_eq(ST(poll(items)), ST(STATUS_TIMEOUT), "every item consumed");
    int32_t prev = -1;
    cr_assert_eq(ST(NtReleaseSemaphore(space, 1, &prev)), ST(STATUS_SEMAPHORE_LIMIT_EXCEEDED),
                 "all space returned");
    NtClose(items);
    NtClose(space);
}

Test(sync, query_basic_information_of_each_type)
{
    HANDLE e = make_event(false, true), s = make_semaphore(2, 5), m = NULL;
    cr_assert_eq(NtCreateMutant(&m, 0x1f0001 /* MUTANT_ALL_ACCESS */, NULL, 1), STATUS_SUCCESS);
    int32_t ev[2] = {-1, -1}, sv[2] = {-1, -1};
    uint32_t len = 0;
    cr_assert_eq(NtQueryEvent(e, 0, ev, sizeof ev, &len), STATUS_SUCCESS);
    cr_assert(ev[0] == NT_SYNCHRONIZATION_EVENT && ev[1] == 1 && len == 8, "%d %d %u", ev[0],
              ev[1], len);
    cr_assert_eq(NtQuerySemaphore(s, 0, sv, sizeof sv, NULL), STATUS_SUCCESS);
    cr_assert(sv[0] == 2 && sv[1] == 5, "%d %d", sv[0], sv[1]);
    struct { int32_t count; uint8_t owned, abandoned, pad[2]; } mv = {0};
    cr_assert_eq(NtQueryMutant(m, 0, &mv, sizeof mv, NULL), STATUS_SUCCESS);
    cr_assert(mv.count == 0 && mv.owned == 1 && mv.abandoned == 0, "%d %d %d", mv.count,
              mv.owned, mv.abandoned);
    cr_assert_eq(ST(NtQueryEvent(e, 0, ev, 4, NULL)), ST(STATUS_INFO_LENGTH_MISMATCH));
    cr_assert_eq(ST(NtQueryEvent(e, 1, ev, sizeof ev, NULL)), ST(STATUS_INVALID_INFO_CLASS));
    cr_assert_eq(ST(NtQueryEvent(s, 0, ev, sizeof ev, NULL)), ST(STATUS_OBJECT_TYPE_MISMATCH));
    cr_assert_eq(ST(NtQuerySemaphore(s, 0, (void *)8, 8, NULL)), ST(STATUS_ACCESS_VIOLATION));
    NtClose(e);
    NtClose(s);
    NtClose(m);
}

Test(sync, open_thread_by_id)
{
    HANDLE h = NULL;
    nt_thread_obj *self = nt_thread_current(); /* this thread's object exists from now on */
    cr_assert_not_null(self);
    CLIENT_ID cid = {NULL, (HANDLE)(uintptr_t)nt_current_tid()};
    cr_assert_eq(NtOpenThread(&h, 0, NULL, &cid), STATUS_SUCCESS);
    nt_thread_info info;
    cr_assert_eq(nt_thread_query(h, &info), STATUS_SUCCESS);
    cr_assert_eq(info.tid, nt_current_tid());
    NtClose(h);
    CLIENT_ID bad = {NULL, (HANDLE)(uintptr_t)0x7ffffff0};
    cr_assert_eq(ST(NtOpenThread(&h, 0, NULL, &bad)), ST(STATUS_INVALID_CID));
    cr_assert_eq(ST(NtOpenThread(&h, 0, NULL, (CLIENT_ID *)8)), ST(STATUS_ACCESS_VIOLATION));
    nt_object_release(&self->s.hdr);
}
