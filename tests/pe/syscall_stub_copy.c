/* syscall_stub_copy: a program's own copies of ntdll's system-call stubs, made at run time in
 * executable memory with the numbers read out of ntdll's exports (what programs that carry
 * their own stubs do), called from two threads at once from the first call. Under ntrun each
 * stub traps once and is then rewritten into a jump to the code an import of the same ntdll
 * export reaches (runtime/rewrite.c, issue 12); the results must be the NT calls' own, as on
 * Windows:
 *  - Windows 10/11's stub shape (`mov r10, rcx; mov eax, N; test byte [0x7ffe0308], 1; jne;
 *    syscall; ret; int 2e; ret`) for NtQueryPerformanceCounter: status 0, the counter never goes
 *    back within a thread, the frequency is QueryPerformanceFrequency's;
 *  - the plain shape (`mov r10, rcx; mov eax, N; syscall; ret`) for NtQueryVirtualMemory (six
 *    arguments: two on the stack): what VirtualQuery says of the same address, the length
 *    returned; and NtQuerySystemTime: status 0, a time;
 *  - bad pointers through the rewritten stubs: STATUS_ACCESS_VIOLATION, no crash;
 *  - the last error is not touched by an NT call;
 *  - the registers the x64 calling convention keeps (rbx rbp rsi rdi r12-r15 xmm6-15) survive a
 *    call of each stub.
 * syscall_stub_copy.ntrun (--trace=sud) and .stderr-grep: the three sites are rewritten to the
 * import's code, none kept. */
#include <stdio.h>
#include <string.h>
#include <windows.h>
#include "fail_check.h"

typedef LONG(WINAPI *qpc_fn)(LARGE_INTEGER *, LARGE_INTEGER *);
typedef LONG(WINAPI *systime_fn)(LARGE_INTEGER *);
typedef LONG(WINAPI *qvm_fn)(HANDLE, void *, int, void *, SIZE_T, SIZE_T *);

static qpc_fn my_qpc;
static systime_fn my_systime;
static qvm_fn my_qvm;

/* The number in ntdll's stub for `name` (its `mov eax, N` at +3), or -1. */
static int ssn_of(const char *name)
{
    const unsigned char *p = (const unsigned char *)GetProcAddress(GetModuleHandleA("ntdll.dll"), name);
    if (!p || p[0] != 0x4c || p[1] != 0x8b || p[2] != 0xd1 || p[3] != 0xb8)
        return -1;
    int n;
    memcpy(&n, p + 4, 4);
    return n;
}

/* Stubs in one executable page, 32 bytes apart: Windows' shape for `win`, the plain one for
 * `plain1` and `plain2`. */
static void make_stubs(int win, int plain1, int plain2)
{
    static const unsigned char win_tmpl[24] = {0x4c, 0x8b, 0xd1, 0xb8, 0, 0, 0, 0,
                                               0xf6, 0x04, 0x25, 0x08, 0x03, 0xfe, 0x7f, 0x01,
                                               0x75, 0x03, 0x0f, 0x05, 0xc3, 0xcd, 0x2e, 0xc3};
    static const unsigned char plain_tmpl[11] = {0x4c, 0x8b, 0xd1, 0xb8, 0, 0, 0, 0,
                                                 0x0f, 0x05, 0xc3};
    unsigned char *m = VirtualAlloc(NULL, 4096, MEM_COMMIT | MEM_RESERVE, PAGE_EXECUTE_READWRITE);
    CHECK(2, m != NULL);
    memset(m, 0xcc, 4096);
    memcpy(m, win_tmpl, sizeof win_tmpl);
    memcpy(m + 4, &win, 4);
    memcpy(m + 32, plain_tmpl, sizeof plain_tmpl);
    memcpy(m + 36, &plain1, 4);
    memcpy(m + 64, plain_tmpl, sizeof plain_tmpl);
    memcpy(m + 68, &plain2, 4);
    DWORD old;
    CHECK(3, VirtualProtect(m, 4096, PAGE_EXECUTE_READ, &old));
    FlushInstructionCache(GetCurrentProcess(), m, 4096);
    my_qpc = (qpc_fn)(void *)m;
    my_qvm = (qvm_fn)(void *)(m + 32);
    my_systime = (systime_fn)(void *)(m + 64);
}

static LARGE_INTEGER g_freq;
static volatile LONG g_failures;
static HANDLE g_go;

static void bad(const char *what, long a, long b)
{
    printf("FAIL in a thread: %s (%ld, %ld)\n", what, a, b);
    InterlockedIncrement(&g_failures);
}

/* 20000 rounds: the counter, and every 100th round the memory query and the time. */
static DWORD WINAPI worker(void *arg)
{
    (void)arg;
    WaitForSingleObject(g_go, INFINITE);
    LARGE_INTEGER prev = {0}, c, f;
    for (int i = 0; i < 20000 && !g_failures; i++) {
        c.QuadPart = -1;
        f.QuadPart = -1;
        LONG st = my_qpc(&c, &f);
        if (st != 0 || c.QuadPart < prev.QuadPart || f.QuadPart != g_freq.QuadPart)
            bad("NtQueryPerformanceCounter", st, (long)(c.QuadPart - prev.QuadPart));
        prev = c;
        if (i % 100)
            continue;
        MEMORY_BASIC_INFORMATION mine, want;
        SIZE_T len = 0;
        memset(&mine, 0xcc, sizeof mine);
        /* the program's own data: a region that does not change meanwhile (a stack may grow) */
        st = my_qvm(GetCurrentProcess(), &g_freq, 0 /* MemoryBasicInformation */, &mine,
                    sizeof mine, &len);
        if (st != 0 || len != sizeof mine || VirtualQuery(&g_freq, &want, sizeof want) != sizeof want)
            bad("NtQueryVirtualMemory", st, (long)len);
        else if (mine.BaseAddress != want.BaseAddress || mine.RegionSize != want.RegionSize ||
                 mine.AllocationBase != want.AllocationBase || mine.State != want.State ||
                 mine.Protect != want.Protect || mine.Type != want.Type)
            bad("NtQueryVirtualMemory: not VirtualQuery's answer", (long)mine.Protect,
                (long)want.Protect);
        LARGE_INTEGER t = {0};
        st = my_systime(&t);
        if (st != 0 || t.QuadPart <= 0)
            bad("NtQuerySystemTime", st, 0);
    }
    return 0;
}

/* Registers the callee must keep: rbx rbp rsi rdi r12-r15 and xmm6-15 loaded with known values,
 * fn(arg) called (shadow space, aligned stack), the values stored after. */
unsigned long long g_regs_in[8], g_regs_out[8];
unsigned char g_xin[160], g_xout[160];
LONG call_keeping(void *fn, void *arg);
__asm__(".text\n"
        ".globl call_keeping\n"
        "call_keeping:\n"
        "  push %rbx\n  push %rbp\n  push %rsi\n  push %rdi\n"
        "  push %r12\n  push %r13\n  push %r14\n  push %r15\n"
        "  sub $0xc8, %rsp\n" /* 8 pushes + return address + 0xc8: 16-aligned */
        "  movdqu %xmm6, 0x20(%rsp)\n  movdqu %xmm7, 0x30(%rsp)\n"
        "  movdqu %xmm8, 0x40(%rsp)\n  movdqu %xmm9, 0x50(%rsp)\n"
        "  movdqu %xmm10, 0x60(%rsp)\n  movdqu %xmm11, 0x70(%rsp)\n"
        "  movdqu %xmm12, 0x80(%rsp)\n  movdqu %xmm13, 0x90(%rsp)\n"
        "  movdqu %xmm14, 0xa0(%rsp)\n  movdqu %xmm15, 0xb0(%rsp)\n"
        "  mov %rcx, %rax\n  mov %rdx, %rcx\n"
        "  movdqu g_xin+0(%rip), %xmm6\n  movdqu g_xin+16(%rip), %xmm7\n"
        "  movdqu g_xin+32(%rip), %xmm8\n  movdqu g_xin+48(%rip), %xmm9\n"
        "  movdqu g_xin+64(%rip), %xmm10\n  movdqu g_xin+80(%rip), %xmm11\n"
        "  movdqu g_xin+96(%rip), %xmm12\n  movdqu g_xin+112(%rip), %xmm13\n"
        "  movdqu g_xin+128(%rip), %xmm14\n  movdqu g_xin+144(%rip), %xmm15\n"
        "  mov g_regs_in+0(%rip), %rbx\n  mov g_regs_in+8(%rip), %rbp\n"
        "  mov g_regs_in+16(%rip), %rsi\n  mov g_regs_in+24(%rip), %rdi\n"
        "  mov g_regs_in+32(%rip), %r12\n  mov g_regs_in+40(%rip), %r13\n"
        "  mov g_regs_in+48(%rip), %r14\n  mov g_regs_in+56(%rip), %r15\n"
        "  call *%rax\n"
        "  mov %rbx, g_regs_out+0(%rip)\n  mov %rbp, g_regs_out+8(%rip)\n"
        "  mov %rsi, g_regs_out+16(%rip)\n  mov %rdi, g_regs_out+24(%rip)\n"
        "  mov %r12, g_regs_out+32(%rip)\n  mov %r13, g_regs_out+40(%rip)\n"
        "  mov %r14, g_regs_out+48(%rip)\n  mov %r15, g_regs_out+56(%rip)\n"
        "  movdqu %xmm6, g_xout+0(%rip)\n  movdqu %xmm7, g_xout+16(%rip)\n"
        "  movdqu %xmm8, g_xout+32(%rip)\n  movdqu %xmm9, g_xout+48(%rip)\n"
        "  movdqu %xmm10, g_xout+64(%rip)\n  movdqu %xmm11, g_xout+80(%rip)\n"
        "  movdqu %xmm12, g_xout+96(%rip)\n  movdqu %xmm13, g_xout+112(%rip)\n"
        "  movdqu %xmm14, g_xout+128(%rip)\n  movdqu %xmm15, g_xout+144(%rip)\n"
        "  movdqu 0x20(%rsp), %xmm6\n  movdqu 0x30(%rsp), %xmm7\n"
        "  movdqu 0x40(%rsp), %xmm8\n  movdqu 0x50(%rsp), %xmm9\n"
        "  movdqu 0x60(%rsp), %xmm10\n  movdqu 0x70(%rsp), %xmm11\n"
        "  movdqu 0x80(%rsp), %xmm12\n  movdqu 0x90(%rsp), %xmm13\n"
        "  movdqu 0xa0(%rsp), %xmm14\n  movdqu 0xb0(%rsp), %xmm15\n"
        "  add $0xc8, %rsp\n"
        "  pop %r15\n  pop %r14\n  pop %r13\n  pop %r12\n"
        "  pop %rdi\n  pop %rsi\n  pop %rbp\n  pop %rbx\n"
        "  ret\n");

static int kept_registers(void *fn, void *arg, LONG want_status)
{
    for (int i = 0; i < 8; i++)
        g_regs_in[i] = 0x0101010101010101ull * (unsigned long long)(i + 3);
    for (int i = 0; i < 160; i++)
        g_xin[i] = (unsigned char)(i * 13 + 5);
    memset(g_regs_out, 0, sizeof g_regs_out);
    memset(g_xout, 0, sizeof g_xout);
    LONG st = call_keeping(fn, arg);
    if (st != want_status) {
        printf("status %#lx\n", (unsigned long)st);
        return 0;
    }
    static const char *const names[8] = {"rbx", "rbp", "rsi", "rdi", "r12", "r13", "r14", "r15"};
    for (int i = 0; i < 8; i++)
        if (g_regs_out[i] != g_regs_in[i]) {
            printf("register %s changed\n", names[i]);
            return 0;
        }
    if (memcmp(g_xin, g_xout, sizeof g_xin) != 0) {
        printf("one of xmm6-15 changed\n");
        return 0;
    }
    return 1;
}

int main(void)
{
    int qpc = ssn_of("NtQueryPerformanceCounter"), qvm = ssn_of("NtQueryVirtualMemory"),
        systime = ssn_of("NtQuerySystemTime");
    CHECK(1, qpc >= 0 && qvm >= 0 && systime >= 0);
    make_stubs(qpc, qvm, systime);
    CHECK(4, QueryPerformanceFrequency(&g_freq) && g_freq.QuadPart > 0);

    /* Two threads from the first call of each stub. */
    g_go = CreateEventA(NULL, TRUE, FALSE, NULL);
    HANDLE th[2];
    for (int i = 0; i < 2; i++)
        CHECK(5, (th[i] = CreateThread(NULL, 0, worker, NULL, 0, NULL)) != NULL);
    SetEvent(g_go);
    CHECK(6, WaitForMultipleObjects(2, th, TRUE, 60000) == WAIT_OBJECT_0);
    CHECK(7, g_failures == 0);
    printf("2 threads x 20000 calls of stub copies (counter, memory query, time): ok\n");

    /* Bad pointers: the NT call's own status. */
    CHECK(8, (ULONG)my_systime((LARGE_INTEGER *)16) == 0xC0000005u);
    CHECK(9, (ULONG)my_qpc((LARGE_INTEGER *)16, NULL) == 0xC0000005u);
    SIZE_T len = 0;
    CHECK(10, (ULONG)my_qvm(GetCurrentProcess(), &g_freq, 0, (void *)16,
                            sizeof(MEMORY_BASIC_INFORMATION), &len) == 0xC0000005u);
    printf("bad pointers: STATUS_ACCESS_VIOLATION\n");

    /* An NT call leaves the last error alone. */
    LARGE_INTEGER t;
    SetLastError(1234);
    CHECK(11, my_systime(&t) == 0 && my_qpc(&t, NULL) == 0);
    CHECK(12, GetLastError() == 1234);
    printf("last error kept\n");

    LARGE_INTEGER c;
    CHECK(13, kept_registers((void *)my_qpc, &c, 0));
    CHECK(14, kept_registers((void *)my_systime, &t, 0));
    CHECK(15, kept_registers((void *)my_systime, (void *)16, (LONG)0xC0000005));
    printf("rbx rbp rsi rdi r12-r15 xmm6-15 kept\n");
    return 0;
}
