/* SPDX-License-Identifier: MIT */
/* dbghelp's UnDecorateSymbolName, for what stack-trace printers pass it: a name that is not
 * MSVC-decorated (no leading '?') is copied unchanged; a decorated one with UNDNAME_NAME_ONLY
 * (0x1000) becomes its qualified name ("?get@Box@app@@QEAAHXZ" -> "app::Box::get", with
 * constructors, destructors and the operators new, delete and =), as dbghelp gives it.
 * The full undecoration (return type, calling convention, parameters), templates and the
 * other operators are not implemented: such a name is copied unchanged, which is also what
 * dbghelp does with a name it cannot undecorate. The result is cut to fit `size` characters
 * with its NUL; the return value is its length (0 and ERROR_INVALID_PARAMETER for no buffer). */
#include <string.h>
#include "thunks/dbghelp/dbghelp_private.h"

#define UNDNAME_NAME_ONLY 0x1000

/* "?name@scope1@scope2@@..." -> "scope2::scope1::name" into out (cap bytes); false if the
 * name uses what this does not know. */
static bool und_qualified(const char *s, char *out, size_t cap)
{
    const char *parts[16];
    size_t lens[16], n = 0;
    const char *special = NULL;
    const char *names[10]; /* back-references 0-9 */
    size_t name_lens[10], nnames = 0;

    if (*s++ != '?')
        return false;
    if (*s == '?') { /* ?0 ctor, ?1 dtor, ?2 new, ?3 delete, ?4 = */
        switch (s[1]) {
        case '0': special = "ctor"; break;
        case '1': special = "dtor"; break;
        case '2': special = "operator new"; break;
        case '3': special = "operator delete"; break;
        case '4': special = "operator="; break;
        default: return false;
        }
        s += 2;
    }
    while (*s && *s != '@') {
        if (n == 16)
            return false;
        if (*s >= '0' && *s <= '9') {
            unsigned k = (unsigned)(*s - '0');
            if (k >= nnames)
                return false;
            parts[n] = names[k];
            lens[n++] = name_lens[k];
            s++;
            continue;
        }
        if (*s == '?') /* templates, nested names: not handled */
            return false;
        const char *at = strchr(s, '@');
        if (!at)
            return false;
        parts[n] = s;
        lens[n++] = (size_t)(at - s);
        if (nnames < 10) {
            names[nnames] = s;
            name_lens[nnames++] = (size_t)(at - s);
        }
        s = at + 1;
    }
    bool structor = special && (special[0] == 'c' || special[0] == 'd');
    if (*s != '@' || ((!special || structor) && n == 0))
        return false;
    /* parts[0] is the name (or, for a special name, the class); the scopes follow inward-out */
    size_t len = 0;
    char tmp[1024];
    for (size_t i = n; i-- > (special ? 0u : 1u);) {
        if (len + lens[i] + 2 >= sizeof tmp)
            return false;
        memcpy(tmp + len, parts[i], lens[i]);
        len += lens[i];
        memcpy(tmp + len, "::", 2);
        len += 2;
    }
    const char *last = special ? special : parts[0];
    size_t last_len = special ? strlen(special) : lens[0];
    if (structor) {
        bool dtor = special[0] == 'd';
        if (len + lens[0] + 2 >= sizeof tmp)
            return false;
        if (dtor)
            tmp[len++] = '~';
        memcpy(tmp + len, parts[0], lens[0]);
        len += lens[0];
    } else {
        if (len + last_len + 1 >= sizeof tmp)
            return false;
        memcpy(tmp + len, last, last_len);
        len += last_len;
    }
    tmp[len] = 0;
    if (cap) {
        size_t k = len < cap - 1 ? len : cap - 1;
        memcpy(out, tmp, k);
        out[k] = 0;
    }
    return true;
}

static DWORD WINAPI dbg_UnDecorateSymbolName(const char *name, char *out, DWORD size, DWORD flags)
{
    if (!name || !out || !size) {
        thk_set_last_error(ERROR_INVALID_PARAMETER);
        return 0;
    }
    if (!((flags & UNDNAME_NAME_ONLY) && und_qualified(name, out, size))) {
        size_t len = strlen(name);
        size_t k = len < size - 1 ? len : size - 1;
        memmove(out, name, k);
        out[k] = 0;
    }
    return (DWORD)strlen(out);
}
THK_EXPORT_AS(dbghelp, UnDecorateSymbolName, dbg_UnDecorateSymbolName, 4);
