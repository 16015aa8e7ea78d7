/* section_image_pe32: a SEC_IMAGE section over a PE32 (x86) file in a 64-bit process, as
 * CoreCLR maps .NET's any-CPU assemblies (PE32 files holding only IL: tests/corpus3p's
 * dotnet_* tasks). The test writes a small PE32 DLL of its own (two sections: code, and data
 * whose virtual size is larger than its raw data) and:
 *  - CreateFileMapping(SEC_IMAGE | PAGE_READONLY) over it succeeds;
 *  - NtQuerySection(SectionImageInformation) gives the x86 machine (0x14c), its subsystem and
 *    characteristics from the PE32 headers, and the image's size in the basic information;
 *  - MapViewOfFile maps it: the headers at the view (MZ, the PE32 magic), each section's bytes
 *    at its RVA, the data section's tail beyond its raw data zero; VirtualQuery: MEM_IMAGE,
 *    read-only headers, the code section PAGE_EXECUTE_READ;
 *  - UnmapViewOfFile frees it again;
 *  - LoadLibrary of the same file fails: a 64-bit process runs no 32-bit code (Windows lets
 *    through only PE32 images holding IL alone), with ERROR_BAD_EXE_FORMAT (193), as Windows and
 *    Wine 8.0 give it.
 * Wine 8.0 prints the same lines. */
#include <stdio.h>
#include <string.h>
#include <windows.h>
#include <winternl.h>
#include "section_info.h"

static BYTE file[0x600];

static void put16(DWORD off, WORD v) { memcpy(file + off, &v, 2); }
static void put32(DWORD off, DWORD v) { memcpy(file + off, &v, 4); }

/* section header i (at 0x138 + 0x28 * i) */
static void section(int i, const char *name, DWORD vaddr, DWORD vsize, DWORD raw, DWORD rawsize,
                    DWORD ch)
{
    DWORD h = 0x138 + 0x28 * (DWORD)i;
    memcpy(file + h, name, strlen(name));
    put32(h + 0x08, vsize);
    put32(h + 0x0c, vaddr);
    put32(h + 0x10, rawsize);
    put32(h + 0x14, raw);
    put32(h + 0x24, ch);
}

static void build(void)
{
    memset(file, 0, sizeof file);
    file[0] = 'M', file[1] = 'Z';
    put32(0x3c, 0x40);
    memcpy(file + 0x40, "PE\0\0", 4);
    put16(0x44, 0x14c);          /* Machine: I386 */
    put16(0x46, 2);              /* NumberOfSections */
    put16(0x54, 0xe0);           /* SizeOfOptionalHeader */
    put16(0x56, 0x2102);         /* EXECUTABLE_IMAGE | 32BIT_MACHINE | DLL */
    DWORD o = 0x58;
    put16(o + 0x00, 0x10b);      /* PE32 */
    put32(o + 0x04, 0x200);      /* SizeOfCode */
    put32(o + 0x14, 0x1000);     /* BaseOfCode */
    put32(o + 0x18, 0x2000);     /* BaseOfData */
    put32(o + 0x1c, 0x10000000); /* ImageBase */
    put32(o + 0x20, 0x1000);     /* SectionAlignment */
    put32(o + 0x24, 0x200);      /* FileAlignment */
    put16(o + 0x28, 4);          /* MajorOperatingSystemVersion */
    put16(o + 0x30, 4);          /* MajorSubsystemVersion */
    put32(o + 0x38, 0x3000);     /* SizeOfImage */
    put32(o + 0x3c, 0x200);      /* SizeOfHeaders */
    put16(o + 0x44, 3);          /* Subsystem: console */
    put16(o + 0x46, 0x8540);     /* DllCharacteristics: as .NET's compilers set them */
    put32(o + 0x48, 0x100000);   /* SizeOfStackReserve */
    put32(o + 0x4c, 0x1000);     /* SizeOfStackCommit */
    put32(o + 0x50, 0x100000);   /* SizeOfHeapReserve */
    put32(o + 0x54, 0x1000);     /* SizeOfHeapCommit */
    put32(o + 0x5c, 16);         /* NumberOfRvaAndSizes */
    section(0, ".text", 0x1000, 0x100, 0x200, 0x200, 0x60000020); /* code, execute, read */
    section(1, ".data", 0x2000, 0x800, 0x400, 0x200, 0xc0000040); /* data, read, write */
    for (int i = 0; i < 0x200; i++)
        file[0x200 + i] = (BYTE)(i * 7 + 1);
    memcpy(file + 0x400, "data section", 12);
}

static const char *prot_name(DWORD p)
{
    switch (p) {
    case PAGE_READONLY: return "PAGE_READONLY";
    case PAGE_EXECUTE_READ: return "PAGE_EXECUTE_READ";
    case PAGE_WRITECOPY: return "PAGE_WRITECOPY";
    case PAGE_READWRITE: return "PAGE_READWRITE";
    default: return "other";
    }
}

int main(void)
{
    char dir[MAX_PATH], path[MAX_PATH];
    GetTempPathA(sizeof dir, dir);
    snprintf(path, sizeof path, "%spe32_image_%lu.dll", dir, GetCurrentProcessId());
    build();
    HANDLE f = CreateFileA(path, GENERIC_READ | GENERIC_WRITE, FILE_SHARE_READ, NULL,
                           CREATE_ALWAYS, 0, NULL);
    DWORD wrote = 0;
    WriteFile(f, file, sizeof file, &wrote, NULL);
    CloseHandle(f);
    f = CreateFileA(path, GENERIC_READ | GENERIC_EXECUTE, FILE_SHARE_READ, NULL, OPEN_EXISTING, 0,
                    NULL);
    printf("file written: %d\n", f != INVALID_HANDLE_VALUE && wrote == sizeof file);

    SetLastError(0xdeadbeef);
    HANDLE s = CreateFileMappingA(f, NULL, PAGE_READONLY | SEC_IMAGE, 0, 0, NULL);
    printf("SEC_IMAGE over the PE32 file: %s", s ? "handle" : "NULL");
    if (!s)
        printf(", error %lu", GetLastError());
    printf("\n");
    if (!s)
        return 1;

    query_section_fn query =
        (query_section_fn)GetProcAddress(GetModuleHandleA("ntdll.dll"), "NtQuerySection");
    basic_info bi;
    image_info ii;
    memset(&bi, 0xcc, sizeof bi);
    memset(&ii, 0xcc, sizeof ii);
    NTSTATUS st = query(s, 0, &bi, sizeof bi, NULL);
    printf("basic: 0x%08lx, attributes 0x%08lx, size 0x%llx\n", (unsigned long)st,
           bi.AllocationAttributes, (unsigned long long)bi.MaximumSize.QuadPart);
    st = query(s, 1, &ii, sizeof ii, NULL);
    printf("image: 0x%08lx, machine 0x%x, subsystem %lu %u.%u, characteristics 0x%x, "
           "DLL characteristics 0x%x, stack 0x%llx 0x%llx, code %d, file size 0x%lx\n",
           (unsigned long)st, ii.Machine, ii.SubSystemType, ii.SubSystemMajorVersion,
           ii.SubSystemMinorVersion, ii.ImageCharacteristics, ii.DllCharacteristics,
           (unsigned long long)ii.MaximumStackSize, (unsigned long long)ii.CommittedStackSize,
           ii.ImageContainsCode, ii.ImageFileSize);

    BYTE *v = MapViewOfFile(s, FILE_MAP_READ, 0, 0, 0);
    printf("MapViewOfFile: %s\n", v ? "mapped" : "NULL");
    if (!v)
        return 1;
    WORD magic;
    memcpy(&magic, v + 0x58, 2);
    printf("  headers: MZ %d, magic 0x%x\n", v[0] == 'M' && v[1] == 'Z', magic);
    printf("  .text at its RVA: %d\n", !memcmp(v + 0x1000, file + 0x200, 0x100));
    int zero = 1;
    for (int i = 0x200; i < 0x800; i++)
        zero &= v[0x2000 + i] == 0;
    printf("  .data at its RVA: %d, zero past its raw data: %d\n",
           !memcmp(v + 0x2000, "data section", 12), zero);
    MEMORY_BASIC_INFORMATION m;
    VirtualQuery(v, &m, sizeof m);
    printf("  headers: %s, MEM_IMAGE %d, AllocationBase is the view %d\n",
           prot_name(m.Protect), m.Type == MEM_IMAGE, m.AllocationBase == v);
    VirtualQuery(v + 0x1000, &m, sizeof m);
    printf("  .text: %s, MEM_IMAGE %d\n", prot_name(m.Protect), m.Type == MEM_IMAGE);
    printf("UnmapViewOfFile: %d\n", UnmapViewOfFile(v));
    VirtualQuery(v, &m, sizeof m);
    printf("  then MEM_FREE %d\n", m.State == MEM_FREE);
    CloseHandle(s);
    CloseHandle(f);

    SetLastError(0xdeadbeef);
    HMODULE h = LoadLibraryA(path);
    DWORD err = GetLastError();
    printf("LoadLibrary of the PE32 file: %s", h ? "loaded" : "NULL");
    if (!h)
        printf(", error %lu", err);
    printf("\n");
    printf("deleted: %d\n", DeleteFileA(path));
    return 0;
}
