/* SPDX-License-Identifier: MIT */
/* dbghelp's StackWalk64 and StackWalkEx for x64 (IMAGE_FILE_MACHINE_AMD64) over the calling
 * thread's stack: the unwind data (.pdata) of each frame through RtlLookupFunctionEntry and
 * RtlVirtualUnwind, a function without unwind data being a leaf (its return address at Rsp).
 *
 * As dbghelp does, the first call with a fresh STACKFRAME64 (zeroed Reserved fields) reports
 * the frame the context describes without unwinding it; each later call unwinds the context
 * one frame and reports the caller. AddrPC is the frame's Rip, AddrStack its Rsp, AddrFrame
 * its Rbp, AddrReturn the return address, FuncTableEntry its RUNTIME_FUNCTION. A built-in
 * that called foreign code (a qsort whose comparator walks) is one frame inside its export
 * stub in the DLL's image (stub + 10, as RtlCaptureStackBackTrace shows it, a leaf whose
 * return address is at Rsp), with its foreign caller's nonvolatile registers: its native
 * frames are stepped over as RtlVirtualUnwind steps them, and the walk goes on in its caller.
 * The walk ends (FALSE) at a return address of 0, at a frame outside the thread's stack, and
 * at native code with no foreign caller (the thread's first frame). The read-memory, function-table and module-base callbacks are not called:
 * the walk reads the calling process's memory directly: the process handle is taken to be the
 * caller's own. Another machine type fails with ERROR_INVALID_PARAMETER. */
#include <string.h>
#include "thunks/dbghelp/dbghelp_private.h"
#include "thunks/native_unwind.h"
#include "thunks/ntdll/thk_exception.h"

#define DBG_MACHINE_AMD64 0x8664
#define DBG_ADDR_MODE_FLAT 3
#define DBG_WALK_MAGIC 0x6e747277616c6bULL /* "ntrwalk": Reserved[1] once walking */

typedef struct dbg_address64 {
    uint64_t Offset;  /* 0x00 */
    uint16_t Segment; /* 0x08 */
    uint32_t Mode;    /* 0x0c */
} dbg_address64;
_Static_assert(sizeof(dbg_address64) == 16, "ADDRESS64");

/* STACKFRAME64 and the head of STACKFRAME_EX (dbghelp.h), pinned */
typedef struct dbg_stackframe64 {
    dbg_address64 AddrPC;     /* 0x00 */
    dbg_address64 AddrReturn; /* 0x10 */
    dbg_address64 AddrFrame;  /* 0x20 */
    dbg_address64 AddrStack;  /* 0x30 */
    dbg_address64 AddrBStore; /* 0x40 */
    void *FuncTableEntry;     /* 0x50 */
    uint64_t Params[4];       /* 0x58 */
    int32_t Far;              /* 0x78 */
    int32_t Virtual;          /* 0x7c */
    uint64_t Reserved[3];     /* 0x80 */
    uint8_t KdHelp[0x70];     /* 0x98 */
    uint32_t StackFrameSize;  /* 0x108: STACKFRAME_EX only */
    uint32_t InlineFrameContext; /* 0x10c */
} dbg_stackframe64;
_Static_assert(offsetof(dbg_stackframe64, Reserved) == 0x80, "STACKFRAME64.Reserved");
_Static_assert(offsetof(dbg_stackframe64, StackFrameSize) == 0x108, "sizeof(STACKFRAME64)");

static bool walk_frame_ok(const CONTEXT *ctx)
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

/* Unwinds ctx one frame; its RUNTIME_FUNCTION (NULL: a leaf). */
static RUNTIME_FUNCTION *walk_unwind(CONTEXT *ctx)
{
    DWORD64 base = 0, frame = 0;
    void *hdata = NULL;
    RUNTIME_FUNCTION *f = RtlLookupFunctionEntry(ctx->Rip, &base, NULL);
    if (f) {
        RtlVirtualUnwind(0 /* UNW_FLAG_NHANDLER */, base, ctx->Rip, f, ctx, &hdata, &frame, NULL);
        return f;
    }
    uint64_t ret = 0;
    if (rt_safe_copy(&ret, (const void *)(uintptr_t)ctx->Rsp, sizeof ret) != 0)
        ret = 0;
    ctx->Rip = ret;
    ctx->Rsp += 8;
    return NULL;
}

/* ctx at a built-in's call of foreign code: to the built-in's frame inside its export stub, or
 * to its foreign caller when the stub is not known. False: not such a frame, or no caller. */
static bool walk_builtin(CONTEXT *ctx)
{
    CONTEXT c = *ctx;
    uintptr_t stub;
    uint64_t ra;
    if (!thk_is_foreign_call_return(ctx->Rip) || !thk_unwind_builtin_frame(&c, &stub))
        return false;
    if (stub && rt_safe_copy(&ra, (const void *)(uintptr_t)(c.Rsp - 8), sizeof ra) == 0 &&
        ra == c.Rip) {
        c.Rsp -= 8;
        c.Rip = stub + 10;
    }
    *ctx = c;
    return true;
}

static void walk_set(dbg_address64 *a, uint64_t v)
{
    a->Offset = v;
    a->Segment = 0;
    a->Mode = DBG_ADDR_MODE_FLAT;
}

static BOOL walk(DWORD machine, HANDLE process, dbg_stackframe64 *sf, CONTEXT *ctx, bool ex)
{
    (void)process;
    if (machine != DBG_MACHINE_AMD64 || !sf || !ctx) {
        thk_set_last_error(ERROR_INVALID_PARAMETER);
        return FALSE;
    }
    if (sf->Reserved[1] != DBG_WALK_MAGIC) {
        sf->Reserved[1] = DBG_WALK_MAGIC;
        sf->Reserved[0] = 0;
    } else {
        walk_unwind(ctx);
        sf->Reserved[0]++;
    }
    walk_builtin(ctx);
    if (!walk_frame_ok(ctx) || sf->Reserved[0] > 100000)
        return FALSE;
    CONTEXT next = *ctx;
    DWORD64 base = 0;
    sf->FuncTableEntry = RtlLookupFunctionEntry(ctx->Rip, &base, NULL);
    walk_unwind(&next);
    walk_builtin(&next);
    walk_set(&sf->AddrPC, ctx->Rip);
    walk_set(&sf->AddrReturn, next.Rip);
    walk_set(&sf->AddrFrame, ctx->Rbp);
    walk_set(&sf->AddrStack, ctx->Rsp);
    walk_set(&sf->AddrBStore, 0);
    sf->Far = 0;
    sf->Virtual = 0;
    for (int i = 0; i < 4; i++)
        if (rt_safe_copy(&sf->Params[i], (const void *)(uintptr_t)(next.Rsp + 8 * i),
                         sizeof sf->Params[i]) != 0)
            sf->Params[i] = 0;
    if (ex && sf->StackFrameSize >= sizeof *sf)
        sf->InlineFrameContext = 0;
    return TRUE;
}

static BOOL WINAPI dbg_StackWalk64(DWORD machine, HANDLE process, HANDLE thread, void *frame,
                                   void *context, void *read_memory, void *function_table,
                                   void *module_base, void *translate)
{
    (void)thread, (void)read_memory, (void)function_table, (void)module_base, (void)translate;
    return walk(machine, process, frame, context, false);
}
THK_EXPORT_AS(dbghelp, StackWalk64, dbg_StackWalk64, 9);

static BOOL WINAPI dbg_StackWalkEx(DWORD machine, HANDLE process, HANDLE thread, void *frame,
                                   void *context, void *read_memory, void *function_table,
                                   void *module_base, void *translate, DWORD flags)
{
    (void)thread, (void)read_memory, (void)function_table, (void)module_base, (void)translate;
    (void)flags;
    return walk(machine, process, frame, context, true);
}
THK_EXPORT_AS(dbghelp, StackWalkEx, dbg_StackWalkEx, 10);
