/* Vectored exception handlers and the unhandled-exception filter: an access violation (read and
 * write, with the address), an integer divide by zero, an integer overflow (INT_MIN / -1, with
 * the divisor in a register or in memory) and an int3 are fixed up by changing the
 * CONTEXT and execution continues; RaiseException with parameters reaches the handler with the
 * code, flags and parameters; handlers are called in order (first/last) and removal works;
 * continue handlers run after a handler continues; SetUnhandledExceptionFilter's filter sees an
 * exception no handler took and can continue it. Behaves the same on Windows. */
#include <stdio.h>
#include <windows.h>

static volatile int *volatile null_ptr;
static volatile int divisor;
static int order[8], norder;
static int continue_calls;

/* The faulting instructions are known: skip them by their length. */
static LONG CALLBACK fixer(EXCEPTION_POINTERS *ep)
{
    EXCEPTION_RECORD *r = ep->ExceptionRecord;
    CONTEXT *c = ep->ContextRecord;
    switch (r->ExceptionCode) {
    case EXCEPTION_ACCESS_VIOLATION:
        printf("AV %s at %#llx, Rip==ExceptionAddress %d\n",
               r->ExceptionInformation[0] == 1 ? "write" : "read",
               (unsigned long long)r->ExceptionInformation[1],
               c->Rip == (DWORD64)r->ExceptionAddress);
        c->Rip += 2; /* mov (%rax),%ecx / mov %ecx,(%rax) */
        return EXCEPTION_CONTINUE_EXECUTION;
    case EXCEPTION_INT_DIVIDE_BY_ZERO:
        printf("divide by zero, params %lu\n", r->NumberParameters);
        c->Rip += 2; /* idiv %ecx */
        c->Rax = 42;
        c->Rdx = 0;
        return EXCEPTION_CONTINUE_EXECUTION;
    case EXCEPTION_INT_OVERFLOW:
        printf("integer overflow\n");
        c->Rip += 2; /* idiv %ecx / idivl (%rcx) */
        c->Rax = 43;
        c->Rdx = 0;
        return EXCEPTION_CONTINUE_EXECUTION;
    case EXCEPTION_BREAKPOINT:
        printf("breakpoint at the int3: %d\n", *(unsigned char *)c->Rip == 0xcc);
        c->Rip += 1;
        return EXCEPTION_CONTINUE_EXECUTION;
    case 0xE0001234:
        printf("raised 0x%lX flags %lu nparams %lu: %llu %llu %llu\n", r->ExceptionCode,
               r->ExceptionFlags, r->NumberParameters,
               (unsigned long long)r->ExceptionInformation[0],
               (unsigned long long)r->ExceptionInformation[1],
               (unsigned long long)r->ExceptionInformation[2]);
        return EXCEPTION_CONTINUE_EXECUTION;
    }
    return EXCEPTION_CONTINUE_SEARCH;
}

static LONG CALLBACK first_h(EXCEPTION_POINTERS *ep)
{
    if (ep->ExceptionRecord->ExceptionCode == 0xE0000001)
        order[norder++] = 1;
    return EXCEPTION_CONTINUE_SEARCH;
}

static LONG CALLBACK last_h(EXCEPTION_POINTERS *ep)
{
    if (ep->ExceptionRecord->ExceptionCode == 0xE0000001) {
        order[norder++] = 3;
        return EXCEPTION_CONTINUE_EXECUTION;
    }
    return EXCEPTION_CONTINUE_SEARCH;
}

static LONG CALLBACK cont_h(EXCEPTION_POINTERS *ep)
{
    continue_calls++;
    return EXCEPTION_CONTINUE_SEARCH;
}

static LONG WINAPI top_filter(EXCEPTION_POINTERS *ep)
{
    printf("unhandled filter: 0x%lX\n", ep->ExceptionRecord->ExceptionCode);
    return EXCEPTION_CONTINUE_EXECUTION;
}

int main(void)
{
    setvbuf(stdout, NULL, _IONBF, 0);
    void *h = AddVectoredExceptionHandler(1, fixer);
    __asm__ volatile("mov (%%rax), %%ecx" : : "a"(null_ptr) : "rcx", "memory");
    printf("after read AV\n");
    __asm__ volatile("mov %%ecx, (%%rax)" : : "a"((char *)null_ptr + 16), "c"(7) : "memory");
    printf("after write AV\n");
    int q;
    __asm__ volatile("cltd\n\tidiv %2" : "=a"(q) : "a"(100), "c"(divisor) : "rdx");
    printf("quotient from handler %d\n", q);
    volatile int minus_one = -1, int_min = (int)0x80000000;
    __asm__ volatile("cltd\n\tidiv %2" : "=a"(q) : "a"(int_min), "c"(minus_one) : "rdx");
    printf("INT_MIN / -1 from handler %d\n", q);
    __asm__ volatile("cltd\n\tidivl (%2)" : "=a"(q) : "a"(5), "c"(&divisor) : "rdx", "memory");
    printf("memory divisor 0 from handler %d\n", q);
    __asm__ volatile("cltd\n\tidivl (%2)" : "=a"(q) : "a"(int_min), "c"(&minus_one) : "rdx", "memory");
    printf("memory INT_MIN / -1 from handler %d\n", q);
    __asm__ volatile("int3");
    printf("after int3\n");
    ULONG_PTR params[3] = {1, 2, 3};
    RaiseException(0xE0001234, 0, 3, params);
    printf("after RaiseException\n");

    void *h1 = AddVectoredExceptionHandler(1, first_h);
    void *h3 = AddVectoredExceptionHandler(0, last_h);
    void *hc = AddVectoredContinueHandler(0, cont_h);
    RaiseException(0xE0000001, 0, 0, NULL);
    printf("order %d %d (%d calls), continue handler %d\n", order[0], order[1], norder,
           continue_calls);
    ULONG r1 = RemoveVectoredExceptionHandler(h1);
    ULONG r3 = RemoveVectoredExceptionHandler(h3);
    ULONG rc = RemoveVectoredContinueHandler(hc);
    ULONG again = RemoveVectoredExceptionHandler(h3);
    printf("remove: %lu %lu %lu %lu\n", r1, r3, rc, again);

    RemoveVectoredExceptionHandler(h);
    SetUnhandledExceptionFilter(top_filter);
    RaiseException(0xE0000002, 0, 0, NULL);
    printf("continued after the unhandled filter\n");
    return 0;
}
