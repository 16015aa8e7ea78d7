/* SPDX-License-Identifier: MIT */
/* thunks/native_unwind.c: stepping a foreign CONTEXT across the native frames of a built-in
 * that called foreign code (a qsort comparator, an EnumXxx callback), so that Windows
 * exception dispatch and unwinding (thunks/ntdll/exception.c) go on in the built-in's foreign
 * caller as they go on through a system DLL's frame on Windows. */
#ifndef NTRUN_THUNKS_NATIVE_UNWIND_H
#define NTRUN_THUNKS_NATIVE_UNWIND_H

#include <stdbool.h>
#include <stdint.h>
#include "runtime/winexc.h"

/* Is pc the return address of thk_call_foreign's call (the boundary a callback returns to)? */
bool thk_is_foreign_call_return(uint64_t pc);

/* ctx is the context at thk_call_foreign's return address, as the callback's unwind left it.
 * Unwinds it through the native frames (their DWARF call-frame information: the integer
 * nonvolatiles, xmm6-15, rsp and rip) up to the first frame of foreign code, the caller of the
 * built-in, and returns true with ctx describing that frame. False, ctx unchanged: no foreign
 * frame (a thread's start routine, the dispatcher's own call of a handler: a frame whose stack
 * pointer reaches `limit`), or call-frame information missing or not understood. callee
 * (may be NULL): the start of the built-in's implementation that foreign caller called, when
 * the walk ended at a foreign -> native crossing, else 0. Not
 * async-signal-safe (dl_iterate_phdr): called by the dispatcher outside signal handlers. */
bool thk_unwind_native_frames(CONTEXT *ctx, uint64_t limit, uint64_t *callee);

/* ctx is the interrupted context of a fault inside native code (rip: the faulting
 * instruction). Unwinds it, as above, to the foreign caller of the built-in the fault happened
 * in; true only when the walk reaches foreign code through a foreign -> native crossing
 * (thk_f2n_regs / thk_f2n_stack): a fault in the runtime's own machinery (the loader at
 * start-up, the dispatcher, an NT call's handler under SIGSYS) gives false. *callee is then
 * the start of the native function the crossing called (the export's implementation, as its
 * call-frame information gives it), 0 if the fault was in the crossing itself. Called from the
 * fault handler: reads memory through rt_safe_copy and the DWARF tables through
 * dl_iterate_phdr, whose lock glibc takes recursively (a fault inside it on this thread does
 * not deadlock; one while another thread holds it waits for it). */
bool thk_unwind_native_fault(CONTEXT *ctx, uint64_t limit, uint64_t *callee);

#endif
