// cxx_throw: C++ exceptions with libstdc++ and libgcc linked statically (cxx_throw.flags), so
// it depends only on ntrun's Windows exception dispatch and unwinding (RaiseException,
// RtlUnwindEx, RtlVirtualUnwind, RtlLookupFunctionEntry on the program's own .pdata): a throw
// across 200 frames with destructors in each, a catch by base class of a std::exception
// hierarchy, RTTI (dynamic_cast, typeid) on the caught object, rethrow to outer handlers of
// different types, catch (...), a function-try-block whose destructor throws and catches
// internally during the unwind, and std::exception_ptr.
#include <cstdio>
#include <exception>
#include <stdexcept>
#include <string>
#include <typeinfo>
#include <vector>

static int alive;

struct Tracked {
    Tracked() { alive++; }
    ~Tracked() { alive--; }
};

struct AppError : std::runtime_error {
    int depth;
    AppError(const char *m, int d) : std::runtime_error(m), depth(d) {}
};
struct DeepError : AppError {
    using AppError::AppError;
};

__attribute__((noinline)) static int dive(int n)
{
    Tracked t;
    std::vector<int> v(4, n);
    if (n == 0)
        throw DeepError("deep", 200);
    return dive(n - 1) + v[0];
}

struct ThrowsInDtor {
    ~ThrowsInDtor() noexcept(false)
    {
        try {
            throw std::logic_error("inside destructor");
        } catch (const std::logic_error &e) {
            std::printf("destructor caught: %s\n", e.what());
        }
    }
};

static int with_function_try(int x) try {
    ThrowsInDtor d;
    if (x)
        throw std::out_of_range("function try");
    return 0;
} catch (const std::out_of_range &e) {
    std::printf("function-try-block caught: %s\n", e.what());
    return 7;
}

int main()
{
    try {
        dive(200);
    } catch (const AppError &e) {
        const DeepError *de = dynamic_cast<const DeepError *>(&e);
        std::printf("caught %s by AppError& (depth %d), dynamic type DeepError: %s, alive %d\n",
                    e.what(), e.depth, de ? "yes" : "no", alive);
        std::printf("typeid matches: %d\n", typeid(e) == typeid(DeepError));
    }

    for (int i = 0; i < 3; i++) {
        try {
            try {
                if (i == 0)
                    throw std::invalid_argument("bad arg");
                if (i == 1)
                    throw std::string("a string");
                throw 3.5;
            } catch (const std::exception &e) {
                std::printf("inner std::exception: %s, rethrow\n", e.what());
                throw;
            }
        } catch (const std::logic_error &e) {
            std::printf("outer logic_error: %s\n", e.what());
        } catch (const std::string &s) {
            std::printf("outer string: %s\n", s.c_str());
        } catch (...) {
            std::printf("outer catch-all\n");
        }
    }

    std::printf("function try returned %d\n", with_function_try(1));

    std::exception_ptr p;
    try {
        throw AppError("stored", 1);
    } catch (...) {
        p = std::current_exception();
    }
    try {
        std::rethrow_exception(p);
    } catch (const AppError &e) {
        std::printf("rethrown: %s\n", e.what());
    }
    std::printf("done, alive %d\n", alive);
    return 0;
}
