/* SPDX-License-Identifier: MIT */
/* Process state: the PEB and its loader data and process parameters, and process exit. */
#include <errno.h>
#include <sched.h>
#include <setjmp.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>
#include "runtime/exception.h"
#include "runtime/kuser.h"
#include "runtime/runtime_private.h"

rt_process rt_proc = {.windows_build = 10};

static void rt_list_init(LIST_ENTRY *l) { l->Flink = l->Blink = l; }

int rt_peb_create(void)
{
    if (rt_proc.peb)
        return 0;
    /* One page for the three (0xc60 bytes together), present at once: they were three pages,
     * each zeroed and charged at the populate for ~1 KB of structures (0.5% of `ntrun
     * hello.exe`'s samples, docs/performance.md, twenty-third pass). Nothing of Windows puts
     * them on pages of their own. (A static page among start-up's variables instead would
     * align .bss to a page and move every start-up variable after it.) */
    size_t size = 0x1000;
    /* the ntrun command's page for it, made present with its break: no mmap */
    char *mem = rt_cmd_pages ? (char *)rt_cmd_pages + RT_CMD_PAGE_PEB * 0x1000
                             : mmap(NULL, size, PROT_READ | PROT_WRITE,
                                    MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
    if (mem == MAP_FAILED)
        return -errno;
    rt_progmem_add(mem, size, RT_MEM_PEB);
    PEB *peb = (PEB *)mem;
    PEB_LDR_DATA *ldr = (PEB_LDR_DATA *)(mem + 0x800);
    RTL_USER_PROCESS_PARAMETERS *params = (RTL_USER_PROCESS_PARAMETERS *)(mem + 0x880);
    _Static_assert(sizeof(PEB) <= 0x800 && 0x800 + sizeof(PEB_LDR_DATA) <= 0x880 &&
                       0x880 + sizeof(RTL_USER_PROCESS_PARAMETERS) <= 0x1000,
                   "the PEB, its loader data and its process parameters share a page");
    ldr->Length = sizeof *ldr;
    ldr->Initialized = 1;
    rt_list_init(&ldr->InLoadOrderModuleList);
    rt_list_init(&ldr->InMemoryOrderModuleList);
    rt_list_init(&ldr->InInitializationOrderModuleList);
    params->MaximumLength = params->Length = sizeof *params;
    params->Flags = 1; /* RTL_USER_PROC_PARAMS_NORMALIZED: pointers, not offsets */
    peb->Ldr = ldr;
    peb->ProcessParameters = params;
    peb->OSMajorVersion = 10;
    peb->OSMinorVersion = 0;
    peb->OSBuildNumber = rt_proc.windows_build == 11 ? 26100 : 19045;
    peb->OSPlatformId = 2; /* VER_PLATFORM_WIN32_NT */
    peb->ImageSubsystem = 3; /* console */
    long ncpu = rt_cpus_online();
    peb->NumberOfProcessors = ncpu > 0 ? (uint32_t)ncpu : 1;
    rt_proc.peb = peb;
    return 0;
}

int rt_process_init(void)
{
    static bool done;
    if (done)
        return 0;
    const char *t = getenv("NTRUN_TRACE");
    if (t && !rt_trace_mask)
        rt_trace_parse(t, NULL);
    rt_sud_probe();
    rt_tid_fork_init();
    int r = rt_peb_create();
    if (r < 0)
        return r;
    r = rt_signals_install();
    if (r < 0)
        return r;
    done = true;
    return 0;
}

/* ---- exit ---- */
#define RT_MAX_EXIT_HOOKS 16
static void (*rt_exit_hooks[RT_MAX_EXIT_HOOKS])(uint32_t);
static bool rt_exit_hook_always[RT_MAX_EXIT_HOOKS]; /* runs on TerminateProcess too */
static int rt_exit_hook_count;

/* What rt_exit_process_common runs: nothing (a crash inside native code), the system's part
 * of an exit (TerminateProcess: the parent learns the code, jobs close), or everything. */
enum { RT_HOOKS_NONE, RT_HOOKS_SYSTEM, RT_HOOKS_ALL };

static void rt_on_exit_kind(void (*fn)(uint32_t code), bool always)
{
    for (int i = 0; i < rt_exit_hook_count; i++)
        if (rt_exit_hooks[i] == fn)
            return;
    if (rt_exit_hook_count < RT_MAX_EXIT_HOOKS) {
        rt_exit_hook_always[rt_exit_hook_count] = always;
        rt_exit_hooks[rt_exit_hook_count++] = fn;
    }
}

void rt_on_exit_always(void (*fn)(uint32_t code)) { rt_on_exit_kind(fn, true); }

void rt_on_exit(void (*fn)(uint32_t code))
{
    rt_on_exit_kind(fn, false);
}

static sigjmp_buf rt_exit_jmp;
static bool rt_exit_armed;
static uint32_t rt_exit_code;

/* 0: running; 1: exit hooks running (on rt_exit_owner); 2: hooks done. Several threads may
 * call ExitProcess at once: the first runs the hooks, the others wait or end. */
static atomic_int rt_exit_state;
static atomic_int rt_exit_owner;
/* While state is 1: the index of the hook running (rt_exit_hook_count before the first); the
 * owner's exit hooks lie below it. Only the owner reads or writes it. */
static int rt_exit_hook_at;

static rt_end_info rt_end;
/* rt_end.kind, kept apart: a start reads and clears only this, so rt_end (248 bytes, written
 * only when a run ends by an exception, an unimplemented import or a termination) stays out of
 * the pages every start writes (tools/startup-order/wdata-not.list). */
static int rt_end_kind;

/* Bounded copy that needs nothing from libc (signal handlers call the notes). */
static void rt_end_copy(char *dst, size_t cap, const char *a, const char *sep, const char *b)
{
    size_t n = 0;
    for (const char *parts[3] = {a, sep, b}, **p = parts; p < parts + 3; p++)
        for (const char *s = *p; s && *s && n + 1 < cap; s++)
            dst[n++] = *s;
    dst[n] = 0;
}

void rt_note_exception(uint32_t code, uintptr_t address, const char *dll, const char *function)
{
    if (rt_end_kind != RT_END_NONE)
        return;
    rt_end.code = code;
    rt_end.address = address;
    const char *mod = NULL;
    uintptr_t off = 0;
    if (rt_describe_address(address, &mod, &off)) {
        rt_end_copy(rt_end.module, sizeof rt_end.module, mod, NULL, NULL);
        rt_end.offset = off;
    }
    if (dll && function)
        rt_end_copy(rt_end.function, sizeof rt_end.function, dll, "!", function);
    rt_end.kind = RT_END_EXCEPTION;
    rt_end_kind = RT_END_EXCEPTION;
}

void rt_note_unimplemented(const char *dll, const char *function)
{
    if (rt_end_kind != RT_END_NONE)
        return;
    rt_end_copy(rt_end.function, sizeof rt_end.function, dll, "!", function);
    rt_end.kind = RT_END_UNIMPLEMENTED;
    rt_end_kind = RT_END_UNIMPLEMENTED;
}

const rt_end_info *rt_end_info_get(void) { return &rt_end; }
int rt_end_kind_get(void) { return rt_end_kind; }

/* The ntrun command: the process ends once the run has (rt_process_ends_with_run). */
static bool rt_run_is_last;
void rt_process_ends_with_run(void) { rt_run_is_last = true; }

uint32_t rt_run_process(uint32_t (*body)(void *), void *arg)
{
    if (rt_end_kind != RT_END_NONE) {
        memset(&rt_end, 0, sizeof rt_end);
        rt_end_kind = RT_END_NONE;
    }
    atomic_store(&rt_exit_state, 0);
    rt_threads_set_main(rt_gettid());
    rt_kuser_start(); /* the clock updater: from the program's first instruction on */
    rt_exit_armed = true;
    /* The exit jump comes from ExitProcess (every program that returns from main), or from a
     * signal handler (SIGSYS: NtTerminateProcess; the thread signal: a termination request)
     * whose signal is blocked until it returns. A libntrun host gets its mask back. The ntrun
     * command's does not matter after the jump: what runs then until exit_group is native code
     * at selector ALLOW (no SIGSYS is raised) on a thread nothing signals again, so the mask is
     * neither asked at the start (rt_sigprocmask) nor set at the jump (a second one). */
    if (sigsetjmp(rt_exit_jmp, !rt_run_is_last) == 0) {
        uint32_t code = body(arg);
        rt_exit_armed = false;
        return code;
    }
    rt_exit_armed = false;
    return rt_exit_code;
}

/* The hooks below rt_exit_hook_at, last registered first, then the exit work is done. A hook
 * may not return (see rt_exit_process_common's nested call): the index says where it was. */
static void rt_exit_run_hooks(int hooks, uint32_t code)
{
    while (hooks != RT_HOOKS_NONE && rt_exit_hook_at > 0) {
        int i = --rt_exit_hook_at;
        if (hooks == RT_HOOKS_ALL || rt_exit_hook_always[i])
            rt_exit_hooks[i](code);
    }
    atomic_store(&rt_exit_state, 2);
}

__attribute__((noreturn)) static void rt_exit_process_common(uint32_t code, int hooks)
{
    rt_thread *t = rt_current_thread();
    if (t)
        t->selector = RT_SEL_ALLOW;
    int32_t me = rt_gettid();
    int state = 0;
    if (atomic_compare_exchange_strong(&rt_exit_state, &state, 1)) {
        atomic_store(&rt_exit_owner, me);
        rt_exit_code = code;
        /* As NtTerminateProcess does before the DLLs detach: every other foreign thread ends
         * first (at once in foreign code, at its next wait in a built-in; one stuck elsewhere
         * in a built-in is left behind after a second). The thread in rt_run_process too, when
         * another one ends the process (ExitProcess on a worker, the console control thread's
         * default handler, the end of a close event's handler): it stops where it is and waits
         * for the exit work in rt_process_exit_jump, instead of running the program on while
         * the other threads end and the DLLs detach (ExitProcess's page: the other threads
         * terminate, then the DLLs get DLL_PROCESS_DETACH). */
        if (rt_exit_armed && !rt_thread_is_main())
            rt_threads_stop_main();
        if (rt_threads_live() > 0)
            rt_threads_terminate_all(code, 1000);
        if (rt_exit_armed && !rt_thread_is_main()) /* the stopped main thread has ended too */
            rt_main_thread_ended(code);
        rt_exit_hook_at = rt_exit_hook_count;
        rt_exit_run_hooks(hooks, code);
    } else if (atomic_load(&rt_exit_owner) != me) {
        /* Another thread is ending the process: its code wins. */
        while (atomic_load(&rt_exit_state) == 1)
            sched_yield();
    } else if (atomic_load(&rt_exit_state) == 1) {
        /* This thread's own exit work ends the process again: foreign code an exit hook ran
         * (an atexit handler run by ExitProcess's msvcrt detach, a DLL's or TLS callback's
         * code outside the loader's guard) left an exception unhandled, or called ExitProcess
         * or TerminateProcess. As Windows, where that is NtTerminateProcess of a process whose
         * shutdown is under way (the unhandled-exception filter's end, or ExitProcess once
         * LdrShutdownProcess runs), the process ends now with the new code: the hook that was
         * running is abandoned, no other program code runs (no further DLL detach, no stdio
         * flush), and the system's part of the exit that is left (rt_on_exit_always: the code
         * for a parent, jobs, the console's modes) runs with the new code. A crash inside a
         * built-in (RT_HOOKS_NONE) runs nothing more, as at any other time. */
        rt_exit_code = code;
        rt_exit_run_hooks(hooks == RT_HOOKS_NONE ? RT_HOOKS_NONE : RT_HOOKS_SYSTEM, code);
    }
    if (!rt_exit_armed)
        _exit((int)(rt_exit_code & 0xff));
    if (!rt_thread_is_main())
        rt_threads_exit_from_secondary(rt_exit_code); /* the main thread leaves rt_run_process */
    siglongjmp(rt_exit_jmp, 1);
}

void rt_exit_process(uint32_t code) { rt_exit_process_common(code, RT_HOOKS_ALL); }

/* TerminateProcess / NtTerminateProcess of the process itself: it ends at once, as Windows ends
 * it, with no DLL_PROCESS_DETACH, no TLS detach callback and no CRT atexit or stdio flush; only
 * the hooks registered with rt_on_exit_always (the exit code for a parent, jobs) run. */
void rt_terminate_process(uint32_t code) { rt_exit_process_common(code, RT_HOOKS_SYSTEM); }

/* A crash inside a built-in: the interrupted native code may hold any lock (a stream's, the
 * heap's), so nothing more runs on its behalf — no stdio flush, no DLL detach, as when Windows
 * ends a process on an unhandled exception. libntrun's teardown resets that state. */
void rt_exit_process_crashed(uint32_t code) { rt_exit_process_common(code, RT_HOOKS_NONE); }

/* How long the main thread waits, stopped, for another thread's exit work. Bounded because it
 * may have been stopped holding a lock of a built-in that the exit work takes (inside exit(),
 * running an atexit handler under msvcrt's exit lock, when the console control thread ends
 * the process): it then goes on after this, finishes, and the exit work after it. */
#define RT_MAIN_STOP_MAX_MS 2000

/* Async-signal-safe: atomics, raw gettid/nanosleep, siglongjmp (the signal handler calls it on
 * foreign code, which holds no runtime or libc lock). */
void rt_process_exit_jump(void)
{
    if (!rt_exit_armed)
        return;
    int32_t me = rt_gettid();
    for (int waited = 0; atomic_load(&rt_exit_state) == 1 && atomic_load(&rt_exit_owner) != me &&
                         waited < RT_MAIN_STOP_MAX_MS;
         waited++) {
        struct timespec ts = {0, 1000000};
        rt_raw_syscall6(SYS_nanosleep, (long)&ts, 0, 0, 0, 0, 0);
    }
    if (atomic_load(&rt_exit_state) == 2)
        siglongjmp(rt_exit_jmp, 1);
}

/* TerminateProcess from outside the run (libntrun's ntrun_program_terminate, on a host thread):
 * no exit hooks run (no stdio flush, no DLL detach, as on Windows); the thread in
 * rt_run_process leaves at once from foreign code, or at its next wait point inside a built-in.
 * The caller repeats the request until the run has ended (a thread busy inside a built-in sees
 * it only when it next waits or returns to foreign code). 0, or -ESRCH when nothing runs. */
int rt_process_terminate(uint32_t code)
{
    if (!rt_exit_armed)
        return -ESRCH;
    int state = 0;
    if (atomic_compare_exchange_strong(&rt_exit_state, &state, 2)) {
        rt_exit_code = code;
        rt_end.kind = RT_END_TERMINATED; /* what ends the run, whatever was noted before */
        rt_end_kind = RT_END_TERMINATED;
    }
    return rt_threads_request_main_exit();
}
