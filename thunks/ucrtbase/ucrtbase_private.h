/* SPDX-License-Identifier: MIT */
/* Private to thunks/ucrtbase/: the Universal CRT's own exports (ucrtbase.dll, reached through
 * the api-ms-win-crt-* API sets). Everything the UCRT shares with msvcrt lives once in
 * thunks/msvcrt/ (crt.h); these files hold what differs or what only the UCRT has:
 *
 *   startup.c  _configure_*_argv, _initialize_*_environment, _crt_atexit, onexit tables,
 *              quick_exit, exit with the thread_local callback, terminate/abort, the
 *              invalid-parameter handler, _seh_filter_exe, _set_new_mode, _set_fmode, ...
 *   stdio.c    the __stdio_common_* printf and scanf families and their option bits,
 *              _set_printf_count_output
 *   conio.c    the __conio_common_* families (console printf/scanf: thunks/msvcrt/conio.c) */
#ifndef NTRUN_THUNKS_UCRTBASE_PRIVATE_H
#define NTRUN_THUNKS_UCRTBASE_PRIVATE_H

#include <stdbool.h>
#include <stdint.h>
#include "thunks/msvcrt/crt.h"

/* What __fastfail ends a process with (FAST_FAIL_INVALID_ARG, FAST_FAIL_FATAL_APP_EXIT). */
#define UCRT_STATUS_STACK_BUFFER_OVERRUN 0xC0000409u

/* The UCRT's invalid-parameter path (_invalid_parameter with no information): the thread's
 * handler, else the process handler, else __fastfail: the process ends at once with
 * STATUS_STACK_BUFFER_OVERRUN (no atexit, no flush). When a handler returns, errno is set to
 * `err` and the caller fails as documented. */
void ucrt_invalid_parameter(int err);
__attribute__((noreturn)) void ucrt_fastfail(void);

/* The formatting engine's mode for a __stdio_common_ or __conio_common_ call (stdio.c), and a
 * call's result after the invalid-parameter report of a refused %n. A bit of our own above
 * the UCRT's options: the _p forms (positional parameters). */
#define UCRT_POSITIONAL (1ULL << 63)
crt_fmt_mode ucrt_mode(uint64_t options, const void *locale);
int ucrt_fmt_result(const crt_fmt_mode *m, int r);

#endif
