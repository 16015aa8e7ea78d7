/* SPDX-License-Identifier: MIT */
/* Extended contexts and the little process-wide services a managed runtime asks for at start-up
 * (the .NET NativeAOT runtime calls each before main):
 *
 *   (the XState context APIs are in thunks/ntdll/context_xstate.c)
 *   QueryUnbiasedInterruptTime: the monotonic clock in 100 ns units (Linux's CLOCK_MONOTONIC
 *   does not count suspend, as the unbiased time does not).
 *   FlushProcessWriteBuffers: a memory barrier on every thread of the process, with Linux's
 *   membarrier(2) (private expedited), else the page-protection change that interrupts every
 *   processor running one of the process's threads.
 *   Create/QueryMemoryResourceNotification: an event that is signalled while available memory
 *   is low (32 MiB per 4 GiB of memory, at most 64 MiB) or high (three times that), as of
 *   /proc/meminfo's MemAvailable when it is created (the event keeps that state; Windows' own
 *   events follow the memory manager). */
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>
#include "thunks/kernel32/kernel32_private.h"
#include "runtime/winexc.h"

#define K32X_ERROR_INVALID_PARAMETER 87
#define K32X_ERROR_INSUFFICIENT_BUFFER 122

#define K32X_CONTEXT_AMD64 0x00100000u
#define K32X_CONTEXT_FLOATING_POINT (K32X_CONTEXT_AMD64 | 0x8u)
#define K32X_CONTEXT_XSTATE (K32X_CONTEXT_AMD64 | 0x40u)
#define K32X_XSTATE_MASK_LEGACY 3u

HANDLE WINAPI CreateEventW(void *sa, BOOL manual, BOOL initial, const WCHAR *name);
DWORD WINAPI WaitForSingleObject(HANDLE h, DWORD ms);

typedef struct {
    int32_t Offset;
    uint32_t Length;
} k32x_chunk;
typedef struct {
    k32x_chunk All, Legacy, XState;
    uint64_t align;
} k32x_context_ex;
_Static_assert(sizeof(k32x_context_ex) == 0x20, "CONTEXT_EX");

#define K32X_CONTEXT_LENGTH ((DWORD)(sizeof(CONTEXT) + sizeof(k32x_context_ex) + 15))

static BOOL k32x_fail(DWORD error)
{
    SetLastError(error);
    return FALSE;
}

/* GetEnabledXStateFeatures, InitializeContext(2), LocateXStateFeature and Get/SetXStateFeaturesMask:
 * thunks/ntdll/context_xstate.c (with the AVX part of contexts). */

/* ---- clocks and barriers ---- */

BOOL WINAPI QueryUnbiasedInterruptTime(uint64_t *out)
{
    struct timespec ts;
    if (!out)
        return k32x_fail(K32X_ERROR_INVALID_PARAMETER);
    clock_gettime(CLOCK_MONOTONIC, &ts);
    *out = (uint64_t)ts.tv_sec * 10000000u + (uint64_t)ts.tv_nsec / 100;
    return TRUE;
}
THK_EXPORT(kernel32, QueryUnbiasedInterruptTime, 1);

#define K32X_MEMBARRIER_CMD_PRIVATE_EXPEDITED (1 << 3)
#define K32X_MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED (1 << 4)

void WINAPI FlushProcessWriteBuffers(void)
{
    static int state; /* 0 unknown, 1 membarrier registered, 2 not available */
    int s = __atomic_load_n(&state, __ATOMIC_ACQUIRE);
    if (s == 0) {
        s = syscall(SYS_membarrier, K32X_MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED, 0, 0) == 0 ? 1
                                                                                               : 2;
        __atomic_store_n(&state, s, __ATOMIC_RELEASE);
    }
    if (s == 1 && syscall(SYS_membarrier, K32X_MEMBARRIER_CMD_PRIVATE_EXPEDITED, 0, 0) == 0)
        return;
    /* Changing a touched page's protection makes the kernel interrupt (TLB shoot-down) every
     * processor running a thread of this process: each executes a serialising barrier. */
    static void *page;
    void *p = __atomic_load_n(&page, __ATOMIC_ACQUIRE);
    if (!p) {
        p = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        if (p == MAP_FAILED) {
            __atomic_thread_fence(__ATOMIC_SEQ_CST);
            return;
        }
        void *expected = NULL;
        if (!__atomic_compare_exchange_n(&page, &expected, p, false, __ATOMIC_ACQ_REL,
                                         __ATOMIC_ACQUIRE)) {
            munmap(p, 4096);
            p = expected;
        }
    }
    static int lock;
    while (__atomic_exchange_n(&lock, 1, __ATOMIC_ACQUIRE))
        sched_yield();
    mprotect(p, 4096, PROT_READ | PROT_WRITE);
    __atomic_add_fetch((volatile int *)p, 1, __ATOMIC_SEQ_CST);
    mprotect(p, 4096, PROT_NONE);
    __atomic_store_n(&lock, 0, __ATOMIC_RELEASE);
}
THK_EXPORT(kernel32, FlushProcessWriteBuffers, 0);

/* ---- memory resource notifications ---- */

/* 0: neither low nor high; 1: low; 2: high. */
static int k32x_memory_level(void)
{
    char buf[1024];
    unsigned long long total = 0, avail = 0;
    int fd = open("/proc/meminfo", O_RDONLY | O_CLOEXEC);
    ssize_t n = fd >= 0 ? read(fd, buf, sizeof buf - 1) : -1;
    if (fd >= 0)
        close(fd);
    if (n <= 0)
        return 0;
    buf[n] = 0;
    const char *t = strstr(buf, "MemTotal:"), *a = strstr(buf, "MemAvailable:");
    if (!t || !a || sscanf(t, "MemTotal: %llu", &total) != 1 ||
        sscanf(a, "MemAvailable: %llu", &avail) != 1)
        return 0;
    unsigned long long low = total / (4ull << 20) * (32ull << 10); /* kB */
    if (low > (64ull << 10))
        low = 64ull << 10;
    if (avail < low)
        return 1;
    return avail >= 3 * low ? 2 : 0;
}

HANDLE WINAPI CreateMemoryResourceNotification(DWORD type)
{
    if (type > 1) {
        SetLastError(K32X_ERROR_INVALID_PARAMETER);
        return NULL;
    }
    int level = k32x_memory_level();
    return CreateEventW(NULL, TRUE, level == (type == 0 ? 1 : 2), NULL);
}
THK_EXPORT(kernel32, CreateMemoryResourceNotification, 1);

BOOL WINAPI QueryMemoryResourceNotification(HANDLE h, BOOL *state)
{
    if (!state)
        return k32x_fail(K32X_ERROR_INVALID_PARAMETER);
    DWORD w = WaitForSingleObject(h, 0);
    if (w == (DWORD)-1)
        return FALSE;
    *state = w == 0;
    return TRUE;
}
THK_EXPORT(kernel32, QueryMemoryResourceNotification, 2);
