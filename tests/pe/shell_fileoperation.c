/* shell_fileoperation: the shell's items and copy engine as windows-trash (the `trash` npm
 * package) uses them: ILCreateFromPathW of a missing file's full path and of a relative name
 * (NULL: a relative name is parsed from the Desktop folder) and of a file's full path,
 * SHCreateShellItemArrayFromIDLists (GetCount, GetItemAt in and out of range, GetDisplayName
 * as the full path and as the name in its folder), SHCreateItemFromParsingName of a full path and
 * of a relative name (which fails), CoCreateInstance(CLSID_FileOperation) in an
 * apartment, a progress sink (Advise) that sees StartOperations, PreDeleteItem and
 * PostDeleteItem (S_OK) for each item and FinishOperations, DeleteItems + PerformOperations
 * without FOF_ALLOWUNDO (deleted for good: both files are gone, a third one stays),
 * GetAnyOperationsAborted, a sink whose PreDeleteItem refuses (E_ABORT: the file stays), and
 * Release's count down to 0 (windows-trash exits with it). */
#define COBJMACROS
#include <initguid.h>
#include <stdio.h>
#include <string.h>
#include <wchar.h>
#include <windows.h>
#include <shlobj.h>
#include <shobjidl.h>

static int refuse; /* PreDeleteItem's answer: 0 S_OK, else E_ABORT (the sink then prints nothing:
                      * which calls follow a refusal is not what this test pins) */

static const char *name_of(IShellItem *it)
{
    static char buf[MAX_PATH];
    WCHAR *s = NULL;
    if (FAILED(IShellItem_GetDisplayName(it, SIGDN_PARENTRELATIVEPARSING, &s)))
        return "?";
    WideCharToMultiByte(CP_ACP, 0, s, -1, buf, sizeof buf, NULL, NULL);
    CoTaskMemFree(s);
    return buf;
}

static HRESULT STDMETHODCALLTYPE s_qi(IFileOperationProgressSink *s, REFIID iid, void **out)
{
    if (IsEqualIID(iid, &IID_IUnknown) || IsEqualIID(iid, &IID_IFileOperationProgressSink)) {
        *out = s;
        return S_OK;
    }
    *out = NULL;
    return E_NOINTERFACE;
}
static ULONG STDMETHODCALLTYPE s_addref(IFileOperationProgressSink *s) { (void)s; return 2; }
static ULONG STDMETHODCALLTYPE s_release(IFileOperationProgressSink *s) { (void)s; return 1; }
static HRESULT STDMETHODCALLTYPE s_start(IFileOperationProgressSink *s)
{
    (void)s;
    if (!refuse)
        printf("  StartOperations\n");
    return S_OK;
}
static HRESULT STDMETHODCALLTYPE s_finish(IFileOperationProgressSink *s, HRESULT hr)
{
    (void)s;
    if (!refuse)
        printf("  FinishOperations %s\n", SUCCEEDED(hr) ? "succeeded" : "failed");
    return S_OK;
}
static HRESULT STDMETHODCALLTYPE s_pre_rename(IFileOperationProgressSink *s, DWORD f,
                                              IShellItem *i, LPCWSTR n)
{ (void)s, (void)f, (void)i, (void)n; return S_OK; }
static HRESULT STDMETHODCALLTYPE s_post_rename(IFileOperationProgressSink *s, DWORD f,
                                               IShellItem *i, LPCWSTR n, HRESULT h,
                                               IShellItem *c)
{ (void)s, (void)f, (void)i, (void)n, (void)h, (void)c; return S_OK; }
static HRESULT STDMETHODCALLTYPE s_pre_move(IFileOperationProgressSink *s, DWORD f,
                                            IShellItem *i, IShellItem *d, LPCWSTR n)
{ (void)s, (void)f, (void)i, (void)d, (void)n; return S_OK; }
static HRESULT STDMETHODCALLTYPE s_post_move(IFileOperationProgressSink *s, DWORD f,
                                             IShellItem *i, IShellItem *d, LPCWSTR n,
                                             HRESULT h, IShellItem *c)
{ (void)s, (void)f, (void)i, (void)d, (void)n, (void)h, (void)c; return S_OK; }
static HRESULT STDMETHODCALLTYPE s_pre_delete(IFileOperationProgressSink *s, DWORD f,
                                              IShellItem *i)
{
    (void)s;
    if (refuse)
        return E_ABORT;
    printf("  PreDeleteItem %s (%s)\n", name_of(i),
           f & TSF_DELETE_RECYCLE_IF_POSSIBLE ? "to the bin" : "for good");
    return S_OK;
}
static HRESULT STDMETHODCALLTYPE s_post_delete(IFileOperationProgressSink *s, DWORD f,
                                               IShellItem *i, HRESULT hr, IShellItem *c)
{
    (void)s, (void)f, (void)c;
    if (!refuse)
        printf("  PostDeleteItem %s hr=0x%08lx\n", name_of(i), (unsigned long)hr);
    return S_OK;
}
static HRESULT STDMETHODCALLTYPE s_pre_new(IFileOperationProgressSink *s, DWORD f,
                                           IShellItem *d, LPCWSTR n)
{ (void)s, (void)f, (void)d, (void)n; return S_OK; }
static HRESULT STDMETHODCALLTYPE s_post_new(IFileOperationProgressSink *s, DWORD f,
                                            IShellItem *d, LPCWSTR n, LPCWSTR t, DWORD a,
                                            HRESULT h, IShellItem *c)
{ (void)s, (void)f, (void)d, (void)n, (void)t, (void)a, (void)h, (void)c; return S_OK; }
static HRESULT STDMETHODCALLTYPE s_progress(IFileOperationProgressSink *s, UINT t, UINT d)
{ (void)s, (void)t, (void)d; return S_OK; }
static HRESULT STDMETHODCALLTYPE s_timer(IFileOperationProgressSink *s) { (void)s; return S_OK; }

static IFileOperationProgressSinkVtbl sink_vtbl = {
    s_qi,          s_addref,     s_release,     s_start,     s_finish,      s_pre_rename,
    s_post_rename, s_pre_move,   s_post_move,   s_pre_move,  s_post_move,   s_pre_delete,
    s_post_delete, s_pre_new,    s_post_new,    s_progress,  s_timer,       s_timer,
    s_timer};
static IFileOperationProgressSink sink = {&sink_vtbl};

static void put(const char *name, const char *text)
{
    FILE *f = fopen(name, "wb");
    fputs(text, f);
    fclose(f);
}

static const char *exists(const WCHAR *name)
{
    return GetFileAttributesW(name) != INVALID_FILE_ATTRIBUTES ? "there" : "gone";
}

/* An array of the items for names (each made by ILCreateFromPathW of its full path, as
 * windows-trash does: a relative name is parsed from the Desktop, not the current folder). */
static IShellItemArray *items_of(const WCHAR **names, int n)
{
    PIDLIST_ABSOLUTE pidls[8];
    for (int i = 0; i < n; i++) {
        WCHAR full[MAX_PATH];
        GetFullPathNameW(names[i], MAX_PATH, full, NULL);
        pidls[i] = ILCreateFromPathW(full);
    }
    IShellItemArray *arr = NULL;
    HRESULT hr = SHCreateShellItemArrayFromIDLists(n, (PCIDLIST_ABSOLUTE_ARRAY)pidls, &arr);
    printf("SHCreateShellItemArrayFromIDLists(%d): 0x%08lx\n", n, (unsigned long)hr);
    for (int i = 0; i < n; i++)
        ILFree(pidls[i]);
    return arr;
}

int main(void)
{
    put("a.txt", "a\n");
    put("b.txt", "b\n");
    put("keep.txt", "keep\n");

    WCHAR full[MAX_PATH];
    GetFullPathNameW(L"missing.txt", MAX_PATH, full, NULL);
    printf("ILCreateFromPathW(full path of a missing file): %s\n",
           ILCreateFromPathW(full) ? "a list" : "NULL");
    printf("ILCreateFromPathW(a.txt, relative): %s\n", ILCreateFromPathW(L"a.txt") ? "a list" : "NULL");
    GetFullPathNameW(L"a.txt", MAX_PATH, full, NULL);
    PIDLIST_ABSOLUTE p = ILCreateFromPathW(full);
    printf("ILCreateFromPathW(full path of a.txt): %s, ILGetSize > 2: %d\n", p ? "a list" : "NULL",
           p && ILGetSize(p) > 2);
    ILFree(p);

    const WCHAR *names[] = {L"a.txt", L"b.txt"};
    IShellItemArray *arr = items_of(names, 2);
    DWORD count = 0;
    IShellItemArray_GetCount(arr, &count);
    printf("GetCount: %lu\n", (unsigned long)count);
    IShellItem *it = NULL;
    IShellItemArray_GetItemAt(arr, 0, &it);
    WCHAR *path = NULL;
    IShellItem_GetDisplayName(it, SIGDN_FILESYSPATH, &path);
    printf("item 0: %s, FILESYSPATH is the full path: %d\n", name_of(it), !wcscmp(path, full));
    CoTaskMemFree(path);
    IShellItem_Release(it);
    it = NULL;
    HRESULT hr = IShellItemArray_GetItemAt(arr, 2, &it);
    printf("GetItemAt(2): %s\n", FAILED(hr) ? "failed" : "succeeded");
    hr = SHCreateItemFromParsingName(full, NULL, &IID_IShellItem, (void **)&it);
    printf("SHCreateItemFromParsingName(full path of a.txt): 0x%08lx, %s\n", (unsigned long)hr,
           SUCCEEDED(hr) ? name_of(it) : "-");
    if (SUCCEEDED(hr))
        IShellItem_Release(it);
    it = NULL;
    hr = SHCreateItemFromParsingName(L"a.txt", NULL, &IID_IShellItem, (void **)&it);
    printf("SHCreateItemFromParsingName(a.txt, relative): %s\n", FAILED(hr) ? "failed" : "succeeded");

    printf("CoInitializeEx: 0x%08lx\n",
           (unsigned long)CoInitializeEx(NULL, COINIT_APARTMENTTHREADED | COINIT_DISABLE_OLE1DDE));
    IFileOperation *op = NULL;
    hr = CoCreateInstance(&CLSID_FileOperation, NULL, CLSCTX_ALL, &IID_IFileOperation,
                          (void **)&op);
    printf("CoCreateInstance(CLSID_FileOperation): 0x%08lx\n", (unsigned long)hr);
    if (FAILED(hr))
        return 1;
    DWORD cookie = 0;
    printf("SetOperationFlags: 0x%08lx\n",
           (unsigned long)IFileOperation_SetOperationFlags(op, FOF_NO_UI));
    hr = IFileOperation_Advise(op, &sink, &cookie);
    printf("Advise: 0x%08lx, cookie given: %d\n", (unsigned long)hr, cookie != 0);
    printf("DeleteItems: 0x%08lx\n", (unsigned long)IFileOperation_DeleteItems(op, (IUnknown *)arr));
    hr = IFileOperation_PerformOperations(op);
    printf("PerformOperations: 0x%08lx\n", (unsigned long)hr);
    BOOL aborted = TRUE;
    IFileOperation_GetAnyOperationsAborted(op, &aborted);
    printf("aborted: %d; a.txt %s, b.txt %s, keep.txt %s\n", aborted, exists(L"a.txt"),
           exists(L"b.txt"), exists(L"keep.txt"));
    IShellItemArray_Release(arr);
    printf("Release: %lu\n", (unsigned long)IFileOperation_Release(op));

    hr = CoCreateInstance(&CLSID_FileOperation, NULL, CLSCTX_ALL, &IID_IFileOperation,
                          (void **)&op);
    IFileOperation_SetOperationFlags(op, FOF_NO_UI);
    IFileOperation_Advise(op, &sink, &cookie);
    const WCHAR *keep[] = {L"keep.txt"};
    arr = items_of(keep, 1);
    IFileOperation_DeleteItems(op, (IUnknown *)arr);
    refuse = 1;
    hr = IFileOperation_PerformOperations(op);
    printf("PerformOperations with a refusing sink: keep.txt %s\n", exists(L"keep.txt"));
    IShellItemArray_Release(arr);
    printf("Release: %lu\n", (unsigned long)IFileOperation_Release(op));
    DeleteFileW(L"keep.txt");
    CoUninitialize();
    return 0;
}
