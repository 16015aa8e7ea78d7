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
 * A batch file (.bat, .cmd) runs as Windows runs it: %COMSPEC% /c "<the command line>" (COMSPEC,
 * else C:\windows\system32\cmd.exe; ERROR_FILE_NOT_FOUND when that is no file).
 *
 * A program named like a built-in one (cmd, cmd.exe: programs/programs.h), with no directory
 * or in the system directory, that is no file, is the built-in: the child runs
 * C:\windows\system32\cmd.exe, which ntrun then provides. So do a batch file's interpreter
 * and COMSPEC when they name it.
 *
 * Every process starts through NtCreateUserProcess (ntemu/process_create.c): kernel32 finds the
 * program and builds RTL_USER_PROCESS_PARAMETERS, as Windows' kernelbase does.
 *
 * Not done: DEBUG_PROCESS. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "programs/programs.h"
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

/* The Windows path dir\name (dir may be NULL), malloc'd, if it names a file. */
static WCHAR *k32_try_path(const WCHAR *dir, size_t dlen, const WCHAR *name, size_t nlen)
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
    bool found = NT_SUCCESS(nt_path_to_unix(w, k, &unix_path)) && k32_is_file(unix_path);
    free(unix_path);
    if (!found) {
        free(w);
        return NULL;
    }
    return w;
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
static WCHAR *k32_search_program(const WCHAR *name, size_t n, bool add_exe)
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
    WCHAR *found = NULL;
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
static WCHAR *k32_program_from_cmdline(const WCHAR *cmd)
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
        WCHAR *found = k32_search_program(cmd, (size_t)(e - cmd), true);
        if (found || !*e)
            return found;
        while (*e == u' ' || *e == u'\t')
            e++;
        if (!*e)
            return NULL;
    }
}

/* A PE32+ x86-64 image ntrun can run, as far as its headers say: MZ, the NT header inside the
 * file, machine AMD64 with a PE32+ optional header, each section's raw data inside the file (when
 * the section table lies in the first 4 KiB read; one past them is left to the child's loader). Anything else (no PE, a 32-bit or another machine's image,
 * headers or sections past the end) CreateProcess refuses with ERROR_BAD_EXE_FORMAT before any
 * process exists, as Windows does when NtCreateSection(SEC_IMAGE) refuses the file (a 32-bit
 * program, which 64-bit Windows runs under WOW64, ntrun cannot run: refused the same way). */
static bool k32_is_pe(const char *unix_path)
{
    int fd = open(unix_path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return false;
    uint8_t h[4096], nt[26];
    struct stat st;
    ssize_t n = fstat(fd, &st) == 0 ? pread(fd, h, sizeof h, 0) : -1;
    uint32_t lfanew = 0, raw_ptr, raw_size;
    if (n >= 0x40)
        memcpy(&lfanew, h + 0x3c, 4);
    bool nt_ok = n >= 0x40 && pread(fd, nt, sizeof nt, lfanew) == (ssize_t)sizeof nt;
    close(fd);
    if (!nt_ok || h[0] != 'M' || h[1] != 'Z' || memcmp(nt, "PE\0\0", 4) != 0)
        return false;
    uint16_t machine, nsect, opt_size, magic;
    memcpy(&machine, nt + 4, 2);
    memcpy(&nsect, nt + 6, 2);
    memcpy(&opt_size, nt + 20, 2);
    memcpy(&magic, nt + 24, 2);
    uint64_t sect = (uint64_t)lfanew + 24 + opt_size;
    if (machine != 0x8664 /* IMAGE_FILE_MACHINE_AMD64 */ || magic != 0x20b /* PE32+ */ ||
        sect + 40ull * nsect > (uint64_t)st.st_size)
        return false;
    if (sect + 40ull * nsect > (uint64_t)n)
        return true; /* a section table past the first 4 KiB: the child's loader checks it */
    for (uint16_t i = 0; i < nsect; i++) {
        memcpy(&raw_size, h + sect + 40ull * i + 16, 4);
        memcpy(&raw_ptr, h + sect + 40ull * i + 20, 4);
        if (raw_size && (uint64_t)raw_ptr + raw_size > (uint64_t)st.st_size)
            return false;
    }
    return true;
}

/* ---- batch files ---- */

static bool k32_is_batch(const WCHAR *path)
{
    size_t n = nt_wcslen(path);
    if (n < 4 || path[n - 4] != u'.')
        return false;
    WCHAR ext[3];
    for (int i = 0; i < 3; i++)
        ext[i] = path[n - 3 + i] >= u'A' && path[n - 3 + i] <= u'Z' ? (WCHAR)(path[n - 3 + i] + 32)
                                                                  : path[n - 3 + i];
    return !memcmp(ext, u"bat", sizeof ext) || !memcmp(ext, u"cmd", sizeof ext);
}

/* The command interpreter for batch files: %COMSPEC%, else cmd.exe in the system directory
 * (C:\windows\system32); NULL when that names no file. */
static WCHAR *k32_comspec(void)
{
    WCHAR buf[1024];
    DWORD n = GetEnvironmentVariableW(u"COMSPEC", buf, 1024);
    if (n && n < 1024)
        return k32_try_path(NULL, 0, buf, n);
    n = GetSystemDirectoryW(buf, 1024);
    return n && n < 1024 ? k32_try_path(buf, n, u"cmd.exe", 7) : NULL;
}

/* ---- built-in programs ---- */

/* name (n WCHARs) as a built-in program (programs/programs.h): C:\windows\system32\NAME.exe,
 * malloc'd, when its last component names one and it has no directory or the system one. */
static WCHAR *k32_builtin_path(const WCHAR *name, size_t n)
{
    if (!prog_is_builtin_name_w(name, n))
        return NULL;
    size_t base = 0;
    for (size_t i = 0; i < n; i++)
        if (name[i] == u'\\' || name[i] == u'/' || (i == 1 && name[i] == u':'))
            base = i + 1;
    WCHAR sys[MAX_PATH];
    UINT sn = GetSystemDirectoryW(sys, MAX_PATH);
    if (!sn || sn >= MAX_PATH)
        return NULL;
    if (base) { /* a directory: the system one only */
        size_t dn = base - 1;
        if (dn != sn)
            return NULL;
        for (size_t i = 0; i < dn; i++) {
            WCHAR a = name[i] == u'/' ? u'\\' : name[i], b = sys[i];
            if ((a >= u'A' && a <= u'Z' ? a + 32 : a) != (b >= u'A' && b <= u'Z' ? b + 32 : b))
                return NULL;
        }
    }
    bool ext = k32_has_extension(name + base, n - base);
    WCHAR *w = malloc((sn + 1 + n - base + 5) * sizeof *w);
    if (!w)
        return NULL;
    memcpy(w, sys, sn * sizeof *w);
    w[sn] = u'\\';
    memcpy(w + sn + 1, name + base, (n - base) * sizeof *w);
    size_t k = sn + 1 + n - base;
    if (!ext) {
        memcpy(w + k, u".exe", 4 * sizeof *w);
        k += 4;
    }
    w[k] = 0;
    return w;
}

/* The built-in program of a command line's first token, or NULL. */
static WCHAR *k32_builtin_from_cmdline(const WCHAR *cmd)
{
    while (*cmd == u' ' || *cmd == u'\t')
        cmd++;
    const WCHAR *e = cmd;
    if (*cmd == u'"') {
        cmd++;
        for (e = cmd; *e && *e != u'"';)
            e++;
    } else {
        while (*e && *e != u' ' && *e != u'\t')
            e++;
    }
    return k32_builtin_path(cmd, (size_t)(e - cmd));
}

/* The batch interpreter when k32_comspec found no file: the built-in cmd when COMSPEC is
 * unset or names it. */
static WCHAR *k32_builtin_comspec(void)
{
    WCHAR buf[1024];
    DWORD n = GetEnvironmentVariableW(u"COMSPEC", buf, 1024);
    if (n && n < 1024)
        return k32_builtin_path(buf, n);
    return n ? NULL : k32_builtin_path(u"cmd.exe", 7);
}

/* COMSPEC /c "LINE" (COMSPEC quoted when it has a space). */
static WCHAR *k32_batch_cmdline(const WCHAR *comspec, const WCHAR *line)
{
    size_t cn = nt_wcslen(comspec), ln = nt_wcslen(line), k = 0;
    bool quote = false;
    for (size_t i = 0; i < cn; i++)
        quote |= comspec[i] == u' ';
    WCHAR *w = malloc((cn + ln + 10) * sizeof *w);
    if (!w)
        return NULL;
    if (quote)
        w[k++] = u'"';
    memcpy(w + k, comspec, cn * sizeof *w);
    k += cn;
    if (quote)
        w[k++] = u'"';
    memcpy(w + k, u" /c \"", 5 * sizeof *w);
    k += 5;
    memcpy(w + k, line, ln * sizeof *w);
    k += ln;
    w[k++] = u'"';
    w[k] = 0;
    return w;
}

/* ---- the environment block ---- */

/* lpEnvironment as a UTF-16 block: itself (CREATE_UNICODE_ENVIRONMENT), else the ANSI block
 * converted (*own is what to free). An empty block is a lone NUL (or two). */
static const WCHAR *k32_env_block_w(const void *block, bool unicode, WCHAR **own)
{
    *own = NULL;
    if (unicode)
        return block;
    const char *a = block;
    size_t n = 0;
    while (a[n] || (n && a[n - 1]))
        n++;
    WCHAR *w = nt_utf8_to_utf16(a, n + 1, NULL); /* the final NUL too */
    *own = w;
    return w;
}

static void k32_set_us(UNICODE_STRING *us, const WCHAR *s)
{
    size_t n = s ? nt_wcslen(s) : 0;
    us->Buffer = (WCHAR *)s;
    us->Length = (uint16_t)(n * sizeof(WCHAR));
    us->MaximumLength = (uint16_t)(us->Length + (s ? sizeof(WCHAR) : 0));
}

/* ---- CreateProcess ---- */

#define K32_PROCESS_CREATE_FLAGS_INHERIT_HANDLES 0x4
#define K32_PROCESS_CREATE_FLAGS_BREAKAWAY 0x1
#define K32_CREATE_BREAKAWAY_FROM_JOB 0x01000000
#define K32_THREAD_CREATE_FLAGS_CREATE_SUSPENDED 0x1
#define K32_PS_ATTRIBUTE_CLIENT_ID 0x10003
#define K32_PS_ATTRIBUTE_HANDLE_LIST 0x2000d
#define K32_PS_ATTRIBUTE_TOKEN 0x60002
#define K32_MAX_UNICODE_STRING 0x7fff /* WCHARs in a UNICODE_STRING: 32767 */

typedef struct {
    SIZE_T TotalLength; /* 0x00 */
    struct {
        ULONG_PTR Attribute;  /* 0x00 */
        SIZE_T Size;          /* 0x08 */
        ULONG_PTR Value;      /* 0x10 */
        SIZE_T *ReturnLength; /* 0x18 */
    } Attributes[3];          /* 0x08 */
} k32_ps_attribute_list;
_Static_assert(sizeof(k32_ps_attribute_list) == 0x68, "PS_ATTRIBUTE_LIST with 3 entries");

/* Finds the program as Windows does, then hands RTL_USER_PROCESS_PARAMETERS to
 * NtCreateUserProcess (nt_create_user_process, which also takes CREATE_NEW_PROCESS_GROUP). */
static BOOL k32_create_process(HANDLE token, const WCHAR *app, const WCHAR *cmdline, BOOL inherit,
                               DWORD flags, const void *env, const WCHAR *cwd,
                               const k32_startupinfo *si, PROCESS_INFORMATION *pi)
{
    WCHAR *image = NULL, *own_env = NULL, *conv_env = NULL, *batch_line = NULL;
    char *unix_image = NULL, *unix_cwd = NULL;
    RTL_USER_PROCESS_PARAMETERS *pp = NULL;
    BOOL ok = FALSE;
    if (!pi || !si || (!app && !cmdline)) {
        thk_set_last_error(ERROR_INVALID_PARAMETER);
        return FALSE;
    }
    image = app ? k32_try_path(NULL, 0, app, nt_wcslen(app)) : k32_program_from_cmdline(cmdline);
    bool builtin = false; /* a built-in program (programs/programs.h): no file to check */
    if (!image) {
        image = app ? k32_builtin_path(app, nt_wcslen(app)) : k32_builtin_from_cmdline(cmdline);
        builtin = image != NULL;
    }
    if (!image) {
        thk_set_last_error(K32_ERROR_FILE_NOT_FOUND);
        goto out;
    }
    const WCHAR *line = cmdline ? cmdline : app;
    if (!NT_SUCCESS(nt_path_to_unix(image, nt_wcslen(image), &unix_image)) ||
        (!builtin && !k32_is_pe(unix_image))) {
        if (!unix_image || !k32_is_batch(image)) {
            thk_set_last_error(K32_ERROR_BAD_EXE_FORMAT);
            goto out;
        }
        /* a batch file: "%COMSPEC% /c "<the command line>"", as Windows runs it */
        free(image);
        free(unix_image);
        unix_image = NULL;
        image = k32_comspec();
        if (!image)
            builtin = (image = k32_builtin_comspec()) != NULL;
        if (!image || !(batch_line = k32_batch_cmdline(image, line))) {
            thk_set_last_error(image ? ERROR_NOT_ENOUGH_MEMORY : K32_ERROR_FILE_NOT_FOUND);
            goto out;
        }
        line = batch_line;
        if (!NT_SUCCESS(nt_path_to_unix(image, nt_wcslen(image), &unix_image)) ||
            (!builtin && !k32_is_pe(unix_image))) {
            thk_set_last_error(K32_ERROR_BAD_EXE_FORMAT);
            goto out;
        }
    }
    const WCHAR *block = env ? k32_env_block_w(env, (flags & K32_CREATE_UNICODE_ENVIRONMENT) != 0,
                                               &conv_env)
                             : (own_env = GetEnvironmentStringsW());
    pp = calloc(1, sizeof *pp);
    if (!block || !pp) {
        thk_set_last_error(ERROR_NOT_ENOUGH_MEMORY);
        goto out;
    }
    if (nt_wcslen(line) > K32_MAX_UNICODE_STRING || nt_wcslen(image) > K32_MAX_UNICODE_STRING ||
        (cwd && nt_wcslen(cwd) > K32_MAX_UNICODE_STRING)) {
        thk_set_last_error(ERROR_FILENAME_EXCED_RANGE);
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
    bool new_group = (flags & K32_CREATE_NEW_PROCESS_GROUP) != 0;
    pp->MaximumLength = pp->Length = sizeof *pp;
    pp->Flags = 0x1; /* RTL_USER_PROC_PARAMS_NORMALIZED */
    pp->ConsoleFlags = k32_ctrl_c_is_ignored() || new_group; /* bit 0: Ctrl-C ignored */
    k32_set_us(&pp->ImagePathName, image);
    k32_set_us(&pp->CommandLine, line);
    k32_set_us(&pp->CurrentDirectory.DosPath, cwd);
    pp->Environment = (WCHAR *)block;
    bool use_std = si->cb >= sizeof(k32_startupinfo) && (si->dwFlags & K32_STARTF_USESTDHANDLES);
    pp->StandardInput = use_std ? si->hStdInput : GetStdHandle(STD_INPUT_HANDLE);
    pp->StandardOutput = use_std ? si->hStdOutput : GetStdHandle(STD_OUTPUT_HANDLE);
    pp->StandardError = use_std ? si->hStdError : GetStdHandle(STD_ERROR_HANDLE);

    CLIENT_ID cid = {0};
    size_t inherit_count = 0;
    const HANDLE *list = k32_handle_list(si, flags, &inherit_count);
    k32_ps_attribute_list attrs = {
        .Attributes = {{K32_PS_ATTRIBUTE_CLIENT_ID, sizeof cid, (ULONG_PTR)&cid, NULL}},
    };
    size_t nattrs = 1;
    if (list)
        attrs.Attributes[nattrs++] = (typeof(attrs.Attributes[0])){
            K32_PS_ATTRIBUTE_HANDLE_LIST, inherit_count * sizeof(HANDLE), (ULONG_PTR)list, NULL};
    if (token) /* CreateProcessAsUser: the child's primary token */
        attrs.Attributes[nattrs++] = (typeof(attrs.Attributes[0])){
            K32_PS_ATTRIBUTE_TOKEN, sizeof(HANDLE), (ULONG_PTR)token, NULL};
    attrs.TotalLength = sizeof attrs.TotalLength + sizeof attrs.Attributes[0] * nattrs;
    HANDLE process = NULL, thread = NULL;
    NTSTATUS st = nt_create_user_process(
        &process, &thread,
        (inherit ? K32_PROCESS_CREATE_FLAGS_INHERIT_HANDLES : 0) |
            ((flags & K32_CREATE_BREAKAWAY_FROM_JOB) ? K32_PROCESS_CREATE_FLAGS_BREAKAWAY : 0),
        (flags & K32_CREATE_SUSPENDED) ? K32_THREAD_CREATE_FLAGS_CREATE_SUSPENDED : 0, pp, &attrs,
        new_group);
    if (!NT_SUCCESS(st)) {
        thk_set_last_status(st);
        goto out;
    }
    pi->hProcess = process;
    pi->hThread = thread;
    pi->dwProcessId = (DWORD)(uintptr_t)cid.UniqueProcess;
    pi->dwThreadId = (DWORD)(uintptr_t)cid.UniqueThread; /* a Linux main thread: the pid */
    ok = TRUE;
out:
    free(image);
    free(unix_image);
    free(unix_cwd);
    free(conv_env);
    free(batch_line);
    free(pp);
    if (own_env)
        FreeEnvironmentStringsW(own_env);
    return ok;
}

BOOL WINAPI CreateProcessW(const WCHAR *app, WCHAR *cmdline, void *psa, void *tsa, BOOL inherit,
                           DWORD flags, void *env, const WCHAR *cwd, k32_startupinfo *si,
                           PROCESS_INFORMATION *pi)
{
    return k32_create_process(NULL, app, cmdline, inherit, flags, env, cwd, si, pi);
}
THK_EXPORT(kernel32, CreateProcessW, 10);

/* CreateProcess with the child's primary token given: a token of this user (from
 * OpenProcessToken, DuplicateTokenEx, CreateRestrictedToken), which the child's process token
 * becomes (its GetTokenInformation shows the restrictions). An impersonation token:
 * ERROR_BAD_TOKEN_TYPE; a handle without TOKEN_ASSIGN_PRIMARY: ERROR_ACCESS_DENIED. */
BOOL WINAPI CreateProcessAsUserW(HANDLE token, const WCHAR *app, WCHAR *cmdline, void *psa,
                                 void *tsa, BOOL inherit, DWORD flags, void *env, const WCHAR *cwd,
                                 k32_startupinfo *si, PROCESS_INFORMATION *pi)
{
    return k32_create_process(token, app, cmdline, inherit, flags, env, cwd, si, pi);
}
THK_EXPORT(kernel32, CreateProcessAsUserW, 11);

/* The ANSI forms: the names converted to UTF-16, then the wide path. */
static BOOL create_process_a(HANDLE token, const char *app, char *cmdline, BOOL inherit,
                             DWORD flags, void *env, const char *cwd, k32_startupinfo *si,
                             PROCESS_INFORMATION *pi)
{
    WCHAR *wapp, *wcmd, *wcwd;
    BOOL r = k32_args_w(app, &wapp, cmdline, &wcmd, cwd, &wcwd)
                 ? k32_create_process(token, wapp, wcmd, inherit, flags, env, wcwd, si, pi)
                 : FALSE;
    free(wapp);
    free(wcmd);
    free(wcwd);
    return r;
}

BOOL WINAPI CreateProcessA(const char *app, char *cmdline, void *psa, void *tsa, BOOL inherit,
                           DWORD flags, void *env, const char *cwd, k32_startupinfo *si,
                           PROCESS_INFORMATION *pi)
{
    return create_process_a(NULL, app, cmdline, inherit, flags, env, cwd, si, pi);
}
THK_EXPORT(kernel32, CreateProcessA, 10);

BOOL WINAPI CreateProcessAsUserA(HANDLE token, const char *app, char *cmdline, void *psa,
                                 void *tsa, BOOL inherit, DWORD flags, void *env, const char *cwd,
                                 k32_startupinfo *si, PROCESS_INFORMATION *pi)
{
    return create_process_a(token, app, cmdline, inherit, flags, env, cwd, si, pi);
}
THK_EXPORT(kernel32, CreateProcessAsUserA, 11);

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
    OBJECT_ATTRIBUTES oa = {.Length = sizeof oa,
                            .Attributes = inherit ? 0x2u /* OBJ_INHERIT */ : 0};
    CLIENT_ID cid = {(HANDLE)(uintptr_t)pid, NULL};
    NTSTATUS st = NtOpenProcess(&h, access, &oa, &cid);
    if (!NT_SUCCESS(st)) {
        thk_set_last_status(st); /* no such process: STATUS_INVALID_PARAMETER, 87 */
        return NULL;
    }
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
