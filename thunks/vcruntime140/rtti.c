/* SPDX-License-Identifier: MIT */
/* vcruntime140's run-time type information and std::exception helpers:
 *
 *  - __std_type_info_name (type_info::name: the undecorated name, computed once per type and
 *    kept on the module's list), __std_type_info_compare, __std_type_info_hash (FNV-1a of the
 *    decorated name), __std_type_info_destroy_list;
 *  - __std_exception_copy / __std_exception_destroy (std::exception's message);
 *  - __RTtypeid, __RTCastToVoid, __RTDynamicCast over MSVC's x64 RTTI: vftable[-1] is the
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

/* typeid(*obj) for a polymorphic object: its complete type's descriptor. */
static void *WINAPI vcrt___RTtypeid(void *obj)
{
    if (!obj)
        return NULL;
    uint64_t base;
    const cxx_object_locator *col = cxx_locator(obj, &base);
    return (void *)(uintptr_t)(base + (uint32_t)col->type);
}
THK_EXPORT_AS(vcruntime140, __RTtypeid, vcrt___RTtypeid, 1);
THK_EXPORT_AS(msvcrt, __RTtypeid, vcrt___RTtypeid, 1);

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
 * when there is none. */
static void *WINAPI vcrt___RTDynamicCast(void *obj, int32_t vfdelta, void *src_type,
                                         void *dst_type, int32_t is_reference)
{
    (void)src_type;
    (void)is_reference;
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
    return NULL;
}
THK_EXPORT_AS(vcruntime140, __RTDynamicCast, vcrt___RTDynamicCast, 5);
THK_EXPORT_AS(msvcrt, __RTDynamicCast, vcrt___RTDynamicCast, 5);
