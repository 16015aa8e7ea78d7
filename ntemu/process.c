/* SPDX-License-Identifier: MIT */
/* Processes: NtTerminateProcess, and child processes.
 *
 * A child Windows program runs in a process of its own: posix_spawn of the runtime's binary
 * (the `ntrun` CLI: /proc/self/exe when that is ntrun, else $NTRUN_EXE, else `ntrun` on PATH)
 * with the program's Linux path, after the options of this run a child keeps
 * (nt_process_set_child_options: --sud, --trace, --strict, --no-rewrite, --dll-path). What
 * Windows passes in the process parameters travels in the child's environment, read and
 * removed by the child before the program sees it:
 *   NTRUN_CHILD_CMDLINE     the command line exactly as given (GetCommandLine, the CRT's argv)
 *   NTRUN_CHILD_HANDLES     the inherited handles: "fd:handle:access" items separated by ','
 *                           (each open file or pipe end is given the child fd `fd` and is
 *                           re-created at the same handle value, as Windows keeps it); a
 *                           named pipe end adds ":P.../dcfd": its mode and state
 *                           (ntemu/pipe.c) and the fd of its disconnection eventfd (-1: none)
 *   NTRUN_CHILD_STATUS_FD   a pipe on which the child writes 8-byte records (a kind and a
 *                           32-bit value): its exit code at exit (the Linux exit status keeps
 *                           only the low 8 bits), and each job memory limit it hits
 *   NTRUN_CHILD_JOBMEM      "fd:slot:evfd": the parent's job memory area, the child's slot in
 *                           it and the pipe its jobs' host reads descendants' events from
 *                           (-1: none) (ntemu/job_memory.c)
 *   NTRUN_CTRL_C_IGNORED    "1": the Ctrl-C flag (SetConsoleCtrlHandler(NULL, TRUE),
 *                           CREATE_NEW_PROCESS_GROUP)
 *   NTRUN_C_DRIVE           the parent's C: directory (read by ntemu/path.c)
 *   NTRUN_CHILD_DRIVE_<L>   the parent's other drive mappings that are not the default ones
 *                           (empty: unmapped), applied over the child's defaults (path.c)
 *   NTRUN_CHILD_MESSAGE_FD  where the child writes ntrun's messages and trace lines: the
 *                           parent's destination (fd 2 of the first ntrun), not the child's
 *                           fd 2, which is the program's stderr (read by tools/ntrun.c)
 *   NTRUN_CHILD_RESUME_FD   CREATE_SUSPENDED: a pipe the child reads one byte from before it
 *                           runs anything of the program (NtResumeThread on the primary thread
 *                           writes it; EOF, the parent gone without resuming: the child exits)
 *   NTRUN_CHILD_CTL_FD      the child's end of its control channel: the parent's requests to
 *                           work in its memory and handle table (process_remote.c), served
 *                           from before the resume
 *   NTRUN_CHILD_UP_FD       the child's end of the channel the other way: the child's requests
 *                           to work in its parent (DuplicateHandle into the process handle of
 *                           its parent it inherited or opened), served by a thread of the
 *                           parent's for as long as the child holds its end
 *   NTRUN_CHILD_LISTEN_FD   the child's rendezvous socket (process_rendezvous.c): made here
 *                           before the spawn, bound to the child's pid and listening right
 *                           after it, accepted on by the child's runtime: other processes of
 *                           the user open the child by its id from then on
 * The standard handles become the child's fds 0, 1 and 2; the current directory is set with
 * posix_spawn's chdir action; the environment is the one given. Every fd the child gets is
 * first duplicated above the others in the parent, so the dup2 actions cannot overwrite one
 * another, and closed after the spawn.
 *
 * The parent's process object is waitable: a reaper thread (native, all signals blocked) reads
 * the status pipe until the child has closed it, reaps the child with waitpid and signals the
 * object. Exit code: what the child wrote; else the one TerminateProcess gave; else the Linux
 * status (its exit status, or for a signal nt_process_signal_code's).
 * The primary thread is a thread object of its own (nt_thread_new_remote, id = the child's
 * pid, as Linux numbers a main thread): resumable, waitable, its exit code the process's. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>
#include "ntemu/ntemu_private.h"

#define NT_STATUS_CONTROL_C_EXIT 0xC000013Au

static int nt_up_fd = -1; /* NTRUN_CHILD_UP_FD: our requests to our parent */

struct nt_child {
    nt_sync s;               /* type NT_OBJ_PROCESS */
    pid_t pid;
    int status_fd;           /* read end of the exit-code pipe, -1 once read */
    bool exited;             /* nt_wait_lock */
    bool terminated;         /* TerminateProcess: terminate_code wins */
    bool new_group;
    uint32_t exit_code;
    uint32_t terminate_code;
    int resume_fd;           /* CREATE_SUSPENDED: write end of the resume pipe, nt_child_lock */
    nt_thread_obj *thread;   /* the primary thread; the reaper's reference, nt_wait_lock */
    int mem_slot;            /* its slot in the job memory area (ntemu/job_memory.c), or -1 */
    int desc_slot;           /* or, when this process is in a job its parent hosts, its slot
                                in that job's area (a descendant of the job's members), or -1 */
    int ctl_fd;              /* the control channel (process_remote.c), -1: none */
    pthread_mutex_t ctl_lock;
    int pidfd;               /* a process that is not our child and has no rendezvous (a
                                Linux program): watched through its pidfd, -1 for a child */
    int watch_fd;            /* a process that is not our child, found through its rendezvous
                                (process_rendezvous.c): the watch that tells its exit code and
                                ends with it, -1: none */
    bool rdv;                /* ... and its control channel is made there on first use */
    bool told;               /* the watch told the exit code: exit_code */
    bool native;             /* our child is a Linux program (a shell command): no runtime */
    struct nt_child *next;   /* every child (nt_children) or other process (nt_others),
                                nt_child_lock */
};
typedef struct nt_child nt_child;

static pthread_mutex_t nt_child_lock = PTHREAD_MUTEX_INITIALIZER;
static nt_child *nt_children;
static nt_child *nt_others; /* processes that are not our children, while they run */

static nt_object *nt_self_process(void)
{
    nt_object *self = nt_process_object();
    nt_object_release(self); /* the object lives for good */
    return self;
}

static nt_child *nt_child_of(nt_object *o)
{
    return o && o->type == NT_OBJ_PROCESS && o != nt_self_process() ? (nt_child *)o : NULL;
}

nt_child *nt_child_from_object(nt_object *o) { return nt_child_of(o); }

uint32_t nt_child_pid(nt_child *c) { return (uint32_t)c->pid; }
int nt_child_mem_slot(nt_child *c) { return c->mem_slot; }

/* The records of the status pipe. */
#define NT_CHILD_REC_EXIT 0
#define NT_CHILD_REC_MEMORY 1 /* value: the violation (ntemu/job_memory.c) */

bool nt_child_has_exited(nt_child *c)
{
    pthread_mutex_lock(&nt_wait_lock);
    bool e = c->exited;
    pthread_mutex_unlock(&nt_wait_lock);
    return e;
}

bool nt_process_signalled(nt_object *o)
{
    nt_child *c = nt_child_of(o);
    return c && c->exited;
}

/* Under nt_child_lock: takes c off `list` if it is there. */
static void nt_child_unlink(nt_child **list, nt_child *c)
{
    for (nt_child **p = list; *p; p = &(*p)->next)
        if (*p == c) {
            *p = c->next;
            break;
        }
}

static void nt_child_destroy(nt_object *o)
{
    nt_child *c = (nt_child *)o;
    pthread_mutex_lock(&nt_child_lock);
    nt_child_unlink(&nt_children, c);
    nt_child_unlink(&nt_others, c);
    pthread_mutex_unlock(&nt_child_lock);
    int fds[] = {c->resume_fd, c->ctl_fd, c->pidfd, c->watch_fd};
    for (size_t i = 0; i < sizeof fds / sizeof fds[0]; i++)
        if (fds[i] >= 0)
            close(fds[i]);
    pthread_mutex_destroy(&c->ctl_lock);
    free(c);
}

/* A new process object (a child, or another process), every fd -1. */
static nt_child *nt_child_alloc(pid_t pid)
{
    nt_child *c = calloc(1, sizeof *c);
    if (!c)
        return NULL;
    nt_object_init(&c->s.hdr, NT_OBJ_PROCESS, nt_child_destroy);
    c->pid = pid;
    c->status_fd = c->resume_fd = c->ctl_fd = c->pidfd = c->watch_fd = -1;
    c->mem_slot = c->desc_slot = -1;
    pthread_mutex_init(&c->ctl_lock, NULL);
    return c;
}

/* Has the process of a watch ended (its end of the connection closed)? Its id may then be
 * another process's already. */
static bool nt_watch_hung_up(int fd)
{
    struct pollfd p = {.fd = fd, .events = POLLIN};
    return poll(&p, 1, 0) > 0 && (p.revents & (POLLHUP | POLLERR)) != 0;
}

int nt_child_ctl_begin(nt_child *c)
{
    if (c->ctl_fd < 0 && !c->rdv)
        return -1;
    if (nt_child_has_exited(c))
        return -2;
    pthread_mutex_lock(&c->ctl_lock);
    if (c->ctl_fd < 0) { /* another process's channel, made on first use at its rendezvous */
        bool ended = false;
        uint32_t code;
        int fd = nt_watch_hung_up(c->watch_fd) ? -1 : nt_rdv_connect(c->pid, 'C', &ended, &code);
        if (fd >= 0 && (ended || nt_watch_hung_up(c->watch_fd))) { /* (not a new process of
                                                                       the same id) */
            close(fd);
            fd = -1;
        }
        if (fd < 0) {
            pthread_mutex_unlock(&c->ctl_lock);
            return -2;
        }
        c->ctl_fd = fd;
    }
    return c->ctl_fd;
}

void nt_child_ctl_end(nt_child *c)
{
    pthread_mutex_unlock(&c->ctl_lock);
}

void nt_child_ctl_drop(nt_child *c)
{
    if (c->ctl_fd >= 0 && c->ctl_fd != nt_up_fd) /* (the channel to our parent stays) */
        close(c->ctl_fd);
    c->ctl_fd = -1;
}

/* ---- the primary thread ---- */

static void nt_child_resume(void *ctx)
{
    nt_child *c = ctx;
    pthread_mutex_lock(&nt_child_lock);
    if (c->resume_fd >= 0) {
        char go = 1;
        ssize_t w = write(c->resume_fd, &go, 1);
        (void)w; /* EPIPE: the child is gone already */
        close(c->resume_fd);
        c->resume_fd = -1;
    }
    pthread_mutex_unlock(&nt_child_lock);
}


static void nt_child_terminate_thread(void *ctx, uint32_t code)
{
    nt_child_kill(ctx, code);
}

static void nt_child_release(void *ctx)
{
    nt_child *c = ctx;
    nt_object_release(&c->s.hdr);
}

static const nt_remote_thread_ops nt_child_thread_ops = {
    .resume = nt_child_resume,
    .terminate = nt_child_terminate_thread,
    .release = nt_child_release,
};

/* Under nt_wait_lock: a running child is being terminated with `status` (the first
 * termination wins). Recorded before the child is asked or killed: its reaper may run as soon
 * as the child has gone, before the terminating thread runs again, and must find the code then.
 * (Recorded after the child's answer, a child that ended itself without telling its code, one
 * suspended or still starting, read 1, the code of a process killed from outside, when its
 * reaper ran first: pe.process_job_nested's B, "ended with 1", about 1 run in 15 under load.)
 * False when it has ended already. */
static bool nt_child_mark_terminated(nt_child *c, uint32_t status)
{
    if (c->exited)
        return false;
    if (!c->terminated) {
        c->terminated = true;
        c->terminate_code = status;
    }
    return true;
}

/* Kills the child (TerminateProcess, TerminateJobObject): its exit code is `status`. */
void nt_child_kill(nt_child *c, uint32_t status)
{
    pthread_mutex_lock(&nt_wait_lock);
    if (nt_child_mark_terminated(c, status))
        kill(c->pid, SIGKILL);
    pthread_mutex_unlock(&nt_wait_lock);
}

/* Ends the child as TerminateProcess does (a job's kill on close, TerminateJobObject): an ntrun
 * child is asked to end itself with `status` first, so the other processes that watch it read
 * that code (not the 1 of a process killed from outside), then it is killed should it not have
 * ended. The code is ours from before the request (nt_child_mark_terminated). Waits for the
 * child's answer (at most 5 s): no lock may be held. */
void nt_child_end(nt_child *c, uint32_t status)
{
    pthread_mutex_lock(&nt_wait_lock);
    bool running = nt_child_mark_terminated(c, status);
    pthread_mutex_unlock(&nt_wait_lock);
    if (!running)
        return;
    if (!c->native)
        nt_rc_terminate(c, status);
    nt_child_kill(c, status);
}

static int nt_pidfd_send_kill(int pidfd)
{
#ifdef SYS_pidfd_send_signal
    return (int)syscall(SYS_pidfd_send_signal, pidfd, SIGKILL, NULL, 0);
#else
    (void)pidfd;
    errno = ENOSYS;
    return -1;
#endif
}

/* TerminateProcess of a process that is not our child: an ntrun process ends itself on the
 * request (its watchers and its parent learn the code); another one is killed through its
 * pidfd (its code then is only ours to know). */
static NTSTATUS nt_other_terminate(nt_child *c, uint32_t code)
{
    if (nt_child_has_exited(c))
        return STATUS_ACCESS_DENIED; /* Windows: a process that has ended cannot be terminated */
    NTSTATUS st = STATUS_SUCCESS;
    if (c->rdv || c->ctl_fd >= 0) {
        st = nt_rc_terminate(c, code);
        if (st == STATUS_PROCESS_IS_TERMINATING) /* it went before it answered */
            st = STATUS_SUCCESS;
    } else if (nt_pidfd_send_kill(c->pidfd) != 0) {
        st = nt_status_from_errno(errno);
    }
    if (st == STATUS_SUCCESS) {
        pthread_mutex_lock(&nt_wait_lock);
        if (!c->terminated) {
            c->terminated = true;
            c->terminate_code = code;
        }
        pthread_mutex_unlock(&nt_wait_lock);
    }
    return st;
}

/* NtCurrentProcess() ends the process with `status` as its exit code. NULL means "every thread
 * but the caller" on Windows (ExitProcess calls it before detaching DLLs); ntrun treats it as
 * the current process. A child's handle: the child is killed (SIGKILL), its exit code `status`. */
NTSTATUS NTAPI NtTerminateProcess(HANDLE process, NTSTATUS status)
{
    nt_object *obj;
    NTSTATUS st;
    if (process == NULL || process == NtCurrentProcess())
        rt_terminate_process((uint32_t)status); /* no DLL detach, no CRT: at once */
    st = nt_handle_get(process, NT_OBJ_PROCESS, &obj);
    if (st != STATUS_SUCCESS)
        return st == STATUS_OBJECT_TYPE_MISMATCH ? st : STATUS_INVALID_HANDLE;
    if ((st = nt_handle_access(process, obj, 0x1 /* PROCESS_TERMINATE */)) != STATUS_SUCCESS) {
        nt_object_release(obj);
        return st;
    }
    nt_child *c = nt_child_of(obj);
    if (!c) {
        nt_object_release(obj);
        rt_terminate_process((uint32_t)status);
    }
    if (c->rdv || c->pidfd >= 0) { /* a process that is not our child */
        st = nt_other_terminate(c, (uint32_t)status);
        nt_object_release(obj);
        return st;
    }
    /* an ntrun child tells its code to whoever watches it (other processes that opened it),
     * then it is killed, as before, should it not have ended by then; the code is ours from
     * before the request (nt_child_mark_terminated) */
    pthread_mutex_lock(&nt_wait_lock);
    bool running = nt_child_mark_terminated(c, (uint32_t)status);
    pthread_mutex_unlock(&nt_wait_lock);
    if (!running)
        st = STATUS_ACCESS_DENIED; /* Windows: a process that has ended cannot be terminated */
    else if (!c->native)
        nt_rc_terminate(c, (uint32_t)status);
    if (running)
        nt_child_kill(c, (uint32_t)status);
    nt_object_release(obj);
    return st;
}

/* ---- the reaper ---- */

static void *nt_child_reaper(void *arg)
{
    nt_child *c = arg;
    uint32_t reported = 0, rec[2];
    bool have_code = false;
    size_t got = 0;
    for (;;) { /* records until the exit code, or the end */
        ssize_t n = read(c->status_fd, (char *)rec + got, sizeof rec - got);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            break;
        got += (size_t)n;
        if (got < sizeof rec)
            continue;
        got = 0;
        if (rec[0] == NT_CHILD_REC_MEMORY) {
            nt_job_memory_violation(&c->s.hdr, rec[1]);
            continue;
        }
        reported = rec[1];
        have_code = true;
        break;
    }
    close(c->status_fd);
    c->status_fd = -1;
    int wst = 0;
    while (waitpid(c->pid, &wst, 0) < 0 && errno == EINTR)
        ;
    uint32_t code;
    if (WIFSIGNALED(wst))
        code = nt_process_signal_code(WTERMSIG(wst), c->native);
    else
        code = (uint32_t)WEXITSTATUS(wst);
    if (have_code)
        code = reported;
    /* a member of a job we host: what its own children told before it ended comes first */
    if (c->mem_slot >= 0)
        nt_jobmem_drain_events();
    /* a descendant in a job our parent (or further up) hosts: its exit, unless it told */
    uint32_t tell_stamp = 0;
    uint64_t tell_jobs = c->desc_slot >= 0
                             ? nt_jobmem_descendant_exit_claim(c->desc_slot, c->pid, &tell_stamp)
                             : 0;
    uint32_t kill_code; /* ended with the job its parent (our parent) hosts: that job's code */
    if (c->desc_slot >= 0 && nt_jobmem_descendant_gone(c->desc_slot, c->pid, &kill_code) &&
        !have_code)
        code = kill_code;
    c->desc_slot = -1;
    if (tell_jobs)
        nt_jobmem_descendant_exit_tell(tell_jobs, tell_stamp, c->pid,
                                       c->terminated ? c->terminate_code : code);
    pthread_mutex_lock(&nt_wait_lock);
    c->exit_code = c->terminated ? c->terminate_code : code;
    c->exited = true;
    nt_sync_wake(&c->s);
    nt_thread_obj *t = c->thread;
    c->thread = NULL;
    if (t) { /* the primary thread ends with the process */
        t->exit_code = c->exit_code;
        t->exited = true;
        nt_sync_wake(&t->s);
    }
    uint32_t final_code = c->exit_code;
    pthread_mutex_unlock(&nt_wait_lock);
    nt_job_child_exited(&c->s.hdr, final_code);
    nt_jobmem_proc_gone(c->mem_slot); /* its commit leaves its jobs */
    if (t)
        nt_object_release(&t->s.hdr);
    nt_object_release(&c->s.hdr);
    return NULL;
}

static int nt_start_reaper(nt_child *c)
{
    nt_object_ref(&c->s.hdr);
    int r = rt_service_thread_start(nt_child_reaper, c, 64 * 1024, false);
    if (r != 0)
        nt_object_release(&c->s.hdr);
    return -r;
}

/* ---- spawning ---- */

static char nt_runtime_exe[4096]; /* nt_process_set_runtime_exe */

static const char *(*nt_runtime_exe_finder)(void); /* nt_process_set_runtime_exe_finder */

void nt_process_set_runtime_exe(const char *path)
{
    snprintf(nt_runtime_exe, sizeof nt_runtime_exe, "%s", path ? path : "");
}

void nt_process_set_runtime_exe_finder(const char *(*find)(void))
{
    nt_runtime_exe_finder = find;
}

/* The runtime's binary: /proc/self/exe when it is the ntrun CLI, else the one the embedding
 * library found for its own children (nt_process_set_runtime_exe), else $NTRUN_EXE, else
 * "ntrun" (looked up on PATH). */
/* Is this process the ntrun CLI (not a libntrun host)? Its path when it is, else NULL. */
static const char *nt_self_cli(void)
{
    static char self[4096];
    ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
    if (n <= 0)
        return NULL;
    self[n] = 0;
    const char *base = strrchr(self, '/');
    base = base ? base + 1 : self;
    return strcmp(base, "ntrun") ? NULL : self;
}

static const char *nt_launcher(bool *search)
{
    *search = false;
    const char *self = nt_self_cli();
    if (self)
        return self;
    if (nt_runtime_exe[0])
        return nt_runtime_exe;
    const char *found = nt_runtime_exe_finder ? nt_runtime_exe_finder() : NULL;
    if (found && *found)
        return found;
    const char *env = getenv("NTRUN_EXE");
    if (env && *env)
        return env;
    *search = true;
    return "ntrun";
}

/* ---- what a child ntrun inherits of this run ---- */

#define NT_CHILD_OPTS_MAX 8
static char *nt_child_opts[NT_CHILD_OPTS_MAX]; /* nt_process_set_child_options */
static int nt_child_nopts;
static pthread_mutex_t nt_child_opts_lock = PTHREAD_MUTEX_INITIALIZER;

void nt_process_set_child_options(const char *const *opts, int n)
{
    pthread_mutex_lock(&nt_child_opts_lock);
    for (int i = 0; i < nt_child_nopts; i++)
        free(nt_child_opts[i]);
    nt_child_nopts = 0;
    for (int i = 0; i < n && nt_child_nopts < NT_CHILD_OPTS_MAX; i++)
        if ((nt_child_opts[nt_child_nopts] = strdup(opts[i])))
            nt_child_nopts++;
    pthread_mutex_unlock(&nt_child_opts_lock);
}

typedef struct nt_fd_plan {
    int *src;            /* parent fds (duplicates, closed after the spawn): the handles (as many
                            as the parent has inheritable: PostgreSQL's children inherit a few
                            hundred, each semaphore two fds), a pipe end's eventfd with each, the
                            std, status, resume, job and message fds */
    int *dst;            /* child fds */
    size_t n, cap;
    int next_fd;         /* the next child fd for an inherited handle */
    const HANDLE *only;  /* a handle list: inherit only these */
    size_t only_count;
    nt_sbuf handles;     /* NTRUN_CHILD_HANDLES */
    HANDLE std[3];       /* the child's std handles, as the parent names them */
    bool std_inherited[3]; /* ... and which of them the child inherits (NTRUN_CHILD_STD) */
    NTSTATUS error;
} nt_fd_plan;

/* Duplicates `fd` high in the parent for the child's fd `dst`. The plan grows as needed: a
 * handle left out would be an invalid handle in the child (ERROR_INVALID_HANDLE there, as
 * PostgreSQL's backends got when a fixed table of 1032 fds ran out), so a failure here fails
 * the whole CreateProcess instead (p->error). */
static bool nt_plan_fd(nt_fd_plan *p, int fd, int dst)
{
    if (p->n == p->cap) {
        size_t cap = p->cap ? 2 * p->cap : 64;
        int *src = realloc(p->src, cap * sizeof *src);
        if (src)
            p->src = src;
        int *d = src ? realloc(p->dst, cap * sizeof *d) : NULL;
        if (!d) {
            p->error = STATUS_NO_MEMORY;
            return false;
        }
        p->dst = d;
        p->cap = cap;
    }
    int d = fcntl(fd, F_DUPFD_CLOEXEC, 256);
    if (d < 0) {
        p->error = nt_status_from_errno(errno);
        return false;
    }
    p->src[p->n] = d;
    p->dst[p->n] = dst;
    p->n++;
    return true;
}

/* The spawn makes the child's fds by dup2 in the plan's order, so no source may be one of the
 * destinations: an earlier dup2 would have put another file there before it is read (the child
 * then finds, say, an eventfd where its parent's process watch should be, and PostgreSQL's
 * children took the postmaster for dead). The sources were taken at 256 and up, but a parent
 * with many fds (the postmaster has ~760) has gaps there, and fds closed while the plan was made
 * (exports' duplicates, a watcher pruned) make more, so a source may sit below a destination;
 * such a source moves above the highest destination. */
static bool nt_plan_lift(nt_fd_plan *p)
{
    int top = 0;
    for (size_t i = 0; i < p->n; i++)
        if (p->dst[i] > top)
            top = p->dst[i];
    for (size_t i = 0; i < p->n; i++) {
        if (p->src[i] > top)
            continue;
        int d = fcntl(p->src[i], F_DUPFD_CLOEXEC, top + 1);
        if (d < 0) {
            p->error = nt_status_from_errno(errno);
            return false;
        }
        close(p->src[i]);
        p->src[i] = d;
    }
    return true;
}

/* An inherited section, process or synchronisation object's handle: its fd(s) and description
 * (process_remote.c). */
static void nt_plan_inherit_object(nt_fd_plan *p, HANDLE h, nt_object *obj)
{
    char desc[128], item[192];
    int fds[2];
    if (nt_object_export(obj, desc, sizeof desc, fds) && nt_plan_fd(p, fds[0], p->next_fd)) {
        int fd = p->next_fd++, second = -1; /* (a mutant's or semaphore's shared page) */
        if (fds[1] >= 0 && nt_plan_fd(p, fds[1], p->next_fd))
            second = p->next_fd++;
        snprintf(item, sizeof item, "%s%d:%lu:%lu:%s/%d", p->handles.len ? "," : "", fd,
                 (unsigned long)(uintptr_t)h,
                 (unsigned long)nt_object_default_access(obj), desc, second); /* (the table is
                                                                                 locked) */
        nt_sb_adds(&p->handles, item);
    }
    for (int i = 0; i < 2; i++)
        if (fds[i] >= 0)
            close(fds[i]);
}

static void nt_plan_inherit(HANDLE h, nt_object *obj, void *ctx)
{
    nt_fd_plan *p = ctx;
    if (p->error)
        return; /* (the spawn fails) */
    if (p->only) {
        size_t i = 0;
        while (i < p->only_count && p->only[i] != h)
            i++;
        if (i == p->only_count)
            return;
    }
    if (obj->type == NT_OBJ_SECTION || obj->type == NT_OBJ_PROCESS ||
        obj->type == NT_OBJ_EVENT || obj->type == NT_OBJ_SEMAPHORE || obj->type == NT_OBJ_MUTANT ||
        obj->type == NT_OBJ_TIMER) {
        nt_plan_inherit_object(p, h, obj);
        return;
    }
    if (obj->type != NT_OBJ_FILE)
        return; /* events, mutants, ...: one process's objects */
    nt_file *f = (nt_file *)obj;
    if (f->fd < 0)
        return;
    int dst = p->next_fd;
    if (!nt_plan_fd(p, f->fd, dst))
        return;
    p->next_fd++;
    char item[160], desc[96];
    int dc = -1;
    int n = snprintf(item, sizeof item, "%s%d:%lu:%lu", p->handles.len ? "," : "", dst,
                     (unsigned long)(uintptr_t)h, (unsigned long)f->access);
    if (nt_pipe_inherit_desc(f, desc, sizeof desc, &dc)) { /* a named pipe end: its mode too */
        int dc_dst = dc >= 0 && nt_plan_fd(p, dc, p->next_fd) ? p->next_fd++ : -1;
        snprintf(item + n, sizeof item - (size_t)n, ":%s/%d", desc, dc_dst);
    }
    nt_sb_adds(&p->handles, item);
    for (int i = 0; i < 3; i++)
        if (p->std[i] == h)
            p->std_inherited[i] = true;
}

static char *nt_env_item(const char *name, const char *value)
{
    size_t n = strlen(name) + strlen(value) + 2;
    char *s = malloc(n);
    if (s)
        snprintf(s, n, "%s=%s", name, value);
    return s;
}

NTSTATUS nt_process_spawn(const nt_spawn *sp, HANDLE *process, uint32_t *pid_out)
{
    nt_fd_plan plan = {.next_fd = 10, .only = sp->inherit_list, .only_count = sp->inherit_count,
                       .std = {sp->std_handles[0], sp->std_handles[1], sp->std_handles[2]}};
    NTSTATUS st = STATUS_SUCCESS;
    int status_pipe[2] = {-1, -1}, resume_pipe[2] = {-1, -1}, ctl[2] = {-1, -1}, up[2] = {-1, -1};
    int rdv_sock = -1;
    int jm_slot = -1, desc_slot = -1;
    char **envp = NULL;
    nt_child *c = NULL;
    char *handles = NULL;
    posix_spawn_file_actions_t fa;
    posix_spawnattr_t attr;
    bool fa_init = false, attr_init = false;
    *process = NULL;
    *pid_out = 0;

    /* std handles -> child fds 0, 1, 2 */
    for (int i = 0; i < 3; i++) {
        nt_file *f;
        if (!sp->std_handles[i] || !NT_SUCCESS(nt_file_get(sp->std_handles[i], &f)))
            continue; /* none: the child finds the fd closed */
        if (f->fd >= 0)
            nt_plan_fd(&plan, f->fd, i);
        nt_object_release(&f->hdr);
    }
    if (sp->inherit_handles)
        nt_handles_for_each_inheritable(nt_plan_inherit, &plan);
    handles = nt_sb_take(&plan.handles);
    if (plan.error || !handles) {
        st = plan.error ? plan.error : STATUS_NO_MEMORY;
        goto cleanup;
    }
    if (pipe2(status_pipe, O_CLOEXEC) != 0) {
        st = nt_status_from_errno(errno);
        goto cleanup;
    }
    int status_child_fd = plan.next_fd, resume_child_fd = plan.next_fd + 1;
    int jm_child_fd = plan.next_fd + 2, ev_child_fd = plan.next_fd + 3, ev_fd = -1;
    /* where our messages go, for the child's: not its fd 2, the program's stderr (none when
     * that fd is closed or a libntrun sink takes them) */
    int msg_child_fd = plan.next_fd + 4, msg_fd = rt_message_fd_for_children();
    if (sp->native_command || msg_fd < 0 || fcntl(msg_fd, F_GETFD) < 0 ||
        !nt_plan_fd(&plan, msg_fd, msg_child_fd)) {
        msg_fd = -1;
        plan.error = STATUS_SUCCESS; /* the child then writes to its own fd 2 */
    }
    if (!sp->native_command && !nt_plan_fd(&plan, status_pipe[1], status_child_fd)) {
        st = plan.error ? plan.error : STATUS_INSUFFICIENT_RESOURCES;
        goto cleanup;
    }
    int ctl_child_fd = plan.next_fd + 5, up_child_fd = plan.next_fd + 6;
    int rdv_child_fd = plan.next_fd + 7;
    if (!sp->native_command) {
        /* its rendezvous (process_rendezvous.c): named and listening as soon as it has a pid
         * (ours listens when another process first asks for it) */
        if ((rdv_sock = nt_rdv_child_socket()) >= 0 && !nt_plan_fd(&plan, rdv_sock, rdv_child_fd)) {
            close(rdv_sock);
            rdv_sock = -1;
            plan.error = STATUS_SUCCESS; /* the child then cannot be opened by others */
        }
    }
    if (!sp->native_command) { /* the control channels, both ways (process_remote.c) */
        if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, ctl) != 0 ||
            socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, up) != 0) {
            st = nt_status_from_errno(errno);
            goto cleanup;
        }
        if (!nt_plan_fd(&plan, ctl[1], ctl_child_fd) || !nt_plan_fd(&plan, up[1], up_child_fd)) {
            st = plan.error ? plan.error : STATUS_INSUFFICIENT_RESOURCES;
            goto cleanup;
        }
    }
    if (sp->suspended && !sp->native_command) {
        if (pipe2(resume_pipe, O_CLOEXEC) != 0) {
            st = nt_status_from_errno(errno);
            goto cleanup;
        }
        if (!nt_plan_fd(&plan, resume_pipe[0], resume_child_fd)) {
            st = plan.error ? plan.error : STATUS_INSUFFICIENT_RESOURCES;
            goto cleanup;
        }
    }

    if (!sp->native_command) { /* a slot for its commits, should a job limit them */
        int jm_fd;
        /* in a job of our parent's: the child joins it, unless that is over its active-process
         * limit (STATUS_QUOTA_EXCEEDED: CreateProcess fails, ERROR_NOT_ENOUGH_QUOTA) */
        if ((st = nt_jobmem_descendant_check(sp->breakaway)) != STATUS_SUCCESS)
            goto cleanup;
        desc_slot = nt_jobmem_descendant_slot(sp->breakaway, &jm_fd);
        if (desc_slot >= 0 && !nt_plan_fd(&plan, jm_fd, jm_child_fd)) {
            uint32_t unused;
            nt_jobmem_descendant_gone(desc_slot, 0, &unused);
            desc_slot = -1;
        }
        jm_slot = desc_slot >= 0 ? -1 : nt_jobmem_child_slot(&jm_fd);
        if (jm_slot >= 0 && !nt_plan_fd(&plan, jm_fd, jm_child_fd)) {
            nt_jobmem_proc_gone(jm_slot);
            jm_slot = -1;
        }
        /* where it tells its jobs of itself and of its own children (job_memory.c) */
        ev_fd = nt_jobmem_event_fd(desc_slot >= 0);
        if ((jm_slot >= 0 || desc_slot >= 0) && ev_fd >= 0 && !nt_plan_fd(&plan, ev_fd, ev_child_fd))
            ev_fd = -1;
    }

    /* the environment: the given one without our variables, then ours */
    size_t n = 0;
    while (sp->envp && sp->envp[n])
        n++;
    envp = calloc(n + 15 + 26, sizeof *envp);
    if (!envp) {
        st = STATUS_NO_MEMORY;
        goto cleanup;
    }
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        if (strncmp(sp->envp[i], "NTRUN_CHILD_", 12) && strncmp(sp->envp[i], "NTRUN_CTRL_C", 12) &&
            strncmp(sp->envp[i], "NTRUN_C_DRIVE=", 14))
            envp[k++] = strdup(sp->envp[i]);
    char num[32];
    snprintf(num, sizeof num, "%d", status_child_fd);
    if (sp->native_command) /* a Linux program: none of ours */
        goto env_done;
    envp[k++] = nt_env_item("NTRUN_CHILD_CMDLINE", sp->cmdline ? sp->cmdline : "");
    envp[k++] = nt_env_item("NTRUN_CHILD_STATUS_FD", num);
    if (resume_pipe[0] >= 0) {
        char rnum[32];
        snprintf(rnum, sizeof rnum, "%d", resume_child_fd);
        envp[k++] = nt_env_item("NTRUN_CHILD_RESUME_FD", rnum);
    }
    if (*handles)
        envp[k++] = nt_env_item("NTRUN_CHILD_HANDLES", handles);
    if (ctl[0] >= 0) {
        char cnum[32];
        snprintf(cnum, sizeof cnum, "%d", ctl_child_fd);
        envp[k++] = nt_env_item("NTRUN_CHILD_CTL_FD", cnum);
        snprintf(cnum, sizeof cnum, "%d", up_child_fd);
        envp[k++] = nt_env_item("NTRUN_CHILD_UP_FD", cnum);
    }
    if (rdv_sock >= 0) {
        char rnum[32];
        snprintf(rnum, sizeof rnum, "%d", rdv_child_fd);
        envp[k++] = nt_env_item("NTRUN_CHILD_LISTEN_FD", rnum);
    }
    if (plan.std_inherited[0] || plan.std_inherited[1] || plan.std_inherited[2]) {
        /* a std handle the child inherits is that same handle there, as on Windows (a named
         * pipe end keeps its mode: libuv's uv_pipe_open asks it of a child's stdout) */
        char snum[64];
        snprintf(snum, sizeof snum, "%lu:%lu:%lu",
                 plan.std_inherited[0] ? (unsigned long)(uintptr_t)plan.std[0] : 0ul,
                 plan.std_inherited[1] ? (unsigned long)(uintptr_t)plan.std[1] : 0ul,
                 plan.std_inherited[2] ? (unsigned long)(uintptr_t)plan.std[2] : 0ul);
        envp[k++] = nt_env_item("NTRUN_CHILD_STD", snum);
    }
    if (jm_slot >= 0 || desc_slot >= 0) {
        char jnum[32];
        snprintf(jnum, sizeof jnum, "%d:%d:%d", jm_child_fd, jm_slot >= 0 ? jm_slot : desc_slot,
                 ev_fd >= 0 ? ev_child_fd : -1);
        envp[k++] = nt_env_item("NTRUN_CHILD_JOBMEM", jnum);
    }
    if (msg_fd >= 0) {
        char mnum[32];
        snprintf(mnum, sizeof mnum, "%d", msg_child_fd);
        envp[k++] = nt_env_item("NTRUN_CHILD_MESSAGE_FD", mnum);
    }
    if (sp->ctrl_c_ignored || sp->new_group)
        envp[k++] = nt_env_item("NTRUN_CTRL_C_IGNORED", "1");
    k += nt_path_child_drive_env(envp + k); /* the run's drives */
    /* the child's token: CreateProcessAsUser's, else a copy of ours */
    if (sp->token_env)
        envp[k++] = strdup(sp->token_env);
    else if (nt_token_child_env(NULL, &envp[k++]) != STATUS_SUCCESS)
        envp[k - 1] = NULL;
env_done:
    for (size_t i = 0; i < k; i++)
        if (!envp[i]) {
            st = STATUS_NO_MEMORY;
            goto cleanup;
        }

    c = nt_child_alloc(0);
    if (!c) {
        st = STATUS_NO_MEMORY;
        goto cleanup;
    }
    c->new_group = sp->new_group;
    c->native = sp->native_command != NULL;

    if (!nt_plan_lift(&plan)) {
        st = plan.error;
        goto cleanup;
    }
    posix_spawn_file_actions_init(&fa);
    fa_init = true;
    posix_spawnattr_init(&attr);
    attr_init = true;
    for (size_t i = 0; i < plan.n; i++)
        posix_spawn_file_actions_adddup2(&fa, plan.src[i], plan.dst[i]);
    char *run_cwd = sp->unix_cwd ? NULL : nt_cwd_get(); /* by default the run's own */
    if (sp->unix_cwd || run_cwd)
        posix_spawn_file_actions_addchdir_np(&fa, sp->unix_cwd ? sp->unix_cwd : run_cwd);
    free(run_cwd);
    sigset_t none, dfl;
    sigemptyset(&none);
    sigemptyset(&dfl);
    sigaddset(&dfl, SIGPIPE);
    short flags = POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF;
    if (sp->new_group) {
        flags |= POSIX_SPAWN_SETPGROUP;
        posix_spawnattr_setpgroup(&attr, 0);
    }
    posix_spawnattr_setflags(&attr, flags);
    posix_spawnattr_setsigmask(&attr, &none);
    posix_spawnattr_setsigdefault(&attr, &dfl);

    bool search;
    const char *launcher = nt_launcher(&search);
    char build[32];
    snprintf(build, sizeof build, "--windows-build=%d", nt_syscalls_build());
    /* ntrun --windows-build=N [this run's options] -- EXE; the options stay ours until the
     * spawn has copied them */
    char *argv[NT_CHILD_OPTS_MAX + 5];
    int argc = 0;
    argv[argc++] = (char *)"ntrun";
    argv[argc++] = build;
    pthread_mutex_lock(&nt_child_opts_lock);
    for (int i = 0; i < nt_child_nopts; i++)
        argv[argc++] = nt_child_opts[i];
    argv[argc++] = (char *)"--";
    argv[argc++] = (char *)sp->unix_exe;
    argv[argc] = NULL;
    char *sh_argv[] = {(char *)"sh", (char *)"-c", (char *)sp->native_command, NULL};
    pid_t pid;
    int r = sp->native_command ? posix_spawn(&pid, "/bin/sh", &fa, &attr, sh_argv, envp)
            : search           ? posix_spawnp(&pid, launcher, &fa, &attr, argv, envp)
                               : posix_spawn(&pid, launcher, &fa, &attr, argv, envp);
    pthread_mutex_unlock(&nt_child_opts_lock);
    if (r != 0) {
        st = nt_status_from_errno(r);
        goto cleanup;
    }
    c->pid = pid;
    if (rdv_sock >= 0) /* before CreateProcess returns: others can open it from now on */
        nt_rdv_child_bind(rdv_sock, pid);
    c->mem_slot = jm_slot; /* the reaper gives it back */
    jm_slot = -1;
    c->desc_slot = desc_slot;
    nt_jobmem_descendant_pid(desc_slot, pid);
    nt_jobmem_descendant_new(desc_slot, pid); /* its jobs' NEW_PROCESS, unless it told */
    desc_slot = -1;
    close(status_pipe[1]);
    status_pipe[1] = -1;
    c->status_fd = status_pipe[0];
    status_pipe[0] = -1;
    c->resume_fd = resume_pipe[1];
    resume_pipe[1] = -1;
    c->ctl_fd = ctl[0];
    ctl[0] = -1;
    if (up[0] >= 0) { /* the child's requests: served here until it closes its end */
        nt_rc_serve_start(up[0]);
        up[0] = -1;
    }
    pthread_mutex_lock(&nt_child_lock);
    c->next = nt_children;
    nt_children = c;
    pthread_mutex_unlock(&nt_child_lock);
    /* The primary thread: its creation reference is the reaper's; it holds one on c. */
    nt_thread_obj *t = nt_thread_new_remote(pid, c->resume_fd >= 0 ? 1 : 0,
                                            &nt_child_thread_ops, c);
    if (t) {
        nt_object_ref(&c->s.hdr);
        c->thread = t;
        if (sp->thread && nt_handle_alloc(&t->s.hdr, sp->thread) != STATUS_SUCCESS)
            *sp->thread = NULL;
    } else if (sp->thread) {
        *sp->thread = NULL;
    }
    if (nt_start_reaper(c) != 0) { /* no thread: reap here, at once */
        nt_child_resume(c);
        nt_object_ref(&c->s.hdr);
        nt_child_reaper(c);
    }
    st = nt_job_adopt_child(&c->s.hdr, sp->breakaway);
    if (st != STATUS_SUCCESS) { /* the job's active-process limit: killed */
        if (sp->thread && *sp->thread) {
            nt_handle_close(*sp->thread);
            *sp->thread = NULL;
        }
        goto cleanup;
    }
    st = nt_handle_alloc(&c->s.hdr, process);
    if (st == STATUS_SUCCESS)
        *pid_out = (uint32_t)pid;

cleanup:
    nt_jobmem_proc_gone(jm_slot); /* not spawned */
    if (desc_slot >= 0) {
        uint32_t unused;
        nt_jobmem_descendant_gone(desc_slot, 0, &unused);
    }
    if (c)
        nt_object_release(&c->s.hdr); /* the handle (and the reaper) keep it */
    if (fa_init)
        posix_spawn_file_actions_destroy(&fa);
    if (attr_init)
        posix_spawnattr_destroy(&attr);
    for (size_t i = 0; i < plan.n; i++)
        close(plan.src[i]);
    free(plan.src);
    free(plan.dst);
    if (status_pipe[0] >= 0)
        close(status_pipe[0]);
    if (status_pipe[1] >= 0)
        close(status_pipe[1]);
    for (int i = 0; i < 2; i++) {
        if (resume_pipe[i] >= 0)
            close(resume_pipe[i]);
        if (ctl[i] >= 0)
            close(ctl[i]);
        if (up[i] >= 0)
            close(up[i]);
    }
    if (rdv_sock >= 0)
        close(rdv_sock); /* the child's copy is the listener */
    for (size_t i = 0; envp && envp[i]; i++)
        free(envp[i]);
    free(envp);
    free(handles);
    return st;
}

NTSTATUS nt_process_query(HANDLE process, uint32_t *pid, uint32_t *exit_code)
{
    nt_object *o;
    NTSTATUS st = nt_object_from_handle(process, NT_OBJ_PROCESS, &o);
    if (st != STATUS_SUCCESS)
        return st;
    if ((st = nt_process_access_query(process, o)) != STATUS_SUCCESS) {
        nt_object_release(o);
        return st;
    }
    nt_child *c = nt_child_of(o);
    if (!c) {
        *pid = (uint32_t)getpid();
        *exit_code = NT_STILL_ACTIVE;
    } else {
        pthread_mutex_lock(&nt_wait_lock);
        *pid = (uint32_t)c->pid;
        *exit_code = c->exited ? c->exit_code : NT_STILL_ACTIVE;
        pthread_mutex_unlock(&nt_wait_lock);
    }
    nt_object_release(o);
    return STATUS_SUCCESS;
}

/* ProcessBasicInformation's check (GetExitCodeProcess, GetProcessId): PROCESS_QUERY_LIMITED_
 * INFORMATION, which PROCESS_QUERY_INFORMATION implies. */
NTSTATUS nt_process_access_query(HANDLE process, const nt_object *obj)
{
    if (nt_handle_access(process, obj, 0x1000) == STATUS_SUCCESS)
        return STATUS_SUCCESS;
    return nt_handle_access(process, obj, 0x400);
}

/* The access OpenProcess grants: the mask asked for, mapped, with PROCESS_QUERY/SET_INFORMATION
 * implying their LIMITED forms as on Windows. */
uint32_t nt_process_open_access(uint32_t access)
{
    if (access & 0x400u)
        access |= 0x1000u;
    if (access & 0x200u)
        access |= 0x2000u;
    return nt_access_map(NT_OBJ_PROCESS, access);
}

/* The exit code of a process a Linux signal ended without its telling one (it ran no code of
 * its own: kill -9 from outside, the OOM killer; a crash of the runtime). Windows has no
 * signals: a process ended from outside was terminated, and the programs that do it there
 * (taskkill /F, Task Manager's End task) call TerminateProcess(h, 1), so an ntrun process reads
 * 1; SIGINT, Ctrl-C, reads STATUS_CONTROL_C_EXIT, the code a console process ends with when the
 * event ends it (Wine 8.0 gives 0 for a process killed with SIGKILL: nobody set a code). A
 * Linux program (a shell command) keeps the shell's convention, 128 + the signal. */
uint32_t nt_process_signal_code(int sig, bool native)
{
    if (native)
        return 128u + (uint32_t)sig;
    return sig == SIGINT ? NT_STATUS_CONTROL_C_EXIT : 1u;
}

/* One of our children (not a process watched through a pidfd), with a reference, or NULL. */
static nt_child *nt_child_by_pid(pid_t pid)
{
    pthread_mutex_lock(&nt_child_lock);
    nt_child *c = nt_children;
    while (c && c->pid != pid)
        c = c->next;
    if (c)
        nt_object_ref(&c->s.hdr);
    pthread_mutex_unlock(&nt_child_lock);
    return c;
}

static nt_child *nt_parent_process(pid_t pid, int fd, bool watch);
static nt_child *nt_other_by_pid(pid_t pid);
static nt_child *nt_other_new_watch(pid_t pid, int watch, bool told, uint32_t code);

/* OpenProcess: this process, one of its children, the ntrun process that started it, or any
 * other ntrun process of the user that can be found at its rendezvous (process_rendezvous.c).
 * An id no process has: STATUS_INVALID_PARAMETER, as Windows' PsLookupProcessByProcessId. */
NTSTATUS nt_process_open(uint32_t pid, HANDLE *out)
{
    *out = NULL;
    if (pid == (uint32_t)getpid())
        return nt_handle_alloc(nt_self_process(), out);
    if (pid == 0 || pid > 0x7fffffffu)
        return STATUS_INVALID_PARAMETER;
    nt_child *c = nt_child_by_pid((pid_t)pid);
    if (!c)
        c = nt_parent_process((pid_t)pid, -1, false);
    if (!c)
        c = nt_other_by_pid((pid_t)pid);
    if (!c) {
        bool told;
        uint32_t code;
        int w = nt_rdv_connect((pid_t)pid, 'W', &told, &code);
        if (w < 0)
            return STATUS_INVALID_PARAMETER;
        if (!(c = nt_other_new_watch((pid_t)pid, w, told, code)))
            return STATUS_NO_MEMORY;
    }
    NTSTATUS st = nt_handle_alloc(&c->s.hdr, out);
    nt_object_release(&c->s.hdr);
    return st;
}

/* NtOpenProcess, with Windows' checks in its order (PsOpenProcess): the handle's pointer, the
 * CLIENT_ID and the attributes are probed (a bad one STATUS_ACCESS_VIOLATION; the last two
 * not aligned to 4 STATUS_DATATYPE_MISALIGNMENT; the attributes are required); a name and an id, or
 * neither, STATUS_INVALID_PARAMETER_MIX. By id: with a thread id, that thread's process
 * (STATUS_INVALID_CID unless the thread is there and UniqueProcess is its process: a thread of
 * ours, or the primary thread of another process, whose id is the process's); else the process
 * (STATUS_INVALID_PARAMETER when no process has the id). By name: processes have none here
 * (STATUS_OBJECT_NAME_NOT_FOUND). The handle is written only on success, as on Windows. */
NTSTATUS NTAPI NtOpenProcess(HANDLE *handle, uint32_t access, const OBJECT_ATTRIBUTES *attr,
                             const CLIENT_ID *user_cid)
{
    CLIENT_ID cid = {0};
    OBJECT_ATTRIBUTES oa;
    if (((uintptr_t)user_cid & 3) || ((uintptr_t)attr & 3))
        return NT_STATUS_DATATYPE_MISALIGNMENT;
    if (!nt_probe_write(handle, sizeof *handle) ||
        (user_cid && nt_copy_from_user(&cid, user_cid, sizeof cid) != 0) ||
        nt_copy_from_user(&oa, attr, sizeof oa) != 0)
        return STATUS_ACCESS_VIOLATION;
    if ((oa.ObjectName != NULL) == (user_cid != NULL))
        return NT_STATUS_INVALID_PARAMETER_MIX;
    if (oa.ObjectName)
        return STATUS_OBJECT_NAME_NOT_FOUND;
    uintptr_t pid = (uintptr_t)cid.UniqueProcess, tid = (uintptr_t)cid.UniqueThread;
    if (tid) { /* the thread's process, which must be UniqueProcess */
        bool ours = tid <= 0x7fffffffu && nt_thread_id_known((int32_t)tid);
        if (ours ? pid != (uintptr_t)getpid() : pid != tid)
            return STATUS_INVALID_CID;
    }
    if (pid > 0xffffffffu)
        return tid ? STATUS_INVALID_CID : STATUS_INVALID_PARAMETER;
    HANDLE h = NULL;
    NTSTATUS st = nt_process_open((uint32_t)pid, &h);
    if (st != STATUS_SUCCESS)
        return tid && st == STATUS_INVALID_PARAMETER ? STATUS_INVALID_CID : st;
    nt_handle_set_granted(h, nt_process_open_access(access));
    if (oa.Attributes & 0x2u /* OBJ_INHERIT */)
        nt_handle_set_inherit(h, true);
    if (nt_copy_to_user(handle, &h, sizeof h) != 0) {
        NtClose(h);
        return STATUS_ACCESS_VIOLATION;
    }
    return STATUS_SUCCESS;
}

bool nt_process_signal_children(int sig, uint32_t group)
{
    bool found = false;
    pthread_mutex_lock(&nt_child_lock);
    for (nt_child *c = nt_children; c; c = c->next) {
        if (c->exited)
            continue;
        if (group == 0) {
            if (!c->new_group)
                kill(c->pid, sig);
            found = true;
        } else if ((uint32_t)c->pid == group && c->new_group) {
            kill(-c->pid, sig);
            found = true;
        }
    }
    pthread_mutex_unlock(&nt_child_lock);
    return found || group == 0;
}

/* ---- the child's side ---- */

static int nt_status_fd = -1;

static void nt_report_exit(uint32_t code)
{
    nt_jobmem_self_exit(code); /* a descendant of a job's member: the job hears of its end */
    /* (once: TerminateProcess from another process tells it from a service thread) */
    int fd = __atomic_exchange_n(&nt_status_fd, -1, __ATOMIC_ACQ_REL);
    if (fd < 0)
        return;
    uint32_t rec[2] = {NT_CHILD_REC_EXIT, code};
    ssize_t w = write(fd, rec, sizeof rec);
    (void)w;
    close(fd);
}

/* TerminateProcess from another process (process_remote.c's NT_RC_TERMINATE, on a service
 * thread): first the code is told (our parent, our jobs, the processes that watch us), then,
 * once the request is answered, the process ends at once: the CLI is killed (as a parent's
 * TerminateProcess kills its child; no exit hook runs, as none does on Windows), a libntrun
 * host's run is ended as its own ntrun_program_terminate ends it. */
void nt_process_terminate_remote(uint32_t code, bool now)
{
    if (!now) {
        nt_sync_shared_exit(code); /* mutexes shared with other processes: abandoned there */
        nt_report_exit(code);
        nt_rdv_exiting(code);
        return;
    }
    if (nt_self_cli())
        kill(getpid(), SIGKILL);
    rt_process_terminate(code);
}

void nt_process_report_load_failure(NTSTATUS status)
{
    const char *fd = getenv("NTRUN_CHILD_STATUS_FD");
    if (nt_status_fd >= 0 || !fd || !*fd)
        return; /* no parent to tell, or the exit hook tells it */
    uint32_t rec[2] = {NT_CHILD_REC_EXIT, (uint32_t)status};
    (void)!write(atoi(fd), rec, sizeof rec); /* one write of 8 bytes: atomic on a pipe */
}

void nt_process_report_memory_limit(uint32_t violation)
{
    uint32_t rec[2] = {NT_CHILD_REC_MEMORY, violation};
    if (nt_status_fd >= 0) /* one write of 8 bytes: atomic on a pipe */
        (void)!write(nt_status_fd, rec, sizeof rec);
}

/* CREATE_SUSPENDED: wait for the parent's NtResumeThread, before anything of the program runs
 * (no DLL is initialised yet). EOF: the parent ended or closed the thread without resuming it;
 * no one can resume this process any more. */
static void nt_child_wait_resume(void)
{
    const char *fd = getenv("NTRUN_CHILD_RESUME_FD");
    if (!fd || !*fd)
        return;
    int rfd = atoi(fd);
    char go = 0;
    ssize_t n;
    while ((n = read(rfd, &go, 1)) < 0 && errno == EINTR)
        ;
    close(rfd);
    if (n != 1)
        _exit(1);
}


void nt_process_child_setup(void)
{
    /* every process: the processes that watch it learn its exit code (nothing to do without),
     * and it listens at its rendezvous once another process asks (no system call until then) */
    rt_on_exit_always(nt_rdv_exiting);
    nt_rdv_init();
    const char *listen_fd = getenv("NTRUN_CHILD_LISTEN_FD");
    if (listen_fd && *listen_fd) /* our rendezvous, named by our parent: from before the resume */
        nt_rdv_adopt(atoi(listen_fd));
    const char *up = getenv("NTRUN_CHILD_UP_FD");
    if (up && *up) { /* before the handles: an inherited handle of the parent uses it */
        nt_up_fd = atoi(up);
        fcntl(nt_up_fd, F_SETFD, FD_CLOEXEC);
    }
    /* before the control channel's server: a TerminateProcess served while the child is
     * still suspended (or starting) tells its code on the status pipe too */
    const char *fd = getenv("NTRUN_CHILD_STATUS_FD");
    if (fd && *fd) {
        nt_status_fd = atoi(fd);
        fcntl(nt_status_fd, F_SETFD, FD_CLOEXEC);
        rt_on_exit_always(nt_report_exit);
    }
    const char *ctl = getenv("NTRUN_CHILD_CTL_FD");
    if (ctl && *ctl) { /* before the resume: a suspended child serves its parent */
        int cfd = atoi(ctl);
        fcntl(cfd, F_SETFD, FD_CLOEXEC);
        nt_rc_serve_start(cfd);
    }
    nt_child_wait_resume();
    nt_jobmem_child_init();
    const char *h = getenv("NTRUN_CHILD_HANDLES");
    while (h && *h) {
        int cfd;
        unsigned long value, access;
        int used = 0;
        if (sscanf(h, "%d:%lu:%lu%n", &cfd, &value, &access, &used) != 3)
            break;
        h += used;
        char desc[192] = "";
        int dc = -1;
        if (*h == ':') { /* a named pipe end's description and disconnection eventfd */
            size_t len = strcspn(h + 1, "/,");
            if (len < sizeof desc)
                memcpy(desc, h + 1, len), desc[len] = 0;
            h += 1 + len;
            if (*h == '/')
                dc = (int)strtol(h + 1, (char **)&h, 10);
            if (dc >= 0)
                fcntl(dc, F_SETFD, FD_CLOEXEC);
        }
        if (*h == ',')
            h++;
        fcntl(cfd, F_SETFD, FD_CLOEXEC);
        if (desc[0] == 'S' || desc[0] == 'R' || desc[0] == 'V' || desc[0] == 'Q' ||
            desc[0] == 'M' || desc[0] == 'T') {
            /* a section, a process, an event, a semaphore, a mutant, a timer (the last three
             * with their shared page) */
            bool paged = desc[0] == 'M' || desc[0] == 'Q' || desc[0] == 'T';
            int two[2] = {cfd, paged ? dc : -1};
            nt_object *o;
            if (dc >= 0 && !paged)
                close(dc);
            if (nt_object_import(desc, two, (uint32_t)access, &o) != STATUS_SUCCESS)
                continue;
            if (nt_handle_alloc_at(o, (HANDLE)(uintptr_t)value, true) != STATUS_SUCCESS)
                rt_message("inherited handle %#lx: the value is taken", value);
            else
                nt_handle_set_granted((HANDLE)(uintptr_t)value, (uint32_t)access);
            nt_object_release(o);
            continue;
        }
        nt_file *f = nt_file_new_owned(cfd, (uint32_t)access);
        if (!f) {
            if (dc >= 0)
                close(dc);
            continue;
        }
        if (desc[0])
            nt_pipe_inherited(f, desc, dc);
        else if (dc >= 0)
            close(dc);
        if (nt_handle_alloc_at(&f->hdr, (HANDLE)(uintptr_t)value, true) != STATUS_SUCCESS)
            rt_message("inherited handle %#lx: the value is taken", value);
        nt_object_release(&f->hdr);
    }
}

/* ---- process handles in another process (process_remote.c) ----
 * A process handle travels as "R<pid>.<state>.<exit code>" and an fd: state 2, a process that
 * runs and has a rendezvous (an ntrun process): the fd is a watch of it (process_rendezvous.c),
 * made by the process that sends the handle, from which the other process learns its exit code
 * and its end; state 1, it has ended (the code is the one given; the fd is nothing); state 0, a
 * Linux program that runs: a pidfd, whose end is all that can be known (the code reads 0).
 * The sender of a handle of its own ntrun child that cannot be reached any more (it is ending)
 * waits for the child's code from its reaper (at most 5 s), so a handle that travels right
 * after its process ended still has the real code. PostgreSQL's children wait on such a handle
 * of the postmaster (PostmasterHandle) to learn of its death.
 * Such a handle names an object the process has already when there is one: its own process,
 * one of its children (a child's GetCurrentProcess() duplicated into its parent), in an ntrun
 * child its parent, whose one object carries the child's requests to the parent
 * (NTRUN_CHILD_UP_FD: PostgreSQL's backends DuplicateHandle a shared-memory section into the
 * postmaster, so that it outlives them), and another process it opened or got a handle of
 * before, while that runs (one object per process, as on Windows). */
static int nt_pidfd_open(pid_t pid)
{
#ifdef SYS_pidfd_open
    int fd = (int)syscall(SYS_pidfd_open, pid, 0);
    if (fd >= 0)
        fcntl(fd, F_SETFD, FD_CLOEXEC);
    return fd;
#else
    (void)pid;
    errno = ENOSYS;
    return -1;
#endif
}

static void nt_child_state(nt_child *c, bool *ended, uint32_t *code)
{
    pthread_mutex_lock(&nt_wait_lock);
    *ended = c->exited;
    *code = c->exit_code;
    pthread_mutex_unlock(&nt_wait_lock);
}

/* A watch of process c for another process: -1 when it cannot be reached (a Linux program, or
 * a process that is ending: then, when we learn its code ourselves, *ended and *code). */
static int nt_process_watch_for_export(nt_child *c, bool *ended, uint32_t *code)
{
    if (!c) { /* our own process: the other one may work in us too (OpenProcess, DuplicateHandle) */
        nt_rdv_listen();
        return nt_rdv_watch_self();
    }
    if (c->native || (c->pidfd >= 0 && !c->rdv))
        return -1;
    bool told;
    uint32_t told_code;
    int w = (c->watch_fd >= 0 && nt_watch_hung_up(c->watch_fd))
                ? -1
                : nt_rdv_connect(c->pid, 'W', &told, &told_code);
    if (w >= 0 && !told)
        return w;
    if (w >= 0)
        close(w);
    /* it is ending: our reaper or our own watch gives its code soon */
    for (int ms = 0; ms < 5000; ms += 2) {
        nt_child_state(c, ended, code);
        if (*ended)
            return -1;
        struct timespec ts = {0, 2000000};
        nanosleep(&ts, NULL);
    }
    return -1;
}

bool nt_process_export(nt_object *o, char *buf, size_t size, int *fd)
{
    nt_child *c = nt_child_of(o);
    pid_t pid = c ? c->pid : getpid();
    bool ended = false;
    uint32_t code = 0;
    if (c)
        nt_child_state(c, &ended, &code);
    *fd = -1;
    if (!ended && (*fd = nt_process_watch_for_export(c, &ended, &code)) >= 0) {
        snprintf(buf, size, "R%d.2.0", (int)pid);
        return true;
    }
    if (!ended)
        *fd = c && c->pidfd >= 0 ? fcntl(c->pidfd, F_DUPFD_CLOEXEC, 0) : nt_pidfd_open(pid);
    if (*fd < 0 && ended)
        *fd = open("/dev/null", O_RDONLY | O_CLOEXEC); /* reaped: nothing to watch */
    if (*fd < 0)
        return false;
    snprintf(buf, size, "R%d.%d.%u", (int)pid, ended, code);
    return true;
}

static void *nt_other_watch(void *arg);

/* A process that is not our child: watched through `fd`, a rendezvous watch (watch) or a pidfd
 * (taken), ended already or not. Listed (nt_others) while it runs. */
static nt_child *nt_other_new(pid_t pid, int fd, bool watch, bool ended, uint32_t code)
{
    nt_child *c = nt_child_alloc(pid);
    if (!c) {
        close(fd);
        return NULL;
    }
    if (watch) {
        c->watch_fd = fd;
        c->rdv = true;
        c->told = ended; /* (the watch says so: it still runs, its code known) */
        ended = false;
    } else {
        c->pidfd = fd;
    }
    c->exit_code = code;
    if (ended) {
        c->exited = true;
        return c;
    }
    pthread_mutex_lock(&nt_child_lock);
    c->next = nt_others;
    nt_others = c;
    pthread_mutex_unlock(&nt_child_lock);
    nt_object_ref(&c->s.hdr);
    if (rt_service_thread_start(nt_other_watch, c, 64 * 1024, false) != 0)
        nt_object_release(&c->s.hdr); /* never signalled: as a process that runs on */
    return c;
}

static nt_child *nt_other_new_watch(pid_t pid, int watch, bool told, uint32_t code)
{
    return nt_other_new(pid, watch, true, told, code);
}

/* Another process we have an object of, while it runs, with a reference, or NULL. */
static nt_child *nt_other_by_pid(pid_t pid)
{
    pthread_mutex_lock(&nt_child_lock);
    nt_child *c = nt_others;
    while (c && (c->pid != pid || c->exited ||
                 (c->watch_fd >= 0 && nt_watch_hung_up(c->watch_fd))))
        c = c->next;
    if (c)
        nt_object_ref(&c->s.hdr);
    pthread_mutex_unlock(&nt_child_lock);
    return c;
}

/* In an ntrun child: the one object of its parent process, whose channel (NTRUN_CHILD_UP_FD)
 * carries this process's requests to it. Every handle of the parent the child gets (inherited,
 * duplicated in, OpenProcess) names it, so one lock orders the requests on the channel. It
 * lives for good. Its end and exit code come from a watch at the parent's rendezvous (the
 * parent listens once asked, process_rendezvous.c); fd: a watch (watch) or a pidfd of the
 * parent (taken), or -1 to make one. NULL: no channel, or `pid` is not our parent. */
static nt_child *nt_parent_process(pid_t pid, int fd, bool watch)
{
    static nt_child *parent;
    nt_child *c = NULL;
    pthread_mutex_lock(&nt_child_lock);
    bool ours = nt_up_fd >= 0 && pid == getppid();
    if (ours && !parent) {
        bool told = false;
        uint32_t code = 0;
        if (fd < 0 && (fd = nt_rdv_connect(pid, 'W', &told, &code)) >= 0)
            watch = true;
        if (fd < 0)
            fd = nt_pidfd_open(pid);
        pthread_mutex_unlock(&nt_child_lock); /* (nt_other_new lists it) */
        nt_child *p = fd >= 0 ? nt_other_new(pid, fd, watch, told, code) : NULL;
        fd = -1;
        pthread_mutex_lock(&nt_child_lock);
        if (p && !parent) {
            p->ctl_fd = nt_up_fd; /* the reference made here is never released */
            parent = p;
        } else if (p) {
            nt_object_release(&p->s.hdr); /* another thread was first */
        }
    }
    if (ours && (c = parent))
        nt_object_ref(&c->s.hdr);
    pthread_mutex_unlock(&nt_child_lock);
    if (fd >= 0 && c)
        close(fd);
    return c;
}

static void *nt_other_watch(void *arg)
{
    nt_child *c = arg;
    uint32_t code = 0;
    bool told = false;
    if (c->watch_fd >= 0) {
        told = nt_rdv_watch_wait(c->watch_fd, &code);
    } else {
        struct pollfd pfd = {.fd = c->pidfd, .events = POLLIN};
        while (poll(&pfd, 1, -1) < 0 && errno == EINTR)
            ;
    }
    pthread_mutex_lock(&nt_wait_lock);
    /* The code it told; else ours, when we terminated it; else, for an ntrun process that ended
     * without telling (killed by a signal from outside), the one its parent reads for SIGKILL */
    if (told)
        c->exit_code = code;
    else if (c->terminated)
        c->exit_code = c->terminate_code;
    else if (c->watch_fd >= 0 && !c->told)
        c->exit_code = nt_process_signal_code(SIGKILL, false);
    c->exited = true;
    nt_sync_wake(&c->s);
    pthread_mutex_unlock(&nt_wait_lock);
    nt_object_release(&c->s.hdr);
    return NULL;
}

NTSTATUS nt_process_import(const char *desc, int fd, nt_object **out)
{
    int pid, state;
    unsigned code;
    *out = NULL;
    if (sscanf(desc, "R%d.%d.%u", &pid, &state, &code) != 3 || state < 0 || state > 2) {
        close(fd);
        return STATUS_INVALID_PARAMETER;
    }
    if (pid == getpid()) { /* our own process, come back */
        close(fd);
        *out = nt_process_object();
        return STATUS_SUCCESS;
    }
    nt_child *c = nt_child_by_pid(pid); /* one of our children, come back (a child's
                                             GetCurrentProcess() duplicated into us) */
    if (!c && state != 1)
        c = nt_other_by_pid(pid); /* one we know already */
    if (c) {
        close(fd);
        *out = &c->s.hdr;
        return STATUS_SUCCESS;
    }
    if (state != 1 && nt_up_fd >= 0 && pid == getppid()) { /* our parent: the one object */
        if (!(c = nt_parent_process(pid, fd, state == 2)))
            return STATUS_NO_MEMORY;
        *out = &c->s.hdr;
        return STATUS_SUCCESS;
    }
    if (state == 1)
        close(fd), fd = -1;
    if (!(c = state == 1 ? nt_child_alloc(pid) : nt_other_new(pid, fd, state == 2, false, 0)))
        return STATUS_NO_MEMORY;
    if (state == 1) {
        c->exited = true;
        c->exit_code = code;
    }
    *out = &c->s.hdr;
    return STATUS_SUCCESS;
}
