/* ntdll's Windows-shaped system-call stubs (ntdll_image.c), for the built-in image builder. */
#ifndef NTRUN_THUNKS_NTDLL_IMAGE_H
#define NTRUN_THUNKS_NTDLL_IMAGE_H

#include <stddef.h>
#include <stdint.h>

#define THK_SYSCALL_STUB_SIZE 32
typedef struct thk_syscall_stub {
    const char *name; /* "NtClose" */
    uint32_t number;
} thk_syscall_stub;
/* The selected build's Nt* calls (nt_syscall_number), sorted by number, in a malloc'd array
 * (*out, free it; NULL when out of memory); returns the count. */
size_t thk_ntdll_syscalls(thk_syscall_stub **out);
/* Writes the 32-byte Windows 10/11 x64 stub for `number` at p. With `fast` (an address below
 * 2 GiB holding the call's thunk), the `int 2e` branch becomes `jmp [fast]`. */
void thk_write_syscall_stub(uint8_t *p, uint32_t number, void **fast);

#endif
