/* nt_outbuf: NT calls that write to the caller's memory check the whole output buffer first,
 * as Windows probes it (ProbeForWrite) before writing. Each call is made three times with its
 * output (or its IO_STATUS_BLOCK, length or handle pointer) placed
 *   - on a read-only page the program made (VirtualProtect PAGE_READONLY),
 *   - on a PAGE_NOACCESS page,
 *   - across a page boundary, for outputs larger than 8 bytes: the first 8 bytes at the end of
 *     a writable page filled with 0xcc, the rest on the read-only page after it;
 * every one fails with STATUS_ACCESS_VIOLATION (0xc0000005), and nothing is written: the
 * writable bytes keep their 0xcc, the read-only page its contents. The same calls with a good
 * buffer succeed (status 0), so the failures are the buffers'.
 *
 * Wine 8.0: identical but for three outputs it writes in part before it faults
 * (SystemTimeOfDayInformation, ThreadBasicInformation, FileFsSizeInformation across the page
 * boundary: "WRITTEN", "3 calls wrong"). */
#include <stdio.h>
#include <string.h>
#include <windows.h>
#include <winternl.h>

typedef NTSTATUS(NTAPI *fn_qsi)(ULONG, void *, ULONG, ULONG *);
typedef NTSTATUS(NTAPI *fn_qip)(HANDLE, ULONG, void *, ULONG, ULONG *);
typedef NTSTATUS(NTAPI *fn_qif)(HANDLE, IO_STATUS_BLOCK *, void *, ULONG, ULONG);
typedef NTSTATUS(NTAPI *fn_qvm)(HANDLE, void *, ULONG, void *, SIZE_T, SIZE_T *);
typedef NTSTATUS(NTAPI *fn_qattr)(OBJECT_ATTRIBUTES *, void *);
typedef NTSTATUS(NTAPI *fn_one)(void *);
typedef NTSTATUS(NTAPI *fn_two)(void *, void *);
typedef NTSTATUS(NTAPI *fn_qdl)(BOOLEAN, void *);
typedef NTSTATUS(NTAPI *fn_ce)(HANDLE *, ACCESS_MASK, OBJECT_ATTRIBUTES *, ULONG, BOOLEAN);
typedef NTSTATUS(NTAPI *fn_dup)(HANDLE, HANDLE, HANDLE, HANDLE *, ACCESS_MASK, ULONG, ULONG);
typedef NTSTATUS(NTAPI *fn_opt)(HANDLE, ACCESS_MASK, HANDLE *);

static unsigned char *rw_page, *ro_page, *na_page;
static HANDLE file, token;
static WCHAR file_nt_name[MAX_PATH + 8];
static HMODULE ntdll;

#define NT(name) ((void *)GetProcAddress(ntdll, #name))

/* One call: `out` is where its output goes, `n` its size. */
typedef NTSTATUS (*call_fn)(void *out, ULONG n);

static NTSTATUS c_qsi_basic(void *out, ULONG n)
{
    return ((fn_qsi)NT(NtQuerySystemInformation))(0, out, n, NULL);
}
static NTSTATUS c_qsi_time(void *out, ULONG n)
{
    return ((fn_qsi)NT(NtQuerySystemInformation))(3, out, n, NULL);
}
static NTSTATUS c_qsi_process(void *out, ULONG n)
{
    return ((fn_qsi)NT(NtQuerySystemInformation))(5, out, n, NULL);
}
static NTSTATUS c_qsi_retlen(void *out, ULONG n)
{
    ULONG_PTR info[8];
    return ((fn_qsi)NT(NtQuerySystemInformation))(0, info, sizeof info, (ULONG *)out);
}
static NTSTATUS c_qip_basic(void *out, ULONG n)
{
    return ((fn_qip)NT(NtQueryInformationProcess))(GetCurrentProcess(), 0, out, n, NULL);
}
static NTSTATUS c_qit_basic(void *out, ULONG n)
{
    return ((fn_qip)NT(NtQueryInformationThread))(GetCurrentThread(), 0, out, n, NULL);
}
static NTSTATUS c_qif_basic(void *out, ULONG n)
{
    IO_STATUS_BLOCK io;
    return ((fn_qif)NT(NtQueryInformationFile))(file, &io, out, n, 4 /* FileBasicInformation */);
}
static NTSTATUS c_qif_standard(void *out, ULONG n)
{
    IO_STATUS_BLOCK io;
    return ((fn_qif)NT(NtQueryInformationFile))(file, &io, out, n, 5 /* FileStandardInformation */);
}
static NTSTATUS c_qif_all(void *out, ULONG n)
{
    IO_STATUS_BLOCK io;
    return ((fn_qif)NT(NtQueryInformationFile))(file, &io, out, n, 18 /* FileAllInformation */);
}
static NTSTATUS c_qif_iosb(void *out, ULONG n)
{
    FILE_STANDARD_INFORMATION info;
    return ((fn_qif)NT(NtQueryInformationFile))(file, (IO_STATUS_BLOCK *)out, &info, sizeof info,
                                                5);
}
static NTSTATUS c_qvf_size(void *out, ULONG n)
{
    IO_STATUS_BLOCK io;
    return ((fn_qif)NT(NtQueryVolumeInformationFile))(file, &io, out, n, 3 /* FileFsSizeInformation */);
}
static NTSTATUS c_qobj_flags(void *out, ULONG n)
{
    return ((fn_qip)NT(NtQueryObject))(file, 4 /* ObjectHandleFlagInformation */, out, n, NULL);
}
static NTSTATUS c_qtok_stats(void *out, ULONG n)
{
    return ((fn_qip)NT(NtQueryInformationToken))(token, 10 /* TokenStatistics */, out, n, NULL);
}
static NTSTATUS c_qvm_basic(void *out, ULONG n)
{
    return ((fn_qvm)NT(NtQueryVirtualMemory))(GetCurrentProcess(), rw_page, 0, out, n, NULL);
}
static NTSTATUS c_qattr(void *out, ULONG n)
{
    UNICODE_STRING us = {(USHORT)(wcslen(file_nt_name) * 2), (USHORT)(wcslen(file_nt_name) * 2),
                         file_nt_name};
    OBJECT_ATTRIBUTES oa = {.Length = sizeof oa, .ObjectName = &us, .Attributes = OBJ_CASE_INSENSITIVE};
    return ((fn_qattr)NT(NtQueryAttributesFile))(&oa, out);
}
static NTSTATUS c_qfattr(void *out, ULONG n)
{
    UNICODE_STRING us = {(USHORT)(wcslen(file_nt_name) * 2), (USHORT)(wcslen(file_nt_name) * 2),
                         file_nt_name};
    OBJECT_ATTRIBUTES oa = {.Length = sizeof oa, .ObjectName = &us, .Attributes = OBJ_CASE_INSENSITIVE};
    return ((fn_qattr)NT(NtQueryFullAttributesFile))(&oa, out);
}
static NTSTATUS c_qpc(void *out, ULONG n)
{
    return ((fn_two)NT(NtQueryPerformanceCounter))(out, NULL);
}
static NTSTATUS c_qpc_freq(void *out, ULONG n)
{
    LARGE_INTEGER c;
    return ((fn_two)NT(NtQueryPerformanceCounter))(&c, out);
}
static NTSTATUS c_qst(void *out, ULONG n)
{
    return ((fn_one)NT(NtQuerySystemTime))(out);
}
static NTSTATUS c_create_event(void *out, ULONG n)
{
    return ((fn_ce)NT(NtCreateEvent))((HANDLE *)out, EVENT_ALL_ACCESS, NULL, 0, FALSE);
}
static NTSTATUS c_dup(void *out, ULONG n)
{
    return ((fn_dup)NT(NtDuplicateObject))(GetCurrentProcess(), file, GetCurrentProcess(),
                                            (HANDLE *)out, 0, 0, DUPLICATE_SAME_ACCESS);
}
static NTSTATUS c_open_token(void *out, ULONG n)
{
    return ((fn_opt)NT(NtOpenProcessToken))(GetCurrentProcess(), TOKEN_QUERY, (HANDLE *)out);
}

static const struct {
    const char *name;
    call_fn call;
    ULONG size;
} calls[] = {
    {"NtQuerySystemInformation(SystemBasicInformation)", c_qsi_basic, 64},
    {"NtQuerySystemInformation(SystemTimeOfDayInformation)", c_qsi_time, 48},
    {"NtQuerySystemInformation(SystemProcessInformation)", c_qsi_process, 0x100000},
    {"NtQuerySystemInformation(ReturnLength)", c_qsi_retlen, 4},
    {"NtQueryInformationProcess(ProcessBasicInformation)", c_qip_basic, 48},
    {"NtQueryInformationThread(ThreadBasicInformation)", c_qit_basic, 48},
    {"NtQueryInformationFile(FileBasicInformation)", c_qif_basic, 40},
    {"NtQueryInformationFile(FileStandardInformation)", c_qif_standard, 24},
    {"NtQueryInformationFile(FileAllInformation)", c_qif_all, 0x200},
    {"NtQueryInformationFile(IoStatusBlock)", c_qif_iosb, 16},
    {"NtQueryVolumeInformationFile(FileFsSizeInformation)", c_qvf_size, 24},
    {"NtQueryObject(ObjectHandleFlagInformation)", c_qobj_flags, 2},
    {"NtQueryInformationToken(TokenStatistics)", c_qtok_stats, 56},
    {"NtQueryVirtualMemory(MemoryBasicInformation)", c_qvm_basic, 48},
    {"NtQueryAttributesFile", c_qattr, 40},
    {"NtQueryFullAttributesFile", c_qfattr, 56},
    {"NtQueryPerformanceCounter(Counter)", c_qpc, 8},
    {"NtQueryPerformanceCounter(Frequency)", c_qpc_freq, 8},
    {"NtQuerySystemTime", c_qst, 8},
    {"NtCreateEvent(EventHandle)", c_create_event, 8},
    {"NtDuplicateObject(TargetHandle)", c_dup, 8},
    {"NtOpenProcessToken(TokenHandle)", c_open_token, 8},
};

static int untouched(void)
{
    for (int i = 0x1000 - 64; i < 0x1000; i++)
        if (rw_page[i] != 0xcc)
            return 0;
    for (int i = 0; i < 0x1000; i++)
        if (ro_page[i] != 0x5a)
            return 0;
    return 1;
}

int main(void)
{
    ntdll = GetModuleHandleA("ntdll.dll");
    /* a writable page followed by a read-only one, and a no-access page */
    rw_page = VirtualAlloc(NULL, 0x3000, MEM_RESERVE | MEM_COMMIT, PAGE_READWRITE);
    ro_page = rw_page + 0x1000;
    na_page = rw_page + 0x2000;
    memset(ro_page, 0x5a, 0x1000);
    DWORD old;
    VirtualProtect(ro_page, 0x1000, PAGE_READONLY, &old);
    VirtualProtect(na_page, 0x1000, PAGE_NOACCESS, &old);

    char path[MAX_PATH], full[MAX_PATH];
    GetFullPathNameA("nt_outbuf.tmp", sizeof full, full, NULL);
    strcpy(path, full);
    file = CreateFileA(path, GENERIC_READ | GENERIC_WRITE, FILE_SHARE_READ | FILE_SHARE_WRITE |
                       FILE_SHARE_DELETE, NULL, CREATE_ALWAYS, FILE_FLAG_DELETE_ON_CLOSE, NULL);
    swprintf(file_nt_name, MAX_PATH + 8, L"\\??\\%hs", full);
    OpenProcessToken(GetCurrentProcess(), TOKEN_QUERY, &token);

    int bad = 0;
    static unsigned char good[0x100000] __attribute__((aligned(16)));
    for (size_t i = 0; i < sizeof calls / sizeof calls[0]; i++) {
        memset(rw_page, 0xcc, 0x1000);
        NTSTATUS ok = calls[i].call(good, calls[i].size);
        NTSTATUS ro = calls[i].call(ro_page, calls[i].size);
        NTSTATUS na = calls[i].call(na_page, calls[i].size);
        NTSTATUS st = calls[i].size > 8 ? calls[i].call(ro_page - 8, calls[i].size)
                                        : (NTSTATUS)0xc0000005;
        int clean = untouched();
        char across[32] = "";
        if (calls[i].size > 8)
            snprintf(across, sizeof across, ", across %#lx", (unsigned long)st);
        printf("%s: good %#lx, read-only %#lx, no access %#lx%s, %s\n", calls[i].name,
               (unsigned long)ok, (unsigned long)ro, (unsigned long)na, across,
               clean ? "nothing written" : "WRITTEN");
        bad += ok != 0 || ro != (NTSTATUS)0xc0000005 || na != (NTSTATUS)0xc0000005 ||
               st != (NTSTATUS)0xc0000005 || !clean;
    }
    printf("%d calls wrong\n", bad);
    CloseHandle(file);
    return 0;
}
