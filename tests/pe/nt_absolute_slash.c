/* '/' in an absolute NT name (\??\C:\dir/f.txt). NT object names separate with '\' alone: the
 * object manager finds the drive's device by "\??\C:" and hands the rest, "\dir/f.txt", to the
 * file system as it is, where '/' is a character NTFS accepts in no name. So NtCreateFile,
 * NtOpenFile, NtQueryAttributesFile and NtDeleteFile of such a name fail with
 * STATUS_OBJECT_NAME_INVALID and FILE_CREATE makes nothing, while the same name with '\' opens
 * the file. Win32 names are another matter: RtlDosPathNameToNtPathName_U turns '/' into '\'
 * (CreateFileW of "adir/f.txt" and of "C:\...\adir/f.txt" work), except in the verbatim \\?\
 * form, which reaches NT unchanged (ERROR_INVALID_NAME). pe.root_relative_slash covers names
 * relative to a directory handle. Wine 8.0 answers the same. */
#include <stdio.h>
#include <wchar.h>
#include <windows.h>
#include <winternl.h>

typedef NTSTATUS(NTAPI *create_fn)(HANDLE *, ACCESS_MASK, OBJECT_ATTRIBUTES *, IO_STATUS_BLOCK *,
                                   LARGE_INTEGER *, ULONG, ULONG, ULONG, ULONG, void *, ULONG);
typedef NTSTATUS(NTAPI *open_fn)(HANDLE *, ACCESS_MASK, OBJECT_ATTRIBUTES *, IO_STATUS_BLOCK *,
                                 ULONG, ULONG);
typedef NTSTATUS(NTAPI *attr_fn)(OBJECT_ATTRIBUTES *, void *);
typedef NTSTATUS(NTAPI *delete_fn)(OBJECT_ATTRIBUTES *);

static WCHAR full[MAX_PATH]; /* this directory, ending in '\' */

/* OBJECT_ATTRIBUTES for \??\ + this directory + rel. */
static OBJECT_ATTRIBUTES *nt_name(const WCHAR *rel)
{
    static WCHAR buf[2 * MAX_PATH];
    static UNICODE_STRING us;
    static OBJECT_ATTRIBUTES oa;
    swprintf(buf, 2 * MAX_PATH, L"\\??\\%ls%ls", full, rel);
    us.Buffer = buf;
    us.Length = us.MaximumLength = (USHORT)(wcslen(buf) * sizeof(WCHAR));
    oa = (OBJECT_ATTRIBUTES){.Length = sizeof oa, .ObjectName = &us,
                             .Attributes = OBJ_CASE_INSENSITIVE};
    return &oa;
}

int main(void)
{
    HMODULE nt = GetModuleHandleA("ntdll.dll");
    create_fn pNtCreateFile = (create_fn)GetProcAddress(nt, "NtCreateFile");
    open_fn pNtOpenFile = (open_fn)GetProcAddress(nt, "NtOpenFile");
    attr_fn pNtQueryAttributesFile = (attr_fn)GetProcAddress(nt, "NtQueryAttributesFile");
    delete_fn pNtDeleteFile = (delete_fn)GetProcAddress(nt, "NtDeleteFile");
    GetFullPathNameW(L".\\", MAX_PATH, full, NULL);

    CreateDirectoryW(L"adir", NULL);
    HANDLE f = CreateFileW(L"adir/f.txt", GENERIC_WRITE, 0, NULL, CREATE_ALWAYS, 0, NULL);
    printf("CreateFileW(\"adir/f.txt\"): %s\n", f != INVALID_HANDLE_VALUE ? "created" : "failed");
    DWORD n;
    WriteFile(f, "slash", 5, &n, NULL);
    CloseHandle(f);

    WCHAR path[2 * MAX_PATH];
    swprintf(path, 2 * MAX_PATH, L"%lsadir/f.txt", full);
    f = CreateFileW(path, GENERIC_READ, FILE_SHARE_READ, NULL, OPEN_EXISTING, 0, NULL);
    printf("CreateFileW(\"<dir>\\adir/f.txt\"): %s\n", f != INVALID_HANDLE_VALUE ? "opened" : "failed");
    CloseHandle(f);
    swprintf(path, 2 * MAX_PATH, L"\\\\?\\%lsadir/f.txt", full);
    f = CreateFileW(path, GENERIC_READ, FILE_SHARE_READ, NULL, OPEN_EXISTING, 0, NULL);
    printf("CreateFileW(\"\\\\?\\<dir>\\adir/f.txt\"): %s, error %lu\n",
           f != INVALID_HANDLE_VALUE ? "opened" : "failed", GetLastError());
    CloseHandle(f);
    swprintf(path, 2 * MAX_PATH, L"\\\\?\\%lsadir\\f.txt", full);
    f = CreateFileW(path, GENERIC_READ, FILE_SHARE_READ, NULL, OPEN_EXISTING, 0, NULL);
    printf("CreateFileW(\"\\\\?\\<dir>\\adir\\f.txt\"): %s\n",
           f != INVALID_HANDLE_VALUE ? "opened" : "failed");
    CloseHandle(f);

    IO_STATUS_BLOCK io;
    HANDLE h;
    const WCHAR *names[] = {L"adir\\f.txt", L"adir/f.txt", L"adir/", L"./adir\\f.txt"};
    for (int i = 0; i < 4; i++) {
        NTSTATUS st = pNtCreateFile(&h, GENERIC_READ | SYNCHRONIZE, nt_name(names[i]), &io, NULL,
                                    0, FILE_SHARE_READ, FILE_OPEN, 0x20 /* SYNCHRONOUS_IO_NONALERT */,
                                    NULL, 0);
        printf("NtCreateFile(\"\\??\\<dir>\\%ls\"): %#lx\n", names[i], (unsigned long)st);
        if (st == 0) {
            char text[8] = {0};
            ReadFile(h, text, sizeof text - 1, &n, NULL);
            printf("  reads \"%s\"\n", text);
            CloseHandle(h);
        }
    }
    NTSTATUS st = pNtCreateFile(&h, GENERIC_WRITE | SYNCHRONIZE, nt_name(L"adir/new.txt"), &io,
                                NULL, 0, 0, FILE_CREATE, 0x20, NULL, 0);
    printf("NtCreateFile(\"\\??\\<dir>\\adir/new.txt\"), FILE_CREATE: %#lx\n", (unsigned long)st);
    if (st == 0)
        CloseHandle(h);
    printf("adir\\new.txt made: %s\n",
           GetFileAttributesW(L"adir\\new.txt") != INVALID_FILE_ATTRIBUTES ? "yes" : "no");
    st = pNtOpenFile(&h, GENERIC_READ | SYNCHRONIZE, nt_name(L"adir/f.txt"), &io, FILE_SHARE_READ,
                     0x20);
    printf("NtOpenFile(\"\\??\\<dir>\\adir/f.txt\"): %#lx\n", (unsigned long)st);
    if (st == 0)
        CloseHandle(h);
    FILE_BASIC_INFORMATION bi;
    st = pNtQueryAttributesFile(nt_name(L"adir/f.txt"), &bi);
    printf("NtQueryAttributesFile(\"\\??\\<dir>\\adir/f.txt\"): %#lx\n", (unsigned long)st);
    st = pNtQueryAttributesFile(nt_name(L"adir\\f.txt"), &bi);
    printf("NtQueryAttributesFile(\"\\??\\<dir>\\adir\\f.txt\"): %#lx\n", (unsigned long)st);
    st = pNtDeleteFile(nt_name(L"adir/f.txt"));
    printf("NtDeleteFile(\"\\??\\<dir>\\adir/f.txt\"): %#lx, file still there: %s\n",
           (unsigned long)st,
           GetFileAttributesW(L"adir\\f.txt") != INVALID_FILE_ATTRIBUTES ? "yes" : "no");

    DeleteFileW(L"adir\\f.txt");
    RemoveDirectoryW(L"adir");
    return 0;
}
