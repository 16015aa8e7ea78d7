/* Exceptions on threads other than the main one: each of four threads takes access violations
 * and integer divisions by zero that one vectored handler fixes (per-thread CONTEXTs, no
 * mixing), raises and continues software exceptions; an illegal instruction (ud2) and a
 * privileged one (hlt) are reported with their own codes. Behaves the same on Windows. */
#include <stdio.h>
#include <windows.h>

static volatile int *volatile null_ptr;
static volatile int zero;
static volatile LONG av_count, div_count, raised_count, ill_count, priv_count;

static LONG CALLBACK fixer(EXCEPTION_POINTERS *ep)
{
    CONTEXT *c = ep->ContextRecord;
    switch (ep->ExceptionRecord->ExceptionCode) {
    case EXCEPTION_ACCESS_VIOLATION:
        InterlockedIncrement(&av_count);
        c->Rip += 2; /* mov (%rax),%ecx */
        c->Rcx = GetCurrentThreadId();
        return EXCEPTION_CONTINUE_EXECUTION;
    case EXCEPTION_INT_DIVIDE_BY_ZERO:
        InterlockedIncrement(&div_count);
        c->Rip += 2; /* idiv %ecx */
        c->Rax = 1;
        return EXCEPTION_CONTINUE_EXECUTION;
    case EXCEPTION_ILLEGAL_INSTRUCTION:
        InterlockedIncrement(&ill_count);
        c->Rip += 2; /* ud2 */
        return EXCEPTION_CONTINUE_EXECUTION;
    case EXCEPTION_PRIV_INSTRUCTION:
        InterlockedIncrement(&priv_count);
        c->Rip += 1; /* hlt */
        return EXCEPTION_CONTINUE_EXECUTION;
    case 0xE0000042:
        InterlockedIncrement(&raised_count);
        return EXCEPTION_CONTINUE_EXECUTION;
    }
    return EXCEPTION_CONTINUE_SEARCH;
}

static DWORD WINAPI worker(void *arg)
{
    DWORD bad = 0;
    for (int i = 0; i < 200; i++) {
        unsigned got;
        __asm__ volatile("mov (%%rax), %%ecx" : "=c"(got) : "a"(null_ptr) : "memory");
        if (got != GetCurrentThreadId())
            bad++;
        int q;
        __asm__ volatile("cltd\n\tidiv %2" : "=a"(q) : "a"(10), "c"(zero) : "rdx");
        if (q != 1)
            bad++;
        RaiseException(0xE0000042, 0, 0, NULL);
    }
    __asm__ volatile("ud2");
    __asm__ volatile("hlt");
    return bad;
}

int main(void)
{
    AddVectoredExceptionHandler(1, fixer);
    HANDLE t[4];
    for (int i = 0; i < 4; i++)
        t[i] = CreateThread(NULL, 0, worker, NULL, 0, NULL);
    WaitForMultipleObjects(4, t, TRUE, INFINITE);
    DWORD bad = 0;
    for (int i = 0; i < 4; i++) {
        DWORD code;
        GetExitCodeThread(t[i], &code);
        bad += code;
        CloseHandle(t[i]);
    }
    printf("av %ld, div %ld, raised %ld, illegal %ld, privileged %ld, wrong results %lu\n",
           av_count, div_count, raised_count, ill_count, priv_count, bad);
    return 0;
}
