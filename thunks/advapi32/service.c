/* SPDX-License-Identifier: MIT */
/* advapi32's service-side calls, those a program makes to run as a Windows service. Under ntrun
 * a program is always started from a console, never by the service control manager (there is
 * none), so:
 * - StartServiceCtrlDispatcherW/A fail with ERROR_FAILED_SERVICE_CONTROLLER_CONNECT, what
 *   Windows answers a program run from a console (the usual test of "am I a service?");
 * - RegisterServiceCtrlHandler(Ex)W/A find no service of that name started by a dispatcher in
 *   this process: NULL with ERROR_SERVICE_NOT_IN_EXE (Wine 8.0 says ERROR_SERVICE_DOES_NOT_EXIST);
 * - SetServiceStatus has no status handle to take: ERROR_INVALID_HANDLE.
 * Go's golang.org/x/sys/windows/svc takes RegisterServiceCtrlHandlerExW's address at start-up
 * (ngrok 2 panicked without it). */
#include "thunks/thunks_private.h"

#define SVC_ERROR_INVALID_HANDLE 6u
#define SVC_ERROR_FAILED_SERVICE_CONTROLLER_CONNECT 1063u
#define SVC_ERROR_SERVICE_NOT_IN_EXE 1083u

static int32_t WINAPI svc_StartServiceCtrlDispatcher(const void *table)
{
    (void)table;
    thk_set_last_error(SVC_ERROR_FAILED_SERVICE_CONTROLLER_CONNECT);
    return 0;
}
THK_EXPORT_AS(advapi32, StartServiceCtrlDispatcherW, svc_StartServiceCtrlDispatcher, 1);
THK_EXPORT_AS(advapi32, StartServiceCtrlDispatcherA, svc_StartServiceCtrlDispatcher, 1);

static void *WINAPI svc_RegisterServiceCtrlHandlerEx(const void *name, void *handler,
                                                     void *context)
{
    (void)name, (void)handler, (void)context;
    thk_set_last_error(SVC_ERROR_SERVICE_NOT_IN_EXE);
    return NULL;
}
THK_EXPORT_AS(advapi32, RegisterServiceCtrlHandlerExW, svc_RegisterServiceCtrlHandlerEx, 3);
THK_EXPORT_AS(advapi32, RegisterServiceCtrlHandlerExA, svc_RegisterServiceCtrlHandlerEx, 3);

static void *WINAPI svc_RegisterServiceCtrlHandler(const void *name, void *handler)
{
    return svc_RegisterServiceCtrlHandlerEx(name, handler, NULL);
}
THK_EXPORT_AS(advapi32, RegisterServiceCtrlHandlerW, svc_RegisterServiceCtrlHandler, 2);
THK_EXPORT_AS(advapi32, RegisterServiceCtrlHandlerA, svc_RegisterServiceCtrlHandler, 2);

static int32_t WINAPI svc_SetServiceStatus(void *handle, const void *status)
{
    (void)handle, (void)status;
    thk_set_last_error(SVC_ERROR_INVALID_HANDLE);
    return 0;
}
THK_EXPORT_AS(advapi32, SetServiceStatus, svc_SetServiceStatus, 2);
