/* Frame-based exception handling (mingw gcc has no __try: two guard functions in assembly
 * register language handlers with .seh_handler): RaiseException with a parameter and a
 * hardware access violation deep in C frames are caught by a frame handler that unwinds to its
 * own frame with RtlUnwindEx (the handlers of the frames in between see EXCEPTION_UNWINDING);
 * a handler that does not want a code lets the search go on to an outer frame; a handler can
 * continue a continuable exception; an exception raised inside a handler is a nested exception
 * whose search goes on beyond the frame whose handler raised it; callee-saved registers hold
 * their values after the unwind; RtlCaptureStackBackTrace walks the same frames. Behaves the
 * same on Windows. */
#include <stdio.h>
#include <windows.h>

#define CODE_A 0xE00000A1u /* caught by guard_a */
#define CODE_B 0xE00000B1u /* caught by guard_b */
#define CODE_C 0xE00000C1u /* continued by guard_b's handler */
#define CODE_D 0xE00000D1u /* guard_a's handler raises CODE_B while handling it */

typedef ULONG_PTR (*guarded_fn)(ULONG_PTR);
ULONG_PTR guard_a(guarded_fn fn, ULONG_PTR arg);
ULONG_PTR guard_b(guarded_fn fn, ULONG_PTR arg);
extern char guard_a_landing[], guard_b_landing[];

EXCEPTION_DISPOSITION handler_a(EXCEPTION_RECORD *rec, void *frame, CONTEXT *ctx,
                                DISPATCHER_CONTEXT *d);
EXCEPTION_DISPOSITION handler_b(EXCEPTION_RECORD *rec, void *frame, CONTEXT *ctx,
                                DISPATCHER_CONTEXT *d);

/* guard_X(fn, arg): returns fn(arg), or what handler_X passes to RtlUnwindEx. rbx and r12
 * hold markers across the call so the unwind can be checked to restore them. */
__asm__(
    ".text\n"
    ".globl guard_a\n"
    ".def guard_a; .scl 2; .type 32; .endef\n"
    ".seh_proc guard_a\n"
    "guard_a:\n"
    "  push %rbx\n"
    "  .seh_pushreg %rbx\n"
    "  push %r12\n"
    "  .seh_pushreg %r12\n"
    "  sub $0x28, %rsp\n"
    "  .seh_stackalloc 0x28\n"
    "  .seh_endprologue\n"
    "  .seh_handler handler_a, @except, @unwind\n"
    "  mov $0x1111, %ebx\n"
    "  mov $0x2222, %r12d\n"
    "  mov %rcx, %rax\n"
    "  mov %rdx, %rcx\n"
    "  call *%rax\n"
    "  nop\n"
    ".globl guard_a_landing\n"
    "guard_a_landing:\n"
    "  cmp $0x1111, %ebx\n"
    "  jne 1f\n"
    "  cmp $0x2222, %r12d\n"
    "  je 2f\n"
    "1: mov $0xbad, %eax\n"
    "2: add $0x28, %rsp\n"
    "  pop %r12\n"
    "  pop %rbx\n"
    "  ret\n"
    ".seh_endproc\n"
    ".globl guard_b\n"
    ".def guard_b; .scl 2; .type 32; .endef\n"
    ".seh_proc guard_b\n"
    "guard_b:\n"
    "  push %rbp\n"
    "  .seh_pushreg %rbp\n"
    "  mov %rsp, %rbp\n"
    "  .seh_setframe %rbp, 0\n"
    "  sub $0x20, %rsp\n"
    "  .seh_stackalloc 0x20\n"
    "  .seh_endprologue\n"
    "  .seh_handler handler_b, @except, @unwind\n"
    "  mov %rcx, %rax\n"
    "  mov %rdx, %rcx\n"
    "  call *%rax\n"
    "  nop\n"
    ".globl guard_b_landing\n"
    "guard_b_landing:\n"
    "  mov %rbp, %rsp\n"
    "  pop %rbp\n"
    "  ret\n"
    ".seh_endproc\n");

static const char *flags_str(DWORD f)
{
    static char buf[64];
    snprintf(buf, sizeof buf, "%s%s%s", (f & EXCEPTION_UNWINDING) ? "unwinding" : "search",
             (f & EXCEPTION_TARGET_UNWIND) ? ",target" : "",
             (f & EXCEPTION_NESTED_CALL) ? ",nested" : "");
    return buf;
}

EXCEPTION_DISPOSITION handler_a(EXCEPTION_RECORD *rec, void *frame, CONTEXT *ctx,
                                DISPATCHER_CONTEXT *d)
{
    printf("  handler_a: 0x%lX %s\n", rec->ExceptionCode, flags_str(rec->ExceptionFlags));
    if (rec->ExceptionFlags & EXCEPTION_UNWINDING)
        return ExceptionContinueSearch;
    if (rec->ExceptionCode == CODE_D) {
        printf("  handler_a raises 0x%X\n", CODE_B);
        RaiseException(CODE_B, 0, 0, NULL);
        printf("  not reached\n");
    }
    if (rec->ExceptionCode == CODE_A || rec->ExceptionCode == EXCEPTION_ACCESS_VIOLATION) {
        ULONG_PTR ret = rec->NumberParameters ? rec->ExceptionInformation[0] : 0xAA;
        RtlUnwindEx(frame, guard_a_landing, rec, (void *)ret, ctx, d->HistoryTable);
        printf("  RtlUnwindEx returned\n");
    }
    return ExceptionContinueSearch;
}

EXCEPTION_DISPOSITION handler_b(EXCEPTION_RECORD *rec, void *frame, CONTEXT *ctx,
                                DISPATCHER_CONTEXT *d)
{
    printf("  handler_b: 0x%lX %s\n", rec->ExceptionCode, flags_str(rec->ExceptionFlags));
    if (rec->ExceptionFlags & EXCEPTION_UNWINDING)
        return ExceptionContinueSearch;
    if (rec->ExceptionCode == CODE_C)
        return ExceptionContinueExecution;
    if (rec->ExceptionCode == CODE_B)
        RtlUnwindEx(frame, guard_b_landing, rec, (void *)0xBB, ctx, d->HistoryTable);
    return ExceptionContinueSearch;
}

static int depth_reached;

__attribute__((noinline)) static ULONG_PTR recurse_and_raise(ULONG_PTR n)
{
    volatile char pad[40];
    pad[0] = (char)n;
    if (n == 0) {
        ULONG_PTR p = 4242;
        depth_reached = 1;
        RaiseException(CODE_A, 0, 1, &p);
        return 1;
    }
    return recurse_and_raise(n - 1) + pad[0];
}

__attribute__((noinline)) static ULONG_PTR crash(ULONG_PTR n)
{
    volatile int *p = NULL;
    if (n)
        return crash(n - 1) + 1;
    return *p;
}

static ULONG_PTR raise_code(ULONG_PTR code)
{
    RaiseException((DWORD)code, 0, 0, NULL);
    return 5;
}

static ULONG_PTR inner_b_raise_a(ULONG_PTR arg) { return guard_b(raise_code, CODE_A); }

static ULONG_PTR inner_a_raise_d(ULONG_PTR arg) { return guard_a(raise_code, CODE_D); }

/* RtlCaptureStackBackTrace from three frames down: each return address lies in the function
 * RtlLookupFunctionEntry says (the program's .pdata), the hash is their sum. */
static void *bt[8];
static ULONG bt_hash;
static USHORT bt_count;
__attribute__((noinline)) static int bt_c(int x)
{
    bt_count = RtlCaptureStackBackTrace(0, 8, bt, &bt_hash);
    return x + bt_count;
}
__attribute__((noinline)) static int bt_b(int x) { return bt_c(x + 1) * 3; }
__attribute__((noinline)) static int bt_a(int x) { return bt_b(x + 1) * 5; }

static int in_function(void *pc, void *fn)
{
    DWORD64 base;
    RUNTIME_FUNCTION *f = RtlLookupFunctionEntry((DWORD64)pc, &base, NULL);
    return f && base + f->BeginAddress == (DWORD64)fn;
}

int main(void)
{
    setvbuf(stdout, NULL, _IONBF, 0);
    printf("1. RaiseException 10 frames down\n");
    ULONG_PTR r = guard_a(recurse_and_raise, 10);
    printf("guard_a returned %lu (depth reached %d)\n", (unsigned long)r, depth_reached);

    printf("2. access violation 5 frames down\n");
    r = guard_a(crash, 5);
    printf("guard_a returned 0x%lX\n", (unsigned long)r);

    printf("3. inner handler passes, outer catches\n");
    r = guard_a(inner_b_raise_a, 0);
    printf("guard_a returned 0x%lX\n", (unsigned long)r);

    printf("4. handler continues execution\n");
    r = guard_b(raise_code, CODE_C);
    printf("guard_b returned %lu\n", (unsigned long)r);

    printf("5. nested exception raised by a handler\n");
    r = guard_b(inner_a_raise_d, 0);
    printf("guard_b returned 0x%lX\n", (unsigned long)r);

    printf("6. again after all that\n");
    r = guard_a(recurse_and_raise, 3);
    printf("guard_a returned %lu\n", (unsigned long)r);

    printf("7. stack back trace\n");
    bt_a(0);
    ULONG sum = 0;
    for (int i = 0; i < bt_count && i < 8; i++)
        sum += (ULONG)(ULONG_PTR)bt[i];
    printf("at least 4 frames: %d; in bt_c, bt_b, bt_a, main: %d %d %d %d; hash: %d\n",
           bt_count >= 4, in_function(bt[0], bt_c), in_function(bt[1], bt_b),
           in_function(bt[2], bt_a), in_function(bt[3], main), bt_hash == sum);
    return 0;
}
