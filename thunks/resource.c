/* SPDX-License-Identifier: MIT */
/* PE resource directories (thunks/resource.h). The directory is a three-level tree (type, name,
 * language) of IMAGE_RESOURCE_DIRECTORY nodes, each followed by its named entries (sorted by
 * upper-cased name) and its ID entries (sorted by ID); offsets inside the tree are relative to
 * the directory's start, data entries hold RVAs. Every offset is checked against the image
 * size: a damaged directory gives "not found", never a read outside the image.
 * A module handle is an image's base, or a data file's view (LoadLibraryEx's
 * LOAD_LIBRARY_AS_DATAFILE: base + 1, the file as it is on disk, RVAs found through the
 * section table; LOAD_LIBRARY_AS_IMAGE_RESOURCE: base + 2, laid out as an image), which
 * kernel32 registers here with its size. PE32 and PE32+ headers are both read. */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include "ntemu/ntemu.h"
#include "runtime/runtime.h"
#include "thunks/resource.h"

typedef struct {
    uint32_t Characteristics;      /* 0x00 */
    uint32_t TimeDateStamp;        /* 0x04 */
    uint16_t MajorVersion;         /* 0x08 */
    uint16_t MinorVersion;         /* 0x0a */
    uint16_t NumberOfNamedEntries; /* 0x0c */
    uint16_t NumberOfIdEntries;    /* 0x0e */
} res_dir;
_Static_assert(sizeof(res_dir) == 0x10, "IMAGE_RESOURCE_DIRECTORY");

typedef struct {
    uint32_t Name;         /* 0x00: bit 31 set: offset of a counted UTF-16 name; else the ID */
    uint32_t OffsetToData; /* 0x04: bit 31 set: offset of a subdirectory; else a data entry */
} res_dir_entry;
_Static_assert(sizeof(res_dir_entry) == 8, "IMAGE_RESOURCE_DIRECTORY_ENTRY");
_Static_assert(sizeof(thk_res_data_entry) == 16, "IMAGE_RESOURCE_DATA_ENTRY");

#define RES_HIGH_BIT 0x80000000u

typedef struct {
    const uint8_t *base; /* image or view */
    uint32_t image_size; /* an image's SizeOfImage; a flat view's size */
    uint32_t rva, size;  /* the resource directory */
    const uint8_t *dir;  /* its first byte */
    bool flat;           /* a data file's view: RVAs go through the section table */
    uint32_t headers;    /* SizeOfHeaders */
    uint32_t nsec;
    const uint8_t *sec;  /* the section table (inside the view) */
} res_image;

/* ---- data-file views (kernel32's LoadLibraryEx registers them) ---- */
#define RES_MAX_VIEWS 64
static struct {
    const uint8_t *base;
    size_t size;
    bool flat;
} res_views[RES_MAX_VIEWS];
static pthread_mutex_t res_views_lock = PTHREAD_MUTEX_INITIALIZER;

bool thk_res_view_add(const void *base, size_t size, bool flat)
{
    bool ok = false;
    pthread_mutex_lock(&res_views_lock);
    for (int i = 0; i < RES_MAX_VIEWS && !ok; i++)
        if (!res_views[i].base) {
            res_views[i].base = base;
            res_views[i].size = size;
            res_views[i].flat = flat;
            ok = true;
        }
    pthread_mutex_unlock(&res_views_lock);
    return ok;
}

bool thk_res_view_remove(const void *base)
{
    bool ok = false;
    pthread_mutex_lock(&res_views_lock);
    for (int i = 0; i < RES_MAX_VIEWS && !ok; i++)
        if (res_views[i].base == base) {
            res_views[i].base = NULL;
            ok = true;
        }
    pthread_mutex_unlock(&res_views_lock);
    return ok;
}

/* A data file's view behind a module handle with a low bit set; false when none. */
static bool res_view_find(const void *base, size_t *size, bool *flat)
{
    bool ok = false;
    pthread_mutex_lock(&res_views_lock);
    for (int i = 0; i < RES_MAX_VIEWS && !ok; i++)
        if (res_views[i].base && res_views[i].base == base) {
            *size = res_views[i].size;
            *flat = res_views[i].flat;
            ok = true;
        }
    pthread_mutex_unlock(&res_views_lock);
    return ok;
}

/* Pointer to `len` bytes at `rva` of the image, or NULL outside it (a flat view: outside the
 * raw data of the section that holds the RVA, or of the headers). */
static const uint8_t *res_rva(const res_image *img, uint32_t rva, uint32_t len)
{
    if (!img->flat)
        return rva < img->image_size && len <= img->image_size - rva ? img->base + rva : NULL;
    if (rva < img->headers)
        return len <= img->headers - rva ? img->base + rva : NULL;
    for (uint32_t i = 0; i < img->nsec; i++) {
        const uint8_t *h = img->sec + i * 40;
        uint32_t vsize, va, raw_size, raw;
        memcpy(&vsize, h + 8, 4);
        memcpy(&va, h + 12, 4);
        memcpy(&raw_size, h + 16, 4);
        memcpy(&raw, h + 20, 4);
        uint32_t span = vsize > raw_size ? vsize : raw_size;
        if (rva < va || rva - va >= span)
            continue;
        uint32_t d = rva - va;
        if (d > raw_size || len > raw_size - d || raw > img->image_size ||
            (uint64_t)raw + d + len > img->image_size)
            return NULL;
        return img->base + raw + d;
    }
    return NULL;
}

/* The image's resource directory; false when it has none or its headers are damaged. */
static bool res_open(const void *module, res_image *img)
{
    uint8_t h[0x40 + 24 + 112 + 3 * 8];
    uint32_t pe;
    memset(img, 0, sizeof *img);
    const uint8_t *base = (const uint8_t *)((uintptr_t)module & ~(uintptr_t)3);
    size_t view_size = 0;
    bool flat = false;
    if (((uintptr_t)module & 3) && !res_view_find(base, &view_size, &flat))
        return false; /* a data file's handle that LoadLibraryEx did not give */
    if (!base || rt_safe_copy(h, base, 0x40) != 0 || h[0] != 'M' || h[1] != 'Z')
        return false;
    memcpy(&pe, h + 0x3c, 4);
    if (pe > 0x1000 || rt_safe_copy(h + 0x40, base + pe, sizeof h - 0x40) != 0 ||
        memcmp(h + 0x40, "PE\0\0", 4) != 0)
        return false;
    uint16_t nsec, optsize, magic;
    memcpy(&nsec, h + 0x40 + 6, 2);
    memcpy(&optsize, h + 0x40 + 20, 2);
    const uint8_t *opt = h + 0x40 + 24; /* IMAGE_OPTIONAL_HEADER32/64 */
    memcpy(&magic, opt, 2);
    uint32_t dirs = magic == 0x20b ? 112 : 96; /* DataDirectory */
    uint32_t ndirs;
    memcpy(&img->image_size, opt + 56, 4); /* SizeOfImage */
    memcpy(&img->headers, opt + 60, 4);    /* SizeOfHeaders */
    memcpy(&ndirs, opt + dirs - 4, 4);     /* NumberOfRvaAndSizes */
    memcpy(&img->rva, opt + dirs + 2 * 8, 4); /* DataDirectory[IMAGE_DIRECTORY_ENTRY_RESOURCE] */
    memcpy(&img->size, opt + dirs + 2 * 8 + 4, 4);
    img->base = base;
    if ((magic != 0x20b && magic != 0x10b) || ndirs <= 2 || !img->rva ||
        img->size < sizeof(res_dir))
        return false;
    if (flat) {
        uint64_t sec_off = (uint64_t)pe + 24 + optsize;
        if (view_size > UINT32_MAX || sec_off + (uint64_t)nsec * 40 > view_size)
            return false;
        img->flat = true;
        img->image_size = (uint32_t)view_size;
        img->sec = base + sec_off;
        img->nsec = nsec;
        if (img->headers > img->image_size)
            img->headers = img->image_size;
    } else if (view_size && img->image_size > view_size) {
        return false;
    }
    img->dir = res_rva(img, img->rva, img->size);
    return img->dir != NULL;
}

/* Pointer to `len` bytes at offset `off` of the directory, or NULL if outside it. */
static const void *res_at(const res_image *img, uint32_t off, uint32_t len)
{
    if (off > img->size || len > img->size - off)
        return NULL;
    return img->dir + off;
}

/* A key: an ID, or an upper-cased name. */
typedef struct {
    bool is_id;
    uint16_t id;
    WCHAR *name; /* malloc'd, upper case */
    size_t len;
} res_key;

/* Windows compares resource names upper-cased with its one-to-one case table (the
 * RtlUpcaseUnicodeChar one, ntemu/utf.c), not with the C library's locale: U+0131 and U+017F
 * stay as they are, so "\u0131" does not find a resource named "I". */
static WCHAR res_upper(WCHAR c)
{
    return nt_towupper(c);
}

/* MAKEINTRESOURCE value, "#123", or a name. 0 or a Win32 error. */
static uint32_t res_key_make(const WCHAR *p, res_key *k)
{
    memset(k, 0, sizeof *k);
    if ((uintptr_t)p < 0x10000) {
        k->is_id = true;
        k->id = (uint16_t)(uintptr_t)p;
        return 0;
    }
    WCHAR *s = nt_strdup_from_user_w(p, 0x10000);
    if (!s)
        return 998; /* ERROR_NOACCESS */
    size_t n = nt_wcslen(s);
    if (s[0] == '#' && n > 1) {
        unsigned v = 0;
        size_t i = 1;
        for (; i < n && s[i] >= '0' && s[i] <= '9' && v < 0x10000; i++)
            v = v * 10 + (unsigned)(s[i] - '0');
        if (i == n && v < 0x10000) {
            free(s);
            k->is_id = true;
            k->id = (uint16_t)v;
            return 0;
        }
    }
    for (size_t i = 0; i < n; i++)
        s[i] = res_upper(s[i]);
    k->name = s;
    k->len = n;
    return 0;
}

/* The directory at `off`: its entry count and first entry; false if damaged. */
static bool res_dir_entries(const res_image *img, uint32_t off, const res_dir_entry **first,
                            uint32_t *named, uint32_t *ids)
{
    const res_dir *d = res_at(img, off, sizeof *d);
    if (!d)
        return false;
    *named = d->NumberOfNamedEntries;
    *ids = d->NumberOfIdEntries;
    *first = res_at(img, off + sizeof *d, (*named + *ids) * (uint32_t)sizeof(res_dir_entry));
    return *first != NULL;
}

/* Compares entry e's name with key k (names only): <0, 0, >0 as e's name sorts. */
static int res_name_cmp(const res_image *img, const res_dir_entry *e, const res_key *k)
{
    const uint16_t *len = res_at(img, e->Name & ~RES_HIGH_BIT, 2);
    if (!len)
        return 1;
    const WCHAR *s = res_at(img, (e->Name & ~RES_HIGH_BIT) + 2, *len * 2u);
    if (!s)
        return 1;
    for (size_t i = 0; i < *len && i < k->len; i++) {
        WCHAR c = res_upper(s[i]);
        if (c != k->name[i])
            return c < k->name[i] ? -1 : 1;
    }
    return *len < k->len ? -1 : *len > k->len;
}

/* The entry of directory `off` matching k, or NULL. */
static const res_dir_entry *res_lookup(const res_image *img, uint32_t off, const res_key *k)
{
    const res_dir_entry *e;
    uint32_t named, ids;
    if (!res_dir_entries(img, off, &e, &named, &ids))
        return NULL;
    if (k->is_id) {
        for (uint32_t i = named; i < named + ids; i++)
            if (!(e[i].Name & RES_HIGH_BIT) && (e[i].Name & 0xffff) == k->id)
                return &e[i];
        return NULL;
    }
    for (uint32_t i = 0; i < named; i++)
        if ((e[i].Name & RES_HIGH_BIT) && res_name_cmp(img, &e[i], k) == 0)
            return &e[i];
    return NULL;
}

/* The language entry of directory `off`: `lang` exactly, or Windows' default choice. */
static const res_dir_entry *res_lookup_lang(const res_image *img, uint32_t off, int lang)
{
    const res_dir_entry *e;
    uint32_t named, ids;
    if (!res_dir_entries(img, off, &e, &named, &ids) || !ids)
        return NULL;
    static const uint16_t order[] = {0x0000, 0x0400, 0x0800, 0x0409, 0x0009};
    res_key k = {.is_id = true};
    if (lang != THK_RES_LANG_DEFAULT) {
        k.id = (uint16_t)lang;
        const res_dir_entry *r = res_lookup(img, off, &k);
        if (r || (lang & 0x3ff) != 0)
            return r; /* a specific language must exist; LANG_NEUTRAL falls back as below */
    }
    for (size_t i = 0; i < sizeof order / sizeof order[0]; i++) {
        k.id = order[i];
        const res_dir_entry *r = res_lookup(img, off, &k);
        if (r)
            return r;
    }
    for (uint32_t i = named; i < named + ids; i++)
        if ((e[i].Name & 0x3ff) == 0x09) /* LANG_ENGLISH, any sublanguage */
            return &e[i];
    return &e[named];
}

uint32_t thk_res_find(const void *base, const WCHAR *type, const WCHAR *name, int lang,
                      const thk_res_data_entry **entry)
{
    *entry = NULL;
    res_image img;
    if (!res_open(base, &img))
        return THK_RES_ERROR_DATA_NOT_FOUND;
    res_key kt, kn;
    uint32_t err = res_key_make(type, &kt);
    if (err)
        return err;
    err = res_key_make(name, &kn);
    if (err) {
        free(kt.name);
        return err;
    }
    const res_dir_entry *e = res_lookup(&img, 0, &kt);
    if (!e || !(e->OffsetToData & RES_HIGH_BIT)) {
        err = THK_RES_ERROR_TYPE_NOT_FOUND;
        goto out;
    }
    e = res_lookup(&img, e->OffsetToData & ~RES_HIGH_BIT, &kn);
    if (!e || !(e->OffsetToData & RES_HIGH_BIT)) {
        err = THK_RES_ERROR_NAME_NOT_FOUND;
        goto out;
    }
    e = res_lookup_lang(&img, e->OffsetToData & ~RES_HIGH_BIT, lang);
    if (!e || (e->OffsetToData & RES_HIGH_BIT)) {
        err = THK_RES_ERROR_LANG_NOT_FOUND;
        goto out;
    }
    *entry = res_at(&img, e->OffsetToData, sizeof(thk_res_data_entry));
    if (!*entry)
        err = THK_RES_ERROR_LANG_NOT_FOUND;
out:
    free(kt.name);
    free(kn.name);
    return err;
}

int thk_res_entry_valid(const void *base, const thk_res_data_entry *entry)
{
    res_image img;
    if (!res_open(base, &img))
        return 0;
    const uint8_t *p = (const uint8_t *)entry, *start = img.dir;
    return p >= start && p + sizeof *entry <= start + img.size;
}

const void *thk_res_data(const void *base, const thk_res_data_entry *entry, uint32_t *size)
{
    res_image img;
    *size = 0;
    if (!res_open(base, &img) || !thk_res_entry_valid(base, entry))
        return NULL;
    const uint8_t *p = res_rva(&img, entry->OffsetToData, entry->Size);
    if (p)
        *size = entry->Size;
    return p;
}

/* The subdirectory offset of the entry matching k in directory `off`, or an error. */
static uint32_t res_subdir(const res_image *img, uint32_t off, const WCHAR *key, uint32_t notfound,
                           uint32_t *sub)
{
    res_key k;
    uint32_t err = res_key_make(key, &k);
    if (err)
        return err;
    const res_dir_entry *e = res_lookup(img, off, &k);
    free(k.name);
    if (!e || !(e->OffsetToData & RES_HIGH_BIT))
        return notfound;
    *sub = e->OffsetToData & ~RES_HIGH_BIT;
    return 0;
}

uint32_t thk_res_enum(const void *module, int level, const WCHAR *type, const WCHAR *name,
                      thk_res_enum_fn fn, void *ctx)
{
    res_image img;
    if (!res_open(module, &img))
        return THK_RES_ERROR_DATA_NOT_FOUND;
    uint32_t off = 0, err = 0;
    if (level >= 1 && (err = res_subdir(&img, 0, type, THK_RES_ERROR_TYPE_NOT_FOUND, &off)))
        return err;
    if (level >= 2 && (err = res_subdir(&img, off, name, THK_RES_ERROR_NAME_NOT_FOUND, &off)))
        return err;
    const res_dir_entry *e;
    uint32_t named, ids;
    if (!res_dir_entries(&img, off, &e, &named, &ids))
        return level == 0 ? THK_RES_ERROR_DATA_NOT_FOUND
               : level == 1 ? THK_RES_ERROR_TYPE_NOT_FOUND : THK_RES_ERROR_NAME_NOT_FOUND;
    for (uint32_t i = 0; i < named + ids; i++) {
        res_dir_entry ent = e[i];
        WCHAR *copy = NULL;
        const WCHAR *key = (const WCHAR *)(uintptr_t)(ent.Name & 0xffff);
        if (ent.Name & RES_HIGH_BIT) {
            const uint16_t *len = res_at(&img, ent.Name & ~RES_HIGH_BIT, 2);
            const WCHAR *s = len ? res_at(&img, (ent.Name & ~RES_HIGH_BIT) + 2, *len * 2u) : NULL;
            if (!s)
                continue; /* a damaged name: skipped */
            copy = malloc((*len + 1u) * sizeof(WCHAR));
            if (!copy)
                return 8; /* ERROR_NOT_ENOUGH_MEMORY */
            memcpy(copy, s, *len * sizeof(WCHAR));
            copy[*len] = 0;
            key = copy;
        }
        bool go_on = level == 2 ? fn(ctx, NULL, (uint16_t)(ent.Name & 0xffff)) : fn(ctx, key, 0);
        free(copy);
        if (!go_on)
            return THK_RES_ERROR_ENUM_USER_STOP;
    }
    return 0;
}
