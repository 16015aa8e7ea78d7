/* A fault inside a CRT function's own code that a handler repairs and continues
 * (EXCEPTION_CONTINUE_EXECUTION): as on Windows, where the fault is reported at the faulting
 * instruction inside the DLL and continuing retries it, the CRT function then completes and
 * returns its normal result:
 *  1. memset into a read-only page, the __except filter makes it writable: ContextRecord->Rip
 *     equals ExceptionAddress, neither is in the program, the filter runs once;
 *  2. memset over two read-only pages, the filter unprotects only the page of the faulting
 *     address: it runs twice, the memset finishes;
 *  3. strlen of a string in a no-access page, the filter makes it readable: strlen's result;
 *  4. memcpy out of a no-access page repaired by a vectored handler (the __except filter
 *     around the call is never asked), 64 KiB and a copy that straddles a page boundary
 *     into a read-only page (the copy was half done, with data in vector registers);
 *  5. afterwards stdio works. */
#include "ucrt.h"

__declspec(dllimport) size_t __cdecl strlen(const char *s);
__declspec(dllimport) void *__cdecl memset(void *d, int c, size_t n);
__declspec(dllimport) void *__cdecl memcpy(void *d, const void *s, size_t n);
__declspec(dllimport) void *__stdcall GetModuleHandleA(const char *name);
__declspec(dllimport) void *__stdcall GetProcAddress(void *mod, const char *name);

#define GetExceptionInformation() ((EXCEPTION_POINTERS *)_exception_info())
#define EXCEPTION_EXECUTE_HANDLER 1
#define EXCEPTION_CONTINUE_SEARCH 0
#define EXCEPTION_CONTINUE_EXECUTION (-1)
#define MEM_COMMIT_RESERVE 0x3000
#define PAGE_NOACCESS 0x01
#define PAGE_READONLY 0x02
#define PAGE_READWRITE 0x04
#define PAGE 4096

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

static void *(__stdcall *p_VirtualAlloc)(void *, size_t, unsigned long, unsigned long);
static int(__stdcall *p_VirtualProtect)(void *, size_t, unsigned long, unsigned long *);
static void *(__stdcall *p_AddVectoredExceptionHandler)(unsigned long, void *);
static unsigned long(__stdcall *p_RemoveVectoredExceptionHandler)(void *);

static size_t(__cdecl *volatile p_strlen)(const char *) = strlen;
static void *(__cdecl *volatile p_memset)(void *, int, size_t) = memset;
static void *(__cdecl *volatile p_memcpy)(void *, const void *, size_t) = memcpy;

extern char __ImageBase[];

static int in_program(const void *p)
{
    const unsigned char *base = (const unsigned char *)__ImageBase;
    unsigned lfanew = *(const unsigned *)(base + 0x3c);
    unsigned size = *(const unsigned *)(base + lfanew + 0x18 + 0x38);
    return (const unsigned char *)p >= base && (const unsigned char *)p < base + size;
}

static int calls, rip_matches, outside_program, last_kind;
static unsigned long long last_addr;
static unsigned long fix_protection = PAGE_READWRITE;

/* Makes the page of the faulting address accessible and asks to continue. */
static int repair(EXCEPTION_POINTERS *ep)
{
    EXCEPTION_RECORD *r = ep->ExceptionRecord;
    unsigned long long rip = *(unsigned long long *)(ep->ContextRecord + 0xf8);
    unsigned long old;
    if (r->ExceptionCode != 0xC0000005 || r->NumberParameters < 2)
        return EXCEPTION_CONTINUE_SEARCH;
    calls++;
    rip_matches += rip == (unsigned long long)r->ExceptionAddress;
    outside_program += !in_program(r->ExceptionAddress);
    last_kind = (int)r->ExceptionInformation[0];
    last_addr = r->ExceptionInformation[1];
    void *page = (void *)(last_addr & ~(unsigned long long)(PAGE - 1));
    if (!p_VirtualProtect(page, PAGE, fix_protection, &old))
        return EXCEPTION_CONTINUE_SEARCH;
    return EXCEPTION_CONTINUE_EXECUTION;
}

static long __stdcall vectored(EXCEPTION_POINTERS *ep) { return repair(ep); }

static int filter_asked;
static int should_not_run(void)
{
    filter_asked++;
    return EXCEPTION_EXECUTE_HANDLER;
}

static void reset(void) { calls = rip_matches = outside_program = last_kind = 0; }

static void show(const char *what, int ok)
{
    printf("%s: %s, handler ran %d time(s), Rip == ExceptionAddress %d, outside the program "
           "%d, [0] = %d\n",
           what, ok ? "completed" : "WRONG RESULT", calls, rip_matches, outside_program,
           last_kind);
}

static unsigned char *alloc(size_t n, unsigned long prot)
{
    return (unsigned char *)p_VirtualAlloc(0, n, MEM_COMMIT_RESERVE, prot);
}

static void protect(void *p, size_t n, unsigned long prot)
{
    unsigned long old;
    p_VirtualProtect(p, n, prot, &old);
}

int main(void)
{
    void *k32 = GetModuleHandleA("kernel32.dll");
    p_VirtualAlloc = (void *(__stdcall *)(void *, size_t, unsigned long, unsigned long))
        GetProcAddress(k32, "VirtualAlloc");
    p_VirtualProtect = (int(__stdcall *)(void *, size_t, unsigned long, unsigned long *))
        GetProcAddress(k32, "VirtualProtect");
    p_AddVectoredExceptionHandler = (void *(__stdcall *)(unsigned long, void *))
        GetProcAddress(k32, "AddVectoredExceptionHandler");
    p_RemoveVectoredExceptionHandler = (unsigned long(__stdcall *)(void *))
        GetProcAddress(k32, "RemoveVectoredExceptionHandler");

    /* 1 */
    unsigned char *ro = alloc(PAGE, PAGE_READONLY);
    void *ret = 0;
    reset();
    __try {
        ret = p_memset(ro + 16, 'x', 100);
    } __except (repair(GetExceptionInformation())) {
        printf("1: not continued\n");
    }
    int ok = ret == ro + 16 && ro[15] == 0 && ro[16] == 'x' && ro[115] == 'x' && ro[116] == 0;
    show("1: memset(read-only page)", ok);
    printf("  [1] inside the page: %s\n",
           last_addr >= (unsigned long long)ro && last_addr < (unsigned long long)ro + PAGE
               ? "yes" : "no");

    /* 2 */
    unsigned char *ro2 = alloc(2 * PAGE, PAGE_READONLY);
    reset();
    __try {
        ret = p_memset(ro2, 'y', 2 * PAGE);
    } __except (repair(GetExceptionInformation())) {
        printf("2: not continued\n");
    }
    ok = ret == ro2 && ro2[0] == 'y' && ro2[PAGE - 1] == 'y' && ro2[PAGE] == 'y' &&
         ro2[2 * PAGE - 1] == 'y';
    show("2: memset(two read-only pages)", ok);

    /* 3 */
    unsigned char *na = alloc(PAGE, PAGE_READWRITE);
    memcpy(na + 100, "continued", 10);
    protect(na, PAGE, PAGE_NOACCESS);
    size_t len = 0;
    reset();
    fix_protection = PAGE_READONLY;
    __try {
        len = p_strlen((const char *)na + 100);
    } __except (repair(GetExceptionInformation())) {
        printf("3: not continued\n");
    }
    show("3: strlen(no-access page)", len == 9);
    printf("  strlen = %zu\n", len);

    /* 4 */
    void *veh = p_AddVectoredExceptionHandler(1, (void *)vectored);
    size_t big = 16 * PAGE;
    unsigned char *src = alloc(big, PAGE_READWRITE), *dst = alloc(big, PAGE_READWRITE);
    for (size_t i = 0; i < big; i++)
        src[i] = (unsigned char)(i * 7 + i / 251);
    protect(src, big, PAGE_NOACCESS);
    reset();
    __try {
        ret = p_memcpy(dst, src, big);
    } __except (should_not_run()) {
        printf("4: not continued\n");
    }
    ok = ret == dst;
    for (size_t i = 0; i < big; i++)
        ok &= dst[i] == (unsigned char)(i * 7 + i / 251);
    show("4a: memcpy(64 KiB from no-access pages), vectored handler", ok);

    /* A copy into the end of a writable page that runs into a read-only one. */
    unsigned char *two = alloc(2 * PAGE, PAGE_READWRITE);
    protect(two + PAGE, PAGE, PAGE_READONLY);
    protect(src, big, PAGE_READONLY);
    fix_protection = PAGE_READWRITE;
    reset();
    __try {
        ret = p_memcpy(two + PAGE - 700, src + 3, 1500);
    } __except (should_not_run()) {
        printf("4b: not continued\n");
    }
    ok = ret == two + PAGE - 700 && two[PAGE - 701] == 0 && two[PAGE + 800] == 0;
    for (size_t i = 0; i < 1500; i++)
        ok &= two[PAGE - 700 + i] == src[3 + i];
    show("4b: memcpy(across into a read-only page), vectored handler", ok);
    printf("  [1] inside the read-only page: %s\n",
           last_addr >= (unsigned long long)(two + PAGE) &&
                   last_addr < (unsigned long long)(two + 2 * PAGE) ? "yes" : "no");
    printf("  __except filter asked: %d\n", filter_asked);
    p_RemoveVectoredExceptionHandler(veh);

    /* 5 */
    printf("5: strlen(\"after\") = %zu\n", p_strlen("after"));
    return 0;
}
