/* CONTEXT_XSTATE: the upper halves of ymm0-15 (the AVX state) in a CONTEXT with its CONTEXT_EX.
 *  - GetEnabledXStateFeatures / RtlGetEnabledExtendedFeatures name x87, SSE and AVX;
 *  - InitializeContext(2): the length asked for (ERROR_INSUFFICIENT_BUFFER), a 16-byte aligned
 *    CONTEXT in the buffer with the flags set, ERROR_INVALID_PARAMETER for unknown flags;
 *  - SetXStateFeaturesMask / GetXStateFeaturesMask, LocateXStateFeature (x87 and SSE in the
 *    CONTEXT's FltSave, AVX in the XSTATE area: 256 bytes), CopyContext of the XSTATE part and
 *    its refusal (ERROR_MORE_DATA) into a CONTEXT without one;
 *  - GetThreadContext on the calling thread sees the caller's ymm registers;
 *  - NtContinue and SetThreadContext on the calling thread load the context's upper halves;
 *  - a suspended thread spinning in assembly: GetThreadContext reads its upper halves,
 *    SetThreadContext(CONTEXT_XSTATE) replaces them (the lower halves stay);
 *  - a vectored handler's CONTEXT after an illegal instruction has CONTEXT_XSTATE with the
 *    faulting ymm registers, and what the handler writes there is what the program continues
 *    with.
 * Skips (prints "no avx") on a CPU without AVX. Output as on Windows; identical under Wine 8.0. */
#include <stdio.h>
#include <string.h>
#include <windows.h>

#ifndef CONTEXT_XSTATE
#define CONTEXT_XSTATE (CONTEXT_AMD64 | 0x40)
#endif

typedef BOOL(WINAPI *init2_fn)(void *, DWORD, CONTEXT **, DWORD *, DWORD64);
typedef LONG(NTAPI *continue_fn)(CONTEXT *, BOOLEAN);
typedef DWORD64(NTAPI *features_fn)(DWORD64);

/* ymm_call(pattern, fn, a, b): loads ymm0-15 from pattern (16 x 32 bytes), calls fn(a, b) and
 * returns its result; xmm6-15 (callee-saved) are kept. */
__asm__(".text\n.p2align 4\n.globl ymm_call\nymm_call:\n"
        "    push %rbp\n    mov %rsp, %rbp\n    sub $0xc0, %rsp\n    and $-16, %rsp\n"
        "    movdqu %xmm6, 0x20(%rsp)\n    movdqu %xmm7, 0x30(%rsp)\n"
        "    movdqu %xmm8, 0x40(%rsp)\n    movdqu %xmm9, 0x50(%rsp)\n"
        "    movdqu %xmm10, 0x60(%rsp)\n    movdqu %xmm11, 0x70(%rsp)\n"
        "    movdqu %xmm12, 0x80(%rsp)\n    movdqu %xmm13, 0x90(%rsp)\n"
        "    movdqu %xmm14, 0xa0(%rsp)\n    movdqu %xmm15, 0xb0(%rsp)\n"
        "    vmovdqu 0x000(%rcx), %ymm0\n    vmovdqu 0x020(%rcx), %ymm1\n"
        "    vmovdqu 0x040(%rcx), %ymm2\n    vmovdqu 0x060(%rcx), %ymm3\n"
        "    vmovdqu 0x080(%rcx), %ymm4\n    vmovdqu 0x0a0(%rcx), %ymm5\n"
        "    vmovdqu 0x0c0(%rcx), %ymm6\n    vmovdqu 0x0e0(%rcx), %ymm7\n"
        "    vmovdqu 0x100(%rcx), %ymm8\n    vmovdqu 0x120(%rcx), %ymm9\n"
        "    vmovdqu 0x140(%rcx), %ymm10\n    vmovdqu 0x160(%rcx), %ymm11\n"
        "    vmovdqu 0x180(%rcx), %ymm12\n    vmovdqu 0x1a0(%rcx), %ymm13\n"
        "    vmovdqu 0x1c0(%rcx), %ymm14\n    vmovdqu 0x1e0(%rcx), %ymm15\n"
        "    mov %rdx, %rax\n    mov %r8, %rcx\n    mov %r9, %rdx\n"
        "    call *%rax\n"
        "    movdqu 0x20(%rsp), %xmm6\n    movdqu 0x30(%rsp), %xmm7\n"
        "    movdqu 0x40(%rsp), %xmm8\n    movdqu 0x50(%rsp), %xmm9\n"
        "    movdqu 0x60(%rsp), %xmm10\n    movdqu 0x70(%rsp), %xmm11\n"
        "    movdqu 0x80(%rsp), %xmm12\n    movdqu 0x90(%rsp), %xmm13\n"
        "    movdqu 0xa0(%rsp), %xmm14\n    movdqu 0xb0(%rsp), %xmm15\n"
        "    mov %rbp, %rsp\n    pop %rbp\n    ret\n");
LONG_PTR ymm_call(const void *pattern, void *fn, void *a, void *b);

/* Stores ymm0-15 at (%rcx); xmm6-15 are restored from the caller's save area at (%rdx). */
#define YMM_DUMP_RCX                                                                          \
    "    vmovdqu %ymm0, 0x000(%rcx)\n    vmovdqu %ymm1, 0x020(%rcx)\n"                       \
    "    vmovdqu %ymm2, 0x040(%rcx)\n    vmovdqu %ymm3, 0x060(%rcx)\n"                       \
    "    vmovdqu %ymm4, 0x080(%rcx)\n    vmovdqu %ymm5, 0x0a0(%rcx)\n"                       \
    "    vmovdqu %ymm6, 0x0c0(%rcx)\n    vmovdqu %ymm7, 0x0e0(%rcx)\n"                       \
    "    vmovdqu %ymm8, 0x100(%rcx)\n    vmovdqu %ymm9, 0x120(%rcx)\n"                       \
    "    vmovdqu %ymm10, 0x140(%rcx)\n    vmovdqu %ymm11, 0x160(%rcx)\n"                     \
    "    vmovdqu %ymm12, 0x180(%rcx)\n    vmovdqu %ymm13, 0x1a0(%rcx)\n"                     \
    "    vmovdqu %ymm14, 0x1c0(%rcx)\n    vmovdqu %ymm15, 0x1e0(%rcx)\n"
#define YMM_LOAD_RCX                                                                          \
    "    vmovdqu 0x000(%rcx), %ymm0\n    vmovdqu 0x020(%rcx), %ymm1\n"                       \
    "    vmovdqu 0x040(%rcx), %ymm2\n    vmovdqu 0x060(%rcx), %ymm3\n"                       \
    "    vmovdqu 0x080(%rcx), %ymm4\n    vmovdqu 0x0a0(%rcx), %ymm5\n"                       \
    "    vmovdqu 0x0c0(%rcx), %ymm6\n    vmovdqu 0x0e0(%rcx), %ymm7\n"                       \
    "    vmovdqu 0x100(%rcx), %ymm8\n    vmovdqu 0x120(%rcx), %ymm9\n"                       \
    "    vmovdqu 0x140(%rcx), %ymm10\n    vmovdqu 0x160(%rcx), %ymm11\n"                     \
    "    vmovdqu 0x180(%rcx), %ymm12\n    vmovdqu 0x1a0(%rcx), %ymm13\n"                     \
    "    vmovdqu 0x1c0(%rcx), %ymm14\n    vmovdqu 0x1e0(%rcx), %ymm15\n"
#define XMM_SAVE                                                                              \
    "    sub $0xa8, %rsp\n"                                                                   \
    "    movdqu %xmm6, 0x00(%rsp)\n    movdqu %xmm7, 0x10(%rsp)\n"                           \
    "    movdqu %xmm8, 0x20(%rsp)\n    movdqu %xmm9, 0x30(%rsp)\n"                           \
    "    movdqu %xmm10, 0x40(%rsp)\n    movdqu %xmm11, 0x50(%rsp)\n"                         \
    "    movdqu %xmm12, 0x60(%rsp)\n    movdqu %xmm13, 0x70(%rsp)\n"                         \
    "    movdqu %xmm14, 0x80(%rsp)\n    movdqu %xmm15, 0x90(%rsp)\n"
#define XMM_RESTORE                                                                           \
    "    movdqu 0x00(%rsp), %xmm6\n    movdqu 0x10(%rsp), %xmm7\n"                           \
    "    movdqu 0x20(%rsp), %xmm8\n    movdqu 0x30(%rsp), %xmm9\n"                           \
    "    movdqu 0x40(%rsp), %xmm10\n    movdqu 0x50(%rsp), %xmm11\n"                         \
    "    movdqu 0x60(%rsp), %xmm12\n    movdqu 0x70(%rsp), %xmm13\n"                         \
    "    movdqu 0x80(%rsp), %xmm14\n    movdqu 0x90(%rsp), %xmm15\n"                         \
    "    add $0xa8, %rsp\n"

/* capture_twice(ctx, dump, cb): RtlCaptureContext(ctx); on the first pass (resume_pass == 0)
 * calls cb(ctx), which resumes the context and does not return; on the second stores ymm0-15
 * at dump and returns. */
__asm__(".text\n.p2align 4\n.globl capture_twice\ncapture_twice:\n"
        "    push %rbx\n    push %rsi\n    push %rdi\n" XMM_SAVE
        "    mov %rcx, %rbx\n    mov %rdx, %rsi\n    mov %r8, %rdi\n"
        "    sub $0x28, %rsp\n"
        "    mov %rbx, %rcx\n    call *__imp_RtlCaptureContext(%rip)\n"
        "    cmpl $0, resume_pass(%rip)\n    jne 1f\n"
        "    movl $1, resume_pass(%rip)\n"
        "    mov %rbx, %rcx\n    call *%rdi\n    ud2\n"
        "1:  add $0x28, %rsp\n    mov %rsi, %rcx\n" YMM_DUMP_RCX XMM_RESTORE
        "    pop %rdi\n    pop %rsi\n    pop %rbx\n    ret\n");
void capture_twice(CONTEXT *ctx, void *dump, void (*cb)(CONTEXT *));
volatile LONG resume_pass;

/* spin_thread(arg = struct spin): loads ymm0-15 from a pattern, says so, spins until told to
 * go, stores ymm0-15. */
struct spin {
    const void *pattern;   /* 0x00 */
    void *dump;            /* 0x08 */
    volatile LONG ready;   /* 0x10 */
    volatile LONG go;      /* 0x14 */
};
__asm__(".text\n.p2align 4\n.globl spin_thread\nspin_thread:\n"
        "    push %rbx\n" XMM_SAVE
        "    mov %rcx, %rbx\n    mov 0x00(%rbx), %rcx\n" YMM_LOAD_RCX
        "    movl $1, 0x10(%rbx)\n"
        "1:  pause\n    cmpl $0, 0x14(%rbx)\n    je 1b\n"
        "    mov 0x08(%rbx), %rcx\n" YMM_DUMP_RCX XMM_RESTORE
        "    pop %rbx\n    xor %eax, %eax\n    ret\n");
DWORD WINAPI spin_thread(void *arg);

/* fault_ymm(pattern, dump): loads ymm0-15, executes ud2 (a handler moves Rip past it), stores
 * ymm0-15. */
__asm__(".text\n.p2align 4\n.globl fault_ymm\nfault_ymm:\n"
        "    push %rbx\n" XMM_SAVE
        "    mov %rdx, %rbx\n" YMM_LOAD_RCX
        "    ud2\n"
        "    mov %rbx, %rcx\n" YMM_DUMP_RCX XMM_RESTORE
        "    pop %rbx\n    ret\n");
void fault_ymm(const void *pattern, void *dump);

static __attribute__((aligned(32))) BYTE pat_a[16][32], pat_b[16][32], dump[16][32];
static continue_fn nt_continue;

static void fill(BYTE p[16][32], BYTE seed)
{
    for (int i = 0; i < 16; i++)
        for (int j = 0; j < 32; j++)
            p[i][j] = (BYTE)(seed + i * 32 + j * 7);
}

/* Whether upper halves `u` (16 x 16 bytes) are those of pattern p. */
static int uppers_are(const BYTE *u, BYTE p[16][32])
{
    for (int i = 0; i < 16; i++)
        if (memcmp(u + 16 * i, &p[i][16], 16) != 0)
            return 0;
    return 1;
}

static int dump_is(BYTE lo[16][32], BYTE hi[16][32])
{
    for (int i = 0; i < 16; i++)
        if (memcmp(dump[i], lo[i], 16) != 0 || memcmp(&dump[i][16], &hi[i][16], 16) != 0)
            return 0;
    return 1;
}

static int dump_uppers_are(BYTE p[16][32])
{
    for (int i = 0; i < 16; i++)
        if (memcmp(&dump[i][16], &p[i][16], 16) != 0)
            return 0;
    return 1;
}

static CONTEXT *new_context(DWORD flags, void **buffer)
{
    DWORD len = 0;
    InitializeContext(NULL, flags, NULL, &len);
    *buffer = malloc(len);
    CONTEXT *c = NULL;
    if (!InitializeContext(*buffer, flags, &c, &len))
        return NULL;
    return c;
}

static BYTE *ymmh_of(CONTEXT *c)
{
    DWORD len = 0;
    BYTE *p = LocateXStateFeature(c, XSTATE_AVX, &len);
    return p && len == 256 ? p : NULL;
}

static void set_uppers(CONTEXT *c, BYTE p[16][32])
{
    SetXStateFeaturesMask(c, XSTATE_MASK_AVX);
    BYTE *u = ymmh_of(c);
    for (int i = 0; u && i < 16; i++)
        memcpy(u + 16 * i, &p[i][16], 16);
}

static void continue_cb(CONTEXT *c)
{
    c->ContextFlags = CONTEXT_FULL | CONTEXT_XSTATE;
    set_uppers(c, pat_b);
    nt_continue(c, FALSE);
}

static void set_context_cb(CONTEXT *c)
{
    c->ContextFlags = CONTEXT_CONTROL | CONTEXT_INTEGER | CONTEXT_XSTATE;
    set_uppers(c, pat_a);
    SetThreadContext(GetCurrentThread(), c);
}

static volatile int handler_flags_ok, handler_uppers_ok;

static LONG CALLBACK on_fault(EXCEPTION_POINTERS *ep)
{
    if (ep->ExceptionRecord->ExceptionCode != EXCEPTION_ILLEGAL_INSTRUCTION)
        return EXCEPTION_CONTINUE_SEARCH;
    CONTEXT *c = ep->ContextRecord;
    DWORD64 mask = 0;
    handler_flags_ok = (c->ContextFlags & CONTEXT_XSTATE) == CONTEXT_XSTATE &&
                       GetXStateFeaturesMask(c, &mask) && (mask & XSTATE_MASK_AVX);
    BYTE *u = ymmh_of(c);
    handler_uppers_ok = u && uppers_are(u, pat_a);
    if (u)
        for (int i = 0; i < 16; i++)
            memcpy(u + 16 * i, &pat_b[i][16], 16);
    c->Rip += 2;
    return EXCEPTION_CONTINUE_EXECUTION;
}

int main(void)
{
    HMODULE nt = GetModuleHandleA("ntdll.dll");
    nt_continue = (continue_fn)GetProcAddress(nt, "NtContinue");
    features_fn rtl_features = (features_fn)GetProcAddress(nt, "RtlGetEnabledExtendedFeatures");
    DWORD64 enabled = GetEnabledXStateFeatures();
    if (!(enabled & XSTATE_MASK_AVX)) {
        printf("no avx\n");
        return 0;
    }
    printf("enabled: x87 %d sse %d avx %d, rtl avx %#llx\n", (int)(enabled & 1),
           (int)(enabled >> 1 & 1), (int)(enabled >> 2 & 1),
           (unsigned long long)rtl_features(XSTATE_MASK_AVX | 0x100000000ull));
    fill(pat_a, 0x11);
    fill(pat_b, 0x80);

    /* InitializeContext */
    DWORD len = 0;
    SetLastError(0);
    BOOL r = InitializeContext(NULL, CONTEXT_ALL, NULL, &len);
    printf("InitializeContext(NULL, ALL): %d err %lu len %#lx\n", r, GetLastError(), len);
    DWORD xlen = 0;
    r = InitializeContext(NULL, CONTEXT_ALL | CONTEXT_XSTATE, NULL, &xlen);
    printf("InitializeContext(NULL, ALL|XSTATE): %d err %lu longer %d\n", r, GetLastError(),
           xlen >= len + 256);
    SetLastError(0);
    void *buf = malloc(xlen + 64);
    CONTEXT *c = NULL;
    DWORD got = xlen;
    r = InitializeContext((BYTE *)buf + 1, CONTEXT_ALL | CONTEXT_XSTATE, &c, &got);
    printf("InitializeContext(buf+1): %d aligned %d in buffer %d flags %#lx\n", r,
           ((ULONG_PTR)c & 15) == 0, (BYTE *)c >= (BYTE *)buf + 1 && (BYTE *)c < (BYTE *)buf + 17,
           c ? c->ContextFlags : 0);
    CONTEXT *c2 = NULL;
    got = xlen;
    SetLastError(0);
    r = InitializeContext(buf, CONTEXT_AMD64 | 0x100, &c2, &got);
    printf("InitializeContext(bad flags): %d err %lu\n", r, GetLastError());
    got = 0;
    SetLastError(0);
    r = InitializeContext(buf, CONTEXT_ALL | CONTEXT_XSTATE, &c2, &got);
    printf("InitializeContext(short): %d err %lu\n", r, GetLastError());
    void *buf2 = malloc(xlen);
    got = xlen;
    init2_fn init2 = (init2_fn)GetProcAddress(GetModuleHandleA("kernel32.dll"),
                                              "InitializeContext2");
    r = init2(buf2, CONTEXT_ALL | CONTEXT_XSTATE, &c2, &got, XSTATE_MASK_AVX);
    printf("InitializeContext2: %d flags %#lx\n", r, c2 ? c2->ContextFlags : 0);

    /* features mask, LocateXStateFeature */
    DWORD64 mask = 99;
    r = GetXStateFeaturesMask(c, &mask);
    printf("GetXStateFeaturesMask fresh: %d %#llx\n", r, (unsigned long long)mask);
    r = SetXStateFeaturesMask(c, XSTATE_MASK_AVX | XSTATE_MASK_LEGACY);
    GetXStateFeaturesMask(c, &mask);
    printf("SetXStateFeaturesMask: %d, mask now %#llx\n", r, (unsigned long long)mask);
    DWORD flen = 0;
    void *p = LocateXStateFeature(c, XSTATE_LEGACY_FLOATING_POINT, &flen);
    printf("Locate x87: in FltSave %d len %lu\n", p == (void *)&c->FltSave, flen);
    p = LocateXStateFeature(c, XSTATE_LEGACY_SSE, &flen);
    printf("Locate sse: at XmmRegisters %d len %lu\n", p == (void *)c->FltSave.XmmRegisters, flen);
    p = LocateXStateFeature(c, XSTATE_AVX, &flen);
    printf("Locate avx: after the CONTEXT %d len %lu\n", (BYTE *)p >= (BYTE *)(c + 1), flen);
    CONTEXT plain;
    memset(&plain, 0, sizeof plain);
    plain.ContextFlags = CONTEXT_ALL;
    r = SetXStateFeaturesMask(&plain, XSTATE_MASK_AVX);
    printf("SetXStateFeaturesMask(no XSTATE): %d\n", r);

    /* CopyContext */
    set_uppers(c, pat_a);
    c->Rbx = 0x1234;
    r = CopyContext(c2, CONTEXT_ALL | CONTEXT_XSTATE, c);
    DWORD64 m2 = 0;
    GetXStateFeaturesMask(c2, &m2);
    printf("CopyContext: %d rbx %#llx avx mask %d uppers %d\n", r, (unsigned long long)c2->Rbx,
           (int)(m2 >> 2 & 1), ymmh_of(c2) && uppers_are(ymmh_of(c2), pat_a));
    SetLastError(0);
    r = CopyContext(&plain, CONTEXT_ALL | CONTEXT_XSTATE, c);
    printf("CopyContext into no XSTATE: %d err %lu\n", r, GetLastError());
    c->Rbx = 0x5678;
    r = CopyContext(c2, CONTEXT_INTEGER, c);
    printf("CopyContext integer: %d rbx %#llx\n", r, (unsigned long long)c2->Rbx);

    /* GetThreadContext on oneself, with the ymm registers loaded */
    CONTEXT *g = new_context(CONTEXT_FULL | CONTEXT_XSTATE, &buf2);
    SetXStateFeaturesMask(g, XSTATE_MASK_AVX);
    r = (BOOL)ymm_call(pat_a, (void *)GetThreadContext, GetCurrentThread(), g);
    mask = 0;
    GetXStateFeaturesMask(g, &mask);
    printf("GetThreadContext(self): %d flags %#lx avx %d uppers %d\n", r, g->ContextFlags,
           (int)(mask >> 2 & 1), ymmh_of(g) && uppers_are(ymmh_of(g), pat_a));

    /* NtContinue / SetThreadContext on oneself load the upper halves */
    CONTEXT *k = new_context(CONTEXT_FULL | CONTEXT_XSTATE, &buf2);
    resume_pass = 0;
    memset(dump, 0, sizeof dump);
    capture_twice(k, dump, continue_cb);
    printf("NtContinue(XSTATE): pass %ld uppers %d\n", resume_pass, dump_uppers_are(pat_b));
    resume_pass = 0;
    memset(dump, 0, sizeof dump);
    capture_twice(k, dump, set_context_cb);
    printf("SetThreadContext(self, XSTATE): pass %ld uppers %d\n", resume_pass,
           dump_uppers_are(pat_a));

    /* a suspended thread */
    struct spin s = {pat_a, dump, 0, 0};
    memset(dump, 0, sizeof dump);
    HANDLE th = CreateThread(NULL, 0, spin_thread, &s, 0, NULL);
    while (!s.ready)
        Sleep(1);
    SuspendThread(th);
    CONTEXT *t = new_context(CONTEXT_CONTROL | CONTEXT_XSTATE, &buf2);
    SetXStateFeaturesMask(t, XSTATE_MASK_AVX);
    r = GetThreadContext(th, t);
    mask = 0;
    GetXStateFeaturesMask(t, &mask);
    printf("GetThreadContext(suspended): %d avx %d uppers %d\n", r, (int)(mask >> 2 & 1),
           ymmh_of(t) && uppers_are(ymmh_of(t), pat_a));
    CONTEXT *w = new_context(CONTEXT_XSTATE, &buf2);
    set_uppers(w, pat_b);
    r = SetThreadContext(th, w);
    printf("SetThreadContext(suspended, XSTATE): %d\n", r);
    s.go = 1;
    ResumeThread(th);
    WaitForSingleObject(th, INFINITE);
    printf("thread's registers: lower halves kept, upper halves set %d\n", dump_is(pat_a, pat_b));

    /* the CONTEXT of an exception */
    PVOID h = AddVectoredExceptionHandler(1, on_fault);
    memset(dump, 0, sizeof dump);
    fault_ymm(pat_a, dump);
    RemoveVectoredExceptionHandler(h);
    printf("handler: CONTEXT_XSTATE with avx %d, faulting uppers %d; after: %d\n",
           handler_flags_ok, handler_uppers_ok, dump_is(pat_a, pat_b));
    return 0;
}
