/* SPDX-License-Identifier: MIT */
/* Child processes: CreateProcessW/A, process handles (GetExitCodeProcess, GetProcessId,
 * OpenProcess), anonymous pipes (CreatePipe) and job objects (kill on close).
 *
 * CreateProcess finds the program as Windows does: lpApplicationName as given (no extension
 * added); otherwise the command line's first token (quoted, or the shortest run of unquoted
 * words that names a file: "C:\Program Files\x y.exe" unquoted works), with ".exe" appended when
 * it has no extension, looked for in the directory of the caller's exe, the current directory,
 * the system directory, the Windows directory, then PATH (a token with a path separator is
 * taken relative to the current directory only). The child runs in its own ntrun process
 * (ntemu/process.c: nt_process_spawn) with the command line exactly as given, the environment
 * block (the caller's, or lpEnvironment, UTF-16 with CREATE_UNICODE_ENVIRONMENT, else ANSI),
 * lpCurrentDirectory, the standard handles (STARTF_USESTDHANDLES, else the caller's) and with
 * bInheritHandles every inheritable handle at the same value.
 *
 * CREATE_SUSPENDED holds the child before anything of its program runs until ResumeThread on
 * hThread, the primary thread (waitable, its exit code the process's once it has ended).
 *
 * Not done: .bat/.cmd files (Windows runs cmd.exe /c for them), DEBUG_PROCESS. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "thunks/kernel32/kernel32_private.h"

#define K32_CREATE_SUSPENDED 0x00000004
#define K32_CREATE_NEW_PROCESS_GROUP 0x00000200
#define K32_CREATE_UNICODE_ENVIRONMENT 0x00000400
#define K32_STARTF_USESTDHANDLES 0x00000100
#define K32_ERROR_BAD_EXE_FORMAT 193
#define K32_ERROR_FILE_NOT_FOUND 2
#define K32_STILL_ACTIVE 259

typedef struct {
    HANDLE hProcess;   /* 0x00 */
    HANDLE hThread;    /* 0x08 */
    DWORD dwProcessId; /* 0x10 */
    DWORD dwThreadId;  /* 0x14 */
} PROCESS_INFORMATION;
_Static_assert(sizeof(PROCESS_INFORMATION) == 0x18, "PROCESS_INFORMATION");

typedef struct {
    DWORD nLength;               /* 0x00 */
    void *lpSecurityDescriptor;  /* 0x08 */
    BOOL bInheritHandle;         /* 0x10 */
} SECURITY_ATTRIBUTES;
_Static_assert(offsetof(SECURITY_ATTRIBUTES, bInheritHandle) == 0x10, "SA.bInheritHandle");

/* STARTUPINFOA/W (the fields CreateProcess reads; process.c has the whole layout). */
typedef struct {
    DWORD cb;              /* 0x00 */
    uint8_t pad[0x38];
    DWORD dwFlags;         /* 0x3c */
    uint8_t pad2[0x10];
    HANDLE hStdInput;      /* 0x50 */
    HANDLE hStdOutput;     /* 0x58 */
    HANDLE hStdError;      /* 0x60 */
} k32_startupinfo;
_Static_assert(offsetof(k32_startupinfo, dwFlags) == 0x3c, "STARTUPINFO.dwFlags");
_Static_assert(offsetof(k32_startupinfo, hStdInput) == 0x50, "STARTUPINFO.hStdInput");
_Static_assert(sizeof(k32_startupinfo) == 0x68, "STARTUPINFO");

/* ---- process and thread attribute lists (STARTUPINFOEX) ----
 * The layout is Windows': a header, then one entry per attribute. */
#define K32_EXTENDED_STARTUPINFO_PRESENT 0x00080000
#define K32_PROC_THREAD_ATTRIBUTE_HANDLE_LIST 0x20002
#define K32_ERROR_INSUFFICIENT_BUFFER 122

typedef struct {
    ULONG_PTR Attribute; /* 0x00 */
    SIZE_T cbSize;       /* 0x08 */
    void *lpValue;       /* 0x10 */
} k32_attr_entry;

typedef struct {
    DWORD dwFlags;             /* 0x00: bit n set: attribute number n is present */
    DWORD Size;                /* 0x04: entries allocated */
    DWORD Count;               /* 0x08: entries used */
    DWORD Reserved;            /* 0x0c */
    void *Unknown;             /* 0x10 */
    k32_attr_entry Entries[];  /* 0x18 */
} k32_attr_list;
_Static_assert(offsetof(k32_attr_list, Entries) == 0x18, "PROC_THREAD_ATTRIBUTE_LIST");

typedef struct {
    uint8_t si[0x68];          /* STARTUPINFOW */
    k32_attr_list *lpAttributeList; /* 0x68 */
} k32_startupinfoex;
_Static_assert(sizeof(k32_startupinfoex) == 0x70, "STARTUPINFOEXW");

BOOL WINAPI InitializeProcThreadAttributeList(k32_attr_list *list, DWORD count, DWORD flags,
                                              SIZE_T *size)
{
    if (flags || !size) {
        thk_set_last_error(ERROR_INVALID_PARAMETER);
        return FALSE;
    }
    SIZE_T need = sizeof(k32_attr_list) + count * sizeof(k32_attr_entry);
    if (!list || *size < need) {
        *size = need;
        thk_set_last_error(K32_ERROR_INSUFFICIENT_BUFFER);
        return FALSE;
    }
    memset(list, 0, sizeof *list);
    list->Size = count;
    *size = need;
    return TRUE;
}
THK_EXPORT(kernel32, InitializeProcThreadAttributeList, 4);

BOOL WINAPI UpdateProcThreadAttribute(k32_attr_list *list, DWORD flags, ULONG_PTR attr,
                                      void *value, SIZE_T size, void *prev, SIZE_T *ret_size)
{
    DWORD bit = (DWORD)(attr & 0xffff);
    if (!list || flags || bit >= 32 || (attr & ~(ULONG_PTR)0x3ffff)) {
        thk_set_last_error(ERROR_NOT_SUPPORTED);
        return FALSE;
    }
    if (list->dwFlags & (1u << bit)) { /* each attribute once */
        thk_set_last_error(ERROR_INVALID_PARAMETER);
        return FALSE;
    }
    if (list->Count >= list->Size) {
        thk_set_last_error(K32_ERROR_INSUFFICIENT_BUFFER);
        return FALSE;
    }
    if (attr == K32_PROC_THREAD_ATTRIBUTE_HANDLE_LIST && (!size || size % sizeof(HANDLE))) {
        thk_set_last_error(24); /* ERROR_BAD_LENGTH */
        return FALSE;
    }
    list->dwFlags |= 1u << bit;
    list->Entries[list->Count].Attribute = attr;
    list->Entries[list->Count].cbSize = size;
    list->Entries[list->Count].lpValue = value; /* kept by reference, as Windows does */
    list->Count++;
    return TRUE;
}
THK_EXPORT(kernel32, UpdateProcThreadAttribute, 7);

void WINAPI DeleteProcThreadAttributeList(k32_attr_list *list) { (void)list; }
THK_EXPORT(kernel32, DeleteProcThreadAttributeList, 1);

/* The handle list of a STARTUPINFOEX, if it has one. */
static const HANDLE *k32_handle_list(const k32_startupinfo *si, DWORD flags, size_t *count)
{
    *count = 0;
    if (!(flags & K32_EXTENDED_STARTUPINFO_PRESENT) || si->cb < sizeof(k32_startupinfoex))
        return NULL;
    const k32_attr_list *list = ((const k32_startupinfoex *)si)->lpAttributeList;
    for (DWORD i = 0; list && i < list->Count && i < list->Size; i++)
        if (list->Entries[i].Attribute == K32_PROC_THREAD_ATTRIBUTE_HANDLE_LIST) {
            *count = list->Entries[i].cbSize / sizeof(HANDLE);
            return list->Entries[i].lpValue;
        }
    return NULL;
}

HANDLE WINAPI GetStdHandle(DWORD which);                           /* process.c */
WCHAR *WINAPI GetEnvironmentStringsW(void);                         /* process.c */
BOOL WINAPI FreeEnvironmentStringsW(WCHAR *env);                    /* process.c */
DWORD WINAPI GetModuleFileNameW(HMODULE mod, WCHAR *buf, DWORD n);  /* process.c */
UINT WINAPI GetSystemDirectoryW(WCHAR *buf, UINT n);                /* process.c */
UINT WINAPI GetWindowsDirectoryW(WCHAR *buf, UINT n);               /* process.c */
DWORD WINAPI GetEnvironmentVariableW(const WCHAR *name, WCHAR *buf, DWORD n); /* process.c */

/* ---- finding the program ---- */

static bool k32_is_file(const char *unix_path)
{
    struct stat sb;
    return stat(unix_path, &sb) == 0 && S_ISREG(sb.st_mode);
}

/* A malloc'd Linux path for the Windows path dir\name (dir may be NULL), if it is a file. */
static char *k32_try_path(const WCHAR *dir, size_t dlen, const WCHAR *name, size_t nlen)
{
    WCHAR *w = malloc((dlen + nlen + 2) * sizeof *w);
    if (!w)
        return NULL;
    size_t k = 0;
    if (dir && dlen) {
        memcpy(w, dir, dlen * sizeof *w);
        k = dlen;
        if (w[k - 1] != u'\\' && w[k - 1] != u'/')
            w[k++] = u'\\';
    }
    memcpy(w + k, name, nlen * sizeof *w);
    k += nlen;
    w[k] = 0;
    char *unix_path = NULL;
    NTSTATUS st = nt_path_to_unix(w, k, &unix_path);
    free(w);
    if (!NT_SUCCESS(st))
        return NULL;
    if (!k32_is_file(unix_path)) {
        free(unix_path);
        return NULL;
    }
    return unix_path;
}

static bool k32_has_extension(const WCHAR *name, size_t n)
{
    for (size_t i = n; i-- > 0;) {
        if (name[i] == u'.')
            return true;
        if (name[i] == u'\\' || name[i] == u'/')
            return false;
    }
    return false;
}

static bool k32_has_separator(const WCHAR *name, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (name[i] == u'\\' || name[i] == u'/' || name[i] == u':')
            return true;
    return false;
}

/* The search for a program name (SearchPath order for CreateProcess). */
static char *k32_search_program(const WCHAR *name, size_t n, bool add_exe)
{
    WCHAR *full = malloc((n + 5) * sizeof *full);
    if (!full)
        return NULL;
    memcpy(full, name, n * sizeof *full);
    if (add_exe && !k32_has_extension(name, n)) {
        memcpy(full + n, u".exe", 4 * sizeof *full);
        n += 4;
    }
    full[n] = 0;
    char *found = NULL;
    if (k32_has_separator(full, n)) {
        found = k32_try_path(NULL, 0, full, n);
        free(full);
        return found;
    }
    WCHAR buf[1024];
    /* the caller's exe directory */
    DWORD len = GetModuleFileNameW(NULL, buf, 1024);
    while (len > 0 && buf[len - 1] != u'\\')
        len--;
    if (len)
        found = k32_try_path(buf, len, full, n);
    /* the current directory */
    if (!found)
        found = k32_try_path(NULL, 0, full, n);
    if (!found && (len = GetSystemDirectoryW(buf, 1024)) > 0 && len < 1024)
        found = k32_try_path(buf, len, full, n);
    if (!found && (len = GetWindowsDirectoryW(buf, 1024)) > 0 && len < 1024)
        found = k32_try_path(buf, len, full, n);
    if (!found) {
        DWORD plen = GetEnvironmentVariableW(u"PATH", NULL, 0);
        WCHAR *path = plen ? malloc(plen * sizeof *path) : NULL;
        if (path && GetEnvironmentVariableW(u"PATH", path, plen) < plen) {
            for (WCHAR *p = path; !found && *p;) {
                WCHAR *e = p;
                while (*e && *e != u';')
                    e++;
                if (e > p)
                    found = k32_try_path(p, (size_t)(e - p), full, n);
                p = *e ? e + 1 : e;
            }
        }
        free(path);
    }
    free(full);
    return found;
}

/* The program of a command line: its first token, quoted or not. */
static char *k32_program_from_cmdline(const WCHAR *cmd)
{
    while (*cmd == u' ' || *cmd == u'\t')
        cmd++;
    if (*cmd == u'"') {
        const WCHAR *e = cmd + 1;
        while (*e && *e != u'"')
            e++;
        return k32_search_program(cmd + 1, (size_t)(e - cmd - 1), true);
    }
    /* Unquoted: "a b c" tries "a", then "a b", then "a b c", as Windows does. */
    const WCHAR *e = cmd;
    for (;;) {
        while (*e && *e != u' ' && *e != u'\t')
            e++;
        char *found = k32_search_program(cmd, (size_t)(e - cmd), true);
        if (found || !*e)
            return found;
        while (*e == u' ' || *e == u'\t')
            e++;
        if (!*e)
            return NULL;
    }
}

static bool k32_is_pe(const char *unix_path)
{
    int fd = open(unix_path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return false;
    char mz[2] = {0};
    bool ok = read(fd, mz, 2) == 2 && mz[0] == 'M' && mz[1] == 'Z';
    close(fd);
    return ok;
}

/* ---- the environment block -> envp ---- */

static char **k32_envp_from_block(const void *block, bool unicode)
{
    size_t count = 0;
    if (unicode) {
        for (const WCHAR *p = block; *p; p += nt_wcslen(p) + 1)
            count++;
    } else {
        for (const char *p = block; *p; p += strlen(p) + 1)
            count++;
    }
    char **envp = calloc(count + 1, sizeof *envp);
    if (!envp)
        return NULL;
    size_t k = 0;
    if (unicode) {
        for (const WCHAR *p = block; *p; p += nt_wcslen(p) + 1)
            if (*p != u'=') /* "=C:=C:\dir": per-drive directories stay in Windows */
                envp[k++] = nt_utf16_to_utf8(p, nt_wcslen(p), NULL);
    } else {
        for (const char *p = block; *p; p += strlen(p) + 1)
            if (*p != '=')
                envp[k++] = strdup(p);
    }
    return envp;
}

static void k32_free_envp(char **envp)
{
    for (size_t i = 0; envp && envp[i]; i++)
        free(envp[i]);
    free(envp);
}

/* ---- CreateProcess ---- */

static BOOL k32_create_process(const WCHAR *app, const WCHAR *cmdline, BOOL inherit, DWORD flags,
                               const void *env, const WCHAR *cwd, const k32_startupinfo *si,
                               PROCESS_INFORMATION *pi)
{
    char *exe = NULL, *cmd = NULL, *unix_cwd = NULL;
    char **envp = NULL;
    WCHAR *own_env = NULL;
    BOOL ok = FALSE;
    if (!pi || !si || (!app && !cmdline)) {
        thk_set_last_error(ERROR_INVALID_PARAMETER);
        return FALSE;
    }
    if (app) {
        exe = k32_try_path(NULL, 0, app, nt_wcslen(app));
    } else {
        exe = k32_program_from_cmdline(cmdline);
    }
    if (!exe) {
        thk_set_last_error(K32_ERROR_FILE_NOT_FOUND);
        goto out;
    }
    if (!k32_is_pe(exe)) {
        thk_set_last_error(K32_ERROR_BAD_EXE_FORMAT);
        goto out;
    }
    const WCHAR *line = cmdline ? cmdline : app;
    cmd = nt_utf16_to_utf8(line, nt_wcslen(line), NULL);
    if (env) {
        envp = k32_envp_from_block(env, (flags & K32_CREATE_UNICODE_ENVIRONMENT) != 0);
    } else {
        own_env = GetEnvironmentStringsW();
        envp = own_env ? k32_envp_from_block(own_env, true) : NULL;
    }
    if (!cmd || !envp) {
        thk_set_last_error(ERROR_NOT_ENOUGH_MEMORY);
        goto out;
    }
    if (cwd) {
        NTSTATUS st = nt_path_to_unix(cwd, nt_wcslen(cwd), &unix_cwd);
        struct stat sb;
        if (!NT_SUCCESS(st) || stat(unix_cwd, &sb) != 0 || !S_ISDIR(sb.st_mode)) {
            thk_set_last_error(ERROR_DIRECTORY);
            goto out;
        }
    }
    size_t inherit_count = 0;
    nt_spawn sp = {
        .unix_exe = exe,
        .cmdline = cmd,
        .envp = envp,
        .unix_cwd = unix_cwd,
        .inherit_handles = inherit != 0,
        .inherit_list = k32_handle_list(si, flags, &inherit_count),
        .new_group = (flags & K32_CREATE_NEW_PROCESS_GROUP) != 0,
        .ctrl_c_ignored = k32_ctrl_c_is_ignored(),
    };
    sp.inherit_count = inherit_count;
    bool use_std = si->cb >= sizeof(k32_startupinfo) && (si->dwFlags & K32_STARTF_USESTDHANDLES);
    sp.std_handles[0] = use_std ? si->hStdInput : GetStdHandle(STD_INPUT_HANDLE);
    sp.std_handles[1] = use_std ? si->hStdOutput : GetStdHandle(STD_OUTPUT_HANDLE);
    sp.std_handles[2] = use_std ? si->hStdError : GetStdHandle(STD_ERROR_HANDLE);
    HANDLE process = NULL, thread = NULL;
    uint32_t pid = 0;
    sp.suspended = (flags & K32_CREATE_SUSPENDED) != 0;
    sp.thread = &thread;
    NTSTATUS st = nt_process_spawn(&sp, &process, &pid);
    if (!NT_SUCCESS(st)) {
        thk_set_last_status(st);
        goto out;
    }
    pi->hProcess = process;
    pi->hThread = thread;
    pi->dwProcessId = pid;
    pi->dwThreadId = pid; /* the main thread of a Linux process has the process's id */
    ok = TRUE;
out:
    free(exe);
    free(cmd);
    free(unix_cwd);
    k32_free_envp(envp);
    if (own_env)
        FreeEnvironmentStringsW(own_env);
    return ok;
}

BOOL WINAPI CreateProcessW(const WCHAR *app, WCHAR *cmdline, void *psa, void *tsa, BOOL inherit,
                           DWORD flags, void *env, const WCHAR *cwd, k32_startupinfo *si,
                           PROCESS_INFORMATION *pi)
{
    return k32_create_process(app, cmdline, inherit, flags, env, cwd, si, pi);
}
THK_EXPORT(kernel32, CreateProcessW, 10);

BOOL WINAPI CreateProcessA(const char *app, char *cmdline, void *psa, void *tsa, BOOL inherit,
                           DWORD flags, void *env, const char *cwd, k32_startupinfo *si,
                           PROCESS_INFORMATION *pi)
{
    bool ok1 = true, ok2 = true, ok3 = true;
    WCHAR *wapp = k32_a_to_w(app, &ok1), *wcmd = k32_a_to_w(cmdline, &ok2),
          *wcwd = k32_a_to_w(cwd, &ok3);
    BOOL r = FALSE;
    if (!ok1 || !ok2 || !ok3)
        thk_set_last_error(ERROR_NOT_ENOUGH_MEMORY);
    else
        r = k32_create_process(wapp, wcmd, inherit, flags, env, wcwd, si, pi);
    free(wapp);
    free(wcmd);
    free(wcwd);
    return r;
}
THK_EXPORT(kernel32, CreateProcessA, 10);

BOOL WINAPI GetExitCodeProcess(HANDLE process, DWORD *code)
{
    uint32_t pid, c;
    NTSTATUS st = nt_process_query(process, &pid, &c);
    if (!NT_SUCCESS(st)) {
        thk_set_last_status(st == STATUS_OBJECT_TYPE_MISMATCH ? STATUS_INVALID_HANDLE : st);
        return FALSE;
    }
    if (code)
        *code = c;
    return TRUE;
}
THK_EXPORT(kernel32, GetExitCodeProcess, 2);

DWORD WINAPI GetProcessId(HANDLE process)
{
    uint32_t pid, c;
    NTSTATUS st = nt_process_query(process, &pid, &c);
    if (!NT_SUCCESS(st)) {
        thk_set_last_status(st == STATUS_OBJECT_TYPE_MISMATCH ? STATUS_INVALID_HANDLE : st);
        return 0;
    }
    return pid;
}
THK_EXPORT(kernel32, GetProcessId, 1);

HANDLE WINAPI OpenProcess(DWORD access, BOOL inherit, DWORD pid)
{
    HANDLE h = NULL;
    NTSTATUS st = nt_process_open(pid, &h);
    if (!NT_SUCCESS(st)) {
        thk_set_last_error(ERROR_INVALID_PARAMETER); /* Windows: no such process */
        return NULL;
    }
    if (inherit)
        nt_handle_set_inherit(h, true);
    return h;
}
THK_EXPORT(kernel32, OpenProcess, 3);

/* ---- anonymous pipes ---- */

BOOL WINAPI CreatePipe(HANDLE *read_end, HANDLE *write_end, SECURITY_ATTRIBUTES *sa, DWORD size)
{
    int fds[2];
    if (!read_end || !write_end) {
        thk_set_last_error(ERROR_INVALID_PARAMETER);
        return FALSE;
    }
    if (pipe2(fds, O_CLOEXEC) != 0) {
        thk_set_last_status(nt_status_from_errno(errno));
        return FALSE;
    }
    if (size > 4096)
        fcntl(fds[1], F_SETPIPE_SZ, (int)size);
    bool inherit = sa && sa->bInheritHandle;
    nt_file *r = nt_file_new_owned(fds[0], FILE_GENERIC_READ | FILE_WRITE_ATTRIBUTES);
    nt_file *w = nt_file_new_owned(fds[1], FILE_GENERIC_WRITE | FILE_READ_ATTRIBUTES);
    HANDLE hr = NULL, hw = NULL;
    NTSTATUS st = r && w ? STATUS_SUCCESS : STATUS_NO_MEMORY;
    if (NT_SUCCESS(st))
        st = nt_handle_alloc_inherit(&r->hdr, inherit, &hr);
    if (NT_SUCCESS(st))
        st = nt_handle_alloc_inherit(&w->hdr, inherit, &hw);
    if (!r)
        close(fds[0]);
    if (!w)
        close(fds[1]);
    nt_object_release(r ? &r->hdr : NULL);
    nt_object_release(w ? &w->hdr : NULL);
    if (!NT_SUCCESS(st)) {
        if (hr)
            nt_handle_close(hr);
        thk_set_last_status(st);
        return FALSE;
    }
    *read_end = hr;
    *write_end = hw;
    return TRUE;
}
THK_EXPORT(kernel32, CreatePipe, 4);

bool k32_proc_signal_children(int sig, uint32_t group)
{
    return nt_process_signal_children(sig, group);
}
