/* SPDX-License-Identifier: MIT */
/* thunks/ntdll/exception.c: Windows structured exception handling for foreign code (ntdll's Rtl*
 * unwinding and dispatch, kernel32's RaiseException and filters, msvcrt's
 * __C_specific_handler and setjmp/longjmp). Public to loader/, lib/, tools/ and unit tests. */
#ifndef NTRUN_THUNKS_THK_EXCEPTION_H
#define NTRUN_THUNKS_THK_EXCEPTION_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "runtime/winexc.h"

/* How RtlLookupFunctionEntry finds the foreign image (program or DLL) that holds an address:
 * its base and size (ldr_find_module_by_address). Registered by whoever loads the program;
 * NULL: only tables added with RtlAddFunctionTable are searched. */
void thk_set_module_finder(bool (*fn)(uintptr_t addr, void **base, size_t *size));

/* Forgets vectored handlers, the unhandled-exception filter and dynamic function tables
 * (thk_process_teardown, between libntrun runs). */
void thk_exceptions_reset(void);

/* For built-in language handlers (thunks/vcruntime140), called inside a dispatch:
 *  - thk_raise_exception: RaiseException with the record and the context given (the
 *    foreign caller's), never returns;
 *  - thk_unwind_from_handler: RtlUnwindEx called by a frame handler: unwinds from where the
 *    dispatch in progress stands to `frame`, then resumes there (never returns). A record
 *    with STATUS_UNWIND_CONSOLIDATE whose ExceptionInformation[0] is a native function (a
 *    thk_consolidate_fn) has it called on the current stack with the target frame's
 *    context; it returns where foreign code resumes in that frame. While it runs, a walk
 *    that reaches its frame goes on at the target frame;
 *  - thk_set_resume_hook: called with the stack pointer whenever foreign code resumes after
 *    an exception or unwind (state kept for frames below it is stale from then on). */
typedef uint64_t (*thk_consolidate_fn)(EXCEPTION_RECORD *rec, CONTEXT *target);
__attribute__((noreturn)) void thk_raise_exception(EXCEPTION_RECORD *rec, CONTEXT *ctx);
__attribute__((noreturn)) void thk_unwind_from_handler(void *frame, void *target_ip,
                                                       EXCEPTION_RECORD *rec, void *retval,
                                                       CONTEXT *context,
                                                       UNWIND_HISTORY_TABLE *table);
void thk_set_resume_hook(void (*hook)(uint64_t rsp));
/* Resumes foreign code at ctx (a copy is taken; ContextFlags without CONTEXT_FLOATING_POINT
 * keep the current x87/SSE state), as RtlRestoreContext does. From a native body reached by
 * an EXC_ENTRY (thunks/ntdll/exc_capture.inc). */
__attribute__((noreturn)) void thk_resume_context(const CONTEXT *ctx);
/* The AVX upper halves a program's CONTEXT at ctxp carries (CONTEXT_XSTATE in flags, the AVX
 * bit in its XSTATE Mask), read safely into ymmh; false when it carries none. */
bool thk_context_user_ymmh(uint64_t ctxp, uint32_t flags, M128A ymmh[16]);
/* The same, loading the AVX upper halves of ymm0-15 from ymmh (16 M128A) when not NULL. */
__attribute__((noreturn)) void thk_resume_context_ymmh(const CONTEXT *ctx, const M128A *ymmh);

/* thk_call_foreign with an exception handler around the call, as Windows' loader calls DllMain
 * and TLS callbacks inside an __except: an exception the foreign code leaves unhandled (after
 * the vectored handlers and its own frames' handlers had it) unwinds the foreign frames, ends
 * the call and gives false with *code the exception code; else true and *ret the function's
 * result. Native code only (selector ALLOW). */
bool thk_call_foreign_guarded(const void *fn, int nargs, const uint64_t *args, uint64_t *ret,
                              uint32_t *code);

/* For stack walkers (thunks/dbghelp): ctx at the return address into a built-in that called
 * foreign code (thk_is_foreign_call_return) goes to the built-in's foreign caller, as
 * RtlVirtualUnwind steps it; *stub is the export stub the caller called (0 if unknown). False
 * at the thread's first frame. */
bool thk_unwind_builtin_frame(CONTEXT *ctx, uintptr_t *stub);

RUNTIME_FUNCTION *WINAPI RtlLookupFunctionEntry(DWORD64 pc, DWORD64 *base,
                                                UNWIND_HISTORY_TABLE *table);
void *WINAPI RtlVirtualUnwind(DWORD type, DWORD64 base, DWORD64 pc, RUNTIME_FUNCTION *function,
                              CONTEXT *context, void **handler_data, DWORD64 *frame,
                              KNONVOLATILE_CONTEXT_POINTERS *ctx_ptrs);
BOOLEAN WINAPI RtlAddFunctionTable(RUNTIME_FUNCTION *table, DWORD count, DWORD64 base);
BOOLEAN WINAPI RtlDeleteFunctionTable(RUNTIME_FUNCTION *table);
void *WINAPI RtlPcToFileHeader(void *pc, void **base);

#endif
