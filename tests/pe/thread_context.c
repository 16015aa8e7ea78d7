/* thread_context: SuspendThread / ResumeThread of running threads and Get/SetThreadContext,
 * with Windows semantics:
 *  - a thread created with CREATE_SUSPENDED has suspend count 1 (SuspendThread returns the
 *    previous count: 1, then ResumeThread 2); its context has Rcx = the start routine and
 *    Rdx = the parameter, and SetThreadContext of Rdx changes the parameter it starts with;
 *  - a thread spinning in the program's own code (a loop with marker values in r12-r15) stops
 *    at once: GetThreadContext(CONTEXT_FULL) gives Rip inside the loop, the marker registers,
 *    Rsp on its stack; its counter does not move while suspended, nested suspensions count;
 *  - SetThreadContext moves Rip/Rsp/Rcx to another function, which runs after ResumeThread;
 *  - a thread suspended while it blocks inside WaitForSingleObject: its context is its return
 *    into the program (Rip = the instruction after the call, Rsp as after the return); when the
 *    wait is satisfied it still does not run on until resumed, and its context then has the
 *    call's result (Rax = WAIT_OBJECT_0) and its callee-saved registers (Rbx);
 *  - a thread that suspends itself stops on its way back into the program; SuspendThread
 *    returned 0 to it (Rax), and it goes on after ResumeThread;
 *  - GetThreadContext of a thread that is not suspended (Windows: a racy snapshot) is not
 *    checked; errors: a bad handle (ERROR_INVALID_HANDLE), ResumeThread of a running thread
 *    returns 0. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <windows.h>

static void fail(int line, const char *what)
{
    printf("FAIL line %d: %s\n", line, what);
    fflush(stdout);
    ExitProcess(1);
}
#define CHECK(cond) do { if (!(cond)) fail(__LINE__, #cond); } while (0)

/* ---- a spinning thread: its loop in assembly, so its registers are known ---- */
volatile LONG64 spin_counter;
volatile ULONG64 spin_rsp;
__asm__(".text\n"
        ".globl spin_loop\n"
        "spin_loop:\n"
        "    push %r12\n push %r13\n push %r14\n push %r15\n"
        "    sub $0x28, %rsp\n"
        "    movabs $0x1212121212121212, %r12\n"
        "    movabs $0x1313131313131313, %r13\n"
        "    movabs $0x1414141414141414, %r14\n"
        "    movabs $0x1515151515151515, %r15\n"
        "    mov %rsp, spin_rsp(%rip)\n"
        ".globl spin_loop_body\n"
        "spin_loop_body:\n"
        "    lock incq spin_counter(%rip)\n"
        "    jmp spin_loop_body\n"
        ".globl spin_loop_end\n"
        "spin_loop_end:\n"
        "    ud2\n");
extern char spin_loop[], spin_loop_body[], spin_loop_end[];

/* ---- a thread that blocks in WaitForSingleObject(rcx, INFINITE) ---- */
volatile ULONG64 wait_rsp_at_call, wait_rbx_after, wait_rax_after;
__asm__(".text\n"
        ".globl wait_stub\n"
        "wait_stub:\n"
        "    push %rbx\n"
        "    sub $0x20, %rsp\n"
        "    movabs $0x1122334455667788, %rbx\n"
        "    mov $-1, %edx\n"
        "    mov %rsp, wait_rsp_at_call(%rip)\n"
        "    call *__imp_WaitForSingleObject(%rip)\n"
        ".globl wait_stub_ret\n"
        "wait_stub_ret:\n"
        "    mov %rbx, wait_rbx_after(%rip)\n"
        "    mov %rax, wait_rax_after(%rip)\n"
        "    add $0x20, %rsp\n"
        "    pop %rbx\n"
        "    ret\n");
extern char wait_stub_ret[];
DWORD wait_stub(HANDLE h);

static DWORD WINAPI wait_thread(void *event) { return wait_stub(event); }

static DWORD WINAPI spin_thread(void *arg)
{
    (void)arg;
    ((void (*)(void))(void *)spin_loop)();
    return 0;
}

static volatile LONG escaped;
static void escape(ULONG64 code)
{
    escaped = 1;
    ExitThread((DWORD)code);
}

static volatile ULONG64 started_with;
static DWORD WINAPI start_thread(void *param)
{
    started_with = (ULONG64)param;
    return 7;
}

static volatile LONG self_state;
static volatile DWORD self_result = 99;
static DWORD WINAPI self_thread(void *arg)
{
    (void)arg;
    self_state = 1;
    self_result = SuspendThread(GetCurrentThread());
    self_state = 2;
    return 0;
}

static CONTEXT *new_context(DWORD flags)
{
    CONTEXT *c = _aligned_malloc(sizeof *c, 16);
    memset(c, 0xcc, sizeof *c);
    c->ContextFlags = flags;
    return c;
}

static void test_create_suspended(void)
{
    HANDLE h = CreateThread(NULL, 0, start_thread, (void *)0x1111, CREATE_SUSPENDED, NULL);
    CHECK(h != NULL);
    CHECK(SuspendThread(h) == 1);
    CHECK(ResumeThread(h) == 2);
    CONTEXT *c = new_context(CONTEXT_INTEGER);
    CHECK(GetThreadContext(h, c));
    CHECK(c->Rcx == (ULONG64)start_thread);
    CHECK(c->Rdx == 0x1111);
    c->Rdx = 0x2222;
    CHECK(SetThreadContext(h, c));
    CHECK(WaitForSingleObject(h, 0) == WAIT_TIMEOUT);
    CHECK(ResumeThread(h) == 1);
    CHECK(WaitForSingleObject(h, 10000) == WAIT_OBJECT_0);
    DWORD code = 0;
    CHECK(GetExitCodeThread(h, &code) && code == 7);
    CHECK(started_with == 0x2222);
    CloseHandle(h);
    _aligned_free(c);
    printf("create suspended: count 1, Rcx/Rdx start and parameter, parameter changed\n");
}

static void test_spinning(void)
{
    HANDLE h = CreateThread(NULL, 0, spin_thread, NULL, 0, NULL);
    CHECK(h != NULL);
    while (spin_counter < 1000)
        Sleep(1);
    CHECK(SuspendThread(h) == 0);
    CONTEXT *c = new_context(CONTEXT_FULL);
    CHECK(GetThreadContext(h, c));
    CHECK((c->ContextFlags & CONTEXT_FULL) == CONTEXT_FULL);
    CHECK(c->Rip >= (ULONG64)spin_loop_body && c->Rip < (ULONG64)spin_loop_end);
    CHECK(c->R12 == 0x1212121212121212ull && c->R13 == 0x1313131313131313ull);
    CHECK(c->R14 == 0x1414141414141414ull && c->R15 == 0x1515151515151515ull);
    CHECK(c->Rsp == spin_rsp);
    CHECK(c->SegCs == 0x33 && c->SegSs == 0x2b);
    CHECK((c->EFlags & 0x200) != 0); /* interrupts enabled, as always in user mode */
    LONG64 before = spin_counter;
    Sleep(50);
    CHECK(spin_counter == before);
    CHECK(SuspendThread(h) == 1);
    CHECK(ResumeThread(h) == 2);
    Sleep(20);
    CHECK(spin_counter == before); /* still suspended once */
    printf("spinning: stopped in its loop, registers r12-r15 as set, count nests\n");

    /* Redirect it: escape(0x4d) on an aligned part of its stack. */
    CONTEXT *s = new_context(CONTEXT_CONTROL | CONTEXT_INTEGER);
    memcpy(s, c, sizeof *s);
    s->ContextFlags = CONTEXT_CONTROL | CONTEXT_INTEGER;
    s->Rsp = ((c->Rsp - 0x100) & ~(ULONG64)15) - 8; /* as after a call */
    s->Rip = (ULONG64)escape;
    s->Rcx = 0x4d;
    CHECK(SetThreadContext(h, s));
    CONTEXT *back = new_context(CONTEXT_CONTROL | CONTEXT_INTEGER);
    CHECK(GetThreadContext(h, back));
    CHECK(back->Rip == (ULONG64)escape && back->Rsp == s->Rsp && back->Rcx == 0x4d);
    CHECK(back->R12 == 0x1212121212121212ull);
    CHECK(!escaped);
    CHECK(ResumeThread(h) == 1);
    CHECK(WaitForSingleObject(h, 10000) == WAIT_OBJECT_0);
    DWORD code = 0;
    CHECK(GetExitCodeThread(h, &code) && code == 0x4d);
    CHECK(escaped);
    CloseHandle(h);
    _aligned_free(c);
    _aligned_free(s);
    _aligned_free(back);
    printf("spinning: SetThreadContext moved it to another function, exit code 0x4d\n");
}

static void test_in_wait(void)
{
    HANDLE ev = CreateEventW(NULL, TRUE, FALSE, NULL);
    HANDLE h = CreateThread(NULL, 0, wait_thread, ev, 0, NULL);
    CHECK(h != NULL);
    while (!wait_rsp_at_call)
        Sleep(1);
    Sleep(50); /* into the wait */
    CHECK(SuspendThread(h) == 0);
    CONTEXT *c = new_context(CONTEXT_CONTROL);
    CHECK(GetThreadContext(h, c));
    CHECK(c->Rip == (ULONG64)wait_stub_ret);
    CHECK(c->Rsp == wait_rsp_at_call);
    CHECK(SetEvent(ev));
    Sleep(50);
    CHECK(wait_rbx_after == 0); /* the wait is over, but the thread does not run on */
    CONTEXT *f = new_context(CONTEXT_FULL);
    int tries = 0;
    do { /* the wait returns into ntrun's side soon; its registers are known from then on */
        f->ContextFlags = CONTEXT_FULL;
        CHECK(GetThreadContext(h, f));
    } while ((f->Rbx != 0x1122334455667788ull || f->Rax != WAIT_OBJECT_0) && ++tries < 500 &&
             (Sleep(10), 1));
    CHECK(f->Rip == (ULONG64)wait_stub_ret && f->Rsp == wait_rsp_at_call);
    CHECK(f->Rbx == 0x1122334455667788ull);
    CHECK(f->Rax == WAIT_OBJECT_0);
    CHECK(wait_rbx_after == 0);
    CHECK(ResumeThread(h) == 1);
    CHECK(WaitForSingleObject(h, 10000) == WAIT_OBJECT_0);
    CHECK(wait_rbx_after == 0x1122334455667788ull && wait_rax_after == WAIT_OBJECT_0);
    CloseHandle(h);
    CloseHandle(ev);
    _aligned_free(c);
    _aligned_free(f);
    printf("in a wait: context is the return into the program; stays stopped after the wait\n");
}

static void test_self(void)
{
    HANDLE h = CreateThread(NULL, 0, self_thread, NULL, 0, NULL);
    CHECK(h != NULL);
    while (self_state == 0)
        Sleep(1);
    /* Until it has suspended itself, a probe finds a count of 0 (and undoes its own). */
    int tries = 0;
    for (;; tries++) {
        DWORD prev = SuspendThread(h);
        CHECK(ResumeThread(h) == prev + 1);
        if (prev == 1)
            break;
        CHECK(prev == 0 && tries < 1000);
        Sleep(5);
    }
    CHECK(self_state == 1);
    CONTEXT *c = new_context(CONTEXT_FULL);
    tries = 0;
    do {
        c->ContextFlags = CONTEXT_FULL;
        CHECK(GetThreadContext(h, c));
    } while (c->Rax != 0 && ++tries < 500 && (Sleep(10), 1));
    CHECK(c->Rax == 0); /* SuspendThread's result: the previous count */
    CHECK(self_state == 1);
    CHECK(ResumeThread(h) == 1);
    CHECK(WaitForSingleObject(h, 10000) == WAIT_OBJECT_0);
    CHECK(self_state == 2 && self_result == 0);
    CloseHandle(h);
    _aligned_free(c);
    printf("self: stopped on its return, SuspendThread returned 0 after the resume\n");
}

static void test_errors(void)
{
    CONTEXT *c = new_context(CONTEXT_FULL);
    SetLastError(0);
    CHECK(SuspendThread((HANDLE)0x1230) == (DWORD)-1);
    CHECK(GetLastError() == ERROR_INVALID_HANDLE);
    SetLastError(0);
    CHECK(!GetThreadContext((HANDLE)0x1230, c));
    CHECK(GetLastError() == ERROR_INVALID_HANDLE);
    HANDLE ev = CreateEventW(NULL, TRUE, FALSE, NULL);
    SetLastError(0);
    CHECK(SuspendThread(ev) == (DWORD)-1);
    CHECK(GetLastError() == ERROR_INVALID_HANDLE);
    CloseHandle(ev);
    _aligned_free(c);
    printf("errors: bad handles refused\n");
}

int main(void)
{
    setvbuf(stdout, NULL, _IONBF, 0);
    test_create_suspended();
    test_spinning();
    test_in_wait();
    test_self();
    test_errors();
    printf("done\n");
    return 0;
}
