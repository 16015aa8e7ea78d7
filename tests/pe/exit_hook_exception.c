/* exit_hook_exception: what ends a process whose exit goes wrong. Children started with
 * CreateProcess (this program again) each end in one way; the parent prints their exit codes.
 *   atexit-fault      main returns 0; an atexit handler writes through a null pointer. The
 *                     unhandled exception ends the process with its code, 0xC0000005.
 *   atexit-exit       main returns 0; an atexit handler calls ExitProcess(5): the code is 5.
 *   tls-bad           main makes its TLS callback slot a pointer that is no address and
 *                     returns 3. At DLL_PROCESS_DETACH the loader calls it; its fault is taken
 *                     by the loader's __except around the TLS callbacks, and the code stays 3.
 *   tls-bad-fault     the same slot, then main writes through a null pointer: the process ends
 *                     with 0xC0000005, whatever the exit then does with the bad callback.
 *   tls-bad-stack     the same, with the fault made on a stack of main's own (VirtualAlloc, above
 *                     the thread's stack): still 0xC0000005, and the loader takes the bad
 *                     callback's fault at DLL_PROCESS_DETACH (ntrun reported it as a second
 *                     unhandled exception, "execute at 0xffffffffffffffff", from inside the
 *                     exit: fuzz.mutation's mutant 179 of mydll2.dll; .stderr-absent).
 *   exit-in-exit      ExitProcess(7) from main; an atexit handler, run by msvcrt's
 *                     DLL_PROCESS_DETACH (see exit_process.c), calls ExitProcess(5): a process
 *                     that ends while it ends has the second code, 5.
 * The parent learns each code through GetExitCodeProcess (ntrun: the child's exit hooks report
 * it; a hook skipped would leave the parent only the low 8 bits of the Linux status).
 *
 * Windows 10 ends each child as above. Wine 8.0 gives the same codes except exit-in-exit's
 * (7: its msvcrt does not run the atexit table on DLL_PROCESS_DETACH). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <windows.h>

static void NTAPI tls_callback(PVOID image, DWORD reason, PVOID reserved)
{
    (void)image;
    (void)reason;
    (void)reserved;
}

/* In the array mingw-w64's tlssup.c brackets with .CRT$XLA and .CRT$XLZ (see tls_callbacks.c). */
__attribute__((section(".CRT$XLB"), used)) PIMAGE_TLS_CALLBACK p_tls_callback = tls_callback;

static void make_tls_callback_bad(void)
{
    DWORD old;
    if (!VirtualProtect(&p_tls_callback, sizeof p_tls_callback, PAGE_READWRITE, &old)) {
        printf("child: VirtualProtect failed: %lu\n", GetLastError());
        fflush(stdout);
        ExitProcess(20);
    }
    p_tls_callback = (PIMAGE_TLS_CALLBACK)(ULONG_PTR)-1;
}

static void crash(void)
{
    volatile int *p = NULL;
    *p = 1;
}

static void __cdecl handler_fault(void)
{
    printf("child: atexit handler writes through a null pointer\n");
    fflush(stdout);
    crash();
}

/* Moves the stack pointer to a block of its own, then writes through a null pointer. The block
 * lies above the thread's stack (the first free place from 16 MiB above StackBase up). */
static void crash_on_own_stack(void)
{
    size_t size = 1 << 20;
    char *stack = NULL;
    char *top;
    __asm__("mov %%gs:8, %0" : "=r"(top)); /* NT_TIB.StackBase */
    for (int i = 1; !stack && i <= 64; i++)
        stack = VirtualAlloc(top + ((size_t)i << 24), size, MEM_RESERVE | MEM_COMMIT,
                             PAGE_READWRITE);
    if (!stack) {
        printf("child: VirtualAlloc failed: %lu\n", GetLastError());
        fflush(stdout);
        ExitProcess(21);
    }
    __asm__ volatile("mov %0, %%rsp\n\t"
                     "movl $1, 0\n\t"
                     "ud2"
                     :
                     : "r"(stack + size - 64)
                     : "memory");
}

static void __cdecl handler_exit(void)
{
    printf("child: atexit handler calls ExitProcess(5)\n");
    fflush(stdout);
    ExitProcess(5);
}

static int child(const char *mode)
{
    if (!strcmp(mode, "atexit-fault")) {
        atexit(handler_fault);
        printf("child: main returns 0\n");
        fflush(stdout);
        return 0;
    }
    if (!strcmp(mode, "atexit-exit")) {
        atexit(handler_exit);
        printf("child: main returns 0\n");
        fflush(stdout);
        return 0;
    }
    if (!strcmp(mode, "tls-bad") || !strcmp(mode, "tls-bad-fault") ||
        !strcmp(mode, "tls-bad-stack")) {
        make_tls_callback_bad();
        printf("child: TLS callback slot is now 0xffffffffffffffff\n");
        fflush(stdout);
        if (!strcmp(mode, "tls-bad"))
            return 3;
        if (!strcmp(mode, "tls-bad-stack"))
            crash_on_own_stack();
        crash();
        return 4;
    }
    if (!strcmp(mode, "exit-in-exit")) {
        atexit(handler_exit);
        printf("child: main calls ExitProcess(7)\n");
        fflush(stdout);
        ExitProcess(7);
    }
    return 9;
}

int main(int argc, char **argv)
{
    if (argc > 1)
        return child(argv[1]);
    static const char *const modes[] = {"atexit-fault", "atexit-exit",   "tls-bad",
                                        "tls-bad-fault", "tls-bad-stack", "exit-in-exit"};
    char self[MAX_PATH];
    GetModuleFileNameA(NULL, self, sizeof self);
    for (size_t i = 0; i < sizeof modes / sizeof modes[0]; i++) {
        char cmd[MAX_PATH + 64];
        snprintf(cmd, sizeof cmd, "\"%s\" %s", self, modes[i]);
        STARTUPINFOA si = {sizeof si};
        PROCESS_INFORMATION pi;
        printf("%s:\n", modes[i]);
        fflush(stdout);
        if (!CreateProcessA(NULL, cmd, NULL, NULL, TRUE, 0, NULL, NULL, &si, &pi)) {
            printf("CreateProcess failed: %lu\n", GetLastError());
            return 1;
        }
        WaitForSingleObject(pi.hProcess, INFINITE);
        DWORD code = 0xdeadbeef;
        GetExitCodeProcess(pi.hProcess, &code);
        printf("exit code 0x%08lx\n", code);
        fflush(stdout);
        CloseHandle(pi.hThread);
        CloseHandle(pi.hProcess);
    }
    return 0;
}
