/* SPDX-License-Identifier: MIT */
/* The shell's item objects and its copy engine, as console programs use them to move files to
 * the Recycle Bin (sindresorhus' windows-trash, the `trash` npm package):
 *  - ILCreateFromPathW/A: an ITEMIDLIST for an existing file or folder by its full path (NULL
 *    for a name that is not there, and for a relative name, which Windows parses from the
 *    Desktop folder; Wine 8.0 gives NULL too). ntrun's lists are
 *    one SHITEMID of its own (a tag and the full path) and the terminating zero: programs treat
 *    a PIDL as opaque; ILGetSize, ILFree (CoTaskMemFree) work on them.
 *  - SHCreateShellItemArrayFromIDLists, SHCreateItemFromParsingName: IShellItemArray and
 *    IShellItem (native COM objects): GetCount, GetItemAt, GetDisplayName (SIGDN_FILESYSPATH and
 *    SIGDN_DESKTOPABSOLUTEPARSING: the full path; SIGDN_PARENTRELATIVEPARSING and the
 *    PARENTRELATIVE forms: the name in its folder). The rest of both interfaces is E_NOTIMPL.
 *  - CLSID_FileOperation's IFileOperation (CoCreateInstance finds it through
 *    thk_builtin_class_object): Advise/Unadvise of progress sinks, SetOperationFlags,
 *    DeleteItem/DeleteItems (an IShellItemArray) and PerformOperations, which calls the sinks as
 *    Windows does: StartOperations, then for each item PreDeleteItem (TSF_DELETE_RECYCLE_IF_
 *    POSSIBLE when FOF_ALLOWUNDO or FOFX_RECYCLEONDELETE asks for the bin and the item can go
 *    there), the deletion, PostDeleteItem with its HRESULT, and FinishOperations. A sink that
 *    fails PreDeleteItem cancels the operation: the item stays, GetAnyOperationsAborted says
 *    TRUE and PerformOperations gives HRESULT_FROM_WIN32(ERROR_CANCELLED). Rename, move, copy,
 *    new items and properties are E_NOTIMPL.
 * The Recycle Bin is the Linux user's trash, as Wine's shell32 does it: the freedesktop.org
 * home trash ($XDG_DATA_HOME/Trash, else ~/.local/share/Trash: files/NAME and
 * info/NAME.trashinfo with the original path and the deletion date), for items on the trash's
 * own file system; for others recycling is not possible (as on a Windows drive without a bin):
 * the sinks see PreDeleteItem without TSF_DELETE_RECYCLE_IF_POSSIBLE and the item is deleted for
 * good unless they refuse. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include "thunks/com_native.h"
#include "thunks/kernel32/kernel32_private.h"
#include "thunks/shell32/shell32_private.h"

typedef int32_t HRESULT;

void *WINAPI CoTaskMemAlloc(SIZE_T size);
void WINAPI CoTaskMemFree(void *p);
DWORD WINAPI GetFileAttributesW(const WCHAR *name);

#define FO_HRESULT_FROM_WIN32(e) ((HRESULT)((e) ? (0x80070000u | ((e) & 0xffffu)) : 0))
#define FO_ERROR_CANCELLED 1223u
#define FO_E_UNEXPECTED ((HRESULT)0x8000FFFF)
#define FO_ATTR_INVALID 0xffffffffu

/* FOF_* / FOFX_* (shellapi.h, shobjidl.h) and TSF_* (shobjidl.h) */
#define FOF_ALLOWUNDO 0x40u
#define FOFX_RECYCLEONDELETE 0x80000u
#define FOFX_EARLYFAILURE 0x100000u
#define TSF_DELETE_RECYCLE_IF_POSSIBLE 0x80u

/* SIGDN (shobjidl.h) */
#define SIGDN_NORMALDISPLAY 0x00000000u
#define SIGDN_PARENTRELATIVEPARSING 0x80018001u
#define SIGDN_DESKTOPABSOLUTEPARSING 0x80028000u
#define SIGDN_PARENTRELATIVEEDITING 0x80031001u
#define SIGDN_DESKTOPABSOLUTEEDITING 0x8004c000u
#define SIGDN_FILESYSPATH 0x80058000u
#define SIGDN_PARENTRELATIVEFORADDRESSBAR 0x8007c001u
#define SIGDN_PARENTRELATIVE 0x80080001u

static const thk_guid iid_ishellitem = {0x43826d1e, 0xe718, 0x42ee,
                                        {0xbc, 0x55, 0xa1, 0xe2, 0x61, 0xc3, 0x7b, 0xfe}};
static const thk_guid iid_ishellitemarray = {0xb63ea76d, 0x1f85, 0x456f,
                                             {0xa1, 0x9c, 0x48, 0x15, 0x9e, 0xfa, 0x85, 0x8b}};
static const thk_guid iid_ifileoperation = {0x947aab5f, 0x0a5c, 0x4c13,
                                            {0xb4, 0xd6, 0x4b, 0xf7, 0x83, 0x6f, 0xc9, 0xf8}};
static const thk_guid clsid_fileoperation = {0x3ad05575, 0x8857, 0x4850,
                                             {0x92, 0x77, 0x11, 0xb8, 0x5b, 0xdb, 0x8e, 0x09}};
static const thk_guid iid_iclassfactory = {0x00000001, 0, 0, {0xc0, 0, 0, 0, 0, 0, 0, 0x46}};

/* ---- ITEMIDLIST ---- */

/* ntrun's one SHITEMID: cb (0x0), the tag (0x2), the full path with its NUL (0x6) */
#define FO_PIDL_TAG "ntr\x01"

static size_t fo_wlen(const WCHAR *s)
{
    size_t n = 0;
    while (s[n])
        n++;
    return n;
}

/* The path an ntrun PIDL holds (malloc'd), or NULL for another kind of list. */
static WCHAR *fo_pidl_path(const uint8_t *pidl)
{
    uint16_t cb;
    if (!pidl)
        return NULL;
    memcpy(&cb, pidl, 2);
    if (cb < 8 || memcmp(pidl + 2, FO_PIDL_TAG, 4))
        return NULL;
    size_t chars = (cb - 6u) / sizeof(WCHAR);
    WCHAR *p = malloc((chars + 1) * sizeof(WCHAR));
    if (!p)
        return NULL;
    memcpy(p, pidl + 6, chars * sizeof(WCHAR));
    p[chars] = 0;
    return p;
}

/* A full path: "X:\..." (or with '/') or a UNC name. */
static bool fo_is_full(const WCHAR *p)
{
    bool drive = ((p[0] | 0x20) >= 'a' && (p[0] | 0x20) <= 'z') && p[1] == ':' &&
                 (p[2] == '\\' || p[2] == '/');
    return drive || (p[0] == '\\' && p[1] == '\\');
}

/* A relative name is parsed from the Desktop folder, as Windows' SHILCreateFromPath does (not
 * from the current one): ntrun's Desktop holds no such name, so NULL. */
static void *WINAPI ILCreateFromPathW(const WCHAR *path)
{
    if (!path || !fo_is_full(path)) {
        SetLastError(ERROR_FILE_NOT_FOUND);
        return NULL;
    }
    if (GetFileAttributesW(path) == FO_ATTR_INVALID)
        return NULL; /* the last error is GetFileAttributesW's */
    WCHAR *full = k32_full_path(path, NULL);
    if (!full) {
        SetLastError(ERROR_NOT_ENOUGH_MEMORY);
        return NULL;
    }
    size_t bytes = (fo_wlen(full) + 1) * sizeof(WCHAR);
    if (6 + bytes > 0xffff) {
        free(full);
        SetLastError(ERROR_FILENAME_EXCED_RANGE);
        return NULL;
    }
    uint16_t cb = (uint16_t)(6 + bytes), end = 0;
    uint8_t *pidl = CoTaskMemAlloc(cb + 2u);
    if (pidl) {
        memcpy(pidl, &cb, 2);
        memcpy(pidl + 2, FO_PIDL_TAG, 4);
        memcpy(pidl + 6, full, bytes);
        memcpy(pidl + cb, &end, 2);
    }
    free(full);
    return pidl;
}
THK_EXPORT(shell32, ILCreateFromPathW, 1);

static void *WINAPI ILCreateFromPathA(const char *path)
{
    if (!path)
        return NULL;
    int n = MultiByteToWideChar(CP_ACP, 0, path, -1, NULL, 0);
    WCHAR *w = n > 0 ? malloc((size_t)n * sizeof(WCHAR)) : NULL;
    if (!w)
        return NULL;
    MultiByteToWideChar(CP_ACP, 0, path, -1, w, n);
    void *pidl = ILCreateFromPathW(w);
    free(w);
    return pidl;
}
THK_EXPORT(shell32, ILCreateFromPathA, 1);

/* The size of the whole list, the terminating zero included (0 for NULL). */
static UINT WINAPI ILGetSize(const uint8_t *pidl)
{
    if (!pidl)
        return 0;
    UINT size = 2;
    for (uint16_t cb; memcpy(&cb, pidl, 2), cb; pidl += cb)
        size += cb;
    return size;
}
THK_EXPORT(shell32, ILGetSize, 1);

static void WINAPI ILFree(void *pidl) { CoTaskMemFree(pidl); }
THK_EXPORT(shell32, ILFree, 1);

/* ---- IShellItem ---- */

typedef struct {
    void *const *vtbl;
    int32_t refs;
    WCHAR *path; /* full DOS path */
} fo_item;

static thk_com_vtbl fo_item_vtbl;

static fo_item *fo_item_new(WCHAR *path)
{
    void *const *v = thk_com_vtable(&fo_item_vtbl);
    fo_item *it = v ? calloc(1, sizeof *it) : NULL;
    if (!it) {
        free(path);
        return NULL;
    }
    it->vtbl = v;
    it->refs = 1;
    it->path = path;
    return it;
}

static HRESULT WINAPI it_QueryInterface(fo_item *it, const thk_guid *iid, void **out)
{
    if (!out)
        return THK_E_POINTER;
    *out = NULL;
    if (!iid)
        return THK_E_INVALIDARG;
    if (!thk_guid_eq(iid, &thk_iid_iunknown) && !thk_guid_eq(iid, &iid_ishellitem))
        return THK_E_NOINTERFACE;
    __atomic_add_fetch(&it->refs, 1, __ATOMIC_RELAXED);
    *out = it;
    return THK_S_OK;
}

static ULONG WINAPI it_AddRef(fo_item *it)
{
    return (ULONG)__atomic_add_fetch(&it->refs, 1, __ATOMIC_RELAXED);
}

static ULONG WINAPI it_Release(fo_item *it)
{
    int32_t left = __atomic_sub_fetch(&it->refs, 1, __ATOMIC_ACQ_REL);
    if (left)
        return (ULONG)left;
    free(it->path);
    free(it);
    return 0;
}

static HRESULT WINAPI it_NotImpl2(fo_item *it, void *a) { (void)it, (void)a; return THK_E_NOTIMPL; }

static HRESULT WINAPI it_BindToHandler(fo_item *it, void *bc, const thk_guid *bhid,
                                       const thk_guid *iid, void **out)
{
    (void)it, (void)bc, (void)bhid, (void)iid;
    if (out)
        *out = NULL;
    return THK_E_NOTIMPL;
}

static HRESULT WINAPI it_GetDisplayName(fo_item *it, DWORD sigdn, WCHAR **out)
{
    if (!out)
        return THK_E_INVALIDARG;
    *out = NULL;
    const WCHAR *s = it->path;
    switch (sigdn) {
    case SIGDN_FILESYSPATH:
    case SIGDN_DESKTOPABSOLUTEPARSING:
    case SIGDN_DESKTOPABSOLUTEEDITING:
        break;
    case SIGDN_NORMALDISPLAY:
    case SIGDN_PARENTRELATIVEPARSING:
    case SIGDN_PARENTRELATIVEEDITING:
    case SIGDN_PARENTRELATIVEFORADDRESSBAR:
    case SIGDN_PARENTRELATIVE:
        for (const WCHAR *p = it->path; *p; p++)
            if ((*p == '\\' || *p == '/') && p[1])
                s = p + 1;
        break;
    default:
        return THK_E_INVALIDARG;
    }
    size_t bytes = (fo_wlen(s) + 1) * sizeof(WCHAR);
    WCHAR *d = CoTaskMemAlloc(bytes);
    if (!d)
        return THK_E_OUTOFMEMORY;
    *out = memcpy(d, s, bytes);
    return THK_S_OK;
}

static HRESULT WINAPI it_GetAttributes(fo_item *it, DWORD mask, DWORD *out)
{
    (void)it, (void)mask;
    if (out)
        *out = 0;
    return THK_E_NOTIMPL;
}

static HRESULT WINAPI it_Compare(fo_item *it, void *other, DWORD hint, int *order)
{
    (void)it, (void)other, (void)hint;
    if (order)
        *order = 0;
    return THK_E_NOTIMPL;
}

static const thk_com_method fo_item_methods[] = {
    THK_COM_METHOD(it_QueryInterface, 3), THK_COM_METHOD(it_AddRef, 1),
    THK_COM_METHOD(it_Release, 1),        THK_COM_METHOD(it_BindToHandler, 5),
    THK_COM_METHOD(it_NotImpl2, 2) /* GetParent */, THK_COM_METHOD(it_GetDisplayName, 3),
    THK_COM_METHOD(it_GetAttributes, 3),  THK_COM_METHOD(it_Compare, 4),
};
static thk_com_vtbl fo_item_vtbl = THK_COM_VTBL("IShellItem", fo_item_methods);

static HRESULT WINAPI SHCreateItemFromParsingName(const WCHAR *name, void *bc,
                                                  const thk_guid *iid, void **out)
{
    (void)bc;
    if (!out)
        return THK_E_INVALIDARG;
    *out = NULL;
    if (!name || !iid)
        return THK_E_INVALIDARG;
    if (!fo_is_full(name)) /* parsed from the Desktop folder, as ILCreateFromPathW */
        return FO_HRESULT_FROM_WIN32(ERROR_FILE_NOT_FOUND);
    if (GetFileAttributesW(name) == FO_ATTR_INVALID)
        return FO_HRESULT_FROM_WIN32(GetLastError());
    WCHAR *full = k32_full_path(name, NULL);
    fo_item *it = full ? fo_item_new(full) : NULL;
    if (!it)
        return THK_E_OUTOFMEMORY;
    HRESULT hr = it_QueryInterface(it, iid, out);
    it_Release(it);
    return hr;
}
THK_EXPORT(shell32, SHCreateItemFromParsingName, 4);

/* ---- IShellItemArray ---- */

typedef struct {
    void *const *vtbl;
    int32_t refs;
    DWORD count;
    fo_item **items;
} fo_array;

static HRESULT WINAPI ar_QueryInterface(fo_array *a, const thk_guid *iid, void **out)
{
    if (!out)
        return THK_E_POINTER;
    *out = NULL;
    if (!iid)
        return THK_E_INVALIDARG;
    if (!thk_guid_eq(iid, &thk_iid_iunknown) && !thk_guid_eq(iid, &iid_ishellitemarray))
        return THK_E_NOINTERFACE;
    __atomic_add_fetch(&a->refs, 1, __ATOMIC_RELAXED);
    *out = a;
    return THK_S_OK;
}

static ULONG WINAPI ar_AddRef(fo_array *a)
{
    return (ULONG)__atomic_add_fetch(&a->refs, 1, __ATOMIC_RELAXED);
}

static ULONG WINAPI ar_Release(fo_array *a)
{
    int32_t left = __atomic_sub_fetch(&a->refs, 1, __ATOMIC_ACQ_REL);
    if (left)
        return (ULONG)left;
    for (DWORD i = 0; i < a->count; i++)
        it_Release(a->items[i]);
    free(a->items);
    free(a);
    return 0;
}

static HRESULT WINAPI ar_BindToHandler(fo_array *a, void *bc, const thk_guid *bhid,
                                       const thk_guid *iid, void **out)
{
    (void)a, (void)bc, (void)bhid, (void)iid;
    if (out)
        *out = NULL;
    return THK_E_NOTIMPL;
}

static HRESULT WINAPI ar_NotImpl4(fo_array *a, DWORD flags, const thk_guid *iid, void **out)
{
    (void)a, (void)flags, (void)iid;
    if (out)
        *out = NULL;
    return THK_E_NOTIMPL;
}

static HRESULT WINAPI ar_GetAttributes(fo_array *a, DWORD how, DWORD mask, DWORD *out)
{
    (void)a, (void)how, (void)mask;
    if (out)
        *out = 0;
    return THK_E_NOTIMPL;
}

static HRESULT WINAPI ar_GetCount(fo_array *a, DWORD *out)
{
    if (!out)
        return THK_E_POINTER;
    *out = a->count;
    return THK_S_OK;
}

static HRESULT WINAPI ar_GetItemAt(fo_array *a, DWORD i, void **out)
{
    if (!out)
        return THK_E_POINTER;
    *out = NULL;
    if (i >= a->count)
        return THK_E_FAIL;
    it_AddRef(a->items[i]);
    *out = a->items[i];
    return THK_S_OK;
}

static HRESULT WINAPI ar_EnumItems(fo_array *a, void **out)
{
    (void)a;
    if (out)
        *out = NULL;
    return THK_E_NOTIMPL;
}

static const thk_com_method fo_array_methods[] = {
    THK_COM_METHOD(ar_QueryInterface, 3), THK_COM_METHOD(ar_AddRef, 1),
    THK_COM_METHOD(ar_Release, 1),        THK_COM_METHOD(ar_BindToHandler, 5),
    THK_COM_METHOD(ar_NotImpl4, 4) /* GetPropertyStore */,
    THK_COM_METHOD(ar_NotImpl4, 4) /* GetPropertyDescriptionList (keyType, iid, out) */,
    THK_COM_METHOD(ar_GetAttributes, 4),  THK_COM_METHOD(ar_GetCount, 2),
    THK_COM_METHOD(ar_GetItemAt, 3),      THK_COM_METHOD(ar_EnumItems, 2),
};
static thk_com_vtbl fo_array_vtbl = THK_COM_VTBL("IShellItemArray", fo_array_methods);

static HRESULT WINAPI SHCreateShellItemArrayFromIDLists(UINT n, const uint8_t *const *pidls,
                                                        fo_array **out)
{
    if (!out)
        return THK_E_INVALIDARG;
    *out = NULL;
    if (!n || !pidls)
        return THK_E_INVALIDARG;
    void *const *v = thk_com_vtable(&fo_array_vtbl);
    fo_array *a = v ? calloc(1, sizeof *a) : NULL;
    if (a)
        a->items = calloc(n, sizeof *a->items);
    if (!a || !a->items) {
        free(a);
        return THK_E_OUTOFMEMORY;
    }
    a->vtbl = v;
    a->refs = 1;
    for (; a->count < n; a->count++) {
        WCHAR *path = fo_pidl_path(pidls[a->count]);
        fo_item *it = path ? fo_item_new(path) : NULL;
        if (!it) {
            ar_Release(a);
            return path ? THK_E_OUTOFMEMORY : THK_E_INVALIDARG;
        }
        a->items[a->count] = it;
    }
    *out = a;
    return THK_S_OK;
}
THK_EXPORT(shell32, SHCreateShellItemArrayFromIDLists, 3);

/* ---- the Recycle Bin: the freedesktop.org home trash ---- */

/* The trash's folder (malloc'd Linux path), NULL without HOME or XDG_DATA_HOME. */
static char *fo_trash_dir(void)
{
    const char *xdg = getenv("XDG_DATA_HOME"), *home = getenv("HOME");
    char *dir = NULL;
    if (xdg && xdg[0] == '/') {
        if (asprintf(&dir, "%s/Trash", xdg) < 0)
            dir = NULL;
    } else if (home && home[0] == '/') {
        if (asprintf(&dir, "%s/.local/share/Trash", home) < 0)
            dir = NULL;
    }
    return dir;
}

/* mkdir -p, mode 0700 for what it makes: 0 or -errno. */
static int fo_mkdirs(char *path)
{
    for (char *p = path + 1;; p++) {
        if (*p != '/' && *p)
            continue;
        char c = *p;
        *p = 0;
        int r = mkdir(path, 0700);
        int err = errno;
        *p = c;
        if (r && err != EEXIST)
            return -err;
        if (!c)
            return 0;
    }
}

/* The device of the nearest existing folder on the way to path. */
static int fo_dev_of_nearest(const char *path, dev_t *dev)
{
    char *p = strdup(path);
    struct stat st;
    int r = -1;
    while (p && p[0]) {
        if (!stat(p, &st)) {
            *dev = st.st_dev;
            r = 0;
            break;
        }
        char *slash = strrchr(p, '/');
        if (!slash)
            break;
        *(slash == p ? slash + 1 : slash) = 0;
        if (slash == p && !p[1]) {
            r = stat(p, &st) ? -1 : (*dev = st.st_dev, 0);
            break;
        }
    }
    free(p);
    return r;
}

/* Whether the file at unix_path can go to the trash (same file system). */
static bool fo_recyclable(const char *unix_path)
{
    char *dir = fo_trash_dir();
    struct stat st;
    dev_t dev;
    bool ok = dir && !lstat(unix_path, &st) && !fo_dev_of_nearest(dir, &dev) && dev == st.st_dev;
    free(dir);
    return ok;
}

/* Path= of a .trashinfo: the absolute path, URL-escaped but for unreserved characters and '/'. */
static void fo_url_escape(FILE *f, const char *s)
{
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
            strchr("/-._~", c))
            fputc(c, f);
        else
            fprintf(f, "%%%02X", c);
    }
}

/* info/NAME.trashinfo made with O_EXCL (the name is reserved), then the file renamed into
 * files/NAME: 0 or -errno. */
static int fo_trash_put(const char *unix_path)
{
    char *dir = fo_trash_dir(), *files = NULL, *info = NULL, *ipath = NULL, *fpath = NULL;
    int r = -ENOENT;
    if (!dir || asprintf(&files, "%s/files", dir) < 0 || asprintf(&info, "%s/info", dir) < 0)
        goto out_free;
    if ((r = fo_mkdirs(files)) || (r = fo_mkdirs(info)))
        goto out_free;
    const char *base = strrchr(unix_path, '/');
    base = base ? base + 1 : unix_path;
    int fd = -1;
    for (unsigned n = 1; fd < 0 && n < 10000; n++) {
        free(ipath);
        free(fpath);
        ipath = fpath = NULL;
        char suffix[16] = "";
        if (n > 1)
            snprintf(suffix, sizeof suffix, ".%u", n);
        if (asprintf(&ipath, "%s/%s%s.trashinfo", info, base, suffix) < 0 ||
            asprintf(&fpath, "%s/%s%s", files, base, suffix) < 0) {
            r = -ENOMEM;
            goto out_free;
        }
        struct stat st;
        if (!lstat(fpath, &st))
            continue;
        fd = open(ipath, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
        if (fd < 0 && errno != EEXIST) {
            r = -errno;
            goto out_free;
        }
    }
    if (fd < 0) {
        r = -EEXIST;
        goto out_free;
    }
    FILE *f = fdopen(fd, "w");
    time_t now = time(NULL);
    struct tm tm;
    char date[32];
    localtime_r(&now, &tm);
    strftime(date, sizeof date, "%Y-%m-%dT%H:%M:%S", &tm);
    if (f) {
        fputs("[Trash Info]\nPath=", f);
        fo_url_escape(f, unix_path);
        fprintf(f, "\nDeletionDate=%s\n", date);
    }
    r = (!f || fclose(f)) ? -EIO : 0;
    if (!f)
        close(fd);
    if (!r && rename(unix_path, fpath))
        r = -errno;
    if (r)
        unlink(ipath);
out_free:
    free(dir);
    free(files);
    free(info);
    free(ipath);
    free(fpath);
    return r;
}

/* ---- IFileOperation ---- */

#define FO_MAX_SINKS 8

typedef struct {
    void *const *vtbl;
    int32_t refs;
    DWORD flags;
    BOOL aborted;
    void *sinks[FO_MAX_SINKS]; /* cookie = index + 1 */
    void **items;              /* queued deletions: IShellItem, referenced */
    size_t n_items, cap_items;
} fo_op;

static void *fo_method(void *obj, int slot) { return (*(void ***)obj)[slot]; }
static void fo_com_release(void *obj) { thk_call_foreign1(fo_method(obj, 2), (uint64_t)obj); }
static void fo_com_addref(void *obj) { thk_call_foreign1(fo_method(obj, 1), (uint64_t)obj); }

static HRESULT WINAPI op_QueryInterface(fo_op *op, const thk_guid *iid, void **out)
{
    if (!out)
        return THK_E_POINTER;
    *out = NULL;
    if (!iid)
        return THK_E_INVALIDARG;
    if (!thk_guid_eq(iid, &thk_iid_iunknown) && !thk_guid_eq(iid, &iid_ifileoperation))
        return THK_E_NOINTERFACE;
    __atomic_add_fetch(&op->refs, 1, __ATOMIC_RELAXED);
    *out = op;
    return THK_S_OK;
}

static ULONG WINAPI op_AddRef(fo_op *op)
{
    return (ULONG)__atomic_add_fetch(&op->refs, 1, __ATOMIC_RELAXED);
}

static void op_drop_items(fo_op *op)
{
    for (size_t i = 0; i < op->n_items; i++)
        fo_com_release(op->items[i]);
    op->n_items = 0;
}

static ULONG WINAPI op_Release(fo_op *op)
{
    int32_t left = __atomic_sub_fetch(&op->refs, 1, __ATOMIC_ACQ_REL);
    if (left)
        return (ULONG)left;
    op_drop_items(op);
    free(op->items);
    for (int i = 0; i < FO_MAX_SINKS; i++)
        if (op->sinks[i])
            fo_com_release(op->sinks[i]);
    free(op);
    return 0;
}

static HRESULT WINAPI op_Advise(fo_op *op, void *sink, DWORD *cookie)
{
    if (!sink || !cookie)
        return THK_E_INVALIDARG;
    for (int i = 0; i < FO_MAX_SINKS; i++)
        if (!op->sinks[i]) {
            fo_com_addref(sink);
            op->sinks[i] = sink;
            *cookie = (DWORD)i + 1;
            return THK_S_OK;
        }
    return THK_E_OUTOFMEMORY;
}

static HRESULT WINAPI op_Unadvise(fo_op *op, DWORD cookie)
{
    if (!cookie || cookie > FO_MAX_SINKS || !op->sinks[cookie - 1])
        return THK_E_INVALIDARG;
    fo_com_release(op->sinks[cookie - 1]);
    op->sinks[cookie - 1] = NULL;
    return THK_S_OK;
}

static HRESULT WINAPI op_SetOperationFlags(fo_op *op, DWORD flags)
{
    op->flags = flags;
    return THK_S_OK;
}

static HRESULT WINAPI op_Ignore2(fo_op *op, void *a) { (void)op, (void)a; return THK_S_OK; }

/* what: for the reader; these give E_NOTIMPL, which programs check */
static HRESULT op_not_implemented(const char *what)
{
    (void)what;
    return THK_E_NOTIMPL;
}

static HRESULT WINAPI op_SetProperties(fo_op *op, void *a)
{
    (void)op, (void)a;
    return op_not_implemented("IFileOperation::SetProperties");
}
static HRESULT WINAPI op_ApplyPropertiesToItem(fo_op *op, void *a)
{
    (void)op, (void)a;
    return op_not_implemented("IFileOperation::ApplyPropertiesToItem(s)");
}
static HRESULT WINAPI op_RenameItem(fo_op *op, void *a, void *b, void *c)
{
    (void)op, (void)a, (void)b, (void)c;
    return op_not_implemented("IFileOperation::RenameItem");
}
static HRESULT WINAPI op_RenameItems(fo_op *op, void *a, void *b)
{
    (void)op, (void)a, (void)b;
    return op_not_implemented("IFileOperation::RenameItems");
}
static HRESULT WINAPI op_MoveItem(fo_op *op, void *a, void *b, void *c, void *d)
{
    (void)op, (void)a, (void)b, (void)c, (void)d;
    return op_not_implemented("IFileOperation::MoveItem");
}
static HRESULT WINAPI op_MoveItems(fo_op *op, void *a, void *b)
{
    (void)op, (void)a, (void)b;
    return op_not_implemented("IFileOperation::MoveItems");
}
static HRESULT WINAPI op_CopyItem(fo_op *op, void *a, void *b, void *c, void *d)
{
    (void)op, (void)a, (void)b, (void)c, (void)d;
    return op_not_implemented("IFileOperation::CopyItem");
}
static HRESULT WINAPI op_CopyItems(fo_op *op, void *a, void *b)
{
    (void)op, (void)a, (void)b;
    return op_not_implemented("IFileOperation::CopyItems");
}
static HRESULT WINAPI op_NewItem(fo_op *op, void *a, DWORD b, void *c, void *d, void *e)
{
    (void)op, (void)a, (void)b, (void)c, (void)d, (void)e;
    return op_not_implemented("IFileOperation::NewItem");
}

static HRESULT op_queue(fo_op *op, void *item)
{
    if (op->n_items == op->cap_items) {
        size_t cap = op->cap_items ? op->cap_items * 2 : 8;
        void **n = realloc(op->items, cap * sizeof *n);
        if (!n)
            return THK_E_OUTOFMEMORY;
        op->items = n;
        op->cap_items = cap;
    }
    fo_com_addref(item);
    op->items[op->n_items++] = item;
    return THK_S_OK;
}

static HRESULT WINAPI op_DeleteItem(fo_op *op, void *item, void *sink)
{
    if (!item)
        return THK_E_INVALIDARG;
    if (sink)
        return op_not_implemented("IFileOperation::DeleteItem with a sink of its own");
    return op_queue(op, item);
}

/* items: an IShellItemArray (the other forms Windows takes, IDataObject, IEnumShellItems and
 * IPersistIDList, are not done) */
static HRESULT WINAPI op_DeleteItems(fo_op *op, void *items)
{
    if (!items)
        return THK_E_INVALIDARG;
    void *arr = NULL;
    HRESULT hr = (HRESULT)thk_call_foreign3(fo_method(items, 0), (uint64_t)items,
                                            (uint64_t)&iid_ishellitemarray, (uint64_t)&arr);
    if (hr < 0 || !arr)
        return op_not_implemented("IFileOperation::DeleteItems of other than an IShellItemArray");
    DWORD n = 0;
    hr = (HRESULT)thk_call_foreign2(fo_method(arr, 7), (uint64_t)arr, (uint64_t)&n);
    for (DWORD i = 0; hr >= 0 && i < n; i++) {
        void *it = NULL;
        hr = (HRESULT)thk_call_foreign3(fo_method(arr, 8), (uint64_t)arr, i, (uint64_t)&it);
        if (hr >= 0 && it) {
            hr = op_queue(op, it);
            fo_com_release(it);
        }
    }
    fo_com_release(arr);
    return hr < 0 ? hr : THK_S_OK;
}

/* Calls each sink's method `slot` with up to five arguments after `this`: the first failure. */
static HRESULT op_notify(fo_op *op, int slot, uint64_t a, uint64_t b, uint64_t c, uint64_t d)
{
    HRESULT first = THK_S_OK;
    for (int i = 0; i < FO_MAX_SINKS; i++) {
        void *s = op->sinks[i];
        if (!s)
            continue;
        uint64_t args[5] = {(uint64_t)s, a, b, c, d};
        HRESULT hr = (HRESULT)thk_call_foreign(fo_method(s, slot), 5, args);
        if (hr < 0 && first >= 0)
            first = hr;
    }
    return first;
}

enum { SINK_START = 3, SINK_FINISH = 4, SINK_PRE_DELETE = 11, SINK_POST_DELETE = 12 };

/* One queued deletion: the sinks asked, the item recycled or deleted, the sinks told. */
static HRESULT op_delete_one(fo_op *op, void *item)
{
    WCHAR *path = NULL;
    HRESULT hr = (HRESULT)thk_call_foreign3(fo_method(item, 5), (uint64_t)item,
                                            SIGDN_FILESYSPATH, (uint64_t)&path);
    if (hr < 0)
        return hr;
    char *unix_path = NULL;
    bool want_bin = op->flags & (FOF_ALLOWUNDO | FOFX_RECYCLEONDELETE);
    bool bin = want_bin && NT_SUCCESS(nt_path_to_unix(path, fo_wlen(path), &unix_path)) &&
               fo_recyclable(unix_path);
    DWORD tsf = bin ? TSF_DELETE_RECYCLE_IF_POSSIBLE : 0;
    if (op_notify(op, SINK_PRE_DELETE, tsf, (uint64_t)item, 0, 0) < 0) {
        op->aborted = TRUE;
        hr = FO_HRESULT_FROM_WIN32(FO_ERROR_CANCELLED);
        goto out_free;
    }
    if (bin) {
        int r = fo_trash_put(unix_path);
        hr = r ? FO_HRESULT_FROM_WIN32(nt_status_to_win32(nt_status_from_path_errno(-r, false)))
               : THK_S_OK;
    } else {
        hr = FO_HRESULT_FROM_WIN32(sh_delete(path));
    }
    op_notify(op, SINK_POST_DELETE, tsf, (uint64_t)item, (uint64_t)(uint32_t)hr, 0);
out_free:
    free(unix_path);
    CoTaskMemFree(path);
    return hr;
}

static HRESULT WINAPI op_PerformOperations(fo_op *op)
{
    if (!op->n_items)
        return FO_E_UNEXPECTED;
    op_notify(op, SINK_START, 0, 0, 0, 0);
    HRESULT result = THK_S_OK;
    for (size_t i = 0; i < op->n_items; i++) {
        HRESULT hr = op_delete_one(op, op->items[i]);
        if (hr < 0 && result >= 0)
            result = hr;
        if (op->aborted || (hr < 0 && (op->flags & FOFX_EARLYFAILURE)))
            break;
    }
    op_drop_items(op);
    op_notify(op, SINK_FINISH, (uint64_t)(uint32_t)result, 0, 0, 0);
    return result;
}

static HRESULT WINAPI op_GetAnyOperationsAborted(fo_op *op, BOOL *out)
{
    if (!out)
        return THK_E_POINTER;
    *out = op->aborted;
    return THK_S_OK;
}

static const thk_com_method fo_op_methods[] = {
    THK_COM_METHOD(op_QueryInterface, 3),
    THK_COM_METHOD(op_AddRef, 1),
    THK_COM_METHOD(op_Release, 1),
    THK_COM_METHOD(op_Advise, 3),
    THK_COM_METHOD(op_Unadvise, 2),
    THK_COM_METHOD(op_SetOperationFlags, 2),
    THK_COM_METHOD(op_Ignore2, 2) /* SetProgressMessage */,
    THK_COM_METHOD(op_Ignore2, 2) /* SetProgressDialog */,
    THK_COM_METHOD(op_SetProperties, 2),
    THK_COM_METHOD(op_Ignore2, 2) /* SetOwnerWindow */,
    THK_COM_METHOD(op_ApplyPropertiesToItem, 2),
    THK_COM_METHOD(op_ApplyPropertiesToItem, 2) /* ApplyPropertiesToItems */,
    THK_COM_METHOD(op_RenameItem, 4),
    THK_COM_METHOD(op_RenameItems, 3),
    THK_COM_METHOD(op_MoveItem, 5),
    THK_COM_METHOD(op_MoveItems, 3),
    THK_COM_METHOD(op_CopyItem, 5),
    THK_COM_METHOD(op_CopyItems, 3),
    THK_COM_METHOD(op_DeleteItem, 3),
    THK_COM_METHOD(op_DeleteItems, 2),
    THK_COM_METHOD(op_NewItem, 6),
    THK_COM_METHOD(op_PerformOperations, 1),
    THK_COM_METHOD(op_GetAnyOperationsAborted, 2),
};
static thk_com_vtbl fo_op_vtbl = THK_COM_VTBL("IFileOperation", fo_op_methods);

/* ---- the class object ---- */

typedef struct {
    void *const *vtbl;
} fo_factory;

static HRESULT WINAPI cf_QueryInterface(fo_factory *f, const thk_guid *iid, void **out)
{
    if (!out)
        return THK_E_POINTER;
    *out = NULL;
    if (!iid)
        return THK_E_INVALIDARG;
    if (!thk_guid_eq(iid, &thk_iid_iunknown) && !thk_guid_eq(iid, &iid_iclassfactory))
        return THK_E_NOINTERFACE;
    *out = f;
    return THK_S_OK;
}

static ULONG WINAPI cf_AddRef(fo_factory *f) { (void)f; return 2; }
static ULONG WINAPI cf_Release(fo_factory *f) { (void)f; return 1; }

#define FO_CLASS_E_NOAGGREGATION ((HRESULT)0x80040110)

static HRESULT WINAPI cf_CreateInstance(fo_factory *f, void *outer, const thk_guid *iid,
                                        void **out)
{
    (void)f;
    if (!out)
        return THK_E_POINTER;
    *out = NULL;
    if (outer)
        return FO_CLASS_E_NOAGGREGATION;
    void *const *v = thk_com_vtable(&fo_op_vtbl);
    fo_op *op = v ? calloc(1, sizeof *op) : NULL;
    if (!op)
        return THK_E_OUTOFMEMORY;
    op->vtbl = v;
    op->refs = 1;
    HRESULT hr = op_QueryInterface(op, iid, out);
    op_Release(op);
    return hr;
}

static HRESULT WINAPI cf_LockServer(fo_factory *f, BOOL lock)
{
    (void)f, (void)lock;
    return THK_S_OK;
}

static const thk_com_method fo_factory_methods[] = {
    THK_COM_METHOD(cf_QueryInterface, 3), THK_COM_METHOD(cf_AddRef, 1),
    THK_COM_METHOD(cf_Release, 1),        THK_COM_METHOD(cf_CreateInstance, 4),
    THK_COM_METHOD(cf_LockServer, 2),
};
static thk_com_vtbl fo_factory_vtbl = THK_COM_VTBL("IClassFactory", fo_factory_methods);
static fo_factory fo_the_factory;

/* CLSID_FileOperation's class object (thunks/com_classes.c), or NULL for another class. */
void *sh_file_operation_class(const thk_guid *clsid)
{
    if (!thk_guid_eq(clsid, &clsid_fileoperation))
        return NULL;
    void *const *v = thk_com_vtable(&fo_factory_vtbl);
    if (!v)
        return NULL;
    __atomic_store_n(&fo_the_factory.vtbl, v, __ATOMIC_RELEASE);
    return &fo_the_factory;
}
