/* ntdll_info: the process as Windows code inspects it without asking kernel32.
 *  - KUSER_SHARED_DATA at 0x7FFE0000, read directly: NtMajorVersion 10, NtMinorVersion 0,
 *    NtBuildNumber 19045 (Windows 10 22H2, ntrun's default) and equal to PEB->OSBuildNumber,
 *    NtProductType 1, ActiveProcessorCount and the processor count of GetSystemInfo, the
 *    SystemCall byte 0 or 1; TickCount, InterruptTime and SystemTime advance while the program
 *    makes no call that could update them (it spins reading the page between Sleeps), and
 *    SystemTime agrees with GetSystemTimeAsFileTime; the page is read-only (VirtualQuery).
 *  - PEB->Ldr: the program first, then ntdll.dll and KERNEL32.DLL, in all three lists (the
 *    program is not in the initialization-order list); each entry's DllBase matches
 *    GetModuleHandle, built-ins are named C:\Windows\System32\<name>, FullDllName is what
 *    GetModuleFileName says.
 *  - NtQuerySystemInformation (basic, processor, time of day; a wrong length; the process list
 *    with this process and thread; no kernel debugger),
 *    NtQueryInformationProcess (basic, image file name), NtQueryInformationThread (basic:
 *    TEB address, client id), imported from ntdll (the import route, not a trap).
 *  - VirtualQuery of the program's code and headers, ntdll's code, the stack, a heap block and
 *    reserved, committed and released memory; VirtualProtect's old protection.
 *  - NtQueryVolumeInformationFile on a file: device (disk), attribute (a name cut short gives
 *    STATUS_BUFFER_OVERFLOW with what fitted), size and volume information; short buffer and
 *    bad handle. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>
#include <windows.h>
#include <winternl.h>
#include "fail_check.h"

#define KUSER ((volatile unsigned char *)0x7ffe0000)
#define KU32(off) (*(volatile ULONG *)(KUSER + (off)))

/* A KSYSTEM_TIME read the way Windows code reads it. */
static ULONGLONG ksystem_time(unsigned off)
{
    for (;;) {
        LONG high1 = *(volatile LONG *)(KUSER + off + 4);
        ULONG low = *(volatile ULONG *)(KUSER + off);
        LONG high2 = *(volatile LONG *)(KUSER + off + 8);
        if (high1 == high2)
            return ((ULONGLONG)(ULONG)high1 << 32) | low;
    }
}

typedef struct W_LDR_ENTRY {
    LIST_ENTRY InLoadOrderLinks;
    LIST_ENTRY InMemoryOrderLinks;
    LIST_ENTRY InInitializationOrderLinks;
    void *DllBase;
    void *EntryPoint;
    ULONG SizeOfImage;
    UNICODE_STRING FullDllName;
    UNICODE_STRING BaseDllName;
} W_LDR_ENTRY;

static void wide_lower(char *out, size_t cap, const UNICODE_STRING *s)
{
    size_t n = s->Length / 2, i;
    for (i = 0; i < n && i + 1 < cap; i++) {
        WCHAR c = s->Buffer[i];
        out[i] = (char)(c >= 'A' && c <= 'Z' ? c + 32 : c);
    }
    out[i] = 0;
}

static const char *mem_type(DWORD t)
{
    return t == MEM_IMAGE ? "image" : t == MEM_PRIVATE ? "private" : t == MEM_MAPPED ? "mapped"
                                                                                      : "none";
}

static void kuser_checks(unsigned char *peb)
{
    SYSTEM_INFO si;
    GetSystemInfo(&si);
    printf("KUSER: version %lu.%lu, build %lu, product type %lu\n", KU32(0x26c), KU32(0x270),
           KU32(0x260), KU32(0x264));
    CHECK(9, KU32(0x308) <= 1); /* SystemCall: 0 or 1 (which one depends on the machine) */
    CHECK(10, KU32(0x26c) == 10 && KU32(0x270) == 0);
    CHECK(11, KU32(0x260) == *(USHORT *)(peb + 0x120));
    CHECK(12, KU32(0x3c0) == si.dwNumberOfProcessors);
    CHECK(13, KU32(0x2e8) > 0); /* NumberOfPhysicalPages */
    CHECK(14, *(volatile USHORT *)(KUSER + 0x26a) == 9); /* NativeProcessorArchitecture */
    CHECK(15, KU32(0x004) == 0x0fa00000);                /* TickCountMultiplier */

    MEMORY_BASIC_INFORMATION mbi;
    CHECK(16, VirtualQuery((void *)KUSER, &mbi, sizeof mbi) == sizeof mbi);
    printf("KUSER page: state 0x%lx, protect 0x%lx\n", mbi.State, mbi.Protect);
    CHECK(17, mbi.State == MEM_COMMIT && mbi.Protect == PAGE_READONLY);

    FILETIME ft;
    GetSystemTimeAsFileTime(&ft);
    ULONGLONG before = ((ULONGLONG)ft.dwHighDateTime << 32) | ft.dwLowDateTime;
    ULONGLONG tick0 = *(volatile ULONGLONG *)(KUSER + 0x320);
    ULONGLONG intr0 = ksystem_time(0x008), sys0 = ksystem_time(0x014);
    int spins = 0;
    while (*(volatile ULONGLONG *)(KUSER + 0x320) == tick0 && spins < 1000) {
        for (volatile int i = 0; i < 1000000; i++) /* no call at all here */
            ;
        if (*(volatile ULONGLONG *)(KUSER + 0x320) != tick0)
            break;
        Sleep(5);
        spins++;
    }
    ULONGLONG tick1 = *(volatile ULONGLONG *)(KUSER + 0x320);
    ULONGLONG intr1 = ksystem_time(0x008), sys1 = ksystem_time(0x014);
    printf("KUSER times advance: tick %s, interrupt time %s, system time %s\n",
           tick1 > tick0 ? "yes" : "no", intr1 > intr0 ? "yes" : "no", sys1 > sys0 ? "yes" : "no");
    CHECK(18, tick1 > tick0 && intr1 > intr0 && sys1 > sys0);
    /* The page lags the clock by at most one tick (15.625 ms = 156250 units). */
    CHECK(19, sys1 + 156250 >= before);
    /* GetTickCount and the tick count agree to within the ticks that passed while reading. */
    ULONGLONG ms_from_kuser = (tick1 * 0x0fa00000ull) >> 24;
    CHECK(20, ms_from_kuser > 0);
}

static void ldr_checks(unsigned char *peb)
{
    unsigned char *ldr = *(unsigned char **)(peb + 0x18);
    LIST_ENTRY *load = (LIST_ENTRY *)(ldr + 0x10), *mem = (LIST_ENTRY *)(ldr + 0x20),
               *init = (LIST_ENTRY *)(ldr + 0x30);
    static const char *const want[] = {"ntdll_info.exe", "ntdll.dll", "kernel32.dll"};
    LIST_ENTRY *l = load->Flink, *m = mem->Flink;
    for (int i = 0; i < 3; i++, l = l->Flink, m = m->Flink) {
        CHECK(30, l != load && m != mem);
        W_LDR_ENTRY *e = (W_LDR_ENTRY *)l;
        CHECK(31, CONTAINING_RECORD(m, W_LDR_ENTRY, InMemoryOrderLinks) == e);
        char base[64], full[MAX_PATH];
        wide_lower(base, sizeof base, &e->BaseDllName);
        wide_lower(full, sizeof full, &e->FullDllName);
        printf("Ldr[%d]: %s, SizeOfImage %s\n", i, base, e->SizeOfImage ? "set" : "0");
        CHECK(32, strcmp(base, want[i]) == 0);
        CHECK(33, e->SizeOfImage >= 0x1000);
        size_t fl = strlen(full), bl = strlen(base);
        CHECK(34, fl > bl && strcmp(full + fl - bl, base) == 0 && full[fl - bl - 1] == '\\');
        HMODULE h = i == 0 ? GetModuleHandleW(NULL) : GetModuleHandleA(want[i]);
        CHECK(35, e->DllBase == (void *)h);
        if (i > 0)
            CHECK(36, strncmp(full, "c:\\windows\\system32\\", 20) == 0);
        char mfn[MAX_PATH];
        DWORD mn = GetModuleFileNameA(h, mfn, MAX_PATH);
        CHECK(29, mn > 0 && _stricmp(mfn, full) == 0); /* the same name both ways */
    }
    CHECK(37, GetModuleHandleW(NULL) == *(HMODULE *)(peb + 0x10)); /* ImageBaseAddress */
    /* Initialization order: ntdll first, never the program. */
    W_LDR_ENTRY *first = CONTAINING_RECORD(init->Flink, W_LDR_ENTRY, InInitializationOrderLinks);
    char base[64];
    wide_lower(base, sizeof base, &first->BaseDllName);
    printf("initialization order starts with %s\n", base);
    CHECK(38, strcmp(base, "ntdll.dll") == 0);
    for (LIST_ENTRY *i = init->Flink; i != init; i = i->Flink)
        CHECK(39, CONTAINING_RECORD(i, W_LDR_ENTRY, InInitializationOrderLinks)->DllBase !=
                      (void *)GetModuleHandleW(NULL));
}

typedef struct {
    ULONG Reserved, TimerResolution, PageSize, NumberOfPhysicalPages, LowestPhysicalPageNumber,
        HighestPhysicalPageNumber, AllocationGranularity;
    ULONG_PTR MinimumUserModeAddress, MaximumUserModeAddress, ActiveProcessorsAffinityMask;
    CCHAR NumberOfProcessors;
} W_SYSTEM_BASIC_INFORMATION;
typedef struct {
    USHORT ProcessorArchitecture, ProcessorLevel, ProcessorRevision, MaximumProcessors;
    ULONG ProcessorFeatureBits;
} W_SYSTEM_PROCESSOR_INFORMATION;
typedef struct {
    LARGE_INTEGER BootTime, CurrentTime, TimeZoneBias;
    ULONG TimeZoneId, Reserved;
    ULONGLONG BootTimeBias, SleepTimeBias;
} W_SYSTEM_TIMEOFDAY_INFORMATION;
typedef struct {
    NTSTATUS ExitStatus;
    PVOID TebBaseAddress;
    CLIENT_ID ClientId;
    ULONG_PTR AffinityMask;
    LONG Priority, BasePriority;
} W_THREAD_BASIC_INFORMATION;

static void nt_info_checks(unsigned char *peb)
{
    SYSTEM_INFO si;
    GetSystemInfo(&si);
    W_SYSTEM_BASIC_INFORMATION sbi;
    ULONG ret = 0;
    NTSTATUS st = NtQuerySystemInformation(0, &sbi, sizeof sbi, &ret);
    printf("SystemBasicInformation: 0x%08lx, length %lu, page 0x%lx, granularity 0x%lx\n",
           (unsigned long)st, ret, sbi.PageSize, sbi.AllocationGranularity);
    CHECK(40, st == 0 && ret == sizeof sbi && sbi.PageSize == 0x1000 &&
                  sbi.AllocationGranularity == 0x10000);
    CHECK(41, (DWORD)sbi.NumberOfProcessors == si.dwNumberOfProcessors);
    CHECK(42, sbi.MinimumUserModeAddress == (ULONG_PTR)si.lpMinimumApplicationAddress);
    st = NtQuerySystemInformation(0, &sbi, sizeof sbi - 8, &ret);
    printf("SystemBasicInformation, short buffer: 0x%08lx, length %lu\n", (unsigned long)st, ret);
    CHECK(43, (ULONG)st == 0xC0000004 && ret == sizeof sbi);

    W_SYSTEM_PROCESSOR_INFORMATION spi;
    st = NtQuerySystemInformation(1, &spi, sizeof spi, NULL);
    printf("SystemProcessorInformation: 0x%08lx, architecture %u\n", (unsigned long)st,
           spi.ProcessorArchitecture);
    CHECK(44, st == 0 && spi.ProcessorArchitecture == PROCESSOR_ARCHITECTURE_AMD64);

    W_SYSTEM_TIMEOFDAY_INFORMATION tod;
    st = NtQuerySystemInformation(3, &tod, sizeof tod, &ret);
    printf("SystemTimeOfDayInformation: 0x%08lx, boot before now: %s\n", (unsigned long)st,
           tod.BootTime.QuadPart < tod.CurrentTime.QuadPart ? "yes" : "no");
    CHECK(45, st == 0 && tod.BootTime.QuadPart > 0 && tod.BootTime.QuadPart < tod.CurrentTime.QuadPart);
    st = NtQuerySystemInformation(0x7fff, &tod, sizeof tod, &ret);
    printf("class 0x7fff: 0x%08lx\n", (unsigned long)st);
    CHECK(46, (ULONG)st == 0xC0000003);

    /* SystemProcessInformation: a first call for the size, then the list; this process is in
     * it under its name, with the calling thread. */
    ULONG need = 0;
    st = NtQuerySystemInformation(SystemProcessInformation, NULL, 0, &need);
    CHECK(56, (ULONG)st == 0xC0000004 && need > 0);
    need += 0x10000; /* processes may start in between */
    unsigned char *list = malloc(need);
    st = NtQuerySystemInformation(SystemProcessInformation, list, need, &ret);
    CHECK(57, st == 0 && list != NULL);
    int found = 0, thread_found = 0;
    for (unsigned char *e = list;; e += ((SYSTEM_PROCESS_INFORMATION *)e)->NextEntryOffset) {
        SYSTEM_PROCESS_INFORMATION *pi = (SYSTEM_PROCESS_INFORMATION *)e;
        if ((DWORD)(ULONG_PTR)pi->UniqueProcessId == GetCurrentProcessId()) {
            char pname[64];
            wide_lower(pname, sizeof pname, &pi->ImageName);
            found = strcmp(pname, "ntdll_info.exe") == 0;
            SYSTEM_THREAD_INFORMATION *ti = (SYSTEM_THREAD_INFORMATION *)(pi + 1);
            for (ULONG t = 0; t < pi->NumberOfThreads; t++)
                thread_found |= (DWORD)(ULONG_PTR)ti[t].ClientId.UniqueThread == GetCurrentThreadId();
        }
        if (!pi->NextEntryOffset)
            break;
    }
    printf("SystemProcessInformation: this process listed by name: %s, with this thread: %s\n",
           found ? "yes" : "no", thread_found ? "yes" : "no");
    CHECK(58, found && thread_found);
    free(list);
    struct { BOOLEAN enabled, not_present; } kd = {1, 0};
    st = NtQuerySystemInformation(35, &kd, sizeof kd, NULL);
    printf("SystemKernelDebuggerInformation: 0x%08lx, enabled %u, not present %u\n",
           (unsigned long)st, kd.enabled, kd.not_present);
    CHECK(59, st == 0 && !kd.enabled && kd.not_present);

    PROCESS_BASIC_INFORMATION pbi;
    st = NtQueryInformationProcess(GetCurrentProcess(), ProcessBasicInformation, &pbi, sizeof pbi,
                                   &ret);
    printf("ProcessBasicInformation: 0x%08lx, PEB matches: %s, pid matches: %s\n",
           (unsigned long)st, pbi.PebBaseAddress == (void *)peb ? "yes" : "no",
           pbi.UniqueProcessId == GetCurrentProcessId() ? "yes" : "no");
    CHECK(47, st == 0 && pbi.PebBaseAddress == (void *)peb);
    CHECK(48, pbi.UniqueProcessId == GetCurrentProcessId());

    union { UNICODE_STRING us; unsigned char b[1024]; } name;
    st = NtQueryInformationProcess(GetCurrentProcess(), ProcessImageFileName, &name, sizeof name,
                                   &ret);
    char img[512];
    wide_lower(img, sizeof img, &name.us);
    size_t il = strlen(img);
    printf("ProcessImageFileName: 0x%08lx, \\device\\ form: %s, ends with the program: %s\n",
           (unsigned long)st, strncmp(img, "\\device\\", 8) == 0 ? "yes" : "no",
           il > 15 && strcmp(img + il - 15, "\\ntdll_info.exe") == 0 ? "yes" : "no");
    CHECK(49, st == 0 && strncmp(img, "\\device\\", 8) == 0);
    CHECK(50, ret == sizeof(UNICODE_STRING) + name.us.Length + 2);
    st = NtQueryInformationProcess(GetCurrentProcess(), ProcessImageFileName, &name, 8, &ret);
    printf("ProcessImageFileName, 8 bytes: 0x%08lx\n", (unsigned long)st);
    CHECK(51, (ULONG)st == 0xC0000004);
    st = NtQueryInformationProcess((HANDLE)(ULONG_PTR)0xbad0, ProcessBasicInformation, &pbi,
                                   sizeof pbi, &ret);
    printf("ProcessBasicInformation of a bad handle: 0x%08lx\n", (unsigned long)st);
    CHECK(52, (ULONG)st == 0xC0000008);

    W_THREAD_BASIC_INFORMATION tbi;
    st = NtQueryInformationThread(GetCurrentThread(), ThreadBasicInformation, &tbi, sizeof tbi,
                                  &ret);
    void *teb;
    __asm__ volatile("mov %%gs:0x30, %0" : "=r"(teb));
    printf("ThreadBasicInformation: 0x%08lx, TEB matches: %s, ids match: %s, still active: %s\n",
           (unsigned long)st, tbi.TebBaseAddress == teb ? "yes" : "no",
           (DWORD)(ULONG_PTR)tbi.ClientId.UniqueThread == GetCurrentThreadId() &&
                   (DWORD)(ULONG_PTR)tbi.ClientId.UniqueProcess == GetCurrentProcessId()
               ? "yes" : "no",
           tbi.ExitStatus == STILL_ACTIVE ? "yes" : "no");
    CHECK(53, st == 0 && ret == sizeof tbi && tbi.TebBaseAddress == teb);
    CHECK(54, (DWORD)(ULONG_PTR)tbi.ClientId.UniqueThread == GetCurrentThreadId());
    st = NtQueryInformationThread(GetCurrentThread(), ThreadBasicInformation, (void *)0x10,
                                  sizeof tbi, &ret);
    printf("ThreadBasicInformation into 0x10: 0x%08lx\n", (unsigned long)st);
    CHECK(55, (ULONG)st == 0xC0000005);
}

static int global_data = 1;

static void query_checks(void)
{
    MEMORY_BASIC_INFORMATION mbi;
    HMODULE exe = GetModuleHandleW(NULL);
    CHECK(60, VirtualQuery((void *)query_checks, &mbi, sizeof mbi) == sizeof mbi);
    printf("program code: %s, protect 0x%lx, allocation base is the module: %s\n",
           mem_type(mbi.Type), mbi.Protect, mbi.AllocationBase == (void *)exe ? "yes" : "no");
    CHECK(61, mbi.Type == MEM_IMAGE && mbi.State == MEM_COMMIT &&
                  mbi.Protect == PAGE_EXECUTE_READ && mbi.AllocationBase == (void *)exe);
    CHECK(62, VirtualQuery((void *)exe, &mbi, sizeof mbi) == sizeof mbi);
    printf("program headers: %s, protect 0x%lx, size 0x%lx\n", mem_type(mbi.Type), mbi.Protect,
           (unsigned long)mbi.RegionSize);
    CHECK(63, mbi.Type == MEM_IMAGE && mbi.Protect == PAGE_READONLY && mbi.RegionSize == 0x1000);
    CHECK(64, VirtualQuery(&global_data, &mbi, sizeof mbi) == sizeof mbi);
    CHECK(65, mbi.Type == MEM_IMAGE && mbi.AllocationBase == (void *)exe &&
                  (mbi.Protect == PAGE_READWRITE || mbi.Protect == PAGE_WRITECOPY));

    void *nt_close = (void *)GetProcAddress(GetModuleHandleA("ntdll.dll"), "NtClose");
    CHECK(66, VirtualQuery(nt_close, &mbi, sizeof mbi) == sizeof mbi);
    printf("ntdll code: %s, protect 0x%lx\n", mem_type(mbi.Type), mbi.Protect);
    CHECK(67, mbi.Type == MEM_IMAGE && mbi.Protect == PAGE_EXECUTE_READ &&
                  mbi.AllocationBase == (void *)GetModuleHandleA("ntdll.dll"));

    int local = 0;
    CHECK(68, VirtualQuery(&local, &mbi, sizeof mbi) == sizeof mbi);
    printf("stack: %s, state 0x%lx, protect 0x%lx\n", mem_type(mbi.Type), mbi.State, mbi.Protect);
    CHECK(69, mbi.Type == MEM_PRIVATE && mbi.State == MEM_COMMIT && mbi.Protect == PAGE_READWRITE);

    void *block = HeapAlloc(GetProcessHeap(), 0, 100);
    CHECK(70, block && VirtualQuery(block, &mbi, sizeof mbi) == sizeof mbi);
    printf("heap: %s, state 0x%lx, protect 0x%lx\n", mem_type(mbi.Type), mbi.State, mbi.Protect);
    CHECK(71, mbi.Type == MEM_PRIVATE && mbi.State == MEM_COMMIT && mbi.Protect == PAGE_READWRITE);
    HeapFree(GetProcessHeap(), 0, block);

    char *p = VirtualAlloc(NULL, 0x30000, MEM_RESERVE, PAGE_NOACCESS);
    CHECK(72, p != NULL);
    CHECK(73, VirtualAlloc(p + 0x10000, 0x1000, MEM_COMMIT, PAGE_READWRITE) == p + 0x10000);
    CHECK(74, VirtualQuery(p, &mbi, sizeof mbi) == sizeof mbi);
    printf("reserved: state 0x%lx, size 0x%lx\n", mbi.State, (unsigned long)mbi.RegionSize);
    CHECK(75, mbi.State == MEM_RESERVE && mbi.RegionSize == 0x10000 && mbi.AllocationBase == p &&
                  mbi.AllocationProtect == PAGE_NOACCESS);
    CHECK(76, VirtualQuery(p + 0x10000, &mbi, sizeof mbi) == sizeof mbi);
    printf("committed: state 0x%lx, size 0x%lx, protect 0x%lx\n", mbi.State,
           (unsigned long)mbi.RegionSize, mbi.Protect);
    CHECK(77, mbi.State == MEM_COMMIT && mbi.RegionSize == 0x1000 && mbi.Protect == PAGE_READWRITE);
    DWORD old = 0;
    CHECK(78, VirtualProtect(p + 0x10000, 0x1000, PAGE_READONLY, &old) && old == PAGE_READWRITE);
    printf("VirtualProtect old protection 0x%lx\n", old);
    CHECK(79, VirtualFree(p, 0, MEM_RELEASE));
    CHECK(80, VirtualQuery(p, &mbi, sizeof mbi) == sizeof mbi);
    printf("released: state 0x%lx\n", mbi.State);
    CHECK(81, mbi.State == MEM_FREE);
}

typedef struct {
    ULONG FileSystemAttributes;
    LONG MaximumComponentNameLength;
    ULONG FileSystemNameLength;
    WCHAR FileSystemName[8];
} W_FS_ATTRIBUTE;

static void volume_checks(void)
{
    HANDLE f = CreateFileW(L"vol.txt", GENERIC_READ | GENERIC_WRITE, 0, NULL, CREATE_ALWAYS,
                           FILE_FLAG_DELETE_ON_CLOSE, NULL);
    CHECK(90, f != INVALID_HANDLE_VALUE);
    IO_STATUS_BLOCK io;
    struct { ULONG DeviceType, Characteristics; } dev;
    NTSTATUS st = NtQueryVolumeInformationFile(f, &io, &dev, sizeof dev, FileFsDeviceInformation);
    printf("FileFsDeviceInformation: 0x%08lx, device type 0x%lx, information %lu\n",
           (unsigned long)st, dev.DeviceType, (unsigned long)io.Information);
    CHECK(91, st == 0 && dev.DeviceType == FILE_DEVICE_DISK && io.Information == sizeof dev);

    W_FS_ATTRIBUTE attr;
    memset(&attr, 0, sizeof attr);
    st = NtQueryVolumeInformationFile(f, &io, &attr, sizeof attr, FileFsAttributeInformation);
    printf("FileFsAttributeInformation: 0x%08lx, name length %lu, component length %ld\n",
           (unsigned long)st, attr.FileSystemNameLength, attr.MaximumComponentNameLength);
    CHECK(92, st == 0 && attr.FileSystemNameLength > 0 && attr.MaximumComponentNameLength == 255);
    CHECK(93, io.Information == 12 + attr.FileSystemNameLength);
    st = NtQueryVolumeInformationFile(f, &io, &attr, 12 + 4, FileFsAttributeInformation);
    printf("FileFsAttributeInformation, room for two characters: 0x%08lx, information %lu\n",
           (unsigned long)st, (unsigned long)io.Information);
    CHECK(94, (ULONG)st == 0x80000005 && io.Information == 16);

    struct { LARGE_INTEGER Total, Available; ULONG SectorsPerUnit, BytesPerSector; } size;
    st = NtQueryVolumeInformationFile(f, &io, &size, sizeof size, FileFsSizeInformation);
    printf("FileFsSizeInformation: 0x%08lx, units: %s\n", (unsigned long)st,
           size.Total.QuadPart > 0 && size.Available.QuadPart <= size.Total.QuadPart ? "yes" : "no");
    CHECK(95, st == 0 && size.Total.QuadPart > 0 && size.BytesPerSector >= 512);

    unsigned char vol[64];
    st = NtQueryVolumeInformationFile(f, &io, vol, sizeof vol, FileFsVolumeInformation);
    printf("FileFsVolumeInformation: 0x%08lx\n", (unsigned long)st);
    CHECK(96, st == 0);
    st = NtQueryVolumeInformationFile(f, &io, vol, 8, FileFsVolumeInformation);
    printf("FileFsVolumeInformation, 8 bytes: 0x%08lx\n", (unsigned long)st);
    CHECK(97, (ULONG)st == 0xC0000004);
    st = NtQueryVolumeInformationFile((HANDLE)(ULONG_PTR)0xbad0, &io, &dev, sizeof dev,
                                      FileFsDeviceInformation);
    printf("FileFsDeviceInformation of a bad handle: 0x%08lx\n", (unsigned long)st);
    CHECK(98, (ULONG)st == 0xC0000008);
    CloseHandle(f);
}

int main(void)
{
    unsigned char *peb;
    __asm__ volatile("mov %%gs:0x60, %0" : "=r"(peb));
    kuser_checks(peb);
    ldr_checks(peb);
    nt_info_checks(peb);
    query_checks();
    volume_checks();
    printf("done\n");
    return 0;
}
