/* SPDX-License-Identifier: MIT */
/* The loader's public face: ldr_load_exe (read, parse, map, relocate, bind imports, TLS,
 * protections, the exe's LDR_DATA_TABLE_ENTRY in PEB->Ldr), ldr_unload, the accessors,
 * ldr_run_exe (TLS, TLS callbacks, entry point) and ldr_describe_address for crash reports. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <linux/openat2.h>
#include <unistd.h>
#include "loader/loader_private.h"
#include "ntemu/ntemu.h"
#include "thunks/thunks.h"

#define LDR_MAX_FILE_SIZE (1u << 30)
#define LDR_MAX_MODULES 256
#define LDR_DEFAULT_STACK 0x100000u   /* 1 MiB, Windows' default reserve */
#define LDR_MIN_STACK 0x10000u
#define LDR_MAX_STACK 0x40000000u

/* Loaded images for ldr_describe_address, which runs in fault handlers: fixed slots, written
 * with atomic stores, read without locks (async-signal-safe). */
typedef struct ldr_range {
    uintptr_t base;
    size_t size;
    const char *name;
} ldr_range;
static ldr_range ldr_ranges[LDR_MAX_MODULES];
/* Slots used so far (free ones among them have base 0): a new module takes the first free one
 * below, else the next slot above, which nothing has read, so its first access is a write (an
 * anonymous page's fault; a read first maps the zero page, then the write copies it and flushes
 * the TLB entry: 2 faults and a flush at each start). Written after the slot, with release. */
static int ldr_nranges;

static int ldr_ranges_used(void) { return __atomic_load_n(&ldr_nranges, __ATOMIC_ACQUIRE); }

/* The program, for the exit hook that runs its TLS callbacks with DLL_PROCESS_DETACH. */
static ldr_module *ldr_exe;

void ldr_range_add(const ldr_module *mod)
{
    int n = ldr_ranges_used(), i = 0;
    while (i < n && __atomic_load_n(&ldr_ranges[i].base, __ATOMIC_ACQUIRE) != 0)
        i++;
    if (i >= LDR_MAX_MODULES)
        return;
    ldr_ranges[i].size = mod->img.size;
    ldr_ranges[i].name = mod->name;
    __atomic_store_n(&ldr_ranges[i].base, (uintptr_t)mod->img.base, __ATOMIC_RELEASE);
    if (i == n)
        __atomic_store_n(&ldr_nranges, n + 1, __ATOMIC_RELEASE);
}

void ldr_range_remove(const ldr_module *mod)
{
    for (int i = 0, n = ldr_ranges_used(); i < n; i++)
        if (__atomic_load_n(&ldr_ranges[i].base, __ATOMIC_ACQUIRE) == (uintptr_t)mod->img.base)
            __atomic_store_n(&ldr_ranges[i].base, 0, __ATOMIC_RELEASE);
}

bool ldr_describe_address(uintptr_t addr, const char **name, uintptr_t *offset)
{
    for (int i = 0, n = ldr_ranges_used(); i < n; i++) {
        uintptr_t base = __atomic_load_n(&ldr_ranges[i].base, __ATOMIC_ACQUIRE);
        if (base && addr >= base && addr - base < ldr_ranges[i].size) {
            if (name)
                *name = ldr_ranges[i].name;
            if (offset)
                *offset = addr - base;
            return true;
        }
    }
    return false;
}

bool ldr_find_module_by_address(uintptr_t addr, void **base, size_t *size)
{
    for (int i = 0, n = ldr_ranges_used(); i < n; i++) {
        uintptr_t b = __atomic_load_n(&ldr_ranges[i].base, __ATOMIC_ACQUIRE);
        if (b && addr >= b && addr - b < ldr_ranges[i].size) {
            if (base)
                *base = (void *)b;
            if (size)
                *size = ldr_ranges[i].size;
            return true;
        }
    }
    return false;
}

static const char *base_name(const char *path)
{
    const char *s = strrchr(path, '/');
    return s && s[1] ? s + 1 : path;
}

/* The absolute name of the file open as `fd`, opened as `path`, into real[PATH_MAX]: the name
 * /proc gives the fd (one readlink, where realpath() reads every component of the name), or
 * realpath() when /proc cannot tell (no /proc, a removed file, not a file) or `path` itself. */
static void ldr_fd_real_name(int fd, const char *path, char *real)
{
    static const char deleted[] = " (deleted)";
    const size_t dl = sizeof deleted - 1;
    char link[64];
    snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
    ssize_t n = readlink(link, real, PATH_MAX - 1);
    if (n > 0 && n < PATH_MAX - 1 && real[0] == '/' &&
        !((size_t)n > dl && memcmp(real + n - dl, deleted, dl) == 0)) {
        real[n] = 0;
        return;
    }
    if (!realpath(path, real))
        snprintf(real, PATH_MAX, "%s", path);
}

/* `path` joined to the working directory's name (a relative one) with ".", ".." and repeated
 * slashes taken out by name, into real[PATH_MAX]; false when it does not fit or the working
 * directory has no name. Only for a name the kernel resolved without following a symbolic link
 * (ldr_open_real): then every component is a real directory, the working directory's name
 * (getcwd, d_path) has none either, and ".." by name is the parent the kernel took, so this is
 * the name the readlink of /proc/self/fd/N would give. */
static bool ldr_join_real_name(const char *path, char *real)
{
    size_t n = 0;
    if (path[0] != '/') {
        if (!getcwd(real, PATH_MAX) || real[0] != '/')
            return false;
        n = strlen(real);
        if (n == 1)
            n = 0; /* "/": the components below add their own slash */
    }
    for (const char *p = path; *p;) {
        while (*p == '/')
            p++;
        const char *e = p;
        while (*e && *e != '/')
            e++;
        size_t len = (size_t)(e - p);
        if (len == 0 || (len == 1 && p[0] == '.')) {
            /* nothing */
        } else if (len == 2 && p[0] == '.' && p[1] == '.') {
            while (n > 0 && real[n - 1] != '/')
                n--;
            if (n > 0)
                n--; /* the slash before the last component (at the root: stays "") */
        } else {
            if (n + 1 + len >= PATH_MAX)
                return false;
            real[n++] = '/';
            memcpy(real + n, p, len);
            n += len;
        }
        p = e;
    }
    if (n == 0)
        real[n++] = '/';
    real[n] = 0;
    return true;
}

/* Opens `path` for reading and, with `real`, puts its absolute name there (symbolic links
 * resolved: ldr_module.unix_path, which the DLL search and the module list compare with
 * realpath()'s names). The usual case, a name with no symbolic link in it, is opened with
 * RESOLVE_NO_SYMLINKS and named from the working directory's name and `path` (a getcwd for a
 * relative one, nothing for an absolute one) instead of a readlink of /proc/self/fd/N, whose
 * lookup of /proc's entries was ~1.3% of a start of hello.exe (docs/performance.md,
 * twenty-third pass). Otherwise (a link in the name: ELOOP; a kernel before 5.6 or a seccomp
 * policy without openat2; any other error, whose errno the plain open then gives) the file is
 * opened as before and named by ldr_fd_real_name. */
static int ldr_open_real(const char *path, char *real)
{
    if (real) {
        struct open_how how = {.flags = O_RDONLY | O_CLOEXEC, .resolve = RESOLVE_NO_SYMLINKS};
        /* raw: libc's syscall() would be a text fault outside the start-up block */
        long fd = rt_raw_syscall6(SYS_openat2, AT_FDCWD, (long)path, (long)&how, sizeof how, 0, 0);
        if (fd >= 0) {
            if (!ldr_join_real_name(path, real))
                ldr_fd_real_name((int)fd, path, real);
            return (int)fd;
        }
    }
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd >= 0 && real)
        ldr_fd_real_name(fd, path, real);
    return fd;
}

/* Reads the whole file. 0, or -errno (with *what saying which step failed). */
static int ldr_read_file_fd(const char *path, uint8_t **out, size_t *out_size, const char **what,
                            char *real, int *keep_fd, struct stat *st_out)
{
    if (keep_fd)
        *keep_fd = -1;
    *what = "cannot open";
    int fd = ldr_open_real(path, real);
    if (fd < 0)
        return -errno;
    int ret;
    struct stat st;
    if (fstat(fd, &st) != 0) {
        ret = -errno;
        goto close_fd;
    }
    if (S_ISDIR(st.st_mode)) {
        ret = -EISDIR;
        goto close_fd;
    }
    *what = "cannot read";
    /* A regular file is mapped rather than read: the page cache maps it in batches (fault-around)
     * where read() into fresh anonymous memory faulted on every page (~60 faults, ~0.15 ms of
     * `ntrun hello.exe` for a 240 KB program). The mapping is private and read-only and lives
     * only while the image is being mapped and bound. Other files (pipes, /proc) are read.
     * The descriptor of a mapped file can be kept (keep_fd) for the sections ldr_map_image_at
     * maps from the file. */
    if (S_ISREG(st.st_mode) && st.st_size > 0 && (uint64_t)st.st_size <= LDR_MAX_FILE_SIZE) {
        void *map = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
        if (map != MAP_FAILED) {
            if (keep_fd)
                *keep_fd = fd;
            else
                close(fd);
            if (st_out)
                *st_out = st;
            *out = map;
            *out_size = (size_t)st.st_size;
            return 0;
        }
    }
    size_t cap = S_ISREG(st.st_mode) && st.st_size > 0 ? (size_t)st.st_size + 1 : 65536;
    if (cap > LDR_MAX_FILE_SIZE + 1)
        cap = LDR_MAX_FILE_SIZE + 1;
    uint8_t *buf = malloc(cap);
    if (!buf) {
        ret = -ENOMEM;
        goto close_fd;
    }
    size_t len = 0;
    for (;;) {
        if (len == cap) {
            if (cap > LDR_MAX_FILE_SIZE) {
                ret = -EFBIG;
                goto free_buf;
            }
            size_t ncap = cap * 2 > LDR_MAX_FILE_SIZE + 1 ? LDR_MAX_FILE_SIZE + 1 : cap * 2;
            uint8_t *nb = realloc(buf, ncap);
            if (!nb) {
                ret = -ENOMEM;
                goto free_buf;
            }
            buf = nb;
            cap = ncap;
        }
        ssize_t n = read(fd, buf + len, cap - len);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            ret = -errno;
            goto free_buf;
        }
        if (n == 0)
            break;
        len += (size_t)n;
    }
    close(fd);
    /* Same ownership as the mapped case: an anonymous mapping, released by ldr_free_file. */
    void *copy = mmap(NULL, len ? len : 1, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
                      -1, 0);
    if (copy == MAP_FAILED) {
        free(buf);
        return -ENOMEM;
    }
    memcpy(copy, buf, len);
    free(buf);
    *out = copy;
    *out_size = len;
    return 0;
free_buf:
    free(buf);
close_fd:
    close(fd);
    return ret;
}

int ldr_read_file(const char *path, uint8_t **out, size_t *out_size, const char **what)
{
    return ldr_read_file_fd(path, out, out_size, what, NULL, NULL, NULL);
}

int ldr_read_file_keep_fd(const char *path, uint8_t **out, size_t *out_size, const char **what,
                          int *fd)
{
    return ldr_read_file_fd(path, out, out_size, what, NULL, fd, NULL);
}

void ldr_free_file(uint8_t *file, size_t size)
{
    if (file)
        munmap(file, size ? size : 1);
}

/* PEB->ImageBaseAddress and the image subsystem fields, and the exe's LDR_DATA_TABLE_ENTRY at
 * the head of PEB->Ldr's load-order and memory-order lists. Like Windows, the exe is not in the
 * initialization-order list (only DLLs whose entry points run are). */
static int add_ldr_entry(ldr_module *mod)
{
    PEB *peb = rt_proc.peb;
    if (!peb)
        return 0;
    peb->ImageBaseAddress = mod->img.base;
    peb->ImageSubsystem = mod->pe.subsystem;
    peb->ImageSubsystemMajorVersion = mod->pe.subsystem_major;
    peb->ImageSubsystemMinorVersion = mod->pe.subsystem_minor;
    if (!peb->Ldr)
        return 0;
    return ldr_entry_add(mod, 0, 0xffff /* statically loaded */, true);
}

static void remove_ldr_entry(ldr_module *mod)
{
    ldr_entry_remove(mod);
    if (rt_proc.peb && rt_proc.peb->ImageBaseAddress == mod->img.base)
        rt_proc.peb->ImageBaseAddress = NULL;
}

/* At process exit, after the program's own exit code ran: its TLS callbacks with
 * DLL_PROCESS_DETACH, as Windows' LdrShutdownProcess does. Registered at load time, so it runs
 * after the hooks registered later (the CRT's stdio flush). */
static void ldr_exit_hook(uint32_t code)
{
    (void)code;
    ldr_module *mod = ldr_exe;
    if (!mod || !mod->attached)
        return;
    mod->attached = false;
    ldr_tls_run_callbacks(&mod->tls, &mod->img, DLL_PROCESS_DETACH);
}

ldr_module *ldr_load_exe(const char *path, const ldr_options *opts, char *err, size_t errlen)
{
    char msg[1024];
    const char *name = path ? base_name(path) : "(null)";
    ldr_module *mod = calloc(1, sizeof *mod);
    uint8_t *file = NULL;
    size_t file_size = 0;
    int file_fd = -1;
    ldr_error kind = LDR_E_NO_MEMORY;
    NTSTATUS saved_status = ldr_load_status_begin();
    ldr_section_image_init();
    if (!mod || !path) {
        snprintf(msg, sizeof msg, "%s", mod ? "no program given" : strerror(ENOMEM));
        goto undo_load;
    }
    mod->name = strdup(name);
    if (!mod->name) {
        snprintf(msg, sizeof msg, "%s", strerror(ENOMEM));
        goto undo_load;
    }
    if (ldr_builtin_entries_add() < 0) { /* before any foreign DLL joins PEB->Ldr */
        snprintf(msg, sizeof msg, "cannot add the built-in DLLs to PEB->Ldr: %s",
                 strerror(ENOMEM));
        goto undo_load;
    }
    const char *what;
    kind = LDR_E_FILE;
    char resolved[PATH_MAX];
    struct stat file_st;
    file_st.st_size = -1; /* set only for a file mapped (the image cache's key) */
    int r = ldr_read_file_fd(path, &file, &file_size, &what, resolved, &file_fd, &file_st);
    if (r < 0) {
        snprintf(msg, sizeof msg, "%s: %s", what, strerror(-r));
        goto undo_load;
    }
    mod->unix_path = strdup(resolved);
    if (!mod->unix_path) {
        kind = LDR_E_NO_MEMORY;
        snprintf(msg, sizeof msg, "%s", strerror(ENOMEM));
        goto undo_load;
    }
    kind = LDR_E_FORMAT;
    if (ldr_pe_parse(file, file_size, &mod->pe, msg, sizeof msg) < 0) {
        ldr_fail_status(mod->pe.fail_status);
        goto undo_load;
    }
    if (mod->pe.characteristics & IMAGE_FILE_DLL) {
        snprintf(msg, sizeof msg, "is a DLL, not a program");
        goto undo_load;
    }
    if (!mod->pe.entry_rva) {
        snprintf(msg, sizeof msg, "has no entry point");
        goto undo_load;
    }
    mod->pe.file_fd = file_fd;
    if (file_st.st_size >= 0) {
        mod->pe.file_st = file_st;
        mod->pe.file_st_valid = true;
    }
    r = ldr_map_image(&mod->pe, mod->name, &mod->img, msg, sizeof msg);
    mod->pe.file_fd = -1;
    if (file_fd >= 0)
        close(file_fd);
    file_fd = -1;
    if (r < 0)
        goto undo_load;
    if (ldr_relocate_image(&mod->pe, &mod->img, msg, sizeof msg) < 0)
        goto undo_load;
    ldr_dll_register_exe(mod); /* the DLL search starts in its directory */
    kind = LDR_E_IMPORT;
    if (ldr_bind_imports_mod(mod, opts, msg, sizeof msg) < 0)
        goto undo_load;
    kind = LDR_E_RUNTIME;
    if (ldr_builtin_entries_add() < 0) { /* the built-in images binding created */
        snprintf(msg, sizeof msg, "cannot add the built-in DLLs to PEB->Ldr: %s",
                 strerror(ENOMEM));
        goto undo_load;
    }
    if (ldr_tls_setup(&mod->pe, &mod->img, 0, &mod->tls, msg, sizeof msg) < 0)
        goto undo_load;
    if (ldr_protect_image(&mod->pe, &mod->img, msg, sizeof msg) < 0)
        goto undo_load;
    mod->pe.file = NULL;
    ldr_image_take_file(&mod->img, file, file_size);
    file = NULL;
    kind = LDR_E_NO_MEMORY;
    if (add_ldr_entry(mod) < 0) {
        snprintf(msg, sizeof msg, "cannot add the module to PEB->Ldr: %s", strerror(ENOMEM));
        goto undo_load;
    }
    ldr_range_add(mod);
    if (!ldr_exe)
        ldr_exe = mod;
    if (mod->tls.callbacks)
        rt_on_exit(ldr_exit_hook);
    if (RT_TRACING(RT_TRACE_LOADER))
        rt_trace("loader", "%s: loaded at %p, entry point %p, stack reserve 0x%zx", mod->name,
                 (void *)mod->img.base, (void *)(mod->img.base + mod->pe.entry_rva),
                 ldr_stack_reserve(mod));
    if (opts && opts->error)
        *opts->error = LDR_OK;
    ldr_load_status_end(saved_status, 0);
    return mod;
undo_load:
    if (opts && opts->error)
        *opts->error = kind;
    {
        /* what the failing step set (a DLL not found, ...), else the step's kind */
        NTSTATUS st = ldr_load_status_end(
            saved_status, kind == LDR_E_NO_MEMORY ? STATUS_NO_MEMORY
                          : kind == LDR_E_FILE    ? STATUS_OBJECT_NAME_NOT_FOUND
                          : kind == LDR_E_IMPORT  ? STATUS_ENTRYPOINT_NOT_FOUND
                                                  : STATUS_INVALID_IMAGE_FORMAT);
        if (opts && opts->status)
            *opts->status = st;
    }
    ldr_errf(err, errlen, "%s: %s", name, msg);
    if (file_fd >= 0)
        close(file_fd);
    ldr_free_file(file, file_size);
    if (mod) {
        mod->pe.file = NULL;
        ldr_dll_unregister_exe(mod);
        remove_ldr_entry(mod);
        ldr_unmap_image(&mod->img);
        free(mod->unix_path);
        free(mod->name);
        free(mod);
    }
    return NULL;
}

void ldr_unload(ldr_module *mod)
{
    if (!mod)
        return;
    if (ldr_exe == mod)
        ldr_exe = NULL;
    ldr_dll_unregister_exe(mod);
    ldr_range_remove(mod);
    ldr_tls_thread_fini(mod);
    remove_ldr_entry(mod);
    ldr_unmap_image(&mod->img);
    free(mod->unix_path);
    free(mod->name);
    free(mod);
}

void *ldr_module_base(const ldr_module *mod) { return mod->img.base; }
const char *ldr_module_unix_path(const ldr_module *mod) { return mod->unix_path; }
size_t ldr_module_size(const ldr_module *mod) { return mod->pe.size_of_image; }
const char *ldr_module_name(const ldr_module *mod) { return mod->name; }

size_t ldr_stack_reserve(const ldr_module *mod)
{
    uint64_t r = mod->pe.stack_reserve ? mod->pe.stack_reserve : LDR_DEFAULT_STACK;
    if (r < LDR_MIN_STACK)
        r = LDR_MIN_STACK;
    if (r > LDR_MAX_STACK)
        r = LDR_MAX_STACK;
    return (size_t)((r + LDR_PAGE_SIZE - 1) & ~(uint64_t)(LDR_PAGE_SIZE - 1));
}

uint32_t ldr_run_exe(ldr_module *mod)
{
    int r = ldr_tls_thread_init(mod);
    if (r < 0) {
        rt_message("%s: cannot set up the main thread's TLS: %s", mod->name, strerror(-r));
        return (uint32_t)STATUS_NO_MEMORY;
    }
    /* DLLs first (dependencies before their users), then the program's TLS callbacks. */
    char err[1024];
    if (ldr_dll_initialize_pending(err, sizeof err) < 0) {
        rt_message("%s: %s", mod->name, err);
        return (uint32_t)STATUS_DLL_INIT_FAILED;
    }
    mod->attached = true;
    ldr_tls_run_callbacks(&mod->tls, &mod->img, DLL_PROCESS_ATTACH);
    void *entry = mod->img.base + mod->pe.entry_rva;
    if (RT_TRACING(RT_TRACE_LOADER))
        rt_trace("loader", "%s: calling the entry point %p", mod->name, entry);
    /* Windows starts the process at entry(PEB) (BaseThreadInitThunk passes it in rcx). */
    return (uint32_t)thk_call_foreign1(entry, (uint64_t)(uintptr_t)rt_proc.peb);
}
