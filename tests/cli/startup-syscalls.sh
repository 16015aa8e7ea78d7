#!/bin/sh
# What `ntrun hello.exe` does not do at start (issue 12): ask NSS for the user name (nscd's
# socket, nsswitch.conf: /etc/passwd is read directly), read the current directory's name more
# than twice (set, then hello's own GetCurrentDirectory: msvcrt's _pgmptr is the loader's name),
# resolve the program's path one component at a time (getcwd and a readlink per component: one getcwd instead),
# read the online CPUs twice, or start a thread (the KUSER_SHARED_DATA updater starts when the
# program reads that page, the console-control dispatcher at the first event: hello does neither);
# nor look for the helper binary of child runs (found when the first child starts), stat the
# program before opening it, or make libntrun's eventfd (made when ntrun_program_fd asks).
# Nor wake a futex nobody waits on (glibc's pthread_once wakes after every first run: start-up's
# once-flags are rt_once), or ask for a signal's action before setting it (SIGHUP's too, twenty-
# fourth pass: the install's old action says whether nohup ignored it), or ask for the thread id
# more than once (rt_gettid keeps it; the first thread's is the process id: none, twenty-fourth
# pass), or ask for the signal mask (the ntrun command's exit jump keeps it: twenty-fourth pass).
# Twenty-fourth pass: no SUD probe (the main thread's arming is it: 2 prctls), the main thread's
# TEB, signal and dispatch stacks and foreign stack in one mmap (3 were): 88 calls -> 80, 15 mmap
# -> 13; the dynamic build's caps lowered by the same (not measured: no dynamic build made).
# And the totals (docs/performance.md, fourteenth, nineteenth, twentieth, twenty-first and
# twenty-second passes): at most 119 system calls besides the C: drive's realpath (a readlink per component of its path: 3 for ~/.ntrun/c;
# since the twenty-fourth pass an openat2 and a close, counted)
# and the madvise calls that make pages present at once (MADV_POPULATE_*: at most 12, one call
# for one or many faults; hello.exe's image no longer populates its last page for one TLB flush
# before its protections, twenty-third pass: 5 mprotect where there were 7 and a madvise; hello.exe's
# headers, sections and .bss in one; two the heap pages recommitted for the first blocks,
# twenty-first pass; two the process heap's segment's first and last page, twenty-second pass;
# twenty-third pass: at most 9, the heap's ends mapped with MAP_POPULATE instead, its first pages
# not recommitted, KUSER_SHARED_DATA's page made at its first read, msvcrt's fd table's first
# page made present before its first write: a start makes 8),
# 28 mmap (the
# loader's small entries share a page: 5 mmaps were 1; a built-in image's export directory and
# code are mapped with their final protections, 3 mmaps for the 9 mprotects and 6 madvises they
# replaced; twenty-third pass: the binary holds each image whole, one mmap and an mprotect
# making its code executable instead of a reservation and 2 mmaps over it; its code holds no per-process address, so a start writes through /proc/self/mem
# only msvcrt's THK_INLINE targets (1 pwrite; the header page, ntdll's fast-route table and
# stubs only when the image or the table is not where the template was made; ntdll's
# fast-route table is mapped from the binary) and 17 mprotect (ntrun links
# without RELRO). A static-pie ntrun (the default build, twenty-second pass: no ld.so mapping
# and relocating libc.so) makes fewer: at most 89 calls, 16 mmap and 11 mprotect (the twenty-third
# pass's three branches together measured 88, 15 and 10, and 9 populate advice: the built-in images'
# code made present by advice, not MAP_POPULATE; the cap is 10), and 17 for
# `ntrun --version` (36 dynamic: ld.so's and libc.so's). Twenty-fourth pass, second round: a built-in
# image mapped read-execute in its one mmap (no mprotect of its code: 3 fewer), 85 calls and 7
# mprotect measured, the caps 86 and 8. Third round: the process heap's first segment mapped
# read-write and its interior made PROT_NONE (an mprotect for two mmaps): 76 calls counted here
# (85 by strace -c), 11 mmap and 8 mprotect measured, the caps 77, 12 and 9. Twenty-fifth pass:
# the program's relocation section left for its first access at the preferred base (its page
# joins the inaccessible DWARF tail: one mprotect fewer), 75 calls and 7 mprotect measured, the
# caps 76 and 8 (the dynamic build's lowered by the same, not measured). Also: the static-pie
# command's break is a region of its .bss (tools/ntrun_static.c), no brk call (5 in a start, 5 in
# --version): 71 calls counted here and 12 for --version, the caps 72 and 13. A change that adds
# calls to every start fails here; lower the ceilings when a change removes some. Then the PEB's page
# and the pool's first page there too (2 mmaps fewer, the pool's also in --version): 69 calls, 9 mmap,
# 11 for --version, the caps 70, 10 and 12. Integrated (twenty-fifth pass, all four branches): 68
# calls, 9 mmap, 7 mprotect, 9 populate, 11 for --version measured; the caps 69, 10, 8, 10 and 12.
# Counts of system calls, not times. Skipped without strace.
# usage: startup-syscalls.sh NTRUN HELLO.EXE
ntrun=$(readlink -f "$1") hello=$2
command -v strace >/dev/null 2>&1 || { echo "skip: no strace"; exit 77; }
log=$(mktemp)
trap 'rm -f "$log"' EXIT
dir=$(cd "$(dirname "$hello")" && pwd -P)
(cd "$dir" && strace -f -qq -o "$log" "$ntrun" "./$(basename "$hello")" >/dev/null) || {
    echo "FAIL: hello did not run under strace"; exit 1; }
fail=0
# the ceilings of a dynamic ntrun (-DNTRUN_STATIC_PIE=OFF) and of a static-pie one
calls=109 mmaps=27 mprotects=13 vcalls=36
brks=99
readelf -lW "$ntrun" 2>/dev/null | grep -q INTERP || calls=69 mmaps=10 mprotects=8 vcalls=12 brks=0
check() { # name, count, max
    if [ "$2" -le "$3" ]; then echo "ok $1: $2"; else echo "FAIL: $1: $2 (at most $3)"; fail=1; fi
}
check "nscd/nsswitch" "$(grep -cE 'nscd|nsswitch' "$log")" 0
# The start's current directory is the process's: its name from one getcwd (nt_cwd_set, twenty-
# second pass), not from /proc; the program's name from one more (its relative path joined to
# it, opened with openat2's RESOLVE_NO_SYMLINKS: twenty-third pass), neither a readlink of its
# fd nor realpath's getcwd and a readlink per component.
check "cwd name reads" "$(grep 'readlink("/proc/self/fd/' "$log" | grep -cF "\"$dir\", ")" 1
check "gettid" "$(grep -cE '^[0-9]+ +gettid\(' "$log")" 0
check "getcwd" "$(grep -c 'getcwd(' "$log")" 2
check "readlinks of /proc/self/fd (the current directory's above; none for the program)" \
    "$(grep -c 'readlink("/proc/self/fd/' "$log")" 1
check "readlinks of the program's path" "$(grep -cF "readlink(\"$dir" "$log")" 0
check "online CPU reads" "$(grep -c '/sys/devices/system/cpu/online' "$log")" 1
check "threads started" "$(grep -cE '^[0-9]+ +clone3?\(' "$log")" 0
check "signal mask calls of the first thread" \
    "$(grep -v -e '^[0-9]* *+++' -e 'resumed>' "$log" | awk 'NR==1{t=$1} $1==t' | grep -c 'rt_sigprocmask')" 3
check "stat/access of ntrun binaries" "$(grep -cE '(stat|statat|access)\(.*/ntrun"' "$log")" 0
check "stats of the program by name" "$(grep -cE "stat(at)?\\(AT_FDCWD, \"[^\"]*$(basename "$hello")\"" "$log")" 0
check "eventfds" "$(grep -c 'eventfd' "$log")" 0
check "futex wakes" "$(grep -c 'FUTEX_WAKE' "$log")" 0
check "signal action queries" "$(grep -cE '^[0-9]+ +rt_sigaction\([A-Z0-9_]+, NULL' "$log")" 0
check "SUD prctls (the main thread's arming; no probe)" \
    "$(grep -c 'PR_SET_SYSCALL_USER_DISPATCH' "$log")" 1
# The standard fds' type and terminal-ness asked once (kernel32's handles; msvcrt's fd table
# takes them from the handle): an fstat each, an ioctl for a character device only.
check "fstat of the standard fds" "$(grep -cE '^[0-9]+ +(newfstatat|fstat)\([012], ' "$log")" 3
check "terminal queries of the standard fds" "$(grep -cE '^[0-9]+ +ioctl\([012], TCGETS' "$log")" 3
# The current directory: its name read once (nt_cwd_set), the PEB's handle a dup of its fd
# (nt_cwd_handle, twenty-third pass; it was opened by name: the path's lstat, NtCreateFile's
# stat and the open).
check "stats of the current directory" "$(grep -cE "stat(at)?\\((AT_FDCWD, )?\"$dir\"" "$log")" 0
check "opens of the current directory by name" "$(grep -cE "openat\\(AT_FDCWD, \"$dir\"" "$log")" 0
check "system calls (without the C: drive's realpath and the populate advice)" \
    "$(grep -v -e '^[0-9]* *+++' -e 'resumed>' -e 'readlink("/[^p]' -e 'readlink("/p[^r]' \
        -e 'MADV_POPULATE_' "$log" | grep -c .)" "$calls"
# The C: drive's real name: one openat2 (RESOLVE_NO_SYMLINKS) and its close when no link is on
# its way, not realpath's readlink per component (twenty-fourth pass; counted in the total above).
check "readlinks of the C: drive's directory" "$(grep -c 'readlink("/[^p]' "$log")" 0
check "pwrite64 (/proc/self/mem: msvcrt's inline targets)" "$(grep -cE '^[0-9]+ +pwrite64\(' "$log")" 1
# twenty-fourth pass, second round: the main thread's TEB and its stack's top populated in two
# calls (the TEB no longer lies right above the stack's top): 10 a start, the cap 11;
# twenty-fifth pass: kernel32's and msvcrt's code no longer populated (their first calls fault
# a 64 KB window each instead): 9 a start (hello.exe of the tests), the cap 10
check "populate advice (each instead of several page faults)" "$(grep -c 'MADV_POPULATE_' "$log")" 10
check "mmap" "$(grep -cE '^[0-9]+ +mmap\(' "$log")" "$mmaps"
check "brk (static-pie: none, the break is in the command's .bss)" "$(grep -cE '^[0-9]+ +brk\(' "$log")" "$brks"
check "mprotect" "$(grep -cE '^[0-9]+ +mprotect\(' "$log")" "$mprotects"
# --version and --help run no program: none of start-up's pages made present for them (the
# populate advice was 4 calls, ~260 KB, for a command that touches few of those pages)
strace -f -qq -o "$log" "$ntrun" --version >/dev/null || { echo "FAIL: ntrun --version"; fail=1; }
check "populate advice of --version" "$(grep -c 'MADV_POPULATE_' "$log")" 0
# ntrun's floor (twenty-second pass): --version is exec, libc's start, a printf and the exit
check "system calls of --version" "$(grep -v -e '^[0-9]* *+++' -e 'resumed>' "$log" | grep -c .)" \
    "$vcalls"
strace -f -qq -o "$log" "$ntrun" --help >/dev/null || { echo "FAIL: ntrun --help"; fail=1; }
check "populate advice of --help" "$(grep -c 'MADV_POPULATE_' "$log")" 0
# the user's name is still found (env_default compares it with GetUserName)
check "passwd opens" "$(grep -c '"/etc/passwd"' "$log")" 1
# The C: drive's directory asked about once, also when it does not exist yet: it was asked again
# for every Linux path made Windows-style, 7 times in hello's start. Its openat2 says ENOENT, as
# realpath would have (a readlink per component up to the first missing one, before the
# twenty-fourth pass).
cdir=$(mktemp -d)
(cd "$dir" && NTRUN_C_DRIVE="$cdir/none/c" strace -f -qq -o "$log" "$ntrun" \
    "./$(basename "$hello")" >/dev/null) || { echo "FAIL: hello did not run (no C: drive)"; fail=1; }
check "readlinks of a C: drive not made yet" "$(grep -c 'readlink("/[^p]' "$log")" 0
check "openat2 of a C: drive not made yet" "$(grep -cF "openat2(AT_FDCWD, \"$cdir/none/c\"" "$log")" 1
rm -rf "$cdir"
exit $fail
