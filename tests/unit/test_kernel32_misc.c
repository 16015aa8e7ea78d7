/* Built-in kernel32 outside the file system, called directly (ms_abi) on a thread with a TEB
 * after thk_process_setup. Covers: the last error (TEB field, NTSTATUS conversion), the command
 * line built from argv (exact quoting and a round trip through the msvcrt parsing rules), the
 * environment (sizes, case-insensitivity, empty values, deletion, sorted insertion, expansion),
 * code-page conversions (sizes, terminators, insufficient buffers, surrogate pairs, ill-formed
 * UTF-8, flags, Windows-1252), lstrcmp/CompareString ordering, critical sections (recursion,
 * TryEnter from another thread, 4 contending threads), TLS slots (expansion slots, per-thread
 * values, last error 0 on success), InitOnceExecuteOnce, heaps and Local*, VirtualAlloc,
 * FILETIME/SYSTEMTIME conversions, FormatMessage, modules and GetProcAddress,
 * GetModuleFileName truncation, GetFullPathName, version and system information, the CPU vendor
 * taken from glibc's cached cpuid leaf 0 (against the instruction; synthetic words refused). */
#include <criterion/criterion.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "ntemu/ntemu.h"
#include "thunks/thunks.h"

#define TRUE 1
#define FALSE 0
#define MAX_PATH 260

typedef struct {
    uint16_t wYear, wMonth, wDayOfWeek, wDay, wHour, wMinute, wSecond, wMilliseconds;
} SYSTEMTIME;

typedef struct {
    DWORD dwOSVersionInfoSize, dwMajorVersion, dwMinorVersion, dwBuildNumber, dwPlatformId;
    WCHAR szCSDVersion[128];
    WORD wServicePackMajor, wServicePackMinor, wSuiteMask;
    BYTE wProductType, wReserved;
} OSVERSIONINFOEXW;

typedef struct {
    WORD wProcessorArchitecture, wReserved;
    DWORD dwPageSize;
    void *lpMinimumApplicationAddress, *lpMaximumApplicationAddress;
    ULONG_PTR dwActiveProcessorMask;
    DWORD dwNumberOfProcessors, dwProcessorType, dwAllocationGranularity;
    WORD wProcessorLevel, wProcessorRevision;
} SYSTEM_INFO;

DWORD WINAPI GetLastError(void);
void WINAPI SetLastError(DWORD);
WCHAR *WINAPI GetCommandLineW(void);
char *WINAPI GetCommandLineA(void);
DWORD WINAPI GetEnvironmentVariableA(const char *, char *, DWORD);
DWORD WINAPI GetEnvironmentVariableW(const WCHAR *, WCHAR *, DWORD);
BOOL WINAPI SetEnvironmentVariableA(const char *, const char *);
WCHAR *WINAPI GetEnvironmentStringsW(void);
BOOL WINAPI FreeEnvironmentStringsW(void *);
DWORD WINAPI ExpandEnvironmentStringsA(const char *, char *, DWORD);
int WINAPI MultiByteToWideChar(UINT, DWORD, const char *, int, WCHAR *, int);
int WINAPI WideCharToMultiByte(UINT, DWORD, const WCHAR *, int, char *, int, const char *, BOOL *);
int WINAPI lstrcmpA(const char *, const char *);
int WINAPI lstrcmpiA(const char *, const char *);
int WINAPI CompareStringW(DWORD, DWORD, const WCHAR *, int, const WCHAR *, int);
int WINAPI CompareStringOrdinal(const WCHAR *, int, const WCHAR *, int, BOOL);
void WINAPI InitializeCriticalSection(CRITICAL_SECTION *);
void WINAPI EnterCriticalSection(CRITICAL_SECTION *);
BOOL WINAPI TryEnterCriticalSection(CRITICAL_SECTION *);
void WINAPI LeaveCriticalSection(CRITICAL_SECTION *);
void WINAPI DeleteCriticalSection(CRITICAL_SECTION *);
DWORD WINAPI TlsAlloc(void);
BOOL WINAPI TlsFree(DWORD);
void *WINAPI TlsGetValue(DWORD);
BOOL WINAPI TlsSetValue(DWORD, void *);
BOOL WINAPI InitOnceExecuteOnce(void **, void *, void *, void **);
HANDLE WINAPI GetProcessHeap(void);
HANDLE WINAPI HeapCreate(DWORD, SIZE_T, SIZE_T);
BOOL WINAPI HeapDestroy(HANDLE);
void *WINAPI HeapAlloc(HANDLE, DWORD, SIZE_T);
void *WINAPI HeapReAlloc(HANDLE, DWORD, void *, SIZE_T);
BOOL WINAPI HeapFree(HANDLE, DWORD, void *);
BOOL WINAPI HeapValidate(HANDLE, DWORD, const void *);
SIZE_T WINAPI HeapSize(HANDLE, DWORD, const void *);
void *WINAPI LocalAlloc(UINT, SIZE_T);
void *WINAPI LocalFree(void *);
void *WINAPI VirtualAlloc(void *, SIZE_T, DWORD, DWORD);
BOOL WINAPI VirtualFree(void *, SIZE_T, DWORD);
SIZE_T WINAPI VirtualQuery(const void *, MEMORY_BASIC_INFORMATION *, SIZE_T);
BOOL WINAPI FileTimeToSystemTime(const FILETIME *, SYSTEMTIME *);
BOOL WINAPI SystemTimeToFileTime(const SYSTEMTIME *, FILETIME *);
BOOL WINAPI QueryPerformanceFrequency(LARGE_INTEGER *);
BOOL WINAPI QueryPerformanceCounter(LARGE_INTEGER *);
DWORD WINAPI FormatMessageA(DWORD, const void *, DWORD, DWORD, char *, DWORD, void *);
HMODULE WINAPI GetModuleHandleA(const char *);
HMODULE WINAPI LoadLibraryA(const char *);
void *WINAPI GetProcAddress(HMODULE, const char *);
DWORD WINAPI GetModuleFileNameA(HMODULE, char *, DWORD);
DWORD WINAPI GetFullPathNameW(const WCHAR *, DWORD, WCHAR *, WCHAR **);
DWORD WINAPI GetFullPathNameA(const char *, DWORD, char *, char **);
DWORD WINAPI GetCurrentDirectoryW(DWORD, WCHAR *);
DWORD WINAPI GetVersion(void);
BOOL WINAPI GetVersionExW(OSVERSIONINFOEXW *);
void WINAPI GetSystemInfo(SYSTEM_INFO *);
DWORD WINAPI GetCurrentThreadId(void);

static char *test_argv[] = {"/usr/local/bin/prog.exe", "a b", "", "x\"y", "c:\\dir\\",
                            "a b\\", "\\\\server", NULL};
static char *test_envp[] = {"PATH=/usr/bin", "Foo=bar", "EMPTY=", "UNI=\xc3\xa9", NULL};

static void setup(void)
{
    cr_assert_eq(rt_process_init(), 0);
    cr_assert_eq(nt_syscalls_init(10), 0);
    cr_assert_eq(thk_init(), 0);
    cr_assert_eq(rt_thread_init_current(), 0);
    thk_startup st = {.argc = 7, .argv = test_argv, .envp = test_envp,
                      .exe_path = "/usr/local/bin/prog.exe",
                      .image_base = NULL};
    cr_assert_eq(thk_process_setup(&st), 0);
}

static void teardown(void)
{
    rt_thread_fini_current();
}

TestSuite(kernel32, .init = setup, .fini = teardown);

static char *utf8(const WCHAR *w)
{
    return nt_utf16_to_utf8(w, nt_wcslen(w), NULL);
}

/* ---- last error ---- */

Test(kernel32, last_error_lives_in_the_teb)
{
    SetLastError(0x1234);
    cr_expect_eq(rt_current_teb()->LastErrorValue, 0x1234, "TEB value %#x",
                 rt_current_teb()->LastErrorValue);
    cr_expect_eq(GetLastError(), 0x1234);
    thk_set_last_status(STATUS_OBJECT_NAME_NOT_FOUND);
    cr_expect_eq(GetLastError(), ERROR_FILE_NOT_FOUND, "got %u", GetLastError());
    cr_expect_eq(rt_current_teb()->LastStatusValue, STATUS_OBJECT_NAME_NOT_FOUND);
}

/* ---- command line ---- */

/* The msvcrt / CommandLineToArgvW rules: argv[0] up to white space (or between quotes); then
 * 2n backslashes + quote -> n backslashes and a quote toggle, 2n+1 -> n and a literal quote. */
static int parse_cmdline(const char *cmd, char **out, int max)
{
    int argc = 0;
    const char *p = cmd;
    char *cur = malloc(strlen(cmd) + 1);
    size_t len = 0;
    if (*p == '"') {
        for (p++; *p && *p != '"'; p++)
            cur[len++] = *p;
        if (*p)
            p++;
    } else {
        for (; *p && *p != ' ' && *p != '\t'; p++)
            cur[len++] = *p;
    }
    cur[len] = 0;
    out[argc++] = strdup(cur);
    for (;;) {
        while (*p == ' ' || *p == '\t')
            p++;
        if (!*p || argc == max)
            break;
        bool inq = false;
        len = 0;
        while (*p && (inq || (*p != ' ' && *p != '\t'))) {
            size_t bs = 0;
            while (*p == '\\') {
                bs++;
                p++;
            }
            if (*p == '"') {
                for (size_t i = 0; i < bs / 2; i++)
                    cur[len++] = '\\';
                if (bs % 2)
                    cur[len++] = '"';
                else
                    inq = !inq;
                p++;
            } else {
                for (size_t i = 0; i < bs; i++)
                    cur[len++] = '\\';
            }
            if (*p && *p != '"' && *p != '\\' && (inq || (*p != ' ' && *p != '\t')))
                cur[len++] = *p++;
        }
        cur[len] = 0;
        out[argc++] = strdup(cur);
    }
    free(cur);
    return argc;
}

Test(kernel32, command_line_quotes_as_windows_parsers_expect)
{
    char *a = GetCommandLineA();
    cr_expect_str_eq(a, "Z:\\usr\\local\\bin\\prog.exe \"a b\" \"\" x\\\"y c:\\dir\\ \"a b\\\\\" "
                        "\\\\server");
    char *w = utf8(GetCommandLineW());
    cr_expect_str_eq(w, a, "the W form is the same text");
    free(w);
}

Test(kernel32, command_line_round_trips_through_the_parser)
{
    char *parsed[16];
    int n = parse_cmdline(GetCommandLineA(), parsed, 16);
    cr_assert_eq(n, 7, "argc %d", n);
    for (int i = 1; i < 7; i++) {
        cr_expect_str_eq(parsed[i], test_argv[i], "argv[%d]", i);
        free(parsed[i]);
    }
    free(parsed[0]);
}

Test(kernel32, command_line_relative_program_gets_backslashes)
{
    char *argv[] = {"./sub dir/p.exe", "--x=1", NULL};
    thk_startup st = {.argc = 2, .argv = argv, .envp = test_envp};
    cr_assert_eq(thk_process_setup(&st), 0);
    cr_expect_str_eq(GetCommandLineA(), "\".\\sub dir\\p.exe\" --x=1");
}

/* ---- environment ---- */

Test(kernel32, environment_sizes_follow_windows)
{
    char buf[16];
    cr_expect_eq(GetEnvironmentVariableA("FOO", NULL, 0), 4, "size query includes the NUL");
    strcpy(buf, "zz");
    cr_expect_eq(GetEnvironmentVariableA("foo", buf, 3), 4, "too small: size needed");
    cr_expect_str_eq(buf, "zz", "buffer untouched when too small");
    cr_expect_eq(GetEnvironmentVariableA("Foo", buf, 4), 3, "fits: length without NUL");
    cr_expect_str_eq(buf, "bar");
    WCHAR wbuf[8];
    cr_expect_eq(GetEnvironmentVariableW(u"UNI", wbuf, 8), 1, "one UTF-16 unit");
    cr_expect_eq(wbuf[0], 0xe9);
    cr_expect_eq(GetEnvironmentVariableA("UNI", buf, sizeof buf), 2, "two UTF-8 bytes");
}

Test(kernel32, environment_missing_and_empty)
{
    char buf[8] = "zz";
    SetLastError(0);
    cr_expect_eq(GetEnvironmentVariableA("NOT_THERE_AT_ALL", buf, sizeof buf), 0);
    cr_expect_eq(GetLastError(), ERROR_ENVVAR_NOT_FOUND, "got %u", GetLastError());
    SetLastError(0);
    cr_expect_eq(GetEnvironmentVariableA("EMPTY", buf, sizeof buf), 0);
    cr_expect_eq(GetLastError(), 0, "an empty value is not an error: %u", GetLastError());
    cr_expect_str_eq(buf, "");
    cr_expect_eq(GetEnvironmentVariableA("", buf, sizeof buf), 0);
    cr_expect_eq(GetLastError(), ERROR_ENVVAR_NOT_FOUND, "empty name: %u", GetLastError());
}

Test(kernel32, environment_set_replace_delete)
{
    char buf[32];
    cr_assert(SetEnvironmentVariableA("newVar", "v1"));
    cr_expect_eq(GetEnvironmentVariableA("NEWVAR", buf, sizeof buf), 2);
    cr_expect_str_eq(buf, "v1");
    cr_assert(SetEnvironmentVariableA("NEWVAR", "value2"));
    cr_expect_eq(GetEnvironmentVariableA("newvar", buf, sizeof buf), 6);
    cr_expect_str_eq(buf, "value2");
    cr_assert(SetEnvironmentVariableA("NewVar", NULL));
    cr_expect_eq(GetEnvironmentVariableA("newVar", buf, sizeof buf), 0);
    cr_expect_eq(GetLastError(), ERROR_ENVVAR_NOT_FOUND);
    cr_expect_not(SetEnvironmentVariableA("A=B", "x"), "'=' inside a name");
    cr_expect_eq(GetLastError(), ERROR_INVALID_PARAMETER);
}

Test(kernel32, environment_strings_block_is_sorted_on_insert)
{
    cr_assert(SetEnvironmentVariableA("AAA", "1"));
    WCHAR *env = GetEnvironmentStringsW();
    cr_assert_not_null(env);
    char *first = utf8(env);
    cr_expect_str_eq(first, "AAA=1", "inserted before PATH");
    free(first);
    bool found = false;
    const WCHAR *p = env;
    for (; *p; p += nt_wcslen(p) + 1) {
        char *e = utf8(p);
        if (!strcmp(e, "Foo=bar"))
            found = true;
        free(e);
    }
    cr_expect(found, "Foo=bar in the block");
    cr_expect_eq(p[0], 0, "double NUL at the end");
    cr_expect(FreeEnvironmentStringsW(env));
}

/* The block as built from a Linux envp (in the process heap, one block of the UTF-8 bound):
 * the variables in envp's order, a 4-byte UTF-8 character as a surrogate pair, a name that
 * starts with '=' kept (Windows' per-drive directories), a string without '=' and an empty one
 * left out, then the default variables. */
Test(kernel32, environment_block_from_envp)
{
    char *envp[] = {"=C:=C:\\dir", "A=\xf0\x9d\x84\x9e!", "NOEQUALS", "", "B=x", NULL};
    thk_startup st = {.argc = 1, .argv = test_argv, .envp = envp};
    cr_assert_eq(thk_process_setup(&st), 0);
    WCHAR *env = GetEnvironmentStringsW();
    cr_assert_not_null(env);
    static const WCHAR want[] = u"=C:=C:\\dir\0A=\xd834\xdd1e!\0B=x\0";
    cr_expect_eq(memcmp(env, want, sizeof want - sizeof(WCHAR)), 0, "the first three entries");
    WCHAR w[8] = {0};
    cr_expect_eq(GetEnvironmentVariableW(u"A", w, 8), 3, "a surrogate pair and '!'");
    cr_expect(w[0] == 0xd834 && w[1] == 0xdd1e && w[2] == '!', "got %#x %#x %#x", w[0], w[1], w[2]);
    cr_expect_eq(GetEnvironmentVariableA("NOEQUALS", NULL, 0), 0, "no '=': not a variable");
    cr_expect_eq(GetEnvironmentVariableA("SystemRoot", NULL, 0), 11, "defaults appended");
    const WCHAR *p = env;
    while (*p)
        p += nt_wcslen(p) + 1;
    cr_expect_eq(p[0], 0, "double NUL at the end");
    cr_expect(FreeEnvironmentStringsW(env));
}

/* PROCESSOR_IDENTIFIER's vendor: glibc's cached kind where it can tell (no cpuid, a VM exit),
 * the CPU's answer otherwise; both must agree on this machine. The words are checked against
 * leaf 1's eax before they are trusted. */
void k32_cpu_vendor(char out[13]);
void k32_cpu_vendor_cpuid(char out[13]);
bool k32_cpu_vendor_from_basic(const uint32_t basic[5], uint32_t leaf1_eax, char out[13]);

Test(kernel32, cpu_vendor_matches_cpuid)
{
    char fast[13] = "", slow[13] = "";
    k32_cpu_vendor(fast);
    k32_cpu_vendor_cpuid(slow);
    cr_expect_str_eq(fast, slow, "glibc's copy %s, cpuid %s", fast, slow);
}

Test(kernel32, cpu_vendor_from_basic_only_matching_words)
{
    char v[13];
    /* Zen 3 (family 0x19 = 0xf + 0xa, model 0x01, stepping 1): leaf 1 eax 0xa00f11 */
    uint32_t amd[5] = {2, 16, 0x19, 0x01, 1};
    memset(v, 0, sizeof v);
    cr_expect(k32_cpu_vendor_from_basic(amd, 0xa00f11, v));
    cr_expect_str_eq(v, "AuthenticAMD");
    /* Ice Lake server (family 6, model 0x6a = 0x6 + ext 0x6 << 4, stepping 6): eax 0x606a6 */
    uint32_t intel[5] = {1, 27, 6, 0x6a, 6};
    memset(v, 0, sizeof v);
    cr_expect(k32_cpu_vendor_from_basic(intel, 0x606a6, v));
    cr_expect_str_eq(v, "GenuineIntel");
    /* Hygon Dhyana: glibc's AMD kind, family 0x18 (0xf + 9): not told apart, the CPU asked */
    uint32_t hygon[5] = {2, 13, 0x18, 0x00, 1};
    cr_expect(!k32_cpu_vendor_from_basic(hygon, 0x900f01, v), "Hygon");
    uint32_t zhaoxin[5] = {3, 13, 7, 0x3b, 0}; /* arch_kind_zhaoxin */
    cr_expect(!k32_cpu_vendor_from_basic(zhaoxin, 0x703b0, v), "Zhaoxin kind");
    uint32_t other[5] = {4, 13, 0, 0, 0}; /* arch_kind_other: glibc leaves the family 0 */
    cr_expect(!k32_cpu_vendor_from_basic(other, 0xa00f11, v), "other kind");
    /* words that are not the family/model/stepping of eax: another layout, not trusted */
    uint32_t shifted[5] = {16, 0x19, 0x01, 1, 0};
    cr_expect(!k32_cpu_vendor_from_basic(shifted, 0xa00f11, v), "shifted layout");
    uint32_t wrong_model[5] = {2, 16, 0x19, 0x11, 1};
    cr_expect(!k32_cpu_vendor_from_basic(wrong_model, 0xa00f11, v), "model differs");
    uint32_t no_max[5] = {2, 0, 0x19, 0x01, 1};
    cr_expect(!k32_cpu_vendor_from_basic(no_max, 0xa00f11, v), "max_cpuid 0");
    cr_expect(!k32_cpu_vendor_from_basic(amd, 0, v), "no leaf 1");
}

Test(kernel32, expand_environment_strings)
{
    char buf[64];
    DWORD n = ExpandEnvironmentStringsA("[%FOO%] %NOPE% 100%", buf, sizeof buf);
    cr_expect_str_eq(buf, "[bar] %NOPE% 100%");
    cr_expect_eq(n, strlen("[bar] %NOPE% 100%") + 1, "returns size with NUL: %u", n);
    cr_expect_eq(ExpandEnvironmentStringsA("%FOO%", NULL, 0), 4);
}

/* ---- code pages ---- */

Test(kernel32, multibyte_to_widechar_sizes_and_terminator)
{
    const char *s = "h\xc3\xa9llo"; /* héllo */
    cr_expect_eq(MultiByteToWideChar(CP_UTF8, 0, s, -1, NULL, 0), 6, "-1 counts the NUL");
    cr_expect_eq(MultiByteToWideChar(CP_UTF8, 0, s, 6, NULL, 0), 5, "explicit length: no NUL");
    WCHAR w[8];
    memset(w, 0xff, sizeof w);
    cr_expect_eq(MultiByteToWideChar(CP_ACP, 0, s, -1, w, 8), 6);
    cr_expect_eq(w[1], 0xe9);
    cr_expect_eq(w[5], 0);
    cr_expect_eq(MultiByteToWideChar(CP_UTF8, 0, s, -1, w, 5), 0);
    cr_expect_eq(GetLastError(), ERROR_INSUFFICIENT_BUFFER, "got %u", GetLastError());
    cr_expect_eq(MultiByteToWideChar(CP_UTF8, 0, s, 0, w, 8), 0);
    cr_expect_eq(GetLastError(), ERROR_INVALID_PARAMETER, "zero length: %u", GetLastError());
    cr_expect_eq(MultiByteToWideChar(CP_UTF8, 1 /* MB_PRECOMPOSED */, s, -1, w, 8), 0);
    cr_expect_eq(GetLastError(), ERROR_INVALID_FLAGS, "CP_UTF8 flags: %u", GetLastError());
}

Test(kernel32, multibyte_to_widechar_surrogate_pairs)
{
    const char *s = "\xf0\x9f\x98\x80"; /* U+1F600 */
    WCHAR w[4];
    cr_expect_eq(MultiByteToWideChar(CP_UTF8, 0, s, 4, w, 4), 2);
    cr_expect_eq(w[0], 0xd83d, "high %#x", w[0]);
    cr_expect_eq(w[1], 0xde00, "low %#x", w[1]);
    char back[8] = {0};
    cr_expect_eq(WideCharToMultiByte(CP_UTF8, 0, w, 2, back, 8, NULL, NULL), 4);
    cr_expect_str_eq(back, s);
}

Test(kernel32, multibyte_to_widechar_ill_formed_utf8)
{
    WCHAR w[8];
    /* truncated 3-byte sequence then 'A': one U+FFFD for the maximal subpart */
    cr_expect_eq(MultiByteToWideChar(CP_UTF8, 0, "\xe2\x82" "A", 3, w, 8), 2);
    cr_expect_eq(w[0], 0xfffd);
    cr_expect_eq(w[1], 'A');
    /* sequences whose Windows 10 results are known: one U+FFFD per ill-formed byte */
    cr_expect_eq(MultiByteToWideChar(CP_UTF8, 0, "\xc0\xc0\x80", 4, w, 8), 4);
    cr_expect(w[0] == 0xfffd && w[1] == 0xfffd && w[2] == 0xfffd && w[3] == 0);
    cr_expect_eq(MultiByteToWideChar(CP_UTF8, 0, "\xe0\x20\xc0", 4, w, 8), 4);
    cr_expect(w[0] == 0xfffd && w[1] == ' ' && w[2] == 0xfffd, "%#x %#x %#x", w[0], w[1], w[2]);
    cr_expect_eq(MultiByteToWideChar(CP_UTF8, 0, "\xf8\xa3\xa3\xa3\xa3", 5, w, 8), 5);
    cr_expect_eq(MultiByteToWideChar(CP_UTF8, 8 /* MB_ERR_INVALID_CHARS */, "a\xff", 2, w, 8), 0);
    cr_expect_eq(GetLastError(), ERROR_NO_UNICODE_TRANSLATION, "got %u", GetLastError());
    cr_expect_eq(MultiByteToWideChar(CP_UTF8, 8, "\xc0", 2, w, 1), 0);
    cr_expect_eq(GetLastError(), ERROR_INSUFFICIENT_BUFFER, "a short buffer is reported first");
    cr_expect_eq(w[0], 0xfffd, "what fitted was written");
}

Test(kernel32, widechar_to_multibyte_rules)
{
    static const WCHAR lone[] = {'a', 0xd800, 'b', 0};
    char buf[16];
    cr_expect_eq(WideCharToMultiByte(CP_UTF8, 0, lone, -1, NULL, 0, NULL, NULL), 6,
                 "a + EF BF BD + b + NUL");
    cr_expect_eq(WideCharToMultiByte(CP_UTF8, 0, lone, -1, buf, 16, NULL, NULL), 6);
    cr_expect_str_eq(buf, "a\xef\xbf\xbd" "b");
    cr_expect_eq(WideCharToMultiByte(CP_UTF8, 0x80 /* WC_ERR_INVALID_CHARS */, lone, -1, buf, 16,
                                     NULL, NULL), 0);
    cr_expect_eq(GetLastError(), ERROR_NO_UNICODE_TRANSLATION, "got %u", GetLastError());
    BOOL used;
    cr_expect_eq(WideCharToMultiByte(CP_UTF8, 0, u"x", -1, buf, 16, NULL, &used), 0);
    cr_expect_eq(GetLastError(), ERROR_INVALID_PARAMETER, "CP_UTF8 with lpUsedDefaultChar");
    cr_expect_eq(WideCharToMultiByte(CP_UTF8, 0, u"abc", -1, buf, 3, NULL, NULL), 0);
    cr_expect_eq(GetLastError(), ERROR_INSUFFICIENT_BUFFER, "got %u", GetLastError());
    cr_expect_eq(WideCharToMultiByte(CP_UTF8, 0, u"abc", 3, buf, 3, NULL, NULL), 3,
                 "explicit length: no terminator written or needed");
}

Test(kernel32, codepage_1252_maps_the_c1_range)
{
    WCHAR w[2];
    cr_expect_eq(MultiByteToWideChar(1252, 0, "\x80", 1, w, 2), 1);
    cr_expect_eq(w[0], 0x20ac, "euro %#x", w[0]);
    char c[4];
    BOOL used = TRUE;
    cr_expect_eq(WideCharToMultiByte(1252, 0, u"\u20ac\u0100", 2, c, 4, NULL, &used), 2);
    cr_expect_eq((uint8_t)c[0], 0x80);
    cr_expect_eq(c[1], 'A', "U+0100's best fit %#x", (uint8_t)c[1]);
    cr_expect(!used, "a best fit is no use of the default character");
    cr_expect_eq(WideCharToMultiByte(1252, 0, u"\u4e00", 1, c, 4, NULL, &used), 1);
    cr_expect_eq(c[0], '?');
    cr_expect(used, "the default character was used");
    cr_expect_eq(WideCharToMultiByte(1252, 0x400 /* WC_NO_BEST_FIT_CHARS */, u"\u0100", 1, c, 4,
                                     NULL, &used), 1);
    cr_expect_eq(c[0], '?', "no best fit with WC_NO_BEST_FIT_CHARS: %#x", (uint8_t)c[0]);
    cr_expect(used, "the default character was used");
}

/* ---- collation ---- */

Test(kernel32, lstrcmp_sorts_like_windows)
{
    cr_expect_lt(lstrcmpA("a", "B"), 0, "letters case-insensitively first");
    cr_expect_lt(lstrcmpA("a", "A"), 0, "then lower case before upper case");
    cr_expect_lt(lstrcmpA("1", "a"), 0, "digits before letters");
    cr_expect_lt(lstrcmpA("_x", "1"), 0, "symbols before digits");
    cr_expect_eq(lstrcmpA("abc", "abc"), 0);
    cr_expect_eq(lstrcmpiA("abc", "ABC"), 0);
    cr_expect_gt(lstrcmpA("abcd", "abc"), 0);
    cr_expect_lt(lstrcmpA("coop", "co-op"), 0, "word sort ignores the hyphen first");
    cr_expect_gt(lstrcmpA("co-op", "coo-p"), 0, "then the later hyphen sorts first");
    cr_expect_lt(lstrcmpA("a'b", "a-b"), 0, "then ' before -");
    cr_expect_lt(lstrcmpA("a b", "ab"), 0, "space is not ignored");
    cr_expect_lt(lstrcmpA("$", "~"), 0, "ASCII symbol order");
    cr_expect_lt(lstrcmpA("~", "+"), 0, "ASCII symbol order");
    cr_expect_lt(lstrcmpA("E", "\xc3\xa9"), 0, "diacritics weigh more than case");
    cr_expect_lt(lstrcmpA("\xc3\xa9", "f"), 0, "an accented letter sorts with its base");
    cr_expect_eq(CompareStringW(0x409, 0, u"abc", -1, u"abd", -1), 1);
    cr_expect_eq(CompareStringW(0x409, 1, u"ABC", 3, u"abc", 3), 2);
    cr_expect_eq(CompareStringOrdinal(u"b", -1, u"a", -1, FALSE), 3);
    cr_expect_eq(CompareStringOrdinal(u"ABC", -1, u"abc", -1, TRUE), 2);
}

/* ---- critical sections ---- */

Test(kernel32, critical_section_is_recursive)
{
    CRITICAL_SECTION cs;
    InitializeCriticalSection(&cs);
    cr_expect_eq(cs.LockCount, -1);
    EnterCriticalSection(&cs);
    EnterCriticalSection(&cs);
    cr_expect_eq(cs.RecursionCount, 2, "recursion %d", cs.RecursionCount);
    cr_expect_eq((DWORD)(uintptr_t)cs.OwningThread, GetCurrentThreadId());
    cr_expect(TryEnterCriticalSection(&cs), "the owner may enter again");
    LeaveCriticalSection(&cs);
    LeaveCriticalSection(&cs);
    LeaveCriticalSection(&cs);
    cr_expect_eq(cs.LockCount, -1, "free again: %d", cs.LockCount);
    cr_expect_eq(cs.RecursionCount, 0);
    cr_expect_null(cs.OwningThread);
    DeleteCriticalSection(&cs);
}

static CRITICAL_SECTION shared_cs;
static long shared_counter;

static void *try_enter_thread(void *arg)
{
    return (void *)(intptr_t)TryEnterCriticalSection(&shared_cs);
}

Test(kernel32, critical_section_try_enter_fails_while_another_thread_owns_it)
{
    InitializeCriticalSection(&shared_cs);
    EnterCriticalSection(&shared_cs);
    pthread_t t;
    void *r;
    pthread_create(&t, NULL, try_enter_thread, NULL);
    pthread_join(t, &r);
    cr_expect_eq((intptr_t)r, FALSE, "TryEnter from another thread");
    LeaveCriticalSection(&shared_cs);
    pthread_create(&t, NULL, try_enter_thread, NULL);
    pthread_join(t, &r);
    cr_expect_eq((intptr_t)r, TRUE, "free: TryEnter succeeds");
}

#define CS_THREADS 4
#define CS_ROUNDS 50000

static void *contend_thread(void *arg)
{
    if (rt_thread_init_current() != 0)
        return (void *)1;
    for (int i = 0; i < CS_ROUNDS; i++) {
        EnterCriticalSection(&shared_cs);
        if (i % 7 == 0)
            EnterCriticalSection(&shared_cs); /* nested */
        long v = shared_counter;
        if (i % 1000 == 0)
            sched_yield(); /* hold it a while sometimes */
        shared_counter = v + 1;
        if (i % 7 == 0)
            LeaveCriticalSection(&shared_cs);
        LeaveCriticalSection(&shared_cs);
    }
    rt_thread_fini_current();
    return NULL;
}

Test(kernel32, critical_section_counts_correctly_under_contention)
{
    InitializeCriticalSection(&shared_cs);
    shared_counter = 0;
    pthread_t t[CS_THREADS];
    for (int i = 0; i < CS_THREADS; i++)
        cr_assert_eq(pthread_create(&t[i], NULL, contend_thread, NULL), 0);
    for (int i = 0; i < CS_THREADS; i++) {
        void *r;
        pthread_join(t[i], &r);
        cr_assert_null(r, "thread %d could not get a TEB", i);
    }
    cr_expect_eq(shared_counter, (long)CS_THREADS * CS_ROUNDS, "counter %ld", shared_counter);
    cr_expect_eq(shared_cs.LockCount, -1, "free at the end: %d", shared_cs.LockCount);
    DeleteCriticalSection(&shared_cs);
}

/* ---- TLS ---- */

static DWORD tls_index;

static void *tls_other_thread(void *arg)
{
    rt_thread_init_current();
    void *v = TlsGetValue(tls_index);
    rt_thread_fini_current();
    return v;
}

Test(kernel32, tls_slots_hold_per_thread_values)
{
    tls_index = TlsAlloc();
    cr_assert_neq(tls_index, TLS_OUT_OF_INDEXES);
    SetLastError(77);
    cr_expect_null(TlsGetValue(tls_index));
    cr_expect_eq(GetLastError(), 0, "TlsGetValue clears the last error: %u", GetLastError());
    cr_assert(TlsSetValue(tls_index, (void *)0x1234));
    cr_expect_eq(TlsGetValue(tls_index), (void *)0x1234);
    if (tls_index < 64)
        cr_expect_eq(rt_current_teb()->TlsSlots[tls_index], (void *)0x1234, "in TEB->TlsSlots");
    pthread_t t;
    void *other;
    pthread_create(&t, NULL, tls_other_thread, NULL);
    pthread_join(t, &other);
    cr_expect_null(other, "another thread sees its own (empty) slot");
    cr_expect(TlsFree(tls_index));
    cr_expect_not(TlsFree(tls_index), "double free");
    cr_expect_eq(GetLastError(), ERROR_INVALID_PARAMETER);
    cr_expect_null(TlsGetValue(1088));
    cr_expect_eq(GetLastError(), ERROR_INVALID_PARAMETER, "index out of range");
}

Test(kernel32, tls_expansion_slots_beyond_64)
{
    DWORD idx[80];
    for (int i = 0; i < 80; i++) {
        idx[i] = TlsAlloc();
        cr_assert_neq(idx[i], TLS_OUT_OF_INDEXES, "alloc %d", i);
    }
    DWORD high = idx[79];
    cr_assert_geq(high, 64, "index %u", high);
    cr_assert(TlsSetValue(high, (void *)0xabc));
    cr_expect_not_null(rt_current_teb()->TlsExpansionSlots);
    cr_expect_eq(rt_current_teb()->TlsExpansionSlots[high - 64], (void *)0xabc);
    cr_expect_eq(TlsGetValue(high), (void *)0xabc);
    for (int i = 0; i < 80; i++)
        TlsFree(idx[i]);
}

/* ---- InitOnce ---- */

static int once_calls;

static BOOL WINAPI once_callback(void **once, void *param, void **ctx)
{
    once_calls++;
    *ctx = (void *)((uintptr_t)param << 2);
    return TRUE;
}

Test(kernel32, init_once_runs_the_callback_once)
{
    void *once = NULL, *ctx = NULL;
    cr_assert(InitOnceExecuteOnce(&once, (void *)once_callback, (void *)0x10, &ctx));
    cr_assert(InitOnceExecuteOnce(&once, (void *)once_callback, (void *)0x20, &ctx));
    cr_expect_eq(once_calls, 1, "calls %d", once_calls);
    cr_expect_eq(ctx, (void *)0x40, "context %p", ctx);
}

/* ---- memory ---- */

Test(kernel32, heap_alloc_zero_size_realloc_free)
{
    HANDLE heap = GetProcessHeap();
    cr_assert_not_null(heap);
    cr_expect_eq(rt_proc.peb->ProcessHeap, heap, "PEB->ProcessHeap");
    uint8_t *p = HeapAlloc(heap, 8 /* HEAP_ZERO_MEMORY */, 100);
    cr_assert_not_null(p);
    cr_expect_eq((uintptr_t)p % 16, 0, "16-byte aligned");
    for (int i = 0; i < 100; i++)
        cr_assert_eq(p[i], 0, "byte %d", i);
    cr_expect_eq(HeapSize(heap, 0, p), 100);
    memset(p, 0xab, 100);
    p = HeapReAlloc(heap, 8, p, 5000);
    cr_assert_not_null(p);
    cr_expect_eq(HeapSize(heap, 0, p), 5000);
    cr_expect_eq(p[99], 0xab, "kept");
    cr_expect_eq(p[100], 0, "grown part zeroed");
    cr_expect_eq(p[4999], 0);
    cr_expect(HeapFree(heap, 0, p));
    int local; /* HeapFree of it ends the process (STATUS_HEAP_CORRUPTION): pe.heap_corrupt */
    cr_expect_not(HeapValidate(heap, 0, &local), "not a heap block");
    cr_expect_eq(HeapSize(heap, 0, &local), (SIZE_T)-1);
}

Test(kernel32, private_heap_create_destroy)
{
    HANDLE h = HeapCreate(0, 0, 0);
    cr_assert_not_null(h);
    void *a = HeapAlloc(h, 0, 10), *b = HeapAlloc(h, 0, 20);
    cr_assert(a && b);
    cr_expect_not(HeapValidate(GetProcessHeap(), 0, a), "a block of another heap");
    cr_expect(HeapValidate(h, 0, a));
    cr_expect(HeapDestroy(h), "frees its blocks too");
    cr_expect_not(HeapDestroy(GetProcessHeap()), "not the process heap");
}

Test(kernel32, local_alloc_and_free)
{
    char *p = LocalAlloc(0x40 /* LMEM_ZEROINIT */, 32);
    cr_assert_not_null(p);
    cr_expect_eq(p[31], 0);
    cr_expect_null(LocalFree(p), "NULL on success");
}

Test(kernel32, virtual_alloc_query_free)
{
    uint8_t *p = VirtualAlloc(NULL, 0x3000, MEM_COMMIT | MEM_RESERVE, PAGE_READWRITE);
    cr_assert_not_null(p, "error %u", GetLastError());
    cr_expect_eq((uintptr_t)p % 0x10000, 0, "allocation granularity");
    p[0x2fff] = 1;
    MEMORY_BASIC_INFORMATION mbi;
    cr_expect_eq(VirtualQuery(p, &mbi, sizeof mbi), sizeof mbi);
    cr_expect_eq(mbi.BaseAddress, p);
    cr_expect_eq(mbi.State, MEM_COMMIT, "state %#x", mbi.State);
    cr_expect_eq(mbi.Protect, PAGE_READWRITE, "protect %#x", mbi.Protect);
    cr_expect_not(VirtualFree(p, 0x3000, MEM_RELEASE), "MEM_RELEASE wants size 0");
    cr_expect_eq(GetLastError(), ERROR_INVALID_PARAMETER);
    cr_expect(VirtualFree(p, 0, MEM_RELEASE), "error %u", GetLastError());
}

/* ---- time ---- */

Test(kernel32, filetime_systemtime_conversions)
{
    FILETIME ft = {0, 0};
    SYSTEMTIME st;
    cr_assert(FileTimeToSystemTime(&ft, &st));
    cr_expect(st.wYear == 1601 && st.wMonth == 1 && st.wDay == 1 && st.wDayOfWeek == 1,
              "epoch: %u-%u-%u dow %u", st.wYear, st.wMonth, st.wDay, st.wDayOfWeek);
    uint64_t unix_epoch = WIN_EPOCH_DIFF_100NS;
    ft.dwLowDateTime = (uint32_t)unix_epoch;
    ft.dwHighDateTime = (uint32_t)(unix_epoch >> 32);
    cr_assert(FileTimeToSystemTime(&ft, &st));
    cr_expect(st.wYear == 1970 && st.wMonth == 1 && st.wDay == 1 && st.wDayOfWeek == 4,
              "1970: %u-%u-%u dow %u", st.wYear, st.wMonth, st.wDay, st.wDayOfWeek);
    SYSTEMTIME leap = {2024, 2, 0, 29, 12, 34, 56, 789};
    cr_assert(SystemTimeToFileTime(&leap, &ft));
    SYSTEMTIME back;
    cr_assert(FileTimeToSystemTime(&ft, &back));
    cr_expect(back.wYear == 2024 && back.wMonth == 2 && back.wDay == 29 && back.wHour == 12 &&
                  back.wMinute == 34 && back.wSecond == 56 && back.wMilliseconds == 789 &&
                  back.wDayOfWeek == 4,
              "got %u-%u-%u %u:%u:%u.%u dow %u", back.wYear, back.wMonth, back.wDay, back.wHour,
              back.wMinute, back.wSecond, back.wMilliseconds, back.wDayOfWeek);
    SYSTEMTIME bad = {2023, 2, 0, 29, 0, 0, 0, 0};
    cr_expect_not(SystemTimeToFileTime(&bad, &ft), "2023-02-29 does not exist");
    cr_expect_eq(GetLastError(), ERROR_INVALID_PARAMETER);
}

Test(kernel32, performance_counter_runs_at_10_mhz)
{
    LARGE_INTEGER f, a, b;
    cr_assert(QueryPerformanceFrequency(&f));
    cr_expect_eq(f.QuadPart, 10000000, "frequency %lld", (long long)f.QuadPart);
    cr_assert(QueryPerformanceCounter(&a));
    cr_assert(QueryPerformanceCounter(&b));
    cr_expect_geq(b.QuadPart, a.QuadPart);
}

/* ---- FormatMessage ---- */

Test(kernel32, format_message_system_texts)
{
    char buf[256];
    DWORD n = FormatMessageA(0x1000 /* FROM_SYSTEM */, NULL, 2, 0, buf, sizeof buf, NULL);
    cr_expect_str_eq(buf, "The system cannot find the file specified.\r\n");
    cr_expect_eq(n, strlen(buf));
    char *alloc = NULL;
    n = FormatMessageA(0x1000 | 0x100 /* ALLOCATE_BUFFER */ | 0x200 /* IGNORE_INSERTS */, NULL,
                       5, 0, (char *)&alloc, 0, NULL);
    cr_assert_not_null(alloc);
    cr_expect_str_eq(alloc, "Access is denied.\r\n");
    LocalFree(alloc);
    cr_expect_eq(FormatMessageA(0x1000, NULL, 0x7654321, 0, buf, sizeof buf, NULL), 0);
    cr_expect_eq(GetLastError(), 317, "ERROR_MR_MID_NOT_FOUND: %u", GetLastError());
    cr_expect_eq(FormatMessageA(0x1000, NULL, 2, 0, buf, 10, NULL), 0);
    cr_expect_eq(GetLastError(), ERROR_INSUFFICIENT_BUFFER, "got %u", GetLastError());
}

Test(kernel32, format_message_from_string_with_inserts)
{
    char buf[128];
    uint64_t args[] = {(uint64_t)(uintptr_t)"disk", 42, 255};
    DWORD n = FormatMessageA(0x400 /* FROM_STRING */ | 0x2000 /* ARGUMENT_ARRAY */,
                             "%1 has %2!d! items (%3!04x!)%n100%% %1", 0, 0, buf, sizeof buf,
                             args);
    cr_expect_str_eq(buf, "disk has 42 items (00ff)\r\n100% disk");
    cr_expect_eq(n, strlen(buf));
    n = FormatMessageA(0x400 | 0x200, "keep %1 and %2!d!%0 not this", 0, 0, buf, sizeof buf, NULL);
    cr_expect_str_eq(buf, "keep %1 and %2!d!");
}

/* ---- modules ---- */

Test(kernel32, module_handles_of_builtins)
{
    HMODULE k = GetModuleHandleA("KERNEL32");
    cr_assert_not_null(k);
    cr_expect_eq(GetModuleHandleA("kernel32.dll"), k);
    cr_expect_eq(GetModuleHandleA("C:\\Windows\\System32\\kernel32.dll"), k);
    cr_expect_eq(LoadLibraryA("Kernel32.DLL"), k);
    cr_expect_eq(LoadLibraryA("kernel32   "), k, "trailing spaces do not count");
    cr_expect_null(GetModuleHandleA("nosuchmodule.dll"));
    cr_expect_eq(GetLastError(), ERROR_MOD_NOT_FOUND, "got %u", GetLastError());
    cr_expect_null(LoadLibraryA("nosuchmodule.dll"));
    cr_expect_eq(GetLastError(), ERROR_MOD_NOT_FOUND, "got %u", GetLastError());
}

Test(kernel32, get_proc_address_by_name_and_ordinal)
{
    HMODULE k = GetModuleHandleA("kernel32.dll");
    void *p = GetProcAddress(k, "GetLastError");
    cr_assert_not_null(p);
    cr_expect_eq(p, thk_resolve("kernel32.dll", "GetLastError"), "the import thunk");
    cr_expect_null(GetProcAddress(k, "NoSuchFunction"));
    cr_expect_eq(GetLastError(), ERROR_PROC_NOT_FOUND, "got %u", GetLastError());
    cr_expect_not_null(GetProcAddress(k, (const char *)1), "ordinal 1 exists");
    cr_expect_null(GetProcAddress(k, (const char *)60000));
    cr_expect_eq(GetLastError(), ERROR_PROC_NOT_FOUND, "got %u", GetLastError());
    int local;
    cr_expect_null(GetProcAddress((HMODULE)&local, "GetLastError"));
    cr_expect_eq(GetLastError(), ERROR_MOD_NOT_FOUND, "not a module: %u", GetLastError());
}

Test(kernel32, get_module_file_name_truncates_like_windows)
{
    char buf[MAX_PATH];
    SetLastError(1234);
    DWORD n = GetModuleFileNameA(NULL, buf, sizeof buf);
    cr_expect_eq(GetLastError(), 0, "success resets the last error");
    cr_expect_str_eq(buf, "Z:\\usr\\local\\bin\\prog.exe");
    cr_expect_eq(n, strlen(buf));
    SetLastError(0);
    n = GetModuleFileNameA(NULL, buf, 5);
    cr_expect_eq(n, 5, "returns the size when truncated");
    cr_expect_str_eq(buf, "Z:\\u");
    cr_expect_eq(GetLastError(), ERROR_INSUFFICIENT_BUFFER, "got %u", GetLastError());
    n = GetModuleFileNameA(GetModuleHandleA("ntdll"), buf, sizeof buf);
    cr_expect_str_eq(buf, "C:\\windows\\system32\\ntdll.dll");
}

/* ---- paths ---- */

Test(kernel32, get_full_path_name_normalizes)
{
    WCHAR buf[MAX_PATH], *part = NULL;
    DWORD n = GetFullPathNameW(u"C:\\a\\..\\b\\.\\c.txt", MAX_PATH, buf, &part);
    char *s = utf8(buf);
    cr_expect_str_eq(s, "C:\\b\\c.txt");
    free(s);
    cr_expect_eq(n, 10);
    cr_expect_eq(part, buf + 5, "file part");
    n = GetFullPathNameW(u"C:/x/y/", MAX_PATH, buf, &part);
    s = utf8(buf);
    cr_expect_str_eq(s, "C:\\x\\y\\");
    free(s);
    cr_expect_null(part, "no file part after a trailing separator");
    n = GetFullPathNameW(u"C:\\..\\..", MAX_PATH, buf, NULL);
    s = utf8(buf);
    cr_expect_str_eq(s, "C:\\", "never above the root");
    free(s);
    n = GetFullPathNameW(u"dir\\nul.txt", MAX_PATH, buf, NULL);
    s = utf8(buf);
    cr_expect_str_eq(s, "\\\\.\\nul", "a DOS device");
    free(s);
    cr_expect_eq(GetFullPathNameW(u"C:\\abc", 4, buf, NULL), 7, "size needed with the NUL");
    GetFullPathNameW(u"C:\\a.\\b..\\c. .", MAX_PATH, buf, NULL);
    s = utf8(buf);
    cr_expect_str_eq(s, "C:\\a\\b.\\c", "one dot off directories, all dots and spaces off the end");
    free(s);
    SetLastError(1234);
    cr_expect_eq(GetFullPathNameW(u"", MAX_PATH, buf, NULL), 0);
    cr_expect_eq(GetLastError(), 1234, "an empty path sets no error");
}

Test(kernel32, get_full_path_name_relative_uses_current_directory)
{
    WCHAR cwd[MAX_PATH], buf[MAX_PATH];
    DWORD n = GetCurrentDirectoryW(MAX_PATH, cwd);
    cr_assert_gt(n, 0);
    GetFullPathNameW(u"x\\y.", MAX_PATH, buf, NULL);
    char *c = utf8(cwd), *s = utf8(buf), expect[MAX_PATH * 3];
    snprintf(expect, sizeof expect, "%s%sx\\y", c, c[strlen(c) - 1] == '\\' ? "" : "\\");
    cr_expect_str_eq(s, expect, "trailing dot removed");
    free(c);
    free(s);
    char abuf[MAX_PATH], *part;
    cr_assert_gt(GetFullPathNameA("Z:\\tmp\\\xc3\xa9.txt", MAX_PATH, abuf, &part), 0);
    cr_expect_str_eq(part, "\xc3\xa9.txt", "A file part points into the UTF-8 result");
}

/* ---- version and system ---- */

Test(kernel32, version_is_windows_10_19045)
{
    cr_expect_eq(GetVersion(), (19045u << 16) | 10u, "GetVersion %#x", GetVersion());
    OSVERSIONINFOEXW vi;
    memset(&vi, 0, sizeof vi);
    vi.dwOSVersionInfoSize = 12;
    cr_expect_not(GetVersionExW(&vi));
    cr_expect_eq(GetLastError(), ERROR_INSUFFICIENT_BUFFER, "got %u", GetLastError());
    memset(&vi, 0xcc, sizeof vi); /* every field written, none left as it was */
    vi.dwOSVersionInfoSize = sizeof vi;
    cr_assert(GetVersionExW(&vi));
    cr_expect_eq(vi.dwMajorVersion, 10);
    cr_expect_eq(vi.dwMinorVersion, 0);
    cr_expect_eq(vi.dwBuildNumber, 19045);
    cr_expect_eq(vi.dwPlatformId, 2);
    cr_expect_eq(vi.szCSDVersion[0], 0);
    cr_expect_eq(vi.wServicePackMajor, 0);
    cr_expect_eq(vi.wServicePackMinor, 0);
    cr_expect_eq(vi.wSuiteMask, 0x100, "VER_SUITE_SINGLEUSERTS: %#x", vi.wSuiteMask);
    cr_expect_eq(vi.wProductType, 1, "workstation");
    cr_expect_eq(vi.wReserved, 0);
}

Test(kernel32, system_info_values)
{
    SYSTEM_INFO si;
    GetSystemInfo(&si);
    cr_expect_eq(si.wProcessorArchitecture, 9);
    cr_expect_eq(si.dwPageSize, 4096);
    cr_expect_eq(si.dwAllocationGranularity, 65536);
    cr_expect_eq(si.dwNumberOfProcessors, (DWORD)sysconf(_SC_NPROCESSORS_ONLN));
    cr_expect_eq(si.lpMinimumApplicationAddress, (void *)0x10000);
}
