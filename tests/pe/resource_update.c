/* Modules loaded as data and the resource update API, on a copy of this program (its resources
 * come from resource_update.rc: a version resource, a string table in two blocks, two RCDATA).
 * LoadLibraryEx with LOAD_LIBRARY_AS_DATAFILE (the handle is the view + 1) and
 * LOAD_LIBRARY_AS_IMAGE_RESOURCE (+ 2): FindResource/LoadResource/SizeofResource, LoadString,
 * EnumResourceTypes/Names/Languages (a callback that stops: ERROR_RESOURCE_ENUM_USER_STOP),
 * GetModuleFileName and GetProcAddress failing on the handle, FreeLibrary once; a file that is
 * not a PE image (ERROR_BAD_EXE_FORMAT) or is missing (ERROR_MOD_NOT_FOUND).
 * BeginUpdateResource/UpdateResource/EndUpdateResource: a new version resource (read back with
 * GetFileVersionInfo/VerQueryValue too), a replaced string block, an icon and its group, a
 * resource with a string type and name, a deleted one, 8 KiB of data (the section grows past the
 * base relocations, which move), then the copy run as a program (its image still loads and finds
 * its strings); EndUpdateResource(TRUE) leaves the file alone; BeginUpdateResource(..., TRUE)
 * drops every resource; a program without resources (args_env_exit.exe, from args_env_exit.c)
 * gets a new .rsrc section after its last one and still runs. Two layouts that cannot be
 * rewritten in place, made by patching a copy: the directory 0x20 bytes into its section (no
 * longer its start; the section renamed) and a section that may not move added after the
 * last one (a grown .rsrc cannot push it): the directory goes to a new last .rsrc section (the
 * old one, in the second, keeps its address, emptied), the old resources and the new read back
 * and the copies run; Windows' answer for these two is not known here; Wine 8.0 rewrites both
 * but loses the old resources in the first (string 17, KEEPME) and moves the section that may
 * not move in the second (.keep's address changes). With an argument "keep DIR" the edited copies are left in DIR
 * as edited.exe, edited_inside.exe and edited_pinned.exe for tests/cli/resource-readobj.sh
 * (llvm-readobj's view of the same files).
 * Run as "child", the program prints its first string (the copy's is the new one).
 * Wine 8.0 prints the same but: no ERROR_RESOURCE_ENUM_USER_STOP (Windows documents it since
 * Vista), no error for BeginUpdateResource of a missing file or for data NULL with a size, and
 * it keeps the resource UpdateResource was told to delete. */
#include <windows.h>
#include <stdio.h>
#include <string.h>

#define W_RT_ICON MAKEINTRESOURCEW(3)
#define W_RT_STRING MAKEINTRESOURCEW(6)
#define W_RT_RCDATA MAKEINTRESOURCEW(10)
#define W_RT_GROUP_ICON MAKEINTRESOURCEW(14)
#define W_RT_VERSION MAKEINTRESOURCEW(16)

static WCHAR copy_path[MAX_PATH];

static void fail_line(const char *what) { printf("%s failed: %lu\n", what, GetLastError()); }

static const char *key(const WCHAR *k, char *buf)
{
    if (IS_INTRESOURCE(k))
        sprintf(buf, "#%u", (unsigned)(ULONG_PTR)k);
    else
        sprintf(buf, "%ls", k);
    return buf;
}

static BOOL CALLBACK on_lang(HMODULE m, LPCWSTR type, LPCWSTR name, WORD lang, LONG_PTR p)
{
    char a[64], b[64];
    HRSRC r = FindResourceExW(m, type, name, lang);
    printf("    %s/%s lang %04x size %lu\n", key(type, a), key(name, b), lang,
           r ? SizeofResource(m, r) : 0);
    return TRUE;
}

static BOOL CALLBACK on_name(HMODULE m, LPCWSTR type, LPWSTR name, LONG_PTR p)
{
    return EnumResourceLanguagesW(m, type, name, on_lang, p);
}

static BOOL CALLBACK on_type(HMODULE m, LPWSTR type, LONG_PTR p)
{
    char a[64];
    printf("  type %s\n", key(type, a));
    return EnumResourceNamesW(m, type, on_name, p);
}

static BOOL CALLBACK stop_at_first(HMODULE m, LPWSTR type, LONG_PTR p)
{
    ++*(int *)p;
    return FALSE;
}

static void list(HMODULE m)
{
    if (!EnumResourceTypesW(m, on_type, 0))
        fail_line("EnumResourceTypesW");
}

static void show_string(HMODULE m, UINT id)
{
    WCHAR buf[64];
    int n = LoadStringW(m, id, buf, 64);
    printf("  string %u: %d \"%ls\"\n", id, n, n ? buf : L"");
}

static void show_version(const WCHAR *path)
{
    DWORD handle, size = GetFileVersionInfoSizeW(path, &handle);
    static BYTE buf[8192];
    if (!size || size > sizeof buf || !GetFileVersionInfoW(path, 0, size, buf)) {
        fail_line("  GetFileVersionInfoW");
        return;
    }
    VS_FIXEDFILEINFO *fi;
    UINT len;
    if (VerQueryValueW(buf, L"\\", (void **)&fi, &len))
        printf("  version %u.%u.%u.%u\n", HIWORD(fi->dwFileVersionMS),
               LOWORD(fi->dwFileVersionMS), HIWORD(fi->dwFileVersionLS),
               LOWORD(fi->dwFileVersionLS));
    WCHAR *desc;
    if (VerQueryValueW(buf, L"\\StringFileInfo\\040904b0\\FileDescription", (void **)&desc, &len))
        printf("  description \"%ls\"\n", desc);
}

/* A VS_VERSIONINFO with one string: the layout rcedit and the resource compiler write. */
static DWORD put_node(BYTE *p, const WCHAR *k, WORD type, const void *val, WORD vlen_bytes,
                      WORD vlen_field)
{
    DWORD off = 6;
    size_t kl = (wcslen(k) + 1) * 2;
    memcpy(p + off, k, kl);
    off += kl;
    off = (off + 3) & ~3u;
    if (vlen_bytes) {
        memcpy(p + off, val, vlen_bytes);
        off += vlen_bytes;
    }
    WORD hdr[3] = {(WORD)off, vlen_field, type};
    memcpy(p, hdr, 6);
    return off;
}

static DWORD make_version(BYTE *out, WORD v1, WORD v2, WORD v3, WORD v4, const WCHAR *desc)
{
    VS_FIXEDFILEINFO fi = {0xFEEF04BD, 0x10000};
    fi.dwFileVersionMS = MAKELONG(v2, v1);
    fi.dwFileVersionLS = MAKELONG(v4, v3);
    fi.dwProductVersionMS = fi.dwFileVersionMS;
    fi.dwFileType = VFT_APP;
    DWORD root = put_node(out, L"VS_VERSION_INFO", 0, &fi, sizeof fi, sizeof fi);
    root = (root + 3) & ~3u;
    BYTE *sfi = out + root;
    DWORD n = put_node(sfi, L"StringFileInfo", 1, NULL, 0, 0);
    BYTE *table = sfi + n;
    DWORD t = put_node(table, L"040904b0", 1, NULL, 0, 0);
    WORD dl = (WORD)(wcslen(desc) + 1);
    DWORD s = put_node(table + t, L"FileDescription", 1, desc, dl * 2, dl);
    t += (s + 3) & ~3u;
    memcpy(table, &(WORD){(WORD)t}, 2);
    n += t;
    memcpy(sfi, &(WORD){(WORD)n}, 2);
    root += (n + 3) & ~3u;
    memcpy(out, &(WORD){(WORD)root}, 2);
    return root;
}

static BOOL same_file(const WCHAR *a, const BYTE *data, DWORD size)
{
    static BYTE buf[1 << 20];
    HANDLE h = CreateFileW(a, GENERIC_READ, FILE_SHARE_READ, NULL, OPEN_EXISTING, 0, NULL);
    DWORD got = 0;
    ReadFile(h, buf, sizeof buf, &got, NULL);
    CloseHandle(h);
    return got == size && !memcmp(buf, data, size);
}

/* Runs the copy with the argument "child"; its output into `sink` when one is given. */
static DWORD run_copy_to(HANDLE sink)
{
    WCHAR cmd[MAX_PATH + 16];
    swprintf(cmd, MAX_PATH + 16, L"\"%ls\" child", copy_path);
    STARTUPINFOW si = {sizeof si};
    PROCESS_INFORMATION pi;
    fflush(stdout);
    if (sink) {
        si.dwFlags = STARTF_USESTDHANDLES;
        si.hStdOutput = si.hStdError = sink;
        si.hStdInput = GetStdHandle(STD_INPUT_HANDLE);
    }
    if (!CreateProcessW(copy_path, cmd, NULL, NULL, sink != NULL, 0, NULL, NULL, &si, &pi)) {
        fail_line("CreateProcessW");
        return ~0u;
    }
    WaitForSingleObject(pi.hProcess, INFINITE);
    DWORD code = ~0u;
    GetExitCodeProcess(pi.hProcess, &code);
    CloseHandle(pi.hProcess);
    CloseHandle(pi.hThread);
    return code;
}

static DWORD run_copy(void) { return run_copy_to(NULL); }

/* Two layouts EndUpdateResource cannot rewrite in place, made from a copy of this program:
 * INSIDE, the resource directory 0x20 bytes into its section, renamed .other (as when a linker
 * merges .rsrc into another section); PINNED, a section that may not move (not discardable) added after the
 * last one, so that a grown .rsrc cannot push the sections after it. */
enum layout { INSIDE, PINNED };

static BYTE image[1 << 20];

static IMAGE_NT_HEADERS64 *headers(void)
{
    return (IMAGE_NT_HEADERS64 *)(image + ((IMAGE_DOS_HEADER *)image)->e_lfanew);
}

static IMAGE_SECTION_HEADER *section(IMAGE_NT_HEADERS64 *nt, int i)
{
    return IMAGE_FIRST_SECTION(nt) + i;
}

static int section_named(IMAGE_NT_HEADERS64 *nt, const char *name)
{
    for (int i = 0; i < nt->FileHeader.NumberOfSections; i++)
        if (!strncmp((const char *)section(nt, i)->Name, name, 8))
            return i;
    return -1;
}

static DWORD read_image(const WCHAR *path)
{
    HANDLE h = CreateFileW(path, GENERIC_READ, FILE_SHARE_READ, NULL, OPEN_EXISTING, 0, NULL);
    DWORD got = 0;
    ReadFile(h, image, sizeof image, &got, NULL);
    CloseHandle(h);
    return got;
}

/* Adds k to the data RVAs of the resource directory table `t` (the directory starts at base) */
static void shift_data_entries(BYTE *base, BYTE *t, DWORD k)
{
    IMAGE_RESOURCE_DIRECTORY *dir = (IMAGE_RESOURCE_DIRECTORY *)t;
    IMAGE_RESOURCE_DIRECTORY_ENTRY *e = (IMAGE_RESOURCE_DIRECTORY_ENTRY *)(dir + 1);
    for (int i = 0; i < dir->NumberOfNamedEntries + dir->NumberOfIdEntries; i++) {
        if (e[i].OffsetToData & 0x80000000u)
            shift_data_entries(base, base + (e[i].OffsetToData & 0x7fffffffu), k);
        else
            ((IMAGE_RESOURCE_DATA_ENTRY *)(base + e[i].OffsetToData))->OffsetToData += k;
    }
}

static BOOL patch_layout(const WCHAR *path, enum layout how)
{
    DWORD size = read_image(path);
    IMAGE_NT_HEADERS64 *nt = headers();
    WORD n = nt->FileHeader.NumberOfSections;
    int r = section_named(nt, ".rsrc");
    if (!size || r < 1)
        return FALSE;
    if (how == INSIDE) { /* the directory moves 0x20 bytes into its section, renamed */
        IMAGE_SECTION_HEADER *rs = section(nt, r);
        IMAGE_DATA_DIRECTORY *dir = &nt->OptionalHeader.DataDirectory[IMAGE_DIRECTORY_ENTRY_RESOURCE];
        DWORD k = 0x20;
        if (dir->VirtualAddress != rs->VirtualAddress || rs->Misc.VirtualSize + k > rs->SizeOfRawData)
            return FALSE;
        BYTE *d = image + rs->PointerToRawData;
        memmove(d + k, d, rs->Misc.VirtualSize);
        memset(d, 0, k); /* stands for the section's other data */
        shift_data_entries(d + k, d + k, k);
        dir->VirtualAddress += k;
        rs->Misc.VirtualSize += k;
        memcpy(rs->Name, ".other\0", 8);
    } else {
        IMAGE_SECTION_HEADER *last = section(nt, n - 1), *add = section(nt, n);
        DWORD salign = nt->OptionalHeader.SectionAlignment, falign = nt->OptionalHeader.FileAlignment;
        if ((BYTE *)(add + 1) - image > (ptrdiff_t)nt->OptionalHeader.SizeOfHeaders)
            return FALSE;
        memset(add, 0, sizeof *add);
        memcpy(add->Name, ".keep", 5);
        add->VirtualAddress = (last->VirtualAddress + last->Misc.VirtualSize + salign - 1) / salign * salign;
        add->Misc.VirtualSize = 16;
        add->PointerToRawData = (size + falign - 1) / falign * falign;
        add->SizeOfRawData = falign;
        add->Characteristics = IMAGE_SCN_CNT_INITIALIZED_DATA | IMAGE_SCN_MEM_READ;
        memcpy(image + add->PointerToRawData, "kept in place", 14);
        size = add->PointerToRawData + falign;
        nt->FileHeader.NumberOfSections = n + 1;
        nt->OptionalHeader.SizeOfImage = (add->VirtualAddress + 16 + salign - 1) / salign * salign;
    }
    HANDLE h = CreateFileW(path, GENERIC_WRITE, 0, NULL, CREATE_ALWAYS, 0, NULL);
    DWORD wrote = 0;
    WriteFile(h, image, size, &wrote, NULL);
    CloseHandle(h);
    return wrote == size;
}

/* The resource directory's section after the update: the last one, named .rsrc, at its start;
 * with PINNED, .keep and the old .rsrc (emptied) still where they were. */
static void show_layout(const WCHAR *path, enum layout how, DWORD keep_va, DWORD old_rsrc_va)
{
    read_image(path);
    IMAGE_NT_HEADERS64 *nt = headers();
    WORD n = nt->FileHeader.NumberOfSections;
    IMAGE_SECTION_HEADER *last = section(nt, n - 1);
    DWORD dir = nt->OptionalHeader.DataDirectory[IMAGE_DIRECTORY_ENTRY_RESOURCE].VirtualAddress;
    printf("  the directory starts a new last section \"%.8s\": %d\n", (const char *)last->Name,
           dir == last->VirtualAddress);
    if (how == PINNED) {
        int k = section_named(nt, ".keep"), old = section_named(nt, ".rsrc");
        const BYTE *old_bytes = image + section(nt, old)->PointerToRawData;
        BOOL zero = TRUE;
        for (DWORD i = 0; i < section(nt, old)->SizeOfRawData; i++)
            zero &= !old_bytes[i];
        printf("  .keep kept its address: %d, \"%s\"\n", k >= 0 && section(nt, k)->VirtualAddress == keep_va,
               k >= 0 ? (const char *)image + section(nt, k)->PointerToRawData : "");
        printf("  the old .rsrc kept its address: %d, emptied: %d\n",
               old >= 0 && old != n - 1 && section(nt, old)->VirtualAddress == old_rsrc_va, zero);
    }
}

/* Edits a copy of this program patched to `how` (named `name` in dir, left there when kept):
 * the new strings and 8 KiB of data, then reads them back and runs the copy. */
static void update_layout(const char *what, const WCHAR *self, const WCHAR *dir, const WCHAR *name,
                          enum layout how, const void *strings, DWORD strings_size, BOOL keep)
{
    swprintf(copy_path, MAX_PATH, L"%ls%ls", dir, name);
    BOOL ok = CopyFileW(self, copy_path, FALSE) && patch_layout(copy_path, how);
    printf("%s: patched %d\n", what, ok);
    if (!ok)
        return;
    IMAGE_NT_HEADERS64 *nt = headers();
    int k = section_named(nt, ".keep"), r = section_named(nt, ".rsrc");
    DWORD keep_va = k >= 0 ? section(nt, k)->VirtualAddress : 0;
    DWORD rsrc_va = r >= 0 ? section(nt, r)->VirtualAddress : 0;
    HMODULE m = LoadLibraryExW(copy_path, NULL, LOAD_LIBRARY_AS_DATAFILE);
    show_string(m, 1);
    FreeLibrary(m);
    WORD en = MAKELANGID(LANG_ENGLISH, SUBLANG_ENGLISH_US);
    static BYTE big[8192];
    for (size_t i = 0; i < sizeof big; i++)
        big[i] = (BYTE)(i * 13);
    HANDLE u = BeginUpdateResourceW(copy_path, FALSE);
    UpdateResourceW(u, W_RT_STRING, MAKEINTRESOURCEW(1), en, (void *)strings, strings_size);
    UpdateResourceW(u, W_RT_RCDATA, MAKEINTRESOURCEW(500), en, big, sizeof big);
    SetLastError(0xdeadbeef);
    ok = EndUpdateResourceW(u, FALSE);
    printf("  end: %d error %lu\n", ok, ok ? 0 : GetLastError());
    show_layout(copy_path, how, keep_va, rsrc_va);
    m = LoadLibraryExW(copy_path, NULL, LOAD_LIBRARY_AS_DATAFILE);
    show_string(m, 1);
    show_string(m, 3);
    show_string(m, 17);
    HRSRC res = FindResourceW(m, L"KEEPME", W_RT_RCDATA);
    printf("  KEEPME: \"%s\"\n", res ? (const char *)LockResource(LoadResource(m, res)) : "");
    res = FindResourceW(m, MAKEINTRESOURCEW(500), W_RT_RCDATA);
    const BYTE *bd = res ? LockResource(LoadResource(m, res)) : NULL;
    printf("  big data intact: %d\n", bd && SizeofResource(m, res) == sizeof big && !memcmp(bd, big, sizeof big));
    FreeLibrary(m);
    printf("  the edited copy runs: exit %lu\n", run_copy());
    if (!keep)
        DeleteFileW(copy_path);
}

int main(int argc, char **argv)
{
    if (argc > 1 && !strcmp(argv[1], "child")) {
        WCHAR buf[64];
        int n = LoadStringW(NULL, 1, buf, 64);
        printf("child: string 1 \"%ls\"\n", n ? buf : L"");
        return 7;
    }
    WCHAR self[MAX_PATH], dir[MAX_PATH];
    GetModuleFileNameW(NULL, self, MAX_PATH);
    if (argc > 2 && !strcmp(argv[1], "keep"))
        MultiByteToWideChar(CP_ACP, 0, argv[2], -1, dir, MAX_PATH);
    else
        GetTempPathW(MAX_PATH, dir);
    size_t dl = wcslen(dir);
    if (dl && dir[dl - 1] != '\\' && dir[dl - 1] != '/')
        wcscat(dir, L"\\");
    swprintf(copy_path, MAX_PATH, L"%lsedited.exe", dir);
    if (argc <= 2) {
        WCHAR unique[32];
        swprintf(unique, 32, L"ntrun-resupd-%lu.exe", GetCurrentProcessId());
        swprintf(copy_path, MAX_PATH, L"%ls%ls", dir, unique);
    }
    if (!CopyFileW(self, copy_path, FALSE)) {
        fail_line("CopyFileW");
        return 1;
    }

    /* ---- as a data file ---- */
    HMODULE m = LoadLibraryExW(copy_path, NULL, LOAD_LIBRARY_AS_DATAFILE | DONT_RESOLVE_DLL_REFERENCES);
    printf("datafile: loaded %d, handle low bits %lu\n", m != NULL, (DWORD)((ULONG_PTR)m & 3));
    list(m);
    show_string(m, 1);
    show_string(m, 17);
    HRSRC r = FindResourceW(m, L"KEEPME", W_RT_RCDATA);
    printf("  KEEPME: \"%s\" size %lu\n", r ? (const char *)LockResource(LoadResource(m, r)) : "",
           r ? SizeofResource(m, r) : 0);
    SetLastError(0xdeadbeef);
    r = FindResourceW(m, MAKEINTRESOURCEW(1), MAKEINTRESOURCEW(99));
    printf("  FindResource of a missing type: %d error %lu\n", r != NULL, GetLastError());
    int calls = 0;
    SetLastError(0xdeadbeef);
    BOOL ok = EnumResourceTypesW(m, stop_at_first, (LONG_PTR)&calls);
    printf("  stopped enumeration: %d calls %d error %lu\n", ok, calls, GetLastError());
    SetLastError(0xdeadbeef);
    ok = EnumResourceNamesW(m, MAKEINTRESOURCEW(99), on_name, 0);
    printf("  names of a missing type: %d error %lu\n", ok, GetLastError());
    WCHAR name[MAX_PATH];
    SetLastError(0xdeadbeef);
    DWORD n = GetModuleFileNameW(m, name, MAX_PATH);
    printf("  GetModuleFileName: %lu error %lu\n", n, GetLastError());
    printf("  GetProcAddress: %d\n", GetProcAddress(m, "main") != NULL);
    printf("  FreeLibrary: %d", FreeLibrary(m));
    SetLastError(0xdeadbeef);
    printf(", again: %d\n", FreeLibrary(m));

    m = LoadLibraryExW(copy_path, NULL, LOAD_LIBRARY_AS_IMAGE_RESOURCE);
    printf("image resource: loaded %d, handle low bits %lu\n", m != NULL,
           (DWORD)((ULONG_PTR)m & 3));
    show_string(m, 2);
    printf("  FreeLibrary: %d\n", FreeLibrary(m));

    WCHAR other[MAX_PATH];
    swprintf(other, MAX_PATH, L"%lsntrun-resupd-%lu.txt", dir, GetCurrentProcessId());
    HANDLE h = CreateFileW(other, GENERIC_WRITE, 0, NULL, CREATE_ALWAYS, 0, NULL);
    DWORD wrote;
    WriteFile(h, "this is not a program, just text that is long enough to map....", 64, &wrote, NULL);
    CloseHandle(h);
    SetLastError(0xdeadbeef);
    m = LoadLibraryExW(other, NULL, LOAD_LIBRARY_AS_DATAFILE);
    printf("a text file as data: %d error %lu\n", m != NULL, GetLastError());
    DeleteFileW(other);
    SetLastError(0xdeadbeef);
    m = LoadLibraryExW(other, NULL, LOAD_LIBRARY_AS_DATAFILE);
    printf("a missing file as data: %d error %lu\n", m != NULL, GetLastError());
    SetLastError(0xdeadbeef);
    m = LoadLibraryExW(L"C:\\no\\such\\folder\\file.dll", NULL, LOAD_LIBRARY_AS_DATAFILE);
    printf("a file in a missing folder as data: %d error %lu\n", m != NULL, GetLastError());

    /* ---- updates ---- */
    HANDLE f = CreateFileW(copy_path, GENERIC_READ, FILE_SHARE_READ, NULL, OPEN_EXISTING, 0, NULL);
    static BYTE before[1 << 20];
    DWORD before_size = 0;
    ReadFile(f, before, sizeof before, &before_size, NULL);
    CloseHandle(f);
    HANDLE u = BeginUpdateResourceW(copy_path, FALSE);
    UpdateResourceW(u, W_RT_RCDATA, L"DROPME", MAKELANGID(LANG_ENGLISH, SUBLANG_ENGLISH_US), NULL, 0);
    printf("discarded update: %d, file unchanged %d\n", EndUpdateResourceW(u, TRUE),
           same_file(copy_path, before, before_size));

    SetLastError(0xdeadbeef);
    u = BeginUpdateResourceW(other, FALSE);
    printf("update of a missing file: %d error %lu\n", u != NULL, GetLastError());
    u = BeginUpdateResourceW(copy_path, FALSE);
    printf("update: begin %d\n", u != NULL);
    static BYTE ver[1024];
    DWORD vl = make_version(ver, 5, 6, 7, 8, L"edited by UpdateResource");
    WORD en = MAKELANGID(LANG_ENGLISH, SUBLANG_ENGLISH_US);
    printf("  version: %d\n", UpdateResourceW(u, W_RT_VERSION, MAKEINTRESOURCEW(1), en, ver, vl));
    /* string block 1 (IDs 0-15): ID 1 replaced, ID 3 new */
    static WCHAR block[256];
    WCHAR *p = block;
    const WCHAR *strs[16] = {L"", L"new first", L"", L"third, new"};
    for (int i = 0; i < 16; i++) {
        const WCHAR *s = strs[i] ? strs[i] : L"";
        *p++ = (WCHAR)wcslen(s);
        memcpy(p, s, wcslen(s) * 2);
        p += wcslen(s);
    }
    printf("  strings: %d\n", UpdateResourceW(u, W_RT_STRING, MAKEINTRESOURCEW(1), en, block,
                                              (DWORD)((p - block) * 2)));
    static BYTE icon[40 + 16 * 16 * 4 + 16 * 4];
    BITMAPINFOHEADER bih = {sizeof bih, 16, 32, 1, 32};
    memcpy(icon, &bih, sizeof bih);
    for (size_t i = 40; i < sizeof icon - 64; i += 4)
        icon[i + 2] = 0xff; /* red */
    printf("  icon: %d\n", UpdateResourceW(u, W_RT_ICON, MAKEINTRESOURCEW(1), en, icon, sizeof icon));
#pragma pack(push, 2)
    struct {
        WORD reserved, type, count;
        BYTE w, h, colors, res;
        WORD planes, bits;
        DWORD bytes;
        WORD id;
    } group = {0, 1, 1, 16, 16, 0, 0, 1, 32, sizeof icon, 1};
#pragma pack(pop)
    printf("  icon group: %d\n",
           UpdateResourceW(u, W_RT_GROUP_ICON, MAKEINTRESOURCEW(1), en, &group, sizeof group));
    printf("  named: %d\n", UpdateResourceW(u, L"NtrunData", L"Payload", 0, "payload", 8));
    static BYTE big[8192];
    for (size_t i = 0; i < sizeof big; i++)
        big[i] = (BYTE)(i * 7);
    printf("  big: %d\n", UpdateResourceW(u, W_RT_RCDATA, MAKEINTRESOURCEW(500), en, big, sizeof big));
    printf("  delete DROPME: %d\n", UpdateResourceW(u, W_RT_RCDATA, L"DROPME", en, NULL, 0));
    SetLastError(0xdeadbeef);
    ok = UpdateResourceW(u, W_RT_RCDATA, L"X", en, NULL, 4);
    printf("  data NULL, size 4: %d error %lu\n", ok, GetLastError());
    printf("  end: %d\n", EndUpdateResourceW(u, FALSE));

    m = LoadLibraryExW(copy_path, NULL, LOAD_LIBRARY_AS_DATAFILE);
    printf("after the update: loaded %d\n", m != NULL);
    list(m);
    show_string(m, 1);
    show_string(m, 2);
    show_string(m, 3);
    show_string(m, 17);
    r = FindResourceW(m, L"payload", L"ntrundata");
    printf("  payload: \"%s\"\n", r ? (const char *)LockResource(LoadResource(m, r)) : "");
    r = FindResourceW(m, MAKEINTRESOURCEW(500), W_RT_RCDATA);
    const BYTE *bd = r ? LockResource(LoadResource(m, r)) : NULL;
    printf("  big data intact: %d\n", bd && SizeofResource(m, r) == sizeof big && !memcmp(bd, big, sizeof big));
    r = FindResourceW(m, MAKEINTRESOURCEW(1), W_RT_ICON);
    printf("  icon intact: %d\n", r && !memcmp(LockResource(LoadResource(m, r)), icon, sizeof icon));
    FreeLibrary(m);
    show_version(copy_path);
    printf("the edited copy runs: exit %lu\n", run_copy());

    /* ---- every resource dropped but one ---- */
    if (argc <= 2) {
        u = BeginUpdateResourceW(copy_path, TRUE);
        UpdateResourceW(u, W_RT_RCDATA, MAKEINTRESOURCEW(1), 0, "only", 5);
        printf("replace all: %d\n", EndUpdateResourceW(u, FALSE));
        m = LoadLibraryExW(copy_path, NULL, LOAD_LIBRARY_AS_DATAFILE);
        list(m);
        FreeLibrary(m);
        printf("the emptied copy runs: exit %lu\n", run_copy());
        DeleteFileW(copy_path);

        /* a program without resources (args_env_exit.exe, beside this one): a new section */
        WCHAR plain[MAX_PATH];
        wcscpy(plain, self);
        wcscpy(wcsrchr(plain, '\\') + 1, L"args_env_exit.exe");
        if (CopyFileW(plain, copy_path, FALSE)) {
            m = LoadLibraryExW(copy_path, NULL, LOAD_LIBRARY_AS_DATAFILE);
            SetLastError(0xdeadbeef);
            ok = EnumResourceTypesW(m, on_type, 0);
            printf("no resources: enumeration %d error %lu\n", ok, GetLastError());
            FreeLibrary(m);
            u = BeginUpdateResourceW(copy_path, FALSE);
            UpdateResourceW(u, W_RT_STRING, MAKEINTRESOURCEW(1), en, block, (DWORD)((p - block) * 2));
            printf("a section added: %d\n", EndUpdateResourceW(u, FALSE));
            m = LoadLibraryExW(copy_path, NULL, LOAD_LIBRARY_AS_DATAFILE);
            list(m);
            show_string(m, 3);
            FreeLibrary(m);
            WCHAR log[MAX_PATH];
            swprintf(log, MAX_PATH, L"%lsntrun-resupd-%lu.log", dir, GetCurrentProcessId());
            SECURITY_ATTRIBUTES sa = {sizeof sa, NULL, TRUE};
            HANDLE sink = CreateFileW(log, GENERIC_WRITE, FILE_SHARE_READ, &sa, CREATE_ALWAYS, 0, NULL);
            printf("the program runs: exit %lu\n", run_copy_to(sink)); /* its output is its own */
            CloseHandle(sink);
            DeleteFileW(log);
            DeleteFileW(copy_path);
        } else {
            printf("no args_env_exit.exe beside the program\n");
        }
    }

    /* ---- layouts that cannot be rewritten in place: a new .rsrc section at the end ---- */
    BOOL keep = argc > 2;
    WCHAR inside[48], pinned[48];
    swprintf(inside, 48, keep ? L"edited_inside.exe" : L"ntrun-resupd-%lu-in.exe", GetCurrentProcessId());
    swprintf(pinned, 48, keep ? L"edited_pinned.exe" : L"ntrun-resupd-%lu-pin.exe", GetCurrentProcessId());
    update_layout("directory inside another section", self, dir, inside, INSIDE, block,
                  (DWORD)((p - block) * 2), keep);
    update_layout("a section that may not move after .rsrc", self, dir, pinned, PINNED, block,
                  (DWORD)((p - block) * 2), keep);
    return 0;
}
