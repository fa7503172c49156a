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

/* Random bytes drawn from the host a pool at a time (one crossing per 16
 * ids). Ids are public (request and participant ids), never secrets, so
 * keeping the next ones' bytes in linear memory between requests gives
 * nothing away that the ids themselves will not. */
#define POOL_BYTES 256
static struct {
    uint8_t bytes[POOL_BYTES];
    size_t used; /* bytes handed out since the last fill (all of them before the first) */
} pool = {.used = POOL_BYTES};

static int draw(uint8_t *out, size_t n) {
    if (pool.used + n > POOL_BYTES) {
        int rc = host_random(pool.bytes, POOL_BYTES);
        if (rc != VC_OK) return rc;
        pool.used = 0;
    }
    memcpy(out, pool.bytes + pool.used, n);
    memset(pool.bytes + pool.used, 0, n); /* each byte is handed out once */
    pool.used += n;
    return VC_OK;
}

int uuid_v4(char *out) {
    static const char hex[] = "0123456789abcdef";
    uint8_t b[16];
    int rc = draw(b, sizeof b);
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
    size_t chars = text_chars(item->valuestring, strlen(item->valuestring));
    if (chars == TEXT_CONTROL) return problem_invalid(p, field, " must not contain control characters");
    if (chars == 0 || chars > max_chars)
        return problem_invalid(p, field, " must be 1 to ", text_uint(limit, max_chars), " characters long");
    *out = item->valuestring;
    return VC_OK;
}
