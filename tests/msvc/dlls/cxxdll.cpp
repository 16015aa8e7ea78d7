/* The DLL half of cxx_dll.cpp: throws a class the program catches by its base, and catches
 * what the program's callback throws. Its types are declared here again, as separately built
 * modules do: they match the program's by decorated name. */
#include "ucrt.h"

struct DllError {
    int code;
    explicit DllError(int c) : code(c) {}
    DllError(const DllError &o) : code(o.code) { printf("  copy DllError %d\n", code); }
    virtual ~DllError() { printf("  ~DllError %d\n", code); }
    virtual const char *what() const { return "DllError"; }
};
struct DllSpecific : DllError {
    explicit DllSpecific(int c) : DllError(c) {}
    const char *what() const override { return "DllSpecific (the DLL's vftable)"; }
};
struct DllTracer {
    const char *name;
    explicit DllTracer(const char *n) : name(n) { printf("  dll ctor %s\n", name); }
    ~DllTracer() { printf("  dll dtor %s\n", name); }
};

extern "C" __declspec(dllexport) void dll_throw(int code)
{
    DllTracer t("in dll_throw");
    throw DllSpecific(code);
}

extern "C" __declspec(dllexport) int dll_catch(void (*callback)(int), int v)
{
    DllTracer t("in dll_catch");
    try {
        callback(v);
    } catch (DllError &e) {
        printf("  the DLL caught %s %d\n", e.what(), e.code);
        return e.code;
    } catch (int i) {
        printf("  the DLL caught int %d\n", i);
        return i;
    }
    return 0;
}
