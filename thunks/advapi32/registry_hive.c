/* SPDX-License-Identifier: MIT */
/* advapi32's hive functions over the NT calls of ntemu/registry.c: RegSaveKey(Ex)W/A (the key's
 * subtree to a new file: ERROR_ALREADY_EXISTS when it exists, as Windows creates it with
 * CREATE_NEW), RegLoadKeyW/A and RegUnLoadKeyW/A (a hive file mounted below HKEY_LOCAL_MACHINE
 * or HKEY_USERS, ERROR_INVALID_PARAMETER for another root), RegRestoreKeyW/A (a key's contents
 * replaced by a saved file's), RegReplaceKeyW/A (a loaded hive's file replaced for its next
 * load), and RegCopyTreeW/A (values and
 * subkeys copied recursively, as advapi32 does it with the other Reg* calls). The hive files
 * are ntrun's own format (see ntemu/registry.c), not Windows' regf. */
#include <stdlib.h>
#include <string.h>
#include "ntemu/ntemu.h"
#include "thunks/thunks_private.h"

typedef int32_t LSTATUS;
typedef HANDLE HKEY;

/* HKEY_LOCAL_MACHINE and HKEY_USERS as programs pass them: (LONG) values, sign-extended */
#define ADV_HKLM ((HKEY)(LONG_PTR)(int32_t)0x80000002u)
#define ADV_HKU ((HKEY)(LONG_PTR)(int32_t)0x80000003u)
#define ADV_KEY_READ 0x20019u
#define ADV_KEY_ALL_ACCESS 0xF003Fu
#define ADV_ERROR_INVALID_PARAMETER 87
#define ADV_ERROR_NOT_ENOUGH_MEMORY 8
#define ADV_ERROR_MORE_DATA 234
#define ADV_ERROR_NO_MORE_ITEMS 259
#define ADV_GENERIC_WRITE 0x40000000u
#define ADV_CREATE_NEW 1u
#define ADV_GENERIC_READ 0x80000000u
#define ADV_FILE_SHARE_READ 1u
#define ADV_OPEN_EXISTING 3u

LSTATUS WINAPI RegOpenKeyExW(HKEY hkey, const WCHAR *sub, DWORD options, DWORD access,
                             HKEY *out);
LSTATUS WINAPI RegCreateKeyExW(HKEY hkey, const WCHAR *sub, DWORD reserved, WCHAR *cls,
                               DWORD options, DWORD access, void *sa, HKEY *out, DWORD *disp);
LSTATUS WINAPI RegCloseKey(HKEY hkey);
LSTATUS WINAPI RegQueryInfoKeyW(HKEY hkey, WCHAR *cls, DWORD *cls_len, DWORD *reserved,
                                DWORD *subkeys, DWORD *max_sub, DWORD *max_cls, DWORD *values,
                                DWORD *max_name, DWORD *max_data, DWORD *sd, void *ft);
LSTATUS WINAPI RegEnumValueW(HKEY hkey, DWORD index, WCHAR *name, DWORD *name_len,
                             DWORD *reserved, DWORD *type, BYTE *data, DWORD *data_len);
LSTATUS WINAPI RegEnumKeyExW(HKEY hkey, DWORD index, WCHAR *name, DWORD *name_len,
                             DWORD *reserved, WCHAR *cls, DWORD *cls_len, void *ft);
LSTATUS WINAPI RegSetValueExW(HKEY hkey, const WCHAR *name, DWORD reserved, DWORD type,
                              const BYTE *data, DWORD size);
HANDLE WINAPI CreateFileW(const WCHAR *name, DWORD access, DWORD share, void *sa, DWORD disp,
                          DWORD flags, HANDLE tmpl);
BOOL WINAPI DeleteFileW(const WCHAR *name);
BOOL WINAPI CloseHandle(HANDLE h);
DWORD WINAPI GetLastError(void);
DWORD WINAPI GetFullPathNameW(const WCHAR *name, DWORD len, WCHAR *buf, WCHAR **part);
int WINAPI MultiByteToWideChar(uint32_t cp, DWORD flags, const char *s, int n, WCHAR *w, int wn);

static LSTATUS adv_err(NTSTATUS st) { return (LSTATUS)nt_status_to_win32(st); }

/* An ANSI argument as UTF-16 (malloc'd; NULL for NULL; *ok false when out of memory). */
static WCHAR *adv_a2w(const char *s, bool *ok)
{
    *ok = true;
    if (!s)
        return NULL;
    int n = MultiByteToWideChar(0 /* CP_ACP */, 0, s, -1, NULL, 0);
    WCHAR *w = n > 0 ? malloc((size_t)n * sizeof *w) : NULL;
    if (!w || MultiByteToWideChar(0, 0, s, -1, w, n) <= 0) {
        free(w);
        *ok = false;
        return NULL;
    }
    return w;
}

static void adv_ustr(UNICODE_STRING *us, WCHAR *s)
{
    size_t n = nt_wcslen(s);
    us->Length = (uint16_t)(n * 2);
    us->MaximumLength = (uint16_t)(n * 2 + 2);
    us->Buffer = s;
}

/* ---- RegSaveKey ---- */
LSTATUS WINAPI RegSaveKeyExW(HKEY hkey, const WCHAR *file, void *sa, DWORD flags)
{
    if (!file || !*file)
        return ADV_ERROR_INVALID_PARAMETER;
    HKEY k;
    LSTATUS r = RegOpenKeyExW(hkey, NULL, 0, ADV_KEY_READ, &k);
    if (r)
        return r;
    HANDLE f = CreateFileW(file, ADV_GENERIC_WRITE, 0, sa, ADV_CREATE_NEW, 0x80, NULL);
    if (f == (HANDLE)(LONG_PTR)-1) {
        r = (LSTATUS)GetLastError();
        if (r == 80) /* ERROR_FILE_EXISTS: Windows' NtCreateFile status says ERROR_ALREADY_EXISTS */
            r = 183;
        RegCloseKey(k);
        return r;
    }
    NTSTATUS st = flags ? NtSaveKeyEx(k, f, flags) : NtSaveKey(k, f);
    CloseHandle(f);
    RegCloseKey(k);
    if (!NT_SUCCESS(st)) {
        DeleteFileW(file);
        return adv_err(st);
    }
    return 0;
}
THK_EXPORT(advapi32, RegSaveKeyExW, 4);

LSTATUS WINAPI RegSaveKeyW(HKEY hkey, const WCHAR *file, void *sa)
{
    return RegSaveKeyExW(hkey, file, sa, 0);
}
THK_EXPORT(advapi32, RegSaveKeyW, 3);

LSTATUS WINAPI RegSaveKeyExA(HKEY hkey, const char *file, void *sa, DWORD flags)
{
    bool ok;
    WCHAR *w = adv_a2w(file, &ok);
    if (!ok)
        return ADV_ERROR_NOT_ENOUGH_MEMORY;
    LSTATUS r = RegSaveKeyExW(hkey, w, sa, flags);
    free(w);
    return r;
}
THK_EXPORT(advapi32, RegSaveKeyExA, 4);

LSTATUS WINAPI RegSaveKeyA(HKEY hkey, const char *file, void *sa)
{
    return RegSaveKeyExA(hkey, file, sa, 0);
}
THK_EXPORT(advapi32, RegSaveKeyA, 3);

/* ---- RegLoadKey / RegUnLoadKey ---- */
/* \Registry\Machine\sub or \Registry\User\sub (malloc'd); NULL: another root (or no memory). */
static WCHAR *hive_name(HKEY root, const WCHAR *sub)
{
    static const WCHAR machine[] = u"\\Registry\\Machine\\", user[] = u"\\Registry\\User\\";
    const WCHAR *prefix = root == ADV_HKLM ? machine : root == ADV_HKU ? user : NULL;
    if (!prefix || !sub)
        return NULL;
    size_t pl = nt_wcslen(prefix), sl = nt_wcslen(sub);
    WCHAR *s = malloc((pl + sl + 1) * sizeof *s);
    if (s) {
        memcpy(s, prefix, pl * sizeof *s);
        memcpy(s + pl, sub, (sl + 1) * sizeof *s);
    }
    return s;
}

/* A file name as an NT path (\??\ and the full path; malloc'd in *out): 0 or an error. */
static LSTATUS adv_nt_file_name(const WCHAR *file, WCHAR **out)
{
    WCHAR full[1024];
    DWORD n = GetFullPathNameW(file, 1020, full, NULL);
    WCHAR *ntname = n && n < 1020 ? malloc((n + 5) * sizeof(WCHAR)) : NULL;
    *out = ntname;
    if (!ntname)
        return n ? ADV_ERROR_NOT_ENOUGH_MEMORY : (LSTATUS)GetLastError();
    memcpy(ntname, u"\\??\\", 4 * sizeof(WCHAR));
    memcpy(ntname + 4, full, (n + 1) * sizeof(WCHAR));
    return 0;
}

LSTATUS WINAPI RegLoadKeyW(HKEY root, const WCHAR *sub, const WCHAR *file)
{
    if (!sub || !*sub || !file || !*file)
        return ADV_ERROR_INVALID_PARAMETER;
    WCHAR *target = hive_name(root, sub);
    if (!target)
        return ADV_ERROR_INVALID_PARAMETER;
    WCHAR *ntname;
    LSTATUS r = adv_nt_file_name(file, &ntname);
    if (r) {
        free(target);
        return r;
    }
    UNICODE_STRING tu, fu;
    adv_ustr(&tu, target);
    adv_ustr(&fu, ntname);
    OBJECT_ATTRIBUTES ta = {.Length = sizeof ta, .ObjectName = &tu, .Attributes = OBJ_CASE_INSENSITIVE};
    OBJECT_ATTRIBUTES fa = {.Length = sizeof fa, .ObjectName = &fu, .Attributes = OBJ_CASE_INSENSITIVE};
    NTSTATUS st = NtLoadKey(&ta, &fa);
    free(ntname);
    free(target);
    return NT_SUCCESS(st) ? 0 : adv_err(st);
}
THK_EXPORT(advapi32, RegLoadKeyW, 3);

LSTATUS WINAPI RegLoadKeyA(HKEY root, const char *sub, const char *file)
{
    bool ok1, ok2;
    WCHAR *ws = adv_a2w(sub, &ok1), *wf = adv_a2w(file, &ok2);
    LSTATUS r = ok1 && ok2 ? RegLoadKeyW(root, ws, wf) : ADV_ERROR_NOT_ENOUGH_MEMORY;
    free(ws);
    free(wf);
    return r;
}
THK_EXPORT(advapi32, RegLoadKeyA, 3);

/* ---- RegLoadAppKey ----
 * An application hive: the file (created as an empty hive when missing) mounted privately
 * below \Registry\A under a random GUID name, with no privilege needed; *out is its root.
 * Loading the same file again gives the same hive. */
LSTATUS WINAPI RegLoadAppKeyW(const WCHAR *file, HKEY *out, DWORD access, DWORD options,
                              DWORD reserved)
{
    if (!file || !*file || !out || reserved)
        return ADV_ERROR_INVALID_PARAMETER;
    *out = NULL;
    uint8_t g[16];
    if (thk_random_fill(g, sizeof g) != STATUS_SUCCESS)
        return ADV_ERROR_NOT_ENOUGH_MEMORY;
    WCHAR target[64];
    static const char hex[] = "0123456789ABCDEF";
    static const WCHAR prefix[] = u"\\REGISTRY\\A\\{";
    size_t n = sizeof prefix / sizeof prefix[0] - 1;
    memcpy(target, prefix, n * sizeof *target);
    for (int i = 0; i < 16; i++) {
        if (i == 4 || i == 6 || i == 8 || i == 10)
            target[n++] = '-';
        target[n++] = (WCHAR)hex[g[i] >> 4];
        target[n++] = (WCHAR)hex[g[i] & 15];
    }
    target[n++] = '}';
    target[n] = 0;
    WCHAR *ntname;
    LSTATUS r = adv_nt_file_name(file, &ntname);
    if (r)
        return r;
    UNICODE_STRING tu, fu;
    adv_ustr(&tu, target);
    adv_ustr(&fu, ntname);
    OBJECT_ATTRIBUTES ta = {.Length = sizeof ta, .ObjectName = &tu, .Attributes = OBJ_CASE_INSENSITIVE};
    OBJECT_ATTRIBUTES fa = {.Length = sizeof fa, .ObjectName = &fu, .Attributes = OBJ_CASE_INSENSITIVE};
    HANDLE root = NULL;
    /* REG_APP_HIVE, and REG_PROCESS_APPKEY (options 1) as REG_PROCESS_PRIVATE: one process's */
    NTSTATUS st = NtLoadKeyEx(&ta, &fa, 0x10u | ((options & 1u) ? 0x20u : 0u), NULL, NULL,
                              access, &root, NULL);
    free(ntname);
    if (!NT_SUCCESS(st))
        return adv_err(st);
    *out = root;
    return 0;
}
THK_EXPORT(advapi32, RegLoadAppKeyW, 5);

LSTATUS WINAPI RegLoadAppKeyA(const char *file, HKEY *out, DWORD access, DWORD options,
                              DWORD reserved)
{
    bool ok;
    WCHAR *wf = adv_a2w(file, &ok);
    LSTATUS r = ok ? RegLoadAppKeyW(wf, out, access, options, reserved) : ADV_ERROR_NOT_ENOUGH_MEMORY;
    free(wf);
    return r;
}
THK_EXPORT(advapi32, RegLoadAppKeyA, 5);

LSTATUS WINAPI RegUnLoadKeyW(HKEY root, const WCHAR *sub)
{
    WCHAR *target = hive_name(root, sub);
    if (!target)
        return ADV_ERROR_INVALID_PARAMETER;
    UNICODE_STRING tu;
    adv_ustr(&tu, target);
    OBJECT_ATTRIBUTES ta = {.Length = sizeof ta, .ObjectName = &tu, .Attributes = OBJ_CASE_INSENSITIVE};
    NTSTATUS st = NtUnloadKey(&ta);
    free(target);
    return NT_SUCCESS(st) ? 0 : adv_err(st);
}
THK_EXPORT(advapi32, RegUnLoadKeyW, 2);

LSTATUS WINAPI RegUnLoadKeyA(HKEY root, const char *sub)
{
    bool ok;
    WCHAR *w = adv_a2w(sub, &ok);
    LSTATUS r = ok ? RegUnLoadKeyW(root, w) : ADV_ERROR_NOT_ENOUGH_MEMORY;
    free(w);
    return r;
}
THK_EXPORT(advapi32, RegUnLoadKeyA, 2);

/* ---- RegRestoreKey / RegReplaceKey ---- */
LSTATUS WINAPI RegRestoreKeyW(HKEY hkey, const WCHAR *file, DWORD flags)
{
    if (!file || !*file)
        return ADV_ERROR_INVALID_PARAMETER;
    HKEY k;
    LSTATUS r = RegOpenKeyExW(hkey, NULL, 0, ADV_KEY_READ, &k);
    if (r)
        return r;
    HANDLE f = CreateFileW(file, ADV_GENERIC_READ, ADV_FILE_SHARE_READ, NULL, ADV_OPEN_EXISTING,
                           0, NULL);
    if (f == (HANDLE)(LONG_PTR)-1) {
        r = (LSTATUS)GetLastError();
        RegCloseKey(k);
        return r;
    }
    NTSTATUS st = NtRestoreKey(k, f, flags);
    CloseHandle(f);
    RegCloseKey(k);
    return NT_SUCCESS(st) ? 0 : adv_err(st);
}
THK_EXPORT(advapi32, RegRestoreKeyW, 3);

LSTATUS WINAPI RegRestoreKeyA(HKEY hkey, const char *file, DWORD flags)
{
    bool ok;
    WCHAR *w = adv_a2w(file, &ok);
    LSTATUS r = ok ? RegRestoreKeyW(hkey, w, flags) : ADV_ERROR_NOT_ENOUGH_MEMORY;
    free(w);
    return r;
}
THK_EXPORT(advapi32, RegRestoreKeyA, 3);

LSTATUS WINAPI RegReplaceKeyW(HKEY hkey, const WCHAR *sub, const WCHAR *new_file,
                              const WCHAR *old_file)
{
    if (!new_file || !*new_file || !old_file || !*old_file)
        return ADV_ERROR_INVALID_PARAMETER;
    HKEY k;
    LSTATUS r = RegOpenKeyExW(hkey, sub, 0, ADV_KEY_READ, &k);
    if (r)
        return r;
    WCHAR *nn = NULL, *on = NULL;
    r = adv_nt_file_name(new_file, &nn);
    if (!r)
        r = adv_nt_file_name(old_file, &on);
    if (!r) {
        UNICODE_STRING nu, ou;
        adv_ustr(&nu, nn);
        adv_ustr(&ou, on);
        OBJECT_ATTRIBUTES na = {.Length = sizeof na, .ObjectName = &nu,
                                .Attributes = OBJ_CASE_INSENSITIVE};
        OBJECT_ATTRIBUTES oa = {.Length = sizeof oa, .ObjectName = &ou,
                                .Attributes = OBJ_CASE_INSENSITIVE};
        NTSTATUS st = NtReplaceKey(&na, k, &oa);
        r = NT_SUCCESS(st) ? 0 : adv_err(st);
    }
    free(nn);
    free(on);
    RegCloseKey(k);
    return r;
}
THK_EXPORT(advapi32, RegReplaceKeyW, 4);

LSTATUS WINAPI RegReplaceKeyA(HKEY hkey, const char *sub, const char *new_file,
                              const char *old_file)
{
    bool ok1, ok2, ok3;
    WCHAR *ws = adv_a2w(sub, &ok1), *wn = adv_a2w(new_file, &ok2), *wo = adv_a2w(old_file, &ok3);
    LSTATUS r = ok1 && ok2 && ok3 ? RegReplaceKeyW(hkey, ws, wn, wo) : ADV_ERROR_NOT_ENOUGH_MEMORY;
    free(ws);
    free(wn);
    free(wo);
    return r;
}
THK_EXPORT(advapi32, RegReplaceKeyA, 4);

/* ---- RegCopyTree ---- */
static LSTATUS copy_tree(HKEY from, HKEY to, int depth)
{
    DWORD nsub = 0, max_sub = 0, nval = 0, max_name = 0, max_data = 0;
    LSTATUS r = RegQueryInfoKeyW(from, NULL, NULL, NULL, &nsub, &max_sub, NULL, &nval,
                                 &max_name, &max_data, NULL, NULL);
    if (r)
        return r;
    if (depth > 512)
        return ADV_ERROR_INVALID_PARAMETER;
    WCHAR *name = malloc(((max_name > max_sub ? max_name : max_sub) + 1) * sizeof *name);
    BYTE *data = malloc(max_data ? max_data : 1);
    if (!name || !data) {
        free(name);
        free(data);
        return ADV_ERROR_NOT_ENOUGH_MEMORY;
    }
    for (DWORD i = 0; !r; i++) {
        DWORD nl = max_name + 1, dl = max_data, type;
        r = RegEnumValueW(from, i, name, &nl, NULL, &type, data, &dl);
        if (r == ADV_ERROR_NO_MORE_ITEMS) {
            r = 0;
            break;
        }
        if (!r)
            r = RegSetValueExW(to, name, 0, type, data, dl);
    }
    for (DWORD i = 0; !r; i++) {
        DWORD nl = max_sub + 1;
        r = RegEnumKeyExW(from, i, name, &nl, NULL, NULL, NULL, NULL);
        if (r == ADV_ERROR_NO_MORE_ITEMS) {
            r = 0;
            break;
        }
        HKEY s, d;
        if (!r)
            r = RegOpenKeyExW(from, name, 0, ADV_KEY_READ, &s);
        if (r)
            break;
        r = RegCreateKeyExW(to, name, 0, NULL, 0, ADV_KEY_ALL_ACCESS, NULL, &d, NULL);
        if (!r) {
            r = copy_tree(s, d, depth + 1);
            RegCloseKey(d);
        }
        RegCloseKey(s);
    }
    free(name);
    free(data);
    return r;
}

LSTATUS WINAPI RegCopyTreeW(HKEY src, const WCHAR *sub, HKEY dst)
{
    HKEY from;
    LSTATUS r = RegOpenKeyExW(src, sub, 0, ADV_KEY_READ, &from);
    if (r)
        return r;
    r = copy_tree(from, dst, 0);
    RegCloseKey(from);
    return r;
}
THK_EXPORT(advapi32, RegCopyTreeW, 3);

LSTATUS WINAPI RegCopyTreeA(HKEY src, const char *sub, HKEY dst)
{
    bool ok;
    WCHAR *w = adv_a2w(sub, &ok);
    LSTATUS r = ok ? RegCopyTreeW(src, w, dst) : ADV_ERROR_NOT_ENOUGH_MEMORY;
    free(w);
    return r;
}
THK_EXPORT(advapi32, RegCopyTreeA, 3);
