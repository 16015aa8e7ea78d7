/* SPDX-License-Identifier: MIT */
/* powrprof's suspend/resume notification registration (the Go runtime registers a callback to
 * re-arm its timers after a resume). A Linux process is not told about system suspend, so the
 * registration succeeds and the callback is never called. */
#include <stdlib.h>
#include "thunks/thunks_private.h"

#define PWR_ERROR_SUCCESS 0u
#define PWR_ERROR_INVALID_PARAMETER 87u
#define PWR_DEVICE_NOTIFY_CALLBACK 2u

/* DWORD PowerRegisterSuspendResumeNotification(DWORD flags, HANDLE recipient, HPOWERNOTIFY *h) */
static uint32_t WINAPI pwr_PowerRegisterSuspendResumeNotification(uint32_t flags, void *recipient,
                                                                  void **handle)
{
    if (flags != PWR_DEVICE_NOTIFY_CALLBACK || !recipient || !handle)
        return PWR_ERROR_INVALID_PARAMETER;
    void *reg = malloc(1); /* a distinct non-NULL registration handle */
    if (!reg)
        return 8; /* ERROR_NOT_ENOUGH_MEMORY */
    if (nt_copy_to_user(handle, &reg, sizeof reg) != 0) {
        free(reg);
        return PWR_ERROR_INVALID_PARAMETER;
    }
    return PWR_ERROR_SUCCESS;
}
THK_EXPORT_AS(powrprof, PowerRegisterSuspendResumeNotification,
              pwr_PowerRegisterSuspendResumeNotification, 3);

static uint32_t WINAPI pwr_PowerUnregisterSuspendResumeNotification(void *handle)
{
    if (!handle)
        return PWR_ERROR_INVALID_PARAMETER;
    free(handle);
    return PWR_ERROR_SUCCESS;
}
THK_EXPORT_AS(powrprof, PowerUnregisterSuspendResumeNotification,
              pwr_PowerUnregisterSuspendResumeNotification, 1);
