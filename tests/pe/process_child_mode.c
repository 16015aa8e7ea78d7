/* A process tree runs as one: the program starts itself, and that child starts a grandchild,
 * each with its standard output and error redirected to pipes its parent reads. Every process
 * probes what --sud=inclusive changes for a program: an executable allocation at a chosen
 * address outside ntrun's foreign range (0x500000000000) fails there with
 * ERROR_INVALID_ADDRESS and succeeds in the default mode, as it does on Windows, whose user
 * space reaches 0x7ffffffeffff. The test prints only whether the three agree, so its output is
 * the same on Windows, in the default mode and under --sud=inclusive (label sud_inclusive, where
 * the children used to run in the default mode), and the stderr each process captures holds
 * exactly what the program wrote: ntrun's own messages (the mode's refusal is said once per
 * process) go to the first ntrun's stderr, not into a pipe the parent program reads.
 *   process_child_mode [level N]      (N: how many generations below this one)
 *   process_child_mode run PATH       (runs PATH as a child, prints its exit code: cli tests) */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <windows.h>

static const char *probe(void)
{
    static char buf[64];
    void *p = VirtualAlloc((void *)0x500000000000ull, 65536, MEM_RESERVE | MEM_COMMIT,
                           PAGE_EXECUTE_READWRITE);
    if (p) {
        VirtualFree(p, 0, MEM_RELEASE);
        snprintf(buf, sizeof buf, "RWX at 0x500000000000: ok");
    } else {
        snprintf(buf, sizeof buf, "RWX at 0x500000000000: error %lu", GetLastError());
    }
    return buf;
}

/* All of a pipe's text, its CR LF line ends as LF (printed again through a text stream). */
static void read_all(HANDLE h, char *buf, size_t size)
{
    DWORD n;
    size_t len = 0;
    while (len < size - 1 && ReadFile(h, buf + len, (DWORD)(size - 1 - len), &n, NULL) && n)
        len += n;
    size_t k = 0;
    for (size_t i = 0; i < len; i++)
        if (buf[i] != '\r')
            buf[k++] = buf[i];
    buf[k] = 0;
}

/* Runs `args` as a child of ours with stdout and stderr on pipes; their text, its exit code. */
static DWORD spawn(const char *args, char *out, size_t out_size, char *err, size_t err_size)
{
    char self[MAX_PATH], cmd[MAX_PATH + 128];
    GetModuleFileNameA(NULL, self, MAX_PATH);
    snprintf(cmd, sizeof cmd, "\"%s\" %s", self, args);
    SECURITY_ATTRIBUTES sa = {sizeof sa, NULL, TRUE};
    HANDLE out_r, out_w, err_r, err_w;
    if (!CreatePipe(&out_r, &out_w, &sa, 0) || !CreatePipe(&err_r, &err_w, &sa, 0))
        return 0xdead0001;
    SetHandleInformation(out_r, HANDLE_FLAG_INHERIT, 0);
    SetHandleInformation(err_r, HANDLE_FLAG_INHERIT, 0);
    STARTUPINFOA si = {sizeof si};
    si.dwFlags = STARTF_USESTDHANDLES;
    si.hStdInput = GetStdHandle(STD_INPUT_HANDLE);
    si.hStdOutput = out_w;
    si.hStdError = err_w;
    PROCESS_INFORMATION pi;
    BOOL ok = CreateProcessA(NULL, cmd, NULL, NULL, TRUE, 0, NULL, NULL, &si, &pi);
    CloseHandle(out_w);
    CloseHandle(err_w);
    if (!ok) {
        snprintf(out, out_size, "CreateProcess failed: %lu\n", GetLastError());
        err[0] = 0;
        return 0xdead0002;
    }
    read_all(out_r, out, out_size); /* small: the stderr pipe cannot fill meanwhile */
    read_all(err_r, err, err_size);
    WaitForSingleObject(pi.hProcess, INFINITE);
    DWORD code = 0xdead0003;
    GetExitCodeProcess(pi.hProcess, &code);
    CloseHandle(pi.hProcess);
    CloseHandle(pi.hThread);
    CloseHandle(out_r);
    CloseHandle(err_r);
    return code;
}

/* Prints this process's probe, then its descendants' (their stdout), and passes their stderr
 * on after its own line. */
static int level(int n)
{
    printf("%s\n", probe());
    fprintf(stderr, "stderr of level %d\n", n);
    if (n > 0) {
        char args[32], out[1024], err[1024];
        snprintf(args, sizeof args, "level %d", n - 1);
        DWORD code = spawn(args, out, sizeof out, err, sizeof err);
        printf("%s", out);
        fprintf(stderr, "%s", err);
        if (code != 0)
            printf("level %d: exit code %#lx\n", n - 1, code);
    }
    fflush(stdout);
    fflush(stderr);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc > 2 && !strcmp(argv[1], "level"))
        return level(atoi(argv[2]));
    if (argc > 2 && !strcmp(argv[1], "run")) {
        char cmd[MAX_PATH + 16];
        snprintf(cmd, sizeof cmd, "\"%s\"", argv[2]);
        STARTUPINFOA si = {sizeof si};
        PROCESS_INFORMATION pi;
        if (!CreateProcessA(NULL, cmd, NULL, NULL, FALSE, 0, NULL, NULL, &si, &pi)) {
            printf("CreateProcess %s: error %lu\n", argv[2], GetLastError());
            return 1;
        }
        WaitForSingleObject(pi.hProcess, INFINITE);
        DWORD code = 0;
        GetExitCodeProcess(pi.hProcess, &code);
        printf("child exit code %#lx\n", code);
        return 0;
    }

    const char *mine = probe();
    char out[1024], err[1024];
    DWORD code = spawn("level 1", out, sizeof out, err, sizeof err);
    printf("child and grandchild: exit code %lu\n", code);
    /* out: the child's probe line, then the grandchild's (and exit codes if not 0) */
    char *line2 = strchr(out, '\n');
    char *line3 = line2 ? strchr(line2 + 1, '\n') : NULL;
    int lines = 0;
    for (const char *s = out; (s = strchr(s, '\n')); s++)
        lines++;
    size_t m = strlen(mine);
    int same = lines == 2 && line2 && line3 && !strncmp(out, mine, m) && out[m] == '\n' &&
               !strncmp(line2 + 1, mine, m) && line2[1 + m] == '\n';
    printf("the three processes run in the same mode: %s\n", same ? "yes" : "no");
    if (!same)
        printf("parent: %s\nchild and grandchild said:\n%s", mine, out);
    printf("captured stderr:\n%s", err);
    return 0;
}
