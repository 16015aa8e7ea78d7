/* SPDX-License-Identifier: MIT */
/* PE resources of a mapped image: the resource-directory walk that kernel32's FindResource,
 * user32's LoadString and FormatMessage's message tables share (thunks/resource.c). It reads
 * the image in memory (any module: the program, a foreign DLL), never the file, and needs no
 * loader state. */
#ifndef NTRUN_THUNKS_RESOURCE_H
#define NTRUN_THUNKS_RESOURCE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "runtime/win.h"

#define THK_RT_STRING 6
#define THK_RT_MESSAGETABLE 11
#define THK_RES_ERROR_DATA_NOT_FOUND 1812 /* the image has no resource directory */
#define THK_RES_ERROR_TYPE_NOT_FOUND 1813
#define THK_RES_ERROR_NAME_NOT_FOUND 1814
#define THK_RES_ERROR_LANG_NOT_FOUND 1815
#define THK_RES_ERROR_ENUM_USER_STOP 15106 /* an enumeration's callback said stop */
/* lang for "as FindResource chooses": neutral, then en-US (ntrun's user and system language),
 * then any English, then the first language the resource has. */
#define THK_RES_LANG_DEFAULT (-1)

/* IMAGE_RESOURCE_DATA_ENTRY: what an HRSRC points to. */
typedef struct {
    uint32_t OffsetToData; /* 0x00: an RVA */
    uint32_t Size;         /* 0x04 */
    uint32_t CodePage;     /* 0x08 */
    uint32_t Reserved;     /* 0x0c */
} thk_res_data_entry;

/* `base` below is a module handle: an image's base, or a data file's handle (base + 1 for a
 * view of the file as it is on disk, base + 2 for one laid out as an image) that kernel32's
 * LoadLibraryEx registered with thk_res_view_add (size: the view's bytes). */
bool thk_res_view_add(const void *base, size_t size, bool flat);
/* Forgets a view (FreeLibrary); false when it was none. */
bool thk_res_view_remove(const void *base);

/* Finds resource (type, name, lang) in the image mapped at `base`. type and name are integer
 * IDs (values below 0x10000, MAKEINTRESOURCE) or UTF-16 strings from foreign code ("#12" means
 * ID 12; names compare case-insensitively). 0 and *entry set, or a Win32 error code
 * (THK_RES_ERROR_*, ERROR_NOACCESS for an unreadable name). */
uint32_t thk_res_find(const void *base, const WCHAR *type, const WCHAR *name, int lang,
                      const thk_res_data_entry **entry);
/* The entry's data inside the image (*size bytes), or NULL when it lies outside it. */
const void *thk_res_data(const void *base, const thk_res_data_entry *entry, uint32_t *size);
/* Is `entry` a data entry of the image at `base` (a valid HRSRC for it)? */
int thk_res_entry_valid(const void *base, const thk_res_data_entry *entry);

/* One entry of an enumeration: its ID (a value below 0x10000) or name (a NUL-terminated copy
 * that lives for the call) in `key`, or for languages the language in `lang`; false stops. */
typedef bool (*thk_res_enum_fn)(void *ctx, const WCHAR *key, uint16_t lang);
/* Enumerates the types (level 0), the names of `type` (1) or the languages of (type, name) (2)
 * in directory order: 0, THK_RES_ERROR_ENUM_USER_STOP when fn stopped it, or the error of the
 * missing level (THK_RES_ERROR_DATA/TYPE/NAME_NOT_FOUND). */
uint32_t thk_res_enum(const void *base, int level, const WCHAR *type, const WCHAR *name,
                      thk_res_enum_fn fn, void *ctx);

#endif
