/*
 * reply_value.h - the values an answer takes from a RealtimeKit reply,
 * checked before any client sees them, as strictly as a request's fields:
 *   REPLY_UUID   a UUID (the API documents ids as `format: uuid`), any
 *                letter case, answered in lowercase as the request side does;
 *   REPLY_TOKEN  1 to REPLY_TOKEN_MAX bytes of UTF-8 (the reply was checked
 *                to be UTF-8 as a whole) with no control character: no C0
 *                (a \u0000 never gets this far: rtk.h refuses the reply), DEL
 *                or C1;
 *   REPLY_TITLE  a meeting's title: absent or null (then *out is NULL), or
 *                0 to REPLY_TITLE_MAX characters with no control character;
 *   REPLY_ACTIVE a meeting's status: exactly "ACTIVE" or "INACTIVE" (*out
 *                is then REPLY_STATUS_ACTIVE or REPLY_STATUS_INACTIVE).
 * Ownership: nothing is allocated. out->s points into `data` (a token) or
 * into the caller's buffer (a UUID), and lives as long as the one it points
 * into.
 */
#ifndef VC_REPLY_VALUE_H
#define VC_REPLY_VALUE_H

#include "cJSON.h"
#include "validate.h"

/* Longest auth token passed on, in bytes (RealtimeKit's are about 1 KB). */
#define REPLY_TOKEN_MAX 8192

/* Longest meeting title passed on, in characters (RealtimeKit sets none;
 * ours are at most VC_NAME_MAX). */
#define REPLY_TITLE_MAX 256

#define REPLY_STATUS_ACTIVE "ACTIVE"
#define REPLY_STATUS_INACTIVE "INACTIVE"

enum { REPLY_UUID = 1, REPLY_TOKEN = 2, REPLY_TITLE = 3, REPLY_ACTIVE = 4 };

/* A value found usable: its bytes (s NULL for an absent title), and whether
 * it needs no escaping in JSON (text_plain_run over all of it), which the
 * check finds in the same pass, so that the answer copies it as it is. */
typedef struct reply_text {
    const char *s;
    size_t len;
    int plain;
} reply_text;

/* data[key] as a `kind` value: NULL with *out set when it is usable, else a
 * static reason for the log that never holds the value. */
const char *reply_value(const cJSON *data, const char *key, int kind, char uuid[VC_UUID_LEN + 1], reply_text *out);

#endif
