/* The built-in DLLs: the export table collected from the "thk_exports" section, one in-memory
 * PE image per built-in DLL (headers, export directory, and the per-export thunk stubs), and the
 * XXH3 hash table that resolves "dll!name" for the loader and GetProcAddress. */
#include <ctype.h>
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <xxhash.h>
#include "thunks/crt.h"
#include "thunks/thunks_private.h"

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
} thk_dll;

typedef struct thk_entry {
    uint64_t hash;
    const thk_export *exp;
    void *addr;    /* stub address for functions, the variable for data */
    int dll_index;
} thk_entry;

static thk_dll thk_dlls[THK_MAX_DLLS];
static int thk_dll_count;
static thk_entry *thk_table;
static size_t thk_table_mask;
static pthread_once_t thk_once = PTHREAD_ONCE_INIT;
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
    if (!thk_table)
        return NULL;
    uint64_t h = thk_hash(norm, name);
    for (size_t i = h & thk_table_mask;; i = (i + 1) & thk_table_mask) {
        const thk_entry *e = &thk_table[i];
        if (!e->exp)
            return NULL;
        if (e->hash == h && strcmp(e->exp->name, name) == 0 &&
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
    if (slots > 0) {
        uint32_t n = (uint32_t)slots;
        *p++ = 0x41; *p++ = 0xbb; /* mov $n, %r11d */
        memcpy(p, &n, 4); p += 4;
    }
    *p++ = 0xff; *p++ = 0x25; /* jmp *0(%rip) */
    memset(p, 0, 4); p += 4;
    memcpy(p, &generic, 8);
}

static int thk_cmp_export_name(const void *a, const void *b)
{
    const thk_export *const *x = a, *const *y = b;
    return strcmp((*x)->name, (*y)->name);
}

static void put16(uint8_t *p, uint16_t v) { memcpy(p, &v, 2); }
static void put32(uint8_t *p, uint32_t v) { memcpy(p, &v, 4); }
static void put64(uint8_t *p, uint64_t v) { memcpy(p, &v, 8); }

/* Builds one built-in DLL's image: page 0 headers, then the export directory, then the stubs.
 * Function exports point at their stubs; data exports are not in the export directory (the
 * variables live in ntrun's own data, out of RVA reach) but resolve through thk_resolve. */
static int thk_build_image(int di, const thk_export **exps, size_t n, thk_entry *entries_out[])
{
    thk_dll *dll = &thk_dlls[di];
    size_t nfunc = 0, names_size = 0;
    for (size_t i = 0; i < n; i++) {
        if (exps[i]->nargs != THK_DATA) {
            nfunc++;
            names_size += strlen(exps[i]->name) + 1;
        }
    }
    size_t dir_rva = 0x1000;
    size_t dir_size = 40 + strlen(dll->name) + 1 + nfunc * (4 + 4 + 2) + names_size;
    size_t code_rva = (dir_rva + dir_size + 0xfff) & ~(size_t)0xfff;
    size_t image_size = (code_rva + nfunc * THK_STUB_SIZE + 0xfff) & ~(size_t)0xfff;
    uint8_t *img = mmap(NULL, image_size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
                        -1, 0);
    if (img == MAP_FAILED)
        return -errno;

    /* DOS + NT headers */
    img[0] = 'M'; img[1] = 'Z';
    put32(img + 0x3c, 0x40);
    uint8_t *nt = img + 0x40;
    memcpy(nt, "PE\0\0", 4);
    uint8_t *fh = nt + 4;
    put16(fh + 0, 0x8664);          /* Machine */
    put16(fh + 2, 1);               /* NumberOfSections */
    put16(fh + 16, 0xf0);           /* SizeOfOptionalHeader */
    put16(fh + 18, 0x2022);         /* EXECUTABLE_IMAGE | LARGE_ADDRESS_AWARE | DLL */
    uint8_t *oh = fh + 20;
    put16(oh + 0, 0x20b);           /* PE32+ */
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
    memcpy(sh, ".text", 5);
    put32(sh + 8, (uint32_t)(image_size - 0x1000)); /* VirtualSize */
    put32(sh + 12, 0x1000);                          /* VirtualAddress */
    put32(sh + 36, 0x60000020);                      /* CODE | EXECUTE | READ */

    /* Export directory */
    uint8_t *dir = img + dir_rva;
    size_t off = dir_rva + 40;
    uint32_t name_rva = (uint32_t)off;
    strcpy((char *)img + off, dll->name);
    off += strlen(dll->name) + 1;
    uint32_t funcs_rva = (uint32_t)off; off += nfunc * 4;
    uint32_t names_rva = (uint32_t)off; off += nfunc * 4;
    uint32_t ords_rva = (uint32_t)off; off += nfunc * 2;
    put32(dir + 12, name_rva);
    put32(dir + 16, 1);             /* Base */
    put32(dir + 20, (uint32_t)nfunc);
    put32(dir + 24, (uint32_t)nfunc);
    put32(dir + 28, funcs_rva);
    put32(dir + 32, names_rva);
    put32(dir + 36, ords_rva);
    size_t fi = 0;
    for (size_t i = 0; i < n; i++) {
        if (exps[i]->nargs == THK_DATA)
            continue;
        uint32_t stub_rva = (uint32_t)(code_rva + fi * THK_STUB_SIZE);
        put32(img + funcs_rva + fi * 4, stub_rva);
        put32(img + names_rva + fi * 4, (uint32_t)off);
        put16(img + ords_rva + fi * 2, (uint16_t)fi);
        strcpy((char *)img + off, exps[i]->name);
        off += strlen(exps[i]->name) + 1;
        thk_write_stub(img + stub_rva, exps[i]);
        entries_out[i]->addr = img + stub_rva;
        fi++;
    }
    if (mprotect(img, image_size, PROT_READ | PROT_EXEC) != 0) {
        int e = errno;
        munmap(img, image_size);
        return -e;
    }
    dll->image = img;
    dll->image_size = image_size;
    dll->nexports = (uint32_t)nfunc;
    nt_vm_register_image(img, image_size, dll->name);
    return 0;
}

static void thk_do_init(void)
{
    size_t n = (size_t)(__stop_thk_exports - __start_thk_exports);
    size_t cap = 16;
    while (cap < n * 2)
        cap <<= 1;
    thk_entry *table = calloc(cap, sizeof *table);
    const thk_export **sorted = malloc((n ? n : 1) * sizeof *sorted);
    thk_entry **slots = malloc((n ? n : 1) * sizeof *slots);
    if (!table || !sorted || !slots) {
        thk_init_status = -ENOMEM;
        goto out;
    }
    for (size_t i = 0; i < n; i++)
        sorted[i] = &__start_thk_exports[i];
    thk_table = table;
    thk_table_mask = cap - 1;
    /* Hash every export. */
    for (size_t i = 0; i < n; i++) {
        char norm[THK_DLL_NAME_MAX];
        thk_normalize_dll(sorted[i]->dll, norm);
        int di = thk_dll_index(norm, true);
        if (di < 0) {
            thk_init_status = -E2BIG;
            goto out;
        }
        uint64_t h = thk_hash(norm, sorted[i]->name);
        size_t j = h & thk_table_mask;
        while (table[j].exp)
            j = (j + 1) & thk_table_mask;
        table[j] = (thk_entry){.hash = h, .exp = sorted[i], .addr = sorted[i]->addr,
                               .dll_index = di};
    }
    /* One image per DLL, exports in name order (the export directory's names are sorted). */
    for (int di = 0; di < thk_dll_count; di++) {
        size_t m = 0;
        for (size_t j = 0; j < cap; j++) {
            if (table[j].exp && table[j].dll_index == di) {
                sorted[m] = table[j].exp;
                m++;
            }
        }
        qsort(sorted, m, sizeof *sorted, thk_cmp_export_name);
        for (size_t i = 0; i < m; i++) {
            char norm[THK_DLL_NAME_MAX];
            thk_normalize_dll(sorted[i]->dll, norm);
            slots[i] = (thk_entry *)thk_lookup(norm, sorted[i]->name);
        }
        int r = thk_build_image(di, sorted, m, slots);
        if (r < 0) {
            thk_init_status = r;
            goto out;
        }
    }
    if (RT_TRACING(RT_TRACE_LOADER)) {
        for (int di = 0; di < thk_dll_count; di++)
            rt_trace("loader", "built-in %s at %p: %u function exports", thk_dlls[di].name,
                     (void *)thk_dlls[di].image, thk_dlls[di].nexports);
    }
out:
    free(sorted);
    free(slots);
}

int thk_init(void)
{
    pthread_once(&thk_once, thk_do_init);
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

void *thk_builtin_proc(HMODULE mod, const char *name)
{
    for (int di = 0; di < thk_dll_count; di++)
        if (thk_dlls[di].image == mod)
            return thk_resolve(thk_dlls[di].name, name);
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
