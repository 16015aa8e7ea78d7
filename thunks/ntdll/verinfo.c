/* SPDX-License-Identifier: MIT */
/* Version checks: ntdll's VerSetConditionMask and RtlVerifyVersionInfo, and kernel32's
 * VerifyVersionInfoW/A on top of them (the IsWindows10OrGreater() helpers of versionhelpers.h,
 * Rust's and MSVC's runtime probes). The system compared against is the one GetVersionEx and
 * RtlGetVersion report: the PEB's OSMajorVersion/OSMinorVersion/OSBuildNumber (Windows 10 build
 * 19045 unless --windows-build says otherwise), no service pack, a workstation.
 *
 * The major, minor, service-pack-major and service-pack-minor fields are compared as one
 * hierarchical number with the condition of the most significant field tested, as Windows
 * does (so "10.0 or greater" holds on 11.0); the build number, platform, suite mask and
 * product type are compared on their own. The caller's OSVERSIONINFOEX is read with a
 * fault-safe copy: a bad pointer gives STATUS_ACCESS_VIOLATION (ERROR_NOACCESS). */
#include <stddef.h>
#include <string.h>
#include "thunks/thunks_private.h"

#define VI_VER_MINORVERSION 0x01u
#define VI_VER_MAJORVERSION 0x02u
#define VI_VER_BUILDNUMBER 0x04u
#define VI_VER_PLATFORMID 0x08u
#define VI_VER_SERVICEPACKMINOR 0x10u
#define VI_VER_SERVICEPACKMAJOR 0x20u
#define VI_VER_SUITENAME 0x40u
#define VI_VER_PRODUCT_TYPE 0x80u
#define VI_VER_ALL 0xffu

#define VI_VER_EQUAL 1
#define VI_VER_GREATER 2
#define VI_VER_GREATER_EQUAL 3
#define VI_VER_LESS 4
#define VI_VER_LESS_EQUAL 5
#define VI_VER_AND 6
#define VI_VER_OR 7

#define VI_STATUS_REVISION_MISMATCH ((NTSTATUS)0xC0000059)
#define VI_ERROR_OLD_WIN_VERSION 1150u
#define VI_ERROR_BAD_ARGUMENTS 160u
#define VI_ERROR_NOACCESS 998u

/* The fields of OSVERSIONINFOEXW/A that a check reads (the W and A layouts differ only in
 * szCSDVersion's width, so the tail is at 0x114 or 0x94). */
typedef struct {
    DWORD dwOSVersionInfoSize; /* 0x00 */
    DWORD dwMajorVersion;      /* 0x04 */
    DWORD dwMinorVersion;      /* 0x08 */
    DWORD dwBuildNumber;       /* 0x0c */
    DWORD dwPlatformId;        /* 0x10 */
} vi_head;
_Static_assert(offsetof(vi_head, dwPlatformId) == 0x10, "OSVERSIONINFOEX head");

typedef struct {
    WORD wServicePackMajor; /* 0x114 (W) / 0x94 (A) */
    WORD wServicePackMinor; /* +0x02 */
    WORD wSuiteMask;        /* +0x04 */
    BYTE wProductType;      /* +0x06 */
    BYTE wReserved;         /* +0x07 */
} vi_tail;
_Static_assert(sizeof(vi_tail) == 8, "OSVERSIONINFOEX tail");

#define VI_TAIL_W 0x114
#define VI_TAIL_A 0x94

typedef struct {
    vi_head head;
    vi_tail tail;
} vi_info;

/* Windows keeps 3 bits per type in the mask, the product type highest. */
static unsigned vi_slot(DWORD type)
{
    static const DWORD order[] = {VI_VER_MINORVERSION, VI_VER_MAJORVERSION, VI_VER_BUILDNUMBER,
                                  VI_VER_PLATFORMID,   VI_VER_SERVICEPACKMINOR,
                                  VI_VER_SERVICEPACKMAJOR, VI_VER_SUITENAME,
                                  VI_VER_PRODUCT_TYPE};
    for (unsigned i = 8; i-- > 0;)
        if (type & order[i])
            return i;
    return 0;
}

ULONGLONG WINAPI VerSetConditionMask(ULONGLONG mask, DWORD type, BYTE condition)
{
    condition &= 7;
    if (!type || !condition)
        return mask;
    return mask | ((ULONGLONG)condition << (3 * vi_slot(type)));
}
THK_EXPORT(ntdll, VerSetConditionMask, 3);

static unsigned vi_cond(ULONGLONG mask, DWORD type) { return (mask >> (3 * vi_slot(type))) & 7; }

/* cmp: <0, 0, >0 for system below, equal to, above the value asked for. */
static bool vi_holds(int cmp, unsigned cond)
{
    switch (cond) {
    case VI_VER_EQUAL: return cmp == 0;
    case VI_VER_GREATER: return cmp > 0;
    case VI_VER_GREATER_EQUAL: return cmp >= 0;
    case VI_VER_LESS: return cmp < 0;
    case VI_VER_LESS_EQUAL: return cmp <= 0;
    default: return false;
    }
}

static int vi_cmp(DWORD sys, DWORD want) { return sys < want ? -1 : sys > want; }

static void vi_system(vi_info *s)
{
    PEB *peb = rt_proc.peb;
    memset(s, 0, sizeof *s);
    s->head.dwMajorVersion = peb && peb->OSMajorVersion ? peb->OSMajorVersion : 10;
    s->head.dwMinorVersion = peb ? peb->OSMinorVersion : 0;
    s->head.dwBuildNumber = peb && peb->OSBuildNumber ? peb->OSBuildNumber : 19045;
    s->head.dwPlatformId = 2;       /* VER_PLATFORM_WIN32_NT */
    s->tail.wSuiteMask = 0x100;     /* VER_SUITE_SINGLEUSERTS */
    s->tail.wProductType = 1;       /* VER_NT_WORKSTATION */
}

static NTSTATUS vi_verify(const vi_info *w, DWORD type, ULONGLONG mask)
{
    vi_info s;
    if (!(type & VI_VER_ALL) || !mask)
        return STATUS_INVALID_PARAMETER;
    vi_system(&s);

    /* major.minor.spmajor.spminor as one number, most significant tested field's condition */
    static const DWORD hier[] = {VI_VER_MAJORVERSION, VI_VER_MINORVERSION,
                                 VI_VER_SERVICEPACKMAJOR, VI_VER_SERVICEPACKMINOR};
    DWORD sysv[4] = {s.head.dwMajorVersion, s.head.dwMinorVersion, s.tail.wServicePackMajor,
                     s.tail.wServicePackMinor};
    DWORD want[4] = {w->head.dwMajorVersion, w->head.dwMinorVersion, w->tail.wServicePackMajor,
                     w->tail.wServicePackMinor};
    unsigned cond = 0;
    int cmp = 0;
    for (unsigned i = 0; i < 4; i++) {
        if (!(type & hier[i]))
            continue;
        if (!cond)
            cond = vi_cond(mask, hier[i]);
        if (!cmp)
            cmp = vi_cmp(sysv[i], want[i]);
    }
    if (cond && !vi_holds(cmp, cond))
        return VI_STATUS_REVISION_MISMATCH;
    if (type & VI_VER_BUILDNUMBER) {
        if (!vi_holds(vi_cmp(s.head.dwBuildNumber, w->head.dwBuildNumber),
                      vi_cond(mask, VI_VER_BUILDNUMBER)))
            return VI_STATUS_REVISION_MISMATCH;
    }
    if (type & VI_VER_PLATFORMID) {
        if (!vi_holds(vi_cmp(s.head.dwPlatformId, w->head.dwPlatformId),
                      vi_cond(mask, VI_VER_PLATFORMID)))
            return VI_STATUS_REVISION_MISMATCH;
    }
    if (type & VI_VER_PRODUCT_TYPE) {
        if (!vi_holds(vi_cmp(s.tail.wProductType, w->tail.wProductType),
                      vi_cond(mask, VI_VER_PRODUCT_TYPE)))
            return VI_STATUS_REVISION_MISMATCH;
    }
    if (type & VI_VER_SUITENAME) {
        unsigned c = vi_cond(mask, VI_VER_SUITENAME);
        WORD have = s.tail.wSuiteMask & w->tail.wSuiteMask;
        if (c == VI_VER_AND ? have != w->tail.wSuiteMask
                            : c == VI_VER_OR ? have == 0 && w->tail.wSuiteMask : true)
            return VI_STATUS_REVISION_MISMATCH;
    }
    return STATUS_SUCCESS;
}

/* Reads the caller's structure: its head, and the tail where its size says it is. */
static NTSTATUS vi_read(const void *info, size_t tail_at, vi_info *w)
{
    memset(w, 0, sizeof *w);
    if (!info || rt_safe_copy(&w->head, info, sizeof w->head))
        return STATUS_ACCESS_VIOLATION;
    if (w->head.dwOSVersionInfoSize >= tail_at + sizeof w->tail &&
        rt_safe_copy(&w->tail, (const char *)info + tail_at, sizeof w->tail))
        return STATUS_ACCESS_VIOLATION;
    return STATUS_SUCCESS;
}

NTSTATUS WINAPI RtlVerifyVersionInfo(const void *info, DWORD type, ULONGLONG mask)
{
    vi_info w;
    NTSTATUS st = vi_read(info, VI_TAIL_W, &w);
    return st ? st : vi_verify(&w, type, mask);
}
THK_EXPORT(ntdll, RtlVerifyVersionInfo, 3);

static BOOL vi_result(NTSTATUS st)
{
    if (st == STATUS_SUCCESS)
        return 1;
    thk_set_last_error(st == VI_STATUS_REVISION_MISMATCH ? VI_ERROR_OLD_WIN_VERSION
                       : st == STATUS_ACCESS_VIOLATION   ? VI_ERROR_NOACCESS
                                                         : VI_ERROR_BAD_ARGUMENTS);
    return 0;
}

BOOL WINAPI VerifyVersionInfoW(void *info, DWORD type, ULONGLONG mask)
{
    return vi_result(RtlVerifyVersionInfo(info, type, mask));
}
THK_EXPORT(kernel32, VerifyVersionInfoW, 3);

BOOL WINAPI VerifyVersionInfoA(void *info, DWORD type, ULONGLONG mask)
{
    vi_info w;
    NTSTATUS st = vi_read(info, VI_TAIL_A, &w);
    return vi_result(st ? st : vi_verify(&w, type, mask));
}
THK_EXPORT(kernel32, VerifyVersionInfoA, 3);
