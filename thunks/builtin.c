/* The built-in DLLs: the export table collected from the "thk_exports" section, one in-memory
 * PE image per built-in DLL (headers, export directory, and the per-export thunk stubs), and the
 * XXH3 hash table that resolves "dll!name" for the loader and GetProcAddress. */
#include <ctype.h>
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/mman.h>
/* Header-only XXH3 (the library's supported inline mode): no libxxhash.so to map and bind at
 * every start. */
#define XXH_INLINE_ALL
#include <xxhash.h>
#include "thunks/msvcrt/crt.h"
#include "thunks/thunks_private.h"
#include "thunks/ntdll/ntdll_image.h"
#include "runtime/kuser.h"

void thk_missing_trampoline(void);
__attribute__((noreturn)) void thk_missing_called(const char *const *record);

#define THK_STUB_SIZE 32
#define THK_MAX_DLLS 32
#define THK_DLL_NAME_MAX 64

typedef struct thk_dll {
    char name[THK_DLL_NAME_MAX]; /* lower case, with ".dll" */
    uint8_t *image;              /* the in-memory PE image (module handle) */
    size_t image_size;
    uint32_t nexports;
    size_t first, count; /* its exports: thk_sorted[first .. first + count), in name order */
    const uint8_t *stubs; /* the function exports' stubs, in the same order (data skipped) */
    size_t nstubs;
} thk_dll;

typedef struct thk_entry {
    uint64_t hash;
    void *addr;    /* stub address for functions, the variable for data */
    void *export_addr; /* what the export directory gives (GetProcAddress): addr, except for
                        * ntdll's Nt/Zw calls, whose export is the Windows-shaped syscall stub */
    int dll_index;
} thk_entry;

static thk_dll thk_dlls[THK_MAX_DLLS];
static int thk_dll_count;
/* Every export, grouped by DLL and by name within one; thk_entries[i] belongs to thk_sorted[i].
 * thk_index: open-addressing hash table of "dll!name" -> i + 1 (0: empty slot). */
static const thk_export **thk_sorted;
static thk_entry *thk_entries;
static uint32_t *thk_index;
static size_t thk_index_mask;
static pthread_once_t thk_once = PTHREAD_ONCE_INIT;
static int thk_ntdll_build; /* the numbering ntdll's syscall stubs carry (10 or 11) */
static void **thk_ntdll_fast;  /* thunk addresses the stubs jump through (below 2 GiB) */
static size_t thk_ntdll_fast_size;
static int thk_init_status;

/* "KERNEL32" / "kernel32.DLL" -> "kernel32.dll" */
static void thk_normalize_dll(const char *in, char out[THK_DLL_NAME_MAX])
{
    size_t n = 0;
    for (; in[n] && n < THK_DLL_NAME_MAX - 5; n++)
        out[n] = (char)tolower((unsigned char)in[n]);
    out[n] = 0;
    if (n < 4 || strcmp(out + n - 4, ".dll") != 0)
        strcpy(out + n, ".dll");
}

static uint64_t thk_hash(const char *dll_norm, const char *name)
{
    char key[512];
    size_t a = strlen(dll_norm), b = strlen(name);
    if (a + 1 + b > sizeof key)
        b = sizeof key - 1 - a; /* longer names hash on a prefix; lookups compare in full */
    memcpy(key, dll_norm, a);
    key[a] = '!';
    memcpy(key + a + 1, name, b);
    return XXH3_64bits(key, a + 1 + b);
}

static int thk_dll_index(const char *norm, bool create)
{
    for (int i = 0; i < thk_dll_count; i++)
        if (strcmp(thk_dlls[i].name, norm) == 0)
            return i;
    if (!create || thk_dll_count == THK_MAX_DLLS)
        return -1;
    strcpy(thk_dlls[thk_dll_count].name, norm);
    return thk_dll_count++;
}

static const thk_entry *thk_lookup(const char *norm, const char *name)
{
    if (!thk_index)
        return NULL;
    uint64_t h = thk_hash(norm, name);
    for (size_t i = h & thk_index_mask;; i = (i + 1) & thk_index_mask) {
        uint32_t k = thk_index[i];
        if (!k)
            return NULL;
        const thk_entry *e = &thk_entries[k - 1];
        if (e->hash == h && strcmp(thk_sorted[k - 1]->name, name) == 0 &&
            strcmp(thk_dlls[e->dll_index].name, norm) == 0)
            return e;
    }
}

/* Writes the stub for one function export at `p`. */
static void thk_write_stub(uint8_t *p, const thk_export *exp)
{
    uint64_t target = (uint64_t)(uintptr_t)exp->addr;
    int slots = exp->nargs == THK_VARIADIC ? THK_VARIADIC_SLOTS : exp->nargs - 4;
    uint64_t generic = (uint64_t)(uintptr_t)(slots > 0 ? thk_f2n_stack : thk_f2n_regs);
    memset(p, 0xcc, THK_STUB_SIZE);
    *p++ = 0x48; *p++ = 0xb8; /* movabs $target, %rax */
    memcpy(p, &target, 8); p += 8;
    if (exp->nargs == THK_RAW) {
        *p++ = 0xff; *p++ = 0xe0; /* jmp *%rax */
        return;
    }
    if (slots > 0) {
        uint32_t n = (uint32_t)slots;
        *p++ = 0x41; *p++ = 0xbb; /* mov $n, %r11d */
        memcpy(p, &n, 4); p += 4;
    }
    *p++ = 0xff; *p++ = 0x25; /* jmp *0(%rip) */
    memset(p, 0, 4); p += 4;
    memcpy(p, &generic, 8);
}

/* Export order: by DLL (any case), then by name (strcmp, the export directory's order). */
static int thk_cmp_export(const void *a, const void *b)
{
    const thk_export *const *x = a, *const *y = b;
    int c = (*x)->dll == (*y)->dll ? 0 : strcasecmp((*x)->dll, (*y)->dll);
    return c ? c : strcmp((*x)->name, (*y)->name);
}

static void put16(uint8_t *p, uint16_t v) { memcpy(p, &v, 2); }
static void put32(uint8_t *p, uint32_t v) { memcpy(p, &v, 4); }
static void put64(uint8_t *p, uint64_t v) { memcpy(p, &v, 8); }

/* One name of the export directory. */
typedef struct thk_dir_name {
    const char *name;
    uint32_t rva;
} thk_dir_name;

/* Builds one built-in DLL's image: page 0 headers, then the export directory, then the stubs.
 * Function exports point at their stubs; data exports are not in the export directory (the
 * variables live in ntrun's own data, out of RVA reach) but resolve through thk_resolve.
 * ntdll also gets a Windows-shaped syscall stub for every Nt* call of the selected build
 * (thunks/ntdll/image.c), exported as Nt* and Zw*; where ntrun implements the call, the thunk stays
 * the import route (thk_entry.addr) and the export directory names the syscall stub. */
static int thk_build_image(int di, const thk_export **exps, size_t n, thk_entry *entries_out)
{
    thk_dll *dll = &thk_dlls[di];
    int ret = 0;
    thk_syscall_stub *sys = NULL;
    uint32_t *sys_by_name = NULL;
    size_t nsys = 0, nfunc = 0, nnames = 0, names_size = 0;
    /* Without Syscall User Dispatch a stub's `syscall` would reach Linux with an NT number:
     * then ntdll exports only its thunks (direct system calls cannot work there anyway). */
    if (strcmp(dll->name, "ntdll.dll") == 0 && rt_proc.sud_available)
        nsys = thk_ntdll_syscalls(&sys, &sys_by_name);
    /* Stub offsets from the start of the code (fixed up below): the thunks in name order, then
     * the syscall stubs in number order. export_rel: what export i's directory entry names. */
    uint32_t *stub_rel = malloc((n + 1) * sizeof *stub_rel);
    uint32_t *export_rel = malloc((n + 1) * sizeof *export_rel);
    long *sys_thunk = malloc((nsys + 1) * sizeof *sys_thunk); /* exps index of the Nt thunk */
    char *zw = malloc(nsys * 64 + 1); /* "Zw..." copies of the syscall names, in name order */
    thk_dir_name *names = NULL;
    if (!stub_rel || !export_rel || !sys_thunk || !zw)
        goto nomem;
    for (size_t i = 0; i < n; i++) {
        stub_rel[i] = export_rel[i] = (uint32_t)(nfunc * THK_STUB_SIZE);
        nfunc += exps[i]->nargs != THK_DATA;
    }
    names = malloc((nfunc + 2 * nsys + 1) * sizeof *names);
    if (!names)
        goto nomem;
    size_t sys_rel = nfunc * THK_STUB_SIZE;
    for (size_t j = 0; j < nsys; j++) {
        const char *nt = sys[sys_by_name[j]].name;
        size_t len = strlen(nt);
        if (len > 63)
            len = 63;
        memcpy(zw + j * 64, "Zw", 2);
        memcpy(zw + j * 64 + 2, nt + 2, len - 2);
        zw[j * 64 + len] = 0;
        sys_thunk[j] = -1;
    }
    /* The directory's names: a merge of three sorted runs (the thunks, the Nt stubs, the Zw
     * stubs). Where a thunk and a syscall stub share a name, the directory names the stub. */
    for (size_t ia = 0, ib = 0, ic = 0;;) {
        while (ia < n && exps[ia]->nargs == THK_DATA)
            ia++;
        const char *a = ia < n ? exps[ia]->name : NULL;
        const char *b = ib < nsys ? sys[sys_by_name[ib]].name : NULL;
        const char *c = ic < nsys ? zw + ic * 64 : NULL;
        const char *st = b;
        bool is_zw = false;
        if (c && (!st || strcmp(c, st) < 0)) {
            st = c;
            is_zw = true;
        }
        if (!a && !st)
            break;
        int cmp = !a ? 1 : !st ? -1 : strcmp(a, st);
        if (cmp < 0) {
            names[nnames++] = (thk_dir_name){a, stub_rel[ia++]};
            continue;
        }
        uint32_t k = sys_by_name[is_zw ? ic++ : ib++];
        uint32_t rel = (uint32_t)(sys_rel + k * THK_SYSCALL_STUB_SIZE);
        names[nnames++] = (thk_dir_name){st, rel};
        if (cmp == 0) {
            export_rel[ia] = rel;
            if (!is_zw)
                sys_thunk[k] = (long)ia;
            ia++;
        }
    }
    for (size_t i = 0; i < nnames; i++)
        names_size += strlen(names[i].name) + 1;

    size_t dir_rva = 0x1000;
    size_t dir_size = 40 + strlen(dll->name) + 1 + nnames * (4 + 4 + 2) + names_size;
    size_t code_rva = (dir_rva + dir_size + 0xfff) & ~(size_t)0xfff;
    size_t code_size = nfunc * THK_STUB_SIZE + nsys * THK_SYSCALL_STUB_SIZE;
    size_t image_size = (code_rva + code_size + 0xfff) & ~(size_t)0xfff;
    uint8_t *img = mmap(NULL, image_size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
                        -1, 0);
    if (img == MAP_FAILED) {
        ret = -errno;
        goto free_lists;
    }

    /* DOS + NT headers */
    img[0] = 'M'; img[1] = 'Z';
    put32(img + 0x3c, 0x40);
    uint8_t *nt = img + 0x40;
    memcpy(nt, "PE\0\0", 4);
    uint8_t *fh = nt + 4;
    put16(fh + 0, 0x8664);          /* Machine */
    put16(fh + 2, 2);               /* NumberOfSections: .rdata (exports), .text (stubs) */
    put16(fh + 16, 0xf0);           /* SizeOfOptionalHeader */
    put16(fh + 18, 0x2022);         /* EXECUTABLE_IMAGE | LARGE_ADDRESS_AWARE | DLL */
    uint8_t *oh = fh + 20;
    put16(oh + 0, 0x20b);           /* PE32+ */
    put32(oh + 4, (uint32_t)code_size); /* SizeOfCode */
    put32(oh + 20, (uint32_t)code_rva); /* BaseOfCode */
    put32(oh + 56, (uint32_t)image_size); /* SizeOfImage */
    put32(oh + 60, 0x1000);         /* SizeOfHeaders */
    put64(oh + 24, (uint64_t)(uintptr_t)img); /* ImageBase */
    put32(oh + 32, 0x1000);         /* SectionAlignment */
    put32(oh + 36, 0x200);          /* FileAlignment */
    put16(oh + 40, 10);             /* MajorOperatingSystemVersion */
    put16(oh + 48, 10);             /* MajorSubsystemVersion */
    put16(oh + 68, 3);              /* Subsystem: console */
    put32(oh + 108, 16);            /* NumberOfRvaAndSizes */
    put32(oh + 112, (uint32_t)dir_rva);   /* DataDirectory[EXPORT] */
    put32(oh + 116, (uint32_t)dir_size);
    uint8_t *sh = oh + 0xf0;
    memcpy(sh, ".rdata", 6);
    put32(sh + 8, (uint32_t)(code_rva - 0x1000));    /* VirtualSize */
    put32(sh + 12, 0x1000);                          /* VirtualAddress */
    put32(sh + 36, 0x40000040);                      /* INITIALIZED_DATA | READ */
    sh += 40;
    memcpy(sh, ".text", 5);
    put32(sh + 8, (uint32_t)(image_size - code_rva)); /* VirtualSize */
    put32(sh + 12, (uint32_t)code_rva);               /* VirtualAddress */
    put32(sh + 36, 0x60000020);                       /* CODE | EXECUTE | READ */

    /* Export directory: every name its own function slot (Nt and Zw share an address). */
    uint8_t *dir = img + dir_rva;
    size_t off = dir_rva + 40;
    uint32_t name_rva = (uint32_t)off;
    strcpy((char *)img + off, dll->name);
    off += strlen(dll->name) + 1;
    uint32_t funcs_rva = (uint32_t)off; off += nnames * 4;
    uint32_t names_rva = (uint32_t)off; off += nnames * 4;
    uint32_t ords_rva = (uint32_t)off; off += nnames * 2;
    put32(dir + 12, name_rva);
    put32(dir + 16, 1);             /* Base */
    put32(dir + 20, (uint32_t)nnames);
    put32(dir + 24, (uint32_t)nnames);
    put32(dir + 28, funcs_rva);
    put32(dir + 32, names_rva);
    put32(dir + 36, ords_rva);
    for (size_t i = 0; i < nnames; i++) {
        names[i].rva += (uint32_t)code_rva;
        put32(img + funcs_rva + i * 4, names[i].rva);
        put32(img + names_rva + i * 4, (uint32_t)off);
        put16(img + ords_rva + i * 2, (uint16_t)i);
        strcpy((char *)img + off, names[i].name);
        off += strlen(names[i].name) + 1;
    }
    /* Code: the thunk stubs in export-name order, then the syscall stubs in number order. */
    for (size_t i = 0; i < n; i++) {
        if (exps[i]->nargs == THK_DATA)
            continue;
        uint8_t *stub = img + code_rva + stub_rel[i];
        thk_write_stub(stub, exps[i]);
        entries_out[i].addr = stub;
        entries_out[i].export_addr = img + code_rva + export_rel[i];
    }
    /* The fast route of calls through the stubs: a table of thunk addresses below 2 GiB that
     * each implemented call's stub jumps through when KUSER_SHARED_DATA.SystemCall is 1. */
    void **fast = NULL;
    size_t fast_size = (nsys * sizeof(void *) + 0xfff) & ~(size_t)0xfff;
    if (nsys) {
        fast = mmap(NULL, fast_size, PROT_READ | PROT_WRITE,
                    MAP_PRIVATE | MAP_ANONYMOUS | MAP_32BIT, -1, 0);
        if (fast == MAP_FAILED || (uintptr_t)fast + fast_size > 0x80000000u) {
            if (fast != MAP_FAILED)
                munmap(fast, fast_size);
            fast = NULL; /* every stub takes `int 2e` then; SystemCall stays 0 */
        }
    }
    for (size_t k = 0; k < nsys; k++) {
        void **slot = NULL;
        if (fast && sys_thunk[k] >= 0) {
            slot = &fast[k];
            *slot = entries_out[sys_thunk[k]].addr;
        }
        thk_write_syscall_stub(img + code_rva + sys_rel + k * THK_SYSCALL_STUB_SIZE,
                               sys[k].number, slot);
    }
    if (fast && mprotect(fast, fast_size, PROT_READ) != 0) {
        ret = -errno;
        munmap(fast, fast_size);
        munmap(img, image_size);
        goto free_lists;
    }
    /* Headers and export directory read-only, code read-execute (VirtualQuery reports
     * PAGE_READONLY / PAGE_EXECUTE_READ as for a Windows DLL). */
    if (mprotect(img, code_rva, PROT_READ) != 0 ||
        mprotect(img + code_rva, image_size - code_rva, PROT_READ | PROT_EXEC) != 0) {
        ret = -errno;
        munmap(img, image_size);
        goto free_lists;
    }
    if (nsys) {
        if (thk_ntdll_fast)
            munmap(thk_ntdll_fast, thk_ntdll_fast_size);
        thk_ntdll_fast = fast;
        thk_ntdll_fast_size = fast_size;
        KUSER_SHARED_DATA *k = rt_kuser_rw();
        if (k) /* 1: ntdll's stubs go to `jnz` -> the fast route (see thunks/ntdll/image.c) */
            k->SystemCall = fast ? 1 : 0;
    }
    dll->image = img;
    dll->image_size = image_size;
    dll->nexports = (uint32_t)nnames;
    dll->stubs = img + code_rva;
    dll->nstubs = nfunc;
    nt_vm_register_image(img, image_size, dll->name);
    goto free_lists;
nomem:
    ret = -ENOMEM;
free_lists:
    free(names);
    free(zw);
    free(sys);
    free(sys_by_name);
    free(stub_rel);
    free(export_rel);
    free(sys_thunk);
    return ret;
}

/* Builds (or rebuilds) built-in DLL di's image from its run of thk_sorted. */
static int thk_build_dll(int di)
{
    const thk_dll *d = &thk_dlls[di];
    int r = thk_build_image(di, thk_sorted + d->first, d->count, thk_entries + d->first);
    if (r == 0 && strcmp(d->name, "ntdll.dll") == 0)
        __atomic_store_n(&thk_ntdll_build, nt_syscalls_build(), __ATOMIC_RELEASE);
    return r;
}

/* Is the export table grouped by DLL and in name order within each? The build links the
 * "thk_exports.<dll>.<name>" input sections sorted by name (cmake/thk_exports.ld), so this
 * normally holds and start-up sorts nothing. */
static bool thk_exports_in_order(const thk_export *const *v, size_t n)
{
    const char *seen[THK_MAX_DLLS];
    size_t nseen = 0;
    for (size_t i = 0; i < n; i++) {
        if (i > 0 && thk_cmp_export(&v[i - 1], &v[i]) >= 0)
            return false;
        if (i == 0 || (v[i - 1]->dll != v[i]->dll && strcasecmp(v[i - 1]->dll, v[i]->dll) != 0)) {
            for (size_t k = 0; k < nseen; k++)
                if (strcasecmp(seen[k], v[i]->dll) == 0)
                    return false; /* the DLL's run was interrupted */
            if (nseen == THK_MAX_DLLS)
                return false;
            seen[nseen++] = v[i]->dll;
        }
    }
    return true;
}

void thk_f2n_regs_ret(void);
void thk_f2n_stack_ret(void);

/* Crash reports: which export a stub address belongs to (the runtime asks, see
 * rt_set_builtin_describer). Not on any fast path. */
static bool thk_describe_stub(uintptr_t addr, const char **dll, const char **name)
{
    for (int di = 0; di < thk_dll_count; di++) {
        const thk_dll *d = &thk_dlls[di];
        uintptr_t base = (uintptr_t)d->stubs;
        if (!base || addr < base || addr >= base + d->nstubs * THK_STUB_SIZE)
            continue;
        size_t want = (addr - base) / THK_STUB_SIZE, k = 0;
        for (size_t i = d->first; i < d->first + d->count; i++) {
            if (thk_sorted[i]->nargs == THK_DATA)
                continue;
            if (k++ == want) {
                *dll = d->name;
                *name = thk_sorted[i]->name;
                return true;
            }
        }
    }
    return false;
}

static void thk_do_init(void)
{
    size_t n = (size_t)(__stop_thk_exports - __start_thk_exports);
    size_t cap = 16;
    while (cap < n * 2)
        cap <<= 1;
    uint32_t *index = calloc(cap, sizeof *index);
    const thk_export **sorted = malloc((n ? n : 1) * sizeof *sorted);
    thk_entry *entries = malloc((n ? n : 1) * sizeof *entries);
    if (!index || !sorted || !entries || n >= UINT32_MAX) {
        free(index);
        free(sorted);
        free(entries);
        thk_init_status = -ENOMEM;
        return;
    }
    for (size_t i = 0; i < n; i++)
        sorted[i] = &__start_thk_exports[i];
    if (!thk_exports_in_order(sorted, n)) /* linked without the script: sort here */
        qsort(sorted, n, sizeof *sorted, thk_cmp_export);
    thk_sorted = sorted;
    thk_entries = entries;
    thk_index_mask = cap - 1;
    /* Hash every export; each DLL's exports are one run of `sorted`. */
    char norm[THK_DLL_NAME_MAX];
    int di = -1;
    for (size_t i = 0; i < n; i++) {
        if (i == 0 || (sorted[i - 1]->dll != sorted[i]->dll &&
                       strcasecmp(sorted[i - 1]->dll, sorted[i]->dll) != 0)) {
            thk_normalize_dll(sorted[i]->dll, norm);
            di = thk_dll_index(norm, true);
            if (di < 0) {
                thk_init_status = -E2BIG;
                return;
            }
            thk_dlls[di].first = i;
        }
        thk_dlls[di].count++;
        uint64_t h = thk_hash(norm, sorted[i]->name);
        size_t j = h & thk_index_mask;
        while (index[j])
            j = (j + 1) & thk_index_mask;
        index[j] = (uint32_t)i + 1;
        entries[i] = (thk_entry){.hash = h, .addr = sorted[i]->addr,
                                 .export_addr = sorted[i]->addr, .dll_index = di};
    }
    thk_index = index; /* published last: thk_lookup before this finds nothing */
    /* One image per DLL, exports in name order (the export directory's names are sorted). */
    for (di = 0; di < thk_dll_count; di++) {
        int r = thk_build_dll(di);
        if (r < 0) {
            thk_init_status = r;
            return;
        }
    }
    rt_set_builtin_describer(thk_describe_stub, (uintptr_t)thk_f2n_regs_ret,
                             (uintptr_t)thk_f2n_stack_ret);
    if (RT_TRACING(RT_TRACE_LOADER)) {
        for (di = 0; di < thk_dll_count; di++)
            rt_trace("loader", "built-in %s at %p: %u function exports", thk_dlls[di].name,
                     (void *)thk_dlls[di].image, thk_dlls[di].nexports);
    }
}

/* libntrun may run programs with different --windows-build values in one process: ntdll's
 * syscall stubs follow the numbering selected since (nt_syscalls_init). The old image is
 * unmapped, so this must only happen between runs, with no foreign code left running. */
static pthread_mutex_t thk_rebuild_lock = PTHREAD_MUTEX_INITIALIZER;
static void thk_ntdll_follow_build(void)
{
    if (__atomic_load_n(&thk_ntdll_build, __ATOMIC_ACQUIRE) == nt_syscalls_build())
        return;
    pthread_mutex_lock(&thk_rebuild_lock);
    char norm[THK_DLL_NAME_MAX];
    thk_normalize_dll("ntdll", norm);
    int di = thk_dll_index(norm, false);
    if (di >= 0 && thk_ntdll_build != nt_syscalls_build()) {
        uint8_t *old = thk_dlls[di].image;
        size_t old_size = thk_dlls[di].image_size;
        if (thk_build_dll(di) == 0 && old) {
            nt_vm_unregister_image(old, old_size);
            munmap(old, old_size);
        }
    }
    pthread_mutex_unlock(&thk_rebuild_lock);
}

int thk_init(void)
{
    pthread_once(&thk_once, thk_do_init);
    if (thk_init_status == 0)
        thk_ntdll_follow_build();
    return thk_init_status;
}

bool thk_is_builtin_dll(const char *dll)
{
    char norm[THK_DLL_NAME_MAX];
    if (thk_init() < 0)
        return false;
    thk_normalize_dll(dll, norm);
    return thk_dll_index(norm, false) >= 0;
}

void *thk_resolve(const char *dll, const char *name)
{
    char norm[THK_DLL_NAME_MAX];
    if (thk_init() < 0)
        return NULL;
    thk_normalize_dll(dll, norm);
    const thk_entry *e = thk_lookup(norm, name);
    /* TEMPORARY (until the generated export tables with per-DLL fallback chains land): a
     * ucrtbase name ucrtbase does not define itself is msvcrt's shared implementation. */
    if (!e && strcmp(norm, "ucrtbase.dll") == 0)
        e = thk_lookup("msvcrt.dll", name);
    return e ? e->addr : NULL;
}

HMODULE thk_builtin_module(const char *dll)
{
    char norm[THK_DLL_NAME_MAX];
    if (thk_init() < 0)
        return NULL;
    thk_normalize_dll(dll, norm);
    int di = thk_dll_index(norm, false);
    return di < 0 ? NULL : thk_dlls[di].image;
}

/* Looks `name` up in a built-in image's own export directory (trusted: we wrote it). */
static void *thk_dir_find(uint8_t *img, size_t size, const char *name)
{
    uint32_t dir_rva, count, funcs, names, ords;
    memcpy(&dir_rva, img + 0x40 + 24 + 112, 4);
    if (!dir_rva || dir_rva + 40 > size)
        return NULL;
    memcpy(&count, img + dir_rva + 24, 4);
    memcpy(&funcs, img + dir_rva + 28, 4);
    memcpy(&names, img + dir_rva + 32, 4);
    memcpy(&ords, img + dir_rva + 36, 4);
    uint32_t lo = 0, hi = count;
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2, nrva, frva;
        uint16_t ord;
        memcpy(&nrva, img + names + mid * 4, 4);
        int c = strcmp((const char *)img + nrva, name);
        if (c == 0) {
            memcpy(&ord, img + ords + mid * 2, 2);
            memcpy(&frva, img + funcs + ord * 4u, 4);
            return img + frva;
        }
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return NULL;
}

void *thk_builtin_proc(HMODULE mod, const char *name)
{
    for (int di = 0; di < thk_dll_count; di++) {
        if (thk_dlls[di].image != mod)
            continue;
        const thk_entry *e = thk_lookup(thk_dlls[di].name, name);
        if (!e && strcmp(thk_dlls[di].name, "ucrtbase.dll") == 0) /* TEMPORARY: as thk_resolve */
            e = thk_lookup("msvcrt.dll", name);
        if (e)
            return e->export_addr; /* ntdll!Nt*: the Windows-shaped stub, like the directory */
        /* ntdll's syscall stubs for calls ntrun does not implement: directory only */
        return thk_dir_find(thk_dlls[di].image, thk_dlls[di].image_size, name);
    }
    return NULL;
}

/* ---- stubs for missing imports ----
 * Each is `movabs $record, %r10; jmp *thk_missing_trampoline`, in a small RX pool. */
static pthread_mutex_t thk_missing_lock = PTHREAD_MUTEX_INITIALIZER;
static uint8_t *thk_missing_page;
static size_t thk_missing_used;

void *thk_missing_stub(const char *dll, const char *name)
{
    const char **record = malloc(2 * sizeof *record);
    if (!record)
        return NULL;
    record[0] = strdup(dll);
    record[1] = strdup(name);
    void *stub = NULL;
    pthread_mutex_lock(&thk_missing_lock);
    if (!thk_missing_page || thk_missing_used + THK_STUB_SIZE > 0x1000) {
        void *p = mmap(NULL, 0x1000, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        if (p == MAP_FAILED)
            goto out;
        thk_missing_page = p;
        thk_missing_used = 0;
    } else if (mprotect(thk_missing_page, 0x1000, PROT_READ | PROT_WRITE) != 0) {
        goto out;
    }
    uint8_t *p = thk_missing_page + thk_missing_used;
    uint64_t rec = (uint64_t)(uintptr_t)record;
    uint64_t tramp = (uint64_t)(uintptr_t)thk_missing_trampoline;
    memset(p, 0xcc, THK_STUB_SIZE);
    p[0] = 0x49; p[1] = 0xba; /* movabs $record, %r10 */
    memcpy(p + 2, &rec, 8);
    p[10] = 0xff; p[11] = 0x25; /* jmp *0(%rip) */
    memset(p + 12, 0, 4);
    memcpy(p + 16, &tramp, 8);
    stub = p;
    thk_missing_used += THK_STUB_SIZE;
    mprotect(thk_missing_page, 0x1000, PROT_READ | PROT_EXEC);
out:
    pthread_mutex_unlock(&thk_missing_lock);
    return stub;
}

void thk_missing_called(const char *const *record)
{
    rt_message("%s called unimplemented %s!%s", rt_proc.exe_name ? rt_proc.exe_name : "program",
               record[0], record[1]);
    rt_exit_process((uint32_t)STATUS_ENTRYPOINT_NOT_FOUND);
}

void thk_before_entry(void)
{
    crt_startup_init();
}
