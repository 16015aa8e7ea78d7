/* SPDX-License-Identifier: MIT */
/* kernel32 console title: SetConsoleTitleA/W and GetConsoleTitleA/W. ntrun's console is the
 * terminal it was started from, whose title it leaves alone: the title is kept for
 * GetConsoleTitle (cmd.exe sets it for every command it runs). */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include "thunks/held_locks.h"
#include "thunks/kernel32/kernel32_private.h"

static pthread_mutex_t k32_title_lock = PTHREAD_MUTEX_INITIALIZER;
static WCHAR *k32_title;

BOOL WINAPI SetConsoleTitleW(const WCHAR *title)
{
    WCHAR *t = nt_strdup_from_user_w(title, 0x10000);
    if (!t) {
        thk_set_last_error(title ? ERROR_NOT_ENOUGH_MEMORY : ERROR_INVALID_PARAMETER);
        return FALSE;
    }
    thk_held_mutex_lock(&k32_title_lock);
    free(k32_title);
    k32_title = t;
    thk_held_mutex_unlock(&k32_title_lock);
    return TRUE;
}
THK_EXPORT(kernel32, SetConsoleTitleW, 1);

BOOL WINAPI SetConsoleTitleA(const char *title)
{
    WCHAR *w;
    if (!title) {
        thk_set_last_error(ERROR_INVALID_PARAMETER);
        return FALSE;
    }
    BOOL r = k32_arg_w(title, &w) ? SetConsoleTitleW(w) : FALSE;
    free(w);
    return r;
}
THK_EXPORT(kernel32, SetConsoleTitleA, 1);

/* The title's length; size - 1 characters at most are copied, then a terminator. */
DWORD WINAPI GetConsoleTitleW(WCHAR *buf, DWORD size)
{
    thk_held_mutex_lock(&k32_title_lock);
    size_t len = k32_title ? nt_wcslen(k32_title) : 0;
    if (buf && size) {
        size_t n = len < size - 1 ? len : size - 1;
        if (n)
            memcpy(buf, k32_title, n * sizeof *buf);
        buf[n] = 0;
    }
    thk_held_mutex_unlock(&k32_title_lock);
    return (DWORD)len;
}
THK_EXPORT(kernel32, GetConsoleTitleW, 2);
