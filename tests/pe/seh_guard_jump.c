/* seh_guard_jump: a DllMain that leaves the loader's guarded call by a jump of its own, as a
 * runtime's own longjmp out of a callback does: guardjump.dll's DllMain jumps
 * (__builtin_longjmp, no RtlUnwind) from inside LoadLibraryA back to the program. The loader's
 * guard around that call (Windows' __except around DllMain; ntrun's thk_call_foreign_guarded)
 * is left in frames below the stack pointer, and later frames write over them (here every
 * word points at a decoy whose every word points at itself: a runtime that still followed the
 * links kept in those frames would loop, or with other words fault). Then, as usual:
 *  - an exception raised and continued by a vectored handler;
 *  - a DLL whose DllMain faults: the loader's guard takes the access violation, LoadLibraryA
 *    fails (its error is not printed: Wine 8.0 gives ERROR_NOACCESS, the exception's status as
 *    a Win32 error, ntrun ERROR_DLL_INIT_FAILED as Windows 8 and later: pe.dll_notify_raise);
 *  - a DLL whose DllMain returns FALSE: LoadLibraryA fails with ERROR_DLL_INIT_FAILED;
 *  - an exception again.
 * The loader lock stays held by this thread after the jump, as on Windows (it is recursive:
 * this thread's later loads go on). Wine 8.0 prints the same. */
#include <stdint.h>
#include <stdio.h>
#include <windows.h>

#define EXC_C 0xE0000C03u

static void *jb[5];
static int continued;
static void *decoy[16];

__attribute__((noinline)) static uintptr_t scribble(unsigned depth)
{
    volatile uintptr_t buf[512];
    for (unsigned i = 0; i < 512; i++)
        buf[i] = (uintptr_t)decoy;
    return depth ? scribble(depth - 1) + buf[depth] : buf[0];
}

static LONG CALLBACK veh(EXCEPTION_POINTERS *p)
{
    if (p->ExceptionRecord->ExceptionCode != EXC_C)
        return EXCEPTION_CONTINUE_SEARCH;
    continued++;
    return EXCEPTION_CONTINUE_EXECUTION;
}

__attribute__((noinline)) static void jump_out_of(const char *dll)
{
    char hex[32];
    snprintf(hex, sizeof hex, "%llx", (unsigned long long)(uintptr_t)jb);
    SetEnvironmentVariableA("GUARDJUMP_BUF", hex);
    if (!__builtin_setjmp(jb)) {
        HMODULE h = LoadLibraryA(dll);
        printf("%s: not left by a jump (%p, error %lu)\n", dll, (void *)h, GetLastError());
    } else {
        printf("%s: its DllMain left LoadLibraryA by a jump of its own\n", dll);
    }
    SetEnvironmentVariableA("GUARDJUMP_BUF", NULL);
}

static void load_failing(const char *dll, BOOL with_error)
{
    scribble(8);
    SetLastError(0);
    HMODULE h = LoadLibraryA(dll);
    DWORD e = GetLastError();
    printf("%s: LoadLibraryA %s", dll, h ? "succeeded" : "failed");
    if (with_error)
        printf(", error %lu", e);
    printf("\n");
}

static void raise_continued(void)
{
    scribble(8);
    RaiseException(EXC_C, 0, 0, NULL);
    printf("an exception after it: continued %d\n", continued);
}

int main(void)
{
    setvbuf(stdout, NULL, _IONBF, 0);
    for (unsigned i = 0; i < 16; i++)
        decoy[i] = decoy;
    if (!AddVectoredExceptionHandler(1, veh))
        return 1;
    jump_out_of("guardjump.dll");
    raise_continued();
    load_failing("guardfault.dll", FALSE);
    load_failing("dllfail.dll", TRUE);
    raise_continued();
    return 0;
}
