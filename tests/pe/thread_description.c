/* thread_description: SetThreadDescription / GetThreadDescription (.NET names its threads with
 * them) and NtSetInformationThread / NtQueryInformationThread(ThreadNameInformation) below:
 * no name at first (""), a name set and read back, cleared with NULL and with an empty
 * UNICODE_STRING, the size query (STATUS_BUFFER_TOO_SMALL with the size needed, also for a
 * buffer one character short), the returned Buffer pointing just past the structure, a wrong
 * length (STATUS_INFO_LENGTH_MISMATCH), NULL structure or buffer (STATUS_ACCESS_VIOLATION),
 * handles opened with only THREAD_QUERY_LIMITED_INFORMATION / THREAD_SET_LIMITED_INFORMATION
 * (enough) or only SYNCHRONIZE (access denied), a bad handle and an event handle, another
 * thread's name, and the Linux name of a named thread (/proc's comm, first 15 characters).
 * Success is HRESULT_FROM_NT(STATUS_SUCCESS), 0x10000000, not S_OK. Windows' answers as Wine's
 * kernel32 tests record them; Wine 8.0 prints the same but for the comm line (it names no Linux
 * thread). */
#include <stdio.h>
#include <string.h>
#include <windows.h>
#include <winternl.h>

#define ThreadNameInformationClass 38

typedef HRESULT(WINAPI *set_fn)(HANDLE, PCWSTR);
typedef HRESULT(WINAPI *get_fn)(HANDLE, PWSTR *);
typedef NTSTATUS(NTAPI *query_fn)(HANDLE, ULONG, void *, ULONG, ULONG *);
typedef NTSTATUS(NTAPI *setinfo_fn)(HANDLE, ULONG, const void *, ULONG);

static set_fn set_desc;
static get_fn get_desc;
static query_fn query;
static setinfo_fn setinfo;

static void show(const char *what, HANDLE thread)
{
    WCHAR *d = (WCHAR *)1;
    HRESULT hr = get_desc(thread, &d);
    printf("%-40s hr 0x%08lx ", what, (unsigned long)hr);
    if (!d)
        printf("NULL\n");
    else {
        printf("\"");
        for (WCHAR *p = d; *p; p++)
            printf(*p < 0x80 ? "%c" : "\\x%04x", *p);
        printf("\"\n");
        LocalFree(d);
    }
}

static HANDLE ready, go;

static DWORD WINAPI worker(void *arg)
{
    HRESULT hr = set_desc(GetCurrentThread(), L"ntrun worker thread, a long name");
    printf("worker: set hr 0x%08lx\n", (unsigned long)hr);
    SetEvent(ready);
    WaitForSingleObject(go, INFINITE);
    return 0;
}

int main(void)
{
    HMODULE k32 = GetModuleHandleA("kernel32.dll"), nt = GetModuleHandleA("ntdll.dll");
    set_desc = (set_fn)GetProcAddress(k32, "SetThreadDescription");
    get_desc = (get_fn)GetProcAddress(k32, "GetThreadDescription");
    query = (query_fn)GetProcAddress(nt, "NtQueryInformationThread");
    setinfo = (setinfo_fn)GetProcAddress(nt, "NtSetInformationThread");
    if (!set_desc || !get_desc || !query || !setinfo) {
        printf("missing\n");
        return 1;
    }
    HANDLE self = GetCurrentThread();
    show("initial", self);

    union {
        UNICODE_STRING us;
        char bytes[128];
    } buf;
    ULONG len = 0;
    NTSTATUS st = query(self, ThreadNameInformationClass, NULL, 0, &len);
    printf("size query: 0x%08lx len %lu\n", st, len);
    ULONG len2 = 0;
    buf.us.Length = 1;
    buf.us.MaximumLength = 0;
    buf.us.Buffer = NULL;
    st = query(self, ThreadNameInformationClass, &buf, len, &len2);
    printf("empty: 0x%08lx len %lu Length %u buffer past %d\n", st, len2, buf.us.Length,
           buf.us.Buffer == (WCHAR *)(&buf.us + 1));

    printf("set NULL: hr 0x%08lx\n", (unsigned long)set_desc(self, NULL));
    printf("set: hr 0x%08lx\n", (unsigned long)set_desc(self, L"thread_desc"));
    show("after set", self);
    st = query(self, ThreadNameInformationClass, NULL, 0, &len);
    printf("size query: 0x%08lx len %lu\n", st, len);
    st = query(self, ThreadNameInformationClass, &buf, len - sizeof(WCHAR), &len2);
    printf("one short: 0x%08lx len %lu\n", st, len2);
    memset(&buf, 0xcc, sizeof buf);
    st = query(self, ThreadNameInformationClass, &buf, sizeof buf, &len2);
    printf("full: 0x%08lx len %lu Length %u Maximum %u buffer past %d text %.11ls\n", st, len2,
           buf.us.Length, buf.us.MaximumLength, buf.us.Buffer == (WCHAR *)(&buf.us + 1),
           buf.us.Buffer);

    buf.us.Length = buf.us.MaximumLength = 8;
    buf.us.Buffer = (WCHAR *)(&buf.us + 1);
    memcpy(buf.us.Buffer, L"desc", 10);
    st = setinfo(self, ThreadNameInformationClass, &buf, sizeof buf.us);
    printf("NtSetInformationThread: 0x%08lx\n", st);
    show("after NtSetInformationThread", self);
    st = setinfo(self, ThreadNameInformationClass, &buf, sizeof buf.us - 1);
    printf("short length: 0x%08lx\n", st);
    st = setinfo(self, ThreadNameInformationClass, NULL, sizeof buf.us);
    printf("NULL structure: 0x%08lx\n", st);
    buf.us.Buffer = NULL;
    st = setinfo(self, ThreadNameInformationClass, &buf, sizeof buf.us);
    printf("NULL buffer: 0x%08lx\n", st);
    show("still", self);
    memset(&buf, 0, sizeof buf.us);
    st = setinfo(self, ThreadNameInformationClass, &buf, sizeof buf.us);
    printf("empty UNICODE_STRING: 0x%08lx\n", st);
    show("cleared", self);

    set_desc(self, L"caf\x00e9 \x4e2d");
    show("not ASCII", self);
    HANDLE h = OpenThread(THREAD_QUERY_LIMITED_INFORMATION, FALSE, GetCurrentThreadId());
    show("query-limited handle", h);
    printf("set through it: hr 0x%08lx\n", (unsigned long)set_desc(h, L"x"));
    CloseHandle(h);
    h = OpenThread(THREAD_SET_LIMITED_INFORMATION, FALSE, GetCurrentThreadId());
    printf("set-limited handle: hr 0x%08lx\n", (unsigned long)set_desc(h, L"set limited"));
    show("through it", h);
    show("read back", self);
    CloseHandle(h);
    h = OpenThread(SYNCHRONIZE, FALSE, GetCurrentThreadId());
    printf("synchronize-only handle: hr 0x%08lx\n", (unsigned long)set_desc(h, L"y"));
    show("through it", h);
    CloseHandle(h);
    show("bad handle", (HANDLE)(ULONG_PTR)0x1234);
    printf("set bad handle: hr 0x%08lx\n", (unsigned long)set_desc((HANDLE)(ULONG_PTR)0x1234, L"z"));
    HANDLE ev = CreateEventW(NULL, TRUE, FALSE, NULL);
    show("event handle", ev);
    printf("set event handle: hr 0x%08lx\n", (unsigned long)set_desc(ev, L"z"));
    CloseHandle(ev);

    ready = CreateEventW(NULL, FALSE, FALSE, NULL);
    go = CreateEventW(NULL, TRUE, FALSE, NULL);
    DWORD tid;
    HANDLE t = CreateThread(NULL, 0, worker, NULL, 0, &tid);
    WaitForSingleObject(ready, INFINITE);
    show("the worker's", t);
    char path[64], comm[32] = "";
    snprintf(path, sizeof path, "Z:\\proc\\self\\task\\%lu\\comm", tid);
    FILE *f = fopen(path, "r");
    if (f) { /* Z: is the Linux root; Wine's thread ids are not Linux's */
        if (fgets(comm, sizeof comm, f))
            comm[strcspn(comm, "\n")] = 0;
        fclose(f);
        printf("worker's comm: \"%s\"\n", comm);
    }
    printf("set from here: hr 0x%08lx\n", (unsigned long)set_desc(t, L"renamed"));
    show("the worker's", t);
    SetEvent(go);
    WaitForSingleObject(t, INFINITE);
    CloseHandle(t);
    return 0;
}
