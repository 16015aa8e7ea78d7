/* GetNumberOfConsoleInputEvents on handles that are not a console's input buffer: the read end
 * of a pipe made standard input (what Java's System.in.available() asks first, then falls back
 * to PeekNamedPipe), a file and NULL all fail with ERROR_INVALID_HANDLE; PeekNamedPipe then
 * gives the bytes waiting in the pipe. (No console in the test run: stdin is /dev/null.) */
#include <windows.h>
#include <stdio.h>

int main(void)
{
    HANDLE r, w;
    CreatePipe(&r, &w, NULL, 0);
    DWORD n = 0xcccc, written;
    WriteFile(w, "hello", 5, &written, NULL);
    SetStdHandle(STD_INPUT_HANDLE, r);
    SetLastError(0);
    BOOL ok = GetNumberOfConsoleInputEvents(GetStdHandle(STD_INPUT_HANDLE), &n);
    printf("pipe as stdin: %d, error %lu, count %lx\n", ok, GetLastError(), n);
    DWORD avail = 0;
    ok = PeekNamedPipe(r, NULL, 0, NULL, &avail, NULL);
    printf("PeekNamedPipe: %d, %lu bytes\n", ok, avail);

    HANDLE f = CreateFileA("events.txt", GENERIC_READ | GENERIC_WRITE, 0, NULL, CREATE_ALWAYS, 0,
                           NULL);
    SetLastError(0);
    ok = GetNumberOfConsoleInputEvents(f, &n);
    printf("file: %d, error %lu\n", ok, GetLastError());
    SetLastError(0);
    ok = GetNumberOfConsoleInputEvents(NULL, &n);
    printf("NULL: %d, error %lu\n", ok, GetLastError());
    CloseHandle(f);
    DeleteFileA("events.txt");
    return 0;
}
