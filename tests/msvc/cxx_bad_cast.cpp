/* std::bad_cast and std::bad_typeid thrown by vcruntime140: dynamic_cast to a reference that
 * fails (__RTDynamicCast with isReference) throws std::bad_cast("Bad dynamic_cast!"), typeid
 * of a null pointer (__RTtypeid(nullptr), called directly: typeid needs <typeinfo>) std::bad_typeid("Attempted a typeid of nullptr
 * pointer!"); each is caught as itself and as std::exception, by reference and by value, and
 * the object's own RTTI names its type. A reference cast that succeeds and the pointer forms
 * do not throw. std::exception is declared as vcruntime_exception.h declares it (no MSVC
 * headers here); the catch matches the runtime's types by their decorated names. */
#include "ucrt.h"

struct __std_exception_data {
    const char *_What;
    bool _DoFree;
};
extern "C" __declspec(dllimport) void __cdecl __std_exception_copy(const __std_exception_data *,
                                                                    __std_exception_data *);
extern "C" __declspec(dllimport) void __cdecl __std_exception_destroy(__std_exception_data *);
extern "C" __declspec(dllimport) void *__cdecl __RTtypeid(void *);

namespace std {
class exception {
public:
    exception() noexcept : _Data() {}
    exception(const exception &other) noexcept : _Data() { __std_exception_copy(&other._Data, &_Data); }
    virtual ~exception() noexcept { __std_exception_destroy(&_Data); }
    virtual const char *what() const { return _Data._What ? _Data._What : "Unknown exception"; }

private:
    __std_exception_data _Data;
};
class bad_cast : public exception {};
class bad_typeid : public exception {};
} // namespace std

struct Base {
    virtual ~Base() {}
    int b = 1;
};
struct Left : Base {
    int l = 2;
};
struct Right : Base {
    int r = 3;
};

static int cast_ref(Base &b) { return dynamic_cast<Left &>(b).l; }

static const char *typeid_name(Base *p)
{
    /* typeid(*p) as clang emits it for the MSVC ABI: __RTtypeid on the object */
    void *td = __RTtypeid(p);
    static char buf[64];
    const char *n = (const char *)td + 16; /* the decorated name */
    int i = 0;
    for (; n[i] && i < 63; i++)
        buf[i] = n[i];
    buf[i] = 0;
    return buf;
}

int main(void)
{
    Left left;
    Right right;
    printf("good reference cast: %d\n", cast_ref(left));
    printf("failed pointer cast is null: %d\n", dynamic_cast<Left *>((Base *)&right) == nullptr);
    try {
        cast_ref(right);
        printf("not reached\n");
    } catch (const std::bad_cast &e) {
        printf("caught std::bad_cast: %s\n", e.what());
    }
    try {
        cast_ref(right);
    } catch (const std::exception &e) {
        printf("caught as std::exception: %s, dynamic_cast to bad_cast %d\n", e.what(),
               dynamic_cast<const std::bad_cast *>(&e) != nullptr);
    }
    try {
        cast_ref(right);
    } catch (std::bad_cast e) {
        printf("caught by value: %s\n", e.what());
    }
    try {
        try {
            cast_ref(right);
        } catch (const std::bad_typeid &) {
            printf("wrong catch\n");
        }
    } catch (...) {
        printf("skipped the bad_typeid catch, caught by catch (...)\n");
    }
    printf("typeid of an object: %s\n", typeid_name(&left));
    Base *null_base = nullptr;
    try {
        typeid_name(null_base);
        printf("not reached\n");
    } catch (const std::bad_typeid &e) {
        printf("caught std::bad_typeid: %s\n", e.what());
    }
    try {
        typeid_name(null_base);
    } catch (const std::exception &e) {
        printf("typeid(*nullptr) caught as std::exception: %s\n", e.what());
    }
    return 0;
}
