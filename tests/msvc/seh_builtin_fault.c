/* A fault inside a CRT function's own code (a bad pointer given to strlen or memset) is a
 * structured exception that the program's __try scopes around the call handle, as on Windows,
 * where the fault happens inside ucrtbase/vcruntime140 and is dispatched through their frames
 * (under ntrun the built-in's native frames are stepped over with their DWARF call-frame
 * information):
 *  1. strlen(NULL): EXCEPTION_ACCESS_VIOLATION, ExceptionInformation[0] = 0 (read),
 *     [1] = 0, ExceptionAddress inside the CRT, not the program;
 *  2. memset on a read-only (.rdata) array: [0] = 1 (write), [1] inside the array;
 *  3. a __finally between the call and the __except runs (abnormal termination) while the
 *     stack is unwound;
 *  4. afterwards the program goes on normally: stdio works, the same fault is caught again and
 *     strlen of a good string works. */
#include "ucrt.h"

__declspec(dllimport) size_t __cdecl strlen(const char *s);
__declspec(dllimport) void *__cdecl memset(void *d, int c, size_t n);

#define GetExceptionCode _exception_code
#define GetExceptionInformation() ((EXCEPTION_POINTERS *)_exception_info())
#define AbnormalTermination _abnormal_termination
#define EXCEPTION_EXECUTE_HANDLER 1

typedef struct {
    unsigned long ExceptionCode, ExceptionFlags;
    void *ExceptionRecord, *ExceptionAddress;
    unsigned long NumberParameters;
    unsigned long long ExceptionInformation[15];
} EXCEPTION_RECORD;
typedef struct {
    EXCEPTION_RECORD *ExceptionRecord;
    void *ContextRecord;
} EXCEPTION_POINTERS;

extern char __ImageBase[];

static size_t(__cdecl *volatile p_strlen)(const char *) = strlen;
static void *(__cdecl *volatile p_memset)(void *, int, size_t) = memset;
static const char *volatile null_str;
static const char read_only[64] = "read-only data";

static EXCEPTION_RECORD seen;

static int record(EXCEPTION_POINTERS *ep)
{
    seen = *ep->ExceptionRecord;
    return EXCEPTION_EXECUTE_HANDLER;
}

/* Is the address inside this program's image (its headers' SizeOfImage)? */
static int in_program(const void *p)
{
    const unsigned char *base = (const unsigned char *)__ImageBase;
    unsigned lfanew = *(const unsigned *)(base + 0x3c);
    unsigned size = *(const unsigned *)(base + lfanew + 0x18 + 0x38);
    return (const unsigned char *)p >= base && (const unsigned char *)p < base + size;
}

static void show(const char *what)
{
    printf("%s: code 0x%08lX, %lu parameters, [0] = %llu, in the program: %s\n", what,
           seen.ExceptionCode, seen.NumberParameters, seen.ExceptionInformation[0],
           in_program(seen.ExceptionAddress) ? "yes" : "no");
}

__declspec(noinline) static size_t length_with_finally(const char *s)
{
    size_t n = 0;
    __try {
        n = p_strlen(s);
    } __finally {
        printf("  finally (abnormal %d)\n", AbnormalTermination());
    }
    return n;
}

int main(void)
{
    __try {
        size_t n = p_strlen(null_str);
        printf("not reached: %zu\n", n);
    } __except (record(GetExceptionInformation())) {
        show("1: strlen(NULL)");
        printf("  [1] = 0x%llx\n", seen.ExceptionInformation[1]);
    }

    __try {
        p_memset((void *)read_only, 'x', sizeof read_only);
        printf("not reached\n");
    } __except (record(GetExceptionInformation())) {
        show("2: memset(read-only)");
        unsigned long long a = seen.ExceptionInformation[1];
        printf("  [1] inside the array: %s\n",
               a >= (unsigned long long)read_only &&
                       a < (unsigned long long)read_only + sizeof read_only
                   ? "yes"
                   : "no");
    }

    printf("3: through a __finally\n");
    __try {
        length_with_finally(null_str);
        printf("not reached\n");
    } __except (record(GetExceptionInformation())) {
        show("  caught");
    }

    __try {
        p_strlen(null_str);
    } __except (record(GetExceptionInformation())) {
        show("4: again");
    }
    printf("strlen(\"four\") = %zu, read_only still \"%s\"\n", p_strlen("four"), read_only);
    return 0;
}
