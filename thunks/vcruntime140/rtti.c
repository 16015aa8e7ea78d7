/* SPDX-License-Identifier: MIT */
/* vcruntime140's run-time type information and std::exception helpers:
 *
 *  - __std_type_info_name (type_info::name: the undecorated name, computed once per type and
 *    kept on the module's list), __std_type_info_compare, __std_type_info_hash (FNV-1a of the
 *    decorated name), __std_type_info_destroy_list;
 *  - __std_exception_copy / __std_exception_destroy (std::exception's message);
 *  - __RTtypeid, __RTCastToVoid, __RTDynamicCast over MSVC's x64 RTTI (with std::bad_typeid
 *    and std::bad_cast thrown as vcruntime throws them): vftable[-1] is the
 *    complete object locator { signature 1, offset, cdOffset, type RVA, hierarchy RVA, self
 *    RVA }, whose self RVA gives the image base the other RVAs are relative to.
 *
 * type_info's data as vcruntime sees it: { const char *undecorated; char decorated[] }, the
 * decorated name starting with '.' (".H", ".?AVFoo@@"). Names are undecorated for the
 * common type shapes (built-in types, classes/structs/unions/enums in namespaces, pointers
 * and references with cv qualifiers) the way MSVC prints them ("class ns::Foo",
 * "char const * __ptr64"); anything else is given decorated, without the leading '.'. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "thunks/ntdll/thk_exception.h"
#include "thunks/thunks_private.h"
#include "thunks/vcruntime140/vcruntime_private.h"

/* ======================================================================================== */
/* Undecorating type names                                                                  */
/* ======================================================================================== */

typedef struct {
    char *buf;
    size_t len, cap;
    bool bad;
} cxx_str;

static void cxx_put(cxx_str *s, const char *t, size_t n)
{
    if (s->len + n + 1 > s->cap) {
        size_t cap = (s->cap ? s->cap * 2 : 64) + n;
        char *b = realloc(s->buf, cap);
        if (!b) {
            s->bad = true;
            return;
        }
        s->buf = b;
        s->cap = cap;
    }
    memcpy(s->buf + s->len, t, n);
    s->len += n;
    s->buf[s->len] = 0;
}
static void cxx_puts(cxx_str *s, const char *t) { cxx_put(s, t, strlen(t)); }

/* A qualified name "Inner@Outer@@" -> "Outer::Inner". */
static const char *cxx_undname_name(const char *p, cxx_str *out)
{
    const char *parts[16];
    size_t lens[16], n = 0;
    while (*p && *p != '@') {
        if (*p == '?' || (*p >= '0' && *p <= '9') || n == 16)
            return NULL; /* templates, back-references, operators: not undecorated here */
        const char *end = strchr(p, '@');
        if (!end)
            return NULL;
        parts[n] = p;
        lens[n++] = (size_t)(end - p);
        p = end + 1;
    }
    if (*p != '@' || !n)
        return NULL;
    for (size_t i = n; i-- > 0;) {
        cxx_put(out, parts[i], lens[i]);
        if (i)
            cxx_puts(out, "::");
    }
    return p + 1;
}

static const char *cxx_undname_type(const char *p, cxx_str *out)
{
    static const struct { char code; const char *name; } basic[] = {
        {'C', "signed char"}, {'D', "char"}, {'E', "unsigned char"}, {'F', "short"},
        {'G', "unsigned short"}, {'H', "int"}, {'I', "unsigned int"}, {'J', "long"},
        {'K', "unsigned long"}, {'M', "float"}, {'N', "double"}, {'O', "long double"},
        {'X', "void"}};
    static const struct { char code; const char *name; } ext[] = {
        {'N', "bool"}, {'J', "__int64"}, {'K', "unsigned __int64"}, {'W', "wchar_t"},
        {'S', "char16_t"}, {'U', "char32_t"}, {'Q', "char8_t"}};
    for (size_t i = 0; i < sizeof basic / sizeof basic[0]; i++)
        if (*p == basic[i].code) {
            cxx_puts(out, basic[i].name);
            return p + 1;
        }
    if (*p == '_') {
        for (size_t i = 0; i < sizeof ext / sizeof ext[0]; i++)
            if (p[1] == ext[i].code) {
                cxx_puts(out, ext[i].name);
                return p + 2;
            }
        return NULL;
    }
    const char *kind = NULL;
    switch (*p) {
    case 'V': kind = "class "; p++; break;
    case 'U': kind = "struct "; p++; break;
    case 'T': kind = "union "; p++; break;
    case 'W':
        if (p[1] != '4')
            return NULL;
        kind = "enum ";
        p += 2;
        break;
    }
    if (kind) {
        cxx_puts(out, kind);
        return cxx_undname_name(p, out);
    }
    const char *ptr = NULL;
    switch (*p) {
    case 'P': case 'Q': case 'R': case 'S': ptr = " *"; break;
    case 'A': case 'B': ptr = " &"; break;
    }
    if (ptr && p[1] == 'E' && p[2] >= 'A' && p[2] <= 'D') {
        char cv = p[2];
        p = cxx_undname_type(p + 3, out);
        if (!p)
            return NULL;
        if (cv == 'B' || cv == 'D')
            cxx_puts(out, " const");
        if (cv == 'C' || cv == 'D')
            cxx_puts(out, " volatile");
        cxx_puts(out, ptr);
        cxx_puts(out, " __ptr64");
        return p;
    }
    return NULL;
}

char *cxx_undecorate(const char *decorated)
{
    cxx_str s = {0};
    const char *p = decorated;
    if (*p == '.')
        p++;
    if (p[0] == '?' && p[1] == 'A')
        p += 2;
    const char *end = cxx_undname_type(p, &s);
    if (!end || *end || s.bad) {
        free(s.buf);
        const char *d = decorated[0] == '.' ? decorated + 1 : decorated;
        return strdup(d);
    }
    return s.buf;
}

/* ======================================================================================== */
/* type_info                                                                                */
/* ======================================================================================== */

typedef struct {
    const char *undecorated;
    char decorated[];
} cxx_type_info_data;

typedef struct cxx_name_node {
    struct cxx_name_node *next;
    char name[];
} cxx_name_node;

static pthread_mutex_t cxx_names_lock = PTHREAD_MUTEX_INITIALIZER;

/* root: the module's __type_info_root_node (an SLIST_HEADER; its first pointer holds our
 * list of names to free). */
static const char *WINAPI vcrt___std_type_info_name(cxx_type_info_data *data, void *root)
{
    const char *cached = __atomic_load_n(&data->undecorated, __ATOMIC_ACQUIRE);
    if (cached)
        return cached;
    char *name = cxx_undecorate(data->decorated);
    if (!name)
        return NULL;
    size_t n = strlen(name) + 1;
    cxx_name_node *node = malloc(sizeof *node + n);
    if (!node) {
        free(name);
        return NULL;
    }
    memcpy(node->name, name, n);
    free(name);
    const char *expected = NULL;
    if (!__atomic_compare_exchange_n(&data->undecorated, &expected, node->name, false,
                                     __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE)) {
        free(node);
        return expected;
    }
    if (root) {
        pthread_mutex_lock(&cxx_names_lock);
        memcpy(&node->next, root, sizeof node->next);
        memcpy(root, &node, sizeof node);
        pthread_mutex_unlock(&cxx_names_lock);
    }
    return node->name;
}
THK_EXPORT_AS(vcruntime140, __std_type_info_name, vcrt___std_type_info_name, 2);

static void WINAPI vcrt___std_type_info_destroy_list(void *root)
{
    cxx_name_node *node;
    pthread_mutex_lock(&cxx_names_lock);
    memcpy(&node, root, sizeof node);
    memset(root, 0, sizeof node);
    pthread_mutex_unlock(&cxx_names_lock);
    while (node) {
        cxx_name_node *next = node->next;
        free(node);
        node = next;
    }
}
THK_EXPORT_AS(vcruntime140, __std_type_info_destroy_list, vcrt___std_type_info_destroy_list, 1);

static int WINAPI vcrt___std_type_info_compare(const cxx_type_info_data *a,
                                               const cxx_type_info_data *b)
{
    if (a == b)
        return 0;
    return strcmp(a->decorated + 1, b->decorated + 1);
}
THK_EXPORT_AS(vcruntime140, __std_type_info_compare, vcrt___std_type_info_compare, 2);

static size_t WINAPI vcrt___std_type_info_hash(const cxx_type_info_data *data)
{
    uint64_t h = 14695981039346656037ull;
    for (const unsigned char *p = (const unsigned char *)data->decorated + 1; *p; p++) {
        h ^= *p;
        h *= 1099511628211ull;
    }
    return (size_t)h;
}
THK_EXPORT_AS(vcruntime140, __std_type_info_hash, vcrt___std_type_info_hash, 1);

/* ======================================================================================== */
/* std::exception's message                                                                 */
/* ======================================================================================== */

typedef struct {
    const char *what;
    uint8_t do_free;
} cxx_exception_data;

static void WINAPI vcrt___std_exception_copy(const cxx_exception_data *from,
                                             cxx_exception_data *to)
{
    if (from->do_free && from->what) {
        char *copy = strdup(from->what);
        to->what = copy;
        to->do_free = copy != NULL;
    } else {
        to->what = from->what;
        to->do_free = 0;
    }
}
THK_EXPORT_AS(vcruntime140, __std_exception_copy, vcrt___std_exception_copy, 2);

static void WINAPI vcrt___std_exception_destroy(cxx_exception_data *data)
{
    if (data->do_free)
        free((void *)data->what);
    data->what = NULL;
    data->do_free = 0;
}
THK_EXPORT_AS(vcruntime140, __std_exception_destroy, vcrt___std_exception_destroy, 1);

/* ======================================================================================== */
/* typeid and dynamic_cast                                                                  */
/* ======================================================================================== */

typedef struct {
    uint32_t signature;   /* 1 on x64: RVAs */
    uint32_t offset;      /* of this vftable in the complete object */
    uint32_t cd_offset;
    int32_t type;         /* TypeDescriptor */
    int32_t hierarchy;    /* ClassHierarchyDescriptor */
    int32_t self;
} cxx_object_locator;

typedef struct {
    uint32_t signature;
    uint32_t attributes;
    uint32_t nbases;
    int32_t bases;        /* RVA of an array of BaseClassDescriptor RVAs */
} cxx_hierarchy;

typedef struct {
    int32_t type;
    uint32_t ncontained;
    cxx_pmd where;
    uint32_t attributes;
    int32_t hierarchy;
} cxx_base_class;

static const cxx_object_locator *cxx_locator(const void *obj, uint64_t *base)
{
    const uint64_t *vftable = *(const uint64_t *const *)obj;
    const cxx_object_locator *col = (const cxx_object_locator *)(uintptr_t)vftable[-1];
    *base = (uint64_t)(uintptr_t)col - (uint32_t)col->self;
    return col;
}

/* ---- std::bad_cast and std::bad_typeid, thrown by the runtime ----
 * __RTDynamicCast of a reference that fails throws std::bad_cast("Bad dynamic_cast!") and
 * __RTtypeid of a null pointer std::bad_typeid("Attempted a typeid of nullptr pointer!"), as
 * vcruntime does. Both entries are THK_RAW (throw_entry.S): they call the bodies below as a
 * thunk would, and a body's VCRT_THROW_* result makes the entry capture its caller's context
 * and raise the exception from there (vcrt_throw_std). The exception's MSVC metadata
 * (ThrowInfo, catchable types std::bad_cast or std::bad_typeid and std::exception, RTTI for
 * typeid and dynamic_cast of the object) lives in one block, vcrt_std, whose address serves
 * as the image base its RVAs are relative to; a catch matches by the decorated names
 * (".?AVbad_cast@std@@"), so a program's own std::bad_cast catches it. The object (the
 * layout of vcruntime's std::exception: vftable, what, do_free) is one of a few per thread,
 * its message static: nothing to copy (bitwise) or destroy. Its vftable's what() and
 * scalar deleting destructor are leaf functions in throw_entry.S. */
#define VCRT_THROW_BAD_CAST ((void *)(intptr_t)-1)
#define VCRT_THROW_BAD_TYPEID ((void *)(intptr_t)-2)

void vcrt_std_exception_sdtor(void);
void vcrt_std_exception_what(void);

typedef struct {
    const void *vftable;
    void *spare;
    char name[24];
} vcrt_type_descriptor;

typedef struct {
    int32_t count;
    int32_t types[2];
} vcrt_cta2;

static struct vcrt_std {
    uint64_t rva0; /* keeps RVA 0 meaning "none" */
    vcrt_type_descriptor td_exception, td_bad_cast, td_bad_typeid;
    cxx_catchable_type ct_exception, ct_bad_cast, ct_bad_typeid;
    vcrt_cta2 cta_bad_cast, cta_bad_typeid;
    cxx_throw_info ti_bad_cast, ti_bad_typeid;
    cxx_base_class bc_exception, bc_bad_cast, bc_bad_typeid;
    int32_t bases_bad_cast[2], bases_bad_typeid[2];
    cxx_hierarchy h_bad_cast, h_bad_typeid;
    cxx_object_locator col_bad_cast, col_bad_typeid;
    const void *vft_bad_cast[3]; /* [0]: the locator; the vftable starts at [1] */
    const void *vft_bad_typeid[3];
} vcrt_std;

#define VCRT_RVA(member) ((int32_t)offsetof(struct vcrt_std, member))
#define VCRT_CT(td) {0, VCRT_RVA(td), {0, -1, 0}, 24, 0}
#define VCRT_BC(td, contained, h) {VCRT_RVA(td), contained, {0, -1, 0}, 0x40, VCRT_RVA(h)}

static struct vcrt_std vcrt_std = {
    .td_exception = {NULL, NULL, ".?AVexception@std@@"},
    .td_bad_cast = {NULL, NULL, ".?AVbad_cast@std@@"},
    .td_bad_typeid = {NULL, NULL, ".?AVbad_typeid@std@@"},
    .ct_exception = VCRT_CT(td_exception),
    .ct_bad_cast = VCRT_CT(td_bad_cast),
    .ct_bad_typeid = VCRT_CT(td_bad_typeid),
    .cta_bad_cast = {2, {VCRT_RVA(ct_bad_cast), VCRT_RVA(ct_exception)}},
    .cta_bad_typeid = {2, {VCRT_RVA(ct_bad_typeid), VCRT_RVA(ct_exception)}},
    .ti_bad_cast = {0, 0, 0, VCRT_RVA(cta_bad_cast)},
    .ti_bad_typeid = {0, 0, 0, VCRT_RVA(cta_bad_typeid)},
    .bc_exception = VCRT_BC(td_exception, 0, h_bad_cast),
    .bc_bad_cast = VCRT_BC(td_bad_cast, 1, h_bad_cast),
    .bc_bad_typeid = VCRT_BC(td_bad_typeid, 1, h_bad_typeid),
    .bases_bad_cast = {VCRT_RVA(bc_bad_cast), VCRT_RVA(bc_exception)},
    .bases_bad_typeid = {VCRT_RVA(bc_bad_typeid), VCRT_RVA(bc_exception)},
    .h_bad_cast = {0, 0, 2, VCRT_RVA(bases_bad_cast)},
    .h_bad_typeid = {0, 0, 2, VCRT_RVA(bases_bad_typeid)},
    .col_bad_cast = {1, 0, 0, VCRT_RVA(td_bad_cast), VCRT_RVA(h_bad_cast), VCRT_RVA(col_bad_cast)},
    .col_bad_typeid = {1, 0, 0, VCRT_RVA(td_bad_typeid), VCRT_RVA(h_bad_typeid),
                       VCRT_RVA(col_bad_typeid)},
    .vft_bad_cast = {&vcrt_std.col_bad_cast, (const void *)vcrt_std_exception_sdtor,
                     (const void *)vcrt_std_exception_what},
    .vft_bad_typeid = {&vcrt_std.col_bad_typeid, (const void *)vcrt_std_exception_sdtor,
                       (const void *)vcrt_std_exception_what},
};

typedef struct {
    const void *vftable;
    cxx_exception_data data;
} vcrt_std_object;

#define VCRT_STD_OBJECTS 8
static __thread vcrt_std_object vcrt_std_objects[VCRT_STD_OBJECTS];
static __thread unsigned vcrt_std_next;

static __attribute__((noreturn)) void vcrt_throw_std(CONTEXT *ctx, bool bad_cast)
{
    vcrt_std_object *o = &vcrt_std_objects[vcrt_std_next++ % VCRT_STD_OBJECTS];
    o->vftable = bad_cast ? &vcrt_std.vft_bad_cast[1] : &vcrt_std.vft_bad_typeid[1];
    o->data.what = bad_cast ? "Bad dynamic_cast!" : "Attempted a typeid of nullptr pointer!";
    o->data.do_free = 0;
    EXCEPTION_RECORD rec;
    memset(&rec, 0, sizeof rec);
    rec.ExceptionCode = CXX_EXCEPTION_CODE;
    rec.ExceptionFlags = EXCEPTION_NONCONTINUABLE;
    rec.NumberParameters = CXX_PARAMS;
    rec.ExceptionInformation[0] = CXX_MAGIC_1;
    rec.ExceptionInformation[1] = (ULONG_PTR)(uintptr_t)o;
    rec.ExceptionInformation[2] =
        (ULONG_PTR)(uintptr_t)(bad_cast ? &vcrt_std.ti_bad_cast : &vcrt_std.ti_bad_typeid);
    rec.ExceptionInformation[3] = (ULONG_PTR)(uintptr_t)&vcrt_std;
    rec.ExceptionAddress = (void *)(uintptr_t)ctx->Rip;
    cxx_thread_data()->processing++;
    thk_raise_exception(&rec, ctx);
}

/* From throw_entry.S with the caller of __RTDynamicCast / __RTtypeid's context. */
__attribute__((noreturn, used)) void vcrt_throw_bad_cast(CONTEXT *ctx, uint64_t a0, uint64_t a1,
                                                         uint64_t a2, uint64_t a3,
                                                         const uint64_t *stack)
{
    (void)a0, (void)a1, (void)a2, (void)a3, (void)stack;
    vcrt_throw_std(ctx, true);
}

__attribute__((noreturn, used)) void vcrt_throw_bad_typeid(CONTEXT *ctx, uint64_t a0,
                                                           uint64_t a1, uint64_t a2, uint64_t a3,
                                                           const uint64_t *stack)
{
    (void)a0, (void)a1, (void)a2, (void)a3, (void)stack;
    vcrt_throw_std(ctx, false);
}

/* typeid(*obj) for a polymorphic object: its complete type's descriptor; a null obj throws
 * std::bad_typeid (through the entry). */
__attribute__((used)) void *WINAPI vcrt_rttypeid(void *obj)
{
    if (!obj)
        return VCRT_THROW_BAD_TYPEID;
    uint64_t base;
    const cxx_object_locator *col = cxx_locator(obj, &base);
    return (void *)(uintptr_t)(base + (uint32_t)col->type);
}
void vcrt_entry_RTtypeid(void);
THK_EXPORT_AS(vcruntime140, __RTtypeid, vcrt_entry_RTtypeid, THK_RAW);
THK_EXPORT_AS(msvcrt, __RTtypeid, vcrt_entry_RTtypeid, THK_RAW);

/* dynamic_cast<void *>: the complete object. */
static void *WINAPI vcrt___RTCastToVoid(void *obj)
{
    if (!obj)
        return NULL;
    uint64_t base;
    const cxx_object_locator *col = cxx_locator(obj, &base);
    return (char *)obj - col->offset;
}
THK_EXPORT_AS(vcruntime140, __RTCastToVoid, vcrt___RTCastToVoid, 1);
THK_EXPORT_AS(msvcrt, __RTCastToVoid, vcrt___RTCastToVoid, 1);

static uint64_t cxx_base_offset(const cxx_pmd *pmd, uint64_t obj)
{
    int64_t off = pmd->mdisp;
    if (pmd->pdisp >= 0) {
        uint64_t vbtable = *(const uint64_t *)(uintptr_t)(obj + (int64_t)pmd->pdisp);
        off += *(const int32_t *)(uintptr_t)(vbtable + (int64_t)pmd->vdisp) + pmd->pdisp;
    }
    return obj + (uint64_t)off;
}

/* dynamic_cast<dst>(obj): the first base of the complete object's type named like dst (the
 * hierarchy array lists the complete type first, then its bases in declaration order). NULL
 * when there is none, or for a reference std::bad_cast (through the entry). */
__attribute__((used)) void *WINAPI vcrt_dynamic_cast(void *obj, int32_t vfdelta, void *src_type,
                                                     void *dst_type, int32_t is_reference)
{
    (void)src_type;
    if (!obj)
        return NULL;
    uint64_t base;
    const cxx_object_locator *col = cxx_locator((char *)obj + vfdelta, &base);
    uint64_t complete = (uint64_t)(uintptr_t)obj + (int64_t)vfdelta - col->offset;
    const cxx_hierarchy *h = (const cxx_hierarchy *)(uintptr_t)(base + (uint32_t)col->hierarchy);
    const int32_t *bases = (const int32_t *)(uintptr_t)(base + (uint32_t)h->bases);
    const cxx_type_descriptor *dst = dst_type;
    for (uint32_t i = 0; i < h->nbases; i++) {
        const cxx_base_class *bc = (const cxx_base_class *)(uintptr_t)(base + (uint32_t)bases[i]);
        const cxx_type_descriptor *td =
            (const cxx_type_descriptor *)(uintptr_t)(base + (uint32_t)bc->type);
        if (td == dst || strcmp(td->name, dst->name) == 0)
            return (void *)(uintptr_t)cxx_base_offset(&bc->where, complete);
    }
    return is_reference ? VCRT_THROW_BAD_CAST : NULL;
}
void vcrt_entry_RTDynamicCast(void);
THK_EXPORT_AS(vcruntime140, __RTDynamicCast, vcrt_entry_RTDynamicCast, THK_RAW);
THK_EXPORT_AS(msvcrt, __RTDynamicCast, vcrt_entry_RTDynamicCast, THK_RAW);
