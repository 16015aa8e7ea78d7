/* files_kernel32: kernel32 file functions in the current directory. CreateFileA with each
 * creation disposition and the last error it leaves (ERROR_ALREADY_EXISTS on CREATE_ALWAYS /
 * OPEN_ALWAYS of an existing file, ERROR_FILE_EXISTS for CREATE_NEW, ERROR_FILE_NOT_FOUND,
 * ERROR_PATH_NOT_FOUND), WriteFile/ReadFile (a read at the end succeeds with 0 bytes),
 * SetFilePointer/SetFilePointerEx/GetFileSizeEx/SetEndOfFile, CloseHandle of a bad handle,
 * DeleteFileA, MoveFileA, GetFileAttributesA, CreateDirectoryA/RemoveDirectoryA,
 * FindFirstFileA/FindNextFileA (names sorted before printing: the order is not guaranteed),
 * paths with '/' and '\\' and different case, GetFullPathNameA and GetCurrentDirectoryA.
 *
 * Expected output checked with Wine 8. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <windows.h>
#define FAIL_SHOWS_LAST_ERROR
#include "fail_check.h"

static const char *disposition_name(DWORD d)
{
    switch (d) {
    case CREATE_NEW: return "CREATE_NEW";
    case CREATE_ALWAYS: return "CREATE_ALWAYS";
    case OPEN_EXISTING: return "OPEN_EXISTING";
    case OPEN_ALWAYS: return "OPEN_ALWAYS";
    case TRUNCATE_EXISTING: return "TRUNCATE_EXISTING";
    }
    return "?";
}

/* Opens with one disposition, prints success and the last error, returns the handle. The
 * last error after a success is documented only for CREATE_ALWAYS and OPEN_ALWAYS (0, or
 * ERROR_ALREADY_EXISTS when the file was there). */
static HANDLE open_with(const char *name, DWORD disposition)
{
    SetLastError(0xdeadbeef);
    HANDLE h = CreateFileA(name, GENERIC_READ | GENERIC_WRITE, FILE_SHARE_READ, NULL, disposition,
                           FILE_ATTRIBUTE_NORMAL, NULL);
    DWORD err = GetLastError();
    if (h != INVALID_HANDLE_VALUE && disposition != CREATE_ALWAYS && disposition != OPEN_ALWAYS)
        printf("CreateFileA(%s, %s): handle\n", name, disposition_name(disposition));
    else
        printf("CreateFileA(%s, %s): %s, last error %lu\n", name, disposition_name(disposition),
               h == INVALID_HANDLE_VALUE ? "INVALID_HANDLE_VALUE" : "handle", err);
    return h;
}

static LONGLONG file_size(HANDLE h)
{
    LARGE_INTEGER sz;
    CHECK(3, GetFileSizeEx(h, &sz));
    return sz.QuadPart;
}

static int compare_names(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static void write_file(const char *name, const char *text)
{
    HANDLE h = CreateFileA(name, GENERIC_WRITE, 0, NULL, CREATE_ALWAYS, FILE_ATTRIBUTE_NORMAL,
                           NULL);
    CHECK(4, h != INVALID_HANDLE_VALUE);
    DWORD done;
    CHECK(5, WriteFile(h, text, (DWORD)strlen(text), &done, NULL) && done == strlen(text));
    CHECK(6, CloseHandle(h));
}

static const char *attr_text(DWORD a)
{
    if (a == INVALID_FILE_ATTRIBUTES)
        return "INVALID_FILE_ATTRIBUTES";
    if (a & FILE_ATTRIBUTE_DIRECTORY)
        return "directory";
    return "file";
}

int main(void)
{
    HANDLE h;
    DWORD done, err;
    char buf[MAX_PATH];

    /* ---- dispositions ---- */
    h = open_with("data.bin", OPEN_EXISTING);
    CHECK(10, h == INVALID_HANDLE_VALUE);
    h = open_with("data.bin", TRUNCATE_EXISTING);
    CHECK(11, h == INVALID_HANDLE_VALUE);
    h = open_with("data.bin", CREATE_NEW);
    CHECK(12, h != INVALID_HANDLE_VALUE);
    CHECK(13, WriteFile(h, "0123456789", 10, &done, NULL) && done == 10);
    printf("WriteFile: %lu bytes, size %lld\n", done, file_size(h));
    CHECK(14, CloseHandle(h));
    h = open_with("data.bin", CREATE_NEW);
    CHECK(15, h == INVALID_HANDLE_VALUE);
    h = open_with("data.bin", OPEN_ALWAYS);
    CHECK(16, h != INVALID_HANDLE_VALUE);
    printf("  size after OPEN_ALWAYS: %lld\n", file_size(h));
    CloseHandle(h);
    h = open_with("data.bin", OPEN_EXISTING);
    CHECK(17, h != INVALID_HANDLE_VALUE);
    CloseHandle(h);
    h = open_with("data.bin", CREATE_ALWAYS);
    CHECK(18, h != INVALID_HANDLE_VALUE);
    printf("  size after CREATE_ALWAYS: %lld\n", file_size(h));
    CHECK(19, WriteFile(h, "abcdef", 6, &done, NULL));
    CloseHandle(h);
    h = open_with("data.bin", TRUNCATE_EXISTING);
    CHECK(20, h != INVALID_HANDLE_VALUE);
    printf("  size after TRUNCATE_EXISTING: %lld\n", file_size(h));
    CloseHandle(h);
    h = open_with("fresh.bin", OPEN_ALWAYS);
    CHECK(21, h != INVALID_HANDLE_VALUE);
    CloseHandle(h);
    h = open_with("fresh2.bin", CREATE_ALWAYS);
    CHECK(22, h != INVALID_HANDLE_VALUE);
    CloseHandle(h);
    h = open_with("no_such_dir\\x.bin", CREATE_ALWAYS);
    CHECK(23, h == INVALID_HANDLE_VALUE);
    h = open_with("no_such_dir\\x.bin", OPEN_EXISTING);
    CHECK(24, h == INVALID_HANDLE_VALUE);

    /* ---- read, write, file pointer ---- */
    h = CreateFileA("rw.bin", GENERIC_READ | GENERIC_WRITE, 0, NULL, CREATE_ALWAYS,
                    FILE_ATTRIBUTE_NORMAL, NULL);
    CHECK(30, h != INVALID_HANDLE_VALUE);
    CHECK(31, WriteFile(h, "hello, world", 12, &done, NULL) && done == 12);
    DWORD pos = SetFilePointer(h, 0, NULL, FILE_CURRENT);
    printf("position after writing 12: %lu\n", pos);
    pos = SetFilePointer(h, 7, NULL, FILE_BEGIN);
    memset(buf, 0, sizeof buf);
    CHECK(32, ReadFile(h, buf, 100, &done, NULL));
    printf("ReadFile from 7: %lu bytes [%s]\n", done, buf);
    done = 12345;
    BOOL ok = ReadFile(h, buf, 100, &done, NULL);
    printf("ReadFile at EOF: %s, %lu bytes\n", ok ? "TRUE" : "FALSE", done);
    LARGE_INTEGER dist, newpos;
    dist.QuadPart = -5;
    CHECK(33, SetFilePointerEx(h, dist, &newpos, FILE_END));
    printf("SetFilePointerEx(-5, FILE_END): %lld\n", newpos.QuadPart);
    CHECK(34, ReadFile(h, buf, 3, &done, NULL) && done == 3);
    buf[3] = 0;
    printf("ReadFile 3: [%s]\n", buf);
    dist.QuadPart = 100;
    CHECK(35, SetFilePointerEx(h, dist, &newpos, FILE_BEGIN));
    printf("SetFilePointerEx(100) past the end: %lld, size still %lld\n", newpos.QuadPart,
           file_size(h));
    CHECK(36, SetEndOfFile(h));
    printf("SetEndOfFile at 100: size %lld\n", file_size(h));
    dist.QuadPart = 5;
    CHECK(37, SetFilePointerEx(h, dist, NULL, FILE_BEGIN));
    CHECK(38, SetEndOfFile(h));
    printf("SetEndOfFile at 5: size %lld\n", file_size(h));
    SetLastError(0xdeadbeef);
    pos = SetFilePointer(h, -10, NULL, FILE_BEGIN);
    err = GetLastError();
    printf("SetFilePointer(-10): %s, last error %lu\n",
           pos == INVALID_SET_FILE_POINTER ? "INVALID_SET_FILE_POINTER" : "ok", err);
    CHECK(39, CloseHandle(h));

    /* A handle opened for reading only cannot write. */
    h = CreateFileA("rw.bin", GENERIC_READ, FILE_SHARE_READ, NULL, OPEN_EXISTING, 0, NULL);
    CHECK(40, h != INVALID_HANDLE_VALUE);
    SetLastError(0xdeadbeef);
    ok = WriteFile(h, "x", 1, &done, NULL);
    printf("WriteFile on a read-only handle: %s, last error %lu\n", ok ? "TRUE" : "FALSE",
           GetLastError());
    CloseHandle(h);

    /* ---- bad handles ---- */
    SetLastError(0xdeadbeef);
    ok = CloseHandle((HANDLE)(ULONG_PTR)0xbad0);
    printf("CloseHandle(bad): %s, last error %lu\n", ok ? "TRUE" : "FALSE", GetLastError());
    SetLastError(0xdeadbeef);
    ok = ReadFile(INVALID_HANDLE_VALUE, buf, 1, &done, NULL);
    printf("ReadFile(INVALID_HANDLE_VALUE): %s, last error %lu\n", ok ? "TRUE" : "FALSE",
           GetLastError());

    /* ---- attributes, directories, delete, move ---- */
    printf("GetFileAttributesA(data.bin): %s\n", attr_text(GetFileAttributesA("data.bin")));
    printf("GetFileAttributesA(.): %s\n", attr_text(GetFileAttributesA(".")));
    SetLastError(0xdeadbeef);
    DWORD a = GetFileAttributesA("missing.bin");
    printf("GetFileAttributesA(missing.bin): %s, last error %lu\n", attr_text(a), GetLastError());
    SetLastError(0xdeadbeef);
    a = GetFileAttributesA("no_such_dir\\missing.bin");
    printf("GetFileAttributesA(no_such_dir\\missing.bin): %s, last error %lu\n", attr_text(a),
           GetLastError());

    CHECK(50, CreateDirectoryA("sub", NULL));
    SetLastError(0xdeadbeef);
    ok = CreateDirectoryA("sub", NULL);
    printf("CreateDirectoryA(sub) again: %s, last error %lu\n", ok ? "TRUE" : "FALSE",
           GetLastError());
    SetLastError(0xdeadbeef);
    ok = CreateDirectoryA("no_such_dir\\sub", NULL);
    printf("CreateDirectoryA(no_such_dir\\sub): %s, last error %lu\n", ok ? "TRUE" : "FALSE",
           GetLastError());
    printf("GetFileAttributesA(sub): %s\n", attr_text(GetFileAttributesA("sub")));

    write_file("sub/file.txt", "in sub\r\n");
    write_file("sub\\b.dat", "b");
    write_file("sub/A.dat", "AA");
    CHECK(51, CreateDirectoryA("sub\\inner", NULL));

    /* Case-insensitive names, either slash. */
    h = CreateFileA("SUB\\File.TXT", GENERIC_READ, FILE_SHARE_READ, NULL, OPEN_EXISTING, 0, NULL);
    printf("open SUB\\File.TXT: %s\n", h != INVALID_HANDLE_VALUE ? "yes" : "no");
    CHECK(52, h != INVALID_HANDLE_VALUE);
    CHECK(53, ReadFile(h, buf, sizeof buf - 1, &done, NULL));
    buf[done] = 0;
    printf("  contents: %lu bytes, starts with \"in sub\": %s\n", done,
           strncmp(buf, "in sub", 6) == 0 ? "yes" : "no");
    CloseHandle(h);
    printf("GetFileAttributesA(Sub/INNER): %s\n", attr_text(GetFileAttributesA("Sub/INNER")));

    /* FindFirstFileA / FindNextFileA over sub\*: ".", "..", three files and a directory. */
    WIN32_FIND_DATAA fd;
    h = FindFirstFileA("sub\\*", &fd);
    CHECK(54, h != INVALID_HANDLE_VALUE);
    char *names[16];
    int count = 0;
    do {
        CHECK(55, count < 16);
        char *e = malloc(MAX_PATH + 40);
        snprintf(e, MAX_PATH + 40, "%s %s size %lu", fd.cFileName,
                 fd.dwFileAttributes & FILE_ATTRIBUTE_DIRECTORY ? "dir" : "file",
                 fd.dwFileAttributes & FILE_ATTRIBUTE_DIRECTORY ? 0 : fd.nFileSizeLow);
        names[count++] = e;
    } while (FindNextFileA(h, &fd));
    err = GetLastError();
    printf("FindNextFileA ends with last error %lu\n", err);
    CHECK(56, FindClose(h));
    qsort(names, count, sizeof names[0], compare_names);
    printf("entries of sub (%d):\n", count);
    for (int i = 0; i < count; i++) {
        printf("  %s\n", names[i]);
        free(names[i]);
    }
    /* A pattern. */
    h = FindFirstFileA("sub/*.dat", &fd);
    CHECK(57, h != INVALID_HANDLE_VALUE);
    count = 0;
    do
        count++;
    while (FindNextFileA(h, &fd));
    FindClose(h);
    printf("sub/*.dat matches %d\n", count);
    SetLastError(0xdeadbeef);
    h = FindFirstFileA("sub\\*.none", &fd);
    printf("FindFirstFileA(sub\\*.none): %s, last error %lu\n",
           h == INVALID_HANDLE_VALUE ? "INVALID_HANDLE_VALUE" : "handle", GetLastError());
    SetLastError(0xdeadbeef);
    h = FindFirstFileA("no_such_dir\\*", &fd);
    printf("FindFirstFileA(no_such_dir\\*): %s, last error %lu\n",
           h == INVALID_HANDLE_VALUE ? "INVALID_HANDLE_VALUE" : "handle", GetLastError());

    /* MoveFileA: rename, onto an existing name (fails), into a directory. */
    CHECK(60, MoveFileA("fresh.bin", "moved.bin"));
    printf("MoveFileA(fresh.bin, moved.bin): moved.bin is a %s, fresh.bin %s\n",
           attr_text(GetFileAttributesA("moved.bin")), attr_text(GetFileAttributesA("fresh.bin")));
    SetLastError(0xdeadbeef);
    ok = MoveFileA("moved.bin", "data.bin");
    printf("MoveFileA onto an existing file: %s, last error %lu\n", ok ? "TRUE" : "FALSE",
           GetLastError());
    CHECK(61, MoveFileExA("moved.bin", "data.bin", MOVEFILE_REPLACE_EXISTING));
    printf("MoveFileExA(REPLACE_EXISTING): ok\n");
    CHECK(62, MoveFileA("data.bin", "sub\\inner\\data.bin"));
    printf("moved into sub\\inner: %s\n", attr_text(GetFileAttributesA("SUB/inner/DATA.bin")));
    SetLastError(0xdeadbeef);
    ok = MoveFileA("missing.bin", "x.bin");
    printf("MoveFileA(missing.bin): %s, last error %lu\n", ok ? "TRUE" : "FALSE", GetLastError());

    /* DeleteFileA, RemoveDirectoryA. */
    CHECK(63, DeleteFileA("fresh2.bin"));
    SetLastError(0xdeadbeef);
    ok = DeleteFileA("fresh2.bin");
    printf("DeleteFileA twice: %s, last error %lu\n", ok ? "TRUE" : "FALSE", GetLastError());
    SetLastError(0xdeadbeef);
    ok = RemoveDirectoryA("sub");
    printf("RemoveDirectoryA(sub) not empty: %s, last error %lu\n", ok ? "TRUE" : "FALSE",
           GetLastError());

    /* ---- full paths ---- */
    DWORD len = GetCurrentDirectoryA(sizeof buf, buf);
    CHECK(70, len > 0 && len < sizeof buf);
    printf("GetCurrentDirectoryA: drive letter form: %s\n",
           len >= 3 && buf[1] == ':' && buf[2] == '\\' ? "yes" : "no");
    char cwd[MAX_PATH];
    strcpy(cwd, buf);
    char full[MAX_PATH];
    char *file_part = NULL;
    len = GetFullPathNameA("sub\\file.txt", sizeof full, full, &file_part);
    CHECK(71, len > 0 && len < sizeof full);
    char want[MAX_PATH * 2];
    snprintf(want, sizeof want, "%s%ssub\\file.txt", cwd,
             cwd[strlen(cwd) - 1] == '\\' ? "" : "\\");
    printf("GetFullPathNameA(sub\\file.txt) = current directory + \\sub\\file.txt: %s\n",
           strcmp(full, want) == 0 ? "yes" : "no");
    printf("  file part: %s\n", file_part ? file_part : "(null)");
    len = GetFullPathNameA("sub/./inner/../file.txt", sizeof full, full, &file_part);
    printf("GetFullPathNameA(sub/./inner/../file.txt) normalised the same: %s\n",
           strcmp(full, want) == 0 ? "yes" : "no");
    /* Too small a buffer: the size needed, counting the NUL. */
    DWORD need = GetFullPathNameA("sub\\file.txt", 4, full, NULL);
    printf("GetFullPathNameA with a 4-byte buffer returns length + 1: %s\n",
           need == strlen(want) + 1 ? "yes" : "no");
    CHECK(72, SetCurrentDirectoryA("sub"));
    len = GetCurrentDirectoryA(sizeof buf, buf);
    printf("after SetCurrentDirectoryA(sub): ends with \\sub: %s\n",
           len > 4 && strcmp(buf + len - 4, "\\sub") == 0 ? "yes" : "no");
    printf("GetFileAttributesA(file.txt) relative to the new directory: %s\n",
           attr_text(GetFileAttributesA("file.txt")));
    CHECK(73, SetCurrentDirectoryA(".."));
    SetLastError(0xdeadbeef);
    ok = SetCurrentDirectoryA("no_such_dir");
    printf("SetCurrentDirectoryA(no_such_dir): %s, last error %lu\n", ok ? "TRUE" : "FALSE",
           GetLastError());
    return 0;
}
