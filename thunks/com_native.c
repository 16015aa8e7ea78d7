/* SPDX-License-Identifier: MIT */
/* Vtables of boundary stubs for native COM objects (com_native.h). Each method gets a stub in
 * an executable page of its own pool (never freed: vtables live as long as the process, across
 * libntrun runs):
 *     movabs $fn, %rax; [mov $slots, %r11d;] jmp *0(%rip); .quad thk_f2n_regs|thk_f2n_stack
 * the same register contract as the export stubs builtin.c writes (target in %rax, stack slot
 * count in %r11), so a method call crosses the boundary exactly like an export call. */
#include "thunks/com_native.h"
#include <pthread.h>
#include <stdlib.h>
#include <sys/mman.h>
#include "thunks/thunks_private.h"

#define COM_STUB_SIZE 32

const thk_guid thk_iid_iunknown = {0, 0, 0, {0xc0, 0, 0, 0, 0, 0, 0, 0x46}};

static pthread_mutex_t com_lock = PTHREAD_MUTEX_INITIALIZER;

static void com_write_stub(uint8_t *p, const thk_com_method *m)
{
    uint64_t fn = (uint64_t)(uintptr_t)m->fn;
    int slots = m->nargs - 4;
    uint64_t generic = (uint64_t)(uintptr_t)(slots > 0 ? thk_f2n_stack : thk_f2n_regs);
    size_t at = 10;
    memset(p, 0xcc, COM_STUB_SIZE);
    p[0] = 0x48; p[1] = 0xb8; /* movabs $fn, %rax */
    memcpy(p + 2, &fn, 8);
    if (slots > 0) {
        uint32_t n = (uint32_t)slots;
        p[10] = 0x41; p[11] = 0xbb; /* mov $n, %r11d */
        memcpy(p + 12, &n, 4);
        at = 16;
    }
    p[at] = 0xff; p[at + 1] = 0x25; /* jmp *0(%rip) */
    memset(p + at + 2, 0, 4);
    memcpy(p + at + 6, &generic, 8);
}

void *const *thk_com_vtable(thk_com_vtbl *v)
{
    void *const *built = __atomic_load_n(&v->built, __ATOMIC_ACQUIRE);
    if (built)
        return built;
    pthread_mutex_lock(&com_lock);
    built = v->built;
    if (built)
        goto out;
    /* the stubs, then the vtable itself (read-only once made) */
    size_t code = v->n * COM_STUB_SIZE;
    size_t size = (code + v->n * sizeof(void *) + 0xfff) & ~(size_t)0xfff;
    uint8_t *page = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (page == MAP_FAILED)
        goto out;
    void **tbl = (void **)(page + code);
    for (size_t i = 0; i < v->n; i++) {
        com_write_stub(page + i * COM_STUB_SIZE, &v->methods[i]);
        tbl[i] = page + i * COM_STUB_SIZE;
    }
    if (mprotect(page, size, PROT_READ | PROT_EXEC) != 0) {
        munmap(page, size);
        goto out;
    }
    built = (void *const *)tbl;
    __atomic_store_n(&v->built, built, __ATOMIC_RELEASE);
out:
    pthread_mutex_unlock(&com_lock);
    return built;
}
