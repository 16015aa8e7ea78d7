/* A thread-pool wait on the console input handle, as libuv reads a console in raw mode
 * (Node.js's process.stdin.setRawMode(true)): RegisterWaitForSingleObject on the input handle
 * with WT_EXECUTEINWAITTHREAD | WT_EXECUTEONLYONCE; the callback unregisters the wait through
 * the variable the call filled and clears it; to stop reading, libuv writes a FOCUS_EVENT
 * record with WriteConsoleInputW, which must wake the wait, and reads it back with
 * ReadConsoleInputW. On Windows the input handle is signalled exactly while the input buffer
 * holds records. Checked: an empty buffer's handle is not signalled and its wait does not call
 * back; a record written from another thread (and 200 times from the registering thread) calls
 * back once, with the handle in the variable; the handle is signalled until the record is read
 * and not after; a key typed on the terminal calls back.
 *
 * With "tty" (tests/cli/console-wait-pty.sh runs it on a pseudo-terminal, stdout a file); with
 * no console (the PE test) it says so. */
#include <windows.h>
#include <stdio.h>
#include <string.h>
#include "console_say.h"

#define ROUNDS 200

static HANDLE in, done_ev;
static HANDLE volatile slot;
static volatile LONG fired, saw_null;

static void CALLBACK on_input(void *ctx, BOOLEAN timed_out)
{
    HANDLE w = slot;
    if (!w || timed_out)
        InterlockedIncrement(&saw_null);
    UnregisterWait(w);
    slot = NULL;
    InterlockedIncrement(&fired);
    SetEvent(done_ev);
}

static BOOL write_focus(void)
{
    INPUT_RECORD r;
    DWORD n = 0;
    memset(&r, 0, sizeof r);
    r.EventType = FOCUS_EVENT;
    return WriteConsoleInputW(in, &r, 1, &n) && n == 1;
}

static DWORD WINAPI writer(void *arg)
{
    return write_focus() ? 0 : 1;
}

static BOOL arm(void)
{
    return RegisterWaitForSingleObject((HANDLE *)&slot, in, on_input, NULL, INFINITE,
                                       WT_EXECUTEINWAITTHREAD | WT_EXECUTEONLYONCE);
}

/* Reads one record: its event type, or 0. */
static int read_one(void)
{
    INPUT_RECORD r;
    DWORD n = 0;
    if (!ReadConsoleInputW(in, &r, 1, &n) || n != 1)
        return 0;
    return r.EventType;
}

static DWORD events(void)
{
    DWORD n = 99;
    GetNumberOfConsoleInputEvents(in, &n);
    return n;
}

int main(int argc, char **argv)
{
    in = GetStdHandle(STD_INPUT_HANDLE);
    DWORD n;
    if (argc < 2 || strcmp(argv[1], "tty") || !GetNumberOfConsoleInputEvents(in, &n)) {
        SetLastError(0);
        BOOL ok = GetNumberOfConsoleInputEvents(in, &n);
        printf("no console: GetNumberOfConsoleInputEvents %d, error %lu\n", ok, GetLastError());
        return 0;
    }
    done_ev = CreateEventW(NULL, FALSE, FALSE, NULL);
    printf("raw mode %d\n", SetConsoleMode(in, ENABLE_WINDOW_INPUT));
    FlushConsoleInputBuffer(in);
    printf("empty: events %lu, wait %lu\n", events(), WaitForSingleObject(in, 0));

    /* armed on the empty buffer: nothing calls back until a record comes */
    printf("armed %d\n", arm());
    printf("after 200 ms: callbacks %ld\n", (WaitForSingleObject(done_ev, 200), fired));
    HANDLE t = CreateThread(NULL, 0, writer, NULL, 0, NULL);
    DWORD woke = WaitForSingleObject(done_ev, 10000);
    WaitForSingleObject(t, INFINITE);
    GetExitCodeThread(t, &n);
    printf("written by another thread %lu: woke %lu, callbacks %ld, saw no handle %ld, "
           "handle left %d\n", n, woke, fired, saw_null, slot != NULL);
    printf("events %lu, wait %lu\n", events(), WaitForSingleObject(in, 0));
    int type = read_one();
    printf("read type %d, then events %lu, wait %lu\n", type, events(),
           WaitForSingleObject(in, 0));

    /* libuv's uv_tty_read_stop: the record written by the thread that armed the wait */
    fired = saw_null = 0;
    int left = 0, lost = 0, focus = 0, unsignalled = 0;
    for (int i = 0; i < ROUNDS; i++) {
        if (!arm() || !write_focus())
            break;
        if (WaitForSingleObject(done_ev, 10000) != WAIT_OBJECT_0)
            lost++;
        if (slot) {
            left++;
            UnregisterWait(slot);
            slot = NULL;
        }
        focus += read_one() == FOCUS_EVENT;
        unsignalled += WaitForSingleObject(in, 0) == WAIT_TIMEOUT;
    }
    printf("%d rounds: callbacks %ld, saw no handle %ld, handle left %d, lost %d, focus records "
           "read %d, unsignalled after the read %d\n",
           ROUNDS, fired, saw_null, left, lost, focus, unsignalled);

    /* a key typed on the terminal */
    fired = 0;
    arm();
    say("press k");
    woke = WaitForSingleObject(done_ev, 20000);
    INPUT_RECORD r;
    WCHAR key = 0;
    while (!key && ReadConsoleInputW(in, &r, 1, &n) && n == 1)
        if (r.EventType == KEY_EVENT && r.Event.KeyEvent.bKeyDown)
            key = r.Event.KeyEvent.uChar.UnicodeChar;
    printf("typed: woke %lu, callbacks %ld, key %c\n", woke, fired, (char)key);
    return 0;
}
