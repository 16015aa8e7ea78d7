/* SPDX-License-Identifier: MIT */
/* The table of built-in programs (programs/programs.h). */
#include <string.h>
#include <strings.h>
#include "programs/programs.h"

uint32_t cmd_main(void); /* programs/cmd/main.c */

static const struct {
    const char *name; /* without ".exe" */
    prog_main_fn main;
} prog_table[] = {
    {"cmd", cmd_main},
};

/* The index of the built-in a last path component names ("cmd", "CMD.EXE"), or -1. */
static int prog_lookup(const char *base, size_t n)
{
    if (n > 4 && strncasecmp(base + n - 4, ".exe", 4) == 0)
        n -= 4;
    for (size_t i = 0; i < sizeof prog_table / sizeof prog_table[0]; i++)
        if (strlen(prog_table[i].name) == n && strncasecmp(base, prog_table[i].name, n) == 0)
            return (int)i;
    return -1;
}

prog_main_fn prog_builtin_for(const char *path)
{
    if (!path)
        return NULL;
    const char *base = path;
    for (const char *s = path; *s; s++)
        if (*s == '/' || *s == '\\' || (s == path + 1 && *s == ':'))
            base = s + 1;
    int i = prog_lookup(base, strlen(base));
    return i < 0 ? NULL : prog_table[i].main;
}

int prog_is_builtin_name_w(const char16_t *name, size_t n)
{
    size_t start = 0;
    for (size_t i = 0; i < n; i++)
        if (name[i] == '/' || name[i] == '\\' || (i == 1 && name[i] == ':'))
            start = i + 1;
    char base[16];
    size_t k = 0;
    for (size_t i = start; i < n; i++) {
        if (name[i] >= 0x80 || k + 1 >= sizeof base)
            return 0;
        base[k++] = (char)name[i];
    }
    base[k] = 0;
    return prog_lookup(base, k) >= 0;
}
