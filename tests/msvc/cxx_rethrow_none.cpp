/* `throw;` with no exception being handled calls std::terminate: terminate() -> abort() ->
 * __fastfail, exit status 0xC0000409 (9 in the low byte), even inside a try with catch (...). */
#include "ucrt.h"

__declspec(noinline) static void rethrow(void) { throw; }

int main()
{
    printf("rethrowing nothing\n");
    fflush(stdout);
    try {
        rethrow();
    } catch (...) {
        printf("wrong: caught\n");
    }
    printf("not reached\n");
    return 0;
}
