/* SPDX-License-Identifier: MIT */
/* The built-in DLLs. Two read-only tables say what exists:
 *   - thk_gen_dlls / thk_gen_exports (thunks/dlldata.h): every built-in DLL with its complete
 *     export list (names, ordinals), generated at build time from the mingw-w64 import libraries
 *     and thunks/dlls.list, including where implementations come from (fallback chains) and
 *     which names are API sets hosted by another DLL;
 *   - the THK_EXPORT entries collected from the "thk_exports" linker section, linked sorted by
 *     DLL and name (cmake/thk_exports.ld): what ntrun implements.
 * Both are searched by binary search; start-up does nothing per DLL or per export. A DLL's
 * in-memory PE image (headers, export directory with Windows' names and ordinals, stubs) is built
 * the first time something needs it: import binding, LoadLibrary/GetModuleHandle, GetProcAddress.
 * An export ntrun does not implement gets a small stub in the image that reports the call. */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <link.h>
#include <unistd.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include "thunks/dlldata.h"
#include "thunks/msvcrt/crt.h"
#include "thunks/thunks_private.h"
#include "thunks/images.h"
#include "thunks/ntdll/ntdll_image.h"
#include "runtime/kuser.h"
#include "runtime/rewrite.h"

void thk_missing_trampoline(void);
__attribute__((noreturn)) void thk_missing_called(const void *what, uintptr_t slot);

#define THK_STUB_SIZE 32
/* ntdll's fast-route table (thk_fast_map): beside KUSER_SHARED_DATA (0x7ffe0000), in the
 * 64 KB that Windows keeps for the system (a program cannot allocate there either). */
#define THK_FAST_AT 0x7ffe1000u
#define THK_FAST_END 0x7fff0000u
static void **thk_fast_map(size_t size, int prot, int flags);
#define THK_MISSING_STUB_SIZE 8
#define THK_MISSING_TAIL_SIZE 48
#define THK_DLL_NAME_MAX 64

/* What an export slot of a built image holds. */
enum {
    THK_SLOT_THUNK,   /* implemented: a thunk stub to the ms_abi C function */
    THK_SLOT_DATA,    /* implemented data export: not in the directory, resolves to the variable */
    THK_SLOT_SYSCALL, /* ntdll: a Windows-shaped system-call stub only (ntemu handles the call) */
    THK_SLOT_MISSING, /* exported by Windows, not implemented: a reporting stub */
};

typedef struct thk_slot {
    const char *name;       /* NULL: exported by ordinal only */
    const thk_export *impl; /* the implementation, NULL if none */
    uint32_t import_rva;    /* what an import binds to (THK_SLOT_DATA: impl->addr instead) */
    uint32_t export_rva;    /* what the export directory names (GetProcAddress) */
    uint16_t ordinal;
    uint8_t kind;           /* THK_SLOT_* */
} thk_slot;
_Static_assert(sizeof(thk_slot) == 32, "thk_slot: a few thousand per image, keep it small");

typedef struct thk_dll {
    const char *name;            /* lower case, "kernel32.dll"; NULL until first use */
    int gen;                     /* index in thk_gen_dlls, -1 for a DLL only THK_EXPORT names */
    uint8_t *image;              /* published with release order once complete; NULL: not built */
    size_t image_size;
    thk_slot *slots;             /* named slots in strcmp order, then ordinal-only ones */
    uint32_t nslots, nnamed;
    uint16_t ordinal_base;
    bool registered;             /* image registered with nt_vm as MEM_IMAGE */
    char *zw_names;              /* ntdll: the Zw names the slots point into */
    void **fast;                 /* ntdll: the syscall stubs' table of thunk addresses */
    size_t fast_size;
    int ntdll_build;             /* ntdll: the numbering its syscall stubs carry */
    /* The layout thk_build_image chose, for the build-time templates (thk_images_emit). */
    uint32_t missing_rva, tail_rva, code_rva, sys_rva, nsys;
    /* An image from a template: its slots are the template's (slots NULL), implementations
     * indices in these runs of THK_EXPORTs. */
    const struct thk_tmpl *tmpl;
    const thk_export *runs[1 + THK_GEN_CHAIN_MAX];
} thk_dll;

/* One record per generated DLL, handed out in the order the DLLs are first asked for (never
 * moved), then the DLLs only THK_EXPORTs name (test DLLs), added when first asked for. The
 * first few (a start's ntdll, kernel32 and msvcrt) are in start-up's populated block of .bss
 * (thk_gen_first, placed by the start-up order): in the 39 KB array by generated index they
 * were a write fault on each of 2 pages (docs/performance.md, twenty-first pass). */
#define THK_GEN_FIRST 8
static thk_dll thk_gen_first[THK_GEN_FIRST];
static thk_dll thk_gen_state[THK_GEN_NDLLS > THK_GEN_FIRST ? THK_GEN_NDLLS - THK_GEN_FIRST : 1];
/* Generated DLL i's record: 0 until it has one (thk_dll_get), else its number + 1. Asked here,
 * not of the record (reading a record before writing it mapped the zero page, which the
 * write then copied, flushing its TLB entry). */
static uint16_t thk_gen_named[THK_GEN_NDLLS];
static uint32_t thk_gen_nrecords; /* records handed out (under thk_lock) */
static thk_dll thk_gen_unnamed;   /* thk_dll_at's answer for a DLL with no record yet: zero */
_Static_assert(THK_GEN_NDLLS < 0xffff, "thk_gen_named holds a record number");

static thk_dll *thk_gen_record(uint32_t k)
{
    return k < THK_GEN_FIRST ? &thk_gen_first[k] : &thk_gen_state[k - THK_GEN_FIRST];
}
static thk_dll **thk_extra;
static size_t thk_nextra;
static pthread_mutex_t thk_lock = PTHREAD_MUTEX_INITIALIZER; /* image builds, thk_extra */
static rt_once_t thk_once = RT_ONCE_INIT;
static size_t thk_nimages; /* images made so far (thk_init has nothing to do before the first) */

static const char *gstr(uint32_t off) { return thk_gen_strings + off; }

/* "KERNEL32" / "kernel32.DLL" -> "kernel32.dll"; a name with another extension keeps it
 * ("winspool.drv"). false if too long. ASCII letters only, as tolower does in the C locale
 * ntrun runs in: tolower reads libc's C-ctype table, a page fault and a fault-around window
 * of ~15 pages of ntrun's file at every start (docs/performance.md, twenty-fourth pass,
 * second round). */
static bool thk_normalize_dll(const char *in, char out[THK_DLL_NAME_MAX])
{
    size_t n = 0;
    for (; in[n]; n++) {
        if (n >= THK_DLL_NAME_MAX - 5)
            return false;
        char c = in[n];
        out[n] = c >= 'A' && c <= 'Z' ? (char)(c + ('a' - 'A')) : c;
    }
    out[n] = 0;
    if (!memchr(out, '.', n))
        memcpy(out + n, ".dll", 5);
    return true;
}

/* ---- the THK_EXPORT table (sorted by DLL, then name) ---- */

static size_t thk_nexports(void) { return (size_t)(__stop_thk_exports - __start_thk_exports); }

/* The run of THK_EXPORTs of DLL `norm`: [*first, *first + return value). */
static size_t thk_own_run(const char *norm, const thk_export **first)
{
    const thk_export *v = __start_thk_exports;
    size_t lo = 0, hi = thk_nexports();
    while (lo < hi) { /* lower bound */
        size_t mid = lo + (hi - lo) / 2;
        if (strcmp(thk_export_dll(&v[mid]), norm) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    size_t start = lo;
    hi = thk_nexports();
    while (lo < hi) { /* upper bound */
        size_t mid = lo + (hi - lo) / 2;
        if (strcmp(thk_export_dll(&v[mid]), norm) <= 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    *first = v + start;
    return lo - start;
}

/* Is [first, first + count) the run of DLL `norm`? Its ends are norm's and its neighbours are
 * not (the table is sorted): 4 strcmp where thk_own_run makes two binary searches over every
 * THK_EXPORT (~30 strcmp, each entry and its string on a page of their own). */
static bool thk_own_run_is(const char *norm, uint32_t first, uint32_t count,
                           const thk_export **run)
{
    const thk_export *v = __start_thk_exports;
    size_t n = thk_nexports(), end = (size_t)first + count;
    if (end > n || (first > 0 && strcmp(thk_export_dll(&v[first - 1]), norm) >= 0) ||
        (end < n && strcmp(thk_export_dll(&v[end]), norm) <= 0) ||
        (count && (strcmp(thk_export_dll(&v[first]), norm) != 0 ||
                   strcmp(thk_export_dll(&v[end - 1]), norm) != 0)))
        return false;
    *run = v + first;
    return true;
}

/* A sorted run of THK_EXPORTs, searched many times while one image is built. */
static const thk_export *thk_run_find(const thk_export *run, size_t n, const char *name)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = strcmp(thk_export_name(&run[mid]), name);
        if (c == 0)
            return &run[mid];
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return NULL;
}

static const thk_export *thk_own_find(const char *norm, const char *name)
{
    const thk_export *run;
    size_t n = thk_own_run(norm, &run);
    return thk_run_find(run, n, name);
}

/* ---- the generated tables ---- */

static int thk_gen_find_dll(const char *norm)
{
    int lo = 0, hi = THK_GEN_NDLLS;
    while (lo < hi) {
        int mid = lo + (hi - lo) / 2;
        int c = strcmp(gstr(thk_gen_dlls[mid].name), norm);
        if (c == 0)
            return mid;
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return -1;
}

static const thk_gen_export *thk_gen_find_export(int gi, const char *name)
{
    const thk_gen_dll *d = &thk_gen_dlls[gi];
    const thk_gen_export *v = thk_gen_exports + d->first;
    uint32_t lo = 0, hi = d->count;
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        int c = strcmp(gstr(v[mid].name), name);
        if (c == 0)
            return &v[mid];
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return NULL;
}

/* An API set not in the data: the rule its name matches, or NULL. */
static const thk_gen_apiset_rule *thk_apiset_rule(const char *norm)
{
    for (int i = 0; i < THK_GEN_NRULES; i++) {
        const char *p = gstr(thk_gen_apiset_rules[i].prefix);
        if (strncmp(norm, p, strlen(p)) == 0)
            return &thk_gen_apiset_rules[i];
    }
    return NULL;
}

/* The implementation of `name` for generated module gi (or an extra DLL `norm`): its own
 * THK_EXPORT, else the first one along its fallback chain. */
static const thk_export *thk_find_impl(const char *norm, int gi, const char *name)
{
    const thk_export *e = thk_own_find(norm, name);
    if (e || gi < 0)
        return e;
    const thk_gen_dll *d = &thk_gen_dlls[gi];
    for (int k = 0; k < d->nchain && !e; k++)
        e = thk_own_find(gstr(thk_gen_dlls[d->chain[k]].name), name);
    return e;
}

/* ---- the DLL records ---- */

/* The record of built-in module `norm` (not an API set), NULL if there is none. */
static thk_dll *thk_dll_get(const char *norm)
{
    int gi = thk_gen_find_dll(norm);
    if (gi >= 0) {
        if (thk_gen_dlls[gi].kind != THK_GEN_MODULE)
            return NULL;
        uint16_t r = __atomic_load_n(&thk_gen_named[gi], __ATOMIC_ACQUIRE);
        if (!r) {
            pthread_mutex_lock(&thk_lock);
            r = thk_gen_named[gi];
            if (!r) {
                thk_dll *d = thk_gen_record(thk_gen_nrecords);
                d->gen = gi;
                __atomic_store_n(&d->name, gstr(thk_gen_dlls[gi].name), __ATOMIC_RELEASE);
                r = (uint16_t)++thk_gen_nrecords;
                __atomic_store_n(&thk_gen_named[gi], r, __ATOMIC_RELEASE);
            }
            pthread_mutex_unlock(&thk_lock);
        }
        return thk_gen_record(r - 1u);
    }
    const thk_export *run;
    if (!thk_own_run(norm, &run))
        return NULL;
    pthread_mutex_lock(&thk_lock);
    thk_dll *d = NULL;
    for (size_t i = 0; i < thk_nextra && !d; i++)
        if (strcmp(thk_extra[i]->name, norm) == 0)
            d = thk_extra[i];
    if (!d) {
        thk_dll **v = realloc(thk_extra, (thk_nextra + 1) * sizeof *v);
        d = v ? calloc(1, sizeof *d) : NULL;
        if (v)
            thk_extra = v;
        if (d) {
            d->gen = -1;
            d->name = thk_export_dll(run); /* the THK_EXPORT's own string, "ntruntest.dll" */
            thk_extra[thk_nextra++] = d;
        }
    }
    pthread_mutex_unlock(&thk_lock);
    return d;
}

/* Where `norm`!`name` lives: the module itself, or for an API set the first host exporting the
 * name (the first host if none does). NULL if `norm` is no built-in DLL. */
static thk_dll *thk_dll_for(const char *norm, const char *name)
{
    int gi = thk_gen_find_dll(norm);
    const uint16_t *hosts = NULL;
    int nhosts = 0;
    if (gi >= 0 && thk_gen_dlls[gi].kind == THK_GEN_APISET) {
        hosts = thk_gen_dlls[gi].chain;
        nhosts = thk_gen_dlls[gi].nchain;
    } else if (gi < 0) {
        const thk_gen_apiset_rule *r = thk_apiset_rule(norm);
        if (r) {
            hosts = r->hosts;
            nhosts = r->nhosts;
        }
    }
    if (!hosts)
        return thk_dll_get(norm);
    for (int k = 0; name && k < nhosts; k++) {
        const char *h = gstr(thk_gen_dlls[hosts[k]].name);
        if (thk_gen_find_export(hosts[k], name) || thk_find_impl(h, hosts[k], name))
            return thk_dll_get(h);
    }
    return nhosts ? thk_dll_get(gstr(thk_gen_dlls[hosts[0]].name)) : NULL;
}

/* ---- building an image ---- */

static void put16(uint8_t *p, uint16_t v) { memcpy(p, &v, 2); }
static void put32(uint8_t *p, uint32_t v) { memcpy(p, &v, 4); }
static void put64(uint8_t *p, uint64_t v) { memcpy(p, &v, 8); }

/* The code of an image holds no per-process address: a stub names its implementation by the
 * offset of its THK_EXPORT entry (thk_export_off) and jumps to a generic entry through the
 * thread's TEB (%gs:RT_THK_ENTRY_OFFSET, rt_layout.h), which finds the implementation; the
 * reporting tail finds its DLL by the image's address. So the code is the same bytes in every
 * process, mapped from the binary and never written.
 * The address table at the end of every image (from thk_table_rva, read-only once filled)
 * holds only the targets of THK_INLINE exports' code (msvcrt's getc and the like: native
 * functions and variables, this process's addresses), one entry per stub place, the rest
 * zero: a start writes the entries of the inline exports only, and nothing for an image
 * without them (ntdll, kernel32; docs/performance.md, twenty-second pass). */
enum { THK_TBL_FIRST = 0 };

void thk_f2n_regs_idx(void);
void thk_f2n_stack_idx(void);
void thk_f2n_raw_idx(void);

/* What a stub holds for export e: the offset of e's addr_rel field from __start_thk_exports
 * (thunk_asm.S adds the two and the field's value). */
static uint32_t thk_export_off(const thk_export *e)
{
    return (uint32_t)((const char *)&e->addr_rel - (const char *)__start_thk_exports);
}

/* Every thread's TEB carries the generic entries the stubs jump through; registered before
 * any thread is set up. */
__attribute__((constructor)) static void thk_register_entries(void)
{
    const void *e[RT_THK_NENTRIES];
    e[RT_THK_ENTRY_REGS] = (const void *)thk_f2n_regs_idx;
    e[RT_THK_ENTRY_STACK] = (const void *)thk_f2n_stack_idx;
    e[RT_THK_ENTRY_RAW] = (const void *)thk_f2n_raw_idx;
    e[RT_THK_ENTRY_MISSING] = (const void *)thk_missing_trampoline;
    rt_set_thread_entries(e);
}

/* `jmp *%gs:entry` at p (8 bytes). */
static void put_gs_jmp(uint8_t *p, int entry)
{
    p[0] = 0x65; p[1] = 0xff; p[2] = 0x24; p[3] = 0x25;
    put32(p + 4, (uint32_t)(RT_THK_ENTRY_OFFSET + 8 * entry));
}

/* The table starts on the page after the code, which ends with the system-call stubs. */
static uint32_t thk_table_rva(uint32_t sys_rva, uint32_t nsys)
{
    return (sys_rva + nsys * THK_SYSCALL_STUB_SIZE + 0xfffu) & ~0xfffu;
}

static size_t thk_table_size(size_t nthunks)
{
    return ((THK_TBL_FIRST + nthunks) * 8 + 0xfff) & ~(size_t)0xfff;
}

static void put_rel32(uint8_t *img, uint32_t field_rva, uint32_t next_rva, uint32_t target_rva)
{
    put32(img + field_rva, target_rva - next_rva);
}

/* How many stub places (of THK_STUB_SIZE bytes, each with its table entry) export e takes:
 * one, or for a THK_INLINE export one per 32 bytes of its code. */
static uint32_t thk_stub_places(const thk_export *e)
{
    if (!e || e->nargs != THK_INLINE)
        return 1;
    const thk_inline *in = thk_export_addr(e);
    uint32_t places =
        (uint32_t)((thk_inline_end(in) - thk_inline_code(in)) + THK_STUB_SIZE - 1) / THK_STUB_SIZE;
    return places > in->ntargets ? places : in->ntargets; /* an entry per target */
}

/* The table entries of the stub at place k: a THK_INLINE export's targets (one entry per
 * place it takes); none for any other export. */
static void thk_table_fill_stub(void **tbl, uint32_t k, const thk_export *e)
{
    if (e->nargs != THK_INLINE)
        return;
    const thk_inline *in = thk_export_addr(e);
    for (uint32_t j = 0; j < in->ntargets; j++)
        tbl[THK_TBL_FIRST + k + j] = (void *)thk_inline_target(in, j);
}

/* A THK_INLINE export's code at rva (place k): copied, its rel32 fields pointed at the table
 * entries of its places. */
static void thk_write_inline(uint8_t *img, uint32_t rva, uint32_t tbl_rva, uint32_t k,
                             const thk_inline *in)
{
    const uint8_t *code = thk_inline_code(in);
    const uint16_t *refs = thk_inline_refs(in);
    size_t size = (size_t)(thk_inline_end(in) - code);
    uint32_t places = (uint32_t)(size + THK_STUB_SIZE - 1) / THK_STUB_SIZE;
    if (places < in->ntargets)
        places = in->ntargets;
    memset(img + rva, 0xcc, (size_t)places * THK_STUB_SIZE);
    memcpy(img + rva, code, size);
    for (uint32_t r = 0; r < in->nrefs; r++) {
        uint32_t at = refs[2 * r], j = refs[2 * r + 1];
        put_rel32(img, rva + at, rva + at + 4, tbl_rva + (THK_TBL_FIRST + k + j) * 8);
    }
}

/* The stub of thunk number k (at code_rva + k * THK_STUB_SIZE) for one function export:
 *   mov $off, %eax; [mov $slots, %r11d;] jmp *%gs:entry[REGS, STACK or RAW]
 * where off names the export's THK_EXPORT entry (thk_export_off). */
#define THK_STUB_OFF_AT 1 /* where the stub holds `off` */
static void thk_write_stub(uint8_t *img, uint32_t rva, uint32_t tbl_rva, uint32_t k,
                           const thk_export *exp)
{
    uint8_t *p = img + rva;
    if (exp->nargs == THK_INLINE) {
        thk_write_inline(img, rva, tbl_rva, k, thk_export_addr(exp));
        return;
    }
    int slots = exp->nargs == THK_VARIADIC ? THK_VARIADIC_SLOTS : exp->nargs - 4;
    memset(p, 0xcc, THK_STUB_SIZE);
    p[0] = 0xb8; /* mov $off, %eax */
    put32(p + THK_STUB_OFF_AT, thk_export_off(exp));
    if (exp->nargs == THK_RAW) {
        put_gs_jmp(p + 5, RT_THK_ENTRY_RAW);
        return;
    }
    uint32_t at = 5;
    if (slots > 0) {
        uint32_t n = (uint32_t)slots;
        p[5] = 0x41; p[6] = 0xbb; /* mov $n, %r11d */
        memcpy(p + 7, &n, 4);
        at = 11;
    }
    put_gs_jmp(p + at, slots > 0 ? RT_THK_ENTRY_STACK : RT_THK_ENTRY_REGS);
}

/* The reporting stubs: one `call tail` (8 bytes with padding) per export ntrun does not
 * implement, contiguous; the image's one tail turns the return address into the stub's position
 * and hands it with the image's address to thk_missing_called (through thk_missing_trampoline):
 *   pop %r10; lea first_stub+5(%rip), %r11; sub %r11, %r10; shr $3, %r10;
 *   lea image(%rip), %r11; jmp *%gs:entry[MISSING] */
static void thk_write_missing_stub(uint8_t *p, const uint8_t *tail)
{
    memset(p, 0xcc, THK_MISSING_STUB_SIZE);
    p[0] = 0xe8; /* call rel32 */
    int32_t rel = (int32_t)(tail - (p + 5));
    memcpy(p + 1, &rel, 4);
}

static void thk_write_missing_tail(uint8_t *img, uint32_t rva, uint32_t first_stub_rva,
                                   uint32_t tbl_rva)
{
    uint8_t *p = img + rva;
    memset(p, 0xcc, THK_MISSING_TAIL_SIZE);
    p[0] = 0x41; p[1] = 0x5a;                     /* pop %r10 */
    p[2] = 0x4c; p[3] = 0x8d; p[4] = 0x1d;        /* lea rel32(%rip), %r11 */
    put_rel32(img, rva + 5, rva + 9, first_stub_rva + 5);
    p[9] = 0x4d; p[10] = 0x29; p[11] = 0xda;      /* sub %r11, %r10 */
    p[12] = 0x49; p[13] = 0xc1; p[14] = 0xea; p[15] = 0x03; /* shr $3, %r10 */
    p[16] = 0x4c; p[17] = 0x8d; p[18] = 0x1d;     /* lea rel32(%rip), %r11: the image */
    put_rel32(img, rva + 19, rva + 23, 0);
    put_gs_jmp(p + 23, RT_THK_ENTRY_MISSING);
}

/* Is `name` one of the Zw names (zw: in number order; by_name: their indices in name order)? */
static bool thk_is_syscall_zw(const uint32_t *by_name, size_t nsys, const char *zw,
                              const char *name)
{
    size_t lo = 0, hi = nsys;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = strcmp(zw + by_name[mid] * 64, name);
        if (c == 0)
            return true;
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return false;
}

static int thk_cmp_slot(const void *a, const void *b)
{
    const thk_slot *x = a, *y = b;
    if (!x->name || !y->name)
        return x->name ? -1 : y->name ? 1 : (x->ordinal > y->ordinal) - (x->ordinal < y->ordinal);
    return strcmp(x->name, y->name);
}

static bool thk_slots_have(const thk_slot *v, size_t n, const char *name)
{
    thk_slot key = {.name = name};
    return bsearch(&key, v, n, sizeof *v, thk_cmp_slot) != NULL;
}

/* The slots of DLL d, merged from its generated exports, its own THK_EXPORTs and (ntdll) the
 * system calls of the selected build, each with its implementation. Ordinals: the data's; names
 * only ntrun adds get the next free ones. All sorted runs are walked in step (no sort of the
 * whole list, no per-name search of the whole export table): a few hundred microseconds for
 * kernel32. *out malloc'd; returns the count or -ENOMEM. */
static long thk_collect_slots(thk_dll *d, thk_syscall_stub *sys, const uint32_t *sys_by_name,
                              size_t nsys, char *zw, thk_slot **out)
{
    const thk_gen_dll *g = d->gen >= 0 ? &thk_gen_dlls[d->gen] : NULL;
    const thk_export *own;
    size_t nown = thk_own_run(d->name, &own);
    size_t ngen_all = g ? g->count + g->nonames : 0;
    size_t cap = ngen_all + nown + 2 * nsys + 1;
    thk_slot *v = calloc(cap, sizeof *v), *extra = calloc(nown + 2 * nsys + 1, sizeof *extra);
    if (!v || !extra) {
        free(v);
        free(extra);
        return -ENOMEM;
    }
    size_t n = 0, nextra = 0, nnamed_gen = 0;
    for (size_t i = 0; i < ngen_all; i++) {
        const thk_gen_export *e = &thk_gen_exports[g->first + i];
        const char *nm = e->name ? gstr(e->name) : NULL;
        /* ntdll: every Zw export is a system-call stub, as in Windows (programs sort them by
         * address to learn the numbers): Zw names the selected build lacks are left out */
        if (nsys && nm && strncmp(nm, "Zw", 2) == 0 && !thk_run_find(own, nown, nm) &&
            !thk_is_syscall_zw(sys_by_name, nsys, zw, nm))
            continue;
        v[n++] = (thk_slot){.name = nm, .ordinal = e->ordinal, .kind = THK_SLOT_MISSING};
        if (nm)
            nnamed_gen = n;
    }
    /* Names only THK_EXPORT or the system-call table give: sorted apart, then merged in. */
    for (size_t i = 0, k = 0; i < nown; i++) {
        if (i > 0 && strcmp(thk_export_name(&own[i - 1]), thk_export_name(&own[i])) == 0)
            continue; /* the same export declared twice */
        int c = 1;
        while (k < nnamed_gen && (c = strcmp(v[k].name, thk_export_name(&own[i]))) < 0)
            k++;
        if (k >= nnamed_gen || c != 0)
            extra[nextra++] = (thk_slot){.name = thk_export_name(&own[i]), .kind = THK_SLOT_MISSING};
    }
    for (size_t j = 0; j < 2 * nsys; j++) {
        const char *nm = j < nsys ? sys[sys_by_name[j]].name : zw + sys_by_name[j - nsys] * 64;
        if (!thk_slots_have(v, nnamed_gen, nm) && !thk_run_find(own, nown, nm))
            extra[nextra++] = (thk_slot){.name = nm, .kind = THK_SLOT_MISSING};
    }
    if (nextra) {
        qsort(extra, nextra, sizeof *extra, thk_cmp_slot);
        uint32_t next_ord = g ? g->max_ordinal + 1 : 1;
        for (size_t i = 0; i < nextra; i++)
            extra[i].ordinal = (uint16_t)(next_ord <= 0xffff ? next_ord++ : 0);
        /* merged in place from the back: the ordinal-only tail moves up, then v's named run
         * and extra meet in name order */
        size_t ntail = n - nnamed_gen;
        memmove(v + nnamed_gen + nextra, v + nnamed_gen, ntail * sizeof *v);
        size_t a = nnamed_gen, b = nextra, o = nnamed_gen + nextra;
        while (b > 0) {
            if (a > 0 && strcmp(v[a - 1].name, extra[b - 1].name) > 0)
                v[--o] = v[--a];
            else
                v[--o] = extra[--b];
        }
        n += nextra;
    }
    free(extra);
    size_t nnamed = nnamed_gen + nextra;
    /* Implementations: the DLL's own THK_EXPORTs, then each DLL of its chain, walked in step
     * with the (sorted) named slots. */
    int nsrc = 1 + (g ? g->nchain : 0);
    for (int si = 0; si < nsrc; si++) {
        const thk_export *run = own;
        size_t nrun = nown;
        if (si > 0)
            nrun = thk_own_run(gstr(thk_gen_dlls[g->chain[si - 1]].name), &run);
        for (size_t i = 0, k = 0; i < nnamed && k < nrun;) {
            int c = strcmp(v[i].name, thk_export_name(&run[k]));
            if (c < 0) {
                i++;
            } else if (c > 0) {
                k++;
            } else {
                if (!v[i].impl) {
                    v[i].impl = &run[k];
                    v[i].kind = run[k].nargs == THK_DATA ? THK_SLOT_DATA : THK_SLOT_THUNK;
                }
                i++;
            }
        }
    }
    *out = v;
    return (long)n;
}

/* Builds DLL d's image: page 0 headers, then the export directory, then the code: thunk stubs,
 * reporting stubs and their tail, and (ntdll) a Windows-shaped system-call stub for every Nt*
 * call of the selected build (thunks/ntdll/image.c), exported as Nt* and Zw*. Where ntrun
 * implements such a call, imports bind to the thunk while the directory (GetProcAddress) names
 * the system-call stub. Data exports are not in the directory (the variables live in ntrun's
 * own data, out of RVA reach) but resolve through thk_resolve. Called with thk_lock held. */
static int thk_build_image(thk_dll *d)
{
    int ret = 0;
    thk_syscall_stub *sys = NULL;
    uint32_t *sys_by_name = NULL;
    size_t nsys = 0;
    bool is_ntdll = strcmp(d->name, "ntdll.dll") == 0;
    /* Without a trap (SUD or the seccomp filter) a stub's `syscall` would reach Linux with an
     * NT number: then ntdll exports only its thunks. */
    if (is_ntdll && rt_proc.trap != RT_TRAP_NONE)
        nsys = thk_ntdll_syscalls(&sys, &sys_by_name);
    char *zw = malloc(nsys * 64 + 1); /* "Zw..." copies of the syscall names, in number order */
    thk_slot *slots = NULL;
    uint32_t *slot_rel = NULL;
    if (!zw)
        goto nomem;
    for (size_t k = 0; k < nsys; k++) {
        size_t len = strlen(sys[k].name);
        if (len > 63)
            len = 63;
        memcpy(zw + k * 64, "Zw", 2);
        memcpy(zw + k * 64 + 2, sys[k].name + 2, len - 2);
        zw[k * 64 + len] = 0;
    }
    long ns = thk_collect_slots(d, sys, sys_by_name, nsys, zw, &slots);
    if (ns < 0)
        goto nomem;
    size_t n = (size_t)ns;
    slot_rel = malloc((n + 1) * sizeof *slot_rel);
    if (!slot_rel)
        goto nomem;
    /* Layout: directory sizes, then code offsets per slot. */
    size_t nnamed = 0, ndir_names = 0, names_size = 0, code = 0;
    uint32_t max_ord = 0;
    for (size_t i = 0; i < n; i++) {
        if (slots[i].name)
            nnamed = i + 1;
        if (slots[i].kind == THK_SLOT_DATA)
            continue;
        if (slots[i].ordinal > max_ord)
            max_ord = slots[i].ordinal;
        if (slots[i].name) {
            ndir_names++;
            names_size += strlen(slots[i].name) + 1;
        }
        if (slots[i].kind == THK_SLOT_THUNK) {
            slot_rel[i] = (uint32_t)code;
            code += (size_t)THK_STUB_SIZE * thk_stub_places(slots[i].impl);
        }
    }
    size_t missing_rel = code; /* the reporting stubs, in slot order */
    for (size_t i = 0; i < n; i++) {
        if (slots[i].kind == THK_SLOT_MISSING) {
            slot_rel[i] = (uint32_t)code;
            code += THK_MISSING_STUB_SIZE;
        }
    }
    size_t tail_rel = (code + 15) & ~(size_t)15;
    code = tail_rel + THK_MISSING_TAIL_SIZE;
    size_t sys_rel = code;
    code += nsys * THK_SYSCALL_STUB_SIZE;
    size_t dir_rva = 0x1000;
    size_t dir_size = 40 + strlen(d->name) + 1 + (size_t)max_ord * 4 + ndir_names * 6 + names_size;
    size_t code_rva = (dir_rva + dir_size + 0xfff) & ~(size_t)0xfff;
    size_t nthunks = missing_rel / THK_STUB_SIZE;
    uint32_t tbl_rva = thk_table_rva((uint32_t)(code_rva + sys_rel), (uint32_t)nsys);
    size_t image_size = tbl_rva + thk_table_size(nthunks);
    /* MAP_POPULATE: one batch of page allocations instead of a fault per page written; in the
     * foreign range under --sud=inclusive (ntdll's stubs hold `syscall`s that must trap) */
    uint8_t *img = rt_builtin_mmap(image_size, PROT_READ | PROT_WRITE, MAP_POPULATE, -1, 0);
    if (img == MAP_FAILED) {
        ret = -errno;
        goto free_lists;
    }
    /* Headers: just enough of a PE32+ DLL for code that walks them. */
    put16(img, 0x5a4d);       /* MZ */
    put32(img + 0x3c, 0x40);  /* e_lfanew */
    put32(img + 0x40, 0x4550);
    uint8_t *fh = img + 0x44;
    put16(fh, 0x8664);        /* Machine */
    put16(fh + 2, 2);         /* NumberOfSections */
    put16(fh + 16, 0xf0);     /* SizeOfOptionalHeader */
    put16(fh + 18, 0x2022);   /* EXECUTABLE | LARGE_ADDRESS_AWARE | DLL */
    uint8_t *oh = fh + 20;
    put16(oh, 0x20b);         /* PE32+ */
    put32(oh + 4, (uint32_t)(image_size - code_rva)); /* SizeOfCode */
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

    /* Code. */
    uint8_t *codep = img + code_rva;
    memset(codep + missing_rel, 0xcc, tail_rel - missing_rel);
    thk_write_missing_tail(img, (uint32_t)(code_rva + tail_rel), (uint32_t)(code_rva + missing_rel),
                           tbl_rva);
    void **fast = NULL;
    size_t fast_size = (nsys * sizeof(void *) + 0xfff) & ~(size_t)0xfff;
    if (nsys) {
        /* The fast route of calls through the stubs: a table of thunk addresses below 2 GiB
         * that each implemented call's stub jumps through when KUSER_SHARED_DATA.SystemCall
         * is 1. */
        fast = thk_fast_map(fast_size, PROT_READ | PROT_WRITE, MAP_POPULATE);
        /* NULL: every stub takes `int 2e` then; SystemCall stays 0 */
    }
    for (size_t i = 0; i < n; i++) {
        thk_slot *s = &slots[i];
        if (s->kind == THK_SLOT_DATA)
            continue;
        uint8_t *stub = codep + slot_rel[i];
        if (s->kind == THK_SLOT_THUNK) {
            uint32_t k = slot_rel[i] / THK_STUB_SIZE;
            thk_write_stub(img, (uint32_t)(stub - img), tbl_rva, k, s->impl);
            thk_table_fill_stub((void **)(img + tbl_rva), k, s->impl);
            s->import_rva = s->export_rva = (uint32_t)(stub - img);
        } else {
            thk_write_missing_stub(stub, codep + tail_rel);
            s->export_rva = (uint32_t)(stub - img);
        }
    }
    /* ntdll's system-call stubs, in number order; an Nt/Zw name's directory entry names them. */
    for (size_t k = 0; k < nsys; k++) {
        uint8_t *stub = codep + sys_rel + k * THK_SYSCALL_STUB_SIZE;
        void **slot_ptr = NULL;
        for (int zwi = 0; zwi < 2; zwi++) {
            const char *nm = zwi ? zw + k * 64 : sys[k].name;
            thk_slot key = {.name = nm};
            thk_slot *s = bsearch(&key, slots, nnamed, sizeof *slots, thk_cmp_slot);
            if (!s)
                continue;
            if (s->kind == THK_SLOT_THUNK && !zwi && fast) {
                slot_ptr = &fast[k];
                *slot_ptr = img + s->import_rva;
            }
            if (s->kind == THK_SLOT_MISSING) {
                s->kind = THK_SLOT_SYSCALL;
                s->import_rva = (uint32_t)(stub - img);
            }
            s->export_rva = (uint32_t)(stub - img);
        }
        thk_write_syscall_stub(stub, sys[k].number, slot_ptr);
    }
    /* Export directory: functions indexed by ordinal - 1, names in strcmp order. */
    uint8_t *dir = img + dir_rva;
    size_t off = dir_rva + 40;
    uint32_t name_rva = (uint32_t)off;
    strcpy((char *)img + off, d->name);
    off += strlen(d->name) + 1;
    uint32_t funcs_rva = (uint32_t)off; off += (size_t)max_ord * 4;
    uint32_t names_rva = (uint32_t)off; off += ndir_names * 4;
    uint32_t ords_rva = (uint32_t)off; off += ndir_names * 2;
    put32(dir + 12, name_rva);
    put32(dir + 16, 1);             /* Base */
    put32(dir + 20, max_ord);       /* NumberOfFunctions */
    put32(dir + 24, (uint32_t)ndir_names);
    put32(dir + 28, funcs_rva);
    put32(dir + 32, names_rva);
    put32(dir + 36, ords_rva);
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        const thk_slot *s = &slots[i];
        if (s->kind == THK_SLOT_DATA || !s->ordinal)
            continue;
        put32(img + funcs_rva + (s->ordinal - 1u) * 4, s->export_rva);
        if (!s->name)
            continue;
        put32(img + names_rva + k * 4, (uint32_t)off);
        put16(img + ords_rva + k * 2, (uint16_t)(s->ordinal - 1));
        k++;
        strcpy((char *)img + off, s->name);
        off += strlen(s->name) + 1;
    }
    if (fast && mprotect(fast, fast_size, PROT_READ) != 0) {
        ret = -errno;
        munmap(fast, fast_size);
        munmap(img, image_size);
        goto free_lists;
    }
    /* Headers and export directory read-only, code read-execute (VirtualQuery reports
     * PAGE_READONLY / PAGE_EXECUTE_READ as for a Windows DLL), the address table read-only. */
    if (mprotect(img, code_rva, PROT_READ) != 0 ||
        mprotect(img + code_rva, tbl_rva - code_rva, PROT_READ | PROT_EXEC) != 0 ||
        mprotect(img + tbl_rva, image_size - tbl_rva, PROT_READ) != 0) {
        ret = -errno;
        if (fast)
            munmap(fast, fast_size);
        munmap(img, image_size);
        goto free_lists;
    }
    if (is_ntdll) {
        if (d->fast)
            munmap(d->fast, d->fast_size);
        d->fast = fast;
        d->fast_size = fast_size;
        d->ntdll_build = nt_syscalls_build();
        KUSER_SHARED_DATA *ku = rt_kuser_rw();
        if (ku && nsys) /* 1: ntdll's stubs go to `jnz` -> the fast route (thunks/ntdll/image.c) */
            ku->SystemCall = fast ? 1 : 0;
    }
    free(d->slots);
    free(d->zw_names);
    d->tmpl = NULL;
    d->slots = slots;
    d->zw_names = zw; /* the slots' Zw names point into it */
    slots = NULL;
    zw = NULL;
    d->nslots = (uint32_t)n;
    d->nnamed = (uint32_t)nnamed;
    d->ordinal_base = 1;
    d->image_size = image_size;
    d->missing_rva = (uint32_t)(code_rva + missing_rel);
    d->tail_rva = (uint32_t)(code_rva + tail_rel);
    d->code_rva = (uint32_t)code_rva;
    d->sys_rva = (uint32_t)(code_rva + sys_rel);
    d->nsys = (uint32_t)nsys;
    nt_vm_register_image(img, image_size, d->name);
    d->registered = true;
    __atomic_store_n(&d->image, img, __ATOMIC_RELEASE);
    if (RT_TRACING(RT_TRACE_LOADER))
        rt_trace("loader", "built-in %s at %p: %zu exports", d->name, (void *)img, n);
    goto free_lists;
nomem:
    ret = -ENOMEM;
free_lists:
    free(slots);
    free(slot_rel);
    free(zw);
    free(sys);
    free(sys_by_name);
    return ret;
}

/* ---- images from the build-time templates (thunks/images.h) ---- */

static bool thk_tmpl_disabled; /* thk_images_emit: build every image the long way */
static uint8_t *thk_dll_image(thk_dll *d);
static const thk_slot *thk_slot_at(const thk_dll *d, uint32_t i, thk_slot *buf);
static const thk_slot *thk_slot_by_name(const thk_dll *d, const char *name, thk_slot *buf);

/* The template for d, or NULL if none fits this program and configuration. `runs` gets the
 * THK_EXPORT runs the template's implementations index. */
static const thk_tmpl *thk_tmpl_find(const thk_dll *d, const thk_export **runs)
{
    if (thk_tmpl_disabled || !thk_tmpls || !&thk_ntmpls || d->gen < 0)
        return NULL;
    bool is_ntdll = strcmp(d->name, "ntdll.dll") == 0;
    uint32_t want_build = is_ntdll ? (uint32_t)nt_syscalls_build() : 0;
    if (is_ntdll && rt_proc.trap == RT_TRAP_NONE)
        return NULL; /* that image has no system-call stubs */
    const thk_tmpl *t = NULL;
    for (uint32_t i = 0; i < thk_ntmpls && !t; i++)
        if (thk_tmpls[i].gen == (uint32_t)d->gen && thk_tmpls[i].windows_build == want_build)
            t = &thk_tmpls[i];
    if (!t)
        return NULL;
    const thk_gen_dll *g = &thk_gen_dlls[d->gen];
    for (int k = 0; k <= g->nchain; k++) {
        const char *src = k ? gstr(thk_gen_dlls[g->chain[k - 1]].name) : d->name;
        /* where the template found it (the same link of the core), else searched for */
        if (!thk_own_run_is(src, t->run_first[k], t->run_count[k], &runs[k]) &&
            thk_own_run(src, &runs[k]) != t->run_count[k])
            return NULL; /* linked with other THK_EXPORTs than the template was made from */
    }
    return t;
}

/* Are template t's runs where the template found them (the same link of the core)? Its stubs
 * name their THK_EXPORT entries by position (thk_export_off): as they are only then. */
static bool thk_tmpl_runs_exact(const thk_tmpl *t, const thk_export *const *runs)
{
    const thk_gen_dll *g = &thk_gen_dlls[t->gen];
    for (int k = 0; k <= g->nchain; k++)
        if (runs[k] != __start_thk_exports + t->run_first[k])
            return false;
    return true;
}

/* Maps the body of template t (the image from 0x1000 on) at img + 0x1000 from the file that
 * holds it: the pages are the page cache's, shared and read only when something reads them;
 * writing an address copies that page alone. Only for the main executable (/proc/self/exe is
 * the file it was started from even if replaced since): 0, or -errno to copy instead. */
typedef struct thk_phdr_find {
    uintptr_t addr;
    bool main_exe;
    off_t offset;
    int found;
} thk_phdr_find;

static int thk_find_blob(struct dl_phdr_info *info, size_t size, void *data)
{
    thk_phdr_find *f = data;
    for (int i = 0; i < info->dlpi_phnum; i++) {
        const ElfW(Phdr) *ph = &info->dlpi_phdr[i];
        uintptr_t start = info->dlpi_addr + ph->p_vaddr;
        if (ph->p_type != PT_LOAD || f->addr < start || f->addr >= start + ph->p_filesz)
            continue;
        f->main_exe = !info->dlpi_name || !info->dlpi_name[0];
        f->offset = (off_t)(f->addr - start + ph->p_offset);
        f->found = 1;
        return 1;
    }
    return 0;
}

/* The descriptor and offset that map template t's body from the binary (/proc/self/exe, opened
 * once by the first image and kept: one open instead of one per built-in DLL). 0, or -errno
 * to copy the body instead (a body inside libntrun.so, or not page-aligned). */
static int thk_tmpl_body_file(const thk_tmpl *t, int *fd, off_t *offset)
{
    thk_phdr_find f = {.addr = (uintptr_t)THK_TMPL_AT(uint8_t, t, body)};
    dl_iterate_phdr(thk_find_blob, &f);
    if (!f.found || !f.main_exe || (f.offset & 0xfff) || (f.addr & 0xfff))
        return -ENOENT;
    static int exe_fd = -1;
    if (exe_fd < 0)
        exe_fd = open("/proc/self/exe", O_RDONLY | O_CLOEXEC);
    if (exe_fd < 0)
        return -errno;
    *fd = exe_fd;
    *offset = f.offset;
    return 0;
}

static int thk_tmpl_map_body(uint8_t *img, const thk_tmpl *t)
{
    int fd;
    off_t offset;
    int r = thk_tmpl_body_file(t, &fd, &offset);
    if (r < 0)
        return r;
    void *p = mmap(img + 0x1000, t->body_size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_FIXED,
                   fd, offset);
    return p == MAP_FAILED ? -errno : 0;
}

/* d's image is img, instantiated from template t (with ntdll's fast-route table): d takes the
 * template's slots and layout and the image is registered. Called with thk_lock held. */
static void thk_image_adopt(thk_dll *d, const thk_tmpl *t, const thk_export *const *runs,
                            uint8_t *img, void **fast, size_t fast_size)
{
    if (fast) {
        if (d->fast)
            munmap(d->fast, d->fast_size);
        d->fast = fast;
        d->fast_size = fast_size;
        d->ntdll_build = (int)t->windows_build;
        KUSER_SHARED_DATA *ku = rt_kuser_rw();
        if (ku) /* 1: ntdll's stubs go to `jnz` -> the fast route (thunks/ntdll/image.c) */
            ku->SystemCall = 1;
    }
    free(d->slots);
    free(d->zw_names);
    d->slots = NULL; /* the template's */
    d->zw_names = NULL;
    d->tmpl = t;
    memcpy(d->runs, runs, sizeof d->runs);
    d->nslots = t->nslots;
    d->nnamed = t->nnamed;
    d->ordinal_base = 1;
    d->image_size = t->image_size;
    d->missing_rva = t->missing_rva;
    d->tail_rva = t->tail_rva;
    d->code_rva = t->code_rva;
    d->sys_rva = t->sys_rva;
    d->nsys = t->nsys;
    nt_vm_register_image(img, t->image_size, d->name);
    d->registered = true;
    __atomic_store_n(&d->image, img, __ATOMIC_RELEASE);
    if (RT_TRACING(RT_TRACE_LOADER))
        rt_trace("loader", "built-in %s at %p: %u exports (build-time layout)", d->name,
                 (void *)img, t->nslots);
}

/* ntdll's fast-route table: size bytes below 2 GiB (the stubs' `jmp [fast]` holds a 32-bit
 * address), NULL when there is none. At THK_FAST_AT when that is free: the templates' stubs
 * (made by a generator that got it) then hold the right address already, and a start maps
 * them from the binary as they are instead of reading and writing them (20 KB, 5 pages copied
 * per start; docs/performance.md, twenty-first pass). Else anywhere below 2 GiB, and the
 * stubs' operands are written. */
static void **thk_fast_map(size_t size, int prot, int flags)
{
    if (size <= THK_FAST_END - THK_FAST_AT) {
        void *at = (void *)(uintptr_t)THK_FAST_AT;
        void *p = mmap(at, size, prot, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE | flags,
                       -1, 0);
        if (p == at)
            return p;
        if (p != MAP_FAILED) /* a kernel without MAP_FIXED_NOREPLACE took it as a hint */
            munmap(p, size);
    }
    void **fast = mmap(NULL, size, prot, MAP_PRIVATE | MAP_ANONYMOUS | MAP_32BIT | flags, -1, 0);
    if (fast == MAP_FAILED)
        return NULL;
    if ((uintptr_t)fast + size > 0x80000000u) {
        munmap(fast, size);
        return NULL;
    }
    return fast;
}

/* The fast-route table's values (into vals) and each system-call stub's `jmp [fast + k]`
 * operand (the stubs at `stubs`, unless NULL: as the template has them; the table living at
 * `fast`). */
static void thk_fast_fill(const thk_tmpl *t, uint8_t *img, void **vals, uint8_t *stubs, void **fast)
{
    const uint32_t *sys_fast = THK_TMPL_AT(uint32_t, t, sys_fast);
    const thk_tmpl_slot *tslots = THK_TMPL_AT(thk_tmpl_slot, t, slots);
    for (uint32_t k = 0; k < t->nsys; k++) {
        if (sys_fast[k] == THK_TMPL_NONE)
            continue;
        vals[k] = img + tslots[sys_fast[k]].import_rva;
        if (stubs)
            put32(stubs + k * THK_SYSCALL_STUB_SIZE + 0x18, (uint32_t)(uintptr_t)&fast[k]);
    }
}

/* What an import of ntdll's Nt export for system call `number` (of the numbering in use)
 * reaches: the thunk its system-call stub's fast route jumps to, which is the address the import
 * binds to. NULL when there is no ntdll image yet, it carries another numbering, or the call has
 * no fast route (ntrun does not implement it: its stub keeps `int 2e`). For runtime/rewrite.c: a
 * rewritten stub-shaped `syscall` site jumps there. Called from the SIGSYS/SIGSEGV handlers with
 * foreign code interrupted (never native code): thk_dll_get's lock is safe there. */
static const void *thk_ntdll_syscall_target(uint32_t number)
{
    thk_dll *d = thk_dll_get("ntdll.dll");
    uint8_t *img = d ? __atomic_load_n(&d->image, __ATOMIC_ACQUIRE) : NULL;
    if (!img || !d->fast || d->ntdll_build != nt_syscalls_build())
        return NULL;
    uint32_t lo = 0, hi = d->nsys; /* the stubs are in number order */
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2, n, slot;
        const uint8_t *stub = img + d->sys_rva + (size_t)mid * THK_SYSCALL_STUB_SIZE;
        memcpy(&n, stub + 4, 4);
        if (n < number) {
            lo = mid + 1;
        } else if (n > number) {
            hi = mid;
        } else {
            /* +15 FF 24 25 abs32: jmp qword [fast + k] (thunks/ntdll/image.c) */
            if (stub[0x15] != 0xff || stub[0x16] != 0x24 || stub[0x17] != 0x25)
                return NULL;
            memcpy(&slot, stub + 0x18, 4);
            return *(void *const *)(uintptr_t)slot;
        }
    }
    return NULL;
}

/* Instantiates template t as d's image: the body mapped from the binary (or copied), then the
 * absolute addresses. 0 or -errno. Called with thk_lock held. */
static int thk_image_from_tmpl(thk_dll *d, const thk_tmpl *t, const thk_export *const *runs)
{
    uint8_t *img = rt_builtin_mmap(t->image_size, PROT_READ | PROT_WRITE, 0, -1, 0);
    if (img == MAP_FAILED)
        return -ENOMEM;
    if (thk_tmpl_map_body(img, t) < 0) {
        /* anonymous again if the file mapping went wrong half-way */
        if (mmap(img + 0x1000, t->body_size, PROT_READ | PROT_WRITE,
                 MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED | MAP_POPULATE, -1, 0) == MAP_FAILED)
            goto undo;
        memcpy(img + 0x1000, THK_TMPL_AT(uint8_t, t, body), t->body_size);
    }
    /* The code is the template's as it is; only the address table is written, and ntdll's
     * system-call stubs (their fast-route address, below): those pages are copied at once, one
     * madvise instead of a copy-on-write fault each (best effort: < 5.14 takes the faults). */
    uint32_t tbl_rva = thk_table_rva(t->sys_rva, t->nsys);
    uint32_t written_rva = t->nsys ? t->sys_rva & ~0xfffu : tbl_rva;
    if (written_rva < t->image_size)
        madvise(img + written_rva, t->image_size - written_rva, MADV_POPULATE_WRITE);
    madvise(img, 0x1000, MADV_POPULATE_WRITE); /* the headers' page, written next */
    memcpy(img, THK_TMPL_AT(uint8_t, t, head), THK_TMPL_HEAD_SIZE);
    put64(img + 0x40 + 4 + 20 + 24, (uint64_t)(uintptr_t)img); /* ImageBase */
    void **tbl = (void **)(img + tbl_rva);
    const thk_tmpl_fix *fix = THK_TMPL_AT(thk_tmpl_fix, t, fix);
    bool exact = thk_tmpl_runs_exact(t, runs);
    for (uint32_t i = 0; i < t->nfix; i++) {
        const thk_export *e = &runs[fix[i].src][fix[i].impl];
        thk_table_fill_stub(tbl, (fix[i].rva - t->code_rva) / THK_STUB_SIZE, e);
        /* THK_EXPORTs elsewhere than in the template's link: the stubs name them anew */
        if (!exact && e->nargs != THK_INLINE)
            put32(img + fix[i].rva + THK_STUB_OFF_AT, thk_export_off(e));
    }
    void **fast = NULL;
    size_t fast_size = ((size_t)t->nsys * sizeof(void *) + 0xfff) & ~(size_t)0xfff;
    if (t->nsys) {
        fast = thk_fast_map(fast_size, PROT_READ | PROT_WRITE, MAP_POPULATE);
        if (!fast)
            goto undo;
        thk_fast_fill(t, img, fast, img + t->sys_rva, fast);
        if (mprotect(fast, fast_size, PROT_READ) != 0) {
            munmap(fast, fast_size);
            goto undo;
        }
    }
    if (mprotect(img, t->code_rva, PROT_READ) != 0 ||
        mprotect(img + t->code_rva, tbl_rva - t->code_rva, PROT_READ | PROT_EXEC) != 0 ||
        mprotect(img + tbl_rva, t->image_size - tbl_rva, PROT_READ) != 0) {
        if (fast)
            munmap(fast, fast_size);
        goto undo;
    }
    thk_image_adopt(d, t, runs, img, fast, fast_size);
    return 0;
undo:
    munmap(img, t->image_size);
    return -ENOMEM;
}

/* Instantiates template t as d's image without ever mapping a page of it writable: the body
 * is mapped from the binary with its final protections (the export directory read-only, the
 * code read-execute) over a read-only reservation, and what a start still writes (THK_INLINE
 * exports' table entries; where the image or ntdll's fast-route table is not where the
 * generator had it, the headers' page, the fast-route table and ntdll's system-call stubs) is
 * written through /proc/self/mem (rt_mem_write) into pages that are read-only already. The
 * other way, writing them into writable pages and then taking write access away, costs one
 * TLB flush per page written: ~19 us each on the project's hosts, 15 per hello.exe
 * (docs/performance.md, nineteenth pass). The same bytes and protections as
 * thk_image_from_tmpl. 0, or -errno with nothing left mapped: the caller then makes the image
 * that way. Called with thk_lock held. */
static int thk_image_from_tmpl_direct(thk_dll *d, const thk_tmpl *t,
                                      const thk_export *const *runs)
{
    int fd;
    off_t off;
    uint32_t tbl_rva = thk_table_rva(t->sys_rva, t->nsys);
    if (t->body_size != tbl_rva - 0x1000 || tbl_rva > t->image_size || t->code_rva <= 0x1000 ||
        t->code_rva > tbl_rva || !thk_tmpl_runs_exact(t, runs) ||
        thk_tmpl_body_file(t, &fd, &off) < 0)
        return -ENOENT;
    /* The code's pages are not populated: a program's first call through a 64 KB window of
     * stubs takes one read fault, whose fault-around maps the window (the same pages a
     * MADV_POPULATE_READ of the code mapped: kernel32's and ntdll's images are one VMA, so
     * kernel32's headers and export directory came with it), and a populate then followed
     * every page of the range once more. Without it a hello start measured ~0.5-1% less CPU
     * (docs/performance.md, issue 12, twenty-fifth pass). */
    /* Buffers of what is written, each as large as its part: the address table's entries that
     * THK_INLINE exports fill, [tbl_lo, tbl_used) (1.3 KB of msvcrt's in a hello start), and
     * only when the template's are not mapped as they are, ntdll's stub pages and its fast
     * table. One calloc of the whole table, stubs and fast table was 44 KB for the three DLLs
     * of a start, zeroed by glibc: 11 pages of its heap written for 1.3 KB used
     * (docs/performance.md, twenty-fourth pass). */
    size_t tbl_size = t->image_size - tbl_rva;
    uint32_t sys_page = t->nsys ? t->sys_rva & ~0xfffu : tbl_rva;
    size_t stubs_size = tbl_rva - sys_page;
    size_t fast_size = ((size_t)t->nsys * sizeof(void *) + 0xfff) & ~(size_t)0xfff;
    const thk_tmpl_fix *fix = THK_TMPL_AT(thk_tmpl_fix, t, fix);
    size_t tbl_lo = tbl_size, tbl_used = 0;
    for (uint32_t i = 0; i < t->ninline; i++) {
        const thk_export *e = &runs[fix[i].src][fix[i].impl];
        if (e->nargs != THK_INLINE)
            return -ENOENT; /* not the template's THK_EXPORTs after all */
        uint32_t ntargets = ((const thk_inline *)thk_export_addr(e))->ntargets;
        size_t start = (THK_TBL_FIRST + (fix[i].rva - t->code_rva) / THK_STUB_SIZE) * 8;
        if (!ntargets) /* memcpy and the like: code that calls nothing */
            continue;
        if (start < tbl_lo)
            tbl_lo = start;
        if (start + ntargets * 8 > tbl_used)
            tbl_used = start + ntargets * 8;
    }
    if (tbl_used > tbl_size)
        return -ENOENT;
    uint8_t *buf = tbl_used ? calloc(1, tbl_used - tbl_lo) : NULL;
    if (tbl_used && !buf)
        return -ENOMEM;
    uint8_t *sysbuf = NULL, *stubs = NULL;
    void **fastbuf = NULL;
    int ret = -ENOMEM;
    void **fast = NULL;
    /* The binary holds the whole image as it lies in memory (page 0, the body, the address
     * table's zero pages: thk_emit_one): one mapping of it, placed as any foreign
     * memory; the code made executable. An anonymous reservation with the parts mapped over
     * it cost a call more and the kernel's unmapping of what each part replaced (~2.5% of a
     * hello.exe start; docs/performance.md, twenty-third pass). Read-execute whole, in that
     * one call: making only the code executable split it in three VMAs, an mprotect of ~9 us
     * and two VMAs more to unmap at exit an image; the headers, the export directory and the
     * address table are Windows' read-only pages still for NtQueryVirtualMemory and
     * NtProtectVirtualMemory (nt_vm_image_mapped_rx; docs/performance.md, twenty-fourth
     * pass, second round). */
    if (off < 0x1000)
        goto free_buf;
    uint8_t *img = rt_builtin_mmap(t->image_size, PROT_READ | PROT_EXEC, 0, fd, off - 0x1000);
    if (img == MAP_FAILED)
        goto free_buf;
    /* Where the image lands at the generator's address (the foreign range is carved bottom-up:
     * a start's first DLLs get the same addresses as the generator's), the template's page 0
     * (the headers, ImageBase included) is this image's; elsewhere the headers are written. */
    uint64_t tmpl_base;
    memcpy(&tmpl_base, THK_TMPL_AT(uint8_t, t, head) + 0x40 + 4 + 20 + 24, 8);
    uint32_t from = tmpl_base == (uintptr_t)img ? 0 : 0x1000;
    uint8_t head[THK_TMPL_HEAD_SIZE];
    memcpy(head, THK_TMPL_AT(uint8_t, t, head), THK_TMPL_HEAD_SIZE);
    put64(head + 0x40 + 4 + 20 + 24, (uint64_t)(uintptr_t)img); /* ImageBase */
    /* the table: THK_INLINE exports' targets only (msvcrt's), [tbl_lo, tbl_used) in buf; their
     * fixes come first (the stubs' need nothing: no page of their records is read) */
    for (uint32_t i = 0; i < t->ninline && tbl_used; i++) {
        const thk_inline *in = thk_export_addr(&runs[fix[i].src][fix[i].impl]);
        size_t first = THK_TBL_FIRST + (fix[i].rva - t->code_rva) / THK_STUB_SIZE;
        for (uint32_t j = 0; j < in->ntargets; j++)
            ((void **)buf)[first + j - tbl_lo / 8] = (void *)thk_inline_target(in, j);
    }
    bool stubs_as_mapped = false; /* the template's stubs hold this fast table's address */
    bool fast_as_mapped = false;  /* the table as the template has it, from the binary */
    if (t->nsys && t->fast && !from && t->fast_at) {
        /* the image at the template's ImageBase: the table's values are the template's; in the
         * same section as the body, so at the same distance from it in the file */
        uintptr_t body = (uintptr_t)THK_TMPL_AT(uint8_t, t, body);
        uintptr_t blob = (uintptr_t)THK_TMPL_AT(uint8_t, t, fast);
        void *at = (void *)(uintptr_t)t->fast_at;
        void *p = mmap(at, fast_size, PROT_READ, MAP_PRIVATE | MAP_FIXED_NOREPLACE, fd,
                       off + (off_t)(blob - body));
        if (p == at) {
            fast = p;
            fast_as_mapped = stubs_as_mapped = true;
        } else if (p != MAP_FAILED) {
            munmap(p, fast_size);
        }
    }
    if (t->nsys && !fast_as_mapped) {
        fast = thk_fast_map(fast_size, PROT_READ, 0);
        if (!fast)
            goto undo;
        if (!(sysbuf = calloc(1, stubs_size + fast_size)))
            goto undo;
        stubs = sysbuf;
        fastbuf = (void **)(sysbuf + stubs_size);
        stubs_as_mapped = t->fast_at && (uintptr_t)fast == t->fast_at;
        /* else the stubs' pages as the template has them, read from the file by the kernel,
         * with this table's address written in */
        if (!stubs_as_mapped &&
            pread(fd, stubs, stubs_size, off + (off_t)(sys_page - 0x1000)) != (ssize_t)stubs_size)
            goto undo;
        thk_fast_fill(t, img, fastbuf, stubs_as_mapped ? NULL : stubs + (t->sys_rva - sys_page),
                      fast);
    }
    if ((from && rt_mem_write(img, head, sizeof head) != 0) ||
        (tbl_used && rt_mem_write(img + tbl_rva + tbl_lo, buf, tbl_used - tbl_lo) != 0) ||
        (t->nsys && ((!fast_as_mapped &&
                      rt_mem_write(fast, fastbuf, (size_t)t->nsys * sizeof(void *)) != 0) ||
                     (!stubs_as_mapped &&
                      rt_mem_write(img + sys_page, stubs, stubs_size) != 0)))) {
        ret = -EPERM;
        goto undo;
    }
    free(buf);
    free(sysbuf);
    thk_image_adopt(d, t, runs, img, fast, fast_size);
    nt_vm_image_mapped_rx(img, img + t->code_rva, tbl_rva - t->code_rva);
    return 0;
undo:
    if (fast)
        munmap(fast, fast_size);
    munmap(img, t->image_size);
free_buf:
    free(buf);
    free(sysbuf);
    return ret;
}

/* d's image from its template when one fits, else built from the tables. Called with thk_lock
 * held and d->image NULL. */
static int thk_make_image(thk_dll *d)
{
    const thk_export *runs[1 + THK_GEN_CHAIN_MAX];
    const thk_tmpl *t = thk_tmpl_find(d, runs);
    if (t && (thk_image_from_tmpl_direct(d, t, runs) == 0 || thk_image_from_tmpl(d, t, runs) == 0))
        return 0;
    return thk_build_image(d);
}

/* Tests: builds `dll`'s image the long way beside the one in use (from its template) and
 * compares them: the same bytes except the addresses of the image itself (ImageBase, the
 * reporting stubs' tail) and of ntdll's fast-route table, the same slots. 0, -ENOENT when
 * `dll` has no image or no template in use, else -EINVAL with `why` saying where they differ. */
int thk_image_verify(const char *dll, char *why, size_t why_len)
{
    char norm[THK_DLL_NAME_MAX];
    snprintf(why, why_len, "-");
    if (!thk_normalize_dll(dll, norm))
        return -ENOENT;
    thk_dll *d = thk_dll_get(norm);
    const thk_export *runs[1 + THK_GEN_CHAIN_MAX];
    if (!d || !thk_dll_image(d) || !thk_tmpl_find(d, runs))
        return -ENOENT;
    pthread_mutex_lock(&thk_lock);
    thk_dll b = *d;
    b.image = NULL;
    b.slots = NULL;
    b.zw_names = NULL;
    b.fast = NULL;
    int r = thk_build_image(&b);
    if (r < 0) {
        pthread_mutex_unlock(&thk_lock);
        snprintf(why, why_len, "cannot build: %d", r);
        return r;
    }
    r = -EINVAL;
    if (b.image_size != d->image_size || b.nslots != d->nslots || b.nnamed != d->nnamed ||
        b.tail_rva != d->tail_rva || b.nsys != d->nsys || b.sys_rva != d->sys_rva) {
        snprintf(why, why_len, "layout: size %zu/%zu slots %u/%u", b.image_size, d->image_size,
                 b.nslots, d->nslots);
        goto out;
    }
    /* the bytes that hold the image's own address */
    size_t skip = 0x40 + 4 + 20 + 24;
    for (size_t i = 0; i < d->image_size; i++) {
        if (i == skip) {
            i += 7;
            continue;
        }
        if (d->nsys && i >= d->sys_rva && i < d->sys_rva + d->nsys * THK_SYSCALL_STUB_SIZE &&
            (i - d->sys_rva) % THK_SYSCALL_STUB_SIZE == 0x18 && d->image[i - 0x3] == 0xff) {
            i += 3;
            continue;
        }
        if (b.image[i] != d->image[i]) {
            snprintf(why, why_len, "byte at rva %#zx: %02x built, %02x from the template", i,
                     b.image[i], d->image[i]);
            goto out;
        }
    }
    for (uint32_t i = 0; i < d->nslots; i++) {
        thk_slot buf;
        const thk_slot *x = &b.slots[i], *y = thk_slot_at(d, i, &buf);
        if ((!x->name != !y->name) || (x->name && strcmp(x->name, y->name) != 0) ||
            x->impl != y->impl || x->import_rva != y->import_rva ||
            x->export_rva != y->export_rva || x->ordinal != y->ordinal || x->kind != y->kind) {
            snprintf(why, why_len, "slot %u (%s)", i, x->name ? x->name : "by ordinal");
            goto out;
        }
        /* the lookup by name (bisection of the template's names) finds this very slot */
        thk_slot buf2;
        const thk_slot *z = x->name && i < d->nnamed ? thk_slot_by_name(d, x->name, &buf2) : NULL;
        if (x->name && i < d->nnamed &&
            (!z || z->ordinal != x->ordinal || z->export_rva != x->export_rva ||
             z->import_rva != x->import_rva || strcmp(z->name, x->name) != 0)) {
            snprintf(why, why_len, "lookup of %s", x->name);
            goto out;
        }
    }
    if (thk_slot_by_name(d, "ThkNoSuchExport", &(thk_slot){0}) ||
        thk_slot_by_name(d, "", &(thk_slot){0})) {
        snprintf(why, why_len, "lookup of a name not exported");
        goto out;
    }
    for (uint32_t k = 0; k < d->nsys; k++) {
        uintptr_t x = b.fast && b.fast[k] ? (uintptr_t)b.fast[k] - (uintptr_t)b.image : 0;
        uintptr_t y = d->fast && d->fast[k] ? (uintptr_t)d->fast[k] - (uintptr_t)d->image : 0;
        if (x != y) {
            snprintf(why, why_len, "fast route of system-call stub %u", k);
            goto out;
        }
    }
    r = 0;
out:
    nt_vm_unregister_image(b.image, b.image_size);
    nt_vm_register_image(d->image, d->image_size, d->name);
    munmap(b.image, b.image_size);
    if (b.fast)
        munmap(b.fast, b.fast_size);
    free(b.slots);
    free(b.zw_names);
    if (d->fast) { /* building b set KUSER_SHARED_DATA.SystemCall as d's build did */
        KUSER_SHARED_DATA *ku = rt_kuser_rw();
        if (ku)
            ku->SystemCall = 1;
    }
    pthread_mutex_unlock(&thk_lock);
    return r;
}

/* ---- writing the templates (tools/thk_mkimages.c, at build time) ---- */

static int thk_emit_file(const char *dir, const char *name, const void *p, size_t n)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "wb");
    if (!f)
        return -errno;
    bool ok = fwrite(p, 1, n, f) == n;
    if (fclose(f) != 0 || !ok)
        return -EIO;
    return 0;
}

/* Writes d's current image as template number `idx`: blobs in `dir`, its rows to c and s. */
static int thk_emit_one(thk_dll *d, uint32_t idx, uint32_t build, const char *dir, FILE *c,
                        FILE *s, FILE *late, FILE *bodies, FILE *fasts)
{
    const thk_gen_dll *g = &thk_gen_dlls[d->gen];
    const thk_export *runs[1 + THK_GEN_CHAIN_MAX];
    size_t counts[1 + THK_GEN_CHAIN_MAX];
    for (int k = 0; k <= g->nchain; k++)
        counts[k] = thk_own_run(k ? gstr(thk_gen_dlls[g->chain[k - 1]].name) : d->name,
                                &runs[k]);
    size_t nslots = d->nslots, names_size = 0;
    for (size_t i = 0; i < nslots; i++)
        if (d->slots[i].name)
            names_size += strlen(d->slots[i].name) + 1;
    thk_tmpl_slot *ts = calloc(nslots + 1, sizeof *ts);
    char *names = malloc(names_size + 1);
    uint32_t *sys_fast = calloc(d->nsys + 1, sizeof *sys_fast);
    if (!ts || !names || !sys_fast)
        return -ENOMEM;
    size_t off = 0;
    for (size_t i = 0; i < nslots; i++) {
        const thk_slot *sl = &d->slots[i];
        ts[i] = (thk_tmpl_slot){.name = THK_TMPL_NONE, .import_rva = sl->import_rva,
                                .export_rva = sl->export_rva, .impl = THK_TMPL_NONE,
                                .ordinal = sl->ordinal, .kind = sl->kind};
        if (sl->name) {
            ts[i].name = (uint32_t)off;
            strcpy(names + off, sl->name);
            off += strlen(sl->name) + 1;
        }
        for (int k = 0; sl->impl && k <= g->nchain; k++) {
            if (sl->impl >= runs[k] && sl->impl < runs[k] + counts[k]) {
                ts[i].src = (uint8_t)k;
                ts[i].impl = (uint32_t)(sl->impl - runs[k]);
                break;
            }
        }
        if (sl->impl && ts[i].impl == THK_TMPL_NONE)
            return -EINVAL; /* an implementation outside the runs: cannot be recorded */
    }
    for (uint32_t k = 0; k < d->nsys; k++) {
        sys_fast[k] = THK_TMPL_NONE;
        void *target = d->fast ? d->fast[k] : NULL;
        for (size_t i = 0; target && i < nslots; i++)
            if (d->slots[i].kind == THK_SLOT_THUNK && d->image + d->slots[i].import_rva == target)
                sys_fast[k] = (uint32_t)i;
    }
    if (d->nsys && !d->fast)
        return -EINVAL; /* the template's stubs take the fast route */
    /* whole pages, mapped from the file as they are; not the address table, which every run
     * fills (and which holds this process's addresses now) */
    size_t body = thk_table_rva(d->sys_rva, d->nsys) - 0x1000;
    thk_tmpl_fix *fix = calloc(nslots + 1, sizeof *fix);
    size_t nfix = 0;
    if (!fix)
        return -ENOMEM;
    /* THK_INLINE exports first: a start reads those alone (thk_image_from_tmpl_direct) */
    size_t ninline = 0;
    for (int inl = 1; inl >= 0; inl--) {
        for (size_t i = 0; i < nslots; i++) {
            const thk_slot *sl = &d->slots[i];
            if (sl->kind != THK_SLOT_THUNK || (sl->impl->nargs == THK_INLINE) != inl)
                continue;
            fix[nfix++] = (thk_tmpl_fix){sl->import_rva, ts[i].impl, ts[i].src};
            ninline += inl;
        }
    }
    for (size_t i = THK_TMPL_HEAD_SIZE; i < 0x1000; i++)
        if (d->image[i])
            return -EINVAL; /* headers larger than the template keeps */
    char fn[96];
    int r;
    snprintf(fn, sizeof fn, "thk_img%u.head", idx);
    if ((r = thk_emit_file(dir, fn, d->image, THK_TMPL_HEAD_SIZE)) < 0)
        return r;
    snprintf(fn, sizeof fn, "thk_img%u.body", idx);
    if ((r = thk_emit_file(dir, fn, d->image + 0x1000, body)) < 0)
        return r;
    /* page 0 as it is, right before the body in the file: a start whose image lands where the
     * generator's did (ImageBase the same) maps it with the body (thk_image_from_tmpl_direct) */
    snprintf(fn, sizeof fn, "thk_img%u.page0", idx);
    if ((r = thk_emit_file(dir, fn, d->image, 0x1000)) < 0)
        return r;
    snprintf(fn, sizeof fn, "thk_img%u.slots", idx);
    if ((r = thk_emit_file(dir, fn, ts, nslots * sizeof *ts)) < 0)
        return r;
    snprintf(fn, sizeof fn, "thk_img%u.sys", idx);
    if ((r = thk_emit_file(dir, fn, sys_fast, d->nsys * sizeof *sys_fast)) < 0)
        return r;
    snprintf(fn, sizeof fn, "thk_img%u.fix", idx);
    if ((r = thk_emit_file(dir, fn, fix, nfix * sizeof *fix)) < 0)
        return r;
    snprintf(fn, sizeof fn, "thk_img%u.names", idx);
    if ((r = thk_emit_file(dir, fn, names, names_size)) < 0)
        return r;
    /* ntdll's fast-route table at THK_FAST_AT, whole pages: mapped from the binary by a start
     * whose image is at this one's address (the table then holds that start's values) */
    bool emit_fast = d->fast && (uintptr_t)d->fast == THK_FAST_AT;
    if (emit_fast) {
        snprintf(fn, sizeof fn, "thk_img%u.fast", idx);
        if ((r = thk_emit_file(dir, fn, d->fast, d->fast_size)) < 0)
            return r;
    }
    /* Each DLL's records together, the bodies (mapped, read by nobody at start) after them
     * all: a first use reads few pages of the binary. Those of late (ntdll's stubs, slots
     * and names: a start reads its head and fixes only, a mingw-w64 program imports nothing
     * from it) after the other records, so that the records a start reads (the heads, kernel32's
     * and msvcrt's) lie together (docs/performance.md, issue 12, twenty-third pass, second
     * round). */
    static const char *const parts[] = {"head", "fix", "sys", "slots", "names", "body"};
    fprintf(bodies, "    .balign 4096\n    .incbin \"%s/thk_img%u.page0\"\n", dir, idx);
    for (int p = 0; p < 6; p++)
        fprintf(p == 5 ? bodies : p >= 2 && late ? late : s, "    .balign %d\n    .globl thk_img%u_%s\n"
                "    .hidden thk_img%u_%s\nthk_img%u_%s:\n    .incbin \"%s/thk_img%u.%s\"\n",
                p == 5 ? 4096 : 16, idx, parts[p], idx, parts[p], idx, parts[p], dir, idx,
                parts[p]);
    /* the address table's pages after the body, zero (a start writes msvcrt's few entries):
     * the file then holds the whole image as it lies in memory, one mmap at a start */
    fprintf(bodies, "    .zero %zu\n", d->image_size - 0x1000 - body);
    /* ntdll's fast-route table after all the images (fasts), not between ntdll's and
     * kernel32's: adjacent in memory and in the file, kernel32's mapping then merges with
     * ntdll's last read-only pages into one VMA */
    if (emit_fast)
        fprintf(fasts, "    .balign 4096\nthk_img%u_fast:\n    .incbin \"%s/thk_img%u.fast\"\n",
                idx, dir, idx);
    /* the thk_tmpl record (images.h), field by field */
    fprintf(c, "    .long %d, %u", d->gen, build);
    for (int k = 0; k <= THK_GEN_CHAIN_MAX; k++)
        fprintf(c, ", %zu", k <= g->nchain ? counts[k] : (size_t)0);
    for (int k = 0; k <= THK_GEN_CHAIN_MAX; k++)
        fprintf(c, ", %zu",
                k <= g->nchain ? (size_t)(runs[k] - __start_thk_exports) : (size_t)0);
    uint32_t fast_at = d->fast && (uintptr_t)d->fast == THK_FAST_AT ? THK_FAST_AT : 0;
    fprintf(c, "\n    .long %zu, %u, %zu, %zu, %u, %u, %u, %u, %u, %zu, %zu, %u\n    .long ",
            d->image_size, d->code_rva, body, nslots, d->nnamed, d->missing_rva, d->tail_rva,
            d->nsys, d->sys_rva, nfix, ninline, fast_at);
    static const char *const fields[] = {"head", "body", "slots", "sys", "names", "fix"};
    for (int f = 0; f < 6; f++)
        fprintf(c, "thk_img%u_%s - thk_images_base, ", idx, fields[f]);
    if (emit_fast)
        fprintf(c, "thk_img%u_fast - thk_images_base", idx);
    else
        fprintf(c, "0");
    fprintf(c, " /* %s */\n", d->name);
    free(fix);
    free(ts);
    free(names);
    free(sys_fast);
    return 0;
}

int thk_images_emit(const char *dir)
{
    char path[4096], *rows = NULL;
    size_t rows_size = 0;
    snprintf(path, sizeof path, "%s/thk_images.S", dir);
    FILE *s = fopen(path, "w");
    FILE *c = open_memstream(&rows, &rows_size);
    char *body_lines = NULL, *late_lines = NULL, *fast_lines = NULL;
    size_t body_lines_size = 0, late_lines_size = 0, fast_lines_size = 0;
    FILE *bodies = open_memstream(&body_lines, &body_lines_size);
    FILE *late = open_memstream(&late_lines, &late_lines_size);
    FILE *fasts = open_memstream(&fast_lines, &fast_lines_size);
    if (!c || !s || !bodies || !late || !fasts)
        return -errno;
    thk_tmpl_disabled = true;
    int saved_trap = rt_proc.trap;
    rt_proc.trap = RT_TRAP_SUD; /* ntdll with its system-call stubs */
    fprintf(s, "/* Generated by tools/thk_mkimages.c (thunks/builtin.c). Do not edit. */\n"
               "    .section .note.GNU-stack, \"\", @progbits\n"
               "    .section .rodata.thk_images, \"a\"\n"
               "    .balign 16\n    .globl thk_images_base\n    .hidden thk_images_base\n"
               "thk_images_base:\n");
    uint32_t idx = 0;
    int r = 0;
    static const int builds[] = {10, 11};
    /* The DLLs every program starts with first (ntdll of the default numbering, kernel32, and
     * msvcrt, what a mingw-w64 hello loads), so that a start reads their blobs from a few
     * adjacent 64 KB windows of the binary rather than from windows shared with DLLs it never
     * loads (issue 12, RSS); the order of the records does not matter to thk_tmpl_find. */
    static const char *const first[] = {"ntdll.dll", "kernel32.dll", "msvcrt.dll"};
    size_t nfirst = sizeof first / sizeof *first;
    for (size_t pass = 0; pass <= nfirst && r == 0; pass++) {
        for (int gi = 0; gi < THK_GEN_NDLLS && r == 0; gi++) {
            if (thk_gen_dlls[gi].kind != THK_GEN_MODULE)
                continue;
            const char *gname = gstr(thk_gen_dlls[gi].name);
            bool is_ntdll = strcmp(gname, "ntdll.dll") == 0;
            size_t rank = 0;
            while (rank < nfirst && strcmp(gname, first[rank]) != 0)
                rank++;
            for (int b = 0; b < (is_ntdll ? 2 : 1) && r == 0; b++) {
                /* pass k < nfirst: first[k] (ntdll: the default build only); pass nfirst: the
                 * rest, ntdll's other build included */
                bool in_pass = pass < nfirst ? rank == pass && b == 0 : rank == nfirst || b > 0;
                if (!in_pass)
                    continue;
                if (is_ntdll && nt_syscalls_init(builds[b]) != 0) {
                    r = -EINVAL;
                    break;
                }
                thk_dll *d = thk_dll_get(gstr(thk_gen_dlls[gi].name));
                if (!d) {
                    r = -ENOMEM;
                    break;
                }
                pthread_mutex_lock(&thk_lock);
                if (d->image) {
                    nt_vm_unregister_image(d->image, d->image_size);
                    munmap(d->image, d->image_size);
                    d->image = NULL;
                }
                if (d->fast) { /* the next numbering's stubs get THK_FAST_AT too */
                    munmap(d->fast, d->fast_size);
                    d->fast = NULL;
                }
                r = thk_build_image(d);
                if (r == 0)
                    r = thk_emit_one(d, idx++, is_ntdll ? (uint32_t)builds[b] : 0, dir, c, s,
                                     is_ntdll && b == 0 ? late : NULL, bodies, fasts);
                pthread_mutex_unlock(&thk_lock);
            }
        }
    }
    rt_proc.trap = saved_trap;
    thk_tmpl_disabled = false;
    if (fclose(c) != 0 && r == 0)
        r = -EIO;
    if (fclose(bodies) != 0 && r == 0)
        r = -EIO;
    if (fclose(late) != 0 && r == 0)
        r = -EIO;
    if (fclose(fasts) != 0 && r == 0)
        r = -EIO;
    if (late_lines)
        fputs(late_lines, s);
    free(late_lines);
    if (body_lines)
        fputs(body_lines, s);
    free(body_lines);
    if (fast_lines)
        fputs(fast_lines, s);
    free(fast_lines);
    /* The records: offsets from thk_images_base, which the assembler computes (the same
     * section), so the table holds no pointers. */
    fprintf(s, "\n    .section .rodata.thk_tmpls, \"a\"\n    .balign 4\n    .globl thk_tmpls\n"
               "    .hidden thk_tmpls\nthk_tmpls:\n%s", rows ? rows : "");
    if (fclose(s) != 0 && r == 0)
        r = -EIO;
    snprintf(path, sizeof path, "%s/thk_images.c", dir);
    FILE *out = r == 0 ? fopen(path, "w") : NULL;
    if (out) {
        fprintf(out, "/* Generated by tools/thk_mkimages.c (thunks/builtin.c). Do not edit. */\n"
                     "#include \"thunks/images.h\"\n\n");
        fprintf(out, "/* thk_tmpls and the blobs are in thk_images.S. */\n"
                     "const uint32_t thk_ntmpls = %u;\n", idx);
        if (fclose(out) != 0)
            r = -EIO;
    } else if (r == 0) {
        r = -errno;
    }
    free(rows);
    return r;
}

/* d's image, built on first use. NULL when out of memory. */
static uint8_t *thk_dll_image(thk_dll *d)
{
    uint8_t *img = __atomic_load_n(&d->image, __ATOMIC_ACQUIRE);
    if (img)
        return img;
    pthread_mutex_lock(&thk_lock);
    if (!d->image) {
        if (thk_make_image(d) < 0)
            rt_message("cannot build the built-in %s: out of memory", d->name);
        else
            thk_nimages++;
    }
    img = d->image;
    pthread_mutex_unlock(&thk_lock);
    return img;
}

/* Slot i of d's image (built, or a template's, expanded into *buf). */
static const thk_slot *thk_slot_at(const thk_dll *d, uint32_t i, thk_slot *buf)
{
    if (!d->tmpl)
        return &d->slots[i];
    const thk_tmpl_slot *ts = &THK_TMPL_AT(thk_tmpl_slot, d->tmpl, slots)[i];
    *buf = (thk_slot){
        .name = ts->name == THK_TMPL_NONE ? NULL : THK_TMPL_AT(char, d->tmpl, names) + ts->name,
        .impl = ts->impl == THK_TMPL_NONE ? NULL : &d->runs[ts->src][ts->impl],
        .import_rva = ts->import_rva,
        .export_rva = ts->export_rva,
        .ordinal = ts->ordinal,
        .kind = ts->kind,
    };
    return buf;
}

static const thk_slot *thk_slot_by_name(const thk_dll *d, const char *name, thk_slot *buf)
{
    if (!d->tmpl) {
        thk_slot key = {.name = name};
        return bsearch(&key, d->slots, d->nnamed, sizeof *d->slots, thk_cmp_slot);
    }
    const thk_tmpl_slot *tslots = THK_TMPL_AT(thk_tmpl_slot, d->tmpl, slots);
    const char *names = THK_TMPL_AT(char, d->tmpl, names);
    uint32_t lo = 0, hi = d->nnamed;
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        int c = strcmp(names + tslots[mid].name, name);
        if (c == 0)
            return thk_slot_at(d, mid, buf);
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return NULL;
}

static const thk_slot *thk_slot_by_ordinal(const thk_dll *d, uint32_t ordinal, thk_slot *buf)
{
    for (uint32_t i = 0; i < d->nslots; i++) {
        const thk_slot *s = thk_slot_at(d, i, buf);
        if (s->ordinal == ordinal && s->kind != THK_SLOT_DATA)
            return s;
    }
    return NULL;
}

/* ---- every DLL, for crash reports, re-registration and teardown ---- */

static thk_dll *thk_dll_at(size_t i)
{
    if (i >= THK_GEN_NDLLS)
        return thk_extra[i - THK_GEN_NDLLS];
    uint16_t r = __atomic_load_n(&thk_gen_named[i], __ATOMIC_ACQUIRE);
    return r ? thk_gen_record(r - 1u) : &thk_gen_unnamed;
}
static size_t thk_dll_total(void) { return THK_GEN_NDLLS + thk_nextra; }

void thk_f2n_regs_ret(void);
void thk_f2n_stack_ret(void);

/* Crash reports: which export a stub address belongs to (the runtime asks, see
 * rt_set_builtin_describer). Not on any fast path. */
static bool thk_describe_stub(uintptr_t addr, const char **dll, const char **name)
{
    for (size_t i = 0; i < thk_dll_total(); i++) {
        thk_dll *d = thk_dll_at(i);
        uintptr_t base = (uintptr_t)__atomic_load_n(&d->image, __ATOMIC_ACQUIRE);
        if (!d->name)
            continue;
        if (!base || addr < base || addr >= base + d->image_size)
            continue;
        for (uint32_t k = 0; k < d->nslots; k++) {
            thk_slot buf;
            const thk_slot *sl = thk_slot_at(d, k, &buf);
            uintptr_t s = base + sl->export_rva;
            size_t len = sl->kind == THK_SLOT_THUNK ? THK_STUB_SIZE * thk_stub_places(sl->impl)
                         : sl->kind == THK_SLOT_SYSCALL ? THK_SYSCALL_STUB_SIZE
                                                        : THK_MISSING_STUB_SIZE;
            if (sl->kind != THK_SLOT_DATA && addr >= s && addr < s + len && sl->name) {
                *dll = d->name;
                *name = sl->name;
                return true;
            }
        }
    }
    return false;
}

uintptr_t thk_stub_of_impl(uintptr_t impl)
{
    for (size_t i = 0; impl && i < thk_dll_total(); i++) {
        thk_dll *d = thk_dll_at(i);
        uintptr_t base = (uintptr_t)__atomic_load_n(&d->image, __ATOMIC_ACQUIRE);
        if (!d->name || !base)
            continue;
        for (uint32_t k = 0; k < d->nslots; k++) {
            thk_slot buf;
            const thk_slot *sl = thk_slot_at(d, k, &buf);
            if (sl->kind == THK_SLOT_THUNK && sl->impl && (uintptr_t)thk_export_addr(sl->impl) == impl)
                return base + sl->export_rva;
        }
    }
    return 0;
}

static void thk_do_init(void)
{
    rt_set_builtin_describer(thk_describe_stub, (uintptr_t)thk_f2n_regs_ret,
                             (uintptr_t)thk_f2n_stack_ret);
    rt_rewrite_set_stub_finder(thk_ntdll_syscall_target);
}

/* libntrun may run programs with different --windows-build values in one process: ntdll's
 * syscall stubs follow the numbering selected since (nt_syscalls_init). The old image is
 * unmapped, so this must only happen between runs, with no foreign code left running. Images
 * already built are registered again as MEM_IMAGE: a run's teardown forgets every region
 * (nt_vm_release_all), and kernel32 recognizes modules by that. */
int thk_init(void)
{
    rt_once(&thk_once, thk_do_init);
    pthread_mutex_lock(&thk_lock);
    /* (a first run has none: the ~250 records are not even paged in) */
    for (size_t i = 0; thk_nimages && i < thk_dll_total(); i++) {
        thk_dll *d = thk_dll_at(i);
        if (!d->image)
            continue;
        /* rebuilt for another numbering, or into the foreign range of --sud=inclusive */
        if ((d->fast && d->ntdll_build != nt_syscalls_build()) ||
            !rt_foreign_range_has((uintptr_t)d->image, (uintptr_t)d->image + d->image_size)) {
            uint8_t *old = d->image;
            size_t old_size = d->image_size;
            d->image = NULL;
            if (thk_make_image(d) == 0) {
                nt_vm_unregister_image(old, old_size);
                munmap(old, old_size);
                continue;
            }
            d->image = old;
        }
        nt_vm_register_image(d->image, d->image_size, d->name);
        if (d->fast) {
            KUSER_SHARED_DATA *ku = rt_kuser_rw();
            if (ku)
                ku->SystemCall = 1;
        }
    }
    pthread_mutex_unlock(&thk_lock);
    return 0;
}

/* ---- the public lookups ---- */

bool thk_is_builtin_dll(const char *dll)
{
    char norm[THK_DLL_NAME_MAX];
    if (!thk_normalize_dll(dll, norm))
        return false;
    if (thk_gen_find_dll(norm) >= 0 || thk_apiset_rule(norm))
        return true;
    const thk_export *run;
    return thk_own_run(norm, &run) > 0;
}

const char *thk_builtin_name(const char *dll)
{
    char norm[THK_DLL_NAME_MAX];
    if (!thk_normalize_dll(dll, norm))
        return NULL;
    thk_dll *d = thk_dll_for(norm, NULL);
    return d ? d->name : NULL;
}

_Static_assert(sizeof ((thk_import_dll *)0)->norm == THK_DLL_NAME_MAX, "thk_import_dll.norm");

void thk_import_dll_init(thk_import_dll *c, const char *dll)
{
    c->dll = NULL;
    c->apiset = false;
    c->ok = thk_normalize_dll(dll, c->norm);
    if (!c->ok)
        return;
    /* thk_dll_for's choice when it does not depend on the name: a module (or a DLL only
     * THK_EXPORTs name), not an API set */
    int gi = thk_gen_find_dll(c->norm);
    c->apiset = gi >= 0 ? thk_gen_dlls[gi].kind == THK_GEN_APISET : thk_apiset_rule(c->norm) != NULL;
    if (!c->apiset)
        c->dll = thk_dll_get(c->norm);
}

static thk_import_status thk_import_from(thk_dll *d, const char *norm, const char *name,
                                         uint32_t ordinal, void **addr);

thk_import_status thk_import_in(thk_import_dll *c, const char *name, uint32_t ordinal,
                                void **addr)
{
    *addr = NULL;
    if (!c->ok)
        return THK_NOT_EXPORTED;
    thk_dll *d = c->apiset ? thk_dll_for(c->norm, name) : c->dll;
    return thk_import_from(d, c->norm, name, ordinal, addr);
}

thk_import_status thk_import(const char *dll, const char *name, uint32_t ordinal, void **addr)
{
    char norm[THK_DLL_NAME_MAX];
    *addr = NULL;
    if (!thk_normalize_dll(dll, norm))
        return THK_NOT_EXPORTED;
    return thk_import_from(thk_dll_for(norm, name), norm, name, ordinal, addr);
}

/* thk_import's lookup in d, the module `norm` (an API set's name: d is its host) stands for. */
static thk_import_status thk_import_from(thk_dll *d, const char *norm, const char *name,
                                         uint32_t ordinal, void **addr)
{
    if (!d || !thk_dll_image(d))
        return THK_NOT_EXPORTED;
    thk_slot buf;
    const thk_slot *s = name ? thk_slot_by_name(d, name, &buf)
                             : thk_slot_by_ordinal(d, ordinal, &buf);
    if (!s && name && d->gen >= 0) {
        /* An API set's name its host lacks (api-ms-win-appmodel-* in kernelbase): real, not
         * implemented. */
        int gi = thk_gen_find_dll(norm);
        if (gi >= 0 && thk_gen_find_export(gi, name)) {
            *addr = thk_missing_stub(norm, name);
            return *addr ? THK_UNIMPLEMENTED : THK_NOT_EXPORTED;
        }
    }
    if (!s)
        return THK_NOT_EXPORTED;
    if (s->kind == THK_SLOT_MISSING) {
        *addr = d->image + s->export_rva; /* the reporting stub */
        return THK_UNIMPLEMENTED;
    }
    *addr = s->kind == THK_SLOT_DATA ? thk_export_addr(s->impl) : d->image + s->import_rva;
    return THK_IMPLEMENTED;
}

void *thk_resolve(const char *dll, const char *name)
{
    char norm[THK_DLL_NAME_MAX];
    if (!thk_normalize_dll(dll, norm))
        return NULL;
    thk_dll *d = thk_dll_for(norm, name);
    if (!d || !thk_dll_image(d))
        return NULL;
    thk_slot buf;
    const thk_slot *s = thk_slot_by_name(d, name, &buf);
    if (!s || (s->kind != THK_SLOT_THUNK && s->kind != THK_SLOT_DATA))
        return NULL;
    return s->kind == THK_SLOT_DATA ? thk_export_addr(s->impl) : d->image + s->import_rva;
}

HMODULE thk_builtin_module(const char *dll)
{
    char norm[THK_DLL_NAME_MAX];
    if (!thk_normalize_dll(dll, norm))
        return NULL;
    thk_dll *d = thk_dll_for(norm, NULL);
    return d ? thk_dll_image(d) : NULL;
}

HMODULE thk_builtin_loaded(const char *dll)
{
    char norm[THK_DLL_NAME_MAX];
    if (!thk_normalize_dll(dll, norm))
        return NULL;
    thk_dll *d = thk_dll_for(norm, NULL);
    return d ? __atomic_load_n(&d->image, __ATOMIC_ACQUIRE) : NULL;
}

HMODULE thk_builtin_image(const char *dll, bool build, uint32_t *size)
{
    char norm[THK_DLL_NAME_MAX];
    *size = 0;
    if (!thk_normalize_dll(dll, norm))
        return NULL;
    thk_dll *d = thk_dll_for(norm, NULL);
    uint8_t *img = !d ? NULL : build ? thk_dll_image(d) : __atomic_load_n(&d->image, __ATOMIC_ACQUIRE);
    if (img)
        *size = (uint32_t)d->image_size; /* SizeOfImage, written before the image is published */
    return img;
}

static thk_dll *thk_dll_of_image(HMODULE mod)
{
    if (!mod)
        return NULL;
    for (size_t i = 0; i < thk_dll_total(); i++) {
        thk_dll *d = thk_dll_at(i);
        if (__atomic_load_n(&d->image, __ATOMIC_ACQUIRE) == mod)
            return d;
    }
    return NULL;
}

void *thk_builtin_proc_ex(HMODULE mod, const char *name, uint32_t ordinal)
{
    thk_dll *d = thk_dll_of_image(mod);
    if (!d)
        return NULL;
    thk_slot buf;
    const thk_slot *s = name ? thk_slot_by_name(d, name, &buf)
                             : thk_slot_by_ordinal(d, ordinal, &buf);
    /* Not implemented: NULL, so that a program that probes (Go's runtime for
     * NtCreateWaitCompletionPacket, say) takes its fallback. A system call ntemu lacks counts
     * too: its stub would only return STATUS_NOT_IMPLEMENTED. */
    if (s && (s->kind == THK_SLOT_MISSING || s->kind == THK_SLOT_SYSCALL)) {
        if (RT_TRACING(RT_TRACE_LOADER)) {
            if (name)
                rt_trace("loader", "GetProcAddress(%s, \"%s\"): exported by Windows, not "
                         "implemented: NULL", d->name, name);
            else
                rt_trace("loader", "GetProcAddress(%s, #%u): %s is not implemented: NULL",
                         d->name, ordinal, s->name ? s->name : "(no name)");
        }
        return NULL;
    }
    if (!s)
        return NULL;
    /* ntdll!Nt*: the Windows-shaped stub, like the directory */
    return s->kind == THK_SLOT_DATA ? thk_export_addr(s->impl) : d->image + s->export_rva;
}

void *thk_builtin_proc(HMODULE mod, const char *name)
{
    return thk_builtin_proc_ex(mod, name, 0);
}

void *thk_builtin_inline_code(HMODULE mod, const char *name, const thk_inline *in)
{
    thk_dll *d = thk_dll_of_image(mod);
    if (!d)
        return NULL;
    thk_slot buf;
    const thk_slot *s = thk_slot_by_name(d, name, &buf);
    if (!s || s->kind != THK_SLOT_THUNK || !s->impl || s->impl->nargs != THK_INLINE ||
        thk_export_addr(s->impl) != (const void *)in)
        return NULL;
    return d->image + s->export_rva;
}

/* ---- stubs for imports that no built-in DLL exports ----
 * Each is `movabs $record, %r11; mov $-1, %r10; jmp *thk_missing_trampoline`, in RX pages
 * chained through their first 8 bytes; one per DLL!name (interned), all freed after a libntrun
 * run (thk_missing_reset), when no image that was bound to them is left. */
#define THK_INTERN_BUCKETS 64
typedef struct thk_missing_rec {
    struct thk_missing_rec *next;
    void *stub;
    char *dll, *name;
} thk_missing_rec;
static pthread_mutex_t thk_missing_lock = PTHREAD_MUTEX_INITIALIZER;
static thk_missing_rec *thk_missing_table[THK_INTERN_BUCKETS];
static uint8_t *thk_missing_page;
static size_t thk_missing_used;
#define THK_MISSING_POOL_STUB 32

static unsigned thk_str_hash(const char *a, const char *b)
{
    unsigned h = 2166136261u;
    for (; *a; a++)
        h = (h ^ (unsigned char)tolower((unsigned char)*a)) * 16777619u;
    for (; *b; b++)
        h = (h ^ (unsigned char)*b) * 16777619u;
    return h % THK_INTERN_BUCKETS;
}

void *thk_missing_stub(const char *dll, const char *name)
{
    unsigned h = thk_str_hash(dll, name);
    void *stub = NULL;
    pthread_mutex_lock(&thk_missing_lock);
    for (thk_missing_rec *r = thk_missing_table[h]; r; r = r->next) {
        if (strcasecmp(r->dll, dll) == 0 && strcmp(r->name, name) == 0) {
            stub = r->stub;
            goto out;
        }
    }
    thk_missing_rec *rec = calloc(1, sizeof *rec);
    if (!rec || !(rec->dll = strdup(dll)) || !(rec->name = strdup(name)))
        goto undo_rec;
    if (!thk_missing_page || thk_missing_used + THK_MISSING_POOL_STUB > 0x1000) {
        void *p = mmap(NULL, 0x1000, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        if (p == MAP_FAILED)
            goto undo_rec;
        memcpy(p, &thk_missing_page, sizeof thk_missing_page); /* the chain */
        thk_missing_page = p;
        thk_missing_used = THK_MISSING_POOL_STUB;
    } else if (mprotect(thk_missing_page, 0x1000, PROT_READ | PROT_WRITE) != 0) {
        goto undo_rec;
    }
    uint8_t *p = thk_missing_page + thk_missing_used;
    uint64_t r11 = (uint64_t)(uintptr_t)rec;
    uint64_t tramp = (uint64_t)(uintptr_t)thk_missing_trampoline;
    memset(p, 0xcc, THK_MISSING_POOL_STUB);
    p[0] = 0x49; p[1] = 0xbb; /* movabs $rec, %r11 */
    memcpy(p + 2, &r11, 8);
    p[10] = 0x49; p[11] = 0xc7; p[12] = 0xc2; /* mov $-1, %r10 */
    memset(p + 13, 0xff, 4);
    p[17] = 0xff; p[18] = 0x25; /* jmp *0(%rip) */
    memset(p + 19, 0, 4);
    memcpy(p + 23, &tramp, 8);
    thk_missing_used += THK_MISSING_POOL_STUB;
    mprotect(thk_missing_page, 0x1000, PROT_READ | PROT_EXEC);
    rec->stub = p;
    rec->next = thk_missing_table[h];
    thk_missing_table[h] = rec;
    stub = p;
    goto out;
undo_rec:
    if (rec) {
        free(rec->dll);
        free(rec->name);
        free(rec);
    }
out:
    pthread_mutex_unlock(&thk_missing_lock);
    return stub;
}

/* Called by thk_missing_trampoline with %r11 and %r10 of the stub: `what` is a built-in DLL's
 * image and `slot` the position of the reporting stub, or `what` is an interned record and
 * slot is -1. */
void thk_missing_called(const void *what, uintptr_t slot)
{
    const char *dll, *name;
    if (slot == (uintptr_t)-1) {
        const thk_missing_rec *r = what;
        dll = r->dll;
        name = r->name;
    } else {
        /* `slot`: the position among the reporting stubs, which follow the slots that had none
         * of their own when the image was laid out (since then SYSCALL for ntdll's) */
        const thk_dll *d = thk_dll_of_image((HMODULE)what);
        dll = d ? d->name : "(unknown)";
        name = "(unknown)";
        for (uint32_t i = 0, k = 0; d && i < d->nslots; i++) {
            thk_slot buf;
            const thk_slot *sl = thk_slot_at(d, i, &buf);
            uint8_t kind = sl->kind;
            if (kind != THK_SLOT_MISSING && kind != THK_SLOT_SYSCALL)
                continue;
            if (k++ == slot) {
                name = sl->name ? sl->name : "(by ordinal)";
                break;
            }
        }
    }
    rt_note_unimplemented(dll, name); /* for the embedder */
    rt_message("%s called unimplemented %s!%s", rt_proc.exe_name ? rt_proc.exe_name : "program",
               dll, name);
    rt_exit_process((uint32_t)STATUS_ENTRYPOINT_NOT_FOUND);
}

void thk_missing_reset(void)
{
    pthread_mutex_lock(&thk_missing_lock);
    for (int h = 0; h < THK_INTERN_BUCKETS; h++) {
        while (thk_missing_table[h]) {
            thk_missing_rec *r = thk_missing_table[h];
            thk_missing_table[h] = r->next;
            free(r->dll);
            free(r->name);
            free(r);
        }
    }
    /* The pages go too: the run's images that pointed at them are unmapped by now. */
    while (thk_missing_page) {
        uint8_t *prev;
        memcpy(&prev, thk_missing_page, sizeof prev);
        munmap(thk_missing_page, 0x1000);
        thk_missing_page = prev;
    }
    thk_missing_used = 0;
    pthread_mutex_unlock(&thk_missing_lock);
}

void thk_before_entry(void)
{
    crt_startup_init();
}
