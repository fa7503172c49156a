/*
 * json_out.h - one flat JSON object written straight into a caller's
 * buffer: the bytes cJSON_PrintUnformatted would print for the same object
 * (the same escaping: \" \\ \b \f \n \r \t, other bytes below 0x20 as \u00xx,
 * everything else as it is), without building a tree or allocating.
 *
 * Usage: json_out_begin, then a call per member in order, then json_out_end,
 * which returns the length. A member that does not fit marks the writer
 * over; json_out_end then returns VC_E_TOOBIG and leaves buf "".
 *
 * Keys are names that need no escaping (no '"', '\\' or byte below 0x20:
 * field names, HTTP header names) and are copied as they are; values are
 * escaped.
 *
 * Ownership: the buffer is the caller's; keys and values are borrowed for the
 * call. Nothing is allocated.
 */
#ifndef VC_JSON_OUT_H
#define VC_JSON_OUT_H

#include <stddef.h>

typedef struct json_out {
    char *buf;
    size_t cap;     /* bytes in buf, the terminating NUL included */
    size_t len;
    int members;
    int over;
} json_out;

void json_out_begin(json_out *o, char *buf, size_t cap);
/* Members whose key's length the caller knows (key_len bytes). */
void json_out_str_n(json_out *o, const char *key, size_t key_len, const char *value, size_t value_len);
/* A value the caller has checked needs no escaping: printable ASCII other
 * than '"' and '\\' (text_plain_run(value, len) == len), copied as it is. */
void json_out_plain_n(json_out *o, const char *key, size_t key_len, const char *value, size_t value_len);
void json_out_int_n(json_out *o, const char *key, size_t key_len, long long value);
void json_out_raw_n(json_out *o, const char *key, size_t key_len, const char *json, size_t len);
/* Close the object: its length, or VC_E_TOOBIG. */
int json_out_end(json_out *o);

/* The usual calls, with NUL-terminated keys and values: inline, so that a
 * literal's length is counted when the code is compiled, not when it runs. */
static inline void json_out_str(json_out *o, const char *key, const char *value) {
    json_out_str_n(o, key, __builtin_strlen(key), value, __builtin_strlen(value));
}
/* An integer, printed as cJSON prints an integral number ("%d"). */
static inline void json_out_int(json_out *o, const char *key, long long value) {
    json_out_int_n(o, key, __builtin_strlen(key), value);
}
static inline void json_out_bool(json_out *o, const char *key, int value) {
    json_out_raw_n(o, key, __builtin_strlen(key), value ? "true" : "false", value ? 4 : 5);
}
/* A value that is JSON already (an object json_out wrote). */
static inline void json_out_raw(json_out *o, const char *key, const char *json, size_t len) {
    json_out_raw_n(o, key, __builtin_strlen(key), json, len);
}

#endif
