/* reply_value.c - see reply_value.h. */
#include "reply_value.h"

#include <string.h>

#include "text.h"

_Static_assert(REPLY_TITLE_MAX == 256, "keep the title reason in step with REPLY_TITLE_MAX");

const char *reply_value(const cJSON *data, const char *key, int kind, char uuid[VC_UUID_LEN + 1], const char **out) {
    const cJSON *item = cJSON_GetObjectItemCaseSensitive(data, key);
    *out = NULL;
    if (kind == REPLY_UUID) {
        if (!cJSON_IsString(item) || !item->valuestring) return "an id in the reply is missing or not a string";
        if (!uuid_valid(item->valuestring)) return "an id in the reply is not a UUID";
        uuid_lower(item->valuestring, uuid);
        *out = uuid;
        return NULL;
    }
    if (kind == REPLY_TITLE) {
        if (!item || cJSON_IsNull(item)) return NULL;
        if (!cJSON_IsString(item) || !item->valuestring) return "the title in the reply is not a string";
        size_t chars = text_chars(item->valuestring);
        if (chars == TEXT_CONTROL) return "the title in the reply holds a control character";
        if (chars > REPLY_TITLE_MAX) return "the title in the reply is over 256 characters";
        *out = item->valuestring;
        return NULL;
    }
    if (kind == REPLY_ACTIVE) {
        const char *s = cJSON_IsString(item) ? item->valuestring : NULL;
        if (s && strcmp(s, REPLY_STATUS_ACTIVE) == 0) *out = REPLY_STATUS_ACTIVE;
        if (s && strcmp(s, REPLY_STATUS_INACTIVE) == 0) *out = REPLY_STATUS_INACTIVE;
        return *out ? NULL : "the status in the reply is not ACTIVE or INACTIVE";
    }
    if (!cJSON_IsString(item) || !item->valuestring) return "the token in the reply is missing or not a string";
    size_t bytes = strlen(item->valuestring);
    if (bytes == 0) return "the token in the reply is empty";
    if (bytes > REPLY_TOKEN_MAX) return "the token in the reply is over 8192 bytes";
    if (text_chars(item->valuestring) == TEXT_CONTROL) return "the token in the reply holds a control character";
    *out = item->valuestring;
    return NULL;
}
