// cxx_basic: a C++ program linked against libstdc++-6.dll and libgcc_s_seh-1.dll (mingw-w64's
// g++, Debian's runtime DLLs copied next to it): containers (vector, map, unordered_map, set,
// deque, list, string), algorithms, iostreams (cout with manipulators, ostringstream,
// istringstream), RTTI (typeid names, dynamic_cast up and down a hierarchy, failed casts), a
// static object whose constructor runs before main and destructor at exit, std::function and
// lambdas, smart pointers. Nothing throws (exceptions: cxx_exceptions).
#include <algorithm>
#include <cstdio>
#include <deque>
#include <functional>
#include <iomanip>
#include <iostream>
#include <list>
#include <map>
#include <memory>
#include <numeric>
#include <set>
#include <sstream>
#include <string>
#include <typeinfo>
#include <unordered_map>
#include <vector>

struct Shape {
    virtual ~Shape() = default;
    virtual double area() const = 0;
    virtual std::string name() const { return "shape"; }
};
struct Rect : Shape {
    double w, h;
    Rect(double w_, double h_) : w(w_), h(h_) {}
    double area() const override { return w * h; }
    std::string name() const override { return "rect"; }
};
struct Square : Rect {
    explicit Square(double s) : Rect(s, s) {}
    std::string name() const override { return "square"; }
};
struct Circle : Shape {
    double r;
    explicit Circle(double r_) : r(r_) {}
    double area() const override { return 3.0 * r * r; }
};

struct Global {
    Global() { std::printf("static constructor ran before main\n"); }
    ~Global() { std::printf("static destructor ran at exit\n"); }
};
static Global global;

int main()
{
    std::vector<int> v{5, 3, 9, 1, 7};
    std::sort(v.begin(), v.end());
    std::cout << "sorted:";
    for (int x : v)
        std::cout << ' ' << x;
    std::cout << "\nsum = " << std::accumulate(v.begin(), v.end(), 0) << '\n';

    std::map<std::string, int> m{{"one", 1}, {"two", 2}, {"three", 3}};
    m["four"] = 4;
    for (const auto &kv : m)
        std::cout << kv.first << '=' << kv.second << ';';
    std::cout << '\n';

    std::unordered_map<int, std::string> um;
    for (int i = 0; i < 1000; i++)
        um[i] = std::to_string(i * i);
    std::cout << "unordered_map: size " << um.size() << ", um[31] = " << um[31] << '\n';

    std::set<std::string> s{"pear", "apple", "fig", "apple"};
    std::cout << "set:";
    for (const auto &x : s)
        std::cout << ' ' << x;
    std::cout << '\n';

    std::deque<int> dq;
    for (int i = 0; i < 5; i++) {
        dq.push_front(i);
        dq.push_back(i * 10);
    }
    std::list<int> l(dq.begin(), dq.end());
    l.remove_if([](int x) { return x % 20 == 0; });
    std::cout << "list:";
    for (int x : l)
        std::cout << ' ' << x;
    std::cout << '\n';

    std::string str = "Hello, ntrun";
    std::reverse(str.begin(), str.end());
    std::cout << "reversed: " << str << ", find(\"urt\") = " << str.find("urt") << '\n';

    std::cout << std::fixed << std::setprecision(3) << "pi ~ " << 3.14159265 << ", hex "
              << std::hex << 255 << std::dec << ", width [" << std::setw(6) << 42 << "]\n";

    std::ostringstream os;
    os << "x=" << 12 << " y=" << 3.5;
    std::istringstream is("10 20 30");
    int a, b, c;
    is >> a >> b >> c;
    std::cout << "ostringstream: " << os.str() << ", istringstream sum: " << a + b + c << '\n';

    std::vector<std::unique_ptr<Shape>> shapes;
    shapes.push_back(std::make_unique<Rect>(2, 3));
    shapes.push_back(std::make_unique<Square>(4));
    shapes.push_back(std::make_unique<Circle>(1));
    for (const auto &sh : shapes) {
        const Shape &ref = *sh;
        Rect *r = dynamic_cast<Rect *>(sh.get());
        Square *q = dynamic_cast<Square *>(sh.get());
        std::cout << sh->name() << ": area " << std::setprecision(1) << sh->area()
                  << ", typeid " << typeid(ref).name() << ", is Rect: " << (r ? "yes" : "no")
                  << ", is Square: " << (q ? "yes" : "no") << '\n';
    }
    std::cout << "typeid(int) == typeid(v[0]): " << (typeid(int) == typeid(v[0]) ? "yes" : "no")
              << '\n';

    std::shared_ptr<int> sp = std::make_shared<int>(7);
    std::shared_ptr<int> sp2 = sp;
    std::function<int(int)> f = [sp](int x) { return x * *sp; };
    std::cout << "shared_ptr use_count " << sp.use_count() << ", f(6) = " << f(6) << std::endl;
    return 0;
}
