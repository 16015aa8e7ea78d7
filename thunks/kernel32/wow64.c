/* SPDX-License-Identifier: MIT */
/* kernel32's WOW64 questions: IsWow64Process and IsWow64Process2. Every process ntrun runs is
 * a native x64 one on an x64 system, so the answers are "not under WOW64" and AMD64; the
 * handle is still checked by NtQueryInformationProcess(ProcessWow64Information), as
 * kernelbase does it, so a bad one fails with ERROR_INVALID_HANDLE. CMake asks at start-up
 * of `-E capabilities` and of its Visual Studio generator probes. */
#include "thunks/kernel32/kernel32_private.h"

#define K32_ProcessWow64Information 26
#define K32_IMAGE_FILE_MACHINE_UNKNOWN 0
#define K32_IMAGE_FILE_MACHINE_AMD64 0x8664

/* The process's WOW64 PEB address (0 for a native process), or a failed status. */
static NTSTATUS k32_wow64_peb(HANDLE process, ULONG_PTR *peb)
{
    *peb = 0;
    return NtQueryInformationProcess(process, K32_ProcessWow64Information, peb, sizeof *peb,
                                     NULL);
}

BOOL WINAPI IsWow64Process(HANDLE process, BOOL *wow64)
{
    ULONG_PTR peb;
    NTSTATUS st = k32_wow64_peb(process, &peb);
    if (!NT_SUCCESS(st)) {
        thk_set_last_status(st);
        return FALSE;
    }
    *wow64 = peb != 0;
    return TRUE;
}
THK_EXPORT(kernel32, IsWow64Process, 2);

/* process_machine: the machine the process is emulated as under WOW64, else UNKNOWN;
 * native_machine (optional): the system's. */
BOOL WINAPI IsWow64Process2(HANDLE process, uint16_t *process_machine, uint16_t *native_machine)
{
    ULONG_PTR peb;
    NTSTATUS st = k32_wow64_peb(process, &peb);
    if (!NT_SUCCESS(st)) {
        thk_set_last_status(st);
        return FALSE;
    }
    *process_machine = K32_IMAGE_FILE_MACHINE_UNKNOWN;
    if (native_machine)
        *native_machine = K32_IMAGE_FILE_MACHINE_AMD64;
    return TRUE;
}
THK_EXPORT(kernel32, IsWow64Process2, 3);
