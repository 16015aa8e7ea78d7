/* SPDX-License-Identifier: MIT */
/* Job objects: a set of child processes with one limit that matters to console programs and
 * build tools, kill on close (JOB_OBJECT_LIMIT_KILL_ON_JOB_CLOSE), TerminateJobObject, nesting,
 * and basic accounting (total, active and terminated processes).
 *
 * A job lives while it has handles or processes, as in NT (its close procedure runs at the last
 * CloseHandle, its delete procedure when the last process has left): the last CloseHandle
 * (nt_job_last_close) runs kill on close, and a job that still has processes then (the
 * caller among them, members not yet reaped, members' children alive or whose exit message is
 * on its way) lingers, referenced by them: its port gets their exits and ACTIVE_PROCESS_ZERO,
 * its limits still apply, the caller's children still join it, and its place in the job
 * memory area (job_memory.c) is not given to a new job before the last of them has been told
 * (a late exit message reached the new job's port: pe.process_job_closed_late). With kill on
 * close its processes are ended at the last CloseHandle (exit code 0,
 * as Windows and Wine give; TerminateJobObject gives its own): as TerminateProcess ends one, an
 * ntrun member is asked to end itself with the code, so the other processes that watch it read
 * it too, then killed (SIGKILL) should it not have ended; the members' own children
 * (job_memory.c) are ended the same way, first. The caller itself can be assigned: the children
 * it starts afterwards join the job, and if the last handle is closed with kill on close the
 * caller ends too, as on Windows. At process exit the kernel closes every handle: an exit hook
 * kills the members of the kill-on-close jobs still open. The process and job memory limits are
 * ntemu/job_memory.c's (private commits; JOB_OBJECT_MSG_PROCESS_MEMORY_LIMIT and
 * JOB_OBJECT_MSG_JOB_MEMORY_LIMIT to the job's port and its parents'). A member's own children
 * join the job too (unless they break away): job_memory.c gives them slots in this process's
 * area, so they are counted (TotalProcesses, ActiveProcesses, JobObjectBasicProcessIdList) and
 * ended with the job; the port hears of them as of members (JOB_OBJECT_MSG_NEW_PROCESS, EXIT,
 * ACTIVE_PROCESS_ZERO), and the active-process limit refuses them (job_memory.c "events").
 * Other limits are not done.
 *
 * Jobs nest as on Windows 8 and later: a process already in a job that is assigned to a job
 * standing alone and empty makes that job nested in its immediate job; a job already nested
 * there takes it too; anything else would not be a tree (STATUS_ACCESS_DENIED). A process is in
 * every job of its chain: the limits of the outer jobs apply to the processes of the inner ones
 * (an active-process limit counts them all), the outer job's accounting counts them, closing or
 * terminating it ends them, and each job of the chain gets the new-process and exit messages.
 *
 * A completion port (JobObjectAssociateCompletionPortInformation) gets JOB_OBJECT_MSG_NEW_PROCESS
 * when a process joins, JOB_OBJECT_MSG_EXIT_PROCESS (ABNORMAL_EXIT_PROCESS for an exception
 * code) when one ends (the reaper of ntemu/process.c tells), ACTIVE_PROCESS_ZERO when none runs
 * any more and ACTIVE_PROCESS_LIMIT when JOB_OBJECT_LIMIT_ACTIVE_PROCESS refuses a process
 * (killed, ERROR_NOT_ENOUGH_QUOTA). */
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "ntemu/ntemu_private.h"

#define NT_JOB_LIMIT_ACTIVE_PROCESS 0x8
#define NT_JOB_MSG_ACTIVE_PROCESS_ZERO 4
#define NT_JOB_MSG_ACTIVE_PROCESS_LIMIT 3
#define NT_JOB_MSG_NEW_PROCESS 6
#define NT_JOB_MSG_EXIT_PROCESS 7
#define NT_JOB_MSG_ABNORMAL_EXIT_PROCESS 8
#define NT_JOB_MSG_PROCESS_MEMORY_LIMIT 9
#define NT_JOB_MSG_JOB_MEMORY_LIMIT 10
#define NT_JOB_LIMIT_PROCESS_MEMORY 0x100
#define NT_JOB_LIMIT_JOB_MEMORY 0x200
#define NT_JOB_LIMIT_PROCESS_TIME 0x2
#define NT_JOB_LIMIT_JOB_TIME 0x4
#define NT_JOB_MSG_END_OF_PROCESS_TIME 2
#define NT_JOB_MSG_END_OF_JOB_TIME 1
#define NT_JOB_POST_AT_END_OF_JOB 1
#define NT_JOB_LIMIT_BREAKAWAY_OK 0x800
#define NT_JOB_LIMIT_SILENT_BREAKAWAY_OK 0x1000
#define NT_ERROR_NOT_ENOUGH_QUOTA 1816
#ifndef STATUS_QUOTA_EXCEEDED
#define STATUS_QUOTA_EXCEEDED ((NTSTATUS)0xC0000044)
#endif

typedef struct nt_job {
    nt_object hdr;
    nt_object **procs;      /* children (one reference each), nt_job_lock */
    int64_t *user_time;     /* each child's user time when last seen (100 ns), as procs */
    bool *time_killed;      /* ended by a time limit (no exit message then), as procs */
    bool *reaped;           /* its end handled (nt_job_child_exited), as procs */
    size_t n, cap;
    int64_t process_time_limit, job_time_limit; /* JOB_OBJECT_LIMIT_PROCESS_TIME, _JOB_TIME */
    uint32_t end_of_job_action; /* JobObjectEndOfJobTimeInformation */
    uint32_t terminated;    /* TotalTerminatedProcesses: ended for a limit */
    uint32_t limit_flags;
    uint32_t active_limit;  /* JOB_OBJECT_LIMIT_ACTIVE_PROCESS */
    uint64_t process_memory_limit, job_memory_limit; /* ..._PROCESS_MEMORY, _JOB_MEMORY */
    int mem_slot;           /* its slot in the job memory area (job_memory.c), or -1 */
    nt_object *port;        /* JobObjectAssociateCompletionPortInformation, referenced */
    ULONG_PTR port_key;
    bool has_self;
    bool lingering;         /* its last handle closed with processes in it: it holds a
                               reference for them until they have ended (nt_job_lock) */
    struct nt_job *drop_next; /* the lingering jobs whose last process has ended */
    struct nt_job *parent;  /* the job this one is nested in (weak), nt_job_lock */
    struct nt_job *next;    /* every job, nt_job_lock */
} nt_job;

static pthread_mutex_t nt_job_lock = PTHREAD_MUTEX_INITIALIZER;
static nt_job *nt_jobs;
static nt_job *nt_self_job; /* the caller's immediate job (weak), nt_job_lock */
static bool nt_job_hook_set;

/* The members a job ends, taken under nt_job_lock and ended after it (nt_job_end_members). */
typedef struct {
    nt_object **procs; /* new references */
    size_t n;
    uint32_t code;
    nt_jobmem_end *desc; /* the members' own children (job_memory.c) */
    size_t ndesc;
} nt_job_ending;

/* Under nt_job_lock: j's members and the members' own children (job_memory.c) are to end with
 * `code` (added to *e). */
static void nt_job_kill_members(nt_job *j, uint32_t code, nt_job_ending *e)
{
    nt_object **more = j->n ? realloc(e->procs, (e->n + j->n) * sizeof *more) : e->procs;
    for (size_t i = 0; i < j->n; i++) {
        struct nt_child *c = nt_child_from_object(j->procs[i]);
        if (!c || nt_child_has_exited(c))
            continue;
        if (more) {
            nt_object_ref(j->procs[i]);
            more[e->n++] = j->procs[i];
        } else {
            nt_child_kill(c, code); /* no memory: killed, as a process killed from outside */
        }
    }
    if (more)
        e->procs = more;
    e->code = code;
    nt_jobmem_end *d = NULL;
    size_t nd = nt_jobmem_job_take(j->mem_slot, code, &d);
    nt_jobmem_end *all = nd ? realloc(e->desc, (e->ndesc + nd) * sizeof *all) : NULL;
    if (all) {
        memcpy(all + e->ndesc, d, nd * sizeof *d);
        e->desc = all;
        e->ndesc += nd;
        free(d);
    } else {
        nt_jobmem_end_all(d, nd, code); /* (nd 0, or no memory: ended here, under the lock) */
    }
}

/* Without nt_job_lock (TerminateProcess's way waits for each member's answer): the members
 * nt_job_kill_members took end with its code, which the processes that watch them read too. */
static void nt_job_end_members(nt_job_ending *e)
{
    nt_jobmem_end_all(e->desc, e->ndesc, e->code); /* the members' children first */
    e->desc = NULL;
    e->ndesc = 0;
    for (size_t i = 0; i < e->n; i++) {
        nt_child_end(nt_child_from_object(e->procs[i]), e->code);
        nt_object_release(e->procs[i]);
    }
    free(e->procs);
    e->procs = NULL;
    e->n = 0;
}

static void nt_job_at_exit(uint32_t code)
{
    (void)code;
    nt_job_ending e = {0};
    pthread_mutex_lock(&nt_job_lock);
    for (nt_job *j = nt_jobs; j; j = j->next)
        if (j->limit_flags & NT_JOB_LIMIT_KILL_ON_JOB_CLOSE)
            nt_job_kill_members(j, 0, &e);
    pthread_mutex_unlock(&nt_job_lock);
    nt_job_end_members(&e);
}

static void nt_job_mem_update(nt_object *child);

/* Under nt_job_lock: whether processes are still in `j` (it lingers after its last handle):
 * the caller, a member whose end has not been handled, or a member's child running or whose
 * exit message has not been posted (job_memory.c counts it active until then). */
static bool nt_job_in_use(nt_job *j)
{
    if (j->has_self)
        return true;
    for (size_t i = 0; i < j->n; i++)
        if (!j->reaped[i])
            return true;
    return nt_jobmem_job_descendants(j->mem_slot, NULL, 0) > 0;
}

/* Under nt_job_lock: the lingering jobs whose last process has ended, chained for
 * nt_job_drop (their reference let go after the lock). */
static nt_job *nt_job_done_lingering(void)
{
    nt_job *drop = NULL;
    for (nt_job *j = nt_jobs; j; j = j->next)
        if (j->lingering && !nt_job_in_use(j)) {
            j->lingering = false;
            j->drop_next = drop;
            drop = j;
        }
    return drop;
}

/* Without nt_job_lock: the processes' references of the jobs nt_job_done_lingering chained. */
static void nt_job_drop(nt_job *drop)
{
    while (drop) {
        nt_job *next = drop->drop_next;
        nt_object_release(&drop->hdr);
        drop = next;
    }
}

/* $NTRUN_TEST_JOB_NO_LINGER (tests only, set and not "0"): a job goes at its last CloseHandle
 * whatever processes are in it, as before 2026-12-07, so that only the events' stamps
 * (job_memory.c "events") keep a late exit message from the job made next in its slot
 * (pe.process_job_closed_stamp). Not Windows' behaviour: never for programs. */
static bool nt_job_test_no_linger(void)
{
    const char *v = getenv("NTRUN_TEST_JOB_NO_LINGER");
    return v && *v && strcmp(v, "0") != 0;
}

/* The last handle closed (NT's close procedure for a job): kill on close, then the job lingers
 * while processes are in it (a reference of theirs), or goes with that handle's reference. */
static void nt_job_last_close(nt_object *o)
{
    nt_job *j = (nt_job *)o;
    bool kill_self = false;
    nt_job_ending e = {0};
    bool linger = !nt_job_test_no_linger();
    pthread_mutex_lock(&nt_job_lock);
    if (j->limit_flags & NT_JOB_LIMIT_KILL_ON_JOB_CLOSE) {
        nt_job_kill_members(j, 0, &e); /* the processes of nested jobs are members too */
        kill_self = j->has_self;
    }
    if (linger && !j->lingering && nt_job_in_use(j)) {
        j->lingering = true;
        nt_object_ref(&j->hdr);
    }
    pthread_mutex_unlock(&nt_job_lock);
    nt_job_end_members(&e);
    if (kill_self)
        rt_exit_process(0);
}

void nt_job_teardown(void)
{
    pthread_mutex_lock(&nt_job_lock);
    nt_job *drop = NULL;
    for (nt_job *j = nt_jobs; j; j = j->next)
        if (j->lingering) { /* the run's processes are gone with it, as its handles */
            j->lingering = false;
            j->drop_next = drop;
            drop = j;
        }
    pthread_mutex_unlock(&nt_job_lock);
    nt_job_drop(drop);
}

static void nt_job_destroy(nt_object *o)
{
    nt_job *j = (nt_job *)o;
    pthread_mutex_lock(&nt_job_lock);
    for (nt_job **p = &nt_jobs; *p; p = &(*p)->next)
        if (*p == j) {
            *p = j->next;
            break;
        }
    for (nt_job *k = nt_jobs; k; k = k->next) /* nested jobs hang from its parent now */
        if (k->parent == j)
            k->parent = j->parent;
    if (nt_self_job == j)
        nt_self_job = j->parent;
    nt_jobmem_job_free(j->mem_slot);
    for (size_t i = 0; i < j->n; i++) /* its memory limits no longer apply */
        nt_job_mem_update(j->procs[i]);
    if (j->has_self)
        nt_job_mem_update(NULL);
    pthread_mutex_unlock(&nt_job_lock);
    for (size_t i = 0; i < j->n; i++)
        nt_object_release(j->procs[i]);
    if (j->port)
        nt_object_release(j->port);
    free(j->procs);
    free(j->user_time);
    free(j->time_killed);
    free(j->reaped);
    free(j);
}

NTSTATUS nt_job_create(bool inherit, HANDLE *out)
{
    *out = NULL;
    nt_job *j = calloc(1, sizeof *j);
    if (!j)
        return STATUS_NO_MEMORY;
    nt_object_init(&j->hdr, NT_OBJ_JOB, nt_job_destroy);
    j->hdr.last_close = nt_job_last_close;
    j->mem_slot = nt_jobmem_job_new();
    pthread_mutex_lock(&nt_job_lock);
    j->next = nt_jobs;
    nt_jobs = j;
    if (!nt_job_hook_set) {
        nt_job_hook_set = true;
        rt_on_exit_always(nt_job_at_exit);
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

/* ---- nesting (Windows 8 and later) ----
 * A process belongs to every job of its job chain: its immediate job and the jobs that one is
 * nested in. Each job's list holds all of them, so a job's limits, accounting, termination
 * and kill on close cover the processes of the jobs nested in it. Under nt_job_lock. */

static bool nt_job_has(nt_job *j, nt_object *child)
{
    for (size_t i = 0; i < j->n; i++)
        if (j->procs[i] == child)
            return true;
    return false;
}

static unsigned nt_job_depth(nt_job *j)
{
    unsigned d = 0;
    for (; j->parent; j = j->parent)
        d++;
    return d;
}

/* The immediate job of a child (the deepest of the jobs it is in), or NULL. */
static nt_job *nt_job_of(nt_object *child)
{
    nt_job *best = NULL;
    unsigned depth = 0;
    for (nt_job *j = nt_jobs; j; j = j->next)
        if (nt_job_has(j, child) && (!best || nt_job_depth(j) > depth)) {
            best = j;
            depth = nt_job_depth(j);
        }
    return best;
}

/* Whether `a` is `j` or one of the jobs `j` is nested in. */
static bool nt_job_in_chain(nt_job *a, nt_job *j)
{
    for (; j; j = j->parent)
        if (j == a)
            return true;
    return false;
}

static bool nt_job_has_nested(nt_job *j)
{
    for (nt_job *k = nt_jobs; k; k = k->next)
        if (k->parent == j)
            return true;
    return false;
}

/* Whether process `in` (NULL: in no job) can join `j`, which is then nested in `in` when it
 * stands alone and is empty: STATUS_SUCCESS with *nest set, or STATUS_ACCESS_DENIED when no
 * valid hierarchy would result (a job holding other processes, or nested elsewhere), as
 * AssignProcessToJobObject says for a process already in a job. *already: j is in its chain. */
static NTSTATUS nt_job_can_join(nt_job *j, nt_job *in, bool *nest, bool *already)
{
    *nest = *already = false;
    if (!in)
        return STATUS_SUCCESS;
    if (nt_job_in_chain(j, in)) {
        *already = true;
        return STATUS_SUCCESS;
    }
    if (j->parent == in)
        return STATUS_SUCCESS;
    if (!j->parent && !j->n && !j->has_self && !nt_job_has_nested(j) && !nt_job_in_chain(j, in)) {
        *nest = true;
        return STATUS_SUCCESS;
    }
    return STATUS_ACCESS_DENIED;
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
    return n + (uint32_t)nt_jobmem_job_descendants(j->mem_slot, NULL, 0);
}

/* Under nt_job_lock: each job's running members (the caller counted when it is one) and its
 * active-process limit, where the members' own children read them before they join
 * (job_memory.c nt_jobmem_descendant_check). */
static void nt_job_share_active(void)
{
    for (nt_job *j = nt_jobs; j; j = j->next) {
        uint32_t n = j->has_self ? 1 : 0;
        for (size_t i = 0; i < j->n; i++) {
            struct nt_child *c = nt_child_from_object(j->procs[i]);
            if (c && !nt_child_has_exited(c))
                n++;
        }
        nt_jobmem_job_set_active(j->mem_slot, n,
                                 (j->limit_flags & NT_JOB_LIMIT_ACTIVE_PROCESS) ? j->active_limit
                                                                                : 0);
    }
}

static NTSTATUS nt_job_append(nt_job *j, nt_object *child)
{
    if (j->n == j->cap) {
        size_t cap = j->cap ? j->cap * 2 : 8;
        nt_object **p = realloc(j->procs, cap * sizeof *p);
        if (p)
            j->procs = p;
        int64_t *t = p ? realloc(j->user_time, cap * sizeof *t) : NULL;
        if (t)
            j->user_time = t;
        bool *k = t ? realloc(j->time_killed, cap * sizeof *k) : NULL;
        if (k)
            j->time_killed = k;
        bool *r = k ? realloc(j->reaped, cap * sizeof *r) : NULL;
        if (!r)
            return STATUS_NO_MEMORY;
        j->reaped = r;
        j->cap = cap;
    }
    nt_object_ref(child);
    j->user_time[j->n] = 0;
    j->time_killed[j->n] = false;
    j->reaped[j->n] = false;
    j->procs[j->n++] = child;
    return STATUS_SUCCESS;
}

/* ---- memory limits (job_memory.c keeps the accounting) ---- */

/* Under nt_job_lock: the process memory limit in effect for a member (child NULL: the caller),
 * the smallest of its jobs'; *which: the job that sets it. */
static uint64_t nt_job_process_limit(nt_object *child, nt_job **which)
{
    uint64_t limit = 0;
    *which = NULL;
    for (nt_job *j = nt_jobs; j; j = j->next)
        if ((j->limit_flags & NT_JOB_LIMIT_PROCESS_MEMORY) &&
            (child ? nt_job_has(j, child) : j->has_self) &&
            (!limit || j->process_memory_limit < limit)) {
            limit = j->process_memory_limit;
            *which = j;
        }
    return limit;
}

static int nt_job_mem_slot_of(nt_object *child)
{
    struct nt_child *c = child ? nt_child_from_object(child) : NULL;
    return child ? (c ? nt_child_mem_slot(c) : -1) : NT_JOBMEM_SELF;
}

/* Under nt_job_lock: a member's limit after its jobs or their limits changed. */
static void nt_job_mem_update(nt_object *child)
{
    nt_job *which;
    nt_jobmem_set_proc_limit(nt_job_mem_slot_of(child), nt_job_process_limit(child, &which));
}

/* Under nt_job_lock: a message to `j`'s port and to those of the jobs it is nested in, as
 * Windows sends a job's limit messages. */
static void nt_job_post_up(nt_job *j, uint32_t msg, uint32_t pid)
{
    for (; j; j = j->parent)
        nt_job_post(j, msg, pid);
}

void nt_job_memory_violation(nt_object *child, uint32_t violation)
{
    pthread_mutex_lock(&nt_job_lock);
    struct nt_child *c = child ? nt_child_from_object(child) : NULL;
    uint32_t pid = c ? nt_child_pid(c) : (uint32_t)getpid();
    nt_job *j = NULL;
    if (violation == 1) {
        nt_job_process_limit(child, &j);
        if (j)
            nt_job_post_up(j, NT_JOB_MSG_PROCESS_MEMORY_LIMIT, pid);
    } else {
        for (j = nt_jobs; j && j->mem_slot != (int)violation - 2; j = j->next)
            ;
        if (j)
            nt_job_post_up(j, NT_JOB_MSG_JOB_MEMORY_LIMIT, pid);
    }
    pthread_mutex_unlock(&nt_job_lock);
}

/* Under nt_job_lock: the child joins `j` and the jobs `j` is nested in (those it is not in
 * yet). Over an active-process limit of any of them the process is killed and added to none
 * (STATUS_QUOTA_EXCEEDED: ERROR_NOT_ENOUGH_QUOTA), and that job hears of it, as Windows does. */
static NTSTATUS nt_job_add(nt_job *j, nt_object *child)
{
    struct nt_child *c = nt_child_from_object(child);
    for (nt_job *k = j; k; k = k->parent)
        if (!nt_job_has(k, child) && (k->limit_flags & NT_JOB_LIMIT_ACTIVE_PROCESS) &&
            nt_job_active(k) >= k->active_limit) {
            nt_job_post(k, NT_JOB_MSG_ACTIVE_PROCESS_LIMIT, 0);
            if (c)
                nt_child_kill(c, NT_ERROR_NOT_ENOUGH_QUOTA); /* its exit code, as in NT */
            k->terminated++;
            return STATUS_QUOTA_EXCEEDED;
        }
    for (nt_job *k = j; k; k = k->parent) {
        if (nt_job_has(k, child))
            continue;
        NTSTATUS st = nt_job_append(k, child);
        if (st != STATUS_SUCCESS)
            return st;
        if (c) {
            nt_jobmem_join(nt_child_mem_slot(c), k->mem_slot);
            nt_job_post(k, NT_JOB_MSG_NEW_PROCESS, nt_child_pid(c));
        }
    }
    nt_job_mem_update(child);
    nt_job_share_active();
    return STATUS_SUCCESS;
}

/* The job a new child joins: the caller's, or, when it breaks away (JOB_OBJECT_LIMIT_
 * SILENT_BREAKAWAY_OK, or CREATE_BREAKAWAY_FROM_JOB with JOB_OBJECT_LIMIT_BREAKAWAY_OK), the
 * first job up the chain that does not let it go; NULL: none. Under nt_job_lock. */
static nt_job *nt_job_for_child(bool breakaway)
{
    nt_job *j = nt_self_job;
    while (j && ((j->limit_flags & NT_JOB_LIMIT_SILENT_BREAKAWAY_OK) ||
                 (breakaway && (j->limit_flags & NT_JOB_LIMIT_BREAKAWAY_OK))))
        j = j->parent;
    return j;
}

NTSTATUS nt_job_may_break_away(bool breakaway)
{
    pthread_mutex_lock(&nt_job_lock);
    nt_job *j = nt_self_job;
    if (!j) { /* perhaps in a job our parent hosts (job_memory.c) */
        pthread_mutex_unlock(&nt_job_lock);
        return nt_jobmem_may_break_away(breakaway);
    }
    bool denied = breakaway && j && !(j->limit_flags & (NT_JOB_LIMIT_BREAKAWAY_OK |
                                                        NT_JOB_LIMIT_SILENT_BREAKAWAY_OK));
    pthread_mutex_unlock(&nt_job_lock);
    return denied ? STATUS_ACCESS_DENIED : STATUS_SUCCESS;
}

NTSTATUS nt_job_adopt_child(nt_object *child, bool breakaway)
{
    NTSTATUS st = STATUS_SUCCESS;
    pthread_mutex_lock(&nt_job_lock);
    nt_job *j = nt_job_for_child(breakaway);
    if (j)
        st = nt_job_add(j, child);
    pthread_mutex_unlock(&nt_job_lock);
    return st;
}

void nt_job_child_exited(nt_object *child, uint32_t code)
{
    pthread_mutex_lock(&nt_job_lock);
    struct nt_child *c = nt_child_from_object(child);
    for (nt_job *j = nt_jobs; j && c; j = j->next) { /* every job of its chain hears of it */
        size_t i = 0;
        while (i < j->n && j->procs[i] != child)
            i++;
        if (i == j->n)
            continue;
        j->reaped[i] = true;
        if (!j->port)
            continue;
        /* an exception code (0xC...) is an abnormal end; a time limit's end has no message */
        if (!j->time_killed[i])
            nt_job_post(j, (code >> 30) == 3 ? NT_JOB_MSG_ABNORMAL_EXIT_PROCESS
                                             : NT_JOB_MSG_EXIT_PROCESS,
                        nt_child_pid(c));
        if (!nt_job_active(j))
            nt_job_post(j, NT_JOB_MSG_ACTIVE_PROCESS_ZERO, 0);
    }
    nt_job_share_active();
    nt_job *drop = nt_job_done_lingering();
    pthread_mutex_unlock(&nt_job_lock);
    nt_job_drop(drop);
}

/* What a member's own child told (job_memory.c "events"): the jobs of `jobs` (a mask of their
 * memory-area slots) get JOB_OBJECT_MSG_NEW_PROCESS, EXIT_PROCESS / ABNORMAL_EXIT_PROCESS and
 * then ACTIVE_PROCESS_ZERO when nothing runs any more, or ACTIVE_PROCESS_LIMIT for a child
 * refused by the limit, as for their members. */
void nt_job_descendant_event(uint32_t event, uint32_t pid, uint32_t code, uint64_t jobs,
                             uint32_t stamp)
{
    pthread_mutex_lock(&nt_job_lock);
    if (event == NT_JOBMEM_EV_MEMORY) { /* as nt_job_memory_violation does for a member */
        nt_job *which = NULL;
        for (nt_job *j = nt_jobs; j; j = j->next) {
            if (j->mem_slot < 0 || !((jobs >> j->mem_slot) & 1) ||
                !nt_jobmem_told_current(j->mem_slot, stamp))
                continue;
            if (code >= 2 ? j->mem_slot == (int)code - 2
                          : (j->limit_flags & NT_JOB_LIMIT_PROCESS_MEMORY) &&
                                (!which || j->process_memory_limit < which->process_memory_limit))
                which = j;
        }
        if (which)
            nt_job_post_up(which, code >= 2 ? NT_JOB_MSG_JOB_MEMORY_LIMIT
                                            : NT_JOB_MSG_PROCESS_MEMORY_LIMIT, pid);
        pthread_mutex_unlock(&nt_job_lock);
        return;
    }
    if (event == NT_JOBMEM_EV_EXIT) /* under nt_job_lock: counted as active until now */
        nt_jobmem_descendant_exit_posted(pid);
    for (nt_job *j = nt_jobs; j; j = j->next) {
        /* (an event composed before the job in its slot was made names a job gone since) */
        if (j->mem_slot < 0 || !((jobs >> j->mem_slot) & 1) ||
            !nt_jobmem_told_current(j->mem_slot, stamp))
            continue;
        switch (event) {
        case NT_JOBMEM_EV_NEW: nt_job_post(j, NT_JOB_MSG_NEW_PROCESS, pid); break;
        case NT_JOBMEM_EV_EXIT:
            nt_job_post(j, (code >> 30) == 3 ? NT_JOB_MSG_ABNORMAL_EXIT_PROCESS
                                             : NT_JOB_MSG_EXIT_PROCESS,
                        pid);
            if (!nt_job_active(j))
                nt_job_post(j, NT_JOB_MSG_ACTIVE_PROCESS_ZERO, 0);
            break;
        case NT_JOBMEM_EV_LIMIT:
            nt_job_post(j, NT_JOB_MSG_ACTIVE_PROCESS_LIMIT, 0);
            j->terminated++;
            break;
        }
    }
    nt_job *drop = event == NT_JOBMEM_EV_EXIT ? nt_job_done_lingering() : NULL;
    pthread_mutex_unlock(&nt_job_lock);
    nt_job_drop(drop);
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
    bool nest = false, already = false;
    pthread_mutex_lock(&nt_job_lock);
    nt_job *in = c ? nt_job_of(p) : nt_self_job;
    if (c && nt_child_has_exited(c))
        st = STATUS_PROCESS_IS_TERMINATING;
    else
        st = nt_job_can_join(j, in, &nest, &already);
    if (st == STATUS_SUCCESS && !already) {
        if (nest)
            j->parent = in; /* j is nested in the process's immediate job */
        if (c) {
            st = nt_job_add(j, p);
        } else { /* the caller: its children join j's whole chain from now on */
            for (nt_job *k = j; k; k = k->parent) {
                k->has_self = true;
                nt_jobmem_join(NT_JOBMEM_SELF, k->mem_slot);
            }
            nt_self_job = j;
            nt_job_mem_update(NULL);
            nt_job_share_active();
        }
        if (st != STATUS_SUCCESS && nest)
            j->parent = NULL;
    }
    pthread_mutex_unlock(&nt_job_lock);
    nt_object_release(p);
    nt_object_release(&j->hdr);
    return st;
}

/* ---- time limits ----
 * A watcher thread (native, signals blocked, running while some job has a time limit) reads
 * each member's user time every NT_JOB_TIME_TICK_MS from /proc/PID/stat, as Windows checks
 * periodically: a process over JOB_OBJECT_LIMIT_PROCESS_TIME is ended with
 * ERROR_NOT_ENOUGH_QUOTA and JOB_OBJECT_MSG_END_OF_PROCESS_TIME goes to the job's port; when
 * the members' total passes JOB_OBJECT_LIMIT_JOB_TIME, all of them are ended the same way
 * (JOB_OBJECT_TERMINATE_AT_END_OF_JOB, the default action), or, with JOB_OBJECT_POST_AT_END_OF_JOB
 * and a completion port, JOB_OBJECT_MSG_END_OF_JOB_TIME goes to the port, the limit is cancelled
 * and the processes go on. The caller's own time is not counted when it is in the job. The
 * members' own children (descendants, job_memory.c) are looked at too: one over the per-process
 * limit is ended the same way (its exit code ERROR_NOT_ENOUGH_QUOTA, END_OF_PROCESS_TIME with
 * its id, no exit message), and their time counts toward the job's while they run (not after:
 * TotalUserTime is the members'). */
#define NT_JOB_TIME_TICK_MS 10
static bool nt_job_timer_on;

/* The user-mode time of a process so far (100 ns units); 0 when it cannot be read. */
static int64_t nt_job_user_time(uint32_t pid)
{
    unsigned long long f[NT_STAT_FIELDS + 1];
    if (!nt_proc_stat(pid, f))
        return 0;
    long hz = sysconf(_SC_CLK_TCK);
    return (int64_t)(f[14] * (10000000ull / (unsigned long long)(hz > 0 ? hz : 100)));
}

/* Under nt_job_lock: one look at a job's members; true while it has a time limit. */
static bool nt_job_time_check(nt_job *j)
{
    bool per_process = j->limit_flags & NT_JOB_LIMIT_PROCESS_TIME;
    bool per_job = j->limit_flags & NT_JOB_LIMIT_JOB_TIME;
    if (!per_process && !per_job)
        return false;
    int64_t total = 0;
    for (size_t i = 0; i < j->n; i++) {
        struct nt_child *c = nt_child_from_object(j->procs[i]);
        if (c && !nt_child_has_exited(c)) {
            int64_t t = nt_job_user_time(nt_child_pid(c));
            if (t > j->user_time[i])
                j->user_time[i] = t;
        }
        total += j->user_time[i];
        if (per_process && c && !j->time_killed[i] && !nt_child_has_exited(c) &&
            j->user_time[i] > j->process_time_limit) {
            j->time_killed[i] = true;
            j->terminated++;
            /* posted first: the message is queued before a waiter sees the process end */
            nt_job_post(j, NT_JOB_MSG_END_OF_PROCESS_TIME, nt_child_pid(c));
            nt_child_kill(c, NT_ERROR_NOT_ENOUGH_QUOTA);
        }
    }
    /* the members' own children (job_memory.c "descendants"): each against the per-process
     * limit, and their time toward the job's while they run */
    uint32_t pids[128];
    size_t nd = nt_jobmem_job_descendants(j->mem_slot, pids, 128);
    for (size_t i = 0; i < nd && i < 128; i++) {
        int64_t t = nt_job_user_time(pids[i]);
        total += t;
        if (per_process && t > j->process_time_limit &&
            nt_jobmem_descendant_time_kill(pids[i], NT_ERROR_NOT_ENOUGH_QUOTA)) {
            j->terminated++;
            nt_job_post(j, NT_JOB_MSG_END_OF_PROCESS_TIME, pids[i]);
        }
    }
    if (per_job && total > j->job_time_limit && j->end_of_job_action == NT_JOB_POST_AT_END_OF_JOB &&
        j->port) { /* the processes go on: the limit is cancelled, the port hears of it */
        j->limit_flags &= ~(uint32_t)NT_JOB_LIMIT_JOB_TIME;
        j->job_time_limit = 0;
        nt_job_post(j, NT_JOB_MSG_END_OF_JOB_TIME, 0);
    } else if (per_job && total > j->job_time_limit) {
        for (size_t i = 0; i < j->n; i++) {
            struct nt_child *c = nt_child_from_object(j->procs[i]);
            if (c && !nt_child_has_exited(c) && !j->time_killed[i]) {
                j->time_killed[i] = true;
                j->terminated++;
                nt_child_kill(c, NT_ERROR_NOT_ENOUGH_QUOTA);
            }
        }
        nd = nt_jobmem_job_descendants(j->mem_slot, pids, 128);
        for (size_t i = 0; i < nd && i < 128; i++)
            if (nt_jobmem_descendant_time_kill(pids[i], NT_ERROR_NOT_ENOUGH_QUOTA))
                j->terminated++;
    }
    return true;
}

static void *nt_job_timer(void *unused)
{
    (void)unused;
    for (;;) {
        struct timespec ts = {0, NT_JOB_TIME_TICK_MS * 1000000L};
        nanosleep(&ts, NULL);
        pthread_mutex_lock(&nt_job_lock);
        bool any = false;
        for (nt_job *j = nt_jobs; j; j = j->next)
            any |= nt_job_time_check(j);
        if (!any)
            nt_job_timer_on = false; /* started again by the next time limit */
        /* (a member's child ended by a time limit tells no exit: a closed job may be done) */
        nt_job *drop = nt_job_done_lingering();
        pthread_mutex_unlock(&nt_job_lock);
        nt_job_drop(drop);
        if (!any)
            return NULL;
    }
}

/* Under nt_job_lock: the watcher runs. */
static void nt_job_timer_start(void)
{
    if (nt_job_timer_on)
        return;
    nt_job_timer_on = rt_service_thread_start(nt_job_timer, NULL, 64 * 1024, false) == 0;
}

NTSTATUS nt_job_set_time_limits(HANDLE job, int64_t per_process, int64_t per_job)
{
    nt_job *j;
    NTSTATUS st = nt_job_get(job, &j);
    if (st != STATUS_SUCCESS)
        return st;
    pthread_mutex_lock(&nt_job_lock);
    j->process_time_limit = per_process;
    j->job_time_limit = per_job;
    pthread_mutex_unlock(&nt_job_lock);
    nt_object_release(&j->hdr);
    return STATUS_SUCCESS;
}

NTSTATUS nt_job_set_end_of_job(HANDLE job, uint32_t action)
{
    if (action > NT_JOB_POST_AT_END_OF_JOB)
        return STATUS_INVALID_PARAMETER;
    nt_job *j;
    NTSTATUS st = nt_job_get(job, &j);
    if (st != STATUS_SUCCESS)
        return st;
    pthread_mutex_lock(&nt_job_lock);
    j->end_of_job_action = action;
    pthread_mutex_unlock(&nt_job_lock);
    nt_object_release(&j->hdr);
    return STATUS_SUCCESS;
}

NTSTATUS nt_job_set_limits(HANDLE job, uint32_t limit_flags, uint32_t active_limit,
                           uint64_t process_memory_limit, uint64_t job_memory_limit)
{
    nt_job *j;
    NTSTATUS st = nt_job_get(job, &j);
    if (st != STATUS_SUCCESS)
        return st;
    pthread_mutex_lock(&nt_job_lock);
    j->limit_flags = limit_flags;
    j->active_limit = active_limit;
    j->process_memory_limit = process_memory_limit;
    j->job_memory_limit = job_memory_limit;
    nt_jobmem_job_set_flags(j->mem_slot, limit_flags); /* members read the breakaway ones */
    nt_jobmem_job_set_limit(j->mem_slot,
                            (limit_flags & NT_JOB_LIMIT_JOB_MEMORY) ? job_memory_limit : 0);
    for (size_t i = 0; i < j->n; i++) /* the limit in effect for each member */
        nt_job_mem_update(j->procs[i]);
    if (j->has_self)
        nt_job_mem_update(NULL);
    nt_job_share_active();
    if (limit_flags & (NT_JOB_LIMIT_PROCESS_TIME | NT_JOB_LIMIT_JOB_TIME))
        nt_job_timer_start();
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
    nt_job_ending e = {0};
    pthread_mutex_lock(&nt_job_lock);
    nt_job_kill_members(j, exit_code, &e);
    bool self = j->has_self;
    pthread_mutex_unlock(&nt_job_lock);
    nt_job_end_members(&e);
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
    out->total_processes = (uint32_t)j->n + (j->has_self ? 1 : 0) +
                           nt_jobmem_job_descendants_total(j->mem_slot);
    out->active_processes = nt_job_active(j);
    out->active_limit = j->active_limit;
    out->terminated_processes = j->terminated;
    out->process_time_limit = j->process_time_limit;
    out->job_time_limit = j->job_time_limit;
    out->end_of_job_action = j->end_of_job_action;
    for (size_t i = 0; i < j->n; i++)
        out->total_user_time += j->user_time[i];
    out->limit_flags = j->limit_flags;
    out->process_memory_limit = j->process_memory_limit;
    out->job_memory_limit = j->job_memory_limit;
    nt_jobmem_job_query(j->mem_slot, &out->peak_process_memory, &out->peak_job_memory);
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
        *in = j ? of && nt_job_in_chain(j, of)
                : of != NULL || (!nt_child_from_object(p) && nt_jobmem_in_job());
        pthread_mutex_unlock(&nt_job_lock);
        nt_object_release(p);
    }
    if (j)
        nt_object_release(&j->hdr);
    return st;
}

NTSTATUS nt_job_pids(HANDLE job, uint32_t *pids, size_t max, size_t *count)
{
    nt_job *j;
    *count = 0;
    NTSTATUS st = nt_job_get(job, &j);
    if (st != STATUS_SUCCESS)
        return st;
    size_t n = 0;
    pthread_mutex_lock(&nt_job_lock);
    if (j->has_self && n++ < max)
        pids[n - 1] = (uint32_t)getpid();
    for (size_t i = 0; i < j->n; i++) {
        struct nt_child *c = nt_child_from_object(j->procs[i]);
        if (c && !nt_child_has_exited(c) && n++ < max)
            pids[n - 1] = nt_child_pid(c);
    }
    n += nt_jobmem_job_descendants(j->mem_slot, n < max ? pids + n : NULL, n < max ? max - n : 0);
    pthread_mutex_unlock(&nt_job_lock);
    nt_object_release(&j->hdr);
    *count = n;
    return STATUS_SUCCESS;
}
