// cxx_exceptions: C++ exceptions through libstdc++-6.dll and libgcc_s_seh-1.dll, which unwind
// with Windows SEH (RaiseException, RtlUnwindEx, the .pdata of every module on the way):
// a throw caught in the same frame, a throw across many frames (recursion 50 deep) with
// destructors of locals running on the way, the std::exception hierarchy (caught by base
// class, what()), a user-defined exception type with data, rethrow (throw;), nested
// try/catch, catch (...), an exception from inside libstdc++ (std::vector::at -> out_of_range,
// std::stoi -> invalid_argument), and std::exception_ptr carried out of a catch block.
#include <cstdio>
#include <exception>
#include <stdexcept>
#include <string>
#include <vector>

static int destroyed;

struct Guard {
    int id;
    explicit Guard(int i) : id(i) {}
    ~Guard() { destroyed++; }
};

struct MyError : std::runtime_error {
    int code;
    MyError(const std::string &m, int c) : std::runtime_error(m), code(c) {}
};

static int deep(int n)
{
    Guard g(n);
    if (n == 0)
        throw MyError("bottom reached", 50);
    return deep(n - 1) + 1;
}

int main()
{
    try {
        throw 42;
    } catch (int v) {
        std::printf("caught int %d\n", v);
    }

    destroyed = 0;
    try {
        deep(50);
    } catch (const MyError &e) {
        std::printf("caught MyError \"%s\" code %d, %d destructors ran\n", e.what(), e.code,
                    destroyed);
    }

    try {
        throw std::logic_error("logic");
    } catch (const std::exception &e) {
        std::printf("caught by std::exception: %s\n", e.what());
    }

    try {
        try {
            throw MyError("inner", 1);
        } catch (const std::runtime_error &e) {
            std::printf("inner catch: %s, rethrowing\n", e.what());
            throw;
        }
    } catch (const MyError &e) {
        std::printf("outer catch: %s code %d\n", e.what(), e.code);
    }

    try {
        throw std::string("a string");
    } catch (...) {
        std::printf("catch (...) caught it\n");
    }

    std::vector<int> v(3);
    try {
        v.at(10) = 1;
    } catch (const std::out_of_range &) {
        std::printf("vector::at threw out_of_range\n");
    }
    try {
        std::stoi("not a number");
    } catch (const std::invalid_argument &) {
        std::printf("stoi threw invalid_argument\n");
    }

    std::exception_ptr ep;
    try {
        throw std::runtime_error("carried");
    } catch (...) {
        ep = std::current_exception();
    }
    try {
        std::rethrow_exception(ep);
    } catch (const std::exception &e) {
        std::printf("rethrown exception_ptr: %s\n", e.what());
    }
    std::printf("done\n");
    return 0;
}
