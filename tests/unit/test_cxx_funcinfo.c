/* The decoders of MSVC's C++ exception metadata (thunks/vcruntime140/funcinfo.c) on tables laid
 * out in a buffer as the compilers emit them: FH4's compressed unsigned integers at every length
 * (1 to 5 bytes), a FuncInfo4 with unwind map (destructor with object, destructor through a
 * pointer, funclet, no action; next states as byte offsets back, state -1 before the table),
 * try block map, handler map (adjectives, type, catch object, continuation addresses relative to
 * the function or as RVAs), delta-encoded IP map with states stored plus one, a catch funclet's
 * FuncInfo4 (dispFrame) and separated code (per-segment IP maps); a FuncInfo (FH3) with its
 * fixed tables and flags; IP-to-state lookups before, at and between entries; type_info names
 * undecorated as MSVC prints them. */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>
#include "thunks/vcruntime140/vcruntime_private.h"

static _Alignas(16) uint8_t image[0x2000];
#define BASE ((uint64_t)(uintptr_t)image)

/* FH4's encoder, as the format describes it. */
static size_t enc(uint8_t *p, uint32_t v)
{
    if (v < 0x80) {
        p[0] = (uint8_t)(v << 1);
        return 1;
    }
    if (v < 0x4000) {
        p[0] = (uint8_t)((v << 2) | 1);
        p[1] = (uint8_t)(v >> 6);
        return 2;
    }
    if (v < 0x200000) {
        p[0] = (uint8_t)((v << 3) | 3);
        p[1] = (uint8_t)(v >> 5);
        p[2] = (uint8_t)(v >> 13);
        return 3;
    }
    if (v < 0x10000000) {
        p[0] = (uint8_t)((v << 4) | 7);
        p[1] = (uint8_t)(v >> 4);
        p[2] = (uint8_t)(v >> 12);
        p[3] = (uint8_t)(v >> 20);
        return 4;
    }
    p[0] = 0x0f;
    memcpy(p + 1, &v, 4);
    return 5;
}

static size_t put32(uint8_t *p, int32_t v)
{
    memcpy(p, &v, 4);
    return 4;
}

Test(cxx_funcinfo, fh4_uint_every_length_roundtrips)
{
    static const uint32_t values[] = {0, 1, 0x7f, 0x80, 0x3fff, 0x4000, 0x1fffff, 0x200000,
                                      0xfffffff, 0x10000000, 0xffffffffu};
    static const size_t lengths[] = {1, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5};
    for (size_t i = 0; i < sizeof values / sizeof values[0]; i++) {
        uint8_t buf[8] = {0};
        size_t n = enc(buf, values[i]);
        cr_assert_eq(n, lengths[i], "length of %#x: %zu", values[i], n);
        const uint8_t *p = buf;
        uint32_t got = cxx_fh4_read_uint(&p);
        cr_assert_eq(got, values[i], "decoded %#x as %#x", values[i], got);
        cr_assert_eq((size_t)(p - buf), n, "consumed %zu of %zu bytes", (size_t)(p - buf), n);
    }
}

/* A function at RVA 0x100:  A a; try { B b; call(); } catch (X &x) { ... }  with a B * held in
 * a frame slot (state 4, destroyed through the pointer) and a cleanup funclet (state 5).
 * States: 0 a (DtorWithObj), 1 try (none), 2 b (DtorWithObj), 3 catch (none), 4 ptr, 5 funclet.
 * Next states: 0 -> -1, 1 -> 0, 2 -> 1, 3 -> 0, 4 -> 0, 5 -> 4. */
#define FUNC 0x100
static void build_fh4(void)
{
    memset(image, 0, sizeof image);
    uint8_t *p;
    /* unwind map at 0x400 */
    p = image + 0x400;
    p += enc(p, 6);
    uint32_t off[6];
    uint8_t *table = p;
    off[0] = (uint32_t)(p - table);
    p += enc(p, (off[0] + 1) << 2 | 1); /* back past the table start: -1 */
    p += put32(p, 0x1000);
    p += enc(p, 0x20);
    off[1] = (uint32_t)(p - table);
    p += enc(p, (off[1] - off[0]) << 2 | 0);
    off[2] = (uint32_t)(p - table);
    p += enc(p, (off[2] - off[1]) << 2 | 1);
    p += put32(p, 0x1010);
    p += enc(p, 0x28);
    off[3] = (uint32_t)(p - table);
    p += enc(p, (off[3] - off[0]) << 2 | 0);
    off[4] = (uint32_t)(p - table);
    p += enc(p, (off[4] - off[0]) << 2 | 2);
    p += put32(p, 0x1020);
    p += enc(p, 0x30);
    off[5] = (uint32_t)(p - table);
    p += enc(p, (off[5] - off[4]) << 2 | 3);
    p += put32(p, 0x1030);

    /* handler map at 0x500: catch (X &x) with one function-relative continuation, and
     * catch (...) with two RVA continuations */
    p = image + 0x500;
    p += enc(p, 2);
    *p++ = 0x01 | 0x02 | 0x04 | (1 << 4);
    p += enc(p, CXX_HT_REFERENCE);
    p += put32(p, 0x1800);
    p += enc(p, 0x38);
    p += put32(p, 0x300);
    p += enc(p, 0x44);
    *p++ = 0x08 | (2 << 4);
    p += put32(p, 0x310);
    p += put32(p, 0x150);
    p += put32(p, 0x160);

    /* try block map at 0x600 */
    p = image + 0x600;
    p += enc(p, 1);
    p += enc(p, 1);
    p += enc(p, 2);
    p += enc(p, 3);
    p += put32(p, 0x500);

    /* IP map at 0x700: [0x100, 0x110) -1, [0x110, 0x120) 0, [0x120, 0x130) 2, 0x130.. 0 */
    p = image + 0x700;
    p += enc(p, 4);
    p += enc(p, 0x00);
    p += enc(p, 0);
    p += enc(p, 0x10);
    p += enc(p, 1);
    p += enc(p, 0x10);
    p += enc(p, 3);
    p += enc(p, 0x10);
    p += enc(p, 1);

    /* FuncInfo4 at 0x800: UnwindMap | TryBlockMap | EHs */
    p = image + 0x800;
    *p++ = 0x08 | 0x10 | 0x20;
    p += put32(p, 0x400);
    p += put32(p, 0x600);
    p += put32(p, 0x700);
}

Test(cxx_funcinfo, fh4_function_decodes_all_maps)
{
    build_fh4();
    cxx_func f;
    cr_assert_eq(cxx_decode_fh4(image + 0x800, BASE, FUNC, &f), 0);
    cr_assert_eq(f.version, 4);
    cr_assert(f.synchronous);
    cr_assert(!f.noexcept_fn && !f.is_catch);

    cr_assert_eq(f.nunwind, 6, "unwind entries: %u", f.nunwind);
    static const int32_t to[6] = {-1, 0, 1, 0, 0, 4};
    static const uint8_t kind[6] = {CXX_UW_DTOR_OBJ, CXX_UW_NONE, CXX_UW_DTOR_OBJ, CXX_UW_NONE,
                                    CXX_UW_DTOR_PTR, CXX_UW_FUNCLET};
    for (int s = 0; s < 6; s++) {
        cr_assert_eq(f.unwind[s].to_state, to[s], "state %d goes to %d", s,
                     f.unwind[s].to_state);
        cr_assert_eq(f.unwind[s].kind, kind[s], "state %d kind %d", s, f.unwind[s].kind);
    }
    cr_assert_eq(f.unwind[0].action, 0x1000);
    cr_assert_eq(f.unwind[0].object, 0x20u);
    cr_assert_eq(f.unwind[2].object, 0x28u);
    cr_assert_eq(f.unwind[4].action, 0x1020);
    cr_assert_eq(f.unwind[4].object, 0x30u);
    cr_assert_eq(f.unwind[5].action, 0x1030);

    cr_assert_eq(f.ntry, 1);
    cr_assert_eq(f.tries[0].low, 1);
    cr_assert_eq(f.tries[0].high, 2);
    cr_assert_eq(f.tries[0].catch_high, 3);
    cr_assert_eq(f.tries[0].nhandlers, 2);
    const cxx_handler *h = &f.tries[0].handlers[0];
    cr_assert_eq(h->adjectives, (uint32_t)CXX_HT_REFERENCE);
    cr_assert_eq(h->type, 0x1800);
    cr_assert_eq(h->catch_obj, 0x38);
    cr_assert_eq(h->handler, 0x300);
    cr_assert_eq(h->ncont, 1);
    cr_assert_eq(h->cont[0], FUNC + 0x44u, "continuation %#x", h->cont[0]);
    h = &f.tries[0].handlers[1];
    cr_assert_eq(h->type, 0);
    cr_assert_eq(h->handler, 0x310);
    cr_assert_eq(h->ncont, 2);
    cr_assert_eq(h->cont[0], 0x150u);
    cr_assert_eq(h->cont[1], 0x160u);

    cr_assert_eq(f.nip, 4);
    cr_assert_eq(cxx_ip_to_state(&f, 0x0ff), -1);
    cr_assert_eq(cxx_ip_to_state(&f, 0x100), -1);
    cr_assert_eq(cxx_ip_to_state(&f, 0x110), 0);
    cr_assert_eq(cxx_ip_to_state(&f, 0x11f), 0);
    cr_assert_eq(cxx_ip_to_state(&f, 0x125), 2);
    cr_assert_eq(cxx_ip_to_state(&f, 0x200), 0);
    cxx_func_free(&f);
}

Test(cxx_funcinfo, fh4_catch_funclet_and_separated_code)
{
    build_fh4();
    /* The catch funclet's FuncInfo4 at 0x900: isCatch | isSeparated | UnwindMap | TryBlockMap,
     * the separated-code table at 0xa00 names the funclet's own IP map at 0xb00. */
    uint8_t *p = image + 0x900;
    *p++ = 0x01 | 0x02 | 0x08 | 0x10;
    p += put32(p, 0x400);
    p += put32(p, 0x600);
    p += put32(p, 0xa00);
    p += enc(p, 0x58);
    p = image + 0xa00;
    p += enc(p, 2);
    p += put32(p, 0x100);
    p += put32(p, 0x700);
    p += put32(p, 0x300);
    p += put32(p, 0xb00);
    p = image + 0xb00;
    p += enc(p, 1);
    p += enc(p, 0x4);
    p += enc(p, 4);

    cxx_func f;
    cr_assert_eq(cxx_decode_fh4(image + 0x900, BASE, 0x300, &f), 0);
    cr_assert(f.is_catch);
    cr_assert_eq(f.disp_frame, 0x58u);
    cr_assert_eq(f.nip, 1, "segment IP map entries: %u", f.nip);
    cr_assert_eq(cxx_ip_to_state(&f, 0x303), -1);
    cr_assert_eq(cxx_ip_to_state(&f, 0x304), 3);
    cr_assert_eq(f.tries[0].handlers[0].handler, 0x300);
    cxx_func_free(&f);
}

Test(cxx_funcinfo, fh3_function_decodes_fixed_tables)
{
    memset(image, 0, sizeof image);
    uint8_t *p = image + 0x400; /* FuncInfo */
    p += put32(p, (int32_t)CXX_MAGIC_3);
    p += put32(p, 3);      /* maxState */
    p += put32(p, 0x500);  /* unwind map */
    p += put32(p, 1);      /* try blocks */
    p += put32(p, 0x600);
    p += put32(p, 3);      /* IP map entries */
    p += put32(p, 0x700);
    p += put32(p, 0x48);   /* UnwindHelp */
    p += put32(p, 0);      /* ES types */
    p += put32(p, 1 | 4);  /* /EHs, noexcept */
    p = image + 0x500;
    static const int32_t um[3][2] = {{-1, 0x1000}, {-1, 0}, {1, 0x1010}};
    for (int i = 0; i < 3; i++) {
        p += put32(p, um[i][0]);
        p += put32(p, um[i][1]);
    }
    p = image + 0x600;
    p += put32(p, 1);
    p += put32(p, 1);
    p += put32(p, 2);
    p += put32(p, 1);
    p += put32(p, 0x680);
    p = image + 0x680;
    p += put32(p, CXX_HT_REFERENCE | CXX_HT_CONST);
    p += put32(p, 0x1800);
    p += put32(p, 0x30);
    p += put32(p, 0x300);
    p += put32(p, 0x38);
    p = image + 0x700;
    static const int32_t ip[3][2] = {{0x100, -1}, {0x110, 1}, {0x120, -1}};
    for (int i = 0; i < 3; i++) {
        p += put32(p, ip[i][0]);
        p += put32(p, ip[i][1]);
    }

    cxx_func f;
    cr_assert_eq(cxx_decode_fh3(image + 0x400, BASE, &f), 0);
    cr_assert_eq(f.version, 3);
    cr_assert(f.synchronous && f.noexcept_fn);
    cr_assert_eq(f.nunwind, 3);
    cr_assert_eq(f.unwind[0].kind, CXX_UW_FUNCLET);
    cr_assert_eq(f.unwind[1].kind, CXX_UW_NONE);
    cr_assert_eq(f.unwind[2].to_state, 1);
    cr_assert_eq(f.unwind[2].action, 0x1010);
    cr_assert_eq(f.ntry, 1);
    cr_assert_eq(f.tries[0].catch_high, 2);
    cr_assert_eq(f.tries[0].handlers[0].adjectives, (uint32_t)(CXX_HT_REFERENCE | CXX_HT_CONST));
    cr_assert_eq(f.tries[0].handlers[0].frame_disp, 0x38);
    cr_assert_eq(cxx_ip_to_state(&f, 0xff), -1);
    cr_assert_eq(cxx_ip_to_state(&f, 0x115), 1);
    cr_assert_eq(cxx_ip_to_state(&f, 0x120), -1);
    cxx_func_free(&f);

    memcpy(image + 0x400, "\0\0\0\0", 4); /* not a FuncInfo */
    cr_assert_eq(cxx_decode_fh3(image + 0x400, BASE, &f), -1);
}

/* type_info::name as MSVC prints it (rtti.c). */
Test(cxx_funcinfo, type_names_undecorate_as_msvc_prints_them)
{
    static const char *const cases[][2] = {
        {".H", "int"},
        {".N", "double"},
        {"._N", "bool"},
        {"._J", "__int64"},
        {".?AVFoo@@", "class Foo"},
        {".?AUBar@ns@@", "struct ns::Bar"},
        {".?AW4Color@@", "enum Color"},
        {".?ATU@a@b@@", "union b::a::U"},
        {".PEAH", "int * __ptr64"},
        {".PEBD", "char const * __ptr64"},
        {".PEAVFoo@@", "class Foo * __ptr64"},
        {".PEAPEBD", "char const * __ptr64 * __ptr64"},
        {".?AV?$vector@H@std@@", "?AV?$vector@H@std@@"}, /* templates: left decorated */
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char *got = cxx_undecorate(cases[i][0]);
        cr_assert_str_eq(got, cases[i][1], "%s -> \"%s\"", cases[i][0], got);
        free(got);
    }
}
