/* SPDX-License-Identifier: MIT */
/* ShellExecuteExW/A and ShellExecuteW/A for console programs: the "open" verb (or none) on a
 * program (.exe, .com, .bat, .cmd) starts it with CreateProcessW, its parameters after its
 * quoted path, in lpDirectory if given (a relative lpFile is looked for there first, then along
 * the search path, ".exe" appended when it has no extension). SEE_MASK_NOCLOSEPROCESS hands
 * back the process handle (hProcess is NULL otherwise). The child shares the console: there is
 * no other to give it (SEE_MASK_NO_CONSOLE or not). There are no file associations here: a document, a URL or another
 * verb fails honestly with SE_ERR_NOASSOC (ERROR_NO_ASSOCIATION); a file that is not there with
 * SE_ERR_FNF (ERROR_FILE_NOT_FOUND). hInstApp / the return value is 42 on success, as any value
 * above 32 means success. */
#include <stdlib.h>
#include <string.h>
#include "thunks/kernel32/kernel32_private.h"

#define SE_ERR_FNF 2
#define SE_ERR_PNF 3
#define SE_ERR_ACCESSDENIED 5
#define SE_ERR_OOM 8
#define SE_ERR_NOASSOC 31
#define SE_OK 42
#define SE_ERROR_NO_ASSOCIATION 1155u
#define SE_ERROR_ACCESS_DENIED 5u
#define SE_ERROR_NOT_ENOUGH_MEMORY 8u
#define SE_ERROR_FILE_NOT_FOUND 2u
#define SE_MASK_NOCLOSEPROCESS 0x40u

/* SHELLEXECUTEINFOW (shellapi.h), x64 */
typedef struct {
    DWORD cbSize;             /* 0x00 */
    ULONG fMask;              /* 0x04 */
    void *hwnd;               /* 0x08 */
    const WCHAR *lpVerb;      /* 0x10 */
    const WCHAR *lpFile;      /* 0x18 */
    const WCHAR *lpParameters; /* 0x20 */
    const WCHAR *lpDirectory; /* 0x28 */
    int nShow;                /* 0x30 */
    void *hInstApp;           /* 0x38 */
    void *lpIDList;           /* 0x40 */
    const WCHAR *lpClass;     /* 0x48 */
    void *hkeyClass;          /* 0x50 */
    DWORD dwHotKey;           /* 0x58 */
    void *hIcon;              /* 0x60 */
    HANDLE hProcess;          /* 0x68 */
} se_info;
_Static_assert(offsetof(se_info, hProcess) == 0x68, "SHELLEXECUTEINFO.hProcess");
_Static_assert(sizeof(se_info) == 0x70, "SHELLEXECUTEINFO");

/* the same layout with char strings (SHELLEXECUTEINFOA) */
typedef struct {
    DWORD cbSize;
    ULONG fMask;
    void *hwnd;
    const char *lpVerb, *lpFile, *lpParameters, *lpDirectory;
    int nShow;
    void *hInstApp;
    void *lpIDList;
    const char *lpClass;
    void *hkeyClass;
    DWORD dwHotKey;
    void *hIcon;
    HANDLE hProcess;
} se_info_a;
_Static_assert(sizeof(se_info_a) == 0x70, "SHELLEXECUTEINFOA");

typedef struct {
    DWORD cb;
    WCHAR *lpReserved, *lpDesktop, *lpTitle;
    DWORD dwX, dwY, dwXSize, dwYSize, dwXCountChars, dwYCountChars, dwFillAttribute, dwFlags;
    WORD wShowWindow, cbReserved2;
    BYTE *lpReserved2;
    HANDLE hStdInput, hStdOutput, hStdError;
} se_startupinfo;
_Static_assert(sizeof(se_startupinfo) == 0x68, "STARTUPINFOW");

typedef struct {
    HANDLE hProcess, hThread;
    DWORD dwProcessId, dwThreadId;
} se_procinfo;

BOOL WINAPI CreateProcessW(const WCHAR *app, WCHAR *cmdline, void *pattr, void *tattr,
                           BOOL inherit, DWORD flags, void *env, const WCHAR *cwd, void *si,
                           void *pi);
BOOL WINAPI CloseHandle(HANDLE h);
DWORD WINAPI GetFileAttributesW(const WCHAR *name);
DWORD WINAPI SearchPathW(const WCHAR *path, const WCHAR *name, const WCHAR *ext, DWORD n,
                         WCHAR *buf, WCHAR **file);

static bool se_ieq(const WCHAR *a, const char *b)
{
    for (; *a && *b; a++, b++) {
        WCHAR c = *a >= u'A' && *a <= u'Z' ? (WCHAR)(*a + 32) : *a;
        if (c != (WCHAR)(unsigned char)*b)
            return false;
    }
    return !*a && !*b;
}

/* the extension of `path` is one of a program's */
static bool se_is_program(const WCHAR *path)
{
    size_t n = nt_wcslen(path);
    return n > 4 && path[n - 4] == u'.' &&
           (se_ieq(path + n - 3, "exe") || se_ieq(path + n - 3, "com") ||
            se_ieq(path + n - 3, "bat") || se_ieq(path + n - 3, "cmd"));
}

static bool se_has_dir(const WCHAR *f)
{
    for (; *f; f++)
        if (*f == u'\\' || *f == u'/' || *f == u':')
            return true;
    return false;
}

/* `file` found: in `dir` first, then where SearchPathW looks, with ".exe" if it has no
 * extension; 0 or SE_ERR_FNF */
static int se_find(const WCHAR *file, const WCHAR *dir, WCHAR *out)
{
    size_t fl = nt_wcslen(file);
    if (fl >= 2 && file[0] == u'"' && file[fl - 1] == u'"') { /* "C:\a b\x.exe" */
        WCHAR *t = malloc(fl * sizeof *t);
        if (!t)
            return SE_ERR_OOM;
        memcpy(t, file + 1, (fl - 2) * sizeof *t);
        t[fl - 2] = 0;
        int r = se_find(t, dir, out);
        free(t);
        return r;
    }
    if (dir && *dir && !se_has_dir(file)) {
        DWORD n = SearchPathW(dir, file, u".exe", MAX_PATH, out, NULL);
        if (n && n < MAX_PATH)
            return 0;
    }
    DWORD n = SearchPathW(NULL, file, u".exe", MAX_PATH, out, NULL);
    if (!n || n >= MAX_PATH || GetFileAttributesW(out) == INVALID_FILE_ATTRIBUTES)
        return SE_ERR_FNF;
    return 0;
}

/* runs the request: SE_OK with *process (when asked) or an SE_ERR_ code, the last error set */
static int se_execute(const WCHAR *verb, const WCHAR *file, const WCHAR *params,
                      const WCHAR *dir, bool keep, HANDLE *process)
{
    WCHAR path[MAX_PATH];
    if (!file || !*file) {
        thk_set_last_error(SE_ERROR_FILE_NOT_FOUND);
        return SE_ERR_FNF;
    }
    int r = se_find(file, dir, path);
    if (r) {
        thk_set_last_error(r == SE_ERR_OOM ? SE_ERROR_NOT_ENOUGH_MEMORY : SE_ERROR_FILE_NOT_FOUND);
        return r;
    }
    if ((verb && *verb && !se_ieq(verb, "open")) || !se_is_program(path)) {
        thk_set_last_error(SE_ERROR_NO_ASSOCIATION);
        return SE_ERR_NOASSOC;
    }
    size_t pl = nt_wcslen(path), al = params ? nt_wcslen(params) : 0;
    WCHAR *cmd = malloc((pl + al + 4) * sizeof *cmd);
    if (!cmd) {
        thk_set_last_error(SE_ERROR_NOT_ENOUGH_MEMORY);
        return SE_ERR_OOM;
    }
    cmd[0] = u'"';
    memcpy(cmd + 1, path, pl * sizeof *cmd);
    cmd[pl + 1] = u'"';
    size_t k = pl + 2;
    if (al) {
        cmd[k++] = u' ';
        memcpy(cmd + k, params, al * sizeof *cmd);
        k += al;
    }
    cmd[k] = 0;
    se_startupinfo si = {.cb = sizeof si};
    se_procinfo pi = {0};
    BOOL ok = CreateProcessW(path, cmd, NULL, NULL, FALSE, 0, NULL, dir && *dir ? dir : NULL, &si,
                             &pi);
    free(cmd);
    if (!ok) {
        uint32_t err = thk_get_last_error();
        return err == SE_ERROR_ACCESS_DENIED ? SE_ERR_ACCESSDENIED
               : err == 3 /* ERROR_PATH_NOT_FOUND: the directory */ ? SE_ERR_PNF
                                                                    : SE_ERR_FNF;
    }
    CloseHandle(pi.hThread);
    if (keep)
        *process = pi.hProcess;
    else
        CloseHandle(pi.hProcess);
    return SE_OK;
}

BOOL WINAPI ShellExecuteExW(se_info *info)
{
    if (!info || info->cbSize != sizeof *info) {
        thk_set_last_error(SE_ERROR_ACCESS_DENIED);
        return FALSE;
    }
    bool keep = (info->fMask & SE_MASK_NOCLOSEPROCESS) != 0;
    HANDLE process = NULL;
    int r = se_execute(info->lpVerb, info->lpFile, info->lpParameters, info->lpDirectory, keep,
                       &process);
    info->hInstApp = (void *)(uintptr_t)r;
    info->hProcess = keep ? process : NULL;
    return r > 32;
}
THK_EXPORT(shell32, ShellExecuteExW, 1);

void *WINAPI ShellExecuteW(void *hwnd, const WCHAR *verb, const WCHAR *file, const WCHAR *params,
                           const WCHAR *dir, int show)
{
    (void)hwnd;
    (void)show;
    HANDLE process = NULL;
    return (void *)(uintptr_t)se_execute(verb, file, params, dir, false, &process);
}
THK_EXPORT(shell32, ShellExecuteW, 6);

/* the A forms: the strings widened from the ANSI code page */
static int se_execute_a(const char *verb, const char *file, const char *params, const char *dir,
                        bool keep, HANDLE *process)
{
    bool ok[4];
    WCHAR *w[4] = {k32_a_to_w(verb, &ok[0]), k32_a_to_w(file, &ok[1]),
                   k32_a_to_w(params, &ok[2]), k32_a_to_w(dir, &ok[3])};
    int r = SE_ERR_OOM;
    if (ok[0] && ok[1] && ok[2] && ok[3])
        r = se_execute(w[0], w[1], w[2], w[3], keep, process);
    else
        thk_set_last_error(SE_ERROR_NOT_ENOUGH_MEMORY);
    for (int i = 0; i < 4; i++)
        free(w[i]);
    return r;
}

BOOL WINAPI ShellExecuteExA(se_info_a *info)
{
    if (!info || info->cbSize != sizeof *info) {
        thk_set_last_error(SE_ERROR_ACCESS_DENIED);
        return FALSE;
    }
    bool keep = (info->fMask & SE_MASK_NOCLOSEPROCESS) != 0;
    HANDLE process = NULL;
    int r = se_execute_a(info->lpVerb, info->lpFile, info->lpParameters, info->lpDirectory, keep,
                         &process);
    info->hInstApp = (void *)(uintptr_t)r;
    info->hProcess = keep ? process : NULL;
    return r > 32;
}
THK_EXPORT(shell32, ShellExecuteExA, 1);

void *WINAPI ShellExecuteA(void *hwnd, const char *verb, const char *file, const char *params,
                           const char *dir, int show)
{
    (void)hwnd;
    (void)show;
    HANDLE process = NULL;
    return (void *)(uintptr_t)se_execute_a(verb, file, params, dir, false, &process);
}
THK_EXPORT(shell32, ShellExecuteA, 6);
