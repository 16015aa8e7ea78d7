/* SPDX-License-Identifier: MIT */
/* Lazy rewriting of trapped `syscall` sites (issue 12).
 *
 * The first time a `syscall` in foreign code traps, the SIGSYS handler (signal.c) serves it as
 * usual and then offers the site here. When it is safe, the one whole instruction just before
 * the `syscall` (the `mov eax, N` of a Windows stub or of an inline site, or whatever else sets
 * up the call there, if it is at least five bytes long) is replaced by a `jmp` to a per-site
 * trampoline:
 *
 *     <that instruction, relocated>     ; sets eax as before (RIP-relative operands fixed up)
 *     call *rt_sys_fast_entry           ; rt_asm.S: selector ALLOW, NT call, selector BLOCK
 *     jmp  <the byte after the syscall>
 *
 * so later calls reach the NT table with no signal. Windows 10/11's stub shape (`mov r10, rcx;
 * mov eax, N; test byte [0x7ffe0308], 1; jne +3; syscall; ret; int 2e; ret`) has its `mov eax,
 * N` replaced and the test/jne skipped, whichever route first trapped: the `syscall` (SIGSYS,
 * KUSER_SHARED_DATA.SystemCall clear) or the `int 2e` (SIGSEGV, signal.c; ntrun sets SystemCall,
 * so a program's copy of the stub takes that route). Both routes make the same NT call, and the
 * trampoline jumps back to the `ret` after the instruction that trapped. An `int 2e` anywhere
 * else (outside that exact shape) stays on the trap path, counted as kept. Exactly one
 * instruction is replaced by one instruction of the same length, so no instruction boundary
 * moves: a branch into the code around the site lands where it did, and no thread can be
 * stopped inside the patched bytes.
 *
 * The instruction's start is known to be a boundary only from a linear Zydis decode of the
 * function that holds it (its .pdata entry, through the registered finder) or, without unwind
 * data, from the `mov r10, rcx` of a stub right before it. Relative branches, calls, returns and
 * system instructions are never moved. Anything else stays on the trap path ("kept"). Both
 * counts are in the statistics; --no-rewrite (ntrun_config_set_rewrite_syscalls) turns it off
 * for programs that checksum their own code.
 *
 * Stubs go to the import's code (issue 12). When the replaced instruction is the `mov eax, N`
 * of a stub, right after `mov r10, rcx` and with a `ret` right after the trapping instruction
 * (`mov r10, rcx; mov eax, N; syscall; ret`, or Windows 10/11's shape, either route), and ntdll
 * has a fast route for N (the stub finder, thunks/), the trampoline is only
 *
 *     mov  rcx, r10
 *     jmp  *[rip + 0]; .quad <what an import of ntdll!Nt... for N reaches>
 *
 * so the stub becomes a tail call of the very code an import calls, whose own `ret` returns to
 * the stub's caller (the stub's `ret` is skipped): the cost of the import plus two jumps, with
 * neither the generic entry's saves nor a dispatch by number. The register contract: a `syscall`
 * keeps every register but rax, rcx and r11, the ms_abi callee only rbx, rbp, rdi, rsi, r12-r15,
 * xmm6-15 (rdx, r8-r10 and xmm0-5 may change). That is enough here and only here: nothing of the
 * stub runs after its `syscall` but the `ret`, so the only code that could see rdx or xmm0 after
 * the call is the stub's caller, and a stub entered with `mov r10, rcx` (the x64 convention's
 * first argument) and left by `ret` is a function, called as one (as ntdll's own stubs are).
 * The callee finds everything as an import call would leave it: the first argument in rcx (the
 * trampoline copies r10, which the kernel would have read; rcx is the `syscall`'s to clobber),
 * rdx/r8/r9, the stack arguments at rsp + 0x28 and the return address at rsp (nothing between
 * the site and the `ret` moves rsp). An inline site (anything else right before the `mov` or
 * right after the trapping instruction) keeps the generic trampoline below, which keeps those
 * registers. Calls through such a stub are counted as what they now are, import calls
 * (nt_calls_thunk), not as rewritten ones; the site itself is counted as rewritten.
 *
 * Writing: the five bytes are changed with the breakpoint protocol of Linux's text_poke_bp,
 * through /proc/self/mem (the page keeps its protection; a private page is copied on write):
 * int3 on the first byte, the last four, then the `jmp` opcode, with a core-serialising
 * membarrier between steps when the kernel has it. A thread that reaches the int3 meanwhile
 * gets SIGTRAP, and rt_rewrite_trap_fixup sends it to the trampoline. */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <ucontext.h>
#include <unistd.h>
#include <linux/membarrier.h>
#include "runtime/rewrite.h"
#include "runtime/runtime_private.h"
#include "runtime/zydis.h"

/* rt_asm.S */
extern char rt_sys_fast_entry[];

#define RW_SITES 4096             /* table capacity (power of two); kept sites included */
#define RW_SLOT 32                /* bytes per trampoline */
#define RW_PAGE 0x10000           /* trampolines are allocated 64 KiB at a time */
#define RW_REACH 0x7ff00000L      /* what a rel32 may span, with a margin */

enum { RW_EMPTY, RW_KEPT, RW_PATCHING, RW_DONE };

typedef struct rw_site {
    _Atomic uintptr_t after;      /* the address after the `syscall`: the key */
    _Atomic uint8_t state;
    uintptr_t insn;               /* the replaced instruction */
    uintptr_t tramp;              /* its trampoline */
    bool direct;                  /* a stub: the trampoline jumps to the import's code */
} rw_site;

typedef struct rw_pool {
    uintptr_t base;               /* RW_PAGE bytes: [0, 8) the entry's address, then slots */
    size_t used;
} rw_pool;

static rw_site rw_table[RW_SITES];
static rw_pool rw_pools[64];
static int rw_npools;
static bool rw_table_used; /* an entry was claimed since the last reset (under rw_lock) */
static pthread_mutex_t rw_lock = PTHREAD_MUTEX_INITIALIZER;
static _Atomic uint64_t rw_rewritten, rw_kept;
static bool rw_enabled = true;
static int rw_membarrier = -1; /* -1 not probed, 0 unavailable, 1 registered */
static bool (*rw_function_finder)(uintptr_t pc, uintptr_t *begin, uintptr_t *end);
static const void *(*rw_stub_finder)(uint32_t number);

void rt_rewrite_enable(bool on) { rw_enabled = on; }
bool rt_rewrite_enabled(void) { return rw_enabled; }

void rt_rewrite_set_function_finder(bool (*fn)(uintptr_t pc, uintptr_t *begin, uintptr_t *end))
{
    rw_function_finder = fn;
}

void rt_rewrite_set_stub_finder(const void *(*fn)(uint32_t number)) { rw_stub_finder = fn; }

void rt_rewrite_stats(uint64_t *rewritten, uint64_t *kept)
{
    *rewritten = atomic_load_explicit(&rw_rewritten, memory_order_relaxed);
    *kept = atomic_load_explicit(&rw_kept, memory_order_relaxed);
}

/* Fibonacci hashing of the address: sites are a few bytes to megabytes apart. */
static size_t rw_hash(uintptr_t key) { return (size_t)((key * 0x9E3779B97F4A7C15ull) >> 52); }

/* The entry for `after`, or NULL. Async-signal-safe: atomic loads only; entries are never
 * removed while a run lasts. */
static rw_site *rw_find(uintptr_t after)
{
    for (size_t i = rw_hash(after), n = 0; n < RW_SITES; i = (i + 1) & (RW_SITES - 1), n++) {
        uintptr_t k = atomic_load_explicit(&rw_table[i].after, memory_order_acquire);
        if (k == after)
            return &rw_table[i];
        if (!k)
            return NULL;
    }
    return NULL;
}

/* A free entry for `after` (under rw_lock), or NULL when the table is full. */
static rw_site *rw_claim(uintptr_t after)
{
    for (size_t i = rw_hash(after), n = 0; n < RW_SITES; i = (i + 1) & (RW_SITES - 1), n++)
        if (!atomic_load_explicit(&rw_table[i].after, memory_order_relaxed)) {
            rw_table_used = true;
            return &rw_table[i];
        }
    return NULL;
}

static void rw_publish(rw_site *s, uintptr_t after, uint8_t state)
{
    atomic_store_explicit(&s->state, state, memory_order_release);
    atomic_store_explicit(&s->after, after, memory_order_release);
}

static void rw_sync_cores(void)
{
    if (rw_membarrier < 0) {
        long r = rt_raw_syscall6(SYS_membarrier,
                                 MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED_SYNC_CORE, 0, 0, 0, 0,
                                 0);
        rw_membarrier = r == 0;
    }
    if (rw_membarrier > 0)
        rt_raw_syscall6(SYS_membarrier, MEMBARRIER_CMD_PRIVATE_EXPEDITED_SYNC_CORE, 0, 0, 0, 0,
                        0);
}

static bool rw_write(int mem, uintptr_t at, const void *bytes, size_t n)
{
    return pwrite(mem, bytes, n, (off_t)at) == (ssize_t)n;
}

static bool rw_reaches(uintptr_t from, uintptr_t to)
{
    long d = (long)(to - from);
    return d > -RW_REACH && d < RW_REACH;
}

/* A trampoline slot from which both `a` and `b` are in rel32 reach (under rw_lock). */
static uintptr_t rw_slot_near(uintptr_t a, uintptr_t b, int mem)
{
    for (int i = 0; i < rw_npools; i++) {
        rw_pool *p = &rw_pools[i];
        if (p->used + RW_SLOT <= RW_PAGE && rw_reaches(p->base, a) && rw_reaches(p->base, b)) {
            uintptr_t s = p->base + p->used;
            p->used += RW_SLOT;
            return s;
        }
    }
    if (rw_npools == (int)(sizeof rw_pools / sizeof rw_pools[0]))
        return 0;
    /* The nearest free 64 KiB below the site, then above it: one mmap each try. */
    uintptr_t start = a & ~(uintptr_t)(RW_PAGE - 1);
    for (long k = 1; k < 4096; k++) {
        for (int dir = 0; dir < 2; dir++) {
            uintptr_t cand = dir ? start + (uintptr_t)k * RW_PAGE : start - (uintptr_t)k * RW_PAGE;
            if (cand < 0x10000 || cand >= 0x7fffffff0000ull || !rw_reaches(cand, a) ||
                !rw_reaches(cand, b))
                continue;
            void *p = mmap((void *)cand, RW_PAGE, PROT_READ | PROT_EXEC,
                           MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
            if (p == MAP_FAILED)
                continue;
            if ((uintptr_t)p != cand) { /* an old kernel that takes the flag as a hint */
                munmap(p, RW_PAGE);
                continue;
            }
            uint64_t entry = (uint64_t)(uintptr_t)rt_sys_fast_entry;
            if (!rw_write(mem, cand, &entry, 8)) {
                munmap(p, RW_PAGE);
                return 0;
            }
            rw_pools[rw_npools++] = (rw_pool){cand, 2 * RW_SLOT}; /* header, first slot */
            return cand + RW_SLOT;
        }
    }
    return 0;
}

static bool rw_is_mov_r10_rcx(const uint8_t *b)
{
    return (b[0] == 0x4c && b[1] == 0x8b && b[2] == 0xd1) || /* mov r10, rcx (8B /r) */
           (b[0] == 0x49 && b[1] == 0x89 && b[2] == 0xca);   /* mov r10, rcx (89 /r) */
}

/* Decodes one instruction at `ip` (bytes copied already); false if it does not decode. */
static bool rw_decode(const rt_zydis_api *z, ZydisDecoder *dec, const uint8_t *bytes, size_t n,
                      ZydisDecodedInstruction *in, ZydisDecodedOperand *ops)
{
    return ZYAN_SUCCESS(z->DecoderDecodeFull(dec, bytes, n, in, ops));
}

/* Does a linear decode from `begin` reach `insn` exactly (instruction boundary)? */
static bool rw_boundary_from(const rt_zydis_api *z, ZydisDecoder *dec, uintptr_t begin,
                             uintptr_t insn)
{
    if (insn < begin || insn - begin > 0x100000)
        return false;
    uintptr_t ip = begin;
    uint8_t buf[ZYDIS_MAX_INSTRUCTION_LENGTH];
    ZydisDecodedInstruction in;
    ZydisDecodedOperand ops[ZYDIS_MAX_OPERAND_COUNT];
    while (ip < insn) {
        size_t n = sizeof buf;
        while (n > 0 && rt_safe_copy(buf, (const void *)ip, n) != 0)
            n--;
        if (!n || !rw_decode(z, dec, buf, n, &in, ops))
            return false;
        ip += in.length;
    }
    return ip == insn;
}

/* Windows 10/11's stub after its `mov eax, N`: test byte [0x7ffe0308], 1; jne +3 */
static const uint8_t rw_win_test[10] = {0xf6, 0x04, 0x25, 0x08, 0x03, 0xfe, 0x7f, 0x01, 0x75, 0x03};

/* The generic trampoline into t: the replaced instruction (RIP-relative operand fixed up),
 * `call *[pool]` (rt_sys_fast_entry, whose address is at the pool's start), `jmp after`. false
 * if a RIP-relative operand is out of the trampoline's reach. */
static bool rw_generic_tramp(uint8_t *t, const uint8_t *ib, size_t ilen,
                             const ZydisDecodedInstruction *in, bool rip_mem, uintptr_t insn,
                             uintptr_t tramp, uintptr_t after)
{
    int32_t d;
    memcpy(t, ib, ilen);
    if (rip_mem) {
        /* A RIP-relative memory operand: same absolute address from the trampoline. */
        uintptr_t target = insn + ilen + (uintptr_t)(int64_t)in->raw.disp.value;
        if (!rw_reaches(tramp + ilen, target))
            return false;
        d = (int32_t)(target - (tramp + ilen));
        memcpy(t + in->raw.disp.offset, &d, 4);
    }
    size_t o = ilen;
    t[o] = 0xff; /* call *[rip + d]: the entry's address at the pool's start */
    t[o + 1] = 0x15;
    uintptr_t pool = tramp & ~(uintptr_t)(RW_PAGE - 1);
    d = (int32_t)(pool - (tramp + o + 6));
    memcpy(t + o + 2, &d, 4);
    o += 6;
    t[o] = 0xe9; /* jmp after */
    d = (int32_t)(after - (tramp + o + 5));
    memcpy(t + o + 1, &d, 4);
    return true;
}

/* Why a site stays on the trap path, for the trace; NULL when it was rewritten. `after` is the
 * address after the trapping instruction: a `syscall`, or with int2e an `int 2e`. */
static const char *rw_try(uintptr_t after, bool int2e, int mem, rw_site *s)
{
    /* Up to 32 bytes before the trap address: fewer at the start of a mapping. pre[] is
     * right-aligned (pre + 32 is the trap address); have = how many bytes were read. */
    uint8_t pre[32];
    size_t have = sizeof pre;
    memset(pre, 0, sizeof pre);
    while (have >= 2 && (after < have ||
                         rt_safe_copy(pre + sizeof pre - have, (const void *)(after - have),
                                      have) != 0))
        have--;
    if (have < 2)
        return "the code before it cannot be read";
    const uint8_t *sc = pre + sizeof pre - 2;
    if (int2e ? sc[0] != 0xcd || sc[1] != 0x2e : sc[0] != 0x0f || sc[1] != 0x05)
        return int2e ? "no int 2e instruction before the trap address"
                     : "no syscall instruction before the trap address";
    const rt_zydis_api *z = rt_zydis();
    ZydisDecoder dec;
    if (!z || !ZYAN_SUCCESS(z->DecoderInit(&dec, ZYDIS_MACHINE_MODE_LONG_64, ZYDIS_STACK_WIDTH_64)))
        return "Zydis is not available";

    ZydisDecodedInstruction in;
    ZydisDecodedOperand ops[ZYDIS_MAX_OPERAND_COUNT];
    uintptr_t sys = after - 2, insn = 0;
    size_t ilen = 0;
    uintptr_t fn_begin = 0, fn_end = 0;
    bool have_fn = rw_function_finder && rw_function_finder(sys, &fn_begin, &fn_end) &&
                   fn_begin <= sys && sys < fn_end;

    /* Windows 10/11's stub: mov eax, N; test byte [0x7ffe0308], 1; jne +3; syscall; ret;
     * int 2e. From its `syscall` (sc at offset 18 of the stub) the mov is 15 bytes back; from
     * its `int 2e` (offset 21: the jne's target, after the `syscall; ret`) 18 bytes back. */
    size_t back = int2e ? 18 : 15;
    bool win_stub = have >= back + 2 && memcmp(sc - back + 5, rw_win_test, 10) == 0 &&
                    sc[-back] == 0xb8 &&
                    (!int2e || (sc[-3] == 0x0f && sc[-2] == 0x05 && sc[-1] == 0xc3));
    if (int2e && !win_stub)
        return "an int 2e outside Windows' stub shape";
    if (win_stub) {
        insn = sys - back;
        ilen = 5;
        if (have_fn ? !rw_boundary_from(z, &dec, fn_begin, insn)
                    : have < back + 5 || !rw_is_mov_r10_rcx(sc - back - 3))
            return "the stub's mov eax is not known to start an instruction";
    } else {
        /* The whole instruction that ends at the syscall: each length from 5 to 15 bytes is a
         * candidate; its start must be proven a boundary (a decode from the function's start,
         * or a stub's mov r10, rcx right before it). */
        for (size_t len = 5; len <= 15 && len + 2 <= have && !insn; len++) {
            const uint8_t *b = sc - len;
            if (!rw_decode(z, &dec, b, len, &in, ops) || in.length != len)
                continue;
            if (have_fn ? rw_boundary_from(z, &dec, fn_begin, sys - len)
                        : len + 5 <= have && rw_is_mov_r10_rcx(b - 3)) {
                insn = sys - len;
                ilen = len;
            }
        }
        if (!insn)
            return have_fn ? "no whole instruction of 5 bytes or more right before it"
                           : "no unwind data to find instruction boundaries";
    }
    const uint8_t *ib = sc - (sys - insn);
    if (!rw_decode(z, &dec, ib, ilen, &in, ops) || in.length != ilen)
        return "the instruction before it does not decode";
    switch (in.meta.category) {
    case ZYDIS_CATEGORY_COND_BR:
    case ZYDIS_CATEGORY_UNCOND_BR:
    case ZYDIS_CATEGORY_CALL:
    case ZYDIS_CATEGORY_RET:
    case ZYDIS_CATEGORY_SYSCALL:
    case ZYDIS_CATEGORY_SYSTEM:
    case ZYDIS_CATEGORY_INTERRUPT:
        return "the instruction before it is a branch or a system instruction";
    default:
        break;
    }
    bool rip_mem = false;
    for (int i = 0; i < in.operand_count; i++)
        if (ops[i].type == ZYDIS_OPERAND_TYPE_MEMORY && ops[i].mem.base == ZYDIS_REGISTER_RIP)
            rip_mem = true;
    if ((in.attributes & ZYDIS_ATTRIB_IS_RELATIVE) && !(rip_mem && in.raw.disp.size == 32))
        return "the instruction before it has a relative operand that cannot be moved";
    if (!rt_addr_is_foreign(insn) || !rt_addr_is_foreign(after))
        return "not in foreign code";

    /* A stub (see the header): `mov r10, rcx` right before a `mov eax, N`, a `ret` right after
     * the trapping instruction, and an import target for N. */
    const void *direct = NULL;
    uint8_t ret_byte = 0;
    if (rw_stub_finder && ilen == 5 && ib[0] == 0xb8 && sys - insn + 2 + 3 <= have &&
        rw_is_mov_r10_rcx(ib - 3) && rt_safe_copy(&ret_byte, (const void *)after, 1) == 0 &&
        ret_byte == 0xc3) {
        uint32_t number;
        memcpy(&number, ib + 1, 4);
        direct = rw_stub_finder(number);
    }
    s->direct = direct != NULL;

    /* The trampoline. */
    uintptr_t tramp = rw_slot_near(insn, after, mem);
    if (!tramp)
        return "no memory for a trampoline within 2 GiB";
    uint8_t t[RW_SLOT];
    memset(t, 0xcc, sizeof t);
    int32_t d;
    if (direct) {
        static const uint8_t mov_rcx_r10[3] = {0x4c, 0x89, 0xd1};
        memcpy(t, mov_rcx_r10, 3);
        t[3] = 0xff; /* jmp *[rip + 0]: the address right after */
        t[4] = 0x25;
        memset(t + 5, 0, 4);
        uint64_t target = (uint64_t)(uintptr_t)direct;
        memcpy(t + 9, &target, 8);
    } else if (!rw_generic_tramp(t, ib, ilen, &in, rip_mem, insn, tramp, after)) {
        return "a RIP-relative operand out of reach of the trampoline";
    }
    if (!rw_write(mem, tramp, t, sizeof t))
        return "cannot write the trampoline";

    /* The site: int3, the displacement, the opcode. */
    s->insn = insn;
    s->tramp = tramp;
    rw_publish(s, after, RW_PATCHING);
    uint8_t patch[5] = {0xe9};
    d = (int32_t)(tramp - (insn + 5));
    memcpy(patch + 1, &d, 4);
    static const uint8_t int3 = 0xcc;
    if (!rw_write(mem, insn, &int3, 1))
        return "cannot write the site";
    rw_sync_cores();
    if (!rw_write(mem, insn + 1, patch + 1, 4)) {
        rw_write(mem, insn, ib, 1);
        return "cannot write the site";
    }
    rw_sync_cores();
    rw_write(mem, insn, patch, 1);
    rw_sync_cores();
    atomic_store_explicit(&s->state, RW_DONE, memory_order_release);
    return NULL;
}

/* From the SIGSYS handler (a `syscall`) or the SIGSEGV handler (an `int 2e`), after the call
 * was served, with the selector at ALLOW: rewrites the site if it can. Signal-safety: only
 * reached for a trap of foreign code, which never interrupts native code, so locks and libc are
 * safe here (see signal.c). */
static void rw_site_trapped(uintptr_t after, bool int2e)
{
    if (!rw_enabled || rw_find(after))
        return;
    pthread_mutex_lock(&rw_lock);
    if (rw_find(after)) {
        pthread_mutex_unlock(&rw_lock);
        return;
    }
    rw_site *s = rw_claim(after);
    if (!s) {
        pthread_mutex_unlock(&rw_lock);
        return; /* a full table: this and later new sites keep trapping */
    }
    int mem = open("/proc/self/mem", O_RDWR | O_CLOEXEC);
    const char *why = mem < 0 ? "cannot open /proc/self/mem" : rw_try(after, int2e, mem, s);
    if (mem >= 0)
        close(mem);
    if (why) {
        rw_publish(s, after, RW_KEPT);
        atomic_fetch_add_explicit(&rw_kept, 1, memory_order_relaxed);
    } else {
        atomic_fetch_add_explicit(&rw_rewritten, 1, memory_order_relaxed);
    }
    pthread_mutex_unlock(&rw_lock);
    if (RT_TRACING(RT_TRACE_SUD)) {
        const char *what = int2e ? "int 2e" : "syscall";
        if (why)
            rt_trace("sud", "%s site at %p kept on the trap path: %s", what,
                     (void *)(after - 2), why);
        else
            rt_trace("sud", "%s site at %p rewritten: %p jumps to trampoline %p%s", what,
                     (void *)(after - 2), (void *)s->insn, (void *)s->tramp,
                     s->direct ? ", a stub: to the import's code" : "");
    }
}

void rt_rewrite_site(uintptr_t after) { rw_site_trapped(after, false); }
void rt_rewrite_int2e_site(uintptr_t after) { rw_site_trapped(after, true); }

/* SIGTRAP at an int3 this file put there (a site being rewritten): go to the trampoline, which
 * does what the site does. Async-signal-safe: rw_find only. */
bool rt_rewrite_trap_fixup(void *uctx)
{
    ucontext_t *uc = uctx;
    uintptr_t ip = (uintptr_t)uc->uc_mcontext.gregs[REG_RIP] - 1;
    for (int i = 0; i < RW_SITES; i++) {
        if (atomic_load_explicit(&rw_table[i].state, memory_order_acquire) < RW_PATCHING ||
            rw_table[i].insn != ip)
            continue;
        uc->uc_mcontext.gregs[REG_RIP] = (greg_t)rw_table[i].tramp;
        return true;
    }
    return false;
}

/* Between runs (libntrun): the program's code is gone, so are its sites and trampolines. */
void rt_rewrite_reset(void)
{
    pthread_mutex_lock(&rw_lock);
    for (int i = 0; i < rw_npools; i++)
        munmap((void *)rw_pools[i].base, RW_PAGE);
    rw_npools = 0;
    /* Untouched, the table is 32 pages of zeros that clearing would fault in one by one. */
    if (rw_table_used)
        memset(rw_table, 0, sizeof rw_table);
    rw_table_used = false;
    atomic_store(&rw_rewritten, 0);
    atomic_store(&rw_kept, 0);
    pthread_mutex_unlock(&rw_lock);
}
