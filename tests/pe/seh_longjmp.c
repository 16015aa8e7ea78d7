/* setjmp/longjmp through msvcrt (mingw's setjmp is msvcrt's _setjmp with a frame argument):
 * longjmp across several frames returns to the setjmp with the value (0 becomes 1), callee-saved
 * locals keep their values; a vectored handler can longjmp out of an access violation (a common
 * way to "try" a memory access), repeatedly, and handlers still work afterwards;
 * RtlCaptureContext/RtlRestoreContext jump back to the capture point; bad pointers given to
 * RtlCaptureContext and RtlUnwindEx are access violations in the program. */
#include <setjmp.h>
#include <stdio.h>
#include <windows.h>

/* gcc counts the noreturn longjmp as not ending the recursion. */
#pragma GCC diagnostic ignored "-Winfinite-recursion"

static jmp_buf jb;
static volatile int *volatile bad_ptr = (int *)16;
static int faults;
static volatile int bottom = 0;

__attribute__((noinline)) static void deep(int n, int value)
{
    volatile char pad[64];
    pad[0] = (char)n;
    if (n > bottom)
        deep(n - 1, value);
    else
        longjmp(jb, value);
    printf("not reached %d\n", pad[0]);
}

static LONG CALLBACK av_to_longjmp(EXCEPTION_POINTERS *ep)
{
    if (ep->ExceptionRecord->ExceptionCode == EXCEPTION_ACCESS_VIOLATION) {
        faults++;
        longjmp(jb, 100 + faults);
    }
    return EXCEPTION_CONTINUE_SEARCH;
}

static int probe(volatile int *p)
{
    int r = setjmp(jb);
    if (r)
        return r;
    return *p;
}

/* RtlCaptureContext + RtlRestoreContext as a jump back: the restore resumes right after the
 * capture, with nonvolatile registers and the stack as captured. */
__attribute__((noinline)) static int capture_restore_loop(void)
{
    static CONTEXT ctx;
    static volatile int passes;
    volatile int local = 77;
    passes = 0;
    RtlCaptureContext(&ctx);
    passes++;
    if (passes < 4)
        RtlRestoreContext(&ctx, NULL);
    DWORD64 base;
    RUNTIME_FUNCTION *f = RtlLookupFunctionEntry(ctx.Rip, &base, NULL);
    printf("capture/restore passes %d, local %d, Rip in this function %d, Rsp aligned %d\n",
           passes, local, f && base + f->BeginAddress == (DWORD64)capture_restore_loop,
           (int)(ctx.Rsp % 8 == 0));
    return passes;
}

int main(void)
{
    volatile int kept = 1234;
    int r = setjmp(jb);
    printf("setjmp returned %d\n", r);
    if (r == 0)
        deep(8, 7);
    else if (r == 7)
        deep(3, 0);
    printf("kept %d\n", kept);

    int ok = 55;
    void *h = AddVectoredExceptionHandler(1, av_to_longjmp);
    for (int i = 0; i < 3; i++)
        printf("probe bad: %d\n", probe(bad_ptr));
    printf("probe good: %d\n", probe(&ok));
    /* Bad pointers given to RtlCaptureContext and RtlUnwindEx: access violations. */
    if (!setjmp(jb))
        RtlCaptureContext((CONTEXT *)16);
    if (!setjmp(jb))
        RtlUnwindEx(NULL, NULL, (EXCEPTION_RECORD *)8, NULL, NULL, NULL);
    RemoveVectoredExceptionHandler(h);
    printf("faults %d\n", faults);
    capture_restore_loop();
    return 0;
}
