/* SPDX-License-Identifier: MIT */
/* cab_mem (cabinet.h): libmspack reading a cabinet from memory and extracting into memory,
 * through an mspack_system whose two names (the cabinet's, the file being extracted) are
 * recognised by pointer, as libmspack passes back the strings it was given. */
#include "thunks/cabinet/cabinet.h"
#include <stdlib.h>
#include <string.h>
#include "thunks/cabinet/cabinet_private.h"

#define MC_ERROR_INVALID_DATA 13
#define MC_ERROR_NOT_ENOUGH_MEMORY 8
#define MC_ERROR_MOD_NOT_FOUND 126

typedef struct mc_sys {
    struct mspack_system sys; /* first: libmspack passes &sys */
    const uint8_t *data;
    size_t size;
    const char *out_name;
    uint8_t *out;
    size_t out_len, out_cap;
    bool out_oom;
} mc_sys;

struct cab_mem {
    mc_sys s;
    struct mscab_decompressor *d;
    struct mscabd_cabinet *cab;
    struct mscabd_file **files;
    size_t nfiles;
};

static const char mc_cab_name[] = "<cabinet in memory>";

typedef struct mc_file {
    mc_sys *s;
    bool writer;
    size_t pos;
} mc_file;

static struct mspack_file *mc_open(struct mspack_system *self, const char *name, int mode)
{
    mc_sys *s = (mc_sys *)self;
    bool writer = mode == MSPACK_SYS_OPEN_WRITE;
    if (writer ? name != s->out_name : (name != mc_cab_name || mode != MSPACK_SYS_OPEN_READ))
        return NULL;
    mc_file *f = calloc(1, sizeof *f);
    if (f) {
        f->s = s;
        f->writer = writer;
    }
    return (struct mspack_file *)f;
}
static void mc_close(struct mspack_file *file) { free(file); }
static int mc_read(struct mspack_file *file, void *buf, int bytes)
{
    mc_file *f = (mc_file *)file;
    if (f->writer || bytes < 0)
        return -1;
    size_t n = f->pos < f->s->size ? f->s->size - f->pos : 0;
    if (n > (size_t)bytes)
        n = (size_t)bytes;
    memcpy(buf, f->s->data + f->pos, n);
    f->pos += n;
    return (int)n;
}
static int mc_write(struct mspack_file *file, void *buf, int bytes)
{
    mc_file *f = (mc_file *)file;
    mc_sys *s = f->s;
    if (!f->writer || bytes < 0)
        return -1;
    if (s->out_len + (size_t)bytes > s->out_cap) {
        size_t cap = s->out_cap ? s->out_cap : 65536;
        while (cap < s->out_len + (size_t)bytes)
            cap *= 2;
        uint8_t *p = realloc(s->out, cap);
        if (!p) {
            s->out_oom = true;
            return -1;
        }
        s->out = p;
        s->out_cap = cap;
    }
    memcpy(s->out + s->out_len, buf, (size_t)bytes);
    s->out_len += (size_t)bytes;
    return bytes;
}
/* As a file: any position at or after 0; reads past the end give 0 bytes. */
static int mc_seek(struct mspack_file *file, off_t offset, int mode)
{
    mc_file *f = (mc_file *)file;
    off_t base = mode == MSPACK_SYS_SEEK_START ? 0
                 : mode == MSPACK_SYS_SEEK_CUR ? (off_t)f->pos
                                               : (off_t)f->s->size;
    if (f->writer || offset < -base)
        return 1;
    f->pos = (size_t)(base + offset);
    return 0;
}
static off_t mc_tell(struct mspack_file *file) { return (off_t)((mc_file *)file)->pos; }
static void mc_message(struct mspack_file *file, const char *format, ...)
{
    (void)file;
    (void)format;
}
static void *mc_alloc(struct mspack_system *self, size_t bytes)
{
    (void)self;
    return malloc(bytes);
}
static void mc_free(void *p) { free(p); }
static void mc_copy(void *src, void *dst, size_t bytes) { memmove(dst, src, bytes); }

cab_mem *cab_mem_open(const uint8_t *data, size_t size, uint32_t *err)
{
    const cab_mspack_api *api = cab_mspack();
    if (!api) {
        *err = MC_ERROR_MOD_NOT_FOUND;
        return NULL;
    }
    cab_mem *c = calloc(1, sizeof *c);
    if (!c) {
        *err = MC_ERROR_NOT_ENOUGH_MEMORY;
        return NULL;
    }
    c->s = (mc_sys){
        .sys = {mc_open, mc_close, mc_read, mc_write, mc_seek, mc_tell, mc_message, mc_alloc,
                mc_free, mc_copy, NULL},
        .data = data,
        .size = size,
    };
    *err = MC_ERROR_NOT_ENOUGH_MEMORY;
    if (!(c->d = api->create(&c->s.sys)))
        goto fail;
    if (!(c->cab = c->d->open(c->d, mc_cab_name))) {
        if (c->d->last_error(c->d) != MSPACK_ERR_NOMEMORY)
            *err = MC_ERROR_INVALID_DATA;
        goto fail;
    }
    for (struct mscabd_file *f = c->cab->files; f; f = f->next)
        c->nfiles++;
    if (!(c->files = malloc((c->nfiles ? c->nfiles : 1) * sizeof *c->files)))
        goto fail;
    size_t i = 0;
    for (struct mscabd_file *f = c->cab->files; f; f = f->next)
        c->files[i++] = f;
    *err = 0;
    return c;
fail:
    cab_mem_close(c);
    return NULL;
}

bool cab_mem_entry_at(cab_mem *c, size_t i, cab_mem_entry *e)
{
    if (i >= c->nfiles)
        return false;
    const struct mscabd_file *f = c->files[i];
    *e = (cab_mem_entry){.name = f->filename, .size = f->length,
                         .attribs = (uint16_t)f->attribs};
    cab_dos_datetime(f, &e->date, &e->time);
    return true;
}

uint32_t cab_mem_extract(cab_mem *c, size_t i, uint8_t **out, size_t *len)
{
    if (i >= c->nfiles)
        return MC_ERROR_INVALID_DATA;
    struct mscabd_file *f = c->files[i];
    c->s.out_name = f->filename;
    c->s.out = NULL;
    c->s.out_len = c->s.out_cap = 0;
    c->s.out_oom = false;
    int e = c->d->extract(c->d, f, f->filename);
    c->s.out_name = NULL;
    if (e != MSPACK_ERR_OK || c->s.out_len != f->length) {
        free(c->s.out);
        return e == MSPACK_ERR_NOMEMORY || c->s.out_oom ? MC_ERROR_NOT_ENOUGH_MEMORY
                                                        : MC_ERROR_INVALID_DATA;
    }
    *out = c->s.out ? c->s.out : malloc(1);
    *len = c->s.out_len;
    return *out ? 0 : MC_ERROR_NOT_ENOUGH_MEMORY;
}

void cab_mem_close(cab_mem *c)
{
    if (!c)
        return;
    if (c->cab)
        c->d->close(c->d, c->cab);
    if (c->d)
        cab_mspack()->destroy(c->d);
    free(c->files);
    free(c);
}
