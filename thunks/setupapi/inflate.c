/* SPDX-License-Identifier: MIT */
/* Raw DEFLATE (RFC 1951) decoding for MSZIP cabinet folders, after Mark Adler's puff: canonical
 * Huffman tables decoded a bit at a time. Output is appended to a growing buffer whose earlier
 * contents serve as the window, which is how MSZIP carries the dictionary from one CFDATA
 * block to the next. */
#include <stdlib.h>
#include <string.h>
#include "thunks/setupapi/setupapi_private.h"

typedef struct {
    const uint8_t *in;
    size_t inlen, pos;
    uint32_t bitbuf;
    int bitcnt;
    sp_buf *out;
    bool err;
} inf_state;

typedef struct {
    short count[16];
    short symbol[320];
} inf_huff;

static int inf_bits(inf_state *s, int need)
{
    uint32_t val = s->bitbuf;
    while (s->bitcnt < need) {
        if (s->pos >= s->inlen) {
            s->err = true;
            return 0;
        }
        val |= (uint32_t)s->in[s->pos++] << s->bitcnt;
        s->bitcnt += 8;
    }
    s->bitbuf = val >> need;
    s->bitcnt -= need;
    return (int)(val & ((1u << need) - 1));
}

static bool inf_put(inf_state *s, uint8_t b)
{
    sp_buf *o = s->out;
    if (o->len == o->cap) {
        size_t cap = o->cap ? o->cap * 2 : 65536;
        uint8_t *p = realloc(o->data, cap);
        if (!p)
            return false;
        o->data = p;
        o->cap = cap;
    }
    o->data[o->len++] = b;
    return true;
}

static int inf_decode(inf_state *s, const inf_huff *h)
{
    int code = 0, first = 0, index = 0;
    for (int len = 1; len < 16; len++) {
        code |= inf_bits(s, 1);
        if (s->err)
            return -1;
        int count = h->count[len];
        if (code - count < first)
            return h->symbol[index + (code - first)];
        index += count;
        first += count;
        first <<= 1;
        code <<= 1;
    }
    return -1;
}

/* 0 complete, >0 incomplete (allowed for a single-length code), <0 over-subscribed. */
static int inf_construct(inf_huff *h, const short *length, int n)
{
    short offs[16];
    memset(h->count, 0, sizeof h->count);
    for (int i = 0; i < n; i++)
        h->count[length[i]]++;
    if (h->count[0] == n)
        return 0;
    int left = 1;
    for (int len = 1; len < 16; len++) {
        left <<= 1;
        left -= h->count[len];
        if (left < 0)
            return left;
    }
    offs[1] = 0;
    for (int len = 1; len < 15; len++)
        offs[len + 1] = (short)(offs[len] + h->count[len]);
    for (int i = 0; i < n; i++)
        if (length[i])
            h->symbol[offs[length[i]]++] = (short)i;
    return left;
}

static const short inf_lbase[29] = {3,  4,  5,  6,  7,  8,  9,  10, 11,  13,  15,  17,  19,  23, 27,
                                    31, 35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258};
static const short inf_lext[29] = {0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2,
                                   2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0};
static const short inf_dbase[30] = {1,    2,    3,    4,    5,    7,     9,     13,    17,  25,
                                    33,   49,   65,   97,   129,  193,   257,   385,   513, 769,
                                    1025, 1537, 2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577};
static const short inf_dext[30] = {0, 0, 0, 0, 1, 1, 2, 2,  3,  3,  4,  4,  5,  5,  6,
                                   6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13};

static bool inf_codes(inf_state *s, const inf_huff *lencode, const inf_huff *distcode)
{
    for (;;) {
        int sym = inf_decode(s, lencode);
        if (sym < 0 || s->err)
            return false;
        if (sym < 256) {
            if (!inf_put(s, (uint8_t)sym))
                return false;
        } else if (sym == 256) {
            return true;
        } else {
            sym -= 257;
            if (sym >= 29)
                return false;
            int len = inf_lbase[sym] + inf_bits(s, inf_lext[sym]);
            int dsym = inf_decode(s, distcode);
            if (dsym < 0 || dsym >= 30 || s->err)
                return false;
            size_t dist = (size_t)inf_dbase[dsym] + (size_t)inf_bits(s, inf_dext[dsym]);
            if (s->err || dist > s->out->len)
                return false;
            while (len--)
                if (!inf_put(s, s->out->data[s->out->len - dist]))
                    return false;
        }
    }
}

static bool inf_stored(inf_state *s)
{
    s->bitbuf = 0;
    s->bitcnt = 0;
    if (s->pos + 4 > s->inlen)
        return false;
    unsigned len = s->in[s->pos] | s->in[s->pos + 1] << 8;
    unsigned nlen = s->in[s->pos + 2] | s->in[s->pos + 3] << 8;
    s->pos += 4;
    if (len != (~nlen & 0xffff) || s->pos + len > s->inlen)
        return false;
    while (len--)
        if (!inf_put(s, s->in[s->pos++]))
            return false;
    return true;
}

static bool inf_fixed(inf_state *s)
{
    static inf_huff lencode, distcode;
    static bool built;
    if (!built) { /* idempotent: racing threads build the same tables */
        short lengths[320];
        int i = 0;
        for (; i < 144; i++)
            lengths[i] = 8;
        for (; i < 256; i++)
            lengths[i] = 9;
        for (; i < 280; i++)
            lengths[i] = 7;
        for (; i < 288; i++)
            lengths[i] = 8;
        inf_construct(&lencode, lengths, 288);
        for (i = 0; i < 30; i++)
            lengths[i] = 5;
        inf_construct(&distcode, lengths, 30);
        built = true;
    }
    return inf_codes(s, &lencode, &distcode);
}

static bool inf_dynamic(inf_state *s)
{
    static const short order[19] = {16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15};
    short lengths[320];
    inf_huff lencode, distcode;
    int nlen = inf_bits(s, 5) + 257, ndist = inf_bits(s, 5) + 1, ncode = inf_bits(s, 4) + 4;
    if (s->err || nlen > 286 || ndist > 30)
        return false;
    int index = 0;
    for (; index < ncode; index++)
        lengths[order[index]] = (short)inf_bits(s, 3);
    for (; index < 19; index++)
        lengths[order[index]] = 0;
    if (s->err || inf_construct(&lencode, lengths, 19) != 0)
        return false;
    index = 0;
    while (index < nlen + ndist) {
        int sym = inf_decode(s, &lencode);
        if (sym < 0 || s->err)
            return false;
        if (sym < 16) {
            lengths[index++] = (short)sym;
        } else {
            int len = 0, rep;
            if (sym == 16) {
                if (index == 0)
                    return false;
                len = lengths[index - 1];
                rep = 3 + inf_bits(s, 2);
            } else if (sym == 17) {
                rep = 3 + inf_bits(s, 3);
            } else {
                rep = 11 + inf_bits(s, 7);
            }
            if (s->err || index + rep > nlen + ndist)
                return false;
            while (rep--)
                lengths[index++] = (short)len;
        }
    }
    if (lengths[256] == 0)
        return false;
    int err = inf_construct(&lencode, lengths, nlen);
    if (err < 0 || (err > 0 && nlen - lencode.count[0] != 1))
        return false;
    err = inf_construct(&distcode, lengths + nlen, ndist);
    if (err < 0 || (err > 0 && ndist - distcode.count[0] != 1))
        return false;
    return inf_codes(s, &lencode, &distcode);
}

bool sp_inflate(const uint8_t *in, size_t inlen, sp_buf *out)
{
    inf_state s = {.in = in, .inlen = inlen, .out = out};
    int last;
    do {
        last = inf_bits(&s, 1);
        int type = inf_bits(&s, 2);
        if (s.err)
            return false;
        bool ok = type == 0 ? inf_stored(&s) : type == 1 ? inf_fixed(&s)
                : type == 2 ? inf_dynamic(&s) : false;
        if (!ok)
            return false;
    } while (!last);
    return true;
}
