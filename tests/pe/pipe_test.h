/* What the named-pipe tests (pipe_disconnect.c, pipe_fsctl.c) share: the NT calls they make
 * through ntdll, the FSCTL buffers, and a print of FSCTL_PIPE_PEEK's answer. */
#ifndef NTRUN_TESTS_PIPE_TEST_H
#define NTRUN_TESTS_PIPE_TEST_H
#include <stdio.h>
#include <string.h>
#include <windows.h>
#include <winternl.h>

#define FSCTL_PIPE_DISCONNECT_ 0x110004
#define FSCTL_PIPE_LISTEN_ 0x110008
#define FSCTL_PIPE_PEEK_ 0x11400c
#define FSCTL_PIPE_TRANSCEIVE_ 0x11c017
#define FSCTL_PIPE_WAIT_ 0x110018
#define FilePipeInformation_ 23
#define FilePipeLocalInformation_ 24
#define FilePipeRemoteInformation_ 25

typedef NTSTATUS(NTAPI *fsctl_fn)(HANDLE, HANDLE, void *, void *, IO_STATUS_BLOCK *, ULONG,
                                  void *, ULONG, void *, ULONG);
typedef NTSTATUS(NTAPI *qif_fn)(HANDLE, IO_STATUS_BLOCK *, void *, ULONG, int);
static fsctl_fn fsctl;
static qif_fn query, set;

typedef struct {
    ULONG NamedPipeState, ReadDataAvailable, NumberOfMessages, MessageLength;
    char Data[64];
} PEEK_BUF;
typedef struct {
    LARGE_INTEGER Timeout;
    ULONG NameLength;
    BOOLEAN TimeoutSpecified;
    WCHAR Name[64];
} WAIT_BUF;

static void pipe_test_init(void)
{
    HMODULE nt = GetModuleHandleA("ntdll.dll");
    fsctl = (fsctl_fn)(void (*)(void))GetProcAddress(nt, "NtFsControlFile");
    query = (qif_fn)(void (*)(void))GetProcAddress(nt, "NtQueryInformationFile");
    set = (qif_fn)(void (*)(void))GetProcAddress(nt, "NtSetInformationFile");
}

/* FSCTL_PIPE_PEEK with an output of `size` bytes: the status, and on success (or
 * STATUS_BUFFER_OVERFLOW) the header and the data; NumberOfMessages with `messages`. */
static void peek_fsctl(const char *what, HANDLE h, ULONG size, BOOL messages)
{
    PEEK_BUF pb;
    IO_STATUS_BLOCK io = {0};
    memset(&pb, 0xcc, sizeof pb);
    NTSTATUS st = fsctl(h, NULL, NULL, NULL, &io, FSCTL_PIPE_PEEK_, NULL, 0, &pb, size);
    printf("%s: peek(%lu) %08lx", what, size, st);
    if (st == 0 || st == (NTSTATUS)0x80000005) { /* success, STATUS_BUFFER_OVERFLOW */
        printf(" info %lu state %lu avail %lu", (ULONG)io.Information, pb.NamedPipeState,
               pb.ReadDataAvailable);
        if (messages)
            printf(" messages %lu", pb.NumberOfMessages);
        printf(" len %lu data '%.*s'", pb.MessageLength, (int)io.Information - 16, pb.Data);
    }
    printf("\n");
}
#endif
