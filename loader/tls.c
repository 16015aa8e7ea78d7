/* SPDX-License-Identifier: MIT */
/* Static TLS of a PE image (the IMAGE_TLS_DIRECTORY): validating the directory, writing the
 * module's TLS index, building a thread's block from the template plus its zero fill and
 * publishing it at TEB->ThreadLocalStoragePointer[index] (an array that grows as DLLs with TLS
 * are loaded), and calling the TLS callbacks. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "loader/loader_private.h"
#include "thunks/ntdll/thk_exception.h"
#include "thunks/thunks.h"

#define LDR_TLS_SLOTS 64                 /* initial entries of a ThreadLocalStoragePointer array */
#define LDR_TLS_MAX_INDEX 4096           /* modules with static TLS in one process */
#define LDR_TLS_MAX_BLOCK 0x10000000u    /* 256 MiB: template + zero fill */

static bool in_image(const ldr_image *img, uint64_t va, uint64_t len)
{
    uint64_t base = (uint64_t)(uintptr_t)img->base, end = base + img->size_of_image;
    return va >= base && va <= end && len <= end - va;
}

/* Will [va, va + len) be readable once ldr_protect_image has run? (headers, or sections with
 * any access; a low-alignment image is mapped read-write-execute throughout) */
static bool readable_after_protect(const ldr_pe *pe, const ldr_image *img, uint64_t va,
                                   uint64_t len)
{
    if (pe->section_alignment < LDR_PAGE_SIZE)
        return true;
    uint64_t pos = va - (uint64_t)(uintptr_t)img->base, end = pos + len;
    while (pos < end) {
        if (pos < pe->size_of_headers) {
            pos = pe->size_of_headers;
            continue;
        }
        const ldr_section *hit = NULL;
        for (uint32_t i = 0; i < pe->nsections && !hit; i++) {
            const ldr_section *s = &pe->sections[i];
            uint64_t s_end = (uint64_t)s->vaddr + ((s->vsize + 0xfffull) & ~0xfffull);
            if (pos >= s->vaddr && pos < s_end)
                hit = s;
        }
        if (!hit || !(hit->characteristics & (IMAGE_SCN_MEM_READ | IMAGE_SCN_MEM_WRITE |
                                              IMAGE_SCN_MEM_EXECUTE)))
            return false;
        pos = (uint64_t)hit->vaddr + ((hit->vsize + 0xfffull) & ~0xfffull);
    }
    return true;
}

int ldr_tls_setup(const ldr_pe *pe, const ldr_image *img, uint32_t index, ldr_tls *tls,
                  char *err, size_t errlen)
{
    memset(tls, 0, sizeof *tls);
    const IMAGE_DATA_DIRECTORY *dir = &pe->dirs[IMAGE_DIRECTORY_ENTRY_TLS];
    if (!dir->VirtualAddress)
        return 0;
    if (index >= LDR_TLS_MAX_INDEX) {
        ldr_errf(err, errlen, "too many modules with TLS (index %u)", index);
        return -1;
    }
    IMAGE_TLS_DIRECTORY64 d; /* pe.c checked that the whole structure lies inside the image */
    memcpy(&d, img->base + dir->VirtualAddress, sizeof d);
    uint64_t tsize = d.EndAddressOfRawData - d.StartAddressOfRawData;
    if (d.StartAddressOfRawData || d.EndAddressOfRawData) {
        if (d.EndAddressOfRawData < d.StartAddressOfRawData ||
            !in_image(img, d.StartAddressOfRawData, tsize)) {
            ldr_errf(err, errlen, "TLS directory: template 0x%llx-0x%llx lies outside the image",
                     (unsigned long long)d.StartAddressOfRawData,
                     (unsigned long long)d.EndAddressOfRawData);
            return -1;
        }
        if (!readable_after_protect(pe, img, d.StartAddressOfRawData, tsize)) {
            ldr_errf(err, errlen, "TLS directory: template 0x%llx-0x%llx is not in readable "
                     "sections", (unsigned long long)d.StartAddressOfRawData,
                     (unsigned long long)d.EndAddressOfRawData);
            return -1;
        }
    }
    if (tsize + d.SizeOfZeroFill > LDR_TLS_MAX_BLOCK) {
        ldr_errf(err, errlen, "TLS directory: block of 0x%llx bytes is too large",
                 (unsigned long long)(tsize + d.SizeOfZeroFill));
        return -1;
    }
    if (d.AddressOfIndex && !in_image(img, d.AddressOfIndex, 4)) {
        ldr_errf(err, errlen, "TLS directory: AddressOfIndex 0x%llx lies outside the image",
                 (unsigned long long)d.AddressOfIndex);
        return -1;
    }
    if (d.AddressOfCallBacks) {
        /* The array must end with NULL inside the image. */
        for (uint64_t i = 0;; i++) {
            uint64_t slot = d.AddressOfCallBacks + 8 * i;
            if (i >= LDR_TLS_MAX_CALLBACKS || !in_image(img, slot, 8)) {
                ldr_errf(err, errlen, "TLS directory: callback array at 0x%llx is not "
                         "terminated inside the image", (unsigned long long)d.AddressOfCallBacks);
                return -1;
            }
            if (!readable_after_protect(pe, img, slot, 8)) {
                ldr_errf(err, errlen, "TLS directory: callback array at 0x%llx is not in a "
                         "readable section", (unsigned long long)d.AddressOfCallBacks);
                return -1;
            }
            uint64_t cb;
            memcpy(&cb, (const void *)(uintptr_t)slot, 8);
            if (!cb)
                break;
        }
    }
    unsigned align_bits = (d.Characteristics >> 20) & 0xf;
    size_t align = align_bits >= 1 && align_bits <= 14 ? (size_t)1 << (align_bits - 1) : 16;
    tls->present = true;
    tls->index = index;
    tls->template_start = (uintptr_t)d.StartAddressOfRawData;
    tls->template_size = (size_t)tsize;
    tls->zero_fill = d.SizeOfZeroFill;
    tls->alignment = align < 16 ? 16 : align;
    tls->callbacks = (uintptr_t)d.AddressOfCallBacks;
    if (d.AddressOfIndex)
        memcpy((void *)(uintptr_t)d.AddressOfIndex, &index, 4);
    if (RT_TRACING(RT_TRACE_LOADER))
        rt_trace("loader", "TLS: index %u, template 0x%zx bytes + 0x%zx zero fill, callbacks at "
                 "%p", index, tls->template_size, tls->zero_fill, (void *)tls->callbacks);
    return 0;
}

void ldr_tls_run_callbacks(const ldr_tls *tls, const ldr_image *img, uint32_t reason)
{
    if (!tls->present || !tls->callbacks)
        return;
    /* Read one entry at a time: a callback may legitimately add the next one. */
    for (uint64_t i = 0; i < LDR_TLS_MAX_CALLBACKS; i++) {
        uint64_t slot = tls->callbacks + 8 * i, cb;
        if (!in_image(img, slot, 8))
            break;
        memcpy(&cb, (const void *)(uintptr_t)slot, 8);
        if (!cb)
            break;
        if (RT_TRACING(RT_TRACE_LOADER))
            rt_trace("loader", "TLS callback %p (reason %u)", (void *)(uintptr_t)cb, reason);
        /* As Windows' loader (one __except around the loop): an exception a callback leaves
         * unhandled is caught, and the image's later callbacks are skipped for this reason. */
        uint64_t args[4] = {(uint64_t)(uintptr_t)img->base, reason, 0, 0}, ret;
        uint32_t code;
        if (!thk_call_foreign_guarded((const void *)(uintptr_t)cb, 3, args, &ret, &code)) {
            if (RT_TRACING(RT_TRACE_LOADER))
                rt_trace("loader", "TLS callback %p (reason %u): exception 0x%08x caught",
                         (void *)(uintptr_t)cb, reason, code);
            break;
        }
    }
}

/* A ThreadLocalStoragePointer array is allocated with one hidden slot in front that holds its
 * capacity, so it can grow when a DLL with a higher TLS index is loaded. */
size_t ldr_tls_array_slots(void **array)
{
    return array ? (size_t)(uintptr_t)array[-1] : 0;
}

/* Makes teb's array hold at least index + 1 slots. The old array of another thread is leaked,
 * not freed: that thread may be reading it right now. 0 or -ENOMEM. */
static int tls_array_reserve(TEB *teb, uint32_t index, bool own_thread)
{
    void **old = teb->ThreadLocalStoragePointer;
    size_t have = ldr_tls_array_slots(old);
    if (index < have)
        return 0;
    size_t cap = have ? have : LDR_TLS_SLOTS;
    while (cap <= index)
        cap *= 2;
    void **raw = calloc(cap + 1, sizeof *raw);
    if (!raw)
        return -ENOMEM;
    raw[0] = (void *)(uintptr_t)cap;
    void **array = raw + 1;
    if (old)
        memcpy(array, old, have * sizeof *array);
    __atomic_store_n(&teb->ThreadLocalStoragePointer, (void *)array, __ATOMIC_RELEASE);
    if (old && own_thread)
        free(old - 1);
    return 0;
}

int ldr_tls_thread_init_teb(ldr_module *mod, TEB *teb)
{
    const ldr_tls *tls = &mod->tls;
    if (!tls->present)
        return 0;
    if (!teb)
        return -ESRCH;
    bool own = teb == rt_current_teb();
    size_t size = tls->template_size + tls->zero_fill;
    size_t alloc = (size + tls->alignment - 1) & ~(tls->alignment - 1);
    uint8_t *block = aligned_alloc(tls->alignment, alloc ? alloc : tls->alignment);
    if (!block)
        return -ENOMEM;
    if (tls->template_size)
        memcpy(block, (const void *)tls->template_start, tls->template_size);
    memset(block + tls->template_size, 0, (alloc ? alloc : tls->alignment) - tls->template_size);
    if (tls_array_reserve(teb, tls->index, own) < 0) {
        free(block);
        return -ENOMEM;
    }
    void **array = teb->ThreadLocalStoragePointer;
    if (own)
        free(array[tls->index]);
    array[tls->index] = block;
    if (RT_TRACING(RT_TRACE_LOADER))
        rt_trace("loader", "%s: TLS block %p (0x%zx bytes) at slot %u", mod->name, (void *)block,
                 size, tls->index);
    return 0;
}

int ldr_tls_thread_init(ldr_module *mod)
{
    if (!mod->tls.present)
        return 0;
    TEB *teb = rt_current_teb();
    return teb ? ldr_tls_thread_init_teb(mod, teb) : -ESRCH;
}

void ldr_tls_thread_fini(ldr_module *mod)
{
    TEB *teb = rt_current_teb();
    if (!mod->tls.present || !teb || !teb->ThreadLocalStoragePointer)
        return;
    void **array = teb->ThreadLocalStoragePointer;
    size_t slots = ldr_tls_array_slots(array);
    if (mod->tls.index >= slots)
        return;
    free(array[mod->tls.index]);
    array[mod->tls.index] = NULL;
    for (size_t i = 0; i < slots; i++)
        if (array[i])
            return;
    teb->ThreadLocalStoragePointer = NULL;
    free(array - 1);
}
