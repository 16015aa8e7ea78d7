/* SPDX-License-Identifier: MIT */
/* Constants shared by C and assembly (no C declarations here). */
#ifndef NTRUN_RUNTIME_RT_LAYOUT_H
#define NTRUN_RUNTIME_RT_LAYOUT_H

/* A TEB allocation is RT_TEB_ALLOC_SIZE bytes: the Windows TEB (0x1838 bytes) at offset 0 and
 * ntrun's own per-thread area (struct rt_thread) at RT_TEB_PRIV_OFFSET. The SUD selector byte is
 * the first byte of that area, so every crossing reaches it as %gs:RT_SEL_OFFSET with no TLS
 * lookup. */
#define RT_TEB_ALLOC_SIZE  0x2000
#define RT_TEB_PRIV_OFFSET 0x1900
#define RT_SEL_OFFSET      0x1900
/* A 64-bit count of boundary crossings in the private area, incremented by thunk_asm.S. */
#define RT_CROSS_OFFSET    0x1940
/* The 32-bit SuspendThread count of a running thread, followed by a 32-bit flag set while the
 * thread is ARMED to stop at a boundary (thread.c); thk_call_foreign tests both at once. */
#define RT_SUSPEND_OFFSET  0x1948
/* rt_thread.stack_alloc (the thread's stack mapping, 0 if none) and the size of the region at its
 * bottom that a stack overflow reaches (RT_STACK_NOACCESS + RT_STACK_GUARD: the no-access page and
 * the guard page), for the room check of thunks/ntdll/exc_capture.inc. */
#define RT_STACK_ALLOC_OFFSET 0x1910
#define RT_STACK_GUARD_REGION 0x2000
/* The stack Windows' RtlRaiseException and RtlDispatchException take before a handler runs
 * (their CONTEXT, the dispatcher's copy of it for the frame walk, the record, their frames):
 * an exception export whose Windows counterpart dispatches (RaiseException, a C++ throw,
 * RtlUnwindEx, longjmp) finds a stack overflow when this much below its caller's stack pointer
 * reaches the guard region (exc_capture.inc). */
#define RT_EXC_RAISE_FRAMES 0xc00
/* rt_thread.thk_entry[]: the generic entries of thunks/thunk_asm.S that the built-in DLLs'
 * images jump through (`jmp *%gs:RT_THK_ENTRY_OFFSET + 8 * RT_THK_ENTRY_*`): their stubs then
 * hold no per-process address, so a start maps them from the binary and writes nothing into
 * them (docs/performance.md, twenty-second pass). The same values in every thread. */
#define RT_THK_ENTRY_OFFSET 0x1a18
#define RT_THK_ENTRY_REGS    0 /* thk_f2n_regs_idx */
#define RT_THK_ENTRY_STACK   1 /* thk_f2n_stack_idx */
#define RT_THK_ENTRY_RAW     2 /* thk_f2n_raw_idx */
#define RT_THK_ENTRY_MISSING 3 /* thk_missing_trampoline */
#define RT_THK_NENTRIES      4
#define RT_SEL_ALLOW 0 /* == SYSCALL_DISPATCH_FILTER_ALLOW */
#define RT_SEL_BLOCK 1 /* == SYSCALL_DISPATCH_FILTER_BLOCK */

#endif
