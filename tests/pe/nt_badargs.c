/* nt_badargs: every NT call ntrun implements (the table of ntemu/syscall.c), made with garbage
 * in every argument: an address below 64 KiB (never mapped, on Windows or Linux), a kernel-space
 * address, a non-canonical one, and the read-only KUSER_SHARED_DATA page (0x7FFE0000). The same
 * value stands in each argument, so handles are never valid ones (handle values are small
 * multiples of 4), pointers cannot be read or cannot be written, and lengths are absurd. Each
 * call is made twice: by the program's own `syscall` (the number read from ntdll's stub, the
 * trap route that decodes arguments from the caller's stack) and through ntdll's export. On
 * Windows every such call fails (STATUS_ACCESS_VIOLATION, STATUS_INVALID_HANDLE,
 * STATUS_INVALID_PARAMETER, ...); none may succeed, and none may take the process down: the
 * program prints one line per call and a total. Calls without arguments (NtYieldExecution,
 * NtTestAlert, NtGetCurrentProcessorNumber) are left out; NtDelayExecution is not given the
 * readable page (its bytes are an absolute time centuries away: Windows would sleep too).
 * pe.nt_argstatus checks the status of each call given one bad argument among good ones. */
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <windows.h>

typedef ULONG_PTR U;
typedef LONG(NTAPI *nt12)(U, U, U, U, U, U, U, U, U, U, U, U);

volatile DWORD probe_number;
/* An ntdll-shaped stub whose number is read each time (the rewriter keeps the RIP-relative load). */
__asm__(".text\n"
        ".p2align 4\n"
        ".globl probe_stub\n"
        "probe_stub:\n"
        "    mov %rcx, %r10\n"
        "    mov probe_number(%rip), %eax\n"
        "    syscall\n"
        "    ret\n");
extern char probe_stub[];

static const struct { const char *name; int nargs; } calls[] = {
    {"Close", 1}, {"QueryObject", 5}, {"SetInformationObject", 4},
    {"CreateFile", 11}, {"OpenFile", 6}, {"ReadFile", 9}, {"WriteFile", 9},
    {"QueryInformationFile", 5}, {"SetInformationFile", 5}, {"QueryDirectoryFile", 11},
    {"FlushBuffersFile", 2}, {"DeleteFile", 1}, {"QueryAttributesFile", 2},
    {"QueryFullAttributesFile", 2}, {"QueryVolumeInformationFile", 5},
    {"AllocateVirtualMemory", 6}, {"FreeVirtualMemory", 4}, {"ProtectVirtualMemory", 5},
    {"QueryVirtualMemory", 6}, {"CreateSection", 7}, {"OpenSection", 3},
    {"MapViewOfSection", 10}, {"UnmapViewOfSection", 2}, {"UnmapViewOfSectionEx", 3},
    {"QuerySection", 5}, {"FlushVirtualMemory", 4}, {"ReadVirtualMemory", 5},
    {"WriteVirtualMemory", 5},
    {"QueryPerformanceCounter", 2}, {"QuerySystemTime", 1}, {"DelayExecution", 2},
    {"CreateEvent", 5}, {"OpenEvent", 3}, {"SetEvent", 2}, {"ResetEvent", 2}, {"PulseEvent", 2},
    {"ClearEvent", 1}, {"CreateMutant", 4}, {"OpenMutant", 3}, {"ReleaseMutant", 2},
    {"CreateSemaphore", 5}, {"OpenSemaphore", 3}, {"ReleaseSemaphore", 3},
    {"WaitForSingleObject", 3}, {"WaitForMultipleObjects", 5}, {"DuplicateObject", 7},
    {"CreateThreadEx", 11}, {"TerminateThread", 2}, {"ResumeThread", 2}, {"SuspendThread", 2},
    {"GetContextThread", 2}, {"SetContextThread", 2}, {"OpenThread", 4}, {"QueryEvent", 5},
    {"QueryMutant", 5}, {"QuerySemaphore", 5}, {"SignalAndWaitForSingleObject", 4},
    {"QueueApcThread", 5},
    {"CreateTimer", 4}, {"OpenTimer", 3}, {"SetTimer", 7}, {"CancelTimer", 2}, {"QueryTimer", 5},
    {"CreateIoCompletion", 4}, {"OpenIoCompletion", 3}, {"SetIoCompletion", 5},
    {"RemoveIoCompletion", 5}, {"RemoveIoCompletionEx", 6}, {"QueryIoCompletion", 5},
    {"CancelIoFile", 2}, {"CancelIoFileEx", 3},
    {"TerminateProcess", 2}, {"CreateUserProcess", 11}, {"QuerySystemInformation", 4},
    {"QueryInformationProcess", 5}, {"SetInformationProcess", 4}, {"QueryInformationThread", 5},
    {"SetInformationThread", 4},
    {"CreateKey", 7}, {"OpenKey", 3}, {"OpenKeyEx", 4}, {"DeleteKey", 1}, {"SetValueKey", 6},
    {"DeleteValueKey", 2}, {"QueryValueKey", 6}, {"EnumerateValueKey", 6}, {"EnumerateKey", 6},
    {"QueryKey", 5}, {"FlushKey", 1}, {"NotifyChangeKey", 10}, {"SaveKey", 2},
    {"SaveKeyEx", 3}, {"LoadKey", 2}, {"LoadKey2", 3}, {"UnloadKey", 1}, {"UnloadKey2", 2},
    {"OpenProcessToken", 3}, {"OpenProcessTokenEx", 4}, {"OpenThreadToken", 4},
    {"OpenThreadTokenEx", 5}, {"QueryInformationToken", 5},
};

static const struct { const char *name; U value; } patterns[] = {
    {"low", 0x1000},
    {"kernel", 0xFFFF800000001000ull},
    {"noncanonical", 0x4141414141414140ull},
    {"readonly", 0x7FFE0000},
};

int main(void)
{
    HMODULE ntdll = GetModuleHandleA("ntdll.dll");
    unsigned probed = 0, failed = 0;
    for (size_t i = 0; i < sizeof calls / sizeof calls[0]; i++) {
        char name[64];
        snprintf(name, sizeof name, "Nt%s", calls[i].name);
        const unsigned char *stub = (const unsigned char *)GetProcAddress(ntdll, name);
        if (!stub || memcmp(stub, "\x4c\x8b\xd1\xb8", 4) != 0) {
            printf("%s: no system-call stub\n", name);
            failed++;
            continue;
        }
        DWORD number;
        memcpy(&number, stub + 4, 4);
        int bad = 0;
        for (size_t p = 0; p < sizeof patterns / sizeof patterns[0]; p++) {
            if (strcmp(calls[i].name, "DelayExecution") == 0 && patterns[p].value == 0x7FFE0000)
                continue;
            U v = patterns[p].value;
            for (int route = 0; route < 2; route++) {
                probe_number = number;
                nt12 fn = route ? (nt12)(void *)stub : (nt12)(void *)probe_stub;
                LONG st = fn(v, v, v, v, v, v, v, v, v, v, v, v);
                probed++;
                if (st >= 0) {
                    printf("%s (%s, %s): 0x%08lX, not an error\n", name, patterns[p].name,
                           route ? "export" : "syscall", (unsigned long)st);
                    bad = 1;
                }
            }
        }
        if (bad)
            failed++;
        else
            printf("%s: fails\n", name);
    }
    printf("%u calls made, %u NT functions let garbage through\n", probed, failed);
    return failed != 0;
}
