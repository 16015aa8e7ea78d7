/* SPDX-License-Identifier: MIT */
/* The handle table and reference-counted objects.
 *
 * A handle is (index + 1) * 4: multiples of 4 starting at 4, never 0, and never the pseudo
 * handles -1 (NtCurrentProcess) and -2 (NtCurrentThread). As on Windows, the low two bits of a
 * handle value are ignored on lookup (applications may use them as tags). Freed slots are
 * reused last-in first-out, as Windows reuses handle values.
 *
 * The table is an array indexed by handle / 4 - 1 under one mutex: a lookup is the lock, one
 * load and one atomic increment. The lock also makes "look up and take a reference" atomic
 * with respect to NtClose, so an object can never be freed between the two. Objects are
 * destroyed outside the lock (a file's destroy may unlink a file). */
#include <stdlib.h>
#include <string.h>
#include "ntemu/ntemu_private.h"

#define NT_OB_MAXIMUM_ALLOWED 0x02000000u

#define NT_HANDLE_MAX (1u << 24) /* Windows' per-process limit is about 2^24 handles */
#define NT_SLOT_FREE 1u          /* low bit set: free slot, next free index in the upper bits */
/* A used slot is the object's address (8-aligned) with the handle's flags in bits 1 and 2. */
#define NT_SLOT_INHERIT 2u
#define NT_SLOT_PROTECT 4u
#define NT_SLOT_FLAGS (NT_SLOT_INHERIT | NT_SLOT_PROTECT)
#define NT_STATUS_HANDLE_NOT_CLOSABLE ((NTSTATUS)0xC0000235)
#define NT_ObjectHandleFlagInformation 4

static pthread_mutex_t nt_handle_lock = PTHREAD_MUTEX_INITIALIZER;
static uintptr_t *nt_slots;
static uint32_t nt_slot_count; /* slots ever used */
static uint32_t nt_slot_cap;
static uint32_t nt_free_head = UINT32_MAX;
/* The access granted to each handle (parallel to nt_slots): the mask mapped from generic rights
 * at open/create/duplicate, with NT_GRANTED_SET; 0 when the creator recorded none (the object's
 * type default applies, see nt_handle_granted). */
static uint32_t *nt_granted;
#define NT_GRANTED_SET 0x08000000u /* a reserved access bit: never part of a granted mask */

void nt_object_init(nt_object *obj, nt_obj_type type, void (*destroy)(nt_object *))
{
    obj->type = type;
    __atomic_store_n(&obj->refcount, 1, __ATOMIC_RELAXED);
    obj->destroy = destroy;
    obj->handles = 0;
    obj->last_close = NULL;
}

void nt_object_ref(nt_object *obj)
{
    __atomic_add_fetch(&obj->refcount, 1, __ATOMIC_RELAXED);
}

void nt_object_release(nt_object *obj)
{
    if (!obj)
        return;
    if (__atomic_sub_fetch(&obj->refcount, 1, __ATOMIC_ACQ_REL) == 0 && obj->destroy)
        obj->destroy(obj);
}

static inline HANDLE nt_handle_of(uint32_t index)
{
    return (HANDLE)(uintptr_t)(((uintptr_t)index + 1) * 4);
}

/* Slot index of a handle value, or UINT32_MAX when it cannot be one of ours. */
static inline uint32_t nt_index_of(HANDLE h)
{
    uintptr_t v = (uintptr_t)h >> 2;
    if (v == 0 || v > NT_HANDLE_MAX)
        return UINT32_MAX;
    return (uint32_t)(v - 1);
}

/* Under the lock: room for `cap` slots in both arrays. */
static bool nt_slots_grow(uint32_t cap)
{
    uintptr_t *bigger = realloc(nt_slots, cap * sizeof *bigger);
    if (!bigger)
        return false;
    nt_slots = bigger;
    uint32_t *granted = realloc(nt_granted, cap * sizeof *granted);
    if (!granted)
        return false;
    nt_granted = granted;
    nt_slot_cap = cap;
    return true;
}

NTSTATUS nt_handle_alloc(nt_object *obj, HANDLE *out)
{
    uint32_t index;
    *out = NULL;
    pthread_mutex_lock(&nt_handle_lock);
    if (nt_free_head != UINT32_MAX) {
        index = nt_free_head;
        nt_free_head = (uint32_t)(nt_slots[index] >> 1);
    } else {
        if (nt_slot_count == NT_HANDLE_MAX)
            goto full;
        if (nt_slot_count == nt_slot_cap) {
            if (!nt_slots_grow(nt_slot_cap ? nt_slot_cap * 2 : 256))
                goto full;
        }
        index = nt_slot_count++;
    }
    nt_object_ref(obj);
    obj->handles++;
    nt_slots[index] = (uintptr_t)obj;
    nt_granted[index] = 0;
    pthread_mutex_unlock(&nt_handle_lock);
    *out = nt_handle_of(index);
    return STATUS_SUCCESS;
full:
    pthread_mutex_unlock(&nt_handle_lock);
    return STATUS_INSUFFICIENT_RESOURCES;
}

uint32_t nt_handle_count(void)
{
    uint32_t n = 0;
    pthread_mutex_lock(&nt_handle_lock);
    for (uint32_t i = 0; i < nt_slot_count; i++)
        n += !(nt_slots[i] & NT_SLOT_FREE);
    pthread_mutex_unlock(&nt_handle_lock);
    return n;
}

NTSTATUS nt_handle_alloc_inherit(nt_object *obj, bool inherit, HANDLE *out)
{
    NTSTATUS st = nt_handle_alloc(obj, out);
    if (st == STATUS_SUCCESS && inherit)
        nt_handle_set_inherit(*out, true);
    return st;
}

NTSTATUS nt_handle_set_inherit(HANDLE h, bool inherit)
{
    uint32_t index = nt_index_of(h);
    NTSTATUS st = STATUS_INVALID_HANDLE;
    if (index == UINT32_MAX)
        return st;
    pthread_mutex_lock(&nt_handle_lock);
    if (index < nt_slot_count && !(nt_slots[index] & NT_SLOT_FREE)) {
        nt_slots[index] = (nt_slots[index] & ~(uintptr_t)NT_SLOT_INHERIT) |
                          (inherit ? NT_SLOT_INHERIT : 0);
        st = STATUS_SUCCESS;
    }
    pthread_mutex_unlock(&nt_handle_lock);
    return st;
}

NTSTATUS nt_handle_alloc_at(nt_object *obj, HANDLE h, bool inherit)
{
    uint32_t index = nt_index_of(h);
    if (index == UINT32_MAX || ((uintptr_t)h & 3))
        return STATUS_INVALID_PARAMETER;
    pthread_mutex_lock(&nt_handle_lock);
    if (index < nt_slot_count && !(nt_slots[index] & NT_SLOT_FREE)) {
        pthread_mutex_unlock(&nt_handle_lock);
        return STATUS_OBJECT_NAME_COLLISION; /* taken */
    }
    if (index >= nt_slot_cap) {
        uint32_t cap = nt_slot_cap ? nt_slot_cap : 256;
        while (cap <= index)
            cap *= 2;
        if (!nt_slots_grow(cap)) {
            pthread_mutex_unlock(&nt_handle_lock);
            return STATUS_INSUFFICIENT_RESOURCES;
        }
    }
    if (index < nt_slot_count) { /* a free slot: unlink it from the free list */
        uint32_t prev = UINT32_MAX, cur = nt_free_head;
        while (cur != index && cur != UINT32_MAX) {
            prev = cur;
            cur = (uint32_t)(nt_slots[cur] >> 1);
        }
        uint32_t next = (uint32_t)(nt_slots[index] >> 1);
        if (prev == UINT32_MAX)
            nt_free_head = next;
        else
            nt_slots[prev] = ((uintptr_t)next << 1) | NT_SLOT_FREE;
    } else { /* beyond the used slots: the ones in between become free */
        for (uint32_t i = nt_slot_count; i < index; i++) {
            nt_slots[i] = ((uintptr_t)nt_free_head << 1) | NT_SLOT_FREE;
            nt_free_head = i;
        }
        nt_slot_count = index + 1;
    }
    nt_object_ref(obj);
    obj->handles++;
    nt_slots[index] = (uintptr_t)obj | (inherit ? NT_SLOT_INHERIT : 0);
    nt_granted[index] = 0;
    pthread_mutex_unlock(&nt_handle_lock);
    return STATUS_SUCCESS;
}

/* Calls fn for every handle (inheritable ones only when `inheritable`), the table's lock held:
 * fn must not take a lock that is ever held while the table's is taken. */
static void handles_each(bool inheritable, void (*fn)(HANDLE h, nt_object *obj, void *ctx),
                         void *ctx)
{
    pthread_mutex_lock(&nt_handle_lock);
    for (uint32_t i = 0; i < nt_slot_count; i++) {
        uintptr_t v = nt_slots[i];
        if (!(v & NT_SLOT_FREE) && (!inheritable || (v & NT_SLOT_INHERIT)))
            fn(nt_handle_of(i), (nt_object *)(v & ~(uintptr_t)NT_SLOT_FLAGS), ctx);
    }
    pthread_mutex_unlock(&nt_handle_lock);
}

void nt_handles_for_each_inheritable(void (*fn)(HANDLE h, nt_object *obj, void *ctx), void *ctx)
{
    handles_each(true, fn, ctx);
}

void nt_handles_for_each(void (*fn)(HANDLE h, nt_object *obj, void *ctx), void *ctx)
{
    handles_each(false, fn, ctx);
}

NTSTATUS nt_handle_get(HANDLE h, nt_obj_type type, nt_object **out)
{
    uint32_t index = nt_index_of(h);
    NTSTATUS st = STATUS_INVALID_HANDLE;
    *out = NULL;
    if (index == UINT32_MAX)
        return STATUS_INVALID_HANDLE;
    pthread_mutex_lock(&nt_handle_lock);
    if (index < nt_slot_count && !(nt_slots[index] & NT_SLOT_FREE)) {
        nt_object *obj = (nt_object *)(nt_slots[index] & ~(uintptr_t)NT_SLOT_FLAGS);
        if (type != NT_OBJ_ANY && obj->type != type) {
            st = STATUS_OBJECT_TYPE_MISMATCH;
        } else {
            nt_object_ref(obj);
            *out = obj;
            st = STATUS_SUCCESS;
        }
    }
    pthread_mutex_unlock(&nt_handle_lock);
    return st;
}

NTSTATUS nt_handle_close(HANDLE h)
{
    uint32_t index = nt_index_of(h);
    nt_object *obj = NULL;
    if (index == UINT32_MAX)
        return STATUS_INVALID_HANDLE;
    pthread_mutex_lock(&nt_handle_lock);
    bool protected_ = false, last = false;
    if (index < nt_slot_count && !(nt_slots[index] & NT_SLOT_FREE)) {
        if (nt_slots[index] & NT_SLOT_PROTECT) {
            protected_ = true;
        } else {
            obj = (nt_object *)(nt_slots[index] & ~(uintptr_t)NT_SLOT_FLAGS);
            last = --obj->handles == 0;
            nt_slots[index] = ((uintptr_t)nt_free_head << 1) | NT_SLOT_FREE;
            nt_free_head = index;
        }
    }
    pthread_mutex_unlock(&nt_handle_lock);
    if (protected_)
        return NT_STATUS_HANDLE_NOT_CLOSABLE;
    if (!obj)
        return STATUS_INVALID_HANDLE;
    if (last && obj->last_close)
        obj->last_close(obj);
    nt_object_release(obj);
    return STATUS_SUCCESS;
}

/* Closing a pseudo handle (NtCurrentProcess, NtCurrentThread) succeeds and does nothing. */
NTSTATUS NTAPI NtClose(HANDLE h)
{
    if (h == NtCurrentProcess() || h == NtCurrentThread())
        return STATUS_SUCCESS;
    return nt_handle_close(h);
}

/* libntrun teardown (nt_process_teardown): closes every handle, as process exit does, and
 * empties the table so the next run's handles start at 4 again. */
void nt_handles_close_all(void)
{
    pthread_mutex_lock(&nt_handle_lock);
    uintptr_t *slots = nt_slots;
    uint32_t count = nt_slot_count;
    free(nt_granted);
    nt_granted = NULL;
    nt_slots = NULL;
    nt_slot_count = nt_slot_cap = 0;
    nt_free_head = UINT32_MAX;
    pthread_mutex_unlock(&nt_handle_lock);
    for (uint32_t i = 0; i < count; i++) {
        if (slots[i] & NT_SLOT_FREE)
            continue;
        nt_object *obj = (nt_object *)(slots[i] & ~(uintptr_t)NT_SLOT_FLAGS);
        /* out of the table already */
        if (__atomic_sub_fetch(&obj->handles, 1, __ATOMIC_RELAXED) == 0 && obj->last_close)
            obj->last_close(obj);
        nt_object_release(obj);
    }
    free(slots);
}

/* ObjectHandleFlagInformation: { BOOLEAN Inherit; BOOLEAN ProtectFromClose; }. */
typedef struct {
    BOOLEAN Inherit;
    BOOLEAN ProtectFromClose;
} nt_handle_flag_info;

/* The flag bits of a handle's slot (NULL: a pseudo handle, which has none). */
static NTSTATUS nt_handle_slot(HANDLE h, uintptr_t **slot)
{
    *slot = NULL;
    if (h == NtCurrentProcess() || h == NtCurrentThread())
        return STATUS_SUCCESS;
    uint32_t index = nt_index_of(h);
    if (index == UINT32_MAX || index >= nt_slot_count || (nt_slots[index] & NT_SLOT_FREE))
        return STATUS_INVALID_HANDLE;
    *slot = &nt_slots[index];
    return STATUS_SUCCESS;
}

/* What NtQueryObject (ntemu/object.c) reports of a handle: its object with a reference, its
 * flags, the access recorded for it and how many handles of the table name the object. */
NTSTATUS nt_handle_describe(HANDLE h, nt_handle_desc *d)
{
    memset(d, 0, sizeof *d);
    if (h == NtCurrentProcess() || h == NtCurrentThread()) {
        NTSTATUS st = nt_object_from_handle(h, NT_OBJ_ANY, &d->obj);
        if (st != STATUS_SUCCESS)
            return st;
        d->granted = nt_access_map(d->obj->type, NT_OB_MAXIMUM_ALLOWED);
        d->handles = 1;
        return STATUS_SUCCESS;
    }
    uint32_t index = nt_index_of(h);
    if (index == UINT32_MAX)
        return STATUS_INVALID_HANDLE;
    pthread_mutex_lock(&nt_handle_lock);
    if (index >= nt_slot_count || (nt_slots[index] & NT_SLOT_FREE)) {
        pthread_mutex_unlock(&nt_handle_lock);
        return STATUS_INVALID_HANDLE;
    }
    uintptr_t v = nt_slots[index];
    d->obj = (nt_object *)(v & ~(uintptr_t)NT_SLOT_FLAGS);
    nt_object_ref(d->obj);
    d->inherit = (v & NT_SLOT_INHERIT) != 0;
    d->protect = (v & NT_SLOT_PROTECT) != 0;
    d->granted = nt_granted[index];
    d->handles = d->obj->handles;
    pthread_mutex_unlock(&nt_handle_lock);
    if (d->granted & NT_GRANTED_SET)
        d->granted &= ~NT_GRANTED_SET;
    else
        d->granted = nt_object_default_access(d->obj);
    return STATUS_SUCCESS;
}

/* The access an object's handles have when their creator recorded none: a file's open mode,
 * else everything the type defines (ntrun checked nothing more when the handle was made). */
uint32_t nt_object_default_access(const nt_object *obj)
{
    if (obj->type == NT_OBJ_FILE)
        return nt_access_map(NT_OBJ_FILE, ((const nt_file *)obj)->access);
    return nt_access_map(obj->type, NT_OB_MAXIMUM_ALLOWED);
}

void nt_handle_set_granted(HANDLE h, uint32_t granted)
{
    uint32_t index = nt_index_of(h);
    if (index == UINT32_MAX)
        return;
    pthread_mutex_lock(&nt_handle_lock);
    if (index < nt_slot_count && !(nt_slots[index] & NT_SLOT_FREE))
        nt_granted[index] = (granted & ~NT_GRANTED_SET) | NT_GRANTED_SET;
    pthread_mutex_unlock(&nt_handle_lock);
}

bool nt_handle_inherits(HANDLE h)
{
    uint32_t index = nt_index_of(h);
    bool inherit = false;
    if (index == UINT32_MAX)
        return false;
    pthread_mutex_lock(&nt_handle_lock);
    if (index < nt_slot_count && !(nt_slots[index] & NT_SLOT_FREE))
        inherit = (nt_slots[index] & NT_SLOT_INHERIT) != 0;
    pthread_mutex_unlock(&nt_handle_lock);
    return inherit;
}

uint32_t nt_handle_granted(HANDLE h, uint32_t fallback)
{
    uint32_t index = nt_index_of(h), g = 0;
    if (index == UINT32_MAX)
        return fallback;
    pthread_mutex_lock(&nt_handle_lock);
    if (index < nt_slot_count && !(nt_slots[index] & NT_SLOT_FREE))
        g = nt_granted[index];
    pthread_mutex_unlock(&nt_handle_lock);
    return (g & NT_GRANTED_SET) ? g & ~NT_GRANTED_SET : fallback;
}

/* Windows' access check at reference time (ObReferenceObjectByHandle with a desired access):
 * every bit of `need` must be in the handle's granted access. Pseudo-handles and handles whose
 * creator recorded none (the runtime's own) have their object's default access: all of it. */
NTSTATUS nt_handle_access(HANDLE h, const nt_object *obj, uint32_t need)
{
    uint32_t g = nt_handle_granted(h, nt_object_default_access(obj));
    return (g & need) == need ? STATUS_SUCCESS : STATUS_ACCESS_DENIED;
}

NTSTATUS nt_handle_grant_user(HANDLE *user_handle, nt_obj_type type, uint32_t access, NTSTATUS st)
{
    HANDLE h;
    if (NT_SUCCESS(st) && user_handle && nt_copy_from_user(&h, user_handle, sizeof h) == 0 && h)
        nt_handle_set_granted(h, nt_access_map(type, access));
    return st;
}

/* ObjectHandleFlagInformation: inheritance (recorded; ntrun starts no child that could inherit)
 * and protection from NtClose (STATUS_HANDLE_NOT_CLOSABLE while set). */
NTSTATUS NTAPI NtSetInformationObject(HANDLE h, uint32_t klass, const void *info, uint32_t len)
{
    if (klass != NT_ObjectHandleFlagInformation)
        return STATUS_INVALID_INFO_CLASS;
    if (len != sizeof(nt_handle_flag_info))
        return STATUS_INFO_LENGTH_MISMATCH;
    nt_handle_flag_info f;
    if (nt_copy_from_user(&f, info, sizeof f) != 0)
        return STATUS_ACCESS_VIOLATION;
    uintptr_t *slot;
    pthread_mutex_lock(&nt_handle_lock);
    NTSTATUS st = nt_handle_slot(h, &slot);
    if (st == STATUS_SUCCESS && slot) {
        *slot &= ~(uintptr_t)NT_SLOT_FLAGS;
        *slot |= (f.Inherit ? NT_SLOT_INHERIT : 0) | (f.ProtectFromClose ? NT_SLOT_PROTECT : 0);
    }
    pthread_mutex_unlock(&nt_handle_lock);
    return st;
}
