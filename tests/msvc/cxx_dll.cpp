/* C++ exceptions across modules: a class thrown in a DLL (its ThrowInfo and catchable types in
 * the DLL's image) caught in the program by a base class declared in the program (types match
 * by decorated name), and exceptions thrown by the program's callback caught inside the DLL,
 * with the destructors of both modules' frames run on the way. The DLL is dlls/cxxdll.cpp. */
#include "ucrt.h"

struct DllError {
    int code;
    explicit DllError(int c) : code(c) {}
    DllError(const DllError &o) : code(o.code) { printf("  copy DllError %d\n", code); }
    virtual ~DllError() { printf("  ~DllError %d\n", code); }
    virtual const char *what() const { return "DllError"; }
};
struct ExeError : DllError {
    explicit ExeError(int c) : DllError(c) {}
    const char *what() const override { return "ExeError (the program's vftable)"; }
};
struct Tracer {
    const char *name;
    explicit Tracer(const char *n) : name(n) { printf("  ctor %s\n", name); }
    ~Tracer() { printf("  dtor %s\n", name); }
};

extern "C" __declspec(dllimport) void dll_throw(int code);
extern "C" __declspec(dllimport) int dll_catch(void (*callback)(int), int v);

static void throw_exe_error(int v)
{
    Tracer t("in callback");
    throw ExeError(v);
}
static void throw_int(int v) { throw v; }

int main()
{
    printf("1: thrown in the DLL, caught in the program by base class\n");
    try {
        Tracer t("in main's try");
        dll_throw(1);
    } catch (const DllError &e) {
        printf("main caught %s %d\n", e.what(), e.code);
    }
    printf("2: thrown by the program's callback, caught in the DLL\n");
    printf("dll_catch returned %d\n", dll_catch(throw_exe_error, 2));
    printf("dll_catch returned %d\n", dll_catch(throw_int, 3));
    printf("3: caught by value in the program\n");
    try {
        dll_throw(4);
    } catch (DllError e) {
        printf("main caught a copy: %s %d\n", e.what(), e.code);
    }
    return 0;
}
