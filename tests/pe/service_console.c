/* The service calls of a program started from a console, as every program is under ntrun:
 * StartServiceCtrlDispatcherW fails with ERROR_FAILED_SERVICE_CONTROLLER_CONNECT (how a program
 * learns it is not a service), RegisterServiceCtrlHandlerExW/W find no service started in this
 * process (NULL; ERROR_SERVICE_NOT_IN_EXE, where Wine 8.0 says ERROR_SERVICE_DOES_NOT_EXIST),
 * SetServiceStatus has no status handle (ERROR_INVALID_HANDLE). Go's x/sys/windows/svc takes
 * RegisterServiceCtrlHandlerExW's address at start-up (ngrok 2). */
#include <windows.h>
#include <stdio.h>

static void WINAPI service_main(DWORD argc, WCHAR **argv)
{
    (void)argc, (void)argv;
    printf("ServiceMain called\n");
}

static DWORD WINAPI handler_ex(DWORD control, DWORD type, void *data, void *context)
{
    (void)control, (void)type, (void)data, (void)context;
    return NO_ERROR;
}

static void WINAPI handler(DWORD control)
{
    (void)control;
}

int main(void)
{
    SERVICE_TABLE_ENTRYW table[] = {{(WCHAR *)L"ntrun_test", service_main}, {NULL, NULL}};
    SetLastError(0xdeadbeef);
    BOOL ok = StartServiceCtrlDispatcherW(table);
    printf("StartServiceCtrlDispatcherW: %d error %lu\n", ok, GetLastError());
    SetLastError(0xdeadbeef);
    SERVICE_STATUS_HANDLE h = RegisterServiceCtrlHandlerExW(L"ntrun_test", handler_ex, NULL);
    printf("RegisterServiceCtrlHandlerExW: %s error %lu\n", h ? "a handle" : "NULL", GetLastError());
    SetLastError(0xdeadbeef);
    h = RegisterServiceCtrlHandlerW(L"ntrun_test", handler);
    printf("RegisterServiceCtrlHandlerW: %s error %lu\n", h ? "a handle" : "NULL", GetLastError());
    SERVICE_STATUS st = {SERVICE_WIN32_OWN_PROCESS, SERVICE_RUNNING, 0, 0, 0, 0, 0};
    SetLastError(0xdeadbeef);
    ok = SetServiceStatus(NULL, &st);
    printf("SetServiceStatus(NULL): %d error %lu\n", ok, GetLastError());
    return 0;
}
