/* nt_time_loop: NtQuerySystemTime and NtQueryPerformanceCounter (and their Zw names) called
 * through the import 10,000 times each, as a program reading the clock in a loop does: every
 * call returns 0, leaves xmm6-15 as they were (callee-saved in the Windows x64 ABI; ntrun's
 * handlers call the vDSO's clock_gettime directly once runtime/vdso.c has proven it touches no
 * vector register, after 4096 calls), the counter never goes back and has the frequency of
 * QueryPerformanceFrequency, the system time agrees with GetSystemTimeAsFileTime. After the
 * loops (on the direct route) a bad output pointer still gives STATUS_ACCESS_VIOLATION: NULL,
 * an unmapped page, a read-only page, a kernel address, and for the counter a bad frequency
 * pointer. Wine 8.0 prints the same. */
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <windows.h>
#include <winternl.h>
#include "../xmm6_15.h"

typedef NTSTATUS(NTAPI *fn_one)(void *);
typedef NTSTATUS(NTAPI *fn_two)(void *, void *);

/* fn(a0, a1) with xmm6-15 loaded from pattern; 1 when they come back unchanged. */
static int call_keeps_xmm(void *fn, void *a0, void *a1, NTSTATUS *status)
{
    uint64_t before[20], after[20];
    for (int i = 0; i < 20; i++)
        before[i] = 0x9e3779b97f4a7c15ull * (uint64_t)(i + 3);
    register void *rcx __asm__("rcx") = a0;
    register void *rdx __asm__("rdx") = a1;
    uint64_t rax = (uint64_t)fn;
    __asm__ volatile(XMM6_15_LOAD
                     "mov %%rsp, %%rbx\n\t"
                     "and $-16, %%rsp\n\t"
                     "sub $32, %%rsp\n\t"
                     "call *%%rax\n\t"
                     "mov %%rbx, %%rsp\n\t"
                     XMM6_15_STORE
                     : "+a"(rax), "+r"(rcx), "+r"(rdx)
                     : [b] "r"(before), [a] "r"(after)
                     : "rbx", "r8", "r9", "r10", "r11", "memory", "cc", XMM0_15_CLOBBERS);
    *status = (NTSTATUS)rax;
    return memcmp(before, after, sizeof after) == 0;
}

static void loop_systime(const char *name, void *fn)
{
    int bad_status = 0, bad_xmm = 0;
    LARGE_INTEGER first = {0}, t;
    FILETIME ft0, ft1;
    GetSystemTimeAsFileTime(&ft0);
    for (int i = 0; i < 10000; i++) {
        NTSTATUS st;
        t.QuadPart = 0;
        bad_xmm += !call_keeps_xmm(fn, &t, NULL, &st);
        bad_status += st != 0;
        if (i == 0)
            first = t;
    }
    GetSystemTimeAsFileTime(&ft1);
    int64_t lo = (int64_t)((uint64_t)ft0.dwHighDateTime << 32 | ft0.dwLowDateTime);
    int64_t hi = (int64_t)((uint64_t)ft1.dwHighDateTime << 32 | ft1.dwLowDateTime);
    /* within a second of the kernel32 reading before and after (the two clocks' resolutions) */
    int agrees = first.QuadPart > lo - 10000000 && t.QuadPart < hi + 10000000;
    printf("%s: 10000 calls, status not 0: %d, xmm6-15 changed: %d, agrees with "
           "GetSystemTimeAsFileTime: %s\n",
           name, bad_status, bad_xmm, agrees ? "yes" : "no");
}

static void loop_qpc(const char *name, void *fn)
{
    int bad_status = 0, bad_xmm = 0, backwards = 0;
    LARGE_INTEGER prev = {0}, c, f = {0}, qpf;
    for (int i = 0; i < 10000; i++) {
        NTSTATUS st;
        bad_xmm += !call_keeps_xmm(fn, &c, (i & 1) ? &f : NULL, &st);
        bad_status += st != 0;
        backwards += c.QuadPart < prev.QuadPart;
        prev = c;
    }
    QueryPerformanceFrequency(&qpf);
    printf("%s: 10000 calls, status not 0: %d, xmm6-15 changed: %d, went back: %d, frequency "
           "as QueryPerformanceFrequency: %s\n",
           name, bad_status, bad_xmm, backwards, f.QuadPart == qpf.QuadPart ? "yes" : "no");
}

int main(void)
{
    HMODULE ntdll = GetModuleHandleA("ntdll.dll");
    void *qst = (void *)GetProcAddress(ntdll, "NtQuerySystemTime");
    void *zqst = (void *)GetProcAddress(ntdll, "ZwQuerySystemTime");
    void *qpc = (void *)GetProcAddress(ntdll, "NtQueryPerformanceCounter");
    void *zqpc = (void *)GetProcAddress(ntdll, "ZwQueryPerformanceCounter");
    if (!qst || !zqst || !qpc || !zqpc) {
        printf("missing export\n");
        return 1;
    }
    loop_systime("NtQuerySystemTime", qst);
    loop_systime("ZwQuerySystemTime", zqst);
    loop_qpc("NtQueryPerformanceCounter", qpc);
    loop_qpc("ZwQueryPerformanceCounter", zqpc);

    char *ro = VirtualAlloc(NULL, 4096, MEM_COMMIT | MEM_RESERVE, PAGE_READWRITE);
    char *na = VirtualAlloc(NULL, 4096, MEM_COMMIT | MEM_RESERVE, PAGE_NOACCESS);
    DWORD old;
    memset(ro, 0x5a, 4096);
    VirtualProtect(ro, 4096, PAGE_READONLY, &old);
    void *kptr = (void *)(uintptr_t)0xfffff80000001000ull;
    LARGE_INTEGER ok;
    struct {
        const char *what;
        void *p;
    } bad[] = {{"NULL", NULL}, {"no access", na}, {"read-only", ro}, {"kernel address", kptr}};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        printf("time at %s: NtQuerySystemTime 0x%08lx, NtQueryPerformanceCounter 0x%08lx, "
               "its frequency 0x%08lx\n",
               bad[i].what, (unsigned long)((fn_one)qst)(bad[i].p),
               (unsigned long)((fn_two)qpc)(bad[i].p, NULL),
               (unsigned long)((fn_two)qpc)(&ok, bad[i].p));
    int ro_kept = 1;
    for (int i = 0; i < 4096; i++)
        ro_kept &= ro[i] == 0x5a;
    printf("read-only page unchanged: %s\n", ro_kept ? "yes" : "no");
    return 0;
}
