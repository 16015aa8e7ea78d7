/* SPDX-License-Identifier: MIT */
/* dbghelp: the symbol handler's set-up, which runtimes (the Dart VM) do at start to be able to
 * print stack traces later. Options are kept and returned as dbghelp does; SymInitialize and
 * SymCleanup succeed. No symbol is ever found: the lookups are not implemented (they stop as
 * "called unimplemented" if a program asks one). */
#include "thunks/kernel32/kernel32_private.h"

static DWORD sym_options = 0x00000206; /* SYMOPT_DEFERRED_LOADS | UNDNAME | LOAD_LINES... */

static DWORD WINAPI dbg_SymSetOptions(DWORD options)
{
    __atomic_store_n(&sym_options, options, __ATOMIC_RELAXED);
    return options;
}
THK_EXPORT_AS(dbghelp, SymSetOptions, dbg_SymSetOptions, 1);

static DWORD WINAPI dbg_SymGetOptions(void) { return __atomic_load_n(&sym_options, __ATOMIC_RELAXED); }
THK_EXPORT_AS(dbghelp, SymGetOptions, dbg_SymGetOptions, 0);

static BOOL WINAPI dbg_SymInitialize(HANDLE process, const void *search_path, BOOL invade)
{
    (void)process, (void)search_path, (void)invade;
    return TRUE;
}
THK_EXPORT_AS(dbghelp, SymInitialize, dbg_SymInitialize, 3);
THK_EXPORT_AS(dbghelp, SymInitializeW, dbg_SymInitialize, 3);

static BOOL WINAPI dbg_SymCleanup(HANDLE process)
{
    (void)process;
    return TRUE;
}
THK_EXPORT_AS(dbghelp, SymCleanup, dbg_SymCleanup, 1);
