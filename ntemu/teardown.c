/* SPDX-License-Identifier: MIT */
/* nt_process_teardown: the NT side of a run's end for libntrun, which runs several programs one
 * after another in one process. */
#include "ntemu/ntemu_private.h"
#include "runtime/kuser.h"

void nt_process_teardown(void)
{
    nt_thread_forget_current();
    nt_section_release_all();
    nt_handles_close_all();
    nt_job_teardown();
    nt_vm_release_all();
    nt_vm_counters_new_run(); /* the next run's memory peaks are its own */
    rt_kuser_pause();
}

void nt_process_teardown_at_exit(void)
{
    nt_handles_close_all();
    rt_kuser_pause();
}
