/* The children of a cross-process test by role (xproc_named, xproc_tpwait, xproc_waitall_mutex,
 * xproc_mutex_kill, xproc_timer_late_armer, xproc_timer_period): the test started again as
 * `PROG ROLE BASE`, BASE the stem of the objects' names (xproc_name.h).
 *  - xproc_role(argc, argv, prefix), first thing in main: in a child (two arguments) takes BASE
 *    as xproc_base and gives ROLE; in the parent makes xproc_base `prefix-PID` (runs side by
 *    side do not meet) and gives NULL;
 *  - xproc_start_role(role): the child (xproc_start.h, no handle inherited), or NULL;
 *  - xproc_timer_arm(t, ms, period): SetWaitableTimer `ms` from now, `period` ms apart (0: once),
 *    no completion routine, as the timer tests' parents and children arm their shared timers.
 * A test includes xproc_name.h and xproc_start.h itself too: the build tracks the headers a
 * test names (tests/CMakeLists.txt), not what they include. */
#ifndef NTRUN_TESTS_PE_XPROC_ROLE_H
#define NTRUN_TESTS_PE_XPROC_ROLE_H
#include <stdio.h>
#include <wchar.h>
#include <windows.h>
#include "xproc_name.h"
#include "xproc_start.h"

static inline const char *xproc_role(int argc, char **argv, const WCHAR *prefix)
{
    if (argc == 3) {
        swprintf(xproc_base, 64, L"%hs", argv[2]);
        return argv[1];
    }
    swprintf(xproc_base, 64, L"%ls-%lu", prefix, GetCurrentProcessId());
    return NULL;
}

static inline HANDLE xproc_start_role(const char *role)
{
    char args[200];
    snprintf(args, sizeof args, "%s %ls", role, xproc_base);
    return xproc_start(args, FALSE);
}

static inline BOOL xproc_timer_arm(HANDLE t, LONGLONG ms, LONG period)
{
    LARGE_INTEGER due;
    due.QuadPart = -ms * 10000;
    return SetWaitableTimer(t, &due, period, NULL, NULL, FALSE);
}
#endif
