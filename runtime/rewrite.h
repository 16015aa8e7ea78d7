/* SPDX-License-Identifier: MIT */
/* runtime/rewrite.c's hook for thunks/ (the rest of its interface is in runtime/runtime.h). */
#ifndef NTRUN_RUNTIME_REWRITE_H
#define NTRUN_RUNTIME_REWRITE_H

#include <stdint.h>

/* The stub finder gives the code an import of ntdll's Nt export for system call `number`
 * reaches (NULL: none): a rewritten stub-shaped site (`mov r10, rcx; mov eax, N; syscall; ret`,
 * or Windows 10/11's stub) jumps straight there (see rewrite.c). Set by thunks/ (thk_init). */
void rt_rewrite_set_stub_finder(const void *(*fn)(uint32_t number));

#endif
