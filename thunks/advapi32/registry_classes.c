/* SPDX-License-Identifier: MIT */
/* HKEY_CLASSES_ROOT as Windows shows it: HKCU\Software\Classes merged over
 * HKLM\Software\Classes, at every level below the root.
 *
 * - Opening a key below an HKCR key gives the user's key when it exists, else the machine's;
 *   the handle is tagged (value | 2, as Windows tags it) so that later calls merge too.
 * - Values are read from the user's key first, then from the machine's; written (and deleted)
 *   in the user's key when it exists, else in the machine's; new keys go to the machine's
 *   classes (Microsoft's "HKEY_CLASSES_ROOT Key" page).
 * - Enumeration merges: subkeys of both, sorted, a name both have listed once (the user's);
 *   values: the user's, then the machine's the user's key does not have. RegQueryInfoKey
 *   counts the merged view. An enumeration starts over (a new snapshot of both lists) at
 *   index 0; the key the handle refers to answers for itself (a deleted user key gives
 *   ERROR_KEY_DELETED, as on Windows).
 *
 * Names are compared as the registry compares them: upper-cased with Windows' table
 * (nt_towupper), then by code unit. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "thunks/advapi32/registry_private.h"
#include "thunks/thunks_private.h"

#define CLS_KEY_NAME_INFORMATION 3
#define CLS_KEY_BASIC_INFORMATION 0
#define CLS_KEY_FULL_INFORMATION 2
#define CLS_KEY_VALUE_BASIC_INFORMATION 0
#define CLS_STATUS_NO_MORE_ENTRIES ((NTSTATUS)0x8000001A)
#define CLS_MAXIMUM_ALLOWED 0x02000000

static const WCHAR cls_machine_prefix[] = u"\\REGISTRY\\MACHINE\\SOFTWARE\\CLASSES";

static int cls_cmp(const WCHAR *a, size_t al, const WCHAR *b, size_t bl)
{
    for (size_t i = 0; i < al && i < bl; i++) {
        WCHAR x = nt_towupper(a[i]), y = nt_towupper(b[i]);
        if (x != y)
            return x < y ? -1 : 1;
    }
    return al < bl ? -1 : al > bl ? 1 : 0;
}

static size_t cls_wlen(const WCHAR *s)
{
    size_t n = 0;
    while (s[n])
        n++;
    return n;
}

/* \REGISTRY\USER\<sid>\SOFTWARE\CLASSES, made once. */
static WCHAR cls_user_prefix[160];
static size_t cls_user_prefix_len;
static pthread_once_t cls_user_once = PTHREAD_ONCE_INIT;

static void cls_user_prefix_make(void)
{
    char sid[96], buf[160];
    nt_token_user_sid_string(sid, sizeof sid);
    size_t n = (size_t)snprintf(buf, sizeof buf, "\\REGISTRY\\USER\\%s\\SOFTWARE\\CLASSES", sid);
    if (n >= sizeof buf)
        return;
    for (size_t i = 0; i <= n; i++)
        cls_user_prefix[i] = (WCHAR)buf[i];
    cls_user_prefix_len = n;
}

/* The full NT name of key h (malloc'd, *len characters). */
static NTSTATUS cls_key_name(HANDLE h, WCHAR **name, size_t *len)
{
    uint32_t size = 512, need = 0;
    for (;;) {
        uint8_t *buf = malloc(size);
        if (!buf)
            return STATUS_NO_MEMORY;
        NTSTATUS st = NtQueryKey(h, CLS_KEY_NAME_INFORMATION, buf, size, &need);
        if (st == STATUS_SUCCESS) {
            uint32_t nb;
            memcpy(&nb, buf, 4);
            memmove(buf, buf + 4, nb);
            *name = (WCHAR *)buf;
            *len = nb / 2;
            return STATUS_SUCCESS;
        }
        free(buf);
        if ((st != STATUS_BUFFER_OVERFLOW && st != STATUS_BUFFER_TOO_SMALL) || need <= size)
            return st;
        size = need;
    }
}

static bool cls_has_prefix(const WCHAR *name, size_t len, const WCHAR *prefix, size_t plen)
{
    return plen && len >= plen && cls_cmp(name, plen, prefix, plen) == 0 &&
           (len == plen || name[plen] == '\\');
}

/* Where the HKCR key h lies: *is_user, and the part of its name below the classes root
 * (malloc'd, with its leading backslash; empty for the root). */
static NTSTATUS cls_locate(HANDLE h, bool *is_user, WCHAR **rel, size_t *rel_len)
{
    pthread_once(&cls_user_once, cls_user_prefix_make);
    WCHAR *name;
    size_t len;
    NTSTATUS st = cls_key_name(h, &name, &len);
    if (st != STATUS_SUCCESS)
        return st;
    size_t mlen = cls_wlen(cls_machine_prefix), skip;
    if (cls_has_prefix(name, len, cls_machine_prefix, mlen)) {
        *is_user = false;
        skip = mlen;
    } else if (cls_has_prefix(name, len, cls_user_prefix, cls_user_prefix_len)) {
        *is_user = true;
        skip = cls_user_prefix_len;
    } else {
        free(name);
        return STATUS_OBJECT_TYPE_MISMATCH; /* not below either classes root */
    }
    memmove(name, name + skip, (len - skip) * 2);
    *rel = name;
    *rel_len = len - skip;
    return STATUS_SUCCESS;
}

/* Opens prefix + rel + "\" + sub (sub may be empty). */
static NTSTATUS cls_open_path(bool user, const WCHAR *rel, size_t rel_len, const WCHAR *sub,
                              size_t n, uint32_t access, uint32_t attributes, HANDLE *out)
{
    const WCHAR *prefix = user ? cls_user_prefix : cls_machine_prefix;
    size_t plen = user ? cls_user_prefix_len : cls_wlen(cls_machine_prefix);
    while (n && sub[0] == '\\') {
        sub++;
        n--;
    }
    size_t total = plen + rel_len + 1 + n;
    if (!plen || total > 32767)
        return STATUS_OBJECT_NAME_INVALID;
    WCHAR *path = malloc(total * 2);
    if (!path)
        return STATUS_NO_MEMORY;
    memcpy(path, prefix, plen * 2);
    memcpy(path + plen, rel, rel_len * 2);
    size_t l = plen + rel_len;
    if (n) {
        path[l++] = '\\';
        memcpy(path + l, sub, n * 2);
        l += n;
    }
    UNICODE_STRING us = {.Length = (uint16_t)(l * 2), .MaximumLength = (uint16_t)(l * 2),
                         .Buffer = path};
    OBJECT_ATTRIBUTES oa = {.Length = sizeof oa, .ObjectName = &us,
                            .Attributes = OBJ_CASE_INSENSITIVE | attributes};
    NTSTATUS st = NtOpenKeyEx(out, access, &oa, 0);
    free(path);
    return st;
}

static bool cls_absent(NTSTATUS st)
{
    return st == STATUS_OBJECT_NAME_NOT_FOUND || st == STATUS_OBJECT_PATH_NOT_FOUND;
}

NTSTATUS adv_cls_open(HANDLE root, const WCHAR *sub, size_t n, uint32_t access,
                      uint32_t attributes, HANDLE *out)
{
    bool is_user;
    WCHAR *rel;
    size_t rel_len;
    NTSTATUS st = cls_locate(root, &is_user, &rel, &rel_len);
    if (st != STATUS_SUCCESS)
        return st;
    HANDLE h = NULL;
    st = cls_open_path(true, rel, rel_len, sub, n, access, attributes, &h);
    if (cls_absent(st) || st == STATUS_OBJECT_NAME_INVALID)
        st = cls_open_path(false, rel, rel_len, sub, n, access, attributes, &h);
    free(rel);
    if (st == STATUS_SUCCESS)
        *out = adv_hkcr_tag(h);
    return st;
}

NTSTATUS adv_cls_machine_path(HANDLE root, const WCHAR *sub, size_t n, WCHAR **path,
                              size_t *len)
{
    bool is_user;
    WCHAR *rel;
    size_t rel_len;
    NTSTATUS st = cls_locate(root, &is_user, &rel, &rel_len);
    if (st != STATUS_SUCCESS)
        return st;
    WCHAR *p = malloc((rel_len + 1 + n + 1) * 2);
    if (!p) {
        free(rel);
        return STATUS_NO_MEMORY;
    }
    size_t l = 0;
    if (rel_len) { /* without its leading backslash */
        memcpy(p, rel + 1, (rel_len - 1) * 2);
        l = rel_len - 1;
        if (n)
            p[l++] = '\\';
    }
    memcpy(p + l, sub, n * 2);
    l += n;
    p[l] = 0;
    free(rel);
    *path = p;
    *len = l;
    return STATUS_SUCCESS;
}

/* The other side of the HKCR key h: the machine's key for a user's one and the other way
 * round (NULL when it does not exist). */
static HANDLE cls_twin(HANDLE h, uint32_t access, bool *h_is_user)
{
    WCHAR *rel;
    size_t rel_len;
    *h_is_user = false;
    if (cls_locate(h, h_is_user, &rel, &rel_len) != STATUS_SUCCESS)
        return NULL;
    HANDLE t = NULL;
    if (cls_open_path(!*h_is_user, rel, rel_len, u"", 0, access, 0, &t) != STATUS_SUCCESS)
        t = NULL;
    free(rel);
    return t;
}

void adv_cls_pair(HANDLE h, uint32_t access, HANDLE pair[2])
{
    bool is_user;
    HANDLE t = cls_twin(h, access, &is_user);
    pair[0] = is_user ? h : t;
    pair[1] = is_user ? t : h;
}

void adv_cls_pair_close(HANDLE h, HANDLE pair[2])
{
    for (int i = 0; i < 2; i++)
        if (pair[i] && pair[i] != h)
            NtClose(pair[i]);
}

/* ---- merged enumeration ---- */
typedef struct {
    HANDLE src;
    uint32_t idx;
} cls_entry;

typedef struct cls_snap {
    struct cls_snap *next;
    HANDLE h;
    bool values;
    HANDLE twin; /* opened once, closed when the snapshot is forgotten */
    bool h_is_user;
    uint32_t n;
    cls_entry *e;
} cls_snap;

static cls_snap *cls_snaps;
static pthread_mutex_t cls_lock = PTHREAD_MUTEX_INITIALIZER;

typedef struct {
    WCHAR *name;
    size_t len;
} cls_name;

/* Every subkey (or value) name of h, in the registry's order. An error of h itself is
 * returned; the caller treats a twin's error as an empty list. */
static NTSTATUS cls_names(HANDLE h, bool values, cls_name **out, uint32_t *count)
{
    cls_name *v = NULL;
    uint32_t n = 0, cap = 0;
    uint8_t buf[16 + 2 * 512];
    for (uint32_t i = 0;; i++) {
        uint32_t need = 0;
        NTSTATUS st = values ? NtEnumerateValueKey(h, i, CLS_KEY_VALUE_BASIC_INFORMATION, buf,
                                                   sizeof buf, &need)
                             : NtEnumerateKey(h, i, CLS_KEY_BASIC_INFORMATION, buf, sizeof buf,
                                              &need);
        if (st == CLS_STATUS_NO_MORE_ENTRIES)
            break;
        if (st != STATUS_SUCCESS) {
            for (uint32_t k = 0; k < n; k++)
                free(v[k].name);
            free(v);
            return st;
        }
        uint32_t nb;
        memcpy(&nb, buf + (values ? 8 : 12), 4);
        const uint8_t *src = buf + (values ? 12 : 16);
        if (n == cap) {
            cap = cap ? cap * 2 : 16;
            cls_name *bigger = realloc(v, cap * sizeof *v);
            if (!bigger) {
                for (uint32_t k = 0; k < n; k++)
                    free(v[k].name);
                free(v);
                return STATUS_NO_MEMORY;
            }
            v = bigger;
        }
        v[n].name = malloc(nb ? nb : 1);
        if (!v[n].name) {
            for (uint32_t k = 0; k < n; k++)
                free(v[k].name);
            free(v);
            return STATUS_NO_MEMORY;
        }
        memcpy(v[n].name, src, nb);
        v[n].len = nb / 2;
        n++;
    }
    *out = v;
    *count = n;
    return STATUS_SUCCESS;
}

static void cls_names_free(cls_name *v, uint32_t n)
{
    for (uint32_t i = 0; i < n; i++)
        free(v[i].name);
    free(v);
}

/* (Re)fills s from h and its twin. */
static NTSTATUS cls_snap_fill(cls_snap *s)
{
    cls_name *a = NULL, *b = NULL; /* a: the user's, b: the machine's */
    uint32_t na = 0, nb = 0;
    HANDLE user = s->h_is_user ? s->h : s->twin, machine = s->h_is_user ? s->twin : s->h;
    NTSTATUS st = cls_names(s->h, s->values, s->h_is_user ? &a : &b, s->h_is_user ? &na : &nb);
    if (st != STATUS_SUCCESS)
        return st;
    if (s->twin && cls_names(s->twin, s->values, s->h_is_user ? &b : &a,
                             s->h_is_user ? &nb : &na) != STATUS_SUCCESS) {
        if (s->h_is_user)
            b = NULL, nb = 0;
        else
            a = NULL, na = 0;
    }
    cls_entry *e = malloc(((size_t)na + nb + 1) * sizeof *e);
    if (!e) {
        cls_names_free(a, na);
        cls_names_free(b, nb);
        return STATUS_NO_MEMORY;
    }
    uint32_t n = 0;
    if (s->values) { /* the user's values, then the machine's the user's key lacks */
        for (uint32_t i = 0; i < na; i++)
            e[n++] = (cls_entry){user, i};
        for (uint32_t j = 0; j < nb; j++) {
            bool dup = false;
            for (uint32_t i = 0; i < na && !dup; i++)
                dup = cls_cmp(a[i].name, a[i].len, b[j].name, b[j].len) == 0;
            if (!dup)
                e[n++] = (cls_entry){machine, j};
        }
    } else { /* both lists are sorted: merge them */
        uint32_t i = 0, j = 0;
        while (i < na || j < nb) {
            int c = i >= na ? 1 : j >= nb ? -1 : cls_cmp(a[i].name, a[i].len, b[j].name, b[j].len);
            if (c <= 0)
                e[n++] = (cls_entry){user, i++};
            else
                e[n++] = (cls_entry){machine, j++};
            if (c == 0)
                j++;
        }
    }
    cls_names_free(a, na);
    cls_names_free(b, nb);
    free(s->e);
    s->e = e;
    s->n = n;
    return STATUS_SUCCESS;
}

static void cls_snap_free(cls_snap *s)
{
    if (s->twin)
        NtClose(s->twin);
    free(s->e);
    free(s);
}

/* Under cls_lock: the snapshot of h, made or refreshed (fresh: at index 0). */
static NTSTATUS cls_snap_get(HANDLE h, bool values, bool fresh, cls_snap **out)
{
    cls_snap *s = cls_snaps;
    while (s && !(s->h == h && s->values == values))
        s = s->next;
    if (s && !fresh) {
        *out = s;
        return STATUS_SUCCESS;
    }
    if (!s) {
        s = calloc(1, sizeof *s);
        if (!s)
            return STATUS_NO_MEMORY;
        s->h = h;
        s->values = values;
        s->twin = cls_twin(h, values ? 0x0001 /* KEY_QUERY_VALUE */ : 0x0008 /* ENUMERATE */,
                           &s->h_is_user);
        s->next = cls_snaps;
        cls_snaps = s;
    }
    NTSTATUS st = cls_snap_fill(s);
    if (st != STATUS_SUCCESS)
        return st;
    *out = s;
    return STATUS_SUCCESS;
}

NTSTATUS adv_cls_enum_map(HANDLE h, bool values, uint32_t index, HANDLE *src,
                          uint32_t *src_index)
{
    cls_snap *s;
    pthread_mutex_lock(&cls_lock);
    NTSTATUS st = cls_snap_get(h, values, index == 0, &s);
    if (st == STATUS_SUCCESS) {
        if (index >= s->n) {
            st = CLS_STATUS_NO_MORE_ENTRIES;
        } else {
            *src = s->e[index].src;
            *src_index = s->e[index].idx;
        }
    }
    pthread_mutex_unlock(&cls_lock);
    return st;
}

NTSTATUS adv_cls_merge_info(HANDLE h, uint8_t *info)
{
    uint32_t counts[2];
    pthread_mutex_lock(&cls_lock);
    NTSTATUS st = STATUS_SUCCESS;
    HANDLE twin = NULL;
    for (int values = 0; values < 2 && st == STATUS_SUCCESS; values++) {
        cls_snap *s;
        st = cls_snap_get(h, values, true, &s);
        if (st == STATUS_SUCCESS) {
            counts[values] = s->n;
            if (s->twin)
                twin = s->twin;
        }
    }
    pthread_mutex_unlock(&cls_lock);
    if (st != STATUS_SUCCESS)
        return st;
    memcpy(info + 20, &counts[0], 4);
    memcpy(info + 32, &counts[1], 4);
    uint8_t other[48 + 2 * 512];
    uint32_t need;
    /* the twin stays open while its snapshot lives (until RegCloseKey of h) */
    if (twin && NtQueryKey(twin, CLS_KEY_FULL_INFORMATION, other, sizeof other, &need) ==
                    STATUS_SUCCESS) {
        static const int max_fields[] = {24, 28, 36, 40};
        for (size_t i = 0; i < sizeof max_fields / sizeof max_fields[0]; i++) {
            uint32_t a, b;
            memcpy(&a, info + max_fields[i], 4);
            memcpy(&b, other + max_fields[i], 4);
            if (b > a)
                memcpy(info + max_fields[i], &b, 4);
        }
    }
    return STATUS_SUCCESS;
}

void adv_cls_forget(HANDLE h)
{
    pthread_mutex_lock(&cls_lock);
    for (cls_snap **p = &cls_snaps; *p;) {
        cls_snap *s = *p;
        if (s->h == h) {
            *p = s->next;
            cls_snap_free(s);
        } else {
            p = &s->next;
        }
    }
    pthread_mutex_unlock(&cls_lock);
}
