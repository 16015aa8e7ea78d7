/* SPDX-License-Identifier: MIT */
/* Fibers: ConvertThreadToFiber(Ex), CreateFiber(Ex), SwitchToFiber, DeleteFiber,
 * ConvertFiberToThread, IsThreadAFiber (GetCurrentFiber and GetFiberData are inline in the
 * headers: TEB NtTib.FiberData, and the fiber's first field).
 *
 * A fiber is a k32_fiber (its parameter first, as GetFiberData reads it), a stack of its own
 * (NtAllocateVirtualMemory, committed whole, a guard page at the bottom) and an FLS array of its
 * own (thunks/kernel32/sync.c switches FLS with it). SwitchToFiber stores the TEB's stack bounds
 * and guaranteed stack bytes into the fiber being left, loads the next one's, points
 * NtTib.FiberData at it and switches stacks with k32_fiber_switch (fiber_asm.S); SEH in a fiber
 * sees the fiber's stack bounds. A new fiber starts in k32_fiber_main, which calls the start
 * routine as foreign code; when it returns the thread exits, as on Windows. DeleteFiber of
 * another fiber runs the FLS callbacks for its values and frees its stack; DeleteFiber of the
 * running fiber ends the thread. */
#include <stdlib.h>
#include <string.h>
#include "thunks/kernel32/kernel32_private.h"

#define K32_ERROR_ALREADY_FIBER 1280
#define K32_ERROR_ALREADY_THREAD 1281
#define K32_FIBER_RESERVE_STEP 0x100000u /* 1 MiB */
#define K32_PAGE 0x1000u

void WINAPI ExitThread(DWORD code);

typedef struct k32_fiber {
    void *param;            /* 0x00: GetFiberData() */
    void *stack_base;       /* the TEB's NtTib.StackBase while it runs */
    void *stack_limit;      /* NtTib.StackLimit */
    void *stack_alloc;      /* our allocation (NULL: a converted thread's own stack) */
    SIZE_T stack_size;
    uint32_t guaranteed;    /* GuaranteedStackBytes */
    uint64_t rsp;           /* saved by k32_fiber_switch */
    void *start;
    void **fls;             /* NULL: the thread's own FLS array (a converted thread) */
} k32_fiber;

void k32_fiber_switch(uint64_t *save_rsp, uint64_t new_rsp); /* fiber_asm.S */
void k32_fiber_trampoline(void);
_Noreturn void k32_fiber_main(k32_fiber *f);

static TEB *k32_teb(void)
{
    rt_thread *t = rt_current_thread();
    return t ? t->teb : NULL;
}

static k32_fiber *k32_current_fiber(void)
{
    TEB *teb = k32_teb();
    void *f = teb ? teb->NtTib.FiberData : NULL;
    return f == (void *)(uintptr_t)0x1e00 ? NULL : f; /* NT_TIB.Version of a plain thread */
}

static BOOL WINAPI k32_IsThreadAFiber(void) { return k32_current_fiber() != NULL; }
THK_EXPORT_AS(kernel32, IsThreadAFiber, k32_IsThreadAFiber, 0);

static void *WINAPI k32_ConvertThreadToFiberEx(void *param, DWORD flags)
{
    TEB *teb = k32_teb();
    if (!teb) {
        thk_set_last_error(ERROR_INVALID_PARAMETER);
        return NULL;
    }
    if (k32_current_fiber()) {
        thk_set_last_error(K32_ERROR_ALREADY_FIBER);
        return NULL;
    }
    k32_fiber *f = calloc(1, sizeof *f);
    if (!f) {
        thk_set_last_error(ERROR_NOT_ENOUGH_MEMORY);
        return NULL;
    }
    f->param = param;
    f->stack_base = teb->NtTib.StackBase;
    f->stack_limit = teb->NtTib.StackLimit;
    teb->NtTib.FiberData = f;
    return f;
}
THK_EXPORT_AS(kernel32, ConvertThreadToFiberEx, k32_ConvertThreadToFiberEx, 2);

static void *WINAPI k32_ConvertThreadToFiber(void *param)
{
    return k32_ConvertThreadToFiberEx(param, 0);
}
THK_EXPORT_AS(kernel32, ConvertThreadToFiber, k32_ConvertThreadToFiber, 1);

static BOOL WINAPI k32_ConvertFiberToThread(void)
{
    k32_fiber *f = k32_current_fiber();
    if (!f) {
        thk_set_last_error(K32_ERROR_ALREADY_THREAD);
        return FALSE;
    }
    TEB *teb = k32_teb();
    teb->NtTib.FiberData = NULL;
    if (f->fls) { /* a created fiber's values become the thread's */
        k32_fls_switch(NULL);
        free(f->fls);
    }
    if (!f->stack_alloc)
        free(f); /* a created fiber keeps running on its stack: only DeleteFiber may free it */
    return TRUE;
}
THK_EXPORT_AS(kernel32, ConvertFiberToThread, k32_ConvertFiberToThread, 0);

_Noreturn void k32_fiber_main(k32_fiber *f)
{
    thk_call_foreign1(f->start, (uint64_t)(uintptr_t)f->param);
    ExitThread(0);
    __builtin_unreachable();
}

static void *WINAPI k32_CreateFiberEx(SIZE_T commit, SIZE_T reserve, DWORD flags, void *start,
                                      void *param)
{
    /* As Windows sizes a new stack (RtlCreateUserStack): no reserve is the program's
     * SizeOfStackReserve, and a commit at least the reserve makes the reserve that commit
     * rounded up to 1 MiB; CreateFiber(64 KiB) gets the usual 1-2 MiB, so an exception
     * dispatched there has the room it has on Windows. */
    if (reserve == 0)
        reserve = nt_exe_stack_reserve();
    if (commit >= reserve)
        reserve = (commit + K32_FIBER_RESERVE_STEP - 1) & ~(SIZE_T)(K32_FIBER_RESERVE_STEP - 1);
    SIZE_T size = (reserve + 0xffff) & ~(SIZE_T)0xffff;
    k32_fiber *f = calloc(1, sizeof *f);
    void **fls = calloc(K32_FLS_SLOTS, sizeof *fls);
    void *stack = NULL;
    SIZE_T alloc = size;
    NTSTATUS st = (f && fls) ? NtAllocateVirtualMemory(NtCurrentProcess(), &stack, 0, &alloc,
                                                       0x3000 /* MEM_RESERVE|MEM_COMMIT */,
                                                       0x04 /* PAGE_READWRITE */)
                             : STATUS_NO_MEMORY;
    if (st != STATUS_SUCCESS) {
        free(f);
        free(fls);
        thk_set_last_status(st);
        return NULL;
    }
    uint32_t old;
    void *guard = stack;
    SIZE_T glen = K32_PAGE;
    NtProtectVirtualMemory(NtCurrentProcess(), &guard, &glen, 0x104 /* READWRITE|GUARD */, &old);
    f->param = param;
    f->start = start;
    f->fls = fls;
    f->stack_alloc = stack;
    f->stack_size = alloc;
    f->stack_base = (uint8_t *)stack + alloc;
    f->stack_limit = (uint8_t *)stack + K32_PAGE;
    /* the frame k32_fiber_switch pops: MXCSR, x87 CW, r15-r12, rbx, rbp, return address */
    uint64_t *sp = (uint64_t *)f->stack_base - 10;
    memset(sp, 0, 10 * sizeof *sp);
    ((uint32_t *)sp)[0] = 0x1f80;
    ((uint16_t *)sp)[2] = 0x27f;
    sp[5] = (uint64_t)(uintptr_t)f; /* r12 */
    sp[8] = (uint64_t)(uintptr_t)k32_fiber_trampoline;
    f->rsp = (uint64_t)(uintptr_t)sp;
    return f;
}
THK_EXPORT_AS(kernel32, CreateFiberEx, k32_CreateFiberEx, 5);

static void *WINAPI k32_CreateFiber(SIZE_T stack, void *start, void *param)
{
    return k32_CreateFiberEx(stack, 0, 0, start, param);
}
THK_EXPORT_AS(kernel32, CreateFiber, k32_CreateFiber, 3);

static void WINAPI k32_SwitchToFiber(void *fiber)
{
    k32_fiber *to = fiber, *from = k32_current_fiber();
    TEB *teb = k32_teb();
    if (!to || !from || !teb || to == from)
        return;
    from->stack_base = teb->NtTib.StackBase;
    from->stack_limit = teb->NtTib.StackLimit;
    from->guaranteed = teb->GuaranteedStackBytes;
    teb->NtTib.StackBase = to->stack_base;
    teb->NtTib.StackLimit = to->stack_limit;
    teb->GuaranteedStackBytes = to->guaranteed;
    teb->NtTib.FiberData = to;
    k32_fls_switch(to->fls);
    k32_fiber_switch(&from->rsp, to->rsp);
}
THK_EXPORT_AS(kernel32, SwitchToFiber, k32_SwitchToFiber, 1);

static void WINAPI k32_DeleteFiber(void *fiber)
{
    k32_fiber *f = fiber;
    if (!f)
        return;
    if (f == k32_current_fiber())
        ExitThread(0); /* Windows: deleting the running fiber ends the thread */
    if (f->fls) {
        k32_fls_run_callbacks(f->fls);
        free(f->fls);
    }
    if (f->stack_alloc) {
        void *base = f->stack_alloc;
        SIZE_T size = 0;
        NtFreeVirtualMemory(NtCurrentProcess(), &base, &size, 0x8000 /* MEM_RELEASE */);
    }
    free(f);
}
THK_EXPORT_AS(kernel32, DeleteFiber, k32_DeleteFiber, 1);

/* The running fiber's stack, for GetCurrentThreadStackLimits (thread.c): false when the thread
 * runs on its own stack. */
bool k32_fiber_stack(ULONG_PTR *low, ULONG_PTR *high)
{
    k32_fiber *f = k32_current_fiber();
    if (!f || !f->stack_alloc)
        return false;
    *low = (ULONG_PTR)f->stack_alloc;
    *high = (ULONG_PTR)f->stack_alloc + f->stack_size;
    return true;
}
