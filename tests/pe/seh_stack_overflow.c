/* Unbounded recursion runs into the guard page below the thread's stack: the process ends with
 * exit code 0xC00000FD (EXCEPTION_STACK_OVERFLOW, 0xFD = 253 in the low byte) and a line on
 * stderr saying so, instead of dying silently of SIGSEGV. */
#include <stdio.h>

#pragma GCC diagnostic ignored "-Winfinite-recursion" /* on purpose */

__attribute__((noinline)) static int recurse(volatile char *p)
{
    volatile char buf[512];
    buf[0] = *p;
    return recurse(buf) + buf[1];
}

int main(void)
{
    printf("recursing\n");
    fflush(stdout);
    return recurse("x");
}
