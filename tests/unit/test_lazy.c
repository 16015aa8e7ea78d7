/* Pages filled on first access (runtime/lazy.c), as the loader uses them for DWARF sections:
 * a read by native code fills exactly the touched page with the source bytes (zeros past the
 * source) and the final protection; eight threads racing for one page all read it whole;
 * rt_lazy_fill fills a range (what NtWriteFile and NtProtectVirtualMemory do before the kernel
 * sees the buffer); NtWriteFile from an untouched page writes the right bytes; VirtualQuery of an
 * image reports pending pages with their protection to be; a write to a filled read-only page
 * is still an access violation that reaches the host's handler; removed ranges are forgotten. */
#include <criterion/criterion.h>
#include <fcntl.h>
#include <pthread.h>
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#include "ntemu/ntemu.h"

#define PAGE 4096u
#define NPAGES 8

static uint8_t src[NPAGES * PAGE - 1000]; /* the last page is partly beyond the source */

static void setup(void)
{
    cr_assert_eq(rt_process_init(), 0);
    cr_assert(rt_lazy_available());
    for (size_t i = 0; i < sizeof src; i++)
        src[i] = (uint8_t)(i * 7 + i / PAGE);
}

TestSuite(lazy, .init = setup);

static uint8_t *make_lazy(void)
{
    uint8_t *p = mmap(NULL, NPAGES * PAGE, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    cr_assert_neq(p, MAP_FAILED);
    cr_assert_eq(rt_lazy_add(p, NPAGES * PAGE, src, sizeof src, PROT_READ), 0);
    return p;
}

/* Is the page accessible yet? (mincore says mapped-and-resident only; use the maps' prot.) */
static int page_prot(const void *addr)
{
    FILE *f = fopen("/proc/self/maps", "r");
    cr_assert(f);
    char line[512];
    int prot = -1;
    while (fgets(line, sizeof line, f)) {
        unsigned long a, b;
        char perms[8];
        if (sscanf(line, "%lx-%lx %7s", &a, &b, perms) == 3 && (uintptr_t)addr >= a &&
            (uintptr_t)addr < b) {
            prot = (perms[0] == 'r' ? PROT_READ : 0) | (perms[1] == 'w' ? PROT_WRITE : 0);
            break;
        }
    }
    fclose(f);
    return prot;
}

Test(lazy, a_read_fills_only_the_touched_page)
{
    uint8_t *p = make_lazy();
    cr_assert_eq(page_prot(p + 3 * PAGE), PROT_NONE);
    cr_assert_eq(p[3 * PAGE + 5], src[3 * PAGE + 5]);
    cr_assert_eq(memcmp(p + 3 * PAGE, src + 3 * PAGE, PAGE), 0);
    cr_assert_eq(page_prot(p + 3 * PAGE), PROT_READ);
    cr_assert_eq(page_prot(p + 2 * PAGE), PROT_NONE, "the neighbours stay untouched");
    cr_assert_eq(page_prot(p + 4 * PAGE), PROT_NONE);
    /* the last page: the source's tail, then zeros */
    size_t tail = sizeof src - (NPAGES - 1) * PAGE;
    cr_assert_eq(memcmp(p + (NPAGES - 1) * PAGE, src + (NPAGES - 1) * PAGE, tail), 0);
    for (size_t i = tail; i < PAGE; i++)
        cr_assert_eq(p[(NPAGES - 1) * PAGE + i], 0, "byte %zu past the source", i);
    rt_lazy_remove(p, NPAGES * PAGE);
    munmap(p, NPAGES * PAGE);
}

static uint8_t *race_page;
static pthread_barrier_t race_barrier;

static void *race_reader(void *arg)
{
    (void)arg;
    pthread_barrier_wait(&race_barrier);
    return (void *)(uintptr_t)(memcmp(race_page, src + 5 * PAGE, PAGE) == 0);
}

Test(lazy, threads_racing_for_one_page_all_see_it_whole)
{
    uint8_t *p = make_lazy();
    race_page = p + 5 * PAGE;
    pthread_t th[8];
    pthread_barrier_init(&race_barrier, NULL, 8);
    for (int i = 0; i < 8; i++)
        cr_assert_eq(pthread_create(&th[i], NULL, race_reader, NULL), 0);
    for (int i = 0; i < 8; i++) {
        void *ok;
        pthread_join(th[i], &ok);
        cr_assert(ok, "thread %d read a partial page", i);
    }
    pthread_barrier_destroy(&race_barrier);
    rt_lazy_remove(p, NPAGES * PAGE);
    munmap(p, NPAGES * PAGE);
}

Test(lazy, fill_makes_a_range_readable_for_the_kernel)
{
    uint8_t *p = make_lazy();
    int fds[2];
    cr_assert_eq(pipe(fds), 0);
    cr_assert_eq(write(fds[1], p + PAGE, 16), -1, "the kernel does not fault pending pages in");
    rt_lazy_fill(p + PAGE + 100, PAGE); /* spans pages 1 and 2 */
    cr_assert_eq(page_prot(p + PAGE), PROT_READ);
    cr_assert_eq(page_prot(p + 2 * PAGE), PROT_READ);
    cr_assert_eq(page_prot(p + 3 * PAGE), PROT_NONE);
    cr_assert_eq(write(fds[1], p + PAGE, 16), 16);
    uint8_t got[16];
    cr_assert_eq(read(fds[0], got, 16), 16);
    cr_assert_eq(memcmp(got, src + PAGE, 16), 0);
    close(fds[0]);
    close(fds[1]);
    rt_lazy_remove(p, NPAGES * PAGE);
    munmap(p, NPAGES * PAGE);
}

Test(lazy, nt_write_file_from_an_untouched_page_writes_its_bytes)
{
    uint8_t *p = make_lazy();
    char path[] = "/tmp/ntrun-lazy-XXXXXX";
    int fd = mkstemp(path);
    cr_assert_geq(fd, 0);
    HANDLE h;
    cr_assert_eq(nt_file_from_fd(dup(fd), GENERIC_WRITE, &h), STATUS_SUCCESS);
    IO_STATUS_BLOCK iosb;
    NTSTATUS st = NtWriteFile(h, NULL, NULL, NULL, &iosb, p + 6 * PAGE + 10, 3000, NULL, NULL);
    cr_assert_eq(st, STATUS_SUCCESS, "status %#x", (unsigned)st);
    cr_assert_eq(iosb.Information, 3000u);
    uint8_t got[3000];
    cr_assert_eq(pread(fd, got, sizeof got, 0), 3000);
    cr_assert_eq(memcmp(got, src + 6 * PAGE + 10, 3000), 0);
    NtClose(h);
    close(fd);
    unlink(path);
    rt_lazy_remove(p, NPAGES * PAGE);
    munmap(p, NPAGES * PAGE);
}

Test(lazy, span_reports_pending_and_ordinary_runs)
{
    uint8_t *p = make_lazy();
    uintptr_t b = (uintptr_t)p;
    int prot;
    cr_assert_eq(rt_lazy_span(b, b + NPAGES * PAGE, &prot), NPAGES * PAGE);
    cr_assert_eq(prot, PROT_READ);
    (void)*(volatile uint8_t *)(p + 2 * PAGE); /* page 2 filled */
    cr_assert_eq(rt_lazy_span(b, b + NPAGES * PAGE, &prot), 2 * PAGE);
    cr_assert_eq(prot, PROT_READ);
    cr_assert_eq(rt_lazy_span(b + 2 * PAGE, b + NPAGES * PAGE, &prot), PAGE);
    cr_assert_eq(prot, -1, "a filled page is an ordinary one");
    cr_assert_eq(rt_lazy_span(b + 3 * PAGE, b + NPAGES * PAGE, &prot), 5 * PAGE);
    cr_assert_eq(prot, PROT_READ);
    rt_lazy_remove(p, NPAGES * PAGE);
    cr_assert_eq(rt_lazy_span(b, b + NPAGES * PAGE, &prot), NPAGES * PAGE);
    cr_assert_eq(prot, -1, "removed ranges are forgotten");
    munmap(p, NPAGES * PAGE);
}

Test(lazy, virtual_query_of_an_image_reports_the_protection_to_be)
{
    uint8_t *p = make_lazy();
    nt_vm_register_image(p, NPAGES * PAGE, "lazy-test");
    MEMORY_BASIC_INFORMATION mbi;
    SIZE_T ret;
    cr_assert_eq(NtQueryVirtualMemory(NtCurrentProcess(), p + PAGE, 0, &mbi, sizeof mbi, &ret),
                 STATUS_SUCCESS);
    cr_assert_eq(mbi.State, MEM_COMMIT);
    cr_assert_eq(mbi.Protect, PAGE_READONLY, "pending pages: %#x", mbi.Protect);
    cr_assert_eq(mbi.Type, MEM_IMAGE);
    cr_assert_eq(page_prot(p + PAGE), PROT_NONE, "a query does not fill");
    /* VirtualProtect fills first, so the bytes survive the change */
    void *base = p + 4 * PAGE;
    SIZE_T size = PAGE;
    uint32_t old = 0;
    cr_assert_eq(NtProtectVirtualMemory(NtCurrentProcess(), &base, &size, PAGE_READWRITE, &old),
                 STATUS_SUCCESS);
    cr_assert_eq(old, PAGE_READONLY);
    cr_assert_eq(memcmp(p + 4 * PAGE, src + 4 * PAGE, PAGE), 0);
    p[4 * PAGE] = 1;
    nt_vm_unregister_image(p, NPAGES * PAGE);
    rt_lazy_remove(p, NPAGES * PAGE);
    munmap(p, NPAGES * PAGE);
}

/* The fill path takes only faults on pending pages: writing to a filled read-only page is an
 * ordinary access violation, passed on to the host's handler (installed here before ntrun's,
 * as an embedding program's would be). */
static sigjmp_buf host_jump;
static void host_segv(int sig, siginfo_t *si, void *uc)
{
    (void)sig;
    (void)si;
    (void)uc;
    siglongjmp(host_jump, 1);
}

Test(lazy_host, writing_a_filled_read_only_page_reaches_the_host_handler)
{
    struct sigaction sa = {.sa_sigaction = host_segv, .sa_flags = SA_SIGINFO | SA_NODEFER};
    sigemptyset(&sa.sa_mask);
    cr_assert_eq(sigaction(SIGSEGV, &sa, NULL), 0);
    setup(); /* ntrun's handlers now, the host's saved behind them */
    uint8_t *p = make_lazy();
    cr_assert_eq(p[PAGE], src[PAGE], "the read fills the page");
    if (sigsetjmp(host_jump, 1) == 0) {
        ((volatile uint8_t *)p)[PAGE] = 1;
        cr_assert_fail("the write went through");
    }
    cr_assert_eq(p[PAGE], src[PAGE], "the page kept its bytes");
    rt_lazy_remove(p, NPAGES * PAGE);
    munmap(p, NPAGES * PAGE);
}
