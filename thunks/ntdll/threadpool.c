/* SPDX-License-Identifier: MIT */
/* The thread pool: ntdll's Tp* functions (TpAllocPool, TpAllocWork/TpPostWork/TpWaitForWork,
 * TpSimpleTryPost, TpAllocTimer/TpSetTimer(Ex), TpAllocWait/TpSetWait(Ex),
 * TpAllocIoCompletion/TpStartAsyncIoOperation, cleanup groups, the TpCallback*OnCompletion
 * actions), which kernel32's CreateThreadpool* family (thunks/kernel32/threadpool.c) and the
 * legacy QueueUserWorkItem / RegisterWaitForSingleObject / CreateTimerQueueTimer forward to.
 *
 * A pool is a FIFO of callback items and worker threads made by nt_thread_create_native (the
 * ordinary thread path: TEB, SUD, PE TLS, DLL_THREAD_ATTACH), started on demand up to the
 * pool's maximum (500 as on Windows) when an item is queued and no worker is free, and ending
 * after 20 s idle (down to the pool's minimum). Workers sleep on an NT semaphore that counts
 * queued items, so ExitProcess / TerminateThread reach them like any thread in a wait.
 *
 * Timers and waits are watched by manager threads ("buckets"): each waits with
 * NtWaitForMultipleObjects on its wake event plus up to 63 armed waits, with a timeout at the
 * next due timer or wait deadline; bucket 0 also owns every timer. A due timer or a satisfied
 * wait queues an item to its object's pool; the manager never runs program code. An I/O object's
 * file is bound to one completion port per process, drained by its own manager thread.
 *
 * Locking: one mutex (tp_lock) for all pool state, never held across a wait or a foreign call.
 * An object's references: the caller's (until Close/Release), one per queued or running item,
 * one while armed in a bucket. WaitFor*Callbacks sleeps on the object's futex word `done_seq`. */
#include <errno.h>
#include <linux/futex.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>
#include "thunks/ntdll/threadpool.h"

void WINAPI LeaveCriticalSection(CRITICAL_SECTION *cs); /* thunks/kernel32/sync.c */
BOOL WINAPI FreeLibrary(void *mod);                     /* thunks/kernel32/process.c */

#define TP_MAX_THREADS_DEFAULT 500u
#define TP_IDLE_TIMEOUT_100NS 200000000LL /* 20 s */
#define TP_BUCKET_WAITS 63
#define TP_MAX_BUCKETS 64
#define TP_INSTANCE_MAGIC 0x54504349u /* "ICPT" */
#define TP_STATUS_TIMEOUT 0x102
#define TP_NO_DEADLINE INT64_MAX

typedef struct tp_item {
    struct tp_item *next;
    tp_object *obj;
    uint32_t result;       /* a wait's WAIT_OBJECT_0 / WAIT_TIMEOUT */
    ULONG_PTR io_ctx;      /* an I/O completion: the OVERLAPPED */
    IO_STATUS_BLOCK iosb;
} tp_item;

struct tp_pool {
    uint32_t users;        /* the caller's handle + every object using the pool */
    uint32_t nthreads, busy, queued;
    uint32_t max_threads, min_threads;
    size_t stack_reserve;
    bool dying;
    HANDLE sem;            /* one count per queued item (and one per worker when dying) */
    tp_item *head, *tail;
};

struct tp_group {
    tp_object *members;
};

typedef struct tp_bucket {
    int index;             /* in tp_buckets */
    HANDLE wake;           /* auto-reset event: the set of armed waits or timers changed */
    tp_object *waits[TP_BUCKET_WAITS];
    int nwaits;
} tp_bucket;

/* The instance handed to callbacks (PTP_CALLBACK_INSTANCE): on the worker's stack. */
typedef struct tp_instance {
    uint32_t magic;
    tp_object *obj;
    bool associated, may_run_long;
    CRITICAL_SECTION *cs;
    HANDLE mutex, sem, event;
    uint32_t sem_count;
    void *dll;
} tp_instance;

static pthread_mutex_t tp_lock = PTHREAD_MUTEX_INITIALIZER;
static tp_pool *tp_default_pool;
static tp_object *tp_timers;                /* armed timers (bucket 0 watches them) */
static tp_bucket *tp_buckets[TP_MAX_BUCKETS];
static HANDLE tp_io_port;                   /* the pool's completion port, made on first use */

/* ---- time: monotonic nanoseconds, and NT timeouts converted to monotonic deadlines ---- */
static int64_t tp_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/* An NT time (negative: relative in 100 ns, positive: absolute FILETIME, 0: now) as a deadline. */
static int64_t tp_deadline(int64_t nt)
{
    int64_t now = tp_now();
    if (nt < 0)
        return now + (nt < -(INT64_MAX / 200) ? INT64_MAX / 2 : -nt * 100);
    LARGE_INTEGER sys;
    NtQuerySystemTime(&sys);
    int64_t delta = nt - sys.QuadPart;
    return delta <= 0 ? now : now + (delta > INT64_MAX / 200 ? INT64_MAX / 2 : delta * 100);
}

static void tp_futex_wake(uint32_t *w)
{
    syscall(SYS_futex, w, FUTEX_WAKE | FUTEX_PRIVATE_FLAG, INT32_MAX, NULL, NULL, 0);
}

static void tp_futex_sleep(uint32_t *w, uint32_t v)
{
    struct timespec slice = {0, RT_WAIT_SLICE_NS};
    syscall(SYS_futex, w, FUTEX_WAIT | FUTEX_PRIVATE_FLAG, v, &slice, NULL, 0);
    rt_thread_check_pending(); /* no lock held: TerminateThread / ExitProcess may end us here */
}

/* ---- pools ---- */
static tp_pool *tp_pool_new(void)
{
    tp_pool *p = calloc(1, sizeof *p);
    if (!p)
        return NULL;
    if (NtCreateSemaphore(&p->sem, 0x1f0003, NULL, 0, INT32_MAX) != STATUS_SUCCESS) {
        free(p);
        return NULL;
    }
    p->users = 1;
    p->max_threads = TP_MAX_THREADS_DEFAULT;
    return p;
}

/* Under tp_lock. */
static void tp_pool_unuse(tp_pool *p)
{
    if (--p->users > 0 || p == tp_default_pool)
        return;
    p->dying = true;
    if (p->nthreads)
        NtReleaseSemaphore(p->sem, (int32_t)p->nthreads, NULL);
    else {
        NtClose(p->sem);
        free(p);
    }
}

static tp_pool *tp_pool_get_default(void)
{
    if (!tp_default_pool)
        tp_default_pool = tp_pool_new();
    return tp_default_pool;
}

static uint32_t tp_worker_main(void *arg);

/* Under tp_lock: one more worker when every worker is busy and the maximum allows. */
static void tp_pool_grow(tp_pool *p, bool force)
{
    if (p->nthreads >= p->max_threads)
        return;
    if (!force && p->nthreads - p->busy >= p->queued)
        return;
    HANDLE h;
    if (nt_thread_create_native(tp_worker_main, p, p->stack_reserve, false, &h, NULL) !=
        STATUS_SUCCESS)
        return;
    NtClose(h);
    p->nthreads++;
}

static void tp_pool_queue(tp_pool *p, tp_item *it)
{
    it->obj->pending++;
    it->obj->refs++;
    if (p->tail)
        p->tail->next = it;
    else
        p->head = it;
    p->tail = it;
    p->queued++;
    NtReleaseSemaphore(p->sem, 1, NULL);
    tp_pool_grow(p, false);
}

/* Under tp_lock: queue one callback of `o`; false when out of memory. */
static bool tp_submit(tp_object *o, uint32_t result, ULONG_PTR io_ctx, const IO_STATUS_BLOCK *iosb)
{
    tp_item *it = calloc(1, sizeof *it);
    if (!it)
        return false;
    it->obj = o;
    it->result = result;
    it->io_ctx = io_ctx;
    if (iosb)
        it->iosb = *iosb;
    tp_pool_queue(o->pool, it);
    return true;
}

/* ---- objects ---- */
/* TP_CALLBACK_ENVIRON_V3's fields up to Flags (the version 1 layout). */
typedef struct {
    uint32_t Version;           /* 0x00 */
    tp_pool *Pool;              /* 0x08 */
    tp_group *CleanupGroup;     /* 0x10 */
    void *CleanupCancel;        /* 0x18 */
    void *RaceDll;              /* 0x20 */
    void *ActivationContext;    /* 0x28 */
    void *FinalizationCallback; /* 0x30 */
    uint32_t Flags;             /* 0x38: bit 0 LongFunction, bit 1 Persistent */
} tp_environ;
_Static_assert(offsetof(tp_environ, FinalizationCallback) == 0x30, "TP_CALLBACK_ENVIRON");
_Static_assert(offsetof(tp_environ, Flags) == 0x38, "TP_CALLBACK_ENVIRON");

NTSTATUS tp_object_new(int type, void *callback, void *ctx, const void *env, tp_object **out)
{
    tp_environ e = {0};
    if (env && rt_safe_copy(&e, env, sizeof e) != 0)
        return STATUS_ACCESS_VIOLATION;
    if (!callback)
        return STATUS_INVALID_PARAMETER;
    tp_object *o = calloc(1, sizeof *o);
    if (!o)
        return STATUS_NO_MEMORY;
    o->type = type;
    o->callback = callback;
    o->ctx = ctx;
    o->refs = 1;
    o->group_cancel = e.CleanupCancel;
    o->finalize = e.FinalizationCallback;
    o->may_run_long = e.Flags & 1;
    pthread_mutex_lock(&tp_lock);
    o->pool = e.Pool ? e.Pool : tp_pool_get_default();
    if (!o->pool) {
        pthread_mutex_unlock(&tp_lock);
        free(o);
        return STATUS_NO_MEMORY;
    }
    o->pool->users++;
    if (e.CleanupGroup) {
        o->group = e.CleanupGroup;
        o->group_next = o->group->members;
        if (o->group_next)
            o->group_next->group_prev = o;
        o->group->members = o;
    }
    pthread_mutex_unlock(&tp_lock);
    *out = o;
    return STATUS_SUCCESS;
}

/* Under tp_lock. */
static void tp_group_remove(tp_object *o)
{
    if (!o->group)
        return;
    if (o->group_prev)
        o->group_prev->group_next = o->group_next;
    else
        o->group->members = o->group_next;
    if (o->group_next)
        o->group_next->group_prev = o->group_prev;
    o->group = NULL;
    o->group_next = o->group_prev = NULL;
}

static void tp_run_finalize(tp_object *o)
{
    tp_instance inst = {.magic = TP_INSTANCE_MAGIC, .obj = o};
    thk_call_foreign2(o->finalize, (uint64_t)(uintptr_t)&inst, (uint64_t)(uintptr_t)o->ctx);
}

void tp_object_release(tp_object *o)
{
    pthread_mutex_lock(&tp_lock);
    if (--o->refs > 0) {
        pthread_mutex_unlock(&tp_lock);
        return;
    }
    tp_group_remove(o);
    tp_pool_unuse(o->pool);
    pthread_mutex_unlock(&tp_lock);
    if (o->finalize)
        tp_run_finalize(o);
    if (o->done_event)
        NtSetEvent(o->done_event, NULL);
    free(o);
}

/* Under tp_lock: drop the queued (not started) callbacks of `o`; how many. */
static uint32_t tp_cancel_pending(tp_object *o)
{
    uint32_t n = 0;
    tp_pool *p = o->pool;
    tp_item **pp = &p->head, *prev = NULL;
    while (*pp) {
        tp_item *it = *pp;
        if (it->obj == o) {
            *pp = it->next;
            if (p->tail == it)
                p->tail = prev;
            p->queued--;
            o->pending--;
            o->refs--; /* the caller holds its own reference: never the last */
            free(it);
            n++;
        } else {
            prev = it;
            pp = &it->next;
        }
    }
    return n;
}

uint32_t tp_object_wait(tp_object *o, bool cancel)
{
    uint32_t cancelled = 0;
    pthread_mutex_lock(&tp_lock);
    if (cancel)
        cancelled = tp_cancel_pending(o);
    o->refs++;
    while (o->pending || o->running) {
        uint32_t seq = __atomic_load_n(&o->done_seq, __ATOMIC_ACQUIRE);
        pthread_mutex_unlock(&tp_lock);
        tp_futex_sleep(&o->done_seq, seq);
        pthread_mutex_lock(&tp_lock);
    }
    pthread_mutex_unlock(&tp_lock);
    tp_object_release(o);
    return cancelled;
}

bool tp_object_busy(tp_object *o)
{
    pthread_mutex_lock(&tp_lock);
    bool busy = o->pending || o->running;
    pthread_mutex_unlock(&tp_lock);
    return busy;
}

/* ---- timers and waits: the buckets ---- */
static uint32_t tp_bucket_main(void *arg);

/* Under tp_lock: bucket `i`, started on first use. */
static tp_bucket *tp_bucket_get(int i)
{
    if (tp_buckets[i])
        return tp_buckets[i];
    tp_bucket *b = calloc(1, sizeof *b);
    if (!b)
        return NULL;
    if (NtCreateEvent(&b->wake, 0x1f0003, NULL, 1 /* SynchronizationEvent */, 0) !=
        STATUS_SUCCESS) {
        free(b);
        return NULL;
    }
    HANDLE h;
    if (nt_thread_create_native(tp_bucket_main, b, 0, false, &h, NULL) != STATUS_SUCCESS) {
        NtClose(b->wake);
        free(b);
        return NULL;
    }
    NtClose(h);
    b->index = i;
    tp_buckets[i] = b;
    return b;
}

/* Under tp_lock: take a timer off the armed list. */
static void tp_timer_unlink(tp_object *o)
{
    if (!o->timer_armed)
        return;
    for (tp_object **pp = &tp_timers; *pp; pp = &(*pp)->timer_next) {
        if (*pp == o) {
            *pp = o->timer_next;
            break;
        }
    }
    o->timer_armed = false;
    o->refs--; /* the caller holds another reference */
}

/* Under tp_lock: take a wait out of its bucket. */
static void tp_wait_unlink(tp_object *o)
{
    tp_bucket *b = o->bucket;
    if (!b)
        return;
    for (int i = 0; i < b->nwaits; i++) {
        if (b->waits[i] == o) {
            b->waits[i] = b->waits[--b->nwaits];
            break;
        }
    }
    o->bucket = NULL;
    o->refs--;
    NtSetEvent(b->wake, NULL);
}

bool tp_timer_set(tp_object *o, const int64_t *due, uint32_t period_ms)
{
    pthread_mutex_lock(&tp_lock);
    bool was = o->timer_set;
    tp_timer_unlink(o);
    o->timer_set = due != NULL;
    if (due) {
        o->due = tp_deadline(*due);
        o->period_ns = (int64_t)period_ms * 1000000;
        tp_bucket *b = tp_bucket_get(0);
        if (b) {
            o->timer_next = tp_timers;
            tp_timers = o;
            o->timer_armed = true;
            o->refs++;
            NtSetEvent(b->wake, NULL);
        }
    }
    pthread_mutex_unlock(&tp_lock);
    return was;
}

bool tp_timer_is_set(tp_object *o)
{
    pthread_mutex_lock(&tp_lock);
    bool set = o->timer_set;
    pthread_mutex_unlock(&tp_lock);
    return set;
}

bool tp_wait_set(tp_object *o, HANDLE h, const int64_t *timeout)
{
    pthread_mutex_lock(&tp_lock);
    bool was = o->bucket != NULL;
    tp_wait_unlink(o);
    if (h) {
        o->wait_handle = h;
        o->wait_timeout = timeout ? *timeout : 0;
        o->wait_infinite = timeout == NULL;
        o->wait_deadline = timeout ? tp_deadline(*timeout) : TP_NO_DEADLINE;
        for (int i = 0; i < TP_MAX_BUCKETS; i++) {
            tp_bucket *b = tp_bucket_get(i);
            if (!b)
                break;
            if (b->nwaits < TP_BUCKET_WAITS) {
                b->waits[b->nwaits++] = o;
                o->bucket = b;
                o->refs++;
                NtSetEvent(b->wake, NULL);
                break;
            }
        }
    }
    pthread_mutex_unlock(&tp_lock);
    return was;
}

/* Under tp_lock: a wait fired; legacy waits without WT_EXECUTEONLYONCE are armed again. */
static void tp_wait_fire(tp_object *o, uint32_t result)
{
    o->refs++; /* tp_wait_unlink drops the bucket's */
    tp_wait_unlink(o);
    tp_submit(o, result, 0, NULL);
    if (o->legacy && !o->only_once && !o->closed) {
        int64_t t = o->wait_timeout;
        tp_bucket *b = NULL;
        for (int i = 0; i < TP_MAX_BUCKETS && (b = tp_bucket_get(i)); i++)
            if (b->nwaits < TP_BUCKET_WAITS)
                break;
        if (b && b->nwaits < TP_BUCKET_WAITS) {
            o->wait_deadline = o->wait_infinite ? TP_NO_DEADLINE : tp_deadline(t);
            b->waits[b->nwaits++] = o;
            o->bucket = b;
            o->refs++;
        }
    }
    o->refs--;
}

static uint32_t tp_bucket_main(void *arg)
{
    tp_bucket *b = arg;
    HANDLE handles[TP_BUCKET_WAITS + 1];
    tp_object *objs[TP_BUCKET_WAITS + 1];
    for (;;) {
        pthread_mutex_lock(&tp_lock);
        int64_t now = tp_now(), next = TP_NO_DEADLINE;
        if (b == tp_buckets[0]) {
            for (tp_object **pp = &tp_timers; *pp;) {
                tp_object *o = *pp;
                if (o->due <= now) {
                    tp_submit(o, 0, 0, NULL);
                    if (o->period_ns) {
                        o->due += o->period_ns;
                        if (o->due < now)
                            o->due = now + o->period_ns;
                    } else {
                        *pp = o->timer_next; /* one-shot: stays "set" (IsThreadpoolTimerSet) */
                        o->timer_armed = false;
                        o->refs--;
                        continue;
                    }
                }
                if (o->due < next)
                    next = o->due;
                pp = &o->timer_next;
            }
        }
        for (int i = 0; i < b->nwaits;) {
            tp_object *o = b->waits[i];
            if (o->wait_deadline <= now) {
                tp_wait_fire(o, TP_STATUS_TIMEOUT); /* moves another wait into slot i */
                continue;
            }
            i++;
        }
        int n = 0;
        handles[n] = b->wake;
        objs[n++] = NULL;
        for (int i = 0; i < b->nwaits; i++) {
            if (b->waits[i]->wait_deadline < next)
                next = b->waits[i]->wait_deadline;
            handles[n] = b->waits[i]->wait_handle;
            objs[n++] = b->waits[i];
            b->waits[i]->refs++; /* held while its handle is in our array */
        }
        /* nothing to watch: end after a while, so a program whose main thread calls
         * ExitThread is not kept alive by an idle manager */
        bool idle = n == 1 && next == TP_NO_DEADLINE;
        pthread_mutex_unlock(&tp_lock);
        LARGE_INTEGER rel, *timeout = NULL;
        if (idle) {
            rel.QuadPart = -TP_IDLE_TIMEOUT_100NS;
            timeout = &rel;
        } else if (next != TP_NO_DEADLINE) {
            int64_t ns = next - tp_now();
            rel.QuadPart = ns <= 0 ? 0 : -((ns + 99) / 100);
            timeout = &rel;
        }
        NTSTATUS st = NtWaitForMultipleObjects((uint32_t)n, handles, 1 /* WaitAny */, 0, timeout);
        pthread_mutex_lock(&tp_lock);
        if (idle && st == TP_STATUS_TIMEOUT && b->nwaits == 0 &&
            (b->index != 0 || tp_timers == NULL)) {
            tp_buckets[b->index] = NULL;
            pthread_mutex_unlock(&tp_lock);
            NtClose(b->wake);
            free(b);
            return 0;
        }
        if (st > 0 && st < (NTSTATUS)n && objs[st]->bucket == b &&
            objs[st]->wait_handle == handles[st]) {
            tp_wait_fire(objs[st], 0);
        } else if (st >= 0x80 && st < 0x80 + n && st > 0x80) { /* abandoned mutant */
            tp_object *o = objs[st - 0x80];
            if (o->bucket == b && o->wait_handle == handles[st - 0x80])
                tp_wait_fire(o, 0);
        } else if (!NT_SUCCESS(st)) {
            /* a bad handle among the waits (closed meanwhile): drop the ones that fail alone */
            for (int i = 1; i < n; i++) {
                LARGE_INTEGER zero = {.QuadPart = 0};
                pthread_mutex_unlock(&tp_lock);
                NTSTATUS one = NtWaitForSingleObject(handles[i], 0, &zero);
                pthread_mutex_lock(&tp_lock);
                if (!NT_SUCCESS(one) && objs[i]->bucket == b && objs[i]->wait_handle == handles[i])
                    tp_wait_unlink(objs[i]);
                else if (one == STATUS_SUCCESS && objs[i]->bucket == b &&
                         objs[i]->wait_handle == handles[i])
                    tp_wait_fire(objs[i], 0);
            }
        }
        pthread_mutex_unlock(&tp_lock);
        for (int i = 1; i < n; i++)
            tp_object_release(objs[i]);
    }
    return 0;
}

/* ---- I/O: one completion port, drained by its own thread ---- */
static uint32_t tp_io_main(void *arg)
{
    HANDLE port = arg;
    for (;;) {
        ULONG_PTR key = 0, ctx = 0;
        IO_STATUS_BLOCK iosb;
        NTSTATUS st = NtRemoveIoCompletion(port, &key, &ctx, &iosb, NULL);
        if (st != STATUS_SUCCESS || !key)
            continue;
        tp_object *o = (tp_object *)key;
        pthread_mutex_lock(&tp_lock);
        if (o->io_pending) {
            o->io_pending--;
            o->refs--; /* StartThreadpoolIo's reference becomes the item's */
            tp_submit(o, 0, ctx, &iosb);
        }
        pthread_mutex_unlock(&tp_lock);
    }
    return 0;
}

NTSTATUS tp_io_bind(tp_object *o, HANDLE file)
{
    pthread_mutex_lock(&tp_lock);
    if (!tp_io_port) {
        HANDLE port, th;
        NTSTATUS st = NtCreateIoCompletion(&port, 0x1f0003, NULL, 0);
        if (st == STATUS_SUCCESS) {
            st = nt_thread_create_native(tp_io_main, port, 0, false, &th, NULL);
            if (st == STATUS_SUCCESS) {
                NtClose(th);
                tp_io_port = port;
            } else {
                NtClose(port);
            }
        }
        if (st != STATUS_SUCCESS) {
            pthread_mutex_unlock(&tp_lock);
            return st;
        }
    }
    HANDLE port = tp_io_port;
    pthread_mutex_unlock(&tp_lock);
    struct {
        HANDLE port;   /* 0x00 */
        ULONG_PTR key; /* 0x08 */
    } info = {port, (ULONG_PTR)o};
    IO_STATUS_BLOCK io;
    return NtSetInformationFile(file, &io, &info, sizeof info, 30 /* FileCompletionInformation */);
}

void tp_io_start(tp_object *o)
{
    pthread_mutex_lock(&tp_lock);
    o->io_pending++;
    o->refs++;
    pthread_mutex_unlock(&tp_lock);
}

void tp_io_cancel(tp_object *o)
{
    pthread_mutex_lock(&tp_lock);
    if (o->io_pending) {
        o->io_pending--;
        o->refs--;
    }
    pthread_mutex_unlock(&tp_lock);
}

/* ---- running callbacks ---- */
static void tp_callback_done(tp_object *o)
{
    pthread_mutex_lock(&tp_lock);
    o->running--;
    __atomic_add_fetch(&o->done_seq, 1, __ATOMIC_RELEASE);
    pthread_mutex_unlock(&tp_lock);
    tp_futex_wake(&o->done_seq);
}

static void tp_run(tp_item *it)
{
    tp_object *o = it->obj;
    tp_instance inst = {.magic = TP_INSTANCE_MAGIC, .obj = o, .associated = true,
                        .may_run_long = o->may_run_long};
    uint64_t ip = (uint64_t)(uintptr_t)&inst, ctx = (uint64_t)(uintptr_t)o->ctx;
    uint64_t self = (uint64_t)(uintptr_t)o;
    switch (o->type) {
    case TP_WORK:
    case TP_TIMER:
        if (o->legacy) /* WAITORTIMERCALLBACK(param, TimerOrWaitFired = TRUE) */
            thk_call_foreign2(o->callback, ctx, 1);
        else
            thk_call_foreign3(o->callback, ip, ctx, self);
        break;
    case TP_SIMPLE:
        if (o->native)
            ((void (*)(void *))o->callback)(o->ctx);
        else if (o->legacy) /* QueueUserWorkItem: LPTHREAD_START_ROUTINE */
            thk_call_foreign1(o->callback, ctx);
        else
            thk_call_foreign2(o->callback, ip, ctx);
        break;
    case TP_WAIT:
        if (o->legacy)
            thk_call_foreign2(o->callback, ctx, it->result == TP_STATUS_TIMEOUT);
        else
            thk_call_foreign4(o->callback, ip, ctx, self, it->result);
        break;
    case TP_IO: {
        if (o->win32_io) { /* kernel32's PTP_WIN32_IO_CALLBACK */
            uint64_t a[6] = {ip, ctx, it->io_ctx,
                             nt_status_to_win32(it->iosb.Status), it->iosb.Information, self};
            thk_call_foreign(o->callback, 6, a);
        } else {
            uint64_t a[5] = {ip, ctx, it->io_ctx, (uint64_t)(uintptr_t)&it->iosb, self};
            thk_call_foreign(o->callback, 5, a);
        }
        break;
    }
    }
    if (inst.cs)
        LeaveCriticalSection(inst.cs);
    if (inst.mutex)
        NtReleaseMutant(inst.mutex, NULL);
    if (inst.sem)
        NtReleaseSemaphore(inst.sem, (int32_t)inst.sem_count, NULL);
    if (inst.event)
        NtSetEvent(inst.event, NULL);
    if (inst.dll)
        FreeLibrary(inst.dll);
    if (inst.associated)
        tp_callback_done(o);
    if (o->type == TP_SIMPLE) {
        pthread_mutex_lock(&tp_lock);
        o->closed = true;
        pthread_mutex_unlock(&tp_lock);
        tp_object_release(o); /* the creator's reference: a simple callback runs once */
    }
    tp_object_release(o); /* the item's */
    free(it);
}

static uint32_t tp_worker_main(void *arg)
{
    tp_pool *p = arg;
    LARGE_INTEGER idle = {.QuadPart = -TP_IDLE_TIMEOUT_100NS};
    for (;;) {
        NTSTATUS st = NtWaitForSingleObject(p->sem, 0, &idle);
        pthread_mutex_lock(&tp_lock);
        tp_item *it = NULL;
        if (st == STATUS_SUCCESS && p->head) {
            it = p->head;
            p->head = it->next;
            if (!p->head)
                p->tail = NULL;
            p->queued--;
        }
        if (!it) {
            bool leave = p->dying ? p->queued == 0
                                  : st == TP_STATUS_TIMEOUT && p->queued == 0 &&
                                        p->nthreads > p->min_threads;
            if (leave) {
                p->nthreads--;
                bool last = p->dying && p->nthreads == 0;
                pthread_mutex_unlock(&tp_lock);
                if (last) {
                    NtClose(p->sem);
                    free(p);
                }
                return 0;
            }
            pthread_mutex_unlock(&tp_lock);
            continue;
        }
        it->obj->pending--;
        it->obj->running++;
        p->busy++;
        pthread_mutex_unlock(&tp_lock);
        tp_run(it);
        pthread_mutex_lock(&tp_lock);
        p->busy--;
        pthread_mutex_unlock(&tp_lock);
    }
}

/* ---- the exports ---- */
NTSTATUS NTAPI TpAllocPool(tp_pool **out, void *reserved)
{
    if (!out)
        return STATUS_INVALID_PARAMETER;
    tp_pool *p = tp_pool_new();
    if (!p)
        return STATUS_NO_MEMORY;
    *out = p;
    return STATUS_SUCCESS;
}
THK_EXPORT(ntdll, TpAllocPool, 2);

void NTAPI TpReleasePool(tp_pool *p)
{
    pthread_mutex_lock(&tp_lock);
    tp_pool_unuse(p);
    pthread_mutex_unlock(&tp_lock);
}
THK_EXPORT(ntdll, TpReleasePool, 1);

void NTAPI TpSetPoolMaxThreads(tp_pool *p, uint32_t max)
{
    pthread_mutex_lock(&tp_lock);
    p->max_threads = max ? max : 1;
    if (p->min_threads > p->max_threads)
        p->min_threads = p->max_threads;
    pthread_mutex_unlock(&tp_lock);
}
THK_EXPORT(ntdll, TpSetPoolMaxThreads, 2);

NTSTATUS NTAPI TpSetPoolMinThreads(tp_pool *p, uint32_t min)
{
    pthread_mutex_lock(&tp_lock);
    p->min_threads = min;
    if (p->max_threads < min)
        p->max_threads = min;
    while (p->nthreads < min) {
        uint32_t before = p->nthreads;
        tp_pool_grow(p, true);
        if (p->nthreads == before)
            break;
    }
    bool ok = p->nthreads >= min;
    pthread_mutex_unlock(&tp_lock);
    return ok ? STATUS_SUCCESS : STATUS_NO_MEMORY;
}
THK_EXPORT(ntdll, TpSetPoolMinThreads, 2);

/* TP_POOL_STACK_INFORMATION: StackReserve, StackCommit. */
NTSTATUS NTAPI TpSetPoolStackInformation(tp_pool *p, const SIZE_T *info)
{
    if (!p || !info)
        return STATUS_INVALID_PARAMETER;
    pthread_mutex_lock(&tp_lock);
    p->stack_reserve = info[0];
    pthread_mutex_unlock(&tp_lock);
    return STATUS_SUCCESS;
}
THK_EXPORT(ntdll, TpSetPoolStackInformation, 2);

NTSTATUS NTAPI TpQueryPoolStackInformation(tp_pool *p, SIZE_T *info)
{
    if (!p || !info)
        return STATUS_INVALID_PARAMETER;
    pthread_mutex_lock(&tp_lock);
    info[0] = p->stack_reserve ? p->stack_reserve : 0x100000;
    info[1] = 0x1000;
    pthread_mutex_unlock(&tp_lock);
    return STATUS_SUCCESS;
}
THK_EXPORT(ntdll, TpQueryPoolStackInformation, 2);

static NTSTATUS tp_alloc(int type, tp_object **out, void *cb, void *ctx, const void *env)
{
    tp_object *o = NULL;
    if (!out)
        return STATUS_INVALID_PARAMETER;
    NTSTATUS st = tp_object_new(type, cb, ctx, env, &o);
    if (st == STATUS_SUCCESS)
        *out = o;
    return st;
}

/* Close: stop what arms the object, forget it in its group, drop the caller's reference. */
void tp_object_close(tp_object *o)
{
    pthread_mutex_lock(&tp_lock);
    o->closed = true;
    tp_timer_unlink(o);
    o->timer_set = false;
    tp_wait_unlink(o);
    tp_group_remove(o);
    pthread_mutex_unlock(&tp_lock);
    tp_object_release(o);
}

NTSTATUS NTAPI TpAllocWork(tp_object **out, void *cb, void *ctx, const void *env)
{
    return tp_alloc(TP_WORK, out, cb, ctx, env);
}
THK_EXPORT(ntdll, TpAllocWork, 4);

void NTAPI TpPostWork(tp_object *o)
{
    pthread_mutex_lock(&tp_lock);
    tp_submit(o, 0, 0, NULL);
    pthread_mutex_unlock(&tp_lock);
}
THK_EXPORT(ntdll, TpPostWork, 1);

void NTAPI TpReleaseWork(tp_object *o) { tp_object_close(o); }
THK_EXPORT(ntdll, TpReleaseWork, 1);

void NTAPI TpWaitForWork(tp_object *o, BOOL cancel) { tp_object_wait(o, cancel); }
THK_EXPORT(ntdll, TpWaitForWork, 2);

static NTSTATUS tp_simple_submit(void *cb, void *ctx, const void *env, bool legacy, bool native)
{
    tp_object *o;
    NTSTATUS st = tp_object_new(TP_SIMPLE, cb, ctx, env, &o);
    if (st != STATUS_SUCCESS)
        return st;
    o->legacy = legacy;
    o->native = native;
    pthread_mutex_lock(&tp_lock);
    bool ok = tp_submit(o, 0, 0, NULL);
    pthread_mutex_unlock(&tp_lock);
    if (!ok) {
        tp_object_release(o);
        return STATUS_NO_MEMORY;
    }
    return STATUS_SUCCESS;
}

NTSTATUS tp_simple_post(void *cb, void *ctx, const void *env, bool legacy)
{
    return tp_simple_submit(cb, ctx, env, legacy, false);
}

NTSTATUS tp_native_post(void (*fn)(void *ctx), void *ctx)
{
    return tp_simple_submit((void *)fn, ctx, NULL, false, true);
}

NTSTATUS NTAPI TpSimpleTryPost(void *cb, void *ctx, const void *env)
{
    return tp_simple_post(cb, ctx, env, false);
}
THK_EXPORT(ntdll, TpSimpleTryPost, 3);

NTSTATUS NTAPI TpAllocTimer(tp_object **out, void *cb, void *ctx, const void *env)
{
    return tp_alloc(TP_TIMER, out, cb, ctx, env);
}
THK_EXPORT(ntdll, TpAllocTimer, 4);

static bool tp_read_time(const LARGE_INTEGER *t, int64_t *out)
{
    return rt_safe_copy(out, t, sizeof *out) == 0;
}

void NTAPI TpSetTimer(tp_object *o, const LARGE_INTEGER *due, LONG period, LONG window)
{
    int64_t d;
    tp_timer_set(o, due && tp_read_time(due, &d) ? &d : NULL, (uint32_t)period);
}
THK_EXPORT(ntdll, TpSetTimer, 4);

BOOL NTAPI TpSetTimerEx(tp_object *o, const LARGE_INTEGER *due, LONG period, LONG window)
{
    int64_t d;
    return tp_timer_set(o, due && tp_read_time(due, &d) ? &d : NULL, (uint32_t)period);
}
THK_EXPORT(ntdll, TpSetTimerEx, 4);

BOOL NTAPI TpIsTimerSet(tp_object *o) { return tp_timer_is_set(o); }
THK_EXPORT(ntdll, TpIsTimerSet, 1);

void NTAPI TpWaitForTimer(tp_object *o, BOOL cancel) { tp_object_wait(o, cancel); }
THK_EXPORT(ntdll, TpWaitForTimer, 2);

void NTAPI TpReleaseTimer(tp_object *o) { tp_object_close(o); }
THK_EXPORT(ntdll, TpReleaseTimer, 1);

NTSTATUS NTAPI TpAllocWait(tp_object **out, void *cb, void *ctx, const void *env)
{
    return tp_alloc(TP_WAIT, out, cb, ctx, env);
}
THK_EXPORT(ntdll, TpAllocWait, 4);

void NTAPI TpSetWait(tp_object *o, HANDLE h, const LARGE_INTEGER *timeout)
{
    int64_t t;
    tp_wait_set(o, h, timeout && tp_read_time(timeout, &t) ? &t : NULL);
}
THK_EXPORT(ntdll, TpSetWait, 3);

BOOL NTAPI TpSetWaitEx(tp_object *o, HANDLE h, const LARGE_INTEGER *timeout, void *reserved)
{
    int64_t t;
    return tp_wait_set(o, h, timeout && tp_read_time(timeout, &t) ? &t : NULL);
}
THK_EXPORT(ntdll, TpSetWaitEx, 4);

void NTAPI TpWaitForWait(tp_object *o, BOOL cancel) { tp_object_wait(o, cancel); }
THK_EXPORT(ntdll, TpWaitForWait, 2);

void NTAPI TpReleaseWait(tp_object *o) { tp_object_close(o); }
THK_EXPORT(ntdll, TpReleaseWait, 1);

NTSTATUS tp_io_alloc(tp_object **out, HANDLE file, void *cb, void *ctx, const void *env,
                     bool win32)
{
    tp_object *o = NULL;
    NTSTATUS st = tp_alloc(TP_IO, &o, cb, ctx, env);
    if (st != STATUS_SUCCESS)
        return st;
    o->win32_io = win32;
    st = tp_io_bind(o, file);
    if (st != STATUS_SUCCESS) {
        tp_object_release(o);
        return st;
    }
    *out = o;
    return STATUS_SUCCESS;
}

NTSTATUS NTAPI TpAllocIoCompletion(tp_object **out, HANDLE file, void *cb, void *ctx,
                                   const void *env)
{
    if (!out)
        return STATUS_INVALID_PARAMETER;
    return tp_io_alloc(out, file, cb, ctx, env, false);
}
THK_EXPORT(ntdll, TpAllocIoCompletion, 5);

void NTAPI TpStartAsyncIoOperation(tp_object *o) { tp_io_start(o); }
THK_EXPORT(ntdll, TpStartAsyncIoOperation, 1);

void NTAPI TpCancelAsyncIoOperation(tp_object *o) { tp_io_cancel(o); }
THK_EXPORT(ntdll, TpCancelAsyncIoOperation, 1);

void NTAPI TpWaitForIoCompletion(tp_object *o, BOOL cancel) { tp_object_wait(o, cancel); }
THK_EXPORT(ntdll, TpWaitForIoCompletion, 2);

void NTAPI TpReleaseIoCompletion(tp_object *o) { tp_object_close(o); }
THK_EXPORT(ntdll, TpReleaseIoCompletion, 1);

/* ---- cleanup groups ---- */
NTSTATUS NTAPI TpAllocCleanupGroup(tp_group **out)
{
    if (!out)
        return STATUS_INVALID_PARAMETER;
    tp_group *g = calloc(1, sizeof *g);
    if (!g)
        return STATUS_NO_MEMORY;
    *out = g;
    return STATUS_SUCCESS;
}
THK_EXPORT(ntdll, TpAllocCleanupGroup, 1);

/* Every member: cancel its queued callbacks (each member's group-cancel callback runs when
 * `cancel`), wait for the running ones, release it. */
void NTAPI TpReleaseCleanupGroupMembers(tp_group *g, BOOL cancel, void *cleanup_ctx)
{
    for (;;) {
        pthread_mutex_lock(&tp_lock);
        tp_object *o = g->members;
        if (o) {
            tp_group_remove(o);
            o->refs++; /* ours: a simple callback may end (and drop its own) meanwhile */
            o->closed = true;
            tp_timer_unlink(o);
            o->timer_set = false;
            tp_wait_unlink(o);
        }
        pthread_mutex_unlock(&tp_lock);
        if (!o)
            break;
        uint32_t cancelled = tp_object_wait(o, cancel);
        if (cancel && o->group_cancel)
            thk_call_foreign2(o->group_cancel, (uint64_t)(uintptr_t)o->ctx,
                              (uint64_t)(uintptr_t)cleanup_ctx);
        /* the creator's reference, which the group now drops (a simple callback drops its own
         * when it runs: only one that never will) */
        if (o->type != TP_SIMPLE || cancelled)
            tp_object_release(o);
        tp_object_release(o);
    }
}
THK_EXPORT(ntdll, TpReleaseCleanupGroupMembers, 3);

void NTAPI TpReleaseCleanupGroup(tp_group *g) { free(g); }
THK_EXPORT(ntdll, TpReleaseCleanupGroup, 1);

/* ---- what a callback asks of its instance ---- */
static tp_instance *tp_inst(void *p)
{
    uint32_t magic = 0;
    if (!p || rt_safe_copy(&magic, p, sizeof magic) != 0 || magic != TP_INSTANCE_MAGIC)
        return NULL;
    return p;
}

void NTAPI TpCallbackSetEventOnCompletion(void *inst, HANDLE ev)
{
    tp_instance *i = tp_inst(inst);
    if (i)
        i->event = ev;
}
THK_EXPORT(ntdll, TpCallbackSetEventOnCompletion, 2);

void NTAPI TpCallbackReleaseSemaphoreOnCompletion(void *inst, HANDLE sem, DWORD count)
{
    tp_instance *i = tp_inst(inst);
    if (i) {
        i->sem = sem;
        i->sem_count = count;
    }
}
THK_EXPORT(ntdll, TpCallbackReleaseSemaphoreOnCompletion, 3);

void NTAPI TpCallbackReleaseMutexOnCompletion(void *inst, HANDLE mutex)
{
    tp_instance *i = tp_inst(inst);
    if (i)
        i->mutex = mutex;
}
THK_EXPORT(ntdll, TpCallbackReleaseMutexOnCompletion, 2);

void NTAPI TpCallbackLeaveCriticalSectionOnCompletion(void *inst, CRITICAL_SECTION *cs)
{
    tp_instance *i = tp_inst(inst);
    if (i)
        i->cs = cs;
}
THK_EXPORT(ntdll, TpCallbackLeaveCriticalSectionOnCompletion, 2);

void NTAPI TpCallbackUnloadDllOnCompletion(void *inst, void *mod)
{
    tp_instance *i = tp_inst(inst);
    if (i)
        i->dll = mod;
}
THK_EXPORT(ntdll, TpCallbackUnloadDllOnCompletion, 2);

/* Every pool grows on demand up to its maximum, so another thread is available for the other
 * callbacks: the call succeeds (a worker is started now if none is free). */
NTSTATUS NTAPI TpCallbackMayRunLong(void *inst)
{
    tp_instance *i = tp_inst(inst);
    if (!i)
        return STATUS_INVALID_PARAMETER;
    if (i->may_run_long)
        return STATUS_SUCCESS;
    i->may_run_long = true;
    pthread_mutex_lock(&tp_lock);
    tp_pool_grow(i->obj->pool, false);
    pthread_mutex_unlock(&tp_lock);
    return STATUS_SUCCESS;
}
THK_EXPORT(ntdll, TpCallbackMayRunLong, 1);

void NTAPI TpDisassociateCallback(void *inst)
{
    tp_instance *i = tp_inst(inst);
    if (!i || !i->associated)
        return;
    i->associated = false;
    tp_callback_done(i->obj);
}
THK_EXPORT(ntdll, TpDisassociateCallback, 1);

/* Between runs (libntrun): every pool thread has ended with the program; forget the pools,
 * managers and port (their handles went with the handle table; the memory is dropped). */
void tp_reset(void)
{
    pthread_mutex_lock(&tp_lock);
    tp_default_pool = NULL;
    tp_timers = NULL;
    for (int i = 0; i < TP_MAX_BUCKETS; i++)
        tp_buckets[i] = NULL;
    tp_io_port = NULL;
    pthread_mutex_unlock(&tp_lock);
}
