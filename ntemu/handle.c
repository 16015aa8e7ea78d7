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
#include "ntemu/ntemu_private.h"

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

void nt_object_init(nt_object *obj, nt_obj_type type, void (*destroy)(nt_object *))
{
    obj->type = type;
    __atomic_store_n(&obj->refcount, 1, __ATOMIC_RELAXED);
    obj->destroy = destroy;
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
            uint32_t cap = nt_slot_cap ? nt_slot_cap * 2 : 256;
            uintptr_t *bigger = realloc(nt_slots, cap * sizeof *bigger);
            if (!bigger)
                goto full;
            nt_slots = bigger;
            nt_slot_cap = cap;
        }
        index = nt_slot_count++;
    }
    nt_object_ref(obj);
    nt_slots[index] = (uintptr_t)obj;
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
        uintptr_t *bigger = realloc(nt_slots, cap * sizeof *bigger);
        if (!bigger) {
            pthread_mutex_unlock(&nt_handle_lock);
            return STATUS_INSUFFICIENT_RESOURCES;
        }
        nt_slots = bigger;
        nt_slot_cap = cap;
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
    nt_slots[index] = (uintptr_t)obj | (inherit ? NT_SLOT_INHERIT : 0);
    pthread_mutex_unlock(&nt_handle_lock);
    return STATUS_SUCCESS;
}

void nt_handles_for_each_inheritable(void (*fn)(HANDLE h, nt_object *obj, void *ctx), void *ctx)
{
    pthread_mutex_lock(&nt_handle_lock);
    for (uint32_t i = 0; i < nt_slot_count; i++) {
        uintptr_t v = nt_slots[i];
        if (!(v & NT_SLOT_FREE) && (v & NT_SLOT_INHERIT))
            fn(nt_handle_of(i), (nt_object *)(v & ~(uintptr_t)NT_SLOT_FLAGS), ctx);
    }
    pthread_mutex_unlock(&nt_handle_lock);
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
    bool protected_ = false;
    if (index < nt_slot_count && !(nt_slots[index] & NT_SLOT_FREE)) {
        if (nt_slots[index] & NT_SLOT_PROTECT) {
            protected_ = true;
        } else {
            obj = (nt_object *)(nt_slots[index] & ~(uintptr_t)NT_SLOT_FLAGS);
            nt_slots[index] = ((uintptr_t)nt_free_head << 1) | NT_SLOT_FREE;
            nt_free_head = index;
        }
    }
    pthread_mutex_unlock(&nt_handle_lock);
    if (protected_)
        return NT_STATUS_HANDLE_NOT_CLOSABLE;
    if (!obj)
        return STATUS_INVALID_HANDLE;
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
    nt_slots = NULL;
    nt_slot_count = nt_slot_cap = 0;
    nt_free_head = UINT32_MAX;
    pthread_mutex_unlock(&nt_handle_lock);
    for (uint32_t i = 0; i < count; i++)
        if (!(slots[i] & NT_SLOT_FREE))
            nt_object_release((nt_object *)(slots[i] & ~(uintptr_t)NT_SLOT_FLAGS));
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

/* ObjectHandleFlagInformation only (GetHandleInformation); other classes are not kept. */
NTSTATUS NTAPI NtQueryObject(HANDLE h, uint32_t klass, void *info, uint32_t len,
                                        uint32_t *ret_len)
{
    if (klass != NT_ObjectHandleFlagInformation)
        return STATUS_INVALID_INFO_CLASS;
    if (len < sizeof(nt_handle_flag_info))
        return STATUS_INFO_LENGTH_MISMATCH;
    if (!nt_probe_write(info, len) || (ret_len && !nt_probe_write(ret_len, sizeof *ret_len)))
        return STATUS_ACCESS_VIOLATION;
    uintptr_t *slot;
    nt_handle_flag_info f = {0};
    pthread_mutex_lock(&nt_handle_lock);
    NTSTATUS st = nt_handle_slot(h, &slot);
    if (st == STATUS_SUCCESS && slot) {
        f.Inherit = (*slot & NT_SLOT_INHERIT) != 0;
        f.ProtectFromClose = (*slot & NT_SLOT_PROTECT) != 0;
    }
    pthread_mutex_unlock(&nt_handle_lock);
    if (st != STATUS_SUCCESS)
        return st;
    if (nt_copy_to_user(info, &f, sizeof f) != 0)
        return STATUS_ACCESS_VIOLATION;
    uint32_t n = sizeof f;
    if (ret_len && nt_copy_to_user(ret_len, &n, sizeof n) != 0)
        return STATUS_ACCESS_VIOLATION;
    return STATUS_SUCCESS;
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
