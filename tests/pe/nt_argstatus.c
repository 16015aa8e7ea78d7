/* nt_argstatus: the status Windows returns for each NT call of ntrun's table (ntemu/syscall.c)
 * given one bad argument among good ones (pe.nt_badargs puts garbage in every argument at once
 * and checks only that each call fails without taking the process down). Each probe makes
 * exactly one thing wrong, so the order in which Windows checks does not decide the answer:
 *   - a pointer the kernel must read or write that is unmapped (0x1000), in kernel space or the
 *     read-only KUSER_SHARED_DATA page: STATUS_ACCESS_VIOLATION (the kernel's probe);
 *   - a handle that was closed, or a garbage value: STATUS_INVALID_HANDLE;
 *   - a real handle of the wrong type (an event given to NtReadFile, a file to NtSetEvent, a
 *     thread to NtTerminateProcess, a mutant to NtQueryEvent, an event as the root directory of
 *     a file or key name...): STATUS_OBJECT_TYPE_MISMATCH;
 *   - a length too short for the class: STATUS_INFO_LENGTH_MISMATCH (query/set of fixed-size
 *     classes) or STATUS_BUFFER_TOO_SMALL (tokens, registry: variable-size answers), an unknown
 *     class (STATUS_INVALID_INFO_CLASS), a bad protection (STATUS_INVALID_PAGE_PROTECTION),
 *     out-of-range parameters (STATUS_INVALID_PARAMETER[_N]), and the calls' own refusals
 *     (STATUS_MUTANT_NOT_OWNED, STATUS_SEMAPHORE_LIMIT_EXCEEDED, STATUS_NOT_MAPPED_VIEW,
 *     STATUS_NO_TOKEN, STATUS_PRIVILEGE_NOT_HELD for the hive calls of a standard user...).
 * Every probe is made twice, through ntdll's export and by the program's own `syscall` (the
 * number read from ntdll's stub), and both must agree. Then the same wrong-type cases through
 * kernel32, where Windows documents ERROR_INVALID_HANDLE (CreateEvent with the name of a mutex,
 * TerminateJobObject given a thread...). The expected file is Windows' answer for each probe;
 * a different status prints "got X, Windows: Y".
 * The calls without arguments (NtYieldExecution, NtTestAlert, NtGetCurrentProcessorNumber)
 * are not probed.
 * Known differences of ntrun (the "known" lines of the expected file, not counted as failures):
 * none left (the last five, NtFlushVirtualMemory given an event as the process and the
 * parameter numbers of NtAllocate/NtFreeVirtualMemory and NtMapViewOfSection, answer as Windows
 * since 7 December 2026).
 * Wine 8.0 (`wine64 nt_argstatus.exe export`: ntdll's exports only, as a program's own `syscall`
 * reaches Linux under Wine) differs from Windows on 88 of the 421 probes it can run, and never
 * returns from 4 (an unmapped mask for NtQueryDirectoryFile, unmapped buffers for NtQueryValueKey,
 * NtQueryKey and NtQueryInformationToken: "wine client error: read: Bad address"). Its
 * differences: no NtLockFile/NtUnlockFile (STATUS_NOT_IMPLEMENTED), nor
 * NtSetInformationThread(ThreadPriority) or NtSetInformationToken (success for any handle); a
 * RootDirectory that is an event is STATUS_OBJECT_NAME_NOT_FOUND or STATUS_BAD_DEVICE_TYPE
 * instead of STATUS_OBJECT_TYPE_MISMATCH; a kernel-space buffer for NtWriteFile is
 * STATUS_INVALID_USER_BUFFER, a kernel address for NtWriteVirtualMemory STATUS_ACCESS_DENIED;
 * an event handle of the wrong type is used for NtReadFile/NtWriteFile (success) and
 * NtCancelIoFile(Ex);
 * outputs are written after the work, not probed first (NtReleaseSemaphore, NtRemoveIoCompletion
 * (Ex), NtOpenThread); no check of OBJECT_ATTRIBUTES.Length, of NtWaitForMultipleObjects' wait
 * type, of NtMapViewOfSection's inherit disposition, of NtSetTimer's period or of
 * NtReleaseSemaphore's count; plain STATUS_INVALID_PARAMETER for the numbered ones; the hive
 * calls (NtLoadKey*, NtRestoreKey, NtReplaceKey) do not ask for the privileges;
 * NtNotifyChangeDirectoryFile probes neither the I/O status block nor the buffer and checks no
 * access (STATUS_PENDING, even on a synchronous handle), takes a file as a wrong type
 * (STATUS_OBJECT_TYPE_MISMATCH), and has no Ex form;
 * STATUS_NOT_IMPLEMENTED for unknown classes where Windows says STATUS_INVALID_INFO_CLASS; a
 * few lengths (NtSetInformationObject STATUS_INVALID_BUFFER_SIZE, NtQueryVolumeInformationFile
 * STATUS_BUFFER_TOO_SMALL, NtEnumerateValueKey STATUS_BUFFER_OVERFLOW, NtQueryInformationThread
 * success in 4 bytes). */
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <wchar.h>
#include <windows.h>
#include <winternl.h>
#ifndef OBJ_CASE_INSENSITIVE
#define OBJ_CASE_INSENSITIVE 0x40
#endif

typedef ULONG_PTR U;
typedef LONG(NTAPI *nt12)(U, U, U, U, U, U, U, U, U, U, U, U, U, U);

volatile DWORD probe_number;
/* An ntdll-shaped stub whose number is read each time (the rewriter keeps the RIP-relative load). */
__asm__(".text\n"
        ".p2align 4\n"
        ".globl probe_stub2\n"
        "probe_stub2:\n"
        "    mov %rcx, %r10\n"
        "    mov probe_number(%rip), %eax\n"
        "    syscall\n"
        "    ret\n");
extern char probe_stub2[];

/* Arguments that stand for something made at run time: 0xEE in the top byte, then an index. */
#define T(n) (0xEE00000000000000ull | (n))
enum {
    BAD = 1,  /* 0x1000: never mapped */
    KPTR,     /* a kernel-space address */
    RO,       /* the read-only KUSER_SHARED_DATA page */
    CLOSED,   /* a handle value that was closed */
    GARB,     /* 0x12345678: never a handle */
    EV, EV2, FILEH, DIRH, THREAD, SEC, KEY, TOKEN, IOCP, TIMER, MUTEX, SEM, PACKET,
    IOSB,     /* an IO_STATUS_BLOCK */
    BUF,      /* 4 KiB, writable, zeroed */
    OUTP,     /* 8 writable bytes, zeroed (an output handle, a count) */
    OUTP2,
    LI0,      /* a LARGE_INTEGER 0 (an offset, a zero timeout) */
    LI16,     /* a LARGE_INTEGER 16 (a lock length) */
    PBASE,    /* a PVOID* holding NULL */
    PSIZE_,   /* a SIZE_T* holding 4096 */
    PFREED,   /* a PVOID* holding the address of a released region */
    PMYBUF,   /* a PVOID* holding PRIV's address */
    PRIV,     /* a committed private region (VirtualAlloc) */
    FREED,    /* the released region's address */
    OA_FILE, OA_MISSING, OA_OBJMISSING, OA_NONAME, OA_BADLEN, OA_BADNAME, OA_BADBUF,
    OA_ROOT_EV, OA_ROOT_CLOSED, OA_SUBKEY, OA_PIPE,
    US_MISSING, US_VALUE, US_BADBUF, US_MASK,
    CID_SELF, CID_BOGUS,
    CTX,      /* a CONTEXT with ContextFlags = CONTROL */
    HARR_CLOSED, /* an array of one closed handle */
    HARR_EV,
    FN,       /* a function that returns */
    INT1,     /* a DWORD 1 (handle flags, a priority class...) */
    LI_NEG,   /* a relative timeout of 1 ms */
    DIRNOLIST, /* the directory opened for its attributes only (no FILE_LIST_DIRECTORY) */
    BUFODD,   /* BUF + 2: not aligned to a ULONG */
};

static HANDLE ev, ev2, fileh, dirh, dirnolist, thread, sec, key, token, iocp, timer, mutex, sem, packet;
static HANDLE closed_handle;
static void *freed, *priv;
static unsigned char buf[4096] __attribute__((aligned(16)));
static U out, out2;
static IO_STATUS_BLOCK iosb;
static LARGE_INTEGER li0, li16, lineg;
static PVOID pbase, pfreed, pmybuf;
static SIZE_T psize;
static DWORD int1;
static HANDLE harr[1];
static CONTEXT ctx __attribute__((aligned(16)));

typedef struct { USHORT Length, MaximumLength; PWSTR Buffer; } US;
typedef struct {
    ULONG Length;
    HANDLE RootDirectory;
    US *ObjectName;
    ULONG Attributes;
    PVOID SecurityDescriptor, SecurityQualityOfService;
} OA;
typedef struct { HANDLE UniqueProcess, UniqueThread; } CID;
static WCHAR file_path[MAX_PATH + 8], missing_path[MAX_PATH + 8];
static US us_file, us_missing, us_objmissing, us_badbuf, us_x, us_sub, us_value, us_mask,
    us_pipe, us_missval;
static OA oa;
static CID cid;

static void us_set(US *u, const WCHAR *s)
{
    u->Buffer = (PWSTR)s;
    u->Length = (USHORT)(wcslen(s) * 2);
    u->MaximumLength = u->Length + 2;
}
static U oa_make(HANDLE root, US *name)
{
    memset(&oa, 0, sizeof oa);
    oa.Length = sizeof oa;
    oa.RootDirectory = root;
    oa.ObjectName = name;
    oa.Attributes = OBJ_CASE_INSENSITIVE;
    return (U)&oa;
}

static DWORD WINAPI idle_thread(void *arg)
{
    WaitForSingleObject((HANDLE)arg, INFINITE);
    return 0;
}
static void NTAPI nothing(void) {}

static U resolve(U v)
{
    if ((v >> 56) != 0xEE)
        return v;
    switch ((int)(v & 0xFFFF)) {
    case BAD: return 0x1000;
    case KPTR: return 0xFFFF800000001000ull;
    case RO: return 0x7FFE0000;
    case CLOSED: /* closed just now: nothing was given its value since */
        closed_handle = CreateEventW(NULL, TRUE, FALSE, NULL);
        CloseHandle(closed_handle);
        return (U)closed_handle;
    case GARB: return 0x12345678;
    case EV: return (U)ev;
    case EV2: return (U)ev2;
    case FILEH: return (U)fileh;
    case DIRH: return (U)dirh;
    case THREAD: return (U)thread;
    case SEC: return (U)sec;
    case KEY: return (U)key;
    case TOKEN: return (U)token;
    case IOCP: return (U)iocp;
    case TIMER: return (U)timer;
    case MUTEX: return (U)mutex;
    case SEM: return (U)sem;
    case PACKET: return (U)packet;
    case IOSB: memset(&iosb, 0, sizeof iosb); return (U)&iosb;
    case BUF: memset(buf, 0, sizeof buf); return (U)buf;
    case OUTP: out = 0; return (U)&out;
    case OUTP2: out2 = 0; return (U)&out2;
    case LI0: li0.QuadPart = 0; return (U)&li0;
    case LI16: li16.QuadPart = 16; return (U)&li16;
    case LI_NEG: lineg.QuadPart = -10000; return (U)&lineg;
    case PBASE: pbase = NULL; return (U)&pbase;
    case PSIZE_: psize = 4096; return (U)&psize;
    case PFREED: pfreed = freed; return (U)&pfreed;
    case PMYBUF: pmybuf = priv; return (U)&pmybuf;
    case PRIV: return (U)priv;
    case FREED: return (U)freed;
    case OA_FILE: return oa_make(NULL, &us_file);
    case OA_MISSING: return oa_make(NULL, &us_missing);
    case OA_OBJMISSING: return oa_make(NULL, &us_objmissing);
    case OA_NONAME: return oa_make(NULL, NULL);
    case OA_BADLEN: oa_make(NULL, &us_missing); oa.Length = 0; return (U)&oa;
    case OA_BADNAME: oa_make(NULL, NULL); oa.ObjectName = (US *)0x1000; return (U)&oa;
    case OA_BADBUF: return oa_make(NULL, &us_badbuf);
    case OA_ROOT_EV: return oa_make(ev, &us_x);
    case OA_ROOT_CLOSED: resolve(T(CLOSED)); return oa_make(closed_handle, &us_x);
    case OA_SUBKEY: return oa_make(key, &us_sub);
    case OA_PIPE: return oa_make(NULL, &us_pipe);
    case US_MISSING: return (U)&us_missval;
    case US_VALUE: return (U)&us_value;
    case US_BADBUF: return (U)&us_badbuf;
    case US_MASK: return (U)&us_mask;
    case CID_SELF:
        cid.UniqueProcess = NULL;
        cid.UniqueThread = (HANDLE)(U)GetCurrentThreadId();
        return (U)&cid;
    case CID_BOGUS:
        cid.UniqueProcess = NULL;
        cid.UniqueThread = (HANDLE)(U)0x7FFFFFF0;
        return (U)&cid;
    case CTX: memset(&ctx, 0, sizeof ctx); ctx.ContextFlags = CONTEXT_CONTROL; return (U)&ctx;
    case HARR_CLOSED: harr[0] = (HANDLE)resolve(T(CLOSED)); return (U)harr;
    case HARR_EV: harr[0] = ev; return (U)harr;
    case FN: return (U)(void *)nothing;
    case INT1: int1 = 1; return (U)&int1;
    case DIRNOLIST: return (U)dirnolist;
    case BUFODD: memset(buf, 0, sizeof buf); return (U)(buf + 2);
    }
    return v;
}

#define AV 0xC0000005L
#define INVALID_HANDLE 0xC0000008L
#define MISMATCH 0xC0000024L
#define LENGTH 0xC0000004L
#define TOO_SMALL 0xC0000023L
#define BUF_OVERFLOW 0x80000005L
#define INVALID_PARAMETER 0xC000000DL
#define PARAM(n) (0xC00000EEL + (n)) /* STATUS_INVALID_PARAMETER_n */
#define INFO_CLASS 0xC0000003L
#define PAGE_PROT 0xC0000045L
#define NOT_FOUND_NAME 0xC0000034L
#define NAME_INVALID 0xC0000033L
#define INVALID_CID 0xC000000BL
#define NOT_OWNED 0xC0000046L
#define SEM_LIMIT 0xC0000047L
#define NO_MORE 0x8000001AL
#define NO_TOKEN 0xC000007CL
#define PRIVILEGE 0xC0000061L
#define NOT_MAPPED 0xC0000019L
#define NOT_ALLOCATED 0xC00000A0L
#define CONFLICTING 0xC0000018L
#define NOT_LOCKED 0xC000007EL
#define NOT_FOUND 0xC0000225L
#define MIX 0xC0000030L
#define PARTIAL_COPY 0x8000000DL
#define UNABLE_TO_DELETE 0xC000001BL
#define MISALIGNED 0x80000002L
#define DENIED 0xC0000022L

static const struct { LONG st; const char *name; } status_names[] = {
    {AV, "STATUS_ACCESS_VIOLATION"}, {INVALID_HANDLE, "STATUS_INVALID_HANDLE"},
    {MISMATCH, "STATUS_OBJECT_TYPE_MISMATCH"}, {LENGTH, "STATUS_INFO_LENGTH_MISMATCH"},
    {TOO_SMALL, "STATUS_BUFFER_TOO_SMALL"}, {BUF_OVERFLOW, "STATUS_BUFFER_OVERFLOW"},
    {INVALID_PARAMETER, "STATUS_INVALID_PARAMETER"}, {PARAM(1), "STATUS_INVALID_PARAMETER_1"},
    {PARAM(2), "STATUS_INVALID_PARAMETER_2"}, {PARAM(3), "STATUS_INVALID_PARAMETER_3"},
    {PARAM(4), "STATUS_INVALID_PARAMETER_4"}, {PARAM(5), "STATUS_INVALID_PARAMETER_5"},
    {PARAM(6), "STATUS_INVALID_PARAMETER_6"}, {PARAM(7), "STATUS_INVALID_PARAMETER_7"},
    {PARAM(8), "STATUS_INVALID_PARAMETER_8"}, {PARAM(9), "STATUS_INVALID_PARAMETER_9"},
    {PARAM(10), "STATUS_INVALID_PARAMETER_10"},
    {INFO_CLASS, "STATUS_INVALID_INFO_CLASS"}, {PAGE_PROT, "STATUS_INVALID_PAGE_PROTECTION"},
    {NOT_FOUND_NAME, "STATUS_OBJECT_NAME_NOT_FOUND"}, {NAME_INVALID, "STATUS_OBJECT_NAME_INVALID"},
    {INVALID_CID, "STATUS_INVALID_CID"}, {NOT_OWNED, "STATUS_MUTANT_NOT_OWNED"},
    {SEM_LIMIT, "STATUS_SEMAPHORE_LIMIT_EXCEEDED"}, {NO_MORE, "STATUS_NO_MORE_ENTRIES"},
    {NO_TOKEN, "STATUS_NO_TOKEN"}, {PRIVILEGE, "STATUS_PRIVILEGE_NOT_HELD"},
    {NOT_MAPPED, "STATUS_NOT_MAPPED_VIEW"}, {NOT_ALLOCATED, "STATUS_MEMORY_NOT_ALLOCATED"},
    {CONFLICTING, "STATUS_CONFLICTING_ADDRESSES"}, {NOT_LOCKED, "STATUS_RANGE_NOT_LOCKED"},
    {NOT_FOUND, "STATUS_NOT_FOUND"}, {MIX, "STATUS_INVALID_PARAMETER_MIX"},
    {PARTIAL_COPY, "STATUS_PARTIAL_COPY"}, {UNABLE_TO_DELETE, "STATUS_UNABLE_TO_DELETE_SECTION"},
    {MISALIGNED, "STATUS_DATATYPE_MISALIGNMENT"}, {DENIED, "STATUS_ACCESS_DENIED"},
    {0, "STATUS_SUCCESS"},
};
static const char *status_name(LONG st)
{
    static char other[16];
    for (size_t i = 0; i < sizeof status_names / sizeof status_names[0]; i++)
        if (status_names[i].st == st)
            return status_names[i].name;
    snprintf(other, sizeof other, "0x%08lX", (unsigned long)st);
    return other;
}

/* Access masks and flags used below. */
#define RD (FILE_READ_DATA | SYNCHRONIZE)
#define ALL 0x1F0003
#define SYNC_NONALERT 0x20 /* FILE_SYNCHRONOUS_IO_NONALERT */

typedef struct {
    const char *call, *what;
    U a[14];
    LONG expect;
    int wine_hangs; /* skipped in "export" mode: Wine 8.0 never returns from it */
    int known;      /* ntrun's known difference, left to the cross-process memory work */
} probe;

static const probe probes[] = {
    /* Objects and handles */
    {"Close", "a closed handle", {T(CLOSED)}, INVALID_HANDLE},
    {"Close", "a garbage handle", {T(GARB)}, INVALID_HANDLE},
    {"QueryObject", "a closed handle", {T(CLOSED), 0, T(BUF), 56, 0}, INVALID_HANDLE},
    {"QueryObject", "basic information in 8 bytes", {T(EV), 0, T(BUF), 8, 0}, LENGTH},
    {"QueryObject", "basic information to an unmapped buffer", {T(EV), 0, T(BAD), 56, 0}, AV},
    {"QueryObject", "return length unmapped", {T(EV), 0, T(BUF), 56, T(BAD)}, AV},
    {"QueryObject", "class 99", {T(EV), 99, T(BUF), 256, 0}, INFO_CLASS},
    {"SetInformationObject", "a closed handle", {T(CLOSED), 4, T(INT1), 2}, INVALID_HANDLE},
    {"SetInformationObject", "handle flags in 1 byte", {T(EV), 4, T(INT1), 1}, LENGTH},
    {"SetInformationObject", "handle flags from an unmapped buffer", {T(EV), 4, T(BAD), 2}, AV},

    /* Files */
    {"CreateFile", "a name that does not exist",
     {T(OUTP), RD, T(OA_MISSING), T(IOSB), 0, 0, 7, 1, SYNC_NONALERT, 0, 0}, NOT_FOUND_NAME},
    {"CreateFile", "the handle to an unmapped address",
     {T(BAD), RD, T(OA_FILE), T(IOSB), 0, 0, 7, 1, SYNC_NONALERT, 0, 0}, AV},
    {"CreateFile", "the handle to the read-only page",
     {T(RO), RD, T(OA_FILE), T(IOSB), 0, 0, 7, 1, SYNC_NONALERT, 0, 0}, AV},
    {"CreateFile", "the I/O status block unmapped",
     {T(OUTP), RD, T(OA_FILE), T(BAD), 0, 0, 7, 1, SYNC_NONALERT, 0, 0}, AV},
    {"CreateFile", "OBJECT_ATTRIBUTES unmapped",
     {T(OUTP), RD, T(BAD), T(IOSB), 0, 0, 7, 1, SYNC_NONALERT, 0, 0}, AV},
    {"CreateFile", "OBJECT_ATTRIBUTES.Length 0",
     {T(OUTP), RD, T(OA_BADLEN), T(IOSB), 0, 0, 7, 1, SYNC_NONALERT, 0, 0}, INVALID_PARAMETER},
    {"CreateFile", "ObjectName unmapped",
     {T(OUTP), RD, T(OA_BADNAME), T(IOSB), 0, 0, 7, 1, SYNC_NONALERT, 0, 0}, AV},
    {"CreateFile", "the name's characters unmapped",
     {T(OUTP), RD, T(OA_BADBUF), T(IOSB), 0, 0, 7, 1, SYNC_NONALERT, 0, 0}, AV},
    {"CreateFile", "an event as the root directory",
     {T(OUTP), RD, T(OA_ROOT_EV), T(IOSB), 0, 0, 7, 1, SYNC_NONALERT, 0, 0}, MISMATCH},
    {"CreateFile", "a closed root directory",
     {T(OUTP), RD, T(OA_ROOT_CLOSED), T(IOSB), 0, 0, 7, 1, SYNC_NONALERT, 0, 0}, INVALID_HANDLE},
    {"CreateFile", "disposition 6",
     {T(OUTP), RD, T(OA_FILE), T(IOSB), 0, 0, 7, 6, SYNC_NONALERT, 0, 0}, INVALID_PARAMETER},
    {"OpenFile", "a name that does not exist",
     {T(OUTP), RD, T(OA_MISSING), T(IOSB), 7, SYNC_NONALERT}, NOT_FOUND_NAME},
    {"OpenFile", "the handle to an unmapped address",
     {T(BAD), RD, T(OA_FILE), T(IOSB), 7, SYNC_NONALERT}, AV},
    {"OpenFile", "an event as the root directory",
     {T(OUTP), RD, T(OA_ROOT_EV), T(IOSB), 7, SYNC_NONALERT}, MISMATCH},
    {"OpenFile", "a closed root directory",
     {T(OUTP), RD, T(OA_ROOT_CLOSED), T(IOSB), 7, SYNC_NONALERT}, INVALID_HANDLE},
    {"ReadFile", "a closed handle", {T(CLOSED), 0, 0, 0, T(IOSB), T(BUF), 16, T(LI0), 0}, INVALID_HANDLE},
    {"ReadFile", "an event as the file", {T(EV), 0, 0, 0, T(IOSB), T(BUF), 16, T(LI0), 0}, MISMATCH},
    {"ReadFile", "a registry key as the file", {T(KEY), 0, 0, 0, T(IOSB), T(BUF), 16, T(LI0), 0}, MISMATCH},
    {"ReadFile", "a file as the event", {T(FILEH), T(FILEH), 0, 0, T(IOSB), T(BUF), 16, T(LI0), 0}, MISMATCH},
    {"ReadFile", "the I/O status block unmapped", {T(FILEH), 0, 0, 0, T(BAD), T(BUF), 16, T(LI0), 0}, AV},
    {"ReadFile", "the buffer unmapped", {T(FILEH), 0, 0, 0, T(IOSB), T(BAD), 16, T(LI0), 0}, AV},
    {"ReadFile", "the buffer in kernel space", {T(FILEH), 0, 0, 0, T(IOSB), T(KPTR), 16, T(LI0), 0}, AV},
    {"ReadFile", "the buffer read-only", {T(FILEH), 0, 0, 0, T(IOSB), T(RO), 16, T(LI0), 0}, AV},
    {"ReadFile", "the offset unmapped", {T(FILEH), 0, 0, 0, T(IOSB), T(BUF), 16, T(BAD), 0}, AV},
    {"WriteFile", "a closed handle", {T(CLOSED), 0, 0, 0, T(IOSB), T(BUF), 16, T(LI0), 0}, INVALID_HANDLE},
    {"WriteFile", "an event as the file", {T(EV), 0, 0, 0, T(IOSB), T(BUF), 16, T(LI0), 0}, MISMATCH},
    {"WriteFile", "a semaphore as the event", {T(FILEH), T(SEM), 0, 0, T(IOSB), T(BUF), 16, T(LI0), 0}, MISMATCH},
    {"WriteFile", "the I/O status block unmapped", {T(FILEH), 0, 0, 0, T(BAD), T(BUF), 16, T(LI0), 0}, AV},
    {"WriteFile", "the buffer in kernel space", {T(FILEH), 0, 0, 0, T(IOSB), T(KPTR), 16, T(LI0), 0}, AV},
    {"WriteFile", "the offset unmapped", {T(FILEH), 0, 0, 0, T(IOSB), T(BUF), 16, T(BAD), 0}, AV},
    {"QueryInformationFile", "a closed handle", {T(CLOSED), T(IOSB), T(BUF), 40, 4}, INVALID_HANDLE},
    {"QueryInformationFile", "an event as the file", {T(EV), T(IOSB), T(BUF), 40, 4}, MISMATCH},
    {"QueryInformationFile", "basic information in 4 bytes", {T(FILEH), T(IOSB), T(BUF), 4, 4}, LENGTH},
    {"QueryInformationFile", "the buffer unmapped", {T(FILEH), T(IOSB), T(BAD), 40, 4}, AV},
    {"QueryInformationFile", "the I/O status block unmapped", {T(FILEH), T(BAD), T(BUF), 40, 4}, AV},
    {"QueryInformationFile", "class 0", {T(FILEH), T(IOSB), T(BUF), 256, 0}, INFO_CLASS},
    {"QueryInformationFile", "class 200", {T(FILEH), T(IOSB), T(BUF), 256, 200}, INFO_CLASS},
    {"SetInformationFile", "a closed handle", {T(CLOSED), T(IOSB), T(BUF), 8, 14}, INVALID_HANDLE},
    {"SetInformationFile", "an event as the file", {T(EV), T(IOSB), T(BUF), 8, 14}, MISMATCH},
    {"SetInformationFile", "the position in 4 bytes", {T(FILEH), T(IOSB), T(BUF), 4, 14}, LENGTH},
    {"SetInformationFile", "the position from an unmapped buffer", {T(FILEH), T(IOSB), T(BAD), 8, 14}, AV},
    {"SetInformationFile", "class 0", {T(FILEH), T(IOSB), T(BUF), 8, 0}, INFO_CLASS},
    {"QueryDirectoryFile", "a closed handle",
     {T(CLOSED), 0, 0, 0, T(IOSB), T(BUF), 4096, 1, 1, 0, 1}, INVALID_HANDLE},
    {"QueryDirectoryFile", "an event as the directory",
     {T(EV), 0, 0, 0, T(IOSB), T(BUF), 4096, 1, 1, 0, 1}, MISMATCH},
    {"QueryDirectoryFile", "a file that is no directory",
     {T(FILEH), 0, 0, 0, T(IOSB), T(BUF), 4096, 1, 1, 0, 1}, INVALID_PARAMETER},
    {"QueryDirectoryFile", "directory information in 4 bytes",
     {T(DIRH), 0, 0, 0, T(IOSB), T(BUF), 4, 1, 1, 0, 1}, LENGTH},
    {"QueryDirectoryFile", "class 99", {T(DIRH), 0, 0, 0, T(IOSB), T(BUF), 4096, 99, 1, 0, 1}, INFO_CLASS},
    {"QueryDirectoryFile", "the buffer unmapped", {T(DIRH), 0, 0, 0, T(IOSB), T(BAD), 4096, 1, 1, 0, 1}, AV},
    {"QueryDirectoryFile", "the mask unmapped", {T(DIRH), 0, 0, 0, T(IOSB), T(BUF), 4096, 1, 1, T(BAD), 1}, AV, 1},
    {"QueryDirectoryFileEx", "a closed handle",
     {T(CLOSED), 0, 0, 0, T(IOSB), T(BUF), 4096, 1, 1, 0}, INVALID_HANDLE},
    {"QueryDirectoryFileEx", "an event as the directory",
     {T(EV), 0, 0, 0, T(IOSB), T(BUF), 4096, 1, 1, 0}, MISMATCH},
    {"QueryDirectoryFileEx", "directory information in 4 bytes",
     {T(DIRH), 0, 0, 0, T(IOSB), T(BUF), 4, 1, 1, 0}, LENGTH},
    {"QueryDirectoryFileEx", "class 99", {T(DIRH), 0, 0, 0, T(IOSB), T(BUF), 4096, 99, 1, 0}, INFO_CLASS},
    /* Directory change notifications (the directory handle is synchronous: a probe that
     * succeeded by mistake would wait for a change; none may). The I/O manager probes the
     * I/O status block and the buffer (ULONG-aligned, writable) before it looks at the
     * filter, then the handle (type, FILE_LIST_DIRECTORY access), then the event; the file
     * system refuses a file that is no directory. Filter 1: FILE_NOTIFY_CHANGE_FILE_NAME. */
    {"NotifyChangeDirectoryFile", "a closed handle",
     {T(CLOSED), 0, 0, 0, T(IOSB), T(BUF), 4096, 1, 0}, INVALID_HANDLE},
    {"NotifyChangeDirectoryFile", "a garbage handle",
     {T(GARB), 0, 0, 0, T(IOSB), T(BUF), 4096, 1, 0}, INVALID_HANDLE},
    {"NotifyChangeDirectoryFile", "an event as the directory",
     {T(EV), 0, 0, 0, T(IOSB), T(BUF), 4096, 1, 0}, MISMATCH},
    {"NotifyChangeDirectoryFile", "a registry key as the directory",
     {T(KEY), 0, 0, 0, T(IOSB), T(BUF), 4096, 1, 0}, MISMATCH},
    {"NotifyChangeDirectoryFile", "a file that is no directory",
     {T(FILEH), 0, 0, 0, T(IOSB), T(BUF), 4096, 1, 0}, INVALID_PARAMETER},
    {"NotifyChangeDirectoryFile", "a directory opened without FILE_LIST_DIRECTORY",
     {T(DIRNOLIST), 0, 0, 0, T(IOSB), T(BUF), 4096, 1, 0}, DENIED},
    {"NotifyChangeDirectoryFile", "a file as the event",
     {T(DIRH), T(FILEH), 0, 0, T(IOSB), T(BUF), 4096, 1, 0}, MISMATCH},
    {"NotifyChangeDirectoryFile", "a closed event",
     {T(DIRH), T(CLOSED), 0, 0, T(IOSB), T(BUF), 4096, 1, 0}, INVALID_HANDLE},
    {"NotifyChangeDirectoryFile", "the I/O status block unmapped",
     {T(DIRH), 0, 0, 0, T(BAD), T(BUF), 4096, 1, 0}, AV},
    {"NotifyChangeDirectoryFile", "the I/O status block read-only",
     {T(DIRH), 0, 0, 0, T(RO), T(BUF), 4096, 1, 0}, AV},
    {"NotifyChangeDirectoryFile", "the buffer unmapped",
     {T(DIRH), 0, 0, 0, T(IOSB), T(BAD), 4096, 1, 0}, AV},
    {"NotifyChangeDirectoryFile", "the buffer in kernel space",
     {T(DIRH), 0, 0, 0, T(IOSB), T(KPTR), 4096, 1, 0}, AV},
    {"NotifyChangeDirectoryFile", "the buffer read-only",
     {T(DIRH), 0, 0, 0, T(IOSB), T(RO), 4096, 1, 0}, AV},
    {"NotifyChangeDirectoryFile", "the buffer's length past its end",
     {T(DIRH), 0, 0, 0, T(IOSB), T(PRIV), 8192, 1, 0}, AV},
    {"NotifyChangeDirectoryFile", "the buffer not aligned to a ULONG",
     {T(DIRH), 0, 0, 0, T(IOSB), T(BUFODD), 4000, 1, 0}, MISALIGNED},
    {"NotifyChangeDirectoryFile", "filter 0",
     {T(DIRH), 0, 0, 0, T(IOSB), T(BUF), 4096, 0, 0}, INVALID_PARAMETER},
    {"NotifyChangeDirectoryFile", "filter 0x1000 (no such change)",
     {T(DIRH), 0, 0, 0, T(IOSB), T(BUF), 4096, 0x1000, 0}, INVALID_PARAMETER},
    {"NotifyChangeDirectoryFileEx", "a closed handle",
     {T(CLOSED), 0, 0, 0, T(IOSB), T(BUF), 4096, 1, 0, 1}, INVALID_HANDLE},
    {"NotifyChangeDirectoryFileEx", "an event as the directory",
     {T(EV), 0, 0, 0, T(IOSB), T(BUF), 4096, 1, 0, 1}, MISMATCH},
    {"NotifyChangeDirectoryFileEx", "the buffer unmapped",
     {T(DIRH), 0, 0, 0, T(IOSB), T(BAD), 4096, 1, 0, 1}, AV},
    {"NotifyChangeDirectoryFileEx", "filter 0",
     {T(DIRH), 0, 0, 0, T(IOSB), T(BUF), 4096, 0, 0, 1}, INVALID_PARAMETER},
    {"FlushBuffersFile", "a closed handle", {T(CLOSED), T(IOSB)}, INVALID_HANDLE},
    {"FlushBuffersFile", "an event as the file", {T(EV), T(IOSB)}, MISMATCH},
    {"FlushBuffersFile", "the I/O status block unmapped", {T(FILEH), T(BAD)}, AV},
    {"FlushBuffersFileEx", "a closed handle", {T(CLOSED), 0, 0, 0, T(IOSB)}, INVALID_HANDLE},
    {"FlushBuffersFileEx", "an event as the file", {T(EV), 0, 0, 0, T(IOSB)}, MISMATCH},
    {"LockFile", "a closed handle", {T(CLOSED), 0, 0, 0, T(IOSB), T(LI0), T(LI16), 0, 1, 1}, INVALID_HANDLE},
    {"LockFile", "an event as the file", {T(EV), 0, 0, 0, T(IOSB), T(LI0), T(LI16), 0, 1, 1}, MISMATCH},
    {"LockFile", "the offset unmapped", {T(FILEH), 0, 0, 0, T(IOSB), T(BAD), T(LI16), 0, 1, 1}, AV},
    {"LockFile", "the length unmapped", {T(FILEH), 0, 0, 0, T(IOSB), T(LI0), T(BAD), 0, 1, 1}, AV},
    {"LockFile", "the I/O status block unmapped", {T(FILEH), 0, 0, 0, T(BAD), T(LI0), T(LI16), 0, 1, 1}, AV},
    {"UnlockFile", "a closed handle", {T(CLOSED), T(IOSB), T(LI0), T(LI16), 0}, INVALID_HANDLE},
    {"UnlockFile", "an event as the file", {T(EV), T(IOSB), T(LI0), T(LI16), 0}, MISMATCH},
    {"UnlockFile", "a range not locked", {T(FILEH), T(IOSB), T(LI0), T(LI16), 0}, NOT_LOCKED},
    {"UnlockFile", "the offset unmapped", {T(FILEH), T(IOSB), T(BAD), T(LI16), 0}, AV},
    {"DeleteFile", "a name that does not exist", {T(OA_MISSING)}, NOT_FOUND_NAME},
    {"DeleteFile", "OBJECT_ATTRIBUTES unmapped", {T(BAD)}, AV},
    {"DeleteFile", "OBJECT_ATTRIBUTES.Length 0", {T(OA_BADLEN)}, INVALID_PARAMETER},
    {"DeleteFile", "an event as the root directory", {T(OA_ROOT_EV)}, MISMATCH},
    {"QueryAttributesFile", "a name that does not exist", {T(OA_MISSING), T(BUF)}, NOT_FOUND_NAME},
    {"QueryAttributesFile", "the answer to an unmapped address", {T(OA_FILE), T(BAD)}, AV},
    {"QueryAttributesFile", "OBJECT_ATTRIBUTES unmapped", {T(BAD), T(BUF)}, AV},
    {"QueryAttributesFile", "a closed root directory", {T(OA_ROOT_CLOSED), T(BUF)}, INVALID_HANDLE},
    {"QueryFullAttributesFile", "a name that does not exist", {T(OA_MISSING), T(BUF)}, NOT_FOUND_NAME},
    {"QueryFullAttributesFile", "the answer to an unmapped address", {T(OA_FILE), T(BAD)}, AV},
    {"QueryFullAttributesFile", "an event as the root directory", {T(OA_ROOT_EV), T(BUF)}, MISMATCH},
    {"QueryVolumeInformationFile", "a closed handle", {T(CLOSED), T(IOSB), T(BUF), 8, 4}, INVALID_HANDLE},
    {"QueryVolumeInformationFile", "an event as the file", {T(EV), T(IOSB), T(BUF), 8, 4}, MISMATCH},
    {"QueryVolumeInformationFile", "device information in 4 bytes", {T(FILEH), T(IOSB), T(BUF), 4, 4}, LENGTH},
    {"QueryVolumeInformationFile", "the buffer unmapped", {T(FILEH), T(IOSB), T(BAD), 8, 4}, AV},
    {"QueryVolumeInformationFile", "class 0", {T(FILEH), T(IOSB), T(BUF), 256, 0}, INFO_CLASS},
    {"DeviceIoControlFile", "a closed handle",
     {T(CLOSED), 0, 0, 0, T(IOSB), 0x90000, 0, 0, T(BUF), 64}, INVALID_HANDLE},
    {"DeviceIoControlFile", "an event as the file",
     {T(EV), 0, 0, 0, T(IOSB), 0x90000, 0, 0, T(BUF), 64}, MISMATCH},
    {"FsControlFile", "a closed handle", {T(CLOSED), 0, 0, 0, T(IOSB), 0x90000, 0, 0, T(BUF), 64}, INVALID_HANDLE},
    {"FsControlFile", "an event as the file", {T(EV), 0, 0, 0, T(IOSB), 0x90000, 0, 0, T(BUF), 64}, MISMATCH},
    {"CreateNamedPipeFile", "the handle to an unmapped address",
     {T(BAD), GENERIC_READ | SYNCHRONIZE, T(OA_PIPE), T(IOSB), 3, 2, SYNC_NONALERT, 0, 0, 0, 1, 4096, 4096, T(LI_NEG)}, AV},
    {"CreateNamedPipeFile", "OBJECT_ATTRIBUTES unmapped",
     {T(OUTP), GENERIC_READ | SYNCHRONIZE, T(BAD), T(IOSB), 3, 2, SYNC_NONALERT, 0, 0, 0, 1, 4096, 4096, T(LI_NEG)}, AV},
    {"CreateNamedPipeFile", "message reads of a byte pipe",
     {T(OUTP), GENERIC_READ | SYNCHRONIZE, T(OA_PIPE), T(IOSB), 3, 2, SYNC_NONALERT, 0, 1, 0, 1, 4096, 4096, T(LI_NEG)}, INVALID_PARAMETER},

    /* Virtual memory and sections */
    {"AllocateVirtualMemory", "a closed process handle", {T(CLOSED), T(PBASE), 0, T(PSIZE_), MEM_RESERVE, PAGE_READWRITE}, INVALID_HANDLE},
    {"AllocateVirtualMemory", "an event as the process", {T(EV), T(PBASE), 0, T(PSIZE_), MEM_RESERVE, PAGE_READWRITE}, MISMATCH, 0, 1},
    {"AllocateVirtualMemory", "a thread as the process", {T(THREAD), T(PBASE), 0, T(PSIZE_), MEM_RESERVE, PAGE_READWRITE}, MISMATCH, 0, 1},
    {"AllocateVirtualMemory", "the base unmapped", {(U)-1, T(BAD), 0, T(PSIZE_), MEM_RESERVE, PAGE_READWRITE}, AV},
    {"AllocateVirtualMemory", "the size unmapped", {(U)-1, T(PBASE), 0, T(BAD), MEM_RESERVE, PAGE_READWRITE}, AV},
    {"AllocateVirtualMemory", "protection 0x12345", {(U)-1, T(PBASE), 0, T(PSIZE_), MEM_RESERVE, 0x12345}, PAGE_PROT},
    {"AllocateVirtualMemory", "allocation type 0", {(U)-1, T(PBASE), 0, T(PSIZE_), 0, PAGE_READWRITE}, PARAM(5), 0, 1},
    {"FreeVirtualMemory", "a closed process handle", {T(CLOSED), T(PFREED), T(PSIZE_), MEM_DECOMMIT}, INVALID_HANDLE},
    {"FreeVirtualMemory", "an event as the process", {T(EV), T(PFREED), T(PSIZE_), MEM_DECOMMIT}, MISMATCH, 0, 1},
    {"FreeVirtualMemory", "the base unmapped", {(U)-1, T(BAD), T(PSIZE_), MEM_DECOMMIT}, AV},
    {"FreeVirtualMemory", "the size unmapped", {(U)-1, T(PFREED), T(BAD), MEM_DECOMMIT}, AV},
    {"FreeVirtualMemory", "free type 0", {(U)-1, T(PFREED), T(PSIZE_), 0}, PARAM(4), 0, 1},
    {"FreeVirtualMemory", "release and decommit at once", {(U)-1, T(PFREED), T(PSIZE_), MEM_RELEASE | MEM_DECOMMIT}, PARAM(4), 0, 1},
    {"ProtectVirtualMemory", "a closed process handle", {T(CLOSED), T(PMYBUF), T(PSIZE_), PAGE_READWRITE, T(OUTP)}, INVALID_HANDLE},
    {"ProtectVirtualMemory", "an event as the process", {T(EV), T(PMYBUF), T(PSIZE_), PAGE_READWRITE, T(OUTP)}, MISMATCH, 0, 1},
    {"ProtectVirtualMemory", "the base unmapped", {(U)-1, T(BAD), T(PSIZE_), PAGE_READWRITE, T(OUTP)}, AV},
    {"ProtectVirtualMemory", "the old protection unmapped", {(U)-1, T(PMYBUF), T(PSIZE_), PAGE_READWRITE, T(BAD)}, AV},
    {"ProtectVirtualMemory", "protection 0x12345", {(U)-1, T(PMYBUF), T(PSIZE_), 0x12345, T(OUTP)}, PAGE_PROT},
    {"QueryVirtualMemory", "a closed process handle", {T(CLOSED), T(BUF), 0, T(BUF), 48, 0}, INVALID_HANDLE},
    {"QueryVirtualMemory", "an event as the process", {T(EV), T(BUF), 0, T(BUF), 48, 0}, MISMATCH, 0, 1},
    {"QueryVirtualMemory", "basic information in 8 bytes", {(U)-1, T(BUF), 0, T(BUF), 8, 0}, LENGTH},
    {"QueryVirtualMemory", "the buffer unmapped", {(U)-1, T(BUF), 0, T(BAD), 48, 0}, AV},
    {"QueryVirtualMemory", "the return length unmapped", {(U)-1, T(BUF), 0, T(BUF), 48, T(BAD)}, AV},
    {"QueryVirtualMemory", "a kernel address", {(U)-1, T(KPTR), 0, T(BUF), 48, 0}, INVALID_PARAMETER},
    {"QueryVirtualMemory", "class 99", {(U)-1, T(BUF), 99, T(BUF), 48, 0}, INFO_CLASS},
    {"ReadVirtualMemory", "a closed process handle", {T(CLOSED), T(BUF), T(BUF), 16, 0}, INVALID_HANDLE},
    {"ReadVirtualMemory", "an event as the process", {T(EV), T(BUF), T(BUF), 16, 0}, MISMATCH, 0, 1},
    {"ReadVirtualMemory", "a kernel address", {(U)-1, T(KPTR), T(BUF), 16, 0}, AV},
    {"ReadVirtualMemory", "the count unmapped", {(U)-1, T(BUF), T(BUF), 16, T(BAD)}, AV},
    {"WriteVirtualMemory", "a closed process handle", {T(CLOSED), T(BUF), T(BUF), 16, 0}, INVALID_HANDLE},
    {"WriteVirtualMemory", "an event as the process", {T(EV), T(BUF), T(BUF), 16, 0}, MISMATCH, 0, 1},
    {"WriteVirtualMemory", "a kernel address", {(U)-1, T(KPTR), T(BUF), 16, 0}, AV},
    {"CreateSection", "the handle to an unmapped address", {T(BAD), ALL, 0, T(LI16), PAGE_READWRITE, SEC_COMMIT, 0}, AV},
    {"CreateSection", "the size unmapped", {T(OUTP), ALL, 0, T(BAD), PAGE_READWRITE, SEC_COMMIT, 0}, AV},
    {"CreateSection", "protection 0x12345", {T(OUTP), ALL, 0, T(LI16), 0x12345, SEC_COMMIT, 0}, PAGE_PROT},
    {"CreateSection", "an event as the file", {T(OUTP), ALL, 0, T(LI16), PAGE_READWRITE, SEC_COMMIT, T(EV)}, MISMATCH},
    {"CreateSection", "a closed file handle", {T(OUTP), ALL, 0, T(LI16), PAGE_READWRITE, SEC_COMMIT, T(CLOSED)}, INVALID_HANDLE},
    {"CreateSection", "no size and no file", {T(OUTP), ALL, 0, 0, PAGE_READWRITE, SEC_COMMIT, 0}, PARAM(4)},
    {"OpenSection", "a name that does not exist", {T(OUTP), ALL, T(OA_OBJMISSING)}, NOT_FOUND_NAME},
    {"OpenSection", "the handle to an unmapped address", {T(BAD), ALL, T(OA_OBJMISSING)}, AV},
    {"OpenSection", "OBJECT_ATTRIBUTES unmapped", {T(OUTP), ALL, T(BAD)}, AV},
    {"MapViewOfSection", "a closed section handle",
     {T(CLOSED), (U)-1, T(PBASE), 0, 0, 0, T(PSIZE_), 2, 0, PAGE_READWRITE}, INVALID_HANDLE},
    {"MapViewOfSection", "an event as the section",
     {T(EV), (U)-1, T(PBASE), 0, 0, 0, T(PSIZE_), 2, 0, PAGE_READWRITE}, MISMATCH},
    {"MapViewOfSection", "an event as the process",
     {T(SEC), T(EV), T(PBASE), 0, 0, 0, T(PSIZE_), 2, 0, PAGE_READWRITE}, MISMATCH, 0, 1},
    {"MapViewOfSection", "the base unmapped",
     {T(SEC), (U)-1, T(BAD), 0, 0, 0, T(PSIZE_), 2, 0, PAGE_READWRITE}, AV},
    {"MapViewOfSection", "the view size unmapped",
     {T(SEC), (U)-1, T(PBASE), 0, 0, 0, T(BAD), 2, 0, PAGE_READWRITE}, AV},
    {"MapViewOfSection", "protection 0x12345",
     {T(SEC), (U)-1, T(PBASE), 0, 0, 0, T(PSIZE_), 2, 0, 0x12345}, PAGE_PROT},
    {"MapViewOfSection", "inherit disposition 0",
     {T(SEC), (U)-1, T(PBASE), 0, 0, 0, T(PSIZE_), 0, 0, PAGE_READWRITE}, PARAM(8), 0, 1},
    {"UnmapViewOfSection", "a closed process handle", {T(CLOSED), T(PRIV)}, INVALID_HANDLE},
    {"UnmapViewOfSection", "an event as the process", {T(EV), T(PRIV)}, MISMATCH, 0, 1},
    {"UnmapViewOfSection", "an address that is no view", {(U)-1, T(PRIV)}, NOT_MAPPED},
    {"UnmapViewOfSectionEx", "a closed process handle", {T(CLOSED), T(PRIV), 0}, INVALID_HANDLE},
    {"UnmapViewOfSectionEx", "an event as the process", {T(EV), T(PRIV), 0}, MISMATCH, 0, 1},
    {"UnmapViewOfSectionEx", "an address that is no view", {(U)-1, T(PRIV), 0}, NOT_MAPPED},
    {"QuerySection", "a closed handle", {T(CLOSED), 0, T(BUF), 24, 0}, INVALID_HANDLE},
    {"QuerySection", "an event as the section", {T(EV), 0, T(BUF), 24, 0}, MISMATCH},
    {"QuerySection", "basic information in 4 bytes", {T(SEC), 0, T(BUF), 4, 0}, LENGTH},
    {"QuerySection", "the buffer unmapped", {T(SEC), 0, T(BAD), 24, 0}, AV},
    {"ExtendSection", "a closed handle", {T(CLOSED), T(LI16)}, INVALID_HANDLE},
    {"ExtendSection", "an event as the section", {T(EV), T(LI16)}, MISMATCH},
    {"ExtendSection", "the size unmapped", {T(SEC), T(BAD)}, AV},
    {"FlushVirtualMemory", "a closed process handle", {T(CLOSED), T(PMYBUF), T(PSIZE_), T(IOSB)}, INVALID_HANDLE},
    {"FlushVirtualMemory", "an event as the process", {T(EV), T(PMYBUF), T(PSIZE_), T(IOSB)}, MISMATCH, 0, 1},
    {"FlushVirtualMemory", "the base unmapped", {(U)-1, T(BAD), T(PSIZE_), T(IOSB)}, AV},

    /* Time */
    {"QueryPerformanceCounter", "the counter unmapped", {T(BAD), 0}, AV},
    {"QueryPerformanceCounter", "the counter read-only", {T(RO), 0}, AV},
    {"QueryPerformanceCounter", "the frequency unmapped", {T(OUTP), T(BAD)}, AV},
    {"QuerySystemTime", "the time unmapped", {T(BAD)}, AV},
    {"QuerySystemTime", "the time in kernel space", {T(KPTR)}, AV},
    {"DelayExecution", "the interval unmapped", {0, T(BAD)}, AV},

    /* Events, mutants, semaphores, waits, threads */
    {"CreateEvent", "the handle to an unmapped address", {T(BAD), ALL, 0, 0, 0}, AV},
    {"CreateEvent", "OBJECT_ATTRIBUTES unmapped", {T(OUTP), ALL, T(BAD), 0, 0}, AV},
    {"OpenEvent", "a name that does not exist", {T(OUTP), ALL, T(OA_OBJMISSING)}, NOT_FOUND_NAME},
    {"OpenEvent", "the handle to an unmapped address", {T(BAD), ALL, T(OA_OBJMISSING)}, AV},
    {"OpenEvent", "a closed root directory", {T(OUTP), ALL, T(OA_ROOT_CLOSED)}, INVALID_HANDLE},
    {"OpenEvent", "an event as the root directory", {T(OUTP), ALL, T(OA_ROOT_EV)}, MISMATCH},
    {"SetEvent", "a closed handle", {T(CLOSED), 0}, INVALID_HANDLE},
    {"SetEvent", "a file as the event", {T(FILEH), 0}, MISMATCH},
    {"SetEvent", "a mutant as the event", {T(MUTEX), 0}, MISMATCH},
    {"SetEvent", "the previous state unmapped", {T(EV), T(BAD)}, AV},
    {"ResetEvent", "a closed handle", {T(CLOSED), 0}, INVALID_HANDLE},
    {"ResetEvent", "a file as the event", {T(FILEH), 0}, MISMATCH},
    {"ResetEvent", "the previous state unmapped", {T(EV), T(BAD)}, AV},
    {"PulseEvent", "a closed handle", {T(CLOSED), 0}, INVALID_HANDLE},
    {"PulseEvent", "a semaphore as the event", {T(SEM), 0}, MISMATCH},
    {"PulseEvent", "the previous state unmapped", {T(EV), T(BAD)}, AV},
    {"ClearEvent", "a closed handle", {T(CLOSED)}, INVALID_HANDLE},
    {"ClearEvent", "a timer as the event", {T(TIMER)}, MISMATCH},
    {"CreateMutant", "the handle to an unmapped address", {T(BAD), ALL, 0, 0}, AV},
    {"CreateMutant", "the name's characters unmapped", {T(OUTP), ALL, T(OA_BADBUF), 0}, AV},
    {"OpenMutant", "a name that does not exist", {T(OUTP), ALL, T(OA_OBJMISSING)}, NOT_FOUND_NAME},
    {"OpenMutant", "the handle to an unmapped address", {T(BAD), ALL, T(OA_OBJMISSING)}, AV},
    {"ReleaseMutant", "a closed handle", {T(CLOSED), 0}, INVALID_HANDLE},
    {"ReleaseMutant", "an event as the mutant", {T(EV), 0}, MISMATCH},
    {"ReleaseMutant", "a mutant not owned", {T(MUTEX), 0}, NOT_OWNED},
    {"ReleaseMutant", "the previous count unmapped", {T(MUTEX), T(BAD)}, AV},
    {"CreateSemaphore", "the handle to an unmapped address", {T(BAD), ALL, 0, 0, 1}, AV},
    {"CreateSemaphore", "initial count above the maximum", {T(OUTP), ALL, 0, 2, 1}, INVALID_PARAMETER},
    {"CreateSemaphore", "maximum 0", {T(OUTP), ALL, 0, 0, 0}, INVALID_PARAMETER},
    {"CreateSemaphore", "initial count -1", {T(OUTP), ALL, 0, (ULONG)-1, 1}, INVALID_PARAMETER},
    {"OpenSemaphore", "a name that does not exist", {T(OUTP), ALL, T(OA_OBJMISSING)}, NOT_FOUND_NAME},
    {"OpenSemaphore", "the handle to an unmapped address", {T(BAD), ALL, T(OA_OBJMISSING)}, AV},
    {"ReleaseSemaphore", "a closed handle", {T(CLOSED), 1, 0}, INVALID_HANDLE},
    {"ReleaseSemaphore", "an event as the semaphore", {T(EV), 1, 0}, MISMATCH},
    {"ReleaseSemaphore", "count 0", {T(SEM), 0, 0}, INVALID_PARAMETER},
    {"ReleaseSemaphore", "past its maximum", {T(SEM), 1, 0}, SEM_LIMIT},
    {"ReleaseSemaphore", "the previous count unmapped", {T(SEM), 1, T(BAD)}, AV},
    {"WaitForSingleObject", "a closed handle", {T(CLOSED), 0, T(LI0)}, INVALID_HANDLE},
    {"WaitForSingleObject", "a garbage handle", {T(GARB), 0, T(LI0)}, INVALID_HANDLE},
    {"WaitForSingleObject", "the timeout unmapped", {T(EV), 0, T(BAD)}, AV},
    {"WaitForMultipleObjects", "count 0", {0, T(HARR_EV), 1, 0, T(LI0)}, PARAM(1)},
    {"WaitForMultipleObjects", "count 65", {65, T(HARR_EV), 1, 0, T(LI0)}, PARAM(1)},
    {"WaitForMultipleObjects", "the handles unmapped", {1, T(BAD), 1, 0, T(LI0)}, AV},
    {"WaitForMultipleObjects", "wait type 7", {1, T(HARR_EV), 7, 0, T(LI0)}, PARAM(3)},
    {"WaitForMultipleObjects", "a closed handle in the array", {1, T(HARR_CLOSED), 1, 0, T(LI0)}, INVALID_HANDLE},
    {"WaitForMultipleObjects", "the timeout unmapped", {1, T(HARR_EV), 1, 0, T(BAD)}, AV},
    {"DuplicateObject", "a closed source handle", {(U)-1, T(CLOSED), (U)-1, T(OUTP), 0, 0, 2}, INVALID_HANDLE},
    {"DuplicateObject", "an event as the source process", {T(EV), T(EV), (U)-1, T(OUTP), 0, 0, 2}, MISMATCH},
    {"DuplicateObject", "a thread as the target process", {(U)-1, T(EV), T(THREAD), T(OUTP), 0, 0, 2}, MISMATCH},
    {"DuplicateObject", "the target handle unmapped", {(U)-1, T(EV), (U)-1, T(BAD), 0, 0, 2}, AV},
    {"CreateThreadEx", "the handle to an unmapped address",
     {T(BAD), ALL, 0, (U)-1, T(FN), 0, 1, 0, 0, 0, 0}, AV},
    {"CreateThreadEx", "an event as the process", {T(OUTP), ALL, 0, T(EV), T(FN), 0, 1, 0, 0, 0, 0}, MISMATCH},
    {"CreateThreadEx", "a closed process handle", {T(OUTP), ALL, 0, T(CLOSED), T(FN), 0, 1, 0, 0, 0, 0}, INVALID_HANDLE},
    {"TerminateThread", "a closed handle", {T(CLOSED), 0}, INVALID_HANDLE},
    {"TerminateThread", "an event as the thread", {T(EV), 0}, MISMATCH},
    {"ResumeThread", "a closed handle", {T(CLOSED), 0}, INVALID_HANDLE},
    {"ResumeThread", "an event as the thread", {T(EV), 0}, MISMATCH},
    {"ResumeThread", "the count unmapped", {T(THREAD), T(BAD)}, AV},
    {"SuspendThread", "a closed handle", {T(CLOSED), 0}, INVALID_HANDLE},
    {"SuspendThread", "an event as the thread", {T(EV), 0}, MISMATCH},
    {"SuspendThread", "the process as the thread", {(U)-1, 0}, MISMATCH},
    {"SuspendThread", "the count unmapped", {T(THREAD), T(BAD)}, AV},
    {"GetContextThread", "a closed handle", {T(CLOSED), T(CTX)}, INVALID_HANDLE},
    {"GetContextThread", "an event as the thread", {T(EV), T(CTX)}, MISMATCH},
    {"GetContextThread", "the context unmapped", {T(THREAD), T(BAD)}, AV},
    {"SetContextThread", "a closed handle", {T(CLOSED), T(CTX)}, INVALID_HANDLE},
    {"SetContextThread", "an event as the thread", {T(EV), T(CTX)}, MISMATCH},
    {"OpenThread", "a thread id that does not exist", {T(OUTP), ALL, T(OA_NONAME), T(CID_BOGUS)}, INVALID_CID},
    {"OpenThread", "the handle to an unmapped address", {T(BAD), ALL, T(OA_NONAME), T(CID_SELF)}, AV},
    {"OpenThread", "the client id unmapped", {T(OUTP), ALL, T(OA_NONAME), T(BAD)}, AV},
    {"OpenThread", "no client id and no name", {T(OUTP), ALL, T(OA_NONAME), 0}, MIX},
    {"QueryEvent", "a closed handle", {T(CLOSED), 0, T(BUF), 8, 0}, INVALID_HANDLE},
    {"QueryEvent", "a mutant as the event", {T(MUTEX), 0, T(BUF), 8, 0}, MISMATCH},
    {"QueryEvent", "basic information in 4 bytes", {T(EV), 0, T(BUF), 4, 0}, LENGTH},
    {"QueryEvent", "class 1", {T(EV), 1, T(BUF), 8, 0}, INFO_CLASS},
    {"QueryEvent", "the buffer unmapped", {T(EV), 0, T(BAD), 8, 0}, AV},
    {"QueryMutant", "a closed handle", {T(CLOSED), 0, T(BUF), 8, 0}, INVALID_HANDLE},
    {"QueryMutant", "an event as the mutant", {T(EV), 0, T(BUF), 8, 0}, MISMATCH},
    {"QueryMutant", "basic information in 4 bytes", {T(MUTEX), 0, T(BUF), 4, 0}, LENGTH},
    {"QueryMutant", "the buffer unmapped", {T(MUTEX), 0, T(BAD), 8, 0}, AV},
    {"QuerySemaphore", "a closed handle", {T(CLOSED), 0, T(BUF), 8, 0}, INVALID_HANDLE},
    {"QuerySemaphore", "an event as the semaphore", {T(EV), 0, T(BUF), 8, 0}, MISMATCH},
    {"QuerySemaphore", "basic information in 4 bytes", {T(SEM), 0, T(BUF), 4, 0}, LENGTH},
    {"QuerySemaphore", "class 1", {T(SEM), 1, T(BUF), 8, 0}, INFO_CLASS},
    {"QuerySemaphore", "the buffer unmapped", {T(SEM), 0, T(BAD), 8, 0}, AV},
    {"SignalAndWaitForSingleObject", "a closed object to signal", {T(CLOSED), T(EV), 0, T(LI0)}, INVALID_HANDLE},
    {"SignalAndWaitForSingleObject", "a file to signal", {T(FILEH), T(EV), 0, T(LI0)}, MISMATCH},
    {"SignalAndWaitForSingleObject", "a closed object to wait for", {T(EV2), T(CLOSED), 0, T(LI0)}, INVALID_HANDLE},
    {"SignalAndWaitForSingleObject", "the timeout unmapped", {T(EV2), T(EV), 0, T(BAD)}, AV},
    {"QueueApcThread", "a closed handle", {T(CLOSED), T(FN), 0, 0, 0}, INVALID_HANDLE},
    {"QueueApcThread", "an event as the thread", {T(EV), T(FN), 0, 0, 0}, MISMATCH},

    /* Timers */
    {"CreateTimer", "the handle to an unmapped address", {T(BAD), ALL, 0, 0}, AV},
    {"CreateTimer", "timer type 2", {T(OUTP), ALL, 0, 2}, PARAM(4)},
    {"OpenTimer", "a name that does not exist", {T(OUTP), ALL, T(OA_OBJMISSING)}, NOT_FOUND_NAME},
    {"OpenTimer", "the handle to an unmapped address", {T(BAD), ALL, T(OA_OBJMISSING)}, AV},
    {"SetTimer", "a closed handle", {T(CLOSED), T(LI_NEG), 0, 0, 0, 0, 0}, INVALID_HANDLE},
    {"SetTimer", "an event as the timer", {T(EV), T(LI_NEG), 0, 0, 0, 0, 0}, MISMATCH},
    {"SetTimer", "the due time unmapped", {T(TIMER), T(BAD), 0, 0, 0, 0, 0}, AV},
    {"SetTimer", "period -1", {T(TIMER), T(LI_NEG), 0, 0, 0, (ULONG)-1, 0}, PARAM(6)},
    {"SetTimer", "the previous state unmapped", {T(TIMER), T(LI_NEG), 0, 0, 0, 0, T(BAD)}, AV},
    {"CancelTimer", "a closed handle", {T(CLOSED), 0}, INVALID_HANDLE},
    {"CancelTimer", "an event as the timer", {T(EV), 0}, MISMATCH},
    {"CancelTimer", "the state unmapped", {T(TIMER), T(BAD)}, AV},
    {"QueryTimer", "a closed handle", {T(CLOSED), 0, T(BUF), 16, 0}, INVALID_HANDLE},
    {"QueryTimer", "an event as the timer", {T(EV), 0, T(BUF), 16, 0}, MISMATCH},
    {"QueryTimer", "basic information in 4 bytes", {T(TIMER), 0, T(BUF), 4, 0}, LENGTH},
    {"QueryTimer", "class 1", {T(TIMER), 1, T(BUF), 16, 0}, INFO_CLASS},
    {"QueryTimer", "the buffer unmapped", {T(TIMER), 0, T(BAD), 16, 0}, AV},

    /* Completion ports */
    {"CreateIoCompletion", "the handle to an unmapped address", {T(BAD), ALL, 0, 1}, AV},
    {"OpenIoCompletion", "a name that does not exist", {T(OUTP), ALL, T(OA_OBJMISSING)}, NOT_FOUND_NAME},
    {"OpenIoCompletion", "the handle to an unmapped address", {T(BAD), ALL, T(OA_OBJMISSING)}, AV},
    {"SetIoCompletion", "a closed handle", {T(CLOSED), 1, 2, 0, 0}, INVALID_HANDLE},
    {"SetIoCompletion", "an event as the port", {T(EV), 1, 2, 0, 0}, MISMATCH},
    {"RemoveIoCompletion", "a closed handle", {T(CLOSED), T(OUTP), T(OUTP2), T(IOSB), T(LI0)}, INVALID_HANDLE},
    {"RemoveIoCompletion", "an event as the port", {T(EV), T(OUTP), T(OUTP2), T(IOSB), T(LI0)}, MISMATCH},
    {"RemoveIoCompletion", "the key unmapped", {T(IOCP), T(BAD), T(OUTP2), T(IOSB), T(LI0)}, AV},
    {"RemoveIoCompletion", "the I/O status block unmapped", {T(IOCP), T(OUTP), T(OUTP2), T(BAD), T(LI0)}, AV},
    {"RemoveIoCompletion", "the timeout unmapped", {T(IOCP), T(OUTP), T(OUTP2), T(IOSB), T(BAD)}, AV},
    {"RemoveIoCompletion", "nothing queued", {T(IOCP), T(OUTP), T(OUTP2), T(IOSB), T(LI0)}, 0x102},
    {"RemoveIoCompletionEx", "a closed handle", {T(CLOSED), T(BUF), 1, T(OUTP), T(LI0), 0}, INVALID_HANDLE},
    {"RemoveIoCompletionEx", "an event as the port", {T(EV), T(BUF), 1, T(OUTP), T(LI0), 0}, MISMATCH},
    {"RemoveIoCompletionEx", "the entries unmapped", {T(IOCP), T(BAD), 1, T(OUTP), T(LI0), 0}, AV},
    {"RemoveIoCompletionEx", "the count unmapped", {T(IOCP), T(BUF), 1, T(BAD), T(LI0), 0}, AV},
    {"QueryIoCompletion", "a closed handle", {T(CLOSED), 0, T(BUF), 4, 0}, INVALID_HANDLE},
    {"QueryIoCompletion", "an event as the port", {T(EV), 0, T(BUF), 4, 0}, MISMATCH},
    {"QueryIoCompletion", "basic information in 2 bytes", {T(IOCP), 0, T(BUF), 2, 0}, LENGTH},
    {"QueryIoCompletion", "class 1", {T(IOCP), 1, T(BUF), 4, 0}, INFO_CLASS},
    {"QueryIoCompletion", "the buffer unmapped", {T(IOCP), 0, T(BAD), 4, 0}, AV},
    {"CancelIoFile", "a closed handle", {T(CLOSED), T(IOSB)}, INVALID_HANDLE},
    {"CancelIoFile", "an event as the file", {T(EV), T(IOSB)}, MISMATCH},
    {"CancelIoFile", "the I/O status block unmapped", {T(FILEH), T(BAD)}, AV},
    {"CancelIoFileEx", "a closed handle", {T(CLOSED), 0, T(IOSB)}, INVALID_HANDLE},
    {"CancelIoFileEx", "an event as the file", {T(EV), 0, T(IOSB)}, MISMATCH},
    {"CancelIoFileEx", "nothing pending", {T(FILEH), 0, T(IOSB)}, NOT_FOUND},
    {"CancelIoFileEx", "the I/O status block unmapped", {T(FILEH), 0, T(BAD)}, AV},
    {"CreateWaitCompletionPacket", "the handle to an unmapped address", {T(BAD), ALL, 0}, AV},
    {"AssociateWaitCompletionPacket", "a closed packet",
     {T(CLOSED), T(IOCP), T(EV), 1, 2, 0, 0, 0}, INVALID_HANDLE},
    {"AssociateWaitCompletionPacket", "an event as the packet",
     {T(EV), T(IOCP), T(EV), 1, 2, 0, 0, 0}, MISMATCH},
    {"AssociateWaitCompletionPacket", "an event as the port",
     {T(PACKET), T(EV), T(EV), 1, 2, 0, 0, 0}, MISMATCH},
    {"AssociateWaitCompletionPacket", "a closed object to wait for",
     {T(PACKET), T(IOCP), T(CLOSED), 1, 2, 0, 0, 0}, INVALID_HANDLE},
    {"CancelWaitCompletionPacket", "a closed handle", {T(CLOSED), 0}, INVALID_HANDLE},
    {"CancelWaitCompletionPacket", "an event as the packet", {T(EV), 0}, MISMATCH},

    /* Processes and system information */
    {"TerminateProcess", "a closed handle", {T(CLOSED), 0}, INVALID_HANDLE},
    {"TerminateProcess", "an event as the process", {T(EV), 0}, MISMATCH},
    {"TerminateProcess", "a thread as the process", {T(THREAD), 0}, MISMATCH},
    {"CreateUserProcess", "the process handle to an unmapped address",
     {T(BAD), T(OUTP2), ALL, ALL, 0, 0, 0, 0, 0, 0, 0}, AV},
    {"QuerySystemInformation", "basic information in 4 bytes", {0, T(BUF), 4, 0}, LENGTH},
    {"QuerySystemInformation", "basic information to an unmapped buffer", {0, T(BAD), 64, 0}, AV},
    {"QuerySystemInformation", "the process list in 64 bytes", {5, T(BUF), 64, T(OUTP)}, LENGTH},
    {"QuerySystemInformation", "the return length unmapped", {0, T(BUF), 64, T(BAD)}, AV},
    {"QuerySystemInformation", "class 0x7fff", {0x7fff, T(BUF), 4096, 0}, INFO_CLASS},
    {"QueryInformationProcess", "a closed handle", {T(CLOSED), 0, T(BUF), 48, 0}, INVALID_HANDLE},
    {"QueryInformationProcess", "an event as the process", {T(EV), 0, T(BUF), 48, 0}, MISMATCH},
    {"QueryInformationProcess", "a thread as the process", {T(THREAD), 0, T(BUF), 48, 0}, MISMATCH},
    {"QueryInformationProcess", "basic information in 4 bytes", {(U)-1, 0, T(BUF), 4, 0}, LENGTH},
    {"QueryInformationProcess", "the buffer unmapped", {(U)-1, 0, T(BAD), 48, 0}, AV},
    {"QueryInformationProcess", "the return length unmapped", {(U)-1, 0, T(BUF), 48, T(BAD)}, AV},
    {"SetInformationProcess", "a closed handle", {T(CLOSED), 18, T(BUF), 2}, INVALID_HANDLE},
    {"SetInformationProcess", "an event as the process", {T(EV), 18, T(BUF), 2}, MISMATCH},
    {"SetInformationProcess", "the priority class from an unmapped buffer", {(U)-1, 18, T(BAD), 2}, AV},
    {"QueryInformationThread", "a closed handle", {T(CLOSED), 0, T(BUF), 48, 0}, INVALID_HANDLE},
    {"QueryInformationThread", "an event as the thread", {T(EV), 0, T(BUF), 48, 0}, MISMATCH},
    {"QueryInformationThread", "the process as the thread", {(U)-1, 0, T(BUF), 48, 0}, MISMATCH},
    {"QueryInformationThread", "basic information in 4 bytes", {(U)-2, 0, T(BUF), 4, 0}, LENGTH},
    {"QueryInformationThread", "the buffer unmapped", {(U)-2, 0, T(BAD), 48, 0}, AV},
    {"SetInformationThread", "a closed handle", {T(CLOSED), 2, T(BUF), 4}, INVALID_HANDLE},
    {"SetInformationThread", "an event as the thread", {T(EV), 2, T(BUF), 4}, MISMATCH},
    {"SetInformationThread", "the priority in 1 byte", {(U)-2, 2, T(BUF), 1}, LENGTH},
    {"SetInformationThread", "the priority from an unmapped buffer", {(U)-2, 2, T(BAD), 4}, AV},

    /* Registry */
    {"CreateKey", "the handle to an unmapped address", {T(BAD), KEY_READ, T(OA_SUBKEY), 0, 0, 0, 0}, AV},
    {"CreateKey", "OBJECT_ATTRIBUTES unmapped", {T(OUTP), KEY_READ, T(BAD), 0, 0, 0, 0}, AV},
    {"CreateKey", "an event as the root key", {T(OUTP), KEY_READ, T(OA_ROOT_EV), 0, 0, 0, 0}, MISMATCH},
    {"CreateKey", "a closed root key", {T(OUTP), KEY_READ, T(OA_ROOT_CLOSED), 0, 0, 0, 0}, INVALID_HANDLE},
    {"OpenKey", "the handle to an unmapped address", {T(BAD), KEY_READ, T(OA_SUBKEY)}, AV},
    {"OpenKey", "OBJECT_ATTRIBUTES unmapped", {T(OUTP), KEY_READ, T(BAD)}, AV},
    {"OpenKey", "an event as the root key", {T(OUTP), KEY_READ, T(OA_ROOT_EV)}, MISMATCH},
    {"OpenKey", "a closed root key", {T(OUTP), KEY_READ, T(OA_ROOT_CLOSED)}, INVALID_HANDLE},
    {"OpenKeyEx", "an event as the root key", {T(OUTP), KEY_READ, T(OA_ROOT_EV), 0}, MISMATCH},
    {"OpenKeyEx", "a closed root key", {T(OUTP), KEY_READ, T(OA_ROOT_CLOSED), 0}, INVALID_HANDLE},
    {"DeleteKey", "a closed handle", {T(CLOSED)}, INVALID_HANDLE},
    {"DeleteKey", "an event as the key", {T(EV)}, MISMATCH},
    {"RenameKey", "a closed handle", {T(CLOSED), T(US_MISSING)}, INVALID_HANDLE},
    {"RenameKey", "an event as the key", {T(EV), T(US_MISSING)}, MISMATCH},
    {"SetValueKey", "a closed handle", {T(CLOSED), T(US_VALUE), 0, REG_DWORD, T(INT1), 4}, INVALID_HANDLE},
    {"SetValueKey", "an event as the key", {T(EV), T(US_VALUE), 0, REG_DWORD, T(INT1), 4}, MISMATCH},
    {"SetValueKey", "the name unmapped", {T(KEY), T(BAD), 0, REG_DWORD, T(INT1), 4}, AV},
    {"SetValueKey", "the data unmapped", {T(KEY), T(US_VALUE), 0, REG_DWORD, T(BAD), 4}, AV},
    {"DeleteValueKey", "a closed handle", {T(CLOSED), T(US_MISSING)}, INVALID_HANDLE},
    {"DeleteValueKey", "an event as the key", {T(EV), T(US_MISSING)}, MISMATCH},
    {"DeleteValueKey", "a value that does not exist", {T(KEY), T(US_MISSING)}, NOT_FOUND_NAME},
    {"DeleteValueKey", "the name unmapped", {T(KEY), T(BAD)}, AV},
    {"QueryValueKey", "a closed handle", {T(CLOSED), T(US_VALUE), 2, T(BUF), 64, T(OUTP)}, INVALID_HANDLE},
    {"QueryValueKey", "an event as the key", {T(EV), T(US_VALUE), 2, T(BUF), 64, T(OUTP)}, MISMATCH},
    {"QueryValueKey", "a value that does not exist", {T(KEY), T(US_MISSING), 2, T(BUF), 64, T(OUTP)}, NOT_FOUND_NAME},
    {"QueryValueKey", "partial information in 4 bytes", {T(KEY), T(US_VALUE), 2, T(BUF), 4, T(OUTP)}, TOO_SMALL},
    {"QueryValueKey", "partial information without room for the data", {T(KEY), T(US_VALUE), 2, T(BUF), 12, T(OUTP)}, BUF_OVERFLOW},
    {"QueryValueKey", "the buffer unmapped", {T(KEY), T(US_VALUE), 2, T(BAD), 64, T(OUTP)}, AV, 1},
    {"QueryValueKey", "the return length unmapped", {T(KEY), T(US_VALUE), 2, T(BUF), 64, T(BAD)}, AV},
    {"QueryMultipleValueKey", "a closed handle", {T(CLOSED), T(BUF), 0, T(BUF), T(OUTP), T(OUTP2)}, INVALID_HANDLE},
    {"QueryMultipleValueKey", "an event as the key", {T(EV), T(BUF), 0, T(BUF), T(OUTP), T(OUTP2)}, MISMATCH},
    {"EnumerateValueKey", "a closed handle", {T(CLOSED), 0, 0, T(BUF), 64, T(OUTP)}, INVALID_HANDLE},
    {"EnumerateValueKey", "an event as the key", {T(EV), 0, 0, T(BUF), 64, T(OUTP)}, MISMATCH},
    {"EnumerateValueKey", "index 1000", {T(KEY), 1000, 0, T(BUF), 64, T(OUTP)}, NO_MORE},
    {"EnumerateValueKey", "basic information in 4 bytes", {T(KEY), 0, 0, T(BUF), 4, T(OUTP)}, TOO_SMALL},
    {"EnumerateKey", "a closed handle", {T(CLOSED), 0, 0, T(BUF), 64, T(OUTP)}, INVALID_HANDLE},
    {"EnumerateKey", "an event as the key", {T(EV), 0, 0, T(BUF), 64, T(OUTP)}, MISMATCH},
    {"EnumerateKey", "index 1000", {T(KEY), 1000, 0, T(BUF), 64, T(OUTP)}, NO_MORE},
    {"EnumerateKey", "basic information in 4 bytes", {T(KEY), 0, 0, T(BUF), 4, T(OUTP)}, TOO_SMALL},
    {"QueryKey", "a closed handle", {T(CLOSED), 0, T(BUF), 64, T(OUTP)}, INVALID_HANDLE},
    {"QueryKey", "an event as the key", {T(EV), 0, T(BUF), 64, T(OUTP)}, MISMATCH},
    {"QueryKey", "basic information in 4 bytes", {T(KEY), 0, T(BUF), 4, T(OUTP)}, TOO_SMALL},
    {"QueryKey", "the buffer unmapped", {T(KEY), 0, T(BAD), 64, T(OUTP)}, AV, 1},
    {"QueryKey", "the return length unmapped", {T(KEY), 0, T(BUF), 64, T(BAD)}, AV},
    {"FlushKey", "a closed handle", {T(CLOSED)}, INVALID_HANDLE},
    {"FlushKey", "an event as the key", {T(EV)}, MISMATCH},
    {"NotifyChangeKey", "a closed handle", {T(CLOSED), 0, 0, 0, T(IOSB), 1, 0, 0, 0, 1}, INVALID_HANDLE},
    {"NotifyChangeKey", "an event as the key", {T(EV), 0, 0, 0, T(IOSB), 1, 0, 0, 0, 1}, MISMATCH},
    {"SaveKey", "a standard user's token", {T(KEY), T(FILEH)}, PRIVILEGE},
    {"SaveKeyEx", "a standard user's token", {T(KEY), T(FILEH), 1}, PRIVILEGE},
    {"LoadKey", "a standard user's token", {T(OA_OBJMISSING), T(OA_MISSING)}, PRIVILEGE},
    {"LoadKey2", "a standard user's token", {T(OA_OBJMISSING), T(OA_MISSING), 0}, PRIVILEGE},
    {"LoadKeyEx", "a standard user's token", {T(OA_OBJMISSING), T(OA_MISSING), 0, 0, 0, 0, 0, 0}, PRIVILEGE},
    {"LoadKey3", "a standard user's token", {T(OA_OBJMISSING), T(OA_MISSING), 0, 0, 0, 0, 0, 0}, PRIVILEGE},
    {"UnloadKey", "a standard user's token", {T(OA_OBJMISSING)}, PRIVILEGE},
    {"UnloadKey2", "a standard user's token", {T(OA_OBJMISSING), 0}, PRIVILEGE},
    {"RestoreKey", "a standard user's token", {T(KEY), T(FILEH), 0}, PRIVILEGE},
    {"SaveMergedKeys", "a standard user's token", {T(KEY), T(KEY), T(FILEH)}, PRIVILEGE},
    {"ReplaceKey", "a standard user's token", {T(OA_MISSING), T(KEY), T(OA_MISSING)}, PRIVILEGE},

    /* Tokens */
    {"OpenProcessToken", "a closed handle", {T(CLOSED), TOKEN_QUERY, T(OUTP)}, INVALID_HANDLE},
    {"OpenProcessToken", "an event as the process", {T(EV), TOKEN_QUERY, T(OUTP)}, MISMATCH},
    {"OpenProcessToken", "a thread as the process", {T(THREAD), TOKEN_QUERY, T(OUTP)}, MISMATCH},
    {"OpenProcessToken", "the handle to an unmapped address", {(U)-1, TOKEN_QUERY, T(BAD)}, AV},
    {"OpenProcessTokenEx", "an event as the process", {T(EV), TOKEN_QUERY, 0, T(OUTP)}, MISMATCH},
    {"OpenProcessTokenEx", "the handle to an unmapped address", {(U)-1, TOKEN_QUERY, 0, T(BAD)}, AV},
    {"OpenThreadToken", "a thread that is not impersonating", {(U)-2, TOKEN_QUERY, 0, T(OUTP)}, NO_TOKEN},
    {"OpenThreadToken", "an event as the thread", {T(EV), TOKEN_QUERY, 0, T(OUTP)}, MISMATCH},
    {"OpenThreadToken", "the process as the thread", {(U)-1, TOKEN_QUERY, 0, T(OUTP)}, MISMATCH},
    {"OpenThreadToken", "the handle to an unmapped address", {(U)-2, TOKEN_QUERY, 0, T(BAD)}, AV},
    {"OpenThreadTokenEx", "a thread that is not impersonating", {(U)-2, TOKEN_QUERY, 0, 0, T(OUTP)}, NO_TOKEN},
    {"OpenThreadTokenEx", "an event as the thread", {T(EV), TOKEN_QUERY, 0, 0, T(OUTP)}, MISMATCH},
    {"DuplicateToken", "a closed handle", {T(CLOSED), TOKEN_QUERY, 0, 0, 1, T(OUTP)}, INVALID_HANDLE},
    {"DuplicateToken", "an event as the token", {T(EV), TOKEN_QUERY, 0, 0, 1, T(OUTP)}, MISMATCH},
    {"DuplicateToken", "the handle to an unmapped address", {T(TOKEN), TOKEN_QUERY, 0, 0, 1, T(BAD)}, AV},
    {"QueryInformationToken", "a closed handle", {T(CLOSED), 1, T(BUF), 256, T(OUTP)}, INVALID_HANDLE},
    {"QueryInformationToken", "an event as the token", {T(EV), 1, T(BUF), 256, T(OUTP)}, MISMATCH},
    {"QueryInformationToken", "the user in 4 bytes", {T(TOKEN), 1, T(BUF), 4, T(OUTP)}, TOO_SMALL},
    {"QueryInformationToken", "class 0", {T(TOKEN), 0, T(BUF), 256, T(OUTP)}, INFO_CLASS},
    {"QueryInformationToken", "the buffer unmapped", {T(TOKEN), 1, T(BAD), 256, T(OUTP)}, AV, 1},
    {"QueryInformationToken", "the return length unmapped", {T(TOKEN), 1, T(BUF), 256, T(BAD)}, AV},
    {"AdjustPrivilegesToken", "a closed handle", {T(CLOSED), 1, 0, 0, 0, 0}, INVALID_HANDLE},
    {"AdjustPrivilegesToken", "an event as the token", {T(EV), 1, 0, 0, 0, 0}, MISMATCH},
    {"PrivilegeCheck", "a closed handle", {T(CLOSED), T(BUF), T(OUTP)}, INVALID_HANDLE},
    {"PrivilegeCheck", "an event as the token", {T(EV), T(BUF), T(OUTP)}, MISMATCH},
    {"FilterToken", "a closed handle", {T(CLOSED), 0, 0, 0, 0, T(OUTP)}, INVALID_HANDLE},
    {"FilterToken", "an event as the token", {T(EV), 0, 0, 0, 0, T(OUTP)}, MISMATCH},
    {"SetInformationToken", "a closed handle", {T(CLOSED), 12, T(BUF), 4}, INVALID_HANDLE},
    {"SetInformationToken", "an event as the token", {T(EV), 12, T(BUF), 4}, MISMATCH},
    {"Continue", "the context unmapped", {T(BAD), 0}, AV},
};

static int probe_failed;

static void win32_probe(const char *what, BOOL ok, DWORD expect)
{
    DWORD err = ok ? 0 : GetLastError();
    if (!ok && err == expect)
        printf("%s: error %lu\n", what, (unsigned long)err);
    else {
        printf("%s: %s %lu, Windows: error %lu\n", what, ok ? "succeeded, error" : "error",
               (unsigned long)err, (unsigned long)expect);
        probe_failed++;
    }
}

static int setup(void)
{
    ev = CreateEventW(NULL, TRUE, FALSE, NULL);
    ev2 = CreateEventW(NULL, FALSE, FALSE, NULL);
    fileh = CreateFileW(L"probe.txt", GENERIC_READ | GENERIC_WRITE, 0, NULL, CREATE_ALWAYS,
                        FILE_ATTRIBUTE_NORMAL, NULL);
    DWORD n;
    WriteFile(fileh, "0123456789abcdef0123456789abcdef", 32, &n, NULL);
    dirh = CreateFileW(L".", FILE_LIST_DIRECTORY | SYNCHRONIZE, 7, NULL, OPEN_EXISTING,
                       FILE_FLAG_BACKUP_SEMANTICS, NULL);
    dirnolist = CreateFileW(L".", FILE_READ_ATTRIBUTES | SYNCHRONIZE, 7, NULL, OPEN_EXISTING,
                            FILE_FLAG_BACKUP_SEMANTICS, NULL);
    HANDLE forever = CreateEventW(NULL, TRUE, FALSE, NULL);
    thread = CreateThread(NULL, 0, idle_thread, forever, 0, NULL);
    sec = CreateFileMappingW(INVALID_HANDLE_VALUE, NULL, PAGE_READWRITE, 0, 4096, NULL);
    if (RegCreateKeyExW(HKEY_CURRENT_USER, L"Software\\ntrun_argstatus", 0, NULL,
                        REG_OPTION_VOLATILE, KEY_ALL_ACCESS, NULL, (HKEY *)&key, NULL))
        key = NULL;
    HKEY sub;
    if (key && !RegCreateKeyExW((HKEY)key, L"sub", 0, NULL, REG_OPTION_VOLATILE, KEY_ALL_ACCESS,
                                NULL, &sub, NULL))
        RegCloseKey(sub);
    DWORD one = 1;
    if (key)
        RegSetValueExW((HKEY)key, L"v", 0, REG_DWORD, (BYTE *)&one, 4);
    OpenProcessToken(GetCurrentProcess(), TOKEN_QUERY | TOKEN_DUPLICATE, &token);
    iocp = CreateIoCompletionPort(INVALID_HANDLE_VALUE, NULL, 0, 1);
    timer = CreateWaitableTimerW(NULL, TRUE, NULL);
    mutex = CreateMutexW(NULL, FALSE, NULL);
    sem = CreateSemaphoreW(NULL, 1, 1, NULL);
    closed_handle = CreateEventW(NULL, TRUE, FALSE, NULL);
    CloseHandle(closed_handle);
    priv = VirtualAlloc(NULL, 4096, MEM_RESERVE | MEM_COMMIT, PAGE_READWRITE);
    freed = VirtualAlloc(NULL, 65536, MEM_RESERVE, PAGE_READWRITE);
    VirtualFree(freed, 0, MEM_RELEASE);
    typedef LONG(NTAPI * create_packet_fn)(HANDLE *, ACCESS_MASK, void *);
    create_packet_fn create_packet = (create_packet_fn)(void *)GetProcAddress(
        GetModuleHandleA("ntdll.dll"), "NtCreateWaitCompletionPacket");
    if (!create_packet || create_packet(&packet, 1, NULL) < 0)
        packet = NULL;

    WCHAR full[MAX_PATH];
    GetFullPathNameW(L"probe.txt", MAX_PATH, full, NULL);
    swprintf(file_path, MAX_PATH + 8, L"\\??\\%ls", full);
    GetFullPathNameW(L"ntrun_argstatus_missing.txt", MAX_PATH, full, NULL);
    swprintf(missing_path, MAX_PATH + 8, L"\\??\\%ls", full);
    us_set(&us_file, file_path);
    us_set(&us_missing, missing_path);
    us_set(&us_objmissing, L"\\BaseNamedObjects\\ntrun_argstatus_missing");
    us_set(&us_x, L"x");
    us_set(&us_sub, L"sub");
    us_set(&us_value, L"v");
    us_set(&us_missval, L"missing");
    us_set(&us_mask, L"*");
    us_set(&us_pipe, L"\\??\\pipe\\ntrun_argstatus");
    us_badbuf.Length = us_badbuf.MaximumLength = 8;
    us_badbuf.Buffer = (PWSTR)0x1000;

    const struct { const char *what; HANDLE h; } made[] = {
        {"event", ev}, {"event 2", ev2}, {"file", fileh}, {"directory", dirh},
        {"directory without FILE_LIST_DIRECTORY", dirnolist},
        {"thread", thread}, {"section", sec}, {"key", key}, {"token", token},
        {"completion port", iocp}, {"timer", timer}, {"mutex", mutex},
        {"semaphore", sem}, {"freed region", freed}, {"private region", priv},
    };
    for (size_t i = 0; i < sizeof made / sizeof made[0]; i++)
        if (!made[i].h || made[i].h == INVALID_HANDLE_VALUE) {
            printf("setup: no %s\n", made[i].what);
            return 0;
        }
    return 1;
}

static void win32_probes(void)
{
    HANDLE named_mutex = CreateMutexW(NULL, FALSE, L"ntrun_argstatus_mutex");
    HANDLE named_event = CreateEventW(NULL, TRUE, FALSE, L"ntrun_argstatus_event");
    HANDLE h;
    h = CreateEventW(NULL, TRUE, FALSE, L"ntrun_argstatus_mutex");
    win32_probe("CreateEventW with the name of a mutex", h != NULL, ERROR_INVALID_HANDLE);
    h = OpenEventW(EVENT_ALL_ACCESS, FALSE, L"ntrun_argstatus_mutex");
    win32_probe("OpenEventW with the name of a mutex", h != NULL, ERROR_INVALID_HANDLE);
    h = CreateMutexW(NULL, FALSE, L"ntrun_argstatus_event");
    win32_probe("CreateMutexW with the name of an event", h != NULL, ERROR_INVALID_HANDLE);
    h = OpenSemaphoreW(SEMAPHORE_ALL_ACCESS, FALSE, L"ntrun_argstatus_event");
    win32_probe("OpenSemaphoreW with the name of an event", h != NULL, ERROR_INVALID_HANDLE);
    h = CreateWaitableTimerW(NULL, TRUE, L"ntrun_argstatus_event");
    win32_probe("CreateWaitableTimerW with the name of an event", h != NULL, ERROR_INVALID_HANDLE);
    h = CreateFileMappingW(INVALID_HANDLE_VALUE, NULL, PAGE_READWRITE, 0, 4096,
                           L"ntrun_argstatus_event");
    win32_probe("CreateFileMappingW with the name of an event", h != NULL, ERROR_INVALID_HANDLE);

    HANDLE job = CreateJobObjectW(NULL, NULL);
    win32_probe("TerminateJobObject given a thread", TerminateJobObject(thread, 1), ERROR_INVALID_HANDLE);
    win32_probe("TerminateJobObject given an event", TerminateJobObject(ev, 1), ERROR_INVALID_HANDLE);
    win32_probe("TerminateJobObject given a closed handle", TerminateJobObject((HANDLE)resolve(T(CLOSED)), 1),
                ERROR_INVALID_HANDLE);
    win32_probe("AssignProcessToJobObject given an event as the job",
                AssignProcessToJobObject(ev, GetCurrentProcess()), ERROR_INVALID_HANDLE);
    win32_probe("AssignProcessToJobObject given an event as the process",
                AssignProcessToJobObject(job, ev), ERROR_INVALID_HANDLE);
    JOBOBJECT_BASIC_ACCOUNTING_INFORMATION acct;
    win32_probe("QueryInformationJobObject given a mutex",
                QueryInformationJobObject(mutex, JobObjectBasicAccountingInformation, &acct,
                                          sizeof acct, NULL), ERROR_INVALID_HANDLE);
    JOBOBJECT_EXTENDED_LIMIT_INFORMATION lim;
    memset(&lim, 0, sizeof lim);
    win32_probe("SetInformationJobObject given a file",
                SetInformationJobObject(fileh, JobObjectExtendedLimitInformation, &lim, sizeof lim),
                ERROR_INVALID_HANDLE);
    win32_probe("SetEvent given a file", SetEvent(fileh), ERROR_INVALID_HANDLE);
    win32_probe("ReleaseMutex given an event", ReleaseMutex(ev), ERROR_INVALID_HANDLE);
    win32_probe("ReleaseSemaphore given a mutex", ReleaseSemaphore(mutex, 1, NULL), ERROR_INVALID_HANDLE);
    DWORD n;
    char b[4];
    win32_probe("ReadFile given an event", ReadFile(ev, b, 4, &n, NULL), ERROR_INVALID_HANDLE);
    win32_probe("WriteFile given a key", WriteFile(key, b, 4, &n, NULL), ERROR_INVALID_HANDLE);
    DWORD code;
    win32_probe("GetExitCodeThread given an event", GetExitCodeThread(ev, &code), ERROR_INVALID_HANDLE);
    win32_probe("GetExitCodeProcess given a thread", GetExitCodeProcess(thread, &code), ERROR_INVALID_HANDLE);
    win32_probe("ResumeThread given a semaphore", ResumeThread(sem) != (DWORD)-1, ERROR_INVALID_HANDLE);
    LARGE_INTEGER due = {.QuadPart = -1};
    win32_probe("SetWaitableTimer given an event", SetWaitableTimer(ev, &due, 0, NULL, NULL, FALSE),
                ERROR_INVALID_HANDLE);
    win32_probe("MapViewOfFile given an event", MapViewOfFile(ev, FILE_MAP_READ, 0, 0, 0) != NULL,
                ERROR_INVALID_HANDLE);
    DWORD bytes;
    ULONG_PTR ck;
    OVERLAPPED *ov;
    win32_probe("GetQueuedCompletionStatus given an event",
                GetQueuedCompletionStatus(ev, &bytes, &ck, &ov, 0), ERROR_INVALID_HANDLE);
    win32_probe("WaitForSingleObject given a closed handle",
                WaitForSingleObject((HANDLE)resolve(T(CLOSED)), 0) != WAIT_FAILED, ERROR_INVALID_HANDLE);
    DWORD type;
    LONG r = RegQueryValueExW((HKEY)ev, L"v", NULL, &type, (BYTE *)b, &n);
    SetLastError((DWORD)r);
    win32_probe("RegQueryValueExW given an event", r == ERROR_SUCCESS, ERROR_INVALID_HANDLE);
    CloseHandle(job);
    CloseHandle(named_mutex);
    CloseHandle(named_event);
}

int main(int argc, char **argv)
{
    /* "export": ntdll's exports only (Wine, where a program's own `syscall` goes to Linux). */
    int routes = argc > 1 && strcmp(argv[1], "export") == 0 ? 1 : 2;
    setvbuf(stdout, NULL, _IONBF, 0);
    HMODULE ntdll = GetModuleHandleA("ntdll.dll");
    if (!setup())
        return 2;
    unsigned made = 0, checked = 0, calls = 0, known = 0;
    const char *last = "";
    for (size_t i = 0; i < sizeof probes / sizeof probes[0]; i++) {
        const probe *p = &probes[i];
        char name[64];
        snprintf(name, sizeof name, "Nt%s", p->call);
        if (strcmp(last, p->call) != 0)
            calls++;
        if (routes == 1 && p->wine_hangs) {
            printf("Nt%s(%s): skipped\n", p->call, p->what);
            continue;
        }
        last = p->call;
        const unsigned char *stub = (const unsigned char *)GetProcAddress(ntdll, name);
        if (!stub || (!packet && (p->a[0] == T(PACKET) || strstr(p->call, "WaitCompletion")))) {
            printf("%s: not exported\n", name);
            probe_failed++;
            continue;
        }
        /* The `syscall` route needs the number from a standard stub (the capturing exports
         * NtContinue and NtSetContextThread are not stubs under ntrun: export route only). */
        int has_stub = memcmp(stub, "\x4c\x8b\xd1\xb8", 4) == 0;
        LONG st[2];
        for (int route = 0; route < 2; route++) {
            if (route == 1 && (!has_stub || routes == 1)) {
                st[1] = st[0];
                break;
            }
            U a[14];
            for (int k = 0; k < 14; k++)
                a[k] = resolve(p->a[k]);
            nt12 fn = (nt12)(void *)stub;
            if (route == 1) {
                memcpy((void *)&probe_number, stub + 4, 4);
                fn = (nt12)(void *)probe_stub2;
            }
            st[route] = fn(a[0], a[1], a[2], a[3], a[4], a[5], a[6], a[7], a[8], a[9], a[10],
                           a[11], a[12], a[13]);
            made++;
            /* Whatever a probe made by mistake is closed again. */
            if (st[route] >= 0 && p->a[0] == T(OUTP) && out)
                CloseHandle((HANDLE)out);
        }
        checked++;
        if (st[0] == p->expect && st[1] == p->expect) {
            printf("%s(%s): %s\n", name, p->what, status_name(p->expect));
            continue;
        }
        if (!p->known)
            probe_failed++;
        else
            known++;
        printf("%s(%s): got %s", name, p->what, status_name(st[0]));
        if (st[1] != st[0])
            printf(" (syscall route %s)", status_name(st[1]));
        printf(", Windows: %s%s\n", status_name(p->expect),
               p->known ? " (known, left to the cross-process memory work)" : "");
    }
    win32_probes();
    SetEvent(ev);
    RegDeleteKeyW((HKEY)key, L"sub");
    RegDeleteValueW((HKEY)key, L"v");
    RegCloseKey((HKEY)key);
    RegDeleteKeyW(HKEY_CURRENT_USER, L"Software\\ntrun_argstatus");
    CloseHandle(fileh);
    DeleteFileW(L"probe.txt");
    printf("%u probes of %u NT calls (%u calls made), %d differ from Windows, %u known\n",
           checked, calls, made, probe_failed, known);
    fflush(stdout);
    ExitProcess(probe_failed != 0);
}
