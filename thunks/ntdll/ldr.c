/* SPDX-License-Identifier: MIT */
/* ntdll's loader entry points that hand-written loaders and packers call instead of kernel32:
 * LdrLoadDll, LdrGetDllHandle, LdrGetProcedureAddress, and the string initialisers they need
 * (RtlInitUnicodeString, RtlInitAnsiString). They sit on kernel32's LoadLibrary core (which
 * gives the loader's NTSTATUS), GetModuleHandleW and GetProcAddress (the same modules: built-in,
 * foreign DLLs, the program) and turn the latter's errors into NTSTATUS. Like Windows they leave the thread's last error alone.
 * Foreign strings and out pointers are read and written with fault-safe copies: a bad one gives
 * STATUS_ACCESS_VIOLATION (the Rtl initialisers, which return nothing, then do nothing). */
#include <stdlib.h>
#include <string.h>
#include "thunks/thunks_private.h"

#define NT_STATUS_PROCEDURE_NOT_FOUND ((NTSTATUS)0xC000007A)
#define NT_STATUS_ORDINAL_NOT_FOUND ((NTSTATUS)0xC0000138)

/* kernel32 (thunks/kernel32/process.c): ordinary ms_abi C functions, and LoadLibrary's core
 * giving the loader's NTSTATUS (STATUS_DLL_NOT_FOUND, STATUS_INVALID_IMAGE_FORMAT, ...). */
HMODULE k32_ldr_load_dll(const WCHAR *name, const WCHAR *search_path, NTSTATUS *status);
HMODULE WINAPI GetModuleHandleW(const WCHAR *name);
void *WINAPI GetProcAddress(HMODULE mod, const char *name);

typedef struct {
    uint16_t Length;        /* 0x0 */
    uint16_t MaximumLength; /* 0x2 */
    uint32_t pad;
    char *Buffer;           /* 0x8 */
} ldr_ansi_string;
_Static_assert(sizeof(ldr_ansi_string) == 16, "ANSI_STRING");

/* A NUL-terminated copy of a foreign string (unit 1 or 2 bytes); NULL with *st set. */
static void *ldr_copy_counted(const void *user_str, size_t unit, NTSTATUS *st)
{
    UNICODE_STRING us; /* ANSI_STRING has the same layout */
    if (!user_str || nt_copy_from_user(&us, user_str, sizeof us) != 0) {
        *st = user_str ? STATUS_ACCESS_VIOLATION : STATUS_INVALID_PARAMETER;
        return NULL;
    }
    size_t n = us.Length / unit;
    uint8_t *copy = calloc(n + 1, unit);
    if (!copy) {
        *st = STATUS_NO_MEMORY;
        return NULL;
    }
    if (n && nt_copy_from_user(copy, us.Buffer, n * unit) != 0) {
        free(copy);
        *st = STATUS_ACCESS_VIOLATION;
        return NULL;
    }
    *st = STATUS_SUCCESS;
    return copy;
}

/* A NUL-terminated copy of a foreign WCHAR string (at most 32767 characters, as a Windows path
 * list); NULL when it cannot be read or had no end there, or no memory. */
static WCHAR *ldr_copy_wsz(const WCHAR *s)
{
    size_t cap = 64, n = 0;
    WCHAR *copy = malloc(cap * sizeof *copy), c;
    for (; copy && n < 32767; n++) {
        if (nt_copy_from_user(&c, s + n, sizeof c) != 0)
            break;
        if (n + 1 == cap) {
            WCHAR *grown = realloc(copy, (cap *= 2) * sizeof *copy);
            if (!grown)
                break;
            copy = grown;
        }
        copy[n] = c;
        if (!c)
            return copy;
    }
    free(copy);
    return NULL;
}

/* search_path: the directories (';'-separated) searched for the DLL and its dependencies, the
 * only ones (as kernel32 hands Windows' LdrLoadDll the whole search path); NULL, or a value with
 * its low bit set (newer Windows' LOAD_LIBRARY_SEARCH_* flags there): the usual search. */
NTSTATUS WINAPI LdrLoadDll(const WCHAR *search_path, uint32_t *characteristics,
                           const UNICODE_STRING *name, HMODULE *handle)
{
    NTSTATUS st;
    WCHAR *w = ldr_copy_counted(name, 2, &st);
    if (!w)
        return st;
    WCHAR *path = NULL;
    if (search_path && !((uintptr_t)search_path & 1) && !(path = ldr_copy_wsz(search_path))) {
        free(w);
        return STATUS_ACCESS_VIOLATION;
    }
    uint32_t saved = thk_get_last_error(); /* DllMain may set it */
    HMODULE mod = k32_ldr_load_dll(w, path, &st);
    thk_set_last_error(saved);
    free(path);
    free(w);
    if (!mod)
        return st ? st : STATUS_DLL_NOT_FOUND;
    if (nt_copy_to_user(handle, &mod, sizeof mod) != 0)
        return STATUS_ACCESS_VIOLATION;
    return STATUS_SUCCESS;
}
THK_EXPORT(ntdll, LdrLoadDll, 4);

NTSTATUS WINAPI LdrGetDllHandle(const WCHAR *search_path, uint32_t *characteristics,
                                const UNICODE_STRING *name, HMODULE *handle)
{
    NTSTATUS st;
    WCHAR *w = ldr_copy_counted(name, 2, &st);
    if (!w)
        return st;
    uint32_t saved = thk_get_last_error();
    HMODULE mod = GetModuleHandleW(w);
    thk_set_last_error(saved);
    free(w);
    if (!mod)
        return STATUS_DLL_NOT_FOUND;
    if (nt_copy_to_user(handle, &mod, sizeof mod) != 0)
        return STATUS_ACCESS_VIOLATION;
    return STATUS_SUCCESS;
}
THK_EXPORT(ntdll, LdrGetDllHandle, 4);

/* By name (an ANSI_STRING), or by ordinal when name is NULL. */
NTSTATUS WINAPI LdrGetProcedureAddress(HMODULE mod, const ldr_ansi_string *name,
                                       uint32_t ordinal, void **address)
{
    NTSTATUS st = STATUS_SUCCESS;
    char *a = NULL;
    if (name && !(a = ldr_copy_counted(name, 1, &st)))
        return st;
    uint32_t saved = thk_get_last_error();
    void *p = GetProcAddress(mod, a ? a : (const char *)(uintptr_t)(ordinal & 0xffff));
    thk_set_last_error(saved);
    free(a);
    if (!p)
        return name ? NT_STATUS_PROCEDURE_NOT_FOUND : NT_STATUS_ORDINAL_NOT_FOUND;
    if (nt_copy_to_user(address, &p, sizeof p) != 0)
        return STATUS_ACCESS_VIOLATION;
    return STATUS_SUCCESS;
}
THK_EXPORT(ntdll, LdrGetProcedureAddress, 4);

/* Points dst at src (not copied): Length without the terminator, MaximumLength with it. A
 * NULL source gives the empty string (0, 0, NULL); so does an unreadable one, rather than
 * leaving the caller's structure uninitialised. */
static void ldr_init_counted(void *dst, const void *src, size_t unit)
{
    UNICODE_STRING us = {0};
    if (src) {
        size_t n = 0, max = 0xfffc / unit; /* MaximumLength stays within 16 bits */
        uint8_t c[2] = {1, 1};
        while (n < max) {
            if (nt_copy_from_user(c, (const uint8_t *)src + n * unit, unit) != 0) {
                us = (UNICODE_STRING){0};
                nt_copy_to_user(dst, &us, sizeof us);
                return;
            }
            if (c[0] == 0 && (unit == 1 || c[1] == 0))
                break;
            n++;
        }
        us.Length = (uint16_t)(n * unit);
        us.MaximumLength = (uint16_t)(n * unit + unit);
        us.Buffer = (WCHAR *)src;
    }
    nt_copy_to_user(dst, &us, sizeof us);
}

void WINAPI RtlInitUnicodeString(UNICODE_STRING *dst, const WCHAR *src)
{
    ldr_init_counted(dst, src, 2);
}
THK_EXPORT(ntdll, RtlInitUnicodeString, 2);

void WINAPI RtlInitAnsiString(ldr_ansi_string *dst, const char *src)
{
    ldr_init_counted(dst, src, 1);
}
THK_EXPORT(ntdll, RtlInitAnsiString, 2);

/* BOOLEAN RtlDllShutdownInProgress(void): TRUE once the process has begun ending (ExitProcess,
 * a return from main), when DLLs get DLL_PROCESS_DETACH with lpReserved non-NULL; the loader
 * sets PEB_LDR_DATA.ShutdownInProgress then (loader/dll.c), as Windows' LdrShutdownProcess
 * does. A FreeLibrary's detach is not a shutdown. */
uint8_t WINAPI RtlDllShutdownInProgress(void)
{
    return rt_proc.peb && rt_proc.peb->Ldr && rt_proc.peb->Ldr->ShutdownInProgress;
}
THK_EXPORT(ntdll, RtlDllShutdownInProgress, 0);
