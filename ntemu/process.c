/* Process-level NT calls: NtTerminateProcess. */
#include "ntemu/ntemu_private.h"

/* NtCurrentProcess() ends the process with `status` as its exit code. NULL means "every thread
 * but the caller" on Windows (ExitProcess calls it before detaching DLLs); ntrun treats it as
 * the current process. Handles to other processes do not exist yet. */
NTSTATUS NTAPI NtTerminateProcess(HANDLE process, NTSTATUS status)
{
    nt_object *obj;
    NTSTATUS st;
    if (process == NULL || process == NtCurrentProcess())
        rt_exit_process((uint32_t)status);
    st = nt_handle_get(process, NT_OBJ_PROCESS, &obj);
    if (st != STATUS_SUCCESS)
        return st == STATUS_OBJECT_TYPE_MISMATCH ? st : STATUS_INVALID_HANDLE;
    nt_object_release(obj);
    return STATUS_NOT_IMPLEMENTED; /* no process objects are created yet */
}
