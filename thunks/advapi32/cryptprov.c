/* SPDX-License-Identifier: MIT */
/* CryptoAPI's provider contexts, for the use programs make of them to get random bytes:
 * CryptAcquireContextA/W with CRYPT_VERIFYCONTEXT (no key container), CryptGenRandom,
 * CryptContextAddRef, CryptReleaseContext. FFmpeg's av_get_random_seed and older MSVC and
 * mingw runtimes do exactly this. The bytes come from thk_random_fill (getrandom(2)).
 *
 * There are no key containers: acquiring one (no CRYPT_VERIFYCONTEXT) fails with NTE_BAD_KEYSET,
 * as for a user who has none, and CRYPT_NEWKEYSET/CRYPT_DELETEKEYSET with NTE_BAD_FLAGS; hashes are
 * crypthash.c's, session keys and encryption cryptkey.c's. A context is a small number kept in a
 * table, never a pointer: a handle the program made up gives NTE_BAD_UID. */
#include <pthread.h>
#include <string.h>
#include "thunks/advapi32/crypt_private.h"
#include "thunks/thunks_private.h"

#define CP_CRYPT_VERIFYCONTEXT 0xF0000000u
#define CP_CRYPT_NEWKEYSET 0x00000008u
#define CP_CRYPT_DELETEKEYSET 0x00000010u
#define CP_CRYPT_MACHINE_KEYSET 0x00000020u
#define CP_CRYPT_SILENT 0x00000040u
#define CP_CRYPT_DEFAULT_CONTAINER_OPTIONAL 0x00000080u
#define CP_FLAGS_VALID (CP_CRYPT_VERIFYCONTEXT | CP_CRYPT_NEWKEYSET | CP_CRYPT_DELETEKEYSET | \
                        CP_CRYPT_MACHINE_KEYSET | CP_CRYPT_SILENT |                        \
                        CP_CRYPT_DEFAULT_CONTAINER_OPTIONAL)

#define CP_NTE_BAD_UID 0x80090001u
#define CP_NTE_BAD_FLAGS 0x80090009u
#define CP_NTE_BAD_PROV_TYPE 0x80090014u
#define CP_NTE_BAD_KEYSET 0x80090016u
#define CP_ERROR_INVALID_PARAMETER 87u
#define CP_ERROR_NOACCESS 998u
#define CP_ERROR_NOT_ENOUGH_MEMORY 8u

#define CP_SLOTS 64
#define CP_HANDLE_BASE 0x43500000u /* "CP": slot i is CP_HANDLE_BASE + i + 1 */

static pthread_mutex_t cp_lock = PTHREAD_MUTEX_INITIALIZER;
static uint32_t cp_refs[CP_SLOTS];
static uint32_t cp_types[CP_SLOTS]; /* the provider type it was acquired with */

/* The slot of a handle in use, or -1. Called with cp_lock held. */
static int cp_slot(ULONG_PTR h)
{
    if (h <= CP_HANDLE_BASE || h > CP_HANDLE_BASE + CP_SLOTS)
        return -1;
    int i = (int)(h - CP_HANDLE_BASE - 1);
    return cp_refs[i] ? i : -1;
}

static BOOL cp_fail(uint32_t err)
{
    thk_set_last_error(err);
    return 0;
}

static BOOL cp_acquire(ULONG_PTR *out, DWORD type, DWORD flags)
{
    ULONG_PTR zero = 0;
    if (!out)
        return cp_fail(CP_ERROR_INVALID_PARAMETER);
    if (rt_safe_copy(out, &zero, sizeof zero))
        return cp_fail(CP_ERROR_NOACCESS);
    if (flags & ~CP_FLAGS_VALID)
        return cp_fail(CP_NTE_BAD_FLAGS);
    if (type == 0)
        return cp_fail(CP_NTE_BAD_PROV_TYPE);
    if (!(flags & CP_CRYPT_VERIFYCONTEXT))
        return cp_fail((flags & (CP_CRYPT_NEWKEYSET | CP_CRYPT_DELETEKEYSET)) ? CP_NTE_BAD_FLAGS
                                                                               : CP_NTE_BAD_KEYSET);
    pthread_mutex_lock(&cp_lock);
    int i = 0;
    while (i < CP_SLOTS && cp_refs[i])
        i++;
    if (i < CP_SLOTS)
        cp_refs[i] = 1, cp_types[i] = type;
    pthread_mutex_unlock(&cp_lock);
    if (i == CP_SLOTS)
        return cp_fail(CP_ERROR_NOT_ENOUGH_MEMORY);
    ULONG_PTR h = CP_HANDLE_BASE + (ULONG_PTR)i + 1;
    rt_safe_copy(out, &h, sizeof h);
    return 1;
}

/* container and provider names are not read: there are no containers, and every provider
 * gives the same random bytes. */
BOOL WINAPI CryptAcquireContextW(ULONG_PTR *prov, const WCHAR *container, const WCHAR *provider,
                                 DWORD type, DWORD flags)
{
    return cp_acquire(prov, type, flags);
}
THK_EXPORT(advapi32, CryptAcquireContextW, 5);

BOOL WINAPI CryptAcquireContextA(ULONG_PTR *prov, const char *container, const char *provider,
                                 DWORD type, DWORD flags)
{
    return cp_acquire(prov, type, flags);
}
THK_EXPORT(advapi32, CryptAcquireContextA, 5);

BOOL WINAPI CryptContextAddRef(ULONG_PTR prov, DWORD *reserved, DWORD flags)
{
    if (reserved || flags)
        return cp_fail(CP_ERROR_INVALID_PARAMETER);
    pthread_mutex_lock(&cp_lock);
    int i = cp_slot(prov);
    if (i >= 0)
        cp_refs[i]++;
    pthread_mutex_unlock(&cp_lock);
    return i >= 0 ? 1 : cp_fail(CP_NTE_BAD_UID);
}
THK_EXPORT(advapi32, CryptContextAddRef, 3);

BOOL WINAPI CryptReleaseContext(ULONG_PTR prov, DWORD flags)
{
    pthread_mutex_lock(&cp_lock);
    int i = cp_slot(prov);
    if (i >= 0)
        cp_refs[i]--;
    pthread_mutex_unlock(&cp_lock);
    if (i < 0)
        return cp_fail(CP_NTE_BAD_UID);
    /* Windows releases the reference even when it then complains about the flags */
    return flags ? cp_fail(CP_NTE_BAD_FLAGS) : 1;
}
THK_EXPORT(advapi32, CryptReleaseContext, 2);

BOOL WINAPI CryptGenRandom(ULONG_PTR prov, DWORD len, BYTE *buf)
{
    pthread_mutex_lock(&cp_lock);
    int i = cp_slot(prov);
    pthread_mutex_unlock(&cp_lock);
    if (i < 0)
        return cp_fail(CP_NTE_BAD_UID);
    if (len && !buf)
        return cp_fail(CP_ERROR_INVALID_PARAMETER);
    if (thk_random_fill(buf, len) != STATUS_SUCCESS)
        return cp_fail(CP_ERROR_NOACCESS);
    return 1;
}
THK_EXPORT(advapi32, CryptGenRandom, 3);

bool cp_provider_type(ULONG_PTR prov, uint32_t *type)
{
    pthread_mutex_lock(&cp_lock);
    int i = cp_slot(prov);
    if (i >= 0)
        *type = cp_types[i];
    pthread_mutex_unlock(&cp_lock);
    return i >= 0;
}
