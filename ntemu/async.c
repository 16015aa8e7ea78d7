/* SPDX-License-Identifier: MIT */
/* Asynchronous (overlapped) I/O on readiness: one epoll thread per process, no thread per request.
 *
 * A file that does asynchronous I/O gets an nt_async_file: two FIFO queues of pending requests
 * (readers: reads, receives, accepts; writers: writes, sends, connects), its completion port
 * binding (FileCompletionInformation) and its notification modes
 * (FILE_SKIP_COMPLETION_PORT_ON_SUCCESS). A request is an attempt function (the I/O, tried on
 * the non-blocking fd) plus what to notify when it is over: the caller's IO_STATUS_BLOCK
 * (OVERLAPPED.Internal/InternalHigh), an event, an APC to the issuing thread, a packet to the
 * port. nt_async_submit tries the I/O at once when its queue is empty; if it would block the
 * request is queued and STATUS_PENDING returned. The epoll thread retries the head of a queue
 * when the fd becomes ready and completes what is done. Attempts run under the file's lock, so
 * the queue order is the order of the I/O. Files epoll refuses (regular files) complete at once.
 *
 * Interest on demand (async_arm): the fd is armed in the process's epoll set only for what is
 * queued on it, one-shot (EPOLLIN for queued reads, EPOLLOUT for queued writes): a socket with
 * nothing queued never wakes the epoll thread, however much data goes through it. Arming is an
 * EPOLL_CTL_MOD under the file's lock after the queueing; the kernel checks the fd's readiness
 * at that moment, so data that came between the attempt and the arming is not lost. A delivered
 * event disarms the fd (EPOLLONESHOT); the epoll thread re-arms it when requests are still
 * queued. A file whose one-shot wakes keep completing nothing (a request that waits for a state
 * no readiness bit tells, or an error condition that stays: EPOLLERR/EPOLLHUP are always
 * reported) falls back for good to the edge-triggered registration of every readiness; so does
 * a file while it has readiness requests (below), with the events they ask for. Sockets enter
 * the epoll set at their first queued request, other files when their async state is made (to
 * learn whether epoll takes them).
 *
 * Readiness requests (nt_async_io.any_edge: AFD polls, ntemu/afd.c) wait for a change of the
 * fd's state rather than for their turn: a fourth queue, tried at once whatever it holds and
 * retried on every epoll event of the fd, each request on its own; when the file goes they
 * are tried once more with fd -1 (a poll reports the local close) before the rest is cancelled.
 *
 * Polled requests (nt_async_io.polled: a byte-range lock another file object holds) wait for
 * no readiness of the fd: they have a third queue, tried at once whatever it holds, and the
 * epoll thread retries every request in it each millisecond while any is queued (the files
 * with such requests are listed in async_polled; a queued one wakes the thread through
 * async_wakefd).
 *
 * Lifetime: the file object owns its nt_async_file; when the file goes (the last handle closed),
 * pending requests complete with STATUS_CANCELLED, the fd leaves the epoll set and the structure
 * goes to a graveyard the epoll thread frees two epoll_wait rounds later (an event it already
 * fetched may still name it). */
#include <errno.h>
#include <fcntl.h>
#include <linux/futex.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/timerfd.h>
#include <unistd.h>
#include "ntemu/ntemu_private.h"

#ifndef STATUS_NOT_FOUND
#define STATUS_NOT_FOUND ((NTSTATUS)0xC0000225)
#endif
#ifndef STATUS_CANCELLED
#define STATUS_CANCELLED ((NTSTATUS)0xC0000120)
#endif

#define NT_FILE_SKIP_COMPLETION_PORT_ON_SUCCESS 1u
#define NT_FILE_SKIP_SET_EVENT_ON_HANDLE 2u

typedef struct nt_async_req {
    struct nt_async_req *next;
    nt_async_io io;
    IO_STATUS_BLOCK *iosb;  /* the caller's (foreign or native) */
    nt_object *event;       /* referenced */
    void *apc, *apc_ctx;
    bool apc_win32;         /* apc is a kernel32 completion routine (error, bytes, overlapped) */
    nt_thread_obj *thread;  /* the issuing thread (APCs), referenced when apc is set */
    int32_t tid;            /* the issuing thread's id (CancelIo) */
    nt_object *port;        /* referenced; NULL: no packet */
    ULONG_PTR key, port_ctx;
    bool waiter;            /* a thread waits on `done` and frees the request */
    bool self_poll;         /* that thread polls the fd and does the I/O itself (its doorbell
                               `bell` rung by whoever ends the request instead) */
    int bell;
    /* A request queued on `owner` on behalf of another file (the port_file of its
     * nt_async_notify: AcceptEx's wait for the first data, on the accept socket): CancelIo(Ex)
     * of `alias`, the file the program issued it on, finds it too (async_aliases). */
    struct nt_async_file *alias, *owner;
    struct nt_async_req *alias_next;
    bool issued_elsewhere;  /* had an alias: CancelIo of `owner` leaves it (kept after the
                               alias's file closed, for an outlives_issuer request) */
    uint32_t done;          /* futex word */
    NTSTATUS status;
    ULONG_PTR info;
    bool skip_port;         /* finished at once with FILE_SKIP_COMPLETION_PORT_ON_SUCCESS */
    bool own_deliver;       /* its thread waits for its notification (async_deliver_own) */
} nt_async_req;
/* `done` of an own_deliver request whose thread sleeps on it (else it is not woken) */
#define ASYNC_DONE_SLEEPING 3u

struct nt_async_file {
    pthread_mutex_t lock;
    int fd;
    bool closed;
    bool pollable;          /* epoll takes the fd */
    bool registered;        /* the fd is in the epoll set (EPOLL_CTL_ADD done) */
    bool edge;              /* for good: edge-triggered on every readiness (async_arm) */
    uint8_t idle_wakes;     /* one-shot wakes in a row that completed nothing */
    uint32_t armed;         /* the events registered: 0 none (or a one-shot that fired) */
    nt_async_req *head[4], *tail[4]; /* reads, writes, polled, readiness (any_edge) */
    bool in_polled;         /* listed in async_polled (under async_polled_lock) */
    struct nt_async_file *polled_next;
    nt_object *port;        /* FileCompletionInformation, referenced */
    ULONG_PTR key;
    uint32_t modes;         /* FILE_SKIP_* */
    uint32_t seq;           /* futex word: bumped by every completion (GetOverlappedResult) */
    uint32_t seq_waiters;   /* threads in nt_async_wait_iosb: a completion wakes seq only then */
    struct nt_async_file *grave_next;
    /* Bound to a port (FileCompletionInformation) and pollable: armed in the port's poll set
     * instead of the process's (route_port referenced, for the set's life). */
    struct nt_async_pp *route;
    nt_object *route_port;
    bool ever_global;       /* was in the process's epoll set: freed through the graveyard */
    uint32_t refs;          /* atomic: 1 for the file, +1 per poller holding an event of it */
    /* Finished requests whose notifications are not made yet, in the order their I/O finished
     * (async_deliver): one thread at a time notifies a file's requests (`delivering`). */
    nt_async_req *dl_head, *dl_tail;
    bool delivering;
};

/* A port's poll set (see ntemu_private.h). A file's events are fetched by epoll_wait of the
 * set, by the poller (asleep in it) or the epoll thread (nested); the fetcher then takes a
 * reference on each file named, under `mu`. `fetching` counts the threads between the start of
 * their epoll_wait and those references: a file that leaves the set (nt_async_file_close:
 * EPOLL_CTL_DEL under mu) while one is there is kept in `grave` until the count falls to 0, so
 * a fetched event never names a freed file. mu also guards the nested registration's state.
 * `bell`, an eventfd in the set (data.ptr = the set), wakes the poller for a packet posted by
 * another thread. */
struct nt_async_pp {
    int epfd;
    int bell;
    pthread_mutex_t mu;
    bool want;              /* the epoll thread should watch the set (no waiter polls it) */
    bool armed;             /* the nested one-shot registration is armed */
    bool dead;              /* the port is gone */
    uint64_t gen;           /* the last applied nt_async_pp_watch */
    uint32_t fetching;
    struct nt_async_file *grave; /* left the set while a fetch was in progress (grave_next) */
    struct nt_async_pp *grave_next;
    /* The lease (nt_async_pp_leave): the poller left and nobody else sleeps in the port, so the
     * epoll thread keeps off the set until lease_until, for the poller's next wait to find
     * what comes meanwhile; `timer` (a timerfd in the process's set) ends it then. */
    int timer;              /* -1: none (no lease ever, the watch is re-armed at once) */
    bool leased;            /* want is false for a lease (not for a poller) */
    bool timer_set;         /* the timer runs (for lease_until or an earlier time) */
    bool lapsed;            /* the last lease ran out; the epoll thread's next look tells whether
                               something was ready meanwhile (async_pp_serve) */
    uint8_t lapses;         /* leases in a row that ran out with I/O ready, none of use between */
    uint8_t backoffs;       /* backoffs in a row, no lease of use between: the next one's length */
    int64_t lease_until;
    int64_t no_lease_until; /* a lease ran out with I/O ready: none taken until then */
};
/* The nested registration's data: the set's address with the low bit set (a file's never has);
 * the lease timer's: with bit 1 set. */
#define ASYNC_PP_TAG 1u
#define ASYNC_PP_TIMER_TAG 2u
#define ASYNC_PP_TAGS 3u
/* How long the epoll thread keeps off a port's set after its poller left (see nt_async_pp_leave):
 * the bound on how late a request nobody waits for in the port completes then (its event, its
 * status block) when the port's waiter does not come back. */
#define ASYNC_PP_LEASE_NS 2000000L
/* A lease that ran out while a request of the set was ready made that request late by a whole
 * lease: its thread did not come back to the port (it waits for the request's end some other
 * way, polling HasOverlappedIoCompleted, and takes the packet only then; or it works longer
 * than a lease). After ASYNC_PP_LAPSES_MAX such leases in a row with no lease of use between
 * (one under which a try of the port's caller did I/O: a thread preempted once under load
 * loses that lease, not the next ones), the port takes no lease for ASYNC_PP_BACKOFF_LEASES
 * leases' time (100 ms; the epoll thread completes at once meanwhile): a program that polls
 * its requests' status blocks has that many late completions per backoff, the others prompt
 * (pe.iocp_poll_overlapped, ntbench's pe.tcp.rtt.poll). Which of the two kinds of thread a
 * port has cannot be told when it leaves: both come back with their packet queued, one because
 * the epoll thread was quicker than its next wait, the other because it waited for the status
 * block; only a lease that ran out tells them apart. */
#define ASYNC_PP_LAPSES_MAX 2
#define ASYNC_PP_BACKOFF_LEASES 50
/* A backoff that ends with leases that run out again, no lease of use between, is followed by
 * one twice as long, up to 2^ASYNC_PP_BACKOFF_DOUBLINGS times the first (1.6 s): a program that
 * only polls its status blocks has two late completions per 1.6 s, not per 100 ms, once it has
 * shown it for 1.5 s. A lease of use (a try under it did I/O) starts again from 100 ms. What a
 * longer backoff costs a program that turns to waiting in the port: nothing while its thread
 * sleeps there (it polls the set itself); the I/O that becomes ready while it is away is done by
 * the epoll thread (a wake of that thread; the waiter finds its packet queued) until the backoff
 * ends. */
#define ASYNC_PP_BACKOFF_DOUBLINGS 4

static pthread_once_t async_once = PTHREAD_ONCE_INIT;
static int async_epfd = -1;
static pthread_mutex_t async_grave_lock = PTHREAD_MUTEX_INITIALIZER;
static nt_async_file *async_grave;
static nt_async_pp *async_pp_grave;
/* The files with polled requests queued; taken before any af->lock. */
static pthread_mutex_t async_polled_lock = PTHREAD_MUTEX_INITIALIZER;
static nt_async_file *async_polled;
static int async_wakefd = -1; /* an eventfd in the epoll set (data.ptr NULL) */
/* $NTRUN_TEST_ASYNC_LATE_US (tests only, as ws2_32's NTRUN_TEST_GAI_DELAY_MS): the epoll thread
 * waits that long between the I/O of a pass that finished requests and their notifications, as
 * a thread preempted there on a loaded machine does (pe.ws_ready_on_demand_late). 0: off. */
static long async_test_late_us;
static __thread bool async_on_epoll_thread;
/* $NTRUN_TEST_ASYNC_LEASE_US (tests only): the lease's length instead of ASYNC_PP_LEASE_NS, a
 * long one making a request that waits for a lease's end wait for the test's time-out
 * (pe.iocp_poll_overlapped_lease). */
static int64_t async_lease_ns = ASYNC_PP_LEASE_NS;

static bool async_process(nt_async_file *af, uint32_t events);
static void async_run_queue(nt_async_file *af, int q, nt_async_req ***tail);
static void async_run_polled(nt_async_file *af, int q, nt_async_req ***tail);
static void async_complete_list(nt_async_file *af, nt_async_req *list);
static void async_pp_serve(nt_async_pp *pp);
static void async_pp_lease_end(nt_async_pp *pp);

static void async_unref(nt_async_file *af)
{
    if (__atomic_sub_fetch(&af->refs, 1, __ATOMIC_ACQ_REL) == 0) {
        pthread_mutex_destroy(&af->lock);
        free(af);
    }
}

/* A closed file's own reference goes: now, or through the graveyard when the epoll thread may
 * still hold an event of it (it was in the process's set). Pollers hold references. */
static void async_bury(nt_async_file *af)
{
    if (af->ever_global) {
        pthread_mutex_lock(&async_grave_lock);
        af->grave_next = async_grave;
        async_grave = af;
        pthread_mutex_unlock(&async_grave_lock);
    } else {
        async_unref(af);
    }
}

/* The epoll thread: one retry of every polled queue; whether any request is still queued.
 * Completions happen under async_polled_lock, so a file being closed (which leaves the list
 * first) is never completed on after it is freed. */
static bool async_retry_polled(void)
{
    pthread_mutex_lock(&async_polled_lock);
    for (nt_async_file **pp = &async_polled; *pp;) {
        nt_async_file *af = *pp;
        nt_async_req *done = NULL, **tail = &done;
        pthread_mutex_lock(&af->lock);
        async_run_polled(af, 2, &tail);
        bool empty = af->head[2] == NULL;
        if (empty) {
            af->in_polled = false;
            *pp = af->polled_next;
        } else {
            pp = &af->polled_next;
        }
        pthread_mutex_unlock(&af->lock);
        async_complete_list(af, done);
    }
    bool any = async_polled != NULL;
    pthread_mutex_unlock(&async_polled_lock);
    return any;
}

static void *async_thread(void *unused)
{
    (void)unused;
    nt_async_file *old = NULL;
    nt_async_pp *old_pp = NULL;
    struct epoll_event ev[64];
    async_on_epoll_thread = true;
    for (;;) {
        while (old) {
            nt_async_file *n = old->grave_next;
            async_unref(old);
            old = n;
        }
        while (old_pp) {
            nt_async_pp *n = old_pp->grave_next;
            close(old_pp->epfd);
            close(old_pp->bell);
            if (old_pp->timer >= 0)
                close(old_pp->timer);
            pthread_mutex_destroy(&old_pp->mu);
            free(old_pp);
            old_pp = n;
        }
        pthread_mutex_lock(&async_grave_lock);
        old = async_grave;
        async_grave = NULL;
        old_pp = async_pp_grave;
        async_pp_grave = NULL;
        pthread_mutex_unlock(&async_grave_lock);
        bool polled = __atomic_load_n(&async_polled, __ATOMIC_ACQUIRE) != NULL;
        int n = epoll_wait(async_epfd, ev, 64, polled ? 1 : -1);
        for (int i = 0; i < n; i++) {
            uintptr_t tag = (uintptr_t)ev[i].data.ptr & ASYNC_PP_TAGS;
            if (tag) {
                nt_async_pp *pp =
                    (nt_async_pp *)((uintptr_t)ev[i].data.ptr & ~(uintptr_t)ASYNC_PP_TAGS);
                if (tag == ASYNC_PP_TAG)
                    async_pp_serve(pp);
                else
                    async_pp_lease_end(pp);
                continue;
            }
            if (ev[i].data.ptr) {
                async_process(ev[i].data.ptr, ev[i].events);
                continue;
            }
            uint64_t v; /* a polled request was queued */
            polled = read(async_wakefd, &v, sizeof v) == sizeof v || polled;
        }
        if (polled)
            async_retry_polled();
    }
    return NULL;
}

static void async_start(void)
{
    const char *late = getenv("NTRUN_TEST_ASYNC_LATE_US");
    if (late && *late)
        async_test_late_us = strtol(late, NULL, 10);
    const char *lease = getenv("NTRUN_TEST_ASYNC_LEASE_US");
    if (lease && *lease && strtoll(lease, NULL, 10) > 0)
        async_lease_ns = strtoll(lease, NULL, 10) * 1000;
    async_epfd = epoll_create1(EPOLL_CLOEXEC);
    if (async_epfd < 0)
        return;
    async_wakefd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
    struct epoll_event wev = {.events = EPOLLIN, .data.ptr = NULL};
    if (async_wakefd >= 0 && epoll_ctl(async_epfd, EPOLL_CTL_ADD, async_wakefd, &wev) != 0) {
        close(async_wakefd);
        async_wakefd = -1;
    }
    /* fault fix-ups: it copies into program buffers (a bad user buffer) */
    if (rt_service_thread_start(async_thread, NULL, 256 * 1024, true) != 0) {
        close(async_epfd);
        async_epfd = -1;
    }
}

#define ASYNC_ALL_EVENTS (EPOLLIN | EPOLLOUT | EPOLLRDHUP | EPOLLPRI)
/* One-shot wakes in a row that complete nothing before a file falls back to edge-triggered
 * registration (a one-shot re-armed while its readiness holds fires again at once). */
#define ASYNC_IDLE_WAKES_MAX 3

/* Under af->lock: registers in the epoll set the interest af's queues need now (see the top of
 * the file); false when epoll refuses the fd. A one-shot interest wider than needed is left to
 * fire once more rather than narrowed with a system call. */
static bool async_arm(nt_async_file *af)
{
    if (af->closed || !af->pollable)
        return true;
    uint32_t want = 0;
    if (af->edge) {
        want = ASYNC_ALL_EVENTS | EPOLLET;
    } else {
        /* a head its own waiter polls for holds the rest of its queue (its waiter arms for
         * them when it is done) */
        if (af->head[0] && !af->head[0]->self_poll)
            want |= EPOLLIN | EPOLLRDHUP;
        if (af->head[1] && !af->head[1]->self_poll)
            want |= EPOLLOUT;
        for (nt_async_req *r = af->head[3]; r; r = r->next)
            want |= r->io.poll_events ? r->io.poll_events : ASYNC_ALL_EVENTS;
        if (af->head[3])
            want |= EPOLLET;
        else if (want)
            want |= EPOLLONESHOT;
    }
    uint32_t armed = af->armed;
    if (want == armed)
        return true;
    if (!want) {
        if (!(armed & EPOLLET))
            return true; /* nothing, or a one-shot that fires at most once more */
        want = EPOLLONESHOT; /* out of edge mode: disarmed (after one event at most) */
    } else if ((want & EPOLLONESHOT) && (armed & EPOLLONESHOT) && (armed & want) == want) {
        return true;
    }
    struct epoll_event ev = {.events = want, .data.ptr = af};
    int op = af->registered ? EPOLL_CTL_MOD : EPOLL_CTL_ADD;
    int epfd = af->route ? af->route->epfd : async_epfd;
    int r = epoll_ctl(epfd, op, af->fd, &ev);
    if (r != 0 && (errno == EEXIST || errno == ENOENT)) /* the fd was replaced meanwhile */
        r = epoll_ctl(epfd, op == EPOLL_CTL_ADD ? EPOLL_CTL_MOD : EPOLL_CTL_ADD, af->fd, &ev);
    if (r != 0)
        return false;
    af->registered = true;
    af->ever_global |= !af->route;
    af->armed = want == EPOLLONESHOT ? 0 : want;
    return true;
}

/* Under af->lock: af moves to the port's poll set (from the process's, with what it waits for). */
static void async_route(nt_async_file *af, nt_async_pp *pp, nt_object *port)
{
    if (af->registered) {
        epoll_ctl(async_epfd, EPOLL_CTL_DEL, af->fd, NULL);
        af->registered = false;
    }
    af->armed = 0;
    af->route = pp;
    af->route_port = port;
    nt_object_ref(port);
    async_arm(af);
}

/* ---- a port's poll set ---- */
nt_async_pp *nt_async_pp_new(void)
{
    pthread_once(&async_once, async_start);
    if (async_epfd < 0)
        return NULL;
    nt_async_pp *pp = calloc(1, sizeof *pp);
    if (!pp)
        return NULL;
    pp->epfd = epoll_create1(EPOLL_CLOEXEC);
    pp->bell = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
    struct epoll_event bev = {.events = EPOLLIN, .data.ptr = pp};
    struct epoll_event ev = {.events = EPOLLIN | EPOLLONESHOT,
                             .data.ptr = (void *)((uintptr_t)pp | ASYNC_PP_TAG)};
    if (pp->epfd < 0 || pp->bell < 0 || epoll_ctl(pp->epfd, EPOLL_CTL_ADD, pp->bell, &bev) != 0 ||
        epoll_ctl(async_epfd, EPOLL_CTL_ADD, pp->epfd, &ev) != 0) {
        if (pp->epfd >= 0)
            close(pp->epfd);
        if (pp->bell >= 0)
            close(pp->bell);
        free(pp);
        return NULL;
    }
    pthread_mutex_init(&pp->mu, NULL);
    pp->want = pp->armed = true;
    /* without a timer no lease is taken (the watch is re-armed whenever the poller leaves) */
    pp->timer = timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC | TFD_NONBLOCK);
    struct epoll_event tev = {.events = EPOLLIN,
                              .data.ptr = (void *)((uintptr_t)pp | ASYNC_PP_TIMER_TAG)};
    if (pp->timer >= 0 && epoll_ctl(async_epfd, EPOLL_CTL_ADD, pp->timer, &tev) != 0) {
        close(pp->timer);
        pp->timer = -1;
    }
    return pp;
}

void nt_async_pp_free(nt_async_pp *pp)
{
    if (!pp)
        return;
    pthread_mutex_lock(&pp->mu);
    pp->dead = true;
    epoll_ctl(async_epfd, EPOLL_CTL_DEL, pp->epfd, NULL);
    if (pp->timer >= 0)
        epoll_ctl(async_epfd, EPOLL_CTL_DEL, pp->timer, NULL);
    pthread_mutex_unlock(&pp->mu);
    pthread_mutex_lock(&async_grave_lock);
    pp->grave_next = async_pp_grave;
    async_pp_grave = pp;
    pthread_mutex_unlock(&async_grave_lock);
}

/* Under pp->mu: the nested registration as pp->want says. */
static void async_pp_arm(nt_async_pp *pp)
{
    if (pp->dead || pp->want == pp->armed)
        return;
    struct epoll_event ev = {.events = pp->want ? EPOLLIN | EPOLLONESHOT : EPOLLONESHOT,
                             .data.ptr = (void *)((uintptr_t)pp | ASYNC_PP_TAG)};
    if (epoll_ctl(async_epfd, EPOLL_CTL_MOD, pp->epfd, &ev) == 0)
        pp->armed = pp->want;
}

void nt_async_pp_watch(nt_async_pp *pp, bool watch, uint64_t gen)
{
    pthread_mutex_lock(&pp->mu);
    if (gen > pp->gen) {
        pp->gen = gen;
        pp->want = watch;
        pp->leased = pp->lapsed = false;
        async_pp_arm(pp);
    }
    pthread_mutex_unlock(&pp->mu);
}

/* Under pp->mu: the lease timer runs until `at` (absolute CLOCK_MONOTONIC). */
static void async_pp_timer(nt_async_pp *pp, int64_t at)
{
    struct itimerspec its = {.it_value = {at / 1000000000, at % 1000000000}};
    pp->timer_set = timerfd_settime(pp->timer, TFD_TIMER_ABSTIME, &its, NULL) == 0;
}

/* Under pp->mu: the lease ends now; the epoll thread watches the set again. */
static void async_pp_unlease_locked(nt_async_pp *pp)
{
    if (!pp->leased)
        return;
    pp->leased = false;
    pp->want = true;
    async_pp_arm(pp);
}

void nt_async_pp_leave(nt_async_pp *pp, uint64_t gen, bool lease)
{
    pthread_mutex_lock(&pp->mu);
    if (gen > pp->gen) {
        pp->gen = gen;
        pp->lapsed = false;
        int64_t now = lease ? nt_mono_now() : 0;
        if (lease && pp->timer >= 0 && !pp->dead && now >= pp->no_lease_until) {
            /* the timer is set only when it does not run: a running one, due earlier, is set
             * again for the lease's end when it fires (one timer call per lease time at most) */
            pp->want = false;
            pp->leased = true;
            pp->lease_until = now + async_lease_ns;
            if (!pp->timer_set)
                async_pp_timer(pp, pp->lease_until);
            if (!pp->timer_set) /* (no timer: no lease) */
                async_pp_unlease_locked(pp);
            else
                async_pp_arm(pp); /* off, when a waiter that did not poll takes the lease */
        } else {
            pp->leased = false;
            pp->want = true;
            async_pp_arm(pp);
        }
    }
    pthread_mutex_unlock(&pp->mu);
}

bool nt_async_pp_leased(nt_async_pp *pp) { return __atomic_load_n(&pp->leased, __ATOMIC_RELAXED); }

/* The epoll thread: the lease timer fired. A lease renewed since runs on (the timer is set for
 * its end); an expired one ends: the set is watched again (the nested registration, armed,
 * fires at once when a file of it is ready). */
static void async_pp_lease_end(nt_async_pp *pp)
{
    uint64_t v;
    pthread_mutex_lock(&pp->mu);
    if (read(pp->timer, &v, sizeof v) < 0) { /* not expired (set again meanwhile) */
    }
    pp->timer_set = false;
    if (!pp->dead && pp->leased) {
        int64_t now = nt_mono_now();
        if (now < pp->lease_until)
            async_pp_timer(pp, pp->lease_until);
        if (!pp->timer_set) {
            async_pp_unlease_locked(pp);
            pp->lapsed = true; /* (the registration, armed, fires now if a file is ready) */
        }
    }
    pthread_mutex_unlock(&pp->mu);
}

/* A request the port's waiters do not take (no packet) was queued on a file of the set, or a
 * thread waits for one's status block: the epoll thread watches the set again now. */
static void async_pp_unlease(nt_async_pp *pp)
{
    if (!__atomic_load_n(&pp->leased, __ATOMIC_RELAXED))
        return;
    pthread_mutex_lock(&pp->mu);
    async_pp_unlease_locked(pp);
    pthread_mutex_unlock(&pp->mu);
}

/* Fetches the set's events (waiting up to timeout_ms, -1 none) and tries the requests of the
 * files they name; completes the finished ones in this thread. The doorbell is drained by the
 * poller, or by the epoll thread when no poller is there (a ring that came after the poller's
 * last fetch): never from under a poller, which would sleep on. */
static bool async_pp_run(nt_async_pp *pp, int timeout_ms, bool poller)
{
    struct epoll_event ev[64];
    bool finished = false;
    pthread_mutex_lock(&pp->mu);
    if (pp->dead) {
        pthread_mutex_unlock(&pp->mu);
        return false;
    }
    bool leased = pp->leased; /* a try under a lease: of use when it does I/O */
    pp->fetching++;
    pthread_mutex_unlock(&pp->mu);
    int n = epoll_wait(pp->epfd, ev, 64, timeout_ms);
    bool bell = false;
    nt_async_file *grave = NULL;
    pthread_mutex_lock(&pp->mu);
    for (int i = 0; i < n; i++) { /* held past the lock: a close from now on frees it after us */
        if (ev[i].data.ptr == pp)
            bell = poller || pp->want;
        else
            __atomic_add_fetch(&((nt_async_file *)ev[i].data.ptr)->refs, 1, __ATOMIC_RELAXED);
    }
    if (--pp->fetching == 0) {
        grave = pp->grave;
        pp->grave = NULL;
    }
    pthread_mutex_unlock(&pp->mu);
    if (bell) {
        uint64_t v;
        if (read(pp->bell, &v, sizeof v) < 0) { /* drained already */
        }
    }
    for (int i = 0; i < n; i++) {
        nt_async_file *af = ev[i].data.ptr;
        if (af == (nt_async_file *)pp)
            continue;
        finished |= async_process(af, ev[i].events);
        async_unref(af);
    }
    while (grave) {
        nt_async_file *next = grave->grave_next;
        async_bury(grave);
        grave = next;
    }
    if (leased && finished && (__atomic_load_n(&pp->lapses, __ATOMIC_RELAXED) ||
                               __atomic_load_n(&pp->backoffs, __ATOMIC_RELAXED))) {
        pthread_mutex_lock(&pp->mu);
        pp->lapses = 0;
        pp->backoffs = 0;
        pthread_mutex_unlock(&pp->mu);
    }
    return finished;
}

/* The epoll thread: the set's nested registration fired (no waiter was polling the set). */
static void async_pp_serve(nt_async_pp *pp)
{
    pthread_mutex_lock(&pp->mu);
    pp->armed = false; /* one-shot: the kernel disarmed it */
    bool lapsed = pp->lapsed;
    pp->lapsed = false;
    pthread_mutex_unlock(&pp->mu);
    bool finished = async_pp_run(pp, 0, false);
    pthread_mutex_lock(&pp->mu);
    /* the lease that just ran out left a request ready (and late): after a few in a row, no
     * lease for a while */
    if (lapsed && finished && ++pp->lapses >= ASYNC_PP_LAPSES_MAX) {
        pp->lapses = 0;
        pp->no_lease_until =
            nt_mono_now() + ((int64_t)ASYNC_PP_BACKOFF_LEASES << pp->backoffs) * async_lease_ns;
        if (pp->backoffs < ASYNC_PP_BACKOFF_DOUBLINGS)
            pp->backoffs++;
    }
    async_pp_arm(pp); /* again, unless a waiter polls the set now */
    pthread_mutex_unlock(&pp->mu);
}

void nt_async_pp_poll(nt_async_pp *pp, int64_t until)
{
    int64_t now = nt_mono_now();
    int64_t ms = until > now ? (until - now + 999999) / 1000000 : 0;
    async_pp_run(pp, ms > INT32_MAX ? INT32_MAX : (int)ms, true);
}

void nt_async_pp_try(nt_async_pp *pp) { async_pp_run(pp, 0, false); }

void nt_async_pp_ring(nt_async_pp *pp)
{
    uint64_t one = 1;
    if (write(pp->bell, &one, sizeof one) < 0) { /* full: rung already */
    }
}

/* The calling thread's doorbell for self-polled waits (an eventfd, closed when the thread
 * ends); -1 when none can be made. */
static pthread_once_t async_bell_once = PTHREAD_ONCE_INIT;
static pthread_key_t async_bell_key;
static bool async_bell_keyed;
static __thread int async_bell = -1;

static void async_bell_close(void *p)
{
    close((int)(intptr_t)p - 1);
    async_bell = -1;
}
static void async_bell_init(void)
{
    async_bell_keyed = pthread_key_create(&async_bell_key, async_bell_close) == 0;
}

static int async_bell_fd(void)
{
    if (async_bell >= 0)
        return async_bell;
    pthread_once(&async_bell_once, async_bell_init);
    int fd = async_bell_keyed ? eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK) : -1;
    if (fd >= 0 && pthread_setspecific(async_bell_key, (void *)(intptr_t)(fd + 1)) != 0) {
        close(fd);
        fd = -1;
    }
    return async_bell = fd;
}

/* The file's async state, created on first use (fx->lock guards the creation). */
static nt_async_file *async_of(nt_file *f)
{
    nt_file_ext *fx = nt_file_ext_of(f);
    nt_async_file *af = __atomic_load_n(&fx->async, __ATOMIC_ACQUIRE);
    if (af)
        return af;
    pthread_mutex_lock(&fx->lock);
    af = fx->async;
    if (!af) {
        af = calloc(1, sizeof *af);
        if (af) {
            pthread_mutex_init(&af->lock, NULL);
            af->refs = 1;
            af->fd = f->fd;
            struct stat st;
            bool pollable = fstat(f->fd, &st) == 0 && !S_ISREG(st.st_mode) && !S_ISDIR(st.st_mode);
            if (pollable) {
                pthread_once(&async_once, async_start);
                /* a socket always polls: it enters the set at its first queued request; other
                 * files are asked now, disarmed (EPOLLERR/EPOLLHUP may still fire once) */
                struct epoll_event ev = {.events = EPOLLONESHOT, .data.ptr = af};
                bool sock = S_ISSOCK(st.st_mode);
                if (async_epfd >= 0 &&
                    (sock || epoll_ctl(async_epfd, EPOLL_CTL_ADD, f->fd, &ev) == 0)) {
                    af->pollable = true;
                    af->registered = af->ever_global = !sock;
                    int fl = fcntl(f->fd, F_GETFL);
                    bool sync = f->options & (FILE_SYNCHRONOUS_IO_ALERT |
                                              FILE_SYNCHRONOUS_IO_NONALERT);
                    if (fl >= 0 && !(fl & O_NONBLOCK) && !sync)
                        fcntl(f->fd, F_SETFL, fl | O_NONBLOCK);
                }
            }
            __atomic_store_n(&fx->async, af, __ATOMIC_RELEASE);
        }
    }
    pthread_mutex_unlock(&fx->lock);
    return af;
}

/* The new open file at the fd is registered afresh, for what is queued (a pending
 * ConnectNamedPipe completes: the registration looks at the fd's readiness at once). May run
 * under another file's lock (AcceptEx's attempt, under the listener's), never under af's. */
void nt_async_fd_replaced(nt_file *f)
{
    nt_async_file *af = __atomic_load_n(&nt_file_ext_of(f)->async, __ATOMIC_ACQUIRE);
    if (!af || !af->pollable)
        return;
    pthread_mutex_lock(&af->lock);
    af->registered = false;
    af->armed = 0;
    af->edge = false;
    af->idle_wakes = 0;
    async_arm(af);
    pthread_mutex_unlock(&af->lock);
}

/* The event of a request becomes signalled (events only; checked at submission). */
static void async_set_event(nt_object *o)
{
    nt_event *e = (nt_event *)o;
    pthread_mutex_lock(&nt_wait_lock);
    e->signalled = true;
    nt_sync_wake(&e->s);
    pthread_mutex_unlock(&nt_wait_lock);
}

/* The requests with an alias (a list under async_alias_lock, which is taken before any
 * af->lock). */
static pthread_mutex_t async_alias_lock = PTHREAD_MUTEX_INITIALIZER;
static nt_async_req *async_aliases;

static void async_alias_remove(nt_async_req *r)
{
    pthread_mutex_lock(&async_alias_lock);
    for (nt_async_req **pp = &async_aliases; *pp; pp = &(*pp)->alias_next) {
        if (*pp == r) {
            *pp = r->alias_next;
            break;
        }
    }
    r->alias = NULL;
    pthread_mutex_unlock(&async_alias_lock);
}

static void req_free(nt_async_req *r)
{
    if (r->alias)
        async_alias_remove(r);
    if (r->io.finish)
        r->io.finish(r->io.arg);
    if (r->event)
        nt_object_release(r->event);
    if (r->port)
        nt_object_release(r->port);
    if (r->thread)
        nt_object_release(&r->thread->s.hdr);
    free(r);
}

/* Everything a finished request notifies, in Windows' order: the status block, the event, the
 * port, the APC; then the waiter or the request's end. No lock held. */
static void req_complete(nt_async_file *af, nt_async_req *r, NTSTATUS st, ULONG_PTR info,
                         bool skip_port)
{
    if (st == NT_ASYNC_HANDED_OVER) { /* the request that took over notifies */
        if (r->waiter) {
            r->status = STATUS_PENDING;
            r->info = 0;
            __atomic_store_n(&r->done, 1, __ATOMIC_RELEASE);
            syscall(SYS_futex, &r->done, FUTEX_WAKE | FUTEX_PRIVATE_FLAG, 1, NULL, NULL, 0);
        } else {
            req_free(r);
        }
        return;
    }
    if (r->iosb) {
        IO_STATUS_BLOCK io;
        memset(&io, 0, sizeof io);
        io.Status = st;
        io.Information = info;
        nt_copy_to_user(r->iosb, &io, sizeof io);
    }
    if (r->event)
        async_set_event(r->event);
    if (r->port && !skip_port)
        nt_iocp_post(r->port, r->key, r->port_ctx, st, info);
    if (r->apc && r->thread) {
        pthread_mutex_lock(&nt_wait_lock);
        if (r->apc_win32)
            nt_queue_apc_locked(r->thread, r->apc, nt_status_to_win32(st), (uint32_t)info,
                                (uint64_t)(uintptr_t)r->iosb);
        else
            nt_queue_apc_locked(r->thread, r->apc, (uint64_t)(uintptr_t)r->apc_ctx,
                                (uint64_t)(uintptr_t)r->iosb, 0);
        pthread_mutex_unlock(&nt_wait_lock);
    }
    if (af) { /* seq_cst both sides: the waiter counts itself, then reads seq and the block */
        __atomic_add_fetch(&af->seq, 1, __ATOMIC_SEQ_CST);
        if (__atomic_load_n(&af->seq_waiters, __ATOMIC_SEQ_CST))
            syscall(SYS_futex, &af->seq, FUTEX_WAKE | FUTEX_PRIVATE_FLAG, INT32_MAX, NULL, NULL,
                    0);
    }
    if (r->waiter) {
        r->status = st;
        r->info = info;
        if (r->self_poll) { /* out of its ppoll; it waits for `done` next */
            uint64_t one = 1;
            if (write(r->bell, &one, sizeof one) < 0) { /* full: rung already */
            }
        }
        if (r->own_deliver) { /* woken only when it sleeps (often it delivers it itself) */
            if (__atomic_exchange_n(&r->done, 1, __ATOMIC_ACQ_REL) == ASYNC_DONE_SLEEPING)
                syscall(SYS_futex, &r->done, FUTEX_WAKE | FUTEX_PRIVATE_FLAG, 1, NULL, NULL, 0);
            return;
        }
        __atomic_store_n(&r->done, 1, __ATOMIC_RELEASE);
        syscall(SYS_futex, &r->done, FUTEX_WAKE | FUTEX_PRIVATE_FLAG, 1, NULL, NULL, 0);
    } else {
        req_free(r);
    }
}

/* Under af->lock: retries queue q's head requests; finished ones move to *done (in order). */
static void async_run_queue(nt_async_file *af, int q, nt_async_req ***tail)
{
    while (af->head[q]) {
        nt_async_req *r = af->head[q];
        if (r->self_poll || !r->io.attempt(af->fd, r->io.arg, &r->status, &r->info))
            break;
        af->head[q] = r->next;
        if (!af->head[q])
            af->tail[q] = NULL;
        r->next = NULL;
        **tail = r;
        *tail = &r->next;
    }
}

/* Under af->lock: retries every request of queue q, polled (2) or readiness (3) ones (they
 * are independent: a lock waiting for one range does not hold up one for another); finished
 * ones move to *done. */
static void async_run_polled(nt_async_file *af, int q, nt_async_req ***tail)
{
    nt_async_req *prev = NULL;
    for (nt_async_req *r = af->head[q], *next; r; r = next) {
        next = r->next;
        if (!r->io.attempt(af->fd, r->io.arg, &r->status, &r->info)) {
            prev = r;
            continue;
        }
        if (prev)
            prev->next = next;
        else
            af->head[q] = next;
        if (af->tail[q] == r)
            af->tail[q] = prev;
        r->next = NULL;
        **tail = r;
        *tail = &r->next;
    }
}

static void async_complete_list(nt_async_file *af, nt_async_req *list)
{
    while (list) {
        nt_async_req *n = list->next;
        req_complete(af, list, list->status, list->info, list->skip_port);
        list = n;
    }
}

/* ---- the order of notifications ----
 * A file's finished requests are notified (status block, event, port packet, APC) in the order
 * their I/O finished, which is the order of their attempts under af->lock. That is Windows'
 * order: a request completes (IoCompleteRequest queues its packet) when the transport finishes
 * it — a send when its last byte is taken into the send buffer, a receive when data is copied
 * out — so the packet of a send whose last bytes the peer had to read before it answered comes
 * before the packet of the receive that answer completes (pe.ws_ready_on_demand and its _late
 * twin). Notifications are made after the file's lock (they take other locks, copy into the
 * program's memory, and free requests whose finish may submit more), and several threads finish
 * a file's requests: the epoll thread, the port's poller and a waiter's try, a blocking call
 * that polls for itself, a submission done at once, a canceller. So each appends what it
 * finished to the file's delivery list under the lock its I/O ran under; the first that finds
 * nobody delivering notifies the list, and what the others append meanwhile; the others leave
 * theirs to it (before, a thread preempted between the unlock and its post let a later
 * receive's packet, done by another thread, pass its send's: the flake of
 * pe.ws_ready_on_demand). Within one pass over a socket reads are tried before writes, which is
 * this order too: a read done in the pass had its data before the pass began, and a send
 * finishes in the attempt that writes its last byte, which nothing can have answered yet. */

/* Under af->lock: the finished requests `list` (in the order their I/O finished) join the
 * file's delivery list. Returns what this thread notifies now (async_deliver), or NULL when
 * another thread is notifying (it takes them after its own). */
static nt_async_req *async_deliver_take(nt_async_file *af, nt_async_req *list)
{
    if (list) {
        if (af->dl_tail)
            af->dl_tail->next = list;
        else
            af->dl_head = list;
        while (list->next)
            list = list->next;
        af->dl_tail = list;
    }
    if (af->delivering || !af->dl_head)
        return NULL;
    af->delivering = true;
    list = af->dl_head;
    af->dl_head = af->dl_tail = NULL;
    return list;
}

/* This thread notifies a delivery list (its depth: a request's finish may submit on another
 * file, which then finishes at once). */
static __thread int async_delivering;

/* No lock held: notifies `list` (from async_deliver_take), then what other threads appended
 * meanwhile, until the file's delivery list is empty. The caller holds af (a reference, the
 * file's, or the graveyard's delay). */
static void async_deliver(nt_async_file *af, nt_async_req *list)
{
    if (!list)
        return;
    async_delivering++;
    for (;;) {
        if (async_on_epoll_thread && async_test_late_us > 0) {
            struct timespec ts = {async_test_late_us / 1000000,
                                  async_test_late_us % 1000000 * 1000};
            while (nanosleep(&ts, &ts) != 0)
                ;
        }
        async_complete_list(af, list);
        pthread_mutex_lock(&af->lock);
        list = af->dl_head;
        af->dl_head = af->dl_tail = NULL;
        if (!list)
            af->delivering = false;
        pthread_mutex_unlock(&af->lock);
        if (!list)
            break;
    }
    async_delivering--;
}

/* Under af->lock: request `r` of the calling thread, finished now (at its submission, or by its
 * own poll), goes to the delivery list as a waiter; *mine receives what this thread notifies.
 * False when this thread is inside a delivery already (a finish's submission): the caller then
 * notifies r itself, at once, rather than wait for another deliverer. */
static bool async_deliver_own(nt_async_file *af, nt_async_req *r, nt_async_req **mine)
{
    *mine = NULL;
    if (async_delivering && (af->delivering || af->dl_head))
        return false;
    r->waiter = r->own_deliver = true;
    r->self_poll = false; /* (its bell is not rung) */
    r->next = NULL;
    *mine = async_deliver_take(af, r);
    return true;
}

/* No lock held: after async_deliver_own, the request's notifications are made (by this thread
 * or the one delivering); r is freed. */
static void async_deliver_own_wait(nt_async_file *af, nt_async_req *r, nt_async_req *mine)
{
    async_deliver(af, mine);
    for (;;) { /* (no APC marks `done` any more: the caller's alertable wait has ended) */
        uint32_t d = __atomic_load_n(&r->done, __ATOMIC_ACQUIRE);
        if (d == 1)
            break;
        if (d != ASYNC_DONE_SLEEPING &&
            !__atomic_compare_exchange_n(&r->done, &d, ASYNC_DONE_SLEEPING, false,
                                         __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE))
            continue;
        syscall(SYS_futex, &r->done, FUTEX_WAIT | FUTEX_PRIVATE_FLAG, ASYNC_DONE_SLEEPING, NULL,
                NULL, 0);
    }
    req_free(r);
}

/* One epoll event of af: tries what it makes ready; whether a request finished. */
static bool async_process(nt_async_file *af, uint32_t events)
{
    nt_async_req *done = NULL, **tail = &done;
    pthread_mutex_lock(&af->lock);
    if (!af->closed) {
        bool oneshot = !(af->armed & EPOLLET);
        if (oneshot)
            af->armed = 0; /* the kernel disarmed it when it delivered the event */
        if (events & (EPOLLIN | EPOLLRDHUP | EPOLLPRI | EPOLLERR | EPOLLHUP))
            async_run_queue(af, 0, &tail);
        if (events & (EPOLLOUT | EPOLLERR | EPOLLHUP))
            async_run_queue(af, 1, &tail);
        async_run_polled(af, 3, &tail);
        if (done)
            af->idle_wakes = 0;
        else if (oneshot &&
                 ((af->head[0] && !af->head[0]->self_poll) ||
                  (af->head[1] && !af->head[1]->self_poll)) &&
                 ++af->idle_wakes >= ASYNC_IDLE_WAKES_MAX)
            af->edge = true;
        async_arm(af);
    }
    bool finished = done != NULL;
    nt_async_req *mine = async_deliver_take(af, done);
    pthread_mutex_unlock(&af->lock);
    async_deliver(af, mine);
    return finished;
}

static int async_take_aliases(nt_async_file *af, const void *iosb, int32_t tid, bool closing,
                              nt_async_req ***tail);

/* Closing: every request of the file ends cancelled, also those issued on it but queued on
 * another file (AcceptEx's wait for data ends when its listener is closed) unless they outlive
 * their issuer (an AFD poll of other sockets runs on to its end, as on Windows). */
void nt_async_file_close(nt_file_ext *fx)
{
    nt_async_file *af = fx->async;
    if (!af)
        return;
    fx->async = NULL;
    nt_async_req *list = NULL, **tail = &list;
    pthread_mutex_lock(&async_polled_lock); /* off the epoll thread's retry list first */
    for (nt_async_file **pp = &async_polled; *pp; pp = &(*pp)->polled_next) {
        if (*pp == af) {
            *pp = af->polled_next;
            break;
        }
    }
    af->in_polled = false;
    pthread_mutex_unlock(&async_polled_lock);
    pthread_mutex_lock(&af->lock);
    af->closed = true;
    for (int q = 0; q < 4; q++) {
        for (nt_async_req *r = af->head[q]; r; r = r->next) {
            if (q < 3 || !r->io.attempt(-1, r->io.arg, &r->status, &r->info)) {
                r->status = STATUS_CANCELLED;
                r->info = 0;
            }
        }
        *tail = af->head[q];
        while (*tail)
            tail = &(*tail)->next;
        af->head[q] = af->tail[q] = NULL;
    }
    nt_async_pp *route = af->registered ? af->route : NULL;
    if (route) { /* no event of it is fetched from now on */
        pthread_mutex_lock(&route->mu);
        epoll_ctl(route->epfd, EPOLL_CTL_DEL, af->fd, NULL);
        pthread_mutex_unlock(&route->mu);
    } else if (af->registered) {
        epoll_ctl(async_epfd, EPOLL_CTL_DEL, af->fd, NULL);
    }
    nt_object *port = af->port, *route_port = af->route_port;
    af->port = af->route_port = NULL;
    pthread_mutex_unlock(&af->lock);
    nt_async_req **aliased = tail; /* the requests taken from other files end cancelled */
    async_take_aliases(af, NULL, 0, true, &tail);
    for (nt_async_req *r = *aliased; r; r = r->next) {
        r->status = STATUS_CANCELLED;
        r->info = 0;
    }
    while (list) {
        nt_async_req *n = list->next;
        req_complete(NULL, list, list->status, list->info, false);
        list = n;
    }
    if (port)
        nt_object_release(port);
    /* Last, once nothing here uses af: a fetch of the port's set in progress now (which may
     * have fetched an event of it before the EPOLL_CTL_DEL) ends before it goes (the set's
     * grave); one that began after the DEL cannot name it. */
    bool held = false;
    if (route) {
        pthread_mutex_lock(&route->mu);
        if (route->fetching) {
            held = true;
            af->grave_next = route->grave;
            route->grave = af;
        }
        pthread_mutex_unlock(&route->mu);
    }
    if (!held)
        async_bury(af);
    if (route_port) /* (keeps the set alive until here) */
        nt_object_release(route_port);
}

/* Under af->lock: whether `r` is still in queue q. */
static bool async_queued(nt_async_file *af, int q, nt_async_req *r)
{
    for (nt_async_req *c = af->head[q]; c; c = c->next)
        if (c == r)
            return true;
    return false;
}

/* Removes `r` from its queue if it is still there (under af->lock); true when it was. */
static bool async_unqueue(nt_async_file *af, nt_async_req *r)
{
    for (int q = 0; q < 4; q++) {
        nt_async_req *prev = NULL;
        for (nt_async_req *c = af->head[q]; c; prev = c, c = c->next) {
            if (c != r)
                continue;
            if (prev)
                prev->next = c->next;
            else
                af->head[q] = c->next;
            if (af->tail[q] == c)
                af->tail[q] = prev;
            c->next = NULL;
            return true;
        }
    }
    return false;
}

/* The end of an alertable wait: queued APCs no longer mark or ring it. */
static void async_unalert(nt_thread_obj **self)
{
    if (!*self)
        return;
    nt_thread_alertable(*self, NULL, -1);
    nt_object_release(&(*self)->s.hdr);
    *self = NULL;
}

NTSTATUS nt_async_submit(nt_file *f, const nt_async_io *io, const nt_async_notify *n,
                         IO_STATUS_BLOCK *result)
{
    NTSTATUS st;
    nt_async_file *af = async_of(f);
    nt_async_req *r = calloc(1, sizeof *r);
    if (!af || !r) {
        free(r);
        if (io->finish)
            io->finish(io->arg);
        return STATUS_NO_MEMORY;
    }
    r->io = *io;
    r->tid = nt_current_tid();
    if (n) {
        r->iosb = n->iosb;
        if (n->event) {
            st = nt_object_from_handle(n->event, NT_OBJ_EVENT, &r->event);
            if (st != STATUS_SUCCESS) {
                r->event = NULL;
                req_free(r);
                return st;
            }
            pthread_mutex_lock(&nt_wait_lock);
            ((nt_event *)r->event)->signalled = false; /* the I/O manager resets it */
            pthread_mutex_unlock(&nt_wait_lock);
        }
        if (n->apc) {
            r->apc = n->apc;
            r->apc_ctx = n->apc_ctx;
            r->apc_win32 = n->apc_win32;
            r->thread = nt_thread_current();
        }
        r->port_ctx = n->apc ? 0 : (ULONG_PTR)n->apc_ctx;
    }
    r->waiter = n == NULL || n->wait;
    bool waiter = r->waiter; /* once queued, r may be completed and freed by another thread */
    int q = io->any_edge ? 3 : io->polled ? 2 : io->write ? 1 : 0;
    bool done = false;
    if (io->polled)
        pthread_once(&async_once, async_start);

    nt_async_file *paf = n && n->port_file ? async_of(n->port_file) : af;
    if (paf && paf != af) {
        pthread_mutex_lock(&paf->lock);
        if (paf->port && r->port_ctx && !r->apc) {
            r->port = paf->port;
            nt_object_ref(r->port);
            r->key = paf->key;
        }
        pthread_mutex_unlock(&paf->lock);
    }
    if (paf && paf != af && !waiter) { /* findable through paf before anyone can see it */
        r->alias = paf;
        r->owner = af;
        r->issued_elsewhere = true;
        pthread_mutex_lock(&async_alias_lock);
        r->alias_next = async_aliases;
        async_aliases = r;
        pthread_mutex_unlock(&async_alias_lock);
    }
    /* A readiness request (an AFD poll) whose packet goes to a port: its file, bound to no
     * port, is armed in that port's set (as if bound to it), so the port's waiter does the
     * poll's attempt in its own thread (one hop). */
    nt_async_pp *adopt = q == 3 && r->port && af->pollable ? nt_iocp_pp(r->port) : NULL;
    pthread_mutex_lock(&af->lock);
    if (adopt && !af->route && !af->port && !af->closed && af->fd == f->fd)
        async_route(af, adopt, r->port);
    if (paf == af && af->port && r->port_ctx && !r->apc) {
        r->port = af->port;
        nt_object_ref(r->port);
        r->key = af->key;
    }
    uint32_t modes = af->modes;
    if (!af->head[q] || q >= 2) { /* polled and readiness requests queue behind no other */
        done = r->io.attempt(af->fd, r->io.arg, &r->status, &r->info);
        if (!done && !af->pollable && (!io->polled || async_wakefd < 0)) {
            /* nothing would ever retry it */
            done = true;
            r->status = STATUS_NOT_SUPPORTED;
            r->info = 0;
        }
    }
    if (!done) {
        if (af->tail[q])
            af->tail[q]->next = r;
        else
            af->head[q] = r;
        af->tail[q] = r;
        /* a synchronous caller whose queue was empty waits for the fd in its own thread */
        r->self_poll = waiter && io->waiter_polls && q < 2 && af->pollable &&
                       af->head[q] == r && (r->bell = async_bell_fd()) >= 0;
        if (q != 2 && !async_arm(af)) { /* epoll refused the fd: nothing would retry it */
            async_unqueue(af, r);
            done = true;
            r->status = STATUS_NOT_SUPPORTED;
            r->info = 0;
        } else if (af->route && (r->port != af->route_port || r->event) && !r->self_poll) {
            /* the port's waiters would not take it, or a thread may wait on its event */
            async_pp_unlease(af->route);
        }
    }
    bool list_it = !done && q == 2 && !af->in_polled;
    /* done at once: notified in its turn among the file's (async_deliver_own) */
    nt_async_req *mine = NULL;
    bool own = false;
    if (done && r->status != NT_ASYNC_HANDED_OVER && !NT_ERROR(r->status)) {
        r->skip_port = (modes & NT_FILE_SKIP_COMPLETION_PORT_ON_SUCCESS) != 0;
        own = async_deliver_own(af, r, &mine);
    }
    pthread_mutex_unlock(&af->lock);
    if (list_it) { /* the epoll thread retries it from now on */
        pthread_mutex_lock(&async_polled_lock);
        pthread_mutex_lock(&af->lock);
        if (!af->in_polled && !af->closed && af->head[2]) {
            af->in_polled = true;
            af->polled_next = async_polled;
            __atomic_store_n(&async_polled, af, __ATOMIC_RELEASE);
        }
        pthread_mutex_unlock(&af->lock);
        pthread_mutex_unlock(&async_polled_lock);
        uint64_t one = 1;
        if (write(async_wakefd, &one, sizeof one) < 0) { /* the counter is full: awake already */
        }
    }

    if (done && r->status == NT_ASYNC_HANDED_OVER) {
        r->waiter = false;
        req_complete(af, r, NT_ASYNC_HANDED_OVER, 0, true);
        if (result)
            result->Status = STATUS_PENDING;
        return STATUS_PENDING;
    }
    if (done) {
        st = r->status;
        if (result) {
            result->Status = st;
            result->Information = r->info;
        }
        if (NT_ERROR(st)) { /* a failure at once: the status block only, no notification */
            if (r->iosb) {
                IO_STATUS_BLOCK iob = {.Status = st, .Information = r->info};
                nt_copy_to_user(r->iosb, &iob, sizeof iob);
            }
            req_free(r);
            return st;
        }
        if (own) {
            async_deliver_own_wait(af, r, mine);
            return st;
        }
        r->waiter = false;
        req_complete(af, r, st, r->info, r->skip_port);
        return st;
    }
    if (!waiter) {
        if (result)
            result->Status = STATUS_PENDING;
        return STATUS_PENDING;
    }
    int64_t deadline = n && n->timeout_ms ? nt_mono_now() + n->timeout_ms * 1000000LL
                                          : INT64_MAX;
    /* Wait for the request; on the deadline or a termination request take it back
     * (cancelled) unless it is being completed right now. A self-polled request: the wait is
     * a ppoll of the fd (and the doorbell), and this thread does the I/O when the fd is ready
     * (one wake-up, where the epoll thread's would make two). An alertable wait (Winsock's
     * blocking calls) runs the thread's user APCs as they come and waits on: a queued APC marks
     * `done` NT_WAIT_APC (futex sleep) and rings the doorbell (ppoll). */
    nt_thread_obj *self = n && n->alertable ? nt_thread_current() : NULL;
    if (self)
        nt_thread_alertable(self, (int *)&r->done, r->self_poll ? r->bell : -1);
    short pev = q == 0 ? POLLIN | POLLPRI | POLLRDHUP : POLLOUT;
    for (;;) {
        uint32_t d = __atomic_load_n(&r->done, __ATOMIC_ACQUIRE);
        if (d == 1)
            break;
        if (self) {
            if (d == NT_WAIT_APC) /* (completion stores 1 over it: never lost) */
                __atomic_compare_exchange_n(&r->done, &d, 0, false, __ATOMIC_ACQ_REL,
                                            __ATOMIC_ACQUIRE);
            if (nt_thread_run_apcs(self))
                continue;
        }
        int64_t now = nt_mono_now();
        if (now >= deadline || rt_thread_pending()) {
            pthread_mutex_lock(&af->lock);
            bool mine = async_unqueue(af, r);
            if (mine && r->self_poll)
                async_arm(af); /* for the requests behind it */
            pthread_mutex_unlock(&af->lock);
            if (mine) {
                async_unalert(&self);
                bool term = rt_thread_pending();
                st = term ? STATUS_CANCELLED : STATUS_IO_TIMEOUT;
                r->waiter = false;
                req_complete(af, r, st, 0, true);
                if (term)
                    rt_thread_check_pending();
                if (result) {
                    result->Status = st;
                    result->Information = 0;
                }
                return st;
            }
            deadline = INT64_MAX;
        }
        int64_t until = now + RT_WAIT_SLICE_NS;
        if (deadline < until)
            until = deadline;
        if (r->self_poll) {
            struct pollfd p[2] = {{.fd = af->fd, .events = pev}, {.fd = r->bell, .events = POLLIN}};
            struct timespec rel = {(until - now) / 1000000000, (until - now) % 1000000000};
            int pr = ppoll(p, 2, &rel, NULL);
            if (pr > 0 && p[1].revents) {
                uint64_t v;
                if (read(r->bell, &v, sizeof v) < 0) { /* drained already */
                }
            }
            if (pr <= 0 || !p[0].revents || __atomic_load_n(&r->done, __ATOMIC_ACQUIRE) == 1)
                continue;
            pthread_mutex_lock(&af->lock);
            bool mine = !af->closed && async_queued(af, q, r);
            bool fin = mine && r->io.attempt(af->fd, r->io.arg, &r->status, &r->info);
            nt_async_req *dl = NULL;
            bool own = false;
            if (fin) {
                async_unqueue(af, r);
                async_arm(af); /* for the requests behind it */
                own = async_deliver_own(af, r, &dl);
            }
            pthread_mutex_unlock(&af->lock);
            if (fin) { /* notified as the epoll thread would have, in its turn */
                async_unalert(&self);
                st = r->status;
                if (result) {
                    result->Status = st;
                    result->Information = r->info;
                }
                if (own) {
                    async_deliver_own_wait(af, r, dl);
                    return st;
                }
                r->waiter = false;
                req_complete(af, r, st, r->info, false);
                return st;
            }
            if (mine)
                continue;
            /* taken out by a canceller, which sets `done` next */
        }
        struct timespec ts = {until / 1000000000, until % 1000000000};
        syscall(SYS_futex, &r->done, FUTEX_WAIT_BITSET | FUTEX_PRIVATE_FLAG, 0, &ts, NULL,
                FUTEX_BITSET_MATCH_ANY);
    }
    async_unalert(&self); /* before r goes: an APC would mark its `done` */
    st = r->status;
    if (result) {
        result->Status = st;
        result->Information = r->info;
    }
    req_free(r);
    return st;
}

/* Takes the requests issued on af but queued on another file (aliases) whose status block is
 * `iosb` (NULL: all) from thread `tid` (0: any) out of their queues, onto **tail; their
 * number. `closing`: af's file goes; its outlives_issuer requests stay queued where they are,
 * no longer findable through af. No af->lock held. */
static int async_take_aliases(nt_async_file *af, const void *iosb, int32_t tid, bool closing,
                              nt_async_req ***tail)
{
    int count = 0;
    pthread_mutex_lock(&async_alias_lock);
    for (nt_async_req **pp = &async_aliases; *pp;) {
        nt_async_req *r = *pp;
        bool mine = false;
        if (closing && r->alias == af && r->io.outlives_issuer) {
            *pp = r->alias_next;
            r->alias = NULL;
            continue;
        }
        if (r->alias == af && (!iosb || (const void *)r->iosb == iosb) && (!tid || r->tid == tid)) {
            pthread_mutex_lock(&r->owner->lock);
            mine = async_unqueue(r->owner, r); /* else being completed right now */
            pthread_mutex_unlock(&r->owner->lock);
        }
        if (!mine) {
            pp = &r->alias_next;
            continue;
        }
        *pp = r->alias_next;
        r->alias = NULL;
        **tail = r;
        *tail = &r->next;
        count++;
    }
    pthread_mutex_unlock(&async_alias_lock);
    return count;
}

/* Ends f's requests whose status block is `iosb` (NULL: all) issued by thread `tid` (0: any
 * thread) with `status` (STATUS_CANCELLED: cancelled); the number ended. Issued on f: those in
 * its queues but the ones another file issued (an AFD poll of f issued on the helper device or
 * on another socket: CancelIo of f leaves them, as Windows does), and those it issued that wait
 * in another file's queues (aliases). */
static int async_end(nt_file *f, const void *iosb, int32_t tid, NTSTATUS status,
                     bool waiters_only)
{
    nt_async_file *af = __atomic_load_n(&nt_file_ext_of(f)->async, __ATOMIC_ACQUIRE);
    if (!af)
        return 0;
    nt_async_req *list = NULL, **tail = &list;
    int count = 0;
    pthread_mutex_lock(&af->lock);
    for (int q = 0; q < 4; q++) {
        nt_async_req **pp = &af->head[q], *prev = NULL;
        while (*pp) {
            nt_async_req *r = *pp;
            /* a request issued on another file (alias) is that file's to cancel */
            if ((iosb && (const void *)r->iosb != iosb) || (tid && r->tid != tid) ||
                r->issued_elsewhere || (waiters_only && !r->waiter)) {
                prev = r;
                pp = &r->next;
                continue;
            }
            *pp = r->next;
            if (af->tail[q] == r)
                af->tail[q] = prev;
            r->next = NULL;
            *tail = r;
            tail = &r->next;
            count++;
        }
    }
    if (count && !af->closed)
        async_arm(af); /* out of edge mode when the last readiness request went */
    for (nt_async_req *r = list; r; r = r->next) {
        r->status = status;
        r->info = 0;
    }
    nt_async_req *mine = async_deliver_take(af, list); /* after what finished before */
    pthread_mutex_unlock(&af->lock);
    nt_async_req *aliased = NULL, **atail = &aliased;
    if (!waiters_only) /* (a waiter's request is never an alias) */
        count += async_take_aliases(af, iosb, tid, false, &atail);
    async_deliver(af, mine);
    while (aliased) { /* queued on other files: their order is theirs */
        nt_async_req *next = aliased->next;
        req_complete(af, aliased, status, 0, false);
        aliased = next;
    }
    return count;
}

/* ---- ThreadIsIoPending ---- */
typedef struct {
    nt_object **files;
    size_t n, cap;
} async_file_list;

/* Under the handle table's lock: each file object with overlapped state, referenced. */
static void async_collect_file(HANDLE h, nt_object *obj, void *ctx)
{
    (void)h;
    async_file_list *l = ctx;
    if (obj->type != NT_OBJ_FILE || !__atomic_load_n(&((nt_file_ext *)obj)->async, __ATOMIC_ACQUIRE))
        return;
    for (size_t i = 0; i < l->n; i++)
        if (l->files[i] == obj)
            return; /* two handles of one file */
    if (l->n == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 16;
        nt_object **grown = realloc(l->files, cap * sizeof *grown);
        if (!grown)
            return;
        l->files = grown;
        l->cap = cap;
    }
    nt_object_ref(obj);
    l->files[l->n++] = obj;
}

static bool async_file_has_tid(nt_file_ext *fx, int32_t tid)
{
    nt_async_file *af = __atomic_load_n(&fx->async, __ATOMIC_ACQUIRE);
    bool found = false;
    if (!af)
        return false;
    pthread_mutex_lock(&af->lock);
    for (int q = 0; q < 4 && !found; q++)
        for (nt_async_req *r = af->head[q]; r && !found; r = r->next)
            found = r->tid == tid;
    pthread_mutex_unlock(&af->lock);
    return found;
}

/* The files are gathered under the table's lock and looked at after it (a file's lock is never
 * taken inside the table's). */
bool nt_async_thread_has_pending(int32_t tid)
{
    async_file_list l = {0};
    bool found = false;
    nt_handles_for_each(async_collect_file, &l);
    for (size_t i = 0; i < l.n; i++) {
        if (!found)
            found = async_file_has_tid((nt_file_ext *)l.files[i], tid);
        nt_object_release(l.files[i]);
    }
    free(l.files);
    return found;
}

static int async_cancel(nt_file *f, const void *iosb, int32_t tid)
{
    return async_end(f, iosb, tid, STATUS_CANCELLED, false);
}

void nt_async_end_all(nt_file *f, NTSTATUS status) { async_end(f, NULL, 0, status, false); }

void nt_async_end_waiters(nt_file *f) { async_end(f, NULL, 0, STATUS_CANCELLED, true); }

bool nt_async_poll_fd(nt_file *f, int fd)
{
    nt_async_file *af = async_of(f);
    if (!af)
        return false;
    pthread_once(&async_once, async_start);
    if (async_epfd < 0)
        return false;
    pthread_mutex_lock(&af->lock);
    bool ok = af->pollable && af->fd == fd;
    if (!af->pollable) { /* asked now, disarmed until a request is queued */
        struct epoll_event ev = {.events = EPOLLONESHOT, .data.ptr = af};
        if (epoll_ctl(async_epfd, EPOLL_CTL_ADD, fd, &ev) == 0) {
            af->fd = fd;
            af->pollable = af->registered = ok = true;
        }
    }
    pthread_mutex_unlock(&af->lock);
    return ok;
}

void nt_async_retry(nt_file *f)
{
    nt_async_file *af = __atomic_load_n(&nt_file_ext_of(f)->async, __ATOMIC_ACQUIRE);
    if (!af)
        return;
    nt_async_req *done = NULL, **tail = &done;
    pthread_mutex_lock(&af->lock);
    if (!af->closed) {
        async_run_polled(af, 2, &tail);
        async_run_polled(af, 3, &tail);
        async_arm(af);
    }
    nt_async_req *mine = async_deliver_take(af, done);
    pthread_mutex_unlock(&af->lock);
    async_deliver(af, mine);
}

NTSTATUS NTAPI NtCancelIoFile(HANDLE h, IO_STATUS_BLOCK *io)
{
    nt_file *f;
    NTSTATUS st = nt_file_get(h, &f);
    if (st != STATUS_SUCCESS)
        return st;
    async_cancel(f, NULL, nt_current_tid());
    nt_object_release(&f->hdr);
    IO_STATUS_BLOCK iob = {.Status = STATUS_SUCCESS, .Information = 0};
    if (nt_copy_to_user(io, &iob, sizeof iob) != 0)
        return STATUS_ACCESS_VIOLATION;
    return STATUS_SUCCESS;
}

NTSTATUS NTAPI NtCancelIoFileEx(HANDLE h, IO_STATUS_BLOCK *request, IO_STATUS_BLOCK *io)
{
    nt_file *f;
    NTSTATUS st = nt_file_get(h, &f);
    if (st != STATUS_SUCCESS)
        return st;
    if (!nt_probe_write(io, sizeof *io)) { /* before anything is cancelled, as Windows */
        nt_object_release(&f->hdr);
        return STATUS_ACCESS_VIOLATION;
    }
    int n = async_cancel(f, request, 0);
    nt_object_release(&f->hdr);
    if (n == 0)
        return STATUS_NOT_FOUND;
    IO_STATUS_BLOCK iob = {.Status = STATUS_SUCCESS, .Information = 0};
    if (nt_copy_to_user(io, &iob, sizeof iob) != 0)
        return STATUS_ACCESS_VIOLATION;
    return STATUS_SUCCESS;
}

/* FileCompletionInformation (30), FileIoCompletionNotificationInformation (41),
 * FileReplaceCompletionInformation (61). */
NTSTATUS nt_async_set_info(nt_file *f, uint32_t klass, const void *buf, size_t len)
{
    nt_async_file *af = async_of(f);
    if (!af)
        return STATUS_NO_MEMORY;
    if (klass == 41) {
        uint32_t flags;
        if (len < sizeof flags)
            return STATUS_INFO_LENGTH_MISMATCH;
        memcpy(&flags, buf, sizeof flags);
        pthread_mutex_lock(&af->lock);
        af->modes |= flags & 7u;
        pthread_mutex_unlock(&af->lock);
        return STATUS_SUCCESS;
    }
    struct {
        HANDLE port;
        void *key;
    } ci;
    if (len < sizeof ci)
        return STATUS_INFO_LENGTH_MISMATCH;
    memcpy(&ci, buf, sizeof ci);
    nt_object *port = NULL;
    if (ci.port || klass == 30) {
        NTSTATUS st = nt_handle_get(ci.port, NT_OBJ_IO_COMPLETION, &port);
        if (st != STATUS_SUCCESS)
            return st;
    }
    /* a pollable file bound to its first port is armed in the port's poll set from now on */
    nt_async_pp *pp = klass == 30 && af->pollable ? nt_iocp_pp(port) : NULL;
    pthread_mutex_lock(&af->lock);
    if (klass == 30 && af->port) {
        pthread_mutex_unlock(&af->lock);
        nt_object_release(port);
        return STATUS_INVALID_PARAMETER; /* a file is bound to one port for its life */
    }
    nt_object *old = af->port;
    af->port = port;
    af->key = (ULONG_PTR)ci.key;
    if (pp && !af->route && !af->closed && af->fd == f->fd)
        async_route(af, pp, port);
    pthread_mutex_unlock(&af->lock);
    if (old)
        nt_object_release(old);
    return STATUS_SUCCESS;
}

void nt_async_wait_soon(HANDLE h)
{
    nt_file *f;
    if (nt_file_get(h, &f) != STATUS_SUCCESS)
        return;
    nt_async_file *af = __atomic_load_n(&nt_file_ext_of(f)->async, __ATOMIC_ACQUIRE);
    if (af && af->route) /* (the file's reference keeps its route) */
        async_pp_unlease(af->route);
    nt_object_release(&f->hdr);
}

void nt_async_poll_soon(HANDLE h)
{
    nt_file *f;
    if (nt_file_get(h, &f) != STATUS_SUCCESS)
        return;
    nt_async_file *af = __atomic_load_n(&nt_file_ext_of(f)->async, __ATOMIC_ACQUIRE);
    if (af && af->route && nt_async_pp_leased(af->route)) /* (the file keeps its route) */
        async_pp_run(af->route, 0, false);
    nt_object_release(&f->hdr);
}

/* Waits until the status block a request of `f` fills stops reading STATUS_PENDING. */
NTSTATUS nt_async_wait_iosb(HANDLE h, const IO_STATUS_BLOCK *iosb, int64_t deadline)
{
    nt_file *f;
    NTSTATUS st = nt_file_get(h, &f);
    if (st != STATUS_SUCCESS)
        return st;
    nt_async_file *af = async_of(f);
    st = STATUS_SUCCESS;
    if (af) /* before any read of seq: a completion after it wakes us (req_complete) */
        __atomic_add_fetch(&af->seq_waiters, 1, __ATOMIC_SEQ_CST);
    if (af && af->route) /* (the file's reference keeps its route) */
        async_pp_unlease(af->route);
    for (;;) {
        uint32_t seq = af ? __atomic_load_n(&af->seq, __ATOMIC_SEQ_CST) : 0;
        NTSTATUS cur;
        if (nt_copy_from_user(&cur, &iosb->Status, sizeof cur) != 0) {
            st = STATUS_ACCESS_VIOLATION;
            break;
        }
        if (cur != STATUS_PENDING || !af)
            break;
        rt_thread_check_pending();
        int64_t now = nt_mono_now();
        if (now >= deadline) {
            st = STATUS_TIMEOUT;
            break;
        }
        int64_t until = deadline - now > RT_WAIT_SLICE_NS ? now + RT_WAIT_SLICE_NS : deadline;
        struct timespec ts = {until / 1000000000, until % 1000000000};
        syscall(SYS_futex, &af->seq, FUTEX_WAIT_BITSET | FUTEX_PRIVATE_FLAG, seq, &ts, NULL,
                FUTEX_BITSET_MATCH_ANY);
    }
    if (af)
        __atomic_sub_fetch(&af->seq_waiters, 1, __ATOMIC_SEQ_CST);
    nt_object_release(&f->hdr);
    return st;
}

/* ---- NtReadFile / NtWriteFile on files without FILE_SYNCHRONOUS_IO_* ---- */
typedef struct {
    uint8_t *buf;
    uint32_t len, done;
    int64_t off;       /* < 0: the file position */
    bool write;
} nt_rw_arg;

static bool rw_attempt(int fd, void *p, NTSTATUS *status, ULONG_PTR *info)
{
    nt_rw_arg *a = p;
    for (;;) {
        ssize_t n;
        if (a->write) {
            if (a->done == a->len && a->len)
                break;
            rt_lazy_fill(a->buf + a->done, a->len - a->done);
            n = a->off >= 0 ? pwrite(fd, a->buf + a->done, a->len - a->done, a->off + a->done)
                            : write(fd, a->buf + a->done, a->len - a->done);
        } else {
            n = a->off >= 0 ? pread(fd, a->buf, a->len, a->off) : read(fd, a->buf, a->len);
        }
        if (n < 0 && errno == ESPIPE && a->off >= 0) {
            a->off = -1;
            continue;
        }
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
            return false;
        if (n < 0) {
            if (a->write && a->done)
                break;
            *status = a->write && errno == EPIPE ? STATUS_PIPE_CLOSING /* reader gone */
                                                 : nt_status_from_errno(errno);
            *info = 0;
            return true;
        }
        if (!a->write) {
            struct stat st;
            *status = STATUS_SUCCESS;
            if (n == 0 && a->len > 0)
                *status = fstat(fd, &st) == 0 && (S_ISFIFO(st.st_mode) || S_ISSOCK(st.st_mode))
                              ? STATUS_PIPE_BROKEN
                              : STATUS_END_OF_FILE;
            *info = (ULONG_PTR)n;
            return true;
        }
        a->done += (uint32_t)n;
        if (a->done == a->len || a->len == 0)
            break;
    }
    *status = STATUS_SUCCESS;
    *info = a->done;
    return true;
}

NTSTATUS nt_file_rw_async(nt_file *f, bool write, const nt_async_notify *n, void *buf,
                          uint32_t len, int64_t off)
{
    nt_rw_arg *a = malloc(sizeof *a);
    if (!a)
        return STATUS_NO_MEMORY;
    *a = (nt_rw_arg){.buf = buf, .len = len, .off = off, .write = write};
    nt_async_io io = {.attempt = rw_attempt, .finish = free, .arg = a, .write = write};
    return nt_async_submit(f, &io, n, NULL);
}
