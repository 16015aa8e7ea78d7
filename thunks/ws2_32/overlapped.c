/* SPDX-License-Identifier: MIT */
/* ws2_32's WSAGetOverlappedResult (the Go runtime looks it up at start-up and stops without
 * it). Sockets are not implemented yet: the call reads the OVERLAPPED's status as
 * GetOverlappedResult does, so it reports the result of any completed request. */
#include "thunks/thunks_private.h"

#define WSA_IO_INCOMPLETE 996u

typedef struct {
    ULONG_PTR Internal;     /* 0x00: NTSTATUS */
    ULONG_PTR InternalHigh; /* 0x08: bytes transferred */
    uint32_t Offset;        /* 0x10 */
    uint32_t OffsetHigh;    /* 0x14 */
    HANDLE hEvent;          /* 0x18 */
} ws_overlapped;
_Static_assert(sizeof(ws_overlapped) == 0x20, "OVERLAPPED");

/* BOOL WSAGetOverlappedResult(SOCKET s, LPWSAOVERLAPPED ov, LPDWORD bytes, BOOL wait,
 *                             LPDWORD flags) */
static BOOL WINAPI ws_WSAGetOverlappedResult(ULONG_PTR s, ws_overlapped *ov, uint32_t *bytes,
                                             BOOL wait, uint32_t *flags)
{
    (void)s;
    ws_overlapped o;
    if (nt_copy_from_user(&o, ov, sizeof o) != 0) {
        thk_set_last_error(ERROR_INVALID_PARAMETER);
        return 0;
    }
    NTSTATUS st = (NTSTATUS)(uint32_t)o.Internal;
    if (st == STATUS_PENDING && wait && o.hEvent) {
        NtWaitForSingleObject(o.hEvent, 0, NULL);
        if (nt_copy_from_user(&o, ov, sizeof o) != 0) {
            thk_set_last_error(ERROR_INVALID_PARAMETER);
            return 0;
        }
        st = (NTSTATUS)(uint32_t)o.Internal;
    }
    uint32_t n = (uint32_t)o.InternalHigh, fl = 0;
    if ((bytes && nt_copy_to_user(bytes, &n, sizeof n) != 0) ||
        (flags && nt_copy_to_user(flags, &fl, sizeof fl) != 0)) {
        thk_set_last_error(ERROR_INVALID_PARAMETER);
        return 0;
    }
    if (st == STATUS_PENDING) {
        thk_set_last_error(WSA_IO_INCOMPLETE);
        return 0;
    }
    if (!NT_SUCCESS(st)) {
        thk_set_last_status(st);
        return 0;
    }
    return 1;
}
THK_EXPORT_AS(ws2_32, WSAGetOverlappedResult, ws_WSAGetOverlappedResult, 5);
