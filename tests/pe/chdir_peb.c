/* msvcrt's _chdir changes the directory the way SetCurrentDirectory does: the PEB's
 * ProcessParameters->CurrentDirectory (which programs and RtlGetCurrentDirectory_U read) follows
 * it, with Windows' trailing backslash, and GetCurrentDirectory agrees. */
#include <direct.h>
#include <stdio.h>
#include <string.h>
#include <wchar.h>
#include <windows.h>
#include <winternl.h>

typedef struct {
    UNICODE_STRING DosPath;
    HANDLE Handle;
} CURDIR_;

static const UNICODE_STRING *peb_cwd(void)
{
    PEB *peb = NtCurrentTeb()->ProcessEnvironmentBlock;
    /* RTL_USER_PROCESS_PARAMETERS: CurrentDirectory at 0x38 on x64 */
    return &((CURDIR_ *)((char *)peb->ProcessParameters + 0x38))->DosPath;
}

static void show(const char *when)
{
    WCHAR cur[MAX_PATH];
    DWORD n = GetCurrentDirectoryW(MAX_PATH, cur);
    const UNICODE_STRING *u = peb_cwd();
    size_t pn = u->Length / sizeof(WCHAR);
    int ends_bs = pn > 0 && u->Buffer[pn - 1] == L'\\';
    int same = ends_bs && pn == (size_t)n + 1 && wcsncmp(u->Buffer, cur, n) == 0;
    printf("%s: PEB ends with a backslash: %d, matches GetCurrentDirectory: %d\n", when, ends_bs,
           same);
}

int main(void)
{
    show("start");
    _mkdir("chdir_peb_sub");
    printf("_chdir: %d\n", _chdir("chdir_peb_sub"));
    show("after _chdir");
    WCHAR cur[MAX_PATH];
    GetCurrentDirectoryW(MAX_PATH, cur);
    size_t n = wcslen(cur);
    printf("in the subdirectory: %d\n",
           n >= 13 && wcscmp(cur + n - 13, L"chdir_peb_sub") == 0);
    printf("_chdir(..): %d\n", _chdir(".."));
    show("after _chdir(..)");
    printf("_chdir(missing): %d\n", _chdir("no_such_dir_here"));
    show("after a failed _chdir");
    _rmdir("chdir_peb_sub");
    return 0;
}
