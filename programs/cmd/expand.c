/* SPDX-License-Identifier: MIT */
/* cmd's expansions.
 *
 * Phase 1 (cmd_expand_percent, as a line is read): %NAME% (with :a=b substitution and :~s,n
 * substrings), the dynamic names (ERRORLEVEL, CD, RANDOM, CMDCMDLINE, CMDEXTVERSION, DATE,
 * TIME) unless the environment defines them, and in a batch file %0-%9, %*, %~[fdpnxsatz]N and
 * %% -> %. In a batch an undefined %NAME% is empty and a lone % disappears; on the command line
 * (cmd /c) both stay as written, as Windows does.
 *
 * At run time (cmd_expand_runtime, for each command as it runs): the FOR variables in force
 * (%i, %~nxi), then !NAME! when delayed expansion is on. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "programs/cmd/cmd_private.h"

static bool cmd_is_mod(char c)
{
    return strchr("fdpnxsatz", c | 0x20) && c;
}

char *cmd_apply_modifiers(const char *mods, size_t nmods, const char *value)
{
    char *v = cmd_unquote(value);
    if (!nmods)
        return v;
    bool want[128] = {0};
    for (size_t i = 0; i < nmods; i++)
        want[(unsigned char)(mods[i] | 0x20)] = true;
    char full[1024];
    DWORD n = *v ? GetFullPathNameA(v, sizeof full, full, NULL) : 0;
    if (!n || n >= sizeof full) {
        free(v);
        return cmd_strdup("");
    }
    cmd_buf b = {0};
    if (want['a']) {
        DWORD a = GetFileAttributesA(full);
        if (a != CMD_INVALID_ATTRS) {
            char s[10] = "---------";
            if (a & CMD_ATTR_DIRECTORY) s[0] = 'd';
            if (a & CMD_ATTR_READONLY) s[1] = 'r';
            if (a & CMD_ATTR_ARCHIVE) s[2] = 'a';
            if (a & CMD_ATTR_HIDDEN) s[3] = 'h';
            if (a & CMD_ATTR_SYSTEM) s[4] = 's';
            cmd_buf_adds(&b, s);
        }
    }
    if (want['z']) {
        cmd_find_data fd;
        HANDLE h = FindFirstFileA(full, &fd);
        if (h != CMD_INVALID_HANDLE) {
            FindClose(h);
            if (!(fd.dwFileAttributes & CMD_ATTR_DIRECTORY)) {
                char num[32];
                snprintf(num, sizeof num, "%s%llu", b.len ? " " : "",
                         ((unsigned long long)fd.nFileSizeHigh << 32) | fd.nFileSizeLow);
                cmd_buf_adds(&b, num);
            }
        }
    }
    bool parts = want['d'] || want['p'] || want['n'] || want['x'];
    if (parts || want['f'] || want['s']) {
        if (b.len)
            cmd_buf_addc(&b, ' ');
        if (!parts) {
            cmd_buf_adds(&b, full);
        } else {
            const char *name = full;
            for (const char *s = full; *s; s++)
                if (*s == '\\')
                    name = s + 1;
            const char *dot = strrchr(name, '.');
            if (!dot)
                dot = name + strlen(name);
            size_t dlen = full[0] && full[1] == ':' ? 2 : 0;
            if (want['d'])
                cmd_buf_add(&b, full, dlen);
            if (want['p'])
                cmd_buf_add(&b, full + dlen, (size_t)(name - full) - dlen);
            if (want['n'])
                cmd_buf_add(&b, name, (size_t)(dot - name));
            if (want['x'])
                cmd_buf_adds(&b, dot);
        }
    }
    free(v);
    return cmd_buf_take(&b);
}

/* The value of a name for %NAME%: the environment, else a dynamic name. malloc'd or NULL. */
static char *cmd_var_value(const char *name)
{
    char *v = cmd_getenv(name);
    if (v)
        return v;
    char num[64];
    if (cmd_ieq(name, "ERRORLEVEL")) {
        snprintf(num, sizeof num, "%d", cmd_st.errorlevel);
        return cmd_strdup(num);
    }
    if (cmd_ieq(name, "CD"))
        return cmd_cwd();
    if (cmd_ieq(name, "RANDOM")) {
        snprintf(num, sizeof num, "%d", rand() & 0x7fff);
        return cmd_strdup(num);
    }
    if (cmd_ieq(name, "CMDEXTVERSION"))
        return cmd_strdup("2");
    if (cmd_ieq(name, "CMDCMDLINE"))
        return cmd_strdup(cmd_st.cmdcmdline ? cmd_st.cmdcmdline : "");
    if (cmd_ieq(name, "DATE") || cmd_ieq(name, "TIME")) {
        cmd_systemtime t;
        GetLocalTime(&t);
        static const char *const days[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
        if (cmd_ieq(name, "DATE"))
            snprintf(num, sizeof num, "%s %02u/%02u/%04u", days[t.wDayOfWeek % 7], t.wMonth,
                     t.wDay, t.wYear);
        else
            snprintf(num, sizeof num, "%2u:%02u:%02u.%02u", t.wHour, t.wMinute, t.wSecond,
                     t.wMilliseconds / 10);
        return cmd_strdup(num);
    }
    return NULL;
}

/* %NAME:old=new% and %NAME:~start,len% applied to a value. */
static char *cmd_var_edit(char *value, const char *edit)
{
    size_t vlen = strlen(value);
    if (edit[0] == '~') {
        long start = strtol(edit + 1, NULL, 10), len = (long)vlen;
        const char *comma = strchr(edit, ',');
        if (start < 0)
            start += (long)vlen;
        if (start < 0)
            start = 0;
        if (start > (long)vlen)
            start = (long)vlen;
        if (comma) {
            len = strtol(comma + 1, NULL, 10);
            if (len < 0)
                len = (long)vlen - start + len;
            if (len < 0)
                len = 0;
        }
        if (start + len > (long)vlen)
            len = (long)vlen - start;
        char *r = cmd_strndup(value + start, (size_t)len);
        free(value);
        return r;
    }
    const char *eq = strchr(edit, '=');
    if (!eq)
        return value;
    bool star = edit[0] == '*';
    const char *from = edit + star;
    size_t flen = (size_t)(eq - from);
    const char *to = eq + 1;
    if (!flen)
        return value;
    cmd_buf b = {0};
    const char *s = value;
    if (star) {
        for (const char *p = s; *p; p++)
            if (strncasecmp(p, from, flen) == 0) {
                cmd_buf_adds(&b, to);
                cmd_buf_adds(&b, p + flen);
                free(value);
                return cmd_buf_take(&b);
            }
        return value;
    }
    while (*s) {
        if (strncasecmp(s, from, flen) == 0) {
            cmd_buf_adds(&b, to);
            s += flen;
        } else {
            cmd_buf_addc(&b, *s++);
        }
    }
    free(value);
    return cmd_buf_take(&b);
}

/* One %NAME% or !NAME! (delim) at s[0]: appends the result, returns the characters used. */
static size_t cmd_expand_var(cmd_buf *b, const char *s, char delim, bool batch)
{
    const char *close = strchr(s + 1, delim);
    if (!close) {
        if (!batch)
            cmd_buf_addc(b, delim);
        return 1;
    }
    char *spec = cmd_strndup(s + 1, (size_t)(close - s - 1));
    char *colon = strchr(spec, ':');
    if (colon)
        *colon = 0;
    char *v = *spec ? cmd_var_value(spec) : NULL;
    size_t used = (size_t)(close - s) + 1;
    if (v) {
        if (colon)
            v = cmd_var_edit(v, colon + 1);
        cmd_buf_adds(b, v);
        free(v);
    } else if (!batch) {
        cmd_buf_add(b, s, used); /* as written */
    }
    free(spec);
    return used;
}

static const char *cmd_batch_arg(size_t n)
{
    cmd_batch *bt = cmd_st.batch;
    if (n == 0)
        return bt->nargs ? bt->args[0] : "";
    n += bt->shift;
    return n < bt->nargs ? bt->args[n] : "";
}

char *cmd_expand_percent(const char *line)
{
    bool batch = cmd_st.batch != NULL;
    cmd_buf b = {0};
    for (const char *s = line; *s;) {
        if (*s != '%') {
            cmd_buf_addc(&b, *s++);
            continue;
        }
        if (batch) {
            if (s[1] == '%') {
                cmd_buf_addc(&b, '%');
                s += 2;
                continue;
            }
            if (s[1] >= '0' && s[1] <= '9') {
                cmd_buf_adds(&b, cmd_batch_arg((size_t)(s[1] - '0')));
                s += 2;
                continue;
            }
            if (s[1] == '*') {
                cmd_buf_adds(&b, cmd_st.batch->all_args ? cmd_st.batch->all_args : "");
                s += 2;
                continue;
            }
            if (s[1] == '~') {
                size_t m = 2;
                while (cmd_is_mod(s[m]))
                    m++;
                if (s[m] >= '0' && s[m] <= '9') {
                    char *v = cmd_apply_modifiers(s + 2, m - 2,
                                                  cmd_batch_arg((size_t)(s[m] - '0')));
                    cmd_buf_adds(&b, v);
                    free(v);
                    s += m + 1;
                    continue;
                }
            }
        }
        s += cmd_expand_var(&b, s, '%', batch);
    }
    return cmd_buf_take(&b);
}

static const char *cmd_forvar_value(char name)
{
    for (cmd_forvar *v = cmd_st.forvars; v; v = v->prev)
        if (v->name == name)
            return v->value;
    return NULL;
}

char *cmd_expand_forvars(const char *text)
{
    char *cur = cmd_strdup(text);
    if (cmd_st.forvars) {
        cmd_buf b = {0};
        for (const char *s = cur; *s;) {
            const char *v;
            if (s[0] == '%' && s[1] == '~') {
                size_t m = 2;
                while (cmd_is_mod(s[m]))
                    m++;
                /* the longest run of modifiers followed by a variable in force */
                size_t end = m;
                while (end > 2 && !cmd_forvar_value(s[end]))
                    end--;
                if ((v = cmd_forvar_value(s[end])) != NULL) {
                    char *r = cmd_apply_modifiers(s + 2, end - 2, v);
                    cmd_buf_adds(&b, r);
                    free(r);
                    s += end + 1;
                    continue;
                }
            } else if (s[0] == '%' && (v = cmd_forvar_value(s[1])) != NULL) {
                cmd_buf_adds(&b, v);
                s += 2;
                continue;
            }
            cmd_buf_addc(&b, *s++);
        }
        free(cur);
        cur = cmd_buf_take(&b);
    }
    return cur;
}

char *cmd_expand_runtime(const char *text)
{
    char *cur = cmd_expand_forvars(text);
    if (cmd_st.delayed && strchr(cur, '!')) {
        cmd_buf b = {0};
        for (const char *s = cur; *s;) {
            if (*s == '^' && s[1] == '!') {
                cmd_buf_addc(&b, '!');
                s += 2;
            } else if (*s == '!') {
                /* an undefined !VAR! goes, on the command line too (unlike %VAR%) */
                s += cmd_expand_var(&b, s, '!', true);
            } else {
                cmd_buf_addc(&b, *s++);
            }
        }
        free(cur);
        cur = cmd_buf_take(&b);
    }
    return cur;
}
