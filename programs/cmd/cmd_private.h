/* SPDX-License-Identifier: MIT */
/* ntrun's cmd.exe (programs/programs.h): private declarations.
 *
 *   main.c      the command line (/C /K /S /D /Q /V), cmd's quote rule, the exit code
 *   expand.c    phase 1: %VAR%, %VAR:a=b%, %VAR:~s,n%, %0-%9, %*, %~dpnx1, !VAR!, FOR variables
 *   parse.c     phase 2: ^ escapes, quotes, & && || |, ( ), redirections, IF, FOR, REM -> a tree
 *   exec.c      running the tree: redirections, pipes, programs (CreateProcess), batch files
 *   builtins.c  the internal commands (ECHO, SET, CD, EXIT, IF's tests, TYPE, DEL, COPY, ...)
 *   forcmd.c    FOR (sets, /L, /F)
 *   system.c    VOL, DATE, TIME, COLOR, PROMPT, MKLINK
 *   assoc.c     ASSOC, FTYPE (HKEY_CLASSES_ROOT)
 *   util.c      strings, output, environment helpers
 *
 * Strings are UTF-8 (ntrun's ANSI code page), so cmd uses kernel32's A functions. */
#ifndef NTRUN_PROGRAMS_CMD_PRIVATE_H
#define NTRUN_PROGRAMS_CMD_PRIVATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "runtime/win.h"

#ifndef TRUE
#define TRUE 1
#define FALSE 0
#endif

/* ---- the Win32 API cmd uses (thunks/kernel32/) ---- */
#define CMD_STD_INPUT ((DWORD)-10)
#define CMD_STD_OUTPUT ((DWORD)-11)
#define CMD_STD_ERROR ((DWORD)-12)
#define CMD_INVALID_HANDLE ((HANDLE)(intptr_t)-1)
#define CMD_INVALID_ATTRS 0xffffffffu
#define CMD_ATTR_READONLY 0x01
#define CMD_ATTR_HIDDEN 0x02
#define CMD_ATTR_SYSTEM 0x04
#define CMD_ATTR_DIRECTORY 0x10
#define CMD_ATTR_ARCHIVE 0x20
#define CMD_ATTR_REPARSE_POINT 0x400
#define CMD_IO_REPARSE_TAG_MOUNT_POINT 0xA0000003u
#define CMD_FSCTL_GET_REPARSE_POINT 0x900a8u
#define CMD_FSCTL_SET_REPARSE_POINT 0x900a4u
#define CMD_OPEN_REPARSE_POINT 0x02200000u /* FILE_FLAG_BACKUP_SEMANTICS | _OPEN_REPARSE_POINT */
#define CMD_GENERIC_READ 0x80000000u
#define CMD_GENERIC_WRITE 0x40000000u
#define CMD_FILE_APPEND_DATA 0x4u
#define CMD_SHARE_ALL 0x7u
#define CMD_CREATE_ALWAYS 2
#define CMD_OPEN_EXISTING 3
#define CMD_OPEN_ALWAYS 4
#define CMD_FILE_END 2
#define CMD_INFINITE 0xffffffffu
#define CMD_STARTF_USESTDHANDLES 0x100u
#define CMD_MOVEFILE_REPLACE_EXISTING 1u
#define CMD_MOVEFILE_COPY_ALLOWED 2u
#define CMD_FILE_TYPE_CHAR 2u

typedef struct {
    DWORD nLength;              /* 0x00 */
    void *lpSecurityDescriptor; /* 0x08 */
    BOOL bInheritHandle;        /* 0x10 */
} cmd_security_attributes;
_Static_assert(sizeof(cmd_security_attributes) == 0x18, "SECURITY_ATTRIBUTES");

typedef struct {
    DWORD cb;          /* 0x00 */
    char *lpReserved;  /* 0x08 */
    char *lpDesktop;   /* 0x10 */
    char *lpTitle;     /* 0x18 */
    DWORD dwX, dwY, dwXSize, dwYSize, dwXCountChars, dwYCountChars, dwFillAttribute; /* 0x20 */
    DWORD dwFlags;     /* 0x3c */
    WORD wShowWindow;  /* 0x40 */
    WORD cbReserved2;  /* 0x42 */
    BYTE *lpReserved2; /* 0x48 */
    HANDLE hStdInput;  /* 0x50 */
    HANDLE hStdOutput; /* 0x58 */
    HANDLE hStdError;  /* 0x60 */
} cmd_startupinfo;
_Static_assert(offsetof(cmd_startupinfo, dwFlags) == 0x3c, "STARTUPINFOA.dwFlags");
_Static_assert(offsetof(cmd_startupinfo, hStdInput) == 0x50, "STARTUPINFOA.hStdInput");
_Static_assert(sizeof(cmd_startupinfo) == 0x68, "STARTUPINFOA");

typedef struct {
    HANDLE hProcess;   /* 0x00 */
    HANDLE hThread;    /* 0x08 */
    DWORD dwProcessId; /* 0x10 */
    DWORD dwThreadId;  /* 0x14 */
} cmd_process_information;
_Static_assert(sizeof(cmd_process_information) == 0x18, "PROCESS_INFORMATION");

typedef struct {
    DWORD dwFileAttributes;    /* 0x000 */
    FILETIME ftCreationTime;   /* 0x004 */
    FILETIME ftLastAccessTime; /* 0x00c */
    FILETIME ftLastWriteTime;  /* 0x014 */
    DWORD nFileSizeHigh;       /* 0x01c */
    DWORD nFileSizeLow;        /* 0x020 */
    DWORD dwReserved0;         /* 0x024 */
    DWORD dwReserved1;         /* 0x028 */
    char cFileName[260];       /* 0x02c */
    char cAlternateFileName[14]; /* 0x130 */
} cmd_find_data;
_Static_assert(offsetof(cmd_find_data, cFileName) == 0x2c, "WIN32_FIND_DATAA.cFileName");
_Static_assert(sizeof(cmd_find_data) == 0x140, "WIN32_FIND_DATAA");

typedef struct {
    WORD wYear, wMonth, wDayOfWeek, wDay, wHour, wMinute, wSecond, wMilliseconds;
} cmd_systemtime;
_Static_assert(sizeof(cmd_systemtime) == 0x10, "SYSTEMTIME");

HANDLE WINAPI GetStdHandle(DWORD which);
char *WINAPI GetCommandLineA(void);
HANDLE WINAPI CreateFileA(const char *name, DWORD access, DWORD sharing, void *sa, DWORD disp,
                          DWORD flags, HANDLE tmpl);
BOOL WINAPI ReadFile(HANDLE h, void *buf, DWORD n, DWORD *nread, void *ov);
BOOL WINAPI WriteFile(HANDLE h, const void *buf, DWORD n, DWORD *written, void *ov);
BOOL WINAPI SetFilePointerEx(HANDLE h, LARGE_INTEGER dist, LARGE_INTEGER *pos, DWORD method);
BOOL WINAPI CloseHandle(HANDLE h);
DWORD WINAPI GetFileType(HANDLE h);
DWORD WINAPI GetFileAttributesA(const char *path);
HANDLE WINAPI FindFirstFileA(const char *name, cmd_find_data *data);
BOOL WINAPI FindNextFileA(HANDLE h, cmd_find_data *data);
BOOL WINAPI FindClose(HANDLE h);
BOOL WINAPI DeleteFileA(const char *path);
BOOL WINAPI CopyFileA(const char *src, const char *dst, BOOL fail_if_exists);
BOOL WINAPI MoveFileExA(const char *src, const char *dst, DWORD flags);
BOOL WINAPI CreateDirectoryA(const char *path, void *sa);
BOOL WINAPI DeviceIoControl(HANDLE h, DWORD code, void *in, DWORD in_len, void *out,
                            DWORD out_len, DWORD *returned, void *ov);
int WINAPI MultiByteToWideChar(UINT cp, DWORD flags, const char *s, int n, WCHAR *w, int wn);
int WINAPI WideCharToMultiByte(UINT cp, DWORD flags, const WCHAR *w, int wn, char *s, int n,
                               const char *def, BOOL *used);
BOOL WINAPI RemoveDirectoryA(const char *path);
BOOL WINAPI SetCurrentDirectoryA(const char *path);
DWORD WINAPI GetCurrentDirectoryA(DWORD size, char *buf);
DWORD WINAPI GetFullPathNameA(const char *path, DWORD size, char *buf, char **file_part);
DWORD WINAPI GetEnvironmentVariableA(const char *name, char *buf, DWORD size);
BOOL WINAPI SetEnvironmentVariableA(const char *name, const char *value);
WCHAR *WINAPI GetEnvironmentStringsW(void);
BOOL WINAPI FreeEnvironmentStringsW(WCHAR *env);
BOOL WINAPI CreateProcessA(const char *app, char *cmdline, void *psa, void *tsa, BOOL inherit,
                           DWORD flags, void *env, const char *cwd, cmd_startupinfo *si,
                           cmd_process_information *pi);
DWORD WINAPI WaitForSingleObject(HANDLE h, DWORD ms);
BOOL WINAPI GetExitCodeProcess(HANDLE process, DWORD *code);
BOOL WINAPI CreatePipe(HANDLE *r, HANDLE *w, cmd_security_attributes *sa, DWORD size);
BOOL WINAPI SetHandleInformation(HANDLE h, DWORD mask, DWORD flags);
#define CMD_HANDLE_FLAG_INHERIT 1u
DWORD WINAPI GetLastError(void);
void WINAPI SetLastError(DWORD err);
DWORD WINAPI GetModuleFileNameA(HMODULE mod, char *buf, DWORD size);
BOOL WINAPI SetConsoleTitleA(const char *title);
BOOL WINAPI FileTimeToLocalFileTime(const FILETIME *ft, FILETIME *local);
BOOL WINAPI FileTimeToSystemTime(const FILETIME *ft, cmd_systemtime *st);
void WINAPI GetLocalTime(cmd_systemtime *st);

/* ---- strings (util.c) ---- */
typedef struct {
    char *s;
    size_t len, cap;
} cmd_buf;
void cmd_buf_add(cmd_buf *b, const char *p, size_t n);
void cmd_buf_adds(cmd_buf *b, const char *p);
void cmd_buf_addc(cmd_buf *b, char c);
char *cmd_buf_take(cmd_buf *b); /* malloc'd, "" when empty */
char *cmd_strndup(const char *s, size_t n);
char *cmd_strdup(const char *s);
bool cmd_is_delim(char c);  /* space, tab, comma, semicolon, equals: argument separators */
bool cmd_is_space(char c);  /* space, tab */
const char *cmd_skip_delims(const char *s);
const char *cmd_skip_spaces(const char *s);
/* The next argument of `*p` (quotes kept, or stripped with strip), malloc'd; NULL at the end. */
char *cmd_next_arg(const char **p, bool strip);
char *cmd_unquote(const char *s); /* without any '"' */
bool cmd_ieq(const char *a, const char *b);
void cmd_trim_right(char *s);

/* ---- the interpreter ---- */
typedef struct cmd_io {
    HANDLE h[3]; /* standard input, output, error */
} cmd_io;

typedef enum {
    CMD_REDIR_IN,     /* <file */
    CMD_REDIR_OUT,    /* >file */
    CMD_REDIR_APPEND, /* >>file */
    CMD_REDIR_DUP,    /* N>&M */
} cmd_redir_kind;

typedef struct cmd_redir {
    int fd;
    cmd_redir_kind kind;
    int dup_fd;
    char *target;
    struct cmd_redir *next;
} cmd_redir;

typedef enum {
    CMD_N_CMD,   /* a simple command: text */
    CMD_N_SEQ,   /* left & right */
    CMD_N_AND,   /* left && right */
    CMD_N_OR,    /* left || right */
    CMD_N_PIPE,  /* left | right */
    CMD_N_BLOCK, /* ( left ) */
    CMD_N_IF,    /* IF cond left [ELSE right] */
    CMD_N_FOR,   /* FOR ... DO left */
    CMD_N_NOP,   /* REM, an empty line, a label */
} cmd_node_kind;

typedef enum {
    CMD_IF_ERRORLEVEL,
    CMD_IF_EXIST,
    CMD_IF_DEFINED,
    CMD_IF_CMDEXTVERSION,
    CMD_IF_EQ,  /* == */
    CMD_IF_EQU,
    CMD_IF_NEQ,
    CMD_IF_LSS,
    CMD_IF_LEQ,
    CMD_IF_GTR,
    CMD_IF_GEQ,
} cmd_if_op;

typedef enum { CMD_FOR_SET, CMD_FOR_L, CMD_FOR_F, CMD_FOR_D, CMD_FOR_R } cmd_for_kind;

typedef struct cmd_node {
    cmd_node_kind kind;
    struct cmd_node *left, *right;
    char *text;        /* CMD: the command (without its redirections); FOR: the set */
    cmd_redir *redirs; /* CMD, BLOCK */
    bool quiet;        /* '@': not echoed */
    /* IF */
    cmd_if_op if_op;
    bool if_not, if_ci;
    char *a, *b;
    /* FOR */
    cmd_for_kind for_kind;
    char for_var;
    char *for_opts;    /* /F: the options; /R: the root */
} cmd_node;

/* A batch file being run (or a CALLed label in it). */
typedef struct cmd_batch {
    char *path;            /* the full path (%~f0) */
    char **args;           /* %0, %1, ...: as written (quotes kept) */
    size_t nargs;
    size_t shift;          /* SHIFT: %1 is args[1 + shift] */
    char *all_args;        /* %* */
    char *text;            /* the file */
    size_t len, pos;       /* the next line */
    size_t locals;         /* SETLOCALs of this batch still in force */
    bool owns_text;
    struct cmd_batch *prev;
} cmd_batch;

/* A FOR variable in force. */
typedef struct cmd_forvar {
    char name;
    const char *value;
    struct cmd_forvar *prev;
} cmd_forvar;

typedef struct cmd_local cmd_local; /* a SETLOCAL snapshot (builtins.c) */

typedef struct cmd_state {
    int errorlevel;
    bool echo_on;           /* batch files: commands are shown before they run */
    bool delayed;           /* !VAR! expansion (/V:ON, SETLOCAL ENABLEDELAYEDEXPANSION) */
    bool extensions;
    bool exiting;           /* EXIT: unwind everything */
    bool leave_batch;       /* EXIT /B, GOTO :EOF: unwind the current batch (or CALL) */
    bool jumped;            /* GOTO: the rest of the line is not run */
    bool in_call;           /* CALL: a batch file started now returns to its caller */
    int exit_code;
    cmd_batch *batch;
    cmd_forvar *forvars;
    cmd_local *locals;
    char **dirstack;        /* PUSHD */
    size_t ndirs;
    char *cmdcmdline;
} cmd_state;

extern cmd_state cmd_st;

/* output (util.c): to a standard handle of `io` */
void cmd_out(const cmd_io *io, const char *s);
void cmd_outn(const cmd_io *io, const char *s, size_t n);
void cmd_err(const cmd_io *io, const char *s);
void cmd_outf(const cmd_io *io, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void cmd_errf(const cmd_io *io, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* A line of standard input without its CR LF (SET /P, DATE, TIME), malloc'd; *eof (when
 * given): nothing was left to read. */
char *cmd_read_line(const cmd_io *io, bool *eof);
char *cmd_getenv(const char *name); /* malloc'd, NULL when not defined */
char *cmd_cwd(void);                /* malloc'd */

/* expand.c */
/* Phase 1 of a line: %VAR% and (in a batch) %N, %*, %~N. malloc'd. */
char *cmd_expand_percent(const char *line);
/* Run time: FOR variables (%i, %~nxi), then !VAR! when delayed expansion is on. malloc'd. */
char *cmd_expand_runtime(const char *text);
char *cmd_expand_forvars(const char *text); /* the FOR variables only */
/* %~ modifiers (f d p n x s a t z) of a value (a path). malloc'd. */
char *cmd_apply_modifiers(const char *mods, size_t nmods, const char *value);

/* parse.c: lines come from a source; a block may span lines */
typedef char *(*cmd_next_line_fn)(void *ctx); /* malloc'd, already expanded; NULL at the end */
cmd_node *cmd_parse(const char *line, cmd_next_line_fn more, void *ctx, char **error);
void cmd_node_free(cmd_node *n);
/* The tree as a command line again (for a child cmd), malloc'd. */
char *cmd_node_text(const cmd_node *n);

/* exec.c */
int cmd_exec(cmd_node *n, const cmd_io *io);
int cmd_run_line(const char *line, const cmd_io *io); /* one command line: expand, parse, run */
/* Runs a batch file (arg0: %0 as written, args: the rest of the command). */
int cmd_run_batch(const char *path, const char *arg0, const char *args, const cmd_io *io,
                  bool call);
bool cmd_batch_goto(cmd_batch *bt, const char *label);
int cmd_call_label(const char *label, const char *args, const cmd_io *io);
int cmd_run_external(const char *text, const cmd_io *io);
/* The full path of a program or batch file named as in a command (PATH, PATHEXT), or NULL. */
char *cmd_find_program(const char *name);
/* Runs `text` in a child cmd.exe (/S /D /C) with the given standard handles; its exit code. */
int cmd_run_child_cmd(const char *text, const cmd_io *io, HANDLE *process_out);

/* builtins.c */
typedef int (*cmd_builtin_fn)(const char *args, const cmd_io *io);
/* The internal command `name` (n chars) names, or NULL; *unsupported for the known ones ntrun's
 * cmd does not do. */
cmd_builtin_fn cmd_find_builtin(const char *name, size_t n, bool *unsupported);
bool cmd_if_test(const cmd_node *n);
char *cmd_arg_text(const char *args); /* the arguments without surrounding spaces, malloc'd */

/* system.c: VOL, DATE, TIME, COLOR, PROMPT, MKLINK; the prompt's text */
int cmd_vol(const char *args, const cmd_io *io);
int cmd_date(const char *args, const cmd_io *io);
int cmd_time(const char *args, const cmd_io *io);
int cmd_color(const char *args, const cmd_io *io);
int cmd_prompt(const char *args, const cmd_io *io);
int cmd_mklink(const char *args, const cmd_io *io);
char *cmd_prompt_text(void); /* PROMPT's $-codes expanded ($P$G by default), malloc'd */

/* assoc.c: ASSOC and FTYPE over HKEY_CLASSES_ROOT */
int cmd_assoc(const char *args, const cmd_io *io);
int cmd_ftype(const char *args, const cmd_io *io);
void cmd_locals_end_batch(size_t count); /* the implicit ENDLOCALs at the end of a batch */

/* forcmd.c */
int cmd_exec_for(cmd_node *n, const cmd_io *io);

#endif
