/* dbghelp's StackWalk64 and StackWalkEx from inside a callback that a CRT function calls (a
 * qsort comparator): the walk goes from the comparator through the CRT's frames (outside the
 * program) to sort_them and main, and ends (FALSE) within 64 frames, as on Windows, where
 * ucrtbase's qsort frames unwind like any others. */
#include "ucrt.h"

__declspec(dllimport) void __cdecl qsort(void *base, size_t n, size_t size,
                                         int(__cdecl *cmp)(const void *, const void *));
__declspec(dllimport) void *__stdcall GetModuleHandleA(const char *name);
__declspec(dllimport) void *__cdecl memset(void *p, int c, size_t n);
__declspec(dllimport) void *__stdcall GetProcAddress(void *mod, const char *name);
__declspec(dllimport) void *__stdcall GetCurrentProcess(void);
__declspec(dllimport) void __stdcall RtlCaptureContext(void *ctx);
__declspec(dllimport) int __stdcall SymInitialize(void *process, const char *path, int invade);
__declspec(dllimport) void *__stdcall SymFunctionTableAccess64(void *process,
                                                               unsigned long long addr);
__declspec(dllimport) unsigned long long __stdcall SymGetModuleBase64(void *process,
                                                                      unsigned long long a);
__declspec(dllimport) int __stdcall StackWalk64(unsigned long machine, void *process,
                                                void *thread, void *frame, void *context,
                                                void *read_memory, void *function_table,
                                                void *module_base, void *translate);
typedef struct {
    unsigned long BeginAddress, EndAddress, UnwindData;
} RUNTIME_FUNCTION;
__declspec(dllimport) RUNTIME_FUNCTION *__stdcall RtlLookupFunctionEntry(
    unsigned long long pc, unsigned long long *base, void *table);

typedef struct {
    unsigned long long Offset;
    unsigned short Segment;
    unsigned long Mode;
} ADDRESS64;
typedef struct {
    ADDRESS64 AddrPC, AddrReturn, AddrFrame, AddrStack, AddrBStore;
    void *FuncTableEntry;
    unsigned long long Params[4];
    int Far, Virtual;
    unsigned long long Reserved[3];
    unsigned char KdHelp[0x70];
    unsigned long StackFrameSize, InlineFrameContext;
} STACKFRAME_EX;
typedef struct {
    __declspec(align(16)) unsigned char bytes[0x4d0];
} CONTEXT;
#define CTX_RIP(c) (*(unsigned long long *)((c)->bytes + 0xf8))
#define CTX_RSP(c) (*(unsigned long long *)((c)->bytes + 0x98))
#define CTX_RBP(c) (*(unsigned long long *)((c)->bytes + 0xa0))
#define MACHINE_AMD64 0x8664
#define ADDR_MODE_FLAT 3

static int(__stdcall *p_StackWalkEx)(unsigned long, void *, void *, void *, void *, void *,
                                     void *, void *, void *, unsigned long);

extern char __ImageBase[];

static int in_program(unsigned long long p)
{
    const unsigned char *base = (const unsigned char *)__ImageBase;
    unsigned lfanew = *(const unsigned *)(base + 0x3c);
    unsigned size = *(const unsigned *)(base + lfanew + 0x18 + 0x38);
    return p >= (unsigned long long)base && p < (unsigned long long)base + size;
}

static int in_function(unsigned long long pc, const void *fn)
{
    unsigned long long base = 0;
    RUNTIME_FUNCTION *f = RtlLookupFunctionEntry((unsigned long long)fn, &base, 0);
    return f && pc >= base + f->BeginAddress && pc < base + f->EndAddress;
}

static int __cdecl compare(const void *a, const void *b);
__declspec(noinline) void sort_them(int *v, int n);
int main(void);

/* Walks from the caller's context with StackWalk64 (ex 0) or StackWalkEx (ex 1). */
__declspec(noinline) static void walk_here(const char *what, int ex)
{
    CONTEXT ctx;
    STACKFRAME_EX sf;
    unsigned long long pcs[64];
    int n = 0, ended = 0;
    memset(&sf, 0, sizeof sf);
    RtlCaptureContext(&ctx);
    sf.AddrPC.Offset = CTX_RIP(&ctx);
    sf.AddrPC.Mode = ADDR_MODE_FLAT;
    sf.AddrFrame.Offset = CTX_RBP(&ctx);
    sf.AddrFrame.Mode = ADDR_MODE_FLAT;
    sf.AddrStack.Offset = CTX_RSP(&ctx);
    sf.AddrStack.Mode = ADDR_MODE_FLAT;
    sf.StackFrameSize = sizeof sf;
    void *process = GetCurrentProcess(), *thread = (void *)(long long)-2;
    while (n < 64) {
        int ok = ex ? p_StackWalkEx(MACHINE_AMD64, process, thread, &sf, &ctx, 0,
                                    (void *)SymFunctionTableAccess64,
                                    (void *)SymGetModuleBase64, 0, 0)
                    : StackWalk64(MACHINE_AMD64, process, thread, &sf, &ctx, 0,
                                  (void *)SymFunctionTableAccess64, (void *)SymGetModuleBase64,
                                  0);
        if (!ok || !sf.AddrPC.Offset) {
            ended = 1;
            break;
        }
        pcs[n++] = sf.AddrPC.Offset;
    }
    int own = -1, crt = -1, sorter = -1, top = -1;
    for (int i = 0; i < n; i++) {
        unsigned long long pc = pcs[i];
        if (own < 0 && in_function(pc, (const void *)compare))
            own = i;
        else if (own >= 0 && crt < 0 && sorter < 0 && !in_program(pc))
            crt = i;
        else if (sorter < 0 && in_function(pc, (const void *)sort_them))
            sorter = i;
        else if (top < 0 && in_function(pc, (const void *)main))
            top = i;
    }
    printf("%s: comparator %s, then a CRT frame %s, then sort_them %s, then main %s; ended: %s\n",
           what, own >= 0 ? "yes" : "no", crt > own ? "yes" : "no", sorter > crt ? "yes" : "no",
           top > sorter ? "yes" : "no", ended ? "yes" : "no");
    fflush(stdout);
}

static int phase;

static int __cdecl compare(const void *a, const void *b)
{
    if (phase) {
        walk_here(phase == 1 ? "StackWalk64" : "StackWalkEx", phase == 2);
        phase = 0; /* the first call only */
    }
    int x = *(const int *)a, y = *(const int *)b;
    return (x > y) - (x < y);
}

__declspec(noinline) void sort_them(int *v, int n)
{
    qsort(v, (size_t)n, sizeof *v, compare);
}

int main(void)
{
    p_StackWalkEx = (int(__stdcall *)(unsigned long, void *, void *, void *, void *, void *,
                                      void *, void *, void *, unsigned long))
        GetProcAddress(GetModuleHandleA("dbghelp.dll"), "StackWalkEx");
    if (!SymInitialize(GetCurrentProcess(), 0, 1)) {
        printf("SymInitialize failed\n");
        return 1;
    }
    for (phase = 1; phase <= 2; phase++) {
        int saved = phase;
        int v[8] = {5, 3, 8, 1, 7, 2, 6, 4};
        sort_them(v, 8);
        phase = saved;
        printf("  sorted: %d %d %d %d %d %d %d %d\n", v[0], v[1], v[2], v[3], v[4], v[5], v[6],
               v[7]);
    }
    return 0;
}
