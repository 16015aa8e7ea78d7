/* libntrun test program: prints a line, then ExitProcess(42) with output still buffered. */
#include <stdio.h>
#include <windows.h>

int main(void)
{
    printf("about to call ExitProcess(42)\n");
    ExitProcess(42);
}
