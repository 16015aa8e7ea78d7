/* A C++ exception thrown by a callback that a CRT function calls unwinds through the CRT's
 * frame to the catch in the program, as on Windows (ucrtbase's qsort and bsearch have unwind
 * information; ntrun's are native code whose frames the unwinder crosses with their DWARF
 * call-frame information, thunks/native_unwind.c):
 *  - a qsort comparator throws on its third call: the comparator's and sort_it's destructors
 *    run, in that order, and main catches 42; values main keeps in nonvolatile registers
 *    (integers and doubles) across the call survive;
 *  - a second sort afterwards works (the runtime's state survived the abandoned frames);
 *  - a bsearch comparator throws a class object caught by base class two frames up;
 *  - a throw caught inside the comparator itself never leaves it;
 *  - nested: a comparator that itself calls qsort whose comparator throws; the outer
 *    comparator's catch (...) catches it and rethrows to main.
 * No terminate handler runs (the one set here would exit with 3). */
#include "ucrt.h"

extern "C" __declspec(dllimport) void __cdecl qsort(void *base, size_t n, size_t size,
                                                    int(__cdecl *cmp)(const void *, const void *));
extern "C" __declspec(dllimport) void *__cdecl bsearch(const void *key, const void *base,
                                                       size_t n, size_t size,
                                                       int(__cdecl *cmp)(const void *,
                                                                         const void *));
typedef void(__cdecl *terminate_handler)(void);
extern "C" __declspec(dllimport) terminate_handler __cdecl set_terminate(terminate_handler h);
extern "C" __declspec(dllimport) void __cdecl _exit(int code);

static int calls;

struct Guard {
    const char *name;
    ~Guard() { printf("~Guard(%s)\n", name); }
};

static int plain(const void *a, const void *b)
{
    int x = *(const int *)a, y = *(const int *)b;
    return (x > y) - (x < y);
}

static int __cdecl cmp_throwing(const void *a, const void *b)
{
    Guard g{"comparator"};
    if (++calls == 3)
        throw 42;
    return plain(a, b);
}

__declspec(noinline) static void sort_it(int *v, size_t n)
{
    Guard g{"sort_it"};
    qsort(v, n, sizeof *v, cmp_throwing);
    printf("not reached\n");
}

struct Base {
    int code;
    virtual ~Base() {}
};
struct Derived : Base {
    Derived(int c) { code = c; }
};

static int __cdecl cmp_search_throwing(const void *key, const void *)
{
    throw Derived(*(const int *)key);
}

__declspec(noinline) static void search_it(const int *v, size_t n, int key)
{
    Guard g{"search_it"};
    bsearch(&key, v, n, sizeof *v, cmp_search_throwing);
    printf("not reached\n");
}

static int __cdecl cmp_catching(const void *a, const void *b)
{
    try {
        if (++calls == 2)
            throw "inside";
    } catch (const char *s) {
        printf("comparator caught %s\n", s);
    }
    return plain(a, b);
}

static int __cdecl cmp_inner(const void *, const void *)
{
    throw 7;
}

static int __cdecl cmp_outer(const void *a, const void *b)
{
    int w[3] = {3, 2, 1};
    try {
        qsort(w, 3, sizeof *w, cmp_inner);
    } catch (...) {
        printf("outer comparator caught, rethrowing\n");
        throw;
    }
    return plain(a, b);
}

static void __cdecl on_terminate(void)
{
    printf("terminate after %d comparisons\n", calls);
    fflush(stdout);
    _exit(3);
}

__declspec(noinline) static int opaque(int x)
{
    return x * 3 + 1;
}

int main(void)
{
    int v[8] = {5, 3, 8, 1, 9, 2, 7, 4};
    set_terminate(on_terminate);

    /* values live across the throwing call, in nonvolatile registers where the compiler likes */
    int k1 = opaque(1), k2 = opaque(2), k3 = opaque(3), k4 = opaque(4), k5 = opaque(5);
    double d1 = opaque(6) * 0.5, d2 = opaque(7) * 0.25;
    try {
        sort_it(v, 8);
    } catch (int e) {
        printf("caught %d after %d comparisons\n", e, calls);
    }
    printf("kept: %d %d %d %d %d %g %g\n", k1, k2, k3, k4, k5, d1, d2);

    calls = 0;
    qsort(v, 8, sizeof *v, plain);
    for (int i = 0; i < 8; i++)
        printf("%d%c", v[i], i == 7 ? '\n' : ' ');

    try {
        search_it(v, 8, 7);
    } catch (const Base &b) {
        printf("caught Base %d from bsearch\n", b.code);
    }

    int w[4] = {4, 3, 2, 1};
    calls = 0;
    qsort(w, 4, sizeof *w, cmp_catching);
    printf("sorted %d %d %d %d\n", w[0], w[1], w[2], w[3]);

    try {
        qsort(w, 4, sizeof *w, cmp_outer);
    } catch (int e) {
        printf("caught %d from the nested sort\n", e);
    }
    return 0;
}
