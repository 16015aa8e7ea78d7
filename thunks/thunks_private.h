/* SPDX-License-Identifier: MIT */
/* Private to thunks/. */
#ifndef NTRUN_THUNKS_PRIVATE_H
#define NTRUN_THUNKS_PRIVATE_H

#include "thunks/thunks.h"
#include "ntemu/ntemu.h"

/* The program being run, recorded by thk_process_setup (thunks/kernel32/process.c). */
extern thk_startup thk_startup_info;

/* Per-file parts of thk_process_teardown (teardown.c), for libntrun's repeated runs. */
void crt_io_reset(void);       /* thunks/msvcrt/io.c */
void crt_conio_reset(void);    /* thunks/msvcrt/conio.c */
void crt_stdio_reset(void);    /* thunks/msvcrt/stdio.c */
void crt_startup_reset(void);  /* thunks/msvcrt/startup.c */
void crt_env_reset(void);      /* thunks/msvcrt/env.c */
void ucrt_startup_reset(void); /* thunks/ucrtbase/startup.c */
void ucrt_stdio_reset(void);   /* thunks/ucrtbase/stdio.c */
void ucrt_locale_reset(void);  /* thunks/ucrtbase/locale.c */
void k32_heaps_reset(void);    /* thunks/kernel32/memory.c */
void k32_tls_reset(void);      /* thunks/kernel32/sync.c */
void k32_process_reset(void);  /* thunks/kernel32/process.c */
void k32_ctrl_reset(void);     /* thunks/kernel32/console_ctrl.c */
void k32_dlldir_reset(void);   /* thunks/kernel32/dlldir.c */
void tp_reset(void);           /* thunks/ntdll/threadpool.c */
void u32_reset(void);          /* thunks/user32/message.c: windows, classes, queues */
void etw_reset(void);          /* thunks/ntdll/etw.c */
void thk_missing_reset(void);  /* thunks/builtin.c: the interned missing-import stubs */

/* ---- console control events (thunks/kernel32/console_ctrl.c) ----
 * A built-in's handler in the SetConsoleCtrlHandler list (msvcrt's signal(SIGINT) one), called
 * on the CtrlRoutine thread with the event; nonzero: handled. */
typedef int (*k32_native_ctrl_fn)(uint32_t event);
void k32_ctrl_set_native(k32_native_ctrl_fn fn, bool add);
/* kernel32: PEB->ProcessParameters->CurrentDirectory follows the run's current directory
 * (after nt_cwd_set: SetCurrentDirectory, msvcrt's _chdir). */
void k32_update_peb_cwd(void);
/* Signal handlers and the dispatcher thread: called by thk_process_setup. */
void k32_ctrl_setup(void);
/* SetConsoleCtrlHandler(NULL, TRUE)'s flag (inherited by child processes). */
bool k32_ctrl_c_is_ignored(void);
void k32_ctrl_set_c_ignored(bool ignored);
/* Sends `sig` to the live child processes (group 0: all of them; else the child whose process
 * id is `group`, started with CREATE_NEW_PROCESS_GROUP). False when group names none. */
bool k32_proc_signal_children(int sig, uint32_t group);

/* builtin.c: the export stub (in the first built image that has one) through which foreign
 * code calls the implementation at `impl`; 0 if none. A linear search, for exception
 * dispatch only. */
uintptr_t thk_stub_of_impl(uintptr_t impl);

/* The generic thunk bodies (thunk_asm.S). Generated per-export stubs load the target into
 * %rax and the number of stack slots to copy into %r11, then jump to one of these. */
void thk_f2n_regs(void);  /* no stack arguments to copy */
void thk_f2n_stack(void); /* copies %r11 stack slots */

/* The export table collected from the "thk_exports" linker section. */
extern const thk_export __start_thk_exports[];
extern const thk_export __stop_thk_exports[];

/* Fills the program's buffer with random bytes (getrandom): STATUS_SUCCESS,
 * STATUS_ACCESS_VIOLATION for a bad buffer, or the kernel's error (random.c). */
NTSTATUS thk_random_fill(void *out, size_t len);

#endif
