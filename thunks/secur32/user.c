/* SPDX-License-Identifier: MIT */
/* secur32 GetUserNameExA/W: the account name in the forms a machine outside a domain has. The
 * user is the Linux account running ntrun (getpwuid, else $USER); the "domain" of a local
 * account is the computer name (kernel32's GetComputerNameW: the NetBIOS form). */
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "ntemu/ntemu.h"
#include "thunks/thunks_private.h"

#define S32_NAME_SAM_COMPATIBLE 2
#define S32_NAME_DISPLAY 3
#define S32_ERROR_MORE_DATA 234
#define S32_ERROR_NONE_MAPPED 1332

BOOL WINAPI GetComputerNameW(WCHAR *buf, DWORD *size); /* kernel32 */

/* The name in `format` as a malloc'd UTF-16 string, or NULL with the last error set. */
static WCHAR *s32_user_name(uint32_t format, size_t *len)
{
    char user[256] = "";
    struct passwd pw, *res = NULL;
    char pwbuf[1024];
    if (getpwuid_r(getuid(), &pw, pwbuf, sizeof pwbuf, &res) == 0 && res)
        snprintf(user, sizeof user, "%s", res->pw_name);
    else if (getenv("USER"))
        snprintf(user, sizeof user, "%s", getenv("USER"));
    else
        snprintf(user, sizeof user, "user");
    char full[300];
    if (format == S32_NAME_SAM_COMPATIBLE) {
        WCHAR comp[32];
        DWORD n = 32;
        char compa[32];
        if (!GetComputerNameW(comp, &n))
            return NULL;
        for (DWORD i = 0; i <= n; i++)
            compa[i] = (char)comp[i];
        snprintf(full, sizeof full, "%s\\%s", compa, user);
    } else if (format == S32_NAME_DISPLAY) {
        snprintf(full, sizeof full, "%s", user);
    } else {
        thk_set_last_error(S32_ERROR_NONE_MAPPED); /* no domain: no UPN, DN, GUID forms */
        return NULL;
    }
    WCHAR *w = nt_utf8_to_utf16(full, strlen(full), len);
    if (!w)
        thk_set_last_error(ERROR_NOT_ENOUGH_MEMORY);
    return w;
}

/* size: in, the buffer's capacity with the terminator; out, the length without it, or the
 * capacity needed (with it) on ERROR_MORE_DATA. */
BOOLEAN WINAPI GetUserNameExW(uint32_t format, WCHAR *buf, ULONG *size)
{
    size_t len;
    if (!size) {
        thk_set_last_error(ERROR_INVALID_PARAMETER);
        return 0;
    }
    WCHAR *w = s32_user_name(format, &len);
    if (!w)
        return 0;
    BOOLEAN ok = 0;
    if (!buf || *size < len + 1) {
        *size = (ULONG)len + 1;
        thk_set_last_error(S32_ERROR_MORE_DATA);
    } else {
        memcpy(buf, w, (len + 1) * sizeof *w);
        *size = (ULONG)len;
        ok = 1;
    }
    free(w);
    return ok;
}
THK_EXPORT(secur32, GetUserNameExW, 3);

BOOLEAN WINAPI GetUserNameExA(uint32_t format, char *buf, ULONG *size)
{
    size_t len, alen;
    if (!size) {
        thk_set_last_error(ERROR_INVALID_PARAMETER);
        return 0;
    }
    WCHAR *w = s32_user_name(format, &len);
    if (!w)
        return 0;
    char *a = nt_utf16_to_utf8(w, len, &alen);
    free(w);
    if (!a) {
        thk_set_last_error(ERROR_NOT_ENOUGH_MEMORY);
        return 0;
    }
    BOOLEAN ok = 0;
    if (!buf || *size < alen + 1) {
        *size = (ULONG)alen + 1;
        thk_set_last_error(S32_ERROR_MORE_DATA);
    } else {
        memcpy(buf, a, alen + 1);
        *size = (ULONG)alen;
        ok = 1;
    }
    free(a);
    return ok;
}
THK_EXPORT(secur32, GetUserNameExA, 3);
