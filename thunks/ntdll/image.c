/* SPDX-License-Identifier: MIT */
/* ntdll's system-call stubs, as Windows 10/11 x64 lays them out. Every Nt and Zw name of the
 * selected build (ntemu/nt-syscalls-x64.csv) gets one 32-byte stub, Nt and Zw sharing it, the
 * stubs contiguous and in system-call-number order, exactly as in Windows' ntdll:
 *
 *   +00 4C 8B D1                 mov  r10, rcx
 *   +03 B8 nn nn nn nn           mov  eax, <number>
 *   +08 F6 04 25 08 03 FE 7F 01  test byte [0x7FFE0308], 1   ; KUSER_SHARED_DATA.SystemCall
 *   +10 75 03                    jnz  +0x15
 *   +12 0F 05                    syscall
 *   +14 C3                       ret
 *   +15 CD 2E                    int  2e
 *   +17 C3                       ret
 *   +18 0F 1F 84 00 00 00 00 00  nop
 *
 * Bytes up to the `syscall; ret` are always Windows'. For the calls ntrun implements, the
 * `int 2e` branch (taken when KUSER_SHARED_DATA.SystemCall is 1, which ntrun sets) is replaced
 * by `jmp qword [abs32]` through a table of thunk addresses kept below 2 GiB: a call to the stub
 * (GetProcAddress, manual export walking) or to a copy of it reaches the thunk without a trap.
 * A stub of a call ntrun does not implement keeps `int 2e`, which the fault handler emulates.
 * Code that jumps to the stub's `syscall` (indirect syscalls) or has its own `syscall` is
 * trapped by Syscall User Dispatch. Programs that read numbers out of the stubs, sort the Zw
 * exports by address (the "FreshyCalls" method) or look at the neighbouring stubs 32 bytes away
 * ("Halo's Gate") all get the selected build's numbers. Imports of ntdll!Nt* bind to the thunks
 * directly (see thk_resolve and docs/design.md). */
#include <stdlib.h>
#include <string.h>
#include "thunks/thunks_private.h"
#include "thunks/ntdll/ntdll_image.h"

static int thk_cmp_syscall(const void *a, const void *b)
{
    const thk_syscall_stub *x = a, *y = b;
    return x->number < y->number ? -1 : x->number > y->number;
}

static int thk_cmp_syscall_name(const void *a, const void *b)
{
    return strcmp(((const thk_syscall_stub *)a)->name, ((const thk_syscall_stub *)b)->name);
}

size_t thk_ntdll_syscalls(thk_syscall_stub **out, uint32_t **by_name)
{
    size_t n = nt_syscall_count(), m = 0;
    thk_syscall_stub *v = malloc((n ? n : 1) * sizeof *v);
    uint32_t *order = malloc((n ? n : 1) * sizeof *order);
    *out = v;
    *by_name = order;
    if (!v || !order) {
        free(v);
        free(order);
        *out = NULL;
        *by_name = NULL;
        return 0;
    }
    for (size_t i = 0; i < n; i++) {
        int num = nt_syscall_number_at(i);
        const char *name = nt_syscall_name_at(i);
        if (num < 0 || strncmp(name, "Nt", 2) != 0)
            continue;
        v[m].name = name;
        v[m].number = (uint32_t)num;
        m++;
    }
    /* The generated list is in name order (cmake/gen_sysnos.cmake sorts the CSV); sort only if
     * someone changed that. */
    for (size_t i = 1; i < m; i++) {
        if (strcmp(v[i - 1].name, v[i].name) >= 0) {
            qsort(v, m, sizeof *v, thk_cmp_syscall_name);
            break;
        }
    }
    for (size_t i = 0; i < m; i++)
        v[i].name_rank = (uint32_t)i;
    qsort(v, m, sizeof *v, thk_cmp_syscall);
    for (size_t k = 0; k < m; k++)
        order[v[k].name_rank] = (uint32_t)k;
    return m;
}

void thk_write_syscall_stub(uint8_t *p, uint32_t number, void **fast)
{
    static const uint8_t tmpl[THK_SYSCALL_STUB_SIZE] = {
        0x4c, 0x8b, 0xd1,                                     /* mov r10, rcx */
        0xb8, 0, 0, 0, 0,                                     /* mov eax, imm32 */
        0xf6, 0x04, 0x25, 0x08, 0x03, 0xfe, 0x7f, 0x01,       /* test byte [0x7ffe0308], 1 */
        0x75, 0x03,                                           /* jnz +3 */
        0x0f, 0x05,                                           /* syscall */
        0xc3,                                                 /* ret */
        0xcd, 0x2e,                                           /* int 2e */
        0xc3,                                                 /* ret */
        0x0f, 0x1f, 0x84, 0x00, 0x00, 0x00, 0x00, 0x00,       /* nop dword [rax+rax+0] */
    };
    memcpy(p, tmpl, sizeof tmpl);
    memcpy(p + 4, &number, 4);
    if (fast) {
        /* +15 FF 24 25 aa aa aa aa  jmp qword [fast]   (absolute: works in a copy too)
         * +1C 0F 1F 40 00           nop */
        uint32_t a = (uint32_t)(uintptr_t)fast;
        static const uint8_t tail[] = {0xff, 0x24, 0x25, 0, 0, 0, 0, 0x0f, 0x1f, 0x40, 0x00};
        memcpy(p + 0x15, tail, sizeof tail);
        memcpy(p + 0x18, &a, 4);
    }
}
