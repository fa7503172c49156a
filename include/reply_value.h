/*
 * reply_value.h - the values an answer takes from a RealtimeKit reply,
 * checked before any client sees them, as strictly as a request's fields:
 *   REPLY_UUID   a UUID (the API documents ids as `format: uuid`), any
 *                letter case, answered in lowercase as the request side does;
 *   REPLY_TOKEN  1 to REPLY_TOKEN_MAX bytes of UTF-8 (the reply was checked
 *                to be UTF-8 as a whole) with no control character: no C0
 *                (a \u0000 never gets this far: rtk.h refuses the reply), DEL
 *                or C1.
 * Ownership: nothing is allocated. *out points into `data` (a token) or into
 * the caller's buffer (a UUID), and lives as long as the one it points into.
 */
#ifndef VC_REPLY_VALUE_H
#define VC_REPLY_VALUE_H

#include "cJSON.h"
#include "validate.h"

/* Longest auth token passed on, in bytes (RealtimeKit's are about 1 KB). */
#define REPLY_TOKEN_MAX 8192

enum { REPLY_UUID = 1, REPLY_TOKEN = 2 };

/* data[key] as a `kind` value: NULL with *out set when it is usable, else a
 * static reason for the log that never holds the value. */
const char *reply_value(const cJSON *data, const char *key, int kind, char uuid[VC_UUID_LEN + 1], const char **out);

#endif
