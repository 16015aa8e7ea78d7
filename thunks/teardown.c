/* SPDX-License-Identifier: MIT */
/* thk_process_teardown: the built-in DLLs forget one program's run, for libntrun (which runs
 * several programs one after another in one process). Each file resets its own state. */
#include "thunks/thunks_private.h"
#include "thunks/ntdll/thk_exception.h"
#include "thunks/msvcrt/crt.h"

void thk_process_teardown(void)
{
    crt_stdio_reset();   /* before the fd table: frees stream buffers */
    crt_io_reset();
    crt_conio_reset();
    crt_startup_reset();
    crt_env_reset();
    ucrt_startup_reset();
    ucrt_stdio_reset();
    ucrt_locale_reset();
    k32_tls_reset();
    k32_process_reset();
    k32_ctrl_reset();
    k32_dlldir_reset();
    tp_reset();          /* the pool's threads have ended with the program's */
    u32_reset();         /* every thread with a queue has ended */
    etw_reset();
    k32_heaps_reset();
    crt_heap_reset();    /* last of the CRT: what the program never freed */
    thk_exceptions_reset();
    thk_missing_reset();  /* the program's images are unmapped by now */
    thk_startup_info = (thk_startup){0};
}
