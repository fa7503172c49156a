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

static void put_string(json_out *o, const char *s) {
    static const char hex[] = "0123456789abcdef";
    put_char(o, '"');
    size_t left = strlen(s);
    for (const char *run = s;; s++, left--) {
        size_t plain = text_plain_run(s, left);
        s += plain;
        left -= plain;
        unsigned char c = (unsigned char)*s;
        if (c >= 0x20 && c != '"' && c != '\\') continue;
        put(o, run, (size_t)(s - run)); /* the plain bytes before this one */
        if (c == '\0') break;
        char esc[6] = {'\\', 0, 0, 0, 0, 0};
        size_t n = 2;
        switch (c) {
        case '"': esc[1] = '"'; break;
        case '\\': esc[1] = '\\'; break;
        case '\b': esc[1] = 'b'; break;
        case '\f': esc[1] = 'f'; break;
        case '\n': esc[1] = 'n'; break;
        case '\r': esc[1] = 'r'; break;
        case '\t': esc[1] = 't'; break;
        default:
            memcpy(esc + 1, "u00", 3);
            esc[4] = hex[c >> 4];
            esc[5] = hex[c & 15];
            n = 6;
            break;
        }
        put(o, esc, n);
        run = s + 1;
    }
    put_char(o, '"');
}

/* A key needs no escaping (json_out.h): copied as it is. */
static void key(json_out *o, const char *name) {
    if (o->members++) put_char(o, ',');
    put_char(o, '"');
    put(o, name, strlen(name));
    put(o, "\":", 2);
}

void json_out_begin(json_out *o, char *buf, size_t cap) {
    o->buf = buf;
    o->cap = cap;
    o->len = 0;
    o->members = 0;
    o->over = cap == 0;
    put_char(o, '{');
}

void json_out_str(json_out *o, const char *name, const char *value) {
    key(o, name);
    put_string(o, value);
}

void json_out_int(json_out *o, const char *name, long long value) {
    char digits[24], *p = digits + sizeof digits;
    unsigned long long v = value < 0 ? 0ull - (unsigned long long)value : (unsigned long long)value;
    do *--p = (char)('0' + v % 10); while (v /= 10);
    if (value < 0) *--p = '-';
    key(o, name);
    put(o, p, (size_t)(digits + sizeof digits - p));
}

void json_out_bool(json_out *o, const char *name, int value) {
    key(o, name);
    if (value)
        put(o, "true", 4);
    else
        put(o, "false", 5);
}

void json_out_raw(json_out *o, const char *name, const char *json, size_t len) {
    key(o, name);
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
