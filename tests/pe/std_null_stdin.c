/* Standard input redirected from the null device (run-pe-test.sh feeds /dev/null, as `prog <NUL`
 * does on Windows): the handle is a character file that is no console. GetFileType says
 * FILE_TYPE_CHAR, GetConsoleMode fails with ERROR_INVALID_HANDLE, msvcrt's _isatty is non-zero
 * (it tests for a character device, a known quirk: Microsoft's _isatty page), a read gives 0
 * bytes (end of file), and stdout (a file here) is FILE_TYPE_DISK. ntrun tells /dev/null from a
 * terminal by its device number, without a TCGETS (docs/performance.md, twenty-fourth pass). */
#include <io.h>
#include <stdio.h>
#include <windows.h>

int main(void)
{
    HANDLE in = GetStdHandle(STD_INPUT_HANDLE);
    DWORD mode = 0xcccccccc, got = 0xcccccccc;
    printf("stdin type %lu\n", GetFileType(in));
    SetLastError(0);
    BOOL ok = GetConsoleMode(in, &mode);
    printf("GetConsoleMode %d error %lu\n", ok, ok ? 0 : GetLastError());
    printf("_isatty(0) %s\n", _isatty(0) ? "non-zero" : "0");
    char buf[8];
    ok = ReadFile(in, buf, sizeof buf, &got, NULL);
    printf("ReadFile %d got %lu\n", ok, got);
    printf("stdout type %lu\n", GetFileType(GetStdHandle(STD_OUTPUT_HANDLE)));
    return 0;
}
