/* loadlibrary_errors: why LoadLibrary refuses a DLL, as GetLastError and LdrLoadDll's NTSTATUS
 * say it. The DLLs are written at run time, as bytes, into a directory of their own under the
 * temporary directory (removed at the end): a file that is no PE, an empty file, a 32-bit and an
 * ARM64 image, a truncated image, a header pointing past the end, a DLL importing from a DLL
 * that is not there, a DLL importing a name and an ordinal its dependency lacks, a DllMain that
 * returns FALSE, a directory; and the same writer's good DLL loads (so every refusal is the case
 * it names, not a writer's mistake). LoadLibrary finds the dependencies through
 * SetDllDirectory, LdrLoadDll through its search path (under ntrun SetDllDirectory would also
 * do); at the end, SetDllDirectory undone, LdrLoadDll finds a DLL given by name and its
 * dependency through its search path alone, and without one finds neither. What Windows answers (Microsoft's System Error Codes and
 * NTSTATUS pages:
 * ERROR_BAD_EXE_FORMAT "%1 is not a valid Win32 application", STATUS_ENTRYPOINT_NOT_FOUND "The
 * procedure entry point %hs could not be located in the dynamic link library %hs",
 * STATUS_ORDINAL_NOT_FOUND "The ordinal %ld could not be located ..."):
 *   not found, dependency not found   ERROR_MOD_NOT_FOUND (126)     STATUS_DLL_NOT_FOUND
 *   no PE, 32-bit, other machine,
 *   truncated or malformed headers    ERROR_BAD_EXE_FORMAT (193)    STATUS_INVALID_IMAGE_*
 *   import name missing               ERROR_PROC_NOT_FOUND (127)    STATUS_ENTRYPOINT_NOT_FOUND
 *   import ordinal missing            ERROR_INVALID_ORDINAL (182)   STATUS_ORDINAL_NOT_FOUND
 *   DllMain returned FALSE            ERROR_DLL_INIT_FAILED (1114)  STATUS_DLL_INIT_FAILED
 *   a directory                       ERROR_ACCESS_DENIED (5)       STATUS_FILE_IS_A_DIRECTORY
 * CreateProcess of a program file that is no PE or is truncated: ERROR_BAD_EXE_FORMAT before any
 * process exists (Wine 8.0 the same); of a program importing from a DLL that is not there: the
 * process starts and ends with STATUS_DLL_NOT_FOUND (0xC0000135) as its exit code, beside a
 * good program of the same writer that ends with its entry point's 1. (Not here: a 32-bit program, which 64-bit Windows runs
 * and ntrun refuses with ERROR_BAD_EXE_FORMAT; an ARM64 program, 193 under Wine, perhaps
 * ERROR_EXE_MACHINE_TYPE_MISMATCH on Windows; an MZ file whose e_lfanew points past the end,
 * which Wine 8.0 takes for a DOS program: ERROR_FILE_NOT_FOUND, no winevdm.)
 * The statuses of the malformed files are Wine 8.0's (no MZ: STATUS_INVALID_IMAGE_NOT_MZ; empty:
 * STATUS_INVALID_FILE_FOR_SECTION; e_lfanew past the end: STATUS_INVALID_IMAGE_PROTECT; the rest
 * STATUS_INVALID_IMAGE_FORMAT), all ERROR_BAD_EXE_FORMAT. Wine 8.0 gives every line here but
 * two: it binds an import its dependency lacks to a stub and loads the DLL, where Windows
 * refuses it with the errors above. */
#include <stdio.h>
#include <string.h>
#include <windows.h>

typedef struct {
    USHORT Length, MaximumLength;
    PWSTR Buffer;
} lle_ustr;
typedef LONG(WINAPI *ldr_load_dll_fn)(PWSTR, ULONG *, lle_ustr *, HMODULE *);

static char dir[MAX_PATH];
static ldr_load_dll_fn ldr_load_dll;

/* What a written DLL holds. */
typedef struct {
    int bits;              /* 64 (PE32+) or 32 (PE32) */
    WORD machine;          /* IMAGE_FILE_MACHINE_* */
    const char *imp_dll;   /* one import from this DLL, or NULL */
    const char *imp_name;  /* by this name, or ... */
    WORD imp_ord;          /* ... by this ordinal */
    int exports;           /* exports LleExported (ordinal 1) */
    int entry_false;       /* DllMain returns FALSE */
    DWORD truncate;        /* write only this many bytes (0: all) */
    LONG lfanew;           /* e_lfanew (0: 0x40) */
    int exe;               /* a program, not a DLL */
} dll_spec;

#define FILE_SIZE 0x400
#define SEC_RVA 0x1000
#define SEC_RAW 0x200

static void put_str(BYTE *sec, DWORD rva, const char *s) { strcpy((char *)sec + rva - SEC_RVA, s); }
static void put32(BYTE *sec, DWORD rva, DWORD v) { memcpy(sec + rva - SEC_RVA, &v, 4); }
static void put64(BYTE *sec, DWORD rva, ULONGLONG v) { memcpy(sec + rva - SEC_RVA, &v, 8); }

static int write_file(const char *name, const void *data, DWORD size)
{
    char path[MAX_PATH];
    snprintf(path, sizeof path, "%s\\%s", dir, name);
    HANDLE h = CreateFileA(path, GENERIC_WRITE, 0, NULL, CREATE_ALWAYS, 0, NULL);
    if (h == INVALID_HANDLE_VALUE)
        return 0;
    DWORD got = 0;
    BOOL ok = !size || WriteFile(h, data, size, &got, NULL);
    CloseHandle(h);
    return ok && got == size;
}

/* One section (.text, RVA 0x1000, file offset 0x200) holds the entry point, the import and the
 * export directory; no relocations are needed (the code is position independent). */
static int write_dll(const char *name, const dll_spec *s, ULONGLONG base)
{
    static BYTE f[FILE_SIZE];
    memset(f, 0, sizeof f);
    BYTE *sec = f + SEC_RAW;
    IMAGE_DOS_HEADER *dos = (IMAGE_DOS_HEADER *)f;
    dos->e_magic = IMAGE_DOS_SIGNATURE;
    dos->e_lfanew = s->lfanew ? s->lfanew : 0x40;
    static const BYTE ret_true[] = {0xb8, 1, 0, 0, 0, 0xc3}, ret_false[] = {0x31, 0xc0, 0xc3};
    if (s->entry_false)
        memcpy(sec, ret_false, sizeof ret_false);
    else
        memcpy(sec, ret_true, sizeof ret_true);
    IMAGE_DATA_DIRECTORY imp = {0, 0}, exp = {0, 0};
    if (s->imp_dll) {
        /* descriptors 0x1010 (and the terminator), INT 0x1040, IAT 0x1050, name 0x1060,
         * hint/name 0x1080 */
        IMAGE_IMPORT_DESCRIPTOR d = {0};
        d.OriginalFirstThunk = 0x1040;
        d.Name = 0x1060;
        d.FirstThunk = 0x1050;
        memcpy(sec + 0x10, &d, sizeof d);
        ULONGLONG thunk = s->imp_name ? 0x1080 : (IMAGE_ORDINAL_FLAG64 | s->imp_ord);
        put64(sec, 0x1040, thunk);
        put64(sec, 0x1050, thunk);
        put_str(sec, 0x1060, s->imp_dll);
        if (s->imp_name)
            put_str(sec, 0x1082, s->imp_name);
        imp.VirtualAddress = 0x1010;
        imp.Size = 2 * sizeof d;
    }
    if (s->exports) {
        /* directory 0x1100, functions 0x1130, names 0x1134, ordinals 0x1138, strings 0x1140 */
        IMAGE_EXPORT_DIRECTORY e = {0};
        e.Name = 0x1140;
        e.Base = 1;
        e.NumberOfFunctions = 1;
        e.NumberOfNames = 1;
        e.AddressOfFunctions = 0x1130;
        e.AddressOfNames = 0x1134;
        e.AddressOfNameOrdinals = 0x1138;
        memcpy(sec + 0x100, &e, sizeof e);
        put32(sec, 0x1130, SEC_RVA);
        put32(sec, 0x1134, 0x1150);
        put_str(sec, 0x1140, name);
        put_str(sec, 0x1150, "LleExported");
        exp.VirtualAddress = 0x1100;
        exp.Size = 0x70;
    }
    IMAGE_SECTION_HEADER *sh;
    if (s->bits == 64) {
        IMAGE_NT_HEADERS64 *nt = (IMAGE_NT_HEADERS64 *)(f + 0x40);
        nt->Signature = IMAGE_NT_SIGNATURE;
        nt->FileHeader.Machine = s->machine;
        nt->FileHeader.NumberOfSections = 1;
        nt->FileHeader.SizeOfOptionalHeader = sizeof(IMAGE_OPTIONAL_HEADER64);
        nt->FileHeader.Characteristics =
            IMAGE_FILE_EXECUTABLE_IMAGE | IMAGE_FILE_LARGE_ADDRESS_AWARE | (s->exe ? 0 : IMAGE_FILE_DLL);
        IMAGE_OPTIONAL_HEADER64 *o = &nt->OptionalHeader;
        o->Magic = IMAGE_NT_OPTIONAL_HDR64_MAGIC;
        o->SizeOfCode = SEC_RAW;
        o->AddressOfEntryPoint = SEC_RVA;
        o->BaseOfCode = SEC_RVA;
        o->ImageBase = base;
        o->SectionAlignment = 0x1000;
        o->FileAlignment = 0x200;
        o->MajorOperatingSystemVersion = 6;
        o->MajorSubsystemVersion = 6;
        o->SizeOfImage = 0x2000;
        o->SizeOfHeaders = SEC_RAW;
        o->Subsystem = IMAGE_SUBSYSTEM_WINDOWS_CUI;
        o->SizeOfStackReserve = 0x100000;
        o->SizeOfStackCommit = 0x1000;
        o->SizeOfHeapReserve = 0x100000;
        o->SizeOfHeapCommit = 0x1000;
        o->NumberOfRvaAndSizes = IMAGE_NUMBEROF_DIRECTORY_ENTRIES;
        o->DataDirectory[IMAGE_DIRECTORY_ENTRY_EXPORT] = exp;
        o->DataDirectory[IMAGE_DIRECTORY_ENTRY_IMPORT] = imp;
        sh = IMAGE_FIRST_SECTION(nt);
    } else {
        IMAGE_NT_HEADERS32 *nt = (IMAGE_NT_HEADERS32 *)(f + 0x40);
        nt->Signature = IMAGE_NT_SIGNATURE;
        nt->FileHeader.Machine = s->machine;
        nt->FileHeader.NumberOfSections = 1;
        nt->FileHeader.SizeOfOptionalHeader = sizeof(IMAGE_OPTIONAL_HEADER32);
        nt->FileHeader.Characteristics =
            IMAGE_FILE_EXECUTABLE_IMAGE | IMAGE_FILE_DLL | IMAGE_FILE_32BIT_MACHINE;
        IMAGE_OPTIONAL_HEADER32 *o = &nt->OptionalHeader;
        o->Magic = IMAGE_NT_OPTIONAL_HDR32_MAGIC;
        o->SizeOfCode = SEC_RAW;
        o->AddressOfEntryPoint = SEC_RVA;
        o->BaseOfCode = SEC_RVA;
        o->ImageBase = (DWORD)base;
        o->SectionAlignment = 0x1000;
        o->FileAlignment = 0x200;
        o->MajorOperatingSystemVersion = 6;
        o->MajorSubsystemVersion = 6;
        o->SizeOfImage = 0x2000;
        o->SizeOfHeaders = SEC_RAW;
        o->Subsystem = IMAGE_SUBSYSTEM_WINDOWS_CUI;
        o->SizeOfStackReserve = 0x100000;
        o->SizeOfStackCommit = 0x1000;
        o->SizeOfHeapReserve = 0x100000;
        o->SizeOfHeapCommit = 0x1000;
        o->NumberOfRvaAndSizes = IMAGE_NUMBEROF_DIRECTORY_ENTRIES;
        sh = IMAGE_FIRST_SECTION(nt);
    }
    memcpy(sh->Name, ".text", 5);
    sh->Misc.VirtualSize = 0x200;
    sh->VirtualAddress = SEC_RVA;
    sh->SizeOfRawData = 0x200;
    sh->PointerToRawData = SEC_RAW;
    sh->Characteristics = IMAGE_SCN_CNT_CODE | IMAGE_SCN_MEM_EXECUTE | IMAGE_SCN_MEM_READ |
                          IMAGE_SCN_MEM_WRITE;
    return write_file(name, f, s->truncate ? s->truncate : FILE_SIZE);
}

/* LoadLibraryEx's result and last error, then LdrLoadDll's status, for one name. */
static void try_load(const char *what, const char *name, int in_dir)
{
    char path[MAX_PATH];
    if (in_dir)
        snprintf(path, sizeof path, "%s\\%s", dir, name);
    else
        snprintf(path, sizeof path, "%s", name);
    SetLastError(0xdeadbeef);
    HMODULE h = LoadLibraryA(path);
    DWORD err = GetLastError();
    if (h) {
        printf("%-22s LoadLibrary: loaded\n", what);
        FreeLibrary(h);
    } else {
        printf("%-22s LoadLibrary: NULL, error %lu\n", what, err);
    }
    WCHAR wpath[MAX_PATH];
    MultiByteToWideChar(CP_ACP, 0, path, -1, wpath, MAX_PATH);
    lle_ustr us = {(USHORT)(wcslen(wpath) * 2), (USHORT)(wcslen(wpath) * 2 + 2), wpath};
    HMODULE m = NULL;
    SetLastError(0xdeadbeef);
    WCHAR wdir[MAX_PATH];
    MultiByteToWideChar(CP_ACP, 0, dir, -1, wdir, MAX_PATH);
    LONG st = ldr_load_dll(wdir, NULL, &us, &m);
    printf("%-22s LdrLoadDll: 0x%08lX%s, last error %s\n", what, (unsigned long)st,
           m ? " (loaded)" : "", GetLastError() == 0xdeadbeef ? "unchanged" : "CHANGED");
    if (st == 0 && m)
        FreeLibrary(m);
}

/* CreateProcess of a program file in the directory: its result and last error. */
static void try_run(const char *what, const char *name)
{
    char path[MAX_PATH], line[MAX_PATH + 2];
    snprintf(path, sizeof path, "%s\\%s", dir, name);
    snprintf(line, sizeof line, "\"%s\"", path);
    STARTUPINFOA si = {sizeof si};
    PROCESS_INFORMATION pi;
    SetLastError(0xdeadbeef);
    BOOL ok = CreateProcessA(path, line, NULL, NULL, FALSE, 0, NULL, NULL, &si, &pi);
    DWORD err = GetLastError();
    if (ok) {
        DWORD code = 0;
        WaitForSingleObject(pi.hProcess, 10000);
        GetExitCodeProcess(pi.hProcess, &code);
        printf("%-22s CreateProcess: started, exit code 0x%08lX\n", what, code);
        CloseHandle(pi.hThread);
        CloseHandle(pi.hProcess);
    } else {
        printf("%-22s CreateProcess: FALSE, error %lu\n", what, err);
    }
}

/* LdrLoadDll of a bare name with the directory as its search path, or none. */
static void ldr_by_name(const char *what, const char *name, int with_path)
{
    WCHAR wdir[MAX_PATH], wname[MAX_PATH];
    MultiByteToWideChar(CP_ACP, 0, dir, -1, wdir, MAX_PATH);
    MultiByteToWideChar(CP_ACP, 0, name, -1, wname, MAX_PATH);
    lle_ustr us = {(USHORT)(wcslen(wname) * 2), (USHORT)(wcslen(wname) * 2 + 2), wname};
    HMODULE m = NULL;
    LONG st = ldr_load_dll(with_path ? wdir : NULL, NULL, &us, &m);
    printf("%-22s LdrLoadDll: 0x%08lX%s\n", what, (unsigned long)st, m ? " (loaded)" : "");
    if (st == 0 && m)
        FreeLibrary(m);
}

static void remove_all(void)
{
    static const char *files[] = {"lle_text.dll", "lle_empty.dll", "lle_pe32.dll",
                                  "lle_arm64.dll", "lle_trunc.dll", "lle_lfanew.dll",
                                  "lle_nodep.dll", "lle_dep.dll", "lle_needok.dll",
                                  "lle_needname.dll", "lle_needord.dll", "lle_false.dll",
                                  "lle_text.exe", "lle_trunc.exe", "lle_nodep.exe",
                                  "lle_good.exe"};
    char path[MAX_PATH];
    for (size_t i = 0; i < sizeof files / sizeof *files; i++) {
        snprintf(path, sizeof path, "%s\\%s", dir, files[i]);
        DeleteFileA(path);
    }
    snprintf(path, sizeof path, "%s\\lle_dir.dll", dir);
    RemoveDirectoryA(path);
    RemoveDirectoryA(dir);
}

int main(void)
{
    ldr_load_dll = (ldr_load_dll_fn)GetProcAddress(GetModuleHandleA("ntdll.dll"), "LdrLoadDll");
    char tmp[MAX_PATH];
    if (!ldr_load_dll || !GetTempPathA(sizeof tmp, tmp)) {
        printf("FAIL: no LdrLoadDll or temporary directory\n");
        return 1;
    }
    snprintf(dir, sizeof dir, "%slle_%lu_%lu", tmp, GetCurrentProcessId(), GetTickCount());
    if (!CreateDirectoryA(dir, NULL)) {
        printf("FAIL: CreateDirectory (error %lu)\n", GetLastError());
        return 1;
    }
    static const char text[] = "This is not a DLL.\r\n";
    const ULONGLONG base = 0x6f100000;
    dll_spec good = {.bits = 64, .machine = IMAGE_FILE_MACHINE_AMD64};
    dll_spec s;
    int ok = write_file("lle_text.dll", text, sizeof text - 1) &&
             write_file("lle_empty.dll", "", 0);
    s = good, s.bits = 32, s.machine = IMAGE_FILE_MACHINE_I386;
    ok = ok && write_dll("lle_pe32.dll", &s, base);
    s = good, s.machine = 0xAA64; /* IMAGE_FILE_MACHINE_ARM64 */
    ok = ok && write_dll("lle_arm64.dll", &s, base);
    s = good, s.truncate = 0x180; /* the section table, then nothing */
    ok = ok && write_dll("lle_trunc.dll", &s, base);
    s = good, s.lfanew = 0x10000;
    ok = ok && write_dll("lle_lfanew.dll", &s, base);
    s = good, s.imp_dll = "lle_missing_dep.dll", s.imp_name = "Anything";
    ok = ok && write_dll("lle_nodep.dll", &s, base);
    s = good, s.exports = 1;
    ok = ok && write_dll("lle_dep.dll", &s, base + 0x100000);
    s = good, s.imp_dll = "lle_dep.dll", s.imp_name = "LleExported";
    ok = ok && write_dll("lle_needok.dll", &s, base + 0x200000);
    s = good, s.imp_dll = "lle_dep.dll", s.imp_name = "LleMissing";
    ok = ok && write_dll("lle_needname.dll", &s, base + 0x300000);
    s = good, s.imp_dll = "lle_dep.dll", s.imp_ord = 7;
    ok = ok && write_dll("lle_needord.dll", &s, base + 0x400000);
    s = good, s.entry_false = 1;
    ok = ok && write_dll("lle_false.dll", &s, base + 0x500000);
    ok = ok && write_file("lle_text.exe", text, sizeof text - 1);
    s = good, s.exe = 1, s.truncate = 0x180;
    ok = ok && write_dll("lle_trunc.exe", &s, base);
    s = good, s.exe = 1, s.imp_dll = "lle_missing_dep.dll", s.imp_name = "Anything";
    ok = ok && write_dll("lle_nodep.exe", &s, 0x140000000ull);
    s = good, s.exe = 1, s.imp_dll = "kernel32.dll", s.imp_name = "GetTickCount";
    ok = ok && write_dll("lle_good.exe", &s, 0x140000000ull);
    char sub[MAX_PATH];
    snprintf(sub, sizeof sub, "%s\\lle_dir.dll", dir);
    ok = ok && CreateDirectoryA(sub, NULL);
    if (!ok) {
        printf("FAIL: cannot write the DLLs (error %lu)\n", GetLastError());
        remove_all();
        return 1;
    }

    SetDllDirectoryA(dir); /* where the dependencies are */
    try_load("good, with a dep:", "lle_needok.dll", 1);
    try_load("good dep alone:", "lle_dep.dll", 1);
    try_load("not found (name):", "lle_not_there.dll", 0);
    try_load("not found (path):", "lle_not_there.dll", 1);
    try_load("not a PE:", "lle_text.dll", 1);
    try_load("empty file:", "lle_empty.dll", 1);
    try_load("32-bit:", "lle_pe32.dll", 1);
    try_load("ARM64:", "lle_arm64.dll", 1);
    try_load("truncated:", "lle_trunc.dll", 1);
    try_load("e_lfanew past end:", "lle_lfanew.dll", 1);
    try_load("dependency missing:", "lle_nodep.dll", 1);
    try_load("import name missing:", "lle_needname.dll", 1);
    try_load("ordinal missing:", "lle_needord.dll", 1);
    try_load("DllMain FALSE:", "lle_false.dll", 1);
    try_load("a directory:", "lle_dir.dll", 1);
    try_run("program not a PE:", "lle_text.exe");
    try_run("program truncated:", "lle_trunc.exe");
    try_run("program, DLL missing:", "lle_nodep.exe");
    try_run("program, good:", "lle_good.exe");
    /* the failed loads left nothing behind: the dependency is not loaded any more */
    printf("lle_dep.dll loaded after: %s\n", GetModuleHandleA("lle_dep.dll") ? "yes" : "no");
    SetDllDirectoryA(NULL);
    ldr_by_name("name, search path:", "lle_needok.dll", 1);
    ldr_by_name("name, no search path:", "lle_needok.dll", 0);
    remove_all();
    return 0;
}
