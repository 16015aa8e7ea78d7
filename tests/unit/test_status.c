/* NTSTATUS translation: nt_status_to_win32 (RtlNtStatusToDosError) against the values real
 * Windows returns, the facility rules (HRESULT-style codes, customer codes, unknown codes),
 * nt_status_name, and the errno -> NTSTATUS point (nt_status_from_errno and the path helper). */
#include <criterion/criterion.h>
#include <errno.h>
#include <string.h>
#include "ntemu/ntemu.h"

static const struct { uint32_t status; uint32_t win32; } windows_values[] = {
    {0x00000000, ERROR_SUCCESS},
    {0x00000102, ERROR_TIMEOUT},           /* STATUS_TIMEOUT */
    {0x00000103, 997},                     /* STATUS_PENDING -> ERROR_IO_PENDING */
    {0x80000005, ERROR_MORE_DATA},         /* STATUS_BUFFER_OVERFLOW */
    {0x80000006, ERROR_NO_MORE_FILES},
    {0xC0000001, 31},                      /* STATUS_UNSUCCESSFUL -> ERROR_GEN_FAILURE */
    {0xC0000002, ERROR_INVALID_FUNCTION},  /* STATUS_NOT_IMPLEMENTED */
    {0xC0000004, 24},                      /* STATUS_INFO_LENGTH_MISMATCH -> ERROR_BAD_LENGTH */
    {0xC0000005, ERROR_NOACCESS},
    {0xC0000008, ERROR_INVALID_HANDLE},
    {0xC000000D, ERROR_INVALID_PARAMETER},
    {0xC000000F, ERROR_FILE_NOT_FOUND},    /* STATUS_NO_SUCH_FILE */
    {0xC0000011, ERROR_HANDLE_EOF},
    {0xC0000017, ERROR_NOT_ENOUGH_MEMORY},
    {0xC0000018, ERROR_INVALID_ADDRESS},   /* STATUS_CONFLICTING_ADDRESSES */
    {0xC0000022, ERROR_ACCESS_DENIED},
    {0xC0000023, ERROR_INSUFFICIENT_BUFFER},
    {0xC0000024, ERROR_INVALID_HANDLE},    /* STATUS_OBJECT_TYPE_MISMATCH */
    {0xC0000033, ERROR_INVALID_NAME},
    {0xC0000034, ERROR_FILE_NOT_FOUND},
    {0xC0000035, ERROR_ALREADY_EXISTS},
    {0xC000003A, ERROR_PATH_NOT_FOUND},
    {0xC000003B, ERROR_BAD_PATHNAME},
    {0xC0000043, ERROR_SHARING_VIOLATION},
    {0xC0000056, ERROR_ACCESS_DENIED},     /* STATUS_DELETE_PENDING */
    {0xC000007F, ERROR_DISK_FULL},
    {0xC00000BA, ERROR_ACCESS_DENIED},     /* STATUS_FILE_IS_A_DIRECTORY */
    {0xC00000BB, ERROR_NOT_SUPPORTED},
    {0xC0000101, ERROR_DIR_NOT_EMPTY},
    {0xC0000103, ERROR_DIRECTORY},         /* STATUS_NOT_A_DIRECTORY */
    {0xC0000106, ERROR_FILENAME_EXCED_RANGE},
    {0xC000011F, ERROR_TOO_MANY_OPEN_FILES},
    {0xC0000121, ERROR_ACCESS_DENIED},     /* STATUS_CANNOT_DELETE */
    {0xC0000135, ERROR_MOD_NOT_FOUND},
    {0xC000014B, ERROR_BROKEN_PIPE},
    {0x80000003, 0x80000003},              /* exceptions map to themselves */
    {0xC0000094, 0xC0000094},
};

Test(status, to_win32_known_statuses_match_windows)
{
    for (size_t i = 0; i < sizeof windows_values / sizeof windows_values[0]; i++) {
        uint32_t got = nt_status_to_win32((NTSTATUS)windows_values[i].status);
        cr_expect_eq(got, windows_values[i].win32, "status %#x: got %u, Windows gives %u",
                     windows_values[i].status, got, windows_values[i].win32);
    }
}

Test(status, to_win32_facility_win32_gives_low_word)
{
    cr_expect_eq(nt_status_to_win32((NTSTATUS)0x80070005), 5u, "got %u",
                 nt_status_to_win32((NTSTATUS)0x80070005));
    cr_expect_eq(nt_status_to_win32((NTSTATUS)0xC0070057), 87u, "got %u",
                 nt_status_to_win32((NTSTATUS)0xC0070057));
}

Test(status, to_win32_customer_code_maps_to_itself)
{
    cr_expect_eq(nt_status_to_win32((NTSTATUS)0xE0000001), 0xE0000001u, "got %#x",
                 nt_status_to_win32((NTSTATUS)0xE0000001));
}

Test(status, to_win32_unknown_gives_mr_mid_not_found)
{
    cr_expect_eq(nt_status_to_win32((NTSTATUS)0xC0001234), 317u, "got %u",
                 nt_status_to_win32((NTSTATUS)0xC0001234));
    cr_expect_eq(nt_status_to_win32((NTSTATUS)0x00012345), 317u, "got %u",
                 nt_status_to_win32((NTSTATUS)0x00012345));
}

Test(status, name_known_and_unknown)
{
    const char *n = nt_status_name(STATUS_INVALID_HANDLE);
    cr_assert_not_null(n);
    cr_expect_str_eq(n, "STATUS_INVALID_HANDLE");
    cr_expect_str_eq(nt_status_name(STATUS_ACCESS_VIOLATION), "STATUS_ACCESS_VIOLATION");
    cr_expect_null(nt_status_name((NTSTATUS)0xC0001234), "got %s",
                   nt_status_name((NTSTATUS)0xC0001234));
}

Test(status, from_errno_table)
{
    static const struct { int err; uint32_t st; } map[] = {
        {0, 0},
        {ENOENT, 0xC0000034},       {EACCES, 0xC0000022},    {EPERM, 0xC0000022},
        {EEXIST, 0xC0000035},       {EISDIR, 0xC00000BA},    {ENOSPC, 0xC000007F},
        {EMFILE, 0xC000011F},       {EFAULT, 0xC0000005},    {EINVAL, 0xC000000D},
        {ENOMEM, 0xC0000017},       {ENOTEMPTY, 0xC0000101}, {EPIPE, 0xC000014B},
        {ENAMETOOLONG, 0xC0000106}, {EBADF, 0xC0000008},     {ENOTDIR, 0xC0000103},
        {EXDEV, 0xC00000D4},
    };
    for (size_t i = 0; i < sizeof map / sizeof map[0]; i++) {
        uint32_t got = (uint32_t)nt_status_from_errno(map[i].err);
        cr_expect_eq(got, map[i].st, "errno %d (%s): got %#x, want %#x", map[i].err,
                     strerror(map[i].err), got, map[i].st);
    }
}

Test(status, from_path_errno_missing_prefix_is_path_not_found)
{
    cr_expect_eq(nt_status_from_path_errno(ENOENT, true), STATUS_OBJECT_PATH_NOT_FOUND, "got %#x",
                 (uint32_t)nt_status_from_path_errno(ENOENT, true));
    cr_expect_eq(nt_status_from_path_errno(ENOENT, false), STATUS_OBJECT_NAME_NOT_FOUND,
                 "got %#x", (uint32_t)nt_status_from_path_errno(ENOENT, false));
    cr_expect_eq(nt_status_from_path_errno(ENOTDIR, false), STATUS_OBJECT_PATH_NOT_FOUND,
                 "got %#x", (uint32_t)nt_status_from_path_errno(ENOTDIR, false));
}
