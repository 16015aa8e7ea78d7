/* SPDX-License-Identifier: MIT */
/* KUSER_SHARED_DATA: the page Windows maps read-only at 0x7FFE0000 in every process, which
 * foreign code (and Windows' own ntdll/kernel32) reads directly: version, build number, tick
 * count, interrupt and system time, processor count, the SystemCall byte. Every field ntrun
 * fills is pinned by offset; the rest is zero, as on a machine with those features off. */
#ifndef NTRUN_RUNTIME_KUSER_H
#define NTRUN_RUNTIME_KUSER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "runtime/win.h"

#define RT_KUSER_ADDRESS 0x7ffe0000ul

/* A 64-bit time readers take without a lock: writers store High2Time, LowPart, then High1Time;
 * readers read High1Time, LowPart, High2Time and retry while High1Time != High2Time. */
typedef struct {
    uint32_t LowPart;  /* 0x0 */
    int32_t High1Time; /* 0x4 */
    int32_t High2Time; /* 0x8 */
} KSYSTEM_TIME;
_Static_assert(sizeof(KSYSTEM_TIME) == 12, "KSYSTEM_TIME");

typedef struct KUSER_SHARED_DATA {
    uint32_t TickCountLowDeprecated;     /* 0x000 */
    uint32_t TickCountMultiplier;        /* 0x004: ms per tick << 24 */
    KSYSTEM_TIME InterruptTime;          /* 0x008: 100 ns units since boot */
    KSYSTEM_TIME SystemTime;             /* 0x014: 100 ns units since 1601-01-01 UTC */
    KSYSTEM_TIME TimeZoneBias;           /* 0x020 */
    uint16_t ImageNumberLow;             /* 0x02c */
    uint16_t ImageNumberHigh;            /* 0x02e */
    WCHAR NtSystemRoot[260];             /* 0x030 */
    uint32_t MaxStackTraceDepth;         /* 0x238 */
    uint32_t CryptoExponent;             /* 0x23c */
    uint32_t TimeZoneId;                 /* 0x240 */
    uint32_t LargePageMinimum;           /* 0x244 */
    uint32_t AitSamplingValue;           /* 0x248 */
    uint32_t AppCompatFlag;              /* 0x24c */
    uint64_t RNGSeedVersion;             /* 0x250 */
    uint32_t GlobalValidationRunlevel;   /* 0x258 */
    int32_t TimeZoneBiasStamp;           /* 0x25c */
    uint32_t NtBuildNumber;              /* 0x260 */
    uint32_t NtProductType;              /* 0x264: 1 = NtProductWinNt (workstation) */
    BOOLEAN ProductTypeIsValid;          /* 0x268 */
    uint8_t Reserved0;                   /* 0x269 */
    uint16_t NativeProcessorArchitecture; /* 0x26a: 9 = PROCESSOR_ARCHITECTURE_AMD64 */
    uint32_t NtMajorVersion;             /* 0x26c */
    uint32_t NtMinorVersion;             /* 0x270 */
    BOOLEAN ProcessorFeatures[64];       /* 0x274 */
    uint32_t Reserved1;                  /* 0x2b4 */
    uint32_t Reserved3;                  /* 0x2b8 */
    uint32_t TimeSlip;                   /* 0x2bc */
    uint32_t AlternativeArchitecture;    /* 0x2c0 */
    uint32_t BootId;                     /* 0x2c4 */
    int64_t SystemExpirationDate;        /* 0x2c8 */
    uint32_t SuiteMask;                  /* 0x2d0 */
    BOOLEAN KdDebuggerEnabled;           /* 0x2d4 */
    uint8_t MitigationPolicies;          /* 0x2d5 */
    uint16_t CyclesPerYield;             /* 0x2d6 */
    uint32_t ActiveConsoleId;            /* 0x2d8 */
    uint32_t DismountCount;              /* 0x2dc */
    uint32_t ComPlusPackage;             /* 0x2e0 */
    uint32_t LastSystemRITEventTickCount; /* 0x2e4 */
    uint32_t NumberOfPhysicalPages;      /* 0x2e8 */
    BOOLEAN SafeBootMode;                /* 0x2ec */
    uint8_t VirtualizationFlags;         /* 0x2ed */
    uint8_t Reserved12[2];               /* 0x2ee */
    uint32_t SharedDataFlags;            /* 0x2f0 */
    uint32_t DataFlagsPad;               /* 0x2f4 */
    uint64_t TestRetInstruction;         /* 0x2f8 */
    int64_t QpcFrequency;                /* 0x300 */
    uint32_t SystemCall;                 /* 0x308: bit 0 set: ntdll stubs use int 2e */
    uint32_t Reserved2;                  /* 0x30c */
    uint64_t SystemCallPad[2];           /* 0x310 */
    union {
        KSYSTEM_TIME TickCount;          /* 0x320: ticks since boot */
        uint64_t TickCountQuad;          /* 0x320 */
        struct {
            uint32_t ReservedTickCountOverlay[3];
            uint32_t TickCountPad;       /* 0x32c */
        };
    };
    uint32_t Cookie;                     /* 0x330 */
    uint32_t CookiePad;                  /* 0x334 */
    int64_t ConsoleSessionForegroundProcessId; /* 0x338 */
    uint64_t TimeUpdateLock;             /* 0x340 */
    uint64_t BaselineSystemTimeQpc;      /* 0x348 */
    uint64_t BaselineInterruptTimeQpc;   /* 0x350 */
    uint64_t QpcSystemTimeIncrement;     /* 0x358 */
    uint64_t QpcInterruptTimeIncrement;  /* 0x360 */
    uint8_t QpcSystemTimeIncrementShift; /* 0x368 */
    uint8_t QpcInterruptTimeIncrementShift; /* 0x369 */
    uint16_t UnparkedProcessorCount;     /* 0x36a */
    uint32_t EnclaveFeatureMask[4];      /* 0x36c */
    uint32_t TelemetryCoverageRound;     /* 0x37c */
    uint16_t UserModeGlobalLogger[16];   /* 0x380 */
    uint32_t ImageFileExecutionOptions;  /* 0x3a0 */
    uint32_t LangGenerationCount;        /* 0x3a4 */
    uint64_t Reserved4;                  /* 0x3a8 */
    uint64_t InterruptTimeBias;          /* 0x3b0 */
    uint64_t QpcBias;                    /* 0x3b8 */
    uint32_t ActiveProcessorCount;       /* 0x3c0 */
    uint8_t ActiveGroupCount;            /* 0x3c4 */
    uint8_t Reserved9;                   /* 0x3c5 */
    uint8_t QpcBypassEnabled;            /* 0x3c6 */
    uint8_t QpcShift;                    /* 0x3c7 */
    int64_t TimeZoneBiasEffectiveStart;  /* 0x3c8 */
    int64_t TimeZoneBiasEffectiveEnd;    /* 0x3d0 */
    uint8_t XState_and_rest[0x720 - 0x3d8]; /* 0x3d8: XSTATE_CONFIGURATION and later fields */
} KUSER_SHARED_DATA;
_Static_assert(offsetof(KUSER_SHARED_DATA, TickCountMultiplier) == 0x004, "KUSER.TickCountMultiplier");
_Static_assert(offsetof(KUSER_SHARED_DATA, InterruptTime) == 0x008, "KUSER.InterruptTime");
_Static_assert(offsetof(KUSER_SHARED_DATA, SystemTime) == 0x014, "KUSER.SystemTime");
_Static_assert(offsetof(KUSER_SHARED_DATA, TimeZoneBias) == 0x020, "KUSER.TimeZoneBias");
_Static_assert(offsetof(KUSER_SHARED_DATA, ImageNumberLow) == 0x02c, "KUSER.ImageNumberLow");
_Static_assert(offsetof(KUSER_SHARED_DATA, NtSystemRoot) == 0x030, "KUSER.NtSystemRoot");
_Static_assert(offsetof(KUSER_SHARED_DATA, MaxStackTraceDepth) == 0x238, "KUSER.MaxStackTraceDepth");
_Static_assert(offsetof(KUSER_SHARED_DATA, NtBuildNumber) == 0x260, "KUSER.NtBuildNumber");
_Static_assert(offsetof(KUSER_SHARED_DATA, NtProductType) == 0x264, "KUSER.NtProductType");
_Static_assert(offsetof(KUSER_SHARED_DATA, NativeProcessorArchitecture) == 0x26a, "KUSER.NativeProcessorArchitecture");
_Static_assert(offsetof(KUSER_SHARED_DATA, NtMajorVersion) == 0x26c, "KUSER.NtMajorVersion");
_Static_assert(offsetof(KUSER_SHARED_DATA, NtMinorVersion) == 0x270, "KUSER.NtMinorVersion");
_Static_assert(offsetof(KUSER_SHARED_DATA, ProcessorFeatures) == 0x274, "KUSER.ProcessorFeatures");
_Static_assert(offsetof(KUSER_SHARED_DATA, SystemExpirationDate) == 0x2c8, "KUSER.SystemExpirationDate");
_Static_assert(offsetof(KUSER_SHARED_DATA, KdDebuggerEnabled) == 0x2d4, "KUSER.KdDebuggerEnabled");
_Static_assert(offsetof(KUSER_SHARED_DATA, NumberOfPhysicalPages) == 0x2e8, "KUSER.NumberOfPhysicalPages");
_Static_assert(offsetof(KUSER_SHARED_DATA, SharedDataFlags) == 0x2f0, "KUSER.SharedDataFlags");
_Static_assert(offsetof(KUSER_SHARED_DATA, QpcFrequency) == 0x300, "KUSER.QpcFrequency");
_Static_assert(offsetof(KUSER_SHARED_DATA, SystemCall) == 0x308, "KUSER.SystemCall");
_Static_assert(offsetof(KUSER_SHARED_DATA, TickCount) == 0x320, "KUSER.TickCount");
_Static_assert(offsetof(KUSER_SHARED_DATA, Cookie) == 0x330, "KUSER.Cookie");
_Static_assert(offsetof(KUSER_SHARED_DATA, UnparkedProcessorCount) == 0x36a, "KUSER.UnparkedProcessorCount");
_Static_assert(offsetof(KUSER_SHARED_DATA, ActiveProcessorCount) == 0x3c0, "KUSER.ActiveProcessorCount");
_Static_assert(offsetof(KUSER_SHARED_DATA, ActiveGroupCount) == 0x3c4, "KUSER.ActiveGroupCount");
_Static_assert(offsetof(KUSER_SHARED_DATA, QpcBypassEnabled) == 0x3c6, "KUSER.QpcBypassEnabled");
_Static_assert(offsetof(KUSER_SHARED_DATA, XState_and_rest) == 0x3d8, "KUSER.XState");
_Static_assert(sizeof(KUSER_SHARED_DATA) == 0x720, "KUSER_SHARED_DATA (Windows 10 22H2)");

/* Windows' clock tick: 15.625 ms (64 Hz); TickCountMultiplier = 15.625 << 24. */
#define RT_KUSER_TICK_100NS 156250u
#define RT_KUSER_TICK_MULTIPLIER 0x0fa00000u

/* Maps the page at 0x7FFE0000, read-only for the program (PROT_NONE until its first read once
 * the fault handler is installed; a second, writable mapping of the same page is the runtime's)
 * and fills it for `windows_build` (10: 19045, 11: 26100), the times as of now; the updater
 * that keeps them current starts at the program's first read (rt_kuser_fault). Idempotent: a second
 * call only changes the build fields and sets the times again. When the
 * address is taken (a sanitizer's shadow, another mapping) it says so once and returns -errno;
 * ntrun runs on; programs that read the page directly, and ntdll's syscall stubs (which test
 * its SystemCall byte), fault. 0 or -errno. */
int rt_kuser_init(int windows_build);
/* The writable view of the page (NULL before rt_kuser_init or when it failed). */
KUSER_SHARED_DATA *rt_kuser_rw(void);
/* NumberOfPhysicalPages, asked of the kernel the first time it is needed (the page's first
 * read, NtQuerySystemInformation) rather than at every start; 0 without the page. */
uint32_t rt_kuser_phys_pages(void);
/* Before the program's first instruction (rt_run_process): from now on the updater may run.
 * It starts now when the page is readable already (no fault handler: the view is mapped
 * PROT_READ), else at the program's first read of the page (rt_kuser_fault). */
void rt_kuser_start(void);
/* The end of a run (libntrun teardown): the updater thread stops refreshing the page and sleeps
 * until the next rt_kuser_init. */
void rt_kuser_pause(void);
/* For the SIGSEGV handler (selector ALLOW; saved_selector the interrupted one, uctx its
 * context): an access fault at addr on the hidden Windows view is the first read of the page.
 * Refreshes the times, makes the view readable and starts the updater (or has it started at the
 * next safe point, runtime/defer.c); true: retry the access. A read fault on the page shown
 * meanwhile (two threads' first reads at once) is retried too; a write is refused (false).
 * Async-signal-safe. */
bool rt_kuser_fault(uintptr_t addr, const void *uctx, uint8_t saved_selector);
/* The same from ordinary code: before the page is handed to the kernel (a system call reading
 * a hidden page gets EFAULT, it does not fault; rt_lazy_fill calls it). */
void rt_kuser_show(void);
/* Re-reads the clocks into the page now (the updater does it every tick). Async-signal-safe:
 * clock_gettime is vDSO-backed and the stores are plain. */
void rt_kuser_refresh(void);

#endif
