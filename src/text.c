/* text.c - see text.h. */
#include "text.h"

#include <stdint.h>
#include <string.h>

#include "host.h"

_Static_assert(__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__, "the word scans read the first byte as the lowest");

#define EVERY_BYTE(b) ((uint64_t)0x0101010101010101u * (b))

/* The bytes of the word x (little-endian) that are not plain, as their top
 * bits. A byte's top bit ends up set when the byte is 0x7f or more (x + 1,
 * or x itself), below 0x20 (x - 0x20 borrows), a quote or a backslash (x ^ c
 * is 0, and 0 - 1 borrows). A carry or borrow only crosses into the next
 * byte up from a byte that is itself not plain, so the lowest bit set marks
 * exactly the first byte that is not plain (bits above it may be wrong). */
static uint64_t special_bits(uint64_t x) {
    uint64_t quote = x ^ EVERY_BYTE('"'), backslash = x ^ EVERY_BYTE('\\');
    return (x | (x + EVERY_BYTE(0x01)) | (x - EVERY_BYTE(0x20)) | (quote - EVERY_BYTE(0x01)) |
            (backslash - EVERY_BYTE(0x01))) &
           EVERY_BYTE(0x80);
}

/* The first n (< 8) bytes of s in a word, the rest of it filled with `fill`. */
static uint64_t partial_word(const char *s, size_t n, unsigned char fill) {
    uint64_t x = EVERY_BYTE(fill);
    for (size_t k = 0; k < n; k++) x = (x & ~((uint64_t)0xff << (8 * k))) | (uint64_t)(unsigned char)s[k] << (8 * k);
    return x;
}

/* The bytes of x equal to c, as their top bits; the lowest exact, as above. */
static uint64_t byte_bits(uint64_t x, unsigned char c) {
    uint64_t y = x ^ EVERY_BYTE(c);
    return (y - EVERY_BYTE(0x01)) & ~y & EVERY_BYTE(0x80);
}

/* The index of the first byte in s[0..len) that special_bits (find 0) or
 * byte_bits for c (find 1) flags, else len: whole words, then the tail as
 * one more word, so no loop over single bytes. Where the text is at least 8
 * bytes long the tail is its last 8 bytes (overlapping bytes already found
 * unflagged); a shorter text is padded with `fill`, a byte never flagged.
 * Inlined into each caller, which passes constants: one loop each. */
static inline __attribute__((always_inline)) size_t first_flagged(const char *s, size_t len, int find, unsigned char c,
                                                                  unsigned char fill) {
    size_t i = 0;
    uint64_t x, bits;
    for (; len - i >= 8; i += 8) {
        memcpy(&x, s + i, 8);
        if ((bits = find ? byte_bits(x, c) : special_bits(x)) != 0) return i + (size_t)__builtin_ctzll(bits) / 8;
    }
    if (i == len) return len;
    if (len >= 8) {
        i = len - 8;
        memcpy(&x, s + i, 8);
    } else {
        x = partial_word(s, len, fill);
    }
    bits = find ? byte_bits(x, c) : special_bits(x);
    return bits ? i + (size_t)__builtin_ctzll(bits) / 8 : len;
}

size_t text_plain_run(const char *s, size_t len) { return first_flagged(s, len, 0, 0, 'a'); }

size_t text_find(const char *s, size_t len, char c) {
    return first_flagged(s, len, 1, (unsigned char)c, (unsigned char)(c ^ 1));
}

size_t text_chars(const char *s, size_t len) {
    const unsigned char *u = (const unsigned char *)s;
    size_t count = 0;
    for (size_t i = 0; i < len; i++) {
        size_t run = text_plain_run(s + i, len - i); /* one code point each */
        count += run;
        i += run;
        if (i == len) break;
        if (u[i] < 0x20 || u[i] == 0x7f) return TEXT_CONTROL;
        if (u[i] == 0xc2 && u[i + 1] >= 0x80 && u[i + 1] <= 0x9f) return TEXT_CONTROL; /* U+0080..U+009F */
        if ((u[i] & 0xc0) != 0x80) count++;
    }
    return count;
}

int text_vconcat(char *dst, size_t cap, va_list ap) {
    size_t len = 0;
    int fits = 1;
    for (const char *part = va_arg(ap, const char *); part; part = va_arg(ap, const char *)) {
        size_t n = strlen(part);
        if (n > cap - 1 - len) {
            n = cap - 1 - len;
            fits = 0;
        }
        memcpy(dst + len, part, n);
        len += n;
    }
    dst[len] = '\0';
    return fits ? (int)len : VC_E_TOOBIG;
}

int text_lines(char *s, size_t len, char **line, int count) {
    size_t at = 0;
    for (int i = 0; i < count; i++) {
        size_t n = at < len ? text_find(s + at, len - at, '\n') : 0;
        char *end = at + n < len ? s + at + n : NULL;
        if (!end) return VC_E_INVALID;
        *end = '\0';
        line[i] = s + at;
        at = (size_t)(end - s) + 1;
    }
    return (int)at;
}

int text_decimal(const char *s, size_t max_digits, double *out) {
    int negative = s[0] == '-';
    if (!text_is_digits(s + negative, max_digits)) return 0;
    double v = 0;
    for (const char *d = s + negative; *d; d++) v = v * 10 + (*d - '0');
    *out = negative ? -v : v;
    return 1;
}

int text_is_digits(const char *s, size_t max_len) {
    size_t n = 0;
    for (; s[n]; n++)
        if (s[n] < '0' || s[n] > '9' || n == max_len) return 0;
    return n > 0;
}

char *text_uint(char *dst, unsigned long long v) {
    char tmp[21];
    size_t n = 0;
    do tmp[n++] = (char)('0' + v % 10);
    while ((v /= 10) > 0);
    for (size_t i = 0; i < n; i++) dst[i] = tmp[n - 1 - i];
    dst[n] = '\0';
    return dst;
}

int text_concat(char *dst, size_t cap, ...) {
    va_list ap;
    va_start(ap, cap);
    int rc = text_vconcat(dst, cap, ap);
    va_end(ap);
    return rc;
}

static const char BASE64URL[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

void text_base64url(const unsigned char *in, size_t n, char *out) {
    size_t o = 0;
    for (size_t i = 0; i < n; i += 3) {
        uint32_t v = (uint32_t)in[i] << 16;
        if (i + 1 < n) v |= (uint32_t)in[i + 1] << 8;
        if (i + 2 < n) v |= in[i + 2];
        out[o++] = BASE64URL[(v >> 18) & 63];
        out[o++] = BASE64URL[(v >> 12) & 63];
        if (i + 1 < n) out[o++] = BASE64URL[(v >> 6) & 63];
        if (i + 2 < n) out[o++] = BASE64URL[v & 63];
    }
    out[o] = '\0';
}

static int sextet(char c) {
    if (c >= 'A' && c <= 'Z') return c - 'A';
    if (c >= 'a' && c <= 'z') return c - 'a' + 26;
    if (c >= '0' && c <= '9') return c - '0' + 52;
    return c == '-' ? 62 : c == '_' ? 63 : -1;
}

int text_base64url_decode(const char *s, size_t len, unsigned char *out, size_t cap) {
    size_t n = len / 4 * 3 + (len % 4 ? len % 4 - 1 : 0);
    if (len % 4 == 1) return VC_E_INVALID;
    if (n > cap) return VC_E_TOOBIG;
    uint32_t acc = 0;
    size_t o = 0;
    for (size_t i = 0; i < len; i++) {
        int v = sextet(s[i]);
        if (v < 0) return VC_E_INVALID;
        acc = acc << 6 | (uint32_t)v;
        if (i % 4 == 3) {
            out[o++] = (unsigned char)(acc >> 16);
            out[o++] = (unsigned char)(acc >> 8);
            out[o++] = (unsigned char)acc;
            acc = 0;
        }
    }
    if (len % 4 == 2) {
        if (acc & 0xf) return VC_E_INVALID;
        out[o++] = (unsigned char)(acc >> 4);
    } else if (len % 4 == 3) {
        if (acc & 0x3) return VC_E_INVALID;
        out[o++] = (unsigned char)(acc >> 10);
        out[o++] = (unsigned char)(acc >> 2);
    }
    return (int)o;
}
