/* An MSVC C++ exception nothing catches: the search finds no handler, so no destructor runs;
 * the start-up code's unhandled-exception filter calls std::terminate(), whose default is
 * abort(), which ends an UCRT program with __fastfail(FAST_FAIL_FATAL_APP_EXIT): exit status
 * 0xC0000409 (9 in the low byte). */
#include "ucrt.h"

struct Local {
    ~Local() { printf("destructor ran\n"); }
};

__declspec(noinline) static void thrower(void)
{
    Local l;
    printf("throwing\n");
    fflush(stdout);
    throw 42;
}

int main()
{
    thrower();
    printf("not reached\n");
    return 0;
}
