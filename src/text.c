/* text.c - see text.h. */
#include "text.h"

#include <stdint.h>
#include <string.h>

#include "host.h"

#define EVERY_BYTE(b) ((uint64_t)0x0101010101010101u * (b))

/* Whether a byte of the word x is not plain. A byte's top bit ends up set
 * when the byte is 0x7f or more (x + 1, or x itself), below 0x20 (x - 0x20
 * borrows), a quote or a backslash (x ^ c is 0, and 0 - 1 borrows). A carry
 * or borrow only crosses into the next byte from a byte that is itself not
 * plain, so the answer "some byte is not plain" is exact. */
static int word_has_special(uint64_t x) {
    uint64_t quote = x ^ EVERY_BYTE('"'), backslash = x ^ EVERY_BYTE('\\');
    return ((x | (x + EVERY_BYTE(0x01)) | (x - EVERY_BYTE(0x20)) | (quote - EVERY_BYTE(0x01)) |
             (backslash - EVERY_BYTE(0x01))) &
            EVERY_BYTE(0x80)) != 0;
}

static int plain_byte(unsigned char c) { return c >= 0x20 && c < 0x7f && c != '"' && c != '\\'; }

size_t text_plain_run(const char *s, size_t len) {
    size_t i = 0;
    for (; len - i >= 8; i += 8) {
        uint64_t x;
        memcpy(&x, s + i, 8);
        if (word_has_special(x)) break;
    }
    while (i < len && plain_byte((unsigned char)s[i])) i++;
    return i;
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
        char *end = at < len ? memchr(s + at, '\n', len - at) : NULL;
        if (!end) return VC_E_INVALID;
        *end = '\0';
        line[i] = s + at;
        at = (size_t)(end - s) + 1;
    }
    return (int)at;
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
