/* mainCRTStartup for MSVC-ABI test programs: the steps of MSVC's static start-up code
 * (vcstartup's __scrt_common_main_seh), calling the same Universal CRT entry points in the same
 * order, so a test program starts as an MSVC-built program does. Compiled with clang
 * --target=x86_64-pc-windows-msvc; linked into every program of tests/msvc. */
typedef void(__cdecl *_PVFV)(void);
typedef int(__cdecl *_PIFV)(void);

enum { _crt_console_app = 1 };
enum { _crt_argv_unexpanded_arguments = 1 };

__declspec(dllimport) void __cdecl _set_app_type(int type);
__declspec(dllimport) int __cdecl _configure_narrow_argv(int mode);
__declspec(dllimport) int __cdecl _initialize_narrow_environment(void);
__declspec(dllimport) int *__cdecl __p___argc(void);
__declspec(dllimport) char ***__cdecl __p___argv(void);
__declspec(dllimport) char **__cdecl _get_initial_narrow_environment(void);
__declspec(dllimport) int __cdecl _initterm_e(_PIFV *first, _PIFV *last);
__declspec(dllimport) void __cdecl _initterm(_PVFV *first, _PVFV *last);
__declspec(dllimport) int __cdecl _set_fmode(int mode);
__declspec(dllimport) int *__cdecl __p__commode(void);
__declspec(dllimport) int __cdecl _crt_atexit(_PVFV fn);
__declspec(dllimport) int __cdecl _crt_at_quick_exit(_PVFV fn);
__declspec(dllimport) int __cdecl _configthreadlocale(int flag);
__declspec(dllimport) __declspec(noreturn) void __cdecl exit(int code);
__declspec(dllimport) int __cdecl _seh_filter_exe(unsigned long code, void *pointers);
__declspec(dllimport) __declspec(noreturn) void __cdecl terminate(void);
__declspec(dllimport) void *__stdcall SetUnhandledExceptionFilter(void *filter);

/* vcstartup's __scrt_unhandled_exception_filter: an MSVC C++ exception (0xE06D7363 with one of
 * the frame handlers' magic numbers) that nothing catches ends in std::terminate(). */
struct exception_record {
    unsigned long code, flags;
    struct exception_record *next;
    void *address;
    unsigned long nparams;
    unsigned long long info[15];
};
struct exception_pointers {
    struct exception_record *record;
    void *context;
};
static long __stdcall unhandled_exception_filter(struct exception_pointers *p)
{
    const struct exception_record *r = p->record;
    if (r->code == 0xE06D7363 && r->nparams == 4 &&
        (r->info[0] == 0x19930520 || r->info[0] == 0x19930521 || r->info[0] == 0x19930522 ||
         r->info[0] == 0x01994000))
        terminate();
    return 0; /* EXCEPTION_CONTINUE_SEARCH */
}

/* The initializer tables: the linker sorts .CRT$X?? sections by name, so everything a C++
 * compiler puts in .CRT$XCU (constructors of globals) lies between XCA and XCZ. */
#pragma section(".CRT$XIA", long, read)
#pragma section(".CRT$XIZ", long, read)
#pragma section(".CRT$XCA", long, read)
#pragma section(".CRT$XCZ", long, read)
__declspec(allocate(".CRT$XIA")) _PIFV __xi_a[] = {0};
__declspec(allocate(".CRT$XIZ")) _PIFV __xi_z[] = {0};
__declspec(allocate(".CRT$XCA")) _PVFV __xc_a[] = {0};
__declspec(allocate(".CRT$XCZ")) _PVFV __xc_z[] = {0};

/* The compiler references these when floating point is used or a frame is large. */
int _fltused = 0x9875;

/* atexit and at_quick_exit are static parts of an MSVC program (vcstartup's utility code): an
 * executable using the CRT DLL registers with the process-wide tables of ucrtbase. C++ global
 * destructors reach _crt_atexit this way. */
int __cdecl atexit(_PVFV fn) { return _crt_atexit(fn) == 0 ? 0 : -1; }
int __cdecl at_quick_exit(_PVFV fn) { return _crt_at_quick_exit(fn) == 0 ? 0 : -1; }

int main(int argc, char **argv, char **envp);

int mainCRTStartup(void)
{
    _set_app_type(_crt_console_app);
    SetUnhandledExceptionFilter(unhandled_exception_filter);
    _set_fmode(0x4000 /* _O_TEXT */);
    *__p__commode() = 0;
    if (_configure_narrow_argv(_crt_argv_unexpanded_arguments) != 0)
        return 255;
    if (_initialize_narrow_environment() != 0)
        return 255;
    if (_initterm_e(__xi_a, __xi_z) != 0)
        return 255;
    _initterm(__xc_a, __xc_z);
    int code = main(*__p___argc(), *__p___argv(), _get_initial_narrow_environment());
    exit(code);
}
