/* Structured exceptions raised inside a callback that a CRT function calls reach the
 * program's __try scopes around the CRT call, as on Windows, where the exception dispatch and
 * unwind go through ucrtbase's frames (under ntrun native frames, crossed with their DWARF
 * call-frame information):
 *  1. an access violation in a qsort comparator, caught by __except in main; the __finally of
 *     the function between runs during the unwind (abnormal termination);
 *  2. an integer divide by zero in a bsearch comparator, caught;
 *  3. RaiseException in a qsort comparator with a filter in main that returns
 *     EXCEPTION_CONTINUE_EXECUTION: RaiseException returns in the comparator, and the sort
 *     completes (the search crossed the native frames without unwinding them);
 *  4. a __try/__except inside the comparator catches its own fault; qsort never sees it. */
#include "ucrt.h"

__declspec(dllimport) void __stdcall RaiseException(unsigned long code, unsigned long flags,
                                                    unsigned long nargs, const void *args);
__declspec(dllimport) void __cdecl qsort(void *base, size_t n, size_t size,
                                         int(__cdecl *cmp)(const void *, const void *));
__declspec(dllimport) void *__cdecl bsearch(const void *key, const void *base, size_t n,
                                            size_t size,
                                            int(__cdecl *cmp)(const void *, const void *));

#define GetExceptionCode _exception_code
#define AbnormalTermination _abnormal_termination
#define EXCEPTION_EXECUTE_HANDLER 1
#define EXCEPTION_CONTINUE_SEARCH 0
#define EXCEPTION_CONTINUE_EXECUTION (-1)

static int calls;
static volatile int zero;
static int *volatile null_ptr;

static int plain(const void *a, const void *b)
{
    int x = *(const int *)a, y = *(const int *)b;
    return (x > y) - (x < y);
}

static int __cdecl cmp_fault(const void *a, const void *b)
{
    if (++calls == 3)
        *null_ptr = 1;
    return plain(a, b);
}

static int __cdecl cmp_divide(const void *a, const void *b)
{
    calls++;
    return plain(a, b) / zero;
}

static int __cdecl cmp_raise(const void *a, const void *b)
{
    if (++calls == 2) {
        RaiseException(0xE0000042, 0, 0, 0);
        printf("  RaiseException returned in the comparator\n");
    }
    return plain(a, b);
}

__declspec(noinline) static void fault_here(void)
{
    *null_ptr = 2;
}

static int __cdecl cmp_own_try(const void *a, const void *b)
{
    if (++calls == 1) {
        __try {
            fault_here();
        } __except (EXCEPTION_EXECUTE_HANDLER) {
            printf("  comparator caught its own 0x%08lX\n", (unsigned long)GetExceptionCode());
        }
    }
    return plain(a, b);
}

__declspec(noinline) static void sort_with_finally(int *v, size_t n)
{
    __try {
        qsort(v, n, sizeof *v, cmp_fault);
        printf("not reached\n");
    } __finally {
        printf("  finally in sort_with_finally (abnormal %d) after %d comparisons\n",
               AbnormalTermination(), calls);
    }
}

static int filter(unsigned long code, unsigned long want, int verdict)
{
    printf("  filter: code 0x%08lX\n", code);
    return code == want ? verdict : EXCEPTION_CONTINUE_SEARCH;
}

int main(void)
{
    int v[6] = {6, 5, 4, 3, 2, 1};

    printf("1: access violation in a qsort comparator\n");
    __try {
        sort_with_finally(v, 6);
    } __except (filter(GetExceptionCode(), 0xC0000005, EXCEPTION_EXECUTE_HANDLER)) {
        printf("caught access violation\n");
    }

    printf("2: divide by zero in a bsearch comparator\n");
    int sorted[4] = {1, 2, 3, 4}, key = 3;
    __try {
        bsearch(&key, sorted, 4, sizeof key, cmp_divide);
        printf("not reached\n");
    } __except (filter(GetExceptionCode(), 0xC0000094, EXCEPTION_EXECUTE_HANDLER)) {
        printf("caught divide by zero after %d comparisons\n", calls);
    }

    printf("3: continue execution\n");
    calls = 0;
    __try {
        qsort(v, 6, sizeof *v, cmp_raise);
        printf("  sorted %d %d %d %d %d %d\n", v[0], v[1], v[2], v[3], v[4], v[5]);
    } __except (filter(GetExceptionCode(), 0xE0000042, EXCEPTION_CONTINUE_EXECUTION)) {
        printf("not reached\n");
    }

    printf("4: the comparator's own __try\n");
    calls = 0;
    int w[3] = {3, 1, 2};
    __try {
        qsort(w, 3, sizeof *w, cmp_own_try);
        printf("  sorted %d %d %d\n", w[0], w[1], w[2]);
    } __except (filter(GetExceptionCode(), 0, EXCEPTION_EXECUTE_HANDLER)) {
        printf("not reached\n");
    }
    return 0;
}
