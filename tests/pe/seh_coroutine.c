/* seh_coroutine: exceptions raised on stacks a program switches to itself, nested in the
 * handlers of exceptions raised on other stacks, as a coroutine or fiber library does. Each
 * dispatch lies on the stack of its own exception on Windows, so an outer handler finds its
 * record and context intact after the inner ones. The switches here leave no trace in any
 * nonvolatile register (all zeroed, rbp included):
 *  - pushed-deep: twelve levels, each handler switching to a heap block of its own (the old
 *    stack pointer pushed on the new stack) and faulting there: every record and context intact;
 *  - pushed-too-deep: seventeen such levels: ntrun's dispatch stack has sixteen zones for
 *    dispatches from stacks the TEB does not describe; the seventeenth fault's stack holds the
 *    way back into the innermost zone, so ntrun refuses it (the process ends with the fault's
 *    code, a message on stderr says it is ntrun's limit) rather than write over the outer
 *    dispatches (before, it took this for a jump away and wrote over the first: 17 calls, 16
 *    intact, exit code 0); Windows and Wine dispatch it (17 calls, 17 intact, exit code 0):
 *    ntrun's known difference, as pe.seh_stack_room's nested-too-deep;
 *  - object-too-deep: the same with the old stack pointer kept in a heap object (a coroutine's
 *    context block) whose address is the new stack's top word: refused the same way;
 *  - jump-away: forty faults on such stacks whose handler leaves by a jump of the program's own
 *    (__builtin_longjmp back to the thread's stack): each one handled, the abandoned dispatches'
 *    zones reused;
 *  - fibers-deep: twenty levels through fibers (CreateFiber/SwitchToFiber: the TEB describes
 *    each fiber's stack): the main fiber faults, its handler switches to fiber 1, which faults,
 *    and so on; each fiber switches back to the one before once its own fault is continued;
 *    every record and context intact (Windows and Wine: the same). CreateFiber(64 KiB) gets
 *    the program's SizeOfStackReserve as on Windows, so ntrun dispatches each fault on the
 *    fiber's own stack and no zone is used (with 64 KiB stacks, as before, each took a zone and
 *    the eighteenth level failed);
 *  - coroutine-fiber: a fault on a heap block (a zone of ntrun's dispatch stack), whose handler
 *    switches to a fiber that faults and switches back: both records intact.
 * The parent runs each mode as a child and prints its exit code. */
#include <stdio.h>
#include <string.h>
#include <windows.h>
#include "child_modes.h"

/* fault_read(p): `mov (%rcx), %eax` (2 bytes) at fault_insn.
 * run_pushed(fn, top): runs fn() with the stack pointer at top (16-aligned), the caller's stack
 * pointer pushed there; every nonvolatile register is saved on the caller's stack and zeroed.
 * run_object(fn, top, obj): the same, the caller's stack pointer kept in obj's first word and
 * obj in the new stack's top word. */
__asm__(".text\n"
        ".globl fault_read\n"
        "fault_read:\n"
        ".globl fault_insn\n"
        "fault_insn:\n"
        "  mov (%rcx), %eax\n"
        "  ret\n"
        ".macro SAVE_ALL\n"
        "  push %rbp\n  push %rbx\n  push %rdi\n  push %rsi\n"
        "  push %r12\n  push %r13\n  push %r14\n  push %r15\n"
        ".endm\n"
        ".macro CLEAR_ALL\n"
        "  xor %ebp, %ebp\n  xor %ebx, %ebx\n  xor %edi, %edi\n  xor %esi, %esi\n"
        "  xor %r12d, %r12d\n  xor %r13d, %r13d\n  xor %r14d, %r14d\n  xor %r15d, %r15d\n"
        "  xor %eax, %eax\n  xor %edx, %edx\n  xor %r8d, %r8d\n  xor %r9d, %r9d\n"
        "  xor %r10d, %r10d\n  xor %r11d, %r11d\n"
        ".endm\n"
        ".macro RESTORE_ALL\n"
        "  pop %r15\n  pop %r14\n  pop %r13\n  pop %r12\n"
        "  pop %rsi\n  pop %rdi\n  pop %rbx\n  pop %rbp\n"
        ".endm\n"
        ".globl run_pushed\n"
        "run_pushed:\n"
        "  SAVE_ALL\n"
        "  mov %rsp, %rax\n"
        "  mov %rdx, %rsp\n"
        "  push %rax\n"
        "  sub $0x28, %rsp\n"
        "  CLEAR_ALL\n"
        "  call *%rcx\n"
        "  mov 0x28(%rsp), %rsp\n"
        "  RESTORE_ALL\n"
        "  ret\n"
        ".globl run_object\n"
        "run_object:\n"
        "  SAVE_ALL\n"
        "  mov %rsp, (%r8)\n"
        "  mov %rdx, %rsp\n"
        "  push %r8\n"
        "  sub $0x28, %rsp\n"
        "  CLEAR_ALL\n"
        "  call *%rcx\n"
        "  mov 0x28(%rsp), %rax\n"
        "  mov (%rax), %rsp\n"
        "  RESTORE_ALL\n"
        "  ret\n");
int fault_read(const volatile void *p);
void run_pushed(void (*fn)(void), void *top);
void run_object(void (*fn)(void), void *top, void *obj);
extern char fault_insn[];

#define STACK_SIZE (64 * 1024)
#define MAX_LEVELS 40

/* Continues a fault at fault_insn past the instruction, with eax = 0x5A. */
static LONG skip_fault(EXCEPTION_POINTERS *ep)
{
    ep->ContextRecord->Rip += 2;
    ep->ContextRecord->Rax = 0x5A;
    return EXCEPTION_CONTINUE_EXECUTION;
}

/* Did the dispatch of the fault that read `want` keep its record and context? */
static int intact(const EXCEPTION_POINTERS *ep, ULONG_PTR want)
{
    return ep->ExceptionRecord->ExceptionCode == EXCEPTION_ACCESS_VIOLATION &&
           ep->ExceptionRecord->ExceptionInformation[1] == want && ep->ContextRecord->Rcx == want &&
           ep->ContextRecord->Rip == (DWORD64)fault_insn;
}

static void *stack_top(char *block) { return block + STACK_SIZE - 64; }

/* ---- nesting on stacks of the program's own ---- */
static char *blocks[MAX_LEVELS];
static void *objects[MAX_LEVELS];
static int levels, use_object;
static volatile int level, calls, intact_count, read_value;

static void level_read(void) { read_value = fault_read((void *)(ULONG_PTR)(16 * (level + 1))); }

static void run_level(int k)
{
    if (use_object)
        run_object(level_read, stack_top(blocks[k]), objects[k]);
    else
        run_pushed(level_read, stack_top(blocks[k]));
}

static LONG CALLBACK vectored_nest(EXCEPTION_POINTERS *ep)
{
    if (ep->ContextRecord->Rip != (DWORD64)fault_insn)
        return EXCEPTION_CONTINUE_SEARCH;
    int k = level++;
    calls++;
    if (k + 1 < levels)
        run_level(k + 1);
    intact_count += intact(ep, 16 * (ULONG_PTR)(k + 1));
    level--;
    return skip_fault(ep);
}

static void nest(int n, int object, const char *how)
{
    levels = n;
    use_object = object;
    for (int i = 0; i < n; i++) {
        blocks[i] = HeapAlloc(GetProcessHeap(), 0, STACK_SIZE);
        objects[i] = HeapAlloc(GetProcessHeap(), HEAP_ZERO_MEMORY, 64);
    }
    printf("%d faults nested, each handler switching to a stack of its own (%s)\n", n, how);
    PVOID h = AddVectoredExceptionHandler(1, vectored_nest);
    run_level(0);
    RemoveVectoredExceptionHandler(h);
    printf("  %d handler call(s), %d record(s) and context(s) intact after the inner ones, "
           "read 0x%X\n", calls, intact_count, read_value);
}

static void pushed_deep(void) { nest(12, 0, "the way back pushed on it"); }
static void pushed_too_deep(void) { nest(17, 0, "the way back pushed on it"); }
static void object_too_deep(void) { nest(17, 1, "the way back in a heap object"); }

/* ---- jump-away ---- */
static void *jump_buf[5];
static volatile int jump_calls;

static LONG CALLBACK vectored_jump(EXCEPTION_POINTERS *ep)
{
    if (ep->ContextRecord->Rip != (DWORD64)fault_insn)
        return EXCEPTION_CONTINUE_SEARCH;
    jump_calls++;
    __builtin_longjmp(jump_buf, 1);
}

static void read_null(void) { read_value = fault_read(NULL); }

static void jump_away(void)
{
    enum { N = 40 };
    static volatile int landed;
    PVOID h = AddVectoredExceptionHandler(1, vectored_jump);
    for (int i = 0; i < N; i++) {
        char *block = HeapAlloc(GetProcessHeap(), 0, STACK_SIZE);
        if (__builtin_setjmp(jump_buf) == 0)
            run_pushed(read_null, stack_top(block));
        else
            landed++;
    }
    RemoveVectoredExceptionHandler(h);
    printf("%d faults on stacks of their own, each handler leaving by a jump of its own: %d "
           "handler call(s), %d landing(s)\n", N, jump_calls, landed);
}

/* ---- fibers ---- */
#define FIBER_LEVELS 20
static void *fibers[FIBER_LEVELS];

static void CALLBACK fiber_proc(void *arg)
{
    int k = (int)(INT_PTR)arg;
    read_value = fault_read((void *)(ULONG_PTR)(16 * (k + 1)));
    SwitchToFiber(fibers[k - 1]); /* back to the handler that switched here: never returns */
}

static LONG CALLBACK vectored_fiber(EXCEPTION_POINTERS *ep)
{
    if (ep->ContextRecord->Rip != (DWORD64)fault_insn)
        return EXCEPTION_CONTINUE_SEARCH;
    int k = level++;
    calls++;
    if (k + 1 < levels)
        SwitchToFiber(fibers[k + 1]);
    intact_count += intact(ep, 16 * (ULONG_PTR)(k + 1));
    level--;
    return skip_fault(ep);
}

static void fibers_deep(void)
{
    levels = FIBER_LEVELS;
    fibers[0] = ConvertThreadToFiber(NULL);
    for (int i = 1; i < FIBER_LEVELS; i++)
        fibers[i] = CreateFiber(STACK_SIZE, fiber_proc, (void *)(INT_PTR)i);
    PVOID h = AddVectoredExceptionHandler(1, vectored_fiber);
    read_value = fault_read((void *)16);
    RemoveVectoredExceptionHandler(h);
    printf("%d faults nested through fibers, each handler switching to the next fiber: %d "
           "handler call(s), %d record(s) and context(s) intact after the inner ones, read "
           "0x%X\n", FIBER_LEVELS, calls, intact_count, read_value);
}

/* A fault on a heap block whose handler switches to a fiber that faults (level 1). */
static void coroutine_fiber(void)
{
    levels = 2;
    fibers[0] = ConvertThreadToFiber(NULL);
    fibers[1] = CreateFiber(STACK_SIZE, fiber_proc, (void *)(INT_PTR)1);
    char *block = HeapAlloc(GetProcessHeap(), 0, STACK_SIZE);
    PVOID h = AddVectoredExceptionHandler(1, vectored_fiber);
    run_pushed(level_read, stack_top(block));
    RemoveVectoredExceptionHandler(h);
    printf("a fault on a heap block, its handler switching to a fiber that faults: %d handler "
           "call(s), %d record(s) and context(s) intact, read 0x%X\n", calls, intact_count,
           read_value);
}

static const child_mode modes[] = {
    {"pushed-deep", pushed_deep}, {"pushed-too-deep", pushed_too_deep},
    {"object-too-deep", object_too_deep}, {"jump-away", jump_away},
    {"fibers-deep", fibers_deep}, {"coroutine-fiber", coroutine_fiber},
};

int main(int argc, char **argv)
{
    return child_modes_main(argc, argv, modes, sizeof modes / sizeof modes[0]);
}
