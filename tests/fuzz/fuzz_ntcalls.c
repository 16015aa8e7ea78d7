/* fuzz_ntcalls: libFuzzer over the NT calls' argument decoding, called the way ntdll's exports
 * call them (the runtime initialised as in the unit tests). The first byte picks the call; the
 * rest are its arguments: information classes and lengths (NtQuerySystemInformation,
 * NtQueryInformationProcess/Thread/File, NtQueryVolumeInformationFile, NtQueryVirtualMemory),
 * OBJECT_ATTRIBUTES and UNICODE_STRINGs with any Length/MaximumLength and names of any bytes
 * (NtQueryAttributesFile, NtOpenKey, NtOpenEvent, NtOpenFile for reading only: nothing is
 * created or changed). Every buffer the program would pass ends right before an inaccessible
 * page, so reading or writing one byte too many faults: the call must then return
 * STATUS_ACCESS_VIOLATION (the runtime's fault-safe copy), never crash, and a status-returning
 * decoder must not touch bytes beyond the lengths it was given.
 *   fuzz_ntcalls -max_total_time=25 CORPUS_DIR */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "ntemu/ntemu.h"

/* A region of 16 pages with a PROT_NONE page after it: buffers are placed to end at the guard. */
static uint8_t *arena;
enum { ARENA = 16 * 4096 };

static void *at_guard(size_t len)
{
    if (len > ARENA)
        len = ARENA;
    return arena + ARENA - len;
}

static void init(void)
{
    if (rt_process_init() != 0 || nt_syscalls_init(10) != 0)
        abort();
    arena = mmap(NULL, ARENA + 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (arena == MAP_FAILED || mprotect(arena + ARENA, 4096, PROT_NONE) != 0)
        abort();
}

typedef struct in {
    const uint8_t *p;
    size_t n;
} in;

static uint64_t take(in *d, unsigned width)
{
    uint64_t v = 0;
    for (unsigned i = 0; i < width && d->n; i++, d->p++, d->n--)
        v |= (uint64_t)*d->p << (8 * i);
    return v;
}

/* A pointer argument: mostly a buffer ending at the guard page, sometimes NULL, unmapped,
 * kernel-space or misaligned. */
static void *ptr_arg(in *d, size_t len)
{
    switch (take(d, 1) & 7) {
    case 0: return NULL;
    case 1: return (void *)(uintptr_t)0x10;
    case 2: return (void *)(uintptr_t)0xFFFF800000000000ull;
    case 3: return at_guard(len + 1); /* one spare byte */
    case 4: return (uint8_t *)at_guard(len + 8) + 1;               /* misaligned */
    default: return at_guard(len);
    }
}

/* An OBJECT_ATTRIBUTES (itself ending at the guard) whose name is the rest of the input. */
static OBJECT_ATTRIBUTES *attrs_arg(in *d)
{
    uint8_t mode = (uint8_t)take(d, 1);
    uint16_t len_field = (uint16_t)take(d, 2), max_field = (uint16_t)take(d, 2);
    size_t name_bytes = d->n > 512 ? 512 : d->n & ~(size_t)1;
    uint8_t *top = arena + ARENA;
    /* Layout, from the guard down: name characters, UNICODE_STRING, OBJECT_ATTRIBUTES. */
    WCHAR *name = (WCHAR *)(top - name_bytes);
    memcpy(name, d->p, name_bytes);
    d->p += name_bytes;
    d->n -= name_bytes;
    UNICODE_STRING *us = (UNICODE_STRING *)((uintptr_t)((uint8_t *)name - sizeof *us) & ~(uintptr_t)7);
    us->Length = mode & 1 ? len_field : (uint16_t)name_bytes;
    us->MaximumLength = mode & 2 ? max_field : us->Length;
    us->pad = 0;
    us->Buffer = mode & 4 ? (WCHAR *)(uintptr_t)(0x10 + (mode >> 5)) : name;
    OBJECT_ATTRIBUTES *oa = (OBJECT_ATTRIBUTES *)((uint8_t *)us - sizeof *oa);
    memset(oa, 0, sizeof *oa);
    oa->Length = mode & 8 ? len_field : sizeof *oa;
    oa->RootDirectory = mode & 16 ? (HANDLE)(uintptr_t)max_field : NULL;
    oa->ObjectName = (mode & 0xc0) == 0xc0 ? (UNICODE_STRING *)(top - 4) : us;
    oa->Attributes = OBJ_CASE_INSENSITIVE;
    return oa;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static int ready;
    if (!ready) {
        init();
        ready = 1;
    }
    in d = {data, size};
    unsigned which = (unsigned)take(&d, 1);
    HANDLE h = (take(&d, 1) & 1) ? NtCurrentProcess() : (HANDLE)(uintptr_t)take(&d, 2);
    uint32_t klass = (uint32_t)take(&d, 1);
    uint32_t len = (uint32_t)take(&d, 3) & 0x1ffff;
    uint32_t ret = 0;
    void *buf = ptr_arg(&d, len);
    uint32_t *retp = (take(&d, 1) & 3) ? &ret : (take(&d, 1) & 1) ? NULL : (uint32_t *)0x18;
    IO_STATUS_BLOCK iosb;
    switch (which % 10) {
    case 0: NtQuerySystemInformation(klass, buf, len, retp); break;
    case 1: NtQueryInformationProcess(h, klass, buf, len, retp); break;
    case 2:
        NtQueryInformationThread((take(&d, 1) & 1) ? NtCurrentThread() : h, klass, buf, len, retp);
        break;
    case 3: NtQueryInformationFile(h, &iosb, buf, len, klass); break;
    case 4: NtQueryVolumeInformationFile(h, &iosb, buf, len, klass); break;
    case 5: {
        size_t rl = 0;
        NtQueryVirtualMemory(NtCurrentProcess(), (void *)(uintptr_t)take(&d, 8), klass & 7, buf,
                             len, (take(&d, 1) & 1) ? &rl : NULL);
        break;
    }
    case 6: {
        FILE_BASIC_INFORMATION fbi;
        NtQueryAttributesFile(attrs_arg(&d), &fbi);
        break;
    }
    case 7: {
        HANDLE k = NULL;
        if (NtOpenKey(&k, 0x20019 /* KEY_READ */, attrs_arg(&d)) == STATUS_SUCCESS)
            NtClose(k);
        break;
    }
    case 8: {
        HANDLE e = NULL;
        if (NtOpenEvent(&e, 0x00100000 /* SYNCHRONIZE */, attrs_arg(&d)) == STATUS_SUCCESS)
            NtClose(e);
        break;
    }
    default: {
        /* Read-only, and never a directory listing or a device that blocks: attributes of
         * what the name opens, then closed. FILE_OPEN, FILE_NON_DIRECTORY_FILE|NONBLOCKING. */
        HANDLE f = NULL;
        if (NtOpenFile(&f, 0x80 /* FILE_READ_ATTRIBUTES */, attrs_arg(&d), &iosb, 7,
                       0x40 | 0x20) == STATUS_SUCCESS)
            NtClose(f);
        break;
    }
    }
    return 0;
}
