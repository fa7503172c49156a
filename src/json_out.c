/* json_out.c - see json_out.h. */
#include "json_out.h"

#include <stdint.h>
#include <string.h>

#include "host.h" /* VC_E_TOOBIG */
#include "text.h"

/* Up to 16 bytes as two overlapping fixed-size moves, which compile to
 * loads and stores: in wasm a memcpy of variable size is a call out of the
 * module, which costs more than the bytes for the short runs written here. */
static void copy_short(char *d, const char *s, size_t n) {
    if (n >= 8) {
        uint64_t head, tail;
        memcpy(&head, s, 8);
        memcpy(&tail, s + n - 8, 8);
        memcpy(d, &head, 8);
        memcpy(d + n - 8, &tail, 8);
    } else if (n >= 4) {
        uint32_t head, tail;
        memcpy(&head, s, 4);
        memcpy(&tail, s + n - 4, 4);
        memcpy(d, &head, 4);
        memcpy(d + n - 4, &tail, 4);
    } else { /* 1 to 3 */
        d[0] = s[0];
        d[n / 2] = s[n / 2];
        d[n - 1] = s[n - 1];
    }
}

static void put(json_out *o, const char *s, size_t n) {
    if (n == 0) return;
    if (o->over || n >= o->cap - o->len) { /* keep room for the NUL */
        o->over = 1;
        return;
    }
    if (n <= 16)
        copy_short(o->buf + o->len, s, n);
    else
        memcpy(o->buf + o->len, s, n);
    o->len += n;
}

/* One byte: a store, not a memcpy (in wasm a memcpy is a call out of the
 * module, which costs more than the byte). */
static void put_char(json_out *o, char c) {
    if (o->over || o->cap - o->len < 2) { /* keep room for the NUL */
        o->over = 1;
        return;
    }
    o->buf[o->len++] = c;
}

/* The escaped form of a byte put_string stops at (a quote, a backslash or a
 * control character): its length, written to esc. */
static size_t escape(unsigned char c, char esc[6]) {
    static const char hex[] = "0123456789abcdef";
    esc[0] = '\\';
    switch (c) {
    case '"': esc[1] = '"'; return 2;
    case '\\': esc[1] = '\\'; return 2;
    case '\b': esc[1] = 'b'; return 2;
    case '\f': esc[1] = 'f'; return 2;
    case '\n': esc[1] = 'n'; return 2;
    case '\r': esc[1] = 'r'; return 2;
    case '\t': esc[1] = 't'; return 2;
    default:
        memcpy(esc + 1, "u00", 3);
        esc[4] = hex[c >> 4];
        esc[5] = hex[c & 15];
        return 6;
    }
}

/* A value of n bytes, quoted and escaped. */
static void put_string(json_out *o, const char *s, size_t n) {
    const char *end = s + n;
    put_char(o, '"');
    while (s < end) {
        size_t plain = text_plain_run(s, (size_t)(end - s));
        put(o, s, plain);
        s += plain;
        if (s == end) break;
        unsigned char c = (unsigned char)*s++;
        if (c >= 0x20 && c != '"' && c != '\\') { /* 0x7f and up: as it is */
            put_char(o, (char)c);
            continue;
        }
        char esc[6];
        put(o, esc, escape(c, esc));
    }
    put_char(o, '"');
}

/* `,"key":` (the comma from the second member on): a key needs no escaping
 * (json_out.h), so it is copied as it is, in one bounds check. */
static void key(json_out *o, const char *name, size_t n) {
    size_t comma = o->members++ ? 1 : 0;
    if (o->over || n + 3 + comma >= o->cap - o->len) { /* keep room for the NUL */
        o->over = 1;
        return;
    }
    char *p = o->buf + o->len;
    if (comma) *p++ = ',';
    *p++ = '"';
    if (n > 16)
        memcpy(p, name, n);
    else if (n)
        copy_short(p, name, n);
    p += n;
    *p++ = '"';
    *p++ = ':';
    o->len = (size_t)(p - o->buf);
}

void json_out_begin(json_out *o, char *buf, size_t cap) {
    o->buf = buf;
    o->cap = cap;
    o->len = 0;
    o->members = 0;
    o->over = cap == 0;
    put_char(o, '{');
}

void json_out_str_n(json_out *o, const char *name, size_t name_len, const char *value, size_t value_len) {
    key(o, name, name_len);
    put_string(o, value, value_len);
}

void json_out_plain_n(json_out *o, const char *name, size_t name_len, const char *value, size_t value_len) {
    key(o, name, name_len);
    put_char(o, '"');
    put(o, value, value_len);
    put_char(o, '"');
}

void json_out_int_n(json_out *o, const char *name, size_t name_len, long long value) {
    char digits[24], *p = digits + sizeof digits;
    unsigned long long v = value < 0 ? 0ull - (unsigned long long)value : (unsigned long long)value;
    do *--p = (char)('0' + v % 10); while (v /= 10);
    if (value < 0) *--p = '-';
    key(o, name, name_len);
    put(o, p, (size_t)(digits + sizeof digits - p));
}

void json_out_raw_n(json_out *o, const char *name, size_t name_len, const char *json, size_t len) {
    key(o, name, name_len);
    put(o, json, len);
}

int json_out_end(json_out *o) {
    put_char(o, '}');
    if (o->over) {
        if (o->cap) o->buf[0] = '\0';
        return VC_E_TOOBIG;
    }
    o->buf[o->len] = '\0';
    return (int)o->len;
}
