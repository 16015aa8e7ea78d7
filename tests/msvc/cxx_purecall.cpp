/* A call through a pure virtual slot (from the abstract base's constructor, where the object is
 * still the base) lands in vcruntime140's _purecall: the handler set with _set_purecall_handler
 * runs (here it reports and exits with 3), else abort(). */
#include "ucrt.h"

typedef void(__cdecl *purecall_handler)(void);
extern "C" __declspec(dllimport) purecall_handler __cdecl _set_purecall_handler(purecall_handler);

static void __cdecl on_purecall(void)
{
    printf("purecall handler called\n");
    exit(3);
}

struct Abstract {
    Abstract() { call_it(); }
    __declspec(noinline) void call_it() { run(); }
    virtual void run() = 0;
    virtual ~Abstract() {}
};
struct Concrete : Abstract {
    void run() override { printf("wrong: Concrete::run\n"); }
};

int main()
{
    printf("old handler null: %d\n", _set_purecall_handler(on_purecall) == nullptr);
    Concrete c;
    printf("not reached\n");
    return 0;
}
