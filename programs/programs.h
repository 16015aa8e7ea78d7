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
 * msvcrt's system) gets ntrun's cmd (programs/cmd/) when C: has no such file or the file is
 * ntrun's stand-in for it: a PE header without code (prog_stub_image) that lib/run.c puts at
 * C:\windows\system32\NAME.exe when that is missing, so programs that look for the file
 * before they start it (Node.js's child_process.exec) find it. A real cmd.exe put there wins. */
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

/* The number of built-in programs, and the name of the i-th ("cmd", without ".exe"). */
size_t prog_count(void);
const char *prog_name(size_t i);

/* The stand-in file of every built-in program: a PE32+ console image's headers with no
 * section and no entry point, its DOS stub saying what it is (*len bytes). */
const unsigned char *prog_stub_image(size_t *len);

/* Whether the file at unix_path is exactly prog_stub_image. */
int prog_is_stub_file(const char *unix_path);

#endif
