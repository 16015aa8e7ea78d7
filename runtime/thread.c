/* Per-thread state: the TEB (+ ntrun's private area), the gs base, the foreign stack. */
#include <asm/prctl.h>
#include <errno.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>
#include "runtime/runtime_private.h"

__thread TEB *rt_tls_teb __attribute__((tls_model("initial-exec")));

TEB *rt_current_teb(void) { return rt_tls_teb; }

rt_thread *rt_current_thread(void)
{
    TEB *teb = rt_tls_teb;
    return teb ? rt_thread_of(teb) : NULL;
}

/* No FSGSBASE on these machines (wrgsbase faults): the kernel sets the gs base. */
static int rt_set_gs_base(void *base)
{
    long r = rt_raw_syscall6(SYS_arch_prctl, ARCH_SET_GS, (long)base, 0, 0, 0, 0);
    return r < 0 ? (int)r : 0;
}

int rt_thread_init_current(void)
{
    if (rt_tls_teb)
        return 0;
    TEB *teb = mmap(NULL, RT_TEB_ALLOC_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
                    -1, 0);
    if (teb == MAP_FAILED)
        return -errno;
    rt_thread *t = rt_thread_of(teb);
    teb->NtTib.Self = teb;
    teb->NtTib.ExceptionList = (void *)~(uintptr_t)0;
    teb->ProcessEnvironmentBlock = rt_proc.peb;
    t->tid = (int32_t)syscall(SYS_gettid);
    teb->ClientId.UniqueProcess = (HANDLE)(uintptr_t)getpid();
    teb->ClientId.UniqueThread = (HANDLE)(uintptr_t)t->tid;
    t->teb = teb;
    t->selector = RT_SEL_ALLOW;
    int r = rt_set_gs_base(teb);
    if (r < 0)
        goto fail_unmap;
    rt_tls_teb = teb;
    if (rt_proc.sud_available && !rt_sud_arm_current()) {
        r = -EPERM;
        goto fail_gs;
    }
    return 0;

fail_gs:
    rt_tls_teb = NULL;
    rt_set_gs_base(NULL);
fail_unmap:
    munmap(teb, RT_TEB_ALLOC_SIZE);
    return r;
}

void rt_thread_fini_current(void)
{
    TEB *teb = rt_tls_teb;
    if (!teb)
        return;
    rt_thread *t = rt_thread_of(teb);
    rt_sud_disarm_current();
    if (t->stack_alloc)
        munmap(t->stack_alloc, t->stack_alloc_size);
    rt_tls_teb = NULL;
    rt_set_gs_base(NULL);
    munmap(teb, RT_TEB_ALLOC_SIZE);
}

void *rt_thread_alloc_stack(size_t reserve)
{
    TEB *teb = rt_tls_teb;
    if (!teb)
        return NULL;
    rt_thread *t = rt_thread_of(teb);
    const size_t guard = 0x1000, headroom = 0x1000;
    if (reserve < 0x100000)
        reserve = 0x100000;
    reserve = (reserve + 0xffff) & ~(size_t)0xffff;
    size_t total = reserve + guard;
    char *base = mmap(NULL, total, PROT_READ | PROT_WRITE,
                      MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (base == MAP_FAILED)
        return NULL;
    mprotect(base, guard, PROT_NONE);
    if (t->stack_alloc)
        munmap(t->stack_alloc, t->stack_alloc_size);
    t->stack_alloc = base;
    t->stack_alloc_size = total;
    teb->NtTib.StackBase = base + total;
    teb->NtTib.StackLimit = base + guard;
    /* Headroom at the top: variadic thunks copy a fixed number of slots above the caller. */
    return base + total - headroom;
}
