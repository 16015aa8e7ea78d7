/* dll_initfail: a program that imports from dllfail.dll, whose DllMain returns FALSE for
 * DLL_PROCESS_ATTACH: the process does not start (main never runs) and ends with
 * STATUS_DLL_INIT_FAILED (0xC0000142; 0x42 on the command line). */
#include <stdio.h>
#include <windows.h>

__declspec(dllimport) int FailValue(void);

int main(void)
{
    printf("main ran, FailValue() = %d\n", FailValue());
    return 0;
}
