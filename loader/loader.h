/* loader/: maps PE32+ images, applies relocations, resolves imports, prepares TLS, runs
 * TLS callbacks and the entry point. Public to tools/. */
#ifndef NTRUN_LOADER_H
#define NTRUN_LOADER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "runtime/runtime.h"

typedef struct ldr_module ldr_module;

typedef struct ldr_options {
    bool strict;       /* refuse to start when an import is missing, listing every one */
} ldr_options;

/* Loads the program: validates and maps it, resolves its imports, prepares its TLS.
 * On failure returns NULL and writes a one-line message naming the problem to err
 * (e.g. "prog.exe: section .text extends past end of file"). */
ldr_module *ldr_load_exe(const char *path, const ldr_options *opts, char *err, size_t errlen);
/* Unmaps everything ldr_load_exe mapped. */
void ldr_unload(ldr_module *mod);

void *ldr_module_base(const ldr_module *mod);
size_t ldr_module_size(const ldr_module *mod);
size_t ldr_stack_reserve(const ldr_module *mod);
const char *ldr_module_name(const ldr_module *mod);

/* On the current (foreign-ready) thread: set up this thread's TLS block, run TLS callbacks
 * with DLL_PROCESS_ATTACH, then the entry point. Returns the entry point's return value.
 * Must run on the foreign stack (see rt_call_on_stack). */
uint32_t ldr_run_exe(ldr_module *mod);

/* Find the module containing addr: name and offset, for crash reports. false if none. */
bool ldr_describe_address(uintptr_t addr, const char **name, uintptr_t *offset);

#endif
