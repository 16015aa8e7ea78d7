/* dbghelp as crash reporters and Rust's backtrace use it, without a PDB: symbols are the
 * modules' exports (this program exports its walk_* functions and main). SymFromAddr(W) gives
 * the nearest export at or below an address and the displacement; SymGetModuleBase64 the
 * module's base; SymFunctionTableAccess64 the .pdata entry; SymGetLineFromAddr64 fails with
 * ERROR_INVALID_ADDRESS (no line information); a module must be loaded into the handler
 * (SymInitialize's invade, or SymLoadModuleEx, which answers 0 with ERROR_SUCCESS the second
 * time) and look-ups before SymInitialize fail with ERROR_INVALID_HANDLE;
 * EnumerateLoadedModules64 lists the program and kernel32; StackWalk64 from RtlCaptureContext
 * reports the captured frame first and then each caller, AddrReturn being the next frame's
 * AddrPC. On Windows the walk goes on below main into kernel32!BaseThreadInitThunk and
 * ntdll!RtlUserThreadStart (under ntrun it ends at the start-up code's frame): only its end
 * is checked. Expected values: the dbghelp documentation (SymLoadModuleEx, SymFromAddr,
 * StackWalk64) and its results on Windows for a program without a PDB. */
#include "ucrt.h"

typedef int BOOL;
#define TRUE 1
typedef unsigned long DWORD;
typedef unsigned long long DWORD64;
__declspec(dllimport) void *__stdcall GetModuleHandleA(const char *name);
__declspec(dllimport) void *__stdcall GetProcAddress(void *mod, const char *name);
__declspec(dllimport) void *__stdcall GetCurrentProcess(void);
__declspec(dllimport) void __stdcall RtlCaptureContext(void *ctx);
__declspec(dllimport) void *__stdcall RtlLookupFunctionEntry(DWORD64 pc, DWORD64 *base,
                                                             void *table);
__declspec(dllimport) DWORD __stdcall GetLastError(void);
__declspec(dllimport) void __stdcall SetLastError(DWORD e);
__declspec(dllimport) void *__cdecl malloc(size_t n);
__declspec(dllimport) size_t __cdecl strlen(const char *s);

typedef struct {
    unsigned SizeOfStruct, TypeIndex;
    unsigned long long Reserved[2];
    unsigned Index, Size;
    unsigned long long ModBase;
    unsigned Flags;
    unsigned long long Value, Address;
    unsigned Register, Scope, Tag, NameLen, MaxNameLen;
    char Name[256];
} SYMBOL_INFO_256;
typedef struct {
    DWORD64 Offset;
    unsigned short Segment;
    unsigned Mode;
} ADDRESS64;
typedef struct {
    ADDRESS64 AddrPC, AddrReturn, AddrFrame, AddrStack, AddrBStore;
    void *FuncTableEntry;
    DWORD64 Params[4];
    BOOL Far, Virtual;
    DWORD64 Reserved[3];
    unsigned char KdHelp[0x70];
} STACKFRAME64;
typedef BOOL(__stdcall *enum_cb)(const char *name, DWORD64 base, unsigned size, void *ctx);

__declspec(dllimport) BOOL __stdcall SymInitialize(void *proc, const char *path, BOOL invade);
__declspec(dllimport) BOOL __stdcall SymCleanup(void *proc);
__declspec(dllimport) DWORD __stdcall SymSetOptions(DWORD opts);
__declspec(dllimport) BOOL __stdcall SymFromAddr(void *proc, DWORD64 addr, DWORD64 *disp,
                                                 void *info);
__declspec(dllimport) BOOL __stdcall SymFromAddrW(void *proc, DWORD64 addr, DWORD64 *disp,
                                                  void *info);
__declspec(dllimport) DWORD64 __stdcall SymGetModuleBase64(void *proc, DWORD64 addr);
__declspec(dllimport) void *__stdcall SymFunctionTableAccess64(void *proc, DWORD64 addr);
__declspec(dllimport) BOOL __stdcall SymGetLineFromAddr64(void *proc, DWORD64 addr, DWORD *disp,
                                                          void *line);
__declspec(dllimport) DWORD64 __stdcall SymLoadModuleEx(void *proc, void *file, const char *image,
                                                        const char *mod, DWORD64 base,
                                                        DWORD size, void *data, DWORD flags);
__declspec(dllimport) BOOL __stdcall EnumerateLoadedModules64(void *proc, enum_cb cb, void *ctx);
__declspec(dllimport) DWORD __stdcall UnDecorateSymbolName(const char *name, char *out, DWORD size,
                                                           DWORD flags);
__declspec(dllimport) BOOL __stdcall StackWalk64(DWORD machine, void *proc, void *thread,
                                                 STACKFRAME64 *frame, void *context,
                                                 void *read, void *fta, void *gmb, void *tr);

static __declspec(align(16)) unsigned char context[1232]; /* CONTEXT */
static char walk_names[4][64];
static int walk_frames, walk_chain_ok = 1;

static const char *name_of(DWORD64 addr, DWORD64 *disp)
{
    static SYMBOL_INFO_256 si;
    si.SizeOfStruct = 88; /* sizeof(SYMBOL_INFO) */
    si.MaxNameLen = 256;
    if (!SymFromAddr(GetCurrentProcess(), addr, disp, &si))
        return 0;
    return si.Name;
}

/* The walk's frames, exported so that they have names. None of these calls is a tail call. */
__declspec(dllexport) __declspec(noinline) int walk_leaf(int x)
{
    STACKFRAME64 sf;
    RtlCaptureContext(context);
    for (unsigned i = 0; i < sizeof sf; i++)
        ((unsigned char *)&sf)[i] = 0;
    sf.AddrPC.Offset = *(DWORD64 *)(context + 0xf8); /* Rip */
    sf.AddrPC.Mode = 3;
    sf.AddrStack.Offset = *(DWORD64 *)(context + 0x98); /* Rsp */
    sf.AddrStack.Mode = 3;
    sf.AddrFrame.Offset = *(DWORD64 *)(context + 0xa0); /* Rbp */
    sf.AddrFrame.Mode = 3;
    DWORD64 prev_return = 0;
    while (walk_frames < 1000 && StackWalk64(0x8664, GetCurrentProcess(), 0, &sf, context, 0,
                                             SymFunctionTableAccess64, SymGetModuleBase64, 0)) {
        if (walk_frames > 0 && sf.AddrPC.Offset != prev_return)
            walk_chain_ok = 0;
        prev_return = sf.AddrReturn.Offset;
        if (walk_frames < 4) {
            DWORD64 disp = 0;
            const char *n = name_of(sf.AddrPC.Offset, &disp);
            char *out = walk_names[walk_frames];
            int k = 0;
            for (; n && n[k] && k < 40; k++)
                out[k] = n[k];
            out[k] = 0;
        }
        walk_frames++;
    }
    return x + 1;
}

__declspec(dllexport) __declspec(noinline) int walk_mid(int x) { return walk_leaf(x * 2) + 1; }

__declspec(dllexport) __declspec(noinline) int walk_top(int x) { return walk_mid(x + 3) + 1; }

static int modules_seen, exe_listed, kernel32_listed;
static DWORD64 exe_base_listed;

static int ends_with(const char *s, const char *tail)
{
    size_t n = strlen(s), t = strlen(tail);
    if (n < t)
        return 0;
    for (size_t i = 0; i < t; i++) {
        char a = s[n - t + i], b = tail[i];
        if (a >= 'A' && a <= 'Z')
            a += 32;
        if (a != b)
            return 0;
    }
    return 1;
}

static BOOL __stdcall on_module(const char *name, DWORD64 base, unsigned size, void *ctx)
{
    modules_seen++;
    if (ends_with(name, "\\dbghelp_sym.exe") && base == exe_base_listed && size > 0)
        exe_listed = 1;
    if (ends_with(name, "\\kernel32.dll"))
        kernel32_listed = 1;
    return TRUE;
}

__declspec(dllexport) int main(void)
{
    void *proc = GetCurrentProcess();
    DWORD64 exe = (DWORD64)GetModuleHandleA(0), disp = 0;
    DWORD64 top = (DWORD64)walk_top;
    SYMBOL_INFO_256 si = {0};
    si.SizeOfStruct = 88;
    si.MaxNameLen = 256;

    SetLastError(0);
    BOOL ok = SymFromAddr(proc, top, &disp, &si);
    printf("before SymInitialize: %d, error %lu\n", ok, GetLastError());

    printf("SymInitialize(no invade): %d\n", SymInitialize(proc, 0, 0));
    SetLastError(0);
    ok = SymFromAddr(proc, top, &disp, &si);
    printf("module not loaded: %d, error %lu\n", ok, GetLastError());
    printf("SymLoadModuleEx is the base: %d\n",
           SymLoadModuleEx(proc, 0, 0, 0, exe, 0, 0, 0) == exe);
    SetLastError(1234);
    DWORD64 again = SymLoadModuleEx(proc, 0, 0, 0, exe, 0, 0, 0);
    printf("SymLoadModuleEx again: %llu, error %lu\n", again, GetLastError());
    ok = SymFromAddr(proc, top + 3, &disp, &si);
    printf("SymFromAddr(walk_top+3): %d %s+%llu, NameLen %u, address is walk_top %d, modbase %d\n",
           ok, si.Name, disp, si.NameLen, si.Address == top, si.ModBase == exe);
    printf("SymCleanup: %d\n", SymCleanup(proc));

    printf("SymInitialize(invade): %d\n", SymInitialize(proc, 0, 1));
    ok = SymFromAddr(proc, (DWORD64)main, &disp, &si);
    printf("SymFromAddr(main): %d %s+%llu\n", ok, si.Name, disp);
    si.MaxNameLen = 5;
    ok = SymFromAddr(proc, (DWORD64)walk_mid, &disp, &si);
    printf("short name buffer: %d [%s]\n", ok, si.Name);
    si.MaxNameLen = 256;
    void *k32 = GetModuleHandleA("kernel32.dll");
    DWORD64 gcp = (DWORD64)GetProcAddress(k32, "GetCurrentProcessId");
    ok = SymFromAddrW(proc, gcp, &disp, &si);
    char narrow[64];
    for (int i = 0; i < 63 && (narrow[i] = (char)((unsigned short *)si.Name)[i]); i++)
        narrow[i + 1] = 0;
    printf("SymFromAddrW(kernel32!GetCurrentProcessId): %d %s+%llu, in kernel32 %d\n", ok,
           narrow, disp, si.ModBase == (DWORD64)k32);
    printf("SymGetModuleBase64: exe %d, kernel32 %d\n", SymGetModuleBase64(proc, top) == exe,
           SymGetModuleBase64(proc, gcp) == (DWORD64)k32);
    void *heap = malloc(16);
    SetLastError(0);
    ok = SymFromAddr(proc, (DWORD64)heap, &disp, &si);
    printf("heap address: %d, error %lu, module base %llu\n", ok, GetLastError(),
           SymGetModuleBase64(proc, (DWORD64)heap));
    DWORD64 fbase = 0;
    void *fe = SymFunctionTableAccess64(proc, top);
    printf("SymFunctionTableAccess64: found %d, same as RtlLookupFunctionEntry %d\n", fe != 0,
           fe == RtlLookupFunctionEntry(top, &fbase, 0));
    unsigned char line[64] = {0};
    *(unsigned *)line = 40; /* sizeof(IMAGEHLP_LINE64) */
    DWORD ldisp = 0;
    SetLastError(0);
    ok = SymGetLineFromAddr64(proc, top, &ldisp, line);
    printf("SymGetLineFromAddr64: %d, error %lu\n", ok, GetLastError());

    exe_base_listed = exe;
    ok = EnumerateLoadedModules64(proc, on_module, 0);
    printf("EnumerateLoadedModules64: %d, program listed %d, kernel32 listed %d, several %d\n",
           ok, exe_listed, kernel32_listed, modules_seen >= 3);

    int r = walk_top(1);
    printf("walk: %d; frames: %s, %s, %s, %s; AddrReturn chain %d; ended %d\n", r,
           walk_names[0], walk_names[1], walk_names[2], walk_names[3], walk_chain_ok,
           walk_frames >= 4 && walk_frames < 1000);
    printf("SymCleanup: %d\n", SymCleanup(proc));

    /* UNDNAME_NAME_ONLY (0x1000): the qualified name */
    static const char *decorated[] = {"?get@Box@app@@QEAAHXZ", "??0Box@app@@QEAA@XZ",
                                      "??1Box@@QEAA@XZ", "??2@YAPEAX_K@Z", "plain_c_name"};
    for (int i = 0; i < 5; i++) {
        char out[64];
        DWORD n = UnDecorateSymbolName(decorated[i], out, sizeof out, 0x1000);
        printf("UnDecorateSymbolName(%s, NAME_ONLY) = %lu [%s]\n", decorated[i], n, out);
    }
    return 0;
}
