/* FlushFileBuffers on a named pipe's server end waits until the client has read what the
 * server wrote, so a DisconnectNamedPipe right after it loses nothing. This is how PostgreSQL
 * signals a process on Windows (src/backend/port/win32/signal.c): the target's signal thread
 * serves one message-mode instance of \\.\pipe\pgsignal_PID in a loop (ConnectNamedPipe, read
 * the signal's byte, write it back, FlushFileBuffers, DisconnectNamedPipe), and the sender's
 * kill() is CallNamedPipe, which takes any failure but a broken pipe for the process being gone
 * (pg_ctl stop -w then says "server does not shut down"). Here the sender calls 200 times in a
 * row and every call must get its byte back; the order of the server's steps and the
 * client's retries (ERROR_PIPE_BUSY while the instance is between two clients, then
 * WaitNamedPipe) is up to the scheduler, the outcome is not. */
#include <stdio.h>
#include <string.h>
#include <windows.h>

static char name[128];

static HANDLE make_instance(void)
{
    return CreateNamedPipeA(name, PIPE_ACCESS_DUPLEX,
                            PIPE_TYPE_MESSAGE | PIPE_READMODE_MESSAGE | PIPE_WAIT,
                            PIPE_UNLIMITED_INSTANCES, 16, 16, 1000, NULL);
}

static DWORD WINAPI signal_thread(void *arg)
{
    HANDLE pipe = arg; /* the first instance, made before the thread (pgwin32_signal_initialize) */
    for (;;) {
        if (pipe == INVALID_HANDLE_VALUE && (pipe = make_instance()) == INVALID_HANDLE_VALUE) {
            printf("CreateNamedPipe: %lu\n", GetLastError());
            return 1;
        }
        if (ConnectNamedPipe(pipe, NULL) || GetLastError() == ERROR_PIPE_CONNECTED) {
            BYTE sig;
            DWORD n;
            if (ReadFile(pipe, &sig, 1, &n, NULL) && n == 1) {
                WriteFile(pipe, &sig, 1, &n, NULL);
                FlushFileBuffers(pipe);
            }
            DisconnectNamedPipe(pipe);
        } else {
            CloseHandle(pipe);
            pipe = INVALID_HANDLE_VALUE;
            Sleep(500);
        }
    }
}

int main(void)
{
    snprintf(name, sizeof name, "\\\\.\\pipe\\pgsignal_test_%lu", GetCurrentProcessId());
    HANDLE first = make_instance();
    if (first == INVALID_HANDLE_VALUE || !CreateThread(NULL, 0, signal_thread, first, 0, NULL))
        return 1;
    int answered = 0, shown = 0;
    for (int i = 0; i < 200; i++) {
        BYTE sig = (BYTE)(i % 32), back = 0xff;
        DWORD n = 0;
        if (CallNamedPipeA(name, &sig, 1, &back, 1, &n, 20000) && n == 1 && back == sig)
            answered++;
        else if (shown++ < 5)
            printf("call %d: error %lu, %lu bytes, %u\n", i, GetLastError(), n, back);
    }
    printf("answered: %d of 200\n", answered);
    return 0;
}
