/* vm_runtime_strings: what the system hands the program to read lies in memory VirtualQuery
 * reports as committed and readable, as on Windows (the process heap, the process parameters'
 * block): the command line (GetCommandLineA/W and the process parameters' copy), the image
 * path, the current directory, the environment block (the parameters' and
 * GetEnvironmentStringsA/W's), the loader's module entries and their names, STARTUPINFO's
 * strings, and msvcrt's __argv strings. A program that checks a pointer with VirtualQuery
 * before reading it must not find a reservation there. (msvcrt's _acmdln, _environ, _pgmptr
 * and the other data exports: pe.crt_globals_contain.)
 *
 * Wine 8.0: identical. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <windows.h>
#include <winternl.h>

static int bad;

static void check(const char *what, const void *p)
{
    MEMORY_BASIC_INFORMATION mbi;
    const char *verdict;
    if (!p)
        verdict = "NULL";
    else if (!VirtualQuery(p, &mbi, sizeof mbi))
        verdict = "VirtualQuery failed";
    else if (mbi.State != MEM_COMMIT)
        verdict = mbi.State == MEM_RESERVE ? "MEM_RESERVE" : "MEM_FREE";
    else if (mbi.Protect & (PAGE_NOACCESS | PAGE_GUARD))
        verdict = "committed, not readable";
    else if (!(mbi.Protect & (PAGE_READONLY | PAGE_READWRITE | PAGE_WRITECOPY | PAGE_EXECUTE_READ |
                              PAGE_EXECUTE_READWRITE | PAGE_EXECUTE_WRITECOPY)))
        verdict = "committed, odd protection";
    else
        verdict = "committed, readable";
    bad += strcmp(verdict, "committed, readable") != 0;
    printf("%s: %s\n", what, verdict);
}

typedef struct {
    ULONG MaximumLength, Length, Flags, DebugFlags;
    HANDLE ConsoleHandle;
    ULONG ConsoleFlags;
    HANDLE StandardInput, StandardOutput, StandardError;
    UNICODE_STRING CurrentDirectoryPath;
    HANDLE CurrentDirectoryHandle;
    UNICODE_STRING DllPath, ImagePathName, CommandLine;
    WCHAR *Environment;
} params_head; /* RTL_USER_PROCESS_PARAMETERS up to Environment (0x80) */

typedef struct {
    LIST_ENTRY InLoadOrderLinks, InMemoryOrderLinks, InInitializationOrderLinks;
    void *DllBase, *EntryPoint;
    ULONG SizeOfImage;
    UNICODE_STRING FullDllName, BaseDllName;
} ldr_entry_head;


int main(int argc, char **argv)
{
    PEB *peb = NtCurrentTeb()->ProcessEnvironmentBlock;
    params_head *pp = (params_head *)peb->ProcessParameters;
    check("GetCommandLineA", GetCommandLineA());
    check("GetCommandLineW", GetCommandLineW());
    check("ProcessParameters", pp);
    check("ProcessParameters CommandLine", pp->CommandLine.Buffer);
    check("ProcessParameters ImagePathName", pp->ImagePathName.Buffer);
    check("ProcessParameters CurrentDirectory", pp->CurrentDirectoryPath.Buffer);
    check("ProcessParameters Environment", pp->Environment);
    char *ea = GetEnvironmentStringsA();
    WCHAR *ew = GetEnvironmentStringsW();
    check("GetEnvironmentStringsA", ea);
    check("GetEnvironmentStringsW", ew);
    FreeEnvironmentStringsA(ea);
    FreeEnvironmentStringsW(ew);
    check("PEB Ldr", peb->Ldr);
    LIST_ENTRY *head = (LIST_ENTRY *)((char *)peb->Ldr + 0x10); /* InLoadOrderModuleList */
    int n = 0, entries_ok = 1, names_ok = 1;
    for (LIST_ENTRY *e = head->Flink; e != head && n < 64; e = e->Flink, n++) {
        ldr_entry_head *m = (ldr_entry_head *)e;
        MEMORY_BASIC_INFORMATION mbi;
        if (!VirtualQuery(m, &mbi, sizeof mbi) || mbi.State != MEM_COMMIT)
            entries_ok = 0;
        if (!VirtualQuery(m->FullDllName.Buffer, &mbi, sizeof mbi) || mbi.State != MEM_COMMIT ||
            !VirtualQuery(m->BaseDllName.Buffer, &mbi, sizeof mbi) || mbi.State != MEM_COMMIT) {
            names_ok = 0;
            printf("  module name not committed: %.*ls\n", m->BaseDllName.Length / 2,
                   m->BaseDllName.Buffer);
        }
    }
    printf("loader entries (%s): %s\n", n >= 3 ? "3 or more" : "too few",
           entries_ok ? "committed" : "NOT committed");
    printf("loader entries' names: %s\n", names_ok ? "committed" : "NOT committed");
    bad += !entries_ok || !names_ok || n < 3;
    STARTUPINFOA sia;
    STARTUPINFOW siw;
    GetStartupInfoA(&sia);
    GetStartupInfoW(&siw);
    if (sia.lpTitle)
        check("STARTUPINFOA lpTitle", sia.lpTitle);
    if (siw.lpTitle)
        check("STARTUPINFOW lpTitle", siw.lpTitle);
    check("msvcrt __argv", argv);
    check("msvcrt __argv[0]", argv[0]);
    printf("%d not readable\n", bad);
    return bad != 0;
}
