/* test_text_scan.c - the word-at-a-time scans (text_plain_run and the loops
 * that use it: text_chars, utf8_valid, the JSON string check and writer)
 * against byte-at-a-time references, with every byte value at every offset
 * of strings long enough to span several words. */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "check.h"
#include "json_out.h"
#include "json_strict.h"
#include "text.h"

#define LONGEST 40

static int plain_ref(unsigned char c) { return c >= 0x20 && c < 0x7f && c != '"' && c != '\\'; }

static size_t plain_run_ref(const char *s, size_t len) {
    size_t i = 0;
    while (i < len && plain_ref((unsigned char)s[i])) i++;
    return i;
}

/* Code points, or TEXT_CONTROL, as the byte loop before text_plain_run. */
static size_t chars_ref(const char *s) {
    const unsigned char *u = (const unsigned char *)s;
    size_t count = 0;
    for (size_t i = 0; u[i]; i++) {
        if (u[i] < 0x20 || u[i] == 0x7f) return TEXT_CONTROL;
        if (u[i] == 0xc2 && u[i + 1] >= 0x80 && u[i + 1] <= 0x9f) return TEXT_CONTROL;
        if ((u[i] & 0xc0) != 0x80) count++;
    }
    return count;
}

/* The JSON string json_out writes for s, one byte at a time. */
static void quoted_ref(const char *s, char *out) {
    size_t o = 0;
    out[o++] = '"';
    for (const unsigned char *u = (const unsigned char *)s; *u; u++) {
        if (*u == '"' || *u == '\\') {
            out[o++] = '\\';
            out[o++] = (char)*u;
        } else if (*u < 0x20) {
            const char *named = *u == '\b' ? "b" : *u == '\f' ? "f" : *u == '\n' ? "n" : *u == '\r' ? "r" : *u == '\t' ? "t" : NULL;
            o += (size_t)(named ? sprintf(out + o, "\\%s", named) : sprintf(out + o, "\\u%04x", *u));
        } else {
            out[o++] = (char)*u;
        }
    }
    out[o++] = '"';
    out[o] = '\0';
}

/* Every byte value b at every offset of an "a..." string of every length up to LONGEST. */
#define EACH_PLACEMENT(buf, len, at, b) \
    for (size_t len = 1; len <= LONGEST; len++) \
        for (size_t at = 0; at < len; at++) \
            for (unsigned b = 1; b < 256; b++) \
                if ((memset(buf, 'a', len), buf[len] = '\0', buf[at] = (char)b, 1))

static void plain_run_matches_bytes(void) {
    char buf[LONGEST + 1];
    long wrong = 0;
    EACH_PLACEMENT(buf, len, at, b) {
        if (text_plain_run(buf, len) != plain_run_ref(buf, len)) wrong++;
        if (text_plain_run(buf + at, len - at) != plain_run_ref(buf + at, len - at)) wrong++;
    }
    CHECK_INT(wrong, 0);
    CHECK_INT(text_plain_run("", 0), 0);
    CHECK_INT(text_plain_run("abcdefgh\"", 9), 8);
    CHECK_INT(text_plain_run("abcdefghijklmno\x7f", 16), 15);
    CHECK_INT(text_plain_run("abcdefghijklmnop", 16), 16);
    CHECK_INT(text_plain_run("abcdefg\x1f", 8), 7); /* a byte below 0x20 in the first word */
    CHECK_INT(text_plain_run("\x80" "bcdefgh", 8), 0);
}

static void chars_match_bytes(void) {
    char buf[LONGEST + 2];
    long wrong = 0;
    EACH_PLACEMENT(buf, len, at, b) {
        if (text_chars(buf, strlen(buf)) != chars_ref(buf)) wrong++;
    }
    CHECK_INT(wrong, 0);
    CHECK_INT(text_chars("abcdefgh\xc2\x85zz", 12), TEXT_CONTROL); /* C1 after a whole word */
    CHECK_INT(text_chars("abcdefgh\xc3\xa9zz", 12), 11);
}

static void utf8_and_string_checks_match_bytes(void) {
    char buf[LONGEST + 8];
    long wrong = 0;
    EACH_PLACEMENT(buf, len, at, b) {
        /* inside a JSON string: {"k":"aaa<b>aaa"} */
        char json[LONGEST + 16];
        int n = snprintf(json, sizeof json, "{\"k\":\"%s\"}", buf);
        cJSON *root = NULL;
        int got = json_parse_strict(json, (size_t)n, &root);
        cJSON_Delete(root);
        /* A lone byte of 0x80 or more is not UTF-8; a control is not JSON, nor
         * is a quote (it ends the string early) or a backslash (before 'a'
         * or the closing quote); anything else is a valid string. */
        unsigned char c = (unsigned char)b;
        int want = c >= 0x80 ? JSON_STRICT_NOT_UTF8 : (c < 0x20 || c == '"' || c == '\\') ? JSON_STRICT_NOT_JSON : JSON_STRICT_OK;
        if (got != want) wrong++;
    }
    CHECK_INT(wrong, 0);
    const char *nul = "{\"k\":\"aaaaaaaaaaaaaaaa\\u0000\"}";
    cJSON *root = NULL;
    CHECK_INT(json_parse_strict(nul, strlen(nul), &root), JSON_STRICT_HAS_NUL);
    /* not UTF-8 wins over a control character met first */
    const char *both = "{\"k\":\"aaaaaaaa\x01\xff\"}";
    CHECK_INT(json_parse_strict(both, strlen(both), &root), JSON_STRICT_NOT_UTF8);
    /* a backslash before a UTF-8 sequence: valid UTF-8, not a valid escape */
    const char *escaped = "{\"k\":\"aaaaaaaa\\\xc3\xa9\"}";
    CHECK_INT(json_parse_strict(escaped, strlen(escaped), &root), JSON_STRICT_NOT_JSON);
    CHECK_INT(utf8_valid("aaaaaaaaaaaaaaaa\xe2\x82\xac", 19), 1);
    CHECK_INT(utf8_valid("aaaaaaaaaaaaaaaa\xe2\x82", 18), 0);
    CHECK_INT(utf8_valid("aaaaaaaaaaaaaaaa\xed\xa0\x80", 19), 0); /* a surrogate */
}

static void writer_escapes_like_bytes(void) {
    char buf[LONGEST + 1];
    long wrong = 0;
    EACH_PLACEMENT(buf, len, at, b) {
        char out[LONGEST * 6 + 16], want[LONGEST * 6 + 16], wrapped[LONGEST * 6 + 32];
        json_out o;
        json_out_begin(&o, out, sizeof out);
        json_out_str(&o, "k", buf);
        if (json_out_end(&o) < 0) {
            wrong++;
            continue;
        }
        quoted_ref(buf, want);
        snprintf(wrapped, sizeof wrapped, "{\"k\":%s}", want);
        if (strcmp(out, wrapped) != 0) wrong++;
    }
    CHECK_INT(wrong, 0);
}

/* Random texts of mixed bytes (plain ones, the specials, '\n', bytes near the
 * boundaries), so that several stop bytes share a word: text_plain_run and
 * text_find take the first one's index from the word's lowest flagged byte. */
static void scans_find_the_first_of_several(void) {
    static const unsigned char pick[] = {'a', 'z', ' ', '~', '"', '\\', 0x1f, 0x20, 0x7e, 0x7f, 0x80, 0xff, 0x00, '\n', 0x0b, '\r'};
    char buf[48];
    uint32_t state = 7;
    long wrong = 0;
    for (int round = 0; round < 200000; round++) {
        state = state * 1103515245u + 12345u;
        size_t len = (state >> 16) % 41;
        for (size_t i = 0; i < len; i++) {
            state = state * 1103515245u + 12345u;
            unsigned r = state >> 16;
            buf[i] = (char)(r % 3 ? 'a' + r % 26 : pick[(r >> 4) % sizeof pick]);
        }
        if (text_plain_run(buf, len) != plain_run_ref(buf, len)) wrong++;
        size_t nl = 0;
        while (nl < len && buf[nl] != '\n') nl++;
        if (text_find(buf, len, '\n') != nl) wrong++;
    }
    CHECK_INT(wrong, 0);
    CHECK_INT(text_find("", 0, '\n'), 0);
    CHECK_INT(text_find("abc", 3, '\n'), 3);
    CHECK_INT(text_find("abcdefghij\n", 11, '\n'), 10); /* in the overlapping tail */
    CHECK_INT(text_find("ab\ncd\nefghijkl", 15, '\n'), 2);
    CHECK_INT(text_find("\x0b\x0b\x0b", 3, '\n'), 3); /* the padding is never the byte sought */
}

int main(void) {
    static const check_case cases[] = {CASE(plain_run_matches_bytes), CASE(scans_find_the_first_of_several), CASE(chars_match_bytes),
                                       CASE(utf8_and_string_checks_match_bytes), CASE(writer_escapes_like_bytes)};
    return RUN("native-text-scan", cases);
}
