/* SPDX-License-Identifier: MIT */
/* user32 windows for console programs: no desktop and no drawing, only what message-only windows
 * (HWND_MESSAGE parent) and hidden top-level windows need (COM apartments, Go's and Rust's
 * libraries, helper windows that receive messages).
 *
 * - The user atom table: RegisterClass and RegisterWindowMessage share it (atoms 0xC000 and up,
 *   names compared with Windows' one-to-one case table), so a class's atom is the value
 *   RegisterWindowMessage gives for its name, as on Windows.
 * - Classes: RegisterClass(Ex)W/A, UnregisterClassW/A, GetClassInfo(Ex)W/A. A class belongs to
 *   its module (hInstance, NULL meaning the program); CS_GLOBALCLASS ones are found from any.
 * - Windows: CreateWindowExW/A (WM_NCCREATE then WM_CREATE with a CREATESTRUCT; FALSE or -1
 *   fails the creation), DestroyWindow (WM_DESTROY parent first, WM_NCDESTROY children first;
 *   the window's timers and posted messages go with it; another thread's window:
 *   ERROR_ACCESS_DENIED), IsWindow, IsWindowUnicode, GetWindowThreadProcessId, GetParent,
 *   FindWindow(Ex)W/A, Get/SetWindowLong(Ptr)W/A (GWLP_WNDPROC, GWLP_USERDATA, GWLP_ID,
 *   GWLP_HINSTANCE, GWLP_HWNDPARENT, GWL_STYLE, GWL_EXSTYLE and the cbWndExtra bytes),
 *   Get/SetWindowText(Length)W/A, DefWindowProcW/A, CallWindowProcW/A, EnumWindows and
 *   EnumThreadWindows (this process's top-level windows).
 * An HWND is a slot number and a generation (low word 0x20 + 2 * slot, high word the slot's
 * generation), so a stale handle never names a later window. */
#include <stdlib.h>
#include <string.h>
#include "thunks/user32/user32_private.h"

HMODULE WINAPI GetModuleHandleW(const WCHAR *name);
int WINAPI MultiByteToWideChar(UINT cp, DWORD flags, const char *src, int srclen, WCHAR *dst,
                               int dstlen);
int WINAPI WideCharToMultiByte(UINT cp, DWORD flags, const WCHAR *src, int srclen, char *dst,
                               int dstlen, const char *defchar, BOOL *used);
DWORD WINAPI GetCurrentProcessId(void);

pthread_mutex_t u32_lock = PTHREAD_MUTEX_INITIALIZER;

/* ---- strings ---- */
/* A foreign W string or atom (< 0x10000, returned as is) copied; NULL when unreadable. */
static WCHAR *u32_wdup(const WCHAR *s, bool *atom)
{
    *atom = (uintptr_t)s < 0x10000;
    if (*atom)
        return (WCHAR *)s;
    return nt_strdup_from_user_w(s, 0x10000);
}

/* A foreign ANSI (CP_ACP) string or atom as UTF-16, malloc'd; NULL when unreadable. The bytes
 * are copied first (a bad pointer faults in nt_copy_from_user, not in the conversion). */
static WCHAR *u32_adup(const char *s, bool *atom)
{
    *atom = (uintptr_t)s < 0x10000;
    if (*atom)
        return (WCHAR *)s;
    size_t len = 0, cap = 64;
    char *a = malloc(cap);
    while (a) {
        if (nt_copy_from_user(a + len, s + len, 1) != 0) {
            free(a);
            return NULL;
        }
        if (!a[len])
            break;
        if (++len == cap || len > 0x10000) {
            char *b = len > 0x10000 ? NULL : realloc(a, cap *= 2);
            if (!b)
                free(a);
            a = b;
        }
    }
    if (!a)
        return NULL;
    int n = MultiByteToWideChar(0, 0, a, -1, NULL, 0);
    WCHAR *w = n > 0 ? malloc((size_t)n * sizeof *w) : NULL;
    if (w)
        MultiByteToWideChar(0, 0, a, -1, w, n);
    free(a);
    return w;
}

static void u32_sfree(WCHAR *s, bool atom)
{
    if (!atom)
        free(s);
}

/* UTF-16 -> ANSI, malloc'd. */
static char *u32_to_ansi(const WCHAR *s)
{
    int n = WideCharToMultiByte(0, 0, s, -1, NULL, 0, NULL, NULL);
    char *a = n > 0 ? malloc((size_t)n) : NULL;
    if (a)
        WideCharToMultiByte(0, 0, s, -1, a, n, NULL, NULL);
    return a;
}

static bool u32_name_eq(const WCHAR *a, const WCHAR *b)
{
    for (; *a && *b; a++, b++)
        if (nt_towupper(*a) != nt_towupper(*b))
            return false;
    return *a == *b;
}

/* ---- the user atom table ---- */
#define U32_ATOM_BASE 0xC000
#define U32_ATOM_MAX 0x4000
static WCHAR **u32_atoms;
static size_t u32_natoms, u32_atoms_cap;

/* Under u32_lock: the atom of name (added when `add`), 0 when absent or out of memory. */
static ATOM u32_atom_find(const WCHAR *name, bool add)
{
    for (size_t i = 0; i < u32_natoms; i++)
        if (u32_name_eq(u32_atoms[i], name))
            return (ATOM)(U32_ATOM_BASE + i);
    if (!add || u32_natoms >= U32_ATOM_MAX)
        return 0;
    if (u32_natoms == u32_atoms_cap) {
        size_t cap = u32_atoms_cap ? u32_atoms_cap * 2 : 32;
        WCHAR **n = realloc(u32_atoms, cap * sizeof *n);
        if (!n)
            return 0;
        u32_atoms = n;
        u32_atoms_cap = cap;
    }
    size_t len = nt_wcslen(name);
    WCHAR *copy = malloc((len + 1) * sizeof *copy);
    if (!copy)
        return 0;
    memcpy(copy, name, (len + 1) * sizeof *copy);
    u32_atoms[u32_natoms] = copy;
    return (ATOM)(U32_ATOM_BASE + u32_natoms++);
}

static const WCHAR *u32_atom_name(ATOM a)
{
    return a >= U32_ATOM_BASE && a - U32_ATOM_BASE < (int)u32_natoms ? u32_atoms[a - U32_ATOM_BASE]
                                                                       : NULL;
}

static UINT u32_register_message(const WCHAR *name)
{
    if (!name || !*name) {
        thk_set_last_error(U32_ERROR_INVALID_PARAMETER);
        return 0;
    }
    pthread_mutex_lock(&u32_lock);
    ATOM a = u32_atom_find(name, true);
    pthread_mutex_unlock(&u32_lock);
    if (!a)
        thk_set_last_error(U32_ERROR_NOT_ENOUGH_MEMORY);
    return a;
}

UINT WINAPI RegisterWindowMessageW(const WCHAR *name)
{
    bool atom;
    WCHAR *s = name ? u32_wdup(name, &atom) : NULL;
    UINT r = u32_register_message(s && !atom ? s : NULL);
    if (s)
        u32_sfree(s, atom);
    return r;
}
THK_EXPORT(user32, RegisterWindowMessageW, 1);

UINT WINAPI RegisterWindowMessageA(const char *name)
{
    bool atom;
    WCHAR *s = name ? u32_adup(name, &atom) : NULL;
    UINT r = u32_register_message(s && !atom ? s : NULL);
    if (s)
        u32_sfree(s, atom);
    return r;
}
THK_EXPORT(user32, RegisterWindowMessageA, 1);

/* ---- classes ---- */
#define U32_CS_GLOBALCLASS 0x4000

struct u32_class {
    u32_class *next;
    ATOM atom;
    UINT style;
    void *proc;
    int32_t cls_extra, wnd_extra;
    HMODULE instance;
    void *icon, *cursor, *brush, *icon_sm;
    const void *menu_name; /* as given (not used by a console program) */
    bool unicode;
    uint32_t nwindows;
};

/* WNDCLASSEXW / WNDCLASSEXA (the same layout, other string types) */
typedef struct {
    UINT cbSize;           /* 0x00 */
    UINT style;            /* 0x04 */
    void *lpfnWndProc;     /* 0x08 */
    int32_t cbClsExtra;    /* 0x10 */
    int32_t cbWndExtra;    /* 0x14 */
    HMODULE hInstance;     /* 0x18 */
    void *hIcon;           /* 0x20 */
    void *hCursor;         /* 0x28 */
    void *hbrBackground;   /* 0x30 */
    const void *lpszMenuName;  /* 0x38 */
    const void *lpszClassName; /* 0x40 */
    void *hIconSm;         /* 0x48 */
} u32_wndclassex;
_Static_assert(sizeof(u32_wndclassex) == 0x50, "WNDCLASSEXW");

/* WNDCLASSW / WNDCLASSA: WNDCLASSEX from `style` to lpszClassName. */
typedef struct {
    UINT style;            /* 0x00 */
    void *lpfnWndProc;     /* 0x08 */
    int32_t cbClsExtra;    /* 0x10 */
    int32_t cbWndExtra;    /* 0x14 */
    HMODULE hInstance;     /* 0x18 */
    void *hIcon;           /* 0x20 */
    void *hCursor;         /* 0x28 */
    void *hbrBackground;   /* 0x30 */
    const void *lpszMenuName;  /* 0x38 */
    const void *lpszClassName; /* 0x40 */
} u32_wndclass;
_Static_assert(sizeof(u32_wndclass) == 0x48, "WNDCLASSW");

static u32_class *u32_classes;

static HMODULE u32_instance(HMODULE h) { return h ? h : GetModuleHandleW(NULL); }

/* Under u32_lock: the class named `name` (an atom when < 0x10000) of module inst, or a global
 * one; with any_instance, of any module. */
static u32_class *u32_class_find(const WCHAR *name, HMODULE inst, bool any_instance)
{
    ATOM a = (uintptr_t)name < 0x10000 ? (ATOM)(uintptr_t)name : u32_atom_find(name, false);
    if (!a)
        return NULL;
    u32_class *global = NULL, *other = NULL;
    for (u32_class *c = u32_classes; c; c = c->next) {
        if (c->atom != a)
            continue;
        if (c->instance == inst)
            return c;
        if (c->style & U32_CS_GLOBALCLASS)
            global = c;
        else
            other = c;
    }
    return global ? global : any_instance ? other : NULL;
}

/* name: a copy (or an atom). */
static ATOM u32_register_class(const u32_wndclassex *wc, const WCHAR *name, bool unicode)
{
    if (wc->cbClsExtra < 0 || wc->cbWndExtra < 0 || !name ||
        ((uintptr_t)name >= 0x10000 && !*name)) {
        thk_set_last_error(U32_ERROR_INVALID_PARAMETER);
        return 0;
    }
    HMODULE inst = u32_instance(wc->hInstance);
    pthread_mutex_lock(&u32_lock);
    ATOM a = 0;
    u32_class *dup = u32_class_find(name, inst, false);
    if (dup && (dup->instance == inst || (wc->style & U32_CS_GLOBALCLASS))) {
        thk_set_last_error(U32_ERROR_CLASS_ALREADY_EXISTS);
        goto out;
    }
    a = (uintptr_t)name < 0x10000 ? (ATOM)(uintptr_t)name : u32_atom_find(name, true);
    u32_class *c = a ? calloc(1, sizeof *c) : NULL;
    if (!c) {
        thk_set_last_error(U32_ERROR_NOT_ENOUGH_MEMORY);
        a = 0;
        goto out;
    }
    c->atom = a;
    c->style = wc->style;
    c->proc = wc->lpfnWndProc;
    c->cls_extra = wc->cbClsExtra;
    c->wnd_extra = wc->cbWndExtra;
    c->instance = inst;
    c->icon = wc->hIcon;
    c->cursor = wc->hCursor;
    c->brush = wc->hbrBackground;
    c->icon_sm = wc->hIconSm;
    c->menu_name = wc->lpszMenuName;
    c->unicode = unicode;
    c->next = u32_classes;
    u32_classes = c;
out:
    pthread_mutex_unlock(&u32_lock);
    return a;
}

static ATOM u32_register_class_ex(const u32_wndclassex *user, bool unicode)
{
    u32_wndclassex wc;
    if (!user || nt_copy_from_user(&wc, user, sizeof wc) != 0 || wc.cbSize != sizeof wc) {
        thk_set_last_error(U32_ERROR_INVALID_PARAMETER);
        return 0;
    }
    bool atom;
    WCHAR *name = unicode ? u32_wdup(wc.lpszClassName, &atom) : u32_adup(wc.lpszClassName, &atom);
    ATOM a = u32_register_class(&wc, name, unicode);
    if (name)
        u32_sfree(name, atom);
    return a;
}

static ATOM u32_register_class_plain(const u32_wndclass *user, bool unicode)
{
    u32_wndclass c;
    if (!user || nt_copy_from_user(&c, user, sizeof c) != 0) {
        thk_set_last_error(U32_ERROR_INVALID_PARAMETER);
        return 0;
    }
    u32_wndclassex wc = {sizeof wc,     c.style,   c.lpfnWndProc,   c.cbClsExtra,
                         c.cbWndExtra,  c.hInstance, c.hIcon,       c.hCursor,
                         c.hbrBackground, c.lpszMenuName, c.lpszClassName, NULL};
    return u32_register_class_ex(&wc, unicode);
}

ATOM WINAPI RegisterClassExW(const u32_wndclassex *wc) { return u32_register_class_ex(wc, true); }
THK_EXPORT(user32, RegisterClassExW, 1);
ATOM WINAPI RegisterClassExA(const u32_wndclassex *wc) { return u32_register_class_ex(wc, false); }
THK_EXPORT(user32, RegisterClassExA, 1);
ATOM WINAPI RegisterClassW(const u32_wndclass *wc) { return u32_register_class_plain(wc, true); }
THK_EXPORT(user32, RegisterClassW, 1);
ATOM WINAPI RegisterClassA(const u32_wndclass *wc) { return u32_register_class_plain(wc, false); }
THK_EXPORT(user32, RegisterClassA, 1);

static BOOL u32_unregister_class(const WCHAR *name, HMODULE inst)
{
    BOOL ok = FALSE;
    pthread_mutex_lock(&u32_lock);
    u32_class *c = name ? u32_class_find(name, u32_instance(inst), false) : NULL;
    if (!c)
        thk_set_last_error(U32_ERROR_CLASS_DOES_NOT_EXIST);
    else if (c->nwindows)
        thk_set_last_error(U32_ERROR_CLASS_HAS_WINDOWS);
    else {
        for (u32_class **l = &u32_classes; *l; l = &(*l)->next)
            if (*l == c) {
                *l = c->next;
                break;
            }
        free(c);
        ok = TRUE;
    }
    pthread_mutex_unlock(&u32_lock);
    return ok;
}

BOOL WINAPI UnregisterClassW(const WCHAR *name, HMODULE inst)
{
    bool atom;
    WCHAR *s = name ? u32_wdup(name, &atom) : NULL;
    BOOL r = u32_unregister_class(s, inst);
    if (s)
        u32_sfree(s, atom);
    return r;
}
THK_EXPORT(user32, UnregisterClassW, 2);

BOOL WINAPI UnregisterClassA(const char *name, HMODULE inst)
{
    bool atom;
    WCHAR *s = name ? u32_adup(name, &atom) : NULL;
    BOOL r = u32_unregister_class(s, inst);
    if (s)
        u32_sfree(s, atom);
    return r;
}
THK_EXPORT(user32, UnregisterClassA, 2);

/* GetClassInfoEx: the class's WNDCLASSEX (lpszClassName is the caller's pointer, as Windows
 * returns it) and its atom; 0 with ERROR_CLASS_DOES_NOT_EXIST. */
static ATOM u32_class_info(HMODULE inst, const WCHAR *name, const void *user_name,
                           u32_wndclassex *out)
{
    pthread_mutex_lock(&u32_lock);
    u32_class *c = name ? u32_class_find(name, u32_instance(inst), false) : NULL;
    if (!c) {
        pthread_mutex_unlock(&u32_lock);
        thk_set_last_error(U32_ERROR_CLASS_DOES_NOT_EXIST);
        return 0;
    }
    u32_wndclassex wc = {sizeof wc, c->style, c->proc, c->cls_extra, c->wnd_extra, c->instance,
                         c->icon, c->cursor, c->brush, c->menu_name, user_name, c->icon_sm};
    ATOM a = c->atom;
    pthread_mutex_unlock(&u32_lock);
    *out = wc;
    return a;
}

ATOM WINAPI GetClassInfoExW(HMODULE inst, const WCHAR *name, u32_wndclassex *out)
{
    bool atom;
    WCHAR *s = name ? u32_wdup(name, &atom) : NULL;
    u32_wndclassex wc;
    ATOM a = u32_class_info(inst, s, name, &wc);
    if (s)
        u32_sfree(s, atom);
    if (a && (!out || nt_copy_to_user(out, &wc, sizeof wc) != 0)) {
        thk_set_last_error(998); /* ERROR_NOACCESS */
        return 0;
    }
    return a;
}
THK_EXPORT(user32, GetClassInfoExW, 3);

ATOM WINAPI GetClassInfoExA(HMODULE inst, const char *name, u32_wndclassex *out)
{
    bool atom;
    WCHAR *s = name ? u32_adup(name, &atom) : NULL;
    u32_wndclassex wc;
    ATOM a = u32_class_info(inst, s, name, &wc);
    if (s)
        u32_sfree(s, atom);
    if (a && (!out || nt_copy_to_user(out, &wc, sizeof wc) != 0)) {
        thk_set_last_error(998);
        return 0;
    }
    return a;
}
THK_EXPORT(user32, GetClassInfoExA, 3);

static BOOL u32_class_info_plain(ATOM a, const u32_wndclassex *wc, u32_wndclass *out)
{
    if (!a)
        return FALSE;
    u32_wndclass c = {wc->style, wc->lpfnWndProc, wc->cbClsExtra, wc->cbWndExtra, wc->hInstance,
                      wc->hIcon, wc->hCursor, wc->hbrBackground, wc->lpszMenuName,
                      wc->lpszClassName};
    if (!out || nt_copy_to_user(out, &c, sizeof c) != 0) {
        thk_set_last_error(998);
        return FALSE;
    }
    return TRUE;
}

BOOL WINAPI GetClassInfoW(HMODULE inst, const WCHAR *name, u32_wndclass *out)
{
    bool atom;
    WCHAR *s = name ? u32_wdup(name, &atom) : NULL;
    u32_wndclassex wc;
    ATOM a = u32_class_info(inst, s, name, &wc);
    if (s)
        u32_sfree(s, atom);
    return u32_class_info_plain(a, &wc, out);
}
THK_EXPORT(user32, GetClassInfoW, 3);

BOOL WINAPI GetClassInfoA(HMODULE inst, const char *name, u32_wndclass *out)
{
    bool atom;
    WCHAR *s = name ? u32_adup(name, &atom) : NULL;
    u32_wndclassex wc;
    ATOM a = u32_class_info(inst, s, name, &wc);
    if (s)
        u32_sfree(s, atom);
    return u32_class_info_plain(a, &wc, out);
}
THK_EXPORT(user32, GetClassInfoA, 3);

/* ---- the window table ---- */
#define U32_MAX_WINDOWS 0x7fe0
static u32_window **u32_slots;
static uint16_t *u32_gens;
static size_t u32_nslots;

static HWND u32_make_hwnd(size_t slot, uint16_t gen)
{
    return (HWND)(uintptr_t)(((uint32_t)gen << 16) | (uint32_t)(0x20 + 2 * slot));
}

u32_window *u32_win_find(HWND h)
{
    uint32_t v = (uint32_t)(uintptr_t)h;
    uint32_t low = v & 0xffff;
    if (low < 0x20 || (low & 1))
        return NULL;
    size_t slot = (low - 0x20) / 2;
    if (slot >= u32_nslots || !u32_slots[slot])
        return NULL;
    u32_window *w = u32_slots[slot];
    return (uint32_t)(uintptr_t)w->hwnd == v ? w : NULL;
}

/* Under u32_lock: a free slot for w (its hwnd set); false when the table is full. */
static bool u32_win_insert(u32_window *w)
{
    size_t slot = 0;
    while (slot < u32_nslots && u32_slots[slot])
        slot++;
    if (slot == u32_nslots) {
        if (u32_nslots >= U32_MAX_WINDOWS)
            return false;
        size_t cap = u32_nslots ? u32_nslots * 2 : 64;
        if (cap > U32_MAX_WINDOWS)
            cap = U32_MAX_WINDOWS;
        u32_window **s = realloc(u32_slots, cap * sizeof *s);
        if (!s)
            return false;
        u32_slots = s;
        uint16_t *g = realloc(u32_gens, cap * sizeof *g);
        if (!g)
            return false;
        u32_gens = g;
        for (size_t i = u32_nslots; i < cap; i++) {
            u32_slots[i] = NULL;
            u32_gens[i] = 1;
        }
        u32_nslots = cap;
    }
    w->hwnd = u32_make_hwnd(slot, u32_gens[slot]);
    u32_slots[slot] = w;
    return true;
}

/* Under u32_lock: w leaves the table and is freed; its slot's next window gets another HWND. */
static void u32_win_free(u32_window *w)
{
    size_t slot = (((uint32_t)(uintptr_t)w->hwnd & 0xffff) - 0x20) / 2;
    u32_slots[slot] = NULL;
    if (++u32_gens[slot] == 0)
        u32_gens[slot] = 1;
    if (w->cls)
        w->cls->nwindows--;
    if (w->queue)
        u32_queue_forget_window(w->queue, w->hwnd);
    free(w->text);
    free(w->extra);
    free(w);
}

bool u32_win_is_descendant(HWND h, HWND ancestor)
{
    u32_window *w = u32_win_find(h);
    for (int depth = 0; w && depth < 256; depth++) {
        if (!(w->style & 0x40000000u /* WS_CHILD */))
            return false;
        if (w->parent == ancestor)
            return true;
        w = u32_win_find(w->parent);
    }
    return false;
}

void u32_win_free_thread(int32_t tid)
{
    for (size_t i = 0; i < u32_nslots; i++)
        if (u32_slots[i] && u32_slots[i]->tid == tid)
            u32_win_free(u32_slots[i]);
}

size_t u32_win_top_level(HWND *out, size_t max)
{
    size_t n = 0;
    for (size_t i = 0; i < u32_nslots && n < max; i++) {
        u32_window *w = u32_slots[i];
        if (w && !w->destroying && !w->parent && !(w->style & 0x40000000u))
            out[n++] = w->hwnd;
    }
    return n;
}

void u32_window_reset(void)
{
    for (size_t i = 0; i < u32_nslots; i++)
        if (u32_slots[i]) {
            free(u32_slots[i]->text);
            free(u32_slots[i]->extra);
            free(u32_slots[i]);
        }
    free(u32_slots);
    free(u32_gens);
    u32_slots = NULL;
    u32_gens = NULL;
    u32_nslots = 0;
    while (u32_classes) {
        u32_class *c = u32_classes;
        u32_classes = c->next;
        free(c);
    }
    for (size_t i = 0; i < u32_natoms; i++)
        free(u32_atoms[i]);
    free(u32_atoms);
    u32_atoms = NULL;
    u32_natoms = u32_atoms_cap = 0;
}

/* ---- CreateWindowEx ---- */
#define U32_WS_CHILD 0x40000000u
#define U32_WS_POPUP 0x80000000u
#define U32_WS_VISIBLE 0x10000000u

/* CREATESTRUCTW / CREATESTRUCTA */
typedef struct {
    void *lpCreateParams;  /* 0x00 */
    HMODULE hInstance;     /* 0x08 */
    void *hMenu;           /* 0x10 */
    HWND hwndParent;       /* 0x18 */
    int32_t cy;            /* 0x20 */
    int32_t cx;            /* 0x24 */
    int32_t y;             /* 0x28 */
    int32_t x;             /* 0x2c */
    int32_t style;         /* 0x30 */
    const void *lpszName;  /* 0x38 */
    const void *lpszClass; /* 0x40 */
    DWORD dwExStyle;       /* 0x48 */
} u32_createstruct;
_Static_assert(sizeof(u32_createstruct) == 0x50, "CREATESTRUCTW");

/* name, cls: UTF-16 copies (cls may be an atom); user_name, user_cls: the caller's pointers,
 * passed on in the CREATESTRUCT when the window's character set is the caller's. */
static HWND u32_create_window(DWORD exstyle, const WCHAR *cls_name, const WCHAR *name,
                              const void *user_cls, const void *user_name, DWORD style, int x,
                              int y, int cx, int cy, HWND parent, void *menu, HMODULE inst,
                              void *param, bool unicode_call)
{
    u32_queue *q = u32_queue_current();
    if (!q) {
        thk_set_last_error(U32_ERROR_NOT_ENOUGH_MEMORY);
        return NULL;
    }
    if (!cls_name) {
        thk_set_last_error(U32_ERROR_CANNOT_FIND_WND_CLASS);
        return NULL;
    }
    if ((style & U32_WS_CHILD) && !parent) {
        thk_set_last_error(U32_ERROR_TLW_WITH_WSCHILD);
        return NULL;
    }
    pthread_mutex_lock(&u32_lock);
    u32_class *c = u32_class_find(cls_name, u32_instance(inst), false);
    if (!c) {
        pthread_mutex_unlock(&u32_lock);
        thk_set_last_error(U32_ERROR_CANNOT_FIND_WND_CLASS);
        return NULL;
    }
    HWND owner = NULL;
    if (parent && parent != U32_HWND_MESSAGE) {
        u32_window *p = u32_win_find(parent);
        if (!p) {
            pthread_mutex_unlock(&u32_lock);
            thk_set_last_error(U32_ERROR_INVALID_WINDOW_HANDLE);
            return NULL;
        }
        parent = p->hwnd;
        if (!(style & U32_WS_CHILD)) { /* a top-level window: parent names its owner */
            owner = parent;
            parent = NULL;
        }
    }
    u32_window *w = calloc(1, sizeof *w);
    uint8_t *extra = c->wnd_extra ? calloc(1, (size_t)c->wnd_extra) : NULL;
    if (!w || (c->wnd_extra && !extra) || !u32_win_insert(w)) {
        pthread_mutex_unlock(&u32_lock);
        free(w);
        free(extra);
        thk_set_last_error(U32_ERROR_NOT_ENOUGH_MEMORY);
        return NULL;
    }
    w->cls = c;
    c->nwindows++;
    w->proc = c->proc;
    w->unicode = c->unicode;
    w->tid = u32_tid();
    w->queue = q;
    w->parent = parent;
    w->owner = owner;
    w->style = style;
    w->exstyle = exstyle;
    w->id = (style & U32_WS_CHILD) ? (LONG_PTR)(uintptr_t)menu : 0;
    w->instance = inst;
    w->extra = extra;
    w->nextra = (uint32_t)c->wnd_extra;
    w->text = NULL;
    HWND hwnd = w->hwnd;
    bool unicode = w->unicode;
    pthread_mutex_unlock(&u32_lock);

    /* The CREATESTRUCT in the window's character set. */
    char *aname = NULL, *acls = NULL;
    const void *cs_name = user_name, *cs_cls = user_cls;
    if (unicode != unicode_call) {
        if (unicode) {
            cs_name = name;
            cs_cls = cls_name;
        } else {
            cs_name = name && (uintptr_t)name >= 0x10000 ? (const void *)(aname = u32_to_ansi(name))
                                                         : (const void *)name;
            cs_cls = (uintptr_t)cls_name < 0x10000 ? (const void *)cls_name
                                                   : (acls = u32_to_ansi(cls_name));
        }
    }
    u32_createstruct cs = {param, inst, menu, parent ? parent : owner, cy, cx, y, x,
                           (int32_t)style, cs_name, cs_cls, exstyle};
    /* the title is DefWindowProc's WM_NCCREATE business: a procedure that answers it alone
     * leaves the window without one, as on Windows */
    bool ok = u32_send_local(hwnd, U32_WM_NCCREATE, 0, (LPARAM)(uintptr_t)&cs) != 0;
    if (ok)
        ok = u32_send_local(hwnd, U32_WM_CREATE, 0, (LPARAM)(uintptr_t)&cs) != -1;
    free(aname);
    free(acls);
    pthread_mutex_lock(&u32_lock);
    bool alive = u32_win_find(hwnd) != NULL;
    pthread_mutex_unlock(&u32_lock);
    if (!ok) { /* a window that never was: WM_NCDESTROY without WM_DESTROY */
        if (alive)
            u32_send_local(hwnd, U32_WM_NCDESTROY, 0, 0);
        pthread_mutex_lock(&u32_lock);
        if ((w = u32_win_find(hwnd)))
            u32_win_free(w);
        pthread_mutex_unlock(&u32_lock);
        return NULL;
    }
    return alive ? hwnd : NULL;
}

HWND WINAPI CreateWindowExW(DWORD exstyle, const WCHAR *cls, const WCHAR *name, DWORD style,
                            int x, int y, int cx, int cy, HWND parent, void *menu, HMODULE inst,
                            void *param)
{
    bool catom, natom = true;
    WCHAR *c = cls ? u32_wdup(cls, &catom) : NULL;
    WCHAR *n = name ? u32_wdup(name, &natom) : NULL;
    HWND h = u32_create_window(exstyle, c, n, cls, name, style, x, y, cx, cy, parent, menu, inst,
                               param, true);
    if (c)
        u32_sfree(c, catom);
    if (n)
        u32_sfree(n, natom);
    return h;
}
THK_EXPORT(user32, CreateWindowExW, 12);

HWND WINAPI CreateWindowExA(DWORD exstyle, const char *cls, const char *name, DWORD style,
                            int x, int y, int cx, int cy, HWND parent, void *menu, HMODULE inst,
                            void *param)
{
    bool catom, natom = true;
    WCHAR *c = cls ? u32_adup(cls, &catom) : NULL;
    WCHAR *n = name ? u32_adup(name, &natom) : NULL;
    HWND h = u32_create_window(exstyle, c, n, cls, name, style, x, y, cx, cy, parent, menu, inst,
                               param, false);
    if (c)
        u32_sfree(c, catom);
    if (n)
        u32_sfree(n, natom);
    return h;
}
THK_EXPORT(user32, CreateWindowExA, 12);

/* ---- DestroyWindow ---- */
/* Under u32_lock: hwnd and its descendants, parents before children, into out. */
static size_t u32_win_tree(HWND hwnd, HWND *out, size_t n, size_t max)
{
    if (n >= max)
        return n;
    out[n++] = hwnd;
    for (size_t i = 0; i < u32_nslots; i++) {
        u32_window *c = u32_slots[i];
        if (c && c->parent == hwnd && (c->style & U32_WS_CHILD) && !c->destroying)
            n = u32_win_tree(c->hwnd, out, n, max);
    }
    return n;
}

BOOL WINAPI DestroyWindow(HWND hwnd)
{
    pthread_mutex_lock(&u32_lock);
    u32_window *w = u32_win_find(hwnd);
    if (!w) {
        pthread_mutex_unlock(&u32_lock);
        thk_set_last_error(U32_ERROR_INVALID_WINDOW_HANDLE);
        return FALSE;
    }
    if (w->tid != u32_tid()) {
        pthread_mutex_unlock(&u32_lock);
        thk_set_last_error(U32_ERROR_ACCESS_DENIED);
        return FALSE;
    }
    if (w->destroying) { /* DestroyWindow again from its WM_DESTROY */
        pthread_mutex_unlock(&u32_lock);
        return TRUE;
    }
    hwnd = w->hwnd;
    size_t max = 1;
    for (size_t i = 0; i < u32_nslots; i++)
        max += u32_slots[i] != NULL;
    HWND *tree = malloc(max * sizeof *tree);
    size_t n = tree ? u32_win_tree(hwnd, tree, 0, max) : 0;
    if (!tree) {
        tree = &hwnd;
        n = 1;
    }
    for (size_t i = 0; i < n; i++) {
        u32_window *t = u32_win_find(tree[i]);
        t->destroying = true;
        if (t->queue) /* its timers and posted messages go now */
            u32_queue_forget_window(t->queue, t->hwnd);
    }
    pthread_mutex_unlock(&u32_lock);
    for (size_t i = 0; i < n; i++) /* WM_DESTROY: the parent first */
        u32_send_local(tree[i], U32_WM_DESTROY, 0, 0);
    for (size_t i = n; i-- > 0;) { /* WM_NCDESTROY: the children first, then each goes */
        u32_send_local(tree[i], U32_WM_NCDESTROY, 0, 0);
        pthread_mutex_lock(&u32_lock);
        u32_window *t = u32_win_find(tree[i]);
        if (t)
            u32_win_free(t);
        pthread_mutex_unlock(&u32_lock);
    }
    if (tree != &hwnd)
        free(tree);
    return TRUE;
}
THK_EXPORT(user32, DestroyWindow, 1);

/* ---- queries ---- */
BOOL WINAPI IsWindow(HWND hwnd)
{
    pthread_mutex_lock(&u32_lock);
    BOOL r = u32_win_find(hwnd) != NULL;
    pthread_mutex_unlock(&u32_lock);
    return r;
}
THK_EXPORT(user32, IsWindow, 1);

BOOL WINAPI IsWindowUnicode(HWND hwnd)
{
    pthread_mutex_lock(&u32_lock);
    u32_window *w = u32_win_find(hwnd);
    BOOL r = w && w->unicode;
    pthread_mutex_unlock(&u32_lock);
    return r;
}
THK_EXPORT(user32, IsWindowUnicode, 1);

DWORD WINAPI GetWindowThreadProcessId(HWND hwnd, DWORD *pid)
{
    pthread_mutex_lock(&u32_lock);
    u32_window *w = u32_win_find(hwnd);
    DWORD tid = w ? (DWORD)w->tid : 0;
    pthread_mutex_unlock(&u32_lock);
    if (!tid) {
        thk_set_last_error(U32_ERROR_INVALID_WINDOW_HANDLE);
        return 0;
    }
    if (pid) {
        DWORD p = GetCurrentProcessId();
        nt_copy_to_user(pid, &p, sizeof p);
    }
    return tid;
}
THK_EXPORT(user32, GetWindowThreadProcessId, 2);

/* A child's parent, a popup's owner, else NULL (a message-only window's parent is no window). */
HWND WINAPI GetParent(HWND hwnd)
{
    pthread_mutex_lock(&u32_lock);
    u32_window *w = u32_win_find(hwnd);
    HWND r = NULL;
    if (!w)
        thk_set_last_error(U32_ERROR_INVALID_WINDOW_HANDLE);
    else if (w->style & U32_WS_CHILD)
        r = w->parent;
    else if (w->style & U32_WS_POPUP)
        r = w->owner;
    pthread_mutex_unlock(&u32_lock);
    return r;
}
THK_EXPORT(user32, GetParent, 1);

/* EnumWindows / EnumThreadWindows: the top-level windows (not children, not message-only) of
 * this process, or of one of its threads, as they were when the call began (a window the
 * callback destroys is skipped, one it creates is not visited), in creation order, until the
 * callback returns FALSE; the last callback's answer (with none: TRUE, but FALSE for a thread
 * that has none, as EnumThreadWindows' documentation says). Windows of
 * other processes are not known to this process: ntrun has no window server. */
static BOOL u32_enum_top(int32_t tid, void *fn, LPARAM lp)
{
    pthread_mutex_lock(&u32_lock);
    HWND *list = u32_nslots ? malloc(u32_nslots * sizeof *list) : NULL;
    size_t n = 0;
    for (size_t i = 0; list && i < u32_nslots; i++) {
        u32_window *w = u32_slots[i];
        if (w && !w->destroying && !(w->style & U32_WS_CHILD) &&
            w->parent != U32_HWND_MESSAGE && (!tid || w->tid == tid))
            list[n++] = w->hwnd;
    }
    pthread_mutex_unlock(&u32_lock);
    BOOL r = TRUE;
    for (size_t i = 0; i < n && r; i++) {
        pthread_mutex_lock(&u32_lock);
        bool alive = u32_win_find(list[i]) != NULL;
        pthread_mutex_unlock(&u32_lock);
        if (alive)
            r = (BOOL)thk_call_foreign2(fn, (uint64_t)(uintptr_t)list[i], (uint64_t)lp);
    }
    free(list);
    return tid && !n ? FALSE : r; /* EnumThreadWindows: FALSE when the thread has none */
}

BOOL WINAPI EnumWindows(void *fn, LPARAM lp)
{
    return u32_enum_top(0, fn, lp);
}
THK_EXPORT(user32, EnumWindows, 2);

BOOL WINAPI EnumThreadWindows(DWORD tid, void *fn, LPARAM lp)
{
    return tid ? u32_enum_top((int32_t)tid, fn, lp) : FALSE;
}
THK_EXPORT(user32, EnumThreadWindows, 3);

/* FindWindowEx: among the children of parent (NULL: top-level windows, HWND_MESSAGE:
 * message-only windows) after `after`, the first whose class and text match (NULL matches any). */
static HWND u32_find_window(HWND parent, HWND after, const WCHAR *cls, const WCHAR *name)
{
    pthread_mutex_lock(&u32_lock);
    ATOM a = 0;
    if (cls) {
        a = (uintptr_t)cls < 0x10000 ? (ATOM)(uintptr_t)cls : u32_atom_find(cls, false);
        if (!a) {
            pthread_mutex_unlock(&u32_lock);
            thk_set_last_error(U32_ERROR_CANNOT_FIND_WND_CLASS);
            return NULL;
        }
    }
    size_t start = 0;
    u32_window *aw = after ? u32_win_find(after) : NULL;
    if (aw)
        start = (((uint32_t)(uintptr_t)aw->hwnd & 0xffff) - 0x20) / 2 + 1;
    HWND r = NULL;
    for (size_t i = start; i < u32_nslots && !r; i++) {
        u32_window *w = u32_slots[i];
        if (!w || w->destroying)
            continue;
        bool child = (w->style & U32_WS_CHILD) != 0;
        bool in = parent == U32_HWND_MESSAGE ? w->parent == U32_HWND_MESSAGE
                  : parent ? (child && w->parent == parent)
                           : (!child && w->parent != U32_HWND_MESSAGE);
        if (!in || (a && w->cls->atom != a))
            continue;
        if (name && !u32_name_eq(w->text ? w->text : u"", name))
            continue;
        r = w->hwnd;
    }
    pthread_mutex_unlock(&u32_lock);
    if (!r)
        thk_set_last_error(2); /* ERROR_FILE_NOT_FOUND, as Windows */
    return r;
}

HWND WINAPI FindWindowExW(HWND parent, HWND after, const WCHAR *cls, const WCHAR *name)
{
    bool catom = true, natom = true;
    WCHAR *c = cls ? u32_wdup(cls, &catom) : NULL;
    WCHAR *n = name ? u32_wdup(name, &natom) : NULL;
    HWND r = u32_find_window(parent, after, c, n);
    if (c)
        u32_sfree(c, catom);
    if (n)
        u32_sfree(n, natom);
    return r;
}
THK_EXPORT(user32, FindWindowExW, 4);

HWND WINAPI FindWindowExA(HWND parent, HWND after, const char *cls, const char *name)
{
    bool catom = true, natom = true;
    WCHAR *c = cls ? u32_adup(cls, &catom) : NULL;
    WCHAR *n = name ? u32_adup(name, &natom) : NULL;
    HWND r = u32_find_window(parent, after, c, n);
    if (c)
        u32_sfree(c, catom);
    if (n)
        u32_sfree(n, natom);
    return r;
}
THK_EXPORT(user32, FindWindowExA, 4);

HWND WINAPI FindWindowW(const WCHAR *cls, const WCHAR *name)
{
    return FindWindowExW(NULL, NULL, cls, name);
}
THK_EXPORT(user32, FindWindowW, 2);

HWND WINAPI FindWindowA(const char *cls, const char *name)
{
    return FindWindowExA(NULL, NULL, cls, name);
}
THK_EXPORT(user32, FindWindowA, 2);

/* ---- window longs ---- */
#define U32_GWLP_WNDPROC (-4)
#define U32_GWLP_HINSTANCE (-6)
#define U32_GWLP_HWNDPARENT (-8)
#define U32_GWLP_ID (-12)
#define U32_GWL_STYLE (-16)
#define U32_GWL_EXSTYLE (-20)
#define U32_GWLP_USERDATA (-21)

/* Get (set false) or set a window long of `size` bytes (4: GetWindowLong, 8: ...Ptr); the
 * previous value. unicode: the W function (a procedure set through it makes the window
 * Unicode). */
static LONG_PTR u32_window_long(HWND hwnd, int index, int size, bool set, LONG_PTR value,
                                bool unicode)
{
    pthread_mutex_lock(&u32_lock);
    u32_window *w = u32_win_find(hwnd);
    LONG_PTR old = 0;
    uint32_t err = 0;
    if (!w) {
        err = U32_ERROR_INVALID_WINDOW_HANDLE;
        goto out;
    }
    if (index >= 0) {
        if ((uint64_t)index + (uint64_t)size > w->nextra) {
            err = U32_ERROR_INVALID_INDEX;
            goto out;
        }
        if (size == 4) {
            int32_t v;
            memcpy(&v, w->extra + index, 4);
            old = v;
            if (set) {
                v = (int32_t)value;
                memcpy(w->extra + index, &v, 4);
            }
        } else {
            memcpy(&old, w->extra + index, 8);
            if (set)
                memcpy(w->extra + index, &value, 8);
        }
        goto out;
    }
    switch (index) {
    case U32_GWLP_WNDPROC:
        if (size == 4) { /* GWL_WNDPROC does not exist on 64-bit Windows */
            err = U32_ERROR_INVALID_INDEX;
            break;
        }
        old = (LONG_PTR)(uintptr_t)w->proc;
        if (set) {
            w->proc = (void *)(uintptr_t)value;
            w->unicode = unicode;
        }
        break;
    case U32_GWLP_HINSTANCE:
        if (size == 4) {
            err = U32_ERROR_INVALID_INDEX;
            break;
        }
        old = (LONG_PTR)(uintptr_t)w->instance;
        if (set)
            w->instance = (HMODULE)(uintptr_t)value;
        break;
    case U32_GWLP_HWNDPARENT:
        if (size == 4) {
            err = U32_ERROR_INVALID_INDEX;
            break;
        }
        if (w->style & U32_WS_CHILD) {
            old = (LONG_PTR)(uintptr_t)w->parent;
            if (set) /* SetParent's business, which Windows does not do here either */
                err = U32_ERROR_INVALID_PARAMETER;
        } else {
            old = (LONG_PTR)(uintptr_t)w->owner;
            if (set)
                w->owner = (HWND)(uintptr_t)value;
        }
        break;
    case U32_GWLP_ID:
        old = size == 4 ? (int32_t)w->id : w->id;
        if (set)
            w->id = value;
        break;
    case U32_GWL_STYLE:
        old = (int32_t)w->style;
        if (set)
            w->style = (uint32_t)value;
        break;
    case U32_GWL_EXSTYLE:
        old = (int32_t)w->exstyle;
        if (set)
            w->exstyle = (uint32_t)value;
        break;
    case U32_GWLP_USERDATA:
        old = size == 4 ? (int32_t)w->userdata : w->userdata;
        if (set)
            w->userdata = value;
        break;
    default:
        err = U32_ERROR_INVALID_INDEX;
    }
out:
    pthread_mutex_unlock(&u32_lock);
    if (err) {
        thk_set_last_error(err);
        return 0;
    }
    return old;
}

LONG_PTR WINAPI GetWindowLongPtrW(HWND h, int i) { return u32_window_long(h, i, 8, false, 0, true); }
THK_EXPORT(user32, GetWindowLongPtrW, 2);
LONG_PTR WINAPI GetWindowLongPtrA(HWND h, int i) { return u32_window_long(h, i, 8, false, 0, false); }
THK_EXPORT(user32, GetWindowLongPtrA, 2);
LONG_PTR WINAPI SetWindowLongPtrW(HWND h, int i, LONG_PTR v) { return u32_window_long(h, i, 8, true, v, true); }
THK_EXPORT(user32, SetWindowLongPtrW, 3);
LONG_PTR WINAPI SetWindowLongPtrA(HWND h, int i, LONG_PTR v) { return u32_window_long(h, i, 8, true, v, false); }
THK_EXPORT(user32, SetWindowLongPtrA, 3);
LONG WINAPI GetWindowLongW(HWND h, int i) { return (LONG)u32_window_long(h, i, 4, false, 0, true); }
THK_EXPORT(user32, GetWindowLongW, 2);
LONG WINAPI GetWindowLongA(HWND h, int i) { return (LONG)u32_window_long(h, i, 4, false, 0, false); }
THK_EXPORT(user32, GetWindowLongA, 2);
LONG WINAPI SetWindowLongW(HWND h, int i, LONG v) { return (LONG)u32_window_long(h, i, 4, true, v, true); }
THK_EXPORT(user32, SetWindowLongW, 3);
LONG WINAPI SetWindowLongA(HWND h, int i, LONG v) { return (LONG)u32_window_long(h, i, 4, true, v, false); }
THK_EXPORT(user32, SetWindowLongA, 3);

/* ---- DefWindowProc and the window's text ---- */
/* Under u32_lock: replaces w's text with a copy of s (NULL: none). */
static bool u32_set_text(u32_window *w, const WCHAR *s)
{
    WCHAR *copy = NULL;
    if (s) {
        size_t n = nt_wcslen(s);
        if (!(copy = malloc((n + 1) * sizeof *copy)))
            return false;
        memcpy(copy, s, (n + 1) * sizeof *copy);
    }
    free(w->text);
    w->text = copy;
    return true;
}

static LRESULT u32_def_window_proc(HWND hwnd, UINT msg, WPARAM wp, LPARAM lp, bool unicode)
{
    switch (msg) {
    case U32_WM_NCCREATE: {
        u32_createstruct cs;
        const void *name = NULL;
        if (lp && nt_copy_from_user(&cs, (const void *)(uintptr_t)lp, sizeof cs) == 0)
            name = cs.lpszName;
        bool atom = true;
        WCHAR *s = NULL;
        if (name && (uintptr_t)name >= 0x10000)
            s = unicode ? u32_wdup(name, &atom) : u32_adup(name, &atom);
        pthread_mutex_lock(&u32_lock);
        u32_window *w = u32_win_find(hwnd);
        if (w && s)
            u32_set_text(w, s);
        pthread_mutex_unlock(&u32_lock);
        if (s)
            u32_sfree(s, atom);
        return TRUE;
    }
    case U32_WM_CLOSE:
        DestroyWindow(hwnd);
        return 0;
    case U32_WM_SETTEXT: {
        bool atom = true;
        WCHAR *s = NULL;
        if (lp)
            s = unicode ? u32_wdup((const WCHAR *)(uintptr_t)lp, &atom)
                        : u32_adup((const char *)(uintptr_t)lp, &atom);
        pthread_mutex_lock(&u32_lock);
        u32_window *w = u32_win_find(hwnd);
        bool ok = w && u32_set_text(w, s);
        pthread_mutex_unlock(&u32_lock);
        if (s)
            u32_sfree(s, atom);
        return ok;
    }
    case U32_WM_GETTEXT:
    case U32_WM_GETTEXTLENGTH: {
        pthread_mutex_lock(&u32_lock);
        u32_window *w = u32_win_find(hwnd);
        WCHAR *copy = NULL;
        if (w && w->text) {
            size_t n = nt_wcslen(w->text);
            if ((copy = malloc((n + 1) * sizeof *copy)))
                memcpy(copy, w->text, (n + 1) * sizeof *copy);
        }
        pthread_mutex_unlock(&u32_lock);
        LRESULT r = 0;
        if (copy && !unicode) {
            char *a = u32_to_ansi(copy);
            size_t n = a ? strlen(a) : 0;
            if (msg == U32_WM_GETTEXTLENGTH)
                r = (LRESULT)n;
            else if (wp > 0 && lp) {
                if (n > wp - 1)
                    n = wp - 1;
                nt_copy_to_user((void *)(uintptr_t)lp, a, n);
                nt_copy_to_user((char *)(uintptr_t)lp + n, "", 1);
                r = (LRESULT)n;
            }
            free(a);
        } else {
            size_t n = copy ? nt_wcslen(copy) : 0;
            if (msg == U32_WM_GETTEXTLENGTH)
                r = (LRESULT)n;
            else if (wp > 0 && lp) {
                WCHAR zero = 0;
                if (n > wp - 1)
                    n = wp - 1;
                nt_copy_to_user((void *)(uintptr_t)lp, copy, n * sizeof(WCHAR));
                nt_copy_to_user((WCHAR *)(uintptr_t)lp + n, &zero, sizeof zero);
                r = (LRESULT)n;
            }
        }
        free(copy);
        return r;
    }
    case U32_WM_QUERYENDSESSION:
    case U32_WM_QUERYOPEN:
    case 0x0086: /* WM_NCACTIVATE */
        return TRUE;
    default:
        return 0;
    }
}

LRESULT WINAPI DefWindowProcW(HWND hwnd, UINT msg, WPARAM wp, LPARAM lp)
{
    return u32_def_window_proc(hwnd, msg, wp, lp, true);
}
THK_EXPORT(user32, DefWindowProcW, 4);

LRESULT WINAPI DefWindowProcA(HWND hwnd, UINT msg, WPARAM wp, LPARAM lp)
{
    return u32_def_window_proc(hwnd, msg, wp, lp, false);
}
THK_EXPORT(user32, DefWindowProcA, 4);

LRESULT WINAPI CallWindowProcW(void *proc, HWND hwnd, UINT msg, WPARAM wp, LPARAM lp)
{
    return proc ? u32_call_proc(proc, hwnd, msg, wp, lp) : 0;
}
THK_EXPORT(user32, CallWindowProcW, 5);

LRESULT WINAPI CallWindowProcA(void *proc, HWND hwnd, UINT msg, WPARAM wp, LPARAM lp)
{
    return proc ? u32_call_proc(proc, hwnd, msg, wp, lp) : 0;
}
THK_EXPORT(user32, CallWindowProcA, 5);

LRESULT WINAPI SendMessageW(HWND hwnd, UINT msg, WPARAM wp, LPARAM lp);

BOOL WINAPI SetWindowTextW(HWND hwnd, const WCHAR *s)
{
    if (!IsWindow(hwnd)) {
        thk_set_last_error(U32_ERROR_INVALID_WINDOW_HANDLE);
        return FALSE;
    }
    return SendMessageW(hwnd, U32_WM_SETTEXT, 0, (LPARAM)(uintptr_t)s) != 0;
}
THK_EXPORT(user32, SetWindowTextW, 2);

BOOL WINAPI SetWindowTextA(HWND hwnd, const char *s)
{
    bool atom = true;
    WCHAR *w = s ? u32_adup(s, &atom) : NULL;
    BOOL r = SetWindowTextW(hwnd, w);
    if (w)
        u32_sfree(w, atom);
    return r;
}
THK_EXPORT(user32, SetWindowTextA, 2);

int WINAPI GetWindowTextW(HWND hwnd, WCHAR *buf, int size)
{
    if (!IsWindow(hwnd)) {
        thk_set_last_error(U32_ERROR_INVALID_WINDOW_HANDLE);
        return 0;
    }
    if (size <= 0 || !buf)
        return 0;
    return (int)SendMessageW(hwnd, U32_WM_GETTEXT, (WPARAM)size, (LPARAM)(uintptr_t)buf);
}
THK_EXPORT(user32, GetWindowTextW, 3);

int WINAPI GetWindowTextA(HWND hwnd, char *buf, int size)
{
    if (size <= 0 || !buf)
        return 0;
    WCHAR *w = calloc((size_t)size, sizeof *w);
    int n = w ? GetWindowTextW(hwnd, w, size) : 0;
    char *a = n > 0 ? u32_to_ansi(w) : NULL;
    size_t len = a ? strlen(a) : 0;
    if (len > (size_t)size - 1)
        len = (size_t)size - 1;
    if (a)
        nt_copy_to_user(buf, a, len);
    nt_copy_to_user(buf + len, "", 1);
    free(a);
    free(w);
    return (int)len;
}
THK_EXPORT(user32, GetWindowTextA, 3);

int WINAPI GetWindowTextLengthW(HWND hwnd)
{
    if (!IsWindow(hwnd)) {
        thk_set_last_error(U32_ERROR_INVALID_WINDOW_HANDLE);
        return 0;
    }
    return (int)SendMessageW(hwnd, U32_WM_GETTEXTLENGTH, 0, 0);
}
THK_EXPORT(user32, GetWindowTextLengthW, 1);

/* GetClassName: the class's registered name (an atom-registered class: "#atom"). */
static int u32_class_name(HWND hwnd, WCHAR *out, size_t max)
{
    pthread_mutex_lock(&u32_lock);
    u32_window *w = u32_win_find(hwnd);
    const WCHAR *name = w ? u32_atom_name(w->cls->atom) : NULL;
    size_t n = 0;
    if (name) {
        n = nt_wcslen(name);
        if (n > max - 1)
            n = max - 1;
        memcpy(out, name, n * sizeof *out);
    }
    out[n] = 0;
    pthread_mutex_unlock(&u32_lock);
    if (!w)
        thk_set_last_error(U32_ERROR_INVALID_WINDOW_HANDLE);
    return (int)n;
}

int WINAPI GetClassNameW(HWND hwnd, WCHAR *buf, int size)
{
    WCHAR tmp[257];
    if (size <= 0 || !buf)
        return 0;
    int n = u32_class_name(hwnd, tmp, (size_t)size < 257 ? (size_t)size : 257);
    if (nt_copy_to_user(buf, tmp, ((size_t)n + 1) * sizeof(WCHAR)) != 0)
        return 0;
    return n;
}
THK_EXPORT(user32, GetClassNameW, 3);
