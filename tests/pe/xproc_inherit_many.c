/* A child inherits every inheritable handle of a parent that has hundreds, as PostgreSQL's
 * backends inherit the postmaster's semaphores, latch events and its own process handle:
 * semaphores (counts 0-3) interleaved with manual-reset events (every third set), an
 * inheritable handle of the parent process (PostmasterHandle) and a section holding the list
 * (the backend variables), whose handle alone goes on the command line. Each child checks
 * every one: a semaphore gives its count as the previous count of a release (then takes it
 * back), an event its state, the process handle is not signalled (the parent waits for the
 * child) and names the parent. The parent starts children one after another as the postmaster
 * does (each ends before the next starts), makes more objects between them, then
 * "reinitialises" as the postmaster does after a child's crash: it closes the first 120
 * semaphores and events, leaving gaps among its files, makes 120 new ones and starts children
 * again, which must find the new set as valid as the first children found the old one.
 * (Under ntrun the parent's files come and go between the starts and while a start lists the
 * handles: a child once found an eventfd where its parent's process handle should be.) */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <windows.h>

#define PAIRS 200
#define FIRST 90
#define RENEWED 120

typedef struct shared_list {
    DWORD parent_pid;
    int n;
    HANDLE parent;
    HANDLE sem[PAIRS], ev[PAIRS];
    LONG count[PAIRS];
    BOOL set[PAIRS];
} shared_list;

static int child(HANDLE section, int round)
{
    shared_list *l = MapViewOfFile(section, FILE_MAP_READ, 0, 0, sizeof *l);
    if (!l) {
        printf("child %d: the section: error %lu\n", round, GetLastError());
        return 3;
    }
    int sems = 0, evs = 0;
    for (int i = 0; i < l->n; i++) {
        LONG prev = -1;
        BOOL ok = ReleaseSemaphore(l->sem[i], 1, &prev);
        DWORD taken = ok ? WaitForSingleObject(l->sem[i], 0) : WAIT_FAILED;
        if (ok && prev == l->count[i] && taken == WAIT_OBJECT_0)
            sems++;
        else if (sems == i) /* the first wrong one */
            printf("child %d: semaphore %d (%p): %d, error %lu, previous %ld (expected %ld)\n",
                   round, i, l->sem[i], ok, ok ? 0 : GetLastError(), prev, l->count[i]);
        DWORD w = WaitForSingleObject(l->ev[i], 0);
        if (w == (l->set[i] ? WAIT_OBJECT_0 : WAIT_TIMEOUT))
            evs++;
        else if (evs == i)
            printf("child %d: event %d (%p): wait %lu, error %lu\n", round, i, l->ev[i], w,
                   GetLastError());
    }
    DWORD w = WaitForSingleObject(l->parent, 0);
    BOOL right = sems == l->n && evs == l->n && w == WAIT_TIMEOUT &&
                 GetProcessId(l->parent) == l->parent_pid;
    if (!right || round == 1)
        printf("child %d: %d of %d semaphores and %d of %d events as the parent made them, the "
               "parent's process handle: wait %lu, id %s\n", round, sems, l->n, evs, l->n, w,
               GetProcessId(l->parent) == l->parent_pid ? "the parent's" : "wrong");
    fflush(stdout);
    return right ? 0 : 1;
}

static void make(shared_list *l, int from, int to, int seed, SECURITY_ATTRIBUTES *sa)
{
    for (int i = from; i < to; i++) {
        l->count[i] = (i * 7 + seed) % 4;
        l->set[i] = (i + seed) % 3 == 0;
        l->sem[i] = CreateSemaphoreA(sa, l->count[i], 8, NULL);
        l->ev[i] = CreateEventA(sa, TRUE, l->set[i], NULL);
    }
    if (to > l->n)
        l->n = to;
}

/* Children `from` to `to` one after the other; the number of those that found all right. */
static int run_children(const char *self, HANDLE section, int from, int to)
{
    int right = 0;
    for (int round = from; round <= to; round++) {
        char cmd[MAX_PATH + 64];
        snprintf(cmd, sizeof cmd, "\"%s\" child %llx %d", self,
                 (unsigned long long)(ULONG_PTR)section, round);
        STARTUPINFOA si = {sizeof si};
        PROCESS_INFORMATION pi;
        fflush(stdout);
        if (!CreateProcessA(self, cmd, NULL, NULL, TRUE, 0, NULL, NULL, &si, &pi)) {
            printf("parent: child %d: CreateProcess: error %lu\n", round, GetLastError());
            continue;
        }
        DWORD code = 0xdeadbeef;
        WaitForSingleObject(pi.hProcess, 60000);
        GetExitCodeProcess(pi.hProcess, &code);
        right += code == 0;
        CloseHandle(pi.hProcess);
        CloseHandle(pi.hThread);
    }
    return right;
}

int main(int argc, char **argv)
{
    if (argc == 4 && !strcmp(argv[1], "child"))
        return child((HANDLE)(ULONG_PTR)_strtoui64(argv[2], NULL, 16), atoi(argv[3]));
    SECURITY_ATTRIBUTES inherit = {sizeof inherit, NULL, TRUE};
    HANDLE section = CreateFileMappingA(INVALID_HANDLE_VALUE, &inherit, PAGE_READWRITE, 0,
                                        sizeof(shared_list), NULL);
    shared_list *l = section ? MapViewOfFile(section, FILE_MAP_WRITE, 0, 0, 0) : NULL;
    if (!l)
        return 2;
    make(l, 0, FIRST, 0, &inherit);
    l->parent_pid = GetCurrentProcessId();
    if (!DuplicateHandle(GetCurrentProcess(), GetCurrentProcess(), GetCurrentProcess(), &l->parent,
                         0, TRUE, DUPLICATE_SAME_ACCESS))
        return 2;
    char self[MAX_PATH];
    GetModuleFileNameA(NULL, self, sizeof self);
    int right = run_children(self, section, 1, 4);
    make(l, FIRST, PAIRS, 0, &inherit);
    right += run_children(self, section, 5, 20);
    printf("parent: %d of 20 children found all %d semaphores and events\n", right, PAIRS);
    for (int i = 0; i < RENEWED; i++) {
        CloseHandle(l->sem[i]);
        CloseHandle(l->ev[i]);
    }
    make(l, 0, RENEWED, 1, &inherit);
    right = run_children(self, section, 21, 40);
    printf("parent: after the renewal, %d of 20 children found all of them\n", right);
    return 0;
}
