/* SPDX-License-Identifier: MIT */
/* Windows structured exception handling for foreign code, as ntdll/kernel32/msvcrt export it:
 *
 *  - unwinding: RtlLookupFunctionEntry (.pdata of the program and foreign DLLs, tables added
 *    with RtlAddFunctionTable), RtlVirtualUnwind (every unwind code, chained info, frame
 *    registers, epilog detection), RtlCaptureContext, RtlRestoreContext, RtlUnwindEx, RtlUnwind;
 *  - dispatch: RaiseException, RtlRaiseException and hardware faults (runtime/exception.c) go to
 *    exc_dispatch: vectored handlers, then the frame-based handlers found by unwinding the
 *    foreign stack, then the unhandled-exception filter; unhandled ends the process with the
 *    exception code and one line on stderr;
 *  - __C_specific_handler (scope tables of __try/__except/__finally), vectored exception and
 *    continue handlers, Set/UnhandledExceptionFilter, msvcrt _setjmp/_setjmpex/longjmp.
 *
 * All of it runs as native code (selector ALLOW) on the faulting thread's foreign stack,
 * operating on foreign CONTEXTs; foreign handlers, filters and termination handlers are called
 * through thk_call_foreign*, and foreign code is resumed with rt_exc_restore_context (selector
 * BLOCK). Entry points that need the caller's exact registers are assembly (exc_entry.S),
 * exported THK_RAW.
 *
 * Native frames on the foreign stack (a built-in such as qsort calling a foreign callback, or
 * the dispatcher calling a handler) have no Windows unwind data. A walk that reaches a
 * built-in's call of foreign code (thk_call_foreign's return address) steps over the native
 * frames with their DWARF call-frame information (thunks/native_unwind.c) to the built-in's
 * foreign caller, restoring its nonvolatile registers, and goes on there, as Windows unwinds
 * through a system DLL's frames: an exception thrown by a qsort comparator reaches the catch
 * around the qsort call. The dispatcher's own calls of handlers are not crossed that way: a
 * walk started inside a handler continues at the frame of the exception being dispatched
 * (nested exceptions, RtlUnwindEx from a handler). A native call of foreign code made with
 * thk_call_foreign_guarded (the loader's DllMain and TLS callback calls) is the one exception
 * to the crossing: as Windows' loader's __except, it takes an exception whose search reaches it,
 * unwinds the foreign frames below it and returns false.
 *
 * longjmp restores the registers saved by _setjmp without unwinding: termination handlers and
 * C++ destructors of the frames it leaves are not run (Windows runs them for a non-NULL
 * frame). */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "runtime/exception.h"
#include "runtime/xstate.h"
#include "thunks/held_locks.h"
#include "thunks/native_unwind.h"
#include "thunks/ntdll/thk_exception.h"
#include "thunks/thunks_private.h"

#define STATUS_LONGJUMP ((NTSTATUS)0x80000026)
#define STATUS_STACK_BUFFER_OVERRUN 0xC0000409u

/* ======================================================================================== */
/* Function tables                                                                          */
/* ======================================================================================== */

static bool (*exc_module_finder)(uintptr_t addr, void **base, size_t *size);

void thk_set_module_finder(bool (*fn)(uintptr_t addr, void **base, size_t *size))
{
    exc_module_finder = fn;
}

typedef struct exc_dyn_table {
    struct exc_dyn_table *next;
    RUNTIME_FUNCTION *table; /* or, for a callback table, its identifier */
    DWORD count;
    DWORD64 base;
    DWORD64 length;  /* callback tables: the range [base, base + length) */
    void *callback;  /* PGET_RUNTIME_FUNCTION_CALLBACK(ControlPc, Context) */
    void *context;
} exc_dyn_table;
static exc_dyn_table *exc_dyn_tables;
static pthread_mutex_t exc_dyn_lock = PTHREAD_MUTEX_INITIALIZER;

BOOLEAN WINAPI RtlAddFunctionTable(RUNTIME_FUNCTION *table, DWORD count, DWORD64 base)
{
    exc_dyn_table *t = calloc(1, sizeof *t);
    if (!t)
        return 0;
    t->table = table;
    t->count = count;
    t->base = base;
    pthread_mutex_lock(&exc_dyn_lock);
    t->next = exc_dyn_tables;
    exc_dyn_tables = t;
    pthread_mutex_unlock(&exc_dyn_lock);
    return 1;
}
THK_EXPORT(ntdll, RtlAddFunctionTable, 3);
THK_EXPORT_AS(kernel32, RtlAddFunctionTable, RtlAddFunctionTable, 3);

BOOLEAN WINAPI RtlDeleteFunctionTable(RUNTIME_FUNCTION *table)
{
    pthread_mutex_lock(&exc_dyn_lock);
    for (exc_dyn_table **p = &exc_dyn_tables; *p; p = &(*p)->next) {
        if ((*p)->table == table) {
            exc_dyn_table *t = *p;
            *p = t->next;
            pthread_mutex_unlock(&exc_dyn_lock);
            free(t);
            return 1;
        }
    }
    pthread_mutex_unlock(&exc_dyn_lock);
    return 0;
}
THK_EXPORT(ntdll, RtlDeleteFunctionTable, 1);

/* Growable tables (JITs: the Dart VM): a table whose entry count grows in place, sorted, within
 * [base, end). The handle given back is the table's record. */
static NTSTATUS WINAPI exc_RtlAddGrowableFunctionTable(void **dyn, RUNTIME_FUNCTION *table,
                                                      DWORD count, DWORD max, ULONG_PTR base,
                                                      ULONG_PTR end)
{
    if (!dyn || count > max || end < base)
        return STATUS_INVALID_PARAMETER;
    exc_dyn_table *t = calloc(1, sizeof *t);
    if (!t)
        return STATUS_NO_MEMORY;
    t->table = table;
    t->count = count;
    t->base = base;
    pthread_mutex_lock(&exc_dyn_lock);
    t->next = exc_dyn_tables;
    exc_dyn_tables = t;
    pthread_mutex_unlock(&exc_dyn_lock);
    *dyn = t;
    return STATUS_SUCCESS;
}
THK_EXPORT_AS(ntdll, RtlAddGrowableFunctionTable, exc_RtlAddGrowableFunctionTable, 6);

static void WINAPI exc_RtlGrowFunctionTable(void *dyn, DWORD count)
{
    pthread_mutex_lock(&exc_dyn_lock);
    for (exc_dyn_table *t = exc_dyn_tables; t; t = t->next)
        if (t == dyn && !t->callback)
            t->count = count;
    pthread_mutex_unlock(&exc_dyn_lock);
}
THK_EXPORT_AS(ntdll, RtlGrowFunctionTable, exc_RtlGrowFunctionTable, 2);

static void WINAPI exc_RtlDeleteGrowableFunctionTable(void *dyn)
{
    exc_dyn_table *gone = NULL;
    pthread_mutex_lock(&exc_dyn_lock);
    for (exc_dyn_table **p = &exc_dyn_tables; *p; p = &(*p)->next)
        if (*p == dyn) {
            gone = *p;
            *p = gone->next;
            break;
        }
    pthread_mutex_unlock(&exc_dyn_lock);
    free(gone);
}
THK_EXPORT_AS(ntdll, RtlDeleteGrowableFunctionTable, exc_RtlDeleteGrowableFunctionTable, 1);

/* Function tables computed on demand (JITs): the callback is asked for pcs in the range.
 * TableIdentifier must have its low two bits set (3), as on Windows. */
BOOLEAN WINAPI RtlInstallFunctionTableCallback(DWORD64 id, DWORD64 base, DWORD length,
                                               void *callback, void *context, const WCHAR *dll)
{
    if ((id & 3) != 3 || !callback)
        return 0;
    exc_dyn_table *t = calloc(1, sizeof *t);
    if (!t)
        return 0;
    t->table = (RUNTIME_FUNCTION *)(uintptr_t)id;
    t->base = base;
    t->length = length;
    t->callback = callback;
    t->context = context;
    pthread_mutex_lock(&exc_dyn_lock);
    t->next = exc_dyn_tables;
    exc_dyn_tables = t;
    pthread_mutex_unlock(&exc_dyn_lock);
    return 1;
}
THK_EXPORT(ntdll, RtlInstallFunctionTableCallback, 6);
THK_EXPORT_AS(kernel32, RtlInstallFunctionTableCallback, RtlInstallFunctionTableCallback, 6);
THK_EXPORT_AS(kernel32, RtlDeleteFunctionTable, RtlDeleteFunctionTable, 1);

/* Binary search of a table sorted by BeginAddress; NULL when no entry covers rva. */
static RUNTIME_FUNCTION *exc_search_table(RUNTIME_FUNCTION *t, DWORD count, DWORD rva)
{
    size_t lo = 0, hi = count;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (rva < t[mid].BeginAddress)
            hi = mid;
        else if (rva >= t[mid].EndAddress)
            lo = mid + 1;
        else
            return &t[mid];
    }
    return NULL;
}

/* The exception directory (.pdata) of a mapped PE32+ image; NULL if it has none. */
static RUNTIME_FUNCTION *exc_image_pdata(DWORD64 base, size_t size, DWORD *count)
{
    const uint8_t *img = (const uint8_t *)base;
    if (size < 0x40 || img[0] != 'M' || img[1] != 'Z')
        return NULL;
    uint32_t lfanew;
    memcpy(&lfanew, img + 0x3c, 4);
    if ((size_t)lfanew + 24 + 112 + 4 * 8 > size || memcmp(img + lfanew, "PE\0\0", 4) != 0)
        return NULL;
    const uint8_t *opt = img + lfanew + 24;
    uint16_t magic;
    uint32_t ndirs, rva, len;
    memcpy(&magic, opt, 2);
    memcpy(&ndirs, opt + 108, 4);
    if (magic != 0x20b || ndirs <= 3)
        return NULL;
    memcpy(&rva, opt + 112 + 3 * 8, 4);
    memcpy(&len, opt + 112 + 3 * 8 + 4, 4);
    if (!rva || !len || (size_t)rva + len > size)
        return NULL;
    *count = len / sizeof(RUNTIME_FUNCTION);
    return (RUNTIME_FUNCTION *)(img + rva);
}

/* A built-in that called foreign code (qsort's comparator, an enumeration callback) has native
 * frames, which DWARF describes, not .pdata. To a program that walks its stack itself
 * (RtlLookupFunctionEntry, then RtlVirtualUnwind), the return address into the built-in
 * (thk_call_foreign's) has this entry, and RtlVirtualUnwind steps all the built-in's frames at
 * once to its foreign caller (exc_unwind_builtin). The entry's UNWIND_INFO is a leaf's (version
 * 1, no codes), for a program that reads it itself. Set once by exc_register. */
extern char thk_call_foreign_site_end[]; /* thunks/thunk_asm.S */
static bool exc_unwind_builtin(CONTEXT *ctx, uint64_t *callee);
static const uint8_t exc_builtin_info[8] __attribute__((aligned(4))) = {1, 0, 0, 0};
static RUNTIME_FUNCTION exc_builtin_entry;
static DWORD64 exc_builtin_base;

static void exc_builtin_entry_init(void)
{
    DWORD64 pc = (DWORD64)(uintptr_t)thk_call_foreign_site_end;
    DWORD64 info = (DWORD64)(uintptr_t)exc_builtin_info;
    DWORD64 b = (pc < info ? pc : info) & ~(DWORD64)0xffff;
    if (pc + 1 - b > UINT32_MAX || info - b > UINT32_MAX)
        return; /* not within 4 GiB of each other: no entry, walks stop there as before */
    exc_builtin_entry.BeginAddress = (DWORD)(pc - b);
    exc_builtin_entry.EndAddress = (DWORD)(pc + 1 - b);
    exc_builtin_entry.UnwindData = (DWORD)(info - b);
    exc_builtin_base = b;
}

RUNTIME_FUNCTION *WINAPI RtlLookupFunctionEntry(DWORD64 pc, DWORD64 *base,
                                                UNWIND_HISTORY_TABLE *table)
{
    RUNTIME_FUNCTION *fe = NULL;
    if (thk_is_foreign_call_return(pc) && exc_builtin_base) {
        if (base)
            *base = exc_builtin_base;
        return &exc_builtin_entry;
    }
    DWORD64 b = 0;
    void *callback = NULL, *cb_context = NULL;
    pthread_mutex_lock(&exc_dyn_lock);
    for (exc_dyn_table *t = exc_dyn_tables; t && !fe && !callback; t = t->next) {
        if (t->callback) {
            if (pc >= t->base && pc - t->base < t->length) {
                callback = t->callback;
                cb_context = t->context;
                b = t->base;
            }
        } else if (pc >= t->base && pc - t->base <= UINT32_MAX) {
            fe = exc_search_table(t->table, t->count, (DWORD)(pc - t->base));
            b = t->base;
        }
    }
    pthread_mutex_unlock(&exc_dyn_lock);
    if (callback) /* called without the lock: it is foreign code */
        fe = (RUNTIME_FUNCTION *)(uintptr_t)thk_call_foreign2(callback, pc,
                                                              (uint64_t)(uintptr_t)cb_context);
    if (!fe) {
        void *mb;
        size_t ms;
        DWORD count = 0;
        RUNTIME_FUNCTION *pdata;
        if (exc_module_finder && exc_module_finder((uintptr_t)pc, &mb, &ms) &&
            (pdata = exc_image_pdata((DWORD64)(uintptr_t)mb, ms, &count)) != NULL) {
            b = (DWORD64)(uintptr_t)mb;
            fe = exc_search_table(pdata, count, (DWORD)(pc - b));
        }
    }
    /* An odd UnwindData points at the RUNTIME_FUNCTION that holds the real unwind info. */
    if (fe && (fe->UnwindData & 1))
        fe = (RUNTIME_FUNCTION *)(uintptr_t)(b + (fe->UnwindData & ~1u));
    if (base)
        *base = fe ? b : 0;
    return fe;
}
THK_EXPORT(ntdll, RtlLookupFunctionEntry, 3);
THK_EXPORT_AS(kernel32, RtlLookupFunctionEntry, RtlLookupFunctionEntry, 3);

void *WINAPI RtlPcToFileHeader(void *pc, void **base)
{
    void *b = NULL;
    size_t size;
    if (!exc_module_finder || !exc_module_finder((uintptr_t)pc, &b, &size))
        b = NULL;
    if (base)
        *base = b;
    return b;
}
THK_EXPORT(ntdll, RtlPcToFileHeader, 2);
THK_EXPORT_AS(kernel32, RtlPcToFileHeader, RtlPcToFileHeader, 2);

/* ======================================================================================== */
/* RtlVirtualUnwind                                                                         */
/* ======================================================================================== */

/* Stack reads during unwinding go through rt_safe_copy: a corrupt stack ends the walk
 * instead of crashing the runtime. */
static bool exc_read64(DWORD64 addr, DWORD64 *out)
{
    return rt_safe_copy(out, (const void *)(uintptr_t)addr, 8) == 0;
}

static DWORD64 *exc_int_reg(CONTEXT *c, unsigned reg) { return &c->Rax + reg; }

static bool exc_set_int_reg(CONTEXT *c, KNONVOLATILE_CONTEXT_POINTERS *ptrs, unsigned reg,
                            DWORD64 addr)
{
    if (!exc_read64(addr, exc_int_reg(c, reg)))
        return false;
    if (ptrs)
        ptrs->IntegerContext[reg] = (DWORD64 *)(uintptr_t)addr;
    return true;
}

static bool exc_set_xmm_reg(CONTEXT *c, KNONVOLATILE_CONTEXT_POINTERS *ptrs, unsigned reg,
                            DWORD64 addr)
{
    if (rt_safe_copy(&c->Xmm[reg], (const void *)(uintptr_t)addr, 16) != 0)
        return false;
    if (ptrs)
        ptrs->FloatingContext[reg] = (M128A *)(uintptr_t)addr;
    return true;
}

/* Number of UNWIND_CODE slots the code at `slot` occupies. */
static unsigned exc_code_slots(WORD code)
{
    unsigned op = (code >> 8) & 0xf, info = code >> 12;
    switch (op) {
    case UWOP_ALLOC_LARGE: return info ? 3 : 2;
    case UWOP_SAVE_NONVOL: case UWOP_SAVE_XMM128: case UWOP_EPILOG: return 2;
    case UWOP_SAVE_NONVOL_FAR: case UWOP_SAVE_XMM128_FAR: case UWOP_SPARE_CODE: return 3;
    default: return 1;
    }
}

static bool exc_in_function(const uint8_t *p, DWORD64 base, const RUNTIME_FUNCTION *fn)
{
    DWORD64 rva = (DWORD64)(uintptr_t)p - base;
    return rva >= fn->BeginAddress && rva < fn->EndAddress;
}

/* Is pc at an epilog: an optional `add $n,%rsp` / `lea n(reg),%rsp`, pops of nonvolatile
 * registers, then `ret` (or a jmp within the function that leads to one)? The x64 ABI
 * restricts epilogs to exactly this shape so that unwinders can recognise them. */
static bool exc_is_epilog(const uint8_t *pc, DWORD64 base, const RUNTIME_FUNCTION *fn)
{
    uint8_t b[16];
    if (rt_safe_copy(b, pc, 8) != 0)
        return false;
    if ((b[0] & 0xf8) == 0x48) {
        switch (b[1]) {
        case 0x81: /* add $imm32,%rsp */
            if (b[0] == 0x48 && b[2] == 0xc4) { pc += 7; break; }
            return false;
        case 0x83: /* add $imm8,%rsp */
            if (b[0] == 0x48 && b[2] == 0xc4) { pc += 4; break; }
            return false;
        case 0x8d: /* lea n(reg),%rsp */
            if (b[0] & 0x06) return false;            /* rex.R and rex.X must be clear */
            if (((b[2] >> 3) & 7) != 4) return false; /* destination %rsp */
            if ((b[2] & 7) == 4) return false;        /* no SIB */
            if ((b[2] >> 6) == 1) { pc += 4; break; }
            if ((b[2] >> 6) == 2) { pc += 7; break; }
            return false;
        }
    }
    for (int guard = 0; guard < 64; guard++) {
        if (rt_safe_copy(b, pc, 6) != 0)
            return false;
        const uint8_t *q = b;
        if ((q[0] & 0xf0) == 0x40) { q++; pc++; }
        switch (q[0]) {
        case 0x58: case 0x59: case 0x5a: case 0x5b: case 0x5c: case 0x5d: case 0x5e: case 0x5f:
            pc++;
            continue;
        case 0xc2: case 0xc3:
            return true;
        case 0xe9: {
            int32_t rel;
            memcpy(&rel, q + 1, 4);
            pc += 5 + rel;
            if (exc_in_function(pc, base, fn))
                continue;
            return false;
        }
        case 0xeb:
            pc += 2 + (int8_t)q[1];
            if (exc_in_function(pc, base, fn))
                continue;
            return false;
        case 0xf3: /* rep ret */
            return q[1] == 0xc3;
        default:
            return false;
        }
    }
    return false;
}

/* Executes the rest of the epilog at pc on the context. */
static bool exc_do_epilog(const uint8_t *pc, CONTEXT *c, KNONVOLATILE_CONTEXT_POINTERS *ptrs)
{
    for (int guard = 0; guard < 64; guard++) {
        uint8_t b[8];
        if (rt_safe_copy(b, pc, 7) != 0)
            return false;
        const uint8_t *q = b;
        unsigned rex = 0;
        if ((q[0] & 0xf0) == 0x40) { rex = q[0] & 0xf; q++; pc++; }
        int32_t v32;
        switch (q[0]) {
        case 0x58: case 0x59: case 0x5a: case 0x5b: case 0x5c: case 0x5d: case 0x5e: case 0x5f:
            if (!exc_set_int_reg(c, ptrs, (q[0] - 0x58u) + (rex & 1) * 8, c->Rsp))
                return false;
            c->Rsp += 8;
            pc++;
            continue;
        case 0x81:
            memcpy(&v32, q + 2, 4);
            c->Rsp += v32;
            pc += 6;
            continue;
        case 0x83:
            c->Rsp += (int8_t)q[2];
            pc += 3;
            continue;
        case 0x8d:
            if ((q[1] >> 6) == 1) {
                c->Rsp = *exc_int_reg(c, (q[1] & 7) + (rex & 1) * 8) + (int8_t)q[2];
                pc += 3;
            } else {
                memcpy(&v32, q + 2, 4);
                c->Rsp = *exc_int_reg(c, (q[1] & 7) + (rex & 1) * 8) + v32;
                pc += 6;
            }
            continue;
        case 0xc2: {
            uint16_t n;
            memcpy(&n, q + 1, 2);
            if (!exc_read64(c->Rsp, &c->Rip))
                return false;
            c->Rsp += 8 + n;
            return true;
        }
        case 0xc3: case 0xf3:
            if (!exc_read64(c->Rsp, &c->Rip))
                return false;
            c->Rsp += 8;
            return true;
        case 0xe9:
            memcpy(&v32, q + 1, 4);
            pc += 5 + v32;
            continue;
        case 0xeb:
            pc += 2 + (int8_t)q[1];
            continue;
        default:
            return false;
        }
    }
    return false;
}

void *WINAPI RtlVirtualUnwind(DWORD type, DWORD64 base, DWORD64 pc, RUNTIME_FUNCTION *function,
                              CONTEXT *context, void **handler_data, DWORD64 *frame_ret,
                              KNONVOLATILE_CONTEXT_POINTERS *ptrs)
{
    DWORD64 frame = context->Rsp;
    const UNWIND_INFO *info = NULL;
    const uint8_t *tail = NULL; /* what follows the codes: handler RVA + data, or chain */
    unsigned prolog_offset = ~0u;
    bool mach_frame = false, first = true, in_prolog = false;

    *frame_ret = frame;
    if (function == &exc_builtin_entry) {
        if (!exc_unwind_builtin(context, NULL))
            context->Rip = 0; /* the thread's first frame: the end of the walk */
        return NULL;
    }
    for (int depth = 0; depth < 32; depth++) {
        /* The function entry and unwind info may come from a foreign caller: check that they
         * can be read before trusting them. */
        uint8_t probe[4 + 256 * 2 + 16];
        RUNTIME_FUNCTION fn_copy;
        if (rt_safe_copy(&fn_copy, function, sizeof fn_copy) != 0)
            goto bad;
        info = (const UNWIND_INFO *)(uintptr_t)(base + fn_copy.UnwindData);
        if (rt_safe_copy(probe, info, 4) != 0 ||
            rt_safe_copy(probe, info, 4 + ((probe[2] + 1u) & ~1u) * 2 + 4) != 0)
            goto bad;
        unsigned version = info->VersionFlags & 7;
        unsigned count = info->CountOfCodes;
        tail = (const uint8_t *)&info->UnwindCode[(count + 1) & ~1u];
        if (version != 1 && version != 2)
            goto bad;
        unsigned freg = info->FrameRegOffset & 0xf;
        if (freg)
            frame = *exc_int_reg(context, freg) - (DWORD64)(info->FrameRegOffset >> 4) * 16;

        if (first) {
            DWORD64 start = base + function->BeginAddress;
            if (pc >= start && pc < start + info->SizeOfProlog) {
                prolog_offset = (unsigned)(pc - start);
            } else if (exc_is_epilog((const uint8_t *)(uintptr_t)pc, base, function)) {
                if (!exc_do_epilog((const uint8_t *)(uintptr_t)pc, context, ptrs))
                    goto bad;
                *frame_ret = frame;
                return NULL;
            }
        }

        for (unsigned i = 0; i < count; i += exc_code_slots(info->UnwindCode[i])) {
            WORD code = info->UnwindCode[i];
            unsigned offset = code & 0xff, op = (code >> 8) & 0xf, opinfo = code >> 12;
            if (first && prolog_offset != ~0u && prolog_offset < offset)
                continue; /* not executed yet */
            DWORD64 off;
            DWORD d32;
            switch (op) {
            case UWOP_PUSH_NONVOL:
                if (!exc_set_int_reg(context, ptrs, opinfo, context->Rsp))
                    goto bad;
                context->Rsp += 8;
                break;
            case UWOP_ALLOC_LARGE:
                if (opinfo) {
                    memcpy(&d32, &info->UnwindCode[i + 1], 4);
                    context->Rsp += d32;
                } else {
                    context->Rsp += (DWORD64)info->UnwindCode[i + 1] * 8;
                }
                break;
            case UWOP_ALLOC_SMALL:
                context->Rsp += (DWORD64)(opinfo + 1) * 8;
                break;
            case UWOP_SET_FPREG:
                context->Rsp = *frame_ret = frame;
                break;
            case UWOP_SAVE_NONVOL:
                off = frame + (DWORD64)info->UnwindCode[i + 1] * 8;
                if (!exc_set_int_reg(context, ptrs, opinfo, off))
                    goto bad;
                break;
            case UWOP_SAVE_NONVOL_FAR:
                memcpy(&d32, &info->UnwindCode[i + 1], 4);
                if (!exc_set_int_reg(context, ptrs, opinfo, frame + d32))
                    goto bad;
                break;
            case UWOP_SAVE_XMM128:
                off = frame + (DWORD64)info->UnwindCode[i + 1] * 16;
                if (!exc_set_xmm_reg(context, ptrs, opinfo, off))
                    goto bad;
                break;
            case UWOP_SAVE_XMM128_FAR:
                memcpy(&d32, &info->UnwindCode[i + 1], 4);
                if (!exc_set_xmm_reg(context, ptrs, opinfo, frame + d32))
                    goto bad;
                break;
            case UWOP_PUSH_MACHFRAME: {
                /* The CPU's interrupt frame (rip, cs, rflags, rsp, ss), after an error code
                 * when opinfo is 1. */
                DWORD64 rsp;
                if (opinfo)
                    context->Rsp += 8;
                if (!exc_read64(context->Rsp, &context->Rip) ||
                    !exc_read64(context->Rsp + 24, &rsp))
                    goto bad;
                context->Rsp = rsp;
                mach_frame = true;
                break;
            }
            case UWOP_EPILOG: /* version 2 epilog descriptions: epilogs are detected above */
            default:
                break;
            }
        }
        if (!(info->VersionFlags & (UNW_FLAG_CHAININFO << 3))) {
            if (first)
                in_prolog = prolog_offset != ~0u;
            break;
        }
        function = (RUNTIME_FUNCTION *)(uintptr_t)tail;
        in_prolog = prolog_offset != ~0u && first;
        first = false; /* a chained (parent) function's prolog has fully run */
        prolog_offset = ~0u;
    }

    if (!mach_frame) {
        if (!exc_read64(context->Rsp, &context->Rip))
            goto bad;
        context->Rsp += 8;
    }
    /* The handler, if any, is the last info's of the chain (the primary function's). No
     * handler runs for a frame still inside its prolog. */
    if (!((info->VersionFlags >> 3) & type) || in_prolog)
        return NULL;
    DWORD handler_rva;
    memcpy(&handler_rva, tail, 4);
    if (handler_data)
        *handler_data = (void *)(tail + 4);
    return (void *)(uintptr_t)(base + handler_rva);
bad:
    context->Rip = 0;
    return NULL;
}
THK_EXPORT(ntdll, RtlVirtualUnwind, 8);
THK_EXPORT_AS(kernel32, RtlVirtualUnwind, RtlVirtualUnwind, 8);

/* ======================================================================================== */
/* Walking the foreign stack                                                                */
/* ======================================================================================== */

/* Dispatches and unwinds in progress on this thread, innermost first. Each lives in the frame
 * of exc_dispatch or exc_unwind on the foreign stack, below the frames it works on; resuming
 * foreign code at a stack pointer above it ends it (exc_resume). They let a walk that reaches
 * the native frames of the dispatcher (an exception raised, or RtlUnwindEx called, inside a
 * handler) go on where Windows would: after a dispatch's handler, at that dispatch's
 * exception; after an unwind's handler, at the frame being unwound (a collided unwind) or,
 * for an exception search, at the unwind's starting point. */
typedef struct exc_active {
    struct exc_active *outer;
    bool is_unwind;
    CONTEXT *orig;         /* dispatch: the exception's context (handlers see and may change
                              it); unwind: where the unwind started */
    DWORD64 running_frame; /* dispatch: while a frame handler runs, its EstablisherFrame */
    const CONTEXT *unwinding; /* unwind: while a handler runs, the context of its frame */
    const CONTEXT *start;  /* where walks that cross into this record go on: a private copy of
                              the exception's context (handlers may overwrite orig, e.g. as
                              RtlUnwindEx's scratch context), or the unwind's start */
    struct exc_guard *guard; /* unwind: to this guarded call (exc_guard_catch), else NULL */
    bool guard_reached;      /* ... and the walk got there */
} exc_active;
/* The records in progress, innermost last, listed apart from the records themselves: a record
 * that foreign code left by a way of its own (a runtime's own jump out of a handler, as .NET's
 * NativeAOT runtime makes) lies below the stack pointer, and its memory is soon reused by later
 * frames, so its `outer` cannot be read to find the next one. Pruning reads only this list.
 * Past EXC_LIVE_MAX nested records the oldest leave the list; exc_live_spill is then the
 * innermost of those, pruned through `outer` as before. */
#define EXC_LIVE_MAX 256
static __thread exc_active *exc_live[EXC_LIVE_MAX];
static __thread unsigned exc_live_n;
static __thread exc_active *exc_live_spill;

/* The innermost record (not pruned). */
static inline exc_active *exc_top(void)
{
    return exc_live_n ? exc_live[exc_live_n - 1] : exc_live_spill;
}

/* a lies below (deeper than) b on the stacks, the dispatch stack deepest (rt_stack_key). */
#define EXC_BELOW(a, b) (rt_stack_key((uintptr_t)(a)) < rt_stack_key((uintptr_t)(b)))

/* Records below sp are over (foreign code resumed above them). */
static void exc_prune_below(uintptr_t sp)
{
    while (exc_live_n && EXC_BELOW((uintptr_t)exc_live[exc_live_n - 1], sp))
        exc_live_n--;
    if (!exc_live_n)
        while (exc_live_spill && EXC_BELOW((uintptr_t)exc_live_spill, sp))
            exc_live_spill = exc_live_spill->outer;
}

/* r (live, or NULL) becomes the innermost record, with r->outer and the records outside it
 * staying. */
static void exc_set_top(exc_active *r)
{
    if (!r) {
        exc_live_n = 0;
        exc_live_spill = NULL;
        return;
    }
    for (unsigned i = exc_live_n; i-- > 0;)
        if (exc_live[i] == r) {
            exc_live_n = i + 1;
            return;
        }
    unsigned i = exc_live_n;
    while (i && exc_live[i - 1] != r->outer)
        i--;
    if (!i) /* outer is the spilled chain (or none) */
        exc_live_spill = r->outer;
    exc_live_n = i;
    if (exc_live_n == EXC_LIVE_MAX) {
        exc_live_spill = exc_live[0];
        memmove(exc_live, exc_live + 1, (EXC_LIVE_MAX - 1) * sizeof exc_live[0]);
        exc_live_n--;
    }
    exc_live[exc_live_n++] = r;
}

/* Native calls of foreign code that catch what the foreign code leaves unhandled
 * (thk_call_foreign_guarded: the loader's calls of DllMain and TLS callbacks, which Windows'
 * loader makes inside an __except). Each lives in the frame of its call, above the foreign
 * frames it guards; resuming foreign code above it ends it. */
typedef struct exc_guard {
    struct exc_guard *outer;
    void *jb[5];        /* __builtin_setjmp's buffer, in thk_call_foreign_guarded's frame */
    DWORD code;         /* the exception caught */
    uint32_t *code_out; /* thk_call_foreign_guarded's outputs (kept in memory: the registers */
    uint64_t *ret_out;  /* are not preserved across the jump) */
} exc_guard;
/* The guarded calls in progress, innermost last, listed apart from their frames as the
 * records in progress are (exc_live): a guarded call that foreign code left by a jump of its
 * own (a DllMain that longjmps out of LoadLibrary back into the program) lies below the stack
 * pointer, later frames reuse its memory, and its `outer` cannot be read to find the next
 * one. Pruning reads only this list. Past EXC_GUARD_MAX nested guards the oldest leave the
 * list; exc_guard_spill is then the innermost of those, pruned through `outer` as before. */
#define EXC_GUARD_MAX 64
static __thread exc_guard *exc_guard_live[EXC_GUARD_MAX];
static __thread unsigned exc_guard_n;
static __thread exc_guard *exc_guard_spill;

/* The innermost guard (not pruned). */
static inline exc_guard *exc_guard_top(void)
{
    return exc_guard_n ? exc_guard_live[exc_guard_n - 1] : exc_guard_spill;
}

/* Guards below sp are over (foreign code resumed above them). */
static void exc_guards_over(uintptr_t sp)
{
    while (exc_guard_n && EXC_BELOW((uintptr_t)exc_guard_live[exc_guard_n - 1], sp))
        exc_guard_n--;
    if (!exc_guard_n)
        while (exc_guard_spill && EXC_BELOW((uintptr_t)exc_guard_spill, sp))
            exc_guard_spill = exc_guard_spill->outer;
}

/* g (live: the caller's own frame) becomes the innermost guard, g->outer the one before it. */
static void exc_guard_push(exc_guard *g)
{
    g->outer = exc_guard_top();
    if (exc_guard_n == EXC_GUARD_MAX) {
        exc_guard_spill = exc_guard_live[0];
        memmove(exc_guard_live, exc_guard_live + 1,
                (EXC_GUARD_MAX - 1) * sizeof exc_guard_live[0]);
        exc_guard_n--;
    }
    exc_guard_live[exc_guard_n++] = g;
}

/* g (live) stays the innermost guard (keep) or is over too (!keep): the guards inside it go,
 * found in the list, never through their links. */
static void exc_guard_cut(exc_guard *g, bool keep)
{
    for (unsigned i = exc_guard_n; i-- > 0;)
        if (exc_guard_live[i] == g) {
            exc_guard_n = keep ? i + 1 : i;
            return;
        }
    /* g spilled out of the list: the list lies inside it */
    exc_guard_n = 0;
    exc_guard_spill = keep ? g : g->outer;
}

/* The innermost record still live: one below the caller's frame belongs to a dispatch that
 * foreign code left by a way of its own (its own longjmp out of a handler). */
static exc_active *exc_live_top(void)
{
    uintptr_t here = (uintptr_t)__builtin_frame_address(0);
    exc_prune_below(here);
    return exc_top();
}

/* The frame of a fault at an address that is no code: a built-in's crossing (thk_call_foreign)
 * called a bad pointer (a TLS callback of 0xffffffffffffffff, a DllMain that is not an
 * address, a pointer into ntrun's own text) and the call was made (rt_blocked_native_fault
 * completes one that faulted on itself), so the return address into the crossing is at Rsp.
 * As RtlVirtualUnwind takes a function without unwind data, it is a leaf: ctx steps to that
 * return address, where the walk meets the crossing (and the loader's guard around it). The
 * caller's own leaf step does the same for a frame it takes as foreign, but only on the
 * thread's stack: this one holds wherever the stack pointer is (a program that moved it out
 * of its stack, then ended with an exception whose exit calls the bad pointer again at
 * DLL_PROCESS_DETACH). A target with unwind data is real code: left to the caller. */
static bool exc_step_bad_target(CONTEXT *ctx)
{
    DWORD64 ret, base;
    if (thk_is_foreign_call_return(ctx->Rip) || !exc_read64(ctx->Rsp, &ret) ||
        !thk_is_foreign_call_return(ret))
        return false;
    if (rt_addr_is_foreign((uintptr_t)ctx->Rip) && RtlLookupFunctionEntry(ctx->Rip, &base, NULL))
        return false;
    ctx->Rip = ret;
    ctx->Rsp += 8;
    return true;
}

/* Does ctx describe a frame of foreign code on this thread's stack? */
static bool exc_frame_is_foreign(const CONTEXT *ctx)
{
    TEB *teb = rt_current_teb();
    if (!ctx->Rip || !rt_addr_is_foreign((uintptr_t)ctx->Rip))
        return false;
    if (teb && teb->NtTib.StackBase &&
        (ctx->Rsp > (DWORD64)(uintptr_t)teb->NtTib.StackBase ||
         ctx->Rsp < (DWORD64)(uintptr_t)teb->NtTib.StackLimit))
        return false;
    return true;
}

/* Foreign code (not a built-in's crossing) whose stack pointer lies outside the thread's stack
 * (the dispatch stack counts as inside while the dispatcher runs there: its StackLimit). */
static bool exc_frame_off_stack(const CONTEXT *ctx)
{
    TEB *teb = rt_current_teb();
    return ctx->Rip && rt_addr_is_foreign((uintptr_t)ctx->Rip) &&
           !thk_is_foreign_call_return(ctx->Rip) && teb && teb->NtTib.StackBase &&
           (ctx->Rsp > (DWORD64)(uintptr_t)teb->NtTib.StackBase ||
            ctx->Rsp < (DWORD64)(uintptr_t)teb->NtTib.StackLimit);
}

static bool exc_frame_is_valid(DWORD64 frame)
{
    TEB *teb = rt_current_teb();
    if (frame & 7)
        return false;
    if (teb && teb->NtTib.StackBase &&
        (frame > (DWORD64)(uintptr_t)teb->NtTib.StackBase ||
         frame < (DWORD64)(uintptr_t)teb->NtTib.StackLimit))
        return false;
    return true;
}

/* At a built-in's call of foreign code: ctx stepped to the built-in's foreign caller. The
 * dispatcher's own calls (a handler, a catch block) lie below the record `outer` of the
 * dispatch or unwind that made them, and are not crossed. */
static bool exc_cross_builtin(CONTEXT *ctx, const exc_active *outer)
{
    return thk_is_foreign_call_return(ctx->Rip) &&
           thk_unwind_native_frames(ctx, outer ? (uint64_t)(uintptr_t)outer : UINT64_MAX,
                                    NULL);
}

/* ctx is at a built-in's call of foreign code, not yet crossed: the innermost guard if that
 * crossing leaves the guarded call (the native frames it steps over include the guard's), else
 * NULL (no guard, or a built-in the guarded foreign code called: a qsort in a DllMain). */
static exc_guard *exc_guard_at(const CONTEXT *ctx, const exc_active *outer)
{
    exc_guard *g = exc_guard_top();
    if (!g || !thk_is_foreign_call_return(ctx->Rip) || !EXC_BELOW(ctx->Rsp, (uintptr_t)g))
        return NULL;
    CONTEXT c = *ctx;
    if (thk_unwind_native_frames(&c, outer ? (uint64_t)(uintptr_t)outer : UINT64_MAX, NULL) &&
        EXC_BELOW(c.Rsp, (uintptr_t)g))
        return NULL;
    return g;
}

/* For walks of the program's stack (RtlCaptureStackBackTrace, RtlVirtualUnwind of the
 * built-in entry above): ctx at the return address into a built-in that called foreign code
 * goes to the built-in's foreign caller (*callee: the built-in's implementation, 0 if
 * unknown). A walk that reaches the dispatcher's own call of a handler goes on, as Windows'
 * walks go through KiUserExceptionDispatcher, at the context of the exception being
 * dispatched (or of the unwind's start). False at the thread's first frame. */
static bool exc_unwind_builtin(CONTEXT *ctx, uint64_t *callee)
{
    const exc_active *outer = exc_live_top();
    if (callee)
        *callee = 0;
    if (!thk_is_foreign_call_return(ctx->Rip))
        return false;
    /* outer's records lie below the frames they dispatch: any native walk that reaches one is
     * inside the dispatcher; the first record above the context is the one to go on with. */
    while (outer && EXC_BELOW((uintptr_t)outer, ctx->Rsp))
        outer = outer->outer;
    if (thk_unwind_native_frames(ctx, outer ? (uint64_t)(uintptr_t)outer : UINT64_MAX, callee))
        return true;
    if (!outer || !outer->start)
        return false;
    *ctx = *outer->start;
    return true;
}

/* One frame: fills dispatch (ControlPc, ImageBase, FunctionEntry, EstablisherFrame,
 * LanguageHandler, HandlerData) and unwinds ctx to the caller. A function without unwind
 * data is a leaf: its return address is at Rsp. */
static void exc_unwind_frame(DWORD type, DISPATCHER_CONTEXT *d, CONTEXT *ctx)
{
    d->ImageBase = 0;
    d->ScopeIndex = 0;
    d->ControlPc = ctx->Rip;
    d->FunctionEntry = RtlLookupFunctionEntry(ctx->Rip, &d->ImageBase, d->HistoryTable);
    if (d->FunctionEntry) {
        d->HandlerData = NULL;
        d->LanguageHandler = RtlVirtualUnwind(type, d->ImageBase, ctx->Rip, d->FunctionEntry,
                                              ctx, &d->HandlerData, &d->EstablisherFrame, NULL);
        return;
    }
    d->EstablisherFrame = ctx->Rsp;
    d->LanguageHandler = NULL;
    if (!exc_read64(ctx->Rsp, &ctx->Rip))
        ctx->Rip = 0;
    ctx->Rsp += 8;
}

static int32_t exc_call_handler(void *handler, EXCEPTION_RECORD *rec, DWORD64 frame,
                                CONTEXT *ctx, DISPATCHER_CONTEXT *d)
{
    return (int32_t)thk_call_foreign4(handler, (uint64_t)(uintptr_t)rec, frame,
                                      (uint64_t)(uintptr_t)ctx, (uint64_t)(uintptr_t)d);
}

__attribute__((noreturn)) static void exc_guard_catch(exc_guard *g, EXCEPTION_RECORD *rec);

/* The frame-based search (RtlDispatchException's second half). STATUS_SUCCESS: a handler
 * said ExceptionContinueExecution (resume at act->orig). As on Windows, an exception raised
 * inside a frame handler searches the handler's frames, then the frames of the exception being
 * handled from its origin, with EXCEPTION_NESTED_CALL set up to and including the frame whose
 * handler raised it. */
static NTSTATUS exc_call_stack_handlers(EXCEPTION_RECORD *rec, exc_active *act)
{
    UNWIND_HISTORY_TABLE table;
    DISPATCHER_CONTEXT d;
    CONTEXT ctx = *act->orig;
    exc_active *outer = act->outer;
    DWORD flags = rec->ExceptionFlags & EXCEPTION_NONCONTINUABLE;
    DWORD64 nested_frame = 0;

    memset(&table, 0, sizeof table);
    memset(&d, 0, sizeof d);
    d.ContextRecord = &ctx;
    d.HistoryTable = &table;
    bool first = true;
    for (;;) {
        if (first && !exc_frame_is_foreign(&ctx))
            exc_step_bad_target(&ctx);
        first = false;
        if (exc_frame_off_stack(&ctx)) {
            /* Foreign code on memory the TEB does not give as its stack (a coroutine's stack
             * the program switched to without telling the TEB): as Windows' walk finds its
             * frame outside the stack limits, no frame handler runs, nor (it lives in the
             * thread's first frame) the unhandled-exception filter. */
            rec->ExceptionFlags |= EXCEPTION_STACK_INVALID;
            break;
        }
        if (!exc_frame_is_foreign(&ctx)) {
            exc_guard *g = exc_guard_at(&ctx, outer);
            if (g)
                exc_guard_catch(g, rec);
            if (exc_cross_builtin(&ctx, outer))
                continue;
            /* The end of this exception's foreign frames: raised inside a handler of an outer
             * dispatch, the search goes on at that dispatch's exception. */
            if (!outer)
                break;
            ctx = *outer->start;
            if (!outer->is_unwind && outer->running_frame) {
                flags |= EXCEPTION_NESTED_CALL;
                if (!nested_frame || EXC_BELOW(nested_frame, outer->running_frame))
                    nested_frame = outer->running_frame;
            }
            outer = outer->outer;
            continue;
        }
        exc_unwind_frame(UNW_FLAG_EHANDLER, &d, &ctx);
    unwind_done:
        if (!d.EstablisherFrame)
            break;
        if (!exc_frame_is_valid(d.EstablisherFrame)) {
            rec->ExceptionFlags |= EXCEPTION_STACK_INVALID;
            break;
        }
        if (d.LanguageHandler) {
            rec->ExceptionFlags = flags;
            act->running_frame = d.EstablisherFrame;
            int32_t r = exc_call_handler(d.LanguageHandler, rec, d.EstablisherFrame, act->orig,
                                         &d);
            exc_set_top(act); /* (a nested dispatch resumed on another stack dropped it) */
            act->running_frame = 0;
            flags |= rec->ExceptionFlags & EXCEPTION_NONCONTINUABLE;
            if (nested_frame == d.EstablisherFrame) {
                flags &= ~(DWORD)EXCEPTION_NESTED_CALL;
                nested_frame = 0;
            }
            rec->ExceptionFlags = flags;
            switch (r) {
            case ExceptionContinueExecution:
                if (flags & EXCEPTION_NONCONTINUABLE)
                    return STATUS_NONCONTINUABLE_EXCEPTION;
                return STATUS_SUCCESS;
            case ExceptionContinueSearch:
                break;
            case ExceptionNestedException:
                flags |= EXCEPTION_NESTED_CALL;
                break;
            case ExceptionCollidedUnwind: {
                DWORD64 frame;
                ctx = *d.ContextRecord;
                d.ContextRecord = &ctx;
                RtlVirtualUnwind(UNW_FLAG_NHANDLER, d.ImageBase, d.ControlPc, d.FunctionEntry,
                                 &ctx, &d.HandlerData, &frame, NULL);
                goto unwind_done;
            }
            default:
                return STATUS_INVALID_DISPOSITION;
            }
        }
    }
    return STATUS_UNHANDLED_EXCEPTION;
}

static void (*exc_resume_hook)(uint64_t rsp);

void thk_set_resume_hook(void (*hook)(uint64_t rsp))
{
    __atomic_store_n(&exc_resume_hook, hook, __ATOMIC_RELEASE);
}

/* Resume foreign code at ctx (a possibly unaligned, possibly foreign copy): every dispatch
 * whose frame lies below the new stack pointer is over. */
__attribute__((noreturn)) static void exc_resume_ymmh(const CONTEXT *ctx, const M128A *ymmh)
{
    CONTEXT c;
    memcpy(&c, ctx, sizeof c);
    M128A upper[16]; /* ymmh may lie in a frame below the new stack pointer */
    bool with_upper = ymmh && rt_xstate_avx();
    if (with_upper)
        memcpy(upper, ymmh, sizeof upper);
    if ((c.ContextFlags & CONTEXT_FLOATING_POINT) != CONTEXT_FLOATING_POINT) {
        __builtin_ia32_fxsave64(&c.FltSave);
        c.MxCsr = c.FltSave.MxCsr;
    }
    /* Reserved MXCSR bits or a system flag in EFlags would fault in fxrstor/iretq. */
    c.MxCsr &= 0xffff;
    c.FltSave.MxCsr = c.MxCsr;
    c.EFlags = (c.EFlags & 0x250fd5) | 0x202;
    exc_prune_below(c.Rsp);
    exc_guards_over(c.Rsp);
    /* Built-ins whose frames lie below are left for good: the locks they held go. */
    thk_held_release_below(c.Rsp);
    void (*hook)(uint64_t) = __atomic_load_n(&exc_resume_hook, __ATOMIC_ACQUIRE);
    if (hook)
        hook(c.Rsp);
    rt_stack_frames_over(c.Rsp); /* ASan builds: the frames left behind keep no poison */
    if (with_upper)
        rt_exc_restore_context_ymmh(&c, upper);
    rt_exc_restore_context(&c);
}

__attribute__((noreturn)) static void exc_resume(const CONTEXT *ctx)
{
    exc_resume_ymmh(ctx, NULL);
}

/* Walks up to end_frame calling the unwind handlers (RtlUnwindEx): from `here` (the caller of
 * RtlUnwindEx), or, for a native caller (NULL), from where the innermost dispatch or unwind in
 * progress stands. On success *context is the target frame's context (EstablisherFrame ==
 * end_frame); with end_frame NULL (exit unwind) the walk ends after the last foreign frame. */
static bool exc_unwind_walk(const CONTEXT *here, exc_active *self, void *end_frame,
                            void *target_ip, EXCEPTION_RECORD *rec, CONTEXT *context,
                            UNWIND_HISTORY_TABLE *table)
{
    DISPATCHER_CONTEXT d;
    CONTEXT new_ctx;
    exc_active *outer = self->outer;

    memset(&d, 0, sizeof d);
    if (here)
        new_ctx = *here;
    else
        new_ctx.Rip = 0; /* cross into the innermost record at once */
    *context = new_ctx;
    d.EstablisherFrame = context->Rsp;
    d.TargetIp = (DWORD64)(uintptr_t)target_ip;
    d.ContextRecord = context;
    d.HistoryTable = table;
    for (;;) {
        if (!exc_frame_is_foreign(&new_ctx)) {
            if (self->guard && exc_guard_at(&new_ctx, outer) == self->guard) {
                self->guard_reached = true;
                return true;
            }
            if (exc_cross_builtin(&new_ctx, outer)) {
                *context = new_ctx;
                continue;
            }
            if (!outer)
                return !end_frame;
            if (outer->is_unwind && outer->unwinding) {
                /* Collided unwind: go on with the frame whose unwind handler is running; its
                 * handler is called again with EXCEPTION_COLLIDED_UNWIND. */
                new_ctx = *outer->unwinding;
                rec->ExceptionFlags |= EXCEPTION_COLLIDED_UNWIND;
            } else {
                new_ctx = *outer->start;
                exc_step_bad_target(&new_ctx); /* its frame may be a call of a bad pointer */
            }
            *context = new_ctx;
            outer = outer->outer;
            continue;
        }
        exc_unwind_frame(UNW_FLAG_UHANDLER, &d, &new_ctx);
    unwind_done:
        if (!d.EstablisherFrame || !exc_frame_is_valid(d.EstablisherFrame)) {
            rec->ExceptionFlags |= EXCEPTION_STACK_INVALID;
            return false;
        }
        if (end_frame && EXC_BELOW((uintptr_t)end_frame, d.EstablisherFrame))
            return false;
        /* The unwind has passed the frames below this one: built-ins among them release
         * their locks now, as their __finally blocks would on Windows, before the handlers
         * of the frames above run. */
        thk_held_release_below(d.EstablisherFrame);
        if (d.LanguageHandler) {
            if (d.EstablisherFrame == (DWORD64)(uintptr_t)end_frame)
                rec->ExceptionFlags |= EXCEPTION_TARGET_UNWIND;
            self->unwinding = d.ContextRecord;
            int32_t r = exc_call_handler(d.LanguageHandler, rec, d.EstablisherFrame,
                                         d.ContextRecord, &d);
            self->unwinding = NULL;
            if (r == ExceptionCollidedUnwind) {
                DWORD64 frame;
                new_ctx = *d.ContextRecord;
                *context = new_ctx;
                d.ContextRecord = context;
                RtlVirtualUnwind(UNW_FLAG_NHANDLER, d.ImageBase, d.ControlPc, d.FunctionEntry,
                                 &new_ctx, NULL, &frame, NULL);
                rec->ExceptionFlags |= EXCEPTION_COLLIDED_UNWIND;
                goto unwind_done;
            }
            rec->ExceptionFlags &= ~(DWORD)EXCEPTION_COLLIDED_UNWIND;
        }
        if (d.EstablisherFrame == (DWORD64)(uintptr_t)end_frame)
            return true;
        *context = new_ctx;
    }
}

__attribute__((noreturn)) static void exc_restore_with_record(CONTEXT *ctx, EXCEPTION_RECORD *rec);

/* The record a consolidation callback's walks continue with once they are past its target
 * frame (stack pointer rsp): the first one in progress whose own starting point lies above
 * that frame. The dispatch and unwind that found the target started below it. */
static exc_active *exc_consolidate_outer(DWORD64 rsp)
{
    exc_active *a = exc_live_top();
    while (a && a->start && EXC_BELOW(a->start->Rsp, rsp))
        a = a->outer;
    return a;
}

/* RtlUnwindEx's body. `here` is the caller's context, or NULL when called from native code
 * (__C_specific_handler, inside a dispatch). */
__attribute__((noreturn)) static void exc_unwind(CONTEXT *here, void *end_frame,
                                                 void *target_ip, EXCEPTION_RECORD *rec,
                                                 void *retval, CONTEXT *context,
                                                 UNWIND_HISTORY_TABLE *table)
{
    EXCEPTION_RECORD local_rec;
    CONTEXT local_ctx;
    exc_active self = {.outer = exc_live_top(), .is_unwind = true, .orig = here};
    if (!here && !self.outer) {
        rt_message("%s: RtlUnwindEx called from native code outside an exception",
                   rt_proc.exe_name ? rt_proc.exe_name : "program");
        rt_exit_process((uint32_t)STATUS_BAD_STACK);
    }
    if (!here)
        self.orig = (CONTEXT *)self.outer->start;
    self.start = self.orig;
    if (!rec) {
        memset(&local_rec, 0, sizeof local_rec);
        local_rec.ExceptionCode = (DWORD)STATUS_UNWIND;
        local_rec.ExceptionAddress = (void *)(uintptr_t)self.orig->Rip;
        rec = &local_rec;
    }
    rec->ExceptionFlags |= EXCEPTION_UNWINDING | (end_frame ? 0 : EXCEPTION_EXIT_UNWIND);
    if (!context)
        context = &local_ctx;
    exc_set_top(&self);
    if (!exc_unwind_walk(here, &self, end_frame, target_ip, rec, context, table)) {
        rt_message("%s: RtlUnwindEx: target frame %p is not on the stack of foreign frames "
                   "(exception 0x%08X)", rt_proc.exe_name ? rt_proc.exe_name : "program",
                   end_frame, rec->ExceptionCode);
        rt_exit_process((uint32_t)STATUS_BAD_STACK);
    }
    context->Rax = (DWORD64)(uintptr_t)retval;
    context->Rip = (DWORD64)(uintptr_t)target_ip;
    exc_restore_with_record(context, rec);
}

/* ======================================================================================== */
/* Vectored handlers and the unhandled-exception filter                                     */
/* ======================================================================================== */

typedef struct exc_vectored {
    struct exc_vectored *next;
    void *handler;
    bool is_continue;
} exc_vectored;
static exc_vectored *exc_vectored_list;
static pthread_mutex_t exc_vectored_lock = PTHREAD_MUTEX_INITIALIZER;
static void *exc_unhandled_filter;

static void *exc_add_vectored(ULONG first, void *handler, bool is_continue)
{
    exc_vectored *v = calloc(1, sizeof *v);
    if (!v)
        return NULL;
    v->handler = handler;
    v->is_continue = is_continue;
    pthread_mutex_lock(&exc_vectored_lock);
    exc_vectored **p = &exc_vectored_list;
    if (!first)
        while (*p)
            p = &(*p)->next;
    v->next = *p;
    *p = v;
    pthread_mutex_unlock(&exc_vectored_lock);
    return v;
}

static ULONG exc_remove_vectored(void *h, bool is_continue)
{
    pthread_mutex_lock(&exc_vectored_lock);
    for (exc_vectored **p = &exc_vectored_list; *p; p = &(*p)->next) {
        if (*p == h && (*p)->is_continue == is_continue) {
            exc_vectored *v = *p;
            *p = v->next;
            pthread_mutex_unlock(&exc_vectored_lock);
            free(v);
            return 1;
        }
    }
    pthread_mutex_unlock(&exc_vectored_lock);
    return 0;
}

void *WINAPI AddVectoredExceptionHandler(ULONG first, void *handler)
{
    return exc_add_vectored(first, handler, false);
}
THK_EXPORT(kernel32, AddVectoredExceptionHandler, 2);
THK_EXPORT_AS(ntdll, RtlAddVectoredExceptionHandler, AddVectoredExceptionHandler, 2);

ULONG WINAPI RemoveVectoredExceptionHandler(void *h) { return exc_remove_vectored(h, false); }
THK_EXPORT(kernel32, RemoveVectoredExceptionHandler, 1);
THK_EXPORT_AS(ntdll, RtlRemoveVectoredExceptionHandler, RemoveVectoredExceptionHandler, 1);

void *WINAPI AddVectoredContinueHandler(ULONG first, void *handler)
{
    return exc_add_vectored(first, handler, true);
}
THK_EXPORT(kernel32, AddVectoredContinueHandler, 2);
THK_EXPORT_AS(ntdll, RtlAddVectoredContinueHandler, AddVectoredContinueHandler, 2);

ULONG WINAPI RemoveVectoredContinueHandler(void *h) { return exc_remove_vectored(h, true); }
THK_EXPORT(kernel32, RemoveVectoredContinueHandler, 1);
THK_EXPORT_AS(ntdll, RtlRemoveVectoredContinueHandler, RemoveVectoredContinueHandler, 1);

/* Calls the vectored exception (or continue) handlers in order until one returns
 * EXCEPTION_CONTINUE_EXECUTION. The list is copied under the lock and called without it, so a
 * handler may add or remove handlers (or raise). */
static LONG exc_call_vectored(EXCEPTION_POINTERS *ptrs, bool is_continue)
{
    void *handlers[64];
    size_t n = 0;
    pthread_mutex_lock(&exc_vectored_lock);
    for (exc_vectored *v = exc_vectored_list; v && n < 64; v = v->next)
        if (v->is_continue == is_continue)
            handlers[n++] = v->handler;
    pthread_mutex_unlock(&exc_vectored_lock);
    for (size_t i = 0; i < n; i++) {
        LONG r = (LONG)thk_call_foreign1(handlers[i], (uint64_t)(uintptr_t)ptrs);
        if (r == EXCEPTION_CONTINUE_EXECUTION)
            return r;
    }
    return EXCEPTION_CONTINUE_SEARCH;
}

void *WINAPI SetUnhandledExceptionFilter(void *filter)
{
    return __atomic_exchange_n(&exc_unhandled_filter, filter, __ATOMIC_ACQ_REL);
}
THK_EXPORT(kernel32, SetUnhandledExceptionFilter, 1);

/* Without a debugger: the filter set with SetUnhandledExceptionFilter decides; none set means
 * EXCEPTION_EXECUTE_HANDLER (the process ends). */
LONG WINAPI UnhandledExceptionFilter(EXCEPTION_POINTERS *ptrs)
{
    void *filter = __atomic_load_n(&exc_unhandled_filter, __ATOMIC_ACQUIRE);
    if (!filter)
        return EXCEPTION_EXECUTE_HANDLER;
    LONG r = (LONG)thk_call_foreign1(filter, (uint64_t)(uintptr_t)ptrs);
    return r == EXCEPTION_CONTINUE_EXECUTION ? r : EXCEPTION_EXECUTE_HANDLER;
}
THK_EXPORT(kernel32, UnhandledExceptionFilter, 1);

void thk_exceptions_reset(void)
{
    pthread_mutex_lock(&exc_vectored_lock);
    while (exc_vectored_list) {
        exc_vectored *v = exc_vectored_list;
        exc_vectored_list = v->next;
        free(v);
    }
    pthread_mutex_unlock(&exc_vectored_lock);
    pthread_mutex_lock(&exc_dyn_lock);
    while (exc_dyn_tables) {
        exc_dyn_table *t = exc_dyn_tables;
        exc_dyn_tables = t->next;
        free(t);
    }
    pthread_mutex_unlock(&exc_dyn_lock);
    __atomic_store_n(&exc_unhandled_filter, NULL, __ATOMIC_RELEASE);
    /* A run that ended inside a dispatch (unhandled exception, ExitProcess from a handler)
     * left its records on a stack that is gone. */
    exc_set_top(NULL);
    exc_guard_n = 0;
    exc_guard_spill = NULL;
    /* So did the notes of locks its built-ins held (their locks are reset with their DLLs). */
    thk_held_locks.n = 0;
}

/* ======================================================================================== */
/* Dispatch                                                                                 */
/* ======================================================================================== */

static const char *exc_name(DWORD code)
{
    switch (code) {
    case 0xC0000005: return "EXCEPTION_ACCESS_VIOLATION";
    case 0x80000001: return "EXCEPTION_GUARD_PAGE";
    case 0x80000002: return "EXCEPTION_DATATYPE_MISALIGNMENT";
    case 0x80000003: return "EXCEPTION_BREAKPOINT";
    case 0x80000004: return "EXCEPTION_SINGLE_STEP";
    case 0xC0000006: return "EXCEPTION_IN_PAGE_ERROR";
    case 0xC0000008: return "EXCEPTION_INVALID_HANDLE";
    case 0xC000001D: return "EXCEPTION_ILLEGAL_INSTRUCTION";
    case 0xC0000025: return "EXCEPTION_NONCONTINUABLE_EXCEPTION";
    case 0xC0000026: return "EXCEPTION_INVALID_DISPOSITION";
    case 0xC000008C: return "EXCEPTION_ARRAY_BOUNDS_EXCEEDED";
    case 0xC000008D: return "EXCEPTION_FLT_DENORMAL_OPERAND";
    case 0xC000008E: return "EXCEPTION_FLT_DIVIDE_BY_ZERO";
    case 0xC000008F: return "EXCEPTION_FLT_INEXACT_RESULT";
    case 0xC0000090: return "EXCEPTION_FLT_INVALID_OPERATION";
    case 0xC0000091: return "EXCEPTION_FLT_OVERFLOW";
    case 0xC0000092: return "EXCEPTION_FLT_STACK_CHECK";
    case 0xC0000093: return "EXCEPTION_FLT_UNDERFLOW";
    case 0xC0000094: return "EXCEPTION_INT_DIVIDE_BY_ZERO";
    case 0xC0000095: return "EXCEPTION_INT_OVERFLOW";
    case 0xC0000096: return "EXCEPTION_PRIV_INSTRUCTION";
    case 0xC00000FD: return "EXCEPTION_STACK_OVERFLOW";
    case 0xC0000409: return "STATUS_STACK_BUFFER_OVERRUN (fail fast)";
    case 0xC0000602: return "STATUS_FAIL_FAST_EXCEPTION";
    case 0x20474343: return "C++ exception (GCC)";
    case 0xE06D7363: return "C++ exception (MSVC)";
    default: return "software exception";
    }
}

/* The one line (and the faulting instruction) for an unhandled exception, then the end of the
 * process with the exception code. nf: the saved state of a fault inside a built-in. */
__attribute__((noreturn)) static void exc_report_unhandled(const EXCEPTION_RECORD *rec,
                                                           const CONTEXT *ctx,
                                                           const rt_native_fault *nf)
{
    uintptr_t addr = (uintptr_t)rec->ExceptionAddress;
    const char *mod = NULL;
    uintptr_t off = 0;
    char where[256] = "", what[96] = "", insn[96];
    if (rt_describe_address(addr, &mod, &off))
        snprintf(where, sizeof where, " (%s+0x%lx)", mod, (unsigned long)off);
    if (rec->ExceptionCode == (DWORD)STATUS_ACCESS_VIOLATION && rec->NumberParameters >= 2) {
        ULONG_PTR kind = rec->ExceptionInformation[0];
        snprintf(what, sizeof what, ": %s 0x%lx",
                 kind == 1 ? "write to" : kind == 8 ? "execute at" : "read from",
                 (unsigned long)rec->ExceptionInformation[1]);
    }
    bool hardware = rec->ExceptionCode == (DWORD)STATUS_ACCESS_VIOLATION ||
                    (rec->ExceptionCode >= 0xC000008C && rec->ExceptionCode <= 0xC0000096) ||
                    rec->ExceptionCode == (DWORD)STATUS_ILLEGAL_INSTRUCTION ||
                    rec->ExceptionCode == (DWORD)STATUS_BREAKPOINT;
    if (hardware && (nf || (ctx && addr && !rt_addr_is_foreign(addr) &&
                            rt_addr_is_foreign(ctx->Rip)))) {
        /* A fault inside a built-in (runtime/signal.c) that no handler took: the report names
         * the built-in and its caller; no exit hooks, the native code may hold a lock. */
        if (rec->ExceptionCode == (DWORD)STATUS_ACCESS_VIOLATION && rec->NumberParameters >= 2)
            snprintf(what, sizeof what, "access violation %s 0x%lx",
                     rec->ExceptionInformation[0] == 1 ? "writing" : "reading",
                     (unsigned long)rec->ExceptionInformation[1]);
        else
            snprintf(what, sizeof what, "%s", exc_name(rec->ExceptionCode));
        rt_builtin_fault_report(rec->ExceptionCode, what, nf ? nf->ip : addr,
                                nf ? nf->ret : (uintptr_t)ctx->Rip);
    }
    rt_note_exception(rec->ExceptionCode, addr, NULL, NULL); /* for the embedder */
    rt_message("%s: unhandled exception 0x%08X (%s) at 0x%lx%s%s",
               rt_proc.exe_name ? rt_proc.exe_name : "program", rec->ExceptionCode,
               exc_name(rec->ExceptionCode), (unsigned long)addr, where, what);
    if (hardware && rt_addr_is_foreign(addr)) {
        rt_describe_insn(addr, insn, sizeof insn);
        if (strcmp(insn, "?") != 0)
            rt_message("  faulting instruction: %s", insn);
    }
    (void)ctx;
    rt_exit_process(rec->ExceptionCode);
}

/* Back into a built-in's native code at its faulting instruction (a handler continued the
 * fault, thunks/ntdll's part of the retry): the dispatches and unwinds below its stack
 * pointer are over, as for exc_resume. */
__attribute__((noreturn)) static void exc_resume_native(const rt_native_fault *nf)
{
    exc_prune_below(nf->sp);
    exc_guards_over(nf->sp);
    void (*hook)(uint64_t) = __atomic_load_n(&exc_resume_hook, __ATOMIC_ACQUIRE);
    if (hook)
        hook(nf->sp);
    rt_stack_frames_over(nf->sp);
    rt_native_fault_resume(nf);
}

/* The search reached guard g: as the __except of Windows' loader, the guard takes the
 * exception. The foreign frames between the exception and the guarded call are unwound (their
 * termination handlers and destructors run, the record flagged EXCEPTION_UNWINDING), what the
 * dispatch kept for frames below the guard is dropped (dispatch records, built-ins' held
 * locks, C++ catch state), and the guarded call returns from its own native frame. The
 * dispatcher runs natively (selector ALLOW), as the guarded call's caller does. */
__attribute__((noreturn)) static void exc_guard_catch(exc_guard *g, EXCEPTION_RECORD *rec)
{
    CONTEXT context;
    UNWIND_HISTORY_TABLE table;
    exc_active self = {.outer = exc_live_top(), .is_unwind = true, .guard = g};
    memset(&table, 0, sizeof table);
    self.orig = (CONTEXT *)self.outer->start;
    self.start = self.orig;
    g->code = rec->ExceptionCode;
    rec->ExceptionFlags |= EXCEPTION_UNWINDING;
    exc_set_top(&self);
    if (!exc_unwind_walk(NULL, &self, NULL, NULL, rec, &context, &table) || !self.guard_reached) {
        rt_message("%s: exception 0x%08X: its unwind did not reach the loader's call of the "
                   "code that raised it", rt_proc.exe_name ? rt_proc.exe_name : "program",
                   rec->ExceptionCode);
        rt_exit_process((uint32_t)STATUS_BAD_STACK);
    }
    uintptr_t sp = (uintptr_t)g;
    exc_prune_below(sp);
    exc_guard_cut(g, true); /* thk_call_foreign_guarded takes it off */
    thk_held_release_below(sp);
    void (*hook)(uint64_t) = __atomic_load_n(&exc_resume_hook, __ATOMIC_ACQUIRE);
    if (hook)
        hook(sp);
    rt_stack_frames_over(sp);
    __builtin_longjmp(g->jb, 1);
}

bool thk_call_foreign_guarded(const void *fn, int nargs, const uint64_t *args, uint64_t *ret,
                              uint32_t *code)
{
    exc_guard g;
    exc_guards_over((uintptr_t)__builtin_frame_address(0));
    g.code = 0;
    g.code_out = code;
    g.ret_out = ret;
    if (__builtin_setjmp(g.jb)) {
        exc_guard *caught = &g; /* reached by exc_guard_catch's jump (which made &g innermost) */
        exc_guard_cut(caught, false);
        *caught->code_out = caught->code;
        *caught->ret_out = 0;
        return false;
    }
    exc_guard_push(&g);
    *ret = thk_call_foreign(fn, nargs, args);
    exc_guard_cut(&g, false);
    *code = 0;
    return true;
}

/* RtlDispatchException + what follows it in KiUserExceptionDispatcher: never returns. ctx is
 * a 16-byte aligned native copy that handlers may change. nf: the saved state of a fault
 * inside a built-in (see exc_fault_dispatcher), else NULL. */
__attribute__((noreturn)) static void exc_dispatch_in(EXCEPTION_RECORD *rec, CONTEXT *ctx,
                                                      const rt_native_fault *nf)
{
    CONTEXT snapshot = *ctx;
    /* Dispatches and guards below the code that raised this one are over (foreign code left
     * them by a way of its own, a longjmp out of a handler): the new dispatch may reuse their
     * place (the dispatch stack's top). */
    exc_prune_below(ctx->Rsp);
    exc_guards_over(ctx->Rsp);
    exc_active act = {.outer = exc_live_top(), .is_unwind = false, .orig = ctx,
                      .start = &snapshot};
    EXCEPTION_POINTERS ptrs = {rec, ctx};
    exc_set_top(&act);

    NTSTATUS st;
    LONG vr = exc_call_vectored(&ptrs, false);
    /* This dispatch is live again: a nested one a handler raised on another stack dropped its
     * record when it resumed there (the dispatch stack counts as deeper than all others). */
    exc_set_top(&act);
    if (vr == EXCEPTION_CONTINUE_EXECUTION)
        goto resume;
    st = exc_call_stack_handlers(rec, &act);
    if (st == STATUS_SUCCESS)
        goto resume;
    if (st == STATUS_UNHANDLED_EXCEPTION) {
        if (!(rec->ExceptionFlags & EXCEPTION_STACK_INVALID) &&
            UnhandledExceptionFilter(&ptrs) == EXCEPTION_CONTINUE_EXECUTION &&
            !(rec->ExceptionFlags & EXCEPTION_NONCONTINUABLE))
            goto resume;
        if (rec->ExceptionFlags & EXCEPTION_STACK_INVALID)
            rt_message("%s: exception 0x%08X with the stack pointer at 0x%lx, outside the "
                       "thread's stack: no frame handler or unhandled-exception filter runs "
                       "(as on Windows)", rt_proc.exe_name ? rt_proc.exe_name : "program",
                       rec->ExceptionCode, (unsigned long)ctx->Rsp);
        exc_report_unhandled(rec, ctx, nf);
    }
    /* A handler continued a noncontinuable exception or returned nonsense: a new,
     * noncontinuable exception with the first one chained, as Windows raises. */
    {
        EXCEPTION_RECORD nrec;
        memset(&nrec, 0, sizeof nrec);
        nrec.ExceptionCode = (DWORD)st;
        nrec.ExceptionFlags = EXCEPTION_NONCONTINUABLE;
        nrec.ExceptionRecord = rec;
        nrec.ExceptionAddress = rec->ExceptionAddress;
        exc_set_top(act.outer);
        exc_dispatch_in(&nrec, ctx, NULL);
    }
resume:
    exc_call_vectored(&ptrs, true);
    /* Continued where it was reported: a fault inside a built-in retries its native
     * instruction; a handler that moved the context on (rip or rsp) resumes foreign code. */
    if (nf && ctx->Rip == snapshot.Rip && ctx->Rsp == snapshot.Rsp)
        exc_resume_native(nf);
    exc_resume_ymmh(ctx, rt_exc_frame_ymmh(ctx)); /* with the XSTATE a handler may have set */
}

__attribute__((noreturn)) static void exc_dispatch(EXCEPTION_RECORD *rec, CONTEXT *ctx)
{
    exc_dispatch_in(rec, ctx, NULL);
}

void thk_raise_exception(EXCEPTION_RECORD *rec, CONTEXT *ctx)
{
    exc_dispatch(rec, ctx);
}

void thk_unwind_from_handler(void *frame, void *target_ip, EXCEPTION_RECORD *rec, void *retval,
                             CONTEXT *context, UNWIND_HISTORY_TABLE *table)
{
    exc_unwind(NULL, frame, target_ip, rec, retval, context, table);
}

/* A fault inside a built-in: Windows reports a fault inside a system DLL at its instruction
 * there, with the DLL's registers. ntrun shows it at the entry of the export's stub in the
 * built-in DLL's image, with the registers of the foreign caller (the runtime stepped the
 * native frames over) and the caller's return address at Rsp: a leaf frame to any unwinder.
 * So ExceptionAddress and ContextRecord->Rip agree and lie inside the DLL, and continuing
 * with them as they are retries the native instruction (exc_dispatch_in). When the stub is
 * not known, the context stays at the caller's return address and ExceptionAddress is the
 * native instruction, outside every module. */
static void exc_show_native_fault(EXCEPTION_RECORD *rec, CONTEXT *ctx, const rt_native_fault *nf)
{
    uintptr_t stub = thk_stub_of_impl(nf->callee);
    DWORD64 ra;
    if (!stub || !exc_read64(ctx->Rsp - 8, &ra) || ra != ctx->Rip)
        return;
    ctx->Rsp -= 8;
    ctx->Rip = stub;
    rec->ExceptionAddress = (void *)stub;
}

/* Hardware faults (runtime/exception.c): on the foreign stack, outside the signal handler. */
static void exc_fault_dispatcher(EXCEPTION_RECORD *rec, CONTEXT *ctx)
{
    const rt_native_fault *nf = rt_exc_native_fault(ctx);
    /* __fastfail (int 0x29) ends the process at once: no handler sees it. */
    if (rec->ExceptionCode == STATUS_STACK_BUFFER_OVERRUN)
        exc_report_unhandled(rec, ctx, nf);
    if (nf)
        exc_show_native_fault(rec, ctx, nf);
    exc_dispatch_in(rec, ctx, nf);
}

/* RaiseFailFastException(rec, ctx, flags): no handlers, the process ends. */
__attribute__((noreturn)) static void WINAPI exc_RaiseFailFastException(EXCEPTION_RECORD *rec,
                                                                        CONTEXT *ctx,
                                                                        DWORD flags)
{
    EXCEPTION_RECORD r;
    memset(&r, 0, sizeof r);
    if (!rec || rt_safe_copy(&r, rec, sizeof r) != 0) {
        memset(&r, 0, sizeof r);
        r.ExceptionCode = 0xC0000602; /* STATUS_FAIL_FAST_EXCEPTION */
    }
    r.ExceptionFlags |= EXCEPTION_NONCONTINUABLE;
    if (r.NumberParameters > EXCEPTION_MAXIMUM_PARAMETERS)
        r.NumberParameters = EXCEPTION_MAXIMUM_PARAMETERS;
    exc_report_unhandled(&r, NULL, NULL);
}
THK_EXPORT_AS(kernel32, RaiseFailFastException, exc_RaiseFailFastException, 3);

extern char exc_entry_RtlCaptureContext_end[], exc_entry_setjmp_end[];
extern char exc_entry_no_room[], exc_entry_no_room_end[]; /* exc_entry.S */
extern char thk_call_foreign_site[], thk_call_foreign_site_end[]; /* thunks/thunk_asm.S */
void exc_entry_RtlCaptureContext(void);
void exc_entry_setjmp(void);

/* Where the raise with no room is reported (exc_capture.inc, r10 = the entry): at the export
 * the program called, as Windows', whose frames fault inside the system DLL. Reads the
 * export tables only: async-signal-safe. */
static uintptr_t exc_no_room_at(const ucontext_t *uc)
{
    return thk_stub_of_impl((uintptr_t)uc->uc_mcontext.gregs[REG_R10]);
}

__attribute__((constructor)) static void exc_register(void)
{
    exc_builtin_entry_init();
    rt_set_exception_dispatcher(exc_fault_dispatcher);
    rt_set_builtin_fault_unwinder(thk_unwind_native_fault);
    rt_set_foreign_call_site((uintptr_t)thk_call_foreign_site,
                             (uintptr_t)thk_call_foreign_site_end, REG_R12);
    rt_exc_register_leaf((const void *)exc_entry_RtlCaptureContext,
                         exc_entry_RtlCaptureContext_end);
    rt_exc_register_leaf((const void *)exc_entry_setjmp, exc_entry_setjmp_end);
    rt_exc_register_leaf_at(exc_entry_no_room, exc_entry_no_room_end, RT_EXC_RAISE_FRAMES,
                            exc_no_room_at);
}

/* ======================================================================================== */
/* Entry points (exc_entry.S captures the caller's CONTEXT and calls these)                 */
/* ======================================================================================== */

void exc_entry_RaiseException(void);
void exc_entry_RtlRaiseException(void);
void exc_entry_RtlUnwindEx(void);
void exc_entry_RtlUnwind(void);
void exc_entry_RtlRestoreContext(void);
void exc_entry_longjmp(void);
void exc_entry_RtlCaptureStackBackTrace(void);
void exc_entry_RtlWalkFrameChain(void);

/* RaiseException(code, flags, nparams, params) */
__attribute__((noreturn, used)) void exc_raise_exception(CONTEXT *ctx, uint64_t code,
                                                         uint64_t flags, uint64_t nparams,
                                                         uint64_t params, const uint64_t *stack)
{
    EXCEPTION_RECORD rec;
    memset(&rec, 0, sizeof rec);
    rec.ExceptionCode = (DWORD)code;
    rec.ExceptionFlags = (DWORD)flags & EXCEPTION_NONCONTINUABLE;
    rec.ExceptionAddress = (void *)(uintptr_t)ctx->Rip;
    if (params) {
        DWORD n = (DWORD)nparams;
        if (n > EXCEPTION_MAXIMUM_PARAMETERS)
            n = EXCEPTION_MAXIMUM_PARAMETERS;
        if (rt_safe_copy(rec.ExceptionInformation, (const void *)(uintptr_t)params,
                         n * sizeof(ULONG_PTR)) == 0)
            rec.NumberParameters = n;
    }
    exc_dispatch(&rec, ctx);
}
THK_EXPORT_AS(kernel32, RaiseException, exc_entry_RaiseException, THK_RAW);

/* RtlRaiseException(rec): the record is the caller's (handlers see and may change it). */
__attribute__((noreturn, used)) void exc_rtl_raise_exception(CONTEXT *ctx, uint64_t recp,
                                                             uint64_t a1, uint64_t a2,
                                                             uint64_t a3, const uint64_t *stack)
{
    EXCEPTION_RECORD *rec = (EXCEPTION_RECORD *)(uintptr_t)recp;
    EXCEPTION_RECORD probe;
    if (!rec || rt_safe_copy(&probe, rec, sizeof probe) != 0 ||
        rt_safe_copy(rec, &probe, sizeof probe) != 0) {
        EXCEPTION_RECORD av;
        memset(&av, 0, sizeof av);
        av.ExceptionCode = (DWORD)STATUS_ACCESS_VIOLATION;
        av.ExceptionAddress = (void *)(uintptr_t)ctx->Rip;
        av.NumberParameters = 2;
        av.ExceptionInformation[1] = (ULONG_PTR)recp;
        exc_dispatch(&av, ctx);
    }
    rec->ExceptionAddress = (void *)(uintptr_t)ctx->Rip;
    exc_dispatch(rec, ctx);
}
THK_EXPORT_AS(ntdll, RtlRaiseException, exc_entry_RtlRaiseException, THK_RAW);

/* Can foreign memory [p, p+n) be read and written? (Written back unchanged.) */
static bool exc_probe_rw(void *p, size_t n)
{
    uint8_t buf[256];
    for (size_t off = 0; off < n; off += sizeof buf) {
        size_t k = n - off < sizeof buf ? n - off : sizeof buf;
        if (rt_safe_copy(buf, (uint8_t *)p + off, k) != 0 ||
            rt_safe_copy((uint8_t *)p + off, buf, k) != 0)
            return false;
    }
    return true;
}

/* An access violation at the caller of an export that was given a bad pointer. */
__attribute__((noreturn)) static void exc_raise_bad_pointer(CONTEXT *here, uint64_t addr)
{
    EXCEPTION_RECORD av;
    memset(&av, 0, sizeof av);
    av.ExceptionCode = (DWORD)STATUS_ACCESS_VIOLATION;
    av.ExceptionAddress = (void *)(uintptr_t)here->Rip;
    av.NumberParameters = 2;
    av.ExceptionInformation[0] = 1;
    av.ExceptionInformation[1] = (ULONG_PTR)addr;
    exc_dispatch(&av, here);
}

/* RtlUnwindEx(frame, target_ip, rec, retval, context, history) */
__attribute__((noreturn, used)) void exc_rtl_unwind_ex(CONTEXT *here, uint64_t frame,
                                                       uint64_t ip, uint64_t rec,
                                                       uint64_t retval, const uint64_t *stack)
{
    if (rec && !exc_probe_rw((void *)(uintptr_t)rec, sizeof(EXCEPTION_RECORD)))
        exc_raise_bad_pointer(here, rec);
    if (stack[0] && !exc_probe_rw((void *)(uintptr_t)stack[0], sizeof(CONTEXT)))
        exc_raise_bad_pointer(here, stack[0]);
    if (stack[1] && !exc_probe_rw((void *)(uintptr_t)stack[1], sizeof(UNWIND_HISTORY_TABLE)))
        exc_raise_bad_pointer(here, stack[1]);
    exc_unwind(here, (void *)(uintptr_t)frame, (void *)(uintptr_t)ip,
               (EXCEPTION_RECORD *)(uintptr_t)rec, (void *)(uintptr_t)retval,
               (CONTEXT *)(uintptr_t)stack[0], (UNWIND_HISTORY_TABLE *)(uintptr_t)stack[1]);
}
THK_EXPORT_AS(ntdll, RtlUnwindEx, exc_entry_RtlUnwindEx, THK_RAW);
THK_EXPORT_AS(kernel32, RtlUnwindEx, exc_entry_RtlUnwindEx, THK_RAW);

/* RtlUnwind(frame, target_ip, rec, retval) */
__attribute__((noreturn, used)) void exc_rtl_unwind(CONTEXT *here, uint64_t frame, uint64_t ip,
                                                    uint64_t rec, uint64_t retval,
                                                    const uint64_t *stack)
{
    if (rec && !exc_probe_rw((void *)(uintptr_t)rec, sizeof(EXCEPTION_RECORD)))
        exc_raise_bad_pointer(here, rec);
    exc_unwind(here, (void *)(uintptr_t)frame, (void *)(uintptr_t)ip,
               (EXCEPTION_RECORD *)(uintptr_t)rec, (void *)(uintptr_t)retval, NULL, NULL);
}
THK_EXPORT_AS(ntdll, RtlUnwind, exc_entry_RtlUnwind, THK_RAW);
THK_EXPORT_AS(kernel32, RtlUnwind, exc_entry_RtlUnwind, THK_RAW);

/* msvcrt's x64 _JUMP_BUFFER */
typedef struct {
    DWORD64 Frame, Rbx, Rsp, Rbp, Rsi, Rdi, R12, R13, R14, R15, Rip; /* 0x00 */
    DWORD MxCsr;                                                      /* 0x58 */
    WORD FpCsr;                                                       /* 0x5c */
    WORD Spare;                                                       /* 0x5e */
    M128A Xmm6_15[10];                                                /* 0x60 */
} __attribute__((packed, aligned(8))) exc_jump_buffer;
_Static_assert(sizeof(exc_jump_buffer) == 0x100, "_JUMP_BUFFER");

static bool exc_load_jump_buffer(CONTEXT *c, const void *buf)
{
    exc_jump_buffer jb;
    if (rt_safe_copy(&jb, buf, sizeof jb) != 0)
        return false;
    c->Rbx = jb.Rbx;
    c->Rsp = jb.Rsp;
    c->Rbp = jb.Rbp;
    c->Rsi = jb.Rsi;
    c->Rdi = jb.Rdi;
    c->R12 = jb.R12;
    c->R13 = jb.R13;
    c->R14 = jb.R14;
    c->R15 = jb.R15;
    c->Rip = jb.Rip;
    c->MxCsr = jb.MxCsr;
    c->FltSave.MxCsr = jb.MxCsr;
    c->FltSave.ControlWord = jb.FpCsr;
    memcpy(&c->Xmm[6], jb.Xmm6_15, sizeof jb.Xmm6_15);
    return true;
}

/* The end of RtlRestoreContext/RtlUnwindEx: STATUS_LONGJUMP takes its registers from the jump
 * buffer, STATUS_UNWIND_CONSOLIDATE asks its callback for the target. */
__attribute__((noreturn)) static void exc_restore_with_record(CONTEXT *ctx, EXCEPTION_RECORD *rec)
{
    CONTEXT c;
    memcpy(&c, ctx, sizeof c);
    if (rec && rec->ExceptionCode == (DWORD)STATUS_LONGJUMP && rec->NumberParameters >= 1) {
        exc_load_jump_buffer(&c, (const void *)(uintptr_t)rec->ExceptionInformation[0]);
    } else if (rec && rec->ExceptionCode == (DWORD)STATUS_UNWIND_CONSOLIDATE &&
               rec->NumberParameters >= 1) {
        /* The callback (a C++ catch block) runs on this stack, below the frames the unwind
         * has logically left. A walk that reaches its native caller goes on at the target
         * frame, as Windows' consolidated frames make it look like the callback's caller;
         * the dispatches and unwinds that led here are over for such walks. */
        CONTEXT target = c;
        exc_active cons = {.outer = exc_consolidate_outer(c.Rsp), .is_unwind = false,
                           .orig = &target, .start = &target};
        exc_set_top(&cons);
        void *cb = (void *)(uintptr_t)rec->ExceptionInformation[0];
        if (rt_addr_is_foreign((uintptr_t)cb))
            c.Rip = thk_call_foreign1(cb, (uint64_t)(uintptr_t)rec);
        else /* a built-in's catch-block caller (thunks/vcruntime140) */
            c.Rip = ((thk_consolidate_fn)cb)(rec, &target);
    }
    exc_resume(&c);
}

/* For other built-ins that end by resuming foreign code at a CONTEXT (kernel32's
 * SetThreadContext on the calling thread). */
__attribute__((noreturn)) void thk_resume_context(const CONTEXT *ctx)
{
    exc_resume(ctx);
}

__attribute__((noreturn)) void thk_resume_context_ymmh(const CONTEXT *ctx, const M128A *ymmh)
{
    exc_resume_ymmh(ctx, ymmh);
}

/* RtlRestoreContext(context, rec) */
__attribute__((noreturn, used)) void exc_rtl_restore_context(CONTEXT *here, uint64_t ctxp,
                                                             uint64_t recp, uint64_t a2,
                                                             uint64_t a3, const uint64_t *stack)
{
    CONTEXT c;
    if (rt_safe_copy(&c, (const void *)(uintptr_t)ctxp, sizeof c) != 0) {
        EXCEPTION_RECORD av;
        memset(&av, 0, sizeof av);
        av.ExceptionCode = (DWORD)STATUS_ACCESS_VIOLATION;
        av.ExceptionAddress = (void *)(uintptr_t)here->Rip;
        av.NumberParameters = 2;
        av.ExceptionInformation[1] = (ULONG_PTR)ctxp;
        exc_dispatch(&av, here);
    }
    exc_restore_with_record(&c, (EXCEPTION_RECORD *)(uintptr_t)recp);
    __builtin_unreachable();
}
THK_EXPORT_AS(ntdll, RtlRestoreContext, exc_entry_RtlRestoreContext, THK_RAW);
THK_EXPORT_AS(kernel32, RtlRestoreContext, exc_entry_RtlRestoreContext, THK_RAW);

THK_EXPORT_AS(ntdll, RtlCaptureContext, exc_entry_RtlCaptureContext, THK_RAW);
THK_EXPORT_AS(kernel32, RtlCaptureContext, exc_entry_RtlCaptureContext, THK_RAW);

/* longjmp(buf, value): back to the _setjmp's registers; see the file comment about unwinding. */
__attribute__((noreturn, used)) void exc_longjmp(CONTEXT *here, uint64_t buf, uint64_t value,
                                                 uint64_t a2, uint64_t a3, const uint64_t *stack)
{
    CONTEXT c = *here;
    if (!exc_load_jump_buffer(&c, (const void *)(uintptr_t)buf)) {
        EXCEPTION_RECORD av;
        memset(&av, 0, sizeof av);
        av.ExceptionCode = (DWORD)STATUS_ACCESS_VIOLATION;
        av.ExceptionAddress = (void *)(uintptr_t)here->Rip;
        av.NumberParameters = 2;
        av.ExceptionInformation[1] = (ULONG_PTR)buf;
        exc_dispatch(&av, here);
    }
    c.Rax = (uint32_t)value ? (uint32_t)value : 1;
    exc_resume(&c);
}
THK_EXPORT_AS(msvcrt, longjmp, exc_entry_longjmp, THK_RAW);
THK_EXPORT_AS(msvcrt, _setjmp, exc_entry_setjmp, THK_RAW);
THK_EXPORT_AS(msvcrt, _setjmpex, exc_entry_setjmp, THK_RAW);
/* the UCRT's names for them (api-ms-win-crt-private-l1-1-0), which mingw-w64's setjmp calls */
THK_EXPORT_AS(ucrtbase, __intrinsic_setjmp, exc_entry_setjmp, THK_RAW);
THK_EXPORT_AS(ucrtbase, __intrinsic_setjmpex, exc_entry_setjmp, THK_RAW);

/* ======================================================================================== */
/* __C_specific_handler                                                                     */
/* ======================================================================================== */

typedef struct {
    DWORD Count;
    struct {
        DWORD BeginAddress;
        DWORD EndAddress;
        DWORD HandlerAddress; /* filter, EXCEPTION_EXECUTE_HANDLER (1), or __finally block */
        DWORD JumpTarget;     /* __except block; 0 for __finally */
    } ScopeRecord[];
} exc_scope_table;

/* The language handler of C __try/__except/__finally (msvcrt and ntdll export it). */
static int32_t WINAPI exc_C_specific_handler(EXCEPTION_RECORD *rec, void *frame, CONTEXT *context,
                                             DISPATCHER_CONTEXT *d)
{
    const exc_scope_table *table = d->HandlerData;
    DWORD64 base = d->ImageBase;
    DWORD64 pc = d->ControlPc - base;

    if (rec->ExceptionFlags & (EXCEPTION_UNWINDING | EXCEPTION_EXIT_UNWIND)) {
        for (DWORD i = d->ScopeIndex; i < table->Count; i++) {
            if (pc < table->ScopeRecord[i].BeginAddress || pc >= table->ScopeRecord[i].EndAddress)
                continue;
            if ((rec->ExceptionFlags & EXCEPTION_TARGET_UNWIND) &&
                d->TargetIp >= base + table->ScopeRecord[i].BeginAddress &&
                d->TargetIp < base + table->ScopeRecord[i].EndAddress)
                break;
            if (table->ScopeRecord[i].JumpTarget)
                continue; /* an __except: nothing to run when unwinding */
            d->ScopeIndex = i + 1;
            thk_call_foreign2((void *)(uintptr_t)(base + table->ScopeRecord[i].HandlerAddress),
                              1 /* abnormal termination */, (uint64_t)(uintptr_t)frame);
        }
        return ExceptionContinueSearch;
    }
    for (DWORD i = d->ScopeIndex; i < table->Count; i++) {
        if (pc < table->ScopeRecord[i].BeginAddress || pc >= table->ScopeRecord[i].EndAddress)
            continue;
        if (!table->ScopeRecord[i].JumpTarget)
            continue;
        if (table->ScopeRecord[i].HandlerAddress != EXCEPTION_EXECUTE_HANDLER) {
            EXCEPTION_POINTERS ptrs = {rec, context};
            LONG r = (LONG)thk_call_foreign2(
                (void *)(uintptr_t)(base + table->ScopeRecord[i].HandlerAddress),
                (uint64_t)(uintptr_t)&ptrs, (uint64_t)(uintptr_t)frame);
            if (r == EXCEPTION_CONTINUE_EXECUTION)
                return ExceptionContinueExecution;
            if (r == EXCEPTION_CONTINUE_SEARCH)
                continue;
        }
        exc_unwind(NULL, frame, (void *)(uintptr_t)(base + table->ScopeRecord[i].JumpTarget), rec,
                   (void *)(uintptr_t)rec->ExceptionCode, d->ContextRecord, d->HistoryTable);
    }
    return ExceptionContinueSearch;
}
THK_EXPORT_AS(ntdll, __C_specific_handler, exc_C_specific_handler, 4);
THK_EXPORT_AS(msvcrt, __C_specific_handler, exc_C_specific_handler, 4);
THK_EXPORT_AS(vcruntime140, __C_specific_handler, exc_C_specific_handler, 4);

/* ======================================================================================== */
/* RtlCaptureStackBackTrace                                                                 */
/* ======================================================================================== */

/* The return addresses of the frames from `here` (its own first) through the built-ins that
 * called foreign code (exc_unwind_builtin), up to the thread's first frame: the first `skip`
 * left out, at most `count` written to `out` (foreign memory). Returns how many, with their
 * sum in *hash. */
static uint32_t exc_back_trace(const CONTEXT *here, uint32_t skip, uint32_t count, void **out,
                               uint32_t *hash)
{
    UNWIND_HISTORY_TABLE table;
    DISPATCHER_CONTEXT d;
    CONTEXT ctx = *here;
    uint32_t n = 0, seen = 0;

    memset(&table, 0, sizeof table);
    memset(&d, 0, sizeof d);
    d.ContextRecord = &ctx;
    d.HistoryTable = &table;
    *hash = 0;
    while (n < count && seen < 1024) {
        void *pc = (void *)(uintptr_t)ctx.Rip;
        bool foreign = exc_frame_is_foreign(&ctx);
        if (!foreign) {
            /* A built-in that called foreign code: on to its caller. Its own frames appear as
             * one, inside its export stub (10: past the stub's first instruction, so that pc
             * and pc - 1 both name the export), as a frame inside the DLL would. */
            uint64_t callee;
            if (!exc_unwind_builtin(&ctx, &callee))
                break;
            uintptr_t stub = thk_stub_of_impl(callee);
            if (!stub)
                continue;
            pc = (void *)(stub + 10);
        }
        if (seen++ >= skip) {
            if (rt_safe_copy(&out[n], &pc, sizeof pc) != 0)
                break;
            *hash += (uint32_t)(uintptr_t)pc;
            n++;
        }
        if (foreign)
            exc_unwind_frame(UNW_FLAG_NHANDLER, &d, &ctx);
    }
    return n;
}

bool thk_unwind_builtin_frame(CONTEXT *ctx, uintptr_t *stub)
{
    uint64_t callee;
    *stub = 0;
    if (!exc_unwind_builtin(ctx, &callee))
        return false;
    if (callee)
        *stub = thk_stub_of_impl(callee);
    return true;
}

/* RtlCaptureStackBackTrace(skip, count, frames, hash): the return addresses of the caller's
 * frames, its own first (exc_back_trace). */
__attribute__((noreturn, used)) void exc_capture_stack_back_trace(CONTEXT *here, uint64_t skip,
                                                                  uint64_t count,
                                                                  uint64_t frames,
                                                                  uint64_t hashp,
                                                                  const uint64_t *stack)
{
    uint32_t hash;
    uint32_t n = exc_back_trace(here, (uint32_t)skip, (uint32_t)count,
                                (void **)(uintptr_t)frames, &hash);
    (void)stack;
    if (hashp)
        rt_safe_copy((void *)(uintptr_t)hashp, &hash, sizeof hash);
    CONTEXT back = *here;
    back.Rax = (uint16_t)n;
    exc_resume(&back);
}
THK_EXPORT_AS(ntdll, RtlCaptureStackBackTrace, exc_entry_RtlCaptureStackBackTrace, THK_RAW);
THK_EXPORT_AS(kernel32, RtlCaptureStackBackTrace, exc_entry_RtlCaptureStackBackTrace, THK_RAW);

/* RtlWalkFrameChain(frames, count, flags): the same walk; the frames to skip are in the flags'
 * bits 8 and up (RTL_STACK_WALKING_MODE_FRAMES_TO_SKIP_SHIFT), the mode bits below them ask
 * for the user-mode stack, the only one there is. */
__attribute__((noreturn, used)) void exc_walk_frame_chain(CONTEXT *here, uint64_t frames,
                                                          uint64_t count, uint64_t flags,
                                                          uint64_t a3, const uint64_t *stack)
{
    uint32_t hash;
    (void)a3;
    (void)stack;
    uint32_t n = exc_back_trace(here, (uint32_t)flags >> 8, (uint32_t)count,
                                (void **)(uintptr_t)frames, &hash);
    CONTEXT back = *here;
    back.Rax = n;
    exc_resume(&back);
}
THK_EXPORT_AS(ntdll, RtlWalkFrameChain, exc_entry_RtlWalkFrameChain, THK_RAW);
