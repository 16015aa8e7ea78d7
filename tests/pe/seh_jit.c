/* Unwinding through generated code: a function written into executable memory at run time is
 * described by a RUNTIME_FUNCTION + UNWIND_INFO registered with RtlAddFunctionTable, then with
 * RtlInstallFunctionTableCallback: RtlLookupFunctionEntry finds the entry (not after
 * RtlDeleteFunctionTable), and a back trace taken in a function it calls walks through it into
 * its caller. RtlPcToFileHeader finds the program's image, and no image for generated code. */
#include <stdio.h>
#include <string.h>
#include <windows.h>

typedef ULONG_PTR (*callee_fn)(ULONG_PTR);
typedef ULONG_PTR (*jit_fn)(callee_fn fn, ULONG_PTR arg);

static const unsigned char jit_code[] = {
    0x48, 0x83, 0xec, 0x28, /* sub $0x28,%rsp   (prolog: 4 bytes) */
    0x48, 0x89, 0xc8,       /* mov %rcx,%rax */
    0x48, 0x89, 0xd1,       /* mov %rdx,%rcx */
    0xff, 0xd0,             /* call *%rax */
    0x90,                   /* nop */
    0x48, 0x83, 0xc4, 0x28, /* add $0x28,%rsp */
    0xc3,                   /* ret */
};
static const unsigned char jit_unwind[] = {
    0x01, 0x04, 0x01, 0x00, /* version 1, prolog 4, 1 code, no frame register */
    0x04, 0x42, 0x00, 0x00, /* at 4: UWOP_ALLOC_SMALL (0x28 = (4 + 1) * 8), padding */
};

static unsigned char *jit;
static RUNTIME_FUNCTION *table;
static int callback_calls;
static void *bt[8];
static USHORT bt_n;

static ULONG_PTR take_trace(ULONG_PTR arg)
{
    bt_n = RtlCaptureStackBackTrace(0, 8, bt, NULL);
    return arg + 1;
}

static int in_function(void *pc, void *fn)
{
    DWORD64 base;
    RUNTIME_FUNCTION *f = RtlLookupFunctionEntry((DWORD64)pc, &base, NULL);
    return f && base + f->BeginAddress == (DWORD64)fn;
}

static RUNTIME_FUNCTION *WINAPI get_function(DWORD64 pc, void *context)
{
    callback_calls++;
    return pc >= (DWORD64)jit && pc < (DWORD64)jit + sizeof jit_code ? (RUNTIME_FUNCTION *)context
                                                                     : NULL;
}

__attribute__((noinline)) static void check(const char *how)
{
    ULONG_PTR r = ((jit_fn)jit)(take_trace, 41);
    printf("%s: returned %lu, 3+ frames %d; take_trace, jit code, check: %d %d %d\n", how,
           (unsigned long)r, bt_n >= 3, in_function(bt[0], take_trace),
           (unsigned char *)bt[1] > jit && (unsigned char *)bt[1] < jit + sizeof jit_code,
           in_function(bt[2], check));
}

int main(void)
{
    jit = VirtualAlloc(NULL, 4096, MEM_COMMIT | MEM_RESERVE, PAGE_EXECUTE_READWRITE);
    memcpy(jit, jit_code, sizeof jit_code);
    memcpy(jit + 0x40, jit_unwind, sizeof jit_unwind);
    table = (RUNTIME_FUNCTION *)(jit + 0x80);
    table->BeginAddress = 0;
    table->EndAddress = sizeof jit_code;
    table->UnwindData = 0x40;

    void *img = NULL, *none = (void *)1;
    void *ret = RtlPcToFileHeader((void *)check, &img);
    void *ret2 = RtlPcToFileHeader(jit, &none);
    printf("RtlPcToFileHeader: program %d %d, generated code %p %p\n",
           ret == GetModuleHandleA(NULL), img == ret, ret2, none);

    printf("RtlAddFunctionTable: %d\n", RtlAddFunctionTable(table, 1, (DWORD64)jit));
    DWORD64 base = 0;
    int found = RtlLookupFunctionEntry((DWORD64)jit + 5, &base, NULL) == table;
    printf("lookup: %d, base is the code: %d\n", found, base == (DWORD64)jit);
    check("added table");
    int deleted = RtlDeleteFunctionTable(table);
    printf("RtlDeleteFunctionTable: %d, lookup after: %p\n", deleted,
           (void *)RtlLookupFunctionEntry((DWORD64)jit + 5, &base, NULL));

    printf("RtlInstallFunctionTableCallback: %d\n",
           RtlInstallFunctionTableCallback((DWORD64)jit | 3, (DWORD64)jit, 4096, get_function,
                                           table, NULL));
    check("callback table");
    printf("callback called: %d\n", callback_calls > 0);
    printf("RtlDeleteFunctionTable(id): %d\n",
           RtlDeleteFunctionTable((RUNTIME_FUNCTION *)((DWORD64)jit | 3)));
    return 0;
}
