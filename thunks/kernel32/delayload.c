/* SPDX-License-Identifier: MIT */
/* kernel32 delay-load support: ResolveDelayLoadedAPI, which the delay-load helper a linker
 * puts in a program (MSVC's __delayLoadHelper2 in its Windows 8+ form, mingw-w64's and
 * winecrt0's) calls on the first use of a delay-imported function, and DelayLoadFailureHook,
 * the system routine such helpers pass for the case where neither the DLL nor the program
 * can supply the function. */
#include <stdio.h>
#include "thunks/kernel32/kernel32_private.h"

HMODULE WINAPI LoadLibraryA(const char *name);
void *WINAPI GetProcAddress(HMODULE mod, const char *name);

typedef struct {
    uint32_t Attributes;                 /* 0x00: bit 0: the fields are RVAs (always, on x64) */
    uint32_t DllNameRVA;                 /* 0x04 */
    uint32_t ModuleHandleRVA;            /* 0x08 */
    uint32_t ImportAddressTableRVA;      /* 0x0c */
    uint32_t ImportNameTableRVA;         /* 0x10 */
    uint32_t BoundImportAddressTableRVA; /* 0x14 */
    uint32_t UnloadInformationTableRVA;  /* 0x18 */
    uint32_t TimeDateStamp;              /* 0x1c */
} k32_delay_desc;
_Static_assert(sizeof(k32_delay_desc) == 0x20, "IMAGE_DELAYLOAD_DESCRIPTOR");

typedef struct {
    uint32_t Size;                    /* 0x00 */
    const k32_delay_desc *Descriptor; /* 0x08 */
    void **ThunkAddress;              /* 0x10 */
    const char *TargetDllName;        /* 0x18 */
    uint32_t ImportDescribedByName;   /* 0x20: DELAYLOAD_PROC_DESCRIPTOR */
    union {
        uint32_t Ordinal;
        const char *Name;
    } Description;                    /* 0x28 */
    void *TargetModuleBase;           /* 0x30 */
    void *Unused;                     /* 0x38 */
    uint32_t LastError;               /* 0x40 */
} k32_delay_info;
_Static_assert(sizeof(k32_delay_info) == 0x48, "DELAYLOAD_INFO");
_Static_assert(offsetof(k32_delay_info, Description) == 0x28, "DELAYLOAD_INFO.Description");
_Static_assert(offsetof(k32_delay_info, LastError) == 0x40, "DELAYLOAD_INFO.LastError");

#define K32_DLI_FAIL_LOAD_LIB 3 /* dliFailLoadLib */
#define K32_DLI_FAIL_GET_PROC 4 /* dliFailGetProc */

/* Binds the delay import whose IAT slot is `thunk`: loads the DLL on first use (keeping the
 * handle in the descriptor's module-handle slot), finds the function by name or ordinal and
 * stores it in the slot. On failure the program's hook (dll_hook(reason, DELAYLOAD_INFO *))
 * may supply a function, else sys_hook(dll name, function name or ordinal). */
void *WINAPI ResolveDelayLoadedAPI(void *base, const k32_delay_desc *desc, void *dll_hook,
                                   void *sys_hook, void **thunk, ULONG flags)
{
    uint8_t *b = base;
    const char *dll = (const char *)(b + desc->DllNameRVA);
    HMODULE *slot = (HMODULE *)(b + desc->ModuleHandleRVA);
    void **iat = (void **)(b + desc->ImportAddressTableRVA);
    const uint64_t *names = (const uint64_t *)(b + desc->ImportNameTableRVA);
    uint64_t entry = names[thunk - iat];
    k32_delay_info info = {.Size = sizeof info, .Descriptor = desc, .ThunkAddress = thunk,
                           .TargetDllName = dll};
    if (entry >> 63) {
        info.Description.Ordinal = (uint32_t)(entry & 0xffff);
    } else {
        info.ImportDescribedByName = 1;
        info.Description.Name = (const char *)(b + (uint32_t)entry + 2); /* after the hint */
    }
    HMODULE mod = __atomic_load_n(slot, __ATOMIC_ACQUIRE);
    if (!mod) {
        mod = LoadLibraryA(dll);
        if (mod) {
            HMODULE prev = NULL;
            if (!__atomic_compare_exchange_n(slot, &prev, mod, false, __ATOMIC_ACQ_REL,
                                             __ATOMIC_ACQUIRE))
                mod = prev; /* another thread was first; LoadLibrary's reference stays */
        }
    }
    void *proc = NULL;
    uint32_t reason = K32_DLI_FAIL_LOAD_LIB;
    if (mod) {
        info.TargetModuleBase = mod;
        reason = K32_DLI_FAIL_GET_PROC;
        proc = GetProcAddress(mod, info.ImportDescribedByName
                                       ? info.Description.Name
                                       : (const char *)(uintptr_t)info.Description.Ordinal);
    }
    if (!proc) {
        info.LastError = GetLastError();
        if (dll_hook)
            proc = (void *)thk_call_foreign2(dll_hook, reason, (uint64_t)(uintptr_t)&info);
        if (!proc && sys_hook)
            proc = (void *)thk_call_foreign2(
                sys_hook, (uint64_t)(uintptr_t)dll,
                info.ImportDescribedByName ? (uint64_t)(uintptr_t)info.Description.Name
                                           : info.Description.Ordinal);
    }
    if (proc)
        __atomic_store_n(thunk, proc, __ATOMIC_RELEASE);
    return proc;
}
THK_EXPORT(kernel32, ResolveDelayLoadedAPI, 6);

/* The system's last resort for a delay import that cannot be bound: a stand-in that stops the
 * program naming the function when it is called (Windows raises an exception at this point). */
void *WINAPI DelayLoadFailureHook(const char *dll, const char *name)
{
    char ord[16];
    if ((uintptr_t)name < 0x10000) {
        snprintf(ord, sizeof ord, "#%u", (unsigned)(uintptr_t)name);
        name = ord;
    }
    return thk_missing_stub(dll, name);
}
THK_EXPORT(kernel32, DelayLoadFailureHook, 2);
