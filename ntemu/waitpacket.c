/* SPDX-License-Identifier: MIT */
/* Wait completion packets: NtCreateWaitCompletionPacket, NtAssociateWaitCompletionPacket,
 * NtCancelWaitCompletionPacket (Windows 8+; Go 1.23+'s netpoller and Rust's compio wait on
 * objects through them). A packet, once associated with a completion port and a waitable
 * object, posts {KeyContext, ApcContext, IoStatus, IoStatusInformation} to the port when the
 * object is signalled, acquiring it as a wait would (an auto-reset event is reset, a semaphore
 * decremented); it is then free to be associated again.
 *
 * The wait is a thread-less waiter of sync.c (nt_wait_async_begin) whose fire callback, run under
 * nt_wait_lock by whoever signals the object, posts the packet; each association's packet
 * carries a tag so NtCancelWaitCompletionPacket can tell "still queued" (STATUS_PENDING, or
 * taken out again with RemoveSignaledPacket: STATUS_SUCCESS) from "already removed by a
 * waiter" (STATUS_CANCELLED). Cancelling a wait that has not fired: STATUS_SUCCESS; a packet
 * never associated: STATUS_CANCELLED. Lock order: nt_wait_lock, then the port's lock. */
#include <stdlib.h>
#include "ntemu/ntemu_private.h"

#ifndef STATUS_CANCELLED
#define STATUS_CANCELLED ((NTSTATUS)0xC0000120)
#endif

enum { NT_WP_IDLE, NT_WP_WAITING, NT_WP_QUEUED };

typedef struct {
    nt_object hdr;
    /* under nt_wait_lock */
    int state;
    struct nt_waiter *w;   /* NT_WP_WAITING */
    nt_object *port;       /* a reference, kept until the next association or the end */
    nt_object *target;     /* a reference, likewise */
    ULONG_PTR key, ctx, info;
    NTSTATUS status;
    uint64_t tag;
} nt_wait_packet;

static uint64_t nt_wp_tags; /* under nt_wait_lock */

static void nt_wp_destroy(nt_object *o)
{
    nt_wait_packet *pk = (nt_wait_packet *)o;
    pthread_mutex_lock(&nt_wait_lock);
    if (pk->w)
        nt_wait_async_cancel(pk->w);
    pk->w = NULL;
    pthread_mutex_unlock(&nt_wait_lock);
    if (pk->port)
        nt_object_release(pk->port);
    if (pk->target)
        nt_object_release(pk->target);
    free(pk);
}

/* Under nt_wait_lock (nt_sync_wake): the target was acquired for the packet. */
static void nt_wp_fire(void *ctx, NTSTATUS result)
{
    nt_wait_packet *pk = ctx;
    nt_wait_async_free(pk->w);
    pk->w = NULL;
    pk->state = NT_WP_QUEUED;
    nt_iocp_post_tagged(pk->port, pk->key, pk->ctx, pk->status, pk->info, pk->tag);
}

NTSTATUS NTAPI NtCreateWaitCompletionPacket(HANDLE *handle, uint32_t access,
                                            const OBJECT_ATTRIBUTES *attr)
{
    HANDLE h = NULL;
    if (nt_copy_to_user(handle, &h, sizeof h) != 0)
        return STATUS_ACCESS_VIOLATION;
    nt_wait_packet *pk = calloc(1, sizeof *pk);
    if (!pk)
        return STATUS_NO_MEMORY;
    nt_object_init(&pk->hdr, NT_OBJ_WAIT_PACKET, nt_wp_destroy);
    NTSTATUS st = nt_handle_alloc(&pk->hdr, &h);
    nt_object_release(&pk->hdr); /* the handle holds it now (or nothing does) */
    if (st != STATUS_SUCCESS)
        return st;
    if (nt_copy_to_user(handle, &h, sizeof h) != 0) {
        nt_handle_close(h);
        return STATUS_ACCESS_VIOLATION;
    }
    return STATUS_SUCCESS;
}

NTSTATUS NTAPI NtAssociateWaitCompletionPacket(HANDLE packet, HANDLE port, HANDLE target,
                                               void *key, void *apc_ctx, NTSTATUS io_status,
                                               ULONG_PTR io_info, BOOLEAN *already_signalled)
{
    nt_object *po = NULL, *portobj = NULL, *tobj = NULL;
    NTSTATUS st = nt_handle_get(packet, NT_OBJ_WAIT_PACKET, &po);
    if (st != STATUS_SUCCESS)
        return st;
    st = nt_handle_get(port, NT_OBJ_IO_COMPLETION, &portobj);
    if (st == STATUS_SUCCESS)
        st = nt_object_from_handle(target, NT_OBJ_ANY, &tobj);
    if (st != STATUS_SUCCESS)
        goto release;
    nt_wait_packet *pk = (nt_wait_packet *)po;
    nt_object *old_port = NULL, *old_target = NULL;
    NTSTATUS sat = STATUS_PENDING;
    pthread_mutex_lock(&nt_wait_lock);
    if (pk->state == NT_WP_WAITING) {
        pthread_mutex_unlock(&nt_wait_lock);
        st = STATUS_INVALID_PARAMETER_1; /* in use: associated and not yet signalled */
        goto release;
    }
    old_port = pk->port;
    old_target = pk->target;
    pk->port = portobj;
    pk->target = tobj;
    portobj = tobj = NULL; /* the packet's now */
    pk->key = (ULONG_PTR)key;
    pk->ctx = (ULONG_PTR)apc_ctx;
    pk->status = io_status;
    pk->info = io_info;
    pk->tag = ++nt_wp_tags;
    pk->w = nt_wait_async_begin(pk->target, nt_current_tid(), nt_wp_fire, pk, &sat);
    if (pk->w) {
        pk->state = NT_WP_WAITING;
    } else if (sat == STATUS_NO_MEMORY) {
        pk->state = NT_WP_IDLE;
        st = sat;
    } else {
        pk->state = NT_WP_QUEUED;
        st = nt_iocp_post_tagged(pk->port, pk->key, pk->ctx, pk->status, pk->info, pk->tag);
    }
    pthread_mutex_unlock(&nt_wait_lock);
    if (old_port)
        nt_object_release(old_port);
    if (old_target)
        nt_object_release(old_target);
    if (st == STATUS_SUCCESS && already_signalled) {
        BOOLEAN b = sat != STATUS_PENDING;
        if (nt_copy_to_user(already_signalled, &b, sizeof b) != 0)
            st = STATUS_ACCESS_VIOLATION;
    }
release:
    if (tobj)
        nt_object_release(tobj);
    if (portobj)
        nt_object_release(portobj);
    nt_object_release(po);
    return st;
}

NTSTATUS NTAPI NtCancelWaitCompletionPacket(HANDLE packet, BOOLEAN remove_signalled)
{
    nt_object *po = NULL;
    NTSTATUS st = nt_handle_get(packet, NT_OBJ_WAIT_PACKET, &po);
    if (st != STATUS_SUCCESS)
        return st;
    nt_wait_packet *pk = (nt_wait_packet *)po;
    pthread_mutex_lock(&nt_wait_lock);
    switch (pk->state) {
    case NT_WP_WAITING:
        nt_wait_async_cancel(pk->w);
        pk->w = NULL;
        pk->state = NT_WP_IDLE;
        st = STATUS_SUCCESS;
        break;
    case NT_WP_QUEUED:
        if (nt_iocp_find_tag(pk->port, pk->tag, remove_signalled)) {
            st = remove_signalled ? STATUS_SUCCESS : STATUS_PENDING;
            if (remove_signalled)
                pk->state = NT_WP_IDLE;
        } else {
            st = STATUS_CANCELLED; /* a waiter has taken it: complete */
            pk->state = NT_WP_IDLE;
        }
        break;
    default:
        st = STATUS_CANCELLED;
        break;
    }
    pthread_mutex_unlock(&nt_wait_lock);
    nt_object_release(po);
    return st;
}
