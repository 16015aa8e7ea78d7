/* C structured exception handling as MSVC compiles it (clang for x86_64-pc-windows-msvc):
 * __try/__except and __try/__finally scopes described by __C_specific_handler's scope tables,
 * the handler imported from vcruntime140.dll. Hardware faults and RaiseException, filters that
 * decline (EXCEPTION_CONTINUE_SEARCH) and accept, __finally blocks run on normal exit and by the
 * unwind (AbnormalTermination), nested scopes across functions. */
#include "ucrt.h"

__declspec(dllimport) void __stdcall RaiseException(unsigned long code, unsigned long flags,
                                                    unsigned long nargs, const void *args);

/* excpt.h */
#define GetExceptionCode _exception_code
#define AbnormalTermination _abnormal_termination
#define EXCEPTION_EXECUTE_HANDLER 1
#define EXCEPTION_CONTINUE_SEARCH 0

static int filter_calls;

static int filter(unsigned long code, unsigned long want, int verdict)
{
    filter_calls++;
    printf("  filter: code 0x%08lX, want 0x%08lX -> %d\n", code, want, verdict);
    return code == want ? verdict : EXCEPTION_CONTINUE_SEARCH;
}

/* clang's scope tables cover calls (it does not support faults of instructions directly inside
 * a __try), so the faults happen in functions called from one. */
__declspec(noinline) static void store_null(void)
{
    *(volatile int *)0 = 1;
}

__declspec(noinline) static int divide(int a, int b)
{
    return a / b;
}

__declspec(noinline) static void raise_it(unsigned long code)
{
    __try {
        printf("  raising 0x%08lX\n", code);
        RaiseException(code, 0, 0, 0);
        printf("not reached\n");
    } __finally {
        printf("  finally in raise_it (abnormal %d)\n", AbnormalTermination());
    }
}

__declspec(noinline) static void declines(unsigned long code)
{
    __try {
        raise_it(code);
    } __except (filter(GetExceptionCode(), 0xE0000002, EXCEPTION_EXECUTE_HANDLER)) {
        printf("wrong handler\n");
    }
}

int main(void)
{
    printf("1: access violation\n");
    __try {
        store_null();
        printf("not reached\n");
    } __except (filter(GetExceptionCode(), 0xC0000005, EXCEPTION_EXECUTE_HANDLER)) {
        printf("caught access violation\n");
    }

    printf("2: finally on normal exit\n");
    __try {
        printf("  in try\n");
    } __finally {
        printf("  finally (abnormal %d)\n", AbnormalTermination());
    }

    printf("3: an inner filter declines, the outer one catches\n");
    __try {
        declines(0xE0000001);
    } __except (filter(GetExceptionCode(), 0xE0000001, EXCEPTION_EXECUTE_HANDLER)) {
        printf("caught 0x%08lX\n", (unsigned long)GetExceptionCode());
    }

    printf("4: divide by zero\n");
    volatile int zero = 0;
    __try {
        printf("%d\n", divide(100, zero));
    } __except (GetExceptionCode() == 0xC0000094 ? EXCEPTION_EXECUTE_HANDLER
                                                  : EXCEPTION_CONTINUE_SEARCH) {
        printf("caught integer divide by zero\n");
    }
    printf("filters called %d times\n", filter_calls);
    return 0;
}
