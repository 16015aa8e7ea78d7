/* ntdll's process-information exports that programs reach by GetProcAddress (Go's runtime
 * resolves both at start-up): RtlGetCurrentPeb and RtlGetNtVersionNumbers. */
#include "thunks/thunks_private.h"

/* The calling process's PEB (TEB->ProcessEnvironmentBlock). */
static void *WINAPI ntdll_RtlGetCurrentPeb(void)
{
    return rt_proc.peb;
}
THK_EXPORT_AS(ntdll, RtlGetCurrentPeb, ntdll_RtlGetCurrentPeb, 0);

/* The version the PEB carries (what GetVersionEx reports, unshimmed); the build number with the
 * top nibble 0xF, as Windows' free builds return it. A NULL pointer is skipped; a bad one is
 * left unwritten. */
static void WINAPI ntdll_RtlGetNtVersionNumbers(uint32_t *major, uint32_t *minor, uint32_t *build)
{
    PEB *peb = rt_proc.peb;
    uint32_t v[3] = {peb && peb->OSMajorVersion ? peb->OSMajorVersion : 10,
                     peb ? peb->OSMinorVersion : 0,
                     (peb && peb->OSBuildNumber ? peb->OSBuildNumber : 19045) | 0xF0000000u};
    uint32_t *out[3] = {major, minor, build};
    for (int i = 0; i < 3; i++)
        if (out[i])
            nt_copy_to_user(out[i], &v[i], sizeof v[i]);
}
THK_EXPORT_AS(ntdll, RtlGetNtVersionNumbers, ntdll_RtlGetNtVersionNumbers, 3);
