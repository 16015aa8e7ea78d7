/* libntrun test program: msvcrt's stream pool. Opens eight files at once in the current
 * directory (fopen), writes each, closes them, reads them back, leaves the last two open at
 * exit (exit flushes them), and prints what it read; removes the files it closed. The same
 * output at every run in one process says the pool starts over with each run. */
#include <stdio.h>
#include <string.h>

int main(void)
{
    FILE *f[8];
    char name[32], line[64];
    for (int i = 0; i < 8; i++) {
        snprintf(name, sizeof name, "pool%d.txt", i);
        f[i] = fopen(name, "w");
        if (!f[i]) {
            printf("fopen %s failed\n", name);
            return 1;
        }
        fprintf(f[i], "stream %d\n", i);
    }
    for (int i = 0; i < 6; i++)
        fclose(f[i]);
    for (int i = 0; i < 6; i++) {
        snprintf(name, sizeof name, "pool%d.txt", i);
        FILE *r = fopen(name, "r");
        if (!r || !fgets(line, sizeof line, r)) {
            printf("read %s failed\n", name);
            return 2;
        }
        line[strcspn(line, "\n")] = 0;
        printf("%s: %s\n", name, line);
        fclose(r);
        remove(name);
    }
    printf("two left open\n");
    return 0;
}
