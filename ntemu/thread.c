/* SPDX-License-Identifier: MIT */
/* Thread objects and the thread calls: NtCreateThreadEx, NtTerminateThread, NtResumeThread,
 * NtSuspendThread, NtGetContextThread, NtSetContextThread, and nt_thread_query for the
 * information calls.
 *
 * A thread object is an nt_sync (waitable, signalled when the thread ends; see sync.c). The
 * thread itself is made by runtime/ (rt_thread_create: pthread, TEB, foreign stack, SUD, the
 * attach/detach hooks through which loader/ gives it its PE TLS block and DLL_THREAD_ATTACH /
 * DETACH callbacks); this file supplies its start (wait while suspended, then call the foreign
 * start routine through thunks/) and its end (exit code, signalled, abandoned mutants).
 * The running thread holds one reference to its object; the creator's handle holds another. */
#include <errno.h>
#include <linux/futex.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>
#include "ntemu/ntemu_private.h"
#include "thunks/thunks.h"
#include "runtime/winexc.h"
#include "runtime/xstate.h"

#define NT_PS_ATTRIBUTE_CLIENT_ID 0x10003
#define NT_PS_ATTRIBUTE_TEB_ADDRESS 0x10004

typedef struct {
    ULONG_PTR Attribute; /* 0x00 */
    SIZE_T Size;         /* 0x08 */
    ULONG_PTR Value;     /* 0x10: value or pointer */
    SIZE_T *ReturnLength; /* 0x18 */
} nt_ps_attribute;
_Static_assert(sizeof(nt_ps_attribute) == 0x20, "PS_ATTRIBUTE");

static __thread nt_thread_obj *nt_self; /* the calling thread's object, or NULL */
static nt_thread_obj *nt_threads;       /* every thread object, under nt_wait_lock */

static void nt_thread_destroy(nt_object *o)
{
    nt_thread_obj *t = (nt_thread_obj *)o;
    pthread_mutex_lock(&nt_wait_lock);
    if (t->prev_obj)
        t->prev_obj->next_obj = t->next_obj;
    else
        nt_threads = t->next_obj;
    if (t->next_obj)
        t->next_obj->prev_obj = t->prev_obj;
    pthread_mutex_unlock(&nt_wait_lock);
    for (nt_apc *a = t->apc_head, *next; a; a = next) { /* never run: the thread ended */
        next = a->next;
        free(a);
    }
    if (t->remote)
        t->remote->release(t->remote_ctx);
    free(t->name);
    free(o);
}

static nt_thread_obj *nt_thread_alloc(void)
{
    nt_thread_obj *t = calloc(1, sizeof *t);
    if (!t)
        return NULL;
    nt_object_init(&t->s.hdr, NT_OBJ_THREAD, nt_thread_destroy);
    t->exit_code = NT_STILL_ACTIVE;
    pthread_mutex_lock(&nt_wait_lock);
    t->next_obj = nt_threads;
    if (nt_threads)
        nt_threads->prev_obj = t;
    nt_threads = t;
    pthread_mutex_unlock(&nt_wait_lock);
    return t;
}

nt_thread_obj *nt_thread_new_remote(int32_t tid, int suspend, const nt_remote_thread_ops *ops,
                                    void *ctx)
{
    nt_thread_obj *t = nt_thread_alloc();
    if (!t)
        return NULL;
    pthread_mutex_lock(&nt_wait_lock);
    t->tid = tid;
    t->suspend = suspend;
    t->remote = ops;
    t->remote_ctx = ctx;
    pthread_mutex_unlock(&nt_wait_lock);
    return t;
}

/* An object for a thread ntemu did not create (the main thread, a host thread), made on first
 * use by that thread or, for the main thread, by NtOpenThread on another one. */
static nt_thread_obj *nt_main_obj; /* under nt_wait_lock; holds one reference */
static int32_t nt_main_ended_tid;  /* under nt_wait_lock: the main thread that has ended */

/* rt_on_main_thread_end: the main thread has ended for the program (ExitThread with other
 * threads left, or stopped by another thread's ExitProcess before the DLLs detach): its object
 * is signalled with its exit code and its mutants abandoned, as when any thread ends; opening
 * it by id fails from now on. */
static void nt_thread_main_end(uint32_t code)
{
    rt_thread *main_thread = rt_thread_main();
    pthread_mutex_lock(&nt_wait_lock);
    nt_main_ended_tid = main_thread ? main_thread->tid : 0;
    nt_thread_obj *t = nt_main_obj;
    if (t && main_thread && t->tid == main_thread->tid && !t->exited) {
        t->exit_code = code;
        t->exited = true;
        nt_sync_abandon_mutants(t->tid);
        nt_sync_wake(&t->s);
    }
    pthread_mutex_unlock(&nt_wait_lock);
}

static nt_thread_obj *nt_thread_adopt(int32_t tid, TEB *teb)
{
    nt_thread_obj *t = nt_thread_alloc();
    if (!t)
        return NULL;
    pthread_mutex_lock(&nt_wait_lock);
    t->tid = tid;
    t->teb = teb;
    pthread_mutex_unlock(&nt_wait_lock);
    return t; /* its creation reference belongs to the thread it stands for */
}

nt_thread_obj *nt_thread_current(void)
{
    if (!nt_self) {
        rt_thread *main_thread = rt_thread_main();
        nt_thread_obj *t = NULL;
        if (main_thread && main_thread == rt_current_thread()) {
            pthread_mutex_lock(&nt_wait_lock);
            if (nt_main_obj && nt_main_obj->tid == main_thread->tid)
                t = nt_main_obj;
            pthread_mutex_unlock(&nt_wait_lock);
        }
        if (!t)
            t = nt_thread_adopt(nt_current_tid(), rt_current_teb());
        if (!t)
            return NULL;
        nt_self = t; /* this reference lives as long as the thread */
        if (main_thread && main_thread == rt_current_thread()) {
            pthread_mutex_lock(&nt_wait_lock);
            nt_main_obj = t;
            pthread_mutex_unlock(&nt_wait_lock);
        }
    }
    nt_object_ref(&nt_self->s.hdr);
    return nt_self;
}

/* Default reserve: the exe's SizeOfStackReserve (PEB->ImageBaseAddress headers), or 1 MiB. */
size_t nt_exe_stack_reserve(void)
{
    PEB *peb = rt_proc.peb;
    const uint8_t *base = peb ? peb->ImageBaseAddress : NULL;
    int32_t lfanew;
    uint64_t reserve;
    if (!base || rt_safe_copy(&lfanew, base + 0x3c, 4) != 0 || lfanew < 0 || lfanew > 0x10000 ||
        rt_safe_copy(&reserve, base + lfanew + 0x18 + 0x48, 8) != 0 || reserve == 0)
        return 0x100000;
    return reserve > 0x40000000 ? 0x40000000 : (size_t)reserve;
}

/* ---- the new thread's side (runtime/ calls these) ---- */
static void nt_thread_on_start(void *arg, rt_thread *rt)
{
    nt_thread_obj *t = arg;
    nt_self = t;
    pthread_mutex_lock(&nt_wait_lock);
    t->tid = rt->tid;
    t->teb = rt->teb;
    pthread_mutex_unlock(&nt_wait_lock);
}

static void nt_thread_prologue(void *arg)
{
    nt_thread_obj *t = arg;
    for (;;) {
        int v = __atomic_load_n(&t->suspend, __ATOMIC_ACQUIRE);
        if (v <= 0)
            return;
        struct timespec slice = {0, RT_WAIT_SLICE_NS};
        rt_thread_check_pending();
        syscall(SYS_futex, &t->suspend, FUTEX_WAIT | FUTEX_PRIVATE_FLAG, v, &slice, NULL, 0);
    }
}

static uint32_t nt_thread_body(void *arg)
{
    nt_thread_obj *t = arg;
    if (t->native_body)
        return t->native_body(t->native_ctx);
    /* Windows: RtlUserThreadStart -> BaseThreadInitThunk -> start(param); its return value is
     * the thread's exit code. */
    return (uint32_t)thk_call_foreign1(t->start, (uint64_t)(uintptr_t)t->param);
}

static void nt_thread_on_exit(void *arg, uint32_t code)
{
    nt_thread_obj *t = arg;
    pthread_mutex_lock(&nt_wait_lock);
    t->exit_code = code;
    t->exited = true;
    t->teb = NULL;
    nt_sync_abandon_mutants(t->tid);
    nt_sync_wake(&t->s);
    pthread_mutex_unlock(&nt_wait_lock);
    nt_self = NULL;
    nt_object_release(&t->s.hdr); /* the running thread's reference */
}

/* ---- creation ---- */
static NTSTATUS nt_thread_start(nt_thread_obj *t, bool suspended, HANDLE *out)
{
    HANDLE h;
    rt_on_main_thread_end(nt_thread_main_end); /* it matters once another thread exists */
    t->suspend = suspended ? 1 : 0;
    NTSTATUS st = nt_handle_alloc(&t->s.hdr, &h); /* the creator's reference */
    if (st != STATUS_SUCCESS) {
        nt_object_release(&t->s.hdr);
        return st;
    }
    rt_thread_params p = {
        .stack_reserve = t->stack_reserve,
        .on_start = nt_thread_on_start,
        .prologue = nt_thread_prologue,
        .body = nt_thread_body,
        .on_exit = nt_thread_on_exit,
        .arg = t,
    };
    /* t's creation reference becomes the running thread's reference. */
    int r = rt_thread_create(&p);
    if (r < 0) {
        nt_handle_close(h);
        nt_object_release(&t->s.hdr);
        return r == -ENOMEM ? STATUS_NO_MEMORY : STATUS_INSUFFICIENT_RESOURCES;
    }
    *out = h;
    return STATUS_SUCCESS;
}

static void nt_fill_attributes(void *user_list, const nt_thread_obj *t)
{
    SIZE_T total;
    if (!user_list || nt_copy_from_user(&total, user_list, sizeof total) != 0)
        return;
    size_t n = total > 8 ? (total - 8) / sizeof(nt_ps_attribute) : 0;
    nt_ps_attribute *attrs = (nt_ps_attribute *)((char *)user_list + 8);
    for (size_t i = 0; i < n && i < 32; i++) {
        nt_ps_attribute a;
        if (nt_copy_from_user(&a, &attrs[i], sizeof a) != 0)
            return;
        if (a.Attribute == NT_PS_ATTRIBUTE_CLIENT_ID && a.Size >= sizeof(CLIENT_ID)) {
            CLIENT_ID id = {(HANDLE)(uintptr_t)getpid(), (HANDLE)(uintptr_t)t->tid};
            nt_copy_to_user((void *)a.Value, &id, sizeof id);
        } else if (a.Attribute == NT_PS_ATTRIBUTE_TEB_ADDRESS && a.Size >= sizeof(void *)) {
            nt_copy_to_user((void *)a.Value, &t->teb, sizeof t->teb);
        }
    }
}

NTSTATUS NTAPI NtCreateThreadEx(HANDLE *handle, uint32_t access, const OBJECT_ATTRIBUTES *attr,
                                HANDLE process, void *start, void *param, uint32_t flags,
                                SIZE_T zero_bits, SIZE_T stack_size, SIZE_T max_stack_size,
                                void *attribute_list)
{
    HANDLE h = NULL;
    nt_object *proc;
    if (nt_copy_to_user(handle, &h, sizeof h) != 0)
        return STATUS_ACCESS_VIOLATION;
    NTSTATUS st = nt_object_from_handle(process, NT_OBJ_PROCESS, &proc);
    if (st != STATUS_SUCCESS)
        return st == STATUS_OBJECT_TYPE_MISMATCH ? st : STATUS_INVALID_HANDLE;
    nt_object_release(proc);
    if (!start)
        return STATUS_INVALID_PARAMETER;
    nt_thread_obj *t = nt_thread_alloc();
    if (!t)
        return STATUS_NO_MEMORY;
    t->start = start;
    t->param = param;
    size_t reserve = nt_exe_stack_reserve();
    if (max_stack_size > reserve)
        reserve = max_stack_size;
    if (stack_size > reserve)
        reserve = stack_size;
    t->stack_reserve = reserve;
    nt_object_ref(&t->s.hdr); /* keep t while we report on it */
    st = nt_thread_start(t, flags & NT_THREAD_CREATE_SUSPENDED, &h);
    if (st == STATUS_SUCCESS) {
        pthread_mutex_lock(&nt_wait_lock);
        nt_thread_obj copy = *t;
        pthread_mutex_unlock(&nt_wait_lock);
        nt_fill_attributes(attribute_list, &copy);
        if (nt_copy_to_user(handle, &h, sizeof h) != 0)
            st = STATUS_ACCESS_VIOLATION; /* the thread runs anyway, as on Windows */
    }
    nt_object_release(&t->s.hdr);
    return st;
}

NTSTATUS nt_thread_create_native(uint32_t (*body)(void *ctx), void *ctx, size_t stack_reserve,
                                 bool suspended, HANDLE *handle, int32_t *tid)
{
    nt_thread_obj *t = nt_thread_alloc();
    if (!t)
        return STATUS_NO_MEMORY;
    t->native_body = body;
    t->native_ctx = ctx;
    size_t reserve = nt_exe_stack_reserve();
    t->stack_reserve = stack_reserve > reserve ? stack_reserve : reserve;
    nt_object_ref(&t->s.hdr);
    NTSTATUS st = nt_thread_start(t, suspended, handle);
    if (st == STATUS_SUCCESS && tid)
        *tid = t->tid; /* set by on_start before rt_thread_create returned */
    nt_object_release(&t->s.hdr);
    return st;
}

/* ---- the other calls ---- */
/* The thread a handle names, when the handle was granted `need` (THREAD_* rights). */
static NTSTATUS nt_thread_get_access(HANDLE h, uint32_t need, nt_thread_obj **out)
{
    nt_object *o;
    NTSTATUS st = nt_object_from_handle_access(h, NT_OBJ_THREAD, need, &o);
    *out = (nt_thread_obj *)o;
    return st;
}

static NTSTATUS nt_thread_get(HANDLE h, nt_thread_obj **out)
{
    return nt_thread_get_access(h, 0, out);
}

NTSTATUS NTAPI NtTerminateThread(HANDLE thread, NTSTATUS status)
{
    nt_thread_obj *t;
    if (thread == NULL || thread == NtCurrentThread())
        rt_exit_thread((uint32_t)status);
    NTSTATUS st = nt_thread_get_access(thread, 0x1 /* THREAD_TERMINATE */, &t);
    if (st != STATUS_SUCCESS)
        return st;
    pthread_mutex_lock(&nt_wait_lock);
    int32_t tid = t->tid;
    bool exited = t->exited;
    pthread_mutex_unlock(&nt_wait_lock);
    if (t->remote) { /* another process's primary thread: its process ends */
        if (!exited)
            t->remote->terminate(t->remote_ctx, (uint32_t)status);
        nt_object_release(&t->s.hdr);
        return STATUS_SUCCESS;
    }
    if (tid == nt_current_tid()) {
        nt_object_release(&t->s.hdr);
        rt_exit_thread((uint32_t)status);
    }
    /* Not a foreign thread of ours any more (ended meanwhile): nothing to do. A thread held
     * suspended before its start is interrupted in its wait like any other. */
    if (!exited)
        rt_thread_terminate(tid, (uint32_t)status);
    nt_object_release(&t->s.hdr);
    return STATUS_SUCCESS;
}

/* The Linux tid of a thread that has started and not ended, else 0. */
static int32_t nt_thread_running_tid(nt_thread_obj *t)
{
    pthread_mutex_lock(&nt_wait_lock);
    int32_t tid = t->exited ? 0 : t->tid;
    pthread_mutex_unlock(&nt_wait_lock);
    return tid;
}

NTSTATUS NTAPI NtResumeThread(HANDLE thread, uint32_t *prev_count)
{
    nt_thread_obj *t;
    NTSTATUS st = nt_thread_get_access(thread, 0x2 /* THREAD_SUSPEND_RESUME */, &t);
    if (st != STATUS_SUCCESS)
        return st;
    int prev = __atomic_load_n(&t->suspend, __ATOMIC_ACQUIRE);
    while (prev > 0 && !__atomic_compare_exchange_n(&t->suspend, &prev, prev - 1, false,
                                                    __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE))
        ;
    if (prev == 1 && t->remote)
        t->remote->resume(t->remote_ctx);
    else if (prev == 1)
        syscall(SYS_futex, &t->suspend, FUTEX_WAKE | FUTEX_PRIVATE_FLAG, 1, NULL, NULL, 0);
    if (prev <= 0) { /* a running thread */
        uint32_t p = 0;
        int32_t tid = nt_thread_running_tid(t);
        if (tid && rt_thread_resume(tid, &p) == 0)
            prev = (int)p;
    }
    nt_object_release(&t->s.hdr);
    if (prev_count) {
        uint32_t p = prev > 0 ? (uint32_t)prev : 0;
        if (nt_copy_to_user(prev_count, &p, sizeof p) != 0)
            return STATUS_ACCESS_VIOLATION;
    }
    return STATUS_SUCCESS;
}

NTSTATUS NTAPI NtSuspendThread(HANDLE thread, uint32_t *prev_count)
{
    nt_thread_obj *t;
    NTSTATUS st = nt_thread_get_access(thread, 0x2 /* THREAD_SUSPEND_RESUME */, &t);
    if (st != STATUS_SUCCESS)
        return st;
    int prev = __atomic_load_n(&t->suspend, __ATOMIC_ACQUIRE);
    while (prev > 0 && !__atomic_compare_exchange_n(&t->suspend, &prev, prev + 1, false,
                                                    __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE))
        ;
    if (prev <= 0) { /* a running thread: stopped by runtime/ (rt_thread_suspend) */
        uint32_t p = 0;
        int32_t tid = nt_thread_running_tid(t);
        st = tid ? (rt_thread_suspend(tid, &p) == 0 ? STATUS_SUCCESS : STATUS_THREAD_IS_TERMINATING)
                 : STATUS_THREAD_IS_TERMINATING;
        prev = (int)p;
    }
    nt_object_release(&t->s.hdr);
    if (st != STATUS_SUCCESS)
        return st;
    if (prev_count) {
        uint32_t p = (uint32_t)prev;
        if (nt_copy_to_user(prev_count, &p, sizeof p) != 0)
            return STATUS_ACCESS_VIOLATION;
    }
    return STATUS_SUCCESS;
}

NTSTATUS nt_thread_query(HANDLE h, nt_thread_info *out)
{
    nt_thread_obj *t;
    memset(out, 0, sizeof *out);
    NTSTATUS st = nt_thread_get(h, &t);
    if (st != STATUS_SUCCESS)
        return st;
    pthread_mutex_lock(&nt_wait_lock);
    out->tid = t->tid;
    out->teb = t->teb;
    out->exit_code = t->exit_code;
    out->exited = t->exited;
    pthread_mutex_unlock(&nt_wait_lock);
    nt_object_release(&t->s.hdr);
    return STATUS_SUCCESS;
}

/* ThreadNameInformation. The name (bytes long, already in native memory) replaces the thread's;
 * an empty one clears it. The thread's Linux name (prctl PR_SET_NAME, what ps and /proc show)
 * follows when the thread is the caller and not the process's first thread (whose name is the
 * process's in ps and /proc/PID/comm): its first 15 characters, '?' for what is not ASCII. */
NTSTATUS nt_thread_set_name(HANDLE h, const uint16_t *name, size_t bytes)
{
    nt_thread_obj *t;
    NTSTATUS st = nt_thread_get_access(h, 0x400 /* THREAD_SET_LIMITED_INFORMATION */, &t);
    if (st != STATUS_SUCCESS)
        return st;
    uint16_t *copy = NULL;
    if (bytes && !(copy = malloc(bytes))) {
        nt_object_release(&t->s.hdr);
        return STATUS_NO_MEMORY;
    }
    if (bytes)
        memcpy(copy, name, bytes);
    pthread_mutex_lock(&nt_wait_lock);
    uint16_t *old = t->name;
    t->name = copy;
    t->name_bytes = (uint16_t)bytes;
    bool self = t == nt_self;
    pthread_mutex_unlock(&nt_wait_lock);
    free(old);
    nt_object_release(&t->s.hdr);
    if (self && bytes && rt_gettid() != getpid()) {
        char comm[16];
        size_t n = 0;
        for (; n < bytes / 2 && n < sizeof comm - 1; n++)
            comm[n] = name[n] >= 0x20 && name[n] < 0x7f ? (char)name[n] : '?';
        comm[n] = 0;
        prctl(PR_SET_NAME, comm, 0, 0, 0);
    }
    return STATUS_SUCCESS;
}

NTSTATUS nt_thread_get_name(HANDLE h, uint16_t **name, size_t *bytes)
{
    nt_thread_obj *t;
    *name = NULL;
    *bytes = 0;
    NTSTATUS st = nt_thread_get_access(h, 0x800 /* THREAD_QUERY_LIMITED_INFORMATION */, &t);
    if (st != STATUS_SUCCESS)
        return st;
    pthread_mutex_lock(&nt_wait_lock);
    if (t->name_bytes && (*name = malloc(t->name_bytes))) {
        memcpy(*name, t->name, t->name_bytes);
        *bytes = t->name_bytes;
    } else if (t->name_bytes) {
        st = STATUS_NO_MEMORY;
    }
    pthread_mutex_unlock(&nt_wait_lock);
    nt_object_release(&t->s.hdr);
    return st;
}

/* libntrun teardown (nt_process_teardown, on the thread that ran the program): the calling
 * thread's object of the run that ended is dropped; the next run makes a new one. */
void nt_thread_forget_current(void)
{
    nt_thread_obj *t = nt_self;
    nt_self = NULL;
    pthread_mutex_lock(&nt_wait_lock);
    nt_main_ended_tid = 0;
    pthread_mutex_unlock(&nt_wait_lock);
    if (t)
        nt_object_release(&t->s.hdr);
}

/* Whether tid names a thread of this process as NtOpenThread finds one (NtOpenProcess with a
 * thread id). */
bool nt_thread_id_known(int32_t tid)
{
    bool found = false;
    pthread_mutex_lock(&nt_wait_lock);
    for (nt_thread_obj *t = nt_threads; t && !found; t = t->next_obj)
        found = t->tid == tid && t->tid != 0 && !t->remote && /* (a child's primary thread) */
                __atomic_load_n(&t->s.hdr.refcount, __ATOMIC_RELAXED) > 0;
    bool main_ended = nt_main_ended_tid == tid;
    pthread_mutex_unlock(&nt_wait_lock);
    rt_thread *main_thread = rt_thread_main();
    return found || (!main_ended && tid != 0 && main_thread && main_thread->tid == tid);
}

/* Threads by id: any thread object still in existence (its id stays valid while a handle to it
 * is open), and the main thread. STATUS_INVALID_CID for an unknown id. */
NTSTATUS NTAPI NtOpenThread(HANDLE *handle, uint32_t access, const OBJECT_ATTRIBUTES *attr,
                            const CLIENT_ID *user_cid)
{
    CLIENT_ID cid;
    HANDLE h = NULL;
    if (nt_copy_to_user(handle, &h, sizeof h) != 0)
        return STATUS_ACCESS_VIOLATION;
    if (!user_cid || nt_copy_from_user(&cid, user_cid, sizeof cid) != 0)
        return user_cid ? STATUS_ACCESS_VIOLATION : NT_STATUS_INVALID_PARAMETER_MIX; /* no id */
    if (cid.UniqueProcess && (uintptr_t)cid.UniqueProcess != (uintptr_t)getpid())
        return STATUS_INVALID_CID;
    int32_t tid = (int32_t)(uintptr_t)cid.UniqueThread;
    nt_thread_obj *found = NULL;
    pthread_mutex_lock(&nt_wait_lock);
    for (nt_thread_obj *t = nt_threads; t && !found; t = t->next_obj)
        if (t->tid == tid && t->tid != 0) {
            /* Only while alive: a dying object waits for this lock to unlink itself. */
            int n = __atomic_load_n(&t->s.hdr.refcount, __ATOMIC_RELAXED);
            while (n > 0 && !__atomic_compare_exchange_n(&t->s.hdr.refcount, &n, n + 1, false,
                                                         __ATOMIC_ACQUIRE, __ATOMIC_RELAXED))
                ;
            if (n > 0)
                found = t;
        }
    pthread_mutex_unlock(&nt_wait_lock);
    if (!found) {
        rt_thread *main_thread = rt_thread_main();
        if (!main_thread || main_thread->tid != tid)
            return STATUS_INVALID_CID;
        /* The main thread before it ever needed its object: make it now (not once it has
         * ended: an ended thread no handle kept is gone). */
        pthread_mutex_lock(&nt_wait_lock);
        if (nt_main_ended_tid == tid) {
            pthread_mutex_unlock(&nt_wait_lock);
            return STATUS_INVALID_CID;
        }
        if (nt_main_obj && nt_main_obj->tid == tid) {
            found = nt_main_obj;
            nt_object_ref(&found->s.hdr);
        }
        pthread_mutex_unlock(&nt_wait_lock);
        if (!found) {
            found = nt_thread_adopt(tid, main_thread->teb);
            if (!found)
                return STATUS_NO_MEMORY;
            pthread_mutex_lock(&nt_wait_lock);
            nt_main_obj = found; /* adopted by the main thread in nt_thread_current */
            pthread_mutex_unlock(&nt_wait_lock);
            nt_object_ref(&found->s.hdr);
        }
    }
    NTSTATUS st = nt_handle_alloc(&found->s.hdr, &h);
    nt_object_release(&found->s.hdr);
    if (st != STATUS_SUCCESS)
        return st;
    /* THREAD_QUERY/SET_INFORMATION imply their LIMITED forms, as Windows grants them */
    if (access & 0x40u)
        access |= 0x800u;
    if (access & 0x20u)
        access |= 0x400u;
    nt_handle_set_granted(h, nt_access_map(NT_OBJ_THREAD, access));
    if (nt_copy_to_user(handle, &h, sizeof h) != 0) {
        nt_handle_close(h);
        return STATUS_ACCESS_VIOLATION;
    }
    return STATUS_SUCCESS;
}

/* ---- thread contexts (GetThreadContext / SetThreadContext) ----
 * A running thread has a context to read or write once NtSuspendThread has stopped it
 * (runtime/thread.c: in foreign code, or at the boundary where a built-in returns to foreign
 * code); a thread not suspended gives STATUS_UNSUCCESSFUL (Windows reads an unreliable
 * snapshot). A thread created suspended and not started yet is at its start as on Windows:
 * Rip at RtlUserThreadStart (here the start routine itself), Rcx the start routine, Rdx its
 * parameter; SetThreadContext may change those two. ContextFlags selects the parts that are
 * read or written; the rest of the caller's CONTEXT is left alone. */
#define NT_CTX_PART(flags, part) (((flags) & (part) & ~CONTEXT_AMD64) != 0)

/* The parts of `c` that `flags` names, into the caller's `out` (its other fields unchanged). */
static void nt_context_select(CONTEXT *out, const CONTEXT *c, uint32_t flags)
{
    out->ContextFlags = flags;
    if (NT_CTX_PART(flags, CONTEXT_CONTROL)) {
        out->Rsp = c->Rsp, out->Rip = c->Rip, out->EFlags = c->EFlags;
        out->SegCs = c->SegCs, out->SegSs = c->SegSs;
    }
    if (NT_CTX_PART(flags, CONTEXT_INTEGER)) {
        out->Rax = c->Rax, out->Rcx = c->Rcx, out->Rdx = c->Rdx, out->Rbx = c->Rbx;
        out->Rbp = c->Rbp, out->Rsi = c->Rsi, out->Rdi = c->Rdi;
        out->R8 = c->R8, out->R9 = c->R9, out->R10 = c->R10, out->R11 = c->R11;
        out->R12 = c->R12, out->R13 = c->R13, out->R14 = c->R14, out->R15 = c->R15;
    }
    if (NT_CTX_PART(flags, CONTEXT_SEGMENTS)) {
        out->SegDs = c->SegDs, out->SegEs = c->SegEs, out->SegFs = c->SegFs;
        out->SegGs = c->SegGs;
    }
    if (NT_CTX_PART(flags, CONTEXT_FLOATING_POINT)) {
        out->MxCsr = c->MxCsr;
        memcpy(&out->FltSave, &c->FltSave, sizeof out->FltSave);
    }
    if (NT_CTX_PART(flags, CONTEXT_DEBUG_REGISTERS)) {
        out->Dr0 = out->Dr1 = out->Dr2 = out->Dr3 = out->Dr6 = out->Dr7 = 0;
    }
}

/* Under nt_wait_lock, t->suspend > 0: the context of a thread that has not started. */
static void nt_context_unstarted(const nt_thread_obj *t, CONTEXT *c)
{
    memset(c, 0, sizeof *c);
    c->ContextFlags = CONTEXT_ALL;
    c->Rip = (DWORD64)(uintptr_t)t->start;
    c->Rcx = (DWORD64)(uintptr_t)t->start;
    c->Rdx = (DWORD64)(uintptr_t)t->param;
    c->EFlags = 0x200;
    c->SegCs = 0x33, c->SegSs = c->SegDs = c->SegEs = c->SegGs = 0x2b, c->SegFs = 0x53;
    c->MxCsr = c->FltSave.MxCsr = 0x1f80;
    c->FltSave.ControlWord = 0x27f;
}

static int nt_context_errno_status(int r)
{
    return r == -EINVAL ? STATUS_UNSUCCESSFUL : r == -ENOMEM ? STATUS_NO_MEMORY
                                                              : STATUS_THREAD_IS_TERMINATING;
}

/* The context calls served for a foreign `syscall` keep its site on the trap path: on the
 * calling thread they work on the signal frame (runtime/signal.c), which a rewritten site
 * does not have. */
static void nt_context_keep_site(void)
{
    rt_thread *self = rt_current_thread();
    if (rt_trap_context(self))
        self->trap_keep_site = 1;
}

/* ---- CONTEXT_XSTATE: the AVX upper halves in the XSTATE chunk of the CONTEXT_EX that follows
 * the program's CONTEXT (runtime/xstate.h). The features asked for are the header's Mask, or
 * with compaction its CompactionMask (as InitializeContext leaves them). */
static bool nt_xstate_asked(uint32_t flags)
{
    return (flags & CONTEXT_XSTATE) == CONTEXT_XSTATE && rt_xstate_avx();
}

/* The XSTATE header of the program's CONTEXT: its address and the chunk's length. */
static NTSTATUS nt_xstate_header(const CONTEXT *user, uintptr_t *at, uint32_t *len,
                                 XSAVE_AREA_HEADER *hdr)
{
    CONTEXT_EX ex;
    uintptr_t exp = (uintptr_t)user + sizeof(CONTEXT);
    if (nt_copy_from_user(&ex, (const void *)exp, sizeof ex) != 0)
        return STATUS_ACCESS_VIOLATION;
    if (ex.XState.Length < sizeof *hdr)
        return STATUS_INVALID_PARAMETER;
    *at = exp + (uintptr_t)(intptr_t)ex.XState.Offset;
    *len = ex.XState.Length;
    if (nt_copy_from_user(hdr, (const void *)*at, sizeof *hdr) != 0)
        return STATUS_ACCESS_VIOLATION;
    return STATUS_SUCCESS;
}

/* NtGetContextThread's XSTATE part: the thread's upper halves (`have`: its stop has them) when
 * asked for and not in their initial state. */
static NTSTATUS nt_xstate_put(CONTEXT *user, bool have, const M128A ymmh[16])
{
    uintptr_t at;
    uint32_t len;
    XSAVE_AREA_HEADER hdr;
    NTSTATUS st = nt_xstate_header(user, &at, &len, &hdr);
    if (st != STATUS_SUCCESS)
        return st;
    bool compact = (rt_xstate_config()->ControlFlags & RT_XSTATE_COMPACTION) != 0;
    uint64_t asked = (compact ? hdr.CompactionMask : hdr.Mask) & RT_XSTATE_MASK_AVX;
    bool used = false;
    for (int i = 0; have && i < 16; i++)
        used |= (ymmh[i].Low | (uint64_t)ymmh[i].High) != 0;
    memset(&hdr, 0, sizeof hdr);
    hdr.Mask = used ? asked : 0;
    hdr.CompactionMask = compact ? (1ull << 63) | asked : 0;
    if (hdr.Mask && len < sizeof hdr + RT_YMMH_SIZE)
        return STATUS_BUFFER_OVERFLOW;
    if (nt_copy_to_user((void *)at, &hdr, sizeof hdr) != 0 ||
        (hdr.Mask && nt_copy_to_user((void *)(at + sizeof hdr), ymmh, RT_YMMH_SIZE) != 0))
        return STATUS_ACCESS_VIOLATION;
    return STATUS_SUCCESS;
}

/* NtSetContextThread's / NtContinue's XSTATE part: true with the upper halves in ymmh when the
 * CONTEXT names CONTEXT_XSTATE and its Mask the AVX feature. */
static NTSTATUS nt_xstate_get(const CONTEXT *user, uint32_t flags, M128A ymmh[16], bool *has)
{
    *has = false;
    if (!nt_xstate_asked(flags))
        return STATUS_SUCCESS;
    uintptr_t at;
    uint32_t len;
    XSAVE_AREA_HEADER hdr;
    NTSTATUS st = nt_xstate_header(user, &at, &len, &hdr);
    if (st != STATUS_SUCCESS || !(hdr.Mask & RT_XSTATE_MASK_AVX))
        return st;
    if (len < sizeof hdr + RT_YMMH_SIZE)
        return STATUS_INVALID_PARAMETER;
    if (nt_copy_from_user(ymmh, (const void *)(at + sizeof hdr), RT_YMMH_SIZE) != 0)
        return STATUS_ACCESS_VIOLATION;
    *has = true;
    return STATUS_SUCCESS;
}

NTSTATUS NTAPI NtGetContextThread(HANDLE thread, CONTEXT *user_ctx)
{
    /* The caller's own upper halves, before any native code can change them (the import
     * route from foreign code keeps them: its stubs use legacy SSE moves only). */
    M128A entry_ymmh[16];
    if (rt_xstate_avx())
        rt_ymmh_save(entry_ymmh);
    nt_context_keep_site();
    uint32_t flags;
    if (nt_copy_from_user(&flags, &user_ctx->ContextFlags, sizeof flags) != 0)
        return STATUS_ACCESS_VIOLATION;
    CONTEXT *c = calloc(2, sizeof *c); /* [0] the thread's, [1] the caller's buffer */
    if (!c)
        return STATUS_NO_MEMORY;
    nt_thread_obj *t;
    NTSTATUS st = nt_thread_get_access(thread, 0x8 /* THREAD_GET_CONTEXT */, &t);
    if (st != STATUS_SUCCESS)
        goto free_ctx;
    pthread_mutex_lock(&nt_wait_lock);
    bool unstarted = __atomic_load_n(&t->suspend, __ATOMIC_ACQUIRE) > 0 && !t->exited;
    if (unstarted)
        nt_context_unstarted(t, &c[0]);
    int32_t tid = t->exited ? 0 : t->tid;
    pthread_mutex_unlock(&nt_wait_lock);
    nt_object_release(&t->s.hdr);
    M128A ymmh[16];
    bool have_ymmh = false;
    if (!unstarted) {
        int r = tid ? rt_thread_get_context_ymmh(tid, &c[0], ymmh, &have_ymmh) : -ESRCH;
        if (r < 0) {
            st = nt_context_errno_status(r);
            goto free_ctx;
        }
        rt_thread *self = rt_current_thread();
        if (self && self->tid == tid && !rt_trap_context(self) && rt_xstate_avx()) {
            memcpy(ymmh, entry_ymmh, sizeof ymmh);
            have_ymmh = true;
        }
    }
    if (nt_copy_from_user(&c[1], user_ctx, sizeof c[1]) != 0) {
        st = STATUS_ACCESS_VIOLATION;
        goto free_ctx;
    }
    nt_context_select(&c[1], &c[0], flags);
    if (nt_copy_to_user(user_ctx, &c[1], sizeof c[1]) != 0)
        st = STATUS_ACCESS_VIOLATION;
    else if (nt_xstate_asked(flags))
        st = nt_xstate_put(user_ctx, have_ymmh, ymmh);
free_ctx:
    free(c);
    return st;
}

NTSTATUS NTAPI NtSetContextThread(HANDLE thread, const CONTEXT *user_ctx)
{
    nt_context_keep_site();
    rt_context_ymmh *x = calloc(1, sizeof *x);
    if (!x)
        return STATUS_NO_MEMORY;
    CONTEXT *c = &x->ctx;
    NTSTATUS st = STATUS_SUCCESS;
    nt_thread_obj *t;
    if (nt_copy_from_user(c, user_ctx, sizeof *c) != 0) {
        st = STATUS_ACCESS_VIOLATION;
        goto free_ctx;
    }
    st = nt_xstate_get(user_ctx, c->ContextFlags, x->ymmh, &x->has_ymmh);
    if (st != STATUS_SUCCESS)
        goto free_ctx;
    st = nt_thread_get_access(thread, 0x10 /* THREAD_SET_CONTEXT */, &t);
    if (st != STATUS_SUCCESS)
        goto free_ctx;
    pthread_mutex_lock(&nt_wait_lock);
    bool unstarted = __atomic_load_n(&t->suspend, __ATOMIC_ACQUIRE) > 0 && !t->exited;
    if (unstarted && NT_CTX_PART(c->ContextFlags, CONTEXT_INTEGER) && !t->native_body) {
        t->start = (void *)(uintptr_t)c->Rcx;
        t->param = (void *)(uintptr_t)c->Rdx;
    }
    int32_t tid = t->exited ? 0 : t->tid;
    pthread_mutex_unlock(&nt_wait_lock);
    nt_object_release(&t->s.hdr);
    if (!unstarted) {
        rt_thread *self = rt_current_thread();
        int r = self && self->tid == tid ? -ENOTSUP
                : tid ? rt_thread_set_context_ymmh(tid, c, c->ContextFlags,
                                                   x->has_ymmh ? x->ymmh : NULL)
                      : -ESRCH;
        if (r == -ENOTSUP && rt_trap_context(self)) { /* a `syscall`: signal.c resumes there */
            free(self->trap_resume);
            self->trap_resume = &x->ctx;
            return STATUS_SUCCESS;
        }
        if (r == -ENOTSUP)
            st = STATUS_NOT_SUPPORTED; /* the caller's own registers: a capturing entry's job
                                        * (kernel32 SetThreadContext, ntdll's export) */
        else if (r < 0)
            st = nt_context_errno_status(r);
    }
free_ctx:
    free(x);
    return st;
}

/* NtContinue(context, alertable) through the system-call table (a `syscall`): the thread goes
 * on at the context (its ContextFlags parts over the registers of the call); with `alertable`
 * its queued user APCs run first, as Windows delivers them before the context. ntdll's export
 * is a capturing entry (thunks/ntdll/context.c); a built-in caller gets STATUS_NOT_SUPPORTED. */
NTSTATUS NTAPI NtContinue(const CONTEXT *user_ctx, BOOLEAN alertable)
{
    rt_thread *self = rt_current_thread();
    rt_context_ymmh *x = calloc(1, sizeof *x);
    if (!x)
        return STATUS_NO_MEMORY;
    /* an unreadable context is the caller's STATUS_ACCESS_VIOLATION whatever the route */
    NTSTATUS st = nt_copy_from_user(&x->ctx, user_ctx, sizeof x->ctx) != 0
                      ? STATUS_ACCESS_VIOLATION
                      : nt_xstate_get(user_ctx, x->ctx.ContextFlags, x->ymmh, &x->has_ymmh);
    if (rt_trap_context(self))
        self->trap_keep_site = 1;
    else if (st == STATUS_SUCCESS)
        st = STATUS_NOT_SUPPORTED;
    if (st != STATUS_SUCCESS) {
        free(x);
        return st;
    }
    if (alertable) /* the APCs' own system calls must not find the context already set */
        NtTestAlert();
    free(self->trap_resume);
    self->trap_resume = &x->ctx;
    return STATUS_SUCCESS;
}
