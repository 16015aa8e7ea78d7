/* SPDX-License-Identifier: MIT */
/* Windows (guest) types and constants as foreign code sees them.
 *
 * Windows `long` is 32 bits and `wchar_t` is 16 bits: everything here uses explicit widths.
 * Names keep their Windows spelling; where a guest constant could be confused with a host one
 * (O_*, SEEK_*, E*), the guest one carries a WIN_ prefix. Layouts that foreign code reads
 * are pinned with _Static_assert in the header that defines them (runtime/teb.h for TEB/PEB). */
#ifndef NTRUN_RUNTIME_WIN_H
#define NTRUN_RUNTIME_WIN_H

#include <stddef.h>
#include <stdint.h>
#include <uchar.h>

#define WINAPI __attribute__((ms_abi))
#define NTAPI WINAPI
#define CDECL WINAPI /* x64 has one calling convention: every guest-callable function is ms_abi */

typedef int32_t NTSTATUS;
typedef int32_t BOOL;
typedef uint8_t BOOLEAN;
typedef uint8_t BYTE;
typedef uint16_t WORD;
typedef uint32_t DWORD;
typedef int32_t LONG;
typedef uint32_t ULONG;
typedef int64_t LONGLONG;
typedef uint64_t ULONGLONG;
typedef uint64_t ULONG_PTR;
typedef int64_t LONG_PTR;
typedef uint64_t SIZE_T;
typedef uint64_t DWORD64;
typedef char16_t WCHAR;
typedef void *HANDLE;
typedef void *PVOID;
typedef void *HMODULE;
typedef uint32_t UINT;
typedef int32_t INT;

typedef union {
    struct { uint32_t LowPart; int32_t HighPart; } u;
    int64_t QuadPart;
} LARGE_INTEGER;

typedef struct {
    uint16_t Length;        /* 0x00, bytes, without terminator */
    uint16_t MaximumLength; /* 0x02 */
    uint32_t pad;           /* 0x04 */
    WCHAR *Buffer;          /* 0x08 */
} UNICODE_STRING;
_Static_assert(sizeof(UNICODE_STRING) == 0x10, "UNICODE_STRING");
_Static_assert(offsetof(UNICODE_STRING, Buffer) == 0x08, "UNICODE_STRING.Buffer");

typedef struct LIST_ENTRY {
    struct LIST_ENTRY *Flink; /* 0x00 */
    struct LIST_ENTRY *Blink; /* 0x08 */
} LIST_ENTRY;

typedef struct {
    uint32_t Length;                   /* 0x00 */
    uint32_t pad0;
    HANDLE RootDirectory;              /* 0x08 */
    UNICODE_STRING *ObjectName;        /* 0x10 */
    uint32_t Attributes;               /* 0x18 */
    uint32_t pad1;
    void *SecurityDescriptor;          /* 0x20 */
    void *SecurityQualityOfService;    /* 0x28 */
} OBJECT_ATTRIBUTES;
_Static_assert(sizeof(OBJECT_ATTRIBUTES) == 0x30, "OBJECT_ATTRIBUTES");
#define OBJ_CASE_INSENSITIVE 0x40

typedef struct {
    union { NTSTATUS Status; void *Pointer; }; /* 0x00 */
    ULONG_PTR Information;                     /* 0x08 */
} IO_STATUS_BLOCK;
_Static_assert(sizeof(IO_STATUS_BLOCK) == 0x10, "IO_STATUS_BLOCK");

typedef struct {
    void *BaseAddress;       /* 0x00 */
    void *AllocationBase;    /* 0x08 */
    uint32_t AllocationProtect; /* 0x10 */
    uint16_t PartitionId;    /* 0x14 */
    SIZE_T RegionSize;       /* 0x18 */
    uint32_t State;          /* 0x20 */
    uint32_t Protect;        /* 0x24 */
    uint32_t Type;           /* 0x28 */
} MEMORY_BASIC_INFORMATION;
_Static_assert(sizeof(MEMORY_BASIC_INFORMATION) == 0x30, "MEMORY_BASIC_INFORMATION");
_Static_assert(offsetof(MEMORY_BASIC_INFORMATION, RegionSize) == 0x18, "MBI.RegionSize");

typedef struct {
    uint32_t dwLowDateTime;
    uint32_t dwHighDateTime;
} FILETIME;

/* CRITICAL_SECTION (RTL_CRITICAL_SECTION), 40 bytes: foreign code embeds it in its own structs. */
typedef struct {
    void *DebugInfo;       /* 0x00 */
    int32_t LockCount;     /* 0x08 */
    int32_t RecursionCount;/* 0x0c */
    HANDLE OwningThread;   /* 0x10 */
    HANDLE LockSemaphore;  /* 0x18 */
    ULONG_PTR SpinCount;   /* 0x20 */
} CRITICAL_SECTION;
_Static_assert(sizeof(CRITICAL_SECTION) == 0x28, "CRITICAL_SECTION");

/* ---- NTSTATUS values ---- */
#define STATUS_SUCCESS                 ((NTSTATUS)0x00000000)
#define STATUS_WAIT_0                  ((NTSTATUS)0x00000000)
#define STATUS_ABANDONED_WAIT_0        ((NTSTATUS)0x00000080)
#define STATUS_USER_APC                ((NTSTATUS)0x000000C0)
#define STATUS_TIMEOUT                 ((NTSTATUS)0x00000102)
#define STATUS_PENDING                 ((NTSTATUS)0x00000103)
#define STATUS_BUFFER_OVERFLOW         ((NTSTATUS)0x80000005)
#define STATUS_NO_MORE_FILES           ((NTSTATUS)0x80000006)
#define STATUS_PARTIAL_COPY            ((NTSTATUS)0x8000000D)
#define STATUS_UNSUCCESSFUL            ((NTSTATUS)0xC0000001)
#define STATUS_NOT_IMPLEMENTED         ((NTSTATUS)0xC0000002)
#define STATUS_INVALID_INFO_CLASS      ((NTSTATUS)0xC0000003)
#define STATUS_INFO_LENGTH_MISMATCH    ((NTSTATUS)0xC0000004)
#define STATUS_ACCESS_VIOLATION        ((NTSTATUS)0xC0000005)
#define STATUS_INVALID_HANDLE          ((NTSTATUS)0xC0000008)
#define STATUS_INVALID_PARAMETER       ((NTSTATUS)0xC000000D)
#define STATUS_NO_SUCH_FILE            ((NTSTATUS)0xC000000F)
#define STATUS_INVALID_DEVICE_REQUEST  ((NTSTATUS)0xC0000010)
#define STATUS_END_OF_FILE             ((NTSTATUS)0xC0000011)
#define STATUS_NO_MEMORY               ((NTSTATUS)0xC0000017)
#define STATUS_CONFLICTING_ADDRESSES   ((NTSTATUS)0xC0000018)
#define STATUS_NOT_MAPPED_VIEW         ((NTSTATUS)0xC0000019)
#define STATUS_UNABLE_TO_FREE_VM       ((NTSTATUS)0xC000001A)
#define STATUS_ILLEGAL_INSTRUCTION     ((NTSTATUS)0xC000001D)
#define STATUS_MEMORY_NOT_ALLOCATED    ((NTSTATUS)0xC00000A0)
#define STATUS_ACCESS_DENIED           ((NTSTATUS)0xC0000022)
#define STATUS_BUFFER_TOO_SMALL        ((NTSTATUS)0xC0000023)
#define STATUS_OBJECT_TYPE_MISMATCH    ((NTSTATUS)0xC0000024)
#define STATUS_OBJECT_NAME_INVALID     ((NTSTATUS)0xC0000033)
#define STATUS_OBJECT_NAME_NOT_FOUND   ((NTSTATUS)0xC0000034)
#define STATUS_OBJECT_NAME_COLLISION   ((NTSTATUS)0xC0000035)
#define STATUS_OBJECT_PATH_INVALID     ((NTSTATUS)0xC0000039)
#define STATUS_OBJECT_PATH_NOT_FOUND   ((NTSTATUS)0xC000003A)
#define STATUS_OBJECT_PATH_SYNTAX_BAD  ((NTSTATUS)0xC000003B)
#define STATUS_SHARING_VIOLATION       ((NTSTATUS)0xC0000043)
#define STATUS_DELETE_PENDING          ((NTSTATUS)0xC0000056)
#define STATUS_DISK_FULL               ((NTSTATUS)0xC000007F)
#define STATUS_INSUFFICIENT_RESOURCES  ((NTSTATUS)0xC000009A)
#define STATUS_FILE_IS_A_DIRECTORY     ((NTSTATUS)0xC00000BA)
#define STATUS_NOT_SUPPORTED           ((NTSTATUS)0xC00000BB)
#define STATUS_INTEGER_DIVIDE_BY_ZERO  ((NTSTATUS)0xC0000094)
#define STATUS_INTEGER_OVERFLOW        ((NTSTATUS)0xC0000095)
#define STATUS_PRIVILEGED_INSTRUCTION  ((NTSTATUS)0xC0000096)
#define STATUS_DIRECTORY_NOT_EMPTY     ((NTSTATUS)0xC0000101)
#define STATUS_NOT_A_DIRECTORY         ((NTSTATUS)0xC0000103)
#define STATUS_INVALID_SYSTEM_SERVICE  ((NTSTATUS)0xC000001C)
#define STATUS_NAME_TOO_LONG           ((NTSTATUS)0xC0000106)
#define STATUS_PIPE_BROKEN             ((NTSTATUS)0xC000014B)
#define STATUS_TOO_MANY_OPENED_FILES   ((NTSTATUS)0xC000011F)
#define STATUS_CANNOT_DELETE           ((NTSTATUS)0xC0000121)
#define STATUS_INVALID_PARAMETER_MIX   ((NTSTATUS)0xC0000030)
#define STATUS_STACK_OVERFLOW          ((NTSTATUS)0xC00000FD)
#define STATUS_DLL_NOT_FOUND           ((NTSTATUS)0xC0000135)
#define STATUS_ENTRYPOINT_NOT_FOUND    ((NTSTATUS)0xC0000139)
#define STATUS_INVALID_IMAGE_FORMAT    ((NTSTATUS)0xC000007B)
#define STATUS_BREAKPOINT              ((NTSTATUS)0x80000003)
#define STATUS_SINGLE_STEP             ((NTSTATUS)0x80000004)
#define NT_SUCCESS(s) ((NTSTATUS)(s) >= 0)

/* ---- Win32 error codes (GetLastError) ---- */
#define ERROR_SUCCESS              0
#define ERROR_INVALID_FUNCTION     1
#define ERROR_FILE_NOT_FOUND       2
#define ERROR_PATH_NOT_FOUND       3
#define ERROR_TOO_MANY_OPEN_FILES  4
#define ERROR_ACCESS_DENIED        5
#define ERROR_INVALID_HANDLE       6
#define ERROR_NOT_ENOUGH_MEMORY    8
#define ERROR_INVALID_ADDRESS      487
#define ERROR_OUTOFMEMORY          14
#define ERROR_INVALID_DRIVE        15
#define ERROR_NO_MORE_FILES        18
#define ERROR_WRITE_PROTECT        19
#define ERROR_NOT_READY            21
#define ERROR_SHARING_VIOLATION    32
#define ERROR_HANDLE_EOF           38
#define ERROR_NOT_SUPPORTED        50
#define ERROR_FILE_EXISTS          80
#define ERROR_INVALID_PARAMETER    87
#define ERROR_BROKEN_PIPE          109
#define ERROR_DISK_FULL            112
#define ERROR_CALL_NOT_IMPLEMENTED 120
#define ERROR_INSUFFICIENT_BUFFER  122
#define ERROR_INVALID_NAME         123
#define ERROR_MOD_NOT_FOUND        126
#define ERROR_PROC_NOT_FOUND       127
#define ERROR_DIR_NOT_EMPTY        145
#define ERROR_ALREADY_EXISTS       183
#define ERROR_ENVVAR_NOT_FOUND     203
#define ERROR_FILENAME_EXCED_RANGE 206
#define ERROR_MORE_DATA            234
#define ERROR_NO_UNICODE_TRANSLATION 1113
#define ERROR_DIRECTORY            267
#define ERROR_NOACCESS             998
#define ERROR_INVALID_FLAGS        1004
#define ERROR_TIMEOUT              1460
#define ERROR_NEGATIVE_SEEK        131
#define ERROR_SEEK                 25
#define ERROR_BAD_PATHNAME         161
#define ERROR_INVALID_DATA         13

/* ---- memory ---- */
#define MEM_COMMIT      0x00001000
#define MEM_RESERVE     0x00002000
#define MEM_DECOMMIT    0x00004000
#define MEM_RELEASE     0x00008000
#define MEM_FREE        0x00010000
#define MEM_PRIVATE     0x00020000
#define MEM_MAPPED      0x00040000
#define MEM_RESET       0x00080000
#define MEM_TOP_DOWN    0x00100000
#define MEM_IMAGE       0x01000000
#define PAGE_NOACCESS          0x01
#define PAGE_READONLY          0x02
#define PAGE_READWRITE         0x04
#define PAGE_WRITECOPY         0x08
#define PAGE_EXECUTE           0x10
#define PAGE_EXECUTE_READ      0x20
#define PAGE_EXECUTE_READWRITE 0x40
#define PAGE_EXECUTE_WRITECOPY 0x80
#define PAGE_GUARD             0x100

/* ---- files ---- */
#define GENERIC_READ    0x80000000u
#define GENERIC_WRITE   0x40000000u
#define GENERIC_EXECUTE 0x20000000u
#define GENERIC_ALL     0x10000000u
#define FILE_READ_DATA        0x0001
#define FILE_LIST_DIRECTORY   0x0001
#define FILE_WRITE_DATA       0x0002
#define FILE_APPEND_DATA      0x0004
#define FILE_EXECUTE          0x0020
#define FILE_TRAVERSE         0x0020 /* a directory's FILE_EXECUTE */
#define FILE_READ_ATTRIBUTES  0x0080
#define FILE_WRITE_ATTRIBUTES 0x0100
#define DELETE                0x00010000
#define SYNCHRONIZE           0x00100000
#define FILE_GENERIC_READ     0x00120089
#define FILE_GENERIC_WRITE    0x00120116
#define FILE_SHARE_READ   1
#define FILE_SHARE_WRITE  2
#define FILE_SHARE_DELETE 4
/* NtCreateFile CreateDisposition */
#define FILE_SUPERSEDE    0
#define FILE_OPEN         1
#define FILE_CREATE       2
#define FILE_OPEN_IF      3
#define FILE_OVERWRITE    4
#define FILE_OVERWRITE_IF 5
/* NtCreateFile CreateOptions */
#define FILE_DIRECTORY_FILE            0x00000001
#define FILE_WRITE_THROUGH             0x00000002
#define FILE_SEQUENTIAL_ONLY           0x00000004
#define FILE_SYNCHRONOUS_IO_ALERT      0x00000010
#define FILE_SYNCHRONOUS_IO_NONALERT   0x00000020
#define FILE_NON_DIRECTORY_FILE        0x00000040
#define FILE_DELETE_ON_CLOSE           0x00001000
#define FILE_OPEN_FOR_BACKUP_INTENT    0x00004000
/* IO_STATUS_BLOCK.Information after NtCreateFile */
#define FILE_SUPERSEDED  0
#define FILE_OPENED      1
#define FILE_CREATED     2
#define FILE_OVERWRITTEN 3
#define FILE_EXISTS      4
#define FILE_DOES_NOT_EXIST 5
/* Win32 CreateFile dispositions */
#define CREATE_NEW        1
#define CREATE_ALWAYS     2
#define OPEN_EXISTING     3
#define OPEN_ALWAYS       4
#define TRUNCATE_EXISTING 5
#define FILE_ATTRIBUTE_READONLY  0x01
#define FILE_ATTRIBUTE_HIDDEN    0x02
#define FILE_ATTRIBUTE_SYSTEM    0x04
#define FILE_ATTRIBUTE_DIRECTORY 0x10
#define FILE_ATTRIBUTE_ARCHIVE   0x20
#define FILE_ATTRIBUTE_NORMAL    0x80
#define INVALID_FILE_ATTRIBUTES  0xFFFFFFFFu
#define FILE_FLAG_DELETE_ON_CLOSE 0x04000000
#define FILE_FLAG_BACKUP_SEMANTICS 0x02000000
#define WIN_FILE_BEGIN   0
#define WIN_FILE_CURRENT 1
#define WIN_FILE_END     2
#define INVALID_SET_FILE_POINTER 0xFFFFFFFFu
#define INVALID_HANDLE_VALUE ((HANDLE)(intptr_t)-1)
#define NtCurrentProcess() ((HANDLE)(intptr_t)-1)
#define NtCurrentThread()  ((HANDLE)(intptr_t)-2)

/* FILE_INFORMATION_CLASS values used here */
#define FileDirectoryInformation     1
#define FileFullDirectoryInformation 2
#define FileBothDirectoryInformation 3
#define FileBasicInformation         4
#define FileStandardInformation      5
#define FileNameInformation          9
#define FileRenameInformation        10
#define FileNamesInformation         12
#define FileDispositionInformation   13
#define FilePositionInformation      14
#define FileAllInformation           18
#define FileEndOfFileInformation     20
#define FileNetworkOpenInformation   34
#define FileAttributeTagInformation  35

typedef struct {
    LARGE_INTEGER CreationTime;   /* 0x00 */
    LARGE_INTEGER LastAccessTime; /* 0x08 */
    LARGE_INTEGER LastWriteTime;  /* 0x10 */
    LARGE_INTEGER ChangeTime;     /* 0x18 */
    uint32_t FileAttributes;      /* 0x20 */
    uint32_t pad;
} FILE_BASIC_INFORMATION;
_Static_assert(sizeof(FILE_BASIC_INFORMATION) == 0x28, "FILE_BASIC_INFORMATION");

typedef struct {
    LARGE_INTEGER AllocationSize; /* 0x00 */
    LARGE_INTEGER EndOfFile;      /* 0x08 */
    uint32_t NumberOfLinks;       /* 0x10 */
    BOOLEAN DeletePending;        /* 0x14 */
    BOOLEAN Directory;            /* 0x15 */
    uint16_t pad;
} FILE_STANDARD_INFORMATION;
_Static_assert(sizeof(FILE_STANDARD_INFORMATION) == 0x18, "FILE_STANDARD_INFORMATION");

typedef struct {
    uint32_t NextEntryOffset;     /* 0x00 */
    uint32_t FileIndex;           /* 0x04 */
    LARGE_INTEGER CreationTime;   /* 0x08 */
    LARGE_INTEGER LastAccessTime; /* 0x10 */
    LARGE_INTEGER LastWriteTime;  /* 0x18 */
    LARGE_INTEGER ChangeTime;     /* 0x20 */
    LARGE_INTEGER EndOfFile;      /* 0x28 */
    LARGE_INTEGER AllocationSize; /* 0x30 */
    uint32_t FileAttributes;      /* 0x38 */
    uint32_t FileNameLength;      /* 0x3c, bytes */
    uint32_t EaSize;              /* 0x40 */
    int8_t ShortNameLength;       /* 0x44 */
    uint8_t pad;
    WCHAR ShortName[12];          /* 0x46 */
    WCHAR FileName[1];            /* 0x5e */
} FILE_BOTH_DIR_INFORMATION;
_Static_assert(offsetof(FILE_BOTH_DIR_INFORMATION, FileName) == 0x5e, "FILE_BOTH_DIR_INFORMATION");

typedef struct { LARGE_INTEGER CurrentByteOffset; } FILE_POSITION_INFORMATION;
typedef struct { LARGE_INTEGER EndOfFile; } FILE_END_OF_FILE_INFORMATION;
typedef struct { BOOLEAN DeleteFile; } FILE_DISPOSITION_INFORMATION;

/* ---- misc ---- */
#define STD_INPUT_HANDLE  ((DWORD)-10)
#define STD_OUTPUT_HANDLE ((DWORD)-11)
#define STD_ERROR_HANDLE  ((DWORD)-12)
#define INFINITE 0xFFFFFFFFu
#define WAIT_OBJECT_0 0
#define WAIT_TIMEOUT  0x102
#define WAIT_FAILED   0xFFFFFFFFu
#define CP_ACP   0
#define CP_OEMCP 1
#define CP_UTF8  65001
#define DLL_PROCESS_DETACH 0
#define DLL_PROCESS_ATTACH 1
#define DLL_THREAD_ATTACH  2
#define DLL_THREAD_DETACH  3
#define TLS_OUT_OF_INDEXES 0xFFFFFFFFu

/* 100 ns intervals between 1601-01-01 and 1970-01-01 */
#define WIN_EPOCH_DIFF_100NS 116444736000000000LL

#endif
