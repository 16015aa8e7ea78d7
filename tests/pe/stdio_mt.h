/* The set-up the stdio_mt_* tests share (stdio_mt_ctrl, stdio_mt_fputs, stdio_mt_fgets,
 * stdio_mt_putc, stdio_mt_fwrite): the stream f, on a tmpfile(), with the test's console control
 * handler registered; the main thread's loop raises Ctrl-C at its at-th step, and the console
 * control thread, started by ntrun's native dispatcher while the main thread goes on, becomes
 * the process's first second thread and uses f at the same time. The handler sets started (when
 * the test needs it) and done. A test that cannot open f ends with 1; one that cannot raise
 * Ctrl-C or runs past 60 s ends with the code it gives mt_step (and that code + 1). */
#ifndef NTRUN_TESTS_PE_STDIO_MT_H
#define NTRUN_TESTS_PE_STDIO_MT_H
#include <stdio.h>
#include <windows.h>

static FILE *f;
static volatile LONG done, started;
static DWORD mt_t0;

/* f on a tmpfile(), the handler registered: 0, or 1 without a file */
static inline int mt_open(PHANDLER_ROUTINE handler)
{
    f = tmpfile();
    if (!f)
        return 1;
    SetConsoleCtrlHandler(handler, TRUE);
    mt_t0 = GetTickCount();
    return 0;
}

enum { MT_GO_ON = 0, MT_DONE = -1 };

/* After the main thread's mine-th step: Ctrl-C raised at the at-th; MT_DONE once the handler is
 * done (past the at-th); code when Ctrl-C cannot be raised, code + 1 past 60 s since mt_open
 * (checked every mask + 1 steps); else MT_GO_ON. */
static inline int mt_step(long mine, long at, long mask, int code)
{
    if (mine == at && !GenerateConsoleCtrlEvent(CTRL_C_EVENT, 0))
        return code;
    if (done && mine > at)
        return MT_DONE;
    if ((mine & mask) == 0 && GetTickCount() - mt_t0 > 60000)
        return code + 1;
    return MT_GO_ON;
}

/* Every mask + 1 steps, once the handler runs (or past alone steps without it), the main thread
 * lets it run, so that the file stays small. */
static inline void mt_let_handler_run(long mine, long mask, long alone)
{
    if ((mine & mask) == 0 && (started || mine > alone))
        Sleep(started ? 1 : 10);
}
#endif
