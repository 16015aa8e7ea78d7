/* '/' in an NT name opened relative to a directory handle (OBJECT_ATTRIBUTES.RootDirectory).
 * NT object names separate with '\' alone; the rest of the name goes to the file system as it
 * is, and '/' is a character NTFS accepts in no name, so NtCreateFile of "rsub/y.txt" under a
 * directory handle fails with STATUS_OBJECT_NAME_INVALID (Wine 8.0 answers the same), creates
 * nothing with FILE_CREATE, and "rsub\y.txt" opens the file. Win32 names are another matter:
 * kernelbase turns '/' into '\' before NT sees them (RtlDosPathNameToNtPathName_U), so
 * CreateFileA and GetFileAttributesA of "rsub/y.txt" find the file. */
#include <stdio.h>
#include <windows.h>
#include <winternl.h>

typedef NTSTATUS(NTAPI *create_fn)(HANDLE *, ACCESS_MASK, OBJECT_ATTRIBUTES *, IO_STATUS_BLOCK *,
                                   LARGE_INTEGER *, ULONG, ULONG, ULONG, ULONG, void *, ULONG);
static create_fn pNtCreateFile;
static HANDLE dir;

static NTSTATUS open_under(const WCHAR *name, ULONG disposition, HANDLE *out)
{
    UNICODE_STRING us;
    us.Buffer = (WCHAR *)name;
    us.Length = us.MaximumLength = (USHORT)(wcslen(name) * sizeof(WCHAR));
    OBJECT_ATTRIBUTES oa = {.Length = sizeof oa, .RootDirectory = dir, .ObjectName = &us,
                            .Attributes = OBJ_CASE_INSENSITIVE};
    IO_STATUS_BLOCK io;
    *out = NULL;
    return pNtCreateFile(out, GENERIC_READ | SYNCHRONIZE, &oa, &io, NULL, FILE_ATTRIBUTE_NORMAL,
                         FILE_SHARE_READ | FILE_SHARE_WRITE, disposition,
                         0x20 /* FILE_SYNCHRONOUS_IO_NONALERT */ | 0x40 /* NON_DIRECTORY */,
                         NULL, 0);
}

static void try_open(const char *what, const WCHAR *name, ULONG disposition)
{
    HANDLE h;
    NTSTATUS st = open_under(name, disposition, &h);
    printf("%s: %#lx\n", what, (unsigned long)st);
    if (st == 0) {
        char text[16] = {0};
        DWORD n = 0;
        ReadFile(h, text, sizeof text - 1, &n, NULL);
        printf("  reads \"%s\"\n", text);
        CloseHandle(h);
    }
}

int main(void)
{
    pNtCreateFile = (create_fn)GetProcAddress(GetModuleHandleA("ntdll.dll"), "NtCreateFile");
    CreateDirectoryA("rsub", NULL);
    HANDLE f = CreateFileA("rsub/y.txt", GENERIC_WRITE, 0, NULL, CREATE_ALWAYS, 0, NULL);
    DWORD n;
    printf("CreateFileA(\"rsub/y.txt\"): %s\n", f != INVALID_HANDLE_VALUE ? "created" : "failed");
    WriteFile(f, "why", 3, &n, NULL);
    CloseHandle(f);
    printf("GetFileAttributesA(\"rsub/y.txt\"): %s\n",
           GetFileAttributesA("rsub/y.txt") != INVALID_FILE_ATTRIBUTES ? "found" : "not found");
    f = CreateFileA("rsub/y.txt", GENERIC_READ, FILE_SHARE_READ, NULL, OPEN_EXISTING, 0, NULL);
    printf("CreateFileA(\"rsub/y.txt\") again: %s\n",
           f != INVALID_HANDLE_VALUE ? "opened" : "failed");
    CloseHandle(f);

    dir = CreateFileA(".", FILE_LIST_DIRECTORY | SYNCHRONIZE, FILE_SHARE_READ | FILE_SHARE_WRITE,
                      NULL, OPEN_EXISTING, FILE_FLAG_BACKUP_SEMANTICS, NULL);
    if (dir == INVALID_HANDLE_VALUE) {
        printf("directory: %lu\n", GetLastError());
        return 1;
    }
    try_open("NtCreateFile(root, \"rsub\\y.txt\")", L"rsub\\y.txt", FILE_OPEN);
    try_open("NtCreateFile(root, \"rsub/y.txt\")", L"rsub/y.txt", FILE_OPEN);
    try_open("NtCreateFile(root, \"rsub/y.txt\"), FILE_OPEN_IF", L"rsub/y.txt", FILE_OPEN_IF);
    try_open("NtCreateFile(root, \"a/b.txt\"), FILE_CREATE", L"a/b.txt", FILE_CREATE);
    try_open("NtCreateFile(root, \"/rsub\")", L"/rsub", FILE_OPEN);
    printf("a/b.txt made: %s, a made: %s\n",
           GetFileAttributesA("a/b.txt") != INVALID_FILE_ATTRIBUTES ? "yes" : "no",
           GetFileAttributesA("a") != INVALID_FILE_ATTRIBUTES ? "yes" : "no");
    CloseHandle(dir);
    DeleteFileA("rsub\\y.txt");
    RemoveDirectoryA("rsub");
    return 0;
}
