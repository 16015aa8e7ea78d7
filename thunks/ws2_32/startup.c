/* SPDX-License-Identifier: MIT */
/* ws2_32's start-up and error calls: WSAStartup / WSACleanup (a reference count; versions 1.0
 * to 2.2 are accepted, the highest one both sides know is granted), WSAGetLastError /
 * WSASetLastError (the thread's last error, as on Windows). Go's internal/poll calls WSAStartup
 * in every program, networking or not. Sockets: socket.c, io.c, select.c, addr.c. */
#include <string.h>
#include "thunks/thunks_private.h"
#include "thunks/ws2_32/ws2_32_private.h"

#define WSAVERNOTSUPPORTED 10092
#define WSANOTINITIALISED 10093
#define WSAEFAULT 10014

typedef struct {
    uint16_t wVersion;          /* 0x00 */
    uint16_t wHighVersion;      /* 0x02 */
    uint16_t iMaxSockets;       /* 0x04 (Win64 order: before the strings) */
    uint16_t iMaxUdpDg;         /* 0x06 */
    char *lpVendorInfo;         /* 0x08 */
    char szDescription[257];    /* 0x10 */
    char szSystemStatus[129];   /* 0x111 */
} ws_wsadata;
_Static_assert(offsetof(ws_wsadata, szDescription) == 0x10, "WSADATA.szDescription");
_Static_assert(sizeof(ws_wsadata) == 0x198, "WSADATA");

static int ws_started; /* WSAStartup calls not yet matched by WSACleanup */

static int WINAPI ws_WSAStartup(uint16_t version, ws_wsadata *data)
{
    uint8_t major = version & 0xff, minor = version >> 8;
    if (!data)
        return WSAEFAULT;
    ws_wsadata d;
    memset(&d, 0, sizeof d);
    d.wHighVersion = 0x0202;
    if (major < 1) {
        d.wVersion = 0x0202;
        nt_copy_to_user(data, &d, sizeof d);
        return WSAVERNOTSUPPORTED;
    }
    d.wVersion = (major > 2 || (major == 2 && minor >= 2)) ? 0x0202 : version;
    strcpy(d.szDescription, "WinSock 2.0");
    strcpy(d.szSystemStatus, "Running");
    if (nt_copy_to_user(data, &d, sizeof d) != 0)
        return WSAEFAULT;
    __atomic_add_fetch(&ws_started, 1, __ATOMIC_RELAXED);
    nt_set_socket_ioctl(ws_afd_ioctl);
    return 0;
}
THK_EXPORT_AS(ws2_32, WSAStartup, ws_WSAStartup, 2);

static int WINAPI ws_WSACleanup(void)
{
    int n = __atomic_load_n(&ws_started, __ATOMIC_RELAXED);
    while (n > 0 && !__atomic_compare_exchange_n(&ws_started, &n, n - 1, false,
                                                 __ATOMIC_RELAXED, __ATOMIC_RELAXED))
        ;
    if (n <= 0) {
        thk_set_last_error(WSANOTINITIALISED);
        return -1; /* SOCKET_ERROR */
    }
    return 0;
}
THK_EXPORT_AS(ws2_32, WSACleanup, ws_WSACleanup, 0);

static int WINAPI ws_WSAGetLastError(void) { return (int)thk_get_last_error(); }
THK_EXPORT_AS(ws2_32, WSAGetLastError, ws_WSAGetLastError, 0);

static void WINAPI ws_WSASetLastError(int err) { thk_set_last_error((uint32_t)err); }
THK_EXPORT_AS(ws2_32, WSASetLastError, ws_WSASetLastError, 1);
