/* SPDX-License-Identifier: MIT */
/* kernel32: the default environment of a run. A Windows console program started from
 * Explorer or a console finds the system's variables in its environment (COMSPEC, SystemRoot,
 * windir, PATHEXT, SystemDrive, the profile folders, the processor, ...): the session manager
 * and winlogon put them in every user's block. A program started by ntrun gets them the same
 * way, appended to the Linux environment unless that already has the name (compared without
 * case, as Windows names are). A child of a Windows program does not: it gets its parent's
 * block, or the lpEnvironment given to CreateProcess exactly, as on Windows.
 *
 * The values follow Windows 10 on a C: system drive, with ntrun's own names for the folders
 * (C:\windows, C:\Users\<user>, as shell32's known folders and the registry's Volatile
 * Environment); TEMP and TMP name the directory GetTempPath gave before they were set (the
 * Linux TMPDIR or /tmp), so temporary files stay where they were. PROCESSOR_LEVEL and
 * PROCESSOR_REVISION are GetSystemInfo's wProcessorLevel and wProcessorRevision. */
#include <errno.h>
#include <fcntl.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/platform/x86.h>
#include <unistd.h>
#include "thunks/kernel32/kernel32_private.h"

/* The display family and model of the CPU from cpuid leaf 1, as glibc read it at start-up
 * (no cpuid instruction here: each is a VM exit under a hypervisor). */
void k32_cpu_signature(uint32_t *family, uint32_t *model, uint32_t *stepping)
{
    const struct cpuid_feature *leaf1 = __x86_get_cpuid_feature_leaf(CPUID_INDEX_1);
    uint32_t eax = leaf1 ? leaf1->cpuid_array[0] : 0;
    uint32_t fam = (eax >> 8) & 0xf, mod = (eax >> 4) & 0xf;
    if (fam == 0xf)
        fam += (eax >> 20) & 0xff;
    if (fam == 6 || fam >= 0xf)
        mod |= ((eax >> 16) & 0xf) << 4;
    *family = fam;
    *model = mod;
    *stepping = eax & 0xf;
}

/* One line of /etc/passwd (NUL-ended): true, with the name in buf, when it is uid's. */
static bool k32_passwd_line_is(const char *line, uid_t uid, char *buf, size_t n)
{
    /* name:password:uid:gid:... ("+"/"-" lines are NIS compat entries: not names) */
    const char *c1 = strchr(line, ':'), *c2 = c1 ? strchr(c1 + 1, ':') : NULL;
    if (!c1 || !c2 || c1 == line || line[0] == '+' || line[0] == '-')
        return false;
    /* The uid's digits by hand: strtoul's isspace reads libc's C-ctype table, a page fault
     * and ~15 pages of ntrun's file at every start (docs/performance.md, twenty-fourth pass,
     * second round). Digits only, then ':' (glibc's files backend would also take blanks or
     * a sign before them, which no passwd writer puts there). */
    const char *e = c2 + 1;
    uint64_t v = 0;
    while (*e >= '0' && *e <= '9' && v <= UINT32_MAX)
        v = v * 10 + (uint64_t)(*e++ - '0');
    if (e == c2 + 1 || *e != ':' || v != (uint64_t)uid)
        return false;
    snprintf(buf, n, "%.*s", (int)(c1 - line), line);
    return true;
}

/* The name of `uid` in /etc/passwd, read directly: open, read, close. getpwuid_r asks nscd
 * (two sockets), then reads nsswitch.conf, then opens /etc/passwd: 19 system calls at every
 * start for a name most programs never look at. With the usual "passwd: files ..." order the
 * first match there is what getpwuid_r returns; a uid not found there (LDAP, systemd's dynamic
 * users) goes the NSS way. false when not found. */
static bool k32_passwd_file_name(uid_t uid, char *buf, size_t n)
{
    /* Read in 2 KB pieces, a line carried over to the next: a 16 KB buffer on the stack took
     * three more stack pages (faults) at every start (docs/performance.md, twelfth pass). */
    char data[2048];
    int fd = open("/etc/passwd", O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return false;
    size_t len = 0;
    bool found = false, eof = false;
    while (!found && !eof) {
        ssize_t r = read(fd, data + len, sizeof data - 1 - len);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0) {
            eof = true;
            if (!len)
                break;
        } else {
            len += (size_t)r;
        }
        data[len] = 0;
        char *line = data;
        for (char *end; !found && (end = strchr(line, '\n')) != NULL; line = end + 1) {
            *end = 0;
            found = k32_passwd_line_is(line, uid, buf, n);
        }
        if (!found && eof && *line)
            found = k32_passwd_line_is(line, uid, buf, n); /* a last line without LF */
        size_t rest = len - (size_t)(line - data);
        if (rest == sizeof data - 1) /* one line longer than the buffer: NSS reads it */
            break;
        memmove(data, line, rest);
        len = rest;
    }
    close(fd);
    return found;
}

/* The user name as advapi32's GetUserName gives it. */
static void k32_env_user(char *buf, size_t n)
{
    struct passwd pw, *res = NULL;
    char pwbuf[1024];
    uid_t uid = getuid();
    if (k32_passwd_file_name(uid, buf, n))
        return;
    if (getpwuid_r(uid, &pw, pwbuf, sizeof pwbuf, &res) == 0 && res)
        snprintf(buf, n, "%s", res->pw_name);
    else if (getenv("USER"))
        snprintf(buf, n, "%s", getenv("USER"));
    else
        snprintf(buf, n, "user");
}

/* strncasecmp in ASCII, as it compares in the C locale ntrun runs in: glibc's reads the
 * C-ctype tolower table, a page fault and ~15 pages of ntrun's file at every start
 * (docs/performance.md, twenty-fourth pass, second round). */
static bool k32_ascii_prefix_nocase(const char *s, const char *prefix, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        unsigned char a = (unsigned char)s[i], b = (unsigned char)prefix[i];
        if (a >= 'A' && a <= 'Z')
            a += 'a' - 'A';
        if (b >= 'A' && b <= 'Z')
            b += 'a' - 'A';
        if (a != b)
            return false;
        if (!a)
            return true;
    }
    return true;
}

/* True when envp has name= (without case). */
static bool k32_env_has(char **envp, size_t count, const char *name)
{
    size_t n = strlen(name);
    /* The first letter compared inline: 31 names against every host variable were ~1200
     * strncasecmp calls a start, 0.8% of `ntrun hello.exe`'s samples (docs/performance.md,
     * twenty-second pass, second round); names here are ASCII letters. */
    unsigned char c0 = (unsigned char)name[0] | 0x20;
    for (size_t i = 0; i < count; i++)
        if (((unsigned char)envp[i][0] | 0x20) == c0 && k32_ascii_prefix_nocase(envp[i], name, n) &&
            envp[i][n] == '=')
            return true;
    return false;
}

/* The CPU vendor string of cpuid leaf 0 ("GenuineIntel", "AuthenticAMD"), from the CPU. */
void k32_cpu_vendor_cpuid(char out[13])
{
    uint32_t r[4];
    __asm__ volatile("cpuid" : "=a"(r[0]), "=b"(r[1]), "=c"(r[2]), "=d"(r[3]) : "a"(0), "c"(0));
    memcpy(out, &r[1], 4);
    memcpy(out + 4, &r[3], 4);
    memcpy(out + 8, &r[2], 4);
    out[12] = 0;
}

/* The vendor from what glibc's start-up read of cpuid leaf 0 (its cpu_features' "basic"
 * part: kind, max_cpuid, family, model, stepping, the five words just before the leaf-1 entry
 * that __x86_get_cpuid_feature_leaf returns: glibc 2.33 onward, seen here with 2.36). glibc
 * keeps only the kind, not the string: Intel is "GenuineIntel" alone; AMD's kind also stands for Hygon
 * ("HygonGenuine", family 0x18, which AMD has not used). The layout is glibc's own, so it is
 * trusted only when the family, model and stepping there are those computed from leaf 1's
 * cached eax (the same rule as glibc for these vendors) and max_cpuid is at least 1; anything
 * else (another vendor or kind, a glibc laid out otherwise) is false and the caller asks the
 * CPU. Exposed for the unit tests (synthetic words). */
bool k32_cpu_vendor_from_basic(const uint32_t basic[5], uint32_t leaf1_eax, char out[13])
{
    enum { GLIBC_KIND_INTEL = 1, GLIBC_KIND_AMD = 2 };
    uint32_t fam = (leaf1_eax >> 8) & 0xf, mod = (leaf1_eax >> 4) & 0xf;
    if (fam == 0xf)
        fam += (leaf1_eax >> 20) & 0xff;
    if (fam == 6 || fam >= 0xf)
        mod |= ((leaf1_eax >> 16) & 0xf) << 4;
    if (!leaf1_eax || (int32_t)basic[1] < 1 || basic[2] != fam ||
        basic[3] != mod || basic[4] != (leaf1_eax & 0xf))
        return false;
    if (basic[0] == GLIBC_KIND_INTEL)
        memcpy(out, "GenuineIntel", 13);
    else if (basic[0] == GLIBC_KIND_AMD && fam != 0x18)
        memcpy(out, "AuthenticAMD", 13);
    else
        return false;
    return true;
}

/* The CPU vendor string of cpuid leaf 0 ("GenuineIntel", "AuthenticAMD"). The cpuid
 * instruction is a VM exit under a hypervisor (~10 us of a start on the KVM guest of
 * docs/performance.md's twenty-fifth pass): glibc's copy first. */
void k32_cpu_vendor(char out[13])
{
    const struct cpuid_feature *leaf1 = __x86_get_cpuid_feature_leaf(CPUID_INDEX_1);
    if (leaf1) {
        uint32_t basic[5];
        memcpy(basic, (const char *)leaf1 - sizeof basic, sizeof basic);
        if (k32_cpu_vendor_from_basic(basic, leaf1->cpuid_array[0], out))
            return;
    }
    k32_cpu_vendor_cpuid(out);
}

/* envp (count entries, taken over: the array is freed or reused) with the default variables
 * it lacks appended; NULL-terminated, malloc'd. The added strings live as long as the run. */
char **k32_env_add_defaults(char **envp, size_t count)
{
    static char *added[40]; /* the previous run's (libntrun runs one program after another) */
    static size_t nadded;
    for (size_t i = 0; i < nadded; i++)
        free(added[i]);
    nadded = 0;
    char user[128], host[16], vendor[13], tmp[1024] = "";
    k32_env_user(user, sizeof user);
    k32_computer_name(host);
    for (char *c = user; *c; c++) /* a profile folder name: no path separators */
        if (*c == '\\' || *c == '/' || *c == ':')
            *c = '_';
    /* The PEB's count (the online file is read each time otherwise). */
    long ncpu = rt_proc.peb ? (long)rt_proc.peb->NumberOfProcessors : rt_cpus_online();
    ncpu = ncpu < 1 ? 1 : ncpu > 64 ? 64 : ncpu;
    uint32_t family, model, stepping;
    k32_cpu_signature(&family, &model, &stepping);
    k32_cpu_vendor(vendor);
    const char *tmpdir = getenv("TMPDIR");
    WCHAR *wtmp = nt_path_from_unix(tmpdir && tmpdir[0] == '/' ? tmpdir : "/tmp");
    if (wtmp) {
        char *t = nt_utf16_to_utf8(wtmp, nt_wcslen(wtmp), NULL);
        if (t)
            snprintf(tmp, sizeof tmp, "%s", t);
        free(t);
        free(wtmp);
    }
    size_t tl = strlen(tmp);
    if (tl > 3 && tmp[tl - 1] == '\\')
        tmp[tl - 1] = 0;

    static const char *const fixed[][2] = {
        {"ALLUSERSPROFILE", "C:\\ProgramData"},
        {"CommonProgramFiles", "C:\\Program Files\\Common Files"},
        {"CommonProgramFiles(x86)", "C:\\Program Files (x86)\\Common Files"},
        {"CommonProgramW6432", "C:\\Program Files\\Common Files"},
        {"ComSpec", "C:\\windows\\system32\\cmd.exe"},
        {"HOMEDRIVE", "C:"},
        {"OS", "Windows_NT"},
        {"PATHEXT", ".COM;.EXE;.BAT;.CMD;.VBS;.VBE;.JS;.JSE;.WSF;.WSH;.MSC"},
        {"PROCESSOR_ARCHITECTURE", "AMD64"},
        {"ProgramData", "C:\\ProgramData"},
        {"ProgramFiles", "C:\\Program Files"},
        {"ProgramFiles(x86)", "C:\\Program Files (x86)"},
        {"ProgramW6432", "C:\\Program Files"},
        {"PUBLIC", "C:\\Users\\Public"},
        {"SystemDrive", "C:"},
        {"SystemRoot", "C:\\windows"},
        {"windir", "C:\\windows"},
    };
    enum { NFIXED = sizeof fixed / sizeof fixed[0], NMADE = 14 };
    /* Values of at most ~160 bytes (user is < 128) formatted here, TEMP/TMP pointing at tmp:
     * a few hundred bytes of stack, not the 17 KB of fixed-size name/value pairs that took
     * three stack-page faults at every start (docs/performance.md, twelfth pass). */
    const char *made_name[NMADE], *made_value[NMADE];
    char made_buf[NMADE][192];
    size_t m = 0;
#define K32_MADE(name, ...)                                                                    \
    do {                                                                                       \
        snprintf(made_buf[m], sizeof made_buf[m], __VA_ARGS__);                                \
        made_name[m] = name;                                                                   \
        made_value[m] = made_buf[m];                                                           \
        m++;                                                                                   \
    } while (0)
#define K32_MADE_STR(name, str)                                                                \
    do {                                                                                       \
        made_name[m] = name;                                                                   \
        made_value[m] = str;                                                                   \
        m++;                                                                                   \
    } while (0)
    K32_MADE("APPDATA", "C:\\Users\\%s\\AppData\\Roaming", user);
    K32_MADE_STR("COMPUTERNAME", host);
    K32_MADE("HOMEPATH", "\\Users\\%s", user);
    K32_MADE("LOCALAPPDATA", "C:\\Users\\%s\\AppData\\Local", user);
    K32_MADE("LOGONSERVER", "\\\\%s", host);
    K32_MADE("NUMBER_OF_PROCESSORS", "%ld", ncpu);
    K32_MADE("PROCESSOR_IDENTIFIER", "%s Family %u Model %u Stepping %u, %s",
             strcmp(vendor, "GenuineIntel") ? "AMD64" : "Intel64", family, model, stepping,
             vendor);
    K32_MADE("PROCESSOR_LEVEL", "%u", family);
    K32_MADE("PROCESSOR_REVISION", "%02x%02x", model & 0xff, stepping);
    K32_MADE_STR("TEMP", tmp);
    K32_MADE_STR("TMP", tmp);
    K32_MADE_STR("USERDOMAIN", host);
    K32_MADE_STR("USERNAME", user);
    K32_MADE("USERPROFILE", "C:\\Users\\%s", user);
#undef K32_MADE_STR
#undef K32_MADE
    _Static_assert(NFIXED + NMADE <= sizeof added / sizeof added[0], "added");

    char **out = realloc(envp, (count + NFIXED + NMADE + 1) * sizeof *out);
    if (!out)
        return NULL;
    size_t n = count;
    for (size_t i = 0; i < NFIXED + m; i++) {
        const char *name = i < NFIXED ? fixed[i][0] : made_name[i - NFIXED];
        const char *value = i < NFIXED ? fixed[i][1] : made_value[i - NFIXED];
        if (!*value || k32_env_has(out, count, name))
            continue;
        size_t nl = strlen(name), vl = strlen(value);
        char *e = malloc(nl + vl + 2);
        if (!e)
            break;
        memcpy(e, name, nl); /* "name=value": copied, not formatted (31 snprintf a start) */
        e[nl] = '=';
        memcpy(e + nl + 1, value, vl + 1);
        out[n++] = e;
        added[nadded++] = e;
    }
    out[n] = NULL;
    return out;
}
