/* SPDX-License-Identifier: MIT */
/* Operations on another ntrun process: the control channels between a parent and its child.
 *
 * Windows lets a process with the right handle work in another one's address space
 * (VirtualAllocEx, VirtualFreeEx, VirtualProtectEx, VirtualQueryEx, Read/WriteProcessMemory),
 * map a section there (NtMapViewOfSection with another process) and put handles into its table
 * (DuplicateHandle with a target process). PostgreSQL's postmaster does all three to a child it
 * created suspended. Each child program runs in an ntrun process of its own, so the work is done
 * by the child's runtime, on the parent's request: every CreateProcess child gets one end of an
 * AF_UNIX SOCK_SEQPACKET socket pair (fd NTRUN_CHILD_CTL_FD), and its runtime serves it from a
 * native thread (all signals blocked) that starts before the child waits for its resume, so a
 * suspended child serves requests before any of the program runs (its image and DLLs are mapped,
 * none is initialised). The parent's side (nt_rc_call) sends one request and reads its
 * one answer under the child's channel lock.
 *
 * The other way, a child acting on its parent (PostgreSQL's backends DuplicateHandle a shared
 * memory section into the postmaster, and close it there again with DUPLICATE_CLOSE_SOURCE), is
 * the same channel turned round: every child gets a second socket pair (NTRUN_CHILD_UP_FD)
 * whose other end the parent serves with the same server (rc_serve, a thread of the parent's
 * for each child, ending with the child's end); in the child the parent's process object
 * (ntemu/process.c, one for all of its handles of the parent) has that end as its channel, so
 * every call here works on the parent as it works on a child.
 *
 * A request is nt_rc_req and up to NT_RC_DATA_MAX bytes (memory to write, an object's
 * description), with file descriptors as SCM_RIGHTS (a section's memfd, a pipe end, a pidfd);
 * the answer is nt_rc_rep and up to NT_RC_DATA_MAX bytes (memory read, MEMORY_BASIC_INFORMATION,
 * an object's description) with file descriptors (an object taken out of the table).
 * The child runs the ordinary NT call on itself (NtCurrentProcess()), so every check and status
 * is the one the call has in-process; reads and writes longer than NT_RC_DATA_MAX go in pieces
 * and stop at the first that fails (STATUS_PARTIAL_COPY with the bytes done).
 *
 * Any other ntrun process of the user (a sibling, a grandparent) is reached the same way through
 * a channel made at its rendezvous on first use (process_rendezvous.c), where its runtime serves
 * it with the same server. A handle of a process that is no ntrun process (a Linux program
 * started for a shell command) gives STATUS_ACCESS_DENIED, as Windows refuses a protected
 * process; a process that has ended gives STATUS_PROCESS_IS_TERMINATING (both
 * ERROR_ACCESS_DENIED). */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include "ntemu/ntemu_private.h"

#define NT_PROCESS_VM_OPERATION 0x0008u
#define NT_PROCESS_VM_READ 0x0010u
#define NT_PROCESS_VM_WRITE 0x0020u
#define NT_PROCESS_QUERY_INFORMATION 0x0400u

/* ---- the parent's side ---- */

/* Closes the fds an answer brought. */
static void rc_close_fds(int *fds, int n)
{
    for (int i = 0; i < n; i++)
        if (fds[i] >= 0)
            close(fds[i]);
}

/* The fds of a message's SCM_RIGHTS (those over `cap` closed). */
int nt_rc_take_fds(struct msghdr *mh, int *fds, int cap)
{
    int n = 0;
    for (struct cmsghdr *cm = CMSG_FIRSTHDR(mh); cm; cm = CMSG_NXTHDR(mh, cm))
        if (cm->cmsg_level == SOL_SOCKET && cm->cmsg_type == SCM_RIGHTS) {
            int k = (int)((cm->cmsg_len - CMSG_LEN(0)) / sizeof(int));
            for (int i = 0; i < k; i++) {
                int f;
                memcpy(&f, CMSG_DATA(cm) + i * sizeof(int), sizeof f);
                if (n < cap)
                    fds[n++] = f;
                else
                    close(f);
            }
        }
    return n;
}

/* Puts fds into a message as SCM_RIGHTS (u: the control buffer). */
void nt_rc_put_fds(struct msghdr *mh, void *u, const int *fds, int nfds)
{
    if (nfds <= 0)
        return;
    memset(u, 0, CMSG_SPACE(sizeof(int) * NT_RC_FDS_MAX));
    mh->msg_control = u;
    mh->msg_controllen = CMSG_SPACE(sizeof(int) * (size_t)nfds);
    struct cmsghdr *cm = CMSG_FIRSTHDR(mh);
    cm->cmsg_level = SOL_SOCKET;
    cm->cmsg_type = SCM_RIGHTS;
    cm->cmsg_len = CMSG_LEN(sizeof(int) * (size_t)nfds);
    memcpy(CMSG_DATA(cm), fds, sizeof(int) * (size_t)nfds);
}

/* One request and its answer. fds are sent with the request (the caller keeps them); rfds
 * (room for NT_RC_FDS_MAX, or NULL) get the answer's, *rnfds their number (the caller closes
 * them). */
static NTSTATUS rc_call_fds(nt_child *c, const nt_rc_req *req, const void *data, const int *fds,
                            int nfds, nt_rc_rep *rep, void *out, size_t out_cap,
                            size_t *out_len, int *rfds, int *rnfds)
{
    if (rnfds)
        *rnfds = 0;
    int fd = nt_child_ctl_begin(c);
    if (fd == -2)
        return STATUS_PROCESS_IS_TERMINATING;
    if (fd < 0)
        return STATUS_ACCESS_DENIED;
    NTSTATUS st = STATUS_PROCESS_IS_TERMINATING;
    struct iovec iov[2] = {{(void *)req, sizeof *req}, {(void *)data, req->len}};
    union {
        char buf[CMSG_SPACE(sizeof(int) * NT_RC_FDS_MAX)];
        struct cmsghdr align;
    } u;
    struct msghdr mh = {.msg_iov = iov, .msg_iovlen = req->len ? 2 : 1};
    nt_rc_put_fds(&mh, u.buf, fds, nfds);
    ssize_t n;
    while ((n = sendmsg(fd, &mh, MSG_NOSIGNAL)) < 0 && errno == EINTR)
        ;
    if (n < 0)
        goto out;
    struct iovec riov[2] = {{rep, sizeof *rep}, {out, out_cap}};
    struct msghdr rh = {.msg_iov = riov, .msg_iovlen = out_cap ? 2 : 1, .msg_control = u.buf,
                        .msg_controllen = sizeof u.buf};
    while ((n = recvmsg(fd, &rh, MSG_CMSG_CLOEXEC)) < 0 && errno == EINTR)
        ;
    if (n > 0) {
        int got[NT_RC_FDS_MAX];
        int k = nt_rc_take_fds(&rh, got, NT_RC_FDS_MAX);
        if (rfds && n >= (ssize_t)sizeof *rep) {
            memcpy(rfds, got, sizeof(int) * (size_t)k);
            *rnfds = k;
        } else {
            rc_close_fds(got, k);
        }
    }
    if (n < (ssize_t)sizeof *rep)
        goto out; /* the other process has gone (end of the channel) */
    if (out_len)
        *out_len = (size_t)n - sizeof *rep;
    st = rep->status;
out:
    nt_child_ctl_end(c);
    return st;
}

NTSTATUS nt_rc_call(nt_child *c, const nt_rc_req *req, const void *data, const int *fds,
                    int nfds, nt_rc_rep *rep, void *out, size_t out_cap, size_t *out_len)
{
    return rc_call_fds(c, req, data, fds, nfds, rep, out, out_cap, out_len, NULL, NULL);
}

/* TerminateProcess of another ntrun process: it tells its code (to its parent, to the other
 * processes that watch it), answers and ends itself. Bounded: a process that does not answer in
 * time (stopped) is left to the caller's kill, and its channel, now out of step, is closed. */
/* Sends NT_RC_TERMINATE on a control channel and waits (5 s at most) for the answer: its status,
 * STATUS_PROCESS_IS_TERMINATING when there was none; *late: no answer in time. */
static NTSTATUS rc_send_terminate(int fd, uint32_t code, bool *late)
{
    nt_rc_req req = {.op = NT_RC_TERMINATE, .a = {code}};
    nt_rc_rep rep = {0};
    NTSTATUS st = STATUS_PROCESS_IS_TERMINATING;
    ssize_t n;
    while ((n = send(fd, &req, sizeof req, MSG_NOSIGNAL)) < 0 && errno == EINTR)
        ;
    struct pollfd p = {.fd = fd, .events = POLLIN};
    int r = 0;
    if (n == (ssize_t)sizeof req)
        while ((r = poll(&p, 1, 5000)) < 0 && errno == EINTR)
            ;
    if (r > 0 && recv(fd, &rep, sizeof rep, 0) == (ssize_t)sizeof rep)
        st = rep.status;
    *late = r == 0;
    return st;
}

NTSTATUS nt_rc_terminate(nt_child *c, uint32_t code)
{
    int fd = nt_child_ctl_begin(c);
    if (fd == -2)
        return STATUS_PROCESS_IS_TERMINATING;
    if (fd < 0)
        return STATUS_ACCESS_DENIED;
    bool late;
    NTSTATUS st = rc_send_terminate(fd, code, &late);
    if (late)
        nt_child_ctl_drop(c);
    nt_child_ctl_end(c);
    return st;
}

bool nt_rc_terminate_pid(int pid, uint32_t code)
{
    bool ended, late;
    uint32_t told;
    int fd = nt_rdv_connect((pid_t)pid, 'C', &ended, &told);
    if (fd < 0)
        return false;
    NTSTATUS st = ended ? STATUS_SUCCESS : rc_send_terminate(fd, code, &late);
    close(fd);
    return st == STATUS_SUCCESS || st == STATUS_PROCESS_IS_TERMINATING;
}

/* The process a handle names, checked for `access`: *child NULL for the caller's own process
 * (NtCurrentProcess() or a handle of it). */
NTSTATUS nt_process_target(HANDLE process, uint32_t access, nt_child **child)
{
    nt_object *o;
    *child = NULL;
    if (process == NtCurrentProcess())
        return STATUS_SUCCESS;
    NTSTATUS st = nt_handle_get(process, NT_OBJ_PROCESS, &o);
    if (st != STATUS_SUCCESS)
        return st == STATUS_OBJECT_TYPE_MISMATCH ? st : STATUS_INVALID_HANDLE;
    if ((st = nt_handle_access(process, o, access)) != STATUS_SUCCESS) {
        nt_object_release(o);
        return st;
    }
    *child = nt_child_from_object(o); /* NULL: our own process */
    if (!*child)
        nt_object_release(o);
    return STATUS_SUCCESS; /* the caller releases the child (nt_process_target_done) */
}

NTSTATUS nt_process_peb(HANDLE process, void **peb)
{
    nt_child *c;
    *peb = NULL;
    NTSTATUS st = nt_process_target(process, 0x0010 /* PROCESS_VM_READ */, &c);
    if (st != STATUS_SUCCESS)
        return st;
    if (!c) {
        *peb = rt_proc.peb;
        return STATUS_SUCCESS;
    }
    nt_rc_req req = {.op = NT_RC_PEB};
    nt_rc_rep rep = {0};
    st = nt_rc_call(c, &req, NULL, NULL, 0, &rep, NULL, 0, NULL);
    if (st == STATUS_SUCCESS)
        *peb = (void *)(uintptr_t)rep.r[0];
    nt_process_target_done(c);
    return st;
}

void nt_process_target_done(nt_child *c)
{
    if (c)
        nt_object_release((nt_object *)c);
}

/* ---- the Nt*VirtualMemory calls on a child (virtual.c hands them over) ---- */

/* The three range calls: (base, size) read from the caller into a[0] and a[1] of the request (the
 * caller fills the rest), the child's rounded range written back, and with old_protect its third
 * answer. */
static NTSTATUS rc_vm_range(nt_child *c, nt_rc_req *req, void **base, SIZE_T *size,
                            uint32_t *old_protect)
{
    void *ubase;
    SIZE_T usize;
    if (nt_copy_from_user(&ubase, base, sizeof ubase) != 0 ||
        nt_copy_from_user(&usize, size, sizeof usize) != 0 || !nt_probe_write(base, sizeof ubase) ||
        !nt_probe_write(size, sizeof usize) ||
        (old_protect && !nt_probe_write(old_protect, sizeof *old_protect)))
        return STATUS_ACCESS_VIOLATION;
    req->a[0] = (uint64_t)(uintptr_t)ubase;
    req->a[1] = usize;
    nt_rc_rep rep = {0};
    NTSTATUS st = nt_rc_call(c, req, NULL, NULL, 0, &rep, NULL, 0, NULL);
    if (NT_SUCCESS(st)) {
        ubase = (void *)(uintptr_t)rep.r[0];
        usize = (SIZE_T)rep.r[1];
        nt_copy_to_user(base, &ubase, sizeof ubase);
        nt_copy_to_user(size, &usize, sizeof usize);
        if (old_protect) {
            uint32_t old = (uint32_t)rep.r[2];
            nt_copy_to_user(old_protect, &old, sizeof old);
        }
    }
    return st;
}

NTSTATUS nt_rc_vm_alloc(nt_child *c, void **base, ULONG_PTR zero_bits, SIZE_T *size,
                        uint32_t type, uint32_t protect)
{
    nt_rc_req req = {.op = NT_RC_VM_ALLOC, .a = {0, 0, zero_bits, type, protect}};
    return rc_vm_range(c, &req, base, size, NULL);
}

NTSTATUS nt_rc_vm_free(nt_child *c, void **base, SIZE_T *size, uint32_t type)
{
    nt_rc_req req = {.op = NT_RC_VM_FREE, .a = {0, 0, type}};
    return rc_vm_range(c, &req, base, size, NULL);
}

NTSTATUS nt_rc_vm_protect(nt_child *c, void **base, SIZE_T *size, uint32_t new_protect,
                          uint32_t *old_protect)
{
    nt_rc_req req = {.op = NT_RC_VM_PROTECT, .a = {0, 0, new_protect}};
    return rc_vm_range(c, &req, base, size, old_protect);
}

/* MemoryBasicInformation, and MemoryMappedFilenameInformation (its UNICODE_STRING's Buffer
 * points into the caller's buffer, here as there). */
NTSTATUS nt_rc_vm_query(nt_child *c, const void *addr, uint32_t klass, void *info, SIZE_T len,
                        SIZE_T *ret_len)
{
    if (klass != 0 && klass != 2)
        return STATUS_INVALID_INFO_CLASS;
    if (!nt_probe_write(info, len) || (ret_len && !nt_probe_write(ret_len, sizeof *ret_len)))
        return STATUS_ACCESS_VIOLATION;
    SIZE_T cap = len < NT_RC_DATA_MAX ? len : NT_RC_DATA_MAX;
    uint8_t *buf = malloc(cap ? cap : 1);
    if (!buf)
        return STATUS_NO_MEMORY;
    nt_rc_req req = {.op = NT_RC_VM_QUERY, .a = {(uint64_t)(uintptr_t)addr, klass, cap}};
    nt_rc_rep rep = {0};
    size_t got = 0;
    NTSTATUS st = nt_rc_call(c, &req, NULL, NULL, 0, &rep, buf, cap, &got);
    if (NT_SUCCESS(st) || st == STATUS_BUFFER_OVERFLOW) {
        if (klass == 2 && got >= 16) { /* the child's Buffer, rebased onto ours */
            uint64_t b;
            memcpy(&b, buf + 8, sizeof b);
            if (b)
                b = b - rep.r[1] + (uint64_t)(uintptr_t)info;
            memcpy(buf + 8, &b, sizeof b);
        }
        SIZE_T rl = (SIZE_T)rep.r[0];
        if (nt_copy_to_user(info, buf, got) != 0 ||
            (ret_len && nt_copy_to_user(ret_len, &rl, sizeof rl) != 0))
            st = STATUS_ACCESS_VIOLATION;
    } else if (klass == 2 && ret_len) {
        SIZE_T rl = (SIZE_T)rep.r[0];
        nt_copy_to_user(ret_len, &rl, sizeof rl);
    }
    free(buf);
    return st;
}

/* NtReadVirtualMemory / NtWriteVirtualMemory in pieces: the first piece that fails ends it. */
NTSTATUS nt_rc_vm_copy(nt_child *c, uintptr_t addr, void *buffer, SIZE_T size, bool write,
                       SIZE_T *done)
{
    SIZE_T n = 0;
    NTSTATUS st = STATUS_SUCCESS;
    uint8_t *chunk = NULL;
    if (done && !nt_probe_write(done, sizeof *done))
        return STATUS_ACCESS_VIOLATION;
    if (addr + size < addr)
        st = STATUS_ACCESS_VIOLATION;
    else if (size && !(chunk = malloc(size < NT_RC_DATA_MAX ? size : NT_RC_DATA_MAX)))
        st = STATUS_NO_MEMORY;
    while (st == STATUS_SUCCESS && n < size) {
        SIZE_T part = size - n < NT_RC_DATA_MAX ? size - n : NT_RC_DATA_MAX;
        nt_rc_req req = {.op = write ? NT_RC_VM_WRITE : NT_RC_VM_READ,
                         .a = {addr + n, part}};
        nt_rc_rep rep = {0};
        size_t got = 0;
        if (write) {
            if (nt_copy_from_user(chunk, (uint8_t *)buffer + n, part) != 0) {
                st = STATUS_PARTIAL_COPY;
                break;
            }
            req.len = (uint32_t)part;
            st = nt_rc_call(c, &req, chunk, NULL, 0, &rep, NULL, 0, NULL);
            n += (SIZE_T)rep.r[0];
        } else {
            st = nt_rc_call(c, &req, NULL, NULL, 0, &rep, chunk, part, &got);
            if (got > (size_t)rep.r[0])
                got = (size_t)rep.r[0];
            if (nt_copy_to_user((uint8_t *)buffer + n, chunk, got) != 0) {
                st = STATUS_PARTIAL_COPY;
                break;
            }
            n += got;
        }
        if (st == STATUS_SUCCESS && (SIZE_T)rep.r[0] < part)
            st = STATUS_PARTIAL_COPY;
    }
    free(chunk);
    if (done)
        nt_copy_to_user(done, &n, sizeof n);
    return st;
}

/* ---- the child's side ---- */

static NTSTATUS rc_serve_handle_out(const nt_rc_req *req, nt_rc_rep *rep, char *out,
                                    size_t *out_len, int *rfds, int *rnfds);

static NTSTATUS rc_serve_one(const nt_rc_req *req, const uint8_t *data, size_t len,
                             int *fds, int nfds, nt_rc_rep *rep, uint8_t *out, size_t *out_len,
                             int *rfds, int *rnfds)
{
    void *b = (void *)(uintptr_t)req->a[0];
    SIZE_T s = (SIZE_T)req->a[1];
    NTSTATUS st;
    *out_len = 0;
    switch (req->op) {
    case NT_RC_VM_ALLOC:
        st = NtAllocateVirtualMemory(NtCurrentProcess(), &b, (ULONG_PTR)req->a[2], &s,
                                     (uint32_t)req->a[3], (uint32_t)req->a[4]);
        rep->r[0] = (uint64_t)(uintptr_t)b;
        rep->r[1] = s;
        return st;
    case NT_RC_VM_FREE:
        st = NtFreeVirtualMemory(NtCurrentProcess(), &b, &s, (uint32_t)req->a[2]);
        rep->r[0] = (uint64_t)(uintptr_t)b;
        rep->r[1] = s;
        return st;
    case NT_RC_VM_PROTECT: {
        uint32_t old = 0;
        st = NtProtectVirtualMemory(NtCurrentProcess(), &b, &s, (uint32_t)req->a[2], &old);
        rep->r[0] = (uint64_t)(uintptr_t)b;
        rep->r[1] = s;
        rep->r[2] = old;
        return st;
    }
    case NT_RC_VM_QUERY: {
        SIZE_T rl = 0, cap = (SIZE_T)req->a[2];
        if (cap > NT_RC_DATA_MAX)
            cap = NT_RC_DATA_MAX;
        st = NtQueryVirtualMemory(NtCurrentProcess(), b, (uint32_t)req->a[1], out, cap, &rl);
        rep->r[0] = rl;
        rep->r[1] = (uint64_t)(uintptr_t)out;
        if (NT_SUCCESS(st) || st == STATUS_BUFFER_OVERFLOW)
            *out_len = req->a[1] == 0 ? (rl < cap ? rl : cap) : cap;
        return st;
    }
    case NT_RC_VM_READ: {
        SIZE_T done = 0;
        if (s > NT_RC_DATA_MAX)
            return STATUS_INVALID_PARAMETER;
        st = NtReadVirtualMemory(NtCurrentProcess(), b, out, s, &done);
        rep->r[0] = done;
        *out_len = done;
        return st;
    }
    case NT_RC_VM_WRITE: {
        SIZE_T done = 0;
        if (s != len)
            return STATUS_INVALID_PARAMETER;
        st = NtWriteVirtualMemory(NtCurrentProcess(), b, data, s, &done);
        rep->r[0] = done;
        return st;
    }
    case NT_RC_HANDLE_IN:
    case NT_RC_MAP_VIEW:
        return nt_rc_serve_object(req, (const char *)data, len, fds, nfds, rep);
    case NT_RC_UNMAP_VIEW:
        return NtUnmapViewOfSection(NtCurrentProcess(), b);
    case NT_RC_HANDLE_OUT:
        return rc_serve_handle_out(req, rep, (char *)out, out_len, rfds, rnfds);
    case NT_RC_PEB:
        rep->r[0] = (uint64_t)(uintptr_t)rt_proc.peb;
        return STATUS_SUCCESS;
    case NT_RC_TERMINATE: /* the code is told now; the process ends once it has answered */
        nt_process_terminate_remote((uint32_t)req->a[0], false);
        return STATUS_SUCCESS;
    }
    return STATUS_NOT_IMPLEMENTED;
}

static void *rc_serve(void *arg)
{
    int fd = (int)(intptr_t)arg;
    /* Faults stay deliverable: a read of memory that is reserved, or protected, faults in
     * rt_safe_copy, whose fix-up is the SIGSEGV handler's (a blocked synchronous fault would
     * end the process). */
    sigset_t faults;
    sigemptyset(&faults);
    sigaddset(&faults, SIGSEGV);
    sigaddset(&faults, SIGBUS);
    pthread_sigmask(SIG_UNBLOCK, &faults, NULL);
    uint8_t *in = malloc(sizeof(nt_rc_req) + NT_RC_DATA_MAX);
    uint8_t *out = malloc(NT_RC_DATA_MAX);
    if (!in || !out)
        goto done;
    for (;;) {
        union {
            char buf[CMSG_SPACE(sizeof(int) * NT_RC_FDS_MAX)];
            struct cmsghdr align;
        } u;
        struct iovec iov = {in, sizeof(nt_rc_req) + NT_RC_DATA_MAX};
        struct msghdr mh = {.msg_iov = &iov, .msg_iovlen = 1, .msg_control = u.buf,
                            .msg_controllen = sizeof u.buf};
        ssize_t n = recvmsg(fd, &mh, MSG_CMSG_CLOEXEC);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            break; /* the parent has gone (or closed its handles of us) */
        int fds[NT_RC_FDS_MAX], rfds[NT_RC_FDS_MAX], rnfds = 0;
        int nfds = nt_rc_take_fds(&mh, fds, NT_RC_FDS_MAX);
        nt_rc_rep rep = {0};
        size_t out_len = 0;
        nt_rc_req req;
        if ((size_t)n < sizeof req) {
            rep.status = STATUS_INVALID_PARAMETER;
        } else {
            memcpy(&req, in, sizeof req);
            size_t len = (size_t)n - sizeof req;
            rep.status = req.len != len ? STATUS_INVALID_PARAMETER
                                        : rc_serve_one(&req, in + sizeof req, len, fds, nfds,
                                                       &rep, out, &out_len, rfds, &rnfds);
        }
        rc_close_fds(fds, nfds); /* the ones a request took are -1 now */
        rep.len = (uint32_t)out_len;
        struct iovec riov[2] = {{&rep, sizeof rep}, {out, out_len}};
        struct msghdr rh = {.msg_iov = riov, .msg_iovlen = out_len ? 2 : 1};
        nt_rc_put_fds(&rh, u.buf, rfds, rnfds);
        while (sendmsg(fd, &rh, MSG_NOSIGNAL) < 0 && errno == EINTR)
            ;
        rc_close_fds(rfds, rnfds);
        if (rep.status == STATUS_SUCCESS && (size_t)n >= sizeof req && req.op == NT_RC_TERMINATE)
            nt_process_terminate_remote((uint32_t)req.a[0], true); /* does not return */
    }
done:
    free(in);
    free(out);
    close(fd);
    return NULL;
}

/* Serves the requests of the process at the other end of `fd` from now on (in a child, its
 * parent's; in a parent, a child's): a native thread, all signals but the fault signals
 * blocked, so no program signal or Ctrl-C handler ever runs on it. */
void nt_rc_serve_start(int fd)
{
    if (rt_service_thread_start(rc_serve, (void *)(intptr_t)fd, 256 * 1024, true) != 0)
        close(fd); /* the parent's requests then fail: STATUS_PROCESS_IS_TERMINATING */
}

/* ---- objects that travel: inherited handles, DuplicateHandle into a child, views ---- */

bool nt_object_export(nt_object *obj, char *desc, size_t size, int fds[2])
{
    fds[0] = fds[1] = -1;
    desc[0] = 0;
    switch (obj->type) {
    case NT_OBJ_FILE: {
        nt_file *f = (nt_file *)obj;
        int dc = -1;
        if (f->fd < 0)
            return false;
        if (nt_pipe_export_listening(f, desc, size)) { /* made again over there */
            fds[0] = open("/dev/null", O_RDONLY | O_CLOEXEC);
            return fds[0] >= 0;
        }
        if (!nt_pipe_inherit_desc(f, desc, size, &dc))
            desc[0] = 0;
        fds[0] = fcntl(f->fd, F_DUPFD_CLOEXEC, 0);
        if (dc >= 0)
            fds[1] = fcntl(dc, F_DUPFD_CLOEXEC, 0);
        return fds[0] >= 0;
    }
    case NT_OBJ_SECTION:
        return nt_section_export(obj, desc, size, &fds[0]);
    case NT_OBJ_PROCESS:
        return nt_process_export(obj, desc, size, &fds[0]);
    case NT_OBJ_EVENT:
    case NT_OBJ_SEMAPHORE:
    case NT_OBJ_MUTANT:
        return nt_sync_export(obj, desc, size, fds);
    case NT_OBJ_TIMER:
        return nt_timer_export(obj, desc, size, fds);
    default:
        return false; /* the rest live in one process */
    }
}

NTSTATUS nt_object_import(const char *desc, int fds[2], uint32_t access, nt_object **out)
{
    *out = NULL;
    int fd = fds[0];
    if (fd < 0)
        return STATUS_INVALID_PARAMETER;
    fds[0] = -1;
    if (desc[0] == 'S')
        return nt_section_import(desc, fd, out);
    if (desc[0] == 'R')
        return nt_process_import(desc, fd, out);
    if (desc[0] == 'V' || desc[0] == 'Q' || desc[0] == 'M') {
        int two[2] = {fd, fds[1]};
        fds[1] = -1;
        return nt_sync_import(desc, two, out);
    }
    if (desc[0] == 'T') {
        int two[2] = {fd, fds[1]};
        fds[1] = -1;
        return nt_timer_import(desc, two, out);
    }
    if (desc[0] == 'L') { /* a listening pipe instance: a new one here */
        close(fd);
        return nt_pipe_import_listening(desc, access, out);
    }
    fcntl(fd, F_SETFD, FD_CLOEXEC);
    nt_file *f = nt_file_new_owned(fd, access);
    if (!f) {
        close(fd);
        return STATUS_NO_MEMORY;
    }
    if (desc[0] == 'P') { /* a named pipe end: its mode and disconnection eventfd */
        nt_pipe_inherited(f, desc, fds[1]);
        fds[1] = -1;
    }
    *out = &f->hdr;
    return STATUS_SUCCESS;
}

NTSTATUS nt_rc_handle_in(nt_child *c, nt_object *obj, uint32_t granted, bool inherit,
                         HANDLE *out)
{
    char desc[256];
    int fds[2];
    *out = NULL;
    if (!nt_object_export(obj, desc, sizeof desc, fds)) {
        for (int i = 0; i < 2; i++)
            if (fds[i] >= 0)
                close(fds[i]);
        return STATUS_NOT_SUPPORTED;
    }
    int nfds = fds[1] >= 0 ? 2 : 1;
    nt_rc_req req = {.op = NT_RC_HANDLE_IN, .len = (uint32_t)strlen(desc) + 1,
                     .a = {granted, inherit, (uint64_t)nfds}};
    nt_rc_rep rep = {0};
    NTSTATUS st = nt_rc_call(c, &req, desc, fds, nfds, &rep, NULL, 0, NULL);
    for (int i = 0; i < 2; i++)
        if (fds[i] >= 0)
            close(fds[i]);
    if (NT_SUCCESS(st))
        *out = (HANDLE)(uintptr_t)rep.r[0];
    return st;
}

/* DuplicateHandle with another process as the source: the object behind its handle `h` comes
 * over (want: *obj, with the handle's access and inheritance there), and with close the handle
 * is closed there, whatever else happened, as Windows does. */
NTSTATUS nt_rc_handle_out(nt_child *c, HANDLE h, bool close_source, bool want, nt_object **obj,
                          uint32_t *granted, bool *inherit)
{
    char desc[256];
    int fds[NT_RC_FDS_MAX], nfds = 0;
    size_t got = 0;
    *obj = NULL;
    nt_rc_req req = {.op = NT_RC_HANDLE_OUT,
                     .a = {(uint64_t)(uintptr_t)h, (close_source ? 1u : 0u) | (want ? 2u : 0u)}};
    nt_rc_rep rep = {0};
    NTSTATUS st = rc_call_fds(c, &req, NULL, NULL, 0, &rep, desc, sizeof desc - 1, &got, fds,
                              &nfds);
    if (st == STATUS_SUCCESS && want) {
        int two[2] = {nfds > 0 ? fds[0] : -1, nfds > 1 ? fds[1] : -1};
        desc[got < sizeof desc ? got : sizeof desc - 1] = 0;
        *granted = (uint32_t)rep.r[0];
        *inherit = rep.r[1] != 0;
        st = nt_object_import(desc, two, *granted, obj);
        for (int i = 0; i < nfds && i < 2; i++)
            fds[i] = two[i]; /* the ones taken are -1 */
    }
    rc_close_fds(fds, nfds);
    return st;
}

/* The serving side of NT_RC_HANDLE_OUT: a[0] the handle, a[1] 1: close it, 2: send its object. */
static NTSTATUS rc_serve_handle_out(const nt_rc_req *req, nt_rc_rep *rep, char *out,
                                    size_t *out_len, int *rfds, int *rnfds)
{
    HANDLE h = (HANDLE)(uintptr_t)req->a[0];
    nt_object *o;
    NTSTATUS st = nt_object_from_handle(h, NT_OBJ_ANY, &o);
    if (st == STATUS_SUCCESS && (req->a[1] & 2u)) {
        int two[2];
        rep->r[0] = nt_handle_granted(h, nt_object_default_access(o));
        rep->r[1] = nt_handle_inherits(h);
        if (nt_object_export(o, out, 256, two)) {
            *out_len = strlen(out) + 1;
            rfds[0] = two[0];
            rfds[1] = two[1];
            *rnfds = two[1] >= 0 ? 2 : 1;
        } else {
            rc_close_fds(two, 2);
            st = STATUS_NOT_SUPPORTED; /* threads, keys...: one process's objects */
        }
    }
    if (o)
        nt_object_release(o);
    if (req->a[1] & 1u)
        NtClose(h);
    return st;
}

NTSTATUS nt_rc_map_view(nt_child *c, nt_object *section, void **base, ULONG_PTR zero_bits,
                        SIZE_T commit, LARGE_INTEGER *offset, SIZE_T *view_size,
                        uint32_t alloc_type, uint32_t protect)
{
    void *want;
    SIZE_T size;
    int64_t off = 0;
    if (nt_copy_from_user(&want, base, sizeof want) != 0 ||
        nt_copy_from_user(&size, view_size, sizeof size) != 0 ||
        (offset && nt_copy_from_user(&off, &offset->QuadPart, sizeof off) != 0))
        return STATUS_ACCESS_VIOLATION;
    char desc[256];
    int fds[2] = {-1, -1};
    if (!nt_section_export(section, desc, sizeof desc, &fds[0])) {
        if (fds[0] >= 0)
            close(fds[0]);
        return STATUS_NOT_SUPPORTED; /* an image section into another process */
    }
    nt_rc_req req = {.op = NT_RC_MAP_VIEW, .len = (uint32_t)strlen(desc) + 1,
                     .a = {(uint64_t)(uintptr_t)want, zero_bits, commit, (uint64_t)off, size,
                           ((uint64_t)alloc_type << 32) | protect}};
    nt_rc_rep rep = {0};
    NTSTATUS st = nt_rc_call(c, &req, desc, fds, 1, &rep, NULL, 0, NULL);
    close(fds[0]);
    if (NT_SUCCESS(st)) {
        want = (void *)(uintptr_t)rep.r[0];
        size = (SIZE_T)rep.r[1];
        if (nt_copy_to_user(base, &want, sizeof want) != 0 ||
            nt_copy_to_user(view_size, &size, sizeof size) != 0)
            return STATUS_ACCESS_VIOLATION;
    }
    return st;
}

NTSTATUS nt_rc_unmap_view(nt_child *c, void *base)
{
    nt_rc_req req = {.op = NT_RC_UNMAP_VIEW, .a = {(uint64_t)(uintptr_t)base}};
    nt_rc_rep rep = {0};
    return nt_rc_call(c, &req, NULL, NULL, 0, &rep, NULL, 0, NULL);
}

/* The child's side of NT_RC_HANDLE_IN and NT_RC_MAP_VIEW. */
NTSTATUS nt_rc_serve_object(const nt_rc_req *req, const char *desc, size_t len, int *fds,
                            int nfds, nt_rc_rep *rep)
{
    int two[2] = {nfds > 0 ? fds[0] : -1, nfds > 1 ? fds[1] : -1};
    nt_object *obj;
    HANDLE h;
    if (len == 0 || desc[len - 1] != 0)
        return STATUS_INVALID_PARAMETER;
    bool view = req->op == NT_RC_MAP_VIEW;
    NTSTATUS st = nt_object_import(desc, two, view ? 0 : (uint32_t)req->a[0], &obj);
    for (int i = 0; i < nfds && i < 2; i++)
        fds[i] = two[i]; /* the ones taken are -1 */
    if (st != STATUS_SUCCESS)
        return st;
    if (view && obj->type != NT_OBJ_SECTION) {
        nt_object_release(obj);
        return STATUS_OBJECT_TYPE_MISMATCH;
    }
    st = nt_handle_alloc_inherit(obj, !view && req->a[1], &h);
    nt_object_release(obj);
    if (st != STATUS_SUCCESS)
        return st;
    if (!view) {
        nt_handle_set_granted(h, (uint32_t)req->a[0]);
        rep->r[0] = (uint64_t)(uintptr_t)h;
        return STATUS_SUCCESS;
    }
    void *b = (void *)(uintptr_t)req->a[0];
    SIZE_T size = (SIZE_T)req->a[4];
    LARGE_INTEGER off = {.QuadPart = (int64_t)req->a[3]};
    st = NtMapViewOfSection(h, NtCurrentProcess(), &b, (ULONG_PTR)req->a[1], (SIZE_T)req->a[2],
                            &off, &size, 1 /* ViewShare */, (uint32_t)(req->a[5] >> 32),
                            (uint32_t)req->a[5]);
    nt_handle_close(h);
    rep->r[0] = (uint64_t)(uintptr_t)b;
    rep->r[1] = size;
    return st;
}
