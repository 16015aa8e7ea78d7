/* SPDX-License-Identifier: MIT */
/* Windows x64 process and thread environment blocks as foreign code reads them.
 * Every field foreign code may touch is pinned by offset. Fields ntrun does not fill are
 * padding here, zeroed at creation. */
#ifndef NTRUN_RUNTIME_TEB_H
#define NTRUN_RUNTIME_TEB_H

#include "runtime/win.h"

typedef struct {
    void *ExceptionList;        /* 0x00 */
    void *StackBase;            /* 0x08 */
    void *StackLimit;           /* 0x10 */
    void *SubSystemTib;         /* 0x18 */
    void *FiberData;            /* 0x20 */
    void *ArbitraryUserPointer; /* 0x28 */
    void *Self;                 /* 0x30 */
} NT_TIB;
_Static_assert(sizeof(NT_TIB) == 0x38, "NT_TIB");

typedef struct {
    HANDLE UniqueProcess; /* 0x00 */
    HANDLE UniqueThread;  /* 0x08 */
} CLIENT_ID;

struct PEB;

typedef struct TEB {
    NT_TIB NtTib;                      /* 0x0000 */
    void *EnvironmentPointer;          /* 0x0038 */
    CLIENT_ID ClientId;                /* 0x0040 */
    void *ActiveRpcHandle;             /* 0x0050 */
    void **ThreadLocalStoragePointer;  /* 0x0058 */
    struct PEB *ProcessEnvironmentBlock; /* 0x0060 */
    uint32_t LastErrorValue;           /* 0x0068 */
    uint32_t CountOfOwnedCriticalSections; /* 0x006c */
    uint8_t pad_0070[0x1250 - 0x0070];
    NTSTATUS LastStatusValue;          /* 0x1250 */
    uint8_t pad_1254[0x1480 - 0x1254];
    void *TlsSlots[64];                /* 0x1480 */
    LIST_ENTRY TlsLinks;               /* 0x1680 */
    uint8_t pad_1690[0x1748 - 0x1690];
    uint32_t GuaranteedStackBytes;     /* 0x1748: SetThreadStackGuarantee */
    uint8_t pad_174c[0x1780 - 0x174c];
    void **TlsExpansionSlots;          /* 0x1780 */
    uint8_t pad_1788[0x1838 - 0x1788];
} TEB;
_Static_assert(offsetof(TEB, NtTib.StackBase) == 0x08, "TEB.StackBase");
_Static_assert(offsetof(TEB, NtTib.StackLimit) == 0x10, "TEB.StackLimit");
_Static_assert(offsetof(TEB, NtTib.Self) == 0x30, "TEB.Self");
_Static_assert(offsetof(TEB, ClientId) == 0x40, "TEB.ClientId");
_Static_assert(offsetof(TEB, ThreadLocalStoragePointer) == 0x58, "TEB.ThreadLocalStoragePointer");
_Static_assert(offsetof(TEB, ProcessEnvironmentBlock) == 0x60, "TEB.ProcessEnvironmentBlock");
_Static_assert(offsetof(TEB, LastErrorValue) == 0x68, "TEB.LastErrorValue");
_Static_assert(offsetof(TEB, LastStatusValue) == 0x1250, "TEB.LastStatusValue");
_Static_assert(offsetof(TEB, TlsSlots) == 0x1480, "TEB.TlsSlots");
_Static_assert(offsetof(TEB, TlsExpansionSlots) == 0x1780, "TEB.TlsExpansionSlots");
_Static_assert(offsetof(TEB, GuaranteedStackBytes) == 0x1748, "TEB.GuaranteedStackBytes");
_Static_assert(sizeof(TEB) == 0x1838, "TEB size (Windows 10 x64)");

typedef struct {
    uint32_t Length;                    /* 0x00 */
    BOOLEAN Initialized;                /* 0x04 */
    uint8_t pad[3];
    void *SsHandle;                     /* 0x08 */
    LIST_ENTRY InLoadOrderModuleList;   /* 0x10 */
    LIST_ENTRY InMemoryOrderModuleList; /* 0x20 */
    LIST_ENTRY InInitializationOrderModuleList; /* 0x30 */
    void *EntryInProgress;              /* 0x40 */
    BOOLEAN ShutdownInProgress;         /* 0x48 */
    uint8_t pad2[7];
    HANDLE ShutdownThreadId;            /* 0x50 */
} PEB_LDR_DATA;
_Static_assert(offsetof(PEB_LDR_DATA, InLoadOrderModuleList) == 0x10, "PEB_LDR_DATA.InLoadOrder");
_Static_assert(offsetof(PEB_LDR_DATA, InMemoryOrderModuleList) == 0x20, "PEB_LDR_DATA.InMemoryOrder");
_Static_assert(offsetof(PEB_LDR_DATA, InInitializationOrderModuleList) == 0x30, "PEB_LDR_DATA.InInitOrder");
_Static_assert(sizeof(PEB_LDR_DATA) == 0x58, "PEB_LDR_DATA");

typedef struct {
    LIST_ENTRY InLoadOrderLinks;           /* 0x00 */
    LIST_ENTRY InMemoryOrderLinks;         /* 0x10 */
    LIST_ENTRY InInitializationOrderLinks; /* 0x20 */
    void *DllBase;                         /* 0x30 */
    void *EntryPoint;                      /* 0x38 */
    uint32_t SizeOfImage;                  /* 0x40 */
    uint32_t pad0;
    UNICODE_STRING FullDllName;            /* 0x48 */
    UNICODE_STRING BaseDllName;            /* 0x58 */
    uint32_t Flags;                        /* 0x68 */
    uint16_t ObsoleteLoadCount;            /* 0x6c */
    uint16_t TlsIndex;                     /* 0x6e */
    LIST_ENTRY HashLinks;                  /* 0x70 */
    uint32_t TimeDateStamp;                /* 0x80 */
    uint32_t pad1;
    uint8_t pad_88[0x120 - 0x88];
} LDR_DATA_TABLE_ENTRY;
_Static_assert(offsetof(LDR_DATA_TABLE_ENTRY, DllBase) == 0x30, "LDR.DllBase");
_Static_assert(offsetof(LDR_DATA_TABLE_ENTRY, SizeOfImage) == 0x40, "LDR.SizeOfImage");
_Static_assert(offsetof(LDR_DATA_TABLE_ENTRY, FullDllName) == 0x48, "LDR.FullDllName");
_Static_assert(offsetof(LDR_DATA_TABLE_ENTRY, BaseDllName) == 0x58, "LDR.BaseDllName");

typedef struct {
    UNICODE_STRING DosPath; /* 0x00 */
    HANDLE Handle;          /* 0x10 */
} CURDIR;

typedef struct {
    uint32_t MaximumLength;          /* 0x000 */
    uint32_t Length;                 /* 0x004 */
    uint32_t Flags;                  /* 0x008 */
    uint32_t DebugFlags;             /* 0x00c */
    HANDLE ConsoleHandle;            /* 0x010 */
    uint32_t ConsoleFlags;           /* 0x018 */
    uint32_t pad0;
    HANDLE StandardInput;            /* 0x020 */
    HANDLE StandardOutput;           /* 0x028 */
    HANDLE StandardError;            /* 0x030 */
    CURDIR CurrentDirectory;         /* 0x038 */
    UNICODE_STRING DllPath;          /* 0x050 */
    UNICODE_STRING ImagePathName;    /* 0x060 */
    UNICODE_STRING CommandLine;      /* 0x070 */
    WCHAR *Environment;              /* 0x080 */
    uint8_t pad_088[0x3f0 - 0x088];
    SIZE_T EnvironmentSize;          /* 0x3f0 */
    SIZE_T EnvironmentVersion;       /* 0x3f8 */
    uint8_t pad_400[0x440 - 0x400];
} RTL_USER_PROCESS_PARAMETERS;
_Static_assert(offsetof(RTL_USER_PROCESS_PARAMETERS, StandardInput) == 0x20, "RUPP.StandardInput");
_Static_assert(offsetof(RTL_USER_PROCESS_PARAMETERS, StandardError) == 0x30, "RUPP.StandardError");
_Static_assert(offsetof(RTL_USER_PROCESS_PARAMETERS, CurrentDirectory) == 0x38, "RUPP.CurrentDirectory");
_Static_assert(offsetof(RTL_USER_PROCESS_PARAMETERS, ImagePathName) == 0x60, "RUPP.ImagePathName");
_Static_assert(offsetof(RTL_USER_PROCESS_PARAMETERS, CommandLine) == 0x70, "RUPP.CommandLine");
_Static_assert(offsetof(RTL_USER_PROCESS_PARAMETERS, Environment) == 0x80, "RUPP.Environment");
_Static_assert(offsetof(RTL_USER_PROCESS_PARAMETERS, EnvironmentSize) == 0x3f0, "RUPP.EnvironmentSize");

typedef struct PEB {
    BOOLEAN InheritedAddressSpace;      /* 0x000 */
    BOOLEAN ReadImageFileExecOptions;   /* 0x001 */
    BOOLEAN BeingDebugged;              /* 0x002 */
    uint8_t BitField;                   /* 0x003 */
    uint8_t pad0[4];
    HANDLE Mutant;                      /* 0x008 */
    void *ImageBaseAddress;             /* 0x010 */
    PEB_LDR_DATA *Ldr;                  /* 0x018 */
    RTL_USER_PROCESS_PARAMETERS *ProcessParameters; /* 0x020 */
    void *SubSystemData;                /* 0x028 */
    void *ProcessHeap;                  /* 0x030 */
    uint8_t pad_038[0x0b8 - 0x038];
    uint32_t NumberOfProcessors;        /* 0x0b8 */
    uint32_t NtGlobalFlag;              /* 0x0bc */
    uint8_t pad_0c0[0x118 - 0x0c0];
    uint32_t OSMajorVersion;            /* 0x118 */
    uint32_t OSMinorVersion;            /* 0x11c */
    uint16_t OSBuildNumber;             /* 0x120 */
    uint16_t OSCSDVersion;              /* 0x122 */
    uint32_t OSPlatformId;              /* 0x124 */
    uint32_t ImageSubsystem;            /* 0x128 */
    uint32_t ImageSubsystemMajorVersion;/* 0x12c */
    uint32_t ImageSubsystemMinorVersion;/* 0x130 */
    uint8_t pad_134[0x2c0 - 0x134];
    uint32_t SessionId;                 /* 0x2c0 */
    uint8_t pad_2c4[0x7c8 - 0x2c4];
} PEB;
_Static_assert(offsetof(PEB, ImageBaseAddress) == 0x10, "PEB.ImageBaseAddress");
_Static_assert(offsetof(PEB, Ldr) == 0x18, "PEB.Ldr");
_Static_assert(offsetof(PEB, ProcessParameters) == 0x20, "PEB.ProcessParameters");
_Static_assert(offsetof(PEB, ProcessHeap) == 0x30, "PEB.ProcessHeap");
_Static_assert(offsetof(PEB, NumberOfProcessors) == 0xb8, "PEB.NumberOfProcessors");
_Static_assert(offsetof(PEB, OSMajorVersion) == 0x118, "PEB.OSMajorVersion");
_Static_assert(offsetof(PEB, OSBuildNumber) == 0x120, "PEB.OSBuildNumber");
_Static_assert(offsetof(PEB, SessionId) == 0x2c0, "PEB.SessionId");
_Static_assert(sizeof(PEB) == 0x7c8, "PEB size (Windows 10 x64)");

#endif
