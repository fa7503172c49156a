/* reply_value.c - see reply_value.h. */
#include "reply_value.h"

#include <string.h>

#include "text.h"

_Static_assert(REPLY_TITLE_MAX == 256, "keep the title reason in step with REPLY_TITLE_MAX");

/* s's length (in *len) and whether all of it is plain (text.h): one pass
 * over a value of ordinary characters; a second, counting, only for the rest. */
static size_t measure(const char *s, size_t *len, int *plain) {
    *len = strlen(s);
    *plain = text_plain_run(s, *len) == *len;
    return *plain ? *len : text_chars(s, *len);
}

const char *reply_value(const cJSON *data, const char *key, int kind, char uuid[VC_UUID_LEN + 1], reply_text *out) {
    const cJSON *item = cJSON_GetObjectItemCaseSensitive(data, key);
    const char *s = cJSON_IsString(item) ? item->valuestring : NULL;
    *out = (reply_text){NULL, 0, 1};
    if (kind == REPLY_UUID) {
        if (!s) return "an id in the reply is missing or not a string";
        if (!uuid_valid(s)) return "an id in the reply is not a UUID";
        uuid_lower(s, uuid);
        *out = (reply_text){uuid, VC_UUID_LEN, 1};
        return NULL;
    }
    if (kind == REPLY_TITLE) {
        if (!item || cJSON_IsNull(item)) return NULL;
        if (!s) return "the title in the reply is not a string";
        size_t len = 0;
        int plain = 0;
        size_t chars = measure(s, &len, &plain);
        if (chars == TEXT_CONTROL) return "the title in the reply holds a control character";
        if (chars > REPLY_TITLE_MAX) return "the title in the reply is over 256 characters";
        *out = (reply_text){s, len, plain};
        return NULL;
    }
    if (kind == REPLY_ACTIVE) {
        if (s && strcmp(s, REPLY_STATUS_ACTIVE) == 0) *out = (reply_text){REPLY_STATUS_ACTIVE, 6, 1};
        if (s && strcmp(s, REPLY_STATUS_INACTIVE) == 0) *out = (reply_text){REPLY_STATUS_INACTIVE, 8, 1};
        return out->s ? NULL : "the status in the reply is not ACTIVE or INACTIVE";
    }
    if (!s) return "the token in the reply is missing or not a string";
    size_t len = 0;
    int plain = 0;
    size_t chars = measure(s, &len, &plain);
    if (len == 0) return "the token in the reply is empty";
    if (len > REPLY_TOKEN_MAX) return "the token in the reply is over 8192 bytes";
    if (chars == TEXT_CONTROL) return "the token in the reply holds a control character";
    *out = (reply_text){s, len, plain};
    return NULL;
}
