/* SPDX-License-Identifier: MIT */
/* ntrun: run a Windows x86-64 console program. A thin client of libntrun (include/ntrun.h).
 *   ntrun [options] program[.exe] [args...]   (ntrun(1), docs/ntrun.1) */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "ntrun.h"
#include "lib/lib_private.h" /* lib_child_main: the child mode of libntrun's ntrun_spawn */

static void usage(FILE *f)
{
    fprintf(f,
            "usage: ntrun [options] program[.exe] [args...]\n"
            "Runs a Windows x86-64 console program on Linux.\n"
            "\n"
            "options:\n"
            "  --strict               refuse to start when an import is missing (lists them all)\n"
            "  --trace=LIST           trace to stderr; LIST is a comma-separated list of\n"
            "                         loader, nt, sud, time, all\n"
            "  --windows-build=N      system-call numbering: 10 (Windows 10 22H2, default)\n"
            "                         or 11 (Windows 11 24H2)\n"
"  --sud=MODE             how the program's own system calls are trapped: auto\n"
            "                         (default: Syscall User Dispatch, Linux 5.11+, else a\n"
            "                         seccomp filter), require (SUD or refuse to run), seccomp\n"
            "                         (the filter even where SUD works), inclusive (SUD's\n"
            "                         inclusive mode, Linux 6.17+: all foreign code in one\n"
            "                         range, native system calls never looked at; else, said\n"
            "                         on stderr, the default)\n"
            "  --no-rewrite           keep every system call of the program on the trap path\n"
            "                         (no rewriting of its `syscall` sites: for programs that\n"
            "                         checksum their own code)\n"
            "  --dll-path=DIRS        colon-separated directories searched for foreign DLLs\n"
            "                         (after the program's directory and the current one)\n"
            "  -h, --help             this text\n"
            "  --version              the version\n"
            "  --                     the next argument is the program, even if it starts\n"
            "                         with '-'\n"
            "\n"
            "The program may be a Linux or a Windows path (C:\\dir\\prog.exe, Z:\\tmp\\x.exe);\n"
            "\".exe\" may be left out. Environment: NTRUN_TRACE (trace channels, as --trace),\n"
            "NTRUN_DLL_PATH (more DLL directories), NTRUN_C_DRIVE (drive C:, default\n"
            "~/.ntrun/c), NTRUN_RELOCATE=always (move every image off its preferred base).\n"
            "See ntrun(1).\n"
            "\n"
            "The exit status is the program's exit code (low 8 bits). ntrun's own failures:\n"
            "2 for a usage error, 126 when the program cannot be loaded.\n");
}

int main(int argc, char **argv)
{
    if (argc > 1 && strcmp(argv[1], LIB_CHILD_MODE) == 0)
        return lib_child_main(argc, argv);
    lib_set_one_run_process(); /* one program, then the process ends: no full teardown */
    int err = lib_cli_message_fd(); /* 2, or a CreateProcess child's parent's */
    ntrun_config *cfg = ntrun_config_new();
    if (!cfg) {
        fprintf(stderr, "ntrun: out of memory\n");
        return 126;
    }
    const char *trace = getenv("NTRUN_TRACE");
    int status = 2;
    int i = 1;
    for (; i < argc; i++) {
        const char *a = argv[i];
        if (a[0] != '-' || a[1] == 0) /* "-" alone is a file name */
            break;
        if (strcmp(a, "--") == 0) {
            i++;
            break;
        } else if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            usage(stdout);
            status = 0;
            goto out;
        } else if (strcmp(a, "--version") == 0) {
            printf("ntrun %s\n", ntrun_version());
            status = 0;
            goto out;
        } else if (strcmp(a, "--strict") == 0) {
            ntrun_config_set_strict(cfg, true);
        } else if (strncmp(a, "--trace=", 8) == 0) {
            if (ntrun_config_set_trace(cfg, a + 8) != NTRUN_OK)
                goto bad_option;
            trace = NULL;
        } else if (strncmp(a, "--windows-build=", 16) == 0) {
            if (ntrun_config_set_windows_build(cfg, atoi(a + 16)) != NTRUN_OK) {
                fprintf(stderr, "ntrun: --windows-build must be 10 or 11, not '%s'\n", a + 16);
                goto out;
            }
        } else if (strncmp(a, "--sud=", 6) == 0) {
            const char *m = a + 6;
            ntrun_syscall_trap how = strcmp(m, "auto") == 0      ? NTRUN_TRAP_AUTO
                                     : strcmp(m, "require") == 0 ? NTRUN_TRAP_SUD
                                     : strcmp(m, "seccomp") == 0 ? NTRUN_TRAP_SECCOMP
                                     : strcmp(m, "inclusive") == 0 ? NTRUN_TRAP_SUD_INCLUSIVE
                                                                 : (ntrun_syscall_trap)-1;
            if ((int)how < 0) {
                fprintf(stderr, "ntrun: --sud must be auto, require, seccomp or inclusive, "
                        "not '%s'\n", m);
                goto out;
            }
            ntrun_config_set_syscall_trap(cfg, how);
        } else if (strcmp(a, "--no-rewrite") == 0) {
            ntrun_config_set_rewrite_syscalls(cfg, false);
        } else if (strncmp(a, "--dll-path=", 11) == 0) {
            if (ntrun_config_set_dll_path(cfg, a + 11) != NTRUN_OK)
                goto bad_option;
        } else {
            fprintf(stderr, "ntrun: unknown option '%s' (see ntrun --help)\n", a);
            goto out;
        }
    }
    if (i >= argc) {
        usage(stderr);
        goto out;
    }
    lib_cli_program_ahead(); /* start-up's pages present: not for --version or --help */
    if (trace && *trace)
        ntrun_config_set_trace(cfg, trace); /* NTRUN_TRACE: a bad word is ignored */
    const char *exe = argv[i];
    ntrun_config_set_argv(cfg, argc - i, (const char *const *)argv + i);

    ntrun_program *prog;
    if (ntrun_load(cfg, exe, &prog) != NTRUN_OK) {
        dprintf(err, "ntrun: %s\n", ntrun_error_message());
        status = 126;
        goto out;
    }
    fflush(stdout); /* the program writes to fd 1 directly */
    uint32_t code = 0;
    if (ntrun_run(prog, &code) != NTRUN_OK) {
        dprintf(err, "ntrun: %s\n", ntrun_error_message());
        code = 126;
    }
    ntrun_program_free(prog);
    status = (int)(code & 0xff);
    goto out;

bad_option:
    dprintf(err, "ntrun: %s\n", ntrun_error_message());
out:
    ntrun_config_free(cfg);
    return status;
}
