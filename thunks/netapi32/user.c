/* SPDX-License-Identifier: MIT */
/* netapi32's buffer, join-state and local-user calls, those Go's os/user.Current makes on
 * Windows (lookupFullName: NetGetJoinInformation, then NetUserGetInfo level 10 for the full
 * name, each result freed with NetApiBufferFree; Go before 1.17 panics when a procedure is
 * missing).
 * - NetApiBufferAllocate/NetApiBufferFree: LocalAlloc'd memory, as results are.
 * - NetGetJoinInformation: the machine is in the workgroup "WORKGROUP" (NetSetupWorkgroupName),
 *   as a Windows machine out of any domain is.
 * - NetUserGetInfo levels 0 (the name) and 10 (name, comment, user comment, full name) of the
 *   one local account there is, the process's user (advapi32!GetUserNameW, case-insensitive):
 *   its full name is the passwd entry's GECOS name (what Go's user.Current().Name gives on
 *   Linux), the comments are empty; another name is NERR_UserNotFound; the other levels are
 *   ERROR_INVALID_LEVEL (not given yet). Each result is one buffer: the structure, then its
 *   strings.
 * The server is the local machine for NULL, "" or this computer's name (with or without "\\");
 * any other is ERROR_BAD_NETPATH, since ntrun reaches no other machine's services. */
#include <pwd.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "thunks/thunks_private.h"

#define NET_NERR_SUCCESS 0u
#define NET_ERROR_NOT_ENOUGH_MEMORY 8u
#define NET_ERROR_BAD_NETPATH 53u
#define NET_ERROR_INVALID_PARAMETER 87u
#define NET_ERROR_INVALID_LEVEL 124u
#define NET_NERR_USER_NOT_FOUND 2221u
#define NET_SETUP_WORKGROUP_NAME 2 /* NETSETUP_JOIN_STATUS NetSetupWorkgroupName */
#define NET_LMEM_FIXED 0u

void *WINAPI LocalAlloc(uint32_t flags, size_t size);
void *WINAPI LocalFree(void *mem);
int32_t WINAPI GetUserNameW(WCHAR *buf, uint32_t *size);
int32_t WINAPI GetComputerNameW(WCHAR *buf, uint32_t *size);

/* USER_INFO_10 */
typedef struct {
    WCHAR *usri10_name;        /* 0x00 */
    WCHAR *usri10_comment;     /* 0x08 */
    WCHAR *usri10_usr_comment; /* 0x10 */
    WCHAR *usri10_full_name;   /* 0x18 */
} NET_USER_INFO_10;
_Static_assert(offsetof(NET_USER_INFO_10, usri10_full_name) == 0x18, "USER_INFO_10");
_Static_assert(sizeof(NET_USER_INFO_10) == 0x20, "USER_INFO_10");

static uint32_t WINAPI net_NetApiBufferAllocate(uint32_t size, void **buf)
{
    if (!buf)
        return NET_ERROR_INVALID_PARAMETER;
    void *p = LocalAlloc(NET_LMEM_FIXED, size);
    if (nt_copy_to_user(buf, &p, sizeof p) != 0) {
        LocalFree(p);
        return NET_ERROR_INVALID_PARAMETER;
    }
    return p ? NET_NERR_SUCCESS : NET_ERROR_NOT_ENOUGH_MEMORY;
}
THK_EXPORT_AS(netapi32, NetApiBufferAllocate, net_NetApiBufferAllocate, 2);

static uint32_t WINAPI net_NetApiBufferFree(void *buf)
{
    if (buf)
        LocalFree(buf);
    return NET_NERR_SUCCESS;
}
THK_EXPORT_AS(netapi32, NetApiBufferFree, net_NetApiBufferFree, 1);

static size_t net_wlen(const WCHAR *s)
{
    size_t n = 0;
    while (s[n])
        n++;
    return n;
}

static WCHAR net_upper(WCHAR c)
{
    return c >= u'a' && c <= u'z' ? (WCHAR)(c - 32) : c;
}

static bool net_same_name(const WCHAR *a, const WCHAR *b)
{
    for (; *a && *b; a++, b++)
        if (net_upper(*a) != net_upper(*b))
            return false;
    return !*a && !*b;
}

/* Is `server` (foreign, may be NULL) this machine? */
static bool net_local_server(const WCHAR *server)
{
    WCHAR name[260];
    if (!server)
        return true;
    size_t i = 0;
    for (; i < 259; i++) {
        if (nt_copy_from_user(&name[i], server + i, sizeof name[i]) != 0)
            return false;
        if (!name[i])
            break;
    }
    name[i < 259 ? i : 259] = 0;
    if (!name[0])
        return true;
    const WCHAR *n = name[0] == u'\\' && name[1] == u'\\' ? name + 2 : name;
    WCHAR mine[64];
    uint32_t len = 64;
    return GetComputerNameW(mine, &len) && net_same_name(n, mine);
}

/* A result buffer: `head` bytes of structure, then the strings of `strs` (count n); their
 * copies' addresses in out[]. NULL on no memory. */
static uint8_t *net_pack(size_t head, const WCHAR *const *strs, size_t n, WCHAR **out)
{
    size_t total = head;
    for (size_t i = 0; i < n; i++)
        total += (net_wlen(strs[i]) + 1) * sizeof(WCHAR);
    uint8_t *buf = LocalAlloc(NET_LMEM_FIXED, total);
    if (!buf)
        return NULL;
    memset(buf, 0, head);
    uint8_t *p = buf + head;
    for (size_t i = 0; i < n; i++) {
        size_t bytes = (net_wlen(strs[i]) + 1) * sizeof(WCHAR);
        memcpy(p, strs[i], bytes);
        out[i] = (WCHAR *)p;
        p += bytes;
    }
    return buf;
}

static uint32_t WINAPI net_NetGetJoinInformation(const WCHAR *server, WCHAR **name,
                                                 int32_t *status)
{
    if (!name || !status)
        return NET_ERROR_INVALID_PARAMETER;
    if (!net_local_server(server))
        return NET_ERROR_BAD_NETPATH;
    static const WCHAR workgroup[] = u"WORKGROUP";
    const WCHAR *strs[1] = {workgroup};
    WCHAR *copy[1];
    uint8_t *buf = net_pack(0, strs, 1, copy);
    if (!buf)
        return NET_ERROR_NOT_ENOUGH_MEMORY;
    int32_t st = NET_SETUP_WORKGROUP_NAME;
    if (nt_copy_to_user(name, &buf, sizeof buf) != 0 ||
        nt_copy_to_user(status, &st, sizeof st) != 0) {
        LocalFree(buf);
        return NET_ERROR_INVALID_PARAMETER;
    }
    return NET_NERR_SUCCESS;
}
THK_EXPORT_AS(netapi32, NetGetJoinInformation, net_NetGetJoinInformation, 3);

/* The GECOS name of the process's user (up to its first comma), as UTF-16; "" without one. */
static WCHAR *net_full_name(void)
{
    struct passwd pw, *res = NULL;
    char pwbuf[1024];
    const char *g = "";
    if (getpwuid_r(getuid(), &pw, pwbuf, sizeof pwbuf, &res) == 0 && res && res->pw_gecos)
        g = res->pw_gecos;
    size_t n = strcspn(g, ",");
    size_t wn;
    return nt_utf8_to_utf16(g, n, &wn);
}

static uint32_t WINAPI net_NetUserGetInfo(const WCHAR *server, const WCHAR *user,
                                          uint32_t level, uint8_t **bufptr)
{
    if (!user || !bufptr)
        return NET_ERROR_INVALID_PARAMETER;
    if (!net_local_server(server))
        return NET_ERROR_BAD_NETPATH;
    if (level != 0 && level != 10)
        return NET_ERROR_INVALID_LEVEL;
    WCHAR mine[260], asked[260];
    uint32_t len = 260;
    if (!GetUserNameW(mine, &len))
        return NET_ERROR_NOT_ENOUGH_MEMORY;
    size_t i = 0;
    for (; i < 259; i++) {
        if (nt_copy_from_user(&asked[i], user + i, sizeof asked[i]) != 0)
            return NET_ERROR_INVALID_PARAMETER;
        if (!asked[i])
            break;
    }
    asked[i] = 0;
    if (i == 259 || !net_same_name(asked, mine))
        return NET_NERR_USER_NOT_FOUND;
    uint8_t *buf;
    if (level == 0) {
        const WCHAR *strs[1] = {mine};
        WCHAR *copy[1];
        buf = net_pack(sizeof(WCHAR *), strs, 1, copy);
        if (buf)
            memcpy(buf, &copy[0], sizeof copy[0]);
    } else {
        WCHAR *full = net_full_name();
        if (!full)
            return NET_ERROR_NOT_ENOUGH_MEMORY;
        const WCHAR *strs[4] = {mine, u"", u"", full};
        WCHAR *copy[4];
        buf = net_pack(sizeof(NET_USER_INFO_10), strs, 4, copy);
        free(full);
        if (buf) {
            NET_USER_INFO_10 *ui = (NET_USER_INFO_10 *)buf;
            ui->usri10_name = copy[0];
            ui->usri10_comment = copy[1];
            ui->usri10_usr_comment = copy[2];
            ui->usri10_full_name = copy[3];
        }
    }
    if (!buf)
        return NET_ERROR_NOT_ENOUGH_MEMORY;
    if (nt_copy_to_user(bufptr, &buf, sizeof buf) != 0) {
        LocalFree(buf);
        return NET_ERROR_INVALID_PARAMETER;
    }
    return NET_NERR_SUCCESS;
}
THK_EXPORT_AS(netapi32, NetUserGetInfo, net_NetUserGetInfo, 4);
