/* dynamic_cast over MSVC's x64 RTTI (vcruntime140 __RTDynamicCast, __RTCastToVoid): downcasts
 * that succeed and fail, a cross cast between the two bases of a class with multiple
 * inheritance, casts to void * giving the complete object, a null pointer. */
#include "ucrt.h"

struct A {
    int a = 1;
    virtual ~A() {}
};
struct B {
    int b = 2;
    virtual ~B() {}
};
struct C : A, B {
    int c = 3;
};
struct D : A {
    int d = 4;
};

static C the_c;
static D the_d;
static A the_a;

__declspec(noinline) static A *make(int which)
{
    C &c = the_c;
    D &d = the_d;
    A &a = the_a;
    return which == 0 ? (A *)&c : which == 1 ? (A *)&d : &a;
}

int main()
{
    for (int i = 0; i < 3; i++) {
        A *p = make(i);
        C *c = dynamic_cast<C *>(p);
        D *d = dynamic_cast<D *>(p);
        B *b = dynamic_cast<B *>(p);
        printf("object %d: as C %s, as D %s, as B %s\n", i, c ? "yes" : "no", d ? "yes" : "no",
               b ? "yes" : "no");
        if (c)
            printf("  C fields %d %d %d, B cross cast is C's B: %d\n", c->a, c->b, c->c,
                   b == static_cast<B *>(c));
        if (b)
            printf("  back from B to A: same %d, void * is the object: %d\n",
                   dynamic_cast<A *>(b) == p, dynamic_cast<void *>(b) == (void *)c);
    }
    A *none = nullptr;
    printf("null stays null: %d\n", dynamic_cast<C *>(none) == nullptr);
    return 0;
}
