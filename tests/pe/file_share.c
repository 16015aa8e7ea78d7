/* file_share: share modes within a process, as Windows enforces them. A file opened for
 * reading without FILE_SHARE_WRITE refuses a second open for writing
 * (ERROR_SHARING_VIOLATION) but takes one for reading with FILE_SHARE_READ; one that does not
 * share reading refuses a reader whose own share mode lacks the first's write access; an open
 * for attributes only never conflicts; a refused CREATE_ALWAYS leaves the contents alone;
 * DeleteFile of a file open without FILE_SHARE_DELETE fails with ERROR_SHARING_VIOLATION and
 * works once it is closed, or when the open shares deletion; the check follows the file, not
 * the name (a second name by hard link conflicts too). */
#include <stdio.h>
#include <windows.h>

static const char *open_result(HANDLE h)
{
    static char buf[64];
    if (h != INVALID_HANDLE_VALUE) {
        CloseHandle(h);
        return "opened";
    }
    snprintf(buf, sizeof buf, "error %lu", GetLastError());
    return buf;
}

int main(void)
{
    const char *name = "file_share.tmp";
    HANDLE a = CreateFileA(name, GENERIC_READ | GENERIC_WRITE, 0, NULL, CREATE_ALWAYS, 0, NULL);
    DWORD n;
    WriteFile(a, "contents", 8, &n, NULL);
    CloseHandle(a);

    a = CreateFileA(name, GENERIC_READ, FILE_SHARE_READ, NULL, OPEN_EXISTING, 0, NULL);
    printf("reader sharing read; second writer: %s\n",
           open_result(CreateFileA(name, GENERIC_WRITE, FILE_SHARE_READ | FILE_SHARE_WRITE, NULL,
                                   OPEN_EXISTING, 0, NULL)));
    printf("second reader sharing read: %s\n",
           open_result(CreateFileA(name, GENERIC_READ, FILE_SHARE_READ, NULL, OPEN_EXISTING, 0, NULL)));
    printf("second reader sharing nothing: %s\n",
           open_result(CreateFileA(name, GENERIC_READ, 0, NULL, OPEN_EXISTING, 0, NULL)));
    printf("attributes only, sharing nothing: %s\n",
           open_result(CreateFileA(name, FILE_READ_ATTRIBUTES, 0, NULL, OPEN_EXISTING, 0, NULL)));
    printf("CREATE_ALWAYS for writing: %s, size still %lu\n",
           open_result(CreateFileA(name, GENERIC_WRITE, FILE_SHARE_READ | FILE_SHARE_WRITE, NULL,
                                   CREATE_ALWAYS, 0, NULL)),
           GetFileSize(a, NULL));
    printf("DeleteFile while open without FILE_SHARE_DELETE: %s, error %lu\n",
           DeleteFileA(name) ? "TRUE" : "FALSE", GetLastError());
    CloseHandle(a);
    a = CreateFileA(name, GENERIC_WRITE, 0, NULL, OPEN_EXISTING, 0, NULL);
    printf("writer sharing nothing; reader sharing everything: %s\n",
           open_result(CreateFileA(name, GENERIC_READ,
                                   FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE, NULL,
                                   OPEN_EXISTING, 0, NULL)));
    BOOL linked = CreateHardLinkA("file_share2.tmp", name, NULL);
    printf("through a hard link: %s\n",
           linked ? open_result(CreateFileA("file_share2.tmp", GENERIC_READ, FILE_SHARE_READ |
                                            FILE_SHARE_WRITE, NULL, OPEN_EXISTING, 0, NULL))
                  : "no link");
    CloseHandle(a);
    if (linked)
        DeleteFileA("file_share2.tmp");
    a = CreateFileA(name, GENERIC_READ, FILE_SHARE_READ | FILE_SHARE_DELETE, NULL, OPEN_EXISTING,
                    0, NULL);
    printf("DeleteFile while open with FILE_SHARE_DELETE: %s\n", DeleteFileA(name) ? "TRUE" : "FALSE");
    CloseHandle(a);
    printf("gone after the close: %s\n",
           GetFileAttributesA(name) == INVALID_FILE_ATTRIBUTES ? "yes" : "no");
    return 0;
}
