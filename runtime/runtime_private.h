/* Private to runtime/. */
#ifndef NTRUN_RUNTIME_PRIVATE_H
#define NTRUN_RUNTIME_PRIVATE_H

#include "runtime/runtime.h"

/* The calling thread's TEB, fs-relative TLS (initial-exec: no call, usable in signal handlers).
 * NULL on threads that ntrun did not set up (host threads of an embedding program). */
extern __thread TEB *rt_tls_teb __attribute__((tls_model("initial-exec")));

/* rt_asm.S */
void rt_sigreturn_trampoline(void);
extern char rt_safe_copy_insn[], rt_safe_copy_fixup[];

/* sud.c */
void rt_sud_probe(void);
/* signal.c */
int rt_signals_install(void);
extern rt_nt_dispatch_fn rt_nt_dispatcher;
/* process.c */
int rt_peb_create(void);

/* Raw rt_sigaction with ntrun's restorer (inside the bypass range). */
int rt_sigaction_raw(int sig, void (*handler)(int, siginfo_t *, void *), int flags,
                     struct sigaction *old_out);

#endif
