/* quick_exit: the at_quick_exit functions run last-in first-out, atexit functions do not, and
 * streams are not flushed (so the program flushes what it wants seen); the exit code is
 * quick_exit's. */
#include "ucrt.h"

__declspec(dllimport) __declspec(noreturn) void __cdecl quick_exit(int code);
int __cdecl atexit(void(__cdecl *fn)(void));
int __cdecl at_quick_exit(void(__cdecl *fn)(void));

static void __cdecl q1(void) { printf("at_quick_exit: first registered, last run\n"); fflush(stdout); }
static void __cdecl q2(void) { printf("at_quick_exit: second registered, first run\n"); fflush(stdout); }
static void __cdecl never(void) { printf("atexit function ran (it must not)\n"); fflush(stdout); }

int main(void)
{
    atexit(never);
    at_quick_exit(q1);
    at_quick_exit(q2);
    printf("before quick_exit\n");
    fflush(stdout);
    quick_exit(5);
}
