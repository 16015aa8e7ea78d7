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
 * Device and file-system controls probe their buffers by the code's transfer method before the
 * handle and the code are looked at, so a bad output buffer is an access violation even for a
 * control the file refuses (the "good" column gives that refusal).
 *
 * Wine 8.0: identical but for outputs it writes in part before it faults across the page
 * boundary (SystemTimeOfDayInformation, ThreadBasicInformation, FileFsSizeInformation,
 * ProcessVmCounters, ThreadTimes, NtReadFile's IoStatusBlock: "WRITTEN"), FSCTL_PIPE_PEEK
 * (STATUS_INVALID_USER_BUFFER) and the controls, which it does not probe (the driver's answer);
 * the rows after the marker in the table it cannot run (it hangs or dies). */
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

typedef NTSTATUS(NTAPI *fn_qdir)(HANDLE, HANDLE, void *, void *, IO_STATUS_BLOCK *, void *, ULONG,
                                 ULONG, BOOLEAN, UNICODE_STRING *, BOOLEAN);
typedef NTSTATUS(NTAPI *fn_qdirex)(HANDLE, HANDLE, void *, void *, IO_STATUS_BLOCK *, void *,
                                   ULONG, ULONG, ULONG, UNICODE_STRING *);
typedef NTSTATUS(NTAPI *fn_read)(HANDLE, HANDLE, void *, void *, IO_STATUS_BLOCK *, void *, ULONG,
                                 LARGE_INTEGER *, ULONG *);
typedef NTSTATUS(NTAPI *fn_ioctl)(HANDLE, HANDLE, void *, void *, IO_STATUS_BLOCK *, ULONG, void *,
                                  ULONG, void *, ULONG);
typedef NTSTATUS(NTAPI *fn_qsec)(HANDLE, ULONG, void *, SIZE_T, SIZE_T *);

static unsigned char *rw_page, *ro_page, *na_page;
static HANDLE file, token, dir, event, mutant, semaphore, timer, section, pipe_r, pipe_w;
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

static NTSTATUS c_qip_retlen(void *out, ULONG n)
{
    PROCESS_BASIC_INFORMATION info;
    return ((fn_qip)NT(NtQueryInformationProcess))(GetCurrentProcess(), 0, &info, sizeof info,
                                                   (ULONG *)out);
}
static NTSTATUS c_qip_times(void *out, ULONG n)
{
    return ((fn_qip)NT(NtQueryInformationProcess))(GetCurrentProcess(), 4 /* ProcessTimes */, out,
                                                   n, NULL);
}
static NTSTATUS c_qip_vm(void *out, ULONG n)
{
    return ((fn_qip)NT(NtQueryInformationProcess))(GetCurrentProcess(), 3 /* ProcessVmCounters */,
                                                   out, n, NULL);
}
static NTSTATUS c_qip_image(void *out, ULONG n)
{
    return ((fn_qip)NT(NtQueryInformationProcess))(GetCurrentProcess(),
                                                   27 /* ProcessImageFileName */, out, n, NULL);
}
typedef NTSTATUS(NTAPI *fn_qkey)(HANDLE, ULONG, void *, ULONG, ULONG *);
typedef NTSTATUS(NTAPI *fn_ekey)(HANDLE, ULONG, ULONG, void *, ULONG, ULONG *);
typedef NTSTATUS(NTAPI *fn_qval)(HANDLE, UNICODE_STRING *, ULONG, void *, ULONG, ULONG *);
static HKEY key;
static NTSTATUS c_qkey(void *out, ULONG n)
{
    ULONG got;
    return ((fn_qkey)NT(NtQueryKey))(key, 0 /* KeyBasicInformation */, out, n, &got);
}
static NTSTATUS c_qkey_retlen(void *out, ULONG n)
{
    unsigned char info[0x100];
    return ((fn_qkey)NT(NtQueryKey))(key, 2 /* KeyFullInformation */, info, sizeof info,
                                     (ULONG *)out);
}
static NTSTATUS c_ekey(void *out, ULONG n)
{
    ULONG got;
    return ((fn_ekey)NT(NtEnumerateKey))(key, 0, 1 /* KeyNodeInformation */, out, n, &got);
}
static NTSTATUS c_qval(void *out, ULONG n)
{
    ULONG got;
    UNICODE_STRING name = {2, 4, (WCHAR *)L"v"};
    return ((fn_qval)NT(NtQueryValueKey))(key, &name, 2 /* KeyValuePartialInformation */, out, n,
                                          &got);
}
static NTSTATUS c_qval_missing(void *out, ULONG n)
{
    ULONG got;
    UNICODE_STRING name = {4, 6, (WCHAR *)L"no"};
    return ((fn_qval)NT(NtQueryValueKey))(key, &name, 2, out, n, &got);
}
static NTSTATUS c_eval(void *out, ULONG n)
{
    ULONG got;
    return ((fn_ekey)NT(NtEnumerateValueKey))(key, 0, 1 /* KeyValueFullInformation */, out, n,
                                              &got);
}
static NTSTATUS c_qobj_basic(void *out, ULONG n)
{
    return ((fn_qip)NT(NtQueryObject))(file, 0 /* ObjectBasicInformation */, out, n, NULL);
}
static NTSTATUS c_qobj_name(void *out, ULONG n)
{
    return ((fn_qip)NT(NtQueryObject))(file, 1 /* ObjectNameInformation */, out, n, NULL);
}
static NTSTATUS c_qobj_type(void *out, ULONG n)
{
    return ((fn_qip)NT(NtQueryObject))(event, 2 /* ObjectTypeInformation */, out, n, NULL);
}
static NTSTATUS c_qobj_types(void *out, ULONG n)
{
    return ((fn_qip)NT(NtQueryObject))(NULL, 3 /* ObjectTypesInformation */, out, n, NULL);
}
static NTSTATUS c_qobj_retlen(void *out, ULONG n)
{
    unsigned char info[56];
    return ((fn_qip)NT(NtQueryObject))(event, 0, info, sizeof info, (ULONG *)out);
}
static NTSTATUS c_qit_times(void *out, ULONG n)
{
    return ((fn_qip)NT(NtQueryInformationThread))(GetCurrentThread(), 1 /* ThreadTimes */, out, n,
                                                  NULL);
}
static NTSTATUS c_qvm_retlen(void *out, ULONG n)
{
    MEMORY_BASIC_INFORMATION mbi;
    return ((fn_qvm)NT(NtQueryVirtualMemory))(GetCurrentProcess(), rw_page, 0, &mbi, sizeof mbi,
                                              (SIZE_T *)out);
}
static NTSTATUS c_qdir(void *out, ULONG n)
{
    IO_STATUS_BLOCK io;
    return ((fn_qdir)NT(NtQueryDirectoryFile))(dir, NULL, NULL, NULL, &io, out, n,
                                               1 /* FileDirectoryInformation */, FALSE, NULL, TRUE);
}
static NTSTATUS c_qdir_names(void *out, ULONG n)
{
    IO_STATUS_BLOCK io;
    return ((fn_qdir)NT(NtQueryDirectoryFile))(dir, NULL, NULL, NULL, &io, out, n,
                                               12 /* FileNamesInformation */, TRUE, NULL, TRUE);
}
static NTSTATUS c_qdir_iosb(void *out, ULONG n)
{
    static unsigned char buf[0x200] __attribute__((aligned(8)));
    return ((fn_qdir)NT(NtQueryDirectoryFile))(dir, NULL, NULL, NULL, (IO_STATUS_BLOCK *)out, buf,
                                               sizeof buf, 1, FALSE, NULL, TRUE);
}
static NTSTATUS c_qdirex(void *out, ULONG n)
{
    IO_STATUS_BLOCK io;
    fn_qdirex f = (fn_qdirex)NT(NtQueryDirectoryFileEx);
    return f ? f(dir, NULL, NULL, NULL, &io, out, n, 3 /* FileBothDirectoryInformation */,
                 1 /* SL_RESTART_SCAN */, NULL)
             : (NTSTATUS)0xc0000139;
}
static NTSTATUS c_read(void *out, ULONG n)
{
    IO_STATUS_BLOCK io;
    LARGE_INTEGER at = {.QuadPart = 0};
    return ((fn_read)NT(NtReadFile))(file, NULL, NULL, NULL, &io, out, n, &at, NULL);
}
static NTSTATUS c_read_iosb(void *out, ULONG n)
{
    char buf[16];
    LARGE_INTEGER at = {.QuadPart = 0};
    return ((fn_read)NT(NtReadFile))(file, NULL, NULL, NULL, (IO_STATUS_BLOCK *)out, buf,
                                     sizeof buf, &at, NULL);
}
static NTSTATUS c_qevent(void *out, ULONG n)
{
    return ((fn_qip)NT(NtQueryEvent))(event, 0 /* EventBasicInformation */, out, n, NULL);
}
static NTSTATUS c_qevent_retlen(void *out, ULONG n)
{
    LONG info[2];
    return ((fn_qip)NT(NtQueryEvent))(event, 0, info, sizeof info, (ULONG *)out);
}
static NTSTATUS c_qmutant(void *out, ULONG n)
{
    return ((fn_qip)NT(NtQueryMutant))(mutant, 0 /* MutantBasicInformation */, out, n, NULL);
}
static NTSTATUS c_qsemaphore(void *out, ULONG n)
{
    return ((fn_qip)NT(NtQuerySemaphore))(semaphore, 0 /* SemaphoreBasicInformation */, out, n,
                                          NULL);
}
static NTSTATUS c_qtimer(void *out, ULONG n)
{
    return ((fn_qip)NT(NtQueryTimer))(timer, 0 /* TimerBasicInformation */, out, n, NULL);
}
static NTSTATUS c_qsection(void *out, ULONG n)
{
    return ((fn_qsec)NT(NtQuerySection))(section, 0 /* SectionBasicInformation */, out, n, NULL);
}
static NTSTATUS c_peek(void *out, ULONG n)
{
    IO_STATUS_BLOCK io;
    return ((fn_ioctl)NT(NtFsControlFile))(pipe_r, NULL, NULL, NULL, &io,
                                           0x11400c /* FSCTL_PIPE_PEEK */, NULL, 0, out, n);
}
static NTSTATUS c_reparse(void *out, ULONG n)
{
    IO_STATUS_BLOCK io;
    return ((fn_ioctl)NT(NtFsControlFile))(file, NULL, NULL, NULL, &io,
                                           0x900a8 /* FSCTL_GET_REPARSE_POINT */, NULL, 0, out, n);
}
static NTSTATUS c_ioctl(void *out, ULONG n)
{
    IO_STATUS_BLOCK io;
    /* a buffered control code no file system knows */
    return ((fn_ioctl)NT(NtDeviceIoControlFile))(file, NULL, NULL, NULL, &io, 0x222000, NULL, 0,
                                                 out, n);
}

static const struct {
    const char *name;
    call_fn call;
    ULONG size;
    NTSTATUS good; /* the status with a good buffer */
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
    {"NtQueryVirtualMemory(longer buffer)", c_qvm_basic, 0x100},
    {"NtQueryAttributesFile", c_qattr, 40},
    {"NtQueryFullAttributesFile", c_qfattr, 56},
    {"NtQueryPerformanceCounter(Counter)", c_qpc, 8},
    {"NtQueryPerformanceCounter(Frequency)", c_qpc_freq, 8},
    {"NtQuerySystemTime", c_qst, 8},
    {"NtCreateEvent(EventHandle)", c_create_event, 8},
    {"NtDuplicateObject(TargetHandle)", c_dup, 8},
    {"NtOpenProcessToken(TokenHandle)", c_open_token, 8},
    {"NtQueryInformationProcess(ReturnLength)", c_qip_retlen, 4},
    {"NtQueryInformationProcess(ProcessTimes)", c_qip_times, 32},
    {"NtQueryInformationProcess(ProcessVmCounters)", c_qip_vm, 0x58},
    {"NtQueryInformationThread(ThreadTimes)", c_qit_times, 32},
    {"NtQueryVirtualMemory(ReturnLength)", c_qvm_retlen, 8},
    {"NtReadFile(Buffer)", c_read, 0x100},
    {"NtReadFile(IoStatusBlock)", c_read_iosb, 16},
    {"NtQueryEvent(EventBasicInformation)", c_qevent, 8},
    {"NtQueryEvent(ReturnLength)", c_qevent_retlen, 4},
    {"NtQueryMutant(MutantBasicInformation)", c_qmutant, 8},
    {"NtQuerySemaphore(SemaphoreBasicInformation)", c_qsemaphore, 8},
    {"NtQueryTimer(TimerBasicInformation)", c_qtimer, 16},
    {"NtQuerySection(SectionBasicInformation)", c_qsection, 24},
    {"NtQueryKey(KeyBasicInformation)", c_qkey, 0x100},
    {"NtQueryKey(ReturnLength)", c_qkey_retlen, 4},
    {"NtEnumerateKey(KeyNodeInformation)", c_ekey, 0x100},
    {"NtQueryValueKey(KeyValuePartialInformation)", c_qval, 0x100},
    {"NtQueryValueKey(a missing value)", c_qval_missing, 0x100, (NTSTATUS)0xc0000034},
    {"NtEnumerateValueKey(KeyValueFullInformation)", c_eval, 0x100},
    {"NtQueryObject(ObjectBasicInformation)", c_qobj_basic, 56},
    {"NtQueryObject(ObjectNameInformation)", c_qobj_name, 0x400},
    {"NtQueryObject(ObjectTypeInformation)", c_qobj_type, 0x100},
    {"NtQueryObject(ObjectTypesInformation)", c_qobj_types, 0x4000},
    {"NtQueryObject(ReturnLength)", c_qobj_retlen, 4},
    {"NtFsControlFile(FSCTL_PIPE_PEEK)", c_peek, 0x20},
    {"NtFsControlFile(FSCTL_GET_REPARSE_POINT)", c_reparse, 0x400, (NTSTATUS)0xc0000275},
    {"NtDeviceIoControlFile(0x222000)", c_ioctl, 16, (NTSTATUS)0xc0000010},
    /* last: Wine 8.0 faults holding a lock and hangs in directory queries, and hands this
     * buffer to its server unchecked and dies of it */
    {"NtQueryDirectoryFile(FileDirectoryInformation)", c_qdir, 0x400},
    {"NtQueryDirectoryFile(FileNamesInformation)", c_qdir_names, 0x200},
    {"NtQueryDirectoryFile(IoStatusBlock)", c_qdir_iosb, 16},
    {"NtQueryDirectoryFileEx(FileBothDirectoryInformation)", c_qdirex, 0x400},
    {"NtQueryInformationProcess(ProcessImageFileName)", c_qip_image, 0x400},
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
    static char content[0x1000];
    memset(content, 'c', sizeof content);
    DWORD done;
    WriteFile(file, content, sizeof content, &done, NULL);
    dir = CreateFileA(".", FILE_LIST_DIRECTORY | SYNCHRONIZE, FILE_SHARE_READ | FILE_SHARE_WRITE |
                      FILE_SHARE_DELETE, NULL, OPEN_EXISTING, FILE_FLAG_BACKUP_SEMANTICS, NULL);
    event = CreateEventA(NULL, TRUE, FALSE, NULL);
    mutant = CreateMutexA(NULL, FALSE, NULL);
    semaphore = CreateSemaphoreA(NULL, 1, 5, NULL);
    timer = CreateWaitableTimerA(NULL, TRUE, NULL);
    section = CreateFileMappingA(INVALID_HANDLE_VALUE, NULL, PAGE_READWRITE, 0, 0x1000, NULL);
    CreatePipe(&pipe_r, &pipe_w, NULL, 0);
    HKEY sub;
    RegCreateKeyExA(HKEY_CURRENT_USER, "Software\\ntrun_nt_outbuf", 0, NULL, REG_OPTION_VOLATILE,
                    KEY_ALL_ACCESS, NULL, &key, NULL);
    RegCreateKeyExA(key, "sub", 0, NULL, REG_OPTION_VOLATILE, KEY_ALL_ACCESS, NULL, &sub, NULL);
    RegSetValueExA(key, "v", 0, REG_SZ, (const BYTE *)"data", 5);
    WriteFile(pipe_w, "peek data", 9, &done, NULL);

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
        bad += ok != calls[i].good || ro != (NTSTATUS)0xc0000005 || na != (NTSTATUS)0xc0000005 ||
               st != (NTSTATUS)0xc0000005 || !clean;
    }
    printf("%d calls wrong\n", bad);
    RegCloseKey(sub);
    RegDeleteKeyA(key, "sub");
    RegCloseKey(key);
    RegDeleteKeyA(HKEY_CURRENT_USER, "Software\\ntrun_nt_outbuf");
    CloseHandle(file);
    return 0;
}
