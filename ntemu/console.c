/* SPDX-License-Identifier: MIT */
/* The console input buffer as waits see it. On Windows a console input handle is signalled
 * while its input buffer holds events; a file handle is always signalled. A wait on a
 * console input handle (a terminal handle whose role is NT_CONSOLE_INPUT) waits instead on one
 * manual-reset event, "input pending", which kernel32's console input code
 * (thunks/kernel32/console_input.c) sets and resets with nt_console_input_set: it knows the
 * events it has decoded and queued and watches the terminal for bytes not read yet. The hook
 * lets it start that watch at the first wait and look again after NtReadFile took bytes
 * from the terminal behind its back. NtReadFile on a console input handle reads through
 * kernel32's reader (the console's input buffer and line editing), as a Windows ReadFile on a
 * console is a ReadConsoleA. */
#include <pthread.h>
#include "ntemu/ntemu_private.h"

static void nt_console_event_destroy(nt_object *o) { (void)o; /* never: one static object */ }

static nt_event nt_console_event;
static pthread_once_t nt_console_once = PTHREAD_ONCE_INIT;
static void (*nt_console_hook)(int fd, bool after_read);
static NTSTATUS (*nt_console_read_hook)(int fd, void *buf, size_t n, size_t *got);

static void nt_console_init(void)
{
    nt_object_init(&nt_console_event.s.hdr, NT_OBJ_EVENT, nt_console_event_destroy);
    nt_console_event.manual = true;
}

void nt_console_set_hook(void (*hook)(int fd, bool after_read))
{
    __atomic_store_n(&nt_console_hook, hook, __ATOMIC_RELEASE);
}

void nt_console_set_reader(NTSTATUS (*reader)(int fd, void *buf, size_t n, size_t *got))
{
    __atomic_store_n(&nt_console_read_hook, reader, __ATOMIC_RELEASE);
}

NTSTATUS (*nt_console_reader(void))(int fd, void *buf, size_t n, size_t *got)
{
    return __atomic_load_n(&nt_console_read_hook, __ATOMIC_ACQUIRE);
}

static uint64_t nt_console_writes;
static void (*nt_console_text_hook)(int fd, const void *buf, size_t n, uint64_t before,
                                    uint64_t after);

void nt_console_output_written(void) { __atomic_add_fetch(&nt_console_writes, 1, __ATOMIC_RELEASE); }

void nt_console_set_text_hook(void (*hook)(int fd, const void *buf, size_t n, uint64_t before,
                                           uint64_t after))
{
    __atomic_store_n(&nt_console_text_hook, hook, __ATOMIC_RELEASE);
}

void nt_console_output_text(int fd, const void *buf, size_t n)
{
    uint64_t after = __atomic_add_fetch(&nt_console_writes, 1, __ATOMIC_ACQ_REL);
    void (*hook)(int, const void *, size_t, uint64_t, uint64_t) =
        __atomic_load_n(&nt_console_text_hook, __ATOMIC_ACQUIRE);
    if (hook)
        hook(fd, buf, n, after - 1, after);
}

static char *(*nt_console_out_filter)(int fd, const void *buf, size_t n, size_t *out_n);

void nt_console_set_out_filter(char *(*filter)(int fd, const void *buf, size_t n, size_t *out_n))
{
    __atomic_store_n(&nt_console_out_filter, filter, __ATOMIC_RELEASE);
}

char *nt_console_filter(int fd, const void *buf, size_t n, size_t *out_n)
{
    char *(*filter)(int, const void *, size_t, size_t *) =
        __atomic_load_n(&nt_console_out_filter, __ATOMIC_ACQUIRE);
    return filter ? filter(fd, buf, n, out_n) : NULL;
}

uint64_t nt_console_output_count(void) { return __atomic_load_n(&nt_console_writes, __ATOMIC_ACQUIRE); }

void nt_console_input_set(bool pending)
{
    pthread_once(&nt_console_once, nt_console_init);
    pthread_mutex_lock(&nt_wait_lock);
    nt_console_event.signalled = pending;
    if (pending)
        nt_sync_wake(&nt_console_event.s);
    pthread_mutex_unlock(&nt_wait_lock);
}

bool nt_console_is_input(const nt_file *f)
{
    return f->console == NT_CONSOLE_INPUT && f->fd >= 0;
}

nt_object *nt_console_input_waitable(int fd)
{
    pthread_once(&nt_console_once, nt_console_init);
    void (*hook)(int, bool) = __atomic_load_n(&nt_console_hook, __ATOMIC_ACQUIRE);
    if (hook)
        hook(fd, false);
    nt_object_ref(&nt_console_event.s.hdr);
    return &nt_console_event.s.hdr;
}

void nt_console_input_was_read(int fd)
{
    void (*hook)(int, bool) = __atomic_load_n(&nt_console_hook, __ATOMIC_ACQUIRE);
    if (hook)
        hook(fd, true);
}
