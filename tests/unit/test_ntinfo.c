/* The information calls (ntemu/info.c) and NtQueryVolumeInformationFile (ntemu/volume.c) called
 * directly: the output buffer and return length probed first (STATUS_DATATYPE_MISALIGNMENT
 * for one not aligned as Windows wants, STATUS_ACCESS_VIOLATION for one beyond the caller's
 * memory), then the class (STATUS_INVALID_INFO_CLASS), then length
 * (STATUS_INFO_LENGTH_MISMATCH with the needed size in the return length), then the handle,
 * then the buffer (STATUS_ACCESS_VIOLATION for a bad one, the runtime keeps going); the
 * debugger probes anti-debug code makes (ProcessDebugPort 0, ProcessDebugFlags 1,
 * ProcessDebugObjectHandle STATUS_PORT_NOT_SET with a NULL handle); the image file name in NT
 * and Win32 form; ThreadBasicInformation of the calling thread; ThreadHideFromDebugger set and
 * read back. */
#include <criterion/criterion.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>
#include "ntemu/ntemu.h"
#include "runtime/winexc.h"

static void setup(void)
{
    cr_assert_eq(rt_process_init(), 0);
    rt_proc.exe_unix_path = "/tmp/dir/prog.exe";
    cr_assert_eq(nt_syscalls_init(10), 0);
}

TestSuite(ntinfo, .init = setup);

Test(ntinfo, system_basic_needs_exact_length)
{
    uint8_t buf[0x40];
    uint32_t ret = 0;
    cr_assert_eq(NtQuerySystemInformation(0, buf, sizeof buf, &ret), STATUS_SUCCESS);
    cr_assert_eq(ret, 0x40u);
    uint32_t page;
    memcpy(&page, buf + 8, 4);
    cr_assert_eq(page, 0x1000u, "PageSize %#x", page);
    ret = 0;
    cr_assert_eq((uint32_t)NtQuerySystemInformation(0, buf, 0x48, &ret),
                 (uint32_t)STATUS_INFO_LENGTH_MISMATCH);
    cr_assert_eq(ret, 0x40u);
}

Test(ntinfo, unknown_class_is_invalid_info_class)
{
    uint8_t buf[64];
    cr_assert_eq((uint32_t)NtQuerySystemInformation(0x5000, buf, sizeof buf, NULL),
                 (uint32_t)STATUS_INVALID_INFO_CLASS);
    cr_assert_eq((uint32_t)NtQueryInformationProcess(NtCurrentProcess(), 0x5000, buf, 8, NULL),
                 (uint32_t)STATUS_INVALID_INFO_CLASS);
    cr_assert_eq((uint32_t)NtQueryInformationThread(NtCurrentThread(), 0x5000, buf, 8, NULL),
                 (uint32_t)STATUS_INVALID_INFO_CLASS);
}

Test(ntinfo, bad_buffers_are_access_violations)
{
    cr_assert_eq((uint32_t)NtQuerySystemInformation(0, (void *)0x10, 0x40, NULL),
                 (uint32_t)STATUS_ACCESS_VIOLATION);
    uint8_t buf[0x40];
    cr_assert_eq((uint32_t)NtQuerySystemInformation(0, buf, 0x40, (uint32_t *)0x10),
                 (uint32_t)STATUS_ACCESS_VIOLATION);
    cr_assert_eq((uint32_t)NtQueryInformationProcess(NtCurrentProcess(), 0, (void *)0x10, 0x30,
                                                     NULL),
                 (uint32_t)STATUS_ACCESS_VIOLATION);
}

Test(ntinfo, misaligned_outputs_are_datatype_misalignment)
{
    _Alignas(8) uint8_t buf[0x48];
    uint32_t ret[2];
    const uint32_t mis = (uint32_t)STATUS_DATATYPE_MISALIGNMENT;
    cr_assert_eq((uint32_t)NtQuerySystemInformation(0, buf + 2, 0x40, NULL), mis);
    cr_assert_eq((uint32_t)NtQuerySystemInformation(0, buf, 0x40, (uint32_t *)((char *)ret + 1)),
                 mis);
    /* before the class and the length are looked at, after the buffer's own probe */
    cr_assert_eq((uint32_t)NtQuerySystemInformation(0x5000, buf + 1, 8, NULL), mis);
    cr_assert_eq((uint32_t)NtQuerySystemInformation(0, buf + 1, 0x41, NULL), mis);
    cr_assert_eq((uint32_t)NtQuerySystemInformation(0, (void *)0x11, 0x40, NULL), mis);
    cr_assert_eq((uint32_t)NtQuerySystemInformation(0, (void *)0x10, 0x40, (uint32_t *)0x11),
                 (uint32_t)STATUS_ACCESS_VIOLATION);
    /* SystemKernelDebuggerInformation: two BOOLEANs, byte-aligned */
    cr_assert_eq(NtQuerySystemInformation(35, buf + 1, 2, NULL), STATUS_SUCCESS);
    /* an empty buffer is not looked at */
    cr_assert_eq((uint32_t)NtQuerySystemInformation(0, buf + 1, 0, ret),
                 (uint32_t)STATUS_INFO_LENGTH_MISMATCH);
    cr_assert_eq((uint32_t)NtQueryInformationProcess(NtCurrentProcess(), 0, buf + 4, 0x30, NULL),
                 STATUS_SUCCESS, "4-byte alignment is enough");
    cr_assert_eq((uint32_t)NtQueryInformationProcess(NtCurrentProcess(), 0, buf + 2, 0x30, NULL),
                 mis);
    cr_assert_eq((uint32_t)NtQueryInformationProcess(NtCurrentProcess(), 0, buf, 0x30,
                                                     (uint32_t *)((char *)ret + 2)),
                 mis);
    cr_assert_eq((uint32_t)NtQueryInformationThread(NtCurrentThread(), 0, buf + 1, 0x30, NULL),
                 mis);
    cr_assert_eq(NtQueryInformationThread(NtCurrentThread(), 17, buf + 1, 1, NULL),
                 STATUS_SUCCESS);
}

Test(ntinfo, process_basic_has_the_peb)
{
    struct { int32_t exit; uint32_t pad; void *peb; uint64_t affinity, prio, pid, ppid; } b;
    uint32_t ret = 0;
    cr_assert_eq(NtQueryInformationProcess(NtCurrentProcess(), 0, &b, sizeof b, &ret),
                 STATUS_SUCCESS);
    cr_assert_eq(ret, sizeof b);
    cr_assert_eq(b.peb, (void *)rt_proc.peb);
    cr_assert_eq(b.pid, (uint64_t)getpid());
    cr_assert_eq((uint32_t)b.exit, 0x103u);
    cr_assert_eq((uint32_t)NtQueryInformationProcess((HANDLE)0xbad0, 0, &b, sizeof b, NULL),
                 (uint32_t)STATUS_INVALID_HANDLE);
}

Test(ntinfo, debugger_probes_say_no_debugger)
{
    uint64_t port = 0xcc;
    cr_assert_eq(NtQueryInformationProcess(NtCurrentProcess(), 7, &port, 8, NULL), STATUS_SUCCESS);
    cr_assert_eq(port, 0u);
    uint32_t flags = 0;
    cr_assert_eq(NtQueryInformationProcess(NtCurrentProcess(), 31, &flags, 4, NULL),
                 STATUS_SUCCESS);
    cr_assert_eq(flags, 1u);
    uint64_t obj = 0xcc;
    cr_assert_eq((uint32_t)NtQueryInformationProcess(NtCurrentProcess(), 30, &obj, 8, NULL),
                 0xC0000353u);
    cr_assert_eq(obj, 0u);
}

static char *image_name(uint32_t klass)
{
    static uint8_t buf[512];
    uint32_t ret = 0;
    cr_assert_eq(NtQueryInformationProcess(NtCurrentProcess(), klass, buf, sizeof buf, &ret),
                 STATUS_SUCCESS);
    UNICODE_STRING us;
    memcpy(&us, buf, sizeof us);
    cr_assert_eq((uint8_t *)us.Buffer, buf + sizeof us, "Buffer follows the header");
    cr_assert_eq(ret, sizeof us + us.Length + 2u);
    return nt_utf16_to_utf8(us.Buffer, us.Length / 2, NULL);
}

Test(ntinfo, image_file_name_nt_and_win32_forms)
{
    char *nt = image_name(27), *w32 = image_name(43);
    cr_assert(strncmp(nt, "\\Device\\HarddiskVolume", 22) == 0, "got '%s'", nt);
    cr_assert(strstr(nt, "\\tmp\\dir\\prog.exe") != NULL, "got '%s'", nt);
    cr_assert(w32[1] == ':' && strstr(w32, "\\tmp\\dir\\prog.exe") != NULL, "got '%s'", w32);
    free(nt);
    free(w32);
    uint8_t small[20];
    uint32_t ret = 0;
    cr_assert_eq((uint32_t)NtQueryInformationProcess(NtCurrentProcess(), 27, small, sizeof small,
                                                     &ret),
                 (uint32_t)STATUS_INFO_LENGTH_MISMATCH);
    cr_assert_gt(ret, sizeof small);
}

Test(ntinfo, thread_basic_of_the_caller)
{
    cr_assert_eq(rt_thread_init_current(), 0);
    struct { int32_t exit; uint32_t pad; void *teb; CLIENT_ID cid; uint64_t aff; int32_t p, bp; } b;
    uint32_t ret = 0;
    cr_assert_eq(NtQueryInformationThread(NtCurrentThread(), 0, &b, sizeof b, &ret),
                 STATUS_SUCCESS);
    cr_assert_eq(ret, sizeof b);
    cr_assert_eq(b.teb, (void *)rt_current_teb());
    cr_assert_eq((uint64_t)(uintptr_t)b.cid.UniqueProcess, (uint64_t)getpid());
    cr_assert_eq((uint32_t)b.exit, 0x103u);
    cr_assert_eq((uint32_t)NtQueryInformationThread(NtCurrentThread(), 0, &b, 8, &ret),
                 (uint32_t)STATUS_INFO_LENGTH_MISMATCH);
    rt_thread_fini_current();
}

Test(ntinfo, volume_information_of_a_file)
{
    char path[] = "/tmp/ntinfo-XXXXXX";
    int fd = mkstemp(path);
    cr_assert_geq(fd, 0);
    HANDLE h;
    cr_assert_eq(nt_file_from_fd(fd, 0x120089, &h), STATUS_SUCCESS);
    IO_STATUS_BLOCK io;
    uint32_t dev[2];
    cr_assert_eq(NtQueryVolumeInformationFile(h, &io, dev, sizeof dev, 4), STATUS_SUCCESS);
    cr_assert_eq(dev[0], 7u, "FILE_DEVICE_DISK, got %#x", dev[0]);
    cr_assert_eq(io.Information, 8u);
    uint8_t attr[0x20];
    cr_assert_eq(NtQueryVolumeInformationFile(h, &io, attr, sizeof attr, 5), STATUS_SUCCESS);
    cr_assert_eq(memcmp(attr + 12, u"NTFS", 8), 0);
    cr_assert_eq((uint32_t)NtQueryVolumeInformationFile(h, &io, attr, 14, 5),
                 (uint32_t)STATUS_INFO_LENGTH_MISMATCH);
    cr_assert_eq((uint32_t)NtQueryVolumeInformationFile(h, &io, attr, 16, 5),
                 (uint32_t)STATUS_BUFFER_OVERFLOW);
    cr_assert_eq(io.Information, 16u);
    cr_assert_eq((uint32_t)NtQueryVolumeInformationFile(h, &io, (void *)0x10, 8, 4),
                 (uint32_t)STATUS_ACCESS_VIOLATION);
    cr_assert_eq((uint32_t)NtQueryVolumeInformationFile(h, &io, attr, sizeof attr, 99),
                 (uint32_t)STATUS_INVALID_INFO_CLASS);
    NtClose(h);
    close(fd);
    unlink(path);
}

Test(ntinfo, hide_from_debugger_set_reads_back_true)
{
    cr_assert_eq(rt_thread_init_current(), 0);
    cr_assert_eq(NtSetInformationThread(NtCurrentThread(), 17, NULL, 0), STATUS_SUCCESS);
    cr_assert_eq((uint32_t)NtSetInformationThread(NtCurrentThread(), 17, NULL, 4),
                 (uint32_t)STATUS_INFO_LENGTH_MISMATCH);
    cr_assert_eq((uint32_t)NtSetInformationThread((HANDLE)0xbad0, 17, NULL, 0),
                 (uint32_t)STATUS_INVALID_HANDLE);
    uint8_t hidden = 0xcc;
    cr_assert_eq(NtQueryInformationThread(NtCurrentThread(), 17, &hidden, 1, NULL),
                 STATUS_SUCCESS);
    cr_assert_eq(hidden, 1, "read back as set, got %u", hidden);
    rt_thread_fini_current();
}
