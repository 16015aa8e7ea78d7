/* SPDX-License-Identifier: MIT */
/* vcruntime140's throw side and per-thread C++ exception state: _CxxThrowException (throw and
 * rethrow), __current_exception, __current_exception_context, __uncaught_exception(s),
 * __std_terminate, _purecall and its handler, and the bookkeeping of catch blocks in progress
 * (the exception `throw;` rethrows, when a thrown object is destroyed).
 *
 * _CxxThrowException(object, ThrowInfo) raises 0xE06D7363 (noncontinuable) with
 * { 0x19930520, object, ThrowInfo, image base of the ThrowInfo } from its caller's context
 * (throw_entry.S captures it). `throw;` is _CxxThrowException(NULL, NULL): MSVC raises the
 * null record and lets each frame handler look up the exception being handled; here the
 * rethrow raises that exception's record again directly, so every handler (SEH filters
 * included) sees the real object. With no exception being handled, `throw;` terminates. */
#include <stdlib.h>
#include <string.h>
#include "thunks/ntdll/thk_exception.h"
#include "thunks/thunks_private.h"
#include "thunks/vcruntime140/vcruntime_private.h"

static __thread cxx_thread cxx_thread_state;

cxx_thread *cxx_thread_data(void) { return &cxx_thread_state; }

bool cxx_is_cxx_exception(const EXCEPTION_RECORD *rec)
{
    if (rec->ExceptionCode != CXX_EXCEPTION_CODE || rec->NumberParameters < 3)
        return false;
    ULONG_PTR magic = rec->ExceptionInformation[0];
    return (magic == CXX_MAGIC_1 || magic == CXX_MAGIC_2 || magic == CXX_MAGIC_3 ||
            magic == CXX_PURE_MAGIC) &&
           rec->ExceptionInformation[2] != 0;
}

static bool cxx_same_object(const EXCEPTION_RECORD *a, const EXCEPTION_RECORD *b)
{
    return a && b && cxx_is_cxx_exception(a) && cxx_is_cxx_exception(b) &&
           a->ExceptionInformation[1] == b->ExceptionInformation[1];
}

void cxx_destroy_object(EXCEPTION_RECORD *rec)
{
    if (!cxx_is_cxx_exception(rec) || !rec->ExceptionInformation[1])
        return;
    for (cxx_catch *c = cxx_thread_state.catches; c; c = c->outer)
        if (cxx_same_object(c->rec, rec))
            return; /* rethrown and caught again inside a catch of the same object */
    const cxx_throw_info *ti = (const cxx_throw_info *)(uintptr_t)rec->ExceptionInformation[2];
    uint64_t base = rec->NumberParameters >= 4 ? rec->ExceptionInformation[3] : 0;
    if (ti->unwind)
        thk_call_foreign1((void *)(uintptr_t)(base + (uint32_t)ti->unwind),
                          rec->ExceptionInformation[1]);
}

void cxx_abandon_catches(cxx_catch *stop, const EXCEPTION_RECORD *propagating)
{
    cxx_thread *td = &cxx_thread_state;
    while (td->catches) {
        cxx_catch *c = td->catches;
        td->catches = c->outer;
        td->cur_exception = c->prev_exception;
        td->cur_context = c->prev_context;
        if (!cxx_same_object(c->rec, propagating))
            cxx_destroy_object(c->rec);
        if (c == stop)
            break;
    }
}

/* Foreign code resumed at rsp (exception.c): catches whose callers' frames lay below it were
 * left without an unwind through their frames (longjmp, a caught SEH exception). */
static void cxx_on_resume(uint64_t rsp)
{
    cxx_thread *td = &cxx_thread_state;
    while (td->catches && (uint64_t)(uintptr_t)td->catches < rsp) {
        cxx_catch *c = td->catches;
        td->catches = c->outer;
        td->cur_exception = c->prev_exception;
        td->cur_context = c->prev_context;
    }
}

__attribute__((constructor)) static void cxx_register_resume_hook(void)
{
    thk_set_resume_hook(cxx_on_resume);
}

/* ---- throw ---- */

void vcrt_entry_CxxThrowException(void);

/* _CxxThrowException(object, throw_info), from throw_entry.S with the caller's context. */
__attribute__((noreturn, used)) void vcrt_cxx_throw(CONTEXT *ctx, uint64_t object,
                                                    uint64_t throw_info, uint64_t a2,
                                                    uint64_t a3, const uint64_t *stack)
{
    (void)a2;
    (void)a3;
    (void)stack;
    cxx_thread *td = &cxx_thread_state;
    EXCEPTION_RECORD rec;
    memset(&rec, 0, sizeof rec);
    if (!object && !throw_info) {
        if (!td->cur_exception)
            cxx_terminate(); /* `throw;` with no exception being handled */
        rec = *td->cur_exception;
        rec.ExceptionRecord = NULL;
    } else {
        const cxx_throw_info *ti = (const cxx_throw_info *)(uintptr_t)throw_info;
        void *base = NULL;
        RtlPcToFileHeader((void *)(uintptr_t)throw_info, &base);
        rec.ExceptionCode = CXX_EXCEPTION_CODE;
        rec.ExceptionFlags = EXCEPTION_NONCONTINUABLE;
        rec.NumberParameters = CXX_PARAMS;
        rec.ExceptionInformation[0] = ti && (ti->attributes & 8) ? CXX_PURE_MAGIC : CXX_MAGIC_1;
        rec.ExceptionInformation[1] = object;
        rec.ExceptionInformation[2] = throw_info;
        rec.ExceptionInformation[3] = (ULONG_PTR)(uintptr_t)base;
    }
    rec.ExceptionAddress = (void *)(uintptr_t)ctx->Rip;
    td->processing++;
    thk_raise_exception(&rec, ctx);
}
THK_EXPORT_AS(vcruntime140, _CxxThrowException, vcrt_entry_CxxThrowException, THK_RAW);
THK_EXPORT_AS(msvcrt, _CxxThrowException, vcrt_entry_CxxThrowException, THK_RAW);

/* ---- the exception being handled ---- */

static void **WINAPI vcrt___current_exception(void)
{
    return (void **)&cxx_thread_state.cur_exception;
}
THK_EXPORT_AS(vcruntime140, __current_exception, vcrt___current_exception, 0);

static void **WINAPI vcrt___current_exception_context(void)
{
    return (void **)&cxx_thread_state.cur_context;
}
THK_EXPORT_AS(vcruntime140, __current_exception_context, vcrt___current_exception_context, 0);

static int *WINAPI vcrt___processing_throw(void) { return &cxx_thread_state.processing; }
THK_EXPORT_AS(vcruntime140, __processing_throw, vcrt___processing_throw, 0);

/* Thrown and not yet caught (destructors run by the unwind see 1). */
static int WINAPI vcrt___uncaught_exceptions(void) { return cxx_thread_state.processing; }
THK_EXPORT_AS(vcruntime140, __uncaught_exceptions, vcrt___uncaught_exceptions, 0);

static uint8_t WINAPI vcrt___uncaught_exception(void)
{
    return cxx_thread_state.processing != 0;
}
THK_EXPORT_AS(vcruntime140, __uncaught_exception, vcrt___uncaught_exception, 0);
THK_EXPORT_AS(msvcrt, __uncaught_exception, vcrt___uncaught_exception, 0);

/* ---- terminate ---- */

void cxx_terminate(void)
{
    /* vcruntime's __std_terminate is the UCRT's terminate(): the handler set with
     * set_terminate, else abort(). */
    static const char *const fns[][2] = {
        {"ucrtbase.dll", "terminate"}, {"ucrtbase.dll", "abort"}, {"msvcrt.dll", "abort"}};
    for (size_t i = 0; i < sizeof fns / sizeof fns[0]; i++) {
        void *fn = thk_resolve(fns[i][0], fns[i][1]);
        if (fn)
            thk_call_foreign0(fn);
    }
    rt_exit_process(3);
}

static void WINAPI vcrt___std_terminate(void) { cxx_terminate(); }
THK_EXPORT_AS(vcruntime140, __std_terminate, vcrt___std_terminate, 0);

/* ---- pure virtual calls ---- */

static void *vcrt_purecall_handler;

static void *WINAPI vcrt__set_purecall_handler(void *handler)
{
    return __atomic_exchange_n(&vcrt_purecall_handler, handler, __ATOMIC_ACQ_REL);
}
THK_EXPORT_AS(vcruntime140, _set_purecall_handler, vcrt__set_purecall_handler, 1);

static void *WINAPI vcrt__get_purecall_handler(void)
{
    return __atomic_load_n(&vcrt_purecall_handler, __ATOMIC_ACQUIRE);
}
THK_EXPORT_AS(vcruntime140, _get_purecall_handler, vcrt__get_purecall_handler, 0);

/* A call through a pure virtual slot: the handler, then abort(). */
static int WINAPI vcrt__purecall(void)
{
    void *h = vcrt__get_purecall_handler();
    if (h)
        thk_call_foreign0(h);
    static const char *const fns[][2] = {{"ucrtbase.dll", "abort"}, {"msvcrt.dll", "abort"}};
    for (size_t i = 0; i < sizeof fns / sizeof fns[0]; i++) {
        void *fn = thk_resolve(fns[i][0], fns[i][1]);
        if (fn)
            thk_call_foreign0(fn);
    }
    rt_exit_process(3);
}
THK_EXPORT_AS(vcruntime140, _purecall, vcrt__purecall, 0);
THK_EXPORT_AS(msvcrt, _purecall, vcrt__purecall, 0);
