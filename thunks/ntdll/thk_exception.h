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

RUNTIME_FUNCTION *WINAPI RtlLookupFunctionEntry(DWORD64 pc, DWORD64 *base,
                                                UNWIND_HISTORY_TABLE *table);
void *WINAPI RtlVirtualUnwind(DWORD type, DWORD64 base, DWORD64 pc, RUNTIME_FUNCTION *function,
                              CONTEXT *context, void **handler_data, DWORD64 *frame,
                              KNONVOLATILE_CONTEXT_POINTERS *ctx_ptrs);
BOOLEAN WINAPI RtlAddFunctionTable(RUNTIME_FUNCTION *table, DWORD count, DWORD64 base);
BOOLEAN WINAPI RtlDeleteFunctionTable(RUNTIME_FUNCTION *table);
void *WINAPI RtlPcToFileHeader(void *pc, void **base);

#endif
