/* SPDX-License-Identifier: MIT */
/* combase (ole32) CoGetContextToken: the token of the calling thread's current COM context, a
 * pointer to that context's object, as Windows gives it (not AddRef'd). .NET's runtime asks it
 * at start-up and keeps it as the identity of the context its objects were made in.
 *
 * Each apartment has one context here (no COM+ contexts): the MTA's, shared by its threads and
 * the implicit MTA's, and one per single-threaded apartment. The object answers IUnknown only
 * (Windows' also gives IObjContext, IContextCallback and others: E_NOINTERFACE here) and lives as
 * long as the process. A thread outside any apartment gets CO_E_NOTINITIALIZED, as on Windows. */
#include <pthread.h>
#include <stdlib.h>
#include "thunks/kernel32/kernel32_private.h"
#include "thunks/com_native.h"
#include "thunks/combase/combase_private.h"

#define CB_CO_E_NOTINITIALIZED ((int32_t)0x800401F0)

typedef struct cb_context {
    void *const *vtbl; /* 0x0: foreign code sees a COM object */
    uint32_t apartment;
    struct cb_context *next;
} cb_context;

static cb_context *cb_contexts;
static pthread_mutex_t cb_contexts_lock = PTHREAD_MUTEX_INITIALIZER;

static int32_t WINAPI ctx_QueryInterface(cb_context *self, const thk_guid *iid, void **out)
{
    if (!out)
        return THK_E_POINTER;
    if (iid && thk_guid_eq(iid, &thk_iid_iunknown)) {
        *out = self;
        return THK_S_OK;
    }
    *out = NULL;
    return THK_E_NOINTERFACE;
}

/* The context lives as long as the process: the counts are what Windows' answers look like. */
static uint32_t WINAPI ctx_AddRef(cb_context *self)
{
    (void)self;
    return 2;
}

static uint32_t WINAPI ctx_Release(cb_context *self)
{
    (void)self;
    return 1;
}

static const thk_com_method ctx_methods[] = {THK_COM_METHOD(ctx_QueryInterface, 3),
                                             THK_COM_METHOD(ctx_AddRef, 1),
                                             THK_COM_METHOD(ctx_Release, 1)};
static thk_com_vtbl ctx_vtbl = THK_COM_VTBL("IUnknown (context)", ctx_methods);

/* The context object of apartment `id` (0: the MTA), made on first use; NULL when out of
 * memory. */
static cb_context *cb_context_of(uint32_t id)
{
    pthread_mutex_lock(&cb_contexts_lock);
    cb_context *c = cb_contexts;
    while (c && c->apartment != id)
        c = c->next;
    if (!c) {
        void *const *vtbl = thk_com_vtable(&ctx_vtbl);
        c = vtbl ? calloc(1, sizeof *c) : NULL;
        if (c) {
            c->vtbl = vtbl;
            c->apartment = id;
            c->next = cb_contexts;
            cb_contexts = c;
        }
    }
    pthread_mutex_unlock(&cb_contexts_lock);
    return c;
}

int32_t WINAPI CoGetContextToken(uintptr_t *token)
{
    if (!cb_thread_has_apartment())
        return CB_CO_E_NOTINITIALIZED;
    if (!token)
        return THK_E_POINTER;
    cb_context *c = cb_context_of(cb_apartment_id());
    if (!c)
        return THK_E_OUTOFMEMORY;
    uintptr_t v = (uintptr_t)c;
    if (rt_safe_copy(token, &v, sizeof v))
        return THK_E_POINTER;
    return THK_S_OK;
}
THK_EXPORT(combase, CoGetContextToken, 1);
