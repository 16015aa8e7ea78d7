/* SPDX-License-Identifier: MIT */
/* Winsock's event objects: WSACreateEvent (a manual-reset event, initially not signalled),
 * WSACloseEvent, WSASetEvent, WSAResetEvent and WSAWaitForMultipleEvents, which are kernel32's
 * events and waits under other names, with Winsock's error codes (WSA_INVALID_HANDLE 6,
 * WSA_INVALID_PARAMETER 87). WSAEventSelect/WSAEnumNetworkEvents are not here yet. */
#include "thunks/ws2_32/ws2_32_private.h"

#define WS_WSA_INVALID_HANDLE 6
#define WS_WSA_INVALID_PARAMETER 87
#define WS_WSA_MAXIMUM_WAIT_EVENTS 64
#define WS_WSA_WAIT_FAILED 0xffffffffu

HANDLE WINAPI CreateEventW(void *sa, BOOL manual, BOOL initial, const WCHAR *name);
BOOL WINAPI SetEvent(HANDLE h);
BOOL WINAPI ResetEvent(HANDLE h);
BOOL WINAPI CloseHandle(HANDLE h);
DWORD WINAPI WaitForMultipleObjectsEx(DWORD n, const HANDLE *h, BOOL all, DWORD ms, BOOL alertable);
DWORD WINAPI GetLastError(void);

static HANDLE WINAPI ws_WSACreateEvent(void)
{
    return CreateEventW(NULL, TRUE, FALSE, NULL); /* NULL (WSA_INVALID_EVENT) on failure */
}
THK_EXPORT_AS(ws2_32, WSACreateEvent, ws_WSACreateEvent, 0);

/* A kernel32 result with its failure as Winsock names it (ERROR_INVALID_HANDLE is
 * WSA_INVALID_HANDLE, the same number). */
static BOOL ws_event_result(BOOL ok)
{
    if (!ok && GetLastError() == 0)
        thk_set_last_error(WS_WSA_INVALID_HANDLE);
    return ok;
}

static BOOL WINAPI ws_WSACloseEvent(HANDLE h) { return ws_event_result(CloseHandle(h)); }
THK_EXPORT_AS(ws2_32, WSACloseEvent, ws_WSACloseEvent, 1);
static BOOL WINAPI ws_WSASetEvent(HANDLE h) { return ws_event_result(SetEvent(h)); }
THK_EXPORT_AS(ws2_32, WSASetEvent, ws_WSASetEvent, 1);
static BOOL WINAPI ws_WSAResetEvent(HANDLE h) { return ws_event_result(ResetEvent(h)); }
THK_EXPORT_AS(ws2_32, WSAResetEvent, ws_WSAResetEvent, 1);

static DWORD WINAPI ws_WSAWaitForMultipleEvents(DWORD n, const HANDLE *events, BOOL all,
                                                DWORD ms, BOOL alertable)
{
    if (n == 0 || n > WS_WSA_MAXIMUM_WAIT_EVENTS || !events) {
        thk_set_last_error(WS_WSA_INVALID_PARAMETER);
        return WS_WSA_WAIT_FAILED;
    }
    /* WSA_WAIT_EVENT_0 + i, WSA_WAIT_IO_COMPLETION, WSA_WAIT_TIMEOUT and WSA_WAIT_FAILED are
     * the kernel32 values */
    return WaitForMultipleObjectsEx(n, events, all, ms, alertable);
}
THK_EXPORT_AS(ws2_32, WSAWaitForMultipleEvents, ws_WSAWaitForMultipleEvents, 5);
