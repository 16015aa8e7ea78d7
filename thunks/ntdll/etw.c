/* SPDX-License-Identifier: MIT */
/* Event Tracing for Windows, the provider side: ntdll's EtwEventRegister, EtwEventUnregister,
 * EtwEventEnabled, EtwEventProviderEnabled, EtwEventWrite(Transfer/Ex/String) and
 * EtwEventSetInformation, which advapi32 exports as EventRegister, EventUnregister, ... (Node.js
 * registers its trace provider at start-up; MSVC's TraceLogging and mc.exe-generated code do the
 * same).
 *
 * No trace session ever exists under ntrun, so no provider is ever enabled: registration works
 * and gives a handle, EventEnabled/EventProviderEnabled say FALSE, the enable callback is never
 * called (ETW calls it only when a session enables or disables the provider), and a write
 * succeeds doing nothing, as it does on Windows when no consumer listens. Documented corner
 * cases kept: ProviderId or RegHandle NULL is ERROR_INVALID_PARAMETER (and the handle is set to
 * 0 when it can be); a zero RegHandle (what a failed EventRegister gives) is accepted by the
 * writes and EventUnregister, which do nothing and succeed; EventSetInformation answers
 * ERROR_INVALID_PARAMETER for a handle that is not a registration or a NULL buffer with a
 * length, ERROR_NOT_SUPPORTED for an unknown EVENT_INFO_CLASS; a write on a handle that is not
 * a registration is ERROR_INVALID_HANDLE. Like Windows, at most 2048 registrations a process
 * (ERROR_NO_SYSTEM_RESOURCES after).
 *
 * Layouts (only sizes matter here, nothing is read from them):
 *   EVENT_DESCRIPTOR 0x10: +0 Id, +2 Version, +3 Channel, +4 Level, +5 Opcode, +6 Task,
 *                          +8 Keyword
 *   EVENT_DATA_DESCRIPTOR 0x10: +0 Ptr, +8 Size, +0xc Reserved (Type) */
#include <pthread.h>
#include <stdint.h>
#include <string.h>
#include "thunks/thunks_private.h"

#define ETW_MAX_REGISTRATIONS 2048
#define ETW_ERROR_NO_SYSTEM_RESOURCES 1450u /* ERROR_NO_SYSTEM_RESOURCES */

/* EVENT_INFO_CLASS */
enum {
    ETW_EventProviderBinaryTrackInfo = 0,
    ETW_EventProviderSetReserved1 = 1,
    ETW_EventProviderSetTraits = 2,
    ETW_EventProviderUseDescriptorType = 3,
};

typedef struct etw_reg {
    uint64_t handle;       /* 0: free */
    uint8_t provider[16];  /* the provider's GUID, as given */
    void *callback;        /* PENABLECALLBACK: kept, never called (no session) */
    void *context;
} etw_reg;

static pthread_mutex_t etw_lock = PTHREAD_MUTEX_INITIALIZER;
static etw_reg etw_regs[ETW_MAX_REGISTRATIONS];
static uint32_t etw_serial; /* makes a handle that was unregistered stay invalid */

/* A handle: the slot in the low 16 bits, a serial above (never 0). Called with the lock held. */
static etw_reg *etw_find_locked(uint64_t handle)
{
    if (handle == 0)
        return NULL;
    uint64_t slot = handle & 0xffffu;
    if (slot >= ETW_MAX_REGISTRATIONS || etw_regs[slot].handle != handle)
        return NULL;
    return &etw_regs[slot];
}

static bool etw_is_registered(uint64_t handle)
{
    pthread_mutex_lock(&etw_lock);
    bool ok = etw_find_locked(handle) != NULL;
    pthread_mutex_unlock(&etw_lock);
    return ok;
}

/* ULONG EtwEventRegister(LPCGUID ProviderId, PENABLECALLBACK EnableCallback,
 *                        PVOID CallbackContext, PREGHANDLE RegHandle) */
static uint32_t WINAPI EtwEventRegister(const void *provider, void *callback, void *context,
                                        uint64_t *out)
{
    uint64_t none = 0;
    if (!out)
        return ERROR_INVALID_PARAMETER;
    if (nt_copy_to_user(out, &none, sizeof none) != 0)
        return ERROR_NOACCESS;
    if (!provider)
        return ERROR_INVALID_PARAMETER;
    uint8_t guid[16];
    if (nt_copy_from_user(guid, provider, sizeof guid) != 0)
        return ERROR_NOACCESS;

    pthread_mutex_lock(&etw_lock);
    size_t slot = 0;
    while (slot < ETW_MAX_REGISTRATIONS && etw_regs[slot].handle != 0)
        slot++;
    if (slot == ETW_MAX_REGISTRATIONS) {
        pthread_mutex_unlock(&etw_lock);
        return ETW_ERROR_NO_SYSTEM_RESOURCES;
    }
    if (++etw_serial == 0)
        etw_serial = 1;
    etw_reg *r = &etw_regs[slot];
    r->handle = ((uint64_t)etw_serial << 16) | slot;
    memcpy(r->provider, guid, sizeof guid);
    r->callback = callback;
    r->context = context;
    uint64_t handle = r->handle;
    pthread_mutex_unlock(&etw_lock);

    if (nt_copy_to_user(out, &handle, sizeof handle) != 0) {
        pthread_mutex_lock(&etw_lock);
        *r = (etw_reg){0};
        pthread_mutex_unlock(&etw_lock);
        return ERROR_NOACCESS;
    }
    return ERROR_SUCCESS;
}
THK_EXPORT(ntdll, EtwEventRegister, 4);
THK_EXPORT_AS(advapi32, EventRegister, EtwEventRegister, 4);

/* ULONG EtwEventUnregister(REGHANDLE RegHandle): a zero handle does nothing and succeeds. */
static uint32_t WINAPI EtwEventUnregister(uint64_t handle)
{
    if (handle == 0)
        return ERROR_SUCCESS;
    pthread_mutex_lock(&etw_lock);
    etw_reg *r = etw_find_locked(handle);
    if (r)
        *r = (etw_reg){0};
    pthread_mutex_unlock(&etw_lock);
    return r ? ERROR_SUCCESS : ERROR_INVALID_HANDLE;
}
THK_EXPORT(ntdll, EtwEventUnregister, 1);
THK_EXPORT_AS(advapi32, EventUnregister, EtwEventUnregister, 1);

/* BOOLEAN EtwEventEnabled(REGHANDLE, PCEVENT_DESCRIPTOR): no session enables anything. */
static BOOLEAN WINAPI EtwEventEnabled(uint64_t handle, const void *descriptor)
{
    (void)handle;
    (void)descriptor;
    return 0;
}
THK_EXPORT(ntdll, EtwEventEnabled, 2);
THK_EXPORT_AS(advapi32, EventEnabled, EtwEventEnabled, 2);

/* BOOLEAN EtwEventProviderEnabled(REGHANDLE, UCHAR Level, ULONGLONG Keyword) */
static BOOLEAN WINAPI EtwEventProviderEnabled(uint64_t handle, uint8_t level, uint64_t keyword)
{
    (void)handle;
    (void)level;
    (void)keyword;
    return 0;
}
THK_EXPORT(ntdll, EtwEventProviderEnabled, 3);
THK_EXPORT_AS(advapi32, EventProviderEnabled, EtwEventProviderEnabled, 3);

/* Every write: a zero handle or a registered one succeeds (nobody listens, nothing is
 * written), anything else is ERROR_INVALID_HANDLE. */
static uint32_t etw_write(uint64_t handle)
{
    if (handle == 0 || etw_is_registered(handle))
        return ERROR_SUCCESS;
    return ERROR_INVALID_HANDLE;
}

/* ULONG EtwEventWrite(REGHANDLE, PCEVENT_DESCRIPTOR, ULONG UserDataCount,
 *                     PEVENT_DATA_DESCRIPTOR UserData) */
static uint32_t WINAPI EtwEventWrite(uint64_t handle, const void *descriptor, uint32_t count,
                                     const void *data)
{
    (void)descriptor;
    (void)count;
    (void)data;
    return etw_write(handle);
}
THK_EXPORT(ntdll, EtwEventWrite, 4);
THK_EXPORT_AS(advapi32, EventWrite, EtwEventWrite, 4);

/* ULONG EtwEventWriteTransfer(REGHANDLE, PCEVENT_DESCRIPTOR, LPCGUID ActivityId,
 *                             LPCGUID RelatedActivityId, ULONG UserDataCount,
 *                             PEVENT_DATA_DESCRIPTOR UserData) */
static uint32_t WINAPI EtwEventWriteTransfer(uint64_t handle, const void *descriptor,
                                             const void *activity, const void *related,
                                             uint32_t count, const void *data)
{
    (void)descriptor;
    (void)activity;
    (void)related;
    (void)count;
    (void)data;
    return etw_write(handle);
}
THK_EXPORT(ntdll, EtwEventWriteTransfer, 6);
THK_EXPORT_AS(advapi32, EventWriteTransfer, EtwEventWriteTransfer, 6);

/* ULONG EtwEventWriteEx(REGHANDLE, PCEVENT_DESCRIPTOR, ULONG64 Filter, ULONG Flags,
 *                       LPCGUID ActivityId, LPCGUID RelatedActivityId, ULONG UserDataCount,
 *                       PEVENT_DATA_DESCRIPTOR UserData) */
static uint32_t WINAPI EtwEventWriteEx(uint64_t handle, const void *descriptor, uint64_t filter,
                                       uint32_t flags, const void *activity, const void *related,
                                       uint32_t count, const void *data)
{
    (void)descriptor;
    (void)filter;
    (void)flags;
    (void)activity;
    (void)related;
    (void)count;
    (void)data;
    return etw_write(handle);
}
THK_EXPORT(ntdll, EtwEventWriteEx, 8);
THK_EXPORT_AS(advapi32, EventWriteEx, EtwEventWriteEx, 8);

/* ULONG EtwEventWriteString(REGHANDLE, UCHAR Level, ULONGLONG Keyword, PCWSTR String) */
static uint32_t WINAPI EtwEventWriteString(uint64_t handle, uint8_t level, uint64_t keyword,
                                           const WCHAR *string)
{
    (void)level;
    (void)keyword;
    (void)string;
    return etw_write(handle);
}
THK_EXPORT(ntdll, EtwEventWriteString, 4);
THK_EXPORT_AS(advapi32, EventWriteString, EtwEventWriteString, 4);

/* ULONG EtwEventSetInformation(REGHANDLE, EVENT_INFO_CLASS, PVOID EventInformation,
 *                              ULONG InformationLength) */
static uint32_t WINAPI EtwEventSetInformation(uint64_t handle, uint32_t cls, const void *info,
                                              uint32_t len)
{
    if (!etw_is_registered(handle))
        return ERROR_INVALID_PARAMETER;
    if (!info && len != 0)
        return ERROR_INVALID_PARAMETER;
    switch (cls) {
    case ETW_EventProviderBinaryTrackInfo: /* the buffer is not used */
    case ETW_EventProviderSetTraits:       /* the traits would name the provider in a trace */
    case ETW_EventProviderUseDescriptorType:
        return ERROR_SUCCESS;
    default:
        return ERROR_NOT_SUPPORTED;
    }
}
THK_EXPORT(ntdll, EtwEventSetInformation, 4);
THK_EXPORT_AS(advapi32, EventSetInformation, EtwEventSetInformation, 4);

/* libntrun's next run starts with no registration (thk_process_teardown). */
void etw_reset(void)
{
    pthread_mutex_lock(&etw_lock);
    memset(etw_regs, 0, sizeof etw_regs);
    pthread_mutex_unlock(&etw_lock);
}
