/* SPDX-License-Identifier: MIT */
/* Hardware faults in foreign code become Windows exceptions (see exception.h): the fault
 * handler builds the EXCEPTION_RECORD and CONTEXT from the ucontext, places them on the
 * faulting thread's foreign stack and makes rt_sigreturn "return" into rt_exception_entry,
 * which calls the dispatcher registered by thunks/, as the Windows kernel does with
 * KiUserExceptionDispatcher. */
#include <errno.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/ucontext.h>
#include "runtime/zydis.h"
#include "runtime/exception.h"
#include "runtime/xstate.h"
#include "runtime/runtime_private.h"

static rt_exception_dispatch_fn rt_exc_dispatcher;

void rt_set_exception_dispatcher(rt_exception_dispatch_fn fn) { rt_exc_dispatcher = fn; }

extern char rt_exception_entry[]; /* exc_asm.S */

/* Called by rt_exception_entry (exc_asm.S), outside any signal handler. */
__attribute__((noreturn, used)) void rt_exception_call_dispatcher(EXCEPTION_RECORD *rec,
                                                                  CONTEXT *ctx);
void rt_exception_call_dispatcher(EXCEPTION_RECORD *rec, CONTEXT *ctx)
{
    rt_exc_dispatcher(rec, ctx);
    __builtin_trap();
}

/* Instructions that are legal only at CPL 0: #GP in user mode, STATUS_PRIVILEGED_INSTRUCTION
 * on Windows (Linux reports them as SIGSEGV with si_code SI_KERNEL, like any #GP). */
static bool rt_is_privileged_insn(uintptr_t ip)
{
    uint8_t b[3];
    if (rt_safe_copy(b, (const void *)ip, 2) != 0)
        return false;
    switch (b[0]) {
    case 0xf4: case 0xfa: case 0xfb:                 /* hlt, cli, sti */
    case 0xe4: case 0xe5: case 0xe6: case 0xe7:      /* in/out imm8 */
    case 0xec: case 0xed: case 0xee: case 0xef:      /* in/out dx */
    case 0x6c: case 0x6d: case 0x6e: case 0x6f:      /* ins/outs */
        return true;
    case 0x0f:
        switch (b[1]) {
        case 0x06: case 0x08: case 0x09: case 0x20: case 0x21: case 0x22: case 0x23:
        case 0x30: case 0x32: case 0x35: case 0x07: /* clts invd wbinvd mov cr/dr wrmsr rdmsr sysexit sysret */
            return true;
        }
        return false;
    default:
        return false;
    }
}

/* Linux reports every #DE as FPE_INTDIV; Windows tells a zero divisor (INT_DIVIDE_BY_ZERO) from
 * a quotient that does not fit (INT_OVERFLOW: INT_MIN / -1). Decodes the div/idiv at the PC and
 * reads its divisor (register or memory). Zydis decodes into locals; the first use loads it
 * (runtime/zydis.c), which a foreign thread's synchronous #DE can afford. */
static bool rt_div_overflowed(const ucontext_t *uc)
{
    static const int map[16] = {REG_RAX, REG_RCX, REG_RDX, REG_RBX, REG_RSP, REG_RBP,
                                REG_RSI, REG_RDI, REG_R8,  REG_R9,  REG_R10, REG_R11,
                                REG_R12, REG_R13, REG_R14, REG_R15};
    const greg_t *g = uc->uc_mcontext.gregs;
    uintptr_t ip = (uintptr_t)g[REG_RIP];
    uint8_t bytes[ZYDIS_MAX_INSTRUCTION_LENGTH];
    size_t n = sizeof bytes;
    while (n > 0 && rt_safe_copy(bytes, (const void *)ip, n) != 0)
        n--;
    ZydisDecoder dec;
    ZydisDecodedInstruction in;
    ZydisDecodedOperand ops[ZYDIS_MAX_OPERAND_COUNT];
    const rt_zydis_api *z = n ? rt_zydis() : NULL;
    if (!z || !ZYAN_SUCCESS(z->DecoderInit(&dec, ZYDIS_MACHINE_MODE_LONG_64,
                                           ZYDIS_STACK_WIDTH_64)) ||
        !ZYAN_SUCCESS(z->DecoderDecodeFull(&dec, bytes, n, &in, ops)))
        return false;
    if (in.mnemonic != ZYDIS_MNEMONIC_DIV && in.mnemonic != ZYDIS_MNEMONIC_IDIV)
        return false;
    const ZydisDecodedOperand *op = &ops[0];
    uint64_t v = 0;
    if (op->type == ZYDIS_OPERAND_TYPE_REGISTER) {
        ZydisRegister big = z->RegisterGetLargestEnclosing(ZYDIS_MACHINE_MODE_LONG_64,
                                                           op->reg.value);
        if (big < ZYDIS_REGISTER_RAX || big > ZYDIS_REGISTER_R15)
            return false;
        v = (uint64_t)g[map[big - ZYDIS_REGISTER_RAX]];
        if (op->reg.value >= ZYDIS_REGISTER_AH && op->reg.value <= ZYDIS_REGISTER_BH)
            v >>= 8;
    } else if (op->type == ZYDIS_OPERAND_TYPE_MEMORY) {
        ZydisRegisterContext rc;
        memset(&rc, 0, sizeof rc);
        for (int i = 0; i < 16; i++)
            rc.values[ZYDIS_REGISTER_RAX + i] = (ZyanU64)g[map[i]];
        ZyanU64 addr;
        if (!ZYAN_SUCCESS(z->CalcAbsoluteAddressEx(&in, op, ip, &rc, &addr)) ||
            op->size == 0 || op->size > 64 ||
            rt_safe_copy(&v, (const void *)(uintptr_t)addr, op->size / 8) != 0)
            return false;
    } else {
        return false;
    }
    if (op->size < 64)
        v &= (UINT64_C(1) << op->size) - 1;
    return v != 0;
}

uint32_t rt_fault_exception_code(int sig, const siginfo_t *si, const ucontext_t *uc)
{
    uintptr_t ip = (uintptr_t)uc->uc_mcontext.gregs[REG_RIP];
    switch (sig) {
    case SIGSEGV: {
        if (si->si_code == SI_KERNEL && rt_is_privileged_insn(ip))
            return (uint32_t)STATUS_PRIVILEGED_INSTRUCTION;
        uint8_t b[2];
        if (si->si_code == SI_KERNEL && rt_safe_copy(b, (const void *)ip, 2) == 0 &&
            b[0] == 0xcd && b[1] == 0x29)
            return 0xC0000409u; /* int 0x29, __fastfail: STATUS_STACK_BUFFER_OVERRUN */
        /* A touch of the guard region below the thread's stack is a stack overflow, once: an
         * overflow takes the guard (rt_exc_deliverable), and without it the next touch is an
         * access violation in reserved memory, as on Windows. */
        TEB *teb = rt_tls_teb;
        uintptr_t addr = (uintptr_t)si->si_addr;
        const rt_thread *t = teb ? rt_thread_of(teb) : NULL;
        if (t && t->stack_alloc && !t->stack_guard_gone &&
            addr >= (uintptr_t)t->stack_alloc &&
            addr < (uintptr_t)t->stack_alloc + RT_STACK_NOACCESS + RT_STACK_GUARD)
            return (uint32_t)STATUS_STACK_OVERFLOW;
        return (uint32_t)STATUS_ACCESS_VIOLATION;
    }
    case SIGBUS:
        return (uint32_t)STATUS_ACCESS_VIOLATION;
    case SIGILL:
        if (si->si_code == ILL_PRVOPC)
            return (uint32_t)STATUS_PRIVILEGED_INSTRUCTION;
        return (uint32_t)STATUS_ILLEGAL_INSTRUCTION;
    case SIGTRAP:
        return (uint32_t)(si->si_code == TRAP_TRACE ? STATUS_SINGLE_STEP : STATUS_BREAKPOINT);
    case SIGFPE:
        switch (si->si_code) {
        case FPE_INTDIV:
            return (uint32_t)(rt_div_overflowed(uc) ? STATUS_INTEGER_OVERFLOW
                                                    : STATUS_INTEGER_DIVIDE_BY_ZERO);
        case FPE_INTOVF: return (uint32_t)STATUS_INTEGER_OVERFLOW;
        case FPE_FLTDIV: return (uint32_t)STATUS_FLOAT_DIVIDE_BY_ZERO;
        case FPE_FLTOVF: return (uint32_t)STATUS_FLOAT_OVERFLOW;
        case FPE_FLTUND: return (uint32_t)STATUS_FLOAT_UNDERFLOW;
        case FPE_FLTRES: return (uint32_t)STATUS_FLOAT_INEXACT_RESULT;
        case FPE_FLTINV: return (uint32_t)STATUS_FLOAT_INVALID_OPERATION;
        case FPE_FLTSUB: return (uint32_t)STATUS_ARRAY_BOUNDS_EXCEEDED;
        default: return (uint32_t)STATUS_INTEGER_DIVIDE_BY_ZERO;
        }
    default:
        return (uint32_t)STATUS_UNSUCCESSFUL;
    }
}

static struct {
    uintptr_t start, end;
    size_t frame;
    uintptr_t (*at)(const ucontext_t *uc);
} rt_exc_leaves[8];
static int rt_exc_nleaves;
/* The frame Windows' function would have written below the caller's stack pointer, for the
 * fault of a leaf registered with one (rt_exc_register_leaf_frame), until rt_exc_deliverable
 * takes it. */
static __thread size_t rt_exc_leaf_frame;

void rt_exc_register_leaf_at(const void *start, const void *end, size_t frame,
                             uintptr_t (*at)(const ucontext_t *uc))
{
    if (rt_exc_nleaves < 8) {
        rt_exc_leaves[rt_exc_nleaves].start = (uintptr_t)start;
        rt_exc_leaves[rt_exc_nleaves].end = (uintptr_t)end;
        rt_exc_leaves[rt_exc_nleaves].frame = frame;
        rt_exc_leaves[rt_exc_nleaves].at = at;
        __atomic_store_n(&rt_exc_nleaves, rt_exc_nleaves + 1, __ATOMIC_RELEASE);
    }
}

void rt_exc_register_leaf_frame(const void *start, const void *end, size_t frame)
{
    rt_exc_register_leaf_at(start, end, frame, NULL);
}

void rt_exc_register_leaf(const void *start, const void *end)
{
    rt_exc_register_leaf_frame(start, end, 0);
}

/* Async-signal-safe: reads the table and one stack slot with rt_safe_copy. */
bool rt_fault_in_foreign_leaf(ucontext_t *uc)
{
    greg_t *g = uc->uc_mcontext.gregs;
    uintptr_t ip = (uintptr_t)g[REG_RIP];
    int n = __atomic_load_n(&rt_exc_nleaves, __ATOMIC_ACQUIRE);
    for (int i = 0; i < n; i++) {
        if (ip < rt_exc_leaves[i].start || ip >= rt_exc_leaves[i].end)
            continue;
        uint64_t ret;
        if (!rt_tls_teb || rt_safe_copy(&ret, (const void *)(uintptr_t)g[REG_RSP], 8) != 0 ||
            !rt_addr_is_foreign((uintptr_t)ret))
            return false;
        rt_exc_leaf_frame = rt_exc_leaves[i].frame;
        uintptr_t at = rt_exc_leaves[i].at ? rt_exc_leaves[i].at(uc) : 0;
        if (at && rt_addr_is_foreign(at)) {
            /* At the function's first instruction, as a leaf: its return address on the
             * stack (the frame walk unwinds it to the caller) */
            g[REG_RIP] = (greg_t)at;
            return true;
        }
        g[REG_RIP] = (greg_t)ret;
        g[REG_RSP] += 8;
        return true;
    }
    return false;
}

/* The exception frame, as Windows lays out KiUserExceptionDispatcher's: CONTEXT, its
 * CONTEXT_EX, then the EXCEPTION_RECORD (exc_asm.S relies on the 0x4f0 offset); the XSTATE area
 * (the AVX upper halves of a fault in foreign code, CONTEXT_XSTATE) after it; and for a fault
 * inside a built-in the saved native state (above the frame, see rt_fault_to_exception_at). */
typedef struct {
    CONTEXT ctx;              /* 0x000 */
    CONTEXT_EX ex;            /* 0x4d0 */
    EXCEPTION_RECORD rec;     /* 0x4f0 */
    rt_native_fault *native;  /* 0x588 */
    uint64_t xmagic;          /* 0x590: RT_EXC_XMAGIC ^ the frame's address when xs is set */
    struct __attribute__((aligned(64))) {
        XSAVE_AREA_HEADER hdr;
        M128A ymmh[16];
    } xs;                     /* 0x5c0 */
} rt_exc_frame;
_Static_assert(offsetof(rt_exc_frame, ex) == 0x4d0, "CONTEXT_EX right after the CONTEXT");
_Static_assert(offsetof(rt_exc_frame, rec) == 0x4f0, "record after the CONTEXT_EX");
_Static_assert(offsetof(rt_exc_frame, xs) == 0x5c0, "XSTATE area");
#define RT_EXC_XMAGIC 0x7873746174652121ull

/* The AVX part of a fault in foreign code: CONTEXT_XSTATE with the frame's upper halves.
 * Async-signal-safe. */
static void rt_exc_frame_xstate(rt_exc_frame *f, const ucontext_t *uc, uintptr_t at)
{
    const XSTATE_CONFIGURATION *cfg = rt_xstate_config();
    f->ex.All.Offset = f->ex.Legacy.Offset = -(LONG)sizeof(CONTEXT);
    f->ex.Legacy.Length = sizeof(CONTEXT);
    f->ex.All.Length = sizeof(CONTEXT) + sizeof(CONTEXT_EX);
    f->ex.XState.Offset = 25; /* Windows' value without an XSTATE part */
    if (!(cfg->EnabledFeatures & RT_XSTATE_MASK_AVX) || !rt_ymmh_from_ucontext(uc, f->xs.ymmh))
        return;
    bool used = false;
    for (int i = 0; i < 16; i++)
        used |= (f->xs.ymmh[i].Low | (uint64_t)f->xs.ymmh[i].High) != 0;
    f->xs.hdr.Mask = used ? RT_XSTATE_MASK_AVX : 0;
    if (cfg->ControlFlags & RT_XSTATE_COMPACTION)
        f->xs.hdr.CompactionMask = (1ull << 63) | RT_XSTATE_MASK_AVX;
    f->ex.XState.Offset = offsetof(rt_exc_frame, xs) - offsetof(rt_exc_frame, ex);
    f->ex.XState.Length = sizeof f->xs;
    f->ex.All.Length = (DWORD)(offsetof(rt_exc_frame, xs) + sizeof f->xs);
    f->ctx.ContextFlags |= CONTEXT_XSTATE;
    f->xmagic = RT_EXC_XMAGIC ^ at;
}

const M128A *rt_exc_frame_ymmh(const CONTEXT *dispatched)
{
    /* Any CONTEXT may come here, aligned to 16 only: addresses by offset, no access through
     * an rt_exc_frame pointer (its XSTATE area asks for 64-byte alignment). Only a frame's
     * CONTEXT has the magic after it. */
    const char *f = (const char *)dispatched;
    uint64_t magic = 0, mask = 0;
    if (rt_safe_copy(&magic, f + offsetof(rt_exc_frame, xmagic), sizeof magic) != 0 ||
        magic != (RT_EXC_XMAGIC ^ (uintptr_t)f) ||
        (dispatched->ContextFlags & CONTEXT_XSTATE) != CONTEXT_XSTATE)
        return NULL;
    memcpy(&mask, f + offsetof(rt_exc_frame, xs.hdr.Mask), sizeof mask);
    if (!(mask & RT_XSTATE_MASK_AVX))
        return NULL;
    return (const M128A *)(const void *)(f + offsetof(rt_exc_frame, xs.ymmh));
}

#define RT_ALIGN64(n) (((n) + 63) & ~(size_t)63)
/* The largest xsave image kept for a retry (AVX-512 needs 2.7 KiB; AMX, which ntrun never
 * asks the kernel for, would need 11 KiB). */
#define RT_XSTATE_MAX (16 * 1024)

/* The size of the interrupted context's floating-point image: the kernel's xsave frame with
 * its extended size (struct _fpx_sw_bytes at offset 464 of the fxsave area, magic1
 * FP_XSTATE_MAGIC1), else the legacy 512-byte fxsave area; 0 for none (or one too large).
 * Async-signal-safe: reads the signal frame. */
static size_t rt_xstate_size(const ucontext_t *uc)
{
    const uint8_t *fp = (const uint8_t *)uc->uc_mcontext.fpregs;
    uint32_t sw[2];
    if (!fp)
        return 0;
    memcpy(sw, fp + 464, sizeof sw);
    if (sw[0] != 0x46505853u) /* FP_XSTATE_MAGIC1 */
        return 512;
    return sw[1] >= 512 + 64 && sw[1] <= RT_XSTATE_MAX ? sw[1] : 0;
}

/* How far below the signal handler's own frame the exception frame goes: the handler keeps
 * running (and calling memcpy/rt_safe_copy) after writing it, so it must lie below anything
 * those calls touch. The space is given back when the dispatcher resumes the program. */
#define RT_EXC_GAP 8192
/* Room the dispatcher (native code) needs below the frame on the foreign stack. */
#define RT_EXC_DISPATCH_ROOM (64 * 1024)

/* Async-signal-safe: memset/memcpy on local memory, rt_safe_copy, no lock or allocation. */
void rt_context_from_ucontext(CONTEXT *c, const ucontext_t *uc)
{
    const greg_t *g = uc->uc_mcontext.gregs;
    c->ContextFlags = CONTEXT_ALL;
    c->Rax = (DWORD64)g[REG_RAX];
    c->Rcx = (DWORD64)g[REG_RCX];
    c->Rdx = (DWORD64)g[REG_RDX];
    c->Rbx = (DWORD64)g[REG_RBX];
    c->Rsp = (DWORD64)g[REG_RSP];
    c->Rbp = (DWORD64)g[REG_RBP];
    c->Rsi = (DWORD64)g[REG_RSI];
    c->Rdi = (DWORD64)g[REG_RDI];
    c->R8 = (DWORD64)g[REG_R8];
    c->R9 = (DWORD64)g[REG_R9];
    c->R10 = (DWORD64)g[REG_R10];
    c->R11 = (DWORD64)g[REG_R11];
    c->R12 = (DWORD64)g[REG_R12];
    c->R13 = (DWORD64)g[REG_R13];
    c->R14 = (DWORD64)g[REG_R14];
    c->R15 = (DWORD64)g[REG_R15];
    c->Rip = (DWORD64)g[REG_RIP];
    c->EFlags = (DWORD)g[REG_EFL];
    uint64_t csgsfs = (uint64_t)g[REG_CSGSFS];
    c->SegCs = (WORD)csgsfs;
    c->SegGs = (WORD)(csgsfs >> 16);
    c->SegFs = (WORD)(csgsfs >> 32);
    c->SegSs = (WORD)(csgsfs >> 48);
    c->SegDs = c->SegEs = c->SegSs;
    if (uc->uc_mcontext.fpregs) {
        memcpy(&c->FltSave, uc->uc_mcontext.fpregs, sizeof c->FltSave);
        c->MxCsr = c->FltSave.MxCsr;
    } else {
        c->MxCsr = c->FltSave.MxCsr = 0x1f80;
        c->FltSave.ControlWord = 0x27f;
    }
}

void rt_context_merge(CONTEXT *dst, const CONTEXT *c, uint32_t flags)
{
    if (flags & CONTEXT_CONTROL & ~CONTEXT_AMD64) {
        dst->Rsp = c->Rsp;
        dst->Rip = c->Rip;
        /* The arithmetic, direction and trap flags; never IOPL or other system bits. */
        dst->EFlags = (dst->EFlags & ~RT_EFLAGS_USER) | (c->EFlags & RT_EFLAGS_USER);
    }
    if (flags & CONTEXT_INTEGER & ~CONTEXT_AMD64) {
        dst->Rax = c->Rax, dst->Rcx = c->Rcx, dst->Rdx = c->Rdx, dst->Rbx = c->Rbx;
        dst->Rbp = c->Rbp, dst->Rsi = c->Rsi, dst->Rdi = c->Rdi;
        dst->R8 = c->R8, dst->R9 = c->R9, dst->R10 = c->R10, dst->R11 = c->R11;
        dst->R12 = c->R12, dst->R13 = c->R13, dst->R14 = c->R14, dst->R15 = c->R15;
    }
    if (flags & CONTEXT_FLOATING_POINT & ~CONTEXT_AMD64) {
        memcpy(&dst->FltSave, &c->FltSave, sizeof dst->FltSave);
        dst->MxCsr = dst->FltSave.MxCsr = c->MxCsr & 0xffff;
    }
}

void rt_context_to_ucontext(ucontext_t *uc, const CONTEXT *c, uint32_t flags)
{
    CONTEXT cur;
    rt_context_from_ucontext(&cur, uc);
    rt_context_merge(&cur, c, flags);
    greg_t *g = uc->uc_mcontext.gregs;
    g[REG_RSP] = (greg_t)cur.Rsp;
    g[REG_RIP] = (greg_t)cur.Rip;
    g[REG_EFL] = (greg_t)(((uint64_t)g[REG_EFL] & ~(uint64_t)RT_EFLAGS_USER) |
                          (cur.EFlags & RT_EFLAGS_USER));
    g[REG_RAX] = (greg_t)cur.Rax;
    g[REG_RCX] = (greg_t)cur.Rcx;
    g[REG_RDX] = (greg_t)cur.Rdx;
    g[REG_RBX] = (greg_t)cur.Rbx;
    g[REG_RBP] = (greg_t)cur.Rbp;
    g[REG_RSI] = (greg_t)cur.Rsi;
    g[REG_RDI] = (greg_t)cur.Rdi;
    g[REG_R8] = (greg_t)cur.R8;
    g[REG_R9] = (greg_t)cur.R9;
    g[REG_R10] = (greg_t)cur.R10;
    g[REG_R11] = (greg_t)cur.R11;
    g[REG_R12] = (greg_t)cur.R12;
    g[REG_R13] = (greg_t)cur.R13;
    g[REG_R14] = (greg_t)cur.R14;
    g[REG_R15] = (greg_t)cur.R15;
    if ((flags & CONTEXT_FLOATING_POINT & ~CONTEXT_AMD64) && uc->uc_mcontext.fpregs)
        memcpy(uc->uc_mcontext.fpregs, &cur.FltSave, sizeof cur.FltSave);
}

/* Why the last rt_fault_to_exception(_at) of the thread refused, NULL if not for a reason of
 * its own (no dispatcher). */
static __thread const char *rt_exc_why;
static __thread uintptr_t rt_exc_why_sp;
static __thread bool rt_exc_why_ours; /* a limit of ntrun's, where Windows would deliver it */
const char *rt_fault_undeliverable(uintptr_t *sp, bool *as_windows)
{
    *sp = rt_exc_why_sp;
    *as_windows = !rt_exc_why_ours;
    return rt_exc_why;
}

/* Windows' kernel writes the exception frame (CONTEXT, record, machine frame: about
 * RT_EXC_WIN_FRAME bytes without an XSTATE area) below the faulting stack pointer and runs
 * KiUserExceptionDispatcher there. When that write faults:
 *  - in the stack's guard page, the guard still there: the write takes the guard and the
 *    exception delivered is STATUS_STACK_OVERFLOW (the original one is lost), with the guard
 *    page's room;
 *  - anywhere else (the stack pointer unmapped, read-only, non-canonical, or in the reserved
 *    page below a stack whose guard an earlier overflow took and no _resetstkoflw put back):
 *    the process ends with the original exception's code, and no handler of any kind sees it.
 * A stack overflow itself (a fault in the guard region) is delivered once per guard. ntrun's
 * stacks are committed whole ([no access][guard][committed], RT_STACK_NOACCESS): a frame
 * reaching the first two pages is the guard's case. Any other writable memory takes the frame:
 * a coroutine's stack, a heap block the program switched to. Async-signal-safe: rt_safe_copy
 * (the bytes are read and written back: the frame's space belongs to the faulting thread). */
#define RT_EXC_WIN_FRAME 0x600
static void rt_stack_limit_to_guard(TEB *teb, rt_thread *t);
static bool rt_exc_deliverable(TEB *teb, rt_thread *t, EXCEPTION_RECORD *r, uintptr_t sp)
{
    rt_exc_why = NULL;
    rt_exc_why_ours = false;
    rt_exc_why_sp = sp;
    /* A leaf standing for a Windows function with a frame (a raise with no room) is judged by
     * that frame's reach. */
    size_t frame = rt_exc_leaf_frame ? rt_exc_leaf_frame : RT_EXC_WIN_FRAME;
    rt_exc_leaf_frame = 0;
    uintptr_t lo = sp - frame;
    uintptr_t glo = (uintptr_t)t->stack_alloc, ghi = glo + RT_STACK_NOACCESS + RT_STACK_GUARD;
    bool overflow = r->ExceptionCode == (uint32_t)STATUS_STACK_OVERFLOW;
    if (overflow || (t->stack_alloc && sp > glo && lo < ghi && sp >= frame)) {
        if (t->stack_guard_gone) {
            rt_exc_why = "the stack overflowed again after its guard page was taken (no "
                         "_resetstkoflw since)";
            return false;
        }
        if (!overflow) {
            r->ExceptionCode = (uint32_t)STATUS_STACK_OVERFLOW;
            r->ExceptionFlags = 0;
            r->NumberParameters = 2;
            r->ExceptionInformation[0] = 1; /* the kernel's write of the frame */
            r->ExceptionInformation[1] = (sp < ghi ? sp : ghi) - 8;
        }
        t->stack_guard_gone = 1;
        rt_stack_limit_to_guard(teb, t);
        return true;
    }
    uint8_t bytes[RT_EXC_WIN_FRAME];
    lo = sp - RT_EXC_WIN_FRAME;
    if (sp < RT_EXC_WIN_FRAME || rt_safe_copy(bytes, (const void *)lo, sizeof bytes) != 0 ||
        rt_safe_copy((void *)lo, bytes, sizeof bytes) != 0) {
        rt_exc_why = "the stack pointer does not point into writable memory, so the exception "
                     "frame cannot be written";
        return false;
    }
    return true;
}

/* ---- where the dispatcher runs ----
 * The dispatch stack (rt_dispatch_stack) is cut in RT_DISPATCH_ZONES zones of
 * RT_DISPATCH_ZONE bytes. A dispatch placed there from another stack takes the next free zone
 * from the top: zone k's frames begin at rt_zone_top(k). Zones stay live until the dispatch
 * resumes foreign code, so that a handler that switches stacks (to a coroutine's, to a
 * goroutine's g0) and faults again there gets a dispatch of its own in the zone below, leaving
 * the first dispatch's record, context and native frames intact, as on Windows, where each
 * dispatch lies on the stack of its own exception. A handler running on the dispatch stack may
 * use RT_DISPATCH_ZONE bytes of it, the dispatcher's included, before it switches. Sixteen
 * zones (2 MiB of address space, MAP_NORESERVE: untouched pages cost nothing) hold sixteen such
 * dispatches nested (pe.seh_stack_room's nested-deep runs twelve). When all are live and an
 * exception comes from yet another stack, it is either a seventeenth level of nesting or the
 * next of handlers that left by jumps of their own (pe.seh_stack_room's jump-away: forty in a
 * row, what programs do). What tells them apart is the way back: code that switched stacks from
 * a handler running in the innermost zone keeps a pointer into that zone (the stack pointer it
 * will switch back to) where it survives calls: in rbp (call_on-style code), on the new stack (a
 * switch that pushes the old stack pointer there), or in an object off every stack that rbp or
 * the new stack points at (a coroutine's context block) (rt_zone_kept). Found, it is nesting,
 * and the exception is refused (no zone left: the process ends, as on Windows when the stack
 * has no room for the dispatch; pe.seh_stack_room's nested-too-deep, pe.seh_coroutine's
 * pushed-too-deep and object-too-deep) rather than written over the outer dispatches; not
 * found, the zones start over from the top (a jump away leaves no way back: rsp and rbp come
 * from the jump buffer; pe.seh_stack_room's and pe.seh_coroutine's jump-away). The other
 * nonvolatile registers are not read: after a jump of the program's own (__builtin_longjmp
 * restores only rsp and rbp) they still hold the handler's pointers into the zone. So a switch
 * that keeps its way back only in one of them, or farther away (a global, a list of
 * coroutines), is still taken for jumps; a stack the program describes in the TEB (fibers,
 * coroutine libraries that set StackBase/StackLimit) with room for the dispatcher takes no
 * zone at all (pe.seh_coroutine's fibers-deep: twenty levels). */
#define RT_DISPATCH_ZONES 16
#define RT_DISPATCH_ZONES_TEXT "16" /* for the refusal's message */
#define RT_DISPATCH_ZONE (128 * 1024)
_Static_assert(RT_DISPATCH_ZONES <= sizeof ((rt_thread *)0)->zone_origin /
                                        sizeof ((rt_thread *)0)->zone_origin[0],
               "a zone origin per zone");

static uintptr_t rt_zone_top(uintptr_t dhi, uint32_t k)
{
    return dhi - 128 - (uintptr_t)k * RT_DISPATCH_ZONE;
}

/* The program's own stack limits: the TEB's, or the ones it had before a dispatch on the
 * dispatch stack lowered them (unless the program changed them since: a fiber switched to by
 * a handler). */
static void rt_program_limits(TEB *teb, const rt_thread *t, uintptr_t *limit, uintptr_t *base)
{
    *limit = (uintptr_t)teb->NtTib.StackLimit;
    *base = (uintptr_t)teb->NtTib.StackBase;
    if (t->limit_lowered && teb->NtTib.StackLimit == t->lowered_limit &&
        teb->NtTib.StackBase == t->lowered_base) {
        *limit = (uintptr_t)t->saved_stack_limit;
        *base = (uintptr_t)t->saved_stack_base;
    }
}

#define RT_ZONE_SCAN_STACK (64 * 1024) /* bytes of the new stack read above its stack pointer */
#define RT_ZONE_SCAN_CHUNK 512
#define RT_ZONE_SCAN_BLOCK 64 /* bytes read where a word points */
#define RT_ZONE_SCAN_BLOCKS 256 /* blocks read at most */

/* What rt_zone_kept looks for and where it must not follow pointers. */
typedef struct rt_zone_scan {
    uintptr_t zlo, zhi;          /* the innermost zone */
    uintptr_t stacks[3][2];      /* the dispatch stack, the thread's own, the program's limits */
    uintptr_t slo, shi;          /* the exception's stack, as far as it was read */
    unsigned budget;             /* blocks still to read */
} rt_zone_scan;

static bool rt_in(uintptr_t v, uintptr_t lo, uintptr_t hi) { return v >= lo && v < hi; }

/* Does v point into no stack (a heap object's first words, say), at a block worth reading? */
static bool rt_zone_off_stack(const rt_zone_scan *z, uintptr_t v)
{
    if ((v & 7) || v < 0x10000 || v >= ((uintptr_t)1 << 47) - RT_ZONE_SCAN_BLOCK ||
        rt_in(v, z->slo, z->shi))
        return false;
    for (size_t i = 0; i < 3; i++)
        if (rt_in(v, z->stacks[i][0], z->stacks[i][1]))
            return false;
    return true;
}

/* v points into the zone, or at a block off any stack whose first 64 bytes do. */
static bool rt_zone_way_back(rt_zone_scan *z, uintptr_t v)
{
    if (rt_in(v, z->zlo, z->zhi))
        return true;
    if (!z->budget || !rt_zone_off_stack(z, v))
        return false;
    z->budget--;
    uintptr_t w[RT_ZONE_SCAN_BLOCK / 8];
    if (rt_safe_copy(w, (const void *)v, sizeof w) != 0)
        return false;
    for (size_t i = 0; i < RT_ZONE_SCAN_BLOCK / 8; i++)
        if (rt_in(w[i], z->zlo, z->zhi))
            return true;
    return false;
}

/* Is the dispatch of the innermost zone still running below the exception of context c: does
 * the code that raised it keep a way back into the zone (see "where the dispatcher runs")?
 * Looked for in rbp (a jump restores it with rsp), in the words of the exception's stack from
 * Rsp up (RT_ZONE_SCAN_STACK at most, up to the first unreadable byte or a stack ntrun knows)
 * and in the first 64 bytes of a block off every stack that rbp or one of those words points at
 * (a coroutine's context object). Not in the other nonvolatile registers: after a jump of the
 * program's own out of a handler (__builtin_longjmp restores only rsp and rbp) they still hold
 * the handler's pointers into the zone. Only when every zone is live and the exception comes
 * from a new stack. Async-signal-safe: rt_safe_copy only. */
static bool rt_zone_kept(TEB *teb, const rt_thread *t, const CONTEXT *c, uintptr_t dlo,
                         uintptr_t dhi)
{
    rt_zone_scan z = {.budget = RT_ZONE_SCAN_BLOCKS};
    uintptr_t limit, base;
    rt_program_limits(teb, t, &limit, &base);
    /* The innermost zone, less its lowest page: the TEB's StackLimit points there while the
     * zones are live (a pointer to the TEB is no way back). */
    z.zhi = rt_zone_top(dhi, RT_DISPATCH_ZONES - 1);
    z.zlo = dlo + 4096;
    z.stacks[0][0] = dlo, z.stacks[0][1] = dhi;
    z.stacks[1][0] = (uintptr_t)t->stack_alloc;
    z.stacks[1][1] = (uintptr_t)t->stack_alloc + t->stack_alloc_size;
    z.stacks[2][0] = limit, z.stacks[2][1] = base;
    z.slo = z.shi = (uintptr_t)c->Rsp & ~(uintptr_t)7;
    if (rt_in(c->Rbp, z.zlo, z.zhi))
        return true;
    uintptr_t w[RT_ZONE_SCAN_CHUNK / 8];
    while (z.shi - z.slo < RT_ZONE_SCAN_STACK && !rt_in(z.shi, dlo, dhi) &&
           rt_safe_copy(w, (const void *)z.shi, sizeof w) == 0) {
        for (size_t i = 0; i < RT_ZONE_SCAN_CHUNK / 8; i++)
            if (rt_in(w[i], z.zlo, z.zhi))
                return true;
        z.shi += RT_ZONE_SCAN_CHUNK;
    }
    if (rt_zone_way_back(&z, c->Rbp))
        return true;
    for (uintptr_t a = z.slo; a < z.shi && z.budget; a += RT_ZONE_SCAN_CHUNK) {
        if (rt_safe_copy(w, (const void *)a, sizeof w) != 0)
            break;
        for (size_t i = 0; i < RT_ZONE_SCAN_CHUNK / 8 && z.budget; i++)
            if (rt_zone_way_back(&z, w[i]))
                return true;
    }
    return false;
}

/* Only the first n zones stay live; with none, the TEB's limits are the program's again. */
static void rt_zones_keep(TEB *teb, rt_thread *t, uint32_t n)
{
    if (n < t->zones)
        t->zones = n;
    if (t->zones == 0 && t->limit_lowered) {
        if (teb->NtTib.StackLimit == t->lowered_limit && teb->NtTib.StackBase == t->lowered_base) {
            teb->NtTib.StackLimit = t->saved_stack_limit;
            teb->NtTib.StackBase = t->saved_stack_base;
        }
        t->limit_lowered = 0;
    }
}

/* Does sp lie on the stack of the exception whose stack pointer was `origin`: the thread's
 * stack, the stack the TEB gives, or (memory the TEB does not describe, a coroutine's stack)
 * at or a little above origin? */
static bool rt_same_stack(TEB *teb, const rt_thread *t, uintptr_t origin, uintptr_t sp)
{
    uintptr_t lo = (uintptr_t)t->stack_alloc, hi = lo + t->stack_alloc_size;
    if (lo && origin >= lo && origin < hi)
        return sp >= lo && sp < hi;
    uintptr_t limit, base;
    rt_program_limits(teb, t, &limit, &base);
    if (origin >= limit && origin < base)
        return sp >= limit && sp < base;
    return sp + 4096 >= origin && sp < origin + 64 * 1024;
}

/* A stack overflow took the guard page: Windows has committed it, and the TEB's StackLimit
 * stays at its start (the lowest committed page) from then on; _resetstkoflw puts a guard page
 * back, not the limit. Only when the TEB describes the thread's own stack. */
static void rt_stack_limit_to_guard(TEB *teb, rt_thread *t)
{
    uintptr_t guard = (uintptr_t)t->stack_alloc + RT_STACK_NOACCESS;
    void **limit = t->limit_lowered ? &t->saved_stack_limit : &teb->NtTib.StackLimit;
    void *base = t->limit_lowered ? t->saved_stack_base : teb->NtTib.StackBase;
    if (t->stack_alloc && (uintptr_t)base == (uintptr_t)t->stack_alloc + t->stack_alloc_size &&
        (uintptr_t)*limit > guard)
        *limit = (void *)guard;
}

/* Where a dispatch runs whose exception's stack pointer is `origin` and whose frames (`need`
 * bytes, then the dispatcher's RT_EXC_DISPATCH_ROOM) would go below `below`: *stay when the
 * stack `below` lies on has that room (the program's stack as its limits give it, or the
 * dispatch stack itself: a fault in a handler running there), and the return value is below;
 * else the top of a zone of the dispatch stack, whose frames are deeper than any of the
 * program's (its StackLimit goes down to the dispatch stack's bottom meanwhile, so that a
 * handler's stack probe (__chkstk) finds its frame inside the limits, as a handler's is on
 * Windows). A program running on memory of its own (a coroutine's stack the TEB does not
 * describe) gets the dispatch stack too: the native dispatcher needs more than the few KiB
 * Windows' takes there. 0 when no room is left (rt_exc_why). Async-signal-safe. */
static uintptr_t rt_exc_place(TEB *teb, rt_thread *t, uintptr_t below, const CONTEXT *c,
                              size_t need, bool overflow, bool *stay)
{
    uintptr_t dlo = 0, dhi = 0, limit, base, floor = 0, origin = (uintptr_t)c->Rsp;
    bool have_dispatch = rt_dispatch_stack(&dlo, &dhi);
    bool on_dispatch = have_dispatch && below >= dlo && below < dhi;
    *stay = false;
    rt_program_limits(teb, t, &limit, &base);
    if (on_dispatch)
        floor = dlo;
    else if (limit && below >= limit && below < base)
        floor = limit;
    if (floor && below > floor + need + RT_EXC_DISPATCH_ROOM && !overflow) {
        *stay = true;
        return below;
    }
    if (!have_dispatch || on_dispatch) {
        rt_exc_why = "no room is left on the dispatch stack for the exception dispatcher";
        return 0;
    }
    /* From another stack: the live zones whose exception happened on the stack this one comes
     * from are over (a handler left them by a jump of its own), and so are those after them;
     * the others stay (a handler switched stacks and raised again). */
    uint32_t n = t->zones;
    for (uint32_t k = n; k-- > 0;)
        if (rt_same_stack(teb, t, t->zone_origin[k], origin)) {
            n = k;
            break;
        }
    if (n >= RT_DISPATCH_ZONES) {
        if (rt_zone_kept(teb, t, c, dlo, dhi)) {
            rt_exc_why = "the handlers of " RT_DISPATCH_ZONES_TEXT " exceptions nested on "
                         "stacks of their own are still running: no zone of the dispatch "
                         "stack is left for another";
            rt_exc_why_ours = true;
            return 0;
        }
        n = 0; /* handlers that left by jumps of their own to stacks never seen before */
    }
    rt_zones_keep(teb, t, n);
    uintptr_t top = rt_zone_top(dhi, n);
    rt_asan_forget((void *)dlo, top - dlo); /* an earlier dispatch's frames */
    t->zone_origin[n] = origin;
    t->zones = n + 1;
    if (!t->limit_lowered) {
        t->saved_stack_limit = teb->NtTib.StackLimit;
        t->saved_stack_base = teb->NtTib.StackBase;
        t->limit_lowered = 1;
    }
    /* The limits take in the dispatch stack as well as the program's (a fiber's or
     * coroutine's stack the TEB describes may lie below the dispatch stack). */
    if (dlo < (uintptr_t)teb->NtTib.StackLimit)
        teb->NtTib.StackLimit = (void *)dlo;
    /* A stack overflow's frame lies in the guard region, which Windows commits (StackLimit
     * moves down to it): the frame walk must find it inside the limits. */
    if (overflow && t->stack_alloc && (uintptr_t)t->stack_alloc < (uintptr_t)teb->NtTib.StackLimit)
        teb->NtTib.StackLimit = t->stack_alloc;
    if (dhi > (uintptr_t)teb->NtTib.StackBase)
        teb->NtTib.StackBase = (void *)dhi;
    t->lowered_limit = teb->NtTib.StackLimit;
    t->lowered_base = teb->NtTib.StackBase;
    return top;
}

void rt_exc_frames_over(uintptr_t sp, uintptr_t here)
{
    TEB *teb = rt_tls_teb;
    uintptr_t dlo, dhi;
    if (!teb || !rt_dispatch_stack(&dlo, &dhi))
        return;
    rt_thread *t = rt_thread_of(teb);
    uint32_t n = t->zones;
    if (sp >= dlo && sp <= dhi) {
        while (n > 0 && rt_zone_top(dhi, n - 1) <= sp)
            n--;
    } else if (here >= dlo && here < dhi) {
        uint32_t k = (uint32_t)((dhi - 1 - here) / RT_DISPATCH_ZONE);
        if (k < n)
            n = k;
    }
    rt_zones_keep(teb, t, n);
}

uintptr_t rt_exc_body_stack(const CONTEXT *ctx)
{
    TEB *teb = rt_tls_teb;
    uintptr_t here = (uintptr_t)ctx;
    if (!teb)
        return here;
    bool stay;
    uintptr_t top = rt_exc_place(teb, rt_thread_of(teb), here, ctx, 0, false, &stay);
    if (!top) {
        rt_message("%s: exception at 0x%lx: %s", rt_proc.exe_name ? rt_proc.exe_name : "program",
                   (unsigned long)ctx->Rip, rt_exc_why);
        rt_exit_process((uint32_t)STATUS_STACK_OVERFLOW);
    }
    return stay ? here : top & ~(uintptr_t)15;
}

bool rt_fault_to_exception(int sig, siginfo_t *si, ucontext_t *uc)
{
    return rt_fault_to_exception_at(sig, si, uc, NULL, 0);
}

/* Writes the rt_native_fault of a fault inside a built-in at `at` (64-byte aligned, `size`
 * bytes: the header, the ucontext, the xsave image of xsize bytes), the copies taken before
 * the caller changes the interrupted context. Async-signal-safe: memcpy and rt_safe_copy. */
static rt_native_fault *rt_save_native_fault(uintptr_t at, const ucontext_t *uc, size_t xsize,
                                             const CONTEXT *caller, uintptr_t callee,
                                             const void *frame)
{
    rt_native_fault h = {
        .magic = RT_NATIVE_FAULT_MAGIC,
        .frame = frame,
        .ip = (uintptr_t)uc->uc_mcontext.gregs[REG_RIP],
        .sp = (uintptr_t)uc->uc_mcontext.gregs[REG_RSP],
        .ret = (uintptr_t)caller->Rip,
        .callee = callee,
        .single_busy = rt_single.busy,
    };
    uintptr_t ucp = at + RT_ALIGN64(sizeof h), xp = ucp + RT_ALIGN64(sizeof(ucontext_t));
    ucontext_t u;
    memcpy(&u, uc, sizeof u);
    u.uc_mcontext.fpregs = xsize ? (fpregset_t)xp : NULL;
    h.uc = (ucontext_t *)ucp;
    if (rt_safe_copy((void *)ucp, &u, sizeof u) != 0 ||
        (xsize && rt_safe_copy((void *)xp, uc->uc_mcontext.fpregs, xsize) != 0) ||
        rt_safe_copy((void *)at, &h, sizeof h) != 0)
        return NULL;
    return (rt_native_fault *)at;
}

bool rt_fault_to_exception_at(int sig, siginfo_t *si, ucontext_t *uc, const CONTEXT *at,
                              uintptr_t callee)
{
    TEB *teb = rt_tls_teb;
    rt_exc_why = NULL;
    rt_exc_why_ours = false;
    if (!rt_exc_dispatcher || !teb)
        return false;
    greg_t *g = uc->uc_mcontext.gregs;
    rt_exc_frame f;
    /* ASan builds: this file is not instrumented, so its frame on the alternate stack keeps
     * the shadow of whatever instrumented frame was there before and left without returning
     * (a run ended from a handler); memset (ASan's) would take that for an overflow. */
    uintptr_t alt_sp = (uintptr_t)uc->uc_stack.ss_sp, self = (uintptr_t)__builtin_frame_address(0);
    if (!(uc->uc_stack.ss_flags & SS_DISABLE) && self >= alt_sp && self < alt_sp + uc->uc_stack.ss_size)
        rt_asan_forget((void *)alt_sp, self - alt_sp);
    memset(&f, 0, sizeof f);
    CONTEXT *c = &f.ctx;
    if (at)
        *c = *at;
    else
        rt_context_from_ucontext(c, uc);

    EXCEPTION_RECORD *r = &f.rec;
    r->ExceptionCode = rt_fault_exception_code(sig, si, uc);
    if (r->ExceptionCode == (uint32_t)STATUS_BREAKPOINT && si->si_code == SI_KERNEL) {
        /* int3 traps after the 0xcc; Windows reports (and resumes at) the int3 itself. */
        uint8_t b = 0;
        if (rt_safe_copy(&b, (const void *)(c->Rip - 1), 1) == 0 && b == 0xcc)
            c->Rip--;
    }
    /* Stepped to the caller (a fault in a built-in): the address is still the faulting one. */
    r->ExceptionAddress = at ? (void *)(uintptr_t)g[REG_RIP] : (void *)c->Rip;
    if (r->ExceptionCode == (uint32_t)STATUS_ACCESS_VIOLATION ||
        r->ExceptionCode == (uint32_t)STATUS_STACK_OVERFLOW) {
        uint64_t err = (uint64_t)g[REG_ERR];
        r->NumberParameters = 2;
        r->ExceptionInformation[0] = (err & 0x10) ? 8 : (err & 2) ? 1 : 0;
        /* A #GP (non-canonical address) has no fault address: Windows reports all ones. */
        r->ExceptionInformation[1] = si->si_code == SI_KERNEL
                                         ? ~(ULONG_PTR)0
                                         : (ULONG_PTR)si->si_addr;
    } else if (r->ExceptionCode == 0xC0000409u) {
        r->ExceptionFlags = EXCEPTION_NONCONTINUABLE;
        r->NumberParameters = 1;
        r->ExceptionInformation[0] = c->Rcx; /* the FAST_FAIL_* code */
    } else if (r->ExceptionCode == (uint32_t)STATUS_BREAKPOINT) {
        r->NumberParameters = 1; /* BREAKPOINT_BREAK */
    }

    /* Whether the exception can be delivered at all, as the Windows kernel decides when it
     * writes the exception frame below the program's stack pointer: see rt_exc_deliverable. */
    rt_thread *t = rt_thread_of(teb);
    if (!rt_exc_deliverable(teb, t, r, (uintptr_t)c->Rsp))
        return false;

    /* On the alternate signal stack the foreign stack below Rsp is free; on the foreign stack
     * the frame goes below this handler's own frame (see RT_EXC_GAP). */
    uintptr_t here = (uintptr_t)__builtin_frame_address(0);
    uintptr_t alt = (uintptr_t)uc->uc_stack.ss_sp;
    bool on_alt = !(uc->uc_stack.ss_flags & SS_DISABLE) && here >= alt &&
                  here < alt + uc->uc_stack.ss_size;
    uintptr_t below = (uintptr_t)g[REG_RSP] - 128; /* the faulting code's own stack pointer */
    if ((uintptr_t)c->Rsp - 128 < below)
        below = (uintptr_t)c->Rsp - 128;
    if (!on_alt && here < below)
        below = here;
    /* A fault inside a built-in keeps its native state above the frame, for a retry. */
    size_t xsize = at ? rt_xstate_size(uc) : 0;
    size_t native = at ? RT_ALIGN64(sizeof(rt_native_fault)) +
                             RT_ALIGN64(sizeof(ucontext_t)) + xsize
                       : 0;
    size_t need = RT_EXC_GAP + RT_ALIGN64(sizeof f) + native;
    /* On the faulting stack when it has room, else on the dispatch stack (rt_exc_place). */
    bool stay;
    uintptr_t top = rt_exc_place(teb, t, below, c, need,
                                 r->ExceptionCode == (uint32_t)STATUS_STACK_OVERFLOW, &stay);
    if (!top)
        return false;
    uintptr_t sp = stay ? (below - need) & ~(uintptr_t)63
                        : (top - RT_ALIGN64(sizeof f) - native) & ~(uintptr_t)63;
    if (at && (uc->uc_mcontext.fpregs == NULL || xsize))
        f.native = rt_save_native_fault(sp + RT_ALIGN64(sizeof f), uc, xsize, at, callee,
                                        (const void *)sp);
    if (!at)
        rt_exc_frame_xstate(&f, uc, sp);
    if (rt_safe_copy((void *)sp, &f, sizeof f) != 0)
        return false;
    g[REG_RSP] = (greg_t)sp;
    g[REG_RDI] = (greg_t)sp;
    g[REG_RIP] = (greg_t)(uintptr_t)rt_exception_entry;
    /* Clear the direction and trap flags for native code; the CONTEXT keeps the originals. */
    g[REG_EFL] &= ~(greg_t)0x500;
    rt_thread_of(teb)->selector = RT_SEL_ALLOW;
    return true;
}

const rt_native_fault *rt_exc_native_fault(const CONTEXT *dispatched)
{
    const rt_native_fault *nf; /* by offset: a CONTEXT is aligned to 16, the frame type to 64 */
    memcpy(&nf, (const char *)dispatched + offsetof(rt_exc_frame, native), sizeof nf);
    return nf && nf->magic == RT_NATIVE_FAULT_MAGIC && nf->frame == (const void *)dispatched
               ? nf
               : NULL;
}

void rt_exc_sigreturn(const ucontext_t *uc) __attribute__((noreturn)); /* exc_asm.S */

void rt_native_fault_resume(const rt_native_fault *nf)
{
    /* The sole foreign thread's unlocked region (rt_single_enter) the dispatch ended goes on,
     * unless a second thread appeared meanwhile: then the built-in finishes its unlocked work
     * as rt_single_go_multi's caller would have waited for (a handler that starts a thread
     * while a built-in is interrupted is beyond what the fast paths promise). */
    if (!__atomic_load_n(&rt_single.multi, __ATOMIC_ACQUIRE))
        rt_single.busy = nf->single_busy;
    rt_thread_of(rt_tls_teb)->selector = RT_SEL_ALLOW;
    rt_exc_sigreturn(nf->uc);
}

/* ---- the alternate signal stack ----
 * Fault handlers run on a per-thread alternate stack (SA_ONSTACK), so that a foreign stack
 * overflow is reported (STATUS_STACK_OVERFLOW) instead of killing the process silently. */
#define RT_EXC_ALTSTACK_SIZE (64 * 1024)
#define RT_EXC_ALTSTACK_GUARD 4096
/* One mapping: [no access][dispatch stack][alternate signal stack] (no system call more than
 * the signal stack alone took). */
#define RT_EXC_DISPATCH_SIZE (RT_DISPATCH_ZONES * RT_DISPATCH_ZONE)
#define RT_EXC_MAP_SIZE (RT_EXC_ALTSTACK_GUARD + RT_EXC_DISPATCH_SIZE + RT_EXC_ALTSTACK_SIZE)
static __thread void *rt_exc_altstack;
static __thread stack_t rt_exc_old_altstack;

bool rt_dispatch_stack(uintptr_t *lo, uintptr_t *hi)
{
    uintptr_t p = (uintptr_t)rt_exc_altstack;
    if (!p)
        return false;
    *lo = p + RT_EXC_ALTSTACK_GUARD;
    *hi = *lo + RT_EXC_DISPATCH_SIZE;
    return true;
}

size_t rt_exc_region_size(void) { return RT_EXC_MAP_SIZE; }

int rt_exc_thread_init_in(void *region)
{
    if (rt_exc_altstack)
        return 0;
    uint8_t *p = region;
    mprotect(p, RT_EXC_ALTSTACK_GUARD, PROT_NONE);
    rt_asan_forget(p, RT_EXC_MAP_SIZE); /* an earlier stack's poison */
    stack_t ss = {.ss_sp = p + RT_EXC_ALTSTACK_GUARD + RT_EXC_DISPATCH_SIZE,
                  .ss_size = RT_EXC_ALTSTACK_SIZE};
    if (sigaltstack(&ss, &rt_exc_old_altstack) < 0)
        return -errno;
    rt_exc_altstack = p;
    return 0;
}

int rt_exc_thread_init(void)
{
    if (rt_exc_altstack)
        return 0;
    uint8_t *p = mmap(NULL, RT_EXC_MAP_SIZE, PROT_READ | PROT_WRITE,
                      MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (p == MAP_FAILED)
        return -errno;
    int r = rt_exc_thread_init_in(p);
    if (r < 0)
        munmap(p, RT_EXC_MAP_SIZE);
    return r;
}

void rt_exc_thread_fini(void)
{
    if (!rt_exc_altstack)
        return;
    sigaltstack(&rt_exc_old_altstack, NULL); /* the host's, or none */
    rt_asan_forget(rt_exc_altstack, RT_EXC_MAP_SIZE);
    munmap(rt_exc_altstack, RT_EXC_MAP_SIZE);
    rt_exc_altstack = NULL;
}
