/* SPDX-License-Identifier: MIT */
/* kernel32's thread pool API over ntdll's Tp* functions (thunks/ntdll/threadpool.c), as on
 * Windows where most of these are forwarders: CreateThreadpool & co, work, simple callbacks,
 * timers, waits, I/O, cleanup groups and the *WhenCallbackReturns actions; and the legacy pool
 * on the same engine: QueueUserWorkItem, RegisterWaitForSingleObject / UnregisterWait(Ex), the
 * timer queues (CreateTimerQueue, CreateTimerQueueTimer, ChangeTimerQueueTimer,
 * DeleteTimerQueueTimer, DeleteTimerQueue(Ex)). Failures set the last error from the NTSTATUS;
 * a legacy delete that does not wait while a callback runs fails with ERROR_IO_PENDING (997)
 * after unregistering, as on Windows. */
#include <pthread.h>
#include <stdlib.h>
#include "thunks/kernel32/kernel32_private.h"
#include "thunks/ntdll/threadpool.h"

#define K32_WT_EXECUTEONLYONCE 0x8u
#define K32_ERROR_IO_PENDING 997

NTSTATUS NTAPI TpAllocPool(void **out, void *reserved);
void NTAPI TpReleasePool(void *p);
void NTAPI TpSetPoolMaxThreads(void *p, uint32_t max);
NTSTATUS NTAPI TpSetPoolMinThreads(void *p, uint32_t min);
NTSTATUS NTAPI TpSetPoolStackInformation(void *p, const SIZE_T *info);
NTSTATUS NTAPI TpQueryPoolStackInformation(void *p, SIZE_T *info);
NTSTATUS NTAPI TpAllocWork(tp_object **out, void *cb, void *ctx, const void *env);
void NTAPI TpPostWork(tp_object *o);
void NTAPI TpReleaseWork(tp_object *o);
void NTAPI TpWaitForWork(tp_object *o, BOOL cancel);
NTSTATUS NTAPI TpSimpleTryPost(void *cb, void *ctx, const void *env);
NTSTATUS NTAPI TpAllocTimer(tp_object **out, void *cb, void *ctx, const void *env);
void NTAPI TpSetTimer(tp_object *o, const LARGE_INTEGER *due, LONG period, LONG window);
BOOL NTAPI TpSetTimerEx(tp_object *o, const LARGE_INTEGER *due, LONG period, LONG window);
BOOL NTAPI TpIsTimerSet(tp_object *o);
void NTAPI TpWaitForTimer(tp_object *o, BOOL cancel);
void NTAPI TpReleaseTimer(tp_object *o);
NTSTATUS NTAPI TpAllocWait(tp_object **out, void *cb, void *ctx, const void *env);
void NTAPI TpSetWait(tp_object *o, HANDLE h, const LARGE_INTEGER *timeout);
BOOL NTAPI TpSetWaitEx(tp_object *o, HANDLE h, const LARGE_INTEGER *timeout, void *reserved);
void NTAPI TpWaitForWait(tp_object *o, BOOL cancel);
void NTAPI TpReleaseWait(tp_object *o);
void NTAPI TpStartAsyncIoOperation(tp_object *o);
void NTAPI TpCancelAsyncIoOperation(tp_object *o);
void NTAPI TpWaitForIoCompletion(tp_object *o, BOOL cancel);
void NTAPI TpReleaseIoCompletion(tp_object *o);
NTSTATUS NTAPI TpAllocCleanupGroup(void **out);
void NTAPI TpReleaseCleanupGroupMembers(void *g, BOOL cancel, void *ctx);
void NTAPI TpReleaseCleanupGroup(void *g);
void NTAPI TpCallbackSetEventOnCompletion(void *inst, HANDLE ev);
void NTAPI TpCallbackReleaseSemaphoreOnCompletion(void *inst, HANDLE sem, DWORD count);
void NTAPI TpCallbackReleaseMutexOnCompletion(void *inst, HANDLE mutex);
void NTAPI TpCallbackLeaveCriticalSectionOnCompletion(void *inst, CRITICAL_SECTION *cs);
void NTAPI TpCallbackUnloadDllOnCompletion(void *inst, void *mod);
NTSTATUS NTAPI TpCallbackMayRunLong(void *inst);
void NTAPI TpDisassociateCallback(void *inst);

static void *k32_tp_result(NTSTATUS st, void *obj)
{
    if (st != STATUS_SUCCESS) {
        thk_set_last_status(st);
        return NULL;
    }
    return obj;
}

/* A BOOL result: FALSE with the last error set from a failed status. */
static BOOL k32_tp_bool(NTSTATUS st)
{
    return k32_tp_result(st, (void *)1) != NULL;
}

/* ---- pools ---- */
static void *WINAPI k32_CreateThreadpool(void *reserved)
{
    void *p = NULL;
    NTSTATUS st = TpAllocPool(&p, reserved);
    return k32_tp_result(st, p);
}
THK_EXPORT_AS(kernel32, CreateThreadpool, k32_CreateThreadpool, 1);
THK_EXPORT_AS(kernel32, CloseThreadpool, TpReleasePool, 1);
THK_EXPORT_AS(kernel32, SetThreadpoolThreadMaximum, TpSetPoolMaxThreads, 2);

static BOOL WINAPI k32_SetThreadpoolThreadMinimum(void *p, DWORD min)
{
    return k32_tp_bool(TpSetPoolMinThreads(p, min));
}
THK_EXPORT_AS(kernel32, SetThreadpoolThreadMinimum, k32_SetThreadpoolThreadMinimum, 2);

static BOOL WINAPI k32_SetThreadpoolStackInformation(void *p, const SIZE_T *info)
{
    return k32_tp_bool(TpSetPoolStackInformation(p, info));
}
THK_EXPORT_AS(kernel32, SetThreadpoolStackInformation, k32_SetThreadpoolStackInformation, 2);

static BOOL WINAPI k32_QueryThreadpoolStackInformation(void *p, SIZE_T *info)
{
    return k32_tp_bool(TpQueryPoolStackInformation(p, info));
}
THK_EXPORT_AS(kernel32, QueryThreadpoolStackInformation, k32_QueryThreadpoolStackInformation, 2);

/* ---- work ---- */
static void *WINAPI k32_CreateThreadpoolWork(void *cb, void *ctx, const void *env)
{
    tp_object *o = NULL;
    NTSTATUS st = TpAllocWork(&o, cb, ctx, env);
    return k32_tp_result(st, o);
}
THK_EXPORT_AS(kernel32, CreateThreadpoolWork, k32_CreateThreadpoolWork, 3);
THK_EXPORT_AS(kernel32, SubmitThreadpoolWork, TpPostWork, 1);
THK_EXPORT_AS(kernel32, WaitForThreadpoolWorkCallbacks, TpWaitForWork, 2);
THK_EXPORT_AS(kernel32, CloseThreadpoolWork, TpReleaseWork, 1);

static BOOL WINAPI k32_TrySubmitThreadpoolCallback(void *cb, void *ctx, const void *env)
{
    return k32_tp_bool(TpSimpleTryPost(cb, ctx, env));
}
THK_EXPORT_AS(kernel32, TrySubmitThreadpoolCallback, k32_TrySubmitThreadpoolCallback, 3);

/* ---- timers (a FILETIME due time has LARGE_INTEGER's layout) ---- */
static void *WINAPI k32_CreateThreadpoolTimer(void *cb, void *ctx, const void *env)
{
    tp_object *o = NULL;
    NTSTATUS st = TpAllocTimer(&o, cb, ctx, env);
    return k32_tp_result(st, o);
}
THK_EXPORT_AS(kernel32, CreateThreadpoolTimer, k32_CreateThreadpoolTimer, 3);
THK_EXPORT_AS(kernel32, SetThreadpoolTimer, TpSetTimer, 4);
THK_EXPORT_AS(kernel32, SetThreadpoolTimerEx, TpSetTimerEx, 4);
THK_EXPORT_AS(kernel32, IsThreadpoolTimerSet, TpIsTimerSet, 1);
THK_EXPORT_AS(kernel32, WaitForThreadpoolTimerCallbacks, TpWaitForTimer, 2);
THK_EXPORT_AS(kernel32, CloseThreadpoolTimer, TpReleaseTimer, 1);

/* ---- waits ---- */
static void *WINAPI k32_CreateThreadpoolWait(void *cb, void *ctx, const void *env)
{
    tp_object *o = NULL;
    NTSTATUS st = TpAllocWait(&o, cb, ctx, env);
    return k32_tp_result(st, o);
}
THK_EXPORT_AS(kernel32, CreateThreadpoolWait, k32_CreateThreadpoolWait, 3);
THK_EXPORT_AS(kernel32, SetThreadpoolWait, TpSetWait, 3);
THK_EXPORT_AS(kernel32, SetThreadpoolWaitEx, TpSetWaitEx, 4);
THK_EXPORT_AS(kernel32, WaitForThreadpoolWaitCallbacks, TpWaitForWait, 2);
THK_EXPORT_AS(kernel32, CloseThreadpoolWait, TpReleaseWait, 1);

/* ---- I/O ---- */
static void *WINAPI k32_CreateThreadpoolIo(HANDLE file, void *cb, void *ctx, const void *env)
{
    tp_object *o = NULL;
    NTSTATUS st = tp_io_alloc(&o, file, cb, ctx, env, true);
    return k32_tp_result(st, o);
}
THK_EXPORT_AS(kernel32, CreateThreadpoolIo, k32_CreateThreadpoolIo, 4);
THK_EXPORT_AS(kernel32, StartThreadpoolIo, TpStartAsyncIoOperation, 1);
THK_EXPORT_AS(kernel32, CancelThreadpoolIo, TpCancelAsyncIoOperation, 1);
THK_EXPORT_AS(kernel32, WaitForThreadpoolIoCallbacks, TpWaitForIoCompletion, 2);
THK_EXPORT_AS(kernel32, CloseThreadpoolIo, TpReleaseIoCompletion, 1);

/* ---- cleanup groups ---- */
static void *WINAPI k32_CreateThreadpoolCleanupGroup(void)
{
    void *g = NULL;
    NTSTATUS st = TpAllocCleanupGroup(&g);
    return k32_tp_result(st, g);
}
THK_EXPORT_AS(kernel32, CreateThreadpoolCleanupGroup, k32_CreateThreadpoolCleanupGroup, 0);
THK_EXPORT_AS(kernel32, CloseThreadpoolCleanupGroupMembers, TpReleaseCleanupGroupMembers, 3);
THK_EXPORT_AS(kernel32, CloseThreadpoolCleanupGroup, TpReleaseCleanupGroup, 1);

/* ---- the callback instance ---- */
THK_EXPORT_AS(kernel32, SetEventWhenCallbackReturns, TpCallbackSetEventOnCompletion, 2);
THK_EXPORT_AS(kernel32, ReleaseSemaphoreWhenCallbackReturns,
              TpCallbackReleaseSemaphoreOnCompletion, 3);
THK_EXPORT_AS(kernel32, ReleaseMutexWhenCallbackReturns, TpCallbackReleaseMutexOnCompletion, 2);
THK_EXPORT_AS(kernel32, LeaveCriticalSectionWhenCallbackReturns,
              TpCallbackLeaveCriticalSectionOnCompletion, 2);
THK_EXPORT_AS(kernel32, FreeLibraryWhenCallbackReturns, TpCallbackUnloadDllOnCompletion, 2);
THK_EXPORT_AS(kernel32, DisassociateCurrentThreadFromCallback, TpDisassociateCallback, 1);

static BOOL WINAPI k32_CallbackMayRunLong(void *inst)
{
    return k32_tp_bool(TpCallbackMayRunLong(inst));
}
THK_EXPORT_AS(kernel32, CallbackMayRunLong, k32_CallbackMayRunLong, 1);

/* ---- the legacy pool ---- */
static BOOL WINAPI k32_QueueUserWorkItem(void *fn, void *ctx, ULONG flags)
{
    return k32_tp_bool(tp_simple_post(fn, ctx, NULL, true));
}
THK_EXPORT_AS(kernel32, QueueUserWorkItem, k32_QueueUserWorkItem, 3);

static int64_t k32_ms_rel(DWORD ms) { return -(int64_t)ms * 10000; }

static BOOL WINAPI k32_RegisterWaitForSingleObject(HANDLE *out, HANDLE h, void *cb, void *ctx,
                                                   DWORD ms, ULONG flags)
{
    tp_object *o = NULL;
    if (!out) {
        thk_set_last_error(ERROR_INVALID_PARAMETER);
        return FALSE;
    }
    NTSTATUS st = tp_object_new(TP_WAIT, cb, ctx, NULL, &o);
    if (st != STATUS_SUCCESS) {
        thk_set_last_status(st);
        return FALSE;
    }
    o->legacy = true;
    o->only_once = flags & K32_WT_EXECUTEONLYONCE;
    /* The handle is the caller's before the wait is armed: on a signalled object the callback
     * runs at once, on another thread, and may read it (libuv's uv_tty_post_raw_read
     * unregisters the wait named by the variable this call fills, then clears it; filled
     * afterwards, the variable kept a stale wait and uv__tty_endgame's assertion failed). */
    *out = (HANDLE)o;
    int64_t t = k32_ms_rel(ms);
    tp_wait_set(o, h, ms == INFINITE ? NULL : &t);
    return TRUE;
}
THK_EXPORT_AS(kernel32, RegisterWaitForSingleObject, k32_RegisterWaitForSingleObject, 6);

static HANDLE WINAPI k32_RegisterWaitForSingleObjectEx(HANDLE h, void *cb, void *ctx, DWORD ms,
                                                       ULONG flags)
{
    HANDLE out = NULL;
    return k32_RegisterWaitForSingleObject(&out, h, cb, ctx, ms, flags) ? out : NULL;
}
THK_EXPORT_AS(kernel32, RegisterWaitForSingleObjectEx, k32_RegisterWaitForSingleObjectEx, 5);

/* Unregister a legacy wait or timer: INVALID_HANDLE_VALUE waits for its callbacks, an event is
 * set once they are done, NULL returns at once (ERROR_IO_PENDING when one is running). */
static BOOL k32_tp_delete(tp_object *o, HANDLE done)
{
    if (!o) {
        thk_set_last_error(ERROR_INVALID_PARAMETER);
        return FALSE;
    }
    if (done == INVALID_HANDLE_VALUE) {
        tp_object_wait(o, false); /* nothing new can be queued once closed: close first */
        tp_object_close(o);
        return TRUE;
    }
    bool busy = tp_object_busy(o);
    if (done)
        o->done_event = done;
    tp_object_close(o);
    if (!done && busy) {
        thk_set_last_error(K32_ERROR_IO_PENDING);
        return FALSE;
    }
    return TRUE;
}

static BOOL WINAPI k32_UnregisterWaitEx(HANDLE wait, HANDLE done)
{
    if (wait)
        tp_wait_set((tp_object *)wait, NULL, NULL);
    return k32_tp_delete((tp_object *)wait, done);
}
THK_EXPORT_AS(kernel32, UnregisterWaitEx, k32_UnregisterWaitEx, 2);

static BOOL WINAPI k32_UnregisterWait(HANDLE wait) { return k32_UnregisterWaitEx(wait, NULL); }
THK_EXPORT_AS(kernel32, UnregisterWait, k32_UnregisterWait, 1);

/* A timer queue: the list of its timers. NULL names the default queue, which has none. */
typedef struct {
    tp_object *timers;
} k32_timer_queue;

static pthread_mutex_t k32_tq_lock = PTHREAD_MUTEX_INITIALIZER;

static HANDLE WINAPI k32_CreateTimerQueue(void)
{
    k32_timer_queue *q = calloc(1, sizeof *q);
    if (!q)
        thk_set_last_error(ERROR_NOT_ENOUGH_MEMORY);
    return q;
}
THK_EXPORT_AS(kernel32, CreateTimerQueue, k32_CreateTimerQueue, 0);

static void k32_tq_set(tp_object *o, DWORD due, DWORD period)
{
    int64_t d = k32_ms_rel(due);
    tp_timer_set(o, &d, o->only_once ? 0 : period);
}

static BOOL WINAPI k32_CreateTimerQueueTimer(HANDLE *out, HANDLE queue, void *cb, void *param,
                                             DWORD due, DWORD period, ULONG flags)
{
    tp_object *o = NULL;
    if (!out) {
        thk_set_last_error(ERROR_INVALID_PARAMETER);
        return FALSE;
    }
    NTSTATUS st = tp_object_new(TP_TIMER, cb, param, NULL, &o);
    if (st != STATUS_SUCCESS) {
        thk_set_last_status(st);
        return FALSE;
    }
    o->legacy = true;
    o->only_once = flags & K32_WT_EXECUTEONLYONCE;
    k32_timer_queue *q = queue; /* the default queue (NULL) is never deleted: no list */
    if (q) {
        pthread_mutex_lock(&k32_tq_lock);
        o->queue = q;
        o->queue_next = q->timers;
        q->timers = o;
        pthread_mutex_unlock(&k32_tq_lock);
    }
    *out = (HANDLE)o; /* before it is armed: a due time of 0 runs the callback at once */
    k32_tq_set(o, due, period);
    return TRUE;
}
THK_EXPORT_AS(kernel32, CreateTimerQueueTimer, k32_CreateTimerQueueTimer, 7);

static BOOL WINAPI k32_ChangeTimerQueueTimer(HANDLE queue, HANDLE timer, ULONG due, ULONG period)
{
    if (!timer) {
        thk_set_last_error(ERROR_INVALID_PARAMETER);
        return FALSE;
    }
    k32_tq_set((tp_object *)timer, due, period);
    return TRUE;
}
THK_EXPORT_AS(kernel32, ChangeTimerQueueTimer, k32_ChangeTimerQueueTimer, 4);

static void k32_tq_unlink(tp_object *o)
{
    pthread_mutex_lock(&k32_tq_lock);
    k32_timer_queue *q = o->queue;
    if (q) {
        for (tp_object **pp = &q->timers; *pp; pp = &(*pp)->queue_next) {
            if (*pp == o) {
                *pp = o->queue_next;
                break;
            }
        }
        o->queue = NULL;
    }
    pthread_mutex_unlock(&k32_tq_lock);
}

static BOOL WINAPI k32_DeleteTimerQueueTimer(HANDLE queue, HANDLE timer, HANDLE done)
{
    tp_object *o = timer;
    if (!o) {
        thk_set_last_error(ERROR_INVALID_PARAMETER);
        return FALSE;
    }
    k32_tq_unlink(o);
    tp_timer_set(o, NULL, 0);
    return k32_tp_delete(o, done);
}
THK_EXPORT_AS(kernel32, DeleteTimerQueueTimer, k32_DeleteTimerQueueTimer, 3);

static BOOL WINAPI k32_DeleteTimerQueueEx(HANDLE queue, HANDLE done)
{
    k32_timer_queue *q = queue;
    if (!q) {
        thk_set_last_error(ERROR_INVALID_HANDLE);
        return FALSE;
    }
    for (;;) {
        pthread_mutex_lock(&k32_tq_lock);
        tp_object *o = q->timers;
        if (o) {
            q->timers = o->queue_next;
            o->queue = NULL;
        }
        pthread_mutex_unlock(&k32_tq_lock);
        if (!o)
            break;
        tp_timer_set(o, NULL, 0);
        if (done == INVALID_HANDLE_VALUE || done)
            tp_object_wait(o, false);
        tp_object_close(o);
    }
    free(q);
    if (done && done != INVALID_HANDLE_VALUE)
        NtSetEvent(done, NULL);
    return TRUE;
}
THK_EXPORT_AS(kernel32, DeleteTimerQueueEx, k32_DeleteTimerQueueEx, 2);

static BOOL WINAPI k32_DeleteTimerQueue(HANDLE queue) { return k32_DeleteTimerQueueEx(queue, NULL); }
THK_EXPORT_AS(kernel32, DeleteTimerQueue, k32_DeleteTimerQueue, 1);
