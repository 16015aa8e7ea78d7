/* SPDX-License-Identifier: MIT */
/* kernel32's resource updates: BeginUpdateResourceA/W, UpdateResourceA/W, EndUpdateResourceA/W.
 *
 * BeginUpdateResource reads the PE file (PE32 or PE32+; ERROR_BAD_EXE_FORMAT otherwise) and,
 * unless told to drop them, its resources (the resource walk of thunks/resource.c over the file
 * as it is on disk). UpdateResource adds or replaces one resource (type, name, language; IDs or
 * strings, strings stored upper-cased as Windows and Wine do) or, with no data and size 0,
 * deletes it (Wine 8.0 keeps it). EndUpdateResource(FALSE) rewrites the file: a new resource directory (types,
 * names, languages in Windows' order: names sorted case-insensitively before IDs sorted by
 * value; directory tables, then data entries, then the names as counted UTF-16, then the data,
 * each on an 8-byte boundary) replaces the old one in its section, whose raw and virtual sizes
 * follow; sections after it move in the file, and in memory to stay adjacent to it when they are
 * all discardable and no data directory but the base relocations' (which follows) points into
 * them (.reloc, a mingw-w64 program's .debug_* sections). The directory goes to a new ".rsrc"
 * section after the last one instead (when the headers have room for its entry; else
 * ERROR_INVALID_DATA) for a file without resources, for one whose directory lies inside another
 * section's data (not at its start: left there as it is), and when a grown directory no longer
 * fits before a section that may not move (the old section keeps its place in memory, its bytes
 * zeroed). Windows' own answer for the last two is not known here (Wine 8.0 loses the old
 * resources in the first and moves the section in the second); sections that code may address
 * never move in memory. Data past the last section (an overlay, the COFF symbol table, the certificate
 * table) keeps its place after the sections, with the pointers to it moved. DataDirectory
 * [RESOURCE], SizeOfImage and SizeOfInitializedData are updated; the CheckSum field is left as
 * it was (Windows does not recompute it). The handle is freed by EndUpdateResource either way. */
#include <stdlib.h>
#include <string.h>
#include "thunks/kernel32/kernel32_private.h"
#include "thunks/resource.h"

#define RU_MAGIC 0x55534552u /* "RESU" */
#define RU_ERROR_BAD_EXE_FORMAT 193u
#define RU_MAX_FILE (1u << 30)
#define RU_DIR_BASERELOC 5
#define RU_DIR_SECURITY 4

BOOL WINAPI ReadFile(HANDLE h, void *buf, DWORD n, DWORD *nread, OVERLAPPED *ov);
BOOL WINAPI WriteFile(HANDLE h, const void *buf, DWORD n, DWORD *written, OVERLAPPED *ov);
BOOL WINAPI SetEndOfFile(HANDLE h);
BOOL WINAPI GetFileSizeEx(HANDLE h, LARGE_INTEGER *size);

typedef struct {
    bool is_id;
    uint16_t id;
    WCHAR *str; /* malloc'd, as given */
    size_t len;
} ru_key;

typedef struct {
    ru_key type, name;
    uint16_t lang;
    uint32_t codepage;
    uint8_t *data;
    uint32_t size;
} ru_res;

typedef struct {
    uint32_t magic;
    WCHAR *path;
    ru_res *res;
    size_t n, cap;
} ru_update;

static uint32_t ru_rd32(const uint8_t *p) { uint32_t v; memcpy(&v, p, 4); return v; }
static uint16_t ru_rd16(const uint8_t *p) { uint16_t v; memcpy(&v, p, 2); return v; }
static void ru_wr32(uint8_t *p, uint32_t v) { memcpy(p, &v, 4); }
static void ru_wr16(uint8_t *p, uint16_t v) { memcpy(p, &v, 2); }
static uint32_t ru_align(uint32_t v, uint32_t a) { return a ? (v + a - 1) / a * a : v; }

/* ---- keys ---- */
static bool ru_key_set(ru_key *k, const WCHAR *p)
{
    memset(k, 0, sizeof *k);
    if ((uintptr_t)p < 0x10000) {
        k->is_id = true;
        k->id = (uint16_t)(uintptr_t)p;
        return true;
    }
    k->len = nt_wcslen(p);
    k->str = malloc((k->len + 1) * sizeof(WCHAR));
    if (!k->str)
        return false;
    for (size_t i = 0; i <= k->len; i++)
        k->str[i] = nt_towupper(p[i]); /* Windows stores them upper-cased, as rc does */
    return true;
}

/* Windows' order: names (upper-cased, code unit by code unit, shorter first) before IDs. */
static int ru_key_cmp(const ru_key *a, const ru_key *b)
{
    if (a->is_id != b->is_id)
        return a->is_id ? 1 : -1;
    if (a->is_id)
        return (a->id > b->id) - (a->id < b->id);
    for (size_t i = 0; i < a->len && i < b->len; i++) {
        WCHAR x = nt_towupper(a->str[i]), y = nt_towupper(b->str[i]);
        if (x != y)
            return x < y ? -1 : 1;
    }
    return (a->len > b->len) - (a->len < b->len);
}

static int ru_res_cmp(const void *pa, const void *pb)
{
    const ru_res *a = pa, *b = pb;
    int c = ru_key_cmp(&a->type, &b->type);
    if (!c)
        c = ru_key_cmp(&a->name, &b->name);
    return c ? c : (a->lang > b->lang) - (a->lang < b->lang);
}

static void ru_res_free(ru_res *r)
{
    free(r->type.str);
    free(r->name.str);
    free(r->data);
}

static void ru_update_free(ru_update *u)
{
    for (size_t i = 0; i < u->n; i++)
        ru_res_free(&u->res[i]);
    free(u->res);
    free(u->path);
    u->magic = 0;
    free(u);
}

/* Adds, replaces or (data NULL) deletes one resource. false: no memory. */
static bool ru_put(ru_update *u, const WCHAR *type, const WCHAR *name, uint16_t lang,
                   const void *data, uint32_t size, uint32_t codepage)
{
    ru_res r = {.lang = lang, .codepage = codepage, .size = size};
    if (!ru_key_set(&r.type, type) || !ru_key_set(&r.name, name) ||
        (data && size && !(r.data = malloc(size)))) {
        ru_res_free(&r);
        return false;
    }
    if (data && size)
        memcpy(r.data, data, size);
    for (size_t i = 0; i < u->n; i++) {
        if (ru_res_cmp(&u->res[i], &r))
            continue;
        ru_res_free(&u->res[i]);
        if (data)
            u->res[i] = r;
        else {
            u->res[i] = u->res[--u->n];
            ru_res_free(&r);
        }
        return true;
    }
    if (!data) {
        ru_res_free(&r);
        return true; /* nothing to delete */
    }
    if (u->n == u->cap) {
        size_t cap = u->cap ? u->cap * 2 : 16;
        ru_res *p = realloc(u->res, cap * sizeof *p);
        if (!p) {
            ru_res_free(&r);
            return false;
        }
        u->res = p;
        u->cap = cap;
    }
    u->res[u->n++] = r;
    return true;
}

/* ---- the file ---- */
static uint8_t *ru_read(const WCHAR *path, size_t *size, uint32_t *err)
{
    HANDLE h = CreateFileW(path, 0x80000000u /* GENERIC_READ */, 1 /* FILE_SHARE_READ */, NULL,
                           3 /* OPEN_EXISTING */, 0, NULL);
    if (h == INVALID_HANDLE_VALUE) {
        *err = GetLastError();
        return NULL;
    }
    LARGE_INTEGER li;
    uint8_t *buf = NULL;
    *err = RU_ERROR_BAD_EXE_FORMAT;
    if (GetFileSizeEx(h, &li) && li.QuadPart >= 0x40 && li.QuadPart <= RU_MAX_FILE) {
        buf = malloc((size_t)li.QuadPart);
        DWORD got = 0;
        if (!buf)
            *err = ERROR_NOT_ENOUGH_MEMORY;
        else if (!ReadFile(h, buf, (DWORD)li.QuadPart, &got, NULL) || got != li.QuadPart) {
            *err = GetLastError();
            free(buf);
            buf = NULL;
        } else {
            *size = (size_t)li.QuadPart;
            *err = 0;
        }
    }
    CloseHandle(h);
    return buf;
}

/* The headers of a PE file in memory. */
typedef struct {
    uint8_t *file;
    size_t size;
    uint32_t pe;    /* offset of "PE\0\0" */
    uint8_t *fh;    /* IMAGE_FILE_HEADER */
    uint8_t *opt;   /* IMAGE_OPTIONAL_HEADER32/64 */
    uint8_t *dirs;  /* DataDirectory */
    uint32_t ndirs;
    uint8_t *sec;   /* section table */
    uint16_t nsec;
    uint32_t sect_align, file_align, headers;
} ru_pe;

static bool ru_parse(uint8_t *file, size_t size, ru_pe *p)
{
    memset(p, 0, sizeof *p);
    p->file = file;
    p->size = size;
    if (size < 0x40 || ru_rd16(file) != 0x5a4d)
        return false;
    p->pe = ru_rd32(file + 0x3c);
    if (p->pe > size - 24 || ru_rd32(file + p->pe) != 0x4550)
        return false;
    p->fh = file + p->pe + 4;
    p->nsec = ru_rd16(p->fh + 2);
    uint16_t optsize = ru_rd16(p->fh + 16);
    p->opt = p->fh + 20;
    if ((size_t)(p->opt - file) + optsize > size)
        return false;
    uint16_t magic = ru_rd16(p->opt);
    uint32_t dirs = magic == 0x20b ? 112 : magic == 0x10b ? 96 : 0;
    if (!dirs || optsize < dirs + 3 * 8)
        return false;
    p->dirs = p->opt + dirs;
    p->ndirs = ru_rd32(p->opt + dirs - 4);
    if (p->ndirs > (optsize - dirs) / 8)
        p->ndirs = (optsize - dirs) / 8;
    if (p->ndirs < 3)
        return false;
    p->sect_align = ru_rd32(p->opt + 32);
    p->file_align = ru_rd32(p->opt + 36);
    p->headers = ru_rd32(p->opt + 60);
    p->sec = p->opt + optsize;
    if ((size_t)(p->sec - file) + (size_t)p->nsec * 40 > size || !p->sect_align ||
        !p->file_align)
        return false;
    for (uint16_t i = 0; i < p->nsec; i++) {
        const uint8_t *s = p->sec + i * 40;
        uint32_t raw = ru_rd32(s + 16), off = ru_rd32(s + 20);
        if (raw && ((uint64_t)off + raw > size))
            return false;
        if (i && ru_rd32(s + 12) <= ru_rd32(s + 12 - 40))
            return false; /* sections in ascending address order */
    }
    return true;
}

/* ---- reading the existing resources (the walk of thunks/resource.c on the file) ---- */
typedef struct {
    ru_update *u;
    const void *module; /* the file's buffer + 1 */
    const WCHAR *type, *name;
    bool failed;
} ru_load;

static bool ru_load_lang(void *ctx, const WCHAR *key, uint16_t lang)
{
    (void)key;
    ru_load *l = ctx;
    const thk_res_data_entry *e;
    uint32_t size;
    const void *data;
    if (thk_res_find(l->module, l->type, l->name, lang, &e) ||
        !(data = thk_res_data(l->module, e, &size)))
        return true; /* a damaged entry is left out */
    if (!ru_put(l->u, l->type, l->name, lang, size ? data : (const void *)"", size, e->CodePage))
        l->failed = true;
    return !l->failed;
}

static bool ru_load_name(void *ctx, const WCHAR *key, uint16_t lang)
{
    (void)lang;
    ru_load *l = ctx;
    l->name = key;
    uint32_t err = thk_res_enum(l->module, 2, l->type, key, ru_load_lang, l);
    return !l->failed && err != ERROR_NOT_ENOUGH_MEMORY;
}

static bool ru_load_type(void *ctx, const WCHAR *key, uint16_t lang)
{
    (void)lang;
    ru_load *l = ctx;
    ru_key k;
    if (!ru_key_set(&k, key)) /* the key lives for this call only: kept for the names' */
        return !(l->failed = true);
    l->type = k.is_id ? key : k.str;
    uint32_t err = thk_res_enum(l->module, 1, l->type, NULL, ru_load_name, l);
    free(k.str);
    return !l->failed && err != ERROR_NOT_ENOUGH_MEMORY;
}

HANDLE WINAPI BeginUpdateResourceW(const WCHAR *path, BOOL delete_existing)
{
    if (!path) {
        thk_set_last_error(ERROR_INVALID_PARAMETER);
        return NULL;
    }
    size_t size;
    uint32_t err;
    uint8_t *file = ru_read(path, &size, &err);
    if (!file) {
        thk_set_last_error(err);
        return NULL;
    }
    ru_pe pe;
    ru_update *u = calloc(1, sizeof *u);
    if (!u || !ru_parse(file, size, &pe)) {
        free(u);
        free(file);
        thk_set_last_error(u ? RU_ERROR_BAD_EXE_FORMAT : ERROR_NOT_ENOUGH_MEMORY);
        return NULL;
    }
    u->magic = RU_MAGIC;
    size_t n = nt_wcslen(path);
    u->path = malloc((n + 1) * sizeof(WCHAR));
    bool ok = u->path != NULL;
    if (ok)
        memcpy(u->path, path, (n + 1) * sizeof(WCHAR));
    if (ok && !delete_existing && ru_rd32(pe.dirs + 2 * 8)) {
        ok = thk_res_view_add(file, size, true);
        if (ok) {
            ru_load l = {.u = u, .module = file + 1};
            thk_res_enum(l.module, 0, NULL, NULL, ru_load_type, &l);
            thk_res_view_remove(file);
            ok = !l.failed;
        }
    }
    free(file);
    if (!ok) {
        ru_update_free(u);
        thk_set_last_error(ERROR_NOT_ENOUGH_MEMORY);
        return NULL;
    }
    return u;
}
THK_EXPORT(kernel32, BeginUpdateResourceW, 2);

HANDLE WINAPI BeginUpdateResourceA(const char *path, BOOL delete_existing)
{
    WCHAR *w;
    HANDLE h = k32_arg_w(path, &w) ? BeginUpdateResourceW(w, delete_existing) : NULL;
    free(w);
    return h;
}
THK_EXPORT(kernel32, BeginUpdateResourceA, 2);

static ru_update *ru_get(HANDLE h)
{
    ru_update *u = h;
    return u && u->magic == RU_MAGIC ? u : NULL;
}

BOOL WINAPI UpdateResourceW(HANDLE h, const WCHAR *type, const WCHAR *name, uint16_t lang,
                            const void *data, DWORD size)
{
    ru_update *u = ru_get(h);
    if (!u || !type || !name || (!data && size)) {
        thk_set_last_error(ERROR_INVALID_PARAMETER);
        return FALSE;
    }
    if (!ru_put(u, type, name, lang, data ? data : NULL, size, 0)) {
        thk_set_last_error(ERROR_NOT_ENOUGH_MEMORY);
        return FALSE;
    }
    return TRUE;
}
THK_EXPORT(kernel32, UpdateResourceW, 6);

BOOL WINAPI UpdateResourceA(HANDLE h, const char *type, const char *name, uint16_t lang,
                            const void *data, DWORD size)
{
    WCHAR *wt = NULL, *wn = NULL;
    const WCHAR *t, *n;
    BOOL r = FALSE;
    if (k32_res_arg_w(type, &t, &wt) && k32_res_arg_w(name, &n, &wn))
        r = UpdateResourceW(h, t, n, lang, data, size);
    free(wt);
    free(wn);
    return r;
}
THK_EXPORT(kernel32, UpdateResourceA, 6);

/* ---- the new directory ---- */
typedef struct {
    uint8_t *p;
    uint32_t size;
} ru_blob;

static void ru_dir_header(uint8_t *d, uint16_t named, uint16_t ids)
{
    memset(d, 0, 16);
    ru_wr16(d + 8, 4); /* MajorVersion 4, as Windows and Wine write it */
    ru_wr16(d + 12, named);
    ru_wr16(d + 14, ids);
}

/* The directory for the sorted resources, its data entries' RVAs based at `rva`. */
static bool ru_build(const ru_update *u, uint32_t rva, ru_blob *out)
{
    const ru_res *r = u->res;
    size_t n = u->n;
    /* count the tables: one root, one per type, one per (type, name) */
    size_t ntypes = 0, nnames = 0, strings = 0, data = 0;
    for (size_t i = 0; i < n; i++) {
        bool new_type = !i || ru_key_cmp(&r[i].type, &r[i - 1].type);
        bool new_name = new_type || ru_key_cmp(&r[i].name, &r[i - 1].name);
        if (new_type) {
            ntypes++;
            if (!r[i].type.is_id)
                strings += 2 + 2 * r[i].type.len;
        }
        if (new_name) {
            nnames++;
            if (!r[i].name.is_id)
                strings += 2 + 2 * r[i].name.len;
        }
        data += ru_align(r[i].size, 8);
    }
    size_t tables = 16 * (1 + ntypes + nnames) + 8 * (ntypes + nnames + n);
    size_t entries_off = tables, strings_off = entries_off + 16 * n;
    size_t data_off = (strings_off + strings + 7) & ~(size_t)7;
    size_t total = data_off + data;
    if (total > RU_MAX_FILE)
        return false;
    uint8_t *b = calloc(1, total);
    if (!b)
        return false;
    /* tables: the root at 0, the type tables after it, then the name tables */
    size_t type_off = 16 + 8 * ntypes;
    size_t name_tables = type_off + 16 * ntypes + 8 * nnames;
    size_t str = strings_off, dat = data_off, entry = entries_off, end = n ? data_off : 16;
    uint16_t root_named = 0, root_ids = 0;
    size_t root_entry = 16, cur_type_table = type_off, cur_name_table = name_tables;
    size_t type_entry = 0, name_entry = 0;
    uint8_t *type_hdr = NULL, *name_hdr = NULL;
    for (size_t i = 0; i < n; i++) {
        bool new_type = !i || ru_key_cmp(&r[i].type, &r[i - 1].type);
        bool new_name = new_type || ru_key_cmp(&r[i].name, &r[i - 1].name);
        if (new_type) {
            /* the root's entry for this type, naming its table */
            uint32_t nm = r[i].type.is_id ? r[i].type.id : 0x80000000u | (uint32_t)str;
            if (!r[i].type.is_id) {
                ru_wr16(b + str, (uint16_t)r[i].type.len);
                memcpy(b + str + 2, r[i].type.str, 2 * r[i].type.len);
                str += 2 + 2 * r[i].type.len;
                root_named++;
            } else {
                root_ids++;
            }
            ru_wr32(b + root_entry, nm);
            ru_wr32(b + root_entry + 4, 0x80000000u | (uint32_t)cur_type_table);
            root_entry += 8;
            type_hdr = b + cur_type_table;
            ru_dir_header(type_hdr, 0, 0);
            type_entry = cur_type_table + 16;
            size_t names = 0;
            for (size_t j = i; j < n && !ru_key_cmp(&r[j].type, &r[i].type); j++)
                names += !(j > i && !ru_key_cmp(&r[j].name, &r[j - 1].name));
            cur_type_table += 16 + 8 * names;
        }
        if (new_name) {
            uint32_t nm = r[i].name.is_id ? r[i].name.id : 0x80000000u | (uint32_t)str;
            if (!r[i].name.is_id) {
                ru_wr16(b + str, (uint16_t)r[i].name.len);
                memcpy(b + str + 2, r[i].name.str, 2 * r[i].name.len);
                str += 2 + 2 * r[i].name.len;
                ru_wr16(type_hdr + 12, (uint16_t)(ru_rd16(type_hdr + 12) + 1));
            } else {
                ru_wr16(type_hdr + 14, (uint16_t)(ru_rd16(type_hdr + 14) + 1));
            }
            ru_wr32(b + type_entry, nm);
            ru_wr32(b + type_entry + 4, 0x80000000u | (uint32_t)cur_name_table);
            type_entry += 8;
            name_hdr = b + cur_name_table;
            ru_dir_header(name_hdr, 0, 0);
            name_entry = cur_name_table + 16;
            size_t langs = 0;
            for (size_t j = i; j < n && !ru_key_cmp(&r[j].type, &r[i].type) &&
                               !ru_key_cmp(&r[j].name, &r[i].name); j++)
                langs++;
            cur_name_table += 16 + 8 * langs;
        }
        ru_wr16(name_hdr + 14, (uint16_t)(ru_rd16(name_hdr + 14) + 1));
        ru_wr32(b + name_entry, r[i].lang);
        ru_wr32(b + name_entry + 4, (uint32_t)entry);
        name_entry += 8;
        /* IMAGE_RESOURCE_DATA_ENTRY */
        ru_wr32(b + entry, rva + (uint32_t)dat);
        ru_wr32(b + entry + 4, r[i].size);
        ru_wr32(b + entry + 8, r[i].codepage);
        entry += 16;
        if (r[i].size)
            memcpy(b + dat, r[i].data, r[i].size);
        end = dat + r[i].size;
        dat += ru_align(r[i].size, 8);
    }
    ru_dir_header(b, root_named, root_ids);
    out->p = b;
    out->size = (uint32_t)end; /* the last data's end, without padding after it */
    return true;
}

/* ---- writing ---- */
static uint8_t *ru_sec(const ru_pe *p, int i) { return p->sec + i * 40; }

/* In memory, a directory of `size` bytes at its section idx (at `va`): the sections after it
 * move by *d_va to stay adjacent when all of them are discardable and no data directory but
 * the base relocations' (which follows) and the certificates' (a file offset) points into
 * them (.reloc, a mingw-w64 program's .debug_* sections); a smaller one keeps covering up to
 * the next section (*vsize). false: it would have to move a section that may not move. */
static bool ru_place_in(const ru_pe *p, int idx, uint32_t va, uint32_t size, int64_t *d_va,
                        uint32_t *vsize)
{
    *d_va = 0;
    *vsize = size;
    if (idx + 1 >= p->nsec)
        return true;
    uint32_t next = ru_rd32(ru_sec(p, idx + 1) + 12);
    uint32_t want = ru_align(va + size, p->sect_align);
    if (want == next)
        return true;
    bool movable = true;
    for (int i = idx + 1; i < p->nsec; i++) {
        uint8_t *s = ru_sec(p, i);
        uint32_t sva = ru_rd32(s + 12), svs = ru_rd32(s + 8);
        if (!(ru_rd32(s + 36) & 0x02000000u)) /* IMAGE_SCN_MEM_DISCARDABLE */
            movable = false;
        for (uint32_t d = 0; d < p->ndirs; d++) /* no other directory may point there */
            if (d != RU_DIR_BASERELOC && d != RU_DIR_SECURITY &&
                ru_rd32(p->dirs + d * 8) >= sva && ru_rd32(p->dirs + d * 8) < sva + svs)
                movable = false;
    }
    if (movable)
        *d_va = (int64_t)want - next;
    else if (want < next)
        *vsize = next - va;
    else
        return false;
    return true;
}

/* The new file for u's resources, or NULL with *err set. */
static uint8_t *ru_rewrite(ru_update *u, uint8_t *file, size_t size, size_t *out_size,
                           uint32_t *err)
{
    ru_pe p;
    *err = RU_ERROR_BAD_EXE_FORMAT;
    if (!ru_parse(file, size, &p))
        return NULL;
    qsort(u->res, u->n, sizeof *u->res, ru_res_cmp);
    uint32_t res_rva = ru_rd32(p.dirs + 2 * 8);
    int idx = -1;
    for (int i = 0; i < p.nsec; i++) {
        uint8_t *s = ru_sec(&p, i);
        uint32_t va = ru_rd32(s + 12), vs = ru_rd32(s + 8), raw = ru_rd32(s + 16);
        uint32_t span = vs > raw ? vs : raw;
        if ((res_rva && res_rva >= va && res_rva - va < span) ||
            (!res_rva && !memcmp(s, ".rsrc\0\0", 8)))
            idx = i;
    }
    /* the end of the sections' raw data: what follows is kept after them */
    uint32_t raw_end = 0;
    for (int i = 0; i < p.nsec; i++) {
        uint8_t *s = ru_sec(&p, i);
        if (ru_rd32(s + 16) && ru_rd32(s + 20) + ru_rd32(s + 16) > raw_end)
            raw_end = ru_rd32(s + 20) + ru_rd32(s + 16);
    }
    if (raw_end < p.headers)
        raw_end = p.headers;
    if (raw_end > size)
        raw_end = (uint32_t)size;
    /* In place: the directory starts its section, which grows or shrinks (the sections after
     * it move in the file, and in memory when they may). Else a new section after the last
     * one: when there is none, when the directory lies inside another section's data (left
     * there as it is), or when a grown one would have to move a section that may not move (the
     * old section is left in its place, emptied). */
    bool added = idx < 0;
    int emptied = -1;
    uint32_t old_raw_off = 0, old_raw_size = 0, va = 0, vsize = 0;
    int64_t d_va = 0;
    ru_blob blob = {0};
    if (!added) {
        uint8_t *s = ru_sec(&p, idx);
        va = ru_rd32(s + 12);
        old_raw_off = ru_rd32(s + 20);
        old_raw_size = ru_rd32(s + 16);
        added = (res_rva && res_rva != va) || !old_raw_size;
    }
    if (!added) {
        if (!ru_build(u, va, &blob)) {
            *err = ERROR_NOT_ENOUGH_MEMORY;
            return NULL;
        }
        vsize = blob.size;
        if (!ru_place_in(&p, idx, va, blob.size, &d_va, &vsize)) {
            free(blob.p);
            blob.p = NULL;
            added = true;
            emptied = idx;
        }
    }
    if (added) { /* a new section after the last one: its header must fit */
        size_t table_end = (size_t)(p.sec - file) + (size_t)(p.nsec + 1) * 40;
        uint32_t first_raw = UINT32_MAX;
        for (int i = 0; i < p.nsec; i++)
            if (ru_rd32(ru_sec(&p, i) + 16) && ru_rd32(ru_sec(&p, i) + 20) < first_raw)
                first_raw = ru_rd32(ru_sec(&p, i) + 20);
        if (table_end > p.headers || table_end > first_raw || !p.nsec) {
            *err = ERROR_INVALID_DATA; /* no room for its header */
            return NULL;
        }
        uint8_t *last = ru_sec(&p, p.nsec - 1);
        va = ru_align(ru_rd32(last + 12) + ru_rd32(last + 8), p.sect_align);
        old_raw_off = ru_align(raw_end, p.file_align);
        old_raw_size = 0;
        d_va = 0;
        if (!ru_build(u, va, &blob)) {
            *err = ERROR_NOT_ENOUGH_MEMORY;
            return NULL;
        }
        vsize = blob.size;
    }
    uint32_t new_raw = ru_align(blob.size, p.file_align);
    int64_t d_raw = (int64_t)new_raw - old_raw_size;
    /* the file from `cut` on moves by `shift` */
    uint32_t cut = added ? raw_end : old_raw_off + old_raw_size;
    int64_t shift = (int64_t)old_raw_off + new_raw - cut;
    size_t new_size = (size_t)((int64_t)size + shift);
    uint8_t *nf = calloc(1, new_size ? new_size : 1);
    if (!nf) {
        free(blob.p);
        *err = ERROR_NOT_ENOUGH_MEMORY;
        return NULL;
    }
    memcpy(nf, file, added ? raw_end : old_raw_off);
    memcpy(nf + old_raw_off, blob.p, blob.size);
    if (size > cut)
        memcpy(nf + old_raw_off + new_raw, file + cut, size - cut);
    free(blob.p);
    if (emptied >= 0) /* before `cut`: where it was; no stale directory left to read */
        memset(nf + ru_rd32(ru_sec(&p, emptied) + 20), 0, ru_rd32(ru_sec(&p, emptied) + 16));
    ru_pe q = p; /* the same headers, now in nf (before `cut`, so where they were) */
    q.file = nf;
    q.size = new_size;
    q.fh = nf + (p.fh - file);
    q.opt = nf + (p.opt - file);
    q.dirs = nf + (p.dirs - file);
    q.sec = nf + (p.sec - file);
    if (added) {
        uint8_t *s = q.sec + q.nsec * 40;
        memset(s, 0, 40);
        memcpy(s, ".rsrc", 5);
        ru_wr32(s + 36, 0x40000040u); /* INITIALIZED_DATA | MEM_READ */
        ru_wr32(s + 12, va);
        ru_wr32(s + 20, old_raw_off);
        ru_wr16(q.fh + 2, (uint16_t)(q.nsec + 1));
        q.nsec++;
        idx = q.nsec - 1;
    }
    uint8_t *s = ru_sec(&q, idx);
    ru_wr32(s + 8, vsize);
    ru_wr32(s + 16, new_raw);
    for (int i = 0; i < q.nsec; i++) {
        uint8_t *t = ru_sec(&q, i);
        if (i != idx && ru_rd32(t + 20) >= cut && ru_rd32(t + 16))
            ru_wr32(t + 20, (uint32_t)(ru_rd32(t + 20) + shift));
        if (i > idx && d_va)
            ru_wr32(t + 12, (uint32_t)(ru_rd32(t + 12) + d_va));
    }
    /* the directories inside moved sections (by the old addresses, once each) */
    for (uint32_t d = 0; d_va && d < q.ndirs; d++) {
        uint32_t dv = ru_rd32(p.dirs + d * 8);
        for (int i = idx + 1; d != RU_DIR_SECURITY && i < p.nsec; i++) {
            uint32_t old = ru_rd32(ru_sec(&p, i) + 12), vs = ru_rd32(ru_sec(&p, i) + 8);
            if (dv >= old && dv < old + vs) {
                ru_wr32(q.dirs + d * 8, (uint32_t)(dv + d_va));
                break;
            }
        }
    }
    /* file offsets past the moved data: the COFF symbol table, the certificate table */
    uint32_t sym = ru_rd32(q.fh + 8);
    if (sym >= cut && sym)
        ru_wr32(q.fh + 8, (uint32_t)(sym + shift));
    if (q.ndirs > RU_DIR_SECURITY) {
        uint32_t cert = ru_rd32(q.dirs + RU_DIR_SECURITY * 8);
        if (cert >= cut && cert)
            ru_wr32(q.dirs + RU_DIR_SECURITY * 8, (uint32_t)(cert + shift));
    }
    ru_wr32(q.dirs + 2 * 8, va);
    ru_wr32(q.dirs + 2 * 8 + 4, u->n ? blob.size : 16);
    uint8_t *last = ru_sec(&q, q.nsec - 1);
    ru_wr32(q.opt + 56, ru_align(ru_rd32(last + 12) + ru_rd32(last + 8), q.sect_align));
    ru_wr32(q.opt + 8, (uint32_t)(ru_rd32(q.opt + 8) + d_raw)); /* SizeOfInitializedData */
    *out_size = new_size;
    *err = 0;
    return nf;
}

BOOL WINAPI EndUpdateResourceW(HANDLE h, BOOL discard)
{
    ru_update *u = ru_get(h);
    if (!u) {
        thk_set_last_error(ERROR_INVALID_PARAMETER);
        return FALSE;
    }
    if (discard) {
        ru_update_free(u);
        return TRUE;
    }
    size_t size, new_size = 0;
    uint32_t err;
    uint8_t *file = ru_read(u->path, &size, &err), *nf = NULL;
    if (file)
        nf = ru_rewrite(u, file, size, &new_size, &err);
    free(file);
    if (nf) {
        HANDLE f = CreateFileW(u->path, 0xC0000000u /* GENERIC_READ | GENERIC_WRITE */, 0, NULL,
                               3 /* OPEN_EXISTING */, 0, NULL);
        DWORD wrote = 0;
        if (f == INVALID_HANDLE_VALUE)
            err = GetLastError();
        else {
            if (!WriteFile(f, nf, (DWORD)new_size, &wrote, NULL) || wrote != new_size ||
                !SetEndOfFile(f))
                err = GetLastError() ? GetLastError() : ERROR_WRITE_PROTECT;
            CloseHandle(f);
        }
        free(nf);
    }
    ru_update_free(u);
    if (err) {
        thk_set_last_error(err);
        return FALSE;
    }
    return TRUE;
}
THK_EXPORT(kernel32, EndUpdateResourceW, 2);

BOOL WINAPI EndUpdateResourceA(HANDLE h, BOOL discard) { return EndUpdateResourceW(h, discard); }
THK_EXPORT(kernel32, EndUpdateResourceA, 2);
