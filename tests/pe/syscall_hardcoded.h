/* Shared body of syscall_hardcoded (Windows 10 22H2 numbers) and syscall_hardcoded_w11
 * (Windows 11 24H2 numbers, run with --windows-build=11): system-call numbers written into the
 * program, as much malware-analysis-resistant and DRM code does, executed with its own
 * `syscall` instructions (not ntdll's stubs). The including file defines SSN_* for its build.
 * Calls whose numbers differ between the two builds are used on purpose
 * (NtQueryFullAttributesFile, NtDeleteFile, NtGetCurrentProcessorNumber), so running one
 * build's numbers under the other would fail.
 *  - KUSER_SHARED_DATA.NtBuildNumber and PEB->OSBuildNumber are the build's (19045, 26100);
 *  - NtWriteFile of a line to the standard output;
 *  - NtQueryFullAttributesFile of a file the program made, by "\??\<full path>" and relative to
 *    a directory handle (OBJECT_ATTRIBUTES.RootDirectory): size 5, FILE_ATTRIBUTE_ARCHIVE;
 *  - NtDeleteFile of it, then NtQueryFullAttributesFile: STATUS_OBJECT_NAME_NOT_FOUND;
 *  - NtGetCurrentProcessorNumber below the processor count;
 *  - NtQueryInformationProcess(ProcessBasicInformation): the PEB is gs:[0x60];
 *  - NtClose(bad handle): STATUS_INVALID_HANDLE.
 * The printed output is the same for both builds. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>
#include <windows.h>
#include <winternl.h>

static void fail(int code, const char *what)
{
    printf("FAIL %d: %s\n", code, what);
    fflush(stdout);
    exit(code);
}
#define CHECK(code, cond) do { if (!(cond)) fail(code, #cond); } while (0)

#define STR_(x) #x
#define STR(x) STR_(x)
#define SYSCALL_STUB(name, number)                                                            \
    __asm__(".text\n.p2align 4\n.globl " #name "\n" #name ":\n"                              \
            "    mov %rcx, %r10\n"                                                           \
            "    mov $" STR(number) ", %eax\n"                                               \
            "    syscall\n"                                                                  \
            "    ret\n")
SYSCALL_STUB(hc_write_file, SSN_NtWriteFile);
SYSCALL_STUB(hc_query_full_attributes, SSN_NtQueryFullAttributesFile);
SYSCALL_STUB(hc_delete_file, SSN_NtDeleteFile);
SYSCALL_STUB(hc_current_processor, SSN_NtGetCurrentProcessorNumber);
SYSCALL_STUB(hc_query_process, SSN_NtQueryInformationProcess);
SYSCALL_STUB(hc_close, SSN_NtClose);
LONG hc_write_file(HANDLE, HANDLE, void *, void *, IO_STATUS_BLOCK *, const void *, ULONG,
                   LARGE_INTEGER *, ULONG *);
LONG hc_query_full_attributes(OBJECT_ATTRIBUTES *, FILE_NETWORK_OPEN_INFORMATION *);
LONG hc_delete_file(OBJECT_ATTRIBUTES *);
ULONG hc_current_processor(void);
LONG hc_query_process(HANDLE, ULONG, void *, ULONG, ULONG *);
LONG hc_close(HANDLE);

static void init_attr(OBJECT_ATTRIBUTES *oa, UNICODE_STRING *us, HANDLE root, WCHAR *name)
{
    us->Buffer = name;
    us->Length = (USHORT)(wcslen(name) * 2);
    us->MaximumLength = us->Length + 2;
    memset(oa, 0, sizeof *oa);
    oa->Length = sizeof *oa;
    oa->RootDirectory = root;
    oa->ObjectName = us;
    oa->Attributes = OBJ_CASE_INSENSITIVE;
}

int main(void)
{
    printf("build %s numbers\n", BUILD_NAME);
    /* KUSER_SHARED_DATA.NtBuildNumber and PEB->OSBuildNumber follow the numbering. */
    ULONG kuser_build = *(volatile ULONG *)0x7ffe0260;
    unsigned char *peb;
    __asm__ volatile("mov %%gs:0x60, %0" : "=r"(peb));
    printf("KUSER_SHARED_DATA.NtBuildNumber %lu, PEB->OSBuildNumber %u\n", kuser_build,
           *(USHORT *)(peb + 0x120));
    CHECK(9, kuser_build == BUILD_NUMBER && *(USHORT *)(peb + 0x120) == BUILD_NUMBER);
    fflush(stdout);
    HANDLE out = GetStdHandle(STD_OUTPUT_HANDLE);
    static const char line[] = "NtWriteFile by a hardcoded number\r\n";
    IO_STATUS_BLOCK iosb;
    LONG st = hc_write_file(out, NULL, NULL, NULL, &iosb, line, sizeof line - 1, NULL, NULL);
    CHECK(10, st == 0 && iosb.Information == sizeof line - 1);

    HANDLE f = CreateFileW(L"hc.txt", GENERIC_WRITE, 0, NULL, CREATE_ALWAYS, 0, NULL);
    CHECK(11, f != INVALID_HANDLE_VALUE);
    DWORD wrote;
    CHECK(12, WriteFile(f, "12345", 5, &wrote, NULL) && wrote == 5);
    CloseHandle(f);

    WCHAR cwd[MAX_PATH], full[MAX_PATH + 16];
    DWORD n = GetCurrentDirectoryW(MAX_PATH, cwd);
    CHECK(13, n > 0 && n < MAX_PATH);
    swprintf(full, MAX_PATH + 16, L"\\??\\%ls%lshc.txt", cwd, cwd[n - 1] == L'\\' ? L"" : L"\\");
    OBJECT_ATTRIBUTES oa;
    UNICODE_STRING us;
    FILE_NETWORK_OPEN_INFORMATION fi;
    init_attr(&oa, &us, NULL, full);
    memset(&fi, 0xcc, sizeof fi);
    st = hc_query_full_attributes(&oa, &fi);
    printf("NtQueryFullAttributesFile(\\??\\...\\hc.txt): 0x%08lx, size %lld, attributes 0x%lx\n",
           (unsigned long)st, (long long)fi.EndOfFile.QuadPart, (unsigned long)fi.FileAttributes);
    CHECK(14, st == 0 && fi.EndOfFile.QuadPart == 5 && fi.FileAttributes == FILE_ATTRIBUTE_ARCHIVE);

    HANDLE dir = CreateFileW(L".", GENERIC_READ, FILE_SHARE_READ | FILE_SHARE_WRITE, NULL,
                             OPEN_EXISTING, FILE_FLAG_BACKUP_SEMANTICS, NULL);
    CHECK(15, dir != INVALID_HANDLE_VALUE);
    WCHAR rel[] = L"HC.TXT";
    init_attr(&oa, &us, dir, rel);
    memset(&fi, 0xcc, sizeof fi);
    st = hc_query_full_attributes(&oa, &fi);
    printf("NtQueryFullAttributesFile(RootDirectory, HC.TXT): 0x%08lx, size %lld\n",
           (unsigned long)st, (long long)fi.EndOfFile.QuadPart);
    CHECK(16, st == 0 && fi.EndOfFile.QuadPart == 5);

    st = hc_delete_file(&oa);
    printf("NtDeleteFile: 0x%08lx\n", (unsigned long)st);
    CHECK(17, st == 0);
    st = hc_query_full_attributes(&oa, &fi);
    printf("NtQueryFullAttributesFile after delete: 0x%08lx\n", (unsigned long)st);
    CHECK(18, (ULONG)st == 0xC0000034);
    CloseHandle(dir);

    SYSTEM_INFO si;
    GetSystemInfo(&si);
    ULONG cpu = hc_current_processor();
    CHECK(19, cpu < si.dwNumberOfProcessors);
    printf("NtGetCurrentProcessorNumber: below the processor count\n");

    PROCESS_BASIC_INFORMATION pbi;
    ULONG ret = 0;
    st = hc_query_process((HANDLE)-1, ProcessBasicInformation, &pbi, sizeof pbi, &ret);
    printf("NtQueryInformationProcess: 0x%08lx, length %lu, PEB matches gs:[0x60]: %s\n",
           (unsigned long)st, (unsigned long)ret, pbi.PebBaseAddress == (void *)peb ? "yes" : "no");
    CHECK(20, st == 0 && ret == sizeof pbi && pbi.PebBaseAddress == (void *)peb);
    CHECK(21, pbi.UniqueProcessId == GetCurrentProcessId());

    st = hc_close((HANDLE)(ULONG_PTR)0x1234);
    printf("NtClose(0x1234): 0x%08lx\n", (unsigned long)st);
    CHECK(22, (ULONG)st == 0xC0000008);
    printf("done\n");
    return 0;
}
