/* ntdll's PE header walkers, as GraalVM native images and dbghelp-style code use them, on the
 * program's own image (mapped) and on its file read into a buffer (flat):
 * RtlImageNtHeader finds the NT headers of a mapped image and gives NULL for NULL, -1, a buffer
 * that is not MZ/PE and an unreadable address (Windows catches the fault); RtlImageNtHeaderEx
 * checks its flags and, with the range check, the size; RtlImageDirectoryEntryToData gives
 * base + RVA for a mapped image and the file offset through the section table for a flat one
 * (mapped_as_image FALSE or the base's low bit set), NULL past NumberOfRvaAndSizes and for an
 * empty directory; RtlImageRvaToSection compares with SizeOfRawData; RtlImageRvaToVa honours
 * and updates its section hint; RtlAddressInSectionTable is RtlImageRvaToVa without one. */
#include <windows.h>
#include <stdio.h>
#include <string.h>

typedef LONG NTSTATUS;
typedef PIMAGE_NT_HEADERS(NTAPI *nt_header_fn)(PVOID);
typedef NTSTATUS(NTAPI *nt_header_ex_fn)(ULONG, PVOID, ULONG64, PIMAGE_NT_HEADERS *);
typedef PVOID(NTAPI *dir_fn)(PVOID, BOOLEAN, USHORT, PULONG);
typedef PIMAGE_SECTION_HEADER(NTAPI *rva_section_fn)(PIMAGE_NT_HEADERS, PVOID, ULONG);
typedef PVOID(NTAPI *rva_va_fn)(PIMAGE_NT_HEADERS, PVOID, ULONG, PIMAGE_SECTION_HEADER *);
typedef PVOID(NTAPI *in_table_fn)(PIMAGE_NT_HEADERS, PVOID, ULONG);

static nt_header_fn pNtHeader;
static nt_header_ex_fn pNtHeaderEx;
static dir_fn pDirEntry;
static rva_section_fn pRvaToSection;
static rva_va_fn pRvaToVa;
static in_table_fn pInTable;

static void section_name(const IMAGE_SECTION_HEADER *s, char out[9])
{
    memcpy(out, s->Name, 8);
    out[8] = 0;
}

int main(void)
{
    HMODULE ntdll = GetModuleHandleA("ntdll.dll");
    pNtHeader = (nt_header_fn)GetProcAddress(ntdll, "RtlImageNtHeader");
    pNtHeaderEx = (nt_header_ex_fn)GetProcAddress(ntdll, "RtlImageNtHeaderEx");
    pDirEntry = (dir_fn)GetProcAddress(ntdll, "RtlImageDirectoryEntryToData");
    pRvaToSection = (rva_section_fn)GetProcAddress(ntdll, "RtlImageRvaToSection");
    pRvaToVa = (rva_va_fn)GetProcAddress(ntdll, "RtlImageRvaToVa");
    pInTable = (in_table_fn)GetProcAddress(ntdll, "RtlAddressInSectionTable");
    if (!pNtHeader || !pNtHeaderEx || !pDirEntry || !pRvaToSection || !pRvaToVa || !pInTable) {
        printf("missing export\n");
        return 1;
    }

    /* the mapped image */
    BYTE *base = (BYTE *)GetModuleHandleA(NULL);
    IMAGE_DOS_HEADER *dos = (IMAGE_DOS_HEADER *)base;
    IMAGE_NT_HEADERS *nt = pNtHeader(base);
    printf("exe: nt at e_lfanew %d, machine %04x, magic %03x\n",
           nt == (IMAGE_NT_HEADERS *)(base + dos->e_lfanew), nt ? nt->FileHeader.Machine : 0,
           nt ? nt->OptionalHeader.Magic : 0);
    printf("NULL: %p, -1: %p\n", (void *)pNtHeader(NULL), (void *)pNtHeader((void *)-1));
    BYTE *nothing = VirtualAlloc(NULL, 4096, MEM_RESERVE, PAGE_NOACCESS);
    printf("reserved page: %p\n", (void *)pNtHeader(nothing));
    BYTE fake[256];
    memset(fake, 0, sizeof fake);
    printf("zeros: %p\n", (void *)pNtHeader(fake));
    fake[0] = 'M';
    fake[1] = 'Z';
    *(LONG *)(fake + 0x3c) = 0x80;
    printf("MZ without PE: %p\n", (void *)pNtHeader(fake));
    memcpy(fake + 0x80, "PE\0\0", 4);
    printf("MZ and PE at 0x80: %d\n", pNtHeader(fake) == (void *)(fake + 0x80));
    *(LONG *)(fake + 0x3c) = 0x10000000; /* 256 MiB */
    printf("e_lfanew 256 MiB: %p\n", (void *)pNtHeader(fake));
    *(LONG *)(fake + 0x3c) = 0x80;

    IMAGE_NT_HEADERS *out = (void *)1;
    NTSTATUS st = pNtHeaderEx(2, fake, sizeof fake, &out);
    printf("Ex flags 2: %08lx out %p\n", (unsigned long)st, (void *)out);
    st = pNtHeaderEx(0, fake, sizeof fake, NULL);
    printf("Ex no out: %08lx\n", (unsigned long)st);
    out = (void *)1;
    st = pNtHeaderEx(0, NULL, sizeof fake, &out);
    printf("Ex NULL base: %08lx out %p\n", (unsigned long)st, (void *)out);
    st = pNtHeaderEx(0, fake, 0x3f, &out);
    printf("Ex size 0x3f: %08lx\n", (unsigned long)st);
    st = pNtHeaderEx(0, fake, 0x80, &out);
    printf("Ex size 0x80 (e_lfanew at the end): %08lx\n", (unsigned long)st);
    st = pNtHeaderEx(0, fake, 0x80 + 4, &out);
    printf("Ex size 0x84 (no file header): %08lx\n", (unsigned long)st);
    st = pNtHeaderEx(0, fake, sizeof fake, &out);
    printf("Ex size 256: %08lx at 0x80 %d\n", (unsigned long)st, out == (void *)(fake + 0x80));
    st = pNtHeaderEx(1, fake, 0, &out);
    printf("Ex no range check, size 0: %08lx at 0x80 %d\n", (unsigned long)st,
           out == (void *)(fake + 0x80));

    /* directories of the mapped image */
    IMAGE_DATA_DIRECTORY *dd = nt->OptionalHeader.DataDirectory;
    ULONG size = 0xcccccccc;
    void *imp = pDirEntry(base, TRUE, IMAGE_DIRECTORY_ENTRY_IMPORT, &size);
    printf("import, image: base+rva %d, size %d\n",
           imp == base + dd[IMAGE_DIRECTORY_ENTRY_IMPORT].VirtualAddress,
           size == dd[IMAGE_DIRECTORY_ENTRY_IMPORT].Size);
    size = 0xcccccccc;
    printf("security (empty): %p\n", pDirEntry(base, TRUE, IMAGE_DIRECTORY_ENTRY_SECURITY, &size));
    printf("directory 16: %p\n", pDirEntry(base, TRUE, 16, &size));
    printf("directory of NULL: %p\n", pDirEntry(NULL, TRUE, 1, &size));

    /* the same file, flat in a buffer */
    char path[MAX_PATH];
    GetModuleFileNameA(NULL, path, sizeof path);
    HANDLE h = CreateFileA(path, GENERIC_READ, FILE_SHARE_READ, NULL, OPEN_EXISTING, 0, NULL);
    DWORD fsize = GetFileSize(h, NULL), got = 0;
    BYTE *file = VirtualAlloc(NULL, fsize, MEM_COMMIT | MEM_RESERVE, PAGE_READWRITE);
    ReadFile(h, file, fsize, &got, NULL);
    CloseHandle(h);
    IMAGE_NT_HEADERS *fnt = pNtHeader(file);
    st = pNtHeaderEx(0, file, fsize, &out);
    printf("file: nt %d, Ex %08lx same %d\n", fnt == (void *)(file + dos->e_lfanew),
           (unsigned long)st, out == fnt);
    DWORD irva = dd[IMAGE_DIRECTORY_ENTRY_IMPORT].VirtualAddress;
    IMAGE_SECTION_HEADER *sec = pRvaToSection(fnt, file, irva);
    char name[9] = "";
    if (sec)
        section_name(sec, name);
    BYTE *expect = sec ? file + irva - sec->VirtualAddress + sec->PointerToRawData : NULL;
    printf("import section: %s\n", name);
    size = 0;
    void *fimp = pDirEntry(file, FALSE, IMAGE_DIRECTORY_ENTRY_IMPORT, &size);
    printf("import, flat: at file offset %d, same bytes as mapped %d, size %d\n", fimp == expect,
           fimp && !memcmp(fimp, imp, sizeof(IMAGE_IMPORT_DESCRIPTOR)),
           size == dd[IMAGE_DIRECTORY_ENTRY_IMPORT].Size);
    size = 0;
    printf("import, base|1 as image: %d\n",
           pDirEntry(file + 1, TRUE, IMAGE_DIRECTORY_ENTRY_IMPORT, &size) == expect);
    printf("RtlAddressInSectionTable: %d\n", pInTable(fnt, file, irva) == expect);
    printf("rva 0x10 (headers): section %p, va %p\n", (void *)pRvaToSection(fnt, file, 0x10),
           pRvaToVa(fnt, file, 0x10, NULL));

    /* the section hint: a wrong one is replaced, a right one kept */
    IMAGE_SECTION_HEADER *first = IMAGE_FIRST_SECTION(fnt), *hint = first;
    int nsec = fnt->FileHeader.NumberOfSections;
    IMAGE_SECTION_HEADER *other = first;
    for (int i = 0; i < nsec; i++)
        if (first + i != sec && first[i].SizeOfRawData) {
            other = first + i;
            break;
        }
    hint = other;
    void *va = pRvaToVa(fnt, file, irva, &hint);
    printf("hint of another section: va %d, hint now the import section %d\n", va == expect,
           hint == sec);
    va = pRvaToVa(fnt, file, irva + 1, &hint);
    printf("hint kept: va %d, hint %d\n", va == expect + 1, hint == sec);
    /* the end of a section's raw data is outside it */
    DWORD end = sec->VirtualAddress + sec->SizeOfRawData;
    IMAGE_SECTION_HEADER *at_end = pRvaToSection(fnt, file, end);
    printf("rva at the end of the raw data: %s\n",
           at_end == sec ? "same section" : at_end ? "next section" : "none");

    /* the built-in system DLLs have headers too */
    IMAGE_NT_HEADERS *knt = pNtHeader(GetModuleHandleA("kernel32.dll"));
    printf("kernel32: machine %04x, dll %d\n", knt ? knt->FileHeader.Machine : 0,
           knt ? !!(knt->FileHeader.Characteristics & IMAGE_FILE_DLL) : 0);
    return 0;
}
