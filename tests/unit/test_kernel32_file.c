/* Built-in kernel32 file functions, called directly (ms_abi) on a thread with a TEB, inside a
 * fresh temporary directory that is also the current directory. Covers: CreateFile dispositions
 * and the last error each leaves (ERROR_ALREADY_EXISTS on success, ERROR_FILE_EXISTS,
 * ERROR_FILE_NOT_FOUND, ERROR_PATH_NOT_FOUND, ERROR_ACCESS_DENIED for a directory),
 * FILE_FLAG_DELETE_ON_CLOSE, ReadFile/WriteFile (0 bytes at end of file), SetFilePointer with
 * the high part and ERROR_NEGATIVE_SEEK, SetFilePointerEx, GetFileSize(Ex), SetEndOfFile,
 * DeleteFile, MoveFile(Ex), CopyFile, GetFileAttributes(Ex) on a directory, a file and a missing
 * name, CreateDirectory/RemoveDirectory, FindFirstFile/FindNextFile with masks, their errors and
 * device names, GetTempFileName,
 * GetFileType, GetFileTime/SetFileTime and CloseHandle of a bad handle. */
#include <criterion/criterion.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "ntemu/ntemu.h"
#include "thunks/thunks.h"

#define TRUE 1
#define FALSE 0
#define MAX_PATH 260

typedef struct {
    DWORD dwFileAttributes;
    FILETIME ftCreationTime, ftLastAccessTime, ftLastWriteTime;
    DWORD nFileSizeHigh, nFileSizeLow, dwReserved0, dwReserved1;
    char cFileName[MAX_PATH];
    char cAlternateFileName[14];
} WIN32_FIND_DATAA;

typedef struct {
    DWORD dwFileAttributes;
    FILETIME ftCreationTime, ftLastAccessTime, ftLastWriteTime;
    DWORD nFileSizeHigh, nFileSizeLow;
} WIN32_FILE_ATTRIBUTE_DATA;

DWORD WINAPI GetLastError(void);
void WINAPI SetLastError(DWORD);
HANDLE WINAPI CreateFileA(const char *, DWORD, DWORD, void *, DWORD, DWORD, HANDLE);
HANDLE WINAPI CreateFileW(const WCHAR *, DWORD, DWORD, void *, DWORD, DWORD, HANDLE);
BOOL WINAPI CloseHandle(HANDLE);
BOOL WINAPI ReadFile(HANDLE, void *, DWORD, DWORD *, void *);
BOOL WINAPI WriteFile(HANDLE, const void *, DWORD, DWORD *, void *);
DWORD WINAPI SetFilePointer(HANDLE, LONG, LONG *, DWORD);
BOOL WINAPI SetFilePointerEx(HANDLE, LARGE_INTEGER, LARGE_INTEGER *, DWORD);
DWORD WINAPI GetFileSize(HANDLE, DWORD *);
BOOL WINAPI GetFileSizeEx(HANDLE, LARGE_INTEGER *);
BOOL WINAPI SetEndOfFile(HANDLE);
BOOL WINAPI DeleteFileA(const char *);
BOOL WINAPI MoveFileA(const char *, const char *);
BOOL WINAPI MoveFileExA(const char *, const char *, DWORD);
BOOL WINAPI CopyFileA(const char *, const char *, BOOL);
DWORD WINAPI GetFileAttributesA(const char *);
BOOL WINAPI GetFileAttributesExA(const char *, int, WIN32_FILE_ATTRIBUTE_DATA *);
BOOL WINAPI CreateDirectoryA(const char *, void *);
BOOL WINAPI RemoveDirectoryA(const char *);
HANDLE WINAPI FindFirstFileA(const char *, WIN32_FIND_DATAA *);
BOOL WINAPI FindNextFileA(HANDLE, WIN32_FIND_DATAA *);
BOOL WINAPI FindClose(HANDLE);
UINT WINAPI GetTempFileNameA(const char *, const char *, UINT, char *);
DWORD WINAPI GetFileType(HANDLE);
BOOL WINAPI GetFileTime(HANDLE, FILETIME *, FILETIME *, FILETIME *);
BOOL WINAPI SetFileTime(HANDLE, const FILETIME *, const FILETIME *, const FILETIME *);
DWORD WINAPI GetCurrentDirectoryA(DWORD, char *);

static char tmpdir[] = "/tmp/ntrun-k32file.XXXXXX";
static char *test_argv[] = {"prog.exe", NULL};
static char *test_envp[] = {"PATH=/usr/bin", NULL};

static int rm_entry(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
    return remove(path);
}

static void setup(void)
{
    cr_assert_eq(rt_process_init(), 0);
    cr_assert_eq(nt_syscalls_init(10), 0);
    cr_assert_eq(thk_init(), 0);
    cr_assert_eq(rt_thread_init_current(), 0);
    cr_assert_not_null(mkdtemp(tmpdir));
    cr_assert_eq(chdir(tmpdir), 0);
    thk_startup st = {.argc = 1, .argv = test_argv, .envp = test_envp, .exe_path = NULL};
    cr_assert_eq(thk_process_setup(&st), 0);
}

static void teardown(void)
{
    if (chdir("/") == 0)
        nftw(tmpdir, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
    rt_thread_fini_current();
}

TestSuite(kernel32_file, .init = setup, .fini = teardown);

static void write_file(const char *name, const char *content)
{
    FILE *f = fopen(name, "wb");
    cr_assert_not_null(f, "cannot create %s", name);
    fputs(content, f);
    fclose(f);
}

static HANDLE open_rw(const char *name, DWORD disposition)
{
    return CreateFileA(name, GENERIC_READ | GENERIC_WRITE, FILE_SHARE_READ, NULL, disposition,
                       FILE_ATTRIBUTE_NORMAL, NULL);
}

Test(kernel32_file, create_new_on_new_file_succeeds_with_error_0)
{
    SetLastError(1234);
    HANDLE h = open_rw("new.txt", CREATE_NEW);
    cr_assert_neq(h, INVALID_HANDLE_VALUE, "error %u", GetLastError());
    cr_expect_eq(GetLastError(), 0, "last error %u", GetLastError());
    cr_assert(CloseHandle(h));
    cr_expect_eq(access("new.txt", F_OK), 0);
}

Test(kernel32_file, create_new_on_existing_file_fails_with_file_exists)
{
    write_file("exists.txt", "x");
    HANDLE h = open_rw("exists.txt", CREATE_NEW);
    cr_assert_eq(h, INVALID_HANDLE_VALUE);
    cr_expect_eq(GetLastError(), ERROR_FILE_EXISTS, "last error %u", GetLastError());
}

Test(kernel32_file, create_always_on_existing_file_truncates_and_says_already_exists)
{
    write_file("c.txt", "some content");
    HANDLE h = open_rw("c.txt", CREATE_ALWAYS);
    cr_assert_neq(h, INVALID_HANDLE_VALUE, "error %u", GetLastError());
    cr_expect_eq(GetLastError(), ERROR_ALREADY_EXISTS, "last error %u", GetLastError());
    LARGE_INTEGER size = {.QuadPart = -1};
    cr_assert(GetFileSizeEx(h, &size));
    cr_expect_eq(size.QuadPart, 0, "size %lld", (long long)size.QuadPart);
    CloseHandle(h);
}

Test(kernel32_file, create_always_on_new_file_leaves_error_0)
{
    SetLastError(99);
    HANDLE h = open_rw("fresh.txt", CREATE_ALWAYS);
    cr_assert_neq(h, INVALID_HANDLE_VALUE, "error %u", GetLastError());
    cr_expect_eq(GetLastError(), 0, "last error %u", GetLastError());
    CloseHandle(h);
}

Test(kernel32_file, open_always_reports_whether_the_file_existed)
{
    HANDLE h = open_rw("oa.txt", OPEN_ALWAYS);
    cr_assert_neq(h, INVALID_HANDLE_VALUE);
    cr_expect_eq(GetLastError(), 0, "new file: last error %u", GetLastError());
    CloseHandle(h);
    h = open_rw("oa.txt", OPEN_ALWAYS);
    cr_assert_neq(h, INVALID_HANDLE_VALUE);
    cr_expect_eq(GetLastError(), ERROR_ALREADY_EXISTS, "existing: last error %u", GetLastError());
    CloseHandle(h);
}

Test(kernel32_file, open_existing_on_missing_names_gives_file_or_path_not_found)
{
    HANDLE h = open_rw("missing.txt", OPEN_EXISTING);
    cr_assert_eq(h, INVALID_HANDLE_VALUE);
    cr_expect_eq(GetLastError(), ERROR_FILE_NOT_FOUND, "last error %u", GetLastError());
    h = open_rw("nodir\\missing.txt", OPEN_EXISTING);
    cr_assert_eq(h, INVALID_HANDLE_VALUE);
    cr_expect_eq(GetLastError(), ERROR_PATH_NOT_FOUND, "last error %u", GetLastError());
}

Test(kernel32_file, truncate_existing_empties_file_and_fails_on_missing)
{
    write_file("t.txt", "0123456789");
    HANDLE h = open_rw("t.txt", TRUNCATE_EXISTING);
    cr_assert_neq(h, INVALID_HANDLE_VALUE, "error %u", GetLastError());
    cr_expect_eq(GetFileSize(h, NULL), 0);
    CloseHandle(h);
    h = open_rw("t-missing.txt", TRUNCATE_EXISTING);
    cr_assert_eq(h, INVALID_HANDLE_VALUE);
    cr_expect_eq(GetLastError(), ERROR_FILE_NOT_FOUND, "last error %u", GetLastError());
}

Test(kernel32_file, bad_disposition_gives_invalid_parameter)
{
    HANDLE h = open_rw("x.txt", 0);
    cr_assert_eq(h, INVALID_HANDLE_VALUE);
    cr_expect_eq(GetLastError(), ERROR_INVALID_PARAMETER, "last error %u", GetLastError());
}

Test(kernel32_file, directory_needs_backup_semantics)
{
    cr_assert(CreateDirectoryA("d", NULL), "error %u", GetLastError());
    HANDLE h = CreateFileA("d", GENERIC_READ, FILE_SHARE_READ, NULL, OPEN_EXISTING, 0, NULL);
    cr_assert_eq(h, INVALID_HANDLE_VALUE);
    cr_expect_eq(GetLastError(), ERROR_ACCESS_DENIED, "last error %u", GetLastError());
    h = CreateFileA("d", GENERIC_READ, FILE_SHARE_READ, NULL, OPEN_EXISTING,
                    FILE_FLAG_BACKUP_SEMANTICS, NULL);
    cr_assert_neq(h, INVALID_HANDLE_VALUE, "error %u", GetLastError());
    CloseHandle(h);
}

Test(kernel32_file, delete_on_close_removes_the_file)
{
    HANDLE h = CreateFileA("doc.tmp", GENERIC_WRITE, 0, NULL, CREATE_NEW,
                           FILE_FLAG_DELETE_ON_CLOSE, NULL);
    cr_assert_neq(h, INVALID_HANDLE_VALUE, "error %u", GetLastError());
    cr_expect_eq(access("doc.tmp", F_OK), 0, "exists while open");
    CloseHandle(h);
    cr_expect_neq(access("doc.tmp", F_OK), 0, "gone after close");
}

Test(kernel32_file, write_then_read_back_and_eof_reads_zero)
{
    HANDLE h = open_rw("rw.txt", CREATE_ALWAYS);
    cr_assert_neq(h, INVALID_HANDLE_VALUE);
    DWORD n = 0;
    cr_assert(WriteFile(h, "hello world", 11, &n, NULL), "error %u", GetLastError());
    cr_expect_eq(n, 11, "written %u", n);
    cr_assert_eq(SetFilePointer(h, 0, NULL, WIN_FILE_BEGIN), 0);
    char buf[32] = {0};
    cr_assert(ReadFile(h, buf, sizeof buf, &n, NULL));
    cr_expect_eq(n, 11, "read %u", n);
    cr_expect_str_eq(buf, "hello world");
    n = 1234;
    cr_assert(ReadFile(h, buf, sizeof buf, &n, NULL), "at EOF: error %u", GetLastError());
    cr_expect_eq(n, 0, "at EOF read %u", n);
    CloseHandle(h);
}

Test(kernel32_file, set_file_pointer_methods_and_negative_seek)
{
    HANDLE h = open_rw("sp.txt", CREATE_ALWAYS);
    DWORD n;
    WriteFile(h, "0123456789", 10, &n, NULL);
    cr_expect_eq(SetFilePointer(h, 3, NULL, WIN_FILE_BEGIN), 3);
    cr_expect_eq(SetFilePointer(h, 2, NULL, WIN_FILE_CURRENT), 5);
    cr_expect_eq(SetFilePointer(h, -1, NULL, WIN_FILE_END), 9);
    char c = 0;
    ReadFile(h, &c, 1, &n, NULL);
    cr_expect_eq(c, '9', "byte at END-1: %c", c);
    DWORD r = SetFilePointer(h, -20, NULL, WIN_FILE_CURRENT);
    cr_expect_eq(r, INVALID_SET_FILE_POINTER);
    cr_expect_eq(GetLastError(), ERROR_NEGATIVE_SEEK, "last error %u", GetLastError());
    cr_expect_eq(SetFilePointer(h, 0, NULL, WIN_FILE_CURRENT), 10, "position kept on failure");
    r = SetFilePointer(h, 0, NULL, 7);
    cr_expect_eq(r, INVALID_SET_FILE_POINTER);
    cr_expect_eq(GetLastError(), ERROR_INVALID_PARAMETER, "last error %u", GetLastError());
    CloseHandle(h);
}

Test(kernel32_file, set_file_pointer_high_part_and_end_of_file)
{
    HANDLE h = open_rw("big.bin", CREATE_ALWAYS);
    LONG high = 1;
    DWORD low = SetFilePointer(h, 0x40000000, &high, WIN_FILE_BEGIN); /* 5 GiB */
    cr_expect_eq(low, 0x40000000u, "low %#x", low);
    cr_expect_eq(high, 1, "high %d", high);
    cr_assert(SetEndOfFile(h), "error %u", GetLastError());
    DWORD size_high = 0;
    DWORD size_low = GetFileSize(h, &size_high);
    cr_expect_eq(size_low, 0x40000000u, "size low %#x", size_low);
    cr_expect_eq(size_high, 1, "size high %u", size_high);
    LARGE_INTEGER d = {.QuadPart = -0x40000000LL}, pos;
    cr_assert(SetFilePointerEx(h, d, &pos, WIN_FILE_END));
    cr_expect_eq(pos.QuadPart, 0x100000000LL, "pos %lld", (long long)pos.QuadPart);
    d.QuadPart = 0;
    cr_assert(SetFilePointerEx(h, d, &pos, WIN_FILE_BEGIN));
    cr_assert(SetEndOfFile(h));
    LARGE_INTEGER size;
    cr_assert(GetFileSizeEx(h, &size));
    cr_expect_eq(size.QuadPart, 0, "truncated size %lld", (long long)size.QuadPart);
    CloseHandle(h);
}

Test(kernel32_file, delete_file_missing_and_existing)
{
    cr_assert_not(DeleteFileA("nothing.txt"));
    cr_expect_eq(GetLastError(), ERROR_FILE_NOT_FOUND, "last error %u", GetLastError());
    write_file("del.txt", "x");
    cr_assert(DeleteFileA("del.txt"), "error %u", GetLastError());
    cr_expect_neq(access("del.txt", F_OK), 0);
}

Test(kernel32_file, move_file_renames_and_refuses_to_overwrite)
{
    write_file("a.txt", "A");
    write_file("b.txt", "B");
    cr_assert(MoveFileA("a.txt", "moved.txt"), "error %u", GetLastError());
    cr_expect_neq(access("a.txt", F_OK), 0);
    cr_expect_eq(access("moved.txt", F_OK), 0);
    cr_assert_not(MoveFileA("moved.txt", "b.txt"));
    cr_expect_eq(GetLastError(), ERROR_ALREADY_EXISTS, "last error %u", GetLastError());
    cr_assert(MoveFileExA("moved.txt", "b.txt", 1 /* MOVEFILE_REPLACE_EXISTING */),
              "error %u", GetLastError());
    FILE *f = fopen("b.txt", "r");
    cr_assert_not_null(f);
    cr_expect_eq(fgetc(f), 'A');
    fclose(f);
    cr_assert_not(MoveFileA("gone.txt", "x.txt"));
    cr_expect_eq(GetLastError(), ERROR_FILE_NOT_FOUND, "last error %u", GetLastError());
}

Test(kernel32_file, copy_file_copies_and_honours_fail_if_exists)
{
    write_file("src.txt", "copy me");
    cr_assert(CopyFileA("src.txt", "dst.txt", TRUE), "error %u", GetLastError());
    char buf[16] = {0};
    FILE *f = fopen("dst.txt", "r");
    cr_assert_not_null(f);
    cr_assert(fgets(buf, sizeof buf, f));
    fclose(f);
    cr_expect_str_eq(buf, "copy me");
    cr_assert_not(CopyFileA("src.txt", "dst.txt", TRUE));
    cr_expect_eq(GetLastError(), ERROR_FILE_EXISTS, "last error %u", GetLastError());
    cr_expect(CopyFileA("src.txt", "dst.txt", FALSE), "overwrite: error %u", GetLastError());
}

Test(kernel32_file, get_file_attributes_dir_file_missing)
{
    mkdir("adir", 0755);
    write_file("afile", "12345");
    DWORD a = GetFileAttributesA("adir");
    cr_assert_neq(a, INVALID_FILE_ATTRIBUTES, "error %u", GetLastError());
    cr_expect(a & FILE_ATTRIBUTE_DIRECTORY, "dir attributes %#x", a);
    a = GetFileAttributesA("afile");
    cr_assert_neq(a, INVALID_FILE_ATTRIBUTES);
    cr_expect_not(a & FILE_ATTRIBUTE_DIRECTORY, "file attributes %#x", a);
    cr_expect_eq(GetFileAttributesA("nope"), INVALID_FILE_ATTRIBUTES);
    cr_expect_eq(GetLastError(), ERROR_FILE_NOT_FOUND, "last error %u", GetLastError());
    cr_expect_eq(GetFileAttributesA("nodir\\nope"), INVALID_FILE_ATTRIBUTES);
    cr_expect_eq(GetLastError(), ERROR_PATH_NOT_FOUND, "last error %u", GetLastError());
    WIN32_FILE_ATTRIBUTE_DATA d;
    cr_assert(GetFileAttributesExA("afile", 0, &d), "error %u", GetLastError());
    cr_expect_eq(d.nFileSizeLow, 5, "size %u", d.nFileSizeLow);
    cr_expect_neq(d.ftLastWriteTime.dwHighDateTime, 0, "a real write time");
}

Test(kernel32_file, create_and_remove_directory_errors)
{
    cr_assert(CreateDirectoryA("dd", NULL), "error %u", GetLastError());
    cr_assert_not(CreateDirectoryA("dd", NULL));
    cr_expect_eq(GetLastError(), ERROR_ALREADY_EXISTS, "last error %u", GetLastError());
    write_file("dd/inside", "x");
    cr_assert_not(RemoveDirectoryA("dd"));
    cr_expect_eq(GetLastError(), ERROR_DIR_NOT_EMPTY, "last error %u", GetLastError());
    cr_assert(DeleteFileA("dd\\inside"), "error %u", GetLastError());
    cr_assert(RemoveDirectoryA("dd"), "error %u", GetLastError());
    cr_expect_neq(access("dd", F_OK), 0);
}

/* Collects the names FindFirstFile/FindNextFile return for `mask`, sorted, comma-separated. */
static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static void find_all(const char *mask, char *out, size_t cap)
{
    WIN32_FIND_DATAA fd;
    char *names[64];
    size_t n = 0;
    out[0] = 0;
    HANDLE h = FindFirstFileA(mask, &fd);
    cr_assert_neq(h, INVALID_HANDLE_VALUE, "FindFirstFile(%s): error %u", mask, GetLastError());
    do {
        cr_assert_lt(n, 64);
        names[n++] = strdup(fd.cFileName);
    } while (FindNextFileA(h, &fd));
    cr_expect_eq(GetLastError(), ERROR_NO_MORE_FILES, "end of search: %u", GetLastError());
    cr_expect(FindClose(h));
    qsort(names, n, sizeof *names, cmp_str);
    for (size_t i = 0; i < n; i++) {
        if (i)
            strncat(out, ",", cap - strlen(out) - 1);
        strncat(out, names[i], cap - strlen(out) - 1);
        free(names[i]);
    }
}

Test(kernel32_file, find_first_file_with_masks)
{
    mkdir("f", 0755);
    write_file("f/a.txt", "1");
    write_file("f/b.TXT", "22");
    write_file("f/c.dat", "333");
    mkdir("f/sub", 0755);
    char got[512];
    find_all("f\\*.txt", got, sizeof got);
    cr_expect_str_eq(got, "a.txt,b.TXT");
    find_all("f\\*", got, sizeof got);
    cr_expect_str_eq(got, ".,..,a.txt,b.TXT,c.dat,sub");
    find_all("f\\?.dat", got, sizeof got);
    cr_expect_str_eq(got, "c.dat");
    find_all("f/*.*", got, sizeof got);
    cr_expect_str_eq(got, ".,..,a.txt,b.TXT,c.dat,sub");
}

Test(kernel32_file, find_first_file_data_fields)
{
    mkdir("g", 0755);
    write_file("g/data.bin", "0123456789");
    mkdir("g/dir", 0755);
    WIN32_FIND_DATAA fd;
    HANDLE h = FindFirstFileA("g\\data.bin", &fd);
    cr_assert_neq(h, INVALID_HANDLE_VALUE, "error %u", GetLastError());
    cr_expect_str_eq(fd.cFileName, "data.bin");
    cr_expect_eq(fd.nFileSizeLow, 10, "size %u", fd.nFileSizeLow);
    cr_expect_eq(fd.nFileSizeHigh, 0);
    cr_expect_not(fd.dwFileAttributes & FILE_ATTRIBUTE_DIRECTORY);
    FindClose(h);
    h = FindFirstFileA("g\\dir", &fd);
    cr_assert_neq(h, INVALID_HANDLE_VALUE, "error %u", GetLastError());
    cr_expect(fd.dwFileAttributes & FILE_ATTRIBUTE_DIRECTORY, "attributes %#x",
              fd.dwFileAttributes);
    FindClose(h);
}

Test(kernel32_file, find_first_file_errors)
{
    mkdir("e", 0755);
    WIN32_FIND_DATAA fd;
    HANDLE h = FindFirstFileA("e\\*.none", &fd);
    cr_expect_eq(h, INVALID_HANDLE_VALUE);
    cr_expect_eq(GetLastError(), ERROR_FILE_NOT_FOUND, "no match: %u", GetLastError());
    h = FindFirstFileA("nodir\\*", &fd);
    cr_expect_eq(h, INVALID_HANDLE_VALUE);
    cr_expect_eq(GetLastError(), ERROR_PATH_NOT_FOUND, "missing dir: %u", GetLastError());
    h = FindFirstFileA("e\\", &fd);
    cr_expect_eq(h, INVALID_HANDLE_VALUE);
    cr_expect_eq(GetLastError(), ERROR_FILE_NOT_FOUND, "trailing backslash: %u", GetLastError());
    h = FindFirstFileA("nodir\\", &fd);
    cr_expect_eq(h, INVALID_HANDLE_VALUE);
    cr_expect_eq(GetLastError(), ERROR_PATH_NOT_FOUND, "missing dir\\: %u", GetLastError());
    h = FindFirstFileA("nul\\*", &fd);
    cr_expect_eq(h, INVALID_HANDLE_VALUE);
    cr_expect_eq(GetLastError(), ERROR_PATH_NOT_FOUND, "device as a dir: %u", GetLastError());
    h = FindFirstFileA("nodir\\nul", &fd);
    cr_expect_eq(h, INVALID_HANDLE_VALUE);
    cr_expect_eq(GetLastError(), ERROR_PATH_NOT_FOUND, "device in a missing dir: %u",
                 GetLastError());
    cr_expect_not(FindClose((HANDLE)(uintptr_t)0x7777));
    cr_expect_eq(GetLastError(), ERROR_INVALID_HANDLE, "bad find handle: %u", GetLastError());
}

Test(kernel32_file, find_first_file_finds_a_device_name)
{
    WIN32_FIND_DATAA fd;
    HANDLE h = FindFirstFileA("NUL", &fd);
    cr_assert_neq(h, INVALID_HANDLE_VALUE, "error %u", GetLastError());
    cr_expect_str_eq(fd.cFileName, "NUL");
    cr_expect_eq(fd.dwFileAttributes, FILE_ATTRIBUTE_ARCHIVE, "attributes %#x",
                 fd.dwFileAttributes);
    cr_expect_eq(fd.nFileSizeLow, 0);
    cr_expect_not(FindNextFileA(h, &fd));
    cr_expect_eq(GetLastError(), ERROR_NO_MORE_FILES, "got %u", GetLastError());
    cr_expect(FindClose(h));
}

Test(kernel32_file, find_handle_is_not_a_file_handle)
{
    write_file("one.txt", "1");
    WIN32_FIND_DATAA fd;
    HANDLE h = FindFirstFileA("*.txt", &fd);
    cr_assert_neq(h, INVALID_HANDLE_VALUE, "error %u", GetLastError());
    char buf[4];
    DWORD n;
    cr_expect_not(ReadFile(h, buf, 1, &n, NULL), "ReadFile on a find handle");
    cr_expect(FindClose(h));
}

Test(kernel32_file, get_temp_file_name_creates_a_unique_file)
{
    char cwd[MAX_PATH], name[MAX_PATH];
    cr_assert_gt(GetCurrentDirectoryA(sizeof cwd, cwd), 0);
    UINT u = GetTempFileNameA(cwd, "abcdef", 0, name);
    cr_assert_neq(u, 0, "error %u", GetLastError());
    char expect[MAX_PATH + 32];
    snprintf(expect, sizeof expect, "%s\\abc%X.tmp", cwd, u);
    cr_expect_str_eq(name, expect);
    cr_expect_neq(GetFileAttributesA(name), INVALID_FILE_ATTRIBUTES, "created");
    UINT u2 = GetTempFileNameA(cwd, "abc", u, name);
    cr_expect_eq(u2, u, "explicit unique number is returned as given");
    cr_expect_eq(GetTempFileNameA("missing-dir", "x", 0, name), 0);
    cr_expect_eq(GetLastError(), ERROR_DIRECTORY, "missing dir: %u", GetLastError());
}

Test(kernel32_file, get_file_type_disk_and_pipe)
{
    HANDLE h = open_rw("ft.txt", CREATE_ALWAYS);
    cr_expect_eq(GetFileType(h), 1 /* FILE_TYPE_DISK */);
    CloseHandle(h);
    int fds[2];
    cr_assert_eq(pipe(fds), 0);
    HANDLE p;
    cr_assert_eq(nt_file_from_fd(fds[0], FILE_GENERIC_READ, &p), STATUS_SUCCESS);
    cr_expect_eq(GetFileType(p), 3 /* FILE_TYPE_PIPE */);
    CloseHandle(p);
    close(fds[0]);
    close(fds[1]);
    cr_expect_eq(GetFileType((HANDLE)(uintptr_t)0x7778), 0);
    cr_expect_eq(GetLastError(), ERROR_INVALID_HANDLE);
}

Test(kernel32_file, set_file_time_then_get_file_time)
{
    HANDLE h = open_rw("tm.txt", CREATE_ALWAYS);
    FILETIME w = {.dwLowDateTime = 0x12345600, .dwHighDateTime = 0x01d00000};
    cr_assert(SetFileTime(h, NULL, NULL, &w), "error %u", GetLastError());
    FILETIME got;
    cr_assert(GetFileTime(h, NULL, NULL, &got));
    uint64_t a = ((uint64_t)w.dwHighDateTime << 32) | w.dwLowDateTime;
    uint64_t b = ((uint64_t)got.dwHighDateTime << 32) | got.dwLowDateTime;
    cr_expect_eq(a, b, "write time %#llx, got %#llx", (unsigned long long)a,
                 (unsigned long long)b);
    CloseHandle(h);
}

Test(kernel32_file, close_handle_of_a_bad_handle_fails)
{
    cr_expect_not(CloseHandle((HANDLE)(uintptr_t)0x1234));
    cr_expect_eq(GetLastError(), ERROR_INVALID_HANDLE, "last error %u", GetLastError());
    cr_expect(CloseHandle((HANDLE)(intptr_t)-1), "the process pseudo handle");
}

Test(kernel32_file, wide_create_file_with_non_ascii_name)
{
    static const WCHAR name[] = u"\u00e9t\u00e9.txt";
    HANDLE h = CreateFileW(name, GENERIC_WRITE, 0, NULL, CREATE_NEW, 0, NULL);
    cr_assert_neq(h, INVALID_HANDLE_VALUE, "error %u", GetLastError());
    CloseHandle(h);
    cr_expect_eq(access("\xc3\xa9t\xc3\xa9.txt", F_OK), 0, "stored as UTF-8 on Linux");
}
