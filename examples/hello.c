/* SPDX-License-Identifier: MIT */
/* The bundled example: a Windows console program, built with mingw-w64 and run through ntrun. */
#include <stdio.h>
#include <windows.h>

int main(int argc, char **argv)
{
    char dir[MAX_PATH];
    GetCurrentDirectoryA(sizeof dir, dir);
    printf("Hello from a Windows program running under ntrun!\n");
    printf("argc = %d, current directory = %s\n", argc, dir);
    for (int i = 1; i < argc; i++)
        printf("argv[%d] = %s\n", i, argv[i]);
    return 0;
}
