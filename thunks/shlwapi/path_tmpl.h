/* SPDX-License-Identifier: MIT */
/* The Path* functions of thunks/shlwapi/path.c, written once for both character types: path.c
 * includes this file with T (the character), F(name) (name##W or name##A) and S(name) (the
 * file-local helper's name) defined. A paths are single bytes in the ANSI code page; every
 * separator looked at is ASCII, so UTF-8 and the one-byte code pages need no other care. */

static size_t S(len)(const T *s)
{
    size_t n = 0;
    while (s[n])
        n++;
    return n;
}

static const T *S(chr)(const T *s, T c)
{
    for (; *s; s++)
        if (*s == c)
            return s;
    return NULL;
}

T *WINAPI F(PathFindFileName)(const T *path)
{
    const T *last = path;
    if (!path)
        return NULL;
    for (; *path; path++)
        if ((*path == '\\' || *path == '/' || *path == ':') && path[1] && path[1] != '\\' &&
            path[1] != '/')
            last = path + 1;
    return (T *)last;
}
THK_EXPORT(shlwapi, F(PathFindFileName), 1);

T *WINAPI F(PathFindExtension)(const T *path)
{
    const T *dot = NULL;
    if (!path)
        return NULL;
    for (; *path; path++) {
        if (*path == '\\' || *path == ' ')
            dot = NULL;
        else if (*path == '.')
            dot = path;
    }
    return (T *)(dot ? dot : path);
}
THK_EXPORT(shlwapi, F(PathFindExtension), 1);

T *WINAPI F(PathFindNextComponent)(const T *path)
{
    if (!path || !*path)
        return NULL;
    const T *slash = S(chr)(path, '\\');
    if (!slash)
        return (T *)(path + S(len)(path));
    if (slash[1] == '\\')
        slash++;
    return (T *)(slash + 1);
}
THK_EXPORT(shlwapi, F(PathFindNextComponent), 1);

T *WINAPI F(PathSkipRoot)(const T *path)
{
    if (!path || !*path)
        return NULL;
    if (path[0] == '\\' && path[1] == '\\') { /* \\server\share\ */
        const T *p = S(chr)(path + 2, '\\');
        if (!p || !(p = S(chr)(p + 1, '\\')))
            return NULL;
        return (T *)(p + 1);
    }
    if (path[1] == ':' && path[2] == '\\')
        return (T *)(path + 3);
    return NULL;
}
THK_EXPORT(shlwapi, F(PathSkipRoot), 1);

BOOL WINAPI F(PathIsRelative)(const T *path)
{
    if (!path || !*path)
        return TRUE;
    return !(path[0] == '\\' || path[1] == ':');
}
THK_EXPORT(shlwapi, F(PathIsRelative), 1);

BOOL WINAPI F(PathIsUNC)(const T *path)
{
    return path && path[0] == '\\' && path[1] == '\\';
}
THK_EXPORT(shlwapi, F(PathIsUNC), 1);

/* "\", "X:\", "\\server" and "\\server\share" */
BOOL WINAPI F(PathIsRoot)(const T *path)
{
    if (!path || !*path)
        return FALSE;
    if (path[0] == '\\') {
        if (!path[1])
            return TRUE;
        if (path[1] == '\\') {
            int seen = 0;
            for (path += 2; *path; path++)
                if (*path == '\\' && seen++)
                    return FALSE;
            return TRUE;
        }
        return FALSE;
    }
    return path[1] == ':' && path[2] == '\\' && !path[3];
}
THK_EXPORT(shlwapi, F(PathIsRoot), 1);

BOOL WINAPI F(PathIsFileSpec)(const T *path)
{
    if (!path)
        return FALSE;
    for (; *path; path++)
        if (*path == '\\' || *path == ':')
            return FALSE;
    return TRUE;
}
THK_EXPORT(shlwapi, F(PathIsFileSpec), 1);

int WINAPI F(PathGetDriveNumber)(const T *path)
{
    if (!path)
        return -1;
    if (path[0] == '\\' && path[1] == '\\' && path[2] == '?' && path[3] == '\\')
        path += 4;
    T c = path[0] >= 'A' && path[0] <= 'Z' ? (T)(path[0] + 32) : path[0];
    return c >= 'a' && c <= 'z' && path[1] == ':' ? c - 'a' : -1;
}
THK_EXPORT(shlwapi, F(PathGetDriveNumber), 1);

BOOL WINAPI F(PathRemoveFileSpec)(T *path)
{
    if (!path)
        return FALSE;
    T *spec = path;
    if (*path == '\\')
        spec = ++path;
    if (*path == '\\')
        spec = ++path;
    while (*path) {
        if (*path == '\\') {
            spec = path;
        } else if (*path == ':') {
            spec = ++path;
            if (*path == '\\')
                spec++;
            if (!*path)
                break;
        }
        path++;
    }
    if (!*spec)
        return FALSE;
    *spec = 0;
    return TRUE;
}
THK_EXPORT(shlwapi, F(PathRemoveFileSpec), 1);

T *WINAPI F(PathAddBackslash)(T *path)
{
    if (!path)
        return NULL;
    size_t n = S(len)(path);
    if (n >= MAX_PATH)
        return NULL;
    T *end = path + n;
    if (n && end[-1] != '\\') {
        if (n + 1 >= MAX_PATH)
            return NULL;
        *end++ = '\\';
        *end = 0;
    }
    return end;
}
THK_EXPORT(shlwapi, F(PathAddBackslash), 1);

T *WINAPI F(PathRemoveBackslash)(T *path)
{
    if (!path)
        return NULL;
    size_t n = S(len)(path);
    T *last = n ? path + n - 1 : path;
    if (!F(PathIsRoot)(path) && *last == '\\')
        *last = 0;
    return last;
}
THK_EXPORT(shlwapi, F(PathRemoveBackslash), 1);

void WINAPI F(PathStripPath)(T *path)
{
    if (!path)
        return;
    T *name = F(PathFindFileName)(path);
    if (name != path)
        memmove(path, name, (S(len)(name) + 1) * sizeof(T));
}
THK_EXPORT(shlwapi, F(PathStripPath), 1);

void WINAPI F(PathRemoveExtension)(T *path)
{
    if (path)
        *F(PathFindExtension)(path) = 0;
}
THK_EXPORT(shlwapi, F(PathRemoveExtension), 1);

BOOL WINAPI F(PathRenameExtension)(T *path, const T *ext)
{
    if (!path || !ext)
        return FALSE;
    T *dot = F(PathFindExtension)(path);
    size_t el = S(len)(ext);
    if ((size_t)(dot - path) + el >= MAX_PATH)
        return FALSE;
    memcpy(dot, ext, (el + 1) * sizeof(T));
    return TRUE;
}
THK_EXPORT(shlwapi, F(PathRenameExtension), 2);

BOOL WINAPI F(PathAddExtension)(T *path, const T *ext)
{
    static const T exe[] = {'.', 'e', 'x', 'e', 0};
    if (!path || *F(PathFindExtension)(path))
        return FALSE;
    if (!ext || !*ext)
        ext = exe;
    size_t n = S(len)(path), el = S(len)(ext);
    if (n + el >= MAX_PATH)
        return FALSE;
    memcpy(path + n, ext, (el + 1) * sizeof(T));
    return TRUE;
}
THK_EXPORT(shlwapi, F(PathAddExtension), 2);

BOOL WINAPI F(PathStripToRoot)(T *path)
{
    if (!path)
        return FALSE;
    while (!F(PathIsRoot)(path))
        if (!F(PathRemoveFileSpec)(path))
            return FALSE;
    return TRUE;
}
THK_EXPORT(shlwapi, F(PathStripToRoot), 1);

/* "\\server\share" with nothing after it */
static BOOL S(is_server_share)(const T *path)
{
    if (path[0] != '\\' || path[1] != '\\')
        return FALSE;
    const T *p = S(chr)(path + 2, '\\');
    return p && !S(chr)(p + 1, '\\');
}

/* "." and ".." components resolved (a ".." never climbs above a root, a server or "\\") */
BOOL WINAPI F(PathCanonicalize)(T *buf, const T *path)
{
    if (buf)
        *buf = 0;
    if (!buf || !path) {
        thk_set_last_error(87 /* ERROR_INVALID_PARAMETER */);
        return FALSE;
    }
    T *dst = buf;
    const T *src = path;
    if (!*path) {
        buf[0] = '\\';
        buf[1] = 0;
        return TRUE;
    }
    if (*src == '\\') {
        *dst++ = *src++;
    } else if (src[1] == ':') {
        *dst++ = *src++;
        *dst++ = *src++;
        if (*src == '\\')
            *dst++ = *src++;
    }
    while (*src) {
        if (*src != '.') {
            *dst++ = *src++;
        } else if (src[1] == '\\' && (src == path || src[-1] == '\\' || src[-1] == ':')) {
            src += 2; /* ".\" */
        } else if (src[1] == '.' && dst != buf && dst[-1] == '\\') {
            { /* "..": back over the last component (one leading the path stays) */
                *dst = 0;
                if (dst > buf + 1 && dst[-1] == '\\' && (dst[-2] != '\\' || dst > buf + 2)) {
                    if (dst[-2] == ':' && (dst > buf + 3 || dst[-3] == ':')) {
                        dst -= 2;
                        while (dst > buf && *dst != '\\')
                            dst--;
                        if (*dst == '\\')
                            dst++;
                        else
                            dst = buf;
                    } else if (dst[-2] != ':' && !S(is_server_share)(buf)) {
                        dst -= 2;
                    }
                }
                while (dst > buf && *dst != '\\')
                    dst--;
                if (dst == buf) {
                    *dst++ = '\\';
                    src++;
                }
            }
            src += 2;
        } else {
            *dst++ = *src++;
        }
    }
    if (dst - buf == 2 && dst[-1] == ':')
        *dst++ = '\\';
    *dst = 0;
    return TRUE;
}
THK_EXPORT(shlwapi, F(PathCanonicalize), 2);

T *WINAPI F(PathCombine)(T *dst, const T *dir, const T *file)
{
    T tmp[MAX_PATH];
    int both = 0, strip = 0;
    if (!dst)
        return NULL;
    if (!dir && !file) {
        dst[0] = 0;
        return NULL;
    }
    if ((!file || !*file) && dir) {
        if (S(len)(dir) >= MAX_PATH)
            goto fail;
        memcpy(tmp, dir, (S(len)(dir) + 1) * sizeof(T));
    } else if (!dir || !*dir || !F(PathIsRelative)(file)) {
        if (!dir || !*dir || *file != '\\' || F(PathIsUNC)(file)) {
            if (S(len)(file) >= MAX_PATH)
                goto fail;
            memcpy(tmp, file, (S(len)(file) + 1) * sizeof(T));
        } else {
            both = strip = 1;
        }
    } else {
        both = 1;
    }
    if (both) {
        if (S(len)(dir) >= MAX_PATH)
            goto fail;
        memcpy(tmp, dir, (S(len)(dir) + 1) * sizeof(T));
        if (strip) {
            F(PathStripToRoot)(tmp);
            file++;
        }
        if (!F(PathAddBackslash)(tmp) || S(len)(tmp) + S(len)(file) >= MAX_PATH)
            goto fail;
        memcpy(tmp + S(len)(tmp), file, (S(len)(file) + 1) * sizeof(T));
    }
    F(PathCanonicalize)(dst, tmp);
    return dst;
fail:
    dst[0] = 0;
    return NULL;
}
THK_EXPORT(shlwapi, F(PathCombine), 3);

BOOL WINAPI F(PathAppend)(T *path, const T *more)
{
    if (!path || !more)
        return FALSE;
    if (!F(PathIsUNC)(more))
        while (*more == '\\')
            more++;
    return F(PathCombine)(path, path, more) != NULL;
}
THK_EXPORT(shlwapi, F(PathAppend), 2);

/* the arguments after the program: past the first blank outside quotes */
T *WINAPI F(PathGetArgs)(const T *path)
{
    int quoted = 0;
    if (!path)
        return NULL;
    for (; *path; path++) {
        if (*path == ' ' && !quoted)
            return (T *)(path + 1);
        if (*path == '"')
            quoted = !quoted;
    }
    return (T *)path;
}
THK_EXPORT(shlwapi, F(PathGetArgs), 1);

void WINAPI F(PathRemoveArgs)(T *path)
{
    if (!path)
        return;
    T *args = F(PathGetArgs)(path);
    if (*args)
        args[-1] = 0;
    else if (args > path && args[-1] == ' ')
        args[-1] = 0;
}
THK_EXPORT(shlwapi, F(PathRemoveArgs), 1);

BOOL WINAPI F(PathQuoteSpaces)(T *path)
{
    if (!path || !S(chr)(path, ' '))
        return FALSE;
    size_t n = S(len)(path);
    if (n + 3 >= MAX_PATH)
        return FALSE;
    memmove(path + 1, path, n * sizeof(T));
    path[0] = '"';
    path[n + 1] = '"';
    path[n + 2] = 0;
    return TRUE;
}
THK_EXPORT(shlwapi, F(PathQuoteSpaces), 1);

void WINAPI F(PathUnquoteSpaces)(T *path)
{
    if (!path || *path != '"')
        return;
    size_t n = S(len)(path);
    if (path[n - 1] != '"')
        return;
    if (n == 1) { /* a lone quote is both ends */
        path[0] = 0;
        return;
    }
    memmove(path, path + 1, (n - 2) * sizeof(T));
    path[n - 2] = 0;
}
THK_EXPORT(shlwapi, F(PathUnquoteSpaces), 1);

static T S(lower)(T c)
{
    return c >= 'A' && c <= 'Z' ? (T)(c + 32) : c;
}

/* one pattern (up to ';' or the end) against a name: * and ? as in file names */
static BOOL S(match_one)(const T *name, const T *pat, const T *pat_end)
{
    while (pat < pat_end) {
        if (*pat == '*') {
            while (pat < pat_end && *pat == '*')
                pat++;
            if (pat == pat_end)
                return TRUE;
            for (; *name; name++)
                if (S(match_one)(name, pat, pat_end))
                    return TRUE;
            return FALSE;
        }
        if (!*name)
            return FALSE;
        if (*pat != '?' && S(lower)(*pat) != S(lower)(*name))
            return FALSE;
        pat++;
        name++;
    }
    return !*name;
}

BOOL WINAPI F(PathMatchSpec)(const T *path, const T *spec)
{
    static const T all[] = {'*', '.', '*', 0};
    if (!path || !spec)
        return FALSE;
    const T *name = path; /* the whole string, directories and all */
    while (*spec) {
        while (*spec == ' ')
            spec++;
        const T *end = spec;
        while (*end && *end != ';')
            end++;
        size_t n = (size_t)(end - spec);
        if ((n == 3 && !memcmp(spec, all, 3 * sizeof(T))) || S(match_one)(name, spec, end))
            return TRUE;
        spec = *end ? end + 1 : end;
    }
    return FALSE;
}
THK_EXPORT(shlwapi, F(PathMatchSpec), 2);

static unsigned S(fold)(T c)
{
    unsigned u = (unsigned)c & (sizeof(T) == 1 ? 0xffu : 0xffffu);
    return u >= 'A' && u <= 'Z' ? u + 32 : u;
}

/* The length of the leading whole components two paths share (any case): "C:\a\b" and
 * "c:\a\c" share "C:\a"; a bare drive counts its backslash ("C:\", 3), as Windows does; a UNC
 * path shares nothing with a drive path. out (MAX_PATH) gets the prefix when not NULL. */
int WINAPI F(PathCommonPrefix)(const T *a, const T *b, T *out)
{
    if (out)
        out[0] = 0;
    if (!a || !b)
        return 0;
    bool unc_a = F(PathIsUNC)(a), unc_b = F(PathIsUNC)(b);
    if (unc_a != unc_b)
        return 0;
    size_t i = unc_a ? 2 : 0, len = 0;
    for (;; i++) {
        bool end_a = !a[i] || a[i] == '\\', end_b = !b[i] || b[i] == '\\';
        if (end_a && end_b)
            len = i;
        if (!a[i] || S(fold)(a[i]) != S(fold)(b[i]))
            break;
    }
    if (len == 2)
        len = 3; /* "C:" becomes "C:\" */
    if (len && out) {
        memcpy(out, a, len * sizeof(T));
        out[len] = 0;
    }
    return (int)len;
}
THK_EXPORT(shlwapi, F(PathCommonPrefix), 3);

/* The path from `from` to `to` ("..\b\c.txt"), each taken as a directory when its attributes
 * say FILE_ATTRIBUTE_DIRECTORY, else as a file (its folder is the start); FALSE when they share
 * no root. The file name of a file `to` is kept. */
BOOL WINAPI F(PathRelativePathTo)(T *out, const T *from, DWORD attr_from, const T *to,
                                  DWORD attr_to)
{
    static const T up[] = {'.', '.', '\\', 0};
    T f[MAX_PATH], t[MAX_PATH];
    if (!out || !from || !to)
        return FALSE;
    out[0] = 0;
    if (S(len)(from) >= MAX_PATH || S(len)(to) >= MAX_PATH)
        return FALSE;
    memcpy(f, from, (S(len)(from) + 1) * sizeof(T));
    memcpy(t, to, (S(len)(to) + 1) * sizeof(T));
    if (!(attr_from & FILE_ATTRIBUTE_DIRECTORY))
        F(PathRemoveFileSpec)(f);
    if (!(attr_to & FILE_ATTRIBUTE_DIRECTORY))
        F(PathRemoveFileSpec)(t);
    int common = F(PathCommonPrefix)(f, t, NULL);
    if (!common)
        return FALSE;
    size_t n = 0;
    const T *rest = f + common;
    if (!*rest)
        out[n++] = '.';
    if (*rest == '\\')
        rest++;
    while (*rest) { /* one ".." per component left in `from` */
        rest = F(PathFindNextComponent)(rest);
        size_t k = *rest ? 3 : 2;
        if (n + k >= MAX_PATH) {
            out[0] = 0;
            return FALSE;
        }
        memcpy(out + n, up, k * sizeof(T));
        n += k;
    }
    out[n] = 0;
    const T *tail = to + common; /* in the caller's `to`: a file's name comes along */
    if (*tail && tail[-1]) {
        if (*tail != '\\')
            tail--;
        size_t k = S(len)(tail);
        if (n + k >= MAX_PATH) {
            out[0] = 0;
            return FALSE;
        }
        memcpy(out + n, tail, (k + 1) * sizeof(T));
    }
    return TRUE;
}
THK_EXPORT(shlwapi, F(PathRelativePathTo), 5);
