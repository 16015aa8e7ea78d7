/* What mingw-w64 programs built against the UCRT import from api-ms-win-crt-private-l1-1-0:
 * __intrinsic_setjmp and __intrinsic_setjmpex (their setjmp; quick-lint-js) with longjmp, from
 * three calls deep and twice in a row (the value 0 comes back as 1, the registers the compiler
 * keeps in callee-saved registers are as at the setjmp); and strnlen/wcsnlen from
 * api-ms-win-crt-string-l1-1-0 (Rust's libgit2 in git-cliff), which mingw-w64's ucrtbase
 * import library lacks. */
#include "ucrt.h"

typedef struct { unsigned long long part[2]; } __attribute__((aligned(16))) jmp_float128;
typedef jmp_float128 jmp_buf[16];
__declspec(dllimport) int __cdecl __intrinsic_setjmp(jmp_buf buf) __attribute__((returns_twice));
__declspec(dllimport) int __cdecl __intrinsic_setjmpex(jmp_buf buf, void *frame)
    __attribute__((returns_twice));
__declspec(dllimport) __declspec(noreturn) void __cdecl longjmp(jmp_buf buf, int value);
__declspec(dllimport) size_t __cdecl strnlen(const char *s, size_t max);
__declspec(dllimport) size_t __cdecl wcsnlen(const wchar16 *s, size_t max);

static jmp_buf jb;
static volatile int reached;

__declspec(noinline) static void dive(int n, int value)
{
    if (n == 0)
        longjmp(jb, value);
    dive(n - 1, value);
    reached++; /* never: longjmp does not come back */
}

int main(void)
{
    volatile int rounds = 0;
    long long kept = 0x1234567890LL;
    int r = __intrinsic_setjmpex(jb, __builtin_frame_address(0));
    rounds++;
    printf("setjmpex returned %d (round %d, kept %llx)\n", r, rounds, kept);
    if (r == 0)
        dive(3, 42);
    else if (r == 42)
        dive(1, 0);
    r = __intrinsic_setjmp(jb);
    printf("setjmp returned %d\n", r);
    if (r == 0)
        dive(2, 7);
    printf("reached %d\n", reached);

    printf("strnlen: %zu %zu %zu\n", strnlen("hello", 10), strnlen("hello", 3), strnlen("", 4));
    printf("wcsnlen: %zu %zu\n", wcsnlen(u"wide", 10), wcsnlen(u"wide", 2));
    return 0;
}
