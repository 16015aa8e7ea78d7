/* SPDX-License-Identifier: MIT */
/* Unwinding foreign contexts through native frames, from the DWARF call-frame information
 * (.eh_frame, found through .eh_frame_hdr) that gcc emits for every function of ntrun and
 * glibc emits for its own. Only what x86-64 compilers produce is understood: the CFA as a
 * register plus offset or a small expression, and register rules offset, val_offset,
 * register, expression, same and undefined; anything else ends the walk (false), which leaves
 * the caller where it was before this file existed.
 *
 * Stack reads go through rt_safe_copy: a damaged stack ends the walk, never the runtime. */
#include <link.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include "runtime/runtime.h"
#include "thunks/native_unwind.h"

extern char thk_call_foreign_site_end[]; /* thunks/thunk_asm.S */
extern char thk_f2n_regs_ret[], thk_f2n_stack_ret[];

/* DWARF register numbers on x86-64: 0-15 the integer registers in DWARF's order, 16 the
 * return address, 17-32 xmm0-15. */
#define NU_NREGS 33
#define NU_RA 16
#define NU_RSP 7
#define NU_MAX_FRAMES 256
#define NU_MAX_STATES 8

/* CONTEXT's integer registers (Rax..R15, in the hardware order) for each DWARF number. */
static const uint8_t nu_dwarf_to_ctx[16] = {0, 2, 1, 3, 6, 7, 5, 4, 8, 9, 10, 11, 12, 13, 14, 15};

enum { NU_SAME = 0, NU_UNDEF, NU_OFFSET, NU_VAL_OFFSET, NU_REGISTER, NU_EXPR, NU_VAL_EXPR };

typedef struct {
    uint8_t how;
    int64_t n;          /* offset, or the register number */
    const uint8_t *expr; /* DW_OP block: a uleb128 length and the ops */
} nu_rule;

typedef struct {
    nu_rule reg[NU_NREGS];
    unsigned cfa_reg;
    int64_t cfa_off;
    const uint8_t *cfa_expr; /* non-NULL: the CFA is this expression's value */
} nu_row;

typedef struct {
    uint64_t gpr[17];       /* DWARF 0-16 */
    M128A xmm[16];          /* DWARF 17-32 */
} nu_regs;

typedef struct {
    uint64_t code_align;
    int64_t data_align;
    unsigned ra_reg;
    uint8_t fde_enc;
    const uint8_t *insns, *insns_end;
} nu_cie;

/* ---- reading the encodings ---- */

static uint64_t nu_uleb(const uint8_t **p)
{
    uint64_t v = 0;
    unsigned shift = 0;
    uint8_t b;
    do {
        b = *(*p)++;
        if (shift < 64)
            v |= (uint64_t)(b & 0x7f) << shift;
        shift += 7;
    } while (b & 0x80);
    return v;
}

static int64_t nu_sleb(const uint8_t **p)
{
    int64_t v = 0;
    unsigned shift = 0;
    uint8_t b;
    do {
        b = *(*p)++;
        if (shift < 64)
            v |= (int64_t)((uint64_t)(b & 0x7f) << shift);
        shift += 7;
    } while (b & 0x80);
    if (shift < 64 && (b & 0x40))
        v |= -((int64_t)1 << shift);
    return v;
}

/* A DW_EH_PE-encoded pointer; datarel is relative to `data` (.eh_frame_hdr). False for an
 * encoding not used in .eh_frame and .eh_frame_hdr. */
static bool nu_read_ptr(const uint8_t **p, uint8_t enc, uint64_t data, uint64_t *out)
{
    const uint8_t *start = *p;
    uint64_t v;
    if (enc == 0xff) { /* DW_EH_PE_omit */
        *out = 0;
        return true;
    }
    switch (enc & 0x0f) {
    case 0x00: memcpy(&v, *p, 8); *p += 8; break;                                  /* absptr */
    case 0x01: v = nu_uleb(p); break;                                              /* uleb128 */
    case 0x02: { uint16_t x; memcpy(&x, *p, 2); *p += 2; v = x; break; }           /* udata2 */
    case 0x03: { uint32_t x; memcpy(&x, *p, 4); *p += 4; v = x; break; }           /* udata4 */
    case 0x04: memcpy(&v, *p, 8); *p += 8; break;                                  /* udata8 */
    case 0x09: v = (uint64_t)nu_sleb(p); break;                                    /* sleb128 */
    case 0x0a: { int16_t x; memcpy(&x, *p, 2); *p += 2; v = (uint64_t)(int64_t)x; break; }
    case 0x0b: { int32_t x; memcpy(&x, *p, 4); *p += 4; v = (uint64_t)(int64_t)x; break; }
    case 0x0c: memcpy(&v, *p, 8); *p += 8; break;                                  /* sdata8 */
    default: return false;
    }
    switch (enc & 0x70) {
    case 0x00: break;
    case 0x10: v += (uint64_t)(uintptr_t)start; break; /* pcrel */
    case 0x30: v += data; break;                        /* datarel */
    default: return false;
    }
    if (enc & 0x80) { /* indirect */
        uint64_t t;
        if (rt_safe_copy(&t, (const void *)(uintptr_t)v, 8) != 0)
            return false;
        v = t;
    }
    *out = v;
    return true;
}

/* ---- finding the FDE ---- */

typedef struct {
    uint64_t pc;
    const uint8_t *fde;
} nu_find;

static int nu_find_cb(struct dl_phdr_info *info, size_t size, void *arg)
{
    nu_find *f = arg;
    const ElfW(Phdr) *hdr = NULL;
    bool inside = false;
    (void)size;
    for (unsigned i = 0; i < info->dlpi_phnum; i++) {
        const ElfW(Phdr) *ph = &info->dlpi_phdr[i];
        uint64_t start = info->dlpi_addr + ph->p_vaddr;
        if (ph->p_type == PT_LOAD && f->pc >= start && f->pc - start < ph->p_memsz)
            inside = true;
        else if (ph->p_type == PT_GNU_EH_FRAME)
            hdr = ph;
    }
    if (!inside)
        return 0;
    if (!hdr)
        return 1;
    const uint8_t *h = (const uint8_t *)(uintptr_t)(info->dlpi_addr + hdr->p_vaddr);
    uint64_t hbase = (uint64_t)(uintptr_t)h, eh_frame, count;
    const uint8_t *p = h + 4;
    if (h[0] != 1 || !nu_read_ptr(&p, h[1], hbase, &eh_frame) ||
        !nu_read_ptr(&p, h[2], hbase, &count))
        return 1;
    if (h[3] != 0x3b) /* the binary search table: datarel sdata4 pairs, as ld writes it */
        return 1;
    const int32_t *table = (const int32_t *)(const void *)p;
    uint64_t lo = 0, hi = count;
    while (lo < hi) { /* the last entry whose initial location is <= pc */
        uint64_t mid = lo + (hi - lo) / 2;
        if (hbase + (uint64_t)(int64_t)table[2 * mid] <= f->pc)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo)
        f->fde = (const uint8_t *)(uintptr_t)(hbase + (uint64_t)(int64_t)table[2 * (lo - 1) + 1]);
    return 1;
}

/* The CIE of an FDE; false for a format not understood. */
static bool nu_parse_cie(const uint8_t *cie, nu_cie *c)
{
    uint32_t len;
    memcpy(&len, cie, 4);
    if (len == 0 || len == 0xffffffffu)
        return false;
    const uint8_t *end = cie + 4 + len, *p = cie + 8;
    uint8_t version = *p++;
    const char *aug = (const char *)p;
    p += strlen(aug) + 1;
    if (aug[0] && aug[0] != 'z')
        return false;
    c->code_align = nu_uleb(&p);
    c->data_align = nu_sleb(&p);
    c->ra_reg = version == 1 ? *p++ : (unsigned)nu_uleb(&p);
    c->fde_enc = 0;
    if (aug[0] == 'z') {
        uint64_t alen = nu_uleb(&p);
        const uint8_t *q = p;
        for (const char *a = aug + 1; *a; a++) {
            uint64_t dummy;
            if (*a == 'R')
                c->fde_enc = *q++;
            else if (*a == 'L')
                q++;
            else if (*a == 'P') {
                uint8_t penc = *q++;
                if (!nu_read_ptr(&q, penc, 0, &dummy))
                    return false;
            } else if (*a != 'S' && *a != 'B')
                return false;
        }
        p += alen;
    }
    c->insns = p;
    c->insns_end = end;
    return true;
}

/* ---- the CFA programs ---- */

typedef struct {
    nu_row row, initial;
    nu_row stack[NU_MAX_STATES];
    unsigned depth;
} nu_state;

/* Runs the instructions [p, end) for the row that covers pc; loc is the FDE's start. */
static bool nu_run(nu_state *s, const nu_cie *c, const uint8_t *p, const uint8_t *end,
                   uint64_t loc, uint64_t pc)
{
    while (p < end && loc < pc) {
        uint8_t op = *p++;
        uint64_t reg;
        int64_t off;
        switch (op >> 6) {
        case 1: loc += (op & 0x3f) * c->code_align; continue;     /* advance_loc */
        case 2:                                                     /* offset */
            reg = op & 0x3f;
            off = (int64_t)nu_uleb(&p) * c->data_align;
            if (reg < NU_NREGS)
                s->row.reg[reg] = (nu_rule){NU_OFFSET, off, NULL};
            continue;
        case 3:                                                     /* restore */
            reg = op & 0x3f;
            if (reg < NU_NREGS)
                s->row.reg[reg] = s->initial.reg[reg];
            continue;
        }
        switch (op) {
        case 0x00: break;                                                     /* nop */
        case 0x01:                                                            /* set_loc */
            if (!nu_read_ptr(&p, c->fde_enc, 0, &loc))
                return false;
            break;
        case 0x02: loc += *p++ * c->code_align; break;                        /* advance_loc1 */
        case 0x03: { uint16_t d; memcpy(&d, p, 2); p += 2; loc += d * c->code_align; break; }
        case 0x04: { uint32_t d; memcpy(&d, p, 4); p += 4; loc += d * c->code_align; break; }
        case 0x05: case 0x11: case 0x14: case 0x15: case 0x2f: { /* offset kinds, extended */
            reg = nu_uleb(&p);
            if (op == 0x11 || op == 0x15)
                off = nu_sleb(&p) * c->data_align;
            else if (op == 0x2f)
                off = -(int64_t)nu_uleb(&p) * c->data_align;
            else
                off = (int64_t)nu_uleb(&p) * c->data_align;
            if (reg < NU_NREGS)
                s->row.reg[reg] = (nu_rule){(op == 0x14 || op == 0x15) ? NU_VAL_OFFSET
                                                                        : NU_OFFSET, off, NULL};
            break;
        }
        case 0x06: case 0x07: case 0x08:       /* restore_extended, undefined, same_value */
            reg = nu_uleb(&p);
            if (reg < NU_NREGS)
                s->row.reg[reg] = op == 0x06 ? s->initial.reg[reg]
                                             : (nu_rule){op == 0x07 ? NU_UNDEF : NU_SAME, 0, NULL};
            break;
        case 0x09: {                                                          /* register */
            reg = nu_uleb(&p);
            uint64_t r2 = nu_uleb(&p);
            if (reg < NU_NREGS)
                s->row.reg[reg] = (nu_rule){NU_REGISTER, (int64_t)r2, NULL};
            break;
        }
        case 0x0a:                                                            /* remember */
            if (s->depth == NU_MAX_STATES)
                return false;
            s->stack[s->depth++] = s->row;
            break;
        case 0x0b:                                                            /* restore */
            if (!s->depth)
                return false;
            {
                /* the CFA rule is part of the remembered state too (DWARF 5 6.4.2.4) */
                s->row = s->stack[--s->depth];
            }
            break;
        case 0x0c:                                                            /* def_cfa */
            s->row.cfa_reg = (unsigned)nu_uleb(&p);
            s->row.cfa_off = (int64_t)nu_uleb(&p);
            s->row.cfa_expr = NULL;
            break;
        case 0x12:                                                            /* def_cfa_sf */
            s->row.cfa_reg = (unsigned)nu_uleb(&p);
            s->row.cfa_off = nu_sleb(&p) * c->data_align;
            s->row.cfa_expr = NULL;
            break;
        case 0x0d: s->row.cfa_reg = (unsigned)nu_uleb(&p); s->row.cfa_expr = NULL; break;
        case 0x0e: s->row.cfa_off = (int64_t)nu_uleb(&p); break;
        case 0x13: s->row.cfa_off = nu_sleb(&p) * c->data_align; break;
        case 0x0f:                                                 /* def_cfa_expression */
            s->row.cfa_expr = p;
            p += nu_uleb(&p);
            break;
        case 0x10: case 0x16: {                          /* expression, val_expression */
            reg = nu_uleb(&p);
            const uint8_t *e = p;
            p += nu_uleb(&p);
            if (reg < NU_NREGS)
                s->row.reg[reg] = (nu_rule){op == 0x10 ? NU_EXPR : NU_VAL_EXPR, 0, e};
            break;
        }
        case 0x2e: (void)nu_uleb(&p); break;                                 /* GNU_args_size */
        default: return false;
        }
    }
    return true;
}

/* ---- evaluating a frame ---- */

static bool nu_gpr(const nu_regs *r, uint64_t reg, uint64_t *out)
{
    if (reg > 16)
        return false;
    *out = r->gpr[reg];
    return true;
}

/* A DW_OP expression (the forms compilers write for CFA and register rules); the stack
 * starts with `initial` when push_initial. */
static bool nu_eval(const uint8_t *e, const nu_regs *r, bool push_initial, uint64_t initial,
                    uint64_t *out)
{
    uint64_t st[16];
    unsigned n = 0;
    uint64_t len = nu_uleb(&e);
    const uint8_t *end = e + len;
    if (push_initial)
        st[n++] = initial;
    while (e < end) {
        uint8_t op = *e++;
        uint64_t v;
        if (n >= 15)
            return false;
        if (op >= 0x30 && op <= 0x4f) {                                     /* lit0-31 */
            st[n++] = op - 0x30;
        } else if (op >= 0x70 && op <= 0x8f) {                              /* breg0-31 */
            int64_t o = nu_sleb(&e);
            if (!nu_gpr(r, op - 0x70u, &v))
                return false;
            st[n++] = v + (uint64_t)o;
        } else {
            switch (op) {
            case 0x06:                                                      /* deref */
                if (!n || rt_safe_copy(&v, (const void *)(uintptr_t)st[n - 1], 8) != 0)
                    return false;
                st[n - 1] = v;
                break;
            case 0x08: st[n++] = *e++; break;                               /* const1u */
            case 0x09: st[n++] = (uint64_t)(int64_t)(int8_t)*e++; break;    /* const1s */
            case 0x0a: { uint16_t x; memcpy(&x, e, 2); e += 2; st[n++] = x; break; }
            case 0x0b: { int16_t x; memcpy(&x, e, 2); e += 2; st[n++] = (uint64_t)(int64_t)x; break; }
            case 0x0c: { uint32_t x; memcpy(&x, e, 4); e += 4; st[n++] = x; break; }
            case 0x0d: { int32_t x; memcpy(&x, e, 4); e += 4; st[n++] = (uint64_t)(int64_t)x; break; }
            case 0x0e: case 0x0f: memcpy(&v, e, 8); e += 8; st[n++] = v; break;
            case 0x10: st[n++] = nu_uleb(&e); break;                        /* constu */
            case 0x11: st[n++] = (uint64_t)nu_sleb(&e); break;              /* consts */
            case 0x12: if (!n) return false; st[n] = st[n - 1]; n++; break; /* dup */
            case 0x13: if (!n) return false; n--; break;                    /* drop */
            case 0x1a: case 0x1c: case 0x22:                            /* and, minus, plus */
                if (n < 2)
                    return false;
                n--;
                st[n - 1] = op == 0x1a ? st[n - 1] & st[n]
                          : op == 0x1c ? st[n - 1] - st[n] : st[n - 1] + st[n];
                break;
            case 0x23: if (!n) return false; st[n - 1] += nu_uleb(&e); break; /* plus_uconst */
            default: return false;
            }
        }
    }
    if (!n)
        return false;
    *out = st[n - 1];
    return true;
}

/* One native frame: r describes the frame at r->gpr[NU_RA] (a return address); on success it
 * describes the caller and *fn_start is the start of the function the frame belonged to (its
 * FDE's initial location). */
static bool nu_step(nu_regs *r, nu_state *sp, uint64_t *fn_start)
{
    uint64_t ra = r->gpr[NU_RA];
    nu_find f = {.pc = ra - 1, .fde = NULL};
    dl_iterate_phdr(nu_find_cb, &f);
    if (!f.fde)
        return false;

    uint32_t len, cie_off;
    memcpy(&len, f.fde, 4);
    memcpy(&cie_off, f.fde + 4, 4);
    if (len == 0 || len == 0xffffffffu || cie_off == 0)
        return false;
    nu_cie c;
    if (!nu_parse_cie(f.fde + 4 - cie_off, &c))
        return false;
    const uint8_t *p = f.fde + 8, *end = f.fde + 4 + len;
    uint64_t start, range;
    if (!nu_read_ptr(&p, c.fde_enc, 0, &start) || !nu_read_ptr(&p, c.fde_enc & 0x0f, 0, &range))
        return false;
    if (ra - 1 < start || ra - 1 - start >= range)
        return false;
    {
        /* the augmentation data of a 'z' CIE (the LSDA pointer): its length comes first */
        const uint8_t *cp = f.fde + 4 - cie_off + 9;
        if (*cp == 'z')
            p += nu_uleb(&p);
    }

    nu_state *s = sp;
    memset(s, 0, sizeof *s);
    if (!nu_run(s, &c, c.insns, c.insns_end, start, (uint64_t)-1))
        return false;
    s->initial = s->row;
    s->depth = 0;
    if (!nu_run(s, &c, p, end, start, ra))
        return false;

    uint64_t cfa;
    if (s->row.cfa_expr) {
        if (!nu_eval(s->row.cfa_expr, r, false, 0, &cfa))
            return false;
    } else {
        if (!nu_gpr(r, s->row.cfa_reg, &cfa))
            return false;
        cfa += (uint64_t)s->row.cfa_off;
    }

    nu_regs nr = *r;
    for (unsigned i = 0; i < NU_NREGS; i++) {
        const nu_rule *rule = &s->row.reg[i];
        uint64_t addr = 0, val = 0;
        bool is_val = false;
        switch (rule->how) {
        case NU_SAME:
        case NU_UNDEF:
            continue;
        case NU_OFFSET: addr = cfa + (uint64_t)rule->n; break;
        case NU_VAL_OFFSET: val = cfa + (uint64_t)rule->n; is_val = true; break;
        case NU_REGISTER:
            if (!nu_gpr(r, (uint64_t)rule->n, &val) || i > 16)
                return false;
            is_val = true;
            break;
        case NU_EXPR:
        case NU_VAL_EXPR:
            if (!nu_eval(rule->expr, r, true, cfa, &addr))
                return false;
            if (rule->how == NU_VAL_EXPR) {
                val = addr;
                is_val = true;
            }
            break;
        }
        if (i <= 16) {
            if (!is_val && rt_safe_copy(&val, (const void *)(uintptr_t)addr, 8) != 0)
                return false;
            nr.gpr[i] = val;
        } else if (!is_val) {
            if (rt_safe_copy(&nr.xmm[i - 17], (const void *)(uintptr_t)addr, 16) != 0)
                return false;
        }
    }
    if (s->row.reg[c.ra_reg].how == NU_UNDEF || s->row.reg[c.ra_reg].how == NU_SAME)
        return false; /* the outermost frame */
    nr.gpr[NU_RA] = c.ra_reg == NU_RA ? nr.gpr[NU_RA] : 0;
    nr.gpr[NU_RSP] = cfa;
    if (nr.gpr[NU_RSP] <= r->gpr[NU_RSP])
        return false; /* the stack must grow towards the caller */
    *r = nr;
    *fn_start = start;
    return true;
}

bool thk_is_foreign_call_return(uint64_t pc)
{
    return pc == (uint64_t)(uintptr_t)thk_call_foreign_site_end;
}

static bool nu_is_f2n_ret(uint64_t pc)
{
    return pc == (uint64_t)(uintptr_t)thk_f2n_regs_ret ||
           pc == (uint64_t)(uintptr_t)thk_f2n_stack_ret;
}

/* Both walks: from the register state in ctx (rip: a return address, or for a fault the
 * faulting instruction + 1, so that its own row applies) up to the first foreign return
 * address. With via_f2n, only a walk that passed a foreign -> native crossing (thk_f2n_regs
 * or thk_f2n_stack) succeeds: as the last native frame (an export's stub jumped into it), or
 * below a THK_RAW export's own entry code that called it (HeapAlloc's heap_entry.S). *callee
 * is then the start of the function the foreign caller's call reached: the one the crossing
 * called, or the raw entry; so it is for any walk that ends that way, else 0. */
static bool nu_walk(CONTEXT *ctx, uint64_t ra, uint64_t limit, bool via_f2n, nu_state *st,
                    uint64_t *callee)
{
    uint64_t start = 0, prev_start = 0;
    bool crossed = false;
    nu_regs r;
    const DWORD64 *gp = &ctx->Rax;
    for (unsigned i = 0; i < 16; i++)
        r.gpr[i] = gp[nu_dwarf_to_ctx[i]];
    r.gpr[NU_RA] = ra;
    memcpy(r.xmm, ctx->Xmm, sizeof r.xmm);

    for (unsigned n = 0; n < NU_MAX_FRAMES; n++) {
        uint64_t from = r.gpr[NU_RA];
        prev_start = start;
        if (!nu_step(&r, st, &start) || rt_stack_key(r.gpr[NU_RSP]) >= rt_stack_key(limit))
            return false;
        bool f2n = n && nu_is_f2n_ret(from);
        if (rt_addr_is_foreign(r.gpr[NU_RA])) {
            if (via_f2n && !f2n && !crossed)
                return false;
            DWORD64 *out = &ctx->Rax;
            for (unsigned i = 0; i < 16; i++)
                out[nu_dwarf_to_ctx[i]] = r.gpr[i];
            ctx->Rip = r.gpr[NU_RA];
            memcpy(ctx->Xmm, r.xmm, sizeof r.xmm);
            if (callee)
                *callee = f2n ? prev_start : crossed ? start : 0;
            return true;
        }
        crossed |= f2n;
    }
    return false;
}

bool thk_unwind_native_fault(CONTEXT *ctx, uint64_t limit, uint64_t *callee)
{
    nu_state st; /* on the fault handler's alternate stack: no TLS, which a signal handler
                  * of a dlopen'ed libntrun could not touch safely on first use */
    *callee = 0;
    return nu_walk(ctx, ctx->Rip + 1, limit, true, &st, callee);
}

/* The walk state of thk_unwind_native_frames (8 KB: kept off the foreign stack, which may be
 * near its end when an exception is dispatched). Mapped at a thread's first walk and unmapped
 * at its end, not static TLS: glibc zeroes a thread's whole static TLS block when it starts,
 * two pages of faults at every start (and every thread's) for a walk most never make
 * (docs/performance.md, fifteenth pass). mmap, not malloc: a walk may run while the thread's
 * interrupted native code holds malloc's lock. */
static __thread nu_state *nu_thread_st;
static pthread_key_t nu_st_key;
static rt_once_t nu_st_key_once = RT_ONCE_INIT;

static void nu_state_unmap(void *p)
{
    nu_thread_st = NULL; /* the destructor runs on the exiting thread itself */
    munmap(p, sizeof(nu_state));
}

static void nu_make_key(void)
{
    if (pthread_key_create(&nu_st_key, nu_state_unmap) != 0)
        abort(); /* only fails at PTHREAD_KEYS_MAX keys: a broken host */
}

static nu_state *nu_state_get(void)
{
    nu_state *st = nu_thread_st;
    if (__builtin_expect(st != NULL, 1))
        return st;
    void *p = mmap(NULL, sizeof(nu_state), PROT_READ | PROT_WRITE,
                   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED)
        return NULL;
    rt_once(&nu_st_key_once, nu_make_key);
    pthread_setspecific(nu_st_key, p); /* the destructor unmaps it at thread end */
    return nu_thread_st = p;
}

bool thk_unwind_native_frames(CONTEXT *ctx, uint64_t limit, uint64_t *callee)
{
    nu_state *st = nu_state_get();
    if (callee)
        *callee = 0;
    if (!st)
        return false; /* no memory for the walk: the caller stays where it was */
    return nu_walk(ctx, ctx->Rip, limit, false, st, callee);
}
