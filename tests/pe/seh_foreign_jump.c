/* seh_foreign_jump: handlers that leave a dispatch by a jump of their own, with no RtlUnwind and
 * no RtlRestoreContext, as managed runtimes do (CoreCLR's and NativeAOT's catch funclets resume
 * at a stack pointer they set themselves; the Azure MCP Server's .NET runtime did, in corpus3p).
 * The dispatcher's frames they leave are dead and later frames write over them; the next
 * exceptions must be dispatched as usual:
 *  - flat: a vectored handler jumps back to the raiser's frame (__builtin_longjmp); a deep call
 *    scribbles over the stack below; the next RaiseException is seen and continued; 3 rounds;
 *  - nested: the handler of exception A raises B; B's handler jumps back into A's handler
 *    (the dispatch of A still live); A's handler scribbles, raises C (continued), then
 *    continues A; then one more exception after A's dispatch ended.
 * Each line says what the handlers saw; Windows' dispatcher keeps no state in the frames a
 * handler leaves, so it prints the same. */
#include <stdio.h>
#include <stdint.h>
#include <string.h>
#include <windows.h>

#define EXC_A 0xE0000A01u
#define EXC_B 0xE0000B02u
#define EXC_C 0xE0000C03u
#define EXC_F 0xE0000F04u

static void *jb_flat[5], *jb_nested[5];
static int seen_flat, seen_b, seen_c, seen_a, seen_after;

/* What later frames leave where the dead dispatcher frames were is anything; here every word
 * points at a decoy whose every word points at itself: a dispatcher that still followed the
 * links of the records it kept in those frames would loop (or, with other words, fault). */
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
    switch (p->ExceptionRecord->ExceptionCode) {
    case EXC_F:
        seen_flat++;
        __builtin_longjmp(jb_flat, 1);
    case EXC_A:
        seen_a++;
        if (!__builtin_setjmp(jb_nested))
            RaiseException(EXC_B, 0, 0, NULL);
        /* back from B's handler: B's dispatch is over, A's is not */
        scribble(8);
        RaiseException(EXC_C, 0, 0, NULL);
        return EXCEPTION_CONTINUE_EXECUTION;
    case EXC_B:
        seen_b++;
        __builtin_longjmp(jb_nested, 1);
    case EXC_C:
        seen_c++;
        return EXCEPTION_CONTINUE_EXECUTION;
    case EXC_F + 1:
        seen_after++;
        return EXCEPTION_CONTINUE_EXECUTION;
    }
    return EXCEPTION_CONTINUE_SEARCH;
}

__attribute__((noinline)) static void flat_round(int i)
{
    if (!__builtin_setjmp(jb_flat)) {
        RaiseException(EXC_F, 0, 0, NULL);
        printf("flat %d: not left\n", i);
    }
}

int main(void)
{
    for (unsigned i = 0; i < 16; i++)
        decoy[i] = decoy;
    if (!AddVectoredExceptionHandler(1, veh))
        return 1;
    for (int i = 0; i < 3; i++) {
        flat_round(i);
        scribble(8);
        RaiseException(EXC_C, 0, 0, NULL);
        printf("flat %d: left %d, continued %d\n", i, seen_flat, seen_c);
    }
    seen_c = 0;
    RaiseException(EXC_A, 0, 0, NULL);
    printf("nested: A %d, B %d, C %d\n", seen_a, seen_b, seen_c);
    scribble(8);
    RaiseException(EXC_F + 1, 0, 0, NULL);
    printf("after: %d\n", seen_after);
    return 0;
}
