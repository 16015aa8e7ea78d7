/* MSVC C++ throws (vcruntime140 _CxxThrowException, __CxxFrameHandler) near the end of the
 * thread's stack, as Windows answers them. The stack's low end is GetCurrentThreadStackLimits'
 * (Windows 8 and later); its lowest 8 KiB are the reserved page and the guard page.
 *  - room: a throw with ~16 KiB left (room for Windows' raise and dispatch frames, a few KiB)
 *    is caught by reference above a 1 MB recursion, the three frames with objects between
 *    the throw and the catch destroyed in order;
 *  - no room: the same throw with ~10 KiB left: the raise's own frames reach the guard region,
 *    so STATUS_STACK_OVERFLOW (2 parameters: a write, an address) is raised in place of the C++
 *    exception, at an address inside a system DLL (Windows' fault is inside its raise), with
 *    the context's Rip the same; no C++ catch clause takes it (built as with /EHsc) and an
 *    __except around the recursion does;
 *  - again: after _resetstkoflw (nonzero) the throw with ~16 KiB left is caught again. */
#include "ucrt.h"

extern "C" {
__declspec(dllimport) void *__stdcall GetModuleHandleA(const char *name);
__declspec(dllimport) void *__stdcall GetProcAddress(void *module, const char *name);
}

struct Record {
    unsigned long code, flags;
    Record *next;
    void *address;
    unsigned long nparams;
    unsigned long long info[15];
};
struct Pointers {
    Record *record;
    unsigned char *context; /* CONTEXT: Rip at 0xf8 */
};

static unsigned long long stack_low;

static void find_stack_low()
{
    unsigned long long high = 0;
    void(__stdcall * limits)(unsigned long long *, unsigned long long *) =
        (void(__stdcall *)(unsigned long long *, unsigned long long *))GetProcAddress(
            GetModuleHandleA("kernel32.dll"), "GetCurrentThreadStackLimits");
    limits(&stack_low, &high);
}

/* Does addr lie in the image of the module at base (its headers' SizeOfImage)? */
static bool in_image(const void *base, unsigned long long addr)
{
    if (!base)
        return false;
    const unsigned char *b = (const unsigned char *)base;
    unsigned lfanew = *(const unsigned *)(b + 0x3c);
    unsigned size = *(const unsigned *)(b + lfanew + 24 + 56); /* SizeOfImage */
    return addr >= (unsigned long long)b && addr < (unsigned long long)b + size;
}

static const char *where(unsigned long long addr)
{
    if (in_image(GetModuleHandleA(nullptr), addr))
        return "the program";
    static const char *const dlls[] = {"vcruntime140.dll", "kernelbase.dll", "kernel32.dll",
                                       "ntdll.dll", "ucrtbase.dll"};
    for (const char *d : dlls)
        if (in_image(GetModuleHandleA(d), addr))
            return "a system DLL";
    return "no module";
}

static int dtors;
struct Frame {
    int n;
    explicit Frame(int k) : n(k) {}
    ~Frame() { printf("    ~Frame %d\n", n); dtors++; }
};
struct Payload {
    int value;
};

__declspec(noinline) static void throw3() { Frame f(3); throw Payload{7}; }
__declspec(noinline) static void throw2() { Frame f(2); throw3(); }
__declspec(noinline) static void throw1() { Frame f(1); throw2(); }

__declspec(noinline) static void throw_plain() { throw Payload{9}; }

/* Recursion down to `stop` bytes above the stack's low end, then at_bottom(). */
static void (*volatile at_bottom)();
__declspec(noinline) static void descend(unsigned long long stop)
{
    volatile char pad[200];
    pad[0] = 1;
    if ((unsigned long long)pad - stop > stack_low)
        descend(stop);
    else
        at_bottom();
    pad[1] = pad[0];
}

static void caught_with_room(const char *what)
{
    dtors = 0;
    at_bottom = throw1;
    try {
        descend(16 * 1024);
        printf("not reached\n");
    } catch (const Payload &p) {
        printf("%s: caught Payload %d, %d of 3 destructors ran\n", what, p.value, dtors);
    } catch (...) {
        printf("%s: wrong: caught something else\n", what);
    }
}

static unsigned long seen_code, seen_params, seen_write;
static unsigned long long seen_addr, seen_rip;

static int note(Pointers *p)
{
    seen_code = p->record->code;
    seen_params = p->record->nparams;
    seen_write = (unsigned long)p->record->info[0];
    seen_addr = (unsigned long long)p->record->address;
    seen_rip = *(unsigned long long *)(p->context + 0xf8);
    return 1; /* EXCEPTION_EXECUTE_HANDLER */
}

/* No object with a destructor here: the __except's function. */
static int cxx_caught;
__declspec(noinline) static void no_room_inner()
{
    try {
        descend(10 * 1024);
    } catch (...) {
        cxx_caught++; /* not for a structured exception under /EHsc */
    }
}

static void no_room()
{
    seen_code = 0;
    at_bottom = throw_plain; /* no object to destroy between the throw and the __except */
    __try {
        no_room_inner();
        printf("not reached\n");
    } __except (note((Pointers *)_exception_info())) {
        printf("no room: __except saw 0x%08lX (%lu parameters, first %lu), at an address in %s, "
               "the context's Rip %s; C++ catch clauses taking it: %d\n",
               seen_code, seen_params, seen_write, where(seen_addr),
               seen_rip == seen_addr ? "the same" : "elsewhere", cxx_caught);
    }
}

int main()
{
    find_stack_low();
    caught_with_room("room");
    no_room();
    /* the UCRT's, from the DLL the api-ms-win-crt sets forward to */
    int(__cdecl * resetstkoflw)() = (int(__cdecl *)())GetProcAddress(
        GetModuleHandleA("ucrtbase.dll"), "_resetstkoflw");
    printf("_resetstkoflw: %s\n", resetstkoflw && resetstkoflw() ? "nonzero" : "0");
    caught_with_room("again");
    return 0;
}
