/* SPDX-License-Identifier: MIT */
/* Private to ntemu/: helpers shared by the NT emulation's files (status, handles, files,
 * directories, paths, virtual memory, time). Nothing here is visible to thunks/ or loader/. */
#ifndef NTRUN_NTEMU_PRIVATE_H
#define NTRUN_NTEMU_PRIVATE_H

#include <errno.h>
#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include <time.h>
#include "ntemu/ntemu.h"

/* ---- NTSTATUS values used inside ntemu/ that runtime/win.h does not define ---- */
#ifndef STATUS_NO_YIELD_PERFORMED
#define STATUS_NO_YIELD_PERFORMED ((NTSTATUS)0x40000024)
#endif
#ifndef STATUS_DEVICE_BUSY
#define STATUS_DEVICE_BUSY ((NTSTATUS)0x80000011)
#endif
#ifndef STATUS_NO_SUCH_DEVICE
#define STATUS_NO_SUCH_DEVICE ((NTSTATUS)0xC000000E)
#endif
#ifndef STATUS_NOT_COMMITTED
#define STATUS_NOT_COMMITTED ((NTSTATUS)0xC000002D)
#endif
#ifndef STATUS_UNABLE_TO_DELETE_SECTION
#define STATUS_UNABLE_TO_DELETE_SECTION ((NTSTATUS)0xC000001B)
#endif
#ifndef STATUS_INVALID_PAGE_PROTECTION
#define STATUS_INVALID_PAGE_PROTECTION ((NTSTATUS)0xC0000045)
#endif
#ifndef STATUS_FREE_VM_NOT_AT_BASE
#define STATUS_FREE_VM_NOT_AT_BASE ((NTSTATUS)0xC000009F)
#endif
#ifndef STATUS_MEDIA_WRITE_PROTECTED
#define STATUS_MEDIA_WRITE_PROTECTED ((NTSTATUS)0xC00000A2)
#endif
#ifndef STATUS_IO_TIMEOUT
#define STATUS_IO_TIMEOUT ((NTSTATUS)0xC00000B5)
#endif
#ifndef STATUS_BAD_NETWORK_PATH
#define STATUS_BAD_NETWORK_PATH ((NTSTATUS)0xC00000BE)
#endif
#ifndef STATUS_NOT_SAME_DEVICE
#define STATUS_NOT_SAME_DEVICE ((NTSTATUS)0xC00000D4)
#endif
#ifndef STATUS_IO_DEVICE_ERROR
#define STATUS_IO_DEVICE_ERROR ((NTSTATUS)0xC0000185)
#endif
#ifndef STATUS_TOO_MANY_LINKS
#define STATUS_TOO_MANY_LINKS ((NTSTATUS)0xC0000265)
#endif
#ifndef STATUS_REPARSE_POINT_NOT_RESOLVED
#define STATUS_REPARSE_POINT_NOT_RESOLVED ((NTSTATUS)0xC0000280)
#endif
#ifndef STATUS_FILE_TOO_LARGE
#define STATUS_FILE_TOO_LARGE ((NTSTATUS)0xC0000904)
#endif

/* ---- sync and thread status codes ---- */
#ifndef STATUS_OBJECT_NAME_EXISTS
#define STATUS_OBJECT_NAME_EXISTS ((NTSTATUS)0x40000000)
#endif
#ifndef STATUS_MUTANT_NOT_OWNED
#define STATUS_MUTANT_NOT_OWNED ((NTSTATUS)0xC0000046)
#endif
#ifndef STATUS_SEMAPHORE_LIMIT_EXCEEDED
#define STATUS_SEMAPHORE_LIMIT_EXCEEDED ((NTSTATUS)0xC0000047)
#endif
#ifndef STATUS_INVALID_PARAMETER_1
#define STATUS_INVALID_PARAMETER_1 ((NTSTATUS)0xC00000EF)
#endif
#ifndef STATUS_INVALID_PARAMETER_4
#define STATUS_INVALID_PARAMETER_4 ((NTSTATUS)0xC00000F2)
#endif
#ifndef STATUS_INVALID_PARAMETER_5
#define STATUS_INVALID_PARAMETER_5 ((NTSTATUS)0xC00000F3)
#endif
#ifndef STATUS_INVALID_PARAMETER_6
#define STATUS_INVALID_PARAMETER_6 ((NTSTATUS)0xC00000F4)
#endif
#ifndef STATUS_INVALID_PARAMETER_8
#define STATUS_INVALID_PARAMETER_8 ((NTSTATUS)0xC00000F6)
#endif
#ifndef STATUS_THREAD_IS_TERMINATING
#define STATUS_THREAD_IS_TERMINATING ((NTSTATUS)0xC000004B)
#endif
#ifndef STATUS_MUTANT_LIMIT_EXCEEDED
#define STATUS_MUTANT_LIMIT_EXCEEDED ((NTSTATUS)0xC0000191)
#endif
#define NT_STATUS_INVALID_PARAMETER_MIX ((NTSTATUS)0xC0000030)
#define NT_STATUS_DATATYPE_MISALIGNMENT ((NTSTATUS)0x80000002)
#define STATUS_FILE_LOCK_CONFLICT ((NTSTATUS)0xC0000054)
#define STATUS_LOCK_NOT_GRANTED ((NTSTATUS)0xC0000055)
#define STATUS_RANGE_NOT_LOCKED ((NTSTATUS)0xC000007E)

/* ---- waitable objects (sync.c, thread.c) ----
 * Every event, mutant, semaphore, thread and process object starts with an nt_sync. All their
 * state is guarded by one process-wide lock, nt_wait_lock. A waiting thread links one wait
 * block per object into the objects' lists and sleeps on a futex word of its own; whoever
 * changes an object's state (under the lock) calls nt_sync_wake, which satisfies the waits that
 * have become possible *on the waiter's behalf* (acquiring the objects for it) before waking
 * it, so a signal can neither be lost nor stolen between the check and the sleep. */
struct nt_wait_block;
typedef struct nt_sync {
    nt_object hdr;
    struct nt_wait_block *wait_head, *wait_tail;
    WCHAR *name;                    /* named objects: malloc'd, NULL otherwise */
    size_t name_len;
    struct nt_sync *name_next;      /* the name list (sync.c) */
    struct nt_xname *xname;         /* offered to other processes (sync_names.c), or NULL */
} nt_sync;

typedef struct nt_thread_obj {
    nt_sync s;
    int32_t tid;                    /* Linux tid, 0 before the thread started */
    TEB *teb;                       /* NULL once the thread has ended */
    uint32_t exit_code;             /* STILL_ACTIVE (259) while running */
    bool exited;                    /* signalled */
    int suspend;                    /* futex word: > 0 while held suspended before its start */
    void *start, *param;            /* foreign start routine */
    uint32_t (*native_body)(void *ctx); /* or a native body (msvcrt _beginthread) */
    void *native_ctx;
    size_t stack_reserve;
    struct nt_thread_obj *next_obj, *prev_obj; /* every thread object (NtOpenThread), nt_wait_lock */
    struct nt_apc *apc_head, *apc_tail; /* queued user APCs (nt_wait_lock) */
    int *alert_word;                /* the futex word of its alertable wait in progress, or NULL */
    int alert_bell;                 /* fd + 1 of the doorbell its alertable wait polls (a blocking
                                       socket call's ppoll), 0 none; rung by a queued APC */
    /* The primary thread of a child process (ntemu/process.c), NULL for a thread of ours. */
    const struct nt_remote_thread_ops *remote;
    void *remote_ctx;
    /* ThreadNameInformation (SetThreadDescription): malloc'd UTF-16, name_bytes long, or NULL;
     * under nt_wait_lock */
    uint16_t *name;
    uint16_t name_bytes;
} nt_thread_obj;

/* What a thread object standing for another process's primary thread does (ntemu/process.c):
 * tid is that thread's id, `suspend` its count; the owner sets exited and exit_code. */
typedef struct nt_remote_thread_ops {
    void (*resume)(void *ctx);                   /* the suspend count fell to 0 */
    void (*terminate)(void *ctx, uint32_t code); /* NtTerminateThread: ends the process */
    void (*release)(void *ctx);                  /* the object is destroyed */
} nt_remote_thread_ops;
/* A new remote thread object with one reference (the caller's). NULL when out of memory. */
nt_thread_obj *nt_thread_new_remote(int32_t tid, int suspend, const nt_remote_thread_ops *ops,
                                    void *ctx);

/* A user APC: routine(a1, a2, a3), run by the thread in its next alertable wait. */
typedef struct nt_apc {
    struct nt_apc *next;
    void *routine;
    uint64_t a1, a2, a3;
} nt_apc;

extern pthread_mutex_t nt_wait_lock;
/* The value an alertable wait's futex word gets when a user APC is queued (sync.c). */
#define NT_WAIT_APC 2
/* An alertable wait outside sync.c (a blocking Winsock call, async.c): from now on a user APC
 * queued to `t` sets *word from 0 to NT_WAIT_APC (and wakes it) and rings `bell` (-1: none);
 * word NULL and bell -1 withdraw them. nt_thread_run_apcs runs the queued APCs (foreign code:
 * no lock held), true when there were any. */
void nt_thread_alertable(nt_thread_obj *t, int *word, int bell);
bool nt_thread_run_apcs(nt_thread_obj *t);
/* An event (sync.c); a timer (timer.c) starts with one and is signalled and reset the same way. */
typedef struct nt_event {
    nt_sync s;
    bool manual;
    bool signalled;
    bool shared;    /* shared with other processes: the state is efd's (sync.c), not signalled */
    int efd;
} nt_event;
/* The console input's "input pending" event (console.c): what a wait on a console input
 * handle waits on (a new reference; the hook is told first), and the hook after a read. */
bool nt_console_is_input(const nt_file *f);
nt_object *nt_console_input_waitable(int fd);
void nt_console_input_was_read(int fd);
/* The reader nt_console_set_reader gave, or NULL (the terminal is read as a file then). */
NTSTATUS (*nt_console_reader(void))(int fd, void *buf, size_t n, size_t *got);
/* Named-object helpers shared by sync.c and timer.c: create (or open an existing object of
 * the same name, STATUS_OBJECT_NAME_EXISTS) and open by name; forget the name at destruction. */
NTSTATUS nt_create_named(nt_sync *fresh, const OBJECT_ATTRIBUTES *attr, HANDLE *user_handle);
NTSTATUS nt_open_named(nt_obj_type type, const OBJECT_ATTRIBUTES *attr, HANDLE *user_handle);
/* The name OBJECT_ATTRIBUTES gives (malloc'd, NUL-terminated; NULL for an unnamed object). */
NTSTATUS nt_object_attr_name(const OBJECT_ATTRIBUTES *attr, WCHAR **name, size_t *len);
void nt_sync_free_name(nt_sync *s);
/* An NT timeout (NULL infinite, negative relative, positive absolute, 0 poll) as an absolute
 * CLOCK_MONOTONIC deadline in ns (INT64_MAX: none, 0: poll). */
NTSTATUS nt_wait_deadline(const LARGE_INTEGER *user, int64_t *deadline);
int64_t nt_mono_now(void);
/* Under nt_wait_lock: queues a user APC for `t` and alerts its alertable wait, if any.
 * STATUS_UNSUCCESSFUL when the thread has ended. */
NTSTATUS nt_queue_apc_locked(nt_thread_obj *t, void *routine, uint64_t a1, uint64_t a2,
                             uint64_t a3);
/* NtDelayExecution with alertable TRUE (time.c): ends early with STATUS_USER_APC after running
 * the caller's queued APCs. */
NTSTATUS nt_delay_alertable(const LARGE_INTEGER *timeout);
/* Under nt_wait_lock, after `o` may have become signalled. */
void nt_sync_wake(nt_sync *o);
/* Under nt_wait_lock: a wait on `obj` with no thread behind it (ntemu/waitpacket.c). When the
 * object is signalled now, it is acquired for `tid`, *satisfied gets the wait status and NULL
 * is returned; otherwise *satisfied is STATUS_PENDING and the returned waiter calls
 * fire(ctx, status) under the lock once the object is acquired; fire (or its owner, later)
 * frees it with nt_wait_async_free. */
struct nt_waiter;
struct nt_waiter *nt_wait_async_begin(nt_object *obj, int32_t tid,
                                      void (*fire)(void *ctx, NTSTATUS result), void *ctx,
                                      NTSTATUS *satisfied);
/* Under nt_wait_lock: unlinks and frees a waiter that has not fired. */
void nt_wait_async_cancel(struct nt_waiter *w);
/* Under nt_wait_lock: frees a waiter that has fired. */
void nt_wait_async_free(struct nt_waiter *w);
/* Under nt_wait_lock: the thread `tid` has ended; its mutants become abandoned. */
void nt_sync_abandon_mutants(int32_t tid);
/* The calling thread's thread object (created on first use for the main thread), with a
 * reference. NULL when out of memory. */
nt_thread_obj *nt_thread_current(void);
/* The process object (one, never destroyed), with a reference. */
nt_object *nt_process_object(void);
/* A handle or pseudo handle (-1 process, -2 thread) to an object with a reference. */
NTSTATUS nt_object_from_handle(HANDLE h, nt_obj_type type, nt_object **out);
/* The same, then Windows' access check (nt_handle_access): STATUS_ACCESS_DENIED, no object,
 * when the handle was not granted every bit of `need`. */
NTSTATUS nt_object_from_handle_access(HANDLE h, nt_obj_type type, uint32_t need, nt_object **out);
/* A DOS path in NT device form (\Device\HarddiskVolumeN\..., ntemu/object.c), malloc'd. */
WCHAR *nt_device_path_of_dos(const WCHAR *dos, size_t n, size_t *len);
/* NtQueryVirtualMemory's MemoryMappedFilenameInformation (ntemu/vmname.c). */
NTSTATUS nt_query_mapped_filename(HANDLE process, const void *addr, void *info, SIZE_T len,
                                  SIZE_T *ret_len);
/* Fields 3..NT_STAT_FIELDS of /proc/pid/stat, numbered as proc(5) numbers them (3 the state's
 * letter, 4 the parent, 14/15 user/system ticks, 22 the start time), 0 when absent; false when
 * the process is not there (ntemu/info.c). */
#define NT_STAT_FIELDS 24
bool nt_proc_stat(unsigned pid, unsigned long long f[NT_STAT_FIELDS + 1]);
/* The other ntrun processes of the user (ntemu/proclist.c): pid, parent, start time (NT time),
 * image name (UTF-8, "prog.exe") and thread ids; sorted by pid. */
typedef struct nt_proc_entry {
    pid_t pid, ppid;
    int64_t create_time;
    char *name;
    int32_t *tids;
    int ntids;
} nt_proc_entry;
int nt_other_processes(nt_proc_entry **out);
void nt_proc_entries_free(nt_proc_entry *list, int n);
/* The program another ntrun process runs, as its command line names it (malloc'd), or NULL. */
char *nt_proc_program_path(pid_t pid);
/* libntrun: a run has ended; the next run's memory peaks start afresh (ntemu/info.c). */
void nt_vm_counters_new_run(void);
/* The calling thread's id (TEB ClientId, or the Linux tid on a thread without a TEB). */
int32_t nt_current_tid(void);

/* ---- foreign memory ---- */
/* Is [user, user+n) readable and writable? Reads the bytes and writes the same bytes back, so a
 * probe never changes what the caller sees (Windows leaves outputs untouched on failure). */
bool nt_probe_write(void *user, size_t n);
/* Every page of [user, user + n) is readable (ntemu/usercopy.c; nt_probe_write likewise). */
bool nt_probe_read(const void *user, size_t n);
/* The input and output buffers of an I/O control code, probed by its transfer method as
 * Windows' I/O manager does before the handle is looked at (ntemu/usercopy.c). */
bool nt_probe_ioctl(uint32_t code, const void *in, uint32_t in_len, void *out, uint32_t out_len);

/* ---- time ---- */
/* 100 ns units since 1601-01-01 (Windows FILETIME) for a Linux timespec, and back. */
int64_t nt_time_from_timespec(const struct timespec *ts);
struct timespec nt_timespec_from_time(int64_t t);

/* ---- the clocks without the ABI tax (time.c) ----
 * NtQuerySystemTime and NtQueryPerformanceCounter are ms_abi; a call from them to any SysV
 * function (glibc's clock_gettime, rt_safe_copy) makes GCC save and restore xmm6-15 around it,
 * ~5% of an imported NtQuerySystemTime (docs/performance.md, seventeenth pass). Instead they
 * call the vDSO's clock_gettime and rt_safe_store8 from inline assembly that names what those
 * change: rt_safe_store8 only %rax (rt_asm.S); the vDSO function only what a SysV call may
 * change apart from the vector registers, which runtime/vdso.c proves it leaves alone by
 * decoding it. Until that proof is made (nt_clock_direct NULL), and where it fails, glibc's
 * clock_gettime is called from the cold ms_abi nt_clock_slow (the spill stays there). Inline
 * here for the handlers (time.c) and ntdll's raw entries (syscall.c). */
#define NT_TICKS_PER_SEC 10000000LL
typedef int (*nt_clock_fn)(clockid_t clk, struct timespec *ts);
/* the proven vDSO function (atomic), NULL until then */
extern nt_clock_fn nt_clock_direct __attribute__((visibility("hidden")));
__attribute__((ms_abi, visibility("hidden"))) void nt_clock_slow(clockid_t clk, struct timespec *ts);

static inline int64_t nt_ticks(const struct timespec *ts)
{
    return (int64_t)ts->tv_sec * NT_TICKS_PER_SEC + ts->tv_nsec / 100;
}
/* The same for a clock's reading, whose tv_nsec is in [0, 1e9): an unsigned division, two
 * instructions shorter (they follow the vDSO's lfence; rdtsc, so they add to every call). */
static inline int64_t nt_clock_ticks(const struct timespec *ts)
{
    return (int64_t)ts->tv_sec * NT_TICKS_PER_SEC + (int64_t)((uint64_t)ts->tv_nsec / 100);
}

/* clock_gettime(clk, ts) for ms_abi code. The call is made on a 16-byte aligned stack 128
 * bytes below ours (a SysV caller's red zone, should one inline this). */
static inline void nt_clock_read(clockid_t clk, struct timespec *ts)
{
    nt_clock_fn fn = __atomic_load_n(&nt_clock_direct, __ATOMIC_RELAXED);
    if (__builtin_expect(fn == NULL, 0)) {
        nt_clock_slow(clk, ts);
        return;
    }
    register long a0 __asm__("rdi") = clk;
    register struct timespec *a1 __asm__("rsi") = ts;
    __asm__ volatile("mov %%rsp, %%r12\n\t"
                     "sub $128, %%rsp\n\t"
                     "and $-16, %%rsp\n\t"
                     "call *%%rax\n\t"
                     "mov %%r12, %%rsp"
                     : "+a"(fn), "+D"(a0), "+S"(a1)
                     :
                     : "rcx", "rdx", "r8", "r9", "r10", "r11", "r12", "memory", "cc", "xmm0",
                       "xmm1", "xmm2", "xmm3", "xmm4", "xmm5");
}

/* *dst = v for a pointer from foreign code: 0, or -EFAULT (NULL included). */
static inline int nt_put_u64(void *dst, uint64_t v)
{
    if (!dst)
        return -EFAULT;
    int r;
    register void *d __asm__("rdi") = dst;
    register uint64_t val __asm__("rsi") = v;
    __asm__ volatile("sub $128, %%rsp\n\t"
                     "call rt_safe_store8\n\t"
                     "add $128, %%rsp"
                     : "=a"(r)
                     : "D"(d), "S"(val)
                     : "memory", "cc");
    return r;
}

static inline NTSTATUS nt_query_system_time(LARGE_INTEGER *time)
{
    struct timespec ts;
    nt_clock_read(CLOCK_REALTIME, &ts);
    if (nt_put_u64(time, (uint64_t)(nt_clock_ticks(&ts) + WIN_EPOCH_DIFF_100NS)) != 0)
        return STATUS_ACCESS_VIOLATION;
    return STATUS_SUCCESS;
}

static inline NTSTATUS nt_query_performance_counter(LARGE_INTEGER *counter,
                                                    LARGE_INTEGER *frequency)
{
    struct timespec ts;
    nt_clock_read(CLOCK_MONOTONIC, &ts);
    if (nt_put_u64(counter, (uint64_t)nt_clock_ticks(&ts)) != 0)
        return STATUS_ACCESS_VIOLATION;
    if (frequency && nt_put_u64(frequency, NT_QPC_FREQUENCY) != 0)
        return STATUS_ACCESS_VIOLATION;
    return STATUS_SUCCESS;
}

/* ---- case-insensitive names (Windows upper-cases both sides and compares ordinals;
 * nt_towupper is in ntemu.h) ---- */
/* Compare two UTF-8 names as Windows compares file names; true when equal. */
bool nt_name_equal_utf8(const char *a, const char *b);
/* Ordinal comparison of upper-cased UTF-16 strings (NTFS directory order). */
int nt_wcsicmp_n(const WCHAR *a, size_t alen, const WCHAR *b, size_t blen);

/* ---- paths ---- */
enum {
    NT_PATH_STRICT = 1u << 0, /* reject characters Windows never accepts in a name (*?<>|": ...) */
};
/* The core of nt_path_to_unix on a UTF-8 path with flags. */
NTSTATUS nt_path_to_unix_ex(const char *path, unsigned flags, char **out);
/* A name relative to a Linux directory (OBJECT_ATTRIBUTES.RootDirectory, or a rename target in
 * the file's own directory): no "." or "..", components looked up case-insensitively. An NT
 * name goes to the file system as it is: '\' separates, '/' is a character no NTFS name may
 * hold (STATUS_OBJECT_NAME_INVALID; Wine 8.0 answers the same). Only Win32 paths, which
 * kernelbase turns into NT names, take '/' for '\'. */
NTSTATUS nt_path_resolve_under(const char *base_dir, const char *rel, unsigned flags, char **out);
/* mkdir -p, mode 0755: every directory of an absolute Linux path that does not exist yet
 * (path.c; the C: drive's folders, registry.c's). Errors are not reported: the caller's next
 * open or access says what is missing. */
void nt_make_dirs(const char *dir);

/* ---- files ---- */
/* What NtQueryInformationFile and NtQueryDirectoryFile report about a Linux file. */
typedef struct nt_stat {
    uint32_t mode;          /* st_mode */
    uint32_t nlink;
    uint64_t size;
    uint64_t alloc;         /* st_blocks * 512 */
    uint64_t ino;
    int64_t creation, access, write, change; /* 100 ns since 1601 */
    uint32_t reparse_tag;   /* a symbolic link: IO_REPARSE_TAG_SYMLINK or _MOUNT_POINT, else 0 */
    bool link_dir;          /* a link to a directory (or a junction) */
} nt_stat;
/* statx() of `path` relative to dirfd (AT_FDCWD, or the fd itself with path "" and AT_EMPTY_PATH
 * in flags). 0 or -errno. */
int nt_stat_at(int dirfd, const char *path, int flags, nt_stat *out);
/* FILE_ATTRIBUTE_* for a file: directory, archive, read-only (no owner write bit), hidden (a name
 * starting with a dot). `name` is the last component, or NULL. */
uint32_t nt_file_attributes(const nt_stat *st, const char *name);
/* Reparse points (ntemu/reparse.c): Linux symbolic links. nt_reparse_classify fills a link's
 * reparse_tag and link_dir (nt_stat_at does); nt_reparse_fsctl answers FSCTL_GET_REPARSE_POINT
 * (the link opened with FILE_OPEN_REPARSE_POINT) and FSCTL_SET_REPARSE_POINT (a junction on
 * an empty directory) for a file of the disk, STATUS_INVALID_DEVICE_REQUEST for other codes. */
#define NT_IO_REPARSE_TAG_SYMLINK 0xA000000Cu
#define NT_IO_REPARSE_TAG_MOUNT_POINT 0xA0000003u
#define NT_FSCTL_GET_REPARSE_POINT 0x900a8u
#define NT_FSCTL_SET_REPARSE_POINT 0x900a4u
#define NT_FILE_OPEN_REPARSE_POINT 0x00200000u
void nt_reparse_classify(int dirfd, const char *path, nt_stat *st);
NTSTATUS nt_reparse_fsctl(nt_file *f, uint32_t code, const void *in, uint32_t in_len, void *out,
                          uint32_t out_len, ULONG_PTR *info);

/* Share modes within the process (share.c): a conflicting open is STATUS_SHARING_VIOLATION.
 * nt_share_add records an open file object of a regular file (NULL record for an open without
 * data or delete access); nt_share_remove forgets it when the object goes. */
struct nt_share;
NTSTATUS nt_share_check(uint64_t dev, uint64_t ino, uint32_t access, uint32_t sharing);
NTSTATUS nt_share_add(uint64_t dev, uint64_t ino, uint32_t access, uint32_t sharing,
                      struct nt_share **out);
void nt_share_remove(struct nt_share *e);

/* Byte-range locks (filelock.c): may f read (write) len bytes at off (< 0: its file pointer)
 * with lock key `key` (NtReadFile/NtWriteFile's Key; 0 from Win32)? STATUS_FILE_LOCK_CONFLICT
 * when another file object's lock covers part of them, or one of f's own taken with another
 * key (exclusive), or a shared one of its own for a write. nt_file_locks_drop forgets f's
 * locks when it goes. */
NTSTATUS nt_file_lock_check(nt_file *f, int64_t off, uint64_t len, bool write, uint32_t key);
void nt_file_locks_drop(nt_file *f);

/* A file object plus ntemu's private state. Every nt_file is allocated as an nt_file_ext. */
struct nt_dir_scan;
typedef struct nt_file_ext {
    nt_file f;
    bool owns_fd;             /* false for the standard streams (nt_file_from_fd) */
    bool is_path_only;        /* fd is O_PATH: no data access possible */
    pthread_mutex_t lock;     /* end-of-file writes, directory scans, renames */
    struct nt_dir_scan *scan; /* NtQueryDirectoryFile state (dir.c), NULL before the first call */
    struct nt_pipe_end *pipe; /* a named pipe's end (pipe.c), NULL for anything else */
    struct nt_async_file *async; /* overlapped I/O state (async.c), NULL before the first use */
    struct nt_dirwatch *dirwatch; /* change notifications (dirnotify.c), NULL before the first */
    struct nt_share *share;   /* its share-mode record (share.c), NULL when none */
    int lock_fd;              /* the description its byte-range locks are held on (filelock.c):
                                 -1 before the first lock */
    uint32_t lock_bucket;     /* its file's bucket in filelock.c's shared page, plus 1: 0 until
                                 the first read or write that looks (one fstat) */
    bool regular;             /* a regular file made from an fd (a handle inherited, a standard
                                 stream): no share record, but byte ranges all the same */
    bool afd;                 /* the socket driver's helper device, \Device\Afd (afd.c) */
} nt_file_ext;
static inline nt_file_ext *nt_file_ext_of(nt_file *f) { return (nt_file_ext *)f; }
/* Whether reads and writes of the file check byte-range locks: regular files (those opened by
 * name have a share record, see share.c). */
static inline bool nt_file_has_ranges(const nt_file_ext *fx) { return fx->share || fx->regular; }
/* Frees directory scan state (dir.c); called when the file object is destroyed. */
void nt_dir_scan_free(struct nt_dir_scan *scan);
/* Directory change notifications (dirnotify.c). When the file object goes, its pending
 * requests end with STATUS_NOTIFY_CLEANUP (nt_dirwatch_cleanup, before nt_async_file_close)
 * and the watch is freed (nt_dirwatch_free, after it). nt_dirwatch_waitable: what a wait on
 * the directory's handle waits on once it has had a request (the file object's event: reset
 * when a request starts, set when it ends), a new reference; NULL for any other file. */
void nt_dirwatch_cleanup(nt_file_ext *fx);
void nt_dirwatch_free(nt_file_ext *fx);
nt_object *nt_dirwatch_waitable(nt_file *f);

/* Child processes for job objects (process.c, job.c). */
struct nt_child;
struct nt_child *nt_child_from_object(nt_object *o); /* NULL: not a child (the caller's own) */
void nt_child_kill(struct nt_child *c, uint32_t status);
void nt_child_end(struct nt_child *c, uint32_t status); /* as TerminateProcess: no lock held */
bool nt_child_has_exited(struct nt_child *c);
uint32_t nt_child_pid(struct nt_child *c);
/* The reaper: a child has ended with `code` (its job's completion port hears of it). */
void nt_job_child_exited(nt_object *child, uint32_t code);
/* libntrun teardown, after the handles: the jobs that linger for the run's processes go. */
void nt_job_teardown(void);
/* A child was started: the caller's job, if any, takes it (job.c). */
/* A child joins the caller's job, if any; STATUS_QUOTA_EXCEEDED: the job's active-process limit
 * refused it (it has been killed). */
NTSTATUS nt_job_adopt_child(nt_object *child, bool breakaway);
int nt_child_mem_slot(struct nt_child *c);

/* Operations on another ntrun process (process_remote.c): a child's control channel, served by
 * the child's runtime (and in a child, the one to its parent, served by the parent's). nt_child_ctl_begin gives the parent's end with the channel's lock held
 * (-1: the process has no channel, not an ntrun child; -2: it has ended, no lock held);
 * nt_child_ctl_end lets it go. */
typedef struct nt_child nt_child;
int nt_child_ctl_begin(nt_child *c);
void nt_child_ctl_end(nt_child *c);
/* With the lock held: the channel is out of step (an answer that did not come): closed, and
 * made again on the next use where it can be (another process's rendezvous). */
void nt_child_ctl_drop(nt_child *c);
/* TerminateProcess of an ntrun process through its channel (process_remote.c), and the served
 * side (process.c): now = false tells the code (parent, watchers), true ends the process. */
NTSTATUS nt_rc_terminate(nt_child *c, uint32_t code);
/* TerminateProcess of an ntrun process of the user known only by its id (a job member's own
 * child): asked through its rendezvous; false when it could not be asked or did not answer. */
bool nt_rc_terminate_pid(int pid, uint32_t code);
void nt_process_terminate_remote(uint32_t code, bool now);

/* The rendezvous of ntrun processes (process_rendezvous.c): a listening socket per process,
 * named by the uid and pid, through which another process of the user opens it. */
void nt_rdv_listen(void);               /* this process's own, once (asked for, or it hands
                                           out a handle of itself) */
bool nt_thread_id_known(int32_t tid); /* a thread of this process has that id (thread.c) */
uint32_t nt_process_signal_code(int sig, bool native); /* a process a signal ended: its code */
void nt_rdv_init(void);                 /* at start: listening when another process asks */
int nt_rdv_child_socket(void);          /* before a spawn: the child's socket, unbound */
void nt_rdv_child_bind(int fd, pid_t pid); /* after it: named for the child, listening */
void nt_rdv_adopt(int fd);              /* in the child: accepted on from now on */
int nt_rdv_watch_self(void);            /* a watch of this process for another one */
void nt_rdv_exiting(uint32_t code);     /* tells every watcher the exit code */
/* Connects to process `pid`: kind 'W' (a watch) or 'C' (a control channel); *ended and *code
 * say whether it has told its exit code already. -1: no such ntrun process of the user. */
int nt_rdv_connect(pid_t pid, char kind, bool *ended, uint32_t *code);
bool nt_rdv_is_ntrun(pid_t pid);        /* pid runs ntrun's code (its exe or maps) */
/* Reads a watch until the process ends: true (and *code) when it told its exit code. */
bool nt_rdv_watch_wait(int fd, uint32_t *code);
#define NT_RC_DATA_MAX 65536
#define NT_RC_FDS_MAX 4
enum {
    NT_RC_VM_ALLOC = 1, NT_RC_VM_FREE, NT_RC_VM_PROTECT, NT_RC_VM_QUERY, NT_RC_VM_READ,
    NT_RC_VM_WRITE, NT_RC_HANDLE_IN, NT_RC_MAP_VIEW, NT_RC_UNMAP_VIEW, NT_RC_HANDLE_OUT,
    NT_RC_TERMINATE, NT_RC_PEB
};
typedef struct nt_rc_req {
    uint32_t op;
    uint32_t len;   /* bytes of data after the request */
    uint64_t a[6];
} nt_rc_req;
typedef struct nt_rc_rep {
    NTSTATUS status;
    uint32_t len;   /* bytes of data after the answer */
    uint64_t r[3];
} nt_rc_rep;
NTSTATUS nt_rc_call(nt_child *c, const nt_rc_req *req, const void *data, const int *fds,
                    int nfds, nt_rc_rep *rep, void *out, size_t out_cap, size_t *out_len);
/* The process a handle names with `access` checked: *child NULL for the caller's own;
 * nt_process_target_done releases a child. */
NTSTATUS nt_process_target(HANDLE process, uint32_t access, nt_child **child);
void nt_process_target_done(nt_child *c);
NTSTATUS nt_rc_vm_alloc(nt_child *c, void **base, ULONG_PTR zero_bits, SIZE_T *size,
                        uint32_t type, uint32_t protect);
NTSTATUS nt_rc_vm_free(nt_child *c, void **base, SIZE_T *size, uint32_t type);
NTSTATUS nt_rc_vm_protect(nt_child *c, void **base, SIZE_T *size, uint32_t new_protect,
                          uint32_t *old_protect);
NTSTATUS nt_rc_vm_query(nt_child *c, const void *addr, uint32_t klass, void *info, SIZE_T len,
                        SIZE_T *ret_len);
NTSTATUS nt_rc_vm_copy(nt_child *c, uintptr_t addr, void *buffer, SIZE_T size, bool write,
                       SIZE_T *done);
NTSTATUS nt_rc_map_view(nt_child *c, nt_object *section, void **base, ULONG_PTR zero_bits,
                        SIZE_T commit, LARGE_INTEGER *offset, SIZE_T *view_size,
                        uint32_t alloc_type, uint32_t protect);
NTSTATUS nt_rc_unmap_view(nt_child *c, void *base);
/* Puts a handle of obj into the child's table (DuplicateHandle with the child as target). */
NTSTATUS nt_rc_handle_in(nt_child *c, nt_object *obj, uint32_t granted, bool inherit,
                         HANDLE *out);
/* Takes the object of another process's handle (DuplicateHandle with it as the source) and/or
 * closes that handle (DUPLICATE_CLOSE_SOURCE). */
NTSTATUS nt_rc_handle_out(nt_child *c, HANDLE h, bool close_source, bool want, nt_object **obj,
                          uint32_t *granted, bool *inherit);
NTSTATUS nt_rc_serve_object(const nt_rc_req *req, const char *desc, size_t len, int *fds,
                            int nfds, nt_rc_rep *rep);
void nt_rc_serve_start(int fd);
/* SCM_RIGHTS of a message: taken into fds (those over cap closed); put from fds (u: a control
 * buffer of CMSG_SPACE(sizeof(int) * NT_RC_FDS_MAX) bytes). */
struct msghdr;
int nt_rc_take_fds(struct msghdr *mh, int *fds, int cap);
void nt_rc_put_fds(struct msghdr *mh, void *u, const int *fds, int nfds);
/* Named events, semaphores and mutants across processes (sync_names.c): the object another
 * process of the user has under that name (STATUS_OBJECT_NAME_NOT_FOUND: none), and this
 * process's offer of a named object to the others (stopped when the object goes). */
NTSTATUS nt_xname_find(nt_obj_type type, const WCHAR *name, size_t len, bool icase,
                       nt_object **out);
void nt_xname_offer(nt_sync *s);
void nt_xname_withdraw(nt_sync *s);
/* A new reference unless the object is being destroyed (its count is 0 already). */
bool nt_object_try_ref(nt_object *o);
/* An object as it travels to another process: a description (empty for a plain file) and up
 * to two fds (duplicates the caller closes; -1: none); false when its kind does not travel.
 * nt_object_import makes it again from them, taking the fds it uses (set to -1). */
bool nt_object_export(nt_object *obj, char *desc, size_t size, int fds[2]);
NTSTATUS nt_object_import(const char *desc, int fds[2], uint32_t access, nt_object **out);
bool nt_section_export(nt_object *o, char *buf, size_t size, int *fd);
NTSTATUS nt_section_import(const char *desc, int fd, nt_object **out);
bool nt_process_export(nt_object *o, char *buf, size_t size, int *fd);
bool nt_sync_export(nt_object *o, char *buf, size_t size, int fds[2]);
NTSTATUS nt_sync_import(const char *desc, int fds[2], nt_object **out);
/* Helpers of the above for timer.c: a page to share (mapped MAP_SHARED, *pfd its memfd;
 * MAP_FAILED else); under nt_wait_lock, an object that has just become shared sends its
 * waiters round again to poll its fd; a new object for an import (NULL: the fds closed), one
 * with its state page (fds[1]) mapped into *page. */
void *nt_shared_page(const char *name, int *pfd);
/* An eventfd (non-blocking) that holds a shared object's state: readable (its counter not 0),
 * one read (true: there was something), one write of n. */
bool nt_fd_readable(int fd);
bool nt_fd_take(int fd);
void nt_fd_give(int fd, uint64_t n);
void nt_sync_retry_waiters(nt_sync *o);
void *nt_sync_import_alloc(size_t size, nt_obj_type type, void (*destroy)(nt_object *),
                           int fds[2]);
void *nt_sync_import_paged(size_t size, nt_obj_type type, void (*destroy)(nt_object *),
                           int fds[2], void **page, NTSTATUS *st);
/* Timers that travel (timer.c): "T<manual>" with the eventfd of the signal state and the memfd
 * of the arming page. */
bool nt_timer_export(nt_object *o, char *buf, size_t size, int fds[2]);
NTSTATUS nt_timer_import(const char *desc, int fds[2], nt_object **out);
/* A shared timer whose armer has ended is taken over; else a pidfd (a duplicate to close) of
 * the armer to poll, or -1 (timer.c). *gen_seen (if not NULL): the arming's generation looked
 * at, for nt_timer_arming_changed, which a wait on the timer asks before it sleeps: another
 * process's NtSetTimer or NtCancelTimer since then sends the wait round to watch the new armer,
 * or take the timer over. While it sleeps, the timer's bell (timer.c's bell thread) sends it
 * round (NT_WAIT_RETRY); a shared timer that is not belled (nt_timer_bell_polled: no
 * futex_waitv, or more than 127 shared timers) is looked at every NT_TIMER_BELL_NS instead. */
#define NT_TIMER_BELL_NS 20000000L /* 20 ms */
int nt_timer_watch_armer(nt_object *o, uint64_t *gen_seen);
bool nt_timer_arming_changed(nt_object *o, uint64_t gen);
bool nt_timer_bell_polled(nt_object *o);
/* This process's id for shared objects (pid << 32 | start time), and whether the process of
 * an id has ended, watched through a pidfd kept in *watch_id / *watch_fd (sync.c). */
uint64_t nt_self_proc_id(void);
bool nt_proc_watch(uint64_t id, uint64_t *watch_id, int *watch_fd);
void nt_sync_shared_exit(uint32_t code); /* shared mutants our threads hold: abandoned */
NTSTATUS nt_process_import(const char *desc, int fd, nt_object **out);

/* Job memory limits (ntemu/job_memory.c). The host side, for ntemu/job.c and process.c: a
 * process slot for a new child (-1: none; *fd: the area, for the child), given back when it
 * has ended; a slot per job; a process joining a job; the limits; a job's peaks. Slot 0 is the
 * process itself. */
#define NT_JOBMEM_SELF 0
int nt_jobmem_child_slot(int *fd);
void nt_jobmem_proc_gone(int slot);
int nt_jobmem_job_new(void);
void nt_jobmem_job_free(int job_slot);
void nt_jobmem_join(int slot, int job_slot);
void nt_jobmem_set_proc_limit(int slot, uint64_t limit);
void nt_jobmem_job_set_limit(int job_slot, uint64_t limit);
void nt_jobmem_job_query(int job_slot, uint64_t *peak_process, uint64_t *peak_job);
/* Every process's side: its private commits (ntemu/virtual.c). STATUS_COMMITMENT_LIMIT when a
 * limit refuses them (the host is told). */
void nt_jobmem_child_init(void);
NTSTATUS nt_jobmem_charge(uint64_t bytes);
/* Descendants (job_memory.c): a child of a process in a job joins it through a slot of the
 * host's area. nt_jobmem_descendant_slot: that slot for a new child (-1: not in a job, or it
 * breaks away) and *fd the area's fd; _pid records the child's pid; _gone gives the slot back
 * when the child has been reaped, true when the host killed it (*kill_code: its exit code).
 * nt_jobmem_may_break_away: CREATE_BREAKAWAY_FROM_JOB from an inherited job. */
bool nt_jobmem_in_job(void);
NTSTATUS nt_jobmem_may_break_away(bool breakaway);
int nt_jobmem_descendant_slot(bool breakaway, int *fd);
void nt_jobmem_descendant_pid(int slot, int pid);
bool nt_jobmem_descendant_gone(int slot, int pid, uint32_t *kill_code);
/* The host's side: the live descendants of job slot js (pids, count), their total, ending them,
 * and the job's limit flags members read. */
size_t nt_jobmem_job_descendants(int js, uint32_t *pids, size_t max);
uint32_t nt_jobmem_job_descendants_total(int js);
/* Ending a job's descendants, as TerminateProcess ends a process: nt_jobmem_job_take (under the
 * job lock) marks the live ones of job slot js ended with `code` and lists them (*out, malloc'd;
 * NULL when none or no memory: those are killed at once); nt_jobmem_end (without locks: it
 * waits for each answer) asks each to end itself with the code, so the processes that watch
 * it read that code, then kills it should it not have ended, and frees the list. */
typedef struct nt_jobmem_end {
    int pid;
    int pidfd; /* -1: none (the process had gone) */
} nt_jobmem_end;
size_t nt_jobmem_job_take(int js, uint32_t code, nt_jobmem_end **out);
void nt_jobmem_end_all(nt_jobmem_end *e, size_t n, uint32_t code);
/* The host: ends the live descendant `pid` for a job time limit (exit code `code`, and no
 * exit message for it, as NT posts none after END_OF_PROCESS_TIME). False: no such one. */
bool nt_jobmem_descendant_time_kill(uint32_t pid, uint32_t code);
void nt_jobmem_job_set_flags(int js, uint32_t flags);
void nt_jobmem_uncharge(uint64_t bytes);
/* The descendants' job messages (job_memory.c "events"): the event pipe a child gets (the
 * host's, or the one this process was given), the exit of this process told, a child's exit
 * claimed (the jobs to tell, 0: told already or never new) and told by its parent, the limit
 * check before a child joins, the host's count of running members and the limit, the pipe
 * drained; ntemu/job.c posts what they say. */
#define NT_JOBMEM_EV_NEW 1
#define NT_JOBMEM_EV_EXIT 2
#define NT_JOBMEM_EV_LIMIT 3
#define NT_JOBMEM_EV_MEMORY 4 /* code: the violation (1: process limit, 2 + job slot: job's) */
int nt_jobmem_event_fd(bool descendant);
void nt_jobmem_self_exit(uint32_t code);
void nt_jobmem_descendant_new(int slot, int pid);
uint64_t nt_jobmem_descendant_exit_claim(int slot, int pid, uint32_t *stamp);
void nt_jobmem_descendant_exit_tell(uint64_t jobs, uint32_t stamp, int pid, uint32_t code);
/* Whether an event stamped `stamp` (job_memory.c "events") names the job now in slot `js`: the
 * slot was not given back since. */
bool nt_jobmem_told_current(int js, uint32_t stamp);
NTSTATUS nt_jobmem_descendant_check(bool breakaway);
void nt_jobmem_job_set_active(int js, uint32_t members, uint32_t limit);
void nt_jobmem_drain_events(void);
void nt_job_descendant_event(uint32_t event, uint32_t pid, uint32_t code, uint64_t jobs,
                             uint32_t stamp);
/* Under nt_job_lock, as a descendant's EXIT_PROCESS is posted: from now on its jobs no longer
 * count it as active (job_memory.c; until then they do, though it told its exit or ended). */
void nt_jobmem_descendant_exit_posted(uint32_t pid);
/* A limit was hit: by a child (its status pipe's record, read by the reaper) or by this
 * process (child NULL). `violation`: 1, the process memory limit; 2 + job slot, a job's. The
 * job's port gets JOB_OBJECT_MSG_PROCESS_MEMORY_LIMIT or _JOB_MEMORY_LIMIT (ntemu/job.c). */
void nt_job_memory_violation(nt_object *child, uint32_t violation);
/* In a child: tells the parent of a violation (ntemu/process.c). */
void nt_process_report_memory_limit(uint32_t violation);

/* The socket driver's helper device (afd.c): NtCreateFile of \Device\Afd or a name under it
 * (true, *st and *out set), false for any other name; the poll request (IOCTL_AFD_POLL) on
 * such a file or on a socket, with NtDeviceIoControlFile's arguments. */
bool nt_afd_create_file(const OBJECT_ATTRIBUTES *user_attr, uint32_t access, uint32_t options,
                        HANDLE *out, NTSTATUS *st);
NTSTATUS nt_afd_poll(nt_file *f, HANDLE event, void *apc, void *apc_ctx, IO_STATUS_BLOCK *io,
                     void *in, uint32_t in_len, void *out, uint32_t out_len);
/* A socket's file object is going (its last handle closed): the polls that name it report
 * LOCAL_CLOSE for it. Called by the file's destroy before its requests end. */
void nt_afd_socket_gone(nt_file *f);
/* Named pipe ends (pipe.c): freed with their file object; I/O for NtReadFile/NtWriteFile.
 * nt_pipe_read returns STATUS_MORE_PROCESSING_REQUIRED for a plain read of the fd. */
typedef struct nt_pipe_end nt_pipe_end;
/* A server end leaves its name's instances (first thing when its file goes), then is freed. */
void nt_pipe_end_detach(nt_pipe_end *p);
void nt_pipe_end_free(nt_pipe_end *p);
NTSTATUS nt_pipe_read(nt_file *f, void *buffer, uint32_t length, size_t *got);
/* An overlapped read with a notification (nt_pipe_goes_async): completes as NPFS does, with
 * STATUS_PIPE_DISCONNECTED when the server disconnects while it is pending. */
NTSTATUS nt_pipe_read_async(nt_file *f, const nt_async_notify *n, void *buffer, uint32_t length);
NTSTATUS nt_pipe_write(nt_file *f, const void *buffer, uint32_t length, size_t *done);
/* Is f a named pipe's end (or an anonymous pipe made by NtCreateNamedPipeFile)? */
bool nt_pipe_is_named(nt_file *f);
/* FlushFileBuffers on a named pipe end: returns once the other end has read what it wrote. */
NTSTATUS nt_pipe_flush(nt_file *f);
/* What a read that found the end of a named pipe's data says: STATUS_PIPE_DISCONNECTED when
 * the server disconnected the end, else STATUS_PIPE_BROKEN. */
NTSTATUS nt_pipe_eof_status(nt_file *f);
/* Inheritance (ntemu/process.c): a named pipe end's description for a child ("P...", false for
 * anything else) and the fd of its disconnection eventfd (*dc, -1: none); in the child, file
 * f becomes that end again (dc taken). */
bool nt_pipe_inherit_desc(nt_file *f, char *buf, size_t size, int *dc);
void nt_pipe_inherited(nt_file *f, const char *desc, int dc);
bool nt_pipe_export_listening(nt_file *f, char *buf, size_t size);
NTSTATUS nt_pipe_import_listening(const char *desc, uint32_t access, nt_object **out);
bool nt_pipe_create_file(const OBJECT_ATTRIBUTES *user_attr, uint32_t access, uint32_t options,
                         HANDLE *out, NTSTATUS *st);
/* Whether a read or write on pipe end f goes through ntemu/async.c: an overlapped handle, a
 * connected end, a notification asked for (event, APC or port context), and for reads a
 * blocking end (PIPE_WAIT). */
bool nt_pipe_goes_async(nt_file *f, bool write, bool notify);
/* NtQueryInformationFile's FilePipeInformation (23), FilePipeLocalInformation (24) and
 * FilePipeRemoteInformation (25) on a pipe end or an anonymous pipe (STATUS_INVALID_PARAMETER
 * on other files), and NtSetInformationFile's FilePipeInformation. */
NTSTATUS nt_pipe_query_class(nt_file *f, uint32_t klass, uint8_t *buf, size_t len, size_t *used);
NTSTATUS nt_pipe_set_class(nt_file *f, const uint8_t *buf, size_t len);

/* async.c: the file is going away (pending requests are cancelled); FileCompletionInformation,
 * FileIoCompletionNotificationInformation, FileReplaceCompletionInformation. */
typedef struct nt_async_file nt_async_file;
void nt_async_file_close(nt_file_ext *fx);
/* Whether thread `tid` issued a request still pending on one of the process's files
 * (NtQueryInformationThread's ThreadIsIoPending, GetThreadIOPendingFlag). */
bool nt_async_thread_has_pending(int32_t tid);
/* Every request of f ends with `status` (a directory's notifications at its close:
 * STATUS_NOTIFY_CLEANUP), notifications included. */
void nt_async_end_all(nt_file *f, NTSTATUS status);
/* f's requests wait for readiness of `fd` (which f's owner keeps open while f lives) instead of
 * f's own descriptor, and their attempts are given it: a directory's change notifications wait
 * on its inotify descriptor. False when the epoll set refuses it (or f has one already). */
bool nt_async_poll_fd(nt_file *f, int fd);
/* Tries f's polled and readiness requests once more now (a request whose answer changed for a
 * reason its fd does not show: an AFD poll ended by a later exclusive one). */
void nt_async_retry(nt_file *f);
NTSTATUS nt_async_set_info(nt_file *f, uint32_t klass, const void *buf, size_t len);

/* A completion port's poll set (async.c): the epoll set the sockets and pipes bound to the port
 * (FileCompletionInformation) are armed in, instead of the process's. A waiter that finds the
 * port empty polls it itself (nt_async_pp_poll: the I/O is done and its packet posted in the
 * waiter's thread, one wake-up per completion instead of the epoll thread's and then the
 * waiter's); while no waiter polls, the epoll thread watches the set (nested in its own, one-shot)
 * and serves it as before. iocp.c owns it (one per port, made at the first binding). */
typedef struct nt_async_pp nt_async_pp;
nt_async_pp *nt_async_pp_new(void);
/* The port is gone: out of the epoll thread's set; freed later (an event may still name it). */
void nt_async_pp_free(nt_async_pp *pp);
/* Whether the epoll thread watches the set (false while a waiter polls it). Requests are ordered
 * by `gen` (the port's count of changes under its lock): an older one than the last applied
 * is dropped, so the state follows the last change whatever the order the calls run in. */
void nt_async_pp_watch(nt_async_pp *pp, bool watch, uint64_t gen);
/* The poller leaves (ordered by `gen` as above). `lease` (no other waiter sleeps in the port):
 * the epoll thread keeps off the set for a short time (async.c's ASYNC_PP_LEASE_NS, renewed by
 * every leave), so that what comes back before
 * the poller's next wait is found by that wait, in its own thread, instead of the epoll
 * thread's (a second hop); a timer ends the lease, and so does a request queued on a file of
 * the set that posts no packet to the port or has an event, or a wait for a status block of
 * one (GetOverlappedResult). A lease that runs out while a request of the set was ready (the
 * thread did not come back: it polls HasOverlappedIoCompleted) stops leases for a while
 * (ASYNC_PP_BACKOFF_LEASES). Else the set is watched at once. */
void nt_async_pp_leave(nt_async_pp *pp, uint64_t gen, bool lease);
/* Whether the set is under a lease (nobody watches it): a caller of the port that does not
 * wait tries it (nt_async_pp_try). */
bool nt_async_pp_leased(nt_async_pp *pp);
/* One wait of the poller: epoll_wait of the set until the absolute CLOCK_MONOTONIC time
 * `until` (or its doorbell, nt_async_pp_ring); the requests whose fds are ready are tried and
 * the finished ones completed (their packets posted) in this thread. No lock held. */
void nt_async_pp_poll(nt_async_pp *pp, int64_t until);
/* The same without a wait, by a thread that is not the poller. */
void nt_async_pp_try(nt_async_pp *pp);
/* Wakes the set's poller (a packet posted by another thread). */
void nt_async_pp_ring(nt_async_pp *pp);
/* The port's poll set, made on first use (NULL: none can be made); iocp.c. */
nt_async_pp *nt_iocp_pp(nt_object *port);

/* Reads OBJECT_ATTRIBUTES from foreign memory and resolves its name (RootDirectory-relative or
 * a full path) to a malloc'd Linux path. */
NTSTATUS nt_attr_to_unix(const OBJECT_ATTRIBUTES *user_attr, char **out);

/* libntrun teardown parts (teardown.c): handle.c, virtual.c */
void nt_handles_close_all(void);
void nt_vm_release_all(void);
/* Unmaps every section view (section.c), for the teardown. */
void nt_section_release_all(void);
/* SEC_RESERVE views (section.c), for virtual.c, which calls them without its lock held:
 * [start, end) of a view was just committed (the section's other views open those pages too);
 * the view holding addr opens what other views or processes committed meanwhile. */
void nt_section_committed(uintptr_t start, uintptr_t end);
void nt_section_sync(uintptr_t addr);
void nt_thread_forget_current(void); /* thread.c */

#endif
