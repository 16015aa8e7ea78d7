/* SPDX-License-Identifier: MIT */
/* cabinet.dll's helpers: libmspack and zlib opened on first use (their sonames are the ones of
 * the libraries the build found, CMakeLists.txt), the ERF writer, the cabinet checksum. */
#include "thunks/cabinet/cabinet_private.h"
#include <dlfcn.h>
#include <pthread.h>
#include <string.h>
#include "runtime/runtime.h"

#if !defined(NTRUN_MSPACK_SONAME) || !defined(NTRUN_Z_SONAME)
#error "the build passes the sonames of libmspack and zlib (CMakeLists.txt)"
#endif

static cab_mspack_api cab_mspack_fns;
static const cab_mspack_api *cab_mspack_table;
static pthread_once_t cab_mspack_once = PTHREAD_ONCE_INIT;

static void *cab_sym(void *h, const char *lib, const char *name, const char *what)
{
    void *p = dlsym(h, name);
    if (!p)
        rt_message("%s has no %s: cabinet.dll's %s fail", lib, name, what);
    return p;
}

static void cab_mspack_load(void)
{
    void *h = dlopen(NTRUN_MSPACK_SONAME, RTLD_NOW | RTLD_LOCAL);
    if (!h) {
        rt_message("cannot load %s (%s): cabinet.dll's FDI functions fail", NTRUN_MSPACK_SONAME,
                   dlerror());
        return;
    }
    const char *what = "FDI functions";
    if (!(*(void **)&cab_mspack_fns.create =
              cab_sym(h, NTRUN_MSPACK_SONAME, "mspack_create_cab_decompressor", what)) ||
        !(*(void **)&cab_mspack_fns.destroy =
              cab_sym(h, NTRUN_MSPACK_SONAME, "mspack_destroy_cab_decompressor", what)))
        return;
    cab_mspack_table = &cab_mspack_fns;
}

const cab_mspack_api *cab_mspack(void)
{
    pthread_once(&cab_mspack_once, cab_mspack_load);
    return cab_mspack_table;
}

static cab_zlib_api cab_zlib_fns;
static const cab_zlib_api *cab_zlib_table;
static pthread_once_t cab_zlib_once = PTHREAD_ONCE_INIT;

static void cab_zlib_load(void)
{
    void *h = dlopen(NTRUN_Z_SONAME, RTLD_NOW | RTLD_LOCAL);
    if (!h) {
        rt_message("cannot load %s (%s): cabinet.dll's FCI functions fail", NTRUN_Z_SONAME,
                   dlerror());
        return;
    }
    const char *what = "FCI functions";
#define CAB_ZSYM(name)                                                                         \
    if (!(*(void **)&cab_zlib_fns.name = cab_sym(h, NTRUN_Z_SONAME, #name, what)))             \
        return;
    CAB_ZSYM(deflateInit2_)
    CAB_ZSYM(deflate)
    CAB_ZSYM(deflateEnd)
    CAB_ZSYM(deflateReset)
#undef CAB_ZSYM
    cab_zlib_table = &cab_zlib_fns;
}

const cab_zlib_api *cab_zlib(void)
{
    pthread_once(&cab_zlib_once, cab_zlib_load);
    return cab_zlib_table;
}

void cab_set_erf(void *perf, int oper, int type)
{
    cab_erf e = {.erfOper = oper, .erfType = type, .fError = oper != 0};
    if (perf)
        (void)nt_copy_to_user(perf, &e, sizeof e);
}

uint32_t cab_checksum(const uint8_t *p, size_t len, uint32_t seed)
{
    size_t i = 0;
    for (; i + 4 <= len; i += 4)
        seed ^= (uint32_t)p[i] | (uint32_t)p[i + 1] << 8 | (uint32_t)p[i + 2] << 16 |
                (uint32_t)p[i + 3] << 24;
    /* The 1-3 bytes left are taken high to low: the first one lands highest. */
    uint32_t tail = 0;
    switch (len - i) {
    case 3: tail |= (uint32_t)p[i++] << 16; /* fall through */
    case 2: tail |= (uint32_t)p[i++] << 8;  /* fall through */
    case 1: tail |= p[i];                   break;
    default: break;
    }
    return seed ^ tail;
}

bool cab_string_from_user(char *buf, size_t max, const char *user)
{
    if (!user || !max)
        return false;
    for (size_t i = 0; i < max; i++) {
        if (nt_copy_from_user(&buf[i], user + i, 1) != 0)
            return false;
        if (!buf[i])
            return true;
    }
    return false;
}

void cab_dos_datetime(const struct mscabd_file *f, uint16_t *date, uint16_t *time)
{
    *date = (uint16_t)(((f->date_y - 1980) & 0x7f) << 9 | ((unsigned char)f->date_m & 0x0f) << 5 |
                       ((unsigned char)f->date_d & 0x1f));
    *time = (uint16_t)(((unsigned char)f->time_h & 0x1f) << 11 |
                       ((unsigned char)f->time_m & 0x3f) << 5 |
                       ((unsigned char)f->time_s >> 1 & 0x1f));
}
