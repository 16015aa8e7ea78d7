/* SPDX-License-Identifier: MIT */
/* thunks/: the boundary between foreign (Windows x64 ABI, selector BLOCK) and native code
 * (SysV ABI, selector ALLOW), and the built-in DLLs behind it. Public to loader/ and tools/.
 *
 * Foreign -> native: every built-in export is reached through a generated thunk that sets the
 * selector to ALLOW, calls the ms_abi C implementation (copying stack arguments beyond the
 * fourth), and sets BLOCK again on return.
 * Native -> foreign: thk_call_foreign*() set BLOCK, call, and restore the previous value. */
#ifndef NTRUN_THUNKS_H
#define NTRUN_THUNKS_H

#include <stdbool.h>
#include <stdint.h>
#include "runtime/runtime.h"

/* ---- built-in exports ----
 * An implementation file declares its exports next to the code, for example
 *     THK_EXPORT(kernel32, GetLastError, 0);                 C function named GetLastError
 *     THK_EXPORT_AS(msvcrt, printf, msvcrt_printf, THK_VARIADIC);
 *     THK_EXPORT_DATA(msvcrt, _fmode, &msvcrt_fmode);        data import: IAT gets the address
 * The entries are collected from linker sections "thk_exports.<dll>.<name>", which every link
 * sorts by name into one table (cmake/thk_exports.ld): no central list to edit. `nargs` is the
 * number of 64-bit argument slots the function takes (it decides how many stack slots the
 * thunk copies); THK_VARIADIC copies THK_VARIADIC_SLOTS.
 *
 * The entries hold no pointers, only 32-bit offsets from the field to its target, which the
 * static link resolves (R_X86_64_PC32): the table is read-only data that needs no dynamic
 * relocation, so a start of ntrun neither applies ~5600 relocations nor writes the table's pages
 * (docs/performance.md). Read the fields with thk_export_dll/_name/_addr; an entry is only
 * meaningful where the link put it (never copy one). */
typedef struct thk_export {
    int32_t dll_rel;  /* -> "kernel32.dll": lower case, with ".dll" */
    int32_t name_rel; /* -> the export's name */
    int32_t addr_rel; /* -> the ms_abi function; for data exports a pointer to the variable */
    int32_t nargs;    /* >= 0, THK_VARIADIC, THK_DATA, THK_RAW or THK_INLINE */
} thk_export;
_Static_assert(sizeof(thk_export) == 16, "thk_export: the assembler below lays it out");
#define THK_DATA (-1)
#define THK_VARIADIC (-2)
/* The stub jumps straight to `addr` with the foreign caller's registers and stack untouched and
 * the selector still BLOCK (assembly entries that capture the caller's CONTEXT: exception.c). */
#define THK_RAW (-3)
/* The export's code is in the DLL's image itself (`addr` names a thk_inline): the export's
 * address is the code, entered as a THK_RAW entry is (selector BLOCK, the caller's registers
 * and stack untouched) with no stub between: a hot leaf (msvcrt's getc) saves the stub's load
 * and indirect jump. The bytes are position-independent and reach everything else through the
 * image's address table: the code takes one stub's place per 32 bytes (at least one per
 * target) and owns the table entries of those places, which hold `targets`; each rel32 field
 * `refs` names is patched to address the entry it names. The code makes no system call and
 * calls nothing native (what it cannot do it hands to a THK_RAW entry of ntrun's own, or to the
 * export's ordinary crossing, through its table); it runs as foreign code, so a fault in it is
 * the program's exception at that address. */
#define THK_INLINE (-4)
#define THK_VARIADIC_SLOTS 28
/* The copy reads up to 8 + 32 + 8 * THK_VARIADIC_SLOTS bytes above the caller's stack pointer:
 * within a new stack's headroom even for its first foreign frame (runtime/thread.c). */
_Static_assert(RT_STACK_HEADROOM >= 8 + 32 + 8 * THK_VARIADIC_SLOTS, "stack headroom");
#define THK_INLINE_TARGETS 4

/* A THK_INLINE export's description, laid out by the assembler beside the code
 * (thunks/thk_inline_asm.h, THK_INLINE_DESC): like thk_export it holds 32-bit offsets from each
 * field to its target, which the static link resolves, so it needs no dynamic relocation and
 * writes no page at start. `native` is the ms_abi C function native callers (the unit tests, any
 * in-process caller of the export's implementation) call: the code in the image is foreign code
 * entered with the selector BLOCK, and the descriptor itself is data. */
typedef struct thk_inline {
    int32_t code_rel, end_rel; /* -> the code, its end */
    int32_t refs_rel;          /* -> nrefs pairs: a rel32 field's offset in the code, a target's index */
    int32_t native_rel;        /* -> the C function native callers call */
    uint32_t nrefs;
    uint32_t ntargets;         /* at most THK_INLINE_TARGETS */
    int32_t target_rel[THK_INLINE_TARGETS];
} thk_inline;
_Static_assert(sizeof(thk_inline) == 40, "thk_inline: thk_inline_asm.h lays it out");

static inline const void *thk_export_rel_(const int32_t *field)
{
    return (const char *)field + *field;
}
static inline const char *thk_export_dll(const thk_export *e) { return thk_export_rel_(&e->dll_rel); }
static inline const char *thk_export_name(const thk_export *e)
{
    return thk_export_rel_(&e->name_rel);
}
static inline void *thk_export_addr(const thk_export *e)
{
    const void *p = thk_export_rel_(&e->addr_rel);
    return e->nargs == THK_DATA ? *(void *const *)p : (void *)p;
}
static inline const uint8_t *thk_inline_code(const thk_inline *in) { return thk_export_rel_(&in->code_rel); }
static inline const uint8_t *thk_inline_end(const thk_inline *in) { return thk_export_rel_(&in->end_rel); }
static inline const uint16_t *thk_inline_refs(const thk_inline *in)
{
    return thk_export_rel_(&in->refs_rel);
}
static inline const void *thk_inline_target(const thk_inline *in, uint32_t j)
{
    return thk_export_rel_(&in->target_rel[j]);
}
/* What native code calls for export e: the implementation, or a THK_INLINE export's C function
 * (never its descriptor or the image's copy of its code). */
static inline void *thk_export_native(const thk_export *e)
{
    if (e->nargs != THK_INLINE)
        return thk_export_addr(e);
    const thk_inline *in = thk_export_rel_(&e->addr_rel);
    return (void *)thk_export_rel_(&in->native_rel);
}

#define THK_XSTR_(x) #x
#define THK_STR_(x) THK_XSTR_(x)
/* One entry, laid out by the assembler: `sym` is the assembler name of its target (a function,
 * or for data exports the pointer variable THK_EXPORT_DATA defines); names go to the mergeable
 * string section, the DLL's name to a mergeable section of its own (.rodata.thk_export_dll): a
 * start compares the DLL names of a few entries (thk_own_run_is), and merged with the names
 * they would lie wherever the linker kept the first copy (cmake/startup-order.cmake places
 * that section with the start's read-only data). */
#define THK_EXPORT_ASM_(dll, name_str, sym, nargs)                                              \
    __asm__(".pushsection \"thk_exports." #dll "." name_str "\",\"a\",@progbits\n\t"            \
            ".balign 4\n\t"                                                                     \
            ".long 1f - .\n\t"                                                                  \
            ".long 2f - .\n\t"                                                                  \
            ".long " sym " - .\n\t"                                                             \
            ".long " THK_STR_(nargs) "\n\t"                                                     \
            ".pushsection .rodata.thk_export_dll,\"aMS\",@progbits,1\n"                        \
            "1:\t.asciz \"" #dll ".dll\"\n\t"                                                   \
            ".popsection\n\t"                                                                   \
            ".pushsection .rodata.str1.1,\"aMS\",@progbits,1\n"                                 \
            "2:\t.asciz \"" name_str "\"\n\t"                                                   \
            ".popsection\n\t"                                                                   \
            ".popsection")
/* The C compiler must see each target's address taken (a static function referenced only by
 * the assembler could be dropped, inlined away or given another calling convention): a pointer
 * in section "thk_keep", which every link discards (cmake/thk_exports.ld, thk_exports_r.ld). */
#define THK_EXPORT_KEEP_(dll, id, func)                                                         \
    static const void *const thk_export_keep_##dll##_##id                                      \
        __attribute__((used, section("thk_keep"))) = (const void *)(func)
#define THK_EXPORT_FUNC_(dll, name_str, func, nargs, id)                                        \
    THK_EXPORT_KEEP_(dll, id, func);                                                            \
    THK_EXPORT_ASM_(dll, name_str, #func, nargs)
/* A THK_INLINE export: `in` is the thk_inline object that describes its code. */
#define THK_EXPORT_INLINE(dll, name, in)                                                        \
    THK_EXPORT_KEEP_(dll, name, &(in));                                                         \
    THK_EXPORT_ASM_(dll, #name, #in, THK_INLINE)
/* An export named by an identifier made with ## (ntemu/syscall.c's Nt and Zw names). */
#define THK_EXPORT_ENTRY_(dll, name, func, nargs, id) THK_EXPORT_FUNC_(dll, #name, func, nargs, id)
/* An export whose name is not a C identifier (MSVC-mangled C++ names): `id` names the entry. */
#define THK_EXPORT_NAMED(dll, id, name_str, func, nargs)                                        \
    THK_EXPORT_FUNC_(dll, name_str, func, nargs, id)
/* One level more so that a name made by a macro (shlwapi's F(PathFindFileName) -> ...W / ...A)
 * is expanded before it is made a string. */
#define THK_EXPORT(dll, name, nargs) THK_EXPORT_X_(dll, name, name, nargs)
#define THK_EXPORT_AS(dll, name, func, nargs) THK_EXPORT_X_(dll, name, func, nargs)
#define THK_EXPORT_X_(dll, name, func, nargs) THK_EXPORT_FUNC_(dll, #name, func, nargs, name)
/* Data: `var` is any address expression (&x, an array); the entry points at a pointer to it
 * (one relocated pointer per data export, a few dozen in all). */
#define THK_EXPORT_DATA(dll, name, var)                                                         \
    static void *const thk_export_data_##dll##_##name __attribute__((used)) = (void *)(var);   \
    THK_EXPORT_ASM_(dll, #name, "thk_export_data_" #dll "_" #name, THK_DATA)

/* Between runs (libntrun): re-registers the built images as MEM_IMAGE and makes ntdll's
 * syscall stubs follow the numbering selected since. Images are otherwise built on first use
 * (thunks/builtin.c). Always 0. */
int thk_init(void);
/* The DLL search settings kernel32 keeps (thunks/kernel32/dlldir.c) as loader/dll.c reads
 * them: SetDefaultDllDirectories' flags (0: never called), SetDllDirectory's directory as a
 * Linux path (dll_dir_set with dll_dir NULL: the empty string, or a directory that does not
 * map), the AddDllDirectory directories in the order added. Free with thk_dll_search_free. */
typedef struct thk_dll_search {
    uint32_t default_flags;
    bool dll_dir_set;
    char *dll_dir;
    char **user;
    size_t nuser;
} thk_dll_search;
void thk_dll_search_get(thk_dll_search *s);
void thk_dll_search_free(thk_dll_search *s);

/* Is `dll` (any case, with or without ".dll") a built-in DLL or an API set? System DLL names
 * always are (thunks/dlls.list), whatever files sit beside the program. */
bool thk_is_builtin_dll(const char *dll);
/* The built-in module `dll` stands for ("kernel32.dll"; an API set's host), NULL if none. */
const char *thk_builtin_name(const char *dll);
typedef enum thk_import_status {
    THK_IMPLEMENTED,   /* *addr: the thunk (functions) or the variable (data) */
    THK_UNIMPLEMENTED, /* Windows exports it, ntrun does not implement it: *addr reports a call */
    THK_NOT_EXPORTED,  /* no such export (or no such DLL): *addr NULL */
} thk_import_status;
/* Import binding of `dll`!`name`, or by `ordinal` when name is NULL. Builds the DLL's image on
 * first use. */
thk_import_status thk_import(const char *dll, const char *name, uint32_t ordinal, void **addr);
/* The same for many imports of one DLL (an import descriptor): the DLL is looked up once by
 * thk_import_dll_init (its name normalized and searched among the ~400 built-in names), then
 * each thk_import_in looks up only its export. An API set's host is still chosen per name. */
typedef struct thk_import_dll {
    void *dll;      /* the built-in module's record; NULL: none, or an API set (below) */
    bool apiset;    /* the host is chosen per name */
    bool ok;        /* the name normalized */
    char norm[64];
} thk_import_dll;
void thk_import_dll_init(thk_import_dll *c, const char *dll);
thk_import_status thk_import_in(thk_import_dll *c, const char *name, uint32_t ordinal,
                                void **addr);
/* Address foreign code should call (the thunk) or, for data, the variable's address.
 * NULL when the built-in DLL does not implement such an export. */
void *thk_resolve(const char *dll, const char *name);
/* A stub that reports "ntrun: prog.exe called unimplemented DLL!name" and terminates; one per
 * DLL!name, for imports no built-in exports. NULL when out of memory. */
void *thk_missing_stub(const char *dll, const char *name);
/* Module handle (the in-memory PE image) of a built-in DLL, built on first use; for an API set
 * its host's. NULL if not built in. */
HMODULE thk_builtin_module(const char *dll);
/* The same, but only if its image exists already (never builds one). */
HMODULE thk_builtin_loaded(const char *dll);
/* thk_builtin_module (build true) or thk_builtin_loaded (false), with the image's SizeOfImage
 * in *size from ntrun's own record: no page of the image is read (a start's PEB->Ldr entries
 * need none; its headers may be the binary's pages, mapped on first read). */
HMODULE thk_builtin_image(const char *dll, bool build, uint32_t *size);
/* GetProcAddress on a built-in module: the export `name` (or `ordinal` when name is NULL); NULL
 * if mod is no built-in module, the DLL does not export it, or ntrun does not implement it (a
 * real export: traced under --trace=loader, so probing programs fall back). */
void *thk_builtin_proc_ex(HMODULE mod, const char *name, uint32_t ordinal);
void *thk_builtin_proc(HMODULE mod, const char *name);
/* Where built-in module mod has the code of THK_INLINE export `name` whose descriptor is `in`
 * (its copy in that image: msvcrt's, or ucrtbase's, which falls back to msvcrt's exports); NULL
 * if mod is no built-in module or its `name` is something else. */
void *thk_builtin_inline_code(HMODULE mod, const char *name, const thk_inline *in);

/* ---- foreign DLLs ----
 * loader/ maps foreign DLLs; thunks/ cannot call it (dependencies point one way), so the
 * loader registers these when it loads the program. Before that (unit tests) thk_loader is
 * NULL and only built-in modules exist. Names are UTF-8; all may be called from any thread. */
typedef struct thk_loader_ops {
    /* LoadLibraryEx of a foreign DLL (name or Windows path): the module with its reference
     * count raised, DllMain run. NULL with *status set to what LdrLoadDll returns
     * (STATUS_DLL_NOT_FOUND, STATUS_INVALID_IMAGE_FORMAT and _NOT_MZ, STATUS_ENTRYPOINT_NOT_FOUND,
     * STATUS_ORDINAL_NOT_FOUND, STATUS_DLL_INIT_FAILED, ...). Built-in names never get here.
     * search_path: LdrLoadDll's (Windows directories separated by ';'), the only directories
     * searched for the DLL and its dependencies; NULL: the usual search. */
    HMODULE (*load)(const char *name, uint32_t flags, const char *search_path,
                    NTSTATUS *status);
    /* FreeLibrary: false if mod is not a loaded foreign DLL. */
    bool (*free)(HMODULE mod);
    /* A loaded foreign DLL by base name or path, without a reference; NULL if none. */
    HMODULE (*find)(const char *name);
    /* GetProcAddress on a foreign module (or the program): by name, or by ordinal when name is
     * NULL; follows forwarders. NULL if absent or mod is not one. */
    void *(*proc)(HMODULE mod, const char *name, uint32_t ordinal);
    /* Linux path of a foreign DLL, NULL if mod is not one. */
    const char *(*unix_path)(HMODULE mod);
    /* DisableThreadLibraryCalls: false if mod is not a foreign DLL or has static TLS. */
    bool (*disable_thread_calls)(HMODULE mod);
    /* GetModuleHandleEx without UNCHANGED_REFCOUNT: one more reference, or pinned for good. */
    bool (*addref)(HMODULE mod, bool pin);
} thk_loader_ops;
extern const thk_loader_ops *thk_loader;
void thk_set_loader_ops(const thk_loader_ops *ops);

/* ---- native -> foreign calls ----
 * Calls an ms_abi foreign function with the selector at BLOCK, restoring the caller's value. */
uint64_t thk_call_foreign(const void *fn, int nargs, const uint64_t *args);
static inline uint64_t thk_call_foreign0(const void *fn)
{ uint64_t v[4] = {0}; return thk_call_foreign(fn, 0, v); }
static inline uint64_t thk_call_foreign1(const void *fn, uint64_t a)
{ uint64_t v[4] = {a}; return thk_call_foreign(fn, 1, v); }
static inline uint64_t thk_call_foreign2(const void *fn, uint64_t a, uint64_t b)
{ uint64_t v[4] = {a, b}; return thk_call_foreign(fn, 2, v); }
static inline uint64_t thk_call_foreign3(const void *fn, uint64_t a, uint64_t b, uint64_t c)
{ uint64_t v[4] = {a, b, c}; return thk_call_foreign(fn, 3, v); }
static inline uint64_t thk_call_foreign4(const void *fn, uint64_t a, uint64_t b, uint64_t c,
                                         uint64_t d)
{ uint64_t v[4] = {a, b, c, d}; return thk_call_foreign(fn, 4, v); }

/* ---- process start ----
 * What the built-in CRT and kernel32 need to know about the program being run. */
typedef struct thk_startup {
    int argc;
    char **argv;           /* argv[0] is the program as given */
    char **envp;
    const char *exe_path;  /* Linux path of the exe */
    const char *exe_real_path; /* exe_path through realpath(3) (the loader resolved it already);
                                  NULL: resolved here */
    void *image_base;
    const int *std_fds;    /* NULL: fds 0, 1, 2; else the fds behind stdin, stdout, stderr (not
                              closed by ntrun; -1: no such handle) */
} thk_startup;
/* Fills PEB->ProcessParameters (command line, image path, environment, current directory,
 * standard handles) and the CRT's view (__getmainargs, _acmdln, environment). */
int thk_process_setup(const thk_startup *st);

/* After a run (libntrun), on the thread that ran it, once no foreign thread is left: forgets
 * the per-run state of the built-in DLLs (CRT fd table and stdio streams, _onexit table,
 * command line, environment, heaps, TLS slots) so that the next program starts clean. Handles
 * are closed by ntemu (nt_process_teardown), afterwards. */
void thk_process_teardown(void);

/* Called on the program's main thread right before its TLS callbacks and entry point: lets the
 * built-in CRT fill the variables the program reads directly (_acmdln, __initenv, _fmode, ...). */
void thk_before_entry(void);

/* Last error, for built-ins: TEB->LastErrorValue of the calling thread. */
void thk_set_last_error(uint32_t err);
uint32_t thk_get_last_error(void);
/* SetLastError(nt_status_to_win32(st)); returns st. */
NTSTATUS thk_set_last_status(NTSTATUS st);

#endif
