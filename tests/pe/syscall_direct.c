/* syscall_direct: raw `syscall` instructions executed from the program's own code (not from
 * ntdll), with Windows 10 x64 system-call numbers, following the Windows x64 system-call
 * convention: r10 = first argument (the stub copies rcx), rdx/r8/r9 = arguments 2-4, arguments
 * 5 and up on the stack from rsp+0x28 at the `syscall` (the caller's normal call frame: the
 * stub does not touch the stack), eax = service number, NTSTATUS back in eax.
 *  - NtWriteFile (0x08) of "hello from a direct syscall\r\n" to the standard output handle:
 *    STATUS_SUCCESS, IO_STATUS_BLOCK.Status 0 and Information = 29 bytes.
 *  - an unknown service number (0x0fff): STATUS_INVALID_SYSTEM_SERVICE (0xC000001C).
 *  - NtClose (0x0f) of a handle that was never opened, and of NULL: STATUS_INVALID_HANDLE
 *    (0xC0000008), without an exception (no debugger, no strict handle checks).
 * The numbers are the same on Windows 11 24H2 for these three services.
 *
 * This program cannot be checked with Wine (there a raw `syscall` goes straight to the Linux
 * kernel): the expected output is derived from Windows' documented semantics of these calls. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <windows.h>
#include <winternl.h>
#include "fail_check.h"

/* One stub per service: the body of an ntdll Nt* export. */
#define SYSCALL_STUB(name, number)                                                            \
    __asm__(".text\n"                                                                        \
            ".p2align 4\n"                                                                   \
            ".globl " #name "\n"                                                             \
            #name ":\n"                                                                      \
            "    mov %rcx, %r10\n"                                                           \
            "    mov $" #number ", %eax\n"                                                   \
            "    syscall\n"                                                                  \
            "    ret\n")
SYSCALL_STUB(direct_nt_write_file, 0x08);
SYSCALL_STUB(direct_nt_close, 0x0f);
SYSCALL_STUB(direct_unknown_service, 0x0fff);

typedef NTSTATUS(NTAPI *nt_write_file_fn)(HANDLE file, HANDLE event, PVOID apc_routine,
                                          PVOID apc_context, PIO_STATUS_BLOCK iosb, PVOID buffer,
                                          ULONG length, PLARGE_INTEGER byte_offset, PULONG key);
typedef NTSTATUS(NTAPI *nt_close_fn)(HANDLE handle);
typedef NTSTATUS(NTAPI *nt_unknown_fn)(ULONG_PTR a, ULONG_PTR b, ULONG_PTR c, ULONG_PTR d,
                                       ULONG_PTR e, ULONG_PTR f);

extern char direct_nt_write_file[], direct_nt_close[], direct_unknown_service[];

int main(void)
{
    /* Through function pointers, so the compiler lays out the arguments for a real call. */
    nt_write_file_fn nt_write_file = (nt_write_file_fn)(void *)direct_nt_write_file;
    nt_close_fn nt_close = (nt_close_fn)(void *)direct_nt_close;
    nt_unknown_fn unknown = (nt_unknown_fn)(void *)direct_unknown_service;

    printf("before the direct syscall\n");
    fflush(stdout); /* msvcrt buffers stdout when it is a file: empty it before writing beside it */

    HANDLE out = GetStdHandle(STD_OUTPUT_HANDLE);
    CHECK(10, out != NULL && out != INVALID_HANDLE_VALUE);
    static const char msg[] = "hello from a direct syscall\r\n";
    IO_STATUS_BLOCK iosb;
    memset(&iosb, 0xcc, sizeof iosb);
    NTSTATUS st = nt_write_file(out, NULL, NULL, NULL, &iosb, (PVOID)msg, sizeof msg - 1, NULL,
                                NULL);
    printf("NtWriteFile: status 0x%08lX, iosb.Status 0x%08lX, iosb.Information %lu\n",
           (unsigned long)st, (unsigned long)iosb.Status, (unsigned long)iosb.Information);
    CHECK(11, st == 0);
    CHECK(12, iosb.Information == sizeof msg - 1);

    st = unknown(1, 2, 3, 4, 5, 6);
    printf("unknown service 0x0fff: status 0x%08lX\n", (unsigned long)st);
    CHECK(13, (ULONG)st == 0xC000001C);

    st = nt_close((HANDLE)(ULONG_PTR)0xbad0);
    printf("NtClose(0xbad0): status 0x%08lX\n", (unsigned long)st);
    CHECK(14, (ULONG)st == 0xC0000008);
    st = nt_close(NULL);
    printf("NtClose(NULL): status 0x%08lX\n", (unsigned long)st);
    CHECK(15, (ULONG)st == 0xC0000008);

    /* A real handle closes with STATUS_SUCCESS, and is gone afterwards. */
    HANDLE ev = CreateEventA(NULL, TRUE, FALSE, NULL);
    CHECK(16, ev != NULL);
    st = nt_close(ev);
    printf("NtClose(event): status 0x%08lX\n", (unsigned long)st);
    CHECK(17, st == 0);
    st = nt_close(ev);
    printf("NtClose(event) again: status 0x%08lX\n", (unsigned long)st);

    /* The program's own stdio still works after the raw calls. */
    printf("after the direct syscalls\n");
    return 0;
}
