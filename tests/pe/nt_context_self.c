/* NtContinue, NtSetContextThread and NtGetContextThread on the calling thread, through ntdll's
 * exports and through the program's own `syscall` instructions (Windows 10 numbers: NtContinue
 * 0x43, NtSetContextThread 0x18d, NtGetContextThread 0xf3):
 *  - a context captured by RtlCaptureContext, given to NtContinue or NtSetContextThread: the
 *    thread goes on right after the capture (a counter shows the second pass), the call does
 *    not return;
 *  - NtGetContextThread on the thread itself: Rsp on the thread's stack, Rip set (Windows
 *    reports the state inside ntdll's stub, ntrun's import route the caller's after the return:
 *    only what both share is compared);
 *  - NtSetContextThread with CONTEXT_INTEGER alone (captured a moment before) returns to its
 *    caller;
 *  - the whole CONTEXT is restored: Rip/Rsp to a probe on a stack of the program's own, Rbx,
 *    Rcx, Xmm0 and Xmm6 (volatile and callee-saved), MxCsr (rounding toward zero) and the
 *    arithmetic flags (CF ZF SF OF, set and clear), read by the probe in assembly. Rcx (a
 *    volatile register) only for NtContinue, which leaves through the full-restore path on
 *    Windows: after NtSetContextThread Wine 8.0 gives the probe another Rcx (ntrun the
 *    context's), so that line prints -1 instead of comparing;
 *  - NtContinue(ctx, TRUE) delivers the thread's queued user APCs before going on at the
 *    context, NtContinue(ctx, FALSE) leaves them queued (SleepEx runs them afterwards);
 *  - an unreadable CONTEXT: the call fails with STATUS_ACCESS_VIOLATION and returns.
 * Output as on Windows. Wine 8.0 gives the same lines for ntdll's exports; it knows no Windows
 * system-call numbers, so its `syscall` lines differ (Linux's errors, -22 -38 -9). */
#include <stdio.h>
#include <string.h>
#include <windows.h>
#include <winternl.h>

#define SYSCALL_STUB(name, number)                                                            \
    __asm__(".text\n.p2align 4\n.globl " #name "\n" #name ":\n"                              \
            "    mov %rcx, %r10\n    mov $" #number ", %eax\n    syscall\n    ret\n")
SYSCALL_STUB(sc_continue, 0x43);
SYSCALL_STUB(sc_set_context, 0x18d);
SYSCALL_STUB(sc_get_context, 0xf3);
LONG sc_continue(CONTEXT *c, BOOLEAN alert);
LONG sc_set_context(HANDLE h, CONTEXT *c);
LONG sc_get_context(HANDLE h, CONTEXT *c);

typedef LONG(NTAPI *continue_fn)(CONTEXT *, BOOLEAN);
typedef LONG(NTAPI *context_fn)(HANDLE, CONTEXT *);
static continue_fn nt_continue;
static context_fn nt_set_context, nt_get_context;

static volatile int pass;
static __attribute__((aligned(16))) CONTEXT ctx;

static void __attribute__((noinline)) resume_captured(const char *what, int how)
{
    pass = 0;
    memset(&ctx, 0, sizeof ctx);
    ctx.ContextFlags = CONTEXT_FULL;
    RtlCaptureContext(&ctx);
    pass++;
    if (pass == 1) {
        LONG st = how == 0   ? nt_continue(&ctx, FALSE)
                  : how == 1 ? nt_set_context(GetCurrentThread(), &ctx)
                  : how == 2 ? sc_continue(&ctx, FALSE)
                             : sc_set_context(GetCurrentThread(), &ctx);
        printf("%s returned 0x%08lx\n", what, (unsigned long)st);
    }
    printf("%s: after the capture, pass %d\n", what, pass);
}

static void __attribute__((noinline)) get_self(const char *what, int how)
{
    NT_TIB *tib = (NT_TIB *)NtCurrentTeb();
    memset(&ctx, 0, sizeof ctx);
    ctx.ContextFlags = CONTEXT_FULL;
    LONG st = how == 0 ? nt_get_context(GetCurrentThread(), &ctx)
                       : sc_get_context(GetCurrentThread(), &ctx);
    printf("%s: 0x%08lx, Rsp on the stack %d, Rip set %d\n", what, (unsigned long)st,
           ctx.Rsp > (DWORD64)tib->StackLimit && ctx.Rsp < (DWORD64)tib->StackBase, ctx.Rip != 0);
}

/* The probe: records what it finds in the registers, puts MXCSR back to the default, and returns
 * to `home` with RtlRestoreContext. */
__attribute__((used)) ULONG64 probe_xmm[4], probe_flags, probe_rbx, probe_rcx;
__attribute__((used)) DWORD probe_mxcsr, probe_default_mxcsr = 0x1f80;
static CONTEXT home;
__attribute__((used)) void probe_back(void)
{
    RtlRestoreContext(&home, NULL);
}
void probe_entry(void);
__asm__(".text\n.globl probe_entry\nprobe_entry:\n"
        "    pushfq\n"
        "    popq probe_flags(%rip)\n"
        "    movups %xmm0, probe_xmm(%rip)\n"
        "    movups %xmm6, probe_xmm+16(%rip)\n"
        "    stmxcsr probe_mxcsr(%rip)\n"
        "    mov %rbx, probe_rbx(%rip)\n"
        "    mov %rcx, probe_rcx(%rip)\n"
        "    ldmxcsr probe_default_mxcsr(%rip)\n"
        "    cld\n"
        "    and $-16, %rsp\n"
        "    sub $0x20, %rsp\n"
        "    call probe_back\n"
        "    ud2\n");
static __attribute__((aligned(16))) char probe_stack[16384];

static void __attribute__((noinline)) full_context(const char *what, int how, DWORD arith)
{
    static volatile int step;
    static CONTEXT c;
    step = 0;
    memset(probe_xmm, 0, sizeof probe_xmm);
    probe_flags = probe_rbx = probe_rcx = 0;
    probe_mxcsr = 0;
    memset(&home, 0, sizeof home);
    home.ContextFlags = CONTEXT_FULL;
    RtlCaptureContext(&home);
    if (step++ == 0) {
        c = home;
        c.ContextFlags = CONTEXT_FULL;
        c.Rip = (DWORD64)(ULONG_PTR)probe_entry;
        c.Rsp = (DWORD64)(ULONG_PTR)(probe_stack + sizeof probe_stack - 8);
        c.Rbx = 0x1111222233334444ull;
        c.Rcx = 0x5555666677778888ull;
        c.Xmm0.Low = 0x0123456789abcdefull, c.Xmm0.High = 0xfedcba9876543210ull;
        c.Xmm6.Low = 0x0f1e2d3c4b5a6978ull, c.Xmm6.High = 0x8796a5b4c3d2e1f0ull;
        c.MxCsr = c.FltSave.MxCsr = 0x7f80;
        c.EFlags = 0x202 | arith;
        LONG st = how == 0   ? nt_continue(&c, FALSE)
                  : how == 1 ? nt_set_context(GetCurrentThread(), &c)
                  : how == 2 ? sc_continue(&c, FALSE)
                             : sc_set_context(GetCurrentThread(), &c);
        printf("%s returned 0x%08lx\n", what, (unsigned long)st);
    }
    /* Rcx, a volatile register: NtContinue restores it; NtSetContextThread is not compared
     * (see the header). */
    printf("%s flags %#lx: rbx %d rcx %d xmm0 %d xmm6 %d mxcsr %#lx flags %#lx\n", what,
           (unsigned long)arith, probe_rbx == 0x1111222233334444ull,
           how == 1 || how == 3 ? -1 : probe_rcx == 0x5555666677778888ull,
           probe_xmm[0] == 0x0123456789abcdefull && probe_xmm[1] == 0xfedcba9876543210ull,
           probe_xmm[2] == 0x0f1e2d3c4b5a6978ull && probe_xmm[3] == 0x8796a5b4c3d2e1f0ull,
           (unsigned long)probe_mxcsr, (unsigned long)(probe_flags & 0x8c1));
}

static volatile int apc_count;
static void CALLBACK count_apc(ULONG_PTR arg)
{
    apc_count += (int)arg;
}

static void __attribute__((noinline)) alertable(const char *what, int how, BOOLEAN alert)
{
    static volatile int step;
    step = 0;
    apc_count = 0;
    QueueUserAPC(count_apc, GetCurrentThread(), 1);
    memset(&ctx, 0, sizeof ctx);
    ctx.ContextFlags = CONTEXT_FULL;
    RtlCaptureContext(&ctx);
    if (step++ == 0) {
        LONG st = how == 0 ? nt_continue(&ctx, alert) : sc_continue(&ctx, alert);
        printf("%s returned 0x%08lx\n", what, (unsigned long)st);
    }
    int before = apc_count;
    SleepEx(0, TRUE);
    printf("%s(alertable %d): APCs at the context %d, after SleepEx %d\n", what, alert, before,
           apc_count);
}

static void bad_pointer(void)
{
    CONTEXT *bad = (CONTEXT *)(ULONG_PTR)0x10;
    printf("ntdll NtContinue(bad): 0x%08lx\n", (unsigned long)nt_continue(bad, FALSE));
    printf("ntdll NtSetContextThread(bad): 0x%08lx\n",
           (unsigned long)nt_set_context(GetCurrentThread(), bad));
    printf("syscall NtContinue(bad): 0x%08lx\n", (unsigned long)sc_continue(bad, FALSE));
    printf("syscall NtSetContextThread(bad): 0x%08lx\n",
           (unsigned long)sc_set_context(GetCurrentThread(), bad));
}

static void integer_only(const char *what, int how)
{
    CONTEXT c;
    memset(&c, 0, sizeof c);
    c.ContextFlags = CONTEXT_FULL;
    RtlCaptureContext(&c);
    c.ContextFlags = CONTEXT_INTEGER;
    c.Rax = 0; /* the result is 0 whether Rax comes from the context or is the status */
    LONG st = how == 0 ? nt_set_context(GetCurrentThread(), &c)
                       : sc_set_context(GetCurrentThread(), &c);
    printf("%s CONTEXT_INTEGER: 0x%08lx\n", what, (unsigned long)st);
}

int main(void)
{
    setvbuf(stdout, NULL, _IONBF, 0);
    HMODULE ntdll = GetModuleHandleA("ntdll.dll");
    nt_continue = (continue_fn)(void *)GetProcAddress(ntdll, "NtContinue");
    nt_set_context = (context_fn)(void *)GetProcAddress(ntdll, "NtSetContextThread");
    nt_get_context = (context_fn)(void *)GetProcAddress(ntdll, "NtGetContextThread");
    resume_captured("ntdll NtContinue", 0);
    resume_captured("ntdll NtSetContextThread", 1);
    resume_captured("syscall NtContinue", 2);
    resume_captured("syscall NtSetContextThread", 3);
    get_self("ntdll NtGetContextThread", 0);
    get_self("syscall NtGetContextThread", 1);
    integer_only("ntdll NtSetContextThread", 0);
    integer_only("syscall NtSetContextThread", 1);
    static const char *names[] = {"ntdll NtContinue", "ntdll NtSetContextThread",
                                  "syscall NtContinue", "syscall NtSetContextThread"};
    for (int how = 0; how < 4; how++) {
        full_context(names[how], how, 0x8c1);
        full_context(names[how], how, 0);
    }
    alertable("ntdll NtContinue", 0, FALSE);
    alertable("ntdll NtContinue", 0, TRUE);
    alertable("syscall NtContinue", 1, FALSE);
    alertable("syscall NtContinue", 1, TRUE);
    bad_pointer();
    /* the same `syscall` sites again, after calls that returned */
    resume_captured("syscall NtContinue again", 2);
    resume_captured("syscall NtSetContextThread again", 3);
    get_self("syscall NtGetContextThread again", 1);
    return 0;
}
