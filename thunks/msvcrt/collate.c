/* SPDX-License-Identifier: MIT */
/* Collation in the locales other than "C" (strcoll, _stricoll, strxfrm, wcscoll, _wcsicoll,
 * wcsxfrm and their _l and _n forms; the "C" locale compares code units): a three-level
 * comparison in the manner of CompareString's word sort. Level one compares base characters:
 * control characters and the hyphen and apostrophe are ignored there, then come spaces,
 * punctuation and symbols (by code point), digits, Latin letters by their base letter
 * (accents and case set aside: é sorts with e; ß is "ss", æ "ae", œ "oe", equal to them as
 * in Windows), then other letters by code point. Level two compares accents, level three
 * case (lower before upper), level four the ignored hyphens and apostrophes (CompareString
 * tells "co-op" from "coop"). The base letters come from the host's
 * Unicode database at build time (cmake/gen_codepages.py). This is not the full Windows
 * sorting table: letters outside Latin sort by code point, and punctuation's relative order
 * is its code point order. strxfrm's key is this comparison's own (strcmp of two keys has
 * the sign of strcoll), not Windows' LCMAP_SORTKEY bytes. */
#include <locale.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <wctype.h>
#include "crt_codepages.h"
#include "thunks/msvcrt/msvcrt_lib.h"

typedef struct crt_coll_key {
    uint32_t *w; /* levels one to four, each ending with a 1 separator */
    size_t n, cap;
} crt_coll_key;

static bool crt_coll_push(crt_coll_key *k, uint32_t w)
{
    if (k->n == k->cap) {
        size_t cap = k->cap ? k->cap * 2 : 64;
        uint32_t *nw = realloc(k->w, cap * sizeof *nw);
        if (!nw)
            return false;
        k->w = nw;
        k->cap = cap;
    }
    k->w[k->n++] = w;
    return true;
}

static locale_t crt_coll_utf8;
static pthread_once_t crt_coll_once = PTHREAD_ONCE_INIT;

static void crt_coll_init(void)
{
    crt_coll_utf8 = newlocale(LC_CTYPE_MASK, "C.UTF-8", (locale_t)0);
}

/* The level-one weights of a unit (up to two: expansions), 0 for none; *accent and *upper
 * its level-two and level-three weights. Weights start at 2 (1 separates the levels). */
static int crt_coll_unit(uint16_t u, uint32_t prim[2], uint32_t *accent, uint32_t *upper)
{
    unsigned cls = crt_wctype_of(u);
    pthread_once(&crt_coll_once, crt_coll_init);
    uint16_t lower = u; /* accents are told apart by the lower-case letter */
    if ((cls & CRT_UPPER) && crt_coll_utf8)
        lower = (uint16_t)towlower_l(u, crt_coll_utf8);
    *accent = 2;
    *upper = (cls & CRT_UPPER) ? 3 : 2;
    if (u < 0x20 || u == 0x7F || u == '-' || u == '\'' || (u >= 0x80 && u < 0xA0))
        return 0;
    if (u < sizeof crt_latin_base) {
        uint8_t base = crt_latin_base[u];
        if (base) {
            prim[0] = 0x20000 + base;
            *accent = u < 0x80 ? 2 : 3 + lower;
            return 1;
        }
        static const struct { uint16_t lo, up; char a, b; } exp[] = {
            {0xDF, 0x1E9E, 's', 's'}, {0xE6, 0xC6, 'a', 'e'}, {0x153, 0x152, 'o', 'e'}};
        for (size_t i = 0; i < sizeof exp / sizeof *exp; i++)
            if (u == exp[i].lo || u == exp[i].up) {
                prim[0] = 0x20000 + (uint32_t)exp[i].a;
                prim[1] = 0x20000 + (uint32_t)exp[i].b;
                return 2;
            }
    }
    int digit = crt_wdigit_value(u);
    if (digit >= 0) {
        prim[0] = 0x10000 + (uint32_t)digit;
        *accent = u < 0x80 ? 2 : 3 + u;
        return 1;
    }
    if (cls & CRT_ALPHA) { /* other letters: by their lower-case form */
        prim[0] = 0x30000 + lower;
        return 1;
    }
    prim[0] = 2 + u; /* spaces, punctuation, symbols */
    return 1;
}

/* The key of n units (or up to a NUL); `nocase`: no case level. Level four holds, for each
 * hyphen or apostrophe, the count of level-one weights before it and the character, so
 * "coop" < "co-op" < "cop". False when out of memory. */
static bool crt_coll_build(crt_coll_key *k, const WCHAR *s, size_t n, bool nocase)
{
    size_t len = 0;
    while (len < n && s[len])
        len++;
    for (int level = 1; level <= 4; level++) {
        if (level == 3 && nocase)
            continue;
        uint32_t before = 0;
        for (size_t i = 0; i < len; i++) {
            uint32_t prim[2], accent, upper;
            int np = crt_coll_unit(s[i], prim, &accent, &upper);
            bool ok = true;
            if (level == 1)
                for (int j = 0; j < np; j++)
                    ok = ok && crt_coll_push(k, prim[j]);
            else if (level == 2 || level == 3) /* one per level-one weight */
                for (int j = 0; j < np; j++)
                    ok = ok && crt_coll_push(k, level == 2 ? accent : upper);
            else if (level == 4 && !np && (s[i] == '-' || s[i] == '\''))
                ok = crt_coll_push(k, 2 + before) && crt_coll_push(k, 2 + s[i]);
            before += (uint32_t)np;
            if (!ok)
                return false;
        }
        if (!crt_coll_push(k, 1))
            return false;
    }
    return true;
}

static int crt_coll_cmp(const crt_coll_key *a, const crt_coll_key *b)
{
    size_t n = a->n < b->n ? a->n : b->n;
    for (size_t i = 0; i < n; i++)
        if (a->w[i] != b->w[i])
            return a->w[i] < b->w[i] ? -1 : 1;
    return a->n == b->n ? 0 : a->n < b->n ? -1 : 1;
}

int crt_wcscoll_locale(const WCHAR *a, size_t na, const WCHAR *b, size_t nb, bool nocase)
{
    crt_coll_key ka = {0}, kb = {0};
    int r;
    if (crt_coll_build(&ka, a, na, nocase) && crt_coll_build(&kb, b, nb, nocase))
        r = crt_coll_cmp(&ka, &kb);
    else
        r = CRT_COLL_ERROR;
    free(ka.w);
    free(kb.w);
    return r;
}

/* A key weight as three bytes of seven bits, each plus one: no NUL, order kept. */
static size_t crt_coll_bytes(const crt_coll_key *k, char *d, size_t cap)
{
    size_t need = k->n * 3;
    if (d && need < cap) {
        for (size_t i = 0; i < k->n; i++) {
            d[3 * i] = (char)(((k->w[i] >> 14) & 0x7F) + 1);
            d[3 * i + 1] = (char)(((k->w[i] >> 7) & 0x7F) + 1);
            d[3 * i + 2] = (char)((k->w[i] & 0x7F) + 1);
        }
        d[need] = 0;
    }
    return need;
}

size_t crt_xfrm_locale(const WCHAR *s, char *d, size_t cap)
{
    crt_coll_key k = {0};
    size_t r = crt_coll_build(&k, s, (size_t)-1, false) ? crt_coll_bytes(&k, d, cap)
                                                          : (size_t)-1;
    free(k.w);
    return r;
}
