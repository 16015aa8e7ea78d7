/* SPDX-License-Identifier: MIT */
/* Import binding: walks the import directory of a mapped image, validating each descriptor, name
 * and thunk against the image, and fills the import address table. Built-in DLLs resolve through
 * thk_import (by name or ordinal; the DLL's image is built on first use); an export ntrun does not
 * implement, or one no DLL has, is bound to a stub that reports the call, or in strict mode the
 * load is refused with every missing import listed, one per line. Also the export lookup used for that (and later for foreign DLLs). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "loader/loader_private.h"
#include "thunks/thunks.h"

/* Length of the NUL-terminated string at rva inside the image, or -1 if it runs off the end. */
static long image_strlen(const uint8_t *image, size_t size, uint64_t rva)
{
    if (rva >= size)
        return -1;
    const uint8_t *nul = memchr(image + rva, 0, size - rva);
    return nul ? (long)(nul - (image + rva)) : -1;
}

/* strcmp order of export name i against `name`; a name outside the image sorts last. */
static int export_name_cmp(const uint8_t *image, size_t size, uint32_t names_rva, uint32_t i,
                           const char *name, size_t name_len)
{
    uint32_t nrva;
    memcpy(&nrva, image + names_rva + 4ull * i, 4);
    if (image_strlen(image, size, nrva) < 0)
        return 1;
    return strncmp((const char *)image + nrva, name, name_len + 1);
}

void *ldr_export_entry(const uint8_t *image, size_t size, const char *name, uint16_t hint,
                       uint32_t ordinal, bool by_ordinal, const char **forwarder)
{
    if (forwarder)
        *forwarder = NULL;
    IMAGE_DOS_HEADER dos;
    if (!image || size < sizeof dos)
        return NULL;
    memcpy(&dos, image, sizeof dos);
    uint64_t opt_off = (uint64_t)(uint32_t)dos.e_lfanew + 4 + sizeof(IMAGE_FILE_HEADER);
    uint64_t dir_off = opt_off + offsetof(IMAGE_OPTIONAL_HEADER64, DataDirectory);
    if (dos.e_lfanew < 0 || dir_off + sizeof(IMAGE_DATA_DIRECTORY) > size)
        return NULL;
    IMAGE_DATA_DIRECTORY dd;
    memcpy(&dd, image + dir_off, sizeof dd);
    if (!dd.VirtualAddress || (uint64_t)dd.VirtualAddress + sizeof(IMAGE_EXPORT_DIRECTORY) > size)
        return NULL;
    IMAGE_EXPORT_DIRECTORY ed;
    memcpy(&ed, image + dd.VirtualAddress, sizeof ed);
    if ((uint64_t)ed.AddressOfNames + 4ull * ed.NumberOfNames > size ||
        (uint64_t)ed.AddressOfNameOrdinals + 2ull * ed.NumberOfNames > size ||
        (uint64_t)ed.AddressOfFunctions + 4ull * ed.NumberOfFunctions > size)
        return NULL;
    uint32_t idx;
    if (by_ordinal) {
        if (ordinal < ed.Base)
            return NULL;
        idx = ordinal - ed.Base;
    } else {
        size_t name_len = strlen(name);
        long found = -1;
        if (hint < ed.NumberOfNames &&
            export_name_cmp(image, size, ed.AddressOfNames, hint, name, name_len) == 0)
            found = hint;
        if (found < 0) {
            uint32_t lo = 0, hi = ed.NumberOfNames;
            while (lo < hi) {
                uint32_t mid = lo + (hi - lo) / 2;
                int c = export_name_cmp(image, size, ed.AddressOfNames, mid, name, name_len);
                if (c == 0) {
                    found = mid;
                    break;
                }
                if (c < 0)
                    lo = mid + 1;
                else
                    hi = mid;
            }
        }
        if (found < 0)
            return NULL;
        uint16_t i16;
        memcpy(&i16, image + ed.AddressOfNameOrdinals + 2ull * (uint64_t)found, 2);
        idx = i16;
    }
    if (idx >= ed.NumberOfFunctions)
        return NULL;
    uint32_t frva;
    memcpy(&frva, image + ed.AddressOfFunctions + 4ull * idx, 4);
    if (frva == 0 || frva >= size)
        return NULL;
    if (frva >= dd.VirtualAddress && frva < (uint64_t)dd.VirtualAddress + dd.Size) {
        /* a forwarder string ("DLL.name" or "DLL.#12") */
        if (forwarder && image_strlen(image, size, frva) > 0)
            *forwarder = (const char *)image + frva;
        return NULL;
    }
    return (void *)(image + frva);
}

void *ldr_find_export(const uint8_t *image, size_t size, const char *name, uint16_t hint)
{
    return ldr_export_entry(image, size, name, hint, 0, false, NULL);
}

/* SizeOfImage of a mapped image whose headers we trust (a built-in DLL), or 0. */
size_t ldr_builtin_image_size(const uint8_t *image)
{
    IMAGE_DOS_HEADER dos;
    memcpy(&dos, image, sizeof dos);
    if (dos.e_magic != IMAGE_DOS_SIGNATURE || dos.e_lfanew < 0 || dos.e_lfanew > 0x800)
        return 0;
    uint32_t soi;
    memcpy(&soi, image + dos.e_lfanew + 4 + sizeof(IMAGE_FILE_HEADER) +
                     offsetof(IMAGE_OPTIONAL_HEADER64, SizeOfImage), 4);
    return soi;
}

/* A built-in export for import binding or a forwarder: the thunk (ntdll!Nt*: the thunk, where
 * the export directory names the Windows-shaped syscall stub), the data variable, or for a real
 * export ntrun does not implement, a stub that reports the call. NULL if not exported. */
void *ldr_resolve_builtin(const char *dll, const char *name, uint16_t hint)
{
    (void)hint; /* the built-in tables are searched by name */
    void *p;
    thk_import(dll, name, 0, &p);
    return p;
}

/* Imports that cannot be bound, for the strict-mode report: "DLL!name (why)" lines. */
typedef struct missing_list {
    char **lines;
    size_t n, cap;
    unsigned count;
} missing_list;

static void missing_add(missing_list *m, const char *dll, const char *name, const char *why)
{
    m->count++;
    if (m->n == m->cap) {
        size_t cap = m->cap ? m->cap * 2 : 16;
        char **v = realloc(m->lines, cap * sizeof *v);
        if (!v)
            return; /* still counted; the list just misses it */
        m->lines = v;
        m->cap = cap;
    }
    char *line = NULL;
    if (asprintf(&line, "%s%s%s%s%s", dll, *name ? "!" : "", name, *why ? " " : "", why) >= 0)
        m->lines[m->n++] = line;
}

static void missing_free(missing_list *m)
{
    for (size_t i = 0; i < m->n; i++)
        free(m->lines[i]);
    free(m->lines);
}

/* A name from the image, made safe for a one-line message (control bytes become '?'). */
static void sanitize(char *dst, size_t dstlen, const char *src)
{
    size_t n = 0;
    for (; src[n] && n + 1 < dstlen; n++)
        dst[n] = ((unsigned char)src[n] < 0x20 || src[n] == 0x7f) ? '?' : src[n];
    dst[n] = 0;
}

/* Binds one descriptor's thunks. -1 with err on a malformed table. With an importer module, a
 * DLL that is not built in is loaded (ldr_dll_load_dep) and its exports bound; without one its
 * imports get stubs. A name or ordinal a foreign DLL lacks is refused (-1,
 * STATUS_ENTRYPOINT_NOT_FOUND or STATUS_ORDINAL_NOT_FOUND) when the importer is a DLL that
 * LoadLibrary loads; for the program and the DLLs it imports it gets a stub, as others do. */
static int bind_descriptor(const ldr_image *img, uint32_t di, const IMAGE_IMPORT_DESCRIPTOR *d,
                           const char *dll, const ldr_options *opts, const char *modname,
                           ldr_module *importer, missing_list *missing, missing_list *missing_dlls,
                           char *err, size_t errlen)
{
    uint8_t *image = img->base;
    size_t size = img->size_of_image;
    bool builtin = thk_is_builtin_dll(dll);
    char builtin_name[256];
    const char *bdll = dll;
    ldr_module *dep = NULL;
    if (builtin && importer)
        ldr_observe_builtin(thk_builtin_name(dll));
    if (!builtin && importer) {
        char derr[1024];
        int r = ldr_dll_load_dep(importer, dll, opts, &dep, builtin_name, sizeof builtin_name,
                                 derr, sizeof derr);
        if (r == -2 && opts && opts->strict) {
            missing_add(missing_dlls, derr, "", "");
            return 0;
        }
        if (r < 0) {
            ldr_errf(err, errlen, "%s", derr);
            return -1;
        }
        if (r == 1) {
            builtin = true;
            bdll = builtin_name;
        }
    }
    /* the built-in DLL looked up once for all its imports, not per import */
    thk_import_dll bctx;
    if (builtin)
        thk_import_dll_init(&bctx, bdll);
    uint32_t int_rva = d->OriginalFirstThunk ? d->OriginalFirstThunk : d->FirstThunk;
    for (uint64_t j = 0;; j++) {
        uint64_t int_slot = (uint64_t)int_rva + 8 * j;
        uint64_t iat_slot = (uint64_t)d->FirstThunk + 8 * j;
        if (int_slot + 8 > size || iat_slot + 8 > size) {
            ldr_errf(err, errlen, "import table of %s runs past the end of the image", dll);
            return -1;
        }
        uint64_t entry;
        memcpy(&entry, image + int_slot, 8);
        if (entry == 0)
            break;
        char namebuf[16];
        const char *name;
        uint16_t hint = 0;
        void *addr = NULL;
        thk_import_status st = THK_NOT_EXPORTED;
        if (entry & IMAGE_ORDINAL_FLAG64) {
            uint32_t ord = (uint32_t)(entry & 0xffff);
            snprintf(namebuf, sizeof namebuf, "#%u", ord);
            name = namebuf;
            if (builtin)
                st = thk_import_in(&bctx, NULL, ord, &addr);
            else if (dep)
                addr = ldr_get_export(dep, dep->img.base, dep->img.size_of_image, NULL, ord,
                                      NULL, 0);
        } else {
            uint64_t hn = entry & 0x7fffffff;
            if ((entry >> 31) != 0 || hn + 2 >= size || image_strlen(image, size, hn + 2) < 0) {
                ldr_errf(err, errlen, "import %llu of %s (descriptor %u) has a name outside the "
                         "image (RVA 0x%llx)", (unsigned long long)j, dll, di,
                         (unsigned long long)entry);
                return -1;
            }
            memcpy(&hint, image + hn, 2);
            name = (const char *)image + hn + 2;
            if (builtin)
                st = thk_import_in(&bctx, name, 0, &addr);
            else if (dep)
                addr = ldr_get_export(dep, dep->img.base, dep->img.size_of_image, name, 0, NULL,
                                      0);
        }
        const char *how = dep ? "foreign" : "built-in";
        if (builtin && st == THK_UNIMPLEMENTED)
            how = "not implemented (stub)";
        if (!addr || (builtin && st == THK_UNIMPLEMENTED)) {
            char safe[256];
            sanitize(safe, sizeof safe, name);
            const char *why = builtin && st == THK_UNIMPLEMENTED ? "(not implemented)"
                              : builtin || dep ? "(not exported)" : "(DLL not built in)";
            if (dep && !addr && importer->is_dll && !importer->static_load) {
                /* A DLL LoadLibrary brings in imports what a foreign DLL lacks: refused, as
                 * Windows refuses it (a program can fall back; a stub would only fail later).
                 * Built-in DLLs' gaps keep their stubs; the program's own imports too. */
                ldr_errf(err, errlen, "%s does not export %s%s", dep->name,
                         entry & IMAGE_ORDINAL_FLAG64 ? "ordinal " : "",
                         entry & IMAGE_ORDINAL_FLAG64 ? name + 1 : safe);
                ldr_fail_status(entry & IMAGE_ORDINAL_FLAG64 ? STATUS_ORDINAL_NOT_FOUND
                                                             : STATUS_ENTRYPOINT_NOT_FOUND);
                return -1;
            }
            if (opts && opts->strict) {
                missing_add(missing, dll, safe, why);
                continue;
            }
            if (!addr)
                addr = thk_missing_stub(dll, safe);
            if (!addr) {
                ldr_errf(err, errlen, "out of memory binding %s!%s", dll, safe);
                return -1;
            }
            missing->count++;
            if (!(builtin && st == THK_UNIMPLEMENTED))
                how = builtin || dep ? "not exported (stub)" : "DLL not built in (stub)";
        }
        uint64_t v = (uint64_t)(uintptr_t)addr;
        memcpy(image + iat_slot, &v, 8);
        if (RT_TRACING(RT_TRACE_LOADER))
            rt_trace("loader", "%s: %s!%s -> %p (%s)", modname, dll, name, addr, how);
    }
    return 0;
}

static int bind_imports(const ldr_pe *pe, const ldr_image *img, const ldr_options *opts,
                        const char *name, ldr_module *importer, char *err, size_t errlen)
{
    const IMAGE_DATA_DIRECTORY *dir = &pe->dirs[IMAGE_DIRECTORY_ENTRY_IMPORT];
    if (!dir->VirtualAddress)
        return 0;
    uint8_t *image = img->base;
    size_t size = img->size_of_image;
    missing_list missing = {0}, missing_dlls = {0};
    int ret = -1;
    for (uint32_t i = 0;; i++) {
        uint64_t off = dir->VirtualAddress + (uint64_t)i * sizeof(IMAGE_IMPORT_DESCRIPTOR);
        if (off + sizeof(IMAGE_IMPORT_DESCRIPTOR) > size) {
            ldr_errf(err, errlen, "import directory is not terminated inside the image");
            goto free_missing;
        }
        IMAGE_IMPORT_DESCRIPTOR d;
        memcpy(&d, image + off, sizeof d);
        if (d.Name == 0 || d.FirstThunk == 0)
            break; /* the terminating descriptor (what Windows and Wine stop at) */
        long len = image_strlen(image, size, d.Name);
        if (len < 0) {
            ldr_errf(err, errlen, "import descriptor %u has a DLL name outside the image "
                     "(RVA 0x%x)", i, d.Name);
            goto free_missing;
        }
        if (len == 0 || len > 255) {
            ldr_errf(err, errlen, "import descriptor %u has a bad DLL name (length %ld)", i, len);
            goto free_missing;
        }
        char dll[256];
        sanitize(dll, sizeof dll, (const char *)image + d.Name);
        if (RT_TRACING(RT_TRACE_LOADER))
            rt_trace("loader", "%s: imports from %s%s", name, dll,
                     thk_is_builtin_dll(dll) ? " (built-in)" : " (not built in)");
        if (bind_descriptor(img, i, &d, dll, opts, name, importer, &missing, &missing_dlls, err,
                            errlen) < 0)
            goto free_missing;
    }
    if (opts && opts->strict && (missing.count || missing_dlls.count)) {
        /* Every missing import on its own line, grouped by DLL as the import table is: no list
         * is cut short. The error message counts them. */
        for (size_t k = 0; k < missing_dlls.n; k++)
            rt_message("%s: %s", name, missing_dlls.lines[k]);
        for (size_t k = 0; k < missing.n; k++)
            rt_message("%s: missing import %s", name, missing.lines[k]);
        if (missing_dlls.count && missing.count)
            ldr_errf(err, errlen, "%u DLL%s not found and %u missing import%s (listed above)",
                     missing_dlls.count, missing_dlls.count == 1 ? "" : "s", missing.count,
                     missing.count == 1 ? "" : "s");
        else if (missing_dlls.count == 1)
            ldr_errf(err, errlen, "%s", missing_dlls.lines ? missing_dlls.lines[0] : "");
        else if (missing_dlls.count)
            ldr_errf(err, errlen, "%u DLLs not found (listed above)", missing_dlls.count);
        else
            ldr_errf(err, errlen, "%u missing import%s (listed above)", missing.count,
                     missing.count == 1 ? "" : "s");
        goto free_missing;
    }
    if (missing.count && RT_TRACING(RT_TRACE_LOADER))
        rt_trace("loader", "%s: %u missing imports bound to stubs", name, missing.count);
    ret = 0;
free_missing:
    missing_free(&missing);
    missing_free(&missing_dlls);
    return ret;
}

int ldr_bind_imports(const ldr_pe *pe, const ldr_image *img, const ldr_options *opts,
                     const char *name, char *err, size_t errlen)
{
    return bind_imports(pe, img, opts, name, NULL, err, errlen);
}

int ldr_bind_imports_mod(ldr_module *importer, const ldr_options *opts, char *err,
                         size_t errlen)
{
    return bind_imports(&importer->pe, &importer->img, opts, importer->name, importer, err,
                        errlen);
}
