/* lstr_guard: kernel32's lstr* string calls on bad pointers. Windows runs lstrlenA/W,
 * lstrcpyA/W, lstrcpynA/W and lstrcatA/W under an exception handler: a pointer that faults
 * (NULL, unmapped, a string that runs into a no-access page, a read-only destination) gives 0
 * (lstrlen) or NULL and ERROR_INVALID_PARAMETER instead of an access violation, and what was
 * written before the fault stays written. lstrcpyn reads at most n - 1 characters (a source
 * without a terminator is fine when n stops first), takes n as unsigned (0 writes nothing, a
 * negative n copies the whole string) and always terminates; lstrcpy copies as memmove (an
 * overlapping copy is right). lstrcmpA/W are not guarded: NULL sorts first, a bad pointer is an
 * access violation the program's handlers see (it faults inside CompareString). Expected values:
 * Wine 8.0's kernelbase (string.c) and kernel32 (its last errors too), which this test passes
 * unchanged (`wine64 lstr_guard.exe`); ReactOS's kernel32 guards the same calls and not
 * lstrcmp. */
#include <setjmp.h>
#include <stdio.h>
#include <string.h>
#include <windows.h>

static char *page;      /* two pages: read-write, then no access */
static char *ro;        /* a read-only page */
static jmp_buf jb;
static volatile DWORD seen;

static LONG CALLBACK av_to_longjmp(EXCEPTION_POINTERS *ep)
{
    if (ep->ExceptionRecord->ExceptionCode == EXCEPTION_ACCESS_VIOLATION) {
        seen = ep->ExceptionRecord->ExceptionCode;
        longjmp(jb, 1);
    }
    return EXCEPTION_CONTINUE_SEARCH;
}

static DWORD last; /* GetLastError() right after the call under test (set by R) */
#define R(call) (SetLastError(0xdead), rv = (ULONG_PTR)(call), last = GetLastError(), rv)
static ULONG_PTR rv;

static void err(const char *what, long got)
{
    printf("%s: %ld, error %lu\n", what, got, last);
}

static const char *ptr(ULONG_PTR got, const void *dst)
{
    return !got ? "NULL" : got == (ULONG_PTR)dst ? "dst" : "other";
}

/* The last n bytes before the no-access page, filled with c and no terminator. */
static char *tail(size_t n, char c)
{
    char *p = page + 4096 - n;
    memset(p, c, n);
    return p;
}

int main(void)
{
    setvbuf(stdout, NULL, _IONBF, 0);
    page = VirtualAlloc(NULL, 8192, MEM_RESERVE | MEM_COMMIT, PAGE_READWRITE);
    ro = VirtualAlloc(NULL, 4096, MEM_RESERVE | MEM_COMMIT, PAGE_READWRITE);
    DWORD old;
    if (!page || !ro || !VirtualProtect(page + 4096, 4096, PAGE_NOACCESS, &old))
        return 2;
    strcpy(ro, "read-only");
    VirtualProtect(ro, 4096, PAGE_READONLY, &old);
    const char *bad = (const char *)0x1000;
    const char *kernel = (const char *)0xFFFF800000001000ull;
    char dst[64];
    WCHAR wdst[64];

    printf("-- lstrlen\n");
    err("lstrlenA(\"abc\")", (int)R(lstrlenA("abc")));
    err("lstrlenA(NULL)", (int)R(lstrlenA(NULL)));
    err("lstrlenA(unmapped)", (int)R(lstrlenA(bad)));
    err("lstrlenA(kernel address)", (int)R(lstrlenA(kernel)));
    char *t = tail(100, 'x');
    err("lstrlenA(no terminator before a no-access page)", (int)R(lstrlenA(t)));
    t = tail(5, 'y');
    t[4] = 0;
    err("lstrlenA(terminated in the page's last byte)", (int)R(lstrlenA(t)));
    err("lstrlenW(L\"abcd\")", (int)R(lstrlenW(L"abcd")));
    err("lstrlenW(unmapped)", (int)R(lstrlenW((const WCHAR *)bad)));
    t = tail(64, 'z');
    err("lstrlenW(no terminator before a no-access page)", (int)R(lstrlenW((WCHAR *)t)));

    printf("-- lstrcpy\n");
    strcpy(dst, "old");
    (void)R(lstrcpyA(dst, "new"));
    printf("lstrcpyA(dst, \"new\"): %s \"%s\"\n", ptr(rv, dst), dst);
    strcpy(dst, "old");
    (void)R(lstrcpyA(dst, bad));
    printf("lstrcpyA(dst, unmapped): %s", ptr(rv, dst));
    err(", dst unchanged", strcmp(dst, "old"));
    t = tail(40, 'q');
    (void)R(lstrcpyA(dst, t));
    printf("lstrcpyA(dst, no terminator): %s", ptr(rv, dst));
    err(", dst unchanged", strcmp(dst, "old"));
    (void)R(lstrcpyA(NULL, "x"));
    printf("lstrcpyA(NULL, \"x\"): %s", ptr(rv, dst));
    err("", 0);
    (void)R(lstrcpyA(ro, "x"));
    printf("lstrcpyA(read-only, \"x\"): %s", ptr(rv, ro));
    err(", destination unchanged", strcmp(ro, "read-only"));
    (void)R(lstrcpyA(dst, NULL));
    printf("lstrcpyA(dst, NULL): %s", ptr(rv, dst));
    err("", 0);
    strcpy(dst, "abcdef");
    (void)R(lstrcpyA(dst + 2, dst));
    printf("lstrcpyA(dst + 2, dst) (overlapping): %s \"%s\"\n", ptr(rv, dst + 2), dst);
    (void)R(lstrcpyW(wdst, L"wide"));
    printf("lstrcpyW(wdst, L\"wide\"): %s %d\n", ptr(rv, wdst), lstrcmpW(wdst, L"wide"));
    (void)R(lstrcpyW(wdst, (const WCHAR *)bad));
    printf("lstrcpyW(wdst, unmapped): %s", ptr(rv, wdst));
    err("", 0);

    printf("-- lstrcpyn\n");
    strcpy(dst, "untouched");
    static const int ns[] = {0, 1, 4, -1};
    for (int i = 0; i < 4; i++) {
        (void)R(lstrcpynA(dst, "abcdef", ns[i]));
        printf("lstrcpynA(dst, \"abcdef\", %d): %s \"%s\"\n", ns[i], ptr(rv, dst), dst);
    }
    t = tail(3, 'k');
    (void)R(lstrcpynA(dst, t, 4));
    printf("lstrcpynA(dst, 3 unterminated characters before a no-access page, 4): %s \"%s\"\n",
           ptr(rv, dst), dst);
    strcpy(dst, "untouched");
    (void)R(lstrcpynA(dst, t, 5));
    printf("lstrcpynA(dst, the same, 5): %s", ptr(rv, dst));
    err(", copied before the fault", strncmp(dst, "kkkouched", 9));
    char *edge = page + 4096 - 2;
    (void)R(lstrcpynA(edge, "abcdef", 10));
    printf("lstrcpynA(2 bytes before a no-access page, \"abcdef\", 10): %s", ptr(rv, edge));
    err(edge[0] == 'a' && edge[1] == 'b' ? ", \"ab\" written before the fault" : ", not written", 0);
    (void)R(lstrcpynA(dst, bad, 10));
    printf("lstrcpynA(dst, unmapped, 10): %s", ptr(rv, dst));
    err("", 0);
    (void)R(lstrcpynA(NULL, "x", 10));
    printf("lstrcpynA(NULL, \"x\", 10): %s", ptr(rv, dst));
    err("", 0);
    (void)R(lstrcpynA(NULL, "x", 0));
    printf("lstrcpynA(NULL, \"x\", 0): %s", ptr(rv, dst));
    err("", 0);
    (void)R(lstrcpynW(wdst, L"abcdef", 3));
    printf("lstrcpynW(wdst, L\"abcdef\", 3): %s %d\n", ptr(rv, wdst), lstrcmpW(wdst, L"ab"));
    (void)R(lstrcpynW(wdst, (const WCHAR *)bad, 3));
    printf("lstrcpynW(wdst, unmapped, 3): %s", ptr(rv, wdst));
    err("", 0);

    printf("-- lstrcat\n");
    strcpy(dst, "ab");
    (void)R(lstrcatA(dst, "cd"));
    printf("lstrcatA(\"ab\", \"cd\"): %s \"%s\"\n", ptr(rv, dst), dst);
    (void)R(lstrcatA(dst, bad));
    printf("lstrcatA(dst, unmapped): %s", ptr(rv, dst));
    err(", dst unchanged", strcmp(dst, "abcd"));
    t = tail(8, 'm');
    (void)R(lstrcatA(t, "x"));
    printf("lstrcatA(unterminated before a no-access page, \"x\"): %s", ptr(rv, t));
    err("", 0);
    (void)R(lstrcatA(ro, "x"));
    printf("lstrcatA(read-only, \"x\"): %s", ptr(rv, ro));
    err(", destination unchanged", strcmp(ro, "read-only"));
    (void)R(lstrcatA(NULL, "x"));
    printf("lstrcatA(NULL, \"x\"): %s", ptr(rv, dst));
    err("", 0);
    lstrcpyW(wdst, L"w");
    (void)R(lstrcatW(wdst, L"ide"));
    printf("lstrcatW(L\"w\", L\"ide\"): %s %d\n", ptr(rv, wdst), lstrcmpW(wdst, L"wide"));
    (void)R(lstrcatW(wdst, (const WCHAR *)bad));
    printf("lstrcatW(wdst, unmapped): %s", ptr(rv, wdst));
    err("", 0);

    printf("-- lstrcmp (not guarded)\n");
    int c1 = lstrcmpA(NULL, "a"), c2 = lstrcmpA("a", NULL), c3 = lstrcmpA(NULL, NULL);
    printf("lstrcmpA(NULL, \"a\") %d, lstrcmpA(\"a\", NULL) %d, lstrcmpA(NULL, NULL) %d\n", c1, c2,
           c3);
    c1 = lstrcmpW(NULL, L"a");
    c2 = lstrcmpiW(L"A", L"a");
    printf("lstrcmpW(NULL, L\"a\") %d, lstrcmpiW(L\"A\", L\"a\") %d\n", c1, c2);
    PVOID h = AddVectoredExceptionHandler(1, av_to_longjmp);
    static volatile int r;
    (void)r;
    seen = 0;
    if (!setjmp(jb))
        r = lstrcmpA("a", bad);
    printf("lstrcmpA(\"a\", unmapped): exception 0x%08lX\n", seen);
    seen = 0;
    if (!setjmp(jb))
        r = lstrcmpW((const WCHAR *)bad, L"a");
    printf("lstrcmpW(unmapped, L\"a\"): exception 0x%08lX\n", seen);
    RemoveVectoredExceptionHandler(h);
    return 0;
}
