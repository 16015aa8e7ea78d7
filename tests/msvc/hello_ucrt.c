/* The smallest MSVC-ABI program: UCRT start-up, printf through __stdio_common_vfprintf, argv. */
#include "ucrt.h"

int main(int argc, char **argv, char **envp)
{
    printf("hello from an MSVC-ABI program, argc=%d\n", argc);
    for (int i = 1; i < argc; i++)
        printf("argv[%d]=%s\n", i, argv[i]);
    fprintf(stdout, "%5.2f|%-4s|%x\n", 3.14159, "ab", 255);
    return 3;
}
