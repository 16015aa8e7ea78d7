/* kernel32's volume and hard-link calls (thunks/kernel32/volume.c): GetVolumeInformationW on
 * "C:\" gives NTFS, 255-character components and a serial number that FindFirstVolumeW's volume
 * name gives too; a root without the trailing backslash is ERROR_INVALID_NAME; FindFirstVolumeW
 * finds one volume and FindNextVolumeW ends with ERROR_NO_MORE_FILES; FindVolumeClose refuses a
 * handle it did not make; CreateHardLinkW links two names of one file and refuses an existing
 * new name. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "ntemu/ntemu.h"
#include "thunks/thunks.h"

BOOL WINAPI GetVolumeInformationW(const WCHAR *root, WCHAR *name, DWORD name_size,
                                  DWORD *serial, DWORD *max_component, DWORD *flags,
                                  WCHAR *fs_name, DWORD fs_name_size);
HANDLE WINAPI FindFirstVolumeW(WCHAR *buf, DWORD len);
BOOL WINAPI FindNextVolumeW(HANDLE h, WCHAR *buf, DWORD len);
BOOL WINAPI FindVolumeClose(HANDLE h);
BOOL WINAPI CreateHardLinkW(const WCHAR *new_name, const WCHAR *existing, void *sa);
DWORD WINAPI GetLastError(void);

static char tmpdir[64];

static void setup(void)
{
    cr_assert_eq(rt_process_init(), 0);
    cr_assert_eq(thk_init(), 0);
    cr_assert_eq(rt_thread_init_current(), 0);
    snprintf(tmpdir, sizeof tmpdir, "/tmp/ntrun-vol-XXXXXX");
    cr_assert_not_null(mkdtemp(tmpdir));
    nt_path_set_drive('C', tmpdir);
}

static void teardown(void)
{
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf %s", tmpdir);
    cr_assert_eq(system(cmd), 0);
    rt_thread_fini_current();
}

TestSuite(volume, .init = setup, .fini = teardown);

Test(volume, c_drive_is_ntfs_with_the_volume_serial)
{
    WCHAR fs[16], label[16];
    DWORD serial = 0, maxc = 0, flags = 0;
    cr_assert(GetVolumeInformationW(u"C:\\", label, 16, &serial, &maxc, &flags, fs, 16),
              "failed: %u", GetLastError());
    cr_assert_eq(fs[0], u'N');
    cr_assert_eq(nt_wcslen(fs), 4, "fs name length %zu", nt_wcslen(fs));
    cr_assert_eq(label[0], 0, "label not empty");
    cr_assert_eq(maxc, 255, "max component %u", maxc);
    WCHAR vol[64];
    HANDLE h = FindFirstVolumeW(vol, 64);
    cr_assert_neq(h, INVALID_HANDLE_VALUE, "FindFirstVolumeW: %u", GetLastError());
    DWORD serial2 = 0;
    cr_assert(GetVolumeInformationW(vol, NULL, 0, &serial2, NULL, NULL, NULL, 0),
              "by volume name: %u", GetLastError());
    cr_assert_eq(serial2, serial, "serials 0x%x and 0x%x", serial2, serial);
    cr_assert(!FindNextVolumeW(h, vol, 64));
    cr_assert_eq(GetLastError(), ERROR_NO_MORE_FILES, "error %u", GetLastError());
    cr_assert(FindVolumeClose(h));
}

Test(volume, root_without_backslash_is_an_invalid_name)
{
    cr_assert(!GetVolumeInformationW(u"C:", NULL, 0, NULL, NULL, NULL, NULL, 0));
    cr_assert_eq(GetLastError(), ERROR_INVALID_NAME, "error %u", GetLastError());
}

Test(volume, find_volume_close_refuses_other_handles)
{
    int not_a_handle = 0;
    cr_assert(!FindVolumeClose((HANDLE)&not_a_handle));
    cr_assert_eq(GetLastError(), ERROR_INVALID_HANDLE, "error %u", GetLastError());
    cr_assert(!FindVolumeClose(INVALID_HANDLE_VALUE));
}

Test(volume, hard_link_gives_the_file_a_second_name)
{
    char path[128];
    snprintf(path, sizeof path, "%s/one.txt", tmpdir);
    FILE *f = fopen(path, "w");
    cr_assert_not_null(f);
    fputs("x", f);
    fclose(f);
    cr_assert(CreateHardLinkW(u"C:\\two.txt", u"C:\\one.txt", NULL), "error %u", GetLastError());
    struct stat st;
    cr_assert_eq(stat(path, &st), 0);
    cr_assert_eq(st.st_nlink, 2, "st_nlink %lu", (unsigned long)st.st_nlink);
    cr_assert(!CreateHardLinkW(u"C:\\two.txt", u"C:\\one.txt", NULL), "linked over a name");
    cr_assert_eq(GetLastError(), ERROR_ALREADY_EXISTS, "error %u", GetLastError());
}
