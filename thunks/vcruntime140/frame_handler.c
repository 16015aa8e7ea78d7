/* SPDX-License-Identifier: MIT */
/* __CxxFrameHandler3 (vcruntime140) and __CxxFrameHandler4 (vcruntime140_1): the language
 * handlers of MSVC-ABI C++ functions, called by the dispatcher (thunks/ntdll/exception.c) for
 * each frame whose unwind info names them.
 *
 * Search (an exception is being dispatched): the frame's EH state comes from its IP-to-state
 * map; each try block whose range holds the state is tried in order (innermost first), each
 * of its handlers against each type the thrown object can be caught as (the ThrowInfo's
 * catchable types: the type itself, its bases, void * for pointers). On a match the catch
 * object is built in the parent frame (by reference: an adjusted pointer; by value: bitwise
 * copy or the copy constructor), then the handler unwinds to this frame with a
 * STATUS_UNWIND_CONSOLIDATE record (thk_unwind_from_handler): every frame in between runs its
 * cleanups, this one unwinds to the try's first state, and the consolidation callback
 * (cxx_call_catch) calls the catch funclet with the parent's frame and resumes at the
 * continuation address the funclet returns.
 *
 * Unwind: the frame's state machine runs backwards from the current state (to -1, or to the
 * catching try's first state in the target frame), calling each state's cleanup funclet or
 * destructor.
 *
 * Catch funclets are frames of their own, with the parent's metadata (FH3) or a FuncInfo4 of
 * their own marked isCatch (FH4); the parent's establisher frame is saved in the funclet's
 * frame at a known offset. A funclet frame only covers the states of its own catch block
 * (above its try's high state). While a catch block runs, a walk that leaves the funclet
 * crosses into the frame of the try that caught the exception (see exception.c's
 * consolidation); that frame then counts as being in the state the try started in
 * (cxx_catch.resume_state), and an unwind through it ends that catch (cxx_abandon_catches). */
#include <stdint.h>
#include <string.h>
#include "thunks/ntdll/thk_exception.h"
#include "thunks/thunks_private.h"
#include "thunks/vcruntime140/vcruntime_private.h"

/* The consolidation record a frame handler unwinds with when it catches. */
enum {
    CXX_CONS_CALLBACK, /* cxx_call_catch */
    CXX_CONS_FRAME,    /* the parent function's establisher frame */
    CXX_CONS_INFO,     /* cxx_catch_info * (in the catching handler's native frame) */
    CXX_CONS_TRY_LOW,  /* the state the target frame unwinds to */
    CXX_CONS_ORIGINAL, /* the exception record being caught */
    CXX_CONS_COUNT
};

typedef struct {
    EXCEPTION_RECORD *rec;
    CONTEXT *ctx;
    uint64_t funclet;       /* the catch block */
    uint64_t parent;        /* its parent's establisher frame */
    uint64_t target_frame;  /* the frame that caught */
    uint64_t target_func;
    int32_t resume_state;
    uint32_t ncont;
    uint64_t cont[2];
} cxx_catch_info;

static uint64_t cxx_call_catch(EXCEPTION_RECORD *crec, CONTEXT *target);

static bool cxx_is_our_consolidate(const EXCEPTION_RECORD *rec)
{
    return rec->ExceptionCode == (DWORD)STATUS_UNWIND_CONSOLIDATE &&
           rec->NumberParameters >= CXX_CONS_COUNT &&
           rec->ExceptionInformation[CXX_CONS_CALLBACK] == (ULONG_PTR)(uintptr_t)cxx_call_catch;
}

/* The exception an unwind is for (the one being caught, for our consolidations). */
static const EXCEPTION_RECORD *cxx_unwind_origin(const EXCEPTION_RECORD *rec)
{
    if (cxx_is_our_consolidate(rec))
        return (const EXCEPTION_RECORD *)(uintptr_t)rec->ExceptionInformation[CXX_CONS_ORIGINAL];
    return rec;
}

/* From the object to the sub-object a catchable type describes (virtual bases included). */
static uint64_t cxx_adjust_pointer(uint64_t obj, const cxx_pmd *pmd)
{
    uint64_t r = obj + (int64_t)pmd->mdisp;
    if (pmd->pdisp >= 0) {
        uint64_t vbtable = *(const uint64_t *)(uintptr_t)(obj + (int64_t)pmd->pdisp);
        r += (int64_t)*(const int32_t *)(uintptr_t)(vbtable + (int64_t)pmd->vdisp) +
             (int64_t)pmd->pdisp;
    }
    return r;
}

/* __AdjustPointer: the same for msvcp140 (std::rethrow_exception, exception_ptr copies). */
static void *WINAPI vcrt___AdjustPointer(void *obj, const cxx_pmd *pmd)
{
    return (void *)(uintptr_t)cxx_adjust_pointer((uint64_t)(uintptr_t)obj, pmd);
}
THK_EXPORT_AS(vcruntime140, __AdjustPointer, vcrt___AdjustPointer, 2);

static bool cxx_handler_is_ellipsis(const cxx_handler *h, uint64_t hbase)
{
    if (!h->type || (h->adjectives & CXX_HT_ELLIPSIS))
        return true;
    const cxx_type_descriptor *td =
        (const cxx_type_descriptor *)(uintptr_t)(hbase + (uint32_t)h->type);
    return td->name[0] == 0;
}

/* Does handler h (image hbase) catch an object thrown as catchable type ct (image tbase)?
 * Types match by descriptor or, across images, by decorated name. */
static bool cxx_type_match(const cxx_handler *h, uint64_t hbase, const cxx_catchable_type *ct,
                           uint64_t tbase, const cxx_throw_info *ti)
{
    if (cxx_handler_is_ellipsis(h, hbase))
        return true;
    const cxx_type_descriptor *want =
        (const cxx_type_descriptor *)(uintptr_t)(hbase + (uint32_t)h->type);
    const cxx_type_descriptor *have =
        (const cxx_type_descriptor *)(uintptr_t)(tbase + (uint32_t)ct->type);
    if (want != have && strcmp(want->name, have->name) != 0)
        return false;
    if ((ct->properties & CXX_CT_BYREFONLY) && !(h->adjectives & CXX_HT_REFERENCE))
        return false;
    if ((ti->attributes & CXX_THROW_CONST) && !(h->adjectives & CXX_HT_CONST))
        return false;
    if ((ti->attributes & CXX_THROW_VOLATILE) && !(h->adjectives & CXX_HT_VOLATILE))
        return false;
    if ((ti->attributes & CXX_THROW_UNALIGNED) && !(h->adjectives & CXX_HT_UNALIGNED))
        return false;
    return true;
}

/* The catch object in the parent's frame, from the thrown object. */
static void cxx_build_catch_object(const EXCEPTION_RECORD *rec, uint64_t parent,
                                   const cxx_handler *h, uint64_t hbase,
                                   const cxx_catchable_type *ct, uint64_t tbase)
{
    if (!h->catch_obj || !ct || cxx_handler_is_ellipsis(h, hbase))
        return;
    uint64_t obj = rec->ExceptionInformation[1];
    void *dest = (void *)(uintptr_t)(parent + (int64_t)h->catch_obj);
    if (h->adjectives & CXX_HT_REFERENCE) {
        uint64_t p = cxx_adjust_pointer(obj, &ct->this_disp);
        memcpy(dest, &p, 8);
    } else if (ct->properties & CXX_CT_SIMPLE) {
        memcpy(dest, (const void *)(uintptr_t)obj, (size_t)ct->size);
        uint64_t p;
        if (ct->size == 8 && (memcpy(&p, dest, 8), p != 0)) {
            /* a pointer caught as a pointer to a base */
            p = cxx_adjust_pointer(p, &ct->this_disp);
            memcpy(dest, &p, 8);
        }
    } else {
        uint64_t src = cxx_adjust_pointer(obj, &ct->this_disp);
        if (!ct->copy_ctor)
            memcpy(dest, (const void *)(uintptr_t)src, (size_t)ct->size);
        else if (ct->properties & CXX_CT_VIRTUAL_BASE)
            thk_call_foreign3((void *)(uintptr_t)(tbase + (uint32_t)ct->copy_ctor),
                              (uint64_t)(uintptr_t)dest, src, 1);
        else
            thk_call_foreign2((void *)(uintptr_t)(tbase + (uint32_t)ct->copy_ctor),
                              (uint64_t)(uintptr_t)dest, src);
    }
}

/* Runs the state machine backwards from `state` while it is above `target`. The state is
 * advanced before each action, so an action is never run twice. */
static void cxx_unwind_to(const cxx_func *f, uint64_t base, uint64_t parent, int32_t state,
                          int32_t target)
{
    for (uint32_t guard = 0; state > target && state >= 0 && (uint32_t)state < f->nunwind &&
                             guard <= f->nunwind;
         guard++) {
        const cxx_unwind_entry *e = &f->unwind[state];
        state = e->to_state;
        void *action = (void *)(uintptr_t)(base + (uint32_t)e->action);
        switch (e->kind) {
        case CXX_UW_FUNCLET:
            thk_call_foreign2(action, (uint64_t)(uintptr_t)action, parent);
            break;
        case CXX_UW_DTOR_OBJ:
            thk_call_foreign1(action, parent + e->object);
            break;
        case CXX_UW_DTOR_PTR:
            thk_call_foreign1(action, *(const uint64_t *)(uintptr_t)(parent + e->object));
            break;
        default:
            break;
        }
    }
}

/* The consolidation callback: runs the catch block with the catch registered as in progress,
 * then destroys the exception object (unless another catch still handles it) and returns
 * where the parent continues. */
static uint64_t cxx_call_catch(EXCEPTION_RECORD *crec, CONTEXT *target)
{
    (void)target;
    const cxx_catch_info *info =
        (const cxx_catch_info *)(uintptr_t)crec->ExceptionInformation[CXX_CONS_INFO];
    cxx_thread *td = cxx_thread_data();
    cxx_catch c = {.outer = td->catches, .rec = info->rec, .ctx = info->ctx,
                   .target_frame = info->target_frame, .target_func = info->target_func,
                   .resume_state = info->resume_state, .prev_exception = td->cur_exception,
                   .prev_context = td->cur_context};
    td->catches = &c;
    td->cur_exception = info->rec;
    td->cur_context = info->ctx;
    if (td->processing > 0)
        td->processing--;
    /* As vcruntime's _CallSettingFrame: funclet(funclet, establisher frame). */
    uint64_t ret = thk_call_foreign2((void *)(uintptr_t)info->funclet, info->funclet,
                                     info->parent);
    td->catches = c.outer;
    td->cur_exception = c.prev_exception;
    td->cur_context = c.prev_context;
    cxx_destroy_object(info->rec);
    if (ret < 2 && info->ncont) { /* FH4: an index into the handler's continuations */
        if (ret >= info->ncont)
            cxx_terminate();
        ret = info->cont[ret];
    }
    return ret;
}

/* Catches: builds the catch object and unwinds to this frame; never returns. */
__attribute__((noreturn)) static void cxx_catch_here(EXCEPTION_RECORD *rec, CONTEXT *ctx,
                                                     DISPATCHER_CONTEXT *d, cxx_func *f,
                                                     const cxx_try *t, const cxx_handler *h,
                                                     const cxx_catchable_type *ct,
                                                     uint64_t tbase, uint64_t frame,
                                                     uint64_t parent)
{
    uint64_t base = d->ImageBase;
    cxx_build_catch_object(rec, parent, h, base, ct, tbase);
    cxx_catch_info info = {
        .rec = rec, .ctx = ctx, .funclet = base + (uint32_t)h->handler, .parent = parent,
        .target_frame = frame, .target_func = base + d->FunctionEntry->BeginAddress,
        .resume_state = t->low >= 0 && (uint32_t)t->low < f->nunwind
                            ? f->unwind[t->low].to_state : -1,
        .ncont = h->ncont,
        .cont = {base + h->cont[0], base + h->cont[1]}};
    EXCEPTION_RECORD crec;
    memset(&crec, 0, sizeof crec);
    crec.ExceptionCode = (DWORD)STATUS_UNWIND_CONSOLIDATE;
    crec.ExceptionFlags = EXCEPTION_NONCONTINUABLE;
    crec.NumberParameters = CXX_CONS_COUNT;
    crec.ExceptionInformation[CXX_CONS_CALLBACK] = (ULONG_PTR)(uintptr_t)cxx_call_catch;
    crec.ExceptionInformation[CXX_CONS_FRAME] = parent;
    crec.ExceptionInformation[CXX_CONS_INFO] = (ULONG_PTR)(uintptr_t)&info;
    crec.ExceptionInformation[CXX_CONS_TRY_LOW] = (ULONG_PTR)(int64_t)t->low;
    crec.ExceptionInformation[CXX_CONS_ORIGINAL] = (ULONG_PTR)(uintptr_t)rec;
    cxx_func_free(f);
    thk_unwind_from_handler((void *)(uintptr_t)frame, (void *)(uintptr_t)d->ControlPc, &crec,
                            NULL, d->ContextRecord, d->HistoryTable);
}

/* _set_se_translator: a structured exception reaching a frame that has try blocks (compiled
 * /EHa: not synchronous) is given to the thread's translator, translator(code, pointers), as
 * vcruntime's _CallSETranslator does. A translator that throws raises a C++ exception nested
 * in this dispatch: it is caught like any other by the frames of the structured exception
 * (this one included), and the unwind to its catch goes through them. One that returns
 * leaves the exception as it was (catch (...) still catches it). */
static void cxx_translate(cxx_thread *td, EXCEPTION_RECORD *rec, CONTEXT *ctx)
{
    EXCEPTION_POINTERS ptrs = {rec, ctx};
    thk_call_foreign2(td->se_translator, rec->ExceptionCode, (uint64_t)(uintptr_t)&ptrs);
}

/* _se_translator_function _set_se_translator(_se_translator_function): per thread; returns
 * the previous one. */
static void *WINAPI vcrt__set_se_translator(void *fn)
{
    cxx_thread *td = cxx_thread_data();
    void *old = td->se_translator;
    td->se_translator = fn;
    return old;
}
THK_EXPORT_NAMED(vcruntime140, set_se_translator,
                 "?_set_se_translator@@YAP6AXIPEAU_EXCEPTION_POINTERS@@@ZP6AXI0@Z@Z",
                 vcrt__set_se_translator, 1);
THK_EXPORT_NAMED(msvcrt, set_se_translator,
                 "?_set_se_translator@@YAP6AXIPEAU_EXCEPTION_POINTERS@@@ZP6AXI0@Z@Z",
                 vcrt__set_se_translator, 1);

int32_t cxx_frame_handler(EXCEPTION_RECORD *rec, uint64_t frame, CONTEXT *ctx,
                          DISPATCHER_CONTEXT *d, cxx_func *f)
{
    cxx_thread *td = cxx_thread_data();
    uint64_t base = d->ImageBase;
    uint32_t func_rva = d->FunctionEntry->BeginAddress;
    uint64_t func = base + func_rva;

    /* A catch funclet: the try whose handler starts where this function does. */
    const cxx_try *funclet_of = NULL;
    const cxx_handler *funclet_h = NULL;
    for (uint32_t i = 0; i < f->ntry && !funclet_of; i++)
        for (uint32_t j = 0; j < f->tries[i].nhandlers; j++)
            if ((uint32_t)f->tries[i].handlers[j].handler == func_rva) {
                funclet_of = &f->tries[i];
                funclet_h = &f->tries[i].handlers[j];
                break;
            }
    uint64_t parent = frame;
    if (f->is_catch)
        parent = *(const uint64_t *)(uintptr_t)(frame + f->disp_frame);
    else if (funclet_h)
        parent = *(const uint64_t *)(uintptr_t)(frame + (int64_t)funclet_h->frame_disp);
    int32_t floor = funclet_of ? funclet_of->high : -1;
    if (f->is_catch && !funclet_of) {
        /* An FH4 catch funclet whose try is not in its tables: its catch block's states are
         * those of its own IP map, the lowest being the catch's first state (tryHigh + 1). */
        floor = INT32_MAX;
        for (uint32_t i = 0; i < f->nip; i++)
            if (f->ip[i].state >= 0 && f->ip[i].state - 1 < floor)
                floor = f->ip[i].state - 1;
    }

    int32_t state = cxx_ip_to_state(f, (uint32_t)(d->ControlPc - base));
    cxx_catch *active = NULL;
    for (cxx_catch *c = td->catches; c; c = c->outer)
        if (c->target_frame == frame && c->target_func == func) {
            active = c;
            state = c->resume_state;
            break;
        }

    if (rec->ExceptionFlags & (EXCEPTION_UNWINDING | EXCEPTION_EXIT_UNWIND)) {
        if (active)
            cxx_abandon_catches(active, cxx_unwind_origin(rec));
        int32_t target = floor;
        if ((rec->ExceptionFlags & EXCEPTION_TARGET_UNWIND) && cxx_is_our_consolidate(rec) &&
            (int32_t)rec->ExceptionInformation[CXX_CONS_TRY_LOW] > target)
            target = (int32_t)rec->ExceptionInformation[CXX_CONS_TRY_LOW];
        cxx_unwind_to(f, base, parent, state, target);
        return ExceptionContinueSearch;
    }

    bool is_cxx = cxx_is_cxx_exception(rec);
    if (!is_cxx && f->synchronous)
        return ExceptionContinueSearch; /* /EHs: SEH exceptions pass through */
    const cxx_throw_info *ti = NULL;
    const cxx_catchable_type_array *cta = NULL;
    uint64_t tbase = 0;
    if (is_cxx) {
        ti = (const cxx_throw_info *)(uintptr_t)rec->ExceptionInformation[2];
        tbase = rec->ExceptionInformation[3];
        cta = (const cxx_catchable_type_array *)(uintptr_t)(tbase +
                                                            (uint32_t)ti->catchable_types);
    }
    if (!is_cxx && f->ntry && td->se_translator)
        cxx_translate(td, rec, ctx);
    for (uint32_t i = 0; i < f->ntry; i++) {
        const cxx_try *t = &f->tries[i];
        if (state < t->low || state > t->high || t->low <= floor)
            continue;
        for (uint32_t j = 0; j < t->nhandlers; j++) {
            const cxx_handler *h = &t->handlers[j];
            if (!is_cxx) {
                if (cxx_handler_is_ellipsis(h, base))
                    cxx_catch_here(rec, ctx, d, f, t, h, NULL, 0, frame, parent);
                continue;
            }
            for (int32_t k = 0; k < cta->count; k++) {
                const cxx_catchable_type *ct =
                    (const cxx_catchable_type *)(uintptr_t)(tbase + (uint32_t)cta->types[k]);
                if (cxx_type_match(h, base, ct, tbase, ti))
                    cxx_catch_here(rec, ctx, d, f, t, h, ct, tbase, frame, parent);
            }
        }
    }
    /* Leaving a noexcept function ends the program. */
    if (is_cxx && f->noexcept_fn && !funclet_of && !f->is_catch)
        cxx_terminate();
    return ExceptionContinueSearch;
}

/* The handler data is the RVA of the function's FuncInfo. */
static int32_t WINAPI vcrt_CxxFrameHandler3(EXCEPTION_RECORD *rec, void *frame, CONTEXT *ctx,
                                            DISPATCHER_CONTEXT *d)
{
    cxx_func f;
    uint32_t rva;
    memcpy(&rva, d->HandlerData, 4);
    if (cxx_decode_fh3((const uint8_t *)(uintptr_t)(d->ImageBase + rva), d->ImageBase, &f) != 0)
        return ExceptionContinueSearch;
    int32_t r = cxx_frame_handler(rec, (uint64_t)(uintptr_t)frame, ctx, d, &f);
    cxx_func_free(&f);
    return r;
}
THK_EXPORT_AS(vcruntime140, __CxxFrameHandler3, vcrt_CxxFrameHandler3, 4);
THK_EXPORT_AS(vcruntime140, __CxxFrameHandler2, vcrt_CxxFrameHandler3, 4);
THK_EXPORT_AS(vcruntime140, __CxxFrameHandler, vcrt_CxxFrameHandler3, 4);
/* msvcrt.dll's x64 C++ support is the same (programs built against msvcrt.dll by the WDK). */
THK_EXPORT_AS(msvcrt, __CxxFrameHandler, vcrt_CxxFrameHandler3, 4);

/* The handler data is the RVA of the function's (or funclet's) FuncInfo4. */
static int32_t WINAPI vcrt_CxxFrameHandler4(EXCEPTION_RECORD *rec, void *frame, CONTEXT *ctx,
                                            DISPATCHER_CONTEXT *d)
{
    cxx_func f;
    uint32_t rva;
    memcpy(&rva, d->HandlerData, 4);
    if (cxx_decode_fh4((const uint8_t *)(uintptr_t)(d->ImageBase + rva), d->ImageBase,
                       d->FunctionEntry->BeginAddress, &f) != 0)
        return ExceptionContinueSearch;
    int32_t r = cxx_frame_handler(rec, (uint64_t)(uintptr_t)frame, ctx, d, &f);
    cxx_func_free(&f);
    return r;
}
THK_EXPORT_AS(vcruntime140_1, __CxxFrameHandler4, vcrt_CxxFrameHandler4, 4);
