/* SPDX-License-Identifier: MIT */
/* Helper threads started from signal handlers (defer.c). */
#ifndef NTRUN_RUNTIME_DEFER_H
#define NTRUN_RUNTIME_DEFER_H

#include <signal.h>
#include <stdbool.h>
#include <stdint.h>

/* Whether a handler may call pthread_create on the thread it interrupted: foreign code, the
 * runtime's own code, or glibc stopped at a system call that waits for an event (see defer.c
 * for why those cannot hold the locks pthread_create takes). uctx is the handler's third
 * argument, saved_selector the selector it found (RT_SEL_ALLOW on a thread without a TEB).
 * Async-signal-safe. */
bool rt_signal_may_start_thread(const void *uctx, uint8_t saved_selector);
/* Work for later when that answer is no: slot's function (rt_defer_set, ordinary context, one
 * per slot) runs at the next wait point of any runtime thread (rt_thread_check_pending) or
 * wherever rt_defer_run is called. rt_defer_request is async-signal-safe. */
enum { RT_DEFER_KUSER, RT_DEFER_CONSOLE, RT_DEFER_LISTEN };
void rt_defer_set(unsigned slot, void (*fn)(void));
void rt_defer_request(unsigned slot);
bool rt_defer_pending(void);
void rt_defer_run(void);
/* For a handler whose work had to wait: a one-shot process-directed timer sends the runtime's
 * thread signal, tagged, in `ns` nanoseconds; its handler (on whichever thread gets it) runs the
 * work if the point it interrupted is safe and arms the timer again if not. Async-signal-safe.
 * rt_defer_retry_cancel disarms it (before the handlers go away, libntrun). */
#define RT_DEFER_RETRY_NS 1000000L
void rt_defer_retry(long ns);
void rt_defer_retry_cancel(void);
bool rt_defer_is_retry(const siginfo_t *si);
void rt_defer_retry_tick(const void *uctx, uint8_t saved_selector);
/* Work another process of the user asks for (only RT_DEFER_LISTEN: ntemu's rendezvous, so that
 * a process nobody has asked for yet makes no system call for it). The asker sends the runtime's
 * thread signal with SI_QUEUE and the value RT_DEFER_REMOTE_TAG + slot (rt_defer_ask, to a
 * pidfd, after checking that the process catches that signal: a process that does not would be
 * ended by it); the handler takes it as a tagged retry of that slot (rt_defer_take_remote:
 * true when si is such a request, which it has then recorded; async-signal-safe). */
#define RT_DEFER_REMOTE_TAG 0x4e545200
bool rt_defer_take_remote(const siginfo_t *si);
/* 0, or -errno: -ESRCH the process has ended, -EPERM it does not catch the signal (not an ntrun
 * process, or one still starting or ending). */
int rt_defer_ask(int pidfd, int pid, unsigned slot);

#endif
