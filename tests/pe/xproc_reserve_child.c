/* PostgreSQL's way to give a child its shared memory at the parent's address: the parent maps
 * a pagefile section where the system likes (MapViewOfFileEx at no address), starts each child
 * suspended, reserves the view's range in it with VirtualAllocEx(MEM_RESERVE) before it runs,
 * then resumes it; the child releases the reservation and maps the inherited section at that
 * very address, reads what the parent wrote and writes its own mark. A reservation that fails
 * (here asked at the child's image, which is taken) gives ERROR_INVALID_ADDRESS and the parent
 * terminates that child and starts another, as PostgreSQL retries. Then the parent
 * "reinitialises" as the postmaster does after a crash: a new, larger section at a new address,
 * and more children. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <windows.h>

#define CHILDREN 6

static int child(HANDLE section, void *at, SIZE_T size, int round)
{
    if (!VirtualFree(at, 0, MEM_RELEASE)) {
        printf("child %d: VirtualFree of the reservation: error %lu\n", round, GetLastError());
        return 3;
    }
    volatile LONG *p = MapViewOfFileEx(section, FILE_MAP_WRITE, 0, 0, size, at);
    if (p != at) {
        printf("child %d: MapViewOfFileEx at the parent's address: %p, error %lu\n", round,
               (void *)p, GetLastError());
        return 4;
    }
    if (p[0] != 0x5eed || p[size / sizeof *p - 1] != (LONG)size)
        return 5;
    InterlockedIncrement(&p[1]);
    return 0;
}

/* Starts a child suspended and reserves [at, at + size) in it first; 1 if it ran and did its
 * part, 0 if the reservation failed (the child is terminated), -1 on another failure. */
static int start(const char *self, HANDLE section, void *at, void *reserve, SIZE_T size, int round)
{
    char cmd[MAX_PATH + 96];
    snprintf(cmd, sizeof cmd, "\"%s\" child %llx %llx %llx %d", self,
             (unsigned long long)(ULONG_PTR)section, (unsigned long long)(ULONG_PTR)at,
             (unsigned long long)size, round);
    STARTUPINFOA si = {sizeof si};
    PROCESS_INFORMATION pi;
    fflush(stdout);
    if (!CreateProcessA(self, cmd, NULL, NULL, TRUE, CREATE_SUSPENDED, NULL, NULL, &si, &pi))
        return -1;
    void *got = VirtualAllocEx(pi.hProcess, reserve, size, MEM_RESERVE, PAGE_READWRITE);
    DWORD err = GetLastError();
    int result;
    DWORD code = 0xdeadbeef;
    if (got != reserve) {
        printf("child %d: the reservation: %s, error %lu\n", round, got ? "elsewhere" : "failed",
               err);
        TerminateProcess(pi.hProcess, 255);
        WaitForSingleObject(pi.hProcess, 30000);
        GetExitCodeProcess(pi.hProcess, &code);
        printf("child %d: terminated, exit code %lu\n", round, code);
        result = 0;
    } else {
        ResumeThread(pi.hThread);
        WaitForSingleObject(pi.hProcess, 30000);
        GetExitCodeProcess(pi.hProcess, &code);
        if (code != 0)
            printf("child %d: exit code %lu\n", round, code);
        result = code == 0 ? 1 : -1;
    }
    CloseHandle(pi.hThread);
    CloseHandle(pi.hProcess);
    return result;
}

/* One generation: a section of `size` mapped anywhere, children until CHILDREN did their part
 * (the first one's reservation asked at `taken` when not NULL). */
static void generation(const char *self, SIZE_T size, void *taken, const char *name)
{
    SECURITY_ATTRIBUTES inherit = {sizeof inherit, NULL, TRUE};
    HANDLE section = CreateFileMappingA(INVALID_HANDLE_VALUE, &inherit, PAGE_READWRITE, 0,
                                        (DWORD)size, NULL);
    volatile LONG *p = section ? MapViewOfFileEx(section, FILE_MAP_WRITE, 0, 0, 0, NULL) : NULL;
    if (!p) {
        printf("%s: the section: error %lu\n", name, GetLastError());
        return;
    }
    p[0] = 0x5eed;
    p[size / sizeof *p - 1] = (LONG)size;
    int done = 0, failed = 0;
    for (int round = 1; done < CHILDREN && round <= 3 * CHILDREN; round++) {
        int r = start(self, section, (void *)p, round == 1 && taken ? taken : (void *)p, size,
                      round);
        done += r == 1;
        failed += r == -1;
    }
    printf("%s: %d children mapped the %lu MiB section at the parent's address, %ld marks, %d "
           "failures\n", name, done, (unsigned long)(size >> 20), p[1], failed);
    UnmapViewOfFile((void *)p);
    CloseHandle(section);
}

int main(int argc, char **argv)
{
    if (argc == 6 && !strcmp(argv[1], "child"))
        return child((HANDLE)(ULONG_PTR)_strtoui64(argv[2], NULL, 16),
                     (void *)(ULONG_PTR)_strtoui64(argv[3], NULL, 16),
                     (SIZE_T)_strtoui64(argv[4], NULL, 16), atoi(argv[5]));
    char self[MAX_PATH];
    GetModuleFileNameA(NULL, self, sizeof self);
    /* the child's image lies where ours does: a reservation there fails */
    generation(self, 64u << 20, GetModuleHandleA(NULL), "first");
    generation(self, 160u << 20, NULL, "after the restart");
    return 0;
}
