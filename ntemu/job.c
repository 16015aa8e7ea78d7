/* SPDX-License-Identifier: MIT */
/* Job objects: a set of child processes with one limit that matters to console programs and
 * build tools, kill on close (JOB_OBJECT_LIMIT_KILL_ON_JOB_CLOSE), TerminateJobObject, and
 * basic accounting (total, active and terminated processes).
 *
 * A job's reference count is its handle count: members do not hold it, so the last
 * CloseHandle destroys it, and with kill on close its processes are killed then (SIGKILL,
 * exit code 0; TerminateJobObject gives its own). The caller itself can be assigned: the children
 * it starts afterwards join the job, and if the last handle is closed with kill on close the
 * caller ends too, as on Windows. At process exit the kernel closes every handle: an exit hook
 * kills the members of the kill-on-close jobs still open. Nested jobs, limits other than
 * kill on close and the active-process limit, and a process's grandchildren are not done.
 *
 * A completion port (JobObjectAssociateCompletionPortInformation) gets JOB_OBJECT_MSG_NEW_PROCESS
 * when a process joins, JOB_OBJECT_MSG_EXIT_PROCESS (ABNORMAL_EXIT_PROCESS for an exception
 * code) when one ends (the reaper of ntemu/process.c tells), ACTIVE_PROCESS_ZERO when none runs
 * any more and ACTIVE_PROCESS_LIMIT when JOB_OBJECT_LIMIT_ACTIVE_PROCESS refuses a process
 * (killed, ERROR_NOT_ENOUGH_QUOTA). */
#include <stdlib.h>
#include <string.h>
#include "ntemu/ntemu_private.h"

#define NT_JOB_LIMIT_ACTIVE_PROCESS 0x8
#define NT_JOB_MSG_ACTIVE_PROCESS_ZERO 4
#define NT_JOB_MSG_ACTIVE_PROCESS_LIMIT 3
#define NT_JOB_MSG_NEW_PROCESS 6
#define NT_JOB_MSG_EXIT_PROCESS 7
#define NT_JOB_MSG_ABNORMAL_EXIT_PROCESS 8
#define NT_ERROR_NOT_ENOUGH_QUOTA 1816
#ifndef STATUS_QUOTA_EXCEEDED
#define STATUS_QUOTA_EXCEEDED ((NTSTATUS)0xC0000044)
#endif

typedef struct nt_job {
    nt_object hdr;
    nt_object **procs;      /* children (one reference each), nt_job_lock */
    size_t n, cap;
    uint32_t limit_flags;
    uint32_t active_limit;  /* JOB_OBJECT_LIMIT_ACTIVE_PROCESS */
    nt_object *port;        /* JobObjectAssociateCompletionPortInformation, referenced */
    ULONG_PTR port_key;
    bool has_self;
    struct nt_job *next;    /* every job, nt_job_lock */
} nt_job;

static pthread_mutex_t nt_job_lock = PTHREAD_MUTEX_INITIALIZER;
static nt_job *nt_jobs;
static nt_job *nt_self_job; /* the job the caller is in (weak), nt_job_lock */
static bool nt_job_hook_set;

/* Under nt_job_lock. */
static void nt_job_kill_members(nt_job *j, uint32_t code)
{
    for (size_t i = 0; i < j->n; i++) {
        struct nt_child *c = nt_child_from_object(j->procs[i]);
        if (c && !nt_child_has_exited(c))
            nt_child_kill(c, code);
    }
}

static void nt_job_at_exit(uint32_t code)
{
    (void)code;
    pthread_mutex_lock(&nt_job_lock);
    for (nt_job *j = nt_jobs; j; j = j->next)
        if (j->limit_flags & NT_JOB_LIMIT_KILL_ON_JOB_CLOSE)
            nt_job_kill_members(j, 0);
    pthread_mutex_unlock(&nt_job_lock);
}

static void nt_job_destroy(nt_object *o)
{
    nt_job *j = (nt_job *)o;
    bool kill_self = false;
    pthread_mutex_lock(&nt_job_lock);
    for (nt_job **p = &nt_jobs; *p; p = &(*p)->next)
        if (*p == j) {
            *p = j->next;
            break;
        }
    if (j->limit_flags & NT_JOB_LIMIT_KILL_ON_JOB_CLOSE) {
        nt_job_kill_members(j, 0);
        kill_self = j->has_self;
    }
    if (nt_self_job == j)
        nt_self_job = NULL;
    pthread_mutex_unlock(&nt_job_lock);
    for (size_t i = 0; i < j->n; i++)
        nt_object_release(j->procs[i]);
    if (j->port)
        nt_object_release(j->port);
    free(j->procs);
    free(j);
    if (kill_self)
        rt_exit_process(0);
}

NTSTATUS nt_job_create(bool inherit, HANDLE *out)
{
    *out = NULL;
    nt_job *j = calloc(1, sizeof *j);
    if (!j)
        return STATUS_NO_MEMORY;
    nt_object_init(&j->hdr, NT_OBJ_JOB, nt_job_destroy);
    pthread_mutex_lock(&nt_job_lock);
    j->next = nt_jobs;
    nt_jobs = j;
    if (!nt_job_hook_set) {
        nt_job_hook_set = true;
        rt_on_exit(nt_job_at_exit);
    }
    pthread_mutex_unlock(&nt_job_lock);
    NTSTATUS st = nt_handle_alloc_inherit(&j->hdr, inherit, out);
    nt_object_release(&j->hdr);
    return st;
}

static NTSTATUS nt_job_get(HANDLE h, nt_job **out)
{
    nt_object *o;
    NTSTATUS st = nt_handle_get(h, NT_OBJ_JOB, &o);
    *out = (nt_job *)o;
    return st;
}

/* Under nt_job_lock: whether the child object is in any job. */
static nt_job *nt_job_of(nt_object *child)
{
    for (nt_job *j = nt_jobs; j; j = j->next)
        for (size_t i = 0; i < j->n; i++)
            if (j->procs[i] == child)
                return j;
    return NULL;
}

/* A message to the job's completion port: the key, the message as the byte count, the process
 * id as the OVERLAPPED pointer, as GetQueuedCompletionStatus shows them. Under nt_job_lock. */
static void nt_job_post(nt_job *j, uint32_t msg, uint32_t pid)
{
    if (j->port)
        nt_iocp_post(j->port, j->port_key, pid, STATUS_SUCCESS, msg);
}

/* Under nt_job_lock: the members still running (the caller counts when it is one). */
static uint32_t nt_job_active(nt_job *j)
{
    uint32_t n = j->has_self ? 1 : 0;
    for (size_t i = 0; i < j->n; i++) {
        struct nt_child *c = nt_child_from_object(j->procs[i]);
        if (c && !nt_child_has_exited(c))
            n++;
    }
    return n;
}

/* Under nt_job_lock. Over the active-process limit the process is killed and not added
 * (STATUS_QUOTA_EXCEEDED: ERROR_NOT_ENOUGH_QUOTA), as Windows does. */
static NTSTATUS nt_job_add(nt_job *j, nt_object *child)
{
    struct nt_child *c = nt_child_from_object(child);
    if ((j->limit_flags & NT_JOB_LIMIT_ACTIVE_PROCESS) && nt_job_active(j) >= j->active_limit) {
        nt_job_post(j, NT_JOB_MSG_ACTIVE_PROCESS_LIMIT, 0);
        if (c)
            nt_child_kill(c, NT_ERROR_NOT_ENOUGH_QUOTA); /* its exit code, as in NT */
        return STATUS_QUOTA_EXCEEDED;
    }
    if (j->n == j->cap) {
        size_t cap = j->cap ? j->cap * 2 : 8;
        nt_object **p = realloc(j->procs, cap * sizeof *p);
        if (!p)
            return STATUS_NO_MEMORY;
        j->procs = p;
        j->cap = cap;
    }
    nt_object_ref(child);
    j->procs[j->n++] = child;
    if (c)
        nt_job_post(j, NT_JOB_MSG_NEW_PROCESS, nt_child_pid(c));
    return STATUS_SUCCESS;
}

NTSTATUS nt_job_adopt_child(nt_object *child)
{
    NTSTATUS st = STATUS_SUCCESS;
    pthread_mutex_lock(&nt_job_lock);
    if (nt_self_job)
        st = nt_job_add(nt_self_job, child);
    pthread_mutex_unlock(&nt_job_lock);
    return st;
}

void nt_job_child_exited(nt_object *child, uint32_t code)
{
    pthread_mutex_lock(&nt_job_lock);
    nt_job *j = nt_job_of(child);
    struct nt_child *c = nt_child_from_object(child);
    if (j && j->port && c) {
        /* an exception code (0xC...) is an abnormal end */
        nt_job_post(j, (code >> 30) == 3 ? NT_JOB_MSG_ABNORMAL_EXIT_PROCESS : NT_JOB_MSG_EXIT_PROCESS,
                    nt_child_pid(c));
        if (!nt_job_active(j))
            nt_job_post(j, NT_JOB_MSG_ACTIVE_PROCESS_ZERO, 0);
    }
    pthread_mutex_unlock(&nt_job_lock);
}

NTSTATUS nt_job_set_port(HANDLE job, HANDLE port, ULONG_PTR key)
{
    nt_job *j;
    nt_object *p = NULL;
    NTSTATUS st = nt_job_get(job, &j);
    if (st != STATUS_SUCCESS)
        return st;
    if (port && (st = nt_object_from_handle(port, NT_OBJ_IO_COMPLETION, &p)) != STATUS_SUCCESS) {
        nt_object_release(&j->hdr);
        return st;
    }
    pthread_mutex_lock(&nt_job_lock);
    if (j->port && p) {
        st = STATUS_INVALID_PARAMETER; /* a port once: ERROR_INVALID_PARAMETER */
    } else {
        nt_object *old = j->port;
        j->port = p;
        j->port_key = key;
        p = old;
    }
    pthread_mutex_unlock(&nt_job_lock);
    if (p)
        nt_object_release(p);
    nt_object_release(&j->hdr);
    return st;
}

NTSTATUS nt_job_assign(HANDLE job, HANDLE process)
{
    nt_job *j;
    nt_object *p;
    NTSTATUS st = nt_job_get(job, &j);
    if (st != STATUS_SUCCESS)
        return st;
    st = nt_object_from_handle(process, NT_OBJ_PROCESS, &p);
    if (st != STATUS_SUCCESS) {
        nt_object_release(&j->hdr);
        return st;
    }
    struct nt_child *c = nt_child_from_object(p);
    pthread_mutex_lock(&nt_job_lock);
    if (!c) {
        if (nt_self_job)
            st = nt_self_job == j ? STATUS_SUCCESS : STATUS_ACCESS_DENIED;
        else {
            nt_self_job = j;
            j->has_self = true;
        }
    } else if (nt_child_has_exited(c)) {
        st = STATUS_PROCESS_IS_TERMINATING;
    } else {
        nt_job *in = nt_job_of(p);
        st = in == j ? STATUS_SUCCESS : in ? STATUS_ACCESS_DENIED : nt_job_add(j, p);
    }
    pthread_mutex_unlock(&nt_job_lock);
    nt_object_release(p);
    nt_object_release(&j->hdr);
    return st;
}

NTSTATUS nt_job_set_limits(HANDLE job, uint32_t limit_flags, uint32_t active_limit)
{
    nt_job *j;
    NTSTATUS st = nt_job_get(job, &j);
    if (st != STATUS_SUCCESS)
        return st;
    pthread_mutex_lock(&nt_job_lock);
    j->limit_flags = limit_flags;
    j->active_limit = active_limit;
    pthread_mutex_unlock(&nt_job_lock);
    nt_object_release(&j->hdr);
    return STATUS_SUCCESS;
}

NTSTATUS nt_job_terminate(HANDLE job, uint32_t exit_code)
{
    nt_job *j;
    NTSTATUS st = nt_job_get(job, &j);
    if (st != STATUS_SUCCESS)
        return st;
    pthread_mutex_lock(&nt_job_lock);
    nt_job_kill_members(j, exit_code);
    bool self = j->has_self;
    pthread_mutex_unlock(&nt_job_lock);
    nt_object_release(&j->hdr);
    if (self)
        rt_exit_process(exit_code);
    return STATUS_SUCCESS;
}

NTSTATUS nt_job_query(HANDLE job, nt_job_accounting *out)
{
    nt_job *j;
    memset(out, 0, sizeof *out);
    NTSTATUS st = nt_job_get(job, &j);
    if (st != STATUS_SUCCESS)
        return st;
    pthread_mutex_lock(&nt_job_lock);
    out->total_processes = (uint32_t)j->n + (j->has_self ? 1 : 0);
    out->active_processes = nt_job_active(j);
    out->active_limit = j->active_limit;
    out->terminated_processes = 0; /* counts limit violations only: none are enforced */
    out->limit_flags = j->limit_flags;
    pthread_mutex_unlock(&nt_job_lock);
    nt_object_release(&j->hdr);
    return STATUS_SUCCESS;
}

NTSTATUS nt_job_contains(HANDLE job, HANDLE process, bool *in)
{
    nt_job *j = NULL;
    nt_object *p;
    *in = false;
    NTSTATUS st = job ? nt_job_get(job, &j) : STATUS_SUCCESS;
    if (st != STATUS_SUCCESS)
        return st;
    st = nt_object_from_handle(process, NT_OBJ_PROCESS, &p);
    if (st == STATUS_SUCCESS) {
        pthread_mutex_lock(&nt_job_lock);
        nt_job *of = nt_child_from_object(p) ? nt_job_of(p) : nt_self_job;
        *in = j ? of == j : of != NULL;
        pthread_mutex_unlock(&nt_job_lock);
        nt_object_release(p);
    }
    if (j)
        nt_object_release(&j->hdr);
    return st;
}
