/* SPDX-License-Identifier: MIT */
/* Job memory limits (JOB_OBJECT_LIMIT_PROCESS_MEMORY, JOB_OBJECT_LIMIT_JOB_MEMORY) and their
 * accounting (PeakProcessMemoryUsed, PeakJobMemoryUsed) across ntrun processes.
 *
 * A job lives in the process that made it; its members are other ntrun processes, which
 * commit their own memory. So the accounting is in shared memory: each process that starts
 * children or puts itself in a job hosts an area (a memfd, mapped shared) of process slots
 * and job slots. A child gets a process slot and the area's fd at spawn
 * (NTRUN_CHILD_JOBMEM=fd:slot); slot 0 stands for the host itself. A process slot holds its
 * committed bytes, its peak, its effective process memory limit (the smallest of its jobs')
 * and the job slots of its job chain; a job slot holds the job-wide limit, the committed bytes
 * of its members, its peak, and the peak of any one member. The host (ntemu/job.c) writes the
 * limits and the chains; each process charges its own commits (ntemu/virtual.c: private
 * memory committed with NtAllocateVirtualMemory, given back by decommit and release) with
 * atomic updates, and fails a commit over a limit with STATUS_COMMITMENT_LIMIT, as Windows
 * does. The violation is told to the host, which posts JOB_OBJECT_MSG_PROCESS_MEMORY_LIMIT or
 * JOB_OBJECT_MSG_JOB_MEMORY_LIMIT to the job's port: a child writes a record on its status
 * pipe (ntemu/process.c), the host itself calls ntemu/job.c.
 *
 * Not counted: the built-in heap's own mappings (thunks/ntdll/heap.c), section views, images
 * and thread stacks. A process's commit joins a job's when it is assigned and leaves it when
 * the process ends. A member's own children are in its jobs too (see "descendants" below). */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <poll.h>
#include <pthread.h>
#include <sys/eventfd.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "ntemu/ntemu_private.h"

#ifndef STATUS_QUOTA_EXCEEDED
#define STATUS_QUOTA_EXCEEDED ((NTSTATUS)0xC0000044)
#endif
#ifndef STATUS_COMMITMENT_LIMIT
#define STATUS_COMMITMENT_LIMIT ((NTSTATUS)0xC000012D) /* ERROR_COMMITMENT_LIMIT */
#endif

#ifndef SYS_pidfd_open
#define SYS_pidfd_open 434
#endif
#ifndef P_PIDFD
#define P_PIDFD 3
#endif

#define NT_JOBMEM_PROCS 128
#define NT_JOBMEM_JOBS 64
#define NT_JOBMEM_CHAIN 8

typedef struct nt_jobmem_job {
    _Atomic uint64_t limit;     /* the job memory limit, 0: none */
    _Atomic uint64_t used;      /* committed bytes of its members */
    _Atomic uint64_t peak;
    _Atomic uint64_t peak_proc; /* the peak of any one member */
    _Atomic uint32_t flags;     /* its limit flags (the breakaway ones matter to members) */
    _Atomic uint32_t grand_total; /* descendants that joined through a member */
    _Atomic uint32_t members;   /* the host's running members (it included), for the limit */
    _Atomic uint32_t active_limit; /* JOB_OBJECT_LIMIT_ACTIVE_PROCESS's count, 0: none */
} nt_jobmem_job;

typedef struct nt_jobmem_proc {
    _Atomic uint64_t limit;     /* the process memory limit in effect, 0: none */
    _Atomic uint64_t used;
    _Atomic uint64_t peak;
    _Atomic uint32_t jobs[NT_JOBMEM_CHAIN]; /* job slot + 1 of each job it is in; 0: no more */
    _Atomic uint32_t in_use;
    _Atomic uint32_t grand;     /* a descendant's slot, taken by its parent, itself a member */
    _Atomic int32_t pid;        /* a descendant's Linux pid, 0 until it runs */
    _Atomic uint32_t killed;    /* the host ended it (TerminateJobObject, kill on close) */
    _Atomic uint32_t kill_code; /* ... with this exit code */
    _Atomic uint32_t new_told;  /* a descendant: its JOB_OBJECT_MSG_NEW_PROCESS is on its way */
    _Atomic uint32_t exit_told; /* ... and its exit, on its way to the host ... */
    _Atomic uint32_t exit_done; /* ... and posted there: no longer active from then on (a job
                                   counts it until then, so JOB_OBJECT_MSG_ACTIVE_PROCESS_ZERO
                                   cannot come before its EXIT_PROCESS) */
} nt_jobmem_proc;

typedef struct nt_jobmem_area {
    nt_jobmem_proc procs[NT_JOBMEM_PROCS];
    nt_jobmem_job jobs[NT_JOBMEM_JOBS];
    _Atomic uint32_t job_in_use[NT_JOBMEM_JOBS];
    _Atomic uint32_t job_frees; /* job slots given back so far: an event's stamp (see "events") */
} nt_jobmem_area;

/* Where this process's commits are charged: the slot its parent gave it, and slot 0 of its own
 * area (when it has put itself in a job). */
static nt_jobmem_area *nt_jm_parent;
static int nt_jm_parent_slot = -1;
static int nt_jm_parent_fd = -1; /* kept for this process's own children (descendants) */
static nt_jobmem_area *nt_jm_host;
static int nt_jm_host_fd = -1;
static pthread_mutex_t nt_jm_lock = PTHREAD_MUTEX_INITIALIZER;
/* The descendants' events (see "events" below): the host's pipe, and the write end this
 * process was given for its own children's. */
static int nt_jm_ev_rd = -1, nt_jm_ev_wr = -1;
static int nt_jm_parent_ev = -1;
static void nt_jm_events_start(void);
static void nt_jm_self_new(void);
static uint64_t nt_jm_mask_of(const struct nt_jobmem_proc *p);
static uint64_t nt_jm_mask_stamped(nt_jobmem_area *a, const struct nt_jobmem_proc *p,
                                   uint32_t *stamp);
static bool nt_jm_tell(int fd, uint32_t event, uint32_t pid, uint32_t code, uint64_t jobs,
                       uint32_t stamp);
/* The host's count of job slots given back when each slot last was (job_frees then). */
static _Atomic uint32_t nt_jm_freed_at[NT_JOBMEM_JOBS];

static nt_jobmem_area *nt_jm_map(int fd)
{
    void *p = mmap(NULL, sizeof(nt_jobmem_area), PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    return p == MAP_FAILED ? NULL : p;
}

/* The area this process hosts, made on first use. */
static nt_jobmem_area *nt_jm_host_area(void)
{
    pthread_mutex_lock(&nt_jm_lock);
    if (!nt_jm_host) {
        int fd = memfd_create("ntrun-jobmem", MFD_CLOEXEC);
        if (fd >= 0 && ftruncate(fd, sizeof(nt_jobmem_area)) == 0 && (nt_jm_host = nt_jm_map(fd))) {
            nt_jm_host_fd = fd;
            atomic_store(&nt_jm_host->procs[0].in_use, 1); /* slot 0: the host */
            nt_jm_events_start();
        } else if (fd >= 0) {
            close(fd);
        }
    }
    pthread_mutex_unlock(&nt_jm_lock);
    return nt_jm_host;
}

/* A process slot of `a` given back: its commit leaves its jobs. */
static void nt_jm_release(nt_jobmem_area *a, int slot)
{
    nt_jobmem_proc *p = &a->procs[slot];
    uint64_t used = atomic_exchange(&p->used, 0);
    for (int k = 0; k < NT_JOBMEM_CHAIN; k++) {
        uint32_t js = atomic_exchange(&p->jobs[k], 0);
        if (js)
            atomic_fetch_sub(&a->jobs[js - 1].used, used);
    }
    atomic_store(&p->pid, 0);
    atomic_store(&p->grand, 0);
    atomic_store(&p->in_use, 0);
}

/* A free process slot of `a`, reset, or -1. */
static int nt_jm_take(nt_jobmem_area *a)
{
    for (int i = 1; i < NT_JOBMEM_PROCS; i++) {
        uint32_t free_ = 0;
        if (atomic_compare_exchange_strong(&a->procs[i].in_use, &free_, 1)) {
            nt_jobmem_proc *p = &a->procs[i];
            atomic_store(&p->limit, 0);
            atomic_store(&p->used, 0);
            atomic_store(&p->peak, 0);
            atomic_store(&p->grand, 0);
            atomic_store(&p->pid, 0);
            atomic_store(&p->killed, 0);
            atomic_store(&p->kill_code, 0);
            atomic_store(&p->new_told, 0);
            atomic_store(&p->exit_told, 0);
            atomic_store(&p->exit_done, 0);
            for (int k = 0; k < NT_JOBMEM_CHAIN; k++)
                atomic_store(&p->jobs[k], 0);
            return i;
        }
    }
    return -1;
}

void nt_jobmem_child_init(void)
{
    const char *v = getenv("NTRUN_CHILD_JOBMEM");
    int fd, slot, ev = -1;
    if (!v || sscanf(v, "%d:%d:%d", &fd, &slot, &ev) < 2 || slot <= 0 || slot >= NT_JOBMEM_PROCS)
        return;
    if (ev >= 0)
        fcntl(ev, F_SETFD, FD_CLOEXEC);
    nt_jm_parent = nt_jm_map(fd);
    if (nt_jm_parent) {
        nt_jm_parent_slot = slot;
        nt_jm_parent_fd = fd;
        nt_jm_parent_ev = ev;
        fcntl(fd, F_SETFD, FD_CLOEXEC);
        nt_jm_self_new(); /* a descendant: the host hears of it before it can end */
    } else {
        close(fd);
        if (ev >= 0)
            close(ev);
    }
}

int nt_jobmem_event_fd(bool descendant)
{
    return descendant ? nt_jm_parent_ev : nt_jm_ev_wr;
}

int nt_jobmem_child_slot(int *fd)
{
    *fd = -1;
    nt_jobmem_area *a = nt_jm_host_area();
    if (!a)
        return -1;
    int i = nt_jm_take(a);
    if (i >= 0)
        *fd = nt_jm_host_fd;
    return i;
}

void nt_jobmem_proc_gone(int slot)
{
    if (!nt_jm_host || slot <= 0 || slot >= NT_JOBMEM_PROCS)
        return;
    nt_jm_release(nt_jm_host, slot);
}

int nt_jobmem_job_new(void)
{
    /* the orphans of its members' trees become this process's children (see "orphans") */
    static atomic_bool subreaper;
    if (!atomic_exchange(&subreaper, true))
        prctl(PR_SET_CHILD_SUBREAPER, 1);
    nt_jobmem_area *a = nt_jm_host_area();
    for (int i = 0; a && i < NT_JOBMEM_JOBS; i++) {
        uint32_t free_ = 0;
        if (atomic_compare_exchange_strong(&a->job_in_use[i], &free_, 1)) {
            memset((void *)&a->jobs[i], 0, sizeof a->jobs[i]);
            return i;
        }
    }
    return -1;
}

void nt_jobmem_job_free(int js)
{
    if (!nt_jm_host || js < 0)
        return;
    for (int i = 0; i < NT_JOBMEM_PROCS; i++) /* no process charges it any more */
        for (int k = 0; k < NT_JOBMEM_CHAIN; k++) {
            uint32_t v = (uint32_t)js + 1;
            atomic_compare_exchange_strong(&nt_jm_host->procs[i].jobs[k], &v, 0);
        }
    /* an event stamped before this names the job going, not the next one in its slot */
    atomic_store(&nt_jm_freed_at[js], atomic_fetch_add(&nt_jm_host->job_frees, 1) + 1);
    atomic_store(&nt_jm_host->job_in_use[js], 0);
}

static void nt_jm_max(_Atomic uint64_t *v, uint64_t n)
{
    uint64_t cur = atomic_load(v);
    while (n > cur && !atomic_compare_exchange_weak(v, &cur, n))
        ;
}

void nt_jobmem_join(int slot, int js)
{
    if (!nt_jm_host || slot < 0 || slot >= NT_JOBMEM_PROCS || js < 0)
        return;
    nt_jobmem_proc *p = &nt_jm_host->procs[slot];
    for (int k = 0; k < NT_JOBMEM_CHAIN; k++) {
        uint32_t v = atomic_load(&p->jobs[k]);
        if (v == (uint32_t)js + 1)
            return;
        if (v)
            continue;
        atomic_store(&p->jobs[k], (uint32_t)js + 1);
        nt_jobmem_job *j = &nt_jm_host->jobs[js];
        uint64_t used = atomic_load(&p->used);
        nt_jm_max(&j->peak, atomic_fetch_add(&j->used, used) + used);
        nt_jm_max(&j->peak_proc, atomic_load(&p->peak));
        return;
    }
}

void nt_jobmem_set_proc_limit(int slot, uint64_t limit)
{
    if (nt_jm_host && slot >= 0 && slot < NT_JOBMEM_PROCS)
        atomic_store(&nt_jm_host->procs[slot].limit, limit);
}

void nt_jobmem_job_set_limit(int js, uint64_t limit)
{
    if (nt_jm_host && js >= 0)
        atomic_store(&nt_jm_host->jobs[js].limit, limit);
}

void nt_jobmem_job_query(int js, uint64_t *peak_process, uint64_t *peak_job)
{
    *peak_process = *peak_job = 0;
    if (nt_jm_host && js >= 0) {
        *peak_process = atomic_load(&nt_jm_host->jobs[js].peak_proc);
        *peak_job = atomic_load(&nt_jm_host->jobs[js].peak);
    }
}

/* Charges `bytes` to slot `slot` of `a` and its jobs: 0, or the violation (1: the process
 * limit; 2 + job slot: that job's limit), with nothing charged. */
static uint32_t nt_jm_charge_in(nt_jobmem_area *a, int slot, uint64_t bytes)
{
    nt_jobmem_proc *p = &a->procs[slot];
    uint64_t limit = atomic_load(&p->limit);
    uint64_t used = atomic_load(&p->used);
    if (limit && used + bytes > limit)
        return 1;
    int k;
    for (k = 0; k < NT_JOBMEM_CHAIN; k++) {
        uint32_t js = atomic_load(&p->jobs[k]);
        if (!js)
            break;
        nt_jobmem_job *j = &a->jobs[js - 1];
        uint64_t jl = atomic_load(&j->limit);
        uint64_t ju = atomic_fetch_add(&j->used, bytes) + bytes;
        if (jl && ju > jl) {
            atomic_fetch_sub(&j->used, bytes);
            while (k-- > 0) /* undo the jobs charged already */
                atomic_fetch_sub(&a->jobs[atomic_load(&p->jobs[k]) - 1].used, bytes);
            return 2 + js - 1;
        }
        nt_jm_max(&j->peak, ju);
    }
    uint64_t now = atomic_fetch_add(&p->used, bytes) + bytes;
    nt_jm_max(&p->peak, now);
    for (k = 0; k < NT_JOBMEM_CHAIN; k++) {
        uint32_t js = atomic_load(&p->jobs[k]);
        if (!js)
            break;
        nt_jm_max(&a->jobs[js - 1].peak_proc, now);
    }
    return 0;
}

static void nt_jm_uncharge_in(nt_jobmem_area *a, int slot, uint64_t bytes)
{
    nt_jobmem_proc *p = &a->procs[slot];
    uint64_t used = atomic_load(&p->used);
    if (bytes > used)
        bytes = used; /* (committed before the slot was watched) */
    atomic_fetch_sub(&p->used, bytes);
    for (int k = 0; k < NT_JOBMEM_CHAIN; k++) {
        uint32_t js = atomic_load(&p->jobs[k]);
        if (!js)
            break;
        atomic_fetch_sub(&a->jobs[js - 1].used, bytes);
    }
}

NTSTATUS nt_jobmem_charge(uint64_t bytes)
{
    uint32_t v = 0;
    bool self = nt_jm_host && atomic_load(&nt_jm_host->procs[0].jobs[0]);
    if (!bytes || (!nt_jm_parent && !self))
        return STATUS_SUCCESS;
    if (nt_jm_parent && (v = nt_jm_charge_in(nt_jm_parent, nt_jm_parent_slot, bytes))) {
        nt_jobmem_proc *p = &nt_jm_parent->procs[nt_jm_parent_slot];
        uint32_t stamp;
        uint64_t jobs = nt_jm_mask_stamped(nt_jm_parent, p, &stamp);
        if (atomic_load(&p->grand)) /* a descendant: its jobs' host hears of it directly */
            nt_jm_tell(nt_jm_parent_ev, NT_JOBMEM_EV_MEMORY, (uint32_t)getpid(), v, jobs, stamp);
        else /* a member: through its parent, the host */
            nt_process_report_memory_limit(v);
        return STATUS_COMMITMENT_LIMIT;
    }
    if (self && (v = nt_jm_charge_in(nt_jm_host, 0, bytes))) {
        if (nt_jm_parent)
            nt_jm_uncharge_in(nt_jm_parent, nt_jm_parent_slot, bytes);
        nt_job_memory_violation(NULL, v);
        return STATUS_COMMITMENT_LIMIT;
    }
    return STATUS_SUCCESS;
}

void nt_jobmem_uncharge(uint64_t bytes)
{
    if (!bytes)
        return;
    if (nt_jm_parent)
        nt_jm_uncharge_in(nt_jm_parent, nt_jm_parent_slot, bytes);
    if (nt_jm_host && atomic_load(&nt_jm_host->procs[0].jobs[0]))
        nt_jm_uncharge_in(nt_jm_host, 0, bytes);
}

/* ---- events ----
 * The host posts its jobs' port messages for the descendants of its members too: a descendant
 * tells of itself (JOB_OBJECT_MSG_NEW_PROCESS) as it starts, before any of the program runs,
 * and of its exit on its way out (so it is told even when its parent has gone), and of a
 * commit a job's memory limit refused (JOB_OBJECT_MSG_PROCESS_MEMORY_LIMIT or
 * JOB_MEMORY_LIMIT: its status pipe leads to its parent, not to the host); a parent tells
 * of a child ended by a signal (TerminateProcess), which could not; a parent refused a child
 * by an active-process limit tells of that. Each event is one 24-byte write (atomic) on a
 * pipe the host reads, passed down to every descendant with the area; it carries the jobs
 * (a mask of job slots) so it means the same after the slot is given back. A host's reaper
 * drains the pipe before it handles a member's exit: what the member's children told before
 * it ended comes first, as Windows orders the messages. A job keeps its slot while processes
 * are in it (ntemu/job.c: it lingers after its last handle until their exits are posted), and
 * each event is stamped besides with the area's count of job slots given back, read before
 * its jobs (again until the count holds still): the host takes a slot's bit for the job in it
 * only when that slot was last given back before the stamp, so an event that a process
 * composed before its job went (and wrote after, or the host read after) reaches no job that
 * took the slot since (nt_jobmem_told_current). */
typedef struct {
    uint32_t event, pid, code;
    uint32_t stamp; /* the area's job_frees when its jobs were read */
    uint64_t jobs;  /* bit n: job slot n */
} nt_jm_event;
_Static_assert(sizeof(nt_jm_event) == 24, "nt_jm_event");

static pthread_mutex_t nt_jm_ev_lock = PTHREAD_MUTEX_INITIALIZER;

static uint64_t nt_jm_mask_of(const nt_jobmem_proc *p)
{
    uint64_t m = 0;
    for (int k = 0; k < NT_JOBMEM_CHAIN; k++) {
        uint32_t js = atomic_load(&p->jobs[k]);
        if (!js)
            break;
        m |= 1ull << (js - 1);
    }
    return m;
}

/* p's jobs (a mask) read with `a`'s count of job slots given back (*stamp) as it was then. */
static uint64_t nt_jm_mask_stamped(nt_jobmem_area *a, const nt_jobmem_proc *p, uint32_t *stamp)
{
    uint64_t m;
    uint32_t before;
    do {
        before = atomic_load(&a->job_frees);
        m = nt_jm_mask_of(p);
    } while (atomic_load(&a->job_frees) != before);
    *stamp = before;
    return m;
}

bool nt_jobmem_told_current(int js, uint32_t stamp)
{
    return js >= 0 && js < NT_JOBMEM_JOBS &&
           (int32_t)(atomic_load(&nt_jm_freed_at[js]) - stamp) <= 0;
}

/* false when the event could not be sent (no pipe) */
static bool nt_jm_tell(int fd, uint32_t event, uint32_t pid, uint32_t code, uint64_t jobs,
                       uint32_t stamp)
{
    nt_jm_event e = {event, pid, code, stamp, jobs};
    return fd >= 0 && jobs && write(fd, &e, sizeof e) == (ssize_t)sizeof e;
}

/* ---- orphans ----
 * A descendant tells of its own exit on its way out, and its parent tells of one a signal
 * ended. One whose parent ended first and that a signal then ends (SIGKILL from outside, the
 * OOM killer) had nobody to tell, and its jobs never reached ACTIVE_PROCESS_ZERO. So a process
 * that makes a job becomes a child subreaper (PR_SET_CHILD_SUBREAPER, nt_jobmem_job_new): the
 * orphans of its members' trees become its own children. Its reader watches every descendant
 * it hears of (JOB_OBJECT_MSG_NEW_PROCESS) through a pidfd; when one ends and is now its child
 * (waitid P_PIDFD succeeds), it reaps it and tells its exit unless it told itself: the code is
 * the job's (TerminateJobObject) or the Linux status as a parent reads it (a signal:
 * nt_process_signal_code's). While its parent lives (ECHILD) the parent
 * reaps and tells; the watch stays, looked at again with every event and every member's end
 * (the parent may end before reaping it and leave the zombie to the host), until the parent
 * gives the slot back. Native processes of the tree that are no descendants (a member's
 * /bin/sh children) and end orphaned stay zombies of the host until it ends. */
typedef struct nt_jm_watch {
    int pid, pidfd;
    bool ended; /* its pidfd said so: out of the poll set, looked at by nt_jm_watch_check */
} nt_jm_watch;
static nt_jm_watch nt_jm_watches[NT_JOBMEM_PROCS]; /* nt_jm_ev_lock */
static int nt_jm_nwatch;
static _Atomic int nt_jm_watched[NT_JOBMEM_PROCS]; /* the pids watched (0: a free entry), read
                                                      without the lock (nt_jm_descendants) */
static int nt_jm_wake = -1; /* eventfd: the reader's poll set changed */

static bool nt_jm_is_watched(int pid)
{
    for (int k = 0; k < NT_JOBMEM_PROCS; k++)
        if (atomic_load(&nt_jm_watched[k]) == pid)
            return true;
    return false;
}

/* The host slot of a live descendant `pid`, or -1. */
static int nt_jm_slot_of(int pid)
{
    for (int i = 1; pid && i < NT_JOBMEM_PROCS; i++) {
        nt_jobmem_proc *p = &nt_jm_host->procs[i];
        if (atomic_load(&p->in_use) && atomic_load(&p->grand) && atomic_load(&p->pid) == pid)
            return i;
    }
    return -1;
}

/* Under nt_jm_ev_lock: watch a descendant the host has just heard of. */
static void nt_jm_watch_add(int pid)
{
    if (!nt_jm_host || !pid || nt_jm_nwatch == NT_JOBMEM_PROCS)
        return;
    int fd = (int)syscall(SYS_pidfd_open, pid, 0);
    if (fd < 0)
        return; /* gone already (its parent has reaped it and told), or no pidfds */
    fcntl(fd, F_SETFD, FD_CLOEXEC);
    for (int k = 0; k < NT_JOBMEM_PROCS; k++) {
        int none = 0;
        if (atomic_compare_exchange_strong(&nt_jm_watched[k], &none, pid))
            break;
    }
    nt_jm_watches[nt_jm_nwatch++] = (nt_jm_watch){pid, fd, false};
    uint64_t one = 1;
    (void)!write(nt_jm_wake, &one, sizeof one);
}

/* Under nt_jm_ev_lock: a descendant reaped by the host (`si`: its status): its exit told, as
 * its parent would have, unless it told itself; its slot given back. */
static void nt_jm_orphan_ended(int pid, const siginfo_t *si)
{
    int slot = nt_jm_slot_of(pid);
    if (slot < 0)
        return;
    nt_jobmem_proc *p = &nt_jm_host->procs[slot];
    uint32_t code;
    if (atomic_load(&p->killed))
        code = atomic_load(&p->kill_code);
    else if (si->si_code == CLD_KILLED || si->si_code == CLD_DUMPED)
        code = nt_process_signal_code(si->si_status, false);
    else
        code = (uint32_t)si->si_status;
    uint32_t no = 0, stamp;
    uint64_t jobs = nt_jm_mask_stamped(nt_jm_host, p, &stamp);
    if (atomic_load(&p->new_told) && atomic_compare_exchange_strong(&p->exit_told, &no, 1))
        nt_job_descendant_event(NT_JOBMEM_EV_EXIT, (uint32_t)pid, code, jobs, stamp);
    uint32_t one = 1;
    if (atomic_compare_exchange_strong(&p->grand, &one, 0))
        nt_jm_release(nt_jm_host, slot);
}

/* Under nt_jm_ev_lock: the watched descendants that have ended: reaped and told when they are
 * the host's children now, forgotten when their parent has reaped them (slot given back). */
static void nt_jm_watch_check(void)
{
    for (int i = 0; i < nt_jm_nwatch;) {
        nt_jm_watch *w = &nt_jm_watches[i];
        struct pollfd pfd = {.fd = w->pidfd, .events = POLLIN};
        if (!w->ended && !(poll(&pfd, 1, 0) == 1 && (pfd.revents & (POLLIN | POLLHUP)))) {
            i++;
            continue;
        }
        w->ended = true;
        siginfo_t si = {0};
        bool reaped = waitid((idtype_t)P_PIDFD, (id_t)w->pidfd, &si, WEXITED | WNOHANG) == 0 &&
                      si.si_pid != 0;
        if (reaped)
            nt_jm_orphan_ended(w->pid, &si);
        else if (nt_jm_slot_of(w->pid) >= 0) { /* its parent's still: it reaps and tells */
            i++;
            continue;
        }
        for (int k = 0; k < NT_JOBMEM_PROCS; k++) {
            int pid = w->pid;
            if (atomic_compare_exchange_strong(&nt_jm_watched[k], &pid, 0))
                break;
        }
        close(w->pidfd);
        nt_jm_watches[i] = nt_jm_watches[--nt_jm_nwatch];
        uint64_t one = 1; /* the reader may be polling the fd closed: it builds its set anew */
        (void)!write(nt_jm_wake, &one, sizeof one);
    }
}

/* Under nt_jm_ev_lock: the events waiting in the pipe, handed to ntemu/job.c. */
static void nt_jm_events_dispatch_locked(void)
{
    nt_jm_event e[16];
    ssize_t n;
    while ((n = read(nt_jm_ev_rd, e, sizeof e)) > 0)
        for (size_t i = 0; i < (size_t)n / sizeof e[0]; i++) {
            if (e[i].event == NT_JOBMEM_EV_NEW)
                nt_jm_watch_add((int)e[i].pid);
            nt_job_descendant_event(e[i].event, e[i].pid, e[i].code, e[i].jobs, e[i].stamp);
        }
    nt_jm_watch_check();
}

void nt_jobmem_descendant_exit_posted(uint32_t pid)
{
    int slot = nt_jm_host ? nt_jm_slot_of((int)pid) : -1;
    if (slot >= 0)
        atomic_store(&nt_jm_host->procs[slot].exit_done, 1);
}

void nt_jobmem_drain_events(void)
{
    if (nt_jm_ev_rd < 0)
        return;
    pthread_mutex_lock(&nt_jm_ev_lock);
    nt_jm_events_dispatch_locked();
    pthread_mutex_unlock(&nt_jm_ev_lock);
}

/* The host's reader (native, every signal blocked): waits for the pipe or a watched
 * descendant's end, then dispatches. */
static void *nt_jm_events_reader(void *arg)
{
    (void)arg;
    struct pollfd pfd[2 + NT_JOBMEM_PROCS];
    for (;;) {
        nfds_t n = 0;
        pfd[n++] = (struct pollfd){.fd = nt_jm_ev_rd, .events = POLLIN};
        pfd[n++] = (struct pollfd){.fd = nt_jm_wake, .events = POLLIN};
        pthread_mutex_lock(&nt_jm_ev_lock);
        for (int i = 0; i < nt_jm_nwatch; i++)
            if (!nt_jm_watches[i].ended)
                pfd[n++] = (struct pollfd){.fd = nt_jm_watches[i].pidfd, .events = POLLIN};
        pthread_mutex_unlock(&nt_jm_ev_lock);
        if (poll(pfd, n, -1) < 0 && errno != EINTR)
            return NULL;
        uint64_t v;
        if (pfd[1].revents & POLLIN)
            (void)!read(nt_jm_wake, &v, sizeof v);
        nt_jobmem_drain_events();
    }
}

/* Under nt_jm_lock, with the host's area new: its pipe and reader. Without them the jobs only
 * miss the descendants' messages. */
static void nt_jm_events_start(void)
{
    int fds[2];
    nt_jm_wake = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
    if (nt_jm_wake < 0)
        return;
    if (pipe2(fds, O_CLOEXEC | O_NONBLOCK) != 0) {
        close(nt_jm_wake);
        nt_jm_wake = -1;
        return;
    }
    fcntl(fds[1], F_SETFL, 0); /* writers block (a full pipe waits for the reader) */
    nt_jm_ev_rd = fds[0];
    nt_jm_ev_wr = fds[1];
    if (rt_service_thread_start(nt_jm_events_reader, NULL, 64 * 1024, false) != 0) {
        close(fds[0]);
        close(fds[1]);
        close(nt_jm_wake);
        nt_jm_ev_rd = nt_jm_ev_wr = nt_jm_wake = -1;
    }
}

/* A descendant starting: JOB_OBJECT_MSG_NEW_PROCESS for it. */
/* The descendant as it starts and its parent once CreateProcess has its pid both try: the
 * first tells, so the message is out before the parent's CreateProcess returns and before the
 * descendant can end. */
static void nt_jm_new(nt_jobmem_area *a, int slot, int pid)
{
    nt_jobmem_proc *p = &a->procs[slot];
    uint32_t no = 0, stamp;
    if (atomic_load(&p->grand) && atomic_compare_exchange_strong(&p->new_told, &no, 1)) {
        uint64_t jobs = nt_jm_mask_stamped(a, p, &stamp);
        nt_jm_tell(nt_jm_parent_ev, NT_JOBMEM_EV_NEW, (uint32_t)pid, 0, jobs, stamp);
    }
}

static void nt_jm_self_new(void)
{
    nt_jm_new(nt_jm_parent, nt_jm_parent_slot, getpid());
}

void nt_jobmem_descendant_new(int slot, int pid)
{
    if (nt_jm_parent && slot > 0 && slot < NT_JOBMEM_PROCS)
        nt_jm_new(nt_jm_parent, slot, pid);
}

/* $NTRUN_TEST_JOBMEM_EXIT_LATE_US (tests only, as NTRUN_TEST_ASYNC_LATE_US): a descendant
 * pauses this long between the exit message it composes (its jobs read) and its write, as a
 * process preempted there would: the host may close those jobs and make others meanwhile
 * (pe.process_job_closed_late). */
static void nt_jm_test_exit_late(void)
{
    const char *late = getenv("NTRUN_TEST_JOBMEM_EXIT_LATE_US");
    long us = late ? strtol(late, NULL, 10) : 0;
    if (us > 0 && us < 10000000) {
        struct timespec ts = {us / 1000000, (us % 1000000) * 1000};
        nanosleep(&ts, NULL);
    }
}

void nt_jobmem_self_exit(uint32_t code)
{
    if (!nt_jm_parent)
        return;
    nt_jobmem_proc *p = &nt_jm_parent->procs[nt_jm_parent_slot];
    uint32_t no = 0;
    if (!atomic_load(&p->grand) || !atomic_load(&p->new_told) ||
        !atomic_compare_exchange_strong(&p->exit_told, &no, 1))
        return;
    uint32_t stamp;
    uint64_t jobs = nt_jm_mask_stamped(nt_jm_parent, p, &stamp);
    nt_jm_test_exit_late();
    if (!nt_jm_tell(nt_jm_parent_ev, NT_JOBMEM_EV_EXIT, (uint32_t)getpid(), code, jobs, stamp))
        atomic_store(&p->exit_done, 1); /* (no message will come: not active any more) */
}

uint64_t nt_jobmem_descendant_exit_claim(int slot, int pid, uint32_t *stamp)
{
    *stamp = 0;
    if (!nt_jm_parent || slot <= 0 || slot >= NT_JOBMEM_PROCS)
        return 0;
    nt_jobmem_proc *p = &nt_jm_parent->procs[slot];
    uint32_t no = 0;
    if (atomic_load(&p->pid) != pid || !atomic_load(&p->new_told) ||
        !atomic_compare_exchange_strong(&p->exit_told, &no, 1))
        return 0;
    return nt_jm_mask_stamped(nt_jm_parent, p, stamp);
}

void nt_jobmem_descendant_exit_tell(uint64_t jobs, uint32_t stamp, int pid, uint32_t code)
{
    nt_jm_tell(nt_jm_parent_ev, NT_JOBMEM_EV_EXIT, (uint32_t)pid, code, jobs, stamp);
}

void nt_jobmem_job_set_active(int js, uint32_t members, uint32_t limit)
{
    if (nt_jm_host && js >= 0) {
        atomic_store(&nt_jm_host->jobs[js].members, members);
        atomic_store(&nt_jm_host->jobs[js].active_limit, limit);
    }
}

/* ---- descendants ----
 * A process in a job (one its parent hosts) starts its own children in that job: each gets a
 * slot in the same area (the host's), marked as a descendant, with the job chain of its parent
 * less the jobs it breaks away from. So the host sees them: it counts them, lists them, and
 * ends them (kill(2) of the pid in the slot) with the job; the parent gives the slot back when
 * it reaps the child, and the host when it finds the process gone (its parent killed too). */

#define NT_JOBMEM_BREAKAWAY_OK 0x800
#define NT_JOBMEM_SILENT_BREAKAWAY_OK 0x1000

/* The chain a child of this process joins: this process's own, less the innermost jobs that
 * let it go; the count of jobs (0: none). */
static int nt_jm_child_chain(bool breakaway, uint32_t chain[NT_JOBMEM_CHAIN])
{
    if (!nt_jm_parent)
        return 0;
    nt_jobmem_proc *self = &nt_jm_parent->procs[nt_jm_parent_slot];
    int n = 0;
    bool leaving = true;
    for (int k = 0; k < NT_JOBMEM_CHAIN; k++) {
        uint32_t js = atomic_load(&self->jobs[k]);
        if (!js)
            break;
        uint32_t fl = atomic_load(&nt_jm_parent->jobs[js - 1].flags);
        if (leaving && ((fl & NT_JOBMEM_SILENT_BREAKAWAY_OK) ||
                        (breakaway && (fl & NT_JOBMEM_BREAKAWAY_OK))))
            continue;
        leaving = false;
        chain[n++] = js;
    }
    return n;
}

bool nt_jobmem_in_job(void)
{
    return nt_jm_parent && atomic_load(&nt_jm_parent->procs[nt_jm_parent_slot].jobs[0]);
}

NTSTATUS nt_jobmem_may_break_away(bool breakaway)
{
    if (!breakaway || !nt_jobmem_in_job())
        return STATUS_SUCCESS;
    uint32_t js = atomic_load(&nt_jm_parent->procs[nt_jm_parent_slot].jobs[0]);
    uint32_t fl = atomic_load(&nt_jm_parent->jobs[js - 1].flags);
    return fl & (NT_JOBMEM_BREAKAWAY_OK | NT_JOBMEM_SILENT_BREAKAWAY_OK) ? STATUS_SUCCESS
                                                                          : STATUS_ACCESS_DENIED;
}

static bool nt_jm_alive(int pid);

/* Before a child of this process joins the jobs of its chain: STATUS_QUOTA_EXCEEDED when one
 * of them is at its active-process limit (its running members, the host's count, and the
 * descendants alive or starting, this process among them when it is one), that job told
 * (JOB_OBJECT_MSG_ACTIVE_PROCESS_LIMIT). */
NTSTATUS nt_jobmem_descendant_check(bool breakaway)
{
    uint32_t chain[NT_JOBMEM_CHAIN], stamp = 0;
    if (!nt_jm_parent)
        return STATUS_SUCCESS;
    int n;
    do { /* the chain read with the stamp of its time (see "events") */
        stamp = atomic_load(&nt_jm_parent->job_frees);
        n = nt_jm_child_chain(breakaway, chain);
    } while (atomic_load(&nt_jm_parent->job_frees) != stamp);
    for (int k = 0; k < n; k++) {
        nt_jobmem_job *j = &nt_jm_parent->jobs[chain[k] - 1];
        uint32_t limit = atomic_load(&j->active_limit);
        if (!limit)
            continue;
        uint32_t active = atomic_load(&j->members);
        for (int i = 1; i < NT_JOBMEM_PROCS && active < limit; i++) {
            nt_jobmem_proc *p = &nt_jm_parent->procs[i];
            if (!atomic_load(&p->in_use) || !atomic_load(&p->grand) ||
                atomic_load(&p->exit_told) || atomic_load(&p->killed))
                continue;
            bool in = false;
            for (int c = 0; c < NT_JOBMEM_CHAIN && !in; c++)
                in = atomic_load(&p->jobs[c]) == chain[k];
            int pid = atomic_load(&p->pid);
            if (in && (!pid || nt_jm_alive(pid)))
                active++;
        }
        if (active >= limit) {
            nt_jm_tell(nt_jm_parent_ev, NT_JOBMEM_EV_LIMIT, 0, 0, 1ull << (chain[k] - 1), stamp);
            return STATUS_QUOTA_EXCEEDED;
        }
    }
    return STATUS_SUCCESS;
}

int nt_jobmem_descendant_slot(bool breakaway, int *fd)
{
    uint32_t chain[NT_JOBMEM_CHAIN];
    *fd = -1;
    int n = nt_jm_child_chain(breakaway, chain);
    if (!n || nt_jm_parent_fd < 0)
        return -1;
    int i = nt_jm_take(nt_jm_parent);
    if (i < 0)
        return -1;
    nt_jobmem_proc *self = &nt_jm_parent->procs[nt_jm_parent_slot], *p = &nt_jm_parent->procs[i];
    if (atomic_load(&self->jobs[0]) == chain[0]) /* no job left: the same limit */
        atomic_store(&p->limit, atomic_load(&self->limit));
    for (int k = 0; k < n; k++) {
        atomic_store(&p->jobs[k], chain[k]);
        atomic_fetch_add(&nt_jm_parent->jobs[chain[k] - 1].grand_total, 1);
    }
    atomic_store(&p->grand, 1);
    *fd = nt_jm_parent_fd;
    return i;
}

void nt_jobmem_descendant_pid(int slot, int pid)
{
    if (nt_jm_parent && slot > 0 && slot < NT_JOBMEM_PROCS)
        atomic_store(&nt_jm_parent->procs[slot].pid, pid);
}

bool nt_jobmem_descendant_gone(int slot, int pid, uint32_t *kill_code)
{
    *kill_code = 0;
    if (!nt_jm_parent || slot <= 0 || slot >= NT_JOBMEM_PROCS)
        return false;
    nt_jobmem_proc *p = &nt_jm_parent->procs[slot];
    if (atomic_load(&p->pid) != pid) /* the host gave it back (and perhaps out) already */
        return false;
    bool killed = atomic_load(&p->killed);
    *kill_code = atomic_load(&p->kill_code);
    uint32_t one = 1;
    if (atomic_compare_exchange_strong(&p->grand, &one, 0))
        nt_jm_release(nt_jm_parent, slot);
    return killed;
}

/* Whether a descendant's process still runs (a zombie does not: its parent has gone). */
static bool nt_jm_alive(int pid)
{
    unsigned long long f[NT_STAT_FIELDS + 1];
    return nt_proc_stat((unsigned)pid, f) && f[3] != 'Z' && f[3] != 'X';
}

/* The live descendants in job slot `js` of the area this process hosts: their pids into
 * pids[max] (may be NULL), the count; `kill_code` >= 0: each is marked ended with that exit code
 * and added to *ends (*nends of them; killed at once when the list cannot grow). */
static size_t nt_jm_descendants(int js, uint32_t *pids, size_t max, int64_t kill_code,
                                nt_jobmem_end **ends, size_t *nends)
{
    size_t n = 0;
    if (!nt_jm_host || js < 0)
        return 0;
    for (int i = 1; i < NT_JOBMEM_PROCS; i++) {
        nt_jobmem_proc *p = &nt_jm_host->procs[i];
        if (!atomic_load(&p->in_use) || !atomic_load(&p->grand))
            continue;
        bool in = false;
        for (int k = 0; k < NT_JOBMEM_CHAIN && !in; k++)
            in = atomic_load(&p->jobs[k]) == (uint32_t)js + 1;
        int pid = atomic_load(&p->pid);
        if (!in || !pid)
            continue;
        /* Whether it runs, read before whether it told: a descendant sets exit_told before it
         * ends (nt_jobmem_self_exit), so one seen ended here is seen told below. Read the other
         * way round, one that tells and ends between the two reads looked neither told nor
         * alive, and a member's end handled then posted ACTIVE_PROCESS_ZERO before its
         * EXIT_PROCESS (pe.process_job_grand_port, run 3, ~1 run in 40). */
        bool alive = nt_jm_alive(pid);
        /* its exit told but not posted yet (it may have ended meanwhile): still active, so the
         * job's ACTIVE_PROCESS_ZERO comes after that EXIT_PROCESS, which counts again */
        if (atomic_load(&p->exit_told) && !atomic_load(&p->exit_done) &&
            !atomic_load(&p->killed)) {
            n++;
            continue;
        }
        if (!alive) {
            uint32_t one = 1; /* (its parent, which would, has gone too; one watched is the
                                 reader's to tell of and give back: see "orphans") */
            if (!nt_jm_is_watched(pid) && atomic_compare_exchange_strong(&p->grand, &one, 0))
                nt_jm_release(nt_jm_host, i);
            continue;
        }
        if (atomic_load(&p->killed) || atomic_load(&p->exit_told)) /* ended: not active */
            continue;
        if (kill_code >= 0) {
            atomic_store(&p->kill_code, (uint32_t)kill_code);
            atomic_store(&p->killed, 1);
            nt_jobmem_end *more = realloc(*ends, (*nends + 1) * sizeof *more);
            if (more) { /* (a pidfd: the id may not name it by the time it is ended) */
                *ends = more;
                more[(*nends)++] = (nt_jobmem_end){pid, (int)syscall(SYS_pidfd_open, pid, 0)};
            } else {
                kill(pid, SIGKILL);
            }
        }
        if (pids && n < max)
            pids[n] = (uint32_t)pid;
        n++;
    }
    return n;
}

size_t nt_jobmem_job_descendants(int js, uint32_t *pids, size_t max)
{
    return nt_jm_descendants(js, pids, max, -1, NULL, NULL);
}

size_t nt_jobmem_job_take(int js, uint32_t code, nt_jobmem_end **out)
{
    size_t n = 0;
    *out = NULL;
    nt_jm_descendants(js, NULL, 0, code, out, &n);
    return n;
}

void nt_jobmem_end_all(nt_jobmem_end *e, size_t n, uint32_t code)
{
    for (size_t i = 0; i < n; i++) {
        if (e[i].pidfd < 0)
            continue; /* gone before it was listed */
        nt_rc_terminate_pid(e[i].pid, code);
#ifdef SYS_pidfd_send_signal
        syscall(SYS_pidfd_send_signal, e[i].pidfd, SIGKILL, NULL, 0); /* should it run on */
#else
        kill(e[i].pid, SIGKILL);
#endif
        close(e[i].pidfd);
    }
    free(e);
}

bool nt_jobmem_descendant_time_kill(uint32_t pid, uint32_t code)
{
    int slot = nt_jm_host ? nt_jm_slot_of((int)pid) : -1;
    if (slot < 0)
        return false;
    nt_jobmem_proc *p = &nt_jm_host->procs[slot];
    atomic_store(&p->kill_code, code);
    atomic_store(&p->killed, 1);
    atomic_store(&p->exit_told, 1); /* nobody tells its exit */
    atomic_store(&p->exit_done, 1);
    kill((pid_t)pid, SIGKILL);
    return true;
}

uint32_t nt_jobmem_job_descendants_total(int js)
{
    return nt_jm_host && js >= 0 ? atomic_load(&nt_jm_host->jobs[js].grand_total) : 0;
}

void nt_jobmem_job_set_flags(int js, uint32_t flags)
{
    if (nt_jm_host && js >= 0)
        atomic_store(&nt_jm_host->jobs[js].flags, flags);
}
