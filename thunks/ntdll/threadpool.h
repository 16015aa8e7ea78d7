/* SPDX-License-Identifier: MIT */
/* The thread pool engine (thunks/ntdll/threadpool.c) as kernel32's CreateThreadpool* family and
 * the legacy QueueUserWorkItem / RegisterWaitForSingleObject / timer-queue functions
 * (thunks/kernel32/threadpool.c) use it. A tp_object is what PTP_WORK, PTP_TIMER, PTP_WAIT and
 * PTP_IO point at, and also the HANDLE of a legacy wait or timer-queue timer. */
#ifndef NTRUN_THUNKS_NTDLL_THREADPOOL_H
#define NTRUN_THUNKS_NTDLL_THREADPOOL_H

#include <stdbool.h>
#include <stdint.h>
#include "ntemu/ntemu.h"
#include "thunks/thunks_private.h"

enum { TP_WORK, TP_SIMPLE, TP_TIMER, TP_WAIT, TP_IO };

typedef struct tp_pool tp_pool;
typedef struct tp_group tp_group;
struct tp_bucket;

typedef struct tp_object {
    int type;
    uint32_t refs;                 /* under the pool lock */
    tp_pool *pool;
    void *callback, *ctx;
    void *finalize, *group_cancel;
    tp_group *group;
    struct tp_object *group_next, *group_prev;
    bool may_run_long, closed;
    bool legacy;                   /* QueueUserWorkItem / RegisterWait / timer-queue callbacks */
    bool only_once;                /* legacy wait: WT_EXECUTEONLYONCE */
    bool win32_io;                 /* kernel32's PTP_WIN32_IO_CALLBACK */
    bool native;                   /* tp_native_post: callback is a native void fn(void *ctx) */
    uint32_t pending, running;     /* queued callbacks, running callbacks */
    uint32_t done_seq;             /* futex word: bumped when a callback ends */
    HANDLE done_event;             /* set when the object is freed (legacy deletes) */
    /* timer */
    bool timer_set, timer_armed;
    int64_t due, period_ns;
    struct tp_object *timer_next;
    /* wait */
    struct tp_bucket *bucket;
    HANDLE wait_handle;
    int64_t wait_timeout, wait_deadline;
    bool wait_infinite;
    /* io */
    uint32_t io_pending;
    /* legacy timer queue membership */
    struct tp_object *queue_next;
    void *queue;
} tp_object;

NTSTATUS tp_object_new(int type, void *callback, void *ctx, const void *env, tp_object **out);
void tp_object_release(tp_object *o);
void tp_object_close(tp_object *o);
uint32_t tp_object_wait(tp_object *o, bool cancel); /* the queued callbacks cancelled */
bool tp_object_busy(tp_object *o);
NTSTATUS tp_simple_post(void *cb, void *ctx, const void *env, bool legacy);
/* Runs fn(ctx) once on a worker of the default pool, natively (the selector at ALLOW): for
 * built-in DLLs' own background work that may then call program code (thk_call_foreign*) on
 * an ordinary program thread (ws2_32's asynchronous GetAddrInfoExW). */
NTSTATUS tp_native_post(void (*fn)(void *ctx), void *ctx);
bool tp_timer_set(tp_object *o, const int64_t *due, uint32_t period_ms);
bool tp_timer_is_set(tp_object *o);
bool tp_wait_set(tp_object *o, HANDLE h, const int64_t *timeout);
NTSTATUS tp_io_alloc(tp_object **out, HANDLE file, void *cb, void *ctx, const void *env,
                     bool win32);
void tp_io_start(tp_object *o);
void tp_io_cancel(tp_object *o);

#endif
