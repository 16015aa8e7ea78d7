/* syscall_rewrite: the program's own `syscall` sites, called many times. Under ntrun a site
 * that trapped once is rewritten (runtime/rewrite.c) and later calls go without a signal; the
 * results must be what a Windows kernel gives either way, every register but rax/rcx/r11 must
 * survive, and a site whose code cannot be moved safely must keep working.
 *  - a stub `mov r10, rcx; mov eax, N; syscall; ret` (NtQuerySystemTime, NtWriteFile with nine
 *    arguments, a bad pointer, an unknown number);
 *  - Windows 10/11's own stub shape, `mov r10, rcx; mov eax, N; test byte [0x7ffe0308], 1;
 *    jne +3; syscall; ret; int 2e; ret` (ntdll's, as copied by programs that carry their own):
 *    ntrun sets KUSER_SHARED_DATA.SystemCall (its own ntdll stubs take the jne to their fast
 *    route), so a copied stub takes `int 2e`: emulated at its first call, then rewritten like a
 *    `syscall` site (its `mov eax, N` becomes a jmp; test/jne/syscall/int 2e keep their bytes);
 *    1000 calls and a bad pointer checked;
 *  - a lone `int 2e` (`mov r10, rcx; mov eax, N; int 2e; ret`, outside that shape): kept on the
 *    trap path, results checked;
 *  - an inline `mov eax, N; syscall` in a C function (boundary proven from .pdata);
 *  - `mov eax, [rip + g_ssn]; syscall` (a RIP-relative operand, moved to the trampoline);
 *  - a site preceded by a short instruction (`mov eax, ecx`: nothing to move, kept);
 *  - registers: rbx rdx rsi rdi rbp r8-r10 r12-r15 and xmm0-15 across the call;
 *  - four threads calling one fresh site at once, while it is being rewritten.
 * ntrun's statistics of the run (syscall_rewrite.ntrun: --trace=sud prints them at the end)
 * must count 8 sites rewritten, the Windows stub's int 2e among them, and 2 kept (the short site,
 * the lone int 2e): syscall_rewrite.stderr-grep.
 * With SYSCALL_REWRITE_EXPECT_OFF (syscall_norewrite.c, ntrun --no-rewrite) every site must keep
 * its bytes. Numbers are Windows 10 22H2's (ntrun's default). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <windows.h>
#include "fail_check.h"

#ifdef SYSCALL_REWRITE_EXPECT_OFF
#define EXPECT_REWRITE 0
#else
#define EXPECT_REWRITE 1
#endif

typedef struct W_IO_STATUS_BLOCK { LONG_PTR Status; ULONG_PTR Information; } W_IO_STATUS_BLOCK;

volatile DWORD g_ssn = 0x5a;
LONG stub_systime(LARGE_INTEGER *t);
LONG stub_systime_threads(LARGE_INTEGER *t);
LONG stub_win10(LARGE_INTEGER *t);
LONG stub_int2e(LARGE_INTEGER *t);
LONG stub_writefile(HANDLE, HANDLE, void *, void *, W_IO_STATUS_BLOCK *, const void *, ULONG,
                    LARGE_INTEGER *, ULONG *);
LONG stub_unknown(void *);
LONG stub_ripvar(LARGE_INTEGER *t);
LONG stub_short(LARGE_INTEGER *t, DWORD number);
__asm__(".text\n"
        ".p2align 4\n"
        ".globl stub_systime\n"
        "stub_systime:\n"
        "    mov %rcx, %r10\n"
        "    mov $0x5a, %eax\n"
        "    syscall\n"
        "    ret\n"
        ".p2align 4\n"
        ".globl stub_systime_threads\n"
        "stub_systime_threads:\n"
        "    mov %rcx, %r10\n"
        "    mov $0x5a, %eax\n"
        "    syscall\n"
        "    ret\n"
        ".p2align 4\n"
        ".globl stub_win10\n"
        "stub_win10:\n"
        "    .byte 0x4c, 0x8b, 0xd1\n" /* mov r10, rcx as Windows encodes it (8B /r) */
        "    mov $0x5a, %eax\n"
        "    testb $1, 0x7ffe0308\n"
        "    jne 1f\n"
        "    syscall\n"
        "    ret\n"
        "1:  int $0x2e\n"
        "    ret\n"
        ".p2align 4\n"
        ".globl stub_int2e\n"
        "stub_int2e:\n"
        "    .byte 0x4c, 0x8b, 0xd1\n"
        "    mov $0x5a, %eax\n"
        "    int $0x2e\n"
        "    ret\n"
        ".p2align 4\n"
        ".globl stub_writefile\n"
        "stub_writefile:\n"
        "    mov %rcx, %r10\n"
        "    mov $0x8, %eax\n"
        "    syscall\n"
        "    ret\n"
        ".p2align 4\n"
        ".globl stub_unknown\n"
        "stub_unknown:\n"
        "    mov %rcx, %r10\n"
        "    mov $0xfff, %eax\n"
        "    syscall\n"
        "    ret\n"
        ".p2align 4\n"
        ".globl stub_ripvar\n"
        "stub_ripvar:\n"
        "    mov %rcx, %r10\n"
        "    mov g_ssn(%rip), %eax\n"
        "    syscall\n"
        "    ret\n"
        ".p2align 4\n"
        ".globl stub_short\n"
        "stub_short:\n"
        "    mov %rcx, %r10\n"
        "    mov %edx, %eax\n"
        "    syscall\n"
        "    ret\n");
#define CODE(fn) ((const unsigned char *)(void *)(fn))

/* An inline site: the instruction before `syscall` is the 5-byte mov. */
static __attribute__((noinline)) LONG inline_systime(LARGE_INTEGER *t)
{
    register void *r10 __asm__("r10") = t;
    LONG status;
    __asm__ volatile("mov $0x5a, %%eax\n\t"
                     ".globl inline_site\n"
                     "inline_site:\n\t"
                     "syscall"
                     : "=a"(status), "+r"(r10)
                     :
                     : "rcx", "r11", "memory");
    return status;
}
extern unsigned char inline_site[];

/* Registers across the call: everything but rax, rcx and r11 must come back unchanged. */
LARGE_INTEGER g_t;
volatile unsigned long long g_before[12], g_after[12];
volatile unsigned char g_xin[256], g_xout[256];
static __attribute__((noinline)) int registers_survive(void)
{
    for (int i = 0; i < 256; i++)
        g_xin[i] = (unsigned char)(i * 7 + 3);
    for (int i = 0; i < 12; i++)
        g_before[i] = 0x1111111111111111ull * (unsigned long long)(i + 1);
    g_before[7] = (unsigned long long)(uintptr_t)&g_t; /* r10: the argument, kept */
    g_t.QuadPart = 0;
    __asm__ volatile(
        "push %%rbx\n\t push %%rbp\n\t push %%rsi\n\t push %%rdi\n\t"
        "push %%r12\n\t push %%r13\n\t push %%r14\n\t push %%r15\n\t"
        "movdqu g_xin+0(%%rip), %%xmm0\n\t movdqu g_xin+16(%%rip), %%xmm1\n\t"
        "movdqu g_xin+32(%%rip), %%xmm2\n\t movdqu g_xin+48(%%rip), %%xmm3\n\t"
        "movdqu g_xin+64(%%rip), %%xmm4\n\t movdqu g_xin+80(%%rip), %%xmm5\n\t"
        "movdqu g_xin+96(%%rip), %%xmm6\n\t movdqu g_xin+112(%%rip), %%xmm7\n\t"
        "movdqu g_xin+128(%%rip), %%xmm8\n\t movdqu g_xin+144(%%rip), %%xmm9\n\t"
        "movdqu g_xin+160(%%rip), %%xmm10\n\t movdqu g_xin+176(%%rip), %%xmm11\n\t"
        "movdqu g_xin+192(%%rip), %%xmm12\n\t movdqu g_xin+208(%%rip), %%xmm13\n\t"
        "movdqu g_xin+224(%%rip), %%xmm14\n\t movdqu g_xin+240(%%rip), %%xmm15\n\t"
        "mov g_before+0(%%rip), %%rbx\n\t mov g_before+8(%%rip), %%rdx\n\t"
        "mov g_before+16(%%rip), %%rsi\n\t mov g_before+24(%%rip), %%rdi\n\t"
        "mov g_before+32(%%rip), %%rbp\n\t mov g_before+40(%%rip), %%r8\n\t"
        "mov g_before+48(%%rip), %%r9\n\t mov g_before+56(%%rip), %%r10\n\t"
        "mov g_before+64(%%rip), %%r12\n\t mov g_before+72(%%rip), %%r13\n\t"
        "mov g_before+80(%%rip), %%r14\n\t mov g_before+88(%%rip), %%r15\n\t"
        "sub $0x28, %%rsp\n\t"
        "mov $0x5a, %%eax\n\t"
        "syscall\n\t"
        "add $0x28, %%rsp\n\t"
        "mov %%rbx, g_after+0(%%rip)\n\t mov %%rdx, g_after+8(%%rip)\n\t"
        "mov %%rsi, g_after+16(%%rip)\n\t mov %%rdi, g_after+24(%%rip)\n\t"
        "mov %%rbp, g_after+32(%%rip)\n\t mov %%r8, g_after+40(%%rip)\n\t"
        "mov %%r9, g_after+48(%%rip)\n\t mov %%r10, g_after+56(%%rip)\n\t"
        "mov %%r12, g_after+64(%%rip)\n\t mov %%r13, g_after+72(%%rip)\n\t"
        "mov %%r14, g_after+80(%%rip)\n\t mov %%r15, g_after+88(%%rip)\n\t"
        "movdqu %%xmm0, g_xout+0(%%rip)\n\t movdqu %%xmm1, g_xout+16(%%rip)\n\t"
        "movdqu %%xmm2, g_xout+32(%%rip)\n\t movdqu %%xmm3, g_xout+48(%%rip)\n\t"
        "movdqu %%xmm4, g_xout+64(%%rip)\n\t movdqu %%xmm5, g_xout+80(%%rip)\n\t"
        "movdqu %%xmm6, g_xout+96(%%rip)\n\t movdqu %%xmm7, g_xout+112(%%rip)\n\t"
        "movdqu %%xmm8, g_xout+128(%%rip)\n\t movdqu %%xmm9, g_xout+144(%%rip)\n\t"
        "movdqu %%xmm10, g_xout+160(%%rip)\n\t movdqu %%xmm11, g_xout+176(%%rip)\n\t"
        "movdqu %%xmm12, g_xout+192(%%rip)\n\t movdqu %%xmm13, g_xout+208(%%rip)\n\t"
        "movdqu %%xmm14, g_xout+224(%%rip)\n\t movdqu %%xmm15, g_xout+240(%%rip)\n\t"
        "pop %%r15\n\t pop %%r14\n\t pop %%r13\n\t pop %%r12\n\t"
        "pop %%rdi\n\t pop %%rsi\n\t pop %%rbp\n\t pop %%rbx\n\t"
        :
        :
        : "rax", "rcx", "rdx", "r8", "r9", "r10", "r11", "memory", "xmm0", "xmm1", "xmm2",
          "xmm3", "xmm4", "xmm5", "xmm6", "xmm7", "xmm8", "xmm9", "xmm10", "xmm11", "xmm12",
          "xmm13", "xmm14", "xmm15");
    int bad = 0;
    static const char *const names[12] = {"rbx", "rdx", "rsi", "rdi", "rbp", "r8",
                                          "r9", "r10", "r12", "r13", "r14", "r15"};
    for (int i = 0; i < 12; i++)
        if (g_after[i] != g_before[i]) {
            printf("register %s changed: %llx -> %llx\n", names[i], g_before[i], g_after[i]);
            bad = 1;
        }
    if (memcmp((const void *)g_xin, (const void *)g_xout, 256) != 0) {
        printf("an xmm register changed\n");
        bad = 1;
    }
    return !bad && g_t.QuadPart > 0;
}

static volatile LONG thread_failures;
static DWORD WINAPI hammer(void *arg)
{
    HANDLE go = arg;
    WaitForSingleObject(go, INFINITE);
    LARGE_INTEGER prev = {0}, t;
    for (int i = 0; i < 20000; i++) {
        t.QuadPart = 0;
        if (stub_systime_threads(&t) != 0 || t.QuadPart < prev.QuadPart)
            InterlockedIncrement(&thread_failures);
        prev = t;
    }
    return 0;
}

/* n calls of a time stub: each gives status 0 (else FAIL status_code) and a time, after the one
 * before (else FAIL time_code). */
static void time_stub_calls(LONG (*stub)(LARGE_INTEGER *), int n, int status_code, int time_code)
{
    LARGE_INTEGER t, prev = {0};
    for (int i = 0; i < n; i++) {
        t.QuadPart = 0;
        CHECK(status_code, stub(&t) == 0);
        CHECK(time_code, t.QuadPart >= prev.QuadPart && t.QuadPart > 0);
        prev = t;
    }
}

static void check_site(const char *name, const unsigned char *insn, unsigned char orig)
{
    /* A rewritten site's instruction starts with a jmp (E9); a kept one is as assembled. */
    int rewritten = insn[0] == 0xe9;
    printf("%s: %s\n", name, rewritten ? "rewritten" : "as assembled");
    if (!rewritten && insn[0] != orig)
        fail(50, "a site's first byte is neither its own nor a jmp");
}

int main(void)
{
    LARGE_INTEGER t;
    time_stub_calls(stub_systime, 1000, 1, 2);
    printf("stub NtQuerySystemTime x1000: ok\n");
    /* the exact bytes of Windows' stub, which the rewriter recognises */
    static const unsigned char win10_bytes[] = {0x4c, 0x8b, 0xd1, 0xb8, 0x5a, 0, 0, 0, 0xf6, 0x04,
                                                0x25, 0x08, 0x03, 0xfe, 0x7f, 0x01, 0x75, 0x03,
                                                0x0f, 0x05, 0xc3, 0xcd, 0x2e, 0xc3};
    unsigned char win10_orig[sizeof win10_bytes];
    memcpy(win10_orig, CODE(stub_win10), sizeof win10_orig);
    CHECK(15, memcmp(win10_orig, win10_bytes, sizeof win10_bytes) == 0);
    time_stub_calls(stub_win10, 1000, 16, 17);
    CHECK(18, (ULONG)stub_win10((LARGE_INTEGER *)16) == 0xC0000005u);
    printf("Windows 10/11 stub (test byte [0x7ffe0308], 1; jne) x1000: ok\n");
    time_stub_calls(stub_int2e, 100, 20, 21);
    CHECK(22, (ULONG)stub_int2e((LARGE_INTEGER *)16) == 0xC0000005u);
    printf("lone int 2e x100: ok\n");
    /* The time agrees with GetSystemTimeAsFileTime. */
    FILETIME ft;
    GetSystemTimeAsFileTime(&ft);
    ULONGLONG now = ((ULONGLONG)ft.dwHighDateTime << 32) | ft.dwLowDateTime;
    stub_systime(&t);
    CHECK(3, (ULONGLONG)t.QuadPart >= now && (ULONGLONG)t.QuadPart - now < 10000000ull);

    HANDLE out = GetStdHandle(STD_OUTPUT_HANDLE);
    for (int i = 0; i < 3; i++) {
        char line[64];
        int n = snprintf(line, sizeof line, "stub NtWriteFile call %d\n", i + 1);
        W_IO_STATUS_BLOCK io = {-1, 0};
        fflush(stdout);
        CHECK(4, stub_writefile(out, NULL, NULL, NULL, &io, line, (ULONG)n, NULL, NULL) == 0);
        CHECK(5, io.Status == 0 && io.Information == (ULONG_PTR)n);
    }
    for (int i = 0; i < 3; i++) {
        CHECK(6, (ULONG)stub_systime((LARGE_INTEGER *)16) == 0xC0000005u);
        CHECK(7, (ULONG)stub_unknown(&t) == 0xC000001Cu);
    }
    printf("bad pointer, unknown number: ok\n");
    for (int i = 0; i < 100; i++) {
        t.QuadPart = 0;
        CHECK(8, inline_systime(&t) == 0 && t.QuadPart > 0);
        t.QuadPart = 0;
        CHECK(9, stub_ripvar(&t) == 0 && t.QuadPart > 0);
        t.QuadPart = 0;
        CHECK(10, stub_short(&t, 0x5a) == 0 && t.QuadPart > 0);
    }
    /* The RIP-relative variable is read at each call, also from the trampoline. */
    g_ssn = 0xfff;
    CHECK(11, (ULONG)stub_ripvar(&t) == 0xC000001Cu);
    g_ssn = 0x5a;
    CHECK(12, (ULONG)stub_short(&t, 0xfff) == 0xC000001Cu);
    printf("inline, RIP-relative and short sites x100: ok\n");

    for (int i = 0; i < 3; i++)
        CHECK(13, registers_survive());
    printf("registers across the call x3: ok\n");

    HANDLE go = CreateEventA(NULL, TRUE, FALSE, NULL);
    HANDLE th[4];
    for (int i = 0; i < 4; i++)
        th[i] = CreateThread(NULL, 0, hammer, go, 0, NULL);
    SetEvent(go);
    WaitForMultipleObjects(4, th, TRUE, INFINITE);
    CHECK(14, thread_failures == 0);
    printf("4 threads x 20000 calls of one fresh site: ok\n");

    unsigned char inline_mov_first = inline_site[-5];
    int expect = EXPECT_REWRITE;
    check_site("stub NtQuerySystemTime", CODE(stub_systime) + 3, 0xb8);
    check_site("stub NtWriteFile", CODE(stub_writefile) + 3, 0xb8);
    check_site("Windows 10/11 stub", CODE(stub_win10) + 3, 0xb8);
    /* its test/jne/syscall/ret and the int 2e path keep their bytes */
    CHECK(19, memcmp(CODE(stub_win10) + 8, win10_bytes + 8, sizeof win10_bytes - 8) == 0);
    CHECK(23, (CODE(stub_win10)[3] == 0xe9) == expect);
    check_site("lone int 2e", CODE(stub_int2e) + 3, 0xb8);
    CHECK(24, CODE(stub_int2e)[3] == 0xb8);
    check_site("inline site", inline_site - 5, 0xb8);
    check_site("RIP-relative site", CODE(stub_ripvar) + 3, 0x8b);
    check_site("short site", CODE(stub_short) + 3, 0x89);
    CHECK(15, (CODE(stub_systime)[3] == 0xe9) == expect);
    CHECK(16, (inline_mov_first == 0xe9) == expect);
    CHECK(17, CODE(stub_short)[3] == 0x89);
    return 0;
}
