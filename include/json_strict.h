/*
 * json_strict.h - the strict reading of a JSON text that both sides use: a
 * request body (json_body.h) and a RealtimeKit reply (rtk.h).
 *
 * Strict means: valid UTF-8; no raw control character and no \u0000 escape
 * in a string (cJSON would take the first and turn the second into a NUL that
 * silently cuts the string short); one value with nothing but white space
 * after it; and that value an object without a repeated key.
 * Ownership: on JSON_STRICT_OK *out is a cJSON object the caller frees with
 * cJSON_Delete; otherwise *out is NULL. Nothing else is allocated.
 */
#ifndef VC_JSON_STRICT_H
#define VC_JSON_STRICT_H

#include <stddef.h>

#include "cJSON.h"

/* What json_parse_strict found. */
enum {
    JSON_STRICT_OK = 0,
    JSON_STRICT_EMPTY,        /* nothing but white space */
    JSON_STRICT_NOT_UTF8,
    JSON_STRICT_NOT_JSON,     /* a raw control character in a string included */
    JSON_STRICT_HAS_NUL,      /* a \u0000 escape in a string */
    JSON_STRICT_NOT_OBJECT,
    JSON_STRICT_REPEATED_KEY  /* in the top-level object */
};

int json_parse_strict(const char *buf, size_t len, cJSON **out);

/* 1 when an object holds the same key twice (its own keys only). */
int json_repeats_key(const cJSON *object);

/* 1 when s[0..len) is well-formed UTF-8 (no overlongs, surrogates or
 * code points above U+10FFFF). */
int utf8_valid(const char *s, size_t len);

#endif
