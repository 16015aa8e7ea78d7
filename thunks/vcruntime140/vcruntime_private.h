/* SPDX-License-Identifier: MIT */
/* thunks/vcruntime140/: MSVC's C++ exception support (vcruntime140.dll, vcruntime140_1.dll).
 * Shared by throw.c, frame_handler.c, fh4.c and rtti.c, and by the unit tests of the decoders.
 *
 * The x64 data structures are MSVC's (as its ehdata.h/ehdata4.h and rttidata.h describe them):
 * every pointer inside is a 32-bit offset from the base of the image that holds the structure
 * (the thrower's image for ThrowInfo and its catchable types, the catching function's image for
 * FuncInfo). See docs/exceptions.md, "MSVC C++ exceptions". */
#ifndef NTRUN_THUNKS_VCRUNTIME_PRIVATE_H
#define NTRUN_THUNKS_VCRUNTIME_PRIVATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "runtime/winexc.h"

/* ---- the exception record _CxxThrowException raises ---- */
#define CXX_EXCEPTION_CODE 0xE06D7363u   /* 'msc' | 0xE0000000 */
#define CXX_MAGIC_1 0x19930520u          /* ExceptionInformation[0]; also FuncInfo magics */
#define CXX_MAGIC_2 0x19930521u
#define CXX_MAGIC_3 0x19930522u
#define CXX_PURE_MAGIC 0x01994000u       /* /clr:pure throws */
#define CXX_PARAMS 4                     /* magic, object, ThrowInfo, image base */

/* ThrowInfo: what _CxxThrowException is given with the object. */
typedef struct {
    uint32_t attributes;      /* 0x00 CXX_THROW_CONST, ... */
    int32_t unwind;           /* 0x04 RVA of the object's destructor, 0: none */
    int32_t forward_compat;   /* 0x08 */
    int32_t catchable_types;  /* 0x0c RVA of the CatchableTypeArray */
} cxx_throw_info;
_Static_assert(sizeof(cxx_throw_info) == 0x10, "ThrowInfo");
#define CXX_THROW_CONST 1
#define CXX_THROW_VOLATILE 2
#define CXX_THROW_UNALIGNED 4

typedef struct {
    int32_t mdisp; /* member displacement */
    int32_t pdisp; /* vbtable displacement, -1: no virtual base */
    int32_t vdisp; /* displacement inside the vbtable */
} cxx_pmd;

/* CatchableType: one type the thrown object may be caught as (itself, each base, void *). */
typedef struct {
    uint32_t properties;  /* 0x00 CXX_CT_* */
    int32_t type;         /* 0x04 RVA of the TypeDescriptor */
    cxx_pmd this_disp;    /* 0x08 how to get from the object to this base */
    int32_t size;         /* 0x14 */
    int32_t copy_ctor;    /* 0x18 RVA, 0: bitwise copy */
} cxx_catchable_type;
_Static_assert(sizeof(cxx_catchable_type) == 0x1c, "CatchableType");
#define CXX_CT_SIMPLE 1        /* scalar or pointer: copied bitwise */
#define CXX_CT_BYREFONLY 2     /* may only be caught by reference */
#define CXX_CT_VIRTUAL_BASE 4  /* copy constructor takes the "most derived" flag */

typedef struct {
    int32_t count;
    int32_t types[]; /* RVAs of CatchableTypes */
} cxx_catchable_type_array;

/* TypeDescriptor (type_info's layout): vftable, spare (undecorated name cache), then the
 * decorated name (".H", ".?AVfoo@@", ...). */
typedef struct {
    const void *vftable;  /* 0x00 */
    void *spare;          /* 0x08 */
    char name[];          /* 0x10 */
} cxx_type_descriptor;

/* HandlerType adjectives */
#define CXX_HT_CONST 0x01
#define CXX_HT_VOLATILE 0x02
#define CXX_HT_UNALIGNED 0x04
#define CXX_HT_REFERENCE 0x08
#define CXX_HT_RESUMABLE 0x10
#define CXX_HT_ELLIPSIS 0x40     /* catch (...) (also: no type) */
#define CXX_HT_BADALLOC_COMPAT 0x80

/* ---- FuncInfo, decoded: one form for __CxxFrameHandler3's fixed tables and
 * __CxxFrameHandler4's compressed ones ---- */
enum { CXX_UW_NONE, CXX_UW_FUNCLET, CXX_UW_DTOR_OBJ, CXX_UW_DTOR_PTR };

typedef struct {
    int32_t to_state;  /* the state this action leaves the frame in */
    uint8_t kind;      /* CXX_UW_* */
    int32_t action;    /* RVA: cleanup funclet (called with the frame) or destructor */
    uint32_t object;   /* FH4 destructors: frame offset of the object or of its pointer */
} cxx_unwind_entry;

typedef struct {
    uint32_t adjectives;
    int32_t type;         /* RVA of the TypeDescriptor, 0: catch (...) */
    int32_t catch_obj;    /* frame offset of the catch object, 0: none */
    int32_t handler;      /* RVA of the catch funclet */
    int32_t frame_disp;   /* FH3: where the catch funclet keeps its parent's frame */
    uint32_t ncont;       /* FH4: continuation addresses given in the metadata (0-2) */
    uint32_t cont[2];     /* their RVAs */
} cxx_handler;

typedef struct {
    int32_t low, high;    /* try states [low, high] */
    int32_t catch_high;   /* catch states (high, catch_high] */
    uint32_t nhandlers;
    cxx_handler *handlers;
} cxx_try;

typedef struct {
    uint32_t rva;   /* from here on (image-relative) */
    int32_t state;
} cxx_ip_state;

typedef struct {
    int version;             /* 3 (FuncInfo) or 4 (FuncInfo4) */
    uint32_t nunwind;
    cxx_unwind_entry *unwind; /* indexed by state */
    uint32_t ntry;
    cxx_try *tries;          /* innermost first, as the compilers emit them */
    uint32_t nip;
    cxx_ip_state *ip;        /* sorted by rva */
    bool synchronous;        /* /EHs: only C++ exceptions are caught */
    bool noexcept_fn;        /* an exception leaving the function calls terminate */
    bool is_catch;           /* FH4: the metadata of a catch funclet */
    uint32_t disp_frame;     /* FH4 catch funclet: frame offset of the parent's frame */
} cxx_func;

/* Decoders: 0, or -1 for metadata they cannot read (out of memory, bad magic). The image is
 * the program's, trusted as the loader trusts it. cxx_func_free releases the arrays. */
int cxx_decode_fh3(const uint8_t *funcinfo, uint64_t image_base, cxx_func *out);
/* func_start: RVA of the function (or funclet) the FuncInfo4 belongs to (IP map offsets and
 * continuation addresses are relative to it). */
int cxx_decode_fh4(const uint8_t *funcinfo, uint64_t image_base, uint32_t func_start,
                   cxx_func *out);
void cxx_func_free(cxx_func *f);
/* The state at an image-relative pc: the last IP map entry at or before it, -1 before all. */
int32_t cxx_ip_to_state(const cxx_func *f, uint32_t rva);
/* FH4's compressed unsigned integer (1-5 bytes; the low bits of the first byte give the
 * length), advancing *p. */
uint32_t cxx_fh4_read_uint(const uint8_t **p);

/* The language handler body shared by __CxxFrameHandler3 and __CxxFrameHandler4. */
int32_t cxx_frame_handler(EXCEPTION_RECORD *rec, uint64_t frame, CONTEXT *ctx,
                          DISPATCHER_CONTEXT *d, cxx_func *f);

/* The name type_info::name gives for a decorated type descriptor name (".?AVFoo@@" ->
 * "class Foo"), malloc'd; names it cannot undecorate come back without the leading '.'. */
char *cxx_undecorate(const char *decorated);

/* ---- per-thread state (throw.c) ---- */

/* A catch block in progress: pushed by the catch-block caller while the funclet runs. */
typedef struct cxx_catch {
    struct cxx_catch *outer;
    EXCEPTION_RECORD *rec;     /* the exception being handled */
    CONTEXT *ctx;
    uint64_t target_frame;     /* establisher frame of the frame whose try caught it */
    uint64_t target_func;      /* that frame's function entry (image base + BeginAddress) */
    int32_t resume_state;      /* the state that frame is in once the catch is left */
    void *prev_exception;      /* __current_exception / _context before this catch */
    void *prev_context;
} cxx_catch;

typedef struct {
    cxx_catch *catches;        /* innermost first */
    EXCEPTION_RECORD *cur_exception; /* __current_exception() */
    CONTEXT *cur_context;            /* __current_exception_context() */
    int32_t processing;        /* thrown, not yet caught: __uncaught_exceptions() */
    void *se_translator;       /* _set_se_translator's function (this thread's), or NULL */
} cxx_thread;

cxx_thread *cxx_thread_data(void);
/* Is rec an exception _CxxThrowException raised (any of the magics)? */
bool cxx_is_cxx_exception(const EXCEPTION_RECORD *rec);
/* Destroys the thrown object of rec (the ThrowInfo's destructor), unless a catch in progress
 * still refers to it. */
void cxx_destroy_object(EXCEPTION_RECORD *rec);
/* Ends the catches from the innermost down to and including c (their frames are being left by
 * an exception or unwind): their objects are destroyed unless still referenced or the one
 * being thrown (`propagating`, may be NULL). */
void cxx_abandon_catches(cxx_catch *c, const EXCEPTION_RECORD *propagating);
/* std::terminate (the UCRT's terminate(), else abort()). */
__attribute__((noreturn)) void cxx_terminate(void);

#endif
