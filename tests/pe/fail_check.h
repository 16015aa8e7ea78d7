/* The check of the tests that stop at the first wrong result (args_env_exit, files_crt,
 * printf_mingw, syscall_rewrite, ...): CHECK(code, cond) prints "FAIL code: cond" and ends the
 * program with exit code `code`; fail(code, what) is the same with a text of the caller's.
 * With FAIL_SHOWS_LAST_ERROR defined before the include, the line ends with " (last error N)",
 * GetLastError at the failure (files_kernel32, memory_heap, misc_kernel32, threads_tls). */
#ifndef NTRUN_TESTS_PE_FAIL_CHECK_H
#define NTRUN_TESTS_PE_FAIL_CHECK_H
#include <stdio.h>
#include <stdlib.h>
#ifdef FAIL_SHOWS_LAST_ERROR
#include <windows.h>
#endif

static inline void fail(int code, const char *what)
{
#ifdef FAIL_SHOWS_LAST_ERROR
    printf("FAIL %d: %s (last error %lu)\n", code, what, GetLastError());
#else
    printf("FAIL %d: %s\n", code, what);
#endif
    fflush(stdout);
    exit(code);
}
#define CHECK(code, cond) do { if (!(cond)) fail(code, #cond); } while (0)
#endif
