/* SPDX-License-Identifier: MIT */
/* ntdll's Windows-shaped system-call stubs (thunks/ntdll/image.c), for the built-in image builder. */
#ifndef NTRUN_THUNKS_NTDLL_IMAGE_H
#define NTRUN_THUNKS_NTDLL_IMAGE_H

#include <stddef.h>
#include <stdint.h>

#define THK_SYSCALL_STUB_SIZE 32
typedef struct thk_syscall_stub {
    const char *name; /* "NtClose" */
    uint32_t number;
    uint32_t name_rank; /* position in name order */
} thk_syscall_stub;
/* The selected build's Nt* calls (nt_syscall_number), sorted by number, in a malloc'd array
 * (*out, free it), and (*by_name, free it) their indices in *out in name order; returns the
 * count (0 with both NULL when out of memory). */
size_t thk_ntdll_syscalls(thk_syscall_stub **out, uint32_t **by_name);
/* Writes the 32-byte Windows 10/11 x64 stub for `number` at p. With `fast` (an address below
 * 2 GiB holding the call's thunk), the `int 2e` branch becomes `jmp [fast]`. */
void thk_write_syscall_stub(uint8_t *p, uint32_t number, void **fast);

#endif
