/* SPDX-License-Identifier: MIT */
/* loader/: maps PE32+ images, applies relocations, resolves imports, prepares TLS, runs
 * TLS callbacks and the entry point. Public to tools/. */
#ifndef NTRUN_LOADER_H
#define NTRUN_LOADER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "runtime/runtime.h"

typedef struct ldr_module ldr_module;

/* Which step of ldr_load_exe failed, set where it failed (the message is for people). */
typedef enum ldr_error {
    LDR_OK = 0,
    LDR_E_NO_MEMORY,
    LDR_E_FILE,        /* cannot open or read the file */
    LDR_E_FORMAT,      /* not a runnable PE32+ program: headers, sections, relocations */
    LDR_E_IMPORT,      /* an imported DLL or function is missing or cannot be loaded */
    LDR_E_RUNTIME,     /* TLS set-up, protections, PEB->Ldr */
} ldr_error;

typedef struct ldr_options {
    bool strict;       /* refuse to start when an import is missing, listing every one */
    ldr_error *error;  /* if not NULL: set to the kind of failure (LDR_OK on success) */
    NTSTATUS *status;  /* if not NULL: on failure, the status a Windows process gets as its exit
                        * code when it cannot start (STATUS_DLL_NOT_FOUND, ...) */
} ldr_options;

/* Loads the program: validates and maps it, resolves its imports, prepares its TLS.
 * On failure returns NULL, sets *opts->error and writes a one-line message naming the problem
 * to err (e.g. "prog.exe: section .text extends past end of file"). */
ldr_module *ldr_load_exe(const char *path, const ldr_options *opts, char *err, size_t errlen);
/* Unmaps everything ldr_load_exe mapped. */
void ldr_unload(ldr_module *mod);

void *ldr_module_base(const ldr_module *mod);
/* The program's file as realpath(3) resolved it when it was loaded. */
const char *ldr_module_unix_path(const ldr_module *mod);
size_t ldr_module_size(const ldr_module *mod);
size_t ldr_stack_reserve(const ldr_module *mod);
const char *ldr_module_name(const ldr_module *mod);

/* On the current (foreign-ready) thread: set up this thread's TLS block, run TLS callbacks
 * with DLL_PROCESS_ATTACH, then the entry point. Returns the entry point's return value.
 * Must run on the foreign stack (see rt_call_on_stack). */
uint32_t ldr_run_exe(ldr_module *mod);

/* Find the module containing addr: name and offset, for crash reports. false if none. */
bool ldr_describe_address(uintptr_t addr, const char **name, uintptr_t *offset);

/* ---- foreign DLLs ----
 * Foreign DLLs are searched for in the program's directory, the current directory, then the
 * directories set here (the CLI's --dll-path, the library's equivalent), then NTRUN_DLL_PATH.
 * `dirs` is colon-separated; NULL or "" clears. Call before loading the program. */
void ldr_set_dll_search_path(const char *dirs);

/* libntrun's "DLL loaded" events: fn is called on the loading thread each time a foreign DLL is mapped (unix_path its file) and each time a built-in DLL is bound to an
 * import or LoadLibrary (unix_path NULL; the same one again later, fn dedupes). name, base,
 * SizeOfImage. NULL: none (the default; then built-in images are not built for it). */
typedef void (*ldr_dll_observer)(const char *name, const char *unix_path, const void *base,
                                 size_t size, void *ctx);
void ldr_set_dll_observer(ldr_dll_observer fn, void *ctx);

/* The loaded image (program or foreign DLL) that contains addr: its base and SizeOfImage.
 * For exception dispatch (.pdata lookup: RtlLookupFunctionEntry). Async-signal-safe: reads
 * fixed slots with atomic loads, no lock, no allocation. Built-in DLLs are not included (they
 * have no .pdata). false if addr is in no loaded image. */
bool ldr_find_module_by_address(uintptr_t addr, void **base, size_t *size);

/* Per-thread DLL notifications, for the thread start/exit path (CreateThread): on the new
 * thread, on its foreign stack, before its start routine, ldr_thread_attach_all() gives the
 * thread its static-TLS blocks (program and DLLs) and calls, in initialization order, each
 * DLL's TLS callbacks and DllMain with DLL_THREAD_ATTACH, then the program's TLS callbacks.
 * ldr_thread_detach_all() does DLL_THREAD_DETACH in reverse and frees the TLS blocks; call it
 * on the exiting thread after the start routine returns (or from ExitThread). The loader
 * registers both with rt_on_thread_attach/rt_on_thread_detach when it loads the program, so
 * every thread made by rt_thread_create gets them. */
void ldr_thread_attach_all(void);
void ldr_thread_detach_all(void);

#endif
