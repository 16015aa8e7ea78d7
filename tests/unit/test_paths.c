/* Windows <-> Linux paths: drive letters (C: mapped to a temporary directory, Z: as "/",
 * unmapped letters), both separators, "." and ".." (never above the drive root), trailing dots
 * and spaces, the NT forms \??\ and \\?\ and \??\unix, UNC rejection, DOS devices, relative,
 * rooted and drive-relative paths against the current directory, case-insensitive lookup of
 * existing components (ASCII and non-ASCII), a missing last component kept as given, missing or
 * non-directory prefixes, nt_path_from_unix and the round trip (a drive directory named through
 * a symbolic link, or missing), and the UTF-8/UTF-16 helpers. */
#include <criterion/criterion.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "ntemu/ntemu.h"

static char root[1024];

static void touch(const char *rel)
{
    char p[PATH_MAX];
    snprintf(p, sizeof p, "%s/%s", root, rel);
    int fd = open(p, O_CREAT | O_WRONLY, 0644);
    cr_assert(fd >= 0, "create %s", p);
    close(fd);
}

static void mkd(const char *rel)
{
    char p[PATH_MAX];
    snprintf(p, sizeof p, "%s/%s", root, rel);
    cr_assert_eq(mkdir(p, 0755), 0, "mkdir %s", p);
}

static void setup(void)
{
    char tmpl[] = "/tmp/ntrun-paths-XXXXXX";
    cr_assert_not_null(mkdtemp(tmpl));
    char *real = realpath(tmpl, NULL);
    cr_assert_not_null(real);
    cr_assert_lt(strlen(real), sizeof root);
    strcpy(root, real);
    free(real);
    mkd("Dir");
    mkd("Dir/Sub");
    touch("Dir/Sub/File.TXT");
    touch("other.txt");
    touch("\xc3\xbcn\xc3\xaf" "code"); /* "ünïcode" */
    nt_path_set_drive('C', root);
    nt_path_set_drive('Q', NULL);
}

static void teardown(void)
{
    char cmd[PATH_MAX + 16];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", root);
    if (system(cmd) != 0)
        cr_log_warn("could not remove %s", root);
}

TestSuite(paths, .init = setup, .fini = teardown);

/* The Linux path for `win`, relative to root when it starts with '/'+'~'. */
static void expect_path(const char *win, const char *want_rel)
{
    char *out = NULL, want[PATH_MAX];
    NTSTATUS st = nt_path_to_unix_a(win, &out);
    cr_assert_eq(st, STATUS_SUCCESS, "%s: status %#x", win, (uint32_t)st);
    if (want_rel[0] == '~')
        snprintf(want, sizeof want, "%s%s", root, want_rel + 1);
    else
        snprintf(want, sizeof want, "%s", want_rel);
    cr_expect_str_eq(out, want, "%s -> %s, want %s", win, out, want);
    free(out);
}

static void expect_status(const char *win, NTSTATUS want)
{
    char *out = NULL;
    NTSTATUS st = nt_path_to_unix_a(win, &out);
    cr_expect_eq(st, want, "%s: status %#x (%s), want %#x", win, (uint32_t)st,
                 out ? out : "-", (uint32_t)want);
    free(out);
}

Test(paths, drive_letter_exact_names)
{
    expect_path("C:\\Dir\\Sub\\File.TXT", "~/Dir/Sub/File.TXT");
    expect_path("C:\\", "~");
}

Test(paths, drive_letter_lower_case_and_forward_slashes)
{
    expect_path("c:/dir/sub/file.txt", "~/Dir/Sub/File.TXT");
    expect_path("C:\\dir/SUB\\fILE.txt", "~/Dir/Sub/File.TXT");
    expect_path("C:\\\\Dir\\\\\\Sub", "~/Dir/Sub");
}

Test(paths, z_drive_is_root)
{
    expect_path("Z:\\", "/");
    expect_path("Z:\\usr\\bin", "/usr/bin");
    expect_path("z:\\USR\\BIN", "/usr/bin");
}

Test(paths, unmapped_drive_is_path_not_found)
{
    expect_status("Q:\\x", STATUS_OBJECT_PATH_NOT_FOUND);
}

Test(paths, dotdot_never_escapes_drive_root)
{
    expect_path("C:\\Dir\\..\\other.txt", "~/other.txt");
    expect_path("C:\\Dir\\..\\..\\..\\..\\other.txt", "~/other.txt");
    expect_path("C:\\.\\Dir\\.\\Sub\\..", "~/Dir");
}

Test(paths, trailing_dots_and_spaces_removed)
{
    expect_path("C:\\other.txt. . ", "~/other.txt");
    expect_path("C:\\Dir.\\Sub", "~/Dir/Sub");
}

Test(paths, nt_forms)
{
    expect_path("\\??\\C:\\Dir\\Sub", "~/Dir/Sub");
    expect_path("\\\\?\\C:\\Dir", "~/Dir");
    expect_path("\\DosDevices\\C:\\other.txt", "~/other.txt");
    expect_path("\\??\\unix\\usr\\bin", "/usr/bin");
}

/* The device form handles' names read as (ObjectNameInformation, GetFinalPathNameByHandle with
 * VOLUME_NAME_NT): \Device\HarddiskVolume<letter index + 1>; an NT path (no DOS devices). */
Test(paths, device_volume_form_is_the_drive)
{
    expect_path("\\Device\\HarddiskVolume3\\Dir\\Sub", "~/Dir/Sub");
    expect_path("\\device\\harddiskvolume3\\dir\\sub\\file.txt", "~/Dir/Sub/File.TXT");
    expect_path("\\Device\\HarddiskVolume3", "~");
    expect_path("\\Device\\HarddiskVolume26\\usr\\bin", "/usr/bin");
    expect_path("\\Device\\HarddiskVolume3\\Dir\\nul.txt", "~/Dir/nul.txt");
    expect_status("\\Device\\HarddiskVolume0\\x", STATUS_OBJECT_PATH_NOT_FOUND);
    expect_status("\\Device\\HarddiskVolume27\\x", STATUS_OBJECT_PATH_NOT_FOUND);
    expect_status("\\Device\\HarddiskVolume\\x", STATUS_OBJECT_PATH_NOT_FOUND);
    expect_status("\\Device\\HarddiskVolume3x\\y", STATUS_OBJECT_PATH_NOT_FOUND);
    expect_status("\\Device\\HarddiskVolume17\\x", STATUS_OBJECT_PATH_NOT_FOUND); /* Q: unmapped */
}

Test(paths, unc_is_bad_network_path)
{
    expect_status("\\\\server\\share\\x", (NTSTATUS)0xC00000BE);
    expect_status("\\??\\UNC\\server\\share", (NTSTATUS)0xC00000BE);
}

Test(paths, dos_devices)
{
    expect_path("NUL", "/dev/null");
    expect_path("C:\\Dir\\nul.txt", "/dev/null");
    expect_path("\\??\\NUL", "/dev/null");
    expect_path("\\\\.\\NUL", "/dev/null");
    expect_path("\\Device\\Null", "/dev/null");
    expect_path("CONOUT$", "/dev/tty");
    expect_path("C:\\Dir\\nullish", "~/Dir/nullish");
}

Test(paths, missing_last_component_kept_as_given)
{
    expect_path("C:\\dir\\NewFile.Txt", "~/Dir/NewFile.Txt");
}

Test(paths, missing_directory_is_path_not_found)
{
    expect_status("C:\\nodir\\x.txt", STATUS_OBJECT_PATH_NOT_FOUND);
    expect_status("C:\\other.txt\\x", STATUS_OBJECT_PATH_NOT_FOUND);
}

Test(paths, unicode_case_insensitive)
{
    /* "ÜNÏCODE" finds "ünïcode" (simple Unicode upper-casing) */
    expect_path("C:\\\xc3\x9cN\xc3\x8f" "CODE", "~/\xc3\xbcn\xc3\xaf" "code");
}

Test(paths, relative_rooted_and_drive_relative)
{
    char dir[PATH_MAX];
    snprintf(dir, sizeof dir, "%s/Dir", root);
    cr_assert_eq(chdir(dir), 0);
    expect_path("sub\\file.txt", "~/Dir/Sub/File.TXT");
    expect_path("..\\other.txt", "~/other.txt");
    expect_path(".", "~/Dir");
    expect_path("\\Dir\\Sub", "~/Dir/Sub");   /* the root of the current drive (C:) */
    expect_path("C:Sub", "~/Dir/Sub");        /* C:'s current directory */
    expect_path("Z:usr", "/usr");             /* another drive: its root */
    cr_assert_eq(chdir("/usr"), 0);
    expect_path("bin", "/usr/bin");
    expect_path("\\usr", "/usr");             /* current drive is Z: now */
}

Test(paths, embedded_nul_is_invalid)
{
    const WCHAR w[] = {'C', ':', '\\', 'a', 0, 'b'};
    char *out = NULL;
    NTSTATUS st = nt_path_to_unix(w, 6, &out);
    cr_expect_eq(st, STATUS_OBJECT_NAME_INVALID, "got %#x", (uint32_t)st);
    free(out);
}

Test(paths, wide_entry_point)
{
    const WCHAR w[] = u"C:\\DIR\\sub";
    char *out = NULL, want[PATH_MAX];
    NTSTATUS st = nt_path_to_unix(w, nt_wcslen(w), &out);
    cr_assert_eq(st, STATUS_SUCCESS, "got %#x", (uint32_t)st);
    snprintf(want, sizeof want, "%s/Dir/Sub", root);
    cr_expect_str_eq(out, want);
    free(out);
}

static void expect_dos(const char *unix_path, const char *want)
{
    WCHAR *w = nt_path_from_unix(unix_path);
    cr_assert_not_null(w, "%s", unix_path);
    char *got = nt_utf16_to_utf8(w, nt_wcslen(w), NULL);
    cr_expect_str_eq(got, want, "%s -> %s, want %s", unix_path, got, want);
    free(got);
    free(w);
}

Test(paths, from_unix_drive_forms)
{
    char p[PATH_MAX];
    expect_dos("/usr/bin", "Z:\\usr\\bin");
    expect_dos("/", "Z:\\");
    snprintf(p, sizeof p, "%s/Dir/Sub", root);
    expect_dos(p, "C:\\Dir\\Sub");
    expect_dos(root, "C:\\");
    snprintf(p, sizeof p, "%s/Dir/../other.txt", root);
    expect_dos(p, "C:\\other.txt");
}

Test(paths, from_unix_relative_uses_cwd)
{
    char dir[PATH_MAX];
    snprintf(dir, sizeof dir, "%s/Dir", root);
    cr_assert_eq(chdir(dir), 0);
    expect_dos("Sub", "C:\\Dir\\Sub");
}

Test(paths, round_trip)
{
    char p[PATH_MAX], *back = NULL;
    snprintf(p, sizeof p, "%s/Dir/Sub/File.TXT", root);
    WCHAR *w = nt_path_from_unix(p);
    cr_assert_not_null(w);
    NTSTATUS st = nt_path_to_unix(w, nt_wcslen(w), &back);
    cr_assert_eq(st, STATUS_SUCCESS, "got %#x", (uint32_t)st);
    cr_expect_str_eq(back, p);
    free(back);
    free(w);
}

Test(paths, outside_every_drive_uses_unix_prefix)
{
    nt_path_set_drive('Z', NULL);
    expect_dos("/usr/bin", "\\\\?\\unix\\usr\\bin");
    expect_path("\\\\?\\unix\\usr\\bin", "/usr/bin");
}

/* The drive's directory named through a symbolic link (the link its last component, or one on
 * its way): a Linux path under the link's target is on the drive; without a link, one under
 * the name only (drive_realpath: openat2 without links, else realpath). */
Test(paths, from_unix_drive_dir_through_a_symlink)
{
    char link[PATH_MAX], p[PATH_MAX];
    snprintf(link, sizeof link, "%s/link", root);
    cr_assert_eq(symlink("Dir", link), 0);
    nt_path_set_drive('C', link);
    snprintf(p, sizeof p, "%s/Dir/Sub", root);
    expect_dos(p, "C:\\Sub");
    snprintf(p, sizeof p, "%s/link/Sub/File.TXT", root);
    expect_dos(p, "C:\\Sub\\File.TXT");
    snprintf(p, sizeof p, "%s/link/Sub", root); /* a link on the way, not the last component */
    nt_path_set_drive('C', p);
    snprintf(p, sizeof p, "%s/Dir/Sub/File.TXT", root);
    expect_dos(p, "C:\\File.TXT");
}

Test(paths, from_unix_drive_dir_missing_or_plain)
{
    char dir[PATH_MAX], p[PATH_MAX];
    snprintf(dir, sizeof dir, "%s/later", root); /* does not exist: the name alone */
    nt_path_set_drive('C', dir);
    snprintf(p, sizeof p, "%s/later/x.txt", root);
    expect_dos(p, "C:\\x.txt");
    snprintf(p, sizeof p, "%s/Dir/Sub", root);
    nt_path_set_drive('C', p);
    snprintf(p, sizeof p, "%s/Dir/Sub/File.TXT", root);
    expect_dos(p, "C:\\File.TXT");
    snprintf(p, sizeof p, "%s/Dir", root);
    nt_path_set_drive('C', p);
    snprintf(p, sizeof p, "%s/other.txt", root); /* outside C:, so on Z: */
    WCHAR *w = nt_path_from_unix(p);
    cr_assert_not_null(w);
    cr_expect(w[0] == 'Z' && w[1] == ':', "%s is on Z:", p);
    free(w);
}

Test(paths, get_drive_reports_mapping)
{
    cr_expect_str_eq(nt_path_get_drive('C'), root);
    cr_expect_str_eq(nt_path_get_drive('z'), "/");
    cr_expect_null(nt_path_get_drive('Q'));
}

Test(utf, utf8_to_utf16_surrogates_and_back)
{
    const char *s = "h\xe2\x82\xac\xf0\x9f\x98\x80"; /* h € 😀 */
    size_t n = 0, m = 0;
    WCHAR *w = nt_utf8_to_utf16(s, strlen(s), &n);
    cr_assert_eq(n, 4, "length %zu", n);
    cr_expect_eq(w[0], 'h');
    cr_expect_eq(w[1], 0x20ac, "got %#x", w[1]);
    cr_expect_eq(w[2], 0xd83d, "got %#x", w[2]);
    cr_expect_eq(w[3], 0xde00, "got %#x", w[3]);
    cr_expect_eq(w[4], 0);
    char *back = nt_utf16_to_utf8(w, n, &m);
    cr_expect_str_eq(back, s);
    cr_expect_eq(m, strlen(s), "length %zu", m);
    free(back);
    free(w);
}

Test(utf, invalid_input_becomes_replacement_character)
{
    const char bad[] = "a\xff\xc3"; /* invalid byte, truncated sequence */
    size_t n = 0;
    WCHAR *w = nt_utf8_to_utf16(bad, 3, &n);
    cr_assert_eq(n, 3, "length %zu", n);
    cr_expect_eq(w[1], 0xfffd, "got %#x", w[1]);
    cr_expect_eq(w[2], 0xfffd, "got %#x", w[2]);
    free(w);
    const WCHAR lone[] = {0xd800, 'x'};
    char *u = nt_utf16_to_utf8(lone, 2, NULL);
    cr_expect_str_eq(u, "\xef\xbf\xbdx");
    free(u);
}

Test(utf, wcslen_counts_units)
{
    cr_expect_eq(nt_wcslen(u"abc"), 3);
    cr_expect_eq(nt_wcslen(u""), 0);
    cr_expect_eq(nt_wcslen(NULL), 0);
}
