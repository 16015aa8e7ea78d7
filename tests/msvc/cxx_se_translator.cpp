/* _set_se_translator (vcruntime140): structured exceptions (access violation, integer divide
 * by zero) turned into C++ exceptions by the thread's translator, for frames compiled with
 * /EHa (cxx_se_translator.eha: see CMakeLists.txt), as on Windows:
 *  - the translator gets the exception code and EXCEPTION_POINTERS, throws SeError, and the
 *    try around the faulting call catches it as SeError; destructors of the frames in
 *    between run;
 *  - a fault in a qsort comparator is translated and caught around the qsort call;
 *  - _set_se_translator returns the previous translator;
 *  - a translator that returns leaves the exception untranslated: catch (...) takes it;
 *  - the translator is per thread: a new thread has none.
 * Faults happen in functions called through pointers, so that the calls are inside the try
 * ranges (clang does not mark faulting instructions, as /EHa would). */
#include "ucrt.h"

struct _EXCEPTION_POINTERS {
    struct Record {
        unsigned long code, flags;
        Record *next;
        void *address;
    } *record;
    void *context;
};
typedef void(__cdecl *_se_translator_function)(unsigned int, struct _EXCEPTION_POINTERS *);
__declspec(dllimport) _se_translator_function __cdecl _set_se_translator(_se_translator_function);

extern "C" {
__declspec(dllimport) void __cdecl qsort(void *base, size_t n, size_t size,
                                         int(__cdecl *cmp)(const void *, const void *));
__declspec(dllimport) void *__stdcall CreateThread(void *sa, size_t stack,
                                                   unsigned long(__stdcall *fn)(void *),
                                                   void *arg, unsigned long flags,
                                                   unsigned long *id);
__declspec(dllimport) unsigned long __stdcall WaitForSingleObject(void *h, unsigned long ms);
}

struct SeError {
    unsigned code;
};

static int translations;

static void __cdecl translator(unsigned int code, struct _EXCEPTION_POINTERS *p)
{
    translations++;
    printf("  translator: 0x%08X (record code 0x%08lX)\n", code, p->record->code);
    throw SeError{code};
}

static void __cdecl returning_translator(unsigned int code, struct _EXCEPTION_POINTERS *)
{
    printf("  returning translator: 0x%08X\n", code);
}

static int *volatile null_ptr;
static volatile int zero;

static void store_null() { *null_ptr = 1; }
static void divide() { printf("%d\n", 10 / zero); }
static void (*volatile do_store_null)() = store_null;
static void (*volatile do_divide)() = divide;

struct Guard {
    const char *name;
    ~Guard() { printf("  ~Guard(%s)\n", name); }
};

__declspec(noinline) static void middle(void (*fn)())
{
    Guard g{"middle"};
    fn();
    printf("not reached\n");
}

static int __cdecl cmp_fault(const void *a, const void *b)
{
    do_store_null();
    return *(const int *)a - *(const int *)b;
}

static unsigned long __stdcall thread_main(void *)
{
    try {
        do_store_null();
    } catch (const SeError &e) {
        printf("thread: translated 0x%08X (wrong)\n", e.code);
    } catch (...) {
        printf("thread: catch (...) without translation\n");
    }
    return 0;
}

int main(void)
{
    printf("first translator: %s\n", _set_se_translator(translator) ? "set" : "none");

    printf("1: access violation\n");
    try {
        middle(do_store_null);
    } catch (const SeError &e) {
        printf("caught SeError 0x%08X\n", e.code);
    }

    printf("2: divide by zero\n");
    try {
        middle(do_divide);
    } catch (const SeError &e) {
        printf("caught SeError 0x%08X\n", e.code);
    }

    printf("3: in a qsort comparator\n");
    int v[3] = {3, 1, 2};
    try {
        qsort(v, 3, sizeof *v, cmp_fault);
    } catch (const SeError &e) {
        printf("caught SeError 0x%08X\n", e.code);
    }

    printf("4: another thread\n");
    void *h = CreateThread(nullptr, 0, thread_main, nullptr, 0, nullptr);
    WaitForSingleObject(h, 0xFFFFFFFF);

    printf("5: a translator that returns\n");
    _se_translator_function prev = _set_se_translator(returning_translator);
    printf("previous is translator: %d\n", prev == translator);
    try {
        do_store_null();
    } catch (const SeError &) {
        printf("wrong\n");
    } catch (...) {
        printf("caught by catch (...)\n");
    }
    printf("translations: %d\n", translations);
    return 0;
}
