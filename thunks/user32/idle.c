/* SPDX-License-Identifier: MIT */
/* WaitForInputIdle: waits for a process to finish its start-up and wait for input. Windows
 * returns at once for a process that is a console program or has no message queue; every
 * process ntrun runs is a console program, so the answer is Wine 8.0's for one: WAIT_FAILED at
 * once, the last error left alone (the caller's own process too). A handle that is no process
 * (NULL, a stale value, another object) is WAIT_FAILED with ERROR_INVALID_HANDLE. Installers and
 * launchers call it after CreateProcess and go on either way. Not done: the wait for a child
 * that runs a message loop (a GUI program's windows under ntrun). */
#include "thunks/user32/user32_private.h"

#define U32_WAIT_FAILED 0xFFFFFFFFu

DWORD WINAPI WaitForInputIdle(HANDLE process, DWORD timeout)
{
    (void)timeout;
    uint32_t pid, code;
    NTSTATUS st = nt_process_query(process, &pid, &code);
    if (!NT_SUCCESS(st))
        thk_set_last_status(st == STATUS_OBJECT_TYPE_MISMATCH ? STATUS_INVALID_HANDLE : st);
    return U32_WAIT_FAILED;
}
THK_EXPORT(user32, WaitForInputIdle, 2);
