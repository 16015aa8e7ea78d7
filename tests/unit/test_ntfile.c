/* NT file calls on a temporary directory mapped as C:. Covers NtCreateFile's dispositions and
 * their IO_STATUS_BLOCK.Information, directory/non-directory checks, invalid names, missing
 * directories, RootDirectory-relative names, read-only files; NtReadFile/NtWriteFile with
 * offsets, FILE_WRITE_TO_END_OF_FILE, append-only handles, end of file (STATUS_END_OF_FILE,
 * Information 0), pipes (STATUS_PIPE_BROKEN) through nt_file_from_fd; NtQueryInformationFile
 * (basic, standard, position, name, all, attribute tag) and NtSetInformationFile (position, end
 * of file, basic attributes, rename incl. collisions and a change of case, disposition);
 * FILE_DELETE_ON_CLOSE, NtDeleteFile, NtQueryAttributesFile, NtFlushBuffersFile;
 * NtQueryDirectoryFile ("." and ".." first except at a drive root, NTFS order, masks with * ?
 * and case-insensitivity, single entries, RestartScan, STATUS_NO_SUCH_FILE then
 * STATUS_NO_MORE_FILES, buffer sizes); bad handles, wrong object types and bad pointers
 * (STATUS_ACCESS_VIOLATION with the runtime still running, outputs untouched on failure). */
#include <criterion/criterion.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "ntemu/ntemu.h"

#define FILE_USE_FILE_POINTER_POSITION (-2LL)
#define FILE_WRITE_TO_END_OF_FILE (-1LL)
#define FileIdBothDirectoryInformation 37

static char root[1024];

static void setup(void)
{
    char tmpl[] = "/tmp/ntrun-ntfile-XXXXXX";
    cr_assert_eq(rt_process_init(), 0);
    cr_assert_not_null(mkdtemp(tmpl));
    char *real = realpath(tmpl, NULL);
    cr_assert_not_null(real);
    cr_assert_lt(strlen(real), sizeof root);
    strcpy(root, real);
    free(real);
    nt_path_set_drive('C', root);
}

static void teardown(void)
{
    char cmd[2 * sizeof root + 64];
    snprintf(cmd, sizeof cmd, "chmod -R u+w '%s'; rm -rf '%s'", root, root);
    if (system(cmd) != 0)
        cr_log_warn("could not remove %s", root);
}

TestSuite(ntfile, .init = setup, .fini = teardown);
TestSuite(ntdir, .init = setup, .fini = teardown);

/* ---- helpers ---- */
typedef struct {
    OBJECT_ATTRIBUTES attr;
    UNICODE_STRING us;
    WCHAR buf[512];
} nt_name;

static OBJECT_ATTRIBUTES *name_rel(nt_name *n, HANDLE root_dir, const char *utf8)
{
    size_t len;
    WCHAR *w = nt_utf8_to_utf16(utf8, strlen(utf8), &len);
    cr_assert(w && len < 512);
    memcpy(n->buf, w, len * sizeof(WCHAR));
    free(w);
    n->us.Length = n->us.MaximumLength = (uint16_t)(len * sizeof(WCHAR));
    n->us.Buffer = n->buf;
    memset(&n->attr, 0, sizeof n->attr);
    n->attr.Length = sizeof n->attr;
    n->attr.RootDirectory = root_dir;
    n->attr.ObjectName = &n->us;
    n->attr.Attributes = OBJ_CASE_INSENSITIVE;
    return &n->attr;
}

/* "\??\C:\<rel>" */
static OBJECT_ATTRIBUTES *name_c(nt_name *n, const char *rel)
{
    char p[600];
    cr_assert_lt(strlen(rel), 500);
    snprintf(p, sizeof p, "\\??\\C:\\%.500s", rel);
    return name_rel(n, NULL, p);
}

static char *host(const char *rel)
{
    static char p[2][1200];
    static int k;
    k ^= 1;
    snprintf(p[k], sizeof p[k], "%s/%.100s", root, rel);
    return p[k];
}

static bool exists(const char *rel)
{
    struct stat st;
    return lstat(host(rel), &st) == 0;
}

static void write_host(const char *rel, const char *data)
{
    FILE *f = fopen(host(rel), "w");
    cr_assert_not_null(f);
    fputs(data, f);
    fclose(f);
}

static NTSTATUS create(HANDLE *h, const char *rel, uint32_t access, uint32_t disposition,
                       uint32_t options, ULONG_PTR *info)
{
    nt_name n;
    IO_STATUS_BLOCK io;
    memset(&io, 0xcc, sizeof io);
    NTSTATUS st = NtCreateFile(h, access | SYNCHRONIZE, name_c(&n, rel), &io, NULL,
                               FILE_ATTRIBUTE_NORMAL, FILE_SHARE_READ | FILE_SHARE_WRITE,
                               disposition, options | FILE_SYNCHRONOUS_IO_NONALERT, NULL, 0);
    if (st == STATUS_SUCCESS) {
        cr_expect_eq(io.Status, STATUS_SUCCESS, "io.Status %#x", (uint32_t)io.Status);
        if (info)
            *info = io.Information;
    }
    return st;
}

static HANDLE open_ok(const char *rel, uint32_t access, uint32_t disposition, uint32_t options)
{
    HANDLE h = NULL;
    NTSTATUS st = create(&h, rel, access, disposition, options, NULL);
    cr_assert_eq(st, STATUS_SUCCESS, "NtCreateFile %s: %#x", rel, (uint32_t)st);
    cr_assert_not_null(h);
    return h;
}

static void expect_create(const char *rel, uint32_t disposition, NTSTATUS want_st,
                          ULONG_PTR want_info)
{
    HANDLE h = (HANDLE)(uintptr_t)0x1234;
    ULONG_PTR info = 0xdead;
    NTSTATUS st = create(&h, rel, GENERIC_READ | GENERIC_WRITE, disposition,
                         FILE_NON_DIRECTORY_FILE, &info);
    cr_expect_eq(st, want_st, "%s disposition %u: status %#x, want %#x", rel, disposition,
                 (uint32_t)st, (uint32_t)want_st);
    if (st == STATUS_SUCCESS) {
        cr_expect_eq(info, want_info, "%s disposition %u: Information %lu, want %lu", rel,
                     disposition, (unsigned long)info, (unsigned long)want_info);
        NtClose(h);
    } else {
        cr_expect_null(h, "handle %p after failure", h);
    }
}

static off_t host_size(const char *rel)
{
    struct stat st;
    cr_assert_eq(stat(host(rel), &st), 0, "stat %s", rel);
    return st.st_size;
}

static NTSTATUS nt_write(HANDLE h, const char *data, int64_t offset, ULONG_PTR *written)
{
    IO_STATUS_BLOCK io;
    LARGE_INTEGER off = {.QuadPart = offset};
    NTSTATUS st = NtWriteFile(h, NULL, NULL, NULL, &io, data, (uint32_t)strlen(data),
                              offset == FILE_USE_FILE_POINTER_POSITION ? NULL : &off, NULL);
    if (written)
        *written = st == STATUS_SUCCESS ? io.Information : 0;
    return st;
}

static int64_t position(HANDLE h)
{
    IO_STATUS_BLOCK io;
    FILE_POSITION_INFORMATION pos;
    NTSTATUS st = NtQueryInformationFile(h, &io, &pos, sizeof pos, FilePositionInformation);
    cr_assert_eq(st, STATUS_SUCCESS, "position: %#x", (uint32_t)st);
    return pos.CurrentByteOffset.QuadPart;
}

/* ---- NtCreateFile ---- */
Test(ntfile, create_dispositions_information)
{
    expect_create("a.txt", FILE_OPEN, STATUS_OBJECT_NAME_NOT_FOUND, 0);
    expect_create("a.txt", FILE_OVERWRITE, STATUS_OBJECT_NAME_NOT_FOUND, 0);
    expect_create("a.txt", FILE_CREATE, STATUS_SUCCESS, FILE_CREATED);
    expect_create("a.txt", FILE_CREATE, STATUS_OBJECT_NAME_COLLISION, 0);
    expect_create("a.txt", FILE_OPEN, STATUS_SUCCESS, FILE_OPENED);
    expect_create("a.txt", FILE_OPEN_IF, STATUS_SUCCESS, FILE_OPENED);
    expect_create("b.txt", FILE_OPEN_IF, STATUS_SUCCESS, FILE_CREATED);
    expect_create("c.txt", FILE_OVERWRITE_IF, STATUS_SUCCESS, FILE_CREATED);
    expect_create("d.txt", FILE_SUPERSEDE, STATUS_SUCCESS, FILE_CREATED);
    write_host("a.txt", "content");
    expect_create("a.txt", FILE_OVERWRITE, STATUS_SUCCESS, FILE_OVERWRITTEN);
    cr_expect_eq(host_size("a.txt"), 0, "size after FILE_OVERWRITE %ld", (long)host_size("a.txt"));
    write_host("a.txt", "content");
    expect_create("a.txt", FILE_OVERWRITE_IF, STATUS_SUCCESS, FILE_OVERWRITTEN);
    cr_expect_eq(host_size("a.txt"), 0);
    write_host("a.txt", "content");
    expect_create("a.txt", FILE_SUPERSEDE, STATUS_SUCCESS, FILE_SUPERSEDED);
    cr_expect_eq(host_size("a.txt"), 0);
    expect_create("a.txt", 6, STATUS_INVALID_PARAMETER, 0);
}

Test(ntfile, create_case_insensitive_opens_existing)
{
    write_host("MixedCase.Txt", "x");
    expect_create("mixedcase.TXT", FILE_OPEN_IF, STATUS_SUCCESS, FILE_OPENED);
    cr_expect(!exists("mixedcase.TXT"), "a second file was created");
}

Test(ntfile, create_through_dangling_symlink_creates_target)
{
    cr_assert_eq(symlink("target.txt", host("link.txt")), 0);
    expect_create("link.txt", FILE_OPEN_IF, STATUS_SUCCESS, FILE_CREATED);
    cr_expect(exists("target.txt"), "the link's target was not created");
}

Test(ntfile, create_in_missing_directory_is_path_not_found)
{
    expect_create("nodir\\x.txt", FILE_CREATE, STATUS_OBJECT_PATH_NOT_FOUND, 0);
    write_host("file", "x");
    expect_create("file\\x.txt", FILE_CREATE, STATUS_OBJECT_PATH_NOT_FOUND, 0);
}

Test(ntfile, create_invalid_name_is_rejected)
{
    expect_create("a*b.txt", FILE_CREATE, STATUS_OBJECT_NAME_INVALID, 0);
    expect_create("a?b.txt", FILE_CREATE, STATUS_OBJECT_NAME_INVALID, 0);
    expect_create("a|b", FILE_CREATE, STATUS_OBJECT_NAME_INVALID, 0);
}

Test(ntfile, create_directory_flags)
{
    HANDLE h;
    ULONG_PTR info = 0;
    NTSTATUS st = create(&h, "newdir", FILE_LIST_DIRECTORY, FILE_CREATE, FILE_DIRECTORY_FILE,
                         &info);
    cr_assert_eq(st, STATUS_SUCCESS, "mkdir: %#x", (uint32_t)st);
    cr_expect_eq(info, FILE_CREATED, "info %lu", (unsigned long)info);
    NtClose(h);
    struct stat sb;
    cr_expect(stat(host("newdir"), &sb) == 0 && S_ISDIR(sb.st_mode));
    st = create(&h, "newdir", GENERIC_READ, FILE_OPEN, FILE_NON_DIRECTORY_FILE, NULL);
    cr_expect_eq(st, STATUS_FILE_IS_A_DIRECTORY, "got %#x", (uint32_t)st);
    write_host("plain", "x");
    st = create(&h, "plain", GENERIC_READ, FILE_OPEN, FILE_DIRECTORY_FILE, NULL);
    cr_expect_eq(st, STATUS_NOT_A_DIRECTORY, "got %#x", (uint32_t)st);
    st = create(&h, "d2", GENERIC_READ, FILE_OVERWRITE_IF, FILE_DIRECTORY_FILE, NULL);
    cr_expect_eq(st, STATUS_INVALID_PARAMETER, "got %#x", (uint32_t)st);
    st = create(&h, "d3", GENERIC_READ, FILE_OPEN,
                FILE_DIRECTORY_FILE | FILE_NON_DIRECTORY_FILE, NULL);
    cr_expect_eq(st, STATUS_INVALID_PARAMETER, "got %#x", (uint32_t)st);
}

Test(ntfile, create_sync_without_synchronize_is_invalid)
{
    nt_name n;
    IO_STATUS_BLOCK io;
    HANDLE h;
    NTSTATUS st = NtCreateFile(&h, FILE_READ_DATA, name_c(&n, "x"), &io, NULL, 0, 0, FILE_OPEN_IF,
                               FILE_SYNCHRONOUS_IO_NONALERT, NULL, 0);
    cr_expect_eq(st, STATUS_INVALID_PARAMETER, "got %#x", (uint32_t)st);
}

Test(ntfile, create_relative_to_root_directory)
{
    HANDLE dir = open_ok("", FILE_LIST_DIRECTORY, FILE_OPEN, FILE_DIRECTORY_FILE);
    cr_assert_eq(mkdir(host("Sub"), 0755), 0);
    nt_name n;
    IO_STATUS_BLOCK io;
    HANDLE h;
    NTSTATUS st = NtCreateFile(&h, GENERIC_WRITE | SYNCHRONIZE, name_rel(&n, dir, "sub\\rel.txt"),
                               &io, NULL, 0, 0, FILE_CREATE, FILE_SYNCHRONOUS_IO_NONALERT, NULL, 0);
    cr_assert_eq(st, STATUS_SUCCESS, "got %#x", (uint32_t)st);
    cr_expect(exists("Sub/rel.txt"));
    NtClose(h);
    st = NtCreateFile(&h, GENERIC_WRITE | SYNCHRONIZE, name_rel(&n, dir, "..\\x"), &io, NULL, 0,
                      0, FILE_CREATE, FILE_SYNCHRONOUS_IO_NONALERT, NULL, 0);
    cr_expect_eq(st, STATUS_OBJECT_NAME_INVALID, "got %#x", (uint32_t)st);
    NtClose(dir);
}

Test(ntfile, read_only_file_denies_write_and_delete)
{
    nt_name n;
    IO_STATUS_BLOCK io;
    HANDLE h;
    NTSTATUS st = NtCreateFile(&h, GENERIC_WRITE | SYNCHRONIZE, name_c(&n, "ro.txt"), &io, NULL,
                               FILE_ATTRIBUTE_READONLY, 0, FILE_CREATE,
                               FILE_SYNCHRONOUS_IO_NONALERT, NULL, 0);
    cr_assert_eq(st, STATUS_SUCCESS, "got %#x", (uint32_t)st);
    ULONG_PTR w;
    cr_expect_eq(nt_write(h, "data", FILE_USE_FILE_POINTER_POSITION, &w), STATUS_SUCCESS,
                 "the creating handle may write");
    NtClose(h);
    FILE_BASIC_INFORMATION b;
    cr_assert_eq(NtQueryAttributesFile(name_c(&n, "ro.txt"), &b), STATUS_SUCCESS);
    cr_expect(b.FileAttributes & FILE_ATTRIBUTE_READONLY, "attributes %#x", b.FileAttributes);
    st = create(&h, "ro.txt", GENERIC_WRITE, FILE_OPEN, 0, NULL);
    cr_expect_eq(st, STATUS_ACCESS_DENIED, "open for write: %#x", (uint32_t)st);
    st = create(&h, "ro.txt", GENERIC_READ, FILE_OVERWRITE_IF, 0, NULL);
    cr_expect_eq(st, STATUS_ACCESS_DENIED, "overwrite: %#x", (uint32_t)st);
    st = NtDeleteFile(name_c(&n, "ro.txt"));
    cr_expect_eq(st, STATUS_CANNOT_DELETE, "delete: %#x", (uint32_t)st);
    h = open_ok("ro.txt", GENERIC_READ, FILE_OPEN, 0);
    NtClose(h);
}

/* ---- read and write ---- */
Test(ntfile, write_read_and_end_of_file)
{
    HANDLE h = open_ok("rw.txt", GENERIC_READ | GENERIC_WRITE, FILE_CREATE, 0);
    ULONG_PTR w = 0;
    cr_assert_eq(nt_write(h, "hello world", FILE_USE_FILE_POINTER_POSITION, &w), STATUS_SUCCESS);
    cr_expect_eq(w, 11, "written %lu", (unsigned long)w);
    cr_expect_eq(position(h), 11, "position %lld", (long long)position(h));

    char buf[32] = {0};
    IO_STATUS_BLOCK io;
    LARGE_INTEGER off = {.QuadPart = 6};
    NTSTATUS st = NtReadFile(h, NULL, NULL, NULL, &io, buf, sizeof buf, &off, NULL);
    cr_assert_eq(st, STATUS_SUCCESS, "read: %#x", (uint32_t)st);
    cr_expect_eq(io.Information, 5, "read %lu", (unsigned long)io.Information);
    cr_expect_str_eq(buf, "world");
    cr_expect_eq(position(h), 11, "position follows an explicit-offset read: %lld",
                 (long long)position(h));

    memset(&io, 0xcc, sizeof io);
    st = NtReadFile(h, NULL, NULL, NULL, &io, buf, sizeof buf, NULL, NULL);
    cr_expect_eq(st, STATUS_END_OF_FILE, "at EOF: %#x", (uint32_t)st);
    cr_expect_eq(io.Status, STATUS_END_OF_FILE, "io.Status %#x", (uint32_t)io.Status);
    cr_expect_eq(io.Information, 0, "io.Information %lu", (unsigned long)io.Information);

    off.QuadPart = 100;
    st = NtReadFile(h, NULL, NULL, NULL, &io, buf, sizeof buf, &off, NULL);
    cr_expect_eq(st, STATUS_END_OF_FILE, "past EOF: %#x", (uint32_t)st);
    NtClose(h);
}

Test(ntfile, set_position_then_read)
{
    HANDLE h = open_ok("pos.txt", GENERIC_READ | GENERIC_WRITE, FILE_CREATE, 0);
    cr_assert_eq(nt_write(h, "0123456789", FILE_USE_FILE_POINTER_POSITION, NULL), STATUS_SUCCESS);
    FILE_POSITION_INFORMATION pos = {.CurrentByteOffset.QuadPart = 4};
    IO_STATUS_BLOCK io;
    cr_assert_eq(NtSetInformationFile(h, &io, &pos, sizeof pos, FilePositionInformation),
                 STATUS_SUCCESS);
    char buf[4] = {0};
    cr_assert_eq(NtReadFile(h, NULL, NULL, NULL, &io, buf, 3, NULL, NULL), STATUS_SUCCESS);
    cr_expect_eq(memcmp(buf, "456", 3), 0, "read %.3s", buf);
    cr_expect_eq(position(h), 7);
    pos.CurrentByteOffset.QuadPart = -1;
    NTSTATUS st = NtSetInformationFile(h, &io, &pos, sizeof pos, FilePositionInformation);
    cr_expect_eq(st, STATUS_INVALID_PARAMETER, "negative position: %#x", (uint32_t)st);
    NtClose(h);
}

Test(ntfile, write_at_offset_and_to_end)
{
    HANDLE h = open_ok("off.txt", GENERIC_READ | GENERIC_WRITE, FILE_CREATE, 0);
    cr_assert_eq(nt_write(h, "aaaa", FILE_USE_FILE_POINTER_POSITION, NULL), STATUS_SUCCESS);
    cr_assert_eq(nt_write(h, "B", 1, NULL), STATUS_SUCCESS);
    cr_expect_eq(position(h), 2, "position after write at 1: %lld", (long long)position(h));
    cr_assert_eq(nt_write(h, "END", FILE_WRITE_TO_END_OF_FILE, NULL), STATUS_SUCCESS);
    NtClose(h);
    char buf[16] = {0};
    FILE *f = fopen(host("off.txt"), "r");
    cr_assert_not_null(f);
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    cr_expect_eq(n, 7, "size %zu", n);
    cr_expect_str_eq(buf, "aBaaEND");
}

Test(ntfile, append_only_handle_writes_at_end)
{
    write_host("app.txt", "start");
    HANDLE h = open_ok("app.txt", FILE_APPEND_DATA, FILE_OPEN, 0);
    cr_assert_eq(nt_write(h, "+1", 0, NULL), STATUS_SUCCESS);
    cr_assert_eq(nt_write(h, "+2", FILE_USE_FILE_POINTER_POSITION, NULL), STATUS_SUCCESS);
    char buf[8];
    IO_STATUS_BLOCK io;
    NTSTATUS st = NtReadFile(h, NULL, NULL, NULL, &io, buf, sizeof buf, NULL, NULL);
    cr_expect_eq(st, STATUS_ACCESS_DENIED, "read on an append-only handle: %#x", (uint32_t)st);
    NtClose(h);
    cr_expect_eq(host_size("app.txt"), 9, "size %ld", (long)host_size("app.txt"));
}

Test(ntfile, read_only_handle_cannot_write)
{
    write_host("r.txt", "x");
    HANDLE h = open_ok("r.txt", GENERIC_READ, FILE_OPEN, 0);
    NTSTATUS st = nt_write(h, "y", FILE_USE_FILE_POINTER_POSITION, NULL);
    cr_expect_eq(st, STATUS_ACCESS_DENIED, "got %#x", (uint32_t)st);
    IO_STATUS_BLOCK io;
    st = NtFlushBuffersFile(h, &io);
    cr_expect_eq(st, STATUS_ACCESS_DENIED, "flush: %#x", (uint32_t)st);
    NtClose(h);
}

Test(ntfile, read_directory_is_invalid_device_request)
{
    HANDLE h = open_ok("", FILE_LIST_DIRECTORY | FILE_READ_DATA, FILE_OPEN, FILE_DIRECTORY_FILE);
    char buf[4];
    IO_STATUS_BLOCK io;
    NTSTATUS st = NtReadFile(h, NULL, NULL, NULL, &io, buf, sizeof buf, NULL, NULL);
    cr_expect_eq(st, STATUS_INVALID_DEVICE_REQUEST, "got %#x", (uint32_t)st);
    NtClose(h);
}

Test(ntfile, pipe_through_file_from_fd)
{
    int p[2];
    HANDLE w, r;
    cr_assert_eq(pipe(p), 0);
    cr_assert_eq(nt_file_from_fd(p[1], GENERIC_WRITE, &w), STATUS_SUCCESS);
    cr_assert_eq(nt_file_from_fd(p[0], GENERIC_READ, &r), STATUS_SUCCESS);
    ULONG_PTR n = 0;
    cr_assert_eq(nt_write(w, "ping", FILE_USE_FILE_POINTER_POSITION, &n), STATUS_SUCCESS);
    cr_expect_eq(n, 4);
    cr_assert_eq(NtClose(w), STATUS_SUCCESS);
    cr_expect_neq(fcntl(p[1], F_GETFD), -1, "closing the handle closed the fd");
    close(p[1]);
    char buf[8] = {0};
    IO_STATUS_BLOCK io;
    cr_assert_eq(NtReadFile(r, NULL, NULL, NULL, &io, buf, sizeof buf, NULL, NULL),
                 STATUS_SUCCESS);
    cr_expect_str_eq(buf, "ping");
    NTSTATUS st = NtReadFile(r, NULL, NULL, NULL, &io, buf, sizeof buf, NULL, NULL);
    cr_expect_eq(st, STATUS_PIPE_BROKEN, "pipe EOF: %#x", (uint32_t)st);
    NtClose(r);
    close(p[0]);
}

/* ---- information ---- */
Test(ntfile, query_standard_basic_and_end_of_file)
{
    LARGE_INTEGER now;
    cr_assert_eq(NtQuerySystemTime(&now), STATUS_SUCCESS);
    HANDLE h = open_ok("info.txt", GENERIC_READ | GENERIC_WRITE, FILE_CREATE, 0);
    cr_assert_eq(nt_write(h, "12345", FILE_USE_FILE_POINTER_POSITION, NULL), STATUS_SUCCESS);
    IO_STATUS_BLOCK io;
    FILE_STANDARD_INFORMATION std;
    NTSTATUS st = NtQueryInformationFile(h, &io, &std, sizeof std, FileStandardInformation);
    cr_assert_eq(st, STATUS_SUCCESS, "got %#x", (uint32_t)st);
    cr_expect_eq(io.Information, sizeof std, "Information %lu", (unsigned long)io.Information);
    cr_expect_eq(std.EndOfFile.QuadPart, 5, "EOF %lld", (long long)std.EndOfFile.QuadPart);
    cr_expect_eq(std.Directory, 0);
    cr_expect_eq(std.NumberOfLinks, 1);

    FILE_END_OF_FILE_INFORMATION eof = {.EndOfFile.QuadPart = 2};
    cr_assert_eq(NtSetInformationFile(h, &io, &eof, sizeof eof, FileEndOfFileInformation),
                 STATUS_SUCCESS);
    cr_assert_eq(NtQueryInformationFile(h, &io, &std, sizeof std, FileStandardInformation),
                 STATUS_SUCCESS);
    cr_expect_eq(std.EndOfFile.QuadPart, 2, "EOF %lld", (long long)std.EndOfFile.QuadPart);
    cr_expect_eq(position(h), 5, "setting EOF does not move the position");

    FILE_BASIC_INFORMATION b;
    cr_assert_eq(NtQueryInformationFile(h, &io, &b, sizeof b, FileBasicInformation),
                 STATUS_SUCCESS);
    cr_expect_eq(b.FileAttributes, FILE_ATTRIBUTE_ARCHIVE, "attributes %#x", b.FileAttributes);
    int64_t d = b.LastWriteTime.QuadPart - now.QuadPart;
    cr_expect(d > -600000000LL && d < 600000000LL, "write time %lld vs now %lld",
              (long long)b.LastWriteTime.QuadPart, (long long)now.QuadPart);
    st = NtQueryInformationFile(h, &io, &b, sizeof b - 1, FileBasicInformation);
    cr_expect_eq(st, STATUS_INFO_LENGTH_MISMATCH, "short buffer: %#x", (uint32_t)st);
    st = NtQueryInformationFile(h, &io, &b, sizeof b, 0);
    cr_expect_eq(st, STATUS_INVALID_INFO_CLASS, "class 0: %#x", (uint32_t)st);
    NtClose(h);
}

Test(ntfile, query_name_all_and_attribute_tag)
{
    cr_assert_eq(mkdir(host("Dir"), 0755), 0);
    HANDLE h = open_ok("dir\\n.txt", GENERIC_READ, FILE_CREATE, 0);
    IO_STATUS_BLOCK io;
    uint8_t buf[256];
    NTSTATUS st = NtQueryInformationFile(h, &io, buf, sizeof buf, FileNameInformation);
    cr_assert_eq(st, STATUS_SUCCESS, "got %#x", (uint32_t)st);
    uint32_t len;
    memcpy(&len, buf, 4);
    const WCHAR want[] = u"\\Dir\\n.txt";
    cr_expect_eq(len, sizeof want - 2, "FileNameLength %u", len);
    cr_expect_eq(memcmp(buf + 4, want, sizeof want - 2), 0, "name differs");
    cr_expect_eq(io.Information, 4 + sizeof want - 2, "Information %lu",
                 (unsigned long)io.Information);

    st = NtQueryInformationFile(h, &io, buf, 10, FileNameInformation);
    cr_expect_eq(st, STATUS_BUFFER_OVERFLOW, "short: %#x", (uint32_t)st);
    cr_expect_eq(io.Information, 10, "Information %lu", (unsigned long)io.Information);

    st = NtQueryInformationFile(h, &io, buf, sizeof buf, FileAllInformation);
    cr_assert_eq(st, STATUS_SUCCESS, "all: %#x", (uint32_t)st);
    memcpy(&len, buf + 0x60, 4);
    cr_expect_eq(len, sizeof want - 2, "all: FileNameLength %u", len);
    cr_expect_eq(memcmp(buf + 0x64, want, sizeof want - 2), 0, "all: name differs");
    uint32_t attrs;
    memcpy(&attrs, buf + 0x20, 4);
    cr_expect_eq(attrs, FILE_ATTRIBUTE_ARCHIVE, "all: attributes %#x", attrs);

    st = NtQueryInformationFile(h, &io, buf, 8, FileAttributeTagInformation);
    cr_assert_eq(st, STATUS_SUCCESS, "tag: %#x", (uint32_t)st);
    memcpy(&attrs, buf, 4);
    cr_expect_eq(attrs, FILE_ATTRIBUTE_ARCHIVE, "tag: attributes %#x", attrs);
    NtClose(h);
}

Test(ntfile, set_basic_read_only_attribute)
{
    HANDLE h = open_ok("attr.txt", GENERIC_READ | FILE_WRITE_ATTRIBUTES, FILE_CREATE, 0);
    IO_STATUS_BLOCK io;
    FILE_BASIC_INFORMATION b = {.FileAttributes = FILE_ATTRIBUTE_READONLY};
    b.LastWriteTime.QuadPart = WIN_EPOCH_DIFF_100NS + 10000000LL * 1000000000LL; /* 2001 */
    cr_assert_eq(NtSetInformationFile(h, &io, &b, sizeof b, FileBasicInformation),
                 STATUS_SUCCESS);
    struct stat st;
    cr_assert_eq(stat(host("attr.txt"), &st), 0);
    cr_expect_eq(st.st_mode & 0222, 0, "mode %o", st.st_mode);
    cr_expect_eq(st.st_mtime, 1000000000, "mtime %ld", (long)st.st_mtime);
    b = (FILE_BASIC_INFORMATION){.FileAttributes = FILE_ATTRIBUTE_NORMAL};
    cr_assert_eq(NtSetInformationFile(h, &io, &b, sizeof b, FileBasicInformation),
                 STATUS_SUCCESS);
    cr_assert_eq(stat(host("attr.txt"), &st), 0);
    cr_expect(st.st_mode & S_IWUSR, "mode %o", st.st_mode);
    NtClose(h);
    h = open_ok("attr.txt", GENERIC_READ, FILE_OPEN, 0);
    NTSTATUS s = NtSetInformationFile(h, &io, &b, sizeof b, FileBasicInformation);
    cr_expect_eq(s, STATUS_ACCESS_DENIED, "without FILE_WRITE_ATTRIBUTES: %#x", (uint32_t)s);
    NtClose(h);
}

static NTSTATUS rename_to(HANDLE h, const char *target, bool replace)
{
    uint8_t buf[512] = {0};
    size_t len;
    WCHAR *w = nt_utf8_to_utf16(target, strlen(target), &len);
    buf[0] = replace;
    uint32_t bytes = (uint32_t)(len * 2);
    memcpy(buf + 0x10, &bytes, 4);
    memcpy(buf + 0x14, w, bytes);
    free(w);
    IO_STATUS_BLOCK io;
    return NtSetInformationFile(h, &io, buf, 0x14 + bytes, FileRenameInformation);
}

Test(ntfile, rename_collision_replace_and_case_change)
{
    write_host("old.txt", "old");
    write_host("other.txt", "other");
    HANDLE h = open_ok("old.txt", GENERIC_READ | DELETE, FILE_OPEN, 0);
    NTSTATUS st = rename_to(h, "other.txt", false);
    cr_expect_eq(st, STATUS_OBJECT_NAME_COLLISION, "no replace: %#x", (uint32_t)st);
    st = rename_to(h, "new.txt", false);
    cr_assert_eq(st, STATUS_SUCCESS, "bare name: %#x", (uint32_t)st);
    cr_expect(!exists("old.txt") && exists("new.txt"));
    st = rename_to(h, "\\??\\C:\\OTHER.TXT", true);
    cr_assert_eq(st, STATUS_SUCCESS, "replace: %#x", (uint32_t)st);
    cr_expect(exists("other.txt") && !exists("new.txt"));
    cr_expect_eq(host_size("other.txt"), 3, "replaced content size %ld",
                 (long)host_size("other.txt"));
    st = rename_to(h, "Other.TXT", false);
    cr_assert_eq(st, STATUS_SUCCESS, "change of case: %#x", (uint32_t)st);
    cr_expect(exists("Other.TXT") && !exists("other.txt"));
    NtClose(h);

    h = open_ok("Other.TXT", GENERIC_READ, FILE_OPEN, 0);
    st = rename_to(h, "x.txt", false);
    cr_expect_eq(st, STATUS_ACCESS_DENIED, "without DELETE access: %#x", (uint32_t)st);
    NtClose(h);
}

Test(ntfile, delete_on_close_and_disposition)
{
    HANDLE h = open_ok("tmp.txt", GENERIC_WRITE | DELETE, FILE_CREATE, FILE_DELETE_ON_CLOSE);
    cr_expect(exists("tmp.txt"), "deleted too early");
    NtClose(h);
    cr_expect(!exists("tmp.txt"), "not deleted on close");

    HANDLE bad;
    NTSTATUS st = create(&bad, "t2.txt", GENERIC_WRITE, FILE_CREATE, FILE_DELETE_ON_CLOSE, NULL);
    cr_expect_eq(st, STATUS_INVALID_PARAMETER, "delete-on-close without DELETE: %#x",
                 (uint32_t)st);

    write_host("disp.txt", "x");
    h = open_ok("disp.txt", GENERIC_READ | DELETE, FILE_OPEN, 0);
    FILE_DISPOSITION_INFORMATION d = {.DeleteFile = 1};
    IO_STATUS_BLOCK io;
    cr_assert_eq(NtSetInformationFile(h, &io, &d, sizeof d, FileDispositionInformation),
                 STATUS_SUCCESS);
    FILE_STANDARD_INFORMATION std;
    cr_assert_eq(NtQueryInformationFile(h, &io, &std, sizeof std, FileStandardInformation),
                 STATUS_SUCCESS);
    cr_expect_eq(std.DeletePending, 1);
    NtClose(h);
    cr_expect(!exists("disp.txt"));

    cr_assert_eq(mkdir(host("full"), 0755), 0);
    write_host("full/f", "x");
    h = open_ok("full", DELETE | FILE_LIST_DIRECTORY, FILE_OPEN, FILE_DIRECTORY_FILE);
    st = NtSetInformationFile(h, &io, &d, sizeof d, FileDispositionInformation);
    cr_expect_eq(st, STATUS_DIRECTORY_NOT_EMPTY, "non-empty directory: %#x", (uint32_t)st);
    NtClose(h);
}

Test(ntfile, delete_file_and_query_attributes)
{
    nt_name n;
    FILE_BASIC_INFORMATION b;
    write_host("del.txt", "x");
    cr_assert_eq(mkdir(host("d"), 0755), 0);
    write_host("d/inner", "x");
    cr_assert_eq(NtQueryAttributesFile(name_c(&n, "DEL.TXT"), &b), STATUS_SUCCESS);
    cr_expect_eq(b.FileAttributes, FILE_ATTRIBUTE_ARCHIVE, "attributes %#x", b.FileAttributes);
    cr_assert_eq(NtQueryAttributesFile(name_c(&n, "d"), &b), STATUS_SUCCESS);
    cr_expect_eq(b.FileAttributes, FILE_ATTRIBUTE_DIRECTORY, "attributes %#x", b.FileAttributes);
    cr_expect_eq(NtDeleteFile(name_c(&n, "del.txt")), STATUS_SUCCESS);
    cr_expect(!exists("del.txt"));
    NTSTATUS st = NtQueryAttributesFile(name_c(&n, "del.txt"), &b);
    cr_expect_eq(st, STATUS_OBJECT_NAME_NOT_FOUND, "got %#x", (uint32_t)st);
    st = NtQueryAttributesFile(name_c(&n, "nodir\\x"), &b);
    cr_expect_eq(st, STATUS_OBJECT_PATH_NOT_FOUND, "got %#x", (uint32_t)st);
    st = NtDeleteFile(name_c(&n, "d"));
    cr_expect_eq(st, STATUS_DIRECTORY_NOT_EMPTY, "got %#x", (uint32_t)st);
}

/* ---- handles and pointers ---- */
Test(ntfile, bad_handle_leaves_io_untouched)
{
    IO_STATUS_BLOCK io;
    char buf[4];
    memset(&io, 0xcc, sizeof io);
    NTSTATUS st = NtReadFile((HANDLE)(uintptr_t)0x12340, NULL, NULL, NULL, &io, buf, 4, NULL,
                             NULL);
    cr_expect_eq(st, STATUS_INVALID_HANDLE, "got %#x", (uint32_t)st);
    cr_expect_eq((uint32_t)io.Status, 0xccccccccu, "io.Status %#x", (uint32_t)io.Status);
    st = NtWriteFile(NULL, NULL, NULL, NULL, &io, buf, 4, NULL, NULL);
    cr_expect_eq(st, STATUS_INVALID_HANDLE, "got %#x", (uint32_t)st);
    FILE_STANDARD_INFORMATION std;
    st = NtQueryInformationFile((HANDLE)(uintptr_t)0x12340, &io, &std, sizeof std,
                                FileStandardInformation);
    cr_expect_eq(st, STATUS_INVALID_HANDLE, "got %#x", (uint32_t)st);
}

static void obj_destroy(nt_object *o) { free(o); }

Test(ntfile, wrong_object_type_is_type_mismatch)
{
    nt_object *o = malloc(sizeof *o);
    HANDLE h;
    nt_object_init(o, NT_OBJ_EVENT, obj_destroy);
    cr_assert_eq(nt_handle_alloc(o, &h), STATUS_SUCCESS);
    nt_object_release(o);
    IO_STATUS_BLOCK io;
    char buf[4];
    NTSTATUS st = NtReadFile(h, NULL, NULL, NULL, &io, buf, 4, NULL, NULL);
    cr_expect_eq(st, STATUS_OBJECT_TYPE_MISMATCH, "got %#x", (uint32_t)st);
    NtClose(h);
}

Test(ntfile, bad_pointers_are_access_violations)
{
    nt_name n;
    IO_STATUS_BLOCK io;
    HANDLE h;
    NTSTATUS st = NtCreateFile((HANDLE *)(uintptr_t)8, GENERIC_READ | SYNCHRONIZE,
                               name_c(&n, "x"), &io, NULL, 0, 0, FILE_OPEN_IF,
                               FILE_SYNCHRONOUS_IO_NONALERT, NULL, 0);
    cr_expect_eq(st, STATUS_ACCESS_VIOLATION, "bad handle pointer: %#x", (uint32_t)st);
    st = NtCreateFile(&h, GENERIC_READ | SYNCHRONIZE, (OBJECT_ATTRIBUTES *)(uintptr_t)16, &io,
                      NULL, 0, 0, FILE_OPEN_IF, FILE_SYNCHRONOUS_IO_NONALERT, NULL, 0);
    cr_expect_eq(st, STATUS_ACCESS_VIOLATION, "bad attributes: %#x", (uint32_t)st);

    h = open_ok("bp.txt", GENERIC_READ | GENERIC_WRITE, FILE_CREATE, 0);
    cr_assert_eq(nt_write(h, "abc", FILE_USE_FILE_POINTER_POSITION, NULL), STATUS_SUCCESS);
    LARGE_INTEGER zero = {.QuadPart = 0};
    st = NtReadFile(h, NULL, NULL, NULL, &io, (void *)(uintptr_t)1, 3, &zero, NULL);
    cr_expect_eq(st, STATUS_ACCESS_VIOLATION, "bad read buffer: %#x", (uint32_t)st);
    st = NtWriteFile(h, NULL, NULL, NULL, &io, (void *)(uintptr_t)1, 3, NULL, NULL);
    cr_expect_eq(st, STATUS_ACCESS_VIOLATION, "bad write buffer: %#x", (uint32_t)st);
    char buf[4];
    st = NtReadFile(h, NULL, NULL, NULL, (IO_STATUS_BLOCK *)(uintptr_t)24, buf, 3, &zero, NULL);
    cr_expect_eq(st, STATUS_ACCESS_VIOLATION, "bad io: %#x", (uint32_t)st);
    st = NtQueryInformationFile(h, &io, (void *)(uintptr_t)32, sizeof(FILE_BASIC_INFORMATION),
                                FileBasicInformation);
    cr_expect_eq(st, STATUS_ACCESS_VIOLATION, "bad info: %#x", (uint32_t)st);
    /* the runtime is still fine and the handle still works */
    st = NtReadFile(h, NULL, NULL, NULL, &io, buf, 3, &zero, NULL);
    cr_expect_eq(st, STATUS_SUCCESS, "after the faults: %#x", (uint32_t)st);
    NtClose(h);
}

/* ---- directories ---- */
typedef struct {
    char name[64];
    uint32_t attrs;
} listed;

/* Lists with FileBothDirectoryInformation; returns the number of entries and the last status. */
static int list_dir(HANDLE h, const char *mask, bool single, bool restart, listed *out, int max,
                    NTSTATUS *last)
{
    uint8_t buf[4096] __attribute__((aligned(8)));
    UNICODE_STRING us = {0}, *m = NULL;
    WCHAR wmask[64];
    IO_STATUS_BLOCK io;
    int n = 0;
    if (mask) {
        size_t len;
        WCHAR *w = nt_utf8_to_utf16(mask, strlen(mask), &len);
        memcpy(wmask, w, len * 2);
        free(w);
        us.Length = us.MaximumLength = (uint16_t)(len * 2);
        us.Buffer = wmask;
        m = &us;
    }
    for (int call = 0; call < 100 && n < max; call++) {
        NTSTATUS st = NtQueryDirectoryFile(h, NULL, NULL, NULL, &io, buf, sizeof buf,
                                           FileBothDirectoryInformation, single, m,
                                           restart && call == 0);
        *last = st;
        if (st != STATUS_SUCCESS)
            break;
        size_t off = 0;
        for (;;) {
            FILE_BOTH_DIR_INFORMATION *e = (FILE_BOTH_DIR_INFORMATION *)(buf + off);
            cr_assert_eq(off % 8, 0, "entry at %zu not aligned", off);
            char *name = nt_utf16_to_utf8(e->FileName, e->FileNameLength / 2, NULL);
            snprintf(out[n].name, sizeof out[n].name, "%s", name);
            free(name);
            out[n].attrs = e->FileAttributes;
            n++;
            if (!e->NextEntryOffset || n == max)
                break;
            off += e->NextEntryOffset;
        }
        if (single)
            cr_expect_eq(io.Information, 0x5e + strlen(out[n - 1].name) * 2, "single entry size");
    }
    return n;
}

static void make_listing_dir(void)
{
    cr_assert_eq(mkdir(host("L"), 0755), 0);
    write_host("L/b.txt", "b");
    write_host("L/A.txt", "a");
    write_host("L/c.dat", "c");
    write_host("L/.hidden", "h");
    cr_assert_eq(mkdir(host("L/sub"), 0755), 0);
}

Test(ntdir, full_listing_dot_entries_first_then_ntfs_order)
{
    make_listing_dir();
    HANDLE h = open_ok("L", FILE_LIST_DIRECTORY, FILE_OPEN, FILE_DIRECTORY_FILE);
    listed e[16];
    NTSTATUS last;
    int n = list_dir(h, NULL, false, false, e, 16, &last);
    cr_expect_eq(last, STATUS_NO_MORE_FILES, "last status %#x", (uint32_t)last);
    const char *want[] = {".", "..", ".hidden", "A.txt", "b.txt", "c.dat", "sub"};
    cr_assert_eq(n, 7, "%d entries", n);
    for (int i = 0; i < 7; i++)
        cr_expect_str_eq(e[i].name, want[i], "entry %d: %s, want %s", i, e[i].name, want[i]);
    cr_expect_eq(e[0].attrs, FILE_ATTRIBUTE_DIRECTORY, ". attributes %#x", e[0].attrs);
    cr_expect_eq(e[2].attrs, FILE_ATTRIBUTE_ARCHIVE | FILE_ATTRIBUTE_HIDDEN, ".hidden %#x",
                 e[2].attrs);
    cr_expect_eq(e[3].attrs, FILE_ATTRIBUTE_ARCHIVE, "A.txt %#x", e[3].attrs);
    cr_expect_eq(e[6].attrs, FILE_ATTRIBUTE_DIRECTORY, "sub %#x", e[6].attrs);

    /* RestartScan starts over */
    n = list_dir(h, NULL, true, true, e, 1, &last);
    cr_expect_eq(n, 1);
    cr_expect_str_eq(e[0].name, ".");
    NtClose(h);
}

Test(ntdir, mask_star_dot_case_insensitive)
{
    make_listing_dir();
    HANDLE h = open_ok("L", FILE_LIST_DIRECTORY, FILE_OPEN, FILE_DIRECTORY_FILE);
    listed e[16];
    NTSTATUS last;
    int n = list_dir(h, "*.TXT", false, false, e, 16, &last);
    cr_assert_eq(n, 2, "%d entries", n);
    cr_expect_str_eq(e[0].name, "A.txt");
    cr_expect_str_eq(e[1].name, "b.txt");
    NtClose(h);

    h = open_ok("L", FILE_LIST_DIRECTORY, FILE_OPEN, FILE_DIRECTORY_FILE);
    n = list_dir(h, "?.dAt", false, false, e, 16, &last);
    cr_assert_eq(n, 1, "%d entries", n);
    cr_expect_str_eq(e[0].name, "c.dat");
    NtClose(h);

    h = open_ok("L", FILE_LIST_DIRECTORY, FILE_OPEN, FILE_DIRECTORY_FILE);
    n = list_dir(h, "*.*", false, false, e, 16, &last); /* literal: names with a dot */
    cr_expect_eq(n, 6, "%d entries", n);
    NtClose(h);
}

Test(ntdir, single_entries_one_at_a_time)
{
    make_listing_dir();
    HANDLE h = open_ok("L", FILE_LIST_DIRECTORY, FILE_OPEN, FILE_DIRECTORY_FILE);
    listed e[16];
    NTSTATUS last;
    int n = list_dir(h, "*", true, false, e, 16, &last);
    cr_expect_eq(n, 7, "%d entries", n);
    cr_expect_eq(last, STATUS_NO_MORE_FILES, "%#x", (uint32_t)last);
    NtClose(h);
}

Test(ntdir, no_match_first_no_such_file_then_no_more_files)
{
    make_listing_dir();
    HANDLE h = open_ok("L", FILE_LIST_DIRECTORY, FILE_OPEN, FILE_DIRECTORY_FILE);
    uint8_t buf[512];
    IO_STATUS_BLOCK io;
    UNICODE_STRING m = {.Length = 10, .MaximumLength = 10, .Buffer = (WCHAR *)u"dummy"};
    memset(&io, 0xcc, sizeof io);
    NTSTATUS st = NtQueryDirectoryFile(h, NULL, NULL, NULL, &io, buf, sizeof buf,
                                       FileBothDirectoryInformation, false, &m, false);
    cr_expect_eq(st, STATUS_NO_SUCH_FILE, "first: %#x", (uint32_t)st);
    cr_expect_eq((uint32_t)io.Status, 0xccccccccu, "io.Status %#x", (uint32_t)io.Status);
    st = NtQueryDirectoryFile(h, NULL, NULL, NULL, &io, buf, sizeof buf,
                              FileBothDirectoryInformation, false, NULL, false);
    cr_expect_eq(st, STATUS_NO_MORE_FILES, "then: %#x", (uint32_t)st);
    cr_expect_eq(io.Status, STATUS_NO_MORE_FILES, "io.Status %#x", (uint32_t)io.Status);
    NtClose(h);
}

Test(ntdir, drive_root_has_no_dot_entries)
{
    write_host("top.txt", "x");
    HANDLE h = open_ok("", FILE_LIST_DIRECTORY, FILE_OPEN, FILE_DIRECTORY_FILE);
    listed e[16];
    NTSTATUS last;
    int n = list_dir(h, NULL, false, false, e, 16, &last);
    /* top.txt and the windows folder every C: drive is given (ntemu/path.c), never . or .. */
    cr_assert_eq(n, 2, "%d entries", n);
    bool top = false, windows = false;
    for (int i = 0; i < n; i++) {
        cr_expect(strcmp(e[i].name, ".") && strcmp(e[i].name, ".."), "%s listed", e[i].name);
        top |= !strcmp(e[i].name, "top.txt");
        windows |= !strcmp(e[i].name, "windows");
    }
    cr_expect(top && windows, "top.txt %d, windows %d", top, windows);
    NtClose(h);
}

Test(ntdir, buffer_sizes_and_names_class)
{
    make_listing_dir();
    HANDLE h = open_ok("L", FILE_LIST_DIRECTORY, FILE_OPEN, FILE_DIRECTORY_FILE);
    uint8_t buf[512];
    IO_STATUS_BLOCK io;
    memset(&io, 0xcc, sizeof io);
    NTSTATUS st = NtQueryDirectoryFile(h, NULL, NULL, NULL, &io, buf, 0x5f,
                                       FileBothDirectoryInformation, false, NULL, true);
    cr_expect_eq(st, STATUS_INFO_LENGTH_MISMATCH, "too small: %#x", (uint32_t)st);
    cr_expect_eq((uint32_t)io.Status, 0xccccccccu, "io touched");

    /* FileNamesInformation: ".", ".." packed at 8-byte boundaries */
    st = NtQueryDirectoryFile(h, NULL, NULL, NULL, &io, buf, 16 + 0x0c + 4,
                              FileNamesInformation, false, NULL, true);
    cr_assert_eq(st, STATUS_SUCCESS, "names: %#x", (uint32_t)st);
    uint32_t next, len;
    memcpy(&next, buf, 4);
    memcpy(&len, buf + 8, 4);
    cr_expect_eq(next, 16, "NextEntryOffset %u", next);
    cr_expect_eq(len, 2, "FileNameLength %u", len);
    memcpy(&len, buf + 16 + 8, 4);
    cr_expect_eq(len, 4, "second FileNameLength %u", len);
    cr_expect_eq(io.Information, 16 + 0x0c + 4, "Information %lu", (unsigned long)io.Information);
    NtClose(h);

    /* a buffer too small for one name: the fixed part, part of the name, BUFFER_OVERFLOW */
    write_host("long_name_for_overflow.txt", "x");
    h = open_ok("", FILE_LIST_DIRECTORY, FILE_OPEN, FILE_DIRECTORY_FILE);
    UNICODE_STRING m = {.Length = 10, .MaximumLength = 10, .Buffer = (WCHAR *)u"LONG*"};
    memset(buf, 0x55, sizeof buf);
    st = NtQueryDirectoryFile(h, NULL, NULL, NULL, &io, buf, 0x60, FileBothDirectoryInformation,
                              true, &m, true);
    cr_expect_eq(st, STATUS_BUFFER_OVERFLOW, "overflow: %#x", (uint32_t)st);
    cr_expect_eq(io.Information, 0x60, "Information %lu", (unsigned long)io.Information);
    FILE_BOTH_DIR_INFORMATION *e = (FILE_BOTH_DIR_INFORMATION *)buf;
    cr_expect_eq(e->FileNameLength, strlen("long_name_for_overflow.txt") * 2, "length %u",
                 e->FileNameLength);
    cr_expect_eq(e->FileName[0], 'l');
    cr_expect_eq(buf[0x60], 0x55, "wrote past the buffer");
    NtClose(h);
}

Test(ntdir, query_on_file_is_invalid_parameter)
{
    HANDLE h = open_ok("f.txt", GENERIC_READ, FILE_CREATE, 0);
    uint8_t buf[256];
    IO_STATUS_BLOCK io;
    NTSTATUS st = NtQueryDirectoryFile(h, NULL, NULL, NULL, &io, buf, sizeof buf,
                                       FileBothDirectoryInformation, false, NULL, false);
    cr_expect_eq(st, STATUS_INVALID_PARAMETER, "got %#x", (uint32_t)st);
    NtClose(h);
}

Test(ntdir, id_both_class_reports_file_id)
{
    write_host("idfile", "x");
    HANDLE h = open_ok("", FILE_LIST_DIRECTORY, FILE_OPEN, FILE_DIRECTORY_FILE);
    uint8_t buf[512];
    IO_STATUS_BLOCK io;
    NTSTATUS st = NtQueryDirectoryFile(h, NULL, NULL, NULL, &io, buf, sizeof buf,
                                       FileIdBothDirectoryInformation, true, NULL, false);
    cr_assert_eq(st, STATUS_SUCCESS, "got %#x", (uint32_t)st);
    uint64_t id;
    memcpy(&id, buf + 0x60, 8);
    struct stat sb;
    cr_assert_eq(stat(host("idfile"), &sb), 0);
    cr_expect_eq(id, (uint64_t)sb.st_ino, "FileId %llu, inode %llu", (unsigned long long)id,
                 (unsigned long long)sb.st_ino);
    cr_expect_eq(buf[0x68], 'i');
    NtClose(h);
}
