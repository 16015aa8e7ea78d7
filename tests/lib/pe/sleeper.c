/* libntrun test program: says it started, then sleeps until it is terminated (spawn tests). */
#include <stdio.h>
#include <windows.h>

int main(void)
{
    printf("sleeping\n");
    fflush(stdout);
    Sleep(INFINITE);
    return 3;
}
