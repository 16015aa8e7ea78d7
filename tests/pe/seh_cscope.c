/* __C_specific_handler (msvcrt's, as MSVC's __try/__except/__finally use it), driven by scope
 * tables written by hand in assembly since mingw gcc has no __try: an __except filter sees the
 * exception (code, parameters, the faulting CONTEXT) and chooses EXECUTE_HANDLER (the __except
 * block runs with the code in eax), CONTINUE_SEARCH (an outer __except gets it) or
 * CONTINUE_EXECUTION; a __finally block runs with abnormal termination = 1 while the stack is
 * unwound to an outer __except, and with 0 on the normal path; a hardware fault is handled the
 * same way. Behaves the same on Windows. */
#include <stdio.h>
#include <windows.h>

typedef ULONG_PTR (*body_fn)(ULONG_PTR);
ULONG_PTR try_except(body_fn fn, ULONG_PTR arg);  /* __try { fn(arg) } __except(filter) { code } */
ULONG_PTR try_finally(body_fn fn, ULONG_PTR arg); /* __try { fn(arg) } __finally { on_finally } */

/* Filter decisions by exception code (CODE_SEARCH: the first filter passes, the next takes it). */
LONG filter_cb(EXCEPTION_POINTERS *ep, void *frame);
void finally_cb(BOOLEAN abnormal, void *frame);

__asm__(
    ".text\n"
    ".globl try_except\n"
    ".def try_except; .scl 2; .type 32; .endef\n"
    ".seh_proc try_except\n"
    "try_except:\n"
    "  push %rbp\n"
    "  .seh_pushreg %rbp\n"
    "  sub $0x20, %rsp\n"
    "  .seh_stackalloc 0x20\n"
    "  .seh_endprologue\n"
    "  mov %rcx, %rax\n"
    "  mov %rdx, %rcx\n"
    ".Lte_begin:\n"
    "  call *%rax\n"
    "  nop\n"
    ".Lte_end:\n"
    "  jmp .Lte_out\n"
    ".Lte_handler:\n"          /* __except block: eax = exception code */
    "  bts $32, %rax\n"         /* mark the result as coming from the __except block */
    ".Lte_out:\n"
    "  add $0x20, %rsp\n"
    "  pop %rbp\n"
    "  ret\n"
    "  .seh_handler __C_specific_handler, @except, @unwind\n"
    "  .seh_handlerdata\n"
    "  .long 1\n"
    "  .rva .Lte_begin, .Lte_end, filter_cb, .Lte_handler\n"
    "  .text\n"
    ".seh_endproc\n"
    ".globl try_finally\n"
    ".def try_finally; .scl 2; .type 32; .endef\n"
    ".seh_proc try_finally\n"
    "try_finally:\n"
    "  push %rbx\n"
    "  .seh_pushreg %rbx\n"
    "  sub $0x20, %rsp\n"
    "  .seh_stackalloc 0x20\n"
    "  .seh_endprologue\n"
    "  mov %rcx, %rax\n"
    "  mov %rdx, %rcx\n"
    ".Ltf_begin:\n"
    "  call *%rax\n"
    "  nop\n"
    ".Ltf_end:\n"
    "  mov %rax, %rbx\n"
    "  xor %ecx, %ecx\n"      /* normal termination */
    "  lea 0x30(%rsp), %rdx\n"
    "  call finally_cb\n"
    "  mov %rbx, %rax\n"
    "  add $0x20, %rsp\n"
    "  pop %rbx\n"
    "  ret\n"
    "  .seh_handler __C_specific_handler, @except, @unwind\n"
    "  .seh_handlerdata\n"
    "  .long 1\n"
    "  .rva .Ltf_begin, .Ltf_end, finally_cb\n"
    "  .long 0\n"
    "  .text\n"
    ".seh_endproc\n");

#define CODE_EXEC 0xE0000001u  /* filter: EXCEPTION_EXECUTE_HANDLER */
#define CODE_SEARCH 0xE0000002u /* filter: EXCEPTION_CONTINUE_SEARCH */
#define CODE_CONT 0xE0000003u  /* filter: EXCEPTION_CONTINUE_EXECUTION */

static int filter_calls, finally_calls, search_seen;

LONG filter_cb(EXCEPTION_POINTERS *ep, void *frame)
{
    EXCEPTION_RECORD *r = ep->ExceptionRecord;
    filter_calls++;
    printf("  filter: 0x%lX, %lu params, first %llu\n", r->ExceptionCode, r->NumberParameters,
           r->NumberParameters ? (unsigned long long)r->ExceptionInformation[0] : 0ULL);
    switch (r->ExceptionCode) {
    case CODE_SEARCH: return search_seen++ ? EXCEPTION_EXECUTE_HANDLER : EXCEPTION_CONTINUE_SEARCH;
    case CODE_CONT: return EXCEPTION_CONTINUE_EXECUTION;
    default: return EXCEPTION_EXECUTE_HANDLER;
    }
}

void finally_cb(BOOLEAN abnormal, void *frame)
{
    finally_calls++;
    printf("  finally, abnormal %d\n", abnormal);
}

static ULONG_PTR raise_it(ULONG_PTR code)
{
    ULONG_PTR p = 99;
    RaiseException((DWORD)code, 0, 1, &p);
    return 1234;
}

static ULONG_PTR finally_around_raise(ULONG_PTR code) { return try_finally(raise_it, code); }
static ULONG_PTR inner_except_around(ULONG_PTR code) { return try_except(finally_around_raise, code); }

static ULONG_PTR fault(ULONG_PTR arg)
{
    return *(volatile ULONG_PTR *)arg;
}

int main(void)
{
    setvbuf(stdout, NULL, _IONBF, 0);
    printf("1. execute handler\n");
    printf("result %#llx\n", (unsigned long long)try_except(raise_it, CODE_EXEC));
    printf("2. finally runs during the unwind\n");
    printf("result %#llx\n", (unsigned long long)try_except(finally_around_raise, CODE_EXEC));
    printf("3. inner filter continues the search, outer executes\n");
    printf("result %#llx\n", (unsigned long long)try_except(inner_except_around, CODE_SEARCH));
    printf("4. continue execution\n");
    printf("result %#llx\n", (unsigned long long)try_except(raise_it, CODE_CONT));
    printf("5. normal finally\n");
    printf("result %llu\n", (unsigned long long)try_finally(fault, (ULONG_PTR)&filter_calls));
    printf("6. access violation\n");
    printf("result %#llx\n", (unsigned long long)try_except(fault, 8));
    printf("filters %d, finally blocks %d\n", filter_calls, finally_calls);
    return 0;
}
