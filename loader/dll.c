/* SPDX-License-Identifier: MIT */
/* Foreign DLLs: finding them (the program's directory, the current directory, --dll-path,
 * NTRUN_DLL_PATH; file names matched case-insensitively), API-set names, loading them with
 * their imports (recursively), relocations, TLS and PEB->Ldr entries, export lookup that follows
 * forwarders ("DLL.name", "DLL.#12", to foreign or built-in DLLs), DllMain with
 * DLL_PROCESS_ATTACH in dependency order and DLL_PROCESS_DETACH in reverse at exit,
 * DLL_THREAD_ATTACH/DETACH on threads, reference counts and unloading (FreeLibrary), and the
 * operations kernel32 reaches through thk_loader (LoadLibrary, GetProcAddress, ...).
 *
 * Every module (the program first) is on one list in load order; DLLs are also on an
 * initialization-order list, appended when their own imports are bound (so dependencies come
 * first). Both lists, the reference counts and every DllMain call are guarded by one recursive
 * lock, Windows' loader lock: DllMain may call LoadLibrary. Foreign code (DllMain, TLS
 * callbacks) is always called through thk_call_foreign*. */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include "loader/loader_private.h"
#include "ntemu/ntemu.h"
#include "thunks/ntdll/thk_exception.h"
#include "thunks/thunks.h"

#define LDR_MAX_FORWARDS 16      /* forwarder chain length before we call it a loop */
#define LDR_MAX_LOAD_DEPTH 128   /* nested DLL loads (import chains) */
#define LDR_TLS_INDEXES 4096

#define LOAD_LIBRARY_AS_DATAFILE 0x2
#define LOAD_LIBRARY_AS_IMAGE_RESOURCE 0x20
#define LOAD_LIBRARY_AS_DATAFILE_EXCLUSIVE 0x40

static pthread_mutex_t ldr_mutex = PTHREAD_RECURSIVE_MUTEX_INITIALIZER_NP;
static ldr_module *mod_head, *mod_tail;   /* load order, the program first */
static ldr_module *init_head, *init_tail; /* DLLs, dependencies first */
static ldr_module *exe_mod;
static char *search_path_opt;             /* --dll-path */
static uint8_t tls_index_used[LDR_TLS_INDEXES];
static int load_depth;
static bool exit_hook_registered;

static _Thread_local NTSTATUS load_status; /* ldr_fail_status */

void ldr_fail_status(NTSTATUS st)
{
    if (!load_status)
        load_status = st;
}

NTSTATUS ldr_load_status_begin(void)
{
    NTSTATUS saved = load_status;
    load_status = 0;
    return saved;
}

NTSTATUS ldr_load_status_end(NTSTATUS saved, NTSTATUS fallback)
{
    NTSTATUS st = load_status ? load_status : fallback;
    load_status = saved;
    return st;
}

/* A Linux error opening or reading a DLL's file, as NT says it. */
static NTSTATUS status_of_errno(int e)
{
    switch (e) {
    case ENOENT: case ENOTDIR: return STATUS_DLL_NOT_FOUND;
    case EISDIR: return STATUS_FILE_IS_A_DIRECTORY;
    case EACCES: case EPERM: return STATUS_ACCESS_DENIED;
    case ENOMEM: return STATUS_NO_MEMORY;
    default: return STATUS_INVALID_IMAGE_FORMAT;
    }
}

void ldr_lock(void) { pthread_mutex_lock(&ldr_mutex); }
void ldr_unlock(void) { pthread_mutex_unlock(&ldr_mutex); }

static ldr_dll_observer dll_observer;
static void *dll_observer_ctx;

void ldr_set_dll_observer(ldr_dll_observer fn, void *ctx)
{
    ldr_lock();
    dll_observer = fn;
    dll_observer_ctx = ctx;
    ldr_unlock();
}

/* SizeOfImage from a mapped image's headers. */
static size_t image_size_of(const uint8_t *img)
{
    uint32_t lfanew, soi;
    memcpy(&lfanew, img + 0x3c, 4);
    memcpy(&soi, img + lfanew + 24 + 56, 4);
    return soi;
}

void ldr_observe_builtin(const char *name)
{
    if (!dll_observer)
        return;
    const uint8_t *img = (const uint8_t *)thk_builtin_module(name);
    if (img)
        dll_observer(name, NULL, img, image_size_of(img), dll_observer_ctx);
}

void ldr_set_dll_search_path(const char *dirs)
{
    ldr_lock();
    free(search_path_opt);
    search_path_opt = dirs && *dirs ? strdup(dirs) : NULL;
    ldr_unlock();
}

/* ---- names ---- */

/* The module name a DLL reference means: the last path component, ".dll" appended when it has
 * no extension (a trailing '.' means "no extension" and is dropped). */
static void dll_base_name(const char *name, char *out, size_t outlen)
{
    const char *s = name + strlen(name);
    while (s > name && s[-1] != '\\' && s[-1] != '/')
        s--;
    size_t n = strlen(s);
    while (n && s[n - 1] == ' ')
        n--;
    if (n + 5 > outlen)
        n = outlen - 5;
    memcpy(out, s, n);
    out[n] = 0;
    if (n && out[n - 1] == '.')
        out[n - 1] = 0;
    else if (!memchr(out, '.', n))
        strcat(out, ".dll");
}

static bool has_path(const char *name)
{
    return strchr(name, '/') || strchr(name, '\\') || (name[0] && name[1] == ':');
}

/* ---- search ---- */

/* dir/base if it is a regular file, matching the name case-insensitively. malloc'd or NULL. */
static char *find_in_dir(const char *dir, const char *base)
{
    char path[PATH_MAX];
    struct stat st;
    if (snprintf(path, sizeof path, "%s/%s", dir, base) >= (int)sizeof path)
        return NULL;
    if (stat(path, &st) == 0 && S_ISREG(st.st_mode))
        return strdup(path);
    DIR *d = opendir(dir);
    if (!d)
        return NULL;
    char *found = NULL;
    struct dirent *e;
    while (!found && (e = readdir(d)) != NULL) {
        if (strcasecmp(e->d_name, base) != 0)
            continue;
        if (snprintf(path, sizeof path, "%s/%s", dir, e->d_name) < (int)sizeof path &&
            stat(path, &st) == 0 && S_ISREG(st.st_mode))
            found = strdup(path);
    }
    closedir(d);
    return found;
}

static void searched_add(char *searched, size_t len, const char *dir)
{
    size_t n = strlen(searched), d = strlen(dir);
    if (n + 2 + d + 1 > len)
        return; /* the message keeps the directories that fit */
    if (n) {
        memcpy(searched + n, ", ", 2);
        n += 2;
    }
    memcpy(searched + n, dir, d + 1);
}

/* Search each directory of a colon-separated list. */
static char *search_list(const char *list, const char *base, char *searched, size_t slen)
{
    if (!list)
        return NULL;
    char *copy = strdup(list);
    if (!copy)
        return NULL;
    char *found = NULL, *save = NULL;
    for (char *dir = strtok_r(copy, ":", &save); dir && !found; dir = strtok_r(NULL, ":", &save)) {
        searched_add(searched, slen, dir);
        found = find_in_dir(dir, base);
    }
    free(copy);
    return found;
}

/* The LoadLibraryEx in progress (ops_load sets these under the loader lock, so the DLL's own
 * dependencies are searched the same way): its LOAD_LIBRARY_SEARCH_* flags, and the directory
 * of the DLL it names by path (LOAD_LIBRARY_SEARCH_DLL_LOAD_DIR, LOAD_WITH_ALTERED_SEARCH_PATH). */
#define LDR_LOAD_WITH_ALTERED_SEARCH_PATH 0x8u
#define LDR_SEARCH_DLL_LOAD_DIR 0x100u
#define LDR_SEARCH_APPLICATION_DIR 0x200u
#define LDR_SEARCH_USER_DIRS 0x400u
#define LDR_SEARCH_SYSTEM32 0x800u
#define LDR_SEARCH_DEFAULT_DIRS 0x1000u
#define LDR_SEARCH_MASK 0x1f00u
static uint32_t search_flags;
static char *search_load_dir;
/* LdrLoadDll's search path, as Linux directories separated by ':': the only directories searched
 * (the whole search path, as kernel32 hands Windows' LdrLoadDll one), before --dll-path and
 * NTRUN_DLL_PATH. NULL: none given. */
static char *search_given;

static char *search_one(const char *dir, const char *base, char *searched, size_t slen)
{
    if (!dir || !*dir)
        return NULL;
    searched_add(searched, slen, dir);
    return find_in_dir(dir, base);
}

/* The Linux path of DLL `base`, or NULL with the directories tried in `searched`: the order
 * of thunks/kernel32/dlldir.c's comment (Windows' with SafeDllSearchMode), then --dll-path and
 * NTRUN_DLL_PATH. */
static char *search_dll(const char *base, char *searched, size_t slen)
{
    searched[0] = 0;
    char *found = NULL;
    char app[PATH_MAX] = "";
    if (exe_mod && exe_mod->unix_path) {
        snprintf(app, sizeof app, "%s", exe_mod->unix_path);
        char *slash = strrchr(app, '/');
        if (slash) {
            *slash = 0;
            if (!app[0])
                strcpy(app, "/");
        } else {
            app[0] = 0;
        }
    }
    if (search_given) {
        found = search_list(search_given, base, searched, slen);
        goto extra;
    }
    thk_dll_search s;
    thk_dll_search_get(&s);
    uint32_t flags = search_flags & LDR_SEARCH_MASK;
    if (!flags && !(search_flags & LDR_LOAD_WITH_ALTERED_SEARCH_PATH && search_load_dir))
        flags = s.default_flags;
    if (flags & LDR_SEARCH_DEFAULT_DIRS)
        flags |= LDR_SEARCH_APPLICATION_DIR | LDR_SEARCH_USER_DIRS | LDR_SEARCH_SYSTEM32;
    if (flags) {
        if (flags & LDR_SEARCH_DLL_LOAD_DIR)
            found = search_one(search_load_dir, base, searched, slen);
        if (!found && (flags & LDR_SEARCH_APPLICATION_DIR))
            found = search_one(app, base, searched, slen);
        if (!found && (flags & LDR_SEARCH_USER_DIRS)) {
            found = search_one(s.dll_dir, base, searched, slen);
            for (size_t i = 0; !found && i < s.nuser; i++)
                found = search_one(s.user[i], base, searched, slen);
        }
    } else {
        bool altered = (search_flags & LDR_LOAD_WITH_ALTERED_SEARCH_PATH) && search_load_dir;
        found = search_one(altered ? search_load_dir : app, base, searched, slen);
        if (!found && s.dll_dir_set) {
            found = search_one(s.dll_dir, base, searched, slen);
        } else if (!found) {
            char *cwd = nt_cwd_get(); /* the run's current directory */
            if (cwd)
                found = search_one(cwd, base, searched, slen);
            free(cwd);
        }
    }
    thk_dll_search_free(&s);
extra:
    if (!found)
        found = search_list(search_path_opt, base, searched, slen);
    if (!found)
        found = search_list(getenv("NTRUN_DLL_PATH"), base, searched, slen);
    return found;
}

/* ---- the module lists ---- */

static ldr_module *find_loaded(const char *base, const char *unix_path)
{
    for (ldr_module *m = mod_head; m; m = m->next) {
        if (!m->is_dll)
            continue;
        if ((base && strcasecmp(m->name, base) == 0) ||
            (unix_path && strcmp(m->unix_path, unix_path) == 0))
            return m;
    }
    return NULL;
}

static ldr_module *module_of_base(const void *base)
{
    for (ldr_module *m = mod_head; m; m = m->next)
        if (m->img.base == base)
            return m;
    return NULL;
}

static void list_append(ldr_module *m)
{
    m->next = NULL;
    if (mod_tail)
        mod_tail->next = m;
    else
        mod_head = m;
    mod_tail = m;
}

static void list_unlink(ldr_module *m)
{
    ldr_module *prev = NULL;
    for (ldr_module *p = mod_head; p; prev = p, p = p->next) {
        if (p != m)
            continue;
        if (prev)
            prev->next = m->next;
        else
            mod_head = m->next;
        if (mod_tail == m)
            mod_tail = prev;
        break;
    }
    prev = NULL;
    for (ldr_module *p = init_head; p; prev = p, p = p->init_next) {
        if (p != m)
            continue;
        if (prev)
            prev->init_next = m->init_next;
        else
            init_head = m->init_next;
        if (init_tail == m)
            init_tail = prev;
        break;
    }
    m->next = m->init_next = NULL;
}

static void init_append(ldr_module *m)
{
    m->init_next = NULL;
    if (init_tail)
        init_tail->init_next = m;
    else
        init_head = m;
    init_tail = m;
}

static int add_dep(ldr_module *importer, ldr_module *dep)
{
    if (importer->ndeps == importer->deps_cap) {
        uint32_t cap = importer->deps_cap ? importer->deps_cap * 2 : 4;
        ldr_module **d = realloc(importer->deps, cap * sizeof *d);
        if (!d)
            return -ENOMEM;
        importer->deps = d;
        importer->deps_cap = cap;
    }
    importer->deps[importer->ndeps++] = dep;
    return 0;
}

static void update_load_count(ldr_module *m)
{
    LDR_DATA_TABLE_ENTRY *e = m->ldr_entry;
    if (e && !m->static_load)
        e->ObsoleteLoadCount = m->refcount > 0xfffe ? 0xfffe : (uint16_t)m->refcount;
}

static uint32_t tls_index_alloc(bool exe)
{
    if (exe) {
        tls_index_used[0] = 1;
        return 0;
    }
    for (uint32_t i = 1; i < LDR_TLS_INDEXES; i++) {
        if (!tls_index_used[i]) {
            tls_index_used[i] = 1;
            return i;
        }
    }
    return LDR_TLS_INDEXES;
}

/* ---- PEB->Ldr (through modlist.c) ---- */

int ldr_entry_add(ldr_module *m, uint32_t flags, uint16_t load_count, bool at_head)
{
    WCHAR *full = nt_path_from_unix(m->unix_path);
    if (!full)
        return -ENOMEM;
    ldr_list_module lm = {
        .base = m->img.base,
        .entry = m->pe.entry_rva ? m->img.base + m->pe.entry_rva : NULL,
        .size = m->pe.size_of_image,
        .full_name = full,
        .flags = flags,
        .load_count = load_count,
        .tls_index = m->tls.present ? (uint16_t)m->tls.index : 0xffff,
        .timestamp = m->pe.timestamp,
        .at_head = at_head,
    };
    m->ldr_entry = ldr_module_list_add(&lm);
    if (!m->ldr_entry && rt_proc.peb && rt_proc.peb->Ldr) {
        free(full);
        return -ENOMEM;
    }
    m->full_dll_name = full;
    return 0;
}

void ldr_entry_remove(ldr_module *m)
{
    ldr_module_list_remove(m->ldr_entry);
    m->ldr_entry = NULL;
    free(m->full_dll_name);
    m->full_dll_name = NULL;
}

/* ---- DllMain and TLS callbacks ---- */

static const char *reason_name(uint32_t reason)
{
    switch (reason) {
    case DLL_PROCESS_ATTACH: return "DLL_PROCESS_ATTACH";
    case DLL_PROCESS_DETACH: return "DLL_PROCESS_DETACH";
    case DLL_THREAD_ATTACH: return "DLL_THREAD_ATTACH";
    case DLL_THREAD_DETACH: return "DLL_THREAD_DETACH";
    default: return "?";
    }
}

/* TLS callbacks, then DllMain (as Windows' LdrpCallInitRoutine order). DllMain's BOOL. As on
 * Windows, whose loader calls it inside an __except, an exception DllMain leaves unhandled
 * ends at this call (the loader lock and the loader's state stay as they were): false, with
 * *raised (may be NULL) its code; 0 there when DllMain returned. */
static bool call_dll_entry(ldr_module *m, uint32_t reason, uint64_t reserved, uint32_t *raised)
{
    uint32_t code = 0;
    uint64_t r = 1;
    ldr_tls_run_callbacks(&m->tls, &m->img, reason);
    if (m->pe.entry_rva && (m->pe.characteristics & IMAGE_FILE_DLL)) {
        void *entry = m->img.base + m->pe.entry_rva;
        uint64_t args[4] = {(uint64_t)(uintptr_t)m->img.base, reason, reserved, 0};
        if (RT_TRACING(RT_TRACE_LOADER))
            rt_trace("loader", "%s: DllMain %p (%s)", m->name, entry, reason_name(reason));
        if (!thk_call_foreign_guarded(entry, 3, args, &r, &code) && RT_TRACING(RT_TRACE_LOADER))
            rt_trace("loader", "%s: DllMain (%s): exception 0x%08x caught", m->name,
                     reason_name(reason), code);
    }
    if (raised)
        *raised = code;
    return !code && (uint32_t)r != 0;
}

typedef struct tls_thread_ctx {
    ldr_module *mod;
    TEB *self;
} tls_thread_ctx;

/* rt_threads_for_each callback: a TLS block of a newly loaded DLL for another live thread. */
static void tls_for_thread(rt_thread *t, void *arg)
{
    tls_thread_ctx *ctx = arg;
    if (t->teb && t->teb != ctx->self)
        ldr_tls_thread_init_teb(ctx->mod, t->teb);
}

static void exit_hook(uint32_t code);

int ldr_dll_initialize_pending(char *err, size_t errlen)
{
    int ret = 0;
    ldr_lock();
    for (ldr_module *m = init_head; m; m = m->init_next) {
        if (m->initialized || m->init_failed)
            continue;
        if (!exit_hook_registered) {
            /* Registered now, after the CRT's exit hook: DLL_PROCESS_DETACH runs before stdio
             * is flushed (msvcrt.dll detaches after the DLLs that depend on it). */
            exit_hook_registered = true;
            rt_on_exit(exit_hook);
        }
        if (m->tls.present) {
            int r = ldr_tls_thread_init(m);
            if (r < 0) {
                ldr_errf(err, errlen, "%s: cannot set up its TLS: %s", m->name, strerror(-r));
                ldr_fail_status(STATUS_DLL_INIT_FAILED);
                m->init_failed = true;
                ret = -1;
                break;
            }
            tls_thread_ctx ctx = {m, rt_current_teb()};
            rt_threads_for_each(tls_for_thread, &ctx);
            rt_thread *main_thread = rt_thread_main(); /* not in the registry */
            if (main_thread)
                tls_for_thread(main_thread, &ctx);
        }
        m->initialized = true; /* before the call: a nested LoadLibrary must not re-enter it */
        uint64_t reserved = m->static_load ? 1 : 0;
        uint32_t raised;
        if (!call_dll_entry(m, DLL_PROCESS_ATTACH, reserved, &raised)) {
            m->initialized = false;
            m->init_failed = true;
            if (raised) {
                /* Windows' loader hides the exception and unloads the DLL without
                 * DLL_PROCESS_DETACH (Application Verifier's stop 0x60D describes it). */
                ldr_errf(err, errlen, "%s: DllMain (DLL_PROCESS_ATTACH) raised exception 0x%08X",
                         m->name, raised);
            } else {
                /* As documented (and as Wine does): DLL_PROCESS_DETACH right away. */
                call_dll_entry(m, DLL_PROCESS_DETACH, reserved, NULL);
                ldr_errf(err, errlen, "%s: DllMain (DLL_PROCESS_ATTACH) returned FALSE",
                         m->name);
            }
            ldr_fail_status(STATUS_DLL_INIT_FAILED);
            ret = -1;
            break;
        }
        ldr_module_list_initialized(m->ldr_entry);
    }
    ldr_unlock();
    return ret;
}

/* Under the loader lock: the DLLs in initialization order (init_head's list), as an array the
 * caller frees, so that it can walk them backwards; *n their number. NULL when there are none
 * or the array could not be had. */
static ldr_module **init_order(size_t *n)
{
    *n = 0;
    for (ldr_module *m = init_head; m; m = m->init_next)
        (*n)++;
    ldr_module **order = *n ? malloc(*n * sizeof *order) : NULL;
    if (order) {
        size_t i = 0;
        for (ldr_module *m = init_head; m; m = m->init_next)
            order[i++] = m;
    }
    return order;
}

/* At process exit, before the CRT's own exit hook: DLL_PROCESS_DETACH (lpReserved non-NULL:
 * the process is ending) in reverse initialization order. */
static void exit_hook(uint32_t code)
{
    (void)code;
    ldr_lock();
    if (rt_proc.peb && rt_proc.peb->Ldr)
        rt_proc.peb->Ldr->ShutdownInProgress = 1;
    size_t n;
    ldr_module **order = init_order(&n);
    if (order) {
        size_t i = n;
        while (i-- > 0) {
            ldr_module *m = order[i];
            if (!m->initialized)
                continue;
            m->initialized = false;
            call_dll_entry(m, DLL_PROCESS_DETACH, 1, NULL);
        }
        free(order);
    }
    ldr_unlock();
}

void ldr_thread_attach_all(void)
{
    ldr_lock();
    if (exe_mod && exe_mod->tls.present)
        ldr_tls_thread_init(exe_mod);
    for (ldr_module *m = init_head; m; m = m->init_next) {
        if (!m->initialized)
            continue;
        if (m->tls.present)
            ldr_tls_thread_init(m);
        if (m->no_thread_calls)
            ldr_tls_run_callbacks(&m->tls, &m->img, DLL_THREAD_ATTACH);
        else
            call_dll_entry(m, DLL_THREAD_ATTACH, 0, NULL);
    }
    if (exe_mod && exe_mod->attached)
        ldr_tls_run_callbacks(&exe_mod->tls, &exe_mod->img, DLL_THREAD_ATTACH);
    ldr_unlock();
}

void ldr_thread_detach_all(void)
{
    ldr_lock();
    size_t n;
    ldr_module **order = init_order(&n);
    if (order) {
        size_t i = n;
        while (i-- > 0) {
            ldr_module *m = order[i];
            if (!m->initialized)
                continue;
            if (m->no_thread_calls)
                ldr_tls_run_callbacks(&m->tls, &m->img, DLL_THREAD_DETACH);
            else
                call_dll_entry(m, DLL_THREAD_DETACH, 0, NULL);
        }
    }
    if (exe_mod && exe_mod->attached)
        ldr_tls_run_callbacks(&exe_mod->tls, &exe_mod->img, DLL_THREAD_DETACH);
    if (order) {
        for (size_t i = 0; i < n; i++)
            ldr_tls_thread_fini(order[i]);
        free(order);
    }
    if (exe_mod)
        ldr_tls_thread_fini(exe_mod);
    ldr_unlock();
}
/* A module's own memory, once nothing refers to it: its dependency list, its image
 * (unregistered and unmapped), its names and itself. */
static void module_free(ldr_module *m)
{
    free(m->deps);
    if (m->img.base)
        nt_vm_unregister_image(m->img.base, m->img.size);
    ldr_unmap_image(&m->img);
    free(m->unix_path);
    free(m->name);
    free(m);
}

/* ---- loading and unloading ---- */

static void release(ldr_module *m);

/* Unmaps a DLL whose count reached zero: DLL_PROCESS_DETACH if it was attached, then its
 * references on other DLLs. */
static void unload_dll(ldr_module *m)
{
    if (m->initialized) {
        m->initialized = false;
        call_dll_entry(m, DLL_PROCESS_DETACH, 0, NULL);
    }
    if (RT_TRACING(RT_TRACE_LOADER))
        rt_trace("loader", "%s: unloading", m->name);
    list_unlink(m);
    ldr_range_remove(m);
    ldr_entry_remove(m);
    if (m->tls.present) {
        ldr_tls_thread_fini(m);
        if (m->tls.index < LDR_TLS_INDEXES)
            tls_index_used[m->tls.index] = 0;
    }
    for (uint32_t i = 0; i < m->ndeps; i++)
        release(m->deps[i]);
    module_free(m);
}

static void release(ldr_module *m)
{
    if (!m || m->refcount == 0)
        return;
    if (--m->refcount == 0)
        unload_dll(m);
    else
        update_load_count(m);
}

/* Maps and links the DLL at `path` (not yet loaded). Refcount 1. 0 or -1 with a message. */
static int load_new_dll(const char *path, const ldr_options *opts, bool static_load,
                        ldr_module **out, char *err, size_t errlen)
{
    char msg[1024];
    char resolved[PATH_MAX];
    const char *slash = strrchr(path, '/');
    const char *fname = slash ? slash + 1 : path;
    ldr_module *m = calloc(1, sizeof *m);
    uint8_t *file = NULL;
    size_t file_size = 0;
    if (!m) {
        ldr_errf(err, errlen, "%s: %s", fname, strerror(ENOMEM));
        ldr_fail_status(STATUS_NO_MEMORY);
        return -1;
    }
    m->is_dll = true;
    m->static_load = static_load;
    m->refcount = 1;
    m->unix_path = strdup(realpath(path, resolved) ? resolved : path);
    m->name = strdup(fname);
    if (!m->unix_path || !m->name) {
        snprintf(msg, sizeof msg, "%s", strerror(ENOMEM));
        ldr_fail_status(STATUS_NO_MEMORY);
        goto undo_load;
    }
    const char *what;
    int file_fd;
    int r = ldr_read_file_keep_fd(path, &file, &file_size, &what, &file_fd);
    if (r < 0) {
        snprintf(msg, sizeof msg, "%s: %s", what, strerror(-r));
        ldr_fail_status(status_of_errno(-r));
        goto undo_load;
    }
    r = ldr_pe_parse(file, file_size, &m->pe, msg, sizeof msg);
    if (r < 0)
        ldr_fail_status(m->pe.fail_status);
    if (r == 0 && !(m->pe.characteristics & IMAGE_FILE_DLL)) {
        snprintf(msg, sizeof msg, "is a program, not a DLL");
        r = -1;
    }
    if (r == 0) {
        m->pe.file_fd = file_fd;
        r = ldr_map_image(&m->pe, m->name, &m->img, msg, sizeof msg);
        m->pe.file_fd = -1;
    }
    if (file_fd >= 0)
        close(file_fd);
    if (r < 0)
        goto undo_load;
    if (ldr_relocate_image(&m->pe, &m->img, msg, sizeof msg) < 0)
        goto undo_load;
    /* On the list before its imports are bound: a cycle finds it instead of loading it twice. */
    list_append(m);
    if (ldr_bind_imports_mod(m, opts, msg, sizeof msg) < 0)
        goto undo_load;
    bool has_tls = m->pe.dirs[IMAGE_DIRECTORY_ENTRY_TLS].VirtualAddress != 0;
    uint32_t tls_index = has_tls ? tls_index_alloc(false) : 0;
    if (ldr_tls_setup(&m->pe, &m->img, tls_index, &m->tls, msg, sizeof msg) < 0)
        goto undo_load;
    if (ldr_protect_image(&m->pe, &m->img, msg, sizeof msg) < 0)
        goto undo_load;
    m->pe.file = NULL;
    ldr_image_take_file(&m->img, file, file_size);
    file = NULL;
    if (ldr_entry_add(m, LDR_FLAG_IMAGE_DLL,
                      m->static_load ? 0xffff : (uint16_t)m->refcount, false) < 0) {
        snprintf(msg, sizeof msg, "cannot add the module to PEB->Ldr: %s", strerror(ENOMEM));
        goto undo_load;
    }
    ldr_range_add(m);
    init_append(m);
    if (RT_TRACING(RT_TRACE_LOADER))
        rt_trace("loader", "%s: loaded from %s at %p (preferred 0x%llx)", m->name, m->unix_path,
                 (void *)m->img.base, (unsigned long long)m->pe.image_base);
    if (dll_observer)
        dll_observer(m->name, m->unix_path, m->img.base, m->pe.size_of_image, dll_observer_ctx);
    *out = m;
    return 0;
undo_load:
    /* A nested DLL's message already names it ("bar.dll: ..."): keep the chain readable. */
    ldr_errf(err, errlen, "%s: %s", fname, msg);
    /* mapping, relocations, a malformed import table or TLS directory, protections: what
     * Windows' loader calls an invalid image (a nested failure has set its own already) */
    ldr_fail_status(STATUS_INVALID_IMAGE_FORMAT);
    ldr_free_file(file, file_size);
    m->pe.file = NULL;
    list_unlink(m);
    ldr_entry_remove(m);
    if (m->tls.present && m->tls.index < LDR_TLS_INDEXES)
        tls_index_used[m->tls.index] = 0;
    for (uint32_t i = 0; i < m->ndeps; i++)
        release(m->deps[i]);
    module_free(m);
    return -1;
}

/* Finds and loads (or references) DLL `name`. 0 and *out (a new reference); 1 for a built-in
 * (name in builtin_name); -2 not found; -1 other failure. Loader lock held. */
static int load_dll_locked(const char *name, const ldr_options *opts, bool static_load,
                           ldr_module **out, char *builtin_name, size_t bnlen, char *err,
                           size_t errlen)
{
    char base[256];
    dll_base_name(name, base, sizeof base);
    /* System DLLs (thunks/dlls.list) and API sets are always the built-in ones, whatever files
     * sit beside the program: Windows' KnownDLLs rule. */
    const char *builtin = thk_is_builtin_dll(base) ? thk_builtin_name(base) : NULL;
    if (builtin) {
        snprintf(builtin_name, bnlen, "%s", builtin);
        ldr_observe_builtin(builtin);
        return 1;
    }
    if (exe_mod && !has_path(name) && strcasecmp(base, exe_mod->name) == 0) {
        *out = exe_mod; /* a DLL that imports from the program; the program is not counted */
        return 0;
    }
    char *path = NULL;
    if (has_path(name)) {
        char full[PATH_MAX];
        snprintf(full, sizeof full, "%s", name);
        /* base is name's last component unless ".dll" was added or a final '.' dropped
         * (base may be longer than name: "../x" gives "x.dll") */
        size_t nlen = strlen(name), blen = strlen(base);
        if (blen > nlen || strcmp(base, name + nlen - blen) != 0) {
            /* "dir\\foo" means "dir\\foo.dll" */
            size_t n = strlen(full);
            if (n && full[n - 1] == '.')
                full[n - 1] = 0;
            else if (n + 4 < sizeof full)
                strcat(full, ".dll");
        }
        struct stat st;
        if (name[0] == '/' && stat(full, &st) == 0)
            path = strdup(full); /* a Linux path, as the library API may pass */
        else if (!NT_SUCCESS(nt_path_to_unix_a(full, &path)))
            path = NULL;
        if (path && stat(path, &st) == 0 && S_ISDIR(st.st_mode)) {
            /* Windows opens it and is refused: ERROR_ACCESS_DENIED */
            ldr_errf(err, errlen, "%s is a directory", name);
            ldr_fail_status(STATUS_FILE_IS_A_DIRECTORY);
            free(path);
            return -1;
        }
        if (path && (stat(path, &st) != 0 || !S_ISREG(st.st_mode))) {
            free(path);
            path = NULL;
        }
        if (!path) {
            ldr_errf(err, errlen, "cannot find %s", name);
            ldr_fail_status(STATUS_DLL_NOT_FOUND);
            return -2;
        }
        char resolved[PATH_MAX];
        const char *real = realpath(path, resolved) ? resolved : path;
        if (exe_mod && exe_mod->unix_path && strcmp(exe_mod->unix_path, real) == 0) {
            free(path);
            *out = exe_mod; /* the program by its path */
            return 0;
        }
        ldr_module *m = find_loaded(NULL, real);
        if (m) {
            free(path);
            m->refcount++;
            update_load_count(m);
            *out = m;
            return 0;
        }
    } else {
        ldr_module *m = find_loaded(base, NULL);
        if (m) {
            m->refcount++;
            update_load_count(m);
            *out = m;
            return 0;
        }
        char searched[2048];
        path = search_dll(base, searched, sizeof searched);
        if (!path) {
            ldr_errf(err, errlen, "cannot find %s (searched: %s)", base, searched);
            ldr_fail_status(STATUS_DLL_NOT_FOUND);
            return -2;
        }
    }
    if (load_depth >= LDR_MAX_LOAD_DEPTH) {
        ldr_errf(err, errlen, "%s: DLLs nested more than %d deep", base, LDR_MAX_LOAD_DEPTH);
        ldr_fail_status(STATUS_NO_MEMORY);
        free(path);
        return -1;
    }
    load_depth++;
    int r = load_new_dll(path, opts, static_load, out, err, errlen);
    load_depth--;
    free(path);
    return r;
}

int ldr_dll_load_dep(ldr_module *importer, const char *dll, const ldr_options *opts,
                     ldr_module **out, char *builtin_name, size_t bnlen, char *err,
                     size_t errlen)
{
    *out = NULL;
    ldr_lock();
    bool static_load = importer && (importer == exe_mod || importer->static_load);
    int r = load_dll_locked(dll, opts, static_load, out, builtin_name, bnlen, err, errlen);
    if (r == 0 && importer && *out != exe_mod) {
        ldr_module *m = *out;
        bool known = m == importer;
        for (uint32_t i = 0; !known && i < importer->ndeps; i++)
            known = importer->deps[i] == m;
        if (known) {
            m->refcount--; /* one reference per importer (none on itself) */
            update_load_count(m);
        } else if (add_dep(importer, m) < 0) {
            release(m);
            ldr_errf(err, errlen, "%s", strerror(ENOMEM));
            ldr_fail_status(STATUS_NO_MEMORY);
            *out = NULL;
            r = -1;
        }
    }
    ldr_unlock();
    return r;
}

/* The name in a built-in image's export directory ("kernel32.dll"), or NULL if the image is
 * not a built-in DLL. */
static const char *builtin_image_name(const uint8_t *image, size_t size)
{
    for (ldr_module *m = mod_head; m; m = m->next)
        if (m->img.base == image)
            return NULL;
    IMAGE_DOS_HEADER dos;
    memcpy(&dos, image, sizeof dos);
    IMAGE_DATA_DIRECTORY dd;
    memcpy(&dd, image + dos.e_lfanew + 4 + sizeof(IMAGE_FILE_HEADER) +
                    offsetof(IMAGE_OPTIONAL_HEADER64, DataDirectory), sizeof dd);
    if (!dd.VirtualAddress || (uint64_t)dd.VirtualAddress + 40 > size)
        return NULL;
    uint32_t name_rva;
    memcpy(&name_rva, image + dd.VirtualAddress + 12, 4);
    if (!name_rva || name_rva >= size || !memchr(image + name_rva, 0, size - name_rva))
        return NULL;
    const char *name = (const char *)image + name_rva;
    return thk_builtin_module(name) == (HMODULE)image ? name : NULL;
}

void *ldr_get_export(ldr_module *owner, const uint8_t *image, size_t size, const char *name,
                     uint32_t ordinal, char *err, size_t errlen)
{
    char fname[256];
    ldr_lock();
    void *result = NULL;
    for (int hop = 0; hop < LDR_MAX_FORWARDS; hop++) {
        const char *bname = builtin_image_name(image, size);
        if (bname) {
            /* reached through a forwarder: bound as an import is (an export ntrun does not
             * implement gives its reporting stub) */
            thk_import_status st = thk_import(bname, name, ordinal, &result);
            if (!result && name)
                ldr_errf(err, errlen, "%s!%s is %s", bname, name,
                         st == THK_UNIMPLEMENTED ? "not implemented" : "not exported");
            else if (!result)
                ldr_errf(err, errlen, "%s does not export ordinal %u", bname, ordinal);
            goto out;
        }
        const char *fwd = NULL;
        result = ldr_export_entry(image, size, name, 0, ordinal, name == NULL, &fwd);
        if (result || !fwd) {
            if (!result) {
                if (name)
                    ldr_errf(err, errlen, "%s does not export %s",
                             owner ? owner->name : "module", name);
                else
                    ldr_errf(err, errlen, "%s does not export ordinal %u",
                             owner ? owner->name : "module", ordinal);
            }
            goto out;
        }
        /* "DLL.func" or "DLL.#12": the DLL part may itself contain dots (API sets). */
        const char *dot = strrchr(fwd, '.');
        if (!dot || dot == fwd || (size_t)(dot - fwd) >= 200 || !dot[1]) {
            ldr_errf(err, errlen, "bad forwarder \"%s\"", fwd);
            goto out;
        }
        char dll[256];
        memcpy(dll, fwd, (size_t)(dot - fwd));
        dll[dot - fwd] = 0;
        snprintf(fname, sizeof fname, "%s", dot + 1);
        if (fname[0] == '#') {
            char *end;
            unsigned long ord = strtoul(fname + 1, &end, 10);
            if (*end || ord == 0 || ord > 0xffff) {
                ldr_errf(err, errlen, "bad forwarder \"%s\"", fwd);
                goto out;
            }
            name = NULL;
            ordinal = (uint32_t)ord;
        } else {
            name = fname;
        }
        ldr_module *target = NULL;
        char bn[256];
        int r = ldr_dll_load_dep(owner, dll, NULL, &target, bn, sizeof bn, err, errlen);
        if (r < 0)
            goto out;
        if (r == 1) {
            image = thk_builtin_module(bn);
            size = image ? ldr_builtin_image_size(image) : 0;
            if (!image)
                goto out;
            continue;
        }
        owner = target;
        image = target->img.base;
        size = target->img.size_of_image;
    }
    if (!result)
        ldr_errf(err, errlen, "forwarder chain longer than %d", LDR_MAX_FORWARDS);
out:
    ldr_unlock();
    return result;
}

/* ---- kernel32's view (thk_loader) ---- */

/* "C:\\a;D:\\b" as Linux directories separated by ':' (those that convert), or NULL. */
static char *search_path_to_unix(const char *win)
{
    char *copy = win ? strdup(win) : NULL, *out = NULL, *save = NULL;
    size_t len = 0;
    for (char *d = copy ? strtok_r(copy, ";", &save) : NULL; d; d = strtok_r(NULL, ";", &save)) {
        char *u = NULL;
        if (!NT_SUCCESS(nt_path_to_unix_a(d, &u)) || !u)
            continue;
        size_t ul = strlen(u);
        char *grown = realloc(out, len + ul + 2);
        if (grown) {
            out = grown;
            if (len)
                out[len++] = ':';
            memcpy(out + len, u, ul + 1);
            len += ul;
        }
        free(u);
    }
    free(copy);
    return out;
}

static HMODULE ops_load(const char *name, uint32_t flags, const char *search_path,
                        NTSTATUS *status)
{
    if (flags & (LOAD_LIBRARY_AS_DATAFILE | LOAD_LIBRARY_AS_DATAFILE_EXCLUSIVE |
                 LOAD_LIBRARY_AS_IMAGE_RESOURCE)) {
        rt_message("%s: LoadLibraryEx(\"%s\", 0x%x): loading a DLL as a data file or image "
                   "resource is not supported", rt_proc.exe_name ? rt_proc.exe_name : "program",
                   name, flags);
        *status = STATUS_NOT_SUPPORTED;
        return NULL;
    }
    char err[1024], bn[256];
    ldr_module *m = NULL;
    ldr_lock();
    NTSTATUS saved_status = ldr_load_status_begin();
    uint32_t saved_flags = search_flags;
    char *saved_dir = search_load_dir, *saved_given = search_given;
    search_flags = flags;
    search_load_dir = NULL;
    search_given = search_path ? search_path_to_unix(search_path) : NULL;
    if (flags & (LDR_SEARCH_DLL_LOAD_DIR | LDR_LOAD_WITH_ALTERED_SEARCH_PATH)) {
        /* a path names the directory: "C:\\dir\\x.dll" -> that directory, as a Linux path */
        const char *sep = strrchr(name, '\\'), *fs = strrchr(name, '/');
        if (fs > sep)
            sep = fs;
        if (sep && sep > name) {
            char *dir = strndup(name, (size_t)(sep - name));
            if (dir && name[0] == '/')
                search_load_dir = dir;
            else {
                if (dir && !NT_SUCCESS(nt_path_to_unix_a(dir, &search_load_dir)))
                    search_load_dir = NULL;
                free(dir);
            }
        }
    }
    int r = load_dll_locked(name, NULL, false, &m, bn, sizeof bn, err, sizeof err);
    free(search_load_dir);
    free(search_given);
    search_flags = saved_flags;
    search_load_dir = saved_dir;
    search_given = saved_given;
    if (r == 1) {
        HMODULE h = thk_builtin_module(bn);
        ldr_builtin_entries_add(); /* a built-in image new to PEB->Ldr */
        ldr_load_status_end(saved_status, 0);
        ldr_unlock();
        *status = STATUS_SUCCESS;
        return h;
    }
    if (r < 0) {
        *status = ldr_load_status_end(saved_status, r == -2 ? STATUS_DLL_NOT_FOUND
                                                            : STATUS_INVALID_IMAGE_FORMAT);
        ldr_unlock();
        if (RT_TRACING(RT_TRACE_LOADER))
            rt_trace("loader", "LoadLibrary(\"%s\") failed (0x%08x): %s", name,
                     (uint32_t)*status, err);
        return NULL;
    }
    if (ldr_dll_initialize_pending(err, sizeof err) < 0) {
        rt_message("%s: %s", rt_proc.exe_name ? rt_proc.exe_name : "program", err);
        if (m != exe_mod)
            release(m); /* unloads the failed DLL (already detached) and what it alone needed */
        ldr_load_status_end(saved_status, 0);
        ldr_unlock();
        *status = STATUS_DLL_INIT_FAILED;
        return NULL;
    }
    ldr_load_status_end(saved_status, 0);
    ldr_unlock();
    *status = STATUS_SUCCESS;
    return m->img.base;
}

static bool ops_free(HMODULE mod)
{
    ldr_lock();
    ldr_module *m = module_of_base(mod);
    bool ok = m && m->is_dll;
    if (ok && !m->static_load)
        release(m);
    else if (ok && m->refcount > 1)
        m->refcount--; /* a statically loaded DLL stays until exit */
    ldr_unlock();
    return ok;
}

static HMODULE ops_find(const char *name)
{
    char base[256];
    dll_base_name(name, base, sizeof base);
    ldr_lock();
    ldr_module *m = find_loaded(base, NULL);
    HMODULE h = m ? m->img.base : NULL;
    ldr_unlock();
    return h;
}

static void *ops_proc(HMODULE mod, const char *name, uint32_t ordinal)
{
    ldr_lock();
    ldr_module *m = module_of_base(mod);
    void *p = NULL;
    if (m)
        p = ldr_get_export(m->is_dll ? m : NULL, m->img.base, m->img.size_of_image, name,
                           ordinal, NULL, 0);
    ldr_unlock();
    return p;
}

static const char *ops_unix_path(HMODULE mod)
{
    ldr_lock();
    ldr_module *m = module_of_base(mod);
    const char *p = m && m->is_dll ? m->unix_path : NULL;
    ldr_unlock();
    return p;
}

static bool ops_disable_thread_calls(HMODULE mod)
{
    ldr_lock();
    ldr_module *m = module_of_base(mod);
    /* Windows refuses for a DLL with static TLS (its blocks need the thread callouts). */
    bool ok = m && m->is_dll && !m->tls.present;
    if (ok)
        m->no_thread_calls = true;
    ldr_unlock();
    return ok;
}

static bool ops_addref(HMODULE mod, bool pin)
{
    ldr_lock();
    ldr_module *m = module_of_base(mod);
    bool ok = m && m->is_dll;
    if (ok && pin)
        m->static_load = true; /* never unloaded before exit */
    else if (ok)
        m->refcount++;
    if (ok)
        update_load_count(m);
    ldr_unlock();
    return ok;
}

/* NtUnmapViewOfSection of an address inside a foreign DLL (ntemu asks through
 * nt_image_ops.unmap_module): Windows unmaps the image and leaves its loader's records alone,
 * so the program's later calls into it fault. Here the loader forgets the module at once (off
 * the lists and PEB->Ldr, out of the other modules' dependencies, its unwind range gone), so
 * nothing of ntrun's touches the freed memory or record again: GetModuleHandle does not find
 * it, FreeLibrary and GetProcAddress of its handle fail, and a new LoadLibrary maps it afresh.
 * No DllMain runs (none does on Windows either); the DLLs it imported stay loaded (their
 * references leak, as on Windows), its TLS index stays taken. The program and the built-in
 * DLLs are not unmapped: STATUS_NOT_MAPPED_VIEW for an address of theirs, as for any address
 * no view holds. */
NTSTATUS ldr_dll_forget(const void *addr)
{
    const NTSTATUS not_mapped = (NTSTATUS)0xC0000019; /* STATUS_NOT_MAPPED_VIEW */
    uintptr_t a = (uintptr_t)addr;
    ldr_lock();
    ldr_module *m = mod_head;
    while (m && !(a >= (uintptr_t)m->img.base && a < (uintptr_t)m->img.base + m->img.size))
        m = m->next;
    if (!m || !m->is_dll || m == exe_mod) {
        ldr_unlock();
        return not_mapped;
    }
    if (RT_TRACING(RT_TRACE_LOADER))
        rt_trace("loader", "%s: unmapped by the program (NtUnmapViewOfSection)", m->name);
    list_unlink(m);
    ldr_range_remove(m);
    ldr_entry_remove(m);
    for (ldr_module *o = mod_head; o; o = o->next) { /* nobody releases it later */
        uint32_t n = 0;
        for (uint32_t i = 0; i < o->ndeps; i++)
            if (o->deps[i] != m)
                o->deps[n++] = o->deps[i];
        o->ndeps = n;
    }
    module_free(m);
    ldr_unlock();
    return 0;
}

static const thk_loader_ops ldr_ops = {
    .addref = ops_addref,
    .load = ops_load,
    .free = ops_free,
    .find = ops_find,
    .proc = ops_proc,
    .unix_path = ops_unix_path,
    .disable_thread_calls = ops_disable_thread_calls,
};

void ldr_dll_register_exe(ldr_module *exe)
{
    ldr_lock();
    if (!exe_mod) {
        exe_mod = exe;
        list_append(exe);
    }
    ldr_unlock();
    thk_set_loader_ops(&ldr_ops);
    rt_on_thread_attach(ldr_thread_attach_all);
    rt_on_thread_detach(ldr_thread_detach_all);
}

void ldr_dll_unregister_exe(ldr_module *exe)
{
    ldr_lock();
    if (exe_mod == exe) {
        /* Drop the program's references; DLLs still loaded (LoadLibrary without FreeLibrary)
         * go too. No DllMain runs: the process has ended (its exit hook detached them). */
        for (ldr_module *m = init_head; m; m = m->init_next)
            m->initialized = false;
        for (uint32_t i = 0; i < exe->ndeps; i++)
            release(exe->deps[i]);
        free(exe->deps);
        exe->deps = NULL;
        exe->ndeps = exe->deps_cap = 0;
        /* Whatever is left goes regardless of counts: drop the DLLs' references on each other
         * first, so unloading one never releases another that is already gone. */
        for (ldr_module *m = mod_head; m; m = m->next) {
            if (m == exe)
                continue;
            free(m->deps);
            m->deps = NULL;
            m->ndeps = m->deps_cap = 0;
        }
        for (;;) {
            ldr_module *m = mod_head;
            while (m && m == exe)
                m = m->next;
            if (!m)
                break;
            m->refcount = 1;
            release(m);
        }
        list_unlink(exe);
        exe_mod = NULL;
    }
    ldr_unlock();
}
