/* SPDX-License-Identifier: MIT */
/* ntemu/: the NT kernel as foreign code sees it — system calls, handles and objects, NTSTATUS.
 * Public to thunks/, loader/ and tools/.
 *
 * Every Nt* function here is an ms_abi C function with its Windows name and signature. It is
 * reached three ways: from the SIGSYS dispatcher (a `syscall` in foreign code), from ntdll's
 * exports through a thunk, and directly from built-in kernel32/msvcrt code. Each one validates
 * and zeroes its outputs, does the work, and returns a status. Pointers from foreign code are
 * untrusted: read and write them with nt_copy_from_user/nt_copy_to_user (or let the kernel do it,
 * e.g. read(2) into a user buffer gives EFAULT), never by plain dereference. */
#ifndef NTRUN_NTEMU_H
#define NTRUN_NTEMU_H

#include <stdbool.h>
#include <stdint.h>
#include "runtime/runtime.h"

/* ---- the built-in DLLs' route to the NT calls, counted ----
 * Outside ntemu/, every Nt* function of the system-call list is declared under the assembler
 * name NtXxx_builtin: a twin in ntemu/syscall.c that counts the call in the calling thread's
 * own counters (libntrun's nt_calls_builtin: the NT work kernel32, msvcrt and the other
 * built-ins do on the program's behalf) and jumps to the handler. ntemu/ itself (NTEMU_INSIDE,
 * set by the build for its sources) calls its handlers directly: a handler that calls another
 * is one NT call, not two. */
#ifndef NTEMU_INSIDE
#include "nt_sysnos.h"
#define NT_BUILTIN_PRAGMA_(text) _Pragma(#text)
#define NT_BUILTIN_RENAME_(name, w10, w11) NT_BUILTIN_PRAGMA_(redefine_extname name name##_builtin)
NT_SYSNO_LIST(NT_BUILTIN_RENAME_)
#undef NT_BUILTIN_RENAME_
#endif

/* ---- errors: the one errno -> NTSTATUS point and the one NTSTATUS -> Win32 point ---- */
NTSTATUS nt_status_from_errno(int err);     /* positive errno */
/* For a path lookup: ENOTDIR, and ENOENT when a directory of the path is missing
 * (prefix_missing), are STATUS_OBJECT_PATH_NOT_FOUND; otherwise nt_status_from_errno. */
NTSTATUS nt_status_from_path_errno(int err, bool prefix_missing);
uint32_t nt_status_to_win32(NTSTATUS st);   /* RtlNtStatusToDosError */
const char *nt_status_name(NTSTATUS st);    /* "STATUS_INVALID_HANDLE", or NULL */

/* ---- foreign memory ----
 * Copies that survive a bad pointer: 0, or -EFAULT when any byte is not accessible. */
int nt_copy_from_user(void *dst, const void *user_src, size_t n);
int nt_copy_to_user(void *user_dst, const void *src, size_t n);
/* Reads a NUL-terminated guest string (max `max` units) into a malloc'd copy; NULL on fault. */
WCHAR *nt_strdup_from_user_w(const WCHAR *user, size_t max);

/* ---- handles and objects ---- */
typedef enum {
    NT_OBJ_ANY = 0,
    NT_OBJ_FILE,
    NT_OBJ_EVENT,
    NT_OBJ_MUTANT,
    NT_OBJ_SEMAPHORE,
    NT_OBJ_THREAD,
    NT_OBJ_PROCESS,
    NT_OBJ_FIND, /* FindFirstFile search state (kernel32) */
    NT_OBJ_TIMER,
    NT_OBJ_IO_COMPLETION,
    NT_OBJ_JOB,
    NT_OBJ_KEY,   /* a registry key (ntemu/registry.c) */
    NT_OBJ_TOKEN, /* an access token (ntemu/token.c) */
    NT_OBJ_SECTION, /* a section (ntemu/section.c) */
    NT_OBJ_WAIT_PACKET, /* a wait completion packet (ntemu/waitpacket.c) */
} nt_obj_type;

typedef struct nt_object {
    nt_obj_type type;
    int refcount;                           /* atomic */
    void (*destroy)(struct nt_object *obj); /* frees the object; called at refcount 0 */
    uint32_t handles; /* slots of the handle table naming it (under the table's lock): what
                         closesocket and NtQueryObject ask, without a scan of the table */
    /* NULL, or called when its last handle is closed (NT's close procedure: a job's kill on
     * close), before that handle's reference is let go; other references may keep it */
    void (*last_close)(struct nt_object *obj);
} nt_object;

void nt_object_init(nt_object *obj, nt_obj_type type, void (*destroy)(nt_object *));
void nt_object_ref(nt_object *obj);
void nt_object_release(nt_object *obj);
/* Inserts obj into the handle table, taking one reference on success. */
NTSTATUS nt_handle_alloc(nt_object *obj, HANDLE *out);
/* Looks a handle up and takes a reference. STATUS_INVALID_HANDLE for a bad handle,
 * STATUS_OBJECT_TYPE_MISMATCH when `type` is not NT_OBJ_ANY and differs. */
NTSTATUS nt_handle_get(HANDLE h, nt_obj_type type, nt_object **out);
/* Removes the handle and drops its reference. */
NTSTATUS nt_handle_close(HANDLE h);
/* Handle inheritance (bInheritHandle, OBJ_INHERIT, HANDLE_FLAG_INHERIT): a new handle that is
 * inheritable, or a flag change. */
NTSTATUS nt_handle_alloc_inherit(nt_object *obj, bool inherit, HANDLE *out);
/* How many handles the process has open (ProcessHandleCount). */
uint32_t nt_handle_count(void);
NTSTATUS nt_handle_set_inherit(HANDLE h, bool inherit);
/* A handle with a given value (a child process re-creating the handles it inherited):
 * STATUS_OBJECT_NAME_COLLISION when the value is in use. */
NTSTATUS nt_handle_alloc_at(nt_object *obj, HANDLE h, bool inherit);
/* Calls fn for every inheritable handle, under the handle-table lock (fn must not use it). */
void nt_handles_for_each_inheritable(void (*fn)(HANDLE h, nt_object *obj, void *ctx), void *ctx);
/* Every handle of the table (the table's lock held while fn runs). */
void nt_handles_for_each(void (*fn)(HANDLE h, nt_object *obj, void *ctx), void *ctx);

/* Granted access per handle (ntemu/handle.c, ntemu/object.c). A requested mask becomes the
 * granted one as Windows maps it: generic rights through the type's GENERIC_MAPPING,
 * MAXIMUM_ALLOWED as everything the type defines. */
uint32_t nt_access_map(nt_obj_type type, uint32_t access);
/* Records the access granted to a handle (open, create, duplicate). */
void nt_handle_set_granted(HANDLE h, uint32_t granted);
/* Is the handle inheritable (false for pseudo and bad handles)? */
bool nt_handle_inherits(HANDLE h);
/* The access recorded for a handle, or `fallback` when none was recorded. */
uint32_t nt_handle_granted(HANDLE h, uint32_t fallback);
/* After an open or create that stored its handle at *user_handle: when `st` is a success,
 * records `access` mapped for `type` as the handle's granted access. Returns `st`. */
NTSTATUS nt_handle_grant_user(HANDLE *user_handle, nt_obj_type type, uint32_t access, NTSTATUS st);
/* STATUS_ACCESS_DENIED unless the handle's granted access holds every bit of `need` (after the
 * type check, as Windows orders them); pseudo and runtime-made handles have full access. */
NTSTATUS nt_handle_access(HANDLE h, const nt_object *obj, uint32_t need);
/* The access of an object's handle whose creator recorded none. */
uint32_t nt_object_default_access(const nt_object *obj);
typedef struct nt_handle_desc {
    nt_object *obj;    /* with a reference */
    uint32_t granted;
    uint32_t handles;  /* handles of this process naming obj */
    bool inherit, protect;
} nt_handle_desc;
NTSTATUS nt_handle_describe(HANDLE h, nt_handle_desc *d);

/* A file object over a Linux fd. */
typedef struct nt_file {
    nt_object hdr;
    int fd;
    uint32_t access;        /* granted access mask (FILE_READ_DATA, ...) */
    uint32_t options;       /* NtCreateFile CreateOptions */
    bool is_dir;
    bool append;            /* FILE_APPEND_DATA without FILE_WRITE_DATA */
    bool delete_on_close;
    uint8_t console;        /* NT_CONSOLE_INPUT / NT_CONSOLE_OUTPUT: a terminal handle's console
                               role (the input buffer or the screen buffer); 0: not known */
    /* A standard stream's fd as nt_file_from_fd found it, asked once for the whole run (an fd
       keeps its file type; ntrun never dup2s over one it wraps): the fstat's S_IFMT >> 12 (0:
       not known, the file of any other handle) and whether it is a terminal (nt_file_isatty:
       0 not asked yet, 1 no, 2 yes). kernel32's std handles and msvcrt's fd table both ask. */
    uint8_t fd_fmt;
    uint8_t fd_tty;
    char *unix_path;        /* malloc'd, NULL for std streams */
    WCHAR *nt_name;         /* malloc'd DOS-form name for FileNameInformation, may be NULL */
    /* ws2_32's socket state: the fd is a non-blocking Linux socket made by ws2_32 */
    bool is_socket;
    bool sock_nonblocking;  /* FIONBIO: calls fail with WSAEWOULDBLOCK instead of waiting */
    bool sock_stream;       /* SOCK_STREAM (read once when ws2_32 made the handle) */
    bool sock_closing;      /* closesocket of its last handle ran: the blocking calls it ended
                               fail with WSAEINTR */
    uint32_t sock_rcvtimeo, sock_sndtimeo; /* SO_RCVTIMEO / SO_SNDTIMEO in ms, 0: none */
    int sock_error;         /* a failed connect's errno that an AFD poll took from Linux'
                               SO_ERROR (ntemu/afd.c), for getsockopt(SO_ERROR); 0: none */
    void *sock_events;      /* ws2_32's WSAEventSelect state, NULL: none */
    void (*sock_events_free)(void *state); /* called when the file object goes, before the
                                              fd is closed */
} nt_file;

/* \Device\ConDrv (a console: a terminal), \Device\Afd (a socket) or \Device\Null for a
 * file object Windows names by its device alone (NtQueryObject's ObjectNameInformation); NULL
 * for any other (ntemu/object.c). */
const char *nt_file_device_name(nt_file *f);
/* Is the file a pipe end (not the pipe file system's directory)? (ntemu/pipe.c) */
bool nt_file_is_pipe(nt_file *f);
/* ... or an end of an anonymous pipe over a Linux pipe (CreatePipe, a standard handle)?
 * (ntemu/object.c) */
bool nt_file_is_pipe_end(nt_file *f);
/* Wraps an existing fd (standard handles). The fd is not closed by the object. */
NTSTATUS nt_file_from_fd(int fd, uint32_t access, HANDLE *out);
/* The fd's file type (S_IFMT bits) as nt_file_from_fd found it, 0 when not known (ask fstat). */
static inline unsigned nt_file_fmt(const nt_file *f) { return (unsigned)f->fd_fmt << 12; }
/* isatty(f->fd), asked once for a standard stream's file (nt_file_from_fd), every time for others. */
bool nt_file_isatty(nt_file *f);
/* Handle -> file object with a reference (release with nt_object_release). */
NTSTATUS nt_file_get(HANDLE h, nt_file **out);
/* ---- the console (ntemu/console.c) ----
 * A console handle is a terminal's; its role decides which console object it stands for.
 * A wait on a console input handle waits on an "input pending" event instead of the file
 * (always signalled otherwise): kernel32's console input code keeps it (nt_console_input_set)
 * and is told through the hook when a wait or a read of the terminal needs it looked at. */
#define NT_CONSOLE_INPUT 1
#define NT_CONSOLE_OUTPUT 2
void nt_console_input_set(bool pending);
/* kernel32's: called (outside any ntemu lock) with the terminal's fd before a wait on a console
 * input handle and after NtReadFile read one, so the event follows the terminal. */
void nt_console_set_hook(void (*hook)(int fd, bool after_read));
/* kernel32's: reads a console input handle's terminal for NtReadFile (outside any ntemu lock),
 * through the console's input buffer and line editing as Windows' ReadFile reads a console:
 * at most n bytes into buf (foreign memory), the count in *got. */
void nt_console_set_reader(NTSTATUS (*reader)(int fd, void *buf, size_t n, size_t *got));
/* Output to the terminal: NtWriteFile on a console handle (and whoever else writes to it, the
 * input's echo) counts it, so that a cursor position known from before is known to be stale. */
void nt_console_output_written(void);
uint64_t nt_console_output_count(void);
/* NtWriteFile's bytes written to a console output handle (foreign memory, read already): counted
 * as above, then given to kernel32's hook (outside any ntemu lock) with the count before and
 * after this write, so that the screen buffer's copy and cursor follow the text. */
void nt_console_output_text(int fd, const void *buf, size_t n);
/* kernel32's filter of text written to a console output (NtWriteFile): the bytes to send to
 * the terminal instead of the n at buf (foreign memory), malloc'd, their count in *out_n; NULL
 * to send buf as it is. */
void nt_console_set_out_filter(char *(*filter)(int fd, const void *buf, size_t n, size_t *out_n));
char *nt_console_filter(int fd, const void *buf, size_t n, size_t *out_n); /* NtWriteFile's */
void nt_console_set_text_hook(void (*hook)(int fd, const void *buf, size_t n, uint64_t before,
                                           uint64_t after));
/* A file object that owns `fd` (closed with the object: pipes, inherited handles), not in the
 * handle table yet; NULL when out of memory (fd left open). */
nt_file *nt_file_new_owned(int fd, uint32_t access);

#ifndef STATUS_PIPE_NOT_AVAILABLE
#define STATUS_PIPE_NOT_AVAILABLE ((NTSTATUS)0xC00000AC)
#define STATUS_INSTANCE_NOT_AVAILABLE ((NTSTATUS)0xC00000AB)
#define STATUS_PIPE_BUSY ((NTSTATUS)0xC00000AE)
#define STATUS_PIPE_DISCONNECTED ((NTSTATUS)0xC00000B0)
#define STATUS_PIPE_CLOSING ((NTSTATUS)0xC00000B1)
#define STATUS_PIPE_CONNECTED ((NTSTATUS)0xC00000B2)
#define STATUS_PIPE_LISTENING ((NTSTATUS)0xC00000B3)
#define STATUS_PIPE_EMPTY ((NTSTATUS)0xC00000D9)
#endif
#ifndef STATUS_PROCESS_IS_TERMINATING
#define STATUS_PROCESS_IS_TERMINATING ((NTSTATUS)0xC000010A)
#endif
#ifndef STATUS_MORE_PROCESSING_REQUIRED
#define STATUS_MORE_PROCESSING_REQUIRED ((NTSTATUS)0xC0000016)
#endif
/* ---- job objects (ntemu/job.c) ----
 * A job holds child processes (and may hold the caller: then every child it starts later
 * joins too). Kill on close (JOB_OBJECT_LIMIT_KILL_ON_JOB_CLOSE): when the last handle to the
 * job is closed, or the process ends with one open, its processes are killed. */
#define NT_JOB_LIMIT_KILL_ON_JOB_CLOSE 0x2000
typedef struct nt_job_accounting {
    uint32_t total_processes, active_processes, terminated_processes;
    uint32_t limit_flags, active_limit;
    uint64_t process_memory_limit, job_memory_limit;
    uint64_t peak_process_memory, peak_job_memory; /* PeakProcessMemoryUsed, PeakJobMemoryUsed */
    int64_t process_time_limit, job_time_limit;   /* PerProcess/PerJobUserTimeLimit (100 ns) */
    int64_t total_user_time;                      /* TotalUserTime of its child processes */
    uint32_t end_of_job_action;                   /* JOB_OBJECT_TERMINATE_AT_END_OF_JOB (0), POST (1) */
} nt_job_accounting;
/* The PEB address of the process a handle names (PROCESS_VM_READ: its memory is read next),
 * asked of another ntrun process through its control channel (ntemu/process_remote.c):
 * EnumProcessModules and GetModuleBaseName walk its loader list with NtReadVirtualMemory. */
NTSTATUS nt_process_peb(HANDLE process, void **peb);
NTSTATUS nt_job_create(bool inherit, HANDLE *out);
/* `process`: a child's handle or the caller's own (NtCurrentProcess()). STATUS_ACCESS_DENIED
 * when it is in a job already and `job` cannot be nested in that one (see ntemu/job.c). */
NTSTATUS nt_job_assign(HANDLE job, HANDLE process);
/* JOB_OBJECT_LIMIT_KILL_ON_JOB_CLOSE, JOB_OBJECT_LIMIT_ACTIVE_PROCESS (with `active_limit`),
 * JOB_OBJECT_LIMIT_PROCESS_MEMORY and JOB_OBJECT_LIMIT_JOB_MEMORY (with the two sizes). */
NTSTATUS nt_job_set_limits(HANDLE job, uint32_t limit_flags, uint32_t active_limit,
                           uint64_t process_memory_limit, uint64_t job_memory_limit);
/* JOB_OBJECT_LIMIT_PROCESS_TIME and JOB_OBJECT_LIMIT_JOB_TIME: the user-mode time limits in
 * 100 ns units, which a watcher thread enforces on the job's child processes (see job.c).
 * Set before nt_job_set_limits's flags take effect. */
NTSTATUS nt_job_set_time_limits(HANDLE job, int64_t per_process, int64_t per_job);
/* JobObjectEndOfJobTimeInformation: what passing JOB_OBJECT_LIMIT_JOB_TIME does, end the
 * processes (0) or post JOB_OBJECT_MSG_END_OF_JOB_TIME and cancel the limit (1, when the job
 * has a completion port). STATUS_INVALID_PARAMETER for another action. */
NTSTATUS nt_job_set_end_of_job(HANDLE job, uint32_t action);
/* JobObjectAssociateCompletionPortInformation: the port gets the job's messages with `key`. */
NTSTATUS nt_job_set_port(HANDLE job, HANDLE port, ULONG_PTR key);
NTSTATUS nt_job_terminate(HANDLE job, uint32_t exit_code);
NTSTATUS nt_job_query(HANDLE job, nt_job_accounting *out);
/* JobObjectBasicProcessIdList: the pids of the processes running in the job (its members and
 * their descendants, the caller when assigned) into pids[max]; *count: all of them. */
NTSTATUS nt_job_pids(HANDLE job, uint32_t *pids, size_t max, size_t *count);
/* Whether `process` is in `job` (job NULL: in any job). */
NTSTATUS nt_job_contains(HANDLE job, HANDLE process, bool *in);

/* ---- pipes (ntemu/pipe.c) ----
 * Named pipes (\\.\pipe\NAME) within and across ntrun processes, and the queries shared with
 * anonymous pipes. Names are given without the \\.\pipe\ prefix. */
#define NT_PIPE_STATE_LISTENING 2    /* FILE_PIPE_LISTENING_STATE */
#define NT_PIPE_STATE_CONNECTED 3    /* FILE_PIPE_CONNECTED_STATE */
#define NT_PIPE_STATE_DISCONNECTED 1 /* FILE_PIPE_DISCONNECTED_STATE */
typedef struct nt_pipe_params {
    uint32_t access;        /* of the server's handle */
    bool message_type;      /* PIPE_TYPE_MESSAGE */
    bool read_message;      /* PIPE_READMODE_MESSAGE */
    bool nowait;            /* PIPE_NOWAIT */
    bool first_instance;    /* FILE_FLAG_FIRST_PIPE_INSTANCE */
    bool inherit;
    uint32_t max_instances; /* 1..255 (PIPE_UNLIMITED_INSTANCES) */
    uint32_t out_size, in_size;
    bool overlapped;        /* FILE_FLAG_OVERLAPPED: the handle is not synchronous */
    uint32_t share;         /* NtCreateNamedPipeFile's ShareAccess, which gives the direction
                               (FILE_SHARE_READ: clients read); 0: the direction of `access` */
    bool must_exist;        /* FILE_OPEN: a new instance of an existing pipe only */
    uint32_t default_wait_ms; /* the pipe's default time-out (WaitNamedPipe); 0: 50 ms */
} nt_pipe_params;
#define NT_PIPE_INBOUND 0   /* FILE_PIPE_INBOUND: clients write, the server reads */
#define NT_PIPE_OUTBOUND 1  /* FILE_PIPE_OUTBOUND */
#define NT_PIPE_DUPLEX 2    /* FILE_PIPE_FULL_DUPLEX */
typedef struct nt_pipe_information {
    bool server, message_type, read_message, nowait;
    uint32_t out_size, in_size, max_instances, instances, state;
} nt_pipe_information;
/* Whether an NT or DOS path names a pipe (\??\pipe\, \Device\NamedPipe\, \\.\pipe\):
 * then *name is the pipe's name within it. */
bool nt_pipe_name_of(const WCHAR *path, size_t len, const WCHAR **name, size_t *name_len);
/* A new server instance (CreateNamedPipe). STATUS_INSTANCE_NOT_AVAILABLE: all instances
 * exist; STATUS_ACCESS_DENIED: a first instance was asked for, or the type differs;
 * STATUS_PIPE_BUSY: another process serves the name. */
NTSTATUS nt_pipe_create_server(const WCHAR *name, size_t len, const nt_pipe_params *pp,
                               HANDLE *out);
/* ConnectNamedPipe: waits for a client. STATUS_PIPE_CONNECTED: one had come already;
 * STATUS_PIPE_CLOSING: one had come and gone. On an overlapped handle with a notification in
 * `n` (event, APC, port context) it returns STATUS_PENDING and completes through `n`. */
typedef struct nt_async_notify nt_async_notify;
NTSTATUS nt_pipe_listen(HANDLE h, const nt_async_notify *n);
NTSTATUS nt_pipe_disconnect(HANDLE h);
/* A client end (CreateFile on a pipe name): STATUS_OBJECT_NAME_NOT_FOUND when no instance
 * exists, STATUS_PIPE_NOT_AVAILABLE when all are busy. `options`: NtCreateFile's (without
 * FILE_SYNCHRONOUS_IO_*: an overlapped handle). */
NTSTATUS nt_pipe_open_client(const WCHAR *name, size_t len, uint32_t access, uint32_t options,
                             bool inherit, HANDLE *out);
/* WaitNamedPipe: until an instance of the name listens (in any process), or the timeout
 * (-1: none; NT_PIPE_WAIT_DEFAULT: the default time-out the pipe was created with):
 * STATUS_IO_TIMEOUT; STATUS_OBJECT_NAME_NOT_FOUND when no instance exists. */
#define NT_PIPE_WAIT_DEFAULT (-2)
NTSTATUS nt_pipe_wait(const WCHAR *name, size_t len, int64_t timeout_ms);
/* PeekNamedPipe on a named or anonymous pipe end (STATUS_PIPE_BROKEN: empty, writer gone). */
NTSTATUS nt_pipe_peek(HANDLE h, void *buffer, uint32_t length, uint32_t *read,
                      uint32_t *avail, uint32_t *left);
NTSTATUS nt_pipe_info(HANDLE h, nt_pipe_information *info);
/* SetNamedPipeHandleState: the read mode and the wait mode. */
NTSTATUS nt_pipe_set_mode(HANDLE h, bool read_message, bool nowait);
/* NtFsControlFile: FSCTL_PIPE_LISTEN, _DISCONNECT, _PEEK, _TRANSCEIVE, _WAIT on pipe ends (and
 * the pipe file system's root); other controls are refused as a driver refuses them. */
NTSTATUS NTAPI NtFsControlFile(HANDLE h, HANDLE event, void *apc, void *apc_ctx,
                               IO_STATUS_BLOCK *io, uint32_t code, void *in, uint32_t in_len,
                               void *out, uint32_t out_len);
/* A server instance by the NT call (ntemu/pipe.c): a name (\??\pipe\NAME, or NAME under a
 * handle to \??\PIPE\), or an anonymous pipe (an empty name under that handle), whose client
 * end is opened with NtCreateFile/NtOpenFile and the server's handle as RootDirectory. */
NTSTATUS NTAPI NtCreateNamedPipeFile(HANDLE *handle, uint32_t access, OBJECT_ATTRIBUTES *attr,
                                     IO_STATUS_BLOCK *io, uint32_t sharing, uint32_t disposition,
                                     uint32_t options, uint32_t pipe_type, uint32_t read_mode,
                                     uint32_t completion_mode, uint32_t max_instances,
                                     uint32_t inbound_quota, uint32_t outbound_quota,
                                     LARGE_INTEGER *timeout);

/* ---- child processes (ntemu/process.c) ----
 * Each child Windows program runs in its own ntrun process, started with posix_spawn from the
 * runtime's binary (see nt_process_spawn). */
typedef struct nt_spawn {
    const char *unix_exe;       /* the program's Linux path */
    const char *cmdline;        /* the command line, UTF-8, exactly as GetCommandLine gives it */
    char *const *envp;          /* the environment, "NAME=value" UTF-8 */
    const char *unix_cwd;       /* NULL: the caller's */
    HANDLE std_handles[3];      /* the child's standard input, output, error (NULL: none) */
    bool inherit_handles;       /* bInheritHandles: every inheritable handle goes along */
    const HANDLE *inherit_list; /* PROC_THREAD_ATTRIBUTE_HANDLE_LIST: only these (if inheritable) */
    size_t inherit_count;
    bool new_group;             /* CREATE_NEW_PROCESS_GROUP: its own group, Ctrl-C ignored */
    bool breakaway;             /* CREATE_BREAKAWAY_FROM_JOB (allowed: nt_job_may_break_away) */
    bool ctrl_c_ignored;        /* the caller's Ctrl-C flag, which children inherit */
    const char *native_command; /* instead: /bin/sh -c native_command (msvcrt's system and
                                   _popen when there is no cmd.exe); unix_exe is ignored */
    bool suspended;             /* CREATE_SUSPENDED: the child waits before its entry point
                                   until its primary thread is resumed */
    HANDLE *thread;             /* out, optional: a handle to the child's primary thread */
    const char *token_env;      /* CreateProcessAsUser: nt_token_child_env of its token (NULL:
                                   a copy of the caller's) */
} nt_spawn;
/* Starts the child; *process is a waitable process handle, *pid its process id. */
NTSTATUS nt_process_spawn(const nt_spawn *sp, HANDLE *process, uint32_t *pid);
/* STATUS_ACCESS_DENIED when a child asked to break away (CREATE_BREAKAWAY_FROM_JOB) but the
 * caller's job does not allow it (JOB_OBJECT_LIMIT_BREAKAWAY_OK), as CreateProcess fails. */
NTSTATUS nt_job_may_break_away(bool breakaway);
/* The ntrun binary the program's child processes run in when this process is not the ntrun
 * CLI (libntrun's helper, found next to the library); NULL or "": $NTRUN_EXE, else "ntrun" on
 * PATH. Set before the run starts. */
void nt_process_set_runtime_exe(const char *path);
/* The same, found only when a child is first created: find() returns the path or NULL. */
void nt_process_set_runtime_exe_finder(const char *(*find)(void));
/* The run's options a child ntrun gets (n <= 8, e.g. "--sud=inclusive", "--trace=nt"), copied;
 * set by libntrun before the run starts (docs/design.md, "What a child inherits"). */
void nt_process_set_child_options(const char *const *opts, int n);
/* For a child process handle: its id, and its exit code (NT_STILL_ACTIVE while it runs). */
NTSTATUS nt_process_query(HANDLE process, uint32_t *pid, uint32_t *exit_code);
/* A new handle to a live or ended child by process id (OpenProcess), or to this process. */
NTSTATUS nt_process_open(uint32_t pid, HANDLE *out);
/* The access OpenProcess grants for a mask (mapped; QUERY/SET_INFORMATION imply LIMITED). */
uint32_t nt_process_open_access(uint32_t access);
/* STATUS_ACCESS_DENIED unless the handle may query the basic information (LIMITED access). */
NTSTATUS nt_process_access_query(HANDLE process, const nt_object *obj);
/* Sends `sig` to the children (group 0: all; else the child whose id is `group`, started as
 * a new process group: its whole group). False when `group` names no such child. */
bool nt_process_signal_children(int sig, uint32_t group);
/* In a child: re-creates the handles the parent passed (NTRUN_CHILD_HANDLES) and reports the
 * exit code through NTRUN_CHILD_STATUS_FD at exit. The caller keeps NTRUN_CHILD_* and
 * NTRUN_CTRL_C_IGNORED out of the program's environment. */
void nt_process_child_setup(void);
/* In a child whose program could not be loaded (before nt_process_child_setup): tells the
 * parent `status` as its exit code through NTRUN_CHILD_STATUS_FD, as Windows gives a process
 * whose DLL is missing STATUS_DLL_NOT_FOUND (the Linux exit status holds 8 bits only). */
void nt_process_report_load_failure(NTSTATUS status);
/* Called under nt_wait_lock by the wait code: is this process object signalled? */
bool nt_process_signalled(nt_object *o);

/* ---- paths ----
 * Windows path forms accepted: "C:\dir\f", "C:/dir/f", "\dir\f" (current drive), "dir\f"
 * (relative to the current directory), "\??\C:\dir\f" and "\\?\C:\dir\f" (NT forms),
 * "Z:\..." is "/", "C:\..." is the configured C: directory (default $NTRUN_C_DRIVE or
 * ~/.ntrun/c). The current directory is the run's (nt_cwd_set), never the process's working
 * directory; the Linux paths returned are absolute. Each component
 * is looked up case-insensitively when the exact name does not exist. */
void nt_path_set_drive(char letter, const char *unix_dir); /* NULL removes the mapping */
/* The run's current directory (ntemu/path.c), a directory fd: set (a Linux path; a relative
 * one is opened from the current one; NULL: none, the process's working directory again) ->
 * 0 or -errno; get -> malloc'd absolute Linux path, NULL (errno set) on failure. Never
 * changes the process's working directory. */
int nt_cwd_set(const char *unix_dir);
char *nt_cwd_get(void);
/* A handle to the run's current directory (the PEB's CurrentDirectory.Handle: FILE_TRAVERSE |
 * SYNCHRONIZE, a directory opened for its path only) made from its fd: one dup where an open by
 * name took a stat, an lstat and the open. STATUS_OBJECT_NAME_NOT_FOUND without an fd (nt_cwd_set not
 * called): open it by name then. */
NTSTATUS nt_cwd_handle(uint32_t access, HANDLE *out);
/* The run's current directory is the directory with this device and inode. */
bool nt_cwd_is(uint64_t dev, uint64_t ino);
const char *nt_path_get_drive(char letter);
/* Called with the C: drive's Linux directory the first time a path on C: is resolved (again
 * after C: is mapped elsewhere), before that path is looked up: lib/run.c puts the files every
 * C: drive has there (the built-in programs' stand-ins). Not under any lock of ntemu's. */
void nt_path_set_c_drive_seeder(void (*seed)(const char *c_root));
/* The drives as a child ntrun is to see them, for its environment (ntemu/process.c): C: as
 * NTRUN_C_DRIVE, every other letter mapped otherwise than by default (Z: "/", the rest
 * unmapped) and an unmapped C: as NTRUN_CHILD_DRIVE_<letter> (empty: unmapped), which the
 * child's ntemu/path.c applies over its defaults. Writes malloc'd "NAME=value" items (NULL when
 * out of memory) to out, which has room for 26; returns how many. */
size_t nt_path_child_drive_env(char **out);
/* UTF-16 Windows path (len in WCHARs) -> malloc'd Linux path. For a path whose last component
 * does not exist yet, the directory part is resolved and the last component kept as given. */
NTSTATUS nt_path_to_unix(const WCHAR *path, size_t len, char **out);
/* Same for a UTF-8 path (the ANSI code page is UTF-8). */
NTSTATUS nt_path_to_unix_a(const char *path, char **out);
/* Linux path -> malloc'd Windows DOS path in UTF-16 ("Z:\home\x" or "C:\..." under the C: dir). */
WCHAR *nt_path_from_unix(const char *unix_path);

/* ---- UTF-16 helpers (the ANSI code page is UTF-8) ---- */
size_t nt_wcslen(const WCHAR *s);
/* UTF-8 -> malloc'd UTF-16 (NUL-terminated); *out_len in WCHARs if not NULL. */
WCHAR *nt_utf8_to_utf16(const char *s, size_t len, size_t *out_len);
/* The same into out, which has room for len + 1 WCHARs (a byte gives at most one): the
 * count written before the terminator. */
size_t nt_utf8_to_utf16_into(const char *s, size_t len, WCHAR *out);
/* UTF-16 -> malloc'd UTF-8 (NUL-terminated). */
char *nt_utf16_to_utf8(const WCHAR *s, size_t len, size_t *out_len);
/* Windows' upper case of a UTF-16 unit (RtlUpcaseUnicodeChar): how names are compared; and
 * its lower case (RtlDowncaseUnicodeChar). Both are Windows' one-to-one tables (utf.c). */
WCHAR nt_towupper(WCHAR c);
WCHAR nt_towlower(WCHAR c);

/* ---- a growing string (ntemu/sbuf.c) ----
 * Start from {0}; an allocation failure sets oom and later additions do nothing. */
typedef struct {
    char *s;
    size_t len, cap;
    bool oom;
} nt_sbuf;
void nt_sb_add(nt_sbuf *b, const char *p, size_t n);
void nt_sb_adds(nt_sbuf *b, const char *p);
void nt_sb_addc(nt_sbuf *b, char c);
/* The built string (malloc'd; "" when nothing was added), or NULL after an allocation failure. */
char *nt_sb_take(nt_sbuf *b);

/* ---- the system-call table ---- */
/* Selects the numbering foreign code sees: 10 (Windows 10 22H2) or 11 (Windows 11 24H2). */
int nt_syscalls_init(int windows_build);
/* The selected numbering: 10 or 11. */
int nt_syscalls_build(void);
/* Number of `name` in the selected build, or -1. */
int nt_syscall_number(const char *name);
/* Name of a number in the selected build, or NULL. */
const char *nt_syscall_name(uint32_t number);
/* Every call of nt-syscalls-x64.csv, in name order: the i-th's name, and its number in the
 * selected build (-1 when that build lacks it). i < nt_syscall_count(). */
size_t nt_syscall_count(void);
const char *nt_syscall_name_at(size_t i);
int nt_syscall_number_at(size_t i);

/* ---- NT entry points (ms_abi, Windows names and signatures) ---- */
NTSTATUS NTAPI NtClose(HANDLE h);
NTSTATUS NTAPI NtCreateFile(HANDLE *handle, uint32_t access, OBJECT_ATTRIBUTES *attr,
                            IO_STATUS_BLOCK *io, LARGE_INTEGER *alloc_size, uint32_t attributes,
                            uint32_t sharing, uint32_t disposition, uint32_t options,
                            void *ea_buffer, uint32_t ea_length);
NTSTATUS NTAPI NtOpenFile(HANDLE *handle, uint32_t access, OBJECT_ATTRIBUTES *attr,
                          IO_STATUS_BLOCK *io, uint32_t sharing, uint32_t options);
NTSTATUS NTAPI NtReadFile(HANDLE h, HANDLE event, void *apc, void *apc_ctx, IO_STATUS_BLOCK *io,
                          void *buffer, uint32_t length, LARGE_INTEGER *offset, uint32_t *key);
NTSTATUS NTAPI NtWriteFile(HANDLE h, HANDLE event, void *apc, void *apc_ctx, IO_STATUS_BLOCK *io,
                           const void *buffer, uint32_t length, LARGE_INTEGER *offset,
                           uint32_t *key);
NTSTATUS NTAPI NtQueryInformationFile(HANDLE h, IO_STATUS_BLOCK *io, void *info, uint32_t len,
                                      uint32_t klass);
NTSTATUS NTAPI NtSetInformationFile(HANDLE h, IO_STATUS_BLOCK *io, void *info, uint32_t len,
                                    uint32_t klass);
/* FileBothDirectoryInformation, FileDirectoryInformation, FileFullDirectoryInformation,
 * FileNamesInformation; `mask` supports * and ? (Windows rules, case-insensitive). */
NTSTATUS NTAPI NtQueryDirectoryFile(HANDLE h, HANDLE event, void *apc, void *apc_ctx,
                                    IO_STATUS_BLOCK *io, void *info, uint32_t len,
                                    uint32_t klass, BOOLEAN single_entry, UNICODE_STRING *mask,
                                    BOOLEAN restart_scan);
/* NtQueryDirectoryFile with its BOOLEANs as flags: SL_RESTART_SCAN (1), SL_RETURN_SINGLE_ENTRY
 * (2), SL_RETURN_ON_DISK_ENTRIES_ONLY (8); SL_INDEX_SPECIFIED and SL_NO_CURSOR_UPDATE_QUERY give
 * STATUS_INVALID_PARAMETER. */
NTSTATUS NTAPI NtQueryDirectoryFileEx(HANDLE h, HANDLE event, void *apc, void *apc_ctx,
                                      IO_STATUS_BLOCK *io, void *info, uint32_t len,
                                      uint32_t klass, uint32_t flags, UNICODE_STRING *mask);
NTSTATUS NTAPI NtFlushBuffersFile(HANDLE h, IO_STATUS_BLOCK *io);
NTSTATUS NTAPI NtFlushBuffersFileEx(HANDLE h, ULONG flags, void *params, ULONG params_size,
                                    IO_STATUS_BLOCK *io);
/* Byte-range locks (filelock.c): STATUS_LOCK_NOT_GRANTED for a range another file object
 * holds (with fail_immediately; else a wait), STATUS_RANGE_NOT_LOCKED for an unlock of a range
 * not locked exactly so. */
NTSTATUS NTAPI NtLockFile(HANDLE h, HANDLE event, void *apc, void *apc_ctx, IO_STATUS_BLOCK *io,
                          LARGE_INTEGER *offset, LARGE_INTEGER *length, uint32_t key,
                          uint8_t fail_immediately, uint8_t exclusive);
NTSTATUS NTAPI NtUnlockFile(HANDLE h, IO_STATUS_BLOCK *io, LARGE_INTEGER *offset,
                            LARGE_INTEGER *length, uint32_t key);
NTSTATUS NTAPI NtDeleteFile(OBJECT_ATTRIBUTES *attr);
NTSTATUS NTAPI NtQueryAttributesFile(OBJECT_ATTRIBUTES *attr, FILE_BASIC_INFORMATION *info);
NTSTATUS NTAPI NtAllocateVirtualMemory(HANDLE process, void **base, ULONG_PTR zero_bits,
                                       SIZE_T *size, uint32_t type, uint32_t protect);
NTSTATUS NTAPI NtFreeVirtualMemory(HANDLE process, void **base, SIZE_T *size, uint32_t type);
NTSTATUS NTAPI NtProtectVirtualMemory(HANDLE process, void **base, SIZE_T *size,
                                      uint32_t new_protect, uint32_t *old_protect);
NTSTATUS NTAPI NtQueryVirtualMemory(HANDLE process, const void *addr, uint32_t klass, void *info,
                                    SIZE_T len, SIZE_T *ret_len);
/* Copies between the process's memory and a buffer (the current process only): a range that is
 * not entirely memory the program was given (an allocation, image, view, heap, its stacks, TEB,
 * PEB) gives STATUS_PARTIAL_COPY, as unallocated space does on Windows. */
NTSTATUS NTAPI NtReadVirtualMemory(HANDLE process, const void *addr, void *buffer, SIZE_T size,
                                   SIZE_T *done);
NTSTATUS NTAPI NtWriteVirtualMemory(HANDLE process, void *addr, const void *buffer, SIZE_T size,
                                    SIZE_T *done);
/* Sections (ntemu/section.c): file-backed or pagefile-backed (file NULL), named within the
 * process; views of the current process only. */
NTSTATUS NTAPI NtCreateSection(HANDLE *handle, uint32_t access, const OBJECT_ATTRIBUTES *attr,
                               const LARGE_INTEGER *max_size, uint32_t protect,
                               uint32_t attributes, HANDLE file);
NTSTATUS NTAPI NtOpenSection(HANDLE *handle, uint32_t access, const OBJECT_ATTRIBUTES *attr);
NTSTATUS NTAPI NtMapViewOfSection(HANDLE section, HANDLE process, void **base, ULONG_PTR zero_bits,
                                  SIZE_T commit_size, LARGE_INTEGER *offset, SIZE_T *view_size,
                                  uint32_t inherit, uint32_t alloc_type, uint32_t protect);
NTSTATUS NTAPI NtUnmapViewOfSection(HANDLE process, void *base);
NTSTATUS NTAPI NtUnmapViewOfSectionEx(HANDLE process, void *base, uint32_t flags);
NTSTATUS NTAPI NtExtendSection(HANDLE section, LARGE_INTEGER *new_size);
NTSTATUS NTAPI NtQuerySection(HANDLE section, uint32_t klass, void *info, SIZE_T len,
                              SIZE_T *ret_len);
NTSTATUS NTAPI NtFlushVirtualMemory(HANDLE process, void **base, SIZE_T *size,
                                    IO_STATUS_BLOCK *iosb);
NTSTATUS NTAPI NtQueryPerformanceCounter(LARGE_INTEGER *counter, LARGE_INTEGER *frequency);
NTSTATUS NTAPI NtQuerySystemTime(LARGE_INTEGER *time);
NTSTATUS NTAPI NtDelayExecution(BOOLEAN alertable, const LARGE_INTEGER *timeout);
NTSTATUS NTAPI NtYieldExecution(void);
NTSTATUS NTAPI NtTerminateProcess(HANDLE process, NTSTATUS status);
/* OpenProcess by a CLIENT_ID (ntemu/process.c): the process of UniqueProcess, or of the thread
 * UniqueThread when given; OBJ_INHERIT in the attributes makes the handle inheritable. */
NTSTATUS NTAPI NtOpenProcess(HANDLE *handle, uint32_t access, const OBJECT_ATTRIBUTES *attr,
                             const CLIENT_ID *cid);
/* A child program from RTL_USER_PROCESS_PARAMETERS (ntemu/process_create.c), started as
 * CreateProcess starts one; PS_ATTRIBUTE_IMAGE_NAME, _HANDLE_LIST and _CLIENT_ID are read. */
NTSTATUS NTAPI NtCreateUserProcess(HANDLE *process, HANDLE *thread, uint32_t paccess,
                                   uint32_t taccess, OBJECT_ATTRIBUTES *pattr,
                                   OBJECT_ATTRIBUTES *tattr, uint32_t pflags, uint32_t tflags,
                                   RTL_USER_PROCESS_PARAMETERS *params, void *create_info,
                                   void *attr_list);
/* NtCreateUserProcess's work, for CreateProcess: `new_group` (CREATE_NEW_PROCESS_GROUP, which
 * Windows leaves to the console server) starts the child in a process group of its own. */
NTSTATUS nt_create_user_process(HANDLE *process, HANDLE *thread, uint32_t pflags, uint32_t tflags,
                                RTL_USER_PROCESS_PARAMETERS *params, void *attr_list,
                                bool new_group);
/* FILE_NETWORK_OPEN_INFORMATION (0x38 bytes) of a file by name. */
NTSTATUS NTAPI NtQueryFullAttributesFile(OBJECT_ATTRIBUTES *attr, void *info);
/* FileFsVolume/Size/Device/Attribute/FullSizeInformation (ntemu/volume.c). */
NTSTATUS NTAPI NtQueryVolumeInformationFile(HANDLE h, IO_STATUS_BLOCK *io, void *info,
                                            uint32_t len, uint32_t klass);
/* Device I/O controls on a file handle (ntemu/ioctl.c): none is supported yet. */
NTSTATUS NTAPI NtDeviceIoControlFile(HANDLE h, HANDLE event, void *apc, void *apc_ctx,
                                     IO_STATUS_BLOCK *io, uint32_t code, void *in,
                                     uint32_t in_len, void *out, uint32_t out_len);
/* ntemu/info.c: SystemBasic/Processor/TimeOfDayInformation. */
NTSTATUS NTAPI NtQuerySystemInformation(uint32_t klass, void *info, uint32_t len,
                                        uint32_t *ret_len);
/* ProcessBasicInformation, ProcessImageFileName(Win32), ProcessDebugPort/Flags/ObjectHandle,
 * ProcessWow64Information; the handle is NtCurrentProcess() or a process handle. */
NTSTATUS NTAPI NtQueryInformationProcess(HANDLE process, uint32_t klass, void *info,
                                         uint32_t len, uint32_t *ret_len);
/* ObjectHandleFlagInformation (4): handle inheritance and protection from close. */
NTSTATUS NTAPI NtQueryObject(HANDLE h, uint32_t klass, void *info, uint32_t len,
                                        uint32_t *ret_len);
NTSTATUS NTAPI NtSetInformationObject(HANDLE h, uint32_t klass, const void *info, uint32_t len);
/* ProcessDefaultHardErrorMode, ProcessPriorityBoost (recorded), ProcessAffinityMask (checked). */
NTSTATUS NTAPI NtSetInformationProcess(HANDLE process, uint32_t klass, const void *info,
                                       uint32_t len);
/* ThreadBasicInformation (TEB address, client id, exit status). */
NTSTATUS NTAPI NtQueryInformationThread(HANDLE thread, uint32_t klass, void *info, uint32_t len,
                                        uint32_t *ret_len);
/* ThreadHideFromDebugger succeeds; priorities and affinity are accepted and ignored. */
NTSTATUS NTAPI NtSetInformationThread(HANDLE thread, uint32_t klass, const void *info,
                                      uint32_t len);
/* The processor the caller runs on (a number, not a status). */
NTSTATUS NTAPI NtGetCurrentProcessorNumber(void);

/* ---- sync and threads (ntemu/sync.c, ntemu/thread.c) ----
 * Waitable objects: events, mutants, semaphores, threads (signalled when they end), the process
 * (never signalled while anyone can wait on it); files count as always signalled. Handles -1
 * (NtCurrentProcess) and -2 (NtCurrentThread) are accepted wherever a handle is. Named events,
 * mutants and semaphores share one flat namespace (no object directories: a RootDirectory
 * handle gives STATUS_OBJECT_TYPE_MISMATCH, or STATUS_INVALID_HANDLE if closed). */
#define NT_NOTIFICATION_EVENT 0   /* EVENT_TYPE: manual reset */
#define NT_SYNCHRONIZATION_EVENT 1 /* auto reset */
#define NT_WAIT_ALL 0             /* WAIT_TYPE */
#define NT_WAIT_ANY 1
#define NT_THREAD_CREATE_SUSPENDED 0x1
#define NT_STILL_ACTIVE 259
#ifndef STATUS_OBJECT_NAME_EXISTS
#define STATUS_OBJECT_NAME_EXISTS ((NTSTATUS)0x40000000)
#endif
#ifndef STATUS_INVALID_PARAMETER_3
#define STATUS_INVALID_PARAMETER_3 ((NTSTATUS)0xC00000F1)
#endif
#ifndef STATUS_INVALID_CID
#define STATUS_INVALID_CID ((NTSTATUS)0xC000000B)
#endif
#ifndef STATUS_OBJECT_PATH_SYNTAX_BAD
#define STATUS_OBJECT_PATH_SYNTAX_BAD ((NTSTATUS)0xC000003B)
#endif
NTSTATUS NTAPI NtCreateEvent(HANDLE *handle, uint32_t access, const OBJECT_ATTRIBUTES *attr,
                             uint32_t type, BOOLEAN initial);
NTSTATUS NTAPI NtOpenEvent(HANDLE *handle, uint32_t access, const OBJECT_ATTRIBUTES *attr);
NTSTATUS NTAPI NtSetEvent(HANDLE h, int32_t *prev);
NTSTATUS NTAPI NtResetEvent(HANDLE h, int32_t *prev);
NTSTATUS NTAPI NtPulseEvent(HANDLE h, int32_t *prev);
NTSTATUS NTAPI NtClearEvent(HANDLE h);
NTSTATUS NTAPI NtCreateMutant(HANDLE *handle, uint32_t access, const OBJECT_ATTRIBUTES *attr,
                              BOOLEAN initial_owner);
NTSTATUS NTAPI NtOpenMutant(HANDLE *handle, uint32_t access, const OBJECT_ATTRIBUTES *attr);
NTSTATUS NTAPI NtReleaseMutant(HANDLE h, int32_t *prev);
NTSTATUS NTAPI NtCreateSemaphore(HANDLE *handle, uint32_t access, const OBJECT_ATTRIBUTES *attr,
                                 int32_t initial, int32_t max);
NTSTATUS NTAPI NtOpenSemaphore(HANDLE *handle, uint32_t access, const OBJECT_ATTRIBUTES *attr);
NTSTATUS NTAPI NtReleaseSemaphore(HANDLE h, int32_t count, int32_t *prev);
/* Timeouts: NULL infinite, negative relative (100 ns units), positive absolute system time,
 * 0 polls. STATUS_WAIT_0 + i, STATUS_ABANDONED_WAIT_0 + i, or STATUS_TIMEOUT. */
NTSTATUS NTAPI NtWaitForSingleObject(HANDLE h, BOOLEAN alertable, const LARGE_INTEGER *timeout);
NTSTATUS NTAPI NtWaitForMultipleObjects(uint32_t count, const HANDLE *handles, uint32_t wait_type,
                                        BOOLEAN alertable, const LARGE_INTEGER *timeout);
/* Same process only: both process handles must be the current process. */
NTSTATUS NTAPI NtDuplicateObject(HANDLE src_process, HANDLE src, HANDLE dst_process,
                                 HANDLE *dst, uint32_t access, uint32_t attributes,
                                 uint32_t options);
/* Threads. StackSize/MaximumStackSize: the reserve is the larger of them and the exe's
 * SizeOfStackReserve. AttributeList: PS_ATTRIBUTE_CLIENT_ID and PS_ATTRIBUTE_TEB_ADDRESS are
 * filled, others ignored. Flags: NT_THREAD_CREATE_SUSPENDED (until NtResumeThread). */
NTSTATUS NTAPI NtCreateThreadEx(HANDLE *handle, uint32_t access, const OBJECT_ATTRIBUTES *attr,
                                HANDLE process, void *start, void *param, uint32_t flags,
                                SIZE_T zero_bits, SIZE_T stack_size, SIZE_T max_stack_size,
                                void *attribute_list);
/* NULL, NtCurrentThread() or a handle to the caller: ends the caller (does not return). Another
 * thread is interrupted (see rt_thread_terminate: at once in foreign code, at its next wait
 * inside a built-in) and ends without DLL_THREAD_DETACH. */
NTSTATUS NTAPI NtTerminateThread(HANDLE thread, NTSTATUS status);
NTSTATUS NTAPI NtResumeThread(HANDLE thread, uint32_t *prev_count);
/* A thread not yet started counts suspensions before it runs; a running one is stopped in its
 * own code (rt_thread_suspend: never halfway through a built-in). */
NTSTATUS NTAPI NtSuspendThread(HANDLE thread, uint32_t *prev_count);
/* The registers of a thread stopped by NtSuspendThread (ContextFlags selects the parts):
 * STATUS_UNSUCCESSFUL when it is not suspended. See runtime/thread.c for where it stops. */
struct _CONTEXT;
NTSTATUS NTAPI NtGetContextThread(HANDLE thread, struct _CONTEXT *ctx);
NTSTATUS NTAPI NtSetContextThread(HANDLE thread, const struct _CONTEXT *ctx);
NTSTATUS NTAPI NtContinue(const struct _CONTEXT *ctx, BOOLEAN alertable);

/* A thread by id (CLIENT_ID.UniqueThread; UniqueProcess NULL or ours): STATUS_INVALID_CID when
 * no thread object with that id exists. */
NTSTATUS NTAPI NtOpenThread(HANDLE *handle, uint32_t access, const OBJECT_ATTRIBUTES *attr,
                            const CLIENT_ID *cid);
/* Basic information (class 0) of an event {type, state}, a mutant {count, owned by caller,
 * abandoned} and a semaphore {count, maximum}. */
NTSTATUS NTAPI NtQueryEvent(HANDLE h, uint32_t klass, void *info, uint32_t len, uint32_t *ret_len);
NTSTATUS NTAPI NtQueryMutant(HANDLE h, uint32_t klass, void *info, uint32_t len, uint32_t *ret_len);
NTSTATUS NTAPI NtQuerySemaphore(HANDLE h, uint32_t klass, void *info, uint32_t len,
                                uint32_t *ret_len);
/* Set / release `signal` (event, mutant, semaphore by one), then wait on `wait` (not atomic). */
NTSTATUS NTAPI NtSignalAndWaitForSingleObject(HANDLE signal, HANDLE wait, BOOLEAN alertable,
                                              const LARGE_INTEGER *timeout);

/* Timers (ntemu/timer.c): type 0 notification (stays signalled), 1 synchronization (reset by
 * the wait it satisfies). NtSetTimer: due time as a wait timeout (negative relative, positive
 * absolute system time), period in ms (0: one-shot), an optional APC routine(ctx, low, high)
 * queued to the calling thread at each expiry. */
NTSTATUS NTAPI NtCreateTimer(HANDLE *handle, uint32_t access, const OBJECT_ATTRIBUTES *attr,
                             uint32_t type);
NTSTATUS NTAPI NtOpenTimer(HANDLE *handle, uint32_t access, const OBJECT_ATTRIBUTES *attr);
NTSTATUS NTAPI NtSetTimer(HANDLE h, const LARGE_INTEGER *due_time, void *apc, void *apc_ctx,
                          BOOLEAN resume, int32_t period_ms, BOOLEAN *prev_state);
NTSTATUS NTAPI NtCancelTimer(HANDLE h, BOOLEAN *current_state);
NTSTATUS NTAPI NtQueryTimer(HANDLE h, uint32_t klass, void *info, uint32_t len,
                            uint32_t *ret_len);

/* I/O completion ports (ntemu/iocp.c). NtRemoveIoCompletionEx fills
 * FILE_IO_COMPLETION_INFORMATION entries (the layout of OVERLAPPED_ENTRY). */
NTSTATUS NTAPI NtCreateIoCompletion(HANDLE *handle, uint32_t access,
                                    const OBJECT_ATTRIBUTES *attr, uint32_t concurrency);
NTSTATUS NTAPI NtOpenIoCompletion(HANDLE *handle, uint32_t access, const OBJECT_ATTRIBUTES *attr);
NTSTATUS NTAPI NtSetIoCompletion(HANDLE h, ULONG_PTR key, ULONG_PTR ctx, NTSTATUS status,
                                 ULONG_PTR info);
NTSTATUS NTAPI NtRemoveIoCompletion(HANDLE h, ULONG_PTR *key, ULONG_PTR *ctx,
                                    IO_STATUS_BLOCK *io, const LARGE_INTEGER *timeout);
NTSTATUS NTAPI NtRemoveIoCompletionEx(HANDLE h, void *info, uint32_t count, uint32_t *removed,
                                      const LARGE_INTEGER *timeout, BOOLEAN alertable);
NTSTATUS NTAPI NtQueryIoCompletion(HANDLE h, uint32_t klass, void *info, uint32_t len,
                                   uint32_t *ret_len);
/* Posts a packet to a port object (for I/O that completes on a file bound to a port). */
NTSTATUS nt_iocp_post(nt_object *port, ULONG_PTR key, ULONG_PTR ctx, NTSTATUS status,
                      ULONG_PTR info);
/* The same with a tag (a wait completion packet's association, ntemu/waitpacket.c), which
 * nt_iocp_find_tag finds in the queue (still there: not yet removed) and may take out. */
NTSTATUS nt_iocp_post_tagged(nt_object *port, ULONG_PTR key, ULONG_PTR ctx, NTSTATUS status,
                             ULONG_PTR info, uint64_t tag);
bool nt_iocp_find_tag(nt_object *port, uint64_t tag, bool remove);

/* Wait completion packets (ntemu/waitpacket.c). */
NTSTATUS NTAPI NtCreateWaitCompletionPacket(HANDLE *handle, uint32_t access,
                                            const OBJECT_ATTRIBUTES *attr);
NTSTATUS NTAPI NtAssociateWaitCompletionPacket(HANDLE packet, HANDLE port, HANDLE target,
                                               void *key, void *apc_ctx, NTSTATUS io_status,
                                               ULONG_PTR io_info, BOOLEAN *already_signalled);
NTSTATUS NTAPI NtCancelWaitCompletionPacket(HANDLE packet, BOOLEAN remove_signalled);

/* The socket driver's device controls (ws2_32's AFD: IOCTL_AFD_RECEIVE, ...), which
 * NtDeviceIoControlFile hands a socket handle's call to (ntemu/ioctl.c), with the arguments
 * it was given once the I/O manager's probes passed; STATUS_INVALID_DEVICE_REQUEST for a code
 * it does not do. ws2_32 registers it at WSAStartup. */
typedef NTSTATUS (*nt_socket_ioctl_fn)(struct nt_file *f, HANDLE event, void *apc, void *apc_ctx,
                                       IO_STATUS_BLOCK *io, uint32_t code, void *in,
                                       uint32_t in_len, void *out, uint32_t out_len);
void nt_set_socket_ioctl(nt_socket_ioctl_fn fn);

/* ---- asynchronous I/O (ntemu/async.c) ---- */
#ifndef NT_ERROR
#define NT_ERROR(st) ((uint32_t)(st) >> 30 == 3) /* severity error (0xC...) */
#endif
/*
 * Overlapped I/O on readiness: a request is an attempt function run on the file's non-blocking
 * fd (at once when nothing is queued before it, then by the epoll thread on each readiness
 * edge) plus its notifications. attempt returns true when the operation is over (*status and
 * *info set), false when it would block; it runs under the file's lock and must not wait.
 * finish (optional) runs once at the end, completed or cancelled, and frees arg. */
typedef struct nt_async_io {
    bool (*attempt)(int fd, void *arg, NTSTATUS *status, ULONG_PTR *info);
    void (*finish)(void *arg);
    void *arg;
    bool write; /* queued behind writes (send, connect) instead of reads (recv, accept) */
    bool polled; /* no readiness of the fd tells when it may succeed (a byte-range lock held by
                    another file object): retried every millisecond while queued */
    bool any_edge; /* waits for a change of the fd's state (an AFD poll): tried on every epoll
                      event of the fd, independent of the other requests; when the file goes,
                      tried once more with fd -1 (true: it ends so, else it is cancelled) */
    bool waiter_polls; /* the attempt depends on the fd's readiness alone: a synchronous
                          caller (nt_async_notify.wait) may poll the fd in its own thread and
                          retry it there, instead of the epoll thread */
    uint32_t poll_events; /* any_edge: the epoll events (EPOLLIN, EPOLLOUT, EPOLLPRI,
                             EPOLLRDHUP) a change of which may end it; 0: every one */
    bool outlives_issuer; /* issued on another file (nt_async_notify.port_file): closing that
                             file leaves it queued, to end as it would have (an AFD poll:
                             Windows runs it to its timeout); else it ends cancelled */
} nt_async_io;
typedef struct nt_async_notify {
    IO_STATUS_BLOCK *iosb; /* the caller's status block (OVERLAPPED), may be foreign */
    HANDLE event;          /* reset at submission, set at completion */
    void *apc, *apc_ctx;   /* apc(apc_ctx, iosb, 0) in the issuing thread's next alertable wait;
                              without apc, apc_ctx is the port packet's context (NULL: none) */
    bool apc_win32;        /* apc is a kernel32 completion routine(error, bytes, iosb) */
    bool wait;             /* a synchronous call: wait for the end */
    bool alertable;        /* with wait: the thread's user APCs run while it waits, and the
                              wait goes on (Winsock's blocking calls wait alertably) */
    uint32_t timeout_ms;   /* for wait: 0 none, else STATUS_IO_TIMEOUT after that long */
    struct nt_file *port_file; /* the file whose completion port gets the packet (NULL: the
                                  file submitted to): a request handed over to another file */
} nt_async_notify;
/* An attempt's status meaning "handed over": the attempt submitted the rest of the work as a
 * request of another file with this request's notifications (AcceptEx waiting for the first
 * data on the accepted socket); this request ends without notifying anything. */
#define NT_ASYNC_HANDED_OVER ((NTSTATUS)0x40000100)
/* Submits (n NULL: a synchronous call without notifications). Returns the final status, or
 * STATUS_PENDING; *result (optional) gets the status and the byte count of a finished one.
 * A failure at once notifies nothing; a success at once skips the port packet when the file
 * has FILE_SKIP_COMPLETION_PORT_ON_SUCCESS. */
NTSTATUS nt_async_submit(nt_file *f, const nt_async_io *io, const nt_async_notify *n,
                         IO_STATUS_BLOCK *result);
/* NtReadFile/NtWriteFile's work on a file without FILE_SYNCHRONOUS_IO_* (and ReadFileEx's):
 * at offset `off` (< 0: the file position; pipes and sockets have none). */
NTSTATUS nt_file_rw_async(nt_file *f, bool write, const nt_async_notify *n, void *buf,
                          uint32_t len, int64_t off);
/* Ends the synchronous calls waiting in nt_async_submit on f (notify.wait: blocking socket
 * calls of any thread) with STATUS_CANCELLED; the overlapped requests stay. */
void nt_async_end_waiters(nt_file *f);
/* The fd of f now refers to another open file (dup3 onto it: AcceptEx): registers it again. */
void nt_async_fd_replaced(nt_file *f);
/* Waits until a request of file h has filled `iosb` (Status no longer STATUS_PENDING), or the
 * absolute CLOCK_MONOTONIC deadline (ns; INT64_MAX none: STATUS_TIMEOUT). */
NTSTATUS nt_async_wait_iosb(HANDLE h, const IO_STATUS_BLOCK *iosb, int64_t deadline);
/* A thread is about to wait for a request of h otherwise (the OVERLAPPED's event): when h is
 * bound to a completion port whose poll set is under a lease, the lease ends (ntemu/async.c). */
void nt_async_wait_soon(HANDLE h);
/* A thread looks whether a request of h is done without waiting ((WSA)GetOverlappedResult with
 * no wait, still pending): when h's port's poll set is under a lease (nobody watches it), the
 * caller tries the set itself, as a port's caller with a zero time-out does: the I/O ready
 * for it is done now, in this thread (ntemu/async.c). */
void nt_async_poll_soon(HANDLE h);
/* The caller's requests on h (NtCancelIoFile), or the one whose status block is `request`,
 * NULL all (NtCancelIoFileEx: STATUS_NOT_FOUND when none): they complete with
 * STATUS_CANCELLED, notifications included. */
NTSTATUS NTAPI NtCancelIoFile(HANDLE h, IO_STATUS_BLOCK *io);
NTSTATUS NTAPI NtCancelIoFileEx(HANDLE h, IO_STATUS_BLOCK *request, IO_STATUS_BLOCK *io);

/* Directory change notifications (ntemu/dirnotify.c): FILE_NOTIFY_INFORMATION records (klass
 * 1) or FILE_NOTIFY_EXTENDED_INFORMATION (2) of the changes since the directory's previous
 * request, through an overlapped request (or a wait, on a synchronous handle). */
NTSTATUS NTAPI NtNotifyChangeDirectoryFile(HANDLE h, HANDLE event, void *apc, void *apc_ctx,
                                           IO_STATUS_BLOCK *io, void *buffer, uint32_t length,
                                           uint32_t filter, BOOLEAN subtree);
NTSTATUS NTAPI NtNotifyChangeDirectoryFileEx(HANDLE h, HANDLE event, void *apc, void *apc_ctx,
                                             IO_STATUS_BLOCK *io, void *buffer, uint32_t length,
                                             uint32_t filter, BOOLEAN subtree, uint32_t klass);
/* The same with kernel32's notifications (a completion routine: n->apc_win32). */
NTSTATUS nt_dir_notify(HANDLE h, const nt_async_notify *n, void *buffer, uint32_t length,
                       uint32_t filter, bool subtree, uint32_t klass);

/* User APCs: routine(a1, a2, a3) runs on the target thread in its next alertable wait
 * (NtWaitFor*Object(s) or NtDelayExecution with alertable TRUE), which then returns
 * STATUS_USER_APC; NtTestAlert runs them at once. */
NTSTATUS NTAPI NtQueueApcThread(HANDLE thread, void *routine, void *a1, void *a2, void *a3);
NTSTATUS NTAPI NtTestAlert(void);

/* For NtQueryInformationThread, GetThreadId, GetExitCodeThread: what ntemu knows of a thread. */
typedef struct nt_thread_info {
    int32_t tid;          /* Linux tid = Windows thread id (TEB ClientId.UniqueThread) */
    TEB *teb;             /* NULL once the thread has ended */
    uint32_t exit_code;   /* NT_STILL_ACTIVE while it runs */
    bool exited;
} nt_thread_info;
/* h may be NtCurrentThread(). STATUS_INVALID_HANDLE / STATUS_OBJECT_TYPE_MISMATCH. */
NTSTATUS nt_thread_query(HANDLE h, nt_thread_info *out);
/* ThreadNameInformation: sets (bytes 0: clears) or copies out (malloc'd, NULL when it has none)
 * the thread's name. THREAD_SET/QUERY_LIMITED_INFORMATION. */
NTSTATUS nt_thread_set_name(HANDLE h, const uint16_t *name, size_t bytes);
NTSTATUS nt_thread_get_name(HANDLE h, uint16_t **name, size_t *bytes);
/* Creates a thread running the native ms_abi-free function body(ctx) on a foreign-ready thread
 * (own TEB, stack, TLS, attach/detach hooks): for built-ins like msvcrt's _beginthread that
 * wrap the foreign start routine. Same handle and suspension semantics as NtCreateThreadEx. */
NTSTATUS nt_thread_create_native(uint32_t (*body)(void *ctx), void *ctx, size_t stack_reserve,
                                 bool suspended, HANDLE *handle, int32_t *tid);
/* The stack reserve a thread or fiber gets when its creator gives none: the program's
 * SizeOfStackReserve (1 MiB when its headers cannot be read; 1 GiB at most). */
size_t nt_exe_stack_reserve(void);

/* ---- the registry (ntemu/registry.c) ----
 * \Registry\Machine and \Registry\User\<sid>, kept in <C:>\windows\system32\config\registry.txt
 * and written at every change (atomically, under a lock shared by ntrun processes). Names are
 * case-insensitive; NtCreateKey creates only the last component of its path. */
NTSTATUS NTAPI NtCreateKey(HANDLE *handle, uint32_t access, const OBJECT_ATTRIBUTES *attr,
                           uint32_t title_index, const UNICODE_STRING *cls, uint32_t options,
                           uint32_t *disposition);
NTSTATUS NTAPI NtOpenKey(HANDLE *handle, uint32_t access, const OBJECT_ATTRIBUTES *attr);
NTSTATUS NTAPI NtOpenKeyEx(HANDLE *handle, uint32_t access, const OBJECT_ATTRIBUTES *attr,
                           uint32_t options);
NTSTATUS NTAPI NtDeleteKey(HANDLE h);
NTSTATUS NTAPI NtSetValueKey(HANDLE h, const UNICODE_STRING *name, uint32_t title_index,
                             uint32_t type, const void *data, uint32_t size);
NTSTATUS NTAPI NtDeleteValueKey(HANDLE h, const UNICODE_STRING *name);
/* KEY_VALUE_{BASIC,FULL,PARTIAL}_INFORMATION (and the Align64 forms). */
NTSTATUS NTAPI NtQueryValueKey(HANDLE h, const UNICODE_STRING *name, uint32_t klass, void *info,
                               uint32_t len, uint32_t *ret_len);
NTSTATUS NTAPI NtEnumerateValueKey(HANDLE h, uint32_t index, uint32_t klass, void *info,
                                   uint32_t len, uint32_t *ret_len);
/* KEY_VALUE_ENTRY array in, each value's data at a ULONG-aligned offset of buffer. */
NTSTATUS NTAPI NtQueryMultipleValueKey(HANDLE h, void *entries, uint32_t count, void *buffer,
                                       uint32_t *buf_len, uint32_t *required);
/* KEY_{BASIC,NODE,FULL,NAME,CACHED}_INFORMATION; subkeys in case-insensitive order. */
NTSTATUS NTAPI NtEnumerateKey(HANDLE h, uint32_t index, uint32_t klass, void *info,
                              uint32_t len, uint32_t *ret_len);
NTSTATUS NTAPI NtQueryKey(HANDLE h, uint32_t klass, void *info, uint32_t len, uint32_t *ret_len);
NTSTATUS NTAPI NtFlushKey(HANDLE h);
/* Hives (ntrun's own text format, see registry.c): a key's subtree to a file handle, a file
 * mounted as \Registry\Machine\X or \Registry\User\X and unmounted. */
NTSTATUS NTAPI NtSaveKey(HANDLE h, HANDLE file);
NTSTATUS NTAPI NtSaveKeyEx(HANDLE h, HANDLE file, uint32_t format);
NTSTATUS NTAPI NtLoadKey(const OBJECT_ATTRIBUTES *target, const OBJECT_ATTRIBUTES *file);
NTSTATUS NTAPI NtLoadKey2(const OBJECT_ATTRIBUTES *target, const OBJECT_ATTRIBUTES *file,
                          uint32_t flags);
NTSTATUS NTAPI NtUnloadKey(const OBJECT_ATTRIBUTES *target);
NTSTATUS NTAPI NtUnloadKey2(const OBJECT_ATTRIBUTES *target, uint32_t flags);
/* A key's values and subkeys replaced by a hive file's; NtLoadKey with a handle to the root;
 * a mounted hive's file replaced for its next load (the live hive goes on as old_file). */
NTSTATUS NTAPI NtRestoreKey(HANDLE h, HANDLE file, uint32_t flags);
NTSTATUS NTAPI NtLoadKeyEx(const OBJECT_ATTRIBUTES *target, const OBJECT_ATTRIBUTES *file,
                           uint32_t flags, HANDLE trust_key, HANDLE event, uint32_t access,
                           HANDLE *root, void *reserved);
NTSTATUS NTAPI NtReplaceKey(const OBJECT_ATTRIBUTES *new_file, HANDLE h,
                            const OBJECT_ATTRIBUTES *old_file);
NTSTATUS NTAPI NtLoadKey3(const OBJECT_ATTRIBUTES *target, const OBJECT_ATTRIBUTES *file,
                          uint32_t flags, void *params, uint32_t nparams, uint32_t access,
                          HANDLE *root, void *reserved);
/* Two keys' subtrees saved as one hive, the first's over the second's. */
NTSTATUS NTAPI NtSaveMergedKeys(HANDLE high, HANDLE low, HANDLE file);
/* Renames a key within its parent: STATUS_CANNOT_DELETE when a sibling has the name. */
NTSTATUS NTAPI NtRenameKey(HANDLE h, const UNICODE_STRING *new_name);
/* Changes made by this process only; APC routines are not called. */
NTSTATUS NTAPI NtNotifyChangeKey(HANDLE h, HANDLE event, void *apc, void *apc_ctx,
                                 IO_STATUS_BLOCK *io, uint32_t filter, BOOLEAN watch_tree,
                                 void *buffer, uint32_t buf_len, BOOLEAN async);
/* Forgets the tree: the next call loads the C: drive's file again (tests, libntrun). */
void nt_registry_reset(void);

/* ---- access tokens (ntemu/token.c) ----
 * One primary token per process, the Linux user's; no impersonation. Pseudo handles -4, -5, -6
 * (GetCurrentProcessToken, GetCurrentThreadToken, GetCurrentThreadEffectiveToken). */
NTSTATUS NTAPI NtOpenProcessToken(HANDLE process, uint32_t access, HANDLE *handle);
NTSTATUS NTAPI NtOpenProcessTokenEx(HANDLE process, uint32_t access, uint32_t attributes,
                                    HANDLE *handle);
NTSTATUS NTAPI NtOpenThreadToken(HANDLE thread, uint32_t access, BOOLEAN as_self, HANDLE *handle);
NTSTATUS NTAPI NtOpenThreadTokenEx(HANDLE thread, uint32_t access, BOOLEAN as_self,
                                   uint32_t attributes, HANDLE *handle);
NTSTATUS NTAPI NtQueryInformationToken(HANDLE token, uint32_t klass, void *info, uint32_t len,
                                       uint32_t *ret_len);
/* TOKEN_PRIMARY (1) or TOKEN_IMPERSONATION (2) at the SECURITY_QUALITY_OF_SERVICE's level. */
/* Privileges: enabled/disabled/removed per token (the process's token is one state), checked
 * on impersonation tokens. */
NTSTATUS NTAPI NtAdjustPrivilegesToken(HANDLE token, BOOLEAN disable_all, const void *new_state,
                                       uint32_t prev_len, void *prev, uint32_t *ret_len);
NTSTATUS NTAPI NtPrivilegeCheck(HANDLE token, void *set, BOOLEAN *result);
NTSTATUS NTAPI NtDuplicateToken(HANDLE existing, uint32_t access, const OBJECT_ATTRIBUTES *attr,
                                BOOLEAN effective_only, uint32_t type, HANDLE *handle);
/* NtSetInformationThread(ThreadImpersonationToken): impersonate with token (NULL: revert). */
NTSTATUS nt_token_impersonate(HANDLE thread, HANDLE token);
/* The user's SID as text ("S-1-5-21-A-B-C-R", R = 1000 + uid). */
void nt_token_user_sid_string(char *buf, size_t n);
/* Privilege LUIDs the kernel checks (SE_*_PRIVILEGE). */
#define NT_SE_BACKUP_PRIVILEGE 17
#define NT_SE_RESTORE_PRIVILEGE 18
/* Whether privilege `luid` is enabled in the calling thread's effective token (its
 * impersonation token, else the process's), as the kernel's SeSinglePrivilegeCheck. */
bool nt_token_privilege_enabled(uint32_t luid);
/* "NTRUN_CHILD_TOKEN=...": the state a child process's token starts with (*out, malloc'd):
 * `token`'s for CreateProcessAsUser (a primary token with TOKEN_ASSIGN_PRIMARY, else
 * STATUS_BAD_TOKEN_TYPE / STATUS_ACCESS_DENIED), the process token's for NULL (CreateProcess
 * copies the caller's primary token): privileges, deny-only groups, restricting SIDs. */
NTSTATUS nt_token_child_env(HANDLE token, char **out);
/* CreateRestrictedToken: deny-only SIDs, deleted privileges, restricting SIDs (TOKEN_GROUPS,
 * TOKEN_PRIVILEGES, TOKEN_GROUPS; NULL for none) and DISABLE_MAX_PRIVILEGE, SANDBOX_INERT,
 * LUA_TOKEN, WRITE_RESTRICTED. */
NTSTATUS NTAPI NtFilterToken(HANDLE existing, uint32_t flags, const void *disable,
                             const void *delete_privs, const void *restricting,
                             HANDLE *new_token);
NTSTATUS NTAPI NtSetInformationToken(HANDLE token, uint32_t klass, const void *info, uint32_t len);
/* CheckTokenMembership: whether `sid` is enabled in the token (NULL: the thread's effective
 * token; else an impersonation token), counting deny-only groups and restricting SIDs. */
NTSTATUS nt_token_check_membership(HANDLE token, const void *sid, BOOLEAN *member);

/* ---- SEC_IMAGE sections: the loader maps images, ntemu/section.c asks it through these ---- */
typedef struct SECTION_IMAGE_INFORMATION {
    void *TransferAddress;                /* 0x00 */
    uint32_t ZeroBits;                    /* 0x08 */
    uint64_t MaximumStackSize;            /* 0x10 */
    uint64_t CommittedStackSize;          /* 0x18 */
    uint32_t SubSystemType;               /* 0x20 */
    uint16_t SubSystemMinorVersion;       /* 0x24 */
    uint16_t SubSystemMajorVersion;       /* 0x26 */
    uint16_t MajorOperatingSystemVersion; /* 0x28 */
    uint16_t MinorOperatingSystemVersion; /* 0x2a */
    uint16_t ImageCharacteristics;        /* 0x2c */
    uint16_t DllCharacteristics;          /* 0x2e */
    uint16_t Machine;                     /* 0x30 */
    uint8_t ImageContainsCode;            /* 0x32 */
    uint8_t ImageFlags;                   /* 0x33 */
    uint32_t LoaderFlags;                 /* 0x34 */
    uint32_t ImageFileSize;               /* 0x38 */
    uint32_t CheckSum;                    /* 0x3c */
} SECTION_IMAGE_INFORMATION;
_Static_assert(sizeof(SECTION_IMAGE_INFORMATION) == 0x40, "SECTION_IMAGE_INFORMATION");

typedef struct nt_image_info {
    SECTION_IMAGE_INFORMATION sii;
    uint64_t image_base;    /* preferred */
    uint32_t size_of_image; /* rounded up to a page */
} nt_image_info;

typedef struct nt_image_ops {
    /* Validates the PE file in fd and describes it: STATUS_SUCCESS, or
     * STATUS_INVALID_IMAGE_NOT_MZ / STATUS_INVALID_IMAGE_FORMAT. */
    NTSTATUS (*query)(int fd, nt_image_info *info);
    /* Maps it as an image at `at` (NULL: its preferred base, else anywhere), relocated when not
     * at its preferred base (STATUS_IMAGE_NOT_AT_BASE), registered as MEM_IMAGE;
     * STATUS_CONFLICTING_ADDRESSES when `at` is occupied. */
    NTSTATUS (*map)(int fd, void *at, void **base, size_t *size);
    /* Unmaps a view map gave (the caller forgets its MEM_IMAGE registration). */
    void (*unmap)(void *base);
    /* NtUnmapViewOfSection of an address no view holds: unmaps the foreign DLL holding it (the
     * loader forgets it); STATUS_NOT_MAPPED_VIEW when there is none. */
    NTSTATUS (*unmap_module)(void *addr);
} nt_image_ops;
/* The loader's operations (loader/section_image.c); without them SEC_IMAGE is not supported. */
void nt_set_image_ops(const nt_image_ops *ops);

/* ---- virtual memory bookkeeping (for honest NtQueryVirtualMemory) ----
 * The loader registers image mappings; NtAllocateVirtualMemory registers its own regions. */
void nt_vm_register_image(void *base, size_t size, const char *name);
void nt_vm_image_mapped_rx(void *base, void *code, size_t code_size);
/* Forgets an image registered above (the loader unmaps a DLL). */
void nt_vm_unregister_image(void *base, size_t size);
void nt_vm_register_region(void *base, size_t size, uint32_t state, uint32_t protect,
                           uint32_t type, void *alloc_base, uint32_t alloc_protect);
/* A heap segment or large block the program's heaps mapped (thunks/ntdll/heap.c): committed
 * MEM_PRIVATE memory that NtFreeVirtualMemory refuses (STATUS_UNABLE_TO_FREE_VM), so only
 * the heap unmaps it (nt_vm_unregister_image forgets it). */
void nt_vm_register_heap(void *base, size_t size, uint32_t protect);
/* Unix mmap/mprotect bits for a PAGE_* value; -1 for an invalid one. */
int nt_vm_prot_to_unix(uint32_t protect);
/* Memory at [start, start+len) may be made executable: always, except outside the foreign range
 * under --sud=inclusive (said once on stderr). */
bool nt_vm_exec_allowed(uintptr_t start, size_t len);

/* ---- libntrun: statistics and teardown ----
 * Per-call counters of NT calls by route (trap: a `syscall` in foreign code; thunk: ntdll's
 * Nt/Zw exports; builtin: built-in DLL code calling ntemu, see NtXxx_builtin above), kept per
 * thread and summed here, since the last reset. fn is called for every call with a nonzero
 * count; `name` is static ("NtWriteFile"). */
/* NT calls made through rewritten `syscall` sites (part of the trap counts below). */
uint64_t nt_stats_rewritten_calls(void);
void nt_stats_reset(void);
typedef struct nt_call_counts {
    uint64_t trap, thunk, builtin;
} nt_call_counts;
void nt_stats_for_each(void (*fn)(const char *name, const nt_call_counts *n, void *ctx),
                       void *ctx);
/* After a run, once no foreign thread is left: closes every handle and releases every region
 * NtAllocateVirtualMemory made, so the next program starts with an empty handle table. */
void nt_process_teardown(void);
/* The same for a process that ends right after the run (the ntrun command): only what is seen
 * outside the process is done, closing every handle (delete-on-close files go, pipes and
 * child processes see the close, the registry is written); nothing is unmapped or freed. */
void nt_process_teardown_at_exit(void);

/* Performance counter frequency: 10 MHz, as on Windows 10+. */
#define NT_QPC_FREQUENCY 10000000LL

#endif
