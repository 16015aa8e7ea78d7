/* SPDX-License-Identifier: MIT */
/* dbghelp's symbol handler for the calling process, as Rust's std backtrace (backtrace-rs),
 * the Dart VM and crash reporters use it: SymInitialize(W) (invade: every loaded module),
 * SymSet/GetOptions, SymGet/SetSearchPath(W), SymLoadModule(Ex)(W) and SymRefreshModuleList,
 * EnumerateLoadedModules(W)64, SymGetModuleBase64, SymFunctionTableAccess64 (.pdata through
 * RtlLookupFunctionEntry), SymFromAddr(W) and SymFromInlineContext(W), and the line look-ups.
 *
 * Symbols come from the modules' export tables (what dbghelp reports as SymExport when there
 * is no PDB): an address gets the nearest exported name at or below it in its module, with
 * the displacement. There are never line numbers: SymGetLineFromAddr(W)64 fails with
 * ERROR_INVALID_ADDRESS, as dbghelp does for a module without them. No inline frames:
 * SymAddrIncludeInlineTrace is 0.
 *
 * A module is known to the handler once loaded into it (SymInitialize with invade, or
 * SymLoadModuleEx of its base, or SymRefreshModuleList): an address in a module the handler
 * does not know fails with ERROR_MOD_NOT_FOUND, and every look-up before SymInitialize (or
 * after SymCleanup) with ERROR_INVALID_HANDLE. One handler, for the current process; the
 * process handle is not checked against anything else.
 *
 * Modules are read from PEB->Ldr (the program, the built-in DLLs' images, foreign DLLs), as a
 * Windows program walking it would; the list is not locked against a DLL loading at the same
 * moment. COFF symbol tables of mingw programs are not read (they are not mapped). */
#include <pthread.h>
#include <string.h>
#include "thunks/dbghelp/dbghelp_private.h"
#include "thunks/ntdll/thk_exception.h"

static DWORD sym_options = 0x00000206; /* SYMOPT_DEFERRED_LOADS | UNDNAME | LOAD_LINES... */

static pthread_mutex_t sym_lock = PTHREAD_MUTEX_INITIALIZER;
static bool sym_ready;
#define SYM_MAX_MODULES 512
static uint64_t sym_loaded[SYM_MAX_MODULES]; /* bases of the modules loaded into the handler */
static unsigned sym_nloaded;
static WCHAR sym_path[1024];

static DWORD WINAPI dbg_SymSetOptions(DWORD options)
{
    __atomic_store_n(&sym_options, options, __ATOMIC_RELAXED);
    return options;
}
THK_EXPORT_AS(dbghelp, SymSetOptions, dbg_SymSetOptions, 1);

static DWORD WINAPI dbg_SymGetOptions(void) { return __atomic_load_n(&sym_options, __ATOMIC_RELAXED); }
THK_EXPORT_AS(dbghelp, SymGetOptions, dbg_SymGetOptions, 0);

/* ---- modules (PEB->Ldr) ---- */

bool dbg_module_at(uint64_t addr, dbg_module *out)
{
    PEB *peb = rt_proc.peb;
    if (!peb || !peb->Ldr)
        return false;
    LIST_ENTRY *head = &peb->Ldr->InLoadOrderModuleList;
    for (LIST_ENTRY *e = head->Flink; e && e != head; e = e->Flink) {
        LDR_DATA_TABLE_ENTRY *m = (LDR_DATA_TABLE_ENTRY *)e;
        uint64_t b = (uint64_t)(uintptr_t)m->DllBase;
        if (b && addr >= b && addr - b < m->SizeOfImage) {
            out->base = b;
            out->size = m->SizeOfImage;
            out->full = m->FullDllName;
            out->name = m->BaseDllName;
            return true;
        }
    }
    return false;
}

/* Calls fn for every module until it returns false. */
static void dbg_each_module(bool (*fn)(const dbg_module *m, void *ctx), void *ctx)
{
    PEB *peb = rt_proc.peb;
    if (!peb || !peb->Ldr)
        return;
    LIST_ENTRY *head = &peb->Ldr->InLoadOrderModuleList;
    for (LIST_ENTRY *e = head->Flink; e && e != head; e = e->Flink) {
        LDR_DATA_TABLE_ENTRY *m = (LDR_DATA_TABLE_ENTRY *)e;
        dbg_module d = {(uint64_t)(uintptr_t)m->DllBase, m->SizeOfImage, m->FullDllName,
                        m->BaseDllName};
        if (d.base && !fn(&d, ctx))
            return;
    }
}

/* sym_lock held */
static bool sym_is_loaded(uint64_t base)
{
    for (unsigned i = 0; i < sym_nloaded; i++)
        if (sym_loaded[i] == base)
            return true;
    return false;
}

/* sym_lock held. false: already loaded (or the table is full). */
static bool sym_add(uint64_t base)
{
    if (sym_is_loaded(base) || sym_nloaded == SYM_MAX_MODULES)
        return false;
    sym_loaded[sym_nloaded++] = base;
    return true;
}

static bool sym_add_cb(const dbg_module *m, void *ctx)
{
    (void)ctx;
    sym_add(m->base);
    return true;
}

static BOOL WINAPI dbg_SymInitializeW(HANDLE process, const WCHAR *search_path, BOOL invade)
{
    (void)process;
    pthread_mutex_lock(&sym_lock);
    sym_ready = true;
    sym_nloaded = 0;
    size_t n = 0;
    if (search_path)
        for (; search_path[n] && n + 1 < sizeof sym_path / sizeof *sym_path; n++)
            sym_path[n] = search_path[n];
    else
        sym_path[n++] = '.';
    sym_path[n] = 0;
    if (invade)
        dbg_each_module(sym_add_cb, NULL);
    pthread_mutex_unlock(&sym_lock);
    return TRUE;
}
THK_EXPORT_AS(dbghelp, SymInitializeW, dbg_SymInitializeW, 3);

static BOOL WINAPI dbg_SymInitialize(HANDLE process, const char *search_path, BOOL invade)
{
    WCHAR w[1024];
    size_t n = 0;
    if (search_path)
        for (; search_path[n] && n + 1 < sizeof w / sizeof *w; n++)
            w[n] = (unsigned char)search_path[n];
    w[n] = 0;
    return dbg_SymInitializeW(process, search_path ? w : NULL, invade);
}
THK_EXPORT_AS(dbghelp, SymInitialize, dbg_SymInitialize, 3);

static BOOL WINAPI dbg_SymCleanup(HANDLE process)
{
    (void)process;
    pthread_mutex_lock(&sym_lock);
    bool was = sym_ready;
    sym_ready = false;
    sym_nloaded = 0;
    pthread_mutex_unlock(&sym_lock);
    if (!was)
        thk_set_last_error(ERROR_INVALID_HANDLE);
    return was;
}
THK_EXPORT_AS(dbghelp, SymCleanup, dbg_SymCleanup, 1);

/* The handler must be set up: else ERROR_INVALID_HANDLE. */
static bool sym_check_ready(void)
{
    if (__atomic_load_n(&sym_ready, __ATOMIC_ACQUIRE))
        return true;
    thk_set_last_error(ERROR_INVALID_HANDLE);
    return false;
}

static BOOL WINAPI dbg_SymGetSearchPathW(HANDLE process, WCHAR *buf, DWORD size)
{
    (void)process;
    if (!sym_check_ready())
        return FALSE;
    if (!buf || !size) {
        thk_set_last_error(ERROR_INVALID_PARAMETER);
        return FALSE;
    }
    pthread_mutex_lock(&sym_lock);
    DWORD i = 0;
    for (; sym_path[i] && i + 1 < size; i++)
        buf[i] = sym_path[i];
    buf[i] = 0;
    pthread_mutex_unlock(&sym_lock);
    return TRUE;
}
THK_EXPORT_AS(dbghelp, SymGetSearchPathW, dbg_SymGetSearchPathW, 3);

static BOOL WINAPI dbg_SymGetSearchPath(HANDLE process, char *buf, DWORD size)
{
    WCHAR w[1024];
    if (!buf || !size || !dbg_SymGetSearchPathW(process, w, sizeof w / sizeof *w)) {
        if (sym_ready)
            thk_set_last_error(ERROR_INVALID_PARAMETER);
        return FALSE;
    }
    DWORD i = 0;
    for (; w[i] && i + 1 < size; i++)
        buf[i] = w[i] < 0x80 ? (char)w[i] : '?';
    buf[i] = 0;
    return TRUE;
}
THK_EXPORT_AS(dbghelp, SymGetSearchPath, dbg_SymGetSearchPath, 3);

static BOOL WINAPI dbg_SymSetSearchPathW(HANDLE process, const WCHAR *path)
{
    (void)process;
    if (!sym_check_ready())
        return FALSE;
    pthread_mutex_lock(&sym_lock);
    size_t n = 0;
    if (path)
        for (; path[n] && n + 1 < sizeof sym_path / sizeof *sym_path; n++)
            sym_path[n] = path[n];
    else
        sym_path[n++] = '.';
    sym_path[n] = 0;
    pthread_mutex_unlock(&sym_lock);
    return TRUE;
}
THK_EXPORT_AS(dbghelp, SymSetSearchPathW, dbg_SymSetSearchPathW, 2);

static BOOL WINAPI dbg_SymSetSearchPath(HANDLE process, const char *path)
{
    WCHAR w[1024];
    size_t n = 0;
    if (path)
        for (; path[n] && n + 1 < sizeof w / sizeof *w; n++)
            w[n] = (unsigned char)path[n];
    w[n] = 0;
    return dbg_SymSetSearchPathW(process, path ? w : NULL);
}
THK_EXPORT_AS(dbghelp, SymSetSearchPath, dbg_SymSetSearchPath, 2);

/* SymLoadModuleEx: the module at `base` (or, base 0, the loaded module whose file name
 * matches): its base; 0 with ERROR_SUCCESS when it was already loaded; 0 with
 * ERROR_MOD_NOT_FOUND for a module the process does not have (no file is read). */
static uint64_t sym_load(uint64_t base)
{
    if (!sym_check_ready())
        return 0;
    dbg_module m;
    if (!base || !dbg_module_at(base, &m) || m.base != base) {
        thk_set_last_error(ERROR_MOD_NOT_FOUND);
        return 0;
    }
    pthread_mutex_lock(&sym_lock);
    bool added = sym_add(base);
    pthread_mutex_unlock(&sym_lock);
    if (!added) {
        thk_set_last_error(0);
        return 0;
    }
    return base;
}

static DWORD64 WINAPI dbg_SymLoadModuleExW(HANDLE process, HANDLE file, const WCHAR *image,
                                           const WCHAR *module, DWORD64 base, DWORD size,
                                           void *data, DWORD flags)
{
    (void)process, (void)file, (void)image, (void)module, (void)size, (void)data, (void)flags;
    return sym_load(base);
}
THK_EXPORT_AS(dbghelp, SymLoadModuleExW, dbg_SymLoadModuleExW, 8);

static DWORD64 WINAPI dbg_SymLoadModuleEx(HANDLE process, HANDLE file, const char *image,
                                          const char *module, DWORD64 base, DWORD size,
                                          void *data, DWORD flags)
{
    (void)process, (void)file, (void)image, (void)module, (void)size, (void)data, (void)flags;
    return sym_load(base);
}
THK_EXPORT_AS(dbghelp, SymLoadModuleEx, dbg_SymLoadModuleEx, 8);

static DWORD64 WINAPI dbg_SymLoadModule64(HANDLE process, HANDLE file, const char *image,
                                          const char *module, DWORD64 base, DWORD size)
{
    (void)process, (void)file, (void)image, (void)module, (void)size;
    return sym_load(base);
}
THK_EXPORT_AS(dbghelp, SymLoadModule64, dbg_SymLoadModule64, 6);

static BOOL WINAPI dbg_SymUnloadModule64(HANDLE process, DWORD64 base)
{
    (void)process;
    if (!sym_check_ready())
        return FALSE;
    pthread_mutex_lock(&sym_lock);
    bool found = false;
    for (unsigned i = 0; i < sym_nloaded; i++)
        if (sym_loaded[i] == base) {
            sym_loaded[i] = sym_loaded[--sym_nloaded];
            found = true;
            break;
        }
    pthread_mutex_unlock(&sym_lock);
    if (!found)
        thk_set_last_error(ERROR_MOD_NOT_FOUND);
    return found;
}
THK_EXPORT_AS(dbghelp, SymUnloadModule64, dbg_SymUnloadModule64, 2);

static BOOL WINAPI dbg_SymRefreshModuleList(HANDLE process)
{
    (void)process;
    if (!sym_check_ready())
        return FALSE;
    pthread_mutex_lock(&sym_lock);
    dbg_each_module(sym_add_cb, NULL);
    pthread_mutex_unlock(&sym_lock);
    return TRUE;
}
THK_EXPORT_AS(dbghelp, SymRefreshModuleList, dbg_SymRefreshModuleList, 1);

/* EnumerateLoadedModules(W)64: callback(full path, base, size, context) for each module of
 * the process (loaded into the handler or not), until it returns FALSE. */
typedef struct enum_ctx {
    const void *cb;
    void *user;
    bool wide;
    bool called;
} enum_ctx;

static bool enum_one(const dbg_module *m, void *p)
{
    enum_ctx *c = p;
    char narrow[1024];
    WCHAR wide[1024];
    size_t n = m->full.Length / 2;
    if (n >= sizeof wide / sizeof *wide)
        n = sizeof wide / sizeof *wide - 1;
    const void *name;
    if (c->wide) {
        memcpy(wide, m->full.Buffer, n * 2);
        wide[n] = 0;
        name = wide;
    } else {
        size_t k = 0;
        for (size_t i = 0; i < n && k + 4 < sizeof narrow; i++)
            k += (size_t)dbg_utf8_put(m->full.Buffer[i], narrow + k);
        narrow[k] = 0;
        name = narrow;
    }
    c->called = true;
    return (BOOL)thk_call_foreign4(c->cb, (uint64_t)(uintptr_t)name, m->base, m->size,
                                   (uint64_t)(uintptr_t)c->user) != 0;
}

static BOOL enumerate_modules(const void *cb, void *user, bool wide)
{
    if (!cb) {
        thk_set_last_error(ERROR_INVALID_PARAMETER);
        return FALSE;
    }
    enum_ctx c = {cb, user, wide, false};
    dbg_each_module(enum_one, &c);
    return TRUE;
}

static BOOL WINAPI dbg_EnumerateLoadedModulesW64(HANDLE process, const void *cb, void *user)
{
    (void)process;
    return enumerate_modules(cb, user, true);
}
THK_EXPORT_AS(dbghelp, EnumerateLoadedModulesW64, dbg_EnumerateLoadedModulesW64, 3);

static BOOL WINAPI dbg_EnumerateLoadedModules64(HANDLE process, const void *cb, void *user)
{
    (void)process;
    return enumerate_modules(cb, user, false);
}
THK_EXPORT_AS(dbghelp, EnumerateLoadedModules64, dbg_EnumerateLoadedModules64, 3);
THK_EXPORT_AS(dbghelp, EnumerateLoadedModulesEx, dbg_EnumerateLoadedModules64, 3);
THK_EXPORT_AS(dbghelp, EnumerateLoadedModulesExW, dbg_EnumerateLoadedModulesW64, 3);

/* ---- address look-ups ---- */

/* The loaded-into-the-handler module holding addr, or false with the error set. */
static bool sym_module_for(uint64_t addr, dbg_module *m)
{
    if (!sym_check_ready())
        return false;
    if (!dbg_module_at(addr, m)) {
        thk_set_last_error(ERROR_MOD_NOT_FOUND);
        return false;
    }
    pthread_mutex_lock(&sym_lock);
    bool loaded = sym_is_loaded(m->base);
    pthread_mutex_unlock(&sym_lock);
    if (!loaded) {
        thk_set_last_error(ERROR_MOD_NOT_FOUND);
        return false;
    }
    return true;
}

static DWORD64 WINAPI dbg_SymGetModuleBase64(HANDLE process, DWORD64 addr)
{
    (void)process;
    dbg_module m;
    return sym_module_for(addr, &m) ? m.base : 0;
}
THK_EXPORT_AS(dbghelp, SymGetModuleBase64, dbg_SymGetModuleBase64, 2);

static void *WINAPI dbg_SymFunctionTableAccess64(HANDLE process, DWORD64 addr)
{
    (void)process;
    DWORD64 base;
    RUNTIME_FUNCTION *f = RtlLookupFunctionEntry(addr, &base, NULL);
    if (!f)
        thk_set_last_error(ERROR_INVALID_ADDRESS);
    return f;
}
THK_EXPORT_AS(dbghelp, SymFunctionTableAccess64, dbg_SymFunctionTableAccess64, 2);

/* The export at or below addr in module m: its name (in the image), address and ordinal. */
static const char *sym_nearest_export(const dbg_module *m, uint64_t addr, uint64_t *at)
{
    const uint8_t *img = (const uint8_t *)(uintptr_t)m->base;
    if (img[0] != 'M' || img[1] != 'Z')
        return NULL;
    uint32_t lfanew = *(const uint32_t *)(img + 0x3c);
    if (lfanew > m->size - 0x108 || memcmp(img + lfanew, "PE\0\0", 4) != 0)
        return NULL;
    const uint8_t *opt = img + lfanew + 24;
    if (*(const uint16_t *)opt != 0x20b) /* PE32+ */
        return NULL;
    uint32_t ndirs = *(const uint32_t *)(opt + 108);
    if (ndirs < 1)
        return NULL;
    uint32_t dir_rva = *(const uint32_t *)(opt + 112), dir_size = *(const uint32_t *)(opt + 116);
    if (!dir_rva || dir_rva >= m->size || dir_size < 0x28)
        return NULL;
    const uint8_t *dir = img + dir_rva;
    uint32_t nfuncs = *(const uint32_t *)(dir + 0x14), nnames = *(const uint32_t *)(dir + 0x18);
    uint32_t funcs = *(const uint32_t *)(dir + 0x1c), names = *(const uint32_t *)(dir + 0x20);
    uint32_t ords = *(const uint32_t *)(dir + 0x24);
    if (funcs >= m->size || names >= m->size || ords >= m->size ||
        (uint64_t)nfuncs * 4 > m->size - funcs || (uint64_t)nnames * 4 > m->size - names ||
        (uint64_t)nnames * 2 > m->size - ords)
        return NULL;
    const uint32_t *fn = (const uint32_t *)(img + funcs), *nm = (const uint32_t *)(img + names);
    const uint16_t *od = (const uint16_t *)(img + ords);
    uint32_t rva = (uint32_t)(addr - m->base), best_rva = 0;
    const char *best = NULL;
    for (uint32_t i = 0; i < nnames; i++) {
        if (od[i] >= nfuncs || nm[i] >= m->size)
            continue;
        uint32_t f = fn[od[i]];
        if (!f || f > rva || (f >= dir_rva && f - dir_rva < dir_size)) /* forwarder */
            continue;
        if (!best || f > best_rva) {
            best = (const char *)img + nm[i];
            best_rva = f;
        }
    }
    if (best)
        *at = m->base + best_rva;
    return best;
}

/* SYMBOL_INFO(W) (dbghelp.h), pinned */
typedef struct sym_info {
    uint32_t SizeOfStruct; /* 0x00 */
    uint32_t TypeIndex;    /* 0x04 */
    uint64_t Reserved[2];  /* 0x08 */
    uint32_t Index;        /* 0x18 */
    uint32_t Size;         /* 0x1c */
    uint64_t ModBase;      /* 0x20 */
    uint32_t Flags;        /* 0x28 */
    uint64_t Value;        /* 0x30 */
    uint64_t Address;      /* 0x38 */
    uint32_t Register;     /* 0x40 */
    uint32_t Scope;        /* 0x44 */
    uint32_t Tag;          /* 0x48 */
    uint32_t NameLen;      /* 0x4c */
    uint32_t MaxNameLen;   /* 0x50 */
    char Name[4];          /* 0x54 */
} sym_info;
_Static_assert(offsetof(sym_info, Value) == 0x30, "SYMBOL_INFO.Value");
_Static_assert(offsetof(sym_info, Name) == 0x54, "SYMBOL_INFO.Name");
_Static_assert(sizeof(sym_info) == 0x58, "SYMBOL_INFO");
#define SYMFLAG_EXPORT 0x200
#define SYM_TAG_PUBLIC 10 /* SymTagPublicSymbol */

static BOOL sym_from_addr(uint64_t addr, uint64_t *disp, sym_info *si, bool wide)
{
    dbg_module m;
    if (!si || si->SizeOfStruct < offsetof(sym_info, Name)) {
        thk_set_last_error(ERROR_INVALID_PARAMETER);
        return FALSE;
    }
    if (!sym_module_for(addr, &m))
        return FALSE;
    uint64_t at = 0;
    const char *name = sym_nearest_export(&m, addr, &at);
    if (!name) {
        thk_set_last_error(ERROR_INVALID_ADDRESS);
        return FALSE;
    }
    size_t len = strnlen(name, 2000);
    si->TypeIndex = 0;
    si->Index = 0;
    si->Size = 0;
    si->ModBase = m.base;
    si->Flags = SYMFLAG_EXPORT;
    si->Value = at;
    si->Address = at;
    si->Register = 0;
    si->Scope = 0;
    si->Tag = SYM_TAG_PUBLIC;
    si->NameLen = (uint32_t)len;
    if (si->MaxNameLen) {
        size_t k = len < si->MaxNameLen - 1 ? len : si->MaxNameLen - 1;
        if (wide) {
            WCHAR *w = (WCHAR *)si->Name;
            for (size_t i = 0; i < k; i++)
                w[i] = (unsigned char)name[i];
            w[k] = 0;
        } else {
            memcpy(si->Name, name, k);
            si->Name[k] = 0;
        }
    }
    if (disp)
        *disp = addr - at;
    return TRUE;
}

static BOOL WINAPI dbg_SymFromAddr(HANDLE process, DWORD64 addr, DWORD64 *disp, void *info)
{
    (void)process;
    return sym_from_addr(addr, disp, info, false);
}
THK_EXPORT_AS(dbghelp, SymFromAddr, dbg_SymFromAddr, 4);

static BOOL WINAPI dbg_SymFromAddrW(HANDLE process, DWORD64 addr, DWORD64 *disp, void *info)
{
    (void)process;
    return sym_from_addr(addr, disp, info, true);
}
THK_EXPORT_AS(dbghelp, SymFromAddrW, dbg_SymFromAddrW, 4);

static BOOL WINAPI dbg_SymFromInlineContext(HANDLE process, DWORD64 addr, ULONG inline_ctx,
                                            DWORD64 *disp, void *info)
{
    (void)process, (void)inline_ctx;
    return sym_from_addr(addr, disp, info, false);
}
THK_EXPORT_AS(dbghelp, SymFromInlineContext, dbg_SymFromInlineContext, 5);

static BOOL WINAPI dbg_SymFromInlineContextW(HANDLE process, DWORD64 addr, ULONG inline_ctx,
                                             DWORD64 *disp, void *info)
{
    (void)process, (void)inline_ctx;
    return sym_from_addr(addr, disp, info, true);
}
THK_EXPORT_AS(dbghelp, SymFromInlineContextW, dbg_SymFromInlineContextW, 5);

/* No line numbers, ever (no PDB is read): FALSE with ERROR_INVALID_ADDRESS for an address in
 * a known module, as dbghelp answers for a module without line information. */
static BOOL sym_no_line(uint64_t addr, void *line)
{
    dbg_module m;
    if (!line) {
        thk_set_last_error(ERROR_INVALID_PARAMETER);
        return FALSE;
    }
    if (sym_module_for(addr, &m))
        thk_set_last_error(ERROR_INVALID_ADDRESS);
    return FALSE;
}

static BOOL WINAPI dbg_SymGetLineFromAddr64(HANDLE process, DWORD64 addr, DWORD *disp,
                                            void *line)
{
    (void)process, (void)disp;
    return sym_no_line(addr, line);
}
THK_EXPORT_AS(dbghelp, SymGetLineFromAddr64, dbg_SymGetLineFromAddr64, 4);
THK_EXPORT_AS(dbghelp, SymGetLineFromAddrW64, dbg_SymGetLineFromAddr64, 4);

static BOOL WINAPI dbg_SymGetLineFromInlineContext(HANDLE process, DWORD64 addr, ULONG inline_ctx,
                                                   DWORD64 module_base, DWORD *disp, void *line)
{
    (void)process, (void)inline_ctx, (void)module_base, (void)disp;
    return sym_no_line(addr, line);
}
THK_EXPORT_AS(dbghelp, SymGetLineFromInlineContext, dbg_SymGetLineFromInlineContext, 6);
THK_EXPORT_AS(dbghelp, SymGetLineFromInlineContextW, dbg_SymGetLineFromInlineContext, 6);

static DWORD WINAPI dbg_SymAddrIncludeInlineTrace(HANDLE process, DWORD64 addr)
{
    (void)process, (void)addr;
    return 0;
}
THK_EXPORT_AS(dbghelp, SymAddrIncludeInlineTrace, dbg_SymAddrIncludeInlineTrace, 2);

/* No inline frames: the frame itself, context 0 (what dbghelp gives outside inline code). */
static BOOL WINAPI dbg_SymQueryInlineTrace(HANDLE process, DWORD64 start, DWORD start_ctx,
                                           DWORD64 start_ret, DWORD64 cur, DWORD *ctx_out,
                                           DWORD *frame_index)
{
    (void)process, (void)start, (void)start_ctx, (void)start_ret, (void)cur;
    if (ctx_out)
        *ctx_out = 0;
    if (frame_index)
        *frame_index = 0;
    return TRUE;
}
THK_EXPORT_AS(dbghelp, SymQueryInlineTrace, dbg_SymQueryInlineTrace, 7);
