/* The program's own DWARF sections (mingw-w64 links ~200 KB of .debug_* into every program from
 * its CRT). ntrun does not copy them at load but fills each page on first access (runtime/
 * lazy.c; stderr-grep checks the loader says so); seen from the program they must be ordinary
 * read-only image memory: VirtualQuery says committed PAGE_READONLY MEM_IMAGE, the bytes equal
 * the file's, WriteFile straight from an untouched page writes those bytes, VirtualProtect to
 * read-write keeps them and allows a write, and threads reading one section together all see
 * it whole. */
#include <windows.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    char name[64];
    const unsigned char *mem;
    DWORD size;
    DWORD raw;
} dwarf_section;

static dwarf_section secs[32];
static int nsecs;
static unsigned char *file;

static DWORD WINAPI reader(void *arg)
{
    const dwarf_section *s = arg;
    return memcmp(s->mem, file + s->raw, s->size) == 0;
}

int main(void)
{
    char path[MAX_PATH];
    GetModuleFileNameA(NULL, path, sizeof path);
    FILE *f = fopen(path, "rb");
    if (!f)
        return 10;
    fseek(f, 0, SEEK_END);
    long fsize = ftell(f);
    fseek(f, 0, SEEK_SET);
    file = malloc(fsize);
    if (fread(file, 1, fsize, f) != (size_t)fsize)
        return 11;
    fclose(f);

    const IMAGE_NT_HEADERS64 *nt =
        (const void *)(file + ((const IMAGE_DOS_HEADER *)file)->e_lfanew);
    const IMAGE_SECTION_HEADER *sh = IMAGE_FIRST_SECTION(nt);
    const char *strtab = (const char *)file + nt->FileHeader.PointerToSymbolTable +
                         nt->FileHeader.NumberOfSymbols * 18;
    const unsigned char *base = (const unsigned char *)GetModuleHandleA(NULL);
    for (int i = 0; i < nt->FileHeader.NumberOfSections && nsecs < 32; i++) {
        char name[64];
        if (sh[i].Name[0] == '/' && nt->FileHeader.PointerToSymbolTable)
            snprintf(name, sizeof name, "%s", strtab + atoi((const char *)sh[i].Name + 1));
        else
            snprintf(name, sizeof name, "%.8s", (const char *)sh[i].Name);
        if (strncmp(name, ".debug_", 7) != 0 || !sh[i].SizeOfRawData)
            continue;
        dwarf_section *s = &secs[nsecs++];
        snprintf(s->name, sizeof s->name, "%s", name);
        s->mem = base + sh[i].VirtualAddress;
        s->size = sh[i].Misc.VirtualSize < sh[i].SizeOfRawData ? sh[i].Misc.VirtualSize
                                                                : sh[i].SizeOfRawData;
        s->raw = sh[i].PointerToRawData;
    }
    if (nsecs < 4) {
        printf("only %d DWARF sections\n", nsecs);
        return 1;
    }
    printf("found the DWARF sections\n");

    /* 1. VirtualQuery of an untouched section */
    MEMORY_BASIC_INFORMATION mbi;
    if (!VirtualQuery(secs[0].mem, &mbi, sizeof mbi) || mbi.State != MEM_COMMIT ||
        mbi.Protect != PAGE_READONLY || mbi.Type != MEM_IMAGE) {
        printf("VirtualQuery: state %#lx protect %#lx type %#lx\n", mbi.State, mbi.Protect,
               mbi.Type);
        return 2;
    }
    printf("VirtualQuery: committed, read-only, image\n");

    /* 2. WriteFile straight from an untouched section */
    char tmp[MAX_PATH];
    GetTempPathA(sizeof tmp, tmp);
    strcat(tmp, "ntrun-dwarf-lazy.bin");
    HANDLE h = CreateFileA(tmp, GENERIC_WRITE | GENERIC_READ, 0, NULL, CREATE_ALWAYS, 0, NULL);
    DWORD n = 0, want = secs[1].size < 10000 ? secs[1].size : 10000;
    if (h == INVALID_HANDLE_VALUE || !WriteFile(h, secs[1].mem, want, &n, NULL) || n != want) {
        printf("WriteFile from the section failed: error %lu, %lu bytes\n", GetLastError(), n);
        return 3;
    }
    unsigned char *back = malloc(want);
    SetFilePointer(h, 0, NULL, FILE_BEGIN);
    if (!ReadFile(h, back, want, &n, NULL) || n != want || memcmp(back, file + secs[1].raw, want)) {
        printf("the written bytes differ\n");
        return 4;
    }
    CloseHandle(h);
    DeleteFileA(tmp);
    printf("WriteFile from an untouched page wrote the file's bytes\n");

    /* 3. VirtualProtect an untouched page to read-write */
    DWORD old = 0;
    unsigned char *page = (unsigned char *)secs[2].mem;
    if (!VirtualProtect(page, 4096, PAGE_READWRITE, &old) || old != PAGE_READONLY) {
        printf("VirtualProtect: old protection %#lx\n", old);
        return 5;
    }
    DWORD cmp = secs[2].size < 4096 ? secs[2].size : 4096;
    if (memcmp(page, file + secs[2].raw, cmp) != 0) {
        printf("bytes lost by VirtualProtect\n");
        return 6;
    }
    page[0] ^= 0xff;
    page[0] ^= 0xff;
    VirtualProtect(page, 4096, PAGE_READONLY, &old);
    printf("VirtualProtect kept the bytes and allowed a write\n");

    /* 4. four threads reading one untouched section at once */
    HANDLE th[4];
    for (int i = 0; i < 4; i++)
        th[i] = CreateThread(NULL, 0, reader, &secs[3], 0, NULL);
    WaitForMultipleObjects(4, th, TRUE, INFINITE);
    for (int i = 0; i < 4; i++) {
        DWORD ok = 0;
        GetExitCodeThread(th[i], &ok);
        if (!ok) {
            printf("thread %d saw different bytes in %s\n", i, secs[3].name);
            return 7;
        }
        CloseHandle(th[i]);
    }
    printf("threads reading together saw the whole section\n");

    /* 5. every byte of every DWARF section */
    for (int i = 0; i < nsecs; i++) {
        if (memcmp(secs[i].mem, file + secs[i].raw, secs[i].size) != 0) {
            printf("%s differs from the file\n", secs[i].name);
            return 8;
        }
    }
    printf("every DWARF section equals the file\n");
    return 0;
}
