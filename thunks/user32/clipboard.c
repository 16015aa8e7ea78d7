/* SPDX-License-Identifier: MIT */
/* The clipboard: OpenClipboard, EmptyClipboard, SetClipboardData, GetClipboardData,
 * CloseClipboard, IsClipboardFormatAvailable, CountClipboardFormats, EnumClipboardFormats,
 * GetClipboardSequenceNumber, GetOpenClipboardWindow, GetClipboardOwner.
 *
 * One clipboard for the ntrun processes of the user that use the same C: drive (one Windows
 * system, as ntemu/proclist.c counts them; Wine has one per wineserver), kept in /dev/shm so
 * that it lasts as a session's does, not across a reboot:
 *   /dev/shm/ntrun-clipboard-UID-HASH       the formats and their data
 *   /dev/shm/ntrun-clipboard-UID-HASH.lock  flock'd exclusively while a process has it open
 * (HASH: FNV-1a of the C: drive's folder). A second OpenClipboard, from another process or another
 * thread of this one, fails at once with ERROR_ACCESS_DENIED, as on Windows. The data file is
 * read once by OpenClipboard (the formats of that moment) and replaced whole (a new file renamed
 * over it) by the CloseClipboard that follows EmptyClipboard or SetClipboardData, so the readers
 * of IsClipboardFormatAvailable, CountClipboardFormats and the sequence number need no lock.
 * File layout: "NTCB", u32 sequence number, u32 count, then per format u32 format, u32 size, data.
 *
 * Data are global-memory blocks (kernel32's LocalAlloc blocks): SetClipboardData copies the
 * block's bytes and takes the block, which GetClipboardData returns while the contents last, as
 * Windows does; a block the clipboard hands out is freed when this process's clipboard changes
 * or is opened again on new contents. Text is converted among CF_TEXT (ANSI code page),
 * CF_OEMTEXT (OEM code page) and CF_UNICODETEXT as Windows synthesizes them, and text brings
 * CF_LOCALE (the user's default LCID) when it was not set; EnumClipboardFormats lists the set
 * formats, then CF_LOCALE, then the synthesized text formats (Windows' and Wine's order). Delayed rendering (SetClipboardData with a NULL block) records the format
 * without data: GetClipboardData then gives NULL, as there is no window to send
 * WM_RENDERFORMAT to. GDI handles (CF_BITMAP, CF_PALETTE, CF_ENHMETAFILE) are not blocks and are
 * refused with ERROR_INVALID_HANDLE. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>
#include "thunks/user32/user32_private.h"

void *WINAPI LocalAlloc(UINT flags, SIZE_T size);          /* kernel32/memory.c */
void *WINAPI LocalFree(void *mem);
SIZE_T WINAPI LocalSize(void *mem);
DWORD WINAPI GetCurrentThreadId(void);
DWORD WINAPI GetUserDefaultLCID(void);
BOOL WINAPI IsWindow(HWND hwnd);
int WINAPI MultiByteToWideChar(UINT cp, DWORD flags, const char *src, int srclen, WCHAR *dst,
                               int dstlen);
int WINAPI WideCharToMultiByte(UINT cp, DWORD flags, const WCHAR *src, int srclen, char *dst,
                               int dstlen, const char *defchar, BOOL *used);

#define CB_CF_TEXT 1
#define CB_CF_OEMTEXT 7
#define CB_CF_UNICODETEXT 13
#define CB_CF_LOCALE 16
#define CB_CP_ACP 0
#define CB_CP_OEMCP 1
#define CB_ERROR_INVALID_HANDLE 6
#define CB_ERROR_CLIPBOARD_NOT_OPEN 1418
#define CB_MAX_FORMATS 256

typedef struct {
    UINT format;
    uint32_t size;
    uint8_t *data;  /* malloc'd copy; NULL with size 0 for delayed rendering */
    void *block;    /* the global-memory block handed out for it (or given to Set), or NULL */
    bool synth;     /* made by GetClipboardData from another format: not part of the contents */
} cb_format;

/* This process's view, under cb_lock. */
static pthread_mutex_t cb_lock = PTHREAD_MUTEX_INITIALIZER;
static DWORD cb_open_tid;        /* the thread that has it open, 0 if none */
static HWND cb_open_hwnd;
static HWND cb_owner;            /* the window given to OpenClipboard before EmptyClipboard */
static bool cb_owned;            /* EmptyClipboard was called in this process's open */
static int cb_lock_fd = -1;      /* the .lock file, flock'd while open */
static bool cb_dirty;            /* to be written by CloseClipboard */
static uint32_t cb_seq;          /* the contents' sequence number when read */
static cb_format cb_formats[CB_MAX_FORMATS];
static unsigned cb_count;

/* The data file's path for the current C: drive (malloc'd), or NULL: named by a hash of the
 * drive's folder (which need not exist yet). */
static char *cb_path(const char *suffix)
{
    const char *c = nt_path_get_drive('C');
    if (!c)
        return NULL;
    uint64_t h = 0xcbf29ce484222325ull; /* FNV-1a */
    for (const char *p = c; *p; p++)
        h = (h ^ (uint8_t)*p) * 0x100000001b3ull;
    char *p = malloc(96);
    if (p)
        snprintf(p, 96, "/dev/shm/ntrun-clipboard-%u-%016llx%s", (unsigned)getuid(),
                 (unsigned long long)h, suffix);
    return p;
}

static void cb_clear_locked(void)
{
    for (unsigned i = 0; i < cb_count; i++) {
        free(cb_formats[i].data);
        if (cb_formats[i].block)
            LocalFree(cb_formats[i].block);
    }
    cb_count = 0;
}

/* Reads the data file: its formats into *out (malloc'd data) and its sequence number. Returns
 * the count; 0 for a missing or malformed file. */
static unsigned cb_read_file(cb_format *out, unsigned max, uint32_t *seq)
{
    *seq = 0;
    char *path = cb_path("");
    if (!path)
        return 0;
    FILE *f = fopen(path, "rbe");
    free(path);
    if (!f)
        return 0;
    unsigned n = 0;
    uint32_t hdr[3];
    if (fread(hdr, sizeof hdr, 1, f) == 1 && memcmp(hdr, "NTCB", 4) == 0) {
        *seq = hdr[1];
        for (uint32_t i = 0; i < hdr[2] && n < max; i++) {
            uint32_t fs[2];
            if (fread(fs, sizeof fs, 1, f) != 1 || fs[1] > (1u << 30))
                break;
            uint8_t *d = fs[1] ? malloc(fs[1]) : NULL;
            if (fs[1] && (!d || fread(d, fs[1], 1, f) != 1)) {
                free(d);
                break;
            }
            if (out) {
                out[n] = (cb_format){ fs[0], fs[1], d, NULL, false };
            } else {
                free(d);
            }
            n++;
        }
    }
    fclose(f);
    return n;
}

/* Writes this process's formats as the new contents, with the next sequence number. */
static void cb_write_locked(void)
{
    char *path = cb_path(""), *tmp = cb_path(".new");
    FILE *f = tmp ? fopen(tmp, "wbe") : NULL;
    if (f) {
        uint32_t seq = 0;
        cb_read_file(NULL, 0, &seq);
        uint32_t real = 0;
        for (unsigned i = 0; i < cb_count; i++)
            real += !cb_formats[i].synth;
        uint32_t hdr[3] = { 0, seq + 1, real };
        memcpy(hdr, "NTCB", 4);
        bool ok = fwrite(hdr, sizeof hdr, 1, f) == 1;
        for (unsigned i = 0; ok && i < cb_count; i++) {
            if (cb_formats[i].synth)
                continue;
            uint32_t fs[2] = { cb_formats[i].format, cb_formats[i].size };
            ok = fwrite(fs, sizeof fs, 1, f) == 1 &&
                 (!fs[1] || fwrite(cb_formats[i].data, fs[1], 1, f) == 1);
        }
        if (fclose(f) == 0 && ok && rename(tmp, path) == 0)
            cb_seq = seq + 1;
        else
            unlink(tmp);
    }
    free(path);
    free(tmp);
}

static bool cb_is_text(UINT format)
{
    return format == CB_CF_TEXT || format == CB_CF_OEMTEXT || format == CB_CF_UNICODETEXT;
}

/* The entry of `format` (synthesized ones too when `synth`), or -1. */
static int cb_find_in(const cb_format *fmts, unsigned n, UINT format, bool synth)
{
    for (unsigned i = 0; i < n; i++)
        if (fmts[i].format == format && (synth || !fmts[i].synth))
            return (int)i;
    return -1;
}

static int cb_find(const cb_format *fmts, unsigned n, UINT format)
{
    return cb_find_in(fmts, n, format, false);
}

/* The text format `format` is made from, when the contents lack it: Unicode first, then ANSI,
 * then OEM text (-1 when there is no text). */
static int cb_text_source(const cb_format *fmts, unsigned n, UINT format)
{
    static const UINT order[] = { CB_CF_UNICODETEXT, CB_CF_TEXT, CB_CF_OEMTEXT };
    if (!cb_is_text(format))
        return -1;
    for (unsigned k = 0; k < 3; k++) {
        int i = order[k] == format ? -1 : cb_find(fmts, n, order[k]);  /* set ones only */
        if (i >= 0 && fmts[i].data)
            return i;
    }
    return -1;
}

/* CF_LOCALE is synthesized: there is text and no CF_LOCALE was set. */
static bool cb_locale_synth(const cb_format *fmts, unsigned n)
{
    if (cb_find(fmts, n, CB_CF_LOCALE) >= 0)
        return false;
    for (unsigned i = 0; i < n; i++)
        if (cb_is_text(fmts[i].format) && fmts[i].data && !fmts[i].synth)
            return true;
    return false;
}

/* The formats present, set ones first, then CF_LOCALE and the text formats Windows
 * synthesizes. */
static unsigned cb_list(const cb_format *fmts, unsigned n, UINT *out)
{
    unsigned k = 0;
    for (unsigned i = 0; i < n; i++)
        if (!fmts[i].synth)
            out[k++] = fmts[i].format;
    if (cb_locale_synth(fmts, n))
        out[k++] = CB_CF_LOCALE;
    static const UINT text[] = { CB_CF_UNICODETEXT, CB_CF_TEXT, CB_CF_OEMTEXT };
    for (unsigned t = 0; t < 3; t++)
        if (cb_find(fmts, n, text[t]) < 0 && cb_text_source(fmts, n, text[t]) >= 0)
            out[k++] = text[t];
    return k;
}

/* A new global-memory block holding text format `format` made from fmts[src]. */
static void *cb_convert(const cb_format *s, UINT format)
{
    if (format == CB_CF_UNICODETEXT) {
        const char *a = (const char *)s->data;
        int len = (int)strnlen(a, s->size);
        UINT cp = s->format == CB_CF_OEMTEXT ? CB_CP_OEMCP : CB_CP_ACP;
        int n = MultiByteToWideChar(cp, 0, a, len, NULL, 0);
        WCHAR *w = LocalAlloc(0, ((size_t)n + 1) * sizeof(WCHAR));
        if (w) {
            MultiByteToWideChar(cp, 0, a, len, w, n);
            w[n] = 0;
        }
        return w;
    }
    UINT cp = format == CB_CF_OEMTEXT ? CB_CP_OEMCP : CB_CP_ACP;
    if (s->format == CB_CF_UNICODETEXT) {
        const WCHAR *w = (const WCHAR *)s->data;
        int len = 0;
        while ((size_t)(len + 1) * sizeof(WCHAR) <= s->size && w[len])
            len++;
        int n = WideCharToMultiByte(cp, 0, w, len, NULL, 0, NULL, NULL);
        char *a = LocalAlloc(0, (size_t)n + 1);
        if (a) {
            WideCharToMultiByte(cp, 0, w, len, a, n, NULL, NULL);
            a[n] = 0;
        }
        return a;
    }
    /* ANSI <-> OEM: through UTF-16 */
    cb_format tmp = { CB_CF_UNICODETEXT, 0, NULL, NULL, false };
    WCHAR *w = cb_convert(s, CB_CF_UNICODETEXT);
    if (!w)
        return NULL;
    tmp.data = (uint8_t *)w;
    tmp.size = (uint32_t)LocalSize(w);
    void *r = cb_convert(&tmp, format);
    LocalFree(w);
    return r;
}

/* The clipboard is open by the calling thread (under cb_lock); else ERROR_CLIPBOARD_NOT_OPEN. */
static bool cb_mine_locked(void)
{
    if (cb_open_tid && cb_open_tid == GetCurrentThreadId())
        return true;
    thk_set_last_error(CB_ERROR_CLIPBOARD_NOT_OPEN);
    return false;
}

/* cb_lock taken and the clipboard open by the calling thread: true, the lock held; else false,
 * the lock not held, ERROR_CLIPBOARD_NOT_OPEN. */
static bool cb_lock_mine(void)
{
    pthread_mutex_lock(&cb_lock);
    if (cb_mine_locked())
        return true;
    pthread_mutex_unlock(&cb_lock);
    return false;
}

/* What the getters below report, read together under cb_lock: the window that has the clipboard
 * open (NULL when it is not open or was opened with none), the owner (NULL unless EmptyClipboard
 * was called in this process) and this process's view's sequence number. */
typedef struct {
    bool open;
    HWND open_hwnd;
    HWND owner;
    uint32_t seq;
} cb_state;

static cb_state cb_state_now(void)
{
    pthread_mutex_lock(&cb_lock);
    cb_state s = { cb_open_tid != 0, cb_open_tid ? cb_open_hwnd : NULL,
                   cb_owned ? cb_owner : NULL, cb_seq };
    pthread_mutex_unlock(&cb_lock);
    return s;
}

BOOL WINAPI OpenClipboard(HWND hwnd)
{
    if (hwnd && !IsWindow(hwnd)) {
        thk_set_last_error(U32_ERROR_INVALID_WINDOW_HANDLE);
        return FALSE;
    }
    DWORD tid = GetCurrentThreadId();
    pthread_mutex_lock(&cb_lock);
    if (cb_open_tid) {
        bool again = cb_open_tid == tid;
        if (again)
            cb_open_hwnd = hwnd;
        pthread_mutex_unlock(&cb_lock);
        if (!again)
            thk_set_last_error(U32_ERROR_ACCESS_DENIED);
        return again;
    }
    char *lock = cb_path(".lock");
    int fd = lock ? open(lock, O_RDWR | O_CREAT | O_CLOEXEC, 0600) : -1;
    free(lock);
    if (fd < 0 || flock(fd, LOCK_EX | LOCK_NB) != 0) {
        if (fd >= 0)
            close(fd);
        pthread_mutex_unlock(&cb_lock);
        thk_set_last_error(U32_ERROR_ACCESS_DENIED);
        return FALSE;
    }
    cb_lock_fd = fd;
    cb_open_tid = tid;
    cb_open_hwnd = hwnd;
    cb_owned = false;
    cb_dirty = false;
    /* the contents of this moment; the blocks handed out for older ones go */
    static cb_format fresh[CB_MAX_FORMATS];
    uint32_t seq;
    unsigned n = cb_read_file(fresh, CB_MAX_FORMATS, &seq);
    unsigned real = 0;
    for (unsigned i = 0; i < cb_count; i++)
        real += !cb_formats[i].synth;
    if (seq != cb_seq || n != real) {
        cb_clear_locked();
        memcpy(cb_formats, fresh, n * sizeof *fresh);
        cb_count = n;
        cb_seq = seq;
    } else {
        for (unsigned i = 0; i < n; i++)
            free(fresh[i].data);
    }
    pthread_mutex_unlock(&cb_lock);
    return TRUE;
}
THK_EXPORT(user32, OpenClipboard, 1);

BOOL WINAPI CloseClipboard(void)
{
    if (!cb_lock_mine())
        return FALSE;
    if (cb_dirty)
        cb_write_locked();
    cb_dirty = false;
    cb_open_tid = 0;
    cb_open_hwnd = NULL;
    flock(cb_lock_fd, LOCK_UN);
    close(cb_lock_fd);
    cb_lock_fd = -1;
    pthread_mutex_unlock(&cb_lock);
    return TRUE;
}
THK_EXPORT(user32, CloseClipboard, 0);

BOOL WINAPI EmptyClipboard(void)
{
    if (!cb_lock_mine())
        return FALSE;
    cb_clear_locked();
    cb_owned = true;
    cb_owner = cb_open_hwnd;
    cb_dirty = true;
    pthread_mutex_unlock(&cb_lock);
    return TRUE;
}
THK_EXPORT(user32, EmptyClipboard, 0);

HANDLE WINAPI SetClipboardData(UINT format, HANDLE mem)
{
    if (!cb_lock_mine())
        return NULL;
    SIZE_T size = 0;
    uint8_t *copy = NULL;
    if (mem) {
        size = LocalSize(mem); /* ERROR_INVALID_HANDLE for what is not a block */
        if (!size || size > (1u << 30) || !(copy = malloc(size))) {
            pthread_mutex_unlock(&cb_lock);
            if (size)
                thk_set_last_error(U32_ERROR_NOT_ENOUGH_MEMORY);
            else
                thk_set_last_error(CB_ERROR_INVALID_HANDLE);
            return NULL;
        }
        memcpy(copy, mem, size);
    }
    int i = cb_find_in(cb_formats, cb_count, format, true);
    if (i < 0 && cb_count == CB_MAX_FORMATS) {
        free(copy);
        pthread_mutex_unlock(&cb_lock);
        thk_set_last_error(U32_ERROR_NOT_ENOUGH_MEMORY);
        return NULL;
    }
    if (i < 0) {
        i = (int)cb_count++;
    } else {
        free(cb_formats[i].data);
        if (cb_formats[i].block && cb_formats[i].block != mem)
            LocalFree(cb_formats[i].block);
    }
    cb_formats[i] = (cb_format){ format, (uint32_t)size, copy, mem, false };
    cb_dirty = true;
    pthread_mutex_unlock(&cb_lock);
    return mem;
}
THK_EXPORT(user32, SetClipboardData, 2);

HANDLE WINAPI GetClipboardData(UINT format)
{
    if (!cb_lock_mine())
        return NULL;
    void *r = NULL;
    int i = cb_find_in(cb_formats, cb_count, format, true);
    if (i >= 0 && cb_formats[i].data) {
        if (!cb_formats[i].block && (cb_formats[i].block = LocalAlloc(0, cb_formats[i].size)))
            memcpy(cb_formats[i].block, cb_formats[i].data, cb_formats[i].size);
        r = cb_formats[i].block;
    } else if (i < 0 && cb_count < CB_MAX_FORMATS) {
        int src = cb_text_source(cb_formats, cb_count, format);
        void *block = NULL;
        if (src >= 0) {
            block = cb_convert(&cb_formats[src], format);
        } else if (format == CB_CF_LOCALE && cb_locale_synth(cb_formats, cb_count) &&
                   (block = LocalAlloc(0, sizeof(DWORD)))) {
            DWORD lcid = GetUserDefaultLCID();
            memcpy(block, &lcid, sizeof lcid);
        }
        if (block) {
            /* kept as a format of this process's view, so a second call gives the same block */
            SIZE_T n = block ? LocalSize(block) : 0;
            uint8_t *copy = n ? malloc(n) : NULL;
            if (copy) {
                memcpy(copy, block, n);
                cb_formats[cb_count++] = (cb_format){ format, (uint32_t)n, copy, block, true };
                r = block;
            } else if (block) {
                LocalFree(block);
            }
        }
    }
    pthread_mutex_unlock(&cb_lock);
    return r;
}
THK_EXPORT(user32, GetClipboardData, 1);

/* The formats of the current contents: this process's view while it has the clipboard open,
 * else the data file's. */
static unsigned cb_current(UINT *out)
{
    pthread_mutex_lock(&cb_lock);
    if (cb_open_tid) {
        unsigned n = cb_list(cb_formats, cb_count, out);
        pthread_mutex_unlock(&cb_lock);
        return n;
    }
    pthread_mutex_unlock(&cb_lock);
    cb_format *fmts = malloc(CB_MAX_FORMATS * sizeof *fmts);
    if (!fmts)
        return 0;
    uint32_t seq;
    unsigned n = cb_read_file(fmts, CB_MAX_FORMATS, &seq);
    unsigned k = cb_list(fmts, n, out);
    for (unsigned i = 0; i < n; i++)
        free(fmts[i].data);
    free(fmts);
    return k;
}

BOOL WINAPI IsClipboardFormatAvailable(UINT format)
{
    UINT list[CB_MAX_FORMATS + 3];
    unsigned n = cb_current(list);
    for (unsigned i = 0; i < n; i++)
        if (list[i] == format)
            return TRUE;
    return FALSE;
}
THK_EXPORT(user32, IsClipboardFormatAvailable, 1);

int WINAPI CountClipboardFormats(void)
{
    UINT list[CB_MAX_FORMATS + 3];
    return (int)cb_current(list);
}
THK_EXPORT(user32, CountClipboardFormats, 0);

/* The format after `format` (0: the first); 0 at the end, with ERROR_SUCCESS. Needs the
 * clipboard open by this thread, as on Windows. */
UINT WINAPI EnumClipboardFormats(UINT format)
{
    if (!cb_lock_mine())
        return 0;
    UINT list[CB_MAX_FORMATS + 3];
    unsigned n = cb_list(cb_formats, cb_count, list);
    pthread_mutex_unlock(&cb_lock);
    unsigned i = 0;
    if (format) {
        while (i < n && list[i] != format)
            i++;
        i++;
    }
    thk_set_last_error(0);
    return i < n ? list[i] : 0;
}
THK_EXPORT(user32, EnumClipboardFormats, 1);

DWORD WINAPI GetClipboardSequenceNumber(void)
{
    cb_state s = cb_state_now();
    if (!s.open)
        cb_read_file(NULL, 0, &s.seq);
    return s.seq;
}
THK_EXPORT(user32, GetClipboardSequenceNumber, 0);

HWND WINAPI GetOpenClipboardWindow(void)
{
    return cb_state_now().open_hwnd;
}
THK_EXPORT(user32, GetOpenClipboardWindow, 0);

/* The window that emptied the clipboard last, when that was in this process (NULL otherwise:
 * another process's windows are not known here). */
HWND WINAPI GetClipboardOwner(void)
{
    return cb_state_now().owner;
}
THK_EXPORT(user32, GetClipboardOwner, 0);
