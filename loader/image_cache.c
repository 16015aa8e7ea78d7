/* SPDX-License-Identifier: MIT */
/* A cache of laid-out program images, on with NTRUN_IMAGE_CACHE=1 (off by default until the
 * policy of writing under the user's cache directory is settled: issue 12's notes). The first
 * start of an .exe writes its image as the loader lays it out at its preferred base (headers,
 * then each section's raw data at its RVA, no relocation applied) to a file; later starts map
 * that file private at the base (map.c, map_cached), so the image's pages are the page cache's
 * and only the pages written (the IAT, .data, .bss, TLS) become the process's own, as Windows
 * shares an image section's pages. A 14 MB OCaml compiler (bsc.exe -v) takes ~27% less CPU to
 * start with it, a 12 MB one ~42%, a 7.6 MB Go program ~25%; hello.exe gains nothing
 * measurable (docs/performance.md, twenty-fourth pass).
 *
 * An entry is named by the XXH3-128 of the .exe's identity (st_dev, st_ino, st_size, st_mtim,
 * st_ctim: the fstat the start makes anyway) and the layout version: a rewritten .exe gets a new
 * entry. It holds the image's size rounded to pages, then a trailer (magic, the key; written,
 * not read at start: a pread would cost a call). Written to a temporary file in the same
 * directory and renamed: a reader never sees half an entry, concurrent first starts each rename
 * a whole one. An entry whose size is not the image's plus the trailer (a file cut short would
 * raise SIGBUS past its end), or whose headers are not the .exe's, is ignored and today's path
 * taken; so is every failure (no directory, a full disk). The directory holds at most
 * CACHE_MAX_BYTES: the oldest entries go when an entry is written. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include "loader/loader_private.h"
#include "runtime/runtime.h"
#define XXH_INLINE_ALL /* Debian's libxxhash-dev, header-only */
#include <xxhash.h>

#define CACHE_LAYOUT_VERSION 1u
#define CACHE_MAGIC 0x31474d494e52544eull /* "NTRNIMG1" */
#define CACHE_MAX_BYTES (64ull << 20) /* past this, the oldest entries go (on write only) */
#define CACHE_MAX_IMAGE (16ull << 20) /* larger images are not cached */

typedef struct cache_key {
    uint64_t dev, ino, size;
    int64_t mtime_s, mtime_ns, ctime_s, ctime_ns;
    uint32_t version, pad;
} cache_key;

typedef struct cache_trailer {
    uint64_t magic;
    cache_key key;
} cache_trailer;

static cache_key key_of(const struct stat *st)
{
    cache_key k;
    memset(&k, 0, sizeof k);
    k.dev = st->st_dev;
    k.ino = st->st_ino;
    k.size = (uint64_t)st->st_size;
    k.mtime_s = st->st_mtim.tv_sec;
    k.mtime_ns = st->st_mtim.tv_nsec;
    k.ctime_s = st->st_ctim.tv_sec;
    k.ctime_ns = st->st_ctim.tv_nsec;
    k.version = CACHE_LAYOUT_VERSION;
    return k;
}

/* dst = the concatenation of the strings, NULL-terminated list; false when it does not fit.
 * (Not snprintf: a start reaches this, and stdio's formatting is not in start-up's pages.) */
static bool concat(char *dst, size_t cap, const char *const *parts)
{
    size_t n = 0;
    for (; *parts; parts++) {
        size_t l = strlen(*parts);
        if (l >= cap - n)
            return false;
        memcpy(dst + n, *parts, l);
        n += l;
    }
    dst[n] = 0;
    return true;
}

/* NTRUN_IMAGE_CACHE=1 turns the cache on; the directory is $NTRUN_IMAGE_CACHE_DIR, else
 * $XDG_CACHE_HOME/ntrun/images, else ~/.cache/ntrun/images (the XDG base directory rule; the
 * project's other per-user state, ~/.ntrun, is the C: drive, which a program sees). Read on
 * each call (once a start). */
static bool cache_dir(char *dir, size_t cap)
{
    /* no static copy: its page would be one more that start-up writes */
    const char *on = getenv("NTRUN_IMAGE_CACHE");
    if (!on || strcmp(on, "1") != 0)
        return false;
    const char *d = getenv("NTRUN_IMAGE_CACHE_DIR"), *x = getenv("XDG_CACHE_HOME"),
               *home = getenv("HOME");
    bool ok;
    if (d && *d == '/')
        ok = concat(dir, cap, (const char *const[]){d, NULL});
    else if (x && *x == '/')
        ok = concat(dir, cap, (const char *const[]){x, "/ntrun/images", NULL});
    else if (home && *home == '/')
        ok = concat(dir, cap, (const char *const[]){home, "/.cache/ntrun/images", NULL});
    else
        ok = false;
    return ok && strlen(dir) + 64 < cap;
}

static char hex_digit(unsigned v)
{
    return (char)(v < 10 ? '0' + v : 'a' + v - 10);
}

/* dir/<32 hex digits>.img (no string literal: start-up's read-only data pages do not hold
 * them, and a start with the cache would fault a page of .rodata for each) */
static void entry_path(char *out, size_t outlen, const char *dir, const cache_key *k)
{
    XXH128_hash_t h = XXH3_128bits(k, sizeof *k);
    char name[40];
    name[0] = '/';
    for (int i = 0; i < 16; i++) {
        name[1 + i] = hex_digit((h.high64 >> (60 - 4 * i)) & 15);
        name[17 + i] = hex_digit((h.low64 >> (60 - 4 * i)) & 15);
    }
    uint32_t ext = 0x676d692eu; /* ".img", stored as an immediate */
    memcpy(name + 33, &ext, 4);
    name[37] = 0;
    concat(out, outlen, (const char *const[]){dir, name, NULL});
}

/* Can pe's image be cached at all? Page-aligned sections (smaller alignments make the image
 * read-write-execute as a whole, with sections sharing pages) and a size worth a file. */
static bool cacheable(const ldr_pe *pe, size_t size)
{
    return pe->section_alignment >= LDR_PAGE_SIZE && size && size <= CACHE_MAX_IMAGE &&
           pe->file_st_valid;
}

int ldr_image_cache_open(const ldr_pe *pe, size_t size)
{
    char dir[512];
    if (!cacheable(pe, size) || !cache_dir(dir, sizeof dir))
        return -1;
    cache_key k = key_of(&pe->file_st);
    char path[600];
    entry_path(path, sizeof path, dir, &k);
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
    if (fd < 0)
        return errno == ENOENT ? -ENOENT : -1;
    /* a file cut short would fault SIGBUS where the image lies past its end */
    struct stat st;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) ||
        (uint64_t)st.st_size != size + sizeof(cache_trailer)) {
        if (RT_TRACING(RT_TRACE_LOADER))
            rt_trace("loader", "image cache entry %s ignored: not the image's size", path);
        close(fd);
        return -1;
    }
    if (RT_TRACING(RT_TRACE_LOADER))
        rt_trace("loader", "image cache entry %s found", path);
    return fd;
}

bool ldr_image_cache_check(const ldr_pe *pe, const uint8_t *base, size_t size)
{
    /* a loop, not memcmp: the page of libc's memcmp is not one start-up has present */
    size_t hdr = pe->size_of_headers < pe->file_size ? pe->size_of_headers : pe->file_size;
    bool same = hdr <= size;
    for (size_t i = 0; same && i < hdr; i++)
        same = base[i] == pe->file[i];
    if (!same && RT_TRACING(RT_TRACE_LOADER))
        rt_trace("loader", "image cache entry ignored: its headers are not the program's");
    return same;
}

static int write_all(int fd, const void *buf, size_t len, off_t off)
{
    const uint8_t *b = buf;
    while (len) {
        ssize_t n = pwrite(fd, b, len, off);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return -1;
        b += n;
        len -= (size_t)n;
        off += n;
    }
    return 0;
}

/* Removes the oldest entries (by modification time) while the directory holds more than
 * CACHE_MAX_BYTES. Temporary files of writers that died are removed when an hour old. */
static void evict(const char *dir, uint64_t adding)
{
    DIR *d = opendir(dir);
    if (!d)
        return;
    int dfd = dirfd(d);
    struct ent { char name[64]; time_t mtime; uint64_t size; } *ents = NULL;
    size_t n = 0, cap = 0;
    uint64_t total = adding;
    time_t now = time(NULL);
    struct dirent *de;
    while ((de = readdir(d))) {
        if (de->d_name[0] == '.' || strlen(de->d_name) >= 64)
            continue;
        struct stat st;
        if (fstatat(dfd, de->d_name, &st, AT_SYMLINK_NOFOLLOW) != 0 || !S_ISREG(st.st_mode))
            continue;
        if (strncmp(de->d_name, "tmp-", 4) == 0) {
            if (now - st.st_mtime > 3600)
                unlinkat(dfd, de->d_name, 0);
            continue;
        }
        if (n == cap) {
            size_t nc = cap ? cap * 2 : 64;
            struct ent *ne = realloc(ents, nc * sizeof *ne);
            if (!ne)
                break;
            ents = ne;
            cap = nc;
        }
        snprintf(ents[n].name, sizeof ents[n].name, "%s", de->d_name);
        ents[n].mtime = st.st_mtime;
        ents[n].size = (uint64_t)st.st_blocks * 512;
        total += ents[n].size;
        n++;
    }
    while (total > CACHE_MAX_BYTES && n) {
        size_t old = 0;
        for (size_t i = 1; i < n; i++)
            if (ents[i].mtime < ents[old].mtime)
                old = i;
        if (unlinkat(dfd, ents[old].name, 0) == 0 && RT_TRACING(RT_TRACE_LOADER))
            rt_trace("loader", "image cache: evicted %s", ents[old].name);
        total -= ents[old].size < total ? ents[old].size : total;
        ents[old] = ents[--n];
    }
    free(ents);
    closedir(d);
}

static int mkdirs(const char *dir)
{
    char p[600];
    snprintf(p, sizeof p, "%s", dir);
    for (char *s = p + 1; *s; s++) {
        if (*s != '/')
            continue;
        *s = 0;
        if (mkdir(p, 0700) != 0 && errno != EEXIST)
            return -1;
        *s = '/';
    }
    return mkdir(p, 0700) == 0 || errno == EEXIST ? 0 : -1;
}

void ldr_image_cache_store(const ldr_pe *pe, size_t size)
{
    char dir[512];
    if (!cacheable(pe, size) || !cache_dir(dir, sizeof dir))
        return;
    cache_key k = key_of(&pe->file_st);
    char path[600], tmp[640];
    entry_path(path, sizeof path, dir, &k);
    if (mkdirs(dir) != 0)
        return;
    snprintf(tmp, sizeof tmp, "%s/tmp-%d-XXXXXX", dir, (int)getpid());
    int fd = mkostemp(tmp, O_CLOEXEC);
    if (fd < 0)
        return; /* a directory we cannot write: no scan for eviction either, on every start */
    evict(dir, size + sizeof(cache_trailer));
    /* The layout ldr_map_image_at makes at the preferred base: headers, then the sections in
     * table order (a later one wins where they overlap), the DWARF ones last; zeros elsewhere
     * (the file is sparse there). */
    size_t hdr = pe->size_of_headers < pe->file_size ? pe->size_of_headers : pe->file_size;
    if (hdr > size)
        hdr = size;
    cache_trailer t = {CACHE_MAGIC, k};
    if (ftruncate(fd, (off_t)(size + sizeof t)) != 0 || write_all(fd, pe->file, hdr, 0) != 0)
        goto remove_tmp;
    for (int pass = 0; pass < 2; pass++) {
        for (uint32_t i = 0; i < pe->nsections; i++) {
            const ldr_section *s = &pe->sections[i];
            /* map.c's section_dwarf: those are copied in a second pass */
            bool dwarf = strncmp(s->name, ".debug_", 7) == 0 &&
                         !(s->characteristics & (IMAGE_SCN_MEM_WRITE | IMAGE_SCN_MEM_EXECUTE)) &&
                         s->vaddr % LDR_PAGE_SIZE == 0;
            if (!s->raw_size || dwarf != (pass == 1) || s->vaddr >= size)
                continue;
            size_t n = s->raw_size;
            if (n > size - s->vaddr)
                n = size - s->vaddr;
            if (write_all(fd, pe->file + s->raw_offset, n, s->vaddr) != 0)
                goto remove_tmp;
        }
    }
    if (write_all(fd, &t, sizeof t, (off_t)size) != 0 || rename(tmp, path) != 0)
        goto remove_tmp;
    close(fd);
    if (RT_TRACING(RT_TRACE_LOADER))
        rt_trace("loader", "image cache entry %s written", path);
    return;
remove_tmp:
    unlink(tmp);
    close(fd);
}
