/* A C++ exception thrown by a callback that a CRT function calls: a qsort comparator throws
 * while main waits to catch it.
 *
 * On Windows the exception unwinds through ucrtbase's qsort frame (which has unwind
 * information): the comparator's and sort_it's destructors run and main catches 42. Under
 * ntrun qsort is native code that foreign unwinding cannot cross: the search for a handler
 * ends at the built-in's frame, so the exception is unhandled there and std::terminate runs
 * (here a terminate handler that reports and exits with 3) before the throwing frame's
 * destructors; Windows prints a third ~Guard(comparator), ~Guard(sort_it), "caught 42 after
 * 3 comparisons" and exits with 0. This test records ntrun's behaviour, which differs from
 * Windows, so that a change to it is seen. */
#include "ucrt.h"

extern "C" __declspec(dllimport) void __cdecl qsort(void *base, size_t n, size_t size,
                                                    int(__cdecl *cmp)(const void *, const void *));
typedef void(__cdecl *terminate_handler)(void);
extern "C" __declspec(dllimport) terminate_handler __cdecl set_terminate(terminate_handler h);
extern "C" __declspec(dllimport) void __cdecl _exit(int code);

static int calls;

struct Guard {
    const char *name;
    ~Guard() { printf("~Guard(%s)\n", name); }
};

static int __cdecl cmp_throwing(const void *a, const void *b)
{
    Guard g{"comparator"};
    if (++calls == 3)
        throw 42;
    int x = *(const int *)a, y = *(const int *)b;
    return (x > y) - (x < y);
}

static void sort_it(int *v, size_t n)
{
    Guard g{"sort_it"};
    qsort(v, n, sizeof *v, cmp_throwing);
    printf("not reached\n");
}

static void __cdecl on_terminate(void)
{
    printf("terminate after %d comparisons\n", calls);
    fflush(stdout);
    _exit(3);
}

int main(void)
{
    int v[8] = {5, 3, 8, 1, 9, 2, 7, 4};
    set_terminate(on_terminate);
    try {
        sort_it(v, 8);
    } catch (int e) {
        printf("caught %d after %d comparisons\n", e, calls); /* what Windows prints */
    }
    return 0;
}
