/* SPDX-License-Identifier: MIT */
/* Built-in programs: Windows programs ntrun provides itself, as Wine keeps programs/ (cmd,
 * ...), for the ones every Windows machine has and programs start by name.
 *
 * A built-in program runs as a Windows process inside ntrun like any other: lib/run.c asks
 * prog_builtin_for when the program it was asked to run is no file, and if it names a built-in,
 * runs that program's main on the main thread (with the PEB, the process parameters, the
 * standard handles and the environment set up as for a PE; there is no image, so
 * GetModuleHandle(NULL) is NULL) instead of loading a PE. The main is native code that calls
 * the built-in kernel32 functions directly (ms_abi C functions, as a program would through its
 * imports); its return value is the process's exit code.
 *
 * So a program that starts C:\windows\system32\cmd.exe (COMSPEC, a batch file's interpreter,
 * msvcrt's system) when C: has no such file gets ntrun's cmd (programs/cmd/); a real cmd.exe
 * put there wins. */
#ifndef NTRUN_PROGRAMS_H
#define NTRUN_PROGRAMS_H

#include <stddef.h>
#include <stdint.h>
#include <uchar.h>

typedef uint32_t (*prog_main_fn)(void);

/* The built-in program a (missing) program path names by its last component ("cmd",
 * "cmd.exe", any case, Windows or Linux path), or NULL. */
prog_main_fn prog_builtin_for(const char *path);

/* Whether a Windows program name or path (UTF-16, n WCHARs) names a built-in program: its
 * last component is a built-in's name, with ".exe" or without. */
int prog_is_builtin_name_w(const char16_t *name, size_t n);

#endif
