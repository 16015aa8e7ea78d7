/* SPDX-License-Identifier: MIT */
/* kernel32 file mappings over ntemu/section.c: CreateFileMappingW/A, OpenFileMappingW/A,
 * MapViewOfFile(Ex), MapViewOfFile3 (kernelbase), UnmapViewOfFile(Ex), FlushViewOfFile. */
#include "thunks/kernel32/kernel32_private.h"

#define K32_FILE_MAP_COPY    0x0001u
#define K32_FILE_MAP_WRITE   0x0002u
#define K32_FILE_MAP_READ    0x0004u
#define K32_FILE_MAP_EXECUTE 0x0020u
#define K32_SEC_ATTRS        0xfff00000u /* SEC_* in CreateFileMapping's flProtect */
#define K32_SECTION_ALL_ACCESS 0x000f001fu
#define K32_STATUS_INVALID_PARAMETER_4 ((NTSTATUS)0xC00000F2)

static BOOL k32_map_bool(NTSTATUS st)
{
    if (st == STATUS_SUCCESS)
        return TRUE;
    thk_set_last_status(st);
    return FALSE;
}

HANDLE WINAPI CreateFileMappingW(HANDLE file, void *sa, DWORD protect, DWORD size_high,
                                 DWORD size_low, const WCHAR *name)
{
    k32_name n;
    HANDLE h = NULL;
    if (!k32_name_w(&n, name))
        return NULL;
    if (k32_sa_inherits(sa))
        n.attr.Attributes |= 0x2u; /* OBJ_INHERIT */
    LARGE_INTEGER size = {.QuadPart = (int64_t)(((uint64_t)size_high << 32) | size_low)};
    uint32_t attrs = protect & K32_SEC_ATTRS;
    NTSTATUS st = NtCreateSection(&h, K32_SECTION_ALL_ACCESS, &n.attr, &size,
                                  protect & ~K32_SEC_ATTRS, attrs,
                                  file == INVALID_HANDLE_VALUE ? NULL : file);
    if (st == K32_STATUS_INVALID_PARAMETER_4 && file == INVALID_HANDLE_VALUE)
        st = STATUS_INVALID_PARAMETER; /* a pagefile section needs a size */
    return k32_created(st, h, &n);
}
THK_EXPORT(kernel32, CreateFileMappingW, 6);

HANDLE WINAPI CreateFileMappingA(HANDLE file, void *sa, DWORD protect, DWORD size_high,
                                 DWORD size_low, const char *name)
{
    k32_name n;
    HANDLE h = NULL;
    if (!k32_name_a(&n, name))
        return NULL;
    if (k32_sa_inherits(sa))
        n.attr.Attributes |= 0x2u; /* OBJ_INHERIT */
    LARGE_INTEGER size = {.QuadPart = (int64_t)(((uint64_t)size_high << 32) | size_low)};
    NTSTATUS st = NtCreateSection(&h, K32_SECTION_ALL_ACCESS, &n.attr, &size,
                                  protect & ~K32_SEC_ATTRS, protect & K32_SEC_ATTRS,
                                  file == INVALID_HANDLE_VALUE ? NULL : file);
    if (st == K32_STATUS_INVALID_PARAMETER_4 && file == INVALID_HANDLE_VALUE)
        st = STATUS_INVALID_PARAMETER;
    return k32_created(st, h, &n);
}
THK_EXPORT(kernel32, CreateFileMappingA, 6);

HANDLE WINAPI CreateFileMappingNumaW(HANDLE file, void *sa, DWORD protect, DWORD size_high,
                                     DWORD size_low, const WCHAR *name, DWORD node)
{
    (void)node;
    return CreateFileMappingW(file, sa, protect, size_high, size_low, name);
}
THK_EXPORT(kernel32, CreateFileMappingNumaW, 7);

HANDLE WINAPI OpenFileMappingW(DWORD access, BOOL inherit, const WCHAR *name)
{
    if (!name) {
        thk_set_last_error(87); /* ERROR_INVALID_PARAMETER */
        return NULL;
    }
    return k32_open_w(NtOpenSection, access, inherit, name);
}
THK_EXPORT(kernel32, OpenFileMappingW, 3);

HANDLE WINAPI OpenFileMappingA(DWORD access, BOOL inherit, const char *name)
{
    if (!name) {
        thk_set_last_error(87);
        return NULL;
    }
    return k32_open_a(NtOpenSection, access, inherit, name);
}
THK_EXPORT(kernel32, OpenFileMappingA, 3);

/* FILE_MAP_* as the view's page protection. */
static uint32_t k32_map_protect(DWORD access)
{
    uint32_t p;
    if (access & K32_FILE_MAP_COPY)
        p = PAGE_WRITECOPY;
    else if (access & K32_FILE_MAP_WRITE)
        p = PAGE_READWRITE;
    else if (access & K32_FILE_MAP_READ)
        p = PAGE_READONLY;
    else
        p = PAGE_NOACCESS;
    if (access & K32_FILE_MAP_EXECUTE)
        p = p == PAGE_WRITECOPY ? PAGE_EXECUTE_WRITECOPY
          : p == PAGE_READWRITE ? PAGE_EXECUTE_READWRITE
                                : PAGE_EXECUTE_READ;
    return p;
}

static void *k32_map_view_in(HANDLE mapping, HANDLE process, uint32_t protect, uint64_t offset,
                             SIZE_T size, void *base)
{
    LARGE_INTEGER off = {.QuadPart = (int64_t)offset};
    SIZE_T view = size;
    NTSTATUS st = NtMapViewOfSection(mapping, process, &base, 0, 0, &off, &view,
                                     1 /* ViewShare */, 0, protect);
    if (st < 0) { /* STATUS_IMAGE_NOT_AT_BASE is a success */
        thk_set_last_status(st);
        return NULL;
    }
    return base;
}

static void *k32_map_view(HANDLE mapping, uint32_t protect, uint64_t offset, SIZE_T size,
                          void *base)
{
    return k32_map_view_in(mapping, NtCurrentProcess(), protect, offset, size, base);
}

void *WINAPI MapViewOfFileEx(HANDLE mapping, DWORD access, DWORD off_high, DWORD off_low,
                             SIZE_T size, void *base)
{
    if (access == 0xf001f) /* FILE_MAP_ALL_ACCESS */
        access = K32_FILE_MAP_WRITE | K32_FILE_MAP_READ;
    return k32_map_view(mapping, k32_map_protect(access),
                        ((uint64_t)off_high << 32) | off_low, size, base);
}
THK_EXPORT(kernel32, MapViewOfFileEx, 6);

void *WINAPI MapViewOfFile(HANDLE mapping, DWORD access, DWORD off_high, DWORD off_low,
                           SIZE_T size)
{
    return MapViewOfFileEx(mapping, access, off_high, off_low, size, NULL);
}
THK_EXPORT(kernel32, MapViewOfFile, 5);

void *WINAPI MapViewOfFileExNuma(HANDLE mapping, DWORD access, DWORD off_high, DWORD off_low,
                                 SIZE_T size, void *base, DWORD node)
{
    (void)node;
    return MapViewOfFileEx(mapping, access, off_high, off_low, size, base);
}
THK_EXPORT(kernel32, MapViewOfFileExNuma, 7);

/* Windows 10 1803+: the view's page protection directly, in this process or a child (its
 * runtime maps it: ntemu/process_remote.c); placeholders (MEM_REPLACE_PLACEHOLDER) and extended
 * parameters are not supported. */
void *WINAPI MapViewOfFile3(HANDLE mapping, HANDLE process, void *base, uint64_t offset,
                            SIZE_T size, ULONG alloc_type, ULONG protect, void *params,
                            ULONG nparams)
{
    (void)params;
    if (nparams || alloc_type & ~0x2000u /* MEM_RESERVE */) {
        thk_set_last_error(87);
        return NULL;
    }
    return k32_map_view_in(mapping, process, protect, offset, size, base);
}
THK_EXPORT(kernelbase, MapViewOfFile3, 9);

/* Windows 10 1703+ (MapViewOfFile2 is an inline over it): a view in `process`. */
void *WINAPI MapViewOfFileNuma2(HANDLE mapping, HANDLE process, uint64_t offset, void *base,
                                SIZE_T size, ULONG alloc_type, ULONG protect, ULONG node)
{
    (void)node;
    if (alloc_type & ~0x2000u /* MEM_RESERVE */) {
        thk_set_last_error(87);
        return NULL;
    }
    return k32_map_view_in(mapping, process, protect, offset, size, base);
}
THK_EXPORT(kernelbase, MapViewOfFileNuma2, 8);

BOOL WINAPI UnmapViewOfFile2(HANDLE process, void *base, ULONG flags)
{
    return k32_map_bool(NtUnmapViewOfSectionEx(process, base, flags));
}
THK_EXPORT(kernelbase, UnmapViewOfFile2, 3);

BOOL WINAPI UnmapViewOfFile(const void *base)
{
    return k32_map_bool(NtUnmapViewOfSection(NtCurrentProcess(), (void *)base));
}
THK_EXPORT(kernel32, UnmapViewOfFile, 1);

BOOL WINAPI UnmapViewOfFileEx(void *base, ULONG flags)
{
    return k32_map_bool(NtUnmapViewOfSectionEx(NtCurrentProcess(), base, flags));
}
THK_EXPORT(kernel32, UnmapViewOfFileEx, 2);

BOOL WINAPI FlushViewOfFile(const void *base, SIZE_T size)
{
    void *b = (void *)base;
    SIZE_T n = size;
    IO_STATUS_BLOCK io;
    return k32_map_bool(NtFlushVirtualMemory(NtCurrentProcess(), &b, &n, &io));
}
THK_EXPORT(kernel32, FlushViewOfFile, 2);
