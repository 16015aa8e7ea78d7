/* SPDX-License-Identifier: MIT */
/* The fallback when Syscall User Dispatch is missing (Linux < 5.11, or refused): a seccomp
 * filter that lets a system call through when its instruction pointer lies in native code (the
 * executable segments of every ELF object mapped at start-up, sud.c's table) and answers
 * SECCOMP_RET_TRAP to every other, so the program's `syscall` raises SIGSYS (si_code
 * SYS_SECCOMP) and reaches the same dispatcher as with SUD.
 *
 * A filter cannot be removed: once installed it stays for the life of the process (every later
 * in-process run uses it too), on every thread (SECCOMP_FILTER_FLAG_TSYNC puts it on the
 * threads that already exist; threads created later inherit it). It needs no_new_privs, which
 * this sets (a set-uid program the process execs no longer gains privileges). */
#include <errno.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>
#include "runtime/runtime_private.h"

#ifndef SECCOMP_FILTER_FLAG_TSYNC
#define SECCOMP_FILTER_FLAG_TSYNC 1
#endif

#define RT_IP_LO (offsetof(struct seccomp_data, instruction_pointer))
#define RT_IP_HI (offsetof(struct seccomp_data, instruction_pointer) + 4)

/* Eleven instructions: "ip in [start, end) -> ALLOW", else fall through to the next block.
 * 64-bit comparisons done as high word, then low word (classic BPF is 32-bit). */
static struct sock_filter *rt_seccomp_range(struct sock_filter *p, uint64_t start, uint64_t end)
{
    uint32_t s_hi = (uint32_t)(start >> 32), s_lo = (uint32_t)start;
    uint32_t e_hi = (uint32_t)(end >> 32), e_lo = (uint32_t)end;
    /* 0 */ *p++ = (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS, RT_IP_HI);
    /* 1 */ *p++ = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JGT | BPF_K, s_hi, 3, 0);  /* -> 5 */
    /* 2 */ *p++ = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, s_hi, 0, 8);  /* -> 11 */
    /* 3 */ *p++ = (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS, RT_IP_LO);
    /* 4 */ *p++ = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JGE | BPF_K, s_lo, 0, 6);  /* -> 11 */
    /* 5 */ *p++ = (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS, RT_IP_HI);
    /* 6 */ *p++ = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JGT | BPF_K, e_hi, 4, 0);  /* -> 11 */
    /* 7 */ *p++ = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, e_hi, 0, 2);  /* -> 10 */
    /* 8 */ *p++ = (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS, RT_IP_LO);
    /* 9 */ *p++ = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JGE | BPF_K, e_lo, 1, 0);  /* -> 11 */
    /* 10 */ *p++ = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW);
    return p;
}

/* 0, or -errno (the kernel has no seccomp filters, or refused: another filter of the process
 * forbids seccomp, a test wrapper makes it fail). Idempotent. */
int rt_seccomp_install(void)
{
    static bool installed;
    if (installed)
        return 0;
    int n = rt_native_range_count();
    if (n <= 0)
        return -ENOENT;
    struct sock_filter *prog = calloc((size_t)n * 11 + 1, sizeof *prog);
    if (!prog)
        return -ENOMEM;
    struct sock_filter *p = prog;
    for (int i = 0; i < n; i++) {
        uintptr_t start, end;
        rt_native_range(i, &start, &end);
        p = rt_seccomp_range(p, start, end);
    }
    *p++ = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_TRAP);
    struct sock_fprog fprog = {.len = (unsigned short)(p - prog), .filter = prog};
    int r = 0;
    if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0)
        r = -errno;
    else {
        /* TSYNC: > 0 is the id of a thread whose own filters forbid the synchronisation */
        long k = syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, SECCOMP_FILTER_FLAG_TSYNC, &fprog);
        r = k < 0 ? -errno : k > 0 ? -EBUSY : 0;
    }
    free(prog);
    if (r == 0)
        installed = true;
    return r;
}
