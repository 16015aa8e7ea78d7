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
 * generation so a due time replaced by a later NtSetTimer never fires.
 *
 * A timer whose handle travels to another process (a name opened there, inheritance,
 * DuplicateHandle) is shared from then on, in every process that has it: its signal state moves
 * into an eventfd, as a shared event's (a notification timer is a manual-reset event, a
 * synchronization timer an auto-reset one: the wait it satisfies reads the eventfd to 0), and
 * its arming into a shared page (nt_timer_page): a generation every NtSetTimer and NtCancelTimer
 * adds 1 to, in whatever process, and the next due time. The process whose NtSetTimer armed the
 * timer fires it from its own timer thread, as above, but only while the page's generation is
 * still the one its arming made (a later NtSetTimer or NtCancelTimer elsewhere takes the timer
 * over or stops it; the earlier arming is dropped when it comes due). Setting and firing hold the
 * page's lock word (a spin lock for a few system calls; one its holder left by dying is taken
 * over after 100 ms), so a firing whose arming was replaced cannot signal after the new arming
 * has reset the state. An APC goes to the setting thread, as on Windows. The page also names the
 * armer (its process id, nt_self_proc_id) and the period: when the armer ends, or closes its
 * last handle (armer 0), with the timer still armed, the first process to look (a wait on the
 * timer before it sleeps, NtQueryTimer) takes the schedule over and fires it from its own timer
 * thread, as the object lives on while any handle is open; a wait that sleeps meanwhile polls a
 * pidfd of the armer, so its end wakes the wait to take over. The page's generation says the
 * arming changed: NtSetTimer and NtCancelTimer, in whatever process, add 1 to it, and a wait
 * that sleeps on a shared timer goes round when it differs from the one it saw
 * (nt_timer_arming_changed), to watch the new armer, or take the schedule over when that armer
 * has ended already: an arming made elsewhere after the wait began, whose armer ends before its
 * first expiry, still fires here. The doorbell that sends the wait round is a futex word in the
 * page (bell): NtSetTimer, NtCancelTimer and an armer that lets go of the timer (its last handle
 * closed while armed) add 1 to it and wake it (a shared futex: every process that maps the
 * page); in each process one native "bell" thread waits on the bell words of all its shared
 * timers at once (futex_waitv, Linux 5.16) and sends the waiters of a timer whose bell moved
 * round (nt_sync_retry_waiters: the thread waits, and the watcher of the thread-less ones). No
 * fd travels for it and nobody drains it: a word that moved since it was looked at makes the
 * wait return at once. Without futex_waitv, and for the shared timers of a process beyond the
 * first NT_TIMER_BELLS, the waits look at the generation every NT_TIMER_BELL_NS instead
 * (nt_timer_bell_polled says which; the poll of the sleep is cut to that), as all did before
 * 2026-12-07. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/futex.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>
#include "ntemu/ntemu_private.h"

#define NT_NOTIFICATION_TIMER 0
#define NT_SYNCHRONIZATION_TIMER 1

/* The arming of a shared timer, in a page every process that has it maps. */
typedef struct nt_timer_page {
    uint64_t gen;  /* 0x00: the current arming; NtSetTimer and NtCancelTimer add 1 */
    int64_t due;   /* 0x08: CLOCK_MONOTONIC ns of its next expiry; 0: not armed */
    uint32_t lock; /* 0x10: 1 while a process sets or fires it */
    uint32_t bell; /* 0x14: a shared futex word: 1 added, and every process's bell thread woken,
                      when the arming changes (NtSetTimer, NtCancelTimer, an armer letting go) */
    uint64_t armer;  /* 0x18: the id (nt_self_proc_id) of the process that fires it */
    int64_t period;  /* 0x20: ns, 0: one-shot */
} nt_timer_page;
_Static_assert(offsetof(nt_timer_page, bell) == 0x14, "nt_timer_page layout");
_Static_assert(offsetof(nt_timer_page, armer) == 0x18, "nt_timer_page layout");
_Static_assert(offsetof(nt_timer_page, period) == 0x20, "nt_timer_page layout");

typedef struct nt_timer {
    nt_event e;                /* signal state: under nt_wait_lock (e.efd once shared) */
    nt_timer_page *page;       /* shared: its arming page (pfd its memfd); NULL else */
    int pfd;
    /* the rest under nt_timer_lock */
    bool armed;
    int64_t due;               /* CLOCK_MONOTONIC ns */
    int64_t period_ns;         /* 0: one-shot */
    void *apc;                 /* PTIMER_APC_ROUTINE, or NULL */
    void *apc_ctx;
    nt_thread_obj *apc_thread; /* reference held while armed with an APC */
    uint64_t gen;              /* shared: the page's generation our arming made */
    uint64_t watch_id;         /* shared, armed elsewhere: the armer watch_fd watches (0: none) */
    int watch_fd;              /* ... a pidfd of it */
    bool belled;               /* shared: on the bell thread's list (nt_timer_bell_add) */
    uint32_t bell_seen;        /* ... the page's bell word when the bell thread last looked */
    struct nt_timer *prev, *next; /* the armed list */
} nt_timer;

/* The page's lock word: held for a few system calls, so a holder that does not let go within
 * 100 ms has died holding it (kill -9) and it is taken over. */
static void nt_timer_page_lock(nt_timer_page *p)
{
    int64_t give_up = 0;
    for (;;) {
        uint32_t free_word = 0;
        if (__atomic_compare_exchange_n(&p->lock, &free_word, 1, false, __ATOMIC_ACQUIRE,
                                        __ATOMIC_RELAXED))
            return;
        int64_t now = nt_mono_now();
        if (!give_up)
            give_up = now + 100000000;
        else if (now >= give_up)
            return; /* (its holder is gone: ours now) */
        sched_yield();
    }
}

static void nt_timer_page_unlock(nt_timer_page *p) { __atomic_store_n(&p->lock, 0, __ATOMIC_RELEASE); }

/* Under nt_wait_lock: signals t (shared: into its eventfd, for every process). */
static void nt_timer_signal(nt_timer *t)
{
    if (t->e.shared)
        nt_fd_give(t->e.efd, 1);
    else
        t->e.signalled = true;
    nt_sync_wake(&t->e.s);
}

/* Under nt_wait_lock: the signal state before a reset, and the reset. */
static BOOLEAN nt_timer_reset(nt_timer *t)
{
    BOOLEAN before = t->e.shared ? nt_fd_readable(t->e.efd) : t->e.signalled;
    if (t->e.shared)
        nt_fd_take(t->e.efd);
    t->e.signalled = false;
    return before;
}

static BOOLEAN nt_timer_state(nt_timer *t)
{
    return t->e.shared ? nt_fd_readable(t->e.efd) : t->e.signalled;
}

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
        if (t->page) {
            nt_timer_page_lock(t->page);
            if (__atomic_load_n(&t->page->gen, __ATOMIC_ACQUIRE) != t->gen) {
                nt_timer_page_unlock(t->page); /* set or cancelled elsewhere since */
                nt_timer_unlink(t);
                if (t->apc_thread) {
                    nt_object_release(&t->apc_thread->s.hdr);
                    t->apc_thread = NULL;
                }
                continue;
            }
        }
        pthread_mutex_lock(&nt_wait_lock);
        nt_timer_signal(t);
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
        }
        if (t->page) {
            __atomic_store_n(&t->page->due, t->armed ? t->due : 0, __ATOMIC_RELEASE);
            nt_timer_page_unlock(t->page);
        }
        if (!t->armed && t->apc_thread) {
            nt_object_release(&t->apc_thread->s.hdr); /* a thread object: no lock taken */
            t->apc_thread = NULL;
        }
    }
    return next;
}

/* The timer thread: native, all signals blocked, never returns. Its sleep until the earliest due
 * time (a futex wait with that deadline) asks for 1 ns of timer slack: with the default 50 us
 * the kernel may fire it up to 50 us late, and does under load (measured: 100 us waits
 * overshoot by 81-83 us median, 30 us with 1 ns slack, as a timerfd does), and every ntrun timer
 * is a high-resolution one. Named for `top -H`, gdb and the unit test that checks the slack. */
static void *nt_timer_main(void *arg)
{
    (void)arg;
    prctl(PR_SET_TIMERSLACK, 1UL, 0UL, 0UL, 0UL); /* 0 would mean "the default" */
    prctl(PR_SET_NAME, "ntrun-timer", 0UL, 0UL, 0UL);
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

/* ---- the bell thread ----
 * One native thread (all signals blocked, never armed for SUD), started with the first shared
 * timer, waits with futex_waitv on its own list word and on the bell word of each shared timer
 * of this process (at most NT_TIMER_BELLS: futex_waitv takes 128 words); when a bell has moved
 * since it last looked, the waits on that timer go round (nt_sync_retry_waiters). A wait that
 * saw the old generation and linked itself after the bell thread looked sees the new one in its
 * own check before it sleeps (sync.c): no ring is lost between the two. */
#define NT_TIMER_BELLS 127
static nt_timer *nt_bell_list[NT_TIMER_BELLS]; /* under nt_timer_lock */
static size_t nt_bell_n;
static uint32_t nt_bell_list_word; /* private futex word: 1 added when the list changes */
static int nt_bell_state;          /* 0: not started, 1: running, -1: not available (polls) */
#define NT_TIMER_LET_GO_SEEN (1ULL << 63) /* in a generation seen: armed, armer 0 */

/* Rings a shared timer's bell, in every process that maps its page: after its arming changed
 * (the page's lock word let go). */
static void nt_timer_ring(nt_timer_page *p)
{
    __atomic_add_fetch(&p->bell, 1, __ATOMIC_SEQ_CST);
    syscall(SYS_futex, &p->bell, FUTEX_WAKE, INT_MAX, NULL, NULL, 0);
}

/* Under nt_timer_lock. */
static void nt_timer_bell_list_changed(void)
{
    __atomic_add_fetch(&nt_bell_list_word, 1, __ATOMIC_SEQ_CST);
    syscall(SYS_futex, &nt_bell_list_word, FUTEX_WAKE_PRIVATE, 1, NULL, NULL, 0);
}

static void *nt_timer_bell_main(void *arg)
{
    (void)arg;
    prctl(PR_SET_NAME, "ntrun-tbell", 0UL, 0UL, 0UL);
    struct futex_waitv v[NT_TIMER_BELLS + 1];
    int errors = 0; /* failed waits in a row, but for a word that moved or a signal */
    pthread_mutex_lock(&nt_timer_lock);
    for (;;) {
        for (size_t i = 0; i < nt_bell_n; i++) {
            nt_timer *t = nt_bell_list[i];
            uint32_t bell = __atomic_load_n(&t->page->bell, __ATOMIC_ACQUIRE);
            if (bell != t->bell_seen) {
                t->bell_seen = bell;
                pthread_mutex_lock(&nt_wait_lock);
                nt_sync_retry_waiters(&t->e.s);
                pthread_mutex_unlock(&nt_wait_lock);
            }
        }
        if (errors >= 100) { /* never seen: the waits poll the generation from now on */
            __atomic_store_n(&nt_bell_state, -1, __ATOMIC_RELEASE);
            for (size_t i = 0; i < nt_bell_n; i++) {
                nt_bell_list[i]->belled = false;
                pthread_mutex_lock(&nt_wait_lock);
                nt_sync_retry_waiters(&nt_bell_list[i]->e.s);
                pthread_mutex_unlock(&nt_wait_lock);
            }
            nt_bell_n = 0;
            pthread_mutex_unlock(&nt_timer_lock);
            return NULL;
        }
        memset(v, 0, sizeof v);
        v[0].val = __atomic_load_n(&nt_bell_list_word, __ATOMIC_ACQUIRE);
        v[0].uaddr = (uintptr_t)&nt_bell_list_word;
        v[0].flags = FUTEX_32 | FUTEX_PRIVATE_FLAG;
        size_t n = 1;
        for (size_t i = 0; i < nt_bell_n; i++, n++) {
            v[n].val = nt_bell_list[i]->bell_seen;
            v[n].uaddr = (uintptr_t)&nt_bell_list[i]->page->bell;
            v[n].flags = FUTEX_32; /* shared: rung from other processes */
        }
        pthread_mutex_unlock(&nt_timer_lock);
        /* EAGAIN: a word moved since it was read; EFAULT: a timer destroyed since, its page
         * unmapped (it left the list first, and the list word moved) */
        long r = syscall(SYS_futex_waitv, v, (unsigned)n, 0, NULL, 0);
        int e = r < 0 ? errno : 0;
        if (r >= 0 || e == EAGAIN || e == EINTR)
            errors = 0;
        else if (++errors > 1) {
            struct timespec ms = {0, 1000000};
            nanosleep(&ms, NULL);
        }
        pthread_mutex_lock(&nt_timer_lock);
    }
    return NULL;
}

/* Under nt_timer_lock: t has just become shared (an export, an import): its bell is watched,
 * when the bell thread runs (started here the first time) and has room. */
static void nt_timer_bell_add(nt_timer *t)
{
    if (nt_bell_state == 0) {
        /* futex_waitv (Linux 5.16): no words is EINVAL where it exists */
        long r = syscall(SYS_futex_waitv, NULL, 0, 0, NULL, 0);
        int state = -1;
        if (!(r < 0 && errno == ENOSYS) &&
            rt_service_thread_start(nt_timer_bell_main, NULL, 64 * 1024, false) == 0)
            state = 1;
        __atomic_store_n(&nt_bell_state, state, __ATOMIC_RELEASE);
    }
    if (nt_bell_state != 1 || t->belled || nt_bell_n == NT_TIMER_BELLS)
        return;
    t->bell_seen = __atomic_load_n(&t->page->bell, __ATOMIC_ACQUIRE);
    __atomic_store_n(&t->belled, true, __ATOMIC_RELEASE);
    nt_bell_list[nt_bell_n++] = t;
    nt_timer_bell_list_changed();
}

/* Under nt_timer_lock: t is being destroyed; its page is unmapped after this. */
static void nt_timer_bell_remove(nt_timer *t)
{
    if (!t->belled)
        return;
    for (size_t i = 0; i < nt_bell_n; i++)
        if (nt_bell_list[i] == t) {
            nt_bell_list[i] = nt_bell_list[--nt_bell_n];
            break;
        }
    t->belled = false;
    nt_timer_bell_list_changed();
}

bool nt_timer_bell_polled(nt_object *o)
{
    nt_timer *t = (nt_timer *)o;
    return o->type == NT_OBJ_TIMER && t->page &&
           (!__atomic_load_n(&t->belled, __ATOMIC_ACQUIRE) ||
            __atomic_load_n(&nt_bell_state, __ATOMIC_ACQUIRE) != 1);
}

/* A shared timer armed by another process (sync.c's waits, before each sleep; NtQueryTimer):
 * when that process has ended, or has closed its last handle (armer 0), with the timer still
 * armed, the schedule is ours from now on, as the object lives while any handle is open. The
 * arming's generation is kept (the arming itself has not changed; its APC went with the thread
 * that set it); a due time already past fires at once. Else a duplicate of a pidfd of the armer,
 * the caller's to poll for its end and to close (-1: nothing to watch). Takes nt_timer_lock
 * (the caller holds neither it nor nt_wait_lock). */
int nt_timer_watch_armer(nt_object *o, uint64_t *gen_seen)
{
    nt_timer *t = (nt_timer *)o;
    if (o->type != NT_OBJ_TIMER || !t->page)
        return -1;
    int fd = -1;
    nt_thread_obj *old_thread = NULL;
    pthread_mutex_lock(&nt_timer_lock);
    nt_timer_page *p = t->page;
again:;
    uint64_t gen = __atomic_load_n(&p->gen, __ATOMIC_ACQUIRE);
    uint64_t armer = __atomic_load_n(&p->armer, __ATOMIC_ACQUIRE), self = nt_self_proc_id();
    bool armed = __atomic_load_n(&p->due, __ATOMIC_ACQUIRE) != 0;
    if (gen_seen) /* (the let-go bit: see nt_timer_arming_changed) */
        *gen_seen = gen | (armed && armer == 0 ? NT_TIMER_LET_GO_SEEN : 0);
    if (!armed || armer == self || (armer && !nt_proc_watch(armer, &t->watch_id, &t->watch_fd))) {
        if (armed && armer != self && t->watch_id)
            fd = fcntl(t->watch_fd, F_DUPFD_CLOEXEC, 0);
        pthread_mutex_unlock(&nt_timer_lock);
        return fd;
    }
    if (nt_timer_start_thread() == STATUS_SUCCESS) { /* the armer is gone: ours */
        nt_timer_page_lock(p);
        /* Since the look above: the armer may have let go of the timer as it ended (its last
         * handle closed: armer 0), which is still ours to take; or another process may have
         * armed or cancelled it (a new generation): look again. */
        if (p->gen != gen || (p->armer != armer && p->armer != 0)) {
            nt_timer_page_unlock(p);
            goto again;
        }
        if (p->due != 0) {
            p->armer = self;
            nt_timer_unlink(t);
            t->gen = p->gen;
            t->due = p->due;
            t->period_ns = p->period;
            old_thread = t->apc_thread;
            t->apc_thread = NULL;
            t->apc = NULL;
            nt_timer_link(t);
        }
        nt_timer_page_unlock(p);
        nt_timer_fire_expired();
        pthread_cond_signal(&nt_timer_cond);
    }
    pthread_mutex_unlock(&nt_timer_lock);
    if (old_thread)
        nt_object_release(&old_thread->s.hdr);
    return -1;
}

/* Has the arming of shared timer o changed since the generation `gen` (nt_timer_watch_armer's
 * *gen_seen) was seen? A load of the page's word: no lock, for a waiting thread's every slice. */
bool nt_timer_arming_changed(nt_object *o, uint64_t gen)
{
    nt_timer *t = (nt_timer *)o;
    if (o->type != NT_OBJ_TIMER || !t->page)
        return false;
    nt_timer_page *p = t->page;
    /* also an armer that let go of the timer, still armed, as it closed its last handle or
     * ended (armer 0): whoever looks first takes it over. Against what the wait saw (the
     * let-go bit of `gen`), not as such: a wait that looked at a let-go timer and could not
     * take it over (no timer thread) would go round at once for ever, as it checks before
     * every sleep. */
    uint64_t now = __atomic_load_n(&p->gen, __ATOMIC_ACQUIRE);
    if (__atomic_load_n(&p->armer, __ATOMIC_ACQUIRE) == 0 &&
        __atomic_load_n(&p->due, __ATOMIC_ACQUIRE) != 0)
        now |= NT_TIMER_LET_GO_SEEN;
    return now != gen;
}

static void nt_timer_destroy(nt_object *o)
{
    nt_timer *t = (nt_timer *)o;
    pthread_mutex_lock(&nt_timer_lock);
    if (t->page && t->armed) { /* handles elsewhere: the next process that looks fires it */
        nt_timer_page_lock(t->page);
        bool let_go = t->page->gen == t->gen && t->page->armer == nt_self_proc_id();
        if (let_go)
            __atomic_store_n(&t->page->armer, 0, __ATOMIC_RELEASE);
        nt_timer_page_unlock(t->page);
        if (let_go)
            nt_timer_ring(t->page); /* the waits elsewhere take it over now */
    }
    if (t->page)
        nt_timer_bell_remove(t);
    nt_timer_unlink(t);
    pthread_mutex_unlock(&nt_timer_lock);
    if (t->apc_thread)
        nt_object_release(&t->apc_thread->s.hdr);
    nt_sync_free_name(&t->e.s);
    if (t->watch_id)
        close(t->watch_fd);
    if (t->page) {
        close(t->e.efd);
        close(t->pfd);
        munmap(t->page, 4096);
    }
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
        if (t->page) { /* ours from now on, in every process */
            nt_timer_page_lock(t->page);
            t->gen = __atomic_add_fetch(&t->page->gen, 1, __ATOMIC_ACQ_REL);
        }
        pthread_mutex_lock(&nt_wait_lock);
        before = nt_timer_reset(t);
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
        if (t->page) {
            t->page->armer = nt_self_proc_id();
            t->page->period = t->period_ns;
            __atomic_store_n(&t->page->due, t->armed ? t->due : 0, __ATOMIC_RELEASE);
            nt_timer_page_unlock(t->page);
            nt_timer_ring(t->page);
        }
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
    if (t->page) { /* an arming made elsewhere stops too */
        nt_timer_page_lock(t->page);
        __atomic_add_fetch(&t->page->gen, 1, __ATOMIC_ACQ_REL);
        __atomic_store_n(&t->page->due, 0, __ATOMIC_RELEASE);
        nt_timer_page_unlock(t->page);
        nt_timer_ring(t->page);
    }
    nt_thread_obj *old_thread = t->apc_thread;
    t->apc_thread = NULL;
    t->apc = NULL;
    pthread_mutex_lock(&nt_wait_lock);
    BOOLEAN state = nt_timer_state(t); /* cancelling leaves the signal state alone */
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
    int armer_fd = nt_timer_watch_armer(o, NULL); /* (an armer that has ended: ours first) */
    if (armer_fd >= 0)
        close(armer_fd);
    pthread_mutex_lock(&nt_timer_lock);
    int64_t due = t->page ? __atomic_load_n(&t->page->due, __ATOMIC_ACQUIRE)
                          : t->armed ? t->due : 0;
    if (due) {
        int64_t left = due - nt_mono_now();
        b.remaining = left > 0 ? left / 100 : 0;
    }
    pthread_mutex_lock(&nt_wait_lock);
    b.state = nt_timer_state(t);
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

/* ---- timers in another process (process_remote.c, sync_names.c) ----
 * The first export makes the timer shared (above): its state moves into an eventfd, its arming
 * into a page; both travel, "T<manual>". */
bool nt_timer_export(nt_object *o, char *buf, size_t size, int fds[2])
{
    nt_timer *t = (nt_timer *)o;
    fds[0] = fds[1] = -1;
    pthread_mutex_lock(&nt_timer_lock);
    pthread_mutex_lock(&nt_wait_lock);
    if (!t->page) {
        int pfd;
        nt_timer_page *page = nt_shared_page("ntrun-timer", &pfd);
        int efd = page != MAP_FAILED ? eventfd(t->e.signalled, EFD_NONBLOCK | EFD_CLOEXEC) : -1;
        if (efd >= 0) {
            page->gen = 1;
            page->due = t->armed ? t->due : 0;
            page->armer = t->armed ? nt_self_proc_id() : 0;
            page->period = t->period_ns;
            t->gen = t->armed ? 1 : 0;
            t->e.efd = efd;
            t->e.shared = true;
            t->page = page;
            t->pfd = pfd;
            nt_timer_bell_add(t); /* (before the waiters go round: they find it belled) */
            nt_sync_retry_waiters(&t->e.s);
        } else if (page != MAP_FAILED) {
            munmap(page, 4096);
            close(pfd);
        }
    }
    if (t->page) {
        fds[0] = fcntl(t->e.efd, F_DUPFD_CLOEXEC, 0);
        fds[1] = fcntl(t->pfd, F_DUPFD_CLOEXEC, 0);
    }
    pthread_mutex_unlock(&nt_wait_lock);
    pthread_mutex_unlock(&nt_timer_lock);
    snprintf(buf, size, "T%d", t->e.manual);
    if (fds[0] < 0 || fds[1] < 0) {
        for (int i = 0; i < 2; i++)
            if (fds[i] >= 0)
                close(fds[i]);
        fds[0] = fds[1] = -1;
        return false;
    }
    return true;
}

NTSTATUS nt_timer_import(const char *desc, int fds[2], nt_object **out)
{
    int manual;
    *out = NULL;
    if (sscanf(desc, "T%d", &manual) != 1 || fds[0] < 0 || fds[1] < 0) {
        for (int i = 0; i < 2; i++)
            if (fds[i] >= 0)
                close(fds[i]);
        return STATUS_INVALID_PARAMETER;
    }
    fcntl(fds[0], F_SETFL, fcntl(fds[0], F_GETFL) | O_NONBLOCK);
    void *page;
    NTSTATUS st;
    nt_timer *t = nt_sync_import_paged(sizeof *t, NT_OBJ_TIMER, nt_timer_destroy, fds, &page,
                                       &st);
    if (!t)
        return st;
    t->e.manual = manual != 0;
    t->e.shared = true;
    t->e.efd = fds[0];
    t->page = page;
    t->pfd = fds[1];
    fds[0] = fds[1] = -1;
    pthread_mutex_lock(&nt_timer_lock);
    nt_timer_bell_add(t);
    pthread_mutex_unlock(&nt_timer_lock);
    *out = &t->e.s.hdr;
    return STATUS_SUCCESS;
}
