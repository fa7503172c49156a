/* validate.c - see validate.h. */
#include "validate.h"

#include <stdint.h>
#include <string.h>

#include "host.h"
#include "text.h"

static int is_hex(char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }

int uuid_valid(const char *s) {
    for (size_t i = 0; i < VC_UUID_LEN; i++) {
        int dash = i == 8 || i == 13 || i == 18 || i == 23;
        if (dash ? s[i] != '-' : !is_hex(s[i])) return 0;
    }
    return s[VC_UUID_LEN] == '\0';
}

void uuid_lower(const char *s, char *out) {
    for (size_t i = 0; i < VC_UUID_LEN; i++) out[i] = (s[i] >= 'A' && s[i] <= 'F') ? (char)(s[i] + 32) : s[i];
    out[VC_UUID_LEN] = '\0';
}

int uuid_v4(char *out) {
    static const char hex[] = "0123456789abcdef";
    uint8_t b[16];
    int rc = host_random(b, sizeof b);
    if (rc != VC_OK) return rc;
    b[6] = (uint8_t)((b[6] & 0x0f) | 0x40); /* version 4 */
    b[8] = (uint8_t)((b[8] & 0x3f) | 0x80); /* RFC 4122 variant */
    size_t o = 0;
    for (size_t i = 0; i < sizeof b; i++) {
        if (i == 4 || i == 6 || i == 8 || i == 10) out[o++] = '-';
        out[o++] = hex[b[i] >> 4];
        out[o++] = hex[b[i] & 0x0f];
    }
    out[o] = '\0';
    return VC_OK;
}

int field_uuid(const cJSON *obj, const char *field, char *out, vc_problem *p) {
    const cJSON *item = cJSON_GetObjectItemCaseSensitive(obj, field);
    if (!item) return problem_invalid(p, field, " is required");
    if (!cJSON_IsString(item) || !item->valuestring) return problem_invalid(p, field, " must be a string");
    if (!uuid_valid(item->valuestring)) return problem_invalid(p, field, " must be a UUID");
    uuid_lower(item->valuestring, out);
    return VC_OK;
}

int field_string(const cJSON *obj, const char *field, size_t max_chars, const char **out, vc_problem *p) {
    char limit[24];
    *out = NULL;
    const cJSON *item = cJSON_GetObjectItemCaseSensitive(obj, field);
    if (!item) return VC_OK;
    if (!cJSON_IsString(item) || !item->valuestring) return problem_invalid(p, field, " must be a string");
    size_t chars = text_chars(item->valuestring);
    if (chars == TEXT_CONTROL) return problem_invalid(p, field, " must not contain control characters");
    if (chars == 0 || chars > max_chars)
        return problem_invalid(p, field, " must be 1 to ", text_uint(limit, max_chars), " characters long");
    *out = item->valuestring;
    return VC_OK;
}
