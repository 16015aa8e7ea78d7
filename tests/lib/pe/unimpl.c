/* libntrun test program: calls a KERNEL32.dll function that ntrun does not have (declared in
 * unimpl.def; it is not a real Windows function either, so it stays unimplemented): without
 * --strict the import is bound to a stub that reports the call and ends the program. */
#include <stdio.h>

__declspec(dllimport) int NtrunTestNoSuchFunction(int);

int main(void)
{
    printf("calling it\n");
    fflush(stdout);
    return NtrunTestNoSuchFunction(1);
}
