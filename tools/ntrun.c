/* ntrun: run a Windows x86-64 console program.
 *   ntrun [options] program.exe [args...] */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "loader/loader.h"
#include "ntemu/ntemu.h"
#include "thunks/thunks.h"

extern char **environ;

static void usage(FILE *f)
{
    fprintf(f,
            "usage: ntrun [options] program.exe [args...]\n"
            "Runs a Windows x86-64 console program on Linux.\n"
            "\n"
            "options:\n"
            "  --strict               refuse to start when an import is missing (lists them all)\n"
            "  --trace=LIST           trace to stderr; LIST is a comma-separated list of\n"
            "                         loader, nt, sud, all\n"
            "  --windows-build=N      system-call numbering: 10 (Windows 10 22H2, default)\n"
            "                         or 11 (Windows 11 24H2)\n"
            "  --help                 this text\n"
            "  --version              the version\n"
            "\n"
            "The exit status is the program's exit code (low 8 bits). ntrun's own failures:\n"
            "2 for a usage error, 126 when the program cannot be loaded.\n");
}

static const char *base_name(const char *path)
{
    const char *s = strrchr(path, '/');
    return s ? s + 1 : path;
}

struct run_args {
    ldr_module *mod;
    void *stack_top;
};

static uint64_t run_on_foreign_stack(void *arg)
{
    struct run_args *ra = arg;
    thk_before_entry();
    return ldr_run_exe(ra->mod);
}

static uint32_t run_body(void *arg)
{
    struct run_args *ra = arg;
    uint32_t code = (uint32_t)rt_call_on_stack(ra->stack_top, run_on_foreign_stack, ra);
    /* Returning from the entry point ends the process with that code, as on Windows. */
    rt_exit_process(code);
}

int main(int argc, char **argv)
{
    ldr_options opts = {0};
    int windows_build = 10;
    int i = 1;
    for (; i < argc; i++) {
        const char *a = argv[i];
        if (a[0] != '-' || a[1] != '-')
            break;
        if (strcmp(a, "--") == 0) {
            i++;
            break;
        } else if (strcmp(a, "--help") == 0) {
            usage(stdout);
            return 0;
        } else if (strcmp(a, "--version") == 0) {
            printf("ntrun %s\n", NTRUN_VERSION_STRING);
            return 0;
        } else if (strcmp(a, "--strict") == 0) {
            opts.strict = true;
        } else if (strncmp(a, "--trace=", 8) == 0) {
            const char *bad = NULL;
            if (rt_trace_parse(a + 8, &bad) < 0) {
                fprintf(stderr, "ntrun: unknown trace channel in '%s' (known: loader, nt, sud, "
                                "all)\n", a + 8);
                return 2;
            }
        } else if (strncmp(a, "--windows-build=", 16) == 0) {
            windows_build = atoi(a + 16);
            if (windows_build != 10 && windows_build != 11) {
                fprintf(stderr, "ntrun: --windows-build must be 10 or 11, not '%s'\n", a + 16);
                return 2;
            }
        } else {
            fprintf(stderr, "ntrun: unknown option '%s' (see ntrun --help)\n", a);
            return 2;
        }
    }
    if (i >= argc) {
        usage(stderr);
        return 2;
    }
    const char *exe = argv[i];
    rt_proc.windows_build = windows_build;
    rt_proc.exe_unix_path = exe;
    rt_proc.exe_name = base_name(exe);

    int r = rt_process_init();
    if (r < 0) {
        fprintf(stderr, "ntrun: cannot initialise the runtime: %s\n", strerror(-r));
        return 126;
    }
    if (!rt_proc.sud_available)
        fprintf(stderr, "ntrun: warning: Syscall User Dispatch is not available on this kernel; "
                        "direct system calls from the program will not be emulated\n");
    nt_syscalls_init(windows_build);
    r = thk_init();
    if (r < 0) {
        fprintf(stderr, "ntrun: cannot build the built-in DLLs: %s\n", strerror(-r));
        return 126;
    }
    r = rt_thread_init_current();
    if (r < 0) {
        fprintf(stderr, "ntrun: cannot set up the main thread: %s\n", strerror(-r));
        return 126;
    }

    char err[1024];
    ldr_module *mod = ldr_load_exe(exe, &opts, err, sizeof err);
    if (!mod) {
        fprintf(stderr, "ntrun: %s\n", err);
        return 126;
    }
    rt_set_address_describer(ldr_describe_address);

    thk_startup st = {
        .argc = argc - i,
        .argv = argv + i,
        .envp = environ,
        .exe_path = exe,
        .image_base = ldr_module_base(mod),
    };
    r = thk_process_setup(&st);
    if (r < 0) {
        fprintf(stderr, "ntrun: cannot set up the process environment: %s\n", strerror(-r));
        return 126;
    }
    struct run_args ra = {.mod = mod, .stack_top = rt_thread_alloc_stack(ldr_stack_reserve(mod))};
    if (!ra.stack_top) {
        fprintf(stderr, "ntrun: cannot allocate the program's stack\n");
        return 126;
    }
    uint32_t code = rt_run_process(run_body, &ra);
    return (int)(code & 0xff);
}
