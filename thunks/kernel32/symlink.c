/* SPDX-License-Identifier: MIT */
/* kernel32: CreateSymbolicLinkW/A as Linux symbolic links (cmd's MKLINK, MKLINK /D, MKLINK /J).
 * A relative target stays relative, its backslashes made slashes, so the link resolves against
 * its own directory as on Windows; an absolute one ("C:\x", "\x", "\\?\C:\x") becomes the Linux
 * path of it. SYMBOLIC_LINK_FLAG_DIRECTORY makes no difference on Linux; no privilege is
 * needed (as with SYMBOLIC_LINK_FLAG_ALLOW_UNPRIVILEGED_CREATE in developer mode). The link
 * exists already: ERROR_ALREADY_EXISTS. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "thunks/kernel32/kernel32_private.h"

#define K32_SYMBOLIC_LINK_FLAG_DIRECTORY 0x1u
#define K32_SYMBOLIC_LINK_FLAG_ALLOW_UNPRIVILEGED_CREATE 0x2u

static bool k32_link_target_relative(const WCHAR *t)
{
    return !(t[0] == u'\\' || t[0] == u'/' || (t[0] && t[1] == u':'));
}

uint8_t WINAPI CreateSymbolicLinkW(const WCHAR *link, const WCHAR *target, DWORD flags)
{
    if (!link || !target || !*link || !*target ||
        (flags & ~(K32_SYMBOLIC_LINK_FLAG_DIRECTORY |
                   K32_SYMBOLIC_LINK_FLAG_ALLOW_UNPRIVILEGED_CREATE))) {
        thk_set_last_error(ERROR_INVALID_PARAMETER);
        return 0;
    }
    char *where = NULL, *to = NULL;
    NTSTATUS st = nt_path_to_unix(link, nt_wcslen(link), &where);
    if (NT_SUCCESS(st) && k32_link_target_relative(target)) {
        to = nt_utf16_to_utf8(target, nt_wcslen(target), NULL);
        st = to ? STATUS_SUCCESS : STATUS_NO_MEMORY;
        for (char *p = to; p && *p; p++)
            if (*p == '\\')
                *p = '/';
    } else if (NT_SUCCESS(st)) {
        st = nt_path_to_unix(target, nt_wcslen(target), &to);
    }
    uint8_t ok = 0;
    if (!NT_SUCCESS(st))
        thk_set_last_status(st);
    else if (symlink(to, where) != 0)
        thk_set_last_status(errno == EEXIST ? (NTSTATUS)STATUS_OBJECT_NAME_COLLISION
                                            : nt_status_from_errno(errno));
    else
        ok = 1;
    free(where);
    free(to);
    return ok;
}
THK_EXPORT(kernel32, CreateSymbolicLinkW, 3);

uint8_t WINAPI CreateSymbolicLinkA(const char *link, const char *target, DWORD flags)
{
    bool ok1 = true, ok2 = true;
    WCHAR *l = link ? k32_a_to_w(link, &ok1) : NULL;
    WCHAR *t = target ? k32_a_to_w(target, &ok2) : NULL;
    uint8_t r = 0;
    if (l && t && ok1 && ok2)
        r = CreateSymbolicLinkW(l, t, flags);
    else
        thk_set_last_error(ERROR_INVALID_PARAMETER);
    free(l);
    free(t);
    return r;
}
THK_EXPORT(kernel32, CreateSymbolicLinkA, 3);
