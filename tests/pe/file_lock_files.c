/* Byte-range locks seen from another process, file by file: a child process is refused the
 * range its parent locked in one file, through another name of the file (a hard link), while
 * reading and writing a file nobody locked; once the parent unlocked that file (still holding
 * a lock on another), the child reads it. With locks on ten files at once the child is refused
 * each of them (the first and the tenth) and still reads the unlocked one; after the parent
 * unlocked them all it reads the tenth. (ntrun tells readers which files hold locks by a hash
 * of the file in a page its processes share, where a process lists up to 8 locked files in a
 * slot and takes further slots for more: both kinds are covered here.) */
#include <windows.h>
#include <stdio.h>
#include <string.h>
#include "xproc_start.h"

#define NFILES 10

static HANDLE open_it(const char *name)
{
    return CreateFileA(name, GENERIC_READ | GENERIC_WRITE, FILE_SHARE_READ | FILE_SHARE_WRITE,
                       NULL, OPEN_ALWAYS, 0, NULL);
}

/* ReadFile or WriteFile of 5 bytes at 12; 0 or the error. */
static DWORD io(HANDLE h, BOOL write)
{
    char buf[64] = "0123456789012345678901234567890123456789012345678901234567890123";
    DWORD done = 0;
    SetFilePointer(h, 12, NULL, FILE_BEGIN);
    SetLastError(0);
    BOOL ok = write ? WriteFile(h, buf, 5, &done, NULL) : ReadFile(h, buf, 5, &done, NULL);
    return ok ? (done == 5 ? 0 : 0xdead) : GetLastError();
}

/* The child: `read NAME` or `write NAME`, through a handle of its own; the result as exit code. */
static DWORD child(const char *how, const char *name)
{
    char args[64];
    snprintf(args, sizeof args, "%s %s", how, name);
    return xproc_run(args);
}

static BOOL lock10(HANDLE h)
{
    OVERLAPPED ov = {0};
    ov.Offset = 10;
    return LockFileEx(h, LOCKFILE_EXCLUSIVE_LOCK | LOCKFILE_FAIL_IMMEDIATELY, 0, 10, 0, &ov);
}

int main(int argc, char **argv)
{
    if (argc == 3) {
        HANDLE h = open_it(argv[2]);
        if (h == INVALID_HANDLE_VALUE)
            return 0xbad0;
        DWORD r = io(h, !strcmp(argv[1], "write"));
        CloseHandle(h);
        return (int)r;
    }
    char names[NFILES][32];
    HANDLE h[NFILES];
    DeleteFileA("lockfiles_link.bin");
    DeleteFileA("lockfiles_free.bin");
    for (int i = 0; i < NFILES; i++) {
        snprintf(names[i], sizeof names[i], "lockfiles_%d.bin", i);
        DeleteFileA(names[i]);
        h[i] = open_it(names[i]);
        char buf[64] = {0};
        DWORD done;
        WriteFile(h[i], buf, sizeof buf, &done, NULL);
    }
    HANDLE free_h = open_it("lockfiles_free.bin");
    char buf[64] = {0};
    DWORD done;
    WriteFile(free_h, buf, sizeof buf, &done, NULL);
    CloseHandle(free_h);
    printf("hard link to file 0: %d\n", CreateHardLinkA("lockfiles_link.bin", names[0], NULL));

    printf("lock 10+10 of file 0: %d\n", lock10(h[0]));
    printf("lock 10+10 of file 1: %d\n", lock10(h[1]));
    printf("child reads file 0 by its link: %lu\n", child("read", "lockfiles_link.bin"));
    printf("child writes file 1: %lu\n", child("write", names[1]));
    printf("child reads the unlocked file: %lu\n", child("read", "lockfiles_free.bin"));
    printf("child writes the unlocked file: %lu\n", child("write", "lockfiles_free.bin"));
    printf("unlock file 0: %d\n", UnlockFile(h[0], 10, 0, 10, 0));
    printf("child reads file 0 by its link: %lu\n", child("read", "lockfiles_link.bin"));
    printf("child writes file 1: %lu\n", child("write", names[1]));
    printf("unlock file 1: %d\n", UnlockFile(h[1], 10, 0, 10, 0));
    printf("child writes file 1: %lu\n", child("write", names[1]));

    int locked = 0;
    for (int i = 0; i < NFILES; i++)
        locked += lock10(h[i]) != 0;
    printf("locks 10+10 of %d files: %d granted\n", NFILES, locked);
    printf("child reads file 0 by its link: %lu\n", child("read", "lockfiles_link.bin"));
    printf("child reads file %d: %lu\n", NFILES - 1, child("read", names[NFILES - 1]));
    printf("child reads the unlocked file: %lu\n", child("read", "lockfiles_free.bin"));
    int unlocked = 0;
    for (int i = 0; i < NFILES; i++)
        unlocked += UnlockFile(h[i], 10, 0, 10, 0) != 0;
    printf("unlocked: %d\n", unlocked);
    printf("child reads file %d: %lu\n", NFILES - 1, child("read", names[NFILES - 1]));
    printf("child reads file 0 by its link: %lu\n", child("read", "lockfiles_link.bin"));

    for (int i = 0; i < NFILES; i++) {
        CloseHandle(h[i]);
        DeleteFileA(names[i]);
    }
    DeleteFileA("lockfiles_link.bin");
    DeleteFileA("lockfiles_free.bin");
    return 0;
}
