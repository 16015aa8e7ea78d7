/* seh_stack_room: exceptions where the stack pointer has little or no room, or is not on the
 * thread's stack at all. Windows' kernel writes the exception frame below the faulting stack
 * pointer and runs the dispatcher there; so:
 *  - near-end: a fault with ~40 KiB of the stack left is dispatched like any other (a vectored
 *    handler continues it; with no vectored handler the frame walk reaches the unhandled-
 *    exception filter, which continues it);
 *  - overflow: a runaway recursion raises STATUS_STACK_OVERFLOW (2 parameters: a write, an
 *    address in the guard region), seen by a vectored handler and the unhandled filter (which
 *    jumps back to main); _resetstkoflw puts the guard back and the next overflow is caught
 *    again; without it the next overflow ends the process with 0xC0000005, no handler seeing it;
 *  - heap-stack: code running on a heap block the TEB does not describe (a coroutine's stack):
 *    a vectored handler sees the fault and continues it, on a 256 KiB block and on a 16 KiB one;
 *  - heap-frames: the same block described by the TEB (StackBase/StackLimit set, as fiber and
 *    coroutine libraries do): a frame handler there catches the fault and unwinds to its frame;
 *  - heap-filter: on the undescribed block with only an unhandled filter: the frame walk finds
 *    the frame outside the stack limits (EXCEPTION_STACK_INVALID), the filter is not called and
 *    the process ends with 0xC0000005;
 *  - bad-sp, ro-sp: the stack pointer in reserved memory, or on a read-only page: the frame cannot be written, no
 *    handler runs (a vectored handler is set), the process ends with 0xC0000005;
 *  - overflow also prints the TEB's StackLimit (from the stack's low end): an overflow commits
 *    the guard page and the limit stays at its start, _resetstkoflw or not;
 *  - raise-near-end: RaiseException and RtlRaiseException with ~16 KiB of the stack left (room
 *    for Windows' raise and dispatch, a few KiB): a vectored handler and a frame handler see the
 *    exception, the frame handler unwinds to its guard;
 *  - raise-no-room: RaiseException with ~10 KiB left, where Windows' RtlRaiseException and
 *    RtlDispatchException frames (~3 KiB) reach the guard region: STATUS_STACK_OVERFLOW in its
 *    place, seen by both handlers, at an address in a system DLL (Windows' frames fault inside
 *    RtlRaiseException or its callees), the context's Rip the same; again after _resetstkoflw;
 *    without it the process ends with 0xC0000005, no handler seeing it;
 *  - nested: a vectored handler of a fault near the stack's end (then of a fault on a heap
 *    block) switches to another heap block and faults again there: the inner dispatch sees its
 *    own record, and the outer record and context are intact after it (each dispatch lies on the
 *    stack of its own exception on Windows);
 *  - nested-deep: twelve such levels, each handler faulting on a heap block of its own: every
 *    outer record and context is intact after the inner ones (ntrun's dispatch stack has a
 *    zone for each, sixteen; with eight, the ninth level wrote over the first's);
 *  - nested-too-deep: seventeen such levels: ntrun's sixteen zones are all live and the
 *    seventeenth fault's frame pointer lies in the innermost (the handler switched stacks from
 *    there), so ntrun refuses it (the process ends with the fault's code, a message on stderr
 *    says it is ntrun's limit) instead of writing over the outer dispatches; Windows and Wine
 *    dispatch it (their line says 17 calls, 17 intact, and exit code 0): ntrun's known
 *    difference;
 *  - jump-away: forty faults on heap blocks whose handler leaves by a jump of the program's
 *    own: every one is handled (the dispatches left behind are over, their zones reused).
 * The parent runs each mode as a child and prints its exit code. Wine 8.0 gives the same for
 * near-end, heap-stack, heap-frames, heap-filter, raise-near-end, nested, nested-deep and
 * jump-away (nested-too-deep: see above); its overflow child
 * prints the first StackLimit line (+ 0x2000 too) and ends with exit code 0 (its debugger
 * starts), and its bad-sp and ro-sp children end with exit code 0 without a line after the
 * fault. */
#include <setjmp.h>
#include <stdio.h>
#include <string.h>
#include <malloc.h>
#include <windows.h>
#include "child_modes.h"

/* fault_read(p): `mov (%rcx), %eax` (2 bytes) at fault_insn. call_on(fn, top): runs fn() with
 * the stack pointer at top, then returns on the caller's stack. */
__asm__(".text\n"
        ".globl fault_read\n"
        "fault_read:\n"
        ".globl fault_insn\n"
        "fault_insn:\n"
        "  mov (%rcx), %eax\n"
        "  ret\n"
        ".globl call_on\n"
        ".def call_on; .scl 2; .type 32; .endef\n"
        ".seh_proc call_on\n"
        "call_on:\n"
        "  push %rbp\n"
        "  .seh_pushreg %rbp\n"
        "  mov %rsp, %rbp\n"
        "  .seh_setframe %rbp, 0\n"
        "  .seh_endprologue\n"
        "  mov %rdx, %rsp\n"
        "  sub $0x20, %rsp\n"
        "  call *%rcx\n"
        "  mov %rbp, %rsp\n"
        "  pop %rbp\n"
        "  ret\n"
        ".seh_endproc\n"
        /* guard(fn): returns fn(), or 0xC0DE when guard_handler unwound to guard_landing. */
        ".globl guard\n"
        ".def guard; .scl 2; .type 32; .endef\n"
        ".seh_proc guard\n"
        "guard:\n"
        "  sub $0x28, %rsp\n"
        "  .seh_stackalloc 0x28\n"
        "  .seh_endprologue\n"
        "  .seh_handler guard_handler, @except, @unwind\n"
        "  call *%rcx\n"
        "  nop\n"
        ".globl guard_landing\n"
        "guard_landing:\n"
        "  add $0x28, %rsp\n"
        "  ret\n"
        ".seh_endproc\n");
int fault_read(const volatile void *p);
void call_on(void (*fn)(void), void *top);
ULONG_PTR guard(ULONG_PTR (*fn)(void));
extern char fault_insn[], guard_landing[];

static volatile DWORD vec_code, vec_params, vec_write, filter_code;
static volatile ULONG_PTR vec_addr, vec_rip;
static volatile int vec_calls, filter_calls, read_value;
static jmp_buf jb;

/* Continues a fault at fault_insn past the instruction, with eax = 0x5A. */
static LONG skip_fault(EXCEPTION_POINTERS *ep)
{
    if (ep->ContextRecord->Rip != (DWORD64)fault_insn)
        return EXCEPTION_CONTINUE_SEARCH;
    ep->ContextRecord->Rip += 2;
    ep->ContextRecord->Rax = 0x5A;
    return EXCEPTION_CONTINUE_EXECUTION;
}

/* A handler's note of what it saw: one more call, the code (and for the vectored handler the
 * parameters). */
static void note(const EXCEPTION_POINTERS *ep, volatile int *calls, volatile DWORD *code)
{
    (*calls)++;
    *code = ep->ExceptionRecord->ExceptionCode;
    if (code == &vec_code) {
        vec_params = ep->ExceptionRecord->NumberParameters;
        vec_write = (DWORD)ep->ExceptionRecord->ExceptionInformation[0];
        vec_addr = (ULONG_PTR)ep->ExceptionRecord->ExceptionAddress;
        vec_rip = ep->ContextRecord->Rip;
    }
}

static LONG CALLBACK vectored_skip(EXCEPTION_POINTERS *ep)
{
    note(ep, &vec_calls, &vec_code);
    return skip_fault(ep);
}

static LONG CALLBACK vectored_note(EXCEPTION_POINTERS *ep)
{
    note(ep, &vec_calls, &vec_code);
    return EXCEPTION_CONTINUE_SEARCH;
}

static LONG WINAPI filter_skip(EXCEPTION_POINTERS *ep)
{
    note(ep, &filter_calls, &filter_code);
    return skip_fault(ep);
}

/* msvcrt's longjmp (not a jump of the program's own): the runtime sees the dispatch end. */
static LONG WINAPI filter_jump(EXCEPTION_POINTERS *ep)
{
    note(ep, &filter_calls, &filter_code);
    longjmp(jb, 1);
}

static LONG WINAPI filter_print(EXCEPTION_POINTERS *ep)
{
    printf("  the unhandled-exception filter was called (0x%08lX)\n",
           ep->ExceptionRecord->ExceptionCode);
    return skip_fault(ep);
}

EXCEPTION_DISPOSITION guard_handler(EXCEPTION_RECORD *rec, void *frame, CONTEXT *ctx,
                                    DISPATCHER_CONTEXT *d)
{
    if (rec->ExceptionFlags & EXCEPTION_UNWINDING)
        return ExceptionContinueSearch;
    filter_code = rec->ExceptionCode;
    RtlUnwindEx(frame, guard_landing, rec, (void *)0xC0DE, ctx, d->HistoryTable);
    return ExceptionContinueSearch;
}

static void reset_notes(void)
{
    vec_code = vec_params = vec_write = filter_code = 0;
    vec_calls = filter_calls = 0;
    read_value = 0;
}

/* Recursion down to `stop` bytes above the stack's low end, then fn. */
static ULONG_PTR stack_low;
static void (*volatile at_bottom)(void);
__attribute__((noinline)) static void descend(ULONG_PTR stop)
{
    volatile char pad[200];
    pad[0] = 1;
    if ((ULONG_PTR)pad - stack_low > stop)
        descend(stop);
    else
        at_bottom();
    pad[1] = pad[0];
}

#pragma GCC diagnostic ignored "-Winfinite-recursion"
__attribute__((noinline)) static void forever(int n)
{
    volatile char pad[200];
    pad[0] = (char)n;
    forever(n + 1);
    pad[1] = pad[0];
}

static void read_null(void) { read_value = fault_read(NULL); }
static ULONG_PTR read_null_value(void) { return (ULONG_PTR)fault_read(NULL); }
static ULONG_PTR guarded_result;
static void guarded_read(void) { guarded_result = guard(read_null_value); }

/* The TEB's StackLimit, from the stack's low end. */
static void print_stack_limit(const char *when)
{
    NT_TIB *tib;
    __asm__("mov %%gs:0x30, %0" : "=r"(tib));
    printf("  StackLimit %s: the stack's low end + 0x%llx\n", when,
           (unsigned long long)((ULONG_PTR)tib->StackLimit - stack_low));
}

static void find_stack_low(void)
{
    ULONG_PTR high;
    GetCurrentThreadStackLimits(&stack_low, &high);
}

/* One fault at `stop` bytes above the stack's low end, then what the handler noted. */
static void fault_near_end(const char *who, volatile int *calls, volatile DWORD *code)
{
    at_bottom = read_null;
    reset_notes();
    descend(40 * 1024);
    printf("near the stack's end, %s: code 0x%08lX, %d call(s), read 0x%X\n", who, *code, *calls,
           read_value);
}

static void near_end(void)
{
    find_stack_low();
    PVOID h = AddVectoredExceptionHandler(1, vectored_skip);
    fault_near_end("a vectored handler", &vec_calls, &vec_code);
    RemoveVectoredExceptionHandler(h);
    SetUnhandledExceptionFilter(filter_skip);
    fault_near_end("the unhandled filter", &filter_calls, &filter_code);
}

static void overflow(void)
{
    find_stack_low();
    PVOID h = AddVectoredExceptionHandler(1, vectored_note);
    SetUnhandledExceptionFilter(filter_jump);
    print_stack_limit("at the start");
    for (int round = 1; round <= 3; round++) {
        if (round == 2) {
            printf("_resetstkoflw: %s\n", _resetstkoflw() ? "nonzero" : "0");
            print_stack_limit("after _resetstkoflw");
        }
        if (round == 3)
            printf("overflow 3, without _resetstkoflw: the process ends\n");
        reset_notes();
        if (!setjmp(jb))
            forever(0);
        printf("overflow %d: vectored handler 0x%08lX (%lu parameters, first %lu), filter "
               "0x%08lX\n", round, vec_code, vec_params, vec_write, filter_code);
        print_stack_limit("after it");
    }
    RemoveVectoredExceptionHandler(h);
}

/* raise_it: RaiseException(0xE0000001, 1 parameter) or ntdll's RtlRaiseException of a record
 * with code 0xE0000002; raise_guarded runs it inside guard(). */
static int raise_how;
static ULONG_PTR raise_result;
static ULONG_PTR raise_it(void)
{
    ULONG_PTR param = 0x1234;
    if (raise_how == 0) {
        RaiseException(0xE0000001, 0, 1, &param);
    } else {
        static void(WINAPI * rtl_raise)(EXCEPTION_RECORD *);
        if (!rtl_raise)
            rtl_raise = (void(WINAPI *)(EXCEPTION_RECORD *))(void *)GetProcAddress(
                GetModuleHandleA("ntdll.dll"), "RtlRaiseException");
        EXCEPTION_RECORD r = {.ExceptionCode = 0xE0000002, .NumberParameters = 1};
        r.ExceptionInformation[0] = param;
        rtl_raise(&r);
    }
    return 1;
}
static void raise_guarded(void) { raise_result = guard(raise_it); }

static void raise_near_end(void)
{
    static const char *const how[] = {"RaiseException", "RtlRaiseException"};
    find_stack_low();
    PVOID h = AddVectoredExceptionHandler(1, vectored_note);
    at_bottom = raise_guarded;
    for (raise_how = 0; raise_how < 2; raise_how++) {
        reset_notes();
        raise_result = 0;
        descend(16 * 1024);
        printf("%s near the stack's end: vectored handler 0x%08lX (%lu parameter(s)), frame "
               "handler 0x%08lX, guard gave 0x%llX\n", how[raise_how], vec_code, vec_params,
               filter_code, (unsigned long long)raise_result);
    }
    RemoveVectoredExceptionHandler(h);
}

/* Which module an address lies in: the program, a system DLL (the test loads no other), none. */
static const char *module_kind(ULONG_PTR addr)
{
    HMODULE m;
    if (!GetModuleHandleExW(GET_MODULE_HANDLE_EX_FLAG_FROM_ADDRESS |
                                GET_MODULE_HANDLE_EX_FLAG_UNCHANGED_REFCOUNT,
                            (LPCWSTR)addr, &m))
        return "no module";
    return m == GetModuleHandleW(NULL) ? "the program" : "a system DLL";
}

static void raise_no_room(void)
{
    find_stack_low();
    PVOID h = AddVectoredExceptionHandler(1, vectored_note);
    at_bottom = raise_guarded;
    raise_how = 0;
    for (int round = 1; round <= 3; round++) {
        if (round == 2)
            printf("_resetstkoflw: %s\n", _resetstkoflw() ? "nonzero" : "0");
        if (round == 3)
            printf("a raise with no room 3, without _resetstkoflw: the process ends\n");
        reset_notes();
        raise_result = 0;
        descend(10 * 1024);
        printf("a raise with no room %d: vectored handler 0x%08lX (%lu parameters, first %lu), "
               "frame handler 0x%08lX, guard gave 0x%llX\n", round, vec_code, vec_params,
               vec_write, filter_code, (unsigned long long)raise_result);
        /* the raise's own frames fault (Windows: inside RtlRaiseException or its callees) */
        printf("  its address: in %s, the context's Rip %s\n", module_kind(vec_addr),
               vec_rip == vec_addr ? "the same" : "elsewhere");
        print_stack_limit("after it");
    }
    RemoveVectoredExceptionHandler(h);
}

/* nested: the handler of the first fault (reading address 0) reads address 16 on another heap
 * block; the inner dispatch continues that one. */
static char *nest_block;
static volatile int nest_level, inner_value;
static volatile DWORD inner_code, outer_code;
static volatile ULONG_PTR inner_addr, outer_addr, outer_rcx;
static void read_16(void) { inner_value = fault_read((void *)16); }

static LONG CALLBACK vectored_nest(EXCEPTION_POINTERS *ep)
{
    if (ep->ContextRecord->Rip != (DWORD64)fault_insn)
        return EXCEPTION_CONTINUE_SEARCH;
    if (nest_level++ == 0) {
        call_on(read_16, nest_block + 64 * 1024 - 64);
        outer_code = ep->ExceptionRecord->ExceptionCode;
        outer_addr = ep->ExceptionRecord->ExceptionInformation[1];
        outer_rcx = ep->ContextRecord->Rcx;
    } else {
        inner_code = ep->ExceptionRecord->ExceptionCode;
        inner_addr = ep->ExceptionRecord->ExceptionInformation[1];
    }
    nest_level--;
    return skip_fault(ep);
}

static void print_nested(const char *first)
{
    printf("the first fault %s, its handler faulting on another stack: inner 0x%08lX reading "
           "0x%llX; the outer record after it 0x%08lX reading 0x%llX, rcx 0x%llX; read 0x%X and "
           "0x%X\n", first, inner_code, (unsigned long long)inner_addr, outer_code,
           (unsigned long long)outer_addr, (unsigned long long)outer_rcx, read_value,
           inner_value);
}

static void nested(void)
{
    find_stack_low();
    char *block = HeapAlloc(GetProcessHeap(), 0, 64 * 1024);
    nest_block = HeapAlloc(GetProcessHeap(), 0, 64 * 1024);
    PVOID h = AddVectoredExceptionHandler(1, vectored_nest);
    at_bottom = read_null;
    reset_notes();
    descend(40 * 1024);
    print_nested("near the stack's end");
    reset_notes();
    inner_code = outer_code = 0;
    inner_addr = outer_addr = outer_rcx = 0;
    inner_value = 0;
    call_on(read_null, block + 64 * 1024 - 64);
    print_nested("on a heap block");
    RemoveVectoredExceptionHandler(h);
}

/* nested-deep: the same six levels deep, each handler switching to a heap block of its own
 * and faulting there (reading 16, 32, ... 96): when the innermost returns, every outer record
 * and context still says what its own fault was. */
#define DEEP_LEVELS 12
#define TOO_DEEP_LEVELS 17
static char *deep_block[TOO_DEEP_LEVELS];
static volatile int deep_levels = DEEP_LEVELS, deep_level, deep_intact, deep_calls;

static void deep_read(void)
{
    read_value = fault_read((void *)(ULONG_PTR)(16 * (deep_level + 1)));
}

static LONG CALLBACK vectored_deep(EXCEPTION_POINTERS *ep)
{
    if (ep->ContextRecord->Rip != (DWORD64)fault_insn)
        return EXCEPTION_CONTINUE_SEARCH;
    int level = deep_level++;
    deep_calls++;
    if (level + 1 < deep_levels)
        call_on(deep_read, deep_block[level + 1] + 64 * 1024 - 64);
    ULONG_PTR want = 16 * (ULONG_PTR)(level + 1);
    if (ep->ExceptionRecord->ExceptionCode == EXCEPTION_ACCESS_VIOLATION &&
        ep->ExceptionRecord->ExceptionInformation[1] == want && ep->ContextRecord->Rcx == want)
        deep_intact++;
    deep_level--;
    return skip_fault(ep);
}

static void nest_levels(int levels)
{
    deep_levels = levels;
    for (int i = 0; i < levels; i++)
        deep_block[i] = HeapAlloc(GetProcessHeap(), 0, 64 * 1024);
    PVOID h = AddVectoredExceptionHandler(1, vectored_deep);
    call_on(deep_read, deep_block[0] + 64 * 1024 - 64);
    RemoveVectoredExceptionHandler(h);
    printf("%d faults nested, each handler faulting on a stack of its own: %d handler call(s), "
           "%d record(s) and context(s) intact after the inner ones, read 0x%X\n", levels,
           deep_calls, deep_intact, read_value);
}

static void nested_deep(void) { nest_levels(DEEP_LEVELS); }

static void nested_too_deep(void)
{
    printf("%d faults nested, each handler faulting on a stack of its own\n", TOO_DEEP_LEVELS);
    nest_levels(TOO_DEEP_LEVELS);
}

/* jump-away: forty faults, each on a heap block of its own, whose handler leaves by a jump of
 * the program's own (__builtin_longjmp, which no runtime sees) back to the thread's stack: the
 * dispatches it abandons are over, every fault is handled. */
static void *jump_buf[5];
static volatile int jump_calls;

static LONG CALLBACK vectored_jump(EXCEPTION_POINTERS *ep)
{
    if (ep->ContextRecord->Rip != (DWORD64)fault_insn)
        return EXCEPTION_CONTINUE_SEARCH;
    jump_calls++;
    __builtin_longjmp(jump_buf, 1);
}

static void jump_away(void)
{
    enum { N = 40 };
    static char *blocks[N];
    static volatile int landed;
    PVOID h = AddVectoredExceptionHandler(1, vectored_jump);
    for (int i = 0; i < N; i++) {
        blocks[i] = HeapAlloc(GetProcessHeap(), 0, 64 * 1024);
        if (__builtin_setjmp(jump_buf) == 0)
            call_on(read_null, blocks[i] + 64 * 1024 - 64);
        else
            landed++;
    }
    RemoveVectoredExceptionHandler(h);
    printf("%d faults on stacks of their own, each handler leaving by a jump of its own: %d "
           "handler call(s), %d landing(s)\n", N, jump_calls, landed);
}

static void heap_stack(void)
{
    PVOID h = AddVectoredExceptionHandler(1, vectored_skip);
    static const size_t sizes[] = {256 * 1024, 16 * 1024};
    for (int i = 0; i < 2; i++) {
        char *block = HeapAlloc(GetProcessHeap(), 0, sizes[i]);
        reset_notes();
        call_on(read_null, block + sizes[i] - 64);
        printf("on a %u KiB heap block: vectored handler 0x%08lX, %d call(s), read 0x%X\n",
               (unsigned)(sizes[i] / 1024), vec_code, vec_calls, read_value);
        HeapFree(GetProcessHeap(), 0, block);
    }
    RemoveVectoredExceptionHandler(h);
}

static void heap_frames(void)
{
    size_t size = 64 * 1024;
    char *block = VirtualAlloc(NULL, size, MEM_RESERVE | MEM_COMMIT, PAGE_READWRITE);
    NT_TIB *tib;
    __asm__("mov %%gs:0x30, %0" : "=r"(tib));
    void *base = tib->StackBase, *limit = tib->StackLimit;
    reset_notes();
    tib->StackBase = block + size;
    tib->StackLimit = block;
    call_on(guarded_read, block + size - 64);
    tib->StackBase = base;
    tib->StackLimit = limit;
    printf("on a 64 KiB block the TEB describes: the frame handler saw 0x%08lX, guard gave "
           "0x%llX\n", filter_code, (unsigned long long)guarded_result);
}

static void heap_filter(void)
{
    char *block = HeapAlloc(GetProcessHeap(), 0, 256 * 1024);
    SetUnhandledExceptionFilter(filter_print);
    printf("on a heap block the TEB does not describe, only an unhandled filter set\n");
    call_on(read_null, block + 256 * 1024 - 64);
    printf("  continued: read 0x%X\n", read_value);
}

static LONG CALLBACK vectored_print(EXCEPTION_POINTERS *ep)
{
    printf("  a vectored handler was called (0x%08lX)\n", ep->ExceptionRecord->ExceptionCode);
    return EXCEPTION_CONTINUE_SEARCH;
}

static void bad_sp(const char *how)
{
    static char page_ro[4096] __attribute__((aligned(4096)));
    char *reserved = VirtualAlloc(NULL, 65536, MEM_RESERVE, PAGE_READWRITE);
    void *top = strcmp(how, "in reserved memory") == 0 ? reserved + 32768 : page_ro + 2048;
    DWORD old;
    VirtualProtect(page_ro, 4096, PAGE_READONLY, &old);
    AddVectoredExceptionHandler(1, vectored_print);
    printf("the stack pointer %s, a vectored handler set\n", how);
    /* call_on's own call pushes onto the bad stack: the fault is that write. */
    call_on(read_null, top);
    printf("  continued\n");
}

static void bad_sp_reserved(void) { bad_sp("in reserved memory"); }
static void bad_sp_ro(void) { bad_sp("on a read-only page"); }

static const child_mode modes[] = {
    {"near-end", near_end},       {"overflow", overflow},
    {"heap-stack", heap_stack},   {"heap-frames", heap_frames},
    {"heap-filter", heap_filter}, {"bad-sp", bad_sp_reserved},
    {"ro-sp", bad_sp_ro},         {"raise-near-end", raise_near_end},
    {"raise-no-room", raise_no_room}, {"nested", nested},
    {"nested-deep", nested_deep}, {"nested-too-deep", nested_too_deep},
    {"jump-away", jump_away},
};

int main(int argc, char **argv)
{
    return child_modes_main(argc, argv, modes, sizeof modes / sizeof modes[0]);
}
