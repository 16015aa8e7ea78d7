/* typeid over MSVC's RTTI: type_info::name (vcruntime140 __std_type_info_name, undecorated the
 * way MSVC prints names), typeid of a polymorphic object through a base pointer (__RTtypeid),
 * operator== and before (__std_type_info_compare), hash_code (__std_type_info_hash). type_info
 * is declared here as vcruntime's header declares it. */
#include "ucrt.h"

struct __std_type_info_data {
    const char *_UndecoratedName;
    const char _DecoratedName[1];
};
struct __type_info_node {
    void *_Header[2];
};
extern "C" __declspec(dllimport) const char *__cdecl __std_type_info_name(
    __std_type_info_data *data, __type_info_node *root);
extern "C" __declspec(dllimport) int __cdecl __std_type_info_compare(
    const __std_type_info_data *a, const __std_type_info_data *b);
extern "C" __declspec(dllimport) size_t __cdecl __std_type_info_hash(
    const __std_type_info_data *data);
extern "C" __declspec(dllimport) void __cdecl __std_type_info_destroy_list(
    __type_info_node *root);

static __type_info_node __type_info_root_node;

class type_info {
public:
    type_info(const type_info &) = delete;
    type_info &operator=(const type_info &) = delete;
    size_t hash_code() const noexcept { return __std_type_info_hash(&_Data); }
    bool operator==(const type_info &o) const noexcept
    {
        return __std_type_info_compare(&_Data, &o._Data) == 0;
    }
    bool before(const type_info &o) const noexcept
    {
        return __std_type_info_compare(&_Data, &o._Data) < 0;
    }
    const char *name() const noexcept { return __std_type_info_name(&_Data, &__type_info_root_node); }
    const char *raw_name() const noexcept { return _Data._DecoratedName; }
    virtual ~type_info() noexcept;

private:
    mutable __std_type_info_data _Data;
};
namespace std {
using ::type_info;
}

namespace shapes {
struct Shape {
    virtual ~Shape() {}
};
struct Circle : Shape {};
}
union U {
    int i;
};
enum Color { red };

int main()
{
    printf("%s | %s\n", typeid(int).name(), typeid(int).raw_name());
    printf("%s\n", typeid(unsigned long long).name());
    printf("%s\n", typeid(const char *).name());
    printf("%s\n", typeid(shapes::Shape).name());
    printf("%s\n", typeid(U).name());
    printf("%s\n", typeid(Color).name());
    shapes::Circle c;
    shapes::Shape *s = &c;
    printf("dynamic type: %s\n", typeid(*s).name());
    printf("same name pointer twice: %d\n", typeid(int).name() == typeid(int).name());
    printf("== %d %d, before %d\n", typeid(*s) == typeid(shapes::Circle),
           typeid(*s) == typeid(shapes::Shape),
           typeid(shapes::Circle).before(typeid(shapes::Shape)) !=
               typeid(shapes::Shape).before(typeid(shapes::Circle)));
    printf("hash equal for equal types %d, differs %d\n",
           typeid(*s).hash_code() == typeid(shapes::Circle).hash_code(),
           typeid(int).hash_code() != typeid(long).hash_code());
    __std_type_info_destroy_list(&__type_info_root_node);
    return 0;
}
