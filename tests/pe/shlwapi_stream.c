/* shlwapi's IStreams: SHCreateMemStream (copy of the initial bytes, Read/Write/Seek/SetSize/
 * Stat/Clone sharing the bytes, CopyTo into another stream, QueryInterface and reference
 * counts) and SHCreateStreamOnFileEx/W (create, write, read back, Stat's name and size, an
 * existing file refused by CREATE_NEW semantics, a missing file's error). Expected output:
 * Wine 8.0's but two: a memory stream clones (Windows 8 and later; Wine 8.0: E_NOTIMPL) and a
 * file stream's Stat type is STGTY_STREAM (Wine 8.0: 0). */
#define COBJMACROS
#include <stdio.h>
#include <windows.h>
#include <objidl.h>
#include <shlwapi.h>

static void show_hr(const char *what, HRESULT hr) { printf("%s: 0x%08lx\n", what, (unsigned long)hr); }

int main(void)
{
    IStream *s = SHCreateMemStream((const BYTE *)"hello world", 11);
    if (!s) {
        printf("no stream\n");
        return 1;
    }
    char buf[64] = {0};
    ULONG n = 0;
    HRESULT hr = IStream_Read(s, buf, 5, &n);
    printf("read: 0x%lx %lu '%s'\n", (unsigned long)hr, n, buf);
    LARGE_INTEGER mv;
    ULARGE_INTEGER pos;
    mv.QuadPart = -3;
    hr = IStream_Seek(s, mv, STREAM_SEEK_END, &pos);
    printf("seek end-3: 0x%lx %llu\n", (unsigned long)hr, (unsigned long long)pos.QuadPart);
    memset(buf, 0, sizeof buf);
    hr = IStream_Read(s, buf, 10, &n);
    printf("short read: 0x%lx %lu '%s'\n", (unsigned long)hr, n, buf);
    mv.QuadPart = -1;
    show_hr("seek before start", IStream_Seek(s, mv, STREAM_SEEK_SET, &pos));
    mv.QuadPart = 0;
    hr = IStream_Seek(s, mv, STREAM_SEEK_CUR, &pos);
    printf("pos after refused seek: %llu\n", (unsigned long long)pos.QuadPart);
    hr = IStream_Write(s, "!!", 2, &n);
    printf("write: 0x%lx %lu\n", (unsigned long)hr, n);
    STATSTG st;
    memset(&st, 0xcc, sizeof st);
    hr = IStream_Stat(s, &st, STATFLAG_NONAME);
    printf("stat: 0x%lx type %lu size %llu name %p\n", (unsigned long)hr, st.type,
           (unsigned long long)st.cbSize.QuadPart, (void *)st.pwcsName);
    ULARGE_INTEGER sz;
    sz.QuadPart = 4;
    show_hr("setsize 4", IStream_SetSize(s, sz));
    mv.QuadPart = 0;
    IStream_Seek(s, mv, STREAM_SEEK_SET, NULL);
    memset(buf, 0, sizeof buf);
    IStream_Read(s, buf, sizeof buf, &n);
    printf("after setsize: %lu '%s'\n", n, buf);

    IStream *c = NULL;
    hr = IStream_Clone(s, &c);
    printf("clone: 0x%lx %d\n", (unsigned long)hr, c != NULL);
    if (c) {
        mv.QuadPart = 0;
        IStream_Seek(c, mv, STREAM_SEEK_SET, NULL);
        IStream_Write(c, "J", 1, NULL);
        IStream_Seek(s, mv, STREAM_SEEK_SET, NULL);
        memset(buf, 0, sizeof buf);
        IStream_Read(s, buf, sizeof buf, &n);
        printf("original after clone write: '%s'\n", buf);
        IStream_Release(c);
    }

    IUnknown *unk = NULL;
    hr = IStream_QueryInterface(s, &IID_IUnknown, (void **)&unk);
    printf("qi unknown: 0x%lx same %d\n", (unsigned long)hr, (void *)unk == (void *)s);
    ULONG refs = IUnknown_Release(unk);
    printf("refs after release: %lu\n", refs);
    void *other = (void *)1;
    show_hr("qi storage", IStream_QueryInterface(s, &IID_IStorage, &other));
    printf("out cleared: %d\n", other == NULL);
    printf("addref: %lu\n", IStream_AddRef(s));
    printf("release: %lu\n", IStream_Release(s));

    IStream *dst = SHCreateMemStream(NULL, 0);
    mv.QuadPart = 0;
    IStream_Seek(s, mv, STREAM_SEEK_SET, NULL);
    ULARGE_INTEGER want, got, put;
    want.QuadPart = 100;
    hr = IStream_CopyTo(s, dst, want, &got, &put);
    printf("copyto: 0x%lx %llu %llu\n", (unsigned long)hr, (unsigned long long)got.QuadPart,
           (unsigned long long)put.QuadPart);
    IStream_Stat(dst, &st, STATFLAG_NONAME);
    printf("copy size %llu\n", (unsigned long long)st.cbSize.QuadPart);
    IStream_Release(dst);
    printf("final release: %lu\n", IStream_Release(s));

    /* file streams */
    IStream *f = NULL;
    DeleteFileW(L"stream_test.bin");
    hr = SHCreateStreamOnFileEx(L"stream_test.bin", STGM_READWRITE | STGM_CREATE, 0, TRUE,
                                NULL, &f);
    printf("file create: 0x%lx\n", (unsigned long)hr);
    if (!f)
        return 1;
    hr = IStream_Write(f, "0123456789", 10, &n);
    printf("file write: 0x%lx %lu\n", (unsigned long)hr, n);
    mv.QuadPart = 2;
    hr = IStream_Seek(f, mv, STREAM_SEEK_SET, &pos);
    memset(buf, 0, sizeof buf);
    hr = IStream_Read(f, buf, 4, &n);
    printf("file read: 0x%lx %lu '%s'\n", (unsigned long)hr, n, buf);
    hr = IStream_Stat(f, &st, STATFLAG_DEFAULT);
    printf("file stat: 0x%lx type %lu size %llu name %ls\n", (unsigned long)hr, st.type,
           (unsigned long long)st.cbSize.QuadPart, st.pwcsName ? st.pwcsName : L"(none)");
    CoTaskMemFree(st.pwcsName);
    printf("file release: %lu\n", IStream_Release(f));

    IStream *g = NULL;
    show_hr("create existing, fCreate",
            SHCreateStreamOnFileEx(L"stream_test.bin", STGM_READ, 0, TRUE, NULL, &g));
    hr = SHCreateStreamOnFileW(L"stream_test.bin", STGM_READ, &g);
    printf("open W: 0x%lx\n", (unsigned long)hr);
    if (g) {
        show_hr("write on read-only", IStream_Write(g, "x", 1, &n));
        memset(buf, 0, sizeof buf);
        IStream_Read(g, buf, sizeof buf, &n);
        printf("read all: %lu '%s'\n", n, buf);
        IStream_Release(g);
    }
    g = (IStream *)1;
    show_hr("missing file", SHCreateStreamOnFileW(L"no_such_file.bin", STGM_READ, &g));
    printf("out cleared: %d\n", g == NULL);
    DeleteFileW(L"stream_test.bin");
    return 0;
}
