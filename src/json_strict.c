/* json_strict.c - see json_strict.h. */
#include "json_strict.h"

#include <stdint.h>
#include <string.h>

#include "text.h"

/* The length of the valid UTF-8 sequence that starts at u (at most len
 * bytes): 1 to 4, or 0 when it is not valid (overlong, surrogate, past
 * U+10FFFF, cut short). */
static size_t utf8_sequence(const unsigned char *u, size_t len) {
    unsigned c = u[0];
    size_t need;
    uint32_t cp, min;
    if (c < 0x80) return 1;
    if ((c & 0xe0) == 0xc0) {
        need = 1, cp = c & 0x1f, min = 0x80;
    } else if ((c & 0xf0) == 0xe0) {
        need = 2, cp = c & 0x0f, min = 0x800;
    } else if ((c & 0xf8) == 0xf0) {
        need = 3, cp = c & 0x07, min = 0x10000;
    } else {
        return 0;
    }
    if (len - 1 < need) return 0;
    for (size_t k = 1; k <= need; k++) {
        if ((u[k] & 0xc0) != 0x80) return 0;
        cp = (cp << 6) | (u[k] & 0x3f);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return 0;
    return need + 1;
}

int utf8_valid(const char *s, size_t len) {
    const unsigned char *u = (const unsigned char *)s;
    for (size_t i = 0; i < len;) {
        i += text_plain_run(s + i, len - i);
        if (i == len) break;
        size_t n = utf8_sequence(u + i, len - i);
        if (n == 0) return 0;
        i += n;
    }
    return 1;
}

/* One pass over the text: JSON_STRICT_NOT_UTF8 when any of it is not UTF-8;
 * else the first raw control character in a string literal
 * (JSON_STRICT_NOT_JSON) or \u0000 escape (JSON_STRICT_HAS_NUL); else
 * JSON_STRICT_OK. Bytes of 0x80 and more are never special to the literals. */
static int scan_text(const char *s, size_t len) {
    const unsigned char *u = (const unsigned char *)s;
    int literal = JSON_STRICT_OK, in_string = 0;
    for (size_t i = 0; i < len;) {
        i += text_plain_run(s + i, len - i); /* neither a quote, a backslash, a control nor 0x7f up */
        if (i == len) break;
        unsigned c = u[i];
        if (c >= 0x80) {
            size_t n = utf8_sequence(u + i, len - i);
            if (n == 0) return JSON_STRICT_NOT_UTF8;
            i += n;
            continue;
        }
        if (literal == JSON_STRICT_OK) {
            if (!in_string) {
                in_string = c == '"';
            } else if (c == '"') {
                in_string = 0;
            } else if (c < 0x20) {
                literal = JSON_STRICT_NOT_JSON;
            } else if (c == '\\' && i + 1 < len && u[i + 1] < 0x80) {
                if (u[i + 1] == 'u' && i + 5 < len && memcmp(s + i + 2, "0000", 4) == 0) literal = JSON_STRICT_HAS_NUL;
                i++; /* skip the escaped character */
            }
        }
        i++;
    }
    return literal;
}

static int is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

int json_repeats_key(const cJSON *object) {
    for (const cJSON *a = object ? object->child : NULL; a; a = a->next)
        for (const cJSON *b = a->next; b; b = b->next)
            if (a->string && b->string && a->string[0] == b->string[0] && strcmp(a->string, b->string) == 0) return 1;
    return 0;
}

int json_parse_strict(const char *buf, size_t len, cJSON **out) {
    *out = NULL;
    size_t start = 0;
    while (start < len && is_space(buf[start])) start++;
    if (start == len) return JSON_STRICT_EMPTY;
    int rc = scan_text(buf, len);
    if (rc != JSON_STRICT_OK) return rc;

    const char *end = NULL;
    cJSON *root = cJSON_ParseWithLengthOpts(buf, len, &end, 0);
    if (!root) return JSON_STRICT_NOT_JSON;
    size_t rest = (size_t)(end - buf);
    while (rest < len && is_space(buf[rest])) rest++;
    if (rest != len)
        rc = JSON_STRICT_NOT_JSON;
    else if (!cJSON_IsObject(root))
        rc = JSON_STRICT_NOT_OBJECT;
    else if (json_repeats_key(root))
        rc = JSON_STRICT_REPEATED_KEY;
    if (rc != JSON_STRICT_OK) {
        cJSON_Delete(root);
        return rc;
    }
    *out = root;
    return JSON_STRICT_OK;
}
