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

/* The name of `uid` in /etc/passwd, read directly: open, read, close. getpwuid_r asks nscd
 * (two sockets), then reads nsswitch.conf, then opens /etc/passwd: 19 system calls at every
 * start for a name most programs never look at. With the usual "passwd: files ..." order the
 * first match there is what getpwuid_r returns; a uid not found there (LDAP, systemd's dynamic
 * users) goes the NSS way. false when not found. */
static bool k32_passwd_file_name(uid_t uid, char *buf, size_t n)
{
    char data[16384];
    int fd = open("/etc/passwd", O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return false;
    size_t len = 0;
    for (;;) {
        ssize_t r = read(fd, data + len, sizeof data - 1 - len);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            break;
        len += (size_t)r;
        if (len == sizeof data - 1) { /* a big file: NSS reads it properly */
            close(fd);
            return false;
        }
    }
    close(fd);
    data[len] = 0;
    for (char *line = data, *next; *line; line = next) {
        char *end = strchr(line, '\n');
        next = end ? end + 1 : line + strlen(line);
        if (end)
            *end = 0;
        /* name:password:uid:gid:... ("+"/"-" lines are NIS compat entries: not names) */
        char *c1 = strchr(line, ':'), *c2 = c1 ? strchr(c1 + 1, ':') : NULL;
        if (!c1 || !c2 || c1 == line || line[0] == '+' || line[0] == '-')
            continue;
        char *e;
        errno = 0;
        unsigned long v = strtoul(c2 + 1, &e, 10);
        if (errno == 0 && e != c2 + 1 && *e == ':' && v == (unsigned long)uid) {
            snprintf(buf, n, "%.*s", (int)(c1 - line), line);
            return true;
        }
    }
    return false;
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

/* True when envp has name= (without case). */
static bool k32_env_has(char **envp, size_t count, const char *name)
{
    size_t n = strlen(name);
    for (size_t i = 0; i < count; i++)
        if (!strncasecmp(envp[i], name, n) && envp[i][n] == '=')
            return true;
    return false;
}

/* The CPU vendor string of cpuid leaf 0 ("GenuineIntel", "AuthenticAMD"). */
static void k32_cpu_vendor(char out[13])
{
    uint32_t r[4];
    __asm__ volatile("cpuid" : "=a"(r[0]), "=b"(r[1]), "=c"(r[2]), "=d"(r[3]) : "a"(0), "c"(0));
    memcpy(out, &r[1], 4);
    memcpy(out + 4, &r[3], 4);
    memcpy(out + 8, &r[2], 4);
    out[12] = 0;
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
    /* The PEB's count (sysconf reads /sys/devices/system/cpu/online each time). */
    long ncpu = rt_proc.peb ? (long)rt_proc.peb->NumberOfProcessors
                            : sysconf(_SC_NPROCESSORS_ONLN);
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
    char made[NMADE][2][600];
    size_t m = 0;
#define K32_MADE(name, ...)                                                                    \
    do {                                                                                       \
        snprintf(made[m][0], sizeof made[m][0], "%s", name);                                   \
        snprintf(made[m][1], sizeof made[m][1], __VA_ARGS__);                                  \
        m++;                                                                                   \
    } while (0)
    K32_MADE("APPDATA", "C:\\Users\\%s\\AppData\\Roaming", user);
    K32_MADE("COMPUTERNAME", "%s", host);
    K32_MADE("HOMEPATH", "\\Users\\%s", user);
    K32_MADE("LOCALAPPDATA", "C:\\Users\\%s\\AppData\\Local", user);
    K32_MADE("LOGONSERVER", "\\\\%s", host);
    K32_MADE("NUMBER_OF_PROCESSORS", "%ld", ncpu);
    K32_MADE("PROCESSOR_IDENTIFIER", "%s Family %u Model %u Stepping %u, %s",
             strcmp(vendor, "GenuineIntel") ? "AMD64" : "Intel64", family, model, stepping,
             vendor);
    K32_MADE("PROCESSOR_LEVEL", "%u", family);
    K32_MADE("PROCESSOR_REVISION", "%02x%02x", model & 0xff, stepping);
    K32_MADE("TEMP", "%s", tmp);
    K32_MADE("TMP", "%s", tmp);
    K32_MADE("USERDOMAIN", "%s", host);
    K32_MADE("USERNAME", "%s", user);
    K32_MADE("USERPROFILE", "C:\\Users\\%s", user);
#undef K32_MADE
    _Static_assert(NFIXED + NMADE <= sizeof added / sizeof added[0], "added");

    char **out = realloc(envp, (count + NFIXED + NMADE + 1) * sizeof *out);
    if (!out)
        return NULL;
    size_t n = count;
    for (size_t i = 0; i < NFIXED + m; i++) {
        const char *name = i < NFIXED ? fixed[i][0] : made[i - NFIXED][0];
        const char *value = i < NFIXED ? fixed[i][1] : made[i - NFIXED][1];
        if (!*value || k32_env_has(out, count, name))
            continue;
        size_t len = strlen(name) + strlen(value) + 2;
        char *e = malloc(len);
        if (!e)
            break;
        snprintf(e, len, "%s=%s", name, value);
        out[n++] = e;
        added[nadded++] = e;
    }
    out[n] = NULL;
    return out;
}
