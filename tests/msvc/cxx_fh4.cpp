/* __CxxFrameHandler4 (vcruntime140_1) end to end. clang emits only FH3 metadata, so the FH4
 * function is written here in assembly, laid out as MSVC 2019+ emits one:
 *
 *     int fh4_func(void (*thrower)(int), int v)
 *     {
 *         Guard g;                      // state 0: destructor with the object's frame offset
 *         try {                         // state 1
 *             thrower(v);
 *         } catch (int x) {             // state 2, a catch funclet with its own FuncInfo4
 *             on_catch(&x);             //   (isCatch, dispFrame), returning continuation index 0
 *         }                             //   into the handler's function-relative address
 *         return caught value or 0;
 *     }
 *
 * with compressed FuncInfo4, unwind map (next states as byte offsets back), try block map,
 * handler map and delta-encoded IP maps. The code lives in a section of its own with every
 * state boundary at a fixed offset (.org), so the IP map holds plain constants. Checked: a
 * throw caught by the FH4 catch block (catch object built, funclet run, continuation taken,
 * the guard destroyed afterwards), no throw, and a throw of another type unwinding through the
 * FH4 frame (its destructor entry runs) to an FH3 catch in main, and a rethrow from inside the
 * FH4 catch block (the funclet's FuncInfo4 has no try map, so its catch states come from its IP
 * map) that leaves the FH4 frame with the guard destroyed once. */
#include "ucrt.h"

extern "C" int fh4_func(void (*thrower)(int), int v);

extern "C" void guard_ctor(int *g)
{
    *g = 7;
    printf("  guard constructed\n");
}
extern "C" void guard_dtor(int *g) { printf("  guard %d destroyed\n", *g); }
extern "C" void on_catch(int *v)
{
    printf("  FH4 catch block: caught int %d\n", *v);
    if (*v == 9)
        throw; /* rethrown from a function the catch block calls */
}

static void thrower_int(int v)
{
    if (v)
        throw v;
}
static void thrower_double(int v) { throw v * 1.5; }

__asm__(R"(
    .section .text$fh4,"xr"
    .p2align 4
    .globl fh4_func
fh4_func:
    .seh_proc fh4_func
    .seh_handler __CxxFrameHandler4, @unwind, @except
    pushq %rbp
    .seh_pushreg %rbp
    subq $0x40, %rsp
    .seh_stackalloc 0x40
    leaq 0x20(%rsp), %rbp
    .seh_setframe %rbp, 0x20
    .seh_endprologue
    movq %rcx, 0x20(%rsp)
    movl %edx, 0x28(%rsp)
    movl $0, 0x38(%rsp)
    leaq 0x30(%rsp), %rcx
    callq guard_ctor
    .org 0x30, 0x90
    nop                         # 0x30: state 0 (the guard lives)
    .org 0x40, 0x90
    movl 0x28(%rsp), %ecx       # 0x40: state 1 (in the try)
    callq *0x20(%rsp)
    nop
    .org 0x60, 0x90
    leaq 0x30(%rsp), %rcx       # 0x60: state 0, normal exit
    callq guard_dtor
    .org 0x70, 0x90
    xorl %eax, %eax             # 0x70: state -1
    addq $0x40, %rsp
    popq %rbp
    retq
    .org 0x80, 0xcc
    leaq 0x30(%rsp), %rcx       # 0x80: the catch's continuation, state 0
    callq guard_dtor
    .org 0x90, 0x90
    movl 0x38(%rsp), %eax       # 0x90: state -1, return the caught value
    addq $0x40, %rsp
    popq %rbp
    retq
    .seh_handlerdata
    .rva fh4_funcinfo
    .section .text$fh4,"xr"
    .seh_endproc
    .org 0xa0, 0xcc
fh4_catch:
    .seh_proc fh4_catch
    .seh_handler __CxxFrameHandler4, @unwind, @except
    movq %rdx, 0x10(%rsp)       # the parent's frame, at dispFrame 0x38 after the prolog
    pushq %rbp
    .seh_pushreg %rbp
    subq $0x20, %rsp
    .seh_stackalloc 0x20
    .seh_endprologue
    leaq 0x38(%rdx), %rcx       # the catch object
    callq on_catch
    xorl %eax, %eax             # continuation index 0
    addq $0x20, %rsp
    popq %rbp
    retq
    .seh_handlerdata
    .rva fh4_catch_funcinfo
    .section .text$fh4,"xr"
    .seh_endproc

    .section .rdata$fh4,"dr"
fh4_funcinfo:
    .byte 0x08 | 0x10 | 0x20    # UnwindMap, TryBlockMap, EHs
    .rva fh4_unwind
    .rva fh4_trymap
    .rva fh4_ipmap
fh4_catch_funcinfo:
    .byte 0x01 | 0x08 | 0x20    # isCatch, UnwindMap, EHs (no try map: the runtime finds the
    .rva fh4_unwind             # catch block's states from the funclet's IP map)
    .rva fh4_catch_ipmap
    .byte 0x38 << 1             # dispFrame
fh4_unwind:
    .byte 3 << 1                # 3 states
    .byte ((1 << 2) | 1) << 1   # 0 (offset 0): to -1, destructor with object
    .rva guard_dtor
    .byte 0x30 << 1             #   object at frame + 0x30
    .byte ((6 << 2) | 0) << 1   # 1 (offset 6): to state 0, no action
    .byte ((7 << 2) | 0) << 1   # 2 (offset 7): to state 0, no action
fh4_trymap:
    .byte 1 << 1                # 1 try block
    .byte 1 << 1, 1 << 1, 2 << 1 # low 1, high 1, catch high 2
    .rva fh4_handlers
fh4_handlers:
    .byte 1 << 1                # 1 handler
    .byte 0x02 | 0x04 | (1 << 4) # type, catch object, one function-relative continuation
    .rva "??_R0H@8"             # int
    .byte 0x38 << 1             # catch object at frame + 0x38
    .rva fh4_catch
    .byte 0x01, 0x02            # continuation 0x80 (two-byte form: 0x80 << 2 | 1)
fh4_ipmap:
    .byte 7 << 1
    .byte 0x00 << 1, 0 << 1     # 0x00: -1
    .byte 0x30 << 1, 1 << 1     # 0x30: 0
    .byte 0x10 << 1, 2 << 1     # 0x40: 1
    .byte 0x20 << 1, 1 << 1     # 0x60: 0
    .byte 0x10 << 1, 0 << 1     # 0x70: -1
    .byte 0x10 << 1, 1 << 1     # 0x80: 0
    .byte 0x10 << 1, 0 << 1     # 0x90: -1
fh4_catch_ipmap:
    .byte 1 << 1
    .byte 0x00 << 1, 3 << 1     # the whole funclet: state 2
    .text
)");

int main()
{
    printf("1: a throw caught by the FH4 catch block\n");
    printf("returned %d\n", fh4_func(thrower_int, 5));
    printf("2: no throw\n");
    printf("returned %d\n", fh4_func(thrower_int, 0));
    printf("3: another type unwinds through the FH4 frame\n");
    try {
        fh4_func(thrower_double, 3);
        printf("not reached\n");
    } catch (double d) {
        printf("main caught double %g\n", d);
    }
    printf("4: the FH4 catch block rethrows\n");
    try {
        fh4_func(thrower_int, 9);
        printf("not reached\n");
    } catch (int i) {
        printf("main caught the rethrown int %d\n", i);
    }
    return 0;
}
