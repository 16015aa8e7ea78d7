/* SPDX-License-Identifier: MIT */
/* Private to runtime/. */
#ifndef NTRUN_RUNTIME_PRIVATE_H
#define NTRUN_RUNTIME_PRIVATE_H

#include "runtime/runtime.h"

/* The calling thread's TEB, fs-relative TLS (initial-exec: no call, usable in signal handlers).
 * NULL on threads that ntrun did not set up (host threads of an embedding program). */
extern __thread TEB *rt_tls_teb __attribute__((tls_model("initial-exec")));

/* AddressSanitizer: forget the shadow state of memory that becomes a stack (no-op otherwise).
 * GCC says __SANITIZE_ADDRESS__; clang 14 only answers __has_feature(address_sanitizer). */
#if defined(__has_feature)
#if __has_feature(address_sanitizer)
#define RT_ASAN 1
#endif
#endif
#if defined(__SANITIZE_ADDRESS__) && !defined(RT_ASAN)
#define RT_ASAN 1
#endif
#if defined(RT_ASAN)
void __asan_unpoison_memory_region(void const volatile *addr, size_t size);
#define rt_asan_unpoison(addr, size) __asan_unpoison_memory_region((addr), (size))
#else
#define rt_asan_unpoison(addr, size) ((void)(addr), (void)(size))
#endif

/* rt_asm.S */
void rt_sigreturn_trampoline(void);
extern char rt_safe_copy_insn[], rt_safe_copy_insn_end[], rt_safe_copy_fixup[];

/* sud.c */
void rt_sud_probe(void);
/* The native executable ranges found by rt_sud_probe (sud.c) and the filter over them. */
int rt_native_range_count(void);
void rt_native_range(int i, uintptr_t *start, uintptr_t *end);
int rt_seccomp_install(void);
/* signal.c */
int rt_signals_install(void);
bool rt_fault_handler_installed(void); /* rt_signals_install has run */
/* lazy.c: the fault handler is installed (rt_signals_install); a SIGSEGV at addr on a pending
 * lazy page: fill it and retry (true), else not ours. Async-signal-safe; selector ALLOW. */
void rt_lazy_enable(void);
bool rt_lazy_fault(uintptr_t addr);
extern rt_nt_dispatch_fn rt_nt_dispatcher;
/* process.c */
int rt_peb_create(void);
/* Leaves rt_run_process on the main thread once another thread's ExitProcess ran the exit
 * hooks; while they run, waits for them (stopped); returns when that is not the case.
 * Async-signal-safe. */
void rt_process_exit_jump(void);
/* thread.c, for rt_process_terminate: ask the thread in rt_run_process to leave. */
int rt_threads_request_main_exit(void);
/* thread.c, for an exit on another thread: stop the thread in rt_run_process (it waits in
 * rt_process_exit_jump for the exit work to end). */
void rt_threads_stop_main(void);
/* Calls the rt_on_main_thread_end hook, if any. */
void rt_main_thread_ended(uint32_t code);
/* thread.c */
int rt_thread_signal(void);
bool rt_thread_signal_ready(void); /* its handler is installed */
void rt_threads_set_main(int32_t tid);
bool rt_thread_is_main(void); /* the thread in rt_run_process */
__attribute__((noreturn)) void rt_threads_exit_from_secondary(uint32_t code);

/* Raw rt_sigaction with ntrun's restorer (inside the bypass range). */
int rt_sigaction_raw(int sig, void (*handler)(int, siginfo_t *, void *), int flags,
                     struct sigaction *old_out);

/* The ntrun command's pages for the runtime (tools/ntrun_static.c: page-aligned, zero, in its
 * .bss just before its break, which rt_populate_startup makes present with the break's first
 * pages): page RT_CMD_PAGE_PEB for rt_peb_create, RT_CMD_PAGE_POOL for the first page of
 * rt_progmem_alloc's pool, each used once, instead of an mmap each (docs/performance.md,
 * issue 12, twenty-fifth pass). Weak: NULL in libntrun, where a host's memory is its own. */
#define RT_CMD_PAGES 2
#define RT_CMD_PAGE_PEB 0
#define RT_CMD_PAGE_POOL 1
extern unsigned char rt_cmd_pages[] __attribute__((weak, visibility("hidden")));

#endif
