/* The current directory cannot be removed or renamed while it is current: Windows holds it open
 * sharing read and write but not delete, so RemoveDirectory and MoveFile of it fail with
 * ERROR_SHARING_VIOLATION (32), and files can still be made in it. Once the program has left
 * it, both work. Wine 8.0 prints the same. */
#include <stdio.h>
#include <windows.h>

static void result(const char *what, BOOL ok)
{
    printf("%s: %d (error %lu)\n", what, ok, ok ? 0ul : (unsigned long)GetLastError());
}

int main(void)
{
    CreateDirectoryA("rmcwd_sub", NULL);
    result("enter rmcwd_sub", SetCurrentDirectoryA("rmcwd_sub"));
    result("remove the current directory", RemoveDirectoryA("..\\rmcwd_sub"));
    result("rename the current directory", MoveFileA("..\\rmcwd_sub", "..\\rmcwd_moved"));
    HANDLE f = CreateFileA("x.txt", GENERIC_WRITE, 0, NULL, CREATE_ALWAYS, 0, NULL);
    result("create a file in it", f != INVALID_HANDLE_VALUE);
    if (f != INVALID_HANDLE_VALUE)
        CloseHandle(f);
    result("delete the file", DeleteFileA("x.txt"));
    result("leave it", SetCurrentDirectoryA(".."));
    result("rename it now", MoveFileA("rmcwd_sub", "rmcwd_moved"));
    result("remove it now", RemoveDirectoryA("rmcwd_moved"));
    DWORD attr = GetFileAttributesA("rmcwd_moved");
    printf("gone: %d\n", attr == INVALID_FILE_ATTRIBUTES);
    return 0;
}
