/* SPDX-License-Identifier: MIT */
/* msvcrt signal/raise and _assert/_wassert.
 *
 * signal() records handlers. As msvcrt does, the first signal(SIGINT or SIGBREAK) adds the
 * CRT's console control handler (thunks/kernel32/console_ctrl.c): Ctrl-C (CTRL_C_EVENT) and
 * Ctrl-Break run the SIGINT and SIGBREAK handlers (reset to SIG_DFL first; SIG_IGN swallows
 * the event; SIG_DFL leaves it to the next handler, in the end the default ExitProcess).
 * SIGSEGV/SIGILL/SIGFPE handlers are not called for hardware exceptions here; raise() runs
 * them. As in msvcrt, SIGINT, SIGBREAK, SIGABRT and SIGTERM have process-wide handlers and
 * SIGFPE, SIGILL and SIGSEGV per-thread ones; raise() resets the handler to SIG_DFL before
 * calling it (a SIGFPE handler gets a second argument, _FPE_EXPLICITGEN), and the default
 * action of every signal is _exit(3). Handlers are foreign functions. abort() itself lives
 * in thunks/msvcrt/startup.c and reaches raise through the export. */
#include <stdio.h>
#include <string.h>
#include "thunks/msvcrt/msvcrt_lib.h"
#include "thunks/thunks_private.h"

#define CRT_SIGINT 2
#define CRT_SIGILL 4
#define CRT_SIGABRT_COMPAT 6
#define CRT_SIGFPE 8
#define CRT_SIGSEGV 11
#define CRT_SIGTERM 15
#define CRT_SIGBREAK 21
#define CRT_SIGABRT 22
#define CRT_SIG_DFL ((uintptr_t)0)
#define CRT_SIG_IGN ((uintptr_t)1)
#define CRT_SIG_SGE ((uintptr_t)3)
#define CRT_SIG_ACK ((uintptr_t)4)
#define CRT_SIG_ERR ((uintptr_t)-1)
#define CRT_FPE_EXPLICITGEN 0x8c

static uintptr_t crt_sig_int, crt_sig_break, crt_sig_abrt, crt_sig_term; /* process-wide */
static __thread uintptr_t crt_sig_fpe, crt_sig_ill, crt_sig_segv;        /* per thread */

/* The handler slot of a signal, or NULL for one msvcrt does not know. */
static uintptr_t *crt_sig_slot(int sig)
{
    switch (sig) {
    case CRT_SIGINT: return &crt_sig_int;
    case CRT_SIGBREAK: return &crt_sig_break;
    case CRT_SIGABRT:
    case CRT_SIGABRT_COMPAT: return &crt_sig_abrt;
    case CRT_SIGTERM: return &crt_sig_term;
    case CRT_SIGFPE: return &crt_sig_fpe;
    case CRT_SIGILL: return &crt_sig_ill;
    case CRT_SIGSEGV: return &crt_sig_segv;
    default: return NULL;
    }
}

/* msvcrt's console control handler (Wine: msvcrt_console_handler). On the CtrlRoutine thread. */
static int crt_console_ctrl(uint32_t event)
{
    uintptr_t *slot = event == 0 ? &crt_sig_int : event == 1 ? &crt_sig_break : NULL;
    if (!slot)
        return 0;
    uintptr_t handler = __atomic_load_n(slot, __ATOMIC_ACQUIRE);
    if (handler == CRT_SIG_DFL)
        return 0;
    if (handler == CRT_SIG_IGN)
        return 1;
    __atomic_store_n(slot, CRT_SIG_DFL, __ATOMIC_RELEASE);
    thk_call_foreign1((const void *)handler, event == 0 ? CRT_SIGINT : CRT_SIGBREAK);
    return 1;
}

static uintptr_t WINAPI msvcrt_signal(int sig, uintptr_t handler)
{
    uintptr_t *slot = crt_sig_slot(sig);
    if (!slot || handler == CRT_SIG_SGE || handler == CRT_SIG_ACK) {
        crt_set_errno(CRT_EINVAL);
        return CRT_SIG_ERR;
    }
    if (sig == CRT_SIGINT || sig == CRT_SIGBREAK)
        k32_ctrl_set_native(crt_console_ctrl, true);
    return __atomic_exchange_n(slot, handler, __ATOMIC_ACQ_REL);
}
THK_EXPORT_AS(msvcrt, signal, msvcrt_signal, 2);

bool crt_signal_handled(int sig)
{
    uintptr_t *slot = crt_sig_slot(sig);
    return slot && __atomic_load_n(slot, __ATOMIC_ACQUIRE) != CRT_SIG_DFL;
}

static int crt_raise(int sig)
{
    uintptr_t *slot = crt_sig_slot(sig);
    if (!slot) {
        crt_set_errno(CRT_EINVAL);
        return -1;
    }
    uintptr_t handler = __atomic_exchange_n(slot, CRT_SIG_DFL, __ATOMIC_ACQ_REL);
    if (handler == CRT_SIG_IGN) {
        *slot = CRT_SIG_IGN; /* ignoring leaves the disposition alone */
        return 0;
    }
    if (handler == CRT_SIG_DFL)
        crt_exit_quick(3); /* msvcrt: _exit(3), no atexit handlers, no stream flush */
    if (sig == CRT_SIGFPE)
        thk_call_foreign2((const void *)handler, (uint64_t)sig, CRT_FPE_EXPLICITGEN);
    else
        thk_call_foreign1((const void *)handler, (uint64_t)sig);
    return 0;
}

static int WINAPI msvcrt_raise(int sig) { return crt_raise(sig); }
THK_EXPORT_AS(msvcrt, raise, msvcrt_raise, 1);

/* "Assertion failed: expr, file f.c, line 7" on stderr, then abort() (thunks/msvcrt/startup.c:
 * the run-time's message, SIGABRT, exit code 3), reached through its export. */
static void crt_assert_fail(const char *expr, const char *file, unsigned line)
{
    char buf[1024];
    snprintf(buf, sizeof buf, "Assertion failed: %s, file %s, line %u\n", expr, file, line);
    crt_stream_write(&crt_iob[2], buf, strlen(buf));
    crt_stream_flush(&crt_iob[2]);
    void *abort_fn = thk_resolve("msvcrt.dll", "abort");
    if (abort_fn)
        thk_call_foreign0(abort_fn);
    crt_raise(CRT_SIGABRT);
    crt_exit_quick(3);
}

static void WINAPI msvcrt__assert(const char *expr, const char *file, uint32_t line)
{
    crt_assert_fail(expr ? expr : "", file ? file : "", line);
}
THK_EXPORT_AS(msvcrt, _assert, msvcrt__assert, 3);

static void WINAPI msvcrt__wassert(const WCHAR *expr, const WCHAR *file, uint32_t line)
{
    char *e = expr ? crt_wide_to_utf8(expr) : NULL, *f = file ? crt_wide_to_utf8(file) : NULL;
    crt_assert_fail(e ? e : "", f ? f : "", line);
}
THK_EXPORT_AS(msvcrt, _wassert, msvcrt__wassert, 3);
