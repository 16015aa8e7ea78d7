/* SPDX-License-Identifier: MIT */
/* I/O completion ports: NtCreateIoCompletion, NtOpenIoCompletion, NtSetIoCompletion (post a
 * packet), NtRemoveIoCompletion (one packet) and NtRemoveIoCompletionEx (up to N packets, with
 * an alertable wait), NtQueryIoCompletion (the queue depth).
 *
 * A port is a FIFO of packets {key, apc context, status, information} under the port's own
 * mutex. Waiters sleep on the port's futex word `seq`, which every post increments: a waiter
 * reads seq under the lock, finds the queue empty, unlocks and sleeps while seq is unchanged,
 * so a post between the check and the sleep is never lost. A waiter counts itself in `waiters`
 * (under the lock, before it unlocks to sleep) and a post wakes the futex only when the count it
 * reads under the lock is not 0: a program that takes its packets without ever sleeping
 * (GetQueuedCompletionStatus after a read that completed at once) makes no futex call. Sleeps
 * last at most
 * RT_WAIT_SLICE_NS so a TerminateThread / ExitProcess request is seen (rt_thread_check_pending
 * runs with no lock held). Concurrency limits are accepted but not enforced: every waiter may
 * take a packet (Windows would hold back waiters beyond NumberOfConcurrentThreads).
 *
 * One hop for pending I/O: the sockets and pipes bound to a port are armed in the port's own
 * poll set (ntemu/async.c, nt_async_pp). A waiter that finds the queue empty and no other
 * waiter polling becomes the port's poller: instead of the futex it sleeps in epoll_wait of the
 * set (which holds the port's doorbell), does the I/O of what is ready in its own thread, and
 * takes the packets that posts (quietly: no wake of anyone for a packet it takes itself); the
 * epoll thread does not watch the set meanwhile. Other waiters sleep on the futex as before; a
 * post from another thread wakes one of them, or, when none sleeps, rings the port's doorbell.
 * The role lasts one sleep: the poller gives it up before it returns or checks for a
 * termination request. When no other thread sleeps in the port, the set then stays unwatched
 * for a short lease (nt_async_pp_leave; every return from the port without a sleep renews it),
 * so the I/O that becomes ready before the thread's next wait is done by that wait's try, in
 * its own thread, and not by the epoll thread (which would then wake the waiter: two hops);
 * a timer, or a request on the set that posts no packet here or has an event, ends the
 * lease. With sleepers the epoll thread watches the set at once. A waiter that returns for an
 * APC (or ends) with packets its quiet posts left wakes sleepers for them. */
#include <errno.h>
#include <linux/futex.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>
#include "ntemu/ntemu_private.h"

typedef struct nt_iocp_packet {
    struct nt_iocp_packet *next;
    ULONG_PTR key, ctx;
    NTSTATUS status;
    ULONG_PTR info;
    uint64_t tag;                 /* a wait completion packet's association, 0 otherwise */
} nt_iocp_packet;

typedef struct nt_iocp {
    nt_sync s;                    /* named ports share the object namespace */
    pthread_mutex_t lock;
    nt_iocp_packet *head, *tail;
    uint32_t depth;
    uint32_t seq;                 /* futex word: bumped by every post */
    uint32_t waiters;             /* threads about to sleep or asleep on seq (+1 under lock) */
    nt_async_pp *pp;              /* the poll set of the files bound to it (NULL: none yet) */
    bool poller;                  /* a waiter polls pp (under lock) */
    uint64_t poll_gen;            /* changes of `poller` (nt_async_pp_watch's order) */
} nt_iocp;

/* The port whose poll set this thread is polling: what it completes meanwhile posts quietly. */
static __thread nt_iocp *iocp_polling;

/* FILE_IO_COMPLETION_INFORMATION, the layout of kernel32's OVERLAPPED_ENTRY too. */
typedef struct {
    ULONG_PTR KeyContext;        /* 0x00 */
    ULONG_PTR ApcContext;        /* 0x08 */
    IO_STATUS_BLOCK IoStatus;    /* 0x10 */
} nt_io_completion_info;
_Static_assert(sizeof(nt_io_completion_info) == 0x20, "FILE_IO_COMPLETION_INFORMATION");

static void nt_iocp_destroy(nt_object *o)
{
    nt_iocp *p = (nt_iocp *)o;
    nt_sync_free_name(&p->s);
    nt_async_pp_free(p->pp);
    for (nt_iocp_packet *k = p->head, *n; k; k = n) {
        n = k->next;
        free(k);
    }
    pthread_mutex_destroy(&p->lock);
    free(p);
}

NTSTATUS NTAPI NtCreateIoCompletion(HANDLE *handle, uint32_t access,
                                    const OBJECT_ATTRIBUTES *attr, uint32_t concurrency)
{
    HANDLE zero = NULL;
    if (nt_copy_to_user(handle, &zero, sizeof zero) != 0)
        return STATUS_ACCESS_VIOLATION;
    nt_iocp *p = calloc(1, sizeof *p);
    if (!p)
        return STATUS_NO_MEMORY;
    nt_object_init(&p->s.hdr, NT_OBJ_IO_COMPLETION, nt_iocp_destroy);
    pthread_mutex_init(&p->lock, NULL);
    (void)concurrency;
    return nt_create_named(&p->s, attr, handle);
}

NTSTATUS NTAPI NtOpenIoCompletion(HANDLE *handle, uint32_t access, const OBJECT_ATTRIBUTES *attr)
{
    return nt_open_named(NT_OBJ_IO_COMPLETION, attr, handle);
}

nt_async_pp *nt_iocp_pp(nt_object *port)
{
    nt_iocp *p = (nt_iocp *)port;
    pthread_mutex_lock(&p->lock);
    if (!p->pp)
        p->pp = nt_async_pp_new();
    nt_async_pp *pp = p->pp;
    pthread_mutex_unlock(&p->lock);
    return pp;
}

static NTSTATUS nt_iocp_get(HANDLE h, nt_iocp **out)
{
    nt_object *o;
    NTSTATUS st = nt_handle_get(h, NT_OBJ_IO_COMPLETION, &o);
    *out = (nt_iocp *)o;
    return st;
}

NTSTATUS nt_iocp_post(nt_object *port, ULONG_PTR key, ULONG_PTR ctx, NTSTATUS status,
                      ULONG_PTR info)
{
    return nt_iocp_post_tagged(port, key, ctx, status, info, 0);
}

NTSTATUS nt_iocp_post_tagged(nt_object *port, ULONG_PTR key, ULONG_PTR ctx, NTSTATUS status,
                             ULONG_PTR info, uint64_t tag)
{
    nt_iocp *p = (nt_iocp *)port;
    nt_iocp_packet *k = malloc(sizeof *k);
    if (!k)
        return STATUS_NO_MEMORY;
    k->next = NULL;
    k->tag = tag;
    k->key = key;
    k->ctx = ctx;
    k->status = status;
    k->info = info;
    pthread_mutex_lock(&p->lock);
    if (p->tail)
        p->tail->next = k;
    else
        p->head = k;
    p->tail = k;
    p->depth++;
    __atomic_add_fetch(&p->seq, 1, __ATOMIC_RELEASE);
    bool quiet = iocp_polling == p; /* the poller takes it next */
    bool sleepers = !quiet && __atomic_load_n(&p->waiters, __ATOMIC_RELAXED) != 0;
    if (!quiet && !sleepers && p->poller)
        nt_async_pp_ring(p->pp);
    pthread_mutex_unlock(&p->lock);
    if (sleepers)
        syscall(SYS_futex, &p->seq, FUTEX_WAKE | FUTEX_PRIVATE_FLAG, 1, NULL, NULL, 0);
    return STATUS_SUCCESS;
}

bool nt_iocp_find_tag(nt_object *port, uint64_t tag, bool remove)
{
    nt_iocp *p = (nt_iocp *)port;
    bool found = false;
    pthread_mutex_lock(&p->lock);
    nt_iocp_packet *prev = NULL;
    for (nt_iocp_packet *k = p->head; k; prev = k, k = k->next) {
        if (k->tag != tag)
            continue;
        found = true;
        if (remove) {
            if (prev)
                prev->next = k->next;
            else
                p->head = k->next;
            if (p->tail == k)
                p->tail = prev;
            p->depth--;
            free(k);
        }
        break;
    }
    pthread_mutex_unlock(&p->lock);
    return found;
}

NTSTATUS NTAPI NtSetIoCompletion(HANDLE h, ULONG_PTR key, ULONG_PTR ctx, NTSTATUS status,
                                 ULONG_PTR info)
{
    nt_iocp *p;
    NTSTATUS st = nt_iocp_get(h, &p);
    if (st != STATUS_SUCCESS)
        return st;
    st = nt_iocp_post(&p->s.hdr, key, ctx, status, info);
    nt_object_release(&p->s.hdr);
    return st;
}

/* Packets this thread's quiet posts left in the queue, which it does not take (it returns
 * for an APC or ends): the sleepers are woken for them (or the poller rung). */
static void nt_iocp_pass_on(nt_iocp *p)
{
    pthread_mutex_lock(&p->lock);
    uint32_t more = p->head ? p->waiters : 0;
    if (more > p->depth)
        more = p->depth;
    if (p->head && !more && p->poller)
        nt_async_pp_ring(p->pp);
    pthread_mutex_unlock(&p->lock);
    if (more)
        syscall(SYS_futex, &p->seq, FUTEX_WAKE | FUTEX_PRIVATE_FLAG, (int)more, NULL, NULL, 0);
}

/* Takes up to `max` packets into out[]; waits until there is one, the deadline passes
 * (STATUS_TIMEOUT) or, when alertable, a user APC ran (STATUS_USER_APC). */
static NTSTATUS nt_iocp_remove(nt_iocp *p, nt_io_completion_info *out, uint32_t max,
                               uint32_t *got, int64_t deadline, bool alertable)
{
    *got = 0;
    bool polled = false, tried = false;
    for (;;) {
        if (polled && rt_thread_pending())
            nt_iocp_pass_on(p);
        rt_thread_check_pending();
        if (alertable && NtTestAlert() == STATUS_USER_APC) {
            if (polled)
                nt_iocp_pass_on(p);
            return STATUS_USER_APC;
        }
        pthread_mutex_lock(&p->lock);
        while (p->head && *got < max) {
            nt_iocp_packet *k = p->head;
            p->head = k->next;
            if (!p->head)
                p->tail = NULL;
            p->depth--;
            /* the whole entry: IoStatus.Status is the low half of a pointer-sized union, and
             * kernel32 hands the eight bytes to the program (OVERLAPPED_ENTRY.Internal, read as
             * 0 for success); `out` is the caller's malloc or stack, never cleared */
            memset(&out[*got], 0, sizeof out[*got]);
            out[*got].KeyContext = k->key;
            out[*got].ApcContext = k->ctx;
            out[*got].IoStatus.Status = k->status;
            out[*got].IoStatus.Information = k->info;
            (*got)++;
            free(k);
        }
        /* packets left that this thread's quiet posts kept from the sleepers, or from a
         * poller that took the role meanwhile (after this thread's try) */
        uint32_t more = polled && *got && p->head ? p->waiters : 0;
        if (more > p->depth)
            more = p->depth;
        if (polled && *got && p->head && !more && p->poller)
            nt_async_pp_ring(p->pp);
        uint32_t seq = __atomic_load_n(&p->seq, __ATOMIC_ACQUIRE);
        int64_t now = *got > 0 ? 0 : nt_mono_now();
        bool sleep = *got == 0 && deadline != 0 && now < deadline;
        bool poll = sleep && p->pp && !p->poller;
        /* what is ready already, without taking the role; a call that does not wait tries
         * the set too while nobody watches it (the lease of a poller that left) */
        bool try_first = !tried && *got == 0 && p->pp && !p->poller &&
                         (poll || nt_async_pp_leased(p->pp));
        uint64_t gen = 0;
        /* A caller back from the port with a packet or from a look at its set, nobody else in
         * it: the lease as a poller leaving takes it (the data a write made ready before the
         * next wait is found by that wait, not by the epoll thread: pe.iocp.pipe). A call
         * that found nothing and looked at nothing (an idle timeout-0 loop) takes none, so
         * it costs no timer wake-up. */
        bool renew = p->pp && !p->poller && p->waiters == 0 &&
                     (*got > 0 || (polled && !sleep && !try_first));
        if (renew)
            gen = ++p->poll_gen;
        if (try_first) {
            poll = false;
        } else if (poll) { /* posts from now on ring the bell (when no futex waiter takes them) */
            p->poller = true;
            gen = ++p->poll_gen;
        } else if (sleep) { /* counted before the unlock: a post from now on sees it */
            __atomic_add_fetch(&p->waiters, 1, __ATOMIC_RELAXED);
        }
        pthread_mutex_unlock(&p->lock);
        if (more)
            syscall(SYS_futex, &p->seq, FUTEX_WAKE | FUTEX_PRIVATE_FLAG, (int)more, NULL, NULL, 0);
        if (renew)
            nt_async_pp_leave(p->pp, gen, true);
        if (*got > 0)
            return STATUS_SUCCESS;
        if (try_first) { /* (no disarming of the epoll thread's watch, and no re-arming, when
                            the I/O is there: the common case of a write before the wait) */
            tried = polled = true;
            iocp_polling = p;
            nt_async_pp_try(p->pp);
            iocp_polling = NULL;
            continue;
        }
        if (!sleep)
            return STATUS_TIMEOUT;
        /* Alertable waits poll for APCs at each slice; a queued APC does not cut the slice
         * short (NtQueueApcThread wakes only object waits). */
        int64_t slice = alertable ? 10000000L : RT_WAIT_SLICE_NS;
        int64_t until = deadline - now > slice ? now + slice : deadline;
        if (poll) {
            nt_async_pp_watch(p->pp, false, gen);
            /* a post before the epoll thread stopped watching may have had its ring drained
             * by it: no sleep then */
            if (__atomic_load_n(&p->seq, __ATOMIC_ACQUIRE) != seq)
                until = 0;
            iocp_polling = p;
            nt_async_pp_poll(p->pp, until);
            iocp_polling = NULL;
            pthread_mutex_lock(&p->lock);
            p->poller = false;
            gen = ++p->poll_gen;
            /* nobody else sleeps in the port: the epoll thread keeps off the set for a while,
             * for this thread's next wait (or another's) to find what comes meanwhile; else
             * it watches the set for the sleepers now */
            bool lease = p->waiters == 0;
            pthread_mutex_unlock(&p->lock);
            /* with sleepers: what became ready while this thread did its I/O is done now and
             * posted as any post (a sleeper woken for it), not by the epoll thread first */
            if (!lease)
                nt_async_pp_try(p->pp);
            nt_async_pp_leave(p->pp, gen, lease);
            polled = true;
            continue;
        }
        struct timespec ts = {until / 1000000000, until % 1000000000};
        syscall(SYS_futex, &p->seq, FUTEX_WAIT_BITSET | FUTEX_PRIVATE_FLAG, seq, &ts, NULL,
                FUTEX_BITSET_MATCH_ANY);
        __atomic_sub_fetch(&p->waiters, 1, __ATOMIC_RELAXED);
    }
}

NTSTATUS NTAPI NtRemoveIoCompletion(HANDLE h, ULONG_PTR *key, ULONG_PTR *ctx,
                                    IO_STATUS_BLOCK *io, const LARGE_INTEGER *timeout)
{
    int64_t deadline;
    /* The outputs are probed first, as Windows does: a bad one fails before any wait. */
    if (!nt_probe_write(key, sizeof *key) || !nt_probe_write(ctx, sizeof *ctx) ||
        !nt_probe_write(io, sizeof *io))
        return STATUS_ACCESS_VIOLATION;
    NTSTATUS st = nt_wait_deadline(timeout, &deadline);
    if (st != STATUS_SUCCESS)
        return st;
    nt_iocp *p;
    st = nt_iocp_get(h, &p);
    if (st != STATUS_SUCCESS)
        return st;
    nt_io_completion_info e;
    uint32_t got;
    st = nt_iocp_remove(p, &e, 1, &got, deadline, false);
    nt_object_release(&p->s.hdr);
    if (st != STATUS_SUCCESS)
        return st;
    if (nt_copy_to_user(key, &e.KeyContext, sizeof e.KeyContext) != 0 ||
        nt_copy_to_user(ctx, &e.ApcContext, sizeof e.ApcContext) != 0 ||
        nt_copy_to_user(io, &e.IoStatus, sizeof e.IoStatus) != 0)
        return STATUS_ACCESS_VIOLATION; /* the packet is lost, as on Windows */
    return STATUS_SUCCESS;
}

NTSTATUS NTAPI NtRemoveIoCompletionEx(HANDLE h, void *info, uint32_t count, uint32_t *removed,
                                      const LARGE_INTEGER *timeout, BOOLEAN alertable)
{
    int64_t deadline;
    if (count == 0)
        return STATUS_INVALID_PARAMETER;
    if (!nt_probe_write(info, sizeof(nt_io_completion_info) * (size_t)count) ||
        (removed && !nt_probe_write(removed, sizeof *removed)))
        return STATUS_ACCESS_VIOLATION; /* probed first, as Windows: before any wait */
    NTSTATUS st = nt_wait_deadline(timeout, &deadline);
    if (st != STATUS_SUCCESS)
        return st;
    if (count > 1024)
        count = 1024; /* a bound for the bounce buffer; callers loop */
    nt_io_completion_info *buf = malloc(sizeof *buf * count);
    if (!buf)
        return STATUS_NO_MEMORY;
    nt_iocp *p;
    st = nt_iocp_get(h, &p);
    if (st != STATUS_SUCCESS) {
        free(buf);
        return st;
    }
    uint32_t got = 0;
    st = nt_iocp_remove(p, buf, count, &got, deadline, alertable != 0);
    nt_object_release(&p->s.hdr);
    if (got && nt_copy_to_user(info, buf, sizeof *buf * got) != 0)
        st = STATUS_ACCESS_VIOLATION;
    free(buf);
    if (removed && nt_copy_to_user(removed, &got, sizeof got) != 0)
        return STATUS_ACCESS_VIOLATION;
    return st;
}

/* IoCompletionBasicInformation (0): LONG Depth. */
NTSTATUS NTAPI NtQueryIoCompletion(HANDLE h, uint32_t klass, void *info, uint32_t len,
                                   uint32_t *ret_len)
{
    if (klass != 0)
        return STATUS_INVALID_INFO_CLASS;
    if (len != sizeof(int32_t))
        return STATUS_INFO_LENGTH_MISMATCH;
    nt_iocp *p;
    NTSTATUS st = nt_iocp_get(h, &p);
    if (st != STATUS_SUCCESS)
        return st;
    pthread_mutex_lock(&p->lock);
    int32_t depth = (int32_t)p->depth;
    pthread_mutex_unlock(&p->lock);
    nt_object_release(&p->s.hdr);
    if (nt_copy_to_user(info, &depth, sizeof depth) != 0)
        return STATUS_ACCESS_VIOLATION;
    uint32_t n = sizeof depth;
    if (ret_len && nt_copy_to_user(ret_len, &n, sizeof n) != 0)
        return STATUS_ACCESS_VIOLATION;
    return STATUS_SUCCESS;
}
