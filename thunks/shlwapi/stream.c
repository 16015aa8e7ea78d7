/* SPDX-License-Identifier: MIT */
/* shlwapi's streams: SHCreateMemStream (#12; a copy of the initial bytes, growing on write,
 * clones sharing the bytes with a seek pointer of their own, as since Windows 8) and
 * SHCreateStreamOnFileEx / SHCreateStreamOnFileW / SHCreateStreamOnFileA (a file opened with
 * the STGM access, sharing and create bits). Both are native COM objects (thunks/com_native.h):
 * IUnknown (IID_IUnknown, IID_ISequentialStream, IID_IStream), Read, Write, Seek, SetSize,
 * CopyTo (through the destination's own Write, which may be the program's), Commit, Revert,
 * Stat (STATSTG, the file's name unless STATFLAG_NONAME, its times and size) and Clone.
 * A read that meets the end gives S_OK with the count it read (ISequentialStream allows S_OK or
 * an error there; Wine 8.0 also gives S_OK). Lock/UnlockRegion are STG_E_INVALIDFUNCTION; a file
 * stream's Clone is E_NOTIMPL. Wine 8.0 differs in two places: its memory streams refuse Clone
 * (E_NOTIMPL, Windows before 8) and its file streams' Stat gives type 0, not STGTY_STREAM. */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include "thunks/com_native.h"
#include "thunks/kernel32/kernel32_private.h"

typedef int32_t HRESULT;

BOOL WINAPI ReadFile(HANDLE h, void *buf, DWORD n, DWORD *nread, void *ov);
BOOL WINAPI WriteFile(HANDLE h, const void *buf, DWORD n, DWORD *written, void *ov);
BOOL WINAPI SetFilePointerEx(HANDLE h, LARGE_INTEGER dist, LARGE_INTEGER *new_pos, DWORD method);
BOOL WINAPI SetEndOfFile(HANDLE h);
BOOL WINAPI GetFileSizeEx(HANDLE h, LARGE_INTEGER *size);
BOOL WINAPI GetFileTime(HANDLE h, FILETIME *creation, FILETIME *access, FILETIME *write);
void *WINAPI CoTaskMemAlloc(SIZE_T size);

#define ST_STG_E_INVALIDFUNCTION ((HRESULT)0x80030001)
#define ST_STG_E_INVALIDPOINTER ((HRESULT)0x80030009)
#define ST_STG_E_ACCESSDENIED ((HRESULT)0x80030005)
#define ST_STG_E_INVALIDFLAG ((HRESULT)0x800300FF)
#define ST_HRESULT_FROM_WIN32(e) ((HRESULT)((e) ? (0x80070000u | ((e) & 0xffffu)) : 0))

/* STGM */
#define STGM_WRITE 0x1u
#define STGM_READWRITE 0x2u
#define STGM_SHARE_EXCLUSIVE 0x10u
#define STGM_SHARE_DENY_WRITE 0x20u
#define STGM_SHARE_DENY_READ 0x30u
#define STGM_SHARE_DENY_NONE 0x40u
#define STGM_CREATE 0x1000u
#define STGM_CONVERT 0x20000u
#define STGM_TRANSACTED 0x10000u
#define STGM_DELETEONRELEASE 0x4000000u
#define STATFLAG_NONAME 1u
#define STGTY_STREAM 2u

/* STATSTG (objidl.h), x64 */
typedef struct {
    WCHAR *pwcsName;         /* 0x00 */
    DWORD type;              /* 0x08 */
    uint64_t cbSize;         /* 0x10 */
    FILETIME mtime;          /* 0x18 */
    FILETIME ctime;          /* 0x20 */
    FILETIME atime;          /* 0x28 */
    DWORD grfMode;           /* 0x30 */
    DWORD grfLocksSupported; /* 0x34 */
    thk_guid clsid;          /* 0x38 */
    DWORD grfStateBits;      /* 0x48 */
    DWORD reserved;          /* 0x4c */
} st_statstg;
_Static_assert(sizeof(st_statstg) == 0x50, "STATSTG");
_Static_assert(offsetof(st_statstg, grfMode) == 0x30, "STATSTG.grfMode");

static const thk_guid iid_isequentialstream = {
    0x0c733a30, 0x2a1c, 0x11ce, {0xad, 0xe5, 0x00, 0xaa, 0x00, 0x44, 0x77, 0x3d}};
static const thk_guid iid_istream = {0x0000000c, 0, 0, {0xc0, 0, 0, 0, 0, 0, 0, 0x46}};

/* The bytes of a memory stream, shared by its clones. */
typedef struct st_mem {
    pthread_mutex_t lock;
    int32_t refs;
    uint8_t *p;
    size_t n, cap;
} st_mem;

typedef struct st_stream {
    void *const *vtbl; /* the COM object starts here */
    int32_t refs;
    st_mem *mem;     /* memory stream, or */
    HANDLE file;     /* file stream */
    WCHAR *name;     /* the file's name as given */
    DWORD mode;      /* grfMode */
    uint64_t pos;    /* memory stream's seek pointer */
} st_stream;

static thk_com_vtbl st_vtbl;

static void st_mem_release(st_mem *m)
{
    if (__atomic_sub_fetch(&m->refs, 1, __ATOMIC_ACQ_REL))
        return;
    pthread_mutex_destroy(&m->lock);
    free(m->p);
    free(m);
}

static st_stream *st_new(void)
{
    st_stream *s = calloc(1, sizeof *s);
    if (!s)
        return NULL;
    s->vtbl = thk_com_vtable(&st_vtbl);
    if (!s->vtbl) {
        free(s);
        return NULL;
    }
    s->refs = 1;
    s->file = INVALID_HANDLE_VALUE;
    return s;
}

/* ---- IUnknown ---- */
static HRESULT WINAPI st_QueryInterface(st_stream *s, const thk_guid *iid, void **out)
{
    if (!out)
        return THK_E_POINTER;
    *out = NULL;
    if (!iid)
        return THK_E_INVALIDARG;
    if (!thk_guid_eq(iid, &thk_iid_iunknown) && !thk_guid_eq(iid, &iid_isequentialstream) &&
        !thk_guid_eq(iid, &iid_istream))
        return THK_E_NOINTERFACE;
    __atomic_add_fetch(&s->refs, 1, __ATOMIC_RELAXED);
    *out = s;
    return THK_S_OK;
}

static ULONG WINAPI st_AddRef(st_stream *s)
{
    return (ULONG)__atomic_add_fetch(&s->refs, 1, __ATOMIC_RELAXED);
}

static ULONG WINAPI st_Release(st_stream *s)
{
    int32_t left = __atomic_sub_fetch(&s->refs, 1, __ATOMIC_ACQ_REL);
    if (left)
        return (ULONG)left;
    if (s->mem)
        st_mem_release(s->mem);
    if (s->file != INVALID_HANDLE_VALUE)
        CloseHandle(s->file);
    free(s->name);
    free(s);
    return 0;
}

/* ---- ISequentialStream ---- */
static HRESULT st_file_error(void)
{
    DWORD e = GetLastError();
    return e ? ST_HRESULT_FROM_WIN32(e) : THK_E_FAIL;
}

static HRESULT WINAPI st_Read(st_stream *s, void *buf, ULONG cb, ULONG *done)
{
    DWORD n = 0;
    HRESULT hr = THK_S_OK;
    if (!buf)
        return ST_STG_E_INVALIDPOINTER;
    if (s->mem) {
        pthread_mutex_lock(&s->mem->lock);
        if (s->pos < s->mem->n) {
            uint64_t left = s->mem->n - s->pos;
            n = cb < left ? cb : (DWORD)left;
            memcpy(buf, s->mem->p + s->pos, n);
            s->pos += n;
        }
        pthread_mutex_unlock(&s->mem->lock);
    } else if (!ReadFile(s->file, buf, cb, &n, NULL)) {
        hr = st_file_error();
        n = 0;
    }
    if (done)
        *done = n;
    return hr;
}

/* The memory stream's bytes grown to hold `end` (zero-filled); false when out of memory. */
static bool st_mem_reserve(st_mem *m, uint64_t end)
{
    if (end > SIZE_MAX / 2)
        return false;
    if (end > m->cap) {
        size_t cap = m->cap ? m->cap : 256;
        while (cap < end)
            cap *= 2;
        uint8_t *p = realloc(m->p, cap);
        if (!p)
            return false;
        m->p = p;
        m->cap = cap;
    }
    if (end > m->n) {
        memset(m->p + m->n, 0, end - m->n);
        m->n = end;
    }
    return true;
}

static HRESULT WINAPI st_Write(st_stream *s, const void *buf, ULONG cb, ULONG *done)
{
    DWORD n = 0;
    HRESULT hr = THK_S_OK;
    if (!buf)
        return ST_STG_E_INVALIDPOINTER;
    if (s->mem) {
        pthread_mutex_lock(&s->mem->lock);
        if (!st_mem_reserve(s->mem, s->pos + cb)) {
            hr = THK_E_OUTOFMEMORY;
        } else {
            memcpy(s->mem->p + s->pos, buf, cb);
            s->pos += cb;
            n = cb;
        }
        pthread_mutex_unlock(&s->mem->lock);
    } else if (!(s->mode & (STGM_WRITE | STGM_READWRITE))) {
        hr = ST_STG_E_ACCESSDENIED;
    } else if (!WriteFile(s->file, buf, cb, &n, NULL)) {
        hr = st_file_error();
        n = 0;
    }
    if (done)
        *done = n;
    return hr;
}

/* ---- IStream ---- */
static HRESULT WINAPI st_Seek(st_stream *s, int64_t move, DWORD origin, uint64_t *newpos)
{
    if (origin > 2)
        return ST_STG_E_INVALIDFUNCTION;
    if (!s->mem) {
        LARGE_INTEGER d, np;
        d.QuadPart = move;
        if (!SetFilePointerEx(s->file, d, &np, origin))
            return st_file_error();
        if (newpos)
            *newpos = (uint64_t)np.QuadPart;
        return THK_S_OK;
    }
    pthread_mutex_lock(&s->mem->lock);
    int64_t base = origin == 0 ? 0 : origin == 1 ? (int64_t)s->pos : (int64_t)s->mem->n;
    pthread_mutex_unlock(&s->mem->lock);
    int64_t to;
    if (__builtin_add_overflow(base, move, &to) || to < 0)
        return ST_STG_E_INVALIDFUNCTION;
    s->pos = (uint64_t)to;
    if (newpos)
        *newpos = s->pos;
    return THK_S_OK;
}

static HRESULT WINAPI st_SetSize(st_stream *s, uint64_t size)
{
    if (s->mem) {
        HRESULT hr = THK_S_OK;
        pthread_mutex_lock(&s->mem->lock);
        if (size <= s->mem->n)
            s->mem->n = (size_t)size;
        else if (!st_mem_reserve(s->mem, size))
            hr = THK_E_OUTOFMEMORY;
        pthread_mutex_unlock(&s->mem->lock);
        return hr;
    }
    LARGE_INTEGER zero = {.QuadPart = 0}, here, to = {.QuadPart = (int64_t)size};
    if (!SetFilePointerEx(s->file, zero, &here, 1) || !SetFilePointerEx(s->file, to, NULL, 0))
        return st_file_error();
    HRESULT hr = SetEndOfFile(s->file) ? THK_S_OK : st_file_error();
    SetFilePointerEx(s->file, here, NULL, 0);
    return hr;
}

/* Reads from s and writes to `dst` through its own vtable (foreign or native alike). */
static HRESULT WINAPI st_CopyTo(st_stream *s, void **dst, uint64_t cb, uint64_t *nread,
                                uint64_t *nwritten)
{
    uint8_t buf[8192];
    uint64_t r = 0, w = 0;
    HRESULT hr = THK_S_OK;
    if (!dst)
        return ST_STG_E_INVALIDPOINTER;
    void *const *vt = *(void *const *const *)dst;
    while (cb > 0) {
        ULONG want = cb < sizeof buf ? (ULONG)cb : (ULONG)sizeof buf, got = 0, put = 0;
        hr = st_Read(s, buf, want, &got);
        if (hr < 0)
            break;
        hr = THK_S_OK;
        if (!got)
            break;
        r += got;
        cb -= got;
        hr = (HRESULT)thk_call_foreign4(vt[4] /* Write */, (uint64_t)(uintptr_t)dst,
                                        (uint64_t)(uintptr_t)buf, got, (uint64_t)(uintptr_t)&put);
        w += put;
        if (hr < 0)
            break;
        hr = THK_S_OK;
        if (put < got)
            break;
    }
    if (nread)
        *nread = r;
    if (nwritten)
        *nwritten = w;
    return hr;
}

static HRESULT WINAPI st_Commit(st_stream *s, DWORD flags)
{
    (void)s;
    (void)flags;
    return THK_S_OK;
}

static HRESULT WINAPI st_Revert(st_stream *s)
{
    (void)s;
    return THK_S_OK;
}

static HRESULT WINAPI st_LockRegion(st_stream *s, uint64_t off, uint64_t cb, DWORD type)
{
    (void)s;
    (void)off;
    (void)cb;
    (void)type;
    return ST_STG_E_INVALIDFUNCTION;
}

static HRESULT WINAPI st_Stat(st_stream *s, st_statstg *st, DWORD flags)
{
    if (!st)
        return ST_STG_E_INVALIDPOINTER;
    if (flags > STATFLAG_NONAME + 1)
        return ST_STG_E_INVALIDFLAG;
    memset(st, 0, sizeof *st);
    st->type = STGTY_STREAM;
    st->grfMode = s->mode;
    if (s->mem) {
        pthread_mutex_lock(&s->mem->lock);
        st->cbSize = s->mem->n;
        pthread_mutex_unlock(&s->mem->lock);
        return THK_S_OK;
    }
    LARGE_INTEGER size;
    if (!GetFileSizeEx(s->file, &size) || !GetFileTime(s->file, &st->ctime, &st->atime, &st->mtime))
        return st_file_error();
    st->cbSize = (uint64_t)size.QuadPart;
    if (!(flags & STATFLAG_NONAME) && s->name) {
        size_t n = 0;
        while (s->name[n])
            n++;
        st->pwcsName = CoTaskMemAlloc((n + 1) * sizeof(WCHAR));
        if (!st->pwcsName)
            return THK_E_OUTOFMEMORY;
        memcpy(st->pwcsName, s->name, (n + 1) * sizeof(WCHAR));
    }
    return THK_S_OK;
}

static HRESULT WINAPI st_Clone(st_stream *s, st_stream **out)
{
    if (!out)
        return ST_STG_E_INVALIDPOINTER;
    *out = NULL;
    if (!s->mem)
        return THK_E_NOTIMPL;
    st_stream *c = st_new();
    if (!c)
        return THK_E_OUTOFMEMORY;
    __atomic_add_fetch(&s->mem->refs, 1, __ATOMIC_RELAXED);
    c->mem = s->mem;
    c->mode = s->mode;
    c->pos = s->pos;
    *out = c;
    return THK_S_OK;
}

static const thk_com_method st_methods[] = {
    THK_COM_METHOD(st_QueryInterface, 3), THK_COM_METHOD(st_AddRef, 1),
    THK_COM_METHOD(st_Release, 1),        THK_COM_METHOD(st_Read, 4),
    THK_COM_METHOD(st_Write, 4),          THK_COM_METHOD(st_Seek, 4),
    THK_COM_METHOD(st_SetSize, 2),        THK_COM_METHOD(st_CopyTo, 5),
    THK_COM_METHOD(st_Commit, 2),         THK_COM_METHOD(st_Revert, 1),
    THK_COM_METHOD(st_LockRegion, 4),     THK_COM_METHOD(st_LockRegion, 4) /* Unlock */,
    THK_COM_METHOD(st_Stat, 3),           THK_COM_METHOD(st_Clone, 2),
};
static thk_com_vtbl st_vtbl = THK_COM_VTBL("IStream", st_methods);

/* ---- creation ---- */
static void *WINAPI SHCreateMemStream(const uint8_t *init, UINT cb)
{
    st_stream *s = st_new();
    st_mem *m = calloc(1, sizeof *m);
    if (!s || !m)
        goto fail;
    pthread_mutex_init(&m->lock, NULL);
    m->refs = 1;
    s->mem = m;
    s->mode = STGM_READWRITE;
    if (init && cb) {
        if (!st_mem_reserve(m, cb))
            goto fail;
        memcpy(m->p, init, cb);
    }
    return s;
fail:
    if (s && s->mem)
        st_Release(s);
    else {
        free(s);
        free(m);
    }
    return NULL;
}
THK_EXPORT(shlwapi, SHCreateMemStream, 2);

static HRESULT WINAPI SHCreateStreamOnFileEx(const WCHAR *file, DWORD mode, DWORD attrs,
                                             BOOL create, void *templ, st_stream **out)
{
    if (!out)
        return THK_E_INVALIDARG;
    *out = NULL;
    if (!file || templ || (mode & (STGM_CONVERT | STGM_TRANSACTED | STGM_DELETEONRELEASE)))
        return THK_E_INVALIDARG;
    DWORD access = 0x80000000u; /* GENERIC_READ */
    switch (mode & 3u) {
    case 0: break;
    case STGM_WRITE:
    case STGM_READWRITE: access |= 0x40000000u; break; /* GENERIC_WRITE */
    default: return THK_E_INVALIDARG;
    }
    DWORD share;
    switch (mode & 0x70u) {
    case 0:
    case STGM_SHARE_DENY_NONE: share = 3; break; /* FILE_SHARE_READ | WRITE */
    case STGM_SHARE_DENY_READ: share = 2; break;
    case STGM_SHARE_DENY_WRITE: share = 1; break;
    case STGM_SHARE_EXCLUSIVE: share = 0; break;
    default: return THK_E_INVALIDARG;
    }
    /* CREATE_ALWAYS with STGM_CREATE; else CREATE_NEW when asked to create, OPEN_EXISTING */
    DWORD disp = (mode & STGM_CREATE) ? 2 : create ? 1 : 3;
    HANDLE h = CreateFileW(file, access, share, NULL, disp, attrs ? attrs : 0x80, NULL);
    if (h == INVALID_HANDLE_VALUE)
        return st_file_error();
    st_stream *s = st_new();
    size_t n = 0;
    while (file[n])
        n++;
    WCHAR *name = malloc((n + 1) * sizeof(WCHAR));
    if (!s || !name) {
        CloseHandle(h);
        free(s);
        free(name);
        return THK_E_OUTOFMEMORY;
    }
    memcpy(name, file, (n + 1) * sizeof(WCHAR));
    s->file = h;
    s->name = name;
    s->mode = mode;
    *out = s;
    return THK_S_OK;
}
THK_EXPORT(shlwapi, SHCreateStreamOnFileEx, 6);

static HRESULT WINAPI SHCreateStreamOnFileW(const WCHAR *file, DWORD mode, st_stream **out)
{
    if (!out)
        return THK_E_INVALIDARG;
    *out = NULL;
    if (!file)
        return THK_E_INVALIDARG;
    return SHCreateStreamOnFileEx(file, mode, 0x80, FALSE, NULL, out);
}
THK_EXPORT(shlwapi, SHCreateStreamOnFileW, 3);

static HRESULT WINAPI SHCreateStreamOnFileA(const char *file, DWORD mode, st_stream **out)
{
    if (!out)
        return THK_E_INVALIDARG;
    *out = NULL;
    if (!file)
        return THK_E_INVALIDARG;
    WCHAR w[1024];
    if (!MultiByteToWideChar(0 /* CP_ACP */, 0, file, -1, w, 1024))
        return ST_HRESULT_FROM_WIN32(206u); /* ERROR_FILENAME_EXCED_RANGE */
    return SHCreateStreamOnFileEx(w, mode, 0x80, FALSE, NULL, out);
}
THK_EXPORT(shlwapi, SHCreateStreamOnFileA, 3);
