/* SPDX-License-Identifier: MIT */
/* advapi32's classic event-log writer: RegisterEventSourceW/A, ReportEventW/A,
 * DeregisterEventSource. .NET's EventLog logging provider (Microsoft.Extensions.Logging) opens
 * its source at start-up. ntrun has no event-log service: a source opened on the local machine
 * gets a handle (Windows gives one for any source name, logging to Application when the name is
 * not registered), reports to it are checked and succeed, and nothing is kept, as on a machine
 * whose Application log discards them. A remote server is refused with RPC_S_SERVER_UNAVAILABLE.
 * The handles are not kernel handles (Windows' are RPC bindings): each is a record of this file,
 * checked on every use (ERROR_INVALID_HANDLE otherwise). */
#include <pthread.h>
#include <stdlib.h>
#include "thunks/thunks_private.h"

#define EL_ERROR_INVALID_HANDLE 6u
#define EL_ERROR_INVALID_PARAMETER 87u
#define EL_RPC_S_SERVER_UNAVAILABLE 1722u
#define EL_MAGIC 0x45564c47u /* "EVLG" */

void WINAPI SetLastError(DWORD err);

typedef struct el_source {
    uint32_t magic;
    struct el_source *next;
} el_source;

static el_source *el_sources;
static pthread_mutex_t el_lock = PTHREAD_MUTEX_INITIALIZER;

/* Is the server name the local machine: NULL or empty. */
static bool el_local(const void *server, bool wide)
{
    if (!server)
        return true;
    uint16_t c = 0;
    if (rt_safe_copy(&c, server, wide ? 2 : 1))
        return false;
    return c == 0;
}

static HANDLE el_register(const void *server, const void *source, bool wide)
{
    if (!source) {
        SetLastError(EL_ERROR_INVALID_PARAMETER);
        return NULL;
    }
    if (!el_local(server, wide)) {
        SetLastError(EL_RPC_S_SERVER_UNAVAILABLE);
        return NULL;
    }
    el_source *s = calloc(1, sizeof *s);
    if (!s) {
        SetLastError(8); /* ERROR_NOT_ENOUGH_MEMORY */
        return NULL;
    }
    s->magic = EL_MAGIC;
    pthread_mutex_lock(&el_lock);
    s->next = el_sources;
    el_sources = s;
    pthread_mutex_unlock(&el_lock);
    return s;
}

/* Is h a source this file opened (and not yet deregistered)? With unlink, it is removed. */
static bool el_find(HANDLE h, bool unlink)
{
    bool found = false;
    pthread_mutex_lock(&el_lock);
    for (el_source **p = &el_sources; *p; p = &(*p)->next) {
        if (*p == h) {
            found = true;
            if (unlink) {
                el_source *s = *p;
                *p = s->next;
                s->magic = 0;
                free(s);
            }
            break;
        }
    }
    pthread_mutex_unlock(&el_lock);
    if (!found)
        SetLastError(EL_ERROR_INVALID_HANDLE);
    return found;
}

HANDLE WINAPI RegisterEventSourceW(const WCHAR *server, const WCHAR *source)
{
    return el_register(server, source, true);
}
THK_EXPORT(advapi32, RegisterEventSourceW, 2);

HANDLE WINAPI RegisterEventSourceA(const char *server, const char *source)
{
    return el_register(server, source, false);
}
THK_EXPORT(advapi32, RegisterEventSourceA, 2);

BOOL WINAPI DeregisterEventSource(HANDLE h)
{
    return el_find(h, true);
}
THK_EXPORT(advapi32, DeregisterEventSource, 1);

/* The event's type must be one Windows knows (success 0, error 1, warning 2, information 4,
 * audit success 8, audit failure 0x10), and strings/data present when counted. */
static BOOL el_report(HANDLE h, uint16_t type, uint16_t nstrings, DWORD datasize,
                      const void *strings, const void *data)
{
    if (!el_find(h, false))
        return 0;
    if ((type != 0 && type != 1 && type != 2 && type != 4 && type != 8 && type != 0x10) ||
        (nstrings && !strings) || (datasize && !data)) {
        SetLastError(EL_ERROR_INVALID_PARAMETER);
        return 0;
    }
    return 1;
}

BOOL WINAPI ReportEventW(HANDLE h, uint16_t type, uint16_t category, DWORD id, void *sid,
                         uint16_t nstrings, DWORD datasize, const WCHAR **strings, void *data)
{
    (void)category, (void)id, (void)sid;
    return el_report(h, type, nstrings, datasize, strings, data);
}
THK_EXPORT(advapi32, ReportEventW, 9);

BOOL WINAPI ReportEventA(HANDLE h, uint16_t type, uint16_t category, DWORD id, void *sid,
                         uint16_t nstrings, DWORD datasize, const char **strings, void *data)
{
    (void)category, (void)id, (void)sid;
    return el_report(h, type, nstrings, datasize, strings, data);
}
THK_EXPORT(advapi32, ReportEventA, 9);
