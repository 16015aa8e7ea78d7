/* SPDX-License-Identifier: MIT */
/* NtQueryVirtualMemory(MemoryMappedFilenameInformation): the file behind an address, as
 * MEMORY_SECTION_NAME (a UNICODE_STRING and the name after it) in the device form
 * (\Device\HarddiskVolume3\dir\f.dll, ntemu/object.c). An image's name is the loader's
 * FullDllName of the module mapped at the allocation base (PEB->Ldr, read with fault-safe
 * copies); a view of a file-backed section the file Linux maps there. Private memory is
 * STATUS_FILE_INVALID, free address space STATUS_INVALID_ADDRESS; an output too small for the
 * name STATUS_BUFFER_OVERFLOW with the size needed in ReturnLength, nothing else written. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "ntemu/ntemu_private.h"
#include "runtime/teb.h"

#define NT_STATUS_INVALID_ADDRESS ((NTSTATUS)0xC0000141)
#define NT_STATUS_FILE_INVALID ((NTSTATUS)0xC0000098)
#define NT_LDR_MAX_MODULES 4096

/* The FullDllName of the module at `base` (malloc'd), or NULL. */
static WCHAR *nt_ldr_full_name(uintptr_t base, size_t *n)
{
    PEB *peb = rt_proc.peb;
    PEB_LDR_DATA *ldr;
    if (!peb || nt_copy_from_user(&ldr, &peb->Ldr, sizeof ldr) != 0 || !ldr)
        return NULL;
    LIST_ENTRY *head = &ldr->InLoadOrderModuleList, *link;
    if (nt_copy_from_user(&link, &head->Flink, sizeof link) != 0)
        return NULL;
    for (int i = 0; link && link != head && i < NT_LDR_MAX_MODULES; i++) {
        LDR_DATA_TABLE_ENTRY e;
        if (nt_copy_from_user(&e, link, sizeof e) != 0)
            return NULL;
        if ((uintptr_t)e.DllBase == base && e.FullDllName.Length && e.FullDllName.Buffer) {
            WCHAR *w = malloc(e.FullDllName.Length + sizeof(WCHAR));
            if (!w || nt_copy_from_user(w, e.FullDllName.Buffer, e.FullDllName.Length) != 0) {
                free(w);
                return NULL;
            }
            *n = e.FullDllName.Length / sizeof(WCHAR);
            w[*n] = 0;
            return w;
        }
        link = e.InLoadOrderLinks.Flink;
    }
    return NULL;
}

/* The Linux file mapped at `addr` (/proc/self/maps), malloc'd, or NULL. */
static char *nt_mapped_unix_path(uintptr_t addr)
{
    FILE *fp = fopen("/proc/self/maps", "re");
    char line[4096 + 128], *out = NULL;
    if (!fp)
        return NULL;
    while (!out && fgets(line, sizeof line, fp)) {
        unsigned long start, end;
        int off = 0;
        if (sscanf(line, "%lx-%lx %*s %*x %*x:%*x %*u %n", &start, &end, &off) < 2 || !off)
            continue;
        if (addr < start || addr >= end || line[off] != '/')
            continue;
        line[strcspn(line, "\n")] = 0;
        const char *del = strstr(line + off, " (deleted)");
        out = del ? strndup(line + off, (size_t)(del - (line + off))) : strdup(line + off);
    }
    fclose(fp);
    return out;
}

NTSTATUS nt_query_mapped_filename(HANDLE process, const void *addr, void *info, SIZE_T len,
                                  SIZE_T *ret_len)
{
    if (process != NtCurrentProcess())
        return STATUS_INVALID_HANDLE;
    if (!nt_probe_write(info, len) || (ret_len && !nt_probe_write(ret_len, sizeof *ret_len)))
        return STATUS_ACCESS_VIOLATION;
    MEMORY_BASIC_INFORMATION mbi;
    NTSTATUS st = NtQueryVirtualMemory(process, addr, 0, &mbi, sizeof mbi, NULL);
    if (st != STATUS_SUCCESS)
        return st;
    if (mbi.State == MEM_FREE)
        return NT_STATUS_INVALID_ADDRESS;
    WCHAR *dos = NULL;
    size_t n = 0;
    if (mbi.Type == MEM_IMAGE) {
        dos = nt_ldr_full_name((uintptr_t)mbi.AllocationBase, &n);
    } else if (mbi.Type == MEM_MAPPED) {
        char *unix_path = nt_mapped_unix_path((uintptr_t)addr);
        dos = unix_path ? nt_path_from_unix(unix_path) : NULL;
        n = dos ? nt_wcslen(dos) : 0;
        free(unix_path);
    }
    if (!dos)
        return NT_STATUS_FILE_INVALID;
    size_t chars;
    WCHAR *name = nt_device_path_of_dos(dos, n, &chars);
    free(dos);
    if (!name)
        return STATUS_NO_MEMORY;
    if (chars > 0x7ffe / sizeof(WCHAR))
        chars = 0x7ffe / sizeof(WCHAR);
    SIZE_T need = sizeof(UNICODE_STRING) + (chars + 1) * sizeof(WCHAR);
    if (len < need) {
        free(name);
        if (ret_len && nt_copy_to_user(ret_len, &need, sizeof need) != 0)
            return STATUS_ACCESS_VIOLATION;
        return STATUS_BUFFER_OVERFLOW;
    }
    uint8_t *buf = malloc(need);
    if (!buf) {
        free(name);
        return STATUS_NO_MEMORY;
    }
    UNICODE_STRING us = {.Length = (uint16_t)(chars * sizeof(WCHAR)),
                         .MaximumLength = (uint16_t)((chars + 1) * sizeof(WCHAR)),
                         .Buffer = (WCHAR *)((uint8_t *)info + sizeof us)};
    memcpy(buf, &us, sizeof us);
    memcpy(buf + sizeof us, name, chars * sizeof(WCHAR));
    ((WCHAR *)(buf + sizeof us))[chars] = 0;
    free(name);
    st = nt_copy_to_user(info, buf, need) != 0 ? STATUS_ACCESS_VIOLATION : STATUS_SUCCESS;
    free(buf);
    if (st == STATUS_SUCCESS && ret_len && nt_copy_to_user(ret_len, &need, sizeof need) != 0)
        st = STATUS_ACCESS_VIOLATION;
    return st;
}
