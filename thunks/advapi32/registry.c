/* SPDX-License-Identifier: MIT */
/* advapi32's registry functions (kernelbase and the api-ms-win-core-registry sets resolve to
 * them through thunks/dlls.list), over the NT key calls of ntemu/registry.c.
 *
 * They return Win32 error codes (LSTATUS) and leave the last error alone, as Windows does. The
 * predefined keys (HKEY_CLASSES_ROOT 0x80000000, _CURRENT_USER, _LOCAL_MACHINE, _USERS,
 * _CURRENT_CONFIG; the 32-bit values, sign-extended or not) are opened on first use, as
 * Windows maps them: \Registry\Machine\Software\Classes (the machine part only),
 * \Registry\User\<the user's SID>, \Registry\Machine, \Registry\User and
 * \Registry\Machine\System\CurrentControlSet\Hardware Profiles\Current. Closing one is a no-op.
 * The "A" functions convert names and string data between the ANSI code page (UTF-8 under
 * ntrun) and UTF-16.
 *
 * KEY_WOW64_32KEY (the 32-bit view) sends HKLM\Software and the keys below it, but for the
 * shared Software\Classes, to HKLM\Software\Wow6432Node, as 64-bit Windows does for a 64-bit
 * program; KEY_WOW64_64KEY is the view a 64-bit program has anyway. REG_OPTION_OPEN_LINK opens
 * a symbolic link itself (OBJ_OPENLINK), REG_OPTION_CREATE_LINK makes the last key a link.
 *
 * HKEY_CLASSES_ROOT and the keys opened through it are tagged handles that merge the user's
 * classes over the machine's (registry_classes.c). */
#include <stdlib.h>
#include <string.h>
#include "ntemu/ntemu.h"
#include "thunks/advapi32/registry_private.h"
#include "thunks/thunks_private.h"

typedef int32_t LSTATUS;
typedef HANDLE HKEY;

#define REG_NONE 0
#define REG_SZ 1
#define REG_EXPAND_SZ 2
#define REG_BINARY 3
#define REG_DWORD 4
#define REG_DWORD_BIG_ENDIAN 5
#define REG_MULTI_SZ 7
#define REG_QWORD 11

#define KEY_QUERY_VALUE 0x0001
#define KEY_SET_VALUE 0x0002
#define KEY_CREATE_SUB_KEY 0x0004
#define KEY_ENUMERATE_SUB_KEYS 0x0008
#define KEY_NOTIFY 0x0010
#define KEY_READ 0x20019
#define KEY_ALL_ACCESS 0xF003F
#define KEY_WOW64_MASK 0x0300
#define ADV_DELETE 0x00010000
#define ADV_MAXIMUM_ALLOWED 0x02000000
#define REG_OPENED_EXISTING_KEY 2
#define KEY_WOW64_32KEY 0x0200
#define REG_OPTION_CREATE_LINK 0x2
#define REG_OPTION_OPEN_LINK 0x8
#define ADV_OBJ_OPENLINK 0x100
#define KeyNameInformation 3

#define RRF_RT_REG_NONE 0x01
#define RRF_RT_REG_SZ 0x02
#define RRF_RT_REG_EXPAND_SZ 0x04
#define RRF_RT_REG_BINARY 0x08
#define RRF_RT_REG_DWORD 0x10
#define RRF_RT_REG_MULTI_SZ 0x20
#define RRF_RT_REG_QWORD 0x40
#define RRF_RT_ANY 0xffff
#define RRF_NOEXPAND 0x10000000
#define RRF_ZEROONFAILURE 0x20000000
#define RRF_SUBKEY_WOW6432KEY 0x00020000

#define ADV_ERROR_BADKEY 1010
#define ADV_ERROR_NO_MORE_ITEMS 259
#define ADV_ERROR_UNSUPPORTED_TYPE 1630
#define ADV_ERROR_DATATYPE_MISMATCH 1629

#define ADV_STATUS_PENDING ((NTSTATUS)0x00000103)

enum { KeyBasicInformation, KeyNodeInformation, KeyFullInformation };
enum { KeyValueBasicInformation, KeyValueFullInformation, KeyValuePartialInformation };

DWORD WINAPI ExpandEnvironmentStringsW(const WCHAR *src, WCHAR *dst, DWORD size); /* kernel32 */

static LSTATUS adv_err(NTSTATUS st) { return (LSTATUS)nt_status_to_win32(st); }

static size_t wlen(const WCHAR *s) { return s ? nt_wcslen(s) : 0; }

static void ustr(UNICODE_STRING *us, const WCHAR *s, size_t n)
{
    us->Length = us->MaximumLength = (uint16_t)(n * 2);
    us->Buffer = (WCHAR *)s;
}

/* ---- predefined keys ---- */
static HANDLE adv_predef[7];

static bool is_predef(HKEY k, unsigned *idx)
{
    uint64_t v = (uint64_t)(uintptr_t)k;
    uint32_t hi = (uint32_t)(v >> 32), lo = (uint32_t)v;
    if ((hi != 0 && hi != 0xffffffffu) || lo < 0x80000000u || lo > 0x80000006u)
        return false;
    *idx = lo - 0x80000000u;
    return true;
}

static NTSTATUS open_abs(const WCHAR *path, uint32_t access, HANDLE *out)
{
    UNICODE_STRING us;
    OBJECT_ATTRIBUTES oa = {.Length = sizeof oa, .ObjectName = &us,
                            .Attributes = OBJ_CASE_INSENSITIVE};
    ustr(&us, path, nt_wcslen(path));
    return NtOpenKeyEx(out, access, &oa, 0);
}

/* The NT handle behind hkey (a predefined key is opened the first time). */
static LSTATUS real_key(HKEY hkey, HANDLE *out)
{
    unsigned i;
    if (!hkey)
        return ERROR_INVALID_HANDLE;
    if (!is_predef(hkey, &i)) {
        *out = hkey;
        return ERROR_SUCCESS;
    }
    HANDLE h = __atomic_load_n(&adv_predef[i], __ATOMIC_ACQUIRE);
    if (h) {
        *out = i == 0 ? adv_hkcr_tag(h) : h;
        return ERROR_SUCCESS;
    }
    WCHAR path[128];
    const char *p;
    char sid[96];
    switch (i) {
    case 0: p = "\\Registry\\Machine\\Software\\Classes"; break;
    case 1: p = NULL; break;
    case 2: p = "\\Registry\\Machine"; break;
    case 3: p = "\\Registry\\User"; break;
    case 5: p = "\\Registry\\Machine\\System\\CurrentControlSet\\Hardware Profiles\\Current"; break;
    default: return ERROR_INVALID_HANDLE; /* HKEY_PERFORMANCE_DATA, HKEY_DYN_DATA */
    }
    char buf[128];
    if (!p) {
        nt_token_user_sid_string(sid, sizeof sid);
        strcpy(buf, "\\Registry\\User\\");
        strcat(buf, sid);
        p = buf;
    }
    size_t n = strlen(p);
    for (size_t k = 0; k <= n; k++)
        path[k] = (WCHAR)p[k];
    NTSTATUS st = open_abs(path, ADV_MAXIMUM_ALLOWED, &h);
    if (st != STATUS_SUCCESS)
        return adv_err(st);
    HANDLE expected = NULL;
    if (!__atomic_compare_exchange_n(&adv_predef[i], &expected, h, false, __ATOMIC_ACQ_REL,
                                     __ATOMIC_ACQUIRE)) {
        NtClose(h); /* another thread was first */
        h = expected;
    }
    *out = i == 0 ? adv_hkcr_tag(h) : h;
    return ERROR_SUCCESS;
}

HANDLE adv_cls_machine_root(void)
{
    HANDLE h;
    if (real_key((HKEY)(uintptr_t)0x80000000u, &h) != ERROR_SUCCESS)
        return NULL;
    return (HANDLE)((uintptr_t)h & ~(uintptr_t)3);
}

static NTSTATUS open_rel_attr(HANDLE root, const WCHAR *name, size_t n, uint32_t access,
                              uint32_t attributes, HANDLE *out)
{
    UNICODE_STRING us;
    OBJECT_ATTRIBUTES oa = {.Length = sizeof oa, .RootDirectory = root, .ObjectName = &us,
                            .Attributes = OBJ_CASE_INSENSITIVE | attributes};
    ustr(&us, name, n);
    return NtOpenKeyEx(out, access, &oa, 0);
}

static NTSTATUS open_rel(HANDLE root, const WCHAR *name, size_t n, uint32_t access, HANDLE *out)
{
    return open_rel_attr(root, name, n, access, 0, out);
}

/* ---- the 32-bit view ---- */
static bool name_is(const WCHAR *s, size_t n, const char *lit)
{
    size_t l = strlen(lit);
    if (n != l)
        return false;
    for (size_t i = 0; i < n; i++) {
        WCHAR c = s[i] >= 'a' && s[i] <= 'z' ? (WCHAR)(s[i] - 32) : s[i];
        if (c != (WCHAR)lit[i])
            return false;
    }
    return true;
}

/* When root\sub lies in HKLM\Software outside Classes and Wow6432Node, the 32-bit view:
 * *w32 is an open handle of \Registry\Machine\Software\Wow6432Node and *rest the part of
 * sub below Software (*rest_len characters). false when the path is not redirected. */
static bool wow64_32_view(HANDLE root, const WCHAR *sub, size_t n, HANDLE *w32,
                          const WCHAR **rest, size_t *rest_len)
{
    uint8_t buf[4 + 2 * 600];
    uint32_t got;
    if (NtQueryKey(root, KeyNameInformation, buf, sizeof buf, &got) != STATUS_SUCCESS)
        return false;
    uint32_t nb;
    memcpy(&nb, buf, 4);
    /* the components of the root's name, then of sub */
    const WCHAR *comp[8];
    size_t clen[8], nc = 0;
    const WCHAR *rn = (const WCHAR *)(buf + 4);
    size_t rl = nb / 2, i = 0;
    const WCHAR *after = NULL; /* where the component after Software starts */
    bool after_in_sub = false;
    for (int part = 0; part < 2 && nc < 4; part++) {
        const WCHAR *p = part ? sub : rn;
        size_t l = part ? n : rl;
        for (i = 0; i < l && nc < 4;) {
            while (i < l && p[i] == '\\')
                i++;
            size_t st = i;
            while (i < l && p[i] != '\\')
                i++;
            if (i == st)
                break;
            comp[nc] = p + st;
            clen[nc++] = i - st;
            if (nc == 4) {
                after = p + st;
                after_in_sub = part == 1;
            }
        }
    }
    if (nc < 3 || !name_is(comp[0], clen[0], "REGISTRY") || !name_is(comp[1], clen[1], "MACHINE") ||
        !name_is(comp[2], clen[2], "SOFTWARE"))
        return false;
    if (nc == 4 &&
        (name_is(comp[3], clen[3], "CLASSES") || name_is(comp[3], clen[3], "WOW6432NODE")))
        return false;
    /* the rest of sub from the component after Software (none: Software itself) */
    if (after && after_in_sub) {
        *rest = after;
        *rest_len = (size_t)(sub + n - after);
    } else if (after) {
        return false; /* the root is below Software already: it was opened in its own view */
    } else {
        *rest = u"";
        *rest_len = 0;
    }
    UNICODE_STRING us;
    OBJECT_ATTRIBUTES oa = {.Length = sizeof oa, .ObjectName = &us,
                            .Attributes = OBJ_CASE_INSENSITIVE};
    static const WCHAR node[] = u"\\Registry\\Machine\\Software\\Wow6432Node";
    ustr(&us, node, nt_wcslen(node));
    return NtCreateKey(w32, ADV_MAXIMUM_ALLOWED, &oa, 0, NULL, 0, NULL) == STATUS_SUCCESS;
}

/* ---- ANSI helpers ---- */
/* A malloc'd UTF-16 copy of an ANSI string; *ok false when out of memory. NULL for NULL. */
static WCHAR *a2w(const char *s, bool *ok)
{
    *ok = true;
    if (!s)
        return NULL;
    WCHAR *w = nt_utf8_to_utf16(s, strlen(s), NULL);
    if (!w)
        *ok = false;
    return w;
}

static bool is_string_type(uint32_t t)
{
    return t == REG_SZ || t == REG_EXPAND_SZ || t == REG_MULTI_SZ;
}

/* ---- open, create, close ---- */
LSTATUS WINAPI RegOpenKeyExW(HKEY hkey, const WCHAR *sub, DWORD options, DWORD access, HKEY *out)
{
    HANDLE root, w32 = NULL;
    if (!out)
        return ERROR_INVALID_PARAMETER;
    *out = NULL;
    LSTATUS r = real_key(hkey, &root);
    if (r)
        return r;
    const WCHAR *name = sub ? sub : u"";
    size_t n = wlen(sub);
    uint32_t attributes = (options & REG_OPTION_OPEN_LINK) ? ADV_OBJ_OPENLINK : 0;
    if (adv_is_hkcr(root))
        return adv_err(adv_cls_open(root, name, n, access & ~KEY_WOW64_MASK, attributes, out));
    if ((access & KEY_WOW64_32KEY) && wow64_32_view(root, name, n, &w32, &name, &n))
        root = w32;
    NTSTATUS st = open_rel_attr(root, name, n, access & ~KEY_WOW64_MASK, attributes, out);
    if (w32)
        NtClose(w32);
    return adv_err(st);
}
THK_EXPORT(advapi32, RegOpenKeyExW, 5);

LSTATUS WINAPI RegOpenKeyExA(HKEY hkey, const char *sub, DWORD options, DWORD access, HKEY *out)
{
    bool ok;
    WCHAR *w = a2w(sub, &ok);
    if (!ok)
        return ERROR_NOT_ENOUGH_MEMORY;
    LSTATUS r = RegOpenKeyExW(hkey, w, options, access, out);
    free(w);
    return r;
}
THK_EXPORT(advapi32, RegOpenKeyExA, 5);

LSTATUS WINAPI RegOpenKeyW(HKEY hkey, const WCHAR *sub, HKEY *out)
{
    if (!out)
        return ERROR_INVALID_PARAMETER;
    if (!sub || !*sub) { /* the key itself, as given */
        *out = hkey;
        return ERROR_SUCCESS;
    }
    return RegOpenKeyExW(hkey, sub, 0, ADV_MAXIMUM_ALLOWED, out);
}
THK_EXPORT(advapi32, RegOpenKeyW, 3);

LSTATUS WINAPI RegOpenKeyA(HKEY hkey, const char *sub, HKEY *out)
{
    if (!out)
        return ERROR_INVALID_PARAMETER;
    if (!sub || !*sub) {
        *out = hkey;
        return ERROR_SUCCESS;
    }
    return RegOpenKeyExA(hkey, sub, 0, ADV_MAXIMUM_ALLOWED, out);
}
THK_EXPORT(advapi32, RegOpenKeyA, 3);

LSTATUS WINAPI RegOpenCurrentUser(DWORD access, HKEY *out)
{
    HANDLE h;
    if (!out)
        return ERROR_INVALID_PARAMETER;
    LSTATUS r = real_key((HKEY)(uintptr_t)0x80000001u, &h);
    if (r)
        return r;
    return adv_err(open_rel(h, u"", 0, access, out));
}
THK_EXPORT(advapi32, RegOpenCurrentUser, 2);

static LSTATUS create_class_key(HANDLE root, const WCHAR *sub, size_t n, WCHAR *cls,
                                DWORD options, DWORD access, void *sa, HKEY *out, DWORD *disp);

LSTATUS WINAPI RegCreateKeyExW(HKEY hkey, const WCHAR *sub, DWORD reserved, WCHAR *cls,
                               DWORD options, DWORD access, void *sa, HKEY *out, DWORD *disp)
{
    HANDLE root, cur;
    (void)reserved;
    (void)sa;
    if (!out)
        return ERROR_INVALID_PARAMETER;
    *out = NULL;
    LSTATUS r = real_key(hkey, &root);
    if (r)
        return r;
    size_t n = wlen(sub);
    if (n && sub[0] == '\\')
        return ERROR_BAD_PATHNAME;
    if (adv_is_hkcr(root))
        return create_class_key(root, sub, n, cls, options, access, sa, out, disp);
    HANDLE w32 = NULL;
    if ((access & KEY_WOW64_32KEY) && wow64_32_view(root, sub ? sub : u"", n, &w32, &sub, &n))
        root = w32;
    access &= ~KEY_WOW64_MASK;
    /* NtCreateKey makes one level: walk the path, creating what is missing */
    size_t i = 0;
    cur = root;
    uint32_t d = REG_OPENED_EXISTING_KEY;
    UNICODE_STRING cus;
    ustr(&cus, cls, wlen(cls));
    do {
        while (i < n && sub[i] == '\\')
            i++;
        size_t start = i;
        while (i < n && sub[i] != '\\')
            i++;
        size_t j = i;
        while (j < n && sub[j] == '\\')
            j++;
        bool last = j >= n;
        UNICODE_STRING us;
        OBJECT_ATTRIBUTES oa = {.Length = sizeof oa, .RootDirectory = cur, .ObjectName = &us,
                                .Attributes = OBJ_CASE_INSENSITIVE};
        if (last && (options & REG_OPTION_OPEN_LINK))
            oa.Attributes |= ADV_OBJ_OPENLINK;
        ustr(&us, sub ? sub + start : u"", i - start);
        HANDLE next;
        uint32_t opt = last ? options & ~(uint32_t)REG_OPTION_OPEN_LINK
                            : options & ~(uint32_t)(REG_OPTION_CREATE_LINK | REG_OPTION_OPEN_LINK);
        NTSTATUS st = NtCreateKey(&next, last ? access : ADV_MAXIMUM_ALLOWED, &oa, 0,
                                  cls ? &cus : NULL, opt, (uint32_t *)&d);
        if (cur != root)
            NtClose(cur);
        if (st != STATUS_SUCCESS) {
            if (w32)
                NtClose(w32);
            return adv_err(st);
        }
        cur = next;
        i = j;
    } while (i < n);
    if (w32 && cur == w32) { /* the Software key itself: keep the handle */
        w32 = NULL;
    }
    if (w32)
        NtClose(w32);
    *out = cur;
    if (disp)
        *disp = d;
    return ERROR_SUCCESS;
}
THK_EXPORT(advapi32, RegCreateKeyExW, 9);

/* Below an HKCR key: the key the merged view has (the user's first), else a new one in the
 * machine's classes, as Windows writes new keys there. */
static LSTATUS create_class_key(HANDLE root, const WCHAR *sub, size_t n, WCHAR *cls,
                                DWORD options, DWORD access, void *sa, HKEY *out, DWORD *disp)
{
    uint32_t attributes = (options & REG_OPTION_OPEN_LINK) ? ADV_OBJ_OPENLINK : 0;
    NTSTATUS st = STATUS_OBJECT_NAME_NOT_FOUND;
    if (!(options & REG_OPTION_CREATE_LINK))
        st = adv_cls_open(root, sub ? sub : u"", n, access & ~KEY_WOW64_MASK, attributes, out);
    if (st == STATUS_SUCCESS) {
        if (disp)
            *disp = REG_OPENED_EXISTING_KEY;
        return ERROR_SUCCESS;
    }
    if (st != STATUS_OBJECT_NAME_NOT_FOUND && st != STATUS_OBJECT_PATH_NOT_FOUND)
        return adv_err(st);
    WCHAR *path;
    size_t len;
    HANDLE machine = adv_cls_machine_root();
    st = adv_cls_machine_path(root, sub ? sub : u"", n, &path, &len);
    if (st != STATUS_SUCCESS || !machine)
        return st != STATUS_SUCCESS ? adv_err(st) : ERROR_FILE_NOT_FOUND;
    LSTATUS r = RegCreateKeyExW(machine, path, 0, cls, options, access & ~KEY_WOW64_MASK, sa,
                                out, disp);
    free(path);
    if (r == ERROR_SUCCESS)
        *out = adv_hkcr_tag(*out);
    return r;
}

LSTATUS WINAPI RegCreateKeyExA(HKEY hkey, const char *sub, DWORD reserved, char *cls,
                               DWORD options, DWORD access, void *sa, HKEY *out, DWORD *disp)
{
    bool ok1, ok2;
    WCHAR *w = a2w(sub, &ok1), *c = a2w(cls, &ok2);
    LSTATUS r = ok1 && ok2 ? RegCreateKeyExW(hkey, w, reserved, c, options, access, sa, out, disp)
                           : ERROR_NOT_ENOUGH_MEMORY;
    free(w);
    free(c);
    return r;
}
THK_EXPORT(advapi32, RegCreateKeyExA, 9);

LSTATUS WINAPI RegCreateKeyW(HKEY hkey, const WCHAR *sub, HKEY *out)
{
    return RegCreateKeyExW(hkey, sub, 0, NULL, 0, ADV_MAXIMUM_ALLOWED, NULL, out, NULL);
}
THK_EXPORT(advapi32, RegCreateKeyW, 3);

LSTATUS WINAPI RegCreateKeyA(HKEY hkey, const char *sub, HKEY *out)
{
    return RegCreateKeyExA(hkey, sub, 0, NULL, 0, ADV_MAXIMUM_ALLOWED, NULL, out, NULL);
}
THK_EXPORT(advapi32, RegCreateKeyA, 3);

LSTATUS WINAPI RegCloseKey(HKEY hkey)
{
    unsigned i;
    if (!hkey)
        return ERROR_INVALID_HANDLE;
    if (is_predef(hkey, &i))
        return ERROR_SUCCESS;
    if (adv_is_hkcr(hkey))
        adv_cls_forget(hkey);
    return adv_err(NtClose(hkey));
}
THK_EXPORT(advapi32, RegCloseKey, 1);

LSTATUS WINAPI RegFlushKey(HKEY hkey)
{
    HANDLE h;
    LSTATUS r = real_key(hkey, &h);
    return r ? r : adv_err(NtFlushKey(h));
}
THK_EXPORT(advapi32, RegFlushKey, 1);

/* ---- values ---- */
/* The value's type and data (malloc'd) by name. */
static NTSTATUS query_value_in(HANDLE h, const WCHAR *name, uint32_t *type, uint8_t **data,
                               uint32_t *size);

/* An HKCR key's value comes from the user's key, else from the machine's. */
static NTSTATUS query_value(HANDLE h, const WCHAR *name, uint32_t *type, uint8_t **data,
                            uint32_t *size)
{
    if (!adv_is_hkcr(h))
        return query_value_in(h, name, type, data, size);
    HANDLE pair[2];
    adv_cls_pair(h, KEY_QUERY_VALUE, pair);
    NTSTATUS st = STATUS_OBJECT_NAME_NOT_FOUND;
    for (int i = 0; i < 2 && st == STATUS_OBJECT_NAME_NOT_FOUND; i++)
        if (pair[i])
            st = query_value_in(pair[i], name, type, data, size);
    adv_cls_pair_close(h, pair);
    return st;
}

static NTSTATUS query_value_in(HANDLE h, const WCHAR *name, uint32_t *type, uint8_t **data,
                               uint32_t *size)
{
    UNICODE_STRING us;
    ustr(&us, name ? name : u"", wlen(name));
    uint32_t len = 256, need = 0;
    *data = NULL;
    for (;;) {
        uint8_t *buf = malloc(len);
        if (!buf)
            return STATUS_NO_MEMORY;
        NTSTATUS st = NtQueryValueKey(h, &us, KeyValuePartialInformation, buf, len, &need);
        if (st == STATUS_SUCCESS) {
            memcpy(type, buf + 4, 4);
            memcpy(size, buf + 8, 4);
            memmove(buf, buf + 12, *size);
            *data = buf;
            return STATUS_SUCCESS;
        }
        free(buf);
        if (st != STATUS_BUFFER_OVERFLOW && st != STATUS_BUFFER_TOO_SMALL)
            return st;
        len = need;
    }
}

LSTATUS WINAPI RegQueryValueExW(HKEY hkey, const WCHAR *name, DWORD *reserved, DWORD *type,
                                BYTE *data, DWORD *count)
{
    HANDLE h;
    if ((data && !count) || reserved)
        return ERROR_INVALID_PARAMETER;
    LSTATUS r = real_key(hkey, &h);
    if (r)
        return r;
    uint32_t t, size;
    uint8_t *buf;
    NTSTATUS st = query_value(h, name, &t, &buf, &size);
    if (st != STATUS_SUCCESS)
        return adv_err(st);
    if (type)
        *type = t;
    if (data) {
        if (*count < size)
            r = ERROR_MORE_DATA;
        else
            memcpy(data, buf, size);
    }
    if (count)
        *count = size;
    free(buf);
    return r;
}
THK_EXPORT(advapi32, RegQueryValueExW, 6);

/* String data converted to ANSI (in place of buf, re-allocated). */
static bool data_to_ansi(uint8_t **buf, uint32_t *size)
{
    size_t alen;
    char *a = nt_utf16_to_utf8((const WCHAR *)*buf, *size / 2, &alen);
    if (!a)
        return false;
    free(*buf);
    *buf = (uint8_t *)a;
    *size = (uint32_t)alen;
    return true;
}

LSTATUS WINAPI RegQueryValueExA(HKEY hkey, const char *name, DWORD *reserved, DWORD *type,
                                BYTE *data, DWORD *count)
{
    HANDLE h;
    bool ok;
    if ((data && !count) || reserved)
        return ERROR_INVALID_PARAMETER;
    LSTATUS r = real_key(hkey, &h);
    if (r)
        return r;
    WCHAR *w = a2w(name, &ok);
    if (!ok)
        return ERROR_NOT_ENOUGH_MEMORY;
    uint32_t t, size;
    uint8_t *buf;
    NTSTATUS st = query_value(h, w, &t, &buf, &size);
    free(w);
    if (st != STATUS_SUCCESS)
        return adv_err(st);
    if (is_string_type(t) && !data_to_ansi(&buf, &size)) {
        free(buf);
        return ERROR_NOT_ENOUGH_MEMORY;
    }
    if (type)
        *type = t;
    if (data) {
        if (*count < size)
            r = ERROR_MORE_DATA;
        else
            memcpy(data, buf, size);
    }
    if (count)
        *count = size;
    free(buf);
    return r;
}
THK_EXPORT(advapi32, RegQueryValueExA, 6);

/* ---- RegQueryMultipleValuesW/A over NtQueryMultipleValueKey ---- */
typedef struct {
    void *ve_valuename;   /* 0x00 LPWSTR / LPSTR */
    DWORD ve_valuelen;    /* 0x08 */
    uintptr_t ve_valueptr; /* 0x10 */
    DWORD ve_type;        /* 0x18 */
} adv_valent;
_Static_assert(sizeof(adv_valent) == 32, "VALENT");

typedef struct {
    UNICODE_STRING *ValueName; /* 0x00 */
    uint32_t DataLength;       /* 0x08 */
    uint32_t DataOffset;       /* 0x0c */
    uint32_t Type;             /* 0x10 */
} adv_value_entry;
_Static_assert(sizeof(adv_value_entry) == 24, "KEY_VALUE_ENTRY");

/* All the values at once into buf (avail bytes; *total gets the size needed): each value's
 * data at a ULONG-aligned offset, e[] filled in. names[i] are UTF-16. */
static NTSTATUS query_multiple(HANDLE h, WCHAR *const *names, DWORD n, adv_value_entry *e,
                               UNICODE_STRING *us, void *buf, uint32_t avail, uint32_t *total)
{
    for (DWORD i = 0; i < n; i++) {
        ustr(&us[i], names[i] ? names[i] : u"", wlen(names[i]));
        e[i].ValueName = &us[i];
    }
    uint32_t len = avail;
    *total = 0;
    return NtQueryMultipleValueKey(h, e, n, buf, &len, total);
}

/* A NULL buffer (with *total_size 0) or one too small: ERROR_MORE_DATA and the size needed. */
LSTATUS WINAPI RegQueryMultipleValuesW(HKEY hkey, adv_valent *list, DWORD n, WCHAR *buf,
                                       DWORD *total_size)
{
    HANDLE h;
    if (!list || !total_size)
        return ERROR_INVALID_PARAMETER;
    LSTATUS r = real_key(hkey, &h);
    if (r)
        return r;
    adv_value_entry *e = calloc(n ? n : 1, sizeof *e);
    UNICODE_STRING *us = calloc(n ? n : 1, sizeof *us);
    WCHAR **names = calloc(n ? n : 1, sizeof *names);
    if (!e || !us || !names) {
        r = ERROR_NOT_ENOUGH_MEMORY;
        goto out;
    }
    for (DWORD i = 0; i < n; i++)
        names[i] = list[i].ve_valuename;
    uint32_t total;
    NTSTATUS st = query_multiple(h, names, n, e, us, buf, buf ? *total_size : 0, &total);
    if (st == STATUS_BUFFER_OVERFLOW) {
        *total_size = total;
        r = ERROR_MORE_DATA;
    } else if (st != STATUS_SUCCESS) {
        r = adv_err(st);
    } else {
        for (DWORD i = 0; i < n; i++) {
            list[i].ve_valuelen = e[i].DataLength;
            list[i].ve_valueptr = (uintptr_t)buf + e[i].DataOffset;
            list[i].ve_type = e[i].Type;
        }
        *total_size = total;
    }
out:
    free(names);
    free(us);
    free(e);
    return r;
}
THK_EXPORT(advapi32, RegQueryMultipleValuesW, 5);

/* The ANSI form: names converted in, string data (REG_SZ, REG_EXPAND_SZ, REG_MULTI_SZ)
 * converted out, each value's data at a ULONG-aligned offset as in the wide form. */
LSTATUS WINAPI RegQueryMultipleValuesA(HKEY hkey, adv_valent *list, DWORD n, char *buf,
                                       DWORD *total_size)
{
    HANDLE h;
    bool ok = true;
    if (!list || !total_size)
        return ERROR_INVALID_PARAMETER;
    LSTATUS r = real_key(hkey, &h);
    if (r)
        return r;
    adv_value_entry *e = calloc(n ? n : 1, sizeof *e);
    UNICODE_STRING *us = calloc(n ? n : 1, sizeof *us);
    WCHAR **names = calloc(n ? n : 1, sizeof *names);
    uint8_t **conv = calloc(n ? n : 1, sizeof *conv);
    uint32_t *sizes = calloc(n ? n : 1, sizeof *sizes);
    uint8_t *wbuf = NULL;
    if (!e || !us || !names || !conv || !sizes) {
        r = ERROR_NOT_ENOUGH_MEMORY;
        goto out;
    }
    for (DWORD i = 0; i < n && ok; i++)
        names[i] = a2w(list[i].ve_valuename, &ok);
    if (!ok) {
        r = ERROR_NOT_ENOUGH_MEMORY;
        goto out;
    }
    uint32_t wtotal = 0, avail = 0;
    NTSTATUS st;
    do { /* the wide data, all of it */
        free(wbuf);
        avail = wtotal;
        if (!(wbuf = malloc(avail ? avail : 1))) {
            r = ERROR_NOT_ENOUGH_MEMORY;
            goto out;
        }
        st = query_multiple(h, names, n, e, us, wbuf, avail, &wtotal);
    } while (st == STATUS_BUFFER_OVERFLOW);
    if (st != STATUS_SUCCESS) {
        r = adv_err(st);
        goto out;
    }
    uint64_t total = 0;
    for (DWORD i = 0; i < n; i++) {
        sizes[i] = e[i].DataLength;
        if (!(conv[i] = malloc(sizes[i] ? sizes[i] : 1))) {
            r = ERROR_NOT_ENOUGH_MEMORY;
            goto out;
        }
        memcpy(conv[i], wbuf + e[i].DataOffset, sizes[i]);
        if (is_string_type(e[i].Type) && !data_to_ansi(&conv[i], &sizes[i])) {
            r = ERROR_NOT_ENOUGH_MEMORY;
            goto out;
        }
        total = ((total + 3) & ~(uint64_t)3) + sizes[i];
    }
    if (!buf || total > *total_size) {
        *total_size = (DWORD)total;
        r = ERROR_MORE_DATA;
        goto out;
    }
    uint32_t off = 0;
    for (DWORD i = 0; i < n; i++) {
        off = (off + 3) & ~3u;
        memcpy(buf + off, conv[i], sizes[i]);
        list[i].ve_valuelen = sizes[i];
        list[i].ve_valueptr = (uintptr_t)buf + off;
        list[i].ve_type = e[i].Type;
        off += sizes[i];
    }
    *total_size = (DWORD)total;
out:
    for (DWORD i = 0; names && i < n; i++)
        free(names[i]);
    for (DWORD i = 0; conv && i < n; i++)
        free(conv[i]);
    free(conv);
    free(sizes);
    free(wbuf);
    free(names);
    free(us);
    free(e);
    return r;
}
THK_EXPORT(advapi32, RegQueryMultipleValuesA, 5);

LSTATUS WINAPI RegSetValueExW(HKEY hkey, const WCHAR *name, DWORD reserved, DWORD type,
                              const BYTE *data, DWORD count)
{
    HANDLE h;
    (void)reserved;
    if (count && !data)
        return ERROR_NOACCESS;
    LSTATUS r = real_key(hkey, &h);
    if (r)
        return r;
    if (count >= 2 && is_string_type(type)) {
        /* a string counted without its terminator gets it (NT does this) */
        const WCHAR *s = (const WCHAR *)data;
        if (s[count / 2 - 1] && !s[count / 2])
            count += 2;
    }
    UNICODE_STRING us;
    ustr(&us, name ? name : u"", wlen(name));
    if (!adv_is_hkcr(h))
        return adv_err(NtSetValueKey(h, &us, 0, type, data, count));
    /* an HKCR key's values are written in the user's key when there is one */
    HANDLE pair[2];
    adv_cls_pair(h, KEY_SET_VALUE, pair);
    NTSTATUS st = NtSetValueKey(pair[0] ? pair[0] : pair[1], &us, 0, type, data, count);
    adv_cls_pair_close(h, pair);
    return adv_err(st);
}
THK_EXPORT(advapi32, RegSetValueExW, 6);

LSTATUS WINAPI RegSetValueExA(HKEY hkey, const char *name, DWORD reserved, DWORD type,
                              const BYTE *data, DWORD count)
{
    bool ok;
    if (count && !data)
        return ERROR_NOACCESS;
    WCHAR *w = a2w(name, &ok);
    if (!ok)
        return ERROR_NOT_ENOUGH_MEMORY;
    LSTATUS r;
    if (count && is_string_type(type)) {
        if (data[count - 1] && !data[count])
            count++;
        size_t wl;
        WCHAR *wd = nt_utf8_to_utf16((const char *)data, count, &wl);
        if (!wd) {
            free(w);
            return ERROR_NOT_ENOUGH_MEMORY;
        }
        r = RegSetValueExW(hkey, w, reserved, type, (const BYTE *)wd, (DWORD)(wl * 2));
        free(wd);
    } else {
        r = RegSetValueExW(hkey, w, reserved, type, data, count);
    }
    free(w);
    return r;
}
THK_EXPORT(advapi32, RegSetValueExA, 6);

LSTATUS WINAPI RegSetKeyValueW(HKEY hkey, const WCHAR *sub, const WCHAR *name, DWORD type,
                               const void *data, DWORD count)
{
    HKEY k = hkey;
    if (sub && *sub) {
        LSTATUS r = RegCreateKeyExW(hkey, sub, 0, NULL, 0, KEY_SET_VALUE, NULL, &k, NULL);
        if (r)
            return r;
    }
    LSTATUS r = RegSetValueExW(k, name, 0, type, data, count);
    if (k != hkey)
        RegCloseKey(k);
    return r;
}
THK_EXPORT(advapi32, RegSetKeyValueW, 6);

LSTATUS WINAPI RegDeleteValueW(HKEY hkey, const WCHAR *name)
{
    HANDLE h;
    LSTATUS r = real_key(hkey, &h);
    if (r)
        return r;
    UNICODE_STRING us;
    ustr(&us, name ? name : u"", wlen(name));
    if (!adv_is_hkcr(h))
        return adv_err(NtDeleteValueKey(h, &us));
    /* the value the merged view shows: the user's, else the machine's */
    HANDLE pair[2];
    adv_cls_pair(h, KEY_SET_VALUE, pair);
    NTSTATUS st = STATUS_OBJECT_NAME_NOT_FOUND;
    for (int i = 0; i < 2 && st == STATUS_OBJECT_NAME_NOT_FOUND; i++)
        if (pair[i])
            st = NtDeleteValueKey(pair[i], &us);
    adv_cls_pair_close(h, pair);
    return adv_err(st);
}
THK_EXPORT(advapi32, RegDeleteValueW, 2);

LSTATUS WINAPI RegDeleteValueA(HKEY hkey, const char *name)
{
    bool ok;
    WCHAR *w = a2w(name, &ok);
    LSTATUS r = ok ? RegDeleteValueW(hkey, w) : ERROR_NOT_ENOUGH_MEMORY;
    free(w);
    return r;
}
THK_EXPORT(advapi32, RegDeleteValueA, 2);

LSTATUS WINAPI RegDeleteKeyValueW(HKEY hkey, const WCHAR *sub, const WCHAR *name)
{
    HKEY k = hkey;
    if (sub && *sub) {
        LSTATUS r = RegOpenKeyExW(hkey, sub, 0, KEY_SET_VALUE, &k);
        if (r)
            return r;
    }
    LSTATUS r = RegDeleteValueW(k, name);
    if (k != hkey)
        RegCloseKey(k);
    return r;
}
THK_EXPORT(advapi32, RegDeleteKeyValueW, 3);

/* ---- RegGetValue ---- */
static uint32_t rrf_bit(uint32_t type)
{
    switch (type) {
    case REG_NONE: return RRF_RT_REG_NONE;
    case REG_SZ: return RRF_RT_REG_SZ;
    case REG_EXPAND_SZ: return RRF_RT_REG_EXPAND_SZ;
    case REG_BINARY: return RRF_RT_REG_BINARY;
    case REG_DWORD: return RRF_RT_REG_DWORD;
    case REG_MULTI_SZ: return RRF_RT_REG_MULTI_SZ;
    case REG_QWORD: return RRF_RT_REG_QWORD;
    default: return 0;
    }
}

/* RegGetValueW's core on the value's data (wide): type check, expansion, terminators. */
static LSTATUS get_value(HANDLE h, const WCHAR *name, DWORD flags, DWORD *ptype, void *out,
                         DWORD *pcb)
{
    uint32_t t, size;
    uint8_t *buf;
    NTSTATUS st = query_value(h, name, &t, &buf, &size);
    if (st != STATUS_SUCCESS)
        return adv_err(st);
    LSTATUS r = ERROR_SUCCESS;
    if (t == REG_EXPAND_SZ && !(flags & RRF_NOEXPAND)) {
        size_t n = size / 2;
        WCHAR *src = malloc((n + 1) * 2);
        if (!src) {
            free(buf);
            return ERROR_NOT_ENOUGH_MEMORY;
        }
        memcpy(src, buf, n * 2);
        src[n] = 0;
        DWORD need = ExpandEnvironmentStringsW(src, NULL, 0);
        WCHAR *dst = malloc((need ? need : 1) * 2);
        if (dst && need)
            ExpandEnvironmentStringsW(src, dst, need);
        free(src);
        if (!dst) {
            free(buf);
            return ERROR_NOT_ENOUGH_MEMORY;
        }
        free(buf);
        buf = (uint8_t *)dst;
        size = need * 2;
        t = REG_SZ;
    }
    /* REG_BINARY of the right size counts as a DWORD or QWORD when asked for one */
    uint32_t bit = rrf_bit(t);
    if (t == REG_BINARY && (flags & RRF_RT_ANY) != RRF_RT_ANY) {
        if ((flags & RRF_RT_REG_DWORD) && size == 4)
            bit = RRF_RT_REG_DWORD;
        else if ((flags & RRF_RT_REG_QWORD) && size == 8)
            bit = RRF_RT_REG_QWORD;
    }
    if ((flags & RRF_RT_ANY) != RRF_RT_ANY && !(flags & bit))
        r = ADV_ERROR_UNSUPPORTED_TYPE;
    else if (((flags & RRF_RT_ANY) != RRF_RT_ANY) &&
             ((bit == RRF_RT_REG_DWORD && size != 4) || (bit == RRF_RT_REG_QWORD && size != 8)))
        r = ADV_ERROR_DATATYPE_MISMATCH;
    if (r) {
        free(buf);
        return r;
    }
    /* strings come back terminated (MULTI_SZ: doubly) */
    uint32_t need = size;
    const WCHAR *s = (const WCHAR *)buf;
    size_t n = size / 2;
    if (t == REG_SZ || t == REG_EXPAND_SZ) {
        need = (uint32_t)(n * 2);
        if (!n || s[n - 1])
            need += 2;
    } else if (t == REG_MULTI_SZ) {
        size_t z = 0;
        while (z < 2 && z < n && s[n - 1 - z] == 0)
            z++;
        need = (n == 0 || (n == 1 && z == 1)) ? 2 : (uint32_t)((n + 2 - z) * 2);
    }
    if (ptype)
        *ptype = t;
    if (out) {
        if (*pcb < need) {
            r = ERROR_MORE_DATA;
        } else {
            memset(out, 0, need);
            memcpy(out, buf, size < need ? size : need);
        }
    }
    if (pcb)
        *pcb = need;
    free(buf);
    return r;
}

LSTATUS WINAPI RegGetValueW(HKEY hkey, const WCHAR *sub, const WCHAR *name, DWORD flags,
                            DWORD *type, void *data, DWORD *count)
{
    HKEY k = hkey;
    DWORD cap = count ? *count : 0;
    if ((data && !count) || !(flags & RRF_RT_ANY) ||
        ((flags & RRF_RT_REG_EXPAND_SZ) && !(flags & RRF_NOEXPAND) &&
         (flags & RRF_RT_ANY) != RRF_RT_ANY))
        return ERROR_INVALID_PARAMETER;
    LSTATUS r = ERROR_SUCCESS;
    if (sub && *sub)
        r = RegOpenKeyExW(hkey, sub, 0,
                          KEY_QUERY_VALUE | ((flags & RRF_SUBKEY_WOW6432KEY) ? KEY_WOW64_32KEY : 0),
                          &k);
    HANDLE h;
    if (!r)
        r = real_key(k, &h);
    if (!r)
        r = get_value(h, name, flags, type, data, count);
    if (k != hkey)
        RegCloseKey(k);
    if (r && data && (flags & RRF_ZEROONFAILURE))
        memset(data, 0, cap);
    return r;
}
THK_EXPORT(advapi32, RegGetValueW, 7);

LSTATUS WINAPI RegGetValueA(HKEY hkey, const char *sub, const char *name, DWORD flags,
                            DWORD *type, void *data, DWORD *count)
{
    bool ok1, ok2;
    WCHAR *ws = a2w(sub, &ok1), *wn = a2w(name, &ok2);
    LSTATUS r;
    DWORD t = 0, cap = count ? *count : 0;
    if (!ok1 || !ok2) {
        r = ERROR_NOT_ENOUGH_MEMORY;
        goto out;
    }
    if (data && !count) {
        r = ERROR_INVALID_PARAMETER;
        goto out;
    }
    /* ask for the wide data, then convert strings */
    DWORD wsize = 0;
    r = RegGetValueW(hkey, ws, wn, flags & ~RRF_ZEROONFAILURE, &t, NULL, &wsize);
    if (r)
        goto out;
    uint8_t *buf = malloc(wsize ? wsize : 1);
    if (!buf) {
        r = ERROR_NOT_ENOUGH_MEMORY;
        goto out;
    }
    r = RegGetValueW(hkey, ws, wn, flags & ~RRF_ZEROONFAILURE, &t, buf, &wsize);
    uint32_t size = wsize;
    if (!r && is_string_type(t) && !data_to_ansi(&buf, &size))
        r = ERROR_NOT_ENOUGH_MEMORY;
    if (!r) {
        if (type)
            *type = t;
        if (data) {
            if (cap < size)
                r = ERROR_MORE_DATA;
            else
                memcpy(data, buf, size);
        }
        if (count)
            *count = size;
    }
    free(buf);
out:
    if (r && data && (flags & RRF_ZEROONFAILURE))
        memset(data, 0, cap);
    free(ws);
    free(wn);
    return r;
}
THK_EXPORT(advapi32, RegGetValueA, 7);

/* ---- deleting keys ---- */
LSTATUS WINAPI RegDeleteKeyExW(HKEY hkey, const WCHAR *sub, DWORD access, DWORD reserved)
{
    HKEY k;
    (void)reserved;
    if (!sub)
        return ERROR_INVALID_PARAMETER;
    LSTATUS r = RegOpenKeyExW(hkey, sub, 0, ADV_DELETE | (access & KEY_WOW64_MASK), &k);
    if (r)
        return r;
    r = adv_err(NtDeleteKey(k));
    NtClose(k);
    return r;
}
THK_EXPORT(advapi32, RegDeleteKeyExW, 4);

LSTATUS WINAPI RegDeleteKeyW(HKEY hkey, const WCHAR *sub)
{
    return RegDeleteKeyExW(hkey, sub, 0, 0);
}
THK_EXPORT(advapi32, RegDeleteKeyW, 2);

LSTATUS WINAPI RegDeleteKeyExA(HKEY hkey, const char *sub, DWORD access, DWORD reserved)
{
    bool ok;
    if (!sub)
        return ERROR_INVALID_PARAMETER;
    WCHAR *w = a2w(sub, &ok);
    LSTATUS r = ok ? RegDeleteKeyExW(hkey, w, access, reserved) : ERROR_NOT_ENOUGH_MEMORY;
    free(w);
    return r;
}
THK_EXPORT(advapi32, RegDeleteKeyExA, 4);

LSTATUS WINAPI RegDeleteKeyA(HKEY hkey, const char *sub)
{
    return RegDeleteKeyExA(hkey, sub, 0, 0);
}
THK_EXPORT(advapi32, RegDeleteKeyA, 2);

/* The name of subkey `index` (malloc'd), or a status. */
static NTSTATUS enum_key(HANDLE h, uint32_t index, uint32_t klass, uint8_t **out)
{
    uint32_t len = 512, need = 0;
    for (;;) {
        uint8_t *buf = malloc(len);
        if (!buf)
            return STATUS_NO_MEMORY;
        NTSTATUS st = NtEnumerateKey(h, index, klass, buf, len, &need);
        if (st == STATUS_SUCCESS) {
            *out = buf;
            return st;
        }
        free(buf);
        if (st != STATUS_BUFFER_OVERFLOW && st != STATUS_BUFFER_TOO_SMALL)
            return st;
        len = need;
    }
}

LSTATUS WINAPI RegDeleteTreeW(HKEY hkey, const WCHAR *sub)
{
    HKEY k = hkey;
    LSTATUS r;
    if (sub) {
        r = RegOpenKeyExW(hkey, sub, 0, KEY_READ | KEY_SET_VALUE, &k);
        if (r)
            return r;
    }
    HANDLE h;
    r = real_key(k, &h);
    while (!r) {
        uint8_t *info;
        NTSTATUS st = enum_key(h, 0, KeyBasicInformation, &info);
        if (st != STATUS_SUCCESS) {
            if (st != (NTSTATUS)0x8000001A) /* STATUS_NO_MORE_ENTRIES */
                r = adv_err(st);
            break;
        }
        uint32_t nb;
        memcpy(&nb, info + 12, 4);
        WCHAR *name = malloc(nb + 2);
        if (!name) {
            free(info);
            r = ERROR_NOT_ENOUGH_MEMORY;
            break;
        }
        memcpy(name, info + 16, nb);
        name[nb / 2] = 0;
        free(info);
        r = RegDeleteTreeW(k, name);
        free(name);
    }
    if (!r) {
        if (sub) {
            r = RegDeleteKeyW(hkey, sub);
        } else {
            for (;;) { /* the values of the key itself */
                uint8_t buf[600];
                uint32_t need;
                NTSTATUS st = NtEnumerateValueKey(h, 0, KeyValueBasicInformation, buf,
                                                  sizeof buf, &need);
                uint8_t *p = buf, *big = NULL;
                if (st == STATUS_BUFFER_OVERFLOW || st == STATUS_BUFFER_TOO_SMALL) {
                    big = malloc(need);
                    if (!big) {
                        r = ERROR_NOT_ENOUGH_MEMORY;
                        break;
                    }
                    st = NtEnumerateValueKey(h, 0, KeyValueBasicInformation, big, need, &need);
                    p = big;
                }
                if (st != STATUS_SUCCESS) {
                    free(big);
                    if (st != (NTSTATUS)0x8000001A)
                        r = adv_err(st);
                    break;
                }
                uint32_t nb;
                memcpy(&nb, p + 8, 4);
                UNICODE_STRING us;
                ustr(&us, (const WCHAR *)(p + 12), nb / 2);
                st = NtDeleteValueKey(h, &us);
                free(big);
                if (st != STATUS_SUCCESS) {
                    r = adv_err(st);
                    break;
                }
            }
        }
    }
    if (k != hkey)
        RegCloseKey(k);
    return r;
}
THK_EXPORT(advapi32, RegDeleteTreeW, 2);

LSTATUS WINAPI RegDeleteTreeA(HKEY hkey, const char *sub)
{
    bool ok;
    WCHAR *w = a2w(sub, &ok);
    LSTATUS r = ok ? RegDeleteTreeW(hkey, w) : ERROR_NOT_ENOUGH_MEMORY;
    free(w);
    return r;
}
THK_EXPORT(advapi32, RegDeleteTreeA, 2);

LSTATUS WINAPI RegRenameKey(HKEY hkey, const WCHAR *sub, const WCHAR *new_name)
{
    HANDLE root, k;
    if (!new_name)
        return ERROR_INVALID_PARAMETER;
    LSTATUS r = real_key(hkey, &root);
    if (r)
        return r;
    k = root;
    if (sub && *sub) {
        NTSTATUS st = open_rel(root, sub, wlen(sub), KEY_SET_VALUE | KEY_CREATE_SUB_KEY, &k);
        if (st != STATUS_SUCCESS)
            return adv_err(st);
    }
    UNICODE_STRING us;
    ustr(&us, new_name, wlen(new_name));
    r = adv_err(NtRenameKey(k, &us));
    if (k != root)
        NtClose(k);
    return r;
}
THK_EXPORT(advapi32, RegRenameKey, 3);

/* ---- enumeration ---- */
LSTATUS WINAPI RegEnumKeyExW(HKEY hkey, DWORD index, WCHAR *name, DWORD *name_len,
                             DWORD *reserved, WCHAR *cls, DWORD *cls_len, FILETIME *ft)
{
    HANDLE h;
    if (reserved || !name_len || !name)
        return ERROR_INVALID_PARAMETER;
    LSTATUS r = real_key(hkey, &h);
    if (r)
        return r;
    uint8_t *info;
    NTSTATUS st = STATUS_SUCCESS;
    if (adv_is_hkcr(h))
        st = adv_cls_enum_map(h, false, index, &h, &index);
    if (st == STATUS_SUCCESS)
        st = enum_key(h, index, KeyNodeInformation, &info);
    if (st != STATUS_SUCCESS)
        return adv_err(st);
    uint32_t coff, cb, nb;
    memcpy(&coff, info + 12, 4);
    memcpy(&cb, info + 16, 4);
    memcpy(&nb, info + 20, 4);
    if (nb / 2 >= *name_len || (cls && cls_len && cb / 2 >= *cls_len)) {
        r = ERROR_MORE_DATA;
    } else {
        memcpy(name, info + 24, nb);
        name[nb / 2] = 0;
        *name_len = nb / 2;
        if (cls_len) {
            *cls_len = cb / 2;
            if (cls) {
                if (cb)
                    memcpy(cls, info + coff, cb);
                cls[cb / 2] = 0;
            }
        }
        if (ft)
            memcpy(ft, info, 8);
    }
    free(info);
    return r;
}
THK_EXPORT(advapi32, RegEnumKeyExW, 8);

LSTATUS WINAPI RegEnumKeyExA(HKEY hkey, DWORD index, char *name, DWORD *name_len,
                             DWORD *reserved, char *cls, DWORD *cls_len, FILETIME *ft)
{
    HANDLE h;
    if (reserved || !name_len || !name)
        return ERROR_INVALID_PARAMETER;
    LSTATUS r = real_key(hkey, &h);
    if (r)
        return r;
    uint8_t *info;
    NTSTATUS st = STATUS_SUCCESS;
    if (adv_is_hkcr(h))
        st = adv_cls_enum_map(h, false, index, &h, &index);
    if (st == STATUS_SUCCESS)
        st = enum_key(h, index, KeyNodeInformation, &info);
    if (st != STATUS_SUCCESS)
        return adv_err(st);
    uint32_t coff, cb, nb;
    memcpy(&coff, info + 12, 4);
    memcpy(&cb, info + 16, 4);
    memcpy(&nb, info + 20, 4);
    size_t al, cl = 0;
    char *a = nt_utf16_to_utf8((const WCHAR *)(info + 24), nb / 2, &al);
    char *c = cb ? nt_utf16_to_utf8((const WCHAR *)(info + coff), cb / 2, &cl) : NULL;
    if (!a || (cb && !c)) {
        r = ERROR_NOT_ENOUGH_MEMORY;
    } else if (al >= *name_len || (cls && cls_len && cl >= *cls_len)) {
        r = ERROR_MORE_DATA;
    } else {
        memcpy(name, a, al + 1);
        *name_len = (DWORD)al;
        if (cls_len) {
            *cls_len = (DWORD)cl;
            if (cls) {
                if (cl)
                    memcpy(cls, c, cl);
                cls[cl] = 0;
            }
        }
        if (ft)
            memcpy(ft, info, 8);
    }
    free(a);
    free(c);
    free(info);
    return r;
}
THK_EXPORT(advapi32, RegEnumKeyExA, 8);

LSTATUS WINAPI RegEnumKeyW(HKEY hkey, DWORD index, WCHAR *name, DWORD len)
{
    return RegEnumKeyExW(hkey, index, name, &len, NULL, NULL, NULL, NULL);
}
THK_EXPORT(advapi32, RegEnumKeyW, 4);

LSTATUS WINAPI RegEnumKeyA(HKEY hkey, DWORD index, char *name, DWORD len)
{
    return RegEnumKeyExA(hkey, index, name, &len, NULL, NULL, NULL, NULL);
}
THK_EXPORT(advapi32, RegEnumKeyA, 4);

/* Value `index` as KEY_VALUE_FULL_INFORMATION (malloc'd). */
static NTSTATUS enum_value(HANDLE h, uint32_t index, uint8_t **out)
{
    uint32_t len = 512, need = 0;
    for (;;) {
        uint8_t *buf = malloc(len);
        if (!buf)
            return STATUS_NO_MEMORY;
        NTSTATUS st = NtEnumerateValueKey(h, index, KeyValueFullInformation, buf, len, &need);
        if (st == STATUS_SUCCESS) {
            *out = buf;
            return st;
        }
        free(buf);
        if (st != STATUS_BUFFER_OVERFLOW && st != STATUS_BUFFER_TOO_SMALL)
            return st;
        len = need;
    }
}

/* RegEnumValue's output rules on a converted name and data. */
static LSTATUS enum_value_out(const void *vname, size_t vlen, size_t unit, uint32_t t,
                              const uint8_t *vdata, uint32_t vsize, void *name, DWORD *name_len,
                              DWORD *type, BYTE *data, DWORD *count)
{
    if (vlen >= *name_len)
        return ERROR_MORE_DATA;
    memcpy(name, vname, vlen * unit);
    memset((uint8_t *)name + vlen * unit, 0, unit);
    *name_len = (DWORD)vlen;
    if (type)
        *type = t;
    LSTATUS r = ERROR_SUCCESS;
    if (data) {
        if (*count < vsize)
            r = ERROR_MORE_DATA;
        else
            memcpy(data, vdata, vsize);
    }
    if (count)
        *count = vsize;
    return r;
}

LSTATUS WINAPI RegEnumValueW(HKEY hkey, DWORD index, WCHAR *name, DWORD *name_len,
                             DWORD *reserved, DWORD *type, BYTE *data, DWORD *count)
{
    HANDLE h;
    if (reserved || !name_len || (data && !count))
        return ERROR_INVALID_PARAMETER;
    LSTATUS r = real_key(hkey, &h);
    if (r)
        return r;
    uint8_t *info;
    NTSTATUS st = STATUS_SUCCESS;
    if (adv_is_hkcr(h))
        st = adv_cls_enum_map(h, true, index, &h, &index);
    if (st == STATUS_SUCCESS)
        st = enum_value(h, index, &info);
    if (st != STATUS_SUCCESS)
        return adv_err(st);
    uint32_t t, doff, dlen, nb;
    memcpy(&t, info + 4, 4);
    memcpy(&doff, info + 8, 4);
    memcpy(&dlen, info + 12, 4);
    memcpy(&nb, info + 16, 4);
    r = enum_value_out(info + 20, nb / 2, 2, t, info + doff, dlen, name, name_len, type, data,
                       count);
    free(info);
    return r;
}
THK_EXPORT(advapi32, RegEnumValueW, 8);

LSTATUS WINAPI RegEnumValueA(HKEY hkey, DWORD index, char *name, DWORD *name_len,
                             DWORD *reserved, DWORD *type, BYTE *data, DWORD *count)
{
    HANDLE h;
    if (reserved || !name_len || (data && !count))
        return ERROR_INVALID_PARAMETER;
    LSTATUS r = real_key(hkey, &h);
    if (r)
        return r;
    uint8_t *info;
    NTSTATUS st = STATUS_SUCCESS;
    if (adv_is_hkcr(h))
        st = adv_cls_enum_map(h, true, index, &h, &index);
    if (st == STATUS_SUCCESS)
        st = enum_value(h, index, &info);
    if (st != STATUS_SUCCESS)
        return adv_err(st);
    uint32_t t, doff, dlen, nb;
    memcpy(&t, info + 4, 4);
    memcpy(&doff, info + 8, 4);
    memcpy(&dlen, info + 12, 4);
    memcpy(&nb, info + 16, 4);
    size_t al;
    char *a = nt_utf16_to_utf8((const WCHAR *)(info + 20), nb / 2, &al);
    uint8_t *d = malloc(dlen ? dlen : 1);
    uint32_t dsize = dlen;
    if (d && dlen)
        memcpy(d, info + doff, dlen);
    free(info);
    if (!a || !d || (is_string_type(t) && !data_to_ansi(&d, &dsize))) {
        free(a);
        free(d);
        return ERROR_NOT_ENOUGH_MEMORY;
    }
    r = enum_value_out(a, al, 1, t, d, dsize, name, name_len, type, data, count);
    free(a);
    free(d);
    return r;
}
THK_EXPORT(advapi32, RegEnumValueA, 8);

/* ---- RegQueryInfoKey ---- */
static LSTATUS query_info(HKEY hkey, uint8_t **out)
{
    HANDLE h;
    LSTATUS r = real_key(hkey, &h);
    if (r)
        return r;
    uint32_t len = 256, need = 0;
    for (;;) {
        uint8_t *buf = malloc(len);
        if (!buf)
            return ERROR_NOT_ENOUGH_MEMORY;
        NTSTATUS st = NtQueryKey(h, KeyFullInformation, buf, len, &need);
        if (st == STATUS_SUCCESS && adv_is_hkcr(h))
            st = adv_cls_merge_info(h, buf); /* the merged view's counts */
        if (st == STATUS_SUCCESS) {
            *out = buf;
            return ERROR_SUCCESS;
        }
        free(buf);
        if (st != STATUS_BUFFER_OVERFLOW && st != STATUS_BUFFER_TOO_SMALL)
            return adv_err(st);
        len = need;
    }
}

static void info_counts(const uint8_t *info, DWORD *subkeys, DWORD *max_sub, DWORD *max_cls,
                        DWORD *values, DWORD *max_vname, DWORD *max_vlen, DWORD *sd,
                        FILETIME *ft)
{
    uint32_t v;
    if (subkeys)
        memcpy(subkeys, info + 20, 4);
    if (max_sub) {
        memcpy(&v, info + 24, 4);
        *max_sub = v / 2;
    }
    if (max_cls) {
        memcpy(&v, info + 28, 4);
        *max_cls = v / 2;
    }
    if (values)
        memcpy(values, info + 32, 4);
    if (max_vname) {
        memcpy(&v, info + 36, 4);
        *max_vname = v / 2;
    }
    if (max_vlen)
        memcpy(max_vlen, info + 40, 4);
    if (sd)
        *sd = 0x5c; /* an owner, group and DACL of two ACEs */
    if (ft)
        memcpy(ft, info, 8);
}

LSTATUS WINAPI RegQueryInfoKeyW(HKEY hkey, WCHAR *cls, DWORD *cls_len, DWORD *reserved,
                                DWORD *subkeys, DWORD *max_sub, DWORD *max_cls, DWORD *values,
                                DWORD *max_vname, DWORD *max_vlen, DWORD *sd, FILETIME *ft)
{
    uint8_t *info;
    if (reserved || (cls && !cls_len))
        return ERROR_INVALID_PARAMETER;
    LSTATUS r = query_info(hkey, &info);
    if (r)
        return r;
    uint32_t coff, cb;
    memcpy(&coff, info + 12, 4);
    memcpy(&cb, info + 16, 4);
    if (cls_len) {
        if (cls && cb / 2 >= *cls_len) {
            r = ERROR_MORE_DATA;
        } else if (cls) {
            if (cb)
                memcpy(cls, info + coff, cb);
            cls[cb / 2] = 0;
        }
        *cls_len = cb / 2;
    }
    info_counts(info, subkeys, max_sub, max_cls, values, max_vname, max_vlen, sd, ft);
    free(info);
    return r;
}
THK_EXPORT(advapi32, RegQueryInfoKeyW, 12);

LSTATUS WINAPI RegQueryInfoKeyA(HKEY hkey, char *cls, DWORD *cls_len, DWORD *reserved,
                                DWORD *subkeys, DWORD *max_sub, DWORD *max_cls, DWORD *values,
                                DWORD *max_vname, DWORD *max_vlen, DWORD *sd, FILETIME *ft)
{
    uint8_t *info;
    if (reserved || (cls && !cls_len))
        return ERROR_INVALID_PARAMETER;
    LSTATUS r = query_info(hkey, &info);
    if (r)
        return r;
    uint32_t coff, cb;
    memcpy(&coff, info + 12, 4);
    memcpy(&cb, info + 16, 4);
    if (cls_len) {
        size_t al = 0;
        char *a = cb ? nt_utf16_to_utf8((const WCHAR *)(info + coff), cb / 2, &al) : NULL;
        if (cb && !a) {
            r = ERROR_NOT_ENOUGH_MEMORY;
        } else if (cls && al >= *cls_len) {
            r = ERROR_MORE_DATA;
        } else if (cls) {
            if (al)
                memcpy(cls, a, al);
            cls[al] = 0;
        }
        *cls_len = (DWORD)al;
        free(a);
    }
    info_counts(info, subkeys, max_sub, max_cls, values, max_vname, max_vlen, sd, ft);
    free(info);
    return r;
}
THK_EXPORT(advapi32, RegQueryInfoKeyA, 12);

/* ---- notification ---- */
LSTATUS WINAPI RegNotifyChangeKeyValue(HKEY hkey, BOOL subtree, DWORD filter, HANDLE event,
                                       BOOL async)
{
    HANDLE h;
    if (async && !event)
        return ERROR_INVALID_PARAMETER;
    LSTATUS r = real_key(hkey, &h);
    if (r)
        return r;
    /* no IO_STATUS_BLOCK: an asynchronous call would have it written after we return */
    NTSTATUS st = NtNotifyChangeKey(h, event, NULL, NULL, NULL, filter, subtree ? 1 : 0, NULL, 0,
                                    async ? 1 : 0);
    return st == ADV_STATUS_PENDING ? ERROR_SUCCESS : adv_err(st);
}
THK_EXPORT(advapi32, RegNotifyChangeKeyValue, 5);
