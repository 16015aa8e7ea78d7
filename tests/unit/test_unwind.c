/* RtlVirtualUnwind on synthetic unwind information (an "image" buffer holding code bytes,
 * UNWIND_INFO and RUNTIME_FUNCTIONs, and a fake stack): every unwind code (PUSH_NONVOL,
 * ALLOC_SMALL, ALLOC_LARGE in both forms, SET_FPREG with a frame offset, SAVE_NONVOL(_FAR),
 * SAVE_XMM128(_FAR), PUSH_MACHFRAME), partially executed prologs, epilog detection, chained
 * unwind info, handler and handler data selection by UNW_FLAG_*, the nonvolatile context
 * pointers; RtlAddFunctionTable/RtlLookupFunctionEntry/RtlDeleteFunctionTable. */
#include <criterion/criterion.h>
#include <string.h>
#include "thunks/ntdll/thk_exception.h"

#define CODE_RVA 0x100
#define INFO_RVA 0x400
#define INFO2_RVA 0x500
#define FUNC_RVA 0x600

static _Alignas(16) uint8_t image[0x1000];
static uint64_t stack[256];
#define BASE ((DWORD64)(uintptr_t)image)

static WORD code(unsigned offset, unsigned op, unsigned info)
{
    return (WORD)(offset | (op << 8) | (info << 12));
}

/* Writes an UNWIND_INFO at rva; returns a pointer just past the (padded) codes. */
static uint8_t *put_info(uint32_t rva, unsigned flags, unsigned prolog, unsigned freg,
                         unsigned foff, const WORD *codes, unsigned n)
{
    uint8_t *p = image + rva;
    p[0] = (uint8_t)(1 | (flags << 3));
    p[1] = (uint8_t)prolog;
    p[2] = (uint8_t)n;
    p[3] = (uint8_t)(freg | (foff << 4));
    memcpy(p + 4, codes, n * 2);
    return p + 4 + ((n + 1) & ~1u) * 2;
}

static RUNTIME_FUNCTION *put_func(unsigned index, uint32_t begin, uint32_t end, uint32_t info)
{
    RUNTIME_FUNCTION *f = (RUNTIME_FUNCTION *)(image + FUNC_RVA) + index;
    f->BeginAddress = begin;
    f->EndAddress = end;
    f->UnwindData = info;
    return f;
}

static void setup(void)
{
    memset(image, 0x90, sizeof image); /* nops: no code looks like an epilog by accident */
    memset(stack, 0, sizeof stack);
}

TestSuite(unwind, .init = setup);

/* push rbx; sub $0x28,%rsp */
Test(unwind, push_and_alloc_in_body_restores_rbx_and_pops_return)
{
    WORD codes[] = {code(5, UWOP_ALLOC_SMALL, 0x28 / 8 - 1), code(1, UWOP_PUSH_NONVOL, 3)};
    put_info(INFO_RVA, 0, 5, 0, 0, codes, 2);
    RUNTIME_FUNCTION *f = put_func(0, CODE_RVA, CODE_RVA + 0x40, INFO_RVA);
    stack[5] = 0x1234; /* saved rbx above the 0x28 bytes */
    stack[6] = 0xabcdef;
    CONTEXT c = {0};
    c.Rsp = (DWORD64)(uintptr_t)stack;
    c.Rbx = 99;
    DWORD64 frame = 0;
    void *data = NULL;
    void *h = RtlVirtualUnwind(UNW_FLAG_NHANDLER, BASE, BASE + CODE_RVA + 0x10, f, &c, &data,
                               &frame, NULL);
    cr_assert_null(h);
    cr_assert_eq(c.Rbx, 0x1234, "rbx %#llx", (unsigned long long)c.Rbx);
    cr_assert_eq(c.Rip, 0xabcdef, "rip %#llx", (unsigned long long)c.Rip);
    cr_assert_eq(c.Rsp, (DWORD64)(uintptr_t)&stack[7], "rsp");
    cr_assert_eq(frame, (DWORD64)(uintptr_t)stack, "establisher frame is rsp at entry");
}

Test(unwind, inside_prolog_only_undoes_executed_codes)
{
    WORD codes[] = {code(5, UWOP_ALLOC_SMALL, 0x28 / 8 - 1), code(1, UWOP_PUSH_NONVOL, 3)};
    put_info(INFO_RVA, UNW_FLAG_EHANDLER, 5, 0, 0, codes, 2);
    RUNTIME_FUNCTION *f = put_func(0, CODE_RVA, CODE_RVA + 0x40, INFO_RVA);
    stack[0] = 0x55; /* rbx just pushed */
    stack[1] = 0x777;
    CONTEXT c = {0};
    c.Rsp = (DWORD64)(uintptr_t)stack;
    DWORD64 frame;
    void *data = NULL;
    void *h = RtlVirtualUnwind(UNW_FLAG_EHANDLER, BASE, BASE + CODE_RVA + 1, f, &c, &data,
                               &frame, NULL);
    cr_assert_null(h, "no handler inside a prolog");
    cr_assert_eq(c.Rbx, 0x55);
    cr_assert_eq(c.Rip, 0x777);
    cr_assert_eq(c.Rsp, (DWORD64)(uintptr_t)&stack[2]);
}

/* push rbp; sub $0x1000,%rsp (ALLOC_LARGE /8 form); lea 0x20(%rsp),%rbp; movaps xmm6,0x30(rsp);
 * mov r12,0x40(rsp) */
Test(unwind, frame_register_save_nonvol_and_xmm)
{
    WORD codes[] = {
        code(20, UWOP_SAVE_NONVOL, 12), 0x40 / 8,
        code(15, UWOP_SAVE_XMM128, 6), 0x30 / 16,
        code(10, UWOP_SET_FPREG, 0),
        code(5, UWOP_ALLOC_LARGE, 0), 0x1000 / 8,
        code(1, UWOP_PUSH_NONVOL, 5),
    };
    put_info(INFO_RVA, 0, 20, 5 /* rbp */, 2 /* 0x20 */, codes, 8);
    RUNTIME_FUNCTION *f = put_func(0, CODE_RVA, CODE_RVA + 0x80, INFO_RVA);
    static uint64_t big[0x1000 / 8 + 64];
    memset(big, 0, sizeof big);
    uint64_t *entry_rsp = big; /* rsp after the prolog */
    entry_rsp[0x40 / 8] = 0x1212;                 /* saved r12 */
    entry_rsp[0x30 / 8] = 0x6666;                 /* xmm6 low */
    entry_rsp[0x30 / 8 + 1] = 0x6767;             /* xmm6 high */
    entry_rsp[0x1000 / 8] = 0xbb;                 /* saved rbp */
    entry_rsp[0x1000 / 8 + 1] = 0x4242;           /* return address */
    CONTEXT c = {0};
    c.Rsp = (DWORD64)(uintptr_t)entry_rsp - 0x100; /* the body allocated more: rsp is not used */
    c.Rbp = (DWORD64)(uintptr_t)entry_rsp + 0x20;
    KNONVOLATILE_CONTEXT_POINTERS ptrs;
    memset(&ptrs, 0, sizeof ptrs);
    DWORD64 frame;
    RtlVirtualUnwind(UNW_FLAG_NHANDLER, BASE, BASE + CODE_RVA + 0x50, f, &c, NULL, &frame, &ptrs);
    cr_assert_eq(frame, (DWORD64)(uintptr_t)entry_rsp, "frame = rbp - 0x20");
    cr_assert_eq(c.R12, 0x1212, "r12 %#llx", (unsigned long long)c.R12);
    cr_assert_eq(c.Xmm[6].Low, 0x6666);
    cr_assert_eq((uint64_t)c.Xmm[6].High, 0x6767);
    cr_assert_eq(c.Rbp, 0xbb);
    cr_assert_eq(c.Rip, 0x4242);
    cr_assert_eq(c.Rsp, (DWORD64)(uintptr_t)&entry_rsp[0x1000 / 8 + 2]);
    cr_assert_eq(ptrs.IntegerContext[12], &entry_rsp[0x40 / 8], "r12 pointer");
    cr_assert_eq((void *)ptrs.FloatingContext[6], (void *)&entry_rsp[0x30 / 8], "xmm6 pointer");
}

Test(unwind, far_forms_and_large_alloc_with_32bit_size)
{
    WORD codes[] = {
        code(20, UWOP_SAVE_NONVOL_FAR, 3), 0x0008, 0x0000,   /* rbx at frame + 8 */
        code(15, UWOP_SAVE_XMM128_FAR, 15), 0x0010, 0x0000,  /* xmm15 at frame + 0x10 */
        code(8, UWOP_ALLOC_LARGE, 1), 0x0030, 0x0000,        /* sub $0x30 (32-bit form) */
    };
    put_info(INFO_RVA, 0, 20, 0, 0, codes, 9);
    RUNTIME_FUNCTION *f = put_func(0, CODE_RVA, CODE_RVA + 0x80, INFO_RVA);
    stack[1] = 0xb0b0;
    stack[2] = 0xf1;
    stack[3] = 0xf2;
    stack[6] = 0x9999;
    CONTEXT c = {0};
    c.Rsp = (DWORD64)(uintptr_t)stack;
    DWORD64 frame;
    RtlVirtualUnwind(UNW_FLAG_NHANDLER, BASE, BASE + CODE_RVA + 0x30, f, &c, NULL, &frame, NULL);
    cr_assert_eq(c.Rbx, 0xb0b0);
    cr_assert_eq(c.Xmm[15].Low, 0xf1);
    cr_assert_eq((uint64_t)c.Xmm[15].High, 0xf2);
    cr_assert_eq(c.Rip, 0x9999);
    cr_assert_eq(c.Rsp, (DWORD64)(uintptr_t)&stack[7]);
}

Test(unwind, push_machframe_takes_rip_and_rsp_from_the_frame)
{
    WORD codes[] = {code(0, UWOP_PUSH_MACHFRAME, 1)}; /* with an error code */
    put_info(INFO_RVA, 0, 0, 0, 0, codes, 1);
    RUNTIME_FUNCTION *f = put_func(0, CODE_RVA, CODE_RVA + 0x10, INFO_RVA);
    stack[0] = 0xe; /* error code */
    stack[1] = 0x5150; /* rip */
    stack[2] = 0x33;   /* cs */
    stack[3] = 0x246;  /* rflags */
    stack[4] = 0x7f00; /* rsp */
    CONTEXT c = {0};
    c.Rsp = (DWORD64)(uintptr_t)stack;
    DWORD64 frame;
    RtlVirtualUnwind(UNW_FLAG_NHANDLER, BASE, BASE + CODE_RVA + 4, f, &c, NULL, &frame, NULL);
    cr_assert_eq(c.Rip, 0x5150, "rip %#llx", (unsigned long long)c.Rip);
    cr_assert_eq(c.Rsp, 0x7f00, "rsp %#llx", (unsigned long long)c.Rsp);
}

Test(unwind, epilog_is_executed_instead_of_the_codes)
{
    WORD codes[] = {code(5, UWOP_ALLOC_SMALL, 0x28 / 8 - 1), code(1, UWOP_PUSH_NONVOL, 3)};
    put_info(INFO_RVA, UNW_FLAG_EHANDLER, 5, 0, 0, codes, 2);
    RUNTIME_FUNCTION *f = put_func(0, CODE_RVA, CODE_RVA + 0x40, INFO_RVA);
    /* at CODE_RVA+0x20: add $0x28,%rsp; pop %rbx; ret */
    static const uint8_t epi[] = {0x48, 0x83, 0xc4, 0x28, 0x5b, 0xc3};
    memcpy(image + CODE_RVA + 0x20, epi, sizeof epi);
    stack[5] = 0x1234;
    stack[6] = 0xabcdef;
    CONTEXT c = {0};
    c.Rsp = (DWORD64)(uintptr_t)stack;
    DWORD64 frame;
    void *data = NULL;
    void *h = RtlVirtualUnwind(UNW_FLAG_EHANDLER, BASE, BASE + CODE_RVA + 0x20, f, &c, &data,
                               &frame, NULL);
    cr_assert_null(h, "no handler in an epilog");
    cr_assert_eq(c.Rbx, 0x1234);
    cr_assert_eq(c.Rip, 0xabcdef);
    cr_assert_eq(c.Rsp, (DWORD64)(uintptr_t)&stack[7]);

    /* Half-way: only `pop %rbx; ret` left (with a REX-prefixed pop r12 before it). */
    static const uint8_t epi2[] = {0x41, 0x5c, 0x5b, 0xc3};
    memcpy(image + CODE_RVA + 0x30, epi2, sizeof epi2);
    memset(stack, 0, sizeof stack);
    stack[0] = 0xc12;
    stack[1] = 0xcb;
    stack[2] = 0x999;
    memset(&c, 0, sizeof c);
    c.Rsp = (DWORD64)(uintptr_t)stack;
    RtlVirtualUnwind(UNW_FLAG_NHANDLER, BASE, BASE + CODE_RVA + 0x30, f, &c, NULL, &frame, NULL);
    cr_assert_eq(c.R12, 0xc12);
    cr_assert_eq(c.Rbx, 0xcb);
    cr_assert_eq(c.Rip, 0x999);
}

Test(unwind, handler_and_data_follow_the_codes_outside_the_prolog)
{
    WORD codes[] = {code(4, UWOP_ALLOC_SMALL, 3)};
    uint8_t *tail = put_info(INFO_RVA, UNW_FLAG_EHANDLER | UNW_FLAG_UHANDLER, 4, 0, 0, codes, 1);
    uint32_t handler_rva = 0x345, data = 0xdada;
    memcpy(tail, &handler_rva, 4);
    memcpy(tail + 4, &data, 4);
    RUNTIME_FUNCTION *f = put_func(0, CODE_RVA, CODE_RVA + 0x40, INFO_RVA);
    stack[4] = 0x100;
    CONTEXT c = {0};
    c.Rsp = (DWORD64)(uintptr_t)stack;
    DWORD64 frame;
    void *hd = NULL;
    void *h = RtlVirtualUnwind(UNW_FLAG_EHANDLER, BASE, BASE + CODE_RVA + 0x10, f, &c, &hd,
                               &frame, NULL);
    cr_assert_eq(h, (void *)(image + 0x345), "handler %p", h);
    cr_assert_eq(hd, (void *)(tail + 4), "handler data %p", hd);
    cr_assert_eq(c.Rip, 0x100);

    c.Rsp = (DWORD64)(uintptr_t)stack;
    h = RtlVirtualUnwind(UNW_FLAG_NHANDLER, BASE, BASE + CODE_RVA + 0x10, f, &c, &hd, &frame,
                         NULL);
    cr_assert_null(h, "NHANDLER asks for no handler");
}

Test(unwind, chained_info_unwinds_the_parent_prolog_and_uses_its_handler)
{
    /* parent: push rbp; push rsi (with a handler); child (chained): sub $0x20 */
    WORD pcodes[] = {code(2, UWOP_PUSH_NONVOL, 6), code(1, UWOP_PUSH_NONVOL, 5)};
    uint8_t *ptail = put_info(INFO2_RVA, UNW_FLAG_EHANDLER, 2, 0, 0, pcodes, 2);
    uint32_t handler_rva = 0x777;
    memcpy(ptail, &handler_rva, 4);
    RUNTIME_FUNCTION *parent = put_func(1, CODE_RVA, CODE_RVA + 0x20, INFO2_RVA);
    WORD ccodes[] = {code(4, UWOP_ALLOC_SMALL, 3)};
    uint8_t *ctail = put_info(INFO_RVA, UNW_FLAG_CHAININFO, 4, 0, 0, ccodes, 1);
    memcpy(ctail, parent, sizeof *parent);
    RUNTIME_FUNCTION *child = put_func(0, CODE_RVA + 0x20, CODE_RVA + 0x40, INFO_RVA);
    stack[4] = 0x51;   /* rsi */
    stack[5] = 0xb9;   /* rbp */
    stack[6] = 0xface; /* return */
    CONTEXT c = {0};
    c.Rsp = (DWORD64)(uintptr_t)stack;
    DWORD64 frame;
    void *hd;
    void *h = RtlVirtualUnwind(UNW_FLAG_EHANDLER, BASE, BASE + CODE_RVA + 0x30, child, &c, &hd,
                               &frame, NULL);
    cr_assert_eq(c.Rsi, 0x51);
    cr_assert_eq(c.Rbp, 0xb9);
    cr_assert_eq(c.Rip, 0xface);
    cr_assert_eq(c.Rsp, (DWORD64)(uintptr_t)&stack[7]);
    cr_assert_eq(h, (void *)(image + 0x777), "the primary info's handler, got %p", h);
}

Test(unwind, function_table_lookup_finds_added_tables_only_while_added)
{
    RUNTIME_FUNCTION *f = put_func(0, 0x100, 0x180, INFO_RVA);
    put_func(1, 0x180, 0x200, INFO_RVA);
    put_func(2, 0x300, 0x310, INFO_RVA);
    cr_assert(RtlAddFunctionTable(f, 3, BASE));
    DWORD64 base = 0;
    cr_assert_eq(RtlLookupFunctionEntry(BASE + 0x1a0, &base, NULL), f + 1);
    cr_assert_eq(base, BASE);
    cr_assert_eq(RtlLookupFunctionEntry(BASE + 0x300, &base, NULL), f + 2);
    cr_assert_null(RtlLookupFunctionEntry(BASE + 0x250, &base, NULL), "gap between functions");
    cr_assert(RtlDeleteFunctionTable(f));
    cr_assert_null(RtlLookupFunctionEntry(BASE + 0x1a0, &base, NULL));
    cr_assert_not(RtlDeleteFunctionTable(f), "already deleted");
}
