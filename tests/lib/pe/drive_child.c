/* libntrun test program for the drives a program's children see (the host maps them with
 * ntrun_config_set_drive): prints, for C: and D:,
 *   parent X: <the first line of X:\marker.txt>   ("unmapped" when X:\ is not there,
 *                                                  "no marker" when the file is not)
 * then starts itself ("child" as argv[1]) with the same standard handles and waits for it; the
 * child prints the same lines with "child" for "parent". Exit code: the child's, 3 when it did
 * not start. */
#include <stdio.h>
#include <string.h>
#include <windows.h>
#include "self_child.h"

static void show(const char *who, char drive)
{
    char root[] = "X:\\", path[] = "X:\\marker.txt", line[128] = "no marker\n";
    root[0] = path[0] = drive;
    if (GetFileAttributesA(root) == INVALID_FILE_ATTRIBUTES) {
        printf("%s %c: unmapped\n", who, drive);
        return;
    }
    FILE *f = fopen(path, "r");
    if (f && !fgets(line, sizeof line, f))
        strcpy(line, "no marker\n");
    if (f)
        fclose(f);
    printf("%s %c: %s", who, drive, line);
}

int main(int argc, char **argv)
{
    int child = argc > 1 && !strcmp(argv[1], "child");
    show(child ? "child" : "parent", 'C');
    show(child ? "child" : "parent", 'D');
    fflush(stdout);
    if (child)
        return 0;
    DWORD code;
    return run_self_child(TRUE, &code) ? (int)code : 3;
}
