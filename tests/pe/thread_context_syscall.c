/* thread_context_syscall: NtSuspendThread, NtGetContextThread, NtSetContextThread and
 * NtResumeThread reached by raw `syscall` instructions with Windows 10 x64 numbers (0x1be,
 * 0xf3, 0x18d, 0x52), as programs that bypass ntdll do: a thread spinning in the program's
 * code stops (previous count 0, then 1), its context has Rip inside its loop and the marker
 * value in r12, SetThreadContext sends it to ExitThread-calling code with a chosen exit code. */
#include <stdio.h>
#include <string.h>
#include <windows.h>

static void fail(int line, const char *what)
{
    printf("FAIL line %d: %s\n", line, what);
    fflush(stdout);
    ExitProcess(1);
}
#define CHECK(cond) do { if (!(cond)) fail(__LINE__, #cond); } while (0)

#define SYSCALL_STUB(name, number)                                                            \
    __asm__(".text\n.p2align 4\n.globl " #name "\n" #name ":\n"                              \
            "    mov %rcx, %r10\n    mov $" #number ", %eax\n    syscall\n    ret\n")
SYSCALL_STUB(direct_suspend, 0x1be);
SYSCALL_STUB(direct_resume, 0x52);
SYSCALL_STUB(direct_get_context, 0xf3);
SYSCALL_STUB(direct_set_context, 0x18d);
LONG direct_suspend(HANDLE h, ULONG *prev);
LONG direct_resume(HANDLE h, ULONG *prev);
LONG direct_get_context(HANDLE h, CONTEXT *c);
LONG direct_set_context(HANDLE h, const CONTEXT *c);

volatile LONG64 spin_counter;
__asm__(".text\n.globl spin_loop\nspin_loop:\n"
        "    push %r12\n    sub $0x20, %rsp\n"
        "    movabs $0x5a5a5a5a5a5a5a5a, %r12\n"
        ".globl spin_body\nspin_body:\n"
        "    lock incq spin_counter(%rip)\n    jmp spin_body\n"
        ".globl spin_end\nspin_end:\n    ud2\n");
extern char spin_loop[], spin_body[], spin_end[];

static DWORD WINAPI spin_thread(void *arg)
{
    (void)arg;
    ((void (*)(void))(void *)spin_loop)();
    return 0;
}

static void leave(ULONG64 code) { ExitThread((DWORD)code); }

int main(void)
{
    setvbuf(stdout, NULL, _IONBF, 0);
    HANDLE h = CreateThread(NULL, 0, spin_thread, NULL, 0, NULL);
    CHECK(h != NULL);
    while (spin_counter < 1000)
        Sleep(1);
    ULONG prev = 0xcccc;
    CHECK(direct_suspend(h, &prev) == 0 && prev == 0);
    CHECK(direct_suspend(h, &prev) == 0 && prev == 1);
    CHECK(direct_resume(h, &prev) == 0 && prev == 2);
    static CONTEXT c __attribute__((aligned(16)));
    memset(&c, 0, sizeof c);
    c.ContextFlags = CONTEXT_FULL;
    CHECK(direct_get_context(h, &c) == 0);
    CHECK(c.Rip >= (ULONG64)spin_body && c.Rip < (ULONG64)spin_end);
    CHECK(c.R12 == 0x5a5a5a5a5a5a5a5aull);
    LONG64 before = spin_counter;
    Sleep(30);
    CHECK(spin_counter == before);
    c.ContextFlags = CONTEXT_CONTROL | CONTEXT_INTEGER;
    c.Rip = (ULONG64)leave;
    c.Rsp = ((c.Rsp - 0x80) & ~(ULONG64)15) - 8;
    c.Rcx = 0x3c;
    CHECK(direct_set_context(h, &c) == 0);
    CHECK(direct_resume(h, &prev) == 0 && prev == 1);
    CHECK(WaitForSingleObject(h, 10000) == WAIT_OBJECT_0);
    DWORD code = 0;
    CHECK(GetExitCodeThread(h, &code) && code == 0x3c);
    /* A bad handle by trap too. */
    CHECK(direct_suspend((HANDLE)0x1230, &prev) == (LONG)0xC0000008);
    printf("direct syscalls: suspended, context read and changed, resumed, exit code 0x3c\n");
    return 0;
}
