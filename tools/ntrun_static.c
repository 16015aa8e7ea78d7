/* SPDX-License-Identifier: MIT */
/* Linked into the static-pie ntrun command only (CMakeLists.txt, NTRUN_STATIC_PIE).
 *
 * glibc's start of a static program (_dl_non_dynamic_init) asks _dl_get_origin for the
 * directory of the executable: a readlink("/proc/self/exe") at every start, ~2.7% of the
 * samples of `ntrun hello.exe` (docs/performance.md, twenty-second pass, second round). The
 * answer is only used to expand $ORIGIN in a path given to dlopen or in the main program's
 * RPATH: ntrun has no RPATH and dlopens its optional libraries (Zydis, Nettle, libmspack) by
 * soname. This definition comes first, so libc.a's member (dl-origin.o, which defines nothing
 * else) is not linked; (char *)-1 is glibc's own "origin unknown". A glibc whose start no
 * longer asks, or whose member defines more, fails the link (a duplicate definition), not a run. */
char *_dl_get_origin(void);
char *_dl_get_origin(void) { return (char *)-1; }
