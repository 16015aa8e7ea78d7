/* Stack walks from inside a callback that a CRT function calls (a qsort comparator) go on
 * through the CRT's frames to the program's frames above it, as on Windows:
 *  1. RtlCaptureStackBackTrace: the comparator's caller is a frame outside the program (inside
 *     the CRT), then sort_them and main follow;
 *  2. RtlWalkFrameChain (ntdll): the same frames;
 *  3. the program's own walk with RtlCaptureContext, RtlLookupFunctionEntry and
 *     RtlVirtualUnwind reaches sort_them and main, and ends (Rip 0) within 64 frames;
 *  4. the same walk in a vectored exception handler from the context of a fault in the
 *     comparator (then caught by the comparator's own __except). */
#include "ucrt.h"

__declspec(dllimport) void __cdecl qsort(void *base, size_t n, size_t size,
                                         int(__cdecl *cmp)(const void *, const void *));
__declspec(dllimport) void *__stdcall GetModuleHandleA(const char *name);
__declspec(dllimport) void *__stdcall GetProcAddress(void *mod, const char *name);
__declspec(dllimport) void __stdcall RtlCaptureContext(void *ctx);
typedef struct {
    unsigned long BeginAddress, EndAddress, UnwindData;
} RUNTIME_FUNCTION;
__declspec(dllimport) RUNTIME_FUNCTION *__stdcall RtlLookupFunctionEntry(
    unsigned long long pc, unsigned long long *base, void *table);

#define EXCEPTION_EXECUTE_HANDLER 1
#define EXCEPTION_CONTINUE_SEARCH 0
#define EXCEPTION_CONTINUE_EXECUTION (-1)

typedef struct {
    unsigned long ExceptionCode, ExceptionFlags;
    void *ExceptionRecord, *ExceptionAddress;
    unsigned long NumberParameters;
    unsigned long long ExceptionInformation[15];
} EXCEPTION_RECORD;
typedef struct {
    EXCEPTION_RECORD *ExceptionRecord;
    unsigned char *ContextRecord;
} EXCEPTION_POINTERS;

typedef struct {
    __declspec(align(16)) unsigned char bytes[0x4d0];
} CONTEXT;
#define CTX_RIP(c) (*(unsigned long long *)((c)->bytes + 0xf8))
#define CTX_RSP(c) (*(unsigned long long *)((c)->bytes + 0x98))

static unsigned short(__stdcall *p_RtlCaptureStackBackTrace)(unsigned long, unsigned long,
                                                             void **, unsigned long *);
static unsigned long(__stdcall *p_RtlWalkFrameChain)(void **, unsigned long, unsigned long);
static void *(__stdcall *p_RtlVirtualUnwind)(unsigned long, unsigned long long,
                                             unsigned long long, RUNTIME_FUNCTION *, void *,
                                             void **, unsigned long long *, void *);
static void *(__stdcall *p_AddVectoredExceptionHandler)(unsigned long, void *);
static unsigned long(__stdcall *p_RemoveVectoredExceptionHandler)(void *);

extern char __ImageBase[];

static int in_program(unsigned long long p)
{
    const unsigned char *base = (const unsigned char *)__ImageBase;
    unsigned lfanew = *(const unsigned *)(base + 0x3c);
    unsigned size = *(const unsigned *)(base + lfanew + 0x18 + 0x38);
    return p >= (unsigned long long)base && p < (unsigned long long)base + size;
}

/* The function (its .pdata range) that holds pc is fn. */
static int in_function(unsigned long long pc, const void *fn)
{
    unsigned long long base = 0;
    RUNTIME_FUNCTION *f = RtlLookupFunctionEntry((unsigned long long)fn, &base, 0);
    return f && pc >= base + f->BeginAddress && pc < base + f->EndAddress;
}

static int __cdecl compare(const void *a, const void *b);
__declspec(noinline) void sort_them(int *v, int n, int(__cdecl *cmp)(const void *, const void *));
int main(void);

/* What a list of return addresses shows, the walker's own frame first. */
static void show(const char *what, void **frames, unsigned long n)
{
    int own = -1, crt = -1, sorter = -1, top = -1;
    for (unsigned long i = 0; i < n; i++) {
        unsigned long long pc = (unsigned long long)frames[i];
        if (own < 0 && in_function(pc, (const void *)compare))
            own = (int)i;
        else if (own >= 0 && crt < 0 && sorter < 0 && !in_program(pc))
            crt = (int)i;
        else if (sorter < 0 && in_function(pc, (const void *)sort_them))
            sorter = (int)i;
        else if (top < 0 && in_function(pc, (const void *)main))
            top = (int)i;
    }
    printf("%s: comparator %s, then a CRT frame %s, then sort_them %s, then main %s\n", what,
           own >= 0 ? "yes" : "no", crt > own ? "yes" : "no", sorter > crt ? "yes" : "no",
           top > sorter ? "yes" : "no");
    fflush(stdout);
}

/* The program's own walk from ctx: Rip of each frame until Rip is 0. */
static unsigned long walk(CONTEXT *ctx, void **frames, unsigned long max, int *ended)
{
    unsigned long n = 0;
    *ended = 0;
    while (n < max) {
        unsigned long long pc = CTX_RIP(ctx), base = 0, establisher = 0;
        void *data = 0;
        if (!pc) {
            *ended = 1;
            break;
        }
        frames[n++] = (void *)pc;
        RUNTIME_FUNCTION *f = RtlLookupFunctionEntry(pc, &base, 0);
        if (f) {
            p_RtlVirtualUnwind(0, base, pc, f, ctx, &data, &establisher, 0);
        } else {
            CTX_RIP(ctx) = *(unsigned long long *)CTX_RSP(ctx);
            CTX_RSP(ctx) += 8;
        }
    }
    return n;
}

static int phase, done;
static int *volatile null_ptr;

/* (clang's __try covers calls, not a faulting instruction in the scope itself) */
__declspec(noinline) static void fault_here(void) { *null_ptr = 1; }

static int __cdecl compare(const void *a, const void *b)
{
    if (!done) {
        done = 1; /* the first call only */
        void *frames[64];
        unsigned long n;
        CONTEXT ctx;
        int ended;
        switch (phase) {
        case 1:
            n = p_RtlCaptureStackBackTrace(0, 64, frames, 0);
            show("1: RtlCaptureStackBackTrace", frames, n);
            break;
        case 2:
#ifdef NO_WALK_FRAME_CHAIN /* Wine 8.0 has no RtlWalkFrameChain on x86-64 */
            n = p_RtlCaptureStackBackTrace(0, 64, frames, 0);
#else
            n = p_RtlWalkFrameChain(frames, 64, 0);
#endif
            show("2: RtlWalkFrameChain", frames, n);
            break;
        case 3:
            RtlCaptureContext(&ctx);
            n = walk(&ctx, frames, 64, &ended);
            show("3: RtlVirtualUnwind walk", frames, n);
            printf("  ended with Rip 0: %s\n", ended ? "yes" : "no");
            break;
        case 4:
            __try {
                fault_here(); /* the vectored handler walks, this scope catches it */
            } __except (EXCEPTION_EXECUTE_HANDLER) {
                printf("  caught in the comparator\n");
            }
            break;
        }
    }
    int x = *(const int *)a, y = *(const int *)b;
    return (x > y) - (x < y);
}

static long __stdcall vectored(EXCEPTION_POINTERS *ep)
{
    void *frames[64];
    CONTEXT ctx;
    int ended;
    if (ep->ExceptionRecord->ExceptionCode != 0xC0000005)
        return EXCEPTION_CONTINUE_SEARCH;
    for (unsigned i = 0; i < sizeof ctx.bytes; i++)
        ctx.bytes[i] = ep->ContextRecord[i];
    unsigned long n = walk(&ctx, frames, 64, &ended);
    show("4: walk from the fault's context", frames, n);
    printf("  ended with Rip 0: %s\n", ended ? "yes" : "no");
    return EXCEPTION_CONTINUE_SEARCH;
}

__declspec(noinline) void sort_them(int *v, int n, int(__cdecl *cmp)(const void *, const void *))
{
    qsort(v, (size_t)n, sizeof *v, cmp);
}

int main(void)
{
    void *ntdll = GetModuleHandleA("ntdll.dll"), *k32 = GetModuleHandleA("kernel32.dll");
    p_RtlCaptureStackBackTrace = (unsigned short(__stdcall *)(unsigned long, unsigned long,
                                                              void **, unsigned long *))
        GetProcAddress(ntdll, "RtlCaptureStackBackTrace");
    p_RtlWalkFrameChain = (unsigned long(__stdcall *)(void **, unsigned long, unsigned long))
        GetProcAddress(ntdll, "RtlWalkFrameChain");
    p_RtlVirtualUnwind = (void *(__stdcall *)(unsigned long, unsigned long long,
                                              unsigned long long, RUNTIME_FUNCTION *, void *,
                                              void **, unsigned long long *, void *))
        GetProcAddress(ntdll, "RtlVirtualUnwind");
    p_AddVectoredExceptionHandler = (void *(__stdcall *)(unsigned long, void *))
        GetProcAddress(k32, "AddVectoredExceptionHandler");
    p_RemoveVectoredExceptionHandler = (unsigned long(__stdcall *)(void *))
        GetProcAddress(k32, "RemoveVectoredExceptionHandler");

    for (phase = 1; phase <= 4; phase++) {
        int v[8] = {5, 3, 7, 1, 8, 2, 6, 4};
        void *veh = phase == 4 ? p_AddVectoredExceptionHandler(1, (void *)vectored) : 0;
        done = 0;
        sort_them(v, 8, compare);
        if (veh)
            p_RemoveVectoredExceptionHandler(veh);
        printf("  sorted: %d %d %d %d %d %d %d %d\n", v[0], v[1], v[2], v[3], v[4], v[5], v[6],
               v[7]);
    }
    return 0;
}
