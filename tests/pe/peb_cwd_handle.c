/* PEB->ProcessParameters->CurrentDirectory.Handle: on Windows a handle to the current directory
 * (RtlSetCurrentDirectory_U opens it for FILE_TRAVERSE | SYNCHRONIZE, sharing read and write,
 * and closes the one before). Zig's std.fs.cwd() is this handle, and programs built with Zig
 * (Bun) open every relative name with NtCreateFile, RootDirectory = the handle:
 *  - at start it is a handle, and a directory on disk (GetFileType FILE_TYPE_DISK,
 *    FileStandardInformation.Directory);
 *  - NtCreateFile of "peb_cwd_handle.txt" relative to it creates the file in the current
 *    directory (GetFileAttributes of the plain name finds it), and a second open relative to
 *    it reads it back;
 *  - after SetCurrentDirectory into a subdirectory the PEB holds another handle, the old one
 *    is closed (GetHandleInformation: ERROR_INVALID_HANDLE), and a relative NtCreateFile lands
 *    in the subdirectory; after SetCurrentDirectory("..") again in the first directory.
 * Wine 8.0 prints the same lines. */
#include <stdio.h>
#include <string.h>
#include <windows.h>
#include <winternl.h>

typedef struct {
    UNICODE_STRING DosPath;
    HANDLE Handle;
} CURDIR_;

typedef NTSTATUS(NTAPI *create_fn)(HANDLE *, ACCESS_MASK, OBJECT_ATTRIBUTES *, IO_STATUS_BLOCK *,
                                   LARGE_INTEGER *, ULONG, ULONG, ULONG, ULONG, void *, ULONG);
typedef NTSTATUS(NTAPI *query_fn)(HANDLE, IO_STATUS_BLOCK *, void *, ULONG, int);
static create_fn pNtCreateFile;
static query_fn pNtQueryInformationFile;

#ifndef FILE_OPEN_IF
#define FILE_OPEN_IF 3
#endif
#ifndef FILE_OPEN
#define FILE_OPEN 1
#endif
#ifndef FILE_NON_DIRECTORY_FILE
#define FILE_NON_DIRECTORY_FILE 0x40
#endif
#ifndef FILE_SYNCHRONOUS_IO_NONALERT
#define FILE_SYNCHRONOUS_IO_NONALERT 0x20
#endif

static HANDLE peb_cwd_handle(void)
{
    PEB *peb = NtCurrentTeb()->ProcessEnvironmentBlock;
    /* RTL_USER_PROCESS_PARAMETERS: CurrentDirectory at 0x38 on x64, its Handle at 0x48 */
    return ((CURDIR_ *)((char *)peb->ProcessParameters + 0x38))->Handle;
}

/* NtCreateFile of `name` relative to `root`; the handle or NULL, the status printed. */
static HANDLE open_relative(HANDLE root, const WCHAR *name, ULONG access, ULONG disposition,
                            const char *what)
{
    UNICODE_STRING us;
    OBJECT_ATTRIBUTES attr;
    IO_STATUS_BLOCK io;
    HANDLE h = NULL;
    us.Buffer = (WCHAR *)name;
    us.Length = us.MaximumLength = (USHORT)(wcslen(name) * sizeof(WCHAR));
    InitializeObjectAttributes(&attr, &us, OBJ_CASE_INSENSITIVE, root, NULL);
    NTSTATUS st = pNtCreateFile(&h, access | SYNCHRONIZE, &attr, &io, NULL, FILE_ATTRIBUTE_NORMAL,
                                FILE_SHARE_READ | FILE_SHARE_WRITE, disposition,
                                FILE_NON_DIRECTORY_FILE | FILE_SYNCHRONOUS_IO_NONALERT, NULL, 0);
    printf("%s: status 0x%08lx\n", what, (unsigned long)st);
    return st == 0 ? h : NULL;
}

static void show_handle(const char *when)
{
    HANDLE h = peb_cwd_handle();
    FILE_STANDARD_INFORMATION fsi;
    IO_STATUS_BLOCK io;
    memset(&fsi, 0, sizeof fsi);
    NTSTATUS st = h ? pNtQueryInformationFile(h, &io, &fsi, sizeof fsi, 5) : -1;
    printf("%s: handle set: %d, file type %lu, standard information 0x%08lx, directory %d\n", when,
           h != NULL, h ? (unsigned long)GetFileType(h) : 0ul, (unsigned long)st,
           (int)fsi.Directory);
}

int main(void)
{
    HMODULE ntdll = GetModuleHandleA("ntdll.dll");
    pNtCreateFile = (create_fn)(void *)GetProcAddress(ntdll, "NtCreateFile");
    pNtQueryInformationFile = (query_fn)(void *)GetProcAddress(ntdll, "NtQueryInformationFile");
    DWORD n;
    char buf[8];

    show_handle("start");
    HANDLE f = open_relative(peb_cwd_handle(), L"peb_cwd_handle.txt", GENERIC_WRITE, FILE_OPEN_IF,
                             "create relative to the handle");
    if (f) {
        WriteFile(f, "top", 3, &n, NULL);
        CloseHandle(f);
    }
    printf("found by its plain name: %d\n",
           GetFileAttributesA("peb_cwd_handle.txt") != INVALID_FILE_ATTRIBUTES);
    f = open_relative(peb_cwd_handle(), L"peb_cwd_handle.txt", GENERIC_READ, FILE_OPEN,
                      "open relative to the handle");
    if (f) {
        memset(buf, 0, sizeof buf);
        ReadFile(f, buf, sizeof buf - 1, &n, NULL);
        printf("read back: %s\n", buf);
        CloseHandle(f);
    }

    HANDLE first = peb_cwd_handle();
    CreateDirectoryA("peb_cwd_handle_sub", NULL);
    printf("SetCurrentDirectory(sub): %d\n", SetCurrentDirectoryA("peb_cwd_handle_sub"));
    show_handle("in the subdirectory");
    printf("a new handle: %d\n", peb_cwd_handle() != first);
    DWORD flags;
    SetLastError(0);
    BOOL ok = GetHandleInformation(first, &flags);
    printf("the old handle: GetHandleInformation %d, last error %lu\n", ok,
           ok ? 0ul : (unsigned long)GetLastError());
    f = open_relative(peb_cwd_handle(), L"inner.txt", GENERIC_WRITE, FILE_OPEN_IF,
                      "create relative to the new handle");
    if (f)
        CloseHandle(f);
    printf("SetCurrentDirectory(..): %d\n", SetCurrentDirectoryA(".."));
    printf("the file is in the subdirectory: %d\n",
           GetFileAttributesA("peb_cwd_handle_sub\\inner.txt") != INVALID_FILE_ATTRIBUTES);
    f = open_relative(peb_cwd_handle(), L"peb_cwd_handle.txt", GENERIC_READ, FILE_OPEN,
                      "open relative to the handle of the first directory again");
    if (f)
        CloseHandle(f);
    show_handle("back");

    DeleteFileA("peb_cwd_handle_sub\\inner.txt");
    RemoveDirectoryA("peb_cwd_handle_sub");
    DeleteFileA("peb_cwd_handle.txt");
    return 0;
}
