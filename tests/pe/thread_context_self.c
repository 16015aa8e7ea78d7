/* SetThreadContext on the calling thread: Windows resumes the thread at the new context (as
 * NtContinue would) and the call does not return:
 *  - a context captured by RtlCaptureContext, set again, goes on right after the capture
 *    (a volatile counter shows the second pass);
 *  - Rip/Rsp/Rcx (CONTEXT_CONTROL | CONTEXT_INTEGER) sent to another function on a stack of
 *    the program's own, which gets its argument in Rcx and jumps back with longjmp;
 *  - CONTEXT_INTEGER alone: the call returns to its caller (TRUE) with Rbx, a callee-saved
 *    register, replaced (checked in assembly);
 *  - a bad context pointer fails with ERROR_NOACCESS (998) and returns.
 * Output as on Windows. */
#include <windows.h>
#include <setjmp.h>
#include <stdio.h>
#include <string.h>

static jmp_buf back;
static volatile int redirected_arg;

static void __attribute__((noinline)) redirected(ULONG_PTR arg)
{
    redirected_arg = (int)arg;
    printf("redirected: arg %d, stack aligned %d\n", (int)arg,
           (int)(((ULONG_PTR)__builtin_frame_address(0) & 0xf) == 0));
    longjmp(back, 7);
}

/* rbx_after_set(ctx): sets Rbx = 0x1234 through SetThreadContext(CONTEXT_INTEGER) with the
 * other integer registers as they are, returns the Rbx it sees after the call. */
ULONG64 rbx_after_set(CONTEXT *ctx);
__asm__(".text\n"
        ".globl rbx_after_set\n"
        "rbx_after_set:\n"
        "    push %rbx\n"
        "    push %rsi\n"
        "    sub $0x28, %rsp\n"
        "    mov %rcx, %rsi\n"
        "    xor %ebx, %ebx\n"
        "    mov $-2, %rcx\n"            /* GetCurrentThread() */
        "    mov %rsi, %rdx\n"
        "    call *__imp_SetThreadContext(%rip)\n"
        "    mov %rbx, %rax\n"
        "    add $0x28, %rsp\n"
        "    pop %rsi\n"
        "    pop %rbx\n"
        "    ret\n");

static __attribute__((aligned(16))) unsigned char alt_stack[64 * 1024];

int main(void)
{
    setvbuf(stdout, NULL, _IONBF, 0);

    /* back to a captured context */
    static CONTEXT c1;
    volatile int pass = 0;
    memset(&c1, 0, sizeof c1);
    c1.ContextFlags = CONTEXT_FULL;
    RtlCaptureContext(&c1);
    pass++;
    if (pass == 1) {
        c1.ContextFlags = CONTEXT_FULL;
        BOOL r = SetThreadContext(GetCurrentThread(), &c1);
        printf("returned %d (%lu)\n", r, GetLastError());
    }
    printf("pass %d\n", pass);

    /* to another function, on another stack */
    static CONTEXT c2;
    if (setjmp(back) == 0) {
        memset(&c2, 0, sizeof c2);
        c2.ContextFlags = CONTEXT_FULL;
        RtlCaptureContext(&c2);
        if (redirected_arg == 0) {
            c2.ContextFlags = CONTEXT_CONTROL | CONTEXT_INTEGER;
            c2.Rip = (DWORD64)(ULONG_PTR)redirected;
            /* as after a call: the return address slot at Rsp, Rsp + 8 16-byte aligned */
            c2.Rsp = (DWORD64)(ULONG_PTR)(alt_stack + sizeof alt_stack - 0x100 - 8);
            c2.Rcx = 42;
            BOOL r = SetThreadContext(GetCurrentThread(), &c2);
            printf("returned %d (%lu)\n", r, GetLastError());
        }
        printf("not reached\n");
    } else {
        printf("back from the other stack: %d\n", redirected_arg);
    }

    /* integer registers only: the call returns, with them changed */
    static CONTEXT c3;
    memset(&c3, 0, sizeof c3);
    c3.ContextFlags = CONTEXT_FULL;
    RtlCaptureContext(&c3);
    c3.ContextFlags = CONTEXT_INTEGER;
    c3.Rbx = 0x1234;
    c3.Rsp = 0; /* not used: not CONTEXT_CONTROL */
    c3.Rip = 0;
    printf("rbx after: 0x%llx\n", (unsigned long long)rbx_after_set(&c3));

    /* errors */
    SetLastError(0);
    BOOL r = SetThreadContext(GetCurrentThread(), (CONTEXT *)(ULONG_PTR)0x10);
    printf("bad pointer: %d %lu\n", r, GetLastError());
    SetLastError(0);
    r = SetThreadContext(NULL, &c3);
    printf("bad handle: %d %lu\n", r, GetLastError());
    return 0;
}
