/* SPDX-License-Identifier: MIT */
/* Processor topology as a runtime's thread pool and garbage collector ask it (the .NET
 * NativeAOT runtime calls all of these before main): one processor group (group 0) and one
 * NUMA node (node 0) holding every processor of GetSystemInfo.
 *
 *   GetNumaHighestNodeNumber, GetNumaProcessorNode(Ex), GetNumaNodeProcessorMask(Ex),
 *   VirtualAllocExNuma (the node is a preference: the memory is allocated as VirtualAllocEx),
 *   GetLargePageMinimum (2 MiB, x64's large page),
 *   GetCurrentProcessorNumberEx, GetProcessGroupAffinity, Get/SetThreadGroupAffinity,
 *   SetThreadAffinityMask (checked against the process's mask; Linux's scheduler keeps
 *   placing the thread), Get/SetThreadIdealProcessorEx (recorded per thread, not enforced),
 *   GetLogicalProcessorInformation(Ex): a core per processor (no SMT siblings reported), one
 *   package, node 0, group 0, and the caches Linux describes in
 *   /sys/devices/system/cpu/cpu0/cache (else the processor's CPUID cache leaf), one record per
 *   group of processors sharing a cache. */
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "thunks/kernel32/kernel32_private.h"

#define K32N_ERROR_INVALID_FUNCTION 1
#define K32N_ERROR_INVALID_PARAMETER 87
#define K32N_ERROR_INSUFFICIENT_BUFFER 122
#define K32N_NUMA_NO_PREFERRED_NODE 0xffffffffu

DWORD WINAPI GetThreadId(HANDLE thread);
BOOL WINAPI GetProcessAffinityMask(HANDLE process, ULONG_PTR *proc_mask, ULONG_PTR *sys_mask);
void *WINAPI VirtualAllocEx(HANDLE process, void *addr, SIZE_T size, DWORD type, DWORD protect);

typedef struct {
    uint16_t Group;
    uint8_t Number;
    uint8_t Reserved;
} k32n_processor_number;
_Static_assert(sizeof(k32n_processor_number) == 4, "PROCESSOR_NUMBER");

typedef struct {
    ULONG_PTR Mask;
    uint16_t Group;
    uint16_t Reserved[3];
} k32n_group_affinity;
_Static_assert(sizeof(k32n_group_affinity) == 16, "GROUP_AFFINITY");

static DWORD k32n_cpus(void)
{
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n < 1 ? 1 : n > 64 ? 64 : (DWORD)n;
}

static ULONG_PTR k32n_all_mask(void)
{
    DWORD n = k32n_cpus();
    return n >= 64 ? ~(ULONG_PTR)0 : ((ULONG_PTR)1 << n) - 1;
}

static BOOL k32n_fail(DWORD error)
{
    SetLastError(error);
    return FALSE;
}

/* ---- NUMA ---- */

BOOL WINAPI GetNumaHighestNodeNumber(ULONG *highest)
{
    if (!highest)
        return k32n_fail(K32N_ERROR_INVALID_PARAMETER);
    *highest = 0;
    return TRUE;
}
THK_EXPORT(kernel32, GetNumaHighestNodeNumber, 1);

BOOL WINAPI GetNumaProcessorNodeEx(const k32n_processor_number *proc, uint16_t *node)
{
    if (!proc || !node)
        return k32n_fail(K32N_ERROR_INVALID_PARAMETER);
    if (proc->Group != 0 || proc->Number >= k32n_cpus()) {
        *node = 0xffff;
        return k32n_fail(K32N_ERROR_INVALID_PARAMETER);
    }
    *node = 0;
    return TRUE;
}
THK_EXPORT(kernel32, GetNumaProcessorNodeEx, 2);

BOOL WINAPI GetNumaProcessorNode(uint8_t proc, uint8_t *node)
{
    if (!node)
        return k32n_fail(K32N_ERROR_INVALID_PARAMETER);
    if (proc >= k32n_cpus()) {
        *node = 0xff;
        return k32n_fail(K32N_ERROR_INVALID_PARAMETER);
    }
    *node = 0;
    return TRUE;
}
THK_EXPORT(kernel32, GetNumaProcessorNode, 2);

BOOL WINAPI GetNumaNodeProcessorMaskEx(uint16_t node, k32n_group_affinity *out)
{
    if (!out)
        return k32n_fail(K32N_ERROR_INVALID_PARAMETER);
    if (node != 0)
        return k32n_fail(K32N_ERROR_INVALID_PARAMETER);
    memset(out, 0, sizeof *out);
    out->Mask = k32n_all_mask();
    return TRUE;
}
THK_EXPORT(kernel32, GetNumaNodeProcessorMaskEx, 2);

BOOL WINAPI GetNumaNodeProcessorMask(uint8_t node, uint64_t *mask)
{
    if (!mask)
        return k32n_fail(K32N_ERROR_INVALID_PARAMETER);
    if (node != 0)
        return k32n_fail(K32N_ERROR_INVALID_PARAMETER);
    *mask = k32n_all_mask();
    return TRUE;
}
THK_EXPORT(kernel32, GetNumaNodeProcessorMask, 2);

void *WINAPI VirtualAllocExNuma(HANDLE process, void *addr, SIZE_T size, DWORD type,
                                DWORD protect, DWORD node)
{
    if (node != K32N_NUMA_NO_PREFERRED_NODE && node != 0) {
        SetLastError(K32N_ERROR_INVALID_PARAMETER);
        return NULL;
    }
    return VirtualAllocEx(process, addr, size, type, protect);
}
THK_EXPORT(kernel32, VirtualAllocExNuma, 6);

SIZE_T WINAPI GetLargePageMinimum(void)
{
    return (SIZE_T)2 << 20;
}
THK_EXPORT(kernel32, GetLargePageMinimum, 0);

/* ---- groups and affinity ---- */

void WINAPI GetCurrentProcessorNumberEx(k32n_processor_number *out)
{
    int cpu = sched_getcpu();
    out->Group = 0;
    out->Number = (uint8_t)(cpu < 0 ? 0 : cpu);
    out->Reserved = 0;
}
THK_EXPORT(kernel32, GetCurrentProcessorNumberEx, 1);

BOOL WINAPI GetProcessGroupAffinity(HANDLE process, uint16_t *count, uint16_t *groups)
{
    ULONG_PTR pm, sm;
    if (!count)
        return k32n_fail(K32N_ERROR_INVALID_PARAMETER);
    if (!GetProcessAffinityMask(process, &pm, &sm)) /* checks the handle */
        return FALSE;
    if (*count < 1 || !groups) {
        *count = 1;
        return k32n_fail(K32N_ERROR_INSUFFICIENT_BUFFER);
    }
    *count = 1;
    groups[0] = 0;
    return TRUE;
}
THK_EXPORT(kernel32, GetProcessGroupAffinity, 3);

/* ---- per-thread settings: the ideal processor and affinity mask a thread was given, recorded
 * by thread id and handed back by the Get functions and as the previous value (ntemu accepts
 * and ignores them; Linux's scheduler decides). Windows' default ideal processor is assigned by
 * its scheduler, here processor 0; the default mask is the process's. ---- */
#define K32N_IDEAL_SLOTS 64
static struct {
    DWORD tid;
    uint8_t number;
    ULONG_PTR mask; /* 0: never set */
} k32n_ideal[K32N_IDEAL_SLOTS];
static pthread_mutex_t k32n_ideal_lock = PTHREAD_MUTEX_INITIALIZER;

static int k32n_ideal_find(DWORD tid, bool add)
{
    int free_slot = -1;
    for (int i = 0; i < K32N_IDEAL_SLOTS; i++) {
        if (k32n_ideal[i].tid == tid)
            return i;
        if (!k32n_ideal[i].tid && free_slot < 0)
            free_slot = i;
    }
    if (!add)
        return -1;
    if (free_slot < 0) /* full: reuse the slot the thread id hashes to */
        free_slot = (int)(tid % K32N_IDEAL_SLOTS);
    k32n_ideal[free_slot].tid = tid;
    k32n_ideal[free_slot].number = 0;
    k32n_ideal[free_slot].mask = 0;
    return free_slot;
}

/* The thread's affinity mask: the one it was given, else ThreadBasicInformation's. */
typedef struct {
    NTSTATUS ExitStatus;
    uint32_t pad;
    void *TebBaseAddress;
    HANDLE UniqueProcess, UniqueThread;
    ULONG_PTR AffinityMask;
    int32_t Priority, BasePriority;
} k32n_thread_basic_info;
_Static_assert(sizeof(k32n_thread_basic_info) == 0x30, "THREAD_BASIC_INFORMATION");

static BOOL k32n_thread_mask(HANDLE thread, ULONG_PTR *mask)
{
    k32n_thread_basic_info tbi;
    NTSTATUS st = NtQueryInformationThread(thread, 0, &tbi, sizeof tbi, NULL);
    if (!NT_SUCCESS(st)) {
        thk_set_last_status(st);
        return FALSE;
    }
    *mask = tbi.AffinityMask;
    pthread_mutex_lock(&k32n_ideal_lock);
    int i = k32n_ideal_find((DWORD)(uintptr_t)tbi.UniqueThread, false);
    if (i >= 0 && k32n_ideal[i].mask)
        *mask = k32n_ideal[i].mask;
    pthread_mutex_unlock(&k32n_ideal_lock);
    return TRUE;
}

static BOOL k32n_set_thread_mask(HANDLE thread, ULONG_PTR mask)
{
    ULONG_PTR pm, sm;
    if (!GetProcessAffinityMask((HANDLE)(intptr_t)-1, &pm, &sm))
        return FALSE;
    if (!mask || (mask & ~pm))
        return k32n_fail(K32N_ERROR_INVALID_PARAMETER);
    NTSTATUS st = NtSetInformationThread(thread, 4 /* ThreadAffinityMask */, &mask, sizeof mask);
    if (!NT_SUCCESS(st)) {
        thk_set_last_status(st);
        return FALSE;
    }
    DWORD tid = GetThreadId(thread);
    if (tid) {
        pthread_mutex_lock(&k32n_ideal_lock);
        k32n_ideal[k32n_ideal_find(tid, true)].mask = mask;
        pthread_mutex_unlock(&k32n_ideal_lock);
    }
    return TRUE;
}

ULONG_PTR WINAPI SetThreadAffinityMask(HANDLE thread, ULONG_PTR mask)
{
    ULONG_PTR old;
    if (!k32n_thread_mask(thread, &old) || !k32n_set_thread_mask(thread, mask))
        return 0;
    return old;
}
THK_EXPORT(kernel32, SetThreadAffinityMask, 2);

BOOL WINAPI GetThreadGroupAffinity(HANDLE thread, k32n_group_affinity *out)
{
    ULONG_PTR mask;
    if (!out)
        return k32n_fail(K32N_ERROR_INVALID_PARAMETER);
    if (!k32n_thread_mask(thread, &mask))
        return FALSE;
    memset(out, 0, sizeof *out);
    out->Mask = mask;
    return TRUE;
}
THK_EXPORT(kernel32, GetThreadGroupAffinity, 2);

BOOL WINAPI SetThreadGroupAffinity(HANDLE thread, const k32n_group_affinity *ga,
                                   k32n_group_affinity *prev)
{
    ULONG_PTR old;
    if (!ga || ga->Group != 0 || ga->Reserved[0] || ga->Reserved[1] || ga->Reserved[2])
        return k32n_fail(K32N_ERROR_INVALID_PARAMETER);
    if (!k32n_thread_mask(thread, &old) || !k32n_set_thread_mask(thread, ga->Mask))
        return FALSE;
    if (prev) {
        memset(prev, 0, sizeof *prev);
        prev->Mask = old;
    }
    return TRUE;
}
THK_EXPORT(kernel32, SetThreadGroupAffinity, 3);

BOOL WINAPI GetThreadIdealProcessorEx(HANDLE thread, k32n_processor_number *out)
{
    if (!out)
        return k32n_fail(K32N_ERROR_INVALID_PARAMETER);
    DWORD tid = GetThreadId(thread);
    if (!tid)
        return FALSE;
    pthread_mutex_lock(&k32n_ideal_lock);
    int i = k32n_ideal_find(tid, false);
    out->Group = 0;
    out->Number = i < 0 ? 0 : k32n_ideal[i].number;
    out->Reserved = 0;
    pthread_mutex_unlock(&k32n_ideal_lock);
    return TRUE;
}
THK_EXPORT(kernel32, GetThreadIdealProcessorEx, 2);

BOOL WINAPI SetThreadIdealProcessorEx(HANDLE thread, const k32n_processor_number *ideal,
                                      k32n_processor_number *prev)
{
    if (!ideal || ideal->Group != 0 || ideal->Number >= k32n_cpus())
        return k32n_fail(K32N_ERROR_INVALID_PARAMETER);
    DWORD tid = GetThreadId(thread);
    if (!tid)
        return FALSE;
    pthread_mutex_lock(&k32n_ideal_lock);
    int i = k32n_ideal_find(tid, true);
    if (prev) {
        prev->Group = 0;
        prev->Number = k32n_ideal[i].number;
        prev->Reserved = 0;
    }
    k32n_ideal[i].number = ideal->Number;
    pthread_mutex_unlock(&k32n_ideal_lock);
    return TRUE;
}
THK_EXPORT(kernel32, SetThreadIdealProcessorEx, 3);

/* SetThreadIdealProcessor(thread, n): the previous ideal processor, or (DWORD)-1 on error;
 * MAXIMUM_PROCESSORS (64) only asks. */
DWORD WINAPI SetThreadIdealProcessor(HANDLE thread, DWORD number)
{
    k32n_processor_number cur;
    if (!GetThreadIdealProcessorEx(thread, &cur))
        return (DWORD)-1;
    if (number == 64)
        return cur.Number;
    k32n_processor_number want = {0, (uint8_t)number, 0};
    if (number >= k32n_cpus()) {
        SetLastError(K32N_ERROR_INVALID_PARAMETER);
        return (DWORD)-1;
    }
    if (!SetThreadIdealProcessorEx(thread, &want, &cur))
        return (DWORD)-1;
    return cur.Number;
}
THK_EXPORT(kernel32, SetThreadIdealProcessor, 2);

/* ---- GetLogicalProcessorInformation(Ex) ---- */

enum {
    K32N_RelationProcessorCore = 0,
    K32N_RelationNumaNode = 1,
    K32N_RelationCache = 2,
    K32N_RelationProcessorPackage = 3,
    K32N_RelationGroup = 4,
    K32N_RelationAll = 0xffff,
};
enum { K32N_CacheUnified = 0, K32N_CacheInstruction = 1, K32N_CacheData = 2 };

typedef struct {
    uint8_t level, assoc;
    uint16_t line;
    uint32_t size;
    uint32_t type;
    ULONG_PTR mask; /* processors sharing it */
} k32n_cache;

#define K32N_MAX_CACHES 256

/* Reads "0-3,6" style lists. */
static ULONG_PTR k32n_parse_cpu_list(const char *s)
{
    ULONG_PTR m = 0;
    while (*s >= '0' && *s <= '9') {
        char *end;
        unsigned long a = strtoul(s, &end, 10), b = a;
        if (*end == '-')
            b = strtoul(end + 1, &end, 10);
        for (unsigned long i = a; i <= b && i < 64; i++)
            m |= (ULONG_PTR)1 << i;
        s = *end == ',' ? end + 1 : end;
    }
    return m;
}

static bool k32n_read_sys(const char *path, char *buf, size_t size)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return false;
    ssize_t n = read(fd, buf, size - 1);
    close(fd);
    if (n <= 0)
        return false;
    buf[n] = 0;
    return true;
}

/* One cache level of processor 0 as Linux's sysfs describes it (index < 0: no more). */
static bool k32n_cache_sysfs(int idx, k32n_cache *c, int *share)
{
    char path[96], buf[128];
#define K32N_SYS(f) (snprintf(path, sizeof path, "/sys/devices/system/cpu/cpu0/cache/index%d/" f, \
                          idx), k32n_read_sys(path, buf, sizeof buf))
    if (!K32N_SYS("level"))
        return false;
    c->level = (uint8_t)atoi(buf);
    c->type = K32N_CacheUnified;
    if (K32N_SYS("type"))
        c->type = !strncmp(buf, "Data", 4) ? K32N_CacheData
                  : !strncmp(buf, "Instruction", 11) ? K32N_CacheInstruction
                                                      : K32N_CacheUnified;
    if (K32N_SYS("size")) {
        char *end;
        unsigned long v = strtoul(buf, &end, 10);
        c->size = (uint32_t)(*end == 'K' ? v << 10 : *end == 'M' ? v << 20 : v);
    }
    if (K32N_SYS("coherency_line_size"))
        c->line = (uint16_t)atoi(buf);
    if (K32N_SYS("ways_of_associativity"))
        c->assoc = (uint8_t)atoi(buf);
    *share = K32N_SYS("shared_cpu_list") ? __builtin_popcountll(k32n_parse_cpu_list(buf)) : 1;
#undef K32N_SYS
    return true;
}

/* AMD's CPUID 0x80000005 (L1 data, L1 instruction) and 0x80000006 (L2, L3) for index 0..3:
 * L1 and L2 belong to one processor, L3 to all of them. */
static bool k32n_cache_amd_legacy(int idx, k32n_cache *c, int *share)
{
    static const uint8_t ways[16] = {0, 1, 2, 3, 4, 6, 8, 0, 16, 0, 32, 48, 64, 96, 128, 0xff};
    unsigned a, b, cx, d;
    if (idx > 3)
        return false;
    __asm__ volatile("cpuid" : "=a"(a), "=b"(b), "=c"(cx), "=d"(d)
                     : "a"(idx < 2 ? 0x80000005u : 0x80000006u), "c"(0));
    unsigned r = idx == 1 || idx == 3 ? d : cx;
    c->line = (uint16_t)(r & 0xff);
    *share = 1;
    if (idx < 2) {
        c->level = 1;
        c->type = idx == 0 ? K32N_CacheData : K32N_CacheInstruction;
        c->size = (r >> 24) << 10;
        c->assoc = (uint8_t)((r >> 16) & 0xff);
    } else {
        c->level = (uint8_t)(idx == 2 ? 2 : 3);
        c->type = K32N_CacheUnified;
        c->size = idx == 2 ? (r >> 16) << 10 : (r >> 18) << 19;
        c->assoc = ways[(r >> 12) & 15];
        if (idx == 3)
            *share = 64;
    }
    return c->size != 0 && c->line != 0;
}

/* The same from the processor's deterministic cache parameters: CPUID leaf 4 (Intel) or
 * 0x8000001d (AMD), for when sysfs has no cache folder (containers). */
static bool k32n_cache_cpuid(int idx, k32n_cache *c, int *share)
{
    unsigned a, b, cx, d, leaf;
    __asm__ volatile("cpuid" : "=a"(a), "=b"(b), "=c"(cx), "=d"(d) : "a"(0), "c"(0));
    bool amd = b == 0x68747541; /* "Auth"enticAMD */
    if (amd) {
        __asm__ volatile("cpuid" : "=a"(a), "=b"(b), "=c"(cx), "=d"(d) : "a"(0x80000000u), "c"(0));
        if (a < 0x8000001du)
            return false;
        __asm__ volatile("cpuid" : "=a"(a), "=b"(b), "=c"(cx), "=d"(d) : "a"(0x80000001u), "c"(0));
        if (!(cx & (1u << 22))) /* no TopologyExtensions: the older L1/L2/L3 leaves */
            return k32n_cache_amd_legacy(idx, c, share);
        leaf = 0x8000001du;
    } else {
        if (a < 4)
            return false;
        leaf = 4;
    }
    __asm__ volatile("cpuid" : "=a"(a), "=b"(b), "=c"(cx), "=d"(d) : "a"(leaf), "c"(idx));
    unsigned type = a & 31;
    if (type == 0 || type > 3)
        return false;
    c->type = type == 1 ? K32N_CacheData : type == 2 ? K32N_CacheInstruction : K32N_CacheUnified;
    c->level = (uint8_t)((a >> 5) & 7);
    c->line = (uint16_t)((b & 0xfff) + 1);
    c->assoc = (uint8_t)((b >> 22) + 1);
    c->size = ((b >> 22) + 1) * (((b >> 12) & 0x3ff) + 1) * ((b & 0xfff) + 1) * (cx + 1);
    *share = (int)((a >> 14) & 0xfff) + 1;
    return true;
}

/* Each cache level of processor 0, repeated for each group of processors sharing one (Windows
 * lists every cache instance). */
static int k32n_caches(k32n_cache *out)
{
    int n = 0, ncpu = (int)k32n_cpus();
    bool sysfs = true;
    for (int idx = 0; idx < 16; idx++) {
        k32n_cache c = {0};
        int share = 1;
        if (sysfs && !k32n_cache_sysfs(idx, &c, &share)) {
            if (idx > 0)
                break;
            sysfs = false;
        }
        if (!sysfs && !k32n_cache_cpuid(idx, &c, &share))
            break;
        if (share < 1)
            share = 1;
        if (share > ncpu)
            share = ncpu;
        for (int first = 0; first < ncpu && n < K32N_MAX_CACHES; first += share) {
            int count = ncpu - first < share ? ncpu - first : share;
            c.mask = (count >= 64 ? ~(ULONG_PTR)0 : (((ULONG_PTR)1 << count) - 1)) << first;
            out[n++] = c;
        }
    }
    return n;
}

/* SYSTEM_LOGICAL_PROCESSOR_INFORMATION: 32 bytes. */
typedef struct {
    ULONG_PTR ProcessorMask;
    uint32_t Relationship;
    uint32_t pad;
    union {
        struct {
            uint8_t Flags;
        } ProcessorCore;
        struct {
            uint32_t NodeNumber;
        } NumaNode;
        struct {
            uint8_t Level, Associativity;
            uint16_t LineSize;
            uint32_t Size;
            uint32_t Type;
        } Cache;
        uint64_t Reserved[2];
    } u;
} k32n_slpi;
_Static_assert(sizeof(k32n_slpi) == 32, "SYSTEM_LOGICAL_PROCESSOR_INFORMATION");

BOOL WINAPI GetLogicalProcessorInformation(k32n_slpi *buf, DWORD *len)
{
    if (!len)
        return k32n_fail(K32N_ERROR_INVALID_PARAMETER);
    k32n_cache caches[K32N_MAX_CACHES];
    int ncache = k32n_caches(caches);
    DWORD ncpu = k32n_cpus();
    DWORD count = ncpu + 2 + (DWORD)ncache; /* cores, package, node, caches */
    DWORD need = count * (DWORD)sizeof(k32n_slpi);
    if (*len < need || !buf) {
        *len = need;
        return k32n_fail(K32N_ERROR_INSUFFICIENT_BUFFER);
    }
    k32n_slpi *p = buf;
    memset(buf, 0, need);
    for (DWORD i = 0; i < ncpu; i++, p++) {
        p->ProcessorMask = (ULONG_PTR)1 << i;
        p->Relationship = K32N_RelationProcessorCore;
    }
    p->ProcessorMask = k32n_all_mask();
    p->Relationship = K32N_RelationProcessorPackage;
    p++;
    p->ProcessorMask = k32n_all_mask();
    p->Relationship = K32N_RelationNumaNode;
    p++;
    for (int i = 0; i < ncache; i++, p++) {
        p->ProcessorMask = caches[i].mask;
        p->Relationship = K32N_RelationCache;
        p->u.Cache.Level = caches[i].level;
        p->u.Cache.Associativity = caches[i].assoc;
        p->u.Cache.LineSize = caches[i].line;
        p->u.Cache.Size = caches[i].size;
        p->u.Cache.Type = caches[i].type;
    }
    *len = need;
    return TRUE;
}
THK_EXPORT(kernel32, GetLogicalProcessorInformation, 2);

/* SYSTEM_LOGICAL_PROCESSOR_INFORMATION_EX records (Relationship, Size, then one of):
 *   PROCESSOR_RELATIONSHIP {Flags, EfficiencyClass, Reserved[20], GroupCount, GroupMask[1]}
 *   NUMA_NODE_RELATIONSHIP {NodeNumber, Reserved[18], GroupCount, GroupMask}
 *   CACHE_RELATIONSHIP {Level, Associativity, LineSize, CacheSize, Type, Reserved[18],
 *                       GroupCount, GroupMask}
 *   GROUP_RELATIONSHIP {MaximumGroupCount, ActiveGroupCount, Reserved[20],
 *                       PROCESSOR_GROUP_INFO {MaximumProcessorCount, ActiveProcessorCount,
 *                                             Reserved[38], ActiveProcessorMask}} */
#define K32N_EX_PROC 0x30  /* 8 + sizeof(PROCESSOR_RELATIONSHIP) */
#define K32N_EX_NODE 0x30  /* 8 + sizeof(NUMA_NODE_RELATIONSHIP) */
#define K32N_EX_CACHE 0x38 /* 8 + sizeof(CACHE_RELATIONSHIP) */
#define K32N_EX_GROUP 0x50 /* 8 + sizeof(GROUP_RELATIONSHIP) */

static void k32n_put16(uint8_t *p, uint16_t v) { memcpy(p, &v, 2); }
static void k32n_put32(uint8_t *p, uint32_t v) { memcpy(p, &v, 4); }
static void k32n_put64(uint8_t *p, uint64_t v) { memcpy(p, &v, 8); }

static size_t k32n_ex_record(uint8_t *p, int rel, ULONG_PTR mask, const k32n_cache *c)
{
    size_t size = rel == K32N_RelationNumaNode ? K32N_EX_NODE
                  : rel == K32N_RelationCache ? K32N_EX_CACHE
                  : rel == K32N_RelationGroup ? K32N_EX_GROUP
                                              : K32N_EX_PROC;
    if (!p)
        return size;
    memset(p, 0, size);
    k32n_put32(p, (uint32_t)rel);
    k32n_put32(p + 4, (uint32_t)size);
    uint8_t *u = p + 8;
    switch (rel) {
    case K32N_RelationProcessorCore:
    case K32N_RelationProcessorPackage:
        k32n_put16(u + 22, 1);       /* GroupCount */
        k32n_put64(u + 24, mask);    /* GroupMask[0].Mask; .Group 0 */
        break;
    case K32N_RelationNumaNode:
        k32n_put16(u + 22, 1);       /* NodeNumber 0, GroupCount */
        k32n_put64(u + 24, mask);
        break;
    case K32N_RelationCache:
        u[0] = c->level;
        u[1] = c->assoc;
        k32n_put16(u + 2, c->line);
        k32n_put32(u + 4, c->size);
        k32n_put32(u + 8, c->type);
        k32n_put16(u + 30, 1);       /* GroupCount */
        k32n_put64(u + 32, mask);
        break;
    case K32N_RelationGroup:
        k32n_put16(u, 1);            /* MaximumGroupCount */
        k32n_put16(u + 2, 1);        /* ActiveGroupCount */
        u[24] = (uint8_t)k32n_cpus(); /* MaximumProcessorCount */
        u[25] = (uint8_t)k32n_cpus(); /* ActiveProcessorCount */
        k32n_put64(u + 64, mask);    /* ActiveProcessorMask */
        break;
    default: break;
    }
    return size;
}

/* Writes (or, p NULL, sizes) the records of `rel`. */
static size_t k32n_ex_all(uint8_t *p, int rel)
{
    size_t total = 0;
    DWORD ncpu = k32n_cpus();
    if (rel == K32N_RelationProcessorCore || rel == K32N_RelationAll)
        for (DWORD i = 0; i < ncpu; i++)
            total += k32n_ex_record(p ? p + total : NULL, K32N_RelationProcessorCore,
                                    (ULONG_PTR)1 << i, NULL);
    if (rel == K32N_RelationNumaNode || rel == K32N_RelationAll)
        total += k32n_ex_record(p ? p + total : NULL, K32N_RelationNumaNode, k32n_all_mask(),
                                NULL);
    if (rel == K32N_RelationCache || rel == K32N_RelationAll) {
        k32n_cache caches[K32N_MAX_CACHES];
        int n = k32n_caches(caches);
        for (int i = 0; i < n; i++)
            total += k32n_ex_record(p ? p + total : NULL, K32N_RelationCache, caches[i].mask,
                                    &caches[i]);
    }
    if (rel == K32N_RelationProcessorPackage || rel == K32N_RelationAll)
        total += k32n_ex_record(p ? p + total : NULL, K32N_RelationProcessorPackage,
                                k32n_all_mask(), NULL);
    if (rel == K32N_RelationGroup || rel == K32N_RelationAll)
        total += k32n_ex_record(p ? p + total : NULL, K32N_RelationGroup, k32n_all_mask(),
                                NULL);
    return total;
}

BOOL WINAPI GetLogicalProcessorInformationEx(DWORD rel, void *buf, DWORD *len)
{
    if (!len)
        return k32n_fail(K32N_ERROR_INVALID_PARAMETER);
    if (rel > K32N_RelationGroup && rel != K32N_RelationAll)
        return k32n_fail(K32N_ERROR_INVALID_PARAMETER);
    size_t need = k32n_ex_all(NULL, (int)rel);
    if (*len < need || !buf) {
        *len = (DWORD)need;
        return k32n_fail(K32N_ERROR_INSUFFICIENT_BUFFER);
    }
    k32n_ex_all(buf, (int)rel);
    *len = (DWORD)need;
    return TRUE;
}
THK_EXPORT(kernel32, GetLogicalProcessorInformationEx, 3);
