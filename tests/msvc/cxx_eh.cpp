/* MSVC C++ exceptions (vcruntime140 _CxxThrowException + __CxxFrameHandler3): throw and catch
 * by type and by base class across frames, by value (copy constructor), reference and pointer,
 * catch clause order, catch (...), destructors of every frame on unwind in reverse order,
 * rethrow (`throw;`) of the same object, a new throw inside a catch, try/catch nested in a catch,
 * std::uncaught_exceptions inside a destructor run by the unwind, and when the exception object
 * is destroyed. The expected output is what an MSVC-built program prints (C++17 rules: the
 * thrown temporary is constructed in place; a by-value catch copies it; the catch object dies at
 * the end of the catch, the exception object right after). */
#include "ucrt.h"

extern "C" __declspec(dllimport) int __cdecl __uncaught_exceptions(void);

static int live; /* objects of Tracer alive */

struct Tracer {
    const char *name;
    explicit Tracer(const char *n) : name(n) { live++; printf("  ctor %s\n", name); }
    Tracer(const Tracer &o) : name(o.name) { live++; printf("  copy %s\n", name); }
    ~Tracer()
    {
        live--;
        printf("  dtor %s (uncaught %d)\n", name, __uncaught_exceptions());
    }
};

struct Base {
    int code;
    explicit Base(int c) : code(c) {}
    Base(const Base &o) : code(o.code) { printf("  copy Base %d\n", code); }
    virtual ~Base() { printf("  ~Base %d\n", code); }
    virtual const char *what() const { return "Base"; }
};
struct Middle : Base {
    explicit Middle(int c) : Base(c) {}
    const char *what() const override { return "Middle"; }
};
struct Derived : Middle {
    explicit Derived(int c) : Middle(c) {}
    const char *what() const override { return "Derived"; }
};
struct Other {
    int x;
};

__declspec(noinline) static void thrower_int(int v)
{
    Tracer t("in thrower_int");
    if (v)
        throw v;
    printf("not reached\n");
}

__declspec(noinline) static void level3(void)
{
    Tracer t("level3");
    throw Derived(42);
}
__declspec(noinline) static void level2(void)
{
    Tracer t("level2");
    level3();
    printf("not reached\n");
}
__declspec(noinline) static void level1(void)
{
    Tracer t("level1");
    try {
        level2();
    } catch (Other &) {
        printf("wrong handler\n");
    }
    printf("not reached\n");
}

static const void *seen_address;

__declspec(noinline) static void rethrower(void)
{
    try {
        throw Derived(7);
    } catch (Base &b) {
        seen_address = &b;
        printf("inner caught %s %d, rethrowing\n", b.what(), b.code);
        Tracer t("in inner catch");
        throw;
    }
}

__declspec(noinline) static void throw_in_catch(void)
{
    try {
        throw 1;
    } catch (int i) {
        printf("caught int %d, throwing a Middle\n", i);
        Tracer t("in catch(int)");
        throw Middle(2);
    }
}

int main()
{
    printf("1: int by value\n");
    try {
        thrower_int(5);
    } catch (long) {
        printf("wrong: long\n");
    } catch (int v) {
        printf("caught int %d\n", v);
    }

    printf("2: derived caught as base reference through three frames\n");
    try {
        level1();
    } catch (Base &b) {
        printf("caught %s %d as Base&\n", b.what(), b.code);
    }

    printf("3: catch by value copies the object\n");
    try {
        throw Derived(3);
    } catch (Middle m) {
        printf("caught by value: %s %d\n", m.what(), m.code);
    }

    printf("4: pointers\n");
    Derived d(4);
    try {
        throw &d;
    } catch (Other *) {
        printf("wrong: Other*\n");
    } catch (const Base *p) {
        printf("caught pointer to %s, same object %d\n", p->what(), p == &d);
    }
    try {
        throw "a string";
    } catch (const char *s) {
        printf("caught const char *: %s\n", s);
    }

    printf("5: first matching clause wins, catch (...)\n");
    try {
        throw Other{9};
    } catch (Base &) {
        printf("wrong: Base\n");
    } catch (...) {
        printf("caught by ...\n");
    }

    printf("6: rethrow keeps the same object\n");
    try {
        rethrower();
    } catch (Derived &e) {
        printf("outer caught %s %d, same object %d\n", e.what(), e.code, (const void *)&e == seen_address);
    }

    printf("7: a new exception thrown in a catch block\n");
    try {
        throw_in_catch();
    } catch (Middle &m) {
        printf("caught %s %d\n", m.what(), m.code);
    }

    printf("8: try/catch nested in a catch block\n");
    try {
        Tracer t("outer try");
        throw 10;
    } catch (int i) {
        Tracer t("outer catch");
        try {
            throw Base(11);
        } catch (Base &b) {
            printf("inner caught %d while handling %d\n", b.code, i);
        }
        printf("back in outer catch %d\n", i);
    }

    printf("9: nothing left over\n");
    printf("live tracers %d, uncaught %d\n", live, __uncaught_exceptions());
    return 0;
}
