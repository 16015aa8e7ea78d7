/* SPDX-License-Identifier: MIT */
/* Windows x64 exception and unwinding layouts as foreign code sees them: CONTEXT (0x4d0 bytes,
 * 16-byte aligned), EXCEPTION_RECORD, EXCEPTION_POINTERS, RUNTIME_FUNCTION, UNWIND_INFO and its
 * codes, DISPATCHER_CONTEXT, UNWIND_HISTORY_TABLE, KNONVOLATILE_CONTEXT_POINTERS. Every offset
 * that foreign code or assembly reads is pinned below. */
#ifndef NTRUN_RUNTIME_WINEXC_H
#define NTRUN_RUNTIME_WINEXC_H

#include "runtime/win.h"

typedef struct __attribute__((aligned(16))) {
    uint64_t Low;   /* 0x00 */
    int64_t High;   /* 0x08 */
} M128A;

/* The fxsave image (XMM_SAVE_AREA32), 512 bytes. */
typedef struct __attribute__((aligned(16))) {
    WORD ControlWord;         /* 0x000 */
    WORD StatusWord;          /* 0x002 */
    BYTE TagWord;             /* 0x004 */
    BYTE Reserved1;           /* 0x005 */
    WORD ErrorOpcode;         /* 0x006 */
    DWORD ErrorOffset;        /* 0x008 */
    WORD ErrorSelector;       /* 0x00c */
    WORD Reserved2;           /* 0x00e */
    DWORD DataOffset;         /* 0x010 */
    WORD DataSelector;        /* 0x014 */
    WORD Reserved3;           /* 0x016 */
    DWORD MxCsr;              /* 0x018 */
    DWORD MxCsr_Mask;         /* 0x01c */
    M128A FloatRegisters[8];  /* 0x020 */
    M128A XmmRegisters[16];   /* 0x0a0 */
    BYTE Reserved4[96];       /* 0x1a0 */
} XMM_SAVE_AREA32;
_Static_assert(sizeof(XMM_SAVE_AREA32) == 0x200, "XMM_SAVE_AREA32");
_Static_assert(offsetof(XMM_SAVE_AREA32, XmmRegisters) == 0xa0, "XMM_SAVE_AREA32.XmmRegisters");

typedef struct __attribute__((aligned(16))) _CONTEXT {
    DWORD64 P1Home, P2Home, P3Home, P4Home, P5Home, P6Home; /* 0x000 */
    DWORD ContextFlags;       /* 0x030 */
    DWORD MxCsr;              /* 0x034 */
    WORD SegCs;               /* 0x038 */
    WORD SegDs;               /* 0x03a */
    WORD SegEs;               /* 0x03c */
    WORD SegFs;               /* 0x03e */
    WORD SegGs;               /* 0x040 */
    WORD SegSs;               /* 0x042 */
    DWORD EFlags;             /* 0x044 */
    DWORD64 Dr0, Dr1, Dr2, Dr3, Dr6, Dr7; /* 0x048 */
    DWORD64 Rax;              /* 0x078 */
    DWORD64 Rcx;              /* 0x080 */
    DWORD64 Rdx;              /* 0x088 */
    DWORD64 Rbx;              /* 0x090 */
    DWORD64 Rsp;              /* 0x098 */
    DWORD64 Rbp;              /* 0x0a0 */
    DWORD64 Rsi;              /* 0x0a8 */
    DWORD64 Rdi;              /* 0x0b0 */
    DWORD64 R8, R9, R10, R11, R12, R13, R14, R15; /* 0x0b8 */
    DWORD64 Rip;              /* 0x0f8 */
    union {
        XMM_SAVE_AREA32 FltSave; /* 0x100 */
        struct {
            M128A Header[2];     /* 0x100 */
            M128A Legacy[8];     /* 0x120 */
            M128A Xmm[16];       /* 0x1a0: Xmm0..Xmm15 */
        };
    };
    M128A VectorRegister[26]; /* 0x300 */
    DWORD64 VectorControl;    /* 0x4a0 */
    DWORD64 DebugControl;     /* 0x4a8 */
    DWORD64 LastBranchToRip;  /* 0x4b0 */
    DWORD64 LastBranchFromRip;    /* 0x4b8 */
    DWORD64 LastExceptionToRip;   /* 0x4c0 */
    DWORD64 LastExceptionFromRip; /* 0x4c8 */
} CONTEXT;
_Static_assert(sizeof(CONTEXT) == 0x4d0, "CONTEXT");
_Static_assert(_Alignof(CONTEXT) == 16, "CONTEXT alignment");
_Static_assert(offsetof(CONTEXT, ContextFlags) == 0x30, "CONTEXT.ContextFlags");
_Static_assert(offsetof(CONTEXT, MxCsr) == 0x34, "CONTEXT.MxCsr");
_Static_assert(offsetof(CONTEXT, SegCs) == 0x38, "CONTEXT.SegCs");
_Static_assert(offsetof(CONTEXT, SegSs) == 0x42, "CONTEXT.SegSs");
_Static_assert(offsetof(CONTEXT, EFlags) == 0x44, "CONTEXT.EFlags");
_Static_assert(offsetof(CONTEXT, Dr7) == 0x70, "CONTEXT.Dr7");
_Static_assert(offsetof(CONTEXT, Rax) == 0x78, "CONTEXT.Rax");
_Static_assert(offsetof(CONTEXT, Rsp) == 0x98, "CONTEXT.Rsp");
_Static_assert(offsetof(CONTEXT, Rdi) == 0xb0, "CONTEXT.Rdi");
_Static_assert(offsetof(CONTEXT, R8) == 0xb8, "CONTEXT.R8");
_Static_assert(offsetof(CONTEXT, R15) == 0xf0, "CONTEXT.R15");
_Static_assert(offsetof(CONTEXT, Rip) == 0xf8, "CONTEXT.Rip");
_Static_assert(offsetof(CONTEXT, FltSave) == 0x100, "CONTEXT.FltSave");
_Static_assert(offsetof(CONTEXT, Xmm) == 0x1a0, "CONTEXT.Xmm0");
_Static_assert(offsetof(CONTEXT, VectorRegister) == 0x300, "CONTEXT.VectorRegister");
_Static_assert(offsetof(CONTEXT, VectorControl) == 0x4a0, "CONTEXT.VectorControl");
_Static_assert(offsetof(CONTEXT, LastExceptionFromRip) == 0x4c8, "CONTEXT.LastExceptionFromRip");

#define CONTEXT_AMD64           0x00100000
#define CONTEXT_CONTROL         (CONTEXT_AMD64 | 0x01)
#define CONTEXT_INTEGER         (CONTEXT_AMD64 | 0x02)
#define CONTEXT_SEGMENTS        (CONTEXT_AMD64 | 0x04)
#define CONTEXT_FLOATING_POINT  (CONTEXT_AMD64 | 0x08)
#define CONTEXT_DEBUG_REGISTERS (CONTEXT_AMD64 | 0x10)
#define CONTEXT_FULL (CONTEXT_CONTROL | CONTEXT_INTEGER | CONTEXT_FLOATING_POINT)
#define CONTEXT_ALL (CONTEXT_FULL | CONTEXT_SEGMENTS | CONTEXT_DEBUG_REGISTERS)

#define EXCEPTION_MAXIMUM_PARAMETERS 15
typedef struct EXCEPTION_RECORD {
    DWORD ExceptionCode;                      /* 0x00 */
    DWORD ExceptionFlags;                     /* 0x04 */
    struct EXCEPTION_RECORD *ExceptionRecord; /* 0x08 */
    void *ExceptionAddress;                   /* 0x10 */
    DWORD NumberParameters;                   /* 0x18 */
    DWORD pad;                                /* 0x1c */
    ULONG_PTR ExceptionInformation[EXCEPTION_MAXIMUM_PARAMETERS]; /* 0x20 */
} EXCEPTION_RECORD;
_Static_assert(sizeof(EXCEPTION_RECORD) == 0x98, "EXCEPTION_RECORD");
_Static_assert(offsetof(EXCEPTION_RECORD, ExceptionAddress) == 0x10, "EXCEPTION_RECORD.ExceptionAddress");
_Static_assert(offsetof(EXCEPTION_RECORD, NumberParameters) == 0x18, "EXCEPTION_RECORD.NumberParameters");
_Static_assert(offsetof(EXCEPTION_RECORD, ExceptionInformation) == 0x20, "EXCEPTION_RECORD.ExceptionInformation");

typedef struct {
    EXCEPTION_RECORD *ExceptionRecord; /* 0x00 */
    CONTEXT *ContextRecord;            /* 0x08 */
} EXCEPTION_POINTERS;
_Static_assert(sizeof(EXCEPTION_POINTERS) == 0x10, "EXCEPTION_POINTERS");

/* ExceptionFlags */
#define EXCEPTION_NONCONTINUABLE  0x01
#define EXCEPTION_UNWINDING       0x02
#define EXCEPTION_EXIT_UNWIND     0x04
#define EXCEPTION_STACK_INVALID   0x08
#define EXCEPTION_NESTED_CALL     0x10
#define EXCEPTION_TARGET_UNWIND   0x20
#define EXCEPTION_COLLIDED_UNWIND 0x40
#define EXCEPTION_UNWIND (EXCEPTION_UNWINDING | EXCEPTION_EXIT_UNWIND | EXCEPTION_TARGET_UNWIND | \
                          EXCEPTION_COLLIDED_UNWIND)

/* EXCEPTION_DISPOSITION (language handlers) */
#define ExceptionContinueExecution 0
#define ExceptionContinueSearch    1
#define ExceptionNestedException   2
#define ExceptionCollidedUnwind    3
/* Filter results (vectored handlers, unhandled-exception filters, __except filters) */
#define EXCEPTION_EXECUTE_HANDLER    1
#define EXCEPTION_CONTINUE_SEARCH    0
#define EXCEPTION_CONTINUE_EXECUTION (-1)

#define STATUS_GUARD_PAGE_VIOLATION      ((NTSTATUS)0x80000001)
#define STATUS_DATATYPE_MISALIGNMENT     ((NTSTATUS)0x80000002)
#define STATUS_UNWIND_CONSOLIDATE        ((NTSTATUS)0x80000029)
#define STATUS_ARRAY_BOUNDS_EXCEEDED     ((NTSTATUS)0xC000008C)
#define STATUS_FLOAT_DENORMAL_OPERAND    ((NTSTATUS)0xC000008D)
#define STATUS_FLOAT_DIVIDE_BY_ZERO      ((NTSTATUS)0xC000008E)
#define STATUS_FLOAT_INEXACT_RESULT      ((NTSTATUS)0xC000008F)
#define STATUS_FLOAT_INVALID_OPERATION   ((NTSTATUS)0xC0000090)
#define STATUS_FLOAT_OVERFLOW            ((NTSTATUS)0xC0000091)
#define STATUS_FLOAT_STACK_CHECK         ((NTSTATUS)0xC0000092)
#define STATUS_FLOAT_UNDERFLOW           ((NTSTATUS)0xC0000093)
#define STATUS_NONCONTINUABLE_EXCEPTION  ((NTSTATUS)0xC0000025)
#define STATUS_INVALID_DISPOSITION       ((NTSTATUS)0xC0000026)
#define STATUS_UNWIND                    ((NTSTATUS)0xC0000027)
#define STATUS_BAD_STACK                 ((NTSTATUS)0xC0000028)
#define STATUS_INVALID_UNWIND_TARGET     ((NTSTATUS)0xC0000029)
#define STATUS_UNHANDLED_EXCEPTION       ((NTSTATUS)0xC0000144)

typedef struct {
    DWORD BeginAddress; /* 0x0, RVA */
    DWORD EndAddress;   /* 0x4, RVA */
    DWORD UnwindData;   /* 0x8, RVA of the UNWIND_INFO */
} RUNTIME_FUNCTION;
_Static_assert(sizeof(RUNTIME_FUNCTION) == 12, "RUNTIME_FUNCTION");

/* UNWIND_INFO: byte 0 = Version (bits 0-2) | Flags (bits 3-7); byte 1 SizeOfProlog; byte 2
 * CountOfCodes; byte 3 = FrameRegister (bits 0-3) | FrameOffset (bits 4-7, scaled by 16); then
 * CountOfCodes UNWIND_CODE slots, padded to an even count; then, with EHANDLER/UHANDLER, the
 * handler's RVA and its data, or with CHAININFO a RUNTIME_FUNCTION. */
typedef struct {
    BYTE VersionFlags;   /* 0x0 */
    BYTE SizeOfProlog;   /* 0x1 */
    BYTE CountOfCodes;   /* 0x2 */
    BYTE FrameRegOffset; /* 0x3 */
    WORD UnwindCode[];   /* 0x4 */
} UNWIND_INFO;
_Static_assert(offsetof(UNWIND_INFO, UnwindCode) == 4, "UNWIND_INFO.UnwindCode");
#define UNW_FLAG_NHANDLER  0
#define UNW_FLAG_EHANDLER  1
#define UNW_FLAG_UHANDLER  2
#define UNW_FLAG_CHAININFO 4
/* UNWIND_CODE: byte 0 CodeOffset, byte 1 = UnwindOp (bits 0-3) | OpInfo (bits 4-7) */
#define UWOP_PUSH_NONVOL     0
#define UWOP_ALLOC_LARGE     1
#define UWOP_ALLOC_SMALL     2
#define UWOP_SET_FPREG       3
#define UWOP_SAVE_NONVOL     4
#define UWOP_SAVE_NONVOL_FAR 5
#define UWOP_EPILOG          6 /* version 2 */
#define UWOP_SPARE_CODE      7
#define UWOP_SAVE_XMM128     8
#define UWOP_SAVE_XMM128_FAR 9
#define UWOP_PUSH_MACHFRAME  10

/* Exception routine (language handler): EXCEPTION_DISPOSITION (rec, frame, context, dispatch) */
typedef struct DISPATCHER_CONTEXT {
    DWORD64 ControlPc;               /* 0x00 */
    DWORD64 ImageBase;               /* 0x08 */
    RUNTIME_FUNCTION *FunctionEntry; /* 0x10 */
    DWORD64 EstablisherFrame;        /* 0x18 */
    DWORD64 TargetIp;                /* 0x20 */
    CONTEXT *ContextRecord;          /* 0x28 */
    void *LanguageHandler;           /* 0x30 */
    void *HandlerData;               /* 0x38 */
    struct UNWIND_HISTORY_TABLE *HistoryTable; /* 0x40 */
    DWORD ScopeIndex;                /* 0x48 */
    DWORD Fill0;                     /* 0x4c */
} DISPATCHER_CONTEXT;
_Static_assert(sizeof(DISPATCHER_CONTEXT) == 0x50, "DISPATCHER_CONTEXT");
_Static_assert(offsetof(DISPATCHER_CONTEXT, EstablisherFrame) == 0x18, "DISPATCHER_CONTEXT.EstablisherFrame");
_Static_assert(offsetof(DISPATCHER_CONTEXT, ContextRecord) == 0x28, "DISPATCHER_CONTEXT.ContextRecord");
_Static_assert(offsetof(DISPATCHER_CONTEXT, HandlerData) == 0x38, "DISPATCHER_CONTEXT.HandlerData");
_Static_assert(offsetof(DISPATCHER_CONTEXT, ScopeIndex) == 0x48, "DISPATCHER_CONTEXT.ScopeIndex");

#define UNWIND_HISTORY_TABLE_SIZE 12
typedef struct {
    DWORD64 ImageBase;               /* 0x0 */
    RUNTIME_FUNCTION *FunctionEntry; /* 0x8 */
} UNWIND_HISTORY_TABLE_ENTRY;
typedef struct UNWIND_HISTORY_TABLE {
    DWORD Count;        /* 0x00 */
    BYTE LocalHint;     /* 0x04 */
    BYTE GlobalHint;    /* 0x05 */
    BYTE Search;        /* 0x06 */
    BYTE Once;          /* 0x07 */
    DWORD64 LowAddress; /* 0x08 */
    DWORD64 HighAddress;/* 0x10 */
    UNWIND_HISTORY_TABLE_ENTRY Entry[UNWIND_HISTORY_TABLE_SIZE]; /* 0x18 */
} UNWIND_HISTORY_TABLE;
_Static_assert(sizeof(UNWIND_HISTORY_TABLE) == 0xd8, "UNWIND_HISTORY_TABLE");
_Static_assert(offsetof(UNWIND_HISTORY_TABLE, Entry) == 0x18, "UNWIND_HISTORY_TABLE.Entry");

typedef struct {
    M128A *FloatingContext[16];  /* 0x00: Xmm0..Xmm15 */
    DWORD64 *IntegerContext[16]; /* 0x80: Rax..R15 in CONTEXT order */
} KNONVOLATILE_CONTEXT_POINTERS;
_Static_assert(sizeof(KNONVOLATILE_CONTEXT_POINTERS) == 0x100, "KNONVOLATILE_CONTEXT_POINTERS");

#endif
