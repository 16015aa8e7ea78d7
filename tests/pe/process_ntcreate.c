/* NtCreateUserProcess called directly (as a runtime without kernel32's CreateProcess would):
 * normalized RTL_USER_PROCESS_PARAMETERS with the command line, current directory, environment
 * and a redirected standard output, PS_ATTRIBUTE_IMAGE_NAME and PS_ATTRIBUTE_CLIENT_ID in the
 * attribute list, the inherit-handles process flag and a suspended primary thread. */
#include <stdio.h>
#include <string.h>
#include <windows.h>
#include <winternl.h>

typedef struct {
    ULONG_PTR Attribute;
    SIZE_T Size;
    ULONG_PTR Value;
    SIZE_T *ReturnLength;
} ATTR;
typedef struct {
    SIZE_T TotalLength;
    ATTR Attributes[2];
} ATTR_LIST;
typedef struct {
    HANDLE UniqueProcess, UniqueThread;
} CID;
typedef NTSTATUS(NTAPI *create_fn)(HANDLE *, HANDLE *, ACCESS_MASK, ACCESS_MASK, void *, void *,
                                   ULONG, ULONG, void *, void *, void *);

static void set_us(UNICODE_STRING *us, WCHAR *s)
{
    us->Buffer = s;
    us->Length = (USHORT)(wcslen(s) * 2);
    us->MaximumLength = us->Length + 2;
}

int main(int argc, char **argv)
{
    if (argc > 1 && !strcmp(argv[1], "child")) {
        printf("child: [%s] variable: %s\n", GetCommandLineA() + strlen(GetCommandLineA()) - 5,
               getenv("NTCREATE_TEST") ? getenv("NTCREATE_TEST") : "(no variable)");
        return 0x77;
    }
    create_fn create = (create_fn)GetProcAddress(GetModuleHandleA("ntdll.dll"), "NtCreateUserProcess");
    printf("NtCreateUserProcess exported: %s\n", create ? "yes" : "no");
    if (!create)
        return 1;
    static WCHAR self[MAX_PATH], nt_image[MAX_PATH + 8], cmd[MAX_PATH + 16], cwd[MAX_PATH];
    GetModuleFileNameW(NULL, self, MAX_PATH);
    swprintf(nt_image, MAX_PATH + 8, L"\\??\\%ls", self);
    swprintf(cmd, MAX_PATH + 16, L"\"%ls\" child", self);
    GetCurrentDirectoryW(MAX_PATH, cwd);
    SetEnvironmentVariableA("NTCREATE_TEST", "from the environment block");

    SECURITY_ATTRIBUTES sa = {sizeof sa, NULL, TRUE};
    HANDLE r, w;
    CreatePipe(&r, &w, &sa, 0);
    SetHandleInformation(r, HANDLE_FLAG_INHERIT, 0);

    static BYTE params_buf[0x440];
    RTL_USER_PROCESS_PARAMETERS *pp = (RTL_USER_PROCESS_PARAMETERS *)params_buf;
    ULONG *raw = (ULONG *)params_buf;
    raw[0] = raw[1] = sizeof params_buf; /* MaximumLength, Length */
    raw[2] = 1;                          /* Flags: normalized */
    *(HANDLE *)(params_buf + 0x20) = GetStdHandle(STD_INPUT_HANDLE);
    *(HANDLE *)(params_buf + 0x28) = w;
    *(HANDLE *)(params_buf + 0x30) = GetStdHandle(STD_ERROR_HANDLE);
    set_us((UNICODE_STRING *)(params_buf + 0x38), cwd); /* CurrentDirectory.DosPath */
    set_us(&pp->ImagePathName, self);
    set_us(&pp->CommandLine, cmd);
    WCHAR *env = GetEnvironmentStringsW();
    *(WCHAR **)(params_buf + 0x80) = env; /* Environment */
    SIZE_T env_len = 0;
    while (env[env_len] || env[env_len + 1])
        env_len++;
    *(SIZE_T *)(params_buf + 0x3f0) = (env_len + 2) * 2; /* EnvironmentSize */

    CID cid = {0};
    ATTR_LIST attrs = {sizeof attrs,
                       {{0x20005, wcslen(nt_image) * 2, (ULONG_PTR)nt_image, NULL},
                        {0x10003, sizeof cid, (ULONG_PTR)&cid, NULL}}};
    BYTE create_info[0x58] = {0};
    *(SIZE_T *)create_info = sizeof create_info;
    HANDLE process = NULL, thread = NULL;
    NTSTATUS st = create(&process, &thread, PROCESS_ALL_ACCESS, THREAD_ALL_ACCESS, NULL, NULL,
                         4 /* inherit handles */, 1 /* suspended */, pp, create_info, &attrs);
    printf("NtCreateUserProcess: %#lx\n", (unsigned long)st);
    if (st)
        return 1;
    CloseHandle(w);
    printf("client id: %s\n", (DWORD)(ULONG_PTR)cid.UniqueProcess == GetProcessId(process) &&
                                      (DWORD)(ULONG_PTR)cid.UniqueThread == GetThreadId(thread)
                                  ? "matches the handles"
                                  : "differs");
    printf("suspended: %s\n", WaitForSingleObject(process, 100) == WAIT_TIMEOUT ? "yes" : "no");
    printf("ResumeThread: %lu\n", ResumeThread(thread));
    char buf[256];
    DWORD n, len = 0;
    while (ReadFile(r, buf + len, sizeof buf - 1 - len, &n, NULL) && n)
        len += n;
    buf[len] = 0;
    printf("%s", buf);
    WaitForSingleObject(process, INFINITE);
    DWORD code = 0;
    GetExitCodeProcess(process, &code);
    printf("exit code %#lx\n", code);
    return 0;
}
