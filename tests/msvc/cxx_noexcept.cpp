/* An exception leaving a noexcept function calls std::terminate even though main would catch
 * it: terminate() -> abort() -> __fastfail, exit status 0xC0000409 (9 in the low byte). clang
 * reaches vcruntime140's __std_terminate from the function's cleanup; MSVC from the frame
 * handler's noexcept flag. */
#include "ucrt.h"

__declspec(noinline) static void thrower(int v) { throw v; }

__declspec(noinline) static void no_throw(int v) noexcept { thrower(v); }

int main()
{
    printf("calling a noexcept function that throws\n");
    fflush(stdout);
    try {
        no_throw(1);
    } catch (...) {
        printf("wrong: caught in main\n");
    }
    printf("not reached\n");
    return 0;
}
