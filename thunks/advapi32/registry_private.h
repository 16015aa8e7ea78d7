/* SPDX-License-Identifier: MIT */
/* What advapi32's registry files share: HKEY_CLASSES_ROOT's merged view (registry_classes.c)
 * for the Reg* functions of registry.c. */
#ifndef THUNKS_ADVAPI32_REGISTRY_PRIVATE_H
#define THUNKS_ADVAPI32_REGISTRY_PRIVATE_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "ntemu/ntemu.h"

/* A key opened through HKEY_CLASSES_ROOT carries Windows' tag: its handle value | 2. The NT
 * calls ignore the low two bits of a handle (as Windows' kernel does), so a tagged handle
 * works wherever a plain one does; the Reg* functions read the tag to merge
 * HKCU\Software\Classes over HKLM\Software\Classes. */
#define ADV_HKCR_TAG ((uintptr_t)2)
static inline bool adv_is_hkcr(HANDLE h) { return ((uintptr_t)h & 3) == ADV_HKCR_TAG; }
static inline HANDLE adv_hkcr_tag(HANDLE h) { return (HANDLE)((uintptr_t)h | ADV_HKCR_TAG); }

/* Opens sub below the HKCR key root: the user's key when HKCU\Software\Classes has it, else
 * the machine's; the handle comes back tagged. */
NTSTATUS adv_cls_open(HANDLE root, const WCHAR *sub, size_t n, uint32_t access,
                      uint32_t attributes, HANDLE *out);
/* The path, relative to HKLM\Software\Classes, where a key created as sub below the HKCR key
 * root goes (malloc'd, *len characters): Windows writes new keys to the machine's classes. */
NTSTATUS adv_cls_machine_path(HANDLE root, const WCHAR *sub, size_t n, WCHAR **path,
                              size_t *len);
/* The machine's classes root (untagged, owned by registry.c). */
HANDLE adv_cls_machine_root(void);
/* For the values of the HKCR key h, the keys in the order they are asked: first[0] the user's
 * key, first[1] the machine's (either may be NULL; the one that is not h itself is opened and
 * must be closed with adv_cls_pair_close). */
void adv_cls_pair(HANDLE h, uint32_t access, HANDLE pair[2]);
void adv_cls_pair_close(HANDLE h, HANDLE pair[2]);
/* Entry index of the merged subkey (values false) or value (values true) list of the HKCR
 * key h: the key to ask and its index there. STATUS_NO_MORE_ENTRIES past the end. */
NTSTATUS adv_cls_enum_map(HANDLE h, bool values, uint32_t index, HANDLE *src,
                          uint32_t *src_index);
/* The merged view's subkey and value counts, and the longest names and data of both keys
 * (the KEY_FULL_INFORMATION fields at 20..40 of info are updated). */
NTSTATUS adv_cls_merge_info(HANDLE h, uint8_t *info);
/* Forget what enumeration kept for h (RegCloseKey). */
void adv_cls_forget(HANDLE h);

#endif
