/* SPDX-License-Identifier: MIT */
/* The per-function C++ exception metadata MSVC-ABI compilers emit, decoded into one form
 * (cxx_func) for the frame handler:
 *
 *  - FuncInfo (__CxxFrameHandler3, MSVC before 2019 and clang): fixed-size tables of
 *    32-bit fields. FuncInfo { magic (low 29 bits), maxState, unwind map RVA, try block count,
 *    try block map RVA, IP map count, IP map RVA, UnwindHelp frame offset, ES type list RVA
 *    (magic >= ..21), EH flags (magic >= ..22: 1 /EHs, 4 noexcept) }; UnwindMapEntry
 *    { toState, action }; TryBlockMapEntry { tryLow, tryHigh, catchHigh, nCatches, handlers };
 *    HandlerType { adjectives, type, catch object offset, funclet, parent frame offset };
 *    IPtoStateMapEntry { ip RVA, state }.
 *  - FuncInfo4 (__CxxFrameHandler4, MSVC 2019+ by default): a header byte (isCatch,
 *    isSeparated, BBT, UnwindMap, TryBlockMap, EHs, NoExcept) followed by only the fields it
 *    announces; counts, offsets and states are compressed unsigned integers (1-5 bytes, the
 *    length in the low bits of the first byte), RVAs stay 4 bytes. Unwind entries link to
 *    the next state by a byte offset back from their own start (before the table: state -1)
 *    and can name a destructor and the object's frame offset directly; IP map offsets are
 *    delta-encoded from the function start and states stored plus one.
 *
 * Everything is read from the image the dispatcher found the handler in. */
#include <stdlib.h>
#include <string.h>
#include "thunks/vcruntime140/vcruntime_private.h"

static int32_t cxx_rd32(const uint8_t *p)
{
    int32_t v;
    memcpy(&v, p, 4);
    return v;
}

void cxx_func_free(cxx_func *f)
{
    if (f->tries)
        for (uint32_t i = 0; i < f->ntry; i++)
            free(f->tries[i].handlers);
    free(f->tries);
    free(f->unwind);
    free(f->ip);
    memset(f, 0, sizeof *f);
}

int32_t cxx_ip_to_state(const cxx_func *f, uint32_t rva)
{
    size_t lo = 0, hi = f->nip; /* first entry with ip > rva */
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (f->ip[mid].rva <= rva)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo ? f->ip[lo - 1].state : -1;
}

/* ======================================================================================== */
/* FuncInfo (FH3)                                                                           */
/* ======================================================================================== */

int cxx_decode_fh3(const uint8_t *fi, uint64_t base, cxx_func *out)
{
    memset(out, 0, sizeof *out);
    out->version = 3;
    uint32_t magic = (uint32_t)cxx_rd32(fi) & 0x1fffffffu;
    if (magic < CXX_MAGIC_1 || magic > CXX_MAGIC_3)
        return -1;
    int32_t max_state = cxx_rd32(fi + 4);
    int32_t unwind_rva = cxx_rd32(fi + 8);
    uint32_t ntry = (uint32_t)cxx_rd32(fi + 12);
    int32_t try_rva = cxx_rd32(fi + 16);
    uint32_t nip = (uint32_t)cxx_rd32(fi + 20);
    int32_t ip_rva = cxx_rd32(fi + 24);
    uint32_t flags = magic >= CXX_MAGIC_3 ? (uint32_t)cxx_rd32(fi + 36) : 0;
    out->synchronous = flags & 1;
    out->noexcept_fn = flags & 4;
    if (max_state < 0 || max_state > 1 << 20 || ntry > 1 << 16 || nip > 1 << 20)
        return -1;

    out->nunwind = (uint32_t)max_state;
    out->unwind = calloc(out->nunwind ? out->nunwind : 1, sizeof *out->unwind);
    out->ntry = ntry;
    out->tries = calloc(ntry ? ntry : 1, sizeof *out->tries);
    out->nip = nip;
    out->ip = calloc(nip ? nip : 1, sizeof *out->ip);
    if (!out->unwind || !out->tries || !out->ip)
        goto fail;
    for (uint32_t s = 0; s < out->nunwind; s++) {
        const uint8_t *e = (const uint8_t *)(uintptr_t)(base + (uint32_t)unwind_rva) + s * 8;
        out->unwind[s].to_state = cxx_rd32(e);
        out->unwind[s].action = cxx_rd32(e + 4);
        out->unwind[s].kind = out->unwind[s].action ? CXX_UW_FUNCLET : CXX_UW_NONE;
    }
    for (uint32_t i = 0; i < ntry; i++) {
        const uint8_t *e = (const uint8_t *)(uintptr_t)(base + (uint32_t)try_rva) + i * 20;
        cxx_try *t = &out->tries[i];
        t->low = cxx_rd32(e);
        t->high = cxx_rd32(e + 4);
        t->catch_high = cxx_rd32(e + 8);
        t->nhandlers = (uint32_t)cxx_rd32(e + 12);
        int32_t handlers_rva = cxx_rd32(e + 16);
        if (t->nhandlers > 1 << 12)
            goto fail;
        t->handlers = calloc(t->nhandlers ? t->nhandlers : 1, sizeof *t->handlers);
        if (!t->handlers)
            goto fail;
        for (uint32_t j = 0; j < t->nhandlers; j++) {
            const uint8_t *h =
                (const uint8_t *)(uintptr_t)(base + (uint32_t)handlers_rva) + j * 20;
            t->handlers[j].adjectives = (uint32_t)cxx_rd32(h);
            t->handlers[j].type = cxx_rd32(h + 4);
            t->handlers[j].catch_obj = cxx_rd32(h + 8);
            t->handlers[j].handler = cxx_rd32(h + 12);
            t->handlers[j].frame_disp = cxx_rd32(h + 16);
        }
    }
    for (uint32_t i = 0; i < nip; i++) {
        const uint8_t *e = (const uint8_t *)(uintptr_t)(base + (uint32_t)ip_rva) + i * 8;
        out->ip[i].rva = (uint32_t)cxx_rd32(e);
        out->ip[i].state = cxx_rd32(e + 4);
    }
    return 0;
fail:
    cxx_func_free(out);
    return -1;
}

/* ======================================================================================== */
/* FuncInfo4 (FH4)                                                                          */
/* ======================================================================================== */

uint32_t cxx_fh4_read_uint(const uint8_t **pp)
{
    const uint8_t *p = *pp;
    unsigned len;
    if (!(p[0] & 1))
        len = 1;
    else if (!(p[0] & 2))
        len = 2;
    else if (!(p[0] & 4))
        len = 3;
    else if (!(p[0] & 8))
        len = 4;
    else
        len = 5;
    uint32_t v;
    if (len == 5) {
        memcpy(&v, p + 1, 4);
    } else {
        uint64_t raw = 0;
        for (unsigned i = 0; i < len; i++)
            raw |= (uint64_t)p[i] << (8 * i);
        v = (uint32_t)(raw >> len);
    }
    *pp = p + len;
    return v;
}

static int32_t cxx_fh4_read_rva(const uint8_t **pp)
{
    int32_t v = cxx_rd32(*pp);
    *pp += 4;
    return v;
}

#define FH4_IS_CATCH 0x01
#define FH4_IS_SEPARATED 0x02
#define FH4_BBT 0x04
#define FH4_UNWIND_MAP 0x08
#define FH4_TRY_MAP 0x10
#define FH4_EHS 0x20
#define FH4_NOEXCEPT 0x40

#define FH4_HT_ADJECTIVES 0x01
#define FH4_HT_TYPE 0x02
#define FH4_HT_CATCH_OBJ 0x04
#define FH4_HT_CONT_RVA 0x08
#define FH4_HT_CONT_SHIFT 4

static int cxx_fh4_unwind_map(const uint8_t *p, cxx_func *out)
{
    uint32_t n = cxx_fh4_read_uint(&p);
    if (n > 1 << 20)
        return -1;
    const uint8_t *table = p;
    uint32_t *offsets = calloc(n ? n : 1, sizeof *offsets);
    uint32_t *next = calloc(n ? n : 1, sizeof *next);
    out->unwind = calloc(n ? n : 1, sizeof *out->unwind);
    out->nunwind = n;
    if (!offsets || !next || !out->unwind) {
        free(offsets);
        free(next);
        return -1;
    }
    for (uint32_t s = 0; s < n; s++) {
        offsets[s] = (uint32_t)(p - table);
        uint32_t v = cxx_fh4_read_uint(&p);
        cxx_unwind_entry *e = &out->unwind[s];
        next[s] = v >> 2;
        switch (v & 3) {
        case 1:
            e->kind = CXX_UW_DTOR_OBJ;
            e->action = cxx_fh4_read_rva(&p);
            e->object = cxx_fh4_read_uint(&p);
            break;
        case 2:
            e->kind = CXX_UW_DTOR_PTR;
            e->action = cxx_fh4_read_rva(&p);
            e->object = cxx_fh4_read_uint(&p);
            break;
        case 3:
            e->kind = CXX_UW_FUNCLET;
            e->action = cxx_fh4_read_rva(&p);
            break;
        default:
            e->kind = CXX_UW_NONE;
            break;
        }
    }
    /* The next state is the entry that starts nextOffset bytes before this one. */
    for (uint32_t s = 0; s < n; s++) {
        out->unwind[s].to_state = -1;
        if (next[s] == 0 || next[s] > offsets[s])
            continue;
        uint32_t target = offsets[s] - next[s];
        for (uint32_t t = 0; t < s; t++)
            if (offsets[t] == target)
                out->unwind[s].to_state = (int32_t)t;
    }
    free(offsets);
    free(next);
    return 0;
}

static int cxx_fh4_handlers(const uint8_t *p, uint32_t func_start, cxx_try *t)
{
    uint32_t n = cxx_fh4_read_uint(&p);
    if (n > 1 << 12)
        return -1;
    t->nhandlers = n;
    t->handlers = calloc(n ? n : 1, sizeof *t->handlers);
    if (!t->handlers)
        return -1;
    for (uint32_t j = 0; j < n; j++) {
        cxx_handler *h = &t->handlers[j];
        uint8_t hdr = *p++;
        if (hdr & FH4_HT_ADJECTIVES)
            h->adjectives = cxx_fh4_read_uint(&p);
        if (hdr & FH4_HT_TYPE)
            h->type = cxx_fh4_read_rva(&p);
        if (hdr & FH4_HT_CATCH_OBJ)
            h->catch_obj = (int32_t)cxx_fh4_read_uint(&p);
        h->handler = cxx_fh4_read_rva(&p);
        unsigned ncont = (hdr >> FH4_HT_CONT_SHIFT) & 3;
        if (ncont == 3)
            return -1;
        h->ncont = ncont;
        for (unsigned k = 0; k < ncont; k++)
            h->cont[k] = hdr & FH4_HT_CONT_RVA ? (uint32_t)cxx_fh4_read_rva(&p)
                                               : func_start + cxx_fh4_read_uint(&p);
    }
    return 0;
}

static int cxx_fh4_ip_map(const uint8_t *p, uint32_t func_start, cxx_func *out)
{
    uint32_t n = cxx_fh4_read_uint(&p);
    if (n > 1 << 20)
        return -1;
    out->nip = n;
    out->ip = calloc(n ? n : 1, sizeof *out->ip);
    if (!out->ip)
        return -1;
    uint32_t ip = func_start;
    for (uint32_t i = 0; i < n; i++) {
        ip += cxx_fh4_read_uint(&p);
        out->ip[i].rva = ip;
        out->ip[i].state = (int32_t)cxx_fh4_read_uint(&p) - 1;
    }
    return 0;
}

int cxx_decode_fh4(const uint8_t *fi, uint64_t base, uint32_t func_start, cxx_func *out)
{
    memset(out, 0, sizeof *out);
    out->version = 4;
    const uint8_t *p = fi;
    uint8_t hdr = *p++;
    int32_t unwind_rva = 0, try_rva = 0, ip_rva;
    if (hdr & 0x80) /* reserved: a later format */
        return -1;
    if (hdr & FH4_BBT)
        (void)cxx_fh4_read_uint(&p);
    if (hdr & FH4_UNWIND_MAP)
        unwind_rva = cxx_fh4_read_rva(&p);
    if (hdr & FH4_TRY_MAP)
        try_rva = cxx_fh4_read_rva(&p);
    ip_rva = cxx_fh4_read_rva(&p);
    if (hdr & FH4_IS_CATCH)
        out->disp_frame = cxx_fh4_read_uint(&p);
    out->is_catch = hdr & FH4_IS_CATCH;
    out->synchronous = hdr & FH4_EHS;
    out->noexcept_fn = hdr & FH4_NOEXCEPT;

    if (hdr & FH4_IS_SEPARATED) {
        /* Separated code: a table of (segment start RVA, IP map RVA); pick this segment's. */
        uint32_t seg_ip = 0;
        if (ip_rva) {
            const uint8_t *s = (const uint8_t *)(uintptr_t)(base + (uint32_t)ip_rva);
            uint32_t nseg = cxx_fh4_read_uint(&s);
            for (uint32_t i = 0; i < nseg && i < 1 << 16; i++) {
                uint32_t start = (uint32_t)cxx_fh4_read_rva(&s);
                uint32_t map = (uint32_t)cxx_fh4_read_rva(&s);
                if (start == func_start) {
                    seg_ip = map;
                    break;
                }
            }
        }
        ip_rva = (int32_t)seg_ip;
    }
    if (unwind_rva &&
        cxx_fh4_unwind_map((const uint8_t *)(uintptr_t)(base + (uint32_t)unwind_rva), out) != 0)
        goto fail;
    if (try_rva) {
        const uint8_t *t = (const uint8_t *)(uintptr_t)(base + (uint32_t)try_rva);
        uint32_t n = cxx_fh4_read_uint(&t);
        if (n > 1 << 16)
            goto fail;
        out->ntry = n;
        out->tries = calloc(n ? n : 1, sizeof *out->tries);
        if (!out->tries)
            goto fail;
        for (uint32_t i = 0; i < n; i++) {
            cxx_try *e = &out->tries[i];
            e->low = (int32_t)cxx_fh4_read_uint(&t);
            e->high = (int32_t)cxx_fh4_read_uint(&t);
            e->catch_high = (int32_t)cxx_fh4_read_uint(&t);
            int32_t h = cxx_fh4_read_rva(&t);
            if (h && cxx_fh4_handlers((const uint8_t *)(uintptr_t)(base + (uint32_t)h),
                                      func_start, e) != 0)
                goto fail;
        }
    }
    if (ip_rva &&
        cxx_fh4_ip_map((const uint8_t *)(uintptr_t)(base + (uint32_t)ip_rva), func_start, out) != 0)
        goto fail;
    return 0;
fail:
    cxx_func_free(out);
    return -1;
}
