/* SPDX-License-Identifier: MIT */
/* Synchronisation objects and waits: events (manual and auto reset), mutants (owner thread,
 * recursion, abandonment), semaphores (maximum count), NtWaitForSingleObject and
 * NtWaitForMultipleObjects (all / any, up to 64 objects, timeouts), NtDuplicateObject, named
 * objects.
 *
 * Design (see nt_sync in ntemu_private.h): one process-wide lock, nt_wait_lock, guards the
 * state of every waitable object, their waiter lists and the name list. A waiter lives on the
 * waiting thread's stack: a futex word `done`, the objects, and one wait block per object linked
 * into that object's list. Whoever makes an object signalled calls nt_sync_wake under the lock,
 * which walks the object's waiters in arrival order and, for each whose wait can now be
 * satisfied (for WaitAll: every object), acquires the objects for it (auto-reset event cleared,
 * semaphore decremented, mutant owned), unlinks it, sets `done` and wakes it. The waiter itself
 * does the same check under the lock before it sleeps, so there is no window in which a signal
 * can be lost, and an acquired object cannot be taken by a third thread in between. After
 * `done` the waiter takes and drops the lock once, so the waker has left its stack before the
 * wait returns.
 *
 * Timeouts are absolute CLOCK_MONOTONIC deadlines (FUTEX_WAIT_BITSET): relative NT timeouts
 * (negative, 100 ns units) are added to the monotonic clock; absolute ones (positive, system
 * time) are converted once at the start of the wait. A zero timeout polls. Alertable waits are
 * accepted but no APC is ever delivered.
 *
 * Names: OBJECT_ATTRIBUTES.ObjectName is taken as one flat namespace ("Local\x" and
 * "\BaseNamedObjects\x" are different names), compared exactly, or ignoring case with
 * OBJ_CASE_INSENSITIVE. A name this process does not have is looked for among the other ntrun
 * processes of the user, and every named event, semaphore and mutant is offered to them
 * (sync_names.c); such an object is shared (its state in an eventfd, below). There are no object directories: a name relative to a RootDirectory
 * handle fails as Windows fails it for a handle that is no directory (nt_check_root). */
#include <errno.h>
#include <fcntl.h>
#include <linux/futex.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>
#include "ntemu/ntemu_private.h"
#include "thunks/thunks.h"

#define NT_MAXIMUM_WAIT_OBJECTS 64
#define NT_DUPLICATE_CLOSE_SOURCE 0x1
#define NT_DUPLICATE_SAME_ACCESS 0x2
#define NT_DUPLICATE_SAME_ATTRIBUTES 0x4
#define NT_MODIFY_STATE 0x2 /* EVENT_MODIFY_STATE, SEMAPHORE_MODIFY_STATE */
#define NT_QUERY_STATE 0x1  /* EVENT_, MUTANT_, SEMAPHORE_QUERY_STATE */
#define NT_MUTANT_MAX_RECURSION 0x7fffffff

pthread_mutex_t nt_wait_lock = PTHREAD_MUTEX_INITIALIZER;

typedef struct nt_mutant {
    nt_sync s;
    int32_t owner;     /* tid, 0 when free (shared: a thread of this process, or 0) */
    int32_t recursion; /* acquisitions by the owner */
    bool abandoned;    /* the owner ended while holding it; reported to the next acquirer */
    bool shared;       /* shared with other processes: the state is the owner word of page
                          (below), efd a doorbell rung when it may have become free */
    int efd;
    int pfd;           /* the memfd of ... */
    uint32_t *page;    /* ... a shared page: [2..3] the owner word (nt_mutant_owner_word) */
    uint64_t watch_id; /* shared: the owner id watch_fd watches (0: none) */
    int watch_fd;      /* ... a pidfd of that process */
    struct nt_mutant *prev, *next; /* every mutant, for abandonment at thread exit */
} nt_mutant;

typedef struct nt_semaphore {
    nt_sync s;
    int32_t count, max;
    bool shared;    /* shared with other processes: the count is efd's (below), not count */
    int efd;
    int pfd;        /* shared: the memfd of ... */
    int32_t *page;  /* ... a shared page: [0] the count, for the maximum and the previous count
                       (never below the eventfd's counter: raised before a release writes the
                       counter, lowered after an acquisition has read it) */
} nt_semaphore;

struct nt_waiter;
typedef struct nt_wait_block {
    struct nt_waiter *w;
    nt_sync *obj;
    struct nt_wait_block *prev, *next;
} nt_wait_block;

typedef struct nt_waiter {
    int done; /* futex word */
    int count;
    bool all;
    int32_t tid;
    int wake_fd;  /* a wait on shared objects sleeps in poll: wakers write this eventfd too */
    NTSTATUS result;
    void (*fire)(void *ctx, NTSTATUS result); /* a wait without a thread (nt_wait_async_*) */
    void *fire_ctx;
    bool on_async;                          /* on nt_async_head (thread-less waits) */
    bool free_mutants;                      /* a wait for all: shared mutants that were free */
    bool dropped[NT_MAXIMUM_WAIT_OBJECTS];  /* ... are not polled (their doorbell) */
    struct nt_waiter *async_prev, *async_next;
    nt_object *objs[NT_MAXIMUM_WAIT_OBJECTS];
    nt_wait_block blocks[NT_MAXIMUM_WAIT_OBJECTS];
} nt_waiter;

static nt_mutant *nt_mutants;      /* under nt_wait_lock */
static nt_sync *nt_named;          /* under nt_wait_lock */

int32_t nt_current_tid(void)
{
    rt_thread *t = rt_current_thread();
    if (t)
        return t->tid;
    static __thread int32_t cached;
    if (!cached)
        cached = (int32_t)syscall(SYS_gettid);
    return cached;
}

static bool nt_is_sync_type(nt_obj_type type)
{
    return type == NT_OBJ_EVENT || type == NT_OBJ_MUTANT || type == NT_OBJ_SEMAPHORE ||
           type == NT_OBJ_THREAD || type == NT_OBJ_PROCESS || type == NT_OBJ_TIMER;
}

/* ---- the process object ---- */
static void nt_process_destroy(nt_object *obj) { (void)obj; /* never: the table keeps one ref */ }
static nt_sync nt_process_obj;
static pthread_once_t nt_process_once = PTHREAD_ONCE_INIT;
static void nt_process_init(void) { nt_object_init(&nt_process_obj.hdr, NT_OBJ_PROCESS, nt_process_destroy); }

nt_object *nt_process_object(void)
{
    pthread_once(&nt_process_once, nt_process_init);
    nt_object_ref(&nt_process_obj.hdr);
    return &nt_process_obj.hdr;
}

NTSTATUS nt_object_from_handle(HANDLE h, nt_obj_type type, nt_object **out)
{
    nt_object *obj = NULL;
    *out = NULL;
    if (h == NtCurrentProcess()) {
        obj = nt_process_object();
    } else if (h == NtCurrentThread()) {
        obj = (nt_object *)nt_thread_current();
        if (!obj)
            return STATUS_NO_MEMORY;
    } else {
        return nt_handle_get(h, type, out);
    }
    if (type != NT_OBJ_ANY && obj->type != type) {
        nt_object_release(obj);
        return STATUS_OBJECT_TYPE_MISMATCH;
    }
    *out = obj;
    return STATUS_SUCCESS;
}

NTSTATUS nt_object_from_handle_access(HANDLE h, nt_obj_type type, uint32_t need, nt_object **out)
{
    NTSTATUS st = nt_object_from_handle(h, type, out);
    if (st == STATUS_SUCCESS && (st = nt_handle_access(h, *out, need)) != STATUS_SUCCESS) {
        nt_object_release(*out);
        *out = NULL;
    }
    return st;
}

/* ---- events and semaphores shared with other processes ----
 * An event or semaphore whose handle travels to another process (inherited by a child,
 * duplicated into one: PostgreSQL's semaphores and latches are such) keeps its state in an
 * eventfd from then on, in every process that has it: a semaphore's count is the counter of an
 * EFD_SEMAPHORE eventfd (release writes the count, an acquisition reads 1), an event is set
 * while the counter is not 0 (set writes 1, reset and an auto-reset event's acquisition read
 * it to 0). All are non-blocking; a wait that includes one sleeps in poll on their fds and an
 * eventfd of its own that the wakers of its local objects write (nt_sync_wake). A semaphore
 * also keeps its count in a shared page, which a release raises by compare-and-swap up to the
 * maximum (STATUS_SEMAPHORE_LIMIT_EXCEEDED past it, in whatever process) before it writes the
 * eventfd, and which gives the previous count; an acquisition lowers it after its read. Not kept
 * across processes: a wait for all of several objects takes them one by one, giving back
 * what it took when one is gone meanwhile. Thread-pool waits are thread waits (ntdll's wait
 * buckets); a wait without a thread (a wait completion packet) on a shared object is watched by
 * a service thread (nt_async_main). */
static int nt_shared_fd(nt_object *o)
{
    if ((o->type == NT_OBJ_EVENT || o->type == NT_OBJ_TIMER) && ((nt_event *)o)->shared)
        return ((nt_event *)o)->efd;
    if (o->type == NT_OBJ_SEMAPHORE && ((nt_semaphore *)o)->shared)
        return ((nt_semaphore *)o)->efd;
    if (o->type == NT_OBJ_MUTANT && ((nt_mutant *)o)->shared)
        return ((nt_mutant *)o)->efd;
    return -1;
}

bool nt_fd_readable(int fd)
{
    struct pollfd p = {.fd = fd, .events = POLLIN};
    return poll(&p, 1, 0) > 0;
}

bool nt_fd_take(int fd)
{
    uint64_t v;
    return read(fd, &v, sizeof v) == (ssize_t)sizeof v;
}

void nt_fd_give(int fd, uint64_t n)
{
    ssize_t r = write(fd, &n, sizeof n);
    (void)r; /* an eventfd at its maximum: nothing to add */
}

/* A shared object an acquisition by `tid` changes (a semaphore, an auto-reset event, a mutant
 * not owned by tid already): its fd, or -1. */
static int nt_shared_take_fd(nt_object *o, int32_t tid)
{
    int fd = nt_shared_fd(o);
    if (fd >= 0 && (o->type == NT_OBJ_EVENT || o->type == NT_OBJ_TIMER) &&
        ((nt_event *)o)->manual)
        return -1; /* (a notification timer: as a manual-reset event) */
    if (fd >= 0 && o->type == NT_OBJ_MUTANT && ((nt_mutant *)o)->owner == tid)
        return -1; /* a recursive acquisition: this process's count */
    return fd;
}

/* ---- the process that owns a shared mutant ----
 * A shared mutant's state is one word of its shared page, the owner word: the id of the process
 * one of whose threads owns it (which thread, and how many times, is that process's to know),
 * or a free value: 0, NT_MUTANT_FREE_ABANDONED (its owner ended holding it: the next owner gets
 * WAIT_ABANDONED), or NT_MUTANT_RELEASED | the id of the process that released it last. A
 * thread takes it with one compare-and-swap from a free value to its process's id, so taking it
 * and recording who took it are one step, and a release or an abandonment is one store. The
 * eventfd is only a doorbell: rung (written) after every release or abandonment, and read to
 * 0 by a waiter that finds the mutant owned before it sleeps on it (then the word is looked at
 * again: a mutant freed meanwhile has its ring given back), so it wakes the sleepers of every
 * process without keeping a stale ring readable.
 * A process that ends normally, or that another process terminates, gives its shared mutants
 * back abandoned (nt_sync_shared_exit). One a signal kills (kill -9 from outside, the OOM
 * killer, TerminateJobObject) runs no code: so a process that waits for the mutant watches
 * the owner through a pidfd while it sleeps (and looks once before a wait that does not sleep).
 * When the owner has ended with its id still in the word, the first waiter to replace it by
 * NT_MUTANT_FREE_ABANDONED (a compare-and-swap: one process wins) rings: the next owner, in
 * whatever process, gets WAIT_ABANDONED as after TerminateProcess. A process killed after it
 * released the mutant but before it rang leaves it free: its sleepers wake when the pidfd they
 * watch says it ended. The id is the pid (below 2^22) and the low 32 bits of the process's
 * start time (/proc/PID/stat), so a pid reused by a new process is not taken for the owner. */
#define NT_MUTANT_FREE_ABANDONED 1ull
#define NT_MUTANT_RELEASED (1ull << 63)
static uint64_t *nt_mutant_owner_word(nt_mutant *m) { return (uint64_t *)(void *)(m->page + 2); }

static bool nt_mutant_word_free(uint64_t w)
{
    return w == 0 || w == NT_MUTANT_FREE_ABANDONED || (w & NT_MUTANT_RELEASED);
}

/* pid's id: pid << 32 | the low 32 bits of its start time; 0 when it is not there. */
static uint64_t nt_proc_id(pid_t pid)
{
    unsigned long long f[NT_STAT_FIELDS + 1];
    if (!nt_proc_stat((unsigned)pid, f))
        return 0;
    return (uint64_t)(uint32_t)pid << 32 | (uint32_t)f[22];
}

uint64_t nt_self_proc_id(void)
{
    static uint64_t id; /* a pid does not change (a fork does not run this): racing fills agree */
    uint64_t v = __atomic_load_n(&id, __ATOMIC_RELAXED);
    if (!v) {
        v = nt_proc_id(getpid());
        __atomic_store_n(&id, v, __ATOMIC_RELAXED);
    }
    return v;
}

/* Whether the process `id` names has ended, watched through a pidfd kept in *watch_id and
 * *watch_fd (opened for a new id, the one for an earlier id closed; *watch_id 0: none held).
 * While it lives, *watch_fd is the pidfd to poll for its end (-1: no pidfds, not watchable). */
bool nt_proc_watch(uint64_t id, uint64_t *watch_id, int *watch_fd)
{
    if (*watch_id && *watch_id != id) {
        close(*watch_fd);
        *watch_id = 0;
    }
    bool dead;
    if (*watch_id != id) {
        *watch_fd = -1;
        int fd = (int)syscall(SYS_pidfd_open, (pid_t)(id >> 32), 0);
        if (fd < 0 && errno != ESRCH)
            return false; /* no pidfds: it cannot be watched */
        /* after the pidfd: the process found is the pidfd's, or that one has ended */
        dead = fd < 0 || nt_proc_id((pid_t)(id >> 32)) != id || nt_fd_readable(fd);
        if (!dead) {
            *watch_id = id;
            *watch_fd = fd;
        } else if (fd >= 0) {
            close(fd);
        }
    } else {
        dead = nt_fd_readable(*watch_fd);
    }
    if (dead && *watch_id) {
        close(*watch_fd);
        *watch_id = 0;
        *watch_fd = -1;
    }
    return dead;
}

/* Under nt_wait_lock: m, owned by no thread of ours, is given back abandoned if its owning
 * process has ended; else a pidfd to poll while waiting for it (-1: nothing to watch). */
static int nt_mutant_watch_owner(nt_mutant *m)
{
    uint64_t id = __atomic_load_n(nt_mutant_owner_word(m), __ATOMIC_ACQUIRE);
    if (nt_mutant_word_free(id) || id == nt_self_proc_id()) {
        if (m->watch_id) {
            close(m->watch_fd);
            m->watch_id = 0;
        }
        return -1;
    }
    if (!nt_proc_watch(id, &m->watch_id, &m->watch_fd))
        return m->watch_id ? m->watch_fd : -1;
    if (__atomic_compare_exchange_n(nt_mutant_owner_word(m), &id, NT_MUTANT_FREE_ABANDONED, false,
                                    __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE))
        nt_fd_give(m->efd, 1);
    return -1;
}

/* Under nt_wait_lock, before a wait sleeps on m (owned by no thread of ours): the doorbell is
 * read to 0 while m is owned (a stale ring would keep the sleep from sleeping), and rung again
 * when m turns out to be free after all (the ring read was another sleeper's too). True when m
 * is free. */
static bool nt_mutant_doorbell(nt_mutant *m)
{
    if (nt_mutant_word_free(__atomic_load_n(nt_mutant_owner_word(m), __ATOMIC_ACQUIRE)))
        return true;
    if (!nt_fd_take(m->efd))
        return false;
    if (!nt_mutant_word_free(__atomic_load_n(nt_mutant_owner_word(m), __ATOMIC_ACQUIRE)))
        return false;
    nt_fd_give(m->efd, 1);
    return true;
}

/* Takes a shared object (nt_shared_take_fd gave its fd): false when another process was
 * first. *undo: what nt_shared_untake needs to give it back. */
static bool nt_shared_take(nt_object *o, int fd, uint64_t *undo)
{
    if (o->type != NT_OBJ_MUTANT)
        return nt_fd_take(fd);
    uint64_t *word = nt_mutant_owner_word((nt_mutant *)o);
    uint64_t w = __atomic_load_n(word, __ATOMIC_ACQUIRE);
    while (nt_mutant_word_free(w))
        if (__atomic_compare_exchange_n(word, &w, nt_self_proc_id(), false, __ATOMIC_ACQ_REL,
                                        __ATOMIC_ACQUIRE)) {
            *undo = w;
            return true;
        }
    return false;
}

/* Gives back what nt_shared_take took (a wait for all whose later object was gone). */
static void nt_shared_untake(nt_object *o, int fd, uint64_t undo)
{
    if (o->type == NT_OBJ_MUTANT)
        __atomic_store_n(nt_mutant_owner_word((nt_mutant *)o), undo, __ATOMIC_RELEASE);
    nt_fd_give(fd, 1);
}

/* After nt_shared_take for `tid`: a mutant is now tid's (true: it had been abandoned by a
 * thread or process that ended holding it). */
static bool nt_shared_took(nt_object *o, int32_t tid, uint64_t undo)
{
    if (o->type == NT_OBJ_SEMAPHORE)
        __atomic_fetch_sub(&((nt_semaphore *)o)->page[0], 1, __ATOMIC_ACQ_REL);
    if (o->type != NT_OBJ_MUTANT)
        return false;
    nt_mutant *m = (nt_mutant *)o;
    m->owner = tid;
    m->recursion = 1;
    m->abandoned = false;
    return undo == NT_MUTANT_FREE_ABANDONED;
}

/* A shared mutant owned by one of our threads is given back, released or abandoned: one store,
 * then the doorbell. */
static void nt_mutant_give_back(nt_mutant *m, bool abandoned)
{
    __atomic_store_n(nt_mutant_owner_word(m),
                     abandoned ? NT_MUTANT_FREE_ABANDONED : NT_MUTANT_RELEASED | nt_self_proc_id(),
                     __ATOMIC_RELEASE);
    nt_fd_give(m->efd, 1);
}

/* ---- signal state (all under nt_wait_lock) ---- */
static bool nt_obj_signalled(nt_object *o, int32_t tid)
{
    if (o->type == NT_OBJ_MUTANT && ((nt_mutant *)o)->shared) {
        nt_mutant *m = (nt_mutant *)o;
        if (m->owner == tid)
            return m->recursion < NT_MUTANT_MAX_RECURSION;
        return m->owner == 0 &&
               nt_mutant_word_free(__atomic_load_n(nt_mutant_owner_word(m), __ATOMIC_ACQUIRE));
    }
    int sfd = nt_shared_fd(o);
    if (sfd >= 0)
        return nt_fd_readable(sfd);
    switch (o->type) {
    case NT_OBJ_EVENT:
    case NT_OBJ_TIMER: return ((nt_event *)o)->signalled;
    case NT_OBJ_SEMAPHORE: return ((nt_semaphore *)o)->count > 0;
    case NT_OBJ_MUTANT: {
        nt_mutant *m = (nt_mutant *)o;
        return m->owner == 0 || (m->owner == tid && m->recursion < NT_MUTANT_MAX_RECURSION);
    }
    case NT_OBJ_THREAD: return ((nt_thread_obj *)o)->exited;
    case NT_OBJ_PROCESS: return nt_process_signalled(o); /* the caller's own: never */
    default: return true;              /* files: always signalled */
    }
}

/* Takes a signalled object for `tid`; true when it was an abandoned mutant. */
static bool nt_obj_acquire(nt_object *o, int32_t tid)
{
    switch (o->type) {
    case NT_OBJ_EVENT:
    case NT_OBJ_TIMER: { /* a synchronization timer resets as an auto-reset event does */
        nt_event *e = (nt_event *)o;
        if (!e->manual)
            e->signalled = false;
        return false;
    }
    case NT_OBJ_SEMAPHORE: ((nt_semaphore *)o)->count--; return false;
    case NT_OBJ_MUTANT: {
        nt_mutant *m = (nt_mutant *)o;
        bool abandoned = m->abandoned;
        m->abandoned = false;
        m->owner = tid;
        m->recursion++;
        return abandoned;
    }
    default: return false;
    }
}

static bool nt_try_satisfy(nt_waiter *w)
{
    if (w->all) {
        int fds[NT_MAXIMUM_WAIT_OBJECTS];
        uint64_t undo[NT_MAXIMUM_WAIT_OBJECTS] = {0};
        for (int i = 0; i < w->count; i++)
            if (!nt_obj_signalled(w->objs[i], w->tid))
                return false;
        for (int i = 0; i < w->count; i++) { /* shared ones first: another process may win */
            fds[i] = nt_shared_take_fd(w->objs[i], w->tid);
            if (fds[i] >= 0 && !nt_shared_take(w->objs[i], fds[i], &undo[i])) {
                while (i-- > 0)
                    if (fds[i] >= 0)
                        nt_shared_untake(w->objs[i], fds[i], undo[i]);
                return false;
            }
        }
        bool abandoned = false;
        for (int i = 0; i < w->count; i++)
            abandoned |= fds[i] >= 0 ? nt_shared_took(w->objs[i], w->tid, undo[i])
                                     : nt_obj_acquire(w->objs[i], w->tid);
        w->result = abandoned ? STATUS_ABANDONED_WAIT_0 : STATUS_WAIT_0;
        return true;
    }
    for (int i = 0; i < w->count; i++) {
        int fd = nt_shared_take_fd(w->objs[i], w->tid);
        if (fd >= 0) { /* taken, or another process was first */
            uint64_t undo = 0;
            if (nt_shared_take(w->objs[i], fd, &undo)) {
                bool abandoned = nt_shared_took(w->objs[i], w->tid, undo);
                w->result = (abandoned ? STATUS_ABANDONED_WAIT_0 : STATUS_WAIT_0) + i;
                return true;
            }
            continue;
        }
        if (nt_obj_signalled(w->objs[i], w->tid)) {
            bool abandoned = nt_obj_acquire(w->objs[i], w->tid);
            w->result = (abandoned ? STATUS_ABANDONED_WAIT_0 : STATUS_WAIT_0) + i;
            return true;
        }
    }
    return false;
}

static nt_waiter *nt_async_head; /* under nt_wait_lock: every thread-less wait */

static void nt_async_unlink(nt_waiter *w)
{
    if (!w->on_async)
        return;
    if (w->async_prev)
        w->async_prev->async_next = w->async_next;
    else
        nt_async_head = w->async_next;
    if (w->async_next)
        w->async_next->async_prev = w->async_prev;
    w->on_async = false;
}

static void nt_waiter_link(nt_waiter *w)
{
    for (int i = 0; i < w->count; i++) {
        nt_wait_block *b = &w->blocks[i];
        b->w = w;
        b->obj = nt_is_sync_type(w->objs[i]->type) ? (nt_sync *)w->objs[i] : NULL;
        b->next = b->prev = NULL;
        if (!b->obj)
            continue;
        b->prev = b->obj->wait_tail;
        if (b->prev)
            b->prev->next = b;
        else
            b->obj->wait_head = b;
        b->obj->wait_tail = b;
    }
}

static void nt_waiter_unlink(nt_waiter *w)
{
    nt_async_unlink(w);
    for (int i = 0; i < w->count; i++) {
        nt_wait_block *b = &w->blocks[i];
        if (!b->obj)
            continue;
        if (b->prev)
            b->prev->next = b->next;
        else
            b->obj->wait_head = b->next;
        if (b->next)
            b->next->prev = b->prev;
        else
            b->obj->wait_tail = b->prev;
        b->obj = NULL;
    }
}

static long nt_futex(int *word, int op, int val, const struct timespec *ts, uint32_t val3)
{
    return syscall(SYS_futex, word, op | FUTEX_PRIVATE_FLAG, val, ts, NULL, val3);
}

/* Under nt_wait_lock, a wait for all that was not satisfied: true when every object but the
 * shared mutants that looked free (dropped[i]: their doorbells are not polled) is signalled, so one of those was taken by another process in
 * between (or is free again: either way the wait goes round at once instead of sleeping with
 * no fd of theirs to wake it). */
static bool nt_waitall_blocked_by_free_mutants(nt_waiter *w, const bool *dropped)
{
    for (int i = 0; i < w->count; i++) {
        nt_object *o = w->objs[i];
        if (!dropped[i] && !nt_obj_signalled(o, w->tid))
            return false;
    }
    return true;
}

#define NT_WAIT_RETRY 3 /* the wait goes round again (an object became shared, ...) */

/* Under nt_wait_lock: a waiting thread goes round again (it unlinks itself). */
static void nt_waiter_retry(nt_waiter *w)
{
    int expected = 0;
    if (w->fire || !__atomic_compare_exchange_n(&w->done, &expected, NT_WAIT_RETRY, false,
                                                __ATOMIC_RELEASE, __ATOMIC_RELAXED))
        return;
    int wfd = w->wake_fd;
    nt_futex(&w->done, FUTEX_WAKE, 1, NULL, 0);
    if (wfd >= 0)
        nt_fd_give(wfd, 1);
}

void nt_sync_wake(nt_sync *o)
{
restart:
    for (nt_wait_block *b = o->wait_head; b; b = b->next) {
        nt_waiter *w = b->w;
        if (w->done || !nt_obj_signalled(&o->hdr, w->tid))
            continue; /* alerted (NT_WAIT_APC) and about to unlink itself, or not signalled */
        if (!nt_try_satisfy(w)) {
            /* a wait for all kept from it only by a shared mutant taken elsewhere since it
             * looked: round again, to poll that mutant's doorbell */
            if (w->free_mutants && nt_waitall_blocked_by_free_mutants(w, w->dropped))
                nt_waiter_retry(w);
            continue;
        }
        nt_waiter_unlink(w);
        __atomic_store_n(&w->done, 1, __ATOMIC_RELEASE);
        if (w->fire) {
            w->fire(w->fire_ctx, w->result); /* may free w: not touched again */
        } else {
            int wfd = w->wake_fd;
            nt_futex(&w->done, FUTEX_WAKE, 1, NULL, 0);
            if (wfd >= 0)
                nt_fd_give(wfd, 1);
        }
        goto restart; /* the list changed */
    }
}

/* ---- waits without a waiting thread (wait completion packets) ----
 * Such a wait is fired by whoever signals its object in this process (nt_sync_wake). One on an
 * object shared with other processes is also watched by one native service thread, started by
 * the first: it polls the fds of every such wait's object (a shared mutant's doorbell and a
 * pidfd of its owning process, a shared timer's eventfd and a pidfd of its armer) and an
 * eventfd of its own that a new, cancelled or newly shared wait writes, and satisfies under
 * nt_wait_lock what it can, as a waiting thread would after its poll. */
static int nt_async_wake_fd = -1; /* under nt_wait_lock: the watcher's eventfd, -1: none yet */

/* Under nt_wait_lock: fires every thread-less wait on a shared object that can be satisfied. */
static void nt_async_satisfy(void)
{
restart:
    for (nt_waiter *w = nt_async_head; w; w = w->async_next) {
        if (w->done || nt_shared_fd(w->objs[0]) < 0 || !nt_try_satisfy(w))
            continue;
        nt_waiter_unlink(w);
        __atomic_store_n(&w->done, 1, __ATOMIC_RELEASE);
        w->fire(w->fire_ctx, w->result); /* may free w */
        goto restart;
    }
}

/* The watcher: native, all signals blocked, never returns. */
static void *nt_async_main(void *arg)
{
    int wake = (int)(intptr_t)arg;
    struct pollfd *p = NULL;
    nt_object **timers = NULL;
    size_t cap = 0;
    for (;;) {
        pthread_mutex_lock(&nt_wait_lock);
        size_t need = 1;
        for (nt_waiter *w = nt_async_head; w; w = w->async_next)
            need += 3;
        if (need > cap) {
            struct pollfd *np = realloc(p, need * sizeof *p);
            nt_object **nt = realloc(timers, need * sizeof *timers);
            if (np)
                p = np;
            if (nt)
                timers = nt;
            if (np && nt)
                cap = need;
        }
        /* shared timers first (nt_timer_lock comes before nt_wait_lock): one whose armer has
         * ended is armed here now, else its armer is watched */
        size_t ntimers = 0;
        bool timer_polls = false; /* one whose arming no bell tells of (timer.c) */
        for (nt_waiter *w = nt_async_head; w && ntimers < cap; w = w->async_next)
            if (w->objs[0]->type == NT_OBJ_TIMER && nt_shared_fd(w->objs[0]) >= 0) {
                nt_object_ref(w->objs[0]);
                timers[ntimers++] = w->objs[0];
                timer_polls |= nt_timer_bell_polled(w->objs[0]);
            }
        pthread_mutex_unlock(&nt_wait_lock);
        size_t n = 1;
        p[0] = (struct pollfd){.fd = wake, .events = POLLIN};
        for (size_t i = 0; i < ntimers; i++) {
            int fd = nt_timer_watch_armer(timers[i], NULL);
            nt_object_release(timers[i]);
            if (fd >= 0)
                p[n++] = (struct pollfd){.fd = fd, .events = POLLIN};
        }
        size_t narmers = n;
        pthread_mutex_lock(&nt_wait_lock);
        nt_async_satisfy();
        bool again = false;
        for (nt_waiter *w = nt_async_head; w && n + 2 <= cap; w = w->async_next) {
            nt_object *o = w->objs[0];
            int fd = nt_shared_fd(o);
            if (fd < 0 || w->done)
                continue;
            if (o->type == NT_OBJ_MUTANT) {
                nt_mutant *m = (nt_mutant *)o;
                if (m->owner != 0)
                    continue; /* one of our threads holds it: its release wakes us here */
                int pidfd = nt_mutant_watch_owner(m);
                if (pidfd >= 0)
                    p[n++] = (struct pollfd){.fd = pidfd, .events = POLLIN};
                if (nt_mutant_doorbell(m))
                    again = true; /* free after all (or abandoned just now): round again */
            }
            p[n++] = (struct pollfd){.fd = fd, .events = POLLIN};
        }
        pthread_mutex_unlock(&nt_wait_lock);
        /* (a shared timer: its arming may change in another process, whose bell the bell
         * thread hears and rings `wake` for (nt_sync_retry_waiters); one not belled is looked
         * at again every NT_TIMER_BELL_NS, above) */
        if (!again)
            poll(p, (nfds_t)n, timer_polls ? (int)(NT_TIMER_BELL_NS / 1000000) : -1);
        if (p[0].revents)
            nt_fd_take(wake);
        for (size_t i = 1; i < narmers; i++)
            close(p[i].fd);
    }
    return NULL;
}

/* Under nt_wait_lock: the watcher looks at its waits again (started by the first on a shared
 * object). */
static void nt_async_ring(void)
{
    if (nt_async_wake_fd < 0) {
        int fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
        if (fd < 0)
            return;
        if (rt_service_thread_start(nt_async_main, (void *)(intptr_t)fd, 64 * 1024, false) != 0) {
            close(fd);
            return;
        }
        nt_async_wake_fd = fd;
    }
    nt_fd_give(nt_async_wake_fd, 1);
}
struct nt_waiter *nt_wait_async_begin(nt_object *obj, int32_t tid,
                                      void (*fire)(void *ctx, NTSTATUS result), void *ctx,
                                      NTSTATUS *satisfied)
{
    *satisfied = STATUS_PENDING;
    nt_waiter *w = calloc(1, sizeof *w);
    if (!w) {
        *satisfied = STATUS_NO_MEMORY;
        return NULL;
    }
    w->count = 1;
    w->tid = tid;
    w->wake_fd = -1;
    w->objs[0] = obj;
    w->fire = fire;
    w->fire_ctx = ctx;
    if (nt_try_satisfy(w)) {
        *satisfied = w->result;
        free(w);
        return NULL;
    }
    nt_waiter_link(w);
    w->on_async = true;
    w->async_prev = NULL;
    w->async_next = nt_async_head;
    if (nt_async_head)
        nt_async_head->async_prev = w;
    nt_async_head = w;
    if (nt_shared_fd(obj) >= 0)
        nt_async_ring();
    return w;
}

void nt_wait_async_cancel(struct nt_waiter *w)
{
    bool shared = nt_shared_fd(w->objs[0]) >= 0;
    nt_waiter_unlink(w);
    free(w);
    if (shared)
        nt_async_ring(); /* (its fd leaves the watcher's poll) */
}

void nt_wait_async_free(struct nt_waiter *w) { free(w); }

/* Under nt_wait_lock: the owner of m has ended holding it. */
static void nt_mutant_abandon(nt_mutant *m)
{
    m->owner = 0;
    m->recursion = 0;
    if (m->shared) /* the next acquirer, in whatever process, hears of it */
        nt_mutant_give_back(m, true);
    else
        m->abandoned = true;
    nt_sync_wake(&m->s);
}

void nt_sync_abandon_mutants(int32_t tid)
{
    for (nt_mutant *m = nt_mutants; m; m = m->next)
        if (m->owner == tid)
            nt_mutant_abandon(m);
}

/* The process ends (an exit hook, and TerminateProcess from another process): every mutant
 * another process shares that one of our threads holds is abandoned there. (A process killed
 * by a signal: its waiters find its id in the page, nt_mutant_watch_owner.) */
void nt_sync_shared_exit(uint32_t code)
{
    (void)code;
    pthread_mutex_lock(&nt_wait_lock);
    for (nt_mutant *m = nt_mutants; m; m = m->next)
        if (m->shared && m->owner != 0)
            nt_mutant_abandon(m);
    pthread_mutex_unlock(&nt_wait_lock);
}

/* ---- timeouts ---- */
int64_t nt_mono_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/* *deadline: CLOCK_MONOTONIC ns, INT64_MAX for none; 0 means poll. */
NTSTATUS nt_wait_deadline(const LARGE_INTEGER *user, int64_t *deadline)
{
    LARGE_INTEGER t;
    *deadline = INT64_MAX;
    if (!user)
        return STATUS_SUCCESS;
    if (nt_copy_from_user(&t, user, sizeof t) != 0)
        return STATUS_ACCESS_VIOLATION;
    if (t.QuadPart == 0) {
        *deadline = 0;
        return STATUS_SUCCESS;
    }
    int64_t now = nt_mono_now(), rel100;
    if (t.QuadPart < 0) {
        rel100 = t.QuadPart == INT64_MIN ? INT64_MAX : -t.QuadPart;
    } else {
        struct timespec rt;
        clock_gettime(CLOCK_REALTIME, &rt);
        rel100 = t.QuadPart - nt_time_from_timespec(&rt);
        if (rel100 <= 0) {
            *deadline = 0;
            return STATUS_SUCCESS;
        }
    }
    if (rel100 > (INT64_MAX - now) / 100)
        return STATUS_SUCCESS; /* beyond any real wait: infinite */
    *deadline = now + rel100 * 100;
    return STATUS_SUCCESS;
}

/* ---- user APCs ----
 * NtQueueApcThread appends to the target's queue under nt_wait_lock and, when the target is in
 * an alertable wait (alert_word published under the same lock), marks that wait's futex word
 * NT_WAIT_APC and wakes it; nt_sync_wake never satisfies a wait whose word is no longer 0, so a
 * wait ends either satisfied or alerted, never both. The alerted thread runs its whole queue
 * (foreign routines through thunks/) and returns STATUS_USER_APC. */

/* Under nt_wait_lock: o has just become shared; its waiters go round again to poll its fd. */
void nt_sync_retry_waiters(nt_sync *o)
{
    for (nt_wait_block *b = o->wait_head; b; b = b->next) {
        nt_waiter *w = b->w;
        if (w->fire)
            nt_async_ring(); /* a wait without a thread: the watcher polls its fd from now on */
        else
            nt_waiter_retry(w); /* its fd joins the sleep */
    }
}

/* Runs and frees every queued APC of `t`; true when there was one. */
static bool nt_run_apcs(nt_thread_obj *t);
bool nt_thread_run_apcs(nt_thread_obj *t) { return nt_run_apcs(t); }

void nt_thread_alertable(nt_thread_obj *t, int *word, int bell)
{
    pthread_mutex_lock(&nt_wait_lock);
    t->alert_word = word;
    t->alert_bell = bell + 1;
    pthread_mutex_unlock(&nt_wait_lock);
}

static bool nt_run_apcs(nt_thread_obj *t)
{
    pthread_mutex_lock(&nt_wait_lock);
    nt_apc *list = t->apc_head;
    t->apc_head = t->apc_tail = NULL;
    pthread_mutex_unlock(&nt_wait_lock);
    bool any = list != NULL;
    while (list) {
        nt_apc *next = list->next;
        thk_call_foreign3(list->routine, list->a1, list->a2, list->a3);
        free(list);
        list = next;
    }
    return any;
}

static void nt_close_fds(int *fds, int *n)
{
    while (*n > 0)
        close(fds[--*n]);
}

/* The core wait: objs hold references owned by the caller. `self` (alertable waits only) is the
 * calling thread's object. armer_fds: pidfds of shared timers' armers this round (the caller
 * closes what is left). */
static NTSTATUS nt_wait_objects_core(nt_object **objs, int count, bool all, int64_t deadline,
                                     nt_thread_obj *self, int *armer_fds, int *narmers_out)
{
    nt_waiter w;
    w.count = count;
    w.all = all;
    w.fire = NULL; /* a thread waits: woken, not fired */
    w.fire_ctx = NULL;
    w.on_async = false;
    w.free_mutants = false;
    w.tid = nt_current_tid();
    w.result = STATUS_TIMEOUT;
    w.wake_fd = -1;
    if (count > 0)
        memcpy(w.objs, objs, sizeof *objs * (size_t)count);
    /* objects shared with other processes: the sleep polls their fds and our wake fd (each
     * round: an object that becomes shared during the wait sends its waiters round again) */
    struct pollfd pfds[2 * NT_MAXIMUM_WAIT_OBJECTS + 1]; /* (+ shared mutants' owners and
                                                             shared timers' armers) */
    int narmers = 0;
    uint64_t timer_gens[NT_MAXIMUM_WAIT_OBJECTS]; /* shared timers' armings seen (below) */
    bool timers = false; /* a timer among objs: a shared one's arming is looked at before each
                            sleep (its bell sends the sleep round, see timer.c) */
    bool timer_polls = false; /* ... one that is not belled: looked at every NT_TIMER_BELL_NS */
    int npfds = 0;
    bool owners = false; /* a shared mutant's owner in another process is watched */
    static __thread int wake_fd = -1;
    for (;;) {
        w.done = 0;
        /* A ring of an earlier round, or of an earlier wait of this thread (a waker that set
         * its done word and rang as it was returning, a queued APC): stale, as no waker can
         * find this wait before it is linked below. Left readable, it made the first round's
         * poll return at once, again and again, until the wait ended. */
        if (wake_fd >= 0)
            nt_fd_take(wake_fd);
        rt_thread_check_pending(); /* TerminateThread / ExitProcess elsewhere: before linking */
        if (self && nt_run_apcs(self))
            return STATUS_USER_APC;
        /* a shared timer whose armer has ended is armed here now; else the armer is watched */
        nt_close_fds(armer_fds, narmers_out);
        narmers = 0;
        timers = timer_polls = false;
        for (int i = 0; i < count; i++) {
            if (objs[i]->type != NT_OBJ_TIMER)
                continue;
            timers = true; /* (one of this process only: never "changed", see timer.c) */
            timer_polls |= nt_timer_bell_polled(objs[i]);
            timer_gens[i] = 0;
            if ((armer_fds[narmers] = nt_timer_watch_armer(objs[i], &timer_gens[i])) >= 0)
                *narmers_out = ++narmers;
        }
        pthread_mutex_lock(&nt_wait_lock);
        npfds = 0;
        owners = false;
        bool *dropped = w.dropped;
        w.free_mutants = false;
        for (int i = 0; i < narmers; i++)
            pfds[1 + npfds++] = (struct pollfd){.fd = armer_fds[i], .events = POLLIN};
        for (int i = 0; i < count; i++) {
            int fd = nt_shared_fd(objs[i]);
            nt_mutant *m = fd >= 0 && objs[i]->type == NT_OBJ_MUTANT ? (nt_mutant *)objs[i] : NULL;
            dropped[i] = false;
            if (m && m->owner == 0) {
                int pidfd = nt_mutant_watch_owner(m);
                if (pidfd >= 0) {
                    pfds[1 + npfds++] = (struct pollfd){.fd = pidfd, .events = POLLIN};
                    owners = true;
                }
                /* free, but a wait for all waits for another object: not its doorbell (a
                 * ring stays readable while it is free); if it is taken elsewhere before the
                 * wait is satisfied, the wait goes round again (below) and polls it then */
                if (nt_mutant_doorbell(m) && all) {
                    fd = -1;
                    w.free_mutants = dropped[i] = true;
                }
            }
            if (fd >= 0)
                pfds[1 + npfds++] = (struct pollfd){.fd = fd, .events = POLLIN};
        }
        bool polls = npfds > 0 || owners; /* (owners: looked at again every slice) */
        if (polls && wake_fd < 0 && (wake_fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC)) < 0) {
            pthread_mutex_unlock(&nt_wait_lock);
            return STATUS_INSUFFICIENT_RESOURCES;
        }
        if (polls) {
            w.wake_fd = wake_fd;
            pfds[0] = (struct pollfd){.fd = wake_fd, .events = POLLIN};
        }
        if (count > 0 && nt_try_satisfy(&w)) {
            pthread_mutex_unlock(&nt_wait_lock);
            return w.result;
        }
        if (w.free_mutants && nt_waitall_blocked_by_free_mutants(&w, dropped)) {
            pthread_mutex_unlock(&nt_wait_lock);
            continue; /* one was taken elsewhere since: round again, polling its doorbell */
        }
        if (self && self->apc_head) { /* queued since the check above */
            pthread_mutex_unlock(&nt_wait_lock);
            continue;
        }
        if (deadline == 0) {
            pthread_mutex_unlock(&nt_wait_lock);
            return STATUS_TIMEOUT;
        }
        nt_waiter_link(&w);
        int saved_bell = 0;
        if (self) {
            self->alert_word = &w.done;
            /* a sleep in poll: a queued APC rings our wake fd too, as it does a blocking
             * socket call's (the one it may be nested in gets its own back below) */
            saved_bell = self->alert_bell;
            if (polls)
                self->alert_bell = w.wake_fd + 1;
        }
        pthread_mutex_unlock(&nt_wait_lock);

        bool interrupted = false;
        while (!__atomic_load_n(&w.done, __ATOMIC_ACQUIRE)) {
            /* Sleep in slices: a termination request that came just before the sleep is seen
             * at the end of the slice (see rt_thread_check_pending). */
            int64_t now = nt_mono_now();
            if (now >= deadline)
                break;
            int64_t until = deadline - now > RT_WAIT_SLICE_NS ? now + RT_WAIT_SLICE_NS : deadline;
            struct timespec ts = {until / 1000000000, until % 1000000000};
            if (polls) { /* a shared object: another process may signal it */
                /* the "arming changed" check: armed or cancelled in another process since the
                 * round began (the armer to watch now, or to take over from). Before each
                 * sleep: a bell rung before this wait was linked found no waiter to send round
                 * (the fence: the link before the loads, as the ringer's add comes before its
                 * ring). */
                bool changed = false;
                if (timers)
                    __atomic_thread_fence(__ATOMIC_SEQ_CST);
                for (int i = 0; timers && !changed && i < count; i++)
                    changed = objs[i]->type == NT_OBJ_TIMER &&
                              nt_timer_arming_changed(objs[i], timer_gens[i]);
                if (changed) {
                    interrupted = true; /* try again under the lock */
                    break;
                }
                int64_t left = until - now, cap = left; /* (an APC rings wake_fd: above) */
                if (timer_polls && cap > NT_TIMER_BELL_NS)
                    cap = NT_TIMER_BELL_NS; /* an arming no bell tells of: looked at above */
                int ms = (int)((left < cap ? left : cap) / 1000000) + 1;
                int r = poll(pfds, (nfds_t)npfds + 1, ms);
                if ((r < 0 && errno == EINTR) || rt_thread_pending()) {
                    interrupted = true;
                    break;
                }
                bool shared_ready = false; /* (POLLNVAL, POLLHUP too: never a busy sleep) */
                for (int i = 1; i <= npfds; i++)
                    shared_ready |= pfds[i].revents != 0;
                /* (an owner watched may have given the mutant to another process, which
                 * then is the one to watch: looked at again every slice) */
                if (shared_ready || (self && self->apc_head) || (owners && r == 0)) {
                    interrupted = true; /* try again under the lock */
                    break;
                }
                continue;
            }
            long r = nt_futex(&w.done, FUTEX_WAIT_BITSET, 0, &ts, FUTEX_BITSET_MATCH_ANY);
            if ((r < 0 && errno == EINTR) || rt_thread_pending()) {
                interrupted = true;
                break;
            }
        }
        pthread_mutex_lock(&nt_wait_lock);
        int done = __atomic_load_n(&w.done, __ATOMIC_ACQUIRE);
        if (done != 1)
            nt_waiter_unlink(&w);
        if (self) {
            self->alert_word = NULL;
            self->alert_bell = saved_bell;
        }
        pthread_mutex_unlock(&nt_wait_lock);
        if (done == 1)
            return w.result;
        if (done == NT_WAIT_APC) {
            nt_run_apcs(self);
            return STATUS_USER_APC;
        }
        if (done == NT_WAIT_RETRY)
            continue; /* an object became shared: its fd joins the sleep */
        if (!interrupted)
            return STATUS_TIMEOUT;
        rt_thread_check_pending(); /* nothing of ours is linked any more */
    }
}

static NTSTATUS nt_wait_objects_ex(nt_object **objs, int count, bool all, int64_t deadline,
                                   nt_thread_obj *self)
{
    int armer_fds[NT_MAXIMUM_WAIT_OBJECTS], narmers = 0;
    NTSTATUS st = nt_wait_objects_core(objs, count, all, deadline, self, armer_fds, &narmers);
    nt_close_fds(armer_fds, &narmers);
    return st;
}

static NTSTATUS nt_wait_objects(nt_object **objs, int count, bool all, int64_t deadline,
                                bool alertable)
{
    if (!alertable)
        return nt_wait_objects_ex(objs, count, all, deadline, NULL);
    nt_thread_obj *self = nt_thread_current();
    NTSTATUS st = nt_wait_objects_ex(objs, count, all, deadline, self);
    if (self)
        nt_object_release(&self->s.hdr);
    return st;
}

/* NtDelayExecution(alertable = TRUE): a wait on nothing that user APCs end (time.c). */
NTSTATUS nt_delay_alertable(const LARGE_INTEGER *timeout)
{
    int64_t deadline;
    NTSTATUS st = nt_wait_deadline(timeout, &deadline);
    if (st != STATUS_SUCCESS)
        return st;
    if (timeout == NULL)
        return STATUS_ACCESS_VIOLATION; /* NtDelayExecution's interval is required */
    st = nt_wait_objects(NULL, 0, false, deadline, true);
    return st == STATUS_TIMEOUT ? STATUS_SUCCESS : st;
}

NTSTATUS NTAPI NtQueueApcThread(HANDLE thread, void *routine, void *a1, void *a2, void *a3)
{
    nt_object *o;
    NTSTATUS st = nt_object_from_handle(thread, NT_OBJ_THREAD, &o);
    if (st != STATUS_SUCCESS)
        return st;
    pthread_mutex_lock(&nt_wait_lock);
    st = nt_queue_apc_locked((nt_thread_obj *)o, routine, (uint64_t)(uintptr_t)a1,
                             (uint64_t)(uintptr_t)a2, (uint64_t)(uintptr_t)a3);
    pthread_mutex_unlock(&nt_wait_lock);
    nt_object_release(o);
    return st;
}

NTSTATUS nt_queue_apc_locked(nt_thread_obj *t, void *routine, uint64_t a1, uint64_t a2,
                             uint64_t a3)
{
    NTSTATUS st = STATUS_SUCCESS;
    nt_apc *apc = calloc(1, sizeof *apc);
    if (!apc)
        return STATUS_NO_MEMORY;
    apc->routine = routine;
    apc->a1 = a1;
    apc->a2 = a2;
    apc->a3 = a3;
    if (t->exited) {
        st = STATUS_UNSUCCESSFUL; /* Windows: the thread is terminating */
        free(apc);
    } else {
        if (t->apc_tail)
            t->apc_tail->next = apc;
        else
            t->apc_head = apc;
        t->apc_tail = apc;
        int expected = 0;
        if (t->alert_word && __atomic_compare_exchange_n(t->alert_word, &expected, NT_WAIT_APC,
                                                         false, __ATOMIC_RELEASE, __ATOMIC_RELAXED))
            nt_futex(t->alert_word, FUTEX_WAKE, 1, NULL, 0);
        if (t->alert_bell > 0) { /* under the lock: the waiter withdraws it under it first */
            uint64_t one = 1;
            if (write(t->alert_bell - 1, &one, sizeof one) < 0) { /* full: rung already */
            }
        }
    }
    return st;
}

/* Runs the caller's queued APCs: STATUS_USER_APC when there were any, else STATUS_SUCCESS. */
NTSTATUS NTAPI NtTestAlert(void)
{
    nt_thread_obj *self = nt_thread_current();
    if (!self)
        return STATUS_NO_MEMORY;
    bool ran = nt_run_apcs(self);
    nt_object_release(&self->s.hdr);
    return ran ? STATUS_USER_APC : STATUS_SUCCESS;
}

/* ---- the wait calls ---- */
static NTSTATUS nt_get_waitable(HANDLE h, nt_object **out)
{
    NTSTATUS st = nt_object_from_handle(h, NT_OBJ_ANY, out);
    if (st != STATUS_SUCCESS)
        return st;
    if (!nt_is_sync_type((*out)->type) && (*out)->type != NT_OBJ_FILE)
        st = STATUS_OBJECT_TYPE_MISMATCH;
    else
        st = nt_handle_access(h, *out, SYNCHRONIZE); /* a wait needs it */
    if (st != STATUS_SUCCESS) {
        nt_object_release(*out);
        *out = NULL;
    } else if ((*out)->type == NT_OBJ_FILE && nt_console_is_input((nt_file *)*out)) {
        nt_object *file = *out; /* signalled while input is pending (console.c) */
        *out = nt_console_input_waitable(((nt_file *)file)->fd);
        nt_object_release(file);
    } else if ((*out)->type == NT_OBJ_FILE) {
        nt_object *ev = nt_dirwatch_waitable((nt_file *)*out); /* FindFirstChangeNotification */
        if (ev) {
            nt_object_release(*out);
            *out = ev;
        }
    }
    return st;
}

NTSTATUS NTAPI NtWaitForSingleObject(HANDLE h, BOOLEAN alertable, const LARGE_INTEGER *timeout)
{
    int64_t deadline;
    nt_object *obj;
    NTSTATUS st = nt_wait_deadline(timeout, &deadline);
    if (st != STATUS_SUCCESS)
        return st;
    st = nt_get_waitable(h, &obj);
    if (st != STATUS_SUCCESS)
        return st;
    st = nt_wait_objects(&obj, 1, false, deadline, alertable != 0);
    nt_object_release(obj);
    return st;
}

NTSTATUS NTAPI NtWaitForMultipleObjects(uint32_t count, const HANDLE *handles, uint32_t wait_type,
                                        BOOLEAN alertable, const LARGE_INTEGER *timeout)
{
    HANDLE hs[NT_MAXIMUM_WAIT_OBJECTS];
    nt_object *objs[NT_MAXIMUM_WAIT_OBJECTS];
    int64_t deadline;
    if (count == 0 || count > NT_MAXIMUM_WAIT_OBJECTS)
        return STATUS_INVALID_PARAMETER_1;
    if (wait_type != NT_WAIT_ALL && wait_type != NT_WAIT_ANY)
        return STATUS_INVALID_PARAMETER_3;
    if (nt_copy_from_user(hs, handles, sizeof *hs * count) != 0)
        return STATUS_ACCESS_VIOLATION;
    NTSTATUS st = nt_wait_deadline(timeout, &deadline);
    if (st != STATUS_SUCCESS)
        return st;
    uint32_t got = 0;
    for (; got < count; got++) {
        st = nt_get_waitable(hs[got], &objs[got]);
        if (st != STATUS_SUCCESS)
            goto release;
    }
    if (wait_type == NT_WAIT_ALL) {
        for (uint32_t i = 0; i < count; i++)
            for (uint32_t j = i + 1; j < count; j++)
                if (objs[i] == objs[j]) {
                    st = STATUS_INVALID_PARAMETER_MIX;
                    goto release;
                }
    }
    st = nt_wait_objects(objs, (int)count, wait_type == NT_WAIT_ALL, deadline, alertable != 0);
release:
    for (uint32_t i = 0; i < got; i++)
        nt_object_release(objs[i]);
    return st;
}

/* ---- names ---- */
void nt_sync_free_name(nt_sync *s)
{
    nt_xname_withdraw(s); /* (other processes: no longer offered from here) */
    if (!s->name)
        return;
    pthread_mutex_lock(&nt_wait_lock);
    for (nt_sync **p = &nt_named; *p; p = &(*p)->name_next) {
        if (*p == s) {
            *p = s->name_next;
            break;
        }
    }
    pthread_mutex_unlock(&nt_wait_lock);
    free(s->name);
    s->name = NULL;
}

bool nt_object_try_ref(nt_object *o)
{
    int n = __atomic_load_n(&o->refcount, __ATOMIC_RELAXED);
    while (n > 0)
        if (__atomic_compare_exchange_n(&o->refcount, &n, n + 1, false, __ATOMIC_ACQUIRE,
                                        __ATOMIC_RELAXED))
            return true;
    return false;
}

/* Reads the name of OBJECT_ATTRIBUTES: *name NULL (and STATUS_SUCCESS) for an unnamed object. */
static NTSTATUS nt_read_name(const OBJECT_ATTRIBUTES *user_attr, WCHAR **name, size_t *len,
                             bool *icase)
{
    OBJECT_ATTRIBUTES attr;
    UNICODE_STRING us;
    *name = NULL;
    *len = 0;
    *icase = false;
    if (!user_attr)
        return STATUS_SUCCESS;
    if (nt_copy_from_user(&attr, user_attr, sizeof attr) != 0)
        return STATUS_ACCESS_VIOLATION;
    if (!attr.ObjectName)
        return STATUS_SUCCESS;
    if (nt_copy_from_user(&us, attr.ObjectName, sizeof us) != 0)
        return STATUS_ACCESS_VIOLATION;
    if (us.Length == 0)
        return STATUS_SUCCESS;
    if (us.Length & 1)
        return STATUS_OBJECT_NAME_INVALID;
    *len = us.Length / 2;
    *name = malloc(us.Length + 2);
    if (!*name)
        return STATUS_NO_MEMORY;
    if (nt_copy_from_user(*name, us.Buffer, us.Length) != 0) {
        free(*name);
        *name = NULL;
        return STATUS_ACCESS_VIOLATION;
    }
    (*name)[*len] = 0;
    *icase = (attr.Attributes & OBJ_CASE_INSENSITIVE) != 0;
    return STATUS_SUCCESS;
}

/* A name relative to OBJECT_ATTRIBUTES.RootDirectory: ntrun has no object directories, so no
 * handle can be one. The handle is checked as Windows' lookup references it: a closed or
 * garbage one gives STATUS_INVALID_HANDLE, any object (an event, a file, a key: none is a
 * directory, and what they parse to is never the type asked for) STATUS_OBJECT_TYPE_MISMATCH. */
static NTSTATUS nt_check_root(const OBJECT_ATTRIBUTES *user_attr)
{
    OBJECT_ATTRIBUTES attr;
    nt_object *o;
    if (!user_attr || nt_copy_from_user(&attr, user_attr, sizeof attr) != 0 || !attr.RootDirectory)
        return STATUS_SUCCESS;
    NTSTATUS st = nt_object_from_handle(attr.RootDirectory, NT_OBJ_ANY, &o);
    if (st != STATUS_SUCCESS)
        return st;
    nt_object_release(o);
    return STATUS_OBJECT_TYPE_MISMATCH;
}

NTSTATUS nt_object_attr_name(const OBJECT_ATTRIBUTES *attr, WCHAR **name, size_t *len)
{
    bool icase;
    return nt_read_name(attr, name, len, &icase);
}

/* Under nt_wait_lock: the named object with a new reference, or NULL. */
static nt_sync *nt_find_named(const WCHAR *name, size_t len, bool icase)
{
    for (nt_sync *s = nt_named; s; s = s->name_next) {
        if (s->name_len != len)
            continue;
        bool eq = icase ? nt_wcsicmp_n(s->name, len, name, len) == 0
                        : memcmp(s->name, name, len * sizeof *name) == 0;
        if (eq && nt_object_try_ref(&s->hdr))
            return s;
    }
    return NULL;
}

/* A name not among ours: another process's object of that name, registered here under it
 * (*name taken), with a reference; or the object another thread registered meanwhile; NULL:
 * none (*name left). STATUS_OBJECT_TYPE_MISMATCH: the name is another type's there. */
static NTSTATUS nt_named_elsewhere(nt_obj_type type, WCHAR **name, size_t len, bool icase,
                                   nt_sync **out)
{
    nt_object *there = NULL;
    *out = NULL;
    NTSTATUS st = nt_xname_find(type, *name, len, icase, &there);
    if (st == STATUS_OBJECT_TYPE_MISMATCH)
        return st;
    pthread_mutex_lock(&nt_wait_lock);
    nt_sync *old = nt_find_named(*name, len, icase);
    if (!old && there) {
        nt_sync *s = (nt_sync *)there;
        s->name = *name;
        s->name_len = len;
        s->name_next = nt_named;
        nt_named = s;
        *name = NULL;
        there = NULL;
        old = s;
    }
    pthread_mutex_unlock(&nt_wait_lock);
    if (there)
        nt_object_release(there); /* another thread was first */
    *out = old;
    return STATUS_SUCCESS;
}

/* Creates (or, for a name in use, opens) an object. `fresh` is a new object with its creation
 * reference; it is released when an existing object is opened instead. A name not used in this
 * process is looked for in the others (sync_names.c), and offered to them from here. */
NTSTATUS nt_create_named(nt_sync *fresh, const OBJECT_ATTRIBUTES *attr, HANDLE *user_handle)
{
    WCHAR *name;
    size_t len;
    bool icase;
    HANDLE h;
    NTSTATUS st = nt_read_name(attr, &name, &len, &icase);
    nt_object *obj = &fresh->hdr;
    NTSTATUS ok = STATUS_SUCCESS;
    if (st == STATUS_SUCCESS && name && (st = nt_check_root(attr)) != STATUS_SUCCESS) {
        free(name);
        name = NULL;
    }
    if (st != STATUS_SUCCESS) {
        nt_object_release(&fresh->hdr);
        return st;
    }
    if (name) {
        pthread_mutex_lock(&nt_wait_lock);
        nt_sync *old = nt_find_named(name, len, icase);
        pthread_mutex_unlock(&nt_wait_lock);
        if (!old && (st = nt_named_elsewhere(fresh->hdr.type, &name, len, icase, &old)) !=
                        STATUS_SUCCESS) {
            free(name);
            nt_object_release(&fresh->hdr);
            return st;
        }
        if (!old) {
            pthread_mutex_lock(&nt_wait_lock);
            if (!(old = nt_find_named(name, len, icase))) {
                fresh->name = name;
                fresh->name_len = len;
                fresh->name_next = nt_named;
                nt_named = fresh;
                name = NULL;
            }
            pthread_mutex_unlock(&nt_wait_lock);
        }
        free(name);
        if (old) {
            nt_obj_type want = fresh->hdr.type;
            nt_object_release(&fresh->hdr);
            if (old->hdr.type != want) {
                nt_object_release(&old->hdr);
                return STATUS_OBJECT_TYPE_MISMATCH;
            }
            obj = &old->hdr;
            ok = STATUS_OBJECT_NAME_EXISTS;
        }
        nt_xname_offer((nt_sync *)obj);
    }
    uint32_t attributes = 0; /* OBJ_INHERIT: a child started with bInheritHandles gets it */
    if (attr)
        nt_copy_from_user(&attributes, &attr->Attributes, sizeof attributes);
    st = nt_handle_alloc_inherit(obj, (attributes & 0x2u) != 0, &h);
    nt_object_release(obj);
    if (st != STATUS_SUCCESS)
        return st;
    if (nt_copy_to_user(user_handle, &h, sizeof h) != 0) {
        nt_handle_close(h);
        return STATUS_ACCESS_VIOLATION;
    }
    return ok;
}

NTSTATUS nt_open_named(nt_obj_type type, const OBJECT_ATTRIBUTES *attr, HANDLE *user_handle)
{
    WCHAR *name;
    size_t len;
    bool icase;
    HANDLE h = NULL;
    if (nt_copy_to_user(user_handle, &h, sizeof h) != 0)
        return STATUS_ACCESS_VIOLATION;
    NTSTATUS st = nt_read_name(attr, &name, &len, &icase);
    if (st != STATUS_SUCCESS)
        return st;
    if (!name)
        return STATUS_OBJECT_PATH_SYNTAX_BAD;
    if ((st = nt_check_root(attr)) != STATUS_SUCCESS) {
        free(name);
        return st;
    }
    pthread_mutex_lock(&nt_wait_lock);
    nt_sync *s = nt_find_named(name, len, icase);
    pthread_mutex_unlock(&nt_wait_lock);
    if (!s &&
        (type == NT_OBJ_EVENT || type == NT_OBJ_SEMAPHORE || type == NT_OBJ_MUTANT ||
         type == NT_OBJ_TIMER) &&
        (st = nt_named_elsewhere(type, &name, len, icase, &s)) != STATUS_SUCCESS) {
        free(name);
        return st;
    }
    free(name);
    if (!s)
        return STATUS_OBJECT_NAME_NOT_FOUND;
    if (s->hdr.type != type) {
        nt_object_release(&s->hdr);
        return STATUS_OBJECT_TYPE_MISMATCH;
    }
    nt_xname_offer(s);
    uint32_t attributes = 0; /* OBJ_INHERIT: OpenEvent(..., bInheritHandle = TRUE, ...) */
    if (nt_copy_from_user(&attributes, &attr->Attributes, sizeof attributes) != 0) {
        nt_object_release(&s->hdr);
        return STATUS_ACCESS_VIOLATION;
    }
    st = nt_handle_alloc_inherit(&s->hdr, (attributes & 0x2u) != 0, &h);
    nt_object_release(&s->hdr);
    if (st != STATUS_SUCCESS)
        return st;
    if (nt_copy_to_user(user_handle, &h, sizeof h) != 0) {
        nt_handle_close(h);
        return STATUS_ACCESS_VIOLATION;
    }
    return STATUS_SUCCESS;
}

/* ---- events ---- */
static void nt_event_destroy(nt_object *o)
{
    nt_sync_free_name((nt_sync *)o);
    if (((nt_event *)o)->shared)
        close(((nt_event *)o)->efd);
    free(o);
}

NTSTATUS NTAPI NtCreateEvent(HANDLE *handle, uint32_t access, const OBJECT_ATTRIBUTES *attr,
                             uint32_t type, BOOLEAN initial)
{
    HANDLE zero = NULL;
    if (nt_copy_to_user(handle, &zero, sizeof zero) != 0)
        return STATUS_ACCESS_VIOLATION;
    if (type != NT_NOTIFICATION_EVENT && type != NT_SYNCHRONIZATION_EVENT)
        return STATUS_INVALID_PARAMETER;
    nt_event *e = calloc(1, sizeof *e);
    if (!e)
        return STATUS_NO_MEMORY;
    nt_object_init(&e->s.hdr, NT_OBJ_EVENT, nt_event_destroy);
    e->manual = type == NT_NOTIFICATION_EVENT;
    e->signalled = initial != 0;
    return nt_handle_grant_user(handle, NT_OBJ_EVENT, access,
                                nt_create_named(&e->s, attr, handle));
}

NTSTATUS NTAPI NtOpenEvent(HANDLE *handle, uint32_t access, const OBJECT_ATTRIBUTES *attr)
{
    return nt_handle_grant_user(handle, NT_OBJ_EVENT, access,
                                nt_open_named(NT_OBJ_EVENT, attr, handle));
}

/* op: 1 set, 0 reset, 2 pulse. *prev (optional) gets the state before. */
static NTSTATUS nt_event_op(HANDLE h, int op, int32_t *prev)
{
    nt_object *o;
    NTSTATUS st = nt_object_from_handle_access(h, NT_OBJ_EVENT, NT_MODIFY_STATE, &o);
    if (st != STATUS_SUCCESS)
        return st;
    nt_event *e = (nt_event *)o;
    pthread_mutex_lock(&nt_wait_lock);
    int32_t before = e->signalled;
    if (e->shared) {
        before = nt_fd_readable(e->efd);
        if (op != 0) {
            nt_fd_give(e->efd, 1);
            nt_sync_wake(&e->s);
        }
        if (op != 1)
            nt_fd_take(e->efd);
    } else if (op == 0) {
        e->signalled = false;
    } else {
        e->signalled = true;
        nt_sync_wake(&e->s);
        if (op == 2)
            e->signalled = false; /* pulse: release the current waiters only */
    }
    pthread_mutex_unlock(&nt_wait_lock);
    nt_object_release(o);
    if (prev && nt_copy_to_user(prev, &before, sizeof before) != 0)
        return STATUS_ACCESS_VIOLATION;
    return STATUS_SUCCESS;
}

NTSTATUS NTAPI NtSetEvent(HANDLE h, int32_t *prev) { return nt_event_op(h, 1, prev); }
NTSTATUS NTAPI NtResetEvent(HANDLE h, int32_t *prev) { return nt_event_op(h, 0, prev); }
NTSTATUS NTAPI NtPulseEvent(HANDLE h, int32_t *prev) { return nt_event_op(h, 2, prev); }
NTSTATUS NTAPI NtClearEvent(HANDLE h) { return nt_event_op(h, 0, NULL); }

/* ---- mutants ---- */
/* Puts a new mutant on the list of every mutant (abandonment when its owner ends). */
static void nt_mutant_list(nt_mutant *m)
{
    pthread_mutex_lock(&nt_wait_lock);
    m->next = nt_mutants;
    if (nt_mutants)
        nt_mutants->prev = m;
    nt_mutants = m;
    pthread_mutex_unlock(&nt_wait_lock);
}

static void nt_mutant_destroy(nt_object *o)
{
    nt_mutant *m = (nt_mutant *)o;
    nt_sync_free_name(&m->s);
    pthread_mutex_lock(&nt_wait_lock);
    if (m->prev)
        m->prev->next = m->next;
    else
        nt_mutants = m->next;
    if (m->next)
        m->next->prev = m->prev;
    if (m->shared && m->owner != 0) /* the last handle closed by its owner: abandoned there */
        nt_mutant_give_back(m, true);
    pthread_mutex_unlock(&nt_wait_lock);
    if (m->shared) {
        if (m->watch_id)
            close(m->watch_fd);
        close(m->efd);
        close(m->pfd);
        munmap(m->page, 4096);
    }
    free(m);
}

NTSTATUS NTAPI NtCreateMutant(HANDLE *handle, uint32_t access, const OBJECT_ATTRIBUTES *attr,
                              BOOLEAN initial_owner)
{
    HANDLE zero = NULL;
    if (nt_copy_to_user(handle, &zero, sizeof zero) != 0)
        return STATUS_ACCESS_VIOLATION;
    nt_mutant *m = calloc(1, sizeof *m);
    if (!m)
        return STATUS_NO_MEMORY;
    nt_object_init(&m->s.hdr, NT_OBJ_MUTANT, nt_mutant_destroy);
    nt_mutant_list(m);
    /* Ownership is taken after the name lookup: opening an existing mutant never owns it. */
    NTSTATUS st = nt_create_named(&m->s, attr, handle);
    if (st == STATUS_SUCCESS && initial_owner) {
        pthread_mutex_lock(&nt_wait_lock);
        m->owner = nt_current_tid();
        m->recursion = 1;
        pthread_mutex_unlock(&nt_wait_lock);
    }
    return nt_handle_grant_user(handle, NT_OBJ_MUTANT, access, st);
}

NTSTATUS NTAPI NtOpenMutant(HANDLE *handle, uint32_t access, const OBJECT_ATTRIBUTES *attr)
{
    return nt_handle_grant_user(handle, NT_OBJ_MUTANT, access,
                                nt_open_named(NT_OBJ_MUTANT, attr, handle));
}

NTSTATUS NTAPI NtReleaseMutant(HANDLE h, int32_t *prev)
{
    nt_object *o;
    if (prev && !nt_probe_write(prev, sizeof *prev))
        return STATUS_ACCESS_VIOLATION; /* probed first, as Windows: nothing is released */
    NTSTATUS st = nt_object_from_handle(h, NT_OBJ_MUTANT, &o);
    if (st != STATUS_SUCCESS)
        return st;
    nt_mutant *m = (nt_mutant *)o;
    int32_t before = 0;
    pthread_mutex_lock(&nt_wait_lock);
    if (m->owner != nt_current_tid()) {
        st = STATUS_MUTANT_NOT_OWNED;
    } else {
        before = 1 - m->recursion; /* the signal state: 1 free, 0 owned once, -1 twice, ... */
        if (--m->recursion == 0) {
            m->owner = 0;
            if (m->shared)
                nt_mutant_give_back(m, false);
            nt_sync_wake(&m->s);
        }
    }
    pthread_mutex_unlock(&nt_wait_lock);
    nt_object_release(o);
    if (st == STATUS_SUCCESS && prev && nt_copy_to_user(prev, &before, sizeof before) != 0)
        return STATUS_ACCESS_VIOLATION;
    return st;
}

/* ---- semaphores ---- */
static void nt_semaphore_destroy(nt_object *o)
{
    nt_sync_free_name((nt_sync *)o);
    nt_semaphore *sem = (nt_semaphore *)o;
    if (sem->shared) {
        close(sem->efd);
        close(sem->pfd);
        munmap(sem->page, 4096);
    }
    free(o);
}

NTSTATUS NTAPI NtCreateSemaphore(HANDLE *handle, uint32_t access, const OBJECT_ATTRIBUTES *attr,
                                 int32_t initial, int32_t max)
{
    HANDLE zero = NULL;
    if (nt_copy_to_user(handle, &zero, sizeof zero) != 0)
        return STATUS_ACCESS_VIOLATION;
    if (max <= 0 || initial < 0 || initial > max)
        return STATUS_INVALID_PARAMETER;
    nt_semaphore *s = calloc(1, sizeof *s);
    if (!s)
        return STATUS_NO_MEMORY;
    nt_object_init(&s->s.hdr, NT_OBJ_SEMAPHORE, nt_semaphore_destroy);
    s->count = initial;
    s->max = max;
    return nt_handle_grant_user(handle, NT_OBJ_SEMAPHORE, access,
                                nt_create_named(&s->s, attr, handle));
}

NTSTATUS NTAPI NtOpenSemaphore(HANDLE *handle, uint32_t access, const OBJECT_ATTRIBUTES *attr)
{
    return nt_handle_grant_user(handle, NT_OBJ_SEMAPHORE, access,
                                nt_open_named(NT_OBJ_SEMAPHORE, attr, handle));
}

NTSTATUS NTAPI NtReleaseSemaphore(HANDLE h, int32_t count, int32_t *prev)
{
    nt_object *o;
    if (prev && !nt_probe_write(prev, sizeof *prev))
        return STATUS_ACCESS_VIOLATION; /* probed first, as Windows: nothing is released */
    if (count <= 0)
        return STATUS_INVALID_PARAMETER;
    NTSTATUS st = nt_object_from_handle_access(h, NT_OBJ_SEMAPHORE, NT_MODIFY_STATE, &o);
    if (st != STATUS_SUCCESS)
        return st;
    nt_semaphore *s = (nt_semaphore *)o;
    int32_t before;
    pthread_mutex_lock(&nt_wait_lock);
    before = s->count;
    if (s->shared) { /* the count in the shared page: the maximum holds across processes */
        before = __atomic_load_n(&s->page[0], __ATOMIC_ACQUIRE);
        do {
            if (count > s->max - before) {
                st = STATUS_SEMAPHORE_LIMIT_EXCEEDED;
                break;
            }
        } while (!__atomic_compare_exchange_n(&s->page[0], &before, before + count, false,
                                              __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE));
        if (st == STATUS_SUCCESS) {
            nt_fd_give(s->efd, (uint64_t)count);
            nt_sync_wake(&s->s);
        }
    } else if (count > s->max - s->count) {
        st = STATUS_SEMAPHORE_LIMIT_EXCEEDED;
    } else {
        s->count += count;
        nt_sync_wake(&s->s);
    }
    pthread_mutex_unlock(&nt_wait_lock);
    nt_object_release(o);
    if (st == STATUS_SUCCESS && prev && nt_copy_to_user(prev, &before, sizeof before) != 0)
        return STATUS_ACCESS_VIOLATION;
    return st;
}

/* ---- NtDuplicateObject ---- */
static NTSTATUS nt_check_process(HANDLE process)
{
    nt_object *o;
    /* another type's handle: STATUS_OBJECT_TYPE_MISMATCH, as Windows' reference by
     * PsProcessType answers (DuplicateHandle turns both into ERROR_INVALID_HANDLE) */
    NTSTATUS st = nt_object_from_handle(process, NT_OBJ_PROCESS, &o);
    if (st == STATUS_SUCCESS)
        nt_object_release(o);
    return st;
}

NTSTATUS NTAPI NtDuplicateObject(HANDLE src_process, HANDLE src, HANDLE dst_process,
                                 HANDLE *dst, uint32_t access, uint32_t attributes,
                                 uint32_t options)
{
    nt_object *obj;
    nt_child *source = NULL;
    HANDLE h = NULL;
    uint32_t src_granted;
    bool src_inherit;
    NTSTATUS st = nt_check_process(src_process);
    if (st != STATUS_SUCCESS)
        return st;
    if (dst && nt_copy_to_user(dst, &h, sizeof h) != 0)
        return STATUS_ACCESS_VIOLATION;
    if ((st = nt_process_target(src_process, 0x40u /* PROCESS_DUP_HANDLE */, &source)) !=
        STATUS_SUCCESS)
        return st;
    if (source) { /* a handle of another process: its object comes over (process_remote.c) and
                     with DUPLICATE_CLOSE_SOURCE the handle is closed there */
        st = nt_rc_handle_out(source, src, (options & NT_DUPLICATE_CLOSE_SOURCE) != 0,
                              dst_process != NULL, &obj, &src_granted, &src_inherit);
        nt_process_target_done(source);
        if (st != STATUS_SUCCESS || !dst_process)
            return st;
    } else {
        st = nt_object_from_handle(src, NT_OBJ_ANY, &obj);
        if (st != STATUS_SUCCESS)
            return st;
        src_granted = nt_handle_granted(src, nt_object_default_access(obj));
        src_inherit = nt_handle_inherits(src);
    }
    /* the new handle's access: the source's (DUPLICATE_SAME_ACCESS) or the one asked for,
     * mapped for the type; its inheritance: OBJ_INHERIT or the source's */
    uint32_t granted = (options & NT_DUPLICATE_SAME_ACCESS) ? src_granted
                                                            : nt_access_map(obj->type, access);
    bool inherit = (options & NT_DUPLICATE_SAME_ATTRIBUTES) ? src_inherit
                                                            : (attributes & 0x2u) != 0;
    bool remote = false;
    if (dst_process) {
        nt_child *target = NULL;
        st = nt_check_process(dst_process);
        if (st == STATUS_SUCCESS &&
            (st = nt_process_target(dst_process, 0x40u /* PROCESS_DUP_HANDLE */, &target)) ==
                STATUS_SUCCESS &&
            target) { /* into another process: its runtime makes the handle (process_remote.c) */
            st = nt_rc_handle_in(target, obj, granted, inherit, &h);
            nt_process_target_done(target);
            remote = true;
        } else if (st == STATUS_SUCCESS) {
            st = nt_handle_alloc_inherit(obj, inherit, &h); /* before closing the source */
            if (st == STATUS_SUCCESS)
                nt_handle_set_granted(h, granted);
        }
    }
    nt_object_release(obj);
    if (!source && (options & NT_DUPLICATE_CLOSE_SOURCE))
        NtClose(src); /* closed whatever happened, as on Windows */
    if (!dst_process || st != STATUS_SUCCESS)
        return st;  /* no destination: DUPLICATE_CLOSE_SOURCE only */
    if (!dst || nt_copy_to_user(dst, &h, sizeof h) != 0) {
        if (!remote) /* a handle in another process stays there, as on Windows */
            nt_handle_close(h);
        return STATUS_ACCESS_VIOLATION;
    }
    return STATUS_SUCCESS;
}

/* ---- queries (the basic information class of each type) ---- */
static NTSTATUS nt_query_out(void *info, uint32_t len, uint32_t *ret_len, const void *data,
                             uint32_t size)
{
    if (len < size)
        return STATUS_INFO_LENGTH_MISMATCH;
    if (nt_copy_to_user(info, data, size) != 0)
        return STATUS_ACCESS_VIOLATION;
    if (ret_len && nt_copy_to_user(ret_len, &size, sizeof size) != 0)
        return STATUS_ACCESS_VIOLATION;
    return STATUS_SUCCESS;
}

/* EventBasicInformation (0): EVENT_TYPE, LONG state. */
NTSTATUS NTAPI NtQueryEvent(HANDLE h, uint32_t klass, void *info, uint32_t len, uint32_t *ret_len)
{
    nt_object *o;
    if (klass != 0)
        return STATUS_INVALID_INFO_CLASS;
    NTSTATUS st = nt_object_from_handle_access(h, NT_OBJ_EVENT, NT_QUERY_STATE, &o);
    if (st != STATUS_SUCCESS)
        return st;
    nt_event *e = (nt_event *)o;
    int32_t data[2];
    pthread_mutex_lock(&nt_wait_lock);
    data[0] = e->manual ? NT_NOTIFICATION_EVENT : NT_SYNCHRONIZATION_EVENT;
    data[1] = e->shared ? nt_fd_readable(e->efd) : e->signalled;
    pthread_mutex_unlock(&nt_wait_lock);
    nt_object_release(o);
    return nt_query_out(info, len, ret_len, data, sizeof data);
}

/* MutantBasicInformation (0): LONG CurrentCount (the signal state), BOOLEAN OwnedByCaller,
 * BOOLEAN AbandonedState. */
NTSTATUS NTAPI NtQueryMutant(HANDLE h, uint32_t klass, void *info, uint32_t len, uint32_t *ret_len)
{
    nt_object *o;
    if (klass != 0)
        return STATUS_INVALID_INFO_CLASS;
    NTSTATUS st = nt_object_from_handle_access(h, NT_OBJ_MUTANT, NT_QUERY_STATE, &o);
    if (st != STATUS_SUCCESS)
        return st;
    nt_mutant *m = (nt_mutant *)o;
    struct { int32_t count; uint8_t owned, abandoned, pad[2]; } data = {0};
    pthread_mutex_lock(&nt_wait_lock);
    data.count = 1 - m->recursion;
    data.owned = m->owner != 0 && m->owner == nt_current_tid();
    data.abandoned = m->abandoned;
    if (m->shared && m->owner == 0) { /* (owned elsewhere: 0, as for another thread) */
        uint64_t word = __atomic_load_n(nt_mutant_owner_word(m), __ATOMIC_ACQUIRE);
        data.count = nt_mutant_word_free(word) ? 1 : 0;
        data.abandoned = word == NT_MUTANT_FREE_ABANDONED;
    }
    pthread_mutex_unlock(&nt_wait_lock);
    nt_object_release(o);
    return nt_query_out(info, len, ret_len, &data, sizeof data);
}

/* SemaphoreBasicInformation (0): LONG CurrentCount, LONG MaximumCount. */
NTSTATUS NTAPI NtQuerySemaphore(HANDLE h, uint32_t klass, void *info, uint32_t len,
                                uint32_t *ret_len)
{
    nt_object *o;
    if (klass != 0)
        return STATUS_INVALID_INFO_CLASS;
    NTSTATUS st = nt_object_from_handle_access(h, NT_OBJ_SEMAPHORE, NT_QUERY_STATE, &o);
    if (st != STATUS_SUCCESS)
        return st;
    nt_semaphore *sem = (nt_semaphore *)o;
    int32_t data[2];
    pthread_mutex_lock(&nt_wait_lock);
    data[0] = sem->shared ? __atomic_load_n(&sem->page[0], __ATOMIC_ACQUIRE) : sem->count;
    data[1] = sem->max;
    pthread_mutex_unlock(&nt_wait_lock);
    nt_object_release(o);
    return nt_query_out(info, len, ret_len, data, sizeof data);
}

/* Signals an event, releases a mutant or a semaphore (by one), then waits. Not atomic with the
 * wait (Windows' is): a waiter woken by the signal may run before this thread waits. */
NTSTATUS NTAPI NtSignalAndWaitForSingleObject(HANDLE signal, HANDLE wait, BOOLEAN alertable,
                                              const LARGE_INTEGER *timeout)
{
    nt_object *o;
    NTSTATUS st = nt_object_from_handle(signal, NT_OBJ_ANY, &o);
    if (st != STATUS_SUCCESS)
        return st;
    nt_obj_type type = o->type;
    nt_object_release(o);
    switch (type) {
    case NT_OBJ_EVENT: st = NtSetEvent(signal, NULL); break;
    case NT_OBJ_MUTANT: st = NtReleaseMutant(signal, NULL); break;
    case NT_OBJ_SEMAPHORE: st = NtReleaseSemaphore(signal, 1, NULL); break;
    default: return STATUS_OBJECT_TYPE_MISMATCH;
    }
    if (st != STATUS_SUCCESS)
        return st;
    return NtWaitForSingleObject(wait, alertable, timeout);
}

/* ---- events, semaphores and mutants in another process (process_remote.c) ----
 * "V<manual>" (an event) or "Q<max>" (a semaphore) with the eventfd, "M" (a mutant) with the
 * eventfd and the memfd of its shared page; the object becomes shared here first (its state
 * moves into the eventfd: a mutant's counter is 1 while it is free). */
/* A page to share with other processes: mapped, *pfd its memfd; MAP_FAILED (pfd -1) else. */
void *nt_shared_page(const char *name, int *pfd)
{
    *pfd = memfd_create(name, MFD_CLOEXEC);
    void *page = *pfd >= 0 && ftruncate(*pfd, 4096) == 0
                     ? mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, *pfd, 0)
                     : MAP_FAILED;
    if (page == MAP_FAILED && *pfd >= 0) {
        close(*pfd);
        *pfd = -1;
    }
    return page;
}

/* Under nt_wait_lock: s's count moves into an eventfd and a shared page (above). */
static bool nt_semaphore_share(nt_semaphore *s)
{
    if (s->shared)
        return true;
    int pfd;
    int32_t *page = nt_shared_page("ntrun-semaphore", &pfd);
    int efd = page != MAP_FAILED ? eventfd((unsigned)s->count, EFD_SEMAPHORE | EFD_NONBLOCK |
                                                                   EFD_CLOEXEC)
                                 : -1;
    if (efd < 0) {
        if (page != MAP_FAILED) {
            munmap(page, 4096);
            close(pfd);
        }
        return false;
    }
    page[0] = s->count;
    s->page = page;
    s->pfd = pfd;
    s->efd = efd;
    s->shared = true;
    nt_sync_retry_waiters(&s->s);
    return true;
}

static bool nt_mutant_share(nt_mutant *m)
{
    if (m->shared)
        return true;
    int pfd;
    void *page = nt_shared_page("ntrun-mutant", &pfd);
    int efd = page != MAP_FAILED ? eventfd(m->owner ? 0 : 1, EFD_NONBLOCK | EFD_CLOEXEC) : -1;
    if (efd < 0) {
        if (page != MAP_FAILED)
            munmap(page, 4096);
        if (pfd >= 0)
            close(pfd);
        return false;
    }
    m->page = page;
    *nt_mutant_owner_word(m) = m->owner ? nt_self_proc_id() /* ours until released */
                               : m->abandoned ? NT_MUTANT_FREE_ABANDONED : 0;
    m->abandoned = false;
    m->pfd = pfd;
    m->efd = efd;
    m->shared = true;
    nt_sync_retry_waiters(&m->s);
    return true;
}

bool nt_sync_export(nt_object *o, char *buf, size_t size, int fds[2])
{
    fds[0] = fds[1] = -1;
    if (o->type != NT_OBJ_EVENT && o->type != NT_OBJ_SEMAPHORE && o->type != NT_OBJ_MUTANT)
        return false;
    pthread_mutex_lock(&nt_wait_lock);
    if (o->type == NT_OBJ_EVENT) {
        nt_event *e = (nt_event *)o;
        if (!e->shared && (e->efd = eventfd(e->signalled, EFD_NONBLOCK | EFD_CLOEXEC)) >= 0) {
            e->shared = true;
            nt_sync_retry_waiters(&e->s);
        }
        if (e->shared)
            fds[0] = fcntl(e->efd, F_DUPFD_CLOEXEC, 0);
        snprintf(buf, size, "V%d", e->manual);
    } else if (o->type == NT_OBJ_SEMAPHORE) {
        nt_semaphore *s = (nt_semaphore *)o;
        if (nt_semaphore_share(s)) {
            fds[0] = fcntl(s->efd, F_DUPFD_CLOEXEC, 0);
            fds[1] = fcntl(s->pfd, F_DUPFD_CLOEXEC, 0);
        }
        snprintf(buf, size, "Q%d", s->max);
    } else {
        nt_mutant *m = (nt_mutant *)o;
        if (nt_mutant_share(m)) {
            fds[0] = fcntl(m->efd, F_DUPFD_CLOEXEC, 0);
            fds[1] = fcntl(m->pfd, F_DUPFD_CLOEXEC, 0);
        }
        snprintf(buf, size, "M");
    }
    pthread_mutex_unlock(&nt_wait_lock);
    if (o->type == NT_OBJ_MUTANT) /* an owner that ends abandons it there */
        rt_on_exit_always(nt_sync_shared_exit);
    if (fds[0] < 0 || (o->type != NT_OBJ_EVENT && fds[1] < 0)) {
        for (int i = 0; i < 2; i++)
            if (fds[i] >= 0)
                close(fds[i]);
        fds[0] = fds[1] = -1;
        return false;
    }
    return true;
}

/* A new object of `size` bytes for an import, or NULL (the fds closed). */
void *nt_sync_import_alloc(size_t size, nt_obj_type type, void (*destroy)(nt_object *),
                           int fds[2])
{
    nt_sync *s = calloc(1, size);
    if (!s) {
        for (int i = 0; i < 2; i++)
            if (fds[i] >= 0)
                close(fds[i]);
        return NULL;
    }
    nt_object_init(&s->hdr, type, destroy);
    return s;
}

/* An imported semaphore, mutant or timer: its shared state page (fds[1]) mapped and the object
 * made; NULL with *st set, the fds closed, when either fails. */
void *nt_sync_import_paged(size_t size, nt_obj_type type, void (*destroy)(nt_object *),
                           int fds[2], void **page, NTSTATUS *st)
{
    *page = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fds[1], 0);
    if (*page == MAP_FAILED) {
        close(fds[0]);
        close(fds[1]);
        *st = STATUS_INVALID_PARAMETER;
        return NULL;
    }
    void *o = nt_sync_import_alloc(size, type, destroy, fds);
    if (!o) {
        munmap(*page, 4096);
        *st = STATUS_NO_MEMORY;
    }
    return o;
}

NTSTATUS nt_sync_import(const char *desc, int fds[2], nt_object **out)
{
    int v = 0;
    *out = NULL;
    if ((desc[0] != 'V' && desc[0] != 'Q' && desc[0] != 'M') ||
        (desc[0] != 'M' && sscanf(desc + 1, "%d", &v) != 1) || (desc[0] != 'V' && fds[1] < 0)) {
        for (int i = 0; i < 2; i++)
            if (fds[i] >= 0)
                close(fds[i]);
        return STATUS_INVALID_PARAMETER;
    }
    int fd = fds[0];
    fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
    if (desc[0] == 'V') {
        nt_event *e = nt_sync_import_alloc(sizeof *e, NT_OBJ_EVENT, nt_event_destroy, fds);
        if (!e)
            return STATUS_NO_MEMORY;
        e->manual = v != 0;
        e->shared = true;
        e->efd = fd;
        *out = &e->s.hdr;
    } else if (desc[0] == 'Q') {
        void *page;
        NTSTATUS st;
        nt_semaphore *s = nt_sync_import_paged(sizeof *s, NT_OBJ_SEMAPHORE, nt_semaphore_destroy,
                                               fds, &page, &st);
        if (!s)
            return st;
        s->max = v;
        s->shared = true;
        s->efd = fd;
        s->page = page;
        s->pfd = fds[1];
        *out = &s->s.hdr;
    } else {
        void *page;
        NTSTATUS st;
        nt_mutant *m = nt_sync_import_paged(sizeof *m, NT_OBJ_MUTANT, nt_mutant_destroy, fds,
                                            &page, &st);
        if (!m)
            return st;
        m->shared = true;
        m->efd = fd;
        m->page = page;
        m->pfd = fds[1]; /* (kept open for the next export) */
        nt_mutant_list(m);
        rt_on_exit_always(nt_sync_shared_exit);
        *out = &m->s.hdr;
    }
    fds[0] = fds[1] = -1;
    return STATUS_SUCCESS;
}
