/* SPDX-License-Identifier: MIT */
/* Tool Help snapshots: CreateToolhelp32Snapshot and the Process32/Thread32/Module32 walks.
 *
 * As on Windows (and Wine), a snapshot is a pagefile-backed section: CloseHandle closes it,
 * DuplicateHandle shares it, and the walk position lives in the section, so every handle to one
 * snapshot shares it. The section holds a header, then the process, thread and module entries in
 * their UTF-16 forms; the A functions convert.
 *
 * Processes and threads come from NtQuerySystemInformation(SystemProcessInformation), so a
 * program that looks both ways sees the same list; modules from PEB->Ldr's load-order list (the
 * program, ntdll.dll, kernel32.dll, the other built-ins, the foreign DLLs), which is what the
 * loader keeps for Windows code to walk. Only the current process's modules can be listed. */
#include <stdlib.h>
#include <string.h>
#include "kernel32_private.h"
#include "runtime/runtime.h"
#include "runtime/teb.h"

DWORD WINAPI GetCurrentProcessId(void); /* process.c */

#define TH32CS_SNAPHEAPLIST 0x00000001
#define TH32CS_SNAPPROCESS 0x00000002
#define TH32CS_SNAPTHREAD 0x00000004
#define TH32CS_SNAPMODULE 0x00000008
#define TH32CS_SNAPMODULE32 0x00000010
#define TH32CS_INHERIT 0x80000000
#define TH_ERROR_BAD_LENGTH 24
#define TH_ERROR_NO_MORE_FILES 18
#define TH_SECTION_ALL_ACCESS 0x000f001f
#define TH_PAGE_READWRITE 0x04
#define TH_SEC_COMMIT 0x08000000
#define TH_VIEW_SHARE 1
#define TH_SYSTEM_PROCESS_INFORMATION 5
#define TH_CURRENT_PROCESS ((HANDLE)(intptr_t)-1)

typedef struct {
    DWORD dwSize;               /* 0x00 */
    DWORD cntUsage;             /* 0x04 */
    DWORD th32ProcessID;        /* 0x08 */
    ULONG_PTR th32DefaultHeapID; /* 0x10 */
    DWORD th32ModuleID;         /* 0x18 */
    DWORD cntThreads;           /* 0x1c */
    DWORD th32ParentProcessID;  /* 0x20 */
    int32_t pcPriClassBase;     /* 0x24 */
    DWORD dwFlags;              /* 0x28 */
    WCHAR szExeFile[MAX_PATH];  /* 0x2c */
} PROCESSENTRY32W;
_Static_assert(offsetof(PROCESSENTRY32W, th32DefaultHeapID) == 0x10, "PE32W.th32DefaultHeapID");
_Static_assert(offsetof(PROCESSENTRY32W, szExeFile) == 0x2c, "PE32W.szExeFile");
_Static_assert(sizeof(PROCESSENTRY32W) == 0x238, "PROCESSENTRY32W");

typedef struct {
    DWORD dwSize;               /* 0x00 */
    DWORD cntUsage;             /* 0x04 */
    DWORD th32ProcessID;        /* 0x08 */
    ULONG_PTR th32DefaultHeapID; /* 0x10 */
    DWORD th32ModuleID;         /* 0x18 */
    DWORD cntThreads;           /* 0x1c */
    DWORD th32ParentProcessID;  /* 0x20 */
    int32_t pcPriClassBase;     /* 0x24 */
    DWORD dwFlags;              /* 0x28 */
    char szExeFile[MAX_PATH];   /* 0x2c */
} PROCESSENTRY32;
_Static_assert(sizeof(PROCESSENTRY32) == 0x130, "PROCESSENTRY32");

typedef struct {
    DWORD dwSize;             /* 0x00 */
    DWORD cntUsage;           /* 0x04 */
    DWORD th32ThreadID;       /* 0x08 */
    DWORD th32OwnerProcessID; /* 0x0c */
    int32_t tpBasePri;        /* 0x10 */
    int32_t tpDeltaPri;       /* 0x14 */
    DWORD dwFlags;            /* 0x18 */
} THREADENTRY32;
_Static_assert(sizeof(THREADENTRY32) == 0x1c, "THREADENTRY32");

typedef struct {
    DWORD dwSize;           /* 0x000 */
    DWORD th32ModuleID;     /* 0x004 */
    DWORD th32ProcessID;    /* 0x008 */
    DWORD GlblcntUsage;     /* 0x00c */
    DWORD ProccntUsage;     /* 0x010 */
    uint8_t *modBaseAddr;   /* 0x018 */
    DWORD modBaseSize;      /* 0x020 */
    HMODULE hModule;        /* 0x028 */
    WCHAR szModule[256];    /* 0x030 */
    WCHAR szExePath[MAX_PATH]; /* 0x230 */
} MODULEENTRY32W;
_Static_assert(offsetof(MODULEENTRY32W, modBaseAddr) == 0x18, "ME32W.modBaseAddr");
_Static_assert(offsetof(MODULEENTRY32W, szExePath) == 0x230, "ME32W.szExePath");
_Static_assert(sizeof(MODULEENTRY32W) == 0x438, "MODULEENTRY32W");

typedef struct {
    DWORD dwSize;           /* 0x000 */
    DWORD th32ModuleID;     /* 0x004 */
    DWORD th32ProcessID;    /* 0x008 */
    DWORD GlblcntUsage;     /* 0x00c */
    DWORD ProccntUsage;     /* 0x010 */
    uint8_t *modBaseAddr;   /* 0x018 */
    DWORD modBaseSize;      /* 0x020 */
    HMODULE hModule;        /* 0x028 */
    char szModule[256];     /* 0x030 */
    char szExePath[MAX_PATH]; /* 0x130 */
} MODULEENTRY32;
_Static_assert(offsetof(MODULEENTRY32, szExePath) == 0x130, "ME32.szExePath");
_Static_assert(sizeof(MODULEENTRY32) == 0x238, "MODULEENTRY32");

/* NtQuerySystemInformation(SystemProcessInformation)'s records, the fields read here. */
typedef struct {
    uint32_t NextEntryOffset;    /* 0x00 */
    uint32_t NumberOfThreads;    /* 0x04 */
    uint8_t pad08[0x38 - 0x08];
    UNICODE_STRING ImageName;    /* 0x38 */
    int32_t BasePriority;        /* 0x48 */
    uint32_t pad4c;
    ULONG_PTR UniqueProcessId;   /* 0x50 */
    ULONG_PTR InheritedFromUniqueProcessId; /* 0x58 */
    uint8_t pad60[0x100 - 0x60];
} th_proc_info;
_Static_assert(offsetof(th_proc_info, ImageName) == 0x38, "SPI.ImageName");
_Static_assert(offsetof(th_proc_info, UniqueProcessId) == 0x50, "SPI.UniqueProcessId");
_Static_assert(sizeof(th_proc_info) == 0x100, "SYSTEM_PROCESS_INFORMATION");

typedef struct {
    uint8_t pad00[0x28];
    CLIENT_ID ClientId;     /* 0x28 */
    int32_t Priority;       /* 0x38 */
    int32_t BasePriority;   /* 0x3c */
    uint8_t pad40[0x50 - 0x40];
} th_thread_info;
_Static_assert(offsetof(th_thread_info, ClientId) == 0x28, "STI.ClientId");
_Static_assert(sizeof(th_thread_info) == 0x50, "SYSTEM_THREAD_INFORMATION");

/* The section's header: counts, walk positions and where each array starts. */
typedef struct {
    uint32_t nproc, proc_pos;
    uint32_t nthread, thread_pos;
    uint32_t nmod, mod_pos;
    uint32_t proc_off, thread_off, mod_off;
} th_header;

/* The SystemProcessInformation list in a malloc'd buffer, NULL with the last error set. */
static uint8_t *th_query_processes(void)
{
    uint32_t len = 0x4000;
    for (;;) {
        uint8_t *buf = malloc(len);
        if (!buf) {
            thk_set_last_error(ERROR_NOT_ENOUGH_MEMORY);
            return NULL;
        }
        uint32_t need = 0;
        NTSTATUS st = NtQuerySystemInformation(TH_SYSTEM_PROCESS_INFORMATION, buf, len, &need);
        if (st == STATUS_SUCCESS)
            return buf;
        free(buf);
        if (st != STATUS_INFO_LENGTH_MISMATCH || need <= len) {
            thk_set_last_status(st);
            return NULL;
        }
        len = need + 0x1000;
    }
}

static void th_copy_name(WCHAR *dst, size_t cap, const WCHAR *src, size_t len)
{
    if (len >= cap)
        len = cap - 1;
    if (src && len)
        memcpy(dst, src, len * sizeof *dst);
    dst[len] = 0;
}

static const LIST_ENTRY *th_module_head(void)
{
    PEB *peb = rt_proc.peb;
    return peb && peb->Ldr ? &peb->Ldr->InLoadOrderModuleList : NULL;
}

HANDLE WINAPI CreateToolhelp32Snapshot(DWORD flags, DWORD pid)
{
    DWORD self = GetCurrentProcessId();
    bool want_mod = flags & (TH32CS_SNAPMODULE | TH32CS_SNAPMODULE32);
    bool want_proc = flags & TH32CS_SNAPPROCESS, want_thread = flags & TH32CS_SNAPTHREAD;
    if (pid == 0)
        pid = self; /* "the current process" for the module and heap lists */
    uint8_t *procs = NULL;
    uint32_t nproc = 0, nthread = 0, nmod = 0;
    bool pid_known = pid == self;
    if (want_proc || want_thread || (want_mod && !pid_known)) {
        if (!(procs = th_query_processes()))
            return INVALID_HANDLE_VALUE;
        for (th_proc_info *p = (th_proc_info *)procs;;
             p = (th_proc_info *)((uint8_t *)p + p->NextEntryOffset)) {
            nproc++;
            nthread += p->NumberOfThreads;
            pid_known |= p->UniqueProcessId == pid;
            if (!p->NextEntryOffset)
                break;
        }
    }
    if (want_mod) {
        if (!pid_known) {
            free(procs);
            thk_set_last_error(ERROR_INVALID_PARAMETER);
            return INVALID_HANDLE_VALUE;
        }
        if (pid != self) { /* System, Idle: no user-mode modules to read */
            free(procs);
            thk_set_last_error(ERROR_ACCESS_DENIED);
            return INVALID_HANDLE_VALUE;
        }
        const LIST_ENTRY *head = th_module_head();
        for (const LIST_ENTRY *e = head ? head->Flink : NULL; e && e != head; e = e->Flink)
            nmod++;
    }
    if (!want_proc)
        nproc = 0;
    if (!want_thread)
        nthread = 0;

    th_header h = {0};
    h.proc_off = (sizeof h + 7) & ~7u;
    h.thread_off = h.proc_off + (want_proc ? nproc : 0) * (uint32_t)sizeof(PROCESSENTRY32W);
    h.mod_off = h.thread_off + (want_thread ? nthread : 0) * (uint32_t)sizeof(THREADENTRY32);
    h.mod_off = (h.mod_off + 7) & ~7u;
    size_t total = h.mod_off + (size_t)nmod * sizeof(MODULEENTRY32W);
    LARGE_INTEGER size = {.QuadPart = (int64_t)total};
    HANDLE sec = NULL;
    NTSTATUS st = NtCreateSection(&sec, TH_SECTION_ALL_ACCESS, NULL, &size, TH_PAGE_READWRITE,
                                  TH_SEC_COMMIT, NULL);
    uint8_t *view = NULL;
    SIZE_T view_size = 0;
    if (st == STATUS_SUCCESS)
        st = NtMapViewOfSection(sec, TH_CURRENT_PROCESS, (void **)&view, 0, 0, NULL, &view_size,
                                TH_VIEW_SHARE, 0, TH_PAGE_READWRITE);
    if (st != STATUS_SUCCESS) {
        if (sec)
            NtClose(sec);
        free(procs);
        thk_set_last_status(st);
        return INVALID_HANDLE_VALUE;
    }

    PROCESSENTRY32W *pe = (PROCESSENTRY32W *)(view + h.proc_off);
    THREADENTRY32 *te = (THREADENTRY32 *)(view + h.thread_off);
    if (procs && (want_proc || want_thread)) {
        for (th_proc_info *p = (th_proc_info *)procs;;
             p = (th_proc_info *)((uint8_t *)p + p->NextEntryOffset)) {
            if (want_proc) {
                pe->dwSize = sizeof *pe;
                pe->th32ProcessID = (DWORD)p->UniqueProcessId;
                pe->cntThreads = p->NumberOfThreads;
                pe->th32ParentProcessID = (DWORD)p->InheritedFromUniqueProcessId;
                pe->pcPriClassBase = p->BasePriority;
                if (p->UniqueProcessId == 0)
                    th_copy_name(pe->szExeFile, MAX_PATH, u"[System Process]", 16);
                else
                    th_copy_name(pe->szExeFile, MAX_PATH, p->ImageName.Buffer,
                                 p->ImageName.Length / 2);
                h.nproc++;
                pe++;
            }
            if (want_thread) {
                const th_thread_info *ti = (const th_thread_info *)(p + 1);
                for (uint32_t i = 0; i < p->NumberOfThreads; i++, te++) {
                    te->dwSize = sizeof *te;
                    te->th32ThreadID = (DWORD)(uintptr_t)ti[i].ClientId.UniqueThread;
                    te->th32OwnerProcessID = (DWORD)p->UniqueProcessId;
                    te->tpBasePri = ti[i].BasePriority;
                    te->tpDeltaPri = ti[i].Priority - ti[i].BasePriority;
                    h.nthread++;
                }
            }
            if (!p->NextEntryOffset)
                break;
        }
    }
    if (nmod) {
        MODULEENTRY32W *me = (MODULEENTRY32W *)(view + h.mod_off);
        const LIST_ENTRY *head = th_module_head();
        for (const LIST_ENTRY *e = head->Flink; e != head && h.nmod < nmod; e = e->Flink) {
            const LDR_DATA_TABLE_ENTRY *l = (const LDR_DATA_TABLE_ENTRY *)e;
            me->dwSize = sizeof *me;
            me->th32ModuleID = 1; /* as Windows: no longer meaningful */
            me->th32ProcessID = pid;
            me->GlblcntUsage = me->ProccntUsage = l->ObsoleteLoadCount;
            me->modBaseAddr = l->DllBase;
            me->modBaseSize = l->SizeOfImage;
            me->hModule = l->DllBase;
            th_copy_name(me->szModule, 256, l->BaseDllName.Buffer, l->BaseDllName.Length / 2);
            th_copy_name(me->szExePath, MAX_PATH, l->FullDllName.Buffer,
                         l->FullDllName.Length / 2);
            h.nmod++;
            me++;
        }
    }
    memcpy(view, &h, sizeof h);
    free(procs);
    NtUnmapViewOfSection(TH_CURRENT_PROCESS, view);
    if (flags & TH32CS_INHERIT)
        nt_handle_set_inherit(sec, true);
    return sec;
}
THK_EXPORT(kernel32, CreateToolhelp32Snapshot, 2);

/* ---- the walks ---- */
enum th_list { TH_PROC, TH_THREAD, TH_MOD };

/* Copies entry `first ? 0 : pos` of list `which` of snapshot `snap` to `out` (the UTF-16 /
 * native form, `size` bytes), advancing the position. FALSE with the last error set. */
static BOOL th_next(HANDLE snap, enum th_list which, bool first, void *out, size_t size)
{
    uint8_t *view = NULL;
    SIZE_T view_size = 0;
    NTSTATUS st = NtMapViewOfSection(snap, TH_CURRENT_PROCESS, (void **)&view, 0, 0, NULL,
                                     &view_size, TH_VIEW_SHARE, 0, TH_PAGE_READWRITE);
    if (st != STATUS_SUCCESS) {
        thk_set_last_error(ERROR_INVALID_HANDLE);
        return FALSE;
    }
    th_header *h = (th_header *)view;
    uint32_t *pos = which == TH_PROC ? &h->proc_pos : which == TH_THREAD ? &h->thread_pos
                                                                          : &h->mod_pos;
    uint32_t n = which == TH_PROC ? h->nproc : which == TH_THREAD ? h->nthread : h->nmod;
    uint32_t off = which == TH_PROC ? h->proc_off : which == TH_THREAD ? h->thread_off
                                                                        : h->mod_off;
    BOOL ok = FALSE;
    if (first)
        *pos = 0;
    if (view_size < sizeof *h || (size_t)off + (size_t)n * size > view_size) {
        thk_set_last_error(ERROR_INVALID_HANDLE); /* not a snapshot */
    } else if (*pos >= n) {
        thk_set_last_error(TH_ERROR_NO_MORE_FILES);
    } else {
        memcpy(out, view + off + (size_t)*pos * size, size);
        (*pos)++;
        ok = TRUE;
    }
    NtUnmapViewOfSection(TH_CURRENT_PROCESS, view);
    return ok;
}

/* The caller's dwSize must be at least the structure's; its other fields are written. */
static bool th_check_size(const void *entry, size_t need)
{
    DWORD size;
    if (!entry || nt_copy_from_user(&size, entry, sizeof size) != 0) {
        thk_set_last_error(ERROR_INVALID_PARAMETER);
        return false;
    }
    if (size < need) {
        thk_set_last_error(TH_ERROR_BAD_LENGTH);
        return false;
    }
    return true;
}

/* The next entry of a list, copied whole but for the caller's dwSize (every entry's first
 * field): PROCESSENTRY32W, THREADENTRY32 and MODULEENTRY32W alike. */
static BOOL th_entry(HANDLE snap, enum th_list which, bool first, void *out, size_t size)
{
    union {
        PROCESSENTRY32W p;
        THREADENTRY32 t;
        MODULEENTRY32W m;
    } e;
    if (!th_check_size(out, size) || !th_next(snap, which, first, &e, size))
        return FALSE;
    memcpy((uint8_t *)out + sizeof(DWORD), (uint8_t *)&e + sizeof(DWORD), size - sizeof(DWORD));
    return TRUE;
}

static BOOL th_process_w(HANDLE snap, PROCESSENTRY32W *out, bool first)
{
    return th_entry(snap, TH_PROC, first, out, sizeof *out);
}

static BOOL th_process_a(HANDLE snap, PROCESSENTRY32 *out, bool first)
{
    if (!th_check_size(out, sizeof *out))
        return FALSE;
    PROCESSENTRY32W e;
    if (!th_next(snap, TH_PROC, first, &e, sizeof e))
        return FALSE;
    DWORD size = out->dwSize;
    memcpy(out, &e, offsetof(PROCESSENTRY32, szExeFile));
    out->dwSize = size;
    WideCharToMultiByte(0, 0, e.szExeFile, -1, out->szExeFile, MAX_PATH, NULL, NULL);
    out->szExeFile[MAX_PATH - 1] = 0;
    return TRUE;
}

BOOL WINAPI Process32FirstW(HANDLE snap, PROCESSENTRY32W *e) { return th_process_w(snap, e, true); }
THK_EXPORT(kernel32, Process32FirstW, 2);
BOOL WINAPI Process32NextW(HANDLE snap, PROCESSENTRY32W *e) { return th_process_w(snap, e, false); }
THK_EXPORT(kernel32, Process32NextW, 2);
BOOL WINAPI Process32First(HANDLE snap, PROCESSENTRY32 *e) { return th_process_a(snap, e, true); }
THK_EXPORT(kernel32, Process32First, 2);
BOOL WINAPI Process32Next(HANDLE snap, PROCESSENTRY32 *e) { return th_process_a(snap, e, false); }
THK_EXPORT(kernel32, Process32Next, 2);

static BOOL th_thread(HANDLE snap, THREADENTRY32 *out, bool first)
{
    return th_entry(snap, TH_THREAD, first, out, sizeof *out);
}

BOOL WINAPI Thread32First(HANDLE snap, THREADENTRY32 *e) { return th_thread(snap, e, true); }
THK_EXPORT(kernel32, Thread32First, 2);
BOOL WINAPI Thread32Next(HANDLE snap, THREADENTRY32 *e) { return th_thread(snap, e, false); }
THK_EXPORT(kernel32, Thread32Next, 2);

static BOOL th_module_w(HANDLE snap, MODULEENTRY32W *out, bool first)
{
    return th_entry(snap, TH_MOD, first, out, sizeof *out);
}

static BOOL th_module_a(HANDLE snap, MODULEENTRY32 *out, bool first)
{
    if (!th_check_size(out, sizeof *out))
        return FALSE;
    MODULEENTRY32W e;
    if (!th_next(snap, TH_MOD, first, &e, sizeof e))
        return FALSE;
    DWORD size = out->dwSize;
    memcpy(out, &e, offsetof(MODULEENTRY32, szModule));
    out->dwSize = size;
    WideCharToMultiByte(0, 0, e.szModule, -1, out->szModule, 256, NULL, NULL);
    out->szModule[255] = 0;
    WideCharToMultiByte(0, 0, e.szExePath, -1, out->szExePath, MAX_PATH, NULL, NULL);
    out->szExePath[MAX_PATH - 1] = 0;
    return TRUE;
}

BOOL WINAPI Module32FirstW(HANDLE snap, MODULEENTRY32W *e) { return th_module_w(snap, e, true); }
THK_EXPORT(kernel32, Module32FirstW, 2);
BOOL WINAPI Module32NextW(HANDLE snap, MODULEENTRY32W *e) { return th_module_w(snap, e, false); }
THK_EXPORT(kernel32, Module32NextW, 2);
BOOL WINAPI Module32First(HANDLE snap, MODULEENTRY32 *e) { return th_module_a(snap, e, true); }
THK_EXPORT(kernel32, Module32First, 2);
BOOL WINAPI Module32Next(HANDLE snap, MODULEENTRY32 *e) { return th_module_a(snap, e, false); }
THK_EXPORT(kernel32, Module32Next, 2);
