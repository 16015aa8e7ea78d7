/* SPDX-License-Identifier: MIT */
/* Timer objects: NtCreateTimer, NtOpenTimer, NtSetTimer (one-shot or periodic, with an optional
 * APC for the thread that set it), NtCancelTimer, NtQueryTimer.
 *
 * A timer is waitable as an event is (nt_event first: a notification timer stays signalled, a
 * synchronization timer is reset by the wait it satisfies; see sync.c). Armed timers are on one
 * list under nt_timer_lock, watched by one native thread (all signals blocked, never armed for
 * SUD) that sleeps on a CLOCK_MONOTONIC condition variable until the earliest due time, then
 * signals every expired timer under nt_wait_lock (lock order: nt_timer_lock, then
 * nt_wait_lock), queues its APC, and re-arms periodic ones from their previous due time (no
 * drift). Setting a timer resets it to non-signalled, as on Windows. Each arming bumps a
 * generation so a due time replaced by a later NtSetTimer never fires. */
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include "ntemu/ntemu_private.h"

#define NT_NOTIFICATION_TIMER 0
#define NT_SYNCHRONIZATION_TIMER 1

typedef struct nt_timer {
    nt_event e;                /* signal state: under nt_wait_lock */
    /* the rest under nt_timer_lock */
    bool armed;
    int64_t due;               /* CLOCK_MONOTONIC ns */
    int64_t period_ns;         /* 0: one-shot */
    void *apc;                 /* PTIMER_APC_ROUTINE, or NULL */
    void *apc_ctx;
    nt_thread_obj *apc_thread; /* reference held while armed with an APC */
    struct nt_timer *prev, *next; /* the armed list */
} nt_timer;

static pthread_mutex_t nt_timer_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t nt_timer_cond;
static nt_timer *nt_armed;
static bool nt_timer_thread_started;

static void nt_timer_unlink(nt_timer *t)
{
    if (!t->armed)
        return;
    if (t->prev)
        t->prev->next = t->next;
    else
        nt_armed = t->next;
    if (t->next)
        t->next->prev = t->prev;
    t->prev = t->next = NULL;
    t->armed = false;
}

static void nt_timer_link(nt_timer *t)
{
    t->prev = NULL;
    t->next = nt_armed;
    if (nt_armed)
        nt_armed->prev = t;
    nt_armed = t;
    t->armed = true;
}

/* 100 ns FILETIME of now, for the APC's arguments. */
static int64_t nt_system_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return nt_time_from_timespec(&ts);
}

/* Under nt_timer_lock: fires every expired timer; returns the earliest remaining due time. */
static int64_t nt_timer_fire_expired(void)
{
    int64_t now = nt_mono_now(), next = INT64_MAX;
    for (nt_timer *t = nt_armed, *n; t; t = n) {
        n = t->next;
        if (t->due > now) {
            if (t->due < next)
                next = t->due;
            continue;
        }
        pthread_mutex_lock(&nt_wait_lock);
        t->e.signalled = true;
        nt_sync_wake(&t->e.s);
        if (t->apc && t->apc_thread) {
            int64_t ft = nt_system_now();
            nt_queue_apc_locked(t->apc_thread, t->apc, (uint64_t)(uintptr_t)t->apc_ctx,
                                (uint32_t)ft, (uint32_t)((uint64_t)ft >> 32));
        }
        pthread_mutex_unlock(&nt_wait_lock);
        if (t->period_ns > 0) {
            t->due += t->period_ns;
            if (t->due <= now) /* fell behind: the next period from now */
                t->due = now + t->period_ns;
            if (t->due < next)
                next = t->due;
        } else {
            nt_timer_unlink(t);
            if (t->apc_thread) {
                nt_object_release(&t->apc_thread->s.hdr); /* a thread object: no lock taken */
                t->apc_thread = NULL;
            }
        }
    }
    return next;
}

/* The timer thread: native, all signals blocked, never returns. */
static void *nt_timer_main(void *arg)
{
    (void)arg;
    pthread_mutex_lock(&nt_timer_lock);
    for (;;) {
        int64_t next = nt_timer_fire_expired();
        if (next == INT64_MAX) {
            pthread_cond_wait(&nt_timer_cond, &nt_timer_lock);
        } else {
            struct timespec ts = {next / 1000000000, next % 1000000000};
            pthread_cond_timedwait(&nt_timer_cond, &nt_timer_lock, &ts);
        }
    }
    return NULL;
}

/* Under nt_timer_lock. */
static NTSTATUS nt_timer_start_thread(void)
{
    if (nt_timer_thread_started)
        return STATUS_SUCCESS;
    pthread_condattr_t ca;
    pthread_condattr_init(&ca);
    pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
    pthread_cond_init(&nt_timer_cond, &ca);
    pthread_condattr_destroy(&ca);
    if (rt_service_thread_start(nt_timer_main, NULL, 64 * 1024, false) != 0)
        return STATUS_INSUFFICIENT_RESOURCES;
    nt_timer_thread_started = true;
    return STATUS_SUCCESS;
}

static void nt_timer_destroy(nt_object *o)
{
    nt_timer *t = (nt_timer *)o;
    pthread_mutex_lock(&nt_timer_lock);
    nt_timer_unlink(t);
    pthread_mutex_unlock(&nt_timer_lock);
    if (t->apc_thread)
        nt_object_release(&t->apc_thread->s.hdr);
    nt_sync_free_name(&t->e.s);
    free(t);
}

NTSTATUS NTAPI NtCreateTimer(HANDLE *handle, uint32_t access, const OBJECT_ATTRIBUTES *attr,
                             uint32_t type)
{
    HANDLE zero = NULL;
    if (nt_copy_to_user(handle, &zero, sizeof zero) != 0)
        return STATUS_ACCESS_VIOLATION;
    if (type != NT_NOTIFICATION_TIMER && type != NT_SYNCHRONIZATION_TIMER)
        return STATUS_INVALID_PARAMETER_4;
    nt_timer *t = calloc(1, sizeof *t);
    if (!t)
        return STATUS_NO_MEMORY;
    nt_object_init(&t->e.s.hdr, NT_OBJ_TIMER, nt_timer_destroy);
    t->e.manual = type == NT_NOTIFICATION_TIMER;
    return nt_create_named(&t->e.s, attr, handle);
}

NTSTATUS NTAPI NtOpenTimer(HANDLE *handle, uint32_t access, const OBJECT_ATTRIBUTES *attr)
{
    return nt_open_named(NT_OBJ_TIMER, attr, handle);
}

NTSTATUS NTAPI NtSetTimer(HANDLE h, const LARGE_INTEGER *due_time, void *apc, void *apc_ctx,
                          BOOLEAN resume, int32_t period_ms, BOOLEAN *prev_state)
{
    LARGE_INTEGER due;
    if (!due_time || nt_copy_from_user(&due, due_time, sizeof due) != 0)
        return STATUS_ACCESS_VIOLATION;
    if (period_ms < 0)
        return STATUS_INVALID_PARAMETER_6;
    int64_t deadline;
    NTSTATUS st;
    if (due.QuadPart == 0) {
        deadline = 0; /* absolute time 0: long past, due at once */
    } else {
        st = nt_wait_deadline(&due, &deadline);
        if (st != STATUS_SUCCESS)
            return st;
    }
    nt_object *o;
    st = nt_object_from_handle(h, NT_OBJ_TIMER, &o);
    if (st != STATUS_SUCCESS)
        return st;
    nt_timer *t = (nt_timer *)o;
    nt_thread_obj *self = apc ? nt_thread_current() : NULL;
    nt_thread_obj *old_thread;
    BOOLEAN before;
    pthread_mutex_lock(&nt_timer_lock);
    st = nt_timer_start_thread();
    if (st == STATUS_SUCCESS) {
        pthread_mutex_lock(&nt_wait_lock);
        before = t->e.signalled;
        t->e.signalled = false;
        pthread_mutex_unlock(&nt_wait_lock);
        nt_timer_unlink(t);
        old_thread = t->apc_thread;
        t->apc = apc;
        t->apc_ctx = apc_ctx;
        t->apc_thread = self;
        self = NULL;
        t->period_ns = (int64_t)period_ms * 1000000;
        t->due = deadline == 0 ? nt_mono_now() : deadline;
        if (deadline != INT64_MAX)
            nt_timer_link(t);
        pthread_cond_signal(&nt_timer_cond);
    }
    pthread_mutex_unlock(&nt_timer_lock);
    if (self)
        nt_object_release(&self->s.hdr);
    nt_object_release(o);
    if (st != STATUS_SUCCESS)
        return st;
    if (old_thread)
        nt_object_release(&old_thread->s.hdr);
    if (prev_state && nt_copy_to_user(prev_state, &before, sizeof before) != 0)
        return STATUS_ACCESS_VIOLATION;
    (void)resume; /* no system sleep to wake from */
    return STATUS_SUCCESS;
}

NTSTATUS NTAPI NtCancelTimer(HANDLE h, BOOLEAN *current_state)
{
    nt_object *o;
    NTSTATUS st = nt_object_from_handle(h, NT_OBJ_TIMER, &o);
    if (st != STATUS_SUCCESS)
        return st;
    nt_timer *t = (nt_timer *)o;
    pthread_mutex_lock(&nt_timer_lock);
    nt_timer_unlink(t);
    nt_thread_obj *old_thread = t->apc_thread;
    t->apc_thread = NULL;
    t->apc = NULL;
    pthread_mutex_lock(&nt_wait_lock);
    BOOLEAN state = t->e.signalled; /* cancelling leaves the signal state alone */
    pthread_mutex_unlock(&nt_wait_lock);
    pthread_mutex_unlock(&nt_timer_lock);
    if (old_thread)
        nt_object_release(&old_thread->s.hdr);
    nt_object_release(o);
    if (current_state && nt_copy_to_user(current_state, &state, sizeof state) != 0)
        return STATUS_ACCESS_VIOLATION;
    return STATUS_SUCCESS;
}

/* TimerBasicInformation (0): LARGE_INTEGER RemainingTime (100 ns), BOOLEAN TimerState. */
NTSTATUS NTAPI NtQueryTimer(HANDLE h, uint32_t klass, void *info, uint32_t len,
                            uint32_t *ret_len)
{
    struct {
        int64_t remaining; /* 0x00 */
        BOOLEAN state;     /* 0x08 */
        uint8_t pad[7];
    } b = {0};
    if (klass != 0)
        return STATUS_INVALID_INFO_CLASS;
    if (len != sizeof b)
        return STATUS_INFO_LENGTH_MISMATCH;
    if (!nt_probe_write(info, len) || (ret_len && !nt_probe_write(ret_len, sizeof *ret_len)))
        return STATUS_ACCESS_VIOLATION; /* nothing written, as Windows probes first */
    nt_object *o;
    NTSTATUS st = nt_object_from_handle(h, NT_OBJ_TIMER, &o);
    if (st != STATUS_SUCCESS)
        return st;
    nt_timer *t = (nt_timer *)o;
    pthread_mutex_lock(&nt_timer_lock);
    if (t->armed) {
        int64_t left = t->due - nt_mono_now();
        b.remaining = left > 0 ? left / 100 : 0;
    }
    pthread_mutex_lock(&nt_wait_lock);
    b.state = t->e.signalled;
    pthread_mutex_unlock(&nt_wait_lock);
    pthread_mutex_unlock(&nt_timer_lock);
    nt_object_release(o);
    if (nt_copy_to_user(info, &b, sizeof b) != 0)
        return STATUS_ACCESS_VIOLATION;
    uint32_t n = sizeof b;
    if (ret_len && nt_copy_to_user(ret_len, &n, sizeof n) != 0)
        return STATUS_ACCESS_VIOLATION;
    return STATUS_SUCCESS;
}
